//! Reference data compiled into the binary: administrative units and the holiday calendar seed.

use anyhow::Context as _;
use hcc_domain::calendar::{OfficeHours, WorkingCalendar};
use hcc_store::{CalendarDay, Commune, Province, Store};
use serde::Deserialize;

pub const ADMIN_UNITS_JSON: &str = include_str!("../../../data/admin-units/vn-units-2026.json");
pub const HOLIDAYS_CSV: &str = include_str!("../../../data/holidays/vn-public-holidays.csv");
pub const MAKEUP_DAYS_CSV: &str = include_str!("../../../data/holidays/vn-makeup-working-days.csv");

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UnitJson {
    code: String,
    name: String,
    full_name: String,
    #[serde(default)]
    wards: Vec<WardJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WardJson {
    code: String,
    name: String,
    full_name: String,
}

/// The 34 provinces and their communes.
pub fn admin_units() -> anyhow::Result<(Vec<Province>, Vec<Commune>)> {
    let units: Vec<UnitJson> = serde_json::from_str(ADMIN_UNITS_JSON).context("admin units")?;
    let mut provinces = Vec::with_capacity(units.len());
    let mut communes = Vec::new();
    for u in units {
        for w in &u.wards {
            communes.push(Commune {
                code: w.code.clone(),
                province_code: u.code.clone(),
                name: w.name.clone(),
                full_name: w.full_name.clone(),
            });
        }
        provinces.push(Province { code: u.code, name: u.name, full_name: u.full_name });
    }
    Ok((provinces, communes))
}

/// The built-in calendar: default office hours and the seed holidays.
pub fn seed_calendar() -> anyhow::Result<WorkingCalendar> {
    WorkingCalendar::from_csv(OfficeHours::default(), HOLIDAYS_CSV, MAKEUP_DAYS_CSV).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Writes the seed holidays into an installation's editable calendar.
pub async fn seed_calendar_days(store: &Store) -> anyhow::Result<()> {
    for (csv, kind) in [(HOLIDAYS_CSV, "holiday"), (MAKEUP_DAYS_CSV, "makeup")] {
        for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut cols = line.splitn(3, ',');
            let (Some(date), Some(name)) = (cols.next(), cols.next()) else { continue };
            let date = date.trim().parse().with_context(|| format!("calendar date {date:?}"))?;
            store.put_calendar_day(&CalendarDay { date, kind: kind.into(), name: name.trim().to_owned() }).await?;
        }
    }
    Ok(())
}

/// The installation's calendar, from its editable table.
pub async fn load_calendar(store: &Store) -> anyhow::Result<WorkingCalendar> {
    Ok(store.working_calendar().await?)
}
