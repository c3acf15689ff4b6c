//! How long the web pages take to render on the grown city: each page of the staff app and the
//! portal requested one at a time (so the figure is the server's work plus a loopback round trip,
//! never queueing behind other clients), signed in as the account that uses it.

use anyhow::Context as _;
use hcc_store::Store;
use std::time::{Duration, Instant};

pub struct PageFigures {
    pub name: &'static str,
    pub path: String,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub bytes: usize,
    pub errors: usize,
}

/// Signs in through the login form and returns the session cookie (`name=value`).
async fn sign_in(base: &str, username: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let r = client
        .post(format!("{base}/dang-nhap"))
        .form(&[("username", username), ("password", hcc::demo::DEMO_PASSWORD), ("next", "/")])
        .send()
        .await?;
    anyhow::ensure!(r.status().is_redirection(), "login of {username} answered {}", r.status());
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(hcc_web::ui::session::COOKIE))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .context("no session cookie after login")
}

async fn time_page(
    client: &reqwest::Client,
    base: &str,
    cookie: Option<&str>,
    name: &'static str,
    path: String,
    samples: usize,
) -> PageFigures {
    let mut latencies = Vec::with_capacity(samples);
    let (mut errors, mut bytes) = (0, 0);
    // A few unmeasured requests first: caches and connections warm, as on a working day.
    for i in 0..samples + 10 {
        let mut req = client.get(format!("{base}{path}"));
        if let Some(c) = cookie {
            req = req.header(reqwest::header::COOKIE, c);
        }
        let t = Instant::now();
        let body = match req.send().await {
            Ok(r) if r.status().is_success() => r.bytes().await.ok(),
            _ => None,
        };
        let elapsed = t.elapsed();
        match body {
            Some(b) if i >= 10 => {
                latencies.push(elapsed);
                bytes = b.len();
            }
            Some(_) => {}
            None => errors += 1,
        }
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    PageFigures {
        name,
        path,
        p50: pct(0.50),
        p99: pct(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        bytes,
        errors,
    }
}

pub async fn measure_pages(
    client: &reqwest::Client,
    base: &str,
    store: &Store,
    samples: usize,
) -> anyhow::Result<Vec<PageFigures>> {
    let specialist = sign_in(base, "chuyenvien").await?;
    let reception = sign_in(base, "tiepnhan").await?;
    let supervisor = sign_in(base, "giamsat").await?;

    // A dossier of the specialist's agency with a long control sheet: a returned one.
    let specialist_user = store.user_by_username("chuyenvien").await?.context("chuyenvien")?;
    let dossier = store
        .list_dossiers(&hcc_store::DossierQuery {
            agency: specialist_user.agency_code.clone(),
            status: Some("returned".to_owned()),
            limit: 1,
            ..Default::default()
        })
        .await?
        .items
        .into_iter()
        .next()
        .context("no returned dossier of the specialist's agency")?
        .code;

    let staff: [(&'static str, &str, String); 9] = [
        ("inbox (hồ sơ cần xử lý)", &specialist, "/ho-so".to_owned()),
        ("inbox, search by name", &specialist, "/ho-so?q=nguyen+van".to_owned()),
        ("inbox, overdue filter", &specialist, "/ho-so?due=overdue".to_owned()),
        ("dossier page", &specialist, format!("/ho-so/{dossier}")),
        ("control sheet (Form 06)", &specialist, format!("/ho-so/{dossier}/in/06")),
        ("counter with a procedure", &reception, "/tiep-nhan?procedure=1.012756".to_owned()),
        ("return of results", &reception, "/tra-ket-qua".to_owned()),
        ("supervision dashboard", &supervisor, "/giam-sat".to_owned()),
        ("supervision overdue list", &supervisor, "/giam-sat/ho-so?what=overdue".to_owned()),
    ];
    let mut out = Vec::new();
    for (name, cookie, path) in staff {
        out.push(time_page(client, base, Some(cookie), name, path, samples).await);
    }
    let public: [(&'static str, String); 4] = [
        ("public tracking page", format!("/tra-cuu/{dossier}")),
        ("procedure guide, search", "/thu-tuc?q=dat+dai".to_owned()),
        ("procedure page", "/thu-tuc/1.012756".to_owned()),
        ("transparency page", "/cong-khai".to_owned()),
    ];
    for (name, path) in public {
        out.push(time_page(client, base, None, name, path, samples).await);
    }
    Ok(out)
}

pub fn print(pages: &[PageFigures], samples: usize) {
    println!("\nweb pages, one request at a time, {samples} requests each (target: under 50 ms)");
    println!("{:<28} {:>9} {:>9} {:>9} {:>9} {:>7}  path", "page", "p50 ms", "p99 ms", "max ms", "KB", "errors");
    for p in pages {
        println!(
            "{:<28} {:>9.2} {:>9.2} {:>9.2} {:>9.1} {:>7}  {}",
            p.name,
            p.p50.as_secs_f64() * 1000.0,
            p.p99.as_secs_f64() * 1000.0,
            p.max.as_secs_f64() * 1000.0,
            p.bytes as f64 / 1024.0,
            p.errors,
            p.path
        );
    }
}
