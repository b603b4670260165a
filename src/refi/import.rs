//! A REFI-QDA project (`.qdpx`) into a new study.
//!
//! **Safety first.** Every archive entry name must be a relative path inside the archive
//! (no `..`, no absolute path, no drive letter); symbolic links are refused; at most
//! [`MAX_ENTRIES`] entries and [`MAX_TOTAL_BYTES`] uncompressed, counted while reading (the
//! sizes an archive declares are not trusted). `project.qde` may not contain a DOCTYPE, so
//! no external entity is fetched and no entity is expanded. Nothing is written until the
//! whole project has been read; the study is written into a fresh folder beside the target
//! and renamed into place, so a refused or failed import leaves nothing behind.
//!
//! **Leniency.** Elements are matched by local name, so the pre-1.0 and misspelt namespaces
//! real exporters use read the same; GUIDs may come in braces and any case; sources may sit
//! in `sources/` or `Sources/`, with or without `internal://`, or inline as
//! `PlainTextContent`; a UTF-8 BOM is dropped and line ends are kept, so offsets keep their
//! meaning. Selection offsets are code points, as the standard says, except in NVivo's
//! exports, which count UTF-16 code units (checked on a real NVivo 12 export: characters
//! outside the Basic Multilingual Plane, such as emoji, count twice); they are converted.
//!
//! **What comes in.** Text sources → `sources/` (transcripts with speaker labels keep their
//! turns; other text is one turn by its participant); the codebook → `codebook.toml` (no
//! rules: `purpose = "manual"`); each user's codings → `codings/<user>.csv` (codings.csv
//! layout, offsets into the imported text); cases and variables → `participants.csv`
//! (a source linked to no case becomes its own participant). PDF, picture, audio and video
//! sources and their selections are counted in the summary, not silently dropped.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, Result};
use crate::files::{UniqueNames, slug};

use super::normalise_guid;

/// Most entries an archive may hold.
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes an archive may unpack to.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;

/// What an import brought in and left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Sources written, codes, selections placed, codings written, users, cases.
    pub counts: super::Counts,
    /// What was not imported, and why.
    pub skipped: Vec<String>,
}

/// One text source of the project.
#[derive(Debug, Clone, Default)]
struct Source {
    guid: String,
    name: String,
    path: Option<String>,
    inline: Option<String>,
    selections: Vec<Selection>,
}

#[derive(Debug, Clone, Default)]
struct Selection {
    start: usize,
    end: usize,
    user: Option<String>,
    /// (code GUID, coding user)
    codings: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, Default)]
struct Case {
    name: String,
    values: Vec<(String, String)>,
    sources: Vec<String>,
}

/// The parts of `project.qde` qualkit reads.
#[derive(Debug, Clone, Default)]
struct Project {
    name: String,
    origin: String,
    users: BTreeMap<String, String>,
    variables: BTreeMap<String, String>,
    cases: Vec<Case>,
    sources: Vec<Source>,
    other_sources: BTreeMap<&'static str, (usize, usize)>,
}

/// Import the project at `path` into a new study folder `into` (which must not exist or be
/// empty).
///
/// # Errors
/// An unsafe or malformed archive, a `project.qde` that is not QDA-XML, a target folder
/// that is not empty — each naming the file and, for XML, the line.
pub fn import(path: &Path, into: &Path) -> Result<Summary> {
    crate::files::ensure_new_folder(into)?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (project, codebook, files) = read_project(path, bytes)?;
    let study = Study::build(&project, &codebook, &files)?;
    crate::files::write_new_folder(
        into,
        "importing",
        study.files.iter().map(|(p, b)| (p.as_path(), b.as_slice())),
    )?;
    Ok(study.summary)
}

/// What importing `bytes` as a project would bring in, without writing anything (for checks
/// and fuzzing).
///
/// # Errors
/// As [`import`].
pub fn inspect(path: &Path, bytes: Vec<u8>) -> Result<Summary> {
    let (project, codebook, files) = read_project(path, bytes)?;
    Ok(Study::build(&project, &codebook, &files)?.summary)
}

/// An archive's project, its codebook and its entries.
type ReadProject = (Project, crate::codebook::import::Imported, Vec<(String, Vec<u8>)>);

fn read_project(path: &Path, bytes: Vec<u8>) -> Result<ReadProject> {
    let files = read_archive(path, bytes)?;
    let (qde_name, qde) = files
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("project.qde"))
        .ok_or_else(|| {
        Error::input(path, None, "no project.qde in the archive; expected a REFI-QDA .qdpx project")
    })?;
    let qde_path = path.join(qde_name);
    let xml = String::from_utf8(qde.clone())
        .map_err(|_| Error::input(&qde_path, None, "project.qde is not UTF-8"))?;
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(&xml);
    let project = parse(&qde_path, xml)?;
    let mut codebook = crate::codebook::import::from_qdc_text(
        &qde_path,
        xml,
        crate::index::Language::from_name("english").expect("english is a language"),
    )?;
    if !project.name.is_empty() {
        codebook.draft.name = format!("{} codebook", project.name);
    }
    Ok((project, codebook, files))
}

/// The users' codings in a project made from this study (exported by `qualkit export refi`
/// and coded in another tool), for `qualkit agree`: sources are matched to the study's
/// documents by name (id, file name or stem) and must hold the same text; codes are matched
/// by the GUID qualkit gave them, else by name. The auto-coder's codings are left out.
///
/// # Errors
/// Everything [`import`] refuses, and sources, texts or codes that do not match the study.
pub fn manual_codings(
    path: &Path,
    bytes: &[u8],
    data: &crate::analysis::Dataset<'_>,
    into: &mut crate::analysis::agree::ManualCodings,
) -> Result<()> {
    let (project, codebook, files) = read_project(path, bytes.to_vec())?;
    let utf16 = project.origin.to_ascii_lowercase().starts_with("nvivo");
    let by_guid: BTreeMap<String, &str> = data
        .codebook
        .codes
        .iter()
        .map(|c| (crate::codebook::export::code_guid(&data.codebook.name, &c.id), c.id.as_str()))
        .collect();
    let names: BTreeMap<&str, &str> =
        codebook.draft.codes.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect();
    // the study's codes by name, first of a repeated name winning as a linear search would
    let mut study_codes: BTreeMap<&str, &str> = BTreeMap::new();
    for code in data.codebook.codes.iter().rev() {
        study_codes.insert(&code.name, &code.id);
    }
    let code_of = |guid: &str| -> Option<String> {
        if let Some(id) = by_guid.get(guid) {
            return Some((*id).to_owned());
        }
        let name = codebook.guids.get(guid).and_then(|id| names.get(id.as_str()))?;
        study_codes.get(name).map(|id| (*id).to_owned())
    };
    let mut errors = Vec::new();
    for source in &project.sources {
        if source.selections.is_empty() {
            continue;
        }
        let Ok(document) = crate::analysis::agree::find_document(data, &source.name) else {
            errors.push(Error::input(
                path,
                None,
                format!("source `{}` is not a document of the study", source.name),
            ));
            continue;
        };
        let Some(text) = source_text(source, &files) else { continue };
        if text != data.corpus.documents[document].text() {
            errors.push(Error::input(
                path,
                None,
                format!(
                    "the text of source `{}` differs from the study's {}; import the project as a study with `qualkit import refi`",
                    source.name, data.corpus.documents[document].id
                ),
            ));
            continue;
        }
        let units = Units::new(&text, utf16);
        for selection in &source.selections {
            let Some((start, end)) = units.selection(selection) else {
                into.warnings.push(format!(
                    "{}: a selection {}–{} in `{}` lies outside the text; skipped",
                    path.display(),
                    selection.start,
                    selection.end,
                    source.name
                ));
                continue;
            };
            for (code, user) in &selection.codings {
                let user = user.as_ref().or(selection.user.as_ref());
                let coder = user
                    .and_then(|u| project.users.get(u))
                    .cloned()
                    .unwrap_or_else(|| "unknown".into());
                if coder == super::export::AUTO_CODER {
                    continue;
                }
                let Some(code) = code_of(code) else {
                    errors.push(Error::input(
                        path,
                        None,
                        format!(
                            "a coding in `{}` uses a code that is not in {}",
                            source.name, data.codebook.name
                        ),
                    ));
                    continue;
                };
                if start < end {
                    into.annotations.push(crate::analysis::agree::Annotation {
                        coder,
                        document,
                        chars: start..end,
                        code,
                    });
                }
            }
        }
    }
    Error::collect(errors)
}

/// Every entry of the archive, checked; names as written.
fn read_archive(path: &Path, bytes: Vec<u8>) -> Result<Vec<(String, Vec<u8>)>> {
    let bad = |message: String| Error::input(path, None, message);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("not a .qdpx (zip) archive: {e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(bad(format!("{} entries; at most {MAX_ENTRIES} are read", archive.len())));
    }
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry =
            archive.by_index(i).map_err(|e| bad(format!("unreadable entry {i}: {e}")))?;
        let name = entry
            .name()
            .map_err(|e| bad(format!("entry {i} has an unreadable name: {e}")))?
            .into_owned();
        let unsafe_name = name.starts_with('/')
            || name.starts_with('\\')
            || name.split(['/', '\\']).any(|part| part == "..")
            || name.as_bytes().get(1) == Some(&b':')
            || entry.enclosed_name().is_none();
        if unsafe_name {
            return Err(bad(format!("entry `{name}` points outside the archive; refused")));
        }
        if entry.unix_mode().is_some_and(|mode| mode & 0o170000 == 0o120000) {
            return Err(bad(format!("entry `{name}` is a symbolic link; refused")));
        }
        if entry.is_dir() {
            continue;
        }
        let mut content = Vec::new();
        let limit = MAX_TOTAL_BYTES - total;
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut content)
            .map_err(|e| bad(format!("entry `{name}` cannot be unpacked: {e}")))?;
        total += content.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(bad(format!(
                "the archive unpacks to more than {} MiB; refused",
                MAX_TOTAL_BYTES >> 20
            )));
        }
        files.push((name, content));
    }
    Ok(files)
}

/// Read the users, variables, cases and sources of `project.qde`.
fn parse(path: &Path, xml: &str) -> Result<Project> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut project = Project::default();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut variable_ref: Option<String> = None;
    loop {
        let line =
            xml[..xml.floor_char_boundary(reader.buffer_position() as usize)].matches('\n').count()
                + 1;
        let error = |message: String| Error::at_line(path, line, message);
        let event = reader.read_event().map_err(|e| error(format!("invalid XML: {e}")))?;
        match event {
            Event::DocType(_) => {
                return Err(error(
                    "a DOCTYPE is not allowed in project.qde (external entities, entity expansion)"
                        .into(),
                ));
            }
            Event::Start(element) => {
                let name = local(&element);
                open(&mut project, &name, &element, &mut variable_ref, &error)?;
                stack.push(name);
                text.clear();
            }
            Event::Empty(element) => {
                let name = local(&element);
                open(&mut project, &name, &element, &mut variable_ref, &error)?;
                close(&mut project, &name, "", &mut variable_ref);
            }
            Event::Text(content) => text.push_str(&content.xml10_content()),
            Event::CData(content) => text.push_str(content.as_ref()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&reference.xml10_content())
                        .ok_or_else(|| {
                            error(
                                "an undefined entity; only the five XML entities are allowed"
                                    .into(),
                            )
                        })?
                        .to_owned(),
                };
                text.push_str(&resolved);
            }
            Event::End(_) => {
                if let Some(name) = stack.pop() {
                    close(&mut project, &name, &text, &mut variable_ref);
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if project.name.is_empty() && project.sources.is_empty() && project.users.is_empty() {
        return Err(Error::input(
            path,
            None,
            "no <Project> element; expected QDA-XML (urn:QDA-XML:project:1.0)",
        ));
    }
    Ok(project)
}

fn local(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_owned()
}

fn attributes(
    element: &BytesStart<'_>,
    error: &dyn Fn(String) -> Error,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| error(format!("invalid attribute: {e}")))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::default())
            .map_err(|e| error(format!("invalid attribute: {e}")))?
            .into_owned();
        out.insert(attribute.key.local_name().as_ref().to_owned(), value);
    }
    Ok(out)
}

fn open(
    project: &mut Project,
    name: &str,
    element: &BytesStart<'_>,
    variable_ref: &mut Option<String>,
    error: &dyn Fn(String) -> Error,
) -> Result<()> {
    let attrs = attributes(element, error)?;
    let get = |key: &str| attrs.get(key).cloned().unwrap_or_default();
    let number = |key: &str| -> Result<usize> {
        get(key).trim().parse().map_err(|_| {
            error(format!("<{name}> has {key}=\"{}\"; expected a whole number", get(key)))
        })
    };
    match name {
        "Project" => {
            project.name = get("name");
            project.origin = get("origin");
        }
        "User" => {
            project.users.insert(normalise_guid(&get("guid")), get("name"));
        }
        "Variable" => {
            project.variables.insert(normalise_guid(&get("guid")), get("name"));
        }
        "Case" => project.cases.push(Case { name: get("name"), ..Default::default() }),
        "VariableRef" => *variable_ref = Some(normalise_guid(&get("targetGUID"))),
        "SourceRef" => {
            if let Some(case) = project.cases.last_mut() {
                case.sources.push(normalise_guid(&get("targetGUID")));
            }
        }
        "TextSource" => project.sources.push(Source {
            guid: normalise_guid(&get("guid")),
            name: get("name"),
            path: attrs.get("plainTextPath").cloned(),
            ..Default::default()
        }),
        "PlainTextSelection" => {
            let (start, end) = (number("startPosition")?, number("endPosition")?);
            if let Some(source) = project.sources.last_mut() {
                source.selections.push(Selection {
                    start,
                    end,
                    user: attrs.get("creatingUser").map(|u| normalise_guid(u)),
                    codings: Vec::new(),
                });
            }
        }
        "Coding" => {
            if let Some(selection) =
                project.sources.last_mut().and_then(|s| s.selections.last_mut())
            {
                selection
                    .codings
                    .push((String::new(), attrs.get("creatingUser").map(|u| normalise_guid(u))));
            }
        }
        "CodeRef" => {
            let target = normalise_guid(&get("targetGUID"));
            if let Some(coding) = project
                .sources
                .last_mut()
                .and_then(|s| s.selections.last_mut())
                .and_then(|s| s.codings.last_mut())
                .filter(|c| c.0.is_empty())
            {
                coding.0 = target;
            }
        }
        "PictureSource" | "PDFSource" | "AudioSource" | "VideoSource" => {
            project.other_sources.entry(kind_name(name)).or_default().0 += 1;
        }
        "PictureSelection"
        | "PDFSelection"
        | "AudioSelection"
        | "VideoSelection"
        | "TranscriptSelection" => {
            project.other_sources.entry(kind_name(name)).or_default().1 += 1;
        }
        _ => {}
    }
    Ok(())
}

fn kind_name(element: &str) -> &'static str {
    match element {
        n if n.starts_with("Picture") => "picture",
        n if n.starts_with("PDF") => "PDF",
        n if n.starts_with("Audio") => "audio",
        n if n.starts_with("Video") => "video",
        _ => "transcript",
    }
}

fn close(project: &mut Project, name: &str, text: &str, variable_ref: &mut Option<String>) {
    match name {
        "PlainTextContent" => {
            if let Some(source) = project.sources.last_mut() {
                source.inline = Some(text.to_owned());
            }
        }
        "TextValue" | "BooleanValue" | "IntegerValue" | "FloatValue" | "DateValue"
        | "DateTimeValue" => {
            if let (Some(variable), Some(case)) = (variable_ref.take(), project.cases.last_mut()) {
                case.values.push((variable, text.trim().to_owned()));
            }
        }
        _ => {}
    }
}

/// The study to write, in memory.
struct Study {
    files: Vec<(PathBuf, Vec<u8>)>,
    summary: Summary,
}

impl Study {
    fn build(
        project: &Project,
        codebook: &crate::codebook::import::Imported,
        archive: &[(String, Vec<u8>)],
    ) -> Result<Study> {
        let mut summary = Summary {
            counts: super::Counts {
                codes: codebook.draft.codes.len(),
                users: project.users.len(),
                cases: project.cases.len(),
                ..Default::default()
            },
            ..Default::default()
        };
        for (kind, (sources, selections)) in &project.other_sources {
            summary.skipped.push(format!("{sources} {kind} source(s) and {selections} {kind} selection(s): qualkit reads text only"));
        }
        let utf16 = project.origin.to_ascii_lowercase().starts_with("nvivo");
        // participants: cases, then one per source no case names
        let mut ids = UniqueNames::default();
        let mut participant_of: BTreeMap<String, String> = BTreeMap::new();
        let variables: Vec<String> = {
            let mut names: Vec<String> = project.variables.values().cloned().collect();
            names.dedup();
            names
        };
        let mut rows: Vec<(String, BTreeMap<String, String>)> = Vec::new();
        for case in &project.cases {
            let id = ids.unique(if case.name.is_empty() { "case" } else { &case.name });
            let values = case
                .values
                .iter()
                .filter_map(|(v, text)| {
                    project.variables.get(v).map(|name| (name.clone(), text.clone()))
                })
                .collect();
            for source in &case.sources {
                participant_of.entry(source.clone()).or_insert_with(|| id.clone());
            }
            rows.push((id, values));
        }
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut codings: BTreeMap<String, Vec<[String; 6]>> = BTreeMap::new();
        let mut names = UniqueNames::default();
        for source in &project.sources {
            let label = if source.name.is_empty() { &source.guid } else { &source.name };
            let Some(text) = source_text(source, archive) else {
                summary.skipped.push(format!(
                    "source `{label}`: its plain text is not in the archive ({} selection(s))",
                    source.selections.len()
                ));
                continue;
            };
            let participant = match participant_of.get(&source.guid) {
                Some(id) => id.clone(),
                None => {
                    let id = ids.unique(label);
                    rows.push((id.clone(), BTreeMap::new()));
                    id
                }
            };
            let stem = format!("{participant}--{}", names.unique(label));
            let folder = if looks_labelled(&text) { "transcripts" } else { "texts" };
            let relative = format!("sources/{folder}/{stem}.txt");
            let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let units = Units::new(&text, utf16);
            for selection in &source.selections {
                let Some((start, end)) = units.selection(selection) else {
                    summary.skipped.push(format!(
                        "a selection {}–{} in `{label}` lies outside its {} characters",
                        selection.start,
                        selection.end,
                        chars.len()
                    ));
                    continue;
                };
                if start >= end {
                    summary.skipped.push(format!("an empty selection at {start} in `{label}`"));
                    continue;
                }
                let quote: String = text.chars().skip(start).take(end - start).collect();
                let mut placed = false;
                for (code, coding_user) in &selection.codings {
                    let Some(code_id) = codebook.guids.get(code) else {
                        summary.skipped.push(format!(
                            "a coding in `{label}` refers to an unknown code {code}"
                        ));
                        continue;
                    };
                    let user = coding_user.as_ref().or(selection.user.as_ref());
                    let coder = user
                        .and_then(|u| project.users.get(u))
                        .filter(|n| !n.is_empty())
                        .cloned()
                        .or_else(|| user.cloned())
                        .unwrap_or_else(|| "unknown".into());
                    codings.entry(coder.clone()).or_default().push([
                        relative.clone(),
                        start.to_string(),
                        end.to_string(),
                        code_id.clone(),
                        coder,
                        quote.clone(),
                    ]);
                    summary.counts.codings += 1;
                    placed = true;
                }
                summary.counts.selections += usize::from(placed);
            }
            files.push((PathBuf::from(relative), text.into_bytes()));
            summary.counts.sources += 1;
        }
        files.push(("participants.csv".into(), participants_csv(&variables, &rows)?));
        files.push(("codebook.toml".into(), codebook.draft.to_toml().into_bytes()));
        let mut coders = Vec::new();
        let mut coder_names = UniqueNames::default();
        for (coder, mut rows) in codings {
            rows.sort();
            let file = format!("codings/{}.csv", coder_names.unique(&slug(&coder)));
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            let written = writer
                .write_record(["document", "start", "end", "code", "origin", "text"])
                .and_then(|()| rows.iter().try_for_each(|r| writer.write_record(r)));
            written.map_err(|e| Error::Usage(format!("writing {file} failed: {e}")))?;
            let bytes = writer
                .into_inner()
                .map_err(|e| Error::Usage(format!("writing {file} failed: {e}")))?;
            files.push((PathBuf::from(&file), bytes));
            if coder != super::export::AUTO_CODER {
                coders.push(file);
            }
        }
        let folders = ["transcripts", "texts"]
            .map(|f| files.iter().any(|(p, _)| p.starts_with(format!("sources/{f}"))));
        files.push(("study.toml".into(), manifest(project, folders, &coders).into_bytes()));
        Ok(Study { files, summary })
    }
}

/// A source's text: its file in the archive (`internal://` or not, any folder case), else
/// its inline `PlainTextContent`; BOM dropped, line ends kept.
fn source_text(source: &Source, archive: &[(String, Vec<u8>)]) -> Option<String> {
    let from_file = source.path.as_ref().and_then(|path| {
        let wanted = path
            .trim()
            .trim_start_matches("internal://")
            .trim_start_matches('/')
            .to_ascii_lowercase();
        archive.iter().find(|(name, _)| {
            let name = name.to_ascii_lowercase();
            name == wanted || name == format!("sources/{wanted}")
        })
    });
    let text = match from_file {
        Some((_, bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        None => source.inline.clone()?,
    };
    Some(text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text))
}

/// Offsets as the exporter counted them (code points, or NVivo's UTF-16 units) → chars.
struct Units {
    /// For UTF-16: the char index at each UTF-16 offset where a char starts.
    utf16: Option<BTreeMap<usize, usize>>,
    chars: usize,
}

impl Units {
    fn new(text: &str, utf16: bool) -> Units {
        let chars = text.chars().count();
        let utf16 = utf16.then(|| {
            let mut map = BTreeMap::new();
            let mut unit = 0;
            for (i, c) in text.chars().enumerate() {
                map.insert(unit, i);
                unit += c.len_utf16();
            }
            map.insert(unit, chars);
            map
        });
        Units { utf16, chars }
    }

    /// A selection's (start, end) in chars; `None` when either end is outside the text.
    fn selection(&self, selection: &Selection) -> Option<(usize, usize)> {
        Some((self.to_char(selection.start)?, self.to_char(selection.end)?))
    }

    fn to_char(&self, offset: usize) -> Option<usize> {
        match &self.utf16 {
            Some(map) => map.get(&offset).copied(),
            None => (offset <= self.chars).then_some(offset),
        }
    }
}

/// Whether a text reads as a transcript: most non-empty lines start with `Label:`.
fn looks_labelled(text: &str) -> bool {
    let lines: Vec<&str> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && *l != "---").collect();
    let labelled = lines.iter().filter(|l| crate::corpus::transcript::starts_turn(l)).count();
    lines.len() >= 2 && labelled * 2 >= lines.len()
}

fn participants_csv(
    variables: &[String],
    rows: &[(String, BTreeMap<String, String>)],
) -> Result<Vec<u8>> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Usage(format!("writing participants.csv failed: {e}"));
    let mut header = vec!["id".to_owned()];
    header.extend(variables.iter().filter(|v| v.as_str() != "id").cloned());
    writer.write_record(&header).map_err(failed)?;
    for (id, values) in rows {
        let mut record = vec![id.clone()];
        record.extend(header[1..].iter().map(|v| values.get(v).cloned().unwrap_or_default()));
        writer.write_record(&record).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| Error::Usage(format!("writing participants.csv failed: {e}")))
}

fn manifest(project: &Project, [transcripts, texts]: [bool; 2], coders: &[String]) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let name = if project.name.is_empty() { "Imported project" } else { &project.name };
    let mut out = format!(
        "format = 1\nname = {}\nlanguage = \"english\"\n\n[participants]\nfile = \"participants.csv\"\n\n[speakers]\nunknown = \"anonymous\"\n",
        quote(&format!(
            "{name} (imported from {})",
            if project.origin.is_empty() { "a REFI-QDA project" } else { &project.origin }
        ))
    );
    if transcripts {
        out.push_str("\n# Texts with speaker labels: turns as written\n[[sources]]\npath = \"sources/transcripts\"\nkind = \"interview\"\nname = \"{participant}--{source}\"\n");
    }
    if texts {
        out.push_str("\n# Texts without speaker labels: each is one turn by its participant\n[[sources]]\npath = \"sources/texts\"\nkind = \"document\"\nname = \"{participant}--{source}\"\nturns = \"whole\"\n");
    }
    out.push_str("\n[coding]\ncodebook = \"codebook.toml\"\n");
    if coders.len() >= 2 {
        let list: Vec<String> = coders.iter().map(|c| quote(c)).collect();
        out.push_str(&format!("\n[agreement]\ncodings = [{}]\n", list.join(", ")));
    }
    out
}
