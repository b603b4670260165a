//! Every input format researchers bring: Word (.docx, .odt), subtitles (.vtt from Teams,
//! Zoom and Whisper, .srt), legacy encodings — with line numbers that point into the
//! original file.

mod common;

use common::{assert_lines_point_at_matches, csv_rows, fixture, qualkit, write};
use proptest::prelude::*;
use qualkit::corpus::Corpus;
use qualkit::segment::{Unit, segment};
use qualkit::study::Study;

#[test]
fn every_format_ingests_with_original_line_numbers() {
    let study = fixture("formats");
    let output = qualkit(study.path())
        .args([
            "search",
            "target* OR trust OR laptop OR Klausur OR \"Targets, mostly\"",
            "--format",
            "csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    let found: Vec<(String, String, String)> =
        rows[1..].iter().map(|r| (r[0].clone(), r[3].clone(), r[4].clone())).collect();
    for expected in [
        ("interviews/teams_S1.vtt", "S1", "11"),
        ("interviews/teams_S1.vtt", "S1", "15"),
        ("interviews/zoom_S2.vtt", "S2", "9"),
        ("interviews/subtitles_S3.srt", "S3", "7"),
        ("interviews/whisper_S4.vtt", "S4", "4"),
        ("interviews/utf16_S6.txt", "S6", "2"),
        ("interviews/haski_S1.docx", "S1", "7"),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2.to_owned());
        assert!(found.contains(&expected), "missing {expected:?} in {found:?}");
    }
    // subtitle and text lines point at the words in the original files
    let text_rows: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| !r[0].ends_with(".docx") && !r[0].contains("utf16"))
        .cloned()
        .collect();
    assert_lines_point_at_matches(study.path(), &text_rows);
}

#[test]
fn a_windows_1252_file_is_read_with_a_warning() {
    let study = fixture("formats");
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    let output =
        command.arg("--study").arg(study.path()).args(["search", "café"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("interviews/legacy_S5.txt: not UTF-8; read as windows-1252")
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("[café]"));
}

#[test]
fn odt_paragraphs_tables_and_tracked_changes() {
    use std::io::Write;
    let study = fixture("formats");
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb"><office:body><office:text><text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>Interview</text:p><text:p>I: What<text:s text:c="2"/>helped?</text:p><table:table><table:table-row><table:table-cell><text:p>S6</text:p></table:table-cell><table:table-cell><text:p>My mentor<office:annotation><text:p>a comment</text:p></office:annotation> set targets.</text:p></table:table-cell></table:table-row></table:table></office:text></office:body></office:document-content>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).expect("zip");
    zip.write_all(content.as_bytes()).expect("zip");
    let bytes = zip.finish().expect("zip").into_inner();
    write(study.path(), "interviews/office_S6.odt", &bytes);
    let output = qualkit(study.path())
        .args(["search", "targets OR deleted OR comment", "--format", "csv"])
        .output()
        .expect("runs");
    let rows = csv_rows(&output.stdout);
    let odt: Vec<&Vec<String>> = rows.iter().filter(|r| r[0].ends_with(".odt")).collect();
    assert_eq!(odt.len(), 1, "{rows:?}");
    assert_eq!(odt[0][3], "S6");
    assert_eq!(odt[0][4], "3", "the table row is the third paragraph");
}

#[test]
fn a_damaged_docx_is_a_located_error() {
    let study = fixture("formats");
    write(study.path(), "interviews/broken_S2.docx", b"PK\x03\x04 not really a zip");
    let output = qualkit(study.path()).arg("index").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("interviews/broken_S2.docx: not a valid .docx file")
    );
}

/// A subtitle file whose every word names the line it is on (`l12b` is on line 12).
fn subtitle(cues: &[(bool, usize)], srt: bool) -> String {
    let mut lines: Vec<String> =
        if srt { Vec::new() } else { vec!["WEBVTT".into(), String::new()] };
    for (index, (interviewer, words)) in cues.iter().enumerate() {
        if srt {
            lines.push((index + 1).to_string());
        }
        let separator = if srt { ',' } else { '.' };
        lines.push(format!(
            "00:00:{:02}{separator}000 --> 00:00:{:02}{separator}500",
            index % 60,
            index % 60
        ));
        let number = lines.len() + 1;
        let speaker = if *interviewer { "Interviewer" } else { "S1" };
        let text: Vec<String> =
            (0..*words).map(|w| format!("l{number}{}", (b'a' + w as u8) as char)).collect();
        lines.push(format!("{speaker}: {}.", text.join(" ")));
        lines.push(String::new());
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn subtitle_segments_point_at_their_original_lines(
        cues in proptest::collection::vec((any::<bool>(), 1usize..6), 1..20),
        srt in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let mut text = subtitle(&cues, srt);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let name = if srt { "x_S1.srt" } else { "x_S1.vtt" };
        let dir = tempfile::tempdir().expect("temp");
        write(dir.path(), "participants.csv", b"id\nS1\n");
        write(dir.path(), "study.toml", b"format = 1\nname = \"p\"\n[participants]\nfile = \"participants.csv\"\n[[sources]]\npath = \"t\"\nkind = \"interview\"\nname = \"{x}_{participant}\"\n");
        write(dir.path(), &format!("t/{name}"), text.as_bytes());
        let study = Study::load(dir.path()).expect("study");
        let corpus = Corpus::load(&study).expect("corpus");
        let analyzer = qualkit::index::Analyzer::new(qualkit::index::Language::default());
        let document = &corpus.documents[0];
        for unit in Unit::ALL {
            for seg in segment(&corpus, unit) {
                let segment_text = seg.text(&corpus);
                prop_assert_eq!(&document.text()[seg.bytes()], segment_text);
                for word in analyzer.words(segment_text) {
                    let digits: String = word.exact.trim_start_matches('l').chars().take_while(char::is_ascii_digit).collect();
                    if let Ok(line) = digits.parse::<usize>() {
                        prop_assert_eq!(document.line_of(seg.bytes().start + word.start), line, "word {}", word.exact);
                    }
                }
            }
        }
    }
}

#[test]
fn an_xlsx_questionnaire_reads_like_its_csv() {
    let study = fixture("formats");
    let output = qualkit(study.path())
        .args(["search", "targets OR laptop", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = csv_rows(&output.stdout);
    let xlsx: Vec<(String, String, String)> = rows[1..]
        .iter()
        .filter(|r| r[0].contains(".xlsx"))
        .map(|r| (r[0].clone(), r[3].clone(), r[4].clone()))
        .collect();
    assert_eq!(
        xlsx,
        [
            (
                "questionnaires/survey.xlsx#S1/What helped most?".to_owned(),
                "S1".to_owned(),
                "2".to_owned()
            ),
            (
                "questionnaires/survey.xlsx#S2/What helped most?".to_owned(),
                "S2".to_owned(),
                "3".to_owned()
            ),
        ]
    );
    let output = qualkit(study.path()).args(["likert", "--format", "csv"]).output().expect("runs");
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows[1][..3], ["How useful was mentoring?", "–", "3"]);
}

#[test]
fn a_semicolon_csv_with_an_excel_sep_line_reads_with_the_right_lines() {
    let study = fixture("formats");
    write(
        study.path(),
        "questionnaires/excel.csv",
        "sep=;\r\nName;Comment\r\nS4;My mentor listens\r\nS5;\"Targets; goals\"\r\n".as_bytes(),
    );
    let manifest = std::fs::read_to_string(study.path().join("study.toml")).expect("read");
    let manifest = format!(
        "{manifest}\n[[sources]]\npath = \"questionnaires/excel.csv\"\nkind = \"questionnaire\"\nrespondent = \"Name\"\nopen = [\"Comment\"]\n"
    );
    write(study.path(), "study.toml", manifest.as_bytes());
    let output = qualkit(study.path())
        .args(["search", "listens OR goals", "--format", "csv"])
        .output()
        .expect("runs");
    let rows = csv_rows(&output.stdout);
    let excel: Vec<(&str, &str)> = rows[1..]
        .iter()
        .filter(|r| r[0].contains("excel"))
        .map(|r| (r[3].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(excel, [("S4", "3"), ("S5", "4")]);
}

#[test]
fn a_word_twin_of_a_text_transcript_gives_the_same_segments() {
    use std::io::Write;
    let study = fixture("mini");
    let text = std::fs::read_to_string(study.path().join("interviews/S01_pre.txt")).expect("read");
    let paragraphs: String = text
        .lines()
        .map(|l| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                l.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body>{paragraphs}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).expect("zip");
    zip.write_all(xml.as_bytes()).expect("zip");
    let docx = zip.finish().expect("zip").into_inner();
    let segments_of = |dir: &std::path::Path| -> Vec<(String, usize)> {
        let study = Study::load(dir).expect("study");
        let corpus = Corpus::load(&study).expect("corpus");
        let document = corpus
            .documents
            .iter()
            .position(|d| d.id.starts_with("interviews/S01_pre"))
            .expect("document");
        segment(&corpus, Unit::Sentence)
            .iter()
            .filter(|s| s.document_index() == document)
            .map(|s| (s.text(&corpus).to_owned(), s.line()))
            .collect()
    };
    let from_text = segments_of(study.path());
    std::fs::remove_file(study.path().join("interviews/S01_pre.txt")).expect("remove");
    write(study.path(), "interviews/S01_pre.docx", &docx);
    assert_eq!(segments_of(study.path()), from_text);
}

/// A turn's timestamp (the cue's start, for subtitles) is where the turn's line says it is,
/// and a transcript without timestamps has none.
#[test]
fn turns_keep_their_timestamps_in_the_text() {
    let study = fixture("formats");
    let corpus = Corpus::load(&Study::load(study.path()).expect("study")).expect("corpus");
    let stamps = |id: &str| -> Vec<Option<String>> {
        let document = corpus.documents.iter().find(|d| d.id.ends_with(id)).expect("document");
        let text = document.text();
        let stamps =
            (0..document.turns.len()).map(|n| document.timestamp(n).map(|t| text[t].to_owned()));
        stamps.collect()
    };
    let srt = stamps("subtitles_S3.srt");
    assert_eq!(srt[..2], [Some("00:00:01".to_owned()), Some("00:00:03".to_owned())]);
    assert!(stamps("legacy_S5.txt").iter().all(Option::is_none));
}

/// A document holds its speakers and its turns name theirs by number, shared between turns:
/// every turn's speaker is the same after the parse is restored from `.qualkit/corpus.bin`.
#[test]
fn turns_name_their_documents_speakers() {
    let study = fixture("formats");
    let speakers = |corpus: &Corpus| -> Vec<(String, Vec<String>)> {
        let mut speakers: Vec<(String, Vec<String>)> = corpus
            .documents
            .iter()
            .map(|document| {
                let names = document.turns.iter().map(|t| document.speaker_of(t).name().into());
                (document.id.clone(), names.collect())
            })
            .collect();
        speakers.sort();
        speakers
    };
    // the parse is kept once `.qualkit` exists
    std::fs::create_dir_all(study.path().join(".qualkit")).expect("made");
    let load = || Corpus::load(&Study::load(study.path()).expect("study")).expect("corpus");
    let (parsed, restored) = (load(), load());
    assert!(study.path().join(".qualkit/corpus.bin").is_file(), "the parse kept");
    let text = parsed.documents.iter().max_by_key(|d| d.turns.len()).expect("a document");
    assert!(text.turns.len() > text.speakers.len(), "speakers shared between turns");
    assert_eq!(speakers(&parsed), speakers(&restored));
    assert!(speakers(&parsed).iter().any(|(_, names)| names.iter().any(|n| n == "interviewer")));
}
