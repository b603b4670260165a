//! Real files: fixtures copied in with their licences, and an optional check over the
//! readable files in `../shared/realdata/` (skipped with a message when that folder is
//! absent, as on a fresh clone elsewhere).

mod common;

use std::path::{Path, PathBuf};

use common::{csv_rows, fixture, qualkit, write};

#[test]
fn gadarian_open_answers_ingest_one_document_per_respondent() {
    let study = fixture("gadarian");
    let output = qualkit(study.path()).arg("index").output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("60 documents, 60 participants"));
    let output =
        qualkit(study.path()).args(["search", "afraid", "--format", "csv"]).output().expect("runs");
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows[1][0], "answers.csv#R2/open_ended_response");
    assert_eq!(rows[1][3], "R2");
    assert_eq!(rows[1][4], "3", "the answer's line in the CSV");
}

#[test]
fn bracketed_speaker_labels_and_marks_at_line_start() {
    let study = common::minimal_study("id\nid1\nid2\n", &[]);
    write(
        study.path(),
        "study.toml",
        common::MINIMAL_MANIFEST.replace("name = \"{participant}_{wave}\"\n", "").as_bytes(),
    );
    write(
        study.path(),
        "interviews/focus.txt",
        b"[id1] hello, I like the course.\n\n[id2] I am struggling.\n[laughs] but it is fine.\n",
    );
    let output = qualkit(study.path())
        .args(["search", "fine OR course", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    let speakers: Vec<(&str, &str)> =
        rows[1..].iter().map(|r| (r[6].as_str(), r[3].as_str())).collect();
    assert_eq!(speakers, [("course", "id1"), ("fine", "id2")], "the mark continues id2's turn");
}

fn shared() -> Option<PathBuf> {
    let path = common::repo().join("../shared/realdata");
    path.is_dir().then_some(path)
}

/// A study over copies of real files; `index` must succeed.
fn ingest(manifest: &str, participants: &str, files: &[(&Path, &str)]) -> String {
    let study = tempfile::tempdir().expect("temp");
    write(study.path(), "study.toml", manifest.as_bytes());
    write(study.path(), "participants.csv", participants.as_bytes());
    for (from, to) in files {
        write(study.path(), to, &std::fs::read(from).expect("readable"));
    }
    let output = qualkit(study.path()).arg("index").output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn readable_files_in_shared_realdata_ingest() {
    let Some(data) = shared() else {
        eprintln!("skipping: ../shared/realdata is not here (a fresh clone elsewhere)");
        return;
    };
    // QualCoder's focus group with [id1] labels, its CRLF survey and its cases
    let qualcoder = data.join("qualcoder-examples");
    let manifest = "format = 1\nname = \"q\"\n[participants]\nfile = \"participants.csv\"\nid = \"case\"\n[[sources]]\npath = \"t\"\nkind = \"focus_group\"\n[[sources]]\npath = \"survey.csv\"\nkind = \"questionnaire\"\nrespondent = \"Case\"\nopen = [\"freetext\"]\n";
    let mut participants = std::fs::read_to_string(qualcoder.join("cases123.csv")).expect("cases");
    participants.push_str("id1,,,\nid2,,,\nid3,,,\nID4,,,\nID5,,,\nID6,,,\n");
    let summary = ingest(
        manifest,
        &participants,
        &[
            (&qualcoder.join("transcript.txt"), "t/transcript.txt"),
            (&qualcoder.join("survey456.csv"), "survey.csv"),
        ],
    );
    assert!(summary.contains("documents"), "{summary}");
    // school-board and interview transcripts: named speakers as anonymous labels, CRLF
    let qc = data.join("qc-cs-education-interviews");
    let manifest = "format = 1\nname = \"b\"\n[participants]\nfile = \"participants.csv\"\n[speakers]\nunknown = \"anonymous\"\n[[sources]]\npath = \"t\"\nkind = \"interview\"\n";
    ingest(
        manifest,
        "id\nnobody\n",
        &[
            (&qc.join("admin-1.txt"), "t/admin-1.txt"),
            (&qc.join("board_2017.txt"), "t/board_2017.txt"),
        ],
    );
    // the three German pair interviews as Word files
    let haski = data.join("haski-student-interviews-de");
    let manifest = "format = 1\nname = \"h\"\nlanguage = \"german\"\n[participants]\nfile = \"participants.csv\"\n[[sources]]\npath = \"t\"\nkind = \"focus_group\"\n";
    let files: Vec<(PathBuf, String)> = (1..=3)
        .map(|i| (haski.join(format!("interview{i}.docx")), format!("t/interview{i}.docx")))
        .collect();
    let refs: Vec<(&Path, &str)> = files.iter().map(|(a, b)| (a.as_path(), b.as_str())).collect();
    let summary = ingest(manifest, "id\nS1\nS2\nS3\nS4\nS5\nS6\n", &refs);
    assert!(summary.contains("3 documents, 6 participants"), "{summary}");
}
