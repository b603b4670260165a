//! `likert`: questionnaire items by wave — counts per scale point, median, IQR, and the
//! paired Wilcoxon signed-rank test from the first to the last wave.
//!
//! Levels are numbered 1…k from the lowest label. Median and quartiles use linear
//! interpolation between order statistics (numpy's default). The Wilcoxon test runs on
//! respondents who answered the item in both waves, on d = later − earlier level, zeros
//! dropped ([`crate::stats::wilcoxon`]); with Likert data it is usually the sign-flip
//! enumeration or the normal approximation with tie correction, as the note states.

use std::collections::{BTreeMap, BTreeSet};

use crate::corpus::{Corpus, LikertAnswer};
use crate::stats::wilcoxon::{ZeroMethod, wilcoxon};
use crate::study::Study;
use crate::table::{Column, ColumnKind, Grouped, Table, Value};

use super::format_p;

/// The Likert table (empty rows when the study has no Likert items).
pub fn likert(study: &Study, corpus: &Corpus) -> Table {
    let scale: Vec<String> = corpus.likert.first().map(|a| a.scale.to_vec()).unwrap_or_default();
    let mut columns = vec![Column::text("item"), Column::text("wave"), Column::integer("n")];
    for (i, label) in scale.iter().enumerate() {
        columns.push(Column::integer(&format!("{} {label}", i + 1)));
    }
    columns.extend([
        Column { name: "median".into(), kind: ColumnKind::Number { decimals: 1 } },
        Column::text("IQR"),
        Column::p_value("Wilcoxon p"),
        Column::text("test"),
    ]);
    let mut table = Table::new("Likert items by wave", columns);
    let mut items: Vec<&str> = Vec::new();
    for answer in &corpus.likert {
        if !items.contains(&&*answer.item) {
            items.push(&answer.item);
        }
    }
    let mut waves: Vec<String> =
        corpus.likert.iter().map(wave_of).collect::<BTreeSet<_>>().into_iter().collect();
    waves.sort_by_key(|w| (study.wave_rank(w), w.clone()));
    for item in &items {
        let answers: Vec<&LikertAnswer> =
            corpus.likert.iter().filter(|a| &*a.item == *item).collect();
        let by_wave = |wave: &str| -> BTreeMap<&str, usize> {
            answers
                .iter()
                .filter(|a| wave_of(a) == wave)
                .filter_map(|a| Some((&*a.participant, a.level? + 1)))
                .collect()
        };
        let test = match (waves.first(), waves.last()) {
            (Some(first), Some(last)) if first != last => {
                let (before, after) = (by_wave(first), by_wave(last));
                let d: Vec<f64> = before
                    .iter()
                    .filter_map(|(p, b)| after.get(p).map(|a| *a as f64 - *b as f64))
                    .collect();
                (!d.is_empty()).then(|| wilcoxon(&d, ZeroMethod::Wilcox, false))
            }
            _ => None,
        };
        for (index, wave) in waves.iter().enumerate() {
            let levels: Vec<usize> = by_wave(wave).into_values().collect();
            let mut row: Vec<Value> =
                vec![(*item).into(), wave.clone().into(), levels.len().into()];
            for level in 1..=scale.len() {
                row.push(levels.iter().filter(|&&l| l == level).count().into());
            }
            let mut sorted: Vec<f64> = levels.iter().map(|&l| l as f64).collect();
            sorted.sort_by(f64::total_cmp);
            row.push(quantile(&sorted, 0.5).map_or(Value::Missing, Value::Number));
            row.push(match (quantile(&sorted, 0.25), quantile(&sorted, 0.75)) {
                (Some(q1), Some(q3)) => format!("{q1:.1}–{q3:.1}").into(),
                _ => Value::Missing,
            });
            let last = index + 1 == waves.len() && index > 0;
            match (&test, last) {
                (Some(t), true) => {
                    row.push(format_p(t.p));
                    row.push(
                        format!(
                            "{} ({} pairs, {} unchanged)",
                            t.method.describe(),
                            Grouped(t.n),
                            Grouped(t.zeros)
                        )
                        .into(),
                    );
                }
                _ => {
                    row.push(Value::Missing);
                    row.push(Value::Missing);
                }
            }
            table.push(row);
        }
    }
    let mut note = format!(
        "Levels 1–{}: {}. Median and IQR by linear interpolation.",
        scale.len(),
        scale.join(", ")
    );
    if let (Some(first), Some(last)) = (waves.first(), waves.last())
        && first != last
    {
        note.push_str(&format!(
            " Wilcoxon signed-rank test (zeros dropped) on respondents answering in both {first} and {last}, d = {last} − {first}, shown on the {last} row."
        ));
    }
    table.notes.push(note);
    table
}

/// The wave of an answer; `–` for questionnaires without one.
fn wave_of(answer: &LikertAnswer) -> String {
    answer.wave.as_deref().unwrap_or("–").to_owned()
}

/// Quantile `q` of sorted values by linear interpolation (numpy's default).
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    Some(sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let values = [1.0, 2.0, 4.0, 5.0];
        assert_eq!(quantile(&values, 0.5), Some(3.0));
        assert_eq!(quantile(&values, 0.25), Some(1.75));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
