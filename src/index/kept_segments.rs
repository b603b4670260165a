//! The segments kept beside an index (`segments.bin`), so that a study read again with its
//! inputs unchanged is not cut into segments again (a tenth of re-coding a 100 MB study),
//! and one whose files changed cuts only those.
//!
//! The file is named by what the segments are cut from: the settings (qualkit's version, the
//! unit, language and reading, the parser's hash, study.toml and participants.csv, on which
//! every file's parse depends) and every input's hash. After its records comes a table of
//! the files they were cut from, in the study's order: each one's path, SHA-256, and how many
//! documents and segments it gave. When the inputs changed but not the settings, the
//! segments of every file whose path and hash the table holds are carried over, renumbered
//! to its documents' places now, and only the other files' documents are cut.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::{Body, CacheFile, Reader, push_text, push_u32, write_numbers};
use crate::corpus::Corpus;
use crate::segment::{Segment, Unit};
use crate::study::Study;

/// The segments' file in an index's folder.
const SEGMENTS_FILE: &str = "segments.bin";
/// The layout: the count, seven u32 per segment (document, speaker, byte range, char range,
/// line), then the table of files. 2: a segment's second number is its speaker's (it was its
/// turn's); 3: the table of files.
const SEGMENTS_FORMAT: u32 = 3;
const SEGMENT_BYTES: usize = 28;

/// How the segments [`KeptSegments::read`] gives came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Read {
    /// Kept for these inputs.
    Kept,
    /// Those of this many unchanged files carried over from segments kept for other
    /// inputs, the others' cut.
    Carried(usize),
    /// Cut afresh.
    Cut,
}

/// Where a study's segments by one unit are kept.
pub(super) struct KeptSegments {
    file: CacheFile,
    /// What every file's segments depend on besides its own bytes.
    settings: String,
    /// The settings and every input's hash: what the file is named by.
    fingerprint: String,
}

impl KeptSegments {
    /// Where `corpus`'s segments by `unit` are kept, in the index's folder `dir`, whose
    /// `settings` (its fingerprint without the inputs) are given.
    pub(super) fn of(study: &Study, corpus: &Corpus, settings: &str, dir: &Path) -> KeptSegments {
        // participants.csv is the first input (who is a respondent is part of every parse)
        let parse = crate::corpus::parse_settings(study, corpus.inputs.first());
        let settings = format!("{settings}{parse}");
        let fingerprint = format!("{settings}inputs {}\n", corpus.fingerprint(study));
        let file = CacheFile::new(dir, SEGMENTS_FILE, &fingerprint);
        KeptSegments { file, settings, fingerprint }
    }

    /// The segments of `corpus` by `unit`: kept for these inputs, carried over from those
    /// kept for other inputs with the same settings (file by file), or cut afresh.
    pub(super) fn read(&self, corpus: &Corpus, unit: Unit) -> (Vec<Segment>, Read) {
        let kept = self.file.read_for_settings(SEGMENTS_FORMAT, &self.settings);
        let read = kept.and_then(|(written, body)| {
            if written == self.fingerprint {
                read_segments(&body, corpus).map(|segments| (segments, Read::Kept))
            } else {
                carried(&body, corpus, unit)
                    .map(|(segments, files)| (segments, Read::Carried(files)))
            }
        });
        read.unwrap_or_else(|| (crate::segment::segment(corpus, unit), Read::Cut))
    }

    /// Keep `segments`, those of `corpus`. A cache: failing to write it costs the next read
    /// the segmenting, nothing else.
    pub(super) fn write(&self, corpus: &Corpus, segments: &[Segment]) -> std::io::Result<()> {
        write_segments_file(&self.file, corpus, segments)
    }
}

/// Keep `segments`, those of `corpus`, in `file`, with the table of the files they were cut
/// from.
fn write_segments_file(
    file: &CacheFile,
    corpus: &Corpus,
    segments: &[Segment],
) -> std::io::Result<()> {
    file.write_with(SEGMENTS_FORMAT, |out| {
        out.write_all(&(segments.len() as u64).to_le_bytes())?;
        write_numbers(
            out,
            segments.iter().map(|s| {
                let mut record = [0u8; SEGMENT_BYTES];
                let (bytes, chars) = (s.bytes(), s.chars());
                let numbers = [
                    s.document_index(),
                    s.speaker_number(),
                    bytes.start,
                    bytes.end,
                    chars.start,
                    chars.end,
                    s.line(),
                ];
                // every number fits: a segment holds them in 32 bits
                for (to, n) in record.chunks_exact_mut(4).zip(numbers) {
                    to.copy_from_slice(&(n as u32).to_le_bytes());
                }
                record
            }),
        )?;
        out.write_all(&files_table(corpus, segments))
    })
}

/// One run of a file's documents: its path and hash, how many documents it gave in a row
/// and how many segments those were cut into.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileRun<'a> {
    path: &'a str,
    sha256: &'a str,
    documents: usize,
    segments: usize,
}

/// The table of the files `segments` were cut from, in order: a run per file (a file listed
/// by two sources has two, and is carried from neither). Empty when the segments are not
/// in document order (as [`crate::segment::segment`] gives them), which carries nothing.
fn files_table(corpus: &Corpus, segments: &[Segment]) -> Vec<u8> {
    let runs = file_runs(corpus, |range| {
        let start = segments.partition_point(|s| s.document_index() < range.start);
        let end = segments.partition_point(|s| s.document_index() < range.end);
        end.saturating_sub(start)
    });
    let counted: usize = runs.iter().map(|run| run.segments).sum();
    let in_order = segments.is_sorted_by_key(Segment::document_index);
    let runs = if in_order && counted == segments.len() { runs } else { Vec::new() };
    let mut table = Vec::new();
    push_u32(&mut table, u32::try_from(runs.len()).unwrap_or(u32::MAX));
    for run in &runs {
        push_text(&mut table, run.path);
        push_text(&mut table, run.sha256);
        push_u32(&mut table, u32::try_from(run.documents).unwrap_or(u32::MAX));
        push_u32(&mut table, u32::try_from(run.segments).unwrap_or(u32::MAX));
    }
    table
}

/// `corpus`'s documents in runs of one file each, with the segments `count` says a run of
/// documents (their numbers) has.
fn file_runs<'c>(corpus: &'c Corpus, count: impl Fn(Range<usize>) -> usize) -> Vec<FileRun<'c>> {
    let sha_of: HashMap<&Path, &str> =
        corpus.inputs.iter().map(|i| (i.path.as_path(), i.sha256.as_str())).collect();
    let mut runs: Vec<(usize, FileRun)> = Vec::new();
    for (n, document) in corpus.documents.iter().enumerate() {
        let path = document.path.to_str().unwrap_or_default();
        match runs.last_mut() {
            // (a path that is not UTF-8 is a run per document, carried from nothing)
            Some((_, run)) if run.path == path && !path.is_empty() => run.documents += 1,
            _ => {
                let sha256 = sha_of.get(document.path.as_path()).copied().unwrap_or_default();
                runs.push((n, FileRun { path, sha256, documents: 1, segments: 0 }));
            }
        }
    }
    runs.into_iter()
        .map(|(first, mut run)| {
            run.segments = count(first..first + run.documents);
            run
        })
        .collect()
}

/// The records of `body` and the table of files after them, when they read whole.
fn parts(body: &Body) -> Option<(&[u8], Vec<FileRun<'_>>)> {
    let mut reader = body.reader();
    let count = usize::try_from(reader.u64()?).ok()?;
    let records = reader.bytes(count.checked_mul(SEGMENT_BYTES)?)?;
    let table = read_table(&mut reader)?;
    reader.is_empty().then_some((records, table))
}

fn read_table<'b>(reader: &mut Reader<'b>) -> Option<Vec<FileRun<'b>>> {
    let count = reader.u32()? as usize;
    // (a run is at least 16 bytes: a damaged count reserves no more than the table could hold)
    let mut runs = Vec::with_capacity(count.min(reader.remaining() / 16));
    for _ in 0..count {
        let (path, sha256) = (reader.text()?, reader.text()?);
        let (documents, segments) = (reader.u32()? as usize, reader.u32()? as usize);
        runs.push(FileRun { path, sha256, documents, segments });
    }
    Some(runs)
}

/// A record's seven numbers, as [`write_segments_file`] lays them out.
fn numbers(record: &[u8]) -> [usize; 7] {
    std::array::from_fn(|i| {
        u32::from_le_bytes(record[4 * i..4 * i + 4].try_into().expect("4 bytes")) as usize
    })
}

/// The segment a record's `numbers` give, in document `document_n` of `corpus`, when it lies
/// in a turn of its speaker, on the text's character boundaries (so nothing read can make a
/// slice of the text panic), with no more chars than bytes and no char offset past its byte
/// offset (as of every text: a char is one to four bytes). `turn`: where the turn of the
/// segment before was found, in its document.
fn checked(
    corpus: &Corpus,
    document_n: usize,
    numbers: [usize; 7],
    turn: &mut usize,
) -> Option<Segment> {
    let [_, speaker_n, bytes_start, bytes_end, chars_start, chars_end, line] = numbers;
    let (bytes, chars) = (bytes_start..bytes_end, chars_start..chars_end);
    let document = corpus.documents.get(document_n)?;
    let turn = document.turn_holding_from(bytes.clone(), turn)?;
    let in_turn = turn.speaker_number() == speaker_n
        && document.is_char_boundary(bytes.start)
        && document.is_char_boundary(bytes.end)
        && chars.start <= chars.end
        && chars.len() <= bytes.len()
        && chars.start <= bytes.start;
    in_turn.then(|| Segment::new(document_n, speaker_n, bytes, chars, line))
}

/// Whether a record's `numbers` come after those of the record before it, `before`.
fn follows(before: [usize; 7], numbers: [usize; 7]) -> bool {
    let [last_document, _, _, last_bytes_end, _, last_chars_end, _] = before;
    let [document, _, bytes_start, _, chars_start, _, _] = numbers;
    last_document < document
        || (last_document == document
            && last_bytes_end <= bytes_start
            && last_chars_end <= chars_start)
}

/// The segments kept in `body`, when each lies in a turn of `corpus` as [`checked`] says,
/// after the one before it in its document, and the table of files after them reads.
fn read_segments(body: &Body, corpus: &Corpus) -> Option<Vec<Segment>> {
    read_segments_in_groups(body, corpus, 1 << 16)
}

/// [`read_segments`], `group` segments to a parallel task.
fn read_segments_in_groups(body: &Body, corpus: &Corpus, group: usize) -> Option<Vec<Segment>> {
    use rayon::prelude::*;
    let (records, _) = parts(body)?;
    let count = records.len() / SEGMENT_BYTES;
    let segment = |index: usize, record: &[u8], turn: &mut usize| -> Option<Segment> {
        let numbers = numbers(record);
        // after the segment before it, which is checked against its own record
        let after_the_last =
            index.checked_sub(1).is_none_or(|before| follows(numbers_at(records, before), numbers));
        after_the_last.then(|| checked(corpus, numbers[0], numbers, turn)).flatten()
    };
    // in groups on both cores (a tenth of a re-code read them on one) into their place in
    // one list (not lists joined after, twice the segments at once), each group's records
    // let go once read: mapped, they would be counted in the run's memory, as large as the
    // segments themselves, until the file is closed
    let mut segments = vec![Segment::new(0, 0, 0..0, 0..0, 0); count];
    segments
        .par_chunks_mut(group)
        .zip(records.par_chunks(group * SEGMENT_BYTES))
        .enumerate()
        .try_for_each(|(n, (segments, bytes))| {
            let read = segments.iter_mut().zip(bytes.chunks_exact(SEGMENT_BYTES));
            let mut turn = 0;
            for (i, (kept, record)) in read.enumerate() {
                *kept = segment(n * group + i, record, &mut turn)?;
            }
            body.let_go(bytes);
            Some(())
        })?;
    Some(segments)
}

/// The numbers of record `n` of `records`.
fn numbers_at(records: &[u8], n: usize) -> [usize; 7] {
    numbers(&records[n * SEGMENT_BYTES..(n + 1) * SEGMENT_BYTES])
}

/// Where a file's documents and segments were in the kept segments.
#[derive(Debug, Clone)]
struct Was {
    documents: Range<usize>,
    segments: Range<usize>,
}

/// The segments of `corpus` by `unit`, those of each file that `body` (segments kept for
/// other inputs with the same settings) holds with the same path and hash carried over,
/// the others cut, and how many files were carried; none when `body` does not read, holds
/// no file as it is, or a carried file's segments are not as kept segments must be.
fn carried(body: &Body, corpus: &Corpus, unit: Unit) -> Option<(Vec<Segment>, usize)> {
    carried_in_groups(body, corpus, unit, 1 << 16)
}

/// [`carried`], files of about `group` segments to a parallel task.
fn carried_in_groups(
    body: &Body,
    corpus: &Corpus,
    unit: Unit,
    group: usize,
) -> Option<(Vec<Segment>, usize)> {
    use rayon::prelude::*;
    let (records, table) = parts(body)?;
    let count = records.len() / SEGMENT_BYTES;
    // where each file was; a file in two runs (listed by two sources) is carried from neither
    let mut before: HashMap<(&str, &str), Option<Was>> = HashMap::new();
    let (mut document, mut segment) = (0usize, 0usize);
    for run in &table {
        let was = Was {
            documents: document..document.checked_add(run.documents)?,
            segments: segment..segment.checked_add(run.segments)?,
        };
        (document, segment) = (was.documents.end, was.segments.end);
        before.entry((run.path, run.sha256)).and_modify(|twice| *twice = None).or_insert(Some(was));
    }
    if segment != count {
        return None;
    }
    let runs = file_runs(corpus, |_| 0);
    let mut listed: HashMap<&str, usize> = HashMap::new();
    for run in &runs {
        *listed.entry(run.path).or_default() += 1;
    }
    let mut first = 0;
    let mut placed: Vec<Placed> = Vec::with_capacity(runs.len());
    for run in &runs {
        let known = !run.path.is_empty() && !run.sha256.is_empty() && listed[run.path] == 1;
        let was = known
            .then(|| before.get(&(run.path, run.sha256)).cloned().flatten())
            .flatten()
            .filter(|was| was.documents.len() == run.documents);
        let documents = first..first + run.documents;
        first = documents.end;
        placed.push(match was {
            Some(was) => Placed::Kept { was, first: documents.start },
            None => Placed::Cut(documents.collect()),
        });
    }
    let files = placed.iter().filter(|p| matches!(p, Placed::Kept { .. })).count();
    if files == 0 {
        return None; // cut a document to a task, as `segment::segment` does
    }
    // the files to cut first, on both cores: then every file's place in the list is known
    placed.par_iter_mut().for_each(|placed| {
        if let Placed::Cut(documents) = placed {
            let cut = documents
                .iter()
                .flat_map(|&n| crate::segment::segment_document(n, &corpus.documents[n], unit));
            *placed = Placed::Segments(cut.collect());
        }
    });
    // in one list, filled in place in groups of files on both cores (lists joined after
    // were twice the segments at once: 240 MB more at 1 GB), each group's records let go
    // once read, as `read_segments_in_groups` does
    let total = placed.iter().map(Placed::len).sum();
    let mut segments = vec![Segment::new(0, 0, 0..0, 0..0, 0); total];
    let mut groups: Vec<(&mut [Segment], &[Placed])> = Vec::new();
    let (mut rest, mut from) = (&mut segments[..], 0);
    let mut in_group = 0;
    for (n, file) in placed.iter().enumerate() {
        in_group += file.len();
        if in_group >= group || n + 1 == placed.len() {
            let (group, after) = rest.split_at_mut(in_group);
            groups.push((group, &placed[from..=n]));
            (rest, from, in_group) = (after, n + 1, 0);
        }
    }
    groups.into_par_iter().try_for_each(|(group, files)| {
        let mut at = 0;
        // the records read, to let go
        let (mut start, mut end) = (usize::MAX, 0);
        for file in files {
            let to = &mut group[at..at + file.len()];
            match file {
                Placed::Kept { was, first } => {
                    moved(to, records, was, *first, corpus)?;
                    (start, end) = (start.min(was.segments.start), end.max(was.segments.end));
                }
                Placed::Segments(cut) => to.clone_from_slice(cut),
                Placed::Cut(_) => return None,
            }
            at += file.len();
        }
        if start < end {
            body.let_go(&records[start * SEGMENT_BYTES..end * SEGMENT_BYTES]);
        }
        Some(())
    })?;
    Some((segments, files))
}

/// Where one file's segments come from in [`carried`].
enum Placed {
    /// Kept where `was` says, its documents now from `first`.
    Kept { was: Was, first: usize },
    /// To be cut: its documents.
    Cut(Vec<usize>),
    /// Cut.
    Segments(Vec<Segment>),
}

impl Placed {
    /// How many segments the file has (none until cut).
    fn len(&self) -> usize {
        match self {
            Placed::Kept { was, .. } => was.segments.len(),
            Placed::Cut(_) => 0,
            Placed::Segments(segments) => segments.len(),
        }
    }
}

/// Write into `to` the segments of one file kept where `was` says in `records`, moved to its
/// documents' places now (from `first`), when each record lies in one of those documents as
/// [`checked`] says, after the one before it.
fn moved(
    to: &mut [Segment],
    records: &[u8],
    was: &Was,
    first: usize,
    corpus: &Corpus,
) -> Option<()> {
    let mut turn = 0;
    let mut last: Option<[usize; 7]> = None;
    for (segment, n) in to.iter_mut().zip(was.segments.clone()) {
        let mut numbers = numbers_at(records, n);
        if !was.documents.contains(&numbers[0]) {
            return None;
        }
        numbers[0] = numbers[0] - was.documents.start + first;
        if last.is_some_and(|last| !follows(last, numbers)) {
            return None;
        }
        *segment = checked(corpus, numbers[0], numbers, &mut turn)?;
        last = Some(numbers);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::CacheFile;

    /// Segments kept read back as cut; a segment outside its turn, backwards, inside a
    /// character, of a document or speaker that is not there or of a speaker who does not
    /// speak its turn is refused (they are cut again).
    #[test]
    fn kept_segments_read_back_and_wrong_ones_are_refused() {
        let mut corpus = crate::corpus::of_lines(&["caf\u{e9} au lait. Encore?\nOui.", "Non."]);
        // a second speaker of the first document, who speaks none of its turns
        let other = crate::corpus::Speaker {
            label: "I".into(),
            role: crate::corpus::Role::Anonymous,
            participant: None,
        };
        corpus.documents[0].speakers.push(std::sync::Arc::new(other));
        let segments = crate::segment::segment(&corpus, Unit::Sentence);
        assert!(segments.len() > 3);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), SEGMENTS_FILE, "fingerprint");
        let kept = |segments: &[Segment]| {
            write_segments_file(&file, &corpus, segments).expect("written");
            let body = file.read(SEGMENTS_FORMAT).expect("intact");
            let read = read_segments(&body, &corpus);
            // read in parallel groups, alike however the groups fall
            for group in [1, 2, 3] {
                assert_eq!(read_segments_in_groups(&body, &corpus, group), read, "{group}");
            }
            read
        };
        assert_eq!(kept(&segments), Some(segments.clone()));
        // segment 0 with one thing changed
        let changed =
            |document, speaker, bytes, chars| Segment::new(document, speaker, bytes, chars, 1);
        let (first, bytes, chars) = (&segments[0], segments[0].bytes(), segments[0].chars());
        let (document, speaker) = (first.document_index(), first.speaker_number());
        assert_eq!((document, speaker), (0, 0));
        let wrong = [
            changed(2, speaker, bytes.clone(), chars.clone()),
            changed(document, 9, bytes.clone(), chars.clone()),
            // the document's other speaker, who does not speak this turn
            changed(document, 1, bytes.clone(), chars.clone()),
            changed(document, speaker, bytes.start..100, chars.clone()),
            changed(document, speaker, bytes.end..bytes.start, chars.clone()),
            changed(document, speaker, 4..bytes.end, chars.clone()),
            changed(document, speaker, bytes.clone(), chars.end..chars.start),
            changed(document, speaker, bytes.clone(), chars.start..chars.start + bytes.len() + 1),
            changed(document, speaker, bytes.clone(), bytes.start + 1..bytes.start + 2),
        ];
        for (n, wrong) in wrong.into_iter().enumerate() {
            let mut segments = segments.clone();
            segments[0] = wrong;
            assert_eq!(kept(&segments), None, "wrong segment {n}");
        }
        // out of order: the second segment of the first document before its first, or a
        // later pair (across groups of two)
        for first in [0, 1] {
            let mut swapped = segments.clone();
            swapped.swap(first, first + 1);
            assert_eq!(swapped[first].document_index(), swapped[first + 1].document_index());
            assert_eq!(kept(&swapped), None, "segments {first} and {} out of order", first + 1);
        }
    }

    /// The segments of the study in `root` by `unit` as read, which are those cut afresh, then
    /// kept.
    fn kept(root: &Path, unit: Unit) -> Read {
        let study = Study::load(root).expect("study");
        let corpus = Corpus::load(&study).expect("corpus");
        let settings = super::super::settings_of(&study, unit);
        let folder = root.join(".qualkit").join(unit.name());
        let kept = KeptSegments::of(&study, &corpus, &settings, &folder);
        // carried in groups of files alike however the groups fall, from segments of
        // these inputs too
        if let Some((_, body)) = kept.file.read_for_settings(SEGMENTS_FORMAT, &kept.settings) {
            let whole = carried(&body, &corpus, unit);
            assert!(whole.is_some(), "{unit:?}");
            for group in [1, 2, 3] {
                assert_eq!(carried_in_groups(&body, &corpus, unit, group), whole, "{group}");
            }
        }
        let (segments, read) = kept.read(&corpus, unit);
        assert_eq!(segments, crate::segment::segment(&corpus, unit), "{unit:?}");
        kept.write(&corpus, &segments).expect("kept");
        read
    }

    /// When files are removed, changed and added, the segments of each file unchanged are
    /// carried over, moved to its documents' places now, and the study's segments are those
    /// cut afresh; with participants.csv changed nothing is carried.
    #[test]
    fn the_unchanged_files_segments_are_carried_over() {
        let (dir, _) = crate::corpus::fixture_copy("mini");
        let root = dir.path();
        for unit in Unit::ALL {
            std::fs::create_dir(root.join(".qualkit").join(unit.name())).expect("folder");
            assert_eq!(kept(root, unit), Read::Cut);
            assert_eq!(kept(root, unit), Read::Kept);
        }
        // the first file removed (every document after it moves), the focus group and the
        // questionnaire changed, an interview added
        std::fs::remove_file(root.join("interviews/S01_pre.txt")).expect("removed");
        let group = root.join("groups/G1_post.txt");
        let text = std::fs::read_to_string(&group).expect("read");
        std::fs::write(&group, text.replacen(". ", ". And so on. ", 1)).expect("written");
        let staff = root.join("questionnaires/staff.csv");
        let answers = std::fs::read_to_string(&staff).expect("read");
        let answers = answers.replace("reach them.", "reach them. Every week.");
        std::fs::write(&staff, answers).expect("written");
        let added = "Interviewer: How is it going?\nS03: Fine. My mentor helps.\n";
        std::fs::write(root.join("interviews/S03_pre.txt"), added).expect("written");
        for unit in Unit::ALL {
            // S02_post alone is as it was
            assert_eq!(kept(root, unit), Read::Carried(1), "{unit:?}");
            assert_eq!(kept(root, unit), Read::Kept);
        }
        let participants = root.join("participants.csv");
        let mut table = std::fs::read(&participants).expect("read");
        table.extend_from_slice(b"\n");
        std::fs::write(&participants, table).expect("written");
        for unit in Unit::ALL {
            assert_eq!(kept(root, unit), Read::Cut, "{unit:?}");
        }
    }

    /// A questionnaire's many documents are carried, moved, as one file: the first file of a
    /// study of every input format removed, every other one is carried.
    #[test]
    fn a_file_of_many_documents_is_carried_whole() {
        let (dir, study) = crate::corpus::fixture_copy("formats");
        let root = dir.path();
        let corpus = Corpus::load(&study).expect("corpus");
        let survey = corpus.documents.iter().filter(|d| d.path.ends_with("survey.xlsx")).count();
        assert!(survey > 1, "the survey gives a document per respondent");
        let runs = file_runs(&corpus, |_| 0);
        let first = corpus.documents[0].path.clone();
        for unit in Unit::ALL {
            std::fs::create_dir(root.join(".qualkit").join(unit.name())).expect("folder");
            assert_eq!(kept(root, unit), Read::Cut);
        }
        std::fs::remove_file(root.join(&first)).expect("removed");
        for unit in Unit::ALL {
            assert_eq!(kept(root, unit), Read::Carried(runs.len() - 1), "{unit:?}");
        }
    }
}
