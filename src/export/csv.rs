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
/// a buffer (clearing it first); chunks are formatted in parallel and written in order
/// ([`format_in_parallel`]).
///
/// # Errors
/// Writing fails.
pub fn write_rows_in_parallel<T: Sync, W: std::io::Write>(
    header: &[&str],
    items: &[T],
    format: impl Fn(usize, &[T], &mut Vec<u8>) + Sync,
    out: &mut W,
) -> std::io::Result<()> {
    // enough rows per chunk to amortise a task, few enough to bound the memory of the
    // chunks being formatted
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
/// to `write` in order, as each is ready: every core formats the chunks after the one being
/// written, a few parts per core at most, to bound memory. Parts are reused (fresh buffers
/// for hundreds of megabytes of rows cost as much in page faults as writing them), so
/// `format` must clear what it fills. (In windows of eight chunks, each formatted while the window
/// before was written, a core often waited for the slowest chunk of a window: about a sixth
/// of the cores' time idle while a re-code at 100 MB copied its rows. Handed out one by one,
/// 0.01–0.03 s came off a re-code of 0.41–0.46 s, in four series of ten alternations, and
/// 106 -> 93 MB off its peak; benches/RESULTS.md, fifty-first round.)
///
/// # Errors
/// `write` fails: no further chunk is handed out, and those being formatted are finished
/// first.
///
/// # Panics
/// `format` panics (with its panic).
pub fn format_in_parallel<P: Default + Send>(
    chunks: usize,
    format: impl Fn(usize, &mut P) + Sync,
    mut write: impl FnMut(&P) -> std::io::Result<()>,
) -> std::io::Result<()> {
    type Formatted<P> = (usize, std::thread::Result<P>);
    let in_flight = parts_in_flight().min(chunks);
    let (done, formatted) = std::sync::mpsc::channel::<Formatted<P>>();
    let format = &format;
    // first in, first out: a thread of the pool waiting to write (below) formats the chunk
    // handed out first, the one written soonest, not the last
    rayon::in_place_scope_fifo(|scope| {
        let mut spare: Vec<P> = std::iter::repeat_with(P::default).take(in_flight).collect();
        // parts ready before those before them in the file
        let mut formatted_early = std::collections::BTreeMap::new();
        let mut next = 0;
        for to_write in 0..chunks {
            while next < chunks
                && let Some(mut part) = spare.pop()
            {
                let (done, number) = (done.clone(), next);
                scope.spawn_fifo(move |_| {
                    let unwind = std::panic::AssertUnwindSafe(|| format(number, &mut part));
                    let _ = done.send((number, std::panic::catch_unwind(unwind).map(|()| part)));
                });
                next += 1;
            }
            let part = loop {
                if let Some(part) = formatted_early.remove(&to_write) {
                    break part;
                }
                if let Ok((number, part)) = formatted.try_recv() {
                    formatted_early.insert(number, part);
                    continue;
                }
                // on one of the pool's threads (a run writes its files side by side), work
                // waiting in the pool is run (these chunks, or another task of the run)
                // rather than the thread blocked: blocked, it would leave the formatting to
                // the other cores, or to none
                let received = match rayon::yield_now() {
                    Some(rayon::Yield::Executed) => continue,
                    Some(rayon::Yield::Idle) => {
                        formatted.recv_timeout(std::time::Duration::from_millis(1)).ok()
                    }
                    // every chunk handed out comes back once (its panic caught); a sender is
                    // kept here, so `recv` waits for it and never fails
                    None => Some(formatted.recv().expect("a sender is kept here")),
                };
                if let Some((number, part)) = received {
                    formatted_early.insert(number, part);
                }
            };
            let part = part.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            write(&part)?;
            spare.push(part);
        }
        Ok(())
    })
}

/// How many parts [`format_in_parallel`] has out at once: four to a thread of the pool,
/// enough that a slow chunk holds no core up (eight on two cores, where two windows held
/// sixteen), and never more than sixteen.
fn parts_in_flight() -> usize {
    (4 * rayon::current_num_threads()).min(16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What `run` gives, on a thread of its own, within a minute: a wait that never ends
    /// fails the test rather than hanging it.
    fn within_a_minute<T: Send + 'static>(run: impl FnOnce() -> T + Send + 'static) -> T {
        let (sent, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || sent.send(run()));
        received.recv_timeout(std::time::Duration::from_secs(60)).expect("not stuck")
    }

    /// `run` in a pool of `threads` threads, as the writer on one of them.
    fn in_pool<T: Send>(threads: usize, run: impl FnOnce() -> T + Send) -> T {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(run)
    }

    /// Chunks formatted unevenly (some slow) reach `write` in order, each with what its own
    /// chunk put in its part (parts are reused: `format` clears them), from a thread outside
    /// the pool and from one of the pool's own threads (as a run writes its files), with one
    /// thread in the pool or two; without blocking it: a pool thread waiting for its chunks
    /// runs them.
    #[test]
    fn parts_reach_write_in_order_from_inside_the_pool_or_outside() {
        const CHUNKS: usize = 200;
        let written_in_order = || {
            let mut written = Vec::new();
            let format = |chunk: usize, part: &mut Vec<usize>| {
                part.clear();
                if chunk % 7 == 3 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                part.extend([chunk, chunk * 2]);
            };
            format_in_parallel(CHUNKS, format, |part: &Vec<usize>| {
                written.push(part.clone());
                Ok(())
            })
            .expect("written");
            written
        };
        let expected: Vec<Vec<usize>> = (0..CHUNKS).map(|n| vec![n, n * 2]).collect();
        assert_eq!(within_a_minute(written_in_order), expected, "outside the pool");
        for threads in [1, 2] {
            let written = within_a_minute(move || in_pool(threads, written_in_order));
            assert_eq!(written, expected, "in a pool of {threads}");
        }
        assert!(format_in_parallel(0, |_, _: &mut Vec<u8>| {}, |_| Ok(())).is_ok(), "no chunks");
    }

    /// A write that fails ends the writing and the handing out of chunks: its error is
    /// returned, no part is written after it, and only the chunks handed out before it are
    /// formatted (the parts in flight, and one more for each part written).
    #[test]
    fn a_failed_write_stops_the_formatting() {
        let formatted = std::sync::atomic::AtomicUsize::new(0);
        let mut writes = 0;
        let failed = format_in_parallel(
            1000,
            |_, _: &mut Vec<u8>| {
                formatted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            },
            |_| {
                writes += 1;
                if writes == 5 { Err(std::io::Error::other("disk full")) } else { Ok(()) }
            },
        );
        assert_eq!(failed.expect_err("failed").to_string(), "disk full");
        assert_eq!(writes, 5, "nothing written after the failure");
        let in_flight = parts_in_flight();
        let formatted = formatted.into_inner();
        assert!(formatted <= in_flight + 4, "{formatted} formatted, {in_flight} in flight");
    }

    /// A panic while formatting is raised where the parts are written, with its message,
    /// from outside the pool and from its only thread (which formats the chunk itself).
    #[test]
    fn a_panic_while_formatting_is_raised() {
        let raised = || {
            let panicked = std::panic::catch_unwind(|| {
                format_in_parallel(
                    50,
                    |chunk, _: &mut Vec<u8>| assert!(chunk != 20, "chunk 20 cannot be formatted"),
                    |_| Ok(()),
                )
            });
            let payload = panicked.expect_err("panicked");
            (payload.downcast_ref::<&str>().map(|message| (*message).to_owned()))
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default()
        };
        for message in [within_a_minute(raised), within_a_minute(move || in_pool(1, raised))] {
            assert!(message.contains("chunk 20 cannot be formatted"), "{message:?}");
        }
    }

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
