//! `hcc catalog import PATH…` and `hcc catalog list [--json]`.

use anyhow::bail;
use clap::Subcommand;
use hcc_domain::catalog::import::parse_catalog_file;
use hcc_store::{PutOutcome, Store};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Imports procedures: our own JSON format or the national portal's procedure JSON. Folders are walked.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Prints the catalog.
    List {
        #[arg(long)]
        json: bool,
    },
}

/// Every `.json` file under `path`, sorted, so imports are reproducible.
fn walk(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            walk(&e, out)?;
        }
    } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// What an import did.
#[derive(Default, Debug)]
pub struct ImportSummary {
    pub files: usize,
    pub created: usize,
    pub new_versions: usize,
    pub unchanged: usize,
    pub failed_files: usize,
    pub problems: usize,
}

/// Imports every file under `paths`, printing each file or field it could not read.
pub async fn import(store: &Store, paths: &[PathBuf], quiet: bool) -> anyhow::Result<ImportSummary> {
    let mut files = Vec::new();
    for p in paths {
        if !p.exists() {
            bail!("không tìm thấy {}", p.display());
        }
        walk(p, &mut files)?;
    }
    let mut s = ImportSummary { files: files.len(), ..Default::default() };
    for file in &files {
        let name = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                s.failed_files += 1;
                println!("{name}: không đọc được tệp: {e}");
                continue;
            }
        };
        let parsed = match parse_catalog_file(&name, &bytes) {
            Ok(p) => p,
            Err(e) => {
                s.failed_files += 1;
                println!("{name}: {e}");
                continue;
            }
        };
        for item in parsed {
            for problem in &item.problems {
                s.problems += 1;
                if !quiet {
                    println!("{name}: {} [{}]: {}", item.procedure.code, problem.field, problem.message);
                }
            }
            match store.put_procedure(&item.procedure).await? {
                PutOutcome::Created { .. } => s.created += 1,
                PutOutcome::NewVersion { .. } => s.new_versions += 1,
                PutOutcome::Unchanged { .. } => s.unchanged += 1,
            }
        }
    }
    Ok(s)
}

pub async fn run(store: &Store, cmd: CatalogCommand) -> anyhow::Result<()> {
    match cmd {
        CatalogCommand::Import { paths } => {
            let s = import(store, &paths, false).await?;
            println!(
                "Đã đọc {} tệp: {} thủ tục mới, {} phiên bản mới, {} không đổi; {} tệp lỗi; {} trường không đọc được (đã liệt kê ở trên).",
                s.files, s.created, s.new_versions, s.unchanged, s.failed_files, s.problems
            );
            if s.failed_files > 0 {
                bail!("{} tệp không nhập được", s.failed_files);
            }
            Ok(())
        }
        CatalogCommand::List { json } => {
            let mut all = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = store.list_procedures(None, None, after.as_deref(), 200).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.code.clone());
                all.extend(page);
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for p in &all {
                    let channels: Vec<String> = p
                        .channels
                        .iter()
                        .map(|c| {
                            let limit =
                                c.time_limit.map_or("?".to_owned(), |l| format!("{} {}", l.value(), l.unit.label_vi()));
                            format!("{}: {limit}", c.kind.label_vi())
                        })
                        .collect();
                    println!("{}\tv{}\t{}\t{}\t{}", p.code, p.version, p.field, p.name, channels.join("; "));
                }
                println!("{} thủ tục.", all.len());
            }
            Ok(())
        }
    }
}
