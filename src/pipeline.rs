//! `qualkit run`: the whole analysis of a study, as files.
//!
//! [`outputs`] produces, in memory and deterministically (no clock, sorted everything):
//! `codings.csv` and `segments.csv`; `tables/<name>.{csv,md,tex}` for themes, themes by each `[run] themes_by`
//! attribute, the pre/post comparison, a crosstab per `[run] crosstab` attribute,
//! co-occurrence, saturation, Likert items and, with `[agreement]`, intercoder agreement, the
//! disagreements and auto-coding against a coder; `charts/<name>.{svg,png}` for each table that
//! has a chart; `report.html`; and `run.json` (format 1) with
//! the tool and codebook versions and the SHA-256 of every input and output. The CLI writes
//! them into a fresh folder and swaps it into place, so a failed run leaves the previous
//! outputs untouched.

use std::collections::BTreeSet;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::analysis::Dataset;
use crate::analysis::compare::{CompareOptions, McNemarTest, compare};
use crate::analysis::cooccur::{CooccurUnit, cooccur};
use crate::analysis::crosstab::{CrosstabOptions, crosstab};
use crate::analysis::likert::likert;
use crate::analysis::saturation::saturation;
use crate::analysis::themes::{ThemeOptions, themes};
use crate::coding;
use crate::corpus::hex;
use crate::error::Result;
use crate::export::{self, Format};
use crate::report::{self, Section};
use crate::stats::adjust::Adjustment;
use crate::table::Table;

/// A table with its file name and its section heading.
type NamedTable = (String, String, Table);

/// One output file, path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// An output too large to hold in memory (`codings.csv` and `segments.csv` of a large
/// study: hundreds of megabytes), written straight into the output folder.
pub struct StreamedFile<'d> {
    /// Relative path.
    pub path: String,
    /// Writes the contents.
    pub write: Box<WriteContents<'d>>,
}

/// Writes a streamed file's contents into a writer.
pub type WriteContents<'d> =
    dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'd;

impl std::fmt::Debug for StreamedFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamedFile").field("path", &self.path).finish_non_exhaustive()
    }
}

impl StreamedFile<'_> {
    /// The contents, in memory (tests and small studies).
    ///
    /// # Panics
    /// Never: writing to memory cannot fail.
    pub fn bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        (self.write)(&mut bytes).expect("writing to memory cannot fail");
        bytes
    }
}

/// Everything a run produces, and the analyses it left out (with why).
#[derive(Debug)]
pub struct Outputs<'d> {
    /// `codings.csv` and `segments.csv`, streamed.
    pub streamed: Vec<StreamedFile<'d>>,
    /// The tables, charts and report.
    pub files: Vec<OutputFile>,
    /// `run.json` but for the hashes of the streamed files, known once they are written.
    run: serde_json::Value,
    /// Analyses skipped, e.g. "compare: the study has one wave".
    pub skipped: Vec<String>,
}

impl Outputs<'_> {
    /// `run.json`, given the SHA-256 (hex) of each streamed file, in order.
    pub fn run_json(&self, streamed_sha256: &[String]) -> OutputFile {
        let mut document = self.run.clone();
        for (i, sha256) in streamed_sha256.iter().enumerate() {
            document["outputs"][i]["sha256"] = sha256.as_str().into();
        }
        let mut text = serde_json::to_string_pretty(&document).expect("run.json serialises");
        text.push('\n');
        OutputFile { path: "run.json".into(), bytes: text.into_bytes() }
    }

    /// Every file of the run in memory, the streamed ones first and `run.json` last (for
    /// tests and benchmarks; `write_run` streams instead).
    pub fn in_memory(&self) -> Vec<OutputFile> {
        let mut files: Vec<OutputFile> = self
            .streamed
            .iter()
            .map(|file| OutputFile { path: file.path.clone(), bytes: file.bytes() })
            .collect();
        let hashes: Vec<String> = files.iter().map(|file| sha256(&file.bytes)).collect();
        let run_json = self.run_json(&hashes);
        files.extend(self.files.iter().cloned());
        files.push(run_json);
        files
    }
}

/// Produce every output of a run. `codebook_bytes` is hashed into `run.json`.
///
/// # Errors
/// An attribute named in `[run]` that participants.csv lacks, or a bad `[run] where`.
pub fn outputs<'d>(data: &mut Dataset<'d>, codebook_bytes: &[u8]) -> Result<Outputs<'d>> {
    let config = data.study.run.clone();
    // codings.csv holds every coding and segments.csv every segment, whatever `[run] where`
    // keeps
    let (streamed, _) = streamed_files(data);
    // Agreement covers every document the coders coded, whatever `[run] where` keeps.
    let (agreement, manual_inputs) = agreement_tables(data)?;
    for filter in &config.filters {
        data.restrict(filter)?;
    }
    // the report's quotes chosen (beside the analyses) while the lists of each code's
    // segments they are chosen from are held, not made again for them once let go
    let data_read: &Dataset<'d> = data;
    let (tables, ()) = rayon::join(
        || analysis_tables(data_read, &config, agreement),
        || report::choose_quotes(data_read, config.quotes),
    );
    let (tables, skipped) = tables?;
    // what the analyses made on first use is not needed to render their tables, while
    // codings.csv may still be being written (`write_run`)
    data.let_lists_go();
    rendered(data, &config, codebook_bytes, streamed, tables, skipped, &manual_inputs)
}

/// The tables of every analysis `[run]` (`config`) asks for, then `agreement`, and what
/// was skipped and why.
fn analysis_tables(
    data: &Dataset<'_>,
    config: &crate::study::RunConfig,
    agreement: Vec<NamedTable>,
) -> Result<(Vec<NamedTable>, Vec<String>)> {
    use rayon::prelude::*;
    let quotes = config.quotes;
    // counted once up front rather than by whichever analysis asks first
    data.word_counts();
    // The analyses are independent of each other: computed in parallel, gathered in order.
    let computed: Vec<_> = analyses(data, config)
        .into_par_iter()
        .map(|(name, title, compute)| (name, title, compute()))
        .collect();
    let mut tables: Vec<NamedTable> = Vec::new();
    let mut skipped = Vec::new();
    if compare_options(data, quotes).is_none() {
        skipped.push("compare: fewer than two waves and no [compare] in study.toml".to_owned());
    }
    for (name, title, table) in computed {
        match table {
            Ok(table) => tables.push((name, title, table)),
            Err(crate::Error::Usage(why)) if name == "compare" => {
                skipped.push(format!("compare: {why}"))
            }
            Err(e) => return Err(e),
        }
    }
    if data.corpus.likert.is_empty() {
        skipped.push("likert: the study has no Likert items".to_owned());
    }
    tables.extend(agreement);
    if !config.filters.is_empty() {
        let note = format!("Only speech where {}.", config.filters.join(" and "));
        for (name, _, table) in &mut tables {
            if !UNFILTERED.contains(&name.as_str()) {
                table.notes.push(note.clone());
            }
        }
    }
    Ok((tables, skipped))
}

/// Every file of a run but the streamed ones: each of `tables` in three formats and as a
/// chart, the report and `run.json`.
fn rendered<'d>(
    data: &Dataset<'d>,
    config: &crate::study::RunConfig,
    codebook_bytes: &[u8],
    streamed: Vec<StreamedFile<'d>>,
    tables: Vec<NamedTable>,
    mut skipped: Vec<String>,
    manual_inputs: &[crate::corpus::InputFile],
) -> Result<Outputs<'d>> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    // Each table's three formats and its chart, rendered in parallel; the files are listed
    // tables first, then charts, as before.
    let rendered: Vec<_> = tables
        .par_iter()
        .map(|(name, _, table)| {
            let formats: Vec<OutputFile> =
                [("csv", Format::Csv), ("md", Format::Markdown), ("tex", Format::Latex)]
                    .into_iter()
                    .map(|(extension, format)| OutputFile {
                        path: format!("tables/{name}.{extension}"),
                        bytes: export::render(table, format).into_bytes(),
                    })
                    .collect();
            let shown = chart_rows(data, name, table).unwrap_or(0);
            let chart = (shown <= CHART_MAX_ROWS)
                .then(|| chart_for(data, name, table))
                .flatten()
                .map(|chart| crate::chart::render(&chart));
            (formats, shown, chart)
        })
        .collect();
    let mut drawn = Vec::new();
    for ((name, _, table), (formats, shown, chart)) in tables.iter().zip(rendered) {
        files.extend(formats);
        if shown > CHART_MAX_ROWS {
            skipped.push(format!(
                "chart {name}: {shown} codes or rows, more than the {CHART_MAX_ROWS} a chart shows legibly (the table has them all)"
            ));
        }
        if let Some(chart) = chart {
            drawn.push((name, table, chart));
        }
    }
    let mut charts = Vec::new();
    for (name, table, chart) in drawn {
        let rendered = chart?;
        files.push(OutputFile {
            path: format!("charts/{name}.svg"),
            bytes: rendered.svg.clone().into_bytes(),
        });
        files.push(OutputFile { path: format!("charts/{name}.png"), bytes: rendered.png });
        charts.push(Section {
            id: format!("chart-{name}"),
            title: table.title.clone(),
            html: rendered.svg,
        });
    }
    let sections: Vec<Section> =
        tables.iter().map(|(name, title, table)| Section::table(name, title, table)).collect();
    files.push(OutputFile {
        path: "report.html".into(),
        bytes: report::render(data, &sections, &charts, config.quotes).into_bytes(),
    });
    let run = run_json(data, codebook_bytes, manual_inputs, &streamed, &files, &skipped);
    Ok(Outputs { streamed, files, run, skipped })
}

/// `codings.csv`, every coding of `data` with every participant attribute (written by the
/// [`coding::CodingsCsv`] returned, which records it once in place), and `segments.csv`, the
/// text of every segment of the unit coded (by [`coding::write_segments_csv`]): written
/// straight into the output folder, never held in memory.
fn streamed_files<'d>(
    data: &Dataset<'d>,
) -> (Vec<StreamedFile<'d>>, std::sync::Arc<coding::CodingsCsv<'d>>) {
    let (codings, corpus, segments) = (data.codings, data.corpus, data.segments);
    let columns = coding::Columns { text: false, attributes: &corpus.participants.attributes };
    // recorded once written, for a re-code after a codebook edit to copy rows from
    let speakers = data.study.coding.speakers;
    let codings_csv = std::sync::Arc::new(coding::CodingsCsv::of(
        codings,
        data.codebook,
        data.index(),
        speakers,
        columns,
    ));
    let csv = std::sync::Arc::clone(&codings_csv);
    let files = vec![
        StreamedFile {
            path: "codings.csv".into(),
            write: Box::new(move |out: &mut dyn std::io::Write| csv.write(corpus, segments, out)),
        },
        StreamedFile {
            path: "segments.csv".into(),
            write: Box::new(move |out: &mut dyn std::io::Write| {
                coding::write_segments_csv(corpus, segments, out).map(drop)
            }),
        },
    ];
    (files, codings_csv)
}

/// An analysis of a run: file name, section title, and how to compute its table.
type Analysis<'d> = (String, String, Box<dyn Fn() -> Result<Table> + Send + Sync + 'd>);

/// Every analysis `[run]` asks for (or the defaults), in the order of the report.
fn analyses<'d, 'a: 'd>(
    data: &'d Dataset<'a>,
    config: &crate::study::RunConfig,
) -> Vec<Analysis<'d>> {
    let quotes = config.quotes;
    let mut analyses: Vec<Analysis<'d>> = vec![(
        "themes".into(),
        "Themes".into(),
        Box::new(move || themes(data, &ThemeOptions { quotes, ..Default::default() })),
    )];
    // attribute names come from participants.csv: made safe and unique as file names
    let mut file_names = crate::files::UniqueNames::default();
    for attribute in config.themes_by.clone().unwrap_or_else(|| default_split(data)) {
        let options = ThemeOptions { by: vec![attribute.clone()], ..Default::default() };
        analyses.push((
            file_names.unique(&format!("themes-by-{attribute}")),
            format!("Themes by {attribute}"),
            Box::new(move || themes(data, &options)),
        ));
    }
    if let Some(options) = compare_options(data, quotes) {
        analyses.push((
            "compare".into(),
            format!("{} vs {}", options.from, options.to),
            Box::new(move || compare(data, &options)),
        ));
    }
    for attribute in config.crosstab.clone().unwrap_or_else(|| default_crosstab(data)) {
        let options = CrosstabOptions {
            by: vec![attribute.clone()],
            wave: None,
            adjustment: Adjustment::Holm,
        };
        analyses.push((
            file_names.unique(&format!("crosstab-{attribute}")),
            format!("Codes by {attribute}"),
            Box::new(move || crosstab(data, &options)),
        ));
    }
    analyses.push((
        "cooccur".into(),
        "Co-occurrence".into(),
        Box::new(move || Ok(cooccur(data, CooccurUnit::Segment))),
    ));
    analyses.push((
        "saturation".into(),
        "Saturation".into(),
        Box::new(move || Ok(saturation(data))),
    ));
    if !data.corpus.likert.is_empty() {
        analyses.push((
            "likert".into(),
            "Likert items".into(),
            Box::new(move || Ok(likert(data.study, data.corpus))),
        ));
    }
    analyses
}

/// Tables `[run] where` does not restrict: Likert items (whole questionnaires) and the
/// agreement tables (every document the coders coded).
const UNFILTERED: [&str; 5] =
    ["likert", "agreement", "disagreements", "auto-vs-coder", "auto-missed-wrong"];

/// The `[agreement]` tables, with the codings files as hashed inputs.
fn agreement_tables(
    data: &Dataset<'_>,
) -> Result<(Vec<NamedTable>, Vec<crate::corpus::InputFile>)> {
    use crate::analysis::agree::{Comparison, Level, ManualCodings, read_manual};
    let Some(config) = &data.study.agreement else { return Ok((Vec::new(), Vec::new())) };
    let mut manual = ManualCodings::default();
    let mut inputs = Vec::new();
    for relative in &config.codings {
        let path = data.study.root.join(relative);
        let bytes = std::fs::read(&path).map_err(|e| crate::Error::io(&path, e))?;
        inputs.push(crate::corpus::InputFile { path: relative.clone(), sha256: sha256(&bytes) });
        read_manual(data, relative, &bytes, &mut manual)?;
    }
    let level = if config.characters { Level::Char } else { Level::Segment };
    let comparison = Comparison::new(data, &manual.annotations, level);
    let codes = comparison.codes(&[])?;
    let mut tables = Vec::new();
    if comparison.coders.len() >= 2 {
        let mut table = comparison.table(&codes);
        table.notes.extend(manual.warnings.iter().map(|w| format!("Not placed: {w}.")));
        tables.push(("agreement".into(), "Intercoder agreement".into(), table));
        tables.push((
            "disagreements".into(),
            "Disagreements".into(),
            comparison.disagreements(&codes),
        ));
    }
    if let Some(coder) = &config.auto {
        let auto = Comparison::new(data, &manual.annotations, Level::Segment);
        let (scores, misses) = auto.against_auto(coder, &codes)?;
        tables.push(("auto-vs-coder".into(), format!("Auto-coding vs {coder}"), scores));
        tables.push(("auto-missed-wrong".into(), "Missed and wrong".into(), misses));
    }
    Ok((tables, inputs))
}

/// Bar and heatmap charts with more rows than this are left out: a codebook of hundreds of
/// codes makes an illegible picture and a slow one to draw.
pub const CHART_MAX_ROWS: usize = 80;

/// How many bars or heatmap rows the chart of table `name` would draw: none for a curve,
/// `None` for a table without a chart.
fn chart_rows(data: &Dataset<'_>, name: &str, table: &Table) -> Option<usize> {
    match name {
        "saturation" => Some(0),
        "cooccur" => Some(data.codebook.codes.iter().filter(|c| c.parent.is_none()).count()),
        "compare" | "agreement" | "likert" => Some(table.rows.len()),
        _ if name.starts_with("themes-by-") || name.starts_with("crosstab-") => {
            Some(table.rows.len())
        }
        _ => None,
    }
}

/// The chart that illustrates the table called `name`, if it has one.
pub fn chart_for(data: &Dataset<'_>, name: &str, table: &Table) -> Option<crate::chart::Chart> {
    use crate::chart;
    match name {
        "compare" => chart::pre_post(table),
        "cooccur" => {
            let top: Vec<String> = data
                .codebook
                .codes
                .iter()
                .filter(|c| c.parent.is_none())
                .map(|c| c.name.clone())
                .collect();
            chart::cooccurrence_heatmap(table, &top)
        }
        "saturation" => chart::saturation_curve(table),
        "agreement" => chart::agreement_intervals(table),
        "likert" => chart::likert_bars(table),
        _ if name.starts_with("themes-by-") => chart::themes_by_group(table),
        _ if name.starts_with("crosstab-") => chart::crosstab_heatmap(table),
        _ => None,
    }
}

/// Split themes by wave (when there are several) and by declared ordinal attributes.
fn default_split(data: &Dataset<'_>) -> Vec<String> {
    let mut split = Vec::new();
    if data.study.waves.len() > 1 {
        split.push("wave".to_owned());
    }
    split.extend(default_crosstab(data));
    split
}

/// Ordinal attributes, and attributes with 2–4 levels that most participants have.
fn default_crosstab(data: &Dataset<'_>) -> Vec<String> {
    let participants = &data.corpus.participants;
    participants
        .attributes
        .iter()
        .filter(|attribute| {
            let levels = participants.levels(attribute).len();
            let with_value = participants
                .by_id
                .values()
                .filter(|p| p.attributes.contains_key(attribute))
                .count();
            participants.ordinal.contains_key(*attribute)
                || ((2..=4).contains(&levels) && 2 * with_value >= participants.by_id.len())
        })
        .cloned()
        .collect()
}

fn compare_options(data: &Dataset<'_>, quotes: usize) -> Option<CompareOptions> {
    let (by, from, to) = match &data.study.compare {
        Some(c) => (c.by.clone(), c.from.clone(), c.to.clone()),
        None if data.study.waves.len() > 1 => {
            ("wave".into(), data.study.waves.first()?.clone(), data.study.waves.last()?.clone())
        }
        None => return None,
    };
    Some(CompareOptions {
        by,
        from,
        to,
        within: None,
        adjustment: Adjustment::Holm,
        test: McNemarTest::Exact,
        quotes: quotes.min(1),
    })
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `run.json` (format 1): versions, and the hash of every input and output (but
/// `streamed`'s, left empty).
fn run_json(
    data: &Dataset<'_>,
    codebook_bytes: &[u8],
    manual_inputs: &[crate::corpus::InputFile],
    streamed: &[StreamedFile<'_>],
    files: &[OutputFile],
    skipped: &[String],
) -> serde_json::Value {
    let mut inputs: Vec<serde_json::Value> =
        vec![json!({"path": "study.toml", "sha256": sha256(data.study.manifest_text.as_bytes())})];
    let mut seen = BTreeSet::new();
    for input in data.corpus.inputs.iter().chain(manual_inputs) {
        let path = input.path.to_string_lossy().replace('\\', "/");
        if seen.insert(path.clone()) {
            inputs.push(json!({"path": path, "sha256": input.sha256}));
        }
    }
    use rayon::prelude::*;
    let mut outputs: Vec<serde_json::Value> =
        streamed.iter().map(|file| json!({"path": file.path, "sha256": ""})).collect();
    outputs
        .par_extend(files.par_iter().map(|f| json!({"path": f.path, "sha256": sha256(&f.bytes)})));
    json!({
        "format": 1,
        "qualkit": env!("CARGO_PKG_VERSION"),
        "study": data.study.name,
        "codebook": {
            "name": data.codebook.name,
            "version": data.codebook.version,
            "file": data.codebook.path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "sha256": sha256(codebook_bytes),
        },
        "unit": data.unit.name(),
        "where": data.study.run.filters,
        "inputs": inputs,
        "outputs": outputs,
        "skipped": skipped,
    })
}

/// A lock on a study: an operating-system lock on `.qualkit/lock`, which holds the owner's
/// process id (for the message another run gives), held while this lives and let go by the
/// system when the process ends, however it ends; the file is removed on drop. Where the
/// file system keeps no locks, the file alone is the lock, made only if it is not there, and
/// one left by a crash is told by its process id (`/proc`).
#[derive(Debug)]
pub struct Lock {
    path: std::path::PathBuf,
    _file: std::fs::File,
}

impl Lock {
    /// Take the study's lock, or explain who holds it. A lock file left by a process that
    /// was killed is taken over: nothing holds its lock.
    ///
    /// # Errors
    /// Another qualkit process holds the lock, or the cache folder is not writable.
    pub fn acquire(study: &crate::study::Study) -> Result<Lock> {
        let dir = study.cache_dir();
        std::fs::create_dir_all(&dir).map_err(|e| crate::Error::io(&dir, e))?;
        let path = dir.join("lock");
        let owner = || std::fs::read_to_string(&path).unwrap_or_default().trim().to_owned();
        for _ in 0..3 {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| crate::Error::io(&path, e))?;
            match file.try_lock() {
                Ok(()) if crate::files::same_file(&file, &path) => {
                    return Lock::holding(path, file);
                }
                Ok(()) => {} // removed by the run that held it, once this had opened it
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(crate::Error::input(
                        &path,
                        None,
                        format!("another qualkit run is using this study (process {})", owner()),
                    )
                    .with_hint("wait for it to finish"));
                }
                Err(std::fs::TryLockError::Error(_)) => {
                    drop(file);
                    return Lock::acquire_without_locks(path);
                }
            }
        }
        Err(crate::Error::input(&path, None, "could not take the study lock"))
    }

    /// The lock at `path`, its `file` held, with this process's id written in it.
    fn holding(path: std::path::PathBuf, mut file: std::fs::File) -> Result<Lock> {
        use std::io::Write;
        file.set_len(0).map_err(|e| crate::Error::io(&path, e))?;
        write!(file, "{}", std::process::id()).map_err(|e| crate::Error::io(&path, e))?;
        Ok(Lock { path, _file: file })
    }

    /// The lock where the file system keeps none: `path` made only if it is not there
    /// (`O_EXCL`); one naming a process `/proc` does not show running is taken over.
    fn acquire_without_locks(path: std::path::PathBuf) -> Result<Lock> {
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => return Lock::holding(path, file),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let owner = std::fs::read_to_string(&path).unwrap_or_default();
                    let owner = owner.trim();
                    let alive = owner.parse::<u32>().is_ok_and(crate::files::process_alive);
                    // an empty file: the lock this process made to try locking it
                    let told = std::path::Path::new("/proc/self").exists() || owner.is_empty();
                    if alive || !told {
                        return Err(crate::Error::input(
                            &path,
                            None,
                            format!("another qualkit run is using this study (process {owner})"),
                        )
                        .with_hint(
                            "wait for it to finish; if no qualkit is running, delete this file",
                        ));
                    }
                    let _ = std::fs::remove_file(&path); // stale: its process is gone
                }
                Err(e) => return Err(crate::Error::io(&path, e)),
            }
        }
        Err(crate::Error::input(&path, None, "could not take the study lock"))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // removed while still locked: a run that opened it meanwhile finds it is no longer
        // the file at this name, and opens the next
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Write `files` into `out`: build them in a sibling temporary folder, then swap it into
/// place, so readers see either the old outputs or the new ones, never a mixture.
///
/// # Errors
/// The folder cannot be written.
pub fn write_outputs(out: &std::path::Path, files: &[OutputFile]) -> Result<()> {
    let staged = Staged::new(out)?;
    for file in files {
        staged.write(&file.path, Contents::Bytes(&file.bytes))?;
    }
    staged.commit()
}

/// Run the whole analysis of `data` and write its outputs into `out` as [`write_outputs`]
/// does. `codings.csv` and `segments.csv`, streamed, are written (and hashed) while the
/// analyses are computed: neither needs the other, and each alone leaves a core idle much of the time.
/// Once the folder is in place, codings.csv is recorded beside the index for a re-code after
/// a codebook edit to copy rows from (`coding::CodingsCsv::remember`); written past the page
/// cache, it is read back into it by a process of its own as the run ends
/// ([`crate::files::read_into_page_cache_apart`]).
///
/// # Errors
/// As [`outputs`], or the folder cannot be written, or a text read as asked for came from a
/// file that changed while it was read ([`crate::corpus::Corpus::check_texts`]).
pub fn write_run<'d>(
    out: &std::path::Path,
    data: &mut Dataset<'d>,
    codebook_bytes: &[u8],
) -> Result<Outputs<'d>> {
    let staged = Staged::new(out)?;
    let (streamed, codings_csv) = streamed_files(data);
    let (streamed_sha256, outputs) = rayon::join(
        || -> Result<Vec<String>> {
            let write = |file: &StreamedFile<'_>| {
                staged.write(&file.path, Contents::Streamed(&*file.write))
            };
            // in reverse (`streamed_files` lists codings.csv, then segments.csv), their
            // hashes put back in order: segments.csv first, as its rows take little
            // formatting and go at the disk's pace, which the analyses' work hides (last, in
            // a large study it was written while nothing else ran, the cores idle);
            // codings.csv, whose rows keep both cores busy, last
            let mut sha256: Vec<String> =
                streamed.iter().rev().map(write).collect::<Result<_>>()?;
            sha256.reverse();
            Ok(sha256)
        },
        || outputs(data, codebook_bytes),
    );
    let (streamed_sha256, outputs) = (streamed_sha256?, outputs?);
    for file in outputs.files.iter().chain([&outputs.run_json(&streamed_sha256)]) {
        staged.write(&file.path, Contents::Bytes(&file.bytes))?;
    }
    // texts read as asked for (`Corpus::load_deferring_texts`): nothing made from a file
    // that changed while it was read is put in place
    data.corpus.check_texts()?;
    staged.commit()?;
    codings_csv.remember(&out.join("codings.csv"));
    crate::files::read_into_page_cache_apart(&out.join("codings.csv"));
    Ok(outputs)
}

/// An output folder being written: a sibling temporary folder that [`Staged::commit`]
/// swaps into place, and that is removed if it never is (nothing half-written stays behind).
struct Staged {
    out: std::path::PathBuf,
    /// `.<name>.new-PID`: the new outputs, and after an exchange the previous ones, removed
    /// when dropped. Its claim also covers `old`, named for the same process.
    temporary: crate::files::Temporary,
    /// `.<name>.old-PID`: the previous outputs, moved aside, where folders cannot be exchanged.
    old: std::path::PathBuf,
}

impl Staged {
    /// Start writing `out`, after cleaning up what runs killed while writing it left behind.
    fn new(out: &std::path::Path) -> Result<Staged> {
        let parent =
            out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| crate::Error::io(parent, e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        recover_interrupted(parent, &name, out);
        let (temporary, ()) =
            crate::files::Temporary::claim_making(parent, &format!(".{name}.new-"), |path| {
                std::fs::create_dir(path)
            })
            .map_err(|e| crate::Error::io(parent, e))?;
        let old = parent.join(format!(".{name}.old-{}", temporary.tag()));
        // previous outputs moved aside under the name just claimed, by a killed run whose
        // claim `recover_interrupted` could not judge (no lock file, no `/proc`)
        put_back_or_remove(&old, out);
        Ok(Staged { out: out.to_path_buf(), temporary, old })
    }

    /// Write one file, path relative to the folder; its SHA-256 (hex).
    fn write(&self, relative: &str, contents: Contents<'_>) -> Result<String> {
        write_into(self.temporary.path(), relative, contents)
    }

    /// Put the written folder in place of `out`.
    fn commit(self) -> Result<()> {
        let (out, old) = (&self.out, &self.old);
        // every rename done before a command stopped meanwhile removes its work in progress,
        // which would otherwise go on removing the staging folder once renamed into place
        let put = self.temporary.put_in_place(|temporary| {
            if out.is_dir() && crate::files::exchange(temporary, out) {
                return Ok(());
            }
            if out.exists() {
                std::fs::rename(out, old)?;
            }
            if let Err(e) = std::fs::rename(temporary, out) {
                put_back_or_remove(old, out); // the previous outputs stay
                return Err(e);
            }
            // the previous outputs where the exchange leaves them
            let _ = std::fs::rename(old, temporary);
            Ok(())
        });
        // `out` now holds the new outputs and the staging folder the previous ones: dropping
        // `self` removes them
        put.map_err(|e| crate::Error::io(out, e))
    }
}

/// Previous outputs moved aside to `old`: put back at `out` if nothing is there, else removed.
fn put_back_or_remove(old: &std::path::Path, out: &std::path::Path) {
    if old.is_dir() && !out.exists() {
        let _ = std::fs::rename(old, out);
    }
    let _ = std::fs::remove_dir_all(old);
}

/// Write one output file into the folder `into`, hashing it on the way; its SHA-256 (hex).
fn write_into(into: &std::path::Path, relative: &str, contents: Contents<'_>) -> Result<String> {
    // every output stays inside the output folder, whatever names the data gave it
    let inside = std::path::Path::new(relative)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside {
        return Err(crate::Error::Usage(format!(
            "output `{relative}` would leave the output folder"
        )));
    }
    let path = into.join(relative);
    if let Some(folder) = path.parent() {
        crate::files::create_dir_below(into, folder).map_err(|e| crate::Error::io(folder, e))?;
    }
    let cannot_write = |e| crate::Error::io(&path, e);
    let hasher = match contents {
        Contents::Bytes(bytes) => {
            std::fs::write(&path, bytes).map_err(cannot_write)?;
            Sha256::new_with_prefix(bytes)
        }
        // streamed files are the large ones (codings.csv, segments.csv)
        Contents::Streamed(write) => {
            let mut file = crate::files::LargeFile::hashed(&path).map_err(cannot_write)?;
            write(&mut file).map_err(cannot_write)?;
            return Ok(hex(&file.finish().map_err(cannot_write)?));
        }
    };
    Ok(hex(&hasher.finalize()))
}

/// What [`Staged::write`] writes into a file.
enum Contents<'c> {
    Bytes(&'c [u8]),
    Streamed(&'c WriteContents<'c>),
}

/// Clean up after runs that were killed while writing: folders `.<name>.new-TAG` and
/// `.<name>.old-TAG` whose process has ended (its claim on `.<name>.new-TAG`,
/// [`crate::files::ended_claim`]) are removed, and if `out` itself is missing (killed between
/// the two renames of the fallback path) the previous outputs are put back.
fn recover_interrupted(parent: &std::path::Path, name: &str, out: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefix = format!(".{name}.");
    // the claims of the runs that left folders or lock files, each once
    let mut tags = std::collections::BTreeMap::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let tag = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-")))
            .and_then(crate::files::tag_of);
        if let Some((pid, tag)) = tag {
            tags.insert(tag.to_owned(), pid);
        }
    }
    for (tag, pid) in tags {
        let new = parent.join(format!("{prefix}new-{tag}"));
        let Some(ended) = crate::files::ended_claim(&new, pid) else { continue };
        let _ = std::fs::remove_dir_all(&new);
        put_back_or_remove(&parent.join(format!("{prefix}old-{tag}")), out);
        ended.clear();
    }
}
