//! Installation settings shared by every command: where the data lives and where to listen.

use clap::Args;
use std::path::PathBuf;

/// Options every command takes (also as environment variables).
#[derive(Args, Clone)]
pub struct Common {
    /// Data folder: the SQLite database and the document store live here unless told otherwise.
    #[arg(long, env = "HCC_DATA_DIR", default_value = "./hcc-data", global = true)]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "HCC_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,
    /// Database URL: `postgres://…` for PostgreSQL; default SQLite inside the data folder.
    #[arg(long, env = "HCC_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Document storage: default a folder inside the data folder; `s3://bucket/prefix` for S3.
    #[arg(long, env = "HCC_STORAGE", global = true)]
    pub storage: Option<String>,
    /// Public base URL printed in QR codes; default `http://<bind>`.
    #[arg(long, env = "HCC_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
}

impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password: never print it.
        f.debug_struct("Common")
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("database_url", &self.database_url.as_ref().map(|_| "<redacted>"))
            .field("storage", &self.storage)
            .finish()
    }
}

impl Common {
    /// The database URL in force.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}", self.data_dir.join("hcc.sqlite").display()),
        }
    }

    pub fn is_default_sqlite(&self) -> bool {
        self.database_url.is_none()
    }

    pub fn public_url(&self, bound: &str) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{bound}"))
    }
}
