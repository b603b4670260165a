//! `qualkit code`: apply a codebook and write codings.csv.

use std::process::ExitCode;

use anyhow::{Result, bail};

use qualkit::codebook::Codebook;
use qualkit::coding;

use super::args::CodeArgs;
use super::{Context, output};

/// Code the study and write the codings.
pub fn run(args: &CodeArgs, context: &Context) -> Result<ExitCode> {
    let study = context.study()?;
    let codebook = context.codebook(&context.codebook_path(args.codebook.as_deref())?)?;
    check_language(&codebook, study)?;
    let unit = args.unit.map_or(study.coding.unit, Into::into);
    let speakers = args.speakers.map_or(study.coding.speakers, Into::into);
    let indexed = context.indexed(context.corpus()?, unit)?;
    for attribute in &args.attributes {
        if !indexed.corpus.participants.attributes.contains(attribute) {
            bail!(
                "unknown attribute `{attribute}`; participants.csv has {}",
                indexed.corpus.participants.attributes.join(", ")
            );
        }
    }
    let codings =
        coding::apply(&codebook, &indexed.index, &indexed.corpus, &indexed.segments, speakers)?;
    // streamed: a large study's codings.csv runs to hundreds of megabytes
    let csv = |out: &mut dyn std::io::Write| {
        let columns = coding::Columns { text: args.text, attributes: &args.attributes };
        coding::write_csv(&codings, &indexed.corpus, &indexed.segments, columns, out).map(drop)
    };
    let out = args.out.clone().unwrap_or_else(|| study.root.join("out").join("codings.csv"));
    if out.as_os_str() == "-" {
        output::write_with(None, csv)?;
    } else {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        output::write_with(Some(&out), csv)?;
        // codings come in segment order
        let coded = codings.chunk_by(|a, b| a.segment == b.segment).count();
        output::notice(
            context.quiet,
            &format!(
                "{} codings of {} codes on {} of {} {}s → {}{}",
                codings.len(),
                codebook.codes.len(),
                coded,
                indexed.segments.len(),
                unit.name(),
                out.display(),
                if args.text { "" } else { " (--text adds each segment's text)" }
            ),
        );
    }
    super::free_at_exit((codings, indexed));
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
