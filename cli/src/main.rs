//! The `esafety` command line. Each subcommand lives in `cmd/<name>.rs`;
//! this file only parses arguments and maps errors to exit codes
//! (0 success, 1 input found wanting, 2 bad usage or unreadable input).
#![forbid(unsafe_code)]

mod cmd;
mod input;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// esafety: the UK child online-safety standard as code.
#[derive(Parser, Debug)]
#[command(name = "esafety", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Canonicalize URLs the way Google Safe Browsing does and list their lookup expressions.
    Canonicalize(cmd::canonicalize::Args),
    /// Compile category lists (any supported format) into a bundle.
    Compile(cmd::compile::Args),
    /// Compile an Acceptable Use Policy (TOML or JSON) into the JSON every build reads.
    CompilePolicy(cmd::compile_policy::Args),
    /// Classify URLs against a compiled bundle (default: the built-in sample bundle).
    Classify(cmd::classify::Args),
    /// Assess an incident: severity, who to call in what order, what to do and not do.
    Incident(cmd::incident::Args),
    /// Decide URLs under an Acceptable Use Policy (classify + evaluate).
    Check(cmd::check::Args),
    /// Check Acceptable Use Policies against the minimum standards.
    ///
    /// Rules are compared through an index of what they test (categories,
    /// lists, groups, days, device, hours), each only with the earlier rules
    /// that can cover or overlap it: about O(n·k) for n rules, k the rules
    /// sharing a rule's rarest condition, not O(n²).
    Lint(cmd::lint::Args),
    /// Make a signing key pair for bundles and policies (KEY and KEY.pub).
    Keygen(cmd::sign::KeygenArgs),
    /// Sign files (bundles, policies) with a secret key: writes FILE.sig.
    Sign(cmd::sign::SignArgs),
    /// Check files' signatures (FILE.sig) against a public key.
    Verify(cmd::sign::VerifyArgs),
    /// Score a text against e2guardian phrase lists, as e2guardian scores a page.
    Scan(cmd::scan::Args),
    /// Answer Squid's external ACL or URL rewrite helper protocol on stdin/stdout.
    SquidHelper(cmd::squid_helper::Args),
    /// Check site files, or import one from a squidGuard configuration.
    Site(cmd::site::Args),
    /// Report on decision logs for the safeguarding lead: HTML page, JSON summary or CSV tables.
    Report(cmd::report::Args),
    /// Write a bundle and a policy as browser declarativeNetRequest rules for one user.
    Dnr(cmd::dnr::Args),
    /// Write an Acceptable Use Policy as the HTML document users and carers sign (prints on A4).
    Aup(cmd::aup::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Canonicalize(args) => cmd::canonicalize::run(args),
        Command::Compile(args) => cmd::compile::run(args),
        Command::CompilePolicy(args) => cmd::compile_policy::run(args),
        Command::Classify(args) => cmd::classify::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Lint(args) => cmd::lint::run(args),
        Command::Incident(args) => cmd::incident::run(args),
        Command::Scan(args) => cmd::scan::run(args),
        Command::SquidHelper(args) => cmd::squid_helper::run(args),
        Command::Site(args) => cmd::site::run(args),
        Command::Keygen(args) => cmd::sign::keygen(args),
        Command::Sign(args) => cmd::sign::sign(args),
        Command::Verify(args) => cmd::sign::verify(args),
        Command::Dnr(args) => cmd::dnr::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Aup(args) => cmd::aup::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) if input::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("esafety: {err:#}");
            ExitCode::from(2)
        }
    }
}
