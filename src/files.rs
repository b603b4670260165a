//! Files a run writes, and the processes that write them: new folders written whole
//! (staging folder renamed into place) and whether a process that left a lock or a
//! staging folder is still running. Used by the index cache, `run`, `import refi` and
//! `anonymise`.

use sha2::{Digest, Sha256};

use crate::error::Result;

/// Fill `buffer` from `file` at `offset`, leaving the file's position alone, so that several
/// threads can read one file at once.
///
/// # Errors
/// The file ends before the buffer is full, or cannot be read.
pub fn read_at(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
    }
    #[cfg(windows)]
    {
        let (mut filled, mut at) = (0, offset);
        while filled < buffer.len() {
            match std::os::windows::fs::FileExt::seek_read(file, &mut buffer[filled..], at)? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => (filled, at) = (filled + n, at + n as u64),
            }
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, buffer, offset);
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// Write all of `bytes` into `file` at `offset`, leaving the file's position alone.
///
/// # Errors
/// The file cannot be written.
pub fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(windows)]
    {
        let (mut written, mut at) = (0, offset);
        while written < bytes.len() {
            match std::os::windows::fs::FileExt::seek_write(file, &bytes[written..], at)? {
                0 => return Err(std::io::ErrorKind::WriteZero.into()),
                n => (written, at) = (written + n, at + n as u64),
            }
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, bytes, offset);
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// What a file's metadata says of its contents, as git's index keeps it: the length, the
/// times of the last write and (on unix) of the last change of any kind, to the second and
/// nanosecond, and the inode and device. Writing a file changes its stamp, unless the write
/// falls in the same tick of the clock as the stamp was taken (the kernel stamps files with a
/// coarse clock): callers that trust an unchanged stamp guard against that themselves, and
/// trust it only through [`Stamp::unchanged`], which elsewhere than unix (no change time, no
/// inode: a copy can keep a file's length and write time) never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp(pub [u64; 7]);

impl Stamp {
    /// The stamp of a file with `metadata`.
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = metadata;
            // times before 1970 wrap: only equality matters
            Stamp([
                m.len(),
                m.mtime() as u64,
                m.mtime_nsec() as u64,
                m.ctime() as u64,
                m.ctime_nsec() as u64,
                m.ino(),
                m.dev(),
            ])
        }
        #[cfg(not(unix))]
        {
            let since = |time: std::io::Result<std::time::SystemTime>| {
                time.ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .unwrap_or_default()
            };
            let (modified, created) = (since(metadata.modified()), since(metadata.created()));
            Stamp([
                metadata.len(),
                modified.as_secs(),
                u64::from(modified.subsec_nanos()),
                created.as_secs(),
                u64::from(created.subsec_nanos()),
                0,
                0,
            ])
        }
    }

    /// Whether this stamp, taken now, says the file is as it was when `then` was taken:
    /// equal stamps, on unix only.
    pub fn unchanged(&self, then: &Stamp) -> bool {
        cfg!(unix) && self == then
    }

    /// Whether the file was last written or changed two to three seconds or more before
    /// `time` (compared in whole seconds): its stamp, taken after `time`, then says the file
    /// is unchanged whatever the clock's tick (git's "racily clean" entries are those that
    /// are not).
    pub fn settled_before(&self, time: std::time::SystemTime) -> bool {
        let Ok(since) = time.duration_since(std::time::UNIX_EPOCH) else { return false };
        let limit = since.as_secs().saturating_sub(2);
        let [_, modified, _, changed, ..] = self.0;
        // a time before 1970 reads as huge (wrapped), never as settled
        modified < limit && changed < limit
    }
}

/// Whether process `pid` is running: it exists and is not a zombie (a killed run whose
/// parent has not reaped it still has a `/proc` entry, but holds nothing).
pub fn process_alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    // the state follows the command name, which is in parentheses and may contain spaces
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next());
    !matches!(state, Some('Z' | 'X'))
}

/// What a lock file's name adds to the name of the work it claims.
const LOCK_SUFFIX: &str = ".lock";

/// The work of this process's live [`Temporary`]s and their lock files, for
/// [`remove_work_in_progress`].
static IN_PROGRESS: std::sync::Mutex<Vec<(std::path::PathBuf, Option<std::path::PathBuf>)>> =
    std::sync::Mutex::new(Vec::new());

/// The list of work in progress, whatever a thread that panicked holding it left.
fn in_progress()
-> std::sync::MutexGuard<'static, Vec<(std::path::PathBuf, Option<std::path::PathBuf>)>> {
    IN_PROGRESS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Remove the work of every live [`Temporary`] of this process and its lock file: for a
/// process stopped by a signal (Ctrl-C), which ends without dropping them. The last thing
/// a process does, called once: no [`Temporary`] is claimed, put in place or dropped after
/// it (each waits for the process to end), so none makes work that would be left. Work that cannot be removed
/// stays, claimed by a lock the system lets go, for the next write of it to remove.
pub fn remove_work_in_progress() {
    let list = in_progress();
    for (work, lock) in list.iter() {
        // a thread writing into a folder as it is removed can add a file after the folder
        // was listed: removed again (once the folder is gone, nothing makes it again)
        let removed = (0..10).any(|_| remove_entry(work).is_ok());
        if removed && let Some(lock) = lock {
            let _ = std::fs::remove_file(lock);
        }
    }
    // held until the process ends
    std::mem::forget(list);
}

/// Make `folder` and the folders between it and `root`, which must be there: a folder of
/// work that [`remove_work_in_progress`] removed is not made again by a thread writing in it.
///
/// # Errors
/// `root` is not there, or a folder cannot be made.
pub fn create_dir_below(root: &std::path::Path, folder: &std::path::Path) -> std::io::Result<()> {
    let mut path = root.to_path_buf();
    let below = folder.strip_prefix(root).map_err(|_| {
        std::io::Error::other(format!("{} is not inside {}", folder.display(), root.display()))
    })?;
    if !root.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "the folder was removed"));
    }
    for part in below.components() {
        path.push(part);
        match std::fs::create_dir(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Work in progress under a temporary name beside where it goes, in a folder shared with
/// other processes doing the same work: `prefix` and a tag, this process's id (and `-N`
/// where another process of that id, on another machine or in another container, holds
/// that name). The work is claimed by an operating-system lock on a file beside it (its name
/// and `.lock`) held for as long as this lives. The system lets the lock go when the process
/// ends, however it ends, so another process can tell work in progress from what a killed
/// process left without asking which processes run: it could not ask of a process on
/// another machine sharing the folder over NFS, in another container, or hidden by
/// `hidepid`, and a process id can be used again. Dropped, it removes whatever is still at
/// its path (work renamed into place is not; a large one by a process of its own,
/// [`remove_replaced`]) and then the lock file.
#[derive(Debug)]
pub struct Temporary {
    path: std::path::PathBuf,
    tag: String,
    /// The lock file, locked where the file system keeps locks; none where it cannot be
    /// made, which leaves the work to be written (or to fail) as it would without one.
    claim: Option<(std::path::PathBuf, std::fs::File)>,
}

impl Temporary {
    /// Claim a name `prefix`+tag in `dir`, after removing what processes killed while doing
    /// the same work left in `dir` ([`remove_leftovers_of_killed`]) and anything left at
    /// the name claimed (a failure of this process's, or a killed process's of the same id).
    ///
    /// # Errors
    /// What is left at the name claimed cannot be removed.
    pub fn claim(dir: &std::path::Path, prefix: &str) -> std::io::Result<Temporary> {
        Temporary::claim_making(dir, prefix, |_| Ok(())).map(|(work, ())| work)
    }

    /// [`Temporary::claim`], the work begun by `make` (given its path: a file made, a
    /// folder) as it is claimed, so that a command stopped meanwhile leaves neither
    /// ([`remove_work_in_progress`]); and what `make` returned.
    ///
    /// # Errors
    /// What is left at the name claimed cannot be removed, or `make` fails.
    pub fn claim_making<T>(
        dir: &std::path::Path,
        prefix: &str,
        make: impl FnOnce(&std::path::Path) -> std::io::Result<T>,
    ) -> std::io::Result<(Temporary, T)> {
        remove_leftovers_of_killed(dir, prefix);
        let pid = std::process::id();
        let mut others = 0;
        // claimed, begun and listed in one step
        let mut list = in_progress();
        for _ in 0..64 {
            let tag = if others == 0 { pid.to_string() } else { format!("{pid}-{others}") };
            let path = dir.join(format!("{prefix}{tag}"));
            let lock_path = lock_of(&path);
            let claim = match take_claim(&lock_path) {
                Claim::Taken(file) => Some((lock_path, file)),
                Claim::Unmade => None,
                // a process of this id elsewhere holds the name
                Claim::Held => {
                    others += 1;
                    continue;
                }
                Claim::Replaced => continue,
            };
            let lock_path = claim.as_ref().map(|(lock_path, _)| lock_path.clone());
            let made = remove_entry(&path).and_then(|()| make(&path));
            let made = match made {
                Ok(made) => made,
                Err(e) => {
                    if let Some(lock_path) = &lock_path {
                        let _ = std::fs::remove_file(lock_path);
                    }
                    return Err(e);
                }
            };
            list.push((path.clone(), lock_path));
            return Ok((Temporary { path, tag, claim }, made));
        }
        Err(std::io::Error::other(format!("{}: could not claim a temporary name", dir.display())))
    }

    /// Put the work in place with `put` (given its path: renames), which a command stopped
    /// meanwhile lets finish before it removes its work in progress: removing a folder
    /// renamed into place while it is removed would remove the outputs put in place.
    ///
    /// # Errors
    /// What `put` fails with.
    pub fn put_in_place<T>(
        &self,
        put: impl FnOnce(&std::path::Path) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let _list = in_progress();
        put(&self.path)
    }

    /// Where the work goes until it is put in place.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// What follows the prefix in the work's name: other work of the same process and
    /// purpose (`run`'s previous outputs moved aside) is named with it.
    pub fn tag(&self) -> &str {
        &self.tag
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        // what is left is failed work, or what the work replaced (exchanged into its name)
        remove_replaced(&self.path);
        // removed while locked: a process that opened it meanwhile finds on locking it that
        // it is no longer the file at this name, and leaves the work alone
        if let Some((lock_path, _)) = &self.claim {
            let _ = std::fs::remove_file(lock_path);
        }
        // listed until removed: a command stopped meanwhile removes the rest
        let mut list = in_progress();
        if let Some(at) = list.iter().position(|(work, _)| *work == self.path) {
            list.swap_remove(at);
        }
    }
}

/// What trying to claim a name came to.
enum Claim {
    /// The lock file, locked (or kept as made where the file system keeps no locks).
    Taken(std::fs::File),
    /// Another process holds the lock.
    Held,
    /// The file locked was removed or replaced meanwhile (its holder was done): try again.
    Replaced,
    /// The lock file cannot be made (a folder not writable).
    Unmade,
}

/// Lock the lock file at `lock_path`, made if it is not there.
fn take_claim(lock_path: &std::path::Path) -> Claim {
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path)
    else {
        return Claim::Unmade;
    };
    match file.try_lock() {
        Ok(()) if same_file(&file, lock_path) => Claim::Taken(file),
        Ok(()) => Claim::Replaced,
        Err(std::fs::TryLockError::WouldBlock) => Claim::Held,
        // a file system that keeps no locks: the lock file marks the work as claimed, and
        // others judge it by its process id ([`ended_claim`])
        Err(std::fs::TryLockError::Error(_)) => Claim::Taken(file),
    }
}

/// The lock file claiming the work at `work`.
fn lock_of(work: &std::path::Path) -> std::path::PathBuf {
    let mut name = work.as_os_str().to_os_string();
    name.push(LOCK_SUFFIX);
    std::path::PathBuf::from(name)
}

/// Remove the file, link (never followed) or folder at `path`, if there is one.
fn remove_entry(path: &std::path::Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(found) if found.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// What a name adds to the name of something replaced and set aside to be removed
/// ([`remove_replaced`]).
const REPLACED_SUFFIX: &str = ".replaced";

/// Replaced files or folders this large or larger are removed by a process of their own.
/// Removing a file frees its blocks, and that waits on the disk: 0.12–0.22 s for a 255 MB
/// codings.csv on an ext4 mounted with `discard`, which a command would otherwise spend at
/// its end, after its work is done, with nothing to overlap it.
const REMOVED_APART_FROM: u64 = 32 << 20;

/// Remove the file, link or folder at `path`, if there is one: one this large or larger
/// (32 MB, `REMOVED_APART_FROM`) renamed beside itself (its name and `.replaced`) and removed by
/// an `rm` of its own, which this process does not wait for; one smaller, or where that cannot
/// be done, removed here. An `rm` stopped before it is done (the machine shut down) leaves
/// the rest for the next command that writes beside it ([`remove_leftovers_of_killed`]).
pub fn remove_replaced(path: &std::path::Path) {
    remove_replaced_by(path, REMOVED_APART_FROM, REMOVER);
}

/// The command that removes what is replaced apart from the process that replaced it: an
/// `rm` is on every unix.
const REMOVER: &[&str] = &["rm", "-rf", "--"];

/// [`remove_replaced`], removing apart what is `apart_from` bytes or larger by running
/// `remover` with its path added.
fn remove_replaced_by(path: &std::path::Path, apart_from: u64, remover: &[&str]) {
    if size_up_to(path, apart_from) < apart_from {
        let _ = remove_entry(path);
        return;
    }
    let mut aside = path.as_os_str().to_os_string();
    aside.push(REPLACED_SUFFIX);
    // named absolutely: the remover is not told this process's working folder
    let aside = std::path::absolute(std::path::PathBuf::from(aside));
    // (a folder left at the name by a process of the same id cannot be renamed over)
    match aside {
        Ok(aside) if std::fs::rename(path, &aside).is_ok() => remove_apart(&aside, remover),
        _ => {
            let _ = remove_entry(path);
        }
    }
}

/// Remove `path` by running `remover` with it added, not waiting for it; here if it cannot
/// be run.
fn remove_apart(path: &std::path::Path, remover: &[&str]) {
    if !run_apart(remover, path) {
        let _ = remove_entry(path);
    }
}

/// Start `command` with `path` added, not waiting for it; whether it started.
fn run_apart(command: &[&str], path: &std::path::Path) -> bool {
    let Some((program, arguments)) = command.split_first() else { return false };
    let mut command = std::process::Command::new(program);
    command
        .args(arguments)
        .arg(path)
        // nothing of this process's: a harness reading its output gets its end now
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // not stopped with this command by a Ctrl-C typed after it
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    match command.spawn() {
        // waited for on a thread, which a process that ends first does not wait for: a
        // process that goes on (a library's caller) keeps no finished child
        Ok(mut child) => {
            let waited = std::thread::Builder::new().spawn(move || child.wait());
            drop(waited);
            true
        }
        Err(_) => false,
    }
}

/// The size of the file or of everything in the folder at `path` (links not followed),
/// counted up to `limit`.
fn size_up_to(path: &std::path::Path, limit: u64) -> u64 {
    let mut size = 0;
    let mut paths = vec![path.to_path_buf()];
    while let Some(path) = paths.pop() {
        let Ok(found) = std::fs::symlink_metadata(&path) else { continue };
        if found.is_dir() {
            let entries = std::fs::read_dir(&path).into_iter().flatten().flatten();
            paths.extend(entries.map(|entry| entry.path()));
        } else {
            size += found.len();
        }
        if size >= limit {
            break;
        }
    }
    size
}

/// The process id and the tag of work named `prefix`+tag (`name` without the prefix, and
/// without `.lock` for its lock file): the id, or the id, `-` and a number ([`Temporary`]).
pub fn tag_of(rest: &str) -> Option<(u32, &str)> {
    let tag = rest.strip_suffix(LOCK_SUFFIX).unwrap_or(rest);
    let (pid, other) = match tag.split_once('-') {
        Some((pid, other)) => (pid, Some(other)),
        None => (tag, None),
    };
    let canonical = |digits: &str| digits.parse::<u32>().ok().filter(|n| n.to_string() == digits);
    let pid_number = canonical(pid)?;
    if other.is_some_and(|other| canonical(other).is_none_or(|n| n == 0)) {
        return None;
    }
    Some((pid_number, tag))
}

/// The claim on work left at `work` by process `pid`, taken over, when that process has
/// ended; none while it may still be running. The claim is its lock file
/// ([`Temporary`]): it has ended when the lock can be taken and the locked file is still the
/// one at that name (its owner removes it when done). Work with no lock file (written by a
/// qualkit before claims), or on a file system that keeps no locks, is judged by whether
/// `/proc` shows process `pid` running, and left alone where there is no `/proc`.
pub fn ended_claim(work: &std::path::Path, pid: u32) -> Option<EndedClaim> {
    let lock_path = lock_of(work);
    // opened for writing: NFS grants an exclusive lock only on a file open for writing
    match std::fs::OpenOptions::new().read(true).write(true).open(&lock_path) {
        Ok(file) => match file.try_lock() {
            Ok(()) => {
                same_file(&file, &lock_path).then_some(EndedClaim { lock_path, _lock: Some(file) })
            }
            Err(std::fs::TryLockError::WouldBlock) => None,
            Err(std::fs::TryLockError::Error(_)) => {
                process_ended(pid).then_some(EndedClaim { lock_path, _lock: None })
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            process_ended(pid).then_some(EndedClaim { lock_path, _lock: None })
        }
        Err(_) => None,
    }
}

/// Whether `/proc` shows that process `pid`, not this one, is not running; false where
/// there is no `/proc` to tell.
fn process_ended(pid: u32) -> bool {
    pid != std::process::id() && std::path::Path::new("/proc/self").exists() && !process_alive(pid)
}

/// A claim on work whose process has ended, held while the work is cleared away.
#[derive(Debug)]
pub struct EndedClaim {
    lock_path: std::path::PathBuf,
    _lock: Option<std::fs::File>,
}

impl EndedClaim {
    /// Remove the claim's lock file, once its work is gone or put back.
    pub fn clear(self) {
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Whether the open `file` is still the file at `path` (not removed or replaced since it was
/// opened). On unix by device and inode, without opening `path`: closing another descriptor
/// of a file lets go of this process's locks on it where locks are `fcntl`'s (NFS).
pub fn same_file(file: &std::fs::File, path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(open), Ok(named)) = (file.metadata(), std::fs::metadata(path)) else {
            return false;
        };
        open.dev() == named.dev() && open.ino() == named.ino()
    }
    #[cfg(windows)]
    {
        let open = file.try_clone().and_then(same_file::Handle::from_file);
        let named = same_file::Handle::from_path(path);
        matches!((open, named), (Ok(open), Ok(named)) if open == named)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, path);
        true
    }
}

/// Remove what processes killed while writing (a kill, a crash, Ctrl-C) left in `dir`: each
/// entry named `prefix` and a tag ([`tag_of`]) whose claim has ended ([`ended_claim`]),
/// file, folder or link (removed, never followed), and its lock file.
pub fn remove_leftovers_of_killed(dir: &std::path::Path, prefix: &str) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|name| name.strip_prefix(prefix)) else {
            continue;
        };
        if let Some(work) = rest.strip_suffix(REPLACED_SUFFIX)
            && tag_of(work).is_some_and(|(_, tag)| tag == work)
        {
            // replaced and set aside, and not removed: its `rm` stopped (the machine shut
            // down), or is still at work, as it may be when commands run one after another
            // (a second `rm` then finds gone what the first removed: each file is freed once)
            remove_apart(&entry.path(), REMOVER);
            continue;
        }
        let Some((pid, tag)) = tag_of(rest) else { continue };
        let work = dir.join(format!("{prefix}{tag}"));
        if tag != rest && std::fs::symlink_metadata(&work).is_ok() {
            continue; // a lock file, cleared with its work
        }
        if let Some(ended) = ended_claim(&work, pid)
            && remove_entry(&work).is_ok()
        {
            ended.clear();
        }
    }
}

/// Fail unless `folder` is new or empty: a study is never written over another's files.
///
/// # Errors
/// The folder holds something, or cannot be read.
pub fn ensure_new_folder(folder: &std::path::Path) -> Result<()> {
    if folder.exists()
        && std::fs::read_dir(folder).map_err(|e| crate::Error::io(folder, e))?.next().is_some()
    {
        return Err(crate::Error::input(
            folder,
            None,
            "the target folder is not empty; choose a new folder",
        ));
    }
    Ok(())
}

/// Write a new folder of files (paths relative to it): everything goes into a staging folder
/// beside `into` (named after `purpose` and the process), which is renamed into place at the
/// end, so a failure or a kill never leaves half a folder at `into`.
///
/// # Errors
/// A file or folder cannot be written.
pub fn write_new_folder<'f>(
    into: &std::path::Path,
    purpose: &str,
    files: impl IntoIterator<Item = (&'f std::path::Path, &'f [u8])>,
) -> Result<()> {
    write_new_folder_with(into, purpose, |put| files.into_iter().try_for_each(|(p, b)| put(p, b)))
}

/// [`write_new_folder`], its files made by `write` and handed one at a time to the `put` it
/// is given (a relative path and the file's bytes), so that a large folder (a 1 GB study's
/// anonymised copy) is never held whole; a file put twice is written again. What `write`
/// returns is returned once the folder is in place.
///
/// # Errors
/// A file or folder cannot be written; what `write` fails with.
pub fn write_new_folder_with<T>(
    into: &std::path::Path,
    purpose: &str,
    write: impl FnOnce(&mut dyn FnMut(&std::path::Path, &[u8]) -> Result<()>) -> Result<T>,
) -> Result<T> {
    use crate::Error;
    let parent =
        into.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = into.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // removed unless renamed into place: on an error and on a panic alike
    let staging = Temporary::claim(parent, &format!(".{name}.{purpose}-"))
        .map_err(|e| Error::io(parent, e))?;
    std::fs::create_dir(staging.path()).map_err(|e| Error::io(staging.path(), e))?;
    let mut put = |relative: &std::path::Path, bytes: &[u8]| -> Result<()> {
        let path = staging.path().join(relative);
        create_dir_below(staging.path(), path.parent().unwrap_or(staging.path()))
            .map_err(|e| Error::io(&path, e))?;
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    };
    let made = write(&mut put)?;
    staging
        .put_in_place(|staging| {
            if into.exists() {
                std::fs::remove_dir(into)?;
            }
            std::fs::rename(staging, into)
        })
        .map_err(|e| Error::io(into, e))?;
    Ok(made)
}

/// A file- and id-safe form of a name: letters, digits, `_` and `-`.
pub fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' };
        // a run of unsafe characters (`../../`) becomes one `_`
        if !(c == '_' && slug.ends_with('_')) {
            slug.push(c);
        }
    }
    let slug: String = slug.trim_matches('_').chars().take(60).collect();
    if slug.is_empty() { "source".into() } else { slug }
}

/// Unique file names: a repeated name gets `-2`, `-3`, ….
#[derive(Default)]
pub struct UniqueNames(std::collections::BTreeSet<String>);

impl UniqueNames {
    /// `name` as a slug, made unique (ignoring case) among the names given so far.
    pub fn unique(&mut self, name: &str) -> String {
        let base = slug(name).replace("--", "-");
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.0.insert(candidate.to_lowercase()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }
}

/// Swap two files or folders in one step (Linux `renameat2(RENAME_EXCHANGE)`), so a process
/// killed at any moment leaves either the old or the new one in place, never neither. False
/// where the system cannot (other platforms, some file systems) or `b` is missing: the caller
/// renames.
pub fn exchange(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(a), Ok(b)) = (
            std::ffi::CString::new(a.as_os_str().as_bytes()),
            std::ffi::CString::new(b.as_os_str().as_bytes()),
        ) else {
            return false;
        };
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let result = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        result == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        false
    }
}

/// Have the kernel read the file at `path` into the page cache, without waiting for the
/// disk: a large file written past it ([`LargeFile`]) that a command is about to read whole
/// (a re-code after a codebook edit, `run`'s codings.csv, which it copies rows from), asked
/// for while the command does other work first.
///
/// Asked for a piece at a time: Linux reads at most the larger of the device's read-ahead
/// window and its largest transfer per call (`read_ahead_kb` and `max_sectors_kb`: 128 KiB
/// by default and as little as 128 KiB on some disks; 8 MiB and 4 MiB on the benchmark's
/// VM), and one call for the whole file read only its first 8 MiB. Best effort: nothing is
/// asked where this cannot be, or where the file would take more than a quarter of the
/// memory available. The kernel's setting up of the reads costs the caller about 0.1 s for
/// 254 MB, and in pieces this small it waits for the device's queue, nearly as long as the
/// disk takes to read the file: callers ask on a thread they do not wait for.
pub fn read_into_page_cache(path: &std::path::Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        const PIECE: u64 = 128 * 1024;
        let Ok(file) = std::fs::File::open(path) else { return };
        let length = file.metadata().map_or(u64::MAX, |m| m.len());
        if !worth_caching(length) {
            return;
        }
        for start in (0..length).step_by(PIECE as usize) {
            // SAFETY: `file` is open for the call, which only schedules reads into the page
            // cache
            let asked = unsafe {
                libc::posix_fadvise(
                    file.as_raw_fd(),
                    start as libc::off_t,
                    PIECE as libc::off_t,
                    libc::POSIX_FADV_WILLNEED,
                )
            };
            if asked != 0 {
                return;
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Have a process of its own read the file at `path` into the page cache, not waiting for
/// it: a large file written past the page cache ([`LargeFile`]) that the next command is
/// likely to read whole. `run`'s codings.csv is the file a re-code after a codebook edit
/// copies rows from, and read from the disk it was most of that re-code's time: this disk
/// reads about 620 MB/s (0.4 s for the 100 MB benchmark's 254 MB), and several threads
/// reading at once read no faster. Read as `run` ends, the disk's reading overlaps what the
/// researcher (or a script) does next. A process of its own: asked for here
/// ([`read_into_page_cache`]) on a thread the run waited for, warm runs took 0.2–0.4 s
/// longer. Best effort, as [`read_into_page_cache`]; a file under 8 MB
/// (`READ_APART_FROM`) is left to be read when it is wanted.
pub fn read_into_page_cache_apart(path: &std::path::Path) {
    let Ok(length) = std::fs::metadata(path).map(|m| m.len()) else { return };
    if length >= READ_APART_FROM && worth_caching(length) {
        run_apart(READER, path);
    }
}

/// Files smaller than this are not read back by a process of their own: read from the
/// disk when wanted, they take a few hundredths of a second, about what starting a process
/// costs.
const READ_APART_FROM: u64 = 8 << 20;

/// The command that reads a file into the page cache apart from the process that wrote it:
/// a `cat` (its output discarded), at the lowest priority, so that it reads while the cores
/// are otherwise idle (`nice` and `cat` are on every unix).
const READER: &[&str] = &["nice", "-n", "19", "cat", "--"];

/// The size of a memory page.
#[cfg(unix)]
pub fn page_size() -> usize {
    static PAGE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    // SAFETY: sysconf has no preconditions
    *PAGE.get_or_init(|| {
        usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096)
    })
}

/// Whether a file of `length` bytes fits in a quarter of the memory available, where
/// reading it into the page cache pushes out nothing that matters.
fn worth_caching(length: u64) -> bool {
    available_memory().is_some_and(|available| length <= available / 4)
}

/// The memory the kernel says is available for new work without swapping (`MemAvailable`
/// in `/proc/meminfo`), in bytes; none where there is no such file.
fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find_map(|line| line.strip_prefix("MemAvailable:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    kib.checked_mul(1024)
}

/// A writer for a large output of `run` written once from start to end (codings.csv and
/// segments.csv, hundreds of megabytes at 100 MB of transcripts), hashed for run.json as it
/// is written. On Linux it writes past the page cache (`O_DIRECT`), whole aligned blocks
/// from an aligned buffer: a run's analyses keep both cores busy while its outputs are
/// written, and copying hundreds of megabytes into the page cache cost a run as much CPU
/// time as formatting them, and writing them back to disk afterwards competed with whatever
/// ran next. Where direct writes are refused (some file systems, other systems) it writes
/// through the page cache, as a `BufWriter` does. (A command that writes one large file and
/// nothing else, `code`'s codings.csv, writes it through the page cache: nothing else wants
/// the CPU that copying takes, and waiting for the disk would be most of the command's time.)
///
/// A direct write returns only once the disk has the bytes, so the writing is done by a
/// thread of the writer's own, one buffer at a time, while the caller fills the other: a
/// re-code that waited for each write (when `code` wrote this way too) spent twice as long
/// writing codings.csv as through the page cache.
///
/// The file is hashed (SHA-256) by another thread of its own, each buffer before it is
/// written, and [`LargeFile::finish`] gives the hash: hashed by the thread that formats the
/// rows, each part waited for its hash before the next was formatted, and as a run's
/// analyses held the other core, `segments.csv` went at half a core's pace.
///
/// Flushing (`Write::flush`) waits for every write and writes the last partial block
/// through the page cache (direct writes take whole blocks only), and the file is written
/// that way from then on. A write that fails is reported by a later `write` or `flush`; the
/// file's contents are then undefined (callers write to a temporary file and remove it).
pub struct LargeFile {
    /// The buffer being filled.
    buffer: Aligned,
    /// The other buffers, once the threads are done with them.
    spares: Vec<Aligned>,
    /// How many buffers the threads have.
    away: usize,
    /// Buffers to write (through the hashing thread), and whether each is the last
    /// before a flush.
    jobs: Option<std::sync::mpsc::SyncSender<(Aligned, bool)>>,
    /// Buffers written (emptied), or why one could not be.
    done: std::sync::mpsc::Receiver<std::io::Result<Aligned>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The hashing thread, which ends with the hash of every byte.
    hashing: Option<std::thread::JoinHandle<Sha256>>,
    /// Whether the file is still written directly (the writing thread's; for tests).
    #[cfg(test)]
    direct: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Why a write failed: every later call fails too.
    failed: Option<(std::io::ErrorKind, String)>,
}

/// Room for [`LargeFile::CAPACITY`] bytes starting at `start`, a block boundary.
struct Aligned {
    storage: Vec<u8>,
    start: usize,
    /// Bytes waiting in the buffer.
    filled: usize,
}

impl Aligned {
    fn new() -> Aligned {
        let storage = vec![0; LargeFile::CAPACITY + LargeFile::BLOCK];
        let start = storage.as_ptr().align_offset(LargeFile::BLOCK);
        Aligned { storage, start, filled: 0 }
    }
}

impl LargeFile {
    /// Direct writes' alignment, of the buffer in memory, of its length and of the file
    /// offset: a page, a multiple of the block sizes disks use (512 and 4,096 bytes).
    const BLOCK: usize = 4096;
    /// Bytes written per system call: large enough that waiting for each write costs
    /// little, small enough to stay out of the way of the rest of a run's memory.
    const CAPACITY: usize = 4 << 20;

    /// Create (or truncate) the file at `path`, hashing what is written to it
    /// ([`LargeFile::finish`]).
    ///
    /// # Errors
    /// The file cannot be created.
    pub fn hashed(path: &std::path::Path) -> std::io::Result<LargeFile> {
        let (file, direct) = Self::open(path)?;
        let direct = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(direct));
        let (jobs, queued) = std::sync::mpsc::sync_channel::<(Aligned, bool)>(1);
        let (written, done) = std::sync::mpsc::channel();
        // hashed on the way to the writing thread: one buffer hashed while the one before
        // is written and a third filled
        let (hashed, to_write) = std::sync::mpsc::sync_channel::<(Aligned, bool)>(1);
        let hashing = std::thread::Builder::new().name("qualkit-hash".into()).spawn(move || {
            let mut hasher = Sha256::new();
            for (buffer, last) in queued {
                hasher.update(&buffer.storage[buffer.start..buffer.start + buffer.filled]);
                if hashed.send((buffer, last)).is_err() {
                    break;
                }
            }
            hasher
        })?;
        let mut writing = Writing { file, direct: std::sync::Arc::clone(&direct) };
        let thread = std::thread::Builder::new().name("qualkit-write".into()).spawn(move || {
            for (mut buffer, last) in to_write {
                let result = writing.write(&mut buffer, last).map(|()| buffer);
                if written.send(result).is_err() {
                    break;
                }
            }
        })?;
        let spares = (0..2).map(|_| Aligned::new()).collect();
        Ok(LargeFile {
            buffer: Aligned::new(),
            spares,
            away: 0,
            jobs: Some(jobs),
            done,
            thread: Some(thread),
            hashing: Some(hashing),
            #[cfg(test)]
            direct,
            failed: None,
        })
    }

    /// Flush, and the SHA-256 of every byte written.
    ///
    /// # Errors
    /// As `flush`.
    pub fn finish(mut self) -> std::io::Result<sha2::digest::Output<Sha256>> {
        std::io::Write::flush(&mut self)?;
        drop(self.jobs.take());
        let hasher = match self.hashing.take() {
            Some(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Sha256::new(),
        };
        Ok(hasher.finalize())
    }

    #[cfg(target_os = "linux")]
    fn open(path: &std::path::Path) -> std::io::Result<(std::fs::File, bool)> {
        use std::os::unix::fs::OpenOptionsExt;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        match options.clone().custom_flags(libc::O_DIRECT).open(path) {
            Ok(file) => Ok((file, true)),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok((options.open(path)?, false)),
            Err(e) => Err(e),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn open(path: &std::path::Path) -> std::io::Result<(std::fs::File, bool)> {
        Ok((std::fs::File::create(path)?, false))
    }

    /// Hand the buffer to the writing thread (`last`: all of it, the partial block too) and
    /// take the other, once written.
    fn send(&mut self, last: bool) -> std::io::Result<()> {
        if let Some((kind, message)) = &self.failed {
            return Err(std::io::Error::new(*kind, message.clone()));
        }
        let next = match self.spares.pop() {
            Some(spare) => spare,
            None => self.receive()?,
        };
        let full = std::mem::replace(&mut self.buffer, next);
        let gone = || std::io::Error::other("the writing thread stopped");
        self.jobs.as_ref().ok_or_else(gone)?.send((full, last)).map_err(|_| gone())?;
        self.away += 1;
        Ok(())
    }

    /// The buffer the writing thread has, once written.
    fn receive(&mut self) -> std::io::Result<Aligned> {
        if let Some((kind, message)) = &self.failed {
            return Err(std::io::Error::new(*kind, message.clone()));
        }
        let received = self.done.recv();
        self.away = self.away.saturating_sub(1);
        let written =
            received.unwrap_or_else(|_| Err(std::io::Error::other("the writing thread stopped")));
        if let Err(e) = &written {
            self.failed = Some((e.kind(), e.to_string()));
        }
        written
    }
}

impl LargeFile {
    /// Wait for the threads to finish with the buffers they have.
    fn settle(&mut self) -> std::io::Result<()> {
        while self.away > 0 {
            let buffer = self.receive()?;
            self.spares.push(buffer);
        }
        Ok(())
    }
}

/// The writing thread's side: the file, and whether it is still written directly.
struct Writing {
    file: std::fs::File,
    direct: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Writing {
    /// Write the buffer's whole blocks (with `last`, all of it) and empty it. A partial last
    /// block, when writing directly, stops direct writing: it goes through the page cache.
    fn write(&mut self, buffer: &mut Aligned, last: bool) -> std::io::Result<()> {
        let mut written = 0;
        let result = loop {
            let direct = self.direct.load(std::sync::atomic::Ordering::Relaxed);
            let whole = buffer.filled / LargeFile::BLOCK * LargeFile::BLOCK;
            let end = if direct && written >= whole && last && written < buffer.filled {
                if let Err(e) = self.stop_direct() {
                    break Err(e);
                }
                buffer.filled
            } else if direct {
                whole
            } else {
                buffer.filled
            };
            if written >= end {
                break Ok(());
            }
            let pending = &buffer.storage[buffer.start + written..buffer.start + end];
            match std::io::Write::write(&mut self.file, pending) {
                Ok(0) => break Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // refused: alignment this file system does not accept, or a short write
                // left the rest unaligned
                Err(e) if direct && e.kind() == std::io::ErrorKind::InvalidInput => {
                    if let Err(e) = self.stop_direct() {
                        break Err(e);
                    }
                }
                Err(e) => break Err(e),
            }
        };
        // whole buffers only come here unless `last`, so nothing is left over
        buffer.filled = 0;
        result
    }

    /// From now on, write through the page cache.
    fn stop_direct(&mut self) -> std::io::Result<()> {
        #[cfg(target_os = "linux")]
        if self.direct.load(std::sync::atomic::Ordering::Relaxed) {
            use std::os::fd::AsRawFd;
            let fd = self.file.as_raw_fd();
            // SAFETY: fcntl on a descriptor this writer owns, with plain integer arguments
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
            // SAFETY: as above
            if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_DIRECT) } < 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        self.direct.store(false, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

impl std::io::Write for LargeFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buffer.filled == Self::CAPACITY {
            self.send(false)?;
        }
        let buffer = &mut self.buffer;
        let n = bytes.len().min(Self::CAPACITY - buffer.filled);
        let at = buffer.start + buffer.filled;
        buffer.storage[at..at + n].copy_from_slice(&bytes[..n]);
        buffer.filled += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.filled > 0 {
            self.send(true)?;
        }
        self.settle()
    }
}

impl Drop for LargeFile {
    fn drop(&mut self) {
        // as `BufWriter`: what was not flushed is written now if it can be; callers that
        // need to know flush first
        if !std::thread::panicking() {
            let _ = std::io::Write::flush(self);
        }
        drop(self.jobs.take());
        if let Some(thread) = self.hashing.take() {
            let _ = thread.join();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::LargeFile;
    use proptest::prelude::*;
    use sha2::{Digest, Sha256};
    use std::io::Write;

    /// `bytes` written through a hashed [`LargeFile`] at `path` in pieces of `sizes`
    /// (cycled), then flushed and, with `more`, written on after the flush; what the file
    /// holds, once its hash is checked to be that of every byte written, in order.
    fn written(path: &std::path::Path, bytes: &[u8], sizes: &[usize], more: &[u8]) -> Vec<u8> {
        let mut file = LargeFile::hashed(path).unwrap();
        let mut rest = bytes;
        for &size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, after) = rest.split_at(size.clamp(1, rest.len()));
            file.write_all(piece).unwrap();
            rest = after;
        }
        file.flush().unwrap();
        file.write_all(more).unwrap();
        let hash = file.finish().unwrap();
        let contents = std::fs::read(path).unwrap();
        assert_eq!(hash, Sha256::digest([bytes, more].concat()), "the hash of what was written");
        contents
    }

    /// A [`LargeFile`] at `path` writing directly, or None (and a note) where the
    /// temporary folder's file system refuses direct writes.
    fn writing_directly(path: &std::path::Path) -> Option<LargeFile> {
        let file = LargeFile::hashed(path).unwrap();
        if !file.direct() {
            eprintln!("skipped: the temporary folder's file system refuses direct writes");
        }
        file.direct().then_some(file)
    }

    impl LargeFile {
        fn direct(&self) -> bool {
            self.direct.load(std::sync::atomic::Ordering::Relaxed)
        }
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 4093) as u8).collect()
    }

    #[test]
    fn a_large_file_holds_every_byte_written_across_blocks_and_buffers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codings.csv");
        let (block, capacity) = (LargeFile::BLOCK, LargeFile::CAPACITY);
        for len in [0, 1, block - 1, block, block + 1, capacity - 1, capacity, 2 * capacity + 7] {
            let bytes = pattern(len);
            for sizes in [&[len.max(1)][..], &[1 << 20], &[4095, 1, 70_000, 3]] {
                assert_eq!(written(&path, &bytes, sizes, b""), bytes, "{len} bytes in {sizes:?}");
            }
        }
        // writing on after a flush (the tail went through the page cache)
        let bytes = pattern(capacity + 5);
        let mut expected = bytes.clone();
        expected.extend_from_slice(b"after the flush");
        assert_eq!(written(&path, &bytes, &[1 << 20], b"after the flush"), expected);
    }

    #[test]
    fn a_large_file_writes_whole_blocks_directly_where_the_file_system_takes_them() {
        let dir = tempfile::tempdir().unwrap();
        let Some(mut file) = writing_directly(&dir.path().join("codings.csv")) else { return };
        file.write_all(&pattern(2 * LargeFile::CAPACITY + 100)).unwrap();
        file.settle().unwrap();
        // a misaligned buffer or length is refused, and the writer falls back
        assert!(file.direct(), "whole blocks were refused");
        file.flush().unwrap();
        assert!(!file.direct(), "the last partial block goes through the page cache");
    }

    /// How much of the file at `path` is in the page cache, from 0 to 1 (`mincore` of a
    /// mapping of it).
    #[cfg(target_os = "linux")]
    fn cached_share(path: &std::path::Path) -> f64 {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(path).unwrap();
        let length = file.metadata().unwrap().len() as usize;
        // SAFETY: a read-only shared mapping of a file held open, only asked which of its
        // pages are resident, then unmapped
        unsafe {
            let map = libc::mmap(
                std::ptr::null_mut(),
                length,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            );
            assert_ne!(map, libc::MAP_FAILED);
            let pages = length.div_ceil(super::page_size());
            let mut resident = vec![0u8; pages];
            assert_eq!(libc::mincore(map, length, resident.as_mut_ptr()), 0);
            libc::munmap(map, length);
            resident.iter().filter(|&&page| page & 1 == 1).count() as f64 / pages as f64
        }
    }

    /// A file written past the page cache is read into it whole, here
    /// ([`super::read_into_page_cache`]) and by a process of its own
    /// ([`super::read_into_page_cache_apart`]).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_written_past_the_page_cache_is_read_back_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let here: fn(&std::path::Path) = super::read_into_page_cache;
        let apart: fn(&std::path::Path) = super::read_into_page_cache_apart;
        for (how, read_back) in [("here", here), ("apart", apart)] {
            let path = dir.path().join(format!("codings-{how}.csv"));
            let Some(mut file) = writing_directly(&path) else { return };
            file.write_all(&pattern(3 * LargeFile::CAPACITY + 100)).unwrap();
            file.finish().unwrap();
            // all but the last partial block went past the page cache
            assert!(cached_share(&path) < 0.1, "{how}: {} cached", cached_share(&path));
            read_back(&path);
            // read by the kernel in the background: waited for
            let waited = std::time::Instant::now();
            while cached_share(&path) < 1.0 && waited.elapsed().as_secs() < 20 {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            assert_eq!(cached_share(&path), 1.0, "{how}: read back whole");
        }
    }

    #[test]
    fn a_large_file_refused_midway_writes_on_through_the_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codings.csv");
        let Some(mut file) = writing_directly(&path) else { return };
        // a buffer one byte off a block boundary: the kernel refuses its first direct write
        file.buffer.start += 1;
        let bytes = pattern(2 * LargeFile::CAPACITY + 10);
        file.write_all(&bytes).unwrap();
        file.settle().unwrap();
        assert!(!file.direct(), "the misaligned write was refused");
        file.flush().unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    /// A failed write (a full disk) is reported by a later call, and by every call after it,
    /// without waiting for a writing thread that has nothing more to say.
    #[test]
    fn a_large_file_reports_a_failed_write_and_keeps_failing() {
        let full = std::path::Path::new("/dev/full");
        if !full.exists() {
            eprintln!("skipped: no /dev/full");
            return;
        }
        let mut file = LargeFile::hashed(full).unwrap();
        let bytes = pattern(3 * LargeFile::CAPACITY);
        let result = file.write_all(&bytes).and_then(|()| file.flush());
        assert_eq!(result.map_err(|e| e.raw_os_error()), Err(Some(libc::ENOSPC)));
        assert!(file.write_all(&bytes).and_then(|()| file.flush()).is_err());
        assert!(file.flush().is_err(), "still failing");
        assert!(file.finish().is_err(), "no hash of a file not written");
    }

    #[test]
    fn a_large_file_is_truncated_when_created_over_a_longer_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codings.csv");
        std::fs::write(&path, pattern(3 * LargeFile::BLOCK)).unwrap();
        assert_eq!(written(&path, b"short", &[5], b""), b"short");
    }

    #[test]
    fn a_large_file_writes_where_direct_writes_are_refused() {
        // tmpfs refused O_DIRECT before Linux 6.6; either way the bytes must all arrive
        let Some(shm) = Some(std::path::Path::new("/dev/shm")).filter(|p| p.is_dir()) else {
            eprintln!("skipped: no /dev/shm");
            return;
        };
        let dir = tempfile::tempdir_in(shm).unwrap();
        let bytes = pattern(LargeFile::CAPACITY + LargeFile::BLOCK + 3);
        assert_eq!(
            written(&dir.path().join("f"), &bytes, &[12_345], b"!"),
            [&bytes[..], b"!"].concat()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn a_large_file_holds_what_was_written_in_any_pieces(
            len in 0usize..(3 * LargeFile::CAPACITY),
            sizes in proptest::collection::vec(1usize..(2 * LargeFile::CAPACITY), 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let bytes = pattern(len);
            prop_assert_eq!(written(&dir.path().join("f"), &bytes, &sizes, b""), bytes);
        }
    }

    /// The names in `dir`, sorted.
    /// The names in `dir`, sorted (also what the cache tests list).
    pub(crate) fn names(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    #[cfg(unix)]
    fn what_killed_processes_left_is_removed_and_nothing_else() {
        if !std::path::Path::new("/proc/self").exists() {
            eprintln!("skipped: no /proc to tell running processes by");
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let at = |name: &str| dir.path().join(name);
        // work from before claims (no lock file) of processes that are not running (no
        // process has a pid this high: Linux's limit is 2^22): a file and a folder
        std::fs::write(at(".out.tmp-99999999"), b"half").expect("write");
        std::fs::create_dir_all(at(".out.tmp-99999998/tables")).expect("folder");
        std::fs::write(at(".out.tmp-99999998/tables/t.csv"), b"half").expect("write");
        // a link left over is removed, not what it points at
        std::fs::create_dir(at("elsewhere")).expect("folder");
        std::fs::write(at("elsewhere/kept.csv"), b"kept").expect("write");
        std::os::unix::fs::symlink(at("elsewhere"), at(".out.tmp-99999997")).expect("link");
        // claimed work whose lock nothing holds, whatever its id (here a running process's,
        // the id used again), and a lock file alone
        let parent = std::os::unix::process::parent_id();
        std::fs::write(at(&format!(".out.tmp-{parent}")), b"half").expect("write");
        std::fs::write(at(&format!(".out.tmp-{parent}.lock")), b"").expect("write");
        std::fs::write(at(".out.tmp-99999996.lock"), b"").expect("write");
        // a name taken by a second process of one id (another machine): the same rules
        std::fs::write(at(".out.tmp-99999999-1"), b"half").expect("write");
        // this process's work, work claimed by a lock that is held (a process on another
        // machine, in another container: /proc has no such id), a running process's work
        // from before claims, and names that are not leftovers
        let own = std::process::id();
        let mut kept = vec![
            format!(".out.tmp-{own}"),
            ".out.tmp-99999995".to_owned(),
            ".out.tmp-99999995.lock".to_owned(),
            ".out.tmp-99999995-2".to_owned(),
            ".out.tmp-99999995-2.lock".to_owned(),
            ".out.tmp-99999999-0".to_owned(),
            ".out.tmp-99999999-01".to_owned(),
            ".out.tmp-x".to_owned(),
            ".out.tmp-".to_owned(),
            ".out.tmp-099999999".to_owned(),
            ".other.tmp-99999999".to_owned(),
        ];
        for name in &kept {
            std::fs::write(at(name), b"kept").expect("write");
        }
        let held = std::fs::File::open(at(".out.tmp-99999995.lock")).expect("open");
        held.lock().expect("lock");
        let held_second = std::fs::File::open(at(".out.tmp-99999995-2.lock")).expect("open");
        held_second.lock().expect("lock");
        // a process this test started, running, from before claims
        let mut running = std::process::Command::new("sleep").arg("10").spawn().expect("spawn");
        let running_work = format!(".out.tmp-{}", running.id());
        std::fs::write(at(&running_work), b"kept").expect("write");
        kept.push(running_work);
        super::remove_leftovers_of_killed(dir.path(), ".out.tmp-");
        let _ = running.kill();
        let _ = running.wait();
        kept.push("elsewhere".to_owned());
        kept.sort();
        assert_eq!(names(dir.path()), kept);
        assert_eq!(names(&at("elsewhere")), ["kept.csv"]);
    }

    /// Wait up to ten seconds for `path` to be gone; whether it is.
    fn gone_soon(path: &std::path::Path) -> bool {
        (0..200).any(|_| {
            let gone = std::fs::symlink_metadata(path).is_err();
            if !gone {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            gone
        })
    }

    #[test]
    #[cfg(unix)]
    fn a_large_replaced_folder_is_set_aside_and_removed_by_a_process_of_its_own() {
        let dir = tempfile::tempdir().expect("temp dir");
        let work = dir.path().join(".out.new-7");
        std::fs::create_dir_all(work.join("tables")).expect("folder");
        std::fs::write(work.join("codings.csv"), b"0123456789").expect("write");
        std::fs::write(work.join("tables/themes.csv"), b"0123456789").expect("write");
        // a remover slow to start: what it removes is still there when this returns
        let slow_rm = ["sh", "-c", "sleep 0.5; rm -rf -- \"$0\""];
        super::remove_replaced_by(&work, 20, &slow_rm);
        assert_eq!(names(dir.path()), [".out.new-7.replaced"], "renamed aside, not waited for");
        assert!(gone_soon(&dir.path().join(".out.new-7.replaced")), "removed by the remover");
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_small_replaced_folder_or_one_no_remover_takes_is_removed_here() {
        let dir = tempfile::tempdir().expect("temp dir");
        let work = dir.path().join(".out.new-7");
        for (apart_from, remover) in [(21, "rm"), (20, "/no/such/remover")] {
            std::fs::create_dir_all(work.join("tables")).expect("folder");
            std::fs::write(work.join("codings.csv"), b"0123456789").expect("write");
            std::fs::write(work.join("tables/themes.csv"), b"0123456789").expect("write");
            super::remove_replaced_by(&work, apart_from, &[remover, "-rf"]);
            assert!(names(dir.path()).is_empty(), "{remover}: {:?}", names(dir.path()));
        }
    }

    #[test]
    fn what_a_stopped_remover_left_is_removed_by_the_next_claim_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let at = |name: &str| dir.path().join(name);
        std::fs::create_dir_all(at(".x.tmp-99999999.replaced/tables")).expect("folder");
        std::fs::write(at(".x.tmp-99999999.replaced/tables/t.csv"), b"old").expect("write");
        std::fs::write(at(".x.tmp-99999998-1.replaced"), b"old").expect("write");
        let kept = [
            ".x.tmp-x.replaced",
            ".x.tmp-99999999.replaced.lock",
            ".x.tmp-99999999.lock.replaced",
            ".y.tmp-1.replaced",
        ];
        for name in kept {
            std::fs::write(at(name), b"kept").expect("write");
        }
        let work = super::Temporary::claim(dir.path(), ".x.tmp-").expect("claim");
        assert!(gone_soon(&at(".x.tmp-99999999.replaced")));
        assert!(gone_soon(&at(".x.tmp-99999998-1.replaced")));
        drop(work);
        let mut kept = kept.map(str::to_owned).to_vec();
        kept.sort();
        assert_eq!(names(dir.path()), kept);
    }

    #[test]
    fn folders_below_a_root_are_made_but_never_the_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("staging");
        let folder = root.join("tables/by-wave");
        assert!(super::create_dir_below(&root, &folder).is_err(), "a removed root stays removed");
        assert!(!root.exists());
        std::fs::create_dir(&root).expect("root");
        super::create_dir_below(&root, &folder).expect("made");
        super::create_dir_below(&root, &folder).expect("made again: already there");
        super::create_dir_below(&root, &root).expect("the root itself");
        assert!(folder.is_dir());
        assert!(super::create_dir_below(&root, dir.path()).is_err(), "outside the root");
    }

    #[test]
    fn exchange_swaps_two_files_or_says_it_cannot() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (new, out) = (dir.path().join(".codings.csv.tmp-1"), dir.path().join("codings.csv"));
        std::fs::write(&new, b"new").expect("write");
        // nothing to exchange with: the caller renames
        assert!(!super::exchange(&new, &out));
        assert_eq!(names(dir.path()), [".codings.csv.tmp-1"]);
        std::fs::write(&out, b"old").expect("write");
        if !cfg!(target_os = "linux") {
            assert!(!super::exchange(&new, &out), "only Linux exchanges");
            return;
        }
        assert!(super::exchange(&new, &out), "exchanged");
        assert_eq!(std::fs::read(&out).expect("read"), b"new");
        assert_eq!(std::fs::read(&new).expect("read"), b"old");
    }

    #[test]
    fn claimed_work_is_kept_while_its_process_runs_and_cleared_when_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let own = std::process::id();
        // this process's own leftover at the name is removed as it is claimed
        std::fs::write(dir.path().join(format!(".x.tmp-{own}")), b"earlier").expect("write");
        let work = super::Temporary::claim(dir.path(), ".x.tmp-").expect("claim");
        assert_eq!(work.path(), dir.path().join(format!(".x.tmp-{own}")));
        assert!(!work.path().exists());
        std::fs::create_dir_all(work.path().join("tables")).expect("folder");
        assert_eq!(names(dir.path()), [format!(".x.tmp-{own}"), format!(".x.tmp-{own}.lock")]);
        // claimed: another process (a file opened apart, as another process opens it) cannot
        // take the claim
        assert!(super::ended_claim(work.path(), own + 1).is_none());
        let lock = dir.path().join(format!(".x.tmp-{own}.lock"));
        let other = std::fs::File::open(&lock).expect("open");
        assert!(other.try_lock().is_err(), "the claim's lock is held");
        drop(other);
        // a process of the same id elsewhere (another machine, another container) holds
        // this claim: a second claim takes the next name, and leaves the work alone
        let second = super::Temporary::claim(dir.path(), ".x.tmp-").expect("claim");
        assert_eq!(second.tag(), format!("{own}-1"));
        assert!(work.path().is_dir(), "the first claim's work is kept");
        drop(second);
        drop(work);
        assert!(names(dir.path()).is_empty(), "left: {:?}", names(dir.path()));
    }

    #[test]
    fn a_folder_not_made_whole_leaves_nothing_behind() {
        use std::path::Path;
        let dir = tempfile::tempdir().expect("temp dir");
        let into = dir.path().join("copy");
        let failed = super::write_new_folder_with(&into, "copying", |put| -> crate::Result<()> {
            put(Path::new("a/one.txt"), b"one")?;
            Err(crate::Error::Usage("stopped".into()))
        });
        assert!(failed.is_err());
        assert!(names(dir.path()).is_empty(), "after an error: {:?}", names(dir.path()));
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::write_new_folder_with(&into, "copying", |put| -> crate::Result<()> {
                put(Path::new("a/one.txt"), b"one")?;
                panic!("stopped on purpose")
            })
        }));
        assert!(panicked.is_err());
        assert!(names(dir.path()).is_empty(), "after a panic: {:?}", names(dir.path()));
        // the staging folder of a process killed while copying is removed by the next copy
        if std::path::Path::new("/proc/self").exists() {
            let leftover = dir.path().join(".copy.copying-99999999/a");
            std::fs::create_dir_all(&leftover).expect("folder");
            std::fs::write(leftover.join("one.txt"), b"half").expect("write");
        }
        super::write_new_folder_with(&into, "copying", |put| put(Path::new("one.txt"), b"one"))
            .expect("copied");
        assert_eq!(names(dir.path()), ["copy"]);
        assert_eq!(names(&into), ["one.txt"]);
    }
}
