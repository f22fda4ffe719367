//! Ranking stop and route search results. The database finds candidates (trigram matches, so
//! typos still find something); this decides their order, the way a person would: an exact
//! name or code first, then names that start with what was typed, then names with a word that
//! does, then anything containing it, then near misses.

/// How well `query` matches a candidate's fields (name first, then code and id). `None`: not
/// at all. Higher is better.
pub fn score(query: &str, name: &str, others: &[&str]) -> Option<f64> {
    let query = normalize(query);
    if query.is_empty() {
        return None;
    }
    let name = normalize(name);
    let exact_other = others.iter().any(|o| normalize(o) == query);
    let base = if name == query || exact_other {
        100.0
    } else if name.starts_with(&query) {
        80.0
    } else if name.split(|c: char| !c.is_alphanumeric()).any(|word| word.starts_with(&query)) {
        65.0
    } else if name.contains(&query) || others.iter().any(|o| normalize(o).starts_with(&query)) {
        50.0
    } else {
        let similarity = fuzzy(&query, &name);
        if similarity < 0.7 {
            return None;
        }
        20.0 + 25.0 * similarity
    };
    // Among equals, the shorter name is the closer one.
    Some(base - (name.chars().count() as f64 / 1000.0))
}

/// The results worth showing: when some match what was typed (as a prefix, a word or a
/// substring), near misses are left out.
pub fn keep_best<T>(scored: Vec<(f64, T)>) -> Vec<T> {
    let any_real_match = scored.iter().any(|(score, _)| *score >= 50.0);
    scored.into_iter().filter(|(score, _)| !any_real_match || *score >= 50.0).map(|(_, item)| item).collect()
}

/// Lower case, accents kept (they matter in names), runs of spaces collapsed.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The best similarity between the query and any same-length stretch of words of the name:
/// "milbrae" against "millbrae station" compares with "millbrae".
fn fuzzy(query: &str, name: &str) -> f64 {
    let words: Vec<&str> = name.split_whitespace().collect();
    let wanted = query.split_whitespace().count().max(1);
    let mut best = strsim::normalized_damerau_levenshtein(query, name);
    for window in words.windows(wanted.min(words.len()).max(1)) {
        best = best.max(strsim::normalized_damerau_levenshtein(query, &window.join(" ")));
    }
    best
}

/// The FTS5 query for candidates: any trigram of the query (quoted, so nothing in it is FTS
/// syntax). `None` for queries too short to have a trigram.
pub fn trigram_query(query: &str) -> Option<String> {
    let chars: Vec<char> = normalize(query).chars().collect();
    if chars.len() < 3 {
        return None;
    }
    let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect::<String>()).collect();
    grams.sort();
    grams.dedup();
    Some(grams.iter().map(|g| format!("\"{}\"", g.replace('"', "\"\""))).collect::<Vec<_>>().join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank<'a>(query: &str, names: &[&'a str]) -> Vec<&'a str> {
        let mut scored: Vec<(f64, &str)> = names.iter().filter_map(|n| Some((score(query, n, &[])?, *n))).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn exact_then_prefix_then_word_then_substring_then_typo() {
        let names = ["San Mateo", "Millbrae", "Millbrae Station", "South San Francisco", "Hillsdale", "Milpitas"];
        assert_eq!(rank("millbrae", &names), ["Millbrae", "Millbrae Station"]);
        assert_eq!(rank("mil", &names), ["Millbrae", "Milpitas", "Millbrae Station"]);
        assert_eq!(rank("san", &names)[..2], ["San Mateo", "South San Francisco"]);
        assert_eq!(rank("milbrae", &names)[0], "Millbrae", "one letter missing");
        assert_eq!(rank("hilsdale", &names), ["Hillsdale"]);
        assert!(rank("zzzz", &names).is_empty());
    }

    #[test]
    fn codes_and_ids_match_exactly() {
        assert_eq!(score("70011", "San Francisco", &["70011"]).map(|s| s > 99.0), Some(true));
    }

    #[test]
    fn trigram_queries_quote_everything() {
        assert_eq!(trigram_query("ab"), None);
        assert_eq!(trigram_query("a\"bc").unwrap(), "\"\"\"bc\" OR \"a\"\"b\"");
        assert_eq!(trigram_query("Mill").unwrap(), "\"ill\" OR \"mil\"");
    }
}
