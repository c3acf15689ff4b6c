// Named leases: one process at a time runs a job. Expiry is judged by the database's clock.
// Part of the shared query set (see common.rs): included into each backend module.

/// Takes (or renews) the lease `name` for `holder` for `ttl_micros`; `false` while another
/// holder's lease has not run out.
pub async fn try_lease(db: &Db, name: &str, holder: &str, ttl_micros: i64) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, {DB_NOW} + $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.expires_at < {DB_NOW} OR leases.holder = excluded.holder
         RETURNING holder"
    ));
    let got: Option<String> = sqlx::query_scalar(sql).bind(name).bind(holder).bind(ttl_micros).fetch_optional(&mut *tx).await?;
    tx.commit().await?;
    Ok(got.is_some())
}

/// Gives the lease back early (only if `holder` still holds it).
pub async fn release_lease(db: &Db, name: &str, holder: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2").bind(name).bind(holder).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
