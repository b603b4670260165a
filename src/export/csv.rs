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
