//! REFI-QDA project exchange (`.qdpx`): the QDA-XML 1.0 standard NVivo, ATLAS.ti, MAXQDA,
//! QualCoder and Taguette share (schema: `assets/refi/Project.xsd`, MIT, REFI 2019).
//!
//! [`export`] writes a study, its codebook, auto-codings and manual codings as a project;
//! [`import`] reads a project from any of those tools into a new study, strict about the
//! archive's safety and lenient about the quirks real exporters produce.

pub mod export;
pub mod import;

use sha2::{Digest, Sha256};

/// A stable GUID: the same kind and key always give the same GUID (a name-based UUID
/// layout over SHA-256), so a re-export does not look like new objects to other tools.
pub fn guid(kind: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("qualkit {kind}\0{key}").as_bytes());
    let mut bytes: [u8; 16] = digest[..16].try_into().expect("a SHA-256 digest has 32 bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x50; // name-based UUID layout (version 5 bits)
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// A GUID as compared: without braces, lower-case (exporters write `{…}` and upper case).
pub fn normalise_guid(guid: &str) -> String {
    guid.trim().trim_start_matches('{').trim_end_matches('}').to_ascii_lowercase()
}

/// What a project holds (export) or brought in (import).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Text sources.
    pub sources: usize,
    /// Codes.
    pub codes: usize,
    /// Plain-text selections (one user's codes on one range).
    pub selections: usize,
    /// Codings (selection × code).
    pub codings: usize,
    /// Users.
    pub users: usize,
    /// Cases.
    pub cases: usize,
}
