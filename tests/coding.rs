//! `qualkit code` and `qualkit codebook check` on the fixture study.

mod common;

use common::{csv_rows, files, fixture, qualkit};
use predicates::prelude::*;

/// Run `qualkit code --out -` and return the CSV rows.
fn code_rows(study: &std::path::Path, extra: &[&str]) -> Vec<Vec<String>> {
    let output = qualkit(study).args(["code", "--out", "-"]).args(extra).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    csv_rows(&output.stdout)
}

/// The position of column `name` in the header row of `rows`.
fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn codings_carry_evidence_that_points_at_the_matched_words() {
    let study = fixture("mini");
    let rows = code_rows(study.path(), &["--text"]);
    assert_eq!(
        rows[0],
        [
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
            "matched"
        ]
    );
    let corpus_text = |document: &str| -> Vec<char> {
        let path = document.split('#').next().expect("path");
        let text =
            std::fs::read_to_string(study.path().join(path)).expect("read").replace("\r\n", "\n");
        text.chars().collect()
    };
    for row in &rows[1..] {
        if row[0].contains('#') {
            continue; // questionnaire cells: offsets are within the cell
        }
        let chars = corpus_text(&row[0]);
        let (start, end): (usize, usize) =
            (row[7].parse().expect("start"), row[8].parse().expect("end"));
        assert_eq!(
            chars[start..end].iter().collect::<String>(),
            row[9],
            "segment text at its offsets"
        );
        let matched: Vec<&str> = row[12].split(" | ").collect();
        for (span, word) in row[11].split(';').zip(matched) {
            let (a, b) = span.split_once('-').expect("start-end");
            let (a, b): (usize, usize) = (a.parse().expect("a"), b.parse().expect("b"));
            assert_eq!(chars[a..b].iter().collect::<String>(), word, "evidence span");
        }
    }
}

#[test]
fn codings_leave_out_the_segment_text_unless_asked_and_lose_nothing_else() {
    let study = fixture("mini");
    let lean = code_rows(study.path(), &[]);
    let full = code_rows(study.path(), &["--text"]);
    assert!(!lean[0].iter().any(|c| c == "text"), "{:?}", lean[0]);
    let text = column(&full, "text");
    assert_eq!(text, column(&full, "end") + 1, "text follows end");
    assert!(full.len() > 3, "the fixture is coded");
    let without_text: Vec<Vec<String>> = full
        .iter()
        .map(|row| {
            row.iter().enumerate().filter(|(i, _)| *i != text).map(|(_, c)| c.clone()).collect()
        })
        .collect();
    assert_eq!(lean, without_text);
}

#[test]
fn parents_aggregate_children_and_interviewers_are_excluded() {
    let study = fixture("mini");
    let rows = code_rows(study.path(), &[]);
    let listening: Vec<&Vec<String>> =
        rows.iter().filter(|r| r[5] == "relationship.listening").collect();
    assert_eq!(listening.len(), 1);
    let parent = rows
        .iter()
        .find(|r| r[5] == "relationship" && r[0] == listening[0][0] && r[1] == listening[0][1])
        .expect("parent coded");
    assert!(parent[column(&rows, "rule")].contains("child:relationship.listening"), "{parent:?}");
    assert!(rows[1..].iter().all(|r| r[4] != "interviewer"));
}

/// The (code, rule, matched) of each coding of the mini study's "Like, Mr. Jones" sentence,
/// coded with `codebook` (TOML).
fn codings_of_the_jones_sentence(codebook: &[u8]) -> Vec<(String, String, String)> {
    let study = fixture("mini");
    common::write(study.path(), "tested.toml", codebook);
    let codebook = study.path().join("tested.toml");
    let codebook = codebook.to_str().expect("UTF-8 path");
    let rows = code_rows(study.path(), &["--codebook", codebook, "--text"]);
    let (text, rule, matched) =
        (column(&rows, "text"), column(&rows, "rule"), column(&rows, "matched"));
    rows.iter()
        .filter(|r| r[text].starts_with("Like, Mr. Jones"))
        .map(|r| (r[5].clone(), r[rule].clone(), r[matched].clone()))
        .collect()
}

#[test]
fn a_code_lists_its_own_rules_then_its_children_in_id_order_each_once() {
    // codebook order differs from id order (b.z before b.a), a rule text repeats, and a
    // grandchild's match reaches the top through its parent
    let sentence = codings_of_the_jones_sentence(
        br#"format = 1
name = "Tree"
version = "1.0.0"
language = "english"

[[code]]
id = "b"
name = "B"
rules = ['set', 'targets']

[[code]]
id = "b.z"
parent = "b"
name = "Z"
rules = ['targets', 'set']

[[code]]
id = "b.z.deep"
parent = "b.z"
name = "Deep"
rules = ['jones', 'jones']

[[code]]
id = "b.a"
parent = "b"
name = "A"
rules = ['good']
"#,
    );
    let sentence: Vec<(&str, &str, &str)> =
        sentence.iter().map(|(c, r, m)| (c.as_str(), r.as_str(), m.as_str())).collect();
    assert_eq!(
        sentence,
        [
            ("b", "set ; targets ; child:b.a ; child:b.z", "Jones | set | targets | good"),
            ("b.z", "targets ; set ; child:b.z.deep", "Jones | set | targets"),
            ("b.z.deep", "jones", "Jones"),
            ("b.a", "good", "good"),
        ]
    );
}

#[test]
fn a_child_reached_through_two_grandchildren_is_listed_once_whatever_the_ids() {
    // ids that are not paths: p's children a1 and c1 sort either side of q's child b1, so
    // g hears of p, then q, then p again
    let sentence = codings_of_the_jones_sentence(
        br#"format = 1
name = "Free ids"
version = "1.0.0"
language = "english"

[[code]]
id = "g"
name = "G"

[[code]]
id = "p"
parent = "g"
name = "P"

[[code]]
id = "q"
parent = "g"
name = "Q"

[[code]]
id = "a1"
parent = "p"
name = "A1"
rules = ['jones']

[[code]]
id = "b1"
parent = "q"
name = "B1"
rules = ['set']

[[code]]
id = "c1"
parent = "p"
name = "C1"
rules = ['good']
"#,
    );
    let sentence: Vec<(&str, &str)> =
        sentence.iter().map(|(code, rule, _)| (code.as_str(), rule.as_str())).collect();
    assert_eq!(
        sentence,
        [
            ("g", "child:p ; child:q"),
            ("p", "child:a1 ; child:c1"),
            ("a1", "jones"),
            ("c1", "good"),
            ("q", "child:b1"),
            ("b1", "set"),
        ]
    );
}

#[test]
fn units_and_speakers_change_what_is_coded() {
    let study = fixture("mini");
    let sentences = code_rows(study.path(), &[]).len();
    let turns = code_rows(study.path(), &["--unit", "turn"]).len();
    assert!(turns < sentences, "turns {turns} sentences {sentences}");
    let with_attributes =
        code_rows(study.path(), &["--attribute", "gender", "--attribute", "ability"]);
    assert_eq!(with_attributes[0][with_attributes[0].len() - 2..], ["gender", "ability"]);
    // each row carries its own participant's attributes, whoever spoke the row before
    let participants =
        csv_rows(&std::fs::read(study.path().join("participants.csv")).expect("participants"));
    let column = |name: &str| participants[0].iter().position(|c| c == name).expect(name);
    let attributes: std::collections::BTreeMap<&str, [&str; 2]> = participants[1..]
        .iter()
        .map(|p| (p[0].as_str(), [p[column("gender")].as_str(), p[column("ability")].as_str()]))
        .collect();
    let speakers: std::collections::BTreeSet<&str> =
        with_attributes[1..].iter().map(|row| row[2].as_str()).collect();
    assert!(speakers.len() > 2, "rows of several participants: {speakers:?}");
    for row in &with_attributes[1..] {
        let expected = attributes.get(row[2].as_str()).copied().unwrap_or(["", ""]);
        assert_eq!(row[row.len() - 2..], expected, "{row:?}");
    }
}

#[test]
fn recoding_after_an_edit_reuses_the_index_and_keeps_unchanged_codes() {
    let study = fixture("mini");
    let before = code_rows(study.path(), &[]);
    let codebook = study.path().join("codebook.toml");
    let text = std::fs::read_to_string(&codebook).expect("read");
    std::fs::write(
        &codebook,
        text.replace(
            "rules = ['confidence', 'confident']",
            "rules = ['confiden* AND NOT confidential*']",
        ),
    )
    .expect("write");
    let index = study.path().join(".qualkit/index/sentence/qualkit-fingerprint");
    let modified = std::fs::metadata(&index).expect("index exists").modified().expect("mtime");
    let after = code_rows(study.path(), &[]);
    assert_eq!(
        std::fs::metadata(&index).expect("index").modified().expect("mtime"),
        modified,
        "index was rebuilt"
    );
    let unchanged = |rows: &[Vec<String>]| {
        rows.iter().filter(|r| r[5] != "confidence").cloned().collect::<Vec<_>>()
    };
    assert_eq!(unchanged(&before), unchanged(&after));
}

/// Each rule's matches are cached beside the index, so a re-run after an edit searches only
/// for new rules. Whatever state the cache is in — fresh, reused, after an edit, damaged — the
/// codings equal those of coding from scratch.
#[test]
fn cached_rule_matches_give_what_coding_from_scratch_gives() {
    let study = fixture("mini");
    let cache = study.path().join(".qualkit/index/sentence/rule-matches-respondents.bin");
    let from_scratch = |extra: &[&str]| {
        std::fs::remove_dir_all(study.path().join(".qualkit")).expect("cache removed");
        code_rows(study.path(), extra)
    };
    let first = code_rows(study.path(), &[]);
    let cached = std::fs::read(&cache).expect("matches cached");
    let written = std::fs::metadata(&cache).expect("cache").modified().expect("mtime");
    assert_eq!(code_rows(study.path(), &[]), first, "coded from the cache");
    assert_eq!(
        std::fs::metadata(&cache).expect("cache").modified().expect("mtime"),
        written,
        "nothing new to search for, yet the cache was rewritten"
    );
    // an edit: a rule changed in one code, and a rule another code already has added to a third
    let codebook = study.path().join("codebook.toml");
    let text = std::fs::read_to_string(&codebook).expect("read");
    std::fs::write(
        &codebook,
        text.replace("rules = ['confidence', 'confident']", "rules = ['confiden*', 'trust']"),
    )
    .expect("write");
    let edited = code_rows(study.path(), &[]);
    assert_ne!(edited, first, "the edit changed nothing");
    assert_ne!(std::fs::read(&cache).expect("cache"), cached, "new rules were not cached");
    assert_eq!(edited, from_scratch(&[]), "after an edit");
    // damaged anywhere: ignored and rewritten, never trusted
    let good = std::fs::read(&cache).expect("cache");
    for damage in [good.len() / 3, good.len() / 2, good.len() - 40] {
        let mut bad = good.clone();
        bad[damage] ^= 0x01;
        std::fs::write(&cache, &bad).expect("damaged");
        assert_eq!(code_rows(study.path(), &[]), edited, "damaged at byte {damage}");
        assert_eq!(std::fs::read(&cache).expect("cache"), good, "not repaired");
    }
    std::fs::write(&cache, &good[..good.len() / 2]).expect("truncated");
    assert_eq!(code_rows(study.path(), &[]), edited, "truncated");
    // other speakers, another file
    let everyone = code_rows(study.path(), &["--speakers", "all"]);
    assert!(cache.with_file_name("rule-matches-all.bin").exists());
    assert_eq!(code_rows(study.path(), &[]), edited, "respondents after everyone");
    assert_eq!(everyone, from_scratch(&["--speakers", "all"]), "everyone");
}

/// `codebook check` on a study finds each rule's matches as coding does and adds those it
/// searched for to the match cache, letting none go: a check of a draft leaves the study's
/// rules there, and a check of an edit leaves the next run nothing to search for.
#[test]
fn codebook_check_adds_rule_matches_to_the_cache_and_lets_none_go() {
    let study = fixture("mini");
    let cache = study.path().join(".qualkit/index/sentence/rule-matches-respondents.bin");
    let check = |codebook: &std::path::Path| {
        let output =
            qualkit(study.path()).args(["codebook", "check"]).arg(codebook).output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let modified = || std::fs::metadata(&cache).expect("cache").modified().expect("mtime");
    let own = study.path().join("codebook.toml");
    let text = std::fs::read_to_string(&own).expect("read");
    let from = "rules = ['confidence', 'confident']";
    assert!(text.contains(from), "the fixture's codebook has {from}");
    let first = code_rows(study.path(), &[]);
    let coded = std::fs::read(&cache).expect("matches cached");
    let draft = study.path().join("draft.toml");
    std::fs::write(&draft, text.replace(from, "rules = ['confidence', 'shop']")).expect("write");
    assert!(check(&draft).contains("shop"));
    assert_ne!(std::fs::read(&cache).expect("cache"), coded, "the draft's new rule was not added");
    // the study's own rules are all still there: its next run searches for nothing
    let written = modified();
    assert_eq!(code_rows(study.path(), &[]), first);
    assert_eq!(modified(), written, "the run after a draft's check searched again");
    // an edit of the study's codebook, checked, then run: the run finds every rule cached
    std::fs::write(&own, text.replace(from, "rules = ['confidence', 'confident', 'mentor*']"))
        .expect("write");
    check(&own);
    let written = modified();
    let edited = code_rows(study.path(), &[]);
    assert_ne!(edited, first, "the edit changed nothing");
    assert_eq!(modified(), written, "the run after the check searched again");
    std::fs::remove_dir_all(study.path().join(".qualkit")).expect("cache removed");
    assert_eq!(edited, code_rows(study.path(), &[]), "coded from the check's matches");
}

/// A rule's text says what it matches only in one language: through the library, a codebook
/// in another language than the index's is coded without the cache, never from it.
#[test]
fn a_codebook_in_another_language_is_not_coded_from_the_cache() {
    use qualkit::index::SegmentIndex;
    use qualkit::segment::{Unit, segment};
    let study = fixture("mini");
    code_rows(study.path(), &[]);
    let cache = study.path().join(".qualkit/index/sentence/rule-matches-respondents.bin");
    std::fs::remove_file(&cache).expect("matches were cached");
    let loaded = qualkit::study::Study::load(study.path()).expect("study");
    let corpus = qualkit::corpus::Corpus::load(&loaded).expect("corpus");
    let segments = segment(&corpus, Unit::Sentence);
    let speakers = loaded.coding.speakers;
    let index = SegmentIndex::open_or_build(
        &loaded,
        &corpus,
        &segments,
        Unit::Sentence,
        speakers,
        &mut |_, _| {},
        &mut |_| {},
    )
    .expect("index");
    let text = std::fs::read_to_string(study.path().join("codebook.toml")).expect("codebook");
    let german = study.path().join("german.toml");
    std::fs::write(&german, text.replace("language = \"english\"", "language = \"german\""))
        .expect("write");
    let codebook = qualkit::codebook::Codebook::load(&german).expect("german codebook");
    let codings =
        qualkit::coding::apply(&codebook, &index, &corpus, &segments, speakers).expect("coded");
    assert!(!codings.is_empty(), "German stems still match some English words");
    assert!(!cache.exists(), "a German codebook's matches were cached for an English index");
}

#[test]
fn code_writes_to_the_study_out_folder_by_default() {
    let study = fixture("mini");
    qualkit(study.path()).arg("code").assert().success();
    let written = std::fs::read_to_string(study.path().join("out/codings.csv")).expect("written");
    assert!(written.starts_with("document,segment,participant"));
}

#[test]
fn codebook_check_passes_the_fixture_and_fails_on_a_coded_counterexample() {
    let study = fixture("mini");
    let codebook = study.path().join("codebook.toml");
    qualkit(study.path())
        .args(["codebook", "check"])
        .arg(&codebook)
        .assert()
        .success()
        .stdout(predicate::str::contains("pass    relationship.listening (3 tests)"))
        .stdout(predicate::str::contains("On Mini study"));
    let text = std::fs::read_to_string(&codebook).expect("read");
    std::fs::write(
        &codebook,
        text.replace(
            "counterexamples = [\"I went to the shop.\"]",
            "counterexamples = [\"Targets everywhere.\"]",
        ),
    )
    .expect("write");
    qualkit(study.path()).args(["codebook", "check"]).arg(&codebook).assert().code(2).stdout(
        predicate::str::contains(
            "FAIL  targets (2 tests)\n        counterexample 1 is coded: \"Targets everywhere.\"",
        ),
    );
}

#[test]
fn codebook_errors_are_located() {
    let study = fixture("mini");
    let codebook = study.path().join("codebook.toml");
    let text = std::fs::read_to_string(&codebook).expect("read");
    std::fs::write(&codebook, text.replace("'\"set goals\"~2'", "'set goals'")).expect("write");
    qualkit(study.path()).args(["codebook", "check"]).arg(&codebook).assert().code(2).stderr(
        predicate::str::contains(
            "codebook.toml:12:26: code `targets`, rule 2: expected AND, OR or NEAR/n",
        ),
    );
}

#[test]
fn the_codebook_language_selects_the_stemmer() {
    let study = fixture("german");
    let output = qualkit(study.path()).args(["code", "--out", "-"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    let codes: std::collections::BTreeSet<&str> = rows[1..].iter().map(|r| r[5].as_str()).collect();
    assert_eq!(codes, ["bewertung", "klausur", "sprache"].into());
    // German stemming: the example "Die Bewertungen …" is coded by the rule `bewertung`
    qualkit(study.path())
        .args(["codebook", "check"])
        .arg(study.path().join("codebook.toml"))
        .assert()
        .success();
    // an English codebook on a German study is refused rather than silently mis-stemmed
    let codebook = study.path().join("codebook.toml");
    let text = std::fs::read_to_string(&codebook).expect("read");
    std::fs::write(&codebook, text.replace("language = \"german\"", "language = \"english\""))
        .expect("write");
    qualkit(study.path()).args(["code", "--out", "-"]).assert().code(2).stderr(
        predicate::str::contains(
            "codebook language english differs from the study's language german",
        ),
    );
}

#[test]
fn words_of_transcription_marks_are_coded_only_when_the_study_says_so() {
    let study = fixture("mini");
    // the turn's only mention of laughter is a transcription mark
    common::write(
        study.path(),
        "interviews/S01_post.txt",
        b"Interviewer: How was it?\nS01: It was fine [laughs] really.\n",
    );
    let codebook = study.path().join("codebook.toml");
    let mut text = std::fs::read_to_string(&codebook).expect("read");
    text.push_str(
        "\n[[code]]\nid = \"humour\"\nname = \"Humour\"\ndescription = \"Laughter.\"\nrules = ['laugh*']\n",
    );
    // a rule that names the mark: read as the study reads its text
    text.push_str(
        "\n[[code]]\nid = \"fine\"\nname = \"Fine\"\ndescription = \"Fine.\"\nrules = ['=\"fine [laughs] really\"']\n",
    );
    std::fs::write(&codebook, text).expect("write");
    let coded = |rows: &[Vec<String>], code: &str| -> Vec<(String, String)> {
        let (text, matched) = (column(rows, "text"), column(rows, "matched"));
        rows.iter()
            .filter(|r| r[5] == code)
            .map(|r| (r[text].clone(), r[matched].clone()))
            .collect()
    };
    let humour = |rows: &[Vec<String>]| coded(rows, "humour");
    let rows = code_rows(study.path(), &["--text"]);
    assert_eq!(humour(&rows), []);
    assert_eq!(coded(&rows, "fine"), [], "a mark takes a position: no phrase spans it");
    // the same study, its index and cached matches kept: the setting must reach them
    let manifest = study.path().join("study.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    let text = text.replacen("[coding]\n", "[coding]\nmarks = \"words\"\n", 1);
    assert!(text.contains("marks"), "the fixture has a [coding] table");
    std::fs::write(&manifest, text).expect("write");
    let rows = code_rows(study.path(), &["--text"]);
    assert_eq!(
        coded(&rows, "fine"),
        [("It was fine [laughs] really.".to_owned(), "fine | laughs | really".to_owned())]
    );
    let coded = humour(&rows);
    let texts: Vec<&str> = coded.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "It was fine [laughs] really.",
            "Like, Mr. Jones\nset some targets with me [laughs] and it was good."
        ]
    );
    assert!(coded.iter().all(|(_, matched)| matched == "laughs"), "{coded:?}");
}

/// The `mini` fixture read through the library, cut into turns, with its codebook and `dir`,
/// its temporary copy (removed when dropped; a test may edit the study there).
struct MiniTurns {
    dir: tempfile::TempDir,
    study: qualkit::study::Study,
    corpus: qualkit::corpus::Corpus,
    segments: Vec<qualkit::segment::Segment>,
    codebook: qualkit::codebook::Codebook,
}

fn mini_turns() -> MiniTurns {
    let dir = fixture("mini");
    let study = qualkit::study::Study::load(dir.path()).expect("study");
    let corpus = qualkit::corpus::Corpus::load(&study).expect("corpus");
    let segments = qualkit::segment::segment(&corpus, qualkit::segment::Unit::Turn);
    let codebook =
        qualkit::codebook::Codebook::load(&dir.path().join("codebook.toml")).expect("codebook");
    MiniTurns { dir, study, corpus, segments, codebook }
}

/// The mini study's turns coded with its codebook, every speaker's.
fn mini_turns_coded() -> (MiniTurns, qualkit::coding::Codings) {
    let mini = mini_turns();
    let unit = qualkit::segment::Unit::Turn;
    let index = qualkit::index::SegmentIndex::in_memory(
        &mini.corpus,
        &mini.segments,
        mini.study.language,
        unit,
    )
    .expect("index");
    let speakers = qualkit::study::SpeakerFilter::All;
    let codings =
        qualkit::coding::apply(&mini.codebook, &index, &mini.corpus, &mini.segments, speakers)
            .expect("coded");
    (mini, codings)
}

/// The analyses' view of the mini study's turns with `codings`.
fn mini_dataset<'a>(
    mini: &'a MiniTurns,
    codings: &'a qualkit::coding::Codings,
) -> qualkit::analysis::Dataset<'a> {
    let unit = qualkit::segment::Unit::Turn;
    qualkit::analysis::Dataset::new(
        &mini.study,
        &mini.corpus,
        &mini.segments,
        unit,
        &mini.codebook,
        codings,
    )
}

/// Coding splits candidate segments into words and notes their counts on the index; word
/// counts then take those instead of splitting again, and must come out as counted afresh.
#[test]
fn word_counts_noted_while_coding_are_the_counts() {
    use qualkit::index::SegmentIndex;
    use qualkit::segment::Unit;
    let MiniTurns { dir: study, study: loaded, corpus, segments, codebook } = mini_turns();
    let index = |coded: bool| {
        let index = SegmentIndex::in_memory(&corpus, &segments, loaded.language, Unit::Turn)
            .expect("index");
        if coded {
            let speakers = qualkit::study::SpeakerFilter::Respondents;
            qualkit::coding::apply(&codebook, &index, &corpus, &segments, speakers).expect("coded");
        }
        index
    };
    let (fresh, coded) = (index(false), index(true));
    let noted = (0..segments.len()).filter(|&n| coded.counted_words(n).is_some()).count();
    assert!(noted > 0 && (0..segments.len()).all(|n| fresh.counted_words(n).is_none()));
    let analyzer = qualkit::index::Analyzer::of_study(&loaded);
    for (n, segment) in segments.iter().enumerate() {
        if let Some(words) = coded.counted_words(n) {
            assert_eq!(words, analyzer.count_words(segment.text(&corpus)), "segment {n}");
        }
    }
    let counts = |index: &SegmentIndex| {
        qualkit::analysis::Dataset::new(
            &loaded,
            &corpus,
            &segments,
            Unit::Turn,
            &codebook,
            qualkit::coding::Codings::empty(),
        )
        .with_index(index)
        .word_counts()
        .to_vec()
    };
    // A study whose marks are words, coded with an index that skips them (the library's
    // in-memory index): its noted counts are not the study's, and are not taken.
    let manifest = study.path().join("study.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    std::fs::write(&manifest, text.replacen("[coding]\n", "[coding]\nmarks = \"words\"\n", 1))
        .expect("write");
    let words = qualkit::study::Study::load(study.path()).expect("study");
    let analyzer = qualkit::index::Analyzer::of_study(&words);
    let expected: Vec<usize> =
        segments.iter().map(|s| analyzer.count_words(s.text(&corpus))).collect();
    let noted: Vec<usize> = (0..segments.len()).filter_map(|n| coded.counted_words(n)).collect();
    assert!(noted.len() < expected.len() && expected.iter().sum::<usize>() > 0);
    let differs = (0..segments.len())
        .any(|n| coded.counted_words(n).is_some_and(|noted| noted != expected[n]));
    assert!(differs, "a coded segment holds a mark, counted differently");
    let taken = qualkit::analysis::Dataset::new(
        &words,
        &corpus,
        &segments,
        Unit::Turn,
        &codebook,
        qualkit::coding::Codings::empty(),
    )
    .with_index(&coded)
    .word_counts()
    .iter()
    .map(|words| words as usize)
    .collect::<Vec<usize>>();
    assert_eq!(taken, expected);
    // the study's own counts (last: a dataset notes the counts coding did not on the index)
    assert_eq!(counts(&coded), counts(&fresh));
    assert!((0..segments.len()).all(|n| coded.counted_words(n).is_some()), "every count noted");
}

/// An index that has stopped searching (as `qualkit run` stops it once coded) refuses to
/// search, with an error rather than a panic, and keeps what coding noted on it.
#[test]
fn an_index_that_stopped_searching_refuses_to_search() {
    let mini = mini_turns();
    let unit = qualkit::segment::Unit::Turn;
    let (corpus, segments) = (&mini.corpus, &mini.segments);
    let mut index =
        qualkit::index::SegmentIndex::in_memory(corpus, segments, mini.study.language, unit)
            .expect("index");
    let speakers = qualkit::study::SpeakerFilter::All;
    let coded = qualkit::coding::apply(&mini.codebook, &index, corpus, segments, speakers);
    assert!(!coded.expect("coded").is_empty());
    let counted: Vec<Option<usize>> = (0..segments.len()).map(|n| index.counted_words(n)).collect();
    index.stop_searching();
    let error = qualkit::coding::apply(&mini.codebook, &index, corpus, segments, speakers)
        .expect_err("searching has stopped");
    assert!(error.to_string().contains("searching has stopped"), "{error}");
    assert_eq!(index.segment_count(), segments.len());
    assert_eq!((0..segments.len()).map(|n| index.counted_words(n)).collect::<Vec<_>>(), counted);
}

/// The lists a dataset keeps for its analyses (participants' segments, each code's coded
/// segments) are those its per-segment questions give, and are made again when a filter
/// narrows the dataset after they were first asked for, or after they were let go.
#[test]
fn kept_segment_lists_follow_the_filters() {
    let (mini, codings) = mini_turns_coded();
    let (segments, codebook) = (&mini.segments, &mini.codebook);
    let mut data = mini_dataset(&mini, &codings);
    let check = |data: &qualkit::analysis::Dataset<'_>| {
        let respondent: Vec<u32> =
            (0..segments.len() as u32).filter(|&n| data.is_respondent(n as usize)).collect();
        assert_eq!(data.respondent_segments().iter().collect::<Vec<u32>>(), respondent);
        let mut coded = 0;
        for code in &codebook.codes {
            let expected: Vec<u32> =
                data.coded_with(&code.id, |_| true).map(|c| c.segment as u32).collect();
            let kept: Vec<u32> = data.segments_coded_with(&code.id).iter().collect();
            assert_eq!(kept, expected, "{}", code.id);
            coded += expected.len();
        }
        (respondent.len(), coded)
    };
    let (all_segments, all_coded) = check(&data);
    let words = data.word_counts().to_vec();
    // let go once the analyses are done, and made again alike if asked for after all
    data.let_lists_go();
    assert_eq!(check(&data), (all_segments, all_coded));
    assert_eq!(data.word_counts().to_vec(), words);
    data.restrict("gender=female").expect("filter");
    let (segments_kept, coded_kept) = check(&data);
    assert!(0 < segments_kept && segments_kept < all_segments, "{segments_kept} of {all_segments}");
    assert!(0 < coded_kept && coded_kept < all_coded, "{coded_kept} of {all_coded}");
}

/// The quotes chosen once for a dataset (the themes table's and the report's) are those
/// chosen afresh, after the lists they were chosen from were let go too, and follow a filter
/// applied after they were first chosen.
#[test]
fn quotes_chosen_once_are_chosen_afresh_and_follow_the_filters() {
    use qualkit::analysis::exemplars::{exemplars, exemplars_of_all};
    let (mini, codings) = mini_turns_coded();
    let mut data = mini_dataset(&mini, &codings);
    let quotes = |data: &qualkit::analysis::Dataset<'_>| -> Vec<_> {
        let codes = &mini.codebook.codes;
        let chosen: Vec<_> = codes.iter().map(|code| exemplars_of_all(data, &code.id, 2)).collect();
        let afresh: Vec<_> =
            codes.iter().map(|code| exemplars(data, &code.id, 2, |_| true)).collect();
        assert_eq!(chosen, afresh);
        chosen
    };
    let all = quotes(&data);
    assert!(all.iter().any(|q| !q.is_empty()), "some code has quotes");
    data.let_lists_go();
    assert_eq!(quotes(&data), all, "the same once chosen");
    data.restrict("role=student").expect("filter");
    assert_ne!(quotes(&data), all, "the filter leaves the mentor's quote out");
}

/// A run's outputs choose the report's quotes while the analyses' lists of each code's
/// segments are held: with no quotes in the tables (`[run] quotes = 0`), the report still
/// quotes, and no list is made again once the analyses' are let go (at 1 GB they were made
/// again for the report alone).
#[test]
fn the_report_quotes_from_lists_the_analyses_made() {
    let (mut mini, codings) = mini_turns_coded();
    mini.study.run.quotes = 0;
    let mut data = mini_dataset(&mini, &codings);
    let outputs = qualkit::pipeline::outputs(&mut data, b"").expect("outputs");
    let report = outputs.files.iter().find(|f| f.path == "report.html").expect("a report");
    let quoted = String::from_utf8_lossy(&report.bytes).matches("<div class=\"quote\">").count();
    assert!(quoted > 0, "the report quotes");
    assert!(!data.holds_lists(), "a list made again after the analyses' were let go");
}

/// Quotes chosen among a code's best candidates first (those of the best lengths, at least
/// `best` of them) are those chosen among all, however few are the best: when the best run
/// out before the quotes are chosen, all are looked at.
#[test]
fn quotes_chosen_among_the_best_candidates_are_those_chosen_among_all() {
    use qualkit::analysis::exemplars::exemplars_among_the_best;
    let (mini, codings) = mini_turns_coded();
    let data = mini_dataset(&mini, &codings);
    let mut compared = 0;
    for code in &mini.codebook.codes {
        for n in 1..=4 {
            for keep_all in [true, false] {
                let keep = |segment: usize| keep_all || segment.is_multiple_of(2);
                let all = exemplars_among_the_best(&data, &code.id, n, keep, usize::MAX);
                for best in 0..=8 {
                    let among_the_best = exemplars_among_the_best(&data, &code.id, n, keep, best);
                    assert_eq!(among_the_best, all, "{} n={n} best={best}", code.id);
                    compared += usize::from(!all.is_empty());
                }
            }
        }
    }
    assert!(compared > 0, "some code has quotes");
}

/// A run lets the corpus's turns go once it is segmented (`Corpus::let_turns_go`): every
/// file it writes (codings.csv and segments.csv with each segment's speaker, the tables,
/// the report) is the same without them.
#[test]
fn a_runs_files_are_the_same_without_the_turns() {
    let (mut mini, codings) = mini_turns_coded();
    let written = |mini: &MiniTurns| {
        let mut data = mini_dataset(mini, &codings);
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        qualkit::pipeline::write_run(&out, &mut data, b"codebook").expect("written");
        files(&out)
    };
    let with_turns = written(&mini);
    assert!(with_turns.keys().any(|path| path.ends_with("codings.csv")));
    mini.corpus.let_turns_go();
    assert!(mini.corpus.documents.iter().all(|document| document.turns.is_empty()));
    assert!(written(&mini) == with_turns, "a file differs without the turns");
}

/// A report's quote finds its coding by segment: by halving when the codings come in
/// segment order (as coding makes them), else through each code's list; either way the
/// coding `coded_with` gives, and none for a segment the code did not code or outside the
/// filter.
#[test]
fn the_coding_of_a_segment_is_found_in_or_out_of_segment_order() {
    let (mini, codings) = mini_turns_coded();
    let (segments, codebook) = (&mini.segments, &mini.codebook);
    let reversed: qualkit::coding::Codings = codings.iter().rev().collect();
    for codings in [&codings, &reversed] {
        let mut data = mini_dataset(&mini, codings);
        for filter in [None, Some("gender=female")] {
            if let Some(filter) = filter {
                data.restrict(filter).expect("filter");
            }
            let mut found = 0;
            for code in &codebook.codes {
                for n in 0..segments.len() {
                    let expected = data.coded_with(&code.id, |m| m == n).next();
                    let actual = data.coding_of(&code.id, n);
                    assert!(
                        match (expected, actual) {
                            (Some(e), Some(a)) => e == a,
                            (e, a) => e.is_none() && a.is_none(),
                        },
                        "{} in segment {n} ({filter:?})",
                        code.id
                    );
                    found += usize::from(actual.is_some());
                }
            }
            assert!(found > 0, "some segment is coded ({filter:?})");
        }
    }
}

#[test]
fn codebook_check_and_import_read_words_as_the_study_does() {
    // a study whose words are runs of letters and digits (`don't` is `don` and `t`): checking
    // and importing a codebook read its rules as coding the study will
    let study = fixture("mini");
    let manifest = study.path().join("study.toml");
    let text = std::fs::read_to_string(&manifest).expect("study.toml");
    std::fs::write(&manifest, format!("{text}words = \"alphanumeric\"\n")).expect("write");
    let codebook = study.path().join("apostrophes.toml");
    let write_codebook = |rule: &str| {
        let book = format!(
            "format = 1\nname = \"a\"\nversion = \"1\"\nlanguage = \"english\"\n\n[[code]]\n\
             id = \"unsure\"\nname = \"Unsure\"\ndescription = \"d\"\nrules = [{rule:?}]\n\
             examples = [\"I don't know.\"]\n"
        );
        std::fs::write(&codebook, book).expect("write codebook");
    };
    write_codebook("\"don't know\"");
    qualkit(study.path())
        .args(["codebook", "check"])
        .arg(&codebook)
        .assert()
        .success()
        .stdout(predicate::str::contains("pass  unsure (1 tests)"));
    // `=don't` is two words here: refused by the check as by coding
    write_codebook("=don't");
    let refusal = "rule 1: `=` applies to one whole word; `don't` is not one word";
    qualkit(study.path())
        .args(["codebook", "check"])
        .arg(&codebook)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(refusal));
    qualkit(study.path())
        .args(["code", "--codebook"])
        .arg(&codebook)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(refusal));
    // a dictionary's `don't` becomes the phrase of its two words
    let dic = study.path().join("words.dic");
    std::fs::write(&dic, "%\n1\tunsure\n%\ndon't\t1\nknow\t1\n").expect("write dic");
    let imported = study.path().join("imported.toml");
    qualkit(study.path())
        .args(["codebook", "import"])
        .arg(&dic)
        .arg("--out")
        .arg(&imported)
        .assert()
        .success();
    let written = std::fs::read_to_string(&imported).expect("imported");
    assert!(written.contains("\"don t\""), "{written}");
    assert!(!written.contains("=don't"), "{written}");
}

#[test]
fn frequent_uncoded_words_leave_out_what_is_left_of_contractions() {
    // with words as runs of letters and digits `don't` is `don` and `t`: neither is a word a
    // researcher would code, and the check's list of frequent uncoded words leaves them out
    let transcript = "Interviewer: How was it?\nR: I don't know, it's hard. I don't think it's \
                      fair. Homework, homework, homework. Don't ask, it's late.\n";
    let study = common::minimal_study("id\nS01\n", &[("S01_pre.txt", transcript.as_bytes())]);
    let manifest = study.path().join("study.toml");
    let text = std::fs::read_to_string(&manifest).expect("study.toml");
    std::fs::write(&manifest, format!("{text}\n[coding]\nwords = \"alphanumeric\"\n"))
        .expect("write");
    let codebook = one_code_codebook(study.path(), "zebras", r#"["=zebra"]"#);
    let output =
        qualkit(study.path()).args(["codebook", "check"]).arg(&codebook).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("most frequent words in uncoded segments"))
        .unwrap_or_else(|| panic!("no list of uncoded words:\n{stdout}"));
    assert!(line.contains("homework (3)"), "{line}");
    for fragment in ["don (", "t (", "s ("] {
        assert!(!line.contains(&format!(" {fragment}")), "{fragment} listed: {line}");
    }
}

#[test]
fn the_checks_counts_have_their_thousands_grouped() {
    let transcript = format!(
        "Interviewer: How was it?\nR: {}\nInterviewer: And?\nR: {}\n",
        "homework ".repeat(1200),
        "zebra ".repeat(1000)
    );
    let study = common::minimal_study("id\nR\n", &[("R_pre.txt", transcript.as_bytes())]);
    let codebook = one_code_codebook(study.path(), "zebras", r#"["=zebra"]"#);
    let output =
        qualkit(study.path()).args(["codebook", "check"]).arg(&codebook).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("uncoded segments: homework (1,200)"), "{stdout}");
    assert!(stdout.contains("zebra 1,000"), "{stdout}");
}

#[test]
fn matched_words_holding_a_comma_are_quoted_in_codings_csv() {
    // a number is one word with its comma (UAX #29): the matched cell must be quoted, the
    // rest of the row left as it is
    let transcript = "Interviewer: How much?\nR: We raised 1,000 pounds, then 2,500 more.\n";
    let study = common::minimal_study("id\nR\n", &[("R_pre.txt", transcript.as_bytes())]);
    let codebook = one_code_codebook(study.path(), "money", r#"["1*", "2*", "pound*"]"#);
    let output = qualkit(study.path())
        .args(["code", "--out", "-", "--codebook"])
        .arg(&codebook)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains(",\"1,000 | pounds | 2,500\""), "{text}");
    let rows = csv_rows(&output.stdout);
    let matched = column(&rows, "matched");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][matched], "1,000 | pounds | 2,500");
    assert_eq!(rows[1].len(), rows[0].len(), "as many cells as columns");
}

/// Matches found while a transcript's file had changed are not kept in the match cache: its
/// text then reads as spaces and codes nothing, and the command fails. Kept, they would code
/// the file wrongly once it changed back (its hash, and so the index, as before).
#[test]
fn matches_found_while_a_transcript_changed_are_not_kept() {
    use qualkit::coding::{MatchCache, Matched};
    let dir = fixture("mini");
    // indexed, and its hashes kept with stamps two whole seconds old: the texts of unchanged
    // transcripts are then read only when coding asks for them
    qualkit(dir.path()).arg("index").assert().success();
    std::thread::sleep(std::time::Duration::from_millis(3100));
    qualkit(dir.path()).arg("index").assert().success();
    let study = qualkit::study::Study::load(dir.path()).expect("study");
    let corpus = qualkit::corpus::Corpus::load_letting_texts_go(&study).expect("corpus");
    let (unit, speakers) = (study.coding.unit, study.coding.speakers);
    let (segments, index) = qualkit::index::SegmentIndex::segment_and_open(
        &study,
        &corpus,
        unit,
        speakers,
        &mut |_, _| {},
        &mut |_| {},
    )
    .expect("index");
    let transcript = dir.path().join("interviews/S01_pre.txt");
    let original = std::fs::read(&transcript).expect("transcript");
    std::fs::write(&transcript, [&original[..], b"S01: More targets.\n"].concat()).expect("edit");
    let codebook =
        qualkit::codebook::Codebook::load(&dir.path().join("codebook.toml")).expect("codebook");
    let what = (&corpus, segments.as_slice(), speakers);
    // dropped: its writer of the match cache, if any, waited for
    drop(Matched::find_with_cache(&codebook, &index, what, MatchCache::Update).expect("found"));
    assert!(corpus.check_texts().is_err(), "the change is noticed");
    let cache = dir.path().join(".qualkit/index/sentence/rule-matches-respondents.bin");
    assert!(!cache.exists(), "the matches of a changed text were cached");
    // changed back, the study codes as a fresh copy does
    std::fs::write(&transcript, &original).expect("changed back");
    let codings = |study: &std::path::Path| {
        let output = qualkit(study).args(["code", "--out", "-"]).output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    assert!(codings(dir.path()) == codings(fixture("mini").path()), "coded as a fresh copy");
    assert!(cache.exists(), "the texts as read, their matches are cached where looked for");
}

/// Write `codebook.toml` into `study`: one English code `id` with `rules` (a TOML array).
fn one_code_codebook(study: &std::path::Path, id: &str, rules: &str) -> std::path::PathBuf {
    let codebook = study.join("codebook.toml");
    let text = format!(
        "format = 1\nname = \"c\"\nversion = \"1\"\nlanguage = \"english\"\n\n[[code]]\n\
         id = \"{id}\"\nname = \"{id}\"\ndescription = \"d\"\nrules = {rules}\n"
    );
    std::fs::write(&codebook, text).expect("write codebook");
    codebook
}

/// Exemplar quotes follow the rule as written out plainly (candidates ranked by length, ties
/// by a hash of document, position and code; one quote per participant and group first, then
/// per participant, then anyone; groups by the first participant attribute, compared as
/// strings in sets), on a questionnaire of many respondents in a few groups, some with no
/// group: the first pass runs out of groups long before it runs out of candidates, and stops
/// there.
#[test]
fn quotes_spread_over_participants_and_groups_as_the_plain_rule_says() {
    use qualkit::analysis::exemplars::{exemplars, exemplars_among_the_best};
    use sha2::{Digest, Sha256};
    use std::collections::BTreeSet;
    let dir = tempfile::tempdir().expect("temp dir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("written");
    write(
        "study.toml",
        "format = 1\nname = \"Quotes\"\nlanguage = \"english\"\nwaves = [\"pre\"]\n\n\
         [participants]\nfile = \"participants.csv\"\nid = \"id\"\n\n\
         [[sources]]\npath = \"answers.csv\"\nkind = \"questionnaire\"\n\
         respondent = \"respondent_id\"\nwave = \"pre\"\nopen = [\"a1\", \"a2\"]\n\n\
         [coding]\ncodebook = \"codebook.toml\"\nunit = \"turn\"\n",
    );
    write(
        "codebook.toml",
        "format = 1\nname = \"Quotes\"\nversion = \"1\"\nlanguage = \"english\"\n\n\
         [[code]]\nid = \"targets\"\nname = \"Targets\"\nrules = ['target*']\n\n\
         [[code]]\nid = \"rare\"\nname = \"Rare\"\nrules = ['=rarely']\n",
    );
    // 40 participants in three groups, every seventh in none
    let mut participants = String::from("id,role,gender\n");
    for p in 0..40 {
        let role = if p % 7 == 3 { "" } else { ["a", "b", "c"][p % 3] };
        participants.push_str(&format!("P{p:02},{role},{}\n", ["f", "m"][p % 2]));
    }
    write("participants.csv", &participants);
    // answers of lengths around the preferred 60-280 chars, many of the same length
    let mut answers = String::from("respondent_id,a1,a2\n");
    for r in 0..40 {
        let id = format!("P{r:02}");
        let answer = |k: usize| {
            let filler = "we talk about it most weeks ".repeat((r * 7 + k) % 11);
            let rare = if (r + k).is_multiple_of(9) { "rarely " } else { "" };
            format!("I set targets {rare}{filler}with my mentor.")
        };
        answers.push_str(&format!("{id},{},{}\n", answer(1), answer(2)));
    }
    write("answers.csv", &answers);
    let study = qualkit::study::Study::load(dir.path()).expect("study");
    let corpus = qualkit::corpus::Corpus::load(&study).expect("corpus");
    let unit = qualkit::segment::Unit::Turn;
    let segments = qualkit::segment::segment(&corpus, unit);
    let codebook =
        qualkit::codebook::Codebook::load(&dir.path().join("codebook.toml")).expect("codebook");
    let index = qualkit::index::SegmentIndex::in_memory(&corpus, &segments, study.language, unit)
        .expect("index");
    let speakers = qualkit::study::SpeakerFilter::All;
    let codings =
        qualkit::coding::apply(&codebook, &index, &corpus, &segments, speakers).expect("coded");
    let data =
        qualkit::analysis::Dataset::new(&study, &corpus, &segments, unit, &codebook, &codings);
    let plain = |code: &str, n: usize, keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
        let rank = |s: usize| {
            let segment = &data.segments[s];
            let chars = segment.chars().len();
            let id = &segment.document(data.corpus).id;
            let key = format!("{id}\0{}\0{code}", segment.bytes().start);
            let tie: [u8; 8] = Sha256::digest(key.as_bytes())[..8].try_into().expect("8 bytes");
            (!(60..=280).contains(&chars), chars.abs_diff(140), tie, s)
        };
        let mut ranked: Vec<usize> = data
            .segments_coded_with(code)
            .iter()
            .map(|s| s as usize)
            .filter(|&s| keep(s))
            .collect();
        ranked.sort_by_cached_key(|&s| rank(s));
        let attribute = data.corpus.participants.attributes.first().cloned();
        let (mut quotes, mut participants, mut groups) =
            (Vec::new(), BTreeSet::new(), BTreeSet::new());
        for pass in 0..3 {
            for &s in &ranked {
                if quotes.len() == n {
                    return quotes;
                }
                let Some(participant) = data.speaker(s) else { continue };
                let group = attribute.as_deref().map(|a| data.attribute(participant, a));
                let new_participant = !participants.contains(participant);
                let new_group = group.as_ref().is_none_or(|g| !groups.contains(g));
                let take = match pass {
                    0 => new_participant && new_group,
                    1 => new_participant,
                    _ => !quotes.contains(&s),
                };
                if take {
                    participants.insert(participant.to_owned());
                    groups.extend(group);
                    quotes.push(s);
                }
            }
        }
        quotes
    };
    let mut compared = 0;
    for code in ["targets", "rare"] {
        for n in 1..=12 {
            for keep in [&(|_: usize| true) as &dyn Fn(usize) -> bool, &|s: usize| s % 3 != 1] {
                let chosen: Vec<usize> =
                    exemplars(&data, code, n, keep).iter().map(|q| q.segment).collect();
                assert_eq!(chosen, plain(code, n, keep), "{code}, {n} quotes");
                compared += chosen.len();
                // chosen among the best few first, the first pass then stopped by the
                // candidates running out as well as by the groups
                for best in [1, 4, 16] {
                    let among = exemplars_among_the_best(&data, code, n, keep, best);
                    let among: Vec<usize> = among.iter().map(|q| q.segment).collect();
                    assert_eq!(among, chosen, "{code}, {n} quotes among the best {best}");
                }
            }
        }
    }
    let groups: BTreeSet<String> =
        (0..40).map(|p| data.attribute(&format!("P{p:02}"), "role")).collect();
    assert_eq!(groups.len(), 4, "three groups and the missing one");
    assert!(compared > 100, "quotes were chosen ({compared})");
}
