//! Questionnaire CSVs: one row per respondent.
//!
//! Each non-empty open-ended cell becomes a [`Document`] with one turn by the respondent
//! (id `path#respondent/column`); Likert cells become [`LikertAnswer`]s on the declared
//! scale (labels matched case-insensitively, or the level numbers `1..=k`); every other
//! column is an attribute of the respondent's answers. Line numbers point at the cell's
//! line in the CSV, multi-line cells included.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result, some_of};
use crate::study::{LikertConfig, QuestionnaireConfig, Source};

use super::participants::csv_error;
use super::{Attributes, Document, Participants, Role, SharedStrings, Speaker, Turn};

/// The first worksheet of an `.xlsx` workbook as CSV text, so it reads exactly like a CSV
/// export (line numbers are row numbers while no cell holds a line break). Whole numbers
/// stored as floats are written without `.0`.
///
/// # Errors
/// Not a workbook, or no worksheet.
pub fn xlsx_as_csv(path: &Path, bytes: &[u8]) -> Result<String> {
    use calamine::{Data, Reader, Xlsx};
    let error = |message: String| Error::input(path, None, message);
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| error(format!("not a valid .xlsx file ({e})")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| error("the workbook has no worksheet".into()))?
        .map_err(|e| error(format!("cannot read the first worksheet: {e}")))?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Data::Empty => String::new(),
                Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
                other => other.to_string(),
            })
            .collect();
        writer.write_record(&cells).map_err(|e| error(e.to_string()))?;
    }
    let bytes = writer.into_inner().map_err(|e| error(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| error(e.to_string()))
}

/// How a questionnaire CSV is laid out: the delimiter and a `sep=` line to skip.
pub(crate) struct Layout {
    pub(crate) delimiter: u8,
    pub(crate) skip_bytes: usize,
    pub(crate) skip_lines: usize,
}

impl Layout {
    /// Excel's `sep=;` first line names the delimiter; otherwise the header line's most
    /// frequent of `,`, `;` and tab (outside quotes) is taken.
    pub(crate) fn of(text: &str) -> Layout {
        let first = text.lines().next().unwrap_or("");
        if let Some(separator) = first.trim().strip_prefix("sep=")
            && let [delimiter] = separator.as_bytes()
        {
            return Layout {
                delimiter: *delimiter,
                skip_bytes: (first.len() + 1).min(text.len()),
                skip_lines: 1,
            };
        }
        let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
        let mut quoted = false;
        for byte in first.bytes() {
            if byte == b'"' {
                quoted = !quoted;
            }
            for (delimiter, count) in &mut counts {
                if !quoted && byte == *delimiter {
                    *count += 1;
                }
            }
        }
        let delimiter =
            counts.iter().max_by_key(|(d, count)| (*count, *d == b',')).map_or(b',', |(d, _)| *d);
        Layout { delimiter, skip_bytes: 0, skip_lines: 0 }
    }
}

/// Qualtrics exports put the question texts (row 2) and `{"ImportId":…}` (row 3) under the
/// header: how many leading rows are such metadata (0, 1 or 2), so they are not read as
/// respondents.
fn qualtrics_metadata_rows(records: &[csv::StringRecord]) -> usize {
    let import_id =
        |r: &csv::StringRecord| r.iter().any(|c| c.trim_start().starts_with("{\"ImportId\""));
    match records {
        [_, second, ..] if import_id(second) => 2,
        [first, ..] if import_id(first) => 1,
        _ => 0,
    }
}

/// One respondent's answer to one Likert item. A survey has hundreds of thousands: their
/// strings are shared, one copy per file of its name, wave, items and scale, and one per
/// row of its respondent (each answer's own copies, the scale's five labels among them,
/// were a quarter of a survey's memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikertAnswer {
    /// The questionnaire file, relative to the study.
    pub source: Arc<str>,
    /// The respondent.
    pub participant: Arc<str>,
    /// The wave of the questionnaire.
    pub wave: Option<Arc<str>>,
    /// The item (column name).
    pub item: Arc<str>,
    /// 0-based level on the scale; `None` when left blank.
    pub level: Option<usize>,
    /// The scale's labels, lowest first.
    pub scale: Arc<[String]>,
}

/// What one questionnaire file yields.
#[derive(Debug, Default)]
pub struct Parsed {
    /// One document per non-empty open answer.
    pub documents: Vec<Document>,
    /// Every Likert answer.
    pub likert: Vec<LikertAnswer>,
}

/// The columns of a questionnaire, by place, with the strings every row's answers share.
struct Columns {
    respondent: usize,
    open: Vec<(usize, Arc<str>)>,
    likert: Vec<(usize, Arc<str>)>,
    attributes: Vec<(usize, Arc<str>)>,
    /// The name of the attribute that says which open column an answer is in.
    question: Arc<str>,
    /// The file's path, relative to the study, with `/` between folders.
    file: Arc<str>,
    wave: Option<Arc<str>>,
    scale: Arc<[String]>,
}

/// Parse a questionnaire's decoded `text`.
///
/// # Errors
/// Missing columns, ragged rows, empty, unknown or duplicate respondents, and Likert values
/// off the scale — every bad row is reported.
pub fn parse(
    path: &Path,
    text: &str,
    source: &Source,
    config: &QuestionnaireConfig,
    participants: &Participants,
) -> Result<Parsed> {
    let layout = Layout::of(text);
    let body = &text[layout.skip_bytes..];
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(layout.delimiter)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, &e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    // Header errors are on the header's line, after any `sep=` or metadata lines.
    let shift = |e: Error| e.lines_down(layout.skip_lines);
    super::participants::check_unique_columns(path, &header).map_err(shift)?;
    let columns = find_columns(path, &header, (source, config)).map_err(shift)?;
    let mut shared = SharedStrings::default();
    let mut parsed = Parsed::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| shift(csv_error(path, &e)))?;
    let metadata_rows = qualtrics_metadata_rows(&records);
    for record in records.into_iter().skip(metadata_rows) {
        let line = super::participants::record_line(body.as_bytes(), &record) + layout.skip_lines;
        let row = Row { path, source, config, columns: &columns, record: &record, line };
        match row.read(participants, &seen, &mut shared) {
            Ok((respondent, documents, likert)) => {
                seen.insert(respondent, line);
                parsed.documents.extend(documents);
                parsed.likert.extend(likert);
            }
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    if seen.is_empty() {
        return Err(Error::at_line(path, 2, "no responses; expected one row per respondent")
            .lines_down(layout.skip_lines));
    }
    Ok(parsed)
}

fn find_columns(
    path: &Path,
    header: &[String],
    (source, config): (&Source, &QuestionnaireConfig),
) -> Result<Columns> {
    let find = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            Error::at_line(
                path,
                1,
                format!("no column `{name}`; the header has {}", some_of(header)),
            )
        })
    };
    let respondent = find(&config.respondent)?;
    let mut open = Vec::new();
    for name in &config.open {
        open.push((find(name)?, Arc::from(name.as_str())));
    }
    let mut likert = Vec::new();
    for name in config.likert.iter().flat_map(|l| &l.columns) {
        likert.push((find(name)?, Arc::from(name.as_str())));
    }
    let used: Vec<usize> = std::iter::once(respondent)
        .chain(open.iter().map(|c| c.0))
        .chain(likert.iter().map(|c| c.0))
        .collect();
    let attributes = header
        .iter()
        .enumerate()
        .filter(|(i, name)| !used.contains(i) && !name.is_empty())
        .map(|(i, name)| (i, Arc::from(name.as_str())))
        .collect();
    Ok(Columns {
        respondent,
        open,
        likert,
        attributes,
        question: Arc::from("question"),
        file: path.to_string_lossy().replace('\\', "/").into(),
        wave: source.wave.as_deref().map(Arc::from),
        scale: config.likert.as_ref().map_or_else(|| Arc::from([]), |l| Arc::from(&l.scale[..])),
    })
}

struct Row<'a> {
    path: &'a Path,
    source: &'a Source,
    config: &'a QuestionnaireConfig,
    columns: &'a Columns,
    record: &'a csv::StringRecord,
    line: usize,
}

type RowParts = (String, Vec<Document>, Vec<LikertAnswer>);

impl Row<'_> {
    fn cell(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("")
    }

    /// The file line on which cell `index` starts: earlier cells may span lines.
    fn line_of_cell(&self, index: usize) -> usize {
        let newlines: usize = (0..index).map(|i| self.cell(i).matches('\n').count()).sum();
        self.line + newlines
    }

    fn read(
        &self,
        participants: &Participants,
        seen: &BTreeMap<String, usize>,
        shared: &mut SharedStrings,
    ) -> Result<RowParts> {
        let respondent = self.cell(self.columns.respondent).trim().to_owned();
        let error = |message: String| Error::at_line(self.path, self.line, message);
        if respondent.is_empty() {
            return Err(error(format!(
                "empty respondent id in column `{}`",
                self.config.respondent
            )));
        }
        if participants.get(&respondent).is_none() {
            return Err(error(format!("respondent `{respondent}` is not in participants.csv"))
                .with_hint("add the respondent to participants.csv"));
        }
        if let Some(first) = seen.get(&respondent) {
            return Err(error(format!(
                "duplicate respondent `{respondent}` (first on line {first})"
            )));
        }
        // each answer's map is the row's with its question
        let attributes: Attributes = self
            .columns
            .attributes
            .iter()
            .filter(|(i, _)| !self.cell(*i).trim().is_empty())
            .map(|(i, name)| (Arc::clone(name), shared.get(self.cell(*i).trim())))
            .collect();
        // the row's answers share their speaker, whose label is their participant
        let id: Arc<str> = respondent.as_str().into();
        let speaker = Arc::new(Speaker {
            label: Arc::clone(&id),
            role: Role::Participant,
            participant: Some(Arc::clone(&id)),
        });
        let documents = self.answers(&respondent, &speaker, &attributes);
        let likert = match &self.config.likert {
            Some(scale) => self.likert(&id, scale)?,
            None => Vec::new(),
        };
        Ok((respondent, documents, likert))
    }

    fn answers(
        &self,
        respondent: &str,
        speaker: &Arc<Speaker>,
        attributes: &Attributes,
    ) -> Vec<Document> {
        let file = &self.columns.file;
        let mut documents = Vec::new();
        for (index, column) in &self.columns.open {
            let cell = self.cell(*index);
            if cell.trim().is_empty() {
                continue;
            }
            let text = super::decode::normalise_line_endings(cell);
            let line_base = self.line_of_cell(*index) - 1;
            let id = format!("{file}#{respondent}/{column}");
            let mut document =
                Document::new(id, self.path.to_path_buf(), self.source.kind, text, line_base);
            document.wave = self.source.wave.clone();
            document.participants = vec![respondent.to_owned()];
            document.attributes =
                attributes.with(Arc::clone(&self.columns.question), Arc::clone(column));
            let trimmed = document.text().trim_start();
            let start = document.text().len() - trimmed.len();
            let end = start + trimmed.trim_end().len();
            document.turns = vec![Turn::new(document.speaker_number(speaker), start..end)];
            documents.push(document);
        }
        documents
    }

    fn likert(&self, respondent: &Arc<str>, scale: &LikertConfig) -> Result<Vec<LikertAnswer>> {
        let mut answers = Vec::new();
        for (index, item) in &self.columns.likert {
            let value = self.cell(*index).trim();
            let level = if value.is_empty() {
                None
            } else {
                Some(scale_level(value, &scale.scale).ok_or_else(|| {
                    Error::at_line(
                        self.path,
                        self.line_of_cell(*index),
                        format!(
                            "`{value}` in column `{item}` is not on the scale ({}, or 1–{})",
                            scale.scale.join(", "),
                            scale.scale.len()
                        ),
                    )
                })?)
            };
            answers.push(LikertAnswer {
                source: Arc::clone(&self.columns.file),
                participant: Arc::clone(respondent),
                wave: self.columns.wave.clone(),
                item: Arc::clone(item),
                level,
                scale: Arc::clone(&self.columns.scale),
            });
        }
        Ok(answers)
    }
}

/// The 0-based level of `value`: a label (case-insensitive) or a number `1..=k`.
fn scale_level(value: &str, scale: &[String]) -> Option<usize> {
    if let Some(i) = scale.iter().position(|label| label.eq_ignore_ascii_case(value)) {
        return Some(i);
    }
    match value.parse::<usize>() {
        Ok(n) if (1..=scale.len()).contains(&n) => Some(n - 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_excel_sep_line_semicolons_and_tabs() {
        let sep = Layout::of("sep=;\nid;q1\nS01;Yes\n");
        assert_eq!((sep.delimiter, sep.skip_lines, sep.skip_bytes), (b';', 1, 6));
        assert_eq!(Layout::of("id;q1;\"a,b\"\n").delimiter, b';');
        assert_eq!(Layout::of("id\tq1\n").delimiter, b'\t');
        assert_eq!(Layout::of("id,q1\n").delimiter, b',');
    }

    #[test]
    fn scale_levels_accept_labels_and_numbers() {
        let scale: Vec<String> = ["Disagree", "Neutral", "Agree"].map(String::from).to_vec();
        assert_eq!(scale_level("agree", &scale), Some(2));
        assert_eq!(scale_level("1", &scale), Some(0));
        assert_eq!(scale_level("4", &scale), None);
        assert_eq!(scale_level("Maybe", &scale), None);
    }
}
