//! Category ids and the compact [`CategorySet`] bitset.
//!
//! The ids are stable and shared by every face (DESIGN.md, "Category ids").
//! Built-in categories have fixed bit positions `0..32`; a bundle may define
//! up to [`MAX_LOCAL_CATEGORIES`] local categories (ids starting `local-`),
//! which take bits `32..64` in the order the bundle lists them.

use std::fmt;

/// How many `local-` categories one bundle may define.
///
/// ```
/// use esafety::bundle::{BundleBuilder, BundleError};
/// use esafety::taxonomy::MAX_LOCAL_CATEGORIES;
/// let mut b = BundleBuilder::new();
/// for i in 0..MAX_LOCAL_CATEGORIES {
///     b.add_list(&format!("list-{i}"), &format!("local-c{i}"))?;
/// }
/// assert_eq!(b.add_list("one-more", "local-too-many"), Err(BundleError::TooManyLocalCategories { max: 32 }));
/// # Ok::<(), BundleError>(())
/// ```
pub const MAX_LOCAL_CATEGORIES: usize = 32;

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
pub struct LocalCategory(u8);

impl LocalCategory {
    /// The local category at `index`, if `index < MAX_LOCAL_CATEGORIES`.
    ///
    /// ```
    /// use esafety::taxonomy::LocalCategory;
    /// assert!(LocalCategory::new(3).is_some());
    /// assert!(LocalCategory::new(32).is_none());
    /// ```
    pub fn new(index: usize) -> Option<LocalCategory> {
        if index < MAX_LOCAL_CATEGORIES {
            u8::try_from(index).ok().map(LocalCategory)
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

/// A set of categories as a 64-bit bitset: cheap to copy, compare and test.
///
/// ```
/// use esafety::{Category, CategorySet};
/// let mut set = CategorySet::EMPTY;
/// set.insert(Category::Gambling);
/// assert!(set.contains(Category::Gambling));
/// assert!(!set.contains(Category::Drugs));
/// assert_eq!(set.iter().collect::<Vec<_>>(), vec![Category::Gambling]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CategorySet(u64);

impl CategorySet {
    /// The empty set.
    ///
    /// ```
    /// use esafety::CategorySet;
    /// assert_eq!(CategorySet::EMPTY, CategorySet::default());
    /// assert_eq!(CategorySet::EMPTY.iter().count(), 0);
    /// ```
    pub const EMPTY: CategorySet = CategorySet(0);

    /// A set from its raw bits (as stored in a bundle or passed over FFI).
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let set = CategorySet::from_bits(0b10_0000 | 0b1);
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [Category::ChildAbuse, Category::Gambling]);
    /// ```
    pub fn from_bits(bits: u64) -> CategorySet {
        CategorySet(bits)
    }

    /// The raw bits.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let mut set = CategorySet::EMPTY;
    /// set.insert(Category::Terrorism);
    /// assert_eq!(set.bits(), 0b10);
    /// assert_eq!(CategorySet::from_bits(set.bits()), set);
    /// ```
    pub fn bits(self) -> u64 {
        self.0
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
        self.0 |= 1u64 << c.bit();
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
        self.0 &= !(1u64 << c.bit());
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
    pub fn contains(self, c: Category) -> bool {
        self.0 & (1u64 << c.bit()) != 0
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// assert!(CategorySet::EMPTY.is_empty());
    /// assert!(!CategorySet::from_bits(1 << Category::Dating.bit()).is_empty());
    /// ```
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The union of two sets.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let a = CategorySet::from_bits(1 << Category::Chat.bit());
    /// let b = CategorySet::from_bits(1 << Category::Webmail.bit());
    /// assert_eq!(a.union(b).iter().collect::<Vec<_>>(), [Category::Chat, Category::Webmail]);
    /// ```
    pub fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }

    /// The intersection of two sets.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// let found = CategorySet::from_bits((1 << Category::Drugs.bit()) | (1 << Category::Gaming.bit()));
    /// let uksic = Category::UKSIC.iter().fold(CategorySet::EMPTY, |mut s, c| { s.insert(*c); s });
    /// assert_eq!(found.intersection(uksic).iter().collect::<Vec<_>>(), [Category::Drugs]);
    /// ```
    pub fn intersection(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 & other.0)
    }

    /// Whether the set holds a statutory category.
    ///
    /// ```
    /// use esafety::{Category, CategorySet};
    /// assert!(CategorySet::from_bits(1 << Category::Terrorism.bit()).has_statutory());
    /// assert!(!CategorySet::from_bits(1 << Category::Extremism.bit()).has_statutory());
    /// ```
    pub fn has_statutory(self) -> bool {
        self.contains(Category::ChildAbuse) || self.contains(Category::Terrorism)
    }

    /// The categories in bit order.
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
    pub fn iter(self) -> impl Iterator<Item = Category> {
        // Visits the set bits only (lowest first), not all 64 positions:
        // every decision walks its URL's categories.
        let mut bits = self.0;
        std::iter::from_fn(move || {
            while bits != 0 {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                let category = if b < 32 {
                    Category::BUILTIN.get(b as usize).copied()
                } else {
                    LocalCategory::new((b - 32) as usize).map(Category::Local)
                };
                if category.is_some() {
                    return category;
                }
            }
            None
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
        /// The set-bit walk gives what testing each of the 64 positions in
        /// order gives (bits 22..32 name no category and are skipped).
        #[test]
        fn set_iter_equals_scanning_every_bit(bits in proptest::prelude::any::<u64>()) {
            let set = CategorySet(bits);
            let scanned: Vec<Category> = (0u32..64)
                .filter(|b| bits & (1u64 << b) != 0)
                .filter_map(|b| {
                    if b < 32 {
                        Category::BUILTIN.get(b as usize).copied()
                    } else {
                        LocalCategory::new((b - 32) as usize).map(Category::Local)
                    }
                })
                .collect();
            proptest::prop_assert_eq!(set.iter().collect::<Vec<_>>(), scanned);
        }
    }
}
