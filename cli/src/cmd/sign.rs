//! Signed updates: `esafety keygen`, `esafety sign` and `esafety verify`,
//! and the `--verify PUBLIC_KEY` check every deciding command runs.
//!
//! A signature is a detached `FILE.sig` beside the file
//! ([`esafety::signing`]): a publisher signs each bundle and policy it ships,
//! a filter configured with the publisher's public key loads nothing else.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use esafety::signing::{PublicKey, SecretKey};

/// Arguments of `esafety keygen`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Writes KEY (the secret key, readable by its owner only: keep it off the filters) \
                  and KEY.pub (the public key every filter is configured with), and prints the \
                  key id. Refuses to overwrite either."
)]
pub(crate) struct KeygenArgs {
    /// Where to write the secret key; the public key goes to this path plus `.pub`.
    #[arg(long, short = 'o', value_name = "KEY")]
    out: PathBuf,
}

/// Arguments of `esafety sign`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Writes FILE.sig beside each FILE (a bundle, a policy), replacing an \
                        older signature."
)]
pub(crate) struct SignArgs {
    /// The secret key (`esafety keygen`).
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// The files to sign.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Arguments of `esafety verify`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Checks FILE.sig for each FILE. Exit status: 0 when every file is signed \
                        by the key; 1 when one is not (each is reported); 2 on bad usage or an \
                        unreadable key."
)]
pub(crate) struct VerifyArgs {
    /// The public key (`KEY.pub` from `esafety keygen`).
    #[arg(long, value_name = "PUBLIC_KEY")]
    key: PathBuf,
    /// The files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// The path of `file`'s detached signature: `file` plus `.sig`.
pub(crate) fn signature_path(file: &Path) -> PathBuf {
    let mut path = file.as_os_str().to_owned();
    path.push(".sig");
    PathBuf::from(path)
}

/// Reads a key or signature text file, within the size a valid one has.
fn read_small_text(path: &Path, what: &str) -> anyhow::Result<String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read {what} `{}`", path.display()))?;
    let mut text = String::new();
    let limit = u64::try_from(esafety::signing::MAX_TEXT_LEN).unwrap_or(u64::MAX) + 1;
    file.take(limit)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {what} `{}`", path.display()))?;
    Ok(text)
}

/// Reads a public key file.
pub(crate) fn read_public_key(path: &Path) -> anyhow::Result<PublicKey> {
    let text = read_small_text(path, "public key")?;
    PublicKey::parse(&text).with_context(|| format!("cannot use public key `{}`", path.display()))
}

/// Reads the text of `file.sig`, the signature beside `file`.
fn read_signature(file: &Path) -> anyhow::Result<String> {
    let sig_path = signature_path(file);
    read_small_text(&sig_path, "signature").with_context(|| {
        format!(
            "`{}` has no signature beside it; sign it with `esafety sign --key KEY {}`, \
             or leave out --verify",
            file.display(),
            file.display()
        )
    })
}

/// Checks that `bytes`, read from `file`, are signed by `key` (`file.sig`).
pub(crate) fn verify_file(file: &Path, bytes: &[u8], key: &PublicKey) -> anyhow::Result<()> {
    let text = read_signature(file)?;
    esafety::signing::verify_detached(bytes, &text, key)
        .with_context(|| format!("refusing `{}`", file.display()))
}

/// Loads the bundle `bytes`, read from `file`, only if `file.sig` is their
/// signature by `key`: core's [`esafety::signing::verified_bundle`]
/// verifies and loads in one step, so no unverified bundle is ever held.
pub(crate) fn verified_bundle_file(
    file: &Path,
    bytes: Vec<u8>,
    key: &PublicKey,
) -> anyhow::Result<esafety::bundle::Bundle<Vec<u8>>> {
    let text = read_signature(file)?;
    let limits = esafety::Limits::default();
    esafety::signing::verified_bundle(bytes, &text, &key.to_text(), &limits).map_err(|e| {
        let what = match &e {
            esafety::signing::VerifiedBundleError::Bundle(_) => "cannot load bundle",
            _ => "refusing",
        };
        anyhow::Error::new(e).context(format!("{what} `{}`", file.display()))
    })
}

/// Writes `file.sig` for `bytes` with `key`; returns the signature's path.
pub(crate) fn sign_file(file: &Path, bytes: &[u8], key: &SecretKey) -> anyhow::Result<PathBuf> {
    let sig_path = signature_path(file);
    std::fs::write(&sig_path, key.sign(bytes).to_text())
        .with_context(|| format!("cannot write signature `{}`", sig_path.display()))?;
    Ok(sig_path)
}

/// Reads a secret key file.
pub(crate) fn read_secret_key(path: &Path) -> anyhow::Result<SecretKey> {
    let text = read_small_text(path, "secret key")?;
    SecretKey::parse(&text).with_context(|| format!("cannot use secret key `{}`", path.display()))
}

/// Creates `path` for writing, failing if it exists; readable by its owner
/// only when `private`.
fn create_new(path: &Path, private: bool) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path).with_context(|| {
        format!(
            "cannot create `{}` (an existing key is never overwritten: move it away first)",
            path.display()
        )
    })
}

pub(crate) fn keygen(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    let mut seed = [0u8; 32];
    if let Err(e) = getrandom::fill(&mut seed) {
        bail!("cannot draw a key from the operating system's random number generator: {e}");
    }
    let secret = SecretKey::from_seed(seed);
    let public = secret.public_key();
    let pub_path = {
        let mut p = args.out.as_os_str().to_owned();
        p.push(".pub");
        PathBuf::from(p)
    };
    if pub_path.exists() {
        bail!(
            "`{}` exists; an existing key is never overwritten: move it away first",
            pub_path.display()
        );
    }
    let mut file = create_new(&args.out, true)?;
    file.write_all(secret.to_text().as_bytes())
        .with_context(|| format!("cannot write `{}`", args.out.display()))?;
    let mut file = create_new(&pub_path, false)?;
    file.write_all(public.to_text().as_bytes())
        .with_context(|| format!("cannot write `{}`", pub_path.display()))?;
    println!("{}", public.id());
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn sign(args: SignArgs) -> anyhow::Result<ExitCode> {
    let key = read_secret_key(&args.key)?;
    for file in &args.files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read `{}`", file.display()))?;
        let sig = sign_file(file, &bytes, &key)?;
        println!("{}", sig.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let key = read_public_key(&args.key)?;
    let mut all = true;
    for file in &args.files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read `{}`", file.display()))?;
        match verify_file(file, &bytes, &key) {
            Ok(()) => println!("ok\t{}", file.display()),
            Err(e) => {
                all = false;
                println!("refused\t{}", file.display());
                eprintln!("esafety: {e:#}");
            }
        }
    }
    Ok(if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
