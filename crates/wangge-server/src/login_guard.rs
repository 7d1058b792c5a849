//! Login throttling, pure: counts failed logins per username and per client address and
//! says how long further attempts must wait. No clock and no I/O: the caller passes `now`,
//! so the tests drive time by hand. `routes/auth.rs` does the HTTP side.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Failed logins for one username before it has to wait.
pub(crate) const USERNAME_FREE_FAILURES: u32 = 5;
/// The longest wait; the backoff doubles up to this.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// Entries kept per table. A few hundred bytes each, so both tables stay under a few MB
/// however many usernames or addresses an attacker sprays.
const MAX_ENTRIES: usize = 10_000;
/// A username longer than this is counted under its first `MAX_KEY_CHARS` characters: a
/// login body may be 16 KB, and the table must not hold 16 KB keys.
const MAX_KEY_CHARS: usize = 64;

/// When waits start and how they grow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Failures allowed before the first wait.
    pub(crate) free_failures: u32,
    /// The first wait; each further failure doubles it.
    pub(crate) base: Duration,
    /// The longest wait. Also how long a key must stay quiet after its wait before its
    /// failures are forgotten.
    pub(crate) cap: Duration,
}

impl Policy {
    /// The wait after `failures` failures in a row, if any.
    fn backoff(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures)?;
        let doubled = self.base.saturating_mul(1u32 << over.min(30));
        Some(doubled.min(self.cap))
    }

    fn blocked_until(&self, entry: &Entry) -> Option<Instant> {
        self.backoff(entry.failures).map(|wait| entry.last_failure + wait)
    }

    /// A key is forgotten once it has been quiet for `cap` after its wait (or after its
    /// last failure, if it never had to wait): else one failure a day would keep a
    /// username at the longest wait for ever.
    fn expired(&self, entry: &Entry, now: Instant) -> bool {
        let quiet_from = self.blocked_until(entry).unwrap_or(entry.last_failure);
        now >= quiet_from + self.cap
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last_failure: Instant,
}

/// Failures per key, bounded to `MAX_ENTRIES`.
struct Counter<K> {
    policy: Policy,
    entries: HashMap<K, Entry>,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(policy: Policy) -> Self {
        Counter { policy, entries: HashMap::new() }
    }

    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let until = self.policy.blocked_until(self.entries.get(key)?)?;
        (until > now).then(|| until - now)
    }

    fn fail(&mut self, key: K, now: Instant) {
        if !self.entries.contains_key(&key) {
            self.make_room(now);
        }
        let fresh = Entry { failures: 0, last_failure: now };
        let entry = self.entries.entry(key).or_insert(fresh);
        if self.policy.expired(entry, now) {
            *entry = fresh;
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last_failure = now;
    }

    fn clear(&mut self, key: &K) {
        self.entries.remove(key);
    }

    /// Drops forgotten keys; if the table is still full, the one that failed longest ago.
    /// Runs only when a new key arrives at a full table, so its scan is rare and costs far
    /// less than the password check that led to it.
    fn make_room(&mut self, now: Instant) {
        if self.entries.len() < MAX_ENTRIES {
            return;
        }
        let policy = self.policy;
        self.entries.retain(|_, e| !policy.expired(e, now));
        if self.entries.len() >= MAX_ENTRIES {
            let oldest = self.entries.iter().min_by_key(|(_, e)| e.last_failure).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Both tables: a username's failures (from anywhere) and an address's (for any username).
pub(crate) struct LoginGuard {
    users: Counter<String>,
    addrs: Counter<IpAddr>,
}

impl LoginGuard {
    pub(crate) fn new(users: Policy, addrs: Policy) -> Self {
        LoginGuard { users: Counter::new(users), addrs: Counter::new(addrs) }
    }

    /// How long this attempt must still wait, if at all: the longer of the two waits.
    pub(crate) fn check(&self, username: &str, addr: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let user = self.users.wait(&user_key(username), now);
        let addr = addr.and_then(|a| self.addrs.wait(&addr_key(a), now));
        user.max(addr)
    }

    pub(crate) fn failed(&mut self, username: &str, addr: Option<IpAddr>, now: Instant) {
        self.users.fail(user_key(username), now);
        if let Some(a) = addr {
            self.addrs.fail(addr_key(a), now);
        }
    }

    /// A correct password clears the username and the address it came from.
    pub(crate) fn succeeded(&mut self, username: &str, addr: Option<IpAddr>) {
        self.users.clear(&user_key(username));
        if let Some(a) = addr {
            self.addrs.clear(&addr_key(a));
        }
    }
}

/// How a username is counted (and logged): its first `MAX_KEY_CHARS` characters.
pub(crate) fn user_key(username: &str) -> String {
    username.chars().take(MAX_KEY_CHARS).collect()
}

/// IPv4-mapped addresses as IPv4; IPv6 by its /64, since one machine usually holds a whole
/// /64 and could otherwise step through addresses to dodge the count.
fn addr_key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & (u128::MAX << 64)).into()),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(1);

    fn guard() -> LoginGuard {
        let users = Policy { free_failures: USERNAME_FREE_FAILURES, base: BASE, cap: MAX_BACKOFF };
        LoginGuard::new(users, Policy { free_failures: 20, ..users })
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));

    #[test]
    fn five_failures_are_free_then_the_wait_doubles_up_to_the_cap() {
        let (mut g, t0) = (guard(), Instant::now());
        for _ in 0..4 {
            g.failed("wang", HOME, t0);
        }
        assert_eq!(g.check("wang", HOME, t0), None);
        g.failed("wang", HOME, t0);
        assert_eq!(g.check("wang", HOME, t0), Some(secs(1)));
        assert_eq!(g.check("wang", HOME, t0 + secs(1)), None, "the wait is over");
        g.failed("wang", HOME, t0 + secs(1));
        assert_eq!(g.check("wang", HOME, t0 + secs(1)), Some(secs(2)));
        let mut t = t0 + secs(1);
        for _ in 0..20 {
            t += secs(2);
            g.failed("wang", HOME, t);
        }
        assert_eq!(g.check("wang", HOME, t), Some(MAX_BACKOFF));
    }

    #[test]
    fn a_success_clears_the_username_and_the_address() {
        let (mut g, t0) = (guard(), Instant::now());
        for i in 0..19 {
            g.failed(&format!("u{i}"), HOME, t0);
        }
        for _ in 0..5 {
            g.failed("wang", HOME, t0);
        }
        assert!(g.check("wang", None, t0).is_some());
        g.succeeded("wang", HOME);
        assert_eq!(g.check("wang", HOME, t0), None);
        g.failed("li", HOME, t0);
        assert_eq!(g.check("li", HOME, t0), None, "the address starts again from zero");
    }

    #[test]
    fn an_address_trying_many_usernames_waits_too() {
        let (mut g, t0) = (guard(), Instant::now());
        for i in 0..20 {
            assert_eq!(g.check(&format!("u{i}"), HOME, t0), None);
            g.failed(&format!("u{i}"), HOME, t0);
        }
        assert_eq!(g.check("someone-new", HOME, t0), Some(BASE));
        assert_eq!(g.check("someone-new", None, t0), None, "another address is not held up");
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let (mut g, t0) = (guard(), Instant::now());
        for i in 0..20u16 {
            let a = std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, i, i, i, i);
            g.failed(&format!("u{i}"), Some(a.into()), t0);
        }
        let other_host = std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 9, 9, 9, 9999);
        assert!(g.check("x", Some(other_host.into()), t0).is_some());
        let mapped = std::net::Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped();
        assert_eq!(addr_key(mapped.into()), HOME.unwrap());
    }

    #[test]
    fn a_quiet_username_is_forgotten() {
        let (mut g, t0) = (guard(), Instant::now());
        for _ in 0..5 {
            g.failed("wang", HOME, t0);
        }
        // Quiet for the cap after its one-second wait: the next failure is the first again.
        let later = t0 + BASE + MAX_BACKOFF;
        g.failed("wang", HOME, later);
        assert_eq!(g.check("wang", HOME, later), None);
    }

    #[test]
    fn spraying_usernames_keeps_the_tables_bounded() {
        let (mut g, t0) = (guard(), Instant::now());
        let name = |i: usize| format!("user-{i}-{}", "x".repeat(1000));
        for i in 0..MAX_ENTRIES + 500 {
            g.failed(&name(i), HOME, t0 + Duration::from_millis(i as u64));
        }
        assert_eq!(g.users.len(), MAX_ENTRIES);
        assert_eq!(g.addrs.len(), 1);
        let kept = |i: usize| g.users.entries.contains_key(&user_key(&name(i)));
        assert!(!kept(0) && !kept(499) && kept(500) && kept(MAX_ENTRIES + 499), "the oldest go first");
        assert!(g.users.entries.keys().all(|k| k.chars().count() <= MAX_KEY_CHARS));
    }
}
