//! Staff authentication: argon2id passwords, opaque bearer tokens stored only as their SHA-256.

use crate::AppState;
use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hcc_domain::actor::{Actor, Role};
use hcc_store::User;
use sha2::{Digest, Sha256};

/// How long a bearer token lives.
pub const TOKEN_LIFETIME_HOURS: i64 = 12;

/// Hashes a password with argon2id (slow on purpose: run it off the async threads).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(AppError::internal)?;
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// A valid hash of a password nobody has, checked for unknown users so that the answer takes the
/// same time whether or not the user exists.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Dq4Iu+2T7gQDVjqDOGFYOPgD4KzB5gnJHAaMWKqNQAk";

/// Checks `password` against `hash` (or against a dummy when there is no user).
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = hash.clone().unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

/// SHA-256 of a token: only this is stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token (256 bits, hex).
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// The acting staff member, from an account.
pub fn actor_of(user: &User) -> Option<Actor> {
    Some(Actor {
        user_id: user.id,
        username: user.username.clone(),
        full_name: user.full_name.clone(),
        role: Role::parse(&user.role)?,
        agency: user.agency_code.clone(),
        point: user.point_code.clone(),
    })
}

/// An authenticated staff member (bearer token).
pub struct Staff(pub Actor);

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|h| h.to_str().ok());
        let token = header
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or_else(AppError::unauthorized)?;
        let user = state
            .store
            .user_by_token(&token_hash(token), hcc_store::model::now())
            .await?
            .ok_or_else(AppError::unauthorized)?;
        actor_of(&user).map(Staff).ok_or_else(AppError::unauthorized)
    }
}
