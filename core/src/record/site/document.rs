//! Reading a site file (serde + the `toml` crate).

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Cidr, ClientEntry, Site, SiteError};
use crate::policy::{Device, Ident};

/// A site file as written (its JSON Schema is
/// `policies/schema/site.schema.json`).
///
/// ```
/// use esafety::record::site::SiteDocument;
///
/// let doc: SiteDocument = toml::from_str("site = \"s\"\n[[clients]]\nuser = [\"alice\"]\n")?;
/// assert_eq!(doc.clients[0].user.as_deref(), Some(&["alice".to_owned()][..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "esafety site file"))]
pub struct SiteDocument {
    /// The site's name, written into every record (`site`).
    pub site: String,
    /// Who the clients are, in order: the first entry that matches decides.
    #[serde(default)]
    pub clients: Vec<ClientDoc>,
}

/// One `[[clients]]` entry as written.
///
/// ```
/// use esafety::record::site::ClientDoc;
///
/// let entry: ClientDoc = toml::from_str("ip = [\"10.0.0.0/8\"]\ngroup = \"pupils\"\nage = 12\n")?;
/// assert_eq!(entry.age, Some(12));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientDoc {
    /// Address ranges (CIDR, IPv4 or IPv6; a bare address is one host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<Vec<String>>,
    /// User names from the proxy's authentication (compared ignoring ASCII
    /// case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Vec<String>>,
    /// The policy file, relative to the site file (default: the helper's
    /// `--policy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The group the policy is evaluated for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Ident>,
    /// The users' age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(max = 120)))]
    pub age: Option<u8>,
    /// The kind of device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
}

/// The same shape with the spans the linter and the errors need.
#[derive(Deserialize)]
struct Spanned {
    #[serde(default)]
    clients: Vec<toml::Spanned<SpannedClient>>,
}

#[derive(Deserialize)]
struct SpannedClient {
    #[serde(default)]
    ip: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
    #[serde(default)]
    user: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
    #[serde(default)]
    age: Option<toml::Spanned<u8>>,
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn invalid(source: &str, text: &str, span: Option<Range<usize>>, message: String) -> SiteError {
    let (line, column) = line_column(text, span.map_or(0, |s| s.start));
    SiteError::Invalid {
        source_name: source.to_owned(),
        line,
        column,
        message,
    }
}

fn toml_error(source: &str, text: &str, e: &toml::de::Error) -> SiteError {
    let message = e.message().trim_end().to_owned();
    let message = if message.starts_with("missing field") {
        format!("{message}; add it")
    } else if message.starts_with("unknown field") {
        format!("{message}; remove it or correct its spelling")
    } else {
        message
    };
    invalid(source, text, e.span(), message)
}

/// The byte offsets of a text's newlines, so the line of each entry's
/// header is found in O(log n) (counting the newlines before each one was
/// quadratic in the entries: 10,000 took 22 s).
struct Newlines(Vec<usize>);

impl Newlines {
    fn new(text: &str) -> Newlines {
        Newlines(text.match_indices('\n').map(|(i, _)| i).collect())
    }

    /// The line of a `[[clients]]` header (the span toml gives an entry of
    /// an array of tables is its header): as [`line_column`] counts it.
    fn header_line(&self, span: &Range<usize>) -> usize {
        self.0.partition_point(|&nl| nl < span.start) + 1
    }
}

pub(super) fn load(source: &str, text: &str) -> Result<Site, SiteError> {
    let doc: SiteDocument = toml::from_str(text).map_err(|e| toml_error(source, text, &e))?;
    let spans: Spanned = toml::from_str(text).map_err(|e| toml_error(source, text, &e))?;
    let newlines = Newlines::new(text);
    let mut clients = Vec::with_capacity(doc.clients.len());
    for (entry, spanned) in doc.clients.into_iter().zip(spans.clients) {
        let span = spanned.span();
        let spanned = spanned.into_inner();
        let ranges = match (entry.ip, spanned.ip) {
            (Some(ips), Some(spans)) => {
                let (list_span, spans) = (spans.span(), spans.into_inner());
                if ips.is_empty() {
                    return Err(invalid(source, text, Some(list_span), "`ip` is empty, so the entry could never match; remove `ip` or list at least one range".to_owned()));
                }
                let mut ranges = Vec::with_capacity(ips.len());
                for (ip, at) in ips.iter().zip(&spans) {
                    let cidr: Cidr = ip.parse().map_err(|e: super::CidrError| {
                        invalid(source, text, Some(at.span()), e.to_string())
                    })?;
                    ranges.push(cidr);
                }
                Some(ranges)
            }
            _ => None,
        };
        let users = match (entry.user, spanned.user) {
            (Some(users), Some(spans)) => {
                let (list_span, spans) = (spans.span(), spans.into_inner());
                if users.is_empty() {
                    return Err(invalid(source, text, Some(list_span), "`user` is empty, so the entry could never match; remove `user` or list at least one name".to_owned()));
                }
                let mut names = Vec::with_capacity(users.len());
                let mut seen = HashSet::new();
                for (user, at) in users.iter().zip(&spans) {
                    let name = user.trim().to_ascii_lowercase();
                    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control())
                    {
                        return Err(invalid(
                            source,
                            text,
                            Some(at.span()),
                            format!(
                                "bad user name `{user}`: a user name has no spaces or control characters; write it as the proxy authenticates it"
                            ),
                        ));
                    }
                    if seen.insert(name.clone()) {
                        names.push(name);
                    }
                }
                Some(names)
            }
            _ => None,
        };
        if let (Some(age), Some(at)) = (entry.age, spanned.age.as_ref())
            && age > 120
        {
            return Err(invalid(
                source,
                text,
                Some(at.span()),
                format!("age {age} is out of range; give an age from 0 to 120 or leave it out"),
            ));
        }
        if let Some(policy) = &entry.policy
            && policy.trim().is_empty()
        {
            return Err(invalid(
                source,
                text,
                Some(span.clone()),
                "`policy` is empty; give the policy file's path, relative to the site file, or leave `policy` out for the default".to_owned(),
            ));
        }
        clients.push(ClientEntry {
            ranges,
            users,
            policy: entry.policy,
            group: entry.group.map(|g| g.as_str().to_owned()),
            age: entry.age,
            device: entry.device,
            line: newlines.header_line(&span),
        });
    }
    let name = doc.site.trim();
    if name.is_empty() {
        return Err(invalid(
            source,
            text,
            None,
            "`site` is empty; name the site, e.g. `site = \"example-school\"`".to_owned(),
        ));
    }
    Ok(Site {
        name: name.to_owned(),
        clients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("é\nx", 3), (2, 1));
        assert_eq!(line_column("", 10), (1, 1));
    }
}
