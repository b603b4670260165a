//! `cooccur`: which codes occur together, within segments, documents or participants.
//!
//! For each pair of codes (a code and its own ancestor excluded: they co-occur by
//! construction): units coded with both, with each, and the Jaccard index
//! |A ∩ B| / |A ∪ B| (Jaccard 1912). Pairs that never co-occur are left out; rows are sorted
//! by Jaccard, then by codebook order.

use crate::table::{Column, ColumnKind, Table, Value};

use super::Dataset;

/// The unit within which codes co-occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CooccurUnit {
    /// The same segment.
    Segment,
    /// The same document.
    Document,
    /// The same participant.
    Participant,
}

impl CooccurUnit {
    fn plural(self) -> &'static str {
        match self {
            CooccurUnit::Segment => "segments",
            CooccurUnit::Document => "documents",
            CooccurUnit::Participant => "participants",
        }
    }
}

/// The co-occurrence table.
pub fn cooccur(data: &Dataset<'_>, unit: CooccurUnit) -> Table {
    // Each coding's unit and code index, and pairs counted unit by unit: linear in the
    // codings, not in codes² × units.
    let unit_of = |coding: crate::coding::Coding<'_>| {
        let unit = match unit {
            CooccurUnit::Segment => coding.segment,
            CooccurUnit::Document => data.segments[coding.segment].document_index(),
            // every speaker without a participant id is one unit, as before
            CooccurUnit::Participant => {
                data.participant_number(coding.segment).map_or(u32::MAX as usize, |p| p as usize)
            }
        };
        u32::try_from(unit).expect("fewer than 2³² segments")
    };
    let mut position_of = data.code_positions();
    let mut unit_and_code = move |coding: crate::coding::Coding<'_>| {
        let code = position_of(&coding)?;
        Some((unit_of(coding), u32::try_from(code).expect("fewer than 2³² codes")))
    };
    let n = data.codebook.codes.len();
    let mut alone = vec![0usize; n];
    let mut together = Pairs::new(n);
    // one unit's codes, each once
    let mut count = |codes: &mut Vec<u32>| {
        codes.sort_unstable();
        codes.dedup();
        for (k, &a) in codes.iter().enumerate() {
            alone[a as usize] += 1;
            for &b in &codes[k + 1..] {
                together.add(a as usize, b as usize);
            }
        }
        codes.clear();
    };
    let mut codes = Vec::new();
    if data.coded(|_| true).map(unit_of).is_sorted() {
        // Codings come by segment and segments by document, so a unit's codings are
        // together: counted as they come, a unit's codes at a time (a large study codes
        // millions of segments: a list of every coding's unit and code, 8 bytes a coding,
        // was about 110 MB at 1 GB, and had to be sorted).
        let mut current = None;
        for (unit, code) in data.coded(|_| true).filter_map(&mut unit_and_code) {
            if current.replace(unit).is_some_and(|previous| previous != unit) {
                count(&mut codes);
            }
            codes.push(code);
        }
    } else {
        // a participant's codings are spread over documents: every (unit, code), sorted
        let mut pairs: Vec<(u32, u32)> =
            data.coded(|_| true).filter_map(&mut unit_and_code).collect();
        pairs.sort_unstable();
        pairs.dedup();
        for unit in pairs.chunk_by(|a, b| a.0 == b.0) {
            codes.extend(unit.iter().map(|&(_, code)| code));
            count(&mut codes);
        }
    }
    count(&mut codes);
    let plural = unit.plural();
    let mut table = Table::new(
        format!("Code co-occurrence within {plural}"),
        vec![
            Column::text("code A"),
            Column::text("code B"),
            Column::integer(&format!("{plural} with both")),
            Column::integer("with A"),
            Column::integer("with B"),
            Column { name: "Jaccard".into(), kind: ColumnKind::Number { decimals: 3 } },
        ],
    );
    let mut rows: Vec<(f64, usize, usize, Vec<Value>)> = Vec::new();
    let codes = &data.codebook.codes;
    for (i, j, both) in together.met() {
        let (a, b) = (&codes[i], &codes[j]);
        if !data.codebook.is_descendant(&b.id, &a.id) {
            let union = alone[i] + alone[j] - both;
            let jaccard = both as f64 / union as f64;
            rows.push((
                jaccard,
                i,
                j,
                vec![
                    a.name.clone().into(),
                    b.name.clone().into(),
                    both.into(),
                    alone[i].into(),
                    alone[j].into(),
                    Value::Number(jaccard),
                ],
            ));
        }
    }
    rows.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    table.rows = rows.into_iter().map(|r| r.3).collect();
    table.notes.push(format!(
        "Pairs of codes coded in the same {}; a code and its ancestors are not paired. Jaccard = {plural} with both ÷ {plural} with either (Jaccard 1912).",
        &plural[..plural.len() - 1]
    ));
    table.notes.push(data.provenance());
    table
}

/// How many units each pair of codes (a, b), a < b, met in.
enum Pairs {
    /// A count for every pair: a unit with k codes counts k² / 2 pairs, and looking each up
    /// in a hash table was most of the table's time.
    Every { codes: usize, counts: Vec<u32> },
    /// Only the pairs that meet: a codebook of thousands of codes has few that ever do.
    /// Hashed with Fx, not SipHash: no input chooses the keys.
    Met(rustc_hash::FxHashMap<(usize, usize), usize>),
}

impl Pairs {
    /// Codebooks up to this many codes count every pair (4 MiB of counts at most).
    const EVERY_UP_TO: usize = 1024;

    fn new(codes: usize) -> Pairs {
        if codes <= Self::EVERY_UP_TO {
            Pairs::Every { codes, counts: vec![0; codes * codes] }
        } else {
            Pairs::Met(Default::default())
        }
    }

    fn add(&mut self, a: usize, b: usize) {
        match self {
            // a unit is counted once per pair, and there are fewer than 2³² units
            Pairs::Every { codes, counts } => counts[a * *codes + b] += 1,
            Pairs::Met(met) => *met.entry((a, b)).or_default() += 1,
        }
    }

    /// Each pair that met, with how many units it met in, in no particular order.
    fn met(&self) -> Box<dyn Iterator<Item = (usize, usize, usize)> + '_> {
        match self {
            &Pairs::Every { codes, ref counts } => Box::new(
                counts
                    .iter()
                    .enumerate()
                    .filter(|&(_, &both)| both > 0)
                    .map(move |(at, &both)| (at / codes, at % codes, both as usize)),
            ),
            Pairs::Met(met) => Box::new(met.iter().map(|(&(a, b), &both)| (a, b, both))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pairs;

    proptest::proptest! {
        /// Counting every pair and hashing those that meet give the same counts (fails if
        /// either loses a pair or swaps a pair's codes).
        #[test]
        fn pairs_counted_in_full_or_hashed_are_the_same(
            added in proptest::collection::vec((0usize..30, 0usize..30), 0..200),
        ) {
            let (mut every, mut met) = (Pairs::new(30), Pairs::Met(Default::default()));
            for &(a, b) in added.iter().filter(|(a, b)| a < b) {
                every.add(a, b);
                met.add(a, b);
            }
            let sorted = |pairs: &Pairs| {
                let mut found: Vec<_> = pairs.met().collect();
                found.sort_unstable();
                found
            };
            let counted_in_full = matches!(every, Pairs::Every { .. });
            proptest::prop_assert!(counted_in_full);
            proptest::prop_assert_eq!(sorted(&every), sorted(&met));
        }
    }
}
