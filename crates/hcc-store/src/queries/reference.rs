// Reference data and the calendar: communes, agencies, points, routing rules, calendar days.
// Part of the shared query set (see common.rs): included into each backend module.

// ---------------------------------------------------------------------------------------------
// Reference data

pub async fn put_admin_units(db: &Db, provinces: &[Province], communes: &[Commune]) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    for p in provinces {
        sqlx::query(
            "INSERT INTO provinces (code, name, full_name) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_name = excluded.full_name",
        )
        .bind(&p.code)
        .bind(&p.name)
        .bind(&p.full_name)
        .execute(&mut *tx)
        .await?;
    }
    for c in communes {
        sqlx::query(
            "INSERT INTO communes (code, province_code, name, full_name, name_folded) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET province_code = excluded.province_code, name = excluded.name,
               full_name = excluded.full_name, name_folded = excluded.name_folded",
        )
        .bind(&c.code)
        .bind(&c.province_code)
        .bind(&c.name)
        .bind(&c.full_name)
        .bind(hcc_domain::text::fold(&c.full_name))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn commune_from_row(r: &DbRow) -> Result<Commune, StoreError> {
    Ok(Commune {
        code: r.try_get("code")?,
        province_code: r.try_get("province_code")?,
        name: r.try_get("name")?,
        full_name: r.try_get("full_name")?,
    })
}

pub async fn get_commune(db: &Db, code: &str) -> Result<Option<Commune>, StoreError> {
    let row = sqlx::query("SELECT code, province_code, name, full_name FROM communes WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(commune_from_row).transpose()
}

pub async fn list_communes(db: &Db, province_code: &str) -> Result<Vec<Commune>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, province_code, name, full_name FROM communes WHERE province_code = $1 ORDER BY name_folded",
    )
    .bind(province_code)
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(commune_from_row).collect()
}

pub async fn count_communes(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM communes").fetch_one(&db.read).await?)
}

pub async fn put_agency(db: &Db, a: &Agency) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    put_agency_in(&mut tx, a).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates or replaces an agency inside the caller's transaction.
async fn put_agency_in(conn: &mut Conn, a: &Agency) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO agencies (code, name, kind, commune_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, commune_code = excluded.commune_code",
    )
    .bind(&a.code)
    .bind(&a.name)
    .bind(enum_str(&a.kind))
    .bind(&a.commune_code)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn agency_from_row(r: &DbRow) -> Result<Agency, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(Agency {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: enum_parse::<AgencyKind>(&kind)?,
        commune_code: r.try_get("commune_code")?,
    })
}

pub async fn list_agencies(db: &Db) -> Result<Vec<Agency>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, commune_code FROM agencies ORDER BY code").fetch_all(&db.read).await?;
    rows.iter().map(agency_from_row).collect()
}

pub async fn get_agency(db: &Db, code: &str) -> Result<Option<Agency>, StoreError> {
    let row = sqlx::query("SELECT code, name, kind, commune_code FROM agencies WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(agency_from_row).transpose()
}

/// The agencies tied to a commune (its People's Committee).
pub async fn agencies_for_commune(db: &Db, commune_code: &str) -> Result<Vec<Agency>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, commune_code FROM agencies WHERE commune_code = $1 ORDER BY code")
        .bind(commune_code)
        .fetch_all(&db.read)
        .await?;
    rows.iter().map(agency_from_row).collect()
}

pub async fn put_point(db: &Db, p: &ReceptionPoint) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    put_point_in(&mut tx, p).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates or replaces a reception point inside the caller's transaction.
async fn put_point_in(conn: &mut Conn, p: &ReceptionPoint) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO points (code, name, kind, address, commune_code) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, address = excluded.address,
           commune_code = excluded.commune_code",
    )
    .bind(&p.code)
    .bind(&p.name)
    .bind(enum_str(&p.kind))
    .bind(&p.address)
    .bind(&p.commune_code)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn point_from_row(r: &DbRow) -> Result<ReceptionPoint, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(ReceptionPoint {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: enum_parse::<PointKind>(&kind)?,
        address: r.try_get("address")?,
        commune_code: r.try_get("commune_code")?,
    })
}

pub async fn list_points(db: &Db) -> Result<Vec<ReceptionPoint>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, address, commune_code FROM points ORDER BY code").fetch_all(&db.read).await?;
    rows.iter().map(point_from_row).collect()
}

pub async fn get_point(db: &Db, code: &str) -> Result<Option<ReceptionPoint>, StoreError> {
    let row = sqlx::query("SELECT code, name, kind, address, commune_code FROM points WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(point_from_row).transpose()
}

pub async fn set_routing_rules(db: &Db, rules: &[RoutingRule]) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM routing_rules").execute(&mut *tx).await?;
    for (i, rule) in rules.iter().enumerate() {
        sqlx::query("INSERT INTO routing_rules (position, rule) VALUES ($1, $2)")
            .bind(i as i64)
            .bind(serde_json::to_string(rule)?)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn routing_rules(db: &Db) -> Result<Vec<RoutingRule>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT rule FROM routing_rules ORDER BY position").fetch_all(&db.read).await?;
    rows.iter().map(|r| serde_json::from_str(r).map_err(StoreError::from)).collect()
}

// ---------------------------------------------------------------------------------------------
// Calendar

pub async fn put_calendar_day(db: &Db, day: &CalendarDay) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    put_calendar_day_in(&mut tx, day).await?;
    tx.commit().await?;
    Ok(())
}

async fn put_calendar_day_in(conn: &mut Conn, day: &CalendarDay) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO calendar_days (date, kind, name) VALUES ($1, $2, $3)
         ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )
    .bind(day.date.to_string())
    .bind(&day.kind)
    .bind(&day.name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete_calendar_day(db: &Db, date: jiff::civil::Date) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let deleted = delete_calendar_day_in(&mut tx, date).await?;
    tx.commit().await?;
    Ok(deleted)
}

async fn delete_calendar_day_in(conn: &mut Conn, date: jiff::civil::Date) -> Result<bool, StoreError> {
    let n = sqlx::query("DELETE FROM calendar_days WHERE date = $1").bind(date.to_string()).execute(&mut *conn).await?;
    Ok(n.rows_affected() > 0)
}

pub async fn calendar_days(db: &Db) -> Result<Vec<CalendarDay>, StoreError> {
    let rows = sqlx::query("SELECT date, kind, name FROM calendar_days ORDER BY date").fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            let date: String = r.try_get("date")?;
            Ok(CalendarDay {
                date: date.parse().map_err(|_| StoreError::Corrupt(format!("bad date {date:?}")))?,
                kind: r.try_get("kind")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}
