//! Every tantivy field, in one place.
//!
//! One tantivy document per segment. `exact` holds its words' lower-cased unstemmed forms,
//! produced by the one [`Analyzer`](super::Analyzer): `=exact` and `prefix*` look them up
//! directly, and a stem looks up every form in the index that has that stem
//! ([`SegmentIndex::forms_with_stem`](super::SegmentIndex::forms_with_stem)), so the words are
//! indexed once, not once per form. The remaining fields are untokenized facets for
//! filtering and grouping. Nothing but the segment number is stored: segment metadata is
//! rebuilt from the study's files, which the index's fingerprint guarantees are unchanged.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Name under which the exact-form tokenizer is registered.
pub const EXACT_TOKENIZER: &str = "qualkit_exact";

/// Handles to every field of the segment index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Segment number: index into the study's segment list (a fast field, read by the
    /// collectors).
    pub segment: Field,
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
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(EXACT_TOKENIZER)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        segment: builder.add_u64_field("segment", FAST),
        exact: builder.add_text_field("exact", words),
        document: builder.add_text_field("document", STRING),
        participant: builder.add_text_field("participant", STRING),
        wave: builder.add_text_field("wave", STRING),
        kind: builder.add_text_field("kind", STRING),
        role: builder.add_text_field("role", STRING),
        attribute: builder.add_text_field("attribute", STRING),
    };
    (builder.build(), fields)
}
