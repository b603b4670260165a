//! Hostile content (issue 10, item 4): corpus text, attribute values, code names and coder
//! names crafted to run formulas in a spreadsheet, script in a browser, markup in an SVG or
//! commands in LaTeX. After `qualkit run`, `qualkit agree --list` and `qualkit anonymise`,
//! no CSV cell starts a formula, every SVG and the report are well-formed with the text
//! escaped, and no LaTeX table holds an unescaped command.

mod common;

use std::path::{Path, PathBuf};

use common::{qualkit, write};

/// Cells a spreadsheet would run (OWASP CSV injection), one per formula trigger.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\tTAB=1+1",
    "\rCR=1+1",
];

const SCRIPT: &str = "<script>alert('x')</script>";
const LATEX: &str = "\\input{/etc/passwd}\\write18{rm -rf ~}$x^2$ & % # _ { } ~ ^";

/// The mini study with formula-like attribute values and speech, and code names full of
/// markup, LaTeX and formulas.
fn hostile_study() -> tempfile::TempDir {
    let study = common::fixture("mini");
    let s = study.path();
    let participants = format!(
        "id,role,gender,ability,school,../../escaped,=cmd\nS01,student,female,low,\"{}\",a,1\nS02,student,male,high,\"{}\",b,2\nS03,student,female,middle,{},a,1\nT01,mentor,female,,\"{}\",b,2\n",
        FORMULAS[0].replace('"', "\"\""),
        FORMULAS[1],
        FORMULAS[3],
        FORMULAS[2]
    );
    write(s, "participants.csv", participants.as_bytes());
    let speech = format!(
        "Interviewer: Targets?\nS03: {} my target is a grade 6.\nS03: {SCRIPT} targets again.\nS03: {LATEX} target.\nS03: {} target and {} target.\n",
        FORMULAS[0], FORMULAS[2], FORMULAS[3]
    );
    write(s, "interviews/S03_pre.txt", speech.as_bytes());
    let codebook = std::fs::read_to_string(s.join("codebook.toml")).expect("codebook");
    let codebook = codebook
        .replacen("name = \"Target setting\"", &format!("name = {:?}", FORMULAS[0]), 1)
        .replacen("name = \"Relationship and trust\"", &format!("name = {SCRIPT:?}"), 1)
        .replacen("name = \"Confidence\"", &format!("name = {LATEX:?}"), 1)
        .replacen("name = \"Mentor listens\"", &format!("name = {:?}", FORMULAS[4]), 1);
    write(s, "codebook.toml", codebook.as_bytes());
    study
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files_under(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Every cell of a CSV file that a spreadsheet would evaluate: starting with `=`, `+`, `-`,
/// `@`, tab or carriage return, unless it is a plain number (`-0.25`).
fn formula_cells(path: &Path) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .expect("csv opens");
    let mut bad = Vec::new();
    for record in reader.records() {
        for cell in record.expect("csv parses").iter() {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
                bad.push(format!("{}: {cell:?}", path.display()));
            }
        }
    }
    bad
}

/// Parse `text` as XML, failing on any error, and return the names of all elements.
fn xml_elements(text: &str, what: &Path) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                names.push(e.name().into_inner().to_owned());
            }
            Ok(_) => {}
            Err(e) => panic!("{} is not well-formed XML: {e}", what.display()),
        }
    }
    names
}

#[test]
fn run_outputs_neutralise_formulas_and_escape_markup() {
    let study = hostile_study();
    let s = study.path();
    qualkit(s).arg("run").assert().success();
    let out = s.join("out");

    // The hostile text did reach the outputs (so the checks below check something).
    let codings = std::fs::read_to_string(out.join("codings.csv")).expect("codings");
    assert!(codings.contains("'=HYPERLINK"), "formula attribute values are neutralised");
    let segments = std::fs::read_to_string(out.join("segments.csv")).expect("segments");
    assert!(
        segments.contains(r#""'=HYPERLINK(""http://evil.example"",""x"") my target is"#),
        "formula speech reaches segments.csv, neutralised: {segments}"
    );
    let themes = std::fs::read_to_string(out.join("tables/themes.csv")).expect("themes");
    assert!(themes.contains("'=HYPERLINK"), "{themes}");

    // An attribute named like a path makes a file inside the output folder, nowhere else.
    assert!(out.join("tables/crosstab-_escaped.csv").exists());
    assert!(!s.join("escaped.csv").exists() && !s.join("crosstab-escaped.csv").exists());

    let csvs = files_under(&out, "csv");
    assert!(csvs.len() >= 10, "{csvs:?}");
    let bad: Vec<String> = csvs.iter().flat_map(|p| formula_cells(p)).collect();
    assert!(bad.is_empty(), "formula cells survive:\n{}", bad.join("\n"));

    let svgs = files_under(&out, "svg");
    assert!(!svgs.is_empty());
    let mut saw_script_name = false;
    for svg in &svgs {
        let text = std::fs::read_to_string(svg).expect("svg");
        let elements = xml_elements(&text, svg);
        assert!(!elements.iter().any(|e| e == "script"), "{}: a script element", svg.display());
        saw_script_name |= text.contains("&lt;script&gt;alert");
    }
    assert!(saw_script_name, "the markup code name is drawn as text in some chart");

    let report = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(!report.contains(SCRIPT), "the code name or speech is not markup in the report");
    assert!(report.contains("&lt;script&gt;alert"));

    for tex in files_under(&out, "tex") {
        let text = std::fs::read_to_string(&tex).expect("tex");
        for command in ["\\input{", "\\write18{"] {
            assert!(!text.contains(command), "{}: unescaped {command}", tex.display());
        }
    }
    let themes_tex = std::fs::read_to_string(out.join("tables/themes.tex")).expect("tex");
    assert!(themes_tex.contains("\\textbackslash{}input\\{/etc/passwd\\}"), "{themes_tex}");
}

#[test]
fn agree_lists_and_anonymise_reports_neutralise_formulas() {
    let study = hostile_study();
    let s = study.path();
    write(
        s,
        "codings/=evil.csv",
        b"document,start,end,code,origin\ninterviews/S03_pre.txt,22,60,targets,=evil\n",
    );
    write(
        s,
        "codings/@other.csv",
        b"document,start,end,code,origin\ninterviews/S03_pre.txt,61,100,targets,@other\n",
    );
    let list = s.join("disagreements.csv");
    qualkit(s)
        .arg("agree")
        .arg(s.join("codings/=evil.csv"))
        .arg(s.join("codings/@other.csv"))
        .arg("--list")
        .arg(&list)
        .assert()
        .success();
    let text = std::fs::read_to_string(&list).expect("list");
    assert!(text.contains("'=evil") || text.contains("'@other"), "{text}");
    assert_eq!(formula_cells(&list), Vec::<String>::new());

    let map = s.join("names.csv");
    std::fs::write(&map, "name,pseudonym\nS03,=P03\nSUM,@Total\n").expect("map");
    let copy = s.with_extension("anon");
    let report = s.join("replacements.csv");
    qualkit(s)
        .arg("anonymise")
        .arg("--map")
        .arg(&map)
        .arg("--out")
        .arg(&copy)
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let text = std::fs::read_to_string(&report).expect("report");
    assert!(text.contains("'=P03"), "{text}");
    assert_eq!(formula_cells(&report), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&copy);
}

#[test]
fn an_output_path_leaving_the_output_folder_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("out");
    let files = [
        qualkit::pipeline::OutputFile { path: "tables/a.csv".into(), bytes: b"a\n".to_vec() },
        qualkit::pipeline::OutputFile { path: "../escaped.csv".into(), bytes: b"x\n".to_vec() },
    ];
    let error = qualkit::pipeline::write_outputs(&out, &files).expect_err("refused");
    assert!(error.to_string().contains("would leave the output folder"), "{error}");
    assert!(!dir.path().join("escaped.csv").exists());
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0, "no temporary left");
}
