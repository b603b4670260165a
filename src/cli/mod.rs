//! The command-line interface: parse arguments, load the study, run one subcommand.
//!
//! Everything that touches the terminal lives here: progress bars, messages on stderr,
//! exit codes. The work itself is done by the library.

mod analyse;
pub mod args;
mod code;
mod codebook;
mod index;
mod init;
pub mod output;
mod refi;
mod run;
mod search;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use qualkit::corpus::Corpus;
use qualkit::index::SegmentIndex;
use qualkit::segment::{Segment, Unit};
use qualkit::study::{SpeakerFilter, Study};
use qualkit::table::Grouped;

use args::{Cli, Command};

/// Exit code for "the search found nothing".
pub const NOTHING_FOUND: u8 = 1;

/// What every subcommand gets: the study (loaded on first use) and the global options.
pub struct Context {
    /// `--study`, when given.
    pub study_dir: Option<PathBuf>,
    study: std::cell::OnceCell<Study>,
    /// Suppress progress and notices.
    pub quiet: bool,
    /// `--format`, when given.
    pub format: Option<args::FormatArg>,
}

/// Leave `value`'s memory to the operating system instead of freeing it: called on what a
/// command built, just before the process exits, because freeing a large study's millions
/// of small allocations one by one takes longer than the kernel takes to drop the whole
/// address space. Nothing in `value` may need its destructor run (no open writer, no lock).
pub fn free_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// A coded study: corpus, segments and index for the coded unit, the codebook and codings.
pub struct Coded {
    /// Corpus, segments, index.
    pub indexed: Indexed,
    /// The codebook applied.
    pub codebook: qualkit::codebook::Codebook,
    /// Its file's bytes (hashed into run.json).
    pub codebook_bytes: Vec<u8>,
    /// The codings.
    pub codings: qualkit::coding::Codings,
    /// The unit coded.
    pub unit: Unit,
}

impl Coded {
    /// The analyses' view of this coding of `study`.
    pub fn dataset<'a>(&'a self, study: &'a Study) -> qualkit::analysis::Dataset<'a> {
        let indexed = &self.indexed;
        qualkit::analysis::Dataset::new(
            study,
            &indexed.corpus,
            &indexed.segments,
            self.unit,
            &self.codebook,
            &self.codings,
        )
        .with_index(&indexed.index)
    }
}

/// A study's corpus with the segments and index for one unit.
pub struct Indexed {
    /// Everything ingested.
    pub corpus: Corpus,
    /// Segments for the unit, numbered as in the index.
    pub segments: Vec<Segment>,
    /// The open index.
    pub index: SegmentIndex,
}

impl Context {
    fn new(cli: &Cli) -> Context {
        Context {
            study_dir: cli.study.clone(),
            study: std::cell::OnceCell::new(),
            quiet: cli.quiet,
            format: cli.format,
        }
    }

    /// The study: `--study`, else the nearest `study.toml` at or above the current folder.
    pub fn study(&self) -> Result<&Study> {
        if let Some(study) = self.study.get() {
            return Ok(study);
        }
        let root = match &self.study_dir {
            Some(dir) => dir.clone(),
            None => Study::discover(&std::env::current_dir()?)?,
        };
        let study = Study::load(&root)?;
        Ok(self.study.get_or_init(|| study))
    }

    fn corpus_with(
        &self,
        load: fn(&qualkit::study::Study) -> qualkit::Result<Corpus>,
    ) -> Result<Corpus> {
        let corpus = load(self.study()?)?;
        for warning in &corpus.warnings {
            output::notice(self.quiet, &format!("warning: {warning}"));
        }
        Ok(corpus)
    }

    /// Ingest the study for a command that indexes it, printing any warnings (guessed
    /// encodings) unless quiet. The study's cache folder is made first (the index would make
    /// it anyway), so that the input hashes and the parse are kept from the first such
    /// command on, not from the second (they are kept only where the folder exists: commands
    /// that never index leave the study as they found it). The texts of files unchanged
    /// since their parse was kept are read only when asked for, and in a large study every
    /// text read to parse it is let go once parsed ([`Corpus::load_letting_texts_go`]; kept,
    /// as [`Corpus::load_deferring_texts`] keeps them, a 1 GB study's first analysis held its
    /// whole text, 1.9 GB at its peak); the caller checks them ([`Corpus::check_texts`])
    /// before keeping an output. For commands whose passes read a document's text as they
    /// come to it, or that read few (an analysis reads its quotes').
    pub fn corpus_to_index_letting_texts_go(&self) -> Result<Corpus> {
        let _ = std::fs::create_dir_all(self.study()?.cache_dir());
        self.corpus_with(Corpus::load_letting_texts_go)
    }

    /// Segment `corpus` by `unit` and open (or rebuild) its index of the segments of
    /// `speakers`, with a progress bar.
    pub fn indexed(&self, corpus: Corpus, unit: Unit, speakers: SpeakerFilter) -> Result<Indexed> {
        let (segments, index) = self.index(&corpus, unit, speakers)?;
        // from here on, coding and the analyses let go of much of what they make
        // a large study's ([`crate::hand_memory_back_soon`])
        let bytes: usize = corpus.documents.iter().map(|d| d.text_len()).sum();
        if bytes as u64 >= qualkit::corpus::LARGE_STUDY_BYTES {
            crate::hand_memory_back_soon();
        }
        Ok(Indexed { corpus, segments, index })
    }

    /// The codebook to use: the one given, else `[coding] codebook`.
    pub fn codebook_path(&self, given: Option<&std::path::Path>) -> Result<PathBuf> {
        let study = self.study()?;
        match (given, &study.coding.codebook) {
            (Some(path), _) => Ok(path.to_path_buf()),
            (None, Some(path)) => {
                let resolved = study.resolve(path);
                match std::fs::metadata(&resolved) {
                    Ok(found) if found.is_file() => return Ok(resolved),
                    // not a missing file (no permission, a disk error): its own error
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(qualkit::Error::io(resolved, e).into());
                    }
                    _ => {}
                }
                // named where study.toml sets it: the path as written is the study's, not
                // the current folder's
                let message = format!(
                    "[coding] codebook `{}` is not a file (looked for {})",
                    path.display(),
                    resolved.display()
                );
                let at = study.coding.codebook_at;
                Err(qualkit::Error::input(study.manifest_path(), at, message)
                    .with_hint("set [coding] codebook to a codebook's path from the study's folder, or pass --codebook FILE")
                    .into())
            }
            (None, None) => anyhow::bail!(
                "{}: no codebook; pass --codebook FILE or set [coding] codebook = \"…\"",
                study.manifest_path().display()
            ),
        }
    }

    /// How a codebook's rules read words for a command that may run outside a study
    /// (`codebook check`, `codebook import`): as the study says (`[coding] marks` and
    /// `words`) when there is one, `--study` or found above the current folder, else the
    /// defaults. A `study.toml` named with `--study` must load; one found only by looking up
    /// is passed over if it does not, and a `--study` folder without one is no study.
    pub fn codebook_reading(&self) -> Result<qualkit::index::Reading> {
        match self.study() {
            Ok(study) => Ok(study.coding.reading()),
            Err(error) => match &self.study_dir {
                Some(dir) if dir.join(qualkit::study::MANIFEST).exists() => Err(error),
                _ => Ok(qualkit::index::Reading::default()),
            },
        }
    }

    /// Load the codebook at `path`, named in errors by its path in the study when it is in
    /// the study's folder (`../codebooks/x.toml` is not: named so, it would read as the
    /// current folder's).
    pub fn codebook(&self, path: &std::path::Path) -> Result<qualkit::codebook::Codebook> {
        let study = self.study()?;
        let inside =
            |p: &&std::path::Path| !p.components().any(|c| c == std::path::Component::ParentDir);
        let shown = path.strip_prefix(&study.root).ok().filter(inside).unwrap_or(path);
        Ok(qualkit::codebook::Codebook::load_for(path, shown, study.coding.reading())?)
    }

    /// Code the study with `codebook` (else `[coding] codebook`) at `unit` (else
    /// `[coding] unit`), reusing the index; texts read only when asked for, and in a large
    /// study every text read to parse it let go once parsed
    /// ([`Context::corpus_to_index_letting_texts_go`]): segmenting, indexing and coding each
    /// read a document's text again as they come to it, and none keeps it, so a large study's
    /// text is never all held; the turns are let go once segmented
    /// ([`Corpus::let_turns_go`]). Every command that codes reads no turn and few texts after
    /// coding (its quotes', the coded documents'), and checks them before keeping an output
    /// ([`Corpus::check_texts`]).
    pub fn coded(&self, codebook: Option<&std::path::Path>, unit: Option<Unit>) -> Result<Coded> {
        let study = self.study()?;
        let path = self.codebook_path(codebook)?;
        let codebook_bytes = std::fs::read(&path).map_err(|e| qualkit::Error::io(&path, e))?;
        let codebook = self.codebook(&path)?;
        code::check_language(&codebook, study)?;
        let unit = unit.unwrap_or(study.coding.unit);
        let corpus = self.corpus_to_index_letting_texts_go()?;
        let mut indexed = self.indexed(corpus, unit, study.coding.speakers)?;
        indexed.corpus.let_turns_go();
        let codings = qualkit::coding::apply(
            &codebook,
            &indexed.index,
            &indexed.corpus,
            &indexed.segments,
            study.coding.speakers,
        )?;
        Ok(Coded { indexed, codebook, codebook_bytes, codings, unit })
    }

    /// Segment `corpus` by `unit` (or read the segments kept beside its index) and open (or
    /// rebuild) the index of the segments of `speakers`, with a progress bar.
    pub fn index(
        &self,
        corpus: &Corpus,
        unit: Unit,
        speakers: SpeakerFilter,
    ) -> Result<(Vec<Segment>, SegmentIndex)> {
        let bar = output::progress_bar(self.quiet, &format!("indexing {}s", unit.name()));
        let mut progress = |done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        };
        let mut waiting = |lock: &std::path::Path| {
            let what = "waiting for another qualkit process to finish with the index";
            output::notice(self.quiet, &format!("{what} ({})", lock.display()));
        };
        let study = self.study()?;
        let segmented = SegmentIndex::segment_and_open(
            study,
            corpus,
            unit,
            speakers,
            &mut progress,
            &mut waiting,
        )?;
        bar.finish_and_clear();
        Ok(segmented)
    }

    /// Write a table to `out` or stdout in `--format`, else in the format `out`'s extension
    /// names (`.csv`, `.tsv`, `.json`, `.md`, `.tex`, `.html`, `.docx`), else as text; Word
    /// documents need a file.
    pub fn write_table(
        &self,
        table: &qualkit::table::Table,
        out: Option<&std::path::Path>,
    ) -> Result<()> {
        use args::FormatArg;
        let from_extension = || {
            let extension = out?.extension()?.to_str()?.to_ascii_lowercase();
            Some(match extension.as_str() {
                "csv" => FormatArg::Csv,
                "tsv" => FormatArg::Tsv,
                "json" => FormatArg::Json,
                "md" => FormatArg::Md,
                "tex" => FormatArg::Latex,
                "html" | "htm" => FormatArg::Html,
                "docx" => FormatArg::Docx,
                _ => return None,
            })
        };
        let format = self.format.or_else(from_extension).unwrap_or(FormatArg::Text);
        if format == FormatArg::Docx {
            let Some(path) = out else {
                anyhow::bail!("--format docx writes a Word file: add --out FILE.docx");
            };
            return output::write_file(path, &qualkit::export::docx::render(table));
        }
        let text = qualkit::export::render(table, format.into());
        match out {
            Some(path) => output::write_file(path, text.as_bytes()),
            None => output::write(None, &text),
        }
    }
}

/// Parse arguments and run the command.
///
/// # Errors
/// Whatever the command reports; the caller prints it and exits 2.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let mut context = Context::new(&cli);
    if let Command::Run(args) = &cli.command
        && let Some(study) = &args.study
    {
        context.study_dir = Some(study.clone());
    }
    match &cli.command {
        Command::Run(args) => run::run(args, &context),
        Command::Init(args) => init::run(args, &context),
        Command::Report(args) => run::report(args, &context),
        Command::Index(args) => index::run(args, &context),
        Command::Search(args) => search::run(args, &context),
        Command::Code(args) => code::run(args, &context),
        Command::Codebook(command) => codebook::run(command, &context),
        Command::Themes(args) => analyse::run_themes(args, &context),
        Command::Compare(args) => analyse::run_compare(args, &context),
        Command::Crosstab(args) => analyse::run_crosstab(args, &context),
        Command::Cooccur(args) => analyse::run_cooccur(args, &context),
        Command::Saturation(args) => analyse::run_saturation(args, &context),
        Command::Likert(args) => analyse::run_likert(args, &context),
        Command::Chart(args) => analyse::run_chart(args, &context),
        Command::Agree(args) => analyse::run_agree(args, &context),
        Command::Anonymise(args) => anonymise(args, &context),
        Command::Export(args::ExportCommand::Refi(args)) => refi::export(args, &context),
        Command::Import(args::ImportCommand::Refi(args)) => refi::import(args, &context),
    }
}

/// `qualkit anonymise`: the copy, the replacement report beside it, and suggestions.
fn anonymise(args: &args::AnonymiseArgs, context: &Context) -> Result<ExitCode> {
    use qualkit::anonymise::{NameMap, anonymise, suggest};
    let study = context.study()?;
    let map = NameMap::load(&args.map)?;
    let report = args.report.clone().unwrap_or_else(|| {
        let name =
            args.out.file_name().map_or("study".into(), |n| n.to_string_lossy().into_owned());
        args.out.with_file_name(format!("{name}.replacements.csv"))
    });
    // the list holds the real names: never in the copy, which is made to be shared
    let absolute = |path: &std::path::Path| std::path::absolute(path).unwrap_or(path.into());
    if absolute(&report).starts_with(absolute(&args.out)) {
        anyhow::bail!(
            "--report {}: the list of replacements holds the real names, so it may not go inside the copy {}",
            report.display(),
            args.out.display()
        );
    }
    // the list made in memory as the copy is (its rows, not the replacements: a 1 GB study's
    // 656,780 take 30 MB), and written once the copy is in place: nothing holding real names
    // is left on disk by a copy that fails or is stopped
    let mut list = csv::Writer::from_writer(Vec::new());
    list.write_record(["file", "line", "name", "pseudonym"])?;
    let mut replaced = |r: &qualkit::anonymise::Replacement| {
        let cells = [r.file.as_str(), &r.line.to_string(), &r.original, &r.pseudonym];
        let row = list.write_record(cells.map(qualkit::export::neutralise));
        row.map_err(|e| qualkit::Error::io(&report, e.into()))
    };
    let summary = anonymise(study, &map, &args.out, &mut replaced)?;
    output::create_parent(&report)?;
    output::write_file(&report, &list.into_inner()?)?;
    output::notice(
        context.quiet,
        &format!(
            "{} files, {} replacements → {}; the list of replacements (it holds the real names) → {}",
            Grouped(summary.files),
            Grouped(summary.replacements),
            args.out.display(),
            report.display()
        ),
    );
    if args.suggest {
        let found = suggest(&args.out, &map)?;
        println!("Capitalised words in the copy that may be names (count, first place):");
        for (word, count, place) in found.iter().take(40) {
            println!("  {word:<20} {count:>5}  {place}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
