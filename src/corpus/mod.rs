//! Ingest: the study's files → participants and documents.
//!
//! [`Corpus::load`] reads `participants.csv` and every source named in study.toml, hashing
//! each input file as it goes (the index uses the hashes to know when it is stale; a file
//! not written since its hash was remembered is not hashed again, see `hashes`). Every
//! bad file is reported, not only the first. Transcripts become [`Document`]s made of speaker
//! [`Turn`]s; each open questionnaire answer becomes a document with one turn. Offsets are
//! byte offsets into [`Document::text`], the decoded text (see [`decode`]).

mod attributes;
pub mod decode;
pub mod frontmatter;
mod hashes;
pub mod participants;
pub mod questionnaire;
mod snapshot;

pub(crate) use snapshot::parse_settings;
pub mod subtitles;
pub mod transcript;
pub mod word;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::study::{SourceFormat, Study};

pub use attributes::Attributes;
pub(crate) use attributes::SharedStrings;
pub use participants::{Participant, Participants};
pub use questionnaire::LikertAnswer;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    /// An individual interview.
    Interview,
    /// A group interview.
    FocusGroup,
    /// An answer to an open questionnaire item.
    Questionnaire,
    /// A log or diary.
    Log,
    /// Any other document.
    Document,
}

impl DocumentKind {
    /// The names used in study.toml and front matter.
    pub const NAMES: [&'static str; 5] =
        ["interview", "focus_group", "questionnaire", "log", "document"];

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<DocumentKind> {
        let kinds = [
            DocumentKind::Interview,
            DocumentKind::FocusGroup,
            DocumentKind::Questionnaire,
            DocumentKind::Log,
            DocumentKind::Document,
        ];
        Self::NAMES.iter().position(|n| *n == name).map(|i| kinds[i])
    }

    /// The kind's name, as in study.toml.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Who is speaking in a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The interviewer or moderator.
    Interviewer,
    /// A participant (a respondent).
    Participant,
    /// A speaker label matching no participant, kept because study.toml allows it.
    Anonymous,
}

impl Role {
    /// The role's name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Role::Interviewer => "interviewer",
            Role::Participant => "participant",
            Role::Anonymous => "anonymous",
        }
    }
}

/// The speaker of a turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The label as written in the transcript (`Int`, `R`, `S01`).
    pub label: Arc<str>,
    /// The speaker's role.
    pub role: Role,
    /// The participant id, for participants.
    pub participant: Option<Arc<str>>,
}

impl Speaker {
    /// The name shown in outputs: the participant id, `interviewer`, or the label.
    pub fn name(&self) -> &str {
        match (&self.participant, self.role) {
            (Some(id), _) => id,
            (None, Role::Interviewer) => "interviewer",
            (None, _) => &self.label,
        }
    }
}

/// One speaker turn: a label and the text up to the next label. Its speaker is a number
/// into its document's speakers and its range is kept in 32-bit numbers (12 bytes, not 40:
/// a large corpus has millions of turns and a few speakers per document); they fit, as
/// [`parse_file`] refuses a text over [`MAX_TEXT_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Who speaks: the number of one of its document's speakers ([`Document::speaker_of`]).
    speaker: u32,
    text: Range<u32>,
}

impl Turn {
    /// A turn of its document's speaker numbered `speaker` ([`Document::speaker_number`])
    /// over bytes `text` of its document's text (its timestamp, if any, is the document's:
    /// [`Document::timestamp`]).
    ///
    /// # Panics
    /// An offset does not fit in 32 bits (a text of 4 GiB or more).
    pub fn new(speaker: u32, text: Range<usize>) -> Turn {
        Turn { speaker, text: small_range(text) }
    }

    /// The number of its speaker among its document's ([`Document::speakers`]).
    pub fn speaker_number(&self) -> usize {
        self.speaker as usize
    }

    /// Byte range of the spoken text in the document (label excluded, whitespace trimmed).
    pub fn text(&self) -> Range<usize> {
        self.text.start as usize..self.text.end as usize
    }

    /// Make the turn's text bytes `text` (continuation lines, trimming).
    pub(crate) fn set_text(&mut self, text: Range<usize>) {
        self.text = small_range(text);
    }
}

/// `range` in 32 bits (see [`MAX_TEXT_BYTES`]).
fn small_range(range: Range<usize>) -> Range<u32> {
    let small = |n: usize| u32::try_from(n).expect("a text is under 2 GiB");
    small(range.start)..small(range.end)
}

/// One transcript, or one answer to an open questionnaire item.
#[derive(Debug, Clone)]
pub struct Document {
    /// Unique id: the path relative to the study, plus `#respondent/column` for answers.
    pub id: String,
    /// The file it came from, relative to the study.
    pub path: PathBuf,
    /// What kind of document it is.
    pub kind: DocumentKind,
    /// The wave (`pre`, `post`, …), if known.
    pub wave: Option<String>,
    /// Participants present, in order of first mention.
    pub participants: Vec<String>,
    /// Document attributes (front matter keys, file-name fields, questionnaire columns).
    pub attributes: Attributes,
    /// The decoded text (for answers: the cell's text), through [`Document::text`]: a
    /// document of [`Corpus::load_deferring_texts`], or whose text was let go
    /// ([`Corpus::let_texts_go`]), reads it from its file when next asked.
    text: std::sync::OnceLock<String>,
    /// Where a text not in memory is read from (and whether it may be let go).
    deferred: Option<Box<DeferredText>>,
    /// Unattributed text before the first turn (a title, a header); never coded.
    pub preamble: Option<Range<usize>>,
    /// The speaker turns, in order: none once let go ([`Corpus::let_turns_go`]).
    pub turns: Vec<Turn>,
    /// Who speaks in its turns, each once, in order of first turn (a turn names its
    /// speaker by place here): parsing shares one speaker between the turns with its label.
    pub speakers: Vec<Arc<Speaker>>,
    /// The turns written with a timestamp before their label: each one's number and where
    /// its timestamp is in the text, in turn order ([`Document::timestamp`]). Kept apart
    /// from the turns, as most have none and a large study has millions of turns.
    timestamps: Vec<(u32, Range<u32>)>,
    /// Number of lines in the file before the text starts (non-zero for answers).
    pub line_base: usize,
    /// Where each line of the text starts, found when a line is first asked for: a run that
    /// reads its segments from beside the index never asks, and a large study has tens of
    /// millions of lines.
    line_starts: std::sync::OnceLock<Box<[usize]>>,
    /// For text converted from another format (subtitles): the original line of each line.
    line_map: Option<Vec<usize>>,
}

impl Document {
    /// A document over `text`; `line_base` lines of the file come before it.
    pub fn new(
        id: String,
        path: PathBuf,
        kind: DocumentKind,
        text: String,
        line_base: usize,
    ) -> Self {
        Document {
            id,
            path,
            kind,
            wave: None,
            participants: Vec::new(),
            attributes: Attributes::new(),
            text: std::sync::OnceLock::from(text),
            deferred: None,
            preamble: None,
            turns: Vec::new(),
            speakers: Vec::new(),
            timestamps: Vec::new(),
            line_base,
            line_starts: std::sync::OnceLock::new(),
            line_map: None,
        }
    }

    /// Who speaks `turn`, one of its turns.
    ///
    /// # Panics
    /// `turn` names a speaker the document does not have.
    pub fn speaker_of(&self, turn: &Turn) -> &Arc<Speaker> {
        &self.speakers[turn.speaker_number()]
    }

    /// The turn whose text holds `bytes` (a segment's, [`crate::segment::Segment::bytes`]),
    /// found by halving: turns come in text order.
    pub fn turn_holding(&self, bytes: Range<usize>) -> Option<&Turn> {
        self.turn_holding_from(bytes, &mut 0)
    }

    /// [`Document::turn_holding`], looking first at turn number `*near` and the one after
    /// it, and moving `*near` to the turn found: a document's segments come in text order,
    /// so most lie in the turn of the segment before them or the next (halving the turns
    /// for each of a 100 MB study's segments took 17 ms of CPU in every run and re-code).
    pub fn turn_holding_from(&self, bytes: Range<usize>, near: &mut usize) -> Option<&Turn> {
        // the first turn that ends at or after the bytes' end
        let first_ending_after = |n: usize| {
            self.turns.get(n).is_some_and(|t| t.text().end >= bytes.end)
                && n.checked_sub(1).is_none_or(|before| self.turns[before].text().end < bytes.end)
        };
        let n = match [*near, *near + 1].into_iter().find(|&n| first_ending_after(n)) {
            Some(n) => n,
            None => self.turns.partition_point(|t| t.text().end < bytes.end),
        };
        let turn = self.turns.get(n)?;
        *near = n;
        (turn.text().start <= bytes.start && bytes.start <= bytes.end).then_some(turn)
    }

    /// The number of `speaker` among the document's speakers, added to them if not there
    /// (one speaker is one value: parsing shares it between the turns with its label).
    ///
    /// # Panics
    /// The document has 2³² speakers.
    pub fn speaker_number(&mut self, speaker: &Arc<Speaker>) -> u32 {
        let number = match self.speakers.iter().rposition(|known| Arc::ptr_eq(known, speaker)) {
            Some(number) => number,
            None => {
                self.speakers.push(Arc::clone(speaker));
                self.speakers.len() - 1
            }
        };
        u32::try_from(number).expect("fewer than 2³² speakers in a document")
    }

    /// The decoded text. A deferred text ([`Corpus::load_deferring_texts`]) or one let go
    /// ([`Corpus::let_texts_go`]) is read from its file now and kept, checked to be the file
    /// its parse was made from; should the file have changed since (or no longer be
    /// readable), the text reads as spaces of its length, so that every offset into it stays
    /// whole, and [`Corpus::check_texts`] says what happened: a command that defers texts
    /// checks them before it keeps an output.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| match &self.deferred {
            Some(deferred) => deferred.read(self),
            None => String::new(),
        })
    }

    /// Where the timestamp written before turn `turn`'s label is in the text, if any.
    pub fn timestamp(&self, turn: usize) -> Option<Range<usize>> {
        let at = self.timestamps.binary_search_by_key(&turn, |&(n, _)| n as usize).ok()?;
        let range = &self.timestamps[at].1;
        Some(range.start as usize..range.end as usize)
    }

    /// Note that turn `turn` (after every turn noted so far) was written with a timestamp
    /// at bytes `timestamp` of the text; an empty range is none.
    ///
    /// # Panics
    /// A number does not fit in 32 bits (a text of 4 GiB or more).
    fn note_timestamp(&mut self, turn: usize, timestamp: Range<usize>) {
        if !timestamp.is_empty() {
            let turn = u32::try_from(turn).expect("fewer turns than bytes");
            self.timestamps.push((turn, small_range(timestamp)));
        }
    }

    /// This document with its text left in its file until asked for.
    pub(crate) fn deferring_text(mut self, text: DeferredText) -> Document {
        self.text = std::sync::OnceLock::new();
        self.deferred = Some(Box::new(text));
        self
    }

    /// The text, without keeping a deferred text it reads ([`Document::text`] keeps it): for
    /// a pass over documents in order that asks for each once, so that a large study's
    /// texts are not all in memory at once. Checked as [`Document::text`] checks.
    pub fn text_once(&self) -> std::borrow::Cow<'_, str> {
        match (self.text.get(), &self.deferred) {
            (Some(text), _) => std::borrow::Cow::Borrowed(text),
            (None, Some(deferred)) => std::borrow::Cow::Owned(deferred.read(self)),
            (None, None) => std::borrow::Cow::Borrowed(""),
        }
    }

    /// The text's length in bytes, without reading a deferred text.
    pub fn text_len(&self) -> usize {
        match (self.text.get(), &self.deferred) {
            (Some(text), _) => text.len(),
            (None, Some(deferred)) => deferred.length,
            (None, None) => 0,
        }
    }

    /// Whether the text is in memory (always, but for a deferred text not yet asked for, or
    /// one let go).
    pub fn text_is_read(&self) -> bool {
        self.text.get().is_some()
    }

    /// Replace the text (offsets into the old one are the caller's to change).
    pub fn set_text(&mut self, text: String) {
        self.text = std::sync::OnceLock::from(text);
        self.deferred = None;
    }

    /// The text, taken out.
    pub fn into_text(mut self) -> String {
        self.take_text()
    }

    /// The text, taken out and left empty (for parsing, which puts it back).
    pub(crate) fn take_text(&mut self) -> String {
        self.text();
        let text = self.text.take().unwrap_or_default();
        self.set_text(String::new());
        text
    }

    /// Whether byte `offset` of the text starts a character (or ends the text); for a
    /// deferred text not yet read, only whether it lies within the text's length (the text
    /// is checked when read).
    pub(crate) fn is_char_boundary(&self, offset: usize) -> bool {
        match self.text.get() {
            Some(text) => text.is_char_boundary(offset),
            None => offset <= self.text_len(),
        }
    }

    /// Record the original line of each line of a converted text (see [`subtitles`]).
    pub fn set_line_map(&mut self, lines: Vec<usize>) {
        self.line_map = Some(lines);
    }

    /// The 1-based line in the original file that holds byte `offset` of the text.
    pub fn line_of(&self, offset: usize) -> usize {
        let starts = self.line_starts.get_or_init(|| {
            // memchr and a list sized once: this scans every line of the corpus
            let text = self.text().as_bytes();
            let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', text).count() + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
            starts.into_boxed_slice()
        });
        self.original_line(starts.partition_point(|&start| start <= offset))
    }

    /// [`Document::line_of`] for offsets asked for in ascending order (a document's
    /// segments), counting the line breaks passed since the last one instead of building
    /// the document's table of line starts (at 1 GB of transcripts, 140 MB made and dropped).
    pub fn lines_in_order(&self) -> LinesInOrder<'_> {
        self.lines_in_order_of(self.text())
    }

    /// [`Document::lines_in_order`] in `text`, this document's text as read by the caller
    /// (a pass that reads texts with [`Document::text_once`]).
    pub fn lines_in_order_of<'d>(&'d self, text: &'d str) -> LinesInOrder<'d> {
        LinesInOrder { document: self, text, byte: 0, line: 1 }
    }

    /// The original line of the text's `line`th line (1-based).
    fn original_line(&self, line: usize) -> usize {
        match &self.line_map {
            Some(map) => map.get(line.saturating_sub(1)).or(map.last()).copied().unwrap_or(1),
            None => self.line_base + line,
        }
    }
}

/// Why a command stops when a study file is not what it was a moment before.
const CHANGED_WHILE_READ: &str =
    "changed while qualkit was reading the study; run the command again";

/// Where a document's text is read again from its file: a transcript whose text is its
/// file's bytes, restored without being read from the kept parse of a file whose stamp is
/// the one remembered with its hash ([`Corpus::load_deferring_texts`]), or read from a file
/// whose stamp had settled, so that it may be let go ([`Corpus::let_texts_go`]).
#[derive(Debug, Clone)]
pub(crate) struct DeferredText {
    /// The file, where it is read from.
    full: PathBuf,
    /// Its stamp, a settled one (see `hashes`): a file written since has another.
    stamp: crate::files::Stamp,
    /// The text's length: the file's.
    length: usize,
    /// Why the text could not be read, once it was asked for.
    failure: std::sync::OnceLock<String>,
}

impl DeferredText {
    pub(crate) fn new(full: PathBuf, stamp: crate::files::Stamp) -> DeferredText {
        let length = usize::try_from(stamp.0[0]).unwrap_or(usize::MAX);
        DeferredText { full, stamp, length, failure: std::sync::OnceLock::new() }
    }

    /// The text of `document`, or spaces of its length when the file is not as it was.
    fn read(&self, document: &Document) -> String {
        self.read_checked(document).unwrap_or_else(|why| {
            let _ = self.failure.set(why);
            " ".repeat(self.length)
        })
    }

    /// The file's bytes, if its stamp is still the one it had (so its bytes are those
    /// hashed then).
    fn read_bytes(&self) -> std::result::Result<Vec<u8>, String> {
        use std::io::Read;
        let mut file = std::fs::File::open(&self.full).map_err(|e| e.to_string())?;
        let mut bytes = Vec::with_capacity(self.length);
        file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        // taken after reading: a write during the read changes it
        let stamp = crate::files::Stamp::of(&file.metadata().map_err(|e| e.to_string())?);
        if !stamp.unchanged(&self.stamp) || bytes.len() != self.length {
            return Err(CHANGED_WHILE_READ.into());
        }
        Ok(bytes)
    }

    fn read_checked(&self, document: &Document) -> std::result::Result<String, String> {
        let changed = || CHANGED_WHILE_READ;
        let text = decode::utf8(self.read_bytes()?).map_err(|_| changed())?;
        // the kept parse's offsets, which were checked against the text's length only
        let whole = |range: Range<usize>| {
            range.start <= range.end
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end)
        };
        let mut ranges =
            document.preamble.iter().cloned().chain(
                document.turns.iter().map(Turn::text).chain(
                    document.timestamps.iter().map(|(_, t)| t.start as usize..t.end as usize),
                ),
            );
        if !ranges.all(whole) {
            return Err(changed().into());
        }
        Ok(text)
    }
}

/// Lines of ascending byte offsets of one document ([`Document::lines_in_order`]).
pub struct LinesInOrder<'d> {
    document: &'d Document,
    text: &'d str,
    /// The offset reached, and the (1-based) line of the text it is on.
    byte: usize,
    line: usize,
}

impl LinesInOrder<'_> {
    /// The original line of byte `offset` of the text, which must not be before the offset
    /// asked for last.
    pub fn line_of(&mut self, offset: usize) -> usize {
        debug_assert!(offset >= self.byte, "offsets asked for in ascending order");
        let text = self.text.as_bytes();
        let passed = text.get(self.byte..offset.min(text.len())).unwrap_or_default();
        self.line += memchr::memchr_iter(b'\n', passed).count();
        self.byte = self.byte.max(offset);
        self.document.original_line(self.line)
    }
}

/// A study's hashed input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to the study.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

/// A hash of the code that parses and segments studies (the ingest modules, study.toml's
/// reading, the segmenter) and of the locked dependencies, made by `build.rs`: the parse and
/// segments kept in `.qualkit` are named by it, so a build that would parse or segment
/// differently never restores them.
pub const PARSER: &str = env!("QUALKIT_PARSER");

/// Everything ingested from a study.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The participant table.
    pub participants: Participants,
    /// Every document, in manifest then file order.
    pub documents: Vec<Document>,
    /// Every Likert answer from questionnaires.
    pub likert: Vec<LikertAnswer>,
    /// Every file read, with its hash, in reading order.
    pub inputs: Vec<InputFile>,
    /// Things worth telling the researcher that are not errors (guessed encodings).
    pub warnings: Vec<String>,
}

impl Corpus {
    /// Read and parse every file the study names.
    ///
    /// # Errors
    /// Every bad file, each with its own located message ([`Error::Several`] when more
    /// than one).
    pub fn load(study: &Study) -> Result<Corpus> {
        Corpus::load_with(study, Texts::Read)
    }

    /// [`Corpus::load`], but the texts of transcripts unchanged since their parse was kept in
    /// `.qualkit` stay in their files until asked for ([`Document::text`]): a re-code that
    /// codes a few segments again reads a few files, not the corpus. Whoever asks for texts
    /// calls [`Corpus::check_texts`] before keeping what it made of them.
    ///
    /// # Errors
    /// As [`Corpus::load`].
    pub fn load_deferring_texts(study: &Study) -> Result<Corpus> {
        Corpus::load_with(study, Texts::Defer)
    }

    /// For a large study (its sources' files [`LARGE_STUDY_BYTES`] bytes or more),
    /// [`Corpus::load_deferring_texts`] then [`Corpus::let_texts_go`], without ever holding
    /// every text: a file whose text can be read again is hashed as it is read and let go,
    /// then read again (checked against that hash) to be parsed, and its text let go once
    /// parsed. A cold load of a large study held all its files' bytes at once before.
    ///
    /// A smaller study is loaded as [`Corpus::load_deferring_texts`] does: the texts read
    /// (every one, the first time) are kept. Let go, each was read five times over a cold
    /// run (hashed, parsed, indexed, coded, written out).
    ///
    /// # Errors
    /// As [`Corpus::load`].
    pub fn load_letting_texts_go(study: &Study) -> Result<Corpus> {
        Corpus::load_letting_texts_go_from(study, LARGE_STUDY_BYTES)
    }

    /// [`Corpus::load_letting_texts_go`] with studies of `large` bytes or more let go.
    fn load_letting_texts_go_from(study: &Study, large: u64) -> Result<Corpus> {
        // a file that cannot be looked at counts for nothing here: reading it says why
        let size = |file: &PathBuf| std::fs::metadata(study.resolve(file)).map_or(0, |m| m.len());
        let bytes: u64 = study.sources.iter().flat_map(|source| &source.files).map(size).sum();
        Corpus::load_with(study, if bytes < large { Texts::Defer } else { Texts::LetGo })
    }

    fn load_with(study: &Study, texts: Texts) -> Result<Corpus> {
        let defer = texts != Texts::Read;
        let known = hashes::KnownHashes::read(study);
        let participants_path = &study.participants.file;
        let (bytes, participants_read) = known
            .read_file(participants_path, &study.resolve(participants_path))
            .map_err(|e| Error::io(participants_path, e))?;
        let participants = Participants::parse(participants_path, &bytes, &study.participants)?;
        let mut corpus = Corpus {
            participants,
            documents: Vec::new(),
            likert: Vec::new(),
            inputs: Vec::new(),
            warnings: Vec::new(),
        };
        // Files are read in parallel, then parsed in parallel (each on its own) unless the
        // parse of these very bytes is kept in `.qualkit` (`snapshot`), then gathered in the
        // study's order, so documents, warnings and errors come out as if read one by one.
        use rayon::prelude::*;
        let files: Vec<(&crate::study::Source, &PathBuf)> = study
            .sources
            .iter()
            .flat_map(|source| source.files.iter().map(move |file| (source, file)))
            .collect();
        // a file not read (`None`) is one whose stamp says it is as it was hashed
        let read: Vec<Result<FileRead>> = files
            .par_iter()
            .map(|&(_, file)| {
                let full = study.resolve(file);
                if let Some(hashed) = known.unchanged_file(file, &full).filter(|_| defer) {
                    return Ok((None, hashed, false));
                }
                let (bytes, hashed) =
                    known.read_file(file, &full).map_err(|e| Error::io(file, e))?;
                // read again to be parsed, checked against this hash (below), so that the
                // study's bytes are never all held at once
                if texts == Texts::LetGo && cfg!(unix) && known.settled(&hashed) {
                    return Ok((None, hashed, true));
                }
                Ok((Some(bytes), hashed, true))
            })
            .collect();
        let inputs: Option<Vec<InputFile>> = std::iter::once(Ok(&participants_read))
            .chain(read.iter().map(|result| result.as_ref().map(|(_, hashed, _)| hashed)))
            .map(|hashed| hashed.ok().map(|hashed| hashed.input.clone()))
            .collect();
        let snapshot = inputs.map(|inputs| snapshot::Snapshot::open(study, &inputs));
        let participants = &corpus.participants;
        let parsed: Vec<Result<(FileContents, hashes::Hashed, bool)>> = files
            .par_iter()
            .zip(read)
            .enumerate()
            .map(|(n, (&(source, file), read))| {
                let (bytes, hashed, read_just_now) = read?;
                let bytes = match bytes {
                    Some(bytes) => bytes,
                    None => {
                        let deferred = DeferredText::new(study.resolve(file), hashed.stamp);
                        let restored =
                            snapshot.as_ref().and_then(|s| s.restore_deferred(n, deferred));
                        if let Some(contents) = restored {
                            return Ok((contents, hashed, false));
                        }
                        // no kept parse of it after all: read it, as it was hashed (a file
                        // hashed just now and let go, by its settled stamp, as a deferred
                        // text is read; one hashed before, by its hash)
                        if read_just_now {
                            DeferredText::new(study.resolve(file), hashed.stamp)
                                .read_bytes()
                                .map_err(|why| Error::input(file, None, why))?
                        } else {
                            let (bytes, again) = known
                                .read_file(file, &study.resolve(file))
                                .map_err(|e| Error::io(file, e))?;
                            if again.input != hashed.input {
                                return Err(Error::input(file, None, CHANGED_WHILE_READ));
                            }
                            bytes
                        }
                    }
                };
                let kept = match &snapshot {
                    Some(snapshot) => snapshot.restore(n, bytes),
                    None => Err(bytes),
                };
                let (mut contents, parsed) = match kept {
                    Ok(contents) => (contents, false),
                    Err(bytes) => (parse_file(study, participants, source, file, bytes)?, true),
                };
                // a text that is its file's bytes, from a file whose stamp shows any write
                // since, can be let go and read again ([`Corpus::let_texts_go`]); only where
                // an unchanged stamp is trusted at all (`Stamp::unchanged`: unix)
                if let [document] = &mut contents.documents[..]
                    && contents.text_as_read
                    && cfg!(unix)
                    && known.settled(&hashed)
                {
                    let again = DeferredText::new(study.resolve(file), hashed.stamp);
                    document.deferred = Some(Box::new(again));
                    if texts == Texts::LetGo {
                        document.text = std::sync::OnceLock::new();
                    }
                }
                Ok((contents, hashed, parsed))
            })
            .collect();
        let mut read = vec![participants_read];
        let mut contents = Vec::with_capacity(parsed.len());
        let mut errors = Vec::new();
        let mut any_parsed = false;
        for result in parsed {
            match result {
                Ok((file, hashed, parsed)) => {
                    contents.push(file);
                    read.push(hashed);
                    any_parsed |= parsed;
                }
                Err(e) => errors.push(e),
            }
        }
        Error::collect(errors)?;
        known.remember(&read);
        if let Some(snapshot) = snapshot.filter(|snapshot| any_parsed || !snapshot.is_kept()) {
            snapshot.keep(&contents);
        }
        for file in contents {
            corpus.documents.extend(file.documents);
            corpus.likert.extend(file.likert);
            corpus.warnings.extend(file.warning);
        }
        corpus.inputs = read.into_iter().map(|hashed| hashed.input).collect();
        Ok(corpus)
    }

    /// Let go of every text that can be read again from its file (a transcript whose text
    /// is its file's bytes, from a file whose stamp would show a write since): it is read
    /// again when asked for, checked as [`Document::text`] checks. `run` and `index` load
    /// with each let go as it is parsed ([`Corpus::load_letting_texts_go`]), and each of a
    /// run's passes (segmenting, indexing, coding, codings.csv and segments.csv) reads a
    /// document at a time ([`Corpus::text_in_order`],
    /// [`Document::text_once`]): a large study's text is never all held. Whoever asks for
    /// texts after this checks them ([`Corpus::check_texts`]).
    pub fn let_texts_go(&mut self) {
        for document in &mut self.documents {
            if document.deferred.is_some() {
                document.text = std::sync::OnceLock::new();
            }
        }
    }

    /// Let go of every document's turns, for a command that needs none once the corpus is
    /// segmented (`run`, `code` and the analyses): segments name their speakers, and their texts are their
    /// own byte ranges. A large study has millions of turns (104 MB at 1 GB of transcripts).
    /// A text read again is then checked against its preamble and timestamps only
    /// (`DeferredText::read_checked`); its segments were checked when made or read.
    pub fn let_turns_go(&mut self) {
        for document in &mut self.documents {
            document.turns = Vec::new();
        }
    }

    /// The text of document `n`, for a pass over documents in order: `current` holds the
    /// text of the document the pass is in, read once for all its segments
    /// ([`Document::text_once`]) and let go when the pass moves on.
    pub fn text_in_order<'c, 's>(
        &'c self,
        current: &'s mut Option<(usize, std::borrow::Cow<'c, str>)>,
        n: usize,
    ) -> &'s str {
        if !matches!(current, Some((document, _)) if *document == n) {
            *current = self.documents.get(n).map(|document| (n, document.text_once()));
        }
        current.as_ref().map_or("", |(_, text)| text)
    }

    /// Why a deferred text asked for could not be read ([`Document::text`]): a file changed
    /// while the command ran. A command that defers texts calls this before keeping an
    /// output.
    ///
    /// # Errors
    /// One per text not read, naming its file.
    pub fn check_texts(&self) -> Result<()> {
        let failed = self.documents.iter().filter_map(|document| {
            let why = document.deferred.as_ref()?.failure.get()?;
            Some(Error::input(&document.path, None, why.clone()))
        });
        Error::collect(failed.collect())
    }

    /// A hash of everything the corpus was built from, plus the manifest.
    pub fn fingerprint(&self, study: &Study) -> String {
        fingerprint_of(study, &self.inputs)
    }

    /// The value of `attribute` for a segment's context: `wave`, `kind`, `document`,
    /// `speaker` and `participant` are built in; anything else is a participant attribute,
    /// falling back to a document attribute.
    pub fn attribute_of(
        &self,
        document: &Document,
        participant: Option<&str>,
        attribute: &str,
    ) -> Option<String> {
        match attribute {
            "wave" => document.wave.clone(),
            "kind" => Some(document.kind.name().to_owned()),
            "document" => Some(document.id.clone()),
            "participant" => participant.map(str::to_owned),
            _ => participant
                .and_then(|id| self.participants.attribute(id, attribute))
                .or_else(|| document.attributes.get(attribute))
                .map(str::to_owned),
        }
    }
}

/// What one input file holds once parsed.
#[derive(Debug, Default)]
pub struct FileContents {
    /// Its documents: one for a transcript, one per open answer for a questionnaire.
    pub documents: Vec<Document>,
    /// A questionnaire's Likert answers.
    pub likert: Vec<LikertAnswer>,
    /// A guessed text encoding, said once.
    pub warning: Option<String>,
    /// Whether the one document's text is the file's bytes as read (UTF-8 without a byte
    /// order mark or `\r`): a parse kept in `.qualkit` takes it from the file again.
    pub text_as_read: bool,
}

/// The largest input file, and the longest document text, read (2 GiB less a byte): a
/// segment keeps its offsets and line in 32 bits (`segment::Segment`), and a line number is
/// at most the lines before a document's text in its file plus the text's own.
pub const MAX_TEXT_BYTES: usize = (1 << 31) - 1;

/// A study file as first read: its bytes, unless let go until it is parsed; its hash; and
/// whether it was hashed just now (else its stamp says it is as hashed before).
type FileRead = (Option<Vec<u8>>, hashes::Hashed, bool);

/// A study of this many bytes (of source files, or of text) or more is large: it lets the
/// texts it reads go ([`Corpus::load_letting_texts_go`]; a smaller one keeps them in memory),
/// and the commands hand freed memory back to the system sooner once it is indexed.
pub const LARGE_STUDY_BYTES: u64 = 256 << 20;

/// What loading does with texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Texts {
    /// Read and kept ([`Corpus::load`]).
    Read,
    /// Left in their files when a kept parse has the rest ([`Corpus::load_deferring_texts`]).
    Defer,
    /// Deferred, and let go once parsed when they can be read again
    /// ([`Corpus::load_letting_texts_go`]).
    LetGo,
}

/// An error unless `length` bytes (of `what`) are within [`MAX_TEXT_BYTES`].
fn within_limit(file: &Path, what: &str, length: usize) -> Result<()> {
    if length <= MAX_TEXT_BYTES {
        return Ok(());
    }
    let message = format!("{what} is {length} bytes; qualkit reads up to {MAX_TEXT_BYTES}");
    Err(Error::input(file, None, message).with_hint("split it into several files"))
}

/// Parse one input file's `bytes` as `source` says: Word and subtitle files converted to
/// transcript text, text decoded, then a transcript or a questionnaire parsed. `file` is
/// relative to the study and names the file in errors. Reads nothing from disk.
///
/// # Errors
/// Everything the decoder, the converters and the parsers report, located in `file`; a file
/// or a document's text over [`MAX_TEXT_BYTES`].
pub fn parse_file(
    study: &Study,
    participants: &Participants,
    source: &crate::study::Source,
    file: &Path,
    bytes: Vec<u8>,
) -> Result<FileContents> {
    within_limit(file, "the file", bytes.len())?;
    let contents = parse_within_limit(study, participants, source, file, bytes)?;
    for document in &contents.documents {
        within_limit(file, "a document's text", document.text().len())?;
    }
    Ok(contents)
}

fn parse_within_limit(
    study: &Study,
    participants: &Participants,
    source: &crate::study::Source,
    file: &Path,
    bytes: Vec<u8>,
) -> Result<FileContents> {
    let extension =
        file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut contents = FileContents::default();
    if let SourceFormat::Transcripts { name, whole } = &source.format {
        let context = transcript::Context {
            study,
            participants,
            source,
            name_pattern: name.as_deref(),
            whole: *whole,
        };
        let document = match extension.as_str() {
            "docx" | "odt" => transcript::parse(&context, file, word::extract(file, &bytes)?)?,
            "vtt" | "srt" => {
                let decoded = decode::decode_owned(file, bytes, source.encoding)?;
                contents.warning = decoded.warning;
                let converted = subtitles::convert(file, &decoded.text)?;
                let mut document = transcript::parse(&context, file, converted.text)
                    .map_err(|e| remap_lines(e, &converted.lines))?;
                document.set_line_map(converted.lines);
                document
            }
            _ => {
                let decoded = decode::decode_owned(file, bytes, source.encoding)?;
                contents.warning = decoded.warning;
                contents.text_as_read = decoded.as_read;
                transcript::parse(&context, file, decoded.text)?
            }
        };
        contents.documents.push(document);
        return Ok(contents);
    }
    let text = if extension == "xlsx" {
        questionnaire::xlsx_as_csv(file, &bytes)?
    } else {
        let decoded = decode::decode_owned(file, bytes, source.encoding)?;
        contents.warning = decoded.warning;
        decoded.text
    };
    if let SourceFormat::Questionnaire(config) = &source.format {
        let parsed = questionnaire::parse(file, &text, source, config, participants)?;
        contents.documents = parsed.documents;
        contents.likert = parsed.likert;
    }
    Ok(contents)
}

/// Errors located in converted text, moved to the original file's lines.
fn remap_lines(error: Error, lines: &[usize]) -> Error {
    match error {
        Error::Input { path, position: Some(position), message, hint } => {
            let line = lines.get(position.line.saturating_sub(1)).copied().unwrap_or(position.line);
            Error::Input { path, position: Some(crate::error::Position::line(line)), message, hint }
        }
        Error::Several(errors) => {
            Error::Several(errors.into_iter().map(|e| remap_lines(e, lines)).collect())
        }
        other => other,
    }
}

/// A hash of `inputs` (the study's files with their hashes) and the manifest.
fn fingerprint_of(study: &Study, inputs: &[InputFile]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(study.manifest_text.as_bytes());
    for input in inputs {
        hasher.update(input.path.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(input.sha256.as_bytes());
    }
    hex(&hasher.finalize())
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// For tests: a corpus of `texts`, one document each, every line of which is a turn of
/// one anonymous speaker.
#[cfg(test)]
pub(crate) fn of_lines(texts: &[&str]) -> Corpus {
    let speaker = Arc::new(Speaker { label: "R".into(), role: Role::Anonymous, participant: None });
    let documents = texts
        .iter()
        .map(|&text| {
            let mut document = Document::new(
                "d.txt".into(),
                "d.txt".into(),
                DocumentKind::Interview,
                text.into(),
                0,
            );
            let mut at = 0;
            for line in text.split('\n') {
                let speaker = document.speaker_number(&speaker);
                document.turns.push(Turn::new(speaker, at..at + line.len()));
                at += line.len() + 1;
            }
            document
        })
        .collect();
    Corpus {
        participants: Participants::default(),
        documents,
        likert: Vec::new(),
        inputs: Vec::new(),
        warnings: Vec::new(),
    }
}

/// For tests: the test fixture `name` copied into a temporary folder, with a `.qualkit`
/// folder so that what is derived from it is kept.
#[cfg(test)]
pub(crate) fn fixture_copy(name: &str) -> (tempfile::TempDir, Study) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("folder");
        for entry in std::fs::read_dir(from).expect("fixture") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), dir.path());
    std::fs::create_dir(dir.path().join(".qualkit")).expect(".qualkit");
    let study = Study::load(dir.path()).expect("study");
    (dir, study)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_lines_from_the_base() {
        let doc = Document::new(
            "d".into(),
            PathBuf::from("d.txt"),
            DocumentKind::Interview,
            "ab\ncd\n\nef".into(),
            0,
        );
        assert_eq!(doc.line_of(0), 1);
        assert_eq!(doc.line_of(2), 1);
        assert_eq!(doc.line_of(3), 2);
        assert_eq!(doc.line_of(7), 4);
        let answer = Document::new(
            "a".into(),
            "q.csv".into(),
            DocumentKind::Questionnaire,
            "x\ny".into(),
            9,
        );
        assert_eq!(answer.line_of(2), 11);
    }

    proptest::proptest! {
        /// Counting line breaks as offsets ascend gives the line the table of line starts
        /// gives, from a base or through a converted text's map of original lines.
        #[test]
        fn lines_in_order_are_the_lines_of_the_table(
            text in "[ab\n]{0,40}",
            mut offsets in proptest::collection::vec(0usize..45, 0..12),
            base in 0usize..3,
            mapped in proptest::bool::ANY,
        ) {
            let mut doc = Document::new(
                "d".into(), "d.txt".into(), DocumentKind::Interview, text, base,
            );
            if mapped {
                let lines = doc.text().lines().count() + 1;
                doc.set_line_map((0..lines).map(|l| 10 * l + 7).collect());
            }
            offsets.sort_unstable();
            let mut lines = doc.lines_in_order();
            for offset in offsets {
                proptest::prop_assert_eq!(lines.line_of(offset), doc.line_of(offset), "{}", offset);
            }
        }
    }

    #[test]
    fn files_and_texts_over_the_limit_are_refused_naming_the_file() {
        assert!(within_limit(Path::new("t/a.txt"), "the file", MAX_TEXT_BYTES).is_ok());
        let error = within_limit(Path::new("t/a.txt"), "the file", MAX_TEXT_BYTES + 1)
            .expect_err("over the limit");
        assert_eq!(
            error.to_string(),
            format!(
                "t/a.txt: the file is {} bytes; qualkit reads up to {MAX_TEXT_BYTES}",
                1u64 << 31
            )
        );
        assert_eq!(error.hint(), Some("split it into several files"));
    }

    #[test]
    fn kind_names_round_trip() {
        for name in DocumentKind::NAMES {
            assert_eq!(DocumentKind::from_name(name).map(DocumentKind::name), Some(name));
        }
    }
}
