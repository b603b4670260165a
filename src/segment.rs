//! Documents → segments, the units that are searched and coded.
//!
//! A segment is a whole turn, a sentence within a turn (UAX #29 sentence boundaries, with
//! titles and Latin abbreviations such as "Mr." and "e.g." not ending a sentence), or a
//! paragraph within a turn (split at blank lines). Segments tile each turn: they are
//! trimmed, in order, never overlap, and only whitespace lies between them, so nothing is
//! lost. Every segment knows its document, turn, byte and char range and original line.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::corpus::{Corpus, Document, Role, Speaker};
use crate::study::SpeakerFilter;

/// The unit of segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// A whole speaker turn.
    Turn,
    /// A sentence within a turn.
    Sentence,
    /// A paragraph (block separated by blank lines) within a turn.
    Paragraph,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 3] = [Unit::Turn, Unit::Sentence, Unit::Paragraph];

    /// The unit named `name` (`turn`, `sentence`, `paragraph`).
    pub fn from_name(name: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.name() == name)
    }

    /// The unit's name.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Turn => "turn",
            Unit::Sentence => "sentence",
            Unit::Paragraph => "paragraph",
        }
    }
}

/// One unit of text in a document: its document, speaker, byte and char range and line, in
/// 32-bit numbers (28 bytes, not 56: a large study has millions of segments, all held).
/// They fit: `Corpus::load` refuses a document over [`crate::corpus::MAX_TEXT_BYTES`]. A
/// segment names its speaker, not its turn, so that its speaker is known without the
/// document's turns, which a run lets go once segmented ([`Corpus::let_turns_go`]): the
/// turn is the one whose text holds the segment's ([`Document::turn_holding`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    document: u32,
    /// The number of its speaker among its document's ([`Document::speaker_number`]).
    speaker: u32,
    bytes: Range<u32>,
    chars: Range<u32>,
    line: u32,
}

impl Segment {
    /// Segment `bytes` (`chars`) of document `document`, spoken by its speaker numbered
    /// `speaker` ([`Document::speaker_number`]), starting on `line`.
    ///
    /// # Panics
    /// A number does not fit in 32 bits (a document of 4 GiB or more).
    pub fn new(
        document: usize,
        speaker: usize,
        bytes: Range<usize>,
        chars: Range<usize>,
        line: usize,
    ) -> Segment {
        let small = |n: usize| u32::try_from(n).expect("a document is under 2 GiB");
        Segment {
            document: small(document),
            speaker: small(speaker),
            bytes: small(bytes.start)..small(bytes.end),
            chars: small(chars.start)..small(chars.end),
            line: small(line),
        }
    }

    /// Index of the document in [`Corpus::documents`].
    pub fn document_index(&self) -> usize {
        self.document as usize
    }

    /// The number of its speaker among its document's ([`Document::speakers`]).
    pub fn speaker_number(&self) -> usize {
        self.speaker as usize
    }

    /// Byte range in the document's text.
    pub fn bytes(&self) -> Range<usize> {
        self.bytes.start as usize..self.bytes.end as usize
    }

    /// Char range in the document's text.
    pub fn chars(&self) -> Range<usize> {
        self.chars.start as usize..self.chars.end as usize
    }

    /// Line in the original file of the segment's first character.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The segment's text.
    pub fn text<'a>(&self, corpus: &'a Corpus) -> &'a str {
        &corpus.documents[self.document_index()].text()[self.bytes()]
    }

    /// The segment's document.
    pub fn document<'a>(&self, corpus: &'a Corpus) -> &'a Document {
        &corpus.documents[self.document_index()]
    }

    /// The segment's speaker.
    pub fn speaker<'a>(&self, corpus: &'a Corpus) -> &'a Speaker {
        &corpus.documents[self.document_index()].speakers[self.speaker_number()]
    }

    /// Whether the segment's speaker is one of `speakers`.
    pub fn spoken_by(&self, speakers: SpeakerFilter, corpus: &Corpus) -> bool {
        speakers == SpeakerFilter::All || self.speaker(corpus).role == Role::Participant
    }
}

/// Every segment of every turn in the corpus, in document and text order. Documents are
/// segmented in parallel (sentence splitting is the costly part of ingest).
pub fn segment(corpus: &Corpus, unit: Unit) -> Vec<Segment> {
    use rayon::prelude::*;
    let per_document: Vec<Vec<Segment>> = (corpus.documents.par_iter().enumerate())
        .map(|(index, document)| segment_document(index, document, unit))
        .collect();
    gathered(&per_document)
}

/// The segments of `document`, document number `index` of its corpus, by `unit`.
pub fn segment_document(index: usize, document: &Document, unit: Unit) -> Vec<Segment> {
    // a turn is a segment or none, or a few sentences or paragraphs
    let mut segments = Vec::with_capacity(document.turns.len());
    let mut chars = CharCounter::default();
    // read for this pass only: a run lets texts go, and reads them again as it goes
    let text = document.text_once();
    let text = &*text;
    let mut lines = document.lines_in_order_of(text);
    // in ASCII text (most English transcripts) chars are bytes: nothing to count
    let ascii = text.is_ascii();
    let mut char_at = |byte| if ascii { byte } else { chars.advance(text, byte) };
    let mut ranges = Vec::new();
    for turn in &document.turns {
        let turn_bytes = turn.text();
        split_into(&text[turn_bytes.clone()], unit, &mut ranges);
        for range in ranges.drain(..) {
            let bytes = turn_bytes.start + range.start..turn_bytes.start + range.end;
            let char_start = char_at(bytes.start);
            let char_end = char_at(bytes.end);
            let line = lines.line_of(bytes.start);
            segments.push(Segment::new(
                index,
                turn.speaker_number(),
                bytes,
                char_start..char_end,
                line,
            ));
        }
    }
    segments
}

/// The lists of `per_document`, one after another, gathered into one list on every core:
/// copied on one core (`concat`), the fresh memory a large study's list is made in was
/// filled a page fault at a time, 0.67 s of a 1 GB run with the other core idle.
pub(crate) fn gathered(per_document: &[Vec<Segment>]) -> Vec<Segment> {
    use rayon::prelude::*;
    // where each document's segments start in the whole list, and where the last ends
    let mut starts = Vec::with_capacity(per_document.len() + 1);
    starts.push(0);
    for segments in per_document {
        starts.push(starts[starts.len() - 1] + segments.len());
    }
    let mut all = Vec::new();
    (0..starts[per_document.len()])
        .into_par_iter()
        // each task's segments come in order: the document of the one before, or one found
        // by bisection
        .map_init(
            || 0,
            |document: &mut usize, n| {
                if !(starts[*document] <= n && n < starts[*document + 1]) {
                    *document = starts.partition_point(|&start| start <= n) - 1;
                }
                per_document[*document][n - starts[*document]].clone()
            },
        )
        .collect_into_vec(&mut all);
    all
}

/// Counts chars up to increasing byte offsets without rescanning.
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn advance(&mut self, text: &str, byte: usize) -> usize {
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// The 1-based number of each segment within its document (how codings.csv and
/// segments.csv name a segment), and its document, from where each document's run of
/// segments starts: a number kept per segment was 8 bytes a segment (70 MB at 1 GB of
/// transcripts), twice, and reading a segment's record to find its document is a cache miss
/// in a large study.
pub struct NumbersInDocuments {
    /// The first segment of each run of one document's segments, ascending.
    starts: Vec<usize>,
    /// The document of each run.
    documents: Vec<usize>,
}

impl NumbersInDocuments {
    /// The numbers of `segments` (in document order, as [`segment`] gives them).
    pub fn new(segments: &[Segment]) -> NumbersInDocuments {
        let starts: Vec<usize> = (0..segments.len())
            .filter(|&n| n == 0 || segments[n].document != segments[n - 1].document)
            .collect();
        let documents = starts.iter().map(|&n| segments[n].document_index()).collect();
        NumbersInDocuments { starts, documents }
    }

    /// The number of segment `n` within its document.
    pub fn of(&self, n: usize) -> usize {
        self.of_from(n, &mut 0)
    }

    /// [`NumbersInDocuments::of`], with `run` as [`NumbersInDocuments::document_of`] takes
    /// it: segments numbered in ascending order (codings.csv's and segments.csv's rows) are
    /// mostly in the same run (halving the runs for each row took 28 ms of CPU in a run at
    /// 100 MB).
    pub fn of_from(&self, n: usize, run: &mut usize) -> usize {
        *run = self.run_of(n, *run);
        n - self.starts.get(*run).copied().unwrap_or(0) + 1
    }

    /// The index of segment `n`'s document. `run` is where the segment asked for before was
    /// found (0 at first), and is moved to this one's: segments asked for in ascending order
    /// are mostly in the same run, found without a search.
    pub fn document_of(&self, n: usize, run: &mut usize) -> usize {
        *run = self.run_of(n, *run);
        self.documents[*run]
    }

    /// The run holding segment `n`: `last` when it does, else found by bisection.
    fn run_of(&self, n: usize, last: usize) -> usize {
        let within = self.starts.get(last).is_some_and(|&start| start <= n)
            && self.starts.get(last + 1).is_none_or(|&next| n < next);
        if within {
            last
        } else {
            self.starts.partition_point(|&start| start <= n).saturating_sub(1)
        }
    }
}

/// The segments of one turn's text, as trimmed byte ranges relative to it.
pub fn split(text: &str, unit: Unit) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    split_into(text, unit, &mut ranges);
    ranges
}

/// [`split`] into `ranges`, cleared first: segmenting reuses one list for every turn, where
/// each turn made two (17 M allocations at 1 GB of transcripts).
fn split_into(text: &str, unit: Unit, ranges: &mut Vec<Range<usize>>) {
    ranges.clear();
    match unit {
        Unit::Turn => ranges.push(0..text.len()),
        Unit::Sentence => ranges.extend(sentences(text)),
        Unit::Paragraph => ranges.extend(paragraphs(text)),
    }
    ranges.retain_mut(|range| {
        *range = trim(text, range.clone());
        range.start < range.end
    });
}

/// Words that end with a full stop without ending the sentence.
const ABBREVIATIONS: [&str; 14] =
    ["mr", "mrs", "ms", "mx", "dr", "prof", "st", "vs", "cf", "e.g", "i.e", "eg", "ie", "approx"];

fn sentences(text: &str) -> Vec<Range<usize>> {
    // UAX #29 always breaks after a line feed, but transcripts wrap sentences across
    // continuation lines. Split a copy in which single line feeds are spaces (same byte
    // length, so the offsets hold); blank lines still end a sentence.
    let unwrapped = unwrap_single_newlines(text);
    let pieces =
        known_sentence_bounds(&unwrapped).unwrap_or_else(|| unicode_sentence_bounds(&unwrapped));
    let mut merged: Vec<Range<usize>> = Vec::new();
    let mut joining = false;
    for range in pieces {
        match merged.last_mut() {
            Some(last) if joining => last.end = range.end,
            _ => merged.push(range),
        }
        let current = merged.last().map_or("", |r| &text[r.clone()]);
        joining = ends_with_abbreviation(current);
    }
    merged
}

/// The sentences of a text by the rules of UAX #29, as `unicode_segmentation` finds them.
fn unicode_sentence_bounds(text: &str) -> Vec<Range<usize>> {
    let pieces = text.split_sentence_bound_indices();
    pieces.map(|(start, piece)| start..start + piece.len()).collect()
}

/// The Sentence_Break property (UAX #29) of the chars [`SentenceBreak::of`] knows: none of
/// them is `Sep`, `OLetter`, `Extend` or `Format`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SentenceBreak {
    Other,
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

impl SentenceBreak {
    /// The property of `c` when it is ASCII, Latin-1 or general punctuation (curly quotes,
    /// dashes, ellipses) as Unicode 17 gives it (`unicode_segmentation`'s tables), save the
    /// few of those that are `Sep` or `Format`: None for those and any other char.
    fn of(c: char) -> Option<SentenceBreak> {
        use SentenceBreak::*;
        Some(match c {
            '\r' => Cr,
            '\n' => Lf,
            '\t' | '\u{b}' | '\u{c}' | ' ' | '\u{a0}' => Sp,
            'a'..='z'
            | '\u{aa}'
            | '\u{b5}'
            | '\u{ba}'
            | '\u{df}'..='\u{f6}'
            | '\u{f8}'..='\u{ff}' => Lower,
            'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => Upper,
            '0'..='9' => Numeric,
            '.' | '\u{2024}' => ATerm,
            '!' | '?' => STerm,
            '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '\u{ab}' | '\u{bb}' => Close,
            '\u{2018}'..='\u{201f}' => Close,
            ',' | '-' | ':' | ';' | '\u{2013}' | '\u{2014}' => SContinue,
            '\u{85}' | '\u{ad}' => return None,
            '\0'..='\u{ff}' | '\u{2010}'..='\u{2027}' => Other,
            _ => return None,
        })
    }

    fn is_para_sep(self) -> bool {
        matches!(self, SentenceBreak::Cr | SentenceBreak::Lf)
    }
}

/// The sentences of a text by the rules of UAX #29 (SB1–SB11), as `unicode_segmentation`'s
/// `split_sentence_bound_indices` finds them, when [`SentenceBreak::of`] knows every char's
/// property (None otherwise): that crate looks each char's up in a table of ranges of all
/// Unicode, which was most of segmenting a study into sentences, and the properties of the
/// chars of most English transcripts are a `match`.
fn known_sentence_bounds(text: &str) -> Option<Vec<Range<usize>>> {
    use SentenceBreak::*;
    /// Where the text stands after a char, for the rules that look back past it.
    #[derive(Clone, Copy, PartialEq)]
    enum After {
        /// Nothing the rules look back for.
        Nothing,
        /// `SATerm Close*` (whether the term is an `ATerm`).
        Term { full_stop: bool },
        /// `SATerm Close* Sp+`.
        TermSpaces { full_stop: bool },
    }
    let chars: Vec<(usize, SentenceBreak)> = text
        .char_indices()
        .map(|(i, c)| Some((i, SentenceBreak::of(c)?)))
        .collect::<Option<_>>()?;
    let mut pieces = Vec::new();
    let Some(&(_, first)) = chars.first() else { return Some(pieces) };
    // what the text is after a char of `class`, having been `after` before it
    let advance = |after: After, class: SentenceBreak| match (class, after) {
        (ATerm | STerm, _) => After::Term { full_stop: class == ATerm },
        (Close, After::Term { .. }) => after,
        (Sp, After::Term { full_stop } | After::TermSpaces { full_stop }) => {
            After::TermSpaces { full_stop }
        }
        _ => After::Nothing,
    };
    let mut start = 0;
    let mut previous = first;
    let mut before_previous = Other;
    let mut after = advance(After::Nothing, previous);
    // SB8's look ahead, the same from anywhere after one `ATerm Close* Sp*`: found once
    let mut lower_follows: Option<bool> = None;
    for (k, &(i, next)) in chars.iter().enumerate().skip(1) {
        let breaks = if previous == Cr && next == Lf {
            false // SB3
        } else if previous.is_para_sep() {
            true // SB4
        } else if previous == ATerm
            && (next == Numeric || matches!(before_previous, Upper | Lower) && next == Upper)
        {
            false // SB6, SB7
        } else {
            match after {
                After::Nothing => false, // SB998
                After::Term { full_stop } | After::TermSpaces { full_stop } => {
                    let scan = || {
                        chars[k..]
                            .iter()
                            .map(|&(_, class)| class)
                            .find(|c| matches!(c, Upper | Lower | Cr | Lf | ATerm | STerm))
                            == Some(Lower)
                    };
                    let kept = full_stop && *lower_follows.get_or_insert_with(scan) // SB8
                        || matches!(next, SContinue | ATerm | STerm) // SB8a
                        || matches!(after, After::Term { .. }) && matches!(next, Close) // SB9
                        || next == Sp // SB9, SB10
                        || next.is_para_sep(); // SB9, SB10
                    !kept // SB11
                }
            }
        };
        if breaks {
            pieces.push(start..i);
            start = i;
        }
        let before = after;
        after = advance(after, next);
        if before == After::Nothing || after == After::Nothing || matches!(next, ATerm | STerm) {
            lower_follows = None;
        }
        before_previous = previous;
        previous = next;
    }
    pieces.push(start..text.len());
    Some(pieces)
}

fn unwrap_single_newlines(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let mut out = bytes.to_vec();
    for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'\n') {
        let before = bytes[..i].iter().rev().find(|b| !is_blank(b));
        let after = bytes[i + 1..].iter().find(|b| !is_blank(b));
        if before.is_some_and(|b| *b != b'\n') && after.is_some_and(|b| *b != b'\n') {
            out[i] = b' ';
        }
    }
    String::from_utf8(out).expect("replacing an ASCII byte with another keeps UTF-8 valid")
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let trimmed = sentence.trim_end();
    let Some(without_dot) = trimmed.strip_suffix('.') else {
        return false;
    };
    let last_word = without_dot
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    ABBREVIATIONS.contains(&last_word.as_str())
}

fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut previous_blank = false;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank && !previous_blank && offset > start {
            ranges.push(start..offset);
        }
        if !blank && previous_blank {
            start = offset;
        }
        previous_blank = blank;
        offset += line.len();
    }
    if !previous_blank {
        ranges.push(start..text.len());
    }
    ranges
}

fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(text: &str, unit: Unit) -> Vec<&str> {
        split(text, unit).into_iter().map(|r| &text[r]).collect()
    }

    /// Every char whose property the `match` claims to know splits as unicode-segmentation
    /// splits it, in contexts where each property splits differently: a newer version of
    /// that crate's tables giving one of them another would fail here.
    #[test]
    fn every_known_char_splits_as_unicode_segmentation_splits_it() {
        let contexts = [
            "{c}",
            "a{c}b",
            "a. {c}b",
            "a. {c}B",
            "a.{c}b",
            "a.{c}B",
            "a.{c}1",
            "a!{c} B",
            "a! {c}b",
            "x{c}. Y",
            "x.{c}. Y",
            "a. ({c}) b",
            "a.) {c} B",
            "Ab.{c}C",
            "{c}{c}. x",
            "a.{c}\nB",
            "a?{c}\r\nB",
            "a. {c}, b",
            "1.{c}2",
            "A.{c}",
        ];
        let known = ('\0'..='\u{ff}').chain('\u{2010}'..='\u{2027}');
        let mut checked = 0;
        for c in known.filter(|&c| SentenceBreak::of(c).is_some()) {
            for context in contexts {
                let text = context.replace("{c}", &c.to_string());
                let ours = known_sentence_bounds(&text).expect("every char known");
                assert_eq!(ours, unicode_sentence_bounds(&text), "{text:?}");
                checked += 1;
            }
        }
        assert!(checked > 5000, "{checked}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Texts split into the sentences `unicode_segmentation` finds wherever every char's
        /// property is known: any ASCII or Latin-1, and texts made of the pieces the rules
        /// turn on (terms, closing marks and curly quotes, spaces, paragraph ends, letters
        /// of either case, digits, continuing punctuation and dashes); and a char of another
        /// property (a soft hyphen, a line separator, a letter of another script) is left
        /// to `unicode_segmentation`.
        #[test]
        fn sentences_are_the_ones_unicode_segmentation_finds(
            any in "[\\x00-\\xff]{0,40}",
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("."), Just("!"), Just("?"), Just("\""), Just("'"), Just(")"),
                    Just("("), Just("]"), Just(" "), Just("\t"), Just("\n"), Just("\r"),
                    Just("\r\n"), Just(","), Just(";"), Just(":"), Just("-"), Just("a"),
                    Just("Mr"), Just("e.g"), Just("B"), Just("1"), Just("#"), Just("the"),
                    Just("\u{2019}"), Just("\u{201c}"), Just("\u{201d}"), Just("\u{2014}"),
                    Just("\u{2026}"), Just("\u{a0}"), Just("\u{e9}"), Just("\u{c9}"),
                    Just("\u{ab}"), Just("\u{2024}"), Just("\u{ad}"), Just("\u{2028}"),
                    Just("\u{3b1}"),
                ],
                0..30,
            ),
        ) {
            let made = pieces.concat();
            for text in [any.as_str(), made.as_str()] {
                let unknown = text.chars().any(|c| SentenceBreak::of(c).is_none());
                match known_sentence_bounds(text) {
                    Some(ours) => prop_assert_eq!(ours, unicode_sentence_bounds(text), "{:?}", text),
                    None => prop_assert!(unknown, "{:?} left to unicode_segmentation", text),
                }
                prop_assert_eq!(unknown, text.contains(['\u{85}', '\u{ad}', '\u{2028}', '\u{3b1}']));
            }
        }
    }

    proptest! {
        /// Segments gathered on every core come in the order of their documents, each
        /// document's in its order, empty documents anywhere (the lists long enough for the
        /// work to be split among tasks).
        #[test]
        fn gathered_segments_are_the_documents_lists_one_after_another(
            lengths in proptest::collection::vec(prop_oneof![Just(0usize), 0usize..3000], 0..40),
        ) {
            let per_document: Vec<Vec<Segment>> = lengths
                .iter()
                .enumerate()
                .map(|(d, &n)| (0..n).map(|t| Segment::new(d, t, t..t + 1, t..t + 1, t)).collect())
                .collect();
            prop_assert_eq!(gathered(&per_document), per_document.concat());
        }
    }

    proptest! {
        /// A segment's number is one more than the segments of its document before it in
        /// its run, whatever the runs.
        #[test]
        fn numbers_in_documents_count_each_run_from_one(
            documents in proptest::collection::vec(0usize..4, 0..40),
        ) {
            let segments: Vec<Segment> =
                documents.iter().map(|&d| Segment::new(d, 0, 0..0, 0..0, 1)).collect();
            let numbers = NumbersInDocuments::new(&segments);
            let (mut expected, mut counted) = (0, Vec::new());
            let mut run = 0;
            for n in 0..segments.len() {
                let same = n > 0 && documents[n] == documents[n - 1];
                expected = if same { expected + 1 } else { 1 };
                prop_assert_eq!(numbers.of(n), expected, "segment {}", n);
                prop_assert_eq!(numbers.of_from(n, &mut run), expected, "segment {} in order", n);
                counted.push(expected);
            }
            // asked backwards, the run found before is never the one
            for n in (0..segments.len()).rev() {
                prop_assert_eq!(numbers.of_from(n, &mut run), counted[n], "segment {} backwards", n);
            }
        }

        /// Documents' segment counts (some empty) and segments asked for in any order: each
        /// is found in the document that holds it, whichever run was found before.
        #[test]
        fn a_segments_document_is_found_from_the_documents_first_segments(
            lengths in proptest::collection::vec(0u32..4, 1..12),
            asked in proptest::collection::vec(0u32..1000, 1..40),
        ) {
            let mut of_segment = Vec::new();
            for (d, &length) in lengths.iter().enumerate() {
                of_segment.extend(std::iter::repeat_n(d, length as usize));
            }
            prop_assume!(!of_segment.is_empty());
            let segments: Vec<Segment> =
                of_segment.iter().map(|&d| Segment::new(d, 0, 0..0, 0..0, 1)).collect();
            let numbers = NumbersInDocuments::new(&segments);
            let mut run = 0;
            let asked: Vec<usize> = asked.iter().map(|&n| n as usize % of_segment.len()).collect();
            for &n in &asked {
                prop_assert_eq!(numbers.document_of(n, &mut run), of_segment[n], "segment {}", n);
            }
            let mut ascending = asked.clone();
            ascending.sort_unstable();
            for n in ascending {
                prop_assert_eq!(numbers.document_of(n, &mut run), of_segment[n], "segment {}", n);
            }
        }
    }

    #[test]
    fn sentences_survive_titles_and_latin_abbreviations() {
        let text =
            "I saw Mr. Jones today. He said, e.g. the targets matter. Then Dr. Khan came. OK!";
        assert_eq!(
            texts(text, Unit::Sentence),
            [
                "I saw Mr. Jones today.",
                "He said, e.g. the targets matter.",
                "Then Dr. Khan came.",
                "OK!"
            ]
        );
    }

    #[test]
    fn sentences_continue_across_wrapped_lines_but_not_blank_lines() {
        let text = "Like, Mr. Jones\nset some targets. Yes\n\nNew paragraph";
        assert_eq!(
            texts(text, Unit::Sentence),
            ["Like, Mr. Jones\nset some targets.", "Yes", "New paragraph"]
        );
    }

    #[test]
    fn sentence_ending_in_no_is_still_a_sentence() {
        assert_eq!(texts("No. I think so.", Unit::Sentence), ["No.", "I think so."]);
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let text = "one\nstill one\n\n  \ntwo\n\nthree";
        assert_eq!(texts(text, Unit::Paragraph), ["one\nstill one", "two", "three"]);
    }

    #[test]
    fn turn_unit_is_the_trimmed_turn() {
        assert_eq!(texts("  all of it. Yes.\n", Unit::Turn), ["all of it. Yes."]);
    }

    /// Char ranges count chars, in ASCII documents (where they are the byte offsets) and
    /// in others.
    #[test]
    fn char_ranges_count_chars_whatever_the_text() {
        let corpus = crate::corpus::of_lines(&[
            "Plain words. More of them.\nA second turn.",
            "Caf\u{e9} \u{2019}quotes\u{2019}. Na\u{ef}ve.\nEnd \u{e9}.",
        ]);
        for unit in Unit::ALL {
            let segments = segment(&corpus, unit);
            assert!(segments.len() >= 4, "{unit:?}");
            for segment in segments {
                let text = corpus.documents[segment.document_index()].text();
                let chars = |byte: usize| text[..byte].chars().count();
                assert_eq!(
                    segment.chars(),
                    chars(segment.bytes().start)..chars(segment.bytes().end)
                );
            }
        }
    }

    proptest! {
        /// A segment's speaker is its turn's, and the turn found by halving from its bytes
        /// ([`Document::turn_holding`]) is the turn it was cut from, with empty turns and
        /// speakers taking turns in any order; letting the turns go leaves each segment's
        /// speaker and text as they were.
        #[test]
        fn a_segments_speaker_and_turn_are_those_it_was_cut_from(
            texts in proptest::collection::vec("[a-z .!?\n]{0,120}", 1..4),
            speakers in proptest::collection::vec(0u32..2, 40),
            unit in 0usize..3,
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let mut corpus = crate::corpus::of_lines(&texts);
            let other = Speaker { label: "I".into(), role: Role::Anonymous, participant: None };
            for document in &mut corpus.documents {
                document.speakers.push(std::sync::Arc::new(other.clone()));
                let turns: Vec<crate::corpus::Turn> = document.turns.iter().zip(speakers.iter().cycle())
                    .map(|(turn, &speaker)| crate::corpus::Turn::new(speaker, turn.text()))
                    .collect();
                document.turns = turns;
            }
            let segments = segment(&corpus, Unit::ALL[unit]);
            // looked for near the turn found for the segment before, in this document or
            // another, in order and backwards
            let (mut near, mut near_backwards) = (0, 0);
            for (segment, backwards) in segments.iter().zip(segments.iter().rev()) {
                let document = backwards.document(&corpus);
                let found = document.turn_holding_from(backwards.bytes(), &mut near_backwards);
                prop_assert_eq!(found, document.turn_holding(backwards.bytes()));
                let document = segment.document(&corpus);
                let cut_from = document.turns.iter()
                    .filter(|t| t.text().start <= segment.bytes().start && segment.bytes().end <= t.text().end)
                    .find(|t| !t.text().is_empty())
                    .expect("a turn holds it");
                prop_assert_eq!(document.turn_holding(segment.bytes()), Some(cut_from));
                prop_assert_eq!(document.turn_holding_from(segment.bytes(), &mut near), Some(cut_from));
                prop_assert_eq!(segment.speaker_number(), cut_from.speaker_number());
                prop_assert_eq!(&segment.speaker(&corpus).label, &document.speaker_of(cut_from).label);
            }
            let before: Vec<(std::sync::Arc<str>, String)> = segments.iter()
                .map(|s| (s.speaker(&corpus).label.clone(), s.text(&corpus).to_owned()))
                .collect();
            corpus.let_turns_go();
            let after: Vec<(std::sync::Arc<str>, String)> = segments.iter()
                .map(|s| (s.speaker(&corpus).label.clone(), s.text(&corpus).to_owned()))
                .collect();
            prop_assert_eq!(after, before);
        }

        #[test]
        fn segments_tile_the_turn(text in "[a-zA-Z .!?,\n\u{e9}\u{2019}]{0,200}", unit in 0usize..3) {
            let unit = Unit::ALL[unit];
            let ranges = split(&text, unit);
            let mut rebuilt = String::new();
            let mut previous_end = 0;
            for range in &ranges {
                prop_assert!(range.start >= previous_end);
                let separator = &text[previous_end..range.start];
                prop_assert!(separator.trim().is_empty(), "text lost: {separator:?}");
                let segment = &text[range.clone()];
                prop_assert!(!segment.is_empty() && segment.trim() == segment);
                rebuilt.push_str(separator);
                rebuilt.push_str(segment);
                previous_end = range.end;
            }
            prop_assert!(text[previous_end..].trim().is_empty());
            rebuilt.push_str(&text[previous_end..]);
            prop_assert_eq!(rebuilt, text);
        }
    }
}
