//! "Did you mean" hints for user-facing errors (unknown configuration keys, unknown rule ids).

/// The candidate nearest to `word` (edit distance ≤ 2, ASCII case ignored), for a single hint.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Up to `max` candidates near `word`, best first: those starting with `word` (so `NET07`
/// lists NET070…NET076) when there are any, else those within edit distance 2.
pub fn close_matches<'a>(word: &str, candidates: &[&'a str], max: usize) -> Vec<&'a str> {
    let upper = word.to_ascii_uppercase();
    let mut prefixed: Vec<&'a str> = candidates
        .iter()
        .filter(|c| !upper.is_empty() && c.to_ascii_uppercase().starts_with(&upper))
        .copied()
        .collect();
    if !prefixed.is_empty() {
        prefixed.sort();
        prefixed.truncate(max);
        return prefixed;
    }
    let mut scored: Vec<(usize, &'a str)> = candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= 2)
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// Levenshtein distance over chars, ignoring ASCII case.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("NET700", "NET070"), 2);
        assert_eq!(distance("net070", "NET070"), 0);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn closest_and_prefix_matches() {
        let ids = ["NET001", "NET070", "NET071", "NET072", "NET090"];
        assert_eq!(closest("fail-on", &["fail_on", "rule"]), Some("fail_on"));
        assert_eq!(closest("zzzzzz", &["fail_on"]), None);
        assert_eq!(
            close_matches("NET07", &ids, 5),
            vec!["NET070", "NET071", "NET072"]
        );
        assert!(close_matches("NET700", &ids, 5).contains(&"NET070"));
        assert!(close_matches("XYZ123", &ids, 5).is_empty());
    }
}
