//! [`Cidr`]: an IPv4 or IPv6 address range, written `address/prefix`.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

/// An address range (`10.0.0.0/8`, `2001:db8::/32`; a bare address is one
/// host). The address must be the range's first address: `10.0.0.1/8` is
/// refused rather than read as `10.0.0.0/8`, since it may be a typo for a
/// host.
///
/// ```
/// use esafety::record::site::Cidr;
///
/// let lab: Cidr = "10.0.9.0/24".parse()?;
/// assert!(lab.contains("10.0.9.200".parse()?));
/// assert!(!lab.contains("10.0.10.1".parse()?));
/// assert_eq!("::1".parse::<Cidr>()?.to_string(), "::1/128");
/// let err = "10.0.9.1/24".parse::<Cidr>().unwrap_err();
/// assert_eq!(err.to_string(), "bad address range `10.0.9.1/24`: the address is not the first of its range; write `10.0.9.0/24` for the range or `10.0.9.1/32` for the host");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr(IpNet);

/// Text that is not an address range.
///
/// ```
/// use esafety::record::site::Cidr;
///
/// let err = "10.0.0.0/33".parse::<Cidr>().unwrap_err();
/// assert!(err.to_string().starts_with("bad address range `10.0.0.0/33`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad address range `{text}`: {reason}")]
pub struct CidrError {
    text: String,
    reason: String,
}

impl CidrError {
    fn new(text: &str, reason: impl Into<String>) -> CidrError {
        CidrError {
            text: text.chars().take(100).collect(),
            reason: reason.into(),
        }
    }
}

impl Cidr {
    /// The range of exactly `ip`.
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// assert_eq!(Cidr::host("10.0.0.7".parse()?).to_string(), "10.0.0.7/32");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn host(ip: IpAddr) -> Cidr {
        Cidr(IpNet::from(ip))
    }

    /// The range `network/prefix`, the address cut to the prefix.
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// assert_eq!(Cidr::truncated("10.0.9.1".parse()?, 24).map(|c| c.to_string()), Some("10.0.9.0/24".into()));
    /// assert_eq!(Cidr::truncated("10.0.9.1".parse()?, 40), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn truncated(ip: IpAddr, prefix: u8) -> Option<Cidr> {
        IpNet::new(ip, prefix).ok().map(|n| Cidr(n.trunc()))
    }

    /// Whether `ip` is in the range (an IPv4 address is never in an IPv6
    /// range, nor the other way round).
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// let v6: Cidr = "2001:db8::/32".parse()?;
    /// assert!(v6.contains("2001:db8::5".parse()?));
    /// assert!(!v6.contains("10.0.0.1".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }

    /// Whether every address of `other` is in this range.
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// let school: Cidr = "10.0.0.0/8".parse()?;
    /// assert!(school.covers(&"10.0.9.0/24".parse()?));
    /// assert!(!"10.0.9.0/24".parse::<Cidr>()?.covers(&school));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn covers(&self, other: &Cidr) -> bool {
        self.0.contains(&other.0)
    }

    /// Whether the two ranges share an address (one covers the other: CIDR
    /// ranges either nest or are apart).
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// let a: Cidr = "10.0.0.0/8".parse()?;
    /// assert!(a.overlaps(&"10.0.9.0/24".parse()?));
    /// assert!(!a.overlaps(&"11.0.0.0/8".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.covers(other) || other.covers(self)
    }

    /// The first address.
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// assert_eq!("10.0.9.0/24".parse::<Cidr>()?.network().to_string(), "10.0.9.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn network(&self) -> IpAddr {
        self.0.network()
    }

    /// The prefix length.
    ///
    /// ```
    /// use esafety::record::site::Cidr;
    ///
    /// assert_eq!("10.0.9.0/24".parse::<Cidr>()?.prefix(), 24);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prefix(&self) -> u8 {
        self.0.prefix_len()
    }

    /// The last address (the site linter's index looks up the ranges
    /// inside this one between its first and last address).
    #[cfg(feature = "lint")]
    pub(super) fn last(&self) -> IpAddr {
        self.0.broadcast()
    }
}

impl std::str::FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Cidr, CidrError> {
        let trimmed = text.trim();
        let Some((address, prefix)) = trimmed.split_once('/') else {
            return trimmed
                .parse::<IpAddr>()
                .map(Cidr::host)
                .map_err(|_| CidrError::new(text, "not an IPv4 or IPv6 address; write e.g. `10.0.0.0/8`, `10.0.0.7` or `2001:db8::/32`"));
        };
        let ip: IpAddr = address.parse().map_err(|_| {
            CidrError::new(text, format!("`{address}` is not an IPv4 or IPv6 address"))
        })?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= max).ok_or_else(|| {
            CidrError::new(text, format!("the prefix must be a number from 0 to {max}"))
        })?;
        let net = IpNet::new(ip, prefix).map_err(|_| {
            CidrError::new(text, format!("the prefix must be a number from 0 to {max}"))
        })?;
        if net.network() != ip {
            return Err(CidrError::new(
                text,
                format!(
                    "the address is not the first of its range; write `{}` for the range or `{ip}/{max}` for the host",
                    net.trunc()
                ),
            ));
        }
        Ok(Cidr(net))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
