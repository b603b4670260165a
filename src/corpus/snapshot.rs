//! The parsed corpus kept in `<study>/.qualkit/corpus.bin`, so that a study read again with
//! every input as it was (a re-code after a codebook edit, a second run) is not parsed
//! again: parsing was a third of re-coding a 100 MB study.
//!
//! The file is a cache ([`CacheFile`]: damaged, missing or for other inputs, the corpus is
//! parsed and the file rewritten) named by the inputs' fingerprint — the manifest and every
//! input file's hash — and qualkit's version, so it holds exactly what parsing these bytes
//! gives. Each input file's record holds its documents (turns, speakers, attributes, line
//! map), Likert answers and warning; a document whose text is the file's bytes as read
//! ([`FileContents::text_as_read`], the usual UTF-8 transcript) takes it from the bytes just
//! read and hashed, so the file stores no copy of such texts (converted or re-encoded texts
//! are stored). Written, like the input hashes, once the study has a `.qualkit` folder.
//!
//! What parsing gives depends on the code that parses as well as on the inputs: the name
//! also holds [`super::PARSER`], a hash of that code made when qualkit is built
//! (`build.rs`), so a build that parses differently never restores another's parse.
//!
//! A file's parse depends on nothing but its bytes, study.toml and participants.csv (who is
//! who), so when only some files changed, the records of the others are carried over from the
//! kept parse of the inputs before: the body begins with each record's file path and SHA-256,
//! and a kept parse whose fingerprint differs only in its inputs (`settings`: the version,
//! parser, format, study.toml and participants.csv alike) lends each file whose path and hash
//! it holds its record.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::questionnaire::LikertAnswer;
use super::{
    Attributes, DeferredText, Document, DocumentKind, FileContents, InputFile, Role, Speaker, Turn,
};
use crate::index::{Body, CacheFile, Reader, push_text, push_u32, push_u64};
use crate::study::Study;

/// The body's layout; a change to what parsing gives also changes qualkit's version.
const FORMAT: u32 = 5;
const NAME: &str = "corpus.bin";
/// Written for an absent optional text or number.
const NONE: u32 = u32::MAX;
/// Written for a text its record has written before, with which one in the number's other
/// bits ([`RepeatedTexts`]); the length of a text written out is below it.
const WRITTEN_BEFORE: u32 = 1 << 31;

/// The kept parse of a study's inputs, when there is one for them.
pub(super) struct Snapshot {
    body: Option<Body>,
    file: CacheFile,
    /// Each file's path and SHA-256 (the participant table not counted), for the records.
    inputs: Vec<(String, String)>,
    /// A kept parse of other inputs with the same settings, and the record there of each
    /// file of these inputs it holds.
    before: Option<(Body, Vec<Option<usize>>)>,
}

impl Snapshot {
    /// The kept parse of `inputs` (the participant table first, then every file read, in
    /// order), if `.qualkit` holds one.
    pub(super) fn open(study: &Study, inputs: &[InputFile]) -> Snapshot {
        let settings = parse_settings(study, inputs.first());
        let fingerprint = format!("{settings}inputs {}\n", super::fingerprint_of(study, inputs));
        let file = CacheFile::new(&study.cache_dir(), NAME, &fingerprint);
        let key =
            |input: &InputFile| (input.path.to_string_lossy().into_owned(), input.sha256.clone());
        let inputs: Vec<(String, String)> = inputs.iter().skip(1).map(key).collect();
        // these inputs' parse, or one of other inputs read with the same settings
        let (body, before) = match file.read_for_settings(FORMAT, &settings) {
            Some((written, body)) if written == fingerprint => (Some(body), None),
            Some((_, body)) => {
                let held = records_of(&body).map(|records| {
                    // a file listed twice (by two sources) may parse differently under each:
                    // its records are lent to neither
                    let mut at: std::collections::HashMap<(&str, &str), Option<usize>> =
                        std::collections::HashMap::new();
                    for (n, &key) in records.iter().enumerate() {
                        at.entry(key).and_modify(|twice| *twice = None).or_insert(Some(n));
                    }
                    let mut listed: std::collections::HashMap<(&str, &str), usize> =
                        std::collections::HashMap::new();
                    for (path, sha) in &inputs {
                        *listed.entry((path.as_str(), sha.as_str())).or_default() += 1;
                    }
                    let held_at = |(path, sha): &(String, String)| {
                        let key = (path.as_str(), sha.as_str());
                        if listed[&key] > 1 { None } else { at.get(&key).copied().flatten() }
                    };
                    inputs.iter().map(held_at).collect()
                });
                (None, held.map(|held| (body, held)))
            }
            None => (None, None),
        };
        Snapshot { body, file, inputs, before }
    }

    /// The `n`th file's record: in the kept parse of these inputs, or carried over from one
    /// of other inputs that holds the file as it is.
    fn record_of(&self, n: usize) -> Option<&[u8]> {
        match (&self.body, &self.before) {
            (Some(body), _) => record(body, n),
            (None, Some((body, held))) => record(body, (*held.get(n)?)?),
            (None, None) => None,
        }
    }

    /// The `n`th file's contents (counting from 0, participant table not counted) from the
    /// kept parse, its text taken from `bytes` where it is them; `bytes` back when there is
    /// no kept parse or it does not hold together.
    pub(super) fn restore(&self, n: usize, bytes: Vec<u8>) -> Result<FileContents, Vec<u8>> {
        let Some(record) = self.record_of(n) else {
            return Err(bytes);
        };
        read_file(&mut Reader::new(record), bytes)
    }

    /// The `n`th file's contents from the kept parse without its bytes: the text of a
    /// transcript whose text is the file's bytes left in the file as `text` says, other texts
    /// from the kept parse. `None` when there is no kept parse or it does not hold together.
    pub(super) fn restore_deferred(&self, n: usize, text: DeferredText) -> Option<FileContents> {
        let record = self.record_of(n)?;
        let input = &mut Reader::new(record);
        let shared = &mut Sharing::for_record(input.remaining());
        let (warning, likert, text_as_read, count) = read_file_head(input, shared)?;
        let mut contents = FileContents { documents: Vec::new(), likert, warning, text_as_read };
        if text_as_read {
            if count != 1 {
                return None;
            }
            contents.documents.push(read_document(input, Text::Deferred(text), shared).ok()?);
        } else {
            for _ in 0..count {
                contents.documents.push(read_document(input, Text::Kept, shared).ok()?);
            }
        }
        input.is_empty().then_some(contents)
    }

    /// Whether there was a kept parse to restore from.
    pub(super) fn is_kept(&self) -> bool {
        self.body.is_some()
    }

    /// Keep `files`, the contents of every file read, in order, when the study has a cache
    /// folder. A cache: failing to write it costs the next read the parsing, nothing else.
    pub(super) fn keep(mut self, files: &[FileContents]) {
        // the old file is not replaced while mapped (elsewhere than Linux a rename over a
        // mapped file fails)
        self.body = None;
        self.before = None;
        let has_folder = self.file.path().parent().is_some_and(std::path::Path::is_dir);
        if !has_folder {
            return;
        }
        // a record at a time, their ends after them: never the whole corpus's records in
        // memory at once
        let mut paths = Vec::new();
        push_u32(&mut paths, u32::try_from(self.inputs.len()).unwrap_or(NONE));
        for (path, sha256) in &self.inputs {
            push_text(&mut paths, path);
            push_text(&mut paths, sha256);
        }
        let _ = self.file.write_with(FORMAT, |out| {
            out.write_all(&paths)?;
            let mut ends = Vec::with_capacity(8 * (files.len() + 1) + 4);
            let mut end = paths.len() as u64;
            push_u64(&mut ends, end);
            for contents in files {
                let record = file_record(contents)
                    .ok_or_else(|| std::io::Error::other("a file's parse cannot be kept"))?;
                out.write_all(&record)?;
                end += record.len() as u64;
                push_u64(&mut ends, end);
            }
            push_u32(&mut ends, u32::try_from(files.len()).unwrap_or(NONE));
            out.write_all(&ends)
        });
    }
}

/// What a kept parse's name holds besides its inputs' fingerprint: what a file's parse
/// depends on besides its own bytes (the participant table is `participants`). What is
/// derived from a file's parse (its segments) depends on these too.
pub(crate) fn parse_settings(study: &Study, participants: Option<&InputFile>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(study.manifest_text.as_bytes());
    if let Some(participants) = participants {
        hasher.update([0]);
        hasher.update(participants.path.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(participants.sha256.as_bytes());
    }
    format!(
        "qualkit {}\nparser {}\ncorpus format {FORMAT}\nsettings {}\n",
        env!("CARGO_PKG_VERSION"),
        super::PARSER,
        super::hex(&hasher.finalize())
    )
}

/// Each record's file path and SHA-256, from the start of `body`.
fn records_of(body: &Body) -> Option<Vec<(&str, &str)>> {
    let mut reader = body.reader();
    let count = reader.u32()? as usize;
    let mut records = Vec::with_capacity(count.min(reader.remaining()));
    for _ in 0..count {
        records.push((reader.text()?, reader.text()?));
    }
    Some(records)
}

/// The `n`th file's record in `body`: each file's path and hash, the records, where each
/// ends (from the start of the body), then their count.
fn record(body: &Body, n: usize) -> Option<&[u8]> {
    let mut reader = body.reader();
    let body = reader.bytes(reader.remaining())?;
    let (rest, count) = body.split_at_checked(body.len().checked_sub(4)?)?;
    let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
    let table = count.checked_add(1)?.checked_mul(8)?;
    let (records, ends) = rest.split_at_checked(rest.len().checked_sub(table)?)?;
    let end_of = |i: usize| -> Option<usize> {
        let bytes = ends.get(i * 8..i * 8 + 8)?;
        usize::try_from(u64::from_le_bytes(bytes.try_into().ok()?)).ok()
    };
    if n >= count {
        return None;
    }
    records.get(end_of(n)?..end_of(n + 1)?)
}

/// One file's record; `None` when something in it cannot be kept (a path that is not UTF-8,
/// a text over 4 GB), and then the corpus is not kept.
fn file_record(contents: &FileContents) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let repeated = &mut RepeatedTexts::default();
    push_optional_text(&mut out, contents.warning.as_deref());
    push_count(&mut out, contents.likert.len())?;
    for answer in &contents.likert {
        repeated.push(&mut out, &answer.source)?;
        repeated.push(&mut out, &answer.participant)?;
        repeated.push_optional(&mut out, answer.wave.as_deref())?;
        repeated.push(&mut out, &answer.item)?;
        push_u32(&mut out, answer.level.map_or(Some(NONE), small)?);
        push_count(&mut out, answer.scale.len())?;
        for label in &answer.scale[..] {
            repeated.push(&mut out, label)?;
        }
    }
    let text_as_read = contents.text_as_read && contents.documents.len() == 1;
    push_u32(&mut out, u32::from(text_as_read));
    push_count(&mut out, contents.documents.len())?;
    for document in &contents.documents {
        push_document(&mut out, document, text_as_read, repeated)?;
    }
    Some(out)
}

/// The texts a record repeats (a questionnaire's file name, wave, column names, scale, each
/// row's respondent), written out the first time and then named by number
/// ([`WRITTEN_BEFORE`]), in the order first written. Each written in full, a survey of 47
/// MB kept a parse of 171 MB, which the run held a file's record of at a time, and a run
/// with the parse kept read back.
#[derive(Default)]
struct RepeatedTexts<'a>(std::collections::HashMap<&'a str, u32>);

impl<'a> RepeatedTexts<'a> {
    fn push(&mut self, out: &mut Vec<u8>, text: &'a str) -> Option<()> {
        if let Some(&number) = self.0.get(text) {
            push_u32(out, WRITTEN_BEFORE | number);
            return Some(());
        }
        // numbered below `NONE`'s other bits, and no longer than a length can say
        let number = u32::try_from(self.0.len()).ok().filter(|&n| n < !WRITTEN_BEFORE)?;
        push_u32(out, u32::try_from(text.len()).ok().filter(|&n| n < WRITTEN_BEFORE)?);
        out.extend_from_slice(text.as_bytes());
        self.0.insert(text, number);
        Some(())
    }

    fn push_optional(&mut self, out: &mut Vec<u8>, text: Option<&'a str>) -> Option<()> {
        match text {
            Some(text) => self.push(out, text),
            None => {
                push_u32(out, NONE);
                Some(())
            }
        }
    }
}

fn push_document<'a>(
    out: &mut Vec<u8>,
    document: &'a Document,
    text_as_read: bool,
    repeated: &mut RepeatedTexts<'a>,
) -> Option<()> {
    small(document.text_len())?;
    push_text(out, &document.id);
    repeated.push(out, document.path.to_str()?)?;
    repeated.push(out, document.kind.name())?;
    repeated.push_optional(out, document.wave.as_deref())?;
    push_count(out, document.participants.len())?;
    for participant in &document.participants {
        repeated.push(out, participant)?;
    }
    push_count(out, document.attributes.len())?;
    for (key, value) in &document.attributes {
        repeated.push(out, key)?;
        repeated.push(out, value)?;
    }
    if !text_as_read {
        push_text(out, document.text());
    }
    match &document.preamble {
        Some(range) => push_range(out, range)?,
        None => push_u32(out, NONE),
    }
    push_u32(out, small(document.line_base)?);
    match &document.line_map {
        Some(lines) => {
            push_count(out, lines.len())?;
            for &line in lines {
                push_u32(out, small(line)?);
            }
        }
        None => push_u32(out, NONE),
    }
    // each speaker of a turn once, numbered in order of first turn
    let mut speakers: Vec<&Arc<Speaker>> = Vec::new();
    let mut written: Vec<Option<usize>> = vec![None; document.speakers.len()];
    let mut turns = Vec::with_capacity(document.turns.len() * 16);
    for (number, turn) in document.turns.iter().enumerate() {
        let n = *written.get_mut(turn.speaker_number())?.get_or_insert_with(|| {
            speakers.push(document.speaker_of(turn));
            speakers.len() - 1
        });
        push_u32(&mut turns, small(n)?);
        push_range(&mut turns, &turn.text())?;
        push_range(&mut turns, &document.timestamp(number).unwrap_or_default())?;
    }
    push_count(out, speakers.len())?;
    for speaker in speakers {
        repeated.push(out, &speaker.label)?;
        push_u32(out, role_number(speaker.role));
        repeated.push_optional(out, speaker.participant.as_deref())?;
    }
    push_count(out, document.turns.len())?;
    out.extend_from_slice(&turns);
    Some(())
}

/// One file's contents from its record, its text taken from `bytes` where it is them;
/// `bytes` back when the record does not hold together.
fn read_file(input: &mut Reader<'_>, bytes: Vec<u8>) -> Result<FileContents, Vec<u8>> {
    let shared = &mut Sharing::for_record(input.remaining());
    let Some((warning, likert, text_as_read, count)) = read_file_head(input, shared) else {
        return Err(bytes);
    };
    let mut contents =
        // a count read from the file sizes nothing: no allocation beyond what the file holds
        FileContents { documents: Vec::new(), likert, warning, text_as_read };
    if text_as_read {
        if count != 1 {
            return Err(bytes);
        }
        // the bytes hashed are the bytes parsed when the record was kept: still UTF-8
        let text = super::decode::utf8(bytes)?;
        return match read_document(input, Text::Given(text), shared) {
            Ok(document) if input.is_empty() => {
                contents.documents.push(document);
                Ok(contents)
            }
            Ok(document) => Err(document.into_text().into_bytes()),
            Err(text) => Err(text.unwrap_or_default().into_bytes()),
        };
    }
    for _ in 0..count {
        match read_document(input, Text::Kept, shared) {
            Ok(document) => contents.documents.push(document),
            Err(_) => return Err(bytes),
        }
    }
    if input.is_empty() { Ok(contents) } else { Err(bytes) }
}

type FileHead = (Option<String>, Vec<LikertAnswer>, bool, usize);

/// What a file's restored documents and Likert answers share, as its parse shared them:
/// one copy of each text the record repeats ([`RepeatedTexts`]), a questionnaire's scale,
/// and a row's speaker.
struct Sharing {
    /// The texts the record wrote out, in order, which later ones name by number.
    texts: Vec<Arc<str>>,
    /// The last scale, by the numbers of its labels.
    scale: Option<(Vec<usize>, Arc<[String]>)>,
    /// The last document's speakers.
    speakers: Vec<Arc<Speaker>>,
    /// How many more bytes of the texts may be copied (into a path, a wave, a participant
    /// list, a scale): four bytes of a record name a text of any length, and a damaged
    /// record naming a long one again and again is not to take more memory than records
    /// whose every text is written out do.
    copyable: usize,
}

impl Sharing {
    /// For a record of `length` bytes: what it copies, at most twice its length (a
    /// record's own copies are less than it holds: an answer's path and participant are
    /// parts of its id) and a mebibyte.
    fn for_record(length: usize) -> Sharing {
        let copyable = length.saturating_mul(2).saturating_add(1 << 20);
        Sharing { texts: Vec::new(), scale: None, speakers: Vec::new(), copyable }
    }

    /// A copy of `text`, if the record may make one.
    fn copy(&mut self, text: &str) -> Option<String> {
        self.copyable = self.copyable.checked_sub(text.len())?;
        Some(text.to_owned())
    }

    /// The number of the text that `head` (the number just read) begins or names.
    fn text_after(&mut self, input: &mut Reader<'_>, head: u32) -> Option<usize> {
        if head & WRITTEN_BEFORE != 0 {
            let number = (head & !WRITTEN_BEFORE) as usize;
            return (number < self.texts.len()).then_some(number);
        }
        self.texts.push(input.text_of(head)?.into());
        Some(self.texts.len() - 1)
    }

    /// The next text, written out or named.
    fn text(&mut self, input: &mut Reader<'_>) -> Option<Arc<str>> {
        let head = input.u32()?;
        let number = self.text_after(input, head)?;
        Some(Arc::clone(&self.texts[number]))
    }

    fn optional_text(&mut self, input: &mut Reader<'_>) -> Option<Option<Arc<str>>> {
        match input.u32()? {
            NONE => Some(None),
            head => {
                let number = self.text_after(input, head)?;
                Some(Some(Arc::clone(&self.texts[number])))
            }
        }
    }

    /// The next scale: the last one again when its labels are the last one's.
    fn scale(&mut self, input: &mut Reader<'_>) -> Option<Arc<[String]>> {
        let labels = (0..input.u32()?)
            .map(|_| {
                let head = input.u32()?;
                self.text_after(input, head)
            })
            .collect::<Option<Vec<usize>>>()?;
        if let Some((last, scale)) = &self.scale
            && *last == labels
        {
            return Some(Arc::clone(scale));
        }
        let scale: Arc<[String]> = (labels.iter())
            .map(|&n| self.copy(&Arc::clone(&self.texts[n])))
            .collect::<Option<_>>()?;
        self.scale = Some((labels, Arc::clone(&scale)));
        Some(scale)
    }

    /// The speaker `(label, role, participant)`: the last document's, if one of its first
    /// few is alike (a questionnaire's answers have one each; looking through all of a
    /// damaged record's would take the square of their number).
    fn speaker(
        &mut self,
        (label, role, participant): (Arc<str>, Role, Option<Arc<str>>),
    ) -> Arc<Speaker> {
        let alike = |known: &&Arc<Speaker>| {
            (&*known.label, known.role, known.participant.as_deref())
                == (&*label, role, participant.as_deref())
        };
        match self.speakers.iter().take(4).find(alike) {
            Some(known) => Arc::clone(known),
            None => Arc::new(Speaker { label, role, participant }),
        }
    }
}

fn read_file_head(input: &mut Reader<'_>, shared: &mut Sharing) -> Option<FileHead> {
    let warning = optional_text(input)?;
    let mut likert = Vec::new();
    for _ in 0..input.u32()? {
        likert.push(LikertAnswer {
            source: shared.text(input)?,
            participant: shared.text(input)?,
            wave: shared.optional_text(input)?,
            item: shared.text(input)?,
            level: optional_number(input)?,
            scale: shared.scale(input)?,
        });
    }
    let text_as_read = input.u32()? == 1;
    Some((warning, likert, text_as_read, input.u32()? as usize))
}

/// Where a restored document's text comes from.
enum Text {
    /// The file's bytes, just read.
    Given(String),
    /// The record.
    Kept,
    /// The file, when asked for.
    Deferred(DeferredText),
}

/// A document from its record, with its text as `text` says; a given text back when the
/// record does not hold together.
fn read_document(
    input: &mut Reader<'_>,
    text: Text,
    shared: &mut Sharing,
) -> Result<Document, Option<String>> {
    let Some(head) = read_document_head(input, shared) else {
        return Err(match text {
            Text::Given(text) => Some(text),
            Text::Kept | Text::Deferred(_) => None,
        });
    };
    let (text, deferred) = match text {
        Text::Given(text) => (text, None),
        Text::Kept => match input.text() {
            Some(stored) => (stored.to_owned(), None),
            None => return Err(None),
        },
        Text::Deferred(deferred) => (String::new(), Some(deferred)),
    };
    let mut document = Document::new(head.id, head.path, head.kind, text, 0);
    if let Some(deferred) = deferred {
        document = document.deferring_text(deferred);
    }
    document.wave = head.wave;
    document.participants = head.participants;
    document.attributes = head.attributes;
    match read_document_body(input, &mut document, shared) {
        Some(()) => Ok(document),
        None if document.text_is_read() => Err(Some(document.into_text())),
        None => Err(None),
    }
}

struct DocumentHead {
    id: String,
    path: PathBuf,
    kind: DocumentKind,
    wave: Option<String>,
    participants: Vec<String>,
    attributes: Attributes,
}

fn read_document_head(input: &mut Reader<'_>, shared: &mut Sharing) -> Option<DocumentHead> {
    let id = input.text()?.to_owned();
    let path = shared.text(input)?;
    let path = PathBuf::from(shared.copy(&path)?);
    let kind = DocumentKind::from_name(&shared.text(input)?)?;
    let wave = match shared.optional_text(input)? {
        Some(wave) => Some(shared.copy(&wave)?),
        None => None,
    };
    let participants = (0..input.u32()?)
        .map(|_| shared.text(input).and_then(|participant| shared.copy(&participant)))
        .collect::<Option<_>>()?;
    // read in the map's order, but a damaged record's entries may come in any
    let attributes = (0..input.u32()?)
        .map(|_| Some((shared.text(input)?, shared.text(input)?)))
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .collect();
    Some(DocumentHead { id, path, kind, wave, participants, attributes })
}

/// The rest of a document's record into `document`, whose text is in place (or deferred):
/// every range checked to lie on the text's character boundaries (a deferred text's are
/// checked when it is read), so nothing read can make a slice of it panic.
fn read_document_body(
    input: &mut Reader<'_>,
    document: &mut Document,
    shared: &mut Sharing,
) -> Option<()> {
    let checked = &*document;
    let in_text = |range: Range<usize>| {
        (range.start <= range.end
            && checked.is_char_boundary(range.start)
            && checked.is_char_boundary(range.end))
        .then_some(range)
    };
    let preamble = match input.u32()? {
        NONE => None,
        start => Some(in_text(start as usize..input.u32()? as usize)?),
    };
    let line_base = input.u32()? as usize;
    let line_map = match input.u32()? {
        NONE => None,
        count => Some(input.u32s(count as usize)?.into_iter().map(|n| n as usize).collect()),
    };
    let mut speakers = Vec::new();
    for _ in 0..input.u32()? {
        let label = shared.text(input)?;
        let role = role_of(input.u32()?)?;
        let participant = shared.optional_text(input)?;
        speakers.push(shared.speaker((label, role, participant)));
    }
    let count = input.u32()? as usize;
    let mut turns = Vec::with_capacity(count.min(input.remaining() / 16));
    // noted once the text's checks are done with (they borrow the document)
    let mut timestamps = Vec::new();
    for number in 0..count {
        let speaker = input.u32()?;
        speakers.get(speaker as usize)?;
        let text = in_text(input.u32()? as usize..input.u32()? as usize)?;
        let timestamp = in_text(input.u32()? as usize..input.u32()? as usize)?;
        turns.push(Turn::new(speaker, text));
        if !timestamp.is_empty() {
            timestamps.push((number, timestamp));
        }
    }
    document.preamble = preamble;
    document.line_base = line_base;
    document.line_map = line_map;
    document.turns = turns;
    shared.speakers.clone_from(&speakers);
    document.speakers = speakers;
    for (number, timestamp) in timestamps {
        document.note_timestamp(number, timestamp);
    }
    Some(())
}

fn role_number(role: Role) -> u32 {
    match role {
        Role::Interviewer => 0,
        Role::Participant => 1,
        Role::Anonymous => 2,
    }
}

fn role_of(number: u32) -> Option<Role> {
    [Role::Interviewer, Role::Participant, Role::Anonymous].get(number as usize).copied()
}

/// `n` as a u32 below [`NONE`], if it is one.
fn small(n: usize) -> Option<u32> {
    u32::try_from(n).ok().filter(|&n| n != NONE)
}

fn push_count(out: &mut Vec<u8>, n: usize) -> Option<()> {
    push_u32(out, small(n)?);
    Some(())
}

fn push_range(out: &mut Vec<u8>, range: &Range<usize>) -> Option<()> {
    push_u32(out, small(range.start)?);
    push_u32(out, small(range.end)?);
    Some(())
}

fn push_optional_text(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => push_text(out, text),
        None => push_u32(out, NONE),
    }
}

fn optional_text(input: &mut Reader<'_>) -> Option<Option<String>> {
    match input.u32()? {
        NONE => Some(None),
        length => Some(Some(input.text_of(length)?.to_owned())),
    }
}

fn optional_number(input: &mut Reader<'_>) -> Option<Option<usize>> {
    match input.u32()? {
        NONE => Some(None),
        n => Some(Some(n as usize)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, fixture_copy};
    use crate::study::Study;

    /// When one file changed, the others' records are carried over from the kept parse of
    /// the inputs before, and the study reads as a fresh parse of it does; when
    /// participants.csv changed, nothing is carried.
    #[test]
    fn the_unchanged_files_parse_is_carried_over() {
        let (dir, study) = fixture_copy("mini");
        Corpus::load(&study).expect("parsed");
        let changed = dir.path().join("interviews/S01_pre.txt");
        let text = std::fs::read_to_string(&changed).expect("read");
        std::fs::write(&changed, format!("{text}S01: One more turn about my mentor.\n"))
            .expect("written");
        // the inputs now, from a parse that keeps nothing
        let (fresh_dir, fresh) = fixture_copy("mini");
        std::fs::copy(&changed, fresh_dir.path().join("interviews/S01_pre.txt")).expect("copy");
        std::fs::remove_dir(fresh_dir.path().join(".qualkit")).expect("no cache");
        let parsed = Corpus::load(&fresh).expect("parsed afresh");
        let snapshot = Snapshot::open(&study, &parsed.inputs);
        assert!(!snapshot.is_kept(), "the inputs changed");
        let (_, held) = snapshot.before.as_ref().expect("a parse to carry from");
        let files: Vec<&std::path::PathBuf> =
            study.sources.iter().flat_map(|source| &source.files).collect();
        assert_eq!(held.len(), files.len());
        for (file, held) in files.iter().zip(held) {
            let is_changed = file.ends_with("S01_pre.txt");
            assert_eq!(held.is_none(), is_changed, "{file:?}");
        }
        drop(snapshot);
        let carried = Corpus::load(&study).expect("read with the others carried");
        assert_eq!(format!("{:?}", carried.documents), format!("{:?}", parsed.documents));
        assert_eq!(carried.likert, parsed.likert);
        // who is who may change with participants.csv: nothing carried
        for root in [dir.path(), fresh_dir.path()] {
            let participants = root.join("participants.csv");
            let mut table = std::fs::read(&participants).expect("read");
            table.extend_from_slice(b"\n");
            std::fs::write(&participants, table).expect("written");
        }
        let inputs = Corpus::load(&fresh).expect("parsed afresh").inputs;
        let snapshot = Snapshot::open(&study, &inputs);
        assert!(!snapshot.is_kept() && snapshot.before.is_none(), "participants.csv changed");
    }

    /// Texts a record repeats are written once and then named: read back, each is the text
    /// written and a repeat is the first copy; an absent text is `None`; a number naming a
    /// text not yet written, or a text cut short, does not read.
    #[test]
    fn repeated_texts_are_written_once_and_read_back_shared() {
        let texts = ["school", "North", "", "school", "é ü", "North", "school"];
        let mut out = Vec::new();
        let mut repeated = RepeatedTexts::default();
        for text in texts {
            repeated.push(&mut out, text).expect("written");
        }
        repeated.push_optional(&mut out, None).expect("absent");
        repeated.push_optional(&mut out, Some("North")).expect("named");
        let written_out: usize = ["school", "North", "", "é ü"].iter().map(|t| 4 + t.len()).sum();
        assert_eq!(out.len(), written_out + 4 * 5, "three repeats, an absence and a repeat named");
        let (mut input, mut shared) = (Reader::new(&out), Sharing::for_record(out.len()));
        let read: Vec<Arc<str>> =
            texts.iter().map(|_| shared.text(&mut input).expect("read")).collect();
        assert_eq!(read.iter().map(|t| &**t).collect::<Vec<_>>(), texts);
        assert!(Arc::ptr_eq(&read[0], &read[3]) && Arc::ptr_eq(&read[0], &read[6]));
        assert!(Arc::ptr_eq(&read[1], &read[5]));
        assert_eq!(shared.optional_text(&mut input), Some(None));
        let north = shared.optional_text(&mut input).expect("read").expect("present");
        assert!(Arc::ptr_eq(&north, &read[1]));
        assert!(input.is_empty());
        // an absence where a text must be; a long text named more often than a record may copy
        let mut bytes = Vec::new();
        push_u32(&mut bytes, NONE);
        assert!(Sharing::for_record(bytes.len()).text(&mut Reader::new(&bytes)).is_none());
        let (long, mut bytes) = ("x".repeat(1000), Vec::new());
        let mut repeated = RepeatedTexts::default();
        for _ in 0..2000 {
            repeated.push(&mut bytes, &long).expect("written once, then named");
        }
        assert_eq!(bytes.len(), 1004 + 4 * 1999);
        let (mut input, mut shared) = (Reader::new(&bytes), Sharing::for_record(bytes.len()));
        let mut copies = 0;
        while let Some(text) = shared.text(&mut input) {
            if shared.copy(&text).is_none() {
                break;
            }
            copies += 1;
        }
        assert!(copies < 2000 && copies * 1000 <= 2 * bytes.len() + (1 << 20), "{copies}");
        // a name of the third text, of which two were written; a length past the end
        for bad in [WRITTEN_BEFORE | 2, 3] {
            let mut bytes = Vec::new();
            let mut repeated = RepeatedTexts::default();
            repeated.push(&mut bytes, "school").expect("written");
            repeated.push(&mut bytes, "North").expect("written");
            push_u32(&mut bytes, bad);
            bytes.extend_from_slice(b"ab");
            let (mut input, mut shared) = (Reader::new(&bytes), Sharing::for_record(bytes.len()));
            for _ in 0..2 {
                shared.text(&mut input).expect("the texts written out");
            }
            assert!(shared.text(&mut input).is_none(), "{bad:#x}");
        }
    }

    /// A questionnaire's answers share what their file and row share, parsed and restored
    /// from the kept parse alike: a row's answers one speaker, whose label is its
    /// participant; every answer the name `question` and its column's name; the row's
    /// attribute values; the Likert answers their file, wave, items and scale, and a row's
    /// its respondent. (A survey has hundreds of thousands of answers: a copy of each
    /// string in every one was most of its memory.)
    #[test]
    fn a_questionnaires_answers_share_their_strings() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
        write(
            "study.toml",
            "format = 1\nname = \"s\"\n[participants]\nfile = \"p.csv\"\n\n[[sources]]\n\
             path = \"q.csv\"\nkind = \"questionnaire\"\nrespondent = \"id\"\nwave = \"pre\"\n\
             open = [\"why\", \"how\"]\n\
             likert = { columns = [\"q1\", \"q2\"], scale = [\"No\", \"Yes\"] }\n",
        )
        .expect("study.toml");
        write("p.csv", "id,school\nR1,North\nR2,North\n").expect("participants");
        write(
            "q.csv",
            "id,class,why,how,q1,q2\nR1,11A,To learn.,Weekly.,Yes,No\nR2,11A,Help.,Often.,No,Yes\n",
        )
        .expect("questionnaire");
        let study = Study::load(dir.path()).expect("study");
        std::fs::create_dir(study.cache_dir()).expect(".qualkit, where the parse is kept");
        let parsed = Corpus::load(&study).expect("parsed");
        // restored from the record itself (a study read again would parse a file whose
        // record does not read, and the parse shares too)
        let snapshot = Snapshot::open(&study, &parsed.inputs);
        let bytes = std::fs::read(dir.path().join("q.csv")).expect("read");
        let restored = snapshot.restore(0, bytes).unwrap_or_else(|_| panic!("restored"));
        let shared = |a: &Arc<str>, b: &Arc<str>| Arc::ptr_eq(a, b);
        let participants: Vec<&[(Arc<str>, Arc<str>)]> =
            parsed.participants.by_id.values().map(|p| p.attributes.entries()).collect();
        let (first, second) = (&participants[0][0], &participants[1][0]);
        assert_eq!((&*first.0, &*first.1, &*second.1), ("school", "North", "North"));
        assert!(shared(&first.0, &second.0) && shared(&first.1, &second.1), "participants");
        for (answers, likert) in
            [(&parsed.documents, &parsed.likert), (&restored.documents, &restored.likert)]
        {
            assert_eq!(answers.len(), 4, "two answers a row");
            let entries = |n: usize| -> Vec<&(Arc<str>, Arc<str>)> {
                answers[n].attributes.entries().iter().collect()
            };
            let (first, second, other_row) = (entries(0), entries(1), entries(2));
            assert_eq!(
                answers[0].attributes.iter().collect::<Vec<_>>(),
                [("class", "11A"), ("question", "why")]
            );
            assert!(
                shared(&first[0].0, &other_row[0].0) && shared(&first[0].1, &other_row[0].1),
                "class"
            );
            assert!(shared(&first[1].0, &second[1].0), "the name `question`");
            assert!(shared(&first[1].1, &other_row[1].1), "the column `why`");
            let speaker = |n: usize| &answers[n].speakers[0];
            assert!(Arc::ptr_eq(speaker(0), speaker(1)), "one speaker a row");
            assert!(!Arc::ptr_eq(speaker(1), speaker(2)), "a speaker a row");
            let participant = speaker(0).participant.as_ref().expect("a participant");
            assert!(shared(&speaker(0).label, participant), "labelled by its participant");
            assert_eq!(likert.len(), 4, "two items a row");
            assert!(shared(&likert[0].participant, &speaker(0).label), "the row's respondent");
            for (a, b) in likert.iter().zip(&likert[1..]) {
                assert!(shared(&a.source, &b.source) && Arc::ptr_eq(&a.scale, &b.scale));
                assert!(shared(a.wave.as_ref().expect("pre"), b.wave.as_ref().expect("pre")));
            }
            assert!(shared(&likert[0].participant, &likert[1].participant), "a row's respondent");
            assert!(shared(&likert[0].item, &likert[2].item), "an item");
        }
        assert_eq!(format!("{:?}", restored.documents), format!("{:?}", parsed.documents));
        assert_eq!(restored.likert, parsed.likert);
    }

    /// Every file of studies with every input format (plain, legacy and UTF-16 text, Word,
    /// subtitles, questionnaires with open answers and Likert items) restores from the kept
    /// parse to exactly what parsing gave, and a second read of the study is the first.
    #[test]
    fn a_kept_parse_restores_to_the_parse() {
        for name in ["formats", "mini"] {
            let (_dir, study) = fixture_copy(name);
            let parsed = Corpus::load(&study).expect("parsed");
            let snapshot = Snapshot::open(&study, &parsed.inputs);
            assert!(snapshot.is_kept(), "{name}: kept once .qualkit exists");
            let files = study.sources.iter().flat_map(|source| &source.files);
            let mut restored = FileContents::default();
            for (n, file) in files.enumerate() {
                let bytes = std::fs::read(study.resolve(file)).expect("read");
                let contents = snapshot.restore(n, bytes).unwrap_or_else(|_| panic!("{file:?}"));
                restored.documents.extend(contents.documents);
                restored.likert.extend(contents.likert);
                restored.warning = restored.warning.or(contents.warning);
            }
            assert_eq!(format!("{:?}", restored.documents), format!("{:?}", parsed.documents));
            assert_eq!(restored.likert, parsed.likert, "{name}");
            assert!(parsed.documents.iter().any(|d| d.turns.len() > 1), "{name}: turns");
            let again = Corpus::load(&study).expect("read again");
            assert_eq!(format!("{again:?}"), format!("{parsed:?}"), "{name}");
        }
        // the fixtures hold every kind of text: taken from the file, and stored
        let (_dir, study) = fixture_copy("formats");
        let warnings = Corpus::load(&study).expect("parsed").warnings;
        assert!(!warnings.is_empty(), "a guessed encoding is warned of again");
        let again = Corpus::load(&study).expect("restored");
        assert_eq!(again.warnings, warnings);
    }

    /// Once the study's stamps have settled (see `hashes`), a read that defers texts leaves
    /// each transcript whose text is its file's bytes in the file, and restores everything
    /// else as a full read does; a deferred text asked for is the file's. A file written
    /// after the read reads as spaces of the text's length, and `check_texts` names it.
    #[test]
    fn deferred_texts_are_read_when_asked_for_and_a_changed_file_is_named() {
        let studies = [fixture_copy("mini"), fixture_copy("formats")];
        let parsed: Vec<Corpus> =
            studies.iter().map(|(_, study)| Corpus::load(study).expect("parsed")).collect();
        // hashes are remembered with stamps older than two whole seconds
        std::thread::sleep(std::time::Duration::from_millis(3100));
        for ((_, study), parsed) in studies.iter().zip(&parsed) {
            Corpus::load(study).expect("hashes remembered");
            let deferred = Corpus::load_deferring_texts(study).expect("deferred");
            assert_eq!(deferred.inputs, parsed.inputs);
            assert_eq!(deferred.documents.len(), parsed.documents.len());
            let unread = deferred.documents.iter().filter(|d| !d.text_is_read()).count();
            let transcripts =
                parsed.documents.iter().filter(|d| d.path.extension().is_some_and(|e| e == "txt"));
            // mini's UTF-8 transcripts (not one with `\r\n`); none of the converted formats
            let expected = if study.root.join("interviews/S01_pre.txt").is_file() { 2 } else { 0 };
            assert_eq!(unread, expected, "{} transcripts", transcripts.count());
            for (deferred, parsed) in deferred.documents.iter().zip(&parsed.documents) {
                assert_eq!(deferred.text_len(), parsed.text().len(), "{}", parsed.id);
                assert_eq!(format!("{:?}", deferred.turns), format!("{:?}", parsed.turns));
                assert_eq!(deferred.speakers, parsed.speakers, "{}", parsed.id);
                assert_eq!(deferred.preamble, parsed.preamble);
                assert_eq!(deferred.text(), parsed.text(), "{}", parsed.id);
            }
            deferred.check_texts().expect("every text as it was");
            // read in full, then let go: the same texts are read again when asked for
            let mut again = Corpus::load(study).expect("read");
            again.let_texts_go();
            let unread = again.documents.iter().filter(|d| !d.text_is_read()).count();
            assert_eq!(unread, expected, "let go");
            for (again, parsed) in again.documents.iter().zip(&parsed.documents) {
                assert_eq!(again.text_once(), parsed.text(), "{}", parsed.id);
                assert!(!again.text_is_read() || again.deferred.is_none(), "kept by text_once");
                assert_eq!(again.text(), parsed.text(), "{}", parsed.id);
            }
            again.check_texts().expect("every text as it was");
            // loaded cold for passes over its documents: the texts a large study reads are
            // let go once parsed, a small study's kept
            for (large, unread) in [(0, expected), (u64::MAX, 0)] {
                std::fs::remove_dir_all(study.cache_dir()).expect("no hashes or parse kept");
                std::fs::create_dir(study.cache_dir()).expect(".qualkit");
                let loaded = Corpus::load_letting_texts_go_from(study, large).expect("loaded");
                let left = loaded.documents.iter().filter(|d| !d.text_is_read()).count();
                assert_eq!(left, unread, "texts let go from {large} bytes");
                assert_eq!(loaded.inputs, parsed.inputs);
                for (loaded, parsed) in loaded.documents.iter().zip(&parsed.documents) {
                    assert_eq!(loaded.text(), parsed.text(), "{}", parsed.id);
                }
            }
        }
        let (dir, study) = &studies[0];
        let deferred = Corpus::load_deferring_texts(study).expect("deferred");
        let document = deferred.documents.iter().find(|d| !d.text_is_read()).expect("deferred");
        let file = dir.path().join(&document.path);
        let text = std::fs::read_to_string(&file).expect("text");
        std::fs::write(&file, text.replacen("a", "b", 1)).expect("changed");
        assert_eq!(document.text(), " ".repeat(text.len()));
        let error = deferred.check_texts().expect_err("a changed file").to_string();
        assert!(error.contains(&document.path.display().to_string()), "{error}");
        assert!(error.contains("changed while qualkit was reading the study"), "{error}");
    }

    /// The kept parse is of the manifest as well as the files: a setting changed in
    /// study.toml (here a source's kind) is parsed anew, not restored.
    #[test]
    fn a_changed_manifest_is_parsed_anew() {
        let (dir, study) = fixture_copy("mini");
        let kind_of = |corpus: &Corpus| {
            let interview = corpus.documents.iter().find(|d| d.id.starts_with("interviews/"));
            interview.map(|d| d.kind)
        };
        let parsed = Corpus::load(&study).expect("parsed");
        assert_eq!(kind_of(&parsed), Some(DocumentKind::Interview));
        assert!(Snapshot::open(&study, &parsed.inputs).is_kept());
        let manifest = dir.path().join("study.toml");
        let text = std::fs::read_to_string(&manifest).expect("manifest");
        let changed = text.replacen("kind = \"interview\"", "kind = \"focus_group\"", 1);
        assert_ne!(changed, text);
        std::fs::write(&manifest, changed).expect("manifest written");
        let study = Study::load(dir.path()).expect("study");
        let again = Corpus::load(&study).expect("parsed anew");
        assert_eq!(kind_of(&again), Some(DocumentKind::FocusGroup));
    }

    /// A record that does not hold together (cut short or run on, a turn or preamble outside
    /// the text, backwards, or inside a character) restores nothing and hands the file's
    /// bytes back.
    #[test]
    fn a_record_that_does_not_hold_together_gives_the_bytes_back() {
        let (_dir, study) = fixture_copy("mini");
        let source = &study.sources[0];
        let file = &source.files[0];
        let bytes = std::fs::read(study.resolve(file)).expect("read");
        let participants = crate::corpus::Participants::parse(
            &study.participants.file,
            &std::fs::read(study.resolve(&study.participants.file)).expect("participants"),
            &study.participants,
        )
        .expect("participants");
        let mut contents =
            super::super::parse_file(&study, &participants, source, file, bytes.clone())
                .expect("parsed");
        assert!(contents.text_as_read, "a plain UTF-8 transcript");
        let record = file_record(&contents).expect("kept");
        let restored = read_file(&mut Reader::new(&record), bytes.clone()).expect("restored");
        assert_eq!(format!("{:?}", restored.documents), format!("{:?}", contents.documents));
        for cut in [0, 1, record.len() / 2, record.len() - 1] {
            let back = read_file(&mut Reader::new(&record[..cut]), bytes.clone());
            assert_eq!(back.err().as_ref(), Some(&bytes), "cut at {cut}");
        }
        let longer = [record.as_slice(), &[0]].concat();
        assert_eq!(read_file(&mut Reader::new(&longer), bytes.clone()).err(), Some(bytes.clone()));
        let text = contents.documents[0].text.clone();
        let wrong: [fn(&mut Document); 3] = [
            |d| {
                let (text, length) = (d.turns[0].text(), d.text_len());
                d.turns[0].set_text(text.start..length + 1);
            },
            |d| {
                let text = d.turns[0].text();
                d.turns[0].set_text(text.end..text.start);
            },
            |d| d.preamble = Some(0..d.text_len() + 1),
        ];
        for (n, make_wrong) in wrong.iter().enumerate() {
            let mut document = contents.documents[0].clone();
            make_wrong(&mut document);
            let record = file_record(&FileContents {
                documents: vec![document],
                text_as_read: true,
                ..FileContents::default()
            })
            .expect("kept");
            let back = read_file(&mut Reader::new(&record), bytes.clone());
            assert_eq!(back.err().as_ref(), Some(&bytes), "wrong record {n}");
        }
        // a turn starting inside the `é` of a stored text
        let mut accented = crate::corpus::of_lines(&["caf\u{e9} au lait"]).documents;
        let record = |documents: Vec<Document>| {
            file_record(&FileContents { documents, ..FileContents::default() }).expect("kept")
        };
        assert!(read_file(&mut Reader::new(&record(accented.clone())), Vec::new()).is_ok());
        accented[0].turns[0].text.start = 4;
        assert!(read_file(&mut Reader::new(&record(accented)), Vec::new()).is_err());
        // stored text (not the file's bytes) restores as stored
        contents.text_as_read = false;
        let record = file_record(&contents).expect("kept");
        let restored = read_file(&mut Reader::new(&record), Vec::new()).expect("restored");
        assert_eq!(restored.documents[0].text, text);
    }
}
