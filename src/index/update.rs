//! Updating an index in place when a few of its study's files changed.
//!
//! Every index on disk keeps beside it a table of the files whose segments it holds
//! (`files.bin`, [`Files`]): each file's path and SHA-256, how many segments it was cut into,
//! a checksum of their ranges and speakers, and the *keys* its segments are indexed under
//! (the `segment` fast field: a run of consecutive numbers per file). A fresh build keys each
//! segment by its number in the study, so the keys are the numbers and searching maps
//! nothing.
//!
//! When a study's fingerprint changes only in files that hold segments — study.toml,
//! participants.csv, the settings, the parser and whose segments are held all unchanged —
//! [`update`] deletes the segments of every file changed or removed (a range query over its
//! keys), adds those of every file changed or added under fresh keys past every key used so
//! far, and leaves the rest where they are: a transcript corrected in a study of thousands is
//! indexed again alone, not with all the others. Keys then differ from segment numbers (the
//! segments after a changed file move when it gains or loses segments), and [`KeyMap`] turns
//! the keys a search finds into numbers. A change to more than a quarter of the segments, or
//! keys spread over more than twice the segments (deleted segments stay in tantivy's files
//! until it merges them), builds the index afresh instead.
//!
//! A file's parse and segments depend only on its bytes, study.toml, participants.csv (who is
//! a respondent) and the parsing code, all in the table's `settings`; a kept file's segment
//! count and checksum are compared too, so a file whose segments differ for any other reason
//! is indexed again rather than trusted.

use std::collections::HashMap;
use std::path::Path;

use super::{CacheFile, Reader, push_text, push_u32, push_u64};
use crate::corpus::{Corpus, InputFile};
use crate::segment::Segment;
use crate::study::{SpeakerFilter, Study};
use sha2::{Digest, Sha256};

/// The table's name in an index's folder, and its layout.
pub(super) const FILES_FILE: &str = "files.bin";
const FILES_FORMAT: u32 = 1;

/// The files whose segments an index holds, in the study's order, and the keys they are
/// indexed under.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Files {
    /// Everything but the files' own bytes that their segments depend on (see the module).
    settings: String,
    /// The first key never used in the index (keys of deleted segments are not used again).
    next_key: u64,
    entries: Vec<FileEntry>,
    /// Where the update in place that made the index found the segments it kept: kept with
    /// the table, so that the command after an update (`qualkit index`, then `run`) can carry
    /// over what was derived from the segments before it.
    carried: Option<Carried>,
}

#[derive(Debug, Clone, PartialEq)]
struct FileEntry {
    path: String,
    sha256: String,
    /// How many segments (held or not) the file was cut into: segment numbers run on from
    /// the file before.
    count: u32,
    /// CRC-32 of each segment's byte range, speaker and whether the index holds it.
    digest: u32,
    /// The key of the file's first segment; the others follow it.
    key: u64,
}

impl Files {
    /// The files of `segments` in `corpus`, keyed by segment number (a fresh build), with
    /// `settings` from [`settings`]; none when a file's segments are not all together (each
    /// file's documents follow one another in a corpus, so this is a safeguard).
    pub(super) fn of(
        study: &Study,
        corpus: &Corpus,
        segments: &[Segment],
        speakers: SpeakerFilter,
        base: &str,
    ) -> Option<Files> {
        let mut entries: Vec<FileEntry> = Vec::new();
        let mut digest = crc32fast::Hasher::new();
        let mut seen = std::collections::HashSet::new();
        let sha_of: HashMap<&Path, &str> =
            corpus.inputs.iter().map(|i| (i.path.as_path(), i.sha256.as_str())).collect();
        let mut last_document = usize::MAX;
        for (number, segment) in segments.iter().enumerate() {
            let document = segment.document_index();
            if document != last_document {
                last_document = document;
                let path = &corpus.documents.get(document)?.path;
                if entries.last().is_none_or(|e| Path::new(&e.path) != path.as_path()) {
                    if let Some(entry) = entries.last_mut() {
                        entry.digest = std::mem::take(&mut digest).finalize();
                    }
                    if !seen.insert(path.as_path()) {
                        return None;
                    }
                    let sha256 = (*sha_of.get(path.as_path())?).to_owned();
                    let path = path.to_string_lossy().into_owned();
                    entries.push(FileEntry {
                        path,
                        sha256,
                        count: 0,
                        digest: 0,
                        key: number as u64,
                    });
                }
            }
            let entry = entries.last_mut()?;
            entry.count = entry.count.checked_add(1)?;
            let bytes = segment.bytes();
            let held = u32::from(segment.spoken_by(speakers, corpus));
            for n in [bytes.start as u32, bytes.end as u32, segment.speaker_number() as u32, held] {
                digest.update(&n.to_le_bytes());
            }
        }
        if let Some(entry) = entries.last_mut() {
            entry.digest = digest.finalize();
        }
        let holding: std::collections::HashSet<&str> =
            entries.iter().map(|e| e.path.as_str()).collect();
        let settings = settings(study, base, &corpus.inputs, &holding);
        Some(Files { settings, next_key: segments.len() as u64, entries, carried: None })
    }

    /// Where the update in place that made the index found the segments it kept.
    pub(super) fn carried(&self) -> Option<&Carried> {
        self.carried.as_ref()
    }

    /// Note where the update in place making the index found the segments it kept.
    pub(super) fn set_carried(&mut self, carried: Carried) {
        self.carried = Some(carried);
    }

    /// How many segments the files hold.
    pub(super) fn segment_count(&self) -> usize {
        self.entries.iter().map(|e| e.count as usize).sum()
    }

    /// A table of `count` segments keyed by their numbers that no update in place can use
    /// (its settings are no study's): for a study whose files' segments do not follow one
    /// another ([`Files::of`] gives none), such as one file listed by two sources.
    pub(super) fn whole(count: usize) -> Files {
        let entry = FileEntry {
            path: String::new(),
            sha256: String::new(),
            count: u32::try_from(count).unwrap_or(u32::MAX),
            digest: 0,
            key: 0,
        };
        Files {
            settings: String::new(),
            next_key: count as u64,
            entries: vec![entry],
            carried: None,
        }
    }

    /// The table kept in `file`, when it reads whole.
    pub(super) fn read(file: &CacheFile) -> Option<Files> {
        let body = file.read(FILES_FORMAT)?;
        let mut reader = Reader::new(body.bytes());
        let settings = reader.text()?.to_owned();
        let next_key = reader.u64()?;
        let count = usize::try_from(reader.u64()?).ok()?;
        let mut entries = Vec::with_capacity(count.min(reader.remaining()));
        for _ in 0..count {
            let path = reader.text()?.to_owned();
            let sha256 = reader.text()?.to_owned();
            let (count, digest, key) = (reader.u32()?, reader.u32()?, reader.u64()?);
            entries.push(FileEntry { path, sha256, count, digest, key });
        }
        let carried = match reader.u32()? {
            0 => None,
            _ => Some(Carried::read(&mut reader)?),
        };
        let files = Files { settings, next_key, entries, carried };
        let tiled = files.carried.as_ref().is_none_or(|c| c.tiles(files.segment_count()));
        (reader.is_empty() && tiled).then_some(files)
    }

    /// Keep the table in `file`.
    pub(super) fn write(&self, file: &CacheFile) -> std::io::Result<()> {
        let mut body = Vec::new();
        push_text(&mut body, &self.settings);
        push_u64(&mut body, self.next_key);
        push_u64(&mut body, self.entries.len() as u64);
        for entry in &self.entries {
            push_text(&mut body, &entry.path);
            push_text(&mut body, &entry.sha256);
            push_u32(&mut body, entry.count);
            push_u32(&mut body, entry.digest);
            push_u64(&mut body, entry.key);
        }
        push_u32(&mut body, u32::from(self.carried.is_some()));
        if let Some(carried) = &self.carried {
            carried.write_to(&mut body);
        }
        file.write(FILES_FORMAT, &body)
    }

    /// How the keys of the index map to segment numbers: none when each key is its
    /// segment's number.
    pub(super) fn key_map(&self) -> Option<KeyMap> {
        let mut runs = Vec::with_capacity(self.entries.len());
        let mut first = 0u64;
        for entry in &self.entries {
            runs.push(KeyRun { key: entry.key, count: u64::from(entry.count), first });
            first += u64::from(entry.count);
        }
        if runs.iter().all(|run| run.key == run.first) {
            return None;
        }
        runs.sort_unstable_by_key(|run| run.key);
        Some(KeyMap { runs })
    }
}

/// What an index's files table must agree on for the index to be updated in place: the
/// index's settings (`base`: tool version, index format, unit, language, reading and whose
/// segments it holds), the parsing code, study.toml, and every input that holds no segments
/// (participants.csv, a transcript with no turns), by path and SHA-256.
fn settings(
    study: &Study,
    base: &str,
    inputs: &[InputFile],
    holding: &std::collections::HashSet<&str>,
) -> String {
    let mut others = Sha256::new();
    for input in inputs {
        let path = input.path.to_string_lossy();
        if !holding.contains(path.as_ref()) {
            others.update(path.as_bytes());
            others.update([0]);
            others.update(input.sha256.as_bytes());
            others.update([0]);
        }
    }
    format!(
        "{base}parser {}\nmanifest {}\nother inputs {}\n",
        crate::corpus::PARSER,
        crate::corpus::hex(&Sha256::digest(study.manifest_text.as_bytes())),
        crate::corpus::hex(&others.finalize()),
    )
}

/// The segment numbers of an index's keys, when they differ ([`Files::key_map`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyMap {
    /// Sorted by key; the runs' keys never overlap.
    runs: Vec<KeyRun>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct KeyRun {
    key: u64,
    count: u64,
    /// The segment number of the run's first key.
    first: u64,
}

impl KeyMap {
    /// The segment number indexed under `key`, if a file kept in the table holds it.
    pub(super) fn number_of(&self, key: u64) -> Option<usize> {
        let number = through_runs(&self.runs, key, |run| (run.key, run.first, run.count))?;
        usize::try_from(number).ok()
    }
}

/// Where `x` goes through `runs` (each, by `parts`, its first number from, its first number
/// to and its count; sorted by the first, not overlapping), if a run holds it: how keys
/// become segment numbers ([`KeyMap`]) and old segment numbers new ones ([`Carried`]).
fn through_runs<R>(runs: &[R], x: u64, parts: impl Fn(&R) -> (u64, u64, u64)) -> Option<u64> {
    let after = runs.partition_point(|run| parts(run).0 <= x);
    let (from, to, count) = parts(runs.get(after.checked_sub(1)?)?);
    (x - from < count).then(|| to + (x - from))
}

/// Where the segments an update kept were numbered before it, so that what was derived from
/// them (each rule's matches) can be carried over, and which segments are new.
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    /// The index's fingerprint before the update, which its cache files still carry.
    old_fingerprint: String,
    /// How many segments the study had before.
    old_count: usize,
    /// Each kept file's segments: first number before, first number now, count; in the
    /// study's order, which is both numberings' (kept files keep their order).
    runs: Vec<(usize, usize, usize)>,
    /// The segments of the files changed or added, by number now, ascending.
    fresh: Vec<std::ops::Range<usize>>,
}

impl Carried {
    fn write_to(&self, out: &mut Vec<u8>) {
        push_text(out, &self.old_fingerprint);
        push_u64(out, self.old_count as u64);
        push_u64(out, self.runs.len() as u64);
        for &(before, now, count) in &self.runs {
            [before, now, count].into_iter().for_each(|n| push_u64(out, n as u64));
        }
        push_u64(out, self.fresh.len() as u64);
        for range in &self.fresh {
            push_u64(out, range.start as u64);
            push_u64(out, range.end as u64);
        }
    }

    /// What [`Carried::write_to`] wrote, when its runs and ranges ascend.
    fn read(reader: &mut Reader<'_>) -> Option<Carried> {
        let old_fingerprint = reader.text()?.to_owned();
        let mut number = || usize::try_from(reader.u64()?).ok();
        let old_count = number()?;
        let mut runs = Vec::new();
        for _ in 0..number()? {
            runs.push((number()?, number()?, number()?));
        }
        let mut fresh = Vec::new();
        for _ in 0..number()? {
            fresh.push(number()?..number()?);
        }
        // the runs ascend in the old numbering within the old count; with the fresh ranges
        // they tile the segments now (`Carried::tiles`, checked where the table is read)
        let mut before_end = 0usize;
        for &(before, _, count) in &runs {
            if before < before_end {
                return None;
            }
            before_end = before.checked_add(count)?;
        }
        (before_end <= old_count).then_some(Carried { old_fingerprint, old_count, runs, fresh })
    }

    /// Whether the kept runs (ascending in both numberings) and the fresh ranges tile
    /// `0..count`.
    fn tiles(&self, count: usize) -> bool {
        let kept = self.runs.iter().map(|&(_, now, len)| now.checked_add(len).map(|end| now..end));
        let fresh = self.fresh.iter().cloned().map(Some);
        let Some(mut ranges): Option<Vec<std::ops::Range<usize>>> = kept.chain(fresh).collect()
        else {
            return false;
        };
        let kept_ascend = self.runs.windows(2).all(|w| w[0].1 < w[1].1);
        ranges.sort_unstable_by_key(|range| range.start);
        let mut end = 0;
        for range in ranges {
            if range.start != end || range.end < range.start {
                return false;
            }
            end = range.end;
        }
        kept_ascend && end == count
    }

    /// The fingerprint the index had before the update.
    pub fn old_fingerprint(&self) -> &str {
        &self.old_fingerprint
    }

    /// How many segments the study had before the update.
    pub fn old_count(&self) -> usize {
        self.old_count
    }

    /// The segments of the files changed or added, by number now, ascending.
    pub fn fresh(&self) -> &[std::ops::Range<usize>] {
        &self.fresh
    }

    /// Each kept file's segments: (first number before, first number now, count), ascending
    /// in both numberings.
    pub fn runs(&self) -> &[(usize, usize, usize)] {
        &self.runs
    }

    /// The number now of the segment numbered `old` before, unless its file changed or was
    /// removed.
    pub fn number_now(&self, old: usize) -> Option<usize> {
        let parts = |&(before, now, count): &(usize, usize, usize)| {
            (before as u64, now as u64, count as u64)
        };
        usize::try_from(through_runs(&self.runs, old as u64, parts)?).ok()
    }
}

/// What an update does: the key ranges to delete, and the segment numbers to add with their
/// keys.
#[derive(Debug, PartialEq)]
pub(super) struct Changes {
    /// How many files were added, changed or removed.
    files: usize,
    deleted: Vec<std::ops::Range<u64>>,
    /// Each added file's segment numbers and its first key.
    added: Vec<(std::ops::Range<usize>, u64)>,
    /// Where the kept files' segments were numbered before (fingerprint left to the caller).
    carried: Carried,
}

impl Changes {
    /// How many files were added, changed or removed.
    pub(super) fn files(&self) -> usize {
        self.files
    }

    /// Where the kept files' segments were numbered before the update, the index's
    /// fingerprint then being `old_fingerprint`.
    pub(super) fn carried(&self, old_fingerprint: &str) -> Carried {
        Carried { old_fingerprint: old_fingerprint.to_owned(), ..self.carried.clone() }
    }

    /// How many segments the update adds (held or not).
    pub(super) fn added_segments(&self) -> usize {
        self.added.iter().map(|(numbers, _)| numbers.len()).sum()
    }

    /// The key ranges of the segments to delete.
    pub(super) fn deleted(&self) -> &[std::ops::Range<u64>] {
        &self.deleted
    }

    /// Every segment number to add with its key, in order.
    pub(super) fn keyed(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.added.iter().flat_map(|(numbers, key)| {
            numbers.clone().map(move |n| (n, key + (n - numbers.start) as u64))
        })
    }
}

/// The changes that turn an index keyed as `old` into one holding `now`'s segments, with
/// `now`'s keys set: a file of `old` with the same path, hash, segment count and checksum
/// keeps its keys; every other file of `now` is given fresh ones. None when the settings
/// differ, or when the update would touch more than a quarter of the segments or leave keys
/// spread over more than twice them (then a fresh build is as quick, and compacts).
pub(super) fn changes(old: &Files, now: &mut Files) -> Option<Changes> {
    if old.settings != now.settings {
        return None;
    }
    // each old file's key and first segment number
    let mut old_first = 0usize;
    let mut kept: HashMap<(&str, &str, u32, u32), (u64, usize)> = old
        .entries
        .iter()
        .map(|e| {
            let first = old_first;
            old_first += e.count as usize;
            ((e.path.as_str(), e.sha256.as_str(), e.count, e.digest), (e.key, first))
        })
        .collect();
    let mut runs = Vec::new();
    let mut next_key = old.next_key;
    let mut added = Vec::new();
    let mut changed = std::collections::HashSet::new();
    let mut first = 0usize;
    for entry in &mut now.entries {
        let id = (entry.path.as_str(), entry.sha256.as_str(), entry.count, entry.digest);
        let numbers = first..first + entry.count as usize;
        first = numbers.end;
        if let Some((key, before)) = kept.remove(&id) {
            entry.key = key;
            runs.push((before, numbers.start, numbers.len()));
        } else {
            entry.key = next_key;
            next_key = next_key.checked_add(u64::from(entry.count))?;
            changed.insert(entry.path.as_str());
            added.push((numbers, entry.key));
        }
    }
    // kept files keep their order (the study's), so both numberings ascend together
    if !runs.is_sorted() {
        return None;
    }
    let deleted_keys: std::collections::HashSet<u64> = kept.into_values().map(|(k, _)| k).collect();
    let deleted_files: Vec<&FileEntry> =
        old.entries.iter().filter(|e| deleted_keys.contains(&e.key)).collect();
    changed.extend(deleted_files.iter().map(|e| e.path.as_str()));
    let deleted = deleted_files.iter().map(|e| e.key..e.key + u64::from(e.count)).collect();
    let fresh = added.iter().map(|(numbers, _)| numbers.clone()).collect();
    let old_count = old_first;
    let carried = Carried { old_fingerprint: String::new(), old_count, runs, fresh };
    let changes = Changes { files: changed.len(), deleted, added, carried };
    now.next_key = next_key;
    let total = first as u64;
    let few = changes.added_segments() as u64 * 4 <= total;
    let compact = next_key <= total.saturating_mul(2).saturating_add(4096);
    (few && compact).then_some(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, sha: &str, count: u32, key: u64) -> FileEntry {
        FileEntry { path: path.into(), sha256: sha.into(), count, digest: 7, key }
    }

    fn files(entries: Vec<FileEntry>, next_key: u64) -> Files {
        Files { settings: "s".into(), next_key, entries, carried: None }
    }

    /// A changed file in the middle is deleted and added under fresh keys; the files after
    /// it keep theirs and move; the map finds every segment's number.
    #[test]
    fn a_changed_file_gets_fresh_keys_and_the_others_keep_theirs() {
        let old = files(
            vec![entry("a", "1", 10, 0), entry("b", "2", 10, 10), entry("c", "3", 40, 20)],
            60,
        );
        let mut now = files(
            vec![entry("a", "1", 10, 0), entry("b", "9", 12, 10), entry("c", "3", 40, 22)],
            62,
        );
        let changes = changes(&old, &mut now).expect("an update");
        assert_eq!(changes.deleted, vec![10..20]);
        assert_eq!(changes.added, vec![(10..22, 60)]);
        assert_eq!(changes.files(), 1);
        assert_eq!(now.next_key, 72);
        let keys: Vec<u64> = now.entries.iter().map(|e| e.key).collect();
        assert_eq!(keys, vec![0, 60, 20]);
        let carried = changes.carried("before");
        assert_eq!(carried.fresh().to_vec(), vec![(10..22)]);
        assert_eq!(carried.old_count(), 60);
        assert_eq!(
            (0..60).map(|n| carried.number_now(n)).collect::<Vec<_>>(),
            (0..10)
                .map(Some)
                .chain((10..20).map(|_| None))
                .chain((22..62).map(Some))
                .collect::<Vec<_>>()
        );
        let map = now.key_map().expect("keys differ from numbers");
        assert_eq!(map.number_of(0), Some(0));
        assert_eq!(map.number_of(9), Some(9));
        assert_eq!(map.number_of(60), Some(10));
        assert_eq!(map.number_of(71), Some(21));
        assert_eq!(map.number_of(20), Some(22));
        assert_eq!(map.number_of(59), Some(61));
        // the deleted file's keys and keys never used are nobody's
        assert_eq!(map.number_of(10), None);
        assert_eq!(map.number_of(72), None);
    }

    /// The table reads back as written, with where an update found the segments it kept.
    #[test]
    fn the_table_reads_back_with_what_an_update_carried() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = files(vec![entry("a", "1", 100, 0), entry("b", "2", 30, 100)], 130);
        let mut now = files(vec![entry("a", "1", 100, 0), entry("b", "3", 8, 100)], 130);
        let changes = changes(&old, &mut now).expect("an update");
        now.set_carried(changes.carried("fingerprint before"));
        let file = CacheFile::new(dir.path(), FILES_FILE, "fingerprint now");
        now.write(&file).expect("written");
        let read = Files::read(&file).expect("read back");
        assert_eq!(read, now);
        let carried = read.carried().expect("carried");
        assert_eq!(carried.old_fingerprint(), "fingerprint before");
        assert_eq!(carried.runs(), &[(0, 0, 100)]);
        assert_eq!(carried.fresh().to_vec(), vec![(100..108)]);
        assert_eq!(read.segment_count(), 108);
        assert!(Files::read(&CacheFile::new(dir.path(), FILES_FILE, "other")).is_none());
    }

    /// Removed files are deleted, added ones keyed past every key used, and a fresh build's
    /// keys need no map.
    #[test]
    fn removed_and_added_files() {
        let old = files((0..8).map(|n| entry(&format!("f{n}"), "x", 5, 5 * n)).collect(), 40);
        assert_eq!(old.key_map(), None);
        let mut entries: Vec<FileEntry> = old.entries.clone();
        entries.remove(3);
        entries.insert(5, entry("new", "y", 5, 0));
        let mut now = files(entries, 0);
        let changes = changes(&old, &mut now).expect("an update");
        assert_eq!(changes.deleted, vec![15..20]);
        assert_eq!(changes.added, vec![(25..30, 40)]);
        assert_eq!(changes.files(), 2);
        assert_eq!(changes.keyed().collect::<Vec<_>>(), (25..30).zip(40..45).collect::<Vec<_>>());
    }

    /// A file with the same path and hash whose segments differ (their count or checksum:
    /// cut differently for a reason the settings missed) is indexed again, not trusted.
    #[test]
    fn a_file_whose_segments_differ_is_indexed_again() {
        let old = files(vec![entry("a", "1", 100, 0), entry("b", "2", 10, 100)], 110);
        let mut now = old.clone();
        now.entries[1].digest = 8;
        let update = changes(&old, &mut now).expect("an update");
        assert_eq!(update.deleted, vec![100..110]);
        assert_eq!(update.added, vec![(100..110, 110)]);
        let mut now = old.clone();
        now.entries[1].count = 11;
        assert_eq!(changes(&old, &mut now).expect("an update").deleted, vec![100..110]);
    }

    /// Too much changed, keys spread too wide, or other settings: build afresh.
    #[test]
    fn an_update_is_refused_when_a_fresh_build_would_do_better() {
        let old = files(vec![entry("a", "1", 10, 0), entry("b", "2", 10, 10)], 20);
        let mut half = files(vec![entry("a", "1", 10, 0), entry("b", "9", 10, 10)], 20);
        assert!(changes(&old, &mut half).is_none(), "half the segments changed");
        let many: Vec<FileEntry> =
            (0..100).map(|n| entry(&format!("f{n}"), "x", 100, 100 * n)).collect();
        let mut spread = files(many.clone(), 1_000_000);
        let mut now = files(many.clone(), 0);
        now.entries[0].sha256 = "z".into();
        assert!(
            changes(&spread.clone(), &mut now).is_none(),
            "keys spread over 100 times the segments"
        );
        spread.next_key = 10_000;
        assert!(changes(&spread, &mut now).is_some());
        let mut other = files(many, 0);
        other.settings = "t".into();
        assert!(changes(&spread, &mut other).is_none(), "settings differ");
    }
}
