//! Average ranks with ties, as the rank tests use them.

/// Ranks (1-based, ties get the average of the ranks they span) of `values` in input order,
/// and the size of every group of tied values (groups of one included).
pub(crate) fn average_ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut groups = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their average:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &index in &order[start..end] {
            ranks[index] = rank;
        }
        groups.push(end - start);
        start = end;
    }
    (ranks, groups)
}

/// Σ (t³ − t) over the tie groups, the tie correction of the normal approximations.
pub(crate) fn tie_term(groups: &[usize]) -> f64 {
    groups
        .iter()
        .map(|&size| {
            let size = size as f64;
            size * size * size - size
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_average_rank() {
        let (ranks, groups) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(ranks, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(groups, vec![1, 1, 3]);
        assert_eq!(tie_term(&groups), 24.0);
        assert_eq!(average_ranks(&[]), (vec![], vec![]));
    }
}
