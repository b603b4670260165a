//! Apply a codebook to a study's segments → codings with evidence; write `codings.csv` and
//! `segments.csv` (each segment's text once, for codings.csv's rows to be joined to).
//!
//! Each code's rules run over the segment index (candidates from the index, then an exact
//! match on each candidate's words, [`crate::query::Rule::find`]), and what each
//! rule matched is cached beside the index; a segment is coded once per code, with every
//! rule that matched and the char spans of the matched words as evidence. Parent codes
//! aggregate their descendants: a segment coded by a child is coded by the parent too, with
//! the child named among the rules (`child:<id>`). A segment's codings depend on nothing
//! but the rules that matched it, so after an edit that adds or removes rules only the
//! segments those rules matched are coded again (`reuse.rs`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::codebook::{CodeRule, Codebook};
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::index::Word;
use crate::index::{Carried, SegmentIndex};
use crate::query::{Span, Trigger, merge_overlapping_in_place};
use crate::segment::Segment;
use crate::segment_list::{SegmentList, SegmentListIter};
use crate::study::SpeakerFilter;

mod codings;
mod evidence;
mod matches;
mod reuse;
mod rows;

pub use codings::{Codings, CodingsIter};
pub use evidence::{Evidence, EvidenceIter};
use matches::{Block, MatchFile, RuleMatches};
pub use reuse::{CodingsCsv, read_ahead};
pub use rows::{CODINGS_COLUMNS, Columns, SEGMENTS_COLUMNS, to_csv, write_csv, write_segments_csv};

/// Who or what applied a code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The codebook's rules.
    Rule,
    /// A named human coder.
    Coder(Arc<str>),
}

impl Origin {
    /// The origin as written in `codings.csv`.
    pub fn name(&self) -> &str {
        match self {
            Origin::Rule => "rule",
            Origin::Coder(name) => name,
        }
    }
}

/// One code applied to one segment: a view of one of [`Codings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coding<'a> {
    /// Segment number (index into the segment list).
    pub segment: usize,
    /// The code, who applied it and the rules that matched: one value shared by every coding
    /// with the same three.
    pub kind: &'a Arc<CodingKind>,
    /// Char ranges in the document of the matched words, ascending, merged: 32-bit, as the
    /// matches they come from.
    pub evidence: Evidence<'a>,
}

impl<'a> Coding<'a> {
    /// The code's id.
    pub fn code(&self) -> &'a Arc<str> {
        &self.kind.code
    }

    /// Who applied it.
    pub fn origin(&self) -> &'a Origin {
        &self.kind.origin
    }

    /// The rules that matched, as written (`child:<id>` for codes inherited from children).
    pub fn rules(&self) -> &'a Arc<[Arc<str>]> {
        &self.kind.rules
    }
}

/// What codings share: the code, who applied it and the rules that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingKind {
    /// Code id.
    pub code: Arc<str>,
    /// Who applied it.
    pub origin: Origin,
    /// The rules that matched, as written (`child:<id>` for codes inherited from children).
    pub rules: Arc<[Arc<str>]>,
}

/// What the codings of a codebook share, made once: each code's id and parent (by position
/// in the codebook) and place in id order, and the names of the rules codings list, each
/// distinct name once and numbered (a large study has millions of codings).
struct Shared {
    ids: Vec<Arc<str>>,
    /// Each code's place in id order: a code's own rules and its children's are listed in id
    /// order of the code that matched.
    id_ranks: Vec<u32>,
    parents: Vec<Option<usize>>,
    /// Every rule name: rule texts and `child:<id>`, each distinct text once.
    names: Vec<Arc<str>>,
    /// Whether each name is a `child:<id>` name (listed after a code's own rules).
    inherited: Vec<bool>,
    /// The name of each of `apply`'s rules (numbered as `apply` lists them).
    rule_names: Vec<u32>,
    /// The `child:<id>` name of each code.
    child_names: Vec<u32>,
}

impl Shared {
    /// `rules`: the code (by position) and text of every rule, in `apply`'s order.
    fn new(codebook: &Codebook, rules: &[(usize, &str)]) -> Shared {
        let mut by_id: Vec<usize> = (0..codebook.codes.len()).collect();
        by_id.sort_by_key(|&i| &codebook.codes[i].id);
        let mut id_ranks = vec![0; by_id.len()];
        for (rank, &code) in by_id.iter().enumerate() {
            id_ranks[code] = rank as u32;
        }
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut name = |text: String| {
            *numbers.entry(text).or_insert_with_key(|text| {
                names.push(Arc::from(text.as_str()));
                (names.len() - 1) as u32
            })
        };
        let rule_names = rules.iter().map(|(_, text)| name((*text).to_owned())).collect();
        let child_names = codebook.codes.iter().map(|c| name(format!("child:{}", c.id))).collect();
        Shared {
            ids: codebook.codes.iter().map(|c| Arc::from(c.id.as_str())).collect(),
            id_ranks,
            parents: codebook.parent_positions(),
            inherited: names.iter().map(|n| n.starts_with("child:")).collect(),
            names,
            rule_names,
            child_names,
        }
    }
}

/// Apply every code of `codebook` to the segments of `speakers`.
///
/// Codings come in segment order, then codebook (tree) order. Each rule's matches are taken
/// from the cache beside an on-disk index when they are there (`coding/matches.rs`), else
/// found in the index and cached, so after a codebook edit only new or changed rules are
/// searched for.
///
/// # Errors
/// tantivy fails while searching; a study has over four billion segments or characters in
/// one document.
pub fn apply(
    codebook: &Codebook,
    index: &SegmentIndex,
    corpus: &Corpus,
    segments: &[Segment],
    speakers: SpeakerFilter,
) -> Result<Codings> {
    Matched::find(codebook, index, corpus, segments, speakers)?.codings(None)
}

/// What every rule of a codebook matched: read from the cache beside the index, or found in
/// the index (and the cache rewritten as [`MatchCache`] says, on a thread of its own, while
/// the codings are assembled and written: nothing else reads it).
pub struct Matched<'a> {
    codebook: &'a Codebook,
    index: &'a SegmentIndex,
    speakers: SpeakerFilter,
    /// The code (by position) and rule of every rule of the codebook, in codebook order.
    rules: Vec<(usize, &'a CodeRule)>,
    shared: Shared,
    /// Matches by rule text: every rule's, and those of rules the cache still held.
    known: HashMap<String, RuleMatches>,
    cache_written: CacheWriting,
}

/// What finding a codebook's matches does with the match cache beside the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchCache {
    /// Read it, and rewrite it with the codebook's rules when any had to be searched for
    /// (the rules it no longer has let go): for coding with the codebook.
    Update,
    /// Read it, and when any rule had to be searched for rewrite it with every rule it held
    /// and the new ones: for looking at a codebook without coding with it (`codebook check`
    /// of an edit or a draft). The next re-code still finds the rules its last codings.csv
    /// was coded with, which tell it what to copy, and the edit's rules already searched for.
    Add,
    /// Read it only: for speakers the study does not code.
    Read,
}

/// The thread rewriting the match cache, waited for when dropped: the cache is written
/// before the command ends.
#[derive(Default)]
pub struct CacheWriting(Option<std::thread::JoinHandle<()>>);

impl Drop for CacheWriting {
    fn drop(&mut self) {
        if let Some(writing) = self.0.take() {
            let _ = writing.join();
        }
    }
}

impl<'a> Matched<'a> {
    /// Every rule's matches among the segments of `speakers`, the match cache read and
    /// rewritten ([`MatchCache::Update`]).
    ///
    /// # Errors
    /// As [`apply`].
    pub fn find(
        codebook: &'a Codebook,
        index: &'a SegmentIndex,
        corpus: &Corpus,
        segments: &[Segment],
        speakers: SpeakerFilter,
    ) -> Result<Matched<'a>> {
        Matched::find_with_cache(codebook, index, (corpus, segments, speakers), MatchCache::Update)
    }

    /// [`Matched::find`], doing with the match cache what `cache` says.
    ///
    /// # Errors
    /// As [`apply`].
    pub fn find_with_cache(
        codebook: &'a Codebook,
        index: &'a SegmentIndex,
        (corpus, segments, speakers): (&Corpus, &[Segment], SpeakerFilter),
        cache: MatchCache,
    ) -> Result<Matched<'a>> {
        let rules: Vec<(usize, &CodeRule)> = codebook.rules().collect();
        let texts: Vec<(usize, &str)> =
            rules.iter().map(|(c, rule)| (*c, rule.text.as_str())).collect();
        let shared = Shared::new(codebook, &texts);
        // Matches are cached by rule text, which says what it matches only in the index's
        // language (the commands refuse a codebook in another language; library callers may
        // not).
        let file = MatchFile::of(index, speakers.name())
            .filter(|_| codebook.language == index.analyzer().language());
        let mut known = file.as_ref().map(MatchFile::read).unwrap_or_default();
        let what = (corpus, segments, speakers);
        // after an update of the index in place, the matches found before it are carried
        // over: renumbered, with the segments indexed again searched for every rule
        let carried = match (known.is_empty(), index.carried()) {
            (true, Some(carried)) if codebook.language == index.analyzer().language() => {
                carry_over(
                    &rules,
                    MatchFile::before_update(index, speakers.name()),
                    carried,
                    index,
                    what,
                )?
            }
            _ => None,
        };
        let carried_over = carried.is_some();
        known.extend(carried.into_iter().flatten());
        // each rule text searched for once, however many codes share it
        let mut missing: Vec<&CodeRule> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (_, code_rule) in &rules {
            if !known.contains_key(&code_rule.text) && seen.insert(&code_rule.text) {
                missing.push(code_rule);
            }
        }
        let found = find_matches(&missing, index, what, CODING_WINDOW, Proposed::Either)?;
        known.extend(missing.iter().map(|rule| rule.text.clone()).zip(found));
        // nothing found in a text whose file changed while read (it reads as spaces, and the
        // command fails) is kept: the file changed back, its index would be as before
        let rewrite = (carried_over || !missing.is_empty())
            && cache != MatchCache::Read
            && corpus.check_texts().is_ok();
        let cache_written = file.filter(|_| rewrite).and_then(|file| {
            let mut current: Vec<String> = match cache {
                MatchCache::Add => known.keys().cloned().collect(),
                _ => rules.iter().map(|(_, rule)| rule.text.clone()).collect(),
            };
            current.sort_unstable();
            current.dedup();
            // the writer's own handles on the matches' blocks (shared, not copied)
            let matches: Vec<(String, RuleMatches)> =
                current.into_iter().map(|text| (text.clone(), known[&text].clone())).collect();
            // a cache: when it cannot be written, the next run searches again, nothing worse
            let write = move || {
                let _ = file.write(matches.into_iter());
            };
            std::thread::Builder::new().spawn(write).ok()
        });
        let cache_written = CacheWriting(cache_written);
        Ok(Matched { codebook, index, speakers, rules, shared, known, cache_written })
    }

    /// The codings of every segment, or of the segments `only` marks, in segment order.
    /// The matches are let go a block at a time as their segments are coded, and the match
    /// cache's writer is waited for.
    ///
    /// # Errors
    /// The evidence of every coding together is 4 GiB or more encoded.
    pub fn codings(self, only: Option<&[bool]>) -> Result<Codings> {
        self.codings_while_cache_written(only).0
    }

    /// [`Matched::codings`], with the thread still writing the match cache, to wait for
    /// when dropped.
    fn codings_while_cache_written(self, only: Option<&[bool]>) -> (Result<Codings>, CacheWriting) {
        let Matched { rules, shared, known, cache_written, .. } = self;
        let by_rule: Vec<RuleMatches> =
            rules.iter().map(|(_, code_rule)| known[&code_rule.text].clone()).collect();
        drop(known);
        (assemble(&shared, &rules, by_rule, only).ok_or_else(too_large), cache_written)
    }
}

/// Every rule's matches a window of segments at a time, in segment order, for a pass that
/// reads the segments they matched again (`codebook check` counts the word forms each rule
/// matched): each window's matches let go as the next is read, as coding lets them go.
pub struct MatchWindows<'a> {
    rules: Vec<(usize, &'a CodeRule)>,
    hits: HitsBySegment<'static>,
    window: WindowHits,
    _cache_written: CacheWriting,
}

impl<'a> Matched<'a> {
    /// The matches a window of segments at a time ([`MatchWindows`]).
    pub fn windows(self) -> MatchWindows<'a> {
        let Matched { rules, known, cache_written, .. } = self;
        let by_rule: Vec<RuleMatches> =
            rules.iter().map(|(_, code_rule)| known[&code_rule.text].clone()).collect();
        drop(known);
        MatchWindows {
            rules,
            hits: HitsBySegment::new(by_rule, None),
            window: WindowHits::default(),
            _cache_written: cache_written,
        }
    }
}

impl<'a> MatchWindows<'a> {
    /// Every rule of the codebook in codebook order, each with its code's position: a match
    /// names its rule by its place here.
    pub fn rules(&self) -> &[(usize, &'a CodeRule)] {
        &self.rules
    }

    /// The next window that holds any match, after the one before it; `None` after the last.
    pub fn next_window(&mut self) -> Option<MatchWindow<'_>> {
        if !self.hits.next_window(&mut self.window) {
            return None;
        }
        let WindowHits { hits, blocks } = &self.window;
        let number = blocks.iter().flatten().next()?.number();
        let width = self.hits.width as usize;
        let first = number as usize * width;
        Some(MatchWindow { segments: first..first + width, hits, blocks })
    }
}

/// One window's matches ([`MatchWindows::next_window`]).
pub struct MatchWindow<'w> {
    segments: Range<usize>,
    hits: &'w [(u32, u32, u32)],
    blocks: &'w [Option<Arc<Block>>],
}

impl<'w> MatchWindow<'w> {
    /// The segment numbers the window spans (the last window's run past the study's).
    pub fn segments(&self) -> Range<usize> {
        self.segments.clone()
    }

    /// The matches of the segments `of`, in segment then rule order: each one's segment, its
    /// rule's place in [`MatchWindows::rules`], and its evidence (the document char ranges
    /// of the words the rule matched, as many times as its stretches name them).
    pub fn matches(
        &self,
        of: Range<usize>,
    ) -> impl Iterator<Item = (usize, usize, Evidence<'w>)> + use<'w> {
        let start = self.hits.partition_point(|hit| (hit.0 as usize) < of.start);
        let end = self.hits.partition_point(|hit| (hit.0 as usize) < of.end);
        let blocks = self.blocks;
        self.hits[start..end].iter().map(move |&(segment, rule, at)| {
            let block =
                blocks[rule as usize].as_ref().expect("a match's rule has its window's block");
            (segment as usize, rule as usize, block.evidence_at(at))
        })
    }
}

/// The char range in its document of each of `words`, a segment's words as the analyzer
/// split `document_text[segment.bytes()]`, in order: how evidence names a word.
pub fn char_ranges_of_words<'w>(
    document_text: &'w str,
    segment: &Segment,
    words: &'w [Word],
) -> impl Iterator<Item = Range<usize>> + 'w {
    let chars = CharOffsets::new(document_text, segment);
    words.iter().map(move |word| chars.range(word.start..word.end))
}

/// Every coding of the segments `by_rule` matched, in segment order (see [`apply`]), each
/// rule's matches let go a block at a time once coded. `None` when the evidence of every
/// coding together is 4 GiB or more encoded.
fn assemble(
    shared: &Shared,
    rules: &[(usize, &CodeRule)],
    by_rule: Vec<RuleMatches>,
    only: Option<&[bool]>,
) -> Option<Codings> {
    use rayon::prelude::*;
    let codes_of_rules: Vec<u32> = rules.iter().map(|(c, _)| *c as u32).collect();
    let kinds = std::sync::RwLock::default();
    // Each segment's codings depend on that segment alone: coded in parallel, a block of
    // segments at a time appended in segment order (collecting all at once would hold every
    // coding twice, in rayon's per-thread lists and in the result).
    let mut windows = HitsBySegment::new(by_rule, only);
    let mut codings = Codings::default();
    // a coding per hit, give or take: a code's rules share one, its ancestors add theirs
    codings.reserve(windows.count());
    let code = |window: &WindowHits| -> Vec<Option<Codings>> {
        let blocks = &window.blocks;
        let assembly = Assembly { shared, codes_of_rules: &codes_of_rules, blocks, kinds: &kinds };
        let runs: Vec<&[(u32, u32, u32)]> = window.hits.chunk_by(|a, b| a.0 == b.0).collect();
        runs.par_chunks(SEGMENTS_PER_TASK)
            .map_init(Scratch::default, |scratch, groups| {
                let mut codings = Codings::default();
                for group in groups {
                    assembly.segment_codings(group, scratch, &mut codings)?;
                }
                Some(codings)
            })
            .collect()
    };
    // the next window's hits are placed (one thread) while this one's segments are coded:
    // placed between windows, they kept the other core idle
    let (mut this, mut next) = (WindowHits::default(), WindowHits::default());
    let mut more = windows.next_window(&mut this);
    while more {
        let coded;
        (coded, more) = rayon::join(|| code(&this), || windows.next_window(&mut next));
        // this window's blocks let go before the next is coded
        this.blocks.clear();
        for part in coded {
            codings.append(&part?)?;
        }
        std::mem::swap(&mut this, &mut next);
    }
    codings.kinds = kinds.into_inner().unwrap_or_else(|e| e.into_inner()).list;
    codings.shrink_to_fit();
    Some(codings)
}

/// The error for a study too large to code in 32-bit numbers.
fn too_large() -> Error {
    Error::Usage(
        "too large to code: over 4,294,967,295 segments, characters in one document, \
         evidence ranges or bytes of evidence"
            .to_owned(),
    )
}

/// Rules' candidate segments as (segment, rule) pairs, sorted, a window of `width` segment
/// numbers at a time (from the lowest candidate not yet given): every candidate as a pair,
/// sorted all at once, was 8 bytes per candidate held through all of verification, about
/// 200 MB at 1 GB of transcripts. Each rule's candidates are a [`SegmentList`], a byte or
/// two a candidate: as 32-bit lists they were about 100 MB of the end of verification, a
/// 1 GB cold run's peak.
struct CandidateWindows<'c> {
    /// Each rule's candidate segments not yet given, ascending.
    candidates: Vec<std::iter::Peekable<SegmentListIter<'c>>>,
    width: u32,
    /// The window's pairs as taken, rule by rule.
    taken: Vec<(u32, u32)>,
    /// Per segment of the window: while counting, how many pairs it has; then where they
    /// go (a window of a codebook of many rules can hold more than 2³² pairs).
    starts: Vec<usize>,
}

impl<'c> CandidateWindows<'c> {
    fn new(candidates: &'c [SegmentList], width: u32) -> CandidateWindows<'c> {
        assert!(width > 0, "a window spans at least one segment");
        let candidates = candidates.iter().map(|list| list.iter().peekable()).collect();
        CandidateWindows { candidates, width, taken: Vec::new(), starts: Vec::new() }
    }

    /// Put the next window's pairs in `pairs` (cleared first), sorted by segment and then
    /// rule; `false` when every candidate was given.
    fn next_window(&mut self, pairs: &mut Vec<(u32, u32)>) -> bool {
        pairs.clear();
        let first = self.candidates.iter_mut().filter_map(|list| list.peek().copied()).min();
        let Some(first) = first else { return false };
        let end = u64::from(first) + u64::from(self.width);
        self.taken.clear();
        let mut last = first;
        for (r, list) in self.candidates.iter_mut().enumerate() {
            // rules are numbered in 32 bits: `find_matches` refused more
            while let Some(n) = list.next_if(|&n| u64::from(n) < end) {
                self.taken.push((n, r as u32));
                last = last.max(n);
            }
        }
        // sorted by counting: each segment's pairs go after those of the segments before
        // it, rule by rule as taken (a comparison sort of the window was a twelfth of
        // matching); counted over the segments the window reaches, not its width, which
        // may be every segment number
        self.starts.clear();
        self.starts.resize((last - first) as usize + 2, 0);
        for &(n, _) in &self.taken {
            self.starts[(n - first) as usize + 1] += 1;
        }
        for i in 1..self.starts.len() {
            self.starts[i] += self.starts[i - 1];
        }
        pairs.resize(self.taken.len(), (0, 0));
        for &(n, r) in &self.taken {
            let at = &mut self.starts[(n - first) as usize];
            pairs[*at] = (n, r);
            *at += 1;
        }
        true
    }
}

/// Every (segment, rule, match) of `by_rule` (among the segments `only` marks, when given),
/// a block of segment numbers at a time ([`matches::MATCH_BLOCK`]), each window's hits in
/// that order, a match named by where its evidence starts in its rule's block: counted per segment and placed,
/// rule by rule, after the hits of the segments before it (a comparison sort took most of
/// a re-code's coding). A block at a time because a large study has tens of millions of
/// hits: sorted all at once, with a count per segment, they were the peak of a large run's
/// memory, and fresh memory is slow to come by. A window's blocks are let go by whoever
/// holds its [`WindowHits`] (`assemble` clears them once the window is coded).
struct HitsBySegment<'m> {
    /// Each rule's blocks not yet reached.
    rules: Vec<std::iter::Peekable<std::vec::IntoIter<Arc<Block>>>>,
    only: Option<&'m [bool]>,
    /// With `only`: per block number, whether `only` marks any of its segments.
    windows_coded: Option<Vec<bool>>,
    /// Segment numbers per block.
    width: u32,
    /// How many hits there are in all.
    count: usize,
    /// Per segment of the window: where its hits start (while counting, how many it has;
    /// a window of a codebook of many rules can hold more than 2³² hits).
    starts: Vec<usize>,
}

/// A window's hits (segment, rule, match), and each rule's block in it, if it has one.
#[derive(Default)]
struct WindowHits {
    hits: Vec<(u32, u32, u32)>,
    blocks: Vec<Option<Arc<Block>>>,
}

impl<'m> HitsBySegment<'m> {
    /// # Panics
    /// The rules' matches come in blocks of different widths.
    fn new(by_rule: Vec<RuleMatches>, only: Option<&'m [bool]>) -> Self {
        use rayon::prelude::*;
        let width = by_rule.first().map_or(matches::MATCH_BLOCK, RuleMatches::width);
        assert!(by_rule.iter().all(|m| m.width() == width), "blocks of one width");
        // a re-code codes a few segments again: most windows have none of them, and their
        // blocks are passed over unread
        let windows_coded: Option<Vec<bool>> =
            only.map(|only| only.chunks(width as usize).map(|w| w.contains(&true)).collect());
        let counting = HitsBySegment {
            rules: Vec::new(),
            only,
            windows_coded,
            width,
            count: 0,
            starts: Vec::new(),
        };
        // counted in parallel: every rule's matches, where a re-code codes few
        let count = (by_rule.par_iter())
            .map(|m| m.blocks().iter().map(|block| counting.wanted_in(block)).sum::<usize>())
            .sum();
        HitsBySegment {
            rules: by_rule.into_iter().map(|m| m.into_blocks().peekable()).collect(),
            count,
            ..counting
        }
    }

    /// How many hits there are in all.
    fn count(&self) -> usize {
        self.count
    }

    /// Whether any segment of block number `number` is wanted.
    fn window_wanted(&self, number: u32) -> bool {
        self.windows_coded.as_ref().is_none_or(|coded| coded[number as usize])
    }

    /// How many of `block`'s matches are of segments wanted.
    fn wanted_in(&self, block: &Block) -> usize {
        match self.only {
            None => block.len(),
            Some(_) if !self.window_wanted(block.number()) => 0,
            Some(only) => block.segments().filter(|&n| only[n as usize]).count(),
        }
    }

    /// Put the next window's hits in `into` (what it held replaced), in (segment, rule,
    /// match) order, with each rule's block in the window (each match named by where its
    /// evidence starts in the block, [`Block::evidence_at`]); `false` after the last.
    fn next_window(&mut self, into: &mut WindowHits) -> bool {
        let WindowHits { hits, blocks: window } = into;
        let number = self.rules.iter_mut().filter_map(|r| r.peek().map(|b| b.number())).min();
        window.clear();
        window.extend(
            (self.rules.iter_mut())
                .map(|blocks| blocks.next_if(|block| Some(block.number()) == number)),
        );
        let Some(number) = number else {
            hits.clear();
            return false;
        };
        let wanted_window = self.window_wanted(number);
        let HitsBySegment { only, width, starts, .. } = self;
        let first = number as usize * *width as usize;
        let wanted = |n: u32| only.is_none_or(|only| only[n as usize]);
        starts.clear();
        starts.resize(*width as usize + 1, 0);
        for block in window.iter().flatten().filter(|_| wanted_window) {
            for n in block.segments().filter(|&n| wanted(n)) {
                starts[n as usize - first + 1] += 1;
            }
        }
        for n in 1..starts.len() {
            starts[n] += starts[n - 1];
        }
        hits.clear();
        hits.resize(starts[starts.len() - 1], (0, 0, 0));
        // rules in order, each one's matches in segment order: each segment's hits come out
        // in (rule, match) order
        for (r, block) in window.iter().enumerate().filter(|_| wanted_window) {
            let Some(block) = block else { continue };
            for (n, at, _) in block.matches().filter(|&(n, _, _)| wanted(n)) {
                let slot = &mut starts[n as usize - first];
                hits[*slot] = (n, r as u32, at);
                *slot += 1;
            }
        }
        true
    }
}

/// Segments verified (`find_matches`), and later coded, in parallel before their results
/// join the rest: what bounds the memory of work in flight.
const CODING_WINDOW: u32 = 1 << 15;

/// Segments coded by one parallel task.
const SEGMENTS_PER_TASK: usize = 512;

/// What the codings of every segment are assembled from.
struct Assembly<'a> {
    shared: &'a Shared,
    /// The code (by position) of each rule.
    codes_of_rules: &'a [u32],
    /// The window's block of each rule's matches.
    blocks: &'a [Option<Arc<Block>>],
    /// Every kind of coding (code and rules) made so far, each once for the whole study: a
    /// task's own kinds ([`Scratch`]) start empty, and rayon runs many tasks per thread.
    kinds: &'a std::sync::RwLock<KindTable>,
}

/// Codings' kinds' numbers by their code's and rules' numbers (the code first).
type Kinds = rustc_hash::FxHashMap<Box<[u32]>, u32>;

/// Every kind of coding made, numbered in the order made.
#[derive(Default)]
struct KindTable {
    numbers: Kinds,
    list: Vec<Arc<CodingKind>>,
}

/// One thread's working space for [`Assembly::segment_codings`], reused from segment to
/// segment, and the kinds of coding it made.
#[derive(Default)]
struct Scratch {
    /// (code's id rank, code, rule, match) of each rule that matched the segment.
    direct: Vec<(u32, u32, u32, u32)>,
    /// (coded code, order, rule name, the run of `direct` whose evidence it takes).
    listed: Vec<(u32, u32, u32, u32)>,
    names: Vec<u32>,
    evidence: Vec<Range<u32>>,
    /// The kinds this task has used, so most are found without a lock.
    kinds: Kinds,
}

impl Assembly<'_> {
    /// The codings of one segment from its hits (segment, rule, match), appended to `out`:
    /// each code whose rules matched, with those rules and their evidence, and every
    /// ancestor with `child:<id>` and the same evidence, in codebook order. A code's rules are
    /// listed in id order of the code that matched (its own first), each name once.
    fn segment_codings(
        &self,
        hits: &[(u32, u32, u32)],
        scratch: &mut Scratch,
        out: &mut Codings,
    ) -> Option<()> {
        let shared = self.shared;
        let Scratch { direct, listed, names, evidence, kinds } = scratch;
        direct.clear();
        direct.extend(hits.iter().map(|&(_, r, i)| {
            let code = self.codes_of_rules[r as usize];
            (shared.id_ranks[code as usize], code, r, i)
        }));
        // by code in id order; a code's rules stay in codebook order (hits come by rule)
        direct.sort_unstable();
        listed.clear();
        let mut run_start = 0;
        for run in direct.chunk_by(|a, b| a.1 == b.1) {
            let (code, run_index) = (run[0].1 as usize, run_start as u32);
            for &(_, _, r, _) in run {
                let order = listed.len() as u32;
                listed.push((code as u32, order, shared.rule_names[r as usize], run_index));
            }
            let mut child = code;
            while let Some(parent) = shared.parents[child] {
                let order = listed.len() as u32;
                listed.push((parent as u32, order, shared.child_names[child], run_index));
                child = parent;
            }
            run_start += run.len();
        }
        listed.sort_unstable();
        let segment = hits[0].0;
        for coded in listed.chunk_by(|a, b| a.0 == b.0) {
            // the code's number first, then its rules': own rules first, then inherited ones,
            // each in order and once, where it first comes (a child is heard of once per
            // descendant that matched, and unless ids are paths, `p.a`, a sibling's
            // descendant can come between two of them; a handful of names, so a linear
            // check is the quick one)
            let code = coded[0].0;
            names.clear();
            names.push(code);
            for inherited in [false, true] {
                let names_of_kind = coded
                    .iter()
                    .map(|&(_, _, name, _)| name)
                    .filter(|&name| shared.inherited[name as usize] == inherited);
                for name in names_of_kind {
                    if !names[1..].contains(&name) {
                        names.push(name);
                    }
                }
            }
            let kind = match kinds.get(names.as_slice()) {
                Some(&kind) => kind,
                None => {
                    // first met by this task: the kind another task made, looked up under a
                    // shared lock (a codebook of many rules makes tens of thousands of kinds,
                    // which each task meets afresh: under an exclusive lock the threads took
                    // turns), or a new one
                    let all = self.kinds.read().unwrap_or_else(|e| e.into_inner());
                    let made = all.numbers.get(names.as_slice()).copied();
                    drop(all);
                    let kind = made.unwrap_or_else(|| {
                        let mut all = self.kinds.write().unwrap_or_else(|e| e.into_inner());
                        let KindTable { numbers, list } = &mut *all;
                        *numbers.entry(names.as_slice().into()).or_insert_with(|| {
                            list.push(Arc::new(CodingKind {
                                code: shared.ids[code as usize].clone(),
                                origin: Origin::Rule,
                                rules: names[1..]
                                    .iter()
                                    .map(|&n| shared.names[n as usize].clone())
                                    .collect(),
                            }));
                            (list.len() - 1) as u32
                        })
                    });
                    kinds.insert(names.as_slice().into(), kind);
                    kind
                }
            };
            evidence.clear();
            let mut previous_run = None;
            for &(_, _, _, run_index) in coded {
                if previous_run.replace(run_index) == Some(run_index) {
                    continue; // a run of own rules: its evidence is taken once
                }
                let code = direct[run_index as usize].1;
                for &(_, run_code, r, i) in &direct[run_index as usize..] {
                    if run_code != code {
                        break;
                    }
                    let block = self.blocks[r as usize].as_ref().expect("a hit's rule's block");
                    let matched = block.evidence_at(i);
                    evidence.extend(matched);
                }
            }
            merge_overlapping_in_place(evidence);
            out.push(segment, kind, evidence)?;
        }
        Some(())
    }
}

/// One candidate segment's matches: the segment, the rules that matched it, each with where
/// its evidence ends in the segment's one evidence list (kept compact: a large study has
/// millions of matches), and that list.
type SegmentMatches = (usize, Vec<(usize, usize)>, Vec<Range<usize>>);

/// The matches of the rules of `rules` kept in `before` (the match cache as it was before
/// the index's update in place, `carried`), by rule text: each kept file's matches
/// renumbered, and the segments of the files changed or added searched for every such rule.
/// None when there is no such cache or no rule of it is in the codebook.
fn carry_over(
    rules: &[(usize, &CodeRule)],
    before: Option<MatchFile>,
    carried: &Carried,
    index: &SegmentIndex,
    what: (&Corpus, &[Segment], SpeakerFilter),
) -> Result<Option<HashMap<String, RuleMatches>>> {
    use rayon::prelude::*;
    let mut before = before.map(|file| file.read()).unwrap_or_default();
    let mut seen: HashSet<&str> = HashSet::new();
    let kept: Vec<&CodeRule> = (rules.iter().map(|(_, rule)| *rule))
        .filter(|rule| before.contains_key(&rule.text) && seen.insert(&rule.text))
        .collect();
    if kept.is_empty() {
        return Ok(None);
    }
    let among = Proposed::ByWordsAmong(carried.fresh());
    let fresh = find_matches(&kept, index, what, CODING_WINDOW, among)?;
    let pairs: Vec<(&CodeRule, RuleMatches, RuleMatches)> = (kept.iter().zip(fresh))
        .filter_map(|(rule, fresh)| Some((*rule, before.remove(&rule.text)?, fresh)))
        .collect();
    let carried: Option<HashMap<String, RuleMatches>> = pairs
        .into_par_iter()
        .map(|(rule, before, fresh)| {
            Some((rule.text.clone(), before.carried_over(fresh, carried)?))
        })
        .collect();
    // a number past 32 bits: searched for afresh instead
    Ok(carried)
}

/// How [`find_matches`] finds the rules to check on each segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Proposed<'r> {
    /// The index proposes each rule's candidate segments: when few segments are candidates
    /// (a re-code after adding a rule). Each candidate segment is then checked as
    /// [`Proposed::ByWords`] checks every segment, for the rules it is a candidate of: its
    /// words looked up as written, where making every word a [`Word`] and evaluating each
    /// candidate rule on them was most of a re-code's search for an added rule.
    ByIndex,
    /// Every segment is split into words, and its words' forms propose the rules
    /// ([`RulesOfForms`]): when most segments are candidates of some rule (coding a whole
    /// codebook), where finding each rule's candidates in the index, and sorting them into
    /// pairs, was a fifth of the matching.
    ByWords,
    /// Whichever of the two the index's word frequencies say (see [`proposed_by_words`]).
    Either,
    /// As [`Proposed::ByWords`], among the segments of these ranges of numbers alone
    /// (ascending): those of the files an update of the index indexed again.
    ByWordsAmong(&'r [Range<usize>]),
}

/// The matches of each of `rules` among the segments of `speakers`: each segment checked
/// once however many rules it may match, segments in parallel, the rules to check proposed
/// as `proposed` says.
fn find_matches(
    rules: &[&CodeRule],
    index: &SegmentIndex,
    (corpus, segments, speakers): (&Corpus, &[Segment], SpeakerFilter),
    window_width: u32,
    proposed: Proposed<'_>,
) -> Result<Vec<RuleMatches>> {
    use rayon::prelude::*;
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let among = match proposed {
        Proposed::ByWordsAmong(ranges) => Some(ranges),
        _ => None,
    };
    let within = |n: usize| {
        among.is_none_or(|ranges| {
            let after = ranges.partition_point(|range| range.start <= n);
            after.checked_sub(1).is_some_and(|r| ranges[r].contains(&n))
        })
    };
    // whose segments are kept, worked out once: each rule's candidates are filtered by it,
    // and looking each one's speaker up in the corpus was a tenth of coding a large study
    let spoken: Vec<bool> = (segments.par_iter().enumerate())
        .map(|(n, s)| within(n) && s.spoken_by(speakers, corpus))
        .collect();
    let keep = |n: usize| spoken[n];
    u32::try_from(rules.len()).map_err(|_| too_large())?;
    u32::try_from(segments.len()).map_err(|_| too_large())?;
    let (triggers, by_words) =
        weighed_triggers(rules, index, spoken.iter().filter(|&&kept| kept).count())?;
    let proposed = match proposed {
        Proposed::Either if by_words => Proposed::ByWords,
        Proposed::Either => Proposed::ByIndex,
        Proposed::ByWordsAmong(_) => Proposed::ByWords,
        chosen => chosen,
    };
    let analyzer = index.analyzer();
    let proposing = RulesOfForms::new(rules, triggers);
    // a segment checked for the rules its words propose, `wanted` (of those) kept: words are
    // looked up as written, once per thread, however the segments to check were chosen
    let check = |(text, scratch): &mut (Option<_>, ProposedScratch),
                 n: usize,
                 wanted: &dyn Fn(u32) -> bool|
     -> SegmentMatches {
        let segment = &segments[n];
        let text = corpus.text_in_order(text, segment.document_index());
        let words = proposing.check(analyzer, &text[segment.bytes()], scratch);
        index.note_word_count(n, words);
        let found: Vec<(u32, &[Span])> = scratch.found().filter(|&(r, _)| wanted(r)).collect();
        let bytes = |p: usize| scratch.seen[p].bytes();
        let (matched, evidence) = matched_in(text, segment, &found, bytes);
        (n, matched, evidence)
    };
    let mut matches = vec![RuleMatches::default(); rules.len()];
    if proposed == Proposed::ByWords {
        let mut next = 0u32;
        let total = segments.len() as u32;
        let next_window = |window: &mut Vec<u32>| {
            window.clear();
            while window.is_empty() && next < total {
                let end = next.saturating_add(window_width).min(total);
                window.extend((next..end).filter(|&n| keep(n as usize)));
                next = end;
            }
            !window.is_empty()
        };
        let verify = |window: &Vec<u32>| -> Vec<SegmentMatches> {
            (window.par_iter())
                .map_init(
                    || (None, ProposedScratch::default()),
                    |task, &n| check(task, n as usize, &|_| true),
                )
                .collect()
        };
        verify_in_windows(next_window, verify, &mut matches)?;
        return Ok(matches);
    }
    // segments coded that the index does not hold (coding more speakers than it was built
    // for, which the commands avoid by opening an index of the speakers they code): every
    // rule's candidates
    let held = index.speakers();
    let unheld: Vec<usize> = if held.covers(speakers) {
        Vec::new()
    } else {
        (0..segments.len()).filter(|&n| keep(n) && !segments[n].spoken_by(held, corpus)).collect()
    };
    // each rule's candidates in parallel too (a codebook has hundreds of rules), kept a
    // byte or two each: a large study has tens of millions of (segment, rule) candidates
    let candidates: Vec<SegmentList> = rules
        .par_iter()
        .map(|code_rule| {
            let segments = code_rule.rule.candidate_segments(index)?;
            let kept = segments.into_iter().filter(|&n| keep(n)).chain(unheld.iter().copied());
            let mut kept: Vec<u32> =
                kept.map(|n| u32::try_from(n).map_err(|_| too_large())).collect::<Result<_>>()?;
            kept.sort_unstable();
            // a rule without candidates (NOT alone) has every segment, unheld ones too: each
            // verified once
            kept.dedup();
            let mut list = SegmentList::new();
            kept.into_iter().for_each(|n| list.push(n));
            list.shrink_to_fit();
            Ok(list)
        })
        .collect::<Result<_>>()?;
    let verify = |pairs: &Vec<(u32, u32)>| -> Vec<SegmentMatches> {
        let window: Vec<&[(u32, u32)]> = pairs.chunk_by(|a, b| a.0 == b.0).collect();
        // each task's segments in order, a document's text read once for them
        // (`Corpus::text_in_order`: a run has let its texts go). Of the rules a segment's
        // words propose and match, those it is a candidate of are kept: all of them, as
        // candidates miss no match, but a candidate list that missed one then shows in the
        // tests (a segment's rules come ascending)
        (window.par_iter())
            .map_init(
                || (None, ProposedScratch::default()),
                |task, group| {
                    let candidate_of = |r: u32| group.binary_search_by_key(&r, |&(_, r)| r).is_ok();
                    check(task, group[0].0 as usize, &candidate_of)
                },
            )
            .collect()
    };
    let mut windows = CandidateWindows::new(&candidates, window_width);
    verify_in_windows(|pairs| windows.next_window(pairs), verify, &mut matches)?;
    Ok(matches)
}

/// What a segment matched, as [`SegmentMatches`] holds it: each rule of `found` that matched
/// with where its evidence ends in the segment's one evidence list, and that list: the
/// char ranges of the words its spans name, in `text` (the segment's document's), given
/// where each word lies in the segment by `bytes_of`.
fn matched_in(
    text: &str,
    segment: &Segment,
    found: &[(u32, &[Span])],
    bytes_of: impl Fn(usize) -> Range<usize>,
) -> (Vec<(usize, usize)>, Vec<Range<usize>>) {
    if found.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let chars = CharOffsets::new(text, segment);
    let mut matched = Vec::with_capacity(found.len());
    let mut evidence = Vec::new();
    for &(r, spans) in found {
        let words = spans.iter().flat_map(|span| &span.words);
        evidence.extend(words.map(|&p| chars.range(bytes_of(p))));
        matched.push((r as usize, evidence.len()));
    }
    (matched, evidence)
}

/// Verify window after window of segments (`verify`), each window's matches added to the
/// rules' while the next is verified and the one after it made (`next_window`): what one
/// segment's verification leaves (its matched rules and evidence) is small, but held for
/// every candidate segment at once it was most of a large run's memory; two windows' at
/// most are held. Done in turn, on one thread, they left a core idle for about a sixth of
/// the matching.
fn verify_in_windows<W: Default + Send + Sync>(
    mut next_window: impl FnMut(&mut W) -> bool + Send,
    verify: impl Fn(&W) -> Vec<SegmentMatches> + Sync,
    matches: &mut [RuleMatches],
) -> Result<()> {
    let add = |matches: &mut [RuleMatches], found: Vec<SegmentMatches>| -> Result<()> {
        for (n, matched, evidence) in found {
            let mut start = 0;
            for (r, end) in matched {
                matches[r].push(n, evidence[start..end].iter().cloned()).ok_or_else(too_large)?;
                start = end;
            }
        }
        Ok(())
    };
    let (mut window, mut next) = (W::default(), W::default());
    let mut more = next_window(&mut window);
    let mut verified: Vec<SegmentMatches> = Vec::new();
    while more {
        let (found, (added, after)) = rayon::join(
            || verify(&window),
            || (add(matches, std::mem::take(&mut verified)), next_window(&mut next)),
        );
        added?;
        verified = found;
        std::mem::swap(&mut window, &mut next);
        more = after;
    }
    add(matches, verified)
}

/// Each rule's lightest triggers ([`crate::query::Rule::triggers`]), weighed by how many of
/// the index's segments hold a word meeting each, and whether checking every one of the
/// `kept` segments for the rules its words propose is likely cheaper than asking the index
/// for each rule's candidates: when the rules' candidates, counted as if no two of a rule's
/// triggers met in a segment, are at least as many as the segments (a rule or more per
/// segment: splitting every segment into words then costs about what the candidates'
/// lookups and sorting do).
fn weighed_triggers<'r>(
    rules: &[&'r CodeRule],
    index: &SegmentIndex,
    kept: usize,
) -> Result<(Vec<Option<Vec<Trigger<'r>>>>, bool)> {
    let mut failed = None;
    let mut known: HashMap<Trigger<'r>, u64> = HashMap::new();
    let segments_with = |trigger: Trigger<'r>| -> Result<u64> {
        let forms: Vec<&str> = match trigger {
            Trigger::Exact(form) => vec![form],
            Trigger::Stem(stem) => {
                index.forms_with_stem(stem)?.iter().map(String::as_str).collect()
            }
            Trigger::Prefix(prefix) => {
                index.forms_with_prefix(prefix)?.iter().map(String::as_str).collect()
            }
        };
        forms
            .into_iter()
            .try_fold(0u64, |sum, form| Ok(sum.saturating_add(index.segments_with_form(form)?)))
    };
    let mut weight = |trigger: Trigger<'r>| -> u64 {
        if let Some(&known) = known.get(&trigger) {
            return known;
        }
        let weight = segments_with(trigger).unwrap_or_else(|e| {
            failed.get_or_insert(e);
            0
        });
        known.insert(trigger, weight);
        weight
    };
    let mut pairs = 0u64;
    let mut triggers = Vec::with_capacity(rules.len());
    for code_rule in rules {
        let weighed = code_rule.rule.triggers(&mut weight);
        pairs = pairs.saturating_add(weighed.as_ref().map_or(kept as u64, |(_, w)| *w));
        triggers.push(weighed.map(|(triggers, _)| triggers));
    }
    match failed {
        Some(e) => Err(e),
        None => Ok((triggers, pairs >= kept as u64)),
    }
}

/// The rules each word form proposes, for [`Proposed::ByWords`]: the rules with a trigger
/// the form meets ([`crate::query::Rule::triggers`]), looked up by exact form, stem and each
/// prefix length once per way of writing a word and thread ([`WrittenRules`]).
struct RulesOfForms<'r> {
    /// This one's number, which the threads' [`WrittenRules`] are kept for.
    id: u64,
    rules: &'r [&'r CodeRule],
    exact: rustc_hash::FxHashMap<&'r str, Vec<u32>>,
    stem: rustc_hash::FxHashMap<&'r str, Vec<u32>>,
    prefix: rustc_hash::FxHashMap<&'r str, Vec<u32>>,
    /// The prefixes' lengths in bytes, ascending, once each.
    prefix_lengths: Vec<usize>,
    /// Rules without triggers (`NOT x` alone), checked on every segment.
    always: Vec<u32>,
    /// Whether each rule's matches are the words its triggers propose, each alone
    /// ([`crate::query::Rule::is_single_words`]): their evidence needs no checking.
    single_words: Vec<bool>,
    /// Whether each rule is one stretch of several words ([`crate::query::Rule::is_stretch`]):
    /// looked for only near the words that propose it.
    stretches: Vec<bool>,
}

impl<'r> RulesOfForms<'r> {
    fn new(rules: &'r [&'r CodeRule], triggers: Vec<Option<Vec<Trigger<'r>>>>) -> RulesOfForms<'r> {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut proposing = RulesOfForms {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            rules,
            exact: Default::default(),
            stem: Default::default(),
            prefix: Default::default(),
            prefix_lengths: Vec::new(),
            always: Vec::new(),
            single_words: rules.iter().map(|r| r.rule.is_single_words()).collect(),
            stretches: rules.iter().map(|r| r.rule.is_stretch()).collect(),
        };
        for (r, triggers) in triggers.into_iter().enumerate() {
            // `find_matches` refused more than 2³² rules
            let r = r as u32;
            let Some(triggers) = triggers else {
                proposing.always.push(r);
                continue;
            };
            for trigger in triggers {
                let (map, text) = match trigger {
                    Trigger::Exact(form) => (&mut proposing.exact, form),
                    Trigger::Stem(stem) => (&mut proposing.stem, stem),
                    Trigger::Prefix(prefix) => (&mut proposing.prefix, prefix),
                };
                let proposed = map.entry(text).or_default();
                if proposed.last() != Some(&r) {
                    proposed.push(r);
                }
            }
        }
        proposing.prefix_lengths = proposing.prefix.keys().map(|p| p.len()).collect();
        proposing.prefix_lengths.sort_unstable();
        proposing.prefix_lengths.dedup();
        proposing
    }

    /// Add the rules a word of forms `exact` and `stem` proposes to `rules`, ascending,
    /// once each.
    fn of_word(&self, exact: &str, stem: &str, rules: &mut Vec<u32>) {
        let start = rules.len();
        if let Some(proposed) = self.exact.get(exact) {
            rules.extend(proposed);
        }
        if let Some(proposed) = self.stem.get(stem) {
            rules.extend(proposed);
        }
        for &length in self.prefix_lengths.iter().take_while(|&&length| length <= exact.len()) {
            if let Some(proposed) = exact.get(..length).and_then(|p| self.prefix.get(p)) {
                rules.extend(proposed);
            }
        }
        rules[start..].sort_unstable();
        let mut kept = start;
        for i in start..rules.len() {
            if kept == start || rules[kept - 1] != rules[i] {
                rules[kept] = rules[i];
                kept += 1;
            }
        }
        rules.truncate(kept);
    }

    /// Check the rules the words of `text` (a segment's) propose, and return how many words
    /// it has: `scratch` then holds each matching rule's spans (of word numbers), and where
    /// each word lies (`scratch.seen`).
    ///
    /// Words are looked up as written, once per thread and way of writing them
    /// ([`WrittenRules`]), and made into [`Word`]s only when a rule proposed must be
    /// evaluated on them: most words propose nothing, a rule of single words matches the
    /// words that proposed it, and making every word a `Word` (its forms looked up, shared
    /// and let go) to find that out was most of the matching.
    fn check(
        &self,
        analyzer: &crate::index::Analyzer,
        text: &str,
        scratch: &mut ProposedScratch,
    ) -> usize {
        scratch.seen.clear();
        scratch.single.clear();
        scratch.near.clear();
        scratch.others.clear();
        scratch.spans.clear();
        scratch.found.clear();
        WRITTEN_RULES.with_borrow_mut(|written| {
            // bound the memory on corpora with huge vocabularies (between segments: a
            // segment's words name their entries)
            if written.of != self.id || written.len() >= 1 << 18 {
                *written = WrittenRules { of: self.id, ..WrittenRules::default() };
            }
            for (start, word, position) in analyzer.words_as_written(text) {
                let short = short_key(text.as_bytes(), start, word.len());
                let found = match short {
                    Some(key) => written.short.get(&key),
                    None => written.long.get(word),
                };
                let entry = match found {
                    Some(&entry) => entry,
                    None => {
                        let form = analyzer.word(word, 0, 0);
                        let from = written.rules.len();
                        self.of_word(&form.exact, &form.stem, &mut written.rules);
                        let rules = from as u32..written.rules.len() as u32;
                        let entry = written.entries.len() as u32;
                        written.entries.push((form, rules));
                        match short {
                            Some(key) => written.short.insert(key, entry),
                            None => written.long.insert(word.into(), entry),
                        };
                        entry
                    }
                };
                let i = scratch.seen.len() as u32;
                // a segment's offsets and positions lie within 32 bits, as its turn's range
                let (start, end) = (start as u32, (start + word.len()) as u32);
                scratch.seen.push(SeenWord { entry, start, end, position: position as u32 });
                let rules = written.entries[entry as usize].1.clone();
                for &r in &written.rules[rules.start as usize..rules.end as usize] {
                    if self.single_words[r as usize] {
                        scratch.single.push((r, i));
                    } else if self.stretches[r as usize] {
                        scratch.near.push((r, i));
                    } else {
                        scratch.others.push(r);
                    }
                }
            }
            // a word of several of a rule's stretches, or several words, propose it again
            scratch.single.sort_unstable();
            scratch.near.sort_unstable();
            scratch.others.extend(&self.always);
            scratch.others.sort_unstable();
            scratch.others.dedup();
            // single-word rules: a stretch per word, in word order, as evaluating them gives
            for group in scratch.single.chunk_by(|a, b| a.0 == b.0) {
                let start = scratch.spans.len();
                scratch.spans.extend(
                    group.iter().map(|&(_, i)| Span { words: smallvec::smallvec![i as usize] }),
                );
                scratch.found.push((group[0].0, start..scratch.spans.len()));
            }
            if scratch.others.is_empty() && scratch.near.is_empty() {
                return;
            }
            // the others evaluated on the words, made from the forms met
            scratch.words.clear();
            scratch.words.extend(scratch.seen.iter().map(|seen| {
                let mut word = written.entries[seen.entry as usize].0.clone();
                (word.start, word.end) = (seen.start as usize, seen.end as usize);
                word.position = seen.position as usize;
                word
            }));
            for &r in &scratch.others {
                if self.rules[r as usize].rule.find_into(&scratch.words, &mut scratch.evaluated) {
                    let start = scratch.spans.len();
                    scratch.spans.append(&mut scratch.evaluated);
                    scratch.found.push((r, start..scratch.spans.len()));
                }
            }
            // stretches near the words that proposed them (which meet the triggers)
            for group in scratch.near.chunk_by(|a, b| a.0 == b.0) {
                let r = group[0].0;
                scratch.anchors.clear();
                scratch.anchors.extend(group.iter().map(|&(_, i)| i as usize));
                let rule = &self.rules[r as usize].rule;
                if rule.find_near_into(&scratch.words, &scratch.anchors, &mut scratch.evaluated) {
                    let start = scratch.spans.len();
                    scratch.spans.append(&mut scratch.evaluated);
                    scratch.found.push((r, start..scratch.spans.len()));
                }
            }
        });
        scratch.seen.len()
    }
}

/// A parallel task's lists for [`RulesOfForms::check`], reused from segment to segment.
#[derive(Default)]
struct ProposedScratch {
    /// (rule, word) for each single-word rule a word proposes.
    single: Vec<(u32, u32)>,
    /// (rule, word) for each stretch of several words a word proposes.
    near: Vec<(u32, u32)>,
    /// The words proposing one of them.
    anchors: Vec<usize>,
    /// Other rules proposed (and those checked everywhere).
    others: Vec<u32>,
    evaluated: Vec<Span>,
    /// Every matching rule's spans, one after another.
    spans: Vec<Span>,
    /// Each matching rule and where its spans lie in `spans`, rules ascending by kind.
    found: Vec<(u32, Range<usize>)>,
    /// The segment's words as met, in order.
    seen: Vec<SeenWord>,
    /// The segment's words, made when a rule must be evaluated on them.
    words: Vec<Word>,
}

/// A word of a segment as [`RulesOfForms::check`] met it.
struct SeenWord {
    /// Its entry in the thread's [`WrittenRules`].
    entry: u32,
    /// Where it lies in the segment, in bytes.
    start: u32,
    end: u32,
    /// Its position (see [`Word::position`]).
    position: u32,
}

impl SeenWord {
    fn bytes(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl ProposedScratch {
    /// Each matching rule with its spans.
    fn found(&self) -> impl Iterator<Item = (u32, &[Span])> {
        self.found.iter().map(|(r, range)| (*r, &self.spans[range.clone()]))
    }
}

/// A thread's words met, by how they are written (see [`RulesOfForms::check`]): each word's
/// entry, its forms (a [`Word`] to copy) and the rules it proposes (a range of `rules`).
#[derive(Default)]
struct WrittenRules {
    /// The [`RulesOfForms::id`] these are of.
    of: u64,
    /// Words of up to 15 bytes (nearly all), by [`short_key`]: a number hashed and compared
    /// in a few instructions, where hashing a string and comparing it (a call) was a third
    /// of looking words up.
    short: rustc_hash::FxHashMap<u128, u32>,
    /// Longer words.
    long: rustc_hash::FxHashMap<Box<str>, u32>,
    entries: Vec<(Word, Range<u32>)>,
    rules: Vec<u32>,
}

impl WrittenRules {
    /// How many ways of writing words are held.
    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

/// The `len` bytes of `text` from `start` (a word of up to 15 bytes) as a number: the bytes
/// in its low 15 bytes, the rest zero, and the length in its top byte, so that two words
/// have the same key exactly when they are the same bytes. Read as 16 bytes at once where
/// the text has them.
fn short_key(text: &[u8], start: usize, len: usize) -> Option<u128> {
    if len > 15 {
        return None;
    }
    let bytes = match text.get(start..start + 16) {
        Some(sixteen) => u128::from_le_bytes(sixteen.try_into().expect("16 bytes")),
        None => {
            let mut padded = [0u8; 16];
            padded[..len].copy_from_slice(&text[start..start + len]);
            u128::from_le_bytes(padded)
        }
    };
    Some(bytes & SHORT_KEY_MASKS[len] | (len as u128) << 120)
}

/// For each length up to 15, the low bytes a word of that length fills: a 128-bit shift by
/// a variable count is a branch and several instructions, and every word is keyed.
const SHORT_KEY_MASKS: [u128; 16] = {
    let mut masks = [0u128; 16];
    let mut len = 1;
    while len < 16 {
        masks[len] = (1u128 << (8 * len)) - 1;
        len += 1;
    }
    masks
};

thread_local! {
    static WRITTEN_RULES: std::cell::RefCell<WrittenRules> = std::cell::RefCell::default();
}

/// Turns byte ranges within a segment into char ranges in its document, and back. Most
/// transcripts are ASCII, where bytes and chars coincide and no counting is needed, and a
/// text that is not is often ASCII up to a late name or ellipsis: only what follows its
/// first other char is counted.
pub(super) struct CharOffsets<'t> {
    text: &'t str,
    start: usize,
    /// The length of the text's ASCII beginning, in bytes and so in chars.
    ascii: usize,
    /// Each char of `text` after its ASCII beginning that takes more than one byte: its
    /// char offset in the segment, and the bytes beyond one that it and those before it
    /// take. Made on the first [`CharOffsets::slice`] that reaches past that beginning (a
    /// segment's codings slice it many times). Only these chars are listed: a byte offset
    /// for every char, as this once held, was a fifth of formatting codings.csv's rows,
    /// where most chars after a late ellipsis or accent are still ASCII.
    multibyte: Vec<(usize, usize)>,
    /// The byte past the ASCII beginning whose char was counted last, and that char: a
    /// rule's evidence comes in ascending order, and each word's char is counted from the
    /// one before it rather than from the beginning again (5 % of `qualkit code`'s
    /// instructions on transcripts whose curly apostrophes end the ASCII beginning early).
    counted: std::cell::Cell<(usize, usize)>,
}

impl<'t> CharOffsets<'t> {
    pub(super) fn new(document_text: &'t str, segment: &Segment) -> CharOffsets<'t> {
        let text = &document_text[segment.bytes()];
        let ascii = if text.is_ascii() {
            text.len()
        } else {
            text.bytes().position(|b| !b.is_ascii()).unwrap_or(text.len())
        };
        let counted = std::cell::Cell::new((ascii, ascii));
        CharOffsets { text, start: segment.chars().start, ascii, multibyte: Vec::new(), counted }
    }

    /// The segment-relative char offset of `byte`, a char boundary of the text.
    fn char_of(&self, byte: usize) -> usize {
        if byte <= self.ascii {
            return byte;
        }
        let (from_byte, from_char) = match self.counted.get() {
            (counted, char) if counted <= byte => (counted, char),
            _ => (self.ascii, self.ascii),
        };
        let char = from_char + self.text[from_byte..byte].chars().count();
        self.counted.set((byte, char));
        char
    }

    /// Document char range of `bytes`, a byte range relative to the segment.
    fn range(&self, bytes: Range<usize>) -> Range<usize> {
        let start = self.start + self.char_of(bytes.start);
        // the range's own chars counted from its start, not again from the ASCII beginning
        let end = if bytes.end <= self.ascii {
            self.start + bytes.end
        } else {
            start + self.text[bytes].chars().count()
        };
        start..end
    }

    /// The text of `chars`, a char range in the document that lies inside the segment
    /// (clamped to it).
    pub(super) fn slice(&mut self, chars: Range<usize>) -> &'t str {
        let from = chars.start.saturating_sub(self.start);
        let to = from + chars.len();
        let (text, ascii) = (self.text, self.ascii);
        if to <= ascii {
            return &text[from..to];
        }
        if self.multibyte.is_empty() {
            list_multibyte_chars(text, ascii, &mut self.multibyte);
        }
        let beyond = |listed: &[(usize, usize)]| listed.last().map_or(0, |&(_, beyond)| beyond);
        let chars = text.len() - beyond(&self.multibyte);
        let byte = |char: usize| {
            let char = char.min(chars);
            let before = self.multibyte.partition_point(|&(at, _)| at < char);
            char + beyond(&self.multibyte[..before])
        };
        &text[byte(from)..byte(to)]
    }
}

/// List into `multibyte` each char of `text` from byte `from` (a char boundary) on that
/// takes more than one byte, as [`CharOffsets::multibyte`] holds them. The bytes are looked
/// at eight at a time where all eight are ASCII.
fn list_multibyte_chars(text: &str, from: usize, multibyte: &mut Vec<(usize, usize)>) {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let (mut at, mut beyond) = (from, 0);
    while at < bytes.len() {
        if let Some(eight) = bytes.get(at..at + 8)
            && u64::from_le_bytes(eight.try_into().expect("8 bytes")) & HIGH_BITS == 0
        {
            at += 8;
            continue;
        }
        let width = match bytes[at] {
            0..0x80 => 1,
            0xF0.. => 4,
            0xE0.. => 3,
            _ => 2,
        };
        if width > 1 {
            beyond += width - 1;
            // the char's offset: its byte's, less the bytes beyond one of the chars before
            multibyte.push((at - (beyond - (width - 1)), beyond));
        }
        at += width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Hits placed by counting come in the order a sort gives them, of every segment or
        /// of the segments asked for, a block at a time, each match numbered within its
        /// rule's block.
        #[test]
        fn hits_by_segment_are_the_sorted_hits_a_block_at_a_time(
            rules in proptest::collection::vec(
                proptest::collection::btree_set(0usize..40, 0..12), 0..6),
            only in proptest::option::of(proptest::collection::vec(proptest::bool::ANY, 40)),
        ) {
            for width in [1, 3, 64] {
                let matches: Vec<RuleMatches> = rules
                    .iter()
                    .map(|segments| {
                        let mut matches = RuleMatches::with_width(width);
                        for &n in segments {
                            matches.push(n, std::iter::once(n..n + 1)).expect("fits");
                        }
                        matches
                    })
                    .collect();
                let mut sorted = Vec::new();
                for (r, segments) in rules.iter().enumerate() {
                    for (k, &n) in segments.iter().enumerate() {
                        // numbered within the block: after the rule's matches in blocks before
                        let before = segments.iter().take_while(|&&m| m / width as usize != n / width as usize).count();
                        if only.as_ref().is_none_or(|only| only[n]) {
                            sorted.push((n as u32, r as u32, (k - before) as u32));
                        }
                    }
                }
                sorted.sort_unstable();
                let mut windows = HitsBySegment::new(matches, only.as_deref());
                proptest::prop_assert_eq!(windows.count(), sorted.len());
                let mut placed: Vec<(u32, u32, u32)> = Vec::new();
                let mut window = WindowHits::default();
                while windows.next_window(&mut window) {
                    let (hits, blocks) = (&window.hits, &window.blocks);
                    // a window holds whole blocks, after the window before it
                    let after = match (placed.last(), hits.first()) {
                        (Some(last), Some(first)) => last.0 / width < first.0 / width,
                        _ => true,
                    };
                    proptest::prop_assert!(after, "a block's hits split between windows");
                    for &(n, r, at) in hits.iter() {
                        let block = blocks[r as usize].as_ref().expect("the hit's block");
                        proptest::prop_assert_eq!(block.evidence_at(at).to_vec(), vec![n..n + 1; 1]);
                        // numbered by place in its block, as the expected hits are
                        let i = block.matches().position(|(m, a, _)| (m, a) == (n, at));
                        placed.push((n, r, i.expect("a match of the block") as u32));
                    }
                }
                proptest::prop_assert_eq!(&placed, &sorted, "blocks of {}", width);
            }
        }
    }

    #[test]
    fn candidate_windows_give_each_pair_once_sorted_a_span_of_segments_at_a_time() {
        let lists = |lists: &[&[u32]]| -> Vec<SegmentList> {
            lists
                .iter()
                .map(|numbers| {
                    let mut list = SegmentList::new();
                    numbers.iter().for_each(|&n| list.push(n));
                    list
                })
                .collect()
        };
        let candidates = lists(&[&[1, 2, 9, 30], &[], &[2, 3, 31, 32, 33]]);
        let given = |candidates: &[SegmentList], width| {
            let mut windows = CandidateWindows::new(candidates, width);
            let (mut given, mut pairs) = (Vec::new(), vec![(7, 7)]);
            while windows.next_window(&mut pairs) {
                given.push(pairs.clone());
            }
            assert!(pairs.is_empty(), "cleared when no window is left");
            given
        };
        assert_eq!(
            given(&candidates, 4),
            vec![
                vec![(1, 0), (2, 0), (2, 2), (3, 2)], // 1..5
                vec![(9, 0)],                         // 9..13: the gap skipped
                vec![(30, 0), (31, 2), (32, 2), (33, 2)],
            ]
        );
        assert!(given(&lists(&[&[]]), 4).is_empty());
        let near_the_end = lists(&[&[u32::MAX - 1, u32::MAX]]);
        // the last segment number ends the windows
        assert_eq!(given(&near_the_end, 8), vec![vec![(u32::MAX - 1, 0), (u32::MAX, 0)]]);
    }

    proptest::proptest! {
        /// Every (segment, rule) pair is given once, in a window of segments narrower than
        /// the width, sorted by segment and then rule (fails if the counting sort loses the
        /// rules' order within a segment, or places a pair twice or not at all).
        #[test]
        fn candidate_windows_give_every_pair_once_in_order(
            rules in proptest::collection::vec(
                proptest::collection::btree_set(0u32..200, 0..40), 0..8),
            // every segment number in one window, too (how a test finds matches at once)
            width in proptest::prop_oneof![1u32..70, proptest::strategy::Just(u32::MAX)],
        ) {
            let candidates: Vec<SegmentList> = rules
                .iter()
                .map(|numbers| {
                    let mut list = SegmentList::new();
                    numbers.iter().for_each(|&n| list.push(n));
                    list
                })
                .collect();
            let mut expected: Vec<(u32, u32)> = rules
                .iter()
                .enumerate()
                .flat_map(|(r, numbers)| numbers.iter().map(move |&n| (n, r as u32)))
                .collect();
            expected.sort_unstable();
            let mut windows = CandidateWindows::new(&candidates, width);
            let (mut given, mut pairs) = (Vec::new(), Vec::new());
            while windows.next_window(&mut pairs) {
                proptest::prop_assert!(pairs.last().unwrap().0 - pairs[0].0 < width);
                given.extend_from_slice(&pairs);
            }
            proptest::prop_assert_eq!(given, expected);
        }
    }

    /// `texts` compiled as rules of code 1 with `index`'s analyzer.
    fn code_rules(texts: &[&str], index: &SegmentIndex) -> Vec<CodeRule> {
        texts
            .iter()
            .map(|text| CodeRule {
                text: (*text).to_owned(),
                rule: crate::query::Rule::compile(text, index.analyzer()).expect("compiles"),
                position: crate::error::Position::at(1, 1),
            })
            .collect()
    }

    /// Each rule's matches: segment and evidence.
    fn listed(matches: Vec<RuleMatches>) -> Vec<Vec<(usize, Vec<Range<u32>>)>> {
        matches
            .iter()
            .map(|m| m.iter().map(|(n, e)| (n, e.into_iter().collect())).collect())
            .collect()
    }

    /// Each rule's matches as the rule language defines them, to hold the ways of finding
    /// them to: every segment split into words ([`crate::index::Analyzer::words`]) and every
    /// rule evaluated on them ([`crate::query::Rule::find`]), its evidence the char ranges of
    /// the words its spans name.
    fn evaluated_on_every_segment(
        rules: &[&CodeRule],
        index: &SegmentIndex,
        (corpus, segments): (&Corpus, &[Segment]),
    ) -> Vec<Vec<(usize, Vec<Range<u32>>)>> {
        let mut matches = vec![Vec::new(); rules.len()];
        for (n, segment) in segments.iter().enumerate() {
            let text = corpus.documents[segment.document_index()].text();
            let words = index.analyzer().words(&text[segment.bytes()]);
            for (r, code_rule) in rules.iter().enumerate() {
                if let Some(spans) = code_rule.rule.find(&words) {
                    let bytes = |p: usize| words[p].start..words[p].end;
                    let (_, evidence) = matched_in(text, segment, &[(r as u32, &spans)], bytes);
                    let evidence = evidence.into_iter().map(|c| c.start as u32..c.end as u32);
                    matches[r].push((n, evidence.collect()));
                }
            }
        }
        matches
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Rules checked on the segments the index's candidates propose, and on every segment
        /// for the rules its words propose, match what evaluating every rule on every
        /// segment's words matches, evidence and all, whatever the rules and texts; and a
        /// whole codebook's rules are proposed by words where they are proposed for most
        /// segments.
        #[test]
        fn rules_proposed_by_candidates_or_by_words_match_as_evaluated_everywhere(
            lines in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(vec![
                "Mentor", "mentors", "mentoring", "my", "target", "targets", "set", "goal",
                "goals", "the", "[laughs]", "Élève", "didn’t",
            ]), 0..10), 1..12),
            rules in proptest::collection::vec(proptest::sample::select(vec![
                "mentor", "=mentor", "ment*", "target OR goal*", "\"set targets\"~1",
                "=\"my ment*\"", "\"the goal\"", "mentor AND NOT goal", "NOT the",
                "target NEAR/2 mentor", "=élève", "didn*", "(goal OR set) AND the",
                "\"goal goal\"", "=\"mentor the mentors\"~2", "\"the set\"~9",
            ]), 1..6),
            width in 1u32..5,
        ) {
            let lines: Vec<String> = lines.iter().map(|words| words.join(" ")).collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let corpus = crate::corpus::of_lines(&lines);
            let segments = crate::segment::segment(&corpus, crate::segment::Unit::Turn);
            let turns = crate::segment::Unit::Turn;
            let index = SegmentIndex::in_memory(&corpus, &segments, Default::default(), turns)
                .expect("index");
            let rules = code_rules(&rules, &index);
            let rules: Vec<&CodeRule> = rules.iter().collect();
            let what = (&corpus, &segments[..], SpeakerFilter::All);
            let evaluated = evaluated_on_every_segment(&rules, &index, (&corpus, &segments));
            let by_index = find_matches(&rules, &index, what, width, Proposed::ByIndex);
            proptest::prop_assert_eq!(listed(by_index.expect("found")), evaluated.clone());
            let by_words = find_matches(&rules, &index, what, width, Proposed::ByWords);
            proptest::prop_assert_eq!(listed(by_words.expect("found")), evaluated);
        }
    }

    /// Two words have the same short key exactly when they are the same bytes, whether read
    /// as sixteen bytes from a longer text or from a text's end; longer words have none.
    #[test]
    fn short_keys_are_equal_exactly_for_equal_words() {
        let words =
            ["", "a", "ab", "mentor", "mentors", "ment", "é", "éa", "a\0", "fifteen-bytes-x"];
        let key = |word: &str, at_end: bool| {
            // the word, then (unless at the text's end) bytes that must not count
            let text =
                if at_end { format!("xy{word}") } else { format!("xy{word}zzzzzzzzzzzzzzzzz") };
            short_key(text.as_bytes(), 2, word.len())
        };
        for a in words {
            for b in words {
                for (at_end_a, at_end_b) in [(false, false), (false, true), (true, true)] {
                    let (ka, kb) = (key(a, at_end_a), key(b, at_end_b));
                    assert!(ka.is_some() && kb.is_some(), "{a:?} and {b:?} are short");
                    assert_eq!(ka == kb, a == b, "{a:?} and {b:?}");
                }
            }
        }
        assert_eq!(key("sixteen-bytes-xy", false), None);
    }

    #[test]
    fn a_codebook_proposed_for_most_segments_is_proposed_by_words() {
        let lines = ["My mentor set targets.", "The goal.", "Nothing here.", "My goals."];
        let corpus = crate::corpus::of_lines(&lines);
        let segments = crate::segment::segment(&corpus, crate::segment::Unit::Turn);
        let turns = crate::segment::Unit::Turn;
        let index =
            SegmentIndex::in_memory(&corpus, &segments, Default::default(), turns).expect("index");
        let by_words = |texts: &[&str]| {
            let rules = code_rules(texts, &index);
            let rules: Vec<&CodeRule> = rules.iter().collect();
            weighed_triggers(&rules, &index, segments.len()).expect("weighed").1
        };
        // goal* is in two segments, "my" in two: four of four
        assert!(by_words(&["goal*", "=my"]));
        // a phrase proposed by its rarer word (set: one segment), targets in one: two of four
        assert!(!by_words(&["\"my mentor set\"", "target"]));
        assert!(by_words(&["NOT nothing"]), "a rule with no triggers is proposed everywhere");
    }

    /// Matches found a window of segments at a time, each window's added while the next is
    /// verified, are the matches found in one window, in segment order.
    #[test]
    fn matches_found_window_by_window_are_those_found_at_once() {
        let lines: Vec<String> = (0..40)
            .map(|n| match n % 4 {
                0 => format!("The mentor met me {n} times."),
                1 => "Targets and more targets, my mentor said.".to_owned(),
                2 => "Nothing to see.".to_owned(),
                _ => "My targets were set.".to_owned(),
            })
            .collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let corpus = crate::corpus::of_lines(&lines);
        let segments = crate::segment::segment(&corpus, crate::segment::Unit::Turn);
        let turns = crate::segment::Unit::Turn;
        let index =
            SegmentIndex::in_memory(&corpus, &segments, Default::default(), turns).expect("index");
        let rules = code_rules(&["mentor", "target*", "=\"my mentor\"", "NOT mentor"], &index);
        let rules: Vec<&CodeRule> = rules.iter().collect();
        let what = (&corpus, &segments[..], SpeakerFilter::All);
        let found = |width, proposed| find_matches(&rules, &index, what, width, proposed);
        let at_once = listed(found(u32::MAX, Proposed::ByIndex).expect("found"));
        assert!(at_once.iter().all(|rule| !rule.is_empty()), "every rule matches some segment");
        for width in [1, 2, 3, 7, u32::MAX] {
            for proposed in [Proposed::ByIndex, Proposed::ByWords] {
                let windowed = listed(found(width, proposed).expect("found"));
                assert_eq!(windowed, at_once, "windows of {width} segments, {proposed:?}");
            }
        }
    }

    #[test]
    fn char_offsets_slice_unicode_text_in_any_order() {
        let document = "Q: x\nA: Café — naïve “mentor” ü";
        let start = document.find("Café").expect("in text");
        let chars = document[..start].chars().count()..document.chars().count();
        let segment = Segment::new(0, 0, start..document.len(), chars, 2);
        let at = |word: &str| {
            let chars = document[..document.find(word).expect("word")].chars().count();
            chars..chars + word.chars().count()
        };
        let mut offsets = CharOffsets::new(document, &segment);
        assert_eq!(offsets.ascii, "Caf".len(), "the ASCII beginning");
        assert_eq!(offsets.slice(at("naïve")), "naïve");
        assert_eq!(offsets.slice(at("mentor")), "mentor");
        assert_eq!(offsets.slice(at("Café")), "Café", "a range before the last one");
        assert_eq!(offsets.slice(at("ü")), "ü");
        let end = segment.chars().end;
        assert_eq!(offsets.slice(end - 1..end + 5), "ü", "clamped to the segment");
        let bytes = document.find("naïve").expect("word") - start;
        assert_eq!(offsets.range(bytes..bytes + "naïve".len()), at("naïve"));
    }

    proptest::proptest! {
        /// Char ranges and slices agree with counting every char, for texts that are ASCII,
        /// ASCII up to some point, or not ASCII at all, whatever order ranges come in.
        #[test]
        fn char_offsets_agree_with_counting_chars(
            before in "[a-z é]{0,5}",
            text in "[a-z ]{0,12}[a-zé—“ü😀 ]{0,20}",
            ranges in proptest::collection::vec((0usize..30, 0usize..30), 1..6),
        ) {
            let document = format!("{before}{text}");
            let chars = before.chars().count()..document.chars().count();
            let segment = Segment::new(0, 0, before.len()..document.len(), chars, 1);
            let chars: Vec<char> = text.chars().collect();
            let mut offsets = CharOffsets::new(&document, &segment);
            for (a, b) in ranges {
                let (from, to) = (a.min(b), a.max(b));
                let expected: String =
                    chars[from.min(chars.len())..to.min(chars.len())].iter().collect();
                let start = segment.chars().start;
                proptest::prop_assert_eq!(offsets.slice(start + from..start + to), expected.as_str());
                if to <= chars.len() {
                    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
                    proptest::prop_assert_eq!(
                        offsets.range(byte(from)..byte(to)),
                        start + from..start + to
                    );
                }
            }
        }
    }
}
