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
        text.push_str(if line.stop { ". Mr. Khan" } else { "," });
        text.push_str(&format!(" l{number}z{ending}"));
    }
    text.into_bytes()
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
    ) {
        let mut lines = lines;
        lines[0].label = Some("R");
        lines[0].blank = false;
        let study_dir = common::minimal_study("id\nS01\n", &[("S01_pre.txt", &render(&lines, ending, bom))]);
        let study = Study::load(study_dir.path()).expect("valid study");
        let corpus = Corpus::load(&study).expect("valid corpus");
        let analyzer = Analyzer::new(Language::default());
        let document = &corpus.documents[0];
        for unit in Unit::ALL {
            for seg in segment(&corpus, unit) {
                let text = seg.text(&corpus);
                let by_chars: String = document.text.chars().skip(seg.chars.start).take(seg.chars.len()).collect();
                prop_assert_eq!(&by_chars, text);
                let words = analyzer.words(text);
                let first = words.iter().find_map(|w| named_line(&w.exact));
                prop_assert_eq!(Some(seg.line), first.or(Some(seg.line)), "segment {:?}", text);
                for word in words {
                    if let Some(line) = named_line(&word.exact) {
                        prop_assert_eq!(document.line_of(seg.bytes.start + word.start), line, "word {}", word.exact);
                    }
                }
            }
        }
    }
}
