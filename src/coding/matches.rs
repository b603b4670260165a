//! Each rule's matches — the segments it matched and the char ranges of the matched words —
//! kept beside the index, so a re-run after a codebook edit searches only for the rules that
//! changed.
//!
//! A rule's matches depend on nothing but its text, the study's segments and language and the
//! tool version (all fixed by the index's fingerprint; the index folder is replaced whenever
//! that changes), how rules match ([`MATCH_FORMAT`]) and which speakers are coded (one file
//! per speaker filter). The file starts with the match format and the index's fingerprint and ends with the SHA-256 of everything before it: a file that
//! fails either check, or does not parse, is ignored and rewritten, never trusted.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::query::MATCH_FORMAT;

const MAGIC: &[u8] = b"qualkit rule matches\n";

/// The matches of one rule, in ascending segment order: segment `i` is `segments[i]`, its
/// evidence `evidence[starts[i]..starts[i + 1]]` (document char ranges, in the order the
/// rule's words were found). Kept flat, as a large study has millions of matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RuleMatches {
    segments: Vec<u32>,
    starts: Vec<u32>,
    evidence: Vec<(u32, u32)>,
}

impl Default for RuleMatches {
    fn default() -> RuleMatches {
        RuleMatches { segments: Vec::new(), starts: vec![0], evidence: Vec::new() }
    }
}

impl RuleMatches {
    /// Add a match of segment `segment` (after every segment added so far). `None` when a
    /// number does not fit the file's 32 bits (a study of over four billion segments or
    /// characters in one document), in which case the matches are not cached.
    pub(super) fn push(
        &mut self,
        segment: usize,
        evidence: impl IntoIterator<Item = Range<usize>>,
    ) -> Option<()> {
        self.segments.push(u32::try_from(segment).ok()?);
        for range in evidence {
            self.evidence.push((u32::try_from(range.start).ok()?, u32::try_from(range.end).ok()?));
        }
        self.starts.push(u32::try_from(self.evidence.len()).ok()?);
        Some(())
    }

    /// The matches as (segment, evidence) pairs, in segment order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (usize, &[(u32, u32)])> {
        self.segments.iter().enumerate().map(|(i, &segment)| (segment as usize, self.evidence(i)))
    }

    /// The evidence of the `i`th match.
    pub(super) fn evidence(&self, i: usize) -> &[(u32, u32)] {
        &self.evidence[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        let length = |out: &mut Vec<u8>, n: usize| {
            out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
        };
        length(out, self.segments.len());
        for &n in self.segments.iter().chain(&self.starts) {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for &(start, end) in &self.evidence {
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&end.to_le_bytes());
        }
    }

    /// Read matches written by [`RuleMatches::write_to`], checking that they are well formed
    /// (segments ascending and below `segment_count`, evidence ranges in order).
    fn read_from(input: &mut Reader<'_>, segment_count: usize) -> Option<RuleMatches> {
        let count = input.u32()? as usize;
        let segments = input.u32s(count)?;
        let starts = input.u32s(count + 1)?;
        let evidence_count = *starts.last()? as usize;
        let flat = input.u32s(2 * evidence_count)?;
        let evidence: Vec<(u32, u32)> = flat.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        let well_formed = starts[0] == 0
            && starts.windows(2).all(|w| w[0] <= w[1])
            && segments.windows(2).all(|w| w[0] < w[1])
            && segments.last().is_none_or(|&n| (n as usize) < segment_count)
            && evidence.iter().all(|&(start, end)| start <= end);
        well_formed.then_some(RuleMatches { segments, starts, evidence })
    }
}

/// Where the matches of an index's rules are kept, and the fingerprint they belong to.
pub(super) struct MatchFile {
    path: PathBuf,
    fingerprint: String,
    segment_count: usize,
}

impl MatchFile {
    /// The file for the index in `index_dir` (whose fingerprint is `fingerprint`) and the
    /// speakers named `speakers`.
    pub(super) fn new(
        index_dir: &Path,
        fingerprint: &str,
        speakers: &str,
        segment_count: usize,
    ) -> MatchFile {
        MatchFile {
            path: index_dir.join(format!("rule-matches-{speakers}.bin")),
            fingerprint: fingerprint.to_owned(),
            segment_count,
        }
    }

    /// The cached matches by rule text; empty when the file is missing, damaged, or was
    /// written for another index.
    pub(super) fn read(&self) -> HashMap<String, RuleMatches> {
        std::fs::read(&self.path).ok().and_then(|bytes| self.parse(&bytes)).unwrap_or_default()
    }

    fn parse(&self, bytes: &[u8]) -> Option<HashMap<String, RuleMatches>> {
        let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
        if Sha256::digest(body).as_slice() != checksum {
            return None;
        }
        let mut input = Reader { bytes: body.strip_prefix(MAGIC)? };
        if input.u32()? != MATCH_FORMAT || input.text()? != self.fingerprint {
            return None;
        }
        let rules = input.u32()?;
        let mut matches = HashMap::new();
        for _ in 0..rules {
            let text = input.text()?.to_owned();
            matches.insert(text, RuleMatches::read_from(&mut input, self.segment_count)?);
        }
        input.bytes.is_empty().then_some(matches)
    }

    /// Replace the file with `rules`' matches, atomically (a temporary file renamed over it),
    /// so a killed run leaves the old file or the new one, never half of one.
    pub(super) fn write<'a>(
        &self,
        rules: impl ExactSizeIterator<Item = (&'a str, &'a RuleMatches)>,
    ) -> std::io::Result<()> {
        let mut body = MAGIC.to_vec();
        body.extend_from_slice(&MATCH_FORMAT.to_le_bytes());
        let text = |out: &mut Vec<u8>, text: &str| {
            out.extend_from_slice(&u32::try_from(text.len()).unwrap_or(u32::MAX).to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        };
        text(&mut body, &self.fingerprint);
        body.extend_from_slice(&u32::try_from(rules.len()).unwrap_or(u32::MAX).to_le_bytes());
        for (rule, matches) in rules {
            text(&mut body, rule);
            matches.write_to(&mut body);
        }
        let checksum = Sha256::digest(&body);
        self.remove_leftovers();
        let temporary = self.path.with_extension(format!("tmp-{}", std::process::id()));
        let written = std::fs::File::create(&temporary).and_then(|mut file| {
            file.write_all(&body)?;
            file.write_all(&checksum)?;
            file.sync_all()
        });
        match written.and_then(|()| std::fs::rename(&temporary, &self.path)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                Err(e)
            }
        }
    }
}

impl MatchFile {
    /// Remove the temporary files of processes killed while writing.
    fn remove_leftovers(&self) {
        let (Some(dir), Some(stem)) = (self.path.parent(), self.path.file_stem()) else {
            return;
        };
        let prefix = format!("{}.tmp-", stem.to_string_lossy());
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix(&prefix).and_then(|pid| pid.parse().ok());
            if pid.is_some_and(|pid| !crate::files::process_alive(pid)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Reads little-endian numbers and length-prefixed strings; `None` past the end.
struct Reader<'b> {
    bytes: &'b [u8],
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let (taken, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(taken)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u32s(&mut self, n: usize) -> Option<Vec<u32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(bytes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }

    fn text(&mut self) -> Option<&'b str> {
        let length = self.u32()? as usize;
        std::str::from_utf8(self.take(length)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RuleMatches {
        let mut matches = RuleMatches::default();
        matches.push(2, [3..7, 10..12]).expect("fits");
        matches.push(5, []).expect("fits");
        matches.push(9, std::iter::once(0..1)).expect("fits");
        matches
    }

    fn file(dir: &Path) -> MatchFile {
        MatchFile::new(dir, "fingerprint A", "respondents", 10)
    }

    #[test]
    fn matches_read_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let matches = sample();
        file(dir.path()).write([("mentor*", &matches)].into_iter()).expect("written");
        let read = file(dir.path()).read();
        assert_eq!(read.len(), 1);
        assert_eq!(read["mentor*"], matches);
        let listed: Vec<(usize, Vec<(u32, u32)>)> =
            read["mentor*"].iter().map(|(n, e)| (n, e.to_vec())).collect();
        assert_eq!(listed, vec![(2, vec![(3, 7), (10, 12)]), (5, vec![]), (9, vec![(0, 1)])]);
    }

    #[test]
    fn damaged_or_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let matches = sample();
        file(dir.path()).write([("mentor*", &matches)].into_iter()).expect("written");
        let path = dir.path().join("rule-matches-respondents.bin");
        let good = std::fs::read(&path).expect("read");
        // another index's fingerprint
        assert!(MatchFile::new(dir.path(), "fingerprint B", "respondents", 10).read().is_empty());
        // fewer segments than the file names
        assert!(MatchFile::new(dir.path(), "fingerprint A", "respondents", 9).read().is_empty());
        // any flipped byte, any truncation
        for at in [0, MAGIC.len() + 2, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&path, &bad).expect("write");
            assert!(file(dir.path()).read().is_empty(), "flipped byte {at} trusted");
        }
        for length in [0, 10, good.len() - 33, good.len() - 1] {
            std::fs::write(&path, &good[..length]).expect("write");
            assert!(file(dir.path()).read().is_empty(), "truncation to {length} trusted");
        }
    }

    #[test]
    fn leftovers_of_killed_writers_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        // no process has a pid this high (the kernel's limit is 2^22)
        let leftover = dir.path().join("rule-matches-respondents.tmp-99999999");
        std::fs::write(&leftover, b"half").expect("write");
        file(dir.path()).write([("mentor*", &sample())].into_iter()).expect("written");
        assert!(!leftover.exists());
        assert_eq!(file(dir.path()).read().len(), 1);
    }

    #[test]
    fn numbers_beyond_32_bits_are_refused_not_wrapped() {
        let mut matches = RuleMatches::default();
        assert!(matches.push(1 << 33, []).is_none());
        assert!(RuleMatches::default().push(1, std::iter::once(0..(1 << 33))).is_none());
    }
}
