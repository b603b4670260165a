//! Apply a codebook to a study's segments → codings with evidence; write `codings.csv`.
//!
//! Each code's rules run over the segment index ([`crate::query::Rule::matches`]); a segment is coded
//! once per code, with every rule that matched and the char spans of the matched words as
//! evidence. Parent codes aggregate their descendants: a segment coded by a child is coded by
//! the parent too, with the child named among the rules (`child:<id>`). Codes do not depend
//! on each other otherwise, so re-coding after a codebook edit gives identical rows for every
//! unchanged code.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::codebook::Codebook;
use crate::corpus::{Corpus, Role};
use crate::error::Result;
use crate::index::SegmentIndex;
use crate::query::merge_overlapping;
use crate::segment::Segment;
use crate::study::SpeakerFilter;

/// Who or what applied a code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The codebook's rules.
    Rule,
    /// A named human coder.
    Coder(String),
}

impl Origin {
    /// The origin as written in `codings.csv`.
    pub fn name(&self) -> &str {
        match self {
            Origin::Rule => "rule",
            Origin::Coder(name) => name,
        }
    }
}

/// One code applied to one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding {
    /// Segment number (index into the segment list).
    pub segment: usize,
    /// Code id.
    pub code: String,
    /// Who applied it.
    pub origin: Origin,
    /// The rules that matched, as written (`child:<id>` for codes inherited from children).
    pub rules: Vec<String>,
    /// Char ranges in the document of the matched words, ascending, merged.
    pub evidence: Vec<Range<usize>>,
}

/// The rules that matched one segment for one code, and their evidence (char ranges).
type MatchedRules = (Vec<String>, Vec<Range<usize>>);

/// Apply every code of `codebook` to the segments of `speakers`.
///
/// Codings come in segment order, then codebook (tree) order.
///
/// # Errors
/// tantivy fails while searching.
pub fn apply(
    codebook: &Codebook,
    index: &SegmentIndex,
    corpus: &Corpus,
    segments: &[Segment],
    speakers: SpeakerFilter,
) -> Result<Vec<Coding>> {
    let keep = |n: usize| {
        speakers == SpeakerFilter::All || segments[n].speaker(corpus).role == Role::Participant
    };
    let mut direct: BTreeMap<(usize, &str), MatchedRules> = BTreeMap::new();
    for code in &codebook.codes {
        for code_rule in &code.rules {
            for found in code_rule.rule.matches(index, |n| segments[n].text(corpus), keep)? {
                let segment = &segments[found.segment];
                let document = segment.document(corpus);
                let entry = direct.entry((found.segment, code.id.as_str())).or_default();
                entry.0.push(code_rule.text.clone());
                for span in &found.evidence {
                    for &position in &span.words {
                        let word = &found.words[position];
                        entry.1.push(char_range(&document.text, segment, word.start..word.end));
                    }
                }
            }
        }
    }
    let order: BTreeMap<&str, usize> =
        codebook.codes.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let mut codings: BTreeMap<(usize, usize), Coding> = BTreeMap::new();
    for ((segment, id), (rules, evidence)) in &direct {
        let mut targets = vec![(*id, rules.clone())];
        let mut child = *id;
        while let Some(parent) = codebook.code(child).and_then(|c| c.parent.as_deref()) {
            targets.push((parent, vec![format!("child:{child}")]));
            child = parent;
        }
        for (code, rules) in targets {
            let coding = codings.entry((*segment, order[code])).or_insert_with(|| Coding {
                segment: *segment,
                code: code.to_owned(),
                origin: Origin::Rule,
                rules: Vec::new(),
                evidence: Vec::new(),
            });
            coding.rules.extend(rules);
            coding.evidence.extend(evidence.iter().cloned());
        }
    }
    Ok(codings
        .into_values()
        .map(|mut coding| {
            coding.rules.sort_by_key(|r| r.starts_with("child:"));
            coding.rules.dedup();
            coding.evidence = merge_overlapping(std::mem::take(&mut coding.evidence));
            coding
        })
        .collect())
}

/// Document char range of a byte range relative to the segment.
fn char_range(text: &str, segment: &Segment, bytes: Range<usize>) -> Range<usize> {
    let segment_text = &text[segment.bytes.clone()];
    let start = segment.chars.start + segment_text[..bytes.start].chars().count();
    let end = start + segment_text[bytes].chars().count();
    start..end
}

/// The `codings.csv` columns (format 1), before any attribute columns.
pub const CODINGS_COLUMNS: [&str; 13] = [
    "document",
    "segment",
    "participant",
    "wave",
    "speaker",
    "code",
    "origin",
    "start",
    "end",
    "text",
    "rule",
    "evidence",
    "matched",
];

/// Render codings as `codings.csv` (format 1): one row per coding, `start`/`end` the
/// segment's char range in the document, `evidence` the matched words' char ranges
/// (`start-end;…`), `matched` their text. `attributes` adds participant attribute columns.
pub fn to_csv(
    codings: &[Coding],
    corpus: &Corpus,
    segments: &[Segment],
    attributes: &[String],
) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> =
        CODINGS_COLUMNS.iter().copied().chain(attributes.iter().map(String::as_str)).collect();
    writer.write_record(&header).expect("writing to memory cannot fail");
    let numbers = segment_numbers_in_documents(segments);
    for coding in codings {
        let segment = &segments[coding.segment];
        let document = segment.document(corpus);
        let speaker = segment.speaker(corpus);
        let chars: Vec<char> = document.text.chars().collect();
        let evidence: Vec<String> =
            coding.evidence.iter().map(|r| format!("{}-{}", r.start, r.end)).collect();
        let matched: Vec<String> =
            coding.evidence.iter().map(|r| chars[r.clone()].iter().collect()).collect();
        let mut row = vec![
            document.id.clone(),
            numbers[coding.segment].to_string(),
            speaker.participant.clone().unwrap_or_default(),
            document.wave.clone().unwrap_or_default(),
            speaker.name().to_owned(),
            coding.code.clone(),
            coding.origin.name().to_owned(),
            segment.chars.start.to_string(),
            segment.chars.end.to_string(),
            segment.text(corpus).to_owned(),
            coding.rules.join(" ; "),
            evidence.join(";"),
            matched.join(" | "),
        ];
        for attribute in attributes {
            let value = speaker
                .participant
                .as_deref()
                .and_then(|id| corpus.participants.attribute(id, attribute));
            row.push(value.unwrap_or_default().to_owned());
        }
        let row: Vec<String> = row.iter().map(|cell| crate::export::neutralise(cell)).collect();
        writer.write_record(&row).expect("writing to memory cannot fail");
    }
    String::from_utf8(writer.into_inner().expect("flushing to memory cannot fail"))
        .expect("UTF-8 in, UTF-8 out")
}

/// 1-based number of each segment within its document.
pub fn segment_numbers_in_documents(segments: &[Segment]) -> Vec<usize> {
    let mut numbers = Vec::with_capacity(segments.len());
    let mut previous = None;
    let mut count = 0;
    for segment in segments {
        if previous != Some(segment.document) {
            count = 0;
            previous = Some(segment.document);
        }
        count += 1;
        numbers.push(count);
    }
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_ranges_merge_when_they_overlap() {
        assert_eq!(merge_overlapping(vec![5..9, 0..3, 2..4, 9..12]), vec![0..4, 5..9, 9..12]);
    }
}
