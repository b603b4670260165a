//! LaTeX tables compile in a plain `article` with booktabs, whatever characters the code
//! names and quotes contain. Skipped with a message where pdflatex is absent (`.ci/run`
//! installs TeX Live).

mod common;

use common::{fixture, qualkit, sample_study};

const DOCUMENT: &str = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\usepackage{longtable}\n\\usepackage{pdflscape}\n\\begin{document}\n\\input{table.tex}\n\\end{document}\n";

/// Whether pdflatex runs here; where it does not, a note that the test is skipped.
fn pdflatex_available() -> bool {
    let available = std::process::Command::new("pdflatex")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("skipping: pdflatex not installed (.ci/run installs texlive-latex-recommended)");
    }
    available
}

/// Compile `table`, panicking with the LaTeX error if it fails; the pages of the PDF.
fn compile(table: &[u8], what: &str) -> usize {
    compiled(table, what).0
}

/// Compile `table` as [`compile`] does; the pages of the PDF and how far the widest line
/// overran the page, in points (0 if none did).
fn compiled(table: &[u8], what: &str) -> (usize, f64) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("table.tex"), table).expect("write");
    std::fs::write(dir.path().join("doc.tex"), DOCUMENT).expect("write");
    let output = std::process::Command::new("pdflatex")
        .args(["-interaction=nonstopmode", "-halt-on-error", "doc.tex"])
        .current_dir(dir.path())
        .output()
        .expect("pdflatex runs");
    let log = String::from_utf8_lossy(&output.stdout);
    let error: Vec<&str> = log.lines().filter(|l| l.starts_with('!')).collect();
    assert!(
        output.status.success(),
        "{what} does not compile: {error:?}\n{}",
        String::from_utf8_lossy(table)
    );
    let written = log.split("Output written on doc.pdf (").nth(1).expect("a PDF written");
    let pages = written.split(' ').next().and_then(|n| n.parse().ok()).expect("its pages");
    // "Overfull \hbox (219.70879pt too wide) in alignment at lines 4--10"
    let overruns = log.split("Overfull \\hbox (").skip(1).map(|rest| {
        rest.split("pt too wide").next().and_then(|pt| pt.parse::<f64>().ok()).expect("points")
    });
    assert!(!log.contains("Float too large for page"), "{what} is taller than its page");
    (pages, overruns.fold(0.0, f64::max))
}

#[test]
fn tables_with_hostile_code_names_and_quotes_compile() {
    if !pdflatex_available() {
        return;
    }
    let study = fixture("mini");
    let codebook = study.path().join("codebook.toml");
    let text = std::fs::read_to_string(&codebook).expect("read");
    let hostile = r#"name = "Targets & goals: 100% of $ # _ {x} ~ ^ \\ < > | “quoted” – — … × ≤ χ² \\input{/etc/passwd}""#;
    std::fs::write(&codebook, text.replace("name = \"Target setting\"", hostile)).expect("write");
    for command in [
        &["themes", "--quotes", "2", "--by", "gender"][..],
        &["compare", "--quotes", "1"],
        &["crosstab", "--by", "ability"],
        &["cooccur"],
        &["saturation"],
        &["likert"],
    ] {
        let output =
            qualkit(study.path()).args(command).args(["--format", "latex"]).output().expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let table = String::from_utf8_lossy(&output.stdout);
        assert!(!table.contains("\\input{/etc"), "a command leaked: {table}");
        compile(&output.stdout, &format!("{command:?}"));
    }
}

#[test]
fn a_long_table_breaks_across_pages_with_its_header_on_each() {
    if !pdflatex_available() {
        return;
    }
    // the sample study's co-occurrence table: a pair of codes a row, over a hundred rows
    let output = qualkit(sample_study().path())
        .args(["cooccur", "--format", "latex"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let table = String::from_utf8_lossy(&output.stdout);
    let rows = table
        .lines()
        .filter(|l| l.ends_with("\\tabularnewline") || l.ends_with("\\\\"))
        .filter(|l| !l.starts_with("\\caption"))
        .count();
    assert!(rows > 60, "a long table: {rows} rows");
    assert!(table.contains("\\begin{longtable}") && table.contains("\\endhead"), "{table}");
    assert!(!table.contains("\\begin{table}"), "a float cannot break: {table}");
    assert!(compile(&output.stdout, "cooccur") >= 2, "the rows run on to another page");
    // a short one stays a float, on one page
    let output = qualkit(sample_study().path())
        .args(["likert", "--format", "latex"])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("\\begin{table}[htbp]") && !table.contains("longtable"), "{table}");
    assert_eq!(compile(&output.stdout, "likert"), 1);
}

#[test]
fn sample_study_tables_compile() {
    if !pdflatex_available() {
        return;
    }
    let study = sample_study();
    for command in
        [&["themes", "--quotes", "1"][..], &["compare", "--where", "role=student", "--quotes", "1"]]
    {
        let output =
            qualkit(study.path()).args(command).args(["--format", "latex"]).output().expect("runs");
        compile(&output.stdout, &format!("{command:?}"));
    }
}

/// Every table of a run of the sample study fits its page: the compare and Likert tables,
/// ten and eleven columns side by side (their quotes and tests set under each row), ran
/// 220 pt past a portrait page's right edge and are set on a landscape page; none is a
/// float taller than its page. A point or two over is LaTeX's rounding of `p{}` widths.
#[test]
fn every_table_of_a_run_fits_its_page() {
    if !pdflatex_available() {
        return;
    }
    let study = sample_study();
    let output = qualkit(study.path()).arg("run").output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let tables = study.path().join("out").join("tables");
    let mut names: Vec<_> = std::fs::read_dir(&tables)
        .expect("tables")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "tex"))
        .collect();
    names.sort();
    assert!(names.len() > 10, "{names:?}");
    let mut turned = Vec::new();
    for path in &names {
        let table = std::fs::read(path).expect("read");
        let name = path.file_stem().expect("name").to_string_lossy().into_owned();
        let (_, overrun) = compiled(&table, &name);
        assert!(overrun < 3.0, "{name} runs {overrun} pt past the page");
        if String::from_utf8_lossy(&table).contains("\\begin{landscape}") {
            turned.push(name);
        }
    }
    for wide in ["compare", "likert"] {
        assert!(turned.iter().any(|name| name == wide), "{wide} is turned: {turned:?}");
    }
    assert!(!turned.iter().any(|name| name == "themes"), "themes fits upright: {turned:?}");
}
