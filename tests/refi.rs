//! REFI-QDA projects: export valid against Project.xsd and stable, round trips character for
//! character, real NVivo (and, when `../shared` is present, qc) projects import with the
//! right counts and texts, and hostile archives are refused without writing anything.

mod common;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::Path;

use qualkit::table::Grouped;

use common::{csv_rows, qualkit, repo, sample_study};

/// qualkit without `-q`, so the import summary is printed.
fn loud() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"))
}

fn export(study: &Path, out: &Path) {
    qualkit(study).args(["export", "refi", "--out"]).arg(out).assert().success();
}

fn unzip(archive: &Path, name: &str) -> Vec<u8> {
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(archive).expect("archive")).expect("zip");
    let mut entry = zip.by_name(name).expect("entry");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
    bytes
}

/// (coder, code name, covered text) of every row of a codings.csv, with the code's name
/// looked up in `codebook`.
fn codings(
    file: &Path,
    codebook: &qualkit::codebook::Codebook,
) -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(file).expect("codings");
    let rows = csv_rows(text.as_bytes());
    let column = |name: &str| rows[0].iter().position(|h| h == name).expect("column");
    let (code, origin, quote) = (column("code"), column("origin"), column("text"));
    rows[1..]
        .iter()
        .map(|r| {
            let name = codebook.code(&r[code]).map_or(r[code].clone(), |c| c.name.clone());
            (r[origin].clone(), name, r[quote].clone())
        })
        .collect()
}

#[test]
fn export_is_valid_stable_and_complete() {
    let study = sample_study();
    let (a, b) = (study.path().join("a.qdpx"), study.path().join("b.qdpx"));
    export(study.path(), &a);
    export(study.path(), &b);
    assert_eq!(
        std::fs::read(&a).expect("a"),
        std::fs::read(&b).expect("b"),
        "same study, same bytes"
    );
    let qde = String::from_utf8(unzip(&a, "project.qde")).expect("utf-8");
    assert!(qde.contains("xmlns=\"urn:QDA-XML:project:1.0\""));
    assert!(!qde.contains("<Sets"), "no empty <Sets/>");
    for user in ["hana", "tom", "qualkit auto-coding"] {
        assert!(qde.contains(&format!("name=\"{user}\"")), "user {user}");
    }
    assert_eq!(qde.matches("<TextSource ").count(), 118);
    assert_eq!(qde.matches("<Case ").count(), 36);
    assert!(qde.contains("<TextValue>Northfield</TextValue>"));
    // every source's text is in the archive, and a selection's offsets are code points into it
    let source = regex::Regex::new(
        r#"<TextSource guid="([^"]+)" name="interviews/students/S07_pre.txt"[^>]*>"#,
    )
    .expect("re");
    let guid = &source.captures(&qde).expect("S07_pre exported")[1];
    let text = String::from_utf8(unzip(&a, &format!("sources/{guid}.txt"))).expect("utf-8 source");
    assert!(
        text.contains("Interview S07 \u{2014} autumn term"),
        "the cp1252 transcript (its dash is byte 0x97) is exported as UTF-8"
    );
    if std::process::Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!(
            "skipping schema validation: xmllint not installed (.ci/run installs libxml2-utils)"
        );
        return;
    }
    let qde_path = study.path().join("project.qde");
    std::fs::write(&qde_path, &qde).expect("write");
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(repo().join("assets/refi/Project.xsd"))
        .arg(&qde_path)
        .output()
        .expect("xmllint runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn export_then_import_gives_the_same_codebook_and_codings() {
    let study = sample_study();
    let archive = study.path().join("pilot.qdpx");
    export(study.path(), &archive);
    let into = study.path().join("imported");
    qualkit(study.path())
        .args(["import", "refi"])
        .arg(&archive)
        .arg("--into")
        .arg(&into)
        .assert()
        .success();

    let original = qualkit::codebook::Codebook::load(&repo().join("codebooks/mentoring-core.toml"))
        .expect("codebook");
    let imported =
        qualkit::codebook::Codebook::load(&into.join("codebook.toml")).expect("imported codebook");
    let shape = |c: &qualkit::codebook::Codebook| -> Vec<CodeShape> {
        c.codes
            .iter()
            .map(|k| {
                let parent = k.parent.as_ref().and_then(|p| c.code(p)).map(|p| p.name.clone());
                (
                    k.name.clone(),
                    parent,
                    k.description.clone(),
                    k.include.clone(),
                    k.exclude.clone(),
                    k.color.as_ref().map(|c| c.to_lowercase()),
                )
            })
            .collect()
    };
    assert_eq!(shape(&imported), shape(&original));

    for coder in ["hana", "tom"] {
        let before = codings(&study.path().join(format!("codings/{coder}.csv")), &original);
        let after = codings(&into.join(format!("codings/{coder}.csv")), &imported);
        assert_eq!(after, before, "{coder}'s codings, character for character");
    }
    // the imported study runs, and its agreement equals the original's
    let agree = |dir: &Path, files: [&Path; 2]| {
        let output =
            qualkit(dir).arg("agree").args(files).args(["--format", "csv"]).output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let rows = csv_rows(&output.stdout);
        rows.iter().find(|r| r[0].contains("pooled")).expect("pooled")[2..].to_vec()
    };
    let before = agree(
        study.path(),
        [&study.path().join("codings/hana.csv"), &study.path().join("codings/tom.csv")],
    );
    let after = agree(&into, [&into.join("codings/hana.csv"), &into.join("codings/tom.csv")]);
    assert_eq!(after, before);
}

#[test]
fn a_real_nvivo_project_imports_with_its_counts_and_texts() {
    let dir = tempfile::tempdir().expect("temp");
    let into = dir.path().join("nvivo");
    let output = loud()
        .args(["import", "refi"])
        .arg(repo().join("tests/fixtures/refi/nvivo-win-12.6.qdpx"))
        .arg("--into")
        .arg(&into)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let expected: serde_json::Value = serde_json::from_slice(
        &std::fs::read(repo().join("tests/fixtures/refi/expected-nvivo.json")).expect("expected"),
    )
    .expect("json");
    let count = |key: &str| expected[key].as_u64().expect("count");
    assert!(
        stderr.contains(&format!(
            "{} sources, {} codes, {} selections ({} codings), {} users",
            Grouped(count("sources")),
            Grouped(count("codes")),
            Grouped(count("selections")),
            Grouped(count("codings")),
            Grouped(count("users"))
        )),
        "{stderr}"
    );
    let mut texts: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(into.join("codings")).expect("codings") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("csv");
        let rows = csv_rows(text.as_bytes());
        texts.extend(rows[1..].iter().map(|r| r[5].clone()));
    }
    texts.sort();
    let want: Vec<String> = expected["texts"]
        .as_array()
        .expect("texts")
        .iter()
        .map(|t| t.as_str().expect("text").to_owned())
        .collect();
    assert_eq!(texts, want, "every selection covers the text NVivo's UTF-16 offsets name");
    // and the imported study runs
    qualkit(&into).args(["themes", "--format", "csv"]).assert().success();
}

/// What the independent reader (`tests/fixtures/refi/read_project.py`) finds in a project.
fn independent_counts(archive: &Path) -> Option<serde_json::Value> {
    let output = std::process::Command::new("python3")
        .arg(repo().join("tests/fixtures/refi/read_project.py"))
        .arg(archive)
        .output()
        .ok()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).expect("json"))
}

#[test]
fn the_shared_real_projects_import_when_present() {
    let samples = repo().join("../shared/refi-qda/samples/qdpx");
    let Ok(entries) = std::fs::read_dir(&samples) else {
        eprintln!("skipping: {} is absent (a fresh clone has no ../shared)", samples.display());
        return;
    };
    let mut seen = 0;
    for entry in entries {
        let sample = entry.expect("entry").path();
        let dir = tempfile::tempdir().expect("temp");
        let into = dir.path().join("imported");
        let output = loud()
            .args(["import", "refi"])
            .arg(&sample)
            .arg("--into")
            .arg(&into)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: {stderr}", sample.display());
        if sample.file_name().is_some_and(|n| n.to_string_lossy().starts_with("qc-")) {
            assert!(
                stderr.contains("2 sources, 262 codes, 158 selections (205 codings), 1 users"),
                "{stderr}"
            );
        }
        if let Some(found) = independent_counts(&sample) {
            let expected = format!("{} sources, {} codes, ", found["sources"], found["codes"]);
            assert!(stderr.contains(&expected), "{}: {stderr} vs {expected}", sample.display());
            assert!(
                stderr
                    .contains(&format!("({} codings), {} users", found["codings"], found["users"])),
                "{}: {stderr}",
                sample.display()
            );
        }
        qualkit(&into).args(["themes", "--format", "csv"]).assert().success();
        seen += 1;
    }
    assert!(seen >= 3, "the shared samples: {seen}");
}

/// An archive entry: name, bytes, unix mode.
type Entry<'a> = (&'a str, &'a [u8], Option<u32>);

/// A code as compared across a round trip: name, parent's name, description, include,
/// exclude, colour.
type CodeShape = (String, Option<String>, String, String, String, Option<String>);

/// A zip with the given entries; `(name, bytes, unix mode)`.
fn archive(path: &Path, entries: &[(&str, &[u8], Option<u32>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    for (name, bytes, mode) in entries {
        let mut options = zip::write::SimpleFileOptions::default();
        if let Some(mode) = mode {
            options = options.unix_permissions(*mode);
        }
        if mode.is_some_and(|m| m & 0o170000 == 0o120000) {
            zip.add_symlink(*name, std::str::from_utf8(bytes).expect("target"), options)
                .expect("symlink");
            continue;
        }
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

const QDE: &[u8] = br#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources><TextSource guid="{0A000000-0000-0000-0000-000000000000}" name="a" plainTextPath="internal://a.txt"/></Sources></Project>"#;

#[test]
fn hostile_archives_are_refused_and_write_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let bomb = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>"#;
    let external = br#"<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>"#;
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "traversal",
            vec![("project.qde", QDE, None), ("../escaped.txt", b"x", None)],
            "points outside the archive",
        ),
        (
            "absolute",
            vec![("project.qde", QDE, None), ("/tmp/qualkit-absolute.txt", b"x", None)],
            "points outside the archive",
        ),
        (
            "symlink",
            vec![("project.qde", QDE, None), ("sources/a.txt", b"/etc/passwd", Some(0o120777))],
            "symbolic link",
        ),
        ("bomb", vec![("project.qde", bomb, None)], "DOCTYPE is not allowed"),
        ("external", vec![("project.qde", external, None)], "DOCTYPE is not allowed"),
        ("no project", vec![("readme.txt", b"hello", None)], "no project.qde"),
        (
            "not xml",
            vec![("project.qde", b"<Project name=\"p\"><Sources></Project>", None)],
            "project.qde:1: invalid XML",
        ),
    ];
    for (name, entries, expected) in cases {
        let path = dir.path().join(format!("{name}.qdpx"));
        archive(&path, &entries);
        let into = dir.path().join(format!("study-{name}"));
        qualkit(dir.path())
            .args(["import", "refi"])
            .arg(&path)
            .arg("--into")
            .arg(&into)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(expected));
        assert!(!into.exists(), "{name}: nothing written");
    }
    assert!(
        !dir.path().join("escaped.txt").exists()
            && !Path::new("/tmp/qualkit-absolute.txt").exists()
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".qdpx"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders left: {leftovers:?}");
    // more entries than the limit
    let names: Vec<String> =
        (0..=qualkit::refi::import::MAX_ENTRIES).map(|i| format!("sources/{i}.txt")).collect();
    let many: Vec<Entry> = names.iter().map(|n| (n.as_str(), &b""[..], None)).collect();
    archive(&dir.path().join("many.qdpx"), &many);
    qualkit(dir.path())
        .args(["import", "refi", "many.qdpx", "--into", "many"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("entries; at most 10000 are read"));
    assert!(!dir.path().join("many").exists());
    // not a zip at all, and a non-empty target
    std::fs::write(dir.path().join("plain.qdpx"), b"not a zip").expect("write");
    qualkit(dir.path())
        .args(["import", "refi", "plain.qdpx", "--into", "x"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a .qdpx (zip) archive"));
    archive(
        &dir.path().join("ok.qdpx"),
        &[("project.qde", QDE, None), ("sources/a.txt", b"R: hello", None)],
    );
    std::fs::create_dir_all(dir.path().join("full")).expect("dir");
    std::fs::write(dir.path().join("full/keep.txt"), b"mine").expect("write");
    qualkit(dir.path())
        .args(["import", "refi", "ok.qdpx", "--into", "full"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not empty"));
    assert_eq!(std::fs::read(dir.path().join("full/keep.txt")).expect("kept"), b"mine");
}

#[test]
fn lenient_on_real_exporters_quirks() {
    // pre-1.0 namespace, no XML declaration, braces and upper-case GUIDs, lower-case
    // `sources/` without `internal://`, a BOM and CRLF in the source, offsets in code points
    let dir = tempfile::tempdir().expect("temp");
    let qde = "<Project xmlns=\"urn:QDA-XML:project:0:4\" name=\"quirks\" origin=\"SomeTool 1.0\">\
        <Users><User guid=\"{AAAAAAAA-0000-0000-0000-000000000001}\" name=\"Ana\"/></Users>\
        <CodeBook><Codes><Code guid=\"{BBBBBBBB-0000-0000-0000-000000000001}\" name=\"Hope\" isCodable=\"true\"/></Codes></CodeBook>\
        <Sources><TextSource guid=\"cccccccc-0000-0000-0000-000000000001\" name=\"notes é\" plainTextPath=\"notes.txt\">\
        <PlainTextSelection guid=\"dddddddd-0000-0000-0000-000000000001\" startPosition=\"8\" endPosition=\"18\" creatingUser=\"aaaaaaaa-0000-0000-0000-000000000001\">\
        <Coding guid=\"eeeeeeee-0000-0000-0000-000000000001\"><CodeRef targetGUID=\"BBBBBBBB-0000-0000-0000-000000000001\"/></Coding></PlainTextSelection>\
        <PlainTextSelection guid=\"dddddddd-0000-0000-0000-000000000002\" startPosition=\"5\" endPosition=\"999\"/>\
        </TextSource><PDFSource guid=\"ffffffff-0000-0000-0000-000000000001\"/></Sources></Project>";
    let text = "\u{feff}Line 1\r\nI hope so.\r\nEnd";
    archive(
        &dir.path().join("q.qdpx"),
        &[("project.qde", qde.as_bytes(), None), ("sources/notes.txt", text.as_bytes(), None)],
    );
    let output = loud()
        .args(["import", "refi", "q.qdpx", "--into", "q"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("1 sources, 1 codes, 1 selections (1 codings), 1 users"), "{stderr}");
    assert!(stderr.contains("1 PDF source(s)"), "{stderr}");
    assert!(stderr.contains("lies outside"), "{stderr}");
    let rows = csv_rows(&std::fs::read(dir.path().join("q/codings/Ana.csv")).expect("codings"));
    assert_eq!(
        rows[1][5], "I hope so.",
        "BOM not counted, CRLF kept: the offsets land on the text"
    );
    qualkit(&dir.path().join("q")).args(["themes", "--format", "csv"]).assert().success();
}

#[test]
fn agree_reads_the_codings_of_a_project_made_from_the_study() {
    // the loop with other tools: export, code there, compare here
    let study = sample_study();
    let archive = study.path().join("pilot.qdpx");
    export(study.path(), &archive);
    let pooled = |files: &[&Path]| {
        let output = qualkit(study.path())
            .arg("agree")
            .args(files)
            .args(["--format", "csv"])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let rows = csv_rows(&output.stdout);
        assert!(rows[0].iter().any(|h| h == "Cohen's κ"), "two coders, the auto-coder left out");
        rows
    };
    let (hana, tom) = (study.path().join("codings/hana.csv"), study.path().join("codings/tom.csv"));
    assert_eq!(pooled(&[&archive]), pooled(&[&hana, &tom]));
    // a project whose source text no longer matches the study is refused
    common::write(
        study.path(),
        "interviews/students/S01_pre.txt",
        b"---\nparticipant: S01\nwave: pre\n---\nR: Changed.\n",
    );
    qualkit(study.path()).arg("agree").arg(&archive).assert().code(2).stderr(
        predicates::str::contains("differs from the study's interviews/students/S01_pre.txt"),
    );
}

#[test]
fn an_independent_reader_finds_the_same_counts_and_texts() {
    let Ok(python) = std::process::Command::new("python3").arg("--version").output() else {
        eprintln!("skipping: python3 not installed");
        return;
    };
    assert!(python.status.success());
    let study = sample_study();
    let archive = study.path().join("pilot.qdpx");
    let output = loud()
        .arg("--study")
        .arg(study.path())
        .args(["export", "refi", "--out"])
        .arg(&archive)
        .output()
        .expect("runs");
    let summary = String::from_utf8_lossy(&output.stderr).into_owned();
    let read = std::process::Command::new("python3")
        .arg(repo().join("tests/fixtures/refi/read_project.py"))
        .arg(&archive)
        .output()
        .expect("python runs");
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    let found: serde_json::Value = serde_json::from_slice(&read.stdout).expect("json");
    let counts = format!(
        "{} sources, {} codes, {} selections ({} codings) by {} users, {} cases",
        Grouped(&found["sources"]),
        Grouped(&found["codes"]),
        Grouped(&found["selections"]),
        Grouped(&found["codings"]),
        Grouped(&found["users"]),
        Grouped(&found["cases"])
    );
    assert!(summary.contains(&counts), "qualkit: {summary}\nreader: {counts}");
    // each coder's selections cover the texts the coder highlighted (a coding of several
    // codes on one range is one selection with several codings)
    let original = qualkit::codebook::Codebook::load(&repo().join("codebooks/mentoring-core.toml"))
        .expect("codebook");
    for coder in ["hana", "tom"] {
        let mut ours: Vec<String> =
            codings(&study.path().join(format!("codings/{coder}.csv")), &original)
                .into_iter()
                .map(|(_, _, text)| text)
                .collect();
        ours.sort();
        let theirs: Vec<String> = found["texts"][coder]
            .as_array()
            .expect("texts")
            .iter()
            .map(|t| t.as_str().expect("text").to_owned())
            .collect();
        assert_eq!(theirs, ours, "{coder}");
    }
    // the auto-coder's selections cover the segments `qualkit code` codes, a coding each,
    // but for a parent's codings inherited from its children (REFI tools aggregate those)
    let coded = study.path().join("coded.csv");
    qualkit(study.path()).args(["code", "--text", "--out"]).arg(&coded).assert().success();
    let rows = csv_rows(&std::fs::read(&coded).expect("codings"));
    let column = |name: &str| rows[0].iter().position(|h| h == name).expect("column");
    let (rule, text) = (column("rule"), column("text"));
    let unneutralised = |cell: &str| match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell.to_owned(),
    };
    let mut ours: Vec<String> = rows[1..]
        .iter()
        .filter(|row| !row[rule].split(" ; ").all(|r| r.starts_with("child:")))
        .map(|row| unneutralised(&row[text]))
        .collect();
    ours.sort();
    let theirs: Vec<&str> = found["texts"][qualkit::refi::export::AUTO_CODER]
        .as_array()
        .expect("the auto-coder's texts")
        .iter()
        .map(|t| t.as_str().expect("text"))
        .collect();
    assert!(ours.len() > 100, "the sample study is auto-coded: {}", ours.len());
    assert_eq!(theirs, ours, "the auto-coder's selections");
}
