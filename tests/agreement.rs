//! `qualkit agree`: manual codings in (codings.csv and Taguette), segment- and
//! character-level coefficients, disagreements, auto-coding against a coder, the chart, and
//! the sample study's two coders in `qualkit run`.

mod common;

use common::{csv_rows, qualkit, sample_study};
use qualkit::stats::agreement::{cohen_kappa, fleiss_kappa, krippendorff_alpha};

const CODEBOOK: &str = r#"format = 1
name = "Agreement test codebook"
language = "english"

[[code]]
id = "support"
name = "Support"
description = "Help from the mentor."
rules = ['help*']

[[code]]
id = "support.exams"
parent = "support"
name = "Exam help"
description = "Help with exams."
rules = ['exam*']

[[code]]
id = "worry"
name = "Worry"
description = "Worry and stress."
rules = ['worr*']
"#;

/// One respondent turn of exactly 1,000 characters (P1_pre) and a short second document.
fn study() -> tempfile::TempDir {
    let sentence = "My mentor helps me with exams and I worry less now. ";
    // 19 whole sentences (52 chars each) and a 12-char 20th: 1,000 characters
    let turn: String = sentence.repeat(20).chars().take(999).collect::<String>() + ".";
    assert_eq!(turn.chars().count(), 1000);
    let dir = common::minimal_study(
        "id,gender\nP1,f\nP2,m\n",
        &[
            ("P1_pre.txt", format!("R: {turn}\n").as_bytes()),
            ("P2_pre.txt", b"R: I worry about exams. She helps. Nothing else.\n"),
        ],
    );
    let manifest =
        format!("{}\n[coding]\ncodebook = \"codebook.toml\"\n", common::MINIMAL_MANIFEST);
    common::write(dir.path(), "study.toml", manifest.as_bytes());
    common::write(dir.path(), "codebook.toml", CODEBOOK.as_bytes());
    dir
}

fn run(study: &std::path::Path, args: &[&str]) -> (Vec<Vec<String>>, String) {
    let output =
        qualkit(study).arg("agree").args(args).args(["--format", "csv"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    (csv_rows(&output.stdout), stderr)
}

fn row<'a>(rows: &'a [Vec<String>], label: &str) -> &'a [String] {
    rows.iter().find(|r| r[0].trim() == label).unwrap_or_else(|| panic!("no row {label}: {rows:?}"))
}

fn cell(rows: &[Vec<String>], label: &str, column: &str) -> String {
    let i =
        rows[0].iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}"));
    row(rows, label)[i].clone()
}

fn number(text: &str) -> f64 {
    text.parse().unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

fn codings(dir: &std::path::Path, name: &str, rows: &[(&str, usize, usize, &str, &str)]) -> String {
    let mut text = String::from("document,start,end,code,origin\n");
    for (document, start, end, code, coder) in rows {
        text.push_str(&format!("{document},{start},{end},{code},{coder}\n"));
    }
    common::write(dir, name, text.as_bytes());
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn character_level_kappa_equals_nvivos_worked_example() {
    // NVivo's coding comparison: 1,000 characters, 100 coded by each coder, 50 by both →
    // agreement 90%, κ = 0.444. The turn's text starts at char 3 (after "R: ").
    let study = study();
    let a = codings(study.path(), "a.csv", &[("interviews/P1_pre.txt", 3, 103, "worry", "ana")]);
    let b = codings(study.path(), "b.csv", &[("interviews/P1_pre.txt", 53, 153, "worry", "ben")]);
    let (rows, _) = run(study.path(), &[&a, &b, "--unit", "char", "--coding-unit", "turn"]);
    assert_eq!(rows[0][1], "characters coded by anyone");
    assert_eq!(cell(&rows, "Worry", "characters coded by anyone"), "150");
    assert_eq!(cell(&rows, "Worry", "% agreement"), "90.0");
    assert_eq!(cell(&rows, "Worry", "Cohen's κ"), "0.444");
    // α = 1 − (n − 1)·o₀₁ / (n₀·n₁) = 1 − 1999·100 / (1800·200)
    assert_eq!(
        cell(&rows, "Worry", "Krippendorff's α"),
        format!("{:.3}", 1.0 - 1999.0 * 100.0 / 360000.0)
    );
    // Brennan–Prediger with q = 2: 2·0.9 − 1
    assert_eq!(cell(&rows, "Worry", "Brennan–Prediger κ"), "0.800");
    // nobody used these: no coefficients
    assert_eq!(cell(&rows, "Exam help", "Cohen's κ"), "");
    assert!(rows.last().expect("rows")[0].contains("pooled"));
}

#[test]
fn segment_level_values_equal_the_coefficients_on_yes_no_vectors() {
    // P1's turn is 20 sentences; P2's 3. ana codes sentences 1–2 and 5 of P1 and P2's first;
    // ben codes sentences 2–3 of P1 and P2's first; cara codes P1 only.
    let study = study();
    let s = |k: usize| 3 + 52 * k; // sentence k of P1 starts here (52 chars apart)
    let a = codings(
        study.path(),
        "a.csv",
        &[
            ("interviews/P1_pre.txt", s(0) + 2, s(1) + 10, "worry", "ana"),
            ("interviews/P1_pre.txt", s(4) + 1, s(4) + 5, "worry", "ana"),
            ("interviews/P2_pre.txt", 3, 10, "worry", "ana"),
        ],
    );
    let b = codings(
        study.path(),
        "b.csv",
        &[
            ("interviews/P1_pre.txt", s(1) + 1, s(2) + 4, "worry", "ben"),
            ("interviews/P2_pre.txt", 5, 8, "worry", "ben"),
        ],
    );
    let (rows, _) = run(study.path(), &[&a, &b]);
    let ana: Vec<usize> = (0..23).map(|k| usize::from([0, 1, 4, 20].contains(&k))).collect();
    let ben: Vec<usize> = (0..23).map(|k| usize::from([1, 2, 20].contains(&k))).collect();
    assert_eq!(cell(&rows, "Worry", "sentences coded by anyone"), "5");
    let kappa = cohen_kappa(&ana, &ben).expect("defined");
    assert_eq!(cell(&rows, "Worry", "Cohen's κ"), format!("{kappa:.3}"));
    let data: Vec<Vec<Option<usize>>> =
        [&ana, &ben].iter().map(|v| v.iter().map(|&x| Some(x)).collect()).collect();
    let alpha = krippendorff_alpha(&data).expect("defined");
    assert_eq!(cell(&rows, "Worry", "Krippendorff's α"), format!("{alpha:.3}"));
    let (low, high) = (
        number(&cell(&rows, "Worry", "α 95% CI low")),
        number(&cell(&rows, "Worry", "α 95% CI high")),
    );
    assert!(low < alpha && alpha < high && high <= 1.0, "{low} {alpha} {high}");

    // A third coder who coded P1 only is missing on P2: Fleiss' κ uses the 20 units all
    // three rated; α uses P2's units from the two who rated them.
    let c = codings(
        study.path(),
        "c.csv",
        &[("interviews/P1_pre.txt", s(0), s(0) + 3, "worry", "cara")],
    );
    let (rows, _) = run(study.path(), &[&a, &b, &c]);
    let cara: Vec<usize> = (0..20).map(|k| usize::from(k == 0)).collect();
    let counts: Vec<Vec<usize>> = (0..20)
        .map(|k| {
            let yes = ana[k] + ben[k] + cara[k];
            vec![3 - yes, yes]
        })
        .collect();
    let fleiss = fleiss_kappa(&counts, false).expect("defined");
    assert_eq!(cell(&rows, "Worry", "Fleiss' κ"), format!("{fleiss:.3}"));
    let mut data = data;
    data.push((0..23).map(|k| (k < 20).then_some(cara.get(k).copied().unwrap_or(0))).collect());
    let alpha = krippendorff_alpha(&data).expect("defined");
    assert_eq!(cell(&rows, "Worry", "Krippendorff's α"), format!("{alpha:.3}"));
}

#[test]
fn coding_a_child_codes_its_parent_and_one_silent_coder_gives_kappa_zero() {
    let study = study();
    let a =
        codings(study.path(), "a.csv", &[("interviews/P2_pre.txt", 3, 10, "support.exams", "ana")]);
    let b = codings(study.path(), "b.csv", &[("interviews/P2_pre.txt", 3, 10, "worry", "ben")]);
    let (rows, _) = run(study.path(), &[&a, &b]);
    assert_eq!(cell(&rows, "Support", "sentences coded by anyone"), "1");
    assert_eq!(cell(&rows, "Exam help", "Cohen's κ"), "0.000", "ben never used it");
    assert_eq!(cell(&rows, "Support", "Cohen's κ"), "0.000");
}

#[test]
fn disagreements_list_the_units_and_their_text() {
    let study = study();
    let a = codings(study.path(), "a.csv", &[("interviews/P2_pre.txt", 3, 10, "worry", "ana")]);
    let b = codings(study.path(), "b.csv", &[("interviews/P2_pre.txt", 26, 30, "worry", "ben")]);
    let list = study.path().join("disagreements.csv");
    qualkit(study.path()).args(["agree", &a, &b, "--list"]).arg(&list).assert().success();
    let text = std::fs::read_to_string(&list).expect("list written");
    let rows = csv_rows(text.as_bytes());
    assert_eq!(rows[0], ["document", "line", "speaker", "code", "coded by", "not by", "text"]);
    assert_eq!(
        rows[1][..7],
        ["interviews/P2_pre.txt", "1", "P2", "Worry", "ana", "ben", "I worry about exams."]
    );
    assert_eq!(rows[2][3..7], ["Worry", "ben", "ana", "She helps."]);
    assert_eq!(rows.len(), 3);
}

#[test]
fn taguette_highlights_are_found_in_the_text_and_misses_reported() {
    let study = study();
    let tom = "id,document,tag,content\n\
               1,P2_pre,worry,I worry about exams.\n\
               2,P2_pre.txt,support,\"She\n   helps.\"\n\
               3,P2_pre,worry,Words nobody said.\n";
    common::write(study.path(), "tom.csv", tom.as_bytes());
    let ana = codings(
        study.path(),
        "a.csv",
        &[
            ("interviews/P2_pre.txt", 3, 10, "worry", "ana"),
            ("interviews/P2_pre.txt", 24, 34, "support", "ana"),
        ],
    );
    let tom = study.path().join("tom.csv").to_string_lossy().into_owned();
    let (rows, stderr) = run(study.path(), &[&ana, &tom]);
    assert!(rows[0].len() > 3 && rows.iter().any(|r| r[0] == "Support"));
    assert_eq!(cell(&rows, "Worry", "% agreement"), "100.0");
    assert_eq!(cell(&rows, "Support", "% agreement"), "100.0", "white space in the snippet");
    assert!(stderr.contains("tom.csv:5: highlight `Words nobody said.` not found"), "{stderr}");
    assert!(rows[0].iter().any(|h| h == "Cohen's κ"));
}

#[test]
fn bad_codings_are_located_errors() {
    let study = study();
    let good = codings(study.path(), "a.csv", &[("interviews/P2_pre.txt", 3, 10, "worry", "ana")]);
    for (content, expected) in [
        (
            "document,start,end,code,origin\ninterviews/P9_pre.txt,1,5,worry,ben\n",
            "bad.csv:2: unknown document `interviews/P9_pre.txt`",
        ),
        (
            "document,start,end,code,origin\ninterviews/P2_pre.txt,1,5,nonsense,ben\n",
            "bad.csv:2: unknown code `nonsense`",
        ),
        (
            "document,start,end,code,origin\n\ninterviews/P2_pre.txt,40,900,worry,ben\n",
            "bad.csv:3: range 40–900 is not within the document's 49 characters",
        ),
        (
            "document,start,end,code,origin\ninterviews/P2_pre.txt,x,5,worry,ben\n",
            "bad.csv:2: range x–5",
        ),
        ("doc,begin\n", "bad.csv:1: expected the codings.csv layout"),
    ] {
        common::write(study.path(), "bad.csv", content.as_bytes());
        qualkit(study.path())
            .args(["agree", &good])
            .arg(study.path().join("bad.csv"))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(expected));
    }
    qualkit(study.path())
        .args(["agree", &good])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at least two coders"));
}

#[test]
fn auto_coding_against_a_coder_gives_precision_recall_f1_and_the_misses() {
    // the rules: support ← help*, support.exams ← exam*, worry ← worr*
    let study = study();
    let ana = codings(
        study.path(),
        "a.csv",
        &[
            ("interviews/P2_pre.txt", 3, 10, "worry", "ana"), // "I worry about exams."
            ("interviews/P2_pre.txt", 35, 48, "support", "ana"), // "Nothing else."
        ],
    );
    let list = study.path().join("misses.csv");
    let output = qualkit(study.path())
        .args(["agree", "--auto", &ana, "--format", "csv", "--list"])
        .arg(&list)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows[0][4..], ["precision", "recall", "F1"]);
    // worry: ana 1, rules 1 ("I worry…"), both 1
    assert_eq!(row(&rows, "Worry")[1..7], ["1", "1", "1", "1.000", "1.000", "1.000"]);
    // support (with its child): ana 1 ("Nothing else."); rules 2 ("exams", "helps"); both 0
    assert_eq!(row(&rows, "Support")[1..7], ["1", "2", "0", "0.000", "0.000", "0.000"]);
    // exam help: ana 0, rules 1: precision 0, recall undefined
    assert_eq!(row(&rows, "Exam help")[1..7], ["0", "1", "0", "0.000", "", "0.000"]);
    let micro = row(&rows, "micro average (all codes pooled)");
    assert_eq!(micro[1..5], ["2", "4", "1", "0.250"]);
    let macro_row = row(&rows, "macro average (mean over codes)");
    assert_eq!(macro_row[4], format!("{:.3}", (1.0 + 0.0 + 0.0) / 3.0));
    assert_eq!(macro_row[5], format!("{:.3}", (1.0 + 0.0) / 2.0));
    let misses = csv_rows(std::fs::read_to_string(&list).expect("written").as_bytes());
    assert!(
        misses.iter().any(|r| r[0] == "Support" && r[1] == "missed" && r[4] == "Nothing else.")
    );
    assert!(misses.iter().any(|r| r[0] == "Support"
        && r[1] == "wrong"
        && r[4] == "She helps."
        && r[5].contains("help*")));
}

#[test]
fn sample_study_agreement_auto_coding_and_run() {
    let study = sample_study();
    let codings = study.path().join("codings");
    let (hana, tom) = (codings.join("hana.csv"), codings.join("tom.csv"));
    let (hana, tom) = (hana.to_string_lossy(), tom.to_string_lossy());
    let (rows, _) = run(study.path(), &[&hana, &tom]);
    let pooled = number(&cell(&rows, "all codes used (pooled)", "Krippendorff's α"));
    assert!(pooled > 0.8 && pooled < 1.0, "two careful coders: high but not perfect ({pooled})");
    let chart = study.path().join("agree.png");
    qualkit(study.path()).args(["agree", &hana, &tom, "--chart"]).arg(&chart).assert().success();
    assert!(std::fs::read(&chart).expect("chart").starts_with(b"\x89PNG"));
    let (rows, _) = run(study.path(), &["--auto", &hana]);
    assert_eq!(rows[0][4..], ["precision", "recall", "F1"]);
    assert!(rows.len() > 30);

    qualkit(study.path()).arg("run").assert().success();
    let out = study.path().join("out");
    for file in [
        "tables/agreement.csv",
        "tables/disagreements.md",
        "tables/auto-vs-coder.tex",
        "tables/auto-missed-wrong.csv",
        "charts/agreement.svg",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let report = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(report.contains("id=\"agreement\"") && report.contains("Krippendorff"));
    let run_json = std::fs::read_to_string(out.join("run.json")).expect("run.json");
    assert!(run_json.contains("codings/hana.csv"), "codings files are hashed inputs");
}

/// 60 generated cases (tests/fixtures/agree/make_reference.py): two and three coders,
/// coders missing from a document, codes nobody or one coder used. Every coefficient equals
/// scikit-learn's, statsmodels' or the krippendorff package's to 1e-9, through the CLI.
#[test]
fn generated_codings_match_the_reference_packages() {
    let study = common::fixture("agree");
    let reference: serde_json::Value = serde_json::from_slice(
        &std::fs::read(study.path().join("reference.json")).expect("reference"),
    )
    .expect("json");
    let close = |what: &str, ours: &serde_json::Value, theirs: &serde_json::Value| match (
        ours.as_f64(),
        theirs.as_f64(),
    ) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{what}: ours {a}, reference {b}"),
        (None, None) => {}
        _ => panic!("{what}: ours {ours}, reference {theirs}"),
    };
    let cases = reference["cases"].as_array().expect("cases");
    assert!(cases.len() >= 50);
    for (n, case) in cases.iter().enumerate() {
        let mut text = String::from("document,start,end,code,origin\n");
        for row in case["codings"].as_array().expect("codings") {
            let cells: Vec<String> = row
                .as_array()
                .expect("row")
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        common::write(study.path(), "case.csv", text.as_bytes());
        let output = qualkit(study.path())
            .args(["agree", "case.csv", "--format", "json"])
            .current_dir(study.path())
            .output()
            .expect("runs");
        assert!(output.status.success(), "case {n}: {}", String::from_utf8_lossy(&output.stderr));
        let table: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        let kappa = if case["coders"].as_array().expect("coders").len() == 2 {
            "Cohen's κ"
        } else {
            "Fleiss' κ"
        };
        for (code, expected) in case["expected"].as_object().expect("codes") {
            let name = format!("{}{}", &code[..1].to_uppercase(), &code[1..]);
            let row = table["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .find(|r| r["code"] == name.as_str())
                .unwrap_or_else(|| panic!("case {n}: no row {name}"));
            if expected["used"] == false {
                assert!(
                    row[kappa].is_null() && row["Krippendorff's α"].is_null(),
                    "case {n} {code}"
                );
                continue;
            }
            let what = format!("case {n} {code}");
            close(&format!("{what} κ"), &row[kappa], &expected["kappa"]);
            close(
                &format!("{what} B–P"),
                &row["Brennan–Prediger κ"],
                &expected["brennan_prediger"],
            );
            close(&format!("{what} α"), &row["Krippendorff's α"], &expected["alpha"]);
        }
    }
}
