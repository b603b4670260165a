//! The rule language shared by `qualkit search` and codebook rules.
//!
//! A [`Rule`] is parsed ([`parse`]), then analysed with the study's one [`Analyzer`] so its
//! words become stems exactly as the index's are. Matching happens in two steps:
//! [`Rule::candidates`] turns the rule into a tantivy query that finds every segment that
//! *could* match (words present), and [`Rule::find`] decides on each candidate's words
//! exactly — word order and gaps for phrases, distances for NEAR, NOT — returning the
//! matched words as evidence. Exact semantics therefore never depend on tantivy's phrase
//! scorer (whose slop ignores order).

mod parse;

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;

pub use parse::{Expr, parse};

use crate::error::{Error, Result};
use crate::index::{Analyzer, SegmentIndex, Word, WordBreaks, form_head};

/// Bump when what a rule matches or its evidence changes (grammar, analysis, evaluation):
/// the rule matches cached beside the index (`coding::matches`) record the format they were
/// found with, and those of another format are ignored.
pub const MATCH_FORMAT: u32 = 2;

/// A stretch of matched words: the words that matched (gap words excluded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// Indexes into the segment's words of the matched words, ascending (not
    /// [`Word::position`], which also counts transcription marks). Held inline up to three
    /// words: a rule of common words matches hundreds of stretches in a long turn, and an
    /// allocation each was a fifth of matching.
    pub words: SpanWords,
}

/// The words of a [`Span`].
pub type SpanWords = smallvec::SmallVec<[usize; 3]>;

impl Span {
    fn first(&self) -> usize {
        self.words[0]
    }

    fn last(&self) -> usize {
        self.words[self.words.len() - 1]
    }
}

/// An analysed rule, ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// Words in order with at most `slop` extra words in total between them.
    Sequence {
        items: Vec<Item>,
        slop: usize,
    },
    Exact(Form),
    Prefix(Form),
    Near {
        left: Box<Node>,
        right: Box<Node>,
        distance: usize,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// One word of a sequence: matched by stem, exact form, or as a prefix of the exact form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Stem(Form),
    Exact(Form),
    Prefix(Form),
}

impl Item {
    fn matches(&self, word: &Word) -> bool {
        match self {
            Item::Stem(stem) => stem.is(&word.stem, word.stem_head),
            Item::Exact(form) => form.is(&word.exact, word.exact_head),
            Item::Prefix(prefix) => prefix.begins(&word.exact, word.exact_head),
        }
    }
}

/// A condition on one word: see [`Rule::triggers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trigger<'r> {
    /// The word's exact form is this.
    Exact(&'r str),
    /// The word's exact form starts with this.
    Prefix(&'r str),
    /// The word's stem is this.
    Stem(&'r str),
}

impl Item {
    fn trigger(&self) -> Trigger<'_> {
        match self {
            Item::Stem(stem) => Trigger::Stem(&stem.text),
            Item::Exact(form) => Trigger::Exact(&form.text),
            Item::Prefix(prefix) => Trigger::Prefix(&prefix.text),
        }
    }
}

/// A word form of a rule, with its [`form_head`]: a rule checks every word of each segment it
/// may match, and comparing the heads that words carry reads no further than the words
/// (comparing forms read each word's form, and called `memcmp` for those of the length
/// and first letter asked for: most of checking a codebook of common words).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Form {
    text: String,
    head: u64,
}

impl Form {
    fn new(text: String) -> Form {
        Form { head: form_head(&text), text }
    }

    /// Whether `form`, whose head is `form_head`, is this form.
    #[inline]
    fn is(&self, form: &str, form_head: u64) -> bool {
        form_head == self.head
            && form.len() == self.text.len()
            && (form.len() <= 8 || form.as_bytes()[8..] == self.text.as_bytes()[8..])
    }

    /// Whether `form`, whose head is `form_head`, starts with this form.
    #[inline]
    fn begins(&self, form: &str, form_head: u64) -> bool {
        let n = self.text.len();
        // the bytes of the head this form fills (none for an empty form)
        let filled = if n >= 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        form_head & filled == self.head
            && form.len() >= n
            && (n <= 8 || form.as_bytes()[8..n] == self.text.as_bytes()[8..])
    }
}

/// A parsed and analysed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    text: String,
    node: Node,
}

impl Rule {
    /// Parse `text` and analyse its words with `analyzer`.
    ///
    /// # Errors
    /// [`Error::Query`] for syntax errors and for words that analyse to nothing.
    pub fn compile(text: &str, analyzer: &Analyzer) -> Result<Rule> {
        let expr = parse(text)?;
        Ok(Rule { text: text.to_owned(), node: analyse(&expr, analyzer)? })
    }

    /// The rule as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether two rules match exactly the same words (same analysed form, however written).
    pub fn same_as(&self, other: &Rule) -> bool {
        self.node == other.node
    }

    /// A key equal for two rules exactly when [`Rule::same_as`] holds, for finding
    /// duplicates among many rules without comparing every pair.
    pub fn same_key(&self) -> String {
        format!("{:?}", self.node)
    }

    /// Whether the rule contradicts itself (`x AND NOT x`) and so can never match.
    pub fn never_matches(&self) -> bool {
        contradictory(&self.node)
    }

    /// A tantivy query returning a superset of the matching segments; `None` means every
    /// segment is a candidate (rules made only of NOT).
    ///
    /// # Errors
    /// tantivy fails to read the index's words.
    pub fn candidates(&self, index: &SegmentIndex) -> Result<Option<Box<dyn Query>>> {
        candidates(&self.node, index)
    }

    /// The evidence if the rule matches a segment's `words`: the matched spans in order
    /// (empty for a purely negative rule), or `None` when it does not match.
    pub fn find(&self, words: &[Word]) -> Option<Vec<Span>> {
        let mut evidence = Vec::new();
        self.find_into(words, &mut evidence).then_some(evidence)
    }

    /// [`Rule::find`] into `evidence` (cleared first), a list reused from segment to
    /// segment: whether the rule matches. Checking a study's candidates made a list (or
    /// several) per candidate (segment, rule) pair, millions of them.
    pub fn find_into(&self, words: &[Word], evidence: &mut Vec<Span>) -> bool {
        evidence.clear();
        if !evaluate(&self.node, words, evidence) {
            return false;
        }
        evidence.sort();
        evidence.dedup();
        true
    }

    /// Whether the rule is one stretch of several words in order (a phrase, or words within
    /// a slop), which [`Rule::find_near_into`] can look for near the words proposing it.
    pub fn is_stretch(&self) -> bool {
        matches!(&self.node, Node::Sequence { items, .. } if items.len() > 1)
    }

    /// [`Rule::find_into`] for a rule that [`Rule::is_stretch`], looking for its stretches
    /// only near `anchors`: ascending numbers of words among which are all the words meeting
    /// the rule's [`Rule::triggers`]. Every stretch holds such a word, so it starts at most
    /// the stretch's length and slop before one; a phrase proposed by its rarest word in a
    /// segment of a hundred words is looked for at a few starts, not at every word.
    pub fn find_near_into(
        &self,
        words: &[Word],
        anchors: &[usize],
        evidence: &mut Vec<Span>,
    ) -> bool {
        let Node::Sequence { items, slop } = &self.node else {
            return self.find_into(words, evidence);
        };
        debug_assert!(anchors.is_sorted(), "anchors ascending");
        evidence.clear();
        // a stretch's words rise by a position each at least, so the word meeting item k
        // lies k to k + slop words after the start, and k < items.len()
        let reach = (items.len() - 1).saturating_add(*slop);
        let mut next_start = 0;
        let starts = anchors.iter().flat_map(|&anchor| {
            let starts = anchor.saturating_sub(reach).max(next_start)..(anchor + 1).max(next_start);
            next_start = starts.end;
            starts
        });
        sequences(items, *slop, words, starts, evidence);
        // already in order and each once, as find_into's are once sorted
        !evidence.is_empty()
    }

    /// Conditions on single words one of which some word of every segment the rule matches
    /// meets (`None`: a segment may match with no such word, as `NOT x` alone does), with
    /// their total `weight`. Where any of several sets would do (the words of a phrase, the
    /// parts of an AND or a NEAR), the lightest is taken: weighed by how many segments hold
    /// such a word, a phrase is proposed by its rarest word. Coding that splits every
    /// segment into words anyway finds each segment's rules this way, a word form's rules
    /// worked out once, where the index proposed each rule's candidates.
    pub fn triggers<'r>(
        &'r self,
        weight: &mut dyn FnMut(Trigger<'r>) -> u64,
    ) -> Option<(Vec<Trigger<'r>>, u64)> {
        lightest_triggers(&self.node, weight)
    }

    /// Whether the rule's matches are exactly the words meeting its [`Rule::triggers`] (whichever are
    /// taken), each
    /// a stretch of its own: a word, a stem, a prefix, or alternatives of them (most rules
    /// of a codebook). Its evidence then needs no evaluation, only the words' triggers.
    pub fn is_single_words(&self) -> bool {
        single_words(&self.node)
    }

    /// The segment numbers that could match among those the index holds (every segment for
    /// rules made only of NOT), ascending.
    ///
    /// # Errors
    /// tantivy fails while searching.
    pub fn candidate_segments(&self, index: &SegmentIndex) -> Result<Vec<usize>> {
        match self.candidates(index)? {
            Some(query) => index.matching_segments(query.as_ref()),
            None => Ok((0..index.segment_count()).collect()),
        }
    }
}

/// Sort ranges and join those that overlap, so one stretch of text counts once (hits in
/// search, evidence in codings).
pub fn merge_overlapping(mut ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    merge_overlapping_in_place(&mut ranges);
    ranges
}

/// [`merge_overlapping`] in place, for a buffer that is reused.
pub fn merge_overlapping_in_place<T: Ord + Copy>(ranges: &mut Vec<std::ops::Range<T>>) {
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    // a range that starts inside the one kept before it extends that one
    ranges.dedup_by(|range, kept| {
        let overlaps = range.start < kept.end;
        if overlaps {
            kept.end = kept.end.max(range.end);
        }
        overlaps
    });
}

fn analyse(expr: &Expr, analyzer: &Analyzer) -> Result<Node> {
    let no_word = |text: &str, column| Error::Query {
        column,
        message: format!("`{text}` contains no word to match"),
    };
    Ok(match expr {
        Expr::Term { text, column } => {
            let items: Vec<Item> = analyzer
                .words(text)
                .into_iter()
                .map(|w| Item::Stem(Form::new(w.stem.to_string())))
                .collect();
            if items.is_empty() {
                return Err(no_word(text, *column));
            }
            Node::Sequence { items, slop: 0 }
        }
        Expr::Phrase { text, slop, exact, prefix, column } => {
            let (text, apostrophe) =
                if *prefix { split_apostrophe(text) } else { (text.as_str(), false) };
            refuse_apostrophe_prefix(apostrophe, text, *column, analyzer)?;
            let words = analyzer.words(text);
            let last = words.len().saturating_sub(1);
            let items: Vec<Item> = words
                .into_iter()
                .enumerate()
                .map(|(i, w)| match (*prefix && i == last, *exact) {
                    (true, _) if apostrophe => Item::Prefix(Form::new(format!("{}'", w.exact))),
                    (true, _) => Item::Prefix(Form::new(w.exact.to_string())),
                    (false, true) => Item::Exact(Form::new(w.exact.to_string())),
                    (false, false) => Item::Stem(Form::new(w.stem.to_string())),
                })
                .collect();
            if items.is_empty() {
                return Err(no_word(text, *column));
            }
            Node::Sequence { items, slop: *slop }
        }
        Expr::Exact { text, column } => {
            Node::Exact(Form::new(single_word(text, *column, analyzer, "=")?))
        }
        Expr::Prefix { text, column } => {
            // `mum'*`: a word followed by an apostrophe (mum's, mum'll) is a prefix too
            let (word, apostrophe) = split_apostrophe(text);
            refuse_apostrophe_prefix(apostrophe, word, *column, analyzer)?;
            let prefix = single_word(word, *column, analyzer, "*")?;
            Node::Prefix(Form::new(if apostrophe { format!("{prefix}'") } else { prefix }))
        }
        Expr::Near { left, right, distance, .. } => Node::Near {
            left: Box::new(analyse(left, analyzer)?),
            right: Box::new(analyse(right, analyzer)?),
            distance: *distance,
        },
        Expr::And(items) => {
            Node::And(items.iter().map(|e| analyse(e, analyzer)).collect::<Result<_>>()?)
        }
        Expr::Or(items) => {
            Node::Or(items.iter().map(|e| analyse(e, analyzer)).collect::<Result<_>>()?)
        }
        Expr::Not(inner) => Node::Not(Box::new(analyse(inner, analyzer)?)),
    })
}

/// A prefix's text without a final apostrophe (straight or curly), and whether it had one.
fn split_apostrophe(text: &str) -> (&str, bool) {
    match text.strip_suffix(['\'', '\u{2019}']) {
        Some(word) => (word, true),
        None => (text, false),
    }
}

/// `mum'*` where words are runs of letters and digits: an apostrophe ends a word there, so
/// no word starts with `mum'`, and a rule that could never match is refused rather than kept.
fn refuse_apostrophe_prefix(
    apostrophe: bool,
    word: &str,
    column: usize,
    analyzer: &Analyzer,
) -> Result<()> {
    if apostrophe && analyzer.reading().words == WordBreaks::Alphanumeric {
        return Err(Error::Query {
            column,
            message: format!(
                "`{word}'*` matches nothing where words are runs of letters and digits \
                 ([coding] words = \"alphanumeric\"): an apostrophe ends a word; \
                 write `{word}*` or a phrase of the words either side"
            ),
        });
    }
    Ok(())
}

/// The exact form of a word that must analyse to exactly one whole word. The text is split
/// as written, as text is: lower-casing can change where words break (`İ` is `i` and a
/// combining dot, which is no letter). A word that is one only once normalised is taken too,
/// as it was before (a Hebrew letter keeps a straight apostrophe after it, not a curly one).
fn single_word(text: &str, column: usize, analyzer: &Analyzer, operator: &str) -> Result<String> {
    let whole = |text: &str| match analyzer.words(text).as_slice() {
        [word] if word.start == 0 && word.end == text.len() => Some(word.exact.to_string()),
        _ => None,
    };
    match whole(text).or_else(|| whole(&analyzer.normalise(text))) {
        Some(exact) => Ok(exact),
        _ => Err(Error::Query {
            column,
            message: format!("`{operator}` applies to one whole word; `{text}` is not one word"),
        }),
    }
}

fn contradictory(node: &Node) -> bool {
    match node {
        Node::And(items) => {
            items.iter().any(contradictory)
                || items.iter().any(|i| matches!(i, Node::Not(inner) if items.contains(inner)))
        }
        Node::Or(items) => items.iter().all(contradictory),
        Node::Near { left, right, .. } => contradictory(left) || contradictory(right),
        _ => false,
    }
}

/// Forms looked up as alternatives rather than as a set (see [`candidates`]).
const FEW_FORMS: usize = 16;

fn candidates(node: &Node, index: &SegmentIndex) -> Result<Option<Box<dyn Query>>> {
    let fields = index.fields();
    let term = |text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(fields.exact, text),
            IndexRecordOption::Basic,
        ))
    };
    // only exact forms are indexed: a stem, or a prefix, is any of its forms; a stem's few
    // forms are alternatives, since a set query builds an automaton of its terms first (a
    // tenth of coding a codebook of stems)
    let any_of = |forms: &[String]| -> Box<dyn Query> {
        match forms {
            [] => Box::new(EmptyQuery),
            [form] => term(form),
            _ if forms.len() <= FEW_FORMS => Box::new(BooleanQuery::new(
                forms.iter().map(|form| (Occur::Should, term(form))).collect(),
            )),
            _ => Box::new(TermSetQuery::new(
                forms.iter().map(|form| Term::from_field_text(fields.exact, form)),
            )),
        }
    };
    let stem = |stem: &str| -> Result<Box<dyn Query>> { Ok(any_of(index.forms_with_stem(stem)?)) };
    // a prefix's forms are a run of the sorted terms: read as the range from its first form
    // to its last, not as a set, which builds an automaton of its terms for every rule (a
    // tenth of coding a codebook of prefixes, its candidates found afresh)
    let prefix = |prefix: &str| -> Result<Box<dyn Query>> {
        Ok(match index.forms_with_prefix(prefix)? {
            [first, .., last] => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_text(fields.exact, first)),
                Bound::Included(Term::from_field_text(fields.exact, last)),
            )),
            forms => any_of(forms),
        })
    };
    let all_of = |queries: Vec<Box<dyn Query>>| -> Option<Box<dyn Query>> {
        match queries.len() {
            0 => None,
            1 => queries.into_iter().next(),
            _ => Some(Box::new(BooleanQuery::new(
                queries.into_iter().map(|q| (Occur::Must, q)).collect(),
            ))),
        }
    };
    let each = |nodes: &[&Node]| -> Result<Vec<Box<dyn Query>>> {
        Ok(nodes
            .iter()
            .map(|n| candidates(n, index))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect())
    };
    Ok(match node {
        Node::Sequence { items, .. } => {
            let unique: BTreeSet<&Item> = items.iter().collect();
            let queries = unique
                .into_iter()
                .map(|item| match item {
                    Item::Stem(word) => stem(&word.text),
                    Item::Exact(form) => Ok(term(&form.text)),
                    Item::Prefix(form) => prefix(&form.text),
                })
                .collect::<Result<Vec<_>>>()?;
            all_of(queries)
        }
        Node::Exact(word) => Some(term(&word.text)),
        Node::Prefix(form) => Some(prefix(&form.text)?),
        Node::Near { left, right, .. } => all_of(each(&[left, right])?),
        Node::And(items) => all_of(each(&items.iter().collect::<Vec<_>>())?),
        Node::Or(items) => {
            let mut queries = Vec::new();
            for item in items {
                // a branch without candidates (NOT) could match anything
                let Some(query) = candidates(item, index)? else { return Ok(None) };
                queries.push((Occur::Should, query));
            }
            Some(Box::new(BooleanQuery::new(queries)))
        }
        Node::Not(_) => None,
    })
}

/// The lightest triggers of `node` and their weight (see [`Rule::triggers`]).
fn lightest_triggers<'r>(
    node: &'r Node,
    weight: &mut dyn FnMut(Trigger<'r>) -> u64,
) -> Option<(Vec<Trigger<'r>>, u64)> {
    let one = |trigger: Trigger<'r>, weight: &mut dyn FnMut(Trigger<'r>) -> u64| {
        let w = weight(trigger);
        (vec![trigger], w)
    };
    let lightest = |choices: Vec<Option<(Vec<Trigger<'r>>, u64)>>| {
        // the first of equal weights
        choices.into_iter().flatten().reduce(|a, b| if b.1 < a.1 { b } else { a })
    };
    match node {
        Node::Exact(form) => Some(one(Trigger::Exact(&form.text), weight)),
        Node::Prefix(prefix) => Some(one(Trigger::Prefix(&prefix.text), weight)),
        // every stretch holds a word each item matches
        Node::Sequence { items, .. } => {
            lightest(items.iter().map(|item| Some(one(item.trigger(), weight))).collect())
        }
        // a stretch of each side's where it matches
        Node::Near { left, right, .. } => {
            lightest(vec![lightest_triggers(left, weight), lightest_triggers(right, weight)])
        }
        // every item matches where the whole does
        Node::And(items) => {
            lightest(items.iter().map(|item| lightest_triggers(item, weight)).collect())
        }
        Node::Or(items) => {
            let mut all = (Vec::new(), 0u64);
            for item in items {
                let (triggers, w) = lightest_triggers(item, weight)?;
                all.0.extend(triggers);
                all.1 = all.1.saturating_add(w);
            }
            Some(all)
        }
        Node::Not(_) => None,
    }
}

/// Whether `node`'s stretches are the single words meeting its triggers (see
/// [`Rule::is_single_words`]).
fn single_words(node: &Node) -> bool {
    match node {
        Node::Exact(_) | Node::Prefix(_) => true,
        Node::Sequence { items, .. } => items.len() == 1,
        Node::Or(items) => items.iter().all(single_words),
        Node::Near { .. } | Node::And(_) | Node::Not(_) => false,
    }
}

/// Whether `node` matches `words`, with its evidence added to `evidence` (nothing added
/// when it does not match).
fn evaluate(node: &Node, words: &[Word], evidence: &mut Vec<Span>) -> bool {
    let before = evidence.len();
    match node {
        Node::And(items) => {
            let all = items.iter().all(|item| evaluate(item, words, evidence));
            if !all {
                evidence.truncate(before);
            }
            all
        }
        // each alternative evaluated once: whether any matched, and the evidence of all
        Node::Or(items) => {
            items.iter().fold(false, |any, item| evaluate(item, words, evidence) | any)
        }
        Node::Not(inner) => {
            // what the inner node matched is not evidence of its absence
            let found = evaluate(inner, words, evidence);
            evidence.truncate(before);
            !found
        }
        _ => {
            spans(node, words, evidence);
            evidence.len() > before
        }
    }
}

/// Every stretch of words a span-producing node matches, added to `found`.
fn spans(node: &Node, words: &[Word], found: &mut Vec<Span>) {
    match node {
        Node::Sequence { items, slop } => sequences(items, *slop, words, 0..words.len(), found),
        Node::Exact(form) => single(words, |w| form.is(&w.exact, w.exact_head), found),
        Node::Prefix(prefix) => single(words, |w| prefix.begins(&w.exact, w.exact_head), found),
        Node::Near { left, right, distance } => {
            let (mut lefts, mut rights) = (Vec::new(), Vec::new());
            spans(left, words, &mut lefts);
            spans(right, words, &mut rights);
            for a in &lefts {
                for b in &rights {
                    // overlapping stretches are one mention, not two
                    if gap_between(words, a, b).is_some_and(|gap| gap <= *distance) {
                        let mut joined: SpanWords =
                            a.words.iter().chain(&b.words).copied().collect();
                        joined.sort_unstable();
                        found.push(Span { words: joined });
                    }
                }
            }
        }
        Node::Or(items) => items.iter().for_each(|n| spans(n, words, found)),
        Node::And(_) | Node::Not(_) => {}
    }
}

fn single(words: &[Word], test: impl Fn(&Word) -> bool, found: &mut Vec<Span>) {
    let matching = words.iter().enumerate().filter(|(_, w)| test(w));
    found.extend(matching.map(|(i, _)| Span { words: smallvec::smallvec![i] }));
}

/// Ordered occurrences of `items` with at most `slop` other words between them in total,
/// starting at `starts` (ascending word numbers, each once).
/// Taking the earliest next word at each step is optimal: it minimises every later gap.
fn sequences(
    items: &[Item],
    slop: usize,
    words: &[Word],
    starts: impl Iterator<Item = usize>,
    found: &mut Vec<Span>,
) {
    for start in starts.filter(|&i| i < words.len() && items[0].matches(&words[i])) {
        let mut positions: SpanWords = smallvec::smallvec![start];
        for item in &items[1..] {
            let previous = positions[positions.len() - 1];
            // only words close enough to keep the gap within `slop` are looked at: a long
            // turn has hundreds of starts, and scanning to its end from each was quadratic
            // saturating: any slop is accepted, up to usize::MAX ("no limit")
            let last = words[start].position.saturating_add(positions.len()).saturating_add(slop);
            let next = (previous + 1..words.len())
                .take_while(|&j| words[j].position <= last)
                .find(|&j| item.matches(&words[j]));
            match next {
                Some(next) if skipped(words, start, next, positions.len()) <= slop => {
                    positions.push(next)
                }
                _ => break,
            }
        }
        if positions.len() == items.len() {
            found.push(Span { words: positions });
        }
    }
}

/// Positions skipped between word `first` and word `next` when `taken` words of the stretch
/// (`first` included) have been matched; a transcription mark counts as a skipped word.
fn skipped(words: &[Word], first: usize, next: usize, taken: usize) -> usize {
    words[next].position - words[first].position - taken
}

/// Positions between the end of stretch `a` and the start of stretch `b` (or the reverse),
/// None if they overlap.
fn gap_between(words: &[Word], a: &Span, b: &Span) -> Option<usize> {
    if a.last() < b.first() {
        Some(words[b.first()].position - words[a.last()].position)
    } else if b.last() < a.first() {
        Some(words[a.first()].position - words[b.last()].position)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::index::Language;
    use proptest::prelude::*;

    #[test]
    fn evidence_ranges_merge_when_they_overlap() {
        let mut ranges: Vec<std::ops::Range<usize>> = vec![5..9, 0..3, 2..4, 9..12, 0..3, 6..7];
        merge_overlapping_in_place(&mut ranges);
        assert_eq!(ranges, vec![0..4, 5..9, 9..12]);
    }

    proptest! {
        /// A form compared by its head is the form compared byte by byte: equal, or the
        /// start of the other (fails if the head's fill or the bytes past eight are
        /// compared wrongly; few letters, so forms share their starts often).
        #[test]
        fn forms_compared_by_their_heads_compare_as_text(
            form in "[abé]{0,12}",
            wanted in "[abé]{0,12}",
        ) {
            let rule = Form::new(wanted.clone());
            prop_assert_eq!(rule.is(&form, form_head(&form)), form == wanted);
            prop_assert_eq!(rule.begins(&form, form_head(&form)), form.starts_with(&wanted));
        }
    }

    proptest! {
        #[test]
        fn merged_ranges_cover_exactly_the_offsets_of_the_ranges(
            ranges in prop::collection::vec((0usize..60, 0usize..8), 0..12),
        ) {
            let mut ranges: Vec<std::ops::Range<usize>> = ranges.into_iter().map(|(s, n)| s..s + n).collect();
            let covered: std::collections::BTreeSet<usize> = ranges.iter().cloned().flatten().collect();
            merge_overlapping_in_place(&mut ranges);
            let merged: std::collections::BTreeSet<usize> = ranges.iter().cloned().flatten().collect();
            prop_assert_eq!(covered, merged);
            // ascending and apart: each starts at or after the end of the one before
            prop_assert!(ranges.windows(2).all(|w| w[0].end <= w[1].start));
        }
    }

    proptest! {
        /// A stretch looked for near the words meeting one of its items (any one: the
        /// trigger taken is the lightest) is found as looking everywhere finds it, whatever
        /// the words, marks, slop and repeats (fails if the starts before an anchor stop
        /// short of the stretch's length and slop, or skip one an earlier anchor did not
        /// reach).
        #[test]
        fn stretches_found_near_their_anchors_are_those_found_everywhere(
            words in prop::collection::vec(prop::sample::select(vec![
                "my", "mentor", "mentors", "set", "targets", "the", "[laughs]", "goal",
            ]), 0..40),
            rule in prop::sample::select(vec![
                "\"my mentor\"", "=\"set targets\"~2", "\"the goal the\"~1", "\"mentor mentor\"",
                "=\"my ment*\"", "\"goal set\"~30", "\"the my mentor set\"~3",
            ]),
            item in 0usize..4,
        ) {
            let analyzer = analyzer();
            let rule = Rule::compile(rule, &analyzer).expect("valid rule");
            prop_assert!(rule.is_stretch());
            let Node::Sequence { items, .. } = &rule.node else { unreachable!("a stretch") };
            let item = &items[item % items.len()];
            let text = words.join(" ");
            let words = analyzer.words(&text);
            let anchors: Vec<usize> = (0..words.len()).filter(|&i| item.matches(&words[i])).collect();
            let (mut everywhere, mut near) = (Vec::new(), Vec::new());
            let found = rule.find_into(&words, &mut everywhere);
            prop_assert_eq!(rule.find_near_into(&words, &anchors, &mut near), found);
            prop_assert_eq!(near, everywhere);
        }
    }

    fn analyzer() -> Analyzer {
        Analyzer::new(Language::default())
    }

    /// The matched word texts of `rule` in `text`, or None.
    fn matched(rule: &str, text: &str) -> Option<Vec<String>> {
        let analyzer = analyzer();
        let rule = Rule::compile(rule, &analyzer).expect("valid rule");
        let words = analyzer.words(text);
        rule.find(&words).map(|spans| {
            spans
                .iter()
                .map(|s| {
                    s.words
                        .iter()
                        .map(|&i| &text[words[i].start..words[i].end])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
    }

    #[test]
    fn exact_phrases_match_word_forms_and_a_final_prefix() {
        // stemmed phrase: any form; exact phrase: these forms only
        assert!(matched("\"set targets\"", "we set target").is_some());
        assert!(matched("=\"set targets\"", "we set target").is_none());
        assert_eq!(
            matched("=\"set targets\"", "We Set Targets."),
            Some(vec!["Set Targets".into()])
        );
        // a prefix on the last word, exact forms before it
        assert_eq!(matched("=\"a level*\"", "doing A-Levels next"), Some(vec!["A Levels".into()]));
        assert!(matched("=\"a level*\"", "an levels").is_none());
        assert_eq!(
            matched("\"target grade*\"", "targeted grades"),
            Some(vec!["targeted grades".into()])
        );
        // an apostrophe before the `*`: the word and its clitics, not longer words
        assert_eq!(matched("mum'*", "my mum's car, mummy"), Some(vec!["mum's".into()]));
        assert_eq!(matched("=\"my mum'*\"", "My mum’ll know"), Some(vec!["My mum’ll".into()]));
    }

    /// As [`matched`], with words as runs of letters and digits (`[coding] words =
    /// "alphanumeric"`).
    fn matched_alphanumeric(rule: &str, text: &str) -> Option<Vec<String>> {
        let reading =
            crate::index::Reading { words: WordBreaks::Alphanumeric, ..Default::default() };
        let analyzer = analyzer().with_reading(reading);
        let rule = Rule::compile(rule, &analyzer).expect("valid rule");
        let words = analyzer.words(text);
        rule.find(&words).map(|spans| {
            spans
                .iter()
                .flat_map(|s| &s.words)
                .map(|&i| text[words[i].start..words[i].end].to_owned())
                .collect()
        })
    }

    #[test]
    fn alphanumeric_rules_split_as_text_splits() {
        let reading =
            crate::index::Reading { words: WordBreaks::Alphanumeric, ..Default::default() };
        let alphanumeric = analyzer().with_reading(reading);
        // `mum'*` could match no word where an apostrophe ends words: refused, with the column
        for rule in ["mum'*", "mum’*", "=\"my mum'*\""] {
            let error = Rule::compile(rule, &alphanumeric).expect_err(rule).to_string();
            assert!(error.contains("matches nothing where words are runs of letters"), "{error}");
        }
        assert!(Rule::compile("mum'*", &analyzer()).is_ok(), "UAX #29 words hold apostrophes");
        // the modifier letter apostrophe is a letter: `donʼt` is one word, kept as written
        assert_eq!(matched_alphanumeric("=donʼt", "I donʼt know"), Some(vec!["donʼt".into()]));
        assert_eq!(matched_alphanumeric("=\"don t\"", "I donʼt know"), None);
        assert_eq!(
            matched_alphanumeric("=\"don t\"", "I don't know"),
            Some(vec!["don".into(), "t".into()])
        );
        // a rule's word is split before it is lower-cased, as text is (`İ` lower-cases to `i`
        // and a combining dot, which is no letter)
        assert_eq!(matched_alphanumeric("=İstanbul", "in İstanbul"), Some(vec!["İstanbul".into()]));
        assert_eq!(matched_alphanumeric("İst*", "in İstanbul"), Some(vec!["İstanbul".into()]));
        // a word that is one only once normalised is still taken: a Hebrew letter keeps a
        // straight apostrophe after it (UAX #29 WB7a), not a curly one
        assert_eq!(matched("=גב’", "גב' שלום"), Some(vec!["גב'".into()]));
    }

    #[test]
    fn stemmed_words_match_inflections() {
        assert_eq!(
            matched("target", "We set Targets and targeting."),
            Some(vec!["Targets".into(), "targeting".into()])
        );
        assert_eq!(matched("=target", "We set targets."), None);
    }

    #[test]
    fn mentor_matches_mentoring_and_mentored_but_exact_does_not() {
        let found = matched("mentor", "My mentor was mentoring; I was mentored. Mentors!");
        assert_eq!(
            found,
            Some(vec!["mentor".into(), "mentoring".into(), "mentored".into(), "Mentors".into()])
        );
        assert_eq!(matched("=mentor", "mentoring, mentored"), None);
    }

    #[test]
    fn nested_booleans_group_as_written() {
        let rule = "(trust OR listen*) AND NOT (teacher OR \"form tutor\")";
        assert_eq!(matched(rule, "I trust her"), Some(vec!["trust".into()]));
        assert_eq!(matched(rule, "she listens, my form tutor"), None);
        assert_eq!(matched(rule, "she listens, my tutor"), Some(vec!["listens".into()]));
        assert_eq!(matched("a OR (b AND (c OR d))", "b d"), Some(vec!["b".into(), "d".into()]));
        assert_eq!(matched("a OR (b AND (c OR d))", "b"), None);
        // an alternative that does not match leaves no evidence, even where part of it did
        assert_eq!(matched("a OR (b AND (c OR d))", "a b"), Some(vec!["a".into()]));
        assert_eq!(matched("(b AND NOT a) OR c", "a b c"), Some(vec!["c".into()]));
        assert_eq!(matched("(NOT a) OR c", "a c"), Some(vec!["c".into()]));
        // evidence found into a list in use is the rule's alone
        let analyzer = analyzer();
        let words = analyzer.words("b d a");
        let mut evidence = Rule::compile("b", &analyzer).expect("valid").find(&words).expect("b");
        let rule = Rule::compile("a OR (b AND c)", &analyzer).expect("valid rule");
        assert!(rule.find_into(&words, &mut evidence));
        assert_eq!(evidence, rule.find(&words).expect("matches"));
        assert!(!Rule::compile("c", &analyzer).expect("valid").find_into(&words, &mut evidence));
    }

    #[test]
    fn prefix_matches_unstemmed_forms() {
        assert_eq!(
            matched("motivat*", "It motivates me; motivation matters"),
            Some(vec!["motivates".into(), "motivation".into()])
        );
    }

    #[test]
    fn phrase_slop_keeps_order_and_counts_total_gap() {
        assert_eq!(
            matched("\"set targets\"~2", "we set some new targets"),
            Some(vec!["set targets".into()])
        );
        assert_eq!(matched("\"set targets\"~1", "we set some new targets"), None);
        assert_eq!(matched("\"set targets\"~5", "targets were set"), None);
        assert_eq!(matched("\"set targets\"", "I set targets"), Some(vec!["set targets".into()]));
        // the largest slop the parser takes is no limit, not an overflow
        let unlimited = format!("\"set targets\"~{}", usize::MAX);
        assert_eq!(
            matched(&unlimited, "we set them, then, much later, targets"),
            Some(vec!["set targets".into()])
        );
    }

    #[test]
    fn near_matches_either_order_within_distance() {
        assert_eq!(
            matched("trust NEAR/3 mentor", "my mentor, I really trust"),
            Some(vec!["mentor trust".into()])
        );
        assert_eq!(matched("trust NEAR/2 mentor", "my mentor, I really trust"), None);
        assert_eq!(matched("mentor NEAR/5 mentor", "my mentor"), None);
    }

    #[test]
    fn boolean_operators_and_marks() {
        assert_eq!(
            matched("mentor AND NOT teacher", "my mentor helps"),
            Some(vec!["mentor".into()])
        );
        assert_eq!(matched("mentor AND NOT teacher", "my mentor and teacher"), None);
        assert_eq!(matched("NOT teacher", "hello"), Some(vec![]));
        assert_eq!(matched("inaudible", "it was [inaudible] fine"), None);
        // a mark keeps the words around it apart: unheard words may lie between
        assert_eq!(matched("\"was fine\"", "it was [inaudible] fine"), None);
        assert_eq!(
            matched("\"was fine\"~1", "it was [inaudible] fine"),
            Some(vec!["was fine".into()])
        );
        assert_eq!(matched("\"really like\"", "really. [sighs] Like"), None);
        assert_eq!(matched("was NEAR/1 fine", "it was [laughs] fine"), None);
        assert_eq!(
            matched("was NEAR/2 fine", "it was [laughs] fine"),
            Some(vec!["was fine".into()])
        );
    }

    #[test]
    fn contraction_and_hyphen_rules_match_the_text_forms() {
        assert_eq!(matched("didn't", "I didn’t go"), Some(vec!["didn’t".into()]));
        assert_eq!(
            matched("self-belief", "more self belief now"),
            Some(vec!["self belief".into()])
        );
    }

    #[test]
    fn words_that_analyse_to_nothing_are_errors() {
        let err = Rule::compile("a AND ---", &analyzer()).expect_err("no word");
        assert!(matches!(err, Error::Query { column: 7, .. }), "{err:?}");
        assert!(Rule::compile("=two words", &analyzer()).is_err());
    }

    /// Whether `word` meets `trigger`.
    fn meets(trigger: Trigger<'_>, word: &Word) -> bool {
        match trigger {
            Trigger::Exact(form) => &*word.exact == form,
            Trigger::Prefix(prefix) => word.exact.starts_with(prefix),
            Trigger::Stem(stem) => &*word.stem == stem,
        }
    }

    /// Rules of every kind, over words that share stems and starts.
    fn any_rule() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "mentor",
            "mentors",
            "=mentor",
            "ment*",
            "target",
            "=targets",
            "set",
            "the",
            "goal*",
            "\"set targets\"~1",
            "=\"my ment*\"",
            "\"the goal\"",
        ]);
        let leaf = word.prop_map(str::to_owned);
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} OR {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} AND {b})")),
                inner.clone().prop_map(|a| format!("(NOT {a})")),
                (inner.clone(), inner, 0usize..3)
                    .prop_map(|(a, b, n)| format!("({a} NEAR/{n} {b})")),
            ]
        })
    }

    proptest! {
        /// Every segment a rule matches has a word meeting one of its triggers, however
        /// they are weighed (which of a phrase's words, or an AND's parts, is taken); a rule
        /// of single words matches exactly the words meeting its triggers.
        #[test]
        fn a_rule_matches_only_where_a_word_meets_a_trigger(
            rule in any_rule(),
            words in proptest::collection::vec(prop::sample::select(vec![
                "mentor", "mentoring", "my", "target", "targets", "set", "goal", "goals", "the", "[laughs]",
            ]), 0..14),
            weights in proptest::collection::vec(0u64..4, 16),
        ) {
            let analyzer = analyzer();
            // NEAR takes only stretches of words: other rules are refused
            let compiled = Rule::compile(&rule, &analyzer);
            prop_assume!(compiled.is_ok());
            let rule = compiled.expect("valid");
            let words = analyzer.words(&words.join(" "));
            let mut next = weights.iter().cycle().copied();
            let triggers = rule.triggers(&mut |_| next.next().unwrap_or(1));
            let found = rule.find(&words);
            match &triggers {
                None => prop_assert!(!rule.is_single_words()),
                Some((triggers, _)) => {
                    if found.is_some() {
                        prop_assert!(words.iter().any(|w| triggers.iter().any(|&t| meets(t, w))));
                    }
                    if rule.is_single_words() {
                        let meeting: Vec<Span> = (0..words.len())
                            .filter(|&i| triggers.iter().any(|&t| meets(t, &words[i])))
                            .map(|i| Span { words: smallvec::smallvec![i] })
                            .collect();
                        prop_assert_eq!(found.unwrap_or_default(), meeting);
                    }
                }
            }
        }
    }

    #[test]
    fn a_phrase_is_proposed_by_its_lightest_word_and_alternatives_by_all() {
        let analyzer = analyzer();
        let weighed = |rule: &str, weights: &[(&str, u64)]| {
            let rule = Rule::compile(rule, &analyzer).expect("valid");
            let mut weight = |t: Trigger<'_>| {
                let text = match t {
                    Trigger::Exact(s) | Trigger::Prefix(s) | Trigger::Stem(s) => s,
                };
                weights.iter().find(|(w, _)| *w == text).map_or(1, |(_, n)| *n)
            };
            rule.triggers(&mut weight).map(|(t, w)| (format!("{t:?}"), w))
        };
        let common = [("the", 90), ("mentor", 5), ("goal", 7)];
        assert_eq!(weighed("\"the mentor\"", &common), Some(("[Stem(\"mentor\")]".into(), 5)));
        assert_eq!(weighed("the AND goal*", &common), Some(("[Prefix(\"goal\")]".into(), 7)));
        assert_eq!(
            weighed("=the OR mentor", &common),
            Some(("[Exact(\"the\"), Stem(\"mentor\")]".into(), 95))
        );
        assert_eq!(weighed("NOT mentor", &common), None);
        assert_eq!(weighed("mentor OR NOT goal", &common), None);
        assert_eq!(
            weighed("NOT goal AND the", &common),
            Some(("[Stem(\"the\")]".into(), 90)),
            "an AND's NOT proposes nothing; its other part does"
        );
        let single = |rule: &str| Rule::compile(rule, &analyzer).expect("valid").is_single_words();
        assert!(single("mentor") && single("=mentor OR ment* OR \"goal\""));
        assert!(!single("\"the mentor\"") && !single("mentor AND goal") && !single("NOT goal"));
    }

    proptest! {
        /// Every evidence word, analysed, is what the rule asked for.
        #[test]
        fn evidence_words_satisfy_the_rule(
            words in proptest::collection::vec(prop::sample::select(vec!["target", "targets", "set", "goal", "mentor", "the", "trust"]), 0..30),
            rule in prop::sample::select(vec!["target", "\"set targets\"~1", "goal OR ment*", "trust NEAR/2 mentor"]),
        ) {
            let text = words.join(" ");
            let analyzer = analyzer();
            let compiled = Rule::compile(rule, &analyzer).expect("valid");
            let analysed = analyzer.words(&text);
            if let Some(spans) = compiled.find(&analysed) {
                for span in spans {
                    for &i in &span.words {
                        let stem = &analysed[i].stem;
                        prop_assert!(["target", "set", "goal", "mentor", "trust"].contains(&&**stem), "{stem}");
                    }
                }
            }
        }

        /// A phrase with slop matches from exactly the words where some choice of its later
        /// words, in order, leaves at most `slop` positions between them (a transcription
        /// mark counts as one), found here by trying every choice.
        #[test]
        fn phrases_match_where_some_choice_of_words_fits_the_slop(
            words in proptest::collection::vec(prop::sample::select(vec!["set", "my", "target", "goal", "the", "[laughs]", "set"]), 0..16),
            phrase in prop::sample::select(vec![vec!["set", "target"], vec!["set", "my", "target"], vec!["target", "target"], vec!["the", "set", "goal"]]),
            slop in 0usize..4,
        ) {
            let text = words.join(" ");
            let analyzer = analyzer();
            let rule = format!("\"{}\"~{slop}", phrase.join(" "));
            let compiled = Rule::compile(&rule, &analyzer).expect("valid");
            let analysed = analyzer.words(&text);
            let stems: Vec<String> = phrase.iter().map(|w| analyzer.words(w)[0].stem.to_string()).collect();
            // every increasing choice of word indexes after `chosen`, item by item
            fn fits(analysed: &[Word], stems: &[String], chosen: &mut Vec<usize>, slop: usize) -> bool {
                if chosen.len() == stems.len() {
                    let span = analysed[chosen[chosen.len() - 1]].position - analysed[chosen[0]].position;
                    return span + 1 - chosen.len() <= slop;
                }
                let from = chosen[chosen.len() - 1] + 1;
                (from..analysed.len()).any(|i| {
                    if *analysed[i].stem != *stems[chosen.len()] {
                        return false;
                    }
                    chosen.push(i);
                    let found = fits(analysed, stems, chosen, slop);
                    chosen.pop();
                    found
                })
            }
            let expected: Vec<usize> = (0..analysed.len())
                .filter(|&start| *analysed[start].stem == *stems[0])
                .filter(|&start| fits(&analysed, &stems, &mut vec![start], slop))
                .collect();
            let found: Vec<usize> = compiled
                .find(&analysed)
                .unwrap_or_default()
                .iter()
                .map(|span| span.words[0])
                .collect();
            prop_assert_eq!(found, expected, "{} in {:?}", rule, text);
        }
    }
}
