//! McNemar's test for paired binary outcomes (a theme mentioned before / after).
//!
//! With b = pairs mentioning the theme only before and c = only after, n = b + c:
//! - exact (conditional) p = min(1, 2·Binom(n, ½).cdf(min(b, c))) — McNemar 1947;
//! - mid-p = exact − Binom(n, ½).pmf(min(b, c)), and 1 − ½·pmf(b) when b = c —
//!   Fagerland, Lydersen & Laake 2013, BMC Med Res Methodol 13:91 (their recommendation);
//! - asymptotic χ² = (b − c)² / n on 1 df, and the continuity-corrected
//!   (|b − c| − 1)² / n — Edwards 1948 — applied only when b ≠ c, as R's `mcnemar.test`.
//!
//! When n = 0 nothing changed: every p is 1 and the χ² statistics are undefined.

use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, Discrete, DiscreteCDF};

/// McNemar's test on the discordant counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct McNemar {
    /// Pairs with the outcome before only.
    pub b: u64,
    /// Pairs with the outcome after only.
    pub c: u64,
    /// Exact conditional (binomial) two-sided p.
    pub exact_p: f64,
    /// Mid-p two-sided.
    pub mid_p: f64,
    /// (b − c)² / (b + c); `None` when b + c = 0.
    pub chi2: Option<f64>,
    /// p of `chi2` on 1 df (1 when undefined).
    pub chi2_p: f64,
    /// Continuity-corrected statistic (R's rule); `None` when b + c = 0.
    pub chi2_corrected: Option<f64>,
    /// p of `chi2_corrected` on 1 df (1 when undefined).
    pub chi2_corrected_p: f64,
}

/// McNemar's test for `b` (before only) and `c` (after only).
pub fn mcnemar(b: u64, c: u64) -> McNemar {
    let n = b + c;
    if n == 0 {
        return McNemar {
            b,
            c,
            exact_p: 1.0,
            mid_p: 1.0,
            chi2: None,
            chi2_p: 1.0,
            chi2_corrected: None,
            chi2_corrected_p: 1.0,
        };
    }
    let binomial = Binomial::new(0.5, n).expect("p = 0.5 is a valid probability");
    let k = b.min(c);
    let exact_p = (2.0 * binomial.cdf(k)).min(1.0);
    let mid_p =
        if b == c { 1.0 - 0.5 * binomial.pmf(b) } else { 2.0 * binomial.cdf(k) - binomial.pmf(k) };
    let chi_squared = ChiSquared::new(1.0).expect("1 degree of freedom is valid");
    let difference = b.abs_diff(c) as f64;
    let chi2 = difference * difference / n as f64;
    let corrected_difference = if b == c { 0.0 } else { difference - 1.0 };
    let chi2_corrected = corrected_difference * corrected_difference / n as f64;
    McNemar {
        b,
        c,
        exact_p,
        mid_p,
        chi2: Some(chi2),
        chi2_p: chi_squared.sf(chi2),
        chi2_corrected: Some(chi2_corrected),
        chi2_corrected_p: chi_squared.sf(chi2_corrected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_discordant_pairs_means_p_is_one() {
        let test = mcnemar(0, 0);
        assert_eq!((test.exact_p, test.mid_p, test.chi2), (1.0, 1.0, None));
    }

    #[test]
    fn equal_discordant_counts_are_not_corrected_below_zero() {
        let test = mcnemar(3, 3);
        assert_eq!(test.chi2_corrected, Some(0.0));
        assert_eq!(test.chi2_corrected_p, 1.0);
        assert_eq!(test.exact_p, 1.0);
    }

    #[test]
    fn textbook_example() {
        // b = 1, c = 9: exact p = 2·P(X ≤ 1 | n = 10) = 22/1024
        let test = mcnemar(1, 9);
        assert!((test.exact_p - 22.0 / 1024.0).abs() < 1e-15);
        assert!((test.mid_p - (22.0 - 10.0) / 1024.0).abs() < 1e-15);
        assert!((test.chi2.expect("defined") - 6.4).abs() < 1e-12);
    }
}
