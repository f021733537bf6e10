//! SQL for initiation: projects, their team and kickoff, and the plan's tasks,
//! dependencies, budget lines, quality criteria and risks. Every change writes
//! its audit entry in the caller's transaction; the server functions decide who
//! may do what.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::list::{Dir, Keyset, Page, SortCol, finish_page, where_clause};
use crate::core::perm::Viewer;
use crate::projects::model::ProjectStatus;
use chrono::{DateTime, Utc};
use serde_json::json;

// ===== people and departments for the pickers =====

pub async fn departments(db: &Db) -> DbResult<Vec<DeptOption>> {
    db.read().fetch_all("SELECT id, code, name_zh, name_en FROM departments WHERE active = $1 ORDER BY id", args![true]).await
}

const PERSON: &str = "SELECT u.id, u.display_name, u.role, d.name_zh AS department_zh, d.name_en AS department_en \
    FROM users u JOIN departments d ON d.id = u.department_id";

/// Active employees, by department then name.
pub async fn people(db: &Db) -> DbResult<Vec<PersonOption>> {
    db.read().fetch_all(&format!("{PERSON} WHERE u.active = $1 ORDER BY d.id, u.display_name, u.id"), args![true]).await
}

/// Active managers and executives: who may lead a project.
pub async fn leaders(db: &Db) -> DbResult<Vec<PersonOption>> {
    db.read()
        .fetch_all(
            &format!("{PERSON} WHERE u.active = $1 AND u.role IN ($2, $3) ORDER BY u.role, d.id, u.display_name, u.id"),
            args![true, "executive", "manager"],
        )
        .await
}

/// (active, role) of a person.
pub async fn person_tx(tx: &mut Tx, id: i64) -> DbResult<Option<(bool, String)>> {
    tx.fetch_optional("SELECT active, role FROM users WHERE id = $1", args![id]).await
}

pub async fn department_active_tx(tx: &mut Tx, id: i64) -> DbResult<bool> {
    let r: Option<(bool,)> = tx.fetch_optional("SELECT active FROM departments WHERE id = $1", args![id]).await?;
    Ok(r.is_some_and(|r| r.0))
}

// ===== the list =====

#[derive(Clone, Debug, Default)]
pub struct ProjectFilter {
    pub q: String,
    pub status: Option<ProjectStatus>,
    pub department_id: Option<i64>,
    pub health: Option<String>,
    /// Projects I manage or am on the team of.
    pub mine: bool,
}

pub const SORTS: [SortCol; 2] =
    [SortCol { name: "number", sql: "p.number", integer: false }, SortCol { name: "name", sql: "p.name", integer: false }];

const ROW: &str = "SELECT p.id, p.number, p.name, p.status, p.health, d.name_zh AS department_zh, d.name_en AS department_en, \
    m.display_name AS manager_name, p.start_date, p.end_date, p.complete_bp \
    FROM projects p JOIN departments d ON d.id = p.requesting_department_id JOIN users m ON m.id = p.manager_id";

/// A page of the projects the viewer may see.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    dept_code: &str,
    f: &ProjectFilter,
    sort: &str,
    dir: Dir,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Page<ProjectRow>> {
    let (vis, mut a) = crate::projects::store::scope(db.backend(), viewer, dept_code, 1);
    let mut conds = vec![vis];
    let q = f.q.trim();
    if !q.is_empty() {
        a.push(Arg::from(format!("%{}%", q.to_lowercase())));
        conds.push(format!("(LOWER(p.name) LIKE ${n} OR LOWER(p.number) LIKE ${n})", n = a.len()));
    }
    if let Some(s) = f.status {
        a.push(Arg::from(s.code()));
        conds.push(format!("p.status = ${}", a.len()));
    }
    if let Some(d) = f.department_id {
        a.push(Arg::from(d));
        conds.push(format!("p.requesting_department_id = ${}", a.len()));
    }
    if let Some(h) = &f.health {
        // Health is computed for work under way only.
        a.extend(args![h.as_str(), ProjectStatus::Executing.code(), ProjectStatus::Acceptance.code()]);
        let n = a.len();
        conds.push(format!("p.health = ${} AND p.status IN (${}, ${})", n - 2, n - 1, n));
    }
    if f.mine {
        a.push(Arg::from(viewer.user_id));
        conds.push(format!(
            "(p.manager_id = ${n} OR EXISTS (SELECT 1 FROM project_members x WHERE x.project_id = p.id AND x.user_id = ${n}))",
            n = a.len()
        ));
    }
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM projects p {}", where_clause(&conds)), a.clone()).await?;
    let ks = Keyset { cols: &SORTS, sort, dir, after, id: "p.id" };
    let tail = ks.apply(&mut conds, &mut a, limit);
    let rows: Vec<ProjectRow> = db.read().fetch_all(&format!("{ROW} {} {tail}", where_clause(&conds)), a).await?;
    let by_name = ks.col().name == "name";
    Ok(finish_page(rows, limit, total, |r| (if by_name { r.name.clone() } else { r.number.clone() }, r.id)))
}

// ===== the project =====

const PROJECT: &str = "SELECT id, number, name, requesting_department_id, manager_id, sponsor_id, objectives, scope_in, scope_out, \
    start_date, end_date, budget_minor, currency, priority, status, plan_round, baseline_version, first_approved_at, approved_at, \
    closed_at, version, created_at, updated_at FROM projects WHERE id = $1";

pub async fn project(db: &Db, id: i64) -> DbResult<Option<Project>> {
    db.read().fetch_optional(PROJECT, args![id]).await
}

pub async fn project_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Project>> {
    tx.fetch_optional(PROJECT, args![id]).await
}

/// A new project in `initiating`, numbered XM-<year>-NNNN, with its manager on
/// the team (2.4.1-d) as `manager_role`.
pub async fn insert_project(tx: &mut Tx, actor: &Actor, d: &ProjectData, manager_role: &str, now: DateTime<Utc>) -> DbResult<i64> {
    let year = crate::core::time::company_year(now);
    let number = crate::core::db::next_number(tx, "projects", "XM", year).await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, objectives, scope_in, scope_out, \
             start_date, end_date, budget_minor, currency, priority, status, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16, $15, $16) RETURNING id",
            args![
                number,
                d.name.clone(),
                d.requesting_department_id,
                d.manager_id,
                d.sponsor_id,
                d.objectives.clone(),
                d.scope_in.clone(),
                d.scope_out.clone(),
                d.start_date,
                d.end_date,
                d.budget_minor,
                "CNY",
                d.priority.code(),
                ProjectStatus::Initiating.code(),
                now,
                actor.user_id
            ],
        )
        .await?;
    let after = project_tx(tx, id).await?;
    audit::record(tx, actor, "project", Some(id), "create", None, after.map(|p| json!(p)).as_ref()).await?;
    ensure_member(tx, actor, id, d.manager_id, manager_role, now).await?;
    Ok(id)
}

/// Puts `user_id` on the team if not there yet (the manager always is).
pub async fn ensure_member(tx: &mut Tx, actor: &Actor, project_id: i64, user_id: i64, role: &str, now: DateTime<Utc>) -> DbResult<()> {
    if is_member_tx(tx, project_id, user_id).await? {
        return Ok(());
    }
    insert_member(tx, actor, project_id, &MemberData { user_id, role: role.into(), responsibilities: String::new(), allocation_pct: 100 }, now)
        .await?;
    Ok(())
}

/// Updates the project with the validated form; `d` already holds the stored
/// values for fields the status locks. False on a stale version.
pub async fn update_project(tx: &mut Tx, actor: &Actor, before: &Project, version: i64, d: &ProjectData, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE projects SET name = $1, requesting_department_id = $2, manager_id = $3, sponsor_id = $4, objectives = $5, \
             scope_in = $6, scope_out = $7, start_date = $8, end_date = $9, budget_minor = $10, priority = $11, \
             version = version + 1, updated_at = $12, updated_by = $13 WHERE id = $14 AND version = $15",
            args![
                d.name.clone(),
                d.requesting_department_id,
                d.manager_id,
                d.sponsor_id,
                d.objectives.clone(),
                d.scope_in.clone(),
                d.scope_out.clone(),
                d.start_date,
                d.end_date,
                d.budget_minor,
                d.priority.code(),
                now,
                actor.user_id,
                before.id,
                version
            ],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let after = project_tx(tx, before.id).await?;
    audit::record(tx, actor, "project", Some(before.id), "update", Some(&json!(before)), after.map(|p| json!(p)).as_ref()).await?;
    Ok(true)
}

/// Cancels an open project: withdraws its pending approval steps and change
/// requests and closes its open tasks in people's My work. False on a stale
/// version or when it is no longer open.
pub async fn cancel_project(tx: &mut Tx, actor: &Actor, before: &Project, version: i64, reason: &str, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE projects SET status = $1, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE id = $4 AND version = $5 AND status IN ($6, $7, $8)",
            args![
                ProjectStatus::Cancelled.code(),
                now,
                actor.user_id,
                before.id,
                version,
                ProjectStatus::Initiating.code(),
                ProjectStatus::PlanReview.code(),
                ProjectStatus::Executing.code()
            ],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    tx.execute(
        "UPDATE project_approvals SET status = $1, version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE project_id = $4 AND status IN ($5, $6)",
        args!["withdrawn", now, actor.user_id, before.id, "waiting", "pending"],
    )
    .await?;
    tx.execute(
        "UPDATE project_change_requests SET status = $1, version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE project_id = $4 AND status = $5",
        args!["withdrawn", now, actor.user_id, before.id, "in_review"],
    )
    .await?;
    let link = format!("/projects/{}", before.id);
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE done_at IS NULL AND kind = $3 AND (link = $4 OR link LIKE $5)",
        args![now, actor.user_id, "task", link.clone(), format!("{link}/%")],
    )
    .await?;
    let mut after = project_tx(tx, before.id).await?.map(|p| json!(p)).unwrap_or_default();
    if let Some(o) = after.as_object_mut() {
        o.insert("cancel_reason".into(), json!(reason));
    }
    audit::record(tx, actor, "project", Some(before.id), "cancel", Some(&json!(before)), Some(&after)).await?;
    Ok(true)
}

/// Why the project was cancelled: the reason kept in its audit entry.
pub async fn cancel_reason(db: &Db, id: i64) -> DbResult<Option<String>> {
    let r: Option<(Option<String>,)> = db
        .read()
        .fetch_optional(
            "SELECT after_json FROM audit_log WHERE entity = $1 AND record_id = $2 AND action = $3 ORDER BY id DESC LIMIT 1",
            args!["project", id, "cancel"],
        )
        .await?;
    Ok(r.and_then(|r| r.0)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v.get("cancel_reason").and_then(|r| r.as_str()).map(str::to_string)))
}

/// Locks the project row for a change to its plan and returns its status, if
/// the plan may be changed in it (initiating or executing). Taken first in
/// every plan change so that a change and a submission or approval of the plan
/// never interleave (PostgreSQL waits on the row lock and re-checks the status).
pub async fn lock_plan(tx: &mut Tx, project_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<Option<ProjectStatus>> {
    let r: Option<(String,)> = tx
        .fetch_optional(
            "UPDATE projects SET updated_at = $1, updated_by = $2 WHERE id = $3 AND status IN ($4, $5) RETURNING status",
            args![now, by, project_id, ProjectStatus::Initiating.code(), ProjectStatus::Executing.code()],
        )
        .await?;
    Ok(r.and_then(|r| ProjectStatus::parse(&r.0)))
}

/// Whether a change request of the project is in review (2.4.3-c).
pub async fn change_in_review(db: &Db, project_id: i64) -> DbResult<bool> {
    let n: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM project_change_requests WHERE project_id = $1 AND status = $2", args![project_id, "in_review"])
        .await?;
    Ok(n > 0)
}

pub async fn change_in_review_tx(tx: &mut Tx, project_id: i64) -> DbResult<bool> {
    let n: i64 =
        tx.scalar("SELECT COUNT(*) FROM project_change_requests WHERE project_id = $1 AND status = $2", args![project_id, "in_review"]).await?;
    Ok(n > 0)
}

// ===== team =====

const MEMBER: &str = "SELECT pm.id, pm.project_id, pm.user_id, u.display_name, d.name_zh AS department_zh, d.name_en AS department_en, \
    pm.role, pm.responsibilities, pm.allocation_pct, \
    (SELECT COUNT(*) FROM project_tasks t WHERE t.project_id = pm.project_id AND t.assignee_id = pm.user_id AND t.actual_end IS NULL \
     AND t.pct_done < 100) AS open_tasks, pm.version \
    FROM project_members pm JOIN users u ON u.id = pm.user_id JOIN departments d ON d.id = u.department_id";

pub async fn members(db: &Db, project_id: i64) -> DbResult<Vec<Member>> {
    db.read().fetch_all(&format!("{MEMBER} WHERE pm.project_id = $1 ORDER BY pm.id"), args![project_id]).await
}

pub async fn member_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Member>> {
    tx.fetch_optional(&format!("{MEMBER} WHERE pm.id = $1"), args![id]).await
}

pub async fn is_member_tx(tx: &mut Tx, project_id: i64, user_id: i64) -> DbResult<bool> {
    let n: i64 =
        tx.scalar("SELECT COUNT(*) FROM project_members WHERE project_id = $1 AND user_id = $2", args![project_id, user_id]).await?;
    Ok(n > 0)
}

pub async fn insert_member(tx: &mut Tx, actor: &Actor, project_id: i64, m: &MemberData, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_members (project_id, user_id, role, responsibilities, allocation_pct, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7) RETURNING id",
            args![project_id, m.user_id, m.role.clone(), m.responsibilities.clone(), m.allocation_pct, now, actor.user_id],
        )
        .await?;
    let after = member_tx(tx, id).await?;
    audit::record(tx, actor, "project_member", Some(id), "create", None, after.map(|m| json!(m)).as_ref()).await?;
    Ok(id)
}

pub async fn update_member(tx: &mut Tx, actor: &Actor, before: &Member, version: i64, m: &MemberData, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_members SET role = $1, responsibilities = $2, allocation_pct = $3, version = version + 1, updated_at = $4, \
             updated_by = $5 WHERE id = $6 AND version = $7",
            args![m.role.clone(), m.responsibilities.clone(), m.allocation_pct, now, actor.user_id, before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let after = member_tx(tx, before.id).await?;
    audit::record(tx, actor, "project_member", Some(before.id), "update", Some(&json!(before)), after.map(|m| json!(m)).as_ref()).await?;
    Ok(true)
}

pub async fn delete_member(tx: &mut Tx, actor: &Actor, before: &Member, version: i64) -> DbResult<bool> {
    let n = tx.execute("DELETE FROM project_members WHERE id = $1 AND version = $2", args![before.id, version]).await?;
    if n != 1 {
        return Ok(false);
    }
    audit::record(tx, actor, "project_member", Some(before.id), "delete", Some(&json!(before)), None).await?;
    Ok(true)
}

// ===== kickoff =====

const MEETING: &str = "SELECT id, project_id, held_on, attendees, minutes, decisions, version FROM project_meetings";

/// The project's kickoff meeting (one per project) and the employees present.
pub async fn kickoff(db: &Db, project_id: i64) -> DbResult<Option<(Meeting, Vec<i64>)>> {
    let m: Option<Meeting> = db
        .read()
        .fetch_optional(&format!("{MEETING} WHERE project_id = $1 AND kind = $2 ORDER BY id LIMIT 1"), args![project_id, "kickoff"])
        .await?;
    let Some(m) = m else { return Ok(None) };
    let who: Vec<(i64,)> =
        db.read().fetch_all("SELECT user_id FROM project_meeting_attendees WHERE meeting_id = $1 ORDER BY user_id", args![m.id]).await?;
    Ok(Some((m, who.into_iter().map(|w| w.0).collect())))
}

pub async fn kickoff_tx(tx: &mut Tx, project_id: i64) -> DbResult<Option<Meeting>> {
    tx.fetch_optional(&format!("{MEETING} WHERE project_id = $1 AND kind = $2 ORDER BY id LIMIT 1"), args![project_id, "kickoff"]).await
}

async fn meeting_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Meeting>> {
    tx.fetch_optional(&format!("{MEETING} WHERE id = $1"), args![id]).await
}

/// Display names of the given people, in the given order.
pub async fn names_tx(tx: &mut Tx, ids: &[i64]) -> DbResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let rows: Vec<(i64, String)> = tx
        .fetch_all(
            &format!("SELECT id, display_name FROM users WHERE id IN ({})", marks.join(", ")),
            ids.iter().map(|i| Arg::from(*i)).collect(),
        )
        .await?;
    Ok(ids.iter().filter_map(|i| rows.iter().find(|r| r.0 == *i).map(|r| r.1.clone())).collect())
}

/// The user ids among `ids` that are on the project's team (or its manager).
pub async fn team_subset_tx(tx: &mut Tx, project_id: i64, manager_id: i64, ids: &[i64]) -> DbResult<Vec<i64>> {
    let team: Vec<(i64,)> = tx.fetch_all("SELECT user_id FROM project_members WHERE project_id = $1", args![project_id]).await?;
    Ok(ids.iter().copied().filter(|i| *i == manager_id || team.iter().any(|t| t.0 == *i)).collect())
}

/// Records (no `existing`) or corrects the kickoff. False on a stale version.
#[allow(clippy::too_many_arguments)]
pub async fn save_kickoff(
    tx: &mut Tx,
    actor: &Actor,
    project_id: i64,
    existing: Option<(&Meeting, i64)>,
    k: &KickoffData,
    attendees: &[i64],
    text: &str,
    now: DateTime<Utc>,
) -> DbResult<Option<i64>> {
    let id = match existing {
        None => {
            tx.scalar::<i64>(
                "INSERT INTO project_meetings (project_id, kind, held_on, attendees, minutes, decisions, version, created_at, \
                 created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
                args![project_id, "kickoff", k.held_on, text, k.minutes.clone(), k.decisions.clone(), now, actor.user_id],
            )
            .await?
        }
        Some((before, version)) => {
            let n = tx
                .execute(
                    "UPDATE project_meetings SET held_on = $1, attendees = $2, minutes = $3, decisions = $4, version = version + 1, \
                     updated_at = $5, updated_by = $6 WHERE id = $7 AND version = $8",
                    args![k.held_on, text, k.minutes.clone(), k.decisions.clone(), now, actor.user_id, before.id, version],
                )
                .await?;
            if n != 1 {
                return Ok(None);
            }
            tx.execute("DELETE FROM project_meeting_attendees WHERE meeting_id = $1", args![before.id]).await?;
            before.id
        }
    };
    if !attendees.is_empty() {
        let mut values = Vec::new();
        let mut a: Vec<Arg> = Vec::new();
        for u in attendees {
            a.extend(args![id, *u]);
            values.push(format!("(${}, ${})", a.len() - 1, a.len()));
        }
        tx.execute(&format!("INSERT INTO project_meeting_attendees (meeting_id, user_id) VALUES {}", values.join(", ")), a).await?;
    }
    let after = meeting_tx(tx, id).await?.map(|m| {
        let mut v = json!(m);
        if let Some(o) = v.as_object_mut() {
            o.insert("attendee_ids".into(), json!(attendees));
        }
        v
    });
    let before = existing.map(|(b, _)| json!(b));
    let action = if existing.is_some() { "update" } else { "create" };
    audit::record(tx, actor, "project_meeting", Some(id), action, before.as_ref(), after.as_ref()).await?;
    Ok(Some(id))
}

// ===== plan readiness =====

/// The numbers plan readiness is judged on (see `model::plan_gaps`); a task
/// counts as unassigned when its assignee is neither an active team member nor
/// the manager (2.4.1-d). Part approval checks the same facts on submission.
pub async fn plan_facts_tx(tx: &mut Tx, project_id: i64) -> DbResult<PlanFacts> {
    let r: (i64, i64, i64, i64, i64) = tx.fetch_one(&facts_sql(), args![project_id, "kickoff", true]).await?;
    Ok(facts(r))
}

pub async fn plan_facts(db: &Db, project_id: i64) -> DbResult<PlanFacts> {
    let r: (i64, i64, i64, i64, i64) = db.read().fetch_one(&facts_sql(), args![project_id, "kickoff", true]).await?;
    Ok(facts(r))
}

fn facts_sql() -> String {
    format!(
        "SELECT \
         (SELECT COUNT(*) FROM project_meetings WHERE project_id = p.id AND kind = $2), \
         (SELECT COUNT(*) FROM project_tasks t WHERE t.project_id = p.id AND t.kind IN {k}), \
         (SELECT COUNT(*) FROM project_tasks t JOIN users u ON u.id = t.assignee_id WHERE t.project_id = p.id AND t.kind IN {k} \
          AND NOT (u.active = $3 AND (t.assignee_id = p.manager_id \
          OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = t.assignee_id)))), \
         (SELECT COUNT(*) FROM project_budget_lines b WHERE b.project_id = p.id), \
         (SELECT COUNT(*) FROM project_quality_criteria q WHERE q.project_id = p.id) \
         FROM projects p WHERE p.id = $1",
        k = PLAN_KINDS_SQL
    )
}

fn facts(r: (i64, i64, i64, i64, i64)) -> PlanFacts {
    PlanFacts { kickoff_held: r.0 > 0, tasks: r.1 as usize, unassigned: r.2 as usize, budget_lines: r.3 as usize, criteria: r.4 as usize }
}

// ===== schedule =====

const TASK: &str = "SELECT t.id, t.project_id, t.position, t.name, t.kind, t.assignee_id, u.display_name AS assignee_name, \
    t.planned_start, t.planned_end, t.weight, t.baseline_start, t.baseline_end, t.actual_start, t.actual_end, t.pct_done, t.version \
    FROM project_tasks t JOIN users u ON u.id = t.assignee_id";

/// The plan's tasks and milestones in order.
pub async fn tasks(db: &Db, project_id: i64) -> DbResult<Vec<Task>> {
    db.read()
        .fetch_all(&format!("{TASK} WHERE t.project_id = $1 AND t.kind IN {PLAN_KINDS_SQL} ORDER BY t.position, t.id"), args![project_id])
        .await
}

pub async fn task_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Task>> {
    tx.fetch_optional(&format!("{TASK} WHERE t.id = $1"), args![id]).await
}

const DEPS: &str = "SELECT dd.task_id, dd.depends_on_id FROM project_task_deps dd JOIN project_tasks t ON t.id = dd.task_id \
    WHERE t.project_id = $1 ORDER BY dd.task_id, dd.depends_on_id";

pub async fn deps(db: &Db, project_id: i64) -> DbResult<Vec<(i64, i64)>> {
    db.read().fetch_all(DEPS, args![project_id]).await
}

pub async fn deps_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<(i64, i64)>> {
    tx.fetch_all(DEPS, args![project_id]).await
}

/// The ids among `ids` that are tasks or milestones of the project.
pub async fn plan_task_ids_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<i64>> {
    let r: Vec<(i64,)> =
        tx.fetch_all(&format!("SELECT id FROM project_tasks WHERE project_id = $1 AND kind IN {PLAN_KINDS_SQL}"), args![project_id]).await?;
    Ok(r.into_iter().map(|r| r.0).collect())
}

async fn next_position_tx(tx: &mut Tx, table: &str, project_id: i64) -> DbResult<i64> {
    tx.scalar(&format!("SELECT COALESCE(MAX(position), 0) + 1 FROM {table} WHERE project_id = $1"), args![project_id]).await
}

async fn set_deps_tx(tx: &mut Tx, task_id: i64, preds: &[i64]) -> DbResult<()> {
    tx.execute("DELETE FROM project_task_deps WHERE task_id = $1", args![task_id]).await?;
    if preds.is_empty() {
        return Ok(());
    }
    let mut values = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    for p in preds {
        a.extend(args![task_id, *p]);
        values.push(format!("(${}, ${})", a.len() - 1, a.len()));
    }
    tx.execute(&format!("INSERT INTO project_task_deps (task_id, depends_on_id) VALUES {}", values.join(", ")), a).await?;
    Ok(())
}

fn task_json(t: Option<Task>, preds: &[i64]) -> Option<serde_json::Value> {
    t.map(|t| {
        let mut v = json!(t);
        if let Some(o) = v.as_object_mut() {
            o.insert("depends_on".into(), json!(preds));
        }
        v
    })
}

pub async fn insert_task(tx: &mut Tx, actor: &Actor, project_id: i64, t: &TaskData, preds: &[i64], now: DateTime<Utc>) -> DbResult<i64> {
    let position = match t.position {
        Some(p) => p,
        None => next_position_tx(tx, "project_tasks", project_id).await?,
    };
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9, $10) RETURNING id",
            args![project_id, position, t.name.clone(), t.kind.code(), t.assignee_id, t.planned_start, t.planned_end, t.weight, now, actor.user_id],
        )
        .await?;
    set_deps_tx(tx, id, preds).await?;
    let after = task_json(task_tx(tx, id).await?, preds);
    audit::record(tx, actor, "project_task", Some(id), "create", None, after.as_ref()).await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
pub async fn update_task(
    tx: &mut Tx,
    actor: &Actor,
    before: &Task,
    before_preds: &[i64],
    version: i64,
    t: &TaskData,
    preds: &[i64],
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_tasks SET position = $1, name = $2, kind = $3, assignee_id = $4, planned_start = $5, planned_end = $6, \
             weight = $7, version = version + 1, updated_at = $8, updated_by = $9 WHERE id = $10 AND version = $11",
            args![
                t.position.unwrap_or(before.position),
                t.name.clone(),
                t.kind.code(),
                t.assignee_id,
                t.planned_start,
                t.planned_end,
                t.weight,
                now,
                actor.user_id,
                before.id,
                version
            ],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    set_deps_tx(tx, before.id, preds).await?;
    let after = task_json(task_tx(tx, before.id).await?, preds);
    let b = task_json(Some(before.clone()), before_preds);
    audit::record(tx, actor, "project_task", Some(before.id), "update", b.as_ref(), after.as_ref()).await?;
    Ok(true)
}

/// Deletes a task without baseline or progress, with the dependencies on it.
pub async fn delete_task(tx: &mut Tx, actor: &Actor, before: &Task, before_preds: &[i64], version: i64) -> DbResult<bool> {
    tx.execute("DELETE FROM project_task_deps WHERE task_id = $1 OR depends_on_id = $1", args![before.id]).await?;
    let n = tx
        .execute(
            "DELETE FROM project_tasks WHERE id = $1 AND version = $2 AND baseline_start IS NULL AND baseline_end IS NULL \
             AND pct_done = 0 AND actual_start IS NULL AND actual_end IS NULL",
            args![before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let b = task_json(Some(before.clone()), before_preds);
    audit::record(tx, actor, "project_task", Some(before.id), "delete", b.as_ref(), None).await?;
    Ok(true)
}

// ===== budget lines =====

const BUDGET: &str = "SELECT b.id, b.project_id, b.category, b.description, b.amount_minor, b.baseline_amount_minor, \
    (SELECT COUNT(*) FROM project_costs c WHERE c.budget_line_id = b.id) AS costs, b.version FROM project_budget_lines b";

pub async fn budget_lines(db: &Db, project_id: i64) -> DbResult<Vec<BudgetLine>> {
    db.read().fetch_all(&format!("{BUDGET} WHERE b.project_id = $1 ORDER BY b.id"), args![project_id]).await
}

pub async fn budget_line_tx(tx: &mut Tx, id: i64) -> DbResult<Option<BudgetLine>> {
    tx.fetch_optional(&format!("{BUDGET} WHERE b.id = $1"), args![id]).await
}

pub async fn insert_budget_line(tx: &mut Tx, actor: &Actor, project_id: i64, b: &BudgetLineData, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6) RETURNING id",
            args![project_id, b.category.code(), b.description.clone(), b.amount_minor, now, actor.user_id],
        )
        .await?;
    let after = budget_line_tx(tx, id).await?;
    audit::record(tx, actor, "project_budget_line", Some(id), "create", None, after.map(|b| json!(b)).as_ref()).await?;
    Ok(id)
}

pub async fn update_budget_line(
    tx: &mut Tx,
    actor: &Actor,
    before: &BudgetLine,
    version: i64,
    b: &BudgetLineData,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_budget_lines SET category = $1, description = $2, amount_minor = $3, version = version + 1, updated_at = $4, \
             updated_by = $5 WHERE id = $6 AND version = $7",
            args![b.category.code(), b.description.clone(), b.amount_minor, now, actor.user_id, before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let after = budget_line_tx(tx, before.id).await?;
    audit::record(tx, actor, "project_budget_line", Some(before.id), "update", Some(&json!(before)), after.map(|b| json!(b)).as_ref())
        .await?;
    Ok(true)
}

pub async fn delete_budget_line(tx: &mut Tx, actor: &Actor, before: &BudgetLine, version: i64) -> DbResult<bool> {
    let n = tx
        .execute(
            "DELETE FROM project_budget_lines WHERE id = $1 AND version = $2 AND baseline_amount_minor IS NULL \
             AND NOT EXISTS (SELECT 1 FROM project_costs c WHERE c.budget_line_id = $1)",
            args![before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    audit::record(tx, actor, "project_budget_line", Some(before.id), "delete", Some(&json!(before)), None).await?;
    Ok(true)
}

// ===== quality criteria =====

const CRITERION: &str = "SELECT q.id, q.project_id, q.position, q.criterion, q.method, \
    (SELECT COUNT(*) FROM project_quality_checks c WHERE c.criterion_id = q.id) AS checks, q.version FROM project_quality_criteria q";

pub async fn criteria(db: &Db, project_id: i64) -> DbResult<Vec<Criterion>> {
    db.read().fetch_all(&format!("{CRITERION} WHERE q.project_id = $1 ORDER BY q.position, q.id"), args![project_id]).await
}

pub async fn criterion_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Criterion>> {
    tx.fetch_optional(&format!("{CRITERION} WHERE q.id = $1"), args![id]).await
}

pub async fn insert_criterion(tx: &mut Tx, actor: &Actor, project_id: i64, c: &CriterionData, now: DateTime<Utc>) -> DbResult<i64> {
    let position = match c.position {
        Some(p) => p,
        None => next_position_tx(tx, "project_quality_criteria", project_id).await?,
    };
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_quality_criteria (project_id, position, criterion, method, version, created_at, created_by, updated_at, \
             updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6) RETURNING id",
            args![project_id, position, c.criterion.clone(), c.method.clone(), now, actor.user_id],
        )
        .await?;
    let after = criterion_tx(tx, id).await?;
    audit::record(tx, actor, "project_quality_criterion", Some(id), "create", None, after.map(|c| json!(c)).as_ref()).await?;
    Ok(id)
}

pub async fn update_criterion(
    tx: &mut Tx,
    actor: &Actor,
    before: &Criterion,
    version: i64,
    c: &CriterionData,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_quality_criteria SET position = $1, criterion = $2, method = $3, version = version + 1, updated_at = $4, \
             updated_by = $5 WHERE id = $6 AND version = $7",
            args![c.position.unwrap_or(before.position), c.criterion.clone(), c.method.clone(), now, actor.user_id, before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let after = criterion_tx(tx, before.id).await?;
    audit::record(tx, actor, "project_quality_criterion", Some(before.id), "update", Some(&json!(before)), after.map(|c| json!(c)).as_ref())
        .await?;
    Ok(true)
}

pub async fn delete_criterion(tx: &mut Tx, actor: &Actor, before: &Criterion, version: i64) -> DbResult<bool> {
    let n = tx
        .execute(
            "DELETE FROM project_quality_criteria WHERE id = $1 AND version = $2 \
             AND NOT EXISTS (SELECT 1 FROM project_quality_checks c WHERE c.criterion_id = $1)",
            args![before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    audit::record(tx, actor, "project_quality_criterion", Some(before.id), "delete", Some(&json!(before)), None).await?;
    Ok(true)
}

// ===== risks =====

const RISK: &str = "SELECT r.id, r.project_id, r.title, r.description, r.likelihood, r.impact, r.response, r.owner_id, \
    u.display_name AS owner_name, r.status, r.risk_id, r.version FROM project_risks r JOIN users u ON u.id = r.owner_id";

/// Open risks first, the highest exposure first.
pub async fn risks(db: &Db, project_id: i64) -> DbResult<Vec<Risk>> {
    db.read()
        .fetch_all(&format!("{RISK} WHERE r.project_id = $1 ORDER BY r.status DESC, r.likelihood * r.impact DESC, r.id"), args![project_id])
        .await
}

pub async fn risk_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Risk>> {
    tx.fetch_optional(&format!("{RISK} WHERE r.id = $1"), args![id]).await
}

pub async fn insert_risk(tx: &mut Tx, actor: &Actor, project_id: i64, r: &RiskData, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_risks (project_id, title, description, likelihood, impact, response, owner_id, status, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9, $10) RETURNING id",
            args![
                project_id,
                r.title.clone(),
                r.description.clone(),
                r.likelihood,
                r.impact,
                r.response.clone(),
                r.owner_id,
                r.status.code(),
                now,
                actor.user_id
            ],
        )
        .await?;
    let after = risk_tx(tx, id).await?;
    audit::record(tx, actor, "project_risk", Some(id), "create", None, after.map(|r| json!(r)).as_ref()).await?;
    Ok(id)
}

pub async fn update_risk(tx: &mut Tx, actor: &Actor, before: &Risk, version: i64, r: &RiskData, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_risks SET title = $1, description = $2, likelihood = $3, impact = $4, response = $5, owner_id = $6, \
             status = $7, version = version + 1, updated_at = $8, updated_by = $9 WHERE id = $10 AND version = $11",
            args![
                r.title.clone(),
                r.description.clone(),
                r.likelihood,
                r.impact,
                r.response.clone(),
                r.owner_id,
                r.status.code(),
                now,
                actor.user_id,
                before.id,
                version
            ],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let after = risk_tx(tx, before.id).await?;
    audit::record(tx, actor, "project_risk", Some(before.id), "update", Some(&json!(before)), after.map(|r| json!(r)).as_ref()).await?;
    Ok(true)
}

pub async fn delete_risk(tx: &mut Tx, actor: &Actor, before: &Risk, version: i64) -> DbResult<bool> {
    let n = tx.execute("DELETE FROM project_risks WHERE id = $1 AND version = $2", args![before.id, version]).await?;
    if n != 1 {
        return Ok(false);
    }
    audit::record(tx, actor, "project_risk", Some(before.id), "delete", Some(&json!(before)), None).await?;
    Ok(true)
}
