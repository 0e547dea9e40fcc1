//! Signed updates on the command line: `keygen`, `sign`, `verify`, and
//! `--verify` on `classify` and `check` refusing what the key did not sign.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod common;
use std::path::{Path, PathBuf};

use common::{Scratch, esafety, stderr, stdout};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A key pair in `scratch`: (secret, public).
fn keygen(scratch: &Scratch, name: &str) -> (PathBuf, PathBuf) {
    let key = scratch.path().join(name);
    let o = esafety(&["keygen", "-o", s(&key)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let id = stdout(&o);
    assert_eq!(id.trim().len(), 16, "{id}");
    (key.clone(), scratch.path().join(format!("{name}.pub")))
}

/// A compiled bundle with one gambling list, signed by `key`.
fn signed_bundle(scratch: &Scratch, key: &Path) -> PathBuf {
    let list = scratch.file("gambling.txt", "bet.example\n");
    let bundle = scratch.path().join("lists.esb");
    let spec = format!("gambling={}", s(&list));
    let o = esafety(&["compile", "--list", &spec, "-o", s(&bundle)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = esafety(&["sign", "--key", s(key), s(&bundle)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), format!("{}.sig", s(&bundle)));
    bundle
}

#[test]
fn keygen_writes_a_private_secret_and_never_overwrites() {
    let scratch = Scratch::new("cli-keygen");
    let (secret, public) = keygen(&scratch, "publisher");
    let text = std::fs::read_to_string(&secret).unwrap();
    assert!(text.starts_with("esafety-secret-key-ed25519 "), "{text}");
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("esafety-public-key-ed25519 ")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the secret key is readable by others: {mode:o}"
        );
    }
    let o = esafety(&["keygen", "-o", s(&secret)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("never overwritten"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), text);
    // Two keys are two keys.
    let (_, other) = keygen(&scratch, "other");
    assert_ne!(
        std::fs::read_to_string(&public).unwrap(),
        std::fs::read_to_string(&other).unwrap()
    );
}

#[test]
fn a_signed_bundle_is_classified_and_every_tampering_refused() {
    let scratch = Scratch::new("cli-signed-bundle");
    let (secret, public) = keygen(&scratch, "publisher");
    let (_, stranger) = keygen(&scratch, "stranger");
    let bundle = signed_bundle(&scratch, &secret);
    let url = "http://bet.example/";

    let o = esafety(&[
        "classify",
        "--bundle",
        s(&bundle),
        "--verify",
        s(&public),
        url,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\tgambling"), "{}", stdout(&o));
    let o = esafety(&["verify", "--key", s(&public), s(&bundle)]);
    assert_eq!(
        (o.status.code(), stdout(&o).trim()),
        (Some(0), &*format!("ok\t{}", s(&bundle)))
    );

    let sig = PathBuf::from(format!("{}.sig", s(&bundle)));
    let good_sig = std::fs::read(&sig).unwrap();
    let good_bundle = std::fs::read(&bundle).unwrap();
    let refused = |name: &str, key: &Path, want: &str| {
        let o = esafety(&["classify", "--bundle", s(&bundle), "--verify", s(key), url]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stdout(&o));
        assert!(
            stdout(&o).is_empty(),
            "{name}: classified anyway: {}",
            stdout(&o)
        );
        assert!(stderr(&o).contains(want), "{name}: {}", stderr(&o));
        let o = esafety(&["verify", "--key", s(key), s(&bundle)]);
        assert_eq!(o.status.code(), Some(1), "{name}");
    };

    refused("another key", &stranger, "is signed by key");

    let mut flipped = good_bundle.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    std::fs::write(&bundle, &flipped).unwrap();
    refused("a bundle byte changed", &public, "does not match the file");

    std::fs::write(&bundle, &good_bundle).unwrap();
    std::fs::remove_file(&sig).unwrap();
    refused("no signature", &public, "has no signature beside it");

    std::fs::write(&sig, b"esafety-signature-ed25519 00\n").unwrap();
    refused("a damaged signature", &public, "not an esafety signature");

    std::fs::write(&sig, &good_sig).unwrap();
    let o = esafety(&[
        "classify",
        "--bundle",
        s(&bundle),
        "--verify",
        s(&public),
        url,
    ]);
    assert_eq!(o.status.code(), Some(0), "restored: {}", stderr(&o));
}

#[test]
fn check_verifies_the_policy_too() {
    let scratch = Scratch::new("cli-signed-policy");
    let (secret, public) = keygen(&scratch, "publisher");
    let bundle = signed_bundle(&scratch, &secret);
    let policy = scratch.file(
        "staff.toml",
        "id = \"staff\"\ndefault = \"allow\"\n[[rules]]\nid = \"no-gambling\"\naction = \"block\"\ncategories = [\"gambling\"]\n",
    );
    let check = || {
        esafety(&[
            "check",
            "--policy",
            s(&policy),
            "--bundle",
            s(&bundle),
            "--verify",
            s(&public),
            "--at",
            "2026-03-02T10:00:00Z",
            "http://bet.example/",
        ])
    };
    let o = check();
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unsigned policy was used: {}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("staff.toml` has no signature"),
        "{}",
        stderr(&o)
    );

    let o = esafety(&["sign", "--key", s(&secret), s(&policy)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = check();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("block\t"), "{}", stdout(&o));

    // The policy edited after signing (the rule turned into an allow).
    let text = std::fs::read_to_string(&policy)
        .unwrap()
        .replace("\"block\"", "\"warn\"");
    std::fs::write(&policy, text).unwrap();
    let o = check();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("does not match the file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compile_signs_what_it_writes() {
    let scratch = Scratch::new("cli-compile-sign");
    let (secret, public) = keygen(&scratch, "publisher");
    let list = scratch.file("gambling.txt", "bet.example\n");
    let bundle = scratch.path().join("lists.esb");
    let spec = format!("gambling={}", s(&list));
    let o = esafety(&[
        "compile",
        "--list",
        &spec,
        "-o",
        s(&bundle),
        "--sign",
        s(&secret),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = esafety(&["verify", "--key", s(&public), s(&bundle)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A key that cannot be read fails the compile before anything is written.
    let other = scratch.path().join("other.esb");
    let o = esafety(&[
        "compile",
        "--list",
        &spec,
        "-o",
        s(&other),
        "--sign",
        s(&public),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not an esafety secret key"),
        "{}",
        stderr(&o)
    );
    assert!(!other.exists());
}

#[test]
fn the_sample_bundle_is_not_taken_as_signed() {
    let scratch = Scratch::new("cli-signed-sample");
    let (_, public) = keygen(&scratch, "publisher");
    let o = esafety(&["classify", "--verify", s(&public), "http://bet365.com/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("sample bundle is not signed"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_squid_helper_starts_only_on_signed_files() {
    let scratch = Scratch::new("cli-signed-helper");
    let (secret, public) = keygen(&scratch, "publisher");
    let bundle = signed_bundle(&scratch, &secret);
    let policy = scratch.file("p.toml", "id = \"p\"\ndefault = \"allow\"\n");
    let helper = || {
        common::esafety_stdin(
            &[
                "squid-helper",
                "--policy",
                s(&policy),
                "--bundle",
                s(&bundle),
                "--verify",
                s(&public),
            ],
            Some("http://bet.example/\n"),
        )
    };
    let o = helper();
    assert_eq!(
        o.status.code(),
        Some(2),
        "served with an unsigned policy: {}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("p.toml` has no signature"),
        "{}",
        stderr(&o)
    );
    let o = esafety(&["sign", "--key", s(&secret), s(&policy)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = helper();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("OK"), "{}", stdout(&o));
}
