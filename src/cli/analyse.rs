//! The analysis commands: `themes`, `compare`, `crosstab`, `cooccur`, `saturation`,
//! `likert`. Each codes the study (reusing the index), runs one analysis from the library
//! and renders its table.

use std::process::ExitCode;

use anyhow::{Result, bail};

use qualkit::analysis::compare::{CompareOptions, McNemarTest, compare};
use qualkit::analysis::cooccur::{CooccurUnit, cooccur};
use qualkit::analysis::crosstab::{CrosstabOptions, crosstab};
use qualkit::analysis::likert::likert;
use qualkit::analysis::saturation::saturation;
use qualkit::analysis::themes::{CountUnit, ThemeOptions, themes};
use qualkit::analysis::{Dataset, agree};
use qualkit::chart;
use qualkit::corpus::Corpus;
use qualkit::pipeline;
use qualkit::stats::adjust::Adjustment;
use qualkit::table::Table;

use super::args::{
    AdjustArg, AgreeArgs, AgreeUnitArg, AnalysisArgs, ChartArgs, ChartKind, CompareArgs,
    CooccurArgs, CooccurUnitArg, CountUnitArg, CrosstabArgs, McNemarArg, OutArgs, ThemesArgs,
};
use super::{Context, output};

/// Code the study and run `analysis` on the result, then write its table.
fn with_dataset(
    context: &Context,
    args: &AnalysisArgs,
    analysis: impl FnOnce(&Dataset<'_>) -> Result<Table>,
) -> Result<ExitCode> {
    let table = noted(coded(context, args, analysis)?, &args.filters);
    write(context, &table, args.out.as_deref())
}

/// Code the study and run `analysis` on the result. Texts are read only as the analysis
/// asks for them (its quotes): the codings, segments and word counts come from beside the
/// index.
fn coded<T>(
    context: &Context,
    args: &AnalysisArgs,
    analysis: impl FnOnce(&Dataset<'_>) -> Result<T>,
) -> Result<T> {
    let unit = args.coding_unit.map(Into::into);
    let coded = context.coded(args.codebook.as_deref(), unit)?;
    let mut data = coded.dataset(context.study()?);
    for filter in &args.filters {
        data.restrict(filter)?;
    }
    let result = analysis(&data);
    // nothing made from a text whose file changed while read
    coded.indexed.corpus.check_texts()?;
    result
}

/// Note the `--where` filters under a table.
fn noted(mut table: Table, filters: &[String]) -> Table {
    if !filters.is_empty() {
        table.notes.push(format!("Only speech where {}.", filters.join(" and ")));
    }
    table
}

fn write(context: &Context, table: &Table, out: Option<&std::path::Path>) -> Result<ExitCode> {
    context.write_table(table, out)?;
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
    // the answers are parsed as the study loads; no text is read after (kept, a 1 GB
    // study's Likert table held all of its text, 1.4 GB)
    let corpus = context.corpus_with(Corpus::load_letting_texts_go)?;
    let table = likert(context.study()?, &corpus);
    write(context, &table, args.out.as_deref())
}

/// `qualkit chart`
pub fn run_chart(args: &ChartArgs, context: &Context) -> Result<ExitCode> {
    let Some(out) = args.analysis.out.clone() else {
        bail!("chart needs --out FILE.svg or --out FILE.png");
    };
    let extension = out.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if extension != "svg" && extension != "png" {
        bail!("{}: chart files end in .svg or .png", out.display());
    }
    let needs_by = matches!(args.kind, ChartKind::Themes | ChartKind::Crosstab);
    if needs_by && args.by.is_none() {
        bail!("this chart needs --by ATTR");
    }
    let by = args.by.clone().unwrap_or_default();
    let chart = coded(context, &args.analysis, |data| {
        let (name, table) = match args.kind {
            ChartKind::Themes => (
                "themes-by-",
                themes(data, &ThemeOptions { by: vec![by.clone()], ..Default::default() })?,
            ),
            ChartKind::Crosstab => (
                "crosstab-",
                crosstab(
                    data,
                    &CrosstabOptions {
                        by: vec![by.clone()],
                        wave: None,
                        adjustment: Adjustment::Holm,
                    },
                )?,
            ),
            ChartKind::Compare => {
                let study = data.study;
                let defaults = study.compare.as_ref();
                let from =
                    defaults.map(|c| c.from.clone()).or_else(|| study.waves.first().cloned());
                let to = defaults.map(|c| c.to.clone()).or_else(|| study.waves.last().cloned());
                let (Some(from), Some(to)) = (from, to) else {
                    bail!("nothing to compare: declare waves or [compare]")
                };
                let by = defaults.map_or("wave".to_owned(), |c| c.by.clone());
                let options = CompareOptions {
                    by,
                    from,
                    to,
                    within: None,
                    adjustment: Adjustment::Holm,
                    test: McNemarTest::Exact,
                    quotes: 0,
                };
                ("compare", compare(data, &options)?)
            }
            ChartKind::Cooccur => ("cooccur", cooccur(data, CooccurUnit::Segment)),
            ChartKind::Likert => ("likert", likert(data.study, data.corpus)),
            ChartKind::Saturation => ("saturation", saturation(data)),
        };
        let name = if name.ends_with('-') { format!("{name}{by}") } else { name.to_owned() };
        pipeline::chart_for(data, &name, &table)
            .ok_or_else(|| anyhow::anyhow!("nothing to draw: the table is empty"))
    })?;
    let rendered = chart::render(&chart)?;
    let bytes = if extension == "svg" { rendered.svg.into_bytes() } else { rendered.png };
    output::write_file(&out, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// `qualkit agree`
pub fn run_agree(args: &AgreeArgs, context: &Context) -> Result<ExitCode> {
    // loaded as the analyses load: the texts read are the coded documents' and the quoted
    // segments' (kept whole, a 1 GB study's agreement held all of its text, 1.7 GB)
    let coded = context
        .coded(args.analysis.codebook.as_deref(), args.analysis.coding_unit.map(Into::into))?;
    let mut data = coded.dataset(context.study()?);
    for filter in &args.analysis.filters {
        data.restrict(filter)?;
    }
    let mut manual = agree::ManualCodings::default();
    for file in &args.files {
        let bytes = std::fs::read(file).map_err(|e| qualkit::Error::io(file, e))?;
        agree::read_manual(&data, file, &bytes, &mut manual)?;
    }
    for warning in &manual.warnings {
        eprintln!("warning: {warning}");
    }
    let level = match args.unit {
        AgreeUnitArg::Segment => agree::Level::Segment,
        AgreeUnitArg::Char => agree::Level::Char,
    };
    let comparison = agree::Comparison::new(&data, &manual.annotations, level);
    let codes = comparison.codes(&args.codes)?;
    let (table, list) = if args.auto {
        let coder = match (&args.coder, comparison.coders.as_slice()) {
            (Some(coder), _) => coder.clone(),
            (None, [only]) => only.clone(),
            (None, coders) => bail!(
                "--auto compares with one coder; the files name {}: choose one with --coder",
                coders.join(", ")
            ),
        };
        comparison.against_auto(&coder, &codes)?
    } else {
        if comparison.coders.len() < 2 {
            bail!(
                "agreement needs at least two coders; the files name {}",
                comparison.coders.join(", ")
            );
        }
        (comparison.table(&codes), comparison.disagreements(&codes))
    };
    let table = noted(table, &args.analysis.filters);
    // nothing shown from a text whose file changed while read
    coded.indexed.corpus.check_texts()?;
    if let Some(path) = &args.list {
        context.write_table(&noted(list, &args.analysis.filters), Some(path))?;
    }
    if let Some(path) = &args.chart {
        let drawn = chart::agreement_intervals(&table)
            .ok_or_else(|| anyhow::anyhow!("nothing to draw: no code has an α"))?;
        let rendered = chart::render(&drawn)?;
        let svg = path.extension().is_some_and(|e| e == "svg");
        output::write_file(path, if svg { rendered.svg.as_bytes() } else { &rendered.png })?;
    }
    write(context, &table, args.analysis.out.as_deref())
}
