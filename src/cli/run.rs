//! `qualkit run`: the whole analysis of a study into one output folder.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};

use qualkit::analysis::Dataset;
use qualkit::codebook::Codebook;
use qualkit::coding;
use qualkit::pipeline::{self, Lock};

use super::args::RunArgs;
use super::{Context, output};

/// Code the study, run every analysis, write everything atomically.
pub fn run(args: &RunArgs, context: &Context) -> Result<ExitCode> {
    let started = Instant::now();
    let study = context.study()?;
    let _lock = Lock::acquire(study)?;
    let Some(codebook_path) = study.coding.codebook.as_ref().map(|p| study.resolve(p)) else {
        bail!(
            "{}: no codebook; set [coding] codebook = \"…\" in study.toml",
            study.manifest_path().display()
        );
    };
    let codebook_bytes =
        std::fs::read(&codebook_path).map_err(|e| qualkit::Error::io(&codebook_path, e))?;
    let codebook = Codebook::load(&codebook_path)?;
    super::code::check_language(&codebook, study)?;
    let unit = study.coding.unit;
    let indexed = context.indexed(context.corpus()?, unit)?;
    let codings = coding::apply(
        &codebook,
        &indexed.index,
        &indexed.corpus,
        &indexed.segments,
        study.coding.speakers,
    )?;
    let mut data =
        Dataset::new(study, &indexed.corpus, &indexed.segments, unit, &codebook, &codings);
    let outputs = pipeline::outputs(&mut data, &codebook_bytes)?;
    let out = args.out.clone().unwrap_or_else(|| study.root.join("out"));
    pipeline::write_outputs(&out, &outputs.files)?;
    for skipped in &outputs.skipped {
        output::notice(context.quiet, &format!("skipped {skipped}"));
    }
    output::notice(
        context.quiet,
        &format!(
            "{} files → {} ({} codings, {:.1} s); open {}",
            outputs.files.len(),
            out.display(),
            codings.len(),
            started.elapsed().as_secs_f64(),
            out.join("report.html").display()
        ),
    );
    Ok(ExitCode::SUCCESS)
}
