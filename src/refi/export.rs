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

/// The selections of one document: a user's codes on one range, by (start, end, user).
type Selections = BTreeMap<(usize, usize, String), Vec<String>>;

impl Project<'_> {
    /// Write the `project.qde` XML into `out`, a document's selections at a time (a 1 GB
    /// study has millions: gathered for the whole project, with the XML and the archive
    /// held too, its export passed 5 GB), and give the counts.
    ///
    /// # Errors
    /// Writing to `out` fails.
    pub fn write_xml(&self, out: &mut impl std::io::Write) -> std::io::Result<Counts> {
        let key = |parts: &[&str]| format!("{}\0{}", self.name, parts.join("\0"));
        let mut coders: Vec<String> = self.manual.iter().map(|a| a.coder.clone()).collect();
        coders.sort();
        coders.dedup();
        if !self.auto.is_empty() {
            coders.push(AUTO_CODER.to_owned());
        }
        let user = |name: &str| guid("user", &key(&[name]));
        let mut counts = Counts { users: coders.len(), ..Default::default() };
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            xml,
            "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"qualkit {}\">",
            escape(self.name),
            env!("CARGO_PKG_VERSION")
        );
        if !coders.is_empty() {
            xml.push_str("  <Users>\n");
            for coder in &coders {
                let _ = writeln!(
                    xml,
                    "    <User guid=\"{}\" name=\"{}\"/>",
                    user(coder),
                    escape(coder)
                );
            }
            xml.push_str("  </Users>\n");
        }
        if !self.codebook.codes.is_empty() {
            xml.push_str("  <CodeBook>\n");
            crate::codebook::export::write_codes(&mut xml, self.codebook, 2);
            xml.push_str("  </CodeBook>\n");
            counts.codes = self.codebook.codes.len();
        }
        let participants = &self.corpus.participants;
        let variable = |name: &str| guid("variable", &key(&[name]));
        if !participants.attributes.is_empty() {
            xml.push_str("  <Variables>\n");
            for name in &participants.attributes {
                let _ = writeln!(
                    xml,
                    "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"Text\"/>",
                    variable(name),
                    escape(name)
                );
            }
            xml.push_str("  </Variables>\n");
        }
        let source = |id: &str| guid("source", &key(&[id]));
        if !participants.by_id.is_empty() {
            xml.push_str("  <Cases>\n");
            for (id, participant) in &participants.by_id {
                let _ = writeln!(
                    xml,
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
                        xml,
                        "      <VariableValue><VariableRef targetGUID=\"{}\"/><TextValue>{}</TextValue></VariableValue>",
                        variable(name),
                        escape(value)
                    );
                }
                for document in self.corpus.documents.iter().filter(|d| d.participants.contains(id))
                {
                    let _ =
                        writeln!(xml, "      <SourceRef targetGUID=\"{}\"/>", source(&document.id));
                }
                xml.push_str("    </Case>\n");
            }
            xml.push_str("  </Cases>\n");
            counts.cases = participants.by_id.len();
        }
        if !self.corpus.documents.is_empty() {
            xml.push_str("  <Sources>\n");
            let manual = self.manual_by_document();
            for (d, document) in self.corpus.documents.iter().enumerate() {
                out.write_all(xml.as_bytes())?;
                xml.clear();
                let id = source(&document.id);
                let _ = write!(
                    xml,
                    "    <TextSource guid=\"{id}\" name=\"{}\" plainTextPath=\"internal://{id}.txt\"",
                    escape(&document.id)
                );
                let selections = self.selections_of(d, &manual[d]);
                if selections.is_empty() {
                    xml.push_str("/>\n");
                    continue;
                }
                xml.push_str(">\n");
                for ((start, end, coder), codes) in selections {
                    let selection = guid(
                        "selection",
                        &key(&[&document.id, &start.to_string(), &end.to_string(), &coder]),
                    );
                    let _ = writeln!(
                        xml,
                        "      <PlainTextSelection guid=\"{selection}\" startPosition=\"{start}\" endPosition=\"{end}\" creatingUser=\"{}\">",
                        user(&coder)
                    );
                    for code in codes {
                        let _ = writeln!(
                            xml,
                            "        <Coding guid=\"{}\" creatingUser=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>",
                            guid("coding", &format!("{selection}\0{code}")),
                            user(&coder),
                            crate::codebook::export::code_guid(&self.codebook.name, &code)
                        );
                        counts.codings += 1;
                    }
                    xml.push_str("      </PlainTextSelection>\n");
                    counts.selections += 1;
                }
                xml.push_str("    </TextSource>\n");
            }
            xml.push_str("  </Sources>\n");
            counts.sources = self.corpus.documents.len();
        }
        xml.push_str("</Project>\n");
        out.write_all(xml.as_bytes())?;
        Ok(counts)
    }

    /// The manual codings of each document, by number.
    fn manual_by_document(&self) -> Vec<Vec<&Annotation>> {
        let mut by_document = vec![Vec::new(); self.corpus.documents.len()];
        for annotation in self.manual {
            by_document[annotation.document].push(annotation);
        }
        by_document
    }

    /// Document `d`'s codings as (start, end, coder) → codes, in text order: the
    /// auto-codings of its segments (segments come in document order, and codings in
    /// segment order as coding makes them, so both are found by halving) and `manual`, its manual codings. Auto-codings inherited
    /// from a child (`child:<id>`) are left out: REFI tools show a parent's codings by
    /// aggregating its children themselves.
    fn selections_of(&self, d: usize, manual: &[&Annotation]) -> Selections {
        let mut selections: Selections = BTreeMap::new();
        let segments = self.segments.partition_point(|s| s.document_index() < d)
            ..self.segments.partition_point(|s| s.document_index() <= d);
        let codings = if self.auto.in_segment_order() {
            self.auto.first_at_or_after(segments.start)..self.auto.first_at_or_after(segments.end)
        } else {
            0..self.auto.len() // not as coding makes them: every one looked at
        };
        for coding in self.auto.range(codings) {
            let segment = &self.segments[coding.segment];
            if !segments.contains(&coding.segment)
                || coding.rules().iter().all(|r| r.starts_with("child:"))
            {
                continue;
            }
            let key = (segment.chars().start, segment.chars().end, AUTO_CODER.to_owned());
            selections.entry(key).or_default().push(coding.code().to_string());
        }
        for annotation in manual {
            let key = (annotation.chars.start, annotation.chars.end, annotation.coder.clone());
            selections.entry(key).or_default().push(annotation.code.clone());
        }
        for codes in selections.values_mut() {
            codes.sort_by_key(|c| self.codebook.position(c));
            codes.dedup();
        }
        selections
    }

    /// Write the `.qdpx` archive into `out`: `project.qde` and one UTF-8 text file per
    /// source, each text read as it is written and let go after it.
    ///
    /// # Errors
    /// Writing to `out` fails.
    pub fn write_qdpx<W: std::io::Write + std::io::Seek>(&self, out: W) -> Result<Counts> {
        use zip::write::SimpleFileOptions;
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let failed = |e: &dyn std::fmt::Display| {
            Error::Usage(format!("building the .qdpx archive failed: {e}"))
        };
        let mut zip = zip::ZipWriter::new(out);
        zip.start_file("project.qde", options).map_err(|e| failed(&e))?;
        let counts = self.write_xml(&mut zip).map_err(|e| failed(&e))?;
        let mut text = None;
        for (d, document) in self.corpus.documents.iter().enumerate() {
            let id = guid("source", &format!("{}\0{}", self.name, document.id));
            zip.start_file(format!("sources/{id}.txt"), options).map_err(|e| failed(&e))?;
            zip.write_all(self.corpus.text_in_order(&mut text, d).as_bytes())
                .map_err(|e| failed(&e))?;
        }
        zip.finish().map_err(|e| failed(&e))?;
        Ok(counts)
    }
}
