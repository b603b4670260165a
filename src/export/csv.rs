//! CSV and TSV: a header row, then one row per table row; notes are not written (they are
//! in every other format). Text cells that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'` (OWASP CSV injection).

use super::Exporter;
use crate::table::{Table, Value};

/// Delimited text with the given delimiter.
pub struct Delimited {
    /// `,` or tab.
    pub delimiter: u8,
}

impl Exporter for Delimited {
    fn render(&self, table: &Table) -> String {
        let mut writer =
            csv::WriterBuilder::new().delimiter(self.delimiter).from_writer(Vec::new());
        // column names come from data too (a crosstab's columns are attribute values)
        let header: Vec<String> = table.columns.iter().map(|c| neutralise(&c.name)).collect();
        writer.write_record(&header).expect("writing to memory cannot fail");
        for row in &table.rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&table.columns)
                .map(|(value, column)| match value {
                    Value::Text(text) => neutralise(text),
                    other => other.plain(column.kind),
                })
                .collect();
            writer.write_record(&cells).expect("writing to memory cannot fail");
        }
        let bytes = writer.into_inner().expect("flushing to memory cannot fail");
        String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
    }
}

/// Prefix formula-like text with `'` so spreadsheets show it as text.
pub fn neutralise(text: &str) -> String {
    neutralised(text).into_owned()
}

/// [`neutralise`] without copying text that needs no prefix (nearly all of it).
pub fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return text.into();
    }
    // a plain number (`-0.25`, `+3`) is what it looks like: a spreadsheet reads it as a number
    let number = text.chars().all(|c| c.is_ascii_digit() || ".-+eE".contains(c))
        && text.parse::<f64>().is_ok();
    if number { text.into() } else { format!("'{text}").into() }
}

/// Whether `cell` is written as it is by [`neutralised`] and [`push_field`]: nothing to
/// neutralise at its start, nothing to quote in it.
pub fn is_plain_cell(cell: &[u8]) -> bool {
    // every byte looked at, without stopping at the first to quote: a loop that can stop
    // is not vectorised, and it was a tenth of formatting codings.csv's rows, where every
    // row's matched words are checked and almost none need quoting
    let to_quote =
        cell.iter().fold(false, |found, b| found | matches!(b, b',' | b'"' | b'\n' | b'\r'));
    !matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')) && !to_quote
}

/// Append a field to a row being written by hand, byte for byte as `csv::Writer` (default
/// settings) writes it: quoted only when it holds a comma, a quote or a line break, quotes
/// doubled, and a comma before every field but the first. For codings.csv, whose millions
/// of rows repeat each segment's fields: they are encoded once per segment and copied.
pub fn push_field(row: &mut Vec<u8>, field: &[u8], first: bool) {
    if !first {
        row.push(b',');
    }
    // memchr's vectorised scans for long fields (a segment's text); a plain loop for the
    // short ones of codings.csv's millions of rows, where memchr's setup costs more
    let needs_quotes = |b: &u8| matches!(b, b',' | b'"' | b'\n' | b'\r');
    let plain = if field.len() < 32 {
        !field.iter().any(needs_quotes)
    } else {
        memchr::memchr3(b',', b'"', b'\n', field).is_none()
            && memchr::memchr(b'\r', field).is_none()
    };
    if plain {
        row.extend_from_slice(field);
        return;
    }
    // most segment texts hold a comma, so are quoted: their quotes found by memchr, where
    // splitting at them tried each byte in turn
    row.push(b'"');
    let mut rest = field;
    while let Some(quote) = memchr::memchr(b'"', rest) {
        row.extend_from_slice(&rest[..=quote]);
        row.push(b'"');
        rest = &rest[quote + 1..];
    }
    row.extend_from_slice(rest);
    row.push(b'"');
}

/// Write a header and then the rows of `items` into `out`, for a streamed CSV (segments.csv:
/// hundreds of megabytes in a large study, never held whole).
/// `format` appends the rows of a chunk of items (given the position of its first item) to
/// a buffer (clearing it first); chunks are formatted in parallel, a window at a time, and
/// written in order.
///
/// # Errors
/// Writing fails.
pub fn write_rows_in_parallel<T: Sync, W: std::io::Write>(
    header: &[&str],
    items: &[T],
    format: impl Fn(usize, &[T], &mut Vec<u8>) + Sync,
    out: &mut W,
) -> std::io::Result<()> {
    // enough rows per chunk to amortise a task, few enough to bound a window's memory
    const ROWS_PER_CHUNK: usize = 8192;
    out.write_all(&header_row(header))?;
    let chunks = items.len().div_ceil(ROWS_PER_CHUNK);
    let chunk = |i: usize| &items[i * ROWS_PER_CHUNK..((i + 1) * ROWS_PER_CHUNK).min(items.len())];
    format_in_parallel(
        chunks,
        |i, part: &mut Vec<u8>| format(i * ROWS_PER_CHUNK, chunk(i), part),
        |part| out.write_all(part),
    )
}

/// A CSV header row: the column names, neutralised like cells.
pub fn header_row(header: &[&str]) -> Vec<u8> {
    let mut head = Vec::new();
    for (i, column) in header.iter().enumerate() {
        // attribute names are participants.csv's column names: data, so neutralised like cells
        push_field(&mut head, neutralised(column).as_bytes(), i == 0);
    }
    head.push(b'\n');
    head
}

/// Fill `chunks` parts with `format` (given each chunk's number) in parallel and hand them
/// to `write` in order: a window of chunks is formatted while the window before is written,
/// few enough chunks per window to bound memory. Parts are reused from window to window, so
/// `format` must clear what it fills.
///
/// # Errors
/// `write` fails.
pub fn format_in_parallel<P: Default + Send>(
    chunks: usize,
    format: impl Fn(usize, &mut P) + Sync,
    mut write: impl FnMut(&P) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const CHUNKS_PER_WINDOW: usize = 8;
    // Each window is formatted into the parts of the window written before the last: fresh
    // buffers for hundreds of megabytes of rows cost as much in page faults as writing them.
    let mut formatted: Vec<P> = Vec::new();
    let mut spare: Vec<P> = Vec::new();
    for window in (0..chunks).step_by(CHUNKS_PER_WINDOW) {
        let numbers = window..(window + CHUNKS_PER_WINDOW).min(chunks);
        spare.resize_with(numbers.len(), P::default);
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| {
                let parts = spare.par_iter_mut().zip(numbers.into_par_iter());
                parts.for_each(|(part, i)| format(i, part));
            });
            formatted.iter().try_for_each(&mut write)
        })?;
        std::mem::swap(&mut formatted, &mut spare);
    }
    formatted.iter().try_for_each(write)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matched_words_are_plain_cells_unless_they_need_quotes_or_neutralising() {
        assert!(is_plain_cell(b"mentor | mocks | didn't"));
        assert!(is_plain_cell(b""));
        for cell in ["1,000", "-ish", "=x", "@me", "say \"hi\"", "a\nb", "\tx"] {
            assert!(!is_plain_cell(cell.as_bytes()), "{cell:?}");
        }
    }

    proptest! {
        /// Rows written field by field with `push_field` are what `csv::Writer` writes, for
        /// short fields (scanned byte by byte) and long ones (scanned by memchr), with the
        /// characters that need quotes rare or common, quotes next to each other and last.
        #[test]
        fn push_field_writes_what_the_csv_crate_writes(
            fields in proptest::collection::vec(
                prop_oneof![
                    "[a-z ,\"\r\n'=é]{0,12}",
                    "[a-z ]{20,60}[,\"\r\n]?[a-z ]{0,20}",
                    "[a-z ,\"]{30,80}\"?",
                ],
                2..6,
            ),
        ) {
            let mut expected = csv::Writer::from_writer(Vec::new());
            expected.write_record(&fields).expect("to memory");
            let expected = expected.into_inner().expect("flushed");
            let mut row = Vec::new();
            for (i, field) in fields.iter().enumerate() {
                push_field(&mut row, field.as_bytes(), i == 0);
            }
            row.push(b'\n');
            prop_assert_eq!(row, expected);
        }

        /// A plain cell is written as it is: neither neutralised nor quoted (and a cell
        /// that is not may be written otherwise).
        #[test]
        fn a_plain_cell_is_written_as_it_is(
            cell in prop_oneof!["[-+=@a-z ,\"\t\r\n'0-9.|é]{0,16}", "[a-z]{1,8}( [|] [a-z0-9,]{1,8}){0,3}"],
        ) {
            let mut row = Vec::new();
            push_field(&mut row, neutralised(&cell).as_bytes(), true);
            if is_plain_cell(cell.as_bytes()) {
                prop_assert_eq!(row, cell.as_bytes());
            }
        }
    }
}
