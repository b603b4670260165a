//! Codebook TOML: parsing, validation and rule compilation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = qualkit::codebook::Codebook::parse(std::path::Path::new("codebook.toml"), text);
});
