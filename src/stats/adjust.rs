//! Adjusting p-values across a family of tests (all codes in one comparison).
//!
//! - Holm 1979 (family-wise error): sort ascending, p₍ᵢ₎·(m − i + 1) for i = 1…m, running
//!   maximum, capped at 1.
//! - Benjamini & Hochberg 1995 (false discovery rate): p₍ᵢ₎·m / i, running minimum from the
//!   largest down, capped at 1.
//!
//! As `statsmodels.stats.multitest.multipletests(p, method="holm" | "fdr_bh")`. Missing
//! p-values (`None`, e.g. a code nobody mentioned) are left out of the family and stay `None`.

/// How to adjust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjustment {
    /// Holm's step-down (the default).
    Holm,
    /// Benjamini–Hochberg step-up.
    BenjaminiHochberg,
    /// No adjustment.
    None,
}

impl Adjustment {
    /// Name for table notes.
    pub fn describe(self) -> &'static str {
        match self {
            Adjustment::Holm => "Holm (1979)",
            Adjustment::BenjaminiHochberg => "Benjamini–Hochberg (1995)",
            Adjustment::None => "none",
        }
    }
}

/// Adjusted p-values in the input order.
pub fn adjust(p: &[Option<f64>], method: Adjustment) -> Vec<Option<f64>> {
    let mut present: Vec<(usize, f64)> =
        p.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    present.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let m = present.len();
    let mut adjusted = vec![None; p.len()];
    match method {
        Adjustment::None => return p.to_vec(),
        Adjustment::Holm => {
            let mut running: f64 = 0.0;
            for (rank, (index, value)) in present.iter().enumerate() {
                running = running.max(value * (m - rank) as f64);
                adjusted[*index] = Some(running.min(1.0));
            }
        }
        Adjustment::BenjaminiHochberg => {
            let mut running: f64 = 1.0;
            for (rank, (index, value)) in present.iter().enumerate().rev() {
                running = running.min(value * m as f64 / (rank + 1) as f64);
                adjusted[*index] = Some(running.min(1.0));
            }
        }
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_and_bh_on_a_small_family() {
        let p = [Some(0.01), Some(0.04), None, Some(0.03)];
        let holm = adjust(&p, Adjustment::Holm);
        assert_eq!(holm, [Some(0.03), Some(0.06), None, Some(0.06)]);
        let bh = adjust(&p, Adjustment::BenjaminiHochberg);
        assert_eq!(bh[0], Some(0.03));
        assert!((bh[1].expect("p") - 0.04).abs() < 1e-15);
        assert!((bh[3].expect("p") - 0.04).abs() < 1e-15);
    }
}
