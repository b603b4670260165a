//! The analysis commands: `themes`, `compare`, `crosstab`, `cooccur`, `saturation`,
//! `likert`. Each codes the study (reusing the index), runs one analysis from the library
//! and renders its table.

use std::process::ExitCode;

use anyhow::{Result, bail};

use qualkit::analysis::Dataset;
use qualkit::analysis::compare::{CompareOptions, McNemarTest, compare};
use qualkit::analysis::cooccur::{CooccurUnit, cooccur};
use qualkit::analysis::crosstab::{CrosstabOptions, crosstab};
use qualkit::analysis::likert::likert;
use qualkit::analysis::saturation::saturation;
use qualkit::analysis::themes::{CountUnit, ThemeOptions, themes};
use qualkit::codebook::Codebook;
use qualkit::coding;
use qualkit::export;
use qualkit::stats::adjust::Adjustment;
use qualkit::table::Table;

use super::args::{
    AdjustArg, AnalysisArgs, CompareArgs, CooccurArgs, CooccurUnitArg, CountUnitArg, CrosstabArgs,
    McNemarArg, OutArgs, ThemesArgs,
};
use super::{Context, output};

/// Code the study and run `analysis` on the result, then write its table.
fn with_dataset(
    context: &Context,
    args: &AnalysisArgs,
    analysis: impl FnOnce(&Dataset<'_>) -> Result<Table>,
) -> Result<ExitCode> {
    let study = context.study()?;
    let codebook_path = match (&args.codebook, &study.coding.codebook) {
        (Some(path), _) => path.clone(),
        (None, Some(path)) => study.resolve(path),
        (None, None) => {
            bail!("no codebook: pass --codebook FILE or set [coding] codebook in study.toml")
        }
    };
    let codebook = Codebook::load(&codebook_path)?;
    super::code::check_language(&codebook, study)?;
    let unit = args.coding_unit.map_or(study.coding.unit, Into::into);
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
    for filter in &args.filters {
        data.restrict(filter)?;
    }
    let mut table = analysis(&data)?;
    if !args.filters.is_empty() {
        table.notes.push(format!("Only speech where {}.", args.filters.join(" and ")));
    }
    write(context, &table, args.out.as_deref())
}

fn write(context: &Context, table: &Table, out: Option<&std::path::Path>) -> Result<ExitCode> {
    let text = export::render(table, context.format());
    match out {
        Some(path) => output::write_file(path, text.as_bytes())?,
        None => output::write(None, &text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn adjustment(arg: AdjustArg) -> Adjustment {
    match arg {
        AdjustArg::Holm => Adjustment::Holm,
        AdjustArg::Bh => Adjustment::BenjaminiHochberg,
        AdjustArg::None => Adjustment::None,
    }
}

/// `qualkit themes`
pub fn run_themes(args: &ThemesArgs, context: &Context) -> Result<ExitCode> {
    let unit = match args.unit {
        CountUnitArg::Participant => CountUnit::Participant,
        CountUnitArg::Document => CountUnit::Document,
        CountUnitArg::Segment => CountUnit::Segment,
    };
    let options = ThemeOptions { by: args.by.clone(), unit: Some(unit), quotes: args.quotes };
    with_dataset(context, &args.analysis, |data| Ok(themes(data, &options)?))
}

/// `qualkit compare`
pub fn run_compare(args: &CompareArgs, context: &Context) -> Result<ExitCode> {
    let study = context.study()?;
    let defaults = study.compare.as_ref();
    let by =
        args.by.clone().or_else(|| defaults.map(|c| c.by.clone())).unwrap_or_else(|| "wave".into());
    let from = args
        .from
        .clone()
        .or_else(|| defaults.map(|c| c.from.clone()))
        .or_else(|| study.waves.first().cloned());
    let to = args
        .to
        .clone()
        .or_else(|| defaults.map(|c| c.to.clone()))
        .or_else(|| study.waves.last().cloned());
    let (Some(from), Some(to)) = (from, to) else {
        bail!("nothing to compare: pass --from and --to, or set [compare] in study.toml");
    };
    let test = match args.test {
        McNemarArg::Exact => McNemarTest::Exact,
        McNemarArg::Midp => McNemarTest::MidP,
        McNemarArg::Chi2 => McNemarTest::ChiSquare,
    };
    let options = CompareOptions {
        by,
        from,
        to,
        within: args.within.clone(),
        adjustment: adjustment(args.adjust),
        test,
        quotes: args.quotes,
    };
    with_dataset(context, &args.analysis, |data| Ok(compare(data, &options)?))
}

/// `qualkit crosstab`
pub fn run_crosstab(args: &CrosstabArgs, context: &Context) -> Result<ExitCode> {
    let options = CrosstabOptions {
        by: args.by.clone(),
        wave: args.wave.clone(),
        adjustment: adjustment(args.adjust),
    };
    with_dataset(context, &args.analysis, |data| Ok(crosstab(data, &options)?))
}

/// `qualkit cooccur`
pub fn run_cooccur(args: &CooccurArgs, context: &Context) -> Result<ExitCode> {
    let unit = match args.within {
        CooccurUnitArg::Segment => CooccurUnit::Segment,
        CooccurUnitArg::Document => CooccurUnit::Document,
        CooccurUnitArg::Participant => CooccurUnit::Participant,
    };
    with_dataset(context, &args.analysis, |data| Ok(cooccur(data, unit)))
}

/// `qualkit saturation`
pub fn run_saturation(args: &AnalysisArgs, context: &Context) -> Result<ExitCode> {
    with_dataset(context, args, |data| Ok(saturation(data)))
}

/// `qualkit likert`
pub fn run_likert(args: &OutArgs, context: &Context) -> Result<ExitCode> {
    let corpus = context.corpus()?;
    let table = likert(context.study()?, &corpus);
    write(context, &table, args.out.as_deref())
}
