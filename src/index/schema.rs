//! Every tantivy field, in one place.
//!
//! One tantivy document per segment. `exact` holds its words' lower-cased unstemmed forms,
//! produced by the one [`Analyzer`](super::Analyzer): `=exact` and `prefix*` look them up
//! directly, and a stem looks up every form in the index that has that stem
//! ([`SegmentIndex::forms_with_stem`](super::SegmentIndex::forms_with_stem)), so the words are
//! indexed once, not once per form. Nothing else is indexed and nothing but the segment
//! number is kept: who spoke, when and in which document is segment metadata, rebuilt from
//! the study's files (which the index's fingerprint guarantees are unchanged), and that is
//! what every filter and grouping uses.

use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};

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
    };
    (builder.build(), fields)
}
