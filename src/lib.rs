//! qualkit: reproducible qualitative analysis of interviews and questionnaires.
//!
//! The pipeline, one module per stage: [`study`] (the manifest) → [`corpus`] (ingest
//! participants, transcripts, questionnaires) → [`segment`] (turns, sentences,
//! paragraphs) → [`index`] (tantivy, with the one [`index::Analyzer`]) → [`query`] (the rule
//! language) → [`search`] (concordance) → [`table`] and [`export`] (rendering).
//!
//! # Example
//! ```
//! use qualkit::index::{Analyzer, Language};
//! use qualkit::query::Rule;
//!
//! let analyzer = Analyzer::new(Language::default());
//! let rule = Rule::compile("\"set targets\"~2 OR motivat*", &analyzer)?;
//! let words = analyzer.words("We set some targets [laughs] and it motivated me.");
//! let evidence = rule.find(&words).expect("the rule matches");
//! assert_eq!(evidence.len(), 2); // "set … targets" and "motivated"
//! # Ok::<(), qualkit::Error>(())
//! ```
//!
//! The library never prints and never exits; the `qualkit` binary owns the terminal.

#![deny(missing_docs)]

pub mod analysis;
pub mod anonymise;
pub mod chart;
pub mod codebook;
pub mod coding;
pub mod corpus;
pub mod error;
pub mod export;
pub mod files;
pub mod index;
pub mod pipeline;
pub mod query;
pub mod refi;
pub mod report;
pub mod search;
pub mod segment;
mod segment_list;
pub mod stats;
pub mod study;
pub mod table;
mod varint;

pub use error::{Error, Result};
