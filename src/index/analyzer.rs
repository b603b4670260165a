//! The one analyzer: text → words, lower-cased and stemmed.
//!
//! Everything that compares words — the index, search queries, codebook rules, codebook
//! examples and the evidence spans of codings — goes through [`Analyzer::words`]. Words are
//! UAX #29 word boundaries (unicode-segmentation), so `didn't`, `didn’t` and `self-belief`
//! are treated the same everywhere; they are lower-cased, curly apostrophes become straight
//! ones, and the stem comes from rust-stemmers. tantivy's own `Stemmer` (a different
//! Snowball build) is never used: see DESIGN.md "One analyzer everywhere".
//!
//! A study may instead split words as plain-text search tools do ([`WordBreaks`]): runs of
//! letters and digits, so `didn't` is `didn` and `t` and `it's` holds the word `s`.
//!
//! Transcription marks such as `[inaudible]` or `[laughs]` stay in the text but yield no
//! words, so they can never be matched; each takes a word position of its own, so a phrase
//! never joins the words on either side of one (`was [inaudible] fine` is not `"was fine"`:
//! unheard words may lie between) and a NEAR distance counts it as one word.

use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this (in bytes) are dropped: they are never real words, and tantivy
/// cannot index terms beyond 65,530 bytes.
pub const MAX_WORD_BYTES: usize = 100;

/// Transcription marks are square brackets holding at most this many bytes.
const MAX_MARK_BYTES: usize = 60;

/// A Snowball stemming language.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Language(Algorithm);

const LANGUAGES: [(&str, Algorithm); 18] = [
    ("arabic", Algorithm::Arabic),
    ("danish", Algorithm::Danish),
    ("dutch", Algorithm::Dutch),
    ("english", Algorithm::English),
    ("finnish", Algorithm::Finnish),
    ("french", Algorithm::French),
    ("german", Algorithm::German),
    ("greek", Algorithm::Greek),
    ("hungarian", Algorithm::Hungarian),
    ("italian", Algorithm::Italian),
    ("norwegian", Algorithm::Norwegian),
    ("portuguese", Algorithm::Portuguese),
    ("romanian", Algorithm::Romanian),
    ("russian", Algorithm::Russian),
    ("spanish", Algorithm::Spanish),
    ("swedish", Algorithm::Swedish),
    ("tamil", Algorithm::Tamil),
    ("turkish", Algorithm::Turkish),
];

impl Language {
    /// The language named `name` (case-insensitive), e.g. `english`.
    pub fn from_name(name: &str) -> Option<Language> {
        let name = name.to_lowercase();
        LANGUAGES.iter().find(|(n, _)| *n == name).map(|(_, a)| Language(*a))
    }

    /// The language named `name`, or the message explaining which names are allowed.
    ///
    /// # Errors
    /// An unknown name: the message lists the supported languages.
    pub fn parse(name: &str) -> std::result::Result<Language, String> {
        Language::from_name(name).ok_or_else(|| {
            format!("unknown language `{name}`; expected one of {}", Language::names().join(", "))
        })
    }

    /// The language's lower-case name.
    pub fn name(self) -> &'static str {
        LANGUAGES.iter().find(|(_, a)| *a == self.0).map_or("english", |(n, _)| n)
    }

    /// Every supported language name.
    pub fn names() -> Vec<&'static str> {
        LANGUAGES.iter().map(|(n, _)| *n).collect()
    }
}

impl Default for Language {
    fn default() -> Self {
        Language(Algorithm::English)
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One word of a text, with its forms and where it is.
///
/// Its forms are shared with the thread's cache of them by `Rc`, not `Arc`: a word is made,
/// matched and dropped on one thread, and an atomic count's two locked instructions per
/// word and form were 40 % of looking forms up (coding a 100 MB study: user CPU 5.6-5.9 →
/// 5.1-5.6 s). So words stay on the thread that split them (`Word` is neither `Send` nor
/// `Sync`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased, apostrophes normalised, not stemmed.
    pub exact: Rc<str>,
    /// The stem of `exact`.
    pub stem: Rc<str>,
    /// Byte offset of the first byte in the analysed text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Position in the text, counting each transcription mark as one position: phrases and
    /// NEAR measure gaps with this, not with the word's index among the words.
    pub position: usize,
    /// [`form_head`] of `exact`: a rule compares a word by it first, which reads no further than
    /// the word (a rule's check reads every word of a segment it may match).
    pub exact_head: u64,
    /// [`form_head`] of `stem`.
    pub stem_head: u64,
}

/// The first eight bytes of `form` as a number, zero past its end: two forms of the same
/// length up to eight bytes are the same form if their heads are equal.
#[inline]
pub fn form_head(form: &str) -> u64 {
    let bytes = form.as_bytes();
    let mut first = [0u8; 8];
    let n = bytes.len().min(8);
    first[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(first)
}

/// What becomes of the words of transcription marks (`[laughs]`, `[inaudible]`): study.toml's
/// `[coding] marks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Marks {
    /// Never matched: a mark is a note about the speech, not speech (the default). It takes
    /// one word position, so a phrase never spans it.
    #[default]
    Skipped,
    /// Words like any other, as in tools that search plain text (what a comparison with such
    /// a tool needs).
    Words,
}

impl Marks {
    /// The setting as written in study.toml.
    pub fn name(self) -> &'static str {
        match self {
            Marks::Skipped => "skipped",
            Marks::Words => "words",
        }
    }

    /// The setting named `name` in study.toml.
    pub fn from_name(name: &str) -> Option<Marks> {
        [Marks::Skipped, Marks::Words].into_iter().find(|m| m.name() == name)
    }
}

/// Where one word ends and the next begins: study.toml's `[coding] words`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WordBreaks {
    /// UAX #29 word boundaries (the default): `didn't`, `mum's` and `3.5` are one word
    /// each, `self-belief` two.
    #[default]
    Unicode,
    /// Maximal runs of letters and digits (`char::is_alphanumeric`: Unicode Alphabetic and
    /// Numeric), as tantivy's simple tokenizer finds them and, but for marks Unicode counts
    /// as Alphabetic (combining vowel signs), the regular expression `[^\W_]+`: `didn't` is
    /// `didn` and `t`, `3.5` is `3` and `5`. This is how plain-text search tools and scripts
    /// split words, which a comparison with them needs (a pattern `s*` of theirs matches
    /// the `s` of `it's`).
    Alphanumeric,
}

impl WordBreaks {
    /// The setting as written in study.toml.
    pub fn name(self) -> &'static str {
        match self {
            WordBreaks::Unicode => "unicode",
            WordBreaks::Alphanumeric => "alphanumeric",
        }
    }

    /// The setting named `name` in study.toml.
    pub fn from_name(name: &str) -> Option<WordBreaks> {
        [WordBreaks::Unicode, WordBreaks::Alphanumeric].into_iter().find(|w| w.name() == name)
    }
}

/// How a study's text is read into words: its `[coding] marks` and `[coding] words`, which
/// the index, the rules and every count share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reading {
    /// What becomes of the words of transcription marks.
    pub marks: Marks,
    /// Where words break.
    pub words: WordBreaks,
}

impl Reading {
    /// Both settings as written in study.toml (`skipped, unicode`): what caches of words
    /// are made with.
    pub fn name(self) -> String {
        format!("{}, {}", self.marks.name(), self.words.name())
    }
}

/// Words as written → their exact form and stem, in one language.
type Forms = rustc_hash::FxHashMap<Box<str>, WordForms>;

/// A word's exact form and stem, and the [`form_head`] of each.
#[derive(Clone)]
struct WordForms {
    exact: Rc<str>,
    stem: Rc<str>,
    exact_head: u64,
    stem_head: u64,
}

thread_local! {
    /// Each thread's [`Forms`], with the language they are in.
    static FORMS: std::cell::RefCell<(u8, Forms)> = std::cell::RefCell::default();
}

/// Splits, normalises and stems text in one language.
#[derive(Clone)]
pub struct Analyzer {
    language: Language,
    stemmer: Arc<Stemmer>,
    reading: Reading,
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Analyzer({:?}, {})", self.language, self.reading.name())
    }
}

impl Analyzer {
    /// An analyzer for `language`; transcription marks skipped, UAX #29 words.
    pub fn new(language: Language) -> Self {
        let stemmer = Arc::new(Stemmer::create(language.0));
        Analyzer { language, stemmer, reading: Reading::default() }
    }

    /// The same analyzer, with transcription marks treated as `marks` says.
    #[must_use]
    pub fn with_marks(self, marks: Marks) -> Self {
        Analyzer { reading: Reading { marks, ..self.reading }, ..self }
    }

    /// The same analyzer, reading words as `reading` says.
    #[must_use]
    pub fn with_reading(self, reading: Reading) -> Self {
        Analyzer { reading, ..self }
    }

    /// The analyzer for a study's text: its language, `[coding] marks` and `words`.
    pub fn of_study(study: &crate::study::Study) -> Self {
        Analyzer::new(study.language).with_reading(study.coding.reading())
    }

    /// The analyzer's language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// What the analyzer does with transcription marks.
    pub fn marks(&self) -> Marks {
        self.reading.marks
    }

    /// How the analyzer reads words: its marks and word breaks.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The words of `text` in order, with their forms.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut words = Vec::new();
        self.words_into(text, &mut words);
        words
    }

    /// [`Analyzer::words`] into `words`, cleared first: coding splits hundreds of thousands
    /// of segments, and a list grown word by word for each was reallocated and copied
    /// several times a segment.
    pub fn words_into(&self, text: &str, words: &mut Vec<Word>) {
        words.clear();
        // the thread's cache of forms taken once per text, not once per word
        self.with_forms(|cache| {
            words.extend(WordSpans::new(text, self.reading).map(|(start, word, position)| {
                let WordForms { exact, stem, exact_head, stem_head } = self.forms(cache, word);
                Word {
                    exact,
                    stem,
                    start,
                    end: start + word.len(),
                    position,
                    exact_head,
                    stem_head,
                }
            }));
        })
    }

    /// The words of `text` as [`Analyzer::words`] finds them, each as written (not yet
    /// lower-cased or stemmed): its byte offset, its text and its position. For callers that
    /// look words up by how they are written, and make forms only of the few they have not
    /// met ([`Analyzer::word`]).
    pub fn words_as_written<'t>(
        &self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, &'t str, usize)> + use<'t> {
        WordSpans::new(text, self.reading)
    }

    /// The [`Word`] that [`Analyzer::words`] gives for `written` (a word as
    /// [`Analyzer::words_as_written`] finds it) found at byte `start` and `position`.
    pub fn word(&self, written: &str, start: usize, position: usize) -> Word {
        let WordForms { exact, stem, exact_head, stem_head } =
            self.with_forms(|cache| self.forms(cache, written));
        let end = start + written.len();
        Word { exact, stem, start, end, position, exact_head, stem_head }
    }

    /// `f` with this thread's cache of forms, emptied first if it was made for another
    /// language or reading of words.
    fn with_forms<T>(&self, f: impl FnOnce(&mut Forms) -> T) -> T {
        FORMS.with(|cache| {
            let mut cache = cache.borrow_mut();
            // a word's forms depend on the language and, through `normalise`, on where words
            // break: the cache is of one pair
            let tag = (self.language.0 as u8) << 1
                | u8::from(self.reading.words == WordBreaks::Alphanumeric);
            if cache.0 != tag {
                *cache = (tag, Forms::default());
            }
            f(&mut cache.1)
        })
    }

    /// The exact form and the stem of a word as it appears in text, from this thread's
    /// `cache` of them: a corpus repeats a few thousand words millions of times, so a word
    /// costs one hash lookup and no allocation, and its forms are shared.
    fn forms(&self, cache: &mut Forms, word: &str) -> WordForms {
        if let Some(forms) = cache.get(word) {
            return forms.clone();
        }
        let exact = self.normalise(word);
        let stem: Rc<str> = self.stem_of_exact(&exact).into();
        let (exact_head, stem_head) = (form_head(&exact), form_head(&stem));
        let forms = WordForms { exact: Rc::<str>::from(exact), stem, exact_head, stem_head };
        // bound the memory on corpora with huge vocabularies
        if cache.len() >= 200_000 {
            cache.clear();
        }
        cache.insert(word.into(), forms.clone());
        forms
    }

    /// How many words [`Analyzer::words`] finds in `text`, without building them.
    pub fn count_words(&self, text: &str) -> usize {
        WordSpans::new(text, self.reading).count()
    }

    /// Append the exact form of `word` (as found in text) to `out`: what
    /// [`Analyzer::normalise`] returns, without allocating for ASCII words.
    fn push_exact(&self, word: &str, out: &mut String) {
        if word.is_ascii() {
            // ASCII lower-cases byte by byte and holds no curly apostrophe: copied whole and
            // lower-cased in place (a char pushed at a time was a tenth of tokenizing)
            let from = out.len();
            out.push_str(word);
            out[from..].make_ascii_lowercase();
        } else {
            out.push_str(&self.normalise(word));
        }
    }

    /// A word lower-cased with curly apostrophes straightened: the `exact` form. With
    /// alphanumeric words only lower-cased: no word then holds the curly apostrophe U+2019,
    /// and the modifier letter apostrophe U+02BC is a letter inside one (`donʼt` is one
    /// word), which straightened would hold a char no word of that reading holds.
    pub fn normalise(&self, word: &str) -> String {
        if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'\'') {
            return word.to_owned(); // the common case, without a second pass
        }
        let lower = word.to_lowercase();
        if self.reading.words == WordBreaks::Unicode && lower.contains(['\u{2019}', '\u{02bc}']) {
            lower.replace(['\u{2019}', '\u{02bc}'], "'")
        } else {
            lower
        }
    }

    /// The stem of a word's exact form, as [`Word::stem`] holds it (English: after mapping
    /// spelling variants); the index finds a stem's forms among its exact forms with it.
    pub fn stem_of_exact(&self, exact: &str) -> String {
        if self.language.0 == Algorithm::English {
            self.stemmer.stem(&spelling_variant(exact)).into_owned()
        } else {
            self.stemmer.stem(exact).into_owned()
        }
    }
}

/// British -our stems whose American spelling drops the `u` (colour/color). A list, not a
/// rule: `four`, `hour`, `your` and `tour` must not change.
const OUR_STEMS: [&str; 24] = [
    "armour",
    "behaviour",
    "candour",
    "clamour",
    "colour",
    "endeavour",
    "favour",
    "flavour",
    "glamour",
    "harbour",
    "honour",
    "humour",
    "labour",
    "neighbour",
    "odour",
    "parlour",
    "rigour",
    "rumour",
    "savour",
    "splendour",
    "tumour",
    "valour",
    "vapour",
    "vigour",
];

/// British -re words whose American spelling ends in -er (centre/center), by the part
/// before `re`.
const RE_STEMS: [&str; 10] =
    ["cent", "theat", "met", "lit", "fib", "calib", "somb", "spect", "lust", "meag"];

/// Spelling variants mapped to one form before stemming, so British and American
/// spellings of a word share a stem: -ize/-ise (and -ization/-isation) become -ise,
/// -or in the [`OUR_STEMS`] words becomes -our, and -er in the [`RE_STEMS`] words becomes
/// -re. Applied to English only. Exact forms (`=word`, `prefix*`) are not changed.
pub fn spelling_variant(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    const IZE: [(&str, &str); 9] = [
        ("ization", "isation"),
        ("izations", "isations"),
        ("ize", "ise"),
        ("izes", "ises"),
        ("ized", "ised"),
        ("izing", "ising"),
        ("izer", "iser"),
        ("izers", "isers"),
        ("izable", "isable"),
    ];
    if word.len() >= 6 {
        for (american, british) in IZE {
            if let Some(base) = word.strip_suffix(american) {
                return Cow::Owned(format!("{base}{british}"));
            }
        }
    }
    static AMERICAN_OR: std::sync::LazyLock<Vec<(String, &str)>> = std::sync::LazyLock::new(|| {
        OUR_STEMS.iter().map(|stem| (stem.replacen("our", "or", 1), *stem)).collect()
    });
    for (american, stem) in AMERICAN_OR.iter() {
        if let Some(rest) = word.strip_prefix(american.as_str()) {
            return Cow::Owned(format!("{stem}{rest}"));
        }
    }
    for base in RE_STEMS {
        for (american, british) in
            [("er", "re"), ("ers", "res"), ("ered", "red"), ("ering", "ring")]
        {
            if word.len() == base.len() + american.len()
                && word.starts_with(base)
                && word.ends_with(american)
            {
                return Cow::Owned(format!("{base}{british}"));
            }
        }
    }
    Cow::Borrowed(word)
}

/// Byte ranges `(start, end)` of transcription marks: `[` … `]` on one line, short.
pub fn transcription_marks(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut marks = Vec::new();
    let mut i = 0;
    while let Some(open) = memchr(b'[', &bytes[i..]).map(|o| i + o) {
        let limit = (open + 1 + MAX_MARK_BYTES).min(bytes.len());
        let close = bytes[open + 1..limit]
            .iter()
            .position(|&b| matches!(b, b']' | b'[' | b'\n'))
            .map(|o| open + 1 + o);
        match close {
            Some(c) if bytes[c] == b']' => {
                marks.push((open, c + 1));
                i = c + 1;
            }
            _ => i = open + 1,
        }
    }
    marks
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// The words of a text as (byte offset, word as written, position): words as the reading
/// breaks them (UAX #29, or runs of letters and digits) outside
/// transcription marks (unless [`Marks::Words`]) and no longer than [`MAX_WORD_BYTES`]. A
/// skipped mark between two words takes a position of its own. [`Analyzer::words`],
/// [`Analyzer::count_words`] and the tokenizer all walk a text with this one iterator.
struct WordSpans<'t> {
    words: Breaks<'t>,
    marks: Vec<(usize, usize)>,
    /// The first mark that does not end before the current word.
    next_mark: usize,
    position: usize,
    any_word: bool,
}

impl<'t> WordSpans<'t> {
    fn new(text: &'t str, reading: Reading) -> WordSpans<'t> {
        WordSpans {
            words: match reading.words {
                WordBreaks::Unicode => Breaks::Unicode(Words::new(text)),
                WordBreaks::Alphanumeric => Breaks::Alphanumeric(AlphanumericWords { text, at: 0 }),
            },
            marks: match reading.marks {
                Marks::Skipped => transcription_marks(text),
                Marks::Words => Vec::new(),
            },
            next_mark: 0,
            position: 0,
            any_word: false,
        }
    }
}

/// The words of a text, split as [`WordBreaks`] says.
enum Breaks<'t> {
    Unicode(Words<'t>),
    Alphanumeric(AlphanumericWords<'t>),
}

impl<'t> Iterator for Breaks<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Breaks::Unicode(words) => words.next(),
            Breaks::Alphanumeric(words) => words.next(),
        }
    }
}

/// Maximal runs of letters and digits ([`WordBreaks::Alphanumeric`]) with their byte
/// offsets; ASCII bytes are looked at as bytes.
struct AlphanumericWords<'t> {
    text: &'t str,
    at: usize,
}

/// Whether each ASCII byte is a letter or digit, looked up rather than compared by ranges;
/// bytes beyond ASCII start a char looked at as a char ([`AlphanumericWords::char_at`]).
const ASCII_ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

impl AlphanumericWords<'_> {
    /// Whether the char beyond ASCII at byte `at` (a char boundary) is a letter or digit,
    /// and its length.
    #[inline]
    fn char_at(&self, at: usize) -> (bool, usize) {
        let bytes = self.text.as_bytes();
        // the General Punctuation block, U+2000–U+206F, is E2 80 80 to E2 81 AF: the curly
        // quotes, apostrophes and dashes a transcript is full of, known without decoding
        if bytes[at] == 0xE2
            && (bytes[at + 1] == 0x80 || bytes[at + 1] == 0x81 && bytes[at + 2] <= 0xAF)
        {
            return (false, 3);
        }
        let c = self.text[at..].chars().next().expect("a char boundary before the end");
        (is_alphanumeric_beyond_ascii(c), c.len_utf8())
    }
}

/// `c.is_alphanumeric()` for a char that is not ASCII. The General Punctuation block
/// (U+2000–U+206F: spaces, dashes, curly quotes and apostrophes, the ellipsis) holds no
/// letter or digit (a test checks every char of it), and transcripts are full of its quotes
/// and apostrophes, which Unicode's tables would look up one at a time.
#[inline]
fn is_alphanumeric_beyond_ascii(c: char) -> bool {
    !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphanumeric()
}

impl<'t> Iterator for AlphanumericWords<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        // what is not a letter or digit, then the word: two plain loops, ASCII a byte at a
        // time by a table, and only chars beyond it decoded
        let mut at = self.at;
        let start = loop {
            let &byte = bytes.get(at)?;
            if ASCII_ALPHANUMERIC[usize::from(byte)] {
                break at;
            }
            if byte.is_ascii() {
                at += 1;
                continue;
            }
            let (alphanumeric, width) = self.char_at(at);
            if alphanumeric {
                break at;
            }
            at += width;
        };
        while let Some(&byte) = bytes.get(at) {
            if ASCII_ALPHANUMERIC[usize::from(byte)] {
                at += 1;
                continue;
            }
            if byte.is_ascii() {
                break;
            }
            let (alphanumeric, width) = self.char_at(at);
            if !alphanumeric {
                break;
            }
            at += width;
        }
        self.at = at;
        Some((start, &self.text[start..at]))
    }
}

/// UAX #29 words with their byte offsets, as `unicode_word_indices` finds them, a stretch at
/// a time (stretches end only at ASCII whitespace): ASCII stretches (most, even in a transcript with
/// curly quotes) byte by byte, others by unicode-segmentation. The only characters UAX #29
/// joins to ASCII whitespace are a wide space before it (WB3d) and a combining mark or joiner
/// after it (WB4), none of them ASCII; so whitespace with ASCII on both sides is always a
/// break on both sides, and stretches end only there. A property test holds this to
/// unicode-segmentation.
struct Words<'t> {
    text: &'t str,
    /// Where the next stretch is looked for.
    at: usize,
    stretch: Stretch<'t>,
    /// Where the current stretch starts in `text`.
    stretch_start: usize,
}

enum Stretch<'t> {
    Ascii(AsciiWords<'t>),
    Unicode(unicode_segmentation::UnicodeWordIndices<'t>),
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Words<'t> {
        Words {
            text,
            at: 0,
            // an empty stretch: the first call moves on to the text's first
            stretch: Stretch::Ascii(AsciiWords { text: "", at: 0 }),
            stretch_start: 0,
        }
    }
}

impl<'t> Iterator for Words<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let found = match &mut self.stretch {
                Stretch::Ascii(words) => words.next(),
                Stretch::Unicode(words) => words.next(),
            };
            if let Some((start, word)) = found {
                return Some((self.stretch_start + start, word));
            }
            if self.at >= self.text.len() {
                return None;
            }
            let (end, after, ascii) = stretch_end(self.text.as_bytes(), self.at);
            let start = self.at;
            let stretch = &self.text[start..end];
            self.at = after;
            self.stretch_start = start;
            self.stretch = if ascii {
                Stretch::Ascii(AsciiWords { text: stretch, at: 0 })
            } else {
                Stretch::Unicode(stretch.unicode_word_indices())
            };
        }
    }
}

/// ASCII whitespace: where a stretch may end.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Where the stretch of `bytes` that starts at `start` ends, and where the next one starts:
/// at a run of whitespace with ASCII on both sides (or the text's end). The stretch is as
/// long as it can be while it is ASCII, so an ASCII text is one stretch, and a text with a
/// curly apostrophe three stretches, not one per word (finding a stretch per word was most
/// of splitting an ASCII text into words). A stretch that must hold a non-ASCII character
/// runs to the first such whitespace after `start`. The third value: whether the stretch is
/// ASCII.
///
/// `start` is the text's start or where the stretch before ended (after a whitespace run),
/// so it is never whitespace but at the text's start.
fn stretch_end(bytes: &[u8], start: usize) -> (usize, usize, bool) {
    debug_assert!(start == 0 || !is_space(bytes[start]));
    let first_other =
        bytes[start..].iter().position(|b| !b.is_ascii()).map_or(bytes.len(), |n| start + n);
    if first_other == bytes.len() {
        return (bytes.len(), bytes.len(), true);
    }
    // the last whitespace run before the first non-ASCII byte, if an ASCII byte follows it
    // (every byte before that one is ASCII, and `start` is the text's start or follows such a
    // run, so the run has ASCII before it)
    let mut i = first_other;
    loop {
        while i > start && !is_space(bytes[i - 1]) {
            i -= 1;
        }
        if i == start {
            break;
        }
        let run_end = i;
        while i > start && is_space(bytes[i - 1]) {
            i -= 1;
        }
        if run_end < first_other {
            return (i, run_end, true);
        }
    }
    // none: the stretch holds the non-ASCII byte and runs to the first such run after it
    let (mut end, mut after) = (bytes.len(), bytes.len());
    let mut from = start;
    while let Some(n) = bytes[from..].iter().position(|&b| is_space(b)) {
        let run = from + n;
        let run_end =
            bytes[run..].iter().position(|&b| !is_space(b)).map_or(bytes.len(), |m| run + m);
        let ascii_before = run == 0 || bytes[run - 1].is_ascii();
        let ascii_after = bytes.get(run_end).is_none_or(u8::is_ascii);
        if ascii_before && ascii_after {
            (end, after) = (run, run_end);
            break;
        }
        from = run_end;
    }
    (end, after, false)
}

/// `unicode_word_indices` of an ASCII text. In ASCII, UAX #29 joins letters, digits and `_`
/// (WB5, WB8–WB10, WB13a/b); joins two letters across `:` `.` `'` (WB6/7: MidLetter,
/// MidNumLet, Single_Quote) and two digits across `,` `;` `.` `'` (WB11/12: MidNum,
/// MidNumLet, Single_Quote); and breaks everywhere else. A word must hold a letter or digit
/// (so `__` alone is none). A property test holds this to unicode-segmentation.
struct AsciiWords<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Iterator for AsciiWords<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let joined = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        loop {
            let start = self.at + bytes[self.at..].iter().position(|&b| joined(b))?;
            let mut end = start + 1;
            while let Some(&next) = bytes.get(end) {
                if joined(next) {
                    end += 1;
                    continue;
                }
                let (before, after) = (bytes[end - 1], bytes.get(end + 1).copied());
                let across = match after {
                    Some(a) if before.is_ascii_alphabetic() && a.is_ascii_alphabetic() => {
                        matches!(next, b':' | b'.' | b'\'')
                    }
                    Some(a) if before.is_ascii_digit() && a.is_ascii_digit() => {
                        matches!(next, b',' | b';' | b'.' | b'\'')
                    }
                    _ => false,
                };
                if !across {
                    break;
                }
                end += 2;
            }
            self.at = end;
            let word = &self.text[start..end];
            // a word not starting with `_` starts with a letter or digit; only one starting
            // with `_` may have none
            if bytes[start] != b'_' || word.bytes().any(|b| b.is_ascii_alphanumeric()) {
                return Some((start, word));
            }
        }
    }
}

impl<'t> Iterator for WordSpans<'t> {
    type Item = (usize, &'t str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (start, word) = self.words.next()?;
            while self.marks.get(self.next_mark).is_some_and(|m| m.1 <= start) {
                // a mark between two words keeps them apart
                self.position += usize::from(self.any_word);
                self.next_mark += 1;
            }
            let in_mark = self.marks.get(self.next_mark).is_some_and(|m| m.0 <= start);
            if in_mark || word.len() > MAX_WORD_BYTES {
                continue;
            }
            self.any_word = true;
            self.position += 1;
            return Some((start, word, self.position - 1));
        }
    }
}

/// A tantivy tokenizer that emits the exact forms of [`Analyzer::words`], so the index and
/// the query side share one code path.
#[derive(Clone)]
pub struct WordTokenizer {
    analyzer: Analyzer,
    /// How many texts it was given, when counted (shared by its clones: each of tantivy's
    /// indexing threads has one).
    texts: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
    /// The one token its streams write each word into, kept from text to text: a token
    /// made afresh for each of a large study's hundreds of thousands of texts grew its
    /// string from nothing each time.
    token: Token,
}

impl WordTokenizer {
    /// A tokenizer producing each word's exact form.
    pub fn new(analyzer: Analyzer) -> Self {
        WordTokenizer { analyzer, texts: None, token: Token::default() }
    }

    /// [`WordTokenizer::new`], adding one to `texts` for each text it is given: how far
    /// tantivy's indexing threads have got with the documents handed to them.
    pub fn counting(
        analyzer: Analyzer,
        texts: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ) -> Self {
        WordTokenizer { analyzer, texts: Some(texts), token: Token::default() }
    }
}

/// The token stream of [`WordTokenizer`]: words found as tantivy asks for them, each
/// written into the one token (no list of words, no string per word).
pub struct WordTokenStream<'t> {
    words: WordSpans<'t>,
    analyzer: &'t Analyzer,
    count: usize,
    current: &'t mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        let WordTokenizer { analyzer, texts, token } = self;
        if let Some(texts) = texts {
            texts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        token.text.clear();
        WordTokenStream {
            words: WordSpans::new(text, analyzer.reading),
            analyzer,
            count: 0,
            current: token,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, word, _)) = self.words.next() else { return false };
        let token = &mut self.current;
        token.offset_from = start;
        token.offset_to = start + word.len();
        token.position = self.count;
        token.position_length = 1;
        token.text.clear();
        self.analyzer.push_exact(word, &mut token.text);
        self.count += 1;
        true
    }

    fn token(&self) -> &Token {
        self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_into_a_list_in_use_are_the_words_alone() {
        let analyzer = english();
        let mut words = analyzer.words("A longer turn, of seven words here.");
        analyzer.words_into("Mentors listen", &mut words);
        assert_eq!(words, analyzer.words("Mentors listen"), "the earlier words cleared");
    }

    /// Words as written, each made a `Word` on its own, are the words: in either reading of
    /// words, with marks skipped (a position of their own) or read as words, in any language.
    #[test]
    fn words_as_written_made_into_words_are_the_words() {
        let text = "Die Lehrerinnen [laughs] DIDN’T  mentor's Élève, colour 1,000 (pause) x_y";
        for marks in [Marks::Skipped, Marks::Words] {
            for breaks in [WordBreaks::Unicode, WordBreaks::Alphanumeric] {
                for language in ["english", "german"] {
                    let language = Language::from_name(language).expect("a language");
                    let reading = Reading { marks, words: breaks };
                    let analyzer = Analyzer::new(language).with_reading(reading);
                    let made: Vec<Word> = analyzer
                        .words_as_written(text)
                        .map(|(start, written, position)| analyzer.word(written, start, position))
                        .collect();
                    assert_eq!(made, analyzer.words(text), "{reading:?}, {language:?}");
                }
            }
        }
    }

    fn english() -> Analyzer {
        Analyzer::new(Language::default())
    }

    fn tokens(tokenizer: &mut WordTokenizer, text: &str) -> Vec<String> {
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        tokens
    }

    #[test]
    fn the_tokenizer_emits_exact_forms_whose_stems_are_the_words_stems() {
        let text = "Die Lehrerinnen arbeiten, teachers working [laughs] didn’t";
        for analyzer in [english(), Analyzer::new(Language::from_name("german").expect("german"))] {
            let words = analyzer.words(text);
            let exact: Vec<String> = words.iter().map(|w| w.exact.to_string()).collect();
            assert_eq!(tokens(&mut WordTokenizer::new(analyzer.clone()), text), exact);
            // a stem's candidates are the indexed forms with that stem: the same stems
            for word in &words {
                assert_eq!(analyzer.stem_of_exact(&word.exact), *word.stem);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_tokenizer_and_the_word_count_agree_with_the_words(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                "[A-Za-z']{1,8}",
                "[ÀÉÎÕÜßçñøΣσςİıДж’ʼ]{1,4}",
                "[ ,.!?\\-\n]{1,3}",
                proptest::strategy::Just("[laughs]".to_owned()),
                proptest::strategy::Just("[".to_owned()),
                proptest::strategy::Just("]".to_owned()),
                "\\PC{1,3}",
            ], 0..30),
        ) {
            let text: String = pieces.concat();
            let analyzer = english();
            let words = analyzer.words(&text);
            let exact: Vec<String> = words.iter().map(|w| w.exact.to_string()).collect();
            proptest::prop_assert_eq!(tokens(&mut WordTokenizer::new(analyzer.clone()), &text), exact.clone());
            // a tokenizer keeps its token from text to text: nothing of one text is left in
            // the next one's tokens
            let mut used = WordTokenizer::new(analyzer.clone());
            tokens(&mut used, "Earlier, LONGER words! [laughs] Élève");
            proptest::prop_assert_eq!(tokens(&mut used, &text), exact);
            proptest::prop_assert_eq!(analyzer.count_words(&text), words.len());
            for word in &words {
                proptest::prop_assert_eq!(&*word.exact, analyzer.normalise(&text[word.start..word.end]));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn ascii_words_are_unicode_segmentations_words(
            text in proptest::prop_oneof!["[a-zA-Z0-9_:.,;'\" \t\r\n!?()-]{0,40}", "[\\x00-\\x7f]{0,40}"],
        ) {
            let ascii: Vec<(usize, &str)> = AsciiWords { text: &text, at: 0 }.collect();
            let unicode: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            proptest::prop_assert_eq!(ascii, unicode);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn words_are_unicode_segmentations_words(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                "[a-zA-Z0-9_:.,;'\" \t\r\n\x0b\x0c!?-]{1,6}",
                "[’ʼ“”—éÓ·ëá\u{301}\u{200d}\u{200b}\u{ad}\u{85}\u{2028}\u{3000}\u{a0}日本カタカナ🙂👍🏽🇬🇧אב״]{1,3}",
                "\\PC{1,3}",
            ], 0..16),
        ) {
            let text = pieces.concat();
            let ours: Vec<(usize, &str)> = Words::new(&text).collect();
            let unicode: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            proptest::prop_assert_eq!(ours, unicode);
        }
    }

    #[test]
    fn ascii_stretches_run_as_far_as_they_can() {
        // each stretch `stretch_end` finds, from the text's start, and whether it is ASCII
        let stretches = |text: &str| {
            let (mut at, mut found) = (0, Vec::new());
            while at < text.len() {
                let (end, after, ascii) = stretch_end(text.as_bytes(), at);
                found.push((text[at..end].to_owned(), ascii));
                at = after;
            }
            found
        };
        let owned = |s: &[(&str, bool)]| -> Vec<(String, bool)> {
            s.iter().map(|&(t, a)| (t.to_owned(), a)).collect()
        };
        assert_eq!(stretches("we set  targets\n"), owned(&[("we set  targets\n", true)]));
        // stretches end only at whitespace with ASCII on both sides: not before `“` or after
        // `”`, so `and “so” on` is one
        assert_eq!(
            stretches("I didn’t go there and “so” on"),
            owned(&[("I", true), ("didn’t", false), ("go there", true), ("and “so” on", false)])
        );
        assert_eq!(stretches(" x’"), owned(&[("", true), ("x’", false)]));
        let text = "  I didn’t go there and “so” on\n’tis it";
        let ours: Vec<(usize, &str)> = Words::new(text).collect();
        assert_eq!(ours, text.unicode_word_indices().collect::<Vec<_>>());
    }

    #[test]
    fn ascii_words_join_as_uax29_does() {
        let text = "don't e.g. 3.14 1,000 a:b a_b __ _x 1'2 a.1 x. 'q' 2;3 re-do";
        let ascii: Vec<&str> = AsciiWords { text, at: 0 }.map(|(_, w)| w).collect();
        let unicode: Vec<&str> = text.unicode_words().collect();
        assert_eq!(ascii, unicode);
        assert_eq!(
            ascii,
            [
                "don't", "e.g", "3.14", "1,000", "a:b", "a_b", "_x", "1'2", "a", "1", "x", "q",
                "2;3", "re", "do"
            ]
        );
    }

    fn stems(text: &str) -> Vec<String> {
        english().words(text).into_iter().map(|w| w.stem.to_string()).collect()
    }

    #[test]
    fn stems_with_rust_stemmers_not_tantivys_snowball() {
        // frostem (tantivy's Stemmer) gives `add` and `evening`; rust-stemmers gives these.
        assert_eq!(stems("added evening targets"), ["ad", "even", "target"]);
    }

    #[test]
    fn contractions_and_curly_apostrophes_are_one_word() {
        let words = english().words("I didn’t, didn't");
        let exact: Vec<&str> = words.iter().map(|w| &*w.exact).collect();
        assert_eq!(exact, ["i", "didn't", "didn't"]);
    }

    #[test]
    fn alphanumeric_words_are_runs_of_letters_and_digits() {
        let text = "It’s Mr. O'Neil's self-belief: 3.5, e.g. naïve_x [laughs] ¿qué?";
        let reading = Reading { marks: Marks::Skipped, words: WordBreaks::Alphanumeric };
        let analyzer = english().with_reading(reading);
        let words = analyzer.words(text);
        let exact: Vec<&str> = words.iter().map(|w| &*w.exact).collect();
        let expected = ["it", "s", "mr", "o", "neil", "s", "self", "belief", "3", "5", "e", "g"];
        assert_eq!(exact[..12], expected);
        assert_eq!(exact[12..], ["naïve", "x", "qué"], "the mark skipped");
        // each run its own position, the mark one too
        let positions: Vec<usize> = words.iter().map(|w| w.position).collect();
        assert_eq!(positions, (0..14).chain([15]).collect::<Vec<_>>());
        assert_eq!(&text[words[13].start..words[13].end], "x");
        // the modifier letter apostrophe is a letter, and stays as written: straightened, a
        // word would hold a char that ends words
        let exact: Vec<String> =
            analyzer.words("DonʼT don’t").iter().map(|w| w.exact.to_string()).collect();
        assert_eq!(exact, ["donʼt", "don", "t"]);
        // (the same word as written: each thread keeps its forms for one reading at a time)
        assert_eq!(&*english().words("DonʼT")[0].exact, "don't", "UAX #29 words straighten it");
    }

    proptest::proptest! {
        /// Alphanumeric words are what splitting the text at every char that is not a letter
        /// or digit leaves, where they are.
        #[test]
        fn alphanumeric_words_are_the_text_split_at_other_chars(
            text in "[a-zA-Z0-9_'’. ,\\-]{0,30}|\\PC{0,20}|[a-zA-Z\u{c0}-\u{24f}\u{1fff}-\u{2071} ]{0,30}",
        ) {
            let reading = Reading { marks: Marks::Words, words: WordBreaks::Alphanumeric };
            let analyzer = english().with_reading(reading);
            let ours: Vec<(usize, &str)> = analyzer
                .words(&text)
                .iter()
                .map(|w| (w.start, &text[w.start..w.end]))
                .collect();
            let split: Vec<(usize, &str)> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && w.len() <= MAX_WORD_BYTES)
                .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
                .collect();
            proptest::prop_assert_eq!(&ours, &split);
            // the tokenizer gives the index each word's exact form, lower-cased
            let exact: Vec<String> =
                analyzer.words(&text).iter().map(|w| w.exact.to_string()).collect();
            proptest::prop_assert_eq!(tokens(&mut WordTokenizer::new(analyzer.clone()), &text), exact);
            proptest::prop_assert_eq!(analyzer.count_words(&text), ours.len());
        }
    }

    #[test]
    fn general_punctuation_holds_no_letter_or_digit() {
        // what `is_alphanumeric_beyond_ascii` takes for granted
        for c in '\u{2000}'..='\u{206f}' {
            assert!(!c.is_alphanumeric(), "{c:?} is a letter or digit");
        }
        for c in ['é', 'ß', '\u{2070}', '\u{2071}', '\u{1fff}', '٣'] {
            assert_eq!(is_alphanumeric_beyond_ascii(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn transcription_marks_are_words_when_marks_are_words() {
        let text = "[pause] my [inaudible] mentor [laughs]";
        let analyzer = english().with_marks(Marks::Words);
        let words = analyzer.words(text);
        let exact: Vec<&str> = words.iter().map(|w| &*w.exact).collect();
        assert_eq!(exact, ["pause", "my", "inaudible", "mentor", "laughs"]);
        assert_eq!(&text[words[4].start..words[4].end], "laughs");
        let positions: Vec<usize> = words.iter().map(|w| w.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4]);
        assert_eq!(analyzer.count_words(text), 5);
        assert_eq!(english().count_words(text), 2);
    }

    #[test]
    fn transcription_marks_yield_no_words_but_take_a_position() {
        let text = "[pause] my [inaudible] mentor [laughs] [sighs] helps me [crosstalk]";
        let words = english().words(text);
        let exact: Vec<&str> = words.iter().map(|w| &*w.exact).collect();
        assert_eq!(exact, ["my", "mentor", "helps", "me"]);
        assert_eq!(&text[words[1].start..words[1].end], "mentor");
        let positions: Vec<usize> = words.iter().map(|w| w.position).collect();
        assert_eq!(positions, [0, 2, 5, 6]);
    }

    #[test]
    fn unclosed_bracket_is_not_a_mark() {
        assert_eq!(stems("a [b c"), ["a", "b", "c"]);
    }

    #[test]
    fn british_and_american_spellings_share_a_stem() {
        for (british, american) in [
            ("personalised", "personalized"),
            ("organisation", "organization"),
            ("prioritising", "prioritizing"),
            ("colour", "color"),
            ("behaviours", "behaviors"),
            ("neighbourhood", "neighborhood"),
            ("centre", "center"),
            ("centres", "centers"),
            ("theatre", "theater"),
        ] {
            assert_eq!(stems(british), stems(american), "{british} / {american}");
        }
        assert_eq!(stems("personalised"), stems("personalising"));
        // near misses keep their own stems
        assert_ne!(stems("four"), stems("for"));
        assert_ne!(stems("mentor"), stems("mentour"));
        assert_eq!(stems("size"), ["size"]);
        // the exact form is untouched
        assert_eq!(english().words("color")[0].exact.as_ref(), "color");
    }

    #[test]
    fn language_names_round_trip() {
        for name in Language::names() {
            assert_eq!(Language::from_name(name).map(|l| l.name()), Some(name));
        }
        assert_eq!(Language::from_name("English"), Some(Language::default()));
        assert!(Language::from_name("latin").is_none());
    }
}
