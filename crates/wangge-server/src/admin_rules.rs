//! The administration routes' own rules, pure: the shape of a username, which home grid
//! level suits which staff role, and the refusal type the admin `db/` functions return
//! (a stable code, a Chinese message, and the HTTP status class the route answers with).

use wangge_core::grid::{EscalationLevel, GridLevel};
use wangge_core::people::Role;

/// How an admin refusal is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// 400: the request itself is wrong (bad username, empty roles …).
    Invalid,
    /// 403: the caller's role may not do this (`forbidden_role`).
    Forbidden,
    /// 404: unknown, or outside the caller's part of the grid (one answer for both).
    Unknown,
    /// 409: the state does not allow it (`username_taken`, `grid_not_empty` …).
    Conflict,
}

/// Counts of what still lives in a grid, for a refused retire (`grid_not_empty`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct GridContents {
    pub households: u64,
    pub open_issues: u64,
    pub children: u64,
    pub staff: u64,
}

/// An administrator's action not carried out; nothing was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub kind: RefusalKind,
    pub code: &'static str,
    pub message: String,
    /// Only for `grid_not_empty`.
    pub contents: Option<GridContents>,
}

impl Refused {
    pub fn new(kind: RefusalKind, code: &'static str, message: impl Into<String>) -> Refused {
        Refused { kind, code, message: message.into(), contents: None }
    }

    pub fn unknown_grid() -> Refused {
        Refused::new(RefusalKind::Unknown, "unknown_grid", "没有这个网格,或不在您的管理范围内")
    }

    pub fn unknown_user() -> Refused {
        Refused::new(RefusalKind::Unknown, "unknown_user", "没有这个账号,或不在您的管理范围内")
    }

    pub fn forbidden_role() -> Refused {
        Refused::new(RefusalKind::Forbidden, "forbidden_role", "不能设定高于您本人的身份,也不能管理比您级别高的账号")
    }

    /// "该网格还有 12 户住户、3 个未结案问题、1 个下级网格、2 名工作人员,不能撤销"
    pub fn grid_not_empty(c: GridContents) -> Refused {
        let parts: Vec<String> = [
            (c.households, "户住户"),
            (c.open_issues, "个未结案问题"),
            (c.children, "个下级网格"),
            (c.staff, "名工作人员"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        let message = format!("该网格还有 {},不能撤销", parts.join("、"));
        Refused { kind: RefusalKind::Conflict, code: "grid_not_empty", message, contents: Some(c) }
    }
}

/// A username: 3 to 32 ASCII letters, digits, `_`, `-` or `.`, starting with a letter or
/// digit. Usernames appear in logs and the admin log, so nothing that could forge a line.
pub fn check_username(username: &str) -> Result<(), Refused> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let first_ok = username.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if (3..=32).contains(&username.len()) && first_ok && username.chars().all(ok_char) {
        Ok(())
    } else {
        Err(Refused::new(
            RefusalKind::Invalid,
            "bad_username",
            "用户名需为 3 到 32 个英文字母、数字或 _ - . ,并以字母或数字开头",
        ))
    }
}

/// The home grid levels a staff role's rung suits: grid workers walk a group or a
/// building, community roles sit at the community, town staff at the town, district staff
/// at the district. Someone homed above their rung would see (and act on) more than
/// their post; below it, less than their duty. Roles that handle nothing fit anywhere.
fn levels_for(rung: EscalationLevel) -> &'static [GridLevel] {
    match rung {
        EscalationLevel::Grid => &[GridLevel::Group, GridLevel::Building],
        EscalationLevel::Community => &[GridLevel::Community],
        EscalationLevel::Town => &[GridLevel::Town],
        EscalationLevel::District => &[GridLevel::District],
    }
}

/// Roles must be given, and the highest staff role decides the home grid's level.
pub fn check_roles_and_level(roles: &[Role], level: GridLevel) -> Result<(), Refused> {
    if roles.is_empty() {
        return Err(Refused::new(RefusalKind::Invalid, "roles_empty", "请至少选择一个身份"));
    }
    let Some(rung) = roles.iter().filter_map(|r| r.handles_at()).max() else { return Ok(()) };
    if levels_for(rung).contains(&level) {
        return Ok(());
    }
    let wanted: Vec<&str> = levels_for(rung).iter().map(|l| l.label_zh()).collect();
    Err(Refused::new(
        RefusalKind::Invalid,
        "role_grid_level",
        format!("该身份的所属网格应为{}一级,而所选网格是{}", wanted.join("或"), level.label_zh()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_plain_ascii() {
        assert!(check_username("worker_a").is_ok());
        assert!(check_username("li.na-2").is_ok());
        for bad in ["ab", "_lead", "王芳", "a b", "x\ny", &"a".repeat(33)] {
            assert_eq!(check_username(bad).unwrap_err().code, "bad_username", "{bad:?}");
        }
    }

    #[test]
    fn the_highest_staff_role_decides_the_home_grid_level() {
        assert!(check_roles_and_level(&[Role::GridWorker], GridLevel::Group).is_ok());
        assert!(check_roles_and_level(&[Role::GridWorker, Role::CommunitySecretary], GridLevel::Community).is_ok());
        assert_eq!(
            check_roles_and_level(&[Role::TownStaff], GridLevel::Community).unwrap_err().code,
            "role_grid_level"
        );
        assert!(check_roles_and_level(&[Role::Volunteer], GridLevel::Town).is_ok());
        assert_eq!(check_roles_and_level(&[], GridLevel::Town).unwrap_err().code, "roles_empty");
    }

    #[test]
    fn a_refused_retire_says_what_still_lives_there() {
        let r = Refused::grid_not_empty(GridContents { households: 12, open_issues: 3, children: 1, staff: 2 });
        assert_eq!(r.message, "该网格还有 12 户住户、3 个未结案问题、1 个下级网格、2 名工作人员,不能撤销");
        let r = Refused::grid_not_empty(GridContents { households: 0, open_issues: 1, children: 0, staff: 0 });
        assert_eq!(r.message, "该网格还有 1 个未结案问题,不能撤销");
    }
}
