// Staff accounts and bearer tokens.
// Part of the shared query set (see common.rs): included into each backend module.

// ---------------------------------------------------------------------------------------------
// Users and tokens

const USER_COLUMNS: &str = "id, username, full_name, password_hash, role, agency_code, point_code, disabled";

/// The active account of a token (`user_by_token`, in each backend's file).
const USER_BY_TOKEN: &str = "SELECT u.id, u.username, u.full_name, u.password_hash, u.role, u.agency_code, u.point_code,
   u.disabled FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.expires_at > $2 AND u.disabled = 0";

fn user_from_row(r: &DbRow) -> Result<User, StoreError> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        full_name: r.try_get("full_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        agency_code: r.try_get("agency_code")?,
        point_code: r.try_get("point_code")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub async fn create_user(db: &Db, u: &NewUser) -> Result<User, StoreError> {
    let mut tx = db.begin_write().await?;
    let user = create_user_in(&mut tx, u).await?;
    tx.commit().await?;
    Ok(user)
}

async fn create_user_in(tx: &mut Conn, u: &NewUser) -> Result<User, StoreError> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(&u.username).fetch_optional(&mut *tx).await?;
    if exists.is_some() {
        return Err(StoreError::Duplicate("username"));
    }
    let row = sqlx::query(
        "INSERT INTO users (username, full_name, password_hash, role, agency_code, point_code, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7)
         RETURNING id, username, full_name, password_hash, role, agency_code, point_code, disabled",
    )
    .bind(&u.username)
    .bind(&u.full_name)
    .bind(&u.password_hash)
    .bind(&u.role)
    .bind(&u.agency_code)
    .bind(&u.point_code)
    .bind(micros(Timestamp::now()))
    .fetch_one(&mut *tx)
    .await?;
    user_from_row(&row)
}

pub async fn user_by_username(db: &Db, username: &str) -> Result<Option<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"));
    let row = sqlx::query(sql).bind(username).fetch_optional(&db.read).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
    let row = sqlx::query(sql).bind(id).fetch_optional(&db.read).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn list_users(db: &Db) -> Result<Vec<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"));
    let rows = sqlx::query(sql).fetch_all(&db.read).await?;
    rows.iter().map(user_from_row).collect()
}

pub async fn set_password(db: &Db, username: &str, password_hash: &str) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let changed = set_password_in(&mut tx, username, password_hash).await?;
    tx.commit().await?;
    Ok(changed)
}

async fn set_password_in(tx: &mut Conn, username: &str, password_hash: &str) -> Result<bool, StoreError> {
    let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
        .bind(password_hash)
        .bind(username)
        .execute(&mut *tx)
        .await?;
    // A new password ends every token and web session opened with the old one (the staff app
    // ends the others and keeps its own by rotating it).
    sqlx::query("DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
        .bind(username)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
        .bind(username)
        .execute(&mut *tx)
        .await?;
    Ok(n.rows_affected() > 0)
}

pub async fn set_disabled(db: &Db, username: &str, disabled: bool) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let changed = set_disabled_in(&mut tx, username, disabled).await?;
    tx.commit().await?;
    Ok(changed)
}

async fn set_disabled_in(tx: &mut Conn, username: &str, disabled: bool) -> Result<bool, StoreError> {
    let n = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
        .bind(i64::from(disabled))
        .bind(username)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?;
    }
    Ok(n.rows_affected() > 0)
}

pub async fn insert_token(db: &Db, token_hash: &str, user_id: i64, now: Timestamp, expires: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM tokens WHERE expires_at < $1").bind(micros(now)).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(micros(now))
        .bind(micros(expires))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

