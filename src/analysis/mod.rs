//! Analyses: codings → tables. Each submodule returns a [`crate::table::Table`] whose notes state the
//! method, the denominators and the statistics' sources.
//!
//! [`Dataset`] gathers what every analysis needs — the corpus, the coded unit's segments,
//! the codebook and the codings — and answers the shared questions: which participants
//! spoke (the denominators), which codes each participant mentioned in which wave, how many
//! words and characters each spoke. Only participants' speech counts: interviewers are never
//! in a denominator.

pub mod agree;
pub mod compare;
pub mod cooccur;
pub mod crosstab;
pub mod exemplars;
pub mod likert;
pub mod saturation;
pub mod themes;

pub use crate::segment_list::{SegmentList, SegmentListIter};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::codebook::Codebook;
use crate::coding::{Coding, CodingKind, Codings};
use crate::corpus::{Corpus, Role};
use crate::error::{Error, Result};
use crate::index::{CacheFile, SegmentIndex};
use crate::segment::{Segment, Unit};
use crate::study::Study;
use crate::table::Value;

/// Level label for participants without a value for an attribute.
pub const MISSING: &str = "(missing)";

/// Layout of the word counts kept beside the index: one `u32` per segment. What counts as
/// a word is the analyzer's, which the index's fingerprint covers.
const WORD_COUNTS_FORMAT: u32 = 1;
const WORD_COUNTS_FILE: &str = "word-counts.bin";

/// The word counts of `segments` segments kept in `file`, when it reads whole.
fn read_word_counts(file: &CacheFile, segments: usize) -> Option<Vec<u32>> {
    let body = file.read(WORD_COUNTS_FORMAT)?;
    let mut reader = body.reader();
    let counts = reader.u32s(segments)?;
    reader.is_empty().then_some(counts)
}

fn write_word_counts(file: &CacheFile, counts: WordCounts<'_>) -> std::io::Result<()> {
    // streamed: a body made first was another copy of every count (35 MB at 1 GB)
    let numbers = counts.iter().map(u32::to_le_bytes);
    file.write_with(WORD_COUNTS_FORMAT, |out| crate::index::write_numbers(out, numbers))
}

/// What a dataset keeps of its word counts.
enum KeptCounts<'a> {
    Listed(Vec<u32>),
    Noted(&'a SegmentIndex),
}

impl KeptCounts<'_> {
    fn counts(&self) -> WordCounts<'_> {
        match self {
            KeptCounts::Listed(counts) => WordCounts::Listed(counts),
            KeptCounts::Noted(index) => WordCounts::Noted(index),
        }
    }
}

/// Words per segment ([`Dataset::word_counts`]): a list of the dataset's own, or the counts
/// noted on the index, where coding noted them and the dataset the rest (a list beside
/// them was one more count per segment, 35 MB at 1 GB of transcripts).
#[derive(Clone, Copy)]
pub enum WordCounts<'d> {
    /// Counted or read by the dataset.
    Listed(&'d [u32]),
    /// Every segment's count noted on the index ([`SegmentIndex::counted_words`]).
    Noted(&'d SegmentIndex),
}

impl WordCounts<'_> {
    /// Segment `n`'s words.
    ///
    /// # Panics
    /// `n` is not a segment number.
    pub fn get(&self, n: usize) -> u32 {
        match self {
            WordCounts::Listed(counts) => counts[n],
            WordCounts::Noted(index) => {
                index.counted_words(n).expect("every segment's words noted") as u32
            }
        }
    }

    /// How many segments there are.
    pub fn len(&self) -> usize {
        match self {
            WordCounts::Listed(counts) => counts.len(),
            WordCounts::Noted(index) => index.segment_count(),
        }
    }

    /// Whether there are no segments.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every segment's words, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(|n| self.get(n))
    }

    /// Every segment's words as a list.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
}

/// Everything an analysis reads.
pub struct Dataset<'a> {
    /// The study (wave order, attribute order).
    pub study: &'a Study,
    /// The ingested corpus.
    pub corpus: &'a Corpus,
    /// Segments of the coded unit.
    pub segments: &'a [Segment],
    /// The unit coded.
    pub unit: Unit,
    /// The codebook (code order and names).
    pub codebook: &'a Codebook,
    /// Codings (auto or manual), segment numbers into `segments`.
    pub codings: &'a Codings,
    /// Whether each segment is a participant's speech in scope (see [`Dataset::restrict`]):
    /// worked out once, since analyses ask it of every coding, and looking up each
    /// segment's speaker anew was a tenth of a large run's time.
    respondent: Vec<bool>,
    /// Words per segment, counted once on first use (every table's rates need them).
    word_counts: std::sync::OnceLock<KeptCounts<'a>>,
    /// The index of `segments`, whose folder keeps the word counts between runs.
    index: Option<&'a SegmentIndex>,
    /// Positions in `codings` of each code's codings, built on first use, so analyses that
    /// go code by code do not walk every coding per code.
    by_code: std::sync::OnceLock<rustc_hash::FxHashMap<&'a str, Vec<u32>>>,
    /// Whether `codings` come in segment order (as coding makes them), found on first use.
    by_segment: std::sync::OnceLock<bool>,
    /// The numbers of the segments that are participants' speech in scope, made on first use
    /// (every column of every themes table counts its denominator over them).
    respondent_segments: std::sync::OnceLock<SegmentList>,
    /// The segments of each code's codings of participants' speech in scope, in the codings'
    /// order, made on first use in one pass over the codings (each themes table walks them
    /// code by code, and looking each coding up by position was most of its time).
    respondent_coded: std::sync::OnceLock<rustc_hash::FxHashMap<&'a str, Coded>>,
    /// The [`Place`]s of [`Dataset::respondent_segments`], made on first use: each themes
    /// table counts its participants and documents over them, where it walked every
    /// segment (three tables of a run walked a large study's segments three times).
    respondent_places: std::sync::OnceLock<Vec<Place>>,
    /// Each segment's document found from where each document's run of segments starts,
    /// made on first use (themes tables ask it of every coded segment, and reading a
    /// segment's record for it is a cache miss in a large study).
    numbers_in_documents: std::sync::OnceLock<crate::segment::NumbersInDocuments>,
    /// A number per participant for each segment's speaker (`None`: not a participant),
    /// for counting distinct participants without comparing strings.
    participant_numbers: std::sync::OnceLock<ParticipantNumbers<'a>>,
    /// Exemplar quotes of each code among all its codings in scope, by code and number of
    /// quotes, chosen once ([`exemplars::exemplars_of_all`]): the themes table and the report
    /// show the same, and chosen twice, each code's coded segments were ranked twice and its
    /// list of them made again for the report after the analyses had let it go.
    quotes: std::sync::Mutex<rustc_hash::FxHashMap<(String, usize), Vec<exemplars::Quote>>>,
}

/// A code's codings of participants' speech in scope (see [`Dataset::segments_coded_with`]).
#[derive(Default)]
struct Coded {
    segments: SegmentList,
    chars: usize,
    /// The [`Place`]s of `segments`.
    places: Vec<Place>,
}

/// Where a segment was spoken, as tables count participants and documents: its document and
/// the number of the participant who spoke it ([`Dataset::participant_number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The document's index in the corpus.
    pub document: u32,
    participant: u32,
}

impl Place {
    /// The participant's number, if a participant spoke.
    pub fn participant(self) -> Option<u32> {
        (self.participant != NOT_A_PARTICIPANT).then_some(self.participant)
    }
}

/// The places of segments given in ascending order, each once: consecutive repeats (a
/// document's segments come together) dropped as they come, the rest after a sort.
fn places_of(segments: impl Iterator<Item = Place>) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    for place in segments {
        if places.last() != Some(&place) {
            places.push(place);
        }
    }
    places.sort_unstable();
    places.dedup();
    places.shrink_to_fit();
    places
}

/// [`ParticipantNumbers::of_segment`] of a segment no participant spoke.
const NOT_A_PARTICIPANT: u32 = u32::MAX;

/// A number per participant, so analyses count by number instead of comparing ids.
struct ParticipantNumbers<'a> {
    /// The number of each segment's participant ([`NOT_A_PARTICIPANT`]: none; 4 bytes a
    /// segment, not the 8 of an `Option<u32>`).
    of_segment: Vec<u32>,
    /// The id of each number.
    ids: Vec<&'a str>,
    /// The group of each number that exemplar quotes are spread over (the value of the
    /// first participant attribute, as a number), when participants have attributes.
    groups: Option<Groups>,
}

/// A number per participant for the value of one of their attributes.
struct Groups {
    /// The number of each participant's value.
    of: Vec<u32>,
    /// How many values there are.
    count: usize,
}

impl ParticipantNumbers<'_> {
    /// The number of segment `n`'s participant, if a participant spoke it.
    fn of(&self, n: usize) -> Option<u32> {
        Some(self.of_segment[n]).filter(|&number| number != NOT_A_PARTICIPANT)
    }
}

/// Numbers for strings met one by one (code ids of codings), so pairs of them sort and
/// compare as integers.
#[derive(Default)]
struct Interner<'s> {
    numbers: rustc_hash::FxHashMap<&'s str, u32>,
    strings: Vec<&'s str>,
}

impl<'s> Interner<'s> {
    fn number(&mut self, text: &'s str) -> u32 {
        let next = u32::try_from(self.strings.len()).expect("fewer than 2³² distinct strings");
        *self.numbers.entry(text).or_insert_with(|| {
            self.strings.push(text);
            next
        })
    }
}

/// A segment's number as the dataset's lists keep it.
fn segment_number(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 2³² segments, as coding requires")
}

/// Per-participant totals of respondent speech.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Speech {
    /// Words (as the analyzer counts them, marks excluded).
    pub words: usize,
    /// Characters of segment text.
    pub chars: usize,
    /// Segments.
    pub segments: usize,
}

impl<'a> Dataset<'a> {
    /// A dataset over every segment.
    pub fn new(
        study: &'a Study,
        corpus: &'a Corpus,
        segments: &'a [Segment],
        unit: Unit,
        codebook: &'a Codebook,
        codings: &'a Codings,
    ) -> Dataset<'a> {
        let respondent = segments
            .iter()
            .map(|segment| segment.speaker(corpus).role == Role::Participant)
            .collect();
        Dataset {
            study,
            corpus,
            segments,
            unit,
            codebook,
            codings,
            respondent,
            word_counts: std::sync::OnceLock::new(),
            index: None,
            by_code: std::sync::OnceLock::new(),
            by_segment: std::sync::OnceLock::new(),
            respondent_segments: std::sync::OnceLock::new(),
            respondent_coded: std::sync::OnceLock::new(),
            respondent_places: std::sync::OnceLock::new(),
            numbers_in_documents: std::sync::OnceLock::new(),
            participant_numbers: std::sync::OnceLock::new(),
            quotes: std::sync::Mutex::default(),
        }
    }

    /// Keep only segments whose speaker has `attribute = value` (a participant attribute)
    /// or whose document has it (`kind`, `wave` or a document attribute).
    ///
    /// # Errors
    /// A filter not of the form `attribute=value`.
    pub fn restrict(&mut self, filter: &str) -> Result<()> {
        let Some((attribute, value)) = filter.split_once('=') else {
            return Err(Error::Usage(format!(
                "filter `{filter}`: expected ATTRIBUTE=VALUE, e.g. role=student"
            )));
        };
        let (attribute, value) = (attribute.trim(), value.trim());
        for (n, respondent) in self.respondent.iter_mut().enumerate() {
            if !*respondent {
                continue; // out already: not a participant, or filtered out before
            }
            let segment = &self.segments[n];
            let document = segment.document(self.corpus);
            let speaker = segment.speaker(self.corpus).participant.as_deref();
            let actual = self.corpus.attribute_of(document, speaker, attribute);
            *respondent &= actual.as_deref() == Some(value);
        }
        self.respondent_segments = std::sync::OnceLock::new();
        self.respondent_coded = std::sync::OnceLock::new();
        self.respondent_places = std::sync::OnceLock::new();
        self.quotes.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        Ok(())
    }

    /// The quotes chosen for `code` and `n` with `choose`, once: later calls get the same.
    fn quotes_of(
        &self,
        code: &str,
        n: usize,
        choose: impl FnOnce() -> Vec<exemplars::Quote>,
    ) -> Vec<exemplars::Quote> {
        let chosen = || self.quotes.lock().unwrap_or_else(|e| e.into_inner());
        let key = (code.to_owned(), n);
        if let Some(quotes) = chosen().get(&key) {
            return quotes.clone();
        }
        // chosen without holding the lock: codes' quotes are chosen in parallel
        let quotes = choose();
        chosen().entry(key).or_insert(quotes).clone()
    }

    /// Let go of the lists made on first use (word counts, each code's codings, the
    /// participants' numbers, …), made again if asked for: a large study's are hundreds of
    /// megabytes, not needed once the analyses are done.
    pub fn let_lists_go(&mut self) {
        self.word_counts = std::sync::OnceLock::new();
        self.by_code = std::sync::OnceLock::new();
        self.respondent_segments = std::sync::OnceLock::new();
        self.respondent_coded = std::sync::OnceLock::new();
        self.respondent_places = std::sync::OnceLock::new();
        self.numbers_in_documents = std::sync::OnceLock::new();
        self.participant_numbers = std::sync::OnceLock::new();
    }

    /// Whether any of the lists [`Dataset::let_lists_go`] lets go is held (made since).
    pub fn holds_lists(&self) -> bool {
        self.word_counts.get().is_some()
            || self.by_code.get().is_some()
            || self.respondent_segments.get().is_some()
            || self.respondent_coded.get().is_some()
            || self.respondent_places.get().is_some()
            || self.numbers_in_documents.get().is_some()
            || self.participant_numbers.get().is_some()
    }

    /// Whether segment `n` is a participant's speech in scope.
    pub fn is_respondent(&self, n: usize) -> bool {
        self.respondent[n]
    }

    /// The numbers of the segments that are participants' speech in scope, ascending
    /// (32-bit, as coding numbers segments).
    pub fn respondent_segments(&self) -> &SegmentList {
        self.respondent_segments.get_or_init(|| {
            let mut list = SegmentList::new();
            for n in (0..self.segments.len()).filter(|&n| self.respondent[n]) {
                list.push(segment_number(n));
            }
            list.shrink_to_fit();
            list
        })
    }

    /// The [`Place`]s of [`Dataset::respondent_segments`], each once, in order.
    pub fn respondent_places(&self) -> &[Place] {
        self.respondent_places
            .get_or_init(|| places_of(self.places_of_segments(self.respondent_segments().iter())))
    }

    /// The places of `segments` (ascending).
    fn places_of_segments(
        &self,
        segments: impl Iterator<Item = u32>,
    ) -> impl Iterator<Item = Place> {
        let mut run = 0;
        segments.map(move |n| self.place_of(n as usize, &mut run))
    }

    /// Where segment `n` was spoken. `run` is as [`NumbersInDocuments::document_of`] takes
    /// it: segments asked for in ascending order are found without a search.
    ///
    /// [`NumbersInDocuments::document_of`]: crate::segment::NumbersInDocuments::document_of
    pub fn place_of(&self, n: usize, run: &mut usize) -> Place {
        // a corpus's documents are numbered in 32 bits, as its segments are
        let document = self.numbers_in_documents().document_of(n, run) as u32;
        Place { document, participant: self.participant_numbers().of_segment[n] }
    }

    /// The participant who spoke segment `n`, if a participant did.
    pub fn speaker(&self, n: usize) -> Option<&'a str> {
        self.segments[n].speaker(self.corpus).participant.as_deref()
    }

    /// The wave of segment `n`'s document.
    pub fn wave(&self, n: usize) -> Option<&'a str> {
        self.segments[n].document(self.corpus).wave.as_deref()
    }

    /// Keep the word counts in the folder of `index`, the index of this dataset's segments,
    /// so later runs read them instead of counting again.
    #[must_use]
    pub fn with_index(mut self, index: &'a SegmentIndex) -> Dataset<'a> {
        self.index = Some(index);
        self
    }

    /// The index of the segments, when one was given ([`Dataset::with_index`]).
    pub fn index(&self) -> Option<&'a SegmentIndex> {
        self.index
    }

    /// Words per segment, counted (in parallel) on first use, or read from the index's
    /// folder when counted by an earlier run. Segments that coding split into words already
    /// (their counts noted on the index, [`SegmentIndex::counted_words`]) are not split again,
    /// and the others' counts are noted beside theirs.
    pub fn word_counts(&self) -> WordCounts<'_> {
        if let Some(words) = self.word_counts.get() {
            return words.counts();
        }
        // Counted outside the cell's initialiser: a rayon worker waiting inside
        // `get_or_init` could steal another analysis that asks for the counts on the same
        // thread, a re-entrant initialisation that deadlocks (rayon issue #592). Two first
        // callers may both count; the second result is dropped.
        let file = self.index.and_then(|index| index.cache_file(WORD_COUNTS_FILE));
        let kept = file.as_ref().and_then(|file| self.read_word_counts(file));
        let carried = || {
            let counted = self.carried_word_counts()?;
            if let Some(file) = &file {
                // a cache: when it cannot be written, the next run counts again
                let _ = write_word_counts(file, WordCounts::Listed(&counted));
            }
            Some(counted)
        };
        let counted = match kept.or_else(carried) {
            Some(counted) => counted,
            None => {
                use rayon::prelude::*;
                let analyzer = crate::index::Analyzer::of_study(self.study);
                // segments the index's analyzer split already (to check rules) are not
                // split again, where it splits as the study says
                let noted = self.index.filter(|index| {
                    let same = index.analyzer();
                    same.language() == analyzer.language()
                        && same.reading() == analyzer.reading()
                        && index.segment_count() == self.segments.len()
                });
                // a segment's words fit in 32 bits: its text is under 2 GiB
                // each task's segments in order, a document's text read once for them
                // (`Corpus::text_in_order`): a run has let its texts go by now
                let count = |text: &mut Option<_>, s: &Segment| {
                    let text = self.corpus.text_in_order(text, s.document_index());
                    analyzer.count_words(&text[s.bytes()])
                };
                if let Some(index) = noted {
                    self.segments.par_iter().enumerate().for_each_init(
                        || None,
                        |text, (n, s)| {
                            if index.counted_words(n).is_none() {
                                index.note_word_count(n, count(text, s));
                            }
                        },
                    );
                    if (0..self.segments.len()).all(|n| index.counted_words(n).is_some()) {
                        if let Some(file) = &file {
                            // a cache: when it cannot be written, the next run counts again
                            let _ = write_word_counts(file, WordCounts::Noted(index));
                        }
                        let _ = self.word_counts.set(KeptCounts::Noted(index));
                        return self.word_counts.get().expect("set just now").counts();
                    }
                }
                let counted: Vec<u32> = self
                    .segments
                    .par_iter()
                    .enumerate()
                    .map_init(
                        || None,
                        |text, (n, s)| match noted.and_then(|index| index.counted_words(n)) {
                            Some(words) => words as u32,
                            None => count(text, s) as u32,
                        },
                    )
                    .collect();
                if let Some(file) = &file {
                    // a cache: when it cannot be written, the next run counts again
                    let _ = write_word_counts(file, WordCounts::Listed(&counted));
                }
                counted
            }
        };
        let _ = self.word_counts.set(KeptCounts::Listed(counted));
        self.word_counts.get().expect("set just now").counts()
    }

    fn read_word_counts(&self, file: &CacheFile) -> Option<Vec<u32>> {
        read_word_counts(file, self.segments.len())
    }

    /// The word counts kept before the update in place that made the index, carried over:
    /// each kept file's segments' counts moved to their numbers now, the segments of files
    /// changed or added counted (or taken from coding's notes). None unless the index was
    /// updated, splits words as the study says, and its counts from before read whole.
    fn carried_word_counts(&self) -> Option<Vec<u32>> {
        let index = self.index?;
        let carried = index.carried()?;
        let analyzer = crate::index::Analyzer::of_study(self.study);
        let same = index.analyzer();
        if same.language() != analyzer.language()
            || same.reading() != analyzer.reading()
            || index.segment_count() != self.segments.len()
        {
            return None;
        }
        let before = index.cache_file_before_update(WORD_COUNTS_FILE)?;
        let before = read_word_counts(&before, carried.old_count())?;
        const UNCOUNTED: u32 = u32::MAX;
        let mut counted = vec![UNCOUNTED; self.segments.len()];
        for &(first_before, first_now, count) in carried.runs() {
            let from = before.get(first_before..first_before + count)?;
            counted.get_mut(first_now..first_now + count)?.copy_from_slice(from);
        }
        let mut text = None;
        for n in carried.fresh().iter().flat_map(Clone::clone) {
            let segment = self.segments.get(n)?;
            let words = index.counted_words(n).unwrap_or_else(|| {
                let text = self.corpus.text_in_order(&mut text, segment.document_index());
                analyzer.count_words(&text[segment.bytes()])
            });
            counted[n] = u32::try_from(words).ok()?;
        }
        // every segment is a kept file's or a changed one's
        (!counted.contains(&UNCOUNTED)).then_some(counted)
    }

    /// Respondent speech per participant, for segments passing `keep`.
    pub fn speech(&self, keep: impl Fn(usize) -> bool) -> BTreeMap<String, Speech> {
        let ids = &self.participant_numbers().ids;
        self.speech_by_number(keep)
            .into_iter()
            .zip(ids)
            .filter_map(|(speech, id)| Some(((*id).to_owned(), speech?)))
            .collect()
    }

    /// Respondent speech of each participant in segments passing `keep`, by
    /// [`Dataset::participant_number`] (`None`: the participant said nothing there).
    pub fn speech_by_number(&self, keep: impl Fn(usize) -> bool) -> Vec<Option<Speech>> {
        let words = self.word_counts();
        let numbers = self.participant_numbers();
        let mut totals: Vec<Option<Speech>> = vec![None; numbers.ids.len()];
        for n in self.respondent_segments().iter().map(|n| n as usize) {
            let Some(participant) = numbers.of(n) else { continue };
            if !keep(n) {
                continue;
            }
            let segment = &self.segments[n];
            let entry = totals[participant as usize].get_or_insert_default();
            entry.words += words.get(n) as usize;
            entry.chars += segment.chars().len();
            entry.segments += 1;
        }
        totals
    }

    /// Every [`Dataset::participant_number`], in the order of the participants' ids.
    pub fn participants_by_id(&self) -> Vec<u32> {
        let ids = &self.participant_numbers().ids;
        let mut numbers: Vec<u32> = (0..ids.len()).map(|n| n as u32).collect();
        numbers.sort_unstable_by_key(|&n| ids[n as usize]);
        numbers
    }

    /// The participant number and codebook position of each coding of a participant's
    /// segment passing `keep`, code by code in codebook order (codes not in the codebook
    /// left out). Counting by numbers makes no string for the millions of codings of a
    /// large study: maps keyed by participant and code ids were 190 MB of a 1 GB study's
    /// comparison. Read from each code's list of coded segments
    /// ([`Dataset::segments_coded_with`], a byte or two a coding), not from the codings,
    /// whose records (evidence and all) each analysis decoded again.
    pub fn coded_by_number(
        &self,
        keep: impl Fn(usize) -> bool,
    ) -> impl Iterator<Item = (u32, usize)> {
        let numbers = self.participant_numbers();
        let keep = std::rc::Rc::new(keep);
        self.codebook.codes.iter().enumerate().flat_map(move |(position, code)| {
            let keep = std::rc::Rc::clone(&keep);
            self.segments_coded_with(&code.id)
                .iter()
                .map(|n| n as usize)
                .filter(move |&n| keep(n))
                .filter_map(move |n| Some((numbers.of(n)?, position)))
        })
    }

    /// A coding's codebook position (`None`: a code not in the codebook), looked up once
    /// per kind of coding, not per coding: hashing the code of each of millions of codings
    /// was much of counting them.
    pub fn code_positions(&self) -> impl FnMut(&Coding<'_>) -> Option<usize> + '_ {
        let mut positions: rustc_hash::FxHashMap<*const CodingKind, Option<usize>> =
            Default::default();
        move |coding| {
            *positions
                .entry(Arc::as_ptr(coding.kind))
                .or_insert_with(|| self.codebook.position(coding.code()))
        }
    }

    /// Each (participant number, codebook position) of [`Dataset::coded_by_number`] once:
    /// who mentioned which code in segments passing `keep`, ticked off in a bit per
    /// participant and code.
    pub fn mentions_by_number(
        &self,
        keep: impl Fn(usize) -> bool,
    ) -> impl Iterator<Item = (u32, usize)> {
        let codes = self.codebook.codes.len();
        let mut mentioned = vec![0u64; (self.participant_count() * codes).div_ceil(64)];
        self.coded_by_number(keep).filter(move |&(participant, code)| {
            let bit = participant as usize * codes + code;
            let (word, mask) = (&mut mentioned[bit / 64], 1u64 << (bit % 64));
            let first = *word & mask == 0;
            *word |= mask;
            first
        })
    }

    /// Codings of respondent segments passing `keep`, as (segment, code) pairs.
    pub fn coded(&self, keep: impl Fn(usize) -> bool) -> impl Iterator<Item = Coding<'a>> {
        let codings: &'a Codings = self.codings;
        codings.iter().filter(move |c| self.is_respondent(c.segment) && keep(c.segment))
    }

    /// Codings with `code` of respondent segments passing `keep`, in the codings' order.
    pub fn coded_with(
        &self,
        code: &str,
        keep: impl Fn(usize) -> bool,
    ) -> impl Iterator<Item = Coding<'a>> {
        let by_code = self.by_code.get_or_init(|| {
            let mut by_code: rustc_hash::FxHashMap<&str, Vec<u32>> = Default::default();
            for (i, coding) in self.codings.iter().enumerate() {
                let i = u32::try_from(i).expect("fewer than 2³² codings");
                by_code.entry(&**coding.code()).or_default().push(i);
            }
            by_code
        });
        let codings: &'a Codings = self.codings;
        by_code
            .get(code)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(move |&i| codings.get(i as usize))
            .filter(move |c| self.is_respondent(c.segment) && keep(c.segment))
    }

    /// The coding with `code` of segment `n`, if `n` is participants' speech in scope and
    /// has one. Codings made by coding come in segment order, and are then found by halving
    /// (the list of each code's codings that [`Dataset::coded_with`] builds is 4 bytes a
    /// coding, about 60 MB at 1 GB of transcripts, for the few quotes of a report).
    pub fn coding_of(&self, code: &str, n: usize) -> Option<Coding<'a>> {
        let codings: &'a Codings = self.codings;
        let by_segment = *self.by_segment.get_or_init(|| codings.in_segment_order());
        if !by_segment {
            return self.coded_with(code, |m| m == n).next();
        }
        let first = codings.first_at_or_after(n);
        codings
            .range(first..codings.len())
            .take_while(|coding| coding.segment == n)
            .find(|coding| &**coding.code() == code && self.is_respondent(n))
    }

    /// The segments of the codings with `code` of participants' speech in scope, in the
    /// codings' order: [`Dataset::coded_with`]'s segments when every segment is kept.
    pub fn segments_coded_with(&self, code: &str) -> &SegmentList {
        static NONE: SegmentList = SegmentList::new();
        self.respondent_coded(code).map_or(&NONE, |coded| &coded.segments)
    }

    /// The [`Place`]s of [`Dataset::segments_coded_with`]'s segments, each once, in order.
    pub fn places_coded_with(&self, code: &str) -> &[Place] {
        self.respondent_coded(code).map_or(&[], |coded| &coded.places)
    }

    /// The characters of [`Dataset::segments_coded_with`]'s segments, added up.
    pub fn chars_coded_with(&self, code: &str) -> usize {
        self.respondent_coded(code).map_or(0, |coded| coded.chars)
    }

    fn respondent_coded(&self, code: &str) -> Option<&Coded> {
        let by_code = self.respondent_coded.get_or_init(|| {
            let mut by_code: rustc_hash::FxHashMap<&'a str, Coded> = Default::default();
            // each kind of coding's entry found once, by the kind's place in memory (shared
            // by its codings), not by hashing the code of each of millions of codings
            let mut codes: Vec<Coded> = Vec::new();
            let mut places: rustc_hash::FxHashMap<&'a str, usize> = Default::default();
            let mut of_kind: rustc_hash::FxHashMap<*const CodingKind, usize> = Default::default();
            // codings come in segment order: each segment's record is read once, in order,
            // where a table's code-by-code pass would read each coded segment's at random
            for coding in self.codings.iter().filter(|c| self.respondent[c.segment]) {
                let place = *of_kind.entry(Arc::as_ptr(coding.kind)).or_insert_with(|| {
                    *places.entry(coding.code()).or_insert_with(|| {
                        codes.push(Coded::default());
                        codes.len() - 1
                    })
                });
                let coded = &mut codes[place];
                coded.segments.push(segment_number(coding.segment));
                coded.chars += self.segments[coding.segment].chars().len();
            }
            for (code, place) in places {
                let mut coded = std::mem::take(&mut codes[place]);
                coded.segments.shrink_to_fit();
                coded.places = places_of(self.places_of_segments(coded.segments.iter()));
                by_code.insert(code, coded);
            }
            by_code
        });
        by_code.get(code)
    }

    /// Where each document's run of segments starts, for finding a segment's document (and
    /// its number within it) without reading the segment's record.
    pub fn numbers_in_documents(&self) -> &crate::segment::NumbersInDocuments {
        self.numbers_in_documents
            .get_or_init(|| crate::segment::NumbersInDocuments::new(self.segments))
    }

    /// A number for the participant who spoke segment `n` (the same number for the same
    /// participant throughout), if a participant did.
    pub fn participant_number(&self, n: usize) -> Option<u32> {
        self.participant_numbers().of(n)
    }

    /// The id of every participant who spoke, in the order of their
    /// [`Dataset::participant_number`]s.
    pub fn participant_ids(&self) -> &[&'a str] {
        &self.participant_numbers().ids
    }

    /// How many participants spoke: [`Dataset::participant_number`]s are below it.
    pub fn participant_count(&self) -> usize {
        self.participant_numbers().ids.len()
    }

    fn participant_numbers(&self) -> &ParticipantNumbers<'a> {
        self.participant_numbers.get_or_init(|| {
            let mut ids = Interner::default();
            let of_segment = (0..self.segments.len())
                .map(|n| self.speaker(n).map_or(NOT_A_PARTICIPANT, |id| ids.number(id)))
                .collect();
            let groups = self.corpus.participants.attributes.first().map(|attribute| {
                let values: Vec<String> =
                    ids.strings.iter().map(|id| self.attribute(id, attribute)).collect();
                let mut numbers = Interner::default();
                let of = values.iter().map(|value| numbers.number(value)).collect();
                Groups { of, count: numbers.strings.len() }
            });
            ParticipantNumbers { of_segment, ids: ids.strings, groups }
        })
    }

    /// The value of a participant attribute (or `wave`-free built-ins) for `participant`.
    pub fn attribute(&self, participant: &str, attribute: &str) -> String {
        if attribute == "participant" {
            return participant.to_owned();
        }
        self.corpus.participants.attribute(participant, attribute).unwrap_or(MISSING).to_owned()
    }

    /// Levels of a participant attribute among `participants`, in the study's order
    /// (declared ordinal order, else sorted), `(missing)` last.
    pub fn levels<'p>(
        &self,
        attribute: &str,
        participants: impl IntoIterator<Item = &'p str>,
    ) -> Vec<String> {
        let present: BTreeSet<String> =
            participants.into_iter().map(|p| self.attribute(p, attribute)).collect();
        let declared = self.corpus.participants.levels(attribute);
        let mut levels: Vec<String> =
            declared.into_iter().filter(|l| present.contains(l)).collect();
        let undeclared: Vec<String> = present
            .iter()
            .filter(|l| !levels.contains(l) && l.as_str() != MISSING)
            .cloned()
            .collect();
        levels.extend(undeclared);
        if present.contains(MISSING) {
            levels.push(MISSING.to_owned());
        }
        levels
    }

    /// Check that `attribute` is a participant attribute.
    ///
    /// # Errors
    /// An unknown attribute, listing the known ones.
    pub fn check_attribute(&self, attribute: &str) -> Result<()> {
        if attribute == "participant"
            || self.corpus.participants.attributes.iter().any(|a| a == attribute)
        {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "unknown participant attribute `{attribute}`; participants.csv has {}",
            self.corpus.participants.attributes.join(", ")
        )))
    }

    /// A code's name indented by its depth, for table rows.
    pub fn code_label(&self, id: &str) -> String {
        let name = self.codebook.code(id).map_or(id, |c| c.name.as_str());
        format!("{}{name}", "  ".repeat(self.codebook.depth(id)))
    }

    /// The note every coded analysis carries: what was coded and how.
    pub fn provenance(&self) -> String {
        format!(
            "Codes from {} (version {}), assigned by its rules to {}s of participants' speech; interviewers excluded.",
            self.codebook.name,
            if self.codebook.version.is_empty() { "unversioned" } else { &self.codebook.version },
            self.unit.name()
        )
    }
}

/// A count of a total, shown `n (p%)` with one decimal; missing (`–`) when the total is 0.
pub fn count_percent(n: usize, of: usize) -> Value {
    if of == 0 { Value::Missing } else { Value::Count { n, of } }
}

/// A p-value cell, shown with three decimals or `<0.001`; missing (`–`) when there is none.
pub fn format_p(p: Option<f64>) -> Value {
    p.map_or(Value::Missing, Value::PValue)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::table::ColumnKind;

    #[test]
    fn places_are_listed_once_each_in_order() {
        let place = |document, participant| Place { document, participant };
        let nobody = place(1, NOT_A_PARTICIPANT);
        // a focus group's speakers alternate: repeats that are not consecutive go too
        let given = [place(0, 1), place(0, 1), place(0, 2), place(0, 1), nobody, place(0, 2)];
        assert_eq!(places_of(given.into_iter()), vec![place(0, 1), place(0, 2), nobody]);
        assert_eq!(nobody.participant(), None);
        assert_eq!(place(0, 2).participant(), Some(2));
    }

    #[test]
    fn percentages_and_p_values_format_for_papers() {
        assert_eq!(count_percent(3, 8).display(ColumnKind::Count), "3 (37.5%)");
        assert_eq!(count_percent(0, 0).display(ColumnKind::Count), "–");
        assert_eq!(format_p(Some(0.0004)).display(ColumnKind::PValue), "<0.001");
        assert_eq!(format_p(Some(0.04567)).display(ColumnKind::PValue), "0.046");
        assert_eq!(format_p(None).display(ColumnKind::PValue), "–");
    }
}
