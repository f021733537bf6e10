//! Server functions of credit risk (5.2-c). Each: authenticate, authorise on
//! the server (who may see the customer, who prepares, who approves), validate,
//! one transaction with its audit entry, return a view type.
use super::model::*;
use crate::core::error::AppError;
use crate::core::list::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, respond},
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::money::{Money, MoneyParseError},
    chrono::Utc,
};

/// The evaluations list's filters, as in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditQuery {
    pub status: String,
    pub after: String,
}

/// Everything /risks/credit shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditOverviewData {
    pub page: Page<EvalRow>,
    /// Submitted evaluations the reader may decide.
    pub awaiting: Vec<EvalRow>,
    /// Customers without a current evaluation (first ones) and how many.
    pub unevaluated: Vec<Unevaluated>,
    pub unevaluated_total: i64,
    pub time_zone: String,
}

#[server(endpoint = "risk/credit")]
pub async fn credit_overview(query: CreditQuery) -> Result<CreditOverviewData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = crate::risk::store::department_code(&db, v.department_id).await?;
        let is_approver = store::approver(&v, store::in_approver_department(&db, &v).await?);
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let page = store::list(&db, &v, &code, is_approver, EvalStatus::parse(&query.status), after, crate::core::list::PAGE_SIZE).await?;
        let (unevaluated, unevaluated_total) = store::unevaluated(&db, &v, &code, 20).await?;
        Ok(CreditOverviewData {
            page,
            awaiting: store::awaiting(&db, &v, is_approver).await?,
            unevaluated,
            unevaluated_total,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

/// What the new-evaluation form shows: the customer, its current credit and the
/// facts computed now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditFormData {
    pub customer: CustomerCredit,
    pub facts: Facts,
}

#[server(endpoint = "risk/credit_form")]
pub async fn credit_form(customer: i64) -> Result<CreditFormData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = crate::risk::store::department_code(&db, v.department_id).await?;
        let c = store::customer(&db, customer).await?.ok_or(AppError::NotFound)?;
        if !store::may_see_customer(&db, &v, &code, customer).await? {
            return Err(AppError::NotFound);
        }
        Ok(CreditFormData { facts: store::facts(&db, customer, Utc::now()).await?, customer: c })
    })
    .await
}

/// The rated factors, comments and proposed limit as the form sends them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatedInput {
    pub financial_standing: String,
    pub management_quality: String,
    pub industry_outlook: String,
    pub comments: String,
    /// Empty: the suggested limit.
    pub proposed_limit: String,
}

/// An amount typed in yuan (CNY), at least 0; empty is `None`.
#[cfg(feature = "ssr")]
fn parse_limit(c: &mut Checks, field: &str, s: &str) -> Option<i64> {
    match Money::parse(s, "CNY") {
        Err(MoneyParseError::Empty) => None,
        Ok(m) if m.minor < 0 => {
            c.add(field, K::CreditValLimit);
            None
        }
        Ok(m) if m.minor > MAX_LIMIT_MINOR => {
            c.add(field, K::CreditValLimit);
            None
        }
        Ok(m) => Some(m.minor),
        Err(_) => {
            c.add(field, K::CreditValLimit);
            None
        }
    }
}

#[cfg(feature = "ssr")]
impl RatedInput {
    fn validate(&self) -> Result<store::Draft, AppError> {
        let mut c = Checks::new();
        let factor = |c: &mut Checks, name: &str, s: &str| {
            parse_factor(s).unwrap_or_else(|| {
                c.add(name, K::CreditValFactor);
                1
            })
        };
        let rated = Rated {
            financial_standing: factor(&mut c, "financial_standing", &self.financial_standing),
            management_quality: factor(&mut c, "management_quality", &self.management_quality),
            industry_outlook: factor(&mut c, "industry_outlook", &self.industry_outlook),
        };
        let comments = self.comments.trim().to_string();
        c.max_len("comments", &comments, MAX_TEXT);
        let proposed = parse_limit(&mut c, "proposed_limit", &self.proposed_limit);
        c.finish()?;
        Ok(store::Draft { rated, comments, proposed_limit_minor: proposed })
    }
}

/// Starts a draft evaluation of a customer (facts computed now). Anyone who may
/// see the customer prepares it, and the finance and risk departments.
#[server(endpoint = "risk/create_credit_evaluation")]
pub async fn create_evaluation(customer_id: i64, input: RatedInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let v = user.viewer();
        let code = crate::risk::store::department_code(&db, v.department_id).await?;
        if store::customer(&db, customer_id).await?.is_none() || !store::may_see_customer(&db, &v, &code, customer_id).await? {
            return Err(AppError::NotFound);
        }
        let draft = input.validate()?;
        let now = Utc::now();
        let facts = store::facts(&db, customer_id, now).await?;
        let mut tx = db.begin().await?;
        let id = store::insert(&mut tx, &who, customer_id, &facts, &draft, now).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/risks/credit/{id}"));
        Ok(id)
    })
    .await
}

/// An evaluation with its score's parts, the customer's history and what the
/// reader may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub evaluation: Evaluation,
    pub breakdown: Breakdown,
    pub customer: CustomerCredit,
    /// Open receivables of the customer now (exposure against the limit).
    pub exposure_minor: i64,
    pub history: Vec<Evaluation>,
    pub can_edit: bool,
    pub can_decide: bool,
    /// The reader would approve but prepared it (shown as the reason).
    pub own_evaluation: bool,
    pub time_zone: String,
}

#[cfg(feature = "ssr")]
async fn visible_evaluation(db: &crate::core::db::Db, v: &crate::core::perm::Viewer, id: i64) -> Result<(Evaluation, String, bool), AppError> {
    let e = store::evaluation(db, id).await?.ok_or(AppError::NotFound)?;
    let code = crate::risk::store::department_code(db, v.department_id).await?;
    let is_approver = store::approver(v, store::in_approver_department(db, v).await?);
    if !is_approver && !store::may_see_customer(db, v, &code, e.customer_id).await? {
        return Err(AppError::NotFound);
    }
    Ok((e, code, is_approver))
}

#[server(endpoint = "risk/credit_evaluation")]
pub async fn get_evaluation(id: i64) -> Result<EvaluationView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let (e, code, is_approver) = visible_evaluation(&db, &v, id).await?;
        let status = e.status();
        let customer = store::customer(&db, e.customer_id).await?.ok_or(AppError::NotFound)?;
        let exposure_minor: i64 = db
            .read()
            .scalar(
                "SELECT CAST(COALESCE(SUM(amount_minor - paid_minor), 0) AS BIGINT) FROM receivables WHERE customer_id = $1 AND status = 'open'",
                crate::args![e.customer_id],
            )
            .await?;
        let may_prepare = store::may_see_customer(&db, &v, &code, e.customer_id).await?;
        let can_decide = transition(status, EvalAction::Approve).is_ok() && may_approve(v.role == crate::core::perm::Role::Executive, v.role == crate::core::perm::Role::Manager, is_approver, v.user_id, e.created_by);
        Ok(EvaluationView {
            breakdown: breakdown(&e.facts(), &e.rated()),
            history: store::history(&db, e.customer_id).await?,
            can_edit: may_prepare && transition(status, EvalAction::Edit).is_ok(),
            own_evaluation: is_approver && e.created_by == Some(v.user_id) && status == EvalStatus::Submitted,
            can_decide,
            customer,
            exposure_minor,
            evaluation: e,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
fn stale(e: &Evaluation) -> AppError {
    AppError::Conflict { current: serde_json::json!({"status": e.status, "version": e.version}) }
}

/// Saves a draft (or reworks a rejected evaluation): the facts are computed
/// again, the score with them.
#[server(endpoint = "risk/save_credit_evaluation")]
pub async fn save_evaluation(id: i64, version: i64, input: RatedInput) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let v = user.viewer();
        let (e, code, _) = visible_evaluation(&db, &v, id).await?;
        if !store::may_see_customer(&db, &v, &code, e.customer_id).await? {
            return Err(AppError::Forbidden);
        }
        let draft = input.validate()?;
        transition(e.status(), EvalAction::Edit).map_err(|k| AppError::field("status", k))?;
        let now = Utc::now();
        let facts = store::facts(&db, e.customer_id, now).await?;
        let mut tx = db.begin().await?;
        let before = store::evaluation_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if before.version != version || !store::update(&mut tx, &who, &before, version, &facts, &draft, now).await? {
            return Err(stale(&before));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Submits for approval; the approvers get a task in My work.
#[server(endpoint = "risk/submit_credit_evaluation")]
pub async fn submit_evaluation(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let v = user.viewer();
        let (e, code, _) = visible_evaluation(&db, &v, id).await?;
        if !store::may_see_customer(&db, &v, &code, e.customer_id).await? {
            return Err(AppError::Forbidden);
        }
        let mut tx = db.begin().await?;
        let before = store::evaluation_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if before.version != version {
            return Err(stale(&before));
        }
        transition(before.status(), EvalAction::Submit).map_err(|k| AppError::field("status", k))?;
        if !store::submit(&mut tx, &who, &before, version, Utc::now()).await? {
            return Err(stale(&before));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Approves (the limit granted, default the proposed one, and an optional
/// note) or rejects (the reason required). Approvers only, never the preparer.
#[server(endpoint = "risk/decide_credit_evaluation")]
pub async fn decide_evaluation(
    id: i64,
    version: i64,
    decision: String,
    #[server(default)] limit: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let v = user.viewer();
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::field("decision", K::ValInvalid)),
        };
        let note = note.trim().to_string();
        let mut c = Checks::new();
        if !approve {
            c.require("note", &note);
        }
        c.max_len("note", &note, MAX_TEXT);
        let granted = if approve { parse_limit(&mut c, "limit", &limit) } else { None };
        c.finish()?;
        let mut tx = db.begin().await?;
        let before = store::evaluation_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let in_dept = store::in_approver_department_tx(&mut tx, &v).await?;
        let is_approver = store::approver(&v, in_dept);
        if !is_approver {
            let code = crate::risk::store::department_code_tx(&mut tx, v.department_id).await?;
            if !store::company_wide(&v, &code) && !crate::sales::customers::store::visible(&db, &v, before.customer_id).await? {
                return Err(AppError::NotFound);
            }
            return Err(AppError::Forbidden);
        }
        if before.created_by == Some(v.user_id) {
            return Err(AppError::field("decision", K::CreditErrOwn));
        }
        if before.version != version {
            return Err(stale(&before));
        }
        transition(before.status(), if approve { EvalAction::Approve } else { EvalAction::Reject }).map_err(|k| AppError::field("status", k))?;
        let limit_minor = granted.unwrap_or(before.proposed_limit_minor);
        if !store::decide(&mut tx, &who, &before, version, approve, limit_minor, &note, Utc::now()).await? {
            return Err(stale(&before));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The customer's credit as the customer page and the contract review show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditSummary {
    pub customer: CustomerCredit,
    /// The evaluation in progress (draft or submitted), if any.
    pub open_evaluation: Option<(i64, String, String)>,
    pub time_zone: String,
}

/// `contract_id` (0: none): a contract of this customer the reader sees
/// (reviewers of other departments see the customer's credit in the review).
#[server(endpoint = "risk/customer_credit")]
pub async fn credit_of_customer(customer_id: i64, contract_id: i64) -> Result<CreditSummary, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = crate::risk::store::department_code(&db, v.department_id).await?;
        let customer = store::customer(&db, customer_id).await?.ok_or(AppError::NotFound)?;
        let sees = store::may_see_customer(&db, &v, &code, customer_id).await?;
        // A reviewer may not see the customer, but sees the contract under review.
        let via_contract = contract_id > 0
            && crate::sales::contracts::store::contract(&db, contract_id).await?.is_some_and(|c| c.customer_id == customer_id)
            && crate::sales::contracts::store::visible(&db, &v, contract_id).await?;
        if !sees && !via_contract {
            return Err(AppError::NotFound);
        }
        let open_evaluation: Option<(i64, String, String)> = db
            .read()
            .fetch_optional(
                "SELECT id, number, status FROM credit_evaluations WHERE customer_id = $1 AND status IN ('draft', 'submitted') ORDER BY id DESC LIMIT 1",
                crate::args![customer_id],
            )
            .await?;
        Ok(CreditSummary { customer, open_evaluation, time_zone: user.time_zone.clone() })
    })
    .await
}

/// The ageing page's choice, as in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgeingQuery {
    /// "customer" (default), "department" or "owner".
    pub by: String,
    pub after: String,
}

#[server(endpoint = "risk/ageing")]
pub async fn credit_ageing(query: AgeingQuery) -> Result<AgeingReport, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = crate::risk::store::department_code(&db, v.department_id).await?;
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let today = crate::core::time::company_today(Utc::now());
        Ok(store::ageing(&db, &v, &code, GroupBy::parse(&query.by), today, after, crate::core::list::PAGE_SIZE).await?)
    })
    .await
}

/// Customers over their limit among what the reader sees: the first ones and how many.
#[server(endpoint = "risk/credit_breaches")]
pub async fn credit_breaches() -> Result<(Vec<Breach>, i64), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = crate::risk::store::department_code(&db, v.department_id).await?;
        Ok(store::breaches(&db, &v, &code, 20).await?)
    })
    .await
}
