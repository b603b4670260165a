//! Attribute maps (a document's, a participant's) and the sharing of their strings.
//!
//! A survey has tens or hundreds of thousands of answers, each a document with a `question`
//! attribute, and each respondent a participant with the same few columns. As a
//! `BTreeMap<String, String>` each map was a B-tree node of 544 bytes (room for eleven
//! entries) and a string for every name and value: a third of a survey's memory. An
//! [`Attributes`] is a sorted list of shared strings, and [`SharedStrings`] gives the
//! answers of a file one copy of each column name and value.

use std::collections::HashSet;
use std::sync::Arc;

/// Attribute name → value, in the order of the names (as a `BTreeMap` keeps them). Names
/// and values are shared strings (one copy of each for the rows of a file); a map holds a
/// handful of entries, so one found by binary search costs no more than in a tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Attributes(Vec<(Arc<str>, Arc<str>)>);

impl Attributes {
    /// An empty map.
    pub fn new() -> Attributes {
        Attributes(Vec::new())
    }

    fn place(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| (**key).cmp(name))
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.place(name).ok().map(|i| &*self.0[i].1)
    }

    /// Whether `name` has a value.
    pub fn contains_key(&self, name: &str) -> bool {
        self.place(name).is_ok()
    }

    /// Set `name` to `value`, replacing (and returning) the value it had.
    pub fn insert(
        &mut self,
        name: impl Into<Arc<str>>,
        value: impl Into<Arc<str>>,
    ) -> Option<Arc<str>> {
        let (name, value) = (name.into(), value.into());
        match self.place(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    /// How many attributes have a value.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no attribute has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Names and values, in the order of the names.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.0.iter().map(|(name, value)| (&**name, &**value))
    }

    /// The shared strings themselves, to check what is shared.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[(Arc<str>, Arc<str>)] {
        &self.0
    }

    /// The map without room to grow: a map is made once and kept (one per answer), and a
    /// growing list leaves room for four entries at least.
    pub(crate) fn fitted(mut self) -> Attributes {
        self.0.shrink_to_fit();
        self
    }

    /// A copy with `name` set to `value`, with no room to spare (a row's map, and each of
    /// its answers' with its question).
    pub(crate) fn with(&self, name: Arc<str>, value: Arc<str>) -> Attributes {
        let mut copy = Attributes(Vec::with_capacity(self.0.len() + 1));
        copy.0.extend(self.0.iter().cloned());
        copy.insert(name, value);
        copy.fitted()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Arc<str>, Arc<str>)>,
        fn(&'a (Arc<str>, Arc<str>)) -> (&'a str, &'a str),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(name, value)| (&**name, &**value))
    }
}

impl<N: Into<Arc<str>>, V: Into<Arc<str>>> FromIterator<(N, V)> for Attributes {
    /// The map of `entries`; of entries naming one attribute twice, the last is kept. Sorted
    /// once, not inserted one by one: entries in any order (a damaged kept parse's, say)
    /// take n log n steps, not n².
    fn from_iter<T: IntoIterator<Item = (N, V)>>(entries: T) -> Attributes {
        let mut entries: Vec<(Arc<str>, Arc<str>)> =
            entries.into_iter().map(|(name, value)| (name.into(), value.into())).collect();
        // the last of each name first among its equals, then kept by `dedup_by`
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| later.0 == kept.0);
        Attributes(entries).fitted()
    }
}

/// One copy of each distinct string asked for: the column names and cell values a file's
/// rows repeat, shared by the documents, participants and Likert answers made of them.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings(HashSet<Arc<str>>);

impl SharedStrings {
    /// The shared copy of `text`.
    pub(crate) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = text.into();
        self.0.insert(Arc::clone(&shared));
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is inserted, in whatever order, the map answers as a `BTreeMap` does:
        /// the same entries in the same order, the same lookups, the same values replaced.
        #[test]
        fn attributes_behave_as_a_btree_map(
            entries in proptest::collection::vec(("[a-dé]{0,3}", "[xyz]{0,2}"), 0..24),
            probes in proptest::collection::vec("[a-dé]{0,3}", 0..8),
        ) {
            let mut ours = Attributes::new();
            let mut tree = std::collections::BTreeMap::new();
            for (name, value) in &entries {
                let replaced = ours.insert(name.as_str(), value.as_str());
                let expected = tree.insert(name.clone(), value.clone());
                prop_assert_eq!(replaced.as_deref(), expected.as_deref());
            }
            let listed: Vec<(&str, &str)> = ours.iter().collect();
            let expected: Vec<(&str, &str)> =
                tree.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            prop_assert_eq!(&listed, &expected);
            prop_assert_eq!((&ours).into_iter().collect::<Vec<_>>(), expected);
            prop_assert_eq!(ours.len(), tree.len());
            prop_assert_eq!(ours.is_empty(), tree.is_empty());
            for probe in probes.iter().chain(entries.iter().map(|(name, _)| name)) {
                prop_assert_eq!(ours.get(probe), tree.get(probe).map(String::as_str));
                prop_assert_eq!(ours.contains_key(probe), tree.contains_key(probe));
            }
            let collected: Attributes = entries.iter().cloned().collect();
            prop_assert_eq!(&collected, &ours);
            for probe in &probes {
                let mut expected = ours.clone();
                expected.insert(probe.as_str(), "new");
                prop_assert_eq!(ours.with(probe.as_str().into(), "new".into()), expected);
            }
        }
    }

    #[test]
    fn shared_strings_are_one_copy_each() {
        let mut shared = SharedStrings::default();
        let (a, b, c) = (shared.get("school"), shared.get("school"), shared.get("wave"));
        assert!(Arc::ptr_eq(&a, &b), "the same text shares one copy");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!((&*a, &*c), ("school", "wave"));
    }
}
