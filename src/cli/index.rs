//! `qualkit index`: build or refresh the search index.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use qualkit::index::Made;
use qualkit::segment::Unit;
use qualkit::study::SpeakerFilter;

use super::Context;
use super::args::IndexArgs;
use super::output;

/// Index the units given, or the coding unit and turns.
pub fn run(args: &IndexArgs, context: &Context) -> Result<ExitCode> {
    let started = Instant::now();
    // each index reads a document's text as it comes to it and keeps none: a large study's
    // texts held while it indexed were most of the command's memory
    let corpus = context.corpus_to_index_letting_texts_go()?;
    let mut units = match args.unit {
        Some(unit) => vec![Unit::from(unit)],
        None => vec![context.study()?.coding.unit, Unit::Turn],
    };
    units.dedup();
    let mut lines = Vec::new();
    for unit in units {
        let (segments, index) = context.index(&corpus, unit, context.study()?.coding.speakers)?;
        let state = match index.made() {
            Made::Reused => "up to date".to_owned(),
            Made::Built => "built".to_owned(),
            Made::Updated(1) => "updated (1 file changed)".to_owned(),
            Made::Updated(files) => format!("updated ({files} files changed)"),
        };
        let held = match index.speakers() {
            SpeakerFilter::All => String::new(),
            speakers => {
                let held = segments.iter().filter(|s| s.spoken_by(speakers, &corpus)).count();
                format!(" ({held} {}' indexed)", speakers.name())
            }
        };
        lines.push(format!("{} index {state}: {} segments{held}", unit.name(), segments.len()));
    }
    // a transcript that changed while it was read is named (its index is of the file as
    // hashed, which the next command finds changed and indexes again)
    corpus.check_texts()?;
    let summary = format!(
        "{}: {} documents, {} participants, {} input files ({:.1} s)\n{}\n",
        context.study()?.name,
        corpus.documents.len(),
        corpus.participants.by_id.len(),
        corpus.inputs.len(),
        started.elapsed().as_secs_f64(),
        lines.join("\n")
    );
    output::write(None, &summary)?;
    Ok(ExitCode::SUCCESS)
}
