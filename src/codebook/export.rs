//! Codebooks out: REFI-QDA `.qdc` (valid against the official `Codebook.xsd`), and a
//! codebook [`Table`] that every table format renders (CSV in the layout the CSV importer
//! reads back, Markdown, LaTeX, HTML).

use std::fmt::Write as _;

use crate::export::html::escape;
use crate::table::{Column, Table};

use super::{Code, Codebook};

/// A stable GUID for a code: the same codebook name and code id always give the same GUID,
/// so re-exports do not look like new codes to other tools.
pub fn code_guid(codebook: &str, id: &str) -> String {
    crate::refi::guid("code", &format!("{codebook}\0{id}"))
}

/// The codebook as REFI-QDA 1.0 XML (`urn:QDA-XML:codebook:1.0`). Descriptions carry the
/// definition with include and exclude criteria; rules have no place in the standard.
pub fn to_qdc(codebook: &Codebook) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"qualkit {}\">",
        env!("CARGO_PKG_VERSION")
    );
    write_codes(&mut out, codebook, 1);
    out.push_str("</CodeBook>\n");
    out
}

/// `<Codes>` with every code nested under its parent, indented from `depth` (the same in
/// codebooks and projects).
pub(crate) fn write_codes(out: &mut String, codebook: &Codebook, depth: usize) {
    let _ = writeln!(out, "{}<Codes>", "  ".repeat(depth));
    for code in codebook.codes.iter().filter(|c| c.parent.is_none()) {
        write_code(out, codebook, code, depth + 1);
    }
    let _ = writeln!(out, "{}</Codes>", "  ".repeat(depth));
}

fn write_code(out: &mut String, codebook: &Codebook, code: &Code, depth: usize) {
    let indent = "  ".repeat(depth);
    let color =
        code.color.as_ref().map(|c| format!(" color=\"{}\"", escape(c))).unwrap_or_default();
    let _ = write!(
        out,
        "{indent}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\"{color}>",
        code_guid(&codebook.name, &code.id),
        escape(&code.name)
    );
    let description = qdc_description(code);
    if !description.is_empty() {
        let _ = write!(out, "\n{indent}  <Description>{}</Description>", escape(&description));
    }
    out.push('\n');
    for child in codebook.children(&code.id) {
        write_code(out, codebook, child, depth + 1);
    }
    let _ = writeln!(out, "{indent}</Code>");
}

fn qdc_description(code: &Code) -> String {
    let mut parts = Vec::new();
    if !code.description.is_empty() {
        parts.push(code.description.clone());
    }
    if !code.include.is_empty() {
        parts.push(format!("Include: {}", code.include));
    }
    if !code.exclude.is_empty() {
        parts.push(format!("Exclude: {}", code.exclude));
    }
    parts.join("\n")
}

/// The codebook as a table: one row per code in tree order, columns as the CSV importer
/// reads them (rules joined by `;`, examples by ` | `).
pub fn to_table(codebook: &Codebook) -> Table {
    let names = [
        "code",
        "parent",
        "name",
        "description",
        "include",
        "exclude",
        "rules",
        "examples",
        "counterexamples",
        "color",
    ];
    let mut table = Table::new(
        format!("{} (version {})", codebook.name, codebook.version),
        names.iter().map(|n| Column::text(n)).collect(),
    );
    for code in &codebook.codes {
        let rules: Vec<&str> = code.rules.iter().map(|r| r.text.as_str()).collect();
        table.push(vec![
            code.id.clone().into(),
            code.parent.clone().unwrap_or_default().into(),
            code.name.clone().into(),
            code.description.clone().into(),
            code.include.clone().into(),
            code.exclude.clone().into(),
            rules.join("; ").into(),
            code.examples.join(" | ").into(),
            code.counterexamples.join(" | ").into(),
            code.color.clone().unwrap_or_default().into(),
        ]);
    }
    if !codebook.description.is_empty() {
        table.notes.push(codebook.description.clone());
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_well_formed() {
        let guid = code_guid("Core", "targets");
        assert_eq!(guid, code_guid("Core", "targets"));
        assert_ne!(guid, code_guid("Core", "trust"));
        assert_eq!(guid.len(), 36);
        assert_eq!(&guid[14..15], "5");
    }
}
