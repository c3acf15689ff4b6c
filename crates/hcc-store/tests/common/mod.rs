//! Test harness: every conformance test runs on a fresh SQLite file and, when a PostgreSQL URL is
//! given (CI always gives one), on a fresh PostgreSQL schema.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]
#![allow(dead_code)]

use hcc_store::Store;

/// A store under test; keeps its temporary folder alive.
pub struct TestStore {
    pub name: &'static str,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hcc.sqlite");
    let store = Store::open(&format!("sqlite://{}", path.display()), true).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestStore { name: "sqlite", store, _dir: Some(dir) }
}

/// PostgreSQL from `HCC_TEST_POSTGRES_URL`, in a new schema. Outside CI a missing server skips
/// the PostgreSQL half loudly; in CI (`CI` set) it is a failure.
pub async fn postgres() -> Option<TestStore> {
    let url = std::env::var("HCC_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty());
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    let Some(url) = url else {
        assert!(!in_ci, "CI must set HCC_TEST_POSTGRES_URL: PostgreSQL tests may not be skipped in CI");
        eprintln!("SKIPPED: PostgreSQL half of the test (set HCC_TEST_POSTGRES_URL to run it)");
        return None;
    };
    let schema = format!("t_{}", hex_id());
    match Store::open_postgres_schema(&url, &schema).await {
        Ok(store) => {
            store.migrate().await.expect("migrate postgres");
            Some(TestStore { name: "postgres", store, _dir: None })
        }
        Err(e) => {
            assert!(!in_ci, "PostgreSQL at HCC_TEST_POSTGRES_URL is not reachable in CI: {e}");
            eprintln!("SKIPPED: PostgreSQL half of the test, server not reachable: {e}");
            None
        }
    }
}

fn hex_id() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let n = std::process::id() as u128 ^ nanos ^ (rand_u64() as u128);
    format!("{:x}", n & 0xffff_ffff_ffff_ffff)
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u8(1);
    h.finish()
}

/// Both backends (PostgreSQL only when available).
pub async fn backends() -> Vec<TestStore> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}
