//! Properties of coding: the index proposes every segment a rule matches, and the text at
//! every evidence span, analysed, yields a word the rule asked for.

mod common;

use std::path::Path;

use proptest::prelude::*;
use qualkit::codebook::Codebook;
use qualkit::coding;
use qualkit::corpus::Corpus;
use qualkit::index::{Analyzer, Language, SegmentIndex};
use qualkit::query::Rule;
use qualkit::segment::{Segment, Unit, segment};
use qualkit::study::{SpeakerFilter, Study};

const CODEBOOK: &str = r#"format = 1
name = "p"
[[code]]
id = "targets"
rules = ['target', '"set goals"~2']
[[code]]
id = "trust"
rules = ['trust NEAR/3 mentor*', '=listens']
[[code]]
id = "trust.not_teacher"
parent = "trust"
rules = ['mentor* AND NOT teacher']
"#;

/// A code whose only rule is a NOT, beside one with a word.
const NOT_ONLY_CODEBOOK: &str = r#"format = 1
name = "n"
[[code]]
id = "no_teacher"
rules = ['NOT teacher']
[[code]]
id = "targets"
rules = ['target']
"#;

/// Stems or exact forms each code's rules ask for.
fn wanted(code: &str, word: &qualkit::index::Word) -> bool {
    match code {
        "targets" => ["target", "set", "goal"].contains(&&*word.stem),
        "trust" | "trust.not_teacher" => {
            &*word.stem == "trust" || word.exact.starts_with("mentor") || &*word.exact == "listens"
        }
        _ => false,
    }
}

fn vocabulary() -> Vec<&'static str> {
    vec![
        "target",
        "targets",
        "Targeting",
        "set",
        "goals",
        "the",
        "my",
        "trust",
        "mentor",
        "mentoring",
        "listens",
        "listened",
        "teacher",
        "[laughs]",
        "we",
        "didn’t",
        "self-belief",
        "goal.",
        "Mr.",
        "Élève",
        "\n",
    ]
}

/// A one-interview study whose turns alternate between interviewer and respondent.
fn study_of(turns: &[Vec<&str>]) -> tempfile::TempDir {
    let mut text = String::new();
    for (i, words) in turns.iter().enumerate() {
        let label = if i % 2 == 0 { "I" } else { "R" };
        text.push_str(&format!("{label}: {}\n", words.join(" ").replace("\n ", "\n")));
    }
    common::minimal_study("id\nS01\n", &[("S01_pre.txt", text.as_bytes())])
}

/// That study loaded, segmented by `unit` and indexed in memory.
fn indexed(
    turns: &[Vec<&str>],
    unit: Unit,
) -> (tempfile::TempDir, Corpus, Vec<Segment>, SegmentIndex) {
    let dir = study_of(turns);
    let study = Study::load(dir.path()).expect("study");
    let corpus = Corpus::load(&study).expect("corpus");
    let segments = segment(&corpus, unit);
    let index =
        SegmentIndex::in_memory(&corpus, &segments, Language::default(), unit).expect("index");
    (dir, corpus, segments, index)
}

/// Rules of every kind the index must propose candidates for.
const RULES: &[&str] = &[
    "target",
    "targeting",
    "\"set goals\"~2",
    "\"set target\"",
    "=targets",
    "mentor*",
    "trust NEAR/3 mentor*",
    "mentor* AND NOT teacher",
    "goal OR =listens",
    "didn't",
    "self-belief",
    "NOT teacher",
    "\"set targ*\"",
    "didn'*",
    "él*",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// The index proposes every segment a rule matches (only exact forms are indexed: a stem
    /// is looked up as the forms in the index with that stem).
    #[test]
    fn the_index_proposes_every_segment_a_rule_matches(
        turns in proptest::collection::vec(proptest::collection::vec(prop::sample::select(vocabulary()), 1..25), 1..6),
        unit in 0usize..3,
    ) {
        let (_dir, corpus, segments, index) = indexed(&turns, Unit::ALL[unit]);
        let analyzer = Analyzer::new(Language::default());
        for text in RULES {
            let rule = Rule::compile(text, &analyzer).expect("valid rule");
            let candidates = rule.candidate_segments(&index).expect("candidates");
            for (n, segment) in segments.iter().enumerate() {
                if rule.find(&analyzer.words(segment.text(&corpus))).is_some() {
                    prop_assert!(candidates.contains(&n), "{text} misses {:?}", segment.text(&corpus));
                }
            }
        }
    }

    /// A prefix's candidates are looked up as the index's forms that start with it: exactly
    /// those, whether the prefix is a whole form, part of one, of none, or empty.
    #[test]
    fn a_prefix_finds_every_indexed_form_that_starts_with_it(
        turns in proptest::collection::vec(proptest::collection::vec(prop::sample::select(vocabulary()), 1..25), 1..6),
        unit in 0usize..3,
    ) {
        let (_dir, corpus, segments, index) = indexed(&turns, Unit::ALL[unit]);
        let analyzer = Analyzer::new(Language::default());
        let forms: std::collections::BTreeSet<String> = segments
            .iter()
            .flat_map(|segment| analyzer.words(segment.text(&corpus)))
            .map(|word| word.exact.to_string())
            .collect();
        for prefix in ["", "m", "mentor", "mentoring", "mentorings", "t", "tar", "target", "didn", "didn'", "self-", "é", "élève", "zz", "~"] {
            let expected: Vec<&String> = forms.iter().filter(|f| f.starts_with(prefix)).collect();
            let found: Vec<&String> = index.forms_with_prefix(prefix).expect("forms").iter().collect();
            prop_assert_eq!(found, expected, "prefix {:?}", prefix);
        }
    }

    #[test]
    fn evidence_spans_hold_the_words_the_rules_asked_for(
        turns in proptest::collection::vec(proptest::collection::vec(prop::sample::select(vocabulary()), 1..25), 1..6),
        unit in 0usize..3,
    ) {
        let (_dir, corpus, segments, index) = indexed(&turns, Unit::ALL[unit]);
        let codebook = Codebook::parse(Path::new("p.toml"), CODEBOOK).expect("codebook");
        let codings = coding::apply(&codebook, &index, &corpus, &segments, SpeakerFilter::All).expect("codes");
        let analyzer = Analyzer::new(Language::default());
        let chars: Vec<char> = corpus.documents[0].text().chars().collect();
        for coding in &codings {
            let seg = &segments[coding.segment];
            for span in coding.evidence.iter().map(|r| r.start as usize..r.end as usize) {
                prop_assert!(seg.chars().start <= span.start && span.end <= seg.chars().end, "evidence outside its segment");
                let evidence: String = chars[span.clone()].iter().collect();
                let words = analyzer.words(&evidence);
                prop_assert_eq!(words.len(), 1, "one word per span: {:?}", evidence);
                prop_assert!(wanted(coding.code(), &words[0]), "{} coded by {:?}", coding.code(), evidence);
            }
            let own_rules = coding.rules().iter().any(|r| !r.starts_with("child:"));
            prop_assert!(own_rules || &**coding.code() == "trust", "{:?}", coding);
        }
    }
}

/// A coding as (segment, code, rules, evidence).
type CodingRow = (usize, String, Vec<String>, Vec<(u32, u32)>);

/// Each coding as a [`CodingRow`], for comparing two codings of one study.
fn coding_rows(codings: &coding::Codings) -> Vec<CodingRow> {
    codings
        .iter()
        .map(|c| {
            let rules = c.rules().iter().map(|r| r.to_string()).collect();
            let evidence = c.evidence.iter().map(|r| (r.start, r.end)).collect();
            (c.segment, c.code().to_string(), rules, evidence)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// An index of the respondents' segments (what a study that codes respondents builds)
    /// serves searches and coding of every speaker: the segments it does not hold are checked
    /// directly, and what is found is what an index of every segment finds.
    #[test]
    fn an_index_of_respondents_finds_what_an_index_of_everyone_finds(
        turns in proptest::collection::vec(proptest::collection::vec(prop::sample::select(vocabulary()), 1..25), 1..6),
        unit in 0usize..3,
    ) {
        let (dir, corpus, segments, everyone) = indexed(&turns, Unit::ALL[unit]);
        let study = Study::load(dir.path()).expect("study");
        let respondents = SegmentIndex::open_or_build(
            &study, &corpus, &segments, Unit::ALL[unit], SpeakerFilter::Respondents, &mut |_, _| {}, &mut |_| {},
        ).expect("index");
        prop_assert_eq!(respondents.speakers(), SpeakerFilter::Respondents);
        let analyzer = Analyzer::new(Language::default());
        for text in RULES {
            let rule = Rule::compile(text, &analyzer).expect("valid rule");
            for speakers in [SpeakerFilter::All, SpeakerFilter::Respondents] {
                let found = |index: &SegmentIndex| -> Vec<qualkit::search::Hit> {
                    qualkit::search::search(&rule, index, &corpus, &segments, speakers)
                        .expect("hits")
                };
                prop_assert_eq!(found(&respondents), found(&everyone), "{} for {:?}", text, speakers);
            }
        }
        // a rule made only of NOT has every segment as its candidates, the unheld ones too
        for text in [CODEBOOK, NOT_ONLY_CODEBOOK] {
            let codebook = Codebook::parse(Path::new("p.toml"), text).expect("codebook");
            for speakers in [SpeakerFilter::All, SpeakerFilter::Respondents] {
                let coded = |index: &SegmentIndex| {
                    coding_rows(&coding::apply(&codebook, index, &corpus, &segments, speakers).expect("codes"))
                };
                prop_assert_eq!(coded(&respondents), coded(&everyone), "coding {:?}", speakers);
            }
        }
    }
}

/// An index is kept for the speakers a command asks for, or for everyone (which serves a
/// command that asks for fewer), and built again for everyone when it holds too few.
#[test]
fn an_index_is_reused_when_it_holds_every_segment_asked_for() {
    let turns = vec![vec!["target"], vec!["trust", "mentor"], vec!["goals"], vec!["set"]];
    let dir = study_of(&turns);
    let study = Study::load(dir.path()).expect("study");
    let corpus = Corpus::load(&study).expect("corpus");
    let segments = segment(&corpus, Unit::Turn);
    let open = |speakers| {
        let index = SegmentIndex::open_or_build(
            &study,
            &corpus,
            &segments,
            Unit::Turn,
            speakers,
            &mut |_, _| {},
            &mut |_| {},
        )
        .expect("index");
        (index.rebuilt(), index.speakers())
    };
    let (all, respondents) = (SpeakerFilter::All, SpeakerFilter::Respondents);
    assert_eq!(open(respondents), (true, respondents), "built for respondents");
    assert_eq!(open(respondents), (false, respondents), "kept");
    assert_eq!(open(all), (true, all), "too few for everyone: built again");
    assert_eq!(open(respondents), (false, all), "everyone's serves respondents");
    assert_eq!(open(all), (false, all), "and everyone");
}

/// A study with more candidate segments than one verification window holds (2¹⁵): the
/// windows are verified one after another, and the codings are still exactly the segments
/// each code's rules (or its children's) match, in segment order.
#[test]
fn a_study_larger_than_a_verification_window_is_coded_completely() {
    let vocabulary = vocabulary();
    // 120,000 turns, each with a rule's word, in a pattern no window boundary lines up with
    let turns: Vec<Vec<&str>> = (0..120_000usize)
        .map(|i| {
            let pick = |k: usize| vocabulary[(i * 7 + k * 13 + i / 97) % vocabulary.len()];
            vec![["trust", "target", "mentor"][i % 3], pick(1), pick(2), pick(3), pick(4)]
        })
        .collect();
    let (_dir, corpus, segments, index) = indexed(&turns, Unit::Sentence);
    let codebook = Codebook::parse(Path::new("p.toml"), CODEBOOK).expect("codebook");
    let codings =
        coding::apply(&codebook, &index, &corpus, &segments, SpeakerFilter::All).expect("codes");
    let analyzer = Analyzer::new(Language::default());
    let compiled: Vec<(&str, Vec<Rule>)> = codebook
        .codes
        .iter()
        .map(|code| {
            let rules = code.rules.iter().map(|r| Rule::compile(&r.text, &analyzer));
            (code.id.as_str(), rules.collect::<Result<_, _>>().expect("valid rules"))
        })
        .collect();
    let mut expected: Vec<(usize, String)> = Vec::new();
    for (n, segment) in segments.iter().enumerate() {
        let words = analyzer.words(segment.text(&corpus));
        let matches = |id: &str| {
            compiled.iter().any(|(code, rules)| {
                (*code == id || code.starts_with(&format!("{id}.")))
                    && rules.iter().any(|rule| rule.find(&words).is_some())
            })
        };
        for (id, _) in &compiled {
            if matches(id) {
                expected.push((n, (*id).to_owned()));
            }
        }
    }
    let actual: Vec<(usize, String)> =
        codings.iter().map(|c| (c.segment, c.code().to_string())).collect();
    assert!(expected.len() > 3 * (1 << 16), "too few codings to span windows: {}", expected.len());
    assert_eq!(actual.len(), expected.len());
    assert!(actual == expected, "codings differ from the rules' matches");
    // each distinct code and rule list is made once and shared, however many tasks coded
    // its segments
    let mut kinds: std::collections::HashMap<(&str, Vec<&str>), *const coding::CodingKind> =
        std::collections::HashMap::new();
    for coding in &codings {
        let names: Vec<&str> = coding.rules().iter().map(|r| &**r).collect();
        let key = (&**coding.code(), names);
        let shared = *kinds.entry(key).or_insert(std::sync::Arc::as_ptr(coding.kind));
        assert!(std::ptr::eq(shared, std::sync::Arc::as_ptr(coding.kind)), "{:?}", coding.kind);
    }
    assert!(kinds.len() < 100, "a few kinds shared, not one per coding: {}", kinds.len());
    // codings.csv is formatted a window of rows at a time, into reused buffers: the file is
    // the header and every coding's row, whatever the windows, as when written in small
    // parts; with the segment's text in every row (the widest rows) and without
    for text in [true, false] {
        let csv = |codings: &coding::Codings| {
            let columns = coding::Columns { text, attributes: &[] };
            coding::write_csv(codings, &corpus, &segments, columns, Vec::new()).expect("written")
        };
        let whole = csv(&codings);
        let mut parts = csv(coding::Codings::empty());
        for first in (0..codings.len()).step_by(1000) {
            let part: coding::Codings =
                codings.range(first..(first + 1000).min(codings.len())).collect();
            let written = csv(&part);
            let header = written.iter().position(|&b| b == b'\n').expect("header line") + 1;
            parts.extend_from_slice(&written[header..]);
        }
        assert!(whole == parts, "codings.csv (text: {text}) differs when written in one go");
    }
}
