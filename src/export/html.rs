//! HTML: one `<table>` with `<caption>`, `<thead>`, `<tbody>` and the notes in a
//! `<tfoot>`; all text escaped. A fragment, for pasting or for the report.

use super::Exporter;
use crate::table::Table;

/// The HTML renderer.
pub struct Html;

/// Escape text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An escaped cell: leading spaces (indented child codes) as em spaces, line breaks as
/// `<br>`.
fn cell(text: &str) -> String {
    let body = text.trim_start_matches(' ');
    let indent = "&emsp;".repeat((text.len() - body.len()) / 2);
    let lines: Vec<String> = body.lines().map(escape).collect();
    indent + &lines.join("<br>")
}

impl Exporter for Html {
    fn render(&self, table: &Table) -> String {
        let mut out = String::from("<table>\n");
        if !table.title.is_empty() {
            out.push_str(&format!("<caption>{}</caption>\n", escape(&table.title)));
        }
        out.push_str("<thead><tr>");
        for column in &table.columns {
            out.push_str(&format!("<th>{}</th>", escape(&column.name)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &table.rows {
            out.push_str("<tr>");
            for (value, column) in row.iter().zip(&table.columns) {
                let align = if column.is_numeric() { " class=\"num\"" } else { "" };
                out.push_str(&format!("<td{align}>{}</td>", cell(&value.display(column.kind))));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n");
        if !table.notes.is_empty() {
            out.push_str(&format!("<tfoot><tr><td colspan=\"{}\">", table.columns.len()));
            let notes: Vec<String> =
                table.notes.iter().map(|n| format!("<em>Note.</em> {}", escape(n))).collect();
            out.push_str(&notes.join("<br>"));
            out.push_str("</td></tr></tfoot>\n");
        }
        out.push_str("</table>\n");
        out
    }
}
