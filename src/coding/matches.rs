//! Each rule's matches — the segments it matched and the char ranges of the matched words —
//! kept beside the index (`index::CacheFile`), so a re-run after a codebook edit searches
//! only for the rules that changed.
//!
//! A rule's matches depend on nothing but its text, the study's segments, language and
//! reading of words (marks, word breaks) and the tool version (all fixed by the index's
//! fingerprint, which the file records), how rules
//! match ([`MATCH_FORMAT`], recorded too) and which speakers are coded (one file per speaker
//! filter).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::evidence::{Evidence, EvidenceWriter, evidence_after_length, put_length_before};
use crate::index::{CacheFile, Carried, Reader, SegmentIndex, push_text, push_u32};
use crate::query::MATCH_FORMAT;

/// Segment numbers one block of a rule's matches spans: block `k` holds the matches of
/// segments `k * MATCH_BLOCK..(k + 1) * MATCH_BLOCK`. Codings are assembled a block's
/// segments at a time, and each rule's block is let go once its segments are coded, so a
/// large study never holds every rule's matches and every coding at once (at 1 GB of
/// transcripts the matches are about 450 MB).
pub(super) const MATCH_BLOCK: u32 = 1 << 16;

/// The file's format: how rules match ([`MATCH_FORMAT`]), and in the low byte how the file
/// lays out their matches (2: block by block, as they are held, [`RuleMatches::write_to`]).
const FILE_FORMAT: u32 = MATCH_FORMAT << 8 | 2;

/// The matches of one rule, in ascending segment order, in blocks of segment numbers
/// ([`MATCH_BLOCK`]). Kept flat within a block, as a large study has millions of matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RuleMatches {
    /// Segment numbers per block.
    width: u32,
    /// The blocks that hold matches, ascending: shared, so that the cache's writer and the
    /// assembly of codings each let a block go when done with it.
    blocks: Vec<Arc<Block>>,
}

/// One block's matches, in segment order: each one's segment, less the block's first
/// segment number (two bytes: a block spans at most 2¹⁶ segment numbers), and its evidence,
/// after its length (`evidence::put_length_before`; document char ranges, in the order the
/// rule's words were found, as `evidence::push_evidence` writes them). Read in order, or
/// one match's evidence at where it starts ([`Block::matches`] says where): two bytes and
/// a length a match, where a 32-bit segment number and where its evidence starts were 8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    number: u32,
    /// The block's first segment number.
    first: u32,
    offsets: Vec<u16>,
    evidence: Vec<u8>,
}

impl Block {
    fn new(number: u32, width: u32) -> Block {
        Block { number, first: number * width, offsets: Vec::new(), evidence: Vec::new() }
    }

    /// Let go of the room its lists grew into, once its matches are all found: lists that
    /// grow by doubling hold a third more than their matches on average, and a large
    /// study holds every rule's matches until they are coded (a list is copied, as
    /// mimalloc keeps a block that shrinks by less than half).
    fn fit(&mut self) {
        fn fit<T: Copy>(list: &mut Vec<T>) {
            if list.capacity() - list.len() > list.len() / 8 {
                *list = list.to_vec();
            }
        }
        fit(&mut self.offsets);
        fit(&mut self.evidence);
    }

    /// Add a match of `segment` (in the block, after every segment added so far) with
    /// `evidence`; `None` (and nothing added) when a range does not fit 32 bits or the
    /// block's evidence comes to 4 GiB.
    fn push(
        &mut self,
        segment: u32,
        evidence: impl IntoIterator<Item = Range<usize>>,
    ) -> Option<()> {
        let length_at = self.evidence.len();
        self.evidence.push(0);
        let mut writer = EvidenceWriter::default();
        for range in evidence {
            let Some(range) = u32::try_from(range.start).ok().zip(u32::try_from(range.end).ok())
            else {
                self.evidence.truncate(length_at);
                return None;
            };
            writer.push(&mut self.evidence, range.0..range.1);
        }
        put_length_before(&mut self.evidence, length_at);
        if u32::try_from(self.evidence.len()).is_err() {
            self.evidence.truncate(length_at);
            return None;
        }
        self.offsets.push(u16::try_from(segment - self.first).expect("a segment of the block"));
        Some(())
    }

    /// The block's number: it holds segments `number * width..(number + 1) * width`.
    pub(super) fn number(&self) -> u32 {
        self.number
    }

    /// The segments matched, ascending.
    pub(super) fn segments(&self) -> impl Iterator<Item = u32> + '_ {
        self.offsets.iter().map(|&offset| self.first + u32::from(offset))
    }

    /// How many matches it holds.
    pub(super) fn len(&self) -> usize {
        self.offsets.len()
    }

    /// The matches in order: each one's segment, where its evidence starts (what
    /// [`Block::evidence_at`] reads) and its evidence.
    pub(super) fn matches(&self) -> impl Iterator<Item = (u32, u32, Evidence<'_>)> + '_ {
        let mut at = 0;
        self.segments().map(move |segment| {
            let start = at;
            let (evidence, next) = evidence_after_length(&self.evidence, at);
            at = next;
            // `push` kept the evidence under 4 GiB
            (segment, start as u32, evidence)
        })
    }

    /// The evidence of the match whose evidence starts at `at` ([`Block::matches`]).
    pub(super) fn evidence_at(&self, at: u32) -> Evidence<'_> {
        evidence_after_length(&self.evidence, at as usize).0
    }
}

impl Default for RuleMatches {
    fn default() -> RuleMatches {
        RuleMatches::with_width(MATCH_BLOCK)
    }
}

impl RuleMatches {
    /// No matches yet, in blocks of `width` segment numbers (tests use narrow ones).
    pub(super) fn with_width(width: u32) -> RuleMatches {
        assert!(width > 0, "a block spans at least one segment");
        assert!(width <= 1 << 16, "a block's segments are numbered in 16 bits");
        RuleMatches { width, blocks: Vec::new() }
    }

    /// Segment numbers per block.
    pub(super) fn width(&self) -> u32 {
        self.width
    }

    /// Add a match of segment `segment` (after every segment added so far). `None` when a
    /// number does not fit the file's 32 bits (a study of over four billion segments or
    /// characters in one document), in which case the matches are not cached.
    pub(super) fn push(
        &mut self,
        segment: usize,
        evidence: impl IntoIterator<Item = Range<usize>>,
    ) -> Option<()> {
        let segment = u32::try_from(segment).ok()?;
        let number = segment / self.width;
        if self.blocks.last().is_none_or(|block| block.number != number) {
            if let Some(done) = self.blocks.last_mut() {
                Arc::make_mut(done).fit();
            }
            self.blocks.push(Arc::new(Block::new(number, self.width)));
        }
        // a block is shared only once the matches are found: this copies nothing then
        let block = Arc::make_mut(self.blocks.last_mut().expect("a block was just added"));
        block.push(segment, evidence)
    }

    /// The segments matched, ascending.
    pub(super) fn segments(&self) -> impl Iterator<Item = u32> + '_ {
        self.blocks.iter().flat_map(|block| block.segments())
    }

    /// The blocks, ascending.
    pub(super) fn blocks(&self) -> &[Arc<Block>] {
        &self.blocks
    }

    /// The blocks, ascending, each let go as the caller is done with it.
    pub(super) fn into_blocks(self) -> std::vec::IntoIter<Arc<Block>> {
        self.blocks.into_iter()
    }

    /// These matches, found before an update of the index in place (`carried`), renumbered
    /// as the segments are now, those of files changed or removed left out, and merged with
    /// `fresh`, the matches among the segments of the files changed or added. `None` when a
    /// number does not fit 32 bits ([`RuleMatches::push`]).
    pub(super) fn carried_over(
        &self,
        fresh: RuleMatches,
        carried: &Carried,
    ) -> Option<RuleMatches> {
        let ranges = |evidence: Evidence<'_>| {
            evidence.into_iter().map(|r| r.start as usize..r.end as usize).collect::<Vec<_>>()
        };
        let mut merged = RuleMatches::with_width(self.width);
        let mut fresh = fresh.blocks.iter().flat_map(|block| block.matches()).peekable();
        for block in &self.blocks {
            for (before, _, evidence) in block.matches() {
                let Some(now) = carried.number_now(before as usize) else { continue };
                while let Some((segment, _, evidence)) = fresh.next_if(|m| (m.0 as usize) < now) {
                    merged.push(segment as usize, ranges(evidence))?;
                }
                merged.push(now, ranges(evidence))?;
            }
        }
        for (segment, _, evidence) in fresh {
            merged.push(segment as usize, ranges(evidence))?;
        }
        if let Some(last) = merged.blocks.last_mut() {
            Arc::make_mut(last).fit();
        }
        Some(merged)
    }

    /// The matches as (segment, evidence) pairs, in segment order.
    #[cfg(test)]
    pub(super) fn iter(&self) -> impl Iterator<Item = (usize, Evidence<'_>)> {
        self.blocks.iter().flat_map(|block| {
            block.matches().map(|(segment, _, evidence)| (segment as usize, evidence))
        })
    }

    /// Write the matches block by block, as they are held: the width, the count of blocks,
    /// then each block's number, count of matches and length of evidence, its segments
    /// (less its first, two bytes each) and its evidence. Read back with no more than a copy
    /// and a check: a re-code reads every rule's matches before it can plan.
    fn write_to(&self, out: &mut Vec<u8>) {
        push_u32(out, self.width);
        // every count fits: a block holds at most 2¹⁶ matches, `Block::push` kept its
        // evidence under 4 GiB
        push_u32(out, self.blocks.len() as u32);
        for block in &self.blocks {
            push_u32(out, block.number);
            push_u32(out, block.offsets.len() as u32);
            push_u32(out, block.evidence.len() as u32);
            out.extend(block.offsets.iter().flat_map(|offset| offset.to_le_bytes()));
            out.extend_from_slice(&block.evidence);
        }
    }

    /// Pass over matches written by [`RuleMatches::write_to`] without reading them.
    fn skip(input: &mut Reader<'_>) -> Option<()> {
        let _width = input.u32()?;
        for _ in 0..input.u32()? {
            let (_number, count, length) = (input.u32()?, input.u32()?, input.u32()?);
            input.bytes((count as usize).checked_mul(2)?.checked_add(length as usize)?)?;
        }
        Some(())
    }

    /// Read matches written by [`RuleMatches::write_to`], checking that they are well formed:
    /// blocks of [`MATCH_BLOCK`] segment numbers, ascending; segments ascending and below
    /// `segment_count`; each match's evidence inside its block's and its ranges within 32
    /// bits (the file's checksum catches damage; this, a file that was never ours).
    fn read_from(input: &mut Reader<'_>, segment_count: usize) -> Option<RuleMatches> {
        let mut matches = RuleMatches::default();
        if input.u32()? != matches.width {
            return None;
        }
        let blocks = input.u32()?;
        let mut after = None;
        for _ in 0..blocks {
            let (number, count, length) = (input.u32()?, input.u32()?, input.u32()?);
            number.checked_mul(matches.width)?.checked_add(matches.width - 1)?;
            let mut block = Block::new(number, matches.width);
            let offsets = input.bytes((count as usize).checked_mul(2)?)?;
            block.offsets =
                offsets.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
            block.evidence = input.bytes(length as usize)?.to_vec();
            let last = block.segments().last()?;
            let well_formed = after.is_none_or(|after| number > after)
                && block.offsets.windows(2).all(|w| w[0] < w[1])
                && (last as usize) < segment_count
                && evidence_well_formed(&block.evidence, block.offsets.len());
            if !well_formed {
                return None;
            }
            after = Some(number);
            matches.blocks.push(Arc::new(block));
        }
        Some(matches)
    }
}

/// Whether `bytes` are `count` records of evidence one after another (as `Block::push`
/// writes them), each of ranges within 32 bits, and nothing more.
fn evidence_well_formed(bytes: &[u8], count: usize) -> bool {
    let mut at = 0;
    for _ in 0..count {
        // each record starts with its length, a byte at least
        let Some(mut rest) = bytes.get(at..).filter(|rest| !rest.is_empty()) else {
            return false;
        };
        let length = crate::varint::read_number(&mut rest);
        let start = bytes.len() - rest.len();
        let Some(end) = usize::try_from(length).ok().and_then(|l| start.checked_add(l)) else {
            return false;
        };
        if end > bytes.len() || !ranges_within_32_bits(&bytes[start..end]) {
            return false;
        }
        at = end;
    }
    at == bytes.len()
}

/// Whether the ranges one record of evidence holds each start and end within 32 bits, as
/// [`crate::coding::evidence::EvidenceIter`] would read them.
fn ranges_within_32_bits(mut record: &[u8]) -> bool {
    use crate::varint::{read_number, unzigzag};
    let mut end: i64 = 0;
    while !record.is_empty() {
        let distance = unzigzag(read_number(&mut record));
        let length = read_number(&mut record);
        let Some(start) = end.checked_add(distance) else { return false };
        let Some(stop) = i64::try_from(length).ok().and_then(|l| start.checked_add(l)) else {
            return false;
        };
        if start < 0 || stop > i64::from(u32::MAX) {
            return false;
        }
        end = stop;
    }
    true
}

/// Where the matches of an index's rules are kept for one speaker filter.
pub(super) struct MatchFile {
    file: CacheFile,
    segment_count: usize,
}

impl MatchFile {
    /// The file of `index`'s matches among `speakers` (none for an index in memory).
    pub(super) fn of(index: &SegmentIndex, speakers: &str) -> Option<MatchFile> {
        let file = index.cache_file(&format!("rule-matches-{speakers}.bin"))?;
        Some(MatchFile { file, segment_count: index.segment_count() })
    }

    /// The file of `index`'s matches among `speakers` as it was before the update in place
    /// that made the index (none for an index built afresh).
    pub(super) fn before_update(index: &SegmentIndex, speakers: &str) -> Option<MatchFile> {
        let file = index.cache_file_before_update(&format!("rule-matches-{speakers}.bin"))?;
        Some(MatchFile { file, segment_count: index.carried()?.old_count() })
    }

    /// The cached matches by rule text; empty when the file is missing, damaged, or was
    /// written for another index or match format.
    pub(super) fn read(&self) -> HashMap<String, RuleMatches> {
        self.parse().unwrap_or_default()
    }

    fn parse(&self) -> Option<HashMap<String, RuleMatches>> {
        use rayon::prelude::*;
        let body = self.file.read(FILE_FORMAT)?;
        let mut input = body.reader();
        let rules = input.u32()?;
        // each rule's section found, then read in parallel: a re-code waits for the whole
        // file (tens of megabytes at 100 MB of transcripts) before it can plan
        let mut sections = Vec::new();
        for _ in 0..rules {
            let text = input.text()?;
            let mut section = input;
            RuleMatches::skip(&mut input)?;
            sections.push((text, section.bytes(section.remaining() - input.remaining())?));
        }
        if !input.is_empty() {
            return None;
        }
        // finding the sections mapped a page of each, and with it the rest of its folio:
        // most of the file
        body.let_go(body.bytes());
        // copied out a few rules at a time, their mapped sections then let go together: a
        // rule's section is often a few pages, and each call to let go stops the other core
        // for a TLB flush
        const SECTIONS_LET_GO_AT_ONCE: usize = 16;
        let start_of = |bytes: &[u8]| bytes.as_ptr() as usize - body.bytes().as_ptr() as usize;
        let groups = sections.par_chunks(SECTIONS_LET_GO_AT_ONCE).map(|group| {
            let read: Option<Vec<(String, RuleMatches)>> = (group.iter())
                .map(|(text, bytes)| {
                    let mut section = Reader::new(bytes);
                    let matches = RuleMatches::read_from(&mut section, self.segment_count)?;
                    section.is_empty().then(|| ((*text).to_owned(), matches))
                })
                .collect();
            let (first, last) = (group[0].1, group[group.len() - 1].1);
            body.let_go(&body.bytes()[start_of(first)..start_of(last) + last.len()]);
            read
        });
        let groups: Option<Vec<Vec<(String, RuleMatches)>>> = groups.collect();
        Some(groups?.into_iter().flatten().collect())
    }

    /// Replace the file with `rules`' matches, letting each rule's go once written (the
    /// assembly of codings lets each block go too: whichever is last frees it).
    pub(super) fn write(
        &self,
        rules: impl ExactSizeIterator<Item = (String, RuleMatches)>,
    ) -> std::io::Result<()> {
        self.file.write_with(FILE_FORMAT, |out| {
            // one rule at a time: a large study's matches run to hundreds of megabytes
            let mut section = Vec::new();
            out.write_all(&u32::try_from(rules.len()).unwrap_or(u32::MAX).to_le_bytes())?;
            for (rule, matches) in rules {
                section.clear();
                push_text(&mut section, &rule);
                matches.write_to(&mut section);
                out.write_all(&section)?;
            }
            Ok(())
        })
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

    fn file(dir: &std::path::Path, fingerprint: &str, segment_count: usize) -> MatchFile {
        let file = CacheFile::new(dir, "rule-matches-respondents.bin", fingerprint);
        MatchFile { file, segment_count }
    }

    #[test]
    fn matches_read_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let matches = sample();
        let written = [("mentor*".to_owned(), matches.clone())];
        file(dir.path(), "A", 10).write(written.into_iter()).expect("written");
        let read = file(dir.path(), "A", 10).read();
        assert_eq!(read.len(), 1);
        assert_eq!(read["mentor*"], matches);
        let listed: Vec<(usize, Vec<Range<u32>>)> =
            read["mentor*"].iter().map(|(n, e)| (n, e.to_vec())).collect();
        assert_eq!(listed, vec![(2, vec![3..7, 10..12]), (5, vec![]), (9, vec![0..1; 1])]);
    }

    /// Several rules' sections, read in parallel, come back each under its rule; a body
    /// whose sections do not add up (one cut short, or bytes left over) reads as no matches
    /// at all.
    #[test]
    fn every_rule_reads_back_and_a_cut_file_reads_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut other = RuleMatches::default();
        other.push(0, std::iter::once(1..2)).expect("fits");
        let rules = [("mentor*", sample()), ("=target", RuleMatches::default()), ("goal*", other)];
        let written = file(dir.path(), "A", 10);
        written
            .write(rules.iter().map(|(text, m)| ((*text).to_owned(), m.clone())))
            .expect("written");
        let read = file(dir.path(), "A", 10).read();
        assert_eq!(read.len(), rules.len());
        for (text, matches) in &rules {
            assert_eq!(&read[*text], matches, "{text}");
        }
        // bodies whose sections do not add up, in intact files
        let mut body = Vec::new();
        push_u32(&mut body, rules.len() as u32);
        for (text, matches) in &rules {
            push_text(&mut body, text);
            matches.write_to(&mut body);
        }
        let cache = CacheFile::new(dir.path(), "rule-matches-respondents.bin", "A");
        for wrong in [&body[..body.len() - 8], &[&body[..], &[0]].concat()[..]] {
            cache.write(FILE_FORMAT, wrong).expect("written");
            assert!(file(dir.path(), "A", 10).read().is_empty(), "{} bytes", wrong.len());
        }
        cache.write(FILE_FORMAT, &body).expect("written");
        assert_eq!(file(dir.path(), "A", 10).read().len(), rules.len());
    }

    /// A block's lists hold no more room than its matches once the next block begins.
    #[test]
    fn a_block_done_is_fitted_to_its_matches() {
        let mut matches = RuleMatches::with_width(1000);
        for n in 0..900 {
            matches.push(n, [n..n + 1, n + 2..n + 3]).expect("fits");
        }
        let growing = &matches.blocks[0];
        assert!(growing.offsets.capacity() > growing.offsets.len() + 900 / 8, "grown by doubling");
        matches.push(1000, std::iter::once(0..1)).expect("fits");
        let done = &matches.blocks[0];
        assert_eq!(done.offsets.capacity(), 900);
        assert_eq!(done.evidence.capacity(), done.evidence.len());
        let (segment, at, evidence) = done.matches().last().expect("900 matches");
        assert_eq!((segment, evidence.to_vec()), (899, vec![899..900, 901..902]));
        assert_eq!(done.evidence_at(at), evidence);
    }

    /// Matches in several blocks are written block by block, as they are held (segments
    /// less the block's first, evidence as encoded), and read back into the same blocks.
    #[test]
    fn matches_in_several_blocks_are_written_as_held_and_read_back_alike() {
        let width = MATCH_BLOCK as usize;
        let matched = [
            (3, std::iter::once(1..2).collect()),
            (width - 1, vec![]),
            (width, vec![5..9, 10..11]),
            (3 * width + 7, std::iter::once(0..4).collect()),
        ];
        let mut matches = RuleMatches::default();
        for (n, evidence) in matched.iter().cloned() {
            matches.push(n, evidence).expect("fits");
        }
        let numbers: Vec<u32> = matches.blocks.iter().map(|b| b.number()).collect();
        assert_eq!(numbers, vec![0, 1, 3]);
        let mut written = Vec::new();
        matches.write_to(&mut written);
        let mut expected = Vec::new();
        // width, blocks; block 0: two matches, evidence 1..2 (distance 1, length 1) and none
        for n in [MATCH_BLOCK, 3, 0, 2, 4] {
            push_u32(&mut expected, n);
        }
        expected.extend([3, 0, 0xff, 0xff, 2, 2, 1, 0]);
        // block 1: 5..9 and 10..11 (distance 1 from 9, zigzag 2); block 3: 0..4
        for n in [1, 1, 5] {
            push_u32(&mut expected, n);
        }
        expected.extend([0, 0, 4, 10, 4, 2, 1]);
        for n in [3, 1, 3] {
            push_u32(&mut expected, n);
        }
        expected.extend([7, 0, 2, 0, 4]);
        assert_eq!(written, expected);
        let dir = tempfile::tempdir().expect("temp dir");
        let segments = 4 * width;
        let rules = [("mentor*".to_owned(), matches.clone())];
        file(dir.path(), "A", segments).write(rules.into_iter()).expect("written");
        let read = file(dir.path(), "A", segments).read();
        assert_eq!(read["mentor*"], matches);
        let listed: Vec<(usize, Vec<Range<u32>>)> =
            read["mentor*"].iter().map(|(n, e)| (n, e.to_vec())).collect();
        let expected: Vec<(usize, Vec<Range<u32>>)> = matched
            .iter()
            .map(|(n, e)| (*n, e.iter().map(|r| r.start as u32..r.end as u32).collect()))
            .collect();
        assert_eq!(listed, expected);
    }

    /// A rule's section as [`RuleMatches::write_to`] lays it out, from its parts as given
    /// (well formed or not).
    fn section(width: u32, blocks: &[(u32, &[u16], &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        push_u32(&mut out, width);
        push_u32(&mut out, blocks.len() as u32);
        for (number, offsets, evidence) in blocks {
            for n in [*number, offsets.len() as u32, evidence.len() as u32] {
                push_u32(&mut out, n);
            }
            out.extend(offsets.iter().flat_map(|offset| offset.to_le_bytes()));
            out.extend_from_slice(evidence);
        }
        out
    }

    /// Sections that are intact (their file's checksum holds) but not what `write_to`
    /// makes are read as no matches at all: blocks of another width, blocks or segments out
    /// of order, evidence that does not fill its block exactly, ranges outside 32 bits.
    #[test]
    fn sections_not_as_written_read_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = CacheFile::new(dir.path(), "rule-matches-respondents.bin", "A");
        let read = |section: Vec<u8>| {
            let mut body = Vec::new();
            push_u32(&mut body, 1);
            push_text(&mut body, "mentor*");
            body.extend(section);
            cache.write(FILE_FORMAT, &body).expect("written");
            file(dir.path(), "A", 4 * MATCH_BLOCK as usize).read()
        };
        // two matches: 1..2 (distance 1, length 1), and none
        let evidence: &[u8] = &[2, 2, 1, 0];
        let good = read(section(MATCH_BLOCK, &[(0, &[3, 7], evidence), (2, &[0], &[0])]));
        let listed: Vec<(usize, Vec<Range<u32>>)> =
            good["mentor*"].iter().map(|(n, e)| (n, e.to_vec())).collect();
        let block_two = 2 * MATCH_BLOCK as usize;
        assert_eq!(listed, vec![(3, vec![1..2; 1]), (7, vec![]), (block_two, vec![])]);
        let wrong: [(&str, Vec<u8>); 9] = [
            ("another width", section(MATCH_BLOCK / 2, &[(0, &[3, 7], evidence)])),
            ("blocks out of order", section(MATCH_BLOCK, &[(2, &[0], &[0]), (0, &[3], &[0])])),
            ("a block twice", section(MATCH_BLOCK, &[(0, &[3], &[0]), (0, &[5], &[0])])),
            ("segments out of order", section(MATCH_BLOCK, &[(0, &[7, 3], evidence)])),
            ("an empty block", section(MATCH_BLOCK, &[(0, &[], &[])])),
            ("evidence short of its matches", section(MATCH_BLOCK, &[(0, &[3, 7], &[2, 2, 1])])),
            ("evidence left over", section(MATCH_BLOCK, &[(0, &[3, 7], &[2, 2, 1, 0, 0])])),
            // a distance of -1 from 0 (zigzag 1)
            ("a range before 0", section(MATCH_BLOCK, &[(0, &[3], &[2, 1, 1])])),
            // starting at 2³² - 1 (zigzag 2³³ - 2) and two long
            (
                "a range past 32 bits",
                section(MATCH_BLOCK, &[(0, &[3], &[7, 0xfe, 0xff, 0xff, 0xff, 0x3f, 2])]),
            ),
        ];
        for (why, section) in wrong {
            assert!(read(section).is_empty(), "{why}");
        }
    }

    #[test]
    fn matches_of_another_index_or_beyond_its_segments_are_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let written = [("mentor*".to_owned(), sample())];
        file(dir.path(), "A", 10).write(written.into_iter()).expect("written");
        assert!(file(dir.path(), "B", 10).read().is_empty(), "another index");
        // intact, but naming segment 9 of an index with nine
        assert!(file(dir.path(), "A", 9).read().is_empty(), "beyond the segments");
    }

    #[test]
    fn numbers_beyond_32_bits_are_refused_not_wrapped() {
        let mut matches = RuleMatches::default();
        assert!(matches.push(1 << 33, []).is_none());
        assert!(RuleMatches::default().push(1, std::iter::once(0..(1 << 33))).is_none());
    }
}
