//! Finds the lines of keys and rules in TOML or JSON text.

use std::collections::HashMap;

/// Whether `line` sets `key` (TOML `key =`, `[[key]]`, JSON `"key":`).
pub(super) fn is_key(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let rest = if let Some(r) = t
        .strip_prefix('"')
        .and_then(|r| r.strip_prefix(key))
        .and_then(|r| r.strip_prefix('"'))
    {
        r
    } else if let Some(r) = t.strip_prefix(key) {
        r
    } else if let Some(r) = t.strip_prefix("[[").and_then(|r| r.strip_prefix(key)) {
        return r.trim_start().starts_with("]]");
    } else {
        return false;
    };
    let r = rest.trim_start();
    r.starts_with('=') || r.starts_with(':')
}

/// The lines of a policy's text, with the line of each rule found in one
/// pass.
pub(super) struct Lines<'a> {
    pub(super) lines: Vec<&'a str>,
    /// The line of the first `rules` key (1 if none).
    rules_from: usize,
    /// Per string quoted on an `id` line at or after `rules_from`, the
    /// first such line.
    quoted: HashMap<&'a str, usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        let lines: Vec<&'a str> = text.lines().collect();
        let rules_from = first_key(&lines, "rules");
        let mut quoted: HashMap<&'a str, usize> = HashMap::new();
        for (i, line) in lines.iter().enumerate().skip(rules_from.saturating_sub(1)) {
            if !is_key(line, "id") {
                continue;
            }
            // `"x"` occurs in a line exactly where two consecutive quotes
            // enclose `x` (an id holds no quote), so these are the ids the
            // line quotes.
            for quote in ['"', '\''] {
                let at: Vec<usize> = line.match_indices(quote).map(|(p, _)| p).collect();
                for pair in at.windows(2) {
                    if let [a, b] = pair
                        && let Some(inner) = line.get(a + 1..*b)
                    {
                        quoted.entry(inner).or_insert(i + 1);
                    }
                }
            }
        }
        Lines {
            lines,
            rules_from,
            quoted,
        }
    }

    /// The first line setting `key`, or 1.
    pub(super) fn key(&self, key: &str) -> usize {
        first_key(&self.lines, key)
    }

    /// The line of the rule with this id: its first `id` line at or after
    /// the `rules` key (that line when none).
    pub(super) fn rule(&self, id: &str) -> usize {
        self.quoted
            .get(id)
            .copied()
            .unwrap_or(self.rules_from.max(1))
    }

    /// The line the old search finds, scanning from the `rules` key.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(super) fn rule_by_scan(&self, id: &str) -> usize {
        super::pairwise::rule_line(&self.lines, id, self.rules_from)
    }
}

fn first_key(lines: &[&str], key: &str) -> usize {
    lines
        .iter()
        .position(|l| is_key(l, key))
        .map_or(1, |i| i + 1)
}
