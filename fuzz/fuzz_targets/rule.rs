//! The rule language: parse, analyse, and match against a fixed segment.
#![no_main]
use libfuzzer_sys::fuzz_target;
use qualkit::index::{Analyzer, Language};
use qualkit::query::Rule;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let analyzer = Analyzer::new(Language::default());
    if let Ok(rule) = Rule::compile(text, &analyzer) {
        let words =
            analyzer.words("My mentor set targets; I'm a bit stressed [laughs] about mocks.");
        let _ = rule.find(&words);
        let _ = rule.never_matches();
    }
});
