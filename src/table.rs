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
    /// Whole numbers that name a place (a line of a file, a position in an order),
    /// right-aligned and never grouped by thousands: line 12345 is found by searching for
    /// `12345`, and APA style leaves such numbers ungrouped. Written as an integer column.
    #[serde(rename = "integer")]
    Locator,
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

    /// A column of places ([`ColumnKind::Locator`]: line numbers, positions).
    pub fn locator(name: &str) -> Column {
        Column { name: name.to_owned(), kind: ColumnKind::Locator }
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
    /// The value as a reader sees it in a column of `kind`: [`Value::plain`], with the
    /// thousands of whole numbers, counts and real numbers grouped by commas (28,596), as
    /// APA style and most journals print numbers of 1,000 or more. For the terminal, Markdown,
    /// LaTeX, HTML, Word and charts; CSV keeps [`Value::plain`], which a spreadsheet reads as a
    /// number.
    pub fn display(&self, kind: ColumnKind) -> String {
        match self {
            _ if kind == ColumnKind::Locator => self.plain(kind),
            Value::Integer(_) | Value::Number(_) => group_thousands(&self.plain(kind)),
            Value::Count { n, of } if *of == 0 => Grouped(n).to_string(),
            Value::Count { n, of } => {
                format!("{} ({:.1}%)", Grouped(n), 100.0 * *n as f64 / *of as f64)
            }
            _ => self.plain(kind),
        }
    }

    /// The value as written in a column of `kind` for a program to read (fixed decimals;
    /// empty when missing; numbers without grouping).
    pub fn plain(&self, kind: ColumnKind) -> String {
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

/// A number written with its thousands grouped by commas (`Grouped(28596)` shows `28,596`;
/// `Grouped(-1234.5)` shows `-1,234.5`): for numbers in notes, titles and headers a reader
/// sees, as [`Value::display`] groups cells.
#[derive(Debug, Clone, Copy)]
pub struct Grouped<T>(pub T);

impl<T: std::fmt::Display> std::fmt::Display for Grouped<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&group_thousands(&self.0.to_string()))
    }
}

/// `number` (as Rust writes a number: an optional sign, digits, an optional fraction) with
/// commas between the groups of three digits of its whole part; anything else as it is.
fn group_thousands(number: &str) -> String {
    let unsigned = number.trim_start_matches(['-', '+']);
    let sign = &number[..number.len() - unsigned.len()];
    let whole_end = unsigned.find(|c: char| !c.is_ascii_digit()).unwrap_or(unsigned.len());
    let (whole, rest) = unsigned.split_at(whole_end);
    let is_number =
        rest.is_empty() || (rest.starts_with('.') && rest[1..].bytes().all(|b| b.is_ascii_digit()));
    if whole.len() < 4 || !is_number {
        return number.to_owned();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_see_thousands_grouped_and_programs_plain_numbers() {
        let cases = [
            (Value::Integer(999), ColumnKind::Integer, "999", "999"),
            (Value::Integer(1000), ColumnKind::Integer, "1,000", "1000"),
            (Value::Integer(-1_234_567), ColumnKind::Integer, "-1,234,567", "-1234567"),
            (Value::Number(12345.678), ColumnKind::Number { decimals: 2 }, "12,345.68", "12345.68"),
            (
                Value::Count { n: 28596, of: 100_000 },
                ColumnKind::Count,
                "28,596 (28.6%)",
                "28596 (28.6%)",
            ),
            (Value::Count { n: 1500, of: 0 }, ColumnKind::Count, "1,500", "1500"),
            (Value::Text("20260501".into()), ColumnKind::Text, "20260501", "20260501"),
            (Value::Integer(12345), ColumnKind::Locator, "12345", "12345"),
            (Value::PValue(0.5), ColumnKind::PValue, "0.500", "0.500"),
            (Value::Number(f64::NAN), ColumnKind::Number { decimals: 1 }, "NaN", "NaN"),
        ];
        for (value, kind, shown, plain) in cases {
            assert_eq!(value.display(kind), shown, "{value:?}");
            assert_eq!(value.plain(kind), plain, "{value:?}");
        }
        assert_eq!(Grouped(28596).to_string(), "28,596");
        assert_eq!(Grouped(123_456_789_u64).to_string(), "123,456,789");
        assert_eq!(Grouped(100).to_string(), "100");
        assert_eq!(Grouped(1e21).to_string(), "1,000,000,000,000,000,000,000");
    }
}
