//! Hosts files: `ADDRESS HOST [HOST…]`, `#` comments.
//!
//! The address may be any IPv4 or IPv6 address, an IPv6 one with a zone
//! (`fe80::1%lo0`) too (blocking lists use `0.0.0.0` or `127.0.0.1`);
//! every host after it is a domain entry. The
//! names a system hosts file maps to itself (`localhost`,
//! `broadcasthost`, `ip6-…`, `0.0.0.0`) are counted in
//! [`ParsedList::ignored`](super::ParsedList::ignored), not listed.

use std::net::IpAddr;

use super::ListError;
use super::canon;
use super::ctx::{Problem, Sink};

/// Host names that describe the machine itself, not a blocked site.
const LOCAL_NAMES: &[&str] = &[
    "localhost",
    "localhost.localdomain",
    "local",
    "broadcasthost",
    "ip6-localhost",
    "ip6-loopback",
    "ip6-localnet",
    "ip6-mcastprefix",
    "ip6-allnodes",
    "ip6-allrouters",
    "ip6-allhosts",
    "0.0.0.0",
];

/// Whether a hosts line's first field is an address. An IPv6 link-local
/// address may carry a zone (`fe80::1%lo0`, as in the macOS hosts file),
/// which `IpAddr` does not parse.
fn is_address(field: &str) -> bool {
    if field.parse::<IpAddr>().is_ok() {
        return true;
    }
    field.split_once('%').is_some_and(|(address, zone)| {
        !zone.is_empty() && address.parse::<std::net::Ipv6Addr>().is_ok()
    })
}

pub(super) fn parse(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), ListError> {
    sink.lines(bytes, |sink, line, text| {
        let text = text
            .split_once('#')
            .map_or(text, |(before, _)| before)
            .trim();
        if text.is_empty() {
            return Ok(());
        }
        let mut tokens = text.split_whitespace();
        let address_ok = tokens.next().is_some_and(is_address);
        let mut hosts = tokens.peekable();
        if !address_ok || hosts.peek().is_none() {
            return sink.skip(line, &Problem::HostsNoAddress { text });
        }
        for host in hosts {
            if LOCAL_NAMES.iter().any(|l| l.eq_ignore_ascii_case(host)) {
                sink.ignore();
                continue;
            }
            match canon::domain(host) {
                Ok(h) => sink.entry(line, super::EntryKind::Domain(h))?,
                Err(problem) => sink.skip(line, &problem)?,
            }
        }
        Ok(())
    })
}
