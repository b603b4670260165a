//! `qualkit codebook check`: examples, counterexamples, lints, and what the codebook codes.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use qualkit::codebook::check::{self, StudyReport};
use qualkit::codebook::{self, Codebook};
use qualkit::coding::MatchCache;
use qualkit::export::{self, Format};
use qualkit::index::Language;
use qualkit::study::SpeakerFilter;
use qualkit::table::Grouped;

use super::args::{
    CodebookCheckArgs, CodebookCommand, CodebookExportArgs, CodebookFormat, CodebookImportArgs,
};
use super::{Context, output};

/// Dispatch `qualkit codebook …`.
pub fn run(command: &CodebookCommand, context: &Context) -> Result<ExitCode> {
    match command {
        CodebookCommand::Check(args) => check(args, context),
        CodebookCommand::Import(args) => import(args, context),
        CodebookCommand::Export(args) => export(args),
    }
}

fn import(args: &CodebookImportArgs, context: &Context) -> Result<ExitCode> {
    let language = Language::parse(&args.language).map_err(anyhow::Error::msg)?;
    // entries become rules as the study reads words (`don't` is two words where words are
    // runs of letters and digits), and the codebook written is checked as the study will read it
    let reading = context.codebook_reading()?;
    let imported = codebook::import::import(&args.file, language, reading)?;
    let text = imported.draft.to_toml();
    let codebook = Codebook::parse_for(&args.out, &text, reading)?;
    output::write_file(&args.out, text.as_bytes())?;
    let mut summary = format!(
        "{} codes, {} entries from {} → {}",
        Grouped(codebook.codes.len()),
        Grouped(imported.entries),
        args.file.display(),
        args.out.display()
    );
    if !imported.approximated.is_empty() {
        let _ = write!(
            summary,
            "; {} entries approximated as phrases",
            Grouped(imported.approximated.len())
        );
    }
    if !imported.skipped.is_empty() {
        let _ = write!(
            summary,
            "; {} skipped: {}",
            Grouped(imported.skipped.len()),
            imported.skipped.join("; ")
        );
    }
    output::notice(context.quiet, &summary);
    Ok(ExitCode::SUCCESS)
}

fn export(args: &CodebookExportArgs) -> Result<ExitCode> {
    let codebook = Codebook::load(&args.file)?;
    let table = codebook::export::to_table(&codebook);
    let text = match args.target {
        CodebookFormat::Qdc => codebook::export::to_qdc(&codebook),
        CodebookFormat::Csv => export::render(&table, Format::Csv),
        CodebookFormat::Md => export::render(&table, Format::Markdown),
        CodebookFormat::Latex => export::render(&table, Format::Latex),
        CodebookFormat::Html => export::render(&table, Format::Html),
    };
    match &args.out {
        Some(path) => output::write_file(path, text.as_bytes())?,
        None => output::write(None, &text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CodebookCheckArgs, context: &Context) -> Result<ExitCode> {
    let mut text = String::new();
    let mut failed = false;
    // examples are read, and rules compiled, as the study codes them
    let reading = context.codebook_reading()?;
    for path in &args.files {
        let codebook = Codebook::load_for(path, path, reading)?;
        let reports = check::check(&codebook);
        let (mut failures, mut warnings, mut tests) = (0, 0, 0);
        for report in &reports {
            let depth = "  ".repeat(codebook.depth(&report.id));
            let verdict = if report.failures.is_empty() { "pass" } else { "FAIL" };
            writeln!(text, "{verdict}  {depth}{} ({} tests)", report.id, report.tests)?;
            for failure in &report.failures {
                writeln!(text, "        {failure}")?;
            }
            for warning in &report.warnings {
                writeln!(text, "        warning: {warning}")?;
            }
            failures += report.failures.len();
            warnings += report.warnings.len();
            tests += report.tests;
        }
        writeln!(
            text,
            "{}: {} codes, {tests} examples and counterexamples, {failures} failures, {warnings} warnings\n",
            path.display(),
            codebook.codes.len()
        )?;
        failed |= failures > 0;
        if context.study_dir.is_some() {
            text.push_str(&study_section(&codebook, context)?);
        }
    }
    output::write(None, &text)?;
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// What a codebook codes in the study. The study is loaded as `run` loads it, texts read as
/// the check comes to them and let go. The rules' matches are added to the match cache (for
/// the study's own codebook or a draft alike: none the cache held is let go, so the next
/// re-code still copies what the edit leaves alone), where the study codes the speakers the
/// check looks at (respondents).
fn study_section(codebook: &Codebook, context: &Context) -> Result<String> {
    let study = context.study()?;
    let unit = study.coding.unit;
    let mut corpus = context.corpus_to_index_letting_texts_go()?;
    let (segments, index) = context.index(&corpus, unit, study.coding.speakers)?;
    corpus.let_turns_go();
    let cache = if study.coding.speakers == SpeakerFilter::Respondents {
        MatchCache::Add
    } else {
        MatchCache::Read
    };
    let report = check::check_study(codebook, &index, (&corpus, &segments), cache)?;
    corpus.check_texts()?;
    Ok(render_study(&report, &study.name, unit.name()))
}

fn render_study(report: &StudyReport, study: &str, unit: &str) -> String {
    let mut text = format!("On {study} ({unit}s, respondents only):\n");
    let unused: Vec<&str> =
        report.coded.iter().filter(|(_, n)| *n == 0).map(|(id, _)| id.as_str()).collect();
    if unused.is_empty() {
        text.push_str("  every code codes something\n");
    } else {
        let _ = writeln!(text, "  codes that code nothing: {}", unused.join(", "));
    }
    let words: Vec<String> =
        report.uncoded_words.iter().map(|(w, n)| format!("{w} ({})", Grouped(n))).collect();
    let _ = writeln!(text, "  most frequent words in uncoded segments: {}", words.join(", "));
    text.push_str("  word forms matched by each rule:\n");
    for forms in &report.forms {
        let listed: Vec<String> =
            forms.forms.iter().map(|(f, n)| format!("{f} {}", Grouped(n))).collect();
        let listed = if listed.is_empty() { "(nothing)".to_owned() } else { listed.join(", ") };
        let _ = writeln!(text, "    {:<28} {:<32} {listed}", forms.code, forms.rule);
        if !forms.suspicious.is_empty() {
            let _ = writeln!(
                text,
                "    {:<28} {:<32} check: {} (unrelated to the rule's words? use =exact or a prefix)",
                "",
                "",
                forms.suspicious.join(", ")
            );
        }
    }
    text
}
