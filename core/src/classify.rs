//! Classification of a canonical URL against a compiled bundle.

use crate::taxonomy::{Category, CategorySet};

/// What a classifier found for one URL: the union of the categories and
/// every match behind them (DESIGN.md invariant 3: every decision explains
/// itself).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Classification<'b> {
    /// The union of the categories of `matches`.
    pub categories: CategorySet,
    /// Every list entry that matched, in a deterministic order.
    pub matches: Vec<Match<'b>>,
}

/// One list entry that matched a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'b> {
    /// The name of the source list (as given when the bundle was compiled).
    pub list: &'b str,
    /// The category of that list.
    pub category: Category,
    /// The stable id of `category` (`local-…` names resolved from the bundle).
    pub category_id: &'b str,
    /// The lookup expression that hit (`host/path`), or for a sensitive list
    /// (`child-abuse`, `terrorism`) a digest id (`sha256:` + 16 hex digits),
    /// never the URL.
    pub expression: String,
}
