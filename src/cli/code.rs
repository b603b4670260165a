//! `qualkit code`: apply a codebook and write codings.csv.

use std::process::ExitCode;

use anyhow::{Result, bail};

use qualkit::codebook::Codebook;
use qualkit::coding;
use qualkit::table::Grouped;

use super::args::CodeArgs;
use super::{Context, output};

/// Code the study and write the codings.
pub fn run(args: &CodeArgs, context: &Context) -> Result<ExitCode> {
    let study = context.study()?;
    let codebook = context.codebook(&context.codebook_path(args.codebook.as_deref())?)?;
    check_language(&codebook, study)?;
    let unit = args.unit.map_or(study.coding.unit, Into::into);
    let speakers = args.speakers.map_or(study.coding.speakers, Into::into);
    // the codings.csv a re-code copies from, read from disk while the corpus loads
    coding::read_ahead(study, unit, speakers);
    // texts read as coding asks for them: a re-code after an edit reads the few documents
    // whose segments it codes again
    let mut indexed =
        context.indexed(context.corpus_to_index_letting_texts_go()?, unit, speakers)?;
    // codings.csv names each segment's speaker from the segment: no turn is read again
    indexed.corpus.let_turns_go();
    for attribute in &args.attributes {
        if !indexed.corpus.participants.attributes.contains(attribute) {
            bail!(
                "unknown attribute `{attribute}`; participants.csv has {}",
                indexed.corpus.participants.attributes.join(", ")
            );
        }
    }
    let (corpus, segments) = (&indexed.corpus, &indexed.segments);
    let matched = coding::Matched::find(&codebook, &indexed.index, corpus, segments, speakers)?;
    let columns = coding::Columns { text: args.text, attributes: &args.attributes };
    // after a codebook edit, the rows the edit did not change are copied from the last
    // codings.csv written (streamed: a large study's codings.csv runs to hundreds of
    // megabytes)
    let mut csv = coding::CodingsCsv::new(matched, columns)?;
    let write = |out: &mut dyn std::io::Write| {
        csv.write(corpus, segments, out)?;
        // before the file it replaces is removed
        csv.done_copying();
        // a text read as a file changed is not kept in an output (said below)
        match corpus.check_texts() {
            Ok(()) => Ok(()),
            Err(_) => Err(std::io::Error::other("a transcript changed while read")),
        }
    };
    let out = args.out.clone().unwrap_or_else(|| study.root.join("out").join("codings.csv"));
    let file = (out.as_os_str() != "-").then_some(out.as_path());
    if let Some(file) = file {
        output::create_parent(file)?;
    }
    let written = output::write_with(file, write);
    // a transcript that changed while read is the error to report, not the write it stopped
    corpus.check_texts()?;
    written?;
    if let Some(out) = file {
        csv.remember(out);
        let copied = match csv.copied_from() {
            Some((from, recoded)) => format!(
                "; {} {}s coded again, the rest copied from {}",
                Grouped(recoded),
                unit.name(),
                from.display()
            ),
            None => String::new(),
        };
        output::notice(
            context.quiet,
            &format!(
                "{} codings of {} codes on {} of {} {}s → {}{}{}",
                Grouped(csv.row_count()),
                Grouped(codebook.codes.len()),
                Grouped(csv.segments_with_rows()),
                Grouped(segments.len()),
                unit.name(),
                out.display(),
                if args.text { "" } else { " (--text adds each segment's text)" },
                copied
            ),
        );
    }
    csv.wait_for_match_cache();
    super::free_at_exit((csv, indexed));
    Ok(ExitCode::SUCCESS)
}

pub fn check_language(codebook: &Codebook, study: &qualkit::study::Study) -> Result<()> {
    if codebook.language != study.language {
        bail!(
            "{}: codebook language {} differs from the study's language {}; rules would be stemmed differently from the text",
            codebook.path.display(),
            codebook.language.name(),
            study.language.name()
        );
    }
    Ok(())
}
