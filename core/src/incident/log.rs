//! The incident log: one record per incident with the five fields the
//! standard requires (STANDARD.md, "Incidents": "Every incident log entry
//! records: (1) a description of the incident, (2) the people involved,
//! (3) how it was identified, (4) what actions were taken and by whom,
//! (5) the conclusion"), kept as append-only JSON lines.

use std::fmt;
use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::assess::Assessment;
use super::facts::{Incident, Person};
use super::ids::{IdentifiedBy, Kind, RouteId, Severity};

/// One of the five required fields of an incident-log record.
///
/// It displays as its key and the standard's words, and serializes as its key.
///
/// ```
/// use esafety::incident::LogField;
/// let field = LogField::ActionsTaken;
/// assert_eq!(field.to_string(), "`actions_taken` (what actions were taken and by whom)");
/// assert_eq!(serde_json::to_string(&field)?, r#""actions_taken""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogField {
    /// (1) A description of the incident.
    Description,
    /// (2) The people involved.
    People,
    /// (3) How it was identified.
    IdentifiedBy,
    /// (4) What actions were taken and by whom.
    ActionsTaken,
    /// (5) The conclusion.
    Conclusion,
}

impl LogField {
    /// Every field, in the standard's order.
    ///
    /// ```
    /// use esafety::incident::LogField;
    /// assert_eq!(
    ///     LogField::ALL.map(LogField::key),
    ///     ["description", "people", "identified_by", "actions_taken", "conclusion"]
    /// );
    /// ```
    pub const ALL: [LogField; 5] = [
        LogField::Description,
        LogField::People,
        LogField::IdentifiedBy,
        LogField::ActionsTaken,
        LogField::Conclusion,
    ];

    /// The field's key in the incident file and the log.
    ///
    /// ```
    /// use esafety::incident::LogField;
    /// assert_eq!(LogField::IdentifiedBy.key(), "identified_by");
    /// assert_eq!(LogField::Conclusion.key(), "conclusion");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            LogField::Description => "description",
            LogField::People => "people",
            LogField::IdentifiedBy => "identified_by",
            LogField::ActionsTaken => "actions_taken",
            LogField::Conclusion => "conclusion",
        }
    }

    /// The field in the standard's words.
    ///
    /// ```
    /// use esafety::incident::LogField;
    /// assert_eq!(LogField::IdentifiedBy.label(), "how it was identified");
    /// assert_eq!(LogField::People.label(), "the people involved");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            LogField::Description => "a description of the incident",
            LogField::People => "the people involved",
            LogField::IdentifiedBy => "how it was identified",
            LogField::ActionsTaken => "what actions were taken and by whom",
            LogField::Conclusion => "the conclusion",
        }
    }
}

impl fmt::Display for LogField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` ({})", self.key(), self.label())
    }
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// The log fields an incident file still lacks.
///
/// ```
/// use esafety::incident::{missing_log_fields, Incident, LogField};
/// let incident = Incident::from_toml(r#"
/// kind = "hacking"
/// identified_by = "monitoring-alert"
/// people = [{ role = "child", involvement = "instigator", age = 15 }]
/// [log]
/// description = "A pupil used a proxy site to get round the filter"
/// actions_taken = "Laptop taken out of use by the e-safety officer"
/// "#)?;
/// assert_eq!(missing_log_fields(&incident), [LogField::Conclusion]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn missing_log_fields(incident: &Incident) -> Vec<LogField> {
    LogRecord::from_incident(incident, None).missing()
}

/// Errors of the incident log.
///
/// ```
/// use esafety::incident::{LogError, LogField, LogRecord};
/// let conclusion = Some("Sanctioned under the AUP".to_owned());
/// let err = LogRecord { conclusion, ..LogRecord::default() }.validate().unwrap_err();
/// use LogField::{ActionsTaken, Description, IdentifiedBy, People};
/// assert_eq!(err, LogError::Incomplete(vec![Description, People, IdentifiedBy, ActionsTaken]));
/// assert!(err.to_string().starts_with("incomplete incident log record: missing `description` ("));
/// assert!(err.to_string().ends_with("; fill them in before the record is closed"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// A record lacks required fields.
    #[error("incomplete incident log record: missing {}; fill them in before the record is closed", list(.0))]
    Incomplete(Vec<LogField>),
    /// A record could not be written as JSON.
    #[error("cannot write the incident log record as JSON: {0}")]
    Serialize(String),
}

fn list(fields: &[LogField]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One incident-log record.
///
/// ```
/// use esafety::incident::{LogField, LogRecord};
/// let record = LogRecord { description: Some("pupil found a proxy site".into()), ..LogRecord::default() };
/// let err = record.validate().unwrap_err();
/// assert!(err.to_string().contains("`people` (the people involved)"));
/// assert_eq!(record.missing(), vec![LogField::People, LogField::IdentifiedBy, LogField::ActionsTaken, LogField::Conclusion]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRecord {
    /// When the record was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<jiff::Timestamp>,
    /// What happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The assessed severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// (1) A description of the incident.
    #[serde(default)]
    pub description: Option<String>,
    /// (2) The people involved.
    #[serde(default)]
    pub people: Vec<Person>,
    /// (3) How it was identified.
    #[serde(default)]
    pub identified_by: Option<IdentifiedBy>,
    /// (4) What actions were taken and by whom.
    #[serde(default)]
    pub actions_taken: Option<String>,
    /// (5) The conclusion.
    #[serde(default)]
    pub conclusion: Option<String>,
    /// The routes the assessment gave.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteId>,
}

impl LogRecord {
    /// A record from an incident file and, when there is one, its assessment.
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, Kind, LogRecord, RouteId};
    /// use esafety::incident::Severity;
    /// let incident = Incident::from_json(r#"{"kind": "aup-breach", "deliberate": true}"#)?;
    /// let a = assess(&incident, &EscalationProfile::national()?);
    /// let record = LogRecord::from_incident(&incident, Some(&a));
    /// assert_eq!(record.kind, Some(Kind::AupBreach));
    /// assert_eq!(record.severity, Some(Severity::Low));
    /// assert_eq!(record.routes, [RouteId::Internal]);
    /// let unassessed = LogRecord::from_incident(&incident, None);
    /// assert_eq!((unassessed.severity, unassessed.routes.len()), (None, 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_incident(incident: &Incident, assessment: Option<&Assessment>) -> LogRecord {
        LogRecord {
            recorded_at: None,
            kind: Some(incident.kind),
            severity: assessment.map(|a| a.severity),
            description: incident.log.description.clone(),
            people: incident.people.clone(),
            identified_by: incident.identified_by,
            actions_taken: incident.log.actions_taken.clone(),
            conclusion: incident.log.conclusion.clone(),
            routes: assessment
                .map(|a| a.routes.iter().map(|r| r.route).collect())
                .unwrap_or_default(),
        }
    }

    /// The required fields that are missing or empty, in the standard's order.
    /// A text field that is only whitespace counts as empty.
    ///
    /// ```
    /// use esafety::incident::{IdentifiedBy, LogField, LogRecord};
    /// let record = LogRecord {
    ///     description: Some("   ".into()),
    ///     identified_by: Some(IdentifiedBy::StaffObservation),
    ///     conclusion: Some("Filter rule added; pupil spoken to".into()),
    ///     ..LogRecord::default()
    /// };
    /// use LogField::{ActionsTaken, Description, People};
    /// assert_eq!(record.missing(), [Description, People, ActionsTaken]);
    /// ```
    pub fn missing(&self) -> Vec<LogField> {
        LogField::ALL
            .into_iter()
            .filter(|f| match f {
                LogField::Description => blank(&self.description),
                LogField::People => self.people.is_empty(),
                LogField::IdentifiedBy => self.identified_by.is_none(),
                LogField::ActionsTaken => blank(&self.actions_taken),
                LogField::Conclusion => blank(&self.conclusion),
            })
            .collect()
    }

    /// Check that every required field is present and not empty.
    ///
    /// ```
    /// use esafety::incident::{Incident, LogRecord};
    /// let incident = Incident::from_toml(r#"
    /// kind = "inappropriate-content"
    /// identified_by = "filter-alert"
    /// people = [{ role = "child", involvement = "victim", age = 9 }]
    /// [log]
    /// description = "A pupil reached a violent video through a search"
    /// actions_taken = "Teacher closed the page and told the e-safety officer"
    /// conclusion = "Accidental; search filtering tightened"
    /// "#)?;
    /// LogRecord::from_incident(&incident, None).validate()?;
    /// let reopened = LogRecord { conclusion: None, ..LogRecord::from_incident(&incident, None) };
    /// assert!(reopened.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`LogError::Incomplete`] naming every missing or empty field.
    pub fn validate(&self) -> Result<(), LogError> {
        let missing = self.missing();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(LogError::Incomplete(missing))
        }
    }
}

/// A log line that could not be read.
///
/// ```
/// use esafety::incident::IncidentLog;
/// let (records, errors) = IncidentLog::read_log(&b"{\"people\": 3}\n"[..]);
/// assert!(records.is_empty());
/// assert_eq!(errors[0].line, 1);
/// let message = errors[0].to_string();
/// assert!(message.starts_with("line 1: not an incident log record: "));
/// assert!(message.ends_with("; the rest of the log was kept"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}; the rest of the log was kept")]
pub struct LogLineError {
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// The append-only incident log, one JSON record per line.
///
/// ```
/// use esafety::incident::{IncidentLog, LogRecord};
/// let a = LogRecord { description: Some("first".into()), ..LogRecord::default() };
/// let b = LogRecord { description: Some("third".into()), ..LogRecord::default() };
/// let mut log = IncidentLog::append_line(&a)?;
/// log.push_str("{not json\n");
/// log.push_str(&IncidentLog::append_line(&b)?);
/// let (records, errors) = IncidentLog::read_log(log.as_bytes());
/// assert_eq!(records, vec![a, b]);
/// assert_eq!(errors.len(), 1);
/// assert_eq!(errors[0].line, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct IncidentLog;

impl IncidentLog {
    /// The line to append for a record: compact JSON and a newline.
    ///
    /// ```
    /// use esafety::incident::{IncidentLog, Kind, LogRecord};
    /// let record = LogRecord { kind: Some(Kind::Hacking), ..LogRecord::default() };
    /// assert_eq!(
    ///     IncidentLog::append_line(&record)?,
    ///     concat!(
    ///         r#"{"kind":"hacking","description":null,"people":[],"identified_by":null,"#,
    ///         r#""actions_taken":null,"conclusion":null}"#,
    ///         "\n"
    ///     )
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`LogError::Serialize`] if the record cannot be written as JSON
    /// (the types here always can).
    pub fn append_line(record: &LogRecord) -> Result<String, LogError> {
        let mut line =
            serde_json::to_string(record).map_err(|e| LogError::Serialize(e.to_string()))?;
        line.push('\n');
        Ok(line)
    }

    /// Read a log: every record that parses, and one error per line that
    /// does not (blank lines are skipped). A read error stops the reading
    /// and is reported on the line it happened.
    ///
    /// ```
    /// use esafety::incident::{IncidentLog, LogRecord};
    /// let description = Some("Proxy site found on a pupil laptop".to_owned());
    /// let record = LogRecord { description, ..LogRecord::default() };
    /// let mut log = IncidentLog::append_line(&record)?.into_bytes();
    /// log.extend_from_slice(b"\n\xff\xfe\n");
    /// let (records, errors) = IncidentLog::read_log(&log[..]);
    /// assert_eq!(records, [record]);
    /// assert_eq!(errors.len(), 1); // the blank line 2 is skipped
    /// assert_eq!((errors[0].line, errors[0].reason.as_str()), (3, "not UTF-8 text"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_log<R: BufRead>(mut reader: R) -> (Vec<LogRecord>, Vec<LogLineError>) {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        let mut buf = Vec::new();
        let mut line = 0usize;
        loop {
            buf.clear();
            line = line.saturating_add(1);
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    errors.push(LogLineError {
                        line,
                        reason: format!("cannot read the log: {e}"),
                    });
                    break;
                }
            }
            let Ok(text) = std::str::from_utf8(&buf) else {
                errors.push(LogLineError {
                    line,
                    reason: "not UTF-8 text".to_owned(),
                });
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            match crate::document::read::<LogRecord>(text, crate::document::Format::Json) {
                Ok(r) => records.push(r),
                Err(e) => errors.push(LogLineError {
                    line,
                    reason: format!(
                        "not an incident log record: {} at column {}",
                        e.message(),
                        e.line_column(text).1
                    ),
                }),
            }
        }
        (records, errors)
    }
}
