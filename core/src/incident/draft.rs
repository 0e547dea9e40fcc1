//! Incident drafts from filter decisions: a block on `child-abuse` or
//! `terrorism` is itself an incident (STANDARD.md, "Incidents": illegal
//! material), so the filter hands the facts straight to the incident model.
//! The draft names the list and the digest id, never the URL (DESIGN.md,
//! invariant 2).

use crate::classify::Classification;
use crate::taxonomy::Category;

use super::facts::{FilterBlock, Incident, MAX_AGE, Person, adult_child_age};
use super::ids::{IdentifiedBy, Involvement, Kind, Role, Setting};

/// What a filter blocked, for whom and when. Deliberately has no URL field.
///
/// ```
/// use esafety::Category;
/// use esafety::incident::{BlockFacts, IncidentDraft, Role};
/// let facts = BlockFacts {
///     category: Category::Terrorism,
///     list: "ctiru",
///     digest_id: Some("sha256:9b1c4e"),
///     group: Some("pupils"),
///     age: Some(16),
///     role: None, // an age under 18 makes the user a child
///     device: Some("managed"),
///     setting: None,
///     at: "2026-03-02T10:15:00Z".parse()?,
/// };
/// let incident = IncidentDraft::from_block(&facts)?;
/// assert_eq!((incident.people[0].role, incident.people[0].age), (Role::Child, Some(16)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockFacts<'a> {
    /// The category that blocked.
    pub category: Category,
    /// The list that matched.
    pub list: &'a str,
    /// The digest id of the matching entry, if the list is a digest list.
    pub digest_id: Option<&'a str>,
    /// The user group the request was evaluated for.
    pub group: Option<&'a str>,
    /// The user's age, when known.
    pub age: Option<u8>,
    /// The user's role, when known (otherwise an age under 18 means a child).
    pub role: Option<Role>,
    /// The device (`managed`, `byod`, or an id).
    pub device: Option<&'a str>,
    /// The setting.
    pub setting: Option<Setting>,
    /// When the request was made.
    pub at: jiff::Timestamp,
}

impl<'a> BlockFacts<'a> {
    /// The block facts of the first statutory match (`child-abuse` before
    /// `terrorism`) of a classification, at time `at`; `None` when nothing
    /// statutory matched. The user fields are left empty for the caller to
    /// fill from the request (`BlockFacts { age: Some(14), ..facts }`).
    ///
    /// The match's expression is a digest id for the sensitive lists; it is
    /// passed as the digest id, and [`IncidentDraft::from_block`] refuses
    /// it if it looks like a URL.
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::classify::{Classification, Match};
    /// use esafety::incident::{BlockFacts, IncidentDraft, Kind};
    /// let c = Classification {
    ///     categories: [Category::Terrorism].into_iter().collect(),
    ///     matches: vec![Match {
    ///         list: "ctiru",
    ///         category: Category::Terrorism,
    ///         category_id: "terrorism",
    ///         expression: "sha256:0123456789abcdef".to_owned(),
    ///     }],
    /// };
    /// let facts = BlockFacts::from_classification(&c, "2026-03-02T10:15:00Z".parse()?)
    ///     .ok_or("no statutory match")?;
    /// let incident = IncidentDraft::from_block(&BlockFacts { age: Some(15), ..facts })?;
    /// assert_eq!(incident.kind, Kind::TerroristMaterial);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_classification(
        classification: &'a Classification<'a>,
        at: jiff::Timestamp,
    ) -> Option<BlockFacts<'a>> {
        let statutory = |c: Category| classification.matches.iter().find(move |m| m.category == c);
        let m = statutory(Category::ChildAbuse).or_else(|| statutory(Category::Terrorism))?;
        Some(BlockFacts {
            category: m.category,
            list: m.list,
            digest_id: Some(m.expression.as_str()),
            group: None,
            age: None,
            role: None,
            device: None,
            setting: None,
            at,
        })
    }
}

/// Why a filter decision cannot become an incident draft.
///
/// ```
/// use esafety::Category;
/// use esafety::incident::{BlockFacts, DraftError, IncidentDraft};
/// let block = BlockFacts {
///     category: Category::Gambling,
///     list: "gambling",
///     digest_id: None,
///     group: None,
///     age: None,
///     role: None,
///     device: None,
///     setting: None,
///     at: "2026-03-02T10:15:00Z".parse()?,
/// };
/// let err = IncidentDraft::from_block(&block).unwrap_err();
/// assert_eq!(err, DraftError::NotAnIncident("gambling".into()));
/// let url = "https://blocked.example/page";
/// let terror = BlockFacts { category: Category::Terrorism, digest_id: Some(url), ..block };
/// let err = IncidentDraft::from_block(&terror).unwrap_err();
/// assert_eq!(err, DraftError::NotAnId("digest_id"));
/// assert!(!err.to_string().contains("blocked.example")); // never echoed
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DraftError {
    /// The category is not one whose block is an incident by itself.
    #[error(
        "a block on category `{0}` is not an incident by itself; only `child-abuse` and `terrorism` blocks become incident drafts"
    )]
    NotAnIncident(String),
    /// A field looks like a URL or is not a plain id; the value is not
    /// repeated here, because it may be a sensitive URL.
    #[error(
        "`{0}` does not look like a plain name or digest id (it may be a URL); pass the list name and digest id the classifier reported, never the URL"
    )]
    NotAnId(&'static str),
    /// The age is not a plausible age.
    #[error("age {0} is out of range; give an age from 0 to {MAX_AGE} or none")]
    Age(u8),
    /// The role is `child` but the age is 18 or more (an incident file with
    /// that person is refused the same way).
    #[error("a `child` aged {0} is not a child (under 18); fix the age or use another role")]
    ChildAge(u8),
}

/// Incident drafts from filter decisions.
///
/// ```
/// use esafety::Category;
/// use esafety::incident::{assess, BlockFacts, EscalationProfile, IncidentDraft, Kind, RouteId};
/// let at: jiff::Timestamp = "2026-03-02T10:15:00Z".parse()?;
/// let incident = IncidentDraft::from_block(&BlockFacts {
///     category: Category::ChildAbuse,
///     list: "iwf",
///     digest_id: Some("sha256:3f2a9c"),
///     group: Some("pupils"),
///     age: Some(14),
///     role: None,
///     device: Some("byod"),
///     setting: None,
///     at,
/// })?;
/// assert_eq!(incident.kind, Kind::ChildSexualAbuseMaterial);
/// assert_eq!(incident.deliberate, None);
/// let a = assess(&incident, &EscalationProfile::national()?);
/// assert!(a.routes.iter().any(|r| r.route == RouteId::Iwf));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct IncidentDraft;

/// Whether `value` is a plain name: letters, digits, `-`, `_`, `:` and
/// (when `dots`) `.`. A digest id has no dots, so a host name is refused.
fn plain(field: &'static str, value: &str, dots: bool) -> Result<(), DraftError> {
    let ok = !value.is_empty()
        && value.len() <= 128
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':') || (dots && c == '.')
        });
    if ok {
        Ok(())
    } else {
        Err(DraftError::NotAnId(field))
    }
}

impl IncidentDraft {
    /// Turn a block on `child-abuse` or `terrorism` into an incident ready
    /// to assess: kind `child-sexual-abuse-material` or
    /// `terrorist-material`, identified by `filter-alert`, deliberate
    /// unknown, the user as a person when their role or age says who they
    /// are.
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::incident::{BlockFacts, DraftError, IdentifiedBy, IncidentDraft, Kind};
    /// let block = BlockFacts {
    ///     category: Category::ChildAbuse,
    ///     list: "iwf",
    ///     digest_id: Some("sha256:3f2a9c"),
    ///     group: Some("pupils"),
    ///     age: Some(14),
    ///     role: None,
    ///     device: Some("byod"),
    ///     setting: None,
    ///     at: "2026-03-02T10:15:00Z".parse()?,
    /// };
    /// let incident = IncidentDraft::from_block(&block)?;
    /// assert_eq!(incident.kind, Kind::ChildSexualAbuseMaterial);
    /// assert_eq!(incident.identified_by, Some(IdentifiedBy::FilterAlert));
    /// let description = incident.log.description.as_deref().unwrap_or_default();
    /// assert!(description.contains("(list `iwf`, digest id `sha256:3f2a9c`) for group `pupils`"));
    /// assert!(description.ends_with("on a `byod` device at 2026-03-02T10:15:00Z."));
    /// let err = IncidentDraft::from_block(&BlockFacts { age: Some(140), ..block }).unwrap_err();
    /// assert_eq!(err, DraftError::Age(140));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`DraftError::NotAnIncident`] for any other category,
    /// [`DraftError::NotAnId`] when the list, digest id, group or device is
    /// not a plain name (it may be a URL: it is never echoed),
    /// [`DraftError::Age`] for an impossible age.
    pub fn from_block(block: &BlockFacts<'_>) -> Result<Incident, DraftError> {
        let (kind, category_id) = match block.category {
            Category::ChildAbuse => (Kind::ChildSexualAbuseMaterial, "child-abuse"),
            Category::Terrorism => (Kind::TerroristMaterial, "terrorism"),
            other => {
                let id = other
                    .builtin_id()
                    .map_or_else(|| "local".to_owned(), str::to_owned);
                return Err(DraftError::NotAnIncident(id));
            }
        };
        plain("list", block.list, true)?;
        if let Some(d) = block.digest_id {
            plain("digest_id", d, false)?;
        }
        if let Some(g) = block.group {
            plain("group", g, true)?;
        }
        if let Some(d) = block.device {
            plain("device", d, true)?;
        }
        if let Some(age) = block.age.filter(|a| *a > MAX_AGE) {
            return Err(DraftError::Age(age));
        }
        let role = block
            .role
            .or_else(|| block.age.filter(|a| *a < 18).map(|_| Role::Child));
        if let Some(age) = role.and_then(|r| adult_child_age(r, block.age)) {
            return Err(DraftError::ChildAge(age));
        }
        let age = block.age;
        let mut incident = Incident::new(kind);
        incident.identified_by = Some(IdentifiedBy::FilterAlert);
        incident.setting = block.setting;
        incident.occurred_at = Some(block.at);
        if let Some(role) = role {
            incident.people.push(Person {
                role,
                involvement: Involvement::Instigator,
                age,
                name: None,
            });
        }
        incident.filter_block = Some(FilterBlock {
            category: category_id.to_owned(),
            list: block.list.to_owned(),
            digest_id: block.digest_id.map(str::to_owned),
            group: block.group.map(str::to_owned),
            device: block.device.map(str::to_owned),
        });
        let mut description = format!(
            "The filter blocked a request in category `{category_id}` (list `{}`",
            block.list
        );
        if let Some(d) = block.digest_id {
            description.push_str(&format!(", digest id `{d}`"));
        }
        description.push(')');
        if let Some(g) = block.group {
            description.push_str(&format!(" for group `{g}`"));
        }
        if let Some(d) = block.device {
            description.push_str(&format!(" on a `{d}` device"));
        }
        description.push_str(&format!(" at {}.", block.at));
        incident.log.description = Some(description);
        Ok(incident)
    }
}
