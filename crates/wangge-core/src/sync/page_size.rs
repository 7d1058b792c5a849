//! How many changes a device asks for in its next pull page. A page is one request and one
//! IndexedDB transaction: on a good link, few large pages cost the phone fewer commits; on
//! a village link, a small page still arrives before the signal drops and shows progress.
//! So the size follows how long the last page took to arrive: it starts at
//! [`FIRST_PULL_PAGE`], doubles after a full page that came quickly, halves after one that
//! came slowly, and stays within [`MIN_PULL_PAGE`]..=[`MAX_PULL_LIMIT`].

use super::protocol::MAX_PULL_LIMIT;

/// The first page of a round.
pub const FIRST_PULL_PAGE: u32 = 1000;
/// The smallest page asked for, however slow the link.
pub const MIN_PULL_PAGE: u32 = 250;
/// A page that arrived within this grows the next one.
const QUICK_MS: f64 = 1_500.0;
/// A page that took longer than this shrinks the next one.
const SLOW_MS: f64 = 6_000.0;

/// The next page's size after a page of `asked` changes that held `got` and took
/// `took_ms` from request to last byte.
pub fn next_pull_page(asked: u32, got: usize, took_ms: f64) -> u32 {
    let full = got >= asked as usize;
    let next = if took_ms > SLOW_MS {
        asked / 2
    } else if full && took_ms < QUICK_MS {
        asked.saturating_mul(2)
    } else {
        asked
    };
    next.clamp(MIN_PULL_PAGE, MAX_PULL_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_full_page_doubles_the_next_up_to_the_servers_limit() {
        assert_eq!(next_pull_page(1000, 1000, 300.0), 2000);
        assert_eq!(next_pull_page(4000, 4000, 300.0), MAX_PULL_LIMIT);
        assert_eq!(next_pull_page(MAX_PULL_LIMIT, MAX_PULL_LIMIT as usize, 300.0), MAX_PULL_LIMIT);
    }

    #[test]
    fn a_slow_page_halves_the_next_down_to_the_floor() {
        assert_eq!(next_pull_page(1000, 1000, 9_000.0), 500);
        assert_eq!(next_pull_page(300, 300, 9_000.0), MIN_PULL_PAGE);
    }

    #[test]
    fn a_short_page_or_a_middling_time_keeps_the_size() {
        // The last page of a round is short: nothing says the link could carry more.
        assert_eq!(next_pull_page(1000, 200, 300.0), 1000);
        assert_eq!(next_pull_page(2000, 2000, 3_000.0), 2000);
    }
}
