//! LaTeX with booktabs: a floating `table` with caption, `tabular` with `l`/`r` columns
//! (`p{…}` for long text, which wraps),
//! `\toprule`/`\midrule`/`\bottomrule`, notes in a footnote-size paragraph under the table.
//! Every LaTeX special character in text is escaped, so corpus text cannot run commands.

use super::Exporter;
use crate::table::Table;

/// The LaTeX renderer.
pub struct Latex;

/// Escape the ten LaTeX special characters and `|`, `<`, `>` (which OT1 fonts print
/// wrongly), spell typographic and mathematical symbols as commands; line
/// breaks become spaces. Letters of other scripts (Greek words, CJK) pass through and need
/// XeLaTeX or LuaLaTeX.
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
            _ => match symbol(c) {
                Some(command) => out.push_str(command),
                None => out.push(c),
            },
        }
    }
    out
}

/// Typographic and mathematical characters outside what pdfLaTeX reads from UTF-8 by
/// default, as LaTeX commands, so tables compile in a plain `article` with booktabs.
fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2212}' => "$-$",
        '×' => "$\\times$",
        '÷' => "$\\div$",
        '±' => "$\\pm$",
        '≤' => "$\\leq$",
        '≥' => "$\\geq$",
        '≠' => "$\\neq$",
        '·' => "$\\cdot$",
        '→' => "$\\rightarrow$",
        '²' => "\\textsuperscript{2}",
        '³' => "\\textsuperscript{3}",
        '¹' => "\\textsuperscript{1}",
        '…' => "\\ldots{}",
        '“' => "``",
        '”' => "''",
        '‘' => "`",
        '’' => "'",
        '–' => "--",
        '—' => "---",
        '•' => "\\textbullet{}",
        '\u{a0}' => "~",
        'α' => "$\\alpha$",
        'β' => "$\\beta$",
        'κ' => "$\\kappa$",
        'μ' => "$\\mu$",
        'σ' => "$\\sigma$",
        'φ' => "$\\phi$",
        'χ' => "$\\chi$",
        _ => return None,
    })
}

/// Text columns with a cell longer than this many characters wrap in a `p{}` column.
const WRAP_AFTER: usize = 40;

/// Escape a cell; in wrapping columns each line break becomes `\newline`. Leading spaces
/// (child codes are indented by two per level) become `\hspace*{1em}` per level.
fn cell(text: &str, wraps: bool) -> String {
    let body = text.trim_start_matches(' ');
    let indent = "\\hspace*{1em}".repeat((text.len() - body.len()) / 2);
    if !wraps {
        return format!("{indent}{}", escape(body));
    }
    let lines: Vec<String> = body.lines().map(escape).collect();
    format!("{indent}{}", lines.join("\\newline "))
}

impl Exporter for Latex {
    fn render(&self, table: &Table) -> String {
        let wraps: Vec<bool> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                !c.is_numeric()
                    && table.rows.iter().any(|r| r[i].display(c.kind).chars().count() > WRAP_AFTER)
            })
            .collect();
        let wide = wraps.iter().filter(|&&w| w).count().max(1);
        let spec: String = table
            .columns
            .iter()
            .zip(&wraps)
            .map(|(c, &w)| match (c.is_numeric(), w) {
                (true, _) => "r".to_owned(),
                (false, true) => format!("p{{{:.2}\\linewidth}}", 0.3 / wide as f64),
                (false, false) => "l".to_owned(),
            })
            .collect();
        let mut out = String::from("\\begin{table}[htbp]\n\\centering\n\\small\n");
        if !table.title.is_empty() {
            out.push_str(&format!("\\caption{{{}}}\n", escape(&table.title)));
        }
        out.push_str(&format!("\\begin{{tabular}}{{{spec}}}\n\\toprule\n"));
        let header: Vec<String> = table.columns.iter().map(|c| escape(&c.name)).collect();
        out.push_str(&format!("{} \\\\\n\\midrule\n", header.join(" & ")));
        for row in &table.rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&table.columns)
                .zip(&wraps)
                .map(|((v, c), &w)| cell(&v.display(c.kind), w))
                .collect();
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
