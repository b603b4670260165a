//! An index updated in place for the files that changed (`src/index/update.rs`) codes as a
//! fresh build does, through a chain of updates: a transcript changed in the
//! middle of the study, changed again, removed, and put back; and a change that is not to a
//! transcript builds the index afresh.

mod common;

use std::path::Path;

use predicates::prelude::*;

use common::{qualkit, sample_study};

/// `qualkit index` says each index was `state`.
fn index_says(study: &Path, state: &str) {
    qualkit(study).arg("index").assert().success().stdout(
        predicate::str::contains(format!("sentence index {state}:"))
            .and(predicate::str::contains(format!("turn index {state}:"))),
    );
}

/// The codings.csv of `qualkit code` (the coding `run` does, without its tables and
/// charts, ten seconds of a debug build) with the study's caches as they are, and the
/// concordances of a few searches (coding a whole codebook splits every segment into words
/// and never asks the index, a search asks it for its candidates), and the themes table (its
/// rates count every segment's words).
fn code(study: &Path) -> Vec<u8> {
    let out = study.with_file_name("codings.csv");
    qualkit(study).args(["code", "--out"]).arg(&out).assert().success();
    let mut coded = std::fs::read(out).expect("codings read");
    let queries = ["target*", "mentor NEAR/3 target*", "\"mentor helped\"~2", "revision OR exams"];
    for query in queries {
        let search = qualkit(study).args(["search", "--format", "csv", query]).assert().success();
        coded.extend_from_slice(&search.get_output().stdout);
    }
    // rates per 1,000 words: every segment's word count
    let themes = qualkit(study).args(["themes", "--format", "csv"]).assert().success();
    coded.extend_from_slice(&themes.get_output().stdout);
    coded
}

/// The coding equals that of a study with no caches at all; the caches are then put back,
/// so the next update starts from the updated index.
fn assert_same_as_fresh(study: &Path, updated: &[u8]) {
    let caches = study.join(".qualkit");
    let aside = study.with_file_name("caches-aside");
    std::fs::rename(&caches, &aside).expect("caches moved aside");
    let fresh = code(study);
    std::fs::remove_dir_all(&caches).expect("fresh caches removed");
    std::fs::rename(&aside, &caches).expect("caches put back");
    assert!(updated == fresh, "codings differ from a fresh build's");
}

fn edit(study: &Path, relative: &str, from: &str, to: &str) {
    let path = study.join(relative);
    let text = std::fs::read_to_string(&path).expect("transcript read");
    assert!(text.contains(from), "{relative} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("transcript written");
}

#[test]
fn an_index_updated_for_the_files_that_changed_gives_a_fresh_builds_outputs() {
    let study = sample_study();
    let study = study.path();
    let before = code(study);
    // the turn index too, which `index` keeps with the coding unit's
    qualkit(study).arg("index").assert().success();
    index_says(study, "up to date");

    // a sentence that codes as mentoring and targets, early in a file in the middle of the
    // study: every segment after it moves by one
    let changed = "interviews/students/S09_pre.txt";
    let text = std::fs::read_to_string(study.join(changed)).expect("read");
    let first_turn =
        text.lines().find(|l| l.contains("] S09: ")).expect("a turn of S09").to_owned();
    let added = format!("{first_turn} My mentor set me a target for maths and checks it weekly.");
    edit(study, changed, &first_turn, &added);
    index_says(study, "updated (1 file changed)");
    let updated = code(study);
    assert_ne!(updated, before, "the new sentence is coded");
    assert_same_as_fresh(study, &updated);

    // changed again: its segments are deleted under the keys the last update gave them
    edit(study, changed, " and checks it weekly.", ", and we talk about revision.");
    index_says(study, "updated (1 file changed)");
    assert_same_as_fresh(study, &code(study));

    // a transcript removed, then put back where it was
    let removed = "interviews/students/S10_pre.txt";
    let bytes = std::fs::read(study.join(removed)).expect("read");
    std::fs::remove_file(study.join(removed)).expect("removed");
    index_says(study, "updated (1 file changed)");
    assert_same_as_fresh(study, &code(study));
    std::fs::write(study.join(removed), bytes).expect("put back");
    index_says(study, "updated (1 file changed)");
    assert_same_as_fresh(study, &code(study));

    // the study's last file, a questionnaire: its answers' matches come after every kept one
    let questionnaire = "questionnaires/staff_post.csv";
    let (from, to) = ("were timetabled.", "were timetabled and mentors set every target.");
    edit(study, questionnaire, from, to);
    index_says(study, "updated (1 file changed)");
    assert_same_as_fresh(study, &code(study));

    // an update cut short leaves no fingerprint: the index is built again
    edit(study, changed, "revision", "exams");
    for unit in ["sentence", "turn"] {
        let fingerprint = study.join(".qualkit/index").join(unit).join("qualkit-fingerprint");
        std::fs::remove_file(fingerprint).expect("fingerprint removed");
    }
    index_says(study, "built");
    assert_same_as_fresh(study, &code(study));

    // who is a respondent may change with participants.csv: built afresh
    let participants = study.join("participants.csv");
    let mut table = std::fs::read(&participants).expect("read");
    table.extend_from_slice(b"\n");
    std::fs::write(&participants, table).expect("written");
    index_says(study, "built");
    assert_nothing_left_over(study);
}

/// Each index's folder and lock file, and nothing else: no old index moved aside, no
/// fingerprint written but not put in place.
fn assert_nothing_left_over(study: &Path) {
    let names = |folder: &Path| -> Vec<String> {
        let entries = std::fs::read_dir(folder).expect("folder read").map(|e| e.expect("entry"));
        let mut names: Vec<_> = entries.map(|e| e.file_name().to_string_lossy().into()).collect();
        names.sort();
        names
    };
    let indexes = study.join(".qualkit/index");
    assert_eq!(names(&indexes), ["sentence", "sentence.lock", "turn", "turn.lock"]);
    for unit in ["sentence", "turn"] {
        let held = names(&indexes.join(unit));
        assert!(held.iter().any(|n| n == "qualkit-fingerprint"), "{held:?}");
        assert!(!held.iter().any(|n| n.starts_with("qualkit-fingerprint.")), "{held:?}");
    }
}

/// A file listed by two sources has its documents twice, apart: the table of files cannot
/// list its segments, so the index is built afresh each time, and works.
#[test]
fn a_study_whose_files_cannot_be_listed_is_built_afresh() {
    let study = common::minimal_study(
        "id,gender\nS01,female\nS02,male\n",
        &[
            ("S01_pre.txt", b"Interviewer: How is it?\nS01: My mentor helps.\n"),
            ("S02_pre.txt", b"Interviewer: And now?\nS02: Targets matter.\n"),
        ],
    );
    let study = study.path();
    let mut manifest = std::fs::read_to_string(study.join("study.toml")).expect("manifest");
    manifest.push_str(
        "\n[[sources]]\npath = \"interviews/S01_pre.txt\"\nkind = \"interview\"\nname = \"{participant}_{wave}\"\n",
    );
    std::fs::write(study.join("study.toml"), manifest).expect("manifest written");
    index_says(study, "built");
    index_says(study, "up to date");
    common::write(study, "interviews/S02_pre.txt", b"Interviewer: And now?\nS02: Goals matter.\n");
    index_says(study, "built");
    qualkit(study)
        .args(["search", "goal"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[Goals]"));
    let mentor = qualkit(study).args(["search", "--format", "csv", "mentor"]).assert().success();
    let rows = String::from_utf8_lossy(&mentor.get_output().stdout).lines().count();
    assert_eq!(rows, 3, "a header and S01_pre's turn, once per source");
}

/// Flip a byte in the middle of every `.idx` file of the study's sentence index.
fn damage_the_index(study: &Path) {
    let folder = study.join(".qualkit/index/sentence");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&folder).expect("index folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "idx") {
            let mut bytes = std::fs::read(&path).expect("read");
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xff;
            std::fs::write(&path, bytes).expect("written");
            damaged += 1;
        }
    }
    assert!(damaged > 0, "the index has segment files");
}

/// A damaged segment file of an index, its table and fingerprint intact, is built afresh,
/// whether the inputs changed (never updated in place) or not.
#[test]
fn a_damaged_index_is_built_afresh_not_updated() {
    let study = sample_study();
    let study = study.path();
    qualkit(study).arg("index").assert().success();
    damage_the_index(study);
    qualkit(study)
        .arg("index")
        .assert()
        .success()
        .stdout(predicate::str::contains("sentence index built:"));
    damage_the_index(study);
    edit(study, "interviews/students/S09_pre.txt", "computer science", "computer studies");
    qualkit(study)
        .arg("index")
        .assert()
        .success()
        .stdout(predicate::str::contains("sentence index built:"));
    index_says(study, "up to date");
    assert_nothing_left_over(study);
}

/// Another process holding the index's lock (`<unit>.lock` beside its folder) to open it
/// (shared) lets an index found up to date be opened at once, but one to be updated waits:
/// the process says it waits, changes nothing until the lock is let go, then updates it.
#[test]
fn an_index_locked_by_another_process_is_waited_for() {
    use std::io::BufRead;
    let study = sample_study();
    let study = study.path();
    qualkit(study).arg("index").assert().success();
    let lock = std::fs::File::open(study.join(".qualkit/index/sentence.lock")).expect("lock");
    if lock.lock_shared().is_err() {
        eprintln!("skipped: the temporary folder's file system keeps no locks");
        return;
    }
    let mut opened = qualkit(study);
    opened.arg("index").timeout(std::time::Duration::from_secs(60));
    opened.assert().success().stdout(predicate::str::contains("sentence index up to date"));
    edit(study, "interviews/students/S09_pre.txt", "computer science", "computer studies");
    let fingerprint = study.join(".qualkit/index/sentence/qualkit-fingerprint");
    let before = std::fs::read(&fingerprint).expect("fingerprint");
    let mut waiting = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .arg("--study")
        .arg(study)
        .arg("index")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("qualkit started");
    let stderr = waiting.stderr.take().expect("stderr");
    let (told, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = told.send(line);
        }
    });
    // the encoding warning comes first
    let waits = "waiting for another qualkit process to finish with the index";
    let notice =
        std::iter::from_fn(|| heard.recv_timeout(std::time::Duration::from_secs(120)).ok())
            .find(|line| line.contains(waits))
            .expect("a notice that it waits");
    assert!(notice.contains("sentence.lock"), "{notice}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(waiting.try_wait().expect("status").is_none(), "still waiting");
    assert_eq!(std::fs::read(&fingerprint).expect("fingerprint"), before, "nothing changed");
    drop(lock);
    let output = waiting.wait_with_output().expect("qualkit ended");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("sentence index updated (1 file changed)"), "{stdout}");
    index_says(study, "up to date");
}

/// Processes that find the same index out of date at once each answer as a fresh build
/// does, and leave it up to date (one updates it; the others wait, then open it): two
/// searches of each unit's index.
#[test]
fn processes_updating_one_index_at_once_each_answer_as_a_fresh_build() {
    let study = sample_study();
    let study = study.path();
    qualkit(study).arg("index").assert().success();
    edit(study, "interviews/students/S09_pre.txt", "computer science", "computer studies");
    let search = |study: &Path, unit: &str| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"));
        command.arg("--study").arg(study).arg("-q");
        command.args(["search", "--format", "csv", "--unit", unit, "mentor NEAR/3 target*"]);
        command
    };
    let units = ["sentence", "turn", "sentence", "turn"];
    let running: Vec<_> = (units.iter())
        .map(|unit| {
            let mut command = search(study, unit);
            command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
            command.spawn().expect("started")
        })
        .collect();
    let answers: Vec<_> = running
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("ended");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            output.stdout
        })
        .collect();
    index_says(study, "up to date");
    std::fs::remove_dir_all(study.join(".qualkit")).expect("caches removed");
    for (unit, answer) in units.iter().zip(answers) {
        let fresh = search(study, unit).output().expect("fresh").stdout;
        assert!(fresh.len() > 100, "the search finds segments");
        assert!(answer == fresh, "an answer by {unit} differs from a fresh build's");
    }
}
