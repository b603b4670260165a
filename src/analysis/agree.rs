//! `agree`: agreement between coders at the segment level.
//!
//! Manual codings arrive in the `codings.csv` layout (format 1): `document`, `start`,
//! `end` (char offsets in the document's decoded text), `code` and `origin` (the coder). A
//! coding marks every segment of the analysis unit that its range overlaps. The units
//! compared are the participants' segments of every document that any coder coded. For each
//! code, each coder's yes/no over those units gives percent agreement, Cohen's κ (two
//! coders), Fleiss' κ (three or more) and Krippendorff's α (nominal); see
//! [`crate::stats::agreement`]. A code no coder used has no coefficients; it is listed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Error, Result};
use crate::stats::agreement::{cohen_kappa, fleiss_kappa, krippendorff_alpha};
use crate::table::{Column, ColumnKind, Table, Value};

use super::Dataset;

/// One coder's codings: segment numbers per code.
#[derive(Debug, Clone, Default)]
pub struct CoderCodings {
    /// The coder (the `origin` column).
    pub coder: String,
    /// Code → segments coded.
    pub segments: BTreeMap<String, BTreeSet<usize>>,
    /// Documents this coder coded.
    pub documents: BTreeSet<usize>,
}

/// Read manual codings (`codings.csv` layout) and place them on `data`'s segments.
///
/// # Errors
/// Missing columns, unknown documents or codes, and ranges outside a document — each with
/// the file and line.
pub fn read_codings(data: &Dataset<'_>, path: &Path, text: &str) -> Result<Vec<CoderCodings>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| crate::corpus::participants::csv_error(path, &e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            Error::at_line(path, 1, format!("no column `{name}`; expected the codings.csv layout (document, start, end, code, origin)"))
        })
    };
    let (document, start, end, code, origin) =
        (column("document")?, column("start")?, column("end")?, column("code")?, column("origin")?);
    let documents: BTreeMap<&str, usize> =
        data.corpus.documents.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut coders: BTreeMap<String, CoderCodings> = BTreeMap::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| crate::corpus::participants::csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let error = |message: String| Error::at_line(path, line, message);
        let Some(&doc) = documents.get(cell(document)) else {
            errors.push(error(format!("unknown document `{}`", cell(document))));
            continue;
        };
        if data.codebook.code(cell(code)).is_none() {
            errors.push(error(format!(
                "unknown code `{}` (not in {})",
                cell(code),
                data.codebook.name
            )));
            continue;
        }
        let length = data.corpus.documents[doc].text.chars().count();
        let range = match (cell(start).parse::<usize>(), cell(end).parse::<usize>()) {
            (Ok(a), Ok(b)) if a < b && b <= length => a..b,
            _ => {
                errors.push(error(format!(
                    "range {}–{} is not within the document's {length} characters",
                    cell(start),
                    cell(end)
                )));
                continue;
            }
        };
        let coder = coders.entry(cell(origin).to_owned()).or_insert_with(|| CoderCodings {
            coder: cell(origin).to_owned(),
            ..Default::default()
        });
        coder.documents.insert(doc);
        let marked = coder.segments.entry(cell(code).to_owned()).or_default();
        for (n, segment) in data.segments.iter().enumerate() {
            if segment.document == doc
                && segment.chars.start < range.end
                && range.start < segment.chars.end
            {
                marked.insert(n);
            }
        }
    }
    Error::collect(errors)?;
    Ok(coders.into_values().collect())
}

/// The agreement table: one row per code (codebook order) and a pooled row.
pub fn agree(data: &Dataset<'_>, coders: &[CoderCodings]) -> Table {
    let documents: BTreeSet<usize> =
        coders.iter().flat_map(|c| c.documents.iter().copied()).collect();
    let units: Vec<usize> = (0..data.segments.len())
        .filter(|&n| documents.contains(&data.segments[n].document) && data.is_respondent(n))
        .collect();
    let names: Vec<String> = coders.iter().map(|c| c.coder.clone()).collect();
    let number = |name: &str, decimals| Column {
        name: name.to_owned(),
        kind: ColumnKind::Number { decimals },
    };
    let mut table = Table::new(
        format!("Agreement between {} ({} {}s)", names.join(", "), units.len(), data.unit.name()),
        vec![
            Column::text("code"),
            Column::integer("units coded by anyone"),
            number("% agreement", 1),
            number(if coders.len() == 2 { "Cohen's κ" } else { "Fleiss' κ" }, 3),
            number("Krippendorff's α", 3),
        ],
    );
    let mut pooled: Vec<Vec<usize>> = vec![Vec::new(); coders.len()];
    for code in &data.codebook.codes {
        let votes: Vec<Vec<usize>> = coders
            .iter()
            .map(|c| {
                units
                    .iter()
                    .map(|n| usize::from(c.segments.get(&code.id).is_some_and(|s| s.contains(n))))
                    .collect()
            })
            .collect();
        for (all, mine) in pooled.iter_mut().zip(&votes) {
            all.extend(mine);
        }
        let used = (0..units.len()).filter(|&u| votes.iter().any(|v| v[u] == 1)).count();
        table.push(row(data.code_label(&code.id), used, &votes));
    }
    let used = pooled
        .first()
        .map_or(0, |p| (0..p.len()).filter(|&u| pooled.iter().any(|v| v[u] == 1)).count());
    table.push(row("all codes (pooled)".into(), used, &pooled));
    table.notes.push(format!(
        "Units: the participants' {}s of the {} documents any coder coded; a coding marks every unit its range overlaps. Percent agreement over units; {} on yes/no per code; Krippendorff's α nominal. Codes nobody used have no coefficients.",
        data.unit.name(),
        documents.len(),
        if coders.len() == 2 { "Cohen's κ (Cohen 1960)" } else { "Fleiss' κ (Fleiss 1971)" }
    ));
    table
}

fn row(label: String, used: usize, votes: &[Vec<usize>]) -> Vec<Value> {
    let to_value = |x: Option<f64>| x.map_or(Value::Missing, Value::Number);
    if used == 0 || votes.len() < 2 {
        return vec![label.into(), used.into(), Value::Missing, Value::Missing, Value::Missing];
    }
    let units = votes[0].len();
    let agreeing = (0..units).filter(|&u| votes.iter().all(|v| v[u] == votes[0][u])).count();
    let kappa = if votes.len() == 2 {
        cohen_kappa(&votes[0], &votes[1])
    } else {
        let counts: Vec<Vec<usize>> = (0..units)
            .map(|u| {
                let yes = votes.iter().filter(|v| v[u] == 1).count();
                vec![votes.len() - yes, yes]
            })
            .collect();
        fleiss_kappa(&counts, false)
    };
    let data: Vec<Vec<Option<usize>>> =
        votes.iter().map(|v| v.iter().map(|&x| Some(x)).collect()).collect();
    vec![
        label.into(),
        used.into(),
        Value::Number(100.0 * agreeing as f64 / units as f64),
        to_value(kappa),
        to_value(krippendorff_alpha(&data)),
    ]
}
