//! DNS-rebinding protection: the server answers only to the host names it is known by.
//!
//! A web page on an attacker's name can make its DNS name point at this server (or at a
//! laptop's 127.0.0.1) and then read the answers as same-origin; its requests still carry
//! the attacker's name in `Host`. So a request whose `Host` is not on the list gets 421
//! `host_not_allowed` before any route runs. Names are compared without the port: the
//! attacker controls the name, never which port reaches this socket.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::http::uri::Authority;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::Config;

/// Always allowed: a page can only be on these names if it is on this machine already.
const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HostPolicy {
    /// Bound to a public address with no `--allowed-host`: protection off (warned at start).
    Any,
    /// Lower-case names without ports.
    Only(Vec<String>),
}

impl HostPolicy {
    /// The configured names plus the loopback ones; with none configured, the loopback
    /// names alone on a loopback address (a laptop, `cargo xtask serve`), else any name,
    /// since the server cannot guess the public name it is reached by.
    pub(crate) fn from_config(config: &Config) -> HostPolicy {
        if config.allowed_hosts.is_empty() && !config.addr.ip().is_loopback() {
            return HostPolicy::Any;
        }
        let names = LOOPBACK_NAMES.iter().map(|n| n.to_string()).chain(config.allowed_hosts.iter().cloned());
        HostPolicy::Only(names.collect())
    }

    /// `hosts` are the request's `Host` header and URI authority, where present: all of
    /// them must be allowed, and a request with neither is refused (it cannot be checked).
    fn allows<'a>(&self, hosts: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
        let HostPolicy::Only(names) = self else { return Ok(()) };
        let mut seen = false;
        for host in hosts {
            seen = true;
            match host_name(host) {
                Some(name) if names.contains(&name) => {}
                _ => return Err(host.to_string()),
            }
        }
        if seen {
            Ok(())
        } else {
            Err(String::new())
        }
    }
}

/// The lower-case host name of `host[:port]` (`[v6]` keeps its brackets, as in `Host`);
/// `None` if it is not an authority at all.
pub(crate) fn host_name(authority: &str) -> Option<String> {
    let parsed: Authority = authority.trim().parse().ok()?;
    let name = parsed.host();
    (!name.is_empty() && !authority.contains('@')).then(|| name.to_ascii_lowercase())
}

/// Middleware: refuses a request for a host not allowed, before routing.
pub(crate) async fn check_host(State(policy): State<Arc<HostPolicy>>, req: Request, next: Next) -> Response {
    let header = req.headers().get(HOST).map(|v| v.to_str().unwrap_or("\u{fffd}"));
    // HTTP/2 carries the name in `:authority`, which hyper puts in the URI, not in `Host`.
    let authority = req.uri().authority().map(Authority::as_str);
    match policy.allows(header.into_iter().chain(authority)) {
        Ok(()) => next.run(req).await,
        Err(host) => {
            tracing::debug!(host = %host, "refused a request for a host name not allowed");
            ApiError::HostNotAllowed(host).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(addr: &str, hosts: &[&str]) -> HostPolicy {
        let allowed_hosts = hosts.iter().map(|h| h.to_string()).collect();
        HostPolicy::from_config(&Config { addr: addr.parse().unwrap(), allowed_hosts, ..Config::default() })
    }

    #[test]
    fn on_loopback_only_the_loopback_names_are_allowed_at_any_port() {
        let p = policy("127.0.0.1:8080", &[]);
        for ok in ["127.0.0.1:8080", "localhost:9", "LOCALHOST", "[::1]:8080", "127.0.0.1"] {
            assert_eq!(p.allows([ok]), Ok(()), "{ok}");
        }
        for bad in ["evil.example:8080", "127.0.0.2:8080", "localhost.evil.example", "", "a b"] {
            assert!(p.allows([bad]).is_err(), "{bad}");
        }
        assert!(p.allows([]).is_err(), "no host at all cannot be checked");
        assert!(p.allows(["localhost:8080", "evil.example"]).is_err(), "every name given must be allowed");
    }

    #[test]
    fn a_public_address_allows_any_host_until_names_are_configured() {
        assert_eq!(policy("0.0.0.0:8080", &[]), HostPolicy::Any);
        assert_eq!(policy("0.0.0.0:8080", &[]).allows(["evil.example"]), Ok(()));
        let p = policy("0.0.0.0:8080", &["wangge.example.org"]);
        assert_eq!(p.allows(["wangge.example.org:443"]), Ok(()));
        assert_eq!(p.allows(["localhost:8080"]), Ok(()), "loopback names stay allowed");
        assert_eq!(p.allows(["evil.example"]), Err("evil.example".to_string()));
    }

    #[test]
    fn host_names_lose_port_and_case_and_keep_ipv6_brackets() {
        assert_eq!(host_name("Wangge.Example.org:8443").as_deref(), Some("wangge.example.org"));
        assert_eq!(host_name("[::1]:8080").as_deref(), Some("[::1]"));
        assert_eq!(host_name("user@localhost"), None);
        assert_eq!(host_name("a/b"), None);
        assert_eq!(host_name(""), None);
    }
}
