//! The `immuno-ls` binary: the command line, and (with no command) the language server.

use std::process::ExitCode;

use clap::Parser;
use immuno_ls::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => cli::run(Command::Serve),
    }
}
