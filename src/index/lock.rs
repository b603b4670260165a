//! Who may open, update or build one unit's index at a time.
//!
//! Several qualkit processes may use one study at once (`run` holds the study's lock, but
//! `search`, `code` and the analysis commands do not). Updating an index in place changes
//! its folder file by file, and a fresh build replaces the folder, so each process opens the
//! index holding an operating-system lock on `<unit>.lock` beside the folder: shared to open
//! an index found up to date, exclusive to update or build one. Once open, an index needs
//! no lock: its files are mapped and its table read, and tantivy never changes a file it
//! wrote, so another process's update or build leaves what is open as it was.
//!
//! The lock file stays: removing a locked file lets the next process lock a new file of the
//! same name while the old one is still held. Where the file system keeps no locks (or the
//! lock file cannot be made, as in a study folder that cannot be written) the index is
//! opened as it was before there were locks.

use std::path::{Path, PathBuf};

/// How a process holds the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// Opening an index found up to date: any number of processes at once.
    Shared,
    /// Updating or building: one process, and nobody opening.
    Exclusive,
}

/// Told before a process waits for another's lock on an index (held shared by processes
/// opening an index found up to date, exclusive by one updating or building it): the lock
/// file's path.
pub type Waiting<'a> = &'a mut dyn FnMut(&Path);

/// A lock on one unit's index, let go when dropped (none where locks cannot be had).
#[derive(Debug)]
pub(super) struct IndexLock {
    _file: Option<std::fs::File>,
}

impl IndexLock {
    /// The lock file of the index in `dir`: beside it, as a fresh build replaces the folder.
    pub(super) fn path(dir: &Path) -> PathBuf {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        dir.with_file_name(format!("{name}.lock"))
    }

    /// Take the lock on the index in `dir` for `access`, calling `waiting` first if another
    /// process holds it.
    pub(super) fn take(dir: &Path, access: Access, waiting: Waiting<'_>) -> IndexLock {
        let path = IndexLock::path(dir);
        let Some(file) = open(&path) else { return IndexLock { _file: None } };
        let tried = match access {
            Access::Shared => file.try_lock_shared(),
            Access::Exclusive => file.try_lock(),
        };
        let held = match tried {
            Ok(()) => true,
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting(&path);
                // (a signal ends the wait early: waited for again, not given up)
                loop {
                    let waited = match access {
                        Access::Shared => file.lock_shared(),
                        Access::Exclusive => file.lock(),
                    };
                    match waited {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        waited => break waited.is_ok(),
                    }
                }
            }
            Err(std::fs::TryLockError::Error(_)) => false,
        };
        IndexLock { _file: held.then_some(file) }
    }
}

/// The lock file at `path`, made if missing (with its folder), open for reading and
/// writing: NFS takes a shared lock only on a file open for reading, and an exclusive one
/// only on a file open for writing. Opened for reading alone where it cannot be written.
fn open(path: &Path) -> Option<std::fs::File> {
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let mut options = std::fs::OpenOptions::new();
    let both = options.read(true).write(true).create(true).truncate(false).open(path);
    both.or_else(|_| std::fs::File::open(path)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_holders_share_and_an_exclusive_one_waits_for_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = dir.path().join("index").join("sentence");
        let path = IndexLock::path(&index);
        assert_eq!(path, dir.path().join("index").join("sentence.lock"));
        let mut waited = Vec::new();
        let first = IndexLock::take(&index, Access::Shared, &mut |p| waited.push(p.to_owned()));
        if first._file.is_none() {
            eprintln!("skipped: the temporary folder's file system keeps no locks");
            return;
        }
        let second = IndexLock::take(&index, Access::Shared, &mut |p| waited.push(p.to_owned()));
        assert!(second._file.is_some());
        assert!(waited.is_empty(), "shared holders do not wait for each other");
        // an exclusive holder on another thread waits until both are let go
        let (told, heard) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let lock = IndexLock::take(&index, Access::Exclusive, &mut |p| {
                told.send(p.to_owned()).expect("send");
            });
            lock._file.is_some()
        });
        let waited_on = heard.recv().expect("the exclusive taker is told it waits");
        assert_eq!(waited_on, path);
        drop(first);
        drop(second);
        assert!(waiter.join().expect("join"), "taken once the shared holders let go");
        assert!(path.exists(), "the lock file stays");
    }
}
