//! Reconnect delays: exponential backoff with jitter, so many accounts that
//! lost the same server do not all come back in the same second.

use std::time::Duration;

use rand::Rng;

/// The delay before the first retry.
const BASE: Duration = Duration::from_secs(1);
/// No delay is longer than this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);

/// How long to wait before reconnect attempt `attempt` (0 for the first
/// retry after a failure): nominally 1 s, 2 s, 4 s, … capped at 5 min, then
/// jittered down to a random value in the upper half, [nominal/2, nominal].
pub fn backoff(attempt: u32) -> Duration {
    let nominal = nominal(attempt);
    let half = nominal / 2;
    let jitter = rand::rng().random_range(0..=half.as_millis() as u64);
    half + Duration::from_millis(jitter)
}

/// The un-jittered delay: `BASE * 2^attempt`, capped.
fn nominal(attempt: u32) -> Duration {
    // 2^9 s already exceeds the cap; larger shifts would overflow.
    BASE.saturating_mul(1u32 << attempt.min(9)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nominal_doubles_then_caps() {
        let secs: Vec<u64> = (0..12).map(|a| nominal(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(nominal(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn jittered_delay_stays_within_bounds() {
        for attempt in [0, 1, 3, 8, 9, 30, u32::MAX] {
            let nominal = nominal(attempt);
            for _ in 0..200 {
                let d = backoff(attempt);
                assert!(d >= nominal / 2 && d <= nominal, "{attempt}: {d:?}");
                assert!(d <= MAX_BACKOFF);
            }
        }
        assert!(backoff(0) >= Duration::from_millis(500));
    }
}
