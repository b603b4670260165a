//! Input files' SHA-256 remembered with their stamps ([`Stamp`]), so that a file not
//! written since it was last hashed is not hashed again, as git's index does: hashing was a
//! third of the CPU time of reading a 100 MB corpus again for a re-code. Kept in
//! `<study>/.qualkit/input-hashes.bin`, a cache file (missing or damaged, every file is
//! hashed), written once the study has a `.qualkit` folder (which the commands that index a
//! study make before reading it).
//!
//! A stamp taken within two seconds of a write can miss a second write in the same tick of
//! the clock, so only stamps older than that when the corpus was read are remembered.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::{InputFile, hex};
use crate::files::Stamp;
use crate::index::{CacheFile, Reader, push_stamp, push_text, push_u32};
use crate::study::Study;

/// The cache file's layout.
const FORMAT: u32 = 1;
const NAME: &str = "input-hashes.bin";
/// Cache files name the index they belong to; this one belongs to the study.
const OWNER: &str = "study";

/// The hashes remembered, and when the corpus started being read.
pub(super) struct KnownHashes {
    file: CacheFile,
    started: SystemTime,
    known: BTreeMap<String, (Stamp, String)>,
}

impl KnownHashes {
    /// The hashes remembered for `study`'s files (none when there are none to read).
    pub(super) fn read(study: &Study) -> KnownHashes {
        let started = SystemTime::now();
        let file = CacheFile::new(&study.cache_dir(), NAME, OWNER);
        let known =
            file.read(FORMAT).and_then(|body| parse(&mut body.reader())).unwrap_or_default();
        KnownHashes { file, started, known }
    }

    /// The file at `path` (named as the study names it) read from `full`, with its hash.
    ///
    /// # Errors
    /// The file cannot be read.
    pub(super) fn read_file(&self, path: &Path, full: &Path) -> std::io::Result<(Vec<u8>, Hashed)> {
        use std::io::Read;
        let mut file = std::fs::File::open(full)?;
        let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
        file.read_to_end(&mut bytes)?;
        // taken after reading: a write during the read changes it
        let stamp = Stamp::of(&file.metadata()?);
        let remembered = path
            .to_str()
            .and_then(|name| self.known.get(name))
            .filter(|(known, _)| stamp.unchanged(known))
            .map(|(_, sha256)| sha256.clone());
        let sha256 = remembered.unwrap_or_else(|| hex(&Sha256::digest(&bytes)));
        let input = InputFile { path: path.to_path_buf(), sha256 };
        Ok((bytes, Hashed { input, stamp }))
    }

    /// The file at `path` (named as the study names it, found at `full`) with its hash, when
    /// its stamp is one remembered, without reading it: it is as it was when hashed.
    pub(super) fn unchanged_file(&self, path: &Path, full: &Path) -> Option<Hashed> {
        let stamp = Stamp::of(&std::fs::metadata(full).ok()?);
        let (known, sha256) = self.known.get(path.to_str()?)?;
        stamp.unchanged(known).then(|| Hashed {
            input: InputFile { path: path.to_path_buf(), sha256: sha256.clone() },
            stamp,
        })
    }

    /// Whether `hashed`'s stamp says its file was last written long enough before the
    /// corpus started being read for the stamp to show any later write (see `Stamp`).
    pub(super) fn settled(&self, hashed: &Hashed) -> bool {
        hashed.stamp.settled_before(self.started)
    }

    /// Remember the hashes of `read` whose stamps are settled, when they differ from those
    /// remembered and the study has a cache folder. A cache: failing to write it costs the
    /// next read the hashing, nothing else.
    pub(super) fn remember(&self, read: &[Hashed]) {
        let settled: BTreeMap<String, (Stamp, String)> = read
            .iter()
            .filter(|hashed| self.settled(hashed))
            .filter_map(|hashed| {
                let name = hashed.input.path.to_str()?.to_owned();
                Some((name, (hashed.stamp, hashed.input.sha256.clone())))
            })
            .collect();
        let has_folder = self.file.path().parent().is_some_and(Path::is_dir);
        if settled == self.known || !has_folder {
            return;
        }
        let mut body = Vec::new();
        push_u32(&mut body, u32::try_from(settled.len()).unwrap_or(u32::MAX));
        for (name, (stamp, sha256)) in &settled {
            push_text(&mut body, name);
            push_stamp(&mut body, *stamp);
            push_text(&mut body, sha256);
        }
        let _ = self.file.write(FORMAT, &body);
    }
}

/// A file read: its hash, and its stamp after reading.
pub(super) struct Hashed {
    pub(super) input: InputFile,
    pub(super) stamp: Stamp,
}

fn parse(input: &mut Reader<'_>) -> Option<BTreeMap<String, (Stamp, String)>> {
    let mut known = BTreeMap::new();
    for _ in 0..input.u32()? {
        let name = input.text()?.to_owned();
        let stamp = input.stamp()?;
        known.insert(name, (stamp, input.text()?.to_owned()));
    }
    input.is_empty().then_some(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(dir: &Path, started: SystemTime) -> KnownHashes {
        let file = CacheFile::new(dir, NAME, OWNER);
        KnownHashes { file, started, known: BTreeMap::new() }
    }

    /// A hash remembered for a file's stamp stands for the file's bytes until the file is
    /// written again (on unix: elsewhere stamps are not trusted).
    #[cfg(unix)]
    #[test]
    fn a_remembered_hash_stands_only_while_the_stamp_is_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.txt");
        std::fs::write(&path, "Int: hello\n").expect("write");
        let mut hashes = known(dir.path(), SystemTime::now());
        let stamp = Stamp::of(&std::fs::metadata(&path).expect("stat"));
        hashes.known.insert("t.txt".into(), (stamp, "remembered".into()));
        let (bytes, read) = hashes.read_file(Path::new("t.txt"), &path).expect("read");
        assert_eq!(bytes, b"Int: hello\n");
        assert_eq!(read.input.sha256, "remembered", "not hashed again");
        std::fs::write(&path, "Int: hello again\n").expect("write");
        let (bytes, read) = hashes.read_file(Path::new("t.txt"), &path).expect("read");
        assert_eq!(read.input.sha256, hex(&Sha256::digest(&bytes)), "hashed once written");
        let (_, read) = hashes.read_file(Path::new("other.txt"), &path).expect("read");
        assert_eq!(read.input.sha256, hex(&Sha256::digest(&bytes)), "another file's stamp");
    }

    /// Only stamps two seconds older than the reading are remembered, and they read back.
    #[test]
    fn settled_stamps_are_remembered_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.txt");
        std::fs::write(&path, "Int: hello\n").expect("write");
        let now = SystemTime::now();
        let read = |hashes: &KnownHashes| {
            let (_, read) = hashes.read_file(Path::new("t.txt"), &path).expect("read");
            read
        };
        // just written: not settled
        let fresh = known(dir.path(), now);
        fresh.remember(&[read(&fresh)]);
        assert!(!fresh.file.path().exists(), "an unsettled stamp remembered");
        let later = known(dir.path(), now + std::time::Duration::from_secs(3));
        let hashed = read(&later);
        later.remember(std::slice::from_ref(&hashed));
        let back = CacheFile::new(dir.path(), NAME, OWNER)
            .read(FORMAT)
            .and_then(|body| parse(&mut body.reader()))
            .expect("remembered");
        assert_eq!(back.get("t.txt"), Some(&(hashed.stamp, hashed.input.sha256.clone())));
    }
}
