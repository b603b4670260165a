//! Terminal output: writing results, reporting errors, progress bars.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use qualkit::Error;

/// Write `text` to `out` atomically (temporary file, then rename), or to stdout.
///
/// # Errors
/// The file cannot be written; a closed stdout (broken pipe) is not an error.
pub fn write(out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        Some(path) => write_file(path, text.as_bytes()),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

/// Write a file through a temporary sibling and a rename, so readers never see half of it.
///
/// # Errors
/// The folder is not writable or the disk is full.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file_with(path, Size::Small, |out| out.write_all(bytes))
}

/// Write a file that is gone back over as it is written (an archive's entries are given
/// their sizes once written) through a temporary sibling and a rename, as [`write_file`];
/// a device or pipe, which cannot be gone back over, is given the file made in memory.
///
/// # Errors
/// As `contents`, or the folder is not writable or the disk is full.
pub fn write_seekable<T>(
    path: &Path,
    contents: impl FnOnce(&mut dyn SeekWrite) -> Result<T>,
) -> Result<T> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut memory = std::io::Cursor::new(Vec::new());
        let made = contents(&mut memory)?;
        write_file(path, memory.get_ref())?;
        return Ok(made);
    }
    // no half-written leftovers: removed unless renamed into place
    let (claimed, file) = temporary_beside(path, |temporary| std::fs::File::create(temporary))?;
    let temporary = claimed.path();
    let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
    let made = contents(&mut file)?;
    file.flush().with_context(|| format!("{}: cannot write", temporary.display()))?;
    drop(file);
    put_in_place(&claimed, path, Size::Small)?;
    Ok(made)
}

/// A writer that can be gone back over: a file, or memory.
pub trait SeekWrite: Write + std::io::Seek {}

impl<T: Write + std::io::Seek> SeekWrite for T {}

/// Make the folder a file at `path` goes into, if it has one and it is missing.
///
/// # Errors
/// The folder cannot be made.
pub fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("{}: cannot create", parent.display()))?;
    }
    Ok(())
}

/// The temporary sibling a file at `path` is written into before it is renamed into place,
/// made by `make` (and what it returned), removed when dropped unless it was; those that
/// runs killed while writing `path` left (a codings.csv's run to hundreds of megabytes) are
/// removed first.
fn temporary_beside<T>(
    path: &Path,
    make: impl FnOnce(&Path) -> std::io::Result<T>,
) -> Result<(qualkit::files::Temporary, T)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    qualkit::files::Temporary::claim_making(parent, &format!(".{name}.tmp-"), make)
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// Put the temporary file `claimed` in place at `path`: renamed, or, for a large output,
/// exchanged with the file there, if any, which the temporary's name then holds until
/// `claimed` is dropped and removes it. Renamed over a file, the new one is written to disk
/// before the rename returns (ext4's `auto_da_alloc`, which guards programs that do not
/// sync), and a re-code would wait for hundreds of megabytes of codings.csv to reach the
/// disk. What that guard is for goes with it: a machine that loses power before the kernel
/// writes the file back (within half a minute) may leave it empty, and the next re-code or
/// run, which finds it so, writes it again. Small outputs keep the guard.
fn put_in_place(claimed: &qualkit::files::Temporary, path: &Path, size: Size) -> Result<()> {
    claimed
        .put_in_place(|temporary| {
            let large = matches!(size, Size::Large);
            if large && path.is_file() && qualkit::files::exchange(temporary, path) {
                return Ok(());
            }
            std::fs::rename(temporary, path)
        })
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// How large a file written by [`write_file_with`] may be.
#[derive(Clone, Copy)]
enum Size {
    /// Made whole or in small pieces.
    Small,
    /// Streamed in large pieces, possibly gigabytes (a study's codings.csv). Written through
    /// the page cache too, not past it as `run`'s are ([`qualkit::files::LargeFile`]): a
    /// command that writes one file and nothing else would wait for the disk; and the next
    /// re-code, which copies from the file, finds it in memory.
    Large,
}

/// Stream `contents` to `out` (atomically, as [`write_file`]) or to stdout, without holding
/// it in memory: for large outputs.
///
/// # Errors
/// The file cannot be written; a closed stdout (broken pipe) is not an error.
pub fn write_with(
    out: Option<&Path>,
    contents: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let Some(path) = out else {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        return match contents(&mut stdout).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        };
    };
    write_file_with(path, Size::Large, contents)
}

fn write_file_with(
    path: &Path,
    size: Size,
    contents: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    // Devices and pipes (/dev/null, /dev/stdout, a FIFO) are written in place: renaming a
    // temporary file over them would replace the device with a regular file.
    let buffered = |target: &Path| {
        std::fs::File::create(target).map(|file| std::io::BufWriter::with_capacity(1 << 20, file))
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return buffered(path)
            .and_then(|device| fill(device, contents))
            .with_context(|| format!("{}: cannot write", path.display()));
    }
    // no half-written leftovers: removed unless renamed into place
    let written = match size {
        Size::Small => {
            let (claimed, file) = temporary_beside(path, buffered)?;
            (fill(file, contents), claimed)
        }
        Size::Large => {
            // pieces larger than the buffer (a re-code's rows come a chunk of segments at a
            // time, a megabyte or so) go to the file as they are, not copied into it first
            let (claimed, file) = temporary_beside(path, |temporary| {
                std::fs::File::create(temporary)
                    .map(|file| std::io::BufWriter::with_capacity(256 << 10, file))
            })?;
            (fill(file, contents), claimed)
        }
    };
    let (filled, claimed) = written;
    filled.with_context(|| format!("{}: cannot write", claimed.path().display()))?;
    put_in_place(&claimed, path, size)
}

/// `contents` written into `out`, then flushed.
fn fill(
    mut out: impl Write,
    contents: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    contents(&mut out)?;
    out.flush()
}

/// A progress bar on stderr, hidden when quiet or when stderr is not a terminal.
pub fn progress_bar(quiet: bool, message: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
        .expect("progress template is valid")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(message.to_owned());
    bar
}

/// Print an error as `qualkit: error: …` lines, one per problem, with hints.
pub fn report(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    match error.downcast_ref::<Error>() {
        Some(error) => {
            for single in error.flatten() {
                let _ = writeln!(stderr, "qualkit: error: {single}");
                if let Some(hint) = single.hint() {
                    let _ = writeln!(stderr, "  hint: {hint}");
                }
            }
        }
        None => {
            let _ = writeln!(stderr, "qualkit: error: {error:#}");
        }
    }
}

/// Print a notice on stderr unless quiet.
pub fn notice(quiet: bool, message: &str) {
    if !quiet {
        let _ = writeln!(std::io::stderr(), "qualkit: {message}");
    }
}
