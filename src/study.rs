//! The study manifest, `study.toml` (format 1): load, validate, discover.
//!
//! A study is a folder holding `study.toml`; every other path is resolved relative to it.
//! This module turns the TOML into a validated [`Study`]: unknown keys, wrong types,
//! unknown languages, units or kinds, and paths that do not exist are errors naming the
//! manifest's line and column. Reading the files a study points at is [`crate::corpus`]'s job.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::corpus::DocumentKind;
use crate::error::{Error, Position, Result};
use crate::index::{Language, Marks, Reading, WordBreaks};
use crate::segment::Unit;

/// The manifest's file name.
pub const MANIFEST: &str = "study.toml";

/// A loaded and validated study manifest.
#[derive(Debug, Clone)]
pub struct Study {
    /// The study folder (absolute or as given), holding `study.toml`.
    pub root: PathBuf,
    /// The manifest's text, kept for hashing and for locating errors.
    pub manifest_text: String,
    /// Human-readable name of the study.
    pub name: String,
    /// The language whose stemmer analyses text, rules and queries.
    pub language: Language,
    /// Declared waves in order (e.g. `pre`, `post`); empty when not declared.
    pub waves: Vec<String>,
    /// Where participants come from.
    pub participants: ParticipantsConfig,
    /// How speaker labels map to roles and participants.
    pub speakers: SpeakerConfig,
    /// Transcript folders and questionnaires, in manifest order.
    pub sources: Vec<Source>,
    /// Defaults for coding.
    pub coding: CodingConfig,
    /// Defaults for the pre/post comparison, when declared.
    pub compare: Option<CompareConfig>,
    /// What `qualkit run` produces.
    pub run: RunConfig,
    /// Manual codings whose agreement `qualkit run` reports, when declared.
    pub agreement: Option<AgreementConfig>,
}

/// `[agreement]`: manual codings for `qualkit run`'s agreement section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementConfig {
    /// Codings files (codings.csv layout or Taguette exports), relative to the study.
    pub codings: Vec<PathBuf>,
    /// Characters rather than segments as the unit of agreement (`unit = "char"`).
    pub characters: bool,
    /// The coder the auto-coding is measured against (`auto = "NAME"`), if any.
    pub auto: Option<String>,
}

/// `[run]`: what the whole analysis produces (`qualkit run`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunConfig {
    /// Restrict analyses to speech where `ATTR=VALUE` (e.g. `role=student`).
    pub filters: Vec<String>,
    /// Attributes (or `wave`) to split the themes table by; `None` = a default choice.
    pub themes_by: Option<Vec<String>>,
    /// Attributes to crosstab codes by; `None` = a default choice.
    pub crosstab: Option<Vec<String>>,
    /// Exemplar quotes per code.
    pub quotes: usize,
}

/// `[participants]`: the attribute table.
#[derive(Debug, Clone)]
pub struct ParticipantsConfig {
    /// Path of the CSV file, relative to the study.
    pub file: PathBuf,
    /// Name of the id column.
    pub id_column: String,
    /// Ordinal attributes and the order of their levels.
    pub ordinal: BTreeMap<String, Vec<String>>,
}

/// `[speakers]`: label aliases and the policy for labels that match nothing.
#[derive(Debug, Clone)]
pub struct SpeakerConfig {
    /// Labels meaning the interviewer (case-insensitive).
    pub interviewer: Vec<String>,
    /// Labels meaning the document's one participant (case-insensitive).
    pub respondent: Vec<String>,
    /// Label → participant id, or `interviewer`.
    pub aliases: BTreeMap<String, String>,
    /// What to do with a label that matches nothing.
    pub unknown: UnknownSpeakers,
}

/// Policy for speaker labels that match no participant and no alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownSpeakers {
    /// Report an error naming the label, file and line (the default).
    Error,
    /// Keep the label as an anonymous speaker, not linked to a participant.
    Anonymous,
}

/// One `[[sources]]` entry: a set of files of one kind.
#[derive(Debug, Clone)]
pub struct Source {
    /// The `path` value as written (file, folder or glob).
    pub pattern: String,
    /// The files it names, sorted, relative to the study root.
    pub files: Vec<PathBuf>,
    /// Document kind for every file (front matter may override per transcript).
    pub kind: DocumentKind,
    /// A fixed wave for every document of this source.
    pub wave: Option<String>,
    /// Kind-specific settings.
    pub format: SourceFormat,
    /// How the files' text encoding is chosen (`encoding = "…"`, else detected).
    pub encoding: crate::corpus::decode::TextEncoding,
}

/// What kind of files a source holds.
#[derive(Debug, Clone)]
pub enum SourceFormat {
    /// Transcripts (`.txt`, `.md`), with an optional file-name pattern such as
    /// `{participant}_{wave}`.
    Transcripts {
        /// The pattern the file stem must match, when given.
        name: Option<String>,
        /// `turns = "whole"`: the files have no speaker labels; each file's body is one
        /// turn by its participant (documents imported from other tools).
        whole: bool,
    },
    /// A questionnaire CSV: one row per respondent.
    Questionnaire(QuestionnaireConfig),
}

/// Columns of a questionnaire CSV.
#[derive(Debug, Clone)]
pub struct QuestionnaireConfig {
    /// Column holding the respondent's participant id.
    pub respondent: String,
    /// Open-ended columns: each answer becomes a document.
    pub open: Vec<String>,
    /// Likert columns and their scale, lowest level first.
    pub likert: Option<LikertConfig>,
}

/// Likert items and their ordered response labels.
#[derive(Debug, Clone)]
pub struct LikertConfig {
    /// Item columns.
    pub columns: Vec<String>,
    /// Response labels, lowest first.
    pub scale: Vec<String>,
}

/// `[coding]`: defaults for `qualkit code`.
#[derive(Debug, Clone)]
pub struct CodingConfig {
    /// Codebook path, relative to the study.
    pub codebook: Option<PathBuf>,
    /// Where study.toml sets it, for errors about it.
    pub codebook_at: Option<Position>,
    /// The unit that is coded.
    pub unit: Unit,
    /// Whose speech is coded.
    pub speakers: SpeakerFilter,
    /// Whether the words of transcription marks (`[laughs]`) are matched.
    pub marks: Marks,
    /// Where words break (`words`): UAX #29 words, or runs of letters and digits.
    pub words: WordBreaks,
}

impl CodingConfig {
    /// How the study's text is read into words: its marks and word breaks.
    pub fn reading(&self) -> Reading {
        Reading { marks: self.marks, words: self.words }
    }
}

/// Which speakers' segments an operation considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerFilter {
    /// Participants only (interviewers and anonymous speakers excluded).
    Respondents,
    /// Everyone, interviewers included.
    All,
}

impl SpeakerFilter {
    /// The name as written in study.toml (`speakers = "respondents"`).
    pub fn name(self) -> &'static str {
        match self {
            SpeakerFilter::Respondents => "respondents",
            SpeakerFilter::All => "all",
        }
    }

    /// Whether every segment `other` keeps is one this filter keeps too.
    pub fn covers(self, other: SpeakerFilter) -> bool {
        self == SpeakerFilter::All || self == other
    }
}

/// `[compare]`: defaults for the pre/post comparison.
#[derive(Debug, Clone)]
pub struct CompareConfig {
    /// What distinguishes the two conditions (usually `wave`).
    pub by: String,
    /// The earlier level.
    pub from: String,
    /// The later level.
    pub to: String,
}

// ---- the TOML as written ------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    format: Spanned<i64>,
    name: String,
    language: Option<Spanned<String>>,
    #[serde(default)]
    waves: Vec<String>,
    participants: RawParticipants,
    speakers: Option<RawSpeakers>,
    #[serde(default)]
    sources: Vec<RawSource>,
    coding: Option<RawCoding>,
    compare: Option<RawCompare>,
    run: Option<RawRun>,
    agreement: Option<RawAgreement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    codings: Vec<Spanned<String>>,
    unit: Option<Spanned<String>>,
    auto: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRun {
    #[serde(default, rename = "where")]
    filters: Vec<String>,
    themes_by: Option<Vec<String>>,
    crosstab: Option<Vec<String>>,
    #[serde(default = "default_quotes")]
    quotes: usize,
}

fn default_quotes() -> usize {
    2
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParticipants {
    file: Spanned<String>,
    #[serde(default = "default_id")]
    id: String,
    #[serde(default)]
    ordinal: BTreeMap<String, Vec<String>>,
}

fn default_id() -> String {
    "id".to_owned()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpeakers {
    interviewer: Option<Vec<String>>,
    respondent: Option<Vec<String>>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    unknown: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    path: Spanned<String>,
    kind: Spanned<String>,
    name: Option<String>,
    wave: Option<Spanned<String>>,
    respondent: Option<Spanned<String>>,
    open: Option<Vec<String>>,
    likert: Option<RawLikert>,
    encoding: Option<Spanned<String>>,
    turns: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLikert {
    columns: Vec<String>,
    scale: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoding {
    codebook: Option<Spanned<String>>,
    unit: Option<Spanned<String>>,
    speakers: Option<Spanned<String>>,
    marks: Option<Spanned<String>>,
    words: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompare {
    by: String,
    from: String,
    to: String,
}

/// The interviewer labels recognised when study.toml does not list its own.
pub const DEFAULT_INTERVIEWER_LABELS: [&str; 5] = ["Interviewer", "I", "Int", "Q", "Moderator"];
/// The respondent labels recognised when study.toml does not list its own.
pub const DEFAULT_RESPONDENT_LABELS: [&str; 3] = ["R", "A", "Respondent"];

impl Study {
    /// Load `study.toml` from the study folder `root`.
    ///
    /// # Errors
    /// A missing manifest, TOML syntax errors, unknown keys, wrong types and invalid values
    /// (with line and column), and source paths that do not exist.
    pub fn load(root: &Path) -> Result<Study> {
        let manifest_path = root.join(MANIFEST);
        let bytes = std::fs::read(&manifest_path).map_err(|e| Error::io(&manifest_path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes());
            Error::input(
                &manifest_path,
                Some(Position::of_offset(&text, offset)),
                "invalid UTF-8; expected a UTF-8 TOML file",
            )
        })?;
        Study::parse(root, &text)
    }

    /// Parse and validate the text of a `study.toml` whose folder is `root` (source paths
    /// are checked there).
    ///
    /// # Errors
    /// As [`Study::load`], apart from reading the file.
    pub fn parse(root: &Path, text: &str) -> Result<Study> {
        let manifest_path = root.join(MANIFEST);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
        let raw: RawManifest = toml::from_str(&text).map_err(|e| {
            let position = e.span().map(|span| Position::of_offset(&text, span.start));
            Error::input(&manifest_path, position, e.message().trim().to_owned())
        })?;
        Validator { root, path: &manifest_path, text: &text, errors: Vec::new() }.validate(raw)
    }

    /// Find the nearest folder at or above `start` that holds a `study.toml`.
    ///
    /// # Errors
    /// No manifest in `start` or any of its ancestors.
    pub fn discover(start: &Path) -> Result<PathBuf> {
        let absolute = std::path::absolute(start).map_err(|e| Error::io(start, e))?;
        for dir in absolute.ancestors() {
            if dir.join(MANIFEST).is_file() {
                return Ok(dir.to_path_buf());
            }
        }
        Err(Error::input(start, None, format!("no {MANIFEST} here or in any parent folder"))
            .with_hint("pass --study DIR, or create a study with `qualkit init DIR`"))
    }

    /// The manifest's path.
    pub fn manifest_path(&self) -> PathBuf {
        self.root.join(MANIFEST)
    }

    /// A study-relative path made absolute (or root-relative).
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        self.root.join(relative)
    }

    /// The folder for caches (index, lock). Always rebuildable from the study's files.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(".qualkit")
    }

    /// Position of a wave in the declared order, for sorting; undeclared waves sort last.
    pub fn wave_rank(&self, wave: &str) -> usize {
        self.waves.iter().position(|w| w == wave).unwrap_or(self.waves.len())
    }
}

/// The message for a `format = N` this qualkit cannot read (study.toml and codebooks are
/// both format 1).
pub(crate) fn unsupported_format(found: i64) -> Option<String> {
    (found != 1).then(|| format!("unsupported format {found}; this qualkit reads format 1"))
}

/// Turns the raw TOML into a [`Study`], collecting every invalid value.
struct Validator<'a> {
    root: &'a Path,
    path: &'a Path,
    text: &'a str,
    errors: Vec<Error>,
}

impl Validator<'_> {
    fn error_at(&mut self, span: Range<usize>, message: String) {
        let position = Position::of_offset(self.text, span.start);
        self.errors.push(Error::input(self.path, Some(position), message));
    }

    fn validate(mut self, raw: RawManifest) -> Result<Study> {
        if let Some(message) = unsupported_format(*raw.format.get_ref()) {
            self.error_at(raw.format.span(), message);
        }
        let language = match &raw.language {
            None => Language::default(),
            Some(name) => Language::parse(name.get_ref()).unwrap_or_else(|message| {
                self.error_at(name.span(), message);
                Language::default()
            }),
        };
        let participants = self.participants(raw.participants);
        let speakers = self.speakers(raw.speakers);
        let sources: Vec<Source> =
            raw.sources.into_iter().filter_map(|s| self.source(s, &raw.waves)).collect();
        let coding = self.coding(raw.coding);
        let agreement = raw.agreement.map(|a| self.agreement(a));
        Error::collect(std::mem::take(&mut self.errors))?;
        Ok(Study {
            root: self.root.to_path_buf(),
            manifest_text: self.text.to_owned(),
            name: raw.name,
            language,
            waves: raw.waves,
            participants,
            speakers,
            sources,
            coding,
            compare: raw.compare.map(|c| CompareConfig { by: c.by, from: c.from, to: c.to }),
            agreement,
            run: raw.run.map_or(
                RunConfig { quotes: default_quotes(), ..Default::default() },
                |r| RunConfig {
                    filters: r.filters,
                    themes_by: r.themes_by,
                    crosstab: r.crosstab,
                    quotes: r.quotes,
                },
            ),
        })
    }

    fn participants(&mut self, raw: RawParticipants) -> ParticipantsConfig {
        let file = PathBuf::from(raw.file.get_ref());
        if !self.root.join(&file).is_file() {
            let message = format!("participants file `{}` does not exist", file.display());
            self.error_at(raw.file.span(), message);
        }
        ParticipantsConfig { file, id_column: raw.id, ordinal: raw.ordinal }
    }

    fn speakers(&mut self, raw: Option<RawSpeakers>) -> SpeakerConfig {
        let defaults = |labels: &[&str]| labels.iter().map(|s| s.to_string()).collect();
        let Some(raw) = raw else {
            return SpeakerConfig {
                interviewer: defaults(&DEFAULT_INTERVIEWER_LABELS),
                respondent: defaults(&DEFAULT_RESPONDENT_LABELS),
                aliases: BTreeMap::new(),
                unknown: UnknownSpeakers::Error,
            };
        };
        let unknown = match raw.unknown.as_ref().map(|u| (u.get_ref().as_str(), u.span())) {
            None | Some(("error", _)) => UnknownSpeakers::Error,
            Some(("anonymous", _)) => UnknownSpeakers::Anonymous,
            Some((other, span)) => {
                let message = format!("unknown value `{other}`; expected `error` or `anonymous`");
                self.error_at(span, message);
                UnknownSpeakers::Error
            }
        };
        SpeakerConfig {
            interviewer: raw.interviewer.unwrap_or_else(|| defaults(&DEFAULT_INTERVIEWER_LABELS)),
            respondent: raw.respondent.unwrap_or_else(|| defaults(&DEFAULT_RESPONDENT_LABELS)),
            aliases: raw.aliases,
            unknown,
        }
    }

    fn source(&mut self, raw: RawSource, waves: &[String]) -> Option<Source> {
        let kind = match DocumentKind::from_name(raw.kind.get_ref()) {
            Some(kind) => kind,
            None => {
                let message = format!(
                    "unknown kind `{}`; expected one of {}",
                    raw.kind.get_ref(),
                    DocumentKind::NAMES.join(", ")
                );
                self.error_at(raw.kind.span(), message);
                return None;
            }
        };
        if let Some(wave) = &raw.wave {
            self.check_wave(wave, waves);
        }
        let format = self.source_format(&raw, kind)?;
        let encoding = match &raw.encoding {
            None => crate::corpus::decode::TextEncoding::Detect,
            Some(label) => {
                match encoding_rs::Encoding::for_label(label.get_ref().trim().as_bytes()) {
                    Some(found) => crate::corpus::decode::TextEncoding::Declared(found),
                    None => {
                        let message = format!(
                            "unknown encoding `{}`; expected a WHATWG label such as utf-8, utf-16le, windows-1252 or iso-8859-1",
                            label.get_ref()
                        );
                        self.error_at(label.span(), message);
                        return None;
                    }
                }
            }
        };
        let files = self.source_files(&raw.path, &format)?;
        Some(Source {
            pattern: raw.path.into_inner(),
            files,
            kind,
            wave: raw.wave.map(Spanned::into_inner),
            format,
            encoding,
        })
    }

    fn check_wave(&mut self, wave: &Spanned<String>, waves: &[String]) {
        if !waves.is_empty() && !waves.contains(wave.get_ref()) {
            let message = format!(
                "wave `{}` is not one of the study's waves ({})",
                wave.get_ref(),
                waves.join(", ")
            );
            self.error_at(wave.span(), message);
        }
    }

    fn source_format(&mut self, raw: &RawSource, kind: DocumentKind) -> Option<SourceFormat> {
        if kind != DocumentKind::Questionnaire {
            if raw.respondent.is_some() || raw.open.is_some() || raw.likert.is_some() {
                let message = "`respondent`, `open` and `likert` apply only to sources of kind \
                               `questionnaire`"
                    .to_owned();
                self.error_at(raw.kind.span(), message);
                return None;
            }
            let whole = match raw.turns.as_ref().map(|t| t.get_ref().as_str()) {
                None | Some("labelled") => false,
                Some("whole") => true,
                Some(other) => {
                    let message =
                        format!("unknown `turns = \"{other}\"`; expected labelled or whole");
                    self.error_at(raw.turns.as_ref().map_or(0..0, Spanned::span), message);
                    return None;
                }
            };
            return Some(SourceFormat::Transcripts { name: raw.name.clone(), whole });
        }
        let Some(respondent) = &raw.respondent else {
            let message = "a questionnaire source needs `respondent` (the column holding \
                           participant ids)"
                .to_owned();
            self.error_at(raw.kind.span(), message);
            return None;
        };
        let likert = raw
            .likert
            .as_ref()
            .map(|l| LikertConfig { columns: l.columns.clone(), scale: l.scale.clone() });
        if let Some(l) = &likert
            && l.scale.len() < 2
        {
            self.error_at(raw.kind.span(), "a Likert scale needs at least two labels".into());
        }
        Some(SourceFormat::Questionnaire(QuestionnaireConfig {
            respondent: respondent.get_ref().clone(),
            open: raw.open.clone().unwrap_or_default(),
            likert,
        }))
    }

    fn source_files(
        &mut self,
        path: &Spanned<String>,
        format: &SourceFormat,
    ) -> Option<Vec<PathBuf>> {
        let pattern = path.get_ref();
        let leaves = Path::new(pattern).is_absolute()
            || Path::new(pattern)
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        let found = if leaves {
            // documents are named by their path in the study; outside it they have no name
            // that travels with the study, and a shared study.toml must not read elsewhere
            Err(format!("source path `{pattern}` leaves the study folder; put the files inside it"))
        } else if pattern.contains(['*', '?', '[']) {
            glob_files(self.root, pattern)
        } else {
            let full = self.root.join(pattern);
            if full.is_dir() {
                walk_files(self.root, Path::new(pattern))
            } else if full.is_file() {
                Ok(vec![PathBuf::from(pattern)])
            } else {
                Err(format!("source path `{pattern}` does not exist"))
            }
        };
        let files = match found {
            Ok(files) if files.is_empty() => Err(format!("source `{pattern}` names no files")),
            other => other,
        };
        match files {
            Ok(files) => {
                if matches!(format, SourceFormat::Questionnaire(_)) && files.len() != 1 {
                    let message = format!(
                        "a questionnaire source names one CSV file; `{pattern}` names {}",
                        files.len()
                    );
                    self.error_at(path.span(), message);
                    return None;
                }
                Some(files)
            }
            Err(message) => {
                self.error_at(path.span(), message);
                None
            }
        }
    }

    fn agreement(&mut self, raw: RawAgreement) -> AgreementConfig {
        let mut codings = Vec::new();
        for file in raw.codings {
            let path = PathBuf::from(file.get_ref());
            if !self.root.join(&path).is_file() {
                let message = format!("codings file `{}` does not exist", path.display());
                self.error_at(file.span(), message);
            }
            codings.push(path);
        }
        let characters = match raw.unit.as_ref().map(|u| u.get_ref().as_str()) {
            None | Some("segment") => false,
            Some("char") => true,
            Some(other) => {
                let message = format!("unknown agreement unit `{other}`; expected segment or char");
                self.error_at(raw.unit.as_ref().map_or(0..0, Spanned::span), message);
                false
            }
        };
        AgreementConfig { codings, characters, auto: raw.auto }
    }

    fn coding(&mut self, raw: Option<RawCoding>) -> CodingConfig {
        let mut config = CodingConfig {
            codebook: None,
            codebook_at: None,
            unit: Unit::Sentence,
            speakers: SpeakerFilter::Respondents,
            marks: Marks::Skipped,
            words: WordBreaks::Unicode,
        };
        let Some(raw) = raw else { return config };
        if let Some(codebook) = raw.codebook {
            config.codebook_at = Some(Position::of_offset(self.text, codebook.span().start));
            config.codebook = Some(PathBuf::from(codebook.into_inner()));
        }
        if let Some(unit) = raw.unit {
            match Unit::from_name(unit.get_ref()) {
                Some(u) => config.unit = u,
                None => {
                    let message = format!(
                        "unknown unit `{}`; expected sentence, turn or paragraph",
                        unit.get_ref()
                    );
                    self.error_at(unit.span(), message);
                }
            }
        }
        if let Some(speakers) = raw.speakers {
            match speakers.get_ref().as_str() {
                "respondents" => config.speakers = SpeakerFilter::Respondents,
                "all" => config.speakers = SpeakerFilter::All,
                other => {
                    let message = format!("unknown value `{other}`; expected respondents or all");
                    self.error_at(speakers.span(), message);
                }
            }
        }
        if let Some(marks) = raw.marks {
            match Marks::from_name(marks.get_ref()) {
                Some(m) => config.marks = m,
                None => {
                    let message =
                        format!("unknown value `{}`; expected skipped or words", marks.get_ref());
                    self.error_at(marks.span(), message);
                }
            }
        }
        if let Some(words) = raw.words {
            match WordBreaks::from_name(words.get_ref()) {
                Some(w) => config.words = w,
                None => {
                    let message = format!(
                        "unknown value `{}`; expected unicode or alphanumeric",
                        words.get_ref()
                    );
                    self.error_at(words.span(), message);
                }
            }
        }
        config
    }
}

/// Every non-hidden file under `dir` (relative to `root`), sorted by path.
fn walk_files(root: &Path, dir: &Path) -> std::result::Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(relative) = pending.pop() {
        let entries = std::fs::read_dir(root.join(&relative))
            .map_err(|e| format!("cannot read folder `{}`: {e}", relative.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", relative.display()))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let child = relative.join(&name);
            let file_type =
                entry.file_type().map_err(|e| format!("cannot read `{}`: {e}", child.display()))?;
            if file_type.is_dir() {
                pending.push(child);
            } else {
                files.push(child);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn glob_files(root: &Path, pattern: &str) -> std::result::Result<Vec<PathBuf>, String> {
    let full = root.join(pattern);
    let paths = glob::glob(&full.to_string_lossy())
        .map_err(|e| format!("invalid glob `{pattern}`: {}", e.msg))?;
    let mut files = Vec::new();
    for path in paths {
        let path = path.map_err(|e| format!("cannot read `{}`: {e}", e.path().display()))?;
        if path.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            files.push(relative);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study_with(manifest: &str) -> (tempfile::TempDir, Result<Study>) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("participants.csv"), "id\nS01\n").expect("write");
        std::fs::create_dir(dir.path().join("interviews")).expect("mkdir");
        std::fs::write(dir.path().join("interviews/S01_pre.txt"), "R: hi\n").expect("write");
        std::fs::write(dir.path().join(MANIFEST), manifest).expect("write");
        let study = Study::load(dir.path());
        (dir, study)
    }

    const MINIMAL: &str = "format = 1\nname = \"t\"\n[participants]\nfile = \"participants.csv\"\n\
                           [[sources]]\npath = \"interviews\"\nkind = \"interview\"\n";

    #[test]
    fn minimal_manifest_loads_with_defaults() {
        let (_dir, study) = study_with(MINIMAL);
        let study = study.expect("valid manifest");
        assert_eq!(study.language, Language::default());
        assert_eq!(study.sources[0].files, [PathBuf::from("interviews/S01_pre.txt")]);
        assert_eq!(study.coding.unit, Unit::Sentence);
        assert!(study.speakers.interviewer.contains(&"Int".to_owned()));
    }

    #[test]
    fn unknown_key_is_an_error_with_line_and_column() {
        let (_dir, study) = study_with(&format!("{MINIMAL}colour = 3\n"));
        let message = study.expect_err("unknown key").to_string();
        assert!(message.contains("study.toml:8:1: unknown field `colour`"), "{message}");
    }

    #[test]
    fn wrong_type_is_an_error_with_line_and_column() {
        let manifest = MINIMAL.replace("name = \"t\"", "name = 3");
        let (_dir, study) = study_with(&manifest);
        let message = study.expect_err("wrong type").to_string();
        assert!(message.contains("study.toml:2:8: invalid type"), "{message}");
    }

    #[test]
    fn missing_source_path_names_the_manifest_line() {
        let manifest = MINIMAL.replace("\"interviews\"", "\"nowhere\"");
        let (_dir, study) = study_with(&manifest);
        let message = study.expect_err("missing path").to_string();
        assert!(
            message.contains("study.toml:6:8: source path `nowhere` does not exist"),
            "{message}"
        );
    }

    #[test]
    fn unknown_language_lists_the_choices() {
        let (_dir, study) =
            study_with(&MINIMAL.replace("name = \"t\"", "name = \"t\"\nlanguage = \"klingon\""));
        let message = study.expect_err("bad language").to_string();
        assert!(message.contains("unknown language `klingon`; expected one of"), "{message}");
    }

    #[test]
    fn transcription_marks_are_skipped_unless_the_study_says_words() {
        let (_dir, study) = study_with(MINIMAL);
        assert_eq!(study.expect("valid").coding.marks, Marks::Skipped);
        let (_dir, study) = study_with(&format!("{MINIMAL}[coding]\nmarks = \"words\"\n"));
        assert_eq!(study.expect("valid").coding.marks, Marks::Words);
        let (_dir, study) = study_with(&format!("{MINIMAL}[coding]\nmarks = \"yes\"\n"));
        let message = study.expect_err("bad value").to_string();
        assert!(
            message.contains("study.toml:9:9: unknown value `yes`; expected skipped or words"),
            "{message}"
        );
    }

    #[test]
    fn words_break_as_uax29_unless_the_study_says_alphanumeric() {
        let (_dir, study) = study_with(MINIMAL);
        assert_eq!(study.expect("valid").coding.words, WordBreaks::Unicode);
        let (_dir, study) = study_with(&format!("{MINIMAL}[coding]\nwords = \"alphanumeric\"\n"));
        let reading = study.expect("valid").coding.reading();
        assert_eq!(reading, Reading { marks: Marks::Skipped, words: WordBreaks::Alphanumeric });
        let (_dir, study) = study_with(&format!("{MINIMAL}[coding]\nwords = \"regex\"\n"));
        let message = study.expect_err("bad value").to_string();
        assert!(
            message.contains(
                "study.toml:9:9: unknown value `regex`; expected unicode or alphanumeric"
            ),
            "{message}"
        );
    }

    #[test]
    fn discovery_walks_up_from_a_subfolder() {
        let (dir, _study) = study_with(MINIMAL);
        let found = Study::discover(&dir.path().join("interviews")).expect("found");
        assert_eq!(found, std::path::absolute(dir.path()).expect("absolute"));
    }
}
