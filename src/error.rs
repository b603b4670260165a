//! The library's one error type.
//!
//! Every error a researcher can cause carries the context needed to fix it: the file, the
//! line and column where known, what was found and what was expected. Batch operations
//! (ingesting a folder of transcripts) collect every bad file into [`Error::Several`] rather
//! than stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A position in a file: 1-based line and optional 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line number in the original file.
    pub line: usize,
    /// 1-based column, in characters, where known.
    pub column: Option<usize>,
}

impl Position {
    /// A position with a line only.
    pub fn line(line: usize) -> Self {
        Position { line, column: None }
    }

    /// A position with line and column.
    pub fn at(line: usize, column: usize) -> Self {
        Position { line, column: Some(column) }
    }

    /// The line and column of byte `offset` in `text` (both 1-based, column in chars).
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position::at(line, column)
    }
}

/// Line starts of a text, for turning many offsets into positions without rescanning the
/// text each time (a codebook of thousands of codes locates each one).
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of each line's first character.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Index `text`'s lines.
    pub fn new(text: &'t str) -> Self {
        let starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// The position of byte `offset`, as [`Position::of_offset`] gives it.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        Position::at(line, self.text[line_start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Everything that can go wrong in qualkit's library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A problem in an input file, located as precisely as possible.
    #[error("{}", located(path, position, message))]
    Input {
        /// The file at fault.
        path: PathBuf,
        /// Where in the file, if known.
        position: Option<Position>,
        /// What is wrong, starting lower-case, no trailing period.
        message: String,
        /// A suggestion for fixing it.
        hint: Option<String>,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A query or rule did not parse.
    #[error("query column {column}: {message}")]
    Query {
        /// 1-based column (in characters) in the query text.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// The search index could not be built or read.
    #[error("index {}: {source}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
    /// An argument or option that does not fit the study (an unknown attribute, say).
    #[error("{0}")]
    Usage(String),
    /// Several independent errors, e.g. every bad file in a folder.
    #[error("{}", join_lines(.0))]
    Several(Vec<Error>),
}

fn located(path: &Path, position: &Option<Position>, message: &str) -> String {
    match position {
        Some(Position { line, column: Some(column) }) => {
            format!("{}:{line}:{column}: {message}", path.display())
        }
        Some(Position { line, column: None }) => format!("{}:{line}: {message}", path.display()),
        None => format!("{}: {message}", path.display()),
    }
}

fn join_lines(errors: &[Error]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    lines.join("\n")
}

impl Error {
    /// The same error with every line moved down by `lines` (errors found in a part of a
    /// file that starts after `lines` skipped lines, such as Excel's `sep=` line).
    #[must_use]
    pub fn lines_down(self, lines: usize) -> Error {
        match self {
            Error::Input { path, position: Some(mut position), message, hint } => {
                position.line += lines;
                Error::Input { path, position: Some(position), message, hint }
            }
            Error::Several(errors) => {
                Error::Several(errors.into_iter().map(|e| e.lines_down(lines)).collect())
            }
            other => other,
        }
    }

    /// An input error at a position in a file.
    pub fn input(
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Error::Input { path: path.into(), position, message: message.into(), hint: None }
    }

    /// An input error at a line (no column) in a file.
    pub fn at_line(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::input(path, Some(Position::line(line)), message)
    }

    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// Attach a hint shown under the error. Only input errors carry hints.
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        if let Error::Input { hint, .. } = &mut self {
            *hint = Some(text.into());
        }
        self
    }

    /// Relocate a query error into the file and line holding the query (a codebook rule).
    pub fn in_file(self, path: &Path, line: usize, column_of_query: usize) -> Self {
        match self {
            Error::Query { column, message } => {
                Error::input(path, Some(Position::at(line, column_of_query + column - 1)), message)
            }
            other => other,
        }
    }

    /// Every individual error, flattening [`Error::Several`].
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Several(errors) => errors.iter().flat_map(|e| e.flatten()).collect(),
            other => vec![other],
        }
    }

    /// The hint attached to this error, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Input { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }

    /// Combine collected errors: none → `Ok(())`, one → that error, many → `Several`.
    pub fn collect(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Several(errors)),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

/// The first few of `names` joined with commas, and how many more there are, so that an
/// error about a header of millions of columns still fits on one line.
pub fn some_of<S: AsRef<str>>(names: &[S]) -> String {
    some_of_shown(names, |name| name.to_owned())
}

/// As [`some_of`], each shown name passed through `show` (only the few shown are formatted,
/// so thousands of names cost nothing).
pub fn some_of_shown<S: AsRef<str>>(names: &[S], show: impl Fn(&str) -> String) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = names.iter().take(SHOWN).map(|n| show(n.as_ref())).collect();
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", shown.join(", ")),
        _ => shown.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_of_offset() {
        let text = "ab\ncé\n\nxyz";
        let lines = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(lines.position(offset), Position::of_offset(text, offset), "{offset}");
        }
        assert_eq!(some_of(&["a", "b"]), "a, b");
        let many: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        assert_eq!(some_of(&many), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more");
    }

    #[test]
    fn input_error_names_file_line_and_column() {
        let e = Error::input("a/b.txt", Some(Position::at(3, 7)), "unknown speaker");
        assert_eq!(e.to_string(), "a/b.txt:3:7: unknown speaker");
        let e = Error::at_line("a/b.txt", 3, "empty file");
        assert_eq!(e.to_string(), "a/b.txt:3: empty file");
    }

    #[test]
    fn offsets_map_to_line_and_char_column() {
        let text = "ab\ncdé f\n";
        assert_eq!(Position::of_offset(text, 0), Position::at(1, 1));
        assert_eq!(Position::of_offset(text, 3), Position::at(2, 1));
        // 'f' is after a two-byte char: byte 8, char column 5
        assert_eq!(Position::of_offset(text, 8), Position::at(2, 5));
    }

    #[test]
    fn several_errors_flatten_in_order() {
        let e = Error::Several(vec![
            Error::at_line("a", 1, "x"),
            Error::Several(vec![Error::at_line("b", 2, "y")]),
        ]);
        let lines: Vec<String> = e.flatten().iter().map(|e| e.to_string()).collect();
        assert_eq!(lines, ["a:1: x", "b:2: y"]);
    }
}
