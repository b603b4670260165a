//! The bundled sample study ingests, indexes and searches, and shows its planted findings.

mod common;

use common::{assert_lines_point_at_matches, csv_rows, qualkit, sample_study};

#[test]
fn sample_study_search_lists_hits_with_correct_lines() {
    let study = sample_study();
    let output = qualkit(study.path())
        .args(["search", "\"set targets\"~2 OR target*", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows[0][..5], ["document", "participant", "wave", "speaker", "line"]);
    assert!(rows.len() > 50, "only {} hits", rows.len() - 1);
    assert_lines_point_at_matches(study.path(), &rows);
    let waves: std::collections::BTreeSet<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(waves, ["post", "pre"].into());
}

#[test]
fn sample_study_has_the_documented_design() {
    let study = sample_study();
    let output = qualkit(study.path()).arg("index").output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("118 documents, 36 participants"), "{stdout}");
    // interviews by kind and wave: 48 student interviews, 8 groups
    let output = qualkit(study.path())
        .args(["search", "NOT zzzz", "--unit", "turn", "--by", "kind", "--format", "csv"])
        .output()
        .expect("runs");
    let rows = csv_rows(&output.stdout);
    let kinds: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(kinds, ["focus_group", "interview", "questionnaire"]);
}

#[test]
fn target_talk_rises_from_pre_to_post_among_students() {
    let study = sample_study();
    let output = qualkit(study.path())
        .args([
            "search",
            "target* OR goal* OR \"predicted grade\"",
            "--by",
            "wave",
            "--speakers",
            "respondents",
            "--format",
            "csv",
        ])
        .output()
        .expect("runs");
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows[1][0], "pre");
    assert_eq!(rows[2][0], "post");
    let participants = |row: &Vec<String>| row[3].parse::<usize>().expect("count");
    assert!(participants(&rows[2]) > participants(&rows[1]), "{rows:?}");
}

#[test]
fn sample_study_search_is_byte_identical_on_rerun() {
    let study = sample_study();
    let run = || {
        qualkit(study.path())
            .args(["search", "mentor* NEAR/4 help*", "--format", "json"])
            .output()
            .expect("runs")
            .stdout
    };
    let first = run();
    assert!(!first.is_empty());
    assert_eq!(first, run());
}
