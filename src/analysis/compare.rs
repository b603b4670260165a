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

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::stats::adjust::{Adjustment, adjust};
use crate::stats::contingency::fisher_exact;
use crate::stats::mcnemar::mcnemar;
use crate::stats::wilcoxon::{ZeroMethod, wilcoxon};
use crate::table::{Column, ColumnKind, Grouped, Table, Value};

use super::{Dataset, MISSING, Speech, count_percent, format_p};

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
    // whether each document is in a level, worked out once: a comparison asks it of each of
    // millions of coded segments, where comparing the condition's text was a call each time
    let in_level = |level: &str| -> Vec<bool> {
        conditions.iter().map(|condition| *condition == Some(level)).collect()
    };
    let (before_documents, after_documents) = (in_level(&options.from), in_level(&options.to));
    // and each segment's, in one pass in order: the comparison asks it of every coded
    // segment, code by code, and reading the segment's record for its document was most of
    // the comparison's time
    let in_segments = |documents: &[bool]| -> Vec<bool> {
        data.segments.iter().map(|segment| documents[segment.document_index()]).collect()
    };
    let (before_segments, after_segments) =
        (in_segments(&before_documents), in_segments(&after_documents));
    for (level, segments) in [(&options.from, &before_segments), (&options.to, &after_segments)] {
        if !segments.contains(&true) {
            return Err(Error::Usage(format!("no document has {} `{level}`", options.by)));
        }
    }
    if let Some(attribute) = &options.within {
        data.check_attribute(attribute)?;
    }
    let in_before = |n: usize| before_segments[n];
    let in_after = |n: usize| after_segments[n];
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
    // participants by number, in id order (the order of the Wilcoxon test's differences)
    let by_id = data.participants_by_id();
    let paired: Vec<u32> =
        by_id.iter().copied().filter(|&p| before.present(p) && after.present(p)).collect();
    let ids = data.participant_ids();
    // each group's members as places in `paired`
    let groups: Vec<(Option<String>, Vec<usize>)> = match &options.within {
        None => vec![(None, (0..paired.len()).collect())],
        Some(attribute) => {
            let values: Vec<String> =
                paired.iter().map(|&p| data.attribute(ids[p as usize], attribute)).collect();
            data.levels(attribute, paired.iter().map(|&p| ids[p as usize]))
                .into_iter()
                .map(|level| {
                    let members = (0..paired.len()).filter(|&i| values[i] == level).collect();
                    (Some(level), members)
                })
                .collect()
        }
    };
    let unpaired = paired.is_empty() && options.within.is_none();
    if paired.is_empty() {
        // no participant in both: independent groups, each participant of each condition
        let (pre, post) = (mentioning(data, &in_before), mentioning(data, &in_after));
        let row_of = |code: usize| unpaired_row(&before, &after, pre[code], post[code]);
        for (level, _) in &groups {
            rows(data, options, level.as_deref(), row_of, &mut table);
        }
    } else {
        let pre = before.paired_counts(data, &in_before, &paired);
        let post = after.paired_counts(data, &in_after, &paired);
        for (level, members) in &groups {
            let (pre, post) = match level {
                None => (Cow::Borrowed(&pre), Cow::Borrowed(&post)),
                Some(_) => (Cow::Owned(pre.select(members)), Cow::Owned(post.select(members))),
            };
            let row_of = |code: usize| paired_row(options, &pre, &post, code);
            rows(data, options, level.as_deref(), row_of, &mut table);
        }
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
    if by == "wave" { document.wave.as_deref() } else { document.attributes.get(by) }
}

/// Who spoke in a condition and how much they said, by participant number
/// ([`Dataset::participant_number`]).
struct Condition {
    speech: Vec<Option<Speech>>,
}

impl Condition {
    fn new(data: &Dataset<'_>, keep: &dyn Fn(usize) -> bool) -> Condition {
        Condition { speech: data.speech_by_number(keep) }
    }

    /// Whether participant `p` spoke in the condition.
    fn present(&self, p: u32) -> bool {
        self.speech[p as usize].is_some()
    }

    /// How many participants spoke in the condition.
    fn present_count(&self) -> usize {
        self.speech.iter().flatten().count()
    }

    /// The coded segments of each of `paired` (participant numbers) for every code of the
    /// codebook, and the words each spoke, counted in one pass over the condition's codings
    /// (`keep`).
    fn paired_counts(
        &self,
        data: &Dataset<'_>,
        keep: &dyn Fn(usize) -> bool,
        paired: &[u32],
    ) -> PairedCounts {
        let n = paired.len();
        let mut place = vec![usize::MAX; self.speech.len()];
        for (i, &p) in paired.iter().enumerate() {
            place[p as usize] = i;
        }
        let mut counts = vec![0; data.codebook.codes.len() * n];
        for (participant, code) in data.coded_by_number(keep) {
            let i = place[participant as usize];
            if i != usize::MAX {
                counts[code * n + i] += 1;
            }
        }
        let words =
            paired.iter().map(|&p| self.speech[p as usize].map_or(0, |s| s.words)).collect();
        PairedCounts { counts, words }
    }
}

/// How many participants mention each code (by codebook position) in segments passing
/// `keep` (a condition's).
fn mentioning(data: &Dataset<'_>, keep: &dyn Fn(usize) -> bool) -> Vec<usize> {
    let mut mentioning = vec![0; data.codebook.codes.len()];
    for (_, code) in data.mentions_by_number(keep) {
        mentioning[code] += 1;
    }
    mentioning
}

/// One condition's coded segments per paired participant and code, and each participant's
/// words: a code's row reads one slice. Looking each participant and code up by name in
/// maps keyed by their ids was most of the comparison's time with hundreds of codes (four
/// passes over the participants per code, each lookup a dozen string comparisons), and the
/// maps 190 MB of a 1 GB run's memory.
#[derive(Clone)]
struct PairedCounts {
    /// Code-major: the code at codebook position `c` has `counts[c * n..(c + 1) * n]`, one
    /// count per paired participant (`n` of them, in the paired set's order).
    counts: Vec<u32>,
    words: Vec<usize>,
}

impl PairedCounts {
    /// The counts of the participants at `places` (in its order).
    fn select(&self, places: &[usize]) -> PairedCounts {
        let n = self.words.len();
        let counts = self.counts.chunks(n.max(1)).flat_map(|code| places.iter().map(|&i| code[i]));
        PairedCounts {
            counts: counts.collect(),
            words: places.iter().map(|&i| self.words[i]).collect(),
        }
    }

    fn of_code(&self, code: usize) -> &[u32] {
        let n = self.words.len();
        &self.counts[code * n..(code + 1) * n]
    }

    /// Coded segments per 1,000 words spoken (0 for a participant with no words).
    fn rate(&self, code: usize, participant: usize) -> f64 {
        let (count, words) = (self.of_code(code)[participant], self.words[participant]);
        if words == 0 { 0.0 } else { count as f64 * 1000.0 / words as f64 }
    }
}

/// The rows of one group (`level`), a row per code in codebook order from `row_of` (the
/// code's codebook position), with p-values adjusted across them.
fn rows(
    data: &Dataset<'_>,
    options: &CompareOptions,
    level: Option<&str>,
    row_of: impl Fn(usize) -> Row,
    table: &mut Table,
) {
    let mut pending: Vec<Row> = Vec::new();
    for (position, code) in data.codebook.codes.iter().enumerate() {
        let (row, p, wilcoxon_p, note) = row_of(position);
        let mut cells: Vec<Value> = Vec::new();
        if let Some(level) = level {
            cells.push(level.into());
        }
        cells.push(data.code_label(&code.id).into());
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
    let discordant = |first: &[u32], second: &[u32]| {
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

/// Independent groups: Fisher's exact test on mentioned / not × before / after, `pre` of
/// the participants before and `post` of those after mentioning the code.
fn unpaired_row(before: &Condition, after: &Condition, pre: usize, post: usize) -> Row {
    let (n1, n2) = (before.present_count(), after.present_count());
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
    let participants = before.speech.len() as u32;
    let both = (0..participants).filter(|&p| before.present(p) && after.present(p)).count();
    let only_before = before.present_count() - both;
    let only_after = after.present_count() - both;
    let (f, t) = (&options.from, &options.to);
    let (both, only_before, only_after) =
        (Grouped(both), Grouped(only_before), Grouped(only_after));
    table.notes.push(format!(
        "Paired on the {both} participants who spoke in both {f} and {t}; {only_before} who spoke only in {f} and {only_after} only in {t} are left out."
    ));
    let test = match options.test {
        McNemarTest::Exact => "McNemar's exact (binomial) test",
        McNemarTest::MidP => "McNemar's mid-p test (Fagerland, Lydersen & Laake 2013)",
        McNemarTest::ChiSquare => "McNemar's χ² test with continuity correction (Edwards 1948)",
    };
    table.notes.push(format!(
        "{test} on the discordant pairs ({f} only, {t} only); p-values adjusted across codes{} by {}. Wilcoxon signed-rank test on each participant's coded segments per 1,000 words, {t} − {f}, as scipy.stats.wilcoxon: zeros dropped; exact with at most 50 pairs and no zero or tied difference, by enumerating sign flips with at most 13 pairs and some, else the normal approximation with tie correction; not adjusted. Change = percentage points.",
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
