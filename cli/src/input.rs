//! Input and output plumbing shared by the subcommands.

use std::io::{self, BufRead};

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

/// Reads the policy at `path` and the bundle at `bundle` (default: the
/// built-in sample bundle) into an engine.
pub(crate) fn load_engine(
    policy: &std::path::Path,
    bundle: Option<&std::path::Path>,
) -> anyhow::Result<esafety::policy::Engine> {
    let source = policy.display().to_string();
    let text = std::fs::read_to_string(policy)
        .with_context(|| format!("cannot read policy `{source}`"))?;
    let policy = esafety::policy::Policy::load(&source, &text)?;
    let bundle = crate::cmd::classify::load_bundle(bundle)?;
    Ok(esafety::policy::Engine::new(bundle, policy))
}

/// Parses `--device managed|byod`.
pub(crate) fn parse_device(s: &str) -> Result<esafety::policy::Device, String> {
    s.parse()
}
