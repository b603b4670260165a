//! `codebook check`: run each code's examples and counterexamples, lint, and (with a study)
//! show what the codebook codes and misses.
//!
//! An example must be coded by its code (its own rules or a descendant's); a counterexample
//! must not be. Both are analysed by the same [`Analyzer`] and rules as the study, so a
//! passing check means the rules behave on real text as the examples say. Lints are
//! warnings: a code without a description, a rule that can never match, a rule that
//! duplicates a sibling's, a child whose rules its parent already has.

use std::collections::{BTreeMap, BTreeSet};

use crate::corpus::{Corpus, Role};
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
/// # Errors
/// tantivy fails while searching.
pub fn check_study(
    codebook: &Codebook,
    index: &SegmentIndex,
    corpus: &Corpus,
    segments: &[Segment],
) -> Result<StudyReport> {
    let mut coded_segments: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut forms: Vec<RuleForms> = Vec::new();
    for code in &codebook.codes {
        for rule in &code.rules {
            let found = crate::search::matches_among(
                &rule.rule,
                index,
                corpus,
                segments,
                SpeakerFilter::Respondents,
            )?;
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for m in &found {
                coded_segments.entry(code.id.as_str()).or_default().insert(m.segment);
                for span in &m.evidence {
                    for &p in &span.words {
                        *counts.entry(m.words[p].exact.to_string()).or_default() += 1;
                    }
                }
            }
            forms.push(rule_forms(code, &rule.text, counts, index.analyzer()));
        }
    }
    let mut coded = Vec::new();
    let mut any_code: BTreeSet<usize> = BTreeSet::new();
    for code in &codebook.codes {
        let mut segments_of_code: BTreeSet<usize> = BTreeSet::new();
        for id in std::iter::once(code.id.as_str()).chain(codebook.descendants(&code.id)) {
            segments_of_code.extend(coded_segments.get(id).into_iter().flatten());
        }
        any_code.extend(&segments_of_code);
        coded.push((code.id.clone(), segments_of_code.len()));
    }
    let uncoded_words = uncoded_words(index, corpus, segments, &any_code, 10);
    let empty = BTreeSet::new();
    let redundant_children = codebook
        .codes
        .iter()
        .filter_map(|code| {
            let parent = codebook.code(code.parent.as_deref()?)?;
            let own = coded_segments.get(code.id.as_str())?;
            let parents = coded_segments.get(parent.id.as_str()).unwrap_or(&empty);
            (!parent.rules.is_empty() && own.is_subset(parents)).then(|| code.id.clone())
        })
        .collect();
    Ok(StudyReport { coded, uncoded_words, forms, redundant_children })
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

fn uncoded_words(
    index: &SegmentIndex,
    corpus: &Corpus,
    segments: &[Segment],
    coded: &BTreeSet<usize>,
    limit: usize,
) -> Vec<(String, usize)> {
    let english = index.analyzer().language() == Language::default();
    let mut by_stem: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (n, segment) in segments.iter().enumerate() {
        if coded.contains(&n) || segment.speaker(corpus).role != Role::Participant {
            continue;
        }
        for word in index.analyzer().words(segment.text(corpus)) {
            if word.exact.chars().any(|c| c.is_numeric())
                || (english && STOPWORDS.contains(&&*word.exact))
            {
                continue;
            }
            *by_stem
                .entry(word.stem.to_string())
                .or_default()
                .entry(word.exact.to_string())
                .or_default() += 1;
        }
    }
    let mut totals: Vec<(String, usize)> = by_stem
        .into_values()
        .map(|forms| {
            let total = forms.values().sum();
            let common = forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|f| f.0.clone())
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
