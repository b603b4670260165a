//! qualkit gives the team's Python baselines' answers (issue 9: "speed never comes from doing
//! less"). The fixture is six transcripts of the scale benchmark's corpus with the benchmark
//! codebook translated by `benches/scale/make_study.py`; `reference.csv` is what
//! `../shared/bench/python_re.py` counts on them (`tests/fixtures/baseline/make.sh` makes
//! both). Four of the six hold a phrase with a transcription mark between its words, which
//! qualkit once matched and the baselines do not. `reference-marks.csv` counts with one more
//! code, whose words occur only inside transcription marks (`[laughs]`): the baselines'
//! tokens include them, and so do the study's words (`marks = "words"`).
//! `reference-apostrophes.csv` counts with a code of the tokens after an apostrophe (`s*`
//! matches the `s` of `it's`): the baselines' tokens are runs of letters and digits, and so
//! are the study's words (`words = "alphanumeric"`). `reference-ids.csv` counts with a
//! codebook whose ids no qualkit id can be (`Conjunctions` and `conjunctions`, `not / near`),
//! with a code without patterns and patterns that are words of the rule language:
//! `make_study.py` gives each code a valid id, and its `code-ids.json` maps them back.

mod common;

use std::collections::BTreeMap;

use common::{fixture, qualkit};
use qualkit::index::Marks;

type Counts = BTreeMap<(String, String, String), u64>;

/// The baselines' id of each qualkit code id, from the `code-ids.json` that `make_study.py`
/// wrote beside a translated codebook.
fn original_ids(json: &[u8]) -> BTreeMap<String, String> {
    serde_json::from_slice(json).expect("code-ids.json maps ids to ids")
}

/// Matching respondent turns per participant × wave × code (named as the baselines' codebook
/// names it) in a turn-unit codings.csv.
fn counts_of_codings(csv: &[u8], ids: &BTreeMap<String, String>) -> Counts {
    let mut reader = csv::Reader::from_reader(csv);
    let headers = reader.headers().expect("header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (participant, wave, code) = (column("participant"), column("wave"), column("code"));
    let mut counts = Counts::new();
    for row in reader.records() {
        let row = row.expect("row");
        let original = ids.get(&row[code]).unwrap_or_else(|| panic!("no id for {}", &row[code]));
        let key = (row[participant].to_owned(), row[wave].to_owned(), original.clone());
        *counts.entry(key).or_default() += 1;
    }
    counts
}

fn reference_counts(csv: &[u8]) -> Counts {
    let mut reader = csv::Reader::from_reader(csv);
    reader
        .records()
        .map(|row| {
            let row = row.expect("row");
            let turns = row[3].parse().expect("a count");
            ((row[0].to_owned(), row[1].to_owned(), row[2].to_owned()), turns)
        })
        .collect()
}

/// Code the fixture with `codebook` (the study's own when None) and its `code-ids` file,
/// with the study's `marks = "words"` or with `Marks::Skipped` (qualkit's default), and check
/// its counts equal `reference`; the reference's counts.
fn assert_counts_equal(codebook: Option<(&str, &str)>, marks: Marks, reference: &str) -> Counts {
    let study = fixture("baseline");
    assert_counts_equal_in(study.path(), codebook, marks, reference)
}

/// [`assert_counts_equal`] on the study at `study`, a copy of the fixture.
fn assert_counts_equal_in(
    study: &std::path::Path,
    codebook: Option<(&str, &str)>,
    marks: Marks,
    reference: &str,
) -> Counts {
    if marks == Marks::Skipped {
        let manifest = study.join("study.toml");
        let text = std::fs::read_to_string(&manifest).expect("study.toml");
        assert!(text.contains("marks = \"words\"\n"), "the fixture matches marks' words");
        std::fs::write(&manifest, text.replace("marks = \"words\"\n", "")).expect("write");
    }
    let out = study.join("codings.csv");
    let mut code = qualkit(study);
    code.arg("code").arg("--out").arg(&out);
    let mut ids = "code-ids.json";
    if let Some((codebook, its_ids)) = codebook {
        code.arg("--codebook").arg(study.join(codebook));
        ids = its_ids;
    }
    code.assert().success();
    let ids = original_ids(&std::fs::read(study.join(ids)).expect("code ids"));
    let ours = counts_of_codings(&std::fs::read(&out).expect("codings.csv"), &ids);
    let reference = reference_counts(&std::fs::read(study.join(reference)).expect("reference"));
    let keys: std::collections::BTreeSet<_> = reference.keys().chain(ours.keys()).collect();
    let differing: Vec<_> = keys
        .into_iter()
        .filter(|key| ours.get(*key) != reference.get(*key))
        .map(|key| {
            format!("{key:?}: qualkit {:?}, reference {:?}", ours.get(key), reference.get(key))
        })
        .collect();
    assert!(differing.is_empty(), "counts differ:\n{}", differing.join("\n"));
    reference
}

#[test]
fn counts_of_matching_turns_equal_the_python_baselines() {
    let reference = assert_counts_equal(None, Marks::Words, "reference.csv");
    assert!(reference.len() > 250, "the fixture exercises most codes: {}", reference.len());
    // none of the benchmark codebook's words is a mark's, so qualkit's default counts alike
    assert_counts_equal(None, Marks::Skipped, "reference.csv");
}

#[test]
fn words_of_transcription_marks_count_as_the_baselines_count_them() {
    // a code whose words occur only inside marks (`[laughs]`): the study says marks = "words"
    let reference = assert_counts_equal(
        Some(("codebook-marks.toml", "code-ids-marks.json")),
        Marks::Words,
        "reference-marks.csv",
    );
    let marks = reference.iter().filter(|((_, _, code), _)| code == "MARKS").count();
    assert_eq!(marks, 6, "every transcript has marks the code matches");
}

#[test]
fn tokens_after_an_apostrophe_count_as_the_baselines_count_them() {
    // `s*`, `t`, `"don t"`: the study splits words into runs of letters and digits
    let reference = assert_counts_equal(
        Some(("codebook-apostrophes.toml", "code-ids-apostrophes.json")),
        Marks::Words,
        "reference-apostrophes.csv",
    );
    let code = |counts: &Counts| -> u64 {
        counts.iter().filter(|((_, _, code), _)| code == "APOSTROPHES").map(|(_, n)| n).sum()
    };
    assert!(code(&reference) > 1000, "the code matches in every transcript");
    // with UAX #29 words (qualkit's default) `it's` is one word, and the code counts fewer
    let study = fixture("baseline");
    let manifest = study.path().join("study.toml");
    let text = std::fs::read_to_string(&manifest).expect("study.toml");
    assert!(text.contains("words = \"alphanumeric\"\n"), "the fixture splits as the baselines");
    std::fs::write(&manifest, text.replace("words = \"alphanumeric\"\n", "")).expect("write");
    let out = study.path().join("codings.csv");
    qualkit(study.path())
        .args(["code", "--out"])
        .arg(&out)
        .arg("--codebook")
        .arg(study.path().join("codebook-apostrophes.toml"))
        .assert()
        .success();
    let ids = original_ids(
        &std::fs::read(study.path().join("code-ids-apostrophes.json")).expect("code ids"),
    );
    let unicode = counts_of_codings(&std::fs::read(&out).expect("codings.csv"), &ids);
    assert!(code(&unicode) < code(&reference), "{} vs {}", code(&unicode), code(&reference));
}

#[test]
fn codes_whose_ids_qualkit_cannot_take_count_as_the_baselines_count_them() {
    let reference = assert_counts_equal(
        Some(("codebook-ids.toml", "code-ids-ids.json")),
        Marks::Words,
        "reference-ids.csv",
    );
    let codes: std::collections::BTreeSet<&str> =
        reference.keys().map(|(_, _, code)| code.as_str()).collect();
    // every code with patterns counts turns under its own id, the two that differ only in
    // case apart; the code without patterns counts none
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["Accents é", "Conjunctions", "Year 10", "conjunctions", "conjunctions-2", "not / near"]
    );
    let study = fixture("baseline");
    let toml = std::fs::read_to_string(study.path().join("codebook-ids.toml")).expect("toml");
    assert!(!toml.contains("Empty"), "a code without patterns is left out:\n{toml}");
}

/// `benches/scale/make_study.py` run on `corpus` (callers check for python3 first).
fn make_study(corpus: &std::path::Path) -> std::process::Output {
    std::process::Command::new("python3")
        .arg(common::repo().join("benches/scale/make_study.py"))
        .arg(corpus)
        .output()
        .expect("python runs")
}

fn python3_present() -> bool {
    let present = std::process::Command::new("python3").arg("--version").output().is_ok();
    if !present {
        eprintln!("skipping: python3 not installed");
    }
    present
}

#[test]
fn make_study_takes_a_corpus_of_other_waves_without_participants() {
    // benches/scale.sh --corpus DIR: a corpus in gen_corpus.py's layout but with waves of its
    // own names and no participants.csv; make_study.py takes its waves and participants from
    // the file names, and the counts are the reference's with the waves renamed
    if !python3_present() {
        return;
    }
    let study = fixture("baseline");
    let renamed = |wave: &str| if wave == "pre" { "t1" } else { "t2" };
    let transcripts = study.path().join("transcripts");
    for entry in std::fs::read_dir(&transcripts).expect("transcripts") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name").to_owned();
        let (id, wave) = stem.rsplit_once('_').expect("ID_wave");
        std::fs::rename(&path, transcripts.join(format!("{id}_{}.txt", renamed(wave))))
            .expect("rename");
    }
    for made in ["participants.csv", "study.toml", "codebook.toml", "code-ids.json"] {
        std::fs::remove_file(study.path().join(made)).expect("remove");
    }
    let made = make_study(study.path());
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let manifest = std::fs::read_to_string(study.path().join("study.toml")).expect("study.toml");
    assert!(manifest.contains("waves = [\"t1\", \"t2\"]\n"), "{manifest}");
    assert!(!manifest.contains("crosstab"), "no attributes to cross: {manifest}");
    let participants =
        std::fs::read_to_string(study.path().join("participants.csv")).expect("written");
    assert_eq!(participants, "id\nS0001\nS0754\nT0043\nT0092\nT0127\n");
    let out = study.path().join("out");
    qualkit(study.path()).arg("run").arg("--out").arg(&out).assert().success();
    let ids = original_ids(&std::fs::read(study.path().join("code-ids.json")).expect("ids"));
    let ours = counts_of_codings(&std::fs::read(out.join("codings.csv")).expect("csv"), &ids);
    let reference: Counts =
        reference_counts(&std::fs::read(study.path().join("reference.csv")).expect("reference"))
            .into_iter()
            .map(|((id, wave, code), n)| ((id, renamed(&wave).to_owned(), code), n))
            .collect();
    assert_eq!(ours, reference);
}

#[test]
fn make_study_completes_participants_and_reads_only_transcripts() {
    // a corpus of one's own: its participants.csv lacks a transcript's participant, and its
    // transcripts folder holds a note; the baselines count every `<ID>_<wave>.txt` and
    // nothing else, and so does the study made of it
    if !python3_present() {
        return;
    }
    let study = fixture("baseline");
    let participants = study.path().join("participants.csv");
    let listed = std::fs::read_to_string(&participants).expect("participants.csv");
    let without: String =
        listed.lines().filter(|l| !l.starts_with("T0127,")).map(|l| format!("{l}\n")).collect();
    assert_ne!(without, listed, "the fixture lists T0127");
    std::fs::write(&participants, &without).expect("write");
    std::fs::write(study.path().join("transcripts/README.md"), "Notes: not a transcript\n")
        .expect("write");
    let made = make_study(study.path());
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let completed = std::fs::read_to_string(&participants).expect("participants.csv");
    assert_eq!(completed, format!("{without}T0127,,,,,\n"));
    assert_counts_equal_in(study.path(), None, Marks::Words, "reference.csv");
    // an id holding `_`: qualkit's file-name pattern would split it at the wrong `_`
    let transcripts = study.path().join("transcripts");
    std::fs::rename(transcripts.join("S0001_pre.txt"), transcripts.join("S_0001_pre.txt"))
        .expect("rename");
    let refused = make_study(study.path());
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("S_0001_pre.txt: a participant id holding `_`"), "{message}");
}
