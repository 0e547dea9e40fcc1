//! The engine set the helper serves from: one bundle (classifier), the
//! default policy, the site file with the policy of each entry, and the
//! phrase lists (`--phrases`) that score search terms. It is
//! loaded whole and swapped whole: a request is decided by exactly one
//! set, old or new, never a mix.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use anyhow::Context as _;
use esafety::classify::Classifier;
use esafety::policy::{Device, Policy};
use esafety::record::site::Site;
use esafety::record::{Identity, RecordOptions};
use esafety::signing::PublicKey;

/// Where the engine set comes from.
#[derive(Debug, Clone)]
pub(crate) struct Sources {
    pub(crate) policy: PathBuf,
    pub(crate) bundle: Option<PathBuf>,
    pub(crate) site: Option<PathBuf>,
    /// `--verify`: every file (bundle, policies, site file) is used only if
    /// its `.sig` is this key's signature of it.
    pub(crate) verify: Option<esafety::signing::PublicKey>,
    /// `--phrases`: e2guardian phrase lists that score each request's
    /// search terms (none: no scoring).
    pub(crate) phrases: Vec<PathBuf>,
    /// How records are written (pseudonyms, client addresses); each set
    /// adds its own phrase scanner.
    pub(crate) record: RecordOptions,
}

/// The identity a client gets when no site entry matches (`--group`,
/// `--age`, `--device`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Defaults {
    pub(crate) group: Option<String>,
    pub(crate) age: Option<u8>,
    pub(crate) device: Option<Device>,
}

/// One loaded engine set.
pub(crate) struct Engines {
    pub(crate) classifier: Classifier<Vec<u8>>,
    /// The record options with this set's phrase scanner (`--phrases`).
    pub(crate) options: RecordOptions,
    default_policy: Policy,
    site: Option<Site>,
    /// The policy of each site entry (`None`: the default policy).
    entry_policies: Vec<Option<Policy>>,
    /// The files it was loaded from, with what they looked like then.
    pub(crate) files: Vec<(PathBuf, Option<Fingerprint>)>,
}

/// What a file looked like: a change of any part means reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

pub(crate) fn fingerprint(path: &Path) -> Option<Fingerprint> {
    use std::os::unix::fs::MetadataExt as _;
    let m = std::fs::metadata(path).ok()?;
    Some(Fingerprint {
        len: m.len(),
        modified: m.modified().ok(),
        inode: m.ino(),
    })
}

/// Reads a text file (a policy, the site file) and, with a key, checks its
/// signature before anything reads the text.
fn read_text(path: &Path, what: &str, key: Option<&PublicKey>) -> anyhow::Result<String> {
    let text = crate::input::read_document(path)
        .with_context(|| format!("cannot read {what} `{}`", path.display()))?;
    if let Some(key) = key {
        crate::cmd::sign::verify_file(path, text.as_bytes(), key)?;
    }
    Ok(text)
}

fn load_policy(path: &Path, key: Option<&PublicKey>) -> anyhow::Result<Policy> {
    let text = read_text(path, "policy", key)?;
    Ok(Policy::load(&path.display().to_string(), &text)?)
}

/// Loads the bundle and, with a key, verifies it first in the same step
/// (core's `verified_bundle`): a bad signature is a failed load, and the
/// old engine keeps serving.
fn load_bundle(
    path: &Path,
    key: Option<&PublicKey>,
) -> anyhow::Result<esafety::bundle::Bundle<Vec<u8>>> {
    let bytes = esafety::bundle::read_bundle_file(path, &esafety::Limits::default())
        .with_context(|| format!("cannot read bundle `{}`", path.display()))?;
    match key {
        Some(key) => crate::cmd::sign::verified_bundle_file(path, bytes, key),
        None => esafety::bundle::Bundle::from_bytes(bytes)
            .with_context(|| format!("cannot load bundle `{}`", path.display())),
    }
}

impl Engines {
    /// Loads everything: the bundle, the default policy, the site file and
    /// each of its policies (paths relative to the site file).
    pub(crate) fn load(sources: &Sources) -> anyhow::Result<Engines> {
        let key = sources.verify.as_ref();
        let mut files = Vec::new();
        // With a key, a new signature is a change too (a publisher may
        // replace a file and then its `.sig`).
        let mut watch = |path: &Path| {
            files.push((path.to_path_buf(), fingerprint(path)));
            if key.is_some() {
                let sig = crate::cmd::sign::signature_path(path);
                let print = fingerprint(&sig);
                files.push((sig, print));
            }
        };
        watch(&sources.policy);
        let classifier = match &sources.bundle {
            Some(path) => {
                watch(path);
                Classifier::new(load_bundle(path, key)?)
            }
            None if key.is_some() => anyhow::bail!(
                "the built-in sample bundle is not signed; pass the signed bundle with --bundle, \
                 or leave out --verify"
            ),
            None => Classifier::new(
                esafety::sample::bundle().context("cannot load the built-in sample bundle")?,
            ),
        };
        let default_policy = load_policy(&sources.policy, key)?;
        let options = if sources.phrases.is_empty() {
            sources.record.clone()
        } else {
            for path in &sources.phrases {
                watch(path);
            }
            let scanner = crate::cmd::phrases::load_scanner(
                &sources.phrases,
                esafety::content::ScanOptions::default(),
                &[],
                false,
                false,
            )?;
            sources.record.clone().with_phrases(scanner)
        };
        let (site, entry_policies) = match &sources.site {
            None => (None, Vec::new()),
            Some(path) => {
                watch(path);
                let name = path.display().to_string();
                let text = read_text(path, "site file", key)?;
                let site = Site::from_toml_str(&name, &text)?;
                let base = path.parent().unwrap_or(Path::new("."));
                let mut policies = Vec::with_capacity(site.clients().len());
                for entry in site.clients() {
                    policies.push(match entry.policy() {
                        None => None,
                        Some(relative) => {
                            let policy_path = base.join(relative);
                            watch(&policy_path);
                            Some(load_policy(&policy_path, key).with_context(|| {
                                format!("{name}:{}: the entry's policy", entry.line())
                            })?)
                        }
                    });
                }
                (Some(site), policies)
            }
        };
        Ok(Engines {
            classifier,
            options,
            default_policy,
            site,
            entry_policies,
            files,
        })
    }

    /// Whether any file changed since it was loaded.
    pub(crate) fn files_changed(&self) -> bool {
        self.files
            .iter()
            .any(|(path, seen)| fingerprint(path) != *seen)
    }

    /// The policy and identity of a client.
    pub(crate) fn resolve<'a>(
        &'a self,
        defaults: &'a Defaults,
        client_ip: Option<std::net::IpAddr>,
        user: Option<&'a str>,
    ) -> (&'a Policy, Identity<'a>) {
        let base = Identity {
            site: self.site.as_ref().map(Site::name),
            client_ip,
            user,
            device: defaults.device,
            group: defaults.group.as_deref(),
            age: defaults.age,
        };
        let Some(site) = &self.site else {
            return (&self.default_policy, base);
        };
        match site.resolve_index(client_ip, user) {
            None => (&self.default_policy, base),
            Some(index) => {
                let entry = site.clients().get(index);
                let policy = self
                    .entry_policies
                    .get(index)
                    .and_then(Option::as_ref)
                    .unwrap_or(&self.default_policy);
                let identity = Identity {
                    group: entry.and_then(|e| e.group()).or(base.group),
                    age: entry.and_then(|e| e.age()).or(base.age),
                    device: entry.and_then(|e| e.device()).or(base.device),
                    ..base
                };
                (policy, identity)
            }
        }
    }
}

/// The engine set in service, swapped whole.
pub(crate) type Current = Arc<RwLock<Arc<Engines>>>;

/// The set in service now.
pub(crate) fn in_service(current: &Current) -> Arc<Engines> {
    match current.read() {
        Ok(guard) => Arc::clone(&guard),
        // A writer panicked mid-swap: the Arc inside is still whole.
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    }
}

/// Puts `engines` in service.
pub(crate) fn swap(current: &Current, engines: Engines) {
    let engines = Arc::new(engines);
    match current.write() {
        Ok(mut guard) => *guard = engines,
        Err(poisoned) => *poisoned.into_inner() = engines,
    }
}
