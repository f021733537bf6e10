//! Server functions of contracts (2.2.3). Each: authenticate, authorise per
//! record, validate, one transaction with its audit entry, return a view type.
use super::model::*;
use crate::core::error::AppError;
use crate::core::list::Page;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, require_admin, respond},
    crate::core::db::Db,
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::RecordScope,
    chrono::Utc,
};

/// Filters and paging of the contract list, as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    /// "1": only mine.
    #[serde(default)]
    pub mine: String,
    /// "sign": approved contracts my authority covers; "review": pending reviews of my department.
    #[serde(default)]
    pub waiting: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub after: String,
}

/// The list page's data: the rows and whether the reader may sign contracts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractList {
    pub page: Page<ContractRow>,
    pub can_sign: bool,
}

#[server(endpoint = "sales/contracts")]
pub async fn list_contracts(query: ContractQuery) -> Result<ContractList, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let f = store::Filter {
            q: query.q.clone(),
            status: ContractStatus::parse(&query.status).map(|s| s.code().to_string()),
            mine: query.mine == "1",
            awaiting_my_signature: query.waiting == "sign",
            my_reviews: query.waiting == "review",
        };
        // Newest first unless the reader chose an order.
        let dir = if query.dir.is_empty() { crate::core::list::Dir::Desc } else { crate::core::list::Dir::parse(&query.dir) };
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let page = store::list(&db, &user.viewer(), &f, &query.sort, dir, after, crate::core::list::PAGE_SIZE).await?;
        let can_sign = store::authority_of(&db, user.id).await?.is_some_and(|a| a.2);
        Ok(ContractList { page, can_sign })
    })
    .await
}

/// A copy with its acknowledgement deadline (2.2.3-e).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyView {
    pub copy: ContractCopy,
    pub deadline: NaiveDate,
    pub late: bool,
}

/// Everything the contract page shows, and what the reader may do there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractView {
    pub contract: Contract,
    pub lines: Vec<Line>,
    pub instalments: Vec<Instalment>,
    /// Every review, newest round first.
    pub reviews: Vec<Review>,
    pub copies: Vec<CopyView>,
    pub versions: Vec<VersionInfo>,
    pub can_edit: bool,
    pub my_department_id: i64,
    /// The reader's signing authority (limit, currency), when active.
    pub my_authority: Option<(i64, String)>,
    pub time_zone: String,
}

#[cfg(feature = "ssr")]
fn can_edit(user: &CurrentUser, c: &Contract) -> bool {
    user.viewer().can_edit(&RecordScope { owner_id: c.owner_id, department_id: c.department_id, shared_with_viewer: false })
}

/// The contract, if the reader may see it (checked per record).
#[cfg(feature = "ssr")]
async fn visible_contract(db: &Db, user: &CurrentUser, id: i64) -> Result<Contract, AppError> {
    let c = store::contract(db, id).await?.ok_or(AppError::NotFound)?;
    if !store::visible(db, &user.viewer(), id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

#[cfg(feature = "ssr")]
fn conflict(c: &Contract) -> AppError {
    AppError::Conflict {
        current: serde_json::json!({"status": c.status, "revision": c.revision, "version": c.version, "updated_at": c.updated_at}),
    }
}

#[server(endpoint = "sales/contract")]
pub async fn get_contract(id: i64) -> Result<ContractView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let contract = visible_contract(&db, &user, id).await?;
        let ack_days = crate::settings::store::int(&db, crate::settings::ACK_WORKING_DAYS).await?;
        let today = crate::core::time::company_today(Utc::now());
        let copies = store::copies(&db, id)
            .await?
            .into_iter()
            .map(|copy| {
                let deadline = store::ack_deadline(copy.sent_at, ack_days);
                let late = copy.acknowledged_at.is_none() && today > deadline;
                CopyView { copy, deadline, late }
            })
            .collect();
        let my_authority = store::authority_of(&db, user.id).await?.filter(|a| a.2).map(|a| (a.0, a.1));
        Ok(ContractView {
            can_edit: can_edit(&user, &contract),
            lines: store::lines(&db, id).await?,
            instalments: store::instalments(&db, id).await?,
            reviews: store::reviews(&db, id).await?,
            copies,
            versions: store::versions(&db, id).await?,
            my_department_id: user.department_id,
            my_authority,
            time_zone: user.time_zone.clone(),
            contract,
        })
    })
    .await
}

/// 2.2.3-a: drafts the contract of a won opportunity (or opens the one it has).
/// Posted as a plain form from the opportunity page; answers with a redirect.
#[server(endpoint = "sales/draft_contract")]
pub async fn draft_contract(opportunity_id: i64) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let opp = store::opportunity(&mut tx, opportunity_id).await?.ok_or(AppError::NotFound)?;
        let scope = RecordScope { owner_id: opp.owner_id, department_id: opp.department_id, shared_with_viewer: false };
        if !user.viewer().can_edit(&scope) {
            return Err(AppError::Forbidden);
        }
        if !opp.won {
            return Err(AppError::field("opportunity_id", K::ContractsErrNotWon));
        }
        let id = match store::contract_for_opportunity(&mut tx, opp.id).await? {
            Some(existing) => existing,
            None => {
                let number = store::next_number(&mut tx, crate::core::time::company_year(now)).await?;
                let (quotation_id, lines) =
                    store::quotation_lines(&mut tx, opp.id, user.language == crate::core::i18n::Lang::Zh).await?;
                let new = store::NewContract {
                    number,
                    title: opp.title.clone(),
                    customer_id: opp.customer_id,
                    opportunity_id: Some(opp.id),
                    quotation_id,
                    currency: opp.currency.clone(),
                    owner_id: opp.owner_id,
                    department_id: opp.department_id,
                    lines,
                };
                let id = store::insert(&mut tx, &who, &new, now).await?;
                tx.commit().await?;
                id
            }
        };
        leptos_axum::redirect(&format!("/sales/contracts/{id}"));
        Ok(id)
    })
    .await
}

/// Won opportunities the reader may draft a contract from.
#[server(endpoint = "sales/draftable_opportunities")]
pub async fn draftable_opportunities() -> Result<Vec<(i64, String, String)>, AppError> {
    respond(async {
        let user = current_user()?;
        let db = db()?;
        // draft_contract itself checks edit rights on the chosen one.
        Ok(store::draftable_opportunities(&db, &user.viewer()).await?)
    })
    .await
}

/// Saves a draft's terms (2.2.3-b); with `submit`, checks that every required
/// term is there and submits it for review (2.2.3-c) in the same transaction.
#[server(endpoint = "sales/save_contract")]
pub async fn save_contract(id: i64, version: i64, #[server(default)] input: TermsInput, submit: Option<String>) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let c = visible_contract(&db, &user, id).await?;
        if !can_edit(&user, &c) {
            return Err(AppError::Forbidden);
        }
        if c.status() != ContractStatus::Draft {
            return Err(AppError::field("status", K::ContractsErrWrongStatus));
        }
        let terms = input.parse(&c.currency).map_err(AppError::Validation)?;
        let submitting = submit.as_deref().is_some_and(|s| !s.is_empty() && s != "false");
        if submitting {
            // 2.2.3-b: no contract leaves draft with a required term missing.
            let missing = missing_terms(&terms, &c.currency);
            if !missing.is_empty() {
                return Err(AppError::Validation(missing));
            }
            if crate::settings::store::get(&db, crate::settings::REVIEW_DEPARTMENTS).await?.trim().is_empty() {
                return Err(AppError::field("status", K::ContractsErrNoReviewers));
            }
        }
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        if !store::save_terms(&mut tx, &who, id, version, &terms, now).await? {
            drop(tx);
            let now_c = store::contract(&db, id).await?.ok_or(AppError::NotFound)?;
            return Err(conflict(&now_c));
        }
        if submitting && !store::submit(&mut tx, &who, id, version + 1, now).await? {
            drop(tx);
            let now_c = store::contract(&db, id).await?.ok_or(AppError::NotFound)?;
            return Err(conflict(&now_c));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.2.3-c: a member of the reviewing department approves or rejects (a
/// rejection needs a comment).
#[server(endpoint = "sales/decide_review")]
pub async fn decide_review(review_id: i64, version: i64, decision: String, comment: String) -> Result<(), AppError> {
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
        if matches!(decision, store::Decision::Reject) {
            c.require("comment", &comment);
        }
        c.max_len("comment", &comment, MAX_TEXT);
        c.finish()?;
        let mut tx = db.begin().await?;
        let (contract_id, review) = store::review_tx(&mut tx, review_id).await?.ok_or(AppError::NotFound)?;
        // Any active member of the reviewing department (the session is only
        // valid while the account is active).
        if review.department_id != user.department_id {
            return Err(AppError::Forbidden);
        }
        if review.version != version || review.status() != ReviewStatus::Pending {
            return Err(AppError::Conflict { current: serde_json::json!({"status": review.status, "comment": review.comment, "version": review.version}) });
        }
        let review = Review { version, ..review };
        match store::decide(&mut tx, &who, contract_id, &review, decision, &comment, Utc::now()).await? {
            store::Decided::Stale => return Err(AppError::Conflict { current: serde_json::json!({"status": review.status}) }),
            store::Decided::Recorded(_) => {}
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.2.3-c/d: signs an approved contract. Refused unless every review of the
/// current revision approved and the signer's active authority covers the
/// amount; the form carries the version, so a second or stale signing is a conflict.
#[server(endpoint = "sales/sign_contract")]
pub async fn sign_contract(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        visible_contract(&db, &user, id).await?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let c = store::contract_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if c.version != version {
            return Err(conflict(&c));
        }
        if transition(c.status(), Transition::Sign).is_err() {
            return Err(AppError::field("signer", K::ContractsErrNotApproved));
        }
        // 2.2.3-c: every review of this revision's round approved.
        let (total, not_approved) = store::current_round(&mut tx, &c).await?;
        if total == 0 || not_approved > 0 {
            return Err(AppError::field("signer", K::ContractsErrNotApproved));
        }
        // 2.2.3-d: only an authorised person whose limit covers the amount.
        let limit = match store::authority_of_tx(&mut tx, user.id).await? {
            Some((limit, currency, active)) if authority_covers(limit, &currency, active, c.amount_minor, &c.currency) => limit,
            Some((limit, currency, true)) => {
                return Err(AppError::Validation(vec![crate::core::error::FieldError {
                    field: "signer".into(),
                    key: K::ContractsErrLimit,
                    params: vec![("limit".into(), crate::core::money::Money::new(limit, &currency).display())],
                }]));
            }
            _ => return Err(AppError::field("signer", K::ContractsErrNoAuthority)),
        };
        if !store::sign(&mut tx, &who, id, version, limit, Utc::now()).await? {
            return Err(conflict(&c));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.2.3-e: a member of the receiving department acknowledges its copy.
#[server(endpoint = "sales/acknowledge_copy")]
pub async fn acknowledge_copy(copy_id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let (contract_id, copy) = store::copy_tx(&mut tx, copy_id).await?.ok_or(AppError::NotFound)?;
        if copy.department_id != user.department_id {
            return Err(AppError::Forbidden);
        }
        if copy.version != version || copy.acknowledged_at.is_some() {
            return Err(AppError::Conflict { current: serde_json::json!({"acknowledged_at": copy.acknowledged_at, "version": copy.version}) });
        }
        if !store::acknowledge_copy(&mut tx, &who, contract_id, &copy, Utc::now()).await? {
            return Err(AppError::Conflict { current: serde_json::json!({"version": copy.version}) });
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Amends a signed contract: the next revision starts in draft.
#[server(endpoint = "sales/amend_contract")]
pub async fn amend_contract(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let c = visible_contract(&db, &user, id).await?;
        if !can_edit(&user, &c) {
            return Err(AppError::Forbidden);
        }
        if transition(c.status(), Transition::Amend).is_err() {
            return Err(AppError::field("status", K::ContractsErrWrongStatus));
        }
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::amend(&mut tx, &who, id, version, Utc::now()).await? {
            drop(tx);
            let now_c = store::contract(&db, id).await?.ok_or(AppError::NotFound)?;
            return Err(conflict(&now_c));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// One frozen revision (2.2.3: earlier versions stay readable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    pub contract_id: i64,
    pub current_revision: i64,
    pub snapshot: Snapshot,
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub signer_name: Option<String>,
    pub time_zone: String,
}

#[server(endpoint = "sales/contract_version")]
pub async fn contract_version(id: i64, revision: i64) -> Result<VersionView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let c = visible_contract(&db, &user, id).await?;
        let (json, signed_at, signer_name) = store::snapshot(&db, id, revision).await?.ok_or(AppError::NotFound)?;
        let snapshot: Snapshot = serde_json::from_str(&json).map_err(|e| {
            tracing::error!(error = %e, "contract snapshot unreadable");
            AppError::Internal
        })?;
        Ok(VersionView { contract_id: id, current_revision: c.revision, snapshot, signed_at, signer_name, time_zone: user.time_zone })
    })
    .await
}

/// The admin page's data (2.2.3-d).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SigningAdmin {
    pub authorities: Vec<SigningAuthority>,
    pub people: Vec<(i64, String)>,
}

#[server(endpoint = "sales/signing_authorities")]
pub async fn signing_authorities() -> Result<SigningAdmin, AppError> {
    respond(async {
        require_admin()?;
        let db = db()?;
        Ok(SigningAdmin { authorities: store::authorities(&db).await?, people: store::people_without_authority(&db).await? })
    })
    .await
}

/// Adds (empty `id`: needs `user_id`) or changes a signing authority; `active`
/// absent deactivates. Admins only, audited.
#[server(endpoint = "sales/save_signing_authority")]
pub async fn save_signing_authority(id: String, version: String, user_id: String, limit: String, active: Option<String>) -> Result<(), AppError> {
    respond(async move {
        let admin = require_admin()?;
        let db = db()?;
        let who = actor(&admin)?;
        let limit_minor = match crate::core::money::Money::parse(&limit, "CNY") {
            Ok(m) if m.minor > 0 => m.minor,
            Err(crate::core::money::MoneyParseError::Empty) => return Err(AppError::field("limit", K::ValRequired)),
            _ => return Err(AppError::field("limit", K::ContractsValMoney)),
        };
        let now = Utc::now();
        let mut tx = db.begin().await?;
        match id.trim().parse::<i64>().ok() {
            None => {
                let uid: i64 = user_id.trim().parse().map_err(|_| AppError::field("user_id", K::ValRequired))?;
                let ok: i64 = tx.scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND active = $2", crate::args![uid, true]).await?;
                if ok == 0 {
                    return Err(AppError::field("user_id", K::ValInvalid));
                }
                let taken: i64 = tx.scalar("SELECT COUNT(*) FROM signing_authorities WHERE user_id = $1", crate::args![uid]).await?;
                if taken > 0 {
                    return Err(AppError::field("user_id", K::ValTaken));
                }
                store::insert_authority(&mut tx, &who, uid, limit_minor, "CNY", now).await?;
            }
            Some(aid) => {
                let v: i64 = version.trim().parse().map_err(|_| AppError::field("version", K::ValInvalid))?;
                if !store::update_authority(&mut tx, &who, aid, v, limit_minor, active.is_some(), now).await? {
                    let current = store::authority_tx(&mut tx, aid).await?.ok_or(AppError::NotFound)?;
                    return Err(AppError::Conflict { current: serde_json::json!({"limit": money_input(current.limit_minor, &current.currency), "active": current.active}) });
                }
            }
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
