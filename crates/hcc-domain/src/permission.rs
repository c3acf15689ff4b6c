//! Who may see and do what. One pure function per question, used by every route.

use crate::actor::{Actor, Role};
use crate::lifecycle::ActionKind;
use crate::status::Status;

/// The facts about a dossier that decide who may see it.
#[derive(Debug, Clone, Copy)]
pub struct DossierScope<'a> {
    /// Reception point that received it.
    pub point_code: &'a str,
    /// Agency handling it now.
    pub agency_code: &'a str,
    /// Agencies it has passed through (liên thông), the current one included.
    pub involved_agencies: &'a [String],
}

/// Why an actor may not do something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("Bạn không có quyền xem hồ sơ này")]
    NotInScope,
    #[error("Vai trò của bạn không được thực hiện thao tác này")]
    WrongRole,
    #[error("Hồ sơ không thuộc cơ quan hoặc điểm tiếp nhận của bạn")]
    WrongUnit,
}

fn at_point(actor: &Actor, scope: &DossierScope) -> bool {
    actor.point.as_deref() == Some(scope.point_code)
}

fn of_current_agency(actor: &Actor, scope: &DossierScope) -> bool {
    actor.agency.as_deref() == Some(scope.agency_code)
}

/// May `actor` act on a dossier it cannot read? Only an administrator removing a stored document:
/// the system's housekeeping, which shows no personal data.
pub fn acts_without_reading(actor: &Actor, action: ActionKind) -> bool {
    actor.role == Role::Admin && action == ActionKind::DeleteDocument
}

/// May `actor` read this dossier (its personal data included)? Supervisors see every dossier;
/// staff of an agency see the dossiers that are or were with their agency; reception and postal
/// staff see what their point received. Administrators manage the system, not dossiers.
pub fn can_read(actor: &Actor, scope: &DossierScope) -> bool {
    match actor.role {
        Role::Supervisor => true,
        Role::Admin => false,
        Role::Reception | Role::Postal => at_point(actor, scope),
        Role::Specialist | Role::Leader => {
            of_current_agency(actor, scope)
                || actor.agency.as_ref().is_some_and(|a| scope.involved_agencies.iter().any(|x| x == a))
        }
    }
}

/// May `actor` perform `action` on a dossier in `status` with this scope? Only the role that the
/// one-stop mechanism gives the step, acting for the unit that holds the dossier.
pub fn can_act(actor: &Actor, action: ActionKind, status: Status, scope: &DossierScope) -> Result<(), Denied> {
    use ActionKind as A;
    let role = actor.role;
    let counter = matches!(role, Role::Reception | Role::Postal);
    let agency_staff = matches!(role, Role::Specialist | Role::Leader);
    let allowed_role = match action {
        A::Receive | A::RefuseReceipt => counter,
        A::RequestSupplement => {
            if status == Status::Submitted {
                counter
            } else {
                agency_staff
            }
        }
        A::ReceiveSupplement => counter || agency_staff,
        A::Assign | A::Forward | A::CompleteStep | A::Pause | A::Resume => agency_staff,
        A::Approve | A::RefuseToSettle | A::Extend | A::Apologize | A::Stop => role == Role::Leader,
        A::MarkResultReady => counter || agency_staff,
        A::ReturnResult | A::Withdraw => counter,
        // Papers are scanned where they arrive (the counter) or by the agency (supplements).
        A::Digitize => counter || agency_staff,
        A::AttachResult => agency_staff,
        // The exception to scanning is the supervising center's, deletion the administrator's;
        // neither acts for a unit.
        A::WaiveDigitization => return if role == Role::Supervisor { Ok(()) } else { Err(Denied::WrongRole) },
        A::DeleteDocument => return if role == Role::Admin { Ok(()) } else { Err(Denied::WrongRole) },
    };
    if !allowed_role {
        return Err(Denied::WrongRole);
    }
    // Counter staff act for the point that received the dossier (it holds the paper file and the
    // receipt register); agency staff act for the agency that holds the dossier now.
    let in_unit = if counter { at_point(actor, scope) } else { of_current_agency(actor, scope) };
    if in_unit { Ok(()) } else { Err(Denied::WrongUnit) }
}
