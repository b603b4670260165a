//! Intercoder agreement coefficients for nominal codes.
//!
//! - Percent agreement: share of units both coders put in the same category.
//! - Cohen's κ = (pₒ − pₑ)/(1 − pₑ), pₑ = Σₖ pₐ(k)·p_b(k) — Cohen 1960; as
//!   `sklearn.metrics.cohen_kappa_score`. When both coders use one and the same category
//!   (pₑ = 1) sklearn gives NaN; here κ = 1 when agreement is total (NVivo's convention) and
//!   undefined otherwise.
//! - Brennan & Prediger (1981) κ = (pₒ − 1/q)/(1 − 1/q) over q categories.
//! - Fleiss' κ (Fleiss 1971) for a fixed number of raters per unit: P̄ = mean over units of
//!   (Σⱼ nᵢⱼ² − n)/(n(n − 1)), P̄ₑ = Σⱼ pⱼ², κ = (P̄ − P̄ₑ)/(1 − P̄ₑ); Randolph's (2005)
//!   free-marginal version uses P̄ₑ = 1/q. As `statsmodels.stats.inter_rater.fleiss_kappa`
//!   with `method="fleiss"` / `"randolph"`.
//! - Krippendorff's α, nominal, any number of coders, missing values allowed
//!   (Krippendorff 2011; Hayes & Krippendorff 2007): from the coincidence matrix oₖₗ of
//!   pairable values (units with at least two values, each pair weighted 1/(mᵤ − 1)),
//!   α = 1 − (n − 1)·Σₖ≠ₗ oₖₗ / Σₖ≠ₗ nₖ·nₗ. As `krippendorff.alpha(level_of_measurement=
//!   "nominal")`. Undefined (`None`) when fewer than two values are pairable or only one
//!   category occurs.
//! - Interval for α: percentile bootstrap over units or clusters of units (Efron & Tibshirani
//!   1993, ch. 13), as Zapf et al. (2016, BMC Med Res Methodol 16:93) recommend for α with
//!   nominal data; seeded (ChaCha8), so the same data give the same interval.

/// Share of units on which two coders agree; `None` for no units.
pub fn percent_agreement(a: &[usize], b: &[usize]) -> Option<f64> {
    if a.is_empty() {
        return None;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    Some(same as f64 / a.len() as f64)
}

/// Cohen's κ for two coders' category indexes (same length); see the module notes for the
/// one-category case.
pub fn cohen_kappa(a: &[usize], b: &[usize]) -> Option<f64> {
    let categories = a.iter().chain(b).copied().max().map_or(0, |m| m + 1);
    let mut joint = vec![vec![0.0; categories]; categories];
    for (&x, &y) in a.iter().zip(b) {
        joint[x][y] += 1.0;
    }
    cohen_kappa_from_table(&joint)
}

/// Cohen's κ from the two coders' joint table (`joint[a][b]` = weight of units coder one put
/// in `a` and coder two in `b`; weights may be fractional, e.g. characters).
pub fn cohen_kappa_from_table(joint: &[Vec<f64>]) -> Option<f64> {
    let total: f64 = joint.iter().flatten().sum();
    if total <= 0.0 {
        return None;
    }
    let observed = (0..joint.len()).map(|k| joint[k][k]).sum::<f64>() / total;
    let expected: f64 = (0..joint.len())
        .map(|k| {
            let row: f64 = joint[k].iter().sum();
            let column: f64 = joint.iter().map(|r| r[k]).sum();
            row * column / (total * total)
        })
        .sum();
    if (1.0 - expected).abs() < 1e-15 {
        return (observed == 1.0).then_some(1.0);
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Brennan–Prediger κ for two coders over `q` categories.
pub fn brennan_prediger(a: &[usize], b: &[usize], q: usize) -> Option<f64> {
    if q < 2 {
        return None;
    }
    let chance = 1.0 / q as f64;
    Some((percent_agreement(a, b)? - chance) / (1.0 - chance))
}

/// Fleiss' κ (or Randolph's free-marginal κ when `free_marginal`) from counts: one row per
/// unit, one column per category, every row summing to the same number of raters (≥ 2).
pub fn fleiss_kappa(counts: &[Vec<usize>], free_marginal: bool) -> Option<f64> {
    let weighted: Vec<(Vec<usize>, f64)> = counts.iter().map(|row| (row.clone(), 1.0)).collect();
    fleiss_kappa_weighted(&weighted, free_marginal)
}

/// Fleiss' (or Randolph's) κ over weighted units: each row stands for `weight` identical
/// units (e.g. characters).
pub fn fleiss_kappa_weighted(rows: &[(Vec<usize>, f64)], free_marginal: bool) -> Option<f64> {
    let raters: usize = rows.first()?.0.iter().sum();
    let units: f64 = rows.iter().map(|(_, w)| w).sum();
    let categories = rows.first()?.0.len();
    if raters < 2 || units <= 0.0 || rows.iter().any(|(r, _)| r.iter().sum::<usize>() != raters) {
        return None;
    }
    let n = raters as f64;
    let agreement: f64 = rows
        .iter()
        .map(|(row, w)| {
            w * (row.iter().map(|&c| (c * c) as f64).sum::<f64>() - n) / (n * (n - 1.0))
        })
        .sum::<f64>()
        / units;
    let chance = if free_marginal {
        1.0 / categories as f64
    } else {
        (0..categories)
            .map(|j| {
                let p = rows.iter().map(|(r, w)| r[j] as f64 * w).sum::<f64>() / (units * n);
                p * p
            })
            .sum()
    };
    if (1.0 - chance).abs() < 1e-15 {
        return None;
    }
    Some((agreement - chance) / (1.0 - chance))
}

/// Krippendorff's α for nominal data: `data[coder][unit]` is a category index or `None`.
pub fn krippendorff_alpha(data: &[Vec<Option<usize>>]) -> Option<f64> {
    let units = data.iter().map(Vec::len).max().unwrap_or(0);
    let categories = data.iter().flatten().flatten().copied().max().map_or(0, |m| m + 1);
    let mut coincidence = vec![vec![0.0f64; categories]; categories];
    for unit in 0..units {
        let mut counts = vec![0; categories];
        for value in data.iter().filter_map(|coder| coder.get(unit).copied().flatten()) {
            counts[value] += 1;
        }
        add_coincidences(&mut coincidence, &counts, 1.0);
    }
    alpha_from_coincidences(&coincidence)
}

/// Add one unit's pairable values to a coincidence matrix: `counts[k]` coders put the unit
/// in category `k`; the unit stands for `weight` identical units (e.g. characters). Units
/// with fewer than two values are not pairable and add nothing. Coincidence matrices add
/// up, so a bootstrap can resample units (or clusters of units) by summing their matrices.
pub fn add_coincidences(coincidence: &mut [Vec<f64>], counts: &[usize], weight: f64) {
    let m: usize = counts.iter().sum();
    if m < 2 {
        return;
    }
    let share = weight / (m - 1) as f64;
    for (c, &nc) in counts.iter().enumerate() {
        for (k, &nk) in counts.iter().enumerate() {
            let pairs = if c == k { nc * nc.saturating_sub(1) } else { nc * nk };
            coincidence[c][k] += pairs as f64 * share;
        }
    }
}

/// Krippendorff's α (nominal) from a coincidence matrix; see the module notes.
pub fn alpha_from_coincidences(coincidence: &[Vec<f64>]) -> Option<f64> {
    let totals: Vec<f64> = coincidence.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = totals.iter().sum();
    let mut disagreement = 0.0;
    let mut expected = 0.0;
    for c in 0..coincidence.len() {
        for k in 0..coincidence.len() {
            if c != k {
                disagreement += coincidence[c][k];
                expected += totals[c] * totals[k];
            }
        }
    }
    if n < 2.0 || expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * disagreement / expected)
}

/// A seeded percentile bootstrap interval for α: `clusters` are the coincidence matrices of
/// independent clusters of units (a segment, or a segment's characters); each replicate
/// draws as many clusters with replacement, sums their matrices and computes α. Returns the
/// 2.5th and 97.5th percentiles (linear interpolation between order statistics, numpy's
/// default) of the replicates where α is defined; `None` when fewer than half are.
pub fn bootstrap_alpha(
    clusters: &[Vec<Vec<f64>>],
    replicates: usize,
    seed: u64,
) -> Option<(f64, f64)> {
    use rand::{Rng, SeedableRng};
    let categories = clusters.first()?.len();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut alphas = Vec::with_capacity(replicates);
    let mut sum = vec![vec![0.0; categories]; categories];
    for _ in 0..replicates {
        sum.iter_mut().flatten().for_each(|x| *x = 0.0);
        for _ in 0..clusters.len() {
            let drawn = &clusters[rng.random_range(0..clusters.len())];
            for (total, row) in sum.iter_mut().zip(drawn) {
                total.iter_mut().zip(row).for_each(|(t, x)| *t += x);
            }
        }
        alphas.extend(alpha_from_coincidences(&sum));
    }
    if alphas.len() * 2 < replicates {
        return None;
    }
    alphas.sort_by(f64::total_cmp);
    Some((percentile(&alphas, 0.025), percentile(&alphas, 0.975)))
}

/// The `q` quantile of sorted values, interpolating linearly between order statistics.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (below, fraction) = (position.floor() as usize, position.fract());
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + fraction * (sorted[above] - sorted[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_coders_agree_perfectly() {
        let a = [0, 1, 1, 2, 0];
        assert_eq!(cohen_kappa(&a, &a), Some(1.0));
        let data = vec![a.iter().map(|&x| Some(x)).collect::<Vec<_>>(); 3];
        assert_eq!(krippendorff_alpha(&data), Some(1.0));
    }

    #[test]
    fn one_category_for_both_coders_is_total_agreement() {
        assert_eq!(cohen_kappa(&[1, 1, 1], &[1, 1, 1]), Some(1.0));
        assert_eq!(krippendorff_alpha(&[vec![Some(1), Some(1)], vec![Some(1), Some(1)]]), None);
    }

    #[test]
    fn nvivo_character_level_example() {
        // 1,000 characters, 100 coded by each coder, 50 by both: agreement 90%, κ = 0.444
        let a: Vec<usize> = (0..1000).map(|i| usize::from(i < 100)).collect();
        let b: Vec<usize> = (0..1000).map(|i| usize::from((50..150).contains(&i))).collect();
        assert!((percent_agreement(&a, &b).expect("units") - 0.9).abs() < 1e-12);
        assert!((cohen_kappa(&a, &b).expect("defined") - 0.4444444444444444).abs() < 1e-12);
    }
}
