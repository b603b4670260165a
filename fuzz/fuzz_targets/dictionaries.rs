//! Codebook importers: LIWC .dic, YAML, CSV and REFI .qdc; the first byte picks the reader.
#![no_main]
use libfuzzer_sys::fuzz_target;
use qualkit::index::Language;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let name = ["d.dic", "d.yml", "d.csv", "d.qdc"][usize::from(which) % 4];
    let _ = qualkit::codebook::import::import_text(
        std::path::Path::new(name),
        text,
        Language::default(),
        qualkit::index::Reading::default(),
    );
});
