//! The command line on the small fixture study: search, counts, formats, the index cache.

mod common;

use common::{assert_lines_point_at_matches, csv_rows, fixture, qualkit};
use predicates::prelude::*;

#[test]
fn search_csv_lists_hits_with_participant_wave_speaker_and_correct_lines() {
    let study = fixture("mini");
    let output = qualkit(study.path())
        .args(["search", "\"set targets\"~2 OR target*", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    assert_eq!(
        rows[0],
        ["document", "participant", "wave", "speaker", "line", "left", "match", "right"]
    );
    assert_eq!(
        rows[1][..7],
        [
            "interviews/S01_pre.txt",
            "S01",
            "pre",
            "S01",
            "7",
            "I- I think it's to help you",
            "set targets"
        ]
    );
    assert_eq!(rows.len() - 1, 7, "hits: {rows:?}");
    assert_lines_point_at_matches(study.path(), &rows);
    // the CRLF file keeps its line numbers
    assert!(
        rows.iter().any(|r| r[0] == "interviews/S02_post.txt" && r[4] == "3" && r[6] == "targets")
    );
}

#[test]
fn search_excludes_interviewers_when_asked() {
    let study = fixture("mini");
    qualkit(study.path()).args(["search", "\"what changed\""]).assert().success();
    qualkit(study.path())
        .args(["search", "\"what changed\"", "--speakers", "respondents"])
        .assert()
        .code(1);
}

#[test]
fn search_exits_1_when_nothing_matches() {
    let study = fixture("mini");
    qualkit(study.path()).args(["search", "zebra"]).assert().code(1).stdout("");
}

#[test]
fn transcription_marks_are_not_matched() {
    let study = fixture("mini");
    qualkit(study.path()).args(["search", "laughs OR inaudible"]).assert().code(1);
}

#[test]
fn search_by_attribute_follows_the_declared_order() {
    let study = fixture("mini");
    let output = qualkit(study.path())
        .args(["search", "target", "--by", "ability", "--format", "csv"])
        .output()
        .expect("runs");
    let rows = csv_rows(&output.stdout);
    let levels: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(levels, ["low", "high", "(missing)"]);
    assert_eq!(rows[1], ["low", "4", "2", "1", "2"]);
}

#[test]
fn search_by_unknown_attribute_is_an_error() {
    let study = fixture("mini");
    qualkit(study.path())
        .args(["search", "target", "--by", "colour"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown attribute `colour`; expected one of"));
}

#[test]
fn search_limit_and_context_shape_the_listing() {
    let study = fixture("mini");
    let output = qualkit(study.path())
        .args(["search", "target", "--limit", "2", "--context", "1", "--format", "csv"])
        .output()
        .expect("runs");
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][5], "set");
    assert_eq!(rows[1][7], ". Like,");
}

#[test]
fn search_json_is_valid_json_with_rows() {
    let study = fixture("mini");
    let output = qualkit(study.path())
        .args(["search", "confidence", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["rows"][0]["participant"], "S03");
    assert_eq!(json["rows"][0]["line"], 8);
}

#[test]
fn query_syntax_error_points_at_the_column() {
    let study = fixture("mini");
    qualkit(study.path())
        .args(["search", "set targets"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "qualkit: error: query, column 5: expected AND, OR or NEAR/n",
        ))
        .stderr(predicate::str::contains("  set targets\n      ^"));
}

#[test]
fn index_is_reused_until_an_input_changes() {
    let study = fixture("mini");
    // the study codes respondents: the interviewer's turns are left out of the index
    qualkit(study.path()).arg("index").assert().success().stdout(
        predicate::str::contains("sentence index built: 16 segments (11 respondents' indexed)")
            .and(predicate::str::contains(
                "turn index built: 11 segments (6 respondents' indexed)",
            )),
    );
    qualkit(study.path()).arg("index").assert().success().stdout(
        predicate::str::contains("sentence index up to date")
            .and(predicate::str::contains("turn index up to date")),
    );
    common::write(
        study.path(),
        "interviews/S02_post.txt",
        b"Interviewer: now?\nS02: Goals, not targets.\n",
    );
    // one file changed: its segments indexed again, the others kept
    qualkit(study.path())
        .arg("index")
        .assert()
        .success()
        .stdout(predicate::str::contains("sentence index updated (1 file changed): 15 segments"));
    qualkit(study.path())
        .args(["search", "goal"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[Goals]"));
}

#[test]
fn study_is_discovered_from_a_subfolder() {
    let study = fixture("mini");
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    command.current_dir(study.path().join("interviews")).args(["-q", "search", "trust"]);
    command.assert().success().stdout(predicate::str::contains("[trust]"));
}

#[test]
fn no_study_found_is_a_clear_error() {
    let empty = tempfile::tempdir().expect("temp dir");
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    command.current_dir(empty.path()).args(["search", "x"]);
    command
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no study.toml here or in any parent folder"));
}

#[test]
fn help_lists_the_commands() {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .arg("--help")
        .output()
        .expect("runs");
    insta::assert_snapshot!("help", String::from_utf8_lossy(&output.stdout));
}

/// A concordance longer than the lines made at a time (16,384) is written in batches: as
/// CSV with its header once and every row in order, the rows those of the table made at
/// once (JSON); as the aligned listing with one width for each column throughout.
#[test]
fn a_long_concordance_is_the_same_written_in_batches() {
    let mut transcript = String::from("---\nparticipant: P1\nwave: pre\n---\n");
    // a second speaker, whose longer name the listing's speaker column makes room for
    // only in the last batch
    for n in 0..20_000 {
        let speaker = if n == 19_999 { "Interviewer" } else { "P1" };
        transcript.push_str(&format!("{speaker}: The mentor said {n} things.\n"));
    }
    let study =
        common::minimal_study("id,gender\nP1,f\n", &[("P1_pre.txt", transcript.as_bytes())]);
    let search = |format: &str| {
        let output = qualkit(study.path())
            .args(["search", "mentor", "--speakers", "all", "--format", format])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let rows = csv_rows(&search("csv"));
    assert_eq!(rows.len(), 20_001, "a header and a row per hit");
    assert_eq!(rows[0][0], "document");
    assert!(rows[1..].iter().all(|r| r[0] != "document"), "one header");
    let json: serde_json::Value = serde_json::from_slice(&search("json")).expect("JSON");
    let table = json["rows"].as_array().expect("rows");
    assert_eq!(table.len(), 20_000);
    for (row, whole) in rows[1..].iter().zip(table) {
        assert_eq!(row[4], whole["line"].to_string());
        assert_eq!(row[7], whole["right"].as_str().expect("right"));
        assert_eq!(row[3], whole["speaker"].as_str().expect("speaker"));
    }
    let listing = String::from_utf8(search("text")).expect("UTF-8");
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 20_000);
    let match_at = |line: &str| line.find(" [mentor]").expect("the match");
    assert!(lines.iter().all(|line| match_at(line) == match_at(lines[0])), "one alignment");
    // the first batch's lines (P1's) are aligned with the last's (the interviewer's)
    assert!(lines[19_999].contains("  interviewer  "), "{}", lines[19_999]);
}
