//! Category bits: the `categories` bitset of results, as C macros.
//!
//! Built-in categories have fixed bits `0..32` (DESIGN.md, "Category ids");
//! a bundle's `local-` categories take bits `32..64` in the order the bundle
//! lists them (their names are in the JSON results).

/// The bit of category `child-abuse` in a `categories` bitset.
pub const ESAFETY_CATEGORY_CHILD_ABUSE: u64 = 1 << 0;
/// The bit of category `terrorism` in a `categories` bitset.
pub const ESAFETY_CATEGORY_TERRORISM: u64 = 1 << 1;
/// The bit of category `discrimination` in a `categories` bitset.
pub const ESAFETY_CATEGORY_DISCRIMINATION: u64 = 1 << 2;
/// The bit of category `drugs` in a `categories` bitset.
pub const ESAFETY_CATEGORY_DRUGS: u64 = 1 << 3;
/// The bit of category `extremism` in a `categories` bitset.
pub const ESAFETY_CATEGORY_EXTREMISM: u64 = 1 << 4;
/// The bit of category `gambling` in a `categories` bitset.
pub const ESAFETY_CATEGORY_GAMBLING: u64 = 1 << 5;
/// The bit of category `malware-hacking` in a `categories` bitset.
pub const ESAFETY_CATEGORY_MALWARE_HACKING: u64 = 1 << 6;
/// The bit of category `pornography` in a `categories` bitset.
pub const ESAFETY_CATEGORY_PORNOGRAPHY: u64 = 1 << 7;
/// The bit of category `piracy` in a `categories` bitset.
pub const ESAFETY_CATEGORY_PIRACY: u64 = 1 << 8;
/// The bit of category `self-harm` in a `categories` bitset.
pub const ESAFETY_CATEGORY_SELF_HARM: u64 = 1 << 9;
/// The bit of category `violence` in a `categories` bitset.
pub const ESAFETY_CATEGORY_VIOLENCE: u64 = 1 << 10;
/// The bit of category `circumvention` in a `categories` bitset.
pub const ESAFETY_CATEGORY_CIRCUMVENTION: u64 = 1 << 11;
/// The bit of category `weapons` in a `categories` bitset.
pub const ESAFETY_CATEGORY_WEAPONS: u64 = 1 << 12;
/// The bit of category `adult` in a `categories` bitset.
pub const ESAFETY_CATEGORY_ADULT: u64 = 1 << 13;
/// The bit of category `social-networking` in a `categories` bitset.
pub const ESAFETY_CATEGORY_SOCIAL_NETWORKING: u64 = 1 << 14;
/// The bit of category `chat` in a `categories` bitset.
pub const ESAFETY_CATEGORY_CHAT: u64 = 1 << 15;
/// The bit of category `webmail` in a `categories` bitset.
pub const ESAFETY_CATEGORY_WEBMAIL: u64 = 1 << 16;
/// The bit of category `gaming` in a `categories` bitset.
pub const ESAFETY_CATEGORY_GAMING: u64 = 1 << 17;
/// The bit of category `streaming` in a `categories` bitset.
pub const ESAFETY_CATEGORY_STREAMING: u64 = 1 << 18;
/// The bit of category `dating` in a `categories` bitset.
pub const ESAFETY_CATEGORY_DATING: u64 = 1 << 19;
/// The bit of category `file-sharing` in a `categories` bitset.
pub const ESAFETY_CATEGORY_FILE_SHARING: u64 = 1 << 20;
/// The bit of category `search` in a `categories` bitset.
pub const ESAFETY_CATEGORY_SEARCH: u64 = 1 << 21;
/// The bits of the statutory categories (`child-abuse`, `terrorism`),
/// which every policy blocks.
pub const ESAFETY_CATEGORY_STATUTORY: u64 =
    ESAFETY_CATEGORY_CHILD_ABUSE | ESAFETY_CATEGORY_TERRORISM;
/// The bits of the `local-` categories a bundle defines.
pub const ESAFETY_CATEGORY_LOCAL_MASK: u64 = 0xFFFF_FFFF_0000_0000;

#[cfg(test)]
mod tests {
    use super::*;
    use esafety::Category;

    #[test]
    fn every_macro_is_the_core_bit_of_its_category() {
        let table: &[(&str, u64)] = &[
            ("child-abuse", ESAFETY_CATEGORY_CHILD_ABUSE),
            ("terrorism", ESAFETY_CATEGORY_TERRORISM),
            ("discrimination", ESAFETY_CATEGORY_DISCRIMINATION),
            ("drugs", ESAFETY_CATEGORY_DRUGS),
            ("extremism", ESAFETY_CATEGORY_EXTREMISM),
            ("gambling", ESAFETY_CATEGORY_GAMBLING),
            ("malware-hacking", ESAFETY_CATEGORY_MALWARE_HACKING),
            ("pornography", ESAFETY_CATEGORY_PORNOGRAPHY),
            ("piracy", ESAFETY_CATEGORY_PIRACY),
            ("self-harm", ESAFETY_CATEGORY_SELF_HARM),
            ("violence", ESAFETY_CATEGORY_VIOLENCE),
            ("circumvention", ESAFETY_CATEGORY_CIRCUMVENTION),
            ("weapons", ESAFETY_CATEGORY_WEAPONS),
            ("adult", ESAFETY_CATEGORY_ADULT),
            ("social-networking", ESAFETY_CATEGORY_SOCIAL_NETWORKING),
            ("chat", ESAFETY_CATEGORY_CHAT),
            ("webmail", ESAFETY_CATEGORY_WEBMAIL),
            ("gaming", ESAFETY_CATEGORY_GAMING),
            ("streaming", ESAFETY_CATEGORY_STREAMING),
            ("dating", ESAFETY_CATEGORY_DATING),
            ("file-sharing", ESAFETY_CATEGORY_FILE_SHARING),
            ("search", ESAFETY_CATEGORY_SEARCH),
        ];
        assert_eq!(table.len(), Category::BUILTIN.len());
        for &(id, bit) in table {
            let c = Category::from_id(id).unwrap();
            assert_eq!(bit, 1u64 << c.bit(), "{id}");
        }
        let statutory: u64 = Category::STATUTORY.iter().map(|c| 1u64 << c.bit()).sum();
        assert_eq!(ESAFETY_CATEGORY_STATUTORY, statutory);
    }
}
