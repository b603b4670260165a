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
use crate::table::{Column, ColumnKind, Grouped, Table, Value};

use super::exemplars::{cell, exemplars_of_all};
use super::{Dataset, Place, count_percent};
use crate::segment_list::SegmentList;

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

/// One column group: a label and the documents or participants it keeps.
struct Group {
    label: String,
    members: Members,
}

/// Who a column group keeps: a wave is a document's, an attribute's level a participant's
/// (kept per document or participant, not per segment: a list per segment and level was a
/// quarter of a large run's memory).
enum Members {
    Documents(Vec<bool>),
    Participants(Vec<bool>),
}

impl Group {
    fn keeps(&self, place: Place) -> bool {
        match &self.members {
            Members::Documents(member) => member[place.document as usize],
            Members::Participants(member) => {
                place.participant().is_some_and(|p| member[p as usize])
            }
        }
    }
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
    let all_places = (data.respondent_segments(), data.respondent_places());
    let (overall_n, group_sizes) = tally(data, unit, &groups, all_places);
    // a group none of the participants analysed is in (the staff's missing ability, once
    // `--where role=student` leaves the students) would be a column of dashes under n = 0
    let (groups, group_sizes): (Vec<Group>, Vec<usize>) =
        groups.into_iter().zip(group_sizes).filter(|(_, size)| *size > 0).unzip();
    let overall_n = overall_n.total;
    let mut columns = vec![
        Column::text("code"),
        Column::count(&format!("{} n (%) (N = {})", unit.plural(), Grouped(overall_n))),
        Column::integer("documents"),
        Column::integer("segments"),
        Column { name: "coverage %".into(), kind: ColumnKind::Number { decimals: 1 } },
        Column { name: "per 1,000 words".into(), kind: ColumnKind::Number { decimals: 2 } },
    ];
    for (group, size) in groups.iter().zip(&group_sizes) {
        columns.push(Column::count(&format!("{} (n = {})", group.label, Grouped(size))));
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
        let places = (coded, data.places_coded_with(&code.id));
        let (overall, by_group) = tally(data, unit, &groups, places);
        let mut row: Vec<Value> = vec![
            data.code_label(&code.id).into(),
            count_percent(overall.total, overall_n),
            overall.documents.into(),
            coded.len().into(),
            ratio(data.chars_coded_with(&code.id) as f64 * 100.0, total_chars),
            ratio(coded.len() as f64 * 1000.0, total_words),
        ];
        for (counted, size) in by_group.iter().zip(&group_sizes) {
            row.push(count_percent(*counted, *size));
        }
        if options.quotes > 0 {
            row.push(cell(&exemplars_of_all(data, &code.id, options.quotes)).into());
        }
        table.push(row);
    }
    let (overall_n, total_words) = (Grouped(overall_n), Grouped(total_words));
    let denominator_text = match unit {
        CountUnit::Participant => format!(
            "participants with at least one coded segment in any of their documents, of the {overall_n} participants who spoke"
        ),
        CountUnit::Document => format!(
            "documents with at least one coded segment, of the {overall_n} documents with participants' speech"
        ),
        CountUnit::Segment => {
            format!("coded segments, of the {overall_n} segments of participants' speech")
        }
    };
    table.notes.push(format!(
        "n (%) = {denominator_text}; group columns use each group's own total (n). Coverage = characters of coded segments ÷ characters of all participants' segments (NVivo's coverage). Per 1,000 words = coded segments per 1,000 words of participants' speech ({total_words} words)."
    ));
    table.notes.push(data.provenance());
    Ok(table)
}

fn ratio(numerator: f64, denominator: usize) -> Value {
    if denominator == 0 { Value::Missing } else { Value::Number(numerator / denominator as f64) }
}

/// What the overall columns count of some segments.
struct Counted {
    /// distinct units (participants, documents or segments)
    total: usize,
    /// distinct documents
    documents: usize,
}

/// Counts `segments` (in the codings' order, as listed) for the overall columns, and the
/// units of each group's column, in one pass that reads no segment's record: over `places`
/// (the segments' places, each once) when participants or documents are counted, since
/// neither count changes with how many of a place's segments there are.
fn tally(
    data: &Dataset<'_>,
    unit: CountUnit,
    groups: &[Group],
    (segments, places): (&SegmentList, &[Place]),
) -> (Counted, Vec<usize>) {
    let documents_bound = data.corpus.documents.len();
    let most = match unit {
        CountUnit::Segment => segments.len(),
        _ => places.len(),
    };
    let new_units = || match unit {
        CountUnit::Participant => Distinct::new(most, data.participant_count()),
        CountUnit::Document => Distinct::new(most, documents_bound),
        // counted as listed, as `segments` counts them
        CountUnit::Segment => Distinct::Known(0),
    };
    let (mut units, mut documents) = (new_units(), Distinct::new(places.len(), documents_bound));
    let mut by_group: Vec<Distinct> = groups.iter().map(|_| new_units()).collect();
    let mut count = |place: Place, value: Option<usize>| {
        let Some(value) = value else { return };
        units.add(value);
        for (group, counted) in groups.iter().zip(&mut by_group) {
            if group.keeps(place) {
                counted.add(value);
            }
        }
    };
    if unit == CountUnit::Segment {
        let mut run = 0;
        for n in segments.iter() {
            count(data.place_of(n as usize, &mut run), Some(n as usize));
        }
    } else {
        for &place in places {
            let value = match unit {
                CountUnit::Participant => place.participant().map(|p| p as usize),
                _ => Some(place.document as usize),
            };
            count(place, value);
        }
    }
    for place in places {
        documents.add(place.document as usize);
    }
    let overall = Counted { total: units.count(), documents: documents.count() };
    (overall, by_group.into_iter().map(Distinct::count).collect())
}

/// How many different values it was given, each below a bound: ticked off in a table as they
/// come (this runs for every code and group of every themes table, over every coded segment
/// of a large study), or collected and sorted when at most few values next to the bound are
/// to come (thousands of codes, each rare, in a study of thousands of documents would
/// otherwise clear a large table for a few values).
enum Distinct {
    /// values only counted, as given
    Known(usize),
    Few(Vec<usize>),
    Ticked {
        seen: Vec<bool>,
        count: usize,
    },
}

impl Distinct {
    /// For at most `most` values, each below `bound`.
    fn new(most: usize, bound: usize) -> Distinct {
        if most < bound / 16 {
            Distinct::Few(Vec::with_capacity(most))
        } else {
            Distinct::Ticked { seen: vec![false; bound], count: 0 }
        }
    }

    fn add(&mut self, value: usize) {
        match self {
            Distinct::Known(count) => *count += 1,
            Distinct::Few(values) => values.push(value),
            Distinct::Ticked { seen, count } => {
                if !std::mem::replace(&mut seen[value], true) {
                    *count += 1;
                }
            }
        }
    }

    fn count(self) -> usize {
        match self {
            Distinct::Few(mut values) => {
                values.sort_unstable();
                values.dedup();
                values.len()
            }
            Distinct::Known(count) | Distinct::Ticked { count, .. } => count,
        }
    }
}

fn groups(data: &Dataset<'_>, by: &[String]) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
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
                let member: Vec<bool> = (data.corpus.documents.iter())
                    .map(|d| d.wave.as_deref() == Some(wave))
                    .collect();
                groups.push(Group { label: wave.to_owned(), members: Members::Documents(member) });
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
            let members = Members::Participants(in_level);
            groups.push(Group { label: format!("{attribute}: {level}"), members });
        }
    }
    Ok(groups)
}
