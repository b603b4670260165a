//! A coding's evidence, the char ranges of its matched words, kept as bytes: a large study
//! has tens of millions of codings and twice as many ranges, which as pairs of 32-bit
//! numbers were about 250 MB at 1 GB of transcripts. Each range is written as the distance
//! from where the one before it ended (zigzag-encoded, as a range may come before the one
//! before it) and its length, each a LEB128 number: words a few characters apart and a
//! few characters long take a byte each. A coding's ranges are written apart from any
//! other's (the first from 0), so the bytes of codings can be joined as they are.

use std::ops::Range;

use crate::varint::{push_number, read_number, unzigzag, zigzag};

/// Char ranges as `push_evidence` encodes them: a view of a coding's evidence.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Evidence<'a> {
    bytes: &'a [u8],
}

impl<'a> Evidence<'a> {
    /// The evidence whose ranges `bytes` holds, as [`push_evidence`] wrote them.
    #[cfg(test)]
    pub(super) fn from_bytes(bytes: &'a [u8]) -> Evidence<'a> {
        Evidence { bytes }
    }

    /// The ranges, in the order they were written.
    pub fn iter(&self) -> EvidenceIter<'a> {
        EvidenceIter { bytes: self.bytes, end: 0 }
    }

    /// Whether there are no ranges.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The ranges as a list.
    pub fn to_vec(&self) -> Vec<Range<u32>> {
        self.iter().collect()
    }

    /// The encoded bytes.
    pub(super) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl std::fmt::Debug for Evidence<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for Evidence<'a> {
    type Item = Range<u32>;
    type IntoIter = EvidenceIter<'a>;

    fn into_iter(self) -> EvidenceIter<'a> {
        self.iter()
    }
}

/// The ranges of an [`Evidence`], in order.
#[derive(Debug, Clone)]
pub struct EvidenceIter<'a> {
    bytes: &'a [u8],
    /// Where the range before ended.
    end: u32,
}

impl Iterator for EvidenceIter<'_> {
    type Item = Range<u32>;

    fn next(&mut self) -> Option<Range<u32>> {
        if self.bytes.is_empty() {
            return None;
        }
        let distance = unzigzag(read_number(&mut self.bytes));
        let length = read_number(&mut self.bytes);
        // what `push_evidence` wrote from 32-bit ranges comes back as they were
        let start = (i64::from(self.end) + distance) as u32;
        self.end = start.wrapping_add(length as u32);
        Some(start..self.end)
    }
}

/// Write `ranges` (each `start <= end`) after `out`'s bytes, apart from anything before.
pub(super) fn push_evidence(out: &mut Vec<u8>, ranges: impl IntoIterator<Item = Range<u32>>) {
    let mut writer = EvidenceWriter::default();
    for range in ranges {
        writer.push(out, range);
    }
}

/// Make what `out` holds after `length_at` (a byte kept for it) a record of its own: its
/// length, as a LEB128 number in that byte (and more bytes, for a length of 128 or more),
/// before it. How codings and matches keep each one's evidence in one list of bytes, read
/// back in order with [`evidence_after_length`].
pub(super) fn put_length_before(out: &mut Vec<u8>, length_at: usize) {
    let length = out.len() - length_at - 1;
    if length < 0x80 {
        out[length_at] = length as u8;
    } else {
        let mut number = Vec::new();
        push_number(&mut number, length as u64);
        out.splice(length_at..=length_at, number);
    }
}

/// The evidence whose record ([`put_length_before`]) starts at `at` in `bytes`, and where
/// the record after it starts.
pub(super) fn evidence_after_length(bytes: &[u8], at: usize) -> (Evidence<'_>, usize) {
    let mut rest = &bytes[at..];
    let length = read_number(&mut rest) as usize;
    let start = bytes.len() - rest.len();
    (Evidence { bytes: &bytes[start..start + length] }, start + length)
}

/// Writes one coding's (or match's) ranges one at a time, as [`push_evidence`] does.
#[derive(Debug, Default)]
pub(super) struct EvidenceWriter {
    /// Where the range before ended.
    end: u32,
}

impl EvidenceWriter {
    /// Write `range` (`start <= end`) after `out`'s bytes.
    pub(super) fn push(&mut self, out: &mut Vec<u8>, range: Range<u32>) {
        debug_assert!(range.start <= range.end, "a range {range:?} ends after it starts");
        push_number(out, zigzag(i64::from(range.start) - i64::from(self.end)));
        push_number(out, u64::from(range.end - range.start));
        self.end = range.end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_words_take_a_byte_a_number() {
        let mut out = Vec::new();
        push_evidence(&mut out, [1000..1006, 1010..1015, 1002..1004]);
        // 1000 (zigzag 2000: two bytes) and 6; 4 (zigzag 8) and 5; -13 (zigzag 25) and 2
        assert_eq!(out, [0xd0, 0x0f, 6, 8, 5, 25, 2]);
        assert_eq!(Evidence::from_bytes(&out).to_vec(), [1000..1006, 1010..1015, 1002..1004]);
    }

    #[test]
    fn codings_joined_read_back_each_from_its_own_start() {
        let mut out = Vec::new();
        push_evidence(&mut out, std::iter::once(5..9));
        let first = out.len();
        push_evidence(&mut out, [3..4, u32::MAX - 1..u32::MAX]);
        assert_eq!(Evidence::from_bytes(&out[..first]).to_vec(), vec![5..9; 1]);
        assert_eq!(Evidence::from_bytes(&out[first..]).to_vec(), [3..4, u32::MAX - 1..u32::MAX]);
        assert!(Evidence::from_bytes(&[]).is_empty());
        assert_eq!(format!("{:?}", Evidence::from_bytes(&out[..first])), "[5..9]");
    }

    proptest::proptest! {
        /// Any 32-bit ranges, in any order, read back as written.
        #[test]
        fn ranges_read_back_as_written(
            ranges in proptest::collection::vec((proptest::num::u32::ANY, 0u32..1 << 20), 0..8)
        ) {
            let ranges: Vec<Range<u32>> = ranges
                .into_iter()
                .map(|(start, length)| start..start.saturating_add(length))
                .collect();
            let mut out = vec![7];
            push_evidence(&mut out, ranges.iter().cloned());
            proptest::prop_assert_eq!(Evidence::from_bytes(&out[1..]).to_vec(), ranges);
        }
    }
}
