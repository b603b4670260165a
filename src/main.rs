//! The `qualkit` binary: run the CLI and map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            cli::output::report(&error);
            ExitCode::from(2)
        }
    }
}
