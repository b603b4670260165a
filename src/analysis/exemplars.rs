//! Exemplar quotes: a deterministic choice of representative coded segments per code.
//!
//! Candidates are a code's coded respondent segments. Quotes of 60–280 characters are
//! preferred (neither fragments nor walls of text), then the ones closest to 140 characters;
//! ties are broken by a hash of document and position, so the choice is stable across runs
//! and platforms. Selection walks the ranked list taking one quote per participant first,
//! and from participants of groups not yet quoted (by the first participant attribute),
//! before repeating anyone. Quotes are attributed to the participant's `pseudonym` (a
//! participants.csv column) when there is one, else to their id, with their attributes.

use sha2::{Digest, Sha256};

use super::Dataset;

/// The participants.csv column whose value names a participant in quotes, when present.
pub const PSEUDONYM: &str = "pseudonym";

/// One exemplar quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Segment number.
    pub segment: usize,
    /// The segment text, whitespace collapsed.
    pub text: String,
    /// The speaker (participant id).
    pub participant: String,
    /// `S01, female, low, pre`: participant, attribute values, wave.
    pub attribution: String,
}

/// How many of a code's best candidates [`exemplars`] chooses among first, before it looks
/// at them all: quotes come from the top of the ranking (a few, from as many participants),
/// and a code of a large study has millions of coded segments, whose candidates were 8 bytes
/// each (and, two codes' quotes chosen at once, 50 MB of a 1 GB run's peak).
pub const BEST_CANDIDATES: usize = 4096;

/// Up to `n` exemplar quotes for `code` among segments passing `keep`.
pub fn exemplars(
    data: &Dataset<'_>,
    code: &str,
    n: usize,
    keep: impl Fn(usize) -> bool,
) -> Vec<Quote> {
    exemplars_among_the_best(data, code, n, keep, BEST_CANDIDATES)
}

/// [`exemplars`], chosen among the candidates of the best lengths first (every candidate of
/// each length from the best down, until there are `best` or more), and among all of them
/// only when those run out before `n` quotes are chosen: the same quotes either way, as the
/// ranking's top is the same.
pub fn exemplars_among_the_best(
    data: &Dataset<'_>,
    code: &str,
    n: usize,
    keep: impl Fn(usize) -> bool,
    best: usize,
) -> Vec<Quote> {
    let candidates = || {
        data.segments_coded_with(code)
            .iter()
            .filter(|&segment| keep(segment as usize))
            .map(|segment| Candidate::new(data.segments[segment as usize].chars().len(), segment))
    };
    if let Some(limit) = length_rank_holding(candidates(), best) {
        let best = candidates().filter(|c| c.length_rank() <= limit).collect();
        if let Some(quotes) = chosen(data, code, n, Ranked::new(best), false) {
            return quotes;
        }
    }
    let all = Ranked::new(candidates().collect());
    chosen(data, code, n, all, true).unwrap_or_default()
}

/// The lowest length rank at or below which `best` or more of `candidates` lie, when
/// that is the rank of a preferred length ([`PREFERRED_RANKS`]).
fn length_rank_holding(candidates: impl Iterator<Item = Candidate>, best: usize) -> Option<u64> {
    let mut counts = [0usize; PREFERRED_RANKS];
    for candidate in candidates {
        if let Some(count) = counts.get_mut(candidate.length_rank() as usize) {
            *count += 1;
        }
    }
    let mut held = 0;
    counts
        .iter()
        .position(|&count| {
            held += count;
            held >= best
        })
        .map(|rank| rank as u64)
}

/// Up to `n` quotes for `code` from `ranked`, taking one quote per participant first, and
/// from participants of groups not yet quoted, before repeating anyone; `None` when the
/// candidates run out before `n` are chosen and `ranked` is not `all` of them.
///
/// Participants and groups are compared by number. Once every group is quoted the first
/// pass can take no one else, and it stops: a survey of tens of thousands of respondents,
/// all of one group, had each code's whole list of candidates ranked (each tie broken by a
/// hash) and every candidate's group looked up by id to find that out.
fn chosen(
    data: &Dataset<'_>,
    code: &str,
    n: usize,
    mut ranked: Ranked,
    all: bool,
) -> Option<Vec<Quote>> {
    let numbers = data.participant_numbers();
    let groups = numbers.groups.as_ref();
    let mut quotes = Vec::new();
    // a few of each: quotes are a handful
    let mut participants: Vec<u32> = Vec::new();
    let mut quoted_groups: Vec<u32> = Vec::new();
    for pass in 0..3 {
        let mut next = 0;
        while let Some(segment) = ranked.get(next, |n| tie_key(data, code, n)) {
            next += 1;
            if quotes.len() == n {
                return Some(quotes);
            }
            if pass == 0 && groups.is_some_and(|groups| quoted_groups.len() == groups.count) {
                break;
            }
            let Some(participant) = numbers.of(segment) else { continue };
            let group = groups.map(|groups| groups.of[participant as usize]);
            let new_participant = !participants.contains(&participant);
            let new_group = group.is_none_or(|g| !quoted_groups.contains(&g));
            let take = match pass {
                0 => new_participant && new_group,
                1 => new_participant,
                _ => !quotes.iter().any(|q: &Quote| q.segment == segment),
            };
            if take {
                if new_participant {
                    participants.push(participant);
                }
                if let Some(group) = group.filter(|_| new_group) {
                    quoted_groups.push(group);
                }
                quotes.push(quote(data, segment, numbers.ids[participant as usize]));
            }
        }
        if !all {
            return None;
        }
    }
    Some(quotes)
}

/// Candidates ranked by preferred length, ties broken by a hash of document, position and
/// code. Sorting and hashing are done only as far as asked: a few quotes are taken from the
/// top of lists that run to tens of thousands of segments in a large study (sorting each
/// code's whole list was most of a report's time).
/// [`exemplars`] among all of `code`'s codings in scope (no filter of its own), chosen once
/// for the dataset: the themes table and the report show the same quotes.
pub fn exemplars_of_all(data: &Dataset<'_>, code: &str, n: usize) -> Vec<Quote> {
    data.quotes_of(code, n, || exemplars(data, code, n, |_| true))
}

/// The lengths (chars) of the quotes preferred, and the length preferred most.
const PREFERRED_CHARS: std::ops::RangeInclusive<usize> = 60..=280;
const IDEAL_CHARS: usize = 140;

/// How many length ranks the preferred lengths take: their distances from the ideal, 0 up
/// to the farther end's.
const PREFERRED_RANKS: usize = *PREFERRED_CHARS.end() - IDEAL_CHARS + 1;
const _: () = assert!(IDEAL_CHARS - *PREFERRED_CHARS.start() < PREFERRED_RANKS, "the farther end");

/// A coded segment that may be quoted, as one number that orders candidates by preferred
/// length, then by segment: whether its length is outside [`PREFERRED_CHARS`] (the top
/// bit), its length's distance from [`IDEAL_CHARS`] (the next 31: a text is under 2 GiB),
/// and its number (the low 32). A code of a large study has millions of coded segments;
/// as a tuple of a flag and two `usize`s a candidate was 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate(u64);

impl Candidate {
    /// Segment `segment` of `length` chars.
    fn new(length: usize, segment: u32) -> Candidate {
        let outside = !PREFERRED_CHARS.contains(&length);
        let distance = length.abs_diff(IDEAL_CHARS).min((1 << 31) - 1) as u64;
        Candidate((u64::from(outside) << 63) | (distance << 32) | u64::from(segment))
    }

    /// What ranks it before ties are broken: its length's place among the preferred.
    fn length_rank(self) -> u64 {
        self.0 >> 32
    }

    fn segment(self) -> usize {
        (self.0 & u64::from(u32::MAX)) as usize
    }
}

struct Ranked {
    /// Sorted up to `sorted`, which no later candidate ties with on length; ranked (ties
    /// broken) up to `ranked`.
    candidates: Vec<Candidate>,
    sorted: usize,
    ranked: usize,
}

impl Ranked {
    fn new(candidates: Vec<Candidate>) -> Ranked {
        Ranked { candidates, sorted: 0, ranked: 0 }
    }

    /// The segment ranked `i`th, if there are that many, ties broken by `tie_key` (of a
    /// segment), then by segment.
    fn get<K: Ord>(&mut self, i: usize, mut tie_key: impl FnMut(usize) -> K) -> Option<usize> {
        while self.ranked <= i && self.ranked < self.candidates.len() {
            if self.ranked == self.sorted {
                self.sort_more();
            }
            let length = self.candidates[self.ranked].length_rank();
            let ties = self.candidates[self.ranked..self.sorted]
                .iter()
                .take_while(|c| c.length_rank() == length)
                .count();
            let group = &mut self.candidates[self.ranked..self.ranked + ties];
            group.sort_by_cached_key(|c| (tie_key(c.segment()), c.segment()));
            self.ranked += ties;
        }
        self.candidates.get(i).map(|c| c.segment())
    }

    /// Sort the best of the candidates not yet sorted (as many again as are sorted, at least
    /// 32) to follow the sorted ones, with every candidate that ties on length with the last
    /// of them.
    fn sort_more(&mut self) {
        let rest = &mut self.candidates[self.sorted..];
        if rest.is_empty() {
            return;
        }
        let take = self.sorted.max(32).min(rest.len());
        if take < rest.len() {
            rest.select_nth_unstable(take - 1);
        }
        rest[..take].sort_unstable();
        let last = rest[take - 1].length_rank();
        let mut end = take;
        for i in take..rest.len() {
            if rest[i].length_rank() == last {
                rest.swap(i, end);
                end += 1;
            }
        }
        rest[take..end].sort_unstable();
        self.sorted += end;
    }
}

/// The hash of a segment's document, position and code that orders candidates of the same
/// length: stable across runs and platforms.
fn tie_key(data: &Dataset<'_>, code: &str, n: usize) -> [u8; 8] {
    let segment = &data.segments[n];
    let key = format!("{}\0{}\0{code}", segment.document(data.corpus).id, segment.bytes().start);
    Sha256::digest(key.as_bytes())[..8].try_into().expect("8 of 32 bytes")
}

fn quote(data: &Dataset<'_>, segment: usize, participant: &str) -> Quote {
    let text =
        data.segments[segment].text(data.corpus).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut parts = vec![participant.to_owned()];
    for attribute in &data.corpus.participants.attributes {
        if let Some(value) = data.corpus.participants.attribute(participant, attribute) {
            parts.push(value.to_owned());
        }
    }
    if let Some(wave) = data.wave(segment) {
        parts.push(wave.to_owned());
    }
    Quote { segment, text, participant: participant.to_owned(), attribution: parts.join(", ") }
}

/// Quotes as one cell: `“text” (attribution)` per line.
pub fn cell(quotes: &[Quote]) -> String {
    let lines: Vec<String> =
        quotes.iter().map(|q| format!("“{}” ({})", q.text, q.attribution)).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::{Candidate, Ranked};

    proptest::proptest! {
        /// Candidates sorted only as far as asked rank as the whole list sorted does: by
        /// length, then tie key, then segment; asked in any order and more than once.
        #[test]
        fn candidates_ranked_as_far_as_asked_rank_as_all_sorted(
            lengths in proptest::collection::vec(
                proptest::prop_oneof![4 => 0usize..400, 1 => 0usize..(1 << 31)],
                0..300,
            ),
            asked in proptest::collection::vec(0usize..320, 1..20),
        ) {
            // segment numbers of all 32 bits, high ones kept out of the lengths
            let segment = |n: usize| u32::MAX - n as u32;
            let candidates: Vec<Candidate> = lengths
                .iter()
                .enumerate()
                .map(|(n, &length)| Candidate::new(length, segment(n)))
                .collect();
            let tie_key = |n: usize| (n % 7919) % 13;
            // the order by length (in the 60–280 chars preferred, then closest to 140) spelled
            // out, not read from the candidates' numbers
            let mut all: Vec<(bool, usize, usize)> = lengths
                .iter()
                .enumerate()
                .map(|(n, &length)| {
                    (!(60..=280).contains(&length), length.abs_diff(140), segment(n) as usize)
                })
                .collect();
            all.sort_by_key(|&(outside, distance, n)| (outside, distance, tie_key(n), n));
            let mut ranked = Ranked { candidates, sorted: 0, ranked: 0 };
            for i in asked {
                proptest::prop_assert_eq!(ranked.get(i, tie_key), all.get(i).map(|c| c.2), "rank {}", i);
            }
        }
    }
}
