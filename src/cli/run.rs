//! `qualkit run`: the whole analysis of a study into one output folder.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use qualkit::pipeline::{self, Lock};
use qualkit::table::Grouped;

use super::args::{ReportArgs, RunArgs};
use super::{Context, output};

/// Code the study, run every analysis, write everything atomically.
pub fn run(args: &RunArgs, context: &Context) -> Result<ExitCode> {
    let started = Instant::now();
    let study = context.study()?;
    let _lock = Lock::acquire(study)?;
    // Texts are read as each pass asks for them and let go after it: segmenting, indexing,
    // coding, codings.csv and segments.csv read a document at a time, so the run holds
    // only its quotes' texts (a run whose index and rule matches are kept reads no text
    // before it writes).
    let mut coded = context.coded(None, None)?;
    coded.indexed.index.stop_searching();
    let codings = &coded.codings;
    let mut data = coded.dataset(study);
    let out = args.out.clone().unwrap_or_else(|| study.root.join("out"));
    let outputs = pipeline::write_run(&out, &mut data, &coded.codebook_bytes)?;
    for skipped in &outputs.skipped {
        output::notice(context.quiet, &format!("skipped {skipped}"));
    }
    output::notice(
        context.quiet,
        &format!(
            "{} files → {} ({} codings, {:.1} s); open {}",
            Grouped(outputs.files.len() + 2),
            out.display(),
            Grouped(codings.len()),
            started.elapsed().as_secs_f64(),
            out.join("report.html").display()
        ),
    );
    super::free_at_exit((outputs, data));
    super::free_at_exit(coded);
    Ok(ExitCode::SUCCESS)
}

/// `qualkit report`: the report of a run, alone.
pub fn report(args: &ReportArgs, context: &Context) -> Result<ExitCode> {
    let study = context.study()?;
    // loaded as `run` loads: a report reads no text but its quotes' (kept whole, a 1 GB
    // study's report held all of its text, 1.77 GB at its peak)
    let coded = context.coded(None, None)?;
    let mut data = coded.dataset(study);
    let outputs = pipeline::outputs(&mut data, &coded.codebook_bytes)?;
    // nothing made from a text whose file changed while read
    data.corpus.check_texts()?;
    let report = outputs
        .files
        .iter()
        .find(|f| f.path == "report.html")
        .map(|f| f.bytes.clone())
        .unwrap_or_default();
    let out = args.out.clone().unwrap_or_else(|| study.root.join("out").join("report.html"));
    output::create_parent(&out)?;
    output::write_file(&out, &report)?;
    output::notice(context.quiet, &format!("report → {}", out.display()));
    Ok(ExitCode::SUCCESS)
}
