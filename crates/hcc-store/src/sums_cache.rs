//! Sums of finished months and days, kept in memory. A day's counters stop moving when it ends:
//! every change is counted under the day it happens. Only a rebuild, an import of histories (the
//! demo, benchmarks) or a load of counters writes past days; each of these writes a new
//! `stats_generation` in the database with its changes, and a sum is used only under the
//! generation it was read in — so a rebuild by any process is seen by every other at once. A change
//! that commits in the very instant its day ends is seen within [`TTL`]. So the dashboard's longer
//! periods (twelve months, a year from any date, a pilot phase) read each finished span once.

use crate::model::{StatDim, StatSum};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a sum is trusted (the bound on how late a change committed as its day ended shows).
pub const TTL: Duration = Duration::from_secs(3600);
/// Sums kept at most; the cache starts afresh beyond it (a few kilobytes each).
const MAX_ENTRIES: usize = 1024;

/// The counters' generation, a span of finished months ('YYYY-MM' bounds, inclusive) or days
/// ('YYYY-MM-DD'), a scope and a dimension.
pub(crate) type SumsKey = (String, String, String, Option<String>, StatDim);

/// When a sum was read, and the sum.
type Entry = (Instant, Arc<Vec<StatSum>>);

#[derive(Debug, Default)]
pub(crate) struct SumsCache {
    entries: Mutex<HashMap<SumsKey, Entry>>,
}

impl SumsCache {
    pub(crate) fn get(&self, key: &SumsKey) -> Option<Arc<Vec<StatSum>>> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, sums)| sums.clone())
    }

    pub(crate) fn put(&self, key: SumsKey, sums: Arc<Vec<StatSum>>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), sums));
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(dim: StatDim) -> SumsKey {
        ("g1".into(), "2025-01".into(), "2025-12".into(), None, dim)
    }

    #[test]
    fn keeps_what_it_was_given_until_cleared() {
        let cache = SumsCache::default();
        assert!(cache.get(&key(StatDim::Total)).is_none());
        let sums = Arc::new(vec![StatSum { value: String::new(), measure: "received".into(), n: 7 }]);
        cache.put(key(StatDim::Total), sums.clone());
        assert_eq!(cache.get(&key(StatDim::Total)), Some(sums));
        assert!(cache.get(&key(StatDim::Agency)).is_none(), "each dimension is its own entry");
        let mut next_generation = key(StatDim::Total);
        next_generation.0 = "g2".into();
        assert!(cache.get(&next_generation).is_none(), "a rebuild's new generation reads afresh");
        cache.clear();
        assert!(cache.get(&key(StatDim::Total)).is_none());
    }

    #[test]
    fn starts_afresh_when_full() {
        let cache = SumsCache::default();
        for i in 0..MAX_ENTRIES + 1 {
            cache.put((String::new(), format!("{i}"), String::new(), None, StatDim::Total), Arc::new(Vec::new()));
        }
        assert_eq!(cache.entries.lock().map(|e| e.len()).unwrap_or(0), 1);
    }
}
