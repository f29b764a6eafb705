//! Sign-in rate limit: at most [`MAX_FAILURES`] failed sign-ins per (email, client address)
//! within [`WINDOW`]; more answer 429 until the oldest failure leaves the window. Kept in
//! memory: a restart forgets it, which costs an attacker a restart they cannot cause.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(5 * 60);

#[derive(Default)]
pub(crate) struct RateLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl RateLimiter {
    /// `Err(seconds to wait)` when `key` has used up its failures.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(list) = map.get_mut(key) else {
            return Ok(());
        };
        list.retain(|t| now.duration_since(*t) < WINDOW);
        if list.len() < MAX_FAILURES {
            return Ok(());
        }
        let oldest = list.iter().min().copied().unwrap_or(now);
        Err((WINDOW - now.duration_since(oldest)).as_secs().max(1))
    }

    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget keys whose failures are all old, so the map cannot grow without bound.
        if map.len() > 10_000 {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < WINDOW));
        }
        map.entry(key.to_string()).or_default().push(now);
    }

    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_then_wait() {
        let l = RateLimiter::default();
        for _ in 0..MAX_FAILURES {
            assert!(l.check("a|1.2.3.4").is_ok());
            l.fail("a|1.2.3.4");
        }
        assert!(l.check("a|1.2.3.4").is_err());
        assert!(l.check("a|5.6.7.8").is_ok(), "per address");
        let later = Instant::now() + WINDOW;
        assert!(l.check_at("a|1.2.3.4", later).is_ok(), "window passed");
        l.clear("a|1.2.3.4");
        assert!(l.check("a|1.2.3.4").is_ok());
    }
}
