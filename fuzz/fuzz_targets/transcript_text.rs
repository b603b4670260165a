//! The text-level parsers a transcript goes through: decoding, front matter, subtitles,
//! Word documents, words and segments. The first byte picks the format.
#![no_main]
use libfuzzer_sys::fuzz_target;
use qualkit::corpus::{decode, frontmatter, subtitles, word};
use qualkit::index::{Analyzer, Language};
use qualkit::segment::{Unit, split};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let text = match which % 4 {
        0 => word::extract(Path::new("t.docx"), rest).ok(),
        1 => decode::decode(Path::new("t.txt"), rest).ok().map(|d| d.text),
        2 => std::str::from_utf8(rest)
            .ok()
            .and_then(|t| subtitles::convert(Path::new("t.vtt"), t).ok())
            .map(|c| c.text),
        _ => std::str::from_utf8(rest)
            .ok()
            .and_then(|t| subtitles::convert(Path::new("t.srt"), t).ok())
            .map(|c| c.text),
    };
    let Some(text) = text else { return };
    let _ = frontmatter::parse(Path::new("t.txt"), &text);
    let analyzer = Analyzer::new(Language::default());
    let _ = analyzer.words(&text);
    for unit in [Unit::Turn, Unit::Sentence, Unit::Paragraph] {
        for range in split(&text, unit) {
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }
});
