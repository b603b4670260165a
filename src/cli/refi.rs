//! `qualkit export refi` and `qualkit import refi`: REFI-QDA projects.

use std::process::ExitCode;

use anyhow::Result;

use qualkit::analysis::agree::{ManualCodings, read_manual};
use qualkit::refi::export::Project;
use qualkit::table::Grouped;

use super::args::{ExportRefiArgs, ImportRefiArgs};
use super::{Context, output};

/// Write the study, its codebook, auto-codings and manual codings as a `.qdpx` project.
pub fn export(args: &ExportRefiArgs, context: &Context) -> Result<ExitCode> {
    let study = context.study()?;
    // loaded as `run` loads: each source's text is read as the archive is written, and let
    // go after it
    let coded = context.coded(None, None)?;
    let data = coded.dataset(study);
    let mut files: Vec<std::path::PathBuf> =
        study.agreement.iter().flat_map(|a| a.codings.iter().map(|c| study.root.join(c))).collect();
    files.extend(args.codings.iter().cloned());
    let mut manual = ManualCodings::default();
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| qualkit::Error::io(file, e))?;
        read_manual(&data, file, &bytes, &mut manual)?;
    }
    for warning in &manual.warnings {
        output::notice(context.quiet, &format!("warning: {warning}"));
    }
    let project = Project {
        name: &study.name,
        corpus: &coded.indexed.corpus,
        segments: &coded.indexed.segments,
        codebook: &coded.codebook,
        auto: &coded.codings,
        manual: &manual.annotations,
    };
    let counts = output::write_seekable(&args.out, |out| {
        let counts = project.write_qdpx(out)?;
        // nothing made from a text whose file changed while read
        coded.indexed.corpus.check_texts()?;
        Ok(counts)
    })?;
    output::notice(
        context.quiet,
        &format!(
            "{} sources, {} codes, {} selections ({} codings) by {} users, {} cases → {}",
            Grouped(counts.sources),
            Grouped(counts.codes),
            Grouped(counts.selections),
            Grouped(counts.codings),
            Grouped(counts.users),
            Grouped(counts.cases),
            args.out.display()
        ),
    );
    Ok(ExitCode::SUCCESS)
}

/// Read a `.qdpx` project into a new study folder and summarise what came in.
pub fn import(args: &ImportRefiArgs, context: &Context) -> Result<ExitCode> {
    let summary = qualkit::refi::import::import(&args.file, &args.into)?;
    output::notice(
        context.quiet,
        &format!(
            "{} sources, {} codes, {} selections ({} codings), {} users, {} cases → {}",
            Grouped(summary.counts.sources),
            Grouped(summary.counts.codes),
            Grouped(summary.counts.selections),
            Grouped(summary.counts.codings),
            Grouped(summary.counts.users),
            Grouped(summary.counts.cases),
            args.into.display()
        ),
    );
    for skipped in &summary.skipped {
        output::notice(context.quiet, &format!("skipped: {skipped}"));
    }
    Ok(ExitCode::SUCCESS)
}
