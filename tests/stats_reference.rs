//! Every statistic agrees with scipy / statsmodels to 1e-9 on the generated reference cases
//! (`tests/fixtures/stats/make_reference.py` → `reference.json`).

use qualkit::stats::adjust::{Adjustment, adjust};
use qualkit::stats::contingency::{chi_square, cramers_v, fisher_exact};
use qualkit::stats::mcnemar::mcnemar;
use qualkit::stats::wilcoxon::{ZeroMethod, wilcoxon};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn reference() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stats/reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("reference fixture"))
        .expect("valid JSON")
}

/// Compare an optional value with the reference (null ⇔ None), relative-or-absolute 1e-9.
fn close(name: &str, ours: Option<f64>, theirs: &Value) {
    match (ours, theirs.as_f64()) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            let scale = b.abs().max(1.0);
            assert!((a - b).abs() <= TOLERANCE * scale, "{name}: ours {a}, reference {b}");
        }
        (a, _) => panic!("{name}: ours {a:?}, reference {theirs}"),
    }
}

fn cases(section: &str) -> Vec<Value> {
    let cases = reference()[section].as_array().expect("section").clone();
    assert!(cases.len() >= 50, "{section}: only {} cases", cases.len());
    cases
}

#[test]
fn mcnemar_matches_statsmodels_and_scipy() {
    for case in cases("mcnemar") {
        let (b, c) = (case["b"].as_u64().expect("b"), case["c"].as_u64().expect("c"));
        let test = mcnemar(b, c);
        let name = format!("McNemar b={b} c={c}");
        close(&format!("{name} exact"), Some(test.exact_p), &case["exact_p"]);
        close(&format!("{name} mid-p"), Some(test.mid_p), &case["mid_p"]);
        close(&format!("{name} chi2"), test.chi2, &case["chi2"]);
        close(&format!("{name} chi2 p"), Some(test.chi2_p), &case["chi2_p"]);
        close(&format!("{name} corrected"), test.chi2_corrected, &case["chi2_corrected"]);
        close(
            &format!("{name} corrected p"),
            Some(test.chi2_corrected_p),
            &case["chi2_corrected_p"],
        );
    }
}

#[test]
fn wilcoxon_matches_scipy_for_every_zero_method_and_correction() {
    for case in cases("wilcoxon") {
        let d: Vec<f64> =
            case["d"].as_array().expect("d").iter().map(|v| v.as_f64().expect("number")).collect();
        let zeros = match case["zero_method"].as_str().expect("method") {
            "wilcox" => ZeroMethod::Wilcox,
            "pratt" => ZeroMethod::Pratt,
            _ => ZeroMethod::ZeroSplit,
        };
        let continuity = case["correction"].as_bool().expect("bool");
        let test = wilcoxon(&d, zeros, continuity);
        let name = format!("Wilcoxon {zeros:?} continuity={continuity} d={d:?}");
        close(&format!("{name} statistic"), Some(test.statistic), &case["statistic"]);
        close(&format!("{name} p ({:?})", test.method), test.p, &case["p"]);
    }
}

#[test]
fn contingency_tests_match_scipy() {
    for case in cases("contingency") {
        let table: Vec<Vec<u64>> = case["table"]
            .as_array()
            .expect("table")
            .iter()
            .map(|row| {
                row.as_array().expect("row").iter().map(|v| v.as_u64().expect("count")).collect()
            })
            .collect();
        let name = format!("table {table:?}");
        let plain = chi_square(&table, false);
        close(&format!("{name} chi2"), Some(plain.statistic), &case["chi2"]);
        close(&format!("{name} chi2 p"), Some(plain.p), &case["chi2_p"]);
        assert_eq!(plain.df as u64, case["df"].as_u64().expect("df"), "{name} df");
        let yates = chi_square(&table, true);
        close(&format!("{name} Yates"), Some(yates.statistic), &case["chi2_yates"]);
        close(&format!("{name} Yates p"), Some(yates.p), &case["chi2_yates_p"]);
        close(&format!("{name} Cramér's V"), cramers_v(&table), &case["cramers_v"]);
        close(&format!("{name} Fisher"), fisher_exact(&table), &case["fisher_p"]);
    }
}

#[test]
fn holm_and_benjamini_hochberg_match_statsmodels() {
    for case in cases("adjust") {
        let p: Vec<Option<f64>> =
            case["p"].as_array().expect("p").iter().map(Value::as_f64).collect();
        for (method, key) in [(Adjustment::Holm, "holm"), (Adjustment::BenjaminiHochberg, "bh")] {
            let ours = adjust(&p, method);
            for (i, value) in ours.iter().enumerate() {
                close(&format!("{key} {p:?}[{i}]"), *value, &case[key][i]);
            }
        }
    }
}

fn indexes(value: &Value) -> Vec<usize> {
    value.as_array().expect("array").iter().map(|v| v.as_u64().expect("label") as usize).collect()
}

#[test]
fn cohen_kappa_matches_scikit_learn() {
    use qualkit::stats::agreement::{cohen_kappa, percent_agreement};
    for case in cases("cohen") {
        let (a, b) = (indexes(&case["a"]), indexes(&case["b"]));
        close(&format!("percent {a:?} {b:?}"), percent_agreement(&a, &b), &case["percent"]);
        match case["kappa"].as_f64() {
            Some(_) => close(&format!("kappa {a:?} {b:?}"), cohen_kappa(&a, &b), &case["kappa"]),
            // sklearn's NaN when both coders use one category: ours is 1 for total agreement
            None => assert_eq!(cohen_kappa(&a, &b), (a == b).then_some(1.0), "{a:?} {b:?}"),
        }
    }
}

#[test]
fn fleiss_and_randolph_kappa_match_statsmodels() {
    use qualkit::stats::agreement::fleiss_kappa;
    for case in cases("fleiss") {
        let counts: Vec<Vec<usize>> =
            case["counts"].as_array().expect("rows").iter().map(indexes).collect();
        close(&format!("fleiss {counts:?}"), fleiss_kappa(&counts, false), &case["fleiss"]);
        close(&format!("randolph {counts:?}"), fleiss_kappa(&counts, true), &case["randolph"]);
    }
}

#[test]
fn krippendorff_alpha_matches_the_krippendorff_package() {
    use qualkit::stats::agreement::krippendorff_alpha;
    for case in cases("krippendorff") {
        let data: Vec<Vec<Option<usize>>> = case["data"]
            .as_array()
            .expect("coders")
            .iter()
            .map(|row| {
                row.as_array()
                    .expect("units")
                    .iter()
                    .map(|v| v.as_u64().map(|x| x as usize))
                    .collect()
            })
            .collect();
        close(&format!("alpha {data:?}"), krippendorff_alpha(&data), &case["alpha"]);
    }
}

/// Real multi-annotator data: ConvAbuse (CC BY 4.0; tests/fixtures/convabuse/SOURCE.md),
/// 300 units, 8 annotators, about 3 per unit, the rest missing.
#[test]
fn krippendorff_alpha_on_convabuse_matches_the_krippendorff_package() {
    use qualkit::stats::agreement::krippendorff_alpha;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convabuse");
    let reference: Value =
        serde_json::from_slice(&std::fs::read(dir.join("reference.json")).expect("reference"))
            .expect("json");
    let mut reader = csv::Reader::from_path(dir.join("labels.csv")).expect("labels");
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let levels = ["1", "0", "-1", "-2", "-3"];
    let data = |column: &str, value: &dyn Fn(&str) -> usize| -> Vec<Vec<Option<usize>>> {
        (1..=8)
            .map(|a| {
                let i = header
                    .iter()
                    .position(|h| *h == format!("Annotator{a}_{column}"))
                    .expect("column");
                rows.iter().map(|r| Some(&r[i]).filter(|v| !v.is_empty()).map(value)).collect()
            })
            .collect()
    };
    let level = |v: &str| levels.iter().position(|l| *l == v).expect("a level");
    let abusive = |v: &str| usize::from(level(v) >= 2);
    let binary = |v: &str| v.parse::<usize>().expect("0 or 1");
    close("level", krippendorff_alpha(&data("level", &level)), &reference["level"]);
    close("abusive", krippendorff_alpha(&data("level", &abusive)), &reference["abusive"]);
    close("sexist", krippendorff_alpha(&data("sexist", &binary)), &reference["sexist"]);
}
