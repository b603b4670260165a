//! LaTeX with booktabs: a floating `table` with caption, `tabular` with `l`/`r` columns,
//! `\toprule`/`\midrule`/`\bottomrule`, notes in a footnote-size paragraph under the table.
//! Every LaTeX special character in text is escaped, so corpus text cannot run commands.

use super::Exporter;
use crate::table::Table;

/// The LaTeX renderer.
pub struct Latex;

/// Escape the ten LaTeX special characters and `|`, `<`, `>` (which OT1 fonts print
/// wrongly); line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '|' => out.push_str("\\textbar{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

impl Exporter for Latex {
    fn render(&self, table: &Table) -> String {
        let spec: String =
            table.columns.iter().map(|c| if c.is_numeric() { 'r' } else { 'l' }).collect();
        let mut out = String::from("\\begin{table}[htbp]\n\\centering\n");
        if !table.title.is_empty() {
            out.push_str(&format!("\\caption{{{}}}\n", escape(&table.title)));
        }
        out.push_str(&format!("\\begin{{tabular}}{{{spec}}}\n\\toprule\n"));
        let header: Vec<String> = table.columns.iter().map(|c| escape(&c.name)).collect();
        out.push_str(&format!("{} \\\\\n\\midrule\n", header.join(" & ")));
        for row in &table.rows {
            let cells: Vec<String> =
                row.iter().zip(&table.columns).map(|(v, c)| escape(&v.display(c.kind))).collect();
            out.push_str(&format!("{} \\\\\n", cells.join(" & ")));
        }
        out.push_str("\\bottomrule\n\\end{tabular}\n");
        for note in &table.notes {
            out.push_str(&format!(
                "\\par\\smallskip{{\\footnotesize \\textit{{Note.}} {}}}\n",
                escape(note)
            ));
        }
        out.push_str("\\end{table}\n");
        out
    }
}
