//! `qualkit anonymise`: a pseudonymised copy of the sample study holds none of the mapped
//! names or ids, keeps the map and the replacement list out of the copy, and gives the same
//! numbers — manual codings included, moved to the new text.

mod common;

use std::path::Path;

use common::{csv_rows, qualkit, sample_study};

const NAMES: &str = "name,pseudonym\nHallam,Green\nAdeyemi,Brook\nKaur,Lane\nDoyle,Hart\nWhitfield,Stone\nS01,P101\nS02,P102\n";

fn every_file(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            every_file(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// A table's rows without its quote columns (quotes and their attributions change).
fn numbers(path: &Path) -> Vec<Vec<String>> {
    let rows = csv_rows(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    let keep: Vec<usize> = (0..rows[0].len()).filter(|&i| !rows[0][i].contains("quote")).collect();
    rows.iter()
        .map(|r| keep.iter().map(|&i| r.get(i).cloned().unwrap_or_default()).collect())
        .collect()
}

#[test]
fn an_anonymised_copy_has_no_mapped_names_and_the_same_numbers() {
    let study = sample_study();
    let work = tempfile::tempdir().expect("temp");
    std::fs::write(work.path().join("names.csv"), NAMES).expect("map");
    let copy = work.path().join("shared");
    // a copy a killed anonymise left half made (no process has a pid this high), and one
    // being made by a process still running (this one)
    let killed = work.path().join(".shared.anonymising-99999999");
    let running = work.path().join(format!(".shared.anonymising-{}", std::process::id()));
    for staging in [&killed, &running] {
        std::fs::create_dir_all(staging.join("interviews")).expect("folder");
        std::fs::write(staging.join("interviews/S01_pre.txt"), "Hallam").expect("write");
    }
    qualkit(study.path())
        .args(["anonymise", "--map"])
        .arg(work.path().join("names.csv"))
        .arg("--out")
        .arg(&copy)
        .assert()
        .success();
    if Path::new("/proc/self").exists() {
        assert!(!killed.exists(), "a killed copy's leftovers are removed");
    }
    assert!(running.exists(), "a running copy's folder is left alone");
    std::fs::remove_dir_all(&running).expect("removed");
    // the replacement list sits beside the copy, not in it; the map is not copied
    let report =
        std::fs::read_to_string(work.path().join("shared.replacements.csv")).expect("report");
    assert!(report.starts_with("file,line,name,pseudonym\n") && report.contains(",Hallam,Green"));
    let mut files = Vec::new();
    every_file(&copy, &mut files);
    let word = regex::Regex::new(
        r"(?i)(^|[^\p{L}\p{N}])(hallam|adeyemi|kaur|doyle|whitfield|s01|s02)([^\p{L}\p{N}]|$)",
    )
    .expect("re");
    for file in &files {
        let relative = file.strip_prefix(&copy).expect("inside").to_string_lossy().into_owned();
        assert!(!word.is_match(&relative), "a name in the file name {relative}");
        let text = String::from_utf8_lossy(&std::fs::read(file).expect("read")).into_owned();
        assert!(!word.is_match(&text), "a mapped name left in {relative}");
        assert!(!text.contains("pseudonym"), "the map or the report leaked into {relative}");
    }
    assert!(copy.join("interviews/students/P101_pre.txt").is_file());
    assert!(copy.join("interviews/students/S06_post.txt").is_file(), "docx becomes text");

    qualkit(study.path()).arg("run").assert().success();
    qualkit(&copy).arg("run").assert().success();
    for table in ["themes", "compare", "crosstab-gender", "agreement", "auto-vs-coder"] {
        let path = |root: &Path| root.join("out/tables").join(format!("{table}.csv"));
        assert_eq!(numbers(&path(&copy)), numbers(&path(study.path())), "{table}");
    }
    // the moved codings cover the same words (pseudonyms aside)
    let texts = |root: &Path| -> Vec<String> {
        let rows = csv_rows(&std::fs::read(root.join("codings/hana.csv")).expect("codings"));
        let column = rows[0].iter().position(|h| h == "text").expect("text");
        let (start, end, document) = (1, 2, 0);
        rows[1..]
            .iter()
            .map(|r| {
                let source = {
                    // S07_pre is Windows-1252 in the original: one byte, one char either way
                    String::from_utf8_lossy(&std::fs::read(root.join(&r[document])).expect("doc"))
                        .into_owned()
                };
                let (a, b): (usize, usize) =
                    (r[start].parse().expect("n"), r[end].parse().expect("n"));
                let covered: String = source.chars().skip(a).take(b - a).collect();
                if !covered.contains('\u{fffd}') {
                    assert_eq!(covered, r[column], "the offsets cover the coding's text");
                }
                covered
            })
            .collect()
    };
    assert_eq!(texts(&copy).len(), texts(study.path()).len());
}

#[test]
fn a_bad_map_is_a_located_error_and_writes_nothing() {
    let study = sample_study();
    let work = tempfile::tempdir().expect("temp");
    for (map, expected) in [
        ("real,fake\nA,B\n", "names.csv:1: expected columns `name` and `pseudonym`"),
        ("name,pseudonym\nSarah,\n", "names.csv:2: empty name or pseudonym"),
        ("name,pseudonym\nSarah,\"Ma,ya\"\n", "names.csv:2: a pseudonym may not hold a comma"),
        ("name,pseudonym\nSarah,Maya\nsarah,Zoe\n", "names.csv:3: `sarah` is mapped twice"),
    ] {
        std::fs::write(work.path().join("names.csv"), map).expect("map");
        qualkit(study.path())
            .args(["anonymise", "--map"])
            .arg(work.path().join("names.csv"))
            .arg("--out")
            .arg(work.path().join("copy"))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(expected));
        assert!(!work.path().join("copy").exists());
    }
}

/// A copy that fails once files are copied (here a manual coding of an unknown document,
/// found when the codings are moved, after every transcript) leaves no copy, no list of
/// replacements and nothing half made beside them.
#[test]
fn a_copy_that_fails_partway_leaves_nothing() {
    let study = sample_study();
    let codings = study.path().join("codings/tom.csv");
    let mut text = std::fs::read_to_string(&codings).expect("codings");
    text.push_str("interviews/staff/T99_post.txt,0,9,logistics.caseload,tom,\"x\"\n");
    std::fs::write(&codings, text).expect("edit");
    let work = tempfile::tempdir().expect("temp");
    std::fs::write(work.path().join("names.csv"), NAMES).expect("map");
    let output = qualkit(study.path())
        .args(["anonymise", "--map"])
        .arg(work.path().join("names.csv"))
        .arg("--out")
        .arg(work.path().join("copy"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("codings/tom.csv"), "the file named: {stderr}");
    let mut left: Vec<String> = std::fs::read_dir(work.path())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["names.csv"], "{stderr}");
}

#[test]
fn a_study_of_many_files_is_copied_whole_and_reported_in_file_order() {
    // the copy is written a batch of files at a time: every file of a study of several
    // batches is copied, and the replacements are listed file by file, line by line
    let ids: Vec<String> = (1..=150).map(|n| format!("S{n:03}")).collect();
    let participants = format!("id\n{}\n", ids.join("\n"));
    let transcripts: Vec<(String, String)> = ids
        .iter()
        .map(|id| {
            let text = format!(
                "Interviewer: Hello {id}.\n\n{id}: Hi. Élise, Sarah and I met.\n\n\
                 Interviewer: And xSarah?\n\n{id}: Sarah again, and SARAH.\n"
            );
            (format!("{id}_pre.txt"), text)
        })
        .collect();
    let files: Vec<(&str, &[u8])> =
        transcripts.iter().map(|(n, t)| (n.as_str(), t.as_bytes())).collect();
    let study = common::minimal_study(&participants, &files);
    let work = tempfile::tempdir().expect("temp");
    let map: String = ids.iter().map(|id| format!("{id},P{}\n", &id[1..])).collect();
    std::fs::write(work.path().join("names.csv"), format!("name,pseudonym\nSarah,Maya\n{map}"))
        .expect("map");
    let copy = work.path().join("copy");
    let output = qualkit(study.path())
        .args(["anonymise", "--map"])
        .arg(work.path().join("names.csv"))
        .arg("--out")
        .arg(&copy)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&std::fs::read(work.path().join("copy.replacements.csv")).expect("report"));
    let mut expected = vec![["file", "line", "name", "pseudonym"].map(str::to_owned).to_vec()];
    for id in &ids {
        let file = format!("interviews/{id}_pre.txt");
        let pseudonym = format!("P{}", &id[1..]);
        for (line, name, fake) in [
            ("1", id.as_str(), pseudonym.as_str()),
            ("3", id, &pseudonym),
            ("3", "Sarah", "Maya"),
            ("7", id, &pseudonym),
            ("7", "Sarah", "Maya"),
            ("7", "SARAH", "MAYA"),
            ("0", id, &pseudonym),
        ] {
            expected.push(vec![file.clone(), line.into(), name.into(), fake.into()]);
        }
    }
    let participant_rows: Vec<Vec<String>> = rows[1 + 150 * 7..].to_vec();
    assert_eq!(rows[..1 + 150 * 7], expected[..1 + 150 * 7]);
    assert_eq!(participant_rows.len(), 150, "{participant_rows:?}");
    // 150 transcripts, participants.csv and study.toml
    let mut copied = Vec::new();
    every_file(&copy, &mut copied);
    assert_eq!(copied.len(), 152);
    let last = std::fs::read_to_string(copy.join("interviews/P150_pre.txt")).expect("copied");
    assert_eq!(
        last,
        "Interviewer: Hello P150.\n\nP150: Hi. Élise, Maya and I met.\n\n\
         Interviewer: And xSarah?\n\nP150: Maya again, and MAYA.\n"
    );
}

/// The copy may go into folders that do not exist yet, its list beside it; the list, which
/// holds the real names, may not go inside the copy.
#[test]
fn the_copy_makes_its_folders_and_keeps_the_list_out_of_itself() {
    let study = sample_study();
    let work = tempfile::tempdir().expect("temp");
    std::fs::write(work.path().join("names.csv"), NAMES).expect("map");
    let copy = work.path().join("exports/2026/shared");
    let anonymise = |report: Option<&Path>| {
        let mut command = qualkit(study.path());
        command.args(["anonymise", "--map"]).arg(work.path().join("names.csv")).arg("--out");
        command.arg(&copy);
        if let Some(report) = report {
            command.arg("--report").arg(report);
        }
        command.output().expect("runs")
    };
    let inside = copy.join("list.csv");
    let refused = anonymise(Some(&inside));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("may not go inside the copy"), "{stderr}");
    assert!(!work.path().join("exports").exists(), "nothing written: {stderr}");
    let made = anonymise(None);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(copy.join("study.toml").is_file());
    let list = std::fs::read_to_string(work.path().join("exports/2026/shared.replacements.csv"))
        .expect("the list beside the copy");
    assert!(list.starts_with("file,line,name,pseudonym\n") && list.contains(",Hallam,Green"));
}
