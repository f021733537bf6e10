//! Server functions of initiation (2.4.1-a, -b, -d). Each: authenticate,
//! authorise per project (`projects::store::head_tx` + `Access`), validate, one
//! transaction with the change, its audit entry and — when monitoring figures
//! may move — `monitoring::store::recompute`; return a view type.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, respond},
    crate::core::db::Tx,
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::Role,
    crate::core::time::company_today,
    crate::projects::model::{Access, PMO_DEPARTMENT, ProjectHead, ProjectStatus},
    crate::projects::store::{department_code, head, head_tx},
    chrono::Utc,
};

#[cfg(feature = "ssr")]
fn conflict<T: Serialize>(current: Option<T>) -> AppError {
    match current {
        Some(c) => AppError::Conflict { current: serde_json::json!(c) },
        None => AppError::NotFound,
    }
}

/// The plan (or the project) may not be changed in its current status.
#[cfg(feature = "ssr")]
fn read_only() -> AppError {
    AppError::field("state", K::ProjectsInitValReadOnly)
}

#[cfg(feature = "ssr")]
fn opt_num(field: &str, s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, K::ValInvalid))
}

#[cfg(feature = "ssr")]
fn required_version(s: &str) -> Result<i64, AppError> {
    opt_num("version", s)?.ok_or(AppError::field("version", K::ValInvalid))
}

/// The project for a change by someone who manages it.
#[cfg(feature = "ssr")]
async fn managed(tx: &mut Tx, user: &CurrentUser, project_id: i64) -> Result<(ProjectHead, Access), AppError> {
    let (h, a) = head_tx(tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
    if !a.manage {
        return Err(AppError::Forbidden);
    }
    Ok((h, a))
}

/// As `managed`, and the plan locked for the change: its status, if the plan
/// may be changed now (initiating or executing).
#[cfg(feature = "ssr")]
async fn plan_change(tx: &mut Tx, user: &CurrentUser, project_id: i64, now: chrono::DateTime<Utc>) -> Result<(ProjectHead, ProjectStatus), AppError> {
    let (h, _) = managed(tx, user, project_id).await?;
    let status = store::lock_plan(tx, project_id, Some(user.id), now).await?.ok_or_else(read_only)?;
    Ok((h, status))
}

/// 2.4.3-c: while a change request is in review, the schedule and the budget
/// lines stay as proposed (its approval makes them the new baseline).
#[cfg(feature = "ssr")]
async fn no_change_in_review(tx: &mut Tx, project_id: i64) -> Result<(), AppError> {
    if store::change_in_review_tx(tx, project_id).await? {
        return Err(AppError::field("state", K::ProjectsInitValChangeInReview));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
async fn recompute(tx: &mut Tx, project_id: i64, now: chrono::DateTime<Utc>) -> Result<(), AppError> {
    Ok(crate::projects::monitoring::store::recompute(tx, project_id, now).await?)
}

// ===== the list =====

/// Filters, sorting and paging of the project list, as in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectQuery {
    pub q: String,
    pub status: String,
    pub dept: String,
    pub health: String,
    /// "1": projects I manage or am on the team of.
    pub mine: String,
    /// "number" (default) or "name".
    pub sort: String,
    pub dir: String,
    pub after: String,
}

#[server(endpoint = "projects/init_list")]
pub async fn list_projects(query: ProjectQuery) -> Result<ProjectListView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = department_code(&db, user.department_id).await?;
        let f = store::ProjectFilter {
            q: query.q.clone(),
            status: ProjectStatus::parse(&query.status),
            department_id: query.dept.trim().parse::<i64>().ok(),
            health: crate::projects::model::Health::parse(&query.health).map(|h| h.code().to_string()),
            mine: !query.mine.is_empty(),
        };
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let dir = crate::core::list::Dir::parse(&query.dir);
        let page = store::list(&db, &v, &code, &f, &query.sort, dir, after, crate::core::list::PAGE_SIZE).await?;
        Ok(ProjectListView {
            page,
            departments: store::departments(&db).await?,
            can_create: may_create(&v, &code),
            can_see_dashboard: v.role >= Role::Manager || code == PMO_DEPARTMENT,
        })
    })
    .await
}

// ===== the project form =====

/// What the form needs; `id` 0 for a new project.
#[server(endpoint = "projects/init_form")]
pub async fn project_form(id: i64) -> Result<ProjectFormData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = department_code(&db, user.department_id).await?;
        let (project, editable) = if id > 0 {
            let (_, access) = head(&db, &v, id).await?.ok_or(AppError::NotFound)?;
            if !access.manage {
                return Err(AppError::Forbidden);
            }
            let p = store::project(&db, id).await?.ok_or(AppError::NotFound)?;
            let e = Editable::of(p.status());
            (Some(p), e)
        } else {
            if !may_create(&v, &code) {
                return Err(AppError::Forbidden);
            }
            (None, Editable::All)
        };
        let current_dept = project.as_ref().map(|p| p.requesting_department_id);
        let departments = store::departments(&db)
            .await?
            .into_iter()
            .filter(|d| Some(d.id) == current_dept || may_request_for(&v, &code, d.id))
            .collect();
        Ok(ProjectFormData {
            project,
            editable,
            departments,
            people: store::people(&db).await?,
            leaders: store::leaders(&db).await?,
            today: company_today(Utc::now()),
        })
    })
    .await
}

/// Checks the people and department of a validated form against the database;
/// `before` is the stored project when editing (unchanged choices pass).
#[cfg(feature = "ssr")]
async fn check_refs(tx: &mut Tx, user: &CurrentUser, code: &str, d: &ProjectData, before: Option<&Project>) -> Result<(), AppError> {
    let v = user.viewer();
    let mut c = Checks::new();
    if before.is_none_or(|b| b.requesting_department_id != d.requesting_department_id)
        && (!store::department_active_tx(tx, d.requesting_department_id).await? || !may_request_for(&v, code, d.requesting_department_id))
    {
        c.add("requesting_department_id", K::ProjectsInitValDepartment);
    }
    if before.is_none_or(|b| b.manager_id != d.manager_id) && !store::person_tx(tx, d.manager_id).await?.is_some_and(|p| p.0) {
        c.add("manager_id", K::ProjectsInitValPerson);
    }
    if before.is_none_or(|b| b.sponsor_id != d.sponsor_id) {
        // 2.4.1-c: the leader who approves the plan is a manager or an executive.
        let ok = store::person_tx(tx, d.sponsor_id).await?.is_some_and(|(active, role)| active && Role::parse(&role).is_some_and(may_lead));
        if !ok {
            c.add("sponsor_id", K::ProjectsInitValLeader);
        }
    }
    c.finish()
}

/// Tells a person named project manager or leader (unless they did it themselves).
#[cfg(feature = "ssr")]
async fn notify_named(tx: &mut Tx, by: Option<i64>, p: &Project, whom: &[(i64, K)], now: chrono::DateTime<Utc>) -> Result<(), AppError> {
    for (uid, key) in whom {
        if Some(*uid) == by {
            continue;
        }
        crate::inbox::store::insert(
            tx,
            crate::inbox::store::NewItem {
                user_id: Some(*uid),
                department_id: None,
                kind: "notification",
                title: *key,
                params: vec![("number".into(), p.number.clone()), ("name".into(), p.name.clone())],
                link: format!("/projects/{}", p.id),
                due_at: None,
                source_entity: "project",
                source_id: Some(p.id),
            },
            by,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Creates (empty `id`) or updates a project. 2.4.1-a: the requesting
/// department, objectives, scope, dates, budget and the people responsible.
#[server(endpoint = "projects/init_save")]
pub async fn save_project(id: String, version: String, input: ProjectInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let code = department_code(&db, user.department_id).await?;
        let now = Utc::now();
        let id = match opt_num("id", &id)? {
            None => {
                if !may_create(&user.viewer(), &code) {
                    return Err(AppError::Forbidden);
                }
                let d = input.validate()?;
                let mut tx = db.begin().await?;
                check_refs(&mut tx, &user, &code, &d, None).await?;
                let id = store::insert_project(&mut tx, &who, &d, user.language.t(K::ProjectsManager), now).await?;
                let p = store::project_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;
                notify_named(&mut tx, who.user_id, &p, &[(d.manager_id, K::ProjectsInitNotifyManager), (d.sponsor_id, K::ProjectsInitNotifySponsor)], now)
                    .await?;
                tx.commit().await?;
                id
            }
            Some(id) => {
                let version = required_version(&version)?;
                let mut tx = db.begin().await?;
                managed(&mut tx, &user, id).await?;
                let before = store::project_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                let input = match Editable::of(before.status()) {
                    Editable::Nothing => return Err(read_only()),
                    Editable::All => input,
                    // Dates, budget and the people stay as approved (a change request changes them).
                    Editable::TextOnly => ProjectInput {
                        name: input.name,
                        objectives: input.objectives,
                        scope_in: input.scope_in,
                        scope_out: input.scope_out,
                        priority: input.priority,
                        ..ProjectInput::from_project(&before)
                    },
                };
                let d = input.validate()?;
                check_refs(&mut tx, &user, &code, &d, Some(&before)).await?;
                if !store::update_project(&mut tx, &who, &before, version, &d, now).await? {
                    let current = store::project_tx(&mut tx, id).await?;
                    return Err(conflict(current));
                }
                // 2.4.1-d: the project manager is always on the team.
                store::ensure_member(&mut tx, &who, id, d.manager_id, user.language.t(K::ProjectsManager), now).await?;
                let p = store::project_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;
                let mut named = Vec::new();
                if d.manager_id != before.manager_id {
                    named.push((d.manager_id, K::ProjectsInitNotifyManager));
                }
                if d.sponsor_id != before.sponsor_id {
                    named.push((d.sponsor_id, K::ProjectsInitNotifySponsor));
                }
                notify_named(&mut tx, who.user_id, &p, &named, now).await?;
                recompute(&mut tx, id, now).await?;
                tx.commit().await?;
                id
            }
        };
        leptos_axum::redirect(&format!("/projects/{id}"));
        Ok(id)
    })
    .await
}

/// Cancels an open project with a reason (by whoever manages or leads it).
#[server(endpoint = "projects/init_cancel")]
pub async fn cancel_project(id: i64, version: i64, reason: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (h, access) = head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !(access.manage || access.lead) {
            return Err(AppError::Forbidden);
        }
        if !may_cancel(h.status(), &access) {
            return Err(read_only());
        }
        let mut c = Checks::new();
        c.require("reason", &reason);
        c.max_len("reason", reason.trim(), 1000);
        c.finish()?;
        let before = store::project_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !store::cancel_project(&mut tx, &who, &before, version, reason.trim(), now).await? {
            let current = store::project_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        recompute(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== overview: team and kickoff =====

#[server(endpoint = "projects/init_overview")]
pub async fn project_overview(id: i64) -> Result<OverviewView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (_, access) = head(&db, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        let project = store::project(&db, id).await?.ok_or(AppError::NotFound)?;
        let members = store::members(&db, id).await?;
        let (kickoff, kickoff_attendees) = match store::kickoff(&db, id).await? {
            Some((m, a)) => (Some(m), a),
            None => (None, vec![]),
        };
        let people = if access.manage {
            store::people(&db).await?.into_iter().filter(|p| !members.iter().any(|m| m.user_id == p.id)).collect()
        } else {
            vec![]
        };
        let cancel_reason =
            if project.status() == ProjectStatus::Cancelled { store::cancel_reason(&db, id).await? } else { None };
        Ok(OverviewView {
            facts: store::plan_facts(&db, id).await?,
            project,
            access,
            members,
            kickoff,
            kickoff_attendees,
            people,
            cancel_reason,
            today: company_today(Utc::now()),
        })
    })
    .await
}

/// Adds (empty `id`) or edits a team member (2.4.1-d).
#[server(endpoint = "projects/init_save_member")]
pub async fn save_member(project_id: i64, id: String, version: String, input: MemberInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        plan_change(&mut tx, &user, project_id, now).await?;
        let id = match opt_num("id", &id)? {
            None => {
                let m = input.validate(true)?;
                if !store::person_tx(&mut tx, m.user_id).await?.is_some_and(|p| p.0) {
                    return Err(AppError::field("user_id", K::ProjectsInitValPerson));
                }
                if store::is_member_tx(&mut tx, project_id, m.user_id).await? {
                    return Err(AppError::field("user_id", K::ProjectsInitValAlreadyMember));
                }
                store::insert_member(&mut tx, &who, project_id, &m, now).await?
            }
            Some(id) => {
                let version = required_version(&version)?;
                let before = store::member_tx(&mut tx, id).await?.filter(|m| m.project_id == project_id).ok_or(AppError::NotFound)?;
                let m = input.validate(false)?;
                let m = MemberData { user_id: before.user_id, ..m };
                if !store::update_member(&mut tx, &who, &before, version, &m, now).await? {
                    let current = store::member_tx(&mut tx, id).await?;
                    return Err(conflict(current));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Takes someone off the team: not the project manager, and not while tasks
/// are still assigned to them (2.4.1-d: every task has an assignee on the team).
#[server(endpoint = "projects/init_remove_member")]
pub async fn remove_member(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let before = store::member_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let (h, _) = plan_change(&mut tx, &user, before.project_id, now).await?;
        if before.user_id == h.manager_id {
            return Err(AppError::field("state", K::ProjectsInitValRemoveManager));
        }
        if before.open_tasks > 0 {
            return Err(AppError::field("state", K::ProjectsInitValMemberHasTasks));
        }
        if !store::delete_member(&mut tx, &who, &before, version).await? {
            let current = store::member_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Records or corrects the kickoff meeting (2.4.1-a): date, the team members
/// present (`attendees`, user ids) and guests, minutes and decisions.
#[server(endpoint = "projects/init_save_kickoff")]
pub async fn save_kickoff(project_id: i64, version: String, input: KickoffInput, attendees: Option<Vec<String>>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (h, _) = plan_change(&mut tx, &user, project_id, now).await?;
        let k = input.validate(company_today(now))?;
        let ids = parse_ids(&attendees.unwrap_or_default()).map_err(|_| AppError::field("attendees", K::ValInvalid))?;
        let team = store::team_subset_tx(&mut tx, project_id, h.manager_id, &ids).await?;
        if team.len() != ids.len() {
            return Err(AppError::field("attendees", K::ValInvalid));
        }
        let names = store::names_tx(&mut tx, &ids).await?;
        let text = compose_attendees(&names, &k.guests);
        let existing = store::kickoff_tx(&mut tx, project_id).await?;
        let version = opt_num("version", &version)?;
        let saved = match (&existing, version) {
            (Some(m), Some(v)) => store::save_kickoff(&mut tx, &who, project_id, Some((m, v)), &k, &ids, &text, now).await?,
            // Someone recorded the kickoff while this form was open.
            (Some(m), None) => return Err(conflict(Some(m.clone()))),
            (None, _) => store::save_kickoff(&mut tx, &who, project_id, None, &k, &ids, &text, now).await?,
        };
        let Some(id) = saved else {
            let current = store::kickoff_tx(&mut tx, project_id).await?;
            return Err(conflict(current));
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

// ===== the plan (2.4.1-b) =====

#[server(endpoint = "projects/init_plan")]
pub async fn project_plan(id: i64) -> Result<PlanView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (_, access) = head(&db, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        let project = store::project(&db, id).await?.ok_or(AppError::NotFound)?;
        let tasks = store::tasks(&db, id).await?;
        let deps = store::deps(&db, id).await?;
        let spans: Vec<TaskSpan> = tasks.iter().map(|t| (t.id, t.planned_start, t.planned_end)).collect();
        let warnings = schedule_warnings((project.start_date, project.end_date), &spans, &deps);
        Ok(PlanView {
            warnings,
            deps,
            tasks,
            members: store::members(&db, id).await?,
            budget_lines: store::budget_lines(&db, id).await?,
            criteria: store::criteria(&db, id).await?,
            risks: store::risks(&db, id).await?,
            change_in_review: store::change_in_review(&db, id).await?,
            project,
            access,
        })
    })
    .await
}

/// Adds (empty `id`) or edits a task or milestone with its predecessors
/// (`deps`, task ids). The assignee is on the team (2.4.1-d); dependencies may
/// not loop. While executing, a baselined task keeps its kind and weight
/// (its dates may move: that is the forecast; the baseline changes only by a
/// change request, 2.4.3-c).
#[server(endpoint = "projects/init_save_task")]
pub async fn save_task(project_id: i64, id: String, version: String, input: TaskInput, deps: Option<Vec<String>>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (h, status) = plan_change(&mut tx, &user, project_id, now).await?;
        no_change_in_review(&mut tx, project_id).await?;
        let t = input.validate()?;
        let preds = parse_ids(&deps.unwrap_or_default())?;
        let mut c = Checks::new();
        if store::team_subset_tx(&mut tx, project_id, h.manager_id, &[t.assignee_id]).await?.is_empty() {
            c.add("assignee_id", K::ProjectsInitValAssigneeTeam);
        }
        let plan_ids = store::plan_task_ids_tx(&mut tx, project_id).await?;
        if preds.iter().any(|p| !plan_ids.contains(p)) {
            c.add("deps", K::ValInvalid);
        }
        let edges = store::deps_tx(&mut tx, project_id).await?;
        let id = match opt_num("id", &id)? {
            None => {
                c.finish()?;
                store::insert_task(&mut tx, &who, project_id, &t, &preds, now).await?
            }
            Some(id) => {
                let version = required_version(&version)?;
                let before = store::task_tx(&mut tx, id)
                    .await?
                    .filter(|b| b.project_id == project_id && TaskKind::parse(&b.kind).is_some())
                    .ok_or(AppError::NotFound)?;
                if status == ProjectStatus::Executing && before.has_baseline() {
                    if t.kind != before.kind() {
                        c.add("kind", K::ProjectsInitValBaselineLocked);
                    }
                    if t.weight != before.weight {
                        c.add("weight", K::ProjectsInitValBaselineLocked);
                    }
                }
                if creates_cycle(&edges, id, &preds) {
                    c.add("deps", K::ProjectsInitValCycle);
                }
                c.finish()?;
                let before_preds: Vec<i64> = edges.iter().filter(|e| e.0 == id).map(|e| e.1).collect();
                if !store::update_task(&mut tx, &who, &before, &before_preds, version, &t, &preds, now).await? {
                    let current = store::task_tx(&mut tx, id).await?;
                    return Err(conflict(current));
                }
                id
            }
        };
        recompute(&mut tx, project_id, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Deletes a task or milestone that has neither a baseline nor progress.
#[server(endpoint = "projects/init_delete_task")]
pub async fn delete_task(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let before = store::task_tx(&mut tx, id).await?.filter(|t| TaskKind::parse(&t.kind).is_some()).ok_or(AppError::NotFound)?;
        plan_change(&mut tx, &user, before.project_id, now).await?;
        no_change_in_review(&mut tx, before.project_id).await?;
        if !before.deletable() {
            return Err(AppError::field("state", K::ProjectsInitValTaskHasHistory));
        }
        let edges = store::deps_tx(&mut tx, before.project_id).await?;
        let before_preds: Vec<i64> = edges.iter().filter(|e| e.0 == id).map(|e| e.1).collect();
        if !store::delete_task(&mut tx, &who, &before, &before_preds, version).await? {
            let current = store::task_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        recompute(&mut tx, before.project_id, now).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Adds (empty `id`) or edits a budget line (resource plan). While executing,
/// a baselined line keeps its category; its amount is the current forecast.
#[server(endpoint = "projects/init_save_budget_line")]
pub async fn save_budget_line(project_id: i64, id: String, version: String, input: BudgetLineInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (_, status) = plan_change(&mut tx, &user, project_id, now).await?;
        no_change_in_review(&mut tx, project_id).await?;
        let b = input.validate()?;
        let id = match opt_num("id", &id)? {
            None => store::insert_budget_line(&mut tx, &who, project_id, &b, now).await?,
            Some(id) => {
                let version = required_version(&version)?;
                let before = store::budget_line_tx(&mut tx, id).await?.filter(|x| x.project_id == project_id).ok_or(AppError::NotFound)?;
                if status == ProjectStatus::Executing && before.baseline_amount_minor.is_some() && before.category() != b.category {
                    return Err(AppError::field("category", K::ProjectsInitValBaselineLocked));
                }
                if !store::update_budget_line(&mut tx, &who, &before, version, &b, now).await? {
                    let current = store::budget_line_tx(&mut tx, id).await?;
                    return Err(conflict(current));
                }
                id
            }
        };
        recompute(&mut tx, project_id, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Deletes a budget line that is not in a baseline and has no costs.
#[server(endpoint = "projects/init_delete_budget_line")]
pub async fn delete_budget_line(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let before = store::budget_line_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        plan_change(&mut tx, &user, before.project_id, now).await?;
        no_change_in_review(&mut tx, before.project_id).await?;
        if !before.deletable() {
            return Err(AppError::field("state", K::ProjectsInitValBudgetHasHistory));
        }
        if !store::delete_budget_line(&mut tx, &who, &before, version).await? {
            let current = store::budget_line_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        recompute(&mut tx, before.project_id, now).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Adds (empty `id`) or edits an acceptance criterion (quality plan).
#[server(endpoint = "projects/init_save_criterion")]
pub async fn save_criterion(project_id: i64, id: String, version: String, input: CriterionInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        plan_change(&mut tx, &user, project_id, now).await?;
        let c = input.validate()?;
        let id = match opt_num("id", &id)? {
            None => store::insert_criterion(&mut tx, &who, project_id, &c, now).await?,
            Some(id) => {
                let version = required_version(&version)?;
                let before = store::criterion_tx(&mut tx, id).await?.filter(|x| x.project_id == project_id).ok_or(AppError::NotFound)?;
                if !store::update_criterion(&mut tx, &who, &before, version, &c, now).await? {
                    let current = store::criterion_tx(&mut tx, id).await?;
                    return Err(conflict(current));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Deletes a criterion nothing has been checked against yet.
#[server(endpoint = "projects/init_delete_criterion")]
pub async fn delete_criterion(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let before = store::criterion_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        plan_change(&mut tx, &user, before.project_id, now).await?;
        if before.checks > 0 {
            return Err(AppError::field("state", K::ProjectsInitValCriterionChecked));
        }
        if !store::delete_criterion(&mut tx, &who, &before, version).await? {
            let current = store::criterion_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Adds (empty `id`) or edits a risk (risk plan); the owner is on the team.
#[server(endpoint = "projects/init_save_risk")]
pub async fn save_risk(project_id: i64, id: String, version: String, input: RiskInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (h, _) = plan_change(&mut tx, &user, project_id, now).await?;
        let r = input.validate()?;
        if store::team_subset_tx(&mut tx, project_id, h.manager_id, &[r.owner_id]).await?.is_empty() {
            return Err(AppError::field("owner_id", K::ProjectsInitValOwnerTeam));
        }
        let id = match opt_num("id", &id)? {
            None => store::insert_risk(&mut tx, &who, project_id, &r, now).await?,
            Some(id) => {
                let version = required_version(&version)?;
                let before = store::risk_tx(&mut tx, id).await?.filter(|x| x.project_id == project_id).ok_or(AppError::NotFound)?;
                if !store::update_risk(&mut tx, &who, &before, version, &r, now).await? {
                    let current = store::risk_tx(&mut tx, id).await?;
                    return Err(conflict(current));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Deletes a risk while the project is initiating; once it executes, a risk
/// is closed instead, so the register keeps its history.
#[server(endpoint = "projects/init_delete_risk")]
pub async fn delete_risk(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let before = store::risk_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let (_, status) = plan_change(&mut tx, &user, before.project_id, now).await?;
        if status != ProjectStatus::Initiating {
            return Err(AppError::field("state", K::ProjectsInitValRiskCloseInstead));
        }
        if !store::delete_risk(&mut tx, &who, &before, version).await? {
            let current = store::risk_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
