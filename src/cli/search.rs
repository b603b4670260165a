//! `qualkit search`: keyword-in-context concordance.

use std::process::ExitCode;

use anyhow::Result;

use qualkit::Error;
use qualkit::query::Rule;
use qualkit::search::{self, ConcordanceLine, LevelCount};
use qualkit::table::{Column, Table};

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
            let lines = search::concordance(
                &hits[..shown],
                &indexed.corpus,
                &indexed.segments,
                args.context,
            );
            indexed.corpus.check_texts()?;
            if shown < hits.len() {
                output::notice(
                    context.quiet,
                    &format!("showing {shown} of {} hits (--limit)", hits.len()),
                );
            }
            if matches!(context.format, None | Some(FormatArg::Text)) {
                output::write(args.out.as_deref(), &kwic_text(&lines))?;
            } else {
                context.write_table(&concordance_table(&args.query, lines), args.out.as_deref())?;
            }
        }
    }
    if hits.is_empty() {
        output::notice(context.quiet, "no matches");
        return Ok(ExitCode::from(NOTHING_FOUND));
    }
    Ok(ExitCode::SUCCESS)
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
        .map(|&n| if n == "line" { Column::integer(n) } else { Column::text(n) })
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

/// The terminal layout: `document:line speaker  …left [match] right…`.
fn kwic_text(lines: &[ConcordanceLine]) -> String {
    const LEFT_WIDTH: usize = 45;
    let location = |l: &ConcordanceLine| format!("{}:{}", l.document, l.line);
    let location_width = lines.iter().map(|l| location(l).chars().count()).max().unwrap_or(0);
    let speaker_width = lines.iter().map(|l| l.speaker.chars().count()).max().unwrap_or(0);
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
