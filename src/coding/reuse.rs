//! Re-coding after a codebook edit: the rows of codings.csv that the edit cannot have
//! changed are copied from the codings.csv written before, and only the segments the edit
//! touched are coded and formatted again.
//!
//! A segment's rows depend on the segment, the columns asked for, how rows are written, the
//! codebook's language and reading of words (transcription marks, word breaks), its codes
//! (ids, parents, order) and which of each code's rules matched it, in the order the code
//! lists them — on nothing else. So when an edit adds or removes rules or codes, and
//! keeps every remaining code's parent, its place among the others and the order of its
//! remaining rules, the rows of every segment that no added or removed rule matched are the
//! same after the edit, byte for byte: those are copied, the others coded again. Any other
//! edit (a code moved or re-parented, rules reordered, the `text` column asked for or
//! dropped) codes every segment.
//!
//! What that needs is recorded beside the index when a codings.csv is written
//! ([`CodingsCsv::remember`]): the file's path, stamp (`files::Stamp`), length and CRC-32 (a
//! file changed, moved or deleted since is not copied from: one whose stamp changed is read
//! whole to check its CRC-32; each chunk of rows copied is checked against its own CRC-32
//! as it is read), the codebook and columns it was written with, and
//! where each segment's rows lie in it. The record is a cache file of the index
//! (`index::CacheFile`): it is dropped with the index when the corpus changes.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::matches::RuleMatches;
use super::rows::{
    Copied, CopyFailed, ROW_FORMAT, RowLayout, RowSink, SEGMENTS_PER_CHUNK, WrittenFile,
    beyond_prefixes, write_codings,
};
use super::{CacheWriting, Codings, Columns, Matched};
use crate::codebook::Codebook;
use crate::corpus::Corpus;
use crate::files::Stamp;
use crate::index::{
    Body, CacheFile, Positioned, Reader, SegmentIndex, push_stamp, push_text, push_u32, push_u64,
};
use crate::segment::Segment;
use crate::study::SpeakerFilter;

/// The record's layout; another number makes older records unread.
const RECORD_FORMAT: u32 = 5;

/// A code as its rows see it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CodeRules {
    id: String,
    parent: Option<String>,
    /// Its rules' texts, in codebook order.
    rules: Vec<String>,
}

/// What a codings.csv's rows were made with: the codebook (as its rows see it) and the
/// columns.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MadeWith {
    /// How rows are written ([`ROW_FORMAT`]), the codebook's language and how it reads
    /// words (transcription marks, word breaks).
    reading: String,
    codes: Vec<CodeRules>,
    text: bool,
    attributes: Vec<String>,
}

impl MadeWith {
    fn new(codebook: &Codebook, columns: Columns<'_>) -> MadeWith {
        let codes = codebook
            .codes
            .iter()
            .map(|code| CodeRules {
                id: code.id.clone(),
                parent: code.parent.clone(),
                rules: code.rules.iter().map(|rule| rule.text.clone()).collect(),
            })
            .collect();
        MadeWith {
            reading: format!(
                "rows {ROW_FORMAT} in chunks of {SEGMENTS_PER_CHUNK}, {} {}",
                codebook.language.name(),
                codebook.reading.name()
            ),
            codes,
            text: columns.text,
            attributes: columns.attributes.to_vec(),
        }
    }
}

/// codings.csv for one codebook: its codings, and the rows of the codings.csv written last
/// that it copies (see the module's documentation).
pub struct CodingsCsv<'c> {
    /// Every coding, or those of the segments coded again.
    codings: std::borrow::Cow<'c, Codings>,
    previous: Option<Previous>,
    made_with: MadeWith,
    /// Where the record of the file written goes (none for an index in memory).
    record: Option<CacheFile>,
    /// Where the rows went, once written.
    written: Mutex<Option<(WrittenFile, TableInRecord)>>,
    /// The match cache still being written, waited for when the file is done with.
    cache_written: CacheWriting,
}

/// The codings.csv written last, and which segments to code again rather than copy.
struct Previous {
    path: PathBuf,
    table: RecordedTable,
    attributes: Vec<String>,
    /// Open while rows are copied from it ([`CodingsCsv::done_copying`]).
    file: Option<std::fs::File>,
    recoded: Vec<bool>,
}

impl<'c> CodingsCsv<'c> {
    /// The codings of `matched`'s codebook, with `columns`: every segment coded, or, when the
    /// codings.csv written last from the same index can be copied from, only the segments
    /// an edit since touched.
    ///
    /// # Errors
    /// As [`Matched::codings`].
    pub fn new(matched: Matched<'_>, columns: Columns<'_>) -> crate::error::Result<CodingsCsv<'c>> {
        let made_with = MadeWith::new(matched.codebook, columns);
        let record = record_file(matched.index, matched.speakers);
        let previous = record.as_ref().and_then(|file| {
            previous(file, &made_with, &matched.known, matched.index.segment_count())
        });
        let (codings, cache_written) =
            matched.codings_while_cache_written(previous.as_ref().map(|p| p.recoded.as_slice()));
        let codings = std::borrow::Cow::Owned(codings?);
        let written = Mutex::default();
        Ok(CodingsCsv { codings, previous, made_with, record, written, cache_written })
    }

    /// `codings`, written whole with `columns` and recorded for a later re-code. They must be
    /// exactly what [`super::apply`] gives for `codebook`, `index` and `speakers` (as `qualkit
    /// run`'s are): a re-code copies rows from the file on that word.
    pub fn of(
        codings: &'c Codings,
        codebook: &Codebook,
        index: Option<&SegmentIndex>,
        speakers: SpeakerFilter,
        columns: Columns<'_>,
    ) -> CodingsCsv<'c> {
        CodingsCsv {
            codings: std::borrow::Cow::Borrowed(codings),
            previous: None,
            made_with: MadeWith::new(codebook, columns),
            record: index.and_then(|index| record_file(index, speakers)),
            written: Mutex::default(),
            cache_written: CacheWriting::default(),
        }
    }

    /// Close the file rows were copied from, once written. The file written usually replaces
    /// it, and its space comes back when it is both removed and closed: held open to the
    /// command's end, the process would wait at its exit for the disk to free a file of
    /// hundreds of megabytes ([`crate::files::remove_replaced`]).
    pub fn done_copying(&mut self) {
        if let Some(previous) = &mut self.previous {
            previous.file = None;
        }
    }

    /// Wait for the match cache to be written (dropping the value waits too; a command that
    /// leaves its values to the operating system at exit calls this first).
    pub fn wait_for_match_cache(&mut self) {
        self.cache_written = CacheWriting::default();
    }

    /// Write the file into `out`.
    ///
    /// # Errors
    /// Writing fails.
    pub fn write<W: Write + ?Sized>(
        &self,
        corpus: &Corpus,
        segments: &[Segment],
        out: &mut W,
    ) -> std::io::Result<()> {
        // the codings hold only the segments coded again: without the file to copy the rest
        // from, a file written would lack them
        if self.previous.as_ref().is_some_and(|previous| previous.file.is_none()) {
            return Err(std::io::Error::other("written once: the file copied from is closed"));
        }
        let attributes = &self.made_with.attributes;
        let columns = Columns { text: self.made_with.text, attributes };
        let copied = self.previous.as_ref().and_then(|previous| {
            Some(Copied {
                file: previous.file.as_ref()?,
                path: &previous.path,
                table: &previous.table as &dyn RowLayout,
                recoded: &previous.recoded,
                whole_rows: previous.attributes == *attributes,
            })
        });
        // where the rows lie goes straight into the record's place, not into memory, when
        // there is a record
        let mut table = TableInRecord::new(self.record.as_ref(), segments.len());
        let written = write_codings(
            &self.codings,
            copied.as_ref(),
            corpus,
            segments,
            columns,
            out,
            &mut table,
        );
        if let (Err(e), Some(record)) = (&written, &self.record)
            && e.get_ref().is_some_and(|inner| inner.is::<CopyFailed>())
        {
            // the file copied from failed (not the output): the next re-code codes everything
            let _ = std::fs::remove_file(record.path());
        }
        *self.written.lock().unwrap_or_else(|e| e.into_inner()) = Some((written?, table));
        Ok(())
    }

    /// Record the file written, now at `path`, for the next re-code to copy from: the
    /// record's lists, written as the file was, are given their head and put in place. A
    /// cache: when it cannot be written, the next re-code codes every segment, nothing worse.
    pub fn remember(&self, path: &Path) {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let Some((written, table)) = written.as_mut() else { return };
        let Some(lists) = table.lists.take() else { return };
        // a regular file as written (not a device, not since replaced), named absolutely
        let Some(stamp) = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file() && m.len() == written.size)
            .map(|m| Stamp::of(&m))
        else {
            return;
        };
        let Ok(path) = std::fs::canonicalize(path) else { return };
        let Some(path) = path.to_str() else { return };
        let mut head = Vec::new();
        let numbers = [written.header, written.size, u64::from(written.crc), table.segments];
        for n in numbers.into_iter().chain([table.rows]) {
            push_u64(&mut head, n);
        }
        push_text(&mut head, path);
        write_made_with(&mut head, &self.made_with);
        push_stamp(&mut head, stamp);
        let _ = lists.commit(&head);
    }

    /// How many codings the file has (once written).
    pub fn row_count(&self) -> u64 {
        self.table(|table| table.rows).unwrap_or(0)
    }

    /// How many segments have codings (once written).
    pub fn segments_with_rows(&self) -> usize {
        self.table(|table| table.segments_with_rows).unwrap_or(0)
    }

    /// When rows were copied: the file they came from, and how many segments were coded
    /// again.
    pub fn copied_from(&self) -> Option<(&Path, usize)> {
        let previous = self.previous.as_ref()?;
        Some((&previous.path, previous.recoded.iter().filter(|&&r| r).count()))
    }

    fn table<T>(&self, of: impl Fn(&TableInRecord) -> T) -> Option<T> {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(_, t)| of(t))
    }
}

/// Where a codings.csv's rows lie ([`RowLayout`]) as it is written, written straight into
/// the record's place ([`RecordLists`]) so that the run never holds it (127 MB at 1 GB of
/// transcripts, the largest thing left in a run's memory as its outputs were written), and
/// with the counts of segments and rows. Without a record, or where one cannot be written,
/// only the counts are kept.
struct TableInRecord {
    lists: Option<RecordLists>,
    /// Segments, rows and segments with rows, so far.
    segments: u64,
    rows: u64,
    segments_with_rows: usize,
}

impl TableInRecord {
    /// The table of a file of `segments` segments, written into `record` if there is one.
    fn new(record: Option<&CacheFile>, segments: usize) -> TableInRecord {
        let lists = record.and_then(|record| RecordLists::new(record, segments).ok());
        TableInRecord { lists, segments: 0, rows: 0, segments_with_rows: 0 }
    }

    /// Write with `write` to the lists, if any; once a write fails, drop them: the record
    /// is a cache, and a codings.csv whose record cannot be written is written all the same.
    fn list(&mut self, write: impl FnOnce(&mut RecordLists) -> std::io::Result<()>) {
        if let Some(lists) = &mut self.lists
            && write(lists).is_err()
        {
            self.lists = None;
        }
    }
}

impl RowSink for TableInRecord {
    fn segment(&mut self, end: u64, rows: u64) -> std::io::Result<()> {
        self.segments += 1;
        self.segments_with_rows += usize::from(rows != self.rows);
        self.rows = rows;
        self.list(|lists| {
            lists.push(ENDS, &end.to_le_bytes())?;
            lists.push(ROWS_UP_TO, &rows.to_le_bytes())
        });
        Ok(())
    }

    fn chunk(&mut self, prefixes: &[u32], crc: u32) -> std::io::Result<()> {
        self.list(|lists| {
            lists.push(CHUNK_CRCS, &crc.to_le_bytes())?;
            prefixes.iter().try_for_each(|prefix| lists.push(PREFIXES, &prefix.to_le_bytes()))
        });
        Ok(())
    }
}

/// The record's lists, in the order they lie in its body: where each segment's rows end
/// (64-bit), how many rows come up to each (64-bit), each chunk's CRC-32 and each row's
/// prefix length (32-bit); the record's head follows them, then the head's length (64-bit).
/// The first three lists' lengths are known from the number of segments, so each list is
/// written into its place as it grows, and the record is put in place by writing its head.
const ENDS: usize = 0;
const ROWS_UP_TO: usize = 1;
const CHUNK_CRCS: usize = 2;
const PREFIXES: usize = 3;

/// Where in the body each list starts, for a file of `segments` segments (the last, of
/// unknown length, runs up to the head).
fn list_starts(segments: usize) -> Option<[usize; 4]> {
    let chunks = segments.div_ceil(SEGMENTS_PER_CHUNK);
    let rows = segments.checked_mul(8)?;
    let crcs = rows.checked_mul(2)?;
    Some([0, rows, crcs, crcs.checked_add(chunks.checked_mul(4)?)?])
}

/// The record being written: its file, and each list's place, unwritten part and CRC-32.
struct RecordLists {
    file: Positioned,
    lists: [ListInRecord; 4],
}

/// One list of a [`RecordLists`].
struct ListInRecord {
    /// Where its next bytes go in the body.
    at: u64,
    /// Where it must end (the last list: none).
    end: Option<u64>,
    /// Bytes not yet written.
    pending: Vec<u8>,
    /// The CRC-32 of the list so far.
    crc: crc32fast::Hasher,
}

impl RecordLists {
    /// Bytes a list gathers before they are written.
    const PENDING: usize = 1 << 20;

    fn new(record: &CacheFile, segments: usize) -> std::io::Result<RecordLists> {
        let starts = list_starts(segments).ok_or(std::io::ErrorKind::InvalidInput)?;
        let file = record.positioned(RECORD_FORMAT)?;
        let list = |i: usize| ListInRecord {
            at: starts[i] as u64,
            end: starts.get(i + 1).map(|&end| end as u64),
            pending: Vec::new(),
            crc: crc32fast::Hasher::new(),
        };
        Ok(RecordLists { file, lists: [list(0), list(1), list(2), list(3)] })
    }

    fn push(&mut self, list: usize, bytes: &[u8]) -> std::io::Result<()> {
        let list = &mut self.lists[list];
        list.pending.extend_from_slice(bytes);
        if list.pending.len() >= Self::PENDING { Self::flush(&self.file, list) } else { Ok(()) }
    }

    fn flush(file: &Positioned, list: &mut ListInRecord) -> std::io::Result<()> {
        let end = list.at + list.pending.len() as u64;
        if list.end.is_some_and(|limit| end > limit) {
            return Err(std::io::ErrorKind::InvalidData.into()); // more than its place holds
        }
        file.write_at(&list.pending, list.at)?;
        list.crc.update(&list.pending);
        list.at = end;
        list.pending.clear();
        Ok(())
    }

    /// Write the rest of each list and `head` after them, and put the record in place; not
    /// when a list does not fill its place.
    fn commit(mut self, head: &[u8]) -> std::io::Result<()> {
        for list in &mut self.lists {
            Self::flush(&self.file, list)?;
            if list.end.is_some_and(|end| list.at != end) {
                return Err(std::io::ErrorKind::InvalidData.into());
            }
        }
        let mut tail = head.to_vec();
        push_u64(&mut tail, head.len() as u64);
        let at = self.lists[PREFIXES].at;
        self.file.write_at(&tail, at)?;
        let mut crc = crc32fast::Hasher::new();
        for list in &self.lists {
            crc.combine(&list.crc);
        }
        crc.update(&tail);
        self.file.commit(at + tail.len() as u64, &crc)
    }
}

/// The record of the codings.csv last written from `index` for `speakers`.
fn record_file(index: &SegmentIndex, speakers: SpeakerFilter) -> Option<CacheFile> {
    index.cache_file(&record_name(speakers))
}

fn record_name(speakers: SpeakerFilter) -> String {
    format!("codings-csv-{}.bin", speakers.name())
}

/// Start reading, in the background, the codings.csv a re-code of `study` at `unit` will
/// likely copy from (as its record names it, unchecked: a hint, nothing more). `run` writes
/// its codings.csv past the page cache (`files::LargeFile`), so the first re-code after a
/// run would read it from disk after loading the corpus; asked for now, the disk reads it
/// while the corpus loads. (`run` asks for it too as it ends, and one that `code` wrote is
/// still in memory, unless evicted.)
pub fn read_ahead(
    study: &crate::study::Study,
    unit: crate::segment::Unit,
    speakers: SpeakerFilter,
) {
    let record = SegmentIndex::folder(study, unit).join(record_name(speakers));
    let Some(path) = recorded_path(&record) else { return };
    // on a thread of its own: asking for hundreds of megabytes can wait on the disk's queue
    let _ = std::thread::Builder::new()
        .name("qualkit-read-ahead".into())
        .spawn(move || crate::files::read_into_page_cache(&path));
}

/// The path of the codings.csv the record at `record` names, read from the head at its
/// end (the head's numbers, then the path), unchecked.
fn recorded_path(record: &Path) -> Option<PathBuf> {
    use std::io::{Read, Seek, SeekFrom};
    // the header, to know it is a record of this layout at all
    CacheFile::peek(record, RECORD_FORMAT, 0)?;
    let mut file = std::fs::File::open(record).ok()?;
    // the head's length, then the trailer (length and CRC-32 of the file)
    let mut end = [0; 8 + 12];
    let length = file.seek(SeekFrom::End(-(end.len() as i64))).ok()?;
    file.read_exact(&mut end).ok()?;
    let head_length = Reader::new(&end).u64()?;
    let head_start = length.checked_sub(head_length)?;
    // the five numbers, then the path (its length, then its bytes)
    let mut start = [0; 5 * 8 + 4];
    file.seek(SeekFrom::Start(head_start)).ok()?;
    file.read_exact(&mut start).ok()?;
    let path_length = Reader::new(&start[5 * 8..]).u32()?;
    if u64::from(path_length) > head_length {
        return None;
    }
    let mut path = vec![0; path_length as usize];
    file.read_exact(&mut path).ok()?;
    String::from_utf8(path).ok().map(PathBuf::from)
}

fn write_made_with(out: &mut Vec<u8>, made_with: &MadeWith) {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    push_text(out, &made_with.reading);
    push_u32(out, u32::from(made_with.text));
    push_u32(out, count(made_with.attributes.len()));
    for attribute in &made_with.attributes {
        push_text(out, attribute);
    }
    push_u32(out, count(made_with.codes.len()));
    for code in &made_with.codes {
        push_text(out, &code.id);
        push_u32(out, u32::from(code.parent.is_some()));
        push_text(out, code.parent.as_deref().unwrap_or_default());
        push_u32(out, count(code.rules.len()));
        for rule in &code.rules {
            push_text(out, rule);
        }
    }
}

fn read_made_with(input: &mut Reader<'_>) -> Option<MadeWith> {
    let reading = input.text()?.to_owned();
    let text = input.u32()? == 1;
    let attributes: Option<Vec<String>> =
        (0..input.u32()?).map(|_| input.text().map(str::to_owned)).collect();
    let mut codes = Vec::new();
    for _ in 0..input.u32()? {
        let id = input.text()?.to_owned();
        let has_parent = input.u32()? == 1;
        let parent = input.text()?.to_owned();
        let rules: Option<Vec<String>> =
            (0..input.u32()?).map(|_| input.text().map(str::to_owned)).collect();
        codes.push(CodeRules { id, parent: has_parent.then_some(parent), rules: rules? });
    }
    Some(MadeWith { reading, codes, text, attributes: attributes? })
}

/// The codings.csv recorded in `file`, when it is still as written and an edit from what it
/// was made with to `now` leaves some segments' rows unchanged; with the segments to code
/// again.
fn previous(
    file: &CacheFile,
    now: &MadeWith,
    known: &HashMap<String, RuleMatches>,
    segment_count: usize,
) -> Option<Previous> {
    let (table, rest_of_head) = RecordedTable::read(file.read(RECORD_FORMAT)?)?;
    let mut input = Reader::new(table.body.bytes().get(rest_of_head)?);
    let path = PathBuf::from(input.text()?);
    let before = read_made_with(&mut input)?;
    let stamp = input.stamp()?;
    if !input.is_empty() || before.reading != now.reading || before.text != now.text {
        return None;
    }
    let changed = changed_rules(&before.codes, &now.codes)?;
    if table.segment_count() != segment_count || !consistent(&table) {
        return None;
    }
    let mut recoded = vec![false; segment_count];
    for text in changed {
        for n in known.get(text)?.segments() {
            *recoded.get_mut(n as usize)? = true;
        }
    }
    let file = unchanged(&path, (table.size, table.crc), stamp)?;
    Some(Previous { path, table, attributes: before.attributes, file: Some(file), recoded })
}

/// Where the rows of the codings.csv written last lie ([`RowLayout`]), read where its record
/// lies, mapped (`index::Body`), rather than into memory: held whole it was 127 MB of a
/// 1 GB study's re-code (twice that as the record keeps it, in 64-bit numbers). What it
/// says of a chunk of segments is let go once read ([`RowLayout::done_with`]).
struct RecordedTable {
    body: Body,
    header: u64,
    size: u64,
    crc: u32,
    segments: usize,
    /// Where each list starts in the body: where each segment's rows end (64-bit), how
    /// many rows come up to each (64-bit), each row's prefix length (32-bit), each chunk's
    /// CRC-32.
    ends: usize,
    rows: usize,
    prefixes: usize,
    chunks: usize,
    /// How many prefixes there are.
    prefix_count: usize,
}

impl RecordedTable {
    /// The table in `body`, a record as [`CodingsCsv::remember`] writes it (its lists, then
    /// its head, then the head's length), and where the head goes on after the table's
    /// numbers; `None` when the lists do not fill the body up to the head exactly.
    fn read(body: Body) -> Option<(RecordedTable, std::ops::Range<usize>)> {
        let bytes = body.bytes();
        let head_end = bytes.len().checked_sub(8)?;
        let head_length = usize::try_from(Reader::new(&bytes[head_end..]).u64()?).ok()?;
        let head_start = head_end.checked_sub(head_length)?;
        let mut head = Reader::new(&bytes[head_start..head_end]);
        let (header, size, crc) = (head.u64()?, head.u64()?, u32::try_from(head.u64()?).ok()?);
        let segments = usize::try_from(head.u64()?).ok()?;
        let prefix_count = usize::try_from(head.u64()?).ok()?;
        let [ends, rows, chunks, prefixes] = list_starts(segments)?;
        if prefixes.checked_add(prefix_count.checked_mul(4)?)? != head_start {
            return None;
        }
        let rest_of_head = head_end - head.remaining()..head_end;
        let table = RecordedTable {
            body,
            header,
            size,
            crc,
            segments,
            ends,
            rows,
            prefixes,
            chunks,
            prefix_count,
        };
        Some((table, rest_of_head))
    }

    /// The `i`th number of `N` bytes of the list starting at `list`.
    fn number<const N: usize>(&self, list: usize, i: usize) -> [u8; N] {
        let at = list + i * N;
        self.body.bytes()[at..at + N].try_into().expect("N bytes")
    }

    /// The bytes of numbers `range`, of `N` bytes each, of the list starting at `list`.
    fn numbers<const N: usize>(&self, list: usize, range: std::ops::Range<usize>) -> &[u8] {
        &self.body.bytes()[list + range.start * N..list + range.end * N]
    }
}

impl RowLayout for RecordedTable {
    fn header(&self) -> u64 {
        self.header
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn segment_count(&self) -> usize {
        self.segments
    }

    fn end(&self, n: usize) -> u64 {
        assert!(n < self.segments, "segment {n} of {}", self.segments);
        u64::from_le_bytes(self.number(self.ends, n))
    }

    fn rows_up_to(&self, n: usize) -> u64 {
        assert!(n < self.segments, "segment {n} of {}", self.segments);
        u64::from_le_bytes(self.number(self.rows, n))
    }

    fn prefix_count(&self) -> usize {
        self.prefix_count
    }

    fn prefix(&self, row: usize) -> u32 {
        assert!(row < self.prefix_count, "row {row} of {}", self.prefix_count);
        u32::from_le_bytes(self.number(self.prefixes, row))
    }

    fn chunk_count(&self) -> usize {
        self.segments.div_ceil(SEGMENTS_PER_CHUNK)
    }

    fn chunk_crc(&self, chunk: usize) -> Option<u32> {
        (chunk < self.chunk_count()).then(|| u32::from_le_bytes(self.number(self.chunks, chunk)))
    }

    fn segment_rows(&self, n: usize, prefixes: &mut Vec<u32>) -> std::ops::Range<usize> {
        let rows = self.rows_of(n);
        assert!(rows.end <= self.prefix_count, "rows {rows:?} of {}", self.prefix_count);
        let numbers = self.numbers::<4>(self.prefixes, rows).chunks_exact(4);
        prefixes.extend(numbers.map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
        self.bytes_of(n)
    }

    fn done_with(&self, numbers: std::ops::Range<usize>) {
        // let go a group of chunks at once, when its last chunk is done with (chunks may be
        // done out of order: pages let go early are mapped again if read): a chunk's part of
        // each list is a few pages, and each call to let go stops the other core for a TLB
        // flush, thousands of them in a re-code
        const CHUNKS_LET_GO_AT_ONCE: usize = 32;
        let group = CHUNKS_LET_GO_AT_ONCE * SEGMENTS_PER_CHUNK;
        if numbers.is_empty()
            || (!numbers.end.is_multiple_of(group) && numbers.end != self.segments)
        {
            return;
        }
        let numbers = (numbers.end - 1) / group * group..numbers.end;
        let bytes = self.body.bytes();
        let (first, last) = (numbers.start, numbers.end - 1);
        for list in [self.ends, self.rows] {
            self.body.let_go(&bytes[list + first * 8..list + numbers.end * 8]);
        }
        // a table not yet checked, or that failed its check (`consistent` lets each chunk
        // go as it checks it), may number its rows backwards or past its prefixes
        let rows = self.rows_of(first).start..self.rows_of(last).end;
        if rows.start <= rows.end && rows.end <= self.prefix_count {
            self.body.let_go(&bytes[self.prefixes + rows.start * 4..self.prefixes + rows.end * 4]);
        }
    }
}

/// Whether a table read back describes a file: segments' rows in order and within the
/// file, one prefix per row, each segment's rows filling its bytes exactly with what follows their
/// prefixes the same length in each row and at least its line break (so copying reads only
/// inside the file, whatever the record says).
fn consistent(table: &dyn RowLayout) -> bool {
    use rayon::prelude::*;
    let segments = table.segment_count();
    let last = segments.checked_sub(1);
    let ordered = |n: usize| {
        let (bytes, rows) = (table.bytes_of(n), table.rows_of(n));
        bytes.start <= bytes.end && rows.start <= rows.end
    };
    // what a segment's rows hold beyond their prefixes: nothing when it has none, else the
    // same in each row and at least the line break (`prefixes`: a chunk's list to reuse)
    let filled = |n: usize, prefixes: &mut Vec<u32>| {
        prefixes.clear();
        let bytes = table.segment_rows(n, prefixes).len();
        let rows = prefixes.len();
        match beyond_prefixes(bytes, prefixes) {
            Some(0) => rows == 0,
            Some(after) => rows > 0 && after % rows == 0 && after >= rows,
            None => false,
        }
    };
    last.is_none_or(|last| table.end(last) <= table.size())
        && last.is_none_or(|last| table.rows_up_to(last) == table.prefix_count() as u64)
        && table.chunk_count() == segments.div_ceil(SEGMENTS_PER_CHUNK)
        // a chunk at a time, each let go once checked, on every core: a re-code plans
        // before it writes
        && (0..segments.div_ceil(SEGMENTS_PER_CHUNK)).into_par_iter().all(|chunk| {
            let start = chunk * SEGMENTS_PER_CHUNK;
            let chunk = start..(start + SEGMENTS_PER_CHUNK).min(segments);
            // rows numbered within the prefixes before their prefixes are read
            let prefixes = table.prefix_count() as u64;
            let fits = chunk.clone().all(|n| ordered(n) && table.rows_up_to(n) <= prefixes);
            let mut prefixes = Vec::new();
            let checked = fits && chunk.clone().all(|n| filled(n, &mut prefixes));
            table.done_with(chunk);
            checked
        })
}

/// The file at `path`, open, when its stamp is still the one recorded (each chunk copied is
/// then checked as it is read), or when its length and CRC-32 are.
fn unchanged(path: &Path, (size, expected): (u64, u32), stamp: Stamp) -> Option<std::fs::File> {
    use rayon::prelude::*;
    const PIECE: u64 = 1 << 24;
    let file = std::fs::File::open(path).ok()?;
    let metadata = file.metadata().ok()?;
    if metadata.len() != size {
        return None;
    }
    if Stamp::of(&metadata).unchanged(&stamp) {
        return Some(file);
    }
    // read in pieces, in parallel, each into its task's buffer (the file can be gigabytes)
    let pieces: Vec<u64> = (0..size.div_ceil(PIECE)).collect();
    let crc = pieces
        .par_iter()
        .map_init(Vec::new, |buffer, &i| {
            let start = i * PIECE;
            buffer.resize((size - start).min(PIECE) as usize, 0);
            crate::files::read_at(&file, buffer, start).ok()?;
            let mut crc = crc32fast::Hasher::new();
            crc.update(buffer);
            Some(crc)
        })
        .try_reduce(crc32fast::Hasher::new, |mut a, b| {
            a.combine(&b);
            Some(a)
        })?
        .finalize();
    // a file changed after this check fails the re-code's read of it, or the check of the
    // chunk read against its own CRC-32 (`rows::Rows::write`)
    (crc == expected).then_some(file)
}

/// The texts of the rules an edit from `before` to `after` added or removed (every rule of
/// a code added or removed, and each text a code lists a different number of times); `None`
/// when the edit did more: a code kept moved among the others or took another parent, or
/// a code's kept rules changed order.
fn changed_rules<'a>(before: &'a [CodeRules], after: &'a [CodeRules]) -> Option<HashSet<&'a str>> {
    let by_id = |codes: &'a [CodeRules]| -> HashMap<&'a str, &'a CodeRules> {
        codes.iter().map(|code| (code.id.as_str(), code)).collect()
    };
    let (old, new) = (by_id(before), by_id(after));
    let kept = |codes: &'a [CodeRules], other: &HashMap<&str, &CodeRules>| -> Vec<&'a str> {
        codes.iter().map(|c| c.id.as_str()).filter(|id| other.contains_key(id)).collect()
    };
    if kept(before, &new) != kept(after, &old) {
        return None;
    }
    let mut changed = HashSet::new();
    for code in before.iter().filter(|code| !new.contains_key(code.id.as_str())) {
        changed.extend(code.rules.iter().map(String::as_str));
    }
    for code in after {
        let Some(was) = old.get(code.id.as_str()) else {
            changed.extend(code.rules.iter().map(String::as_str));
            continue;
        };
        if was.parent != code.parent {
            return None;
        }
        let mut counts: HashMap<&str, i64> = HashMap::new();
        for rule in &was.rules {
            *counts.entry(rule).or_default() += 1;
        }
        for rule in &code.rules {
            *counts.entry(rule).or_default() -= 1;
        }
        let here: HashSet<&str> =
            counts.into_iter().filter(|&(_, n)| n != 0).map(|(rule, _)| rule).collect();
        let remaining = |rules: &'a [String]| -> Vec<&'a str> {
            rules.iter().map(String::as_str).filter(|rule| !here.contains(rule)).collect()
        };
        if remaining(&was.rules) != remaining(&code.rules) {
            return None;
        }
        changed.extend(here);
    }
    Some(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::rows::RowTable;

    /// A row table whose record cannot be written is dropped, not the codings.csv being
    /// written: its counts are kept, and no record is made from it (nor left half-made).
    #[test]
    fn a_row_table_that_cannot_be_recorded_is_counted_and_not_recorded() {
        let dir = tempfile::tempdir().expect("temp dir");
        let nowhere = CacheFile::new(&dir.path().join("no such folder"), "record.bin", "f");
        // room for one segment's lists, given two
        let record = CacheFile::new(dir.path(), "record.bin", "f");
        for (file, segments) in [(&nowhere, 2), (&record, 1)] {
            let mut table = TableInRecord::new(Some(file), segments);
            assert_eq!(table.lists.is_some(), segments == 1, "made where it can be");
            table.segment(10, 2).expect("the file is written all the same");
            table.segment(20, 2).expect("the file is written all the same");
            table.chunk(&[4, 5], 7).expect("the file is written all the same");
            assert_eq!((table.segments, table.rows, table.segments_with_rows), (2, 2, 1));
            if let Some(lists) = table.lists.take() {
                lists.commit(b"head").expect_err("more segments than the record holds");
            }
            let left: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").flatten().collect();
            assert!(left.is_empty(), "no record, nor a temporary file: {left:?}");
        }
    }

    /// The read-ahead finds the file a record names in the head at the record's end, for
    /// records with any lists before it, and nothing in a file that is no record.
    #[test]
    fn the_path_a_record_names_is_read_from_its_end() {
        let dir = tempfile::tempdir().expect("temp dir");
        let record = CacheFile::new(dir.path(), "record.bin", "f");
        for segments in [0, 3, 2 * SEGMENTS_PER_CHUNK + 1] {
            let mut lists = RecordLists::new(&record, segments).expect("made");
            for n in 0..segments as u64 {
                lists.push(ENDS, &n.to_le_bytes()).expect("pushed");
                lists.push(ROWS_UP_TO, &n.to_le_bytes()).expect("pushed");
                lists.push(PREFIXES, &[1, 0, 0, 0]).expect("pushed");
            }
            for _ in 0..segments.div_ceil(SEGMENTS_PER_CHUNK) {
                lists.push(CHUNK_CRCS, &[0; 4]).expect("pushed");
            }
            let mut head = Vec::new();
            for n in [10, 20, 30, segments as u64, segments as u64] {
                push_u64(&mut head, n);
            }
            let named = format!("/somewhere/codings {segments}.csv");
            push_text(&mut head, &named);
            head.extend_from_slice(b"what it was made with");
            lists.commit(&head).expect("committed");
            assert_eq!(recorded_path(record.path()), Some(PathBuf::from(named)));
        }
        std::fs::write(record.path(), b"qualkit cache 2\nnot a record at all").expect("written");
        assert_eq!(recorded_path(record.path()), None);
    }

    use crate::coding::{CodingKind, Shared, assemble};
    use proptest::prelude::*;

    /// Rule texts the generated codebooks draw on (shared between codes).
    const TEXTS: [&str; 6] = ["alpha", "beta", "gamma*", "delta", "\"eps zeta\"", "eta"];

    /// A codebook of `codes` (id, parent, rules by number into [`TEXTS`]), in this order.
    fn codebook(codes: &[(String, Option<String>, Vec<usize>)]) -> Codebook {
        let mut text = String::from("format = 1\nname = \"t\"\n");
        for (id, parent, rules) in codes {
            text.push_str(&format!("[[code]]\nid = \"{id}\"\nname = \"{id}\"\n"));
            if let Some(parent) = parent {
                text.push_str(&format!("parent = \"{parent}\"\n"));
            }
            let rules: Vec<String> = rules.iter().map(|&r| format!("'{}'", TEXTS[r])).collect();
            text.push_str(&format!("rules = [{}]\n", rules.join(", ")));
        }
        Codebook::parse(Path::new("cb.toml"), &text).expect("a valid codebook")
    }

    /// Every coding of `codebook` given each rule text's matches.
    fn coded(codebook: &Codebook, known: &HashMap<String, RuleMatches>) -> Codings {
        let rules: Vec<(usize, &crate::codebook::CodeRule)> = codebook.rules().collect();
        let texts: Vec<(usize, &str)> = rules.iter().map(|(c, r)| (*c, r.text.as_str())).collect();
        let by_rule: Vec<RuleMatches> = rules.iter().map(|(_, r)| known[&r.text].clone()).collect();
        assemble(&Shared::new(codebook, &texts), &rules, by_rule, None).expect("fits")
    }

    /// Codes c0…c4, each a root or the child of an earlier one, each with one to three
    /// distinct rules.
    fn codes() -> impl Strategy<Value = Vec<(String, Option<String>, Vec<usize>)>> {
        let code = (
            any::<prop::sample::Index>(),
            any::<bool>(),
            prop::sample::subsequence((0..TEXTS.len()).collect::<Vec<_>>(), 1..4),
            any::<bool>(),
        );
        prop::collection::vec(code, 1..5).prop_map(|codes| {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, (parent, root, mut rules, reversed))| {
                    let parent = (!root && i > 0).then(|| format!("c{}", parent.index(i)));
                    if reversed {
                        rules.reverse();
                    }
                    (format!("c{i}"), parent, rules)
                })
                .collect()
        })
    }

    proptest! {
        /// The central claim: whatever edit `changed_rules` accepts, every segment that no
        /// added or removed rule matched gets the same codings before and after it.
        #[test]
        fn segments_no_changed_rule_matched_are_coded_alike(
            before in codes(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0..TEXTS.len(), 0..6usize), 0..4),
            matched in prop::collection::vec(prop::collection::btree_set(0usize..12, 0..6), TEXTS.len()),
        ) {
            // edits: add a rule, remove one, add a leaf code, remove a leaf code, reverse a
            // code's rules, make a code a root
            let mut after = before.clone();
            for (edit, (at, text, kind)) in edits.into_iter().enumerate() {
                let i = at.index(after.len());
                let has_children = |after: &[(String, Option<String>, Vec<usize>)], i: usize| {
                    after.iter().any(|(_, parent, _)| parent.as_deref() == Some(after[i].0.as_str()))
                };
                match kind {
                    0 if !after[i].2.contains(&text) => {
                        let place = at.index(after[i].2.len() + 1);
                        after[i].2.insert(place, text);
                    }
                    // every code keeps a rule (a code needs rules or children)
                    1 if after[i].2.len() > 1 => {
                        let place = at.index(after[i].2.len());
                        after[i].2.remove(place);
                    }
                    2 => {
                        // named by the edit: a code removed since may have had the length's
                        let id = format!("n{edit}");
                        let parent = Some(after[i].0.clone());
                        after.insert(i + 1, (id, parent, vec![text]));
                    }
                    3 if after.len() > 1 && !has_children(&after, i) => {
                        after.remove(i);
                    }
                    // edits that must code everything again
                    4 => after[i].2.reverse(),
                    5 => after[i].1 = None,
                    _ => {}
                }
            }
            let (before, after) = (codebook(&before), codebook(&after));
            let columns = Columns::default();
            let (was, now) = (MadeWith::new(&before, columns), MadeWith::new(&after, columns));
            let Some(changed) = changed_rules(&was.codes, &now.codes) else {
                return Ok(()); // codes everything again: nothing to compare
            };
            let mut known = HashMap::new();
            for (t, segments) in matched.iter().enumerate() {
                let mut matches = RuleMatches::default();
                for &n in segments {
                    // evidence unique to the text and segment, so a wrong rule shows
                    let at = n * 100 + t * 10;
                    matches.push(n, [at..at + 2, at + 5..at + 6]).expect("fits");
                }
                known.insert(TEXTS[t].to_owned(), matches);
            }
            let recoded: std::collections::BTreeSet<usize> = changed
                .iter()
                .flat_map(|text| known[*text].segments().map(|n| n as usize))
                .collect();
            let of = |codings: &Codings| -> Vec<(usize, CodingKind, Vec<std::ops::Range<u32>>)> {
                codings
                    .iter()
                    .filter(|c| !recoded.contains(&c.segment))
                    .map(|c| (c.segment, (**c.kind).clone(), c.evidence.to_vec()))
                    .collect()
            };
            prop_assert_eq!(of(&coded(&before, &known)), of(&coded(&after, &known)));
        }
    }

    proptest! {
        /// Codings assembled a few segment numbers at a time (each window's hits placed while
        /// the window before is coded) are those assembled in one window, of every segment or
        /// of the segments a re-code asks for.
        #[test]
        fn codings_assembled_window_by_window_are_those_of_one_window(
            codes in codes(),
            matched in prop::collection::vec(prop::collection::btree_set(0usize..24, 0..8), TEXTS.len()),
            only in prop::option::of(prop::collection::vec(any::<bool>(), 24)),
        ) {
            let codebook = codebook(&codes);
            let rules: Vec<(usize, &crate::codebook::CodeRule)> = codebook.rules().collect();
            let texts: Vec<(usize, &str)> =
                rules.iter().map(|(c, r)| (*c, r.text.as_str())).collect();
            let shared = Shared::new(&codebook, &texts);
            let listed = |width: u32| -> Vec<(usize, CodingKind, Vec<std::ops::Range<u32>>)> {
                let by_rule: Vec<RuleMatches> = (rules.iter())
                    .map(|(_, rule)| {
                        let t = TEXTS.iter().position(|text| *text == rule.text).expect("a text");
                        let mut matches = RuleMatches::with_width(width);
                        for &n in &matched[t] {
                            let at = n * 100 + t * 10;
                            matches.push(n, [at..at + 2, at + 5..at + 6]).expect("fits");
                        }
                        matches
                    })
                    .collect();
                let codings = assemble(&shared, &rules, by_rule, only.as_deref()).expect("fits");
                codings.iter().map(|c| (c.segment, (**c.kind).clone(), c.evidence.to_vec())).collect()
            };
            let whole = listed(1 << 16);
            for width in [1, 2, 5] {
                prop_assert_eq!(&listed(width), &whole, "windows of {} segments", width);
            }
        }
    }

    fn code(id: &str, parent: Option<&str>, rules: &[&str]) -> CodeRules {
        CodeRules {
            id: id.into(),
            parent: parent.map(Into::into),
            rules: rules.iter().map(|&r| r.to_owned()).collect(),
        }
    }

    fn sorted(changed: Option<HashSet<&str>>) -> Option<Vec<&str>> {
        changed.map(|set| {
            let mut rules: Vec<&str> = set.into_iter().collect();
            rules.sort_unstable();
            rules
        })
    }

    /// A table whose rows do not fill their segments exactly, run past the file or have a
    /// prefix longer than the row is not used (copying from it would read the wrong bytes).
    #[test]
    fn only_tables_that_describe_a_file_are_used() {
        // header of 10 bytes; segment 0 two rows (5 + 6 bytes: prefixes of 3 and 4, then the
        // same 2 bytes of attributes and line break), segment 1 none, segment 2 one (8 bytes)
        let good = RowTable {
            header: 10,
            ends: vec![21, 21, 29],
            rows: vec![2, 2, 3],
            prefixes: vec![3, 4, 6],
            size: 29,
            crc: 0,
            chunks: vec![0],
        };
        // as a re-code reads it: from its record, as `CodingsCsv::remember` writes it
        let dir = tempfile::tempdir().expect("temp dir");
        let recorded = |table: &RowTable| {
            let file = CacheFile::new(dir.path(), "record.bin", "fingerprint");
            let mut lists = RecordLists::new(&file, table.ends.len()).expect("made");
            let pushed = (table.ends.iter().map(|n| (ENDS, n.to_le_bytes().to_vec())))
                .chain(table.rows.iter().map(|n| (ROWS_UP_TO, n.to_le_bytes().to_vec())))
                .chain(table.chunks.iter().map(|n| (CHUNK_CRCS, n.to_le_bytes().to_vec())))
                .chain(table.prefixes.iter().map(|n| (PREFIXES, n.to_le_bytes().to_vec())));
            for (list, bytes) in pushed {
                lists.push(list, &bytes).expect("pushed");
            }
            let mut head = Vec::new();
            let segments = table.ends.len() as u64;
            for n in [table.header, table.size, u64::from(table.crc), segments] {
                push_u64(&mut head, n);
            }
            push_u64(&mut head, table.prefixes.len() as u64);
            // a list that does not fill its place is not recorded
            lists.commit(&head).ok()?;
            RecordedTable::read(file.read(RECORD_FORMAT).expect("read")).map(|(table, _)| table)
        };
        assert!(consistent(&good));
        let read = recorded(&good).expect("a table that fills its record");
        assert!(consistent(&read));
        for n in 0..3 {
            assert_eq!((read.bytes_of(n), read.rows_of(n)), (good.bytes_of(n), good.rows_of(n)));
        }
        assert_eq!((0..3).map(|row| read.prefix(row)).collect::<Vec<_>>(), good.prefixes);
        assert_eq!(read.chunk_crc(0), Some(0));
        let bad: [fn(&mut RowTable); 10] = [
            |t| t.ends = vec![22, 22, 29], // rows whose attributes differ in length
            |t| t.prefixes[0] = 4,         // the same
            |t| t.prefixes[2] = 8,         // a prefix as long as its row
            |t| t.size = 28,               // rows past the end of the file
            |t| t.rows = vec![2, 2, 4],    // more rows than prefixes
            |t| t.header = 22,             // the first rows start inside the header
            |t| t.prefixes.truncate(2),    // a row without a prefix
            |t| t.chunks.clear(),          // a chunk without a CRC-32
            |t| t.ends = vec![21, 20, 29], // rows that end before they start
            |t| t.rows = vec![2, 1, 3],    // fewer rows up to a segment than before it
        ];
        for (i, spoil) in bad.iter().enumerate() {
            let mut table = good.clone();
            spoil(&mut table);
            assert!(!consistent(&table), "spoilt table {i} used");
            assert!(recorded(&table).is_none_or(|t| !consistent(&t)), "spoilt record {i} used");
        } // three chunks of one-row segments, the middle one's row counts going back: refused,
        // letting go of what it checked without reading past or before its prefixes
        let segments = 2 * SEGMENTS_PER_CHUNK + 1;
        let mut long = RowTable { header: 10, size: 10 + 4 * segments as u64, ..good.clone() };
        long.ends = (1..=segments as u64).map(|n| 10 + 4 * n).collect();
        long.rows = (1..=segments as u64).collect();
        long.prefixes = vec![3; segments];
        long.chunks = vec![0; 3];
        assert!(consistent(&recorded(&long).expect("filled")), "the unspoilt long table");
        long.rows[2 * SEGMENTS_PER_CHUNK - 1] = 2; // the middle chunk's last

        assert!(!consistent(&recorded(&long).expect("filled")), "rows going back used");
    }

    #[test]
    fn rules_and_codes_added_or_removed_are_the_change() {
        let before = [code("a", None, &["x", "y"]), code("b", Some("a"), &["z"])];
        let same = sorted(changed_rules(&before, &before));
        assert_eq!(same, Some(vec![]));
        let added = [code("a", None, &["x", "w", "y"]), code("b", Some("a"), &["z"])];
        assert_eq!(sorted(changed_rules(&before, &added)), Some(vec!["w"]));
        let removed = [code("a", None, &["y"]), code("b", Some("a"), &["z"])];
        assert_eq!(sorted(changed_rules(&before, &removed)), Some(vec!["x"]));
        let new_code = [
            code("a", None, &["x", "y"]),
            code("c", Some("a"), &["v"]),
            code("b", Some("a"), &["z"]),
        ];
        assert_eq!(sorted(changed_rules(&before, &new_code)), Some(vec!["v"]));
        let leaf_gone = [code("a", None, &["x", "y"])];
        assert_eq!(sorted(changed_rules(&before, &leaf_gone)), Some(vec!["z"]));
        let twice = [code("a", None, &["x", "y", "x"]), code("b", Some("a"), &["z"])];
        assert_eq!(sorted(changed_rules(&before, &twice)), Some(vec!["x"]));
    }

    #[test]
    fn other_edits_code_everything_again() {
        let before = [code("a", None, &["x", "y"]), code("b", None, &["z"])];
        let reordered = [code("a", None, &["y", "x"]), code("b", None, &["z"])];
        assert_eq!(changed_rules(&before, &reordered), None, "rules reordered");
        let moved = [code("b", None, &["z"]), code("a", None, &["x", "y"])];
        assert_eq!(changed_rules(&before, &moved), None, "codes reordered");
        let adopted = [code("a", None, &["x", "y"]), code("b", Some("a"), &["z"])];
        assert_eq!(changed_rules(&before, &adopted), None, "a new parent");
        let renamed = [code("a", None, &["x", "y"]), code("c", None, &["z"])];
        assert_eq!(
            sorted(changed_rules(&before, &renamed)),
            Some(vec!["z"]),
            "renamed = removed + added"
        );
    }
}
