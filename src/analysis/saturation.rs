//! `saturation`: new codes per successive document — the thematic saturation curve.
//!
//! Documents are taken in the order they were gathered, as far as the study says: by wave
//! (the study's `waves` order; documents of no listed wave last), within a wave by their
//! `date` attribute (undated documents after dated ones), then in the study's document
//! order. Study order alone would put a student's post-programme interview before their
//! pre-programme one whenever the files sort that way. For each document:
//! the codes first seen in it (participants' speech only), and the running total. A curve
//! that flattens suggests saturation (Guest, Bunce & Johnson 2006).

use crate::table::{Column, Grouped, Table, Value};

use super::Dataset;

/// Up to this many documents the table lists every one; past it, the first, those in which
/// codes were first seen and the last. A survey's answers are documents: a table (and a
/// report) of hundreds of thousands of rows, nearly all adding nothing, could be neither
/// read nor printed, and the curve ([`crate::chart::saturation_curve`]) shows every document
/// either way, from the first to the last.
pub const EVERY_DOCUMENT_UP_TO: usize = 200;

/// The saturation table.
pub fn saturation(data: &Dataset<'_>) -> Table {
    // ticked off per document: collected into a set, every participant segment's document
    // was first listed and sorted (84 MB at 1 GB of transcripts)
    let mut spoken = vec![false; data.corpus.documents.len()];
    for n in data.respondent_segments().iter() {
        spoken[data.segments[n as usize].document_index()] = true;
    }
    let mut documents: Vec<usize> = (0..spoken.len()).filter(|&d| spoken[d]).collect();
    let date = |d: usize| data.corpus.documents[d].attributes.get("date").map(str::to_owned);
    let wave = |d: usize| {
        let wave = data.corpus.documents[d].wave.as_deref();
        (wave.map_or(usize::MAX, |w| data.study.wave_rank(w)), wave)
    };
    // `None` sorts first, so undated documents are keyed after every date by `is_none`
    documents.sort_by_key(|&d| (wave(d), date(d).is_none(), date(d), d));
    let waves = documents.iter().any(|&d| data.corpus.documents[d].wave.is_some());
    let dates = documents.iter().any(|&d| date(d).is_some());
    let mut table = Table::new(
        "Thematic saturation: new codes per document",
        vec![
            Column::locator("order"),
            Column::text("document"),
            Column::text("date"),
            Column::integer("new codes"),
            Column::integer("codes so far"),
            Column::text("codes first seen"),
        ],
    );
    // Each code is first seen in the earliest document of its coded segments, which the
    // dataset lists once per code for every analysis (a set of names per document, added to
    // for every coding, was slow for millions of codings). A document's new codes are then
    // those first seen in it, in codebook order.
    let mut order_of: Vec<Option<usize>> = vec![None; data.corpus.documents.len()];
    for (order, &document) in documents.iter().enumerate() {
        order_of[document] = Some(order);
    }
    let mut first_seen_in: Vec<Vec<&str>> = vec![Vec::new(); documents.len()];
    for code in &data.codebook.codes {
        let segments = data.segments_coded_with(&code.id).iter();
        let documents = segments.map(|n| data.segments[n as usize].document_index());
        if let Some(first) = documents.filter_map(|document| order_of[document]).min() {
            first_seen_in[first].push(&code.id);
        }
    }
    let mut seen = 0;
    let every = documents.len() <= EVERY_DOCUMENT_UP_TO;
    for (order, (&document, new)) in documents.iter().zip(&first_seen_in).enumerate() {
        seen += new.len();
        if !(every || !new.is_empty() || order == 0 || order + 1 == documents.len()) {
            continue;
        }
        table.push(vec![
            (order + 1).into(),
            data.corpus.documents[document].id.clone().into(),
            date(document).map_or(Value::Missing, Value::from),
            new.len().into(),
            seen.into(),
            new.join(", ").into(),
        ]);
    }
    let order = match (waves, dates) {
        (true, true) => {
            "wave order, then by date (undated documents last in their wave), then in study order"
        }
        (true, false) => "wave order, then in study order",
        (false, true) => "date order (undated documents last), then in study order",
        (false, false) => "study order",
    };
    table.notes.push(format!(
        "Documents in {order}; a code counts as seen once any participant's segment is coded with it. {} of {} codes seen.",
        Grouped(seen),
        Grouped(data.codebook.codes.len())
    ));
    if !every {
        table.notes.push(format!(
            "Of the {} documents, the first, those in which codes were first seen ({}) and the last are listed; the others added none.",
            Grouped(documents.len()),
            Grouped(first_seen_in.iter().filter(|new| !new.is_empty()).count()),
        ));
    }
    table.notes.push(data.provenance());
    table
}
