//! Offsets never drift: whatever the line endings or BOM, a segment's byte and char ranges
//! select its text in the decoded document, and its line number (and every word's) points at
//! the original file's line. Each generated word names its own line (`l7b` is on line 7).

mod common;

use proptest::prelude::*;
use qualkit::corpus::Corpus;
use qualkit::index::{Analyzer, Language};
use qualkit::segment::{Unit, segment};
use qualkit::study::Study;

/// One generated line: an optional speaker label, then words naming the line.
#[derive(Debug, Clone)]
struct Line {
    label: Option<&'static str>,
    words: usize,
    stop: bool,
    blank: bool,
}

fn line_strategy() -> impl Strategy<Value = Line> {
    (
        prop::option::of(prop::sample::select(vec!["I", "R", "Int", "[00:01:02] S01"])),
        1usize..5,
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(label, words, stop, blank)| Line { label, words, stop, blank })
}

fn render(lines: &[Line], ending: &str, bom: bool) -> Vec<u8> {
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    text.push_str(&format!("Interview title{ending}"));
    for (i, line) in lines.iter().enumerate() {
        let number = i + 2;
        if line.blank {
            text.push_str(ending);
            continue;
        }
        if let Some(label) = line.label {
            text.push_str(&format!("{label}: "));
        }
        let words: Vec<String> =
            (0..line.words).map(|w| format!("l{number}{}", (b'a' + w as u8) as char)).collect();
        text.push_str(&words.join(" "));
        text.push_str(if line.stop { ". Mr. Khan – " } else { ", café," });
        text.push_str(&format!(" l{number}z{ending}"));
    }
    text.into_bytes()
}

/// `utf8` re-encoded: UTF-16LE with a BOM, or Windows-1252 (without the UTF-8 BOM).
fn encode(utf8: &[u8], encoding: &str) -> Vec<u8> {
    let text = std::str::from_utf8(utf8).expect("generated UTF-8");
    match encoding {
        "utf-16le" => {
            let mut bytes = vec![0xFF, 0xFE];
            for unit in text.trim_start_matches('\u{feff}').encode_utf16() {
                bytes.extend(unit.to_le_bytes());
            }
            bytes
        }
        "windows-1252" => {
            encoding_rs::WINDOWS_1252.encode(text.trim_start_matches('\u{feff}')).0.into_owned()
        }
        _ => utf8.to_vec(),
    }
}

/// The line a generated word names: `l12b` → 12; other words (`Mr`, `Khan`) → None.
fn named_line(word: &str) -> Option<usize> {
    let digits: String = word.strip_prefix('l')?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn segment_offsets_and_lines_match_the_original_file(
        lines in proptest::collection::vec(line_strategy(), 1..25),
        ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        bom in any::<bool>(),
        encoding in prop::sample::select(vec!["utf-8", "utf-16le", "windows-1252"]),
    ) {
        let mut lines = lines;
        lines[0].label = Some("R");
        lines[0].blank = false;
        let utf8 = render(&lines, ending, bom);
        let bytes = encode(&utf8, encoding);
        let load = |bytes: &[u8]| {
            let study_dir = common::minimal_study("id\nS01\n", &[("S01_pre.txt", bytes)]);
            let study = Study::load(study_dir.path()).expect("valid study");
            Corpus::load(&study).expect("valid corpus")
        };
        let corpus = load(&bytes);
        // the same transcript in UTF-8 gives the same segments
        let twin = load(&utf8);
        for unit in Unit::ALL {
            let texts = |c: &Corpus| -> Vec<(String, usize)> {
                segment(c, unit).iter().map(|s| (s.text(c).to_owned(), s.line())).collect()
            };
            prop_assert_eq!(texts(&corpus), texts(&twin));
        }
        let analyzer = Analyzer::new(Language::default());
        let document = &corpus.documents[0];
        for unit in Unit::ALL {
            for seg in segment(&corpus, unit) {
                let text = seg.text(&corpus);
                let by_chars: String = document.text().chars().skip(seg.chars().start).take(seg.chars().len()).collect();
                prop_assert_eq!(&by_chars, text);
                let words = analyzer.words(text);
                let first = words.iter().find_map(|w| named_line(&w.exact));
                prop_assert_eq!(Some(seg.line()), first.or(Some(seg.line())), "segment {:?}", text);
                for word in words {
                    if let Some(line) = named_line(&word.exact) {
                        prop_assert_eq!(document.line_of(seg.bytes().start + word.start), line, "word {}", word.exact);
                    }
                }
            }
        }
    }
}
