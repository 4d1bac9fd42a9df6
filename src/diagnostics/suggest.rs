//! Did-you-mean suggestions.
//!
//! Follows gleam's order: a case-insensitive match wins, then the closest
//! candidate within an edit distance of `max(len / 3, 1)`.

/// The candidate closest to `name`, if one is close enough to be a likely
/// typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        if candidate.eq_ignore_ascii_case(name) {
            return Some(candidate);
        }
        // Optimal string alignment: a swapped pair of letters counts as one edit.
        let distance = strsim::osa_distance(name, candidate);
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    fn check(name: &str, candidates: &[&str], expect: Option<&str>) {
        assert_eq!(did_you_mean(name, candidates.iter().copied()), expect);
    }

    #[test]
    fn suggestions() {
        check("buckt", &["bucket", "queue"], Some("bucket"));
        check("BUCKET", &["bucket"], Some("bucket"));
        check("zzz", &["bucket"], None);
        check("a", &["b", "c"], Some("b"));
        check("stgae", &["stage"], Some("stage"));
        check("bucket", &["bucket"], None);
    }
}
