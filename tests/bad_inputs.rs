//! Bad inputs: each is one located error line per problem, exit 2, never a panic.

mod common;

use common::{minimal_study, qualkit, write};

const PARTICIPANTS: &str = "id,gender\nS01,female\nS02,male\n";

/// Run `qualkit index` and return stderr, asserting exit 2 and no panic.
fn index_error(study: &std::path::Path) -> String {
    let output = qualkit(study).arg("index").output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "no output on error");
    stderr
}

/// The `qualkit: error:` lines of stderr.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("qualkit: error: ")).collect()
}

/// Declare the transcripts UTF-8, so invalid bytes are errors rather than a detected encoding.
fn declare_utf8(study: &std::path::Path) {
    let manifest = common::MINIMAL_MANIFEST
        .replace("kind = \"interview\"", "kind = \"interview\"\nencoding = \"utf-8\"");
    write(study, "study.toml", manifest.as_bytes());
}

#[test]
fn invalid_utf8_in_a_declared_utf8_file_names_file_line_and_column() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: hello\nR: caf\xe9 au lait\n")]);
    declare_utf8(study.path());
    let stderr = index_error(study.path());
    assert_eq!(
        error_lines(&stderr),
        [
            "qualkit: error: interviews/S01_pre.txt:2:7: invalid UTF-8 (byte 0xE9); expected UTF-8 text"
        ]
    );
}

#[test]
fn empty_file_is_an_error() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"")]);
    assert_eq!(
        error_lines(&index_error(study.path())),
        ["qualkit: error: interviews/S01_pre.txt:1: empty file; expected text"]
    );
}

#[test]
fn binary_file_is_an_error() {
    let study =
        minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")]);
    assert_eq!(
        error_lines(&index_error(study.path())),
        [
            "qualkit: error: interviews/S01_pre.txt:3: not a text file (NUL byte); expected UTF-8 text"
        ]
    );
}

#[test]
fn unknown_speaker_label_names_label_file_line_and_column() {
    let study =
        minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: hello\nR: hi\n  Teacher X: oh\n")]);
    let stderr = index_error(study.path());
    assert_eq!(
        error_lines(&stderr),
        [
            "qualkit: error: interviews/S01_pre.txt:3:3: unknown speaker label `Teacher X`; expected a participant id or an alias"
        ]
    );
    assert!(stderr.contains("hint: add the label to participants.csv"), "{stderr}");
}

#[test]
fn unknown_labels_become_anonymous_speakers_when_allowed() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: hello\nVisitor: hi there\n")]);
    let manifest = format!("{}\n[speakers]\nunknown = \"anonymous\"\n", common::MINIMAL_MANIFEST);
    write(study.path(), "study.toml", manifest.as_bytes());
    qualkit(study.path())
        .args(["search", "there", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicates::str::contains("interviews/S01_pre.txt,,pre,Visitor,2,hi,there,"));
}

#[test]
fn duplicate_participant_names_both_lines() {
    let study = minimal_study(
        "id,gender\nS01,female\nS02,male\nS01,male\n",
        &[("S01_pre.txt", b"I: a\nR: b\n")],
    );
    assert_eq!(
        error_lines(&index_error(study.path())),
        ["qualkit: error: participants.csv:4: duplicate participant id `S01` (first on line 2)"]
    );
}

#[test]
fn ragged_participants_row_and_missing_id_column() {
    let study = minimal_study("id,gender\nS01,female,extra\n", &[("S01_pre.txt", b"I: a\n")]);
    assert_eq!(
        error_lines(&index_error(study.path())),
        ["qualkit: error: participants.csv:2: row has 3 fields; expected 2 like the header"]
    );
    let study = minimal_study("name,gender\nS01,female\n", &[("S01_pre.txt", b"I: a\n")]);
    let stderr = index_error(study.path());
    assert!(
        stderr.contains("participants.csv:1: no id column `id`; the header has name, gender"),
        "{stderr}"
    );
}

#[test]
fn broken_front_matter_names_the_line() {
    let study = minimal_study(
        PARTICIPANTS,
        &[("S01_pre.txt", b"---\nwave: pre\njust some words\n---\nI: a\n")],
    );
    assert_eq!(
        error_lines(&index_error(study.path())),
        [
            "qualkit: error: interviews/S01_pre.txt:3: expected `key: value` in front matter, found `just some words`"
        ]
    );
}

#[test]
fn missing_source_path_names_the_manifest_line() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: a\n")]);
    write(
        study.path(),
        "study.toml",
        common::MINIMAL_MANIFEST.replace("\"interviews\"", "\"transcripts\"").as_bytes(),
    );
    assert_eq!(
        error_lines(&index_error(study.path())),
        ["qualkit: error: study.toml:9:8: source path `transcripts` does not exist"].map(
            |l| l.replace("study.toml", &study.path().join("study.toml").display().to_string())
        )
    );
}

#[test]
fn unknown_manifest_key_names_line_and_column() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: a\n")]);
    write(
        study.path(),
        "study.toml",
        format!("colour = 3\n{}", common::MINIMAL_MANIFEST).as_bytes(),
    );
    let stderr = index_error(study.path());
    assert!(stderr.contains("study.toml:1:1: unknown field `colour`, expected one of"), "{stderr}");
}

#[test]
fn several_bad_files_are_all_reported() {
    let study = minimal_study(
        PARTICIPANTS,
        &[
            ("S01_pre.txt", b"I: fine\nR: fine\n"),
            ("S01_post.txt", b""),
            ("S02_pre.txt", b"I: a\nNobody: b\n"),
            ("S02_post.txt", b"I: caf\xe9\n"),
            ("S03_pre.txt", b"I: a\n"),
        ],
    );
    declare_utf8(study.path());
    let stderr = index_error(study.path());
    let lines = error_lines(&stderr);
    assert_eq!(lines.len(), 4, "{stderr}");
    assert!(lines[0].contains("interviews/S01_post.txt:1: empty file"));
    assert!(lines[1].contains("interviews/S02_post.txt:1:7: invalid UTF-8"));
    assert!(lines[2].contains("interviews/S02_pre.txt:2:1: unknown speaker label `Nobody`"));
    assert!(
        lines[3].contains("interviews/S03_pre.txt:1: participant `S03` is not in participants.csv")
    );
}

#[test]
fn file_name_not_matching_the_pattern_is_an_error() {
    let study = minimal_study(PARTICIPANTS, &[("interview-one.txt", b"I: a\n")]);
    let stderr = index_error(study.path());
    assert!(stderr.contains("interviews/interview-one.txt: file name `interview-one` does not match the source's pattern `{participant}_{wave}`"), "{stderr}");
}

#[test]
fn unsupported_transcript_format_is_reported_not_skipped() {
    let study = minimal_study(
        PARTICIPANTS,
        &[("S01_pre.txt", b"I: a\nR: b\n"), ("S01_post.pdf", b"%PDF-1.4")],
    );
    let stderr = index_error(study.path());
    assert!(
        stderr.contains("interviews/S01_post.pdf: unsupported transcript format `.pdf`"),
        "{stderr}"
    );
}

#[test]
fn undeclared_wave_is_an_error() {
    let study = minimal_study(PARTICIPANTS, &[("S01_mid.txt", b"I: a\nR: b\n")]);
    let stderr = index_error(study.path());
    assert!(
        stderr.contains(
            "interviews/S01_mid.txt:1: wave `mid` is not one of the study's waves (pre, post)"
        ),
        "{stderr}"
    );
}

#[test]
fn respondent_label_in_a_group_is_ambiguous() {
    let study = minimal_study(
        PARTICIPANTS,
        &[("S01_pre.txt", b"---\nparticipants: [S01, S02]\n---\nI: a\nR: b\n")],
    );
    let stderr = index_error(study.path());
    assert!(
        stderr.contains("interviews/S01_pre.txt:5:1: respondent label `R` is ambiguous"),
        "{stderr}"
    );
}

#[test]
fn respondent_label_becomes_ambiguous_once_a_second_participant_speaks() {
    // `R` is S01 (the file name's participant) until S02 speaks: labels are resolved once
    // per transcript and again whenever its participants change
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: a\nR: b\nS02: c\nR: d\n")]);
    let stderr = index_error(study.path());
    assert!(
        stderr.contains("interviews/S01_pre.txt:4:1: respondent label `R` is ambiguous"),
        "{stderr}"
    );
}

#[test]
fn transcript_without_turns_is_an_error() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"Just a title\nand some notes\n")]);
    let stderr = index_error(study.path());
    assert!(stderr.contains("interviews/S01_pre.txt:1: no speaker turns"), "{stderr}");
}

#[test]
fn questionnaire_respondent_missing_from_participants_is_reported() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: a\nR: b\n")]);
    let manifest = format!(
        "{}\n[[sources]]\npath = \"q.csv\"\nkind = \"questionnaire\"\nrespondent = \"who\"\nwave = \"pre\"\nopen = [\"why\"]\nlikert = {{ columns = [\"q1\"], scale = [\"No\", \"Yes\"] }}\n",
        common::MINIMAL_MANIFEST
    );
    write(study.path(), "study.toml", manifest.as_bytes());
    write(study.path(), "q.csv", b"who,q1,why\nS01,Yes,because\nS09,No,why not\nS02,Maybe,hm\n");
    let stderr = index_error(study.path());
    let lines = error_lines(&stderr);
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[0], "qualkit: error: q.csv:3: respondent `S09` is not in participants.csv");
    assert_eq!(
        lines[1],
        "qualkit: error: q.csv:4: `Maybe` in column `q1` is not on the scale (No, Yes, or 1–2)"
    );
}

#[test]
fn windows_1252_transcript_is_read_with_a_warning_naming_file_and_encoding() {
    let (text, _, _) = encoding_rs::WINDOWS_1252
        .encode("I: Was it useful?\nR: Yes \u{2013} my mentor\u{2019}s advice, caf\u{e9} chats.\n");
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", &text)]);
    let output = qualkit_loud(study.path()).args(["search", "café"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: interviews/S01_pre.txt: not UTF-8; read as windows-1252"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("[café]"));
}

#[test]
fn unknown_encoding_label_is_an_error_in_the_manifest() {
    let study = minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"I: a\nR: b\n")]);
    let manifest = common::MINIMAL_MANIFEST
        .replace("kind = \"interview\"", "kind = \"interview\"\nencoding = \"klingon-8\"");
    write(study.path(), "study.toml", manifest.as_bytes());
    let stderr = index_error(study.path());
    assert!(stderr.contains("study.toml:11:12: unknown encoding `klingon-8`"), "{stderr}");
}

/// A zip archive of `entries` (name, bytes), stored.
fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

/// The binary without `-q`, so warnings show.
fn qualkit_loud(study: &std::path::Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    command.arg("--study").arg(study);
    command
}

/// The catalogue of malformed and hostile inputs (issue 10): each changes one file of the
/// mini fixture and must give exit 2 and a one-line error naming the file (and line where
/// there is one), leave no output behind, and never panic or hang.
#[test]
fn catalogue_of_malformed_and_hostile_inputs() {
    let deep_rule = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
    let many_nots = format!("{}x", "NOT ".repeat(1000));
    let deep_codebook = |rule: &str| {
        format!(
            "format = 1\nname = \"n\"\nlanguage = \"english\"\n\n[[code]]\nid = \"a\"\nname = \"A\"\ndescription = \"a\"\nrules = ['{rule}']\n"
        )
    };
    type Change = Box<dyn Fn(&std::path::Path)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "duplicated column in participants.csv",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("participants.csv")).expect("read");
                let text = text.replacen('\n', ",gender\n", 1);
                common::write(s, "participants.csv", text.as_bytes());
            }),
            "participants.csv:1: duplicate column `gender`",
        ),
        (
            "participants.csv with a header only",
            Box::new(|s| {
                common::write(s, "participants.csv", b"id,role,gender,ability\n");
            }),
            "participants.csv:2: no participants",
        ),
        (
            "duplicate code id",
            Box::new(|s| {
                let mut text = std::fs::read_to_string(s.join("codebook.toml")).expect("read");
                text.push_str("\n[[code]]\nid = \"targets\"\nname = \"X\"\ndescription = \"x\"\nrules = [\"x\"]\n");
                common::write(s, "codebook.toml", text.as_bytes());
            }),
            "duplicate code id `targets`",
        ),
        (
            "empty codebook",
            Box::new(|s| common::write(s, "codebook.toml", b"")),
            "codebook.toml:1: empty file",
        ),
        (
            "a rule with 1,000 nested parentheses",
            Box::new(move |s| {
                common::write(s, "codebook.toml", deep_codebook(&deep_rule).as_bytes())
            }),
            "a rule may nest at most 100 parentheses",
        ),
        (
            "a rule with 1,000 NOTs",
            Box::new(move |s| {
                let text = format!(
                    "format = 1\nname = \"n\"\nlanguage = \"english\"\n\n[[code]]\nid = \"a\"\nname = \"A\"\ndescription = \"a\"\nrules = ['{many_nots}']\n"
                );
                common::write(s, "codebook.toml", text.as_bytes());
            }),
            "a rule may nest at most 100",
        ),
        (
            "a source outside the study",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replace("path = \"groups\"", "path = \"../groups\"").as_bytes(),
                );
            }),
            "study.toml:17:8: source path `../groups` leaves the study folder",
        ),
        (
            "an absolute source path",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replace("path = \"groups\"", "path = \"/etc\"").as_bytes(),
                );
            }),
            "leaves the study folder",
        ),
        (
            "a truncated .docx",
            Box::new(|s| {
                common::write(
                    s,
                    "interviews/S03_pre.docx",
                    b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated",
                );
            }),
            "interviews/S03_pre.docx: not a valid .docx file",
        ),
        (
            "an unclosed quote in a questionnaire",
            Box::new(|s| {
                let mut text =
                    std::fs::read_to_string(s.join("questionnaires/staff.csv")).expect("read");
                text.push_str("T09,\"unclosed,Agree\n");
                common::write(s, "questionnaires/staff.csv", text.as_bytes());
            }),
            "questionnaires/staff.csv:4:",
        ),
        (
            "NUL bytes in a transcript",
            Box::new(|s| {
                common::write(s, "interviews/S03_pre.txt", b"R: hello\x00\x00\x00 there\n");
            }),
            "interviews/S03_pre.txt",
        ),
        (
            "study.toml not UTF-8",
            Box::new(|s| common::write(s, "study.toml", b"format = 1\nname = \"\xff\xfe\"\n")),
            "study.toml",
        ),
        (
            "a study.toml of another format version",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replacen("format = 1", "format = 7", 1).as_bytes(),
                );
            }),
            "study.toml:1",
        ),
        (
            "a code with an unknown parent",
            Box::new(|s| {
                let mut text = std::fs::read_to_string(s.join("codebook.toml")).expect("read");
                text.push_str("\n[[code]]\nid = \"x\"\nparent = \"nope\"\nname = \"X\"\ndescription = \"x\"\nrules = [\"x\"]\n");
                common::write(s, "codebook.toml", text.as_bytes());
            }),
            "code `x` has unknown parent `nope`",
        ),
        (
            "an unknown coding unit",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replace("unit = \"sentence\"", "unit = \"page\"").as_bytes(),
                );
            }),
            "study.toml:31:8: unknown unit `page`",
        ),
        (
            "agreement codings that do not exist",
            Box::new(|s| {
                let mut text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                text.push_str("\n[agreement]\ncodings = [\"nope.csv\"]\n");
                common::write(s, "study.toml", text.as_bytes());
            }),
            "codings file `nope.csv` does not exist",
        ),
        (
            "an unknown agreement unit",
            Box::new(|s| {
                common::write(s, "c.csv", b"document,start,end,code,origin\n");
                let mut text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                text.push_str("\n[agreement]\ncodings = [\"c.csv\"]\nunit = \"word\"\n");
                common::write(s, "study.toml", text.as_bytes());
            }),
            "unknown agreement unit `word`",
        ),
        (
            "an unknown turns value",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                let text = text.replacen(
                    "name = \"{participant}_{wave}\"",
                    "name = \"{participant}_{wave}\"\nturns = \"sometimes\"",
                    1,
                );
                common::write(s, "study.toml", text.as_bytes());
            }),
            "unknown `turns = \"sometimes\"`",
        ),
        (
            "a transcript of front matter only",
            Box::new(|s| {
                common::write(
                    s,
                    "interviews/S03_pre.txt",
                    b"---\nparticipant: S03\nwave: pre\n---\n",
                );
            }),
            "interviews/S03_pre.txt:1: no speaker turns",
        ),
        (
            "a study.toml without format",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(s, "study.toml", text.replacen("format = 1\n", "", 1).as_bytes());
            }),
            "missing field `format`",
        ),
        (
            "a 50 MB transcript on one line without a speaker label",
            Box::new(|s| {
                let line = "word ".repeat(10_000_000);
                common::write(s, "interviews/S03_pre.txt", line.as_bytes());
            }),
            "interviews/S03_pre.txt:1: no speaker turns",
        ),
        (
            "a 50 MB header line in participants.csv",
            Box::new(|s| {
                let header: Vec<String> = (0..5_000_000).map(|i| format!("c{i:08}")).collect();
                let header = header.join(",");
                common::write(s, "participants.csv", format!("{header}\nS01\n").as_bytes());
            }),
            "participants.csv:1: no id column `id`; the header has c00000000, c00000001, c00000002, c00000003, c00000004, c00000005, c00000006, c00000007, c00000008, c00000009 and 4999990 more\n",
        ),
        (
            "UTF-8 and Windows-1252 mixed in one transcript",
            Box::new(|s| {
                common::write(
                    s,
                    "interviews/S03_pre.txt",
                    "I: Caf\u{e9}, na\u{ef}ve?\nR: Yes.\n"
                        .bytes()
                        .chain(*b"R: na\xefve\n")
                        .collect::<Vec<u8>>()
                        .as_slice(),
                );
            }),
            "interviews/S03_pre.txt:3:6: invalid UTF-8 (byte 0xEF)",
        ),
        (
            "a UTF-16 transcript cut inside a character",
            Box::new(|s| {
                let mut bytes = vec![0xFF, 0xFE];
                bytes.extend("R: hello\n".encode_utf16().flat_map(u16::to_le_bytes));
                bytes.push(b'x');
                common::write(s, "interviews/S03_pre.txt", &bytes);
            }),
            "interviews/S03_pre.txt:2: invalid UTF-16LE text",
        ),
        (
            "a declared UTF-8 transcript cut inside a character",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                let text = text.replacen(
                    "name = \"{participant}_{wave}\"",
                    "name = \"{participant}_{wave}\"\nencoding = \"utf-8\"",
                    1,
                );
                common::write(s, "study.toml", text.as_bytes());
                common::write(s, "interviews/S03_pre.txt", b"I: Hi\nR: caf\xc3");
            }),
            "interviews/S03_pre.txt:2:7: invalid UTF-8 (byte 0xC3)",
        ),
        (
            "a duplicated column in a questionnaire",
            Box::new(|s| {
                common::write(
                    s,
                    "questionnaires/staff.csv",
                    b"respondent_id,years,q1,purpose,q1\nT01,12,Agree,To help.,Agree\n",
                );
            }),
            "questionnaires/staff.csv:1: duplicate column `q1`",
        ),
        (
            "a truncated .xlsx questionnaire",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replace("questionnaires/staff.csv", "questionnaires/staff.xlsx")
                        .as_bytes(),
                );
                common::write(s, "questionnaires/staff.xlsx", b"PK\x03\x04\x14\x00\x00\x00trunc");
            }),
            "questionnaires/staff.xlsx: not a valid .xlsx file",
        ),
        (
            "a Likert answer off the scale",
            Box::new(|s| {
                common::write(
                    s,
                    "questionnaires/staff.csv",
                    b"respondent_id,years,q1,purpose\nT01,12,Strongly agree,To help.\n",
                );
            }),
            "questionnaires/staff.csv:2: `Strongly agree` in column `q1` is not on the scale",
        ),
        (
            "a respondent twice in a questionnaire",
            Box::new(|s| {
                common::write(
                    s,
                    "questionnaires/staff.csv",
                    b"respondent_id,years,q1,purpose\nT01,12,Agree,A.\nT01,12,Agree,B.\n",
                );
            }),
            "questionnaires/staff.csv:3: duplicate respondent `T01`",
        ),
        (
            "a codebook that is not TOML",
            Box::new(|s| common::write(s, "codebook.toml", b"format = 1\n[[code]\nid = \"a\"\n")),
            "codebook.toml:2:",
        ),
        (
            "a codebook whose parents form a cycle",
            Box::new(|s| {
                common::write(
                    s,
                    "codebook.toml",
                    b"format = 1\nname = \"n\"\nlanguage = \"english\"\n\n[[code]]\nid = \"a\"\nparent = \"b\"\nname = \"A\"\ndescription = \"a\"\nrules = [\"x\"]\n\n[[code]]\nid = \"b\"\nparent = \"a\"\nname = \"B\"\ndescription = \"b\"\nrules = [\"y\"]\n",
                );
            }),
            "cycle",
        ),
        (
            "a rule with an unclosed quote",
            Box::new(move |s| {
                common::write(s, "codebook.toml", deep_codebook("\"set goals").as_bytes())
            }),
            "qualkit: error: codebook.toml:9:11: code `a`, rule 1: unclosed quote",
        ),
        (
            "a study.toml nested 10,000 arrays deep",
            Box::new(|s| {
                let mut text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                text.push_str(&format!("\nx = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)));
                common::write(s, "study.toml", text.as_bytes());
            }),
            "study.toml:",
        ),
        (
            "a key twice in study.toml",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replacen("format = 1\n", "format = 1\nformat = 1\n", 1).as_bytes(),
                );
            }),
            "study.toml:2:",
        ),
        (
            "a .docx without its document part",
            Box::new(|s| {
                common::write(
                    s,
                    "interviews/S03_pre.docx",
                    &zip_with(&[("word/styles.xml", b"<w:styles/>")]),
                );
            }),
            "interviews/S03_pre.docx: no word/document.xml inside",
        ),
        (
            "a .docx whose text expands past the size limit",
            Box::new(|s| {
                let bytes = std::fs::read(common::repo().join("tests/fixtures/hostile/bomb.docx"))
                    .expect("fixture");
                common::write(s, "interviews/S03_pre.docx", &bytes);
            }),
            "interviews/S03_pre.docx: word/document.xml is 220201127 bytes uncompressed; the limit is 209715200\n",
        ),
        (
            "front matter naming an unknown participant",
            Box::new(|s| {
                common::write(
                    s,
                    "interviews/S03_pre.txt",
                    b"---\nparticipant: S99\n---\nI: hi\nR: hello\n",
                );
            }),
            "interviews/S03_pre.txt:2: participant `S99` is not in participants.csv",
        ),
        (
            "NUL bytes in participants.csv",
            Box::new(|s| common::write(s, "participants.csv", b"id,role\nS01\x00,student\n")),
            "participants.csv:2: not a text file (NUL byte)",
        ),
        (
            "agreement codings pointing past the end of a document",
            Box::new(|s| {
                common::write(
                    s,
                    "c.csv",
                    b"document,start,end,code,origin\ninterviews/S01_pre.txt,0,99999,targets,hana\n",
                );
                let mut text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                text.push_str("\n[agreement]\ncodings = [\"c.csv\"]\n");
                common::write(s, "study.toml", text.as_bytes());
            }),
            "c.csv:2:",
        ),
        (
            "a source pattern matching no file",
            Box::new(|s| {
                let text = std::fs::read_to_string(s.join("study.toml")).expect("read");
                common::write(
                    s,
                    "study.toml",
                    text.replace("path = \"groups\"", "path = \"groups/*.docx\"").as_bytes(),
                );
            }),
            "study.toml:17:8: source `groups/*.docx` names no files",
        ),
    ];
    let mut names = Vec::new();
    for (name, change, expected) in cases {
        let study = common::fixture("mini");
        change(study.path());
        let output = qualkit(study.path()).arg("run").output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: expected `{expected}` in {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!study.path().join("out").exists(), "{name}: no output written");
        names.push(name);
    }
    assert_eq!(names.len(), 40);
}

#[test]
fn a_symlink_loop_among_the_sources_is_an_error_not_a_hang() {
    let study = common::fixture("mini");
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", study.path().join("interviews/loop")).expect("symlink");
    let output = qualkit(study.path()).arg("run").output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interviews/loop"));
}

#[test]
fn hostile_dictionaries_are_refused_with_a_line() {
    let dir = tempfile::tempdir().expect("temp");
    let deep: String = (0..200).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect::<String>()
        + &"  ".repeat(200)
        + "- word\n";
    let flow = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    for (name, text, expected) in [
        ("deep.yml", deep, "deep.yml:65: nested 65 levels deep"),
        ("flow.yml", flow, "flow.yml:1: nested 65 levels deep"),
    ] {
        common::write(dir.path(), name, text.as_bytes());
        let output = qualkit(dir.path())
            .args(["codebook", "import"])
            .arg(dir.path().join(name))
            .arg("--out")
            .arg(dir.path().join("out.toml"))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(expected),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!dir.path().join("out.toml").exists());
    }
}

/// Inputs the fuzzers (fuzz/) found crashing, kept so they never crash again. Each file's
/// first byte picks the reader as in its fuzz target.
#[test]
fn fuzzer_findings_stay_fixed() {
    use qualkit::index::Language;
    let dir = common::repo().join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(&dir).expect("fuzz fixtures") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("read");
        if name.starts_with("dictionaries-") {
            let (which, rest) = bytes.split_first().expect("non-empty");
            let file = ["d.dic", "d.yml", "d.csv", "d.qdc"][usize::from(*which) % 4];
            let text = String::from_utf8_lossy(rest);
            let _ = qualkit::codebook::import::import_text(
                std::path::Path::new(file),
                &text,
                Language::default(),
                qualkit::index::Reading::default(),
            );
        } else if name.starts_with("refi-") {
            let _ = qualkit::refi::import::inspect(std::path::Path::new("p.qdpx"), bytes);
        } else if name.starts_with("codebook-") {
            let text = String::from_utf8_lossy(&bytes);
            let _ = qualkit::codebook::Codebook::parse(std::path::Path::new("c.toml"), &text);
        } else {
            panic!("{name}: no reader for this fuzz finding");
        }
    }
}

/// Inputs that are unusual but valid (issue 10): each is read correctly, not refused.
#[test]
fn unusual_inputs_are_handled() {
    // Excel in a `;` locale: byte-order mark, a `sep=;` line and CRLF, in participants.csv
    // and a questionnaire; lines named in errors still count the `sep=` line.
    let study = common::fixture("mini");
    let s = study.path();
    common::write(
        s,
        "participants.csv",
        b"\xef\xbb\xbfsep=;\r\nid;role;gender;ability\r\nS01;student;female;low\r\nS02;student;male;high\r\nS03;student;female;middle\r\nT01;mentor;female;\r\n",
    );
    common::write(
        s,
        "questionnaires/staff.csv",
        b"\xef\xbb\xbfsep=;\r\nrespondent_id;years;q1;purpose\r\nT01;12;Agree;\"To help students; set targets\"\r\n",
    );
    qualkit(s).arg("run").assert().success();
    let codings = std::fs::read_to_string(s.join("out/codings.csv")).expect("codings");
    let segments = std::fs::read_to_string(s.join("out/segments.csv")).expect("segments");
    assert!(segments.contains("To help students; set targets"), "{segments}");
    assert!(codings.contains("questionnaires/staff.csv#T01/purpose,1,T01,"), "{codings}");
    assert!(codings.contains(",S02,post,"), "{codings}");
    let mut text = std::fs::read_to_string(s.join("participants.csv")).expect("read");
    text.push_str("S01;student;female;low\r\n");
    common::write(s, "participants.csv", text.as_bytes());
    let output = qualkit(s).arg("index").output().expect("runs");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("participants.csv:7: duplicate participant id `S01` (first on line 3)"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A questionnaire with blank columns (trailing delimiters), and a Windows-1252 transcript
    // whose bytes happen to hold a valid UTF-8 pair (`ß“` is DF 93): read, not refused.
    let study = common::fixture("mini");
    common::write(
        study.path(),
        "questionnaires/staff.csv",
        b"respondent_id,years,q1,purpose,,\nT01,12,Agree,To help students set targets.,,\n",
    );
    common::write(
        study.path(),
        "interviews/S03_pre.txt",
        b"I: Der \x84Fu\xdf\x93?\nR: Ja, gr\xfc\xdfe targets.\n",
    );
    let output = qualkit_loud(study.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("S03_pre.txt: not UTF-8; read as windows-1252 (detected)"), "{stderr}");

    // Old Mac line endings (CR only): lines are still counted.
    let study = common::fixture("mini");
    common::write(study.path(), "interviews/S03_pre.txt", b"I: Hello?\rR: Hi.\rTeacher X: no\r");
    let output = qualkit(study.path()).arg("index").output().expect("runs");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("interviews/S03_pre.txt:3:1: unknown speaker label `Teacher X`"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A codebook of 10,000 codes (all siblings, one rule shared by all) is checked and applied,
/// its lint warnings stay one line per rule; codes nested 100 deep are fine, 101 is refused.
#[test]
fn ten_thousand_codes_and_deep_trees() {
    let head = "format = 1\nname = \"n\"\nlanguage = \"english\"\n";
    let code = |i: usize, parent: Option<usize>, rule: &str| {
        let parent = parent.map(|p| format!("parent = \"c{p:05}\"\n")).unwrap_or_default();
        format!(
            "\n[[code]]\nid = \"c{i:05}\"\n{parent}name = \"Code {i}\"\ndescription = \"d\"\nrules = [{rule}]\n"
        )
    };
    let study = common::fixture("mini");
    let s = study.path();
    let many: String =
        (0..10_000).map(|i| code(i, None, &format!("\"word{i}\", \"target*\""))).collect();
    common::write(s, "codebook.toml", format!("{head}{many}").as_bytes());
    let output =
        qualkit(s).args(["codebook", "check"]).arg(s.join("codebook.toml")).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("rule `target*` duplicates a rule of siblings `c00001`, `c00002`"),
        "{}",
        &stdout[..stdout.len().min(2000)]
    );
    assert!(stdout.contains("and 9989 more"));
    // Ten thousand codes with their own words, every thousandth also about targets: a whole
    // run, every table and chart.
    let many: String = (0..10_000)
        .map(|i| {
            let rule = if i % 1000 == 0 {
                format!("\"word{i}\", \"target*\"")
            } else {
                format!("\"word{i}\"")
            };
            code(i, None, &rule)
        })
        .collect();
    common::write(s, "codebook.toml", format!("{head}{many}").as_bytes());
    qualkit(s).arg("run").assert().success();
    let themes = std::fs::read_to_string(s.join("out/tables/themes.csv")).expect("themes");
    assert!(themes.contains("Code 9000"), "{}", &themes[..themes.len().min(2000)]);
    // ten thousand bars are no chart: left out, and said so
    assert!(!s.join("out/charts/themes-by-wave.svg").exists());
    let run = std::fs::read_to_string(s.join("out/run.json")).expect("run.json");
    assert!(run.contains("chart themes-by-wave: 10000 codes or rows, more than the 80"), "{run}");
    assert!(!run.contains("chart themes:"), "the themes table has no chart to leave out");

    for (depth, ok) in [(100, true), (101, false)] {
        let chain: String = (0..=depth).map(|i| code(i, i.checked_sub(1), "\"target*\"")).collect();
        common::write(s, "codebook.toml", format!("{head}{chain}").as_bytes());
        let output = qualkit(s)
            .args(["codebook", "check"])
            .arg(s.join("codebook.toml"))
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.success(), ok, "depth {depth}: {stderr}");
        if !ok {
            assert!(stderr.contains("is nested more than 100 levels deep"), "{stderr}");
        }
    }
}

/// A codebook study.toml names but that is not there is an error at that line of study.toml,
/// naming the path as written and where it was looked for, the same for every command that
/// codes and however the study is named (`--study DIR` or `run DIR`).
#[test]
fn a_missing_codebook_is_named_where_study_toml_sets_it() {
    let study =
        minimal_study(PARTICIPANTS, &[("S01_pre.txt", b"Interviewer: Hi?\nS01: Targets.\n")]);
    let manifest =
        format!("{}\n[coding]\ncodebook = \"../codebooks/gone.toml\"\n", common::MINIMAL_MANIFEST);
    write(study.path(), "study.toml", manifest.as_bytes());
    let line = manifest.lines().position(|l| l.starts_with("codebook")).expect("set") + 1;
    let expected = format!(
        "study.toml:{line}:12: [coding] codebook `../codebooks/gone.toml` is not a file (looked for {})",
        study.path().join("../codebooks/gone.toml").display()
    );
    let by_folder = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"))
        .args(["-q", "run"])
        .arg(study.path())
        .output()
        .expect("runs");
    for (command, output) in [
        ("code", qualkit(study.path()).arg("code").output().expect("runs")),
        ("themes", qualkit(study.path()).arg("themes").output().expect("runs")),
        ("run DIR", by_folder),
    ] {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        let errors = error_lines(&stderr);
        assert_eq!(errors.len(), 1, "{command}: {stderr}");
        assert!(errors[0].ends_with(&expected), "{command}: {stderr}\nexpected …{expected}");
    }
    assert!(!study.path().join("out").exists(), "nothing written");
    // a codebook reached through `..` is named by the path from the current folder, not by
    // `../…` (which reads as the current folder's)
    let name = study.path().file_name().expect("name").to_string_lossy().into_owned();
    write(study.path(), "bad.toml", b"format = 1\nname = \n");
    let manifest = manifest.replace("../codebooks/gone.toml", &format!("../{name}/bad.toml"));
    write(study.path(), "study.toml", manifest.as_bytes());
    let output = qualkit(study.path()).arg("code").output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let named = format!(
        "qualkit: error: {}:2:",
        study.path().join(format!("../{name}/bad.toml")).display()
    );
    assert!(stderr.starts_with(&named), "{stderr}\nexpected {named}");
}
