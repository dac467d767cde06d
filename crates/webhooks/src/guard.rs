//! The SSRF guard: webhook targets may not reach loopback, private, link-local, shared (CGNAT),
//! multicast, reserved or cloud-metadata addresses — checked on the URL's literal address and on
//! every address its name resolves to, at creation and at each delivery, unless the operator
//! allows private targets.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;

use thiserror::Error;
use url::{Host, Url};

#[derive(Debug, Error, PartialEq, Eq)]
pub enum TargetError {
    #[error("the URL is not valid: {0}")]
    Malformed(String),
    #[error("the URL must use http or https")]
    Scheme,
    #[error("the URL must not carry credentials; sign requests with the webhook secret instead")]
    Credentials,
    #[error("the target address {0} is private, loopback, link-local or reserved")]
    Forbidden(IpAddr),
    #[error("the target host {0} could not be resolved")]
    Unresolvable(String),
}

/// Parses a webhook target URL and checks its form (not yet its addresses).
pub fn parse_target(raw: &str) -> Result<Url, TargetError> {
    let url = Url::parse(raw.trim()).map_err(|e| TargetError::Malformed(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::Scheme);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    if url.host().is_none() {
        return Err(TargetError::Malformed("the URL has no host".to_owned()));
    }
    Ok(url)
}

/// Checks a target's addresses: a literal IP directly (WHATWG parsing already turned forms such as
/// `2130706433` and `0x7f.1` into addresses), a name by resolving it.
pub async fn check_target(url: &Url, allow_private: bool) -> Result<(), TargetError> {
    if allow_private {
        return Ok(());
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let port = url.port_or_known_default().unwrap_or(443);
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((name, port)).await.map_err(|_| TargetError::Unresolvable(name.to_owned()))?.collect();
            if addresses.is_empty() {
                return Err(TargetError::Unresolvable(name.to_owned()));
            }
            addresses.iter().try_for_each(|a| check_ip(a.ip()))
        }
        None => Err(TargetError::Malformed("the URL has no host".to_owned())),
    }
}

pub fn check_ip(ip: IpAddr) -> Result<(), TargetError> {
    if is_public(ip) { Ok(()) } else { Err(TargetError::Forbidden(ip)) }
}

/// Whether an address is globally routable unicast (and so a fair webhook target).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, network: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(network)) & mask)
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    const BLOCKED: [([u8; 4], u32); 16] = [
        ([0, 0, 0, 0], 8),       // "this network"
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // shared address space (CGNAT)
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link-local, including cloud metadata at 169.254.169.254
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation
        ([192, 88, 99, 0], 24),  // 6to4 relay anycast
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation
        ([203, 0, 113, 0], 24),  // documentation
        ([224, 0, 0, 0], 4),     // multicast
        ([240, 0, 0, 0], 4),     // reserved, and broadcast
        ([255, 255, 255, 255], 32),
    ];
    !BLOCKED.iter().any(|(network, prefix)| in_v4(ip, *network, *prefix))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    // Addresses that embed an IPv4 address are judged by it.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if segments[..6] == [0, 0, 0, 0, 0, 0] {
        // IPv4-compatible (deprecated), and :: and ::1.
        let v4 = Ipv4Addr::new((segments[6] >> 8) as u8, segments[6] as u8, (segments[7] >> 8) as u8, segments[7] as u8);
        return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(v4);
    }
    if segments[0] == 0x0064 && segments[1] == 0xff9b {
        // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48).
        let v4 = Ipv4Addr::new((segments[6] >> 8) as u8, segments[6] as u8, (segments[7] >> 8) as u8, segments[7] as u8);
        return is_public_v4(v4);
    }
    if segments[0] == 0x2002 {
        // 6to4 embeds the IPv4 address in bits 16–48.
        let v4 = Ipv4Addr::new((segments[1] >> 8) as u8, segments[1] as u8, (segments[2] >> 8) as u8, segments[2] as u8);
        return is_public_v4(v4);
    }
    let blocked = (segments[0] & 0xfe00) == 0xfc00 // unique local
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (segments[0] & 0xff00) == 0xff00 // multicast
        || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
        || (segments[0] == 0x2001 && segments[1] < 0x0200) // IETF protocol assignments, Teredo
        || (segments[0] == 0x0100 && segments[1..4] == [0, 0, 0]) // discard-only
        || (segments[0] & 0xe000) != 0x2000; // outside global unicast 2000::/3
    !blocked
}

/// A DNS resolver for the delivery client that refuses to hand out forbidden addresses, so the
/// connection is made to an address that passed the check (no time-of-check/time-of-use gap).
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        let future: Pin<Box<dyn Future<Output = _> + Send>> = Box::pin(async move {
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                for address in &addresses {
                    check_ip(address.ip()).map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
                }
            }
            Ok(Box::new(addresses.into_iter()) as reqwest::dns::Addrs)
        });
        future
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_ipv4_are_refused() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "224.0.0.251",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "192.0.2.10",
            "198.18.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} must be refused");
        }
        for ip in ["1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "192.169.0.1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} is public");
        }
    }

    #[test]
    fn special_ipv6_and_embedded_ipv4_are_refused() {
        for ip in [
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2001::1",
            "100::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} must be refused");
        }
        for ip in ["2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} is public");
        }
    }

    #[test]
    fn urls_are_parsed_strictly_and_numeric_hosts_normalised() {
        assert_eq!(parse_target("ftp://example.com/x"), Err(TargetError::Scheme));
        assert_eq!(parse_target("https://user:pw@example.com/"), Err(TargetError::Credentials));
        assert!(matches!(parse_target("not a url"), Err(TargetError::Malformed(_))));
        for (raw, literal) in [
            ("http://2130706433/hook", "127.0.0.1"),
            ("http://0x7f.1/", "127.0.0.1"),
            ("http://017700000001/", "127.0.0.1"),
            ("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1"),
        ] {
            let url = parse_target(raw).unwrap();
            let ip: IpAddr = match url.host().unwrap() {
                Host::Ipv4(ip) => IpAddr::V4(ip),
                Host::Ipv6(ip) => IpAddr::V6(ip),
                Host::Domain(d) => panic!("{raw} parsed as domain {d}"),
            };
            assert_eq!(ip, literal.parse::<IpAddr>().unwrap(), "{raw}");
            assert!(check_ip(ip).is_err());
        }
    }

    #[tokio::test]
    async fn names_are_checked_after_resolution() {
        let url = parse_target("http://localhost:9/hook").unwrap();
        assert!(matches!(check_target(&url, false).await, Err(TargetError::Forbidden(_))));
        assert_eq!(check_target(&url, true).await, Ok(()));
        let literal = parse_target("http://2130706433/").unwrap();
        assert!(matches!(check_target(&literal, false).await, Err(TargetError::Forbidden(_))));
    }
}
