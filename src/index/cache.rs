//! Files of data derived from an index's segments (rule matches, word counts), kept in the
//! index's folder so later runs need not derive them again.
//!
//! Such data is only valid for the segments it was derived from, so each file records the
//! index's fingerprint and the layout of its body (a format number chosen by its writer),
//! and ends with the length and CRC-32 of everything before it (a check against torn and
//! damaged files, not against forgery, as git's index checks itself: the caches of a large
//! study run to hundreds of megabytes, read on every re-code, and SHA-256 over them cost more
//! than the rest of reading them). A file that is missing, damaged, or
//! disagrees on either is not read (the data is derived again and the file rewritten); the
//! folder itself is replaced whenever the fingerprint changes. Files are written to a
//! temporary name and renamed into place, so a killed run leaves the old file or the new
//! one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Starts every cache file; the number is the layout of header and trailer (1 ended in
/// SHA-256).
const MAGIC: &[u8] = b"qualkit cache 2\n";

/// The trailer: the length of what precedes it (u64) and its CRC-32 (u32), little-endian.
const TRAILER: usize = 12;

/// How much of a cache file is checked before the pages checked are let go.
const CHECKED_AT_ONCE: usize = 4 << 20;

/// One cache file in an index's folder.
pub struct CacheFile {
    path: PathBuf,
    fingerprint: String,
}

/// A cache file's body, checked.
pub struct Body {
    /// The file, mapped: a large study's caches run to hundreds of megabytes, which read
    /// into memory would be copied out of the page cache first.
    bytes: memmap2::Mmap,
    start: usize,
    end: usize,
}

impl Body {
    /// A reader at the start of the body.
    pub fn reader(&self) -> Reader<'_> {
        Reader { bytes: self.bytes() }
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    /// Let the process's memory go of the pages that lie wholly within `part`, a slice of
    /// this body already read: they stay in the page cache, and a later read maps them
    /// again. Once mapped, a page is counted in the process's resident memory until the
    /// mapping ends, and the mapping of a large study's caches (rule matches, segments) was
    /// hundreds of megabytes of a run's peak while their contents were copied out. Pages
    /// `part` only shares with what lies around it are kept: the next read would map them
    /// again, and with them the rest of their folio, behind the reading too.
    pub fn let_go(&self, part: &[u8]) {
        let offset = (part.as_ptr() as usize).wrapping_sub(self.bytes.as_ptr() as usize);
        if offset.checked_add(part.len()).is_none_or(|end| end > self.bytes.len()) {
            return; // not of this body: nothing to let go
        }
        #[cfg(unix)]
        {
            let page = crate::files::page_size();
            // the mapping starts on a page boundary
            let (start, end) = (offset.next_multiple_of(page), (offset + part.len()) / page * page);
            if start < end {
                // SAFETY: the mapping is read-only and its file is never changed in place
                // (cache files are replaced by renaming, `write_with`), so a page let go
                // reads back the same bytes when next touched: slices of it still borrowed
                // stay valid and unchanged. (The advice is only unsafe for mappings written
                // to, whose writes it would undo.)
                let _ = unsafe {
                    self.bytes.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        start,
                        end - start,
                    )
                };
            }
        }
    }
}

impl CacheFile {
    /// The file `name` in the folder `dir` of the index whose fingerprint is `fingerprint`
    /// (usually made by [`super::SegmentIndex::cache_file`]).
    pub fn new(dir: &Path, name: &str, fingerprint: &str) -> CacheFile {
        CacheFile { path: dir.join(name), fingerprint: fingerprint.to_owned() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The first `length` bytes (at most) of the body of the cache file at `path`, when it
    /// was written in `format`, for whatever index: unchecked, for hints only (nothing read
    /// this way may decide an output).
    pub fn peek(path: &Path, format: u32, length: usize) -> Option<Vec<u8>> {
        use std::io::Read;
        let mut start = Vec::new();
        let limit = (MAGIC.len() + 4 + 4 + 4096 + length) as u64;
        std::fs::File::open(path).ok()?.take(limit).read_to_end(&mut start).ok()?;
        let (_, body) = header(&start, format)?;
        Some(body[..body.len().min(length)].to_vec())
    }

    /// The body, when the file is there, intact, written for this index and in `format`.
    pub fn read(&self, format: u32) -> Option<Body> {
        self.read_written_for(format, |fingerprint| fingerprint == self.fingerprint).map(|(_, b)| b)
    }

    /// The fingerprint the file was written for and its body, when it was written for
    /// `settings` followed by inputs (`inputs …`, these or others): a cache named by what its
    /// contents depend on, part of which may be carried over to other inputs.
    pub fn read_for_settings(&self, format: u32, settings: &str) -> Option<(String, Body)> {
        self.read_written_for(format, |written| {
            written.strip_prefix(settings).is_some_and(|rest| rest.starts_with("inputs "))
        })
    }

    /// The fingerprint the file was written for and its body, when the file is there,
    /// intact, in `format`, and `wanted` takes that fingerprint: a cache of other inputs
    /// whose parts that are still right can be carried over.
    pub fn read_written_for(
        &self,
        format: u32,
        wanted: impl FnOnce(&str) -> bool,
    ) -> Option<(String, Body)> {
        let file = std::fs::File::open(&self.path).ok()?;
        // SAFETY: cache files are replaced by renaming a new file into place (`write_with`),
        // never changed in place, so the file mapped stays as it was.
        let bytes = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let end = bytes.len().checked_sub(TRAILER)?;
        let mut trailer = Reader { bytes: &bytes[end..] };
        let (length, crc_written) = (trailer.u64()?, trailer.u32()?);
        let (fingerprint, body) = header(&bytes[..end], format)?;
        if length != end as u64 || !wanted(fingerprint) {
            return None;
        }
        let fingerprint = fingerprint.to_owned();
        let start = end - body.len();
        let body = Body { bytes, start, end };
        // checked a piece at a time, each let go once summed: the file is read again as its
        // contents are copied out, a piece at a time too
        let mut crc = crc32fast::Hasher::new();
        for checked in (0..end).step_by(CHECKED_AT_ONCE) {
            let to = (checked + CHECKED_AT_ONCE).min(end);
            crc.update(&body.bytes[checked..to]);
            body.let_go(&body.bytes[..to]);
        }
        (crc.finalize() == crc_written).then_some((fingerprint, body))
    }

    /// Replace the file with `body` in `format`, atomically.
    ///
    /// # Errors
    /// The folder cannot be written.
    pub fn write(&self, format: u32, body: &[u8]) -> std::io::Result<()> {
        self.write_with(format, |out| out.write_all(body))
    }

    /// Replace the file with the body `body` writes to its writer, in `format`, atomically:
    /// streamed, as a large study's rule matches run to hundreds of megabytes.
    ///
    /// # Errors
    /// The folder cannot be written, or `body` fails.
    pub fn write_with(
        &self,
        format: u32,
        body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut header = MAGIC.to_vec();
        push_u32(&mut header, format);
        push_text(&mut header, &self.fingerprint);
        // on failure, the temporary file is removed as it is dropped
        let (temporary, file) = self.temporary()?;
        // buffered before the checksum: bodies are written a few bytes at a time
        let summing = Checksummed { inner: file, crc: crc32fast::Hasher::new(), length: 0 };
        let mut out = std::io::BufWriter::with_capacity(1 << 20, summing);
        out.write_all(&header)?;
        body(&mut out)?;
        let Checksummed { inner: mut file, crc, length } =
            out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        let mut trailer = Vec::with_capacity(TRAILER);
        push_u64(&mut trailer, length);
        push_u32(&mut trailer, crc.finalize());
        // not synced to disk: a file torn by a power cut fails its checksum and is derived
        // again
        file.write_all(&trailer)?;
        temporary.put_in_place(|written| std::fs::rename(written, &self.path))
    }

    /// Start replacing the file with a body in `format` written piece by piece at known
    /// places ([`Positioned`]), rather than streamed from its start: a body whose parts are
    /// made side by side, each into its own place, is written once, where streamed they
    /// were each spooled to a file of their own first and copied after.
    ///
    /// # Errors
    /// The folder cannot be written.
    pub fn positioned(&self, format: u32) -> std::io::Result<Positioned> {
        let mut header = MAGIC.to_vec();
        push_u32(&mut header, format);
        push_text(&mut header, &self.fingerprint);
        let (temporary, file) = self.temporary()?;
        let mut header_crc = crc32fast::Hasher::new();
        header_crc.update(&header);
        let positioned = Positioned {
            file,
            temporary,
            path: self.path.clone(),
            body_start: header.len() as u64,
            header_crc,
        };
        // once made, a failure leaves no temporary file behind (its `Temporary` dropped)
        crate::files::write_at(&positioned.file, &header, 0)?;
        Ok(positioned)
    }

    /// The temporary file the file is written into before it is renamed into place (what
    /// processes killed while writing it left removed first), made.
    fn temporary(&self) -> std::io::Result<(crate::files::Temporary, std::fs::File)> {
        let dir = self.path.parent().unwrap_or(std::path::Path::new("."));
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        crate::files::Temporary::claim_making(dir, &format!("{name}.tmp-"), |path| {
            std::fs::File::create(path)
        })
    }
}

/// A cache file being written piece by piece at places in its body ([`CacheFile::positioned`]),
/// under a temporary name: put in place whole by [`Positioned::commit`], removed if dropped
/// before.
pub struct Positioned {
    file: std::fs::File,
    temporary: crate::files::Temporary,
    path: PathBuf,
    /// Where the body starts in the file: after the header.
    body_start: u64,
    /// The header's CRC-32, the start of the file's.
    header_crc: crc32fast::Hasher,
}

impl Positioned {
    /// Write `bytes` at `offset` in the body.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn write_at(&self, bytes: &[u8], offset: u64) -> std::io::Result<()> {
        crate::files::write_at(&self.file, bytes, self.body_start + offset)
    }

    /// Put the file in place: its body is the first `length` bytes written, whose CRC-32
    /// (`crc`, of all `length` of them, in order) the writer kept as it wrote them.
    ///
    /// # Errors
    /// The file cannot be written or renamed.
    pub fn commit(self, length: u64, crc: &crc32fast::Hasher) -> std::io::Result<()> {
        let mut whole = self.header_crc.clone();
        whole.combine(crc);
        let length = self.body_start + length;
        let mut trailer = Vec::with_capacity(TRAILER);
        push_u64(&mut trailer, length);
        push_u32(&mut trailer, whole.finalize());
        crate::files::write_at(&self.file, &trailer, length)?;
        // not synced to disk: a file torn by a power cut fails its checksum (`write_with`)
        self.temporary.put_in_place(|written| std::fs::rename(written, &self.path))
    }
}

/// A writer that counts and checksums what passes through it.
struct Checksummed<W> {
    inner: W,
    crc: crc32fast::Hasher,
    length: u64,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.crc.update(&bytes[..n]);
        self.length += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The fingerprint and body of a cache file's `bytes` (trailer excluded), when they were
/// written in `format`.
fn header(bytes: &[u8], format: u32) -> Option<(&str, &[u8])> {
    let mut header = Reader { bytes: bytes.strip_prefix(MAGIC)? };
    if header.u32()? != format {
        return None;
    }
    let fingerprint = header.text()?;
    Some((fingerprint, header.bytes))
}

/// Write `numbers`, each little-endian, a block at a time (a large study's tables run to
/// hundreds of megabytes, never copied whole).
///
/// # Errors
/// Writing fails.
pub fn write_numbers<const N: usize>(
    out: &mut dyn Write,
    numbers: impl Iterator<Item = [u8; N]>,
) -> std::io::Result<()> {
    let mut block = Vec::with_capacity(1 << 16);
    for number in numbers {
        block.extend_from_slice(&number);
        if block.len() >= 1 << 16 {
            out.write_all(&block)?;
            block.clear();
        }
    }
    out.write_all(&block)
}

/// Append `n`, little-endian.
pub fn push_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// Append `n`, little-endian.
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// Append a file's stamp (its seven numbers), as [`Reader::stamp`] reads it.
pub fn push_stamp(out: &mut Vec<u8>, stamp: crate::files::Stamp) {
    for n in stamp.0 {
        push_u64(out, n);
    }
}

/// Append `text`, prefixed by its length (texts longer than 4 GB are not written whole, and
/// then do not read back: the cache is simply not used).
pub fn push_text(out: &mut Vec<u8>, text: &str) {
    push_u32(out, u32::try_from(text.len()).unwrap_or(u32::MAX));
    out.extend_from_slice(text.as_bytes());
}

/// Reads little-endian numbers and length-prefixed texts; `None` past the end. A copy reads
/// on from where the original was.
#[derive(Clone, Copy)]
pub struct Reader<'b> {
    bytes: &'b [u8],
}

impl<'b> Reader<'b> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader { bytes }
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Option<&'b [u8]> {
        let (taken, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(taken)
    }

    /// The next number.
    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    /// The next `n` numbers.
    pub fn u32s(&mut self, n: usize) -> Option<Vec<u32>> {
        let bytes = self.bytes(n.checked_mul(4)?)?;
        Some(bytes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }

    /// The next 64-bit number.
    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }

    /// The next `n` 64-bit numbers, read as they are asked for (a large study's lists of
    /// them run to tens of megabytes, and their readers keep them otherwise).
    pub fn u64s(&mut self, n: usize) -> Option<impl Iterator<Item = u64> + 'b> {
        let bytes = self.bytes(n.checked_mul(8)?)?;
        Some(bytes.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))))
    }

    /// A file's stamp, as [`push_stamp`] writes it.
    pub fn stamp(&mut self) -> Option<crate::files::Stamp> {
        let mut stamp = crate::files::Stamp::default();
        for n in &mut stamp.0 {
            *n = self.u64()?;
        }
        Some(stamp)
    }

    /// The next text.
    pub fn text(&mut self) -> Option<&'b str> {
        let length = self.u32()?;
        self.text_of(length)
    }

    /// The next text, of `length` bytes (its length read already).
    pub fn text_of(&mut self, length: u32) -> Option<&'b str> {
        std::str::from_utf8(self.bytes(length as usize)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Vec<u8> {
        let mut body = Vec::new();
        push_text(&mut body, "mentor*");
        push_u32(&mut body, 7);
        body
    }

    #[test]
    fn a_body_reads_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        file.write(3, &body()).expect("written");
        let read = file.read(3).expect("read back");
        let mut reader = read.reader();
        assert_eq!(reader.text(), Some("mentor*"));
        assert_eq!(reader.u32(), Some(7));
        assert!(reader.is_empty());
        assert_eq!(reader.u32(), None, "past the end");
    }

    #[test]
    fn damaged_or_foreign_files_are_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        file.write(3, &body()).expect("written");
        assert!(file.read(4).is_none(), "another format");
        assert!(CacheFile::new(dir.path(), "x.bin", "fingerprint B").read(3).is_none());
        let good = std::fs::read(file.path()).expect("read");
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(file.path(), &bad).expect("write");
            assert!(file.read(3).is_none(), "flipped byte {at} trusted");
        }
        for length in 0..good.len() {
            std::fs::write(file.path(), &good[..length]).expect("write");
            assert!(file.read(3).is_none(), "truncation to {length} trusted");
        }
    }

    /// A body larger than is checked at once is checked whole: a byte flipped in any
    /// piece is found.
    #[test]
    fn a_large_body_is_checked_in_every_piece() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        let body: Vec<u8> = (0..2 * CHECKED_AT_ONCE + 5000).map(|i| (i * 7 % 251) as u8).collect();
        file.write(3, &body).expect("written");
        assert_eq!(file.read(3).expect("intact").bytes(), &body[..]);
        let good = std::fs::read(file.path()).expect("read");
        for at in [100, CHECKED_AT_ONCE + 17, 2 * CHECKED_AT_ONCE + 4000] {
            let mut bad = good.clone();
            bad[at] ^= 1;
            std::fs::write(file.path(), &bad).expect("write");
            assert!(file.read(3).is_none(), "flipped byte {at} trusted");
        }
    }

    /// Pages let go read back as they were, whole or in part, from any thread; a slice of
    /// something else is ignored.
    #[test]
    fn a_body_let_go_reads_back_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        let body: Vec<u8> = (0..300_000).map(|i| (i * 13 % 253) as u8).collect();
        file.write(3, &body).expect("written");
        let read = file.read(3).expect("intact");
        let bytes = read.bytes();
        read.let_go(&bytes[1..70_001]);
        assert_eq!(bytes, &body[..]);
        std::thread::scope(|scope| {
            for part in bytes.chunks(50_000) {
                let read = &read;
                scope.spawn(move || read.let_go(part));
            }
        });
        read.let_go(&body[..]); // not of this body
        read.let_go(&bytes[..0]);
        assert_eq!(bytes, &body[..]);
        read.let_go(bytes);
        assert_eq!(read.reader().bytes(body.len()), Some(&body[..]));
    }

    /// Streamed in pieces, a body reads back as written at once; a body that fails midway
    /// leaves the file as it was and no temporary file behind.
    #[test]
    fn a_streamed_body_is_the_body_and_a_failed_one_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        // past the writer's buffer: hashed as it passes, on a thread of its own
        let large: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        file.write(3, &large).expect("written");
        let at_once = std::fs::read(file.path()).expect("read");
        file.write_with(3, |out| large.chunks(4093).try_for_each(|piece| out.write_all(piece)))
            .expect("written");
        assert_eq!(std::fs::read(file.path()).expect("read"), at_once);
        let failed = file.write_with(3, |out| {
            out.write_all(&large[..2_000_000])?;
            Err(std::io::Error::other("the body's data ran out"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(file.path()).expect("read"), at_once, "the file kept");
        assert_eq!(crate::files::tests::names(dir.path()), ["x.bin"], "no temporary file left");
    }

    /// Written piece by piece over the file there, a body reads back as written and leaves
    /// nothing beside it.
    #[test]
    fn a_positioned_body_replaces_the_file_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        file.write(3, &body()).expect("written");
        let replacement = b"a second body, written at its places";
        let positioned = file.positioned(3).expect("begun");
        positioned.write_at(&replacement[10..], 10).expect("written");
        positioned.write_at(&replacement[..10], 0).expect("written");
        let mut crc = crc32fast::Hasher::new();
        crc.update(replacement);
        positioned.commit(replacement.len() as u64, &crc).expect("put in place");
        assert_eq!(file.read(3).expect("intact").bytes(), replacement);
        assert_eq!(crate::files::tests::names(dir.path()), ["x.bin"], "nothing left beside it");
    }

    #[test]
    fn leftovers_of_killed_writers_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = CacheFile::new(dir.path(), "x.bin", "fingerprint A");
        // no process has a pid this high (Linux's limit is 2^22)
        let leftover = dir.path().join("x.bin.tmp-99999999");
        std::fs::write(&leftover, b"half").expect("write");
        file.write(3, &body()).expect("written");
        assert!(!leftover.exists());
        assert!(file.read(3).is_some());
    }
}
