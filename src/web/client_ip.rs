//! The client's address, for security logs (failed logins feed fail2ban or
//! an operator's eyes). Behind Nginx it comes from the rightmost
//! `X-Forwarded-For` entry, which Nginx itself appends: only Nginx can reach
//! the app in the supported deployments, so the header is trusted. In
//! development it is the socket's peer.
use loco_rs::controller::middleware::remote_ip::RemoteIP;

/// The address as text, or `-` when it is unknown (in-process tests).
#[must_use]
pub fn text(ip: &RemoteIP) -> String {
    match ip {
        RemoteIP::Forwarded(ip) | RemoteIP::Socket(ip) => ip.to_string(),
        RemoteIP::None => "-".to_string(),
    }
}
