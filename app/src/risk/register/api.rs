//! Server functions of the register (5.1). Each: authenticate, authorise on the
//! server (`risk::store::{head_tx, rights, scope}`), validate (errors at the
//! fields), one transaction with the change and its audit entry.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, require_admin, respond},
    crate::core::db::{Db, Tx},
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::Role,
    crate::core::time::company_today,
    crate::risk::model::{AssessmentKind, Level, RiskStatus},
    crate::risk::store::{bands, department_code, department_code_tx, head, head_tx, rights},
    chrono::Utc,
};

#[cfg(feature = "ssr")]
fn conflict<T: Serialize>(current: Option<T>) -> AppError {
    match current {
        Some(c) => AppError::Conflict { current: serde_json::json!(c) },
        None => AppError::NotFound,
    }
}

#[cfg(feature = "ssr")]
fn version_of(s: &str) -> Result<i64, AppError> {
    s.trim().parse::<i64>().map_err(|_| AppError::field("version", K::ValInvalid))
}

/// Filters and paging of the register, as in the URL. `kind`, `l`, `i` come
/// from a heat-map cell (the dashboard links here with them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskQuery {
    pub q: String,
    pub status: String,
    pub level: String,
    pub category: String,
    pub dept: String,
    pub owner: String,
    pub kind: String,
    pub l: String,
    pub i: String,
    pub after: String,
}

#[cfg(feature = "ssr")]
impl RiskQuery {
    pub fn filter(&self) -> store::Filter {
        let num = |s: &str| s.trim().parse::<i64>().ok();
        let scale = |s: &str| num(s).filter(|v| (1..=5).contains(v));
        let cell = match (AssessmentKind::parse(self.kind.trim()), scale(&self.l), scale(&self.i)) {
            (Some(k), Some(l), Some(i)) => Some((k, l, i)),
            _ => None,
        };
        store::Filter {
            q: self.q.clone(),
            status: RiskStatus::parse(self.status.trim()),
            level: Level::parse(self.level.trim()),
            category_id: num(&self.category),
            department_id: num(&self.dept),
            owner_id: num(&self.owner),
            cell,
        }
    }
}

#[server(endpoint = "risk/reg_list")]
pub async fn list_risks(query: RiskQuery) -> Result<RegisterView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = department_code(&db, user.department_id).await?;
        let b = bands(&db).await?;
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let page = store::list(&db, &user.viewer(), &code, &b, &query.filter(), after, crate::core::list::PAGE_SIZE).await?;
        Ok(RegisterView {
            page,
            bands: b,
            categories: store::categories(&db, false).await?,
            departments: store::departments(&db).await?,
            owners: store::people(&db).await?,
        })
    })
    .await
}

/// Departments the user may register risks for: the risk office and
/// executives any; everyone else their own.
#[cfg(feature = "ssr")]
fn may_pick_any(user: &CurrentUser, code: &str) -> bool {
    let r = rights(&user.viewer(), code);
    r.risk_office || user.role == Role::Executive
}

#[server(endpoint = "risk/reg_form")]
pub async fn risk_form(id: i64) -> Result<RiskFormData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let code = department_code(&db, user.department_id).await?;
        let risk = if id > 0 {
            let (_, a) = head(&db, &v, id).await?.ok_or(AppError::NotFound)?;
            if !a.edit {
                return Err(AppError::Forbidden);
            }
            store::risk(&db, id).await?
        } else {
            if user.role == Role::Admin {
                return Err(AppError::Forbidden);
            }
            None
        };
        let all = store::departments(&db).await?;
        let departments = if may_pick_any(&user, &code) {
            all
        } else {
            let keep = risk.as_ref().map(|r| r.department_id);
            all.into_iter().filter(|d| d.id == user.department_id || Some(d.id) == keep).collect()
        };
        let (customers, contracts, projects) = store::related_choices(&db, &v, &code).await?;
        Ok(RiskFormData {
            risk,
            categories: store::categories(&db, true).await?,
            departments,
            people: store::people(&db).await?,
            customers,
            contracts,
            projects,
            rounds: store::open_rounds(&db).await?,
            own_department_id: user.department_id,
        })
    })
    .await
}

/// The references of a register entry exist and are the user's to name.
#[cfg(feature = "ssr")]
async fn check_refs(db: &Db, tx: &mut Tx, user: &CurrentUser, code: &str, d: &RiskData, before: Option<&Risk>) -> Result<(), AppError> {
    let v = user.viewer();
    let mut c = Checks::new();
    let cat: Option<(bool,)> = tx.fetch_optional("SELECT active FROM risk_categories WHERE id = $1", crate::args![d.category_id]).await?;
    match cat {
        None => c.add("category_id", K::ValInvalid),
        Some((false,)) if before.map(|b| b.category_id) != Some(d.category_id) => c.add("category_id", K::RiskRegValCategoryInactive),
        _ => {}
    }
    let dept_ok = may_pick_any(user, code) || d.department_id == user.department_id || before.map(|b| b.department_id) == Some(d.department_id);
    let dept: Option<(i64,)> =
        tx.fetch_optional("SELECT id FROM departments WHERE id = $1 AND active = $2", crate::args![d.department_id, true]).await?;
    if dept.is_none() || !dept_ok {
        c.add("department_id", K::ValInvalid);
    }
    let owner: Option<(i64,)> =
        tx.fetch_optional("SELECT department_id FROM users WHERE id = $1 AND active = $2", crate::args![d.owner_id, true]).await?;
    match owner {
        None => c.add("owner_id", K::ValInvalid),
        Some((od,)) if od != d.department_id => c.add("owner_id", K::RiskRegValOwnerDepartment),
        _ => {}
    }
    if let Some(cu) = d.customer_id
        && before.and_then(|b| b.customer_id) != Some(cu)
        && !crate::sales::customers::store::visible(db, &v, cu).await?
    {
        c.add("customer_id", K::ValInvalid);
    }
    if let Some(k) = d.contract_id
        && before.and_then(|b| b.contract_id) != Some(k)
        && !crate::sales::contracts::store::visible(db, &v, k).await?
    {
        c.add("contract_id", K::ValInvalid);
    }
    if let Some(p) = d.project_id
        && before.and_then(|b| b.project_id) != Some(p)
        && crate::projects::store::head(db, &v, p).await?.is_none()
    {
        c.add("project_id", K::ValInvalid);
    }
    if let Some(r) = d.round_id
        && before.and_then(|b| b.round_id) != Some(r)
    {
        let open: Option<(String,)> = tx.fetch_optional("SELECT status FROM risk_rounds WHERE id = $1", crate::args![r]).await?;
        if open.map(|o| o.0) != Some("open".into()) {
            c.add("round_id", K::ValInvalid);
        }
    }
    c.finish()
}

/// Registers (empty `id`) or edits a risk; answers with a redirect to it.
#[server(endpoint = "risk/reg_save")]
pub async fn save_risk(id: String, version: String, input: RiskInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let code = department_code(&db, user.department_id).await?;
        let d = input.validate()?;
        let mut tx = db.begin().await?;
        let id = match id.trim() {
            "" => {
                if user.role == Role::Admin {
                    return Err(AppError::Forbidden);
                }
                check_refs(&db, &mut tx, &user, &code, &d, None).await?;
                let number = crate::core::db::next_number(&mut tx, "risks", "FX", crate::core::time::company_year(now)).await?;
                store::insert_risk(&mut tx, &who, &number, &d, now).await?
            }
            s => {
                let id: i64 = s.parse().map_err(|_| AppError::NotFound)?;
                let version = version_of(&version)?;
                let (_, a) = head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
                if !a.edit {
                    return Err(AppError::Forbidden);
                }
                let before = store::risk_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                check_refs(&db, &mut tx, &user, &code, &d, Some(&before)).await?;
                if !store::update_risk(&mut tx, &who, &before, version, &d, now).await? {
                    return Err(conflict(store::risk_tx(&mut tx, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        leptos_axum::redirect(&format!("/risks/{id}"));
        Ok(id)
    })
    .await
}

#[server(endpoint = "risk/reg_page")]
pub async fn risk_page(id: i64) -> Result<RiskView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (_, access) = head(&db, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        let risk = store::risk(&db, id).await?.ok_or(AppError::NotFound)?;
        Ok(RiskView {
            risk,
            access,
            bands: bands(&db).await?,
            history: store::history(&db, id).await?,
            open_rounds: store::open_rounds(&db).await?,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

/// Assesses a risk (inherent or residual, 5.1-c); escalates on a rise to
/// high/critical (5.3-d).
#[server(endpoint = "risk/reg_assess")]
pub async fn assess_risk(id: i64, version: String, input: AssessInput) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let d = input.validate()?;
        let version = version_of(&version)?;
        let mut tx = db.begin().await?;
        let (h, a) = head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !a.edit {
            return Err(AppError::Forbidden);
        }
        let before = store::risk_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if before.status() == RiskStatus::Closed {
            return Err(AppError::field("state", K::RiskRegValClosed));
        }
        if d.kind == AssessmentKind::Residual && before.inherent_score.is_none() {
            return Err(AppError::field("kind", K::RiskRegValInherentFirst));
        }
        let round = store::current_round_tx(&mut tx, h.department_id, company_today(now)).await?;
        if store::assess(&mut tx, &who, user.id, &before, version, &d, round, None, now).await?.is_none() {
            return Err(conflict(store::risk_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Closes a risk with a reason.
#[server(endpoint = "risk/reg_close")]
pub async fn close_risk(id: i64, version: String, reason: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let reason = reason.trim().to_string();
        let mut c = Checks::new();
        c.require("reason", &reason);
        c.max_len("reason", &reason, 1000);
        c.finish()?;
        let version = version_of(&version)?;
        let mut tx = db.begin().await?;
        let (_, a) = head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !a.edit {
            return Err(AppError::Forbidden);
        }
        let before = store::risk_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if before.status() == RiskStatus::Closed {
            return Err(AppError::field("state", K::RiskRegValClosed));
        }
        if !store::set_closed(&mut tx, &who, &before, version, Some(&reason), now).await? {
            return Err(conflict(store::risk_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "risk/reg_reopen")]
pub async fn reopen_risk(id: i64, version: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let version = version_of(&version)?;
        let mut tx = db.begin().await?;
        let (_, a) = head_tx(&mut tx, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        if !a.edit {
            return Err(AppError::Forbidden);
        }
        let before = store::risk_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if before.status() != RiskStatus::Closed {
            return Err(AppError::field("state", K::ValInvalid));
        }
        if !store::set_closed(&mut tx, &who, &before, version, None, now).await? {
            return Err(conflict(store::risk_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== rounds (5.1-a) =====

#[server(endpoint = "risk/reg_rounds")]
pub async fn rounds_page() -> Result<RoundsView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = department_code(&db, user.department_id).await?;
        Ok(RoundsView {
            rounds: store::rounds(&db).await?,
            can_open: rights(&user.viewer(), &code).risk_office,
            departments: store::departments(&db).await?,
            today: company_today(Utc::now()),
        })
    })
    .await
}

/// The risk office opens a round for the ticked departments (`departments[]`).
#[server(endpoint = "risk/reg_open_round")]
pub async fn open_round(input: RoundInput, departments: Option<Vec<String>>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let code = department_code_tx(&mut tx, user.department_id).await?;
        if !rights(&user.viewer(), &code).risk_office {
            return Err(AppError::Forbidden);
        }
        let d = input.validate()?;
        let mut ids: Vec<i64> = departments.unwrap_or_default().iter().filter_map(|s| s.trim().parse().ok()).collect();
        ids.sort();
        ids.dedup();
        let active: Vec<(i64,)> = tx.fetch_all("SELECT id FROM departments WHERE active = $1", crate::args![true]).await?;
        if ids.is_empty() || ids.iter().any(|i| !active.iter().any(|a| a.0 == *i)) {
            return Err(AppError::field("departments", K::RiskRegValDepartments));
        }
        let id = store::open_round(&mut tx, &who, user.id, &d, &ids, now).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/risks/rounds/{id}"));
        Ok(id)
    })
    .await
}

#[server(endpoint = "risk/reg_round")]
pub async fn round_page(id: i64) -> Result<RoundView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = department_code(&db, user.department_id).await?;
        let round = store::round(&db, id).await?.ok_or(AppError::NotFound)?;
        let departments = store::round_departments(&db, &round).await?;
        let my_row = (user.role == Role::Manager)
            .then(|| departments.iter().find(|d| d.department_id == user.department_id).map(|d| d.id))
            .flatten();
        let my_unassessed = if departments.iter().any(|d| d.department_id == user.department_id) {
            store::unassessed(&db, user.department_id, store::round_since(&round)).await?
        } else {
            vec![]
        };
        Ok(RoundView {
            round,
            departments,
            risk_office: rights(&user.viewer(), &code).risk_office,
            my_row,
            my_unassessed,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

/// The department's manager submits its reviewed list (5.1-a): refused, with
/// the list, while an open risk of the department has no assessment since the
/// round started.
#[server(endpoint = "risk/reg_submit_round")]
pub async fn submit_round(round_id: i64, id: i64, version: String, comment: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let comment = comment.trim().to_string();
        let mut c = Checks::new();
        c.max_len("comment", &comment, 2000);
        c.finish()?;
        let version = version_of(&version)?;
        let mut tx = db.begin().await?;
        let round = store::round_tx(&mut tx, round_id).await?.ok_or(AppError::NotFound)?;
        let rd = store::round_department_tx(&mut tx, &round, id).await?.ok_or(AppError::NotFound)?;
        if user.role != Role::Manager || user.department_id != rd.department_id {
            return Err(AppError::Forbidden);
        }
        if !round.is_open() {
            return Err(AppError::field("state", K::RiskRegValRoundClosed));
        }
        if rd.status() == RoundDeptStatus::Submitted {
            return Err(AppError::field("state", K::RiskRegValAlreadySubmitted));
        }
        let missing = store::unassessed_tx(&mut tx, rd.department_id, store::round_since(&round)).await?;
        if !missing.is_empty() {
            let list = missing.iter().map(|m| format!("{} {}", m.number, m.name)).collect::<Vec<_>>().join("; ");
            let mut c = Checks::new();
            c.add_with("state", K::RiskRegValUnassessed, vec![("n".into(), missing.len().to_string()), ("list".into(), list)]);
            return c.finish();
        }
        if !store::submit(&mut tx, &who, user.id, &rd, version, &comment, now).await? {
            return Err(conflict(store::round_department_tx(&mut tx, &round, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The risk office returns a department's submission with a reason.
#[server(endpoint = "risk/reg_return_round")]
pub async fn return_round(round_id: i64, id: i64, version: String, reason: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let reason = reason.trim().to_string();
        let mut c = Checks::new();
        c.require("reason", &reason);
        c.max_len("reason", &reason, 1000);
        c.finish()?;
        let version = version_of(&version)?;
        let mut tx = db.begin().await?;
        let code = department_code_tx(&mut tx, user.department_id).await?;
        if !rights(&user.viewer(), &code).risk_office {
            return Err(AppError::Forbidden);
        }
        let round = store::round_tx(&mut tx, round_id).await?.ok_or(AppError::NotFound)?;
        if !round.is_open() {
            return Err(AppError::field("state", K::RiskRegValRoundClosed));
        }
        let rd = store::round_department_tx(&mut tx, &round, id).await?.ok_or(AppError::NotFound)?;
        if rd.status() != RoundDeptStatus::Submitted {
            return Err(AppError::field("state", K::ValInvalid));
        }
        if !store::return_submission(&mut tx, &who, &round, &rd, version, &reason, now).await? {
            return Err(conflict(store::round_department_tx(&mut tx, &round, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "risk/reg_close_round")]
pub async fn close_round(id: i64, version: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let version = version_of(&version)?;
        let mut tx = db.begin().await?;
        let code = department_code_tx(&mut tx, user.department_id).await?;
        if !rights(&user.viewer(), &code).risk_office {
            return Err(AppError::Forbidden);
        }
        let round = store::round_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !round.is_open() {
            return Err(AppError::field("state", K::RiskRegValRoundClosed));
        }
        if !store::close_round(&mut tx, &who, &round, version, now).await? {
            return Err(conflict(store::round_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== categories (5.1-b, admins) =====

#[server(endpoint = "risk/reg_categories")]
pub async fn categories_page() -> Result<Vec<Category>, AppError> {
    respond(async move {
        require_admin()?;
        let db = db()?;
        Ok(store::categories(&db, false).await?)
    })
    .await
}

/// Adds (empty `id`) or renames a category; `active` "1"/"0" (de)activates
/// (built-in categories stay active).
#[server(endpoint = "risk/reg_save_category")]
pub async fn save_category(id: String, version: String, code: String, name_zh: String, name_en: String, active: String) -> Result<i64, AppError> {
    respond(async move {
        let user = require_admin()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let id = match id.trim() {
            "" => {
                let d = validate_category(&code, &name_zh, &name_en)?;
                if store::category_by_code_tx(&mut tx, &d.code).await?.is_some() {
                    return Err(AppError::field("code", K::ValTaken));
                }
                store::insert_category(&mut tx, &who, &d, now).await?
            }
            s => {
                let id: i64 = s.parse().map_err(|_| AppError::NotFound)?;
                let version = version_of(&version)?;
                let before = store::category_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                let (zh, en) = if name_zh.trim().is_empty() && name_en.trim().is_empty() {
                    (before.name_zh.clone(), before.name_en.clone())
                } else {
                    let d = validate_category(&before.code, &name_zh, &name_en)?;
                    (d.name_zh, d.name_en)
                };
                let active = match active.trim() {
                    "" => before.active,
                    "1" => true,
                    "0" => false,
                    _ => return Err(AppError::field("active", K::ValInvalid)),
                };
                if before.builtin && !active {
                    return Err(AppError::field("active", K::RiskRegValBuiltin));
                }
                if !store::update_category(&mut tx, &who, &before, version, &zh, &en, active, now).await? {
                    return Err(conflict(store::category_tx(&mut tx, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

// ===== the project plan's link (2.4.1-b, 2.4.3-d) =====

#[server(endpoint = "risk/reg_project_links")]
pub async fn project_register_links(project_id: i64) -> Result<Vec<(i64, RegisterLink)>, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        crate::projects::store::head(&db, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        Ok(store::project_links(&db, project_id).await?)
    })
    .await
}

/// Registers a plan risk of a project in the register (by whoever manages the project).
#[server(endpoint = "risk/reg_from_project")]
pub async fn register_project_risk(id: i64) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let pr: Option<(i64,)> = tx.fetch_optional("SELECT project_id FROM project_risks WHERE id = $1", crate::args![id]).await?;
        let (project_id,) = pr.ok_or(AppError::NotFound)?;
        let (_, a) = crate::projects::store::head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        if !a.manage {
            return Err(AppError::Forbidden);
        }
        let rid = store::register_project_risk(&mut tx, &who, user.id, id, now).await?.ok_or(AppError::field("state", K::RiskRegValLinked))?;
        tx.commit().await?;
        Ok(rid)
    })
    .await
}
