//! Wilcoxon signed-rank test on paired differences d = after − before.
//!
//! Ranks are mid-ranks of |d| (Wilcoxon 1945). W⁺ and W⁻ are the rank sums of positive and
//! negative differences; the statistic reported is T = min(W⁺, W⁻). Zeros are handled as in
//! scipy: `Wilcox` drops them (the default), `Pratt` (1959) ranks them but counts them on
//! neither side, `ZeroSplit` gives half of their ranks to each side.
//!
//! The two-sided p follows `scipy.stats.wilcoxon(d, method="auto", correction=False)`
//! (SciPy 1.17):
//! - n ≤ 50 (all differences, zeros included) with no ties and no zeros: the exact null
//!   distribution of W⁺ (counts of subsets of 1…n by sum), p = 2·min(P(W⁺ ≥ ⌊w⌋), P(W⁺ ≤ ⌈w⌉));
//! - n ≤ 13 with ties or zeros: all 2ⁿ sign flips of d enumerated, p = 2·min(share ≤ w,
//!   share ≥ w);
//! - otherwise the normal approximation z = (W⁺ − μ)/σ with μ = n(n+1)/4 and
//!   σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups t (Pratt: minus the zeros' share,
//!   Cureton 1967), p = 2·(1 − Φ(|z|)); with `continuity`, |z| is reduced by 0.5/σ.
//!
//! The matched-pairs rank-biserial r = (W⁺ − W⁻)/(W⁺ + W⁻) (Kerby 2014) is the effect size.
//! When every difference is zero there is no test: `p` is `None` ("no change").

use statrs::distribution::{ContinuousCDF, Normal};

/// How zero differences are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZeroMethod {
    /// Drop zeros (Wilcoxon; scipy's default).
    Wilcox,
    /// Rank zeros, then leave them out of both sums (Pratt).
    Pratt,
    /// Split the zeros' ranks evenly between the sums.
    ZeroSplit,
}

/// How the p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exact null distribution (no ties, no zeros, n ≤ 50).
    Exact,
    /// Enumeration of all sign flips (n ≤ 13 with ties or zeros).
    SignFlips,
    /// Normal approximation with tie correction.
    Normal,
}

impl Method {
    /// Name for table notes.
    pub fn describe(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::SignFlips => "exact by sign-flip enumeration",
            Method::Normal => "normal approximation",
        }
    }
}

/// The result of the test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wilcoxon {
    /// Number of differences (zeros included).
    pub n: usize,
    /// Number of zero differences.
    pub zeros: usize,
    /// Rank sum of positive differences.
    pub w_plus: f64,
    /// Rank sum of negative differences.
    pub w_minus: f64,
    /// min(W⁺, W⁻).
    pub statistic: f64,
    /// Two-sided p; `None` when all differences are zero.
    pub p: Option<f64>,
    /// z of the normal approximation (when used).
    pub z: Option<f64>,
    /// How p was computed.
    pub method: Method,
    /// (W⁺ − W⁻)/(W⁺ + W⁻); `None` when all differences are zero.
    pub rank_biserial: Option<f64>,
}

/// The test on differences `d`, with scipy's defaults for the method.
pub fn wilcoxon(d: &[f64], zeros: ZeroMethod, continuity: bool) -> Wilcoxon {
    let n = d.len();
    let zero_count = d.iter().filter(|&&x| x == 0.0).count();
    let sums = rank_sums(d, zeros);
    let mut result = Wilcoxon {
        n,
        zeros: zero_count,
        w_plus: sums.plus,
        w_minus: sums.minus,
        statistic: sums.plus.min(sums.minus),
        p: None,
        z: None,
        method: Method::Normal,
        rank_biserial: None,
    };
    if zero_count == n {
        return result;
    }
    result.rank_biserial = Some((sums.plus - sums.minus) / (sums.plus + sums.minus));
    let has_ties = sums.tie_groups.iter().any(|&t| t > 1);
    if n <= 50 && !has_ties && zero_count == 0 {
        result.method = Method::Exact;
        result.p = Some(exact_p(sums.count, sums.plus));
    } else if n <= 13 {
        result.method = Method::SignFlips;
        result.p = Some(sign_flip_p(d, zeros, sums.plus));
    } else {
        let (z, p) = normal_p(&sums, continuity);
        result.z = Some(z);
        result.p = p;
    }
    result
}

struct RankSums {
    plus: f64,
    minus: f64,
    /// Differences ranked (non-zero for `Wilcox`, all otherwise).
    count: usize,
    /// Sizes of groups of equal |d| among the ranked (zeros excluded for `Pratt`).
    tie_groups: Vec<usize>,
    zeros: usize,
    method: ZeroMethod,
}

fn rank_sums(d: &[f64], method: ZeroMethod) -> RankSums {
    let ranked: Vec<f64> = match method {
        ZeroMethod::Wilcox => d.iter().copied().filter(|&x| x != 0.0).collect(),
        _ => d.to_vec(),
    };
    let (ranks, groups) = mid_ranks(&ranked);
    let mut plus = 0.0;
    let mut minus = 0.0;
    let mut zero_ranks = 0.0;
    for (x, rank) in ranked.iter().zip(&ranks) {
        if *x > 0.0 {
            plus += rank;
        } else if *x < 0.0 {
            minus += rank;
        } else {
            zero_ranks += rank;
        }
    }
    if method == ZeroMethod::ZeroSplit {
        plus += zero_ranks / 2.0;
        minus += zero_ranks / 2.0;
    }
    let zeros = ranked.iter().filter(|&&x| x == 0.0).count();
    let tie_groups = groups
        .into_iter()
        .filter(|(value, _)| !(method == ZeroMethod::Pratt && *value == 0.0))
        .map(|(_, size)| size)
        .collect();
    RankSums { plus, minus, count: ranked.len(), tie_groups, zeros, method }
}

/// Mid-ranks of |x| and the (|x|, size) of each group of equal values.
fn mid_ranks(x: &[f64]) -> (Vec<f64>, Vec<(f64, usize)>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].abs().total_cmp(&x[b].abs()));
    let mut ranks = vec![0.0; x.len()];
    let mut groups = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let value = x[order[start]].abs();
        let mut end = start;
        while end + 1 < order.len() && x[order[end + 1]].abs() == value {
            end += 1;
        }
        let rank = (start + end) as f64 / 2.0 + 1.0;
        for &i in &order[start..=end] {
            ranks[i] = rank;
        }
        groups.push((value, end - start + 1));
        start = end + 1;
    }
    (ranks, groups)
}

/// Number of subsets of {1…n} with each sum, as probabilities (÷ 2ⁿ).
fn null_distribution(n: usize) -> Vec<f64> {
    let max = n * (n + 1) / 2;
    let mut counts = vec![0u64; max + 1];
    counts[0] = 1;
    for k in 1..=n {
        for s in (k..=max).rev() {
            counts[s] += counts[s - k];
        }
    }
    let total = 2f64.powi(n as i32);
    counts.into_iter().map(|c| c as f64 / total).collect()
}

fn exact_p(n: usize, w_plus: f64) -> f64 {
    let pmf = null_distribution(n);
    let mean = n as f64 * (n as f64 + 1.0) / 4.0;
    // as scipy: sum the tail on the near side of the mean, complement on the far side
    let cdf = |k: i64| -> f64 {
        if k < 0 {
            return 0.0;
        }
        let k = k as usize;
        if (k as f64) <= mean {
            pmf[..=k.min(pmf.len() - 1)].iter().sum()
        } else {
            1.0 - pmf[(k + 1).min(pmf.len())..].iter().sum::<f64>()
        }
    };
    let sf = |k: i64| -> f64 {
        let k = k.max(0) as usize;
        if (k as f64) <= mean {
            pmf[k.min(pmf.len())..].iter().sum()
        } else {
            1.0 - cdf(k as i64 - 1)
        }
    };
    let p = 2.0 * sf(w_plus.floor() as i64).min(cdf(w_plus.ceil() as i64));
    p.clamp(0.0, 1.0)
}

/// Two-sided p over all 2ⁿ sign flips of `d` (zeros stay zero), as scipy's permutation test.
fn sign_flip_p(d: &[f64], method: ZeroMethod, observed: f64) -> f64 {
    let n = d.len();
    let total = 1usize << n;
    let tolerance = observed.abs() * 1e-12;
    let (mut less, mut greater) = (0usize, 0usize);
    let mut flipped = d.to_vec();
    for mask in 0..total {
        for (i, value) in d.iter().enumerate() {
            flipped[i] = if mask >> i & 1 == 1 { -value } else { *value };
        }
        let w = rank_sums(&flipped, method).plus;
        if w <= observed + tolerance {
            less += 1;
        }
        if w >= observed - tolerance {
            greater += 1;
        }
    }
    (2.0 * less.min(greater) as f64 / total as f64).min(1.0)
}

fn normal_p(sums: &RankSums, continuity: bool) -> (f64, Option<f64>) {
    let n = sums.count as f64;
    let mut mean = n * (n + 1.0) / 4.0;
    let mut variance_24 = n * (n + 1.0) * (2.0 * n + 1.0);
    if sums.method == ZeroMethod::Pratt {
        let zeros = sums.zeros as f64;
        mean -= zeros * (zeros + 1.0) / 4.0;
        variance_24 -= zeros * (zeros + 1.0) * (2.0 * zeros + 1.0);
    }
    let ties: f64 = sums.tie_groups.iter().map(|&t| (t * t * t - t) as f64).sum();
    let sigma = ((variance_24 - ties / 2.0) / 24.0).sqrt();
    if sigma <= 0.0 || !sigma.is_finite() {
        return (f64::NAN, None);
    }
    let mut z = (sums.plus - mean) / sigma;
    if continuity && z != 0.0 {
        // numpy's sign(0) is 0: no correction at the centre (Rust's signum(0.0) would be 1)
        z -= z.signum() * 0.5 / sigma;
    }
    let normal = Normal::standard();
    (-z.abs(), Some((2.0 * normal.sf(z.abs())).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_distribution_of_three() {
        // subsets of {1,2,3}: sums 0,1,2,3,3,4,5,6
        let pmf = null_distribution(3);
        let counts: Vec<f64> = pmf.iter().map(|p| p * 8.0).collect();
        assert_eq!(counts, [1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn all_zero_differences_have_no_p() {
        let result = wilcoxon(&[0.0, 0.0, 0.0], ZeroMethod::Wilcox, false);
        assert_eq!(result.p, None);
        assert_eq!(result.rank_biserial, None);
    }

    #[test]
    fn mid_ranks_average_ties() {
        let (ranks, groups) = mid_ranks(&[3.0, -1.0, 1.0, 2.0]);
        assert_eq!(ranks, [4.0, 1.5, 1.5, 3.0]);
        assert_eq!(groups.iter().map(|g| g.1).collect::<Vec<_>>(), [2, 1, 1]);
    }
}
