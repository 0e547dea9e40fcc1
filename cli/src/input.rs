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
    let mut stdin = io::stdin().lock();
    let mut buf = Vec::new();
    for number in 1.. {
        let line = read_url_line(&mut stdin, &mut buf)
            .with_context(|| format!("reading standard input, line {number}"))?;
        let Some(line) = line else { break };
        if !line.trim().is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

/// The next line of `reader` (without its `\n` or `\r\n`) as URL text, or
/// `None` at the end.
///
/// A line is bytes, not necessarily UTF-8 (a log file, a request line Squid
/// copied off the network): bytes that are not UTF-8 are written `%XX`
/// ([`esafety::url::escape_invalid_utf8`]), which canonicalizes exactly as
/// the raw bytes would, rather than ending the whole run at that line.
pub(crate) fn read_url_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
) -> io::Result<Option<String>> {
    buf.clear();
    if reader.read_until(b'\n', buf)? == 0 {
        return Ok(None);
    }
    let line = buf.strip_suffix(b"\n").unwrap_or(buf);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(Some(esafety::url::escape_invalid_utf8(line).into_owned()))
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
    #[arg(long, value_name = "N", value_parser = parse_age)]
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

// The user's values are read by the core's request validator, so `--age`,
// `--device` and `--at` are refused with the words every face uses.

/// Parses `--age N`.
fn parse_age(s: &str) -> Result<u8, String> {
    let years = s.trim().parse::<i64>().map_err(|_| {
        esafety::policy::RequestError::Age {
            given: format!("`{}`", esafety::policy::echo_prefix(s)),
        }
        .to_string()
    })?;
    esafety::policy::context::age_from_years(years).map_err(|e| e.to_string())
}

/// Parses `--device managed|byod`.
pub(crate) fn parse_device(s: &str) -> Result<esafety::policy::Device, String> {
    esafety::policy::context::device_from_name(s).map_err(|e| e.to_string())
}

/// Parses `--at RFC3339`.
pub(crate) fn parse_time(s: &str) -> Result<jiff::Timestamp, String> {
    esafety::policy::context::time_from_rfc3339(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_lines_are_bytes_with_invalid_utf8_escaped() {
        let input: &[u8] = b"http://a.test/\xff\r\n\nhttp://b.test/\xc3\xa9\nlast";
        let mut reader = input;
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        while let Some(line) = read_url_line(&mut reader, &mut buf).unwrap_or_default() {
            lines.push(line);
        }
        assert_eq!(
            lines,
            ["http://a.test/%FF", "", "http://b.test/\u{e9}", "last"]
        );
    }
}
