//! Reports: pure functions from records to figures. No I/O.

pub mod backtest;
pub mod checklist;
pub mod forecast;
pub mod html;
pub mod insights;
pub mod monthly;
pub mod personas;
pub mod pipeline;
pub mod record;
pub mod svg;

/// The median of some numbers, or `None` when there are none. Found by
/// selection, not a sort: the funnel's medians run over a value per visit,
/// hundreds of thousands of them in a large book.
pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let n = xs.len();
    let (below, mid, _) = xs.select_nth_unstable_by(n / 2, f64::total_cmp);
    let mid = *mid;
    Some(if n % 2 == 1 {
        mid
    } else {
        // The element just below the middle is the largest of those before it.
        let low = below.iter().copied().max_by(f64::total_cmp).unwrap_or(mid);
        (low + mid) / 2.0
    })
}

/// `a / b`, or `None` when `b` is zero.
pub fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Rounds to two decimals, for stable JSON.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 10.0]), Some(3.0));
        assert_eq!(median(vec![2.0, 2.0, 1.0, 5.0, 2.0, 9.0]), Some(2.0));
    }

    /// Selection gives what sorting would, on many sizes and repeats.
    #[test]
    fn medians_agree_with_sorting() {
        let mut x: u64 = 7;
        for n in 1..200usize {
            let xs: Vec<f64> = (0..n)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((x >> 33) % 17) as f64 - 4.5
                })
                .collect();
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let want = if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            };
            assert_eq!(median(xs), Some(want), "n = {n}");
        }
    }

    #[test]
    fn ratios() {
        assert_eq!(ratio(1, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
