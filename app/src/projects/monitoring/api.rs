//! Server functions of monitoring: the monitoring tab with the PMO's
//! evaluations (2.4.3), the project status dashboard and the Gantt view.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, respond},
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::Role,
    crate::projects::model::{Health, PMO_DEPARTMENT, Priority},
    chrono::Utc,
};

/// The monitoring tab: figures, health and why, warnings, and the PMO's
/// evaluations, for anyone who may see the project.
#[server(endpoint = "projects/mon_monitoring")]
pub async fn project_monitoring(id: i64) -> Result<MonitoringView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (_, access) = crate::projects::store::head(&db, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        let now = Utc::now();
        let today = crate::core::time::company_today(now);
        let (figures, thresholds, history, overdue, delays, checks, evaluations, due) = tokio::try_join!(
            store::figures(&db, id),
            store::thresholds(&db),
            store::health_history(&db, id),
            store::overdue_milestones(&db, id, today),
            store::open_delays(&db, id),
            store::failed_checks(&db, id),
            store::evaluations(&db, id),
            store::evaluation_due(&db, id, now),
        )?;
        let figures = figures.ok_or(AppError::NotFound)?;
        let reasons = if is_measured(figures.status()) {
            let facts = HealthFacts {
                spi_milli: figures.spi_milli,
                cpi_milli: figures.cpi_milli,
                overdue_milestones: figures.overdue_milestones,
                max_overdue_days: overdue.iter().map(|m| (today - m.due()).num_days()).max().unwrap_or(0),
                open_delays: figures.open_delays,
                failed_checks: figures.failed_checks,
            };
            health(&facts, &thresholds).1
        } else {
            vec![]
        };
        let can_evaluate = access.pmo && is_measured(figures.status());
        Ok(MonitoringView {
            figures,
            thresholds,
            reasons,
            history,
            overdue,
            delays,
            checks,
            evaluations,
            evaluation_due_on: due,
            can_evaluate,
            today,
            time_zone: user.time_zone,
        })
    })
    .await
}

/// 2.4.3-a: the PMO records a health evaluation of a project being executed or
/// in acceptance; the open "evaluation due" task in the PMO's My work is done.
#[server(endpoint = "projects/mon_record_evaluation")]
pub async fn record_evaluation(
    project_id: i64,
    schedule: String,
    quality: String,
    cost: String,
    risk: String,
    overall: String,
    comments: String,
) -> Result<Evaluation, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let (head, access) = crate::projects::store::head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        // 2.4.3-a: evaluations are the PMO's.
        if !access.pmo {
            return Err(AppError::Forbidden);
        }
        let mut c = Checks::new();
        if !is_measured(head.status()) {
            c.add("project_id", K::ProjectsMonNotMeasured);
        }
        let mut rating = |field: &str, v: &str| -> Health {
            Health::parse(v.trim()).unwrap_or_else(|| {
                c.add(field, if v.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
                Health::Green
            })
        };
        let data = store::EvaluationData {
            schedule: rating("schedule", &schedule),
            quality: rating("quality", &quality),
            cost: rating("cost", &cost),
            risk: rating("risk", &risk),
            overall: rating("overall", &overall),
            comments: comments.trim().to_string(),
        };
        c.max_len("comments", &data.comments, COMMENTS_MAX);
        // A rating other than green is explained.
        let flagged = [data.schedule, data.quality, data.cost, data.risk, data.overall].iter().any(|h| *h != Health::Green);
        if flagged && data.comments.is_empty() {
            c.add("comments", K::ProjectsMonCommentsRequired);
        }
        c.finish()?;
        let now = Utc::now();
        let id = store::insert_evaluation(&mut tx, project_id, &data, user.id, now).await?;
        let saved = store::evaluation_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;
        crate::core::audit::record(
            &mut tx,
            &who,
            "project_evaluation",
            Some(id),
            "create",
            None,
            Some(&serde_json::json!({
                "project_id": project_id, "evaluated_on": saved.evaluated_on, "schedule": saved.schedule, "quality": saved.quality,
                "cost": saved.cost, "risk": saved.risk, "overall": saved.overall, "comments": saved.comments,
            })),
        )
        .await?;
        store::close_evaluation_tasks(&mut tx, project_id, Some(user.id), now).await?;
        tx.commit().await?;
        Ok(saved)
    })
    .await
}

/// The Gantt view's tasks and dependencies, for anyone who may see the project.
#[server(endpoint = "projects/mon_gantt")]
pub async fn project_gantt(id: i64) -> Result<GanttView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        crate::projects::store::head(&db, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        let (tasks, deps) = tokio::try_join!(store::gantt_tasks(&db, id), store::gantt_deps(&db, id))?;
        Ok(GanttView { tasks, deps, today: crate::core::time::company_today(Utc::now()) })
    })
    .await
}

/// The dashboard's filters as they appear in the URL (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashQuery {
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub priority: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashPage {
    pub data: Dashboard,
    pub departments: Vec<(i64, String, String)>,
}

/// Who may open the dashboard: executives, admins and the PMO see every
/// project; managers the projects they may see; other staff nothing.
#[cfg(feature = "ssr")]
pub fn may_open_dashboard(role: Role, dept_code: &str) -> bool {
    role >= Role::Manager || dept_code == PMO_DEPARTMENT
}

/// The project status dashboard (2.4.3) over the projects the reader may see.
#[server(endpoint = "projects/mon_dashboard")]
pub async fn project_dashboard(query: DashQuery) -> Result<DashPage, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = crate::projects::store::department_code(&db, user.department_id).await?;
        if !may_open_dashboard(user.role, &code) {
            return Err(AppError::Forbidden);
        }
        let filter = DashFilter {
            department_id: query.department.trim().parse().ok(),
            priority: Priority::parse(query.priority.trim()).map(|p| p.code().to_string()),
        };
        let today = crate::core::time::company_today(Utc::now());
        let viewer = user.viewer();
        let (data, departments) = tokio::try_join!(store::dashboard(&db, &viewer, &code, &filter, today), store::departments(&db))?;
        Ok(DashPage { data, departments })
    })
    .await
}
