//! Keyword-in-context concordance over the segment index.
//!
//! [`search`] runs a [`Rule`] (the codebook rule language) over the index and returns one
//! [`Hit`] per matched stretch of words; [`concordance`] lays hits out as KWIC lines with
//! `n` words of context on each side, taken from the speaker's turn; [`count_by`] tallies
//! hits per level of an attribute.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::corpus::{Corpus, Turn};
use crate::error::{Error, Result};
use crate::index::SegmentIndex;
use crate::query::{Rule, merge_overlapping};
use crate::segment::Segment;
use crate::study::{SpeakerFilter, Study};

/// One match: a stretch of words in one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Segment number.
    pub segment: usize,
    /// Byte range of the matched words in the document text (first to last word).
    pub bytes: Range<usize>,
    /// Line in the original file of the match's first character.
    pub line: usize,
}

/// Every hit of `rule` among the segments of `speakers`, in document and text order.
///
/// The candidates (the index's, and where `speakers` take in segments the index does not
/// hold, each of those) are checked a document at a time on every core, each document's
/// text read once and let go, and each segment's words let go once its hits are found: a
/// common word's matches held with their words, and every text read kept, took a 1 GB
/// study's search past 3 GB.
///
/// # Errors
/// tantivy fails while searching.
pub fn search(
    rule: &Rule,
    index: &SegmentIndex,
    corpus: &Corpus,
    segments: &[Segment],
    speakers: SpeakerFilter,
) -> Result<Vec<Hit>> {
    use rayon::prelude::*;
    let keep = |n: usize| segments[n].spoken_by(speakers, corpus);
    let mut candidates: Vec<usize> =
        rule.candidate_segments(index)?.into_iter().filter(|&n| keep(n)).collect();
    let unheld = unheld(index, corpus, segments, speakers);
    if !unheld.is_empty() {
        candidates.extend(unheld);
        // a rule without candidates (NOT alone) has every held segment already
        candidates.sort_unstable();
        candidates.dedup();
    }
    let analyzer = index.analyzer();
    let documents: Vec<&[usize]> = candidates
        .chunk_by(|&a, &b| segments[a].document_index() == segments[b].document_index())
        .collect();
    let hits: Vec<Vec<Hit>> = documents
        .into_par_iter()
        .map(|numbers| {
            let document = segments[numbers[0]].document(corpus);
            let text = document.text_once();
            let mut lines = document.lines_in_order_of(&text);
            let mut hits = Vec::new();
            for &number in numbers {
                let segment = &segments[number];
                let words = analyzer.words(&text[segment.bytes()]);
                let Some(spans) = rule.find(&words) else { continue };
                let ranges: Vec<Range<usize>> = if spans.is_empty() {
                    std::iter::once(0..segment.bytes().len()).collect()
                } else {
                    spans
                        .iter()
                        .map(|s| words[s.words[0]].start..words[s.words[s.words.len() - 1]].end)
                        .collect()
                };
                for range in merge_overlapping(ranges) {
                    let bytes =
                        segment.bytes().start + range.start..segment.bytes().start + range.end;
                    hits.push(Hit { segment: number, line: lines.line_of(bytes.start), bytes });
                }
            }
            hits
        })
        .collect();
    Ok(hits.into_iter().flatten().collect())
}

/// The segments of `speakers` the index does not hold (an index of respondents searched for
/// every speaker), ascending: none when it holds them all.
fn unheld(
    index: &SegmentIndex,
    corpus: &Corpus,
    segments: &[Segment],
    speakers: SpeakerFilter,
) -> Vec<usize> {
    let held = index.speakers();
    if held.covers(speakers) {
        return Vec::new();
    }
    (0..segments.len())
        .filter(|&n| {
            segments[n].spoken_by(speakers, corpus) && !segments[n].spoken_by(held, corpus)
        })
        .collect()
}

/// One line of a concordance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcordanceLine {
    /// Document id.
    pub document: String,
    /// Participant id of the speaker (empty for interviewers).
    pub participant: String,
    /// Wave (empty when unknown).
    pub wave: String,
    /// Speaker name: participant id, `interviewer`, or the label.
    pub speaker: String,
    /// Line of the match in the original file.
    pub line: usize,
    /// Context before the match, whitespace collapsed.
    pub left: String,
    /// The matched text.
    pub keyword: String,
    /// Context after the match.
    pub right: String,
}

/// KWIC lines for `hits` (in document order, as [`search`] gives them) with `context`
/// words each side, within the speaker's turn; each document's text read once and let go.
pub fn concordance(
    hits: &[Hit],
    corpus: &Corpus,
    segments: &[Segment],
    context: usize,
) -> Vec<ConcordanceLine> {
    use rayon::prelude::*;
    let documents: Vec<&[Hit]> = hits
        .chunk_by(|a, b| {
            segments[a.segment].document_index() == segments[b.segment].document_index()
        })
        .collect();
    let lines: Vec<Vec<ConcordanceLine>> = documents
        .into_par_iter()
        .map(|hits| {
            let document = segments[hits[0].segment].document(corpus);
            let text = document.text_once();
            hits.iter()
                .map(|hit| {
                    let segment = &segments[hit.segment];
                    let turn =
                        document.turn_holding(segment.bytes()).map_or(segment.bytes(), Turn::text);
                    let speaker = segment.speaker(corpus);
                    let left_start = context_start(&text, turn.start..hit.bytes.start, context);
                    let right_end = context_end(&text, hit.bytes.end..turn.end, context);
                    ConcordanceLine {
                        document: document.id.clone(),
                        participant: speaker.participant.as_deref().unwrap_or_default().to_owned(),
                        wave: document.wave.clone().unwrap_or_default(),
                        speaker: speaker.name().to_owned(),
                        line: hit.line,
                        left: collapse(&text[left_start..hit.bytes.start]),
                        keyword: collapse(&text[hit.bytes.clone()]),
                        right: collapse(&text[hit.bytes.end..right_end]),
                    }
                })
                .collect()
        })
        .collect();
    lines.into_iter().flatten().collect()
}

/// Start of the `n`th whitespace-separated word before the end of `range` (or the range
/// start). A word fragment touching the match (an opening quote, say) does not count.
fn context_start(text: &str, range: Range<usize>, n: usize) -> usize {
    let slice = &text[range.clone()];
    let mut starts = word_starts(slice);
    if slice.ends_with(|c: char| !c.is_whitespace()) {
        starts.pop();
    }
    match starts.len().checked_sub(n) {
        Some(index) if n > 0 => range.start + starts[index],
        Some(_) => range.end,
        None => range.start,
    }
}

/// End of the `n`th whitespace-separated word after the start of `range` (or the range
/// end). A fragment touching the match (trailing punctuation) comes along without counting.
fn context_end(text: &str, range: Range<usize>, n: usize) -> usize {
    let slice = &text[range.clone()];
    let mut ends = word_ends(slice);
    if !slice.starts_with(|c: char| !c.is_whitespace()) {
        ends.insert(0, 0);
    }
    match ends.get(n) {
        Some(&end) => range.start + end,
        None => range.end,
    }
}

fn word_starts(text: &str) -> Vec<usize> {
    text.split_word_bound_indices()
        .filter(|(i, w)| {
            !w.trim().is_empty() && (*i == 0 || text[..*i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| i)
        .collect()
}

fn word_ends(text: &str) -> Vec<usize> {
    text.split_word_bound_indices()
        .filter(|(i, w)| {
            let end = i + w.len();
            !w.trim().is_empty()
                && (end == text.len() || text[end..].starts_with(char::is_whitespace))
        })
        .map(|(i, w)| i + w.len())
        .collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hits per level of one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelCount {
    /// The level (`(missing)` for segments without a value).
    pub level: String,
    /// Number of hits.
    pub hits: usize,
    /// Number of distinct segments hit.
    pub segments: usize,
    /// Number of distinct participants hit.
    pub participants: usize,
    /// Number of distinct documents hit.
    pub documents: usize,
}

#[derive(Default)]
struct Tally {
    hits: usize,
    segments: BTreeSet<usize>,
    participants: BTreeSet<String>,
    documents: BTreeSet<usize>,
}

/// The label used for segments with no value for the attribute.
pub const MISSING_LEVEL: &str = "(missing)";

/// Count hits per level of `attribute`, levels in the study's order (declared ordinal or
/// wave order, else sorted), with `(missing)` last.
///
/// # Errors
/// An attribute that is neither built in (`wave`, `kind`, `document`, `speaker`,
/// `participant`) nor a participant or document attribute.
pub fn count_by(
    hits: &[Hit],
    study: &Study,
    corpus: &Corpus,
    segments: &[Segment],
    attribute: &str,
) -> Result<Vec<LevelCount>> {
    check_attribute(corpus, attribute)?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for hit in hits {
        let segment = &segments[hit.segment];
        let document = segment.document(corpus);
        let speaker = segment.speaker(corpus);
        let level = if attribute == "speaker" {
            Some(speaker.name().to_owned())
        } else {
            corpus.attribute_of(document, speaker.participant.as_deref(), attribute)
        };
        let tally = tallies.entry(level.unwrap_or_else(|| MISSING_LEVEL.to_owned())).or_default();
        tally.hits += 1;
        tally.segments.insert(hit.segment);
        if let Some(id) = &speaker.participant {
            tally.participants.insert(id.to_string());
        }
        tally.documents.insert(segment.document_index());
    }
    let order = level_order(study, corpus, attribute);
    let rank = |level: &str| order.iter().position(|l| l == level).unwrap_or(order.len());
    let mut counts: Vec<LevelCount> = tallies
        .into_iter()
        .map(|(level, tally)| LevelCount {
            level,
            hits: tally.hits,
            segments: tally.segments.len(),
            participants: tally.participants.len(),
            documents: tally.documents.len(),
        })
        .collect();
    counts.sort_by(|a, b| {
        let missing = |c: &LevelCount| c.level == MISSING_LEVEL;
        (missing(a), rank(&a.level), &a.level).cmp(&(missing(b), rank(&b.level), &b.level))
    });
    Ok(counts)
}

fn level_order(study: &Study, corpus: &Corpus, attribute: &str) -> Vec<String> {
    if attribute == "wave" {
        return study.waves.clone();
    }
    corpus.participants.ordinal.get(attribute).cloned().unwrap_or_default()
}

fn check_attribute(corpus: &Corpus, attribute: &str) -> Result<()> {
    const BUILT_IN: [&str; 5] = ["wave", "kind", "document", "speaker", "participant"];
    let known = BUILT_IN.contains(&attribute)
        || corpus.participants.attributes.iter().any(|a| a == attribute)
        || corpus.documents.iter().any(|d| d.attributes.contains_key(attribute));
    if known {
        return Ok(());
    }
    let mut choices: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
    choices.extend(corpus.participants.attributes.iter().cloned());
    Err(Error::Usage(format!(
        "unknown attribute `{attribute}`; expected one of {}",
        choices.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_takes_n_words_each_side_within_the_range() {
        let text = "one two, three four five";
        assert_eq!(&text[context_start(text, 0..15, 2)..15], "two, three ");
        assert_eq!(context_start(text, 0..15, 9), 0);
        assert_eq!(&text[14..context_end(text, 14..text.len(), 1)], " four");
        assert_eq!(context_end(text, 14..text.len(), 9), text.len());
    }

    #[test]
    fn context_keeps_punctuation_and_marks_whole() {
        let text = "set targets. Then more [inaudible] here";
        // the match is "targets" (4..11): its full stop comes along for free
        assert_eq!(&text[11..context_end(text, 11..text.len(), 2)], ". Then more");
        assert_eq!(&text[11..context_end(text, 11..text.len(), 3)], ". Then more [inaudible]");
        let quoted = "she said \"targets";
        assert_eq!(&quoted[context_start(quoted, 0..10, 1)..10], "said \"");
    }

    #[test]
    fn collapse_joins_lines_and_spaces() {
        assert_eq!(collapse("  a\n  b\tc "), "a b c");
    }
}
