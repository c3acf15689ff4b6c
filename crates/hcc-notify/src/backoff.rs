//! When a failed delivery is tried again: exponential backoff with a cap and jitter.

use std::time::Duration;

/// The retry schedule of deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failure; doubled after each further one.
    pub base: Duration,
    /// The longest delay.
    pub max: Duration,
    /// Attempts in all before a delivery is given up as failed.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        // 30 s, 1 min, 2 min … capped at an hour: a provider outage of a day is ridden out.
        Backoff { base: Duration::from_secs(30), max: Duration::from_secs(3600), max_attempts: 30 }
    }
}

impl Backoff {
    /// The delay before the next try after `attempts` failed ones (1 = the first failed), or
    /// `None` when no try is left. `jitter` in [0, 1) spreads retries of many messages that failed
    /// together (a provider outage) by up to a quarter of the delay.
    pub fn next_delay(&self, attempts: u32, jitter: f64) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(31);
        let delay = self.base.saturating_mul(1u32 << doublings).min(self.max);
        let spread = delay.mul_f64(jitter.clamp(0.0, 1.0) / 4.0);
        Some(delay.saturating_add(spread).min(self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff { base: Duration::from_secs(30), max: Duration::from_secs(600), max_attempts: 6 };

    #[test]
    fn doubles_from_the_base_up_to_the_cap() {
        let delays: Vec<_> = (1..6).map(|a| B.next_delay(a, 0.0)).collect();
        let secs = |s| Some(Duration::from_secs(s));
        assert_eq!(delays, vec![secs(30), secs(60), secs(120), secs(240), secs(480)]);
        let long = Backoff { max_attempts: 100, ..B };
        assert_eq!(long.next_delay(6, 0.0), secs(600));
        assert_eq!(long.next_delay(99, 0.0), secs(600), "no overflow far out");
    }

    #[test]
    fn gives_up_after_the_last_attempt() {
        assert!(B.next_delay(5, 0.0).is_some());
        assert_eq!(B.next_delay(6, 0.0), None);
        assert_eq!(B.next_delay(7, 0.5), None);
    }

    #[test]
    fn jitter_adds_at_most_a_quarter_and_never_passes_the_cap() {
        assert_eq!(B.next_delay(1, 0.999), Some(Duration::from_secs(30).mul_f64(1.0 + 0.999 / 4.0)));
        assert_eq!(B.next_delay(2, 7.0), Some(Duration::from_secs(75)), "jitter is clamped to 1");
        assert_eq!(B.next_delay(5, 0.9), Some(Duration::from_secs(588)));
        let long = Backoff { max_attempts: 100, ..B };
        assert_eq!(long.next_delay(6, 0.9), Some(Duration::from_secs(600)), "the cap holds with jitter");
    }
}
