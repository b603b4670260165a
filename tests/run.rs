//! `qualkit run` and `qualkit init`: the whole analysis, byte-identical reruns, atomic
//! outputs, the study lock, and escaping in the report.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{files, fixture, qualkit, sample_study, write};
use predicates::prelude::*;
use sha2::{Digest, Sha256};

#[test]
fn segments_csv_holds_each_segment_once_with_the_text_codings_refer_to() {
    let study = sample_study();
    qualkit(study.path()).arg("run").assert().success();
    let out = study.path().join("out");
    let segments = common::csv_rows(&std::fs::read(out.join("segments.csv")).expect("segments"));
    assert_eq!(
        segments[0],
        ["document", "segment", "participant", "wave", "speaker", "start", "end", "text"]
    );
    // every segment of the unit coded, in order, with its text at its offsets (read here
    // through the library, not the writer's helpers)
    let loaded = qualkit::study::Study::load(study.path()).expect("study");
    let corpus = qualkit::corpus::Corpus::load(&loaded).expect("corpus");
    let expected = qualkit::segment::segment(&corpus, loaded.coding.unit);
    assert_eq!(segments.len() - 1, expected.len(), "one row per segment");
    for (row, segment) in segments[1..].iter().zip(&expected) {
        let document = segment.document(&corpus);
        assert_eq!(row[0], document.id);
        assert_eq!(row[4], segment.speaker(&corpus).name());
        assert_eq!(
            (row[5].clone(), row[6].clone()),
            (segment.chars().start.to_string(), segment.chars().end.to_string())
        );
        let text: String = document
            .text()
            .chars()
            .skip(segment.chars().start)
            .take(segment.chars().len())
            .collect();
        assert_eq!(row[7], qualkit::export::neutralise(&text));
    }
    // keyed by document and segment: every segment once, numbered from 1 in each document
    let mut by_key = BTreeMap::new();
    let mut previous: Option<(String, usize)> = None;
    for row in &segments[1..] {
        let number: usize = row[1].parse().expect("segment number");
        let expected = match &previous {
            Some((document, n)) if *document == row[0] => n + 1,
            _ => 1,
        };
        assert_eq!(number, expected, "{row:?}");
        previous = Some((row[0].clone(), number));
        assert!(by_key.insert((row[0].clone(), row[1].clone()), row.clone()).is_none());
    }
    // the text the codings' offsets point at, as `qualkit code --text` writes it
    let output =
        qualkit(study.path()).args(["code", "--text", "--out", "-"]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let codings = common::csv_rows(&output.stdout);
    let column = |name: &str| codings[0].iter().position(|c| c == name).expect(name);
    let (start, end, text) = (column("start"), column("end"), column("text"));
    assert!(codings.len() > 100, "the sample study is coded");
    for coding in &codings[1..] {
        let segment = &by_key[&(coding[0].clone(), coding[1].clone())];
        assert_eq!(segment[2..5], coding[2..5], "participant, wave, speaker");
        assert_eq!(
            (&segment[5], &segment[6], &segment[7]),
            (&coding[start], &coding[end], &coding[text])
        );
    }
    let run = std::fs::read_to_string(out.join("codings.csv")).expect("codings");
    assert!(!run.lines().next().expect("header").split(',').any(|c| c == "text"));
}

#[test]
fn run_writes_everything_and_a_second_run_changes_no_byte() {
    let study = sample_study();
    qualkit(study.path()).arg("run").assert().success();
    let first = files(&study.path().join("out"));
    for expected in [
        "report.html",
        "codings.csv",
        "segments.csv",
        "run.json",
        "tables/themes.csv",
        "tables/compare.tex",
        "tables/crosstab-ability.md",
        "tables/likert.csv",
    ] {
        assert!(first.contains_key(expected), "missing {expected}: {:?}", first.keys());
    }
    // the first run kept its parse and segments; the second reads them instead of parsing
    // and segmenting, to the same outputs
    let cache = study.path().join(".qualkit");
    assert!(cache.join("corpus.bin").is_file());
    assert!(cache.join("index/sentence/segments.bin").is_file());
    // without -q: the notice counts the codings written, thousands grouped
    let rerun = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .arg("--study")
        .arg(study.path())
        .arg("run")
        .output()
        .expect("runs");
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert_eq!(first, files(&study.path().join("out")), "a rerun changed outputs");
    let codings = common::csv_rows(&first["codings.csv"]).len() - 1;
    assert!(codings >= 1_000, "the sample study has {codings} codings: too few to group");
    let notice = format!(" ({} codings, ", qualkit::table::Grouped(codings));
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    assert!(stderr.contains(&notice), "{notice} in {stderr}");
    // run.json records the hash of every other output
    let run: serde_json::Value =
        serde_json::from_slice(&first["run.json"]).expect("run.json is JSON");
    let outputs = run["outputs"].as_array().expect("outputs");
    assert_eq!(outputs.len(), first.len() - 1);
    for output in outputs {
        let path = output["path"].as_str().expect("path");
        let digest: String =
            Sha256::digest(&first[path]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(output["sha256"], digest, "{path}");
    }
    assert_eq!(run["codebook"]["version"], "1.0.0");
    assert!(run["inputs"].as_array().expect("inputs").len() > 60);
}

/// Once the study's stamps can be trusted (two whole seconds after its files were written;
/// see `corpus::hashes`), a run reads each transcript again as each pass comes to it and
/// lets it go after (a cold run: segmenting, indexing, coding, writing; a run with its index
/// and rule matches kept: writing codings.csv and segments.csv; a run with the indexes
/// `qualkit index` built, which read texts so too), and holds only its quotes' texts: every
/// output is byte for byte what it was while every text was read first and kept.
#[test]
fn a_run_that_reads_texts_as_each_pass_asks_changes_no_byte() {
    let study = sample_study();
    qualkit(study.path()).arg("run").assert().success();
    let first = files(&study.path().join("out"));
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let cache = study.path().join(".qualkit");
    // a cold run, which lets every text go once read and reads each again as it segments,
    // indexes, codes and writes; it remembers the settled stamps, so the next (with its
    // index and rule matches kept) leaves texts in their files
    std::fs::remove_dir_all(&cache).expect("caches removed");
    for run in ["cold", "warm"] {
        qualkit(study.path()).arg("run").assert().success();
        let later = files(&study.path().join("out"));
        assert_eq!(first.keys().collect::<Vec<_>>(), later.keys().collect::<Vec<_>>());
        for (path, bytes) in &first {
            assert!(later[path] == *bytes, "{run} run: {path} differs");
        }
    }
    // `index` lets texts go too: a run with the indexes it built writes the same
    std::fs::remove_dir_all(&cache).expect("caches removed");
    qualkit(study.path()).arg("index").assert().success();
    qualkit(study.path()).arg("run").assert().success();
    assert_eq!(first, files(&study.path().join("out")), "a run after `qualkit index`");
}

/// The first command to index a fresh study keeps its parse and segments, so the next
/// (a re-code after a codebook edit) reads them instead of parsing again.
#[test]
fn the_first_command_to_index_a_study_keeps_its_parse() {
    for command in [vec!["index"], vec!["code", "--out", "-"]] {
        let study = fixture("mini");
        assert!(!study.path().join(".qualkit").exists());
        qualkit(study.path()).args(&command).assert().success();
        let cache = study.path().join(".qualkit");
        assert!(cache.join("corpus.bin").is_file(), "{command:?}");
        assert!(cache.join("index/sentence/segments.bin").is_file(), "{command:?}");
    }
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_intact() {
    let study = fixture("mini");
    qualkit(study.path()).arg("run").assert().success();
    let before = files(&study.path().join("out"));
    write(study.path(), "interviews/S02_post.txt", b"Interviewer: hi\nStranger: who?\n");
    qualkit(study.path())
        .arg("run")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown speaker label `Stranger`"));
    assert_eq!(before, files(&study.path().join("out")));
}

#[test]
fn an_analysis_that_fails_while_codings_are_written_leaves_nothing_behind() {
    // codings.csv is written while the analyses run: when one of them fails, the partly
    // written folder goes and the previous outputs stay
    let study = fixture("mini");
    qualkit(study.path()).arg("run").assert().success();
    let before = files(&study.path().join("out"));
    let manifest = study.path().join("study.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("study.toml");
    text.push_str("\n[run]\nthemes_by = [\"shoe_size\"]\n");
    std::fs::write(&manifest, text).expect("write");
    qualkit(study.path()).arg("run").assert().code(2).stderr(predicate::str::contains("shoe_size"));
    assert_eq!(before, files(&study.path().join("out")));
    let left: Vec<String> = std::fs::read_dir(study.path())
        .expect("study folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".out."))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn outputs_a_killed_run_moved_aside_are_put_back_and_a_running_runs_work_is_left_alone() {
    let study = fixture("mini");
    qualkit(study.path()).arg("run").assert().success();
    let out = study.path().join("out");
    let before = files(&out);
    let at = |name: &str| study.path().join(name);
    // a run killed between its two renames (where folders cannot be exchanged): the
    // previous outputs moved aside, the new ones half written, its claim not held
    std::fs::rename(&out, at(".out.old-4000000-1")).expect("move aside");
    std::fs::create_dir(at(".out.new-4000000-1")).expect("folder");
    std::fs::write(at(".out.new-4000000-1/codings.csv"), b"half").expect("write");
    std::fs::write(at(".out.new-4000000-1.lock"), b"").expect("write");
    // a run writing the same outputs from another machine: its claim held
    std::fs::create_dir(at(".out.new-4000001")).expect("folder");
    std::fs::write(at(".out.new-4000001.lock"), b"").expect("write");
    let held = std::fs::File::open(at(".out.new-4000001.lock")).expect("open");
    held.lock().expect("lock");
    // this run fails in its analyses, once its outputs have begun: what is in place stays
    let manifest = study.path().join("study.toml");
    let text = std::fs::read_to_string(&manifest).expect("study.toml");
    std::fs::write(&manifest, format!("{text}\n[run]\nthemes_by = [\"shoe_size\"]\n"))
        .expect("write");
    qualkit(study.path()).arg("run").assert().code(2).stderr(predicate::str::contains("shoe_size"));
    assert_eq!(files(&out), before, "the previous outputs put back");
    let mut left: Vec<String> = std::fs::read_dir(study.path())
        .expect("study folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".out."))
        .collect();
    left.sort();
    assert_eq!(left, [".out.new-4000001", ".out.new-4000001.lock"]);
}

#[test]
fn a_second_concurrent_run_is_refused_while_a_killed_runs_lock_is_taken_over() {
    let study = fixture("mini");
    let lock = study.path().join(".qualkit/lock");
    // a run in progress holds the lock file's lock: refused whatever the process id in it
    // says, even one no process here has (a run on another machine sharing the study)
    write(study.path(), ".qualkit/lock", b"4294967294");
    let held = std::fs::File::open(&lock).expect("open");
    held.lock().expect("lock");
    qualkit(study.path()).arg("run").assert().code(2).stderr(predicate::str::contains(
        "another qualkit run is using this study (process 4294967294)",
    ));
    assert_eq!(std::fs::read_to_string(&lock).expect("lock"), "4294967294", "left as it was");
    drop(held);
    // a killed run's lock file holds no lock: taken over, even where the process id it
    // names is running (ids are used again)
    write(study.path(), ".qualkit/lock", std::process::id().to_string().as_bytes());
    qualkit(study.path()).arg("run").assert().success();
    assert!(!lock.exists(), "the lock is released");
}

#[test]
fn corpus_text_is_escaped_in_the_report() {
    let study = fixture("mini");
    write(
        study.path(),
        "interviews/S02_post.txt",
        b"Interviewer: and?\nS02: My targets <script>alert('x')</script> & <b>goals</b>.\n",
    );
    qualkit(study.path()).arg("run").assert().success();
    let report = std::fs::read_to_string(study.path().join("out/report.html")).expect("report");
    assert!(!report.contains("<script>alert"), "raw script in the report");
    assert!(!report.contains("<b>goals"), "raw markup in the report");
    assert!(report.contains("&lt;script&gt;alert") || report.contains("\\u003cscript>alert"));
    assert_eq!(report.matches("<script").count(), 2, "only qualkit's own two scripts");
}

#[test]
fn the_report_counts_coded_segments_beyond_what_its_browser_holds() {
    let study = fixture("mini");
    let mut transcript = String::from("Interviewer: tell me about your targets\n");
    for n in 0..(qualkit::report::BROWSER_LIMIT + 7) {
        transcript.push_str(&format!("S03: target number {n}.\n"));
    }
    write(study.path(), "interviews/S03_post.txt", transcript.as_bytes());
    qualkit(study.path()).arg("run").assert().success();
    let codings = std::fs::read(study.path().join("out/codings.csv")).expect("codings");
    let rows = common::csv_rows(&codings);
    let coded: std::collections::BTreeSet<(&str, &str)> =
        rows[1..].iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert!(coded.len() > qualkit::report::BROWSER_LIMIT, "{} coded segments", coded.len());
    let report = std::fs::read_to_string(study.path().join("out/report.html")).expect("report");
    assert!(
        report.contains(&format!(
            "({} coded segments of participants' speech)",
            qualkit::table::Grouped(coded.len())
        )),
        "summary count"
    );
    assert!(
        report.contains(&format!(
            "The first {} of {} coded segments, in document order; every coding is in codings.csv, each segment's text in segments.csv.",
            qualkit::table::Grouped(qualkit::report::BROWSER_LIMIT),
            qualkit::table::Grouped(coded.len())
        )),
        "browser limit note"
    );
}

#[test]
fn init_creates_a_study_that_runs() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("new-study");
    let mut init = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    init.arg("init").arg(&dir).assert().success();
    for expected in [
        "study.toml",
        "participants.csv",
        "interviews/P01_pre.txt",
        "codebooks/mentoring-core.toml",
    ] {
        assert!(dir.join(expected).is_file(), "{expected}");
    }
    let mut run = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    run.arg("-q").arg("run").arg(&dir).assert().success();
    assert!(dir.join("out/report.html").is_file());
    let mut again = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    again
        .arg("init")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("folder is not empty"));
}

#[test]
fn report_alone_matches_the_report_of_a_run() {
    let study = fixture("mini");
    qualkit(study.path()).arg("run").assert().success();
    let from_run = std::fs::read(study.path().join("out/report.html")).expect("run report");
    let alone = study.path().join("alone.html");
    qualkit(study.path()).args(["report", "--out"]).arg(&alone).assert().success();
    assert_eq!(std::fs::read(&alone).expect("report"), from_run);
}

#[test]
#[cfg(unix)]
fn writing_to_dev_null_leaves_the_device_alone() {
    use std::os::unix::fs::FileTypeExt;
    let study = fixture("mini");
    qualkit(study.path()).args(["code", "--out", "/dev/null"]).assert().success();
    qualkit(study.path()).args(["themes", "--out", "/dev/null"]).assert().success();
    let kind = std::fs::metadata("/dev/null").expect("/dev/null").file_type();
    assert!(kind.is_char_device(), "/dev/null was replaced by a regular file");
}

/// Every command that reads a study leaves its input files as they were: same bytes, same
/// modification time (issue 10: inputs are only ever opened for reading).
#[test]
fn no_command_changes_an_input_file() {
    let study = sample_study();
    let s = study.path();
    // the sample's codebook lives beside the study, in codebooks/
    let root = s.parent().and_then(Path::parent).expect("sample root");
    let inputs = |s: &Path| -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
        files(s)
            .into_iter()
            .filter(|(path, _)| !path.contains("/out/") && !path.contains("/.qualkit/"))
            .map(|(path, bytes)| {
                let modified =
                    std::fs::metadata(s.join(&path)).and_then(|m| m.modified()).expect("mtime");
                (path, (bytes, modified))
            })
            .collect()
    };
    let before = inputs(root);
    assert!(before.len() > 100, "{}", before.len());
    let scratch = tempfile::tempdir().expect("temp");
    let commands: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["run".into()],
        vec!["code".into(), "--out".into(), scratch.path().join("c.csv").into()],
        vec!["search".into(), "target*".into()],
        vec!["codebook".into(), "check".into(), root.join("codebooks/mentoring-core.toml").into()],
        vec!["agree".into(), s.join("codings/hana.csv").into(), s.join("codings/tom.csv").into()],
        vec!["export".into(), "refi".into(), "--out".into(), scratch.path().join("p.qdpx").into()],
        vec![
            "anonymise".into(),
            "--map".into(),
            s.join("names.csv").into(),
            "--out".into(),
            scratch.path().join("anon").into(),
        ],
    ];
    std::fs::write(s.join("names.csv"), "name,pseudonym\nJay,Alex\n").expect("map");
    let before = {
        let mut before = before;
        before.extend(inputs(root).into_iter().filter(|(p, _)| p.ends_with("names.csv")));
        before
    };
    for command in &commands {
        let output = qualkit(s).args(command).output().expect("runs");
        assert!(
            output.status.success(),
            "{command:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(before == inputs(root), "an input file changed");
}
