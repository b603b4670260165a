//! `compare`: before vs after (pre vs post), paired on participants present in both.
//!
//! For each code, among participants who spoke in both conditions: n (%) mentioning it
//! before and after, the change in percentage points, the discordant counts b (before only)
//! and c (after only), McNemar's test (exact by default; mid-p or the continuity-corrected χ²
//! on request; see [`crate::stats::mcnemar`]) and the Wilcoxon signed-rank test on each
//! participant's rate (coded segments per 1,000 words) after − before
//! ([`crate::stats::wilcoxon`], zeros dropped, scipy's method choice). p-values are adjusted
//! across the codes of the table (Holm by default). Participants who spoke in only one
//! condition are left out and counted in a note. With no participant in both conditions the
//! comparison falls back to Fisher's exact test on independent groups and says so.

use std::collections::{BTreeMap, BTreeSet};

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::stats::adjust::{Adjustment, adjust};
use crate::stats::contingency::fisher_exact;
use crate::stats::mcnemar::mcnemar;
use crate::stats::wilcoxon::{ZeroMethod, wilcoxon};
use crate::table::{Column, ColumnKind, Table, Value};

use super::{Dataset, MISSING, count_percent, format_p};

/// Which McNemar p to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McNemarTest {
    /// Exact conditional binomial test (the default).
    Exact,
    /// Mid-p (Fagerland et al. 2013).
    MidP,
    /// Asymptotic χ² with continuity correction.
    ChiSquare,
}

/// Options for [`compare`].
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// What distinguishes the conditions: `wave` or a document attribute.
    pub by: String,
    /// The earlier level.
    pub from: String,
    /// The later level.
    pub to: String,
    /// Repeat within each level of this participant attribute.
    pub within: Option<String>,
    /// p-value adjustment across codes.
    pub adjustment: Adjustment,
    /// McNemar variant.
    pub test: McNemarTest,
    /// Exemplar quotes per code from each condition (0 for none).
    pub quotes: usize,
}

/// The comparison table.
///
/// # Errors
/// A condition level that no document has, or an unknown `within` attribute.
pub fn compare(data: &Dataset<'_>, options: &CompareOptions) -> Result<Table> {
    // a condition is a document's: kept per document, not per segment (a large study has
    // millions of segments, and a list of them was 16 bytes a segment)
    let conditions: Vec<Option<&str>> =
        data.corpus.documents.iter().map(|document| condition(document, &options.by)).collect();
    let condition_of = |n: usize| conditions[data.segments[n].document_index()];
    for level in [&options.from, &options.to] {
        if !(0..data.segments.len()).any(|n| condition_of(n) == Some(level.as_str())) {
            return Err(Error::Usage(format!("no document has {} `{level}`", options.by)));
        }
    }
    if let Some(attribute) = &options.within {
        data.check_attribute(attribute)?;
    }
    let in_condition = |level: &str| {
        let level = level.to_owned();
        move |n: usize| condition_of(n) == Some(level.as_str())
    };
    let (in_before, in_after) = (in_condition(&options.from), in_condition(&options.to));
    let before = Condition::new(data, &in_before);
    let after = Condition::new(data, &in_after);
    let mut columns = vec![Column::text("code")];
    if let Some(attribute) = &options.within {
        columns.insert(0, Column::text(attribute));
    }
    let (f, t) = (&options.from, &options.to);
    columns.push(Column::count(&format!("{f} n (%)")));
    columns.push(Column::count(&format!("{t} n (%)")));
    columns.push(Column { name: "change (pp)".into(), kind: ColumnKind::Number { decimals: 1 } });
    columns.push(Column::integer(&format!("{f} only")));
    columns.push(Column::integer(&format!("{t} only")));
    for name in ["McNemar p", "adjusted p", "Wilcoxon p (rates)"] {
        columns.push(Column::p_value(name));
    }
    columns.push(Column::text("note"));

    let mut table = Table::new(format!("{f} vs {t}: participants mentioning each code"), columns);
    let groups: Vec<(Option<String>, BTreeSet<String>)> = match &options.within {
        None => vec![(None, before.present.intersection(&after.present).cloned().collect())],
        Some(attribute) => {
            let paired: BTreeSet<String> =
                before.present.intersection(&after.present).cloned().collect();
            data.levels(attribute, &paired)
                .into_iter()
                .map(|level| {
                    let members = paired
                        .iter()
                        .filter(|p| data.attribute(p, attribute) == level)
                        .cloned()
                        .collect();
                    (Some(level), members)
                })
                .collect()
        }
    };
    let mut unpaired = false;
    for (level, paired) in &groups {
        unpaired |= paired.is_empty();
        rows(data, options, &before, &after, level.as_deref(), paired, &mut table);
    }
    if options.quotes > 0 {
        add_quotes(data, options, &in_before, &in_after, &mut table);
    }
    notes(data, options, &before, &after, unpaired, &mut table);
    Ok(table)
}

/// Append exemplar quotes from each condition to every row (rows are in code order, repeated
/// per group with `--within`).
fn add_quotes(
    data: &Dataset<'_>,
    options: &CompareOptions,
    in_before: &dyn Fn(usize) -> bool,
    in_after: &dyn Fn(usize) -> bool,
    table: &mut Table,
) {
    let codes = &data.codebook.codes;
    table.columns.push(Column::text(&format!("{} quotes", options.from)));
    table.columns.push(Column::text(&format!("{} quotes", options.to)));
    let quotes: Vec<(String, String)> = codes
        .iter()
        .map(|code| {
            let before = super::exemplars::exemplars(data, &code.id, options.quotes, in_before);
            let after = super::exemplars::exemplars(data, &code.id, options.quotes, in_after);
            (super::exemplars::cell(&before), super::exemplars::cell(&after))
        })
        .collect();
    for (index, row) in table.rows.iter_mut().enumerate() {
        let (before, after) = &quotes[index % codes.len()];
        row.push(before.clone().into());
        row.push(after.clone().into());
    }
}

fn condition<'a>(document: &'a crate::corpus::Document, by: &str) -> Option<&'a str> {
    if by == "wave" {
        document.wave.as_deref()
    } else {
        document.attributes.get(by).map(String::as_str)
    }
}

/// Who spoke in a condition, what they mentioned and how much they said.
struct Condition {
    present: BTreeSet<String>,
    mentions: BTreeMap<String, BTreeSet<String>>,
    words: BTreeMap<String, usize>,
    /// Coded segments per participant and code (only codes counted at least once).
    counts: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Condition {
    fn new(data: &Dataset<'_>, keep: &dyn Fn(usize) -> bool) -> Condition {
        let speech = data.speech(keep);
        let counts = data.coded_counts(keep);
        let mut by_participant: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (&(id, code), &count) in &counts {
            by_participant.entry(id.to_owned()).or_default().insert(code.to_owned(), count);
        }
        Condition {
            present: speech.keys().cloned().collect(),
            mentions: super::mentions_in(&counts),
            words: speech.into_iter().map(|(id, s)| (id, s.words)).collect(),
            counts: by_participant,
        }
    }

    fn mentioned(&self, participant: &str, code: &str) -> bool {
        self.mentions.get(participant).is_some_and(|codes| codes.contains(code))
    }

    /// The coded segments of each of `paired` (in its order) for every code of `codebook`,
    /// and the words each spoke.
    fn paired_counts(&self, codebook: &Codebook, paired: &BTreeSet<String>) -> PairedCounts {
        let participants = paired.len();
        let mut counts = vec![0; codebook.codes.len() * participants];
        let mut words = Vec::with_capacity(participants);
        for (i, participant) in paired.iter().enumerate() {
            words.push(self.words.get(participant).copied().unwrap_or(0));
            for (code, &count) in self.counts.get(participant).into_iter().flatten() {
                if let Some(position) = codebook.position(code) {
                    counts[position * participants + i] = count;
                }
            }
        }
        PairedCounts { counts, words }
    }
}

/// One condition's coded segments per paired participant and code, and each participant's
/// words: a code's row reads one slice. Looking each participant and code up by name in
/// [`Condition`]'s maps was most of the comparison's time with hundreds of codes (four
/// passes over the participants per code, each lookup a dozen string comparisons).
struct PairedCounts {
    /// Code-major: the code at codebook position `c` has `counts[c * n..(c + 1) * n]`, one
    /// count per paired participant (`n` of them, in the paired set's order).
    counts: Vec<usize>,
    words: Vec<usize>,
}

impl PairedCounts {
    fn of_code(&self, code: usize) -> &[usize] {
        let n = self.words.len();
        &self.counts[code * n..(code + 1) * n]
    }

    /// Coded segments per 1,000 words spoken (0 for a participant with no words).
    fn rate(&self, code: usize, participant: usize) -> f64 {
        let (count, words) = (self.of_code(code)[participant], self.words[participant]);
        if words == 0 { 0.0 } else { count as f64 * 1000.0 / words as f64 }
    }
}

fn rows(
    data: &Dataset<'_>,
    options: &CompareOptions,
    before: &Condition,
    after: &Condition,
    level: Option<&str>,
    paired: &BTreeSet<String>,
    table: &mut Table,
) {
    let mut pending: Vec<Row> = Vec::new();
    let codebook = data.codebook;
    let counts = (!paired.is_empty())
        .then(|| (before.paired_counts(codebook, paired), after.paired_counts(codebook, paired)));
    for (position, code) in codebook.codes.iter().enumerate() {
        let id = code.id.as_str();
        let (row, p, wilcoxon_p, note) = match &counts {
            None => unpaired_row(before, after, id),
            Some((before, after)) => paired_row(options, before, after, position),
        };
        let mut cells: Vec<Value> = Vec::new();
        if let Some(level) = level {
            cells.push(level.into());
        }
        cells.push(data.code_label(id).into());
        cells.extend(row);
        pending.push((cells, p, wilcoxon_p, note));
    }
    let p: Vec<Option<f64>> = pending.iter().map(|r| r.1).collect();
    let adjusted = adjust(&p, options.adjustment);
    for ((mut cells, p, wilcoxon_p, note), adjusted) in pending.into_iter().zip(adjusted) {
        cells.push(format_p(p));
        cells.push(format_p(adjusted));
        cells.push(wilcoxon_p);
        cells.push(note.into());
        table.push(cells);
    }
}

type Row = (Vec<Value>, Option<f64>, Value, String);

fn paired_row(
    options: &CompareOptions,
    before: &PairedCounts,
    after: &PairedCounts,
    code: usize,
) -> Row {
    let (pre_counts, post_counts) = (before.of_code(code), after.of_code(code));
    let n = pre_counts.len();
    let pre = pre_counts.iter().filter(|&&count| count > 0).count();
    let post = post_counts.iter().filter(|&&count| count > 0).count();
    let discordant = |first: &[usize], second: &[usize]| {
        first.iter().zip(second).filter(|&(&one, &other)| one > 0 && other == 0).count() as u64
    };
    let (b, c) = (discordant(pre_counts, post_counts), discordant(post_counts, pre_counts));
    let test = mcnemar(b, c);
    let p = match options.test {
        McNemarTest::Exact => test.exact_p,
        McNemarTest::MidP => test.mid_p,
        McNemarTest::ChiSquare => test.chi2_corrected_p,
    };
    let differences: Vec<f64> =
        (0..n).map(|i| round(after.rate(code, i) - before.rate(code, i))).collect();
    let rank_test = wilcoxon(&differences, ZeroMethod::Wilcox, false);
    let note = match (pre, post) {
        (0, 0) => "never mentioned",
        (0, _) => "appears",
        (_, 0) => "vanishes",
        _ => "",
    };
    let change = 100.0 * (post as f64 - pre as f64) / n as f64;
    let row = vec![
        count_percent(pre, n),
        count_percent(post, n),
        Value::Number(change),
        (b as usize).into(),
        (c as usize).into(),
    ];
    (row, (b + c > 0).then_some(p), format_p(rank_test.p), note.to_owned())
}

/// Independent groups: Fisher's exact test on mentioned / not × before / after.
fn unpaired_row(before: &Condition, after: &Condition, id: &str) -> Row {
    let pre = before.present.iter().filter(|p| before.mentioned(p, id)).count();
    let post = after.present.iter().filter(|p| after.mentioned(p, id)).count();
    let (n1, n2) = (before.present.len(), after.present.len());
    let table = [vec![pre as u64, post as u64], vec![(n1 - pre) as u64, (n2 - post) as u64]];
    let p = fisher_exact(&table);
    let change = if n1 > 0 && n2 > 0 {
        100.0 * (post as f64 / n2 as f64 - pre as f64 / n1 as f64)
    } else {
        0.0
    };
    let row = vec![
        count_percent(pre, n1),
        count_percent(post, n2),
        Value::Number(change),
        Value::Missing,
        Value::Missing,
    ];
    (row, p, Value::Missing, "unpaired: Fisher's exact test".into())
}

/// Differences are rounded so float noise cannot split ties (as STATISTICS.md advises).
fn round(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

fn notes(
    data: &Dataset<'_>,
    options: &CompareOptions,
    before: &Condition,
    after: &Condition,
    unpaired: bool,
    table: &mut Table,
) {
    let both = before.present.intersection(&after.present).count();
    let only_before = before.present.difference(&after.present).count();
    let only_after = after.present.difference(&before.present).count();
    let (f, t) = (&options.from, &options.to);
    table.notes.push(format!(
        "Paired on the {both} participants who spoke in both {f} and {t}; {only_before} who spoke only in {f} and {only_after} only in {t} are left out."
    ));
    let test = match options.test {
        McNemarTest::Exact => "McNemar's exact (binomial) test",
        McNemarTest::MidP => "McNemar's mid-p test (Fagerland, Lydersen & Laake 2013)",
        McNemarTest::ChiSquare => "McNemar's χ² test with continuity correction (Edwards 1948)",
    };
    table.notes.push(format!(
        "{test} on the discordant pairs ({f} only, {t} only); p-values adjusted across codes{} by {}. Wilcoxon signed-rank test (zeros dropped; exact when possible, as scipy) on each participant's coded segments per 1,000 words, {t} − {f}. Change = percentage points.",
        if options.within.is_some() { " within each group" } else { "" },
        options.adjustment.describe()
    ));
    if unpaired {
        table.notes.push(format!(
            "Where no participant spoke in both {f} and {t}, the groups are independent: Fisher's exact test on participants mentioning the code or not, {f} vs {t}."
        ));
    }
    if let Some(attribute) = &options.within
        && table.rows.iter().any(|r| r[0] == Value::Text(MISSING.into()))
    {
        table.notes.push(format!("{MISSING}: participants without a value for {attribute}."));
    }
    table.notes.push(data.provenance());
}
