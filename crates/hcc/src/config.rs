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
    /// Read the client's address from `X-Forwarded-For` for the public lookups' throttle. Set it
    /// only behind a reverse proxy that appends the address it saw.
    #[arg(long, env = "HCC_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: bool,
    /// Public tracking lookups a client may make at once.
    #[arg(long, env = "HCC_TRACKING_BURST", default_value_t = 20, global = true)]
    pub tracking_burst: u32,
    /// Public tracking lookups a client may make per minute once its burst is spent.
    #[arg(long, env = "HCC_TRACKING_PER_MINUTE", default_value_t = 30, global = true)]
    pub tracking_per_minute: u32,
    /// Notifications and early warnings.
    #[command(flatten)]
    pub jobs: crate::jobs::JobArgs,
    /// Citizen sign-in with an OpenID Connect provider: its issuer URL (with the three below).
    #[arg(long, env = "HCC_OIDC_ISSUER", global = true)]
    pub oidc_issuer: Option<String>,
    #[arg(long, env = "HCC_OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,
    #[arg(long, env = "HCC_OIDC_CLIENT_SECRET", global = true, hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Default `{public URL}/cong-dan/oidc/callback`.
    #[arg(long, env = "HCC_OIDC_REDIRECT_URL", global = true)]
    pub oidc_redirect_url: Option<String>,
}

impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password: never print it.
        f.debug_struct("Common")
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("database_url", &self.database_url.as_ref().map(|_| "<redacted>"))
            .field("storage", &self.storage)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .finish_non_exhaustive()
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

    /// Opens the document store in force (`--storage`, or the `files` folder of the data folder).
    pub fn file_store(&self) -> anyhow::Result<hcc_files::FileStore> {
        let storage = self.storage.as_deref().unwrap_or("");
        hcc_files::FileStore::open(storage, &self.data_dir)
            .map_err(|e| anyhow::anyhow!("không mở được kho lưu trữ tài liệu ({storage}): {e}"))
    }

    /// The document store for loading the demo city: a local folder without a sync per file
    /// (the load ends with one sync); any other store as configured.
    pub fn bulk_file_store(&self) -> anyhow::Result<hcc_files::FileStore> {
        let storage = self.storage.as_deref().unwrap_or("").trim();
        let folder = match storage {
            "" => Some(self.data_dir.join("files")),
            s if s.starts_with("file://") => Some(std::path::PathBuf::from(&s["file://".len()..])),
            s if !s.contains("://") => Some(std::path::PathBuf::from(s)),
            _ => None,
        };
        match folder {
            Some(dir) => hcc_files::FileStore::local_bulk(&dir)
                .map_err(|e| anyhow::anyhow!("không mở được kho lưu trữ tài liệu ({}): {e}", dir.display())),
            None => self.file_store(),
        }
    }

    /// The citizen portal's settings.
    pub fn portal_settings(&self, public_url: &str) -> hcc_web::portal::PortalSettings {
        let oidc = match (&self.oidc_issuer, &self.oidc_client_id) {
            (Some(issuer), Some(client_id)) => Some(hcc_web::portal::OidcSettings {
                issuer: issuer.clone(),
                client_id: client_id.clone(),
                client_secret: self.oidc_client_secret.clone().unwrap_or_default(),
                redirect_url: self
                    .oidc_redirect_url
                    .clone()
                    .unwrap_or_else(|| format!("{}/cong-dan/oidc/callback", public_url.trim_end_matches('/'))),
            }),
            _ => None,
        };
        hcc_web::portal::PortalSettings {
            trust_forwarded_for: self.trust_forwarded_for,
            tracking_burst: self.tracking_burst,
            tracking_per_minute: self.tracking_per_minute,
            oidc,
        }
    }

    pub fn public_url(&self, bound: &str) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{bound}"))
    }
}
