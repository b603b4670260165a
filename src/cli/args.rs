//! The whole command-line surface, in one place (clap derive). Each flag's doc comment is
//! its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use qualkit::export::Format;
use qualkit::segment::Unit;
use qualkit::study::SpeakerFilter;

/// Reproducible qualitative analysis of interviews and questionnaires.
#[derive(Debug, Parser)]
#[command(name = "qualkit", version, about, max_term_width = 100)]
pub struct Cli {
    /// Study folder holding study.toml [default: the nearest study.toml at or above the
    /// current folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub study: Option<PathBuf>,

    /// No progress bars or notices on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Output format for tables and listings
    #[arg(long, global = true, value_enum)]
    pub format: Option<FormatArg>,

    /// The command to run
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The whole analysis: codings, segments, tables, charts, report and run.json into DIR
    /// (default <study>/out)
    Run(RunArgs),
    /// Create a new study folder: study.toml, participants.csv, folders, a starter codebook
    Init(InitArgs),
    /// Only the self-contained HTML report (as in `run`) into FILE (default <study>/out/report.html)
    Report(ReportArgs),
    /// Build or refresh the search index (other commands do this when it is stale)
    Index(IndexArgs),
    /// Keyword-in-context concordance of a query in the rule language
    Search(SearchArgs),
    /// Apply a codebook's rules to the study and write codings.csv with evidence
    Code(CodeArgs),
    /// Check, import or export codebooks
    #[command(subcommand)]
    Codebook(CodebookCommand),
    /// Per code: participants mentioning it n (%), documents, segments, coverage, rate
    Themes(ThemesArgs),
    /// Before vs after (pre vs post), paired on participants present in both
    Compare(CompareArgs),
    /// Codes × groups of participants: n (%) per group, χ² or Fisher, Cramér's V
    Crosstab(CrosstabArgs),
    /// Code × code co-occurrence (counts and Jaccard)
    Cooccur(CooccurArgs),
    /// New codes per successive document (thematic saturation)
    Saturation(AnalysisArgs),
    /// Likert items by wave: counts, median, IQR, paired Wilcoxon
    Likert(OutArgs),
    /// Draw a chart as SVG or PNG (by the extension of --out)
    Chart(ChartArgs),
    /// Agreement between coders (codings.csv files with coder names in `origin`), per code
    Agree(AgreeArgs),
    /// A pseudonymised copy of the study: names and ids replaced everywhere, codings moved
    Anonymise(AnonymiseArgs),
    /// Export the study for other tools
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import a project from another tool as a new study
    #[command(subcommand)]
    Import(ImportCommand),
}

/// `qualkit anonymise`
#[derive(Debug, Args)]
pub struct AnonymiseArgs {
    /// CSV with columns `name,pseudonym`: real names and participant ids to replace
    #[arg(long, value_name = "FILE.csv")]
    pub map: PathBuf,

    /// The new study folder (must not exist or be empty)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Where to list every replacement (file, line, name, pseudonym) [default:
    /// DIR.replacements.csv beside DIR; never inside the copy]
    #[arg(long, value_name = "FILE.csv")]
    pub report: Option<PathBuf>,

    /// Also list capitalised words in the copy that may be names the map missed
    #[arg(long)]
    pub suggest: bool,
}

/// `qualkit export …`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder: sources, codebook,
    /// auto-codings, manual codings ([agreement] codings and --codings), cases and variables
    Refi(ExportRefiArgs),
}

/// `qualkit export refi`
#[derive(Debug, Args)]
pub struct ExportRefiArgs {
    /// Where to write the project
    #[arg(long, value_name = "FILE.qdpx")]
    pub out: PathBuf,

    /// Manual codings to include besides [agreement] codings (codings.csv layout or Taguette)
    #[arg(long, value_name = "FILE")]
    pub codings: Vec<PathBuf>,
}

/// `qualkit import …`
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A REFI-QDA project (.qdpx): sources, codebook, each user's codings, cases → a new study
    Refi(ImportRefiArgs),
}

/// `qualkit import refi`
#[derive(Debug, Args)]
pub struct ImportRefiArgs {
    /// The project
    #[arg(value_name = "FILE.qdpx")]
    pub file: PathBuf,

    /// The new study's folder (must not exist or be empty)
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
}

/// `qualkit agree`
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// Manual codings: the codings.csv layout (document, start, end, code, origin) or a
    /// Taguette highlight export (id, document, tag, content; the file name names the coder)
    #[arg(required = true, value_name = "CODINGS")]
    pub files: Vec<PathBuf>,

    /// What a unit of agreement is: a segment of the coding unit, or a character
    #[arg(long, value_enum, default_value = "segment")]
    pub unit: AgreeUnitArg,

    /// Only these codes (comma-separated ids) [default: every code]
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub codes: Vec<String>,

    /// Measure the codebook's auto-coding against a human coder (precision, recall, F1)
    #[arg(long)]
    pub auto: bool,

    /// The human coder for --auto [default: the only coder in the files]
    #[arg(long, value_name = "NAME", requires = "auto")]
    pub coder: Option<String>,

    /// Also write the units behind the numbers to FILE: the disagreements, or with --auto
    /// the segments the rules missed or coded wrongly
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,

    /// Also draw α per code with its interval to FILE (.svg or .png)
    #[arg(long, value_name = "FILE", conflicts_with = "auto")]
    pub chart: Option<PathBuf>,

    /// Codebook (code order and ids), unit compared (--coding-unit), --where and --out
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `--unit` of agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgreeUnitArg {
    /// A segment of the coding unit (a coder applied the code anywhere in it)
    Segment,
    /// A character (NVivo's coding comparison)
    Char,
}

/// `qualkit chart`
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Which chart
    #[arg(value_enum)]
    pub kind: ChartKind,

    /// Group by this participant attribute (`themes`, `crosstab`), or `wave` for themes
    #[arg(long, value_name = "ATTR")]
    pub by: Option<String>,

    /// Codebook, coding unit, filters, and --out FILE (.svg or .png; required)
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `qualkit chart` kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartKind {
    /// Grouped bars: % of each group mentioning each code (needs --by)
    Themes,
    /// Heatmap of % per code and group (needs --by)
    Crosstab,
    /// Dumbbell per code: before vs after
    Compare,
    /// Heatmap of Jaccard similarity between top-level codes
    Cooccur,
    /// Diverging stacked bars of Likert items by wave
    Likert,
    /// Codes seen so far per successive document
    Saturation,
}

/// `qualkit run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The study folder [default: --study, or the nearest study.toml]
    #[arg(value_name = "STUDY")]
    pub study: Option<PathBuf>,

    /// Output folder [default: <study>/out]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `qualkit report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output file [default: <study>/out/report.html]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `qualkit init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (must not exist, or be empty)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Where a table goes.
#[derive(Debug, Args)]
pub struct OutArgs {
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options shared by every analysis of codings.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Codebook to apply [default: [coding] codebook in study.toml]
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Unit that is coded [default: [coding] unit in study.toml, else sentence]
    #[arg(long = "coding-unit", value_enum, value_name = "UNIT")]
    pub coding_unit: Option<UnitArg>,

    /// Only speech where ATTR=VALUE: a participant attribute (role=student) or a document
    /// one (kind=interview, wave=pre); repeatable, all must hold
    #[arg(long = "where", value_name = "ATTR=VALUE")]
    pub filters: Vec<String>,

    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `qualkit themes`
#[derive(Debug, Args)]
pub struct ThemesArgs {
    /// Split by a participant attribute or `wave` (repeatable)
    #[arg(long, value_name = "ATTR")]
    pub by: Vec<String>,

    /// What the n (%) columns count
    #[arg(long, value_enum, default_value = "participant")]
    pub unit: CountUnitArg,

    /// Exemplar quotes per code
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub quotes: usize,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `--unit` of themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountUnitArg {
    /// Participants
    Participant,
    /// Documents
    Document,
    /// Segments
    Segment,
}

/// `qualkit compare`
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// What distinguishes the conditions [default: [compare] by in study.toml, else wave]
    #[arg(long, value_name = "ATTR")]
    pub by: Option<String>,

    /// The earlier level [default: [compare] from, else the first declared wave]
    #[arg(long, value_name = "LEVEL")]
    pub from: Option<String>,

    /// The later level [default: [compare] to, else the last declared wave]
    #[arg(long, value_name = "LEVEL")]
    pub to: Option<String>,

    /// Repeat the comparison within each level of this participant attribute
    #[arg(long, value_name = "ATTR")]
    pub within: Option<String>,

    /// p-value adjustment across codes
    #[arg(long, value_enum, default_value = "holm")]
    pub adjust: AdjustArg,

    /// McNemar variant
    #[arg(long, value_enum, default_value = "exact")]
    pub test: McNemarArg,

    /// Exemplar quotes per code from each condition
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub quotes: usize,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `--adjust` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdjustArg {
    /// Holm's step-down (family-wise error)
    Holm,
    /// Benjamini–Hochberg (false discovery rate)
    Bh,
    /// No adjustment
    None,
}

/// `--test` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum McNemarArg {
    /// Exact binomial test
    Exact,
    /// Mid-p
    Midp,
    /// χ² with continuity correction
    Chi2,
}

/// `qualkit crosstab`
#[derive(Debug, Args)]
pub struct CrosstabArgs {
    /// Participant attribute (give twice to combine two)
    #[arg(long, value_name = "ATTR", required = true)]
    pub by: Vec<String>,

    /// Only this wave
    #[arg(long, value_name = "WAVE")]
    pub wave: Option<String>,

    /// p-value adjustment across codes
    #[arg(long, value_enum, default_value = "holm")]
    pub adjust: AdjustArg,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `qualkit cooccur`
#[derive(Debug, Args)]
pub struct CooccurArgs {
    /// Within which unit codes co-occur
    #[arg(long, value_enum, default_value = "segment")]
    pub within: CooccurUnitArg,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `cooccur --within` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CooccurUnitArg {
    /// The same segment
    Segment,
    /// The same document
    Document,
    /// The same participant
    Participant,
}

/// `qualkit code`
#[derive(Debug, Args)]
pub struct CodeArgs {
    /// Codebook to apply [default: [coding] codebook in study.toml]
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Unit that is coded [default: [coding] unit in study.toml, else sentence]
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,

    /// Whose speech is coded [default: [coding] speakers in study.toml, else respondents]
    #[arg(long, value_enum)]
    pub speakers: Option<SpeakersArg>,

    /// Add these participant attributes as columns (repeatable)
    #[arg(long = "attribute", value_name = "ATTR")]
    pub attributes: Vec<String>,

    /// Add a `text` column, the segment's text, to every row (`qualkit run` writes each
    /// segment's text once, in segments.csv)
    #[arg(long)]
    pub text: bool,

    /// Where to write the codings; `-` for standard output [default: <study>/out/codings.csv]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `qualkit codebook …`
#[derive(Debug, Subcommand)]
pub enum CodebookCommand {
    /// Run every code's examples and counterexamples and lint; with --study, also show what
    /// the codebook codes and misses in the study. Exit 2 on any failure.
    Check(CodebookCheckArgs),
    /// Import a LIWC .dic, quanteda YAML (.yml), CSV or REFI-QDA .qdc codebook
    Import(CodebookImportArgs),
    /// Export a codebook as REFI-QDA .qdc, or as a table (csv, md, latex, html)
    Export(CodebookExportArgs),
}

/// `qualkit codebook import`
#[derive(Debug, Args)]
pub struct CodebookImportArgs {
    /// The file to import (.dic, .yml, .yaml, .csv, .qdc)
    pub file: PathBuf,

    /// Where to write the codebook (TOML)
    #[arg(long, value_name = "FILE.toml")]
    pub out: PathBuf,

    /// Stemming language of the new codebook
    #[arg(long, default_value = "english")]
    pub language: String,
}

/// `qualkit codebook export`
#[derive(Debug, Args)]
pub struct CodebookExportArgs {
    /// The codebook (TOML)
    pub file: PathBuf,

    /// Output format
    #[arg(long = "as", id = "as", value_enum, value_name = "FORMAT")]
    pub target: CodebookFormat,

    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `codebook export --as` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodebookFormat {
    /// REFI-QDA codebook XML
    Qdc,
    /// CSV (the layout `codebook import` reads)
    Csv,
    /// Markdown table
    Md,
    /// LaTeX (booktabs) table
    Latex,
    /// HTML table
    Html,
}

/// `qualkit codebook check`
#[derive(Debug, Args)]
pub struct CodebookCheckArgs {
    /// Codebook files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `qualkit index`
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Unit to index [default: the coding unit in study.toml, and turns for search]
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,
}

/// `qualkit search`
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: word (stemmed), =exact, prefix*, "a phrase"~n, a NEAR/n b, AND, OR, NOT, ( )
    pub query: String,

    /// Count hits per level of this attribute (a participant attribute, wave, kind,
    /// speaker, participant or document) instead of listing them
    #[arg(long, value_name = "ATTR")]
    pub by: Option<String>,

    /// Words of context on each side of a match
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub context: usize,

    /// Show at most N hits (all are counted)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Segment unit searched: a match must lie within one unit
    #[arg(long, value_enum, default_value = "turn")]
    pub unit: UnitArg,

    /// Whose speech to search
    #[arg(long, value_enum, default_value = "all")]
    pub speakers: SpeakersArg,

    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned text for the terminal
    Text,
    /// Comma-separated values
    Csv,
    /// Tab-separated values
    Tsv,
    /// JSON
    Json,
    /// Markdown table
    Md,
    /// LaTeX (booktabs) table
    Latex,
    /// HTML table
    Html,
    /// Word document with the table (needs --out)
    Docx,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Text => Format::Text,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Json => Format::Json,
            FormatArg::Md => Format::Markdown,
            FormatArg::Latex => Format::Latex,
            FormatArg::Html => Format::Html,
            FormatArg::Docx => Format::Text,
        }
    }
}

/// `--unit` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    /// Whole speaker turns
    Turn,
    /// Sentences within turns
    Sentence,
    /// Paragraphs within turns
    Paragraph,
}

impl From<UnitArg> for Unit {
    fn from(arg: UnitArg) -> Unit {
        match arg {
            UnitArg::Turn => Unit::Turn,
            UnitArg::Sentence => Unit::Sentence,
            UnitArg::Paragraph => Unit::Paragraph,
        }
    }
}

/// `--speakers` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpeakersArg {
    /// Participants only
    Respondents,
    /// Everyone, interviewers included
    All,
}

impl From<SpeakersArg> for SpeakerFilter {
    fn from(arg: SpeakersArg) -> SpeakerFilter {
        match arg {
            SpeakersArg::Respondents => SpeakerFilter::Respondents,
            SpeakersArg::All => SpeakerFilter::All,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_are_accepted_after_the_command() {
        let cli = Cli::try_parse_from([
            "qualkit", "search", "x", "--study", "d", "-q", "--format", "csv",
        ])
        .expect("parses");
        assert!(cli.quiet);
        assert_eq!(cli.format, Some(FormatArg::Csv));
    }
}
