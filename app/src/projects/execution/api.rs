//! Server functions of execution (2.4.2). Each write: authenticate ->
//! authorise on the project (`head_tx` + `Access`) -> the project must be
//! executing (2.4.1-c) -> validate -> one transaction with the change, its
//! audit entry and the monitoring figures (`monitoring::store::recompute`).
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, respond},
    crate::core::db::Tx,
    crate::core::i18n::K,
    crate::core::time::company_today,
    crate::projects::model::{Access, ProjectHead},
    chrono::Utc,
};

/// The project if the caller may see it (else "not found").
#[cfg(feature = "ssr")]
async fn project(tx: &mut Tx, user: &CurrentUser, id: i64) -> Result<(ProjectHead, Access), AppError> {
    crate::projects::store::head_tx(tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)
}

/// 2.4.1-c: work is logged only on a project whose plan is approved and in force.
#[cfg(feature = "ssr")]
fn require_executing(h: &ProjectHead) -> Result<(), AppError> {
    if h.status().logs_work() { Ok(()) } else { Err(AppError::field("project_status", K::ProjectsExecValNotExecuting)) }
}

#[cfg(feature = "ssr")]
fn require(allowed: bool) -> Result<(), AppError> {
    if allowed { Ok(()) } else { Err(AppError::Forbidden) }
}

#[cfg(feature = "ssr")]
fn invalid(errors: Vec<crate::core::error::FieldError>) -> AppError {
    AppError::Validation(errors)
}

/// Everything the execution page shows for one project.
#[server(endpoint = "projects/exec_view")]
pub async fn exec_view(project_id: i64, costs_after: String) -> Result<ExecutionView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (head, _) = crate::projects::store::head(&db, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        let today = company_today(Utc::now());
        let meeting_days = crate::settings::store::int(&db, crate::settings::MEETING_DAYS).await?;
        let last_meeting = store::last_meeting(&db, project_id).await?;
        let first_approved = store::first_approved(&db, project_id).await?.map(crate::core::time::company_date);
        let after = Some(costs_after.as_str()).filter(|a| !a.is_empty());
        Ok(ExecutionView {
            tasks: store::tasks(&db, project_id).await?,
            delays: store::delays(&db, project_id).await?,
            meetings: store::meetings(&db, project_id).await?,
            last_meeting,
            next_meeting_due: next_meeting_due(last_meeting, first_approved, meeting_days),
            meeting_days,
            issues: store::issues(&db, project_id).await?,
            criteria: store::criteria(&db, project_id).await?,
            checks: store::checks(&db, project_id).await?,
            lines: store::budget_lines(&db, project_id).await?,
            costs: store::costs(&db, project_id, after, crate::core::list::PAGE_SIZE).await?,
            team: store::team(&db, project_id).await?,
            viewer_id: user.id,
            currency: head.currency,
            today,
        })
    })
    .await
}

/// 2.4.2-a: progress on a task, by its assignee or whoever manages the project.
#[server(endpoint = "projects/exec_log_progress")]
pub async fn log_progress(
    task_id: i64,
    version: i64,
    pct_done: Option<String>,
    actual_start: Option<String>,
    actual_end: Option<String>,
    remaining_hours: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let pid = store::task_project_tx(&mut tx, task_id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = project(&mut tx, &user, pid).await?;
        let task = store::task_tx(&mut tx, task_id).await?.ok_or(AppError::NotFound)?;
        require(access.manage || task.assignee_id == user.id)?;
        require_executing(&head)?;
        let form = ProgressForm {
            pct_done: pct_done.as_deref().unwrap_or(""),
            actual_start: actual_start.as_deref().unwrap_or(""),
            actual_end: actual_end.as_deref().unwrap_or(""),
            remaining_hours: remaining_hours.as_deref().unwrap_or(""),
            note: note.as_deref().unwrap_or(""),
        };
        let p = check_progress(task.kind(), &form, company_today(now)).map_err(invalid)?;
        let who = actor(&user)?;
        if !store::update_progress(&mut tx, &who, &task, version, &p, now).await? {
            let current = store::task_tx(&mut tx, task_id).await?;
            return Err(AppError::Conflict { current: serde_json::json!(current) });
        }
        crate::projects::monitoring::store::recompute(&mut tx, pid, now).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.4.2-b: a delay record for a slipped task or milestone; its forecast
/// becomes the task's planned end and the leader is notified.
#[server(endpoint = "projects/exec_record_delay")]
pub async fn record_delay(task_id: i64, version: i64, cause: String, measures: String, forecast_end: Option<String>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let pid = store::task_project_tx(&mut tx, task_id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = project(&mut tx, &user, pid).await?;
        require(access.manage)?;
        require_executing(&head)?;
        let task = store::task_tx(&mut tx, task_id).await?.ok_or(AppError::NotFound)?;
        let d = check_delay(&task.slip(), &cause, &measures, forecast_end.as_deref().unwrap_or(""), company_today(now)).map_err(invalid)?;
        let who = actor(&user)?;
        let Some(id) = store::record_delay(&mut tx, &who, &head, &task, version, &d, now).await? else {
            let current = store::task_tx(&mut tx, task_id).await?;
            return Err(AppError::Conflict { current: serde_json::json!(current) });
        };
        crate::projects::monitoring::store::recompute(&mut tx, pid, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// 2.4.2-a: a progress meeting with its minutes, decisions and action items
/// (each becomes a task of its owner's).
#[server(endpoint = "projects/exec_hold_meeting")]
pub async fn hold_meeting(
    project_id: i64,
    held_on: String,
    attendee_ids: Option<Vec<String>>,
    guests: Option<String>,
    minutes: String,
    decisions: Option<String>,
    actions: Option<Vec<ActionItemInput>>,
) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = project(&mut tx, &user, project_id).await?;
        require(access.manage)?;
        require_executing(&head)?;
        let team = store::team_tx(&mut tx, project_id).await?;
        let ids: Vec<i64> = team.iter().map(|t| t.user_id).collect();
        let attendees: Vec<i64> = attendee_ids.unwrap_or_default().iter().filter_map(|s| s.trim().parse().ok()).collect();
        let form = MeetingForm { held_on: &held_on, guests: guests.as_deref().unwrap_or(""), minutes: &minutes, decisions: decisions.as_deref().unwrap_or("") };
        let m = check_meeting(&form, &attendees, &actions.unwrap_or_default(), &ids, company_today(now)).map_err(invalid)?;
        // The list as shown: the team members present, then the guests.
        let mut names: Vec<String> = team.iter().filter(|t| m.attendee_ids.contains(&t.user_id)).map(|t| t.name.clone()).collect();
        if !m.guests.is_empty() {
            names.push(m.guests.clone());
        }
        let who = actor(&user)?;
        let id = store::hold_meeting(&mut tx, &who, project_id, &m, &names.join("、"), now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// The issue log: anyone on the team or managing the project raises an issue.
#[server(endpoint = "projects/exec_add_issue")]
pub async fn add_issue(project_id: i64, title: String, issue_description: Option<String>, owner_id: String, due_date: Option<String>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = project(&mut tx, &user, project_id).await?;
        require(access.manage || access.member)?;
        require_executing(&head)?;
        let team: Vec<i64> = store::team_tx(&mut tx, project_id).await?.iter().map(|t| t.user_id).collect();
        let i = check_issue(&title, issue_description.as_deref().unwrap_or(""), &owner_id, due_date.as_deref().unwrap_or(""), &team)
            .map_err(invalid)?;
        let who = actor(&user)?;
        let id = store::add_issue(&mut tx, &who, project_id, &i, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Resolves an issue, by its owner or whoever manages the project.
#[server(endpoint = "projects/exec_resolve_issue")]
pub async fn resolve_issue(issue_id: i64, version: i64, resolution: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (pid, issue) = store::issue_tx(&mut tx, issue_id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = project(&mut tx, &user, pid).await?;
        require(access.manage || issue.owner_id == user.id)?;
        require_executing(&head)?;
        let mut c = crate::core::error::Checks::new();
        c.require("resolution", &resolution);
        c.max_len("resolution", &resolution, TEXT_MAX);
        if !issue.is_open() {
            c.add("resolution", K::ProjectsExecValIssueResolved);
        }
        c.finish()?;
        let who = actor(&user)?;
        if !store::resolve_issue(&mut tx, &who, &issue, version, resolution.trim(), now).await? {
            let current = store::issue_tx(&mut tx, issue_id).await?.map(|x| x.1);
            return Err(AppError::Conflict { current: serde_json::json!(current) });
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.4.2-c: a quality check against one of the plan's criteria; a failure
/// creates its rework task.
#[server(endpoint = "projects/exec_record_check")]
pub async fn record_check(
    project_id: i64,
    criterion_id: String,
    checked_on: String,
    result: Option<String>,
    findings: Option<String>,
    rework_assignee_id: Option<String>,
    rework_due: Option<String>,
) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = project(&mut tx, &user, project_id).await?;
        require(access.manage)?;
        require_executing(&head)?;
        let criteria = store::criteria_tx(&mut tx, project_id).await?;
        let crit_ids: Vec<i64> = criteria.iter().map(|c| c.id).collect();
        let team: Vec<i64> = store::team_tx(&mut tx, project_id).await?.iter().map(|t| t.user_id).collect();
        let form = CheckForm {
            criterion_id: &criterion_id,
            checked_on: &checked_on,
            result: result.as_deref().unwrap_or(""),
            findings: findings.as_deref().unwrap_or(""),
            rework_assignee: rework_assignee_id.as_deref().unwrap_or(""),
            rework_due: rework_due.as_deref().unwrap_or(""),
        };
        let c = check_quality(&form, &crit_ids, &team, company_today(now)).map_err(invalid)?;
        let name = criteria.iter().find(|x| x.id == c.criterion_id).map(|x| x.criterion.clone()).unwrap_or_default();
        let who = actor(&user)?;
        let id = store::record_check(&mut tx, &who, project_id, &name, &c, now).await?;
        crate::projects::monitoring::store::recompute(&mut tx, project_id, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// 2.4.2-d: an actual cost against one of the project's budget lines.
#[server(endpoint = "projects/exec_add_cost")]
pub async fn add_cost(project_id: i64, budget_line_id: String, incurred_on: String, amount: String, cost_description: String) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = project(&mut tx, &user, project_id).await?;
        require(access.manage)?;
        require_executing(&head)?;
        let lines: Vec<i64> = store::budget_lines_tx(&mut tx, project_id).await?.iter().map(|l| l.id).collect();
        let c = check_cost(&budget_line_id, &lines, &incurred_on, &amount, &head.currency, &cost_description, company_today(now)).map_err(invalid)?;
        let who = actor(&user)?;
        let id = store::add_cost(&mut tx, &who, project_id, &c, now).await?;
        crate::projects::monitoring::store::recompute(&mut tx, project_id, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// My open project tasks (My work).
#[server(endpoint = "projects/exec_my_tasks")]
pub async fn my_open_tasks() -> Result<MyTasks, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (tasks, total) = store::my_tasks(&db, user.id, MY_TASKS_LIMIT).await?;
        Ok(MyTasks { tasks, total, today: company_today(Utc::now()) })
    })
    .await
}

/// 2.4.2-d: people allocation across open projects. `department` (an id)
/// narrows it for those who see everyone.
#[server(endpoint = "projects/exec_allocation")]
pub async fn allocation(department: String) -> Result<AllocationView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = crate::projects::store::department_code(&db, user.department_id).await?;
        let can_filter = store::can_filter_people(&v, &code);
        let department_id = if can_filter { parse_id(&department) } else { None };
        let rows = store::allocation(&db, &v, &code, department_id).await?;
        let departments = if can_filter { store::departments(&db).await? } else { vec![] };
        Ok(AllocationView { rows, departments, department_id, can_filter })
    })
    .await
}

/// Each team member's total allocation across open projects (for the team's
/// over-allocation warning).
#[server(endpoint = "projects/exec_team_loads")]
pub async fn team_loads(project_id: i64) -> Result<Vec<MemberLoad>, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        crate::projects::store::head(&db, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        Ok(store::team_loads(&db, project_id).await?)
    })
    .await
}
