//! Subtitle files → transcript text: WebVTT (`.vtt`: Zoom, Teams, Whisper) and SubRip
//! (`.srt`).
//!
//! Cues become turns. The speaker comes from a WebVTT voice tag (`<v Name>`, Teams), a
//! `Name:` prefix (Zoom), a `[Name]` prefix, or a `Name - ` prefix (SRT conventions);
//! consecutive cues of one speaker merge into one turn that keeps the start time of its
//! first cue (`[00:01:02] Name: …`), and cues without a speaker continue the current turn
//! (or, first of all, belong to the respondent, `R`: Whisper has no speakers). Headers,
//! `NOTE`, `STYLE` and `REGION` blocks, cue identifiers, cue settings and inline tags are
//! dropped. The result keeps, for each of its lines, the line of the original file it came
//! from, so segments still report original line numbers.

use std::path::Path;

use crate::error::{Error, Result};

/// Transcript text made from subtitles, with the original line of each of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// `[hh:mm:ss] Speaker: text` turns and continuation lines.
    pub text: String,
    /// For line i (0-based) of `text`, the 1-based line in the original file.
    pub lines: Vec<usize>,
}

struct Cue {
    start: String,
    /// (original line, payload text) per payload line.
    payload: Vec<(usize, String)>,
}

/// Convert a decoded `.vtt` or `.srt` file.
///
/// # Errors
/// A `.vtt` without the `WEBVTT` header, or no cues at all.
pub fn convert(path: &Path, text: &str) -> Result<Converted> {
    let vtt = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("vtt"));
    let cues = cues(path, text, vtt)?;
    if cues.is_empty() {
        return Err(Error::at_line(
            path,
            1,
            "no cues; expected `00:00:01.000 --> 00:00:04.000` timing lines",
        ));
    }
    let mut out = Converted { text: String::new(), lines: Vec::new() };
    let mut current: Option<String> = None;
    for cue in cues {
        for (index, (line, payload)) in cue.payload.iter().enumerate() {
            let (speaker, words) =
                if index == 0 { speaker_of(payload) } else { (None, payload.clone()) };
            let words = words.trim();
            if words.is_empty() && speaker.is_none() {
                continue;
            }
            let starts_turn = match (&speaker, &current) {
                (Some(name), Some(previous)) => name != previous,
                (Some(_), None) => true,
                (None, None) => true,
                (None, Some(_)) => false,
            };
            if starts_turn {
                let name = speaker.clone().unwrap_or_else(|| "R".to_owned());
                out.text.push_str(&format!("[{}] {name}: {words}\n", cue.start));
                current = Some(name);
            } else {
                out.text.push_str(words);
                out.text.push('\n');
            }
            out.lines.push(*line);
        }
    }
    Ok(out)
}

fn cues(path: &Path, text: &str, vtt: bool) -> Result<Vec<Cue>> {
    let lines: Vec<&str> = text.lines().collect();
    if vtt && !lines.first().is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with("WEBVTT"))
    {
        return Err(Error::at_line(
            path,
            1,
            "expected `WEBVTT` on the first line of a WebVTT file",
        ));
    }
    let mut cues = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // one block: up to the next blank line
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[start..i];
        i += 1;
        if block.is_empty() || (vtt && start == 0) {
            continue;
        }
        let first = block[0].trim();
        if vtt
            && (first.starts_with("NOTE")
                || first.starts_with("STYLE")
                || first.starts_with("REGION"))
        {
            continue;
        }
        let Some(timing) = block.iter().position(|l| l.contains("-->")) else { continue };
        let begin = block[timing].split("-->").next().unwrap_or("").trim();
        let payload = block[timing + 1..]
            .iter()
            .enumerate()
            .map(|(k, l)| (start + timing + k + 2, clean(l)))
            .collect();
        cues.push(Cue { start: clock(begin), payload });
    }
    Ok(cues)
}

/// `00:01:02.500` or `01:02,500` → `00:01:02`.
fn clock(timing: &str) -> String {
    let main = timing.split(['.', ',']).next().unwrap_or("0");
    let parts: Vec<&str> = main.split(':').collect();
    match parts.as_slice() {
        [m, s] => format!("00:{:0>2}:{:0>2}", m, s),
        [h, m, s] => format!("{:0>2}:{:0>2}:{:0>2}", h, m, s),
        _ => "00:00:00".to_owned(),
    }
}

/// Keep `<v Name>` as a `\u{1}Name\u{2}` marker, drop every other tag, decode entities.
fn clean(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        if let Some(voice) = tag.strip_prefix('v').filter(|t| t.starts_with([' ', '.'])) {
            let name = voice.split_once(' ').map_or("", |(_, n)| n).trim();
            out.push('\u{1}');
            out.push_str(name);
            out.push('\u{2}');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
}

/// The speaker of a cue's first line, and the words without the speaker.
fn speaker_of(line: &str) -> (Option<String>, String) {
    if let Some(rest) = line.strip_prefix('\u{1}')
        && let Some((name, words)) = rest.split_once('\u{2}')
    {
        return (Some(name.trim().to_owned()).filter(|n| !n.is_empty()), words.to_owned());
    }
    let line = line.replace(['\u{1}', '\u{2}'], "");
    let trimmed = line.trim_start();
    let short = |name: &str| {
        !name.is_empty() && name.chars().count() <= 32 && name.split_whitespace().count() <= 3
    };
    if let Some(rest) = trimmed.strip_prefix('[')
        && let Some((name, words)) = rest.split_once(']')
        && short(name)
    {
        return (Some(name.trim().to_owned()), words.to_owned());
    }
    if let Some((name, words)) = trimmed.split_once(": ")
        && short(name)
        && name.chars().next().is_some_and(char::is_alphanumeric)
    {
        return (Some(name.trim().to_owned()), words.to_owned());
    }
    // `NAME - text` only for label-like names (capitals or an id with digits), so that
    // speech such as "Well - I think" is not taken for a speaker
    let label_like = |name: &str| {
        !name.chars().any(char::is_lowercase) || name.chars().any(|c| c.is_ascii_digit())
    };
    if let Some((name, words)) = trimmed.split_once(" - ")
        && short(name)
        && label_like(name)
        && name.chars().next().is_some_and(char::is_alphanumeric)
    {
        return (Some(name.trim().to_owned()), words.to_owned());
    }
    (None, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_voice_tags_merge_consecutive_cues_of_one_speaker() {
        let vtt = "WEBVTT\n\nNOTE exported\n\n1\n00:00:01.000 --> 00:00:03.000 align:start\n<v Interviewer>What helped?</v>\n\n2\n00:00:03.500 --> 00:00:06.000\n<v S01>My mentor &amp; the</v>\n\n3\n00:00:06.000 --> 00:00:08.000\n<v S01>targets.</v>\n";
        let converted = convert(Path::new("a.vtt"), vtt).expect("converts");
        assert_eq!(
            converted.text,
            "[00:00:01] Interviewer: What helped?\n[00:00:03] S01: My mentor & the\ntargets.\n"
        );
        assert_eq!(converted.lines, [7, 11, 15]);
    }

    #[test]
    fn zoom_and_srt_conventions_and_whisper_without_speakers() {
        let zoom = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nInterviewer: Hello\n\n2\n00:00:02.000 --> 00:00:03.000\nS01: Hi there\n";
        assert_eq!(
            convert(Path::new("z.vtt"), zoom).expect("zoom").text,
            "[00:00:01] Interviewer: Hello\n[00:00:02] S01: Hi there\n"
        );
        let srt = "1\n00:00:01,000 --> 00:00:02,000\n[Int] Hello\n\n2\n00:01:02,000 --> 00:01:03,000\nS01 - Hi\n";
        assert_eq!(
            convert(Path::new("s.srt"), srt).expect("srt").text,
            "[00:00:01] Int: Hello\n[00:01:02] S01: Hi\n"
        );
        let whisper = "WEBVTT\n\n00:00.000 --> 00:04.000\nWe set targets\n\n00:04.000 --> 00:08.000\nevery week.\n";
        assert_eq!(
            convert(Path::new("w.vtt"), whisper).expect("whisper").text,
            "[00:00:00] R: We set targets\nevery week.\n"
        );
    }

    #[test]
    fn vtt_without_header_is_an_error() {
        assert!(convert(Path::new("a.vtt"), "00:00.000 --> 00:01.000\nhi\n").is_err());
    }
}
