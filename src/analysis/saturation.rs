//! `saturation`: new codes per successive document — the thematic saturation curve.
//!
//! Documents are taken in interview date order when every document with participants'
//! speech has a `date` attribute, else in the study's document order. For each document:
//! the codes first seen in it (participants' speech only), and the running total. A curve
//! that flattens suggests saturation (Guest, Bunce & Johnson 2006).

use std::collections::{BTreeMap, BTreeSet};

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
    let mut by_document: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for coding in data.coded(|_| true) {
        by_document
            .entry(data.segments[coding.segment].document_index())
            .or_default()
            .insert(&**coding.code());
    }
    let none = BTreeSet::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (order, &document) in documents.iter().enumerate() {
        let codes = by_document.get(&document).unwrap_or(&none);
        let new: Vec<&str> = data
            .codebook
            .codes
            .iter()
            .map(|c| c.id.as_str())
            .filter(|id| codes.contains(id) && !seen.contains(id))
            .collect();
        seen.extend(&new);
        table.push(vec![
            (order + 1).into(),
            data.corpus.documents[document].id.clone().into(),
            date(document).map_or(Value::Missing, Value::from),
            new.len().into(),
            seen.len().into(),
            new.join(", ").into(),
        ]);
    }
    table.notes.push(format!(
        "Documents in {} order; a code counts as seen once any participant's segment is coded with it. {} of {} codes seen.",
        if dated { "interview date" } else { "study" },
        seen.len(),
        data.codebook.codes.len()
    ));
    table.notes.push(data.provenance());
    table
}
