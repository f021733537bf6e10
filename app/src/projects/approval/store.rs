//! SQL of plan review and approval (2.4.1-c), baselines and change requests
//! (2.4.3-c). Every change writes its audit entry in the caller's transaction
//! and calls the monitoring hook when it moves the figures.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::inbox::store::{NewItem, insert as inbox_insert};
use crate::projects::model::ProjectHead;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

pub const ENTITY: &str = "project";
/// My-work tasks of approval steps point at the `project_approvals` row.
pub const STEP_SOURCE: &str = "project_approval";

// ----- readiness (2.4.1-a, 2.4.1-b, 2.4.1-d) -----

/// What the plan has (kickoff, tasks, tasks whose assignee is not an active
/// member of the team or its manager, budget lines, criteria) — the same facts
/// the overview's checklist shows (`initiation::store::plan_facts`).
fn readiness_of(f: crate::projects::initiation::model::PlanFacts, reviewers: usize) -> Readiness {
    Readiness {
        kickoffs: f.kickoff_held as i64,
        tasks: f.tasks as i64,
        unassigned: f.unassigned as i64,
        budget_lines: f.budget_lines as i64,
        criteria: f.criteria as i64,
        reviewers: reviewers as i64,
    }
}

pub async fn readiness_tx(tx: &mut Tx, project_id: i64) -> DbResult<Readiness> {
    let r = crate::projects::initiation::store::plan_facts_tx(tx, project_id).await?;
    let reviewers = crate::settings::store::department_ids_tx(tx, crate::settings::PLAN_REVIEW_DEPARTMENTS).await?.len();
    Ok(readiness_of(r, reviewers))
}

pub async fn readiness(db: &Db, project_id: i64) -> DbResult<Readiness> {
    let r = crate::projects::initiation::store::plan_facts(db, project_id).await?;
    let codes = crate::settings::store::get(db, crate::settings::PLAN_REVIEW_DEPARTMENTS).await?;
    let mut a: Vec<Arg> = vec![Arg::Bool(true)];
    let marks: Vec<String> = codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            a.push(Arg::Str(c.to_string()));
            format!("${}", a.len())
        })
        .collect();
    let reviewers: i64 = if marks.is_empty() {
        0
    } else {
        db.read().scalar(&format!("SELECT COUNT(*) FROM departments WHERE active = $1 AND code IN ({})", marks.join(", ")), a).await?
    };
    Ok(readiness_of(r, reviewers as usize))
}

// ----- reading -----

const STEPS: &str = "SELECT a.id, a.change_request_id, cr.seq AS change_seq, a.round, a.step, a.department_id, \
    d.name_zh AS department_zh, d.name_en AS department_en, a.status, a.decided_by, u.display_name AS decider_name, a.comment, \
    a.decided_at, a.created_at, a.version FROM project_approvals a \
    LEFT JOIN project_change_requests cr ON cr.id = a.change_request_id \
    LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN users u ON u.id = a.decided_by";

/// Every step of the project, newest round first; in a round, the reviews
/// (by department) before the leader's approval.
pub async fn steps(db: &Db, project_id: i64) -> DbResult<Vec<Step>> {
    db.read()
        .fetch_all(
            &format!(
                "{STEPS} WHERE a.project_id = $1 ORDER BY a.created_at DESC, COALESCE(a.change_request_id, 0) DESC, a.round DESC, \
                 CASE WHEN a.step = 'review' THEN 0 ELSE 1 END, a.department_id, a.id"
            ),
            args![project_id],
        )
        .await
}

/// The step and its project.
pub async fn step_tx(tx: &mut Tx, step_id: i64) -> DbResult<Option<(i64, Step)>> {
    let s: Option<Step> = tx.fetch_optional(&format!("{STEPS} WHERE a.id = $1"), args![step_id]).await?;
    match s {
        Some(s) => {
            let pid: i64 = tx.scalar("SELECT project_id FROM project_approvals WHERE id = $1", args![step_id]).await?;
            Ok(Some((pid, s)))
        }
        None => Ok(None),
    }
}

const CHANGES: &str = "SELECT cr.id, cr.seq, cr.reason, cr.impact, cr.proposed_end, cr.proposed_budget_minor, \
    (SELECT b.end_date FROM project_baselines b WHERE b.project_id = cr.project_id AND b.approved_at <= cr.created_at \
      ORDER BY b.version DESC LIMIT 1) AS base_end, \
    (SELECT b.budget_minor FROM project_baselines b WHERE b.project_id = cr.project_id AND b.approved_at <= cr.created_at \
      ORDER BY b.version DESC LIMIT 1) AS base_budget_minor, \
    cr.status, cr.decided_at, du.display_name AS decider_name, cr.comment, cr.created_at, cu.display_name AS creator_name, \
    (SELECT b.version FROM project_baselines b WHERE b.change_request_id = cr.id) AS baseline_version, cr.version \
    FROM project_change_requests cr LEFT JOIN users du ON du.id = cr.decided_by LEFT JOIN users cu ON cu.id = cr.created_by";

/// The project's change requests, newest first.
pub async fn change_requests(db: &Db, project_id: i64) -> DbResult<Vec<ChangeRequest>> {
    db.read().fetch_all(&format!("{CHANGES} WHERE cr.project_id = $1 ORDER BY cr.seq DESC"), args![project_id]).await
}

/// The change request and its project.
pub async fn change_request_tx(tx: &mut Tx, id: i64) -> DbResult<Option<(i64, ChangeRequest)>> {
    let c: Option<ChangeRequest> = tx.fetch_optional(&format!("{CHANGES} WHERE cr.id = $1"), args![id]).await?;
    match c {
        Some(c) => {
            let pid: i64 = tx.scalar("SELECT project_id FROM project_change_requests WHERE id = $1", args![id]).await?;
            Ok(Some((pid, c)))
        }
        None => Ok(None),
    }
}

/// Whether a change request of the project is in review (only one at a time, 2.4.3-c).
pub async fn change_in_review_tx(tx: &mut Tx, project_id: i64) -> DbResult<bool> {
    let n: i64 = tx
        .scalar("SELECT COUNT(*) FROM project_change_requests WHERE project_id = $1 AND status = 'in_review'", args![project_id])
        .await?;
    Ok(n > 0)
}

const BASELINES: &str = "SELECT b.id, b.version, b.change_request_id, cr.seq AS change_seq, b.start_date, b.end_date, \
    b.budget_minor, b.approved_at, u.display_name AS approver_name FROM project_baselines b \
    LEFT JOIN project_change_requests cr ON cr.id = b.change_request_id LEFT JOIN users u ON u.id = b.approved_by";

/// The project's baseline versions, newest first.
pub async fn baselines(db: &Db, project_id: i64) -> DbResult<Vec<Baseline>> {
    db.read().fetch_all(&format!("{BASELINES} WHERE b.project_id = $1 ORDER BY b.version DESC"), args![project_id]).await
}

/// A baseline version as a plan (its frozen tasks and budget lines).
pub async fn baseline_plan(db: &Db, project_id: i64, version: i64) -> DbResult<Option<Plan>> {
    let b: Option<Baseline> =
        db.read().fetch_optional(&format!("{BASELINES} WHERE b.project_id = $1 AND b.version = $2"), args![project_id, version]).await?;
    let Some(b) = b else { return Ok(None) };
    let tasks: Vec<PlanTask> = db
        .read()
        .fetch_all(
            "SELECT bt.task_id, COALESCE(t.position, 0) AS position, bt.name, bt.kind, bt.planned_start, bt.planned_end, bt.weight \
             FROM project_baseline_tasks bt LEFT JOIN project_tasks t ON t.id = bt.task_id WHERE bt.baseline_id = $1 \
             ORDER BY COALESCE(t.position, 0), bt.task_id",
            args![b.id],
        )
        .await?;
    let lines: Vec<PlanLine> = db
        .read()
        .fetch_all(
            "SELECT budget_line_id, category, description, amount_minor FROM project_baseline_budget WHERE baseline_id = $1 \
             ORDER BY budget_line_id",
            args![b.id],
        )
        .await?;
    Ok(Some(Plan { version: Some(b.version), start: b.start_date, end: b.end_date, budget_minor: b.budget_minor, tasks, lines }))
}

const PLAN_TASKS: &str = "SELECT id AS task_id, position, name, kind, planned_start, planned_end, weight FROM project_tasks \
    WHERE project_id = $1 AND kind IN ('task', 'milestone') ORDER BY position, id";
const PLAN_LINES: &str = "SELECT id AS budget_line_id, category, description, amount_minor FROM project_budget_lines \
    WHERE project_id = $1 ORDER BY id";

/// The current plan (what a submission or change request proposes).
pub async fn current_plan(db: &Db, head: &ProjectHead) -> DbResult<Plan> {
    let tasks = db.read().fetch_all(PLAN_TASKS, args![head.id]).await?;
    let lines = db.read().fetch_all(PLAN_LINES, args![head.id]).await?;
    Ok(Plan::current(tasks, lines, (head.start_date, head.end_date)))
}

pub async fn current_plan_tx(tx: &mut Tx, head: &ProjectHead) -> DbResult<Plan> {
    let tasks = tx.fetch_all(PLAN_TASKS, args![head.id]).await?;
    let lines = tx.fetch_all(PLAN_LINES, args![head.id]).await?;
    Ok(Plan::current(tasks, lines, (head.start_date, head.end_date)))
}

/// The baseline in force as a plan, inside a transaction.
async fn baseline_plan_tx(tx: &mut Tx, project_id: i64, version: i64) -> DbResult<Option<Plan>> {
    let b: Option<Baseline> =
        tx.fetch_optional(&format!("{BASELINES} WHERE b.project_id = $1 AND b.version = $2"), args![project_id, version]).await?;
    let Some(b) = b else { return Ok(None) };
    let tasks: Vec<PlanTask> = tx
        .fetch_all(
            "SELECT bt.task_id, COALESCE(t.position, 0) AS position, bt.name, bt.kind, bt.planned_start, bt.planned_end, bt.weight \
             FROM project_baseline_tasks bt LEFT JOIN project_tasks t ON t.id = bt.task_id WHERE bt.baseline_id = $1",
            args![b.id],
        )
        .await?;
    let lines: Vec<PlanLine> = tx
        .fetch_all("SELECT budget_line_id, category, description, amount_minor FROM project_baseline_budget WHERE baseline_id = $1", args![b.id])
        .await?;
    Ok(Some(Plan { version: Some(b.version), start: b.start_date, end: b.end_date, budget_minor: b.budget_minor, tasks, lines }))
}

// ----- My work and notifications -----

/// Closes the open My-work tasks of these steps.
async fn close_step_tasks(tx: &mut Tx, step_ids: &[i64], by: Option<i64>, now: DateTime<Utc>) -> DbResult<u64> {
    if step_ids.is_empty() {
        return Ok(0);
    }
    let mut a = args![now, by, STEP_SOURCE];
    let marks: Vec<String> = step_ids
        .iter()
        .map(|id| {
            a.push(Arg::I64(*id));
            format!("${}", a.len())
        })
        .collect();
    tx.execute(
        &format!(
            "UPDATE inbox_items SET done_at = $1, done_by = $2, version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE source_entity = $3 AND source_id IN ({}) AND done_at IS NULL",
            marks.join(", ")
        ),
        a,
    )
    .await
}

/// The end of the third working day from today: a review's or approval's due time.
fn due(now: DateTime<Utc>) -> DateTime<Utc> {
    let day = crate::core::time::add_working_days(crate::core::time::company_today(now), 3);
    crate::core::time::company_midnight(day + Duration::days(1))
}

fn task_params(head: &ProjectHead, seq: Option<i64>) -> Vec<(String, String)> {
    let mut p = vec![("number".to_string(), head.number.clone()), ("name".to_string(), head.name.clone())];
    if let Some(s) = seq {
        p.push(("seq".into(), s.to_string()));
    }
    p
}

/// A review task in the department's My work.
async fn review_task(tx: &mut Tx, head: &ProjectHead, seq: Option<i64>, step_id: i64, dept: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    inbox_insert(
        tx,
        NewItem {
            user_id: None,
            department_id: Some(dept),
            kind: "task",
            title: if seq.is_some() { K::ProjectsTaskReviewChange } else { K::ProjectsTaskReviewPlan },
            params: task_params(head, seq),
            link: format!("/projects/{}/approval", head.id),
            due_at: Some(due(now)),
            source_entity: STEP_SOURCE,
            source_id: Some(step_id),
        },
        by,
        now,
    )
    .await?;
    Ok(())
}

/// The approval task in the leader's (sponsor's) My work.
async fn approval_task(tx: &mut Tx, head: &ProjectHead, seq: Option<i64>, step_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    inbox_insert(
        tx,
        NewItem {
            user_id: Some(head.sponsor_id),
            department_id: None,
            kind: "task",
            title: if seq.is_some() { K::ProjectsTaskApproveChange } else { K::ProjectsTaskApprovePlan },
            params: task_params(head, seq),
            link: format!("/projects/{}/approval", head.id),
            due_at: Some(due(now)),
            source_entity: STEP_SOURCE,
            source_id: Some(step_id),
        },
        by,
        now,
    )
    .await?;
    Ok(())
}

/// Tells the project manager how a submission or change request ended.
async fn notify_manager(tx: &mut Tx, head: &ProjectHead, title: K, seq: Option<i64>, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    inbox_insert(
        tx,
        NewItem {
            user_id: Some(head.manager_id),
            department_id: None,
            kind: "notification",
            title,
            params: task_params(head, seq),
            link: format!("/projects/{}/approval", head.id),
            due_at: None,
            source_entity: ENTITY,
            source_id: Some(head.id),
        },
        by,
        now,
    )
    .await?;
    Ok(())
}

// ----- audit -----

/// status, plan_round, baseline_version, first_approved_at, approved_at, end_date, budget_minor, version
type AuditRow = (String, i64, i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>, NaiveDate, i64, i64);

/// The project's approval state as the audit trail keeps it.
async fn audit_view(tx: &mut Tx, id: i64) -> DbResult<Option<serde_json::Value>> {
    let r: Option<AuditRow> = tx
        .fetch_optional(
            "SELECT status, plan_round, baseline_version, first_approved_at, approved_at, end_date, budget_minor, version \
             FROM projects WHERE id = $1",
            args![id],
        )
        .await?;
    Ok(r.map(|r| {
        json!({"status": r.0, "plan_round": r.1, "baseline_version": r.2, "first_approved_at": r.3, "approved_at": r.4,
            "end_date": r.5, "budget_minor": r.6, "version": r.7})
    }))
}

async fn record(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    detail: serde_json::Value,
) -> DbResult<()> {
    let mut after = audit_view(tx, id).await?;
    if let Some(serde_json::Value::Object(m)) = after.as_mut() {
        m.insert("approval".into(), detail);
    }
    audit::record(tx, actor, ENTITY, Some(id), action, before.as_ref(), after.as_ref()).await
}

// ----- a round's steps -----

/// Inserts a round: one pending review per configured department (each a task
/// in that department's My work) and the leader's step, waiting.
async fn start_round(tx: &mut Tx, actor: &Actor, head: &ProjectHead, change: Option<(i64, i64)>, round: i64, now: DateTime<Utc>) -> DbResult<Vec<i64>> {
    let depts = crate::settings::store::department_ids_tx(tx, crate::settings::PLAN_REVIEW_DEPARTMENTS).await?;
    let cr = change.map(|c| c.0);
    let seq = change.map(|c| c.1);
    // One row per configured department (a handful, from the settings).
    for dept in &depts {
        let id: i64 = tx
            .scalar(
                "INSERT INTO project_approvals (project_id, change_request_id, round, step, department_id, status, version, created_at, \
                 created_by, updated_at, updated_by) VALUES ($1, $2, $3, 'review', $4, 'pending', 1, $5, $6, $5, $6) RETURNING id",
                args![head.id, cr, round, *dept, now, actor.user_id],
            )
            .await?;
        review_task(tx, head, seq, id, *dept, actor.user_id, now).await?;
    }
    tx.execute(
        "INSERT INTO project_approvals (project_id, change_request_id, round, step, department_id, status, version, created_at, \
         created_by, updated_at, updated_by) VALUES ($1, $2, $3, 'approval', NULL, 'waiting', 1, $4, $5, $4, $5)",
        args![head.id, cr, round, now, actor.user_id],
    )
    .await?;
    Ok(depts)
}

/// The condition selecting one round's steps: `$1` project, `$2` round, `$3` change request when there is one.
fn round_cond(change: Option<i64>) -> &'static str {
    if change.is_some() {
        "project_id = $1 AND round = $2 AND change_request_id = $3"
    } else {
        "project_id = $1 AND round = $2 AND change_request_id IS NULL"
    }
}

fn round_args(project_id: i64, round: i64, change: Option<i64>) -> Vec<Arg> {
    let mut a = args![project_id, round];
    if let Some(c) = change {
        a.push(Arg::I64(c));
    }
    a
}

/// Withdraws the round's open (pending or waiting) steps and closes their tasks.
async fn withdraw_open_steps(tx: &mut Tx, project_id: i64, round: i64, change: Option<i64>, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    let cond = round_cond(change);
    let open: Vec<(i64,)> = tx
        .fetch_all(&format!("SELECT id FROM project_approvals WHERE {cond} AND status IN ('pending', 'waiting')"), round_args(project_id, round, change))
        .await?;
    let ids: Vec<i64> = open.into_iter().map(|r| r.0).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let mut a = args![now, by];
    let marks: Vec<String> = ids
        .iter()
        .map(|id| {
            a.push(Arg::I64(*id));
            format!("${}", a.len())
        })
        .collect();
    tx.execute(
        &format!(
            "UPDATE project_approvals SET status = 'withdrawn', version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE id IN ({}) AND status IN ('pending', 'waiting')",
            marks.join(", ")
        ),
        a,
    )
    .await?;
    close_step_tasks(tx, &ids, by, now).await?;
    Ok(())
}

// ----- plan submission (2.4.1-c) -----

/// Submits the plan: status plan_review, the next round's steps. False when
/// the project moved on (version or status).
pub async fn submit_plan(tx: &mut Tx, actor: &Actor, head: &ProjectHead, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, head.id).await?;
    let n = tx
        .execute(
            "UPDATE projects SET status = 'plan_review', plan_round = plan_round + 1, version = version + 1, updated_at = $1, \
             updated_by = $2 WHERE id = $3 AND version = $4 AND status = 'initiating'",
            args![now, actor.user_id, head.id, head.version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let round: i64 = tx.scalar("SELECT plan_round FROM projects WHERE id = $1", args![head.id]).await?;
    let depts = start_round(tx, actor, head, None, round, now).await?;
    record(tx, actor, head.id, "submit_plan", before, json!({"round": round, "review_departments": depts})).await?;
    Ok(true)
}

/// The manager takes the submission back: initiating again, the round's open
/// steps withdrawn. False when the project moved on.
pub async fn withdraw_plan(tx: &mut Tx, actor: &Actor, head: &ProjectHead, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, head.id).await?;
    let n = tx
        .execute(
            "UPDATE projects SET status = 'initiating', version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE id = $3 AND version = $4 AND status = 'plan_review'",
            args![now, actor.user_id, head.id, head.version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let round: i64 = tx.scalar("SELECT plan_round FROM projects WHERE id = $1", args![head.id]).await?;
    withdraw_open_steps(tx, head.id, round, None, actor.user_id, now).await?;
    record(tx, actor, head.id, "withdraw_plan", before, json!({"round": round})).await?;
    Ok(true)
}

// ----- decisions -----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// What a decision led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// The step was no longer pending at that version.
    Stale,
    /// A review recorded; others still open.
    Recorded,
    /// Every review approved: the leader's step is pending now.
    ToLeader,
    /// Rejected: the plan back to initiating, or the change request rejected.
    Returned,
    /// The leader approved: a new baseline version (its number).
    Approved(i64),
}

/// Records one step's decision and what follows from it (2.4.1-c, 2.4.3-c):
/// a rejection ends the round (its other steps withdrawn, the plan back to
/// initiating or the change request rejected, the manager told); the last
/// review approval hands it to the leader; the leader's approval freezes a
/// new baseline. The caller checked who may decide and the status.
pub async fn decide(
    tx: &mut Tx,
    actor: &Actor,
    head: &ProjectHead,
    step: &Step,
    decision: Decision,
    comment: &str,
    now: DateTime<Utc>,
) -> DbResult<Decided> {
    let before = audit_view(tx, head.id).await?;
    let status = match decision {
        Decision::Approve => StepStatus::Approved,
        Decision::Reject => StepStatus::Rejected,
    };
    let n = tx
        .execute(
            "UPDATE project_approvals SET status = $1, decided_by = $2, comment = $3, decided_at = $4, version = version + 1, \
             updated_at = $4, updated_by = $2 WHERE id = $5 AND version = $6 AND status = 'pending'",
            args![status.code(), actor.user_id, comment, now, step.id, step.version],
        )
        .await?;
    if n == 0 {
        return Ok(Decided::Stale);
    }
    close_step_tasks(tx, &[step.id], actor.user_id, now).await?;
    let change = step.change_request_id;
    let seq = step.change_seq;
    let kind = step.kind();
    let outcome = match (kind, decision) {
        (_, Decision::Reject) => {
            end_round_rejected(tx, actor, head, step, comment, now).await?;
            Decided::Returned
        }
        (StepKind::Review, Decision::Approve) => {
            let rows: Vec<(String,)> = tx
                .fetch_all(
                    &format!("SELECT status FROM project_approvals WHERE {} AND step = 'review'", round_cond(change)),
                    round_args(head.id, step.round, change),
                )
                .await?;
            let reviews: Vec<StepStatus> = rows.iter().filter_map(|r| StepStatus::parse(&r.0)).collect();
            match reviews_outcome(&reviews) {
                RoundOutcome::Reviewed => {
                    let leader: Option<(i64,)> = tx
                        .fetch_optional(
                            &format!("SELECT id FROM project_approvals WHERE {} AND step = 'approval' AND status = 'waiting'", round_cond(change)),
                            round_args(head.id, step.round, change),
                        )
                        .await?;
                    if let Some((lid,)) = leader {
                        tx.execute(
                            "UPDATE project_approvals SET status = 'pending', version = version + 1, updated_at = $1, updated_by = $2 \
                             WHERE id = $3 AND status = 'waiting'",
                            args![now, actor.user_id, lid],
                        )
                        .await?;
                        approval_task(tx, head, seq, lid, actor.user_id, now).await?;
                    }
                    Decided::ToLeader
                }
                _ => Decided::Recorded,
            }
        }
        (StepKind::Approval, Decision::Approve) => {
            let v = freeze_baseline(tx, actor, head.id, change, now).await?;
            match change {
                Some(cr) => {
                    tx.execute(
                        "UPDATE project_change_requests SET status = 'approved', decided_at = $1, decided_by = $2, comment = $3, \
                         version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $4 AND status = 'in_review'",
                        args![now, actor.user_id, comment, cr],
                    )
                    .await?;
                    notify_manager(tx, head, K::ProjectsApprInboxChangeApproved, seq, actor.user_id, now).await?;
                }
                None => notify_manager(tx, head, K::ProjectsApprInboxPlanApproved, None, actor.user_id, now).await?,
            }
            Decided::Approved(v)
        }
    };
    if outcome != Decided::Recorded {
        // The header's state moved: other open forms on the project are stale.
        tx.execute("UPDATE projects SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3", args![now, actor.user_id, head.id])
            .await?;
    }
    let action = match (kind, decision, change.is_some()) {
        (StepKind::Review, Decision::Approve, false) => "approve_plan_review",
        (StepKind::Review, Decision::Reject, false) => "reject_plan_review",
        (StepKind::Approval, Decision::Approve, false) => "approve_plan",
        (StepKind::Approval, Decision::Reject, false) => "reject_plan",
        (StepKind::Review, Decision::Approve, true) => "approve_change_review",
        (StepKind::Review, Decision::Reject, true) => "reject_change_review",
        (StepKind::Approval, Decision::Approve, true) => "approve_change",
        (StepKind::Approval, Decision::Reject, true) => "reject_change",
    };
    let detail = json!({"step_id": step.id, "step": kind.code(), "department": step.department_zh, "department_en": step.department_en,
        "round": step.round, "change_request_id": change, "change_seq": seq, "decision": status.code(), "comment": comment,
        "baseline_version": match outcome { Decided::Approved(v) => Some(v), _ => None }});
    record(tx, actor, head.id, action, before, detail).await?;
    Ok(outcome)
}

/// A rejection: the round's other open steps withdrawn; the plan back to
/// initiating, or the change request rejected (its baseline stays); the
/// manager told, with the comment visible on the approval page.
async fn end_round_rejected(tx: &mut Tx, actor: &Actor, head: &ProjectHead, step: &Step, comment: &str, now: DateTime<Utc>) -> DbResult<()> {
    withdraw_open_steps(tx, head.id, step.round, step.change_request_id, actor.user_id, now).await?;
    match step.change_request_id {
        Some(cr) => {
            tx.execute(
                "UPDATE project_change_requests SET status = 'rejected', decided_at = $1, decided_by = $2, comment = $3, \
                 version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $4 AND status = 'in_review'",
                args![now, actor.user_id, comment, cr],
            )
            .await?;
            notify_manager(tx, head, K::ProjectsApprInboxChangeRejected, step.change_seq, actor.user_id, now).await?;
        }
        None => {
            tx.execute(
                "UPDATE projects SET status = 'initiating', updated_at = $1, updated_by = $2 WHERE id = $3 AND status = 'plan_review'",
                args![now, actor.user_id, head.id],
            )
            .await?;
            notify_manager(tx, head, K::ProjectsApprInboxPlanRejected, None, actor.user_id, now).await?;
        }
    }
    Ok(())
}

/// Freezes the current plan as the next baseline version (the brief's
/// "Baseline"): a `project_baselines` row with its tasks and budget lines;
/// tasks and milestones get `baseline_start/_end`, budget lines
/// `baseline_amount_minor`; the project executes with `approved_at` (and
/// `first_approved_at` the first time); a change request's approval also
/// makes its end and budget the project's. Then the monitoring figures are
/// recomputed. Returns the new version.
pub async fn freeze_baseline(tx: &mut Tx, actor: &Actor, project_id: i64, change: Option<i64>, now: DateTime<Utc>) -> DbResult<i64> {
    let (current, start, end): (i64, NaiveDate, NaiveDate) =
        tx.fetch_one("SELECT baseline_version, start_date, end_date FROM projects WHERE id = $1", args![project_id]).await?;
    let (first, last): (Option<NaiveDate>, Option<NaiveDate>) = tx
        .fetch_one(
            "SELECT MIN(planned_start), MAX(planned_end) FROM project_tasks WHERE project_id = $1 AND kind IN ('task', 'milestone')",
            args![project_id],
        )
        .await?;
    let budget: i64 = tx
        .scalar("SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM project_budget_lines WHERE project_id = $1", args![project_id])
        .await?;
    let version = current + 1;
    let (b_start, b_end) = (first.unwrap_or(start), last.unwrap_or(end));
    let baseline: i64 = tx
        .scalar(
            "INSERT INTO project_baselines (project_id, version, change_request_id, start_date, end_date, budget_minor, approved_at, approved_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            args![project_id, version, change, b_start, b_end, budget, now, actor.user_id],
        )
        .await?;
    tx.execute(
        "INSERT INTO project_baseline_tasks (baseline_id, task_id, name, kind, planned_start, planned_end, weight) \
         SELECT $1, id, name, kind, planned_start, planned_end, weight FROM project_tasks WHERE project_id = $2 AND kind IN ('task', 'milestone')",
        args![baseline, project_id],
    )
    .await?;
    tx.execute(
        "INSERT INTO project_baseline_budget (baseline_id, budget_line_id, category, description, amount_minor) \
         SELECT $1, id, category, description, amount_minor FROM project_budget_lines WHERE project_id = $2",
        args![baseline, project_id],
    )
    .await?;
    tx.execute(
        "UPDATE project_tasks SET baseline_start = planned_start, baseline_end = planned_end, version = version + 1, updated_at = $1, \
         updated_by = $2 WHERE project_id = $3 AND kind IN ('task', 'milestone')",
        args![now, actor.user_id, project_id],
    )
    .await?;
    tx.execute(
        "UPDATE project_budget_lines SET baseline_amount_minor = amount_minor, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE project_id = $3",
        args![now, actor.user_id, project_id],
    )
    .await?;
    if change.is_some() {
        // 2.4.3-c: the approved change's end and budget are the project's now.
        tx.execute(
            "UPDATE projects SET end_date = $1, budget_minor = $2 WHERE id = $3",
            args![b_end, budget, project_id],
        )
        .await?;
    }
    tx.execute(
        "UPDATE projects SET status = 'executing', baseline_version = $1, approved_at = $2, first_approved_at = COALESCE(first_approved_at, $2), \
         updated_at = $2, updated_by = $3 WHERE id = $4",
        args![version, now, actor.user_id, project_id],
    )
    .await?;
    crate::projects::monitoring::store::recompute(tx, project_id, now).await?;
    Ok(version)
}

// ----- change requests (2.4.3-c) -----

/// Whether the current plan differs from the baseline in force at all.
pub async fn plan_differs_tx(tx: &mut Tx, head: &ProjectHead) -> DbResult<bool> {
    let current = current_plan_tx(tx, head).await?;
    let Some(base) = baseline_plan_tx(tx, head.id, head.baseline_version).await? else { return Ok(true) };
    let c = compare(&base, &current);
    Ok(c.end_days != 0 || c.budget_diff != 0 || c.changed_tasks() > 0 || c.lines.iter().any(|l| l.diff != 0 || l.a.is_none() || l.b.is_none()))
}

/// Whether the current plan still has the end and budget a change request proposed.
pub async fn proposal_still_current_tx(tx: &mut Tx, head: &ProjectHead, c: &ChangeRequest) -> DbResult<bool> {
    let current = current_plan_tx(tx, head).await?;
    Ok(current.end == c.proposed_end && current.budget_minor == c.proposed_budget_minor)
}

/// Raises a change request proposing the current plan as the next baseline:
/// its latest planned end and the sum of its budget lines; the review round
/// starts. False when the project moved on (version or status).
pub async fn raise_change(tx: &mut Tx, actor: &Actor, head: &ProjectHead, reason: &str, impact: &str, now: DateTime<Utc>) -> DbResult<Option<i64>> {
    let before = audit_view(tx, head.id).await?;
    let n = tx
        .execute(
            "UPDATE projects SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4 AND status = 'executing'",
            args![now, actor.user_id, head.id, head.version],
        )
        .await?;
    if n == 0 {
        return Ok(None);
    }
    let plan = current_plan_tx(tx, head).await?;
    let seq: i64 = tx
        .scalar("SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) FROM project_change_requests WHERE project_id = $1", args![head.id])
        .await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_change_requests (project_id, seq, reason, impact, proposed_end, proposed_budget_minor, status, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 'in_review', 1, $7, $8, $7, $8) RETURNING id",
            args![head.id, seq, reason, impact, plan.end, plan.budget_minor, now, actor.user_id],
        )
        .await?;
    let depts = start_round(tx, actor, head, Some((id, seq)), 1, now).await?;
    let detail = json!({"change_request_id": id, "seq": seq, "reason": reason, "impact": impact, "proposed_end": plan.end,
        "proposed_budget_minor": plan.budget_minor, "review_departments": depts,
        "tasks": plan.tasks.iter().map(|t| json!({"task_id": t.task_id, "start": t.planned_start, "end": t.planned_end})).collect::<Vec<_>>(),
        "lines": plan.lines.iter().map(|l| json!({"budget_line_id": l.budget_line_id, "amount_minor": l.amount_minor})).collect::<Vec<_>>()});
    record(tx, actor, head.id, "raise_change", before, detail).await?;
    Ok(Some(id))
}

/// The manager withdraws a change request in review; its open steps are
/// withdrawn, the baseline stays. False when it is no longer in review at that version.
pub async fn withdraw_change(tx: &mut Tx, actor: &Actor, head: &ProjectHead, c: &ChangeRequest, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, head.id).await?;
    let n = tx
        .execute(
            "UPDATE project_change_requests SET status = 'withdrawn', decided_at = $1, decided_by = $2, version = version + 1, \
             updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4 AND status = 'in_review'",
            args![now, actor.user_id, c.id, c.version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let rounds: Vec<(i64,)> =
        tx.fetch_all("SELECT DISTINCT round FROM project_approvals WHERE change_request_id = $1", args![c.id]).await?;
    for (round,) in rounds {
        withdraw_open_steps(tx, head.id, round, Some(c.id), actor.user_id, now).await?;
    }
    tx.execute("UPDATE projects SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3", args![now, actor.user_id, head.id])
        .await?;
    record(tx, actor, head.id, "withdraw_change", before, json!({"change_request_id": c.id, "seq": c.seq})).await?;
    Ok(true)
}
