//! Contingency tables (codes × groups): Pearson's χ², Fisher's exact test, Cramér's V.
//!
//! - Pearson χ² = Σ (O − E)²/E with E = row·col/N on (r − 1)(c − 1) df; with Yates's
//!   correction (2×2 only: |O − E| reduced by ½, never past 0), as
//!   `scipy.stats.chi2_contingency(t, correction=...)`.
//! - Cramér's V = √(χ²/(N·(min(r, c) − 1))) from the uncorrected χ² (Cramér 1946), as
//!   `scipy.stats.contingency.association(t, method="cramer")`.
//! - Fisher's exact test (Fisher 1922) for 2×2, Freeman–Halton (1951) for r×c, by full
//!   enumeration of the tables with the observed margins: p = Σ P(t) over tables with
//!   P(t) ≤ P(observed)·(1 + 10⁻⁷), the relative tolerance of R's `fisher.test`. For 2×2 this
//!   equals `scipy.stats.fisher_exact` two-sided. Enumeration stops after 5,000,000 tables
//!   (then `None`: use χ²).
//! - Cochran's (1954) rule decides which to report: exact when any expected count is below 1
//!   or more than 20% are below 5.

use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::factorial::ln_factorial;

/// Most tables the exact test enumerates before giving up.
pub const MAX_TABLES: u64 = 5_000_000;

/// Pearson's χ² test of independence.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail p on `df` degrees of freedom (1 when df = 0 or the statistic is undefined).
    pub p: f64,
    /// Expected counts under independence.
    pub expected: Vec<Vec<f64>>,
}

impl ChiSquare {
    /// Whether Cochran's rule asks for an exact test instead.
    pub fn expected_too_small(&self) -> bool {
        let cells: Vec<f64> = self.expected.iter().flatten().copied().collect();
        let small = cells.iter().filter(|&&e| e < 5.0).count();
        cells.iter().any(|&e| e < 1.0) || small as f64 > 0.2 * cells.len() as f64
    }
}

fn margins(table: &[Vec<u64>]) -> (Vec<u64>, Vec<u64>, u64) {
    let rows: Vec<u64> = table.iter().map(|r| r.iter().sum()).collect();
    let columns: Vec<u64> =
        (0..table.first().map_or(0, Vec::len)).map(|j| table.iter().map(|r| r[j]).sum()).collect();
    let total = rows.iter().sum();
    (rows, columns, total)
}

/// Pearson's χ² for `table` (rows × columns), with Yates's correction when `yates` and
/// df = 1. Cells of an all-zero row or column (expected count 0) add nothing, and such a
/// table gets p = 1.
pub fn chi_square(table: &[Vec<u64>], yates: bool) -> ChiSquare {
    let (rows, columns, total) = margins(table);
    let n = total as f64;
    let expected: Vec<Vec<f64>> = rows
        .iter()
        .map(|&r| {
            columns
                .iter()
                .map(|&c| if total == 0 { 0.0 } else { r as f64 * c as f64 / n })
                .collect()
        })
        .collect();
    let df = rows.len().saturating_sub(1) * columns.len().saturating_sub(1);
    let mut statistic = 0.0;
    for (observed_row, expected_row) in table.iter().zip(&expected) {
        for (&o, &e) in observed_row.iter().zip(expected_row) {
            if e == 0.0 {
                continue;
            }
            let mut difference = (o as f64 - e).abs();
            if yates && df == 1 {
                difference = (difference - 0.5).max(0.0);
            }
            statistic += difference * difference / e;
        }
    }
    let degenerate = df == 0 || rows.contains(&0) || columns.contains(&0);
    let p = if degenerate {
        1.0
    } else {
        ChiSquared::new(df as f64).expect("df ≥ 1 is valid").sf(statistic)
    };
    ChiSquare { statistic, df, p, expected }
}

/// Cramér's V from the uncorrected χ²; `None` when N = 0 or min(r, c) < 2.
pub fn cramers_v(table: &[Vec<u64>]) -> Option<f64> {
    let (rows, columns, total) = margins(table);
    let k = rows.iter().filter(|&&r| r > 0).count().min(columns.iter().filter(|&&c| c > 0).count());
    if total == 0 || k < 2 {
        return None;
    }
    let chi2 = chi_square(table, false).statistic;
    Some((chi2 / (total as f64 * (rows.len().min(columns.len()) - 1) as f64)).sqrt())
}

/// Fisher's (2×2) or Freeman–Halton's (r×c) exact two-sided p; `None` past [`MAX_TABLES`].
pub fn fisher_exact(table: &[Vec<u64>]) -> Option<f64> {
    let (rows, columns, total) = margins(table);
    if total == 0 {
        return Some(1.0);
    }
    let constant: f64 =
        rows.iter().chain(&columns).map(|&m| ln_factorial(m)).sum::<f64>() - ln_factorial(total);
    let observed = constant - table.iter().flatten().map(|&v| ln_factorial(v)).sum::<f64>();
    let mut search = Enumeration {
        columns: &columns,
        threshold: observed + 1e-7f64.ln_1p(),
        total: 0.0,
        tables: 0,
    };
    search.column(0, rows, constant).then(|| search.total.min(1.0))
}

struct Enumeration<'a> {
    columns: &'a [u64],
    threshold: f64,
    total: f64,
    tables: u64,
}

impl Enumeration<'_> {
    /// Fill column `j` given what is left of each row; false when the cap is reached.
    fn column(&mut self, j: usize, rows_left: Vec<u64>, log_p: f64) -> bool {
        if j + 1 == self.columns.len() {
            self.tables += 1;
            if self.tables > MAX_TABLES {
                return false;
            }
            let log_p = log_p - rows_left.iter().map(|&v| ln_factorial(v)).sum::<f64>();
            if log_p <= self.threshold {
                self.total += log_p.exp();
            }
            return true;
        }
        let mut cells = vec![0; rows_left.len()];
        self.parts(j, 0, self.columns[j], &rows_left, &mut cells, log_p)
    }

    /// Split `remaining` of column `j` over rows `i…`, each at most what the row has left.
    fn parts(
        &mut self,
        j: usize,
        i: usize,
        remaining: u64,
        rows_left: &[u64],
        cells: &mut Vec<u64>,
        log_p: f64,
    ) -> bool {
        if i + 1 == rows_left.len() {
            if remaining > rows_left[i] {
                return true;
            }
            cells[i] = remaining;
            let next: Vec<u64> = rows_left.iter().zip(cells.iter()).map(|(r, c)| r - c).collect();
            return self.column(j + 1, next, log_p - ln_factorial(remaining));
        }
        let capacity_after: u64 = rows_left[i + 1..].iter().sum();
        let low = remaining.saturating_sub(capacity_after);
        for x in low..=remaining.min(rows_left[i]) {
            cells[i] = x;
            if !self.parts(j, i + 1, remaining - x, rows_left, cells, log_p - ln_factorial(x)) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lady_tasting_tea() {
        // Fisher's 2×2: [[3, 1], [1, 3]] two-sided p = 0.4857…
        let p = fisher_exact(&[vec![3, 1], vec![1, 3]]).expect("small");
        assert!((p - 34.0 / 70.0).abs() < 1e-12, "{p}");
    }

    #[test]
    fn chi_square_of_a_2x2_with_and_without_yates() {
        let table = [vec![10, 20], vec![20, 10]];
        let plain = chi_square(&table, false);
        assert!((plain.statistic - 6.666_666_666_666_667).abs() < 1e-12);
        let corrected = chi_square(&table, true);
        assert!((corrected.statistic - 5.4).abs() < 1e-12);
        assert!(
            (cramers_v(&table).expect("v") - (6.666_666_666_666_667f64 / 60.0).sqrt()).abs()
                < 1e-12
        );
    }

    #[test]
    fn empty_table_is_not_significant() {
        assert_eq!(fisher_exact(&[vec![0, 0], vec![0, 0]]), Some(1.0));
        assert_eq!(chi_square(&[vec![0, 0], vec![0, 0]], false).p, 1.0);
        assert_eq!(cramers_v(&[vec![0, 0], vec![0, 0]]), None);
    }
}
