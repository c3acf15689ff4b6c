//! Review aid: prints every imported procedure of the national-portal data set in a compact form,
//! with its problems, for eyeballing against the raw text. Run with
//! `cargo test -p hcc-domain --test portal_review -- --ignored --nocapture`.

use hcc_domain::catalog::portal::parse_portal_json;
use std::path::PathBuf;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/procedures/national-portal");

fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for ministry in std::fs::read_dir(DATA).expect("data folder").flatten() {
        for f in std::fs::read_dir(ministry.path()).expect("ministry folder").flatten() {
            if f.path().extension().is_some_and(|e| e == "json") {
                out.push(f.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
#[ignore = "prints the whole data set for review"]
fn print_all_procedures() {
    for path in files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let parsed = parse_portal_json(&text).expect("parses");
        let p = &parsed.procedure;
        println!("=== {} {} [{}] {:?} online={:?}", p.code, p.name, p.level, p.levels, p.online_level);
        for c in &p.channels {
            let limit = c.time_limit.map_or("-".to_owned(), |t| t.to_string());
            println!("  CH {:?} {limit} | fee={:?} vnd={:?} | desc={:?}", c.kind, c.fee, c.fee_vnd, c.description);
        }
        let cases = hcc_domain::catalog::cases(p);
        for d in &p.documents {
            // The case a paper belongs to, by its position among the procedure's cases (1, 2, …);
            // "*" for a paper common to every case.
            let case = d
                .group
                .as_deref()
                .and_then(|g| cases.iter().position(|c| *c == g))
                .map_or("*".to_owned(), |i| (i + 1).to_string());
            println!(
                "  DOC {} [{}+{}] {} case={case} tpl={:?} :: {}",
                d.no,
                d.originals,
                d.copies,
                if d.mandatory { "M" } else { "c" },
                d.template,
                d.name
            );
        }
        for g in &parsed.document_groups {
            println!("  GRP {:?} {}", g.documents, g.heading);
        }
        for r in &p.results {
            println!("  RES {:?} :: {}", r.code, r.name);
        }
        for l in &p.legal_basis {
            println!("  LAW {} :: {}", l.number, l.title);
        }
        for pr in &parsed.problems {
            println!("  !! {:?} {}: {}", pr.kind, pr.field, pr.message);
        }
    }
}
