//! The site file: who a client is, and which policy applies to them.
//!
//! One proxy serves a school's pupils and staff, each under their own
//! Acceptable Use Policy (STANDARD.md, "Acceptable use policies": separate
//! AUPs for staff and for children). The site file maps clients to a
//! policy, group, age and device. It is TOML:
//!
//! ```toml
//! site = "example-school"
//!
//! [[clients]]
//! ip = ["127.0.0.2/32", "10.10.0.0/16", "2001:db8:10::/48"]
//! policy = "secondary-pupils.toml"
//! group = "pupils"
//! age = 14
//! device = "managed"
//!
//! [[clients]]
//! user = ["alice", "bob"]
//! policy = "staff.toml"
//! group = "staff"
//! age = 40
//! ```
//!
//! - Each `[[clients]]` entry matches by `ip` (CIDR ranges, IPv4 and IPv6;
//!   a bare address is one host) and/or `user` (names from the proxy's
//!   authentication, compared ignoring ASCII case). An entry with both
//!   needs both, as a squidGuard `src` block does; an entry with neither
//!   matches every client (a catch-all, best last).
//! - The first entry that matches decides; a client nothing matches gets
//!   the default policy (the helper's `--policy`) with no group, age or
//!   device.
//! - `policy` is a path relative to the site file; without one the entry
//!   uses the default policy.
//! - An IPv4 client Squid writes as IPv6 (`::ffff:10.0.0.7`) matches as
//!   the IPv4 address.
//!
//! [`lint`] reports overlapping ranges, entries that can never match and a
//! missing catch-all; [`import_squidguard`] writes a site file from the
//! `src` blocks of a squidGuard configuration.
//!
//! ```
//! use esafety::record::site::Site;
//!
//! let site = Site::from_toml_str("site.toml", r#"
//!     site = "example-school"
//!     [[clients]]
//!     ip = ["127.0.0.2/32"]
//!     policy = "secondary-pupils.toml"
//!     group = "pupils"
//!     age = 14
//!     device = "managed"
//!     [[clients]]
//!     user = ["alice"]
//!     policy = "staff.toml"
//!     group = "staff"
//!     age = 40
//! "#)?;
//! let pupil = site.resolve(Some("127.0.0.2".parse()?), None).ok_or("no match")?;
//! assert_eq!((pupil.group(), pupil.age(), pupil.policy()), (Some("pupils"), Some(14), Some("secondary-pupils.toml")));
//! let staff = site.resolve(Some("127.0.0.3".parse()?), Some("ALICE")).ok_or("no match")?;
//! assert_eq!(staff.group(), Some("staff"));
//! assert!(site.resolve(Some("127.0.0.3".parse()?), None).is_none()); // the default policy
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cidr;
mod document;
#[cfg(feature = "lint")]
mod lint;
mod squidguard;

use std::net::IpAddr;

pub use cidr::{Cidr, CidrError};
pub use document::{ClientDoc, SiteDocument};
#[cfg(all(feature = "lint", any(test, feature = "fuzzing")))]
pub use lint::lint_pairwise;
#[cfg(feature = "lint")]
pub use lint::{lint, lint_with_policies};
pub use squidguard::{ImportError, import_squidguard};

use crate::policy::Device;

/// A site file that could not be read.
///
/// ```
/// use esafety::record::site::{Site, SiteError};
///
/// let err = Site::from_toml_str("site.toml", "site = \"s\"\n[[clients]]\nip = [\"10.0.0.300/8\"]\n").unwrap_err();
/// assert!(matches!(err, SiteError::Invalid { line: 3, .. }));
/// assert!(err.to_string().starts_with("site.toml:3:7: bad address range `10.0.0.300/8`"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SiteError {
    /// Not valid TOML, an unknown or missing field, or a value that is not
    /// allowed.
    #[error("{source_name}:{line}:{column}: {message}")]
    Invalid {
        /// The site file's name.
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// The 1-based column (in characters).
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// The site file is longer than
    /// [`Limits::max_document_len`](crate::Limits::max_document_len) bytes
    /// (default 4 MiB): refused before it is parsed.
    #[error(
        "{source_name}: the site file is {len} bytes, over {max}, the limit `{limit}`; split the site into smaller site files"
    )]
    TooLarge {
        /// The site file's name.
        source_name: String,
        /// Its length in bytes.
        len: usize,
        /// The limit exceeded ([`Limit::DocumentLen`](crate::limits::Limit::DocumentLen)).
        limit: crate::limits::Limit,
        /// Its value.
        max: usize,
    },
}

/// One `[[clients]]` entry, checked.
///
/// ```
/// use esafety::record::site::Site;
///
/// let site = Site::from_toml_str("site.toml", "site = \"s\"\n\n[[clients]]\nuser = [\"Alice\"]\ngroup = \"staff\"\n")?;
/// let entry = &site.clients()[0];
/// assert_eq!((entry.line(), entry.users(), entry.group()), (3, &["alice".to_owned()][..], Some("staff")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientEntry {
    ranges: Option<Vec<Cidr>>,
    /// Lowercase (ASCII) names.
    users: Option<Vec<String>>,
    policy: Option<String>,
    group: Option<String>,
    age: Option<u8>,
    device: Option<Device>,
    line: usize,
}

impl ClientEntry {
    /// The address ranges, if the entry matches by address.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\", \"::1\"]\n")?;
    /// let ranges: Vec<String> = site.clients()[0].ranges().iter().map(|r| r.to_string()).collect();
    /// assert_eq!(ranges, ["10.0.0.0/8", "::1/128"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ranges(&self) -> &[Cidr] {
        self.ranges.as_deref().unwrap_or_default()
    }

    /// The user names (lowercase), if the entry matches by user.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\nuser = [\"BOB\"]\n")?;
    /// assert_eq!(site.clients()[0].users(), ["bob"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn users(&self) -> &[String] {
        self.users.as_deref().unwrap_or_default()
    }

    /// Whether the entry matches every client (no `ip`, no `user`).
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\ngroup = \"guests\"\n")?;
    /// assert!(site.clients()[0].is_catch_all());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_catch_all(&self) -> bool {
        self.ranges.is_none() && self.users.is_none()
    }

    /// The policy path as written (relative to the site file), if any.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\npolicy = \"staff.toml\"\n")?;
    /// assert_eq!(site.clients()[0].policy(), Some("staff.toml"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// The group the entry gives.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\ngroup = \"year-9\"\n")?;
    /// assert_eq!(site.clients()[0].group(), Some("year-9"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }

    /// The age the entry gives.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\nage = 12\n")?;
    /// assert_eq!(site.clients()[0].age(), Some(12));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn age(&self) -> Option<u8> {
        self.age
    }

    /// The device the entry gives.
    ///
    /// ```
    /// use esafety::policy::Device;
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\ndevice = \"byod\"\n")?;
    /// assert_eq!(site.clients()[0].device(), Some(Device::Byod));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn device(&self) -> Option<Device> {
        self.device
    }

    /// The 1-based line of the entry's `[[clients]]` header.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\n[[clients]]\n")?;
    /// assert_eq!((site.clients()[0].line(), site.clients()[1].line()), (2, 3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line(&self) -> usize {
        self.line
    }

    /// Whether the entry matches a client at `ip` signed in as `user`.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\"]\nuser = [\"alice\"]\n")?;
    /// let entry = &site.clients()[0];
    /// assert!(entry.matches(Some("10.1.2.3".parse()?), Some("Alice")));
    /// assert!(!entry.matches(Some("10.1.2.3".parse()?), None)); // both are needed
    /// assert!(!entry.matches(None, Some("alice")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, ip: Option<IpAddr>, user: Option<&str>) -> bool {
        if let Some(ranges) = &self.ranges {
            let Some(ip) = ip.map(unmapped) else {
                return false;
            };
            if !ranges.iter().any(|r| r.contains(ip)) {
                return false;
            }
        }
        if let Some(users) = &self.users {
            let Some(user) = user.map(str::trim).filter(|u| !u.is_empty()) else {
                return false;
            };
            if !users.iter().any(|u| u.eq_ignore_ascii_case(user)) {
                return false;
            }
        }
        true
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// A loaded site file.
///
/// ```
/// use esafety::record::site::Site;
///
/// let site = Site::from_toml_str("site.toml", "site = \"example-school\"\n")?;
/// assert_eq!(site.name(), "example-school");
/// assert!(site.clients().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    name: String,
    clients: Vec<ClientEntry>,
}

impl Site {
    /// Reads a site file. `source` names it in errors.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let err = Site::from_toml_str("site.toml", "site = \"s\"\n[[clients]]\nage = 14\ncolour = 3\n").unwrap_err();
    /// assert!(err.to_string().starts_with("site.toml:4:1: unknown field `colour`"), "{err}");
    /// let err = Site::from_toml_str("site.toml", "[[clients]]\n").unwrap_err();
    /// assert!(err.to_string().contains("missing field `site`"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`SiteError::Invalid`] naming the file, line and column;
    /// [`SiteError::TooLarge`] for a text over
    /// [`Limits::max_document_len`](crate::Limits::max_document_len).
    pub fn from_toml_str(source: &str, text: &str) -> Result<Site, SiteError> {
        Site::from_toml_str_with_limits(source, text, &crate::Limits::DEFAULT)
    }

    /// [`Site::from_toml_str`] within `limits` (`max_document_len`,
    /// checked before the text is parsed): a site of many thousands of
    /// clients may need more than the default 4 MiB.
    ///
    /// ```
    /// use esafety::record::site::{Site, SiteError};
    /// use esafety::{ErrorCode, Limits};
    /// let text = "site = \"s\"\n[[clients]]\n";
    /// let mut limits = Limits::default();
    /// limits.max_document_len = text.len();
    /// assert_eq!(Site::from_toml_str_with_limits("s.toml", text, &limits)?.clients().len(), 1);
    /// limits.max_document_len = 8;
    /// let err = Site::from_toml_str_with_limits("s.toml", text, &limits).unwrap_err();
    /// assert!(matches!(err, SiteError::TooLarge { len: 23, max: 8, .. }));
    /// assert!(err.to_string().starts_with("s.toml: the site file is 23 bytes, over 8, the limit `max_document_len`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Site::from_toml_str`], with `limits.max_document_len` for
    /// [`SiteError::TooLarge`].
    pub fn from_toml_str_with_limits(
        source: &str,
        text: &str,
        limits: &crate::Limits,
    ) -> Result<Site, SiteError> {
        let max = limits.max_document_len;
        if text.len() > max {
            return Err(SiteError::TooLarge {
                source_name: source.to_owned(),
                len: text.len(),
                limit: crate::limits::Limit::DocumentLen,
                max,
            });
        }
        document::load(source, text)
    }

    /// The site's name.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// assert_eq!(Site::from_toml_str("s.toml", "site = \"north-campus\"")?.name(), "north-campus");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The entries, in order.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\ngroup = \"a\"\n[[clients]]\ngroup = \"b\"\n")?;
    /// let groups: Vec<_> = site.clients().iter().map(|c| c.group()).collect();
    /// assert_eq!(groups, [Some("a"), Some("b")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn clients(&self) -> &[ClientEntry] {
        &self.clients
    }

    /// The first entry that matches a client at `ip` signed in as `user`;
    /// `None` means the default policy, with no group, age or device.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", r#"
    ///     site = "s"
    ///     [[clients]]
    ///     ip = ["10.0.9.0/24"]
    ///     group = "lab"
    ///     [[clients]]
    ///     ip = ["10.0.0.0/8"]
    ///     group = "pupils"
    /// "#)?;
    /// assert_eq!(site.resolve(Some("10.0.9.5".parse()?), None).and_then(|c| c.group()), Some("lab"));
    /// assert_eq!(site.resolve(Some("::ffff:10.0.1.5".parse()?), None).and_then(|c| c.group()), Some("pupils"));
    /// assert!(site.resolve(Some("192.168.0.1".parse()?), None).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, ip: Option<IpAddr>, user: Option<&str>) -> Option<&ClientEntry> {
        self.clients.iter().find(|c| c.matches(ip, user))
    }

    /// The index of [`Site::resolve`]'s entry.
    ///
    /// ```
    /// use esafety::record::site::Site;
    ///
    /// let site = Site::from_toml_str("s.toml", "site = \"s\"\n[[clients]]\nuser = [\"a\"]\n[[clients]]\n")?;
    /// assert_eq!(site.resolve_index(None, Some("a")), Some(0));
    /// assert_eq!(site.resolve_index(None, Some("b")), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_index(&self, ip: Option<IpAddr>, user: Option<&str>) -> Option<usize> {
        self.clients.iter().position(|c| c.matches(ip, user))
    }
}
