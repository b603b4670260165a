//! Names the code that parses and segments a study: a hash of its source and of the locked
//! dependencies (`QUALKIT_PARSER`), so that a parse or segments kept in a study's `.qualkit`
//! folder are never restored by a build that would parse or segment differently, whatever
//! its version number says (`corpus::PARSER`).

use std::path::{Path, PathBuf};

/// What parsing and segmenting are made of: the ingest modules, the manifest they read their
/// settings from, the segmenter, and the versions of every dependency.
const PARTS: [&str; 4] = ["src/corpus", "src/study.rs", "src/segment.rs", "Cargo.lock"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for part in PARTS {
        println!("cargo:rerun-if-changed={part}");
        collect(&root.join(part), &mut files);
    }
    files.sort();
    // FNV-1a, 64 bits: stable across toolchains, and a cache key needs nothing stronger
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let name = file.strip_prefix(&root).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(file).expect("source readable");
        for byte in name.as_bytes().iter().chain([0u8].iter()).chain(&bytes) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=QUALKIT_PARSER={hash:016x}");
}

/// Every file at or under `path`.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries {
                collect(&entry.expect("folder readable").path(), files);
            }
        }
        Err(_) if path.is_file() => files.push(path.to_path_buf()),
        Err(_) => {}
    }
}
