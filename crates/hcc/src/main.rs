//! `hcc`: one binary that serves the API and pages, runs the jobs and administers an installation.

use clap::Parser;
use hcc::cli;

/// mimalloc rather than glibc's malloc: many small allocations per request from many threads,
/// where glibc's arenas spent a fifth of the server's time (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HCC_LOG")
                .unwrap_or_else(|_| "hcc=info,hcc_web=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = cli::Cli::parse();
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
