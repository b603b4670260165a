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
    let unit_and_code = |coding: crate::coding::Coding<'_>| {
        let code = data.codebook.position(coding.code())?;
        Some((unit_of(coding), u32::try_from(code).expect("fewer than 2³² codes")))
    };
    let n = data.codebook.codes.len();
    let mut alone = vec![0usize; n];
    // Sparse: a codebook of thousands of codes has few pairs that ever meet. Hashed with Fx,
    // not SipHash: a unit with k codes counts k² / 2 pairs, and no input chooses the keys.
    let mut together: rustc_hash::FxHashMap<(usize, usize), usize> = Default::default();
    // one unit's codes, each once
    let mut count = |codes: &mut Vec<u32>| {
        codes.sort_unstable();
        codes.dedup();
        for (k, &a) in codes.iter().enumerate() {
            alone[a as usize] += 1;
            for &b in &codes[k + 1..] {
                *together.entry((a as usize, b as usize)).or_default() += 1;
            }
        }
        codes.clear();
    };
    let units = || data.coded(|_| true).filter_map(unit_and_code);
    let mut codes = Vec::new();
    if data.coded(|_| true).map(unit_of).is_sorted() {
        // Codings come by segment and segments by document, so a unit's codings are
        // together: counted as they come, a unit's codes at a time (a large study codes
        // millions of segments: a list of every coding's unit and code, 8 bytes a coding,
        // was about 110 MB at 1 GB, and had to be sorted).
        let mut current = None;
        for (unit, code) in units() {
            if current.replace(unit).is_some_and(|previous| previous != unit) {
                count(&mut codes);
            }
            codes.push(code);
        }
    } else {
        // a participant's codings are spread over documents: every (unit, code), sorted
        let mut pairs: Vec<(u32, u32)> = units().collect();
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
    for (&(i, j), &both) in &together {
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
