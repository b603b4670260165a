//! study.toml: parsing and validation (source paths are looked up under a missing folder).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = qualkit::study::Study::parse(std::path::Path::new("/nonexistent-qualkit-fuzz"), text);
});
