//! REFI-QDA projects: archive checks, project.qde parsing, offsets, the study it would make.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = qualkit::refi::import::inspect(std::path::Path::new("p.qdpx"), data.to_vec());
});
