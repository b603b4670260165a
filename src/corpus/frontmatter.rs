//! Front matter: `key: value` lines between `---` lines at the top of a transcript.
//!
//! This is the small YAML subset transcripts use in practice: one `key: value` per line,
//! values optionally quoted, lists written `[a, b]`, `#` comments and blank lines. Anything
//! else is an error naming the line, so a typo never silently becomes transcript text.

use std::path::Path;

use crate::error::{Error, Result};

/// One front matter value: a single string or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `key: value`
    One(String),
    /// `key: [a, b]`
    List(Vec<String>),
}

impl Value {
    /// The value as a list (a single value is a list of one).
    pub fn items(&self) -> Vec<String> {
        match self {
            Value::One(v) => vec![v.clone()],
            Value::List(items) => items.clone(),
        }
    }
}

/// A parsed front matter block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `(key, value, line)` in file order.
    pub fields: Vec<(String, Value, usize)>,
    /// Byte offset just after the closing `---` line: where the transcript starts.
    pub end: usize,
}

impl FrontMatter {
    /// The value and line of `key`.
    pub fn get(&self, key: &str) -> Option<(&Value, usize)> {
        self.fields.iter().find(|(k, _, _)| k == key).map(|(_, v, line)| (v, *line))
    }
}

/// Split front matter off `text`; `None` when the text does not start with `---`.
///
/// # Errors
/// An unclosed block, a line that is not `key: value`, a duplicate key, an unclosed list.
pub fn parse(path: &Path, text: &str) -> Result<Option<FrontMatter>> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok(None),
    }
    let mut front = FrontMatter::default();
    let mut offset = text.split_inclusive('\n').next().map_or(0, str::len);
    for (index, raw) in lines.enumerate() {
        let line_number = index + 2;
        offset += raw.len();
        let line = raw.trim_end();
        if line == "---" || line == "..." {
            front.end = offset;
            return Ok(Some(front));
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (key, value) =
            parse_line(line).map_err(|message| Error::at_line(path, line_number, message))?;
        if front.get(&key).is_some() {
            return Err(Error::at_line(
                path,
                line_number,
                format!("duplicate front matter key `{key}`"),
            ));
        }
        front.fields.push((key, value, line_number));
    }
    Err(Error::at_line(path, 1, "front matter opened here is never closed; expected a line `---`"))
}

fn parse_line(line: &str) -> std::result::Result<(String, Value), String> {
    let expected = || format!("expected `key: value` in front matter, found `{line}`");
    let (key, value) = line.split_once(':').ok_or_else(expected)?;
    let key = key.trim();
    let valid_key = key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        && key.chars().next().is_some_and(char::is_alphabetic);
    if !valid_key {
        return Err(expected());
    }
    let value = value.trim();
    let parsed = if let Some(inner) = value.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| format!("list for `{key}` is not closed; expected `]`"))?;
        let items = inner
            .split(',')
            .map(|item| unquote(item.trim()).to_owned())
            .filter(|item| !item.is_empty())
            .collect();
        Value::List(items)
    } else {
        Value::One(unquote(value).to_owned())
    };
    Ok((key.to_lowercase(), parsed))
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Option<FrontMatter>> {
        parse(Path::new("t.txt"), text)
    }

    #[test]
    fn values_lists_and_end_offset() {
        let text =
            "---\nparticipant: S01\nparticipants: [S01, \"S02\"]\ndate: 2025-10-07\n---\nI: hi\n";
        let front = parse_str(text).expect("valid").expect("present");
        assert_eq!(front.get("participant").map(|v| v.0.items()), Some(vec!["S01".to_owned()]));
        assert_eq!(
            front.get("participants").map(|v| v.0.clone()),
            Some(Value::List(vec!["S01".into(), "S02".into()]))
        );
        assert_eq!(front.get("date").map(|v| v.1), Some(4));
        assert_eq!(&text[front.end..], "I: hi\n");
    }

    #[test]
    fn no_front_matter_is_none() {
        assert_eq!(parse_str("I: hello\n").expect("ok"), None);
    }

    #[test]
    fn broken_front_matter_names_the_line() {
        let message =
            parse_str("---\nwave: pre\nthis is not a key\n---\n").expect_err("broken").to_string();
        assert!(message.starts_with("t.txt:3: expected `key: value`"), "{message}");
        let message = parse_str("---\nwave: pre\n").expect_err("unclosed").to_string();
        assert!(message.starts_with("t.txt:1: front matter opened here is never closed"));
    }
}
