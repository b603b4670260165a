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
    // before any other thread starts: they inherit the signals blocked
    #[cfg(unix)]
    clean_up_when_stopped();
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            cli::output::report(&error);
            ExitCode::from(2)
        }
    }
}

/// On Ctrl-C (SIGINT), SIGTERM or SIGHUP, remove the work in progress (a run's staging
/// folder, a half-built index, a re-code's temporary codings.csv: hundreds of megabytes in a
/// large study), then end as the signal ends a process. Without this, what a stopped command
/// was writing stayed until the next write of the same output removed it.
///
/// The signals are blocked in every thread (this one's mask is inherited by those it starts)
/// and waited for by a thread of their own, where removing files is safe, as it is not in a
/// signal handler. Best effort: where they cannot be blocked, a signal ends the process as
/// before.
#[cfg(unix)]
fn clean_up_when_stopped() {
    const STOPPING: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];
    // SAFETY: zeroed sigset_t and sigaction are valid values to fill (sigemptyset, a query
    // of sigaction with no new action); both live on this stack for the calls, and the
    // waiting thread gets its own copy of the set.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        let mut waited = 0;
        for signal in STOPPING {
            let mut current: libc::sigaction = std::mem::zeroed();
            // one ignored (`nohup`, a script's background job) stays ignored: blocked, Linux
            // would queue it for `sigwait` all the same
            let ignored = libc::sigaction(signal, std::ptr::null(), &mut current) == 0
                && current.sa_sigaction == libc::SIG_IGN;
            if !ignored {
                libc::sigaddset(&mut set, signal);
                waited += 1;
            }
        }
        if waited == 0 || libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    let waiting = std::thread::Builder::new().name("signals".into()).spawn(move || {
        let mut signal: libc::c_int = 0;
        // SAFETY: `set` and `signal` outlive the call.
        if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
            return;
        }
        qualkit::files::remove_work_in_progress();
        // SAFETY: the default action, unblocked in this thread, then raised in it: the
        // process ends as the signal ends it (a shell shows Ctrl-C as it always does)
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            let mut only: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut only);
            libc::sigaddset(&mut only, signal);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &only, std::ptr::null_mut());
            libc::raise(signal);
        }
        std::process::exit(128 + signal);
    });
    if waiting.is_err() {
        // SAFETY: as above; nothing waits for the signals, so they end the process again
        unsafe {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
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

// mimalloc's option calls, linked with the allocator above (libmimalloc-sys declares them
// only with its `extended` feature, and does not name the option below).
unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay`: how many milliseconds mimalloc keeps freed memory before it
/// hands it back to the system (the 16th option of `mi_option_e` in mimalloc 3's
/// `include/mimalloc.h`, as built by libmimalloc-sys 0.1.49).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// The purge delay's default (`src/options.c`; the header's comment says 10).
const DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// How long (milliseconds) mimalloc keeps freed memory for reuse in a large study, once it
/// is indexed ([`hand_memory_back_soon`]).
const LARGE_STUDY_PURGE_DELAY: std::ffi::c_long = 250;

/// Have mimalloc hand freed memory back to the system after a quarter of a second, not a
/// second: called for large studies once their index is ready, where memory matters more
/// than a few percent of time. Coding and the outputs free large amounts as they go (the
/// rule matches as codings are made, the analyses' working lists), and what mimalloc kept
/// for reuse was about 200 MB of a 1 GB study's peak when the peak was 1.9 GB
/// (benches/RESULTS.md, nineteenth round). Handing it back at once (no delay), as was
/// done from then to the twenty-sixth round, madvises every page the moment it empties:
/// each call stops the other core to flush its TLB, a quarter of a 1 GB cold run's
/// matching phase, and the pages are faulted in and zeroed again when next used. With a
/// quarter of a second, at 1 GB, alternated (twenty-seventh round): cold run system time
/// 14–18 → 6.0 s and 44–48 → 37–38 s, peak 0.83–0.84 → 0.85 GB; warm run 15.3–17.1 →
/// 14.8–14.9 s, peak 0.70 → 0.72–0.73 GB (the default second: 0.90 GB). Smaller studies
/// keep the default. Only when the option still reads as its default, so a different
/// build of mimalloc numbering options otherwise, or a `MIMALLOC_PURGE_DELAY` set in the
/// environment, is left alone.
pub fn hand_memory_back_soon() {
    // SAFETY: plain calls taking and returning integers; an option number mimalloc does
    // not know is ignored by it.
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == DEFAULT_PURGE_DELAY {
            mi_option_set(MI_OPTION_PURGE_DELAY, LARGE_STUDY_PURGE_DELAY);
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The option numbered as the purge delay is mimalloc's purge delay: it reads as that
    /// option's default (1 s) until set, and as what it was set to after.
    #[test]
    fn the_purge_delay_is_the_option_set() {
        // SAFETY: as in `hand_memory_back_soon`.
        let before = unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(before, super::DEFAULT_PURGE_DELAY, "mimalloc's default purge delay");
        }
        super::hand_memory_back_soon();
        let after = unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        let expected = if before == super::DEFAULT_PURGE_DELAY {
            super::LARGE_STUDY_PURGE_DELAY
        } else {
            before
        };
        assert_eq!(after, expected);
    }

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
