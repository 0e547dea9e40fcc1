//! Category ids and the [`CategorySet`] bitset.
//!
//! The ids are stable and shared by every face (DESIGN.md, "Category ids").
//! Built-in categories have fixed bit positions `0..32`; a bundle defines
//! as many local categories (ids starting `local-`) as its lists name, up
//! to [`MAX_LOCAL_CATEGORIES`] (one per list at most), which take bits
//! `32, 33, …` in the order the bundle lists them. A vendor taxonomy of a
//! thousand categories fits: the set keeps the first 64 bits inline and
//! allocates only for a URL in a local category past the 32nd.

use std::fmt;

/// How many `local-` categories one bundle may define: one per source
/// list, as many as a bundle holds lists.
///
/// ```
/// use esafety::bundle::{Bundle, BundleBuilder};
/// use esafety::taxonomy::MAX_LOCAL_CATEGORIES;
/// assert_eq!(MAX_LOCAL_CATEGORIES, 65_535);
/// // A thousand local categories in one bundle.
/// let mut b = BundleBuilder::new();
/// for i in 0..1000 {
///     b.add_list(&format!("list-{i}"), &format!("local-c{i}"))?;
/// }
/// let bundle = Bundle::from_bytes(b.build()?)?;
/// assert_eq!(bundle.local_categories().len(), 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MAX_LOCAL_CATEGORIES: usize = u16::MAX as usize;

/// A local category: an index into the local-category table of a bundle.
///
/// Its name (`local-…`) lives in the bundle; see
/// [`crate::bundle::Bundle::local_category_name`].
///
/// ```
/// use esafety::Category;
/// use esafety::taxonomy::LocalCategory;
/// let first = Category::Local(LocalCategory::new(0).ok_or("index")?);
/// assert_eq!(first.bit(), 32); // local categories follow the 32 built-in bits
/// assert_eq!(first.builtin_id(), None);
/// # Ok::<(), &str>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalCategory(u16);

impl LocalCategory {
    /// The local category at `index`, if `index < MAX_LOCAL_CATEGORIES`.
    ///
    /// ```
    /// use esafety::taxonomy::{LocalCategory, MAX_LOCAL_CATEGORIES};
    /// assert!(LocalCategory::new(3).is_some());
    /// assert!(LocalCategory::new(999).is_some());
    /// assert!(LocalCategory::new(MAX_LOCAL_CATEGORIES).is_none());
    /// ```
    pub fn new(index: usize) -> Option<LocalCategory> {
        if index < MAX_LOCAL_CATEGORIES {
            u16::try_from(index).ok().map(LocalCategory)
        } else {
            None
        }
    }

    /// The index into the bundle's local-category table.
    ///
    /// ```
    /// use esafety::taxonomy::LocalCategory;
    /// assert_eq!(LocalCategory::new(7).map(LocalCategory::index), Some(7));
    /// ```
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

macro_rules! categories {
    ($( $(#[$doc:meta])* $variant:ident = $bit:literal, $id:literal; )*) => {
        /// A content or service category.
        ///
        /// ```
        /// use esafety::Category;
        /// let c = Category::from_id("child-abuse").unwrap();
        /// assert_eq!(c, Category::ChildAbuse);
        /// assert!(c.is_statutory());
        /// assert_eq!(c.builtin_id(), Some("child-abuse"));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Category {
            $( $(#[$doc])* $variant, )*
            /// A `local-` category defined by a bundle.
            Local(LocalCategory),
        }

        impl Category {
            /// Every built-in category, in bit order.
            ///
            /// ```
            /// use esafety::Category;
            /// assert_eq!(Category::BUILTIN.len(), 22);
            /// assert!(Category::BUILTIN.iter().enumerate().all(|(i, c)| c.bit() as usize == i));
            /// ```
            pub const BUILTIN: &'static [Category] = &[$(Category::$variant,)*];

            /// The stable id of a built-in category; `None` for a local one
            /// (its name is in the bundle).
            ///
            /// ```
            /// use esafety::Category;
            /// use esafety::taxonomy::LocalCategory;
            /// assert_eq!(Category::SelfHarm.builtin_id(), Some("self-harm"));
            /// assert_eq!(LocalCategory::new(0).map(Category::Local).and_then(Category::builtin_id), None);
            /// ```
            pub fn builtin_id(self) -> Option<&'static str> {
                match self {
                    $( Category::$variant => Some($id), )*
                    Category::Local(_) => None,
                }
            }

            /// The built-in category with this stable id.
            ///
            /// Returns `None` for unknown ids and for `local-` ids, which
            /// only a bundle can resolve.
            ///
            /// ```
            /// use esafety::Category;
            /// assert_eq!(Category::from_id("malware-hacking"), Some(Category::MalwareHacking));
            /// assert_eq!(Category::from_id("Gambling"), None); // ids are exact
            /// assert_eq!(Category::from_id("local-exam-mode"), None);
            /// for c in Category::BUILTIN {
            ///     assert_eq!(c.builtin_id().and_then(Category::from_id), Some(*c));
            /// }
            /// ```
            pub fn from_id(id: &str) -> Option<Category> {
                match id {
                    $( $id => Some(Category::$variant), )*
                    _ => None,
                }
            }

            /// The bit this category takes in a [`CategorySet`].
            ///
            /// ```
            /// use esafety::{Category, CategorySet};
            /// assert_eq!(Category::ChildAbuse.bit(), 0);
            /// assert_eq!(Category::Search.bit(), 21);
            /// let mut set = CategorySet::EMPTY;
            /// set.insert(Category::Search);
            /// assert_eq!(set.bits(), 1 << Category::Search.bit());
            /// ```
            pub fn bit(self) -> u32 {
                match self {
                    $( Category::$variant => $bit, )*
                    Category::Local(l) => 32 + u32::from(l.0),
                }
            }

            /// The category that takes `bit` in a [`CategorySet`]: a
            /// built-in one below 32, else a local one (`None` for a bit
            /// no category takes).
            ///
            /// ```
            /// use esafety::Category;
            /// use esafety::taxonomy::LocalCategory;
            /// assert_eq!(Category::from_bit(5), Some(Category::Gambling));
            /// assert_eq!(Category::from_bit(25), None); // no built-in category has bit 25
            /// assert_eq!(Category::from_bit(1032), LocalCategory::new(1000).map(Category::Local));
            /// for c in Category::BUILTIN {
            ///     assert_eq!(Category::from_bit(c.bit()), Some(*c));
            /// }
            /// ```
            pub fn from_bit(bit: u32) -> Option<Category> {
                match bit.checked_sub(32) {
                    None => Category::BUILTIN.get(bit as usize).copied(),
                    Some(local) => LocalCategory::new(local as usize).map(Category::Local),
                }
            }
        }
    };
}

categories! {
    /// Child sexual abuse content (IWF list). Statutory: always blocked.
    ChildAbuse = 0, "child-abuse";
    /// Unlawful terrorist content (police-assessed list). Statutory: always blocked.
    Terrorism = 1, "terrorism";
    /// Unjust or prejudicial treatment of people with protected characteristics.
    Discrimination = 2, "discrimination";
    /// Illegal use of drugs or substances.
    Drugs = 3, "drugs";
    /// Terrorist ideologies, violence or intolerance.
    Extremism = 4, "extremism";
    /// Gambling.
    Gambling = 5, "gambling";
    /// Compromising systems, criminal skills.
    MalwareHacking = 6, "malware-hacking";
    /// Sexual acts or explicit images.
    Pornography = 7, "pornography";
    /// Piracy and copyright theft.
    Piracy = 8, "piracy";
    /// Self-harm, suicide and eating disorders.
    SelfHarm = 9, "self-harm";
    /// Violence, including weapons and bombs.
    Violence = 10, "violence";
    /// Proxies, VPNs, DNS over HTTPS and filter bypass.
    Circumvention = 11, "circumvention";
    /// Weapons.
    Weapons = 12, "weapons";
    /// Mature but not pornographic content.
    Adult = 13, "adult";
    /// Social networks.
    SocialNetworking = 14, "social-networking";
    /// Chat services.
    Chat = 15, "chat";
    /// Web mail.
    Webmail = 16, "webmail";
    /// Online games.
    Gaming = 17, "gaming";
    /// Audio and video streaming.
    Streaming = 18, "streaming";
    /// Dating services.
    Dating = 19, "dating";
    /// File sharing.
    FileSharing = 20, "file-sharing";
    /// Search engines.
    Search = 21, "search";
}

impl Category {
    /// The statutory categories that no policy or amendment can lower
    /// (DESIGN.md invariant 1).
    ///
    /// ```
    /// use esafety::Category;
    /// let ids: Vec<_> = Category::STATUTORY.iter().filter_map(|c| c.builtin_id()).collect();
    /// assert_eq!(ids, ["child-abuse", "terrorism"]);
    /// ```
    pub const STATUTORY: [Category; 2] = [Category::ChildAbuse, Category::Terrorism];

    /// The UK Safer Internet Centre "inappropriate content" categories
    /// (STANDARD.md, "Filtering").
    ///
    /// ```
    /// use esafety::Category;
    /// // Not the statutory ones: those are blocked whatever the policy says.
    /// assert!(Category::UKSIC.iter().all(|c| !c.is_statutory()));
    /// assert!(Category::UKSIC.contains(&Category::SelfHarm));
    /// assert!(!Category::UKSIC.contains(&Category::SocialNetworking));
    /// ```
    pub const UKSIC: [Category; 9] = [
        Category::Discrimination,
        Category::Drugs,
        Category::Extremism,
        Category::Gambling,
        Category::MalwareHacking,
        Category::Pornography,
        Category::Piracy,
        Category::SelfHarm,
        Category::Violence,
    ];

    /// Whether this is `child-abuse` or `terrorism`.
    ///
    /// ```
    /// use esafety::Category;
    /// let statutory: Vec<Category> = Category::BUILTIN.iter().copied().filter(|c| c.is_statutory()).collect();
    /// assert_eq!(statutory, Category::STATUTORY);
    /// assert!(!Category::Extremism.is_statutory()); // filtered, but not the police-assessed list
    /// ```
    pub fn is_statutory(self) -> bool {
        matches!(self, Category::ChildAbuse | Category::Terrorism)
    }

    /// Whether `id` is syntactically a local category id (`local-` followed
    /// by lowercase ASCII letters, digits and `-`).
    ///
    /// ```
    /// use esafety::Category;
    /// assert!(Category::is_local_id("local-exam-mode"));
    /// assert!(!Category::is_local_id("local-"));
    /// assert!(!Category::is_local_id("Local-X"));
    /// ```
    pub fn is_local_id(id: &str) -> bool {
        match id.strip_prefix("local-") {
            Some(rest) => {
                !rest.is_empty()
                    && rest.len() <= 64
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }
            None => false,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.builtin_id() {
            Some(id) => f.write_str(id),
            None => write!(f, "local#{}", self.bit().saturating_sub(32)),
        }
    }
}

/// A set of categories as a bitset: built-in categories in bits `0..32`,
/// local ones from bit 32 on.
///
/// The first 64 bits (every built-in category and the first 32 local
/// ones) are inline; a set that holds a later local category keeps the
/// rest in a vector, trimmed of trailing zero words, so equal sets compare
/// and hash equal. The empty set and sets of built-in categories never
/// allocate.
///
/// ```
/// use esafety::{Category, CategorySet};
/// use esafety::taxonomy::LocalCategory;
/// let mut set = CategorySet::EMPTY;
/// set.insert(Category::Gambling);
/// assert!(set.contains(Category::Gambling));
/// assert!(!set.contains(Category::Drugs));
/// assert_eq!(set.iter().collect::<Vec<_>>(), vec![Category::Gambling]);
/// // Any local category of a bundle, the 1000th too.
/// let far = Category::Local(LocalCategory::new(999).ok_or("index")?);
/// set.insert(far);
/// assert!(set.contains(far));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Category::Gambling, far]);
/// # Ok::<(), &str>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CategorySet {
    /// Bits `0..64`.
    low: u64,
    /// Bits `64..`, 64 to a word; no trailing zero word.
    high: Vec<u64>,
}

impl CategorySet {
    /// The empty set.
    ///
    /// ```
    /// use esafety::CategorySet;
    /// assert_eq!(CategorySet::EMPTY, CategorySet::default());
    /// assert_eq!(CategorySet::EMPTY.iter().count(), 0);
    /// ```
    pub const EMPTY: CategorySet = CategorySet {
        low: 0,
        high: Vec::new(),
    };

    /// A set from its first 64 bits (built-in categories and the first 32
    /// local ones), as [`bits`](Self::bits) gives them.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let set = CategorySet::from_bits(0b10_0000 | 0b1);
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [Category::ChildAbuse, Category::Gambling]);
    /// ```
    pub fn from_bits(bits: u64) -> CategorySet {
        CategorySet {
            low: bits,
            high: Vec::new(),
        }
    }

    /// The first 64 bits: every built-in category (bits `0..32`) and the
    /// first 32 local categories (bits `32..64`). A set with a later local
    /// category holds more than these; [`iter`](Self::iter) gives them all.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// use esafety::taxonomy::LocalCategory;
    /// let mut set = CategorySet::EMPTY;
    /// set.insert(Category::Terrorism);
    /// assert_eq!(set.bits(), 0b10);
    /// assert_eq!(CategorySet::from_bits(set.bits()), set);
    /// set.insert(Category::Local(LocalCategory::new(40).ok_or("index")?));
    /// assert_eq!(set.bits(), 0b10); // bit 72 is past the first 64
    /// # Ok::<(), &str>(())
    /// ```
    pub fn bits(&self) -> u64 {
        self.low
    }

    /// Adds a category.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let mut set = CategorySet::EMPTY;
    /// set.insert(Category::Chat);
    /// set.insert(Category::Chat); // a set: no duplicates
    /// assert_eq!(set.iter().count(), 1);
    /// ```
    pub fn insert(&mut self, c: Category) {
        let bit = c.bit();
        match (bit / 64).checked_sub(1) {
            None => self.low |= 1u64 << (bit % 64),
            Some(word) => {
                let word = word as usize;
                if self.high.len() <= word {
                    self.high.resize(word + 1, 0);
                }
                if let Some(w) = self.high.get_mut(word) {
                    *w |= 1u64 << (bit % 64);
                }
            }
        }
    }

    /// Removes a category.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let mut set = CategorySet::from_bits(u64::MAX);
    /// set.remove(Category::Gaming);
    /// assert!(!set.contains(Category::Gaming));
    /// assert!(set.contains(Category::Streaming));
    /// ```
    pub fn remove(&mut self, c: Category) {
        let bit = c.bit();
        match (bit / 64).checked_sub(1) {
            None => self.low &= !(1u64 << (bit % 64)),
            Some(word) => {
                if let Some(w) = self.high.get_mut(word as usize) {
                    *w &= !(1u64 << (bit % 64));
                }
                self.trim();
            }
        }
    }

    /// Drops trailing zero words, so that equal sets have equal fields.
    fn trim(&mut self) {
        while self.high.last() == Some(&0) {
            self.high.pop();
        }
    }

    /// Whether the set holds `c`.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
    /// let c = classifier.classify_str("https://www.bet365.com/")?;
    /// assert!(c.categories.contains(Category::Gambling));
    /// assert!(!c.categories.contains(Category::Pornography));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, c: Category) -> bool {
        let bit = c.bit();
        let word = match (bit / 64).checked_sub(1) {
            None => self.low,
            Some(word) => self.high.get(word as usize).copied().unwrap_or(0),
        };
        word & (1u64 << (bit % 64)) != 0
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// assert!(CategorySet::EMPTY.is_empty());
    /// assert!(!CategorySet::from_bits(1 << Category::Dating.bit()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.low == 0 && self.high.is_empty()
    }

    /// The union of two sets.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let a = CategorySet::from_bits(1 << Category::Chat.bit());
    /// let b = CategorySet::from_bits(1 << Category::Webmail.bit());
    /// assert_eq!(a.union(&b).iter().collect::<Vec<_>>(), [Category::Chat, Category::Webmail]);
    /// ```
    pub fn union(&self, other: &CategorySet) -> CategorySet {
        let (long, short) = if self.high.len() >= other.high.len() {
            (&self.high, &other.high)
        } else {
            (&other.high, &self.high)
        };
        let mut high = long.clone();
        for (w, o) in high.iter_mut().zip(short) {
            *w |= o;
        }
        CategorySet {
            low: self.low | other.low,
            high,
        }
    }

    /// The intersection of two sets.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let found = CategorySet::from_bits((1 << Category::Drugs.bit()) | (1 << Category::Gaming.bit()));
    /// let uksic: CategorySet = Category::UKSIC.into_iter().collect();
    /// assert_eq!(found.intersection(&uksic).iter().collect::<Vec<_>>(), [Category::Drugs]);
    /// ```
    pub fn intersection(&self, other: &CategorySet) -> CategorySet {
        let mut set = CategorySet {
            low: self.low & other.low,
            high: self
                .high
                .iter()
                .zip(&other.high)
                .map(|(a, b)| a & b)
                .collect(),
        };
        set.trim();
        set
    }

    /// Whether the set holds a statutory category.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// assert!(CategorySet::from_bits(1 << Category::Terrorism.bit()).has_statutory());
    /// assert!(!CategorySet::from_bits(1 << Category::Extremism.bit()).has_statutory());
    /// ```
    pub fn has_statutory(&self) -> bool {
        self.contains(Category::ChildAbuse) || self.contains(Category::Terrorism)
    }

    /// The categories in bit order: built-in ones first, then local ones
    /// in the bundle's order.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// use esafety::taxonomy::LocalCategory;
    /// let local = Category::Local(LocalCategory::new(2).ok_or("index")?);
    /// let mut set = CategorySet::EMPTY;
    /// for c in [local, Category::Search, Category::ChildAbuse] {
    ///     set.insert(c);
    /// }
    /// // Built-in categories first, in bit order, then local ones.
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [Category::ChildAbuse, Category::Search, local]);
    /// # Ok::<(), &str>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Category> + '_ {
        // Visits the set bits only (lowest first), not every position:
        // every decision walks its URL's categories.
        std::iter::once(self.low)
            .chain(self.high.iter().copied())
            .enumerate()
            .flat_map(|(word, bits)| {
                let base = u32::try_from(word).unwrap_or(u32::MAX).saturating_mul(64);
                let mut bits = bits;
                std::iter::from_fn(move || {
                    while bits != 0 {
                        let b = bits.trailing_zeros();
                        bits &= bits - 1;
                        if let Some(c) = Category::from_bit(base.saturating_add(b)) {
                            return Some(c);
                        }
                    }
                    None
                })
            })
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        let mut set = CategorySet::EMPTY;
        for c in iter {
            set.insert(c);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_round_trips_through_its_id_and_bit() {
        for (i, c) in Category::BUILTIN.iter().enumerate() {
            let id = c.builtin_id().unwrap();
            assert_eq!(Category::from_id(id), Some(*c), "{id}");
            assert_eq!(c.bit() as usize, i, "{id}");
        }
        assert_eq!(Category::BUILTIN.len(), 22);
    }

    #[test]
    fn set_iterates_locals_after_builtins() {
        let l = Category::Local(LocalCategory::new(5).unwrap());
        let set: CategorySet = [l, Category::Search, Category::ChildAbuse]
            .into_iter()
            .collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Category::ChildAbuse, Category::Search, l]
        );
        assert!(set.has_statutory());
    }

    proptest::proptest! {
        /// The set behaves as a `BTreeSet` of categories (the model):
        /// the same members after any inserts and removes, in bit order,
        /// and equal sets compare equal whatever the order of operations.
        #[test]
        fn set_behaves_as_a_sorted_set_of_categories(
            ops in proptest::collection::vec((proptest::prelude::any::<bool>(), 0u32..1200), 0..60)
        ) {
            let mut set = CategorySet::EMPTY;
            let mut model = std::collections::BTreeSet::new();
            for (add, bit) in ops {
                let Some(c) = Category::from_bit(bit) else { continue };
                if add {
                    set.insert(c);
                    model.insert(bit);
                } else {
                    set.remove(c);
                    model.remove(&bit);
                }
            }
            let got: Vec<u32> = set.iter().map(Category::bit).collect();
            let want: Vec<u32> = model.iter().copied().collect();
            proptest::prop_assert_eq!(&got, &want);
            let rebuilt: CategorySet = model.iter().filter_map(|b| Category::from_bit(*b)).collect();
            proptest::prop_assert_eq!(&rebuilt, &set);
            proptest::prop_assert_eq!(set.is_empty(), model.is_empty());
            for bit in 0u32..1200 {
                if let Some(c) = Category::from_bit(bit) {
                    proptest::prop_assert_eq!(set.contains(c), model.contains(&bit));
                }
            }
        }

        /// Union and intersection are the model's.
        #[test]
        fn union_and_intersection_are_the_models(
            a in proptest::collection::btree_set(0u32..300, 0..20),
            b in proptest::collection::btree_set(0u32..300, 0..20),
        ) {
            let set = |m: &std::collections::BTreeSet<u32>| -> CategorySet {
                m.iter().filter_map(|bit| Category::from_bit(*bit)).collect()
            };
            let (sa, sb) = (set(&a), set(&b));
            proptest::prop_assert_eq!(sa.union(&sb), set(&a.union(&b).copied().collect()));
            proptest::prop_assert_eq!(sa.intersection(&sb), set(&a.intersection(&b).copied().collect()));
        }
    }
}
