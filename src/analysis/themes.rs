//! `themes`: how many participants (documents, segments) raised each code.
//!
//! Per code, in codebook tree order (parents include their children's codings):
//! - participants mentioning it, n (%) of the participants who spoke;
//! - documents and segments coded;
//! - coverage: characters of coded segments ÷ characters of all participants' segments, as
//!   NVivo defines coverage;
//! - rate: coded segments per 1,000 words of participants' speech.
//!
//! With `--by ATTR` (repeatable; `wave` allowed) one column per level gives n (%) of that
//! level's participants (or documents, or segments, with `--unit`). In wave columns a
//! participant counts if they raised the code in that wave.

use std::collections::BTreeSet;

use crate::error::Result;
use crate::table::{Column, ColumnKind, Table, Value};

use super::exemplars::{cell, exemplars};
use super::{Dataset, count_percent};

/// What the n (%) columns count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountUnit {
    /// Participants (the default).
    Participant,
    /// Documents.
    Document,
    /// Segments.
    Segment,
}

impl CountUnit {
    fn plural(self) -> &'static str {
        match self {
            CountUnit::Participant => "participants",
            CountUnit::Document => "documents",
            CountUnit::Segment => "segments",
        }
    }
}

/// Options for [`themes`].
#[derive(Debug, Clone, Default)]
pub struct ThemeOptions {
    /// Split by these attributes (`wave` or participant attributes).
    pub by: Vec<String>,
    /// Unit of the n (%) columns.
    pub unit: Option<CountUnit>,
    /// Exemplar quotes per code (0 for none).
    pub quotes: usize,
}

/// One column group: a label and a filter on segments.
struct Group<'d> {
    label: String,
    keep: Box<dyn Fn(usize) -> bool + 'd>,
}

/// The themes table.
///
/// # Errors
/// An unknown attribute in `by`.
pub fn themes(data: &Dataset<'_>, options: &ThemeOptions) -> Result<Table> {
    let unit = options.unit.unwrap_or(CountUnit::Participant);
    let groups = groups(data, &options.by)?;
    let all = |_: usize| true;
    let speech = data.speech(all);
    let total_words: usize = speech.values().map(|s| s.words).sum();
    let total_chars: usize = speech.values().map(|s| s.chars).sum();
    let denominator = |keep: &dyn Fn(usize) -> bool| units_present(data, unit, keep);
    let overall_n = denominator(&all);
    let mut columns = vec![
        Column::text("code"),
        Column::count(&format!("{} n (%) (N = {overall_n})", unit.plural())),
        Column::integer("documents"),
        Column::integer("segments"),
        Column { name: "coverage %".into(), kind: ColumnKind::Number { decimals: 1 } },
        Column { name: "per 1,000 words".into(), kind: ColumnKind::Number { decimals: 2 } },
    ];
    let group_sizes: Vec<usize> = groups.iter().map(|g| denominator(&*g.keep)).collect();
    for (group, size) in groups.iter().zip(&group_sizes) {
        columns.push(Column::count(&format!("{} (n = {size})", group.label)));
    }
    if options.quotes > 0 {
        columns.push(Column::text("exemplar quotes"));
    }
    let title = if options.by.is_empty() {
        format!("Themes: {} coded with each code", unit.plural())
    } else {
        format!("Themes by {}: {} coded with each code", options.by.join(" and "), unit.plural())
    };
    let mut table = Table::new(title, columns);
    for code in &data.codebook.codes {
        let coded = data.segments_coded_with(&code.id);
        let documents = coded.iter().map(|n| data.segments[n as usize].document_index());
        let documents = distinct(documents, data.corpus.documents.len());
        let chars: usize = coded.iter().map(|n| data.segments[n as usize].chars().len()).sum();
        let mut row: Vec<Value> = vec![
            data.code_label(&code.id).into(),
            count_percent(count(data, unit, coded.iter(), &all), overall_n),
            documents.into(),
            coded.len().into(),
            ratio(chars as f64 * 100.0, total_chars),
            ratio(coded.len() as f64 * 1000.0, total_words),
        ];
        for (group, size) in groups.iter().zip(&group_sizes) {
            row.push(count_percent(count(data, unit, coded.iter(), &*group.keep), *size));
        }
        if options.quotes > 0 {
            row.push(cell(&exemplars(data, &code.id, options.quotes, all)).into());
        }
        table.push(row);
    }
    let denominator_text = match unit {
        CountUnit::Participant => format!(
            "participants with at least one coded segment, of the {overall_n} participants who spoke"
        ),
        CountUnit::Document => format!(
            "documents with at least one coded segment, of the {overall_n} documents with participants' speech"
        ),
        CountUnit::Segment => {
            format!("coded segments, of the {overall_n} segments of participants' speech")
        }
    };
    table.notes.push(format!(
        "n (%) = {denominator_text}; group columns use each group's own total (n). Coverage = characters of coded segments ÷ characters of all participants' segments (NVivo's coverage). Rate = coded segments per 1,000 words of participants' speech ({total_words} words)."
    ));
    table.notes.push(data.provenance());
    Ok(table)
}

fn ratio(numerator: f64, denominator: usize) -> Value {
    if denominator == 0 { Value::Missing } else { Value::Number(numerator / denominator as f64) }
}

/// Distinct units among coded segments `coded` that pass `keep`.
fn count(
    data: &Dataset<'_>,
    unit: CountUnit,
    coded: impl Iterator<Item = u32>,
    keep: &dyn Fn(usize) -> bool,
) -> usize {
    let kept = coded.map(|n| n as usize).filter(|&n| keep(n));
    match unit {
        CountUnit::Segment => kept.count(),
        CountUnit::Document => {
            distinct(kept.map(|n| data.segments[n].document_index()), data.corpus.documents.len())
        }
        CountUnit::Participant => {
            let numbers = kept.filter_map(|n| data.participant_number(n));
            distinct(numbers.map(|p| p as usize), data.participant_count())
        }
    }
}

/// How many different values `values` holds, each below `bound`: ticked off in a table as
/// they come (this runs for every code and group of every themes table, over every coded
/// segment of a large study), or collected and sorted when the iterator says it holds few
/// values next to `bound` (its upper size bound: thousands of codes, each rare, in a study
/// of thousands of documents would otherwise clear a large table for a few values).
fn distinct(values: impl Iterator<Item = usize>, bound: usize) -> usize {
    if values.size_hint().1.is_some_and(|most| most < bound / 16) {
        let mut values: Vec<usize> = values.collect();
        values.sort_unstable();
        values.dedup();
        return values.len();
    }
    let mut seen = vec![false; bound];
    values.filter(|&value| !std::mem::replace(&mut seen[value], true)).count()
}

/// Units with any participant speech passing `keep`: the denominator.
fn units_present(data: &Dataset<'_>, unit: CountUnit, keep: &dyn Fn(usize) -> bool) -> usize {
    count(data, unit, data.respondent_segments().iter(), keep)
}

fn groups<'d>(data: &'d Dataset<'_>, by: &[String]) -> Result<Vec<Group<'d>>> {
    let mut groups: Vec<Group<'d>> = Vec::new();
    for attribute in by {
        if attribute == "wave" {
            // the waves of documents with segments
            let mut segmented = vec![false; data.corpus.documents.len()];
            for segment in data.segments {
                segmented[segment.document_index()] = true;
            }
            let documents = data.corpus.documents.iter().zip(segmented);
            let waves: BTreeSet<&str> =
                documents.filter(|(_, s)| *s).filter_map(|(d, _)| d.wave.as_deref()).collect();
            let mut waves: Vec<&str> = waves.into_iter().collect();
            waves.sort_by_key(|w| (data.study.wave_rank(w), *w));
            for wave in waves {
                // a wave is a document's: membership kept per document, not per segment (a
                // list per segment and level was a quarter of a large run's memory)
                let member: Vec<bool> = (data.corpus.documents.iter())
                    .map(|d| d.wave.as_deref() == Some(wave))
                    .collect();
                let keep = move |n: usize| member[data.segments[n].document_index()];
                groups.push(Group { label: wave.to_owned(), keep: Box::new(keep) });
            }
            continue;
        }
        data.check_attribute(attribute)?;
        // each participant's value looked up once, then found for a segment by the number
        // of its participant
        let ids = data.participant_ids();
        let values: Vec<String> = ids.iter().map(|p| data.attribute(p, attribute)).collect();
        for level in data.levels(attribute, ids.iter().copied()) {
            let in_level: Vec<bool> = values.iter().map(|value| *value == level).collect();
            let keep =
                move |n: usize| data.participant_number(n).is_some_and(|p| in_level[p as usize]);
            groups.push(Group { label: format!("{attribute}: {level}"), keep: Box::new(keep) });
        }
    }
    Ok(groups)
}
