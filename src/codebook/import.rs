//! Codebooks from other tools: LIWC `.dic`, quanteda YAML dictionaries, CSV codebooks and
//! REFI-QDA `.qdc` codebooks.
//!
//! Dictionary entries (LIWC, YAML) are word patterns matched on the word as written, so
//! they become unstemmed rules: `word` → `=word`, `word*` → `word*`, `two words` → the
//! phrase `"two words"`. An entry that is not one word in the study's analyzer (a `*` inside
//! a multi-word entry, scripts written without spaces) becomes the phrase of its words and
//! is reported as approximated. REFI `.qdc` codebooks carry no rules: they import as a
//! `purpose = "manual"` codebook for manual coding.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, Result, some_of};
use crate::index::{Analyzer, Language, Reading};
use crate::query::Rule;

use super::Purpose;
use super::draft::{Draft, DraftCode, Ids};

/// An imported codebook and what happened to its entries.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The codebook, ready to write.
    pub draft: Draft,
    /// Dictionary entries read (a word in two categories counts twice).
    pub entries: usize,
    /// Entries turned into a phrase because they were not one word.
    pub approximated: Vec<String>,
    /// Entries that yield no rule, with the reason.
    pub skipped: Vec<String>,
    /// REFI-QDA codes: GUID (braces removed, lower case) → code id.
    pub guids: std::collections::BTreeMap<String, String>,
}

/// Import the codes of REFI-QDA XML text — a `.qdc` codebook or a project's `<CodeBook>`.
///
/// # Errors
/// Malformed XML, a DOCTYPE, or no codes, with the line.
pub fn from_qdc_text(path: &Path, text: &str, language: Language) -> Result<Imported> {
    // a project's codes are titles without rules: no word of them is read
    let mut importer = Importer::new(path, language, Reading::default());
    importer.qdc(text)?;
    Ok(importer.finish())
}

/// Import the codebook at `path`, choosing the reader by extension.
///
/// # Errors
/// Unknown extensions and every malformed line, with its line number.
pub fn import(path: &Path, language: Language, reading: Reading) -> Result<Imported> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = crate::corpus::decode::decode(path, &bytes)?.text;
    import_text(path, &text, language, reading)
}

/// Import codebook `text`, read as the file `path` names (its extension picks the reader).
///
/// # Errors
/// As [`import`], apart from reading the file.
pub fn import_text(
    path: &Path,
    text: &str,
    language: Language,
    reading: Reading,
) -> Result<Imported> {
    let text = text.to_owned();
    let extension =
        path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut importer = Importer::new(path, language, reading);
    match extension.as_str() {
        "dic" => importer.liwc(&text)?,
        "yml" | "yaml" => importer.yaml(&text)?,
        "csv" => importer.csv(&text)?,
        "qdc" => importer.qdc(&text)?,
        other => {
            return Err(Error::input(
                path,
                None,
                format!("cannot import `.{other}` files; expected .dic, .yml, .yaml, .csv or .qdc"),
            ));
        }
    }
    Ok(importer.finish())
}

struct Importer<'a> {
    path: &'a Path,
    analyzer: Analyzer,
    ids: Ids,
    draft: Draft,
    entries: usize,
    approximated: Vec<String>,
    skipped: Vec<String>,
    guids: std::collections::BTreeMap<String, String>,
}

impl<'a> Importer<'a> {
    fn new(path: &'a Path, language: Language, reading: Reading) -> Self {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let file = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        Importer {
            path,
            analyzer: Analyzer::new(language).with_reading(reading),
            ids: Ids::default(),
            draft: Draft {
                name: stem,
                version: "1".into(),
                language: language.name().into(),
                description: format!("Imported by qualkit from {file}."),
                purpose: Purpose::Auto,
                codes: Vec::new(),
            },
            entries: 0,
            approximated: Vec::new(),
            skipped: Vec::new(),
            guids: std::collections::BTreeMap::new(),
        }
    }

    fn finish(self) -> Imported {
        Imported {
            draft: self.draft,
            entries: self.entries,
            approximated: self.approximated,
            skipped: self.skipped,
            guids: self.guids,
        }
    }

    fn add_code(&mut self, name: &str, parent: Option<&str>) -> usize {
        let id = self.ids.unique(name, parent);
        self.draft.codes.push(DraftCode {
            id,
            name: name.trim().to_owned(),
            parent: parent.map(str::to_owned),
            ..Default::default()
        });
        self.draft.codes.len() - 1
    }

    /// Add a dictionary entry as a rule of code `index`.
    fn add_entry(&mut self, index: usize, entry: &str) {
        self.entries += 1;
        match entry_rule(entry, &self.analyzer) {
            Ok((rule, exact)) => {
                if !exact {
                    self.approximated.push(entry.to_owned());
                }
                let rules = &mut self.draft.codes[index].rules;
                if !rules.contains(&rule) {
                    rules.push(rule);
                }
            }
            Err(reason) => self.skipped.push(format!("{entry}: {reason}")),
        }
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::at_line(self.path, line, message)
    }

    /// LIWC: `%`, category lines `NN<TAB>Name`, `%`, then `entry<TAB>NN<TAB>NN…`.
    fn liwc(&mut self, text: &str) -> Result<()> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        match lines.next() {
            Some((_, first)) if first.trim() == "%" => {}
            Some((n, _)) => {
                return Err(self
                    .error(n + 1, "expected `%` to open the category list of a LIWC dictionary"));
            }
            None => return Err(self.error(1, "empty dictionary")),
        }
        let mut categories: Vec<(String, usize)> = Vec::new();
        for (n, line) in lines.by_ref() {
            if line.trim() == "%" {
                break;
            }
            let mut fields = line.split_whitespace();
            let (Some(number), Some(_)) = (fields.next(), line.split_whitespace().nth(1)) else {
                return Err(self.error(
                    n + 1,
                    format!("expected `number<TAB>category`, found `{}`", line.trim()),
                ));
            };
            let name = fields.collect::<Vec<_>>().join(" ");
            let code = self.add_code(&name, None);
            categories.push((number.to_owned(), code));
        }
        for (n, line) in lines {
            let (entry, numbers) = split_liwc_entry(line);
            if numbers.is_empty() {
                return Err(
                    self.error(n + 1, format!("entry `{}` has no category numbers", line.trim()))
                );
            }
            for number in numbers {
                let Some(&(_, code)) = categories.iter().find(|(c, _)| c == number) else {
                    return Err(self
                        .error(n + 1, format!("entry `{entry}` names unknown category {number}")));
                };
                self.add_entry(code, entry);
            }
        }
        Ok(())
    }

    /// quanteda YAML: nested mappings are parent codes; lists (or one string) are entries.
    fn yaml(&mut self, text: &str) -> Result<()> {
        use saphyr::{LoadableYamlNode, Yaml};
        if let Some((line, depth)) = too_deep_yaml(text) {
            return Err(self.error(
                line,
                format!(
                    "nested {depth} levels deep; a dictionary may nest at most {MAX_YAML_DEPTH}"
                ),
            ));
        }
        let documents = Yaml::load_from_str(text).map_err(|e| {
            let marker = e.marker();
            Error::input(
                self.path,
                Some(crate::error::Position::at(marker.line(), marker.col() + 1)),
                e.info().to_owned(),
            )
        })?;
        let Some(root) = documents.first() else {
            return Err(self.error(1, "empty dictionary"));
        };
        if root.as_mapping().is_none() {
            return Err(self.error(1, "expected a mapping of categories at the top level"));
        }
        self.yaml_node(root, None, 0)
    }

    fn yaml_node(
        &mut self,
        node: &saphyr::Yaml<'_>,
        parent: Option<(usize, String)>,
        depth: usize,
    ) -> Result<()> {
        use saphyr::Yaml;
        if depth > 32 {
            return Err(self.error(1, "categories nested more than 32 levels deep"));
        }
        let Some(mapping) = node.as_mapping() else {
            return Ok(());
        };
        for (key, value) in mapping {
            let name =
                scalar_text(key).ok_or_else(|| self.error(1, "a category name is not text"))?;
            let parent_id = parent.as_ref().map(|p| p.1.clone());
            let code = self.add_code(&name, parent_id.as_deref());
            let id = self.draft.codes[code].id.clone();
            match value {
                Yaml::Mapping(_) => self.yaml_node(value, Some((code, id)), depth + 1)?,
                Yaml::Sequence(items) => {
                    for item in items {
                        match scalar_text(item) {
                            Some(entry) => self.add_entry(code, &entry),
                            None => self.skipped.push(format!("{name}: an entry that is not text")),
                        }
                    }
                }
                other => match scalar_text(other) {
                    Some(entry) => self.add_entry(code, &entry),
                    None => self.skipped.push(format!("{name}: no entries")),
                },
            }
        }
        Ok(())
    }

    /// CSV: `code,parent,description,rules` (+ optional `name`, `include`, `exclude`,
    /// `examples`, `counterexamples`, `color`); rules separated by `;`, examples by ` | `.
    fn csv(&mut self, text: &str) -> Result<()> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| crate::corpus::participants::csv_error(self.path, &e))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let column = |name: &str| header.iter().position(|h| h == name);
        let Some(code_column) = column("code") else {
            return Err(
                self.error(1, format!("no `code` column; the header has {}", some_of(&header)))
            );
        };
        self.draft.purpose = Purpose::Auto;
        for record in reader.records() {
            let record =
                record.map_err(|e| crate::corpus::participants::csv_error(self.path, &e))?;
            let get = |name: &str| {
                let cell = column(name).and_then(|i| record.get(i)).unwrap_or("").trim();
                unneutralise(cell).to_owned()
            };
            let split = |value: String, separator: &str| -> Vec<String> {
                value
                    .split(separator)
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            };
            let id = record.get(code_column).unwrap_or("").trim().to_owned();
            let name = get("name");
            self.draft.codes.push(DraftCode {
                name: if name.is_empty() { id.clone() } else { name },
                id,
                parent: Some(get("parent")).filter(|p| !p.is_empty()),
                description: get("description"),
                include: get("include"),
                exclude: get("exclude"),
                rules: split(get("rules"), ";"),
                examples: split(get("examples"), " | "),
                counterexamples: split(get("counterexamples"), " | "),
                color: Some(get("color")).filter(|c| !c.is_empty()),
            });
            self.entries += 1;
        }
        Ok(())
    }

    /// REFI-QDA codebook: nested `<Code name=… color=…>` with `<Description>`; any namespace.
    fn qdc(&mut self, text: &str) -> Result<()> {
        self.draft.purpose = Purpose::Manual;
        let mut reader = quick_xml::Reader::from_str(text);
        let mut stack: Vec<usize> = Vec::new();
        let mut in_description = false;
        loop {
            let position = reader.buffer_position() as usize;
            // quick-xml counts bytes it skipped (a BOM): cut at a char boundary
            let line = text[..text.floor_char_boundary(position)].matches('\n').count() + 1;
            let event =
                reader.read_event().map_err(|e| self.error(line, format!("invalid XML: {e}")))?;
            match event {
                Event::Start(element) if local_name(&element) == "Code" => {
                    let code = self.qdc_code(&element, stack.last().copied(), line)?;
                    stack.push(code);
                }
                Event::Empty(element) if local_name(&element) == "Code" => {
                    self.qdc_code(&element, stack.last().copied(), line)?;
                }
                Event::End(element) if element.local_name().as_ref() == "Code" => {
                    stack.pop();
                }
                Event::Start(element) if local_name(&element) == "Description" => {
                    in_description = true
                }
                Event::End(element) if element.local_name().as_ref() == "Description" => {
                    in_description = false;
                    if let Some(&code) = stack.last() {
                        split_criteria(&mut self.draft.codes[code]);
                    }
                }
                Event::Text(content) if in_description => {
                    if let Some(&code) = stack.last() {
                        self.draft.codes[code].description.push_str(&content.xml10_content());
                    }
                }
                Event::GeneralRef(reference) if in_description => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            quick_xml::escape::resolve_predefined_entity(&reference.xml10_content())
                                .unwrap_or_default()
                                .to_owned()
                        }
                    };
                    if let Some(&code) = stack.last() {
                        self.draft.codes[code].description.push_str(&resolved);
                    }
                }
                Event::DocType(_) => {
                    return Err(self
                        .error(line, "a DOCTYPE is not allowed in a codebook (entity expansion)"));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if self.draft.codes.is_empty() {
            return Err(self.error(1, "no <Code> elements; expected a REFI-QDA codebook"));
        }
        Ok(())
    }

    fn qdc_code(
        &mut self,
        element: &BytesStart<'_>,
        parent: Option<usize>,
        line: usize,
    ) -> Result<usize> {
        let mut name = None;
        let mut guid = None;
        let mut color = None;
        let mut description = String::new();
        for attribute in element.attributes() {
            let attribute =
                attribute.map_err(|e| self.error(line, format!("invalid attribute: {e}")))?;
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::default())
                .map_err(|e| self.error(line, format!("invalid attribute: {e}")))?
                .into_owned();
            match attribute.key.local_name().as_ref() {
                "name" => name = Some(value),
                "guid" => guid = Some(crate::refi::normalise_guid(&value)),
                "color" => color = Some(value.to_lowercase()),
                "description" => description = value,
                _ => {}
            }
        }
        let name = name.ok_or_else(|| self.error(line, "a <Code> without a name"))?;
        let parent_id = parent.map(|p| self.draft.codes[p].id.clone());
        let code = self.add_code(&name, parent_id.as_deref());
        self.draft.codes[code].description = description;
        self.draft.codes[code].color = color.filter(|c| c.len() == 7 && c.starts_with('#'));
        if let Some(guid) = guid {
            self.guids.insert(guid, self.draft.codes[code].id.clone());
        }
        self.entries += 1;
        Ok(code)
    }
}

/// Move `Include: …` and `Exclude: …` lines of a description (as qualkit's `.qdc` and
/// `.qdpx` exports write them) back into the code's criteria.
fn split_criteria(code: &mut DraftCode) {
    let mut kept = Vec::new();
    for line in code.description.lines() {
        if let Some(rest) = line.strip_prefix("Include: ") {
            code.include = rest.trim().to_owned();
        } else if let Some(rest) = line.strip_prefix("Exclude: ") {
            code.exclude = rest.trim().to_owned();
        } else {
            kept.push(line);
        }
    }
    code.description = kept.join("\n").trim().to_owned();
}

/// Deepest nesting a YAML dictionary may have (categories within categories): far beyond
/// real dictionaries, and a bound on the parser's and importer's recursion.
const MAX_YAML_DEPTH: usize = 64;

/// The first line where a YAML text nests deeper than [`MAX_YAML_DEPTH`], by flow brackets
/// or by block indentation (one level per increase), with the depth reached.
fn too_deep_yaml(text: &str) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let content = line.trim_start();
        if flow == 0 && !content.is_empty() && !content.starts_with('#') {
            let indent = line.len() - content.len();
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut quote = None;
        for c in content.chars() {
            match (quote, c) {
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    if indents.len() + flow > MAX_YAML_DEPTH {
                        return Some((number + 1, indents.len() + flow));
                    }
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        if indents.len() > MAX_YAML_DEPTH {
            return Some((number + 1, indents.len()));
        }
    }
    None
}

/// Undo the `'` that CSV exports put before cells starting with `=`, `+`, `-` or `@`
/// (formula-injection neutralisation), so exported codebooks import unchanged.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_owned()
}

fn scalar_text(node: &saphyr::Yaml<'_>) -> Option<String> {
    use saphyr::{Scalar, Yaml};
    match node {
        Yaml::Value(Scalar::String(s)) => Some(s.to_string()),
        Yaml::Value(Scalar::Integer(n)) => Some(n.to_string()),
        Yaml::Value(Scalar::FloatingPoint(x)) => Some(x.to_string()),
        Yaml::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        Yaml::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

/// Split a LIWC entry line into the entry and its category numbers. Entries may contain
/// spaces (phrases); the numbers are the trailing numeric fields.
fn split_liwc_entry(line: &str) -> (&str, Vec<&str>) {
    let fields: Vec<&str> = line.split('\t').map(str::trim).filter(|f| !f.is_empty()).collect();
    if fields.len() > 1 {
        return (fields[0], fields[1..].iter().flat_map(|f| f.split_whitespace()).collect());
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let numbers = words.iter().rev().take_while(|w| w.chars().all(|c| c.is_ascii_digit())).count();
    let entry_words = words.len() - numbers;
    let entry_end = words[..entry_words]
        .last()
        .map_or(0, |w| w.as_ptr() as usize - line.as_ptr() as usize + w.len());
    (line[..entry_end].trim(), words[entry_words..].to_vec())
}

/// The rule for a dictionary entry, and whether it is exact (true) or approximated.
fn entry_rule(entry: &str, analyzer: &Analyzer) -> std::result::Result<(String, bool), String> {
    let entry = entry.trim();
    let (body, prefix) = match entry.strip_suffix('*') {
        Some(body) => (body.trim_end(), true),
        None => (entry, false),
    };
    let words = analyzer.words(body);
    if words.is_empty() {
        return Err("no word to match".into());
    }
    let whole_word = words.len() == 1
        && words[0].start == 0
        && words[0].end == body.len()
        && !body.contains('*');
    let word_rule = |form: &str| if prefix { format!("{form}*") } else { format!("={form}") };
    let rule = if whole_word {
        // the word's exact form, or else as written: lower-casing can split a word (`İ` is
        // `i` and a combining dot, which no word of letters and digits holds)
        let written = word_rule(&body[words[0].start..words[0].end]);
        Some(word_rule(&words[0].exact))
            .filter(|rule| Rule::compile(rule, analyzer).is_ok())
            .unwrap_or(written)
    } else {
        let text: Vec<&str> = words.iter().map(|w| &body[w.start..w.end]).collect();
        format!("\"{}\"", text.join(" "))
    };
    Rule::compile(&rule, analyzer).map_err(|e| e.to_string())?;
    let exact = whole_word || (!prefix && !body.contains('*') && words.len() > 1);
    Ok((rule, exact))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(Language::default())
    }

    #[test]
    fn entries_become_unstemmed_rules() {
        assert_eq!(entry_rule("Kenya", &analyzer()), Ok(("=kenya".into(), true)));
        assert_eq!(entry_rule("Kenyan*", &analyzer()), Ok(("kenyan*".into(), true)));
        assert_eq!(entry_rule("Addis Ababa", &analyzer()), Ok(("\"Addis Ababa\"".into(), true)));
        assert_eq!(entry_rule("Dar es*", &analyzer()), Ok(("\"Dar es\"".into(), false)));
        assert_eq!(entry_rule("安全*", &analyzer()), Ok(("\"安 全\"".into(), false)));
        assert!(entry_rule("***", &analyzer()).is_err());
        // lower-cased, `İ` is `i` and a combining dot: with alphanumeric words the entry is
        // written as it was, which splits as text does
        let reading =
            Reading { words: crate::index::WordBreaks::Alphanumeric, ..Reading::default() };
        let alphanumeric = analyzer().with_reading(reading);
        assert_eq!(entry_rule("İstanbul", &alphanumeric), Ok(("=İstanbul".into(), true)));
        assert_eq!(entry_rule("İst*", &alphanumeric), Ok(("İst*".into(), true)));
        assert_eq!(entry_rule("Kenya", &alphanumeric), Ok(("=kenya".into(), true)));
    }

    #[test]
    fn liwc_entry_lines_split_into_entry_and_categories() {
        assert_eq!(split_liwc_entry("友情*\t\t01\t\t05"), ("友情*", vec!["01", "05"]));
        assert_eq!(split_liwc_entry("kind of 12 14"), ("kind of", vec!["12", "14"]));
    }

    #[test]
    fn liwc_and_yaml_import_into_codes() {
        let dir = tempfile::tempdir().expect("temp");
        let dic = dir.path().join("mary.dic");
        std::fs::write(&dic, "%\n1\tmary\n2\tverb\n%\nmary\t1\nlamb\t1\t2\nhad\t2\nlittl*\t1\n")
            .expect("write");
        let imported = import(&dic, Language::default(), Reading::default()).expect("imports");
        let codes: Vec<(&str, Vec<&str>)> = imported
            .draft
            .codes
            .iter()
            .map(|c| (c.id.as_str(), c.rules.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            codes,
            [("mary", vec!["=mary", "=lamb", "littl*"]), ("verb", vec!["=lamb", "=had"])]
        );
        assert_eq!(imported.entries, 5);
        let yml = dir.path().join("geo.yml");
        std::fs::write(&yml, "# c\nAFRICA:\n  EAST:\n    'KE': [Kenya, Kenyan*, Nairobi]\n  WEST: [Ghana]\nEUROPE: France\n").expect("write");
        let imported = import(&yml, Language::default(), Reading::default()).expect("imports");
        let ids: Vec<&str> = imported.draft.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["africa", "africa.east", "africa.east.ke", "africa.west", "europe"]);
        assert_eq!(imported.entries, 5);
    }

    #[test]
    fn qdc_imports_a_manual_codebook_with_hierarchy() {
        let dir = tempfile::tempdir().expect("temp");
        let qdc = dir.path().join("c.qdc");
        let xml = "<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:0:4\"><Codes>\n<Code guid=\"{A}\" name=\"Support\" isCodable=\"true\" color=\"#FF0000\"><Description>Any &amp; all</Description>\n<Code guid=\"B\" name=\"Academic\" isCodable=\"true\"/></Code></Codes></CodeBook>";
        std::fs::write(&qdc, xml).expect("write");
        let imported = import(&qdc, Language::default(), Reading::default()).expect("imports");
        assert_eq!(imported.draft.purpose, Purpose::Manual);
        let codes = &imported.draft.codes;
        assert_eq!(
            (codes[0].id.as_str(), codes[0].description.as_str(), codes[0].color.as_deref()),
            ("support", "Any & all", Some("#ff0000"))
        );
        assert_eq!(
            (codes[1].id.as_str(), codes[1].parent.as_deref()),
            ("support.academic", Some("support"))
        );
        std::fs::write(&qdc, "<!DOCTYPE x [<!ENTITY a \"b\">]><CodeBook/>").expect("write");
        assert!(
            import(&qdc, Language::default(), Reading::default())
                .expect_err("doctype")
                .to_string()
                .contains("DOCTYPE")
        );
    }
}
