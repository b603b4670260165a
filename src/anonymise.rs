//! `anonymise`: a pseudonymised copy of a study.
//!
//! A map (`names.csv`: `name,pseudonym`, one row per real name or participant id) is applied
//! to every text the study holds — transcripts, questionnaires, participants.csv, file names
//! and the manual codings of `[agreement]` — whole word (a name inside a longer word is left
//! alone; `_` and punctuation are boundaries, so `S01_pre.txt` and `Sarah's` are found) and
//! case-aware (`SARAH` → `MAYA`, `sarah` → `maya`, else the pseudonym as written). Longer
//! names are replaced first (`Sarah Jones` before `Sarah`).
//!
//! The copy is a new study folder: `.docx`/`.odt` transcripts become `.txt` (their text as
//! qualkit reads it), the codebook is copied beside study.toml, and manual codings are moved
//! to the new text (their offsets shifted by every replacement before them), so codings made
//! before anonymising still cover the same words. The map itself is never written into the
//! copy; the replacement report (file, line, name, pseudonym) goes beside it, since it holds
//! the real names.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::error::{Error, Result};
use crate::study::Study;

/// The real-name → pseudonym map.
#[derive(Debug, Clone)]
pub struct NameMap {
    /// (name, pseudonym), longest name first.
    pairs: Vec<(String, String)>,
    /// Any name, case-insensitive, longest first.
    pattern: Regex,
}

/// One replacement made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// File (relative to the study; the original name).
    pub file: String,
    /// Line in the original file (0 for a file name).
    pub line: usize,
    /// The text replaced, as written.
    pub original: String,
    /// What replaced it.
    pub pseudonym: String,
}

/// A text after replacement: the new text and its edits.
struct Rewritten {
    text: String,
    edits: Edits,
}

/// Each edit of a rewritten text as (old char range, new char count), in order: what moves a
/// coding's offsets to the new text.
struct Edits(Vec<(Range<usize>, usize)>);

impl Edits {
    /// The new char offset of old char offset `offset` (an offset inside a replaced name
    /// moves to the pseudonym's end).
    fn map(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for (old, new_len) in &self.0 {
            if offset <= old.start {
                break;
            }
            if offset < old.end {
                return (old.start as isize + shift) as usize + new_len;
            }
            shift += *new_len as isize - old.len() as isize;
        }
        (offset as isize + shift) as usize
    }
}

impl NameMap {
    /// Read `names.csv`: a header with `name` (or `real`) and `pseudonym` columns.
    ///
    /// # Errors
    /// Missing columns, empty cells, a name given twice, a pseudonym with a comma, quote or
    /// line break — each with its line.
    pub fn load(path: &Path) -> Result<NameMap> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = crate::corpus::decode::decode(path, &bytes)?.text;
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| crate::corpus::participants::csv_error(path, &e))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let (Some(name), Some(pseudonym)) = (column(&["name", "real"]), column(&["pseudonym"]))
        else {
            return Err(Error::at_line(path, 1, "expected columns `name` and `pseudonym`"));
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut errors = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| crate::corpus::participants::csv_error(path, &e))?;
            let line = crate::corpus::participants::record_line(text.as_bytes(), &record);
            let (real, fake) = (
                record.get(name).unwrap_or("").trim().to_owned(),
                record.get(pseudonym).unwrap_or("").trim().to_owned(),
            );
            if real.is_empty() || fake.is_empty() {
                errors.push(Error::at_line(path, line, "empty name or pseudonym"));
            } else if fake.contains([',', '"', '\n', '\r']) {
                errors.push(Error::at_line(
                    path,
                    line,
                    "a pseudonym may not hold a comma, quote or line break",
                ));
            } else if pairs.iter().any(|(r, _)| r.eq_ignore_ascii_case(&real)) {
                errors.push(Error::at_line(path, line, format!("`{real}` is mapped twice")));
            } else {
                pairs.push((real, fake));
            }
        }
        Error::collect(errors)?;
        if pairs.is_empty() {
            return Err(Error::at_line(path, 2, "no names; expected one row per name"));
        }
        pairs.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));
        let alternatives: Vec<String> = pairs.iter().map(|(r, _)| regex::escape(r)).collect();
        let pattern = Regex::new(&format!("(?i)(?:{})", alternatives.join("|")))
            .map_err(|e| Error::input(path, None, format!("names do not form a pattern: {e}")))?;
        Ok(NameMap { pairs, pattern })
    }

    /// The pseudonyms (to leave out of `--suggest`).
    pub fn pseudonyms(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(_, p)| p.as_str())
    }

    /// The pseudonym for a matched name, in the match's case.
    fn pseudonym(&self, matched: &str) -> String {
        let fake = self
            .pairs
            .iter()
            .find(|(real, _)| real.to_lowercase() == matched.to_lowercase())
            .map_or(matched, |(_, fake)| fake.as_str());
        let letters = || matched.chars().filter(|c| c.is_alphabetic());
        if letters().count() > 1 && letters().all(char::is_uppercase) {
            fake.to_uppercase()
        } else if letters().next().is_some() && letters().all(char::is_lowercase) {
            fake.to_lowercase()
        } else {
            fake.to_owned()
        }
    }

    /// Replace every whole-word name in `text`; record each in `log` against `file`.
    fn rewrite(&self, text: &str, file: &str, log: &mut Vec<Replacement>) -> Rewritten {
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::new();
        let mut last = 0;
        // chars and lines counted on from the name before, not from the start for each name
        // (a long transcript with a name in every turn took quadratic time)
        let (mut counted, mut chars, mut line) = (0, 0, 1);
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        for found in self.pattern.find_iter(text) {
            let before = text[..found.start()].chars().next_back();
            let after = text[found.end()..].chars().next();
            if !boundary(before) || !boundary(after) {
                continue;
            }
            let passed = &text[counted..found.start()];
            chars += passed.chars().count();
            line += passed.matches('\n').count();
            counted = found.start();
            let fake = self.pseudonym(found.as_str());
            out.push_str(&text[last..found.start()]);
            edits.push((chars..chars + found.as_str().chars().count(), fake.chars().count()));
            log.push(Replacement {
                file: file.to_owned(),
                line,
                original: found.as_str().to_owned(),
                pseudonym: fake.clone(),
            });
            out.push_str(&fake);
            last = found.end();
        }
        out.push_str(&text[last..]);
        Rewritten { text: out, edits: Edits(edits) }
    }

    /// `path` with the names in its file name replaced (recorded in `log` at line 0).
    fn rename(&self, path: &Path, log: &mut Vec<Replacement>) -> PathBuf {
        let file = path.to_string_lossy().replace('\\', "/");
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let new_name = self.rewrite(&name, &file, log);
        for entry in log.iter_mut().rev().take(new_name.edits.0.len()) {
            entry.line = 0;
        }
        path.with_file_name(new_name.text)
    }
}

/// What an anonymisation did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Files written into the copy.
    pub files: usize,
    /// Replacements made (each handed over as it was made).
    pub replacements: usize,
}

/// Source files rewritten on every core at a time: the copy of a large study is written
/// as it is made, never held whole.
const FILES_AT_A_TIME: usize = 64;

/// One source file of the study, rewritten.
struct CopiedFile {
    /// Its path in the study as shown in the report and in codings (`/`-separated).
    shown: String,
    /// Its path in the copy.
    target: PathBuf,
    /// Its text, rewritten.
    text: Rewritten,
    /// The replacements made in its text, then in its name.
    log: Vec<Replacement>,
}

/// Write a pseudonymised copy of `study` into `into` (new or empty), handing every
/// replacement to `replaced` as it is made, in file order (a 1 GB study's run to hundreds of
/// thousands, which held until the end took 65 MB).
///
/// The study is loaded first, so a study qualkit cannot read is not copied; its texts are
/// let go once parsed, and each source file is read again, rewritten and written into the
/// copy as it comes (loaded and copied whole, a 1 GB study's copy held 3.3 GB).
///
/// # Errors
/// A target that is not empty, unreadable inputs, codings that do not fit their documents;
/// what `replaced` fails with.
pub fn anonymise(
    study: &Study,
    map: &NameMap,
    into: &Path,
    replaced: &mut dyn FnMut(&Replacement) -> Result<()>,
) -> Result<Summary> {
    use rayon::prelude::*;
    crate::files::ensure_new_folder(into)?;
    let mut corpus = crate::corpus::Corpus::load_letting_texts_go(study)?;
    corpus.let_turns_go();
    let mut log = Vec::new();
    let mut replacements = 0;
    let mut hand_over = |log: &mut Vec<Replacement>| -> Result<()> {
        replacements += log.len();
        log.drain(..).try_for_each(|replacement| replaced(&replacement))
    };
    let mut written: BTreeSet<PathBuf> = BTreeSet::new();
    // each source file's new path and edits, to move the codings made on it
    let mut renamed: BTreeMap<String, (String, Edits)> = BTreeMap::new();
    let sources: Vec<(&crate::study::Source, &PathBuf)> =
        study.sources.iter().flat_map(|s| s.files.iter().map(move |f| (s, f))).collect();
    crate::files::write_new_folder_with(into, "anonymising", |put| {
        let mut put = |path: &Path, bytes: &[u8]| {
            written.insert(path.to_path_buf());
            put(path, bytes)
        };
        for batch in sources.chunks(FILES_AT_A_TIME) {
            let copied: Vec<Result<CopiedFile>> = batch
                .par_iter()
                .map(|(source, file)| copy_source(study, map, source, file))
                .collect();
            // in the study's order, the first failure reported
            for copied in copied {
                let CopiedFile { shown, target, text, log: replacements } = copied?;
                put(&target, text.text.as_bytes())?;
                log.extend(replacements);
                renamed.insert(shown, (target.to_string_lossy().replace('\\', "/"), text.edits));
            }
            hand_over(&mut log)?;
        }
        let participants = &study.participants.file;
        let bytes =
            std::fs::read(study.resolve(participants)).map_err(|e| Error::io(participants, e))?;
        let text = crate::corpus::decode::decode(participants, &bytes)?.text;
        let shown = participants.to_string_lossy().replace('\\', "/");
        put(participants, map.rewrite(&text, &shown, &mut log).text.as_bytes())?;
        // the codebook beside study.toml, and study.toml pointing at it
        let mut manifest = study.manifest_text.clone();
        if let Some(codebook) = &study.coding.codebook {
            let bytes =
                std::fs::read(study.resolve(codebook)).map_err(|e| Error::io(codebook, e))?;
            let name = codebook
                .file_name()
                .map_or("codebook.toml".into(), |n| n.to_string_lossy().into_owned());
            // examples and rules may quote names too: the same map, so rules still match
            let text = crate::corpus::decode::decode(codebook, &bytes)?.text;
            let shown = codebook.to_string_lossy().replace('\\', "/");
            put(Path::new(&name), map.rewrite(&text, &shown, &mut log).text.as_bytes())?;
            let written = toml::Value::String(codebook.to_string_lossy().into_owned()).to_string();
            manifest = manifest.replace(&written, &toml::Value::String(name).to_string());
        }
        put(Path::new(crate::study::MANIFEST), manifest.as_bytes())?;
        if let Some(agreement) = &study.agreement {
            for codings in &agreement.codings {
                let shown = codings.to_string_lossy().replace('\\', "/");
                let bytes =
                    std::fs::read(study.resolve(codings)).map_err(|e| Error::io(codings, e))?;
                let moved =
                    move_codings(codings, &bytes, &corpus, &renamed, map, &shown, &mut log)?;
                put(codings, &moved)?;
            }
        }
        hand_over(&mut log)?;
        // an answer's text read again for its codings must be what was loaded
        corpus.check_texts()
    })?;
    Ok(Summary { files: written.len(), replacements })
}

/// Read and rewrite one source file: `.docx`/`.odt` become `.txt` of their text.
fn copy_source(
    study: &Study,
    map: &NameMap,
    source: &crate::study::Source,
    file: &Path,
) -> Result<CopiedFile> {
    let extension =
        file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let bytes = std::fs::read(study.resolve(file)).map_err(|e| Error::io(file, e))?;
    let text = if matches!(extension.as_str(), "docx" | "odt") {
        crate::corpus::word::extract(file, &bytes)?
    } else {
        crate::corpus::decode::decode_with(file, &bytes, source.encoding)?.text
    };
    drop(bytes);
    let shown = file.to_string_lossy().replace('\\', "/");
    let mut log = Vec::new();
    let text = map.rewrite(&text, &shown, &mut log);
    let mut target = map.rename(file, &mut log);
    if matches!(extension.as_str(), "docx" | "odt") {
        target.set_extension("txt");
    }
    Ok(CopiedFile { shown, target, text, log })
}

/// Manual codings (codings.csv layout) moved to the anonymised documents: new document ids,
/// offsets shifted by the replacements, the `text` column rewritten.
fn move_codings(
    path: &Path,
    bytes: &[u8],
    corpus: &crate::corpus::Corpus,
    renamed: &BTreeMap<String, (String, Edits)>,
    map: &NameMap,
    shown: &str,
    log: &mut Vec<Replacement>,
) -> Result<Vec<u8>> {
    let text = crate::corpus::decode::decode(path, bytes)?.text;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header =
        reader.headers().map_err(|e| crate::corpus::participants::csv_error(path, &e))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(document), Some(start), Some(end)) =
        (column("document"), column("start"), column("end"))
    else {
        // not the codings.csv layout (e.g. a Taguette export): names rewritten in place
        return Ok(map.rewrite(&text, shown, log).text.into_bytes());
    };
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let failed =
        |e: csv::Error| Error::input(path, None, format!("writing the moved codings failed: {e}"));
    writer.write_record(&header).map_err(failed)?;
    for record in reader.records() {
        let record = record.map_err(|e| crate::corpus::participants::csv_error(path, &e))?;
        let line = crate::corpus::participants::record_line(text.as_bytes(), &record);
        let id = record.get(document).unwrap_or("").trim();
        let base = id.split('#').next().unwrap_or(id);
        let Some((new_id, rewritten)) = renamed.get(base) else {
            return Err(Error::at_line(path, line, format!("unknown document `{id}`")));
        };
        let number = |i: usize| record.get(i).and_then(|v| v.trim().parse::<usize>().ok());
        let (Some(a), Some(b)) = (number(start), number(end)) else {
            return Err(Error::at_line(path, line, "start and end must be whole numbers"));
        };
        // an answer to an open question: its offsets are into the cell's text
        let answer = corpus.documents.iter().find(|d| d.id == id && id.contains('#'));
        let cell_text = answer.map(|d| map.rewrite(&d.text_once(), shown, &mut Vec::new()).edits);
        let rewritten = cell_text.as_ref().unwrap_or(rewritten);
        let answer = answer.is_some();
        let cells: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i == document {
                    if answer {
                        map.rewrite(id, shown, log).text.replacen(base, new_id, 1)
                    } else {
                        new_id.clone()
                    }
                } else if i == start {
                    rewritten.map(a).to_string()
                } else if i == end {
                    rewritten.map(b).to_string()
                } else {
                    map.rewrite(cell, shown, log).text
                }
            })
            .collect();
        writer.write_record(&cells).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| Error::input(path, None, format!("writing failed: {e}")))
}

/// Capitalised words in the anonymised texts that may be names the map missed: not at the
/// start of a sentence or line, not common capitalised words, not a pseudonym; with their
/// count and first place, most frequent first.
pub fn suggest(into: &Path, map: &NameMap) -> Result<Vec<(String, usize, String)>> {
    const COMMON: &[&str] = &[
        "I",
        "Mr",
        "Mrs",
        "Miss",
        "Ms",
        "Sir",
        "Dr",
        "Year",
        "English",
        "Maths",
        "Science",
        "GCSE",
        "GCSEs",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Christmas",
        "Easter",
        "Interviewer",
        "OK",
        "Okay",
        "Teams",
        "Zoom",
        "French",
        "Spanish",
        "German",
        "History",
        "Geography",
    ];
    let word = Regex::new(r"\p{Lu}\p{Ll}+").expect("valid pattern");
    let lower_word = Regex::new(r"\b\p{Ll}+\b").expect("valid pattern");
    let mut lowercase: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let pseudonyms: Vec<String> = map.pseudonyms().map(str::to_lowercase).collect();
    let mut found: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut pending = vec![into.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if !path
                .extension()
                .is_some_and(|e| e == "txt" || e == "md" || e == "vtt" || e == "srt")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            lowercase.extend(lower_word.find_iter(&text).map(|m| m.as_str().to_owned()));
            for (number, line) in text.lines().enumerate() {
                for m in word.find_iter(line) {
                    let before = line[..m.start()].trim_end();
                    let sentence_start = before.is_empty()
                        || before.ends_with([
                            '.', '!', '?', ':', '"', '“', ']', ')', '-', '—', '–', '…',
                        ]);
                    let inside_word =
                        line[..m.start()].chars().next_back().is_some_and(char::is_alphanumeric);
                    let w = m.as_str();
                    if sentence_start
                        || inside_word
                        || COMMON.contains(&w)
                        || pseudonyms.contains(&w.to_lowercase())
                    {
                        continue;
                    }
                    let place = format!(
                        "{}:{}",
                        path.strip_prefix(into).unwrap_or(&path).display(),
                        number + 1
                    );
                    found.entry(w.to_owned()).or_insert((0, place)).0 += 1;
                }
            }
        }
    }
    // a word also written in lower case is a word, not a name (`Like`, `So`)
    let mut list: Vec<(String, usize, String)> = found
        .into_iter()
        .filter(|(w, _)| !lowercase.contains(&w.to_lowercase()))
        .filter(|(w, _)| !COMMON.iter().any(|c| w.starts_with(c) && c.len() > 3))
        .map(|(w, (n, at))| (w, n, at))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(rows: &str) -> NameMap {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("names.csv");
        std::fs::write(&path, format!("name,pseudonym\n{rows}")).expect("write");
        NameMap::load(&path).expect("map")
    }

    #[test]
    fn whole_words_case_aware_possessives_and_offsets() {
        let names = map("Sarah,Maya\nSarah Jones,Maya Reed\nS01,P01\n");
        let mut log = Vec::new();
        let text = "Sarah's mentor met SARAH JONES; sarah said Sarahs no. S01_pre and xS01.";
        let out = names.rewrite(text, "t.txt", &mut log);
        assert_eq!(out.text, "Maya's mentor met MAYA REED; maya said Sarahs no. P01_pre and xS01.");
        assert_eq!(log.len(), 4);
        // "mentor" moves left by one char ("Sarah" → "Maya")
        let old = text.find("mentor").expect("word");
        assert_eq!(&out.text[out.edits.map(old)..out.edits.map(old) + 6], "mentor");
    }

    #[test]
    fn lines_and_char_offsets_are_counted_on_from_name_to_name() {
        let names = map("Sarah,Maya\nS01,P01\n");
        let mut log = Vec::new();
        // a name inside a word between two names, and chars of two bytes before them
        let text = "é S01\nxSarah\n\nélève Sarah, S01.\nSarah";
        let out = names.rewrite(text, "t.txt", &mut log);
        assert_eq!(out.text, "é P01\nxSarah\n\nélève Maya, P01.\nMaya");
        let lines: Vec<usize> = log.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 4, 4, 5]);
        // é(0) S01(2..5) xSarah(6..12) élève(14..19) Sarah(20..25) S01(27..30) Sarah(32..37)
        assert_eq!(out.edits.0, [(2..5, 3), (20..25, 4), (27..30, 3), (32..37, 4)]);
    }
}
