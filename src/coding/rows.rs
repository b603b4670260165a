//! `codings.csv` and `segments.csv`: their rows formatted in parallel and streamed, and, for
//! codings.csv, where each segment's rows lie in the file ([`RowLayout`]), so that a re-code
//! after a codebook edit can copy the rows the edit did not change (`reuse.rs`).

use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

use super::{CharOffsets, Coding, CodingKind, Codings};
use crate::corpus::Corpus;
use crate::export::{format_in_parallel, header_row, is_plain_cell, neutralised, push_field};
use crate::segment::Segment;

/// The `codings.csv` columns (format 2: format 1 without `text`), before the optional ones
/// ([`Columns`]).
pub const CODINGS_COLUMNS: [&str; 12] = [
    "document",
    "segment",
    "participant",
    "wave",
    "speaker",
    "code",
    "origin",
    "start",
    "end",
    "rule",
    "evidence",
    "matched",
];

/// How codings.csv's rows are written: a re-code copies rows only from a file written the
/// same way (`reuse.rs`). Change it with any change to a row's bytes.
/// 3: a code's rules each listed once when its children's ids are not paths.
pub(super) const ROW_FORMAT: u32 = 3;

/// The optional columns of a codings.csv.
#[derive(Debug, Clone, Copy, Default)]
pub struct Columns<'a> {
    /// `text`, the segment's text, after `end` (codings.csv format 1). Off by default: a
    /// segment with several codes would repeat its text in each row (at 100 MB of
    /// transcripts that made codings.csv 655 MB instead of 196 MB); segments.csv holds it
    /// once per segment.
    pub text: bool,
    /// One column per participant attribute named, last.
    pub attributes: &'a [String],
}

impl Columns<'_> {
    /// The header: [`CODINGS_COLUMNS`], with `text` and the attributes where asked.
    pub fn header(&self) -> Vec<&str> {
        let mut header = CODINGS_COLUMNS.to_vec();
        if self.text {
            let after_end = header.iter().position(|c| *c == "end").expect("a column") + 1;
            header.insert(after_end, "text");
        }
        header.extend(self.attributes.iter().map(String::as_str));
        header
    }
}

/// Render codings as `codings.csv` (format 2): one row per coding, `start`/`end` the
/// segment's char range in the document, `rule` the rules that matched, `evidence` the
/// matched words' char ranges (`start-end;…`), `matched` their text; `columns` adds the
/// segment's text and participant attribute columns.
pub fn to_csv(
    codings: &Codings,
    corpus: &Corpus,
    segments: &[Segment],
    columns: Columns<'_>,
) -> String {
    let bytes = write_csv(codings, corpus, segments, columns, Vec::new())
        .expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("UTF-8 in, UTF-8 out")
}

/// [`to_csv`] into any writer (a large study's codings.csv is hundreds of megabytes: it is
/// streamed, not built in memory). Rows are formatted in parallel, a window of chunks at a
/// time, and written in order. Returns the writer.
///
/// # Errors
/// Writing fails.
pub fn write_csv<W: Write>(
    codings: &Codings,
    corpus: &Corpus,
    segments: &[Segment],
    columns: Columns<'_>,
    mut out: W,
) -> std::io::Result<W> {
    write_codings(codings, None, corpus, segments, columns, &mut out, &mut Unrecorded)?;
    Ok(out)
}

/// Where a codings.csv being written puts where its rows lie ([`RowLayout`]), chunk by
/// chunk: the lists of a re-code's record, written into their places in it
/// (`reuse::TableInRecord`), or nowhere.
pub(super) trait RowSink {
    /// The next segment's rows end at byte `end` of the file, and the segments up to and
    /// including it have `rows` rows.
    ///
    /// # Errors
    /// The sink cannot take it.
    fn segment(&mut self, end: u64, rows: u64) -> std::io::Result<()>;

    /// The prefix lengths of a chunk's rows ([`RowLayout::prefix`]) and the chunk's CRC-32,
    /// after its segments.
    ///
    /// # Errors
    /// The sink cannot take it.
    fn chunk(&mut self, prefixes: &[u32], crc: u32) -> std::io::Result<()>;
}

/// A codings.csv written where nothing is kept of where its rows lie.
struct Unrecorded;

impl RowSink for Unrecorded {
    fn segment(&mut self, _end: u64, _rows: u64) -> std::io::Result<()> {
        Ok(())
    }

    fn chunk(&mut self, _prefixes: &[u32], _crc: u32) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
impl RowSink for RowTable {
    fn segment(&mut self, end: u64, rows: u64) -> std::io::Result<()> {
        self.ends.push(end);
        self.rows.push(rows);
        Ok(())
    }

    fn chunk(&mut self, prefixes: &[u32], crc: u32) -> std::io::Result<()> {
        self.prefixes.extend_from_slice(prefixes);
        self.chunks.push(crc);
        Ok(())
    }
}

/// What a codings.csv written is, beyond where its rows lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WrittenFile {
    /// The header's length: where the first segment's rows start.
    pub header: u64,
    /// The file's length.
    pub size: u64,
    /// The file's CRC-32.
    pub crc: u32,
}

/// Where each segment's rows lie in a codings.csv, and the file's length and CRC-32: what
/// a re-code copying from the file reads ([`RowLayout`]), held in memory (for tests: a
/// run's goes into its record, `reuse::TableInRecord`, and is read back from it,
/// `reuse::RecordedTable`).
#[cfg(test)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RowTable {
    /// The header's length: where the first segment's rows start.
    pub header: u64,
    /// Where each segment's rows end.
    pub ends: Vec<u64>,
    /// How many rows the segments up to and including each have.
    pub rows: Vec<u64>,
    /// Each row's length up to its attribute columns (without them and the line break).
    /// What follows is the same in every row of a segment (its participant's attributes and
    /// a line break), so a row's whole length is not kept: it is what the segment's rows
    /// hold beyond their prefixes, shared evenly ([`RowLayout::segment_rows`]).
    pub prefixes: Vec<u32>,
    /// The file's length.
    pub size: u64,
    /// The file's CRC-32 (ISO-HDLC, as zip and gzip use).
    pub crc: u32,
    /// The CRC-32 of each chunk's rows ([`SEGMENTS_PER_CHUNK`] segments' rows, the header
    /// excluded): a chunk copied is checked as it is read.
    pub chunks: Vec<u32>,
}

/// Where a codings.csv's rows lie, as a re-code reads it to copy rows: the table of the file
/// written last as its record holds it (`reuse::RecordedTable`), or, in tests, `RowTable`.
pub(super) trait RowLayout: Sync {
    /// The header's length: where the first segment's rows start.
    fn header(&self) -> u64;

    /// The file's length.
    fn size(&self) -> u64;

    /// How many segments it has rows for.
    fn segment_count(&self) -> usize;

    /// Where segment `n`'s rows end.
    fn end(&self, n: usize) -> u64;

    /// How many rows the segments up to and including `n` have.
    fn rows_up_to(&self, n: usize) -> u64;

    /// How many prefixes it holds (one per row, in a table that describes a file).
    fn prefix_count(&self) -> usize;

    /// Row `row`'s length up to its attribute columns.
    fn prefix(&self, row: usize) -> u32;

    /// How many chunks' CRC-32s it holds.
    fn chunk_count(&self) -> usize;

    /// The CRC-32 of chunk `chunk`'s rows.
    fn chunk_crc(&self, chunk: usize) -> Option<u32>;

    /// Done with what it says of segments `numbers` (a table read from a file lets its
    /// pages go).
    fn done_with(&self, _numbers: Range<usize>) {}

    /// Segment `n`'s rows: where their bytes lie, with each row's prefix length appended to
    /// `prefixes`. One call per segment: copying a million rows through a `dyn RowLayout`
    /// with a call per row and number took a re-code about as long as reading the rows.
    fn segment_rows(&self, n: usize, prefixes: &mut Vec<u32>) -> Range<usize> {
        prefixes.extend(self.rows_of(n).map(|row| self.prefix(row)));
        self.bytes_of(n)
    }

    /// The bytes of segment `n`'s rows.
    fn bytes_of(&self, n: usize) -> Range<usize> {
        let start = if n == 0 { self.header() } else { self.end(n - 1) };
        start as usize..self.end(n) as usize
    }

    /// The numbers of segment `n`'s rows.
    fn rows_of(&self, n: usize) -> Range<usize> {
        let start = if n == 0 { 0 } else { self.rows_up_to(n - 1) };
        start as usize..self.rows_up_to(n) as usize
    }
}

#[cfg(test)]
impl RowLayout for RowTable {
    fn header(&self) -> u64 {
        self.header
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn segment_count(&self) -> usize {
        self.ends.len()
    }

    fn end(&self, n: usize) -> u64 {
        self.ends[n]
    }

    fn rows_up_to(&self, n: usize) -> u64 {
        self.rows[n]
    }

    fn prefix_count(&self) -> usize {
        self.prefixes.len()
    }

    fn prefix(&self, row: usize) -> u32 {
        self.prefixes[row]
    }

    fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    fn chunk_crc(&self, chunk: usize) -> Option<u32> {
        self.chunks.get(chunk).copied()
    }
}

/// The rows of the segments a re-code does not code again, copied from the codings.csv
/// written before it (`reuse.rs` says when that is the same as coding them again).
pub(super) struct Copied<'a> {
    /// The previous codings.csv, read a chunk of segments' rows at a time (not mapped: a
    /// large study's runs to gigabytes, which mapped would all count as the run's memory).
    pub file: &'a std::fs::File,
    /// Where it is (named in errors).
    pub path: &'a std::path::Path,
    /// Where its rows lie.
    pub table: &'a dyn RowLayout,
    /// Whether each segment is coded again (its rows formatted) rather than copied.
    pub recoded: &'a [bool],
    /// Whether the previous file has the attribute columns asked for now (rows are copied
    /// whole), or others (each row is copied up to them, and the attributes asked for
    /// formatted after it).
    pub whole_rows: bool,
}

/// Segments whose rows one parallel task formats or copies. Part of the re-code's record
/// (a CRC-32 per chunk), so part of what it says rows were made with (`reuse::MadeWith`).
pub(super) const SEGMENTS_PER_CHUNK: usize = 2048;

/// Write codings.csv with the rows of `codings` (in segment order), and of the segments
/// `copied` does not re-code its rows copied; where each segment's rows lie goes to `sink`.
pub(super) fn write_codings<W: Write + ?Sized>(
    codings: &Codings,
    copied: Option<&Copied<'_>>,
    corpus: &Corpus,
    segments: &[Segment],
    columns: Columns<'_>,
    out: &mut W,
    sink: &mut impl RowSink,
) -> std::io::Result<WrittenFile> {
    let header = header_row(&columns.header());
    out.write_all(&header)?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(&header);
    let numbers = crate::segment::NumbersInDocuments::new(segments);
    let kinds = KindCells::new(codings);
    let rows = Rows { corpus, segments, columns, numbers: &numbers, copied, kinds: &kinds };
    let format = |chunk: usize, part: &mut Part| {
        let numbers =
            chunk * SEGMENTS_PER_CHUNK..((chunk + 1) * SEGMENTS_PER_CHUNK).min(segments.len());
        // codings come in segment order
        let first = codings.first_at_or_after(numbers.start);
        let last = codings.first_at_or_after(numbers.end);
        rows.write(numbers, codings, first..last, part);
    };
    let (mut written, mut rows_so_far) = (header.len() as u64, 0);
    format_in_parallel(segments.len().div_ceil(SEGMENTS_PER_CHUNK), format, |part| {
        if let Some(e) = &part.failed {
            let from = copied.map_or(std::path::Path::new(""), |copied| copied.path);
            let failed = CopyFailed(format!("{}: {e}", from.display()));
            return Err(std::io::Error::new(e.kind(), failed));
        }
        out.write_all(&part.bytes)?;
        crc.combine(&part.crc);
        for (&end, &rows) in part.ends.iter().zip(&part.rows) {
            rows_so_far += u64::from(rows);
            sink.segment(written + end as u64, rows_so_far)?;
        }
        sink.chunk(&part.prefixes, part.crc.clone().finalize())?;
        written += part.bytes.len() as u64;
        Ok(())
    })?;
    Ok(WrittenFile { header: header.len() as u64, size: written, crc: crc.finalize() })
}

/// Rows could not be copied from the file written before (unreadable, or changed since):
/// unlike a failure to write, the record of that file is no longer to be trusted.
#[derive(Debug)]
pub(super) struct CopyFailed(String);

impl std::fmt::Display for CopyFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CopyFailed {}

/// The rows of a chunk of segments, and where each segment's rows end.
#[derive(Default)]
struct Part {
    bytes: Vec<u8>,
    /// Where each segment's rows end in `bytes`.
    ends: Vec<usize>,
    /// How many rows each segment has.
    rows: Vec<u32>,
    /// Each row's length up to its attribute columns.
    prefixes: Vec<u32>,
    /// The CRC-32 of `bytes`, computed by the task that made them, not by the one thread
    /// that writes every part.
    crc: crc32fast::Hasher,
    /// The previous file's rows of these segments, and where they start in it.
    old: Vec<u8>,
    old_start: usize,
    /// Why they could not be read (the file changed since it was checked).
    failed: Option<std::io::Error>,
}

/// Append the fields that say which segment a row is about and who spoke it — `document`,
/// `segment` (its `number` in the document), `participant`, `wave`, `speaker` — the first
/// columns of codings.csv and of segments.csv.
fn push_identity(row: &mut Vec<u8>, segment: &Segment, number: usize, corpus: &Corpus) {
    let (document, speaker) = (segment.document(corpus), segment.speaker(corpus));
    push_field(row, neutralised(&document.id).as_bytes(), true);
    push_field(row, itoa::Buffer::new().format(number).as_bytes(), false);
    push_cell(row, speaker.participant.as_deref().unwrap_or_default());
    push_cell(row, document.wave.as_deref().unwrap_or_default());
    push_cell(row, speaker.name());
}

/// Append a cell of text, neutralised, after a comma.
fn push_cell(row: &mut Vec<u8>, cell: &str) {
    push_field(row, neutralised(cell).as_bytes(), false);
}

/// The `segments.csv` columns (format 1): each segment's text once, for codings.csv's rows
/// (keyed by `document` and `segment`) to be joined to.
pub const SEGMENTS_COLUMNS: [&str; 8] =
    ["document", "segment", "participant", "wave", "speaker", "start", "end", "text"];

/// Write `segments.csv` (format 1): one row per segment, in document and text order, `start`
/// and `end` its char range in the document's decoded text. Streamed: a large study's
/// segments hold all of its text.
///
/// # Errors
/// Writing fails.
pub fn write_segments_csv<W: Write>(
    corpus: &Corpus,
    segments: &[Segment],
    mut out: W,
) -> std::io::Result<W> {
    let numbers = crate::segment::NumbersInDocuments::new(segments);
    let format = |first: usize, chunk: &[Segment], row: &mut Vec<u8>| {
        row.clear();
        let mut digits = itoa::Buffer::new();
        let (mut text, mut run) = (None, 0);
        for (n, segment) in (first..).zip(chunk) {
            push_identity(row, segment, numbers.of_from(n, &mut run), corpus);
            push_field(row, digits.format(segment.chars().start).as_bytes(), false);
            push_field(row, digits.format(segment.chars().end).as_bytes(), false);
            push_cell(
                row,
                &corpus.text_in_order(&mut text, segment.document_index())[segment.bytes()],
            );
            row.push(b'\n');
        }
    };
    crate::export::write_rows_in_parallel(&SEGMENTS_COLUMNS, segments, format, &mut out)?;
    Ok(out)
}

/// What `bytes` of a segment's rows hold beyond their `prefixes` (the attribute columns and
/// line break of each row, the same length in each); `None` when the prefixes are longer
/// than the rows, in a table read back wrong.
pub(super) fn beyond_prefixes(bytes: usize, prefixes: &[u32]) -> Option<usize> {
    bytes.checked_sub(prefixes.iter().map(|&prefix| prefix as usize).sum())
}

/// What every codings.csv row is formatted (or copied) from.
struct Rows<'a> {
    corpus: &'a Corpus,
    segments: &'a [Segment],
    columns: Columns<'a>,
    /// Each segment's number within its document.
    numbers: &'a crate::segment::NumbersInDocuments,
    copied: Option<&'a Copied<'a>>,
    kinds: &'a KindCells<'a>,
}

/// Each kind of coding's code and origin cells, and its rule cell (written either side of a
/// row's segment fields), encoded once for the whole file: codings share a few thousand kinds,
/// which each chunk of rows encoding its own met afresh in each of hundreds of chunks.
struct KindCells<'c> {
    codings: &'c Codings,
    /// Each kind's cells, by its number.
    cells: Vec<(Vec<u8>, Vec<u8>)>,
}

impl<'c> KindCells<'c> {
    fn new(codings: &'c Codings) -> KindCells<'c> {
        use rayon::prelude::*;
        let cells = (codings.kinds.par_iter())
            .map(|kind| {
                let (mut code_and_origin, mut listed) = (Vec::new(), Vec::new());
                push_cell(&mut code_and_origin, &kind.code);
                push_cell(&mut code_and_origin, kind.origin.name());
                let names: Vec<&str> = kind.rules.iter().map(|rule| &**rule).collect();
                push_cell(&mut listed, &names.join(" ; "));
                (code_and_origin, listed)
            })
            .collect();
        KindCells { codings, cells }
    }

    /// The cells of `kind`, the kind of one of the codings.
    ///
    /// # Panics
    /// `kind` is not one of their places ([`Codings::kind_number`]).
    fn of(&self, kind: &Arc<CodingKind>) -> (&[u8], &[u8]) {
        // by number: looking the kind up by address in a hash map was a tenth of formatting
        // a row
        let number = self.codings.kind_number(kind).expect("a kind of the codings written");
        let (code_and_origin, listed) = &self.cells[number];
        (code_and_origin, listed)
    }
}

/// What one chunk's rows reuse from row to row: a segment's own fields (everything but the
/// code, its origin, rules and evidence) are encoded once and copied into each of its rows
/// (each kind of coding's cells are encoded once per file, [`KindCells`]), a participant's
/// attribute columns once per run of their segments.
#[derive(Default)]
struct Encoded<'a> {
    /// `document` … `speaker` of the current segment.
    head: Vec<u8>,
    /// `start`, `end` (and `text`) of the current segment.
    body: Vec<u8>,
    /// The attribute columns of `tail_of`.
    tail: Vec<u8>,
    tail_of: Option<Option<&'a str>>,
    /// The text of the document the chunk is in ([`Corpus::text_in_order`]).
    text: Option<(usize, std::borrow::Cow<'a, str>)>,
    /// Where the last segment's document's run of segments was found
    /// ([`NumbersInDocuments::of_from`](crate::segment::NumbersInDocuments::of_from)).
    run: usize,
}

impl<'a> Rows<'a> {
    /// The rows of the segments `numbers` into `part` (cleared first): formatted from
    /// `codings` numbered `theirs` (in segment order), or copied.
    fn write(
        &self,
        numbers: Range<usize>,
        codings: &Codings,
        theirs: Range<usize>,
        part: &mut Part,
    ) {
        let Part { bytes, ends, rows, prefixes, crc, old, old_start, failed } = part;
        ends.clear();
        rows.clear();
        prefixes.clear();
        *failed = None;
        if let Some(copied) = self.copied.filter(|_| !numbers.is_empty()) {
            let first = copied.table.bytes_of(numbers.start).start;
            let last = copied.table.bytes_of(numbers.end - 1).end;
            old.resize(last - first, 0);
            *old_start = first;
            if let Err(e) = crate::files::read_at(copied.file, old, first as u64) {
                *failed = Some(e);
                return;
            }
            // the whole file is checked before copying only when its stamp changed: rows
            // changed in place within the clock tick it was recorded in are caught here
            let checked = crc32fast::hash(old);
            if copied.table.chunk_crc(numbers.start / SEGMENTS_PER_CHUNK) != Some(checked) {
                let message = "changed since it was written, while its rows were being copied";
                *failed = Some(std::io::Error::new(std::io::ErrorKind::InvalidData, message));
                return;
            }
            // the usual chunk after an edit: every row copied whole, so the rows read are
            // the part, with the CRC-32 just checked (not copied and hashed again); `bytes`
            // is not cleared first, so the buffer that becomes `old` keeps its length and the
            // next chunk read into it zeroes only what it adds
            if copied.whole_rows && !copied.recoded[numbers.clone()].contains(&true) {
                std::mem::swap(bytes, old);
                for n in numbers.clone() {
                    let before = prefixes.len();
                    ends.push(copied.table.segment_rows(n, prefixes).end - first);
                    rows.push((prefixes.len() - before) as u32);
                }
                copied.table.done_with(numbers);
                *crc = crc32fast::Hasher::new_with_initial_len(checked, bytes.len() as u64);
                return;
            }
        }
        bytes.clear();
        bytes.reserve(theirs.len() * if self.columns.text { 512 } else { 192 });
        let mut encoded = Encoded::default();
        // read in order, record after record, each once (reading one by its number reads
        // from the checkpoint before it)
        let mut coded = codings.range(theirs).peekable();
        // the rows of segments copied whole since the last one that was not, one after
        // another in `old`: copied at once when the run ends (a copy per segment took a
        // re-code after an edit that codes a few turns in every chunk 2-5 % longer, where
        // the file copied from has the same columns: a `code` after a `code`; rows from a
        // `run`'s file, with its attribute columns, are each copied up to them)
        let mut run = 0..0;
        for n in numbers.clone() {
            let mut own = std::iter::from_fn(|| coded.next_if(|coding| coding.segment == n));
            let before = prefixes.len();
            match self.copied.filter(|copied| !copied.recoded[n]) {
                Some(copied) if copied.whole_rows => {
                    own.by_ref().for_each(drop);
                    let in_file = copied.table.segment_rows(n, prefixes);
                    let in_old = in_file.start - *old_start..in_file.end - *old_start;
                    if in_old.start != run.end {
                        bytes.extend_from_slice(&old[run]);
                        run = in_old.start..in_old.start;
                    }
                    run.end = in_old.end;
                }
                Some(copied) => {
                    own.by_ref().for_each(drop);
                    bytes.extend_from_slice(&old[std::mem::take(&mut run)]);
                    self.copy_up_to_attributes(
                        n,
                        copied,
                        (old, *old_start),
                        &mut encoded,
                        Out { bytes: &mut *bytes, prefixes: &mut *prefixes },
                    );
                }
                None => {
                    bytes.extend_from_slice(&old[std::mem::take(&mut run)]);
                    self.format(
                        n,
                        own.peekable(),
                        &mut encoded,
                        Out { bytes: &mut *bytes, prefixes: &mut *prefixes },
                    );
                }
            }
            ends.push(bytes.len() + run.len());
            rows.push((prefixes.len() - before) as u32);
        }
        bytes.extend_from_slice(&old[run]);
        if let Some(copied) = self.copied {
            copied.table.done_with(numbers);
        }
        *crc = crc32fast::Hasher::new();
        crc.update(bytes);
    }

    /// Segment `n`'s rows, copied from the previous file up to their attribute columns
    /// (other attributes are asked for), which are formatted anew.
    fn copy_up_to_attributes(
        &self,
        n: usize,
        copied: &Copied<'_>,
        (old, old_start): (&[u8], usize),
        encoded: &mut Encoded<'a>,
        out: Out<'_>,
    ) {
        // the rows' prefixes are the same in the new file: listed as they are read
        let first_row = out.prefixes.len();
        let old_bytes = copied.table.segment_rows(n, out.prefixes);
        let old_bytes = old_bytes.start - old_start..old_bytes.end - old_start;
        let prefixes = &out.prefixes[first_row..];
        if prefixes.is_empty() {
            return;
        }
        self.attributes_of(n, encoded);
        // the table was checked against itself when read (`reuse::consistent`): every row
        // lies inside its segment, every prefix inside its row, and what follows the
        // prefixes is the same length in each row
        let after = beyond_prefixes(old_bytes.len(), prefixes).unwrap_or(0) / prefixes.len();
        let mut at = old_bytes.start;
        for &prefix in prefixes {
            out.bytes.extend_from_slice(&old[at..at + prefix as usize]);
            out.bytes.extend_from_slice(&encoded.tail);
            out.bytes.push(b'\n');
            at += prefix as usize + after;
        }
    }

    /// The rows of segment `n`'s codings.
    fn format<'c>(
        &self,
        n: usize,
        mut codings: std::iter::Peekable<impl Iterator<Item = Coding<'c>>>,
        encoded: &mut Encoded<'a>,
        out: Out<'_>,
    ) {
        if codings.peek().is_none() {
            return;
        }
        let (corpus, segment) = (self.corpus, &self.segments[n]);
        let mut digits = itoa::Buffer::new();
        self.attributes_of(n, encoded);
        let Encoded { head, body, tail, text, run, .. } = encoded;
        let text = corpus.text_in_order(text, segment.document_index());
        head.clear();
        push_identity(head, segment, self.numbers.of_from(n, run), corpus);
        body.clear();
        push_field(body, digits.format(segment.chars().start).as_bytes(), false);
        push_field(body, digits.format(segment.chars().end).as_bytes(), false);
        if self.columns.text {
            push_cell(body, &text[segment.bytes()]);
        }
        // evidence lies inside the segment: slice its text, not the whole document's
        let mut offsets = CharOffsets::new(text, segment);
        let rows = out.bytes;
        for coding in codings {
            let start = rows.len();
            rows.extend_from_slice(head);
            // so are the code, origin and rules, once for the file
            let (code_and_origin, listed) = self.kinds.of(coding.kind);
            rows.extend_from_slice(code_and_origin);
            rows.extend_from_slice(body);
            rows.extend_from_slice(listed);
            // digits, `-` and `;`: nothing to quote or neutralise
            rows.push(b',');
            for (i, r) in coding.evidence.iter().enumerate() {
                if i > 0 {
                    rows.push(b';');
                }
                rows.extend_from_slice(digits.format(r.start).as_bytes());
                rows.push(b'-');
                rows.extend_from_slice(digits.format(r.end).as_bytes());
            }
            // the words of the evidence written in place, and written again as a cell must
            // be (quoted, neutralised) in the rare case they need it: a word holds no quote
            // or line break, and a comma only within a number
            rows.push(b',');
            let cell = rows.len();
            for (i, r) in coding.evidence.iter().enumerate() {
                if i > 0 {
                    rows.extend_from_slice(b" | ");
                }
                rows.extend_from_slice(offsets.slice(r.start as usize..r.end as usize).as_bytes());
            }
            if !is_plain_cell(&rows[cell..]) {
                let matched = rows.split_off(cell);
                rows.pop(); // its comma, which pushing the cell writes again
                push_cell(rows, std::str::from_utf8(&matched).expect("slices of the text"));
            }
            // the attribute columns last, after the part a later re-code copies
            out.prefixes.push((rows.len() - start) as u32);
            rows.extend_from_slice(tail);
            rows.push(b'\n');
        }
    }

    /// Put the attribute columns of segment `n`'s participant in `encoded.tail`, looked up
    /// (by id, in a sorted map) once for the run of segments a participant speaks, not once
    /// per segment.
    fn attributes_of(&self, n: usize, encoded: &mut Encoded<'a>) {
        let corpus = self.corpus;
        let participant = self.segments[n].speaker(corpus).participant.as_deref();
        if encoded.tail_of == Some(participant) {
            return;
        }
        encoded.tail_of = Some(participant);
        encoded.tail.clear();
        for attribute in self.columns.attributes {
            let value = participant.and_then(|id| corpus.participants.attribute(id, attribute));
            push_cell(&mut encoded.tail, value.unwrap_or_default());
        }
    }
}

/// Where a segment's rows go: a chunk's bytes, and the length of each row up to its
/// attribute columns.
struct Out<'p> {
    bytes: &'p mut Vec<u8>,
    prefixes: &'p mut Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{Unit, segment};

    /// A corpus of one document of `turns` one-word turns by one anonymous speaker.
    fn corpus(turns: usize) -> Corpus {
        let lines: Vec<String> = (0..turns).map(|n| format!("w{n}")).collect();
        crate::corpus::of_lines(&[&lines.join("\n")])
    }

    /// Rows copied from the file written before are checked a chunk at a time as they are
    /// read: as written, they are copied; changed in place, the write fails, naming the file.
    #[test]
    fn copied_rows_are_checked_a_chunk_at_a_time() {
        let corpus = corpus(SEGMENTS_PER_CHUNK + 5);
        let segments = segment(&corpus, Unit::Turn);
        assert_eq!(segments.len(), SEGMENTS_PER_CHUNK + 5, "two chunks");
        let columns = Columns { text: false, attributes: &[] };
        let header = header_row(&columns.header());
        // the file written before: the header, then one row per segment
        let mut before = header.clone();
        let mut table = RowTable { header: header.len() as u64, ..RowTable::default() };
        for (n, rows) in segments.chunks(SEGMENTS_PER_CHUNK).enumerate() {
            let start = before.len();
            for m in 0..rows.len() {
                let row = format!("row {n} {m}\n");
                before.extend_from_slice(row.as_bytes());
                table.ends.push(before.len() as u64);
                table.rows.push(table.ends.len() as u64);
                table.prefixes.push(3);
            }
            table.chunks.push(crc32fast::hash(&before[start..]));
        }
        table.size = before.len() as u64;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("codings.csv");
        let recoded = vec![false; segments.len()];
        let copy = |bytes: &[u8]| {
            std::fs::write(&path, bytes).expect("write");
            let file = std::fs::File::open(&path).expect("open");
            let copied = Copied {
                file: &file,
                path: &path,
                table: &table,
                recoded: &recoded,
                whole_rows: true,
            };
            let mut out = Vec::new();
            let mut table = RowTable::default();
            write_codings(
                Codings::empty(),
                Some(&copied),
                &corpus,
                &segments,
                columns,
                &mut out,
                &mut table,
            )
            .map(|_| out)
        };
        assert_eq!(copy(&before).expect("copied"), before);
        let mut changed = before.clone();
        let last = changed.len() - 2;
        changed[last] = b'x';
        let error = copy(&changed).expect_err("a changed chunk is not copied");
        assert!(error.get_ref().is_some_and(|inner| inner.is::<CopyFailed>()), "{error:?}");
        let error = error.to_string();
        assert!(error.contains("codings.csv: changed since it was written"), "{error}");
    }
}
