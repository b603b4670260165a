//! A study as a REFI-QDA project: `project.qde` (valid against `Project.xsd`) and
//! `sources/<guid>.txt`, zipped.
//!
//! - Users: one per manual coder, and `qualkit auto-coding` for the codebook's rules.
//! - CodeBook: the codes nested by parent, descriptions with include/exclude criteria,
//!   colours (as `.qdc` export).
//! - Variables and Cases: one case per participant, a text variable per participants.csv
//!   column; each case lists the sources its participant speaks in.
//! - Sources: every document (transcripts, questionnaire answers) as a `TextSource` whose
//!   plain text is the document's decoded text, written as UTF-8 without BOM; each coding is
//!   a `PlainTextSelection` with code-point offsets into that text (auto-codings cover their
//!   segment; manual codings their own range), grouped so one selection carries every code
//!   its coder applied to the same range.
//!
//! Nothing varies between runs: GUIDs derive from names ([`super::guid`]), no dates are
//! written, the zip entries carry a fixed timestamp. Empty collections are left out (the
//! schema rejects an empty `<Sets/>`, which some exporters write).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use crate::analysis::agree::Annotation;
use crate::codebook::Codebook;
use crate::coding::Codings;
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::export::html::escape;
use crate::segment::Segment;

use super::{Counts, guid};

/// The auto-coder's user name.
pub const AUTO_CODER: &str = "qualkit auto-coding";

/// What goes into a project.
pub struct Project<'a> {
    /// Project name (the study's).
    pub name: &'a str,
    /// The corpus.
    pub corpus: &'a Corpus,
    /// Segments the auto-codings point into.
    pub segments: &'a [Segment],
    /// The codebook.
    pub codebook: &'a Codebook,
    /// Auto-codings.
    pub auto: &'a Codings,
    /// Manual codings.
    pub manual: &'a [Annotation],
}

/// One selection: a user's codes on one range of one document.
type Selections = BTreeMap<(usize, usize, usize, String), Vec<String>>;

impl Project<'_> {
    /// The `project.qde` XML and the counts.
    pub fn xml(&self) -> (String, Counts) {
        let key = |parts: &[&str]| format!("{}\0{}", self.name, parts.join("\0"));
        let mut coders: Vec<String> = self.manual.iter().map(|a| a.coder.clone()).collect();
        coders.sort();
        coders.dedup();
        if !self.auto.is_empty() {
            coders.push(AUTO_CODER.to_owned());
        }
        let user = |name: &str| guid("user", &key(&[name]));
        let mut counts = Counts { users: coders.len(), ..Default::default() };
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            out,
            "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"qualkit {}\">",
            escape(self.name),
            env!("CARGO_PKG_VERSION")
        );
        if !coders.is_empty() {
            out.push_str("  <Users>\n");
            for coder in &coders {
                let _ = writeln!(
                    out,
                    "    <User guid=\"{}\" name=\"{}\"/>",
                    user(coder),
                    escape(coder)
                );
            }
            out.push_str("  </Users>\n");
        }
        if !self.codebook.codes.is_empty() {
            out.push_str("  <CodeBook>\n");
            crate::codebook::export::write_codes(&mut out, self.codebook, 2);
            out.push_str("  </CodeBook>\n");
            counts.codes = self.codebook.codes.len();
        }
        let participants = &self.corpus.participants;
        let variable = |name: &str| guid("variable", &key(&[name]));
        if !participants.attributes.is_empty() {
            out.push_str("  <Variables>\n");
            for name in &participants.attributes {
                let _ = writeln!(
                    out,
                    "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"Text\"/>",
                    variable(name),
                    escape(name)
                );
            }
            out.push_str("  </Variables>\n");
        }
        let source = |id: &str| guid("source", &key(&[id]));
        if !participants.by_id.is_empty() {
            out.push_str("  <Cases>\n");
            for (id, participant) in &participants.by_id {
                let _ = writeln!(
                    out,
                    "    <Case guid=\"{}\" name=\"{}\">",
                    guid("case", &key(&[id])),
                    escape(id)
                );
                for name in &participants.attributes {
                    let Some(value) = participant.attributes.get(name).filter(|v| !v.is_empty())
                    else {
                        continue;
                    };
                    let _ = writeln!(
                        out,
                        "      <VariableValue><VariableRef targetGUID=\"{}\"/><TextValue>{}</TextValue></VariableValue>",
                        variable(name),
                        escape(value)
                    );
                }
                for document in self.corpus.documents.iter().filter(|d| d.participants.contains(id))
                {
                    let _ =
                        writeln!(out, "      <SourceRef targetGUID=\"{}\"/>", source(&document.id));
                }
                out.push_str("    </Case>\n");
            }
            out.push_str("  </Cases>\n");
            counts.cases = participants.by_id.len();
        }
        let selections = self.selections();
        if !self.corpus.documents.is_empty() {
            out.push_str("  <Sources>\n");
            for (d, document) in self.corpus.documents.iter().enumerate() {
                let id = source(&document.id);
                let _ = write!(
                    out,
                    "    <TextSource guid=\"{id}\" name=\"{}\" plainTextPath=\"internal://{id}.txt\"",
                    escape(&document.id)
                );
                let mine: Vec<_> = selections
                    .range((d, 0, 0, String::new())..(d + 1, 0, 0, String::new()))
                    .collect();
                if mine.is_empty() {
                    out.push_str("/>\n");
                    continue;
                }
                out.push_str(">\n");
                for ((_, start, end, coder), codes) in mine {
                    let selection = guid(
                        "selection",
                        &key(&[&document.id, &start.to_string(), &end.to_string(), coder]),
                    );
                    let _ = writeln!(
                        out,
                        "      <PlainTextSelection guid=\"{selection}\" startPosition=\"{start}\" endPosition=\"{end}\" creatingUser=\"{}\">",
                        user(coder)
                    );
                    for code in codes {
                        let _ = writeln!(
                            out,
                            "        <Coding guid=\"{}\" creatingUser=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>",
                            guid("coding", &format!("{selection}\0{code}")),
                            user(coder),
                            crate::codebook::export::code_guid(&self.codebook.name, code)
                        );
                        counts.codings += 1;
                    }
                    out.push_str("      </PlainTextSelection>\n");
                    counts.selections += 1;
                }
                out.push_str("    </TextSource>\n");
            }
            out.push_str("  </Sources>\n");
            counts.sources = self.corpus.documents.len();
        }
        out.push_str("</Project>\n");
        (out, counts)
    }

    /// Every coding as (document, start, end, coder) → codes, in document and text order.
    /// Auto-codings inherited from a child (`child:<id>`) are left out: REFI tools show a
    /// parent's codings by aggregating its children themselves.
    fn selections(&self) -> Selections {
        let mut selections: Selections = BTreeMap::new();
        for coding in self.auto {
            if coding.rules().iter().all(|r| r.starts_with("child:")) {
                continue;
            }
            let segment = &self.segments[coding.segment];
            let key = (
                segment.document_index(),
                segment.chars().start,
                segment.chars().end,
                AUTO_CODER.to_owned(),
            );
            selections.entry(key).or_default().push(coding.code().to_string());
        }
        for annotation in self.manual {
            let key = (
                annotation.document,
                annotation.chars.start,
                annotation.chars.end,
                annotation.coder.clone(),
            );
            selections.entry(key).or_default().push(annotation.code.clone());
        }
        for codes in selections.values_mut() {
            codes.sort_by_key(|c| self.codebook.position(c));
            codes.dedup();
        }
        selections
    }

    /// The `.qdpx` archive: `project.qde` and one UTF-8 text file per source.
    ///
    /// # Errors
    /// Not expected: the archive is built in memory.
    pub fn qdpx(&self) -> Result<(Vec<u8>, Counts)> {
        use zip::write::SimpleFileOptions;
        let (xml, counts) = self.xml();
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let failed = |e: &dyn std::fmt::Display| {
            Error::Usage(format!("building the .qdpx archive failed: {e}"))
        };
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("project.qde", options).map_err(|e| failed(&e))?;
        zip.write_all(xml.as_bytes()).map_err(|e| failed(&e))?;
        for document in &self.corpus.documents {
            let id = guid("source", &format!("{}\0{}", self.name, document.id));
            zip.start_file(format!("sources/{id}.txt"), options).map_err(|e| failed(&e))?;
            zip.write_all(document.text().as_bytes()).map_err(|e| failed(&e))?;
        }
        let bytes = zip.finish().map_err(|e| failed(&e))?.into_inner();
        Ok((bytes, counts))
    }
}
