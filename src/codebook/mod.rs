//! Codebooks: hierarchical codes with definitions, rules and their own tests.
//!
//! A codebook is a TOML file (`format = 1`, documented in the README): a name, version and
//! language, then `[[code]]` tables with `id`, `name`, optional `parent`, `description`,
//! `include`, `exclude`, `rules` (the [`crate::query`] language), `examples` (must be
//! coded), `counterexamples` (must not be) and `color`. [`Codebook::load`] validates all of
//! it — duplicate ids, unknown parents, cycles, codes with neither rules nor children, rule
//! syntax — reporting every problem at its line and column. Checking examples and linting is
//! [`check`]'s job; applying rules to a study is [`crate::coding`]'s.

pub mod check;
pub mod draft;
pub mod export;
pub mod import;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Position, Result};
use crate::index::{Analyzer, Language, Reading};
use crate::query::Rule;

/// Whether a codebook's codes must carry rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Auto-coding: every leaf code needs rules (the default).
    Auto,
    /// Manual coding only (e.g. imported from another tool): rules are optional.
    Manual,
}

/// A code's rule: its text, where it was written, and the compiled form.
#[derive(Debug, Clone)]
pub struct CodeRule {
    /// The rule as written.
    pub text: String,
    /// The compiled rule.
    pub rule: Rule,
    /// Line and column of the rule's string in the codebook.
    pub position: Position,
}

/// One code.
#[derive(Debug, Clone)]
pub struct Code {
    /// Unique id (`targets`, `targets.monitoring`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Parent code id.
    pub parent: Option<String>,
    /// What the theme is.
    pub description: String,
    /// When to apply it.
    pub include: String,
    /// When not to apply it.
    pub exclude: String,
    /// Rules; the code matches a segment if any matches.
    pub rules: Vec<CodeRule>,
    /// Texts that must be coded.
    pub examples: Vec<String>,
    /// Texts that must not be coded.
    pub counterexamples: Vec<String>,
    /// Display colour, `#rrggbb`.
    pub color: Option<String>,
    /// Line of the code's `id` in the codebook.
    pub line: usize,
}

/// A validated codebook.
#[derive(Debug, Clone)]
pub struct Codebook {
    /// Where it was loaded from.
    pub path: PathBuf,
    /// Name.
    pub name: String,
    /// Version string, as written.
    pub version: String,
    /// Stemming language of the rules.
    pub language: Language,
    /// How the rules read words and transcription marks (`[laughs]`): as the study that
    /// loaded the codebook reads its text (`[coding] marks` and `words`), else the defaults.
    pub reading: Reading,
    /// What it is for and how to apply it.
    pub description: String,
    /// Auto-coding or manual-only.
    pub purpose: Purpose,
    /// Codes in tree order: each parent followed by its children, siblings in file order.
    pub codes: Vec<Code>,
    /// Where each code is and how far its subtree reaches, so lookups stay fast with
    /// thousands of codes.
    tree: Tree,
}

/// Positions in [`Codebook::codes`]: by id, and for each code one past its last
/// descendant (in tree order a code's descendants follow it contiguously).
#[derive(Debug, Clone, Default)]
struct Tree {
    /// Hashed with Fx: analyses ask a code's position for every coding, and the ids come
    /// from the study's own codebook.
    position: rustc_hash::FxHashMap<String, usize>,
    subtree_end: Vec<usize>,
}

impl Tree {
    fn of(codes: &[Code]) -> Tree {
        let position: rustc_hash::FxHashMap<String, usize> =
            codes.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let mut subtree_end: Vec<usize> = (1..=codes.len()).collect();
        // Children come after their parent, so walking backwards finishes every subtree
        // before its parent reads it.
        for (i, code) in codes.iter().enumerate().rev() {
            if let Some(&parent) = code.parent.as_ref().and_then(|p| position.get(p)) {
                subtree_end[parent] = subtree_end[parent].max(subtree_end[i]);
            }
        }
        Tree { position, subtree_end }
    }
}

/// Codes may nest at most this deep (top-level codes are depth 0): deeper trees are not
/// codebooks but accidents, and every walk over the tree stays shallow.
pub const MAX_CODE_DEPTH: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodebook {
    format: Spanned<i64>,
    name: String,
    #[serde(default)]
    version: String,
    language: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
    purpose: Option<Spanned<String>>,
    #[serde(default)]
    code: Vec<RawCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCode {
    id: Spanned<String>,
    name: Option<String>,
    parent: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    include: String,
    #[serde(default)]
    exclude: String,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counterexamples: Vec<String>,
    color: Option<Spanned<String>>,
}

impl Codebook {
    /// Load and validate a codebook file.
    ///
    /// # Errors
    /// Every invalid value, rule and reference, each at its line and column.
    pub fn load(path: &Path) -> Result<Codebook> {
        Codebook::load_shown(path, path)
    }

    /// As [`Codebook::load`], naming the file `shown` in errors (the study's codebook by its
    /// path in the study, like every other input).
    ///
    /// # Errors
    /// As [`Codebook::load`].
    pub fn load_shown(path: &Path, shown: &Path) -> Result<Codebook> {
        Codebook::load_for(path, shown, Reading::default())
    }

    /// As [`Codebook::load_shown`], its rules reading words as `reading` says (a study's
    /// `[coding] marks` and `words`).
    ///
    /// # Errors
    /// As [`Codebook::load`].
    pub fn load_for(path: &Path, shown: &Path, reading: Reading) -> Result<Codebook> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(shown, e))?;
        let text = crate::corpus::decode::decode(shown, &bytes)?.text;
        Codebook::parse_for(shown, &text, reading)
    }

    /// Parse and validate codebook `text`; `path` is used in errors.
    ///
    /// # Errors
    /// As [`Codebook::load`].
    pub fn parse(path: &Path, text: &str) -> Result<Codebook> {
        Codebook::parse_for(path, text, Reading::default())
    }

    /// As [`Codebook::parse`], its rules reading words as `reading` says.
    ///
    /// # Errors
    /// As [`Codebook::load`].
    pub fn parse_for(path: &Path, text: &str, reading: Reading) -> Result<Codebook> {
        let raw: RawCodebook = toml::from_str(text).map_err(|e| {
            let position = e.span().map(|span| Position::of_offset(text, span.start));
            Error::input(path, position, e.message().trim().to_owned())
        })?;
        let lines = crate::error::LineIndex::new(text);
        Validator { path, text, lines, reading, errors: Vec::new() }.codebook(raw)
    }

    /// A code by id.
    pub fn code(&self, id: &str) -> Option<&Code> {
        self.position(id).map(|i| &self.codes[i])
    }

    /// Where code `id` is in [`Codebook::codes`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.tree.position.get(id).copied()
    }

    /// Ids of `id`'s descendants, in tree order.
    pub fn descendants(&self, id: &str) -> Vec<&str> {
        let Some(i) = self.position(id) else { return Vec::new() };
        self.codes[i + 1..self.tree.subtree_end[i]].iter().map(|c| c.id.as_str()).collect()
    }

    /// Whether `descendant` is below `id` in the tree.
    pub fn is_descendant(&self, descendant: &str, id: &str) -> bool {
        match (self.position(id), self.position(descendant)) {
            (Some(i), Some(d)) => i < d && d < self.tree.subtree_end[i],
            _ => false,
        }
    }

    /// The direct children of `id`, in file order.
    pub fn children<'c>(&'c self, id: &'c str) -> impl Iterator<Item = &'c Code> + 'c {
        let range = self.position(id).map_or(0..0, |i| i + 1..self.tree.subtree_end[i]);
        self.codes[range].iter().filter(move |c| c.parent.as_deref() == Some(id))
    }

    /// Every rule in codebook order, each with its code's position: how coding and the
    /// codebook check number rules.
    pub fn rules(&self) -> impl Iterator<Item = (usize, &CodeRule)> {
        self.codes.iter().enumerate().flat_map(|(c, code)| code.rules.iter().map(move |r| (c, r)))
    }

    /// Each code's parent's position (none for a top-level code), in codebook order.
    pub fn parent_positions(&self) -> Vec<Option<usize>> {
        self.codes.iter().map(|c| c.parent.as_deref().and_then(|p| self.position(p))).collect()
    }

    /// `id` and its ancestors, nearest first (an id not in the codebook: just `id`).
    pub fn ancestors_and_self<'c>(&'c self, id: &'c str) -> Vec<&'c str> {
        let mut chain = vec![id];
        while let Some(parent) = self.code(chain[chain.len() - 1]).and_then(|c| c.parent.as_deref())
        {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
        }
        chain
    }

    /// Depth of a code in the tree (0 for top-level codes).
    pub fn depth(&self, id: &str) -> usize {
        let mut depth = 0;
        let mut current = self.code(id).and_then(|c| c.parent.as_deref());
        while let Some(parent) = current {
            depth += 1;
            current = self.code(parent).and_then(|c| c.parent.as_deref());
        }
        depth
    }

    /// The analyzer for the codebook's language and [`Codebook::reading`].
    pub fn analyzer(&self) -> Analyzer {
        Analyzer::new(self.language).with_reading(self.reading)
    }
}

struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
    lines: crate::error::LineIndex<'a>,
    reading: Reading,
    errors: Vec<Error>,
}

impl Validator<'_> {
    fn at(&self, offset: usize) -> Position {
        self.lines.position(offset)
    }

    fn error(&mut self, offset: usize, message: String) {
        let position = self.at(offset);
        self.errors.push(Error::input(self.path, Some(position), message));
    }

    fn codebook(mut self, raw: RawCodebook) -> Result<Codebook> {
        if let Some(message) = crate::study::unsupported_format(*raw.format.get_ref()) {
            self.error(raw.format.span().start, message);
        }
        let language = match &raw.language {
            None => Language::default(),
            Some(name) => Language::parse(name.get_ref()).unwrap_or_else(|message| {
                self.error(name.span().start, message);
                Language::default()
            }),
        };
        let purpose = match raw.purpose.as_ref().map(|p| (p.get_ref().as_str(), p.span().start)) {
            None | Some(("auto", _)) => Purpose::Auto,
            Some(("manual", _)) => Purpose::Manual,
            Some((other, offset)) => {
                self.error(
                    offset,
                    format!("unknown purpose `{other}`; expected `auto` or `manual`"),
                );
                Purpose::Auto
            }
        };
        let analyzer = Analyzer::new(language).with_reading(self.reading);
        let codes: Vec<Code> = raw.code.into_iter().map(|c| self.code(c, &analyzer)).collect();
        self.check_tree(&codes, purpose);
        Error::collect(std::mem::take(&mut self.errors))?;
        let codes = tree_order(codes);
        Ok(Codebook {
            path: self.path.to_path_buf(),
            name: raw.name,
            version: raw.version,
            language,
            reading: self.reading,
            description: raw.description,
            purpose,
            tree: Tree::of(&codes),
            codes,
        })
    }

    fn code(&mut self, raw: RawCode, analyzer: &Analyzer) -> Code {
        let id = raw.id.get_ref().clone();
        let id_offset = raw.id.span().start;
        let valid_id = !id.is_empty()
            && id.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
            });
        if !valid_id {
            self.error(
                id_offset,
                format!(
                    "invalid code id `{id}`; expected lower-case letters, digits, `_`, `.` or `-`"
                ),
            );
        }
        if let Some(color) = &raw.color {
            let value = color.get_ref();
            let valid = value.len() == 7
                && value.starts_with('#')
                && value[1..].chars().all(|c| c.is_ascii_hexdigit());
            if !valid {
                self.error(
                    color.span().start,
                    format!("code `{id}`: invalid color `{value}`; expected #rrggbb"),
                );
            }
        }
        let mut rules = Vec::new();
        for (number, rule) in raw.rules.iter().enumerate() {
            let span = rule.span();
            let opening = quote_length(&self.text[span.clone()]);
            let start = self.at(span.start + opening);
            match Rule::compile(rule.get_ref(), analyzer) {
                Ok(compiled) => rules.push(CodeRule {
                    text: rule.get_ref().clone(),
                    rule: compiled,
                    position: start,
                }),
                Err(Error::Query { column, message }) => {
                    let position = Position::at(start.line, start.column.unwrap_or(1) + column - 1);
                    self.errors.push(Error::input(
                        self.path,
                        Some(position),
                        format!("code `{id}`, rule {}: {message}", number + 1),
                    ));
                }
                Err(other) => self.errors.push(other),
            }
        }
        Code {
            name: raw.name.unwrap_or_else(|| id.clone()),
            id,
            parent: raw.parent.map(Spanned::into_inner),
            description: raw.description.trim().to_owned(),
            include: raw.include.trim().to_owned(),
            exclude: raw.exclude.trim().to_owned(),
            rules,
            examples: raw.examples,
            counterexamples: raw.counterexamples,
            color: raw.color.map(Spanned::into_inner),
            line: self.at(id_offset).line,
        }
    }

    fn check_tree(&mut self, codes: &[Code], purpose: Purpose) {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for code in codes {
            if let Some(line) = first.get(code.id.as_str()) {
                self.errors.push(Error::at_line(
                    self.path,
                    code.line,
                    format!("duplicate code id `{}` (first on line {line})", code.id),
                ));
            } else {
                first.insert(&code.id, code.line);
            }
        }
        let parents: BTreeMap<&str, Option<&str>> =
            codes.iter().map(|c| (c.id.as_str(), c.parent.as_deref())).collect();
        let ancestries = ancestries(&parents);
        let with_children: BTreeSet<&str> =
            codes.iter().filter_map(|c| c.parent.as_deref()).collect();
        for code in codes {
            if let Some(parent) = &code.parent
                && !parents.contains_key(parent.as_str())
            {
                self.errors.push(Error::at_line(
                    self.path,
                    code.line,
                    format!("code `{}` has unknown parent `{parent}`", code.id),
                ));
            }
            match ancestries.get(code.id.as_str()).unwrap_or(&Ancestry::Fine) {
                Ancestry::Cycle => self.errors.push(Error::at_line(
                    self.path,
                    code.line,
                    format!("code `{}` is its own ancestor (a cycle of parents)", code.id),
                )),
                Ancestry::TooDeep => self.errors.push(Error::at_line(
                    self.path,
                    code.line,
                    format!("code `{}` is nested more than {MAX_CODE_DEPTH} levels deep", code.id),
                )),
                Ancestry::Fine => {}
            }
            let has_children = with_children.contains(code.id.as_str());
            if purpose == Purpose::Auto
                && code.rules.is_empty()
                && !has_children
                && self.errors.is_empty()
            {
                self.errors.push(
                    Error::at_line(self.path, code.line, format!("code `{}` has neither rules nor children", code.id))
                        .with_hint("add rules, or set purpose = \"manual\" for a codebook meant for manual coding"),
                );
            }
        }
    }
}

/// Length of the opening quote of a TOML string token (`"`, `'`, `"""` or `'''`).
fn quote_length(token: &str) -> usize {
    if token.starts_with("\"\"\"") || token.starts_with("'''") { 3 } else { 1 }
}

/// What walking up from a code finds.
#[derive(Debug, PartialEq, Eq)]
enum Ancestry {
    /// At most [`MAX_CODE_DEPTH`] ancestors, or an unknown parent (reported apart), or a
    /// cycle above the code that does not include it (reported on its own members).
    Fine,
    /// The code is its own ancestor.
    Cycle,
    /// More than [`MAX_CODE_DEPTH`] ancestors.
    TooDeep,
}

/// Every code's [`Ancestry`], in one pass over the parent links (each code is walked up
/// once; later walks stop at a code already settled), so a chain of thousands is linear.
fn ancestries<'a>(parents: &BTreeMap<&'a str, Option<&'a str>>) -> HashMap<&'a str, Ancestry> {
    #[derive(Clone, Copy)]
    enum Settled {
        Depth(usize),
        OnCycle,
        BelowCycle,
    }
    let mut settled: HashMap<&str, Settled> = HashMap::new();
    for &start in parents.keys() {
        // walk up from `start` until a settled code, a root, or a code already on this walk
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: HashMap<&str, usize> = HashMap::new();
        let mut id = start;
        let end = loop {
            if let Some(&known) = settled.get(id) {
                break Some(known);
            }
            if let Some(&at) = on_path.get(id) {
                for &member in &path[at..] {
                    settled.insert(member, Settled::OnCycle);
                }
                path.truncate(at);
                break Some(Settled::OnCycle);
            }
            on_path.insert(id, path.len());
            path.push(id);
            match parents.get(id).copied().flatten() {
                Some(parent) if parents.contains_key(parent) => id = parent,
                _ => break None, // a root, or an unknown parent (reported on its own)
            }
        };
        // settle the walk from the top down: depths count ancestors
        let mut above = end;
        for &member in path.iter().rev() {
            let state = match above {
                None => Settled::Depth(0),
                Some(Settled::Depth(d)) => Settled::Depth(d + 1),
                Some(Settled::OnCycle | Settled::BelowCycle) => Settled::BelowCycle,
            };
            settled.entry(member).or_insert(state);
            above = Some(state);
        }
    }
    settled
        .into_iter()
        .map(|(id, state)| {
            let ancestry = match state {
                Settled::OnCycle => Ancestry::Cycle,
                Settled::Depth(d) if d > MAX_CODE_DEPTH => Ancestry::TooDeep,
                Settled::Depth(_) | Settled::BelowCycle => Ancestry::Fine,
            };
            (id, ancestry)
        })
        .collect()
}

/// Depth-first order: roots in file order, each followed by its children in file order.
/// Codes in a cycle are left out (the cycle is an error reported before this runs).
fn tree_order(codes: Vec<Code>) -> Vec<Code> {
    let mut children: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, code) in codes.iter().enumerate() {
        children.entry(code.parent.as_deref()).or_default().push(i);
    }
    let mut order = Vec::with_capacity(codes.len());
    // An explicit stack, children pushed in reverse so they come out in file order.
    let mut stack: Vec<usize> = children.get(&None).into_iter().flatten().rev().copied().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(below) = children.get(&Some(codes[i].id.as_str())) {
            stack.extend(below.iter().rev());
        }
    }
    let mut slots: Vec<Option<Code>> = codes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Codebook> {
        Codebook::parse(Path::new("cb.toml"), text)
    }

    const HEAD: &str = "format = 1\nname = \"t\"\n";

    /// `n` codes `c0`…, each the child of the one before; `c0`'s parent is `top`.
    fn chain(n: usize, top: Option<&str>) -> String {
        (0..n)
            .map(|i| {
                let parent = match (i, top) {
                    (0, Some(top)) => format!("parent = \"{top}\"\n"),
                    (0, None) => String::new(),
                    _ => format!("parent = \"c{}\"\n", i - 1),
                };
                format!("[[code]]\nid = \"c{i}\"\n{parent}rules = [\"x\"]\n")
            })
            .collect()
    }

    #[test]
    fn depth_and_cycles_are_told_apart_in_long_chains() {
        // 101 codes: the deepest has 100 ancestors, which is allowed
        let codebook = parse(&format!("{HEAD}{}", chain(101, None))).expect("valid");
        assert_eq!(codebook.depth("c100"), 100);
        assert_eq!(codebook.descendants("c0").len(), 100);
        assert!(codebook.is_descendant("c100", "c0") && !codebook.is_descendant("c0", "c100"));
        // one more is too deep, reported on the one code
        let error = parse(&format!("{HEAD}{}", chain(102, None))).expect_err("too deep");
        assert_eq!(
            error.to_string(),
            "cb.toml:407: code `c101` is nested more than 100 levels deep"
        );
        // a cycle of 200 codes is a cycle on every member, not "too deep"
        let error = parse(&format!("{HEAD}{}", chain(200, Some("c199")))).expect_err("cycle");
        let message = error.to_string();
        assert_eq!(message.lines().count(), 200, "{message}");
        assert!(message.lines().all(|l| l.ends_with("is its own ancestor (a cycle of parents)")));
        // a code hanging below a cycle is not itself reported
        let below = "[[code]]\nid = \"leaf\"\nparent = \"c1\"\nrules = [\"y\"]\n";
        let text = format!("{HEAD}{}{below}", chain(3, Some("c2")));
        let message = parse(&text).expect_err("cycle").to_string();
        assert_eq!(message.lines().count(), 3, "{message}");
        assert!(!message.contains("`leaf`"), "{message}");
    }

    #[test]
    fn codes_come_in_tree_order() {
        let text = format!(
            "{HEAD}[[code]]\nid = \"b.x\"\nparent = \"b\"\nrules = ['x']\n[[code]]\nid = \"a\"\nrules = ['a']\n[[code]]\nid = \"b\"\nrules = ['b']\n"
        );
        let codebook = parse(&text).expect("valid");
        let ids: Vec<&str> = codebook.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "b.x"]);
        assert_eq!(codebook.descendants("b"), ["b.x"]);
        assert_eq!(codebook.depth("b.x"), 1);
    }

    #[test]
    fn rule_syntax_error_names_code_line_and_column() {
        let text = format!("{HEAD}[[code]]\nid = \"t\"\nrules = ['target*', 'set targets']\n");
        let message = parse(&text).expect_err("bad rule").to_string();
        assert_eq!(
            message,
            "cb.toml:5:26: code `t`, rule 2: expected AND, OR or NEAR/n before this; to match words next to each other, quote them as a phrase"
        );
    }

    #[test]
    fn tree_errors_are_all_reported() {
        let text = format!(
            "{HEAD}[[code]]\nid = \"a\"\nparent = \"zz\"\nrules = ['a']\n[[code]]\nid = \"a\"\nrules = ['b']\n[[code]]\nid = \"c\"\nparent = \"d\"\nrules = ['c']\n[[code]]\nid = \"d\"\nparent = \"c\"\nrules = ['d']\n"
        );
        let error = parse(&text).expect_err("invalid");
        let lines: Vec<String> = error.flatten().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            lines,
            [
                "cb.toml:8: duplicate code id `a` (first on line 4)",
                "cb.toml:4: code `a` has unknown parent `zz`",
                "cb.toml:11: code `c` is its own ancestor (a cycle of parents)",
                "cb.toml:15: code `d` is its own ancestor (a cycle of parents)",
            ]
        );
    }

    #[test]
    fn code_without_rules_or_children_is_an_error_unless_manual() {
        let text = format!("{HEAD}[[code]]\nid = \"empty\"\n");
        let message = parse(&text).expect_err("no rules").to_string();
        assert_eq!(message, "cb.toml:4: code `empty` has neither rules nor children");
        let manual = format!("{HEAD}purpose = \"manual\"\n[[code]]\nid = \"empty\"\n");
        assert!(parse(&manual).is_ok());
    }

    #[test]
    fn unknown_keys_and_bad_colors_are_errors() {
        let text = format!("{HEAD}[[code]]\nid = \"a\"\nrules = ['a']\nrule = 'x'\n");
        assert!(
            parse(&text)
                .expect_err("unknown")
                .to_string()
                .starts_with("cb.toml:6:1: unknown field `rule`")
        );
        let text = format!("{HEAD}[[code]]\nid = \"a\"\nrules = ['a']\ncolor = \"red\"\n");
        assert!(parse(&text).expect_err("color").to_string().contains("invalid color `red`"));
    }
}
