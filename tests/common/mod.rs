//! Helpers shared by the integration tests: temporary studies and the binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, path → bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative =
                    path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
                out.insert(relative, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

/// Copy a folder recursively (skipping `.qualkit` caches).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == ".qualkit" || name == "out" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A temporary copy of a fixture study under `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    dir
}

/// A temporary copy of the bundled sample study, beside a copy of `codebooks/` so its
/// `../../codebooks/…` path resolves.
pub struct SampleStudy {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl SampleStudy {
    /// The study folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Copy the sample study (and the codebooks) to a temporary folder.
pub fn sample_study() -> SampleStudy {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("corpora/mentoring-pilot");
    copy_dir(&repo().join("corpora/mentoring-pilot"), &path);
    copy_dir(&repo().join("codebooks"), &dir.path().join("codebooks"));
    SampleStudy { _dir: dir, path }
}

/// Write a file (creating folders) inside a study.
pub fn write(dir: &Path, relative: &str, bytes: &[u8]) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, bytes).expect("write file");
}

/// The qualkit binary pointed at `study`, quiet.
pub fn qualkit(study: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qualkit"));
    command.arg("--study").arg(study).arg("-q");
    command
}

/// A minimal valid study: one participant, one interview.
pub const MINIMAL_MANIFEST: &str = r#"format = 1
name = "t"
waves = ["pre", "post"]

[participants]
file = "participants.csv"

[[sources]]
path = "interviews"
kind = "interview"
name = "{participant}_{wave}"
"#;

/// A study with the minimal manifest, `participants.csv` and the given transcripts.
pub fn minimal_study(participants: &str, transcripts: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "study.toml", MINIMAL_MANIFEST.as_bytes());
    write(dir.path(), "participants.csv", participants.as_bytes());
    for (name, bytes) in transcripts {
        write(dir.path(), &format!("interviews/{name}"), bytes);
    }
    dir
}

/// Parse CSV output into records (header included).
pub fn csv_rows(stdout: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(stdout)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

/// Every hit's line number points at a line of the file holding the match's first word.
pub fn assert_lines_point_at_matches(study: &std::path::Path, rows: &[Vec<String>]) {
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|h| h == name).expect("column present");
    for row in &rows[1..] {
        let path = row[column("document")].split('#').next().expect("path").to_owned();
        if path.ends_with(".docx") || path.ends_with(".odt") || path.ends_with(".xlsx") {
            continue; // Word paragraphs and spreadsheet rows: nothing to compare in the bytes
        }
        let bytes = std::fs::read(study.join(&path)).expect("readable");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let text = text.replace("\r\n", "\n");
        let line: usize = row[column("line")].parse().expect("line number");
        let first_word = row[column("match")].split_whitespace().next().expect("match").to_owned();
        let file_line = text.lines().nth(line - 1).expect("line exists");
        assert!(
            file_line.contains(&first_word),
            "{path}:{line} `{file_line}` lacks `{first_word}`"
        );
    }
}
