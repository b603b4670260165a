//! Lists of segment numbers held a byte or two a segment (participants' segments, each
//! code's coded segments, each rule's candidates): a large study has millions of segments
//! and codes tens of millions, which as 32-bit numbers were 120 MB of a 1 GB run's
//! analyses, and its rules have tens of millions of candidates (100 MB). A segment is
//! written as its distance from the one before (zigzag, as a list in the codings' order
//! need not ascend) in LEB128 ([`crate::varint`]): the segments of such a list lie a few
//! segments apart.

use crate::varint::{push_number, read_number, unzigzag, zigzag};

/// Segment numbers in the order pushed, each a byte or a few.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentList {
    bytes: Vec<u8>,
    len: usize,
    last: u32,
}

impl SegmentList {
    /// No segments.
    pub const fn new() -> SegmentList {
        SegmentList { bytes: Vec::new(), len: 0, last: 0 }
    }

    /// Add segment `n` at the end.
    pub fn push(&mut self, n: u32) {
        push_number(&mut self.bytes, zigzag(i64::from(n) - i64::from(self.last)));
        self.last = n;
        self.len += 1;
    }

    /// How many segments there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The segments, in the order pushed.
    pub fn iter(&self) -> SegmentListIter<'_> {
        SegmentListIter { bytes: &self.bytes, left: self.len, last: 0 }
    }

    /// Give back what was reserved and not used.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

/// The segments of a [`SegmentList`], in order.
#[derive(Debug, Clone)]
pub struct SegmentListIter<'a> {
    bytes: &'a [u8],
    left: usize,
    last: u32,
}

impl Iterator for SegmentListIter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let distance = unzigzag(read_number(&mut self.bytes));
        // pushed as u32s: every distance lands on one
        self.last = (i64::from(self.last) + distance) as u32;
        Some(self.last)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for SegmentListIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Segments near the one before take a byte each.
    #[test]
    fn nearby_segments_take_a_byte_each() {
        let mut list = SegmentList::new();
        for n in [3, 5, 9, 60, 62] {
            list.push(n);
        }
        assert_eq!(list.bytes, [6, 4, 8, 102, 4]);
        assert_eq!(list.iter().collect::<Vec<_>>(), [3, 5, 9, 60, 62]);
        assert_eq!((list.len(), list.iter().len()), (5, 5));
        assert!(SegmentList::new().iter().next().is_none() && SegmentList::new().is_empty());
    }

    proptest! {
        /// Any 32-bit numbers in any order read back as pushed.
        #[test]
        fn segments_read_back_as_pushed(numbers in proptest::collection::vec(any::<u32>(), 0..200)) {
            let mut list = SegmentList::new();
            for &n in &numbers {
                list.push(n);
            }
            prop_assert_eq!(list.len(), numbers.len());
            prop_assert_eq!(list.iter().collect::<Vec<_>>(), numbers);
        }
    }
}
