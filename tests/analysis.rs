//! Analyses from the command line: exact counts on the fixture, every format, and the
//! sample study's planted differences.

mod common;

use common::{csv_rows, fixture, qualkit, sample_study};

fn table(study: &std::path::Path, args: &[&str]) -> Vec<Vec<String>> {
    let output = qualkit(study).args(args).args(["--format", "csv"]).output().expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    csv_rows(&output.stdout)
}

/// (id, name) of every code of the sample study's codebook, read from its TOML.
fn sample_codes(study: &std::path::Path) -> Vec<(String, String)> {
    let codebook: toml::Table =
        std::fs::read_to_string(study.join("../../codebooks/mentoring-core.toml"))
            .expect("codebook")
            .parse()
            .expect("TOML");
    let text = |code: &toml::Value, key: &str| code[key].as_str().expect(key).to_owned();
    let codes = codebook["code"].as_array().expect("codes");
    codes.iter().map(|code| (text(code, "id"), text(code, "name"))).collect()
}

fn row<'a>(rows: &'a [Vec<String>], code: &str) -> &'a Vec<String> {
    rows.iter().find(|r| r[0].trim() == code).unwrap_or_else(|| panic!("no row {code}: {rows:?}"))
}

/// The percentage in an `n (p%)` cell.
fn percent(cell: &str) -> f64 {
    cell.split('(')
        .nth(1)
        .and_then(|s| s.trim_end_matches("%)").parse().ok())
        .unwrap_or_else(|| panic!("not n (%): {cell}"))
}

/// Word counts (every rate's denominator) are kept beside the index and read back by later
/// runs; a damaged file is counted again, never trusted.
#[test]
fn word_counts_are_kept_beside_the_index_and_checked() {
    let study = fixture("mini");
    let rate = || row(&table(study.path(), &["themes"]), "Target setting")[5].clone();
    let counted = rate();
    assert_eq!(counted, "116.67");
    let dir = study.path().join(".qualkit/index/sentence");
    let path = dir.join("word-counts.bin");
    let good = std::fs::read(&path).expect("word counts kept");
    // a valid file with every count doubled: the rate halves, so the file is what was read
    let fingerprint = std::fs::read_to_string(dir.join("qualkit-fingerprint")).expect("index");
    let file = qualkit::index::CacheFile::new(&dir, "word-counts.bin", &fingerprint);
    let body = file.read(1).expect("layout 1, intact");
    let mut reader = body.reader();
    let counts = reader.u32s(reader.remaining() / 4).expect("counts");
    let mut doubled = Vec::new();
    for count in counts {
        qualkit::index::push_u32(&mut doubled, 2 * count);
    }
    file.write(1, &doubled).expect("written");
    assert_eq!(rate(), "58.33", "the kept counts were not read");
    // damaged: counted again and rewritten
    std::fs::write(&path, &good).expect("restored");
    let mut damaged = good.clone();
    damaged[good.len() / 2] ^= 0x04;
    std::fs::write(&path, &damaged).expect("damaged");
    assert_eq!(rate(), counted, "damaged counts trusted");
    assert_eq!(std::fs::read(&path).expect("rewritten"), good);
}

#[test]
fn themes_count_participants_documents_segments_coverage_and_rate() {
    let study = fixture("mini");
    let rows = table(study.path(), &["themes"]);
    assert_eq!(rows[0][..4], ["code", "participants n (%) (N = 4)", "documents", "segments"]);
    // targets: S01 (interview, group), S02, T01 (questionnaire) of S01, S02, S03, T01
    assert_eq!(row(&rows, "Target setting")[1..4], ["3 (75.0%)", "4", "7"]);
    assert_eq!(row(&rows, "Mentor listens")[1..4], ["1 (25.0%)", "1", "1"]);
    // the parent aggregates its child
    assert_eq!(row(&rows, "Relationship and trust")[3], "2");
}

#[test]
fn themes_by_attribute_and_wave_split_the_denominators() {
    let study = fixture("mini");
    let rows = table(study.path(), &["themes", "--by", "gender", "--by", "wave"]);
    let header = &rows[0];
    assert!(header.contains(&"gender: female (n = 3)".to_owned()), "{header:?}");
    assert!(header.contains(&"pre (n = 2)".to_owned()), "{header:?}");
    assert!(header.contains(&"post (n = 3)".to_owned()), "{header:?}");
}

/// A wave or condition level no document has is a usage error naming it; a crosstab within
/// one wave counts only who spoke in that wave.
#[test]
fn levels_are_checked_and_a_crosstab_keeps_to_its_wave() {
    let study = fixture("mini");
    let fails = |args: &[&str]| {
        let output = qualkit(study.path()).args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let stderr = fails(&["compare", "--from", "pre", "--to", "later"]);
    assert!(stderr.contains("no document has wave `later`"), "{stderr}");
    let stderr = fails(&["compare", "--by", "school", "--from", "a", "--to", "b"]);
    assert!(stderr.contains("no document has school `a`"), "{stderr}");
    let stderr = fails(&["crosstab", "--by", "gender", "--wave", "later"]);
    assert!(stderr.contains("no document has wave `later`"), "{stderr}");
    let group_sizes = |args: &[&str]| -> usize {
        let rows = table(study.path(), args);
        let sizes = rows[0].iter().filter_map(|c| c.split("(n = ").nth(1));
        sizes.map(|n| n.trim_end_matches(')').parse::<usize>().expect("n")).sum()
    };
    assert_eq!(group_sizes(&["crosstab", "--by", "gender"]), 4);
    assert_eq!(group_sizes(&["crosstab", "--by", "gender", "--wave", "pre"]), 2);
    assert_eq!(group_sizes(&["crosstab", "--by", "gender", "--wave", "post"]), 3);
}

/// With no participant in both conditions, `compare` tests independent groups: each
/// condition's participants mentioning a code or not (Fisher's exact test), with no paired
/// columns. Here S01 and T01 (the staff questionnaire) speak before, S02 and S03 after.
#[test]
fn compare_without_paired_participants_tests_independent_groups() {
    let study = fixture("mini");
    let group = std::fs::read_to_string(study.path().join("groups/G1_post.txt")).expect("group");
    common::write(study.path(), "groups/G1_post.txt", group.replace("S01", "S02").as_bytes());
    let rows = table(study.path(), &["compare"]);
    let unpaired = |code: &str, pre: &str, post: &str, change: &str| {
        let p = "1.000"; // Fisher's exact test of 2 + 2 participants: nothing to find
        let note = "unpaired: Fisher's exact test";
        [code, pre, post, change, "", "", p, p, "–", note].map(str::to_owned).to_vec()
    };
    assert_eq!(
        rows[1..],
        [
            unpaired("Target setting", "2 (100.0%)", "1 (50.0%)", "-50.0"),
            unpaired("Relationship and trust", "1 (50.0%)", "0 (0.0%)", "-50.0"),
            unpaired("  Mentor listens", "1 (50.0%)", "0 (0.0%)", "-50.0"),
            unpaired("Confidence", "0 (0.0%)", "1 (50.0%)", "50.0"),
        ]
    );
    let output = qualkit(study.path()).args(["compare", "--format", "md"]).output().expect("runs");
    let markdown = String::from_utf8_lossy(&output.stdout);
    assert!(markdown.contains("Paired on the 0 participants who spoke in both pre and post; 2 who spoke only in pre and 2 only in post are left out."), "{markdown}");
    assert!(markdown.contains("the groups are independent: Fisher's exact test"), "{markdown}");
}

#[test]
fn every_analysis_renders_in_every_format() {
    let study = fixture("mini");
    let commands: [&[&str]; 6] = [
        &["themes", "--quotes", "1"],
        &["compare"],
        &["crosstab", "--by", "gender"],
        &["cooccur", "--within", "document"],
        &["saturation"],
        &["likert"],
    ];
    for command in commands {
        for format in ["text", "csv", "tsv", "md", "latex", "html", "json"] {
            let output = qualkit(study.path())
                .args(command)
                .args(["--format", format])
                .output()
                .expect("runs");
            assert_eq!(
                output.status.code(),
                Some(0),
                "{command:?} {format}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!output.stdout.is_empty(), "{command:?} {format}");
            if format == "json" {
                let _: serde_json::Value =
                    serde_json::from_slice(&output.stdout).expect("valid JSON");
            }
        }
    }
}

#[test]
fn themes_table_snapshot() {
    let study = fixture("mini");
    let output = qualkit(study.path())
        .args(["themes", "--format", "md", "--quotes", "1"])
        .output()
        .expect("runs");
    insta::assert_snapshot!("themes_mini_md", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn analyses_are_byte_identical_on_rerun() {
    let study = sample_study();
    let run = || {
        qualkit(study.path())
            .args(["compare", "--format", "json", "--where", "role=student"])
            .output()
            .expect("runs")
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn sample_study_target_talk_rises_from_pre_to_post() {
    let study = sample_study();
    let rows = table(study.path(), &["compare", "--where", "role=student"]);
    let targets = row(&rows, "Setting targets and goals");
    assert!(percent(&targets[2]) > percent(&targets[1]) + 20.0, "{targets:?}");
    let p: f64 = targets[6].parse().expect("McNemar p");
    assert!(p < 0.05, "{targets:?}");
}

/// The Wilcoxon column of `compare` tests each paired participant's change in coded
/// segments per 1,000 words, counted here apart from the analyses: words with the study's
/// analyzer from the run's segments.csv, coded segments from its codings.csv.
#[test]
fn compare_wilcoxon_tests_each_participants_change_in_rate() {
    use std::collections::{BTreeMap, BTreeSet};

    use qualkit::stats::wilcoxon::{ZeroMethod, wilcoxon};

    let study = sample_study();
    let out = study.path().join("out-rates");
    qualkit(study.path()).args(["run", "--out"]).arg(&out).assert().success();
    let read = |name: &str| csv_rows(&std::fs::read(out.join(name)).expect(name));
    let column = |rows: &[Vec<String>], name: &str| {
        rows[0].iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"))
    };
    let loaded = qualkit::study::Study::load(study.path()).expect("study");
    let analyzer = qualkit::index::Analyzer::of_study(&loaded);
    // words per (participant, wave): who spoke in a wave has an entry
    let segments = read("segments.csv");
    let [participant, wave, text] = ["participant", "wave", "text"].map(|c| column(&segments, c));
    let mut words: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in segments[1..].iter().filter(|r| !r[participant].is_empty() && !r[wave].is_empty()) {
        let key = (row[participant].clone(), row[wave].clone());
        *words.entry(key).or_default() += analyzer.count_words(&row[text]);
    }
    // coded segments, (document, segment), per (participant, wave, code)
    type Coded<'a> = BTreeMap<(&'a str, &'a str, &'a str), BTreeSet<(&'a str, &'a str)>>;
    let codings = read("codings.csv");
    let [participant, wave, code, document, segment] =
        ["participant", "wave", "code", "document", "segment"].map(|c| column(&codings, c));
    let mut coded = Coded::new();
    for row in &codings[1..] {
        let key = (row[participant].as_str(), row[wave].as_str(), row[code].as_str());
        coded.entry(key).or_default().insert((&row[document], &row[segment]));
    }
    let rate = |participant: &str, wave: &str, code: &str| {
        let spoken = words[&(participant.to_owned(), wave.to_owned())];
        let count = coded.get(&(participant, wave, code)).map_or(0, BTreeSet::len);
        if spoken == 0 { 0.0 } else { count as f64 * 1000.0 / spoken as f64 }
    };
    let paired: BTreeSet<&str> = words
        .keys()
        .filter(|(p, w)| w == "pre" && words.contains_key(&(p.clone(), "post".to_owned())))
        .map(|(p, _)| p.as_str())
        .collect();
    assert!(paired.len() > 10, "{paired:?}");
    let table = table(study.path(), &["compare"]);
    let wilcoxon_column = column(&table, "Wilcoxon p (rates)");
    let mut tested = 0;
    for (id, name) in sample_codes(study.path()) {
        // rounded as compare rounds them, so float noise cannot split ties
        let differences: Vec<f64> = paired
            .iter()
            .map(|p| ((rate(p, "post", &id) - rate(p, "pre", &id)) * 1e9).round() / 1e9)
            .collect();
        let cell = &row(&table, &name)[wilcoxon_column];
        match wilcoxon(&differences, ZeroMethod::Wilcox, false).p {
            Some(p) if p < 0.001 => assert_eq!(cell, "<0.001", "{name}"),
            Some(p) => {
                let shown: f64 = cell.parse().unwrap_or_else(|_| panic!("{name}: {cell}"));
                assert!((shown - p).abs() <= 0.0005 + 1e-12, "{name}: {cell}, expected {p}");
                tested += 1;
            }
            None => assert!(cell.is_empty() || cell == "–", "{name}: {cell}"),
        }
    }
    assert!(tested > 5, "only {tested} codes have a p-value to compare");
}

#[test]
fn sample_study_relationship_matters_more_to_lower_ability_students() {
    let study = sample_study();
    let rows = table(study.path(), &["crosstab", "--by", "ability", "--where", "role=student"]);
    assert!(
        rows[0][1].starts_with("low") && rows[0][3].starts_with("high"),
        "declared order: {:?}",
        rows[0]
    );
    let trust = row(&rows, "Trust, openness and being listened to");
    assert!(percent(&trust[1]) > percent(&trust[3]), "{trust:?}");
}

#[test]
fn sample_study_logistics_complaints_are_more_frequent_at_riverside() {
    let study = sample_study();
    let rows = table(
        study.path(),
        &["themes", "--by", "school", "--unit", "document", "--where", "role=student"],
    );
    let header = &rows[0];
    let column = |prefix: &str| header.iter().position(|h| h.starts_with(prefix)).expect("column");
    let logistics = row(&rows, "Missing lessons for mentoring");
    assert!(
        percent(&logistics[column("school: Riverside")])
            > percent(&logistics[column("school: Northfield")]),
        "{logistics:?}"
    );
}

#[test]
fn sample_study_staff_agree_more_at_post_that_mentoring_improves_attainment() {
    let study = sample_study();
    let rows = table(study.path(), &["likert"]);
    let median = |wave: &str| -> f64 {
        let r =
            rows.iter().find(|r| r[0] == "q3_improves_attainment" && r[1] == wave).expect("row");
        r[r.len() - 4].parse().expect("median")
    };
    assert!(median("post") > median("pre"));
}

#[test]
fn charts_are_written_as_svg_and_png() {
    let study = fixture("mini");
    let dir = tempfile::tempdir().expect("temp");
    for (kind, extra) in [
        ("themes", vec!["--by", "gender"]),
        ("crosstab", vec!["--by", "ability"]),
        ("compare", vec![]),
        ("saturation", vec![]),
        ("likert", vec![]),
    ] {
        for extension in ["svg", "png"] {
            let out = dir.path().join(format!("{kind}.{extension}"));
            qualkit(study.path())
                .args(["chart", kind])
                .args(&extra)
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            let bytes = std::fs::read(&out).expect("written");
            if extension == "svg" {
                assert!(bytes.starts_with(b"<svg"), "{kind}");
            } else {
                assert!(bytes.starts_with(b"\x89PNG"), "{kind}");
            }
        }
    }
    let svg = std::fs::read_to_string(dir.path().join("themes.svg")).expect("svg");
    insta::assert_snapshot!("chart_themes_by_gender_svg", svg);
    qualkit(study.path())
        .args(["chart", "themes", "--out", "x.svg"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("this chart needs --by ATTR"));
}

#[test]
fn word_tables_are_valid_docx_that_libreoffice_opens() {
    let study = fixture("mini");
    let docx = study.path().join("themes.docx");
    qualkit(study.path())
        .args(["themes", "--format", "docx", "--out"])
        .arg(&docx)
        .assert()
        .success();
    let bytes = std::fs::read(&docx).expect("written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document part"),
        &mut xml,
    )
    .expect("read");
    assert!(
        xml.contains("<w:tbl>") && xml.contains("<w:tblHeader/>") && xml.contains("Target setting")
    );
    qualkit(study.path())
        .args(["themes", "--format", "docx"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("add --out FILE.docx"));
    let libreoffice = ["libreoffice", "soffice"].into_iter().find(|b| {
        std::process::Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success())
    });
    let Some(libreoffice) = libreoffice else {
        eprintln!("skipping the LibreOffice conversion: libreoffice not installed");
        return;
    };
    let profile = tempfile::tempdir().expect("temp");
    let output = std::process::Command::new(libreoffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(study.path())
        .arg(&docx)
        .output()
        .expect("libreoffice runs");
    assert!(
        study.path().join("themes.pdf").is_file(),
        "no PDF: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn agreement_between_two_coders_per_code() {
    let study = fixture("mini");
    let a = "document,segment,participant,wave,speaker,code,origin,start,end,text\n\
             interviews/S01_pre.txt,,S01,pre,S01,targets,ana,148,188,\n\
             interviews/S01_pre.txt,,S01,pre,S01,confidence,ana,309,333,\n";
    let b = "document,start,end,code,origin\ninterviews/S01_pre.txt,150,180,targets,ben\n";
    common::write(study.path(), "ana.csv", a.as_bytes());
    common::write(study.path(), "ben.csv", b.as_bytes());
    let (ana, ben) = (study.path().join("ana.csv"), study.path().join("ben.csv"));
    let (ana, ben) = (ana.to_string_lossy(), ben.to_string_lossy());
    let rows = table(study.path(), &["agree", &ana, &ben]);
    assert_eq!(
        rows[0][..6],
        [
            "code",
            "sentences coded by anyone",
            "% agreement",
            "Cohen's κ",
            "Brennan–Prediger κ",
            "Krippendorff's α"
        ]
    );
    let targets = row(&rows, "Target setting");
    assert_eq!(targets[1..4], ["1", "100.0", "1.000"]);
    let confidence = row(&rows, "Confidence");
    assert_eq!(confidence[3], "0.000", "one coder never used it: κ = 0");
    assert_eq!(row(&rows, "Relationship and trust")[2], "", "nobody used it: no coefficient");
    assert!(rows.iter().any(|r| r[0] == "all codes used (pooled)"));
    // an unknown code is a located error
    common::write(
        study.path(),
        "bad.csv",
        b"document,start,end,code,origin\ninterviews/S01_pre.txt,1,5,nonsense,ben\n",
    );
    qualkit(study.path())
        .args(["agree", &ana])
        .arg(study.path().join("bad.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.csv:2: unknown code `nonsense`"));
}

/// Co-occurrence within segments, documents and participants equals a count made directly
/// from codings.csv: each unit's set of codes (participants' speech only), every pair of
/// codes within a unit once, a code never paired with its ancestors.
#[test]
fn cooccurrence_counts_equal_a_direct_count_from_the_codings() {
    use std::collections::{BTreeMap, BTreeSet};
    let study = sample_study();
    let out = tempfile::tempdir().expect("temp dir");
    let output =
        qualkit(study.path()).args(["run", "--out"]).arg(out.path()).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let codings = csv_rows(&std::fs::read(out.path().join("codings.csv")).expect("codings"));
    let column = |name: &str| codings[0].iter().position(|c| c == name).expect(name);
    let (document, segment) = (column("document"), column("segment"));
    let (participant, code) = (column("participant"), column("code"));
    let codes = sample_codes(study.path());
    let names: BTreeMap<&str, &str> =
        codes.iter().map(|(id, name)| (id.as_str(), name.as_str())).collect();
    // a code id's ancestors are the ids it extends: `a.b` is a child of `a`
    let related =
        |a: &str, b: &str| b.starts_with(&format!("{a}.")) || a.starts_with(&format!("{b}."));
    for within in ["segment", "document", "participant"] {
        let mut units: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for row in codings[1..].iter().filter(|row| !row[participant].is_empty()) {
            let unit = match within {
                "segment" => format!("{}#{}", row[document], row[segment]),
                "document" => row[document].clone(),
                _ => row[participant].clone(),
            };
            units.entry(unit).or_default().insert(&row[code]);
        }
        let mut expected: BTreeSet<Vec<String>> = BTreeSet::new();
        let with = |id: &str| units.values().filter(|codes| codes.contains(id)).count();
        for codes in units.values() {
            for a in codes {
                for b in codes
                    .range::<&str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                {
                    if related(a, b) {
                        continue;
                    }
                    let both = units.values().filter(|c| c.contains(a) && c.contains(b)).count();
                    let mut pair = [(names[a], with(a)), (names[b], with(b))];
                    pair.sort();
                    expected.insert(vec![
                        pair[0].0.to_owned(),
                        pair[1].0.to_owned(),
                        both.to_string(),
                        pair[0].1.to_string(),
                        pair[1].1.to_string(),
                    ]);
                }
            }
        }
        let rows = table(study.path(), &["cooccur", "--within", within]);
        let actual: BTreeSet<Vec<String>> = rows[1..]
            .iter()
            .filter(|row| row.len() == 6)
            .map(|row| {
                let mut pair = [(row[0].as_str(), &row[3]), (row[1].as_str(), &row[4])];
                pair.sort();
                vec![
                    pair[0].0.to_owned(),
                    pair[1].0.to_owned(),
                    row[2].clone(),
                    pair[0].1.clone(),
                    pair[1].1.clone(),
                ]
            })
            .collect();
        assert!(expected.len() > 20, "{within}: too few pairs to test: {}", expected.len());
        assert_eq!(actual, expected, "co-occurrence within {within}");
    }
}

/// Saturation, document by document in the table's order: the codes first seen in each are
/// those its participants' codings in codings.csv have and no document before had, in
/// codebook order, and the running count adds them up. With the sample codebook, and with
/// it followed by a renamed copy of every code (72 codes, past one 64-bit word of codes).
#[test]
fn saturation_counts_the_codes_each_document_adds_as_codings_csv_has_them() {
    use std::collections::{BTreeMap, BTreeSet};
    let study = sample_study();
    let original =
        std::fs::read_to_string(study.path().join("../../codebooks/mentoring-core.toml"))
            .expect("codebook");
    let codes = &original[original.find("[[code]]").expect("codes")..];
    let copied = codes
        .replace("\nid = \"", "\nid = \"copy_")
        .replace("\nparent = \"", "\nparent = \"copy_")
        .replace("\nname = \"", "\nname = \"Copy: ");
    let doubled = study.path().join("doubled.toml");
    std::fs::write(&doubled, format!("{original}\n{copied}")).expect("write codebook");
    let mut ids: Vec<String> = sample_codes(study.path()).into_iter().map(|(id, _)| id).collect();
    ids.extend(ids.clone().into_iter().map(|id| format!("copy_{id}")));
    for (codebook, codebook_order) in [(None, &ids[..ids.len() / 2]), (Some(&doubled), &ids[..])] {
        let with_codebook = |command: &mut assert_cmd::Command| {
            if let Some(path) = codebook {
                command.arg("--codebook").arg(path);
            }
        };
        let out = study.path().join("saturation-codings.csv");
        let mut code = qualkit(study.path());
        code.arg("code").arg("--out").arg(&out);
        with_codebook(&mut code);
        let output = code.output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let codings = csv_rows(&std::fs::read(&out).expect("codings"));
        let column = |name: &str| codings[0].iter().position(|c| c == name).expect(name);
        let (document, participant, code) =
            (column("document"), column("participant"), column("code"));
        let mut codes_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for row in codings[1..].iter().filter(|row| !row[participant].is_empty()) {
            codes_of.entry(&row[document]).or_default().insert(&row[code]);
        }
        let mut saturation = qualkit(study.path());
        saturation.args(["saturation", "--format", "csv"]);
        with_codebook(&mut saturation);
        let output = saturation.output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let rows = csv_rows(&output.stdout);
        let documents: Vec<&Vec<String>> = rows[1..].iter().filter(|row| row.len() == 6).collect();
        assert!(documents.len() > 10, "{rows:?}");
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut adding = 0;
        for row in documents {
            let codes = codes_of.get(row[1].as_str()).cloned().unwrap_or_default();
            let new: Vec<&str> = codebook_order
                .iter()
                .map(String::as_str)
                .filter(|id| codes.contains(id) && !seen.contains(id))
                .collect();
            seen.extend(&new);
            adding += usize::from(!new.is_empty());
            let expected = [new.len().to_string(), seen.len().to_string(), new.join(", ")];
            assert_eq!(row[3..], expected, "{codebook:?}: document {}", row[1]);
        }
        assert!(adding > 3, "too few documents add codes to test: {adding}");
    }
}

/// Saturation takes documents in the order they were gathered: the sample study's pre wave
/// before its post wave, each wave by interview date with undated documents after dated
/// ones, and the table's note says so. (In study order a student's post interview came
/// before their pre interview.)
#[test]
fn saturation_takes_documents_by_wave_then_date_with_undated_ones_last() {
    let study = sample_study();
    let output =
        qualkit(study.path()).args(["saturation", "--format", "csv"]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    let documents: Vec<&Vec<String>> = rows[1..].iter().filter(|row| row.len() == 6).collect();
    // the sample study's file names carry the wave (`S01_pre.txt`, `staff_post.csv#T01/…`)
    let wave = |document: &str| match (document.contains("_pre"), document.contains("_post")) {
        (true, false) => 0,
        (false, true) => 1,
        _ => panic!("no wave in {document}"),
    };
    let keys: Vec<(u8, bool, &str)> =
        documents.iter().map(|row| (wave(&row[1]), row[2].is_empty(), row[2].as_str())).collect();
    assert!(keys.windows(2).all(|pair| pair[0] <= pair[1]), "{keys:?}");
    for w in [0, 1] {
        let dated = keys.iter().filter(|k| k.0 == w && !k.1).count();
        let undated = keys.iter().filter(|k| k.0 == w && k.1).count();
        assert!(dated > 5 && undated > 0, "wave {w}: {dated} dated, {undated} undated");
    }
    let markdown =
        qualkit(study.path()).args(["saturation", "--format", "md"]).output().expect("runs");
    let note = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        note.contains(
            "Documents in wave order, then by date (undated documents last in their wave)"
        ),
        "{note}"
    );
}

/// Past [`qualkit::analysis::saturation::EVERY_DOCUMENT_UP_TO`] documents (250 interviews
/// here), the table lists the first (which adds nothing here), those in which codes were
/// first seen and the last, each at its place in the order, the running count as over every
/// document, and a note says how many there were; the chart of it is drawn.
#[test]
fn saturation_of_many_documents_lists_those_adding_codes_and_the_last() {
    const { assert!(qualkit::analysis::saturation::EVERY_DOCUMENT_UP_TO < 250) };
    let mut participants = String::from("id\n");
    let mut transcripts = Vec::new();
    for p in 0..125 {
        participants.push_str(&format!("P{p:03}\n"));
        for wave in ["pre", "post"] {
            let words = match (p, wave) {
                (2 | 5, "pre") => "I set my targets early.",
                (40, "pre") => "My mentor listens and I trust her.",
                (10, "post") => "The exams went well in the end.",
                (60, "post") => "Targets again, and exams.",
                _ => "Nothing much to say really.",
            };
            let text = format!("Interviewer: How is it going?\nP{p:03}: {words}\n");
            transcripts.push((format!("P{p:03}_{wave}.txt"), text.into_bytes()));
        }
    }
    let named: Vec<(&str, &[u8])> =
        transcripts.iter().map(|(name, text)| (name.as_str(), text.as_slice())).collect();
    let study = common::minimal_study(&participants, &named);
    common::write(
        study.path(),
        "codebook.toml",
        b"format = 1\nname = \"c\"\nversion = \"1\"\nlanguage = \"english\"\n\n\
          [[code]]\nid = \"targets\"\nname = \"Targets\"\nrules = ['target*']\n\n\
          [[code]]\nid = \"trust\"\nname = \"Trust\"\nrules = ['trust*']\n\n\
          [[code]]\nid = \"exams\"\nname = \"Exams\"\nrules = ['exam*']\n\n\
          [[code]]\nid = \"never\"\nname = \"Never\"\nrules = ['=zebra']\n",
    );
    let codebook = study.path().join("codebook.toml");
    let output = qualkit(study.path())
        .args(["saturation", "--format", "csv", "--codebook"])
        .arg(&codebook)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    let listed: Vec<Vec<&str>> = rows[1..]
        .iter()
        .filter(|row| row.len() == 6)
        .map(|row| row.iter().map(String::as_str).collect())
        .collect();
    // the pre wave first, each wave in study order: P000_pre is 1st, P010_post 136th
    assert_eq!(
        listed,
        [
            ["1", "interviews/P000_pre.txt", "", "0", "0", ""],
            ["3", "interviews/P002_pre.txt", "", "1", "1", "targets"],
            ["41", "interviews/P040_pre.txt", "", "1", "2", "trust"],
            ["136", "interviews/P010_post.txt", "", "1", "3", "exams"],
            ["250", "interviews/P124_post.txt", "", "0", "3", ""],
        ]
    );
    let markdown = qualkit(study.path())
        .args(["saturation", "--format", "md", "--codebook"])
        .arg(&codebook)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        text.contains(
            "Of the 250 documents, the first, those in which codes were first seen (3) and the last are listed"
        ),
        "{text}"
    );
    let chart = study.path().join("saturation.svg");
    let drawn = qualkit(study.path())
        .args(["chart", "saturation", "--codebook"])
        .arg(&codebook)
        .arg("--out")
        .arg(&chart)
        .output()
        .expect("runs");
    assert!(drawn.status.success(), "{}", String::from_utf8_lossy(&drawn.stderr));
    assert!(std::fs::read_to_string(&chart).expect("chart").contains("<svg"));
}

/// Themes split by a participant attribute with a missing value (mentors have no ability)
/// and by participant count, in each group column, the participants of that group coded
/// with each code, as counted directly from codings.csv.
#[test]
fn themes_by_group_count_each_groups_participants_as_codings_csv_does() {
    use std::collections::{BTreeMap, BTreeSet};
    let study = sample_study();
    let output = qualkit(study.path())
        .args(["code", "--attribute", "ability", "--out", "-"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let codings = csv_rows(&output.stdout);
    let column = |name: &str| codings[0].iter().position(|c| c == name).expect(name);
    let (participant, code, ability) = (column("participant"), column("code"), column("ability"));
    let codes = sample_codes(study.path());
    let ids: BTreeMap<&str, &str> =
        codes.iter().map(|(id, name)| (name.as_str(), id.as_str())).collect();
    let rows = table(study.path(), &["themes", "--by", "ability", "--by", "participant"]);
    let mut groups_seen = BTreeSet::new();
    for (i, header) in rows[0].iter().enumerate() {
        let Some((attribute, level)) =
            header.split_once(" (n = ").and_then(|(group, _)| group.split_once(": "))
        else {
            continue;
        };
        groups_seen.insert(attribute.to_owned());
        for row in &rows[1..] {
            let id = ids[row[0].trim()];
            let expected: BTreeSet<&str> = codings[1..]
                .iter()
                .filter(|r| r[code] == id && !r[participant].is_empty())
                .filter(|r| match attribute {
                    "participant" => r[participant] == level,
                    _ if level == "(missing)" => r[ability].is_empty(),
                    _ => r[ability] == level,
                })
                .map(|r| r[participant].as_str())
                .collect();
            let n: usize = row[i].split(' ').next().expect("n").parse().expect("a count");
            assert_eq!(n, expected.len(), "{} in {header}", row[0]);
        }
    }
    assert_eq!(groups_seen, BTreeSet::from(["ability".to_owned(), "participant".to_owned()]));
    assert!(rows[0].iter().any(|h| h.starts_with("ability: (missing)")), "{:?}", rows[0]);
    // the students alone: every one has an ability, so no column for the staff's missing one
    let rows = table(study.path(), &["themes", "--by", "ability", "--where", "role=student"]);
    let sizes: Vec<(&str, usize)> = rows[0]
        .iter()
        .filter_map(|h| h.strip_prefix("ability: ")?.strip_suffix(')')?.split_once(" (n = "))
        .map(|(level, n)| (level, n.parse().expect("a count")))
        .collect();
    assert_eq!(sizes, [("low", 8), ("middle", 8), ("high", 8)], "{:?}", rows[0]);
    assert!(rows[0][1].contains("(N = 24)"), "{:?}", rows[0]);
}

/// The analysis commands read texts only as they ask for them (quotes) once the study's
/// stamps can be trusted (two whole seconds after its files were written; see
/// `corpus::hashes`): their tables, quotes included, are what they were while every text
/// was read first.
#[test]
fn analyses_that_read_texts_when_asked_give_the_tables_of_texts_read_first() {
    let study = sample_study();
    let chart = study.path().join("chart.svg");
    let chart_out = chart.to_str().expect("UTF-8 path");
    let commands: [&[&str]; 3] = [
        &["themes", "--quotes", "2", "--format", "md"],
        &["compare", "--quotes", "2", "--format", "md"],
        &["chart", "themes", "--by", "wave", "--out", chart_out],
    ];
    let outputs = || -> Vec<Vec<u8>> {
        commands
            .iter()
            .map(|args| {
                let output = qualkit(study.path()).args(*args).output().expect("runs");
                assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
                let chart = study.path().join("chart.svg");
                if args[0] == "chart" {
                    std::fs::read(chart).expect("chart")
                } else {
                    output.stdout
                }
            })
            .collect()
    };
    let first = outputs();
    assert!(String::from_utf8_lossy(&first[0]).contains('\u{201c}'), "quotes in the table");
    std::thread::sleep(std::time::Duration::from_millis(3100));
    // this read remembers the settled stamps; from the next on, texts wait in their files
    qualkit(study.path()).args(["themes", "--format", "csv"]).assert().success();
    assert!(outputs() == first, "the tables differ");
}
