//! The typed table every analysis and listing returns.
//!
//! Tables are data first: a title, typed columns, rows of [`Value`]s and notes (methods,
//! provenance). Every export format in [`crate::export`] renders the same `Table` value, so
//! a number printed in the terminal is the number in the CSV and in the paper.

use serde::Serialize;

/// How a column's values are typed and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Free text, left-aligned.
    Text,
    /// Whole numbers, right-aligned.
    Integer,
    /// Real numbers shown with a fixed number of decimals, right-aligned.
    Number {
        /// Decimals shown.
        decimals: usize,
    },
    /// Counts of a total, shown `n (p%)`, right-aligned.
    Count,
    /// p-values, shown with three decimals or `<0.001`, right-aligned.
    PValue,
}

/// A column: name and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Header text.
    pub name: String,
    /// Value kind.
    pub kind: ColumnKind,
}

impl Column {
    /// A text column.
    pub fn text(name: &str) -> Column {
        Column { name: name.to_owned(), kind: ColumnKind::Text }
    }

    /// An integer column.
    pub fn integer(name: &str) -> Column {
        Column { name: name.to_owned(), kind: ColumnKind::Integer }
    }

    /// An `n (p%)` column.
    pub fn count(name: &str) -> Column {
        Column { name: name.to_owned(), kind: ColumnKind::Count }
    }

    /// A p-value column.
    pub fn p_value(name: &str) -> Column {
        Column { name: name.to_owned(), kind: ColumnKind::PValue }
    }

    /// Whether values are right-aligned.
    pub fn is_numeric(&self) -> bool {
        !matches!(self.kind, ColumnKind::Text)
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A real number.
    Number(f64),
    /// `n` of `of` (a percentage when shown).
    Count {
        /// How many.
        n: usize,
        /// Of how many.
        of: usize,
    },
    /// A p-value.
    PValue(f64),
    /// No value.
    Missing,
}

impl Value {
    /// The value as shown in a column of `kind` (fixed decimals; empty when missing).
    pub fn display(&self, kind: ColumnKind) -> String {
        match (self, kind) {
            (Value::Text(text), _) => text.clone(),
            (Value::Integer(n), _) => n.to_string(),
            (Value::Number(x), ColumnKind::Number { decimals }) => format!("{x:.decimals$}"),
            (Value::Number(x), _) => x.to_string(),
            (Value::Count { n, of }, _) if *of == 0 => format!("{n}"),
            (Value::Count { n, of }, _) => format!("{n} ({:.1}%)", 100.0 * *n as f64 / *of as f64),
            (Value::PValue(p), _) if *p < 0.001 => "<0.001".to_owned(),
            (Value::PValue(p), _) => format!("{p:.3}"),
            (Value::Missing, ColumnKind::Count | ColumnKind::PValue) => "–".to_owned(),
            (Value::Missing, _) => String::new(),
        }
    }

    /// The percentage of a count, if this is one with a non-zero total.
    pub fn percent(&self) -> Option<f64> {
        match self {
            Value::Count { n, of } if *of > 0 => Some(100.0 * *n as f64 / *of as f64),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::Integer(n as i64)
    }
}

/// A titled table with typed columns and notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Title (a caption in papers).
    pub title: String,
    /// Columns, in order.
    pub columns: Vec<Column>,
    /// Rows; each has one value per column.
    pub rows: Vec<Vec<Value>>,
    /// Notes under the table: methods, sources, caveats.
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table with a title and columns.
    pub fn new(title: impl Into<String>, columns: Vec<Column>) -> Table {
        Table { title: title.into(), columns, rows: Vec::new(), notes: Vec::new() }
    }

    /// Append a row.
    ///
    /// # Panics
    /// When the row's length differs from the number of columns: a programming error.
    pub fn push(&mut self, row: Vec<Value>) {
        assert_eq!(row.len(), self.columns.len(), "row length must match the columns");
        self.rows.push(row);
    }
}
