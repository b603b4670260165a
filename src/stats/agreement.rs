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
    let n = a.len() as f64;
    let observed = percent_agreement(a, b)?;
    let categories = a.iter().chain(b).copied().max().map_or(0, |m| m + 1);
    let mut expected = 0.0;
    for k in 0..categories {
        let pa = a.iter().filter(|&&x| x == k).count() as f64 / n;
        let pb = b.iter().filter(|&&x| x == k).count() as f64 / n;
        expected += pa * pb;
    }
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
    let raters: usize = counts.first()?.iter().sum();
    let units = counts.len() as f64;
    let categories = counts.first()?.len();
    if raters < 2 || counts.iter().any(|r| r.iter().sum::<usize>() != raters) {
        return None;
    }
    let n = raters as f64;
    let agreement: f64 = counts
        .iter()
        .map(|row| (row.iter().map(|&c| (c * c) as f64).sum::<f64>() - n) / (n * (n - 1.0)))
        .sum::<f64>()
        / units;
    let chance = if free_marginal {
        1.0 / categories as f64
    } else {
        (0..categories)
            .map(|j| {
                let p = counts.iter().map(|r| r[j]).sum::<usize>() as f64 / (units * n);
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
        let values: Vec<usize> =
            data.iter().filter_map(|coder| coder.get(unit).copied().flatten()).collect();
        let m = values.len();
        if m < 2 {
            continue;
        }
        for (i, &c) in values.iter().enumerate() {
            for (j, &k) in values.iter().enumerate() {
                if i != j {
                    coincidence[c][k] += 1.0 / (m - 1) as f64;
                }
            }
        }
    }
    let totals: Vec<f64> = coincidence.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = totals.iter().sum();
    let mut disagreement = 0.0;
    let mut expected = 0.0;
    for c in 0..categories {
        for k in 0..categories {
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
