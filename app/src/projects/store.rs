//! The SQL every part of the projects module shares: who may see which
//! projects, and a project's header with the viewer's access.
use super::model::{Access, AccessFacts, PMO_DEPARTMENT, ProjectHead};
use crate::args;
use crate::core::db::{Arg, Backend, Db, DbResult, Tx};
use crate::core::perm::{Role, Viewer};

pub async fn department_code(db: &Db, department_id: i64) -> DbResult<String> {
    let r: Option<(String,)> = db.read().fetch_optional("SELECT code FROM departments WHERE id = $1", args![department_id]).await?;
    Ok(r.map(|r| r.0).unwrap_or_default())
}

pub async fn department_code_tx(tx: &mut Tx, department_id: i64) -> DbResult<String> {
    let r: Option<(String,)> = tx.fetch_optional("SELECT code FROM departments WHERE id = $1", args![department_id]).await?;
    Ok(r.map(|r| r.0).unwrap_or_default())
}

/// A SQL condition over the projects table aliased `p` keeping the projects the
/// viewer may see (the same rule as `Access::of(..).see`): executives, admins
/// and the PMO see all; others the projects they manage, lead or are on the team
/// of, or whose plan their department reviews (2.4.1-c), and managers those
/// their department requested. `first` is the number of the first `$N`
/// placeholder to use.
pub fn scope(_backend: Backend, viewer: &Viewer, dept_code: &str, first: usize) -> (String, Vec<Arg>) {
    if viewer.role.sees_everything() || dept_code == PMO_DEPARTMENT {
        return ("1 = 1".into(), vec![]);
    }
    let (u, d) = (first, first + 1);
    let mine = format!(
        "p.manager_id = ${u} OR p.sponsor_id = ${u} OR EXISTS (SELECT 1 FROM project_members pm_ WHERE pm_.project_id = p.id AND pm_.user_id = ${u}) \
         OR EXISTS (SELECT 1 FROM project_approvals pa_ WHERE pa_.project_id = p.id AND pa_.department_id = ${d})"
    );
    let args = vec![Arg::from(viewer.user_id), Arg::from(viewer.department_id)];
    if viewer.role == Role::Manager {
        (format!("({mine} OR p.requesting_department_id = ${d})"), args)
    } else {
        (format!("({mine})"), args)
    }
}

/// Whether the department has a review step on the project: a reviewing
/// department sees the plan it reviews (2.4.1-c).
async fn department_reviews_tx(tx: &mut Tx, project_id: i64, department_id: i64) -> DbResult<bool> {
    let n: i64 = tx
        .scalar("SELECT COUNT(*) FROM project_approvals WHERE project_id = $1 AND department_id = $2", args![project_id, department_id])
        .await?;
    Ok(n > 0)
}

const HEAD: &str = "SELECT p.id, p.number, p.name, p.status, p.priority, p.health, p.requesting_department_id, \
    d.name_zh AS department_zh, d.name_en AS department_en, p.manager_id, m.display_name AS manager_name, \
    p.sponsor_id, s.display_name AS sponsor_name, p.start_date, p.end_date, p.budget_minor, p.currency, \
    p.baseline_version, p.version \
    FROM projects p JOIN departments d ON d.id = p.requesting_department_id \
    JOIN users m ON m.id = p.manager_id JOIN users s ON s.id = p.sponsor_id WHERE p.id = $1";

async fn is_member_tx(tx: &mut Tx, project_id: i64, user_id: i64) -> DbResult<bool> {
    let n: i64 = tx
        .scalar("SELECT COUNT(*) FROM project_members WHERE project_id = $1 AND user_id = $2", args![project_id, user_id])
        .await?;
    Ok(n > 0)
}

fn access(viewer: &Viewer, code: &str, h: &ProjectHead, is_member: bool) -> Access {
    Access::of(
        viewer,
        code,
        &AccessFacts {
            manager_id: h.manager_id,
            sponsor_id: h.sponsor_id,
            requesting_department_id: h.requesting_department_id,
            is_member,
        },
    )
}

/// The project and the viewer's access; `None` when it does not exist or the
/// viewer may not see it (callers answer "not found" either way).
pub async fn head(db: &Db, viewer: &Viewer, id: i64) -> DbResult<Option<(ProjectHead, Access)>> {
    let Some(h) = db.read().fetch_optional::<ProjectHead>(HEAD, args![id]).await? else { return Ok(None) };
    let code = department_code(db, viewer.department_id).await?;
    let member: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM project_members WHERE project_id = $1 AND user_id = $2", args![id, viewer.user_id])
        .await?;
    let mut a = access(viewer, &code, &h, member > 0);
    if !a.see {
        let n: i64 = db
            .read()
            .scalar("SELECT COUNT(*) FROM project_approvals WHERE project_id = $1 AND department_id = $2", args![id, viewer.department_id])
            .await?;
        a.see = n > 0;
    }
    Ok(a.see.then_some((h, a)))
}

/// As `head`, inside a write transaction (read again there, so that the checks
/// and the change see the same row).
pub async fn head_tx(tx: &mut Tx, viewer: &Viewer, id: i64) -> DbResult<Option<(ProjectHead, Access)>> {
    let Some(h) = tx.fetch_optional::<ProjectHead>(HEAD, args![id]).await? else { return Ok(None) };
    let code = department_code_tx(tx, viewer.department_id).await?;
    let member = is_member_tx(tx, id, viewer.user_id).await?;
    let mut a = access(viewer, &code, &h, member);
    if !a.see {
        a.see = department_reviews_tx(tx, id, viewer.department_id).await?;
    }
    Ok(a.see.then_some((h, a)))
}

/// Bumps the project's version and stamp (a change to one of its parts), only
/// if it is still at `version`; false when someone else changed it first.
pub async fn touch(tx: &mut Tx, id: i64, version: i64, by: i64, now: chrono::DateTime<chrono::Utc>) -> DbResult<bool> {
    Ok(tx
        .execute(
            "UPDATE projects SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4",
            args![now, by, id, version],
        )
        .await?
        == 1)
}
