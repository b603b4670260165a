//! The `qualkit` binary: run the CLI and map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

// mimalloc: rayon's threads allocate and free millions of small objects (codings, their
// evidence, words); glibc's allocator spent twice the system time returning and refetching
// pages (1 GB study: 89 s → 70 s, the same peak memory; benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // best effort (see below)
    let _ = without_transparent_huge_pages();
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            cli::output::report(&error);
            ExitCode::from(2)
        }
    }
}

/// Ask Linux not to back this process's memory with transparent huge pages; whether it
/// agreed.
///
/// mimalloc asks for them (`madvise(MADV_HUGEPAGE)`) where the system allows it, and a run
/// touches most of its memory once: each first touch of a 2 MiB page then zeroes (and may
/// first compact) 2 MiB, and memory mimalloc hands back is faulted in again 2 MiB at a
/// time. At 100 MB, four alternating pairs: cold run 7.53–8.02 → 7.19–7.33 s, system time
/// 2.4–3.1 → 1.3–1.4 s, 40 MB less resident (benches/RESULTS.md, eighth round). Best
/// effort: where the kernel refuses, the run goes on as before.
fn without_transparent_huge_pages() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl reads its variadic arguments as unsigned longs, passed as such;
        // PR_SET_THP_DISABLE touches no memory of ours.
        let set = unsafe {
            let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
            libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused)
        };
        set == 0
    }
    #[cfg(not(target_os = "linux"))]
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn transparent_huge_pages_are_turned_off_for_the_process() {
        assert!(super::without_transparent_huge_pages(), "the kernel refused");
        // SAFETY: as above; PR_GET_THP_DISABLE takes no further arguments.
        let unused: libc::c_ulong = 0;
        let disabled =
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, unused, unused, unused, unused) };
        assert_eq!(disabled, 1);
    }
}
