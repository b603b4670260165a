//! `codebook check`: run each code's examples and counterexamples, lint, and (with a study)
//! show what the codebook codes and misses.
//!
//! An example must be coded by its code (its own rules or a descendant's); a counterexample
//! must not be. Both are analysed by the same [`Analyzer`] and rules as the study, so a
//! passing check means the rules behave on real text as the examples say. Lints are
//! warnings: a code without a description, a rule that can never match, a rule that
//! duplicates a sibling's, a child whose rules its parent already has.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::codebook::CodeRule;
use crate::coding::{Evidence, MatchCache, MatchWindow, Matched};
use crate::corpus::Corpus;
use crate::error::Result;
use crate::index::{Analyzer, Language, SegmentIndex, Word};
use crate::segment::Segment;
use crate::study::SpeakerFilter;

use super::{Code, Codebook};

/// The outcome for one code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeReport {
    /// Code id.
    pub id: String,
    /// Examples and counterexamples that failed (the check fails).
    pub failures: Vec<String>,
    /// Lint findings (the check still passes).
    pub warnings: Vec<String>,
    /// Number of examples and counterexamples run.
    pub tests: usize,
}

/// Whether `code` (own rules or any descendant's) matches `words`.
pub fn code_matches(codebook: &Codebook, code: &Code, words: &[Word]) -> bool {
    std::iter::once(code.id.as_str())
        .chain(codebook.descendants(&code.id))
        .filter_map(|id| codebook.code(id))
        .flat_map(|c| &c.rules)
        .any(|r| r.rule.find(words).is_some())
}

/// Run every code's examples and counterexamples, and lint.
pub fn check(codebook: &Codebook) -> Vec<CodeReport> {
    let analyzer = codebook.analyzer();
    let rules_by_parent = rules_by_parent(codebook);
    codebook
        .codes
        .iter()
        .map(|code| check_code(codebook, code, &analyzer, &rules_by_parent))
        .collect()
}

/// For each (parent, rule) the codes under that parent with that rule, in codebook order,
/// so sibling duplicates are found in one pass even with thousands of siblings.
type RulesByParent<'a> = BTreeMap<(Option<&'a str>, String), Vec<&'a str>>;

fn rules_by_parent(codebook: &Codebook) -> RulesByParent<'_> {
    let mut map: RulesByParent<'_> = BTreeMap::new();
    for code in &codebook.codes {
        for rule in &code.rules {
            let codes = map.entry((code.parent.as_deref(), rule.rule.same_key())).or_default();
            if codes.last() != Some(&code.id.as_str()) {
                codes.push(&code.id);
            }
        }
    }
    map
}

fn check_code(
    codebook: &Codebook,
    code: &Code,
    analyzer: &Analyzer,
    rules_by_parent: &RulesByParent<'_>,
) -> CodeReport {
    let mut report = CodeReport {
        id: code.id.clone(),
        tests: code.examples.len() + code.counterexamples.len(),
        ..Default::default()
    };
    for (i, example) in code.examples.iter().enumerate() {
        if !code_matches(codebook, code, &analyzer.words(example)) {
            report.failures.push(format!("example {} is not coded: \"{example}\"", i + 1));
        }
    }
    for (i, counter) in code.counterexamples.iter().enumerate() {
        if code_matches(codebook, code, &analyzer.words(counter)) {
            report.failures.push(format!("counterexample {} is coded: \"{counter}\"", i + 1));
        }
    }
    if code.description.is_empty() {
        report.warnings.push("no description".into());
    }
    for (i, rule) in code.rules.iter().enumerate() {
        if rule.rule.never_matches() {
            report.warnings.push(format!("rule {} `{}` can never match", i + 1, rule.text));
        }
    }
    // One warning per rule, naming the siblings with the same rule (a few of them, when a
    // generated codebook repeats one rule across thousands of siblings).
    for rule in &code.rules {
        let key = (code.parent.as_deref(), rule.rule.same_key());
        let siblings: Vec<&str> = rules_by_parent
            .get(&key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|id| *id != code.id)
            .collect();
        match siblings.as_slice() {
            [] => {}
            [one] => report
                .warnings
                .push(format!("rule `{}` duplicates a rule of sibling `{one}`", rule.text)),
            several => report.warnings.push(format!(
                "rule `{}` duplicates a rule of siblings {}",
                rule.text,
                crate::error::some_of_shown(several, |id| format!("`{id}`"))
            )),
        }
    }
    if let Some(parent) = code.parent.as_deref().and_then(|p| codebook.code(p))
        && !code.rules.is_empty()
        && code.rules.iter().all(|r| parent.rules.iter().any(|p| p.rule.same_as(&r.rule)))
    {
        report.warnings.push(format!(
            "every rule is also a rule of parent `{}`: the child adds nothing",
            parent.id
        ));
    }
    report
}

/// What a codebook does on a study.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudyReport {
    /// Segments coded per code, in codebook order.
    pub coded: Vec<(String, usize)>,
    /// The most frequent words (most common form, count) in respondent segments that no
    /// code codes, function words left out.
    pub uncoded_words: Vec<(String, usize)>,
    /// For each stemmed word of each rule: the distinct forms it matched, with counts.
    pub forms: Vec<RuleForms>,
    /// Child codes whose own rules code nothing their parent's own rules do not.
    pub redundant_children: Vec<String>,
}

/// The word forms one stemmed rule word matched in the study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleForms {
    /// Code id.
    pub code: String,
    /// The rule, as written.
    pub rule: String,
    /// Forms matched, with counts, most frequent first.
    pub forms: Vec<(String, usize)>,
    /// Forms that look unrelated to the rule's words (neither is a prefix of the other).
    pub suspicious: Vec<String>,
}

/// Run the codebook over a study's respondent segments.
///
/// Every rule's matches are found as coding finds them (read from the match cache beside
/// the index when there; `cache` says what to do with it), then one pass over the study's
/// segments, a window of them at a time on every core and each document's text read once
/// per window it falls in, counts the word forms each rule matched, what each code coded
/// and the words of the segments nothing coded. Each rule's matches kept with their words, and every text
/// read kept, took a 1 GB study's check to 4.7 GB.
///
/// # Errors
/// tantivy fails while searching; the study is too large to code.
pub fn check_study(
    codebook: &Codebook,
    index: &SegmentIndex,
    (corpus, segments): (&Corpus, &[Segment]),
    cache: MatchCache,
) -> Result<StudyReport> {
    let speakers = SpeakerFilter::Respondents;
    let matched = Matched::find_with_cache(codebook, index, (corpus, segments, speakers), cache)?;
    let mut windows = matched.windows();
    let pass = Pass::new(codebook, windows.rules(), index, corpus, segments);
    let mut tally = pass.empty_tally();
    // the segments before each window of matches, which nothing matched, then the window's
    let mut next = 0;
    while let Some(window) = windows.next_window() {
        let range = window.segments();
        tally.add(pass.tally(next..range.start, None));
        let end = range.end.min(segments.len());
        tally.add(pass.tally(range.start..end, Some(&window)));
        next = end;
    }
    tally.add(pass.tally(next..segments.len(), None));
    Ok(pass.report(tally))
}

/// What a pass over the segments counts with (`check_study`).
struct Pass<'a> {
    codebook: &'a Codebook,
    /// The rules in codebook order (as `Matched` numbers them), each with its code's position.
    rules: Vec<(usize, &'a str)>,
    /// Each code's parent's position.
    parents: Vec<Option<usize>>,
    index: &'a SegmentIndex,
    corpus: &'a Corpus,
    segments: &'a [Segment],
    /// Whether function words are left out of the uncoded words (English studies).
    english: bool,
}

/// What a pass counted, added up over the parts of the study passed over.
#[derive(Default)]
struct Tally {
    /// Per rule: each word form it matched, and how often.
    forms: Vec<HashMap<String, usize>>,
    /// Per code: the segments it codes (its own rules or a descendant's).
    coded: Vec<usize>,
    /// Per code: the segments its own rules code, and of those, the ones its parent's own
    /// rules do not.
    own: Vec<usize>,
    own_not_parents: Vec<usize>,
    /// The words of the segments nothing coded: forms by stem, with counts.
    uncoded: HashMap<String, HashMap<String, usize>>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for (mine, theirs) in self.forms.iter_mut().zip(other.forms) {
            for (form, count) in theirs {
                *mine.entry(form).or_default() += count;
            }
        }
        let sums = [
            (&mut self.coded, other.coded),
            (&mut self.own, other.own),
            (&mut self.own_not_parents, other.own_not_parents),
        ];
        for (mine, theirs) in sums {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
        for (stem, forms) in other.uncoded {
            let mine = self.uncoded.entry(stem).or_default();
            for (form, count) in forms {
                *mine.entry(form).or_default() += count;
            }
        }
    }
}

impl<'a> Pass<'a> {
    fn new(
        codebook: &'a Codebook,
        rules: &[(usize, &'a CodeRule)],
        index: &'a SegmentIndex,
        corpus: &'a Corpus,
        segments: &'a [Segment],
    ) -> Pass<'a> {
        let parents = codebook.parent_positions();
        Pass {
            codebook,
            rules: rules.iter().map(|(code, rule)| (*code, rule.text.as_str())).collect(),
            parents,
            index,
            corpus,
            segments,
            english: index.analyzer().language() == Language::default(),
        }
    }

    fn empty_tally(&self) -> Tally {
        let codes = self.codebook.codes.len();
        Tally {
            forms: vec![HashMap::new(); self.rules.len()],
            coded: vec![0; codes],
            own: vec![0; codes],
            own_not_parents: vec![0; codes],
            uncoded: HashMap::new(),
        }
    }

    /// Count over the segments `range`, whose matches `window` holds (none without it): a
    /// document's segments at a time, on every core.
    fn tally(&self, range: std::ops::Range<usize>, window: Option<&MatchWindow<'_>>) -> Tally {
        use rayon::prelude::*;
        let segments = self.segments;
        let mut start = range.start;
        let documents: Vec<std::ops::Range<usize>> = segments[range]
            .chunk_by(|a, b| a.document_index() == b.document_index())
            .map(|document| {
                start += document.len();
                start - document.len()..start
            })
            .collect();
        documents
            .into_par_iter()
            .fold(
                || self.empty_tally(),
                |mut tally, document| {
                    self.tally_document(document, window, &mut tally);
                    tally
                },
            )
            .reduce(
                || self.empty_tally(),
                |mut a, b| {
                    a.add(b);
                    a
                },
            )
    }

    /// Count over `range`, segments of one document.
    fn tally_document(
        &self,
        range: std::ops::Range<usize>,
        window: Option<&MatchWindow<'_>>,
        tally: &mut Tally,
    ) {
        let (corpus, analyzer) = (self.corpus, self.index.analyzer());
        let respondents = SpeakerFilter::Respondents;
        let kept = |n: &usize| self.segments[*n].spoken_by(respondents, corpus);
        if !range.clone().any(|n| kept(&n)) {
            return;
        }
        let text = self.segments[range.start].document(corpus).text_once();
        let of = range.clone();
        let mut matches = window.into_iter().flat_map(move |w| w.matches(of.clone())).peekable();
        let mut words = Vec::new();
        let mut found: Vec<(usize, Evidence<'_>)> = Vec::new();
        for n in range.filter(kept) {
            let segment = &self.segments[n];
            found.clear();
            // matches are of respondents' segments only, as `kept`: none is passed over
            while let Some((at, rule, evidence)) = matches.next_if(|m| m.0 <= n) {
                if at == n {
                    found.push((rule, evidence));
                }
            }
            analyzer.words_into(&text[segment.bytes()], &mut words);
            if found.is_empty() {
                self.count_uncoded(&words, tally);
            } else {
                self.count_matched(&text, segment, &words, &found, tally);
            }
        }
    }

    /// Count the forms a segment's matches name, and the codes they code.
    fn count_matched(
        &self,
        text: &str,
        segment: &Segment,
        words: &[Word],
        found: &[(usize, Evidence<'_>)],
        tally: &mut Tally,
    ) {
        let starts: Vec<usize> =
            crate::coding::char_ranges_of_words(text, segment, words).map(|r| r.start).collect();
        for (rule, evidence) in found {
            let forms = &mut tally.forms[*rule];
            for range in evidence.iter() {
                // evidence names the words coding split the segment into, as split here
                let Ok(word) = starts.binary_search(&(range.start as usize)) else {
                    debug_assert!(false, "evidence at char {} names no word", range.start);
                    continue;
                };
                let form = &*words[word].exact;
                match forms.get_mut(form) {
                    Some(count) => *count += 1,
                    None => {
                        forms.insert(form.to_owned(), 1);
                    }
                }
            }
        }
        let mut own: Vec<usize> = found.iter().map(|(rule, _)| self.rules[*rule].0).collect();
        own.sort_unstable();
        own.dedup();
        let mut coded = own.clone();
        for &code in &own {
            tally.own[code] += 1;
            if self.parents[code].is_some_and(|parent| own.binary_search(&parent).is_err()) {
                tally.own_not_parents[code] += 1;
            }
            let mut ancestor = self.parents[code];
            while let Some(parent) = ancestor {
                coded.push(parent);
                ancestor = self.parents[parent];
            }
        }
        coded.sort_unstable();
        coded.dedup();
        for code in coded {
            tally.coded[code] += 1;
        }
    }

    /// Count the words of a segment nothing coded, numbers and (in English) function words
    /// left out.
    fn count_uncoded(&self, words: &[Word], tally: &mut Tally) {
        for word in words {
            if word.exact.chars().any(|c| c.is_numeric())
                || (self.english && STOPWORDS.contains(&&*word.exact))
            {
                continue;
            }
            let forms = tally.uncoded.entry(word.stem.to_string()).or_default();
            match forms.get_mut(&*word.exact) {
                Some(count) => *count += 1,
                None => {
                    forms.insert(word.exact.to_string(), 1);
                }
            }
        }
    }

    fn report(&self, tally: Tally) -> StudyReport {
        let codes = &self.codebook.codes;
        let coded = codes.iter().zip(&tally.coded).map(|(c, &n)| (c.id.clone(), n)).collect();
        let forms = (self.rules.iter().zip(tally.forms))
            .map(|((code, rule), counts)| {
                rule_forms(&codes[*code], rule, counts.into_iter().collect(), self.index.analyzer())
            })
            .collect();
        let redundant_children = (0..codes.len())
            .filter(|&c| {
                self.parents[c].is_some_and(|parent| !codes[parent].rules.is_empty())
                    && tally.own[c] > 0
                    && tally.own_not_parents[c] == 0
            })
            .map(|c| codes[c].id.clone())
            .collect();
        StudyReport {
            coded,
            uncoded_words: most_common_words(tally.uncoded, 10),
            forms,
            redundant_children,
        }
    }
}

fn rule_forms(
    code: &Code,
    rule: &str,
    counts: BTreeMap<String, usize>,
    analyzer: &Analyzer,
) -> RuleForms {
    let written: Vec<String> =
        analyzer.words(rule).into_iter().map(|w| w.exact.to_string()).collect();
    let related = |form: &str| {
        let form_bases = bases(form);
        written.iter().any(|w| {
            form.starts_with(w.as_str())
                || w.starts_with(form)
                || bases(w).iter().any(|b| form_bases.contains(b))
        })
    };
    let mut forms: Vec<(String, usize)> = counts.into_iter().collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let suspicious = forms.iter().filter(|(f, _)| !related(f)).map(|(f, _)| f.clone()).collect();
    RuleForms { code: code.id.clone(), rule: rule.to_owned(), forms, suspicious }
}

/// A word and the forms it may be an inflection of: `picked` → picked, pick, picke;
/// `studies` → studies, studie, study. Two words sharing a base are treated as related.
fn bases(word: &str) -> BTreeSet<String> {
    const ENDINGS: [&str; 9] = ["'s", "s", "es", "ed", "d", "ing", "er", "ers", "ly"];
    let mut out = BTreeSet::from([word.to_owned()]);
    if let Some(stem) = word.strip_suffix('i') {
        out.insert(format!("{stem}y")); // a rule written as a stem: `worri`
    }
    for ending in ENDINGS {
        if let Some(base) = word.strip_suffix(ending).filter(|b| b.chars().count() >= 3) {
            out.insert(base.to_owned());
            out.insert(format!("{base}e"));
            if let Some(stem) = base.strip_suffix('i') {
                out.insert(format!("{stem}y"));
            }
        }
    }
    out
}

/// The `limit` most frequent words (each as its most common form, with its stem's count),
/// from forms counted by stem.
fn most_common_words(
    by_stem: HashMap<String, HashMap<String, usize>>,
    limit: usize,
) -> Vec<(String, usize)> {
    let mut totals: Vec<(String, usize)> = by_stem
        .into_values()
        .map(|forms| {
            let total = forms.values().sum();
            let common = forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|f| f.0)
                .unwrap_or_default();
            (common, total)
        })
        .collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    totals.truncate(limit);
    totals
}

/// English function words and fillers left out of "uncoded words", and what is left of
/// contractions where words are runs of letters and digits (`don't` is `don` and `t`).
const STOPWORDS: [&str; 168] = [
    "a",
    "about",
    "actually",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "bit",
    "but",
    "by",
    "can",
    "could",
    "couldn",
    "d",
    "did",
    "didn",
    "didn't",
    "do",
    "does",
    "doesn",
    "doesn't",
    "don",
    "don't",
    "er",
    "erm",
    "even",
    "every",
    "for",
    "from",
    "get",
    "go",
    "going",
    "got",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "he",
    "her",
    "here",
    "him",
    "his",
    "hm",
    "how",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "isn't",
    "it",
    "it's",
    "its",
    "just",
    "know",
    "like",
    "ll",
    "lot",
    "m",
    "made",
    "make",
    "me",
    "mean",
    "mm",
    "more",
    "most",
    "much",
    "my",
    "no",
    "not",
    "now",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "quite",
    "re",
    "really",
    "right",
    "s",
    "said",
    "say",
    "see",
    "she",
    "shouldn",
    "so",
    "some",
    "something",
    "sort",
    "still",
    "t",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "to",
    "too",
    "um",
    "up",
    "us",
    "ve",
    "very",
    "was",
    "wasn",
    "wasn't",
    "way",
    "we",
    "well",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "yeah",
    "yes",
    "you",
    "you're",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn codebook(codes: &str) -> Codebook {
        Codebook::parse(Path::new("cb.toml"), &format!("format = 1\nname = \"t\"\n{codes}"))
            .expect("valid")
    }

    #[test]
    fn passing_examples_and_failing_counterexamples() {
        let book = codebook(
            "[[code]]\nid = \"targets\"\ndescription = \"d\"\nrules = ['target*']\nexamples = [\"We set targets.\", \"No goals.\"]\ncounterexamples = [\"The target of jokes.\"]\n",
        );
        let report = &check(&book)[0];
        assert_eq!(
            report.failures,
            [
                "example 2 is not coded: \"No goals.\"",
                "counterexample 1 is coded: \"The target of jokes.\"",
            ]
        );
        assert_eq!(report.tests, 3);
    }

    #[test]
    fn parents_are_tested_through_their_children() {
        let book = codebook(
            "[[code]]\nid = \"p\"\ndescription = \"d\"\nexamples = [\"trust me\"]\n[[code]]\nid = \"p.c\"\nparent = \"p\"\ndescription = \"d\"\nrules = ['trust']\n",
        );
        assert!(check(&book)[0].failures.is_empty());
    }

    #[test]
    fn inflections_are_related_and_derivations_are_not() {
        let shared = |a: &str, b: &str| bases(a).intersection(&bases(b)).next().is_some();
        assert!(shared("picks", "picked"));
        assert!(shared("studies", "study"));
        assert!(shared("mentoring", "mentor"));
        assert!(!shared("business", "busy"));
        assert!(!shared("general", "generate"));
    }

    #[test]
    fn lints_flag_missing_descriptions_contradictions_and_duplicates() {
        let book = codebook(
            "[[code]]\nid = \"a\"\nrules = ['x AND NOT x', 'goal']\n[[code]]\nid = \"b\"\ndescription = \"d\"\nrules = ['goals']\n",
        );
        let reports = check(&book);
        assert_eq!(
            reports[0].warnings,
            [
                "no description",
                "rule 1 `x AND NOT x` can never match",
                "rule `goal` duplicates a rule of sibling `b`",
            ]
        );
    }
}
