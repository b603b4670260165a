//! `qualkit codebook import` / `export`: real dictionaries in, valid REFI-QDA out, round trips.

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use qualkit::codebook::Codebook;

fn qualkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qualkit"));
    command.arg("-q");
    command
}

fn fixture(name: &str) -> std::path::PathBuf {
    common::repo().join("tests/fixtures").join(name)
}

fn import(source: &Path, out: &Path) -> Codebook {
    qualkit().args(["codebook", "import"]).arg(source).arg("--out").arg(out).assert().success();
    Codebook::load(out).expect("the imported codebook loads")
}

#[test]
fn liwc_dictionary_imports_every_category_and_membership() {
    let dir = tempfile::tempdir().expect("temp");
    let codebook = import(&fixture("dictionaries/J-MFD_2018r1.dic"), &dir.path().join("jmfd.toml"));
    assert_eq!(codebook.codes.len(), 11);
    assert_eq!(codebook.codes[0].name, "HarmVirtue");
    let rules: usize = codebook.codes.iter().map(|c| c.rules.len()).sum();
    assert_eq!(rules, 758, "714 entries, 44 of them in a second category");
}

#[test]
fn quanteda_yaml_imports_the_nested_hierarchy() {
    let dir = tempfile::tempdir().expect("temp");
    let codebook =
        import(&fixture("dictionaries/newsmap-english.yml"), &dir.path().join("newsmap.toml"));
    assert_eq!(codebook.codes.len(), 268);
    let rules: usize = codebook.codes.iter().map(|c| c.rules.len()).sum();
    // 819 entries; 3 collapse into a rule already present (`Saint-Barthelemy` and
    // `Saint Barthelemy` are the same words; `S African*` inside a phrase loses its `*`)
    assert_eq!(rules, 816);
    let kenya = codebook.code("africa.east.ke").expect("nested id");
    let texts: Vec<&str> = kenya.rules.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["=kenya", "kenyan*", "=nairobi"]);
    assert_eq!(codebook.depth("africa.east.ke"), 2);
}

#[test]
fn refi_codebook_imports_for_manual_coding() {
    let dir = tempfile::tempdir().expect("temp");
    let codebook =
        import(&fixture("dictionaries/taguette-codebook.qdc"), &dir.path().join("t.toml"));
    assert_eq!(codebook.purpose, qualkit::codebook::Purpose::Manual);
    assert!(codebook.codes.iter().all(|c| c.rules.is_empty()));
    assert!(!codebook.codes.is_empty());
}

#[test]
fn exported_qdc_validates_against_the_official_schema() {
    let dir = tempfile::tempdir().expect("temp");
    let qdc = dir.path().join("mini.qdc");
    qualkit()
        .args(["codebook", "export"])
        .arg(fixture("mini/codebook.toml"))
        .args(["--as", "qdc", "--out"])
        .arg(&qdc)
        .assert()
        .success();
    let text = std::fs::read_to_string(&qdc).expect("written");
    assert!(text.contains("<Code guid=\"e0d95633-d2c6-5aca-ad35-5d5031c61b5f\" name=\"Target setting\" isCodable=\"true\">"));
    if std::process::Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!(
            "skipping schema validation: xmllint not installed (.ci/run installs libxml2-utils)"
        );
        return;
    }
    let schema = common::repo().join("assets/refi/Codebook.xsd");
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(&qdc)
        .output()
        .expect("xmllint runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // and it imports back with the same hierarchy
    let back = import(&qdc, &dir.path().join("back.toml"));
    let ids: Vec<&str> = back.codes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "target_setting",
            "relationship_and_trust",
            "relationship_and_trust.mentor_listens",
            "confidence"
        ]
    );
}

#[test]
fn csv_export_imports_back_unchanged() {
    let dir = tempfile::tempdir().expect("temp");
    let csv = dir.path().join("mini.csv");
    qualkit()
        .args(["codebook", "export"])
        .arg(fixture("mini/codebook.toml"))
        .args(["--as", "csv", "--out"])
        .arg(&csv)
        .assert()
        .success();
    let back = import(&csv, &dir.path().join("back.toml"));
    let original = Codebook::load(&fixture("mini/codebook.toml")).expect("loads");
    let summary = |c: &Codebook| -> Vec<String> {
        c.codes
            .iter()
            .map(|c| {
                let rules: Vec<&str> = c.rules.iter().map(|r| r.text.as_str()).collect();
                format!("{} {:?} {rules:?} {:?}", c.id, c.parent, c.examples)
            })
            .collect()
    };
    assert_eq!(summary(&back), summary(&original));
}

#[test]
fn codebook_tables_render_in_markdown_latex_and_html() {
    for (format, expected) in
        [("md", "| targets |"), ("latex", "\\toprule"), ("html", "<td>targets</td>")]
    {
        qualkit()
            .args(["codebook", "export"])
            .arg(fixture("mini/codebook.toml"))
            .args(["--as", format])
            .assert()
            .success()
            .stdout(predicate::str::contains(expected));
    }
}

#[test]
fn unknown_import_format_is_an_error() {
    let dir = tempfile::tempdir().expect("temp");
    let source = dir.path().join("codes.txt");
    std::fs::write(&source, "x").expect("write");
    qualkit()
        .args(["codebook", "import"])
        .arg(&source)
        .arg("--out")
        .arg(dir.path().join("o.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot import `.txt` files; expected .dic, .yml, .yaml, .csv or .qdc",
        ));
}
