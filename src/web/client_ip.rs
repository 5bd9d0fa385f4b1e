//! The client's address, for security logs (failed logins feed fail2ban or
//! an operator's eyes). Behind Nginx it comes from the rightmost
//! `X-Forwarded-For` entry, which Nginx itself appends: only Nginx can reach
//! the app in the supported deployments, so the header is trusted. In
//! development it is the socket's peer.
use std::net::IpAddr;

use loco_rs::controller::middleware::remote_ip::RemoteIP;

/// The address as text, or `-` when it is unknown (in-process tests).
#[must_use]
pub fn text(ip: &RemoteIP) -> String {
    match ip {
        RemoteIP::Forwarded(ip) | RemoteIP::Socket(ip) => ip.to_string(),
        RemoteIP::None => "-".to_string(),
    }
}

/// The client as abuse limits count it: an IPv4 address, or the /64 an
/// IPv6 address belongs to (one subscriber holds a whole /64, so counting
/// single IPv6 addresses would give them billions of allowances).
#[must_use]
pub fn bucket(ip: &RemoteIP) -> String {
    match ip {
        RemoteIP::Forwarded(IpAddr::V6(v6)) | RemoteIP::Socket(IpAddr::V6(v6)) => {
            match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            }
        }
        other => text(other),
    }
}
