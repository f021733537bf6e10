//! The SQL of execution (2.4.2): tasks and progress, delay records, progress
//! meetings with action items, the issue log, quality checks with rework,
//! costs against budget lines, people allocation and "My work". Dates are
//! bound from Rust (no date arithmetic in SQL); every change writes its audit
//! entry in the caller's transaction.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::{Page, decode_cursor};
use crate::core::perm::{Role, Viewer};
use crate::projects::model::{PMO_DEPARTMENT, ProjectHead, ProjectStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// The open phases whose teams count towards a person's allocation (2.4.2-d).
pub const ALLOCATED: [ProjectStatus; 3] = [ProjectStatus::Initiating, ProjectStatus::PlanReview, ProjectStatus::Executing];

// ===== team =====

const TEAM: &str = "SELECT u.id AS user_id, u.display_name AS name, m.role FROM project_members m JOIN users u ON u.id = m.user_id \
    WHERE m.project_id = $1 ORDER BY m.id";
const MANAGER: &str = "SELECT u.id AS user_id, u.display_name AS name, '' AS role FROM projects p JOIN users u ON u.id = p.manager_id WHERE p.id = $1";

fn with_manager(mut team: Vec<TeamMember>, manager: Option<TeamMember>) -> Vec<TeamMember> {
    if let Some(m) = manager
        && !team.iter().any(|t| t.user_id == m.user_id)
    {
        team.insert(0, m);
    }
    team
}

/// The project's team (2.4.1-d) with its manager, who may own tasks and items.
pub async fn team(db: &Db, project_id: i64) -> DbResult<Vec<TeamMember>> {
    let t = db.read().fetch_all(TEAM, args![project_id]).await?;
    let m = db.read().fetch_optional(MANAGER, args![project_id]).await?;
    Ok(with_manager(t, m))
}

pub async fn team_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<TeamMember>> {
    let t = tx.fetch_all(TEAM, args![project_id]).await?;
    let m = tx.fetch_optional(MANAGER, args![project_id]).await?;
    Ok(with_manager(t, m))
}

// ===== tasks and progress (2.4.2-a) =====

const TASK_SELECT: &str = "SELECT t.id, t.project_id, t.position, t.name, t.kind, t.assignee_id, u.display_name AS assignee_name, \
    t.planned_start, t.planned_end, t.baseline_start, t.baseline_end, t.actual_start, t.actual_end, t.pct_done, t.remaining_hours, \
    t.notes, t.weight, t.meeting_id, t.version, \
    (SELECT MAX(d.id) FROM project_delays d WHERE d.task_id = t.id AND d.baseline_version = p.baseline_version) AS delay_id \
    FROM project_tasks t JOIN users u ON u.id = t.assignee_id JOIN projects p ON p.id = t.project_id";

/// Every line of the project's schedule (tasks, milestones, action items and
/// rework), in plan order.
pub async fn tasks(db: &Db, project_id: i64) -> DbResult<Vec<ExecTask>> {
    db.read().fetch_all(&format!("{TASK_SELECT} WHERE t.project_id = $1 ORDER BY t.position, t.id"), args![project_id]).await
}

pub async fn task_tx(tx: &mut Tx, id: i64) -> DbResult<Option<ExecTask>> {
    tx.fetch_optional(&format!("{TASK_SELECT} WHERE t.id = $1"), args![id]).await
}

/// The project a task belongs to (to authorise before anything else is read).
pub async fn task_project_tx(tx: &mut Tx, task_id: i64) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx.fetch_optional("SELECT project_id FROM project_tasks WHERE id = $1", args![task_id]).await?;
    Ok(r.map(|r| r.0))
}

/// 2.4.2-a: records progress on a task if it is still at `version`. Finishing
/// a task closes its open delay records (2.4.2-b) and resolves the failed
/// quality checks it was the rework of (2.4.2-c); reopening it undoes both.
pub async fn update_progress(tx: &mut Tx, actor: &Actor, before: &ExecTask, version: i64, p: &Progress, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_tasks SET pct_done = $1, actual_start = $2, actual_end = $3, remaining_hours = $4, notes = $5, \
             version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8 AND version = $9",
            args![p.pct_done, p.actual_start, p.actual_end, p.remaining_hours, p.note.clone(), now, actor.user_id, before.id, version],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let finished = before.actual_end.is_none() && p.actual_end.is_some();
    let reopened = before.actual_end.is_some() && p.actual_end.is_none();
    if finished {
        tx.execute(
            "UPDATE project_delays SET status = $1, closed_at = $2, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE task_id = $4 AND status = $5",
            args!["closed", now, actor.user_id, before.id, "open"],
        )
        .await?;
        tx.execute(
            "UPDATE project_quality_checks SET resolved = $1, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE rework_task_id = $4 AND resolved = $5",
            args![true, now, actor.user_id, before.id, false],
        )
        .await?;
    } else if reopened {
        // The latest delay record for the baseline in force stands again.
        tx.execute(
            "UPDATE project_delays SET status = $1, closed_at = NULL, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE id = (SELECT MAX(d.id) FROM project_delays d JOIN projects p ON p.id = d.project_id \
             WHERE d.task_id = $4 AND d.baseline_version = p.baseline_version)",
            args!["open", now, actor.user_id, before.id],
        )
        .await?;
        // A failure is open again unless a later check of its criterion passed.
        tx.execute(
            "UPDATE project_quality_checks SET resolved = $1, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE rework_task_id = $4 AND NOT EXISTS (SELECT 1 FROM project_quality_checks l \
             WHERE l.criterion_id = project_quality_checks.criterion_id AND l.result = $5 \
             AND l.checked_on >= project_quality_checks.checked_on AND l.id <> project_quality_checks.id)",
            args![false, now, actor.user_id, before.id, "pass"],
        )
        .await?;
    }
    let after = task_tx(tx, before.id).await?;
    audit::record(tx, actor, "project_task", Some(before.id), "progress", Some(&json!(before)), after.map(|a| json!(a)).as_ref()).await?;
    Ok(true)
}

// ===== delays (2.4.2-b) =====

const DELAY_SELECT: &str = "SELECT d.id, d.project_id, d.task_id, t.name AS task_name, t.kind AS task_kind, d.baseline_version, \
    d.baseline_end, d.forecast_end, d.cause, d.measures, d.status, d.closed_at, d.created_at, u.display_name AS created_by_name, d.version \
    FROM project_delays d JOIN project_tasks t ON t.id = d.task_id LEFT JOIN users u ON u.id = d.created_by";

pub async fn delays(db: &Db, project_id: i64) -> DbResult<Vec<Delay>> {
    db.read()
        .fetch_all(&format!("{DELAY_SELECT} WHERE d.project_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT 200"), args![project_id])
        .await
}

pub async fn delay_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Delay>> {
    tx.fetch_optional(&format!("{DELAY_SELECT} WHERE d.id = $1"), args![id]).await
}

/// 2.4.2-b: a delay record for a slipped task against the baseline in force.
/// An open task's plan moves to the new forecast (if it is still at
/// `version`, else `None`); an earlier open record of the task is superseded;
/// the leader is told at once in My work.
pub async fn record_delay(
    tx: &mut Tx,
    actor: &Actor,
    project: &ProjectHead,
    task: &ExecTask,
    version: i64,
    d: &DelayInput,
    now: DateTime<Utc>,
) -> DbResult<Option<i64>> {
    let done = task.actual_end.is_some();
    if !done {
        let n = tx
            .execute(
                "UPDATE project_tasks SET planned_end = $1, \
                 planned_start = CASE WHEN kind = $2 OR planned_start > $1 THEN $1 ELSE planned_start END, \
                 version = version + 1, updated_at = $3, updated_by = $4 WHERE id = $5 AND version = $6",
                args![d.forecast_end, TaskKind::Milestone.code(), now, actor.user_id, task.id, version],
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
    } else {
        let v: i64 = tx.scalar("SELECT version FROM project_tasks WHERE id = $1", args![task.id]).await?;
        if v != version {
            return Ok(None);
        }
    }
    tx.execute(
        "UPDATE project_delays SET status = $1, closed_at = $2, version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE task_id = $4 AND status = $5",
        args!["closed", now, actor.user_id, task.id, "open"],
    )
    .await?;
    let baseline_end = task.baseline_end.unwrap_or(task.planned_end);
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_delays (project_id, task_id, baseline_version, baseline_end, forecast_end, cause, measures, status, \
             closed_at, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10, $11) RETURNING id",
            args![
                project.id,
                task.id,
                project.baseline_version,
                baseline_end,
                d.forecast_end,
                d.cause.clone(),
                d.measures.clone(),
                if done { "closed" } else { "open" },
                done.then_some(now),
                now,
                actor.user_id
            ],
        )
        .await?;
    // 2.4.2-b: reported to the leader.
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: Some(project.sponsor_id),
            department_id: None,
            kind: "notification",
            title: K::ProjectsExecDelayNotice,
            params: vec![
                ("number".into(), project.number.clone()),
                ("name".into(), project.name.clone()),
                ("task".into(), task.name.clone()),
                ("baseline".into(), baseline_end.to_string()),
                ("forecast".into(), d.forecast_end.to_string()),
            ],
            link: format!("/projects/{}/execution", project.id),
            due_at: None,
            source_entity: "project_delay",
            source_id: Some(id),
        },
        actor.user_id,
        now,
    )
    .await?;
    let after = delay_tx(tx, id).await?;
    audit::record(tx, actor, "project_delay", Some(id), "create", None, after.map(|a| json!(a)).as_ref()).await?;
    Ok(Some(id))
}

// ===== progress meetings (2.4.2-a) =====

pub async fn meetings(db: &Db, project_id: i64) -> DbResult<Vec<Meeting>> {
    db.read()
        .fetch_all(
            "SELECT m.id, m.held_on, m.attendees, m.minutes, m.decisions, u.display_name AS created_by_name \
             FROM project_meetings m LEFT JOIN users u ON u.id = m.created_by \
             WHERE m.project_id = $1 AND m.kind = $2 ORDER BY m.held_on DESC, m.id DESC LIMIT 200",
            args![project_id, "progress"],
        )
        .await
}

/// The date of the last progress meeting.
pub async fn last_meeting(db: &Db, project_id: i64) -> DbResult<Option<NaiveDate>> {
    let r: Option<(NaiveDate,)> = db
        .read()
        .fetch_optional(
            "SELECT held_on FROM project_meetings WHERE project_id = $1 AND kind = $2 ORDER BY held_on DESC LIMIT 1",
            args![project_id, "progress"],
        )
        .await?;
    Ok(r.map(|r| r.0))
}

/// When the plan was first approved (the meeting cadence counts from there).
pub async fn first_approved(db: &Db, project_id: i64) -> DbResult<Option<DateTime<Utc>>> {
    let r: Option<(Option<DateTime<Utc>>,)> =
        db.read().fetch_optional("SELECT first_approved_at FROM projects WHERE id = $1", args![project_id]).await?;
    Ok(r.and_then(|r| r.0))
}

/// Appends rows to a multi-row INSERT: `(…), (…)` and their arguments.
fn values(rows: usize, cols: usize, offset: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (0..cols).map(|c| format!("${}", offset + r * cols + c + 1)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Next free plan positions of a project's tasks.
async fn next_position(tx: &mut Tx, project_id: i64) -> DbResult<i64> {
    let max: Option<i64> = tx.scalar("SELECT MAX(position) FROM project_tasks WHERE project_id = $1", args![project_id]).await?;
    Ok(max.unwrap_or(0) + 1)
}

/// 2.4.2-a: a progress meeting; each action item becomes a task of kind
/// `action` (weight 0, from the meeting to its due date) assigned to its owner,
/// which puts it in the owner's My work. `attendees` is the list as shown
/// (team members' names and guests).
pub async fn hold_meeting(tx: &mut Tx, actor: &Actor, project_id: i64, m: &MeetingInput, attendees: &str, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_meetings (project_id, kind, held_on, attendees, minutes, decisions, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            args![project_id, "progress", m.held_on, attendees, m.minutes.clone(), m.decisions.clone(), now, actor.user_id],
        )
        .await?;
    if !m.attendee_ids.is_empty() {
        let mut a: Vec<Arg> = Vec::new();
        for u in &m.attendee_ids {
            a.extend(args![id, *u]);
        }
        tx.execute(&format!("INSERT INTO project_meeting_attendees (meeting_id, user_id) VALUES {}", values(m.attendee_ids.len(), 2, 0)), a)
            .await?;
    }
    if !m.actions.is_empty() {
        let first = next_position(tx, project_id).await?;
        let mut a: Vec<Arg> = Vec::new();
        for (i, item) in m.actions.iter().enumerate() {
            a.extend(args![
                project_id,
                first + i as i64,
                item.description.clone(),
                TaskKind::Action.code(),
                item.owner_id,
                m.held_on,
                item.due,
                0i64,
                id,
                now,
                actor.user_id
            ]);
        }
        let rows: Vec<String> = (0..m.actions.len())
            .map(|r| {
                let o = r * 11;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 1, ${}, ${}, ${}, ${})",
                    o + 1,
                    o + 2,
                    o + 3,
                    o + 4,
                    o + 5,
                    o + 6,
                    o + 7,
                    o + 8,
                    o + 9,
                    o + 10,
                    o + 11,
                    o + 10,
                    o + 11
                )
            })
            .collect();
        tx.execute(
            &format!(
                "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, meeting_id, \
                 version, created_at, created_by, updated_at, updated_by) VALUES {}",
                rows.join(", ")
            ),
            a,
        )
        .await?;
    }
    let after = json!({
        "project_id": project_id,
        "held_on": m.held_on,
        "attendees": attendees,
        "minutes": m.minutes,
        "decisions": m.decisions,
        "actions": m.actions.iter().map(|a| json!({"description": a.description, "owner_id": a.owner_id, "due": a.due})).collect::<Vec<_>>(),
    });
    audit::record(tx, actor, "project_meeting", Some(id), "create", None, Some(&after)).await?;
    Ok(id)
}

// ===== issue log (2.4.2-a) =====

const ISSUE_SELECT: &str = "SELECT i.id, i.title, i.description, i.owner_id, u.display_name AS owner_name, i.due_date, i.status, \
    i.resolution, i.resolved_at, i.created_at, i.version FROM project_issues i JOIN users u ON u.id = i.owner_id";

/// Open issues first (by due date), then resolved ones, newest first.
pub async fn issues(db: &Db, project_id: i64) -> DbResult<Vec<Issue>> {
    db.read()
        .fetch_all(
            &format!(
                "{ISSUE_SELECT} WHERE i.project_id = $1 ORDER BY CASE WHEN i.status = $2 THEN 0 ELSE 1 END, \
                 CASE WHEN i.due_date IS NULL THEN 1 ELSE 0 END, i.due_date, i.id DESC LIMIT 200"
            ),
            args![project_id, "open"],
        )
        .await
}

pub async fn issue_tx(tx: &mut Tx, id: i64) -> DbResult<Option<(i64, Issue)>> {
    let Some((pid,)) = tx.fetch_optional::<(i64,)>("SELECT project_id FROM project_issues WHERE id = $1", args![id]).await? else {
        return Ok(None);
    };
    Ok(tx.fetch_optional::<Issue>(&format!("{ISSUE_SELECT} WHERE i.id = $1"), args![id]).await?.map(|i| (pid, i)))
}

pub async fn add_issue(tx: &mut Tx, actor: &Actor, project_id: i64, i: &IssueInput, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_issues (project_id, title, description, owner_id, due_date, status, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            args![project_id, i.title.clone(), i.description.clone(), i.owner_id, i.due_date, "open", now, actor.user_id],
        )
        .await?;
    let after = issue_tx(tx, id).await?.map(|x| json!(x.1));
    audit::record(tx, actor, "project_issue", Some(id), "create", None, after.as_ref()).await?;
    Ok(id)
}

pub async fn resolve_issue(tx: &mut Tx, actor: &Actor, before: &Issue, version: i64, resolution: &str, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE project_issues SET status = $1, resolution = $2, resolved_at = $3, version = version + 1, updated_at = $3, \
             updated_by = $4 WHERE id = $5 AND version = $6 AND status = $7",
            args!["resolved", resolution, now, actor.user_id, before.id, version, "open"],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let after = issue_tx(tx, before.id).await?.map(|x| json!(x.1));
    audit::record(tx, actor, "project_issue", Some(before.id), "resolve", Some(&json!(before)), after.as_ref()).await?;
    Ok(true)
}

// ===== quality checks (2.4.2-c) =====

pub async fn criteria(db: &Db, project_id: i64) -> DbResult<Vec<Criterion>> {
    db.read()
        .fetch_all(
            "SELECT id, position, criterion, method FROM project_quality_criteria WHERE project_id = $1 ORDER BY position, id",
            args![project_id],
        )
        .await
}

pub async fn criteria_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<Criterion>> {
    tx.fetch_all(
        "SELECT id, position, criterion, method FROM project_quality_criteria WHERE project_id = $1 ORDER BY position, id",
        args![project_id],
    )
    .await
}

const CHECK_SELECT: &str = "SELECT q.id, q.criterion_id, c.criterion, q.checked_on, q.result, q.findings, q.rework_task_id, \
    t.name AS rework_task_name, ru.display_name AS rework_assignee_name, t.planned_end AS rework_due, t.actual_end AS rework_done, \
    q.resolved, u.display_name AS checked_by_name \
    FROM project_quality_checks q JOIN project_quality_criteria c ON c.id = q.criterion_id \
    LEFT JOIN project_tasks t ON t.id = q.rework_task_id LEFT JOIN users ru ON ru.id = t.assignee_id \
    LEFT JOIN users u ON u.id = q.checked_by";

pub async fn checks(db: &Db, project_id: i64) -> DbResult<Vec<QualityCheck>> {
    db.read()
        .fetch_all(&format!("{CHECK_SELECT} WHERE q.project_id = $1 ORDER BY q.checked_on DESC, q.id DESC LIMIT 200"), args![project_id])
        .await
}

pub async fn check_tx(tx: &mut Tx, id: i64) -> DbResult<Option<QualityCheck>> {
    tx.fetch_optional(&format!("{CHECK_SELECT} WHERE q.id = $1"), args![id]).await
}

/// 2.4.2-c: a quality check. A failure creates a rework task (named after the
/// criterion, weight 0, from the check to its due date) and stays open until
/// that task is done; a pass resolves the earlier open failures of the same
/// criterion.
pub async fn record_check(tx: &mut Tx, actor: &Actor, project_id: i64, criterion: &str, c: &CheckInput, now: DateTime<Utc>) -> DbResult<i64> {
    let rework = match c.rework {
        Some((assignee, due)) if !c.passed => {
            let pos = next_position(tx, project_id).await?;
            let id: i64 = tx
                .scalar(
                    "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, notes, \
                     version, created_at, created_by, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10, $11) RETURNING id",
                    args![project_id, pos, criterion, TaskKind::Rework.code(), assignee, c.checked_on, due, 0i64, c.findings.clone(), now, actor.user_id],
                )
                .await?;
            Some(id)
        }
        _ => None,
    };
    if c.passed {
        tx.execute(
            "UPDATE project_quality_checks SET resolved = $1, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE project_id = $4 AND criterion_id = $5 AND result = $6 AND resolved = $7 AND checked_on <= $8",
            args![true, now, actor.user_id, project_id, c.criterion_id, "fail", false, c.checked_on],
        )
        .await?;
    }
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_quality_checks (project_id, criterion_id, checked_on, result, findings, rework_task_id, resolved, checked_by, \
             version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $8, $9, $8) RETURNING id",
            args![
                project_id,
                c.criterion_id,
                c.checked_on,
                if c.passed { "pass" } else { "fail" },
                c.findings.clone(),
                rework,
                c.passed,
                actor.user_id,
                now
            ],
        )
        .await?;
    let after = check_tx(tx, id).await?;
    audit::record(tx, actor, "project_quality_check", Some(id), "create", None, after.map(|a| json!(a)).as_ref()).await?;
    Ok(id)
}

// ===== costs (2.4.2-d) =====

const LINES: &str = "SELECT b.id, b.category, b.description, b.amount_minor, b.baseline_amount_minor, \
    CAST(COALESCE(c.total, 0) AS BIGINT) AS actual_minor FROM project_budget_lines b \
    LEFT JOIN (SELECT budget_line_id, SUM(amount_minor) AS total FROM project_costs WHERE project_id = $1 GROUP BY budget_line_id) c \
    ON c.budget_line_id = b.id WHERE b.project_id = $1 ORDER BY b.id";

/// The project's budget lines with what was spent against each.
pub async fn budget_lines(db: &Db, project_id: i64) -> DbResult<Vec<BudgetLine>> {
    db.read().fetch_all(LINES, args![project_id]).await
}

pub async fn budget_lines_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<BudgetLine>> {
    tx.fetch_all(LINES, args![project_id]).await
}

const COST_SELECT: &str = "SELECT c.id, c.budget_line_id, b.category, b.description AS line_description, c.incurred_on, c.amount_minor, \
    c.description, u.display_name AS created_by_name FROM project_costs c JOIN project_budget_lines b ON b.id = c.budget_line_id \
    LEFT JOIN users u ON u.id = c.created_by";

/// A page of the project's costs, newest first (keyset on date and id).
pub async fn costs(db: &Db, project_id: i64, after: Option<&str>, limit: i64) -> DbResult<Page<Cost>> {
    let total: i64 = db.read().scalar("SELECT COUNT(*) FROM project_costs WHERE project_id = $1", args![project_id]).await?;
    let mut a = args![project_id];
    let mut cond = String::new();
    if let Some((d, id)) = after.and_then(decode_cursor)
        && let Some(d) = parse_date(&d)
    {
        a.extend(args![d, id]);
        cond = " AND (c.incurred_on < $2 OR (c.incurred_on = $2 AND c.id < $3))".into();
    }
    let rows: Vec<Cost> = db
        .read()
        .fetch_all(
            &format!("{COST_SELECT} WHERE c.project_id = $1{cond} ORDER BY c.incurred_on DESC, c.id DESC LIMIT {}", limit + 1),
            a,
        )
        .await?;
    Ok(crate::core::list::finish_page(rows, limit, total, |c| (c.incurred_on.to_string(), c.id)))
}

pub async fn add_cost(tx: &mut Tx, actor: &Actor, project_id: i64, c: &CostInput, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_costs (project_id, budget_line_id, incurred_on, amount_minor, description, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            args![project_id, c.budget_line_id, c.incurred_on, c.amount_minor, c.description.clone(), now, actor.user_id],
        )
        .await?;
    let after: Option<Cost> = tx.fetch_optional(&format!("{COST_SELECT} WHERE c.id = $1"), args![id]).await?;
    audit::record(tx, actor, "project_cost", Some(id), "create", None, after.map(|a| json!(a)).as_ref()).await?;
    Ok(id)
}

// ===== people allocation (2.4.2-d) =====

/// Who the viewer sees on the allocation page: executives, admins and the PMO
/// everyone (optionally one department), managers their department, others
/// themselves. Conditions over users aliased `u`, placeholders from `first`.
fn people_scope(viewer: &Viewer, dept_code: &str, department: Option<i64>, first: usize) -> (String, Vec<Arg>) {
    if viewer.role.sees_everything() || dept_code == PMO_DEPARTMENT {
        match department {
            Some(d) => (format!("u.department_id = ${first}"), args![d]),
            None => ("1 = 1".into(), vec![]),
        }
    } else if viewer.role == Role::Manager {
        (format!("u.department_id = ${first}"), args![viewer.department_id])
    } else {
        (format!("u.id = ${first}"), args![viewer.user_id])
    }
}

pub fn can_filter_people(viewer: &Viewer, dept_code: &str) -> bool {
    viewer.role.sees_everything() || dept_code == PMO_DEPARTMENT
}

/// Per person, the sum of their allocation over open projects (most loaded
/// first) and their largest assignments.
pub async fn allocation(db: &Db, viewer: &Viewer, dept_code: &str, department: Option<i64>) -> DbResult<Vec<PersonRow>> {
    let [s1, s2, s3] = ALLOCATED.map(|s| s.code());
    let (scope, sa) = people_scope(viewer, dept_code, department, 4);
    let mut a = args![s1, s2, s3];
    a.extend(sa);
    let from = format!(
        "FROM project_members m JOIN projects p ON p.id = m.project_id JOIN users u ON u.id = m.user_id \
         JOIN departments d ON d.id = u.department_id WHERE p.status IN ($1, $2, $3) AND {scope}"
    );
    let people: Vec<PersonLoad> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT u.id AS user_id, u.display_name AS name, d.name_zh AS department_zh, d.name_en AS department_en, \
                 CAST(SUM(m.allocation_pct) AS BIGINT) AS total_pct, COUNT(*) AS projects \
                 {from} GROUP BY u.id, u.display_name, d.name_zh, d.name_en \
                 ORDER BY total_pct DESC, u.display_name, u.id LIMIT 500"
            ),
            a.clone(),
        )
        .await?;
    let n = a.len() + 1;
    a.push(Arg::I64(ASSIGNMENTS_SHOWN));
    let assignments: Vec<Assignment> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT user_id, project_id, number, name, status, role, allocation_pct FROM ( \
                 SELECT m.user_id, p.id AS project_id, p.number, p.name, p.status, m.role, m.allocation_pct, \
                 ROW_NUMBER() OVER (PARTITION BY m.user_id ORDER BY m.allocation_pct DESC, p.id) AS rn {from}) x \
                 WHERE rn <= ${n} ORDER BY user_id, allocation_pct DESC, project_id"
            ),
            a,
        )
        .await?;
    Ok(people
        .into_iter()
        .map(|person| {
            let mine = assignments.iter().filter(|x| x.user_id == person.user_id).cloned().collect();
            PersonRow { person, assignments: mine }
        })
        .collect())
}

pub async fn departments(db: &Db) -> DbResult<Vec<DepartmentOption>> {
    db.read().fetch_all("SELECT id, name_zh, name_en FROM departments ORDER BY id", vec![]).await
}

const TEAM_LOADS: &str = "SELECT u.id AS user_id, u.display_name AS name, CAST(SUM(m2.allocation_pct) AS BIGINT) AS total_pct \
    FROM project_members m JOIN users u ON u.id = m.user_id JOIN project_members m2 ON m2.user_id = m.user_id \
    JOIN projects p2 ON p2.id = m2.project_id WHERE m.project_id = $1 AND p2.status IN ($2, $3, $4) \
    GROUP BY u.id, u.display_name ORDER BY total_pct DESC, u.id";

/// For a project's team: each member's total allocation across all open
/// projects (2.4.2-d), most loaded first. The team page uses it to warn of
/// over-allocation (`Load::of(total_pct) == Load::Over`).
pub async fn team_loads(db: &Db, project_id: i64) -> DbResult<Vec<MemberLoad>> {
    let [s1, s2, s3] = ALLOCATED.map(|s| s.code());
    db.read().fetch_all(TEAM_LOADS, args![project_id, s1, s2, s3]).await
}

/// The members of a project's team booked over 100 % across open projects,
/// inside a write transaction (e.g. to warn when a member is added).
pub async fn over_allocated_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<MemberLoad>> {
    let [s1, s2, s3] = ALLOCATED.map(|s| s.code());
    let all: Vec<MemberLoad> = tx.fetch_all(TEAM_LOADS, args![project_id, s1, s2, s3]).await?;
    Ok(all.into_iter().filter(|m| m.total_pct > OVER_ALLOCATED_PCT).collect())
}

// ===== My work =====

const MY_TASKS_FROM: &str = "FROM project_tasks t JOIN projects p ON p.id = t.project_id \
    WHERE t.assignee_id = $1 AND t.actual_end IS NULL AND p.status = $2";

/// My open tasks (all kinds) on executing projects, soonest due first; one
/// indexed query (`project_tasks_assignee`) plus the count.
pub async fn my_tasks(db: &Db, user_id: i64, limit: i64) -> DbResult<(Vec<MyTask>, i64)> {
    let executing = ProjectStatus::Executing.code();
    let rows = db
        .read()
        .fetch_all(
            &format!(
                "SELECT t.id, t.name, t.kind, t.planned_end, t.pct_done, p.id AS project_id, p.number AS project_number, \
                 p.name AS project_name {MY_TASKS_FROM} ORDER BY t.planned_end, t.id LIMIT $3"
            ),
            args![user_id, executing, limit],
        )
        .await?;
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) {MY_TASKS_FROM}"), args![user_id, executing]).await?;
    Ok((rows, total))
}
