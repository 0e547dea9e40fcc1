//! The policy document: what an e-safety officer writes, in TOML or JSON.
//!
//! The same serde structs read both formats; unknown fields are errors.
//! Metadata the standards require is optional for *loading* so that the
//! linter can report what is missing (STANDARD.md, "Acceptable use
//! policies", requirements 1-7); rules and the default are checked when the
//! policy loads.

#[cfg(feature = "schema")]
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::time::{Day, TimeWindow, TimeZoneName};
use crate::taxonomy::Category;

/// What a rule (or the default) does with a request.
///
/// ```
/// use esafety::policy::{Action, Policy};
///
/// let policy = Policy::load("staff.toml", r#"
///     id = "staff"
///     default = "monitor"
/// "#)?;
/// assert_eq!(policy.document().default, Action::Monitor);
/// assert_eq!(serde_json::from_str::<Action>(r#""warn""#)?, Action::Warn);
/// assert!(serde_json::from_str::<Action>(r#""deny""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Refuse the request and show the block page.
    Block,
    /// Show a warning; the user may proceed, and the visit is logged.
    Warn,
    /// Let the request through.
    Allow,
    /// Let the request through and flag it for review (logged).
    Monitor,
}

impl Action {
    /// The stable id: `block`, `warn`, `allow` or `monitor`.
    ///
    /// ```
    /// use esafety::policy::Action;
    ///
    /// assert_eq!(Action::Monitor.as_str(), "monitor");
    /// // The id is what `Display` prints and what a policy document spells.
    /// assert_eq!(Action::Block.to_string(), "block");
    /// assert_eq!(serde_json::to_string(&Action::Allow)?, r#""allow""#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Block => "block",
            Action::Warn => "warn",
            Action::Allow => "allow",
            Action::Monitor => "monitor",
        }
    }

    /// Whether a decision with this action must be logged: everything but a
    /// plain `allow` (STANDARD.md, "Monitoring": access attempts are logged).
    ///
    /// ```
    /// use esafety::policy::Action;
    ///
    /// assert!(Action::Block.must_log());
    /// assert!(Action::Warn.must_log());
    /// assert!(Action::Monitor.must_log());
    /// assert!(!Action::Allow.must_log());
    /// ```
    pub fn must_log(self) -> bool {
        !matches!(self, Action::Allow)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a policy is written for (STANDARD.md, requirement 1: separate AUPs
/// for staff and for children).
///
/// ```
/// use esafety::policy::{Audience, Policy};
///
/// let policy = Policy::load("youth-club.toml", r#"
///     id = "youth-club"
///     audience = ["young-people", "volunteers"]
///     default = "allow"
/// "#)?;
/// assert_eq!(policy.document().audience, [Audience::YoungPeople, Audience::Volunteers]);
/// assert_eq!(serde_json::to_string(&Audience::ParentsCarers)?, r#""parents-carers""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// School pupils.
    Pupils,
    /// Sixth-form or college students.
    Students,
    /// Children (library, children's centre, children's home).
    Children,
    /// Young people (youth club, children's home).
    YoungPeople,
    /// Staff.
    Staff,
    /// Volunteers.
    Volunteers,
    /// Visitors and guests.
    Visitors,
    /// Parents and carers.
    ParentsCarers,
    /// Adult members of the public.
    Public,
}

impl Audience {
    /// Whether the audience is children or young people (under 18). The
    /// linter also treats a policy whose `age` range includes anyone under
    /// 18 as a children's policy, whatever its audience.
    ///
    /// ```
    /// use esafety::policy::Audience;
    ///
    /// assert!(Audience::Pupils.is_children());
    /// assert!(Audience::Students.is_children());
    /// assert!(Audience::YoungPeople.is_children());
    /// assert!(!Audience::ParentsCarers.is_children());
    /// assert!(!Audience::Staff.is_children());
    /// ```
    pub fn is_children(self) -> bool {
        matches!(
            self,
            Audience::Pupils | Audience::Students | Audience::Children | Audience::YoungPeople
        )
    }

    /// Whether the audience is people who work with the children.
    ///
    /// ```
    /// use esafety::policy::Audience;
    ///
    /// assert!(Audience::Staff.is_workforce());
    /// assert!(Audience::Volunteers.is_workforce());
    /// assert!(!Audience::Visitors.is_workforce());
    /// assert!(!Audience::Pupils.is_workforce());
    /// ```
    pub fn is_workforce(self) -> bool {
        matches!(self, Audience::Staff | Audience::Volunteers)
    }
}

/// Where a policy applies (STANDARD.md, "Settings and audiences").
///
/// ```
/// use esafety::policy::{Policy, Setting};
///
/// let policy = Policy::load("pru.toml", r#"
///     id = "pru"
///     settings = ["pupil-referral-unit", "hospital-school"]
///     default = "allow"
/// "#)?;
/// assert_eq!(policy.document().settings, [Setting::PupilReferralUnit, Setting::HospitalSchool]);
/// assert_eq!(serde_json::to_string(&Setting::ChildrensHome)?, r#""childrens-home""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Setting {
    /// A school.
    School,
    /// A sixth-form or further-education college.
    College,
    /// A public library.
    Library,
    /// A children's home.
    ChildrensHome,
    /// A youth club.
    YouthClub,
    /// A children's centre.
    ChildrensCentre,
    /// A pupil referral unit.
    PupilReferralUnit,
    /// A hospital school.
    HospitalSchool,
    /// Somewhere else.
    Other,
}

/// Who must sign the policy (STANDARD.md, requirement 3).
///
/// ```
/// use esafety::policy::{Policy, Signatory};
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let policy = Policy::load("secondary-pupils.toml", text)?;
/// assert_eq!(policy.document().signatures, [Signatory::User, Signatory::ParentCarer]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Signatory {
    /// The user.
    User,
    /// The user's parent or carer.
    ParentCarer,
}

/// The kind of device a request comes from.
///
/// ```
/// use esafety::policy::Device;
///
/// assert_eq!("byod".parse::<Device>()?, Device::Byod);
/// let err = "laptop".parse::<Device>().unwrap_err();
/// assert_eq!(err, "unknown device `laptop`; use `managed` or `byod`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Device {
    /// A device the setting owns and manages.
    Managed,
    /// A personal device (bring your own device).
    Byod,
}

impl Device {
    /// The stable id: `managed` or `byod`.
    ///
    /// ```
    /// use esafety::policy::Device;
    ///
    /// assert_eq!(Device::Managed.as_str(), "managed");
    /// assert_eq!(Device::Byod.as_str().parse::<Device>()?, Device::Byod);
    /// assert_eq!(serde_json::to_string(&Device::Byod)?, r#""byod""#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Device::Managed => "managed",
            Device::Byod => "byod",
        }
    }
}

impl std::str::FromStr for Device {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "managed" => Ok(Device::Managed),
            "byod" => Ok(Device::Byod),
            _ => Err(format!("unknown device `{s}`; use `managed` or `byod`")),
        }
    }
}

/// An inclusive range of ages in years.
///
/// ```
/// use esafety::policy::{AgeRange, Policy};
///
/// let policy = Policy::load("secondary.toml", r#"
///     id = "secondary"
///     age = { min = 11, max = 16 }
///     default = "allow"
/// "#)?;
/// assert_eq!(policy.document().age, AgeRange::new(11, 16));
/// assert_eq!(policy.document().age.ok_or("no age")?.to_string(), "11-16");
///
/// let err = Policy::load("bad.toml", r#"
///     id = "bad"
///     age = { min = 16, max = 11 }
///     default = "allow"
/// "#).unwrap_err();
/// assert!(err.to_string().contains("age range 16-11 is empty"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(try_from = "AgeRangeDoc", into = "AgeRangeDoc")]
pub struct AgeRange {
    min: u8,
    max: u8,
}

/// The written form of an [`AgeRange`].
///
/// ```
/// use esafety::policy::{AgeRange, AgeRangeDoc};
///
/// let doc = AgeRangeDoc::from(AgeRange::new(13, 16).ok_or("empty")?);
/// assert_eq!((doc.min, doc.max), (13, 16));
/// let err = AgeRange::try_from(AgeRangeDoc { min: 16, max: 13 }).unwrap_err();
/// assert!(err.contains("`min` must not be greater than `max`"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AgeRangeDoc {
    /// The youngest age, in years.
    pub min: u8,
    /// The oldest age, in years (inclusive).
    pub max: u8,
}

impl AgeRange {
    /// Children: 0-17.
    #[cfg(feature = "lint")]
    pub(crate) const CHILDREN: AgeRange = AgeRange { min: 0, max: 17 };

    /// `min..=max`, if `min <= max`.
    ///
    /// ```
    /// use esafety::policy::AgeRange;
    ///
    /// assert!(AgeRange::new(11, 16).is_some());
    /// assert!(AgeRange::new(13, 13).is_some()); // a single age
    /// assert!(AgeRange::new(16, 11).is_none());
    /// ```
    pub fn new(min: u8, max: u8) -> Option<AgeRange> {
        (min <= max).then_some(AgeRange { min, max })
    }

    /// The youngest age.
    ///
    /// ```
    /// use esafety::policy::AgeRange;
    ///
    /// assert_eq!(AgeRange::new(11, 16).ok_or("empty")?.min(), 11);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn min(self) -> u8 {
        self.min
    }

    /// The oldest age (inclusive).
    ///
    /// ```
    /// use esafety::policy::AgeRange;
    ///
    /// let secondary = AgeRange::new(11, 16).ok_or("empty")?;
    /// assert_eq!(secondary.max(), 16);
    /// assert!(secondary.contains(secondary.max()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max(self) -> u8 {
        self.max
    }

    /// Whether `age` is in the range.
    ///
    /// ```
    /// use esafety::policy::AgeRange;
    ///
    /// let under_13 = AgeRange::new(11, 12).ok_or("empty")?;
    /// assert!(under_13.contains(11));
    /// assert!(under_13.contains(12)); // both ends are in
    /// assert!(!under_13.contains(13));
    /// assert!(!under_13.contains(10));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(self, age: u8) -> bool {
        self.min <= age && age <= self.max
    }

    /// Whether every age of `other` is in this range.
    ///
    /// ```
    /// use esafety::policy::AgeRange;
    ///
    /// let secondary = AgeRange::new(11, 16).ok_or("empty")?;
    /// let under_13 = AgeRange::new(11, 12).ok_or("empty")?;
    /// let sixth_form = AgeRange::new(16, 18).ok_or("empty")?;
    /// assert!(secondary.covers(under_13));
    /// assert!(secondary.covers(secondary));
    /// assert!(!under_13.covers(secondary));
    /// assert!(!secondary.covers(sixth_form)); // 17 and 18 are outside
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn covers(self, other: AgeRange) -> bool {
        self.min <= other.min && other.max <= self.max
    }

    /// The ages in both ranges.
    ///
    /// ```
    /// use esafety::policy::AgeRange;
    ///
    /// let secondary = AgeRange::new(11, 16).ok_or("empty")?;
    /// let teens = AgeRange::new(13, 19).ok_or("empty")?;
    /// assert_eq!(secondary.intersect(teens), AgeRange::new(13, 16));
    /// let primary = AgeRange::new(4, 11).ok_or("empty")?;
    /// assert_eq!(secondary.intersect(primary), AgeRange::new(11, 11));
    /// assert_eq!(AgeRange::new(4, 10).ok_or("empty")?.intersect(secondary), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn intersect(self, other: AgeRange) -> Option<AgeRange> {
        AgeRange::new(self.min.max(other.min), self.max.min(other.max))
    }
}

impl TryFrom<AgeRangeDoc> for AgeRange {
    type Error = String;

    fn try_from(d: AgeRangeDoc) -> Result<Self, Self::Error> {
        AgeRange::new(d.min, d.max).ok_or_else(|| {
            format!(
                "age range {}-{} is empty: `min` must not be greater than `max`",
                d.min, d.max
            )
        })
    }
}

impl From<AgeRange> for AgeRangeDoc {
    fn from(r: AgeRange) -> Self {
        AgeRangeDoc {
            min: r.min,
            max: r.max,
        }
    }
}

impl fmt::Display for AgeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.min, self.max)
    }
}

/// A category in a rule condition: a built-in id (`gambling`), a local id
/// (`local-exam-mode`), or a named group: `@uksic` (the nine UK Safer
/// Internet Centre categories) or `@statutory` (`child-abuse` and
/// `terrorism`).
///
/// ```
/// use esafety::Category;
/// use esafety::policy::CategoryRef;
///
/// assert_eq!(CategoryRef::parse("gambling")?, CategoryRef::Builtin(Category::Gambling));
/// assert_eq!(CategoryRef::parse("@uksic")?, CategoryRef::Uksic);
/// let local = CategoryRef::parse("local-exam-mode")?;
/// assert_eq!(local, CategoryRef::Local("local-exam-mode".into()));
/// assert_eq!(local.to_string(), "local-exam-mode");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CategoryRef {
    /// A built-in category.
    Builtin(Category),
    /// A `local-` category, resolved by name against the bundle.
    Local(String),
    /// `@uksic`.
    Uksic,
    /// `@statutory`.
    Statutory,
}

impl CategoryRef {
    /// Parses a category reference.
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::policy::CategoryRef;
    ///
    /// assert_eq!(CategoryRef::parse("chat")?, CategoryRef::Builtin(Category::Chat));
    /// assert_eq!(CategoryRef::parse("@statutory")?, CategoryRef::Statutory);
    /// let err = CategoryRef::parse("social-media").unwrap_err();
    /// assert!(err.starts_with("unknown category `social-media`; use one of"), "{err}");
    /// assert!(CategoryRef::parse("local-Exam-Mode").is_err()); // local ids are lowercase
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// For an unknown id; the message lists the valid ones.
    pub fn parse(id: &str) -> Result<CategoryRef, String> {
        if let Some(c) = Category::from_id(id) {
            return Ok(CategoryRef::Builtin(c));
        }
        match id {
            "@uksic" => return Ok(CategoryRef::Uksic),
            "@statutory" => return Ok(CategoryRef::Statutory),
            _ => {}
        }
        if Category::is_local_id(id) {
            return Ok(CategoryRef::Local(id.to_owned()));
        }
        let valid: Vec<&str> = Category::BUILTIN
            .iter()
            .filter_map(|c| c.builtin_id())
            .collect();
        Err(format!(
            "unknown category `{id}`; use one of {}, `@uksic`, `@statutory`, or a local id \
             `local-<name>` (lowercase letters, digits and `-`)",
            valid.join(", ")
        ))
    }

    /// The built-in categories this reference stands for (none for a local
    /// category).
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::policy::CategoryRef;
    ///
    /// assert_eq!(CategoryRef::Statutory.builtins(), [Category::ChildAbuse, Category::Terrorism]);
    /// let uksic = CategoryRef::Uksic.builtins();
    /// assert_eq!(uksic.len(), 9);
    /// assert!(uksic.contains(&Category::Gambling) && !uksic.contains(&Category::Gaming));
    /// assert!(CategoryRef::parse("local-exam-mode")?.builtins().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builtins(&self) -> Vec<Category> {
        match self {
            CategoryRef::Builtin(c) => vec![*c],
            CategoryRef::Local(_) => Vec::new(),
            CategoryRef::Uksic => Category::UKSIC.to_vec(),
            CategoryRef::Statutory => Category::STATUTORY.to_vec(),
        }
    }
}

impl fmt::Display for CategoryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CategoryRef::Builtin(c) => write!(f, "{c}"),
            CategoryRef::Local(id) => f.write_str(id),
            CategoryRef::Uksic => f.write_str("@uksic"),
            CategoryRef::Statutory => f.write_str("@statutory"),
        }
    }
}

impl Serialize for CategoryRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CategoryRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::document::parse_str(d, CategoryRef::parse)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for CategoryRef {
    fn schema_name() -> Cow<'static, str> {
        "CategoryRef".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut ids: Vec<&str> = Category::BUILTIN
            .iter()
            .filter_map(|c| c.builtin_id())
            .collect();
        ids.push("@uksic");
        ids.push("@statutory");
        json_schema!({
            "description": "A category id (DESIGN.md, \"Category ids\"), a local id `local-<name>`, or a group: `@uksic`, `@statutory`.",
            "anyOf": [
                { "type": "string", "enum": ids },
                { "type": "string", "pattern": "^local-[a-z0-9-]{1,64}$" }
            ]
        })
    }
}

/// A short lowercase identifier (`[a-z0-9][a-z0-9-_.]*`, at most 64 bytes):
/// policy ids, rule ids, user groups and list names.
///
/// ```
/// use esafety::policy::Ident;
///
/// let group = Ident::new("year-7")?;
/// assert_eq!(group.as_str(), "year-7");
/// assert!(Ident::new("Year 7").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(String);

impl Ident {
    /// Validates an identifier.
    ///
    /// ```
    /// use esafety::policy::Ident;
    ///
    /// assert!(Ident::new("block-uksic").is_ok());
    /// assert!(Ident::new("year_7.set-b").is_ok());
    /// assert!(Ident::new("-year-7").is_err()); // must start with a letter or digit
    /// assert!(Ident::new("").is_err());
    /// assert!(Ident::new(&"a".repeat(65)).is_err());
    /// let err = Ident::new("Staff").unwrap_err();
    /// assert!(err.starts_with("bad identifier `Staff`; use 1 to 64 lowercase letters"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// When `s` is empty, longer than 64 bytes or has other characters.
    pub fn new(s: &str) -> Result<Ident, String> {
        if crate::ident::is_identifier(s) {
            Ok(Ident(s.to_owned()))
        } else {
            Err(format!(
                "bad identifier `{s}`; use 1 to 64 lowercase letters, digits, `-`, `_` or `.`, \
                 starting with a letter or digit"
            ))
        }
    }

    /// The identifier.
    ///
    /// ```
    /// use esafety::policy::Ident;
    ///
    /// let id = Ident::new("secondary-pupils")?;
    /// assert_eq!(id.as_str(), "secondary-pupils");
    /// assert_eq!(id.to_string(), id.as_str());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Ident {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::document::parse_str(d, Ident::new)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Ident {
    fn schema_name() -> Cow<'static, str> {
        "Ident".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$"
        })
    }
}

/// A calendar date, written `YYYY-MM-DD` (a TOML date or a string).
///
/// ```
/// use esafety::policy::{Policy, PolicyDate};
///
/// let reviewed = |value: &str| {
///     Policy::load("p.toml", &format!("id = \"p\"\nreviewed = {value}\ndefault = \"allow\"\n"))
///         .map(|p| p.document().reviewed)
/// };
/// let sept = Some(PolicyDate(jiff::civil::date(2026, 9, 1)));
/// assert_eq!(reviewed("2026-09-01")?, sept); // a TOML date
/// assert_eq!(reviewed("\"2026-09-01\"")?, sept); // a string
/// let err = reviewed("\"01/09/2026\"").unwrap_err();
/// assert!(err.to_string().contains(
///     "bad date `01/09/2026` (expected a four-digit year (`YYYY-MM-DD`) at character 3, found `/`); \
///      write it as `YYYY-MM-DD`"
/// ), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyDate(pub jiff::civil::Date);

impl Serialize for PolicyDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

fn parse_date<E: serde::de::Error>(s: &str) -> Result<PolicyDate, E> {
    crate::datetime::read_date(s).map(PolicyDate).map_err(|e| {
        E::custom(super::error::violation(
            super::PolicyErrorKind::Time,
            e.to_string(),
        ))
    })
}

impl<'de> Deserialize<'de> for PolicyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A string, or a TOML date literal; nothing else (a one-entry table
        // such as `{x = "2026-09-01"}` is not a date).
        let text = crate::document::date_text(d, "a date `YYYY-MM-DD`")?;
        parse_date(&text)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for PolicyDate {
    fn schema_name() -> Cow<'static, str> {
        "PolicyDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

/// One rule: conditions and an action. Every condition that is present
/// must hold; a list condition holds when any of its items does.
///
/// ```
/// use esafety::policy::Policy;
///
/// // A rule with an empty condition list is refused when the policy loads.
/// let err = Policy::load("p.toml", r#"
///     id = "p"
///     default = "allow"
///     [[rules]]
///     id = "never"
///     action = "block"
///     categories = []
/// "#).unwrap_err();
/// let msg = err.to_string();
/// assert!(msg.contains("rule `never`: `categories` is empty, so the rule could"), "{msg}");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
// `try_from` is for the schema (a rule is written as a `RuleDoc`); the
// reading is `Deserialize` below.
#[serde(try_from = "RuleDoc", into = "RuleDoc")]
pub struct Rule(pub(crate) RuleDoc);

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::document::check_table(d, "a rule table", |doc: RuleDoc| Rule::try_from(doc))
    }
}

impl Rule {
    /// The rule as written.
    ///
    /// ```
    /// use esafety::policy::{Day, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let lessons = policy.rules()[3].doc();
    /// assert_eq!(lessons.id.as_str(), "block-distractions-in-lessons");
    /// assert_eq!(lessons.days.as_deref().map(<[Day]>::len), Some(5));
    /// let times: Vec<String> = lessons.times.iter().flatten().map(|w| w.to_string()).collect();
    /// assert_eq!(times, ["08:40-12:30", "13:20-15:20"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn doc(&self) -> &RuleDoc {
        &self.0
    }

    /// The rule id.
    ///
    /// ```
    /// use esafety::policy::{Policy, Rule};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let ids: Vec<&str> = policy.rules().iter().map(Rule::id).collect();
    /// assert_eq!(ids[..2], ["block-uksic", "block-adult-services"]);
    /// assert_eq!(ids.last(), Some(&"monitor-streaming-byod"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        self.0.id.as_str()
    }
}

/// The written form of a [`Rule`].
///
/// ```
/// use esafety::policy::{Action, CategoryRef, Policy, Rule};
///
/// let policy = Policy::load("p.toml", r#"
///     id = "p"
///     default = "allow"
///     [[rules]]
///     id = "block-gambling"
///     action = "block"
///     categories = ["gambling"]
/// "#)?;
/// let mut doc = policy.rules()[0].doc().clone();
/// doc.action = Action::Warn;
/// assert!(Rule::try_from(doc.clone()).is_ok());
/// // A `Rule` is a `RuleDoc` that passed the load-time checks.
/// doc.categories = Some(vec![CategoryRef::Statutory]);
/// let err = Rule::try_from(doc).unwrap_err();
/// assert!(err.contains("tries to warn `child-abuse` (via `@statutory`)"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// A unique id; it names the rule in every decision it makes.
    pub id: Ident,
    /// What the rule is for, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What happens when the rule matches.
    pub action: Action,
    /// Matches when the URL is in any of these categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<CategoryRef>>,
    /// Matches when the URL is on any of these source lists (by the name
    /// the bundle gives them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<Vec<Ident>>,
    /// Matches when the user is in any of these groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Ident>>,
    /// Matches when the user's age is in this range (a request without an
    /// age does not match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeRange>,
    /// Matches requests from this kind of device only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// Matches on these days (in the policy time zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<Day>>,
    /// Matches within any of these windows (in the policy time zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<Vec<TimeWindow>>,
    /// Matches when the request's content (page text or search terms) was
    /// scanned and crosses this limit: over it, or a banned phrase
    /// (see [`ContentLimitSetting`](super::ContentLimitSetting)). A request
    /// whose content was not scanned does not match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_limit: Option<super::content::ContentLimitSetting>,
    /// Text for the block or warning page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Log the decision even when the action is `allow`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub log: bool,
    /// Raise an alert for the designated safeguarding lead, this urgently,
    /// whenever the rule decides (the decision is logged too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<super::alert::AlertUrgency>,
}

fn nonempty<T>(field: &str, id: &Ident, v: &Option<Vec<T>>) -> Result<(), String> {
    match v {
        Some(items) if items.is_empty() => Err(format!(
            "rule `{id}`: `{field}` is empty, so the rule could never match; remove `{field}` or list at least one"
        )),
        _ => Ok(()),
    }
}

impl TryFrom<RuleDoc> for Rule {
    type Error = String;

    fn try_from(doc: RuleDoc) -> Result<Self, Self::Error> {
        nonempty("categories", &doc.id, &doc.categories)?;
        nonempty("lists", &doc.id, &doc.lists)?;
        nonempty("groups", &doc.id, &doc.groups)?;
        nonempty("days", &doc.id, &doc.days)?;
        nonempty("times", &doc.id, &doc.times)?;
        #[cfg(not(feature = "content"))]
        if doc.content_limit.is_some() {
            return Err(format!(
                "rule `{}`: {}",
                doc.id,
                super::CONTENT_LIMIT_UNAVAILABLE
            ));
        }
        // DESIGN.md invariant 1: the statutory baseline cannot be lowered.
        if doc.action != Action::Block {
            for r in doc.categories.iter().flatten() {
                if let Some(c) = r.builtins().into_iter().find(|c| c.is_statutory()) {
                    let via = match r {
                        CategoryRef::Builtin(_) => String::new(),
                        other => format!(" (via `{other}`)"),
                    };
                    return Err(super::error::violation(
                        super::PolicyErrorKind::Baseline,
                        format!(
                            "rule `{id}` tries to {action} `{c}`{via}, but the statutory baseline always blocks \
                         `child-abuse` and `terrorism` for every audience and no policy can lower it \
                         (DESIGN.md invariant 1); remove `{r}` from this rule's categories",
                            id = doc.id,
                            action = doc.action,
                        ),
                    ));
                }
            }
        }
        Ok(Rule(doc))
    }
}

impl From<Rule> for RuleDoc {
    fn from(r: Rule) -> Self {
        r.0
    }
}

fn default_interval() -> u8 {
    12
}

fn is_default_interval(v: &u8) -> bool {
    *v == 12
}

/// A whole Acceptable Use Policy as written.
///
/// Fields are in the order a reader meets them; see `policies/*.toml` for
/// complete examples and `policies/schema/policy.schema.json` for the schema.
///
/// ```
/// use esafety::policy::{Audience, Policy};
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let doc = Policy::load("secondary-pupils.toml", text)?.document().clone();
/// assert_eq!(doc.id.as_str(), "secondary-pupils");
/// assert_eq!(doc.audience, [Audience::Pupils]);
/// assert_eq!(doc.time_zone.as_ref().map(|tz| tz.name()), Some("Europe/London"));
/// assert!(doc.safe_search);
/// assert_eq!(doc.rules.len(), 9);
///
/// let minimal = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\n")?;
/// assert_eq!(minimal.document().review_interval_months, 12); // the default
/// assert!(minimal.document().rules.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "esafety acceptable use policy"))]
pub struct PolicyDocument {
    /// A unique id, e.g. `secondary-pupils`.
    pub id: Ident,
    /// The title users see.
    #[serde(default)]
    pub title: String,
    /// Who the policy is for (requirement 1: separate policies for staff and
    /// for children).
    #[serde(default)]
    pub audience: Vec<Audience>,
    /// The users' ages (requirement 2: appropriate to the users' age).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeRange>,
    /// Where the policy applies.
    #[serde(default)]
    pub settings: Vec<Setting>,
    /// Who owns the policy: the e-safety officer role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When the policy was last reviewed (requirement 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<PolicyDate>,
    /// How often it is reviewed, in months (requirement 4: at most 12).
    #[serde(
        default = "default_interval",
        skip_serializing_if = "is_default_interval"
    )]
    pub review_interval_months: u8,
    /// Who must sign it (requirement 3).
    #[serde(default)]
    pub signatures: Vec<Signatory>,
    /// What users may do (requirement 5).
    #[serde(default)]
    pub acceptable_use: Vec<String>,
    /// What users must not do (requirement 5).
    #[serde(default)]
    pub unacceptable_use: Vec<String>,
    /// What happens when the policy is broken (requirement 6).
    #[serde(default)]
    pub sanctions: Vec<String>,
    /// The monitoring of individual use in place (requirement 7).
    #[serde(default)]
    pub monitoring: Vec<String>,
    /// The reporting of individual use in place, and how breaches are
    /// identified and recorded (requirement 7).
    #[serde(default)]
    pub reporting: Vec<String>,
    /// Where users report concerns and wrongly blocked or unblocked content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_concerns: Option<String>,
    /// Rewrite search-engine URLs to their safe-search form.
    #[serde(default)]
    pub safe_search: bool,
    /// The IANA time zone of `days` and `times` in rules (default
    /// `Europe/London`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZoneName>,
    /// Content over this limit is blocked, after the statutory baseline and
    /// before any rule (rule id `content`); see
    /// [`ContentLimitSetting`](super::ContentLimitSetting). Without it, only
    /// rules with a `content_limit` act on content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_limit: Option<super::content::ContentLimitSetting>,
    /// Text for the block page when `content_limit` blocks (default
    /// [`CONTENT_BLOCK_MESSAGE`](super::CONTENT_BLOCK_MESSAGE)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_message: Option<String>,
    /// What happens when no rule matches.
    pub default: Action,
    /// Text for the block or warning page when the default decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_message: Option<String>,
    /// The rules, in order: the first that matches decides.
    #[serde(default, deserialize_with = "unique_rules")]
    pub rules: Vec<Rule>,
}

impl PolicyDocument {
    /// When the next review is due: `reviewed` plus `review_interval_months`
    /// (held to 1..=12, as the linter holds it for requirement 4). `None`
    /// when the policy has no `reviewed` date.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/primary-pupils.toml"));
    /// let doc = Policy::load("primary-pupils.toml", text)?.document().clone();
    /// assert_eq!(doc.review_due(), Some(jiff::civil::date(2027, 9, 1)));
    ///
    /// let six_monthly = Policy::load("p.toml", r#"
    ///     id = "p"
    ///     reviewed = 2026-08-31
    ///     review_interval_months = 6
    ///     default = "allow"
    /// "#)?;
    /// // The end of a shorter month: the last day of February.
    /// assert_eq!(six_monthly.document().review_due(), Some(jiff::civil::date(2027, 2, 28)));
    /// // An interval beyond the standard's 12 months counts as 12.
    /// let lax = Policy::load("p.toml", "id = \"p\"\nreviewed = 2026-01-01\nreview_interval_months = 36\ndefault = \"allow\"\n")?;
    /// assert_eq!(lax.document().review_due(), Some(jiff::civil::date(2027, 1, 1)));
    /// assert_eq!(Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\n")?.document().review_due(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn review_due(&self) -> Option<jiff::civil::Date> {
        let reviewed = self.reviewed?;
        let months = self.review_interval_months.clamp(1, 12);
        let span = jiff::Span::new().try_months(i64::from(months)).ok()?;
        reviewed.0.checked_add(span).ok()
    }
}

/// Reads the rules, refusing a second rule with an id already used. The
/// check runs as each rule is read (not on the finished list) so that the
/// error is located at the duplicate, not at the first `[[rules]]`.
fn unique_rules<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Rule>, D::Error> {
    struct Rules;

    impl<'de> serde::de::Visitor<'de> for Rules {
        type Value = Vec<Rule>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of rules")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Rule>, A::Error> {
            let mut rules: Vec<Rule> = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            // id → its 0-based place, so a long list is checked in n log n.
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            while let Some(rule) = seq.next_element_seed(UniqueRule {
                seen: &seen,
                place: rules.len(),
            })? {
                seen.insert(rule.id().to_owned(), rules.len());
                rules.push(rule);
            }
            Ok(rules)
        }
    }

    d.deserialize_seq(Rules)
}

/// One rule, checked against the rules before it.
struct UniqueRule<'a> {
    /// The ids of the rules before it, with their 0-based places.
    seen: &'a BTreeMap<String, usize>,
    /// This rule's 0-based place.
    place: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for UniqueRule<'_> {
    type Value = Rule;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Rule, D::Error> {
        // Checked while the rule's table is read, so the error is located at
        // this rule; the first is named by its place in the list (the
        // reader has no text to give its line).
        crate::document::check_table(d, "a rule table", |doc: RuleDoc| {
            let rule = Rule::try_from(doc)?;
            match self.seen.get(rule.id()) {
                Some(first) => Err(format!(
                    "two rules have the id `{id}`: this rule (rule {n}) and rule {m} above it; \
                     give each rule a unique id",
                    id = rule.id(),
                    n = self.place + 1,
                    m = first + 1,
                )),
                None => Ok(rule),
            }
        })
    }
}
