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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Canonicalize(args) => cmd::canonicalize::run(args),
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
