//! A codebook being written: what importers produce and the TOML writer consumes.
//!
//! Importers build a [`Draft`]; [`Draft::to_toml`] writes it in codebook format 1, and the
//! result is loaded back through [`super::Codebook::parse`] before it is saved, so an
//! imported codebook is always valid.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Codebook, Purpose};

/// A codebook before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Name.
    pub name: String,
    /// Version string.
    pub version: String,
    /// Stemming language name.
    pub language: String,
    /// Description (provenance of an import goes here).
    pub description: String,
    /// Auto-coding or manual.
    pub purpose: Purpose,
    /// Codes, parents before children.
    pub codes: Vec<DraftCode>,
}

/// A code before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftCode {
    /// Id (see [`Ids::unique`]).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Parent id.
    pub parent: Option<String>,
    /// What the theme is.
    pub description: String,
    /// When to apply.
    pub include: String,
    /// When not to apply.
    pub exclude: String,
    /// Rules in the rule language.
    pub rules: Vec<String>,
    /// Texts that must be coded.
    pub examples: Vec<String>,
    /// Texts that must not be coded.
    pub counterexamples: Vec<String>,
    /// `#rrggbb`.
    pub color: Option<String>,
}

impl Draft {
    /// The draft of an existing codebook (for re-export and round trips).
    pub fn from_codebook(codebook: &Codebook) -> Draft {
        Draft {
            name: codebook.name.clone(),
            version: codebook.version.clone(),
            language: codebook.language.name().to_owned(),
            description: codebook.description.clone(),
            purpose: codebook.purpose,
            codes: codebook
                .codes
                .iter()
                .map(|c| DraftCode {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    parent: c.parent.clone(),
                    description: c.description.clone(),
                    include: c.include.clone(),
                    exclude: c.exclude.clone(),
                    rules: c.rules.iter().map(|r| r.text.clone()).collect(),
                    examples: c.examples.clone(),
                    counterexamples: c.counterexamples.clone(),
                    color: c.color.clone(),
                })
                .collect(),
        }
    }

    /// The draft as a codebook file (format 1).
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "format = 1");
        let _ = writeln!(out, "name = {}", quote(&self.name));
        let _ = writeln!(out, "version = {}", quote(&self.version));
        let _ = writeln!(out, "language = {}", quote(&self.language));
        if self.purpose == Purpose::Manual {
            let _ = writeln!(out, "purpose = \"manual\"");
        }
        if !self.description.is_empty() {
            let _ = writeln!(out, "description = {}", quote(&self.description));
        }
        for code in &self.codes {
            out.push_str("\n[[code]]\n");
            let _ = writeln!(out, "id = {}", quote(&code.id));
            let _ = writeln!(out, "name = {}", quote(&code.name));
            if let Some(parent) = &code.parent {
                let _ = writeln!(out, "parent = {}", quote(parent));
            }
            for (key, value) in [
                ("description", &code.description),
                ("include", &code.include),
                ("exclude", &code.exclude),
            ] {
                if !value.is_empty() {
                    let _ = writeln!(out, "{key} = {}", quote(value));
                }
            }
            for (key, values) in [
                ("rules", &code.rules),
                ("examples", &code.examples),
                ("counterexamples", &code.counterexamples),
            ] {
                if !values.is_empty() {
                    let _ = writeln!(out, "{key} = {}", list(values));
                }
            }
            if let Some(color) = &code.color {
                let _ = writeln!(out, "color = {}", quote(color));
            }
        }
        out
    }
}

/// A TOML string: a literal `'…'` when possible (rules read as written), else a basic string.
fn quote(text: &str) -> String {
    if !text.contains(['\'', '\n', '\r']) && !text.chars().any(char::is_control) {
        format!("'{text}'")
    } else {
        toml::Value::String(text.to_owned()).to_string()
    }
}

fn list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| quote(v)).collect();
    let one_line = format!("[{}]", items.join(", "));
    if one_line.len() <= 90 {
        return one_line;
    }
    let mut out = String::from("[\n");
    for item in items {
        let _ = writeln!(out, "  {item},");
    }
    out.push(']');
    out
}

/// Makes readable, unique code ids from category names.
#[derive(Debug, Default)]
pub struct Ids {
    used: BTreeSet<String>,
}

impl Ids {
    /// A unique id for `name` under `parent` (`parent.child`): lower-case ASCII letters and
    /// digits, other characters as `_`, `_2`, `_3`… on collision.
    pub fn unique(&mut self, name: &str, parent: Option<&str>) -> String {
        let mut slug: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        slug = slug.split('_').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("_");
        if slug.is_empty() {
            slug = "code".into();
        }
        let base = match parent {
            Some(parent) => format!("{parent}.{slug}"),
            None => slug,
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn drafts_round_trip_through_toml() {
        let draft = Draft {
            name: "It's \"quoted\"".into(),
            version: "1".into(),
            language: "english".into(),
            description: "line one\nline two".into(),
            purpose: Purpose::Auto,
            codes: vec![
                DraftCode {
                    id: "a".into(),
                    name: "A".into(),
                    rules: vec!["\"set targets\"~2".into(), "don't".into()],
                    ..Default::default()
                },
                DraftCode {
                    id: "a.b".into(),
                    name: "B".into(),
                    parent: Some("a".into()),
                    rules: vec!["x*".into()],
                    ..Default::default()
                },
            ],
        };
        let codebook = Codebook::parse(Path::new("d.toml"), &draft.to_toml()).expect("valid");
        assert_eq!(Draft::from_codebook(&codebook), draft);
    }

    #[test]
    fn ids_are_slugs_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique("Harm Virtue", None), "harm_virtue");
        assert_eq!(ids.unique("Harm-Virtue!", None), "harm_virtue_2");
        assert_eq!(ids.unique("East", Some("africa")), "africa.east");
        assert_eq!(ids.unique("守る", None), "code");
    }
}
