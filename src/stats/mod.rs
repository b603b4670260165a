//! Statistical tests and coefficients, each with its formula and source.
//!
//! Everything here is checked against scipy / statsmodels to 1e-9 by the reference fixtures
//! in `tests/fixtures/stats/` (see `make_reference.py` there). Conventions where the
//! references disagree or return NaN follow `shared/STATISTICS.md` and are stated on each
//! function.

pub mod adjust;
pub mod agreement;
pub mod contingency;
pub mod mcnemar;
pub mod wilcoxon;
