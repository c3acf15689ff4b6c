//! `stats_bench`: fills the statistics counters with N dossiers' worth of history directly (not
//! through HTTP, not through dossiers: the counters a city's N dossiers would have left over the
//! last two years), then measures the supervision dashboard's queries — a supervisor's month, a
//! leader's month, twelve whole months, 365 days from any date — beside a trivial query measured
//! in the same run, printing p50 and p99 and the ratio to the baseline.
//!
//! The generated city has the demo's shape: ~40 agencies, 13 fields, 200 procedures (a few very
//! frequent, most rare), 170 reception points, three channels; each dossier is received, most
//! are settled (early, on time, some late) and returned, some need a supplement, a pause or an
//! apology.

use clap::Parser;
use hcc_store::{GaugeQuery, StatDim, StatRow, StatsQuery, Store};
use jiff::civil::Date;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Dossiers whose counters to generate.
    #[arg(long, default_value_t = 10_000_000)]
    dossiers: u64,
    /// Days of history they spread over, ending today.
    #[arg(long, default_value_t = 730)]
    days: i64,
    /// Folder of the benchmark database (created; reused when it already holds counters).
    #[arg(long, default_value = "./hcc-stats-bench")]
    data_dir: PathBuf,
    /// `postgres://…` to measure PostgreSQL instead of the embedded SQLite.
    #[arg(long)]
    database_url: Option<String>,
    /// Runs of each query.
    #[arg(long, default_value_t = 200)]
    runs: usize,
}

/// A small deterministic generator (the same city every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
    /// Skewed towards small values: a few procedures and points take most dossiers.
    fn skewed(&mut self, n: u64) -> u64 {
        let a = self.next(n);
        let b = self.next(n);
        a.min(b).min(self.next(n))
    }
}

const FIELDS: u64 = 13;
const PROCEDURES: u64 = 200;
const AGENCIES: u64 = 40;
const POINTS: u64 = 170;

type Key = (u16, u16, u8, u8, &'static str);

fn flush(day: Date, sums: &mut HashMap<Key, i64>, out: &mut Vec<(String, StatRow)>) {
    let d = day.to_string();
    for ((procedure, point, agency, channel, measure), n) in sums.drain() {
        out.push((
            d.clone(),
            StatRow {
                agency_code: format!("000.00.{agency:02}.H26"),
                field: format!("Lĩnh vực {}", u64::from(procedure) % FIELDS),
                procedure_code: format!("1.{:06}", 12000 + u64::from(procedure)),
                point_code: format!("000.{point:02}.16.H26"),
                channel: ["counter", "online", "post"][usize::from(channel)].to_owned(),
                measure: measure.to_owned(),
                n,
            },
        ));
    }
}

async fn fill(store: &Store, args: &Args, today: Date) -> anyhow::Result<u64> {
    let mut rng = Lcg(20241001);
    let per_day = args.dossiers / args.days as u64;
    let mut rows = Vec::new();
    let mut written = 0u64;
    let mut sums: HashMap<Key, i64> = HashMap::new();
    for back in (0..args.days).rev() {
        let day = today.checked_sub(jiff::Span::new().days(back))?;
        for _ in 0..per_day {
            let procedure = rng.skewed(PROCEDURES) as u16;
            let point = rng.skewed(POINTS) as u16;
            let agency = ((u64::from(procedure) * 7) % AGENCIES) as u8;
            let channel = match rng.next(10) {
                0..=5 => 1,
                6..=8 => 0,
                _ => 2,
            };
            let mut add = |m: &'static str| *sums.entry((procedure, point, agency, channel, m)).or_default() += 1;
            add("submitted");
            add("received");
            add("handed_over");
            if rng.next(10) < 9 {
                add("digitized_at_receipt");
            }
            // Counted on the day of receipt for the generator's simplicity: what matters here is
            // how many rows a period holds, not which day each change fell on.
            match rng.next(100) {
                0..=39 => add("settled_early"),
                40..=89 => add("settled_on_time"),
                90..=95 => add("settled_late"),
                _ => {}
            }
            if rng.next(100) < 90 {
                add("returned");
            }
            if rng.next(100) < 15 {
                add("supplements");
            }
            if rng.next(100) < 5 {
                add("pauses");
            }
            if rng.next(100) < 3 {
                add("apologies");
            }
        }
        flush(day, &mut sums, &mut rows);
        if rows.len() >= 200_000 {
            written += rows.len() as u64;
            store.load_stats(&rows).await?;
            rows.clear();
        }
    }
    written += rows.len() as u64;
    store.load_stats(&rows).await?;
    Ok(written)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1))).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` `runs` times: p50, p99, the first run (the finished months not yet in the store's
/// memory) and the size of the answer.
async fn time<F, Fut>(runs: usize, f: F) -> anyhow::Result<(Duration, Duration, Duration, usize)>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    let mut all = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        size = f().await?;
        all.push(t.elapsed());
    }
    let first = all.first().copied().unwrap_or_default();
    all.sort();
    Ok((pct(&all, 0.5), pct(&all, 0.99), first, size))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.data_dir)?;
    let url =
        args.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", args.data_dir.join("hcc.sqlite").display()));
    let store = Store::open(&url, true).await?;
    store.migrate().await?;
    let today = jiff::tz::Offset::constant(7).to_datetime(jiff::Timestamp::now()).date();
    let month = StatsQuery { from: today.first_of_month(), to: today, agency: None, fields: vec![] };
    if store
        .stats_rows(&StatsQuery { from: today.checked_sub(jiff::Span::new().days(args.days))?, ..month.clone() })
        .await?
        .is_empty()
    {
        let t = Instant::now();
        let rows = fill(&store, &args, today).await?;
        println!(
            "filled: {} dossiers' worth of counters, {rows} rows over {} days, in {:.0} s on {}",
            args.dossiers,
            args.days,
            t.elapsed().as_secs_f64(),
            store.backend()
        );
    } else {
        println!("reusing the counters already in {}", args.data_dir.display());
    }

    let leader = StatsQuery { agency: Some("000.00.07.H26".into()), ..month.clone() };
    // Twelve whole months (the monthly rollup) and 365 days from an arbitrary date (the daily counters).
    let months =
        StatsQuery { from: today.first_of_month().checked_sub(jiff::Span::new().months(11))?, ..month.clone() };
    let year = StatsQuery { from: today.checked_sub(jiff::Span::new().days(364))?, ..month.clone() };
    let now = hcc_store::model::now();
    let gauges = GaugeQuery {
        now,
        soon: now + jiff::SignedDuration::from_hours(8),
        stuck_before: now - jiff::SignedDuration::from_hours(72),
        agency: None,
        fields: vec![],
    };
    let runs = args.runs;
    let s = &store;
    let baseline = time(runs, || async { s.ping().await.map(|_| 1).map_err(Into::into) }).await?;
    // What the dashboard asks: the totals and each breakdown of the period, and the open gauges.
    let dashboard = |q: &StatsQuery| {
        let q = q.clone();
        async move {
            let mut n = 0;
            for dim in StatDim::ALL {
                n += s.stats_by(&q, dim).await?.len();
            }
            Ok::<usize, anyhow::Error>(n)
        }
    };
    let sup = time(runs, || async {
        let n = dashboard(&month).await?;
        s.open_gauges(&gauges).await?;
        Ok(n)
    })
    .await?;
    let lead = time(runs, || dashboard(&leader)).await?;
    let twelve = time(runs, || dashboard(&months)).await?;
    let yr = time(runs.min(5), || dashboard(&year)).await?;
    println!(
        "{:<46} {:>10} {:>10} {:>10} {:>12} {:>10}",
        "query", "p50 ms", "p99 ms", "first ms", "ratio (p50)", "rows"
    );
    for (name, (p50, p99, first, size)) in [
        ("baseline: SELECT 1", baseline),
        ("dashboard: supervisor, this month + gauges", sup),
        ("dashboard: one agency (leader), this month", lead),
        ("dashboard: supervisor, last 12 whole months", twelve),
        ("dashboard: supervisor, 365 days from a date", yr),
    ] {
        println!(
            "{name:<46} {:>10.2} {:>10.2} {:>10.2} {:>12.1} {size:>10}",
            ms(p50),
            ms(p99),
            ms(first),
            p50.as_secs_f64() / baseline.0.as_secs_f64().max(1e-9)
        );
    }
    Ok(())
}
