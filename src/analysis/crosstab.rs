//! `crosstab`: codes × groups of participants (one attribute, or two combined).
//!
//! For each code and group: n (%) of the group's participants mentioning the code (over all
//! of each participant's documents, or one wave with `--wave`). The test of independence is
//! Pearson's χ² on the 2 × k table (mentioned / not × groups) unless Cochran's rule finds the
//! expected counts too small (any below 1, or more than 20% below 5); then Fisher's exact
//! test (Freeman–Halton for k > 2). Cramér's V gives the strength. p-values are adjusted
//! across codes. See [`crate::stats::contingency`].

use crate::error::{Error, Result};
use crate::stats::adjust::{Adjustment, adjust};
use crate::stats::contingency::{chi_square, cramers_v, fisher_exact};
use crate::table::{Column, ColumnKind, Grouped, Table, Value};

use super::{Dataset, count_percent, format_p};

/// Options for [`crosstab`].
#[derive(Debug, Clone)]
pub struct CrosstabOptions {
    /// One or two participant attributes.
    pub by: Vec<String>,
    /// Restrict to one wave.
    pub wave: Option<String>,
    /// p-value adjustment across codes.
    pub adjustment: Adjustment,
}

/// The crosstab table.
///
/// # Errors
/// No attribute, more than two, or an unknown one; a wave no document has.
pub fn crosstab(data: &Dataset<'_>, options: &CrosstabOptions) -> Result<Table> {
    if options.by.is_empty() || options.by.len() > 2 {
        return Err(Error::Usage("crosstab takes one or two --by attributes".into()));
    }
    for attribute in &options.by {
        data.check_attribute(attribute)?;
    }
    // a segment's wave is its document's, looked up, not listed for every segment
    if let Some(wave) = &options.wave
        && !(0..data.segments.len()).any(|n| data.wave(n) == Some(wave.as_str()))
    {
        return Err(Error::Usage(format!("no document has wave `{wave}`")));
    }
    let keep = |n: usize| options.wave.as_ref().is_none_or(|w| data.wave(n) == Some(w.as_str()));
    // participants by number (`Dataset::participant_number`), each one's group found once
    let speech = data.speech_by_number(keep);
    let ids = data.participant_ids();
    let present: Vec<u32> =
        data.participants_by_id().into_iter().filter(|&p| speech[p as usize].is_some()).collect();
    let group_of = |participant: u32| -> String {
        let values: Vec<String> =
            options.by.iter().map(|a| data.attribute(ids[participant as usize], a)).collect();
        values.join(" × ")
    };
    let labels: Vec<String> = present.iter().map(|&p| group_of(p)).collect();
    let levels = combined_levels(data, &options.by, present.iter().map(|&p| ids[p as usize]));
    // each level's place among the groups, and each participant's group (none: absent)
    let mut group_of_participant = vec![usize::MAX; speech.len()];
    let mut members: Vec<usize> = vec![0; levels.len()];
    for (&p, label) in present.iter().zip(&labels) {
        if let Some(level) = levels.iter().position(|l| l == label) {
            group_of_participant[p as usize] = level;
            members[level] += 1;
        }
    }
    let kept: Vec<usize> = (0..levels.len()).filter(|&l| members[l] > 0).collect();
    let mut place = vec![usize::MAX; levels.len()];
    for (i, &l) in kept.iter().enumerate() {
        place[l] = i;
    }
    let levels: Vec<&String> = kept.iter().map(|&l| &levels[l]).collect();
    let members: Vec<usize> = kept.iter().map(|&l| members[l]).collect();
    let mut columns = vec![Column::text("code")];
    for (level, group) in levels.iter().zip(&members) {
        columns.push(Column::count(&format!("{level} (n = {})", Grouped(group))));
    }
    columns.extend([
        Column::text("test"),
        Column { name: "statistic".into(), kind: ColumnKind::Number { decimals: 2 } },
        Column::p_value("p"),
        Column::p_value("adjusted p"),
        Column { name: "Cramér's V".into(), kind: ColumnKind::Number { decimals: 2 } },
    ]);
    let title = format!(
        "Codes by {}{}",
        options.by.join(" × "),
        options.wave.as_ref().map(|w| format!(" ({w})")).unwrap_or_default()
    );
    let mut table = Table::new(title, columns);
    let mut pending = Vec::new();
    // how many of each group mention each code, in one pass over what each member
    // mentioned: asking every member about every code by name was most of the table's time
    // with hundreds of codes
    let codes = &data.codebook.codes;
    let mut mentioned_by_code = vec![vec![0usize; members.len()]; codes.len()];
    for (participant, code) in data.mentions_by_number(keep) {
        let group = group_of_participant[participant as usize];
        if group != usize::MAX {
            mentioned_by_code[code][place[group]] += 1;
        }
    }
    for (code, mentioned) in codes.iter().zip(mentioned_by_code) {
        let mut row: Vec<Value> = vec![data.code_label(&code.id).into()];
        for (n, group) in mentioned.iter().zip(&members) {
            row.push(count_percent(*n, *group));
        }
        let contingency = vec![
            mentioned.iter().map(|&n| n as u64).collect::<Vec<_>>(),
            mentioned.iter().zip(&members).map(|(&n, &g)| (g - n) as u64).collect(),
        ];
        let (test, statistic, p) = independence(&contingency);
        row.push(test.into());
        row.push(statistic.map_or(Value::Missing, Value::Number));
        pending.push((row, p, cramers_v(&contingency)));
    }
    let adjusted = adjust(&pending.iter().map(|r| r.1).collect::<Vec<_>>(), options.adjustment);
    for ((mut row, p, v), adjusted) in pending.into_iter().zip(adjusted) {
        row.push(format_p(p));
        row.push(format_p(adjusted));
        row.push(v.map_or(Value::Missing, Value::Number));
        table.push(row);
    }
    table.notes.push(format!(
        "n (%) of each group's participants with at least one coded segment{}. Pearson's χ² test of independence on mentioned / not × groups, or Fisher's exact test (Freeman–Halton beyond 2 groups) when any expected count is below 1 or more than 20% are below 5 (Cochran 1954); Cramér's V from the uncorrected χ². p-values adjusted across codes by {}.",
        options.wave.as_ref().map(|w| format!(" in wave {w}")).unwrap_or_default(),
        options.adjustment.describe()
    ));
    table.notes.push(data.provenance());
    Ok(table)
}

/// The test reported for a 2 × k table: name, statistic (χ² only) and p.
fn independence(table: &[Vec<u64>]) -> (&'static str, Option<f64>, Option<f64>) {
    let columns = table[0].len();
    let total: u64 = table.iter().flatten().sum();
    let row_empty = table.iter().any(|r| r.iter().sum::<u64>() == 0);
    if columns < 2 || total == 0 || row_empty {
        return ("–", None, None);
    }
    let chi2 = chi_square(table, false);
    if chi2.expected_too_small()
        && let Some(p) = fisher_exact(table)
    {
        return ("Fisher", None, Some(p));
    }
    ("χ²", Some(chi2.statistic), Some(chi2.p))
}

/// Levels of one attribute, or of two combined (`female × low`), in declared order.
fn combined_levels<'p>(
    data: &Dataset<'_>,
    by: &[String],
    present: impl Iterator<Item = &'p str> + Clone,
) -> Vec<String> {
    let first = data.levels(&by[0], present.clone());
    match by.get(1) {
        None => first,
        Some(second) => {
            let second = data.levels(second, present);
            first.iter().flat_map(|a| second.iter().map(move |b| format!("{a} × {b}"))).collect()
        }
    }
}
