//! Input and output plumbing shared by the subcommands.

use std::io::{self, BufRead};
use std::path::PathBuf;

use anyhow::Context;

/// The inputs of a command: its arguments, or (when there are none) one per
/// non-empty line of standard input.
pub(crate) fn lines_or_stdin(args: Vec<String>) -> anyhow::Result<Vec<String>> {
    if !args.is_empty() {
        return Ok(args);
    }
    let mut out = Vec::new();
    for (i, line) in io::stdin().lock().lines().enumerate() {
        let line = line.with_context(|| format!("reading standard input, line {}", i + 1))?;
        let line = line.trim_end_matches(['\r', '\n']);
        if !line.trim().is_empty() {
            out.push(line.to_owned());
        }
    }
    Ok(out)
}

/// Whether an error chain ends in a broken pipe (the reader went away:
/// `esafety classify | head` is not a failure).
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `--policy` and `--bundle`: what every deciding command loads.
#[derive(clap::Args, Debug)]
pub(crate) struct EngineArgs {
    /// The policy (TOML or JSON).
    #[arg(long, value_name = "POLICY")]
    pub(crate) policy: PathBuf,
    /// A compiled bundle (default: the built-in sample bundle).
    #[arg(long, value_name = "BUNDLE")]
    pub(crate) bundle: Option<PathBuf>,
}

impl EngineArgs {
    /// Reads the policy and the bundle (default: the built-in sample
    /// bundle) into an engine.
    pub(crate) fn load(&self) -> anyhow::Result<esafety::policy::Engine> {
        let source = self.policy.display().to_string();
        let text = std::fs::read_to_string(&self.policy)
            .with_context(|| format!("cannot read policy `{source}`"))?;
        let policy = esafety::policy::Policy::load(&source, &text)?;
        let bundle = crate::cmd::classify::load_bundle(self.bundle.as_deref())?;
        Ok(esafety::policy::Engine::new(bundle, policy))
    }
}

/// `--group`, `--age`, `--device`: who is asking.
#[derive(clap::Args, Debug)]
pub(crate) struct UserArgs {
    /// The user's group, e.g. `pupils` or `staff`.
    #[arg(long, value_name = "G")]
    pub(crate) group: Option<String>,
    /// The user's age in years.
    #[arg(long, value_name = "N")]
    pub(crate) age: Option<u8>,
    /// The kind of device.
    #[arg(long, value_name = "managed|byod", value_parser = parse_device)]
    pub(crate) device: Option<esafety::policy::Device>,
}

impl UserArgs {
    /// The decision context for a request made at `time`.
    pub(crate) fn context(&self, time: jiff::Timestamp) -> esafety::policy::Context<'_> {
        esafety::policy::Context {
            group: self.group.as_deref(),
            age: self.age,
            device: self.device,
            time,
        }
    }
}

/// Parses `--device managed|byod`.
pub(crate) fn parse_device(s: &str) -> Result<esafety::policy::Device, String> {
    s.parse()
}
