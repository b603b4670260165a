//! `qualkit search`: keyword-in-context concordance.

use std::process::ExitCode;

use anyhow::Result;

use qualkit::Error;
use qualkit::query::Rule;
use qualkit::search::{self, ConcordanceLine, LevelCount};
use qualkit::table::{Column, Grouped, Table};

use super::args::{FormatArg, SearchArgs};
use super::{Context, NOTHING_FOUND, output};

/// Run the query; exit 1 when nothing matches.
pub fn run(args: &SearchArgs, context: &Context) -> Result<ExitCode> {
    let analyzer = qualkit::index::Analyzer::of_study(context.study()?);
    let rule = Rule::compile(&args.query, &analyzer).map_err(|e| query_error(&args.query, e))?;
    // texts read a document at a time as the search and its concordance come to them, and
    // let go (kept, a 1 GB study's search held every text it read)
    let corpus = context.corpus_to_index_letting_texts_go()?;
    // the index of the speakers the study codes, which a run has built: a search of
    // others checks their segments directly
    let indexed = context.indexed(corpus, args.unit.into(), context.study()?.coding.speakers)?;
    let hits = search::search(
        &rule,
        &indexed.index,
        &indexed.corpus,
        &indexed.segments,
        args.speakers.into(),
    )?;
    // nothing shown from a text whose file changed while read (the concordance reads them
    // again: checked once it is made, below)
    indexed.corpus.check_texts()?;
    match &args.by {
        Some(attribute) => {
            let counts = search::count_by(
                &hits,
                context.study()?,
                &indexed.corpus,
                &indexed.segments,
                attribute,
            )?;
            context
                .write_table(&counts_table(&args.query, attribute, &counts), args.out.as_deref())?;
        }
        None => {
            let shown = args.limit.map_or(hits.len(), |limit| limit.min(hits.len()));
            if shown < hits.len() {
                output::notice(
                    context.quiet,
                    &format!(
                        "showing {} of {} hits (--limit)",
                        Grouped(shown),
                        Grouped(hits.len())
                    ),
                );
            }
            write_concordance(args, context, &indexed, &hits[..shown])?;
        }
    }
    if hits.is_empty() {
        output::notice(context.quiet, "no matches");
        return Ok(ExitCode::from(NOTHING_FOUND));
    }
    Ok(ExitCode::SUCCESS)
}

/// Hits whose concordance lines are made and written at a time: a common word's
/// concordance of a large study runs to millions of lines, which held with the table made
/// of them and its text took a 1 GB study's search past 1.2 GB.
const LINES_AT_A_TIME: usize = 16_384;

/// Write the concordance of `hits`: as the aligned listing (no `--format`, or `text`) or as
/// CSV or TSV, a batch of lines at a time; in the other formats, as one table. Texts read
/// for it are checked before a file is put in place (on stdout, what was written stays
/// written, and the error follows it).
fn write_concordance(
    args: &SearchArgs,
    context: &Context,
    indexed: &super::Indexed,
    hits: &[search::Hit],
) -> Result<()> {
    let (corpus, segments) = (&indexed.corpus, &indexed.segments);
    let lines_of = |hits: &[search::Hit]| search::concordance(hits, corpus, segments, args.context);
    // a listing with no hits still has its header (CSV, TSV)
    let batches: Vec<&[search::Hit]> =
        if hits.is_empty() { vec![hits] } else { hits.chunks(LINES_AT_A_TIME).collect() };
    let streamed = |write: &dyn Fn(&[search::Hit], bool) -> String| {
        let written = output::write_with(args.out.as_deref(), |out| {
            for (i, batch) in batches.iter().enumerate() {
                out.write_all(write(batch, i == 0).as_bytes())?;
            }
            corpus
                .check_texts()
                .map_err(|_| std::io::Error::other("a transcript changed while read"))
        });
        // the transcript that changed is the error to report, not the write it stopped
        corpus.check_texts()?;
        written
    };
    match context.format {
        None | Some(FormatArg::Text) => {
            let widths = KwicWidths::of(hits, corpus, segments);
            streamed(&|batch, _| kwic_text(&lines_of(batch), widths))
        }
        Some(format @ (FormatArg::Csv | FormatArg::Tsv)) => streamed(&|batch, first| {
            let table = concordance_table(&args.query, lines_of(batch));
            let text = qualkit::export::render(&table, format.into());
            // the header row (fixed column names: one line) only once
            match text.find('\n') {
                Some(end) if !first => text[end + 1..].to_owned(),
                _ => text,
            }
        }),
        Some(_) => {
            let lines = lines_of(hits);
            corpus.check_texts()?;
            context.write_table(&concordance_table(&args.query, lines), args.out.as_deref())
        }
    }
}

/// Show the query under the error with a caret at the column.
fn query_error(query: &str, error: Error) -> anyhow::Error {
    match error {
        Error::Query { column, message } => {
            let caret = format!("{}^", " ".repeat(column.saturating_sub(1)));
            anyhow::anyhow!("query, column {column}: {message}\n  {query}\n  {caret}")
        }
        other => other.into(),
    }
}

/// The concordance as a table, its lines' texts moved into it (not copied: a common word's
/// concordance of a large study runs to millions of lines).
fn concordance_table(query: &str, lines: Vec<ConcordanceLine>) -> Table {
    let names = ["document", "participant", "wave", "speaker", "line", "left", "match", "right"];
    let columns = names
        .iter()
        .map(|&n| if n == "line" { Column::locator(n) } else { Column::text(n) })
        .collect();
    let mut table = Table::new(format!("Concordance of {query}"), columns);
    for line in lines {
        table.push(vec![
            line.document.into(),
            line.participant.into(),
            line.wave.into(),
            line.speaker.into(),
            line.line.into(),
            line.left.into(),
            line.keyword.into(),
            line.right.into(),
        ]);
    }
    table
}

fn counts_table(query: &str, attribute: &str, counts: &[LevelCount]) -> Table {
    let mut table = Table::new(
        format!("Hits of {query} by {attribute}"),
        vec![
            Column::text(attribute),
            Column::integer("hits"),
            Column::integer("segments"),
            Column::integer("participants"),
            Column::integer("documents"),
        ],
    );
    for count in counts {
        table.push(vec![
            count.level.clone().into(),
            count.hits.into(),
            count.segments.into(),
            count.participants.into(),
            count.documents.into(),
        ]);
    }
    table.notes.push(
        "participants counts distinct speakers who are participants; interviewers are not counted"
            .into(),
    );
    table
}

/// The widths of the aligned listing's location (`document:line`) and speaker columns,
/// over every line shown: found from the hits, before any line is made.
#[derive(Debug, Clone, Copy)]
struct KwicWidths {
    location: usize,
    speaker: usize,
}

impl KwicWidths {
    fn of(
        hits: &[search::Hit],
        corpus: &qualkit::corpus::Corpus,
        segments: &[qualkit::segment::Segment],
    ) -> KwicWidths {
        let mut widths = KwicWidths { location: 0, speaker: 0 };
        for hit in hits {
            let segment = &segments[hit.segment];
            let location = format!("{}:{}", segment.document(corpus).id, hit.line);
            widths.location = widths.location.max(location.chars().count());
            widths.speaker = widths.speaker.max(segment.speaker(corpus).name().chars().count());
        }
        widths
    }
}

/// The terminal layout: `document:line speaker  …left [match] right…`, columns `widths`
/// wide.
fn kwic_text(lines: &[ConcordanceLine], widths: KwicWidths) -> String {
    const LEFT_WIDTH: usize = 45;
    let location = |l: &ConcordanceLine| format!("{}:{}", l.document, l.line);
    let (location_width, speaker_width) = (widths.location, widths.speaker);
    let mut out = String::new();
    for line in lines {
        let left: String = {
            let chars: Vec<char> = line.left.chars().collect();
            let start = chars.len().saturating_sub(LEFT_WIDTH);
            chars[start..].iter().collect()
        };
        let gap = if line.right.starts_with(char::is_alphanumeric) { " " } else { "" };
        out.push_str(&format!(
            "{:<lw$}  {:<sw$}  {:>LEFT_WIDTH$} [{}]{gap}{}\n",
            location(line),
            line.speaker,
            left,
            line.keyword,
            line.right,
            lw = location_width,
            sw = speaker_width,
        ));
    }
    out
}
