//! `participants.csv`: one row per participant, every column an attribute.
//!
//! The id column is named in study.toml (`id` by default). Empty cells are missing values.
//! Ordinal attributes (study.toml `ordinal`) must use their declared levels, and tables and
//! charts follow the declared order ([`Participants::levels`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result, some_of};
use crate::study::ParticipantsConfig;

use super::decode::{TextEncoding, decode_with};
use super::questionnaire::Layout;
use super::{Attributes, SharedStrings};

/// One participant: an id and attribute values (missing values are absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The participant id, as in transcripts' speaker labels.
    pub id: String,
    /// Attribute name → value.
    pub attributes: Attributes,
}

/// The participant table.
#[derive(Debug, Clone, Default)]
pub struct Participants {
    /// Attribute names in file order (the id column excluded).
    pub attributes: Vec<String>,
    /// Participants by id.
    pub by_id: BTreeMap<String, Participant>,
    /// Ordinal attributes and their declared level order.
    pub ordinal: BTreeMap<String, Vec<String>>,
}

impl Participants {
    /// Parse the participants CSV from `bytes`; `path` is used in errors.
    ///
    /// # Errors
    /// Empty file, missing id column, ragged rows, empty or duplicate ids, duplicate
    /// column names, and ordinal values outside the declared levels — all with the line.
    pub fn parse(path: &Path, bytes: &[u8], config: &ParticipantsConfig) -> Result<Participants> {
        // spreadsheets often save CSV in a legacy encoding: detect it
        let text = decode_with(path, bytes, TextEncoding::Detect)?.text;
        // Excel saves with `;` in many locales, sometimes after a `sep=;` line.
        let layout = Layout::of(&text);
        let body = &text[layout.skip_bytes..];
        Participants::parse_rows(path, body, layout.delimiter, layout.skip_lines, config)
            .map_err(|e| e.lines_down(layout.skip_lines))
    }

    /// Parse the rows of `body`, the CSV after `skipped` lines (added to lines named in
    /// messages; the caller moves the errors' own lines).
    fn parse_rows(
        path: &Path,
        body: &str,
        delimiter: u8,
        skipped: usize,
        config: &ParticipantsConfig,
    ) -> Result<Participants> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .delimiter(delimiter)
            .from_reader(body.as_bytes());
        let header = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(Error::at_line(path, 1, "empty file; expected a header row"));
        }
        let names: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
        check_unique_columns(path, &names)?;
        let id_index = names.iter().position(|h| *h == config.id_column).ok_or_else(|| {
            Error::at_line(
                path,
                1,
                format!("no id column `{}`; the header has {}", config.id_column, some_of(&names)),
            )
            .with_hint("set `id = \"…\"` under [participants] in study.toml")
        })?;
        let mut participants = Participants {
            attributes: names
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != id_index)
                .map(|(_, n)| n.clone())
                .collect(),
            by_id: BTreeMap::new(),
            ordinal: config.ordinal.clone(),
        };
        check_ordinal_columns(path, &participants)?;
        // every participant's map shares the column names and the values the rows repeat
        let mut shared = SharedStrings::default();
        let names: Vec<Arc<str>> = names.iter().map(|name| shared.get(name)).collect();
        let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
        let mut errors = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(path, &e))?;
            let line = record_line(body.as_bytes(), &record) as u64;
            match participants.add_row(&names, id_index, &record, (&first_line, &mut shared)) {
                Ok(id) => {
                    first_line.insert(id, line + skipped as u64);
                }
                Err(message) => errors.push(Error::at_line(path, line as usize, message)),
            }
        }
        Error::collect(errors)?;
        if participants.by_id.is_empty() {
            return Err(Error::at_line(path, 2, "no participants; expected one row each"));
        }
        Ok(participants)
    }

    fn add_row(
        &mut self,
        names: &[Arc<str>],
        id_index: usize,
        record: &csv::StringRecord,
        (seen, shared): (&BTreeMap<String, u64>, &mut SharedStrings),
    ) -> std::result::Result<String, String> {
        let id = record.get(id_index).unwrap_or("").trim().to_owned();
        if id.is_empty() {
            return Err(format!("empty participant id in column `{}`", names[id_index]));
        }
        if let Some(first) = seen.get(&id) {
            return Err(format!("duplicate participant id `{id}` (first on line {first})"));
        }
        let mut attributes = Attributes::new();
        for (i, value) in record.iter().enumerate() {
            let value = value.trim();
            if i == id_index || value.is_empty() {
                continue;
            }
            if let Some(levels) = self.ordinal.get(&*names[i])
                && !levels.iter().any(|l| l == value)
            {
                return Err(format!(
                    "`{value}` is not a level of ordinal attribute `{}` ({})",
                    names[i],
                    levels.join(" < ")
                ));
            }
            attributes.insert(Arc::clone(&names[i]), shared.get(value));
        }
        let attributes = attributes.fitted();
        self.by_id.insert(id.clone(), Participant { id: id.clone(), attributes });
        Ok(id)
    }

    /// A participant by id.
    pub fn get(&self, id: &str) -> Option<&Participant> {
        self.by_id.get(id)
    }

    /// The value of `attribute` for participant `id`, if present.
    pub fn attribute(&self, id: &str, attribute: &str) -> Option<&str> {
        self.get(id)?.attributes.get(attribute)
    }

    /// The levels of `attribute` in display order: the declared order for ordinal
    /// attributes, otherwise sorted; levels present in no row are kept for ordinals.
    pub fn levels(&self, attribute: &str) -> Vec<String> {
        if let Some(levels) = self.ordinal.get(attribute) {
            return levels.clone();
        }
        let mut levels: Vec<String> = self
            .by_id
            .values()
            .filter_map(|p| p.attributes.get(attribute).map(str::to_owned))
            .collect();
        levels.sort();
        levels.dedup();
        levels
    }
}

pub(crate) fn check_unique_columns(path: &Path, names: &[String]) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    // blank names (trailing delimiters, empty spreadsheet columns) are not columns anyone uses
    match names.iter().find(|name| !name.is_empty() && !seen.insert(name.as_str())) {
        Some(name) => Err(Error::at_line(path, 1, format!("duplicate column `{name}`"))),
        None => Ok(()),
    }
}

fn check_ordinal_columns(path: &Path, participants: &Participants) -> Result<()> {
    for attribute in participants.ordinal.keys() {
        if !participants.attributes.contains(attribute) {
            return Err(Error::at_line(
                path,
                1,
                format!("ordinal attribute `{attribute}` (study.toml) is not a column"),
            ));
        }
    }
    Ok(())
}

/// A csv crate error as a located input error.
/// The line a CSV record starts on. The csv crate counts a record from where it began
/// reading, blank lines before it included, so skip those.
pub(crate) fn record_line(input: &[u8], record: &csv::StringRecord) -> usize {
    let Some(position) = record.position() else { return 0 };
    let start = (position.byte() as usize).min(input.len());
    let blank = input[start..].iter().take_while(|b| matches!(b, b'\n' | b'\r'));
    position.line() as usize + blank.filter(|&&b| b == b'\n').count()
}

pub(crate) fn csv_error(path: &Path, error: &csv::Error) -> Error {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => Error::at_line(
            path,
            pos.as_ref().map_or(0, |p| p.line() as usize),
            format!("row has {len} fields; expected {expected_len} like the header"),
        ),
        csv::ErrorKind::Utf8 { pos, .. } => Error::at_line(
            path,
            pos.as_ref().map_or(0, |p| p.line() as usize),
            "invalid UTF-8; expected UTF-8 text",
        ),
        _ => Error::input(path, None, error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config() -> ParticipantsConfig {
        ParticipantsConfig {
            file: PathBuf::from("p.csv"),
            id_column: "id".into(),
            ordinal: BTreeMap::from([(
                "ability".to_owned(),
                vec!["low".into(), "middle".into(), "high".into()],
            )]),
        }
    }

    fn parse(text: &str) -> Result<Participants> {
        Participants::parse(Path::new("p.csv"), text.as_bytes(), &config())
    }

    #[test]
    fn every_column_is_an_attribute_and_empty_cells_are_missing() {
        let p = parse("id,gender,ability\nS01,female,low\nS02,,high\n").expect("valid");
        assert_eq!(p.attributes, ["gender", "ability"]);
        assert_eq!(p.attribute("S01", "gender"), Some("female"));
        assert_eq!(p.attribute("S02", "gender"), None);
        assert_eq!(p.levels("ability"), ["low", "middle", "high"]);
    }

    #[test]
    fn duplicate_id_names_both_lines() {
        let message = parse("id,ability\nS01,low\nS01,high\n").expect_err("dup").to_string();
        assert_eq!(message, "p.csv:3: duplicate participant id `S01` (first on line 2)");
    }

    #[test]
    fn ragged_row_and_missing_id_column_are_errors() {
        let message = parse("id,ability\nS01,low,extra\n").expect_err("ragged").to_string();
        assert_eq!(message, "p.csv:2: row has 3 fields; expected 2 like the header");
        let message = parse("name,ability\nS01,low\n").expect_err("no id").to_string();
        assert!(message.starts_with("p.csv:1: no id column `id`"), "{message}");
    }

    #[test]
    fn ordinal_value_outside_levels_is_an_error() {
        let message = parse("id,ability\nS01,top\n").expect_err("level").to_string();
        assert!(message.contains("p.csv:2: `top` is not a level"), "{message}");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(parse("").expect_err("empty").to_string().contains("empty file"));
        let message = parse("id,ability\n").expect_err("no rows").to_string();
        assert!(message.contains("no participants"), "{message}");
    }
}
