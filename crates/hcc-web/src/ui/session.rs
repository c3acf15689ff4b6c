//! Staff web sessions: tower-sessions over our own database (the `sessions` table of both
//! backends). Only the SHA-256 of a session id is stored. The cookie is HttpOnly, SameSite=Lax,
//! Secure when the installation is served over https; a session ends after [`IDLE_MINUTES`]
//! without activity.

use async_trait::async_trait;
use hcc_store::{SessionRow, Store};
use sha2::{Digest, Sha256};
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session cookie's name.
pub const COOKIE: &str = "hcc_session";
/// A session ends after this long without a request.
pub const IDLE_MINUTES: i64 = 30;
/// An active session's expiry is pushed back at most this often (each push is a write).
pub const REFRESH_SECONDS: i64 = 300;

/// Session data keys.
pub const KEY_USER: &str = "uid";
pub const KEY_CSRF: &str = "csrf";
pub const KEY_SEEN: &str = "seen";

/// The session store on the installation's database.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    store: Store,
}

impl DbSessionStore {
    pub fn new(store: Store) -> DbSessionStore {
        DbSessionStore { store }
    }
}

/// The layer that gives every request its [`tower_sessions::Session`].
pub fn layer(store: Store, secure: bool) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(DbSessionStore::new(store))
        .with_name(COOKIE)
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(IDLE_MINUTES)))
}

fn id_hash(id: &Id) -> String {
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn row_of(record: &Record) -> Result<SessionRow, session_store::Error> {
    let nanos = record.expiry_date.unix_timestamp_nanos();
    Ok(SessionRow {
        id_hash: id_hash(&record.id),
        user_id: record.data.get(KEY_USER).and_then(serde_json::Value::as_i64),
        data: serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?,
        expires_at: jiff::Timestamp::from_nanosecond(nanos).map_err(backend)?,
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id practically never collides; if it does, draw another.
        loop {
            let row = row_of(record)?;
            if self.store.insert_session(&row, hcc_store::model::now()).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store.save_session(&row_of(record)?, hcc_store::model::now()).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = self.store.load_session(&id_hash(id), hcc_store::model::now()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(row.expires_at.as_nanosecond()).map_err(backend)?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.delete_session(&id_hash(id)).await.map_err(backend)
    }
}
