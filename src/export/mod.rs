//! Render a [`Table`] in one format: one file per format behind one trait.

mod csv;
pub mod docx;
pub mod html;
mod json;
pub mod latex;
mod markdown;
mod text;

pub use csv::{
    format_in_parallel, header_row, is_plain_cell, neutralise, neutralised, push_field,
    write_rows_in_parallel,
};

use crate::table::Table;

/// A table renderer.
pub trait Exporter {
    /// The whole rendered table.
    fn render(&self, table: &Table) -> String;
}

/// The formats tables can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned plain text for the terminal.
    Text,
    /// Comma-separated values (RFC 4180), formula-like cells neutralised.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON: title, columns, rows as objects, notes.
    Json,
    /// Markdown pipe table.
    Markdown,
    /// LaTeX booktabs table.
    Latex,
    /// HTML table fragment.
    Html,
}

impl Format {
    /// The renderer for this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Text => Box::new(text::Text),
            Format::Csv => Box::new(csv::Delimited { delimiter: b',' }),
            Format::Tsv => Box::new(csv::Delimited { delimiter: b'\t' }),
            Format::Json => Box::new(json::Json),
            Format::Markdown => Box::new(markdown::Markdown),
            Format::Latex => Box::new(latex::Latex),
            Format::Html => Box::new(html::Html),
        }
    }
}

/// Render `table` in `format`.
pub fn render(table: &Table, format: Format) -> String {
    format.exporter().render(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, Value};

    fn sample() -> Table {
        let mut table =
            Table::new("Hits by ability", vec![Column::text("level"), Column::integer("hits")]);
        table.push(vec!["low".into(), 12usize.into()]);
        table.push(vec!["=cmd()".into(), Value::Missing]);
        table.push(vec!["a|b & c_% <i>\\input{x}".into(), 3usize.into()]);
        table.notes.push("Counted per segment.".into());
        table
    }

    #[test]
    fn every_format_renders_the_same_table() {
        let table = sample();
        insta::assert_snapshot!("text", render(&table, Format::Text));
        insta::assert_snapshot!("csv", render(&table, Format::Csv));
        insta::assert_snapshot!("tsv", render(&table, Format::Tsv));
        insta::assert_snapshot!("json", render(&table, Format::Json));
        insta::assert_snapshot!("markdown", render(&table, Format::Markdown));
        insta::assert_snapshot!("latex", render(&table, Format::Latex));
        insta::assert_snapshot!("html", render(&table, Format::Html));
    }

    #[test]
    fn readers_formats_group_thousands_and_programs_formats_do_not() {
        let mut table = Table::new(
            "Segments",
            vec![Column::text("code"), Column::integer("segments"), Column::count("n (%)")],
        );
        table.push(vec!["trust".into(), 34603usize.into(), Value::Count { n: 1070, of: 2140 }]);
        for format in [Format::Text, Format::Markdown, Format::Latex, Format::Html] {
            let shown = render(&table, format);
            assert!(shown.contains("34,603") && shown.contains("1,070 (50.0"), "{shown}");
        }
        for format in [Format::Csv, Format::Tsv] {
            let written = render(&table, format);
            assert!(written.contains("34603") && written.contains("1070 (50.0%)"), "{written}");
        }
        let json = render(&table, Format::Json);
        assert!(json.contains("34603") && !json.contains("34,603"), "{json}");
    }
}
