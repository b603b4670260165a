//! qualkit gives the team's Python baselines' answers (issue 9: "speed never comes from doing
//! less"). The fixture is six transcripts of the scale benchmark's corpus with the benchmark
//! codebook translated by `benches/scale/make_study.py`; `reference.csv` is what
//! `../shared/bench/python_re.py` counts on them (`tests/fixtures/baseline/make.sh` makes
//! both). Four of the six hold a phrase with a transcription mark between its words, which
//! qualkit once matched and the baselines do not.

mod common;

use std::collections::BTreeMap;

use common::{fixture, qualkit};

type Counts = BTreeMap<(String, String, String), u64>;

/// Matching respondent turns per participant × wave × code (upper-case, as the baselines'
/// codebook names codes) in a turn-unit codings.csv.
fn counts_of_codings(csv: &[u8]) -> Counts {
    let mut reader = csv::Reader::from_reader(csv);
    let headers = reader.headers().expect("header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (participant, wave, code) = (column("participant"), column("wave"), column("code"));
    let mut counts = Counts::new();
    for row in reader.records() {
        let row = row.expect("row");
        let key = (row[participant].to_owned(), row[wave].to_owned(), row[code].to_uppercase());
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

#[test]
fn counts_of_matching_turns_equal_the_python_baselines() {
    let study = fixture("baseline");
    let out = study.path().join("codings.csv");
    qualkit(study.path()).arg("code").arg("--out").arg(&out).assert().success();
    let ours = counts_of_codings(&std::fs::read(&out).expect("codings.csv"));
    let reference =
        reference_counts(&std::fs::read(study.path().join("reference.csv")).expect("reference"));
    assert!(reference.len() > 250, "the fixture exercises most codes: {}", reference.len());
    let keys: std::collections::BTreeSet<_> = reference.keys().chain(ours.keys()).collect();
    let differing: Vec<_> = keys
        .into_iter()
        .filter(|key| ours.get(*key) != reference.get(*key))
        .map(|key| {
            format!("{key:?}: qualkit {:?}, reference {:?}", ours.get(key), reference.get(key))
        })
        .collect();
    assert!(differing.is_empty(), "counts differ:\n{}", differing.join("\n"));
}
