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

use crate::codebook::{CodeRule, Codebook};
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
    use rayon::prelude::*;
    // Every (segment, rule) pair the index proposes, grouped by segment, so each segment
    // is analysed once however many rules it is a candidate for, and segments in parallel.
    let rules: Vec<(&str, &CodeRule)> = codebook
        .codes
        .iter()
        .flat_map(|code| code.rules.iter().map(move |rule| (code.id.as_str(), rule)))
        .collect();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (r, (_, code_rule)) in rules.iter().enumerate() {
        let candidates = code_rule.rule.candidate_segments(index)?;
        pairs.extend(candidates.into_iter().filter(|&n| keep(n)).map(|n| (n, r)));
    }
    pairs.sort_unstable();
    let groups: Vec<&[(usize, usize)]> = pairs.chunk_by(|a, b| a.0 == b.0).collect();
    let analyzer = index.analyzer();
    let found: Vec<(usize, usize, Vec<Range<usize>>)> = groups
        .par_iter()
        .flat_map_iter(|group| {
            let n = group[0].0;
            let segment = &segments[n];
            let text = &segment.document(corpus).text;
            let words = analyzer.words(segment.text(corpus));
            group
                .iter()
                .filter_map(|&(_, r)| {
                    let spans = rules[r].1.rule.find(&words)?;
                    let evidence = spans
                        .iter()
                        .flat_map(|span| &span.words)
                        .map(|&p| char_range(text, segment, words[p].start..words[p].end))
                        .collect();
                    Some((n, r, evidence))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut direct: BTreeMap<(usize, &str), MatchedRules> = BTreeMap::new();
    for (n, r, evidence) in found {
        let (code, code_rule) = rules[r];
        let entry = direct.entry((n, code)).or_default();
        entry.0.push(code_rule.text.clone());
        entry.1.extend(evidence);
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
    // attribute names are participants.csv's column names: data, so neutralised like cells
    let header: Vec<String> = CODINGS_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(attributes.iter().map(|a| crate::export::neutralise(a)))
        .collect();
    writer.write_record(&header).expect("writing to memory cannot fail");
    let numbers = segment_numbers_in_documents(segments);
    for coding in codings {
        let segment = &segments[coding.segment];
        let document = segment.document(corpus);
        let speaker = segment.speaker(corpus);
        let evidence: Vec<String> =
            coding.evidence.iter().map(|r| format!("{}-{}", r.start, r.end)).collect();
        // evidence lies inside the segment: slice its text, not the whole document's
        let matched: Vec<String> = coding
            .evidence
            .iter()
            .map(|r| {
                segment
                    .text(corpus)
                    .chars()
                    .skip(r.start.saturating_sub(segment.chars.start))
                    .take(r.len())
                    .collect()
            })
            .collect();
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
