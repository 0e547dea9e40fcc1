//! `esafety site lint [--json] SITE...` and `esafety site import
//! squidguard.conf [--name NAME] [-o SITE]`
//!
//! `lint` checks site files with [`esafety::record::site::lint_with_policies`]
//! (each entry's policy must load; paths are relative to the site file);
//! exit 1 when a finding is an error. `import` writes the site file of a
//! squidGuard configuration's `src` blocks
//! ([`esafety::record::site::import_squidguard`]); `iplist` and `userlist`
//! files are read relative to its `dbhome`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use esafety::record::site::{import_squidguard, lint_with_policies};

/// Arguments of `esafety site`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Check site files: overlapping ranges, unreachable entries, a missing catch-all, policies that do not load.
    ///
    /// Entries are indexed by address range and user, so each is compared
    /// only with the earlier catch-alls and the entries covering, overlapping
    /// or naming what it matches: about O(n·(log n + k)) for n entries, k
    /// the largest such set, plus the findings, not O(n²).
    Lint {
        /// Print one JSON object per file: `{"file", "findings": [...]}`.
        #[arg(long)]
        json: bool,
        /// Site files (TOML).
        #[arg(required = true)]
        sites: Vec<PathBuf>,
    },
    /// Write a site file from the `src` blocks of a squidGuard configuration.
    Import {
        /// The squidGuard configuration (squidGuard.conf).
        config: PathBuf,
        /// The site's name (default: the configuration's file stem).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Where to write the site file (default: standard output).
        #[arg(short = 'o', long, value_name = "SITE")]
        output: Option<PathBuf>,
    },
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Lint { json, sites } => lint(json, &sites),
        Command::Import {
            config,
            name,
            output,
        } => import(&config, name, output.as_deref()),
    }
}

fn lint(json: bool, sites: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let (mut errors, mut unreadable) = (false, false);
    for path in sites {
        let file = path.display().to_string();
        let text = match crate::input::read_document(path) {
            Ok(t) => t,
            Err(e) => {
                out.flush()?;
                eprintln!("esafety: cannot read site file `{file}`: {e}");
                unreadable = true;
                continue;
            }
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let findings = lint_with_policies(&file, &text, |policy| {
            crate::input::read_document(&base.join(policy)).map_err(|e| e.to_string())
        });
        errors |= crate::cmd::lint::write_findings(&mut out, file, findings, json)?;
    }
    out.flush()?;
    Ok(crate::cmd::lint::exit_code(unreadable, errors))
}

fn import(config: &Path, name: Option<String>, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let source = config.display().to_string();
    let text = crate::input::read_document(config)
        .with_context(|| format!("cannot read squidGuard configuration `{source}`"))?;
    let name = name.unwrap_or_else(|| {
        config
            .file_stem()
            .map_or_else(|| "site".to_owned(), |s| s.to_string_lossy().into_owned())
    });
    let site = import_squidguard(&source, &text, &name, |path| {
        crate::input::read_document(Path::new(path)).map_err(|e| e.to_string())
    })?;
    match output {
        Some(path) => std::fs::write(path, site)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            out.write_all(site.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
