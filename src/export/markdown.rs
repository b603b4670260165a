//! Markdown (GitHub/pandoc pipe tables): title as a bold line, numbers right-aligned,
//! notes as an italic "Note." paragraph. `|`, `<` and `>` are escaped (no raw HTML from
//! corpus text) and line breaks become `<br>`.

use super::Exporter;
use crate::table::Table;

/// The Markdown renderer.
pub struct Markdown;

fn cell(text: &str) -> String {
    // leading spaces (indented child codes) would be trimmed: keep them as em spaces
    let body = text.trim_start_matches(' ');
    let indent = "&emsp;".repeat((text.len() - body.len()) / 2);
    indent
        + &body
            .replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace("\r\n", "\n")
            .replace('\n', "<br>")
}

impl Exporter for Markdown {
    fn render(&self, table: &Table) -> String {
        let mut out = String::new();
        if !table.title.is_empty() {
            out.push_str(&format!("**{}**\n\n", cell(&table.title)));
        }
        let header: Vec<String> = table.columns.iter().map(|c| cell(&c.name)).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        let rule: Vec<&str> =
            table.columns.iter().map(|c| if c.is_numeric() { "---:" } else { "---" }).collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for row in &table.rows {
            let cells: Vec<String> =
                row.iter().zip(&table.columns).map(|(v, c)| cell(&v.display(c.kind))).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        for note in &table.notes {
            out.push_str(&format!("\n*Note.* {}\n", cell(note)));
        }
        out
    }
}
