//! Aligned plain text for the terminal: title, header, rule, rows, notes. Numbers are
//! right-aligned; widths are measured in chars.

use super::Exporter;
use crate::table::Table;

/// The terminal renderer.
pub struct Text;

impl Exporter for Text {
    fn render(&self, table: &Table) -> String {
        let cells: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().zip(&table.columns).map(|(v, c)| v.display(c.kind)).collect())
            .collect();
        let widths: Vec<usize> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                cells
                    .iter()
                    .map(|row| row[i].chars().count())
                    .chain([column.name.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |values: Vec<&str>| -> String {
            let padded: Vec<String> = values
                .iter()
                .zip(&table.columns)
                .zip(&widths)
                .map(|((value, column), &width)| {
                    if column.is_numeric() {
                        format!("{value:>width$}")
                    } else {
                        format!("{value:<width$}")
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let mut out = String::new();
        if !table.title.is_empty() {
            out.push_str(&table.title);
            out.push('\n');
        }
        out.push_str(&line(table.columns.iter().map(|c| c.name.as_str()).collect()));
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for row in &cells {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
            out.push('\n');
        }
        for note in &table.notes {
            out.push_str("Note: ");
            out.push_str(note);
            out.push('\n');
        }
        out
    }
}
