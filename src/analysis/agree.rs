//! `agree`: agreement between coders, and auto-coding measured against a coder.
//!
//! **Manual codings** arrive in two layouts, told apart by their header:
//! - the `codings.csv` layout (format 1): `document`, `start`, `end` (char offsets in the
//!   document's decoded text), `code` and `origin` (the coder), one or more coders per file;
//! - Taguette's highlight export (`id`, `document`, `tag`, `content`): the document is
//!   matched by id, file name or file stem, the highlighted text is found in the document
//!   (exactly, else with runs of white space treated as equal) and the file stem names the
//!   coder. Snippets that cannot be found are reported, not guessed.
//!
//! A coding of a code also codes its ancestors, as auto-coding does (`child:<id>`).
//!
//! **Units.** The compared text is the participants' speech (the segments of the chosen unit,
//! interviewers excluded) in every document any coder coded. A coder who coded nothing in a
//! document is *missing* there, not "no": Krippendorff's α uses the units at least two coders
//! rated, Cohen's κ the units both rated, Fleiss' κ the units all rated. At
//! [`Level::Segment`] a coder applied a code to a segment when one of their codings overlaps
//! it; at [`Level::Char`] every character is a unit (NVivo's coding comparison), weighted
//! sums replacing per-character vectors.
//!
//! **Coefficients** (formulas and sources in [`crate::stats::agreement`]): percent agreement
//! (units where every coder who rated agrees), Cohen's κ (two coders) or Fleiss' κ (three or
//! more), Brennan–Prediger κ (Randolph's free-marginal κ for three or more; q = 2: a code is
//! applied or not), Krippendorff's α (nominal) with a 95% percentile bootstrap interval that
//! resamples segments (for characters: whole segments, so neighbouring characters stay
//! together). Edge cases: a code nobody used has no coefficients (agreement on "never" says
//! nothing); when one coder never used a code the others did, κ is 0 or below and α at or
//! below 0. The pooled row stacks the codes someone used.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use crate::error::{Error, Result};
use crate::stats::agreement::{
    add_coincidences, alpha_from_coincidences, bootstrap_alpha, cohen_kappa_from_table,
    fleiss_kappa_weighted,
};
use crate::table::{Column, ColumnKind, Grouped, Table, Value};

use super::Dataset;

/// Bootstrap replicates for α's interval.
pub const REPLICATES: usize = 1000;
/// The bootstrap's seed: fixed, so a rerun gives the same interval.
pub const SEED: u64 = 20_260_501;

/// One manual coding: a coder applied a code to a char range of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// The coder.
    pub coder: String,
    /// Index of the document in the corpus.
    pub document: usize,
    /// Char range in the document's text.
    pub chars: Range<usize>,
    /// Code id.
    pub code: String,
}

/// Manual codings read from files, with what could not be placed.
#[derive(Debug, Clone, Default)]
pub struct ManualCodings {
    /// The codings.
    pub annotations: Vec<Annotation>,
    /// Problems that lose a coding but not the run (Taguette snippets not found), as
    /// `file:line: message`.
    pub warnings: Vec<String>,
}

/// The unit agreement is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A segment of the coding unit (turn, sentence, paragraph).
    Segment,
    /// A character (NVivo's coding comparison).
    Char,
}

/// Read a file of manual codings (`path` as shown in messages, `bytes` its content) and
/// check them against `data`'s documents and codebook: a `.qdpx` project (see
/// [`crate::refi::import::manual_codings`]), else CSV in either layout.
///
/// # Errors
/// A header of neither layout, unknown documents or codes, and ranges outside a document —
/// each with the file and line.
pub fn read_manual(
    data: &Dataset<'_>,
    path: &Path,
    bytes: &[u8],
    into: &mut ManualCodings,
) -> Result<()> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("qdpx")) {
        return crate::refi::import::manual_codings(path, bytes, data, into);
    }
    let text = crate::corpus::decode::decode(path, bytes)?.text;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| crate::corpus::participants::csv_error(path, &e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let layout = if let (Some(d), Some(s), Some(e), Some(c), Some(o)) =
        (column("document"), column("start"), column("end"), column("code"), column("origin"))
    {
        Layout::Codings { document: d, start: s, end: e, code: c, origin: o }
    } else if let (Some(d), Some(t), Some(c)) =
        (column("document"), column("tag"), column("content"))
    {
        let coder = path.file_stem().map_or("taguette".into(), |s| s.to_string_lossy().into());
        Layout::Taguette { document: d, tag: t, content: c, coder }
    } else {
        return Err(Error::at_line(
            path,
            1,
            "expected the codings.csv layout (document, start, end, code, origin) or a Taguette highlight export (id, document, tag, content)",
        ));
    };
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| crate::corpus::participants::csv_error(path, &e))?;
        let line = crate::corpus::participants::record_line(text.as_bytes(), &record);
        match layout.annotation(data, &record) {
            Ok(Placed::Found(annotation)) => into.annotations.push(annotation),
            Ok(Placed::NotFound(message)) => {
                into.warnings.push(format!("{}:{line}: {message}", path.display()));
            }
            Err(message) => errors.push(Error::at_line(path, line, message)),
        }
    }
    Error::collect(errors)
}

/// The columns of a recognised layout.
enum Layout {
    Codings { document: usize, start: usize, end: usize, code: usize, origin: usize },
    Taguette { document: usize, tag: usize, content: usize, coder: String },
}

/// A row's outcome.
enum Placed {
    Found(Annotation),
    NotFound(String),
}

impl Layout {
    fn annotation(
        &self,
        data: &Dataset<'_>,
        record: &csv::StringRecord,
    ) -> std::result::Result<Placed, String> {
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let (document, code) = match self {
            Layout::Codings { document, code, .. } => {
                (find_document(data, cell(*document))?, cell(*code))
            }
            Layout::Taguette { document, tag, .. } => {
                (find_document(data, cell(*document))?, cell(*tag))
            }
        };
        if data.codebook.code(code).is_none() {
            return Err(format!("unknown code `{code}` (not in {})", data.codebook.name));
        }
        let text = data.corpus.documents[document].text();
        let (coder, chars) = match self {
            Layout::Codings { start, end, origin, .. } => {
                let length = text.chars().count();
                match (cell(*start).parse::<usize>(), cell(*end).parse::<usize>()) {
                    (Ok(a), Ok(b)) if a < b && b <= length => (cell(*origin).to_owned(), a..b),
                    _ => {
                        return Err(format!(
                            "range {}–{} is not within the document's {length} characters",
                            cell(*start),
                            cell(*end)
                        ));
                    }
                }
            }
            Layout::Taguette { content, coder, .. } => {
                let snippet = record.get(*content).unwrap_or("");
                match find_snippet(text, snippet) {
                    Some(chars) => (coder.clone(), chars),
                    None => {
                        return Ok(Placed::NotFound(format!(
                            "highlight `{}` not found in {}; skipped",
                            shorten(snippet, 60),
                            data.corpus.documents[document].id
                        )));
                    }
                }
            }
        };
        if coder.is_empty() {
            return Err("empty `origin`: name the coder".into());
        }
        Ok(Placed::Found(Annotation { coder, document, chars, code: code.to_owned() }))
    }
}

/// A document by id, else by file name, else by file stem (unique).
pub fn find_document(data: &Dataset<'_>, name: &str) -> std::result::Result<usize, String> {
    let documents = &data.corpus.documents;
    if let Some(i) = documents.iter().position(|d| d.id == name) {
        return Ok(i);
    }
    let matches = |part: fn(&Path) -> Option<&std::ffi::OsStr>| -> Vec<usize> {
        (0..documents.len())
            .filter(|&i| part(&documents[i].path).is_some_and(|p| p == name))
            .collect()
    };
    for found in [matches(Path::file_name), matches(Path::file_stem)] {
        match found.as_slice() {
            [one] => return Ok(*one),
            [] => {}
            several => {
                let ids: Vec<&str> = several.iter().map(|&i| documents[i].id.as_str()).collect();
                return Err(format!("document `{name}` is ambiguous: {}", ids.join(", ")));
            }
        }
    }
    Err(format!("unknown document `{name}`"))
}

/// The char range of `snippet` in `text`: its first exact occurrence, else its first
/// occurrence when every run of white space matches any other run.
pub fn find_snippet(text: &str, snippet: &str) -> Option<Range<usize>> {
    let snippet = snippet.trim();
    if snippet.is_empty() {
        return None;
    }
    if let Some(byte) = text.find(snippet) {
        let start = text[..byte].chars().count();
        return Some(start..start + snippet.chars().count());
    }
    // Compare word by word: (char offset, char) of text with white space runs as one space.
    let squeeze = |s: &str| -> Vec<(usize, char)> {
        let mut out: Vec<(usize, char)> = Vec::new();
        for (i, c) in s.chars().enumerate() {
            if c.is_whitespace() {
                if out.last().is_some_and(|&(_, p)| p != ' ') {
                    out.push((i, ' '));
                }
            } else {
                out.push((i, c));
            }
        }
        out
    };
    let haystack = squeeze(text);
    let needle: Vec<char> = squeeze(snippet).into_iter().map(|(_, c)| c).collect();
    let at = haystack
        .windows(needle.len())
        .position(|w| w.iter().map(|&(_, c)| c).eq(needle.iter().copied()))?;
    let window = &haystack[at..at + needle.len()];
    Some(window[0].0..window[needle.len() - 1].0 + 1)
}

fn shorten(text: &str, chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= chars {
        text
    } else {
        format!("{}…", text.chars().take(chars).collect::<String>())
    }
}

/// One code's ratings in one cluster (segment): each distinct pattern of votes (per coder:
/// `None` missing, else applied or not) with the number of units (segments or characters)
/// showing it.
type Ratings = Vec<(Vec<Option<bool>>, f64)>;

/// One coder's codings of one code: merged char ranges per document.
type Marks = BTreeMap<usize, Vec<Range<usize>>>;

/// Coders' codings placed on a dataset's units.
pub struct Comparison<'d, 'a> {
    data: &'d Dataset<'a>,
    level: Level,
    /// Coder names, sorted.
    pub coders: Vec<String>,
    /// Per coder, the documents they coded.
    documents: Vec<BTreeSet<usize>>,
    /// Per code (with ancestors), per coder, per document: merged char ranges.
    marks: BTreeMap<String, Vec<Marks>>,
    /// The compared segments: participants' speech in scope in documents anyone coded.
    units: Vec<usize>,
}

impl<'d, 'a> Comparison<'d, 'a> {
    /// Place `annotations` on `data`'s segments.
    pub fn new(data: &'d Dataset<'a>, annotations: &[Annotation], level: Level) -> Self {
        let coders: Vec<String> = annotations
            .iter()
            .map(|a| a.coder.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index = |name: &str| coders.binary_search_by(|c| c.as_str().cmp(name)).unwrap_or(0);
        let mut documents = vec![BTreeSet::new(); coders.len()];
        let mut ranges: BTreeMap<String, Vec<Marks>> = BTreeMap::new();
        for annotation in annotations {
            let coder = index(&annotation.coder);
            documents[coder].insert(annotation.document);
            for code in data.codebook.ancestors_and_self(&annotation.code) {
                ranges
                    .entry(code.to_owned())
                    .or_insert_with(|| vec![BTreeMap::new(); coders.len()])[coder]
                    .entry(annotation.document)
                    .or_default()
                    .push(annotation.chars.clone());
            }
        }
        let marks = ranges
            .into_iter()
            .map(|(code, per_coder)| {
                let merged = per_coder
                    .into_iter()
                    .map(|docs| {
                        docs.into_iter()
                            .map(|(d, r)| (d, crate::query::merge_overlapping(r)))
                            .collect()
                    })
                    .collect();
                (code, merged)
            })
            .collect();
        let coded: BTreeSet<usize> = documents.iter().flatten().copied().collect();
        let units = (0..data.segments.len())
            .filter(|&n| {
                coded.contains(&data.segments[n].document_index()) && data.is_respondent(n)
            })
            .collect();
        Comparison { data, level, coders, documents, marks, units }
    }

    /// The unit's name in tables.
    fn unit_name(&self) -> &'static str {
        match self.level {
            Level::Segment => self.data.unit.name(),
            Level::Char => "character",
        }
    }

    /// Coder `coder`'s merged ranges for `code` in `document`.
    fn ranges(&self, code: &str, coder: usize, document: usize) -> &[Range<usize>] {
        self.marks.get(code).and_then(|per| per[coder].get(&document)).map_or(&[], Vec::as_slice)
    }

    /// Whether `coder` applied `code` anywhere in `chars` of `document`.
    fn covers(&self, code: &str, coder: usize, document: usize, chars: &Range<usize>) -> bool {
        self.ranges(code, coder, document)
            .iter()
            .any(|r| r.start < chars.end && chars.start < r.end)
    }

    /// Each coder's vote on `chars` of `document`: `None` for a coder who coded nothing in
    /// the document (missing, not "no").
    fn votes(&self, code: &str, document: usize, chars: &Range<usize>) -> Vec<Option<bool>> {
        (0..self.coders.len())
            .map(|c| {
                self.documents[c].contains(&document).then(|| self.covers(code, c, document, chars))
            })
            .collect()
    }

    /// One code's ratings, per compared segment.
    fn ratings(&self, code: &str) -> Vec<Ratings> {
        self.units.iter().map(|&n| self.segment_ratings(code, n)).collect()
    }

    fn segment_ratings(&self, code: &str, n: usize) -> Ratings {
        let segment = &self.data.segments[n];
        let document = segment.document_index();
        let pattern = |chars: &Range<usize>| self.votes(code, document, chars);
        match self.level {
            Level::Segment => vec![(pattern(&segment.chars()), 1.0)],
            Level::Char => {
                let mut ratings: Ratings = Vec::new();
                for piece in self.pieces(code, n) {
                    let p = pattern(&piece);
                    let length = piece.len() as f64;
                    match ratings.iter_mut().find(|(q, _)| *q == p) {
                        Some((_, w)) => *w += length,
                        None => ratings.push((p, length)),
                    }
                }
                ratings
            }
        }
    }

    /// Segment `n`'s characters cut wherever any coder's coding of `code` starts or ends.
    fn pieces(&self, code: &str, n: usize) -> Vec<Range<usize>> {
        let segment = &self.data.segments[n];
        let chars = segment.chars();
        let mut cuts: BTreeSet<usize> = BTreeSet::from([chars.start, chars.end]);
        for coder in 0..self.coders.len() {
            for range in self.ranges(code, coder, segment.document_index()) {
                for at in [range.start, range.end] {
                    if chars.contains(&at) {
                        cuts.insert(at);
                    }
                }
            }
        }
        let cuts: Vec<usize> = cuts.into_iter().collect();
        cuts.windows(2).map(|w| w[0]..w[1]).collect()
    }

    /// Codes to report: `only` (ids, checked) or every code in codebook order.
    ///
    /// # Errors
    /// An id not in the codebook.
    pub fn codes(&self, only: &[String]) -> Result<Vec<String>> {
        if only.is_empty() {
            return Ok(self.data.codebook.codes.iter().map(|c| c.id.clone()).collect());
        }
        for id in only {
            if self.data.codebook.code(id).is_none() {
                return Err(Error::Usage(format!(
                    "unknown code `{id}` in --codes (not in {})",
                    self.data.codebook.name
                )));
            }
        }
        Ok(only.to_vec())
    }

    /// The agreement table: one row per code and a pooled row.
    pub fn table(&self, codes: &[String]) -> Table {
        let two = self.coders.len() == 2;
        let number = |name: &str, decimals| Column {
            name: name.to_owned(),
            kind: ColumnKind::Number { decimals },
        };
        let unit = self.unit_name();
        let mut table = Table::new(
            format!(
                "Agreement between {} ({} {unit}s)",
                self.coders.join(", "),
                Grouped(self.total_units())
            ),
            vec![
                Column::text("code"),
                Column::integer(&format!("{unit}s coded by anyone")),
                number("% agreement", 1),
                number(if two { "Cohen's κ" } else { "Fleiss' κ" }, 3),
                number("Brennan–Prediger κ", 3),
                number("Krippendorff's α", 3),
                number("α 95% CI low", 3),
                number("α 95% CI high", 3),
            ],
        );
        let mut pooled: Vec<Ratings> = vec![Vec::new(); self.units.len()];
        let mut unused = Vec::new();
        for code in codes {
            let ratings = self.ratings(code);
            let scores = Scores::of(&ratings, self.coders.len());
            if scores.used > 0.0 {
                for (all, mine) in pooled.iter_mut().zip(ratings) {
                    all.extend(mine);
                }
            } else {
                unused.push(code.as_str());
            }
            table.push(scores.row(self.data.code_label(code)));
        }
        table.push(Scores::of(&pooled, self.coders.len()).row("all codes used (pooled)".into()));
        table.notes.push(format!(
            "Units: the {unit}s of participants' speech in the {} documents any coder coded ({} {}s); {}. A coder who coded nothing in a document is missing there, not \"no\". % agreement: units where every coder who rated agrees. {} Brennan–Prediger κ (Brennan & Prediger 1981{}) with q = 2. Krippendorff's α nominal (Krippendorff 2011) with a 95% percentile bootstrap interval ({} replicates resampling segments, seed {SEED}).",
            Grouped(self.units.iter().map(|&n| self.data.segments[n].document_index()).collect::<BTreeSet<_>>().len()),
            Grouped(self.units.len()),
            self.data.unit.name(),
            match self.level {
                Level::Segment => "a coder applied a code to a unit when one of their codings overlaps it",
                Level::Char => "every character is a unit, as in NVivo's coding comparison",
            },
            if two { "Cohen's κ (Cohen 1960)." } else { "Fleiss' κ (Fleiss 1971) over units every coder rated." },
            if two { "" } else { "; Randolph 2005 for more than two coders" },
            Grouped(REPLICATES),
        ));
        table.notes.push(
            "A coding of a code also codes its parent. Codes nobody used have no coefficients; the pooled row stacks the codes someone used.".into(),
        );
        if !unused.is_empty() {
            table.notes.push(format!("Used by no coder: {}.", unused.join(", ")));
        }
        table
    }

    fn total_units(&self) -> usize {
        match self.level {
            Level::Segment => self.units.len(),
            Level::Char => self.units.iter().map(|&n| self.data.segments[n].chars().len()).sum(),
        }
    }

    /// The stretches where coders differ: per code, each segment (or run of characters)
    /// some coders coded and others did not, with its text.
    pub fn disagreements(&self, codes: &[String]) -> Table {
        let mut table = Table::new(
            format!("Disagreements between {}", self.coders.join(", ")),
            vec![
                Column::text("document"),
                Column::locator("line"),
                Column::text("speaker"),
                Column::text("code"),
                Column::text("coded by"),
                Column::text("not by"),
                Column::text("text"),
            ],
        );
        let mut rows: Vec<((usize, usize, usize), Vec<Value>)> = Vec::new();
        for (order, code) in codes.iter().enumerate() {
            for &n in &self.units {
                let segment = &self.data.segments[n];
                let stretches = match self.level {
                    Level::Segment => vec![segment.chars()],
                    Level::Char => self.pieces(code, n),
                };
                for chars in stretches {
                    let votes = self.votes(code, segment.document_index(), &chars);
                    let who = |want: bool| -> Vec<&str> {
                        (0..self.coders.len())
                            .filter(|&c| votes[c] == Some(want))
                            .map(|c| self.coders[c].as_str())
                            .collect()
                    };
                    let (yes, no) = (who(true), who(false));
                    if yes.is_empty() || no.is_empty() {
                        continue;
                    }
                    let text = self.char_text(n, &chars);
                    if text.trim().is_empty() {
                        continue;
                    }
                    rows.push((
                        (segment.document_index(), chars.start, order),
                        vec![
                            self.data.corpus.documents[segment.document_index()].id.clone().into(),
                            self.line_of(n, chars.start).into(),
                            self.data.speaker(n).unwrap_or("").into(),
                            self.data.code_label(code).trim().to_owned().into(),
                            yes.join(", ").into(),
                            no.join(", ").into(),
                            text.trim().to_owned().into(),
                        ],
                    ));
                }
            }
        }
        rows.sort_by_key(|(key, _)| *key);
        table.rows = rows.into_iter().map(|(_, row)| row).collect();
        table.notes.push(format!(
            "Each {} where some coders applied the code and others who coded the document did not; in document order, then codebook order. Parents are listed where coders differ on the theme as a whole.",
            match self.level {
                Level::Segment => self.data.unit.name(),
                Level::Char => "run of characters",
            }
        ));
        table
    }

    /// The text of chars `chars` inside segment `n`.
    fn char_text(&self, n: usize, chars: &Range<usize>) -> String {
        let segment = &self.data.segments[n];
        segment
            .text(self.data.corpus)
            .chars()
            .skip(chars.start - segment.chars().start)
            .take(chars.len())
            .collect()
    }

    fn line_of(&self, n: usize, char_offset: usize) -> usize {
        let segment = &self.data.segments[n];
        let skipped: usize = segment
            .text(self.data.corpus)
            .chars()
            .take(char_offset - segment.chars().start)
            .map(char::len_utf8)
            .sum();
        self.data.corpus.documents[segment.document_index()]
            .line_of(segment.bytes().start + skipped)
    }
}

/// Every coefficient for one code (or the pooled codes).
struct Scores {
    used: f64,
    percent: Option<f64>,
    kappa: Option<f64>,
    brennan_prediger: Option<f64>,
    alpha: Option<f64>,
    interval: Option<(f64, f64)>,
}

impl Scores {
    fn of(clusters: &[Ratings], coders: usize) -> Scores {
        let all = || clusters.iter().flatten();
        let used = all().filter(|(p, _)| p.contains(&Some(true))).map(|(_, w)| w).sum();
        let present = |p: &[Option<bool>]| p.iter().flatten().count();
        let (mut pairable, mut agreeing) = (0.0, 0.0);
        for (p, w) in all().filter(|(p, _)| present(p) >= 2) {
            pairable += w;
            let mut values = p.iter().flatten();
            let first = values.next();
            if values.all(|v| Some(v) == first) {
                agreeing += w;
            }
        }
        let complete: Vec<(Vec<usize>, f64)> =
            all().filter(|(p, _)| present(p) == coders).map(|(p, w)| (counts(p), *w)).collect();
        let kappa = if coders == 2 {
            let mut joint = vec![vec![0.0; 2]; 2];
            for (p, w) in all() {
                if let [Some(a), Some(b)] = p[..] {
                    joint[usize::from(a)][usize::from(b)] += w;
                }
            }
            cohen_kappa_from_table(&joint)
        } else {
            fleiss_kappa_weighted(&complete, false)
        };
        let coincidences: Vec<Vec<Vec<f64>>> = clusters
            .iter()
            .map(|cluster| {
                let mut matrix = vec![vec![0.0; 2]; 2];
                for (p, w) in cluster {
                    add_coincidences(&mut matrix, &counts(p), *w);
                }
                matrix
            })
            .collect();
        let mut total = vec![vec![0.0; 2]; 2];
        for matrix in &coincidences {
            for (t, row) in total.iter_mut().zip(matrix) {
                t.iter_mut().zip(row).for_each(|(t, x)| *t += x);
            }
        }
        let alpha = alpha_from_coincidences(&total);
        Scores {
            used,
            percent: (pairable > 0.0).then(|| 100.0 * agreeing / pairable),
            kappa,
            brennan_prediger: fleiss_kappa_weighted(&complete, true),
            alpha,
            interval: alpha.and_then(|_| bootstrap_alpha(&coincidences, REPLICATES, SEED)),
        }
    }

    fn row(&self, label: String) -> Vec<Value> {
        let number = |x: Option<f64>| x.map_or(Value::Missing, Value::Number);
        let used = Value::Integer(self.used.round() as i64);
        if self.used == 0.0 {
            let mut row = vec![label.into(), used];
            row.resize(8, Value::Missing);
            return row;
        }
        vec![
            label.into(),
            used,
            number(self.percent),
            number(self.kappa),
            number(self.brennan_prediger),
            number(self.alpha),
            number(self.interval.map(|i| i.0)),
            number(self.interval.map(|i| i.1)),
        ]
    }
}

/// Votes as category counts: `[no, yes]` among the coders who rated.
fn counts(pattern: &[Option<bool>]) -> Vec<usize> {
    let yes = pattern.iter().filter(|v| **v == Some(true)).count();
    let no = pattern.iter().filter(|v| **v == Some(false)).count();
    vec![no, yes]
}

impl Comparison<'_, '_> {
    /// The codebook's auto-coding (`data`'s codings) measured against `coder`, segment by
    /// segment in the documents that coder coded: per code precision, recall and F1 with
    /// micro and macro averages, and the list of segments the rules missed or coded wrongly.
    ///
    /// # Errors
    /// `coder` is not among the coders.
    pub fn against_auto(&self, coder: &str, codes: &[String]) -> Result<(Table, Table)> {
        let Ok(c) = self.coders.binary_search_by(|name| name.as_str().cmp(coder)) else {
            return Err(Error::Usage(format!(
                "no coder `{coder}` in the codings; they name {}",
                self.coders.join(", ")
            )));
        };
        let units: Vec<usize> = self
            .units
            .iter()
            .copied()
            .filter(|&n| self.documents[c].contains(&self.data.segments[n].document_index()))
            .collect();
        let auto: BTreeMap<(usize, &str), crate::coding::Coding<'_>> =
            self.data.codings.iter().map(|k| ((k.segment, &**k.code()), k)).collect();
        let number =
            |name: &str| Column { name: name.to_owned(), kind: ColumnKind::Number { decimals: 3 } };
        let unit = self.data.unit.name();
        let mut scores = Table::new(
            format!("Auto-coding against {coder} ({} {unit}s)", Grouped(units.len())),
            vec![
                Column::text("code"),
                Column::integer(&format!("{unit}s coded by {coder}")),
                Column::integer(&format!("{unit}s auto-coded")),
                Column::integer("both"),
                number("precision"),
                number("recall"),
                number("F1"),
            ],
        );
        let mut misses = Table::new(
            format!("Auto-coding against {coder}: missed and wrongly coded {unit}s"),
            vec![
                Column::text("code"),
                Column::text("error"),
                Column::text("document"),
                Column::locator("line"),
                Column::text("text"),
                Column::text("rule"),
            ],
        );
        let (mut totals, mut macro_sums, mut macro_counts) = ([0usize; 3], [0.0; 3], [0usize; 3]);
        for code in codes {
            let (mut human, mut machine, mut both) = (0, 0, 0);
            for &n in &units {
                let segment = &self.data.segments[n];
                let by_human = self.covers(code, c, segment.document_index(), &segment.chars());
                let by_rules = auto.get(&(n, code.as_str()));
                human += usize::from(by_human);
                machine += usize::from(by_rules.is_some());
                both += usize::from(by_human && by_rules.is_some());
                let error = match (by_human, by_rules) {
                    (true, None) => "missed",
                    (false, Some(_)) => "wrong",
                    _ => continue,
                };
                misses.push(vec![
                    self.data.code_label(code).trim().to_owned().into(),
                    error.into(),
                    self.data.corpus.documents[segment.document_index()].id.clone().into(),
                    segment.line().into(),
                    segment.text(self.data.corpus).trim().to_owned().into(),
                    by_rules.map_or(String::new(), |k| k.rules().join("; ")).into(),
                ]);
            }
            let measures = precision_recall_f1(human, machine, both);
            for (i, m) in measures.iter().enumerate() {
                if let Some(m) = m {
                    macro_sums[i] += m;
                    macro_counts[i] += 1;
                }
            }
            for (t, x) in totals.iter_mut().zip([human, machine, both]) {
                *t += x;
            }
            scores.push(score_row(self.data.code_label(code), [human, machine, both], measures));
        }
        let micro = precision_recall_f1(totals[0], totals[1], totals[2]);
        scores.push(score_row("micro average (all codes pooled)".into(), totals, micro));
        let macro_average: [Option<f64>; 3] = std::array::from_fn(|i| {
            (macro_counts[i] > 0).then(|| macro_sums[i] / macro_counts[i] as f64)
        });
        let mut macro_row =
            score_row("macro average (mean over codes)".into(), [0; 3], macro_average);
        macro_row[1..4].fill(Value::Missing);
        scores.push(macro_row);
        scores.notes.push(format!(
            "{coder}'s codings as the reference: a {unit} is coded by {coder} when one of their codings overlaps it (a coding of a code also codes its parent). Precision = both / auto-coded, recall = both / coded by {coder}, F1 = 2·both / (auto-coded + coded by {coder}); undefined when the denominator is 0. Micro average: pooled counts over codes; macro average: mean over the codes where the measure is defined (as scikit-learn's precision_recall_fscore_support with zero_division=nan)."
        ));
        misses.notes.push(format!(
            "missed: {coder} coded the {unit}, the rules did not; wrong: the rules coded it, {coder} did not (rule: the rules that matched)."
        ));
        Ok((scores, misses))
    }
}

/// Precision, recall and F1 from counts; `None` where a denominator is 0.
fn precision_recall_f1(human: usize, machine: usize, both: usize) -> [Option<f64>; 3] {
    let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    [ratio(both, machine), ratio(both, human), ratio(2 * both, human + machine)]
}

fn score_row(label: String, counts: [usize; 3], measures: [Option<f64>; 3]) -> Vec<Value> {
    let mut row: Vec<Value> = vec![label.into()];
    row.extend(counts.map(Value::from));
    row.extend(measures.map(|m| m.map_or(Value::Missing, Value::Number)));
    row
}
