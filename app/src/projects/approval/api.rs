//! Server functions of plan review and approval (2.4.1-c) and change requests
//! (2.4.3-c). Each: authenticate, authorise per record (`head_tx` + `Access`),
//! validate, one transaction with its audit entry, return a view type.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, respond},
    crate::core::error::{Checks, FieldError},
    crate::core::i18n::K,
    crate::projects::model::{ProjectHead, ProjectStatus},
    chrono::Utc,
};

/// Everything the approval page shows, and what the reader may do there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub project_id: i64,
    pub status: String,
    /// The project's version (the forms' optimistic lock).
    pub version: i64,
    pub plan_round: i64,
    pub baseline_version: i64,
    pub currency: String,
    /// What the plan has for submission (2.4.1-a/b/d).
    pub readiness: Readiness,
    pub can_submit: bool,
    pub can_withdraw: bool,
    /// Every round, newest first, with what the reader may decide.
    pub rounds: Vec<Round>,
    /// The comments of the round that sent the plan back (when initiating).
    pub returned: Vec<Step>,
    pub baselines: Vec<Baseline>,
    /// The versions compared (0 = the current plan) and their comparison.
    pub cmp_a: Option<i64>,
    pub cmp_b: Option<i64>,
    pub comparison: Option<Comparison>,
    pub changes: Vec<ChangeRequest>,
    /// While executing: the baseline in force against the current plan (what a
    /// change request proposes, 2.4.3-c).
    pub proposal: Option<Comparison>,
    /// The change request in review no longer matches the current plan's end or budget.
    pub proposal_stale: bool,
    pub can_raise: bool,
    pub can_manage: bool,
    pub time_zone: String,
}

#[cfg(feature = "ssr")]
async fn plan_of(db: &crate::core::db::Db, head: &ProjectHead, v: i64) -> Result<Option<Plan>, AppError> {
    if v == 0 { Ok(Some(store::current_plan(db, head).await?)) } else { Ok(store::baseline_plan(db, head.id, v).await?) }
}

/// The approval page's data; `a` and `b` choose the baseline versions to
/// compare (0 = the current plan); by default the last two versions.
#[server(endpoint = "projects/approval")]
pub async fn project_approval(id: i64, a: Option<i64>, b: Option<i64>) -> Result<ApprovalView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let (head, access) = crate::projects::store::head(&db, &viewer, id).await?.ok_or(AppError::NotFound)?;
        let status = head.status();
        let plan_round: i64 = db.read().scalar("SELECT plan_round FROM projects WHERE id = $1", crate::args![id]).await?;
        let steps = store::steps(&db, id).await?;
        let returned = if status == ProjectStatus::Initiating {
            steps
                .iter()
                .filter(|s| s.change_request_id.is_none() && s.round == plan_round && s.status() == StepStatus::Rejected)
                .cloned()
                .collect()
        } else {
            vec![]
        };
        let rounds = group_rounds(
            steps
                .into_iter()
                .map(|s| {
                    let may = may_decide(s.kind(), s.status(), s.department_id, viewer.department_id, viewer.user_id == head.manager_id, &access);
                    StepView { step: s, may_decide: may }
                })
                .collect(),
        );
        let baselines = store::baselines(&db, id).await?;
        let (cmp_a, cmp_b) = match (a, b) {
            (Some(a), Some(b)) => (Some(a), Some(b)),
            _ if baselines.len() >= 2 => (Some(baselines[1].version), Some(baselines[0].version)),
            _ => (None, None),
        };
        let comparison = match (cmp_a, cmp_b) {
            (Some(a), Some(b)) => match (plan_of(&db, &head, a).await?, plan_of(&db, &head, b).await?) {
                (Some(pa), Some(pb)) => Some(compare(&pa, &pb)),
                _ => None,
            },
            _ => None,
        };
        let changes = store::change_requests(&db, id).await?;
        let open_change = changes.iter().any(|c| c.status() == ChangeStatus::InReview);
        let proposal = if status == ProjectStatus::Executing && head.baseline_version > 0 {
            match store::baseline_plan(&db, id, head.baseline_version).await? {
                Some(base) => Some(compare(&base, &store::current_plan(&db, &head).await?)),
                None => None,
            }
        } else {
            None
        };
        let proposal_stale = match (&proposal, changes.iter().find(|c| c.status() == ChangeStatus::InReview)) {
            (Some(p), Some(c)) => p.b_end != c.proposed_end || p.b_budget != c.proposed_budget_minor,
            _ => false,
        };
        Ok(ApprovalView {
            project_id: id,
            status: head.status.clone(),
            version: head.version,
            plan_round,
            baseline_version: head.baseline_version,
            currency: head.currency.clone(),
            readiness: store::readiness(&db, id).await?,
            can_submit: may_submit(&access) && plan_transition(status, PlanAction::Submit).is_ok(),
            can_withdraw: may_submit(&access) && plan_transition(status, PlanAction::Withdraw).is_ok(),
            rounds,
            returned,
            baselines,
            cmp_a,
            cmp_b,
            comparison,
            can_raise: may_raise_change(status, &access, open_change).is_ok(),
            can_manage: access.manage,
            changes,
            proposal,
            proposal_stale,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
fn conflict(head: &ProjectHead) -> AppError {
    AppError::Conflict { current: serde_json::json!({"status": head.status, "version": head.version}) }
}

/// A refused transition as the form shows it.
#[cfg(feature = "ssr")]
fn refused(k: K) -> AppError {
    if k == K::ErrForbidden { AppError::Forbidden } else { AppError::field("status", k) }
}

/// 2.4.1-c: the manager submits the plan for review. Refused (with what is
/// missing, each under its own name) unless the kickoff was held (2.4.1-a),
/// the schedule has tasks, each assigned to a member of the team (2.4.1-d),
/// and there are budget lines and quality criteria (2.4.1-b).
#[server(endpoint = "projects/submit_plan")]
pub async fn submit_plan(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = crate::projects::store::head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !may_submit(&access) {
            return Err(AppError::Forbidden);
        }
        if head.version != version {
            return Err(conflict(&head));
        }
        plan_transition(head.status(), PlanAction::Submit).map_err(refused)?;
        let missing = store::readiness_tx(&mut tx, id).await?.missing();
        if !missing.is_empty() {
            return Err(AppError::Validation(
                missing
                    .into_iter()
                    .map(|m| FieldError { field: m.field.into(), key: m.key, params: vec![("count".into(), m.count.to_string())] })
                    .collect(),
            ));
        }
        if !store::submit_plan(&mut tx, &who, &head, now).await? {
            return Err(conflict(&head));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The manager takes a submitted plan back (the open steps are withdrawn).
#[server(endpoint = "projects/withdraw_plan")]
pub async fn withdraw_plan(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let (head, access) = crate::projects::store::head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !may_submit(&access) {
            return Err(AppError::Forbidden);
        }
        if head.version != version {
            return Err(conflict(&head));
        }
        plan_transition(head.status(), PlanAction::Withdraw).map_err(refused)?;
        if !store::withdraw_plan(&mut tx, &who, &head, Utc::now()).await? {
            return Err(conflict(&head));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// A department's review or the leader's approval of a plan or change
/// request: approve, or reject with a comment (2.4.1-c, 2.4.3-c).
#[server(endpoint = "projects/decide_approval_step")]
pub async fn decide_approval_step(step_id: i64, version: i64, decision: String, #[server(default)] comment: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let decision = match decision.as_str() {
            "approve" => store::Decision::Approve,
            "reject" => store::Decision::Reject,
            _ => return Err(AppError::field("decision", K::ValInvalid)),
        };
        let comment = comment.trim().to_string();
        let mut c = Checks::new();
        if decision == store::Decision::Reject {
            c.require("comment", &comment);
        }
        c.max_len("comment", &comment, MAX_TEXT);
        c.finish()?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (project_id, step) = store::step_tx(&mut tx, step_id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = crate::projects::store::head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        let stale = || AppError::Conflict { current: serde_json::json!({"status": step.status, "comment": step.comment, "version": step.version}) };
        if step.version != version || step.status() != StepStatus::Pending {
            return Err(stale());
        }
        if !may_decide(step.kind(), step.status(), step.department_id, user.department_id, user.id == head.manager_id, &access) {
            return Err(AppError::Forbidden);
        }
        match step.change_request_id {
            None => {
                // The plan's steps are decided only while it is in review.
                let to = if decision == store::Decision::Reject { PlanAction::Reject } else { PlanAction::Approve };
                if step.kind() == StepKind::Approval || to == PlanAction::Reject {
                    plan_transition(head.status(), to).map_err(refused)?;
                } else if head.status() != ProjectStatus::PlanReview {
                    return Err(refused(K::ProjectsApprErrWrongStatus));
                }
            }
            Some(cr) => {
                let (_, change) = store::change_request_tx(&mut tx, cr).await?.ok_or(AppError::NotFound)?;
                change_transition(change.status(), PlanAction::Approve).map_err(refused)?;
                if head.status() != ProjectStatus::Executing {
                    return Err(refused(K::ProjectsApprErrWrongStatus));
                }
                // What the leader approves is what was proposed (2.4.3-c).
                if step.kind() == StepKind::Approval
                    && decision == store::Decision::Approve
                    && !store::proposal_still_current_tx(&mut tx, &head, &change).await?
                {
                    return Err(AppError::field("decision", K::ProjectsApprErrPlanChanged));
                }
            }
        }
        if store::decide(&mut tx, &who, &head, &step, decision, &comment, now).await? == store::Decided::Stale {
            return Err(stale());
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.4.3-c: the manager proposes the current plan (moved dates, changed budget
/// lines) as the next baseline, with the reason and the impact. One change
/// request in review at a time; refused when the plan does not differ.
#[server(endpoint = "projects/raise_change")]
pub async fn raise_change(id: i64, version: i64, reason: String, impact: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let (reason, impact) = (reason.trim().to_string(), impact.trim().to_string());
        let mut c = Checks::new();
        c.require("reason", &reason);
        c.require("impact", &impact);
        c.max_len("reason", &reason, MAX_TEXT);
        c.max_len("impact", &impact, MAX_TEXT);
        c.finish()?;
        let mut tx = db.begin().await?;
        let (head, access) = crate::projects::store::head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !access.manage {
            return Err(AppError::Forbidden);
        }
        if head.version != version {
            return Err(conflict(&head));
        }
        let open = store::change_in_review_tx(&mut tx, id).await?;
        may_raise_change(head.status(), &access, open).map_err(refused)?;
        if !store::plan_differs_tx(&mut tx, &head).await? {
            return Err(AppError::field("plan", K::ProjectsApprErrNoChange));
        }
        if store::raise_change(&mut tx, &who, &head, &reason, &impact, Utc::now()).await?.is_none() {
            return Err(conflict(&head));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The manager withdraws a change request in review (the baseline stays).
#[server(endpoint = "projects/withdraw_change")]
pub async fn withdraw_change(change_id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let (project_id, change) = store::change_request_tx(&mut tx, change_id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = crate::projects::store::head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        if !access.manage {
            return Err(AppError::Forbidden);
        }
        let current = || AppError::Conflict { current: serde_json::json!({"status": change.status, "version": change.version}) };
        if change.version != version {
            return Err(current());
        }
        change_transition(change.status(), PlanAction::Withdraw).map_err(|_| current())?;
        if !store::withdraw_change(&mut tx, &who, &head, &change, Utc::now()).await? {
            return Err(current());
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
