//! The `qualkit` binary: run the CLI and map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

// mimalloc: rayon's threads allocate and free millions of small objects (codings, their
// evidence, words); glibc's allocator spent twice the system time returning and refetching
// pages (1 GB study: 89 s → 70 s, the same peak memory; benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_transparent_huge_pages();
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            cli::output::report(&error);
            ExitCode::from(2)
        }
    }
}

/// Ask Linux not to back this process's memory with transparent huge pages.
///
/// mimalloc asks for them (`madvise(MADV_HUGEPAGE)`) where the system allows it, and a run
/// touches most of its memory once: each first touch of a 2 MiB page then zeroes (and may
/// first compact) 2 MiB, and memory mimalloc hands back is faulted in again 2 MiB at a
/// time. At 100 MB: cold run 7.5 → 6.9 s, system time 2.5 → 1.1 s, 50 MB less resident
/// (benches/RESULTS.md, eighth round). Best effort: a kernel without the setting is no worse.
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn transparent_huge_pages_are_turned_off_for_the_process() {
        super::without_transparent_huge_pages();
        // SAFETY: PR_GET_THP_DISABLE takes plain integers and touches no memory of ours.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
