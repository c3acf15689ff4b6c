//! Who acts: staff roles and their scope (agency, reception point).

use serde::{Deserialize, Serialize};

/// A staff role (DESIGN.md: admin, reception, postal, specialist, leader, supervisor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị: the catalog, agencies, points, accounts, calendar.
    Admin,
    /// Cán bộ tiếp nhận at the center, its branches or a commune point.
    Reception,
    /// Nhân viên bưu điện acting for the center.
    Postal,
    /// Chuyên viên of a competent agency.
    Specialist,
    /// Lãnh đạo of a competent agency: signs decisions.
    Leader,
    /// Giám sát at the center: sees everything, changes no dossier.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Reception, Role::Postal, Role::Specialist, Role::Leader, Role::Supervisor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reception => "reception",
            Role::Postal => "postal",
            Role::Specialist => "specialist",
            Role::Leader => "leader",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Reception => "Cán bộ tiếp nhận",
            Role::Postal => "Nhân viên bưu điện",
            Role::Specialist => "Chuyên viên",
            Role::Leader => "Lãnh đạo",
            Role::Supervisor => "Giám sát",
        }
    }

    /// Roles that belong to an agency and need one.
    pub fn needs_agency(self) -> bool {
        matches!(self, Role::Specialist | Role::Leader)
    }

    /// Roles that work at a reception point and need one.
    pub fn needs_point(self) -> bool {
        matches!(self, Role::Reception | Role::Postal)
    }
}

/// An authenticated staff member acting now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub agency: Option<String>,
    pub point: Option<String>,
}

impl Actor {
    /// The unit the actor acts for, as written on the control sheet.
    pub fn unit(&self) -> &str {
        self.agency.as_deref().or(self.point.as_deref()).unwrap_or("")
    }
}
