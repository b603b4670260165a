//! The `qualkit` binary: run the CLI and map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

// mimalloc: rayon's threads allocate and free millions of small objects (codings, their
// evidence, words); glibc's allocator spent twice the system time returning and refetching
// pages (1 GB study: 89 s → 70 s, the same peak memory; benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            cli::output::report(&error);
            ExitCode::from(2)
        }
    }
}
