//! Files a run writes, and the processes that write them: new folders written whole
//! (staging folder renamed into place) and whether a process that left a lock or a
//! staging folder is still running. Used by the index cache, `run`, `import refi` and
//! `anonymise`.

use crate::error::Result;

/// Whether process `pid` is running: it exists and is not a zombie (a killed run whose
/// parent has not reaped it still has a `/proc` entry, but holds nothing).
pub fn process_alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    // the state follows the command name, which is in parentheses and may contain spaces
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next());
    !matches!(state, Some('Z' | 'X'))
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
    use crate::Error;
    let parent =
        into.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = into.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = parent.join(format!(".{name}.{purpose}-{}", std::process::id()));
    let result = (|| {
        for (relative, bytes) in files {
            let path = staging.join(relative);
            std::fs::create_dir_all(path.parent().unwrap_or(&staging))
                .map_err(|e| Error::io(&path, e))?;
            std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        }
        if into.exists() {
            std::fs::remove_dir(into).map_err(|e| Error::io(into, e))?;
        }
        std::fs::rename(&staging, into).map_err(|e| Error::io(into, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
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
