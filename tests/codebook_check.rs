//! `codebook check` on a study: what each code codes, the word forms each rule matched, the
//! words of the segments nothing coded and the children that add nothing, checked against
//! the plain way of finding them: every respondent segment split into words and every rule
//! run on it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use qualkit::codebook::Codebook;
use qualkit::codebook::check::{StudyReport, check_study};
use qualkit::coding::MatchCache;
use qualkit::corpus::{Corpus, Role};
use qualkit::index::{Language, SegmentIndex};
use qualkit::segment::{Segment, Unit, segment};
use qualkit::study::Study;

/// Codes with children (one that adds nothing to its parent), phrases, NEAR, a NOT, a
/// prefix and an exact form.
const CODEBOOK: &str = r#"format = 1
name = "p"
[[code]]
id = "targets"
rules = ['target', '"set goals"~2']
[[code]]
id = "targets.set"
parent = "targets"
rules = ['target']
[[code]]
id = "trust"
rules = ['trust NEAR/3 mentor*', '=listens']
[[code]]
id = "trust.not_teacher"
parent = "trust"
rules = ['mentor* AND NOT teacher', 'élè*']
[[code]]
id = "grouping"
[[code]]
id = "grouping.homework"
parent = "grouping"
rules = ['homework OR "self-belief"']
"#;

/// Words none of which is a function word the check leaves out of the uncoded words.
fn vocabulary() -> Vec<&'static str> {
    vec![
        "target",
        "targets",
        "Targeting",
        "set",
        "goals",
        "trust",
        "mentor",
        "mentoring",
        "listens",
        "listened",
        "teacher",
        "homework",
        "self-belief",
        "goal.",
        "Élève",
        "élèves,",
        "café",
        "[laughs]",
        "\n",
    ]
}

/// One turn: whether a respondent speaks it (else the interviewer), and its words.
type Turn<'w> = (bool, Vec<&'w str>);

/// A study of `documents`, each of `turns`, loaded, segmented by `unit` and indexed in
/// memory.
fn indexed(
    documents: &[Vec<Turn<'_>>],
    unit: Unit,
) -> (tempfile::TempDir, Corpus, Vec<Segment>, SegmentIndex) {
    let mut participants = String::from("id\n");
    let mut files = Vec::new();
    for (d, turns) in documents.iter().enumerate() {
        let mut text = String::new();
        for (respondent, words) in turns {
            let label = if *respondent { format!("S{d:02}") } else { "Interviewer".into() };
            text.push_str(&format!("{label}: {}\n", words.join(" ").replace("\n ", "\n")));
        }
        participants.push_str(&format!("S{d:02}\n"));
        files.push((format!("S{d:02}_pre.txt"), text.into_bytes()));
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (n.as_str(), &t[..])).collect();
    let dir = common::minimal_study(&participants, &files);
    let study = Study::load(dir.path()).expect("study");
    let corpus = Corpus::load(&study).expect("corpus");
    let segments = segment(&corpus, unit);
    let index =
        SegmentIndex::in_memory(&corpus, &segments, Language::default(), unit).expect("index");
    (dir, corpus, segments, index)
}

/// The report's counts found the plain way.
fn expected(codebook: &Codebook, corpus: &Corpus, segments: &[Segment]) -> StudyReport {
    let analyzer = qualkit::index::Analyzer::new(Language::default());
    let rules: Vec<(usize, &qualkit::codebook::CodeRule)> = codebook.rules().collect();
    let mut forms: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); rules.len()];
    let mut own: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); codebook.codes.len()];
    let mut uncoded: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (n, segment) in segments.iter().enumerate() {
        if segment.speaker(corpus).role != Role::Participant {
            continue;
        }
        let words = analyzer.words(segment.text(corpus));
        let mut matched = false;
        for (r, (c, rule)) in rules.iter().enumerate() {
            let Some(spans) = rule.rule.find(&words) else { continue };
            matched = true;
            own[*c].insert(n);
            for span in spans {
                for p in span.words {
                    *forms[r].entry(words[p].exact.to_string()).or_default() += 1;
                }
            }
        }
        if !matched {
            for word in &words {
                *uncoded
                    .entry(word.stem.to_string())
                    .or_default()
                    .entry(word.exact.to_string())
                    .or_default() += 1;
            }
        }
    }
    let coded = codebook
        .codes
        .iter()
        .enumerate()
        .map(|(c, code)| {
            let mut all = own[c].clone();
            for id in codebook.descendants(&code.id) {
                all.extend(&own[codebook.position(id).expect("a code")]);
            }
            (code.id.clone(), all.len())
        })
        .collect();
    let mut uncoded_words: Vec<(String, usize)> = uncoded
        .into_values()
        .map(|forms| {
            let total = forms.values().sum();
            // the most common form, the first in order among equals
            let most = forms.values().max().copied().unwrap_or_default();
            let form = forms.into_iter().find(|(_, n)| *n == most).expect("a form").0;
            (form, total)
        })
        .collect();
    uncoded_words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    uncoded_words.truncate(10);
    let redundant_children = codebook
        .codes
        .iter()
        .enumerate()
        .filter(|(c, code)| {
            let Some(parent) = code.parent.as_deref().and_then(|p| codebook.position(p)) else {
                return false;
            };
            !codebook.codes[parent].rules.is_empty()
                && !own[*c].is_empty()
                && own[*c].is_subset(&own[parent])
        })
        .map(|(_, code)| code.id.clone())
        .collect();
    let forms = rules
        .iter()
        .zip(forms)
        .map(|((c, rule), counts)| {
            let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            qualkit::codebook::check::RuleForms {
                code: codebook.codes[*c].id.clone(),
                rule: rule.text.clone(),
                forms: counts,
                suspicious: Vec::new(),
            }
        })
        .collect();
    StudyReport { coded, uncoded_words, forms, redundant_children }
}

/// The report with the forms flagged as unrelated to their rules left out (what the plain
/// way does not find).
fn without_suspicious(mut report: StudyReport) -> StudyReport {
    report.forms.iter_mut().for_each(|forms| forms.suspicious.clear());
    report
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn the_check_finds_what_running_every_rule_on_every_segment_finds(
        documents in proptest::collection::vec(
            proptest::collection::vec(
                (any::<bool>(), proptest::collection::vec(prop::sample::select(vocabulary()), 1..25)),
                1..8,
            ),
            1..4,
        ),
        unit in 0usize..3,
    ) {
        let (_dir, corpus, segments, index) = indexed(&documents, Unit::ALL[unit]);
        let codebook = Codebook::parse(Path::new("p.toml"), CODEBOOK).expect("codebook");
        let report = check_study(&codebook, &index, (&corpus, &segments), MatchCache::Read)
            .expect("checks");
        prop_assert_eq!(without_suspicious(report), expected(&codebook, &corpus, &segments));
    }
}

#[test]
fn a_study_of_more_segments_than_a_window_is_checked_whole() {
    // the check passes over the matches a window of 2¹⁶ segments at a time: a document whose
    // segments run across four windows, the second without a match, is counted whole, each
    // segment once, matches on both sides of each window's edge included
    const WINDOW: usize = 1 << 16;
    let documents: Vec<Vec<Turn<'_>>> = vec![
        vec![(false, vec!["hello"]), (true, vec!["homework"])],
        // every turn a respondent's: segment n is turn n − 2
        (0..200_000)
            .map(|turn| {
                let n = turn + 2;
                let at_an_edge = [WINDOW - 1, 2 * WINDOW, 3 * WINDOW - 1, 3 * WINDOW];
                let target = at_an_edge.contains(&n)
                    || (n < WINDOW - 1 && n % 1_000 == 0)
                    || (n > 3 * WINDOW && n % 1_000 == 0);
                (true, if target { vec!["target", "Élève"] } else { vec!["café"] })
            })
            .collect(),
        vec![(false, vec!["hello"]), (true, vec!["trust", "the", "mentor"])],
    ];
    let (_dir, corpus, segments, index) = indexed(&documents, Unit::Turn);
    assert!(segments.len() > 3 * WINDOW, "{} segments", segments.len());
    let codebook = Codebook::parse(Path::new("p.toml"), CODEBOOK).expect("codebook");
    let report =
        check_study(&codebook, &index, (&corpus, &segments), MatchCache::Read).expect("checks");
    assert_eq!(without_suspicious(report.clone()), expected(&codebook, &corpus, &segments));
    // 65 below the first edge, the four at the edges, 4 past the third edge (to 200,001)
    let targets = report.coded.iter().find(|(id, _)| id == "targets").expect("targets");
    assert_eq!(targets.1, 65 + 4 + 4);
    assert_eq!(report.forms[0].forms, [("target".to_owned(), 73)]);
    assert_eq!(report.uncoded_words[0], ("café".to_owned(), 200_000 - 73));
}
