//! Word (`.docx`): a real Word table with a repeating header row, the title above it and
//! the notes under it, in a minimal Office Open XML package (content types, package
//! relationships, `word/document.xml`). Entries carry a fixed timestamp, so the same table
//! always gives the same bytes. Text is XML-escaped; numbers are right-aligned.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::html::escape;
use crate::table::Table;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELATIONSHIPS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A paragraph of `text` (line breaks kept), optionally bold, at `size` half-points.
fn paragraph(text: &str, bold: bool, size: u32, right: bool) -> String {
    let properties =
        format!("<w:rPr>{}<w:sz w:val=\"{size}\"/></w:rPr>", if bold { "<w:b/>" } else { "" });
    let runs: Vec<String> = text
        .split('\n')
        .map(|line| {
            format!("<w:r>{properties}<w:t xml:space=\"preserve\">{}</w:t></w:r>", escape(line))
        })
        .collect();
    let alignment = if right { "<w:pPr><w:jc w:val=\"right\"/></w:pPr>" } else { "" };
    format!("<w:p>{alignment}{}</w:p>", runs.join("<w:r><w:br/></w:r>"))
}

fn cell(text: &str, width: u32, bold: bool, right: bool) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
        paragraph(text, bold, 18, right)
    )
}

/// Usable width of a landscape A4 page with 1000-twip margins, in twips.
const PAGE_WIDTH: u32 = 14_838;

/// Column widths in twips: the first (label) column four shares, other text columns two,
/// numeric columns one.
fn widths(table: &Table) -> Vec<u32> {
    let weights: Vec<u32> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                4
            } else if c.is_numeric() {
                1
            } else {
                2
            }
        })
        .collect();
    let total: u32 = weights.iter().sum::<u32>().max(1);
    weights.iter().map(|w| PAGE_WIDTH * w / total).collect()
}

/// The table as `word/document.xml`.
fn document(table: &Table) -> String {
    let mut body = String::new();
    if !table.title.is_empty() {
        body.push_str(&paragraph(&table.title, true, 22, false));
    }
    let widths = widths(table);
    body.push_str(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>\
         <w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"BFBFBF\"/>\
         </w:tblBorders></w:tblPr>",
    );
    body.push_str("<w:tblGrid>");
    for width in &widths {
        body.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    body.push_str("</w:tblGrid>");
    body.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (column, width) in table.columns.iter().zip(&widths) {
        body.push_str(&cell(&column.name, *width, true, column.is_numeric()));
    }
    body.push_str("</w:tr>");
    for row in &table.rows {
        body.push_str("<w:tr>");
        for ((value, column), width) in row.iter().zip(&table.columns).zip(&widths) {
            body.push_str(&cell(&value.display(column.kind), *width, false, column.is_numeric()));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    for note in &table.notes {
        body.push_str(&paragraph(&format!("Note. {note}"), false, 16, false));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/><w:pgMar w:top=\"1000\" w:right=\"1000\" w:bottom=\"1000\" w:left=\"1000\" w:header=\"500\" w:footer=\"500\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

/// The table as the bytes of a `.docx` file (landscape A4, for wide tables).
pub fn render(table: &Table) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let fixed = zip::DateTime::from_date_and_time(2000, 1, 1, 0, 0, 0).expect("a valid fixed date");
    let options = SimpleFileOptions::default().last_modified_time(fixed);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELATIONSHIPS.to_owned()),
        ("word/document.xml", document(table)),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).expect("writing a zip to memory cannot fail");
        zip.write_all(text.as_bytes()).expect("writing a zip to memory cannot fail");
    }
    zip.finish().expect("writing a zip to memory cannot fail").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, Value};

    #[test]
    fn docx_is_a_zip_with_a_real_table_and_is_deterministic() {
        let mut table = Table::new("T & <t>", vec![Column::text("code"), Column::count("n (%)")]);
        table.push(vec!["a <b>".into(), Value::Count { n: 1, of: 4 }]);
        table.notes.push("A note.".into());
        let bytes = render(&table);
        assert_eq!(bytes, render(&table));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("word/document.xml").expect("document"),
            &mut xml,
        )
        .expect("read");
        assert!(xml.contains("<w:tblHeader/>"));
        assert!(xml.contains("a &lt;b&gt;"));
        assert!(xml.contains("1 (25.0%)"));
        assert!(xml.contains("Note. A note."));
    }
}
