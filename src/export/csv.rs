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
                    other => other.display(column.kind),
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

/// Append a field to a row being written by hand, byte for byte as `csv::Writer` (default
/// settings) writes it: quoted only when it holds a comma, a quote or a line break, quotes
/// doubled, and a comma before every field but the first. For codings.csv, whose millions
/// of rows repeat each segment's fields: they are encoded once per segment and copied.
pub fn push_field(row: &mut Vec<u8>, field: &[u8], first: bool) {
    if !first {
        row.push(b',');
    }
    // memchr's vectorised scans: codings.csv runs every row's fields through here
    let plain = memchr::memchr3(b',', b'"', b'\n', field).is_none()
        && memchr::memchr(b'\r', field).is_none();
    if plain {
        row.extend_from_slice(field);
        return;
    }
    row.push(b'"');
    for part in field.split_inclusive(|&b| b == b'"') {
        row.extend_from_slice(part);
        if part.ends_with(b"\"") {
            row.push(b'"');
        }
    }
    row.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Rows written field by field with `push_field` are what `csv::Writer` writes.
        #[test]
        fn push_field_writes_what_the_csv_crate_writes(
            fields in proptest::collection::vec("[a-z ,\"\r\n'=é]{0,12}", 2..6),
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
    }
}
