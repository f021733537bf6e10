//! Server functions of the pipeline part. Each: authenticate, authorise (per
//! record), validate, one transaction with its audit entry, return a view type.
use super::model::*;
use crate::core::audit::AuditEntry;
use crate::core::error::AppError;
use crate::core::list::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, require_admin, respond},
    crate::core::db::Db,
    crate::core::i18n::K,
    crate::core::perm::{RecordScope, Role},
    chrono::Utc,
};

#[cfg(feature = "ssr")]
fn parse_id(field: &str, s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, K::ValInvalid))
}

#[cfg(feature = "ssr")]
fn conflict<T: Serialize>(current: Option<T>) -> AppError {
    match current {
        Some(c) => AppError::Conflict { current: serde_json::json!(c) },
        None => AppError::NotFound,
    }
}

// ===== stages (admins) =====

#[server(endpoint = "sales/stages")]
pub async fn list_stages() -> Result<Vec<Stage>, AppError> {
    respond(async {
        current_user()?;
        Ok(store::stages(&db()?).await?)
    })
    .await
}

/// Edits a stage, or adds an open stage (empty `id`). Admins only; audited.
#[server(endpoint = "sales/save_stage")]
pub async fn save_stage(id: String, version: String, input: StageInput, active: Option<String>) -> Result<(), AppError> {
    respond(async move {
        let user = require_admin()?;
        let id = parse_id("id", &id)?;
        let data = input.validate(id.is_none())?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        match id {
            None => {
                if store::stage_tx(&mut tx, &data.code).await?.is_some() {
                    return Err(AppError::field("code", K::ValTaken));
                }
                store::insert_stage(&mut tx, &who, &data, StageKind::Open).await?;
            }
            Some(id) => {
                let version = parse_id("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                let stage = store::stage_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                let active = active.is_some();
                if !active && stage.active {
                    // Won and lost are needed to close opportunities; a stage in use keeps its cards visible.
                    if stage.kind().closed() {
                        return Err(AppError::field("active", K::PipelineValStageNeeded));
                    }
                    if store::opportunities_in_stage(&mut tx, &stage.code).await? > 0 {
                        return Err(AppError::field("active", K::PipelineValStageInUse));
                    }
                }
                if !store::update_stage(&mut tx, &who, id, version, &data, active).await? {
                    return Err(conflict(store::stage_by_id(&mut tx, id).await?));
                }
            }
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== catalogue =====

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductList {
    pub page: Page<Product>,
    pub can_edit: bool,
}

/// Managers, executives and admins maintain the catalogue; everyone reads it.
#[cfg(feature = "ssr")]
fn catalogue_editor(user: &CurrentUser) -> bool {
    user.role >= Role::Manager
}

#[server(endpoint = "sales/products")]
pub async fn list_products(query: ProductQuery) -> Result<ProductList, AppError> {
    respond(async move {
        let user = current_user()?;
        let active = match query.status.as_str() {
            "active" => Some(true),
            "inactive" => Some(false),
            _ => None,
        };
        let after = Some(query.after.as_str()).filter(|s| !s.is_empty());
        let page = store::products(&db()?, &query.q, active, after, crate::core::list::PAGE_SIZE).await?;
        Ok(ProductList { page, can_edit: catalogue_editor(&user) })
    })
    .await
}

#[server(endpoint = "sales/product")]
pub async fn get_product(id: i64) -> Result<Product, AppError> {
    respond(async move {
        current_user()?;
        store::product(&db()?, id).await?.ok_or(AppError::NotFound)
    })
    .await
}

/// Creates (empty `id`) or edits a catalogue entry; unticking `active` deactivates it.
#[server(endpoint = "sales/save_product")]
pub async fn save_product(id: String, version: String, input: ProductInput, active: Option<String>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        if !catalogue_editor(&user) {
            return Err(AppError::Forbidden);
        }
        let id = parse_id("id", &id)?;
        let data = input.validate()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let taken: i64 = tx
            .scalar("SELECT COUNT(*) FROM products WHERE code = $1 AND id <> $2", crate::args![data.code.clone(), id.unwrap_or(0)])
            .await?;
        if taken > 0 {
            return Err(AppError::field("code", K::ValTaken));
        }
        let id = match id {
            None => store::insert_product(&mut tx, &who, &data).await?,
            Some(id) => {
                let version = parse_id("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                if !store::update_product(&mut tx, &who, id, version, &data, active.is_some()).await? {
                    return Err(conflict(store::product_tx(&mut tx, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        leptos_axum::redirect("/sales/products");
        Ok(id)
    })
    .await
}

// ===== opportunities =====

/// Customers the caller may see (for the new-opportunity form).
#[server(endpoint = "sales/opportunity_customers")]
pub async fn opportunity_customers() -> Result<Vec<(i64, String)>, AppError> {
    respond(async {
        let user = current_user()?;
        Ok(store::customer_options(&db()?, &user.viewer()).await?)
    })
    .await
}

#[cfg(feature = "ssr")]
fn scope(o: &Opportunity) -> RecordScope {
    RecordScope { owner_id: o.owner_id, department_id: o.department_id, shared_with_viewer: false }
}

/// The opportunity if the caller may change it (owner, department manager,
/// executives and admins); sharing gives read access only.
#[cfg(feature = "ssr")]
async fn editable_opportunity(db: &Db, user: &CurrentUser, id: i64) -> Result<Opportunity, AppError> {
    let o = store::opportunity(db, id).await?.ok_or(AppError::NotFound)?;
    if !user.viewer().can_edit(&scope(&o)) {
        return Err(AppError::Forbidden);
    }
    Ok(o)
}

/// A new opportunity for a customer the caller may see, in the first open
/// stage; the owner is the caller, the department the caller's.
#[server(endpoint = "sales/create_opportunity")]
pub async fn create_opportunity(input: OpportunityInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let data = input.validate(true)?;
        let db = db()?;
        let who = actor(&user)?;
        let first = store::stages(&db).await?.into_iter().find(|s| s.active && s.kind() == StageKind::Open).ok_or(AppError::Internal)?;
        let mut tx = db.begin().await?;
        if !store::customer_visible_tx(&mut tx, &user.viewer(), data.customer_id).await? {
            return Err(AppError::field("customer_id", K::ValInvalid));
        }
        let id = store::insert_opportunity(&mut tx, &who, &data, user.id, user.department_id, &first.code, Utc::now()).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/sales/opportunities/{id}"));
        Ok(id)
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpportunityDetail {
    pub opp: Opportunity,
    pub stages: Vec<Stage>,
    pub objections: Vec<Objection>,
    pub changes: Vec<StageChange>,
    pub quotations: Vec<Quotation>,
    pub history: Vec<AuditEntry>,
    pub can_edit: bool,
    pub time_zone: String,
}

#[server(endpoint = "sales/opportunity")]
pub async fn get_opportunity(id: i64) -> Result<OpportunityDetail, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let opp = store::opportunity(&db, id).await?.ok_or(AppError::NotFound)?;
        if !store::opportunity_visible(&db, &user.viewer(), id).await? {
            return Err(AppError::Forbidden);
        }
        Ok(OpportunityDetail {
            can_edit: user.viewer().can_edit(&scope(&opp)),
            stages: store::stages(&db).await?,
            objections: store::objections(&db, id).await?,
            changes: store::stage_changes(&db, id).await?,
            quotations: store::quotations_for(&db, id).await?,
            history: store::history(&db, store::ENTITY_OPPORTUNITY, id).await?,
            time_zone: user.time_zone.clone(),
            opp,
        })
    })
    .await
}

/// 2.2.2-a: title, amount, expected close, needs analysis and proposed solution.
#[server(endpoint = "sales/save_opportunity")]
pub async fn save_opportunity(id: i64, version: i64, input: OpportunityInput) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let data = input.validate(false)?;
        let db = db()?;
        editable_opportunity(&db, &user, id).await?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::update_opportunity(&mut tx, &who, id, version, &data).await? {
            return Err(conflict(store::opportunity_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    pub id: i64,
    pub version: i64,
    pub stage_code: String,
}

/// Moves an opportunity to another stage (board drag and drop, the card's
/// select, the opportunity page). A lost stage needs the reason; a stale
/// version is refused with the current values.
#[server(endpoint = "sales/move_opportunity")]
pub async fn move_opportunity(id: i64, version: i64, stage: String, lost_reason: Option<String>) -> Result<Moved, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        editable_opportunity(&db, &user, id).await?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let current = store::opportunity_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if current.version != version {
            return Err(conflict(Some(current)));
        }
        let to = store::stage_tx(&mut tx, stage.trim()).await?.ok_or(AppError::field("stage", K::ValInvalid))?;
        if to.code == current.stage_code {
            return Ok(Moved { id, version, stage_code: to.code });
        }
        let mv = plan_move(&to, lost_reason.as_deref().unwrap_or(""), now)?;
        if !store::move_stage(&mut tx, &who, &current, version, &to, &mv, now).await? {
            return Err(conflict(store::opportunity_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(Moved { id, version: version + 1, stage_code: to.code })
    })
    .await
}

/// 2.2.2-b: records a customer's objection (and the answer, if given).
#[server(endpoint = "sales/add_objection")]
pub async fn add_objection(opportunity_id: i64, objection: String, answer: String, resolved: Option<String>) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let mut c = crate::core::error::Checks::new();
        c.require("objection", &objection);
        c.max_len("objection", objection.trim(), 2000);
        c.max_len("answer", answer.trim(), 4000);
        c.finish()?;
        let db = db()?;
        editable_opportunity(&db, &user, opportunity_id).await?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        store::insert_objection(&mut tx, &who, opportunity_id, objection.trim(), answer.trim(), resolved.is_some(), Utc::now()).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Answers an objection and marks it resolved or not.
#[server(endpoint = "sales/save_objection")]
pub async fn save_objection(id: i64, version: i64, answer: String, resolved: Option<String>) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let mut c = crate::core::error::Checks::new();
        c.max_len("answer", answer.trim(), 4000);
        if resolved.is_some() && answer.trim().is_empty() {
            c.add("answer", K::PipelineValAnswerFirst);
        }
        c.finish()?;
        let db = db()?;
        let o = store::objection(&db, id).await?.ok_or(AppError::NotFound)?;
        editable_opportunity(&db, &user, o.opportunity_id).await?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::update_objection(&mut tx, &who, id, version, answer.trim(), resolved.is_some()).await? {
            return Err(conflict(store::objection_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== quotations =====

/// A draft quotation on an opportunity the caller may change.
#[server(endpoint = "sales/create_quotation")]
pub async fn create_quotation(opportunity_id: i64, valid_until: String, notes: String) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let mut c = crate::core::error::Checks::new();
        let valid = parse_date(&valid_until);
        let today = crate::core::time::company_today(Utc::now());
        match valid {
            None => c.add("valid_until", if valid_until.trim().is_empty() { K::ValRequired } else { K::ValInvalid }),
            Some(d) if d < today => c.add("valid_until", K::PipelineValPast),
            _ => {}
        }
        c.max_len("notes", notes.trim(), 2000);
        c.finish()?;
        let db = db()?;
        let opp = editable_opportunity(&db, &user, opportunity_id).await?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if store::stage_tx(&mut tx, &opp.stage_code).await?.is_some_and(|s| s.kind() == StageKind::Lost) {
            return Err(AppError::field("valid_until", K::PipelineValOpportunityLost));
        }
        let id = store::insert_quotation(&mut tx, &who, opportunity_id, valid.unwrap_or(today), notes.trim(), Utc::now()).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/sales/quotations/{id}"));
        Ok(id)
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotationDetail {
    pub q: Quotation,
    pub lines: Vec<QuotationLine>,
    /// Active catalogue entries, when lines may be added.
    pub products: Vec<Product>,
    pub can_edit: bool,
    pub can_decide: bool,
    pub discount_limit_pct: i64,
    pub history: Vec<AuditEntry>,
    pub time_zone: String,
}

/// 2.2.2-c: a manager of the opportunity's department, or an executive, decides.
#[cfg(feature = "ssr")]
fn can_decide(user: &CurrentUser, q: &Quotation) -> bool {
    match user.role {
        Role::Executive => true,
        Role::Manager => user.department_id == q.department_id,
        _ => false,
    }
}

#[cfg(feature = "ssr")]
async fn visible_quotation(db: &Db, user: &CurrentUser, id: i64) -> Result<Quotation, AppError> {
    let q = store::quotation(db, id).await?.ok_or(AppError::NotFound)?;
    if !store::opportunity_visible(db, &user.viewer(), q.opportunity_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(q)
}

#[cfg(feature = "ssr")]
fn q_editor(user: &CurrentUser, q: &Quotation) -> bool {
    user.viewer().can_edit(&RecordScope { owner_id: q.owner_id, department_id: q.department_id, shared_with_viewer: false })
}

#[server(endpoint = "sales/quotation")]
pub async fn get_quotation(id: i64) -> Result<QuotationDetail, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let q = visible_quotation(&db, &user, id).await?;
        let can_edit = q_editor(&user, &q);
        let products = if can_edit && q.status().editable() { store::active_products(&db).await? } else { vec![] };
        Ok(QuotationDetail {
            lines: store::lines(&db, id).await?,
            products,
            can_edit,
            can_decide: can_decide(&user, &q),
            discount_limit_pct: crate::settings::store::int(&db, crate::settings::DISCOUNT_LIMIT_PCT).await?,
            history: store::history(&db, store::ENTITY_QUOTATION, id).await?,
            time_zone: user.time_zone.clone(),
            q,
        })
    })
    .await
}

/// A quotation the caller may change, still editable (draft or rejected).
#[cfg(feature = "ssr")]
async fn editable_quotation(db: &Db, user: &CurrentUser, id: i64) -> Result<Quotation, AppError> {
    let q = visible_quotation(db, user, id).await?;
    if !q_editor(user, &q) {
        return Err(AppError::Forbidden);
    }
    Ok(q)
}

/// 2.2.2-b/c: a line from the catalogue — the product's list price and delivery
/// time are copied, only quantity and discount are chosen.
#[server(endpoint = "sales/add_quotation_line")]
pub async fn add_quotation_line(id: i64, version: i64, product_id: String, quantity: String, discount: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let mut c = crate::core::error::Checks::new();
        let pid = match product_id.trim().parse::<i64>() {
            Ok(v) => v,
            Err(_) => {
                c.add("product_id", K::ValRequired);
                0
            }
        };
        let qty = match quantity.trim().parse::<i64>() {
            Ok(v) if (1..=1_000_000).contains(&v) => v,
            Ok(_) => {
                c.add("quantity", K::ValOutOfRange);
                0
            }
            Err(_) => {
                c.add("quantity", if quantity.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
                0
            }
        };
        let disc = match parse_discount(&discount) {
            Ok(v) => v,
            Err(k) => {
                c.add("discount", k);
                0
            }
        };
        c.finish()?;
        let db = db()?;
        let q = editable_quotation(&db, &user, id).await?;
        if !q.status().editable() {
            return Err(AppError::field("status", K::PipelineValNotEditable));
        }
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let p = store::product_tx(&mut tx, pid).await?.filter(|p| p.active).ok_or(AppError::field("product_id", K::ValInvalid))?;
        if !store::add_line(&mut tx, &who, id, version, &p, qty, disc).await? {
            drop(tx);
            return Err(conflict(store::quotation(&db, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "sales/remove_quotation_line")]
pub async fn remove_quotation_line(id: i64, version: i64, line_id: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let q = editable_quotation(&db, &user, id).await?;
        if !q.status().editable() {
            return Err(AppError::field("status", K::PipelineValNotEditable));
        }
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::remove_line(&mut tx, &who, id, version, line_id).await? {
            drop(tx);
            return Err(conflict(store::quotation(&db, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Submits a draft: over the discount limit it waits for approval (a task for
/// the department's managers), otherwise it is approved at once (2.2.2-c).
#[server(endpoint = "sales/submit_quotation")]
pub async fn submit_quotation(id: i64, version: i64) -> Result<String, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        editable_quotation(&db, &user, id).await?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let q = store::quotation_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if q.version != version {
            return Err(conflict(Some(q)));
        }
        if store::lines_tx(&mut tx, id).await?.is_empty() {
            return Err(AppError::field("lines", K::PipelineValNoLines));
        }
        let limit = crate::settings::store::int_tx(&mut tx, crate::settings::DISCOUNT_LIMIT_PCT).await?;
        let to = q.status().submit(needs_approval(q.max_discount_bp, limit))?;
        if !store::set_status(&mut tx, &who, id, version, to, store::StatusExtra::None, "quotation_submit", now).await? {
            return Err(conflict(store::quotation_tx(&mut tx, id).await?));
        }
        if to == QuotationStatus::PendingApproval {
            store::request_approval(&mut tx, &q, Some(user.id), now).await?;
        }
        tx.commit().await?;
        Ok(to.code().to_string())
    })
    .await
}

/// Approves or rejects a quotation waiting for approval; a rejection needs a
/// comment and sends the quotation back to be edited.
#[server(endpoint = "sales/decide_quotation")]
pub async fn decide_quotation(id: i64, version: i64, decision: String, comment: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::field("decision", K::ValInvalid)),
        };
        if !approve && comment.trim().is_empty() {
            return Err(AppError::field("comment", K::PipelineValRejectComment));
        }
        let mut c = crate::core::error::Checks::new();
        c.max_len("comment", comment.trim(), 2000);
        c.finish()?;
        let db = db()?;
        let q = visible_quotation(&db, &user, id).await?;
        if !can_decide(&user, &q) {
            return Err(AppError::Forbidden);
        }
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let q = store::quotation_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if q.version != version {
            return Err(conflict(Some(q)));
        }
        let to = q.status().decide(approve)?;
        let action = if approve { "quotation_approve" } else { "quotation_reject" };
        if !store::set_status(&mut tx, &who, id, version, to, store::StatusExtra::Decided { by: user.id, comment: comment.trim() }, action, now).await? {
            return Err(conflict(store::quotation_tx(&mut tx, id).await?));
        }
        store::close_approval(&mut tx, &q, approve, user.id, now).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Marks an approved quotation as sent to the customer.
#[server(endpoint = "sales/send_quotation")]
pub async fn send_quotation(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        editable_quotation(&db, &user, id).await?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let q = store::quotation_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if q.version != version {
            return Err(conflict(Some(q)));
        }
        let to = q.status().send()?;
        if !store::set_status(&mut tx, &who, id, version, to, store::StatusExtra::Sent, "quotation_send", now).await? {
            return Err(conflict(store::quotation_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== the board =====

/// The board's URL state. `after` packs the per-column cursors
/// ("lead:2026-03-01_12;won:…") read from the `after_<stage>` parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardQuery {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub after: String,
}

impl BoardQuery {
    pub fn filter(&self) -> BoardFilter {
        BoardFilter {
            owner_id: self.owner.trim().parse().ok(),
            department_id: self.department.trim().parse().ok(),
            from: parse_date(&self.from),
            to: parse_date(&self.to),
            after: self
                .after
                .split(';')
                .filter_map(|p| p.split_once(':'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub board: Board,
    pub owners: Vec<(i64, String)>,
    /// (id, Chinese name, English name)
    pub departments: Vec<(i64, String, String)>,
}

#[server(endpoint = "sales/board")]
pub async fn load_board(query: BoardQuery) -> Result<BoardData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let filter = query.filter();
        let board = store::board(&db, &v, &filter).await?;
        let departments = crate::org::store::departments(&db).await?.into_iter().filter(|d| d.active).map(|d| (d.id, d.name_zh, d.name_en)).collect();
        Ok(BoardData { board, owners: store::owner_options(&db, &v, filter.department_id).await?, departments })
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoreCards {
    pub cards: Vec<Card>,
    pub next: Option<String>,
}

/// The next cards of one column ("load more" in place).
#[server(endpoint = "sales/board_more")]
pub async fn board_more(query: BoardQuery, stage: String, after: String) -> Result<MoreCards, AppError> {
    respond(async move {
        let user = current_user()?;
        let (cards, next) = store::board_column(&db()?, &user.viewer(), &query.filter(), &stage, &after).await?;
        Ok(MoreCards { cards, next })
    })
    .await
}
