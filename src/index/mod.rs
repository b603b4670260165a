//! The segment index: a tantivy index under `<study>/.qualkit/index/<unit>/`.
//!
//! The index is a cache. It is rebuilt when its fingerprint — tool version, index format,
//! unit, language, study.toml, the SHA-256 of every input file and whose segments it holds —
//! differs from the study's, and reused otherwise. It holds the segments of the speakers the
//! study codes (`[coding] speakers`): an index of respondents' turns leaves the interviewer's
//! questions out, a quarter of an interview's words and half its turns, and a search of every
//! speaker checks those segments directly ([`crate::search`]). A new index is built in a temporary folder and renamed
//! into place, so an interrupted build never leaves a half-written index behind, and
//! processes open, update and build it under a lock beside its folder (`lock.rs`). This module
//! knows nothing of rules or codes: it answers "which segments contain these terms" for
//! [`crate::query`].

mod analyzer;
mod cache;
mod kept_segments;
mod lock;
pub mod schema;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Query;
use tantivy::schema::document::TantivyDocument;
use tantivy::{DocId, Index, IndexReader, IndexWriter, Score, SegmentOrdinal, SegmentReader, Term};

pub use analyzer::{
    Analyzer, Language, MAX_WORD_BYTES, Marks, Reading, Word, WordBreaks, WordTokenizer, form_head,
    transcription_marks,
};
pub use cache::{
    Body, CacheFile, Positioned, Reader, push_stamp, push_text, push_u32, push_u64, write_numbers,
};
pub use lock::Waiting;
pub use schema::Fields;
pub use update::Carried;

use kept_segments::KeptSegments;
use lock::{Access, IndexLock};

use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::segment::{Segment, Unit};
use crate::study::{SpeakerFilter, Study};

/// Bump when the schema or the analyzer changes, so old indexes are rebuilt (6: every index
/// keeps the table of its files, `files.bin`, that lets it be updated in place).
pub const INDEX_FORMAT: u32 = 6;

const FINGERPRINT_FILE: &str = "qualkit-fingerprint";
const WRITER_MEMORY_BYTES: usize = 100_000_000;

/// Progress of an index build: segments added so far out of the total.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// An open segment index.
pub struct SegmentIndex {
    index: Index,
    /// The index's files open for searching (none once [`SegmentIndex::stop_searching`]).
    reader: Option<IndexReader>,
    fields: Fields,
    analyzer: Analyzer,
    unit: Unit,
    /// Whose segments the index holds: those of the speakers a study codes (an index of
    /// respondents' turns leaves out the interviewer's questions, a quarter of an interview's
    /// words). Searches of other speakers read and check their segments directly.
    speakers: SpeakerFilter,
    segment_count: usize,
    made: Made,
    /// The index's folder and fingerprint (none for an index in memory).
    location: Option<(PathBuf, String)>,
    /// The segment numbers of the keys the index holds its segments under, when an update
    /// in place made them differ ([`update`]).
    keys: Option<update::KeyMap>,
    /// Where the update in place that made the index found the segments it kept, for the
    /// caches beside it (kept in its files table).
    carried: Option<Carried>,
    /// Every exact form in the index, sorted and by stem, read when first asked for (or
    /// the error reading them).
    forms: std::sync::OnceLock<tantivy::Result<Forms>>,
    /// Each segment's word count where it was counted while the segment was split into
    /// words for another reason (checking rules), else [`NOT_COUNTED`]: word counts then
    /// split only the other segments (`analysis::Dataset::word_counts`). Made on the first
    /// count noted (commands that do not code never need it).
    words_counted: std::sync::OnceLock<Box<[AtomicU32]>>,
}

/// How an index came to be as it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Found up to date.
    Reused,
    /// Updated in place for this many files added, changed or removed: their segments
    /// indexed again, the others' kept ([`SegmentIndex::carried`]).
    Updated(usize),
    /// Built afresh.
    Built,
}

/// The exact forms of an index's words: sorted (term order), and by stem.
#[derive(Debug)]
struct Forms {
    sorted: Vec<String>,
    by_stem: HashMap<String, Vec<String>>,
}

/// A segment whose words have not been counted (`SegmentIndex::words_counted`).
const NOT_COUNTED: u32 = u32::MAX;

impl SegmentIndex {
    /// Open the study's index for `unit` holding the segments of `speakers` (or of everyone:
    /// an index of every speaker serves a command that needs fewer), rebuilding it first, for
    /// `speakers`, if it is missing, stale, unreadable or holds too few. Another process
    /// opening, updating or building the same index is waited for (`waiting` is told first):
    /// see [`Waiting`].
    ///
    /// # Errors
    /// The cache folder cannot be written, or tantivy fails while building.
    pub fn open_or_build(
        study: &Study,
        corpus: &Corpus,
        segments: &[Segment],
        unit: Unit,
        speakers: SpeakerFilter,
        progress: Progress<'_>,
        waiting: Waiting<'_>,
    ) -> Result<SegmentIndex> {
        let analyzer = Analyzer::of_study(study);
        let dir = Self::folder(study, unit);
        let base = fingerprint(study, corpus, unit);
        let what = (corpus, segments, speakers);
        let open_kept = || {
            let found = read_fingerprint(&dir);
            let kept = [speakers, SpeakerFilter::All]
                .into_iter()
                .find(|&held| found.as_deref() == Some(holding(&base, held).as_str()));
            let opened = kept.and_then(|held| {
                let fingerprint = holding(&base, held);
                let opened =
                    Self::open(&dir, &fingerprint, &analyzer, unit, corpus, segments, held);
                opened.ok().map(|index| index.at(&dir, fingerprint))
            });
            (found, kept.is_some(), opened)
        };
        // told once, though it may wait to open and then to update
        let mut told = false;
        let mut waiting = |lock: &Path| {
            if !std::mem::replace(&mut told, true) {
                waiting(lock);
            }
        };
        {
            let _shared = IndexLock::take(&dir, Access::Shared, &mut waiting);
            if let (_, _, Some(index)) = open_kept() {
                return Ok(index);
            }
        }
        let exclusive = IndexLock::take(&dir, Access::Exclusive, &mut waiting);
        // another process may have updated or built it while this one waited
        let (found, kept, opened) = open_kept();
        if let Some(index) = opened {
            return Ok(index);
        }
        let fingerprint = holding(&base, speakers);
        let settings = holding(&settings_of(study, unit), speakers);
        let files = update::Files::of(study, corpus, segments, speakers, &settings);
        // updated in place when the inputs changed (an index of these inputs that does not
        // open is damaged: built afresh), and built afresh when that fails or does not open
        let updated =
            (found.as_deref().zip(files.clone())).filter(|_| !kept).and_then(|(found, files)| {
                update_in_place(&dir, found, &fingerprint, files, &analyzer, what, &mut *progress)
            });
        if let Some(changed) = updated
            && let Ok(mut index) =
                Self::open(&dir, &fingerprint, &analyzer, unit, corpus, segments, speakers)
        {
            index.made = Made::Updated(changed);
            return Ok(index.at(&dir, fingerprint));
        }
        // a study whose files' segments the table cannot list keeps one that cannot be
        // updated in place
        let files = files.unwrap_or_else(|| update::Files::whole(segments.len()));
        let old = build(&dir, &fingerprint, &files, what, &analyzer, progress)?;
        let mut index =
            Self::open(&dir, &fingerprint, &analyzer, unit, corpus, segments, speakers)?;
        index.made = Made::Built;
        drop(exclusive);
        drop(old);
        Ok(index.at(&dir, fingerprint))
    }

    /// The index, found in `dir` under `fingerprint`.
    fn at(mut self, dir: &Path, fingerprint: String) -> SegmentIndex {
        self.location = Some((dir.to_path_buf(), fingerprint));
        self
    }

    /// Segment `corpus` by `unit` and open its index ([`SegmentIndex::open_or_build`]).
    /// The segments are kept in the index's folder (`segments.bin`), so a study read again
    /// with its inputs unchanged is not cut into segments again (a tenth of re-coding a
    /// 100 MB study), and one whose files changed cuts only theirs (`kept_segments.rs`).
    ///
    /// # Errors
    /// As [`SegmentIndex::open_or_build`].
    pub fn segment_and_open(
        study: &Study,
        corpus: &Corpus,
        unit: Unit,
        speakers: SpeakerFilter,
        progress: Progress<'_>,
        waiting: Waiting<'_>,
    ) -> Result<(Vec<Segment>, SegmentIndex)> {
        let folder = Self::folder(study, unit);
        let kept = KeptSegments::of(study, corpus, &settings_of(study, unit), &folder);
        let (segments, read) = kept.read(corpus, unit);
        let index =
            Self::open_or_build(study, corpus, &segments, unit, speakers, progress, waiting)?;
        if read != kept_segments::Read::Kept || index.rebuilt() {
            // a cache: failing to write it costs the next read the segmenting, nothing else
            // (a rebuilt index's folder is new: segments read from the old one are kept again)
            let _ = kept.write(corpus, &segments);
        }
        Ok((segments, index))
    }

    /// The folder of `study`'s index of `unit`, where its cache files lie too.
    pub fn folder(study: &Study, unit: Unit) -> PathBuf {
        study.cache_dir().join("index").join(unit.name())
    }

    /// Build an index in memory (for tests and one-off checks).
    ///
    /// # Errors
    /// tantivy fails while building.
    pub fn in_memory(
        corpus: &Corpus,
        segments: &[Segment],
        language: Language,
        unit: Unit,
    ) -> Result<SegmentIndex> {
        let analyzer = Analyzer::new(language);
        let (schema, fields) = schema::schema();
        let index = Index::create_in_ram(schema);
        register(&index, &analyzer);
        let path = PathBuf::from("(memory)");
        let speakers = SpeakerFilter::All;
        let what = (corpus, segments, speakers);
        let all = Keyed::all(segments.len());
        write_segments(&index, &path, fields, &analyzer, what, all, &mut |_, _| {})?;
        Self::from_index(index, &path, fields, analyzer, unit, speakers, segments.len())
    }

    fn open(
        dir: &Path,
        fingerprint: &str,
        analyzer: &Analyzer,
        unit: Unit,
        corpus: &Corpus,
        segments: &[Segment],
        speakers: SpeakerFilter,
    ) -> Result<SegmentIndex> {
        let index = Index::open_in_dir(dir).map_err(|e| index_error(dir, e))?;
        let (expected, fields) = schema::schema();
        if index.schema() != expected {
            return Err(index_error(
                dir,
                tantivy::TantivyError::SchemaError("schema differs".into()),
            ));
        }
        // Never trust a damaged cache: every file's checksum is verified (a disk error, a
        // truncated copy, an edit), and any mismatch means a rebuild.
        let damaged = index.validate_checksum().map_err(|e| index_error(dir, e))?;
        if !damaged.is_empty() {
            return Err(index_error(
                dir,
                tantivy::TantivyError::InternalError(format!("{} damaged files", damaged.len())),
            ));
        }
        register(&index, analyzer);
        let files = update::Files::read(&CacheFile::new(dir, update::FILES_FILE, fingerprint))
            .filter(|files| files.segment_count() == segments.len())
            .ok_or_else(|| {
                let why = format!("{} unreadable or of other segments", update::FILES_FILE);
                index_error(dir, tantivy::TantivyError::InternalError(why))
            })?;
        let mut index =
            Self::from_index(index, dir, fields, analyzer.clone(), unit, speakers, segments.len())?;
        index.keys = files.key_map();
        index.carried = files.carried().cloned();
        let searcher = index.searcher().map_err(|e| index_error(dir, e))?;
        let held = match speakers {
            SpeakerFilter::All => segments.len(),
            _ => segments.iter().filter(|s| s.spoken_by(speakers, corpus)).count(),
        };
        if searcher.num_docs() as usize != held {
            return Err(index_error(
                dir,
                tantivy::TantivyError::InternalError("segment count differs".into()),
            ));
        }
        Ok(index)
    }

    fn from_index(
        index: Index,
        dir: &Path,
        fields: Fields,
        analyzer: Analyzer,
        unit: Unit,
        speakers: SpeakerFilter,
        segment_count: usize,
    ) -> Result<SegmentIndex> {
        // never reloaded: the index answers for the segments it was opened with, and another
        // process may update it in place meanwhile
        let reader = (index.reader_builder())
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(dir, e))?;
        Ok(SegmentIndex {
            index,
            reader: Some(reader),
            fields,
            analyzer,
            unit,
            speakers,
            segment_count,
            made: Made::Reused,
            location: None,
            keys: None,
            carried: None,
            forms: std::sync::OnceLock::new(),
            words_counted: std::sync::OnceLock::new(),
        })
    }

    /// The field handles.
    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// The analyzer registered for the text fields.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The unit the index was built for.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// Whose segments the index holds: a rule's candidates are among these alone
    /// ([`crate::query::Rule::candidate_segments`]), except a rule made only of NOT, whose
    /// candidates are every segment.
    pub fn speakers(&self) -> SpeakerFilter {
        self.speakers
    }

    /// Whether this call built or updated the index (false when the cache was reused): the
    /// caches beside it are then made again.
    pub fn rebuilt(&self) -> bool {
        self.made != Made::Reused
    }

    /// How this call found or made the index.
    pub fn made(&self) -> Made {
        self.made
    }

    /// Where the update in place that made the index found the segments it kept (none for
    /// an index built afresh), for what was derived from the segments before it.
    pub fn carried(&self) -> Option<&Carried> {
        self.carried.as_ref()
    }

    /// The cache file `name` in the index's folder as the index was before the update in
    /// place that made it (none for an index built afresh): what was derived from the
    /// segments then.
    pub fn cache_file_before_update(&self, name: &str) -> Option<CacheFile> {
        let (dir, _) = self.location.as_ref()?;
        Some(CacheFile::new(dir, name, self.carried.as_ref()?.old_fingerprint()))
    }

    /// The cache file `name` in the index's folder, for data derived from its segments (none
    /// for an index in memory).
    pub fn cache_file(&self, name: &str) -> Option<CacheFile> {
        let (dir, fingerprint) = self.location.as_ref()?;
        Some(CacheFile::new(dir, name, fingerprint))
    }

    /// The number of segments of the study's unit, whether or not the index holds them all.
    pub fn segment_count(&self) -> usize {
        self.segment_count
    }

    /// Note that segment `n` has `words` words as the index's analyzer finds them
    /// ([`Analyzer::words`]), for [`SegmentIndex::counted_words`].
    pub(crate) fn note_word_count(&self, n: usize, words: usize) {
        let counted = self
            .words_counted
            .get_or_init(|| (0..self.segment_count).map(|_| AtomicU32::new(NOT_COUNTED)).collect());
        if let (Some(slot), Ok(words)) = (counted.get(n), u32::try_from(words))
            && words != NOT_COUNTED
        {
            // each slot only ever holds one value: no ordering with other memory needed
            slot.store(words, Ordering::Relaxed);
        }
    }

    /// Segment `n`'s word count, if noted while coding split it into words.
    pub fn counted_words(&self, n: usize) -> Option<usize> {
        let words = self.words_counted.get()?.get(n)?.load(Ordering::Relaxed);
        (words != NOT_COUNTED).then_some(words as usize)
    }

    /// The segment numbers matching `query`, in ascending order.
    ///
    /// # Errors
    /// tantivy fails while searching.
    pub fn matching_segments(&self, query: &dyn Query) -> Result<Vec<usize>> {
        let searcher = self.searcher().map_err(|e| index_error(Path::new("(search)"), e))?;
        let mut segments = searcher
            .search(query, &SegmentNumbers)
            .map_err(|e| index_error(Path::new("(search)"), e))?;
        if let Some(keys) = &self.keys {
            for segment in &mut segments {
                *segment = keys.number_of(*segment as u64).ok_or_else(|| {
                    let why = format!("segment key {segment} is no file's");
                    index_error(Path::new("(search)"), tantivy::TantivyError::InternalError(why))
                })?;
            }
        }
        segments.sort_unstable();
        Ok(segments)
    }

    /// How many of the index's segments hold the exact form `form`.
    ///
    /// # Errors
    /// tantivy fails to read a term dictionary.
    pub fn segments_with_form(&self, form: &str) -> Result<u64> {
        let searcher = self.searcher().map_err(|e| index_error(Path::new("(terms)"), e))?;
        searcher
            .doc_freq(&Term::from_field_text(self.fields.exact, form))
            .map_err(|e| index_error(Path::new("(terms)"), e))
    }

    /// The exact forms in the index whose stem is `stem`, in term order: how stemmed words
    /// and phrases find their candidates, since only exact forms are indexed.
    ///
    /// # Errors
    /// tantivy fails to read a term dictionary.
    pub fn forms_with_stem(&self, stem: &str) -> Result<&[String]> {
        Ok(self.forms()?.by_stem.get(stem).map_or(&[], Vec::as_slice))
    }

    /// The exact forms in the index that start with `prefix`, in term order: how prefixes
    /// find their candidates (a regular expression per prefix, compiled to an automaton and
    /// run over every term dictionary, was 8 % of coding's CPU at 100 MB).
    ///
    /// # Errors
    /// tantivy fails to read a term dictionary.
    pub fn forms_with_prefix(&self, prefix: &str) -> Result<&[String]> {
        let sorted = &self.forms()?.sorted;
        // the forms with a prefix follow one another in term (byte) order
        let start = sorted.partition_point(|form| form.as_str() < prefix);
        let count = sorted[start..].partition_point(|form| form.starts_with(prefix));
        Ok(&sorted[start..start + count])
    }

    /// Every exact form in the index, read once per index: rules look their candidates up
    /// in parallel, and the first to ask reads while the others wait for it.
    fn forms(&self) -> Result<&Forms> {
        let forms = self.forms.get_or_init(|| self.read_forms());
        forms.as_ref().map_err(|e| index_error(Path::new("(terms)"), e.clone()))
    }

    /// Every exact form in the index, sorted and by stem. A study has tens of thousands of
    /// distinct words, stemmed here in well under a second.
    fn read_forms(&self) -> tantivy::Result<Forms> {
        let searcher = self.searcher()?;
        let mut forms = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.exact)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                if let Ok(form) = std::str::from_utf8(terms.key()) {
                    forms.insert(form.to_owned());
                }
            }
        }
        let sorted: Vec<String> = forms.into_iter().collect();
        let mut by_stem: HashMap<String, Vec<String>> = HashMap::new();
        for form in &sorted {
            by_stem.entry(self.analyzer.stem_of_exact(form)).or_default().push(form.clone());
        }
        Ok(Forms { sorted, by_stem })
    }

    fn searcher(&self) -> tantivy::Result<tantivy::Searcher> {
        let stopped = || tantivy::TantivyError::InvalidArgument("searching has stopped".into());
        self.reader.as_ref().map(IndexReader::searcher).ok_or_else(stopped)
    }

    /// Close the index's files for searching, and let go of its word forms: a run that has
    /// coded searches no more, and the pages of the index that coding read stay counted in
    /// the process's memory while its files are mapped (115 MB at 1 GB of transcripts).
    /// The segment count, word counts and cache files stay; a search after this fails.
    pub fn stop_searching(&mut self) {
        self.reader = None;
        self.forms = std::sync::OnceLock::new();
    }

    /// The underlying tantivy index.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

/// The fingerprint of an index of `base` ([`fingerprint`]) holding the segments of `speakers`.
fn holding(base: &str, speakers: SpeakerFilter) -> String {
    format!("{base}speakers {}\n", speakers.name())
}

/// What an index and the segments kept beside it are made from, whoever's segments it holds.
fn fingerprint(study: &Study, corpus: &Corpus, unit: Unit) -> String {
    format!("{}inputs {}\n", settings_of(study, unit), corpus.fingerprint(study))
}

/// The part of [`fingerprint`] that is not the study's files.
fn settings_of(study: &Study, unit: Unit) -> String {
    format!(
        "qualkit {}\nindex format {INDEX_FORMAT}\nunit {}\nlanguage {}\nreading {}\n",
        env!("CARGO_PKG_VERSION"),
        unit.name(),
        study.language.name(),
        study.coding.reading().name(),
    )
}

fn read_fingerprint(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join(FINGERPRINT_FILE)).ok()
}

fn register(index: &Index, analyzer: &Analyzer) {
    index.tokenizers().register(schema::EXACT_TOKENIZER, WordTokenizer::new(analyzer.clone()));
}

fn index_error(path: &Path, source: tantivy::TantivyError) -> Error {
    Error::Index { path: path.to_path_buf(), source }
}

/// Build into a fresh temporary folder, with the table of its `files`, then swap it into
/// place; the old index moved aside, removed when what is returned is dropped (after the
/// index's lock is let go: removing a large index is slow, and others wait for the lock).
fn build(
    dir: &Path,
    fingerprint: &str,
    files: &update::Files,
    what: (&Corpus, &[Segment], SpeakerFilter),
    analyzer: &Analyzer,
    progress: Progress<'_>,
) -> Result<crate::files::Temporary> {
    let parent = dir.parent().expect("index folder has a parent");
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // half-built indexes of killed processes removed; this one removed if never put in place
    let (building, ()) =
        crate::files::Temporary::claim_making(parent, &format!("{name}.building-"), |path| {
            std::fs::create_dir(path)
        })
        .map_err(|e| Error::io(parent, e))?;
    let temporary = building.path();
    let (schema, fields) = schema::schema();
    let index = Index::create_in_dir(temporary, schema).map_err(|e| index_error(temporary, e))?;
    register(&index, analyzer);
    let all = Keyed::all(what.1.len());
    write_segments(&index, temporary, fields, analyzer, what, all, progress)?;
    drop(index);
    let table = CacheFile::new(temporary, update::FILES_FILE, fingerprint);
    files.write(&table).map_err(|e| Error::io(table.path(), e))?;
    let fingerprint_path = temporary.join(FINGERPRINT_FILE);
    std::fs::write(&fingerprint_path, fingerprint).map_err(|e| Error::io(&fingerprint_path, e))?;
    // The old index moved aside in one step and removed once the new one is in place: cache
    // files are written into the folder without the index's lock, and one written while the
    // folder was being removed would make its removal fail.
    let (aside, ()) =
        crate::files::Temporary::claim_making(parent, &format!("{name}.old-"), |aside| {
            match std::fs::rename(dir, aside) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                moved => moved,
            }
        })
        .map_err(|e| Error::io(dir, e))?;
    if let Err(e) = building.put_in_place(|built| std::fs::rename(built, dir)) {
        // another process (where the file system keeps no locks) may have put an identical
        // index in place first; else the old one is put back
        if read_fingerprint(dir).as_deref() != Some(fingerprint) {
            let _ = aside.put_in_place(|old| std::fs::rename(old, dir));
            return Err(Error::io(dir, e));
        }
    }
    Ok(aside)
}

/// Update the index in `dir`, whose fingerprint was `found`, in place for the study's
/// `files` ([`update`]), giving it `fingerprint`: the changes made, or none when it must be
/// built afresh instead (its table unreadable, other settings, too much changed, or a failure
/// part-way, which leaves it without a fingerprint).
fn update_in_place(
    dir: &Path,
    found: &str,
    fingerprint: &str,
    mut files: update::Files,
    analyzer: &Analyzer,
    what: (&Corpus, &[Segment], SpeakerFilter),
    progress: Progress<'_>,
) -> Option<usize> {
    let old = update::Files::read(&CacheFile::new(dir, update::FILES_FILE, found))?;
    let changes = update::changes(&old, &mut files)?;
    files.set_carried(changes.carried(found));
    // an index with a damaged file is built afresh, never added to
    let index = Index::open_in_dir(dir).ok()?;
    let (expected, fields) = schema::schema();
    if index.schema() != expected || !index.validate_checksum().ok()?.is_empty() {
        return None;
    }
    // from here the folder holds neither the old index nor the new one until the new
    // fingerprint is written: without one, it is built again when next opened
    std::fs::remove_file(dir.join(FINGERPRINT_FILE)).ok()?;
    register(&index, analyzer);
    let keyed = Keyed {
        deleted: changes.deleted(),
        keyed: Box::new(changes.keyed()),
        count: changes.added_segments(),
    };
    write_segments(&index, dir, fields, analyzer, what, keyed, progress).ok()?;
    drop(index);
    // the table first, then the fingerprint that names it
    let table = CacheFile::new(dir, update::FILES_FILE, fingerprint);
    // one name, as only the holder of the exclusive lock updates: what a process killed
    // here leaves is written over by the next update
    let new = dir.join(format!("{FINGERPRINT_FILE}.new"));
    let written = std::fs::write(&new, fingerprint)
        .and_then(|()| files.write(&table))
        .and_then(|()| std::fs::rename(&new, dir.join(FINGERPRINT_FILE)));
    written.ok().map(|()| changes.files())
}

/// The segments [`write_segments`] adds (each one's number and the key it is indexed under,
/// in order, and how many), and the keys it deletes first.
struct Keyed<'c> {
    deleted: &'c [std::ops::Range<u64>],
    keyed: Box<dyn Iterator<Item = (usize, u64)> + 'c>,
    count: usize,
}

impl Keyed<'static> {
    /// All of a study's `count` segments, each keyed by its number (a fresh build).
    fn all(count: usize) -> Keyed<'static> {
        Keyed { deleted: &[], keyed: Box::new((0..count).map(|n| (n, n as u64))), count }
    }
}

fn write_segments(
    index: &Index,
    path: &Path,
    fields: Fields,
    analyzer: &Analyzer,
    (corpus, segments, speakers): (&Corpus, &[Segment], SpeakerFilter),
    keyed: Keyed<'_>,
    progress: Progress<'_>,
) -> Result<()> {
    // tantivy's indexing threads take a copy of the tokenizer for each segment they start
    // writing: the counting one is registered for as long as they write, and the plain one
    // again once they are done, whether they succeeded or not
    let taken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counting = WordTokenizer::counting(analyzer.clone(), taken.clone());
    index.tokenizers().register(schema::EXACT_TOKENIZER, counting);
    let written = (|| {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        let mut writer: IndexWriter =
            index.writer_with_num_threads(threads, WRITER_MEMORY_BYTES)?;
        for keys in keyed.deleted {
            let key =
                |key: u64| std::ops::Bound::Included(Term::from_field_u64(fields.segment, key));
            let end = std::ops::Bound::Excluded(Term::from_field_u64(fields.segment, keys.end));
            writer.delete_query(Box::new(tantivy::query::RangeQuery::new(key(keys.start), end)))?;
        }
        let mut feeder = Feeder { writer: &writer, batch: Vec::new(), sent: 0, taken };
        // a document's text read once for its segments, and let go after them (`run` and
        // `index` load with texts let go: `Corpus::load_letting_texts_go`)
        let mut text = None;
        for (done, (number, key)) in keyed.keyed.enumerate() {
            if done % 1000 == 0 {
                progress(done, keyed.count);
            }
            let segment = &segments[number];
            if !segment.spoken_by(speakers, corpus) {
                continue;
            }
            let text = corpus.text_in_order(&mut text, segment.document_index());
            feeder.add(segment_document(fields, &text[segment.bytes()], key))?;
        }
        feeder.send()?;
        writer.commit()?;
        writer.wait_merging_threads()
    })();
    register(index, analyzer);
    written.map_err(|e| index_error(path, e))?;
    progress(keyed.count, keyed.count);
    Ok(())
}

/// Documents handed to tantivy's indexing threads [`Feeder::BATCH`] at a time, and at most
/// [`Feeder::AHEAD`] ahead of the ones the threads have taken up. One at a time, with the
/// threads behind, this thread spun in the full channel's `send` for each document: a fifth
/// of building the index's time, on two cores taken from the threads it waited for. In
/// batches, and without a bound of our own, the whole corpus waited in the channel (whose
/// bound counts batches).
struct Feeder<'w> {
    writer: &'w IndexWriter,
    batch: Vec<tantivy::indexer::UserOperation>,
    /// Documents handed over.
    sent: usize,
    /// Documents whose text the threads have taken up ([`WordTokenizer::counting`]).
    taken: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Feeder<'_> {
    const BATCH: usize = 64;
    const AHEAD: usize = 4096;

    fn add(&mut self, document: TantivyDocument) -> tantivy::Result<()> {
        self.batch.push(tantivy::indexer::UserOperation::Add(document));
        if self.batch.len() >= Self::BATCH { self.send() } else { Ok(()) }
    }

    /// Hand the batch over, once the threads are near enough.
    fn send(&mut self) -> tantivy::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        // waits while the threads make progress (a thread writing out a full segment takes
        // up nothing for a while); after 100 ms without any, each batch goes after another
        // 100 ms, so a count that went wrong would slow the build, not stop it
        let taken = || self.taken.load(std::sync::atomic::Ordering::Relaxed);
        let (mut last, mut naps_without_progress) = (taken(), 0);
        while self.sent.saturating_sub(last) > Self::AHEAD && naps_without_progress < 200 {
            std::thread::sleep(std::time::Duration::from_micros(500));
            let now = taken();
            naps_without_progress = if now == last { naps_without_progress + 1 } else { 0 };
            last = now;
        }
        self.sent += self.batch.len();
        self.writer.run(std::mem::take(&mut self.batch)).map(|_| ())
    }
}

fn segment_document(fields: Fields, text: &str, key: u64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.segment, key);
    doc.add_text(fields.exact, text);
    doc
}

/// Collects the `segment` fast field of every matching document.
struct SegmentNumbers;

struct SegmentNumbersChild {
    column: tantivy::columnar::Column<u64>,
    numbers: Vec<usize>,
}

impl Collector for SegmentNumbers {
    type Fruit = Vec<usize>;
    type Child = SegmentNumbersChild;

    fn for_segment(
        &self,
        _ordinal: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentNumbersChild> {
        Ok(SegmentNumbersChild {
            column: reader.fast_fields().u64("segment")?,
            numbers: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<usize>>) -> tantivy::Result<Vec<usize>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentNumbersChild {
    type Fruit = Vec<usize>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(number) = self.column.first(doc) {
            self.numbers.push(number as usize);
        }
    }

    fn harvest(self) -> Vec<usize> {
        self.numbers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Documents handed over in batches: every one is indexed, the last part-batch too.
    #[test]
    fn every_segment_is_indexed_when_handed_over_in_batches() {
        for count in [1, Feeder::BATCH - 1, Feeder::BATCH, 3 * Feeder::BATCH + 5] {
            let lines: Vec<String> = (0..count).map(|n| format!("Word{n} mentor.")).collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let corpus = crate::corpus::of_lines(&lines);
            let segments = crate::segment::segment(&corpus, Unit::Turn);
            assert_eq!(segments.len(), count);
            let index =
                SegmentIndex::in_memory(&corpus, &segments, Language::default(), Unit::Turn)
                    .expect("index");
            let searcher = index.searcher().expect("searcher");
            assert_eq!(searcher.num_docs() as usize, count, "{count} segments");
            let term = tantivy::Term::from_field_text(index.fields.exact, "mentor");
            let query =
                tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
            let all: Vec<usize> = (0..count).collect();
            assert_eq!(index.matching_segments(&query).expect("searched"), all);
            let last =
                tantivy::Term::from_field_text(index.fields.exact, &format!("word{}", count - 1));
            let query =
                tantivy::query::TermQuery::new(last, tantivy::schema::IndexRecordOption::Basic);
            assert_eq!(index.matching_segments(&query).expect("searched"), vec![count - 1]);
        }
    }
}
