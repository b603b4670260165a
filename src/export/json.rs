//! JSON: `{"title", "columns", "rows": [{column: value}], "notes"}`, pretty-printed, keys
//! in column order.

use serde_json::{Map, Value as JsonValue, json};

use super::Exporter;
use crate::table::{Table, Value};

/// The JSON renderer.
pub struct Json;

impl Exporter for Json {
    fn render(&self, table: &Table) -> String {
        let rows: Vec<JsonValue> = table
            .rows
            .iter()
            .map(|row| {
                let mut object = Map::new();
                for (column, value) in table.columns.iter().zip(row) {
                    let value = match value {
                        Value::Text(text) => json!(text),
                        Value::Integer(n) => json!(n),
                        Value::Number(x) => json!(x),
                        Value::Count { n, of } => json!({"n": n, "of": of}),
                        Value::PValue(p) => json!(p),
                        Value::Missing => JsonValue::Null,
                    };
                    object.insert(column.name.clone(), value);
                }
                JsonValue::Object(object)
            })
            .collect();
        let document = json!({
            "title": table.title,
            "columns": table.columns,
            "rows": rows,
            "notes": table.notes,
        });
        let mut text = serde_json::to_string_pretty(&document).expect("a table serialises");
        text.push('\n');
        text
    }
}
