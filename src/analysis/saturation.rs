//! `saturation`: new codes per successive document — the thematic saturation curve.
//!
//! Documents are taken in interview date order when every document with participants'
//! speech has a `date` attribute, else in the study's document order. For each document:
//! the codes first seen in it (participants' speech only), and the running total. A curve
//! that flattens suggests saturation (Guest, Bunce & Johnson 2006).

use std::collections::BTreeSet;

use crate::table::{Column, Table, Value};

use super::Dataset;

/// The saturation table.
pub fn saturation(data: &Dataset<'_>) -> Table {
    let mut documents: Vec<usize> = (0..data.segments.len())
        .filter(|&n| data.is_respondent(n))
        .map(|n| data.segments[n].document_index())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let date = |d: usize| data.corpus.documents[d].attributes.get("date").cloned();
    let dated = documents.iter().all(|&d| date(d).is_some());
    if dated {
        documents.sort_by_key(|&d| (date(d), d));
    }
    let mut table = Table::new(
        "Thematic saturation: new codes per document",
        vec![
            Column::integer("order"),
            Column::text("document"),
            Column::text("date"),
            Column::integer("new codes"),
            Column::integer("codes so far"),
            Column::text("codes first seen"),
        ],
    );
    // which codes each document's codings have, a bit per codebook position (a set of names
    // per document, added to for every coding, was slow for millions of codings)
    let words_per_document = data.codebook.codes.len().div_ceil(64);
    let mut coded_in: Vec<Vec<u64>> = vec![Vec::new(); data.corpus.documents.len()];
    for coding in data.coded(|_| true) {
        let Some(position) = data.codebook.position(coding.code()) else { continue };
        let bits = &mut coded_in[data.segments[coding.segment].document_index()];
        if bits.is_empty() {
            bits.resize(words_per_document, 0);
        }
        bits[position / 64] |= 1 << (position % 64);
    }
    let mut seen = vec![false; data.codebook.codes.len()];
    let mut seen_count = 0;
    for (order, &document) in documents.iter().enumerate() {
        let bits = &coded_in[document];
        let coded = |position: usize| {
            bits.get(position / 64).is_some_and(|w| w >> (position % 64) & 1 == 1)
        };
        let mut new: Vec<&str> = Vec::new();
        for (position, code) in data.codebook.codes.iter().enumerate() {
            if coded(position) && !seen[position] {
                seen[position] = true;
                new.push(&code.id);
            }
        }
        seen_count += new.len();
        table.push(vec![
            (order + 1).into(),
            data.corpus.documents[document].id.clone().into(),
            date(document).map_or(Value::Missing, Value::from),
            new.len().into(),
            seen_count.into(),
            new.join(", ").into(),
        ]);
    }
    table.notes.push(format!(
        "Documents in {} order; a code counts as seen once any participant's segment is coded with it. {} of {} codes seen.",
        if dated { "interview date" } else { "study" },
        seen_count,
        data.codebook.codes.len()
    ));
    table.notes.push(data.provenance());
    table
}
