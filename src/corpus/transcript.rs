//! Plain-text and Markdown transcripts → a [`Document`] of speaker turns.
//!
//! A turn starts with `Label:` at the beginning of a line, optionally after a timestamp
//! (`[00:01:23]`, `(00:01:23)`, `00:01:23`) and optionally in Markdown bold
//! (`**Interviewer:**`); following lines continue the turn. Labels are resolved in this order:
//! study.toml `[speakers] aliases`, the interviewer labels, participant ids, the respondent
//! labels (meaning the document's one participant). A label that resolves to nothing is an
//! error unless study.toml sets `unknown = "anonymous"`. Text before the first turn is kept
//! as an unattributed preamble. Who and when come from front matter, then from the file name
//! pattern, then from the source in study.toml.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::error::{Error, Position, Result};
use crate::study::{Source, Study, UnknownSpeakers};

use super::frontmatter::{self, FrontMatter};
use super::{Document, DocumentKind, Participants, Role, Speaker, Turn};

/// Labels have at most this many words; longer "labels" are speech containing a colon.
const MAX_LABEL_WORDS: usize = 3;

/// Labels have at most this many characters.
const MAX_LABEL_CHARS: usize = 40;

/// A turn start: optional timestamp, optional Markdown bold, a label, a colon, space. The
/// label's length is checked after the match ([`MAX_LABEL_CHARS`]), not by a bounded
/// repetition: forty copies of a Unicode class made an automaton so large that matching
/// it was a large share of reading a corpus. Both give the same turns (a property test holds
/// them to each other): the label is the shortest that a separator follows either way, and
/// no other branch of the pattern matches a line whose shortest label is too long.
static TURN_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^[ \t]*(?:[\[(]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?[ \t]+)?",
        r"(?:\*\*)?(?P<label>[\p{L}\p{N}][\p{L}\p{N} .'’_-]*?)[ \t]*",
        r"(?::\*\*|\*\*:|:)(?:[ \t]+|\n|$)"
    ))
    .expect("turn-start pattern is valid")
});

/// What a transcript is parsed against.
pub struct Context<'a> {
    /// The study (speaker aliases, waves).
    pub study: &'a Study,
    /// Known participants.
    pub participants: &'a Participants,
    /// The source the file belongs to.
    pub source: &'a Source,
    /// The file-name pattern, e.g. `{participant}_{wave}`.
    pub name_pattern: Option<&'a str>,
    /// No speaker labels: the body is one turn by the document's participant.
    pub whole: bool,
}

/// Parse a transcript's decoded `text`; `path` is relative to the study.
///
/// # Errors
/// Unsupported extensions, broken front matter, unknown participants or waves, unknown
/// speaker labels (every one in the file), a file-name pattern that does not match, and a
/// transcript without turns.
pub fn parse(context: &Context<'_>, path: &Path, text: String) -> Result<Document> {
    check_extension(path)?;
    let front = frontmatter::parse(path, &text)?.unwrap_or_default();
    let from_name = match context.name_pattern {
        Some(pattern) => name_fields(path, pattern)?,
        None => BTreeMap::new(),
    };
    let id = path.to_string_lossy().replace('\\', "/");
    let mut document = Document::new(id, path.to_path_buf(), context.source.kind, text, 0);
    describe(context, path, &front, &from_name, &mut document)?;
    let body_start = front.end;
    if context.whole {
        whole_turn(path, body_start, &mut document)?;
    } else {
        parse_turns(context, path, body_start, &mut document)?;
    }
    Ok(document)
}

fn check_extension(path: &Path) -> Result<()> {
    let extension =
        path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if matches!(extension.as_str(), "txt" | "md" | "markdown" | "docx" | "odt" | "vtt" | "srt") {
        return Ok(());
    }
    Err(Error::input(
        path,
        None,
        format!(
            "unsupported transcript format `.{extension}`; expected .txt, .md, .docx, .odt, .vtt or .srt"
        ),
    ))
}

/// A file-name pattern compiled: the regex and its field names, in order.
type NamePattern = std::rc::Rc<(Regex, Vec<String>)>;

thread_local! {
    /// Patterns compiled on this thread: a study has thousands of files and a few patterns,
    /// and compiling one costs more than parsing a short transcript.
    static NAME_PATTERNS: std::cell::RefCell<HashMap<String, NamePattern>> =
        std::cell::RefCell::new(HashMap::new());
}

/// `pattern` (`{participant}_{wave}`) as a regex with one group per field.
fn name_pattern(path: &Path, pattern: &str) -> Result<NamePattern> {
    if let Some(compiled) = NAME_PATTERNS.with(|cache| cache.borrow().get(pattern).cloned()) {
        return Ok(compiled);
    }
    let mut regex = String::from("^");
    let mut names = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        regex.push_str(&regex::escape(&rest[..open]));
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            Error::input(path, None, format!("file-name pattern `{pattern}` has an unclosed `{{`"))
        })?;
        names.push(rest[open + 1..close].to_owned());
        regex.push_str("(.+?)");
        rest = &rest[close + 1..];
    }
    regex.push_str(&regex::escape(rest));
    regex.push('$');
    let compiled = Regex::new(&regex).map_err(|e| Error::input(path, None, e.to_string()))?;
    let compiled = std::rc::Rc::new((compiled, names));
    NAME_PATTERNS.with(|cache| {
        let mut cache = cache.borrow_mut();
        // bounded: a fuzzer, or a tool calling the library in a loop, meets endless patterns
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(pattern.to_owned(), compiled.clone());
    });
    Ok(compiled)
}

/// Fields from the file stem matched against a pattern like `{participant}_{wave}`.
fn name_fields(path: &Path, pattern: &str) -> Result<BTreeMap<String, String>> {
    let compiled = name_pattern(path, pattern)?;
    let (compiled, names) = (&compiled.0, &compiled.1);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let captures = compiled.captures(&stem).ok_or_else(|| {
        Error::input(
            path,
            None,
            format!("file name `{stem}` does not match the source's pattern `{pattern}`"),
        )
        .with_hint("rename the file, or give participant and wave in front matter")
    })?;
    Ok(names
        .iter()
        .zip(captures.iter().skip(1))
        .filter_map(|(name, value)| value.map(|v| (name.clone(), v.as_str().to_owned())))
        .collect())
}

/// Fill in participants, wave, kind and attributes from front matter and file name.
fn describe(
    context: &Context<'_>,
    path: &Path,
    front: &FrontMatter,
    from_name: &BTreeMap<String, String>,
    document: &mut Document,
) -> Result<()> {
    let mut errors = Vec::new();
    let listed = front.get("participants").or_else(|| front.get("participant"));
    let (ids, line) = match listed {
        Some((value, line)) => (value.items(), line),
        None => (from_name.get("participant").cloned().into_iter().collect(), 1),
    };
    for id in ids {
        if context.participants.get(&id).is_none() {
            errors.push(Error::at_line(
                path,
                line,
                format!("participant `{id}` is not in participants.csv"),
            ));
        } else if !document.participants.contains(&id) {
            document.participants.push(id);
        }
    }
    let wave = front
        .get("wave")
        .map(|(v, line)| (v.items().join(","), line))
        .or_else(|| from_name.get("wave").map(|w| (w.clone(), 1)))
        .or_else(|| context.source.wave.clone().map(|w| (w, 1)));
    if let Some((wave, line)) = wave {
        let waves = &context.study.waves;
        if !waves.is_empty() && !waves.contains(&wave) {
            errors.push(Error::at_line(
                path,
                line,
                format!("wave `{wave}` is not one of the study's waves ({})", waves.join(", ")),
            ));
        }
        document.wave = Some(wave);
    }
    if let Some((kind, line)) = front.get("kind") {
        let name = kind.items().join(",");
        match DocumentKind::from_name(&name) {
            Some(kind) => document.kind = kind,
            None => errors.push(Error::at_line(
                path,
                line,
                format!(
                    "unknown kind `{name}`; expected one of {}",
                    DocumentKind::NAMES.join(", ")
                ),
            )),
        }
    }
    let reserved = ["participant", "participants", "wave", "kind"];
    for (key, value) in from_name {
        if !reserved.contains(&key.as_str()) {
            document.attributes.insert(key.clone(), value.clone());
        }
    }
    for (key, value, _) in &front.fields {
        if !reserved.contains(&key.as_str()) {
            document.attributes.insert(key.clone(), value.items().join(", "));
        }
    }
    Error::collect(errors)
}

/// The whole body as one turn by the document's (first) participant: text from other tools
/// without speaker labels.
fn whole_turn(path: &Path, body_start: usize, document: &mut Document) -> Result<()> {
    let Some(participant) = document.participants.first().cloned() else {
        return Err(Error::at_line(
            path,
            1,
            "`turns = \"whole\"` needs the document's participant (file name or front matter)",
        ));
    };
    let text = trim_range(document.text(), body_start..document.text().len());
    let speaker = Arc::new(Speaker {
        label: participant.as_str().into(),
        role: Role::Participant,
        participant: Some(participant.into()),
    });
    document.turns = vec![Turn::new(document.speaker_number(&speaker), text)];
    Ok(())
}

/// Split the body into a preamble and turns.
fn parse_turns(
    context: &Context<'_>,
    path: &Path,
    body_start: usize,
    document: &mut Document,
) -> Result<()> {
    let mut errors = Vec::new();
    let mut reported = Vec::new();
    let mut turns: Vec<Turn> = Vec::new();
    let mut first_turn_line = None;
    let mut offset = body_start;
    // taken out while turns are added to the document and put back below, rather than
    // copied: a copy of every transcript's text, for nothing
    let text = document.take_text();
    let mut speakers: Vec<(String, Arc<Speaker>)> = Vec::new();
    for line in text[body_start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let continues = |turns: &mut Vec<Turn>| {
            if let Some(turn) = turns.last_mut() {
                turn.set_text(turn.text().start..line_start + line.len());
            }
        };
        let Some((label, time, content_start)) = turn_start(line).or_else(|| bracket_start(line))
        else {
            continues(&mut turns);
            continue;
        };
        let bracketed = line.trim_start().starts_with('[') && turn_start(line).is_none();
        // a transcript repeats a few labels hundreds of times: each resolved once, its
        // speaker shared by its turns (resolved again once the participants change)
        let resolved = match speakers.iter().find(|(known, _)| known == label) {
            Some((_, speaker)) => Ok(speaker.clone()),
            None => {
                let resolved = resolve(context, document, label).map(Arc::new);
                if let Ok(speaker) = &resolved {
                    speakers.push((label.to_owned(), speaker.clone()));
                }
                resolved
            }
        };
        let speaker = match resolved {
            // `[laughs] yeah` at the start of a line is a mark, not a speaker
            Ok(speaker) if bracketed && speaker.role == Role::Anonymous => {
                continues(&mut turns);
                continue;
            }
            Ok(speaker) => speaker,
            Err(_) if bracketed => {
                continues(&mut turns);
                continue;
            }
            Err(message) => {
                if !reported.contains(&label.to_owned()) {
                    reported.push(label.to_owned());
                    let position =
                        Position::of_offset(&text, line_start + line.find(label).unwrap_or(0));
                    errors.push(unknown_label_error(path, position, message));
                }
                continue;
            }
        };
        if let Some(id) = &speaker.participant
            && !document.participants.iter().any(|p| p.as_str() == &**id)
        {
            document.participants.push(id.to_string());
            speakers.clear();
        }
        first_turn_line.get_or_insert(line_start);
        // the timestamp is a slice of the line: where it is in the text
        if let Some(time) = time {
            let start = line_start + (time.as_ptr() as usize - line.as_ptr() as usize);
            document.note_timestamp(turns.len(), start..start + time.len());
        }
        let speaker = document.speaker_number(&speaker);
        turns.push(Turn::new(speaker, line_start + content_start..line_start + line.len()));
    }
    Error::collect(errors)?;
    if turns.is_empty() {
        return Err(Error::at_line(
            path,
            1,
            "no speaker turns; expected lines like `Interviewer: …` or `S01: …`",
        ));
    }
    for turn in &mut turns {
        turn.set_text(trim_range(&text, turn.text()));
    }
    let preamble_end = first_turn_line.unwrap_or(body_start);
    let preamble = trim_range(&text, body_start..preamble_end);
    document.preamble = (!preamble.is_empty()).then_some(preamble);
    turns.shrink_to_fit(); // held for the whole run: no spare capacity
    document.turns = turns;
    document.set_text(text);
    Ok(())
}

fn unknown_label_error(path: &Path, position: Position, message: String) -> Error {
    Error::input(path, Some(position), message).with_hint(
        "add the label to participants.csv or to [speakers] aliases in study.toml, or set \
         [speakers] unknown = \"anonymous\"",
    )
}

/// Whether a line starts a speaker turn (`Label: …`), whoever the label names.
pub(crate) fn starts_turn(line: &str) -> bool {
    turn_start(line).is_some()
}

/// `(label, timestamp, byte offset of the turn's text in the line)` for a turn-start line.
fn turn_start(line: &str) -> Option<(&str, Option<&str>, usize)> {
    // Every line of every transcript is tried: the capture slots are kept per thread and
    // the groups read by number (`time` is 1, `label` 2), not made and looked up per line.
    thread_local! {
        static LOCATIONS: std::cell::RefCell<regex::CaptureLocations> =
            std::cell::RefCell::new(TURN_START.capture_locations());
    }
    let (label, time, content_start) = match plain_turn_start(line) {
        Some((label, content_start)) => (label, None, content_start),
        None => LOCATIONS.with_borrow_mut(|locations| {
            let whole = TURN_START.captures_read(locations, line)?;
            let (label, time) = (locations.get(2)?, locations.get(1));
            let time = time.map(|(start, end)| &line[start..end]);
            Some((&line[label.0..label.1], time, whole.end()))
        })?,
    };
    // no more chars than bytes: most labels are counted without walking their chars
    if label.len() > MAX_LABEL_CHARS && label.chars().nth(MAX_LABEL_CHARS).is_some() {
        return None;
    }
    let label = label.trim_end();
    if label.split_whitespace().count() > MAX_LABEL_WORDS {
        return None;
    }
    Some((label, time, content_start))
}

/// The commonest turn start, `Label: text` with a label of ASCII letters and digits
/// (`Interviewer`, `S01`), read without the regex: [`TURN_START`] decides the same for such
/// a line, but its capture groups cost a backtracking search on every turn of every
/// transcript. `(label, byte offset of the turn's text)`; `None` for any other line.
fn plain_turn_start(line: &str) -> Option<(&str, usize)> {
    let bytes = line.as_bytes();
    let label_end = bytes.iter().position(|b| !b.is_ascii_alphanumeric())?;
    if label_end == 0 || bytes[label_end] != b':' {
        return None;
    }
    // the separator's trailing blanks, or a line break, or the end
    let after = &bytes[label_end + 1..];
    let blanks = match after.first() {
        None => 0,
        Some(b'\n') => 1,
        Some(b' ' | b'\t') => after.iter().take_while(|&&b| matches!(b, b' ' | b'\t')).count(),
        Some(_) => return None,
    };
    Some((&line[..label_end], label_end + 1 + blanks))
}

/// A `[label] text` turn start (QualCoder's convention); only a label that resolves to a
/// speaker counts, so transcription marks at the start of a line stay text.
fn bracket_start(line: &str) -> Option<(&str, Option<&str>, usize)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start().strip_prefix('[')?;
    let close = rest.find(']')?;
    let label = rest[..close].trim();
    let after = &rest[close + 1..];
    let valid = !label.is_empty()
        && label.split_whitespace().count() <= MAX_LABEL_WORDS
        && label.chars().count() <= 32
        && !label.contains(':')
        && (after.starts_with([' ', '\t', '\n']) || after.is_empty());
    if !valid {
        return None;
    }
    let content =
        indent + 1 + close + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
    Some((label, None, content))
}

/// Map a label to a speaker, or explain why it cannot be.
fn resolve(
    context: &Context<'_>,
    document: &Document,
    label: &str,
) -> std::result::Result<Speaker, String> {
    let config = &context.study.speakers;
    let speaker = |role, participant: Option<&str>| Speaker {
        label: label.into(),
        role,
        participant: participant.map(Arc::from),
    };
    let alias = config
        .aliases
        .iter()
        .find(|(k, _)| k.as_str() == label)
        .or_else(|| config.aliases.iter().find(|(k, _)| k.eq_ignore_ascii_case(label)));
    if let Some((_, target)) = alias {
        if target.eq_ignore_ascii_case("interviewer") {
            return Ok(speaker(Role::Interviewer, None));
        }
        return match context.participants.get(target) {
            Some(p) => Ok(speaker(Role::Participant, Some(&p.id))),
            None => Err(format!(
                "alias `{label}` names participant `{target}`, who is not in participants.csv"
            )),
        };
    }
    if config.interviewer.iter().any(|l| l.eq_ignore_ascii_case(label)) {
        return Ok(speaker(Role::Interviewer, None));
    }
    if let Some(p) = context.participants.get(label) {
        return Ok(speaker(Role::Participant, Some(&p.id)));
    }
    if let Some(p) = context.participants.by_id.values().find(|p| p.id.eq_ignore_ascii_case(label))
    {
        return Ok(speaker(Role::Participant, Some(&p.id)));
    }
    if config.respondent.iter().any(|l| l.eq_ignore_ascii_case(label)) {
        return match document.participants.as_slice() {
            [only] => Ok(speaker(Role::Participant, Some(only))),
            [] => Err(format!(
                "respondent label `{label}` but the document names no participant; \
                 expected front matter `participant: ID` or a file-name pattern with {{participant}}"
            )),
            _ => Err(format!(
                "respondent label `{label}` is ambiguous in a document with several participants ({})",
                document.participants.join(", ")
            )),
        };
    }
    match config.unknown {
        UnknownSpeakers::Anonymous => Ok(speaker(Role::Anonymous, None)),
        UnknownSpeakers::Error => {
            Err(format!("unknown speaker label `{label}`; expected a participant id or an alias"))
        }
    }
}

/// `range` without leading and trailing whitespace.
fn trim_range(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    if start >= end { start..start } else { start..end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_starts_with_timestamps_bold_and_short_labels() {
        assert_eq!(turn_start("Interviewer: hi\n").map(|t| t.0), Some("Interviewer"));
        assert_eq!(
            turn_start("[00:01:23] S01: yes\n").map(|t| (t.0, t.1)),
            Some(("S01", Some("00:01:23")))
        );
        assert_eq!(turn_start("00:01 Int: ok").map(|t| t.0), Some("Int"));
        assert_eq!(turn_start("**Interviewer:** hi").map(|t| t.0), Some("Interviewer"));
        assert_eq!(turn_start("Mrs. Patel: well").map(|t| t.0), Some("Mrs. Patel"));
        assert_eq!(turn_start("R:\n").map(|t| t.0), Some("R"));
    }

    #[test]
    fn labels_of_more_than_forty_chars_start_no_turn() {
        for (letter, bytes) in [("a", 1), ("\u{e9}", 2), ("\u{4e2d}", 3)] {
            let label = |chars: usize| letter.repeat(chars);
            let line = |chars: usize| format!("{}: yes", label(chars));
            assert_eq!(label(41).len(), 41 * bytes);
            assert_eq!(turn_start(&line(40)).map(|t| t.0), Some(label(40).as_str()), "{letter}");
            assert_eq!(turn_start(&line(41)), None, "{letter}");
        }
    }

    #[test]
    fn plain_labels_are_read_without_the_regex_and_the_rest_left_to_it() {
        assert_eq!(plain_turn_start("S01: yes"), Some(("S01", 5)));
        assert_eq!(plain_turn_start("Interviewer:\t  so\n"), Some(("Interviewer", 15)));
        assert_eq!(plain_turn_start("R:\n"), Some(("R", 3)));
        assert_eq!(plain_turn_start("R:"), Some(("R", 2)));
        for other in ["12:30 Int: ok", "**Int:** x", "Mrs. Patel: x", " S01: x", "S01:x", "é: x"] {
            assert_eq!(plain_turn_start(other), None, "{other:?}");
        }
    }

    #[test]
    fn bracket_labels_are_candidates_and_timestamps_are_not() {
        assert_eq!(bracket_start("[id1] hello, I like it").map(|t| (t.0, t.2)), Some(("id1", 6)));
        assert_eq!(bracket_start("[laughs] yeah").map(|t| t.0), Some("laughs"));
        assert_eq!(bracket_start("[00:01:23] S01: yes"), None);
        assert_eq!(bracket_start("no bracket"), None);
    }

    /// The pattern as it was written before the label's length was checked after the
    /// match: a bounded repetition of the label's characters.
    fn bounded_turn_start(line: &str) -> Option<(&str, Option<&str>, usize)> {
        static BOUNDED: LazyLock<Regex> = LazyLock::new(|| {
            let unbounded = r"[\p{L}\p{N} .'’_-]*?)";
            assert_eq!(TURN_START.as_str().matches(unbounded).count(), 1, "the label's class");
            let bounded = r"[\p{L}\p{N} .'’_-]{0,39}?)";
            Regex::new(&TURN_START.as_str().replace(unbounded, bounded)).expect("valid")
        });
        let captures = BOUNDED.captures(line)?;
        let label = captures.name("label")?.as_str().trim_end();
        if label.split_whitespace().count() > MAX_LABEL_WORDS {
            return None;
        }
        let time = captures.name("time").map(|m| m.as_str());
        Some((label, time, captures.get(0)?.end()))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Checking the label's length after the match finds the turns the bounded pattern
        /// found, with the same label, time and text offset: lines of labels up to and past
        /// forty characters, times, brackets, bold and separators in any order.
        #[test]
        fn the_label_length_checked_after_matching_finds_the_same_turns(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "S01", "Int", "a", "Mrs. Patel", "é", "’", "_", "-", ".", "'", "x", "7", "12",
                " ", "  ", "\t", ":", "::", "**", "[", "]", "(", ")", "12:30", "1:02:03.5",
                "00:01:23,250", "\n", "٣", "abcdefghij", "abcdefghijklmnopqrst",
                "word word word word", "…", "🙂",
            ]), 0..24),
        ) {
            let line: String = pieces.concat();
            proptest::prop_assert_eq!(turn_start(&line), bounded_turn_start(&line), "{:?}", line);
            if let Some((label, content_start)) = plain_turn_start(&line)
                && label.len() <= MAX_LABEL_CHARS
            {
                // read without the regex: what the regex reads (longer labels: no turn)
                let read = bounded_turn_start(&line);
                proptest::prop_assert_eq!(read, Some((label, None, content_start)), "{:?}", line);
            }
        }

        /// The same, on lines shaped like turn starts, with labels around forty characters.
        #[test]
        fn turn_starts_with_labels_of_any_length_are_found_as_before(
            indent in proptest::sample::select(vec!["", " ", "\t "]),
            time in proptest::sample::select(vec!["", "[12:30] ", "12:30 ", "(1:02:03.5)\t", "٣:٤٥ "]),
            bold in proptest::sample::select(vec!["", "**"]),
            label in "[a-zA-Zé’٣0-9][a-zé’ .0-9_-]{0,44}",
            space in proptest::sample::select(vec!["", " ", "\t"]),
            separator in proptest::sample::select(vec![":", ":**", "**:", "::", "", ": x:"]),
            after in proptest::sample::select(vec![" yes", "\n", "", "x", "\t y: z", ":"]),
        ) {
            let line = format!("{indent}{time}{bold}{label}{space}{separator}{after}");
            proptest::prop_assert_eq!(turn_start(&line), bounded_turn_start(&line), "{:?}", line);
        }
    }

    #[test]
    fn speech_with_a_colon_is_not_a_turn_start() {
        assert_eq!(turn_start("And then she said to me: work harder"), None);
        assert_eq!(turn_start("see http://example.org"), None);
        assert_eq!(turn_start("at 10:30 we met"), None);
        assert_eq!(turn_start("  just text"), None);
    }

    #[test]
    fn file_name_pattern_yields_fields() {
        let fields =
            name_fields(Path::new("x/S01_pre.txt"), "{participant}_{wave}").expect("match");
        assert_eq!(fields.get("participant").map(String::as_str), Some("S01"));
        assert_eq!(fields.get("wave").map(String::as_str), Some("pre"));
        let err =
            name_fields(Path::new("x/S01.txt"), "{participant}_{wave}").expect_err("no match");
        assert!(err.to_string().contains("does not match the source's pattern"));
    }

    #[test]
    fn trim_range_trims_both_ends() {
        assert_eq!(trim_range("  ab \n", 0..6), 2..4);
        assert_eq!(trim_range("   ", 0..3), 3..3);
    }
}
