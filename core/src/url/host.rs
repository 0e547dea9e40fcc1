//! Host canonicalization: IDNA, dots, case, IPv4 in every spelling, IPv6.

use std::borrow::Cow;
use std::io::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use idna::AsciiDenyList;

use super::parse::{class, class_of, push_escaped, unescape};
use super::{UrlError, quote};

/// Writes the canonical form of `raw` (the host as written in the URL, no
/// userinfo, no port) to `out`; returns whether it is an IP address.
pub(super) fn write_host(raw: &[u8], out: &mut Vec<u8>) -> Result<bool, UrlError> {
    if raw.first() == Some(&b'[') {
        return write_ipv6(raw, out);
    }
    let start = out.len();
    if is_canonical_host(raw) {
        out.extend_from_slice(raw);
    } else if raw
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        // Nothing to unescape, map or escape.
        write_dotted(raw, out);
    } else {
        let unescaped = unescape(Cow::Borrowed(raw));
        if unescaped.is_ascii() {
            write_dotted(&unescaped, out);
        } else if let Ok(text) = std::str::from_utf8(&unescaped) {
            match idna::domain_to_ascii_cow(text.as_bytes(), AsciiDenyList::URL) {
                Ok(ascii) => write_dotted(ascii.as_bytes(), out),
                Err(_) => {
                    return Err(UrlError::BadIdn {
                        host: quote(text.as_bytes()),
                    });
                }
            }
        } else {
            // Not UTF-8, so not an internationalized name: Safe Browsing
            // keeps the bytes and escapes them (`http://\x01\x80.com/`).
            write_dotted(&unescaped, out);
        }
    }
    let host = out.get(start..).unwrap_or_default();
    if host.is_empty() {
        return Err(UrlError::EmptyHost);
    }
    if ends_in_number(host) {
        let Some(addr) = parse_ipv4(host) else {
            return Err(UrlError::InvalidHost {
                host: quote(host),
                reason: "it ends in a number but is not an IPv4 address; write an address such as `192.0.2.1` or a domain name",
            });
        };
        out.truncate(start);
        write_ipv4(addr, out);
        return Ok(true);
    }
    Ok(false)
}

/// Writes `bytes` lowercased, without leading or trailing dots and with runs
/// of dots collapsed, escaping what a host must not hold literally.
fn write_dotted(bytes: &[u8], out: &mut Vec<u8>) {
    let mut any = false;
    let mut pending_dot = false;
    let mut run_start = None;
    // Copy runs of plain bytes at once; handle the rest byte by byte.
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            if let Some(s) = run_start.take() {
                push_lower(bytes.get(s..i).unwrap_or_default(), out);
            }
            pending_dot = any;
            continue;
        }
        if pending_dot {
            out.push(b'.');
            pending_dot = false;
        }
        any = true;
        if class_of(b) & class::ESC_HOST != 0 {
            if let Some(s) = run_start.take() {
                push_lower(bytes.get(s..i).unwrap_or_default(), out);
            }
            push_escaped(b, out);
        } else if run_start.is_none() {
            run_start = Some(i);
        }
    }
    if let Some(s) = run_start {
        push_lower(bytes.get(s..).unwrap_or_default(), out);
    }
}

/// Pushes ASCII bytes that need no escaping, lowercased.
fn push_lower(bytes: &[u8], out: &mut Vec<u8>) {
    out.extend(bytes.iter().map(u8::to_ascii_lowercase));
}

/// Whether `raw` is already a canonical host name: `a-z 0-9 - _ .` only,
/// no leading, trailing or repeated dot.
fn is_canonical_host(raw: &[u8]) -> bool {
    let mut previous = b'.';
    for &b in raw {
        if class_of(b) & class::HOST_PLAIN == 0 || (b == b'.' && previous == b'.') {
            return false;
        }
        previous = b;
    }
    previous != b'.'
}

/// The WHATWG "ends in a number" test: the last label is all digits, or
/// `0x` followed by hex digits. (The host is lowercase and has no empty
/// labels.)
pub(super) fn ends_in_number(host: &[u8]) -> bool {
    let last = host.rsplit(|&b| b == b'.').next().unwrap_or_default();
    if !last.is_empty() && last.iter().all(u8::is_ascii_digit) {
        return true;
    }
    last.strip_prefix(b"0x")
        .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
}

/// Parses an IPv4 address in any spelling browsers accept: one to four
/// parts, each decimal, octal (leading `0`) or hex (`0x`); the last part
/// fills the remaining bytes.
fn parse_ipv4(host: &[u8]) -> Option<Ipv4Addr> {
    let mut numbers = [0u64; 4];
    let mut count = 0usize;
    for part in host.split(|&b| b == b'.') {
        let slot = numbers.get_mut(count)?;
        *slot = parse_ipv4_number(part)?;
        count += 1;
    }
    let (last, init) = numbers.get(..count)?.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    let last_bits = 8 * u32::try_from(5 - count).ok()?;
    if *last >= 1u64.checked_shl(last_bits)? {
        return None;
    }
    let mut value = *last;
    for (i, &n) in init.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

/// One part of an IPv4 address: `0x` hex, leading-zero octal or decimal.
fn parse_ipv4_number(part: &[u8]) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(hex) = part.strip_prefix(b"0x") {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with(b"0") {
        (part.get(1..)?, 8)
    } else {
        (part, 10)
    };
    let mut value: u64 = 0;
    for &c in digits {
        let digit = u64::from(char::from(c).to_digit(radix)?);
        value = value.checked_mul(u64::from(radix))?.checked_add(digit)?;
    }
    Some(value)
}

fn write_ipv4(addr: Ipv4Addr, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{addr}");
}

/// `[…]`: parsed and written shortened; IPv4-mapped and NAT64 addresses
/// become the IPv4 address.
fn write_ipv6(raw: &[u8], out: &mut Vec<u8>) -> Result<bool, UrlError> {
    let inner = raw
        .strip_prefix(b"[")
        .and_then(|r| r.strip_suffix(b"]"))
        .unwrap_or_default();
    let addr = std::str::from_utf8(inner)
        .ok()
        .and_then(|s| s.parse::<Ipv6Addr>().ok())
        .ok_or_else(|| UrlError::InvalidHost {
            host: quote(raw),
            reason: "not a valid IPv6 address; write one such as `[2001:db8::1]`",
        })?;
    if let Some(v4) = addr.to_ipv4_mapped() {
        write_ipv4(v4, out);
    } else if let [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] = addr.segments() {
        write_ipv4(Ipv4Addr::from(u32::from(hi) << 16 | u32::from(lo)), out);
    } else {
        let _ = write!(out, "[{addr}]");
    }
    Ok(true)
}
