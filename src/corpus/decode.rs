//! Bytes → text: encodings, byte-order marks and line endings.
//!
//! Every reader calls [`decode`] first, so every offset in qualkit refers to the text it
//! returns: BOM removed, `\r\n` and lone `\r` turned into `\n`. Because each line break stays
//! exactly one `\n`, counting `\n` before an offset gives the line number in the original
//! file. UTF-16 with a BOM is decoded by encoding_rs; other encodings slot in here.

use std::path::Path;

use crate::error::{Error, Position, Result};

/// A decoded text file.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, line endings normalised to `\n`.
    pub text: String,
    /// The encoding that was used (e.g. `UTF-8`).
    pub encoding: &'static str,
    /// Set when the encoding was guessed: what was chosen and how to confirm it.
    pub warning: Option<String>,
    /// Whether the text is the file's bytes as read, unchanged (so a parse kept in a cache
    /// can take its text from the file again instead of storing a copy).
    pub as_read: bool,
}

/// How a file's encoding is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// A byte-order mark, else UTF-8 if valid, else the encoding chardetng detects (with a
    /// warning naming it).
    Detect,
    /// This encoding (a BOM still wins); invalid bytes are an error.
    Declared(&'static encoding_rs::Encoding),
}

/// Decode a file that must be UTF-8 (a BOM for UTF-16 is honoured).
///
/// # Errors
/// An empty file, a file that is not text (NUL bytes), and invalid UTF-8, each naming
/// the file and the line.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded> {
    decode_with(path, bytes, TextEncoding::Declared(encoding_rs::UTF_8))
}

/// Decode a file's bytes to text with the given encoding policy.
///
/// # Errors
/// An empty file, a file that is not text (NUL bytes), and bytes invalid in the declared
/// encoding, each naming the file and the line.
pub fn decode_with(path: &Path, bytes: &[u8], encoding: TextEncoding) -> Result<Decoded> {
    if bytes.is_empty() {
        return Err(Error::at_line(path, 1, "empty file; expected text"));
    }
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        if had_errors {
            let line = line_of_replacement(&text);
            return Err(Error::at_line(
                path,
                line,
                format!("invalid {} text (a truncated or broken character)", encoding.name()),
            ));
        }
        return Ok(Decoded {
            text: normalise_line_endings(&text),
            encoding: encoding.name(),
            warning: None,
            as_read: false,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // memchr: this scans every byte of the corpus
    if let Some(nul) = memchr::memchr(0, bytes) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::at_line(path, line, "not a text file (NUL byte); expected UTF-8 text"));
    }
    if let TextEncoding::Declared(declared) = encoding
        && declared != encoding_rs::UTF_8
    {
        return decode_legacy(path, bytes, declared, None);
    }
    // validated once: this reads every byte of the corpus
    let valid = std::str::from_utf8(bytes);
    if valid.is_err() && encoding == TextEncoding::Detect {
        // Valid UTF-8 characters next to invalid bytes: two encodings pasted together. Any
        // single guess would garble one part, so say where the two meet instead.
        if let Some(utf8_line) = first_utf8_character_line(bytes) {
            return Err(invalid_utf8(path, bytes).with_hint(format!(
                "the file mixes encodings: line {utf8_line} has UTF-8 characters; save the whole file as UTF-8"
            )));
        }
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
        if guess != encoding_rs::UTF_8 {
            let warning = format!(
                "{}: not UTF-8; read as {} (detected). Set encoding = \"{}\" for this source in study.toml to confirm",
                path.display(),
                guess.name(),
                guess.name().to_lowercase()
            );
            return decode_legacy(path, bytes, guess, Some(warning));
        }
    }
    let text = valid.map_err(|_| {
        invalid_utf8(path, bytes)
            .with_hint("save the file as UTF-8 (most editors offer this under Save As)")
    })?;
    Ok(Decoded {
        text: normalise_line_endings(text),
        encoding: "UTF-8",
        warning: None,
        as_read: false,
    })
}

/// The error for the first invalid UTF-8 byte of `bytes`, at its line and column (a byte
/// sequence cut off by the end of the file is reported where it starts).
fn invalid_utf8(path: &Path, bytes: &[u8]) -> Error {
    let valid_up_to = std::str::from_utf8(bytes).err().map_or(bytes.len(), |e| e.valid_up_to());
    let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let position = Position::of_offset(&prefix, prefix.len());
    let message = match bytes.get(valid_up_to) {
        Some(bad) => format!("invalid UTF-8 (byte 0x{bad:02X}); expected UTF-8 text"),
        None => "invalid UTF-8 at the end of the file; expected UTF-8 text".to_owned(),
    };
    Error::input(path, Some(position), message)
}

/// The first line that is valid UTF-8 with at least two non-ASCII characters, if any: the
/// mark of text saved as UTF-8. (A legacy encoding's bytes form an odd valid UTF-8 pair now
/// and then — Windows-1252 `ß“` is `DF 93` — but a whole line of them almost never.)
fn first_utf8_character_line(bytes: &[u8]) -> Option<usize> {
    bytes
        .split(|&b| b == b'\n')
        .position(|line| {
            std::str::from_utf8(line)
                .is_ok_and(|l| l.chars().filter(|c| !c.is_ascii()).count() >= 2)
        })
        .map(|i| i + 1)
}

/// The line of the first U+FFFD a lossy decoder put in `text`.
fn line_of_replacement(text: &str) -> usize {
    text[..text.find('\u{fffd}').unwrap_or(0)].matches('\n').count() + 1
}

/// Decode with a single-byte or legacy encoding; bytes it cannot map are an error.
fn decode_legacy(
    path: &Path,
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
    warning: Option<String>,
) -> Result<Decoded> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let line = line_of_replacement(&text);
        return Err(Error::at_line(path, line, format!("invalid {} text", encoding.name())));
    }
    Ok(Decoded {
        text: normalise_line_endings(&text),
        encoding: encoding.name(),
        warning,
        as_read: false,
    })
}

/// [`decode_with`], taking the bytes: UTF-8 without a byte order mark, NUL bytes or `\r`
/// (the usual transcript) becomes the text as it is, not copied (a corpus is hundreds of
/// megabytes, each copied into fresh memory).
///
/// # Errors
/// As [`decode_with`].
pub fn decode_owned(path: &Path, bytes: Vec<u8>, encoding: TextEncoding) -> Result<Decoded> {
    let declared_other =
        matches!(encoding, TextEncoding::Declared(declared) if declared != encoding_rs::UTF_8);
    let plain = !bytes.is_empty()
        && !declared_other
        && encoding_rs::Encoding::for_bom(&bytes).is_none()
        && memchr::memchr2(0, b'\r', &bytes).is_none();
    if !plain {
        return decode_with(path, &bytes, encoding);
    }
    match utf8(bytes) {
        Ok(text) => Ok(Decoded { text, encoding: "UTF-8", warning: None, as_read: true }),
        Err(bytes) => decode_with(path, &bytes, encoding),
    }
}

/// `bytes` as a string when they are UTF-8, else the bytes back. Checked with SIMD
/// (simdutf8): the standard library's check was a quarter of reading a 100 MB corpus again.
pub fn utf8(bytes: Vec<u8>) -> std::result::Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: just checked to be UTF-8
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// `\r\n` and lone `\r` become `\n`; nothing else changes.
pub fn normalise_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Taking the bytes decodes them as borrowing them does: plain UTF-8 as it is, and
        /// everything else (BOMs, `\r`, NUL bytes, invalid or legacy bytes, a declared
        /// encoding) by the same path, with the same errors.
        #[test]
        fn owned_bytes_decode_as_borrowed_ones(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just(b"ab c".to_vec()), Just(b"\n".to_vec()), Just(b"\r\n".to_vec()),
                    Just(b"\r".to_vec()), Just(b"\0".to_vec()), Just("\u{e9}".as_bytes().to_vec()),
                    Just(b"\xE9".to_vec()), Just(b"\xEF\xBB\xBF".to_vec()), Just(b"\xFF\xFE".to_vec()),
                ],
                0..8,
            ),
            declared in prop_oneof![
                Just(TextEncoding::Detect),
                Just(TextEncoding::Declared(encoding_rs::UTF_8)),
                Just(TextEncoding::Declared(encoding_rs::WINDOWS_1252)),
            ],
        ) {
            let bytes = pieces.concat();
            let path = Path::new("t.txt");
            let owned = decode_owned(path, bytes.clone(), declared);
            let borrowed = decode_with(path, &bytes, declared);
            match (owned, borrowed) {
                (Ok(a), Ok(b)) => {
                    // a text said to be the bytes as read is them
                    prop_assert!(!a.as_read || a.text.as_bytes() == bytes.as_slice());
                    prop_assert_eq!(a.text, b.text);
                    prop_assert_eq!(a.encoding, b.encoding);
                    prop_assert_eq!(a.warning, b.warning);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|d| d.text), b.map(|d| d.text)),
            }
        }
    }

    #[test]
    fn utf8_takes_utf8_and_gives_anything_else_back() {
        for text in ["", "ascii", "caf\u{e9} \u{201c}quoted\u{201d} \u{1f600}"] {
            assert_eq!(utf8(text.as_bytes().to_vec()).as_deref(), Ok(text));
        }
        for bytes in [&b"caf\xE9"[..], b"\xC3", b"a\xF0\x9F\x98", b"\xED\xA0\x80"] {
            assert_eq!(utf8(bytes.to_vec()), Err(bytes.to_vec()), "{bytes:?}");
        }
    }

    fn decode_str(bytes: &[u8]) -> Result<String> {
        decode(Path::new("t.txt"), bytes).map(|d| d.text)
    }

    #[test]
    fn bom_is_removed_and_line_endings_normalised() {
        assert_eq!(decode_str(b"\xEF\xBB\xBFa\r\nb\rc\n").expect("text"), "a\nb\nc\n");
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "hé\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(decode_str(&bytes).expect("text"), "hé\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let message = decode_str(b"ok\nab\xFFc").expect_err("invalid").to_string();
        assert_eq!(message, "t.txt:2:3: invalid UTF-8 (byte 0xFF); expected UTF-8 text");
    }

    #[test]
    fn windows_1252_is_detected_with_a_warning_unless_utf8_is_declared() {
        let bytes = "The mentor said \u{201c}well done\u{201d} \u{2013} caf\u{e9}.\n".as_bytes();
        let (legacy, _, _) =
            encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(bytes).expect("utf8"));
        let decoded =
            decode_with(Path::new("t.txt"), &legacy, TextEncoding::Detect).expect("detected");
        assert_eq!(decoded.text, std::str::from_utf8(bytes).expect("utf8"));
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(
            decoded
                .warning
                .expect("a warning")
                .starts_with("t.txt: not UTF-8; read as windows-1252")
        );
        assert!(decode(Path::new("t.txt"), &legacy).is_err());
        let declared = decode_with(
            Path::new("t.txt"),
            &legacy,
            TextEncoding::Declared(encoding_rs::WINDOWS_1252),
        )
        .expect("declared");
        assert_eq!(declared.warning, None);
    }

    #[test]
    fn empty_and_binary_files_are_errors() {
        assert!(decode_str(b"").expect_err("empty").to_string().contains("empty file"));
        let message = decode_str(b"PNG\n\x00\x01").expect_err("binary").to_string();
        assert_eq!(message, "t.txt:2: not a text file (NUL byte); expected UTF-8 text");
    }
}
