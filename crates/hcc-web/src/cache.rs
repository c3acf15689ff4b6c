//! Small per-process caches of things that change rarely and are read on every request (the
//! staff member behind a token, reception points, communes, routing rules, which procedure version
//! is current). Each entry lives a short, fixed time, so a change made anywhere — in this process
//! or another one behind the same database — is seen within that time.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// A map whose entries expire `ttl` after they were loaded.
pub struct TtlCache<K, V> {
    ttl: Duration,
    max_entries: usize,
    map: RwLock<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        TtlCache { ttl, max_entries, map: RwLock::new(HashMap::new()) }
    }

    /// The cached value, if it is still fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        let map = self.map.read().ok()?;
        let (loaded, value) = map.get(key)?;
        (loaded.elapsed() < self.ttl).then(|| value.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut map) = self.map.write() {
            if map.len() >= self.max_entries {
                // Rarely reached; dropping everything keeps the bound without bookkeeping.
                map.clear();
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    /// Forgets everything (after a change made through this process).
    pub fn clear(&self) {
        if let Ok(mut map) = self.map.write() {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_stay_bounded() {
        let c = TtlCache::new(Duration::from_millis(30), 2);
        c.put("a", 1);
        assert_eq!(c.get(&"a"), Some(1));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(&"a"), None);
        c.put("a", 1);
        c.put("b", 2);
        c.put("c", 3);
        assert_eq!(c.get(&"a"), None, "the bound was kept");
        assert_eq!(c.get(&"c"), Some(3));
        c.clear();
        assert_eq!(c.get(&"c"), None);
    }
}
