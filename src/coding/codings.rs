//! [`Codings`]: every coding of a study, each a few bytes. A large study has tens of
//! millions of codings. As values of their own (a segment number, a shared kind and a list
//! of evidence each) they were 32 bytes and a heap block apiece, the largest thing a run
//! held (about 700 MB at 1 GB of transcripts); as three lists of 32-bit numbers (segment,
//! kind, where the evidence ends) beside the evidence, 12 bytes and the evidence, 265 MB at
//! 1 GB, again the largest thing a run held. Here each coding is one record in a list of
//! bytes: its segment as the distance from the coding before's (zigzag: codings need not
//! come in segment order, though coding makes them so, and then the distance is mostly 0 or
//! 1), its kind's number and its evidence's length, each a LEB128 number (`crate::varint`),
//! then its evidence (`evidence.rs`) — four bytes or so and the evidence. Codings are read in
//! order from one record to the next; to read one by its number, every
//! [`CHECKPOINT_EVERY`]th coding (and the first of each list of codings appended) is noted
//! with where its record starts and the segment its distance is from.

use std::ops::Range;
use std::sync::Arc;

use super::evidence::{Evidence, evidence_after_length, push_evidence, put_length_before};
use super::{Coding, CodingKind};
use crate::varint::{push_number, read_number, unzigzag, zigzag};

/// Codings at most between two checkpoints: reading a coding by its number reads at most
/// this many records before it.
const CHECKPOINT_EVERY: usize = 32;

/// Every coding of a study, in the order coding makes them (segment order, then codebook
/// order), as records in one list of bytes (see the module's documentation); a [`Coding`]
/// is a view of one, which [`Codings::iter`], [`Codings::get`] and [`Codings::range`] give.
#[derive(Debug, Clone)]
pub struct Codings {
    /// Each coding's record, in order.
    records: Vec<u8>,
    /// The codings from which records can be read: the first, and at most
    /// [`CHECKPOINT_EVERY`] apart; ascending.
    checkpoints: Vec<Checkpoint>,
    /// How many codings there are.
    len: usize,
    /// The last coding's segment: what the next record's distance is from.
    last_segment: u32,
    /// Whether the codings come in segment order.
    in_order: bool,
    /// Every kind of coding, each once, numbered by place.
    pub(super) kinds: Vec<Arc<CodingKind>>,
}

/// A coding whose record can be read without reading those before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checkpoint {
    /// The coding's number.
    coding: u32,
    /// Where its record starts.
    at: u32,
    /// The segment its record's distance is from (the coding before's, or 0).
    from_segment: u32,
}

/// Where reading records is: the next record, and the segment of the coding before it.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    at: usize,
    segment: u32,
}

impl Cursor {
    /// The record at the cursor, which it moves past: the segment, the kind's number and
    /// the evidence.
    fn read<'r>(&mut self, records: &'r [u8]) -> (u32, u32, Evidence<'r>) {
        let mut bytes = &records[self.at..];
        // records were written from 32-bit segment numbers
        let segment = (i64::from(self.segment) + unzigzag(read_number(&mut bytes))) as u32;
        let kind = read_number(&mut bytes) as u32;
        let (evidence, next) = evidence_after_length(records, records.len() - bytes.len());
        self.at = next;
        self.segment = segment;
        (segment, kind, evidence)
    }
}

impl Default for Codings {
    fn default() -> Codings {
        Codings::empty().clone()
    }
}

impl PartialEq for Codings {
    /// The same codings in the same order (however their kinds are numbered).
    fn eq(&self, other: &Codings) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Codings {}

impl Codings {
    /// No codings.
    pub fn empty() -> &'static Codings {
        static EMPTY: Codings = Codings {
            records: Vec::new(),
            checkpoints: Vec::new(),
            len: 0,
            last_segment: 0,
            in_order: true,
            kinds: Vec::new(),
        };
        &EMPTY
    }

    /// How many codings there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `i`th coding.
    ///
    /// # Panics
    /// `i` is not below [`Codings::len`].
    pub fn get(&self, i: usize) -> Coding<'_> {
        let (segment, kind, evidence) = self.cursor_at(i).read(&self.records);
        self.coding(segment, kind, evidence)
    }

    /// The segment of the `i`th coding, without the rest.
    ///
    /// # Panics
    /// `i` is not below [`Codings::len`].
    pub fn segment_of(&self, i: usize) -> usize {
        self.cursor_at(i).read(&self.records).0 as usize
    }

    /// Every coding, in order.
    pub fn iter(&self) -> CodingsIter<'_> {
        self.range(0..self.len())
    }

    /// The codings numbered `range`, in order.
    ///
    /// # Panics
    /// `range` reaches beyond [`Codings::len`].
    pub fn range(&self, range: Range<usize>) -> CodingsIter<'_> {
        assert!(range.end <= self.len(), "codings {range:?} of {}", self.len());
        let cursor = if range.is_empty() {
            Cursor { at: self.records.len(), segment: 0 }
        } else {
            self.cursor_at(range.start)
        };
        CodingsIter { codings: self, range, cursor }
    }

    /// Whether the codings come in segment order (as coding makes them).
    pub fn in_segment_order(&self) -> bool {
        self.in_order
    }

    /// The number of the first coding of a segment at or after `n`, in codings in segment
    /// order ([`Codings::in_segment_order`]).
    pub fn first_at_or_after(&self, n: usize) -> usize {
        // the last checkpoint after a coding of a segment before `n`: every coding before it
        // is of a segment before `n`, and the answer is no further than the next one
        let after =
            self.checkpoints.partition_point(|c| c.coding == 0 || (c.from_segment as usize) < n);
        let Some(from) = after.checked_sub(1).map(|c| self.checkpoints[c]) else {
            return 0;
        };
        let mut cursor = Cursor { at: from.at as usize, segment: from.from_segment };
        let mut i = from.coding as usize;
        while i < self.len && (cursor.read(&self.records).0 as usize) < n {
            i += 1;
        }
        i
    }

    /// Add a coding of kind number `kind` (numbered by whoever fills `kinds`).
    /// `None` when the records come to 4 GiB or more, or the codings to 2³².
    pub(super) fn push(&mut self, segment: u32, kind: u32, evidence: &[Range<u32>]) -> Option<()> {
        self.start_record(segment, kind)?;
        let length_at = self.records.len();
        self.records.push(0);
        push_evidence(&mut self.records, evidence.iter().cloned());
        put_length_before(&mut self.records, length_at);
        self.end_record()
    }

    /// [`Codings::push`] with evidence encoded already.
    fn push_encoded(&mut self, segment: u32, kind: u32, evidence: Evidence<'_>) -> Option<()> {
        self.start_record(segment, kind)?;
        push_number(&mut self.records, evidence.bytes().len() as u64);
        self.records.extend_from_slice(evidence.bytes());
        self.end_record()
    }

    /// Write a record's segment and kind (a checkpoint first, when one is due).
    fn start_record(&mut self, segment: u32, kind: u32) -> Option<()> {
        let since = self.checkpoints.last().map_or(usize::MAX, |c| self.len - c.coding as usize);
        if since >= CHECKPOINT_EVERY {
            self.checkpoint_here()?;
        }
        self.in_order &= self.len == 0 || segment >= self.last_segment;
        push_number(&mut self.records, zigzag(i64::from(segment) - i64::from(self.last_segment)));
        push_number(&mut self.records, u64::from(kind));
        self.last_segment = segment;
        Some(())
    }

    /// Make the next coding a checkpoint.
    fn checkpoint_here(&mut self) -> Option<()> {
        self.checkpoints.push(Checkpoint {
            coding: u32::try_from(self.len).ok()?,
            at: u32::try_from(self.records.len()).ok()?,
            from_segment: self.last_segment,
        });
        Some(())
    }

    /// Count the record just written, once its records fit the checkpoints' numbers.
    fn end_record(&mut self) -> Option<()> {
        u32::try_from(self.records.len()).ok()?;
        self.len += 1;
        Some(())
    }

    /// Add `other`'s codings after these (kinds numbered alike): its records as they are
    /// but the first, written again from this list's last segment, and its checkpoints
    /// after it. `None` as [`Codings::push`].
    pub(super) fn append(&mut self, other: &Codings) -> Option<()> {
        let Some(first) = other.checkpoints.first() else {
            return Some(()); // no codings
        };
        let mut cursor = Cursor { at: first.at as usize, segment: first.from_segment };
        let (segment, kind, evidence) = cursor.read(&other.records);
        let in_order = self.in_order && (self.len == 0 || segment >= self.last_segment);
        // a checkpoint at the join, so that checkpoints stay at most CHECKPOINT_EVERY apart
        if self.checkpoints.last().is_some_and(|c| c.coding as usize != self.len) {
            self.checkpoint_here()?;
        }
        self.push_encoded(segment, kind, evidence)?;
        // the rest of its checkpoints, renumbered (their segments are segments, not distances)
        let (codings, at) = (self.len as u64 - 1, self.records.len() as u64);
        for checkpoint in &other.checkpoints[1..] {
            self.checkpoints.push(Checkpoint {
                coding: u32::try_from(codings + u64::from(checkpoint.coding)).ok()?,
                at: u32::try_from(at + u64::from(checkpoint.at) - cursor.at as u64).ok()?,
                from_segment: checkpoint.from_segment,
            });
        }
        self.records.extend_from_slice(&other.records[cursor.at..]);
        u32::try_from(self.records.len()).ok()?;
        self.len += other.len - 1;
        self.last_segment = other.last_segment;
        self.in_order = in_order && other.in_order;
        Some(())
    }

    /// Make room for about `codings` more codings.
    pub(super) fn reserve(&mut self, codings: usize) {
        // a record is four bytes or so and its evidence, a few more
        self.records.reserve(codings.saturating_mul(12));
        self.checkpoints.reserve(codings / CHECKPOINT_EVERY + 1);
    }

    /// Give back what the lists hold beyond their codings.
    pub(super) fn shrink_to_fit(&mut self) {
        self.records.shrink_to_fit();
        self.checkpoints.shrink_to_fit();
    }

    /// A cursor at the `i`th coding's record.
    fn cursor_at(&self, i: usize) -> Cursor {
        assert!(i < self.len, "coding {i} of {}", self.len);
        let checkpoint =
            self.checkpoints[self.checkpoints.partition_point(|c| c.coding as usize <= i) - 1];
        let mut cursor = Cursor { at: checkpoint.at as usize, segment: checkpoint.from_segment };
        for _ in checkpoint.coding as usize..i {
            cursor.read(&self.records);
        }
        cursor
    }

    fn coding<'c>(&'c self, segment: u32, kind: u32, evidence: Evidence<'c>) -> Coding<'c> {
        Coding { segment: segment as usize, kind: &self.kinds[kind as usize], evidence }
    }

    /// The number of `kind` (its place in [`Codings::kinds`]) when it is one of this list's
    /// places, as the kind of every coding read from these codings is ([`Codings::coding`]):
    /// found from where it lies, without a lookup (a row of codings.csv per coding).
    pub(super) fn kind_number(&self, kind: &Arc<CodingKind>) -> Option<usize> {
        let place = (kind as *const Arc<CodingKind> as usize)
            .wrapping_sub(self.kinds.as_ptr() as usize)
            / std::mem::size_of::<Arc<CodingKind>>();
        self.kinds.get(place).is_some_and(|held| std::ptr::eq(held, kind)).then_some(place)
    }
}

impl<'a> FromIterator<Coding<'a>> for Codings {
    /// Codings of other [`Codings`] (some of them, say), each kind held once.
    ///
    /// # Panics
    /// The codings' records come to 4 GiB or more.
    fn from_iter<I: IntoIterator<Item = Coding<'a>>>(codings: I) -> Codings {
        let mut numbers: rustc_hash::FxHashMap<*const CodingKind, u32> = Default::default();
        let mut made = Codings::default();
        for coding in codings {
            let kind = *numbers.entry(Arc::as_ptr(coding.kind)).or_insert_with(|| {
                made.kinds.push(coding.kind.clone());
                (made.kinds.len() - 1) as u32
            });
            let segment = u32::try_from(coding.segment).expect("fewer than 2³² segments");
            made.push_encoded(segment, kind, coding.evidence).expect("under 4 GiB of codings");
        }
        made
    }
}

/// Codings of a [`Codings`], in order ([`Codings::iter`], [`Codings::range`]): each read
/// from the record after the one before.
#[derive(Debug, Clone)]
pub struct CodingsIter<'a> {
    codings: &'a Codings,
    range: Range<usize>,
    /// At the record of the coding numbered `range.start`.
    cursor: Cursor,
}

impl<'a> Iterator for CodingsIter<'a> {
    type Item = Coding<'a>;

    fn next(&mut self) -> Option<Coding<'a>> {
        self.range.next()?;
        let (segment, kind, evidence) = self.cursor.read(&self.codings.records);
        Some(self.codings.coding(segment, kind, evidence))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for CodingsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        // read by number: seldom asked for
        self.range.next_back().map(|i| self.codings.get(i))
    }
}

impl ExactSizeIterator for CodingsIter<'_> {}

impl<'a> IntoIterator for &'a Codings {
    type Item = Coding<'a>;
    type IntoIter = CodingsIter<'a>;

    fn into_iter(self) -> CodingsIter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::Origin;

    /// Codings made in parts (as each parallel task makes its own) and put together read
    /// back as made: each with its segment, kind and own evidence; collected from some of
    /// them, the same.
    #[test]
    // evidence of one range each is meant: not a range of numbers
    #[allow(clippy::single_range_in_vec_init)]
    fn codings_put_together_from_parts_read_back_as_made() {
        let kind = |code: &str| {
            Arc::new(CodingKind { code: code.into(), origin: Origin::Rule, rules: Arc::new([]) })
        };
        let made: [(u32, u32, &[Range<u32>]); 5] = [
            (0, 0, &[1..2, 4..6]),
            (0, 1, &[]),
            (3, 1, &[7..9]),
            (5, 0, &[10..11, 12..13]),
            (5, 1, &[20..21]),
        ];
        let mut codings = Codings { kinds: vec![kind("a"), kind("b")], ..Codings::default() };
        for part in [&made[..2], &made[2..3], &made[3..]] {
            let mut codings_of_part = Codings::default();
            for &(segment, kind, evidence) in part {
                codings_of_part.push(segment, kind, evidence).expect("fits");
            }
            codings.append(&codings_of_part).expect("fits");
        }
        let read: Vec<(usize, &str, Vec<Range<u32>>)> =
            codings.iter().map(|c| (c.segment, &**c.code(), c.evidence.to_vec())).collect();
        let expected: Vec<(usize, &str, Vec<Range<u32>>)> = made
            .iter()
            .map(|&(segment, kind, evidence)| {
                (segment as usize, ["a", "b"][kind as usize], evidence.to_vec())
            })
            .collect();
        assert_eq!(read, expected);
        assert!(codings.in_segment_order());
        assert_eq!(codings.first_at_or_after(1), 2);
        assert_eq!(codings.first_at_or_after(6), 5);
        let some: Codings = codings.range(1..4).collect();
        assert_eq!(some.iter().collect::<Vec<_>>(), codings.range(1..4).collect::<Vec<_>>());
        assert_eq!(some.kinds.len(), 2, "each kind held once");
        let backwards: Codings = codings.iter().rev().collect();
        assert!(!backwards.in_segment_order());
        assert_eq!(backwards.get(0), codings.get(4));
    }

    /// Each coding's kind is numbered by its place in the list of kinds; an equal kind held
    /// elsewhere (another list's, even the same `Arc`) is not one of its places.
    #[test]
    fn a_codings_kind_is_numbered_by_its_place() {
        let kind = |code: &str| {
            Arc::new(CodingKind { code: code.into(), origin: Origin::Rule, rules: Arc::new([]) })
        };
        let mut codings = Codings { kinds: vec![kind("a"), kind("b")], ..Codings::default() };
        codings.push(0, 1, &[]).expect("fits");
        codings.push(2, 0, &[]).expect("fits");
        let numbers: Vec<Option<usize>> =
            codings.iter().map(|coding| codings.kind_number(coding.kind)).collect();
        assert_eq!(numbers, vec![Some(1), Some(0)]);
        let elsewhere = [codings.kinds[1].clone()];
        assert_eq!(codings.kind_number(&elsewhere[0]), None);
        assert_eq!(codings.kind_number(&kind("b")), None);
    }

    /// A plain list of what was pushed, part by part.
    type Made = Vec<Vec<(u32, u32, Vec<Range<u32>>)>>;

    fn made() -> impl proptest::strategy::Strategy<Value = Made> {
        use proptest::prelude::*;
        let evidence = proptest::collection::vec((0u32..1 << 20, 0u32..300), 0..4)
            .prop_map(|ranges| ranges.into_iter().map(|(s, l)| s..s + l).collect());
        // segments mostly ascending, some far apart, some going back; evidence now and then
        // 128 bytes or more (its length two bytes)
        let coding = (0u32..3, 0u32..3, 0u32..200, evidence, 0u32..40).prop_map(
            |(step, far, kind, mut evidence, long)| {
                if long == 0 {
                    evidence = (0..40).map(|i| i * 1000..i * 1000 + 999).collect();
                }
                let step = match far {
                    0 => i64::from(step) * 100_000,
                    1 => -i64::from(step),
                    _ => i64::from(step),
                };
                (step, kind, evidence)
            },
        );
        proptest::collection::vec(proptest::collection::vec(coding, 0..80), 0..5).prop_map(
            |parts| {
                let mut segment = 1_000_000i64;
                parts
                    .into_iter()
                    .map(|part| {
                        part.into_iter()
                            .map(|(step, kind, evidence)| {
                                segment = (segment + step).max(0);
                                (segment as u32, kind, evidence)
                            })
                            .collect()
                    })
                    .collect()
            },
        )
    }

    proptest::proptest! {
        /// Codings pushed, or pushed into parts then appended, read back as pushed: in order,
        /// by number, a range at a time, and (in segment order) found by segment.
        #[test]
        fn codings_read_back_as_pushed(made in made(), ascending in proptest::bool::ANY) {
            let mut made = made;
            if ascending {
                let mut all: Vec<_> = made.concat();
                all.sort_by_key(|c| c.0);
                let mut parts = Vec::new();
                for (i, part) in made.iter().enumerate() {
                    let taken = all.len().min(part.len());
                    let rest = all.split_off(taken);
                    parts.push(std::mem::replace(&mut all, rest));
                    let _ = i;
                }
                made = parts;
            }
            let kinds: Vec<Arc<CodingKind>> = (0..200)
                .map(|k| Arc::new(CodingKind {
                    code: format!("c{k}").into(),
                    origin: Origin::Rule,
                    rules: Arc::new([]),
                }))
                .collect();
            let mut codings = Codings { kinds: kinds.clone(), ..Codings::default() };
            let mut pushed = Codings { kinds, ..Codings::default() };
            for part in &made {
                let mut codings_of_part = Codings::default();
                for (segment, kind, evidence) in part {
                    codings_of_part.push(*segment, *kind, evidence).expect("fits");
                    pushed.push(*segment, *kind, evidence).expect("fits");
                }
                codings.append(&codings_of_part).expect("fits");
            }
            let all: Vec<_> = made.concat();
            let read = |codings: &Codings| -> Vec<(usize, String, Vec<Range<u32>>)> {
                codings.iter().map(|c| (c.segment, c.code().to_string(), c.evidence.to_vec())).collect()
            };
            let expected: Vec<_> = all
                .iter()
                .map(|(s, k, e)| (*s as usize, format!("c{k}"), e.clone()))
                .collect();
            proptest::prop_assert_eq!(read(&codings), expected.clone());
            proptest::prop_assert_eq!(read(&pushed), expected.clone());
            proptest::prop_assert_eq!(codings.len(), all.len());
            for (i, (segment, code, evidence)) in expected.iter().enumerate() {
                let coding = codings.get(i);
                proptest::prop_assert_eq!(
                    (coding.segment, &**coding.code(), coding.evidence.to_vec()),
                    (*segment, code.as_str(), evidence.clone())
                );
                proptest::prop_assert_eq!(codings.segment_of(i), *segment);
                let from: Vec<_> = codings.range(i..all.len()).map(|c| c.segment).collect();
                let expected_from: Vec<_> = expected[i..].iter().map(|c| c.0).collect();
                proptest::prop_assert_eq!(from, expected_from);
            }
            let back: Vec<_> = codings.iter().rev().map(|c| c.segment).collect();
            let expected_back: Vec<_> = expected.iter().rev().map(|c| c.0).collect();
            proptest::prop_assert_eq!(back, expected_back);
            let sorted = all.windows(2).all(|w| w[0].0 <= w[1].0);
            proptest::prop_assert_eq!(codings.in_segment_order(), sorted);
            proptest::prop_assert_eq!(pushed.in_segment_order(), sorted);
            if sorted {
                let mut probes: Vec<usize> = all.iter().flat_map(|c| [c.0 as usize, c.0 as usize + 1]).collect();
                probes.extend([0, usize::MAX / 2]);
                for n in probes {
                    let first = all.partition_point(|c| (c.0 as usize) < n);
                    proptest::prop_assert_eq!(codings.first_at_or_after(n), first, "segment {}", n);
                    proptest::prop_assert_eq!(pushed.first_at_or_after(n), first, "segment {}", n);
                }
            }
            proptest::prop_assert_eq!(Codings::from_iter(codings.iter()), codings.clone());
            // a checkpoint at the first coding and at most CHECKPOINT_EVERY apart
            for list in [&codings, &pushed] {
                let numbers: Vec<u32> = list.checkpoints.iter().map(|c| c.coding).collect();
                proptest::prop_assert!(numbers.first().is_none_or(|&first| first == 0));
                proptest::prop_assert!(
                    numbers.windows(2).all(|w| w[0] < w[1] && w[1] - w[0] <= CHECKPOINT_EVERY as u32),
                    "checkpoints {:?}", numbers
                );
            }
        }
    }
}
