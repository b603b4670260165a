//! Re-coding after a codebook edit copies from the last codings.csv the rows the edit did
//! not change: what it writes is what coding every segment writes, byte for byte, whatever
//! the edit, and it copies only from a file that is still as written.

mod common;

use std::path::{Path, PathBuf};

use qualkit::table::Grouped;

/// The record of the last codings.csv written, beside the sample study's index.
const RECORD: &str = ".qualkit/index/sentence/codings-csv-respondents.bin";

struct Recode {
    study: common::SampleStudy,
    original: String,
}

impl Recode {
    /// The sample study after `qualkit run` (which records its codings.csv).
    fn new() -> Recode {
        let study = common::sample_study();
        common::qualkit(study.path()).arg("run").assert().success();
        let original =
            std::fs::read_to_string(study.path().join("../../codebooks/mentoring-core.toml"))
                .expect("codebook");
        Recode { study, original }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.study.path().join(relative)
    }

    /// The original codebook with each `(from, to)` replaced once, as a file of the study.
    fn edited(&self, edits: &[(&str, &str)]) -> PathBuf {
        let mut codebook = self.original.clone();
        for (from, to) in edits {
            assert!(codebook.contains(from), "the codebook has {from:?}");
            codebook = codebook.replacen(from, to, 1);
        }
        let path = self.path("edited.toml");
        std::fs::write(&path, codebook).expect("write codebook");
        path
    }

    /// `qualkit code` on the study with `codebook`, to be given more arguments.
    fn command(&self, codebook: &Path) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"));
        command.arg("--study").arg(self.study.path()).args(["code", "--codebook"]).arg(codebook);
        command
    }

    /// `qualkit code` with `codebook` into `out` (and `extra` arguments): its notice.
    fn code(&self, codebook: &Path, out: &str, extra: &[&str]) -> String {
        let output = self
            .command(codebook)
            .arg("--out")
            .arg(self.path(out))
            .args(extra)
            .output()
            .expect("runs");
        let notice = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{notice}");
        notice
    }

    /// Code with `codebook` as a re-code does, and again with the record set aside (every
    /// segment coded); both files, and whether the re-code copied.
    fn both(&self, codebook: &Path, extra: &[&str]) -> (Vec<u8>, Vec<u8>, bool) {
        let notice = self.code(codebook, "recoded.csv", extra);
        let record = self.path(RECORD);
        let kept = std::fs::read(&record).expect("a record of the file just written");
        std::fs::remove_file(&record).expect("set aside");
        let from_nothing = self.code(codebook, "from-nothing.csv", extra);
        assert!(!from_nothing.contains("copied from"), "{from_nothing}");
        // the record of the re-code's file back in place, for the next edit
        std::fs::write(&record, kept).expect("restore record");
        let read = |name: &str| std::fs::read(self.path(name)).expect("written");
        (read("recoded.csv"), read("from-nothing.csv"), notice.contains("copied from"))
    }
}

/// Rules added and removed, codes added and removed, a leaf renamed, in turn, each from the
/// file the edit before wrote: every re-code copies, and writes what coding from nothing
/// writes.
#[test]
fn a_recode_after_rules_or_codes_change_writes_what_coding_from_nothing_writes() {
    let recode = Recode::new();
    let mentor_added: &[(&str, &str)] =
        &[("rules = [\n  'purpose*',", "rules = [\n  'purpose*',\n  'mentor*',")];
    let edits: [&[(&str, &str)]; 8] = [
        // a rule added: many segments coded again
        mentor_added,
        // a rule removed
        &[("  '\"on track\" OR \"off track\"',\n", "")],
        // a rule added to one code and another removed from a second
        &[
            ("  '\"progress review\"',\n", ""),
            ("  '\"on track for\"',\n", "  '\"on track for\"',\n  'school',\n"),
        ],
        // a new leaf code under a parent
        &[(
            "[[code]]\nid = \"targets.review\"",
            "[[code]]\nid = \"targets.new\"\nparent = \"targets\"\nname = \"New\"\ndescription = \"d\"\nrules = ['week*', '\"every week\"']\n\n[[code]]\nid = \"targets.review\"",
        )],
        // a leaf renamed (its rows removed, the new code's added)
        &[("id = \"targets.review\"", "id = \"targets.reviewing\"")],
        // nothing changed from the original (the renamed leaf's segments coded again)
        &[],
        // nothing changed from the last file: every row copied as it was read, and the
        // next re-code copies from this file, so its record must hold what was copied
        &[],
        mentor_added,
    ];
    for edit in edits {
        let codebook = recode.edited(edit);
        let (recoded, from_nothing, copied) = recode.both(&codebook, &[]);
        assert!(copied, "the re-code after {edit:?} copied rows");
        assert!(
            recoded == from_nothing,
            "the re-code after {edit:?} differs from coding from nothing"
        );
    }
}

/// Other columns than the last file's: copied up to the attributes, which are formatted
/// anew; the `text` column, or rules reordered: every segment coded again. Each writes what
/// coding from nothing writes.
#[test]
fn columns_and_rule_order_decide_what_is_copied() {
    let recode = Recode::new();
    let added =
        recode.edited(&[("rules = [\n  'purpose*',", "rules = [\n  'purpose*',\n  'mentor*',")]);
    for (extra, copies) in [
        (&["--attribute", "gender"][..], true),
        (&["--attribute", "school", "--attribute", "gender"][..], true),
        (&[][..], true),
        (&["--text"][..], false),
    ] {
        let (recoded, from_nothing, copied) = recode.both(&added, extra);
        assert_eq!(copied, copies, "copied with {extra:?}");
        assert!(recoded == from_nothing, "with {extra:?}, the re-code differs");
    }
    let reordered = recode.edited(&[
        ("  'purpose*',\n  '\"point of\" NEAR/3", "  '\"point of\" NEAR/3"),
        ("  '\"what it is for\"',\n", "  '\"what it is for\"',\n  'purpose*',\n"),
    ]);
    let (recoded, from_nothing, copied) = recode.both(&reordered, &[]);
    assert!(!copied, "a rule moved to the end codes every segment again");
    assert!(recoded == from_nothing);
}

/// A codings.csv changed since it was written (same length, one byte different), or gone,
/// is not copied from.
#[test]
fn a_changed_or_missing_file_is_not_copied_from() {
    let recode = Recode::new();
    let codebook = recode.edited(&[]);
    let written = recode.path("out/codings.csv");
    let mut bytes = std::fs::read(&written).expect("run wrote codings.csv");
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
    std::fs::write(&written, &bytes).expect("tamper");
    let notice = recode.code(&codebook, "first.csv", &[]);
    assert!(!notice.contains("copied from"), "copied from a changed file: {notice}");
    assert!(recode.code(&codebook, "second.csv", &[]).contains("copied from"), "from first.csv");
    std::fs::remove_file(recode.path("second.csv")).expect("remove");
    let notice = recode.code(&codebook, "third.csv", &[]);
    assert!(!notice.contains("copied from"), "copied from a deleted file: {notice}");
    let read = |name: &str| std::fs::read(recode.path(name)).expect("written");
    assert!(read("first.csv") == read("third.csv"));
}

/// A re-code whose reader stops early (`qualkit code --out - | head`) leaves the file it
/// copied from to be copied from next time: only a failure of that file drops its record.
#[test]
fn an_output_closed_early_keeps_the_file_copied_from() {
    let recode = Recode::new();
    let codebook = recode.edited(&[("  '\"on track for\"',\n", "")]);
    let mut child = recode
        .command(&codebook)
        .args(["--out", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    // the reader reads one line and goes: writing the rest fails (a broken pipe)
    let mut first = String::new();
    let stdout = child.stdout.take().expect("piped");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut first).expect("a line");
    assert!(first.starts_with("document,"), "{first}");
    child.wait().expect("ends");
    assert!(recode.path(RECORD).exists(), "the record of run's codings.csv kept");
    let notice = recode.code(&codebook, "after.csv", &[]);
    assert!(notice.contains("copied from"), "{notice}");
}

/// `qualkit code` into the file it copies from (run's out/codings.csv, the default) reads
/// the old rows while the new file is written beside it, then takes its place.
#[test]
fn a_recode_can_replace_the_file_it_copies_from() {
    let recode = Recode::new();
    let codebook = recode.edited(&[("  '\"on track for\"',\n", "")]);
    // what a re-code killed while writing left (no process has a pid this high)
    let killed = recode.path("out/.codings.csv.tmp-99999999");
    std::fs::write(&killed, "document,segment\n").expect("write");
    let output = recode.command(&codebook).args(["--attribute", "gender"]).output().expect("runs");
    if Path::new("/proc/self").exists() {
        assert!(!killed.exists(), "a killed re-code's leftovers are removed");
    }
    let notice = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && notice.contains("copied from"), "{notice}");
    assert!(notice.contains("out/codings.csv"), "{notice}");
    let in_place = std::fs::read(recode.path("out/codings.csv")).expect("written");
    // the file replaced (exchanged with the new one's temporary name) is gone too
    let beside: Vec<String> = std::fs::read_dir(recode.path("out"))
        .expect("list")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".codings.csv"))
        .collect();
    assert!(beside.is_empty(), "left beside out/codings.csv: {beside:?}");
    // the notice counts what the file holds, copied rows included
    let mut rows = 0;
    let mut segments = std::collections::BTreeSet::new();
    for record in csv::Reader::from_reader(in_place.as_slice()).records() {
        let record = record.expect("a row");
        rows += 1;
        segments.insert((record[0].to_owned(), record[1].to_owned()));
    }
    // thousands grouped, as a reader writes them
    let counts = format!("{} codings of ", Grouped(rows));
    assert!(notice.contains(&counts), "{counts} in {notice}");
    let coded = format!(" on {} of ", Grouped(segments.len()));
    assert!(notice.contains(&coded), "{coded} in {notice}");
    std::fs::remove_file(recode.path(RECORD)).expect("set aside");
    recode.code(&codebook, "from-nothing.csv", &["--attribute", "gender"]);
    assert!(in_place == std::fs::read(recode.path("from-nothing.csv")).expect("written"));
}

/// Once the study's files are old enough for their stamps to be trusted (two whole
/// seconds; see `corpus::hashes`), `qualkit code` leaves the texts of unchanged transcripts
/// in their files until coding asks for them. What it writes, as a re-code and from
/// nothing, with and without each segment's text, is what it wrote while it still read
/// every text first.
#[test]
fn texts_read_when_coding_asks_for_them_code_as_texts_read_first() {
    let recode = Recode::new();
    let edits: [&[(&str, &str)]; 2] = [
        &[("rules = [\n  'purpose*',", "rules = [\n  'purpose*',\n  'mentor*',")],
        &[("  '\"progress review\"',\n", "")],
    ];
    let codebooks: Vec<PathBuf> = edits
        .iter()
        .enumerate()
        .map(|(n, edit)| {
            let path = recode.path(&format!("edit-{n}.toml"));
            std::fs::rename(recode.edited(edit), &path).expect("keep codebook");
            path
        })
        .collect();
    let extras: [&[&str]; 2] = [&[], &["--text"]];
    // every text read first: the copied study's stamps are too fresh to be trusted yet
    let mut first = Vec::new();
    for codebook in &codebooks {
        for extra in extras {
            let _ = std::fs::remove_file(recode.path(RECORD));
            recode.code(codebook, "read-first.csv", extra);
            first.push(std::fs::read(recode.path("read-first.csv")).expect("written"));
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(3100));
    // this read remembers the settled stamps; from the next on, texts wait in their files
    recode.code(&recode.edited(&[]), "settled.csv", &[]);
    let mut later = first.iter();
    for codebook in &codebooks {
        for extra in extras {
            let (recoded, from_nothing, _) = recode.both(codebook, extra);
            let first = later.next().expect("one per case");
            assert!(recoded == *first, "{codebook:?} {extra:?}: the re-code differs");
            assert!(from_nothing == *first, "{codebook:?} {extra:?}: coding from nothing differs");
        }
    }
}

/// `codebook check` between an edit of the study's own codebook and its re-code: the check
/// adds the edited rule's matches to the cache and lets none go, so the re-code still finds
/// the rules the last codings.csv was coded with, copies what the edit leaves alone, and
/// writes what coding from nothing writes.
#[test]
fn a_check_between_an_edit_and_its_recode_leaves_what_to_copy() {
    let recode = Recode::new();
    let own = recode.path("../../codebooks/mentoring-core.toml");
    let edited = recode.original.replacen("'\"on track for\"'", "'\"on track with\"'", 1);
    assert_ne!(edited, recode.original, "the codebook has the rule");
    std::fs::write(&own, edited).expect("write codebook");
    let output = common::qualkit(recode.study.path())
        .args(["codebook", "check"])
        .arg(&own)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (recoded, from_nothing, copied) = recode.both(&own, &[]);
    assert!(copied, "the re-code after the check coded every segment again");
    assert!(recoded == from_nothing, "the re-code differs from coding from nothing");
}
