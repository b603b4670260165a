//! Every tantivy field, in one place.
//!
//! One tantivy document per segment. `text` holds stems (for words and phrases), `exact`
//! lower-cased unstemmed forms (for `=exact` and `prefix*`); both are produced by the one
//! [`Analyzer`](super::Analyzer). The remaining fields are untokenized facets for filtering
//! and grouping. Nothing but the segment number is stored: segment metadata is rebuilt
//! from the study's files, which the index's fingerprint guarantees are unchanged.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Name under which the stemming tokenizer is registered.
pub const STEM_TOKENIZER: &str = "qualkit_stem";
/// Name under which the exact-form tokenizer is registered.
pub const EXACT_TOKENIZER: &str = "qualkit_exact";

/// Handles to every field of the segment index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Segment number: index into the study's segment list (a fast field, read by the
    /// collectors).
    pub segment: Field,
    /// Stems.
    pub text: Field,
    /// Lower-cased unstemmed words.
    pub exact: Field,
    /// Document id.
    pub document: Field,
    /// Participant id of the speaker (empty for interviewers).
    pub participant: Field,
    /// Wave of the document.
    pub wave: Field,
    /// Document kind (`interview`, `focus_group`, …).
    pub kind: Field,
    /// Speaker role (`interviewer`, `participant`, `anonymous`).
    pub role: Field,
    /// Participant attributes of the speaker as `name=value`, one value each.
    pub attribute: Field,
}

/// Build the schema and its field handles.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Queries are conjunctions of terms (`query::candidates`; order, distance and NOT are
    // checked on the segment's own words), never scored: no positions, frequencies or
    // field norms, which would double the cost of indexing for nothing.
    let words = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    let fields = Fields {
        segment: builder.add_u64_field("segment", FAST),
        text: builder.add_text_field("text", words(STEM_TOKENIZER)),
        exact: builder.add_text_field("exact", words(EXACT_TOKENIZER)),
        document: builder.add_text_field("document", STRING),
        participant: builder.add_text_field("participant", STRING),
        wave: builder.add_text_field("wave", STRING),
        kind: builder.add_text_field("kind", STRING),
        role: builder.add_text_field("role", STRING),
        attribute: builder.add_text_field("attribute", STRING),
    };
    (builder.build(), fields)
}
