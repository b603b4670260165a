//! Word processor files → transcript text: `.docx` (Office Open XML) and `.odt`
//! (OpenDocument).
//!
//! Each paragraph becomes one line, so a segment's line number is its paragraph number. A
//! table row of two or more cells whose first cell is a short speaker label (as some
//! transcription services produce: `Speaker | text`) becomes the line `Speaker: text`;
//! other rows join their cells with spaces. Tracked changes are accepted (insertions kept,
//! deletions dropped) and comments ignored. The archive is read with limits: entries larger
//! than [`MAX_ENTRY_BYTES`] are refused, and XML with a DOCTYPE is refused (no entity
//! expansion).

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

use crate::error::{Error, Result};

/// Largest uncompressed XML part read from a word-processor file.
pub const MAX_ENTRY_BYTES: u64 = 200 * 1024 * 1024;

/// The text of a `.docx` or `.odt` file, one paragraph per line.
///
/// # Errors
/// Not a zip, no document part, oversized parts, malformed XML, a DOCTYPE.
pub fn extract(path: &Path, bytes: &[u8]) -> Result<String> {
    let odt = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("odt"));
    let part = if odt { "content.xml" } else { "word/document.xml" };
    let error = |message: String| Error::input(path, None, message);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        error(format!("not a valid {} file (zip: {e})", if odt { ".odt" } else { ".docx" }))
    })?;
    let mut entry = archive
        .by_name(part)
        .map_err(|_| error(format!("no {part} inside; expected a word-processor document")))?;
    if entry.size() > MAX_ENTRY_BYTES {
        return Err(error(format!(
            "{part} is {} bytes uncompressed; the limit is {MAX_ENTRY_BYTES}",
            entry.size()
        )));
    }
    let mut xml = String::new();
    entry
        .by_ref()
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| error(format!("cannot read {part}: {e}")))?;
    let names = if odt { &ODT } else { &DOCX };
    paragraphs(&xml, names).map_err(error)
}

/// Element names of one format.
struct Names {
    paragraph: &'static [&'static str],
    text: &'static str,
    tab: &'static str,
    breaks: &'static [&'static str],
    row: &'static str,
    cell: &'static str,
    /// Subtrees whose text is not part of the document (deletions, comments, fallbacks).
    skipped: &'static [&'static str],
    /// `text:s` in ODT: a run of spaces (`text:c` gives the count).
    spaces: Option<&'static str>,
}

const DOCX: Names = Names {
    paragraph: &["p"],
    text: "t",
    tab: "tab",
    breaks: &["br", "cr"],
    row: "tr",
    cell: "tc",
    skipped: &["del", "delText", "Fallback", "instrText", "footnoteReference"],
    spaces: None,
};

const ODT: Names = Names {
    paragraph: &["p", "h"],
    text: "",
    tab: "tab",
    breaks: &["line-break"],
    row: "table-row",
    cell: "table-cell",
    skipped: &["tracked-changes", "annotation", "note"],
    spaces: Some("s"),
};

#[derive(Default)]
struct Collector {
    lines: Vec<String>,
    paragraph: String,
    cells: Vec<String>,
    cell: Option<String>,
    skipping: usize,
    in_text: bool,
}

impl Collector {
    fn push_text(&mut self, text: &str) {
        if self.skipping == 0 {
            self.paragraph.push_str(text);
        }
    }

    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.paragraph);
        match &mut self.cell {
            Some(cell) => {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text.trim());
            }
            None => self.lines.push(text),
        }
    }

    fn end_row(&mut self) {
        let cells: Vec<String> =
            std::mem::take(&mut self.cells).into_iter().map(|c| c.trim().to_owned()).collect();
        let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
        let line = match filled.as_slice() {
            [label, rest @ ..] if !rest.is_empty() && is_label(label) => {
                let texts: Vec<&str> = rest.iter().map(|s| s.as_str()).collect();
                format!("{}: {}", label.trim_end_matches(':'), texts.join(" "))
            }
            _ => filled.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
        };
        self.lines.push(line);
    }
}

/// A table cell that reads as a speaker label: short, one to three words.
fn is_label(cell: &str) -> bool {
    let label = cell.trim_end_matches(':');
    !label.is_empty() && label.chars().count() <= 32 && label.split_whitespace().count() <= 3
}

fn paragraphs(xml: &str, names: &Names) -> std::result::Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Collector::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::DocType(_) => return Err("a DOCTYPE is not allowed (entity expansion)".into()),
            Event::Start(element) => {
                let name = element.local_name().as_ref().to_owned();
                if names.skipped.contains(&name.as_str()) {
                    out.skipping += 1;
                } else if out.skipping > 0 {
                    // inside a deletion, comment or fallback: nothing counts
                } else if name == names.cell {
                    out.cell = Some(String::new());
                } else if name == names.text || names.text.is_empty() {
                    out.in_text = true;
                }
            }
            Event::Empty(element) => {
                let name = element.local_name().as_ref().to_owned();
                if out.skipping > 0 {
                    // inside a skipped subtree
                } else if name == names.tab {
                    out.push_text("\t");
                } else if names.breaks.contains(&name.as_str()) {
                    out.push_text("\n");
                } else if Some(name.as_str()) == names.spaces {
                    let count = element
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "c")
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::default())
                                .ok()?
                                .parse::<usize>()
                                .ok()
                        })
                        .unwrap_or(1);
                    out.push_text(&" ".repeat(count.min(1000)));
                } else if names.paragraph.contains(&name.as_str()) {
                    out.end_paragraph();
                }
            }
            Event::Text(text) if out.in_text => out.push_text(&text.xml10_content()),
            Event::GeneralRef(reference) if out.in_text => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&reference.xml10_content())
                        .unwrap_or_default()
                        .to_owned(),
                };
                out.push_text(&resolved);
            }
            Event::End(element) => {
                let name = element.local_name().as_ref().to_owned();
                if names.skipped.contains(&name.as_str()) {
                    out.skipping = out.skipping.saturating_sub(1);
                } else if out.skipping > 0 {
                    // inside a skipped subtree
                } else if names.paragraph.contains(&name.as_str()) {
                    out.end_paragraph();
                } else if name == names.cell {
                    let cell = out.cell.take().unwrap_or_default();
                    out.cells.push(cell);
                } else if name == names.row {
                    out.end_row();
                } else if name == names.text {
                    out.in_text = false;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut text = out.lines.join("\n");
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).expect("zip");
        let xml = format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>"
        );
        zip.write_all(xml.as_bytes()).expect("zip");
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn paragraphs_tracked_changes_and_speaker_tables() {
        let body = "<w:p><w:r><w:t>Interview one</w:t></w:r></w:p>\
            <w:p><w:r><w:t xml:space=\"preserve\">I: So, </w:t></w:r><w:ins><w:r><w:t>how</w:t></w:r></w:ins><w:del><w:r><w:delText>what</w:delText></w:r></w:del><w:r><w:t> &amp; why?</w:t></w:r></w:p>\
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>S01</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Targets, mostly.</w:t></w:r></w:p><w:p><w:r><w:t>And grades.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        let text = extract(Path::new("a.docx"), &docx(body)).expect("extracts");
        assert_eq!(text, "Interview one\nI: So, how & why?\nS01: Targets, mostly. And grades.\n");
    }

    #[test]
    fn not_a_docx_is_an_error() {
        let message = extract(Path::new("a.docx"), b"plain text").expect_err("not zip").to_string();
        assert!(message.contains("not a valid .docx file"), "{message}");
    }
}
