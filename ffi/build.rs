//! Gives the shared library an ELF SONAME that carries its ABI version:
//! `libesafety.so.0.MINOR` before 1.0, `libesafety.so.MAJOR` after (see
//! the ABI promise in `include/esafety.h`).

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos"
    );
    if elf {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        let minor = env!("CARGO_PKG_VERSION_MINOR");
        let abi = if major == "0" {
            format!("0.{minor}")
        } else {
            major.to_owned()
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libesafety.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
