//! `hcc user add|disable|passwd`.

use anyhow::{Context as _, bail};
use clap::Subcommand;
use hcc_domain::actor::Role;
use hcc_store::{NewUser, Store};
use std::io::BufRead;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Creates a staff account.
    Add {
        username: String,
        /// admin, reception, postal, specialist, leader or supervisor.
        #[arg(long)]
        role: String,
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        point: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disables an account and ends its sessions.
    Disable { username: String },
    /// Sets a new password and ends the account's sessions.
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sets where the account receives early warnings and escalations (empty clears).
    Contact {
        username: String,
        #[arg(long)]
        email: Option<String>,
        /// A Vietnamese mobile number.
        #[arg(long)]
        phone: Option<String>,
    },
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if !from_stdin {
        eprint!("Mật khẩu: ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("không đọc được mật khẩu")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < 8 {
        bail!("mật khẩu phải có ít nhất 8 ký tự");
    }
    Ok(password)
}

fn valid_username(u: &str) -> bool {
    (3..=64).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

pub async fn run(store: &Store, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add { username, role, agency, point, full_name, password_stdin } => {
            if !valid_username(&username) {
                bail!("tên đăng nhập chỉ gồm chữ không dấu, số, '.', '_' hoặc '-' (3–64 ký tự)");
            }
            let role = Role::parse(&role).with_context(|| {
                format!("vai trò không hợp lệ: {role} (admin, reception, postal, specialist, leader, supervisor)")
            })?;
            if role.needs_agency() && agency.is_none() {
                bail!("vai trò {} cần --agency", role.as_str());
            }
            if role.needs_point() && point.is_none() {
                bail!("vai trò {} cần --point", role.as_str());
            }
            if let Some(a) = &agency
                && store.get_agency(a).await?.is_none()
            {
                bail!("không có cơ quan mã {a}");
            }
            if let Some(p) = &point
                && store.get_point(p).await?.is_none()
            {
                bail!("không có điểm tiếp nhận mã {p}");
            }
            let password = read_password(password_stdin)?;
            let user =
                create(store, &username, full_name.as_deref().unwrap_or(&username), role, agency, point, password)
                    .await?;
            println!("Đã tạo tài khoản {} ({}).", user.username, role.label_vi());
            Ok(())
        }
        UserCommand::Disable { username } => {
            if !store.set_disabled(&username, true).await? {
                bail!("không có tài khoản {username}");
            }
            println!("Đã khóa tài khoản {username}.");
            Ok(())
        }
        UserCommand::Passwd { username, password_stdin } => {
            if store.user_by_username(&username).await?.is_none() {
                bail!("không có tài khoản {username}");
            }
            let password = read_password(password_stdin)?;
            let hash = hcc_web::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!(e.message))?;
            store.set_password(&username, &hash).await?;
            println!("Đã đổi mật khẩu của {username}.");
            Ok(())
        }
        UserCommand::Contact { username, email, phone } => {
            let email = email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
            if let Some(e) = &email {
                let (local, domain) = e.split_once('@').unwrap_or(("", ""));
                if local.is_empty() || !domain.contains('.') || e.chars().any(char::is_whitespace) {
                    bail!("địa chỉ email không hợp lệ: {e}");
                }
            }
            let phone = match phone.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()) {
                Some(p) => Some(
                    hcc_domain::identity::Phone::parse(&p)
                        .map_err(|e| anyhow::anyhow!("số điện thoại không hợp lệ ({p}): {e}"))?
                        .as_str()
                        .to_owned(),
                ),
                None => None,
            };
            if !store.set_staff_contact(&username, email.as_deref(), phone.as_deref()).await? {
                bail!("không có tài khoản {username}");
            }
            println!("Đã cập nhật liên hệ nhận cảnh báo của {username}.");
            Ok(())
        }
    }
}

/// Creates an account (the demo uses it too).
pub async fn create(
    store: &Store,
    username: &str,
    full_name: &str,
    role: Role,
    agency: Option<String>,
    point: Option<String>,
    password: String,
) -> anyhow::Result<hcc_store::User> {
    let hash = hcc_web::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let user = store
        .create_user(&NewUser {
            username: username.to_owned(),
            full_name: full_name.to_owned(),
            password_hash: hash,
            role: role.as_str().to_owned(),
            agency_code: agency,
            point_code: point,
        })
        .await
        .map_err(|e| match e {
            hcc_store::StoreError::Duplicate(_) => anyhow::anyhow!("tài khoản {username} đã tồn tại"),
            other => other.into(),
        })?;
    Ok(user)
}
