//! The incident file: the facts of one incident, read from TOML or JSON
//! (DESIGN.md, "Incident file").

use serde::{Deserialize, Serialize};

use crate::document::ErrorKind;

use super::ids::{
    IdentifiedBy, Involvement, Kind, PoliceOutcome, RiskFactor, Role, Setting, StaffConcern,
};

/// The facts of one incident: what happened, to whom, and what is known.
///
/// Only `kind` is required; everything else refines the assessment.
///
/// ```
/// use esafety::incident::{Incident, Kind, RiskFactor};
/// let incident = Incident::from_toml(r#"
/// kind = "nude-image-sharing"
/// setting = "school"
/// risk_factors = ["coercion"]
/// "#)?;
/// assert_eq!(incident.kind, Kind::NudeImageSharing);
/// assert_eq!(incident.risk_factors, vec![RiskFactor::Coercion]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "IncidentFile")]
pub struct Incident {
    /// What happened.
    pub kind: Kind,
    /// Whether it was deliberate; `None` when not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliberate: Option<bool>,
    /// Where it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    /// How it came to light.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identified_by: Option<IdentifiedBy>,
    /// The people involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Person>,
    /// The UKCIS risk factors that hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risk_factors: Vec<RiskFactor>,
    /// The LADO tests that hold for a member of staff or volunteer involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staff_concerns: Vec<StaffConcern>,
    /// Whether the incident points to wider harm (abuse at home, peer
    /// abuse); `None` when nobody has judged it yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wider_harm: Option<bool>,
    /// Whether criminal conduct is suspected beyond what `kind` says
    /// (the standard's "other criminal conduct").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criminal_conduct: Option<bool>,
    /// Whether a child's conduct has been persistent (repeated breaches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent: Option<bool>,
    /// What the police said, once the material was reported to them. The
    /// police judge illegality: `illegal` makes the incident illegal
    /// whatever its `kind` (await the police, no internal procedure yet),
    /// and `not-illegal` returns it to internal procedures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub police_outcome: Option<PoliceOutcome>,
    /// When it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<jiff::Timestamp>,
    /// The filter decision that raised the incident, if any (never the URL).
    /// A block on `child-abuse` or `terrorism` is illegal material whatever
    /// `kind` says: those lists hold only illegal content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_block: Option<FilterBlock>,
    /// The incident-log fields not already above.
    #[serde(skip_serializing_if = "LogFields::is_empty")]
    pub log: LogFields,
}

/// One person involved in an incident.
///
/// ```
/// use esafety::incident::{Incident, Involvement, Role};
/// let incident = Incident::from_toml(r#"
/// kind = "cyberbullying"
/// [[people]]
/// role = "child"
/// involvement = "victim"
/// age = 13
/// "#)?;
/// let person = &incident.people[0];
/// assert_eq!((person.role, person.involvement), (Role::Child, Involvement::Victim));
/// assert_eq!((person.age, person.name.as_deref()), (Some(13), None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Their role.
    pub role: Role,
    /// How they were involved.
    pub involvement: Involvement,
    /// Their age in years, when known (at most 120; under 18 for a child
    /// when read from a file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// A name or reference for the log (not used by the assessment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A person as written, checked into a [`Person`] while it is read, so that
/// an error points at the person (or the age) it is about.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonFile {
    role: Role,
    involvement: Involvement,
    #[serde(default, deserialize_with = "person_age")]
    age: Option<u8>,
    #[serde(default)]
    name: Option<String>,
}

impl<'de> Deserialize<'de> for Person {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Person, D::Error> {
        crate::document::check_table(d, "a person table", |p: PersonFile| Person::try_from(p))
    }
}

impl TryFrom<PersonFile> for Person {
    type Error = String;

    fn try_from(p: PersonFile) -> Result<Person, String> {
        if let Some(age) = adult_child_age(p.role, p.age) {
            return Err(format!(
                "a `child` aged {age} is not a child (under 18); fix the age or use another role"
            ));
        }
        Ok(Person {
            role: p.role,
            involvement: p.involvement,
            age: p.age,
            name: p.name,
        })
    }
}

/// A person's age: a plausible one, or the error points at it.
fn person_age<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    let age = Option::<u8>::deserialize(d)?;
    match age {
        Some(age) if age > MAX_AGE => Err(serde::de::Error::custom(format!(
            "age {age} is out of range; give an age from 0 to {MAX_AGE} or leave it out"
        ))),
        _ => Ok(age),
    }
}

/// The incident-log fields that the facts above do not already hold
/// (STANDARD.md, "Incidents": description, actions taken and by whom,
/// conclusion).
///
/// ```
/// use esafety::incident::Incident;
/// let incident = Incident::from_toml(r#"
/// kind = "aup-breach"
/// [log]
/// description = "A pupil used a friend's login in the library."
/// actions_taken = "Password reset by the e-safety officer."
/// "#)?;
/// let log = &incident.log;
/// assert_eq!(log.actions_taken.as_deref(), Some("Password reset by the e-safety officer."));
/// assert_eq!(log.conclusion, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFields {
    /// A description of the incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What actions were taken and by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_taken: Option<String>,
    /// The conclusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
}

impl LogFields {
    /// Whether no field is set.
    ///
    /// ```
    /// use esafety::incident::{Incident, Kind, LogFields};
    /// let mut log = LogFields::default();
    /// assert!(log.is_empty());
    /// log.conclusion = Some("AUP sanction applied; parents informed.".into());
    /// assert!(!log.is_empty());
    /// // An empty log is left out of the incident file.
    /// assert!(!Incident::new(Kind::Hacking).to_json()?.contains("\"log\""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.description.is_none() && self.actions_taken.is_none() && self.conclusion.is_none()
    }
}

/// What a filter blocked, for an incident raised by a filter decision.
/// It names the list and the digest id of the entry that matched, never the
/// URL (DESIGN.md, invariant 2).
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, RouteId, Severity};
/// let incident = Incident::from_json(r#"{
///   "kind": "terrorist-material",
///   "identified_by": "filter-alert",
///   "filter_block": {"category": "terrorism", "list": "ctiru",
///                    "digest_id": "sha256:9f86d081884c7d65", "device": "managed"}
/// }"#)?;
/// let block = incident.filter_block.as_ref().ok_or("no filter block")?;
/// assert_eq!((block.category.as_str(), block.list.as_str()), ("terrorism", "ctiru"));
/// assert_eq!(block.digest_id.as_deref(), Some("sha256:9f86d081884c7d65"));
/// assert_eq!(block.group, None);
/// // A `child-abuse` block is illegal material, whatever the `kind` says.
/// let mislabelled = Incident::from_json(r#"{
///   "kind": "inappropriate-content",
///   "filter_block": {"category": "child-abuse", "list": "iwf"}
/// }"#)?;
/// let a = assess(&mislabelled, &EscalationProfile::national()?);
/// assert_eq!(a.severity, Severity::Critical);
/// assert!(a.routes.iter().any(|r| r.route == RouteId::Iwf));
/// // There is no field for the URL itself.
/// let err = Incident::from_json(
///     r#"{"kind": "other", "filter_block": {"category": "terrorism", "list": "x", "url": ""}}"#,
/// ).unwrap_err();
/// assert!(err.to_string().contains("unknown field `url`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterBlock {
    /// The category id that blocked (`child-abuse`, `terrorism`).
    pub category: String,
    /// The list that matched.
    pub list: String,
    /// The digest id of the matching entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_id: Option<String>,
    /// The user group the request was evaluated for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The device (`managed`, `byod`, or a device id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// The file as written: every field optional, so that a missing `kind` is
/// reported as a wanting record rather than a parse failure.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentFile {
    kind: Option<Kind>,
    #[serde(default)]
    deliberate: Option<bool>,
    #[serde(default)]
    setting: Option<Setting>,
    #[serde(default)]
    identified_by: Option<IdentifiedBy>,
    #[serde(default)]
    people: Vec<Person>,
    #[serde(default)]
    risk_factors: Vec<RiskFactor>,
    #[serde(default)]
    staff_concerns: Vec<StaffConcern>,
    #[serde(default)]
    wider_harm: Option<bool>,
    #[serde(default)]
    criminal_conduct: Option<bool>,
    #[serde(default)]
    persistent: Option<bool>,
    #[serde(default)]
    police_outcome: Option<PoliceOutcome>,
    #[serde(default, deserialize_with = "timestamp")]
    occurred_at: Option<jiff::Timestamp>,
    #[serde(default)]
    filter_block: Option<FilterBlock>,
    #[serde(default)]
    log: LogFields,
}

/// `occurred_at`: an RFC 3339 string (JSON, TOML) or a TOML offset
/// date-time written without quotes; `null` (JSON) is none.
fn timestamp<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<jiff::Timestamp>, D::Error> {
    const EXPECTING: &str = "a timestamp like `2026-03-02T10:15:00Z`";
    struct Optional;
    impl<'de> serde::de::Visitor<'de> for Optional {
        type Value = Option<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(EXPECTING)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }

        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            crate::document::date_text(d, EXPECTING).map(Some)
        }
    }
    let Some(text) = d.deserialize_option(Optional)? else {
        return Ok(None);
    };
    crate::datetime::parse_timestamp(&text)
        .map(Some)
        .map_err(|e| {
            serde::de::Error::custom(format!(
                "`occurred_at` `{}` is not an RFC 3339 timestamp ({e}); write it like `2026-03-02T10:15:00Z`",
                text.chars().take(40).collect::<String>()
            ))
        })
}

/// The oldest age accepted for a person.
pub(super) const MAX_AGE: u8 = 120;

/// The age of a `child` who is not one (18 or over): the rule an incident
/// file and an incident draft both enforce.
pub(super) fn adult_child_age(role: Role, age: Option<u8>) -> Option<u8> {
    age.filter(|a| role == Role::Child && *a >= 18)
}

impl TryFrom<IncidentFile> for Incident {
    type Error = String;

    fn try_from(f: IncidentFile) -> Result<Incident, String> {
        let kind = f.kind.ok_or_else(|| {
            format!(
                "missing field `kind`: say what happened with one of {}",
                Kind::IDS
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        Ok(Incident {
            kind,
            deliberate: f.deliberate,
            setting: f.setting,
            identified_by: f.identified_by,
            people: f.people,
            risk_factors: dedup(f.risk_factors),
            staff_concerns: dedup(f.staff_concerns),
            wider_harm: f.wider_harm,
            criminal_conduct: f.criminal_conduct,
            persistent: f.persistent,
            police_outcome: f.police_outcome,
            occurred_at: f.occurred_at,
            filter_block: f.filter_block,
            log: f.log,
        })
    }
}

fn dedup<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    crate::sorted::sort(&mut v);
    v.dedup();
    v
}

/// The two formats an incident file can be written in.
///
/// ```
/// use esafety::incident::Format;
/// assert_eq!(Format::from_name("2026-03-02-cyberbullying.json"), Some(Format::Json));
/// assert_eq!(Format::sniff(b"kind = \"cyberbullying\"\n"), Format::Toml);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a file name's extension names (`.toml`, `.json`, in any
    /// letter case), if any.
    ///
    /// ```
    /// use esafety::incident::Format;
    /// assert_eq!(Format::from_name("incidents/2026-03-02.toml"), Some(Format::Toml));
    /// assert_eq!(Format::from_name("INCIDENT.JSON"), Some(Format::Json));
    /// assert_eq!(Format::from_name("incident.txt"), None);
    /// assert_eq!(Format::from_name("toml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("toml") => Some(Format::Toml),
            Some("json") => Some(Format::Json),
            _ => None,
        }
    }

    /// The format the content looks like: JSON when the first non-blank
    /// character (after any UTF-8 byte-order mark) is `{`, otherwise TOML.
    ///
    /// ```
    /// use esafety::incident::Format;
    /// assert_eq!(Format::sniff(b"\n  {\"kind\": \"self-harm\"}"), Format::Json);
    /// assert_eq!(Format::sniff(b"\xEF\xBB\xBF{\"kind\": \"self-harm\"}"), Format::Json);
    /// assert_eq!(Format::sniff(b"kind = \"self-harm\""), Format::Toml);
    /// assert_eq!(Format::sniff(b""), Format::Toml);
    /// ```
    pub fn sniff(bytes: &[u8]) -> Format {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Json,
            _ => Format::Toml,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// Why an incident file could not be read.
///
/// [`IncidentError::is_invalid_record`] tells a well-formed document that is
/// not a valid incident record (CLI exit 1) from one that is not readable
/// TOML or JSON at all (exit 2).
///
/// ```
/// use esafety::incident::{Incident, IncidentError};
/// let err = Incident::from_toml("kind = \"grooming\"\nsetting = \"pub\"\n").unwrap_err();
/// assert!(matches!(err, IncidentError::Invalid { line: 2, column: 11, .. }));
/// assert!(err.to_string().starts_with("2:11: unknown setting `pub`: expected one of"));
/// let err = Incident::from_toml("kind = grooming\n").unwrap_err();
/// assert!(matches!(err, IncidentError::Syntax { line: 1, .. }));
/// assert!(err.to_string().contains("not valid TOML"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IncidentError {
    /// The bytes are not UTF-8 text.
    #[error("{}not UTF-8 text (invalid byte at offset {offset}); save the incident file as UTF-8", loc(.file, *.line, *.column))]
    NotUtf8 {
        /// The file name, if the caller gave one.
        file: Option<String>,
        /// The 1-based line of the first invalid byte.
        line: usize,
        /// The 1-based column (in characters, after any byte-order mark,
        /// as in the other errors) of the first invalid byte.
        column: usize,
        /// The byte offset of the first invalid byte in the bytes given.
        offset: usize,
    },
    /// The document is not well-formed TOML or JSON.
    #[error("{}not valid {}: {message}; fix the syntax", loc(.file, *.line, *.column), .format.label())]
    Syntax {
        /// The file name, if the caller gave one.
        file: Option<String>,
        /// The format it was read as.
        format: Format,
        /// 1-based line (0 when not known).
        line: usize,
        /// 1-based column (0 when not known).
        column: usize,
        /// What is wrong, in plain words.
        message: String,
    },
    /// The document is longer than
    /// [`Limits::max_document_len`](crate::Limits::max_document_len) bytes
    /// (default 4 MiB): refused before it is parsed.
    #[error("{}the incident file is {len} bytes, over {max}, the limit `{limit}`; give a smaller incident file", loc(.file, 0, 0))]
    TooLarge {
        /// The file name, if the caller gave one.
        file: Option<String>,
        /// Its length in bytes.
        len: usize,
        /// The limit exceeded ([`Limit::DocumentLen`](crate::limits::Limit::DocumentLen)).
        limit: crate::limits::Limit,
        /// Its value.
        max: usize,
    },
    /// The document is well-formed but is not a valid incident record.
    #[error("{}{message}", loc(.file, *.line, *.column))]
    Invalid {
        /// The file name, if the caller gave one.
        file: Option<String>,
        /// 1-based line (0 when not known).
        line: usize,
        /// 1-based column (0 when not known).
        column: usize,
        /// What is wrong, in plain words.
        message: String,
    },
}

/// An incident document over `limits.max_document_len` is refused before
/// it is parsed.
fn too_large(len: usize, limits: &crate::Limits) -> Result<(), IncidentError> {
    let max = limits.max_document_len;
    if len > max {
        return Err(IncidentError::TooLarge {
            file: None,
            len,
            limit: crate::limits::Limit::DocumentLen,
            max,
        });
    }
    Ok(())
}

/// `file:line:column: ` with whatever parts are known.
fn loc(file: &Option<String>, line: usize, column: usize) -> String {
    let mut parts = Vec::new();
    if let Some(f) = file {
        parts.push(f.clone());
    }
    if line > 0 {
        parts.push(line.to_string());
        if column > 0 {
            parts.push(column.to_string());
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}: ", parts.join(":"))
    }
}

impl IncidentError {
    /// Whether the document was read but is not a valid incident record
    /// (for example, `kind` is missing or unknown): the input was understood
    /// and found wanting.
    ///
    /// ```
    /// use esafety::incident::Incident;
    /// // Readable TOML without a `kind`: understood and found wanting.
    /// let err = Incident::from_toml("setting = \"library\"\n").unwrap_err();
    /// assert!(err.is_invalid_record());
    /// assert!(err.to_string().contains("missing field `kind`"));
    /// // An unterminated string: not TOML at all.
    /// assert!(!Incident::from_toml("kind = \"hacking\n").unwrap_err().is_invalid_record());
    /// ```
    pub fn is_invalid_record(&self) -> bool {
        matches!(self, IncidentError::Invalid { .. })
    }

    /// The 1-based line the error is on, when there is one.
    ///
    /// ```
    /// use esafety::incident::Incident;
    /// let err = Incident::from_toml("kind = \"hacking\"\ndeliberate = \"yes\"\n").unwrap_err();
    /// assert_eq!(err.line(), Some(2));
    /// // Bytes that are not UTF-8: the line of the first invalid byte.
    /// let err = Incident::from_bytes_auto(b"kind = \"hacking\"\nsetting = \"\xFF\"\n").unwrap_err();
    /// assert_eq!(err.line(), Some(2));
    /// ```
    pub fn line(&self) -> Option<usize> {
        match self {
            IncidentError::Syntax { line, .. }
            | IncidentError::Invalid { line, .. }
            | IncidentError::NotUtf8 { line, .. } => (*line > 0).then_some(*line),
            IncidentError::TooLarge { .. } => None,
        }
    }

    /// The error with a file name to show in its message.
    ///
    /// ```
    /// use esafety::incident::Incident;
    /// let err = Incident::from_toml("kind = \"grooming\"\nsetting = \"pub\"\n").unwrap_err();
    /// let err = err.with_file("2026-03-02.toml");
    /// assert!(err.to_string().starts_with("2026-03-02.toml:2:11: unknown setting `pub`"));
    /// ```
    #[must_use]
    pub fn with_file(mut self, name: &str) -> IncidentError {
        match &mut self {
            IncidentError::NotUtf8 { file, .. }
            | IncidentError::Syntax { file, .. }
            | IncidentError::Invalid { file, .. }
            | IncidentError::TooLarge { file, .. } => *file = Some(name.to_owned()),
        }
        self
    }
}

impl Incident {
    /// A new incident of `kind` with no other facts.
    ///
    /// ```
    /// use esafety::incident::{Incident, Kind, Setting};
    /// let mut incident = Incident::new(Kind::SelfHarm);
    /// assert!(incident.people.is_empty() && incident.setting.is_none());
    /// incident.setting = Some(Setting::YouthClub);
    /// let text = "kind = \"self-harm\"\nsetting = \"youth-club\"\n";
    /// assert_eq!(incident, Incident::from_toml(text)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(kind: Kind) -> Incident {
        Incident {
            kind,
            deliberate: None,
            setting: None,
            identified_by: None,
            people: Vec::new(),
            risk_factors: Vec::new(),
            staff_concerns: Vec::new(),
            wider_harm: None,
            criminal_conduct: None,
            persistent: None,
            police_outcome: None,
            occurred_at: None,
            filter_block: None,
            log: LogFields::default(),
        }
    }

    /// Read an incident from TOML text.
    ///
    /// ```
    /// use esafety::incident::{Incident, Involvement, Kind, Role};
    /// let incident = Incident::from_toml(r#"
    /// kind = "grooming"
    /// identified_by = "disclosure"
    /// occurred_at = 2026-03-02T10:15:00Z
    ///
    /// [[people]]
    /// role = "child"
    /// involvement = "victim"
    /// age = 12
    /// "#)?;
    /// assert_eq!(incident.kind, Kind::Grooming);
    /// assert!(incident.has(Role::Child, Involvement::Victim));
    /// assert_eq!(incident.occurred_at, Some("2026-03-02T10:15:00Z".parse()?));
    /// let err = Incident::from_toml("kind = \"grooming\"\nplace = \"park\"\n").unwrap_err();
    /// assert!(err.to_string().starts_with("2:1: unknown field `place`"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`IncidentError::Syntax`] when the text is not TOML,
    /// [`IncidentError::Invalid`] (with line and column) when it is not a
    /// valid incident record: an unknown field or id, a missing `kind`, an
    /// impossible age.
    pub fn from_toml(text: &str) -> Result<Incident, IncidentError> {
        Incident::read(text, Format::Toml, &crate::Limits::DEFAULT)
    }

    /// Read an incident from JSON text.
    ///
    /// ```
    /// use esafety::incident::{Incident, Kind};
    /// let err = Incident::from_json("{\n  \"kind\": \"x\"\n}").unwrap_err();
    /// assert!(err.is_invalid_record());
    /// assert!(err.to_string().starts_with("2:"));
    /// assert!(err.to_string().contains("unknown kind `x`: expected one of"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Incident::from_toml`].
    pub fn from_json(text: &str) -> Result<Incident, IncidentError> {
        Incident::read(text, Format::Json, &crate::Limits::DEFAULT)
    }

    /// [`Incident::from_json`] within `limits` (`max_document_len`): a host
    /// that reads incidents from its users bounds them lower, or a larger
    /// archive higher, than the default 4 MiB.
    ///
    /// ```
    /// use esafety::{ErrorCode, Incident, Limits};
    /// let text = r#"{"kind": "hacking"}"#;
    /// let mut limits = Limits::default();
    /// limits.max_document_len = text.len();
    /// assert!(Incident::from_json_with_limits(text, &limits).is_ok());
    /// limits.max_document_len = text.len() - 1;
    /// let err = Incident::from_json_with_limits(text, &limits).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::TooLarge);
    /// assert!(err.to_string().contains("over 18, the limit `max_document_len`"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Incident::from_json`]; [`IncidentError::TooLarge`] over
    /// `limits.max_document_len`.
    pub fn from_json_with_limits(
        text: &str,
        limits: &crate::Limits,
    ) -> Result<Incident, IncidentError> {
        Incident::read(text, Format::Json, limits)
    }

    fn read(text: &str, format: Format, limits: &crate::Limits) -> Result<Incident, IncidentError> {
        too_large(text.len(), limits)?;
        let language = match format {
            Format::Toml => crate::document::Format::Toml,
            Format::Json => crate::document::Format::Json,
        };
        crate::document::read::<Incident>(text, language).map_err(|e| {
            let (line, column) = e.line_column(text);
            let message = e.message().to_owned();
            match e.kind() {
                ErrorKind::Syntax => IncidentError::Syntax {
                    file: None,
                    format,
                    line,
                    column,
                    message,
                },
                ErrorKind::Data => IncidentError::Invalid {
                    file: None,
                    line,
                    column,
                    message,
                },
            }
        })
    }

    /// Read an incident from bytes in either format, chosen by the content
    /// ([`Format::sniff`]).
    ///
    /// ```
    /// use esafety::incident::{Incident, IncidentError};
    /// let json = Incident::from_bytes_auto(br#"{"kind": "hacking", "deliberate": true}"#)?;
    /// let toml = Incident::from_bytes_auto(b"kind = \"hacking\"\ndeliberate = true\n")?;
    /// assert_eq!(json, toml);
    /// assert_eq!(json.deliberate, Some(true));
    /// let err = Incident::from_bytes_auto(b"kind = \"hacking\xFF\"").unwrap_err();
    /// assert!(matches!(err, IncidentError::NotUtf8 { line: 1, column: 16, offset: 15, .. }));
    /// assert!(err.to_string().starts_with("1:16: not UTF-8 text"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`IncidentError::NotUtf8`], or as [`Incident::from_toml`].
    pub fn from_bytes_auto(bytes: &[u8]) -> Result<Incident, IncidentError> {
        Incident::from_bytes(bytes, Format::sniff(bytes))
    }

    /// [`Incident::from_bytes_auto`] within `limits` (`max_document_len`).
    ///
    /// ```
    /// use esafety::{ErrorCode, Incident, Limits};
    /// let mut limits = Limits::default();
    /// limits.max_document_len = 16;
    /// assert!(Incident::from_bytes_auto_with_limits(b"kind = \"hacking\"", &limits).is_ok());
    /// let err = Incident::from_bytes_auto_with_limits(b"kind = \"hacking\"\n", &limits).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::TooLarge);
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Incident::from_bytes_auto`]; [`IncidentError::TooLarge`] over
    /// `limits.max_document_len`.
    pub fn from_bytes_auto_with_limits(
        bytes: &[u8],
        limits: &crate::Limits,
    ) -> Result<Incident, IncidentError> {
        Incident::from_bytes_with_limits(bytes, Format::sniff(bytes), limits)
    }

    /// Read an incident file: the format comes from the name's extension,
    /// else from the content. Errors name the file.
    ///
    /// ```
    /// use esafety::incident::{Incident, Kind};
    /// let incident = Incident::from_named_bytes("report", br#"{"kind": "cyberbullying"}"#)?;
    /// assert_eq!(incident.kind, Kind::Cyberbullying);
    /// // The extension wins over the content.
    /// let err = Incident::from_named_bytes("2026-03-02.json", b"kind = \"cyberbullying\"")
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("2026-03-02.json:1:1: not valid JSON"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Incident::from_bytes_auto`].
    pub fn from_named_bytes(name: &str, bytes: &[u8]) -> Result<Incident, IncidentError> {
        let format = Format::from_name(name).unwrap_or_else(|| Format::sniff(bytes));
        Incident::from_bytes(bytes, format).map_err(|e| e.with_file(name))
    }

    /// Read an incident from bytes in the given format. A leading UTF-8
    /// byte-order mark is skipped.
    ///
    /// ```
    /// use esafety::incident::{Format, Incident, Kind};
    /// let incident = Incident::from_bytes(b"\xEF\xBB\xBFkind = \"aup-breach\"\n", Format::Toml)?;
    /// assert_eq!(incident.kind, Kind::AupBreach);
    /// let err = Incident::from_bytes(b"kind = \"aup-breach\"\n", Format::Json).unwrap_err();
    /// assert!(err.to_string().contains("not valid JSON"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Incident::from_bytes_auto`].
    pub fn from_bytes(bytes: &[u8], format: Format) -> Result<Incident, IncidentError> {
        Incident::from_bytes_with_limits(bytes, format, &crate::Limits::DEFAULT)
    }

    /// [`Incident::from_bytes`] within `limits` (`max_document_len`,
    /// checked before the bytes are read as text).
    ///
    /// ```
    /// use esafety::incident::{Format, Incident, IncidentError};
    /// use esafety::Limits;
    /// let mut limits = Limits::default();
    /// limits.max_document_len = 4;
    /// let err = Incident::from_bytes_with_limits(b"kind = \"hacking\"", Format::Toml, &limits).unwrap_err();
    /// assert!(matches!(err, IncidentError::TooLarge { len: 16, max: 4, .. }));
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Incident::from_bytes`]; [`IncidentError::TooLarge`] over
    /// `limits.max_document_len`.
    pub fn from_bytes_with_limits(
        bytes: &[u8],
        format: Format,
        limits: &crate::Limits,
    ) -> Result<Incident, IncidentError> {
        too_large(bytes.len(), limits)?;
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let offset = e.valid_up_to();
            // The bytes before the first invalid one are valid UTF-8, so
            // they give the line and column as every other error counts
            // them (in characters, after the byte-order mark).
            let valid = bytes
                .get(..offset)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default();
            let valid = valid.strip_prefix('\u{FEFF}').unwrap_or(valid);
            let (line, column) = crate::document::line_column(valid, valid.len());
            IncidentError::NotUtf8 {
                file: None,
                line,
                column,
                offset,
            }
        })?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        Incident::read(text, format, limits)
    }

    /// Serialize as pretty JSON in the incident-file shape.
    ///
    /// ```
    /// use esafety::incident::{Incident, Kind, Setting};
    /// let mut incident = Incident::new(Kind::Cyberbullying);
    /// incident.setting = Some(Setting::School);
    /// let json = incident.to_json()?;
    /// assert_eq!(json, "{\n  \"kind\": \"cyberbullying\",\n  \"setting\": \"school\"\n}");
    /// assert_eq!(Incident::from_json(&json)?, incident);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Only if serialization fails, which the types here do not do.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// The children involved.
    ///
    /// ```
    /// use esafety::incident::Incident;
    /// let incident = Incident::from_json(r#"{"kind": "cyberbullying", "people": [
    ///   {"role": "child", "involvement": "victim", "age": 12},
    ///   {"role": "staff", "involvement": "witness"},
    ///   {"role": "child", "involvement": "instigator", "age": 13}
    /// ]}"#)?;
    /// let ages: Vec<Option<u8>> = incident.children().map(|p| p.age).collect();
    /// assert_eq!(ages, [Some(12), Some(13)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn children(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| p.role == Role::Child)
    }

    /// Whether a person with `role` is involved as `involvement`.
    ///
    /// ```
    /// use esafety::incident::{Incident, Involvement, Role};
    /// let incident = Incident::from_toml(r#"
    /// kind = "inappropriate-content"
    /// [[people]]
    /// role = "staff"
    /// involvement = "instigator"
    /// "#)?;
    /// assert!(incident.has(Role::Staff, Involvement::Instigator));
    /// assert!(!incident.has(Role::Staff, Involvement::Victim));
    /// assert!(!incident.has(Role::Child, Involvement::Instigator));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn has(&self, role: Role, involvement: Involvement) -> bool {
        self.people
            .iter()
            .any(|p| p.role == role && p.involvement == involvement)
    }

    /// Whether a UKCIS risk factor holds.
    ///
    /// ```
    /// use esafety::incident::{Incident, RiskFactor};
    /// let incident = Incident::from_json(
    ///     r#"{"kind": "nude-image-sharing", "risk_factors": ["under-13", "coercion"]}"#,
    /// )?;
    /// assert!(incident.has_risk(RiskFactor::Under13));
    /// assert!(!incident.has_risk(RiskFactor::AdultInvolved));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn has_risk(&self, factor: RiskFactor) -> bool {
        self.risk_factors.contains(&factor)
    }
}
