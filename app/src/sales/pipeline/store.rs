//! SQL of the pipeline part: stages, catalogue, opportunities, objections,
//! quotations and the board. Every change writes its audit entry in the same
//! transaction; updates check the record's version.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor, AuditEntry};
use crate::core::db::{Arg, Backend, Db, DbResult, Tx};
use crate::core::list::{Page, decode_cursor};
use crate::core::perm::{Viewer, visibility_sql};
use chrono::{DateTime, Duration, NaiveDate, Utc};

pub const ENTITY_OPPORTUNITY: &str = "opportunity";
pub const ENTITY_QUOTATION: &str = "quotation";
pub const ENTITY_PRODUCT: &str = "product";
pub const ENTITY_STAGE: &str = "opportunity_stage";

fn snap<T: serde::Serialize>(v: &Option<T>) -> Option<serde_json::Value> {
    v.as_ref().map(|v| serde_json::json!(v))
}

// ===== stages =====

const STAGE_SELECT: &str = "SELECT id, code, name_zh, name_en, probability, position, kind, active, version FROM opportunity_stages";

/// Creates the default stages when there are none (every installation has them).
pub async fn ensure_baseline(db: &Db) -> DbResult<()> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM opportunity_stages", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let actor = Actor::system("seed");
    let mut tx = db.begin().await?;
    for (i, (code, zh, en, p, kind)) in DEFAULT_STAGES.iter().enumerate() {
        let data = StageData { code: (*code).into(), name_zh: (*zh).into(), name_en: (*en).into(), probability: *p, position: (i as i64 + 1) * 10 };
        insert_stage(&mut tx, &actor, &data, *kind).await?;
    }
    tx.commit().await
}

/// All stages in board order: open ones by position, then won, then lost.
pub async fn stages(db: &Db) -> DbResult<Vec<Stage>> {
    let mut s: Vec<Stage> = db.read().fetch_all(&format!("{STAGE_SELECT} ORDER BY position, id"), vec![]).await?;
    sort_stages(&mut s);
    Ok(s)
}

pub fn sort_stages(s: &mut [Stage]) {
    s.sort_by_key(|x| {
        let k = match x.kind() {
            StageKind::Open => 0,
            StageKind::Won => 1,
            StageKind::Lost => 2,
        };
        (k, x.position, x.id)
    });
}

pub async fn stage_tx(tx: &mut Tx, code: &str) -> DbResult<Option<Stage>> {
    tx.fetch_optional(&format!("{STAGE_SELECT} WHERE code = $1"), args![code]).await
}

pub async fn stage_by_id(tx: &mut Tx, id: i64) -> DbResult<Option<Stage>> {
    tx.fetch_optional(&format!("{STAGE_SELECT} WHERE id = $1"), args![id]).await
}

pub async fn insert_stage(tx: &mut Tx, actor: &Actor, d: &StageData, kind: StageKind) -> DbResult<i64> {
    let now = Utc::now();
    let id: i64 = tx
        .scalar(
            "INSERT INTO opportunity_stages (code, name_zh, name_en, probability, position, kind, active, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9) RETURNING id",
            args![d.code.clone(), d.name_zh.clone(), d.name_en.clone(), d.probability, d.position, kind.code(), true, now, actor.user_id],
        )
        .await?;
    let after = stage_by_id(tx, id).await?;
    audit::record(tx, actor, ENTITY_STAGE, Some(id), "create", None, snap(&after).as_ref()).await?;
    Ok(id)
}

pub async fn update_stage(tx: &mut Tx, actor: &Actor, id: i64, version: i64, d: &StageData, active: bool) -> DbResult<bool> {
    let before = stage_by_id(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE opportunity_stages SET name_zh = $1, name_en = $2, probability = $3, position = $4, active = $5, \
             version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8 AND version = $9",
            args![d.name_zh.clone(), d.name_en.clone(), d.probability, d.position, active, Utc::now(), actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = stage_by_id(tx, id).await?;
    audit::record(tx, actor, ENTITY_STAGE, Some(id), "update", snap(&before).as_ref(), snap(&after).as_ref()).await?;
    Ok(true)
}

pub async fn opportunities_in_stage(tx: &mut Tx, code: &str) -> DbResult<i64> {
    tx.scalar("SELECT COUNT(*) FROM opportunities WHERE stage_code = $1", args![code]).await
}

// ===== catalogue =====

const PRODUCT_SELECT: &str = "SELECT id, code, name_zh, name_en, specification, unit, list_price_minor, currency, delivery_days, active, version FROM products";

/// The catalogue by code, filtered by a search text and status, a page at a time.
pub async fn products(db: &Db, q: &str, active: Option<bool>, after: Option<&str>, limit: i64) -> DbResult<Page<Product>> {
    let mut conds: Vec<String> = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    if !q.trim().is_empty() {
        a.push(Arg::Str(format!("%{}%", q.trim().to_lowercase())));
        let n = a.len();
        conds.push(format!("(LOWER(code) LIKE ${n} OR LOWER(name_zh) LIKE ${n} OR LOWER(name_en) LIKE ${n})"));
    }
    if let Some(act) = active {
        a.push(Arg::Bool(act));
        conds.push(format!("active = ${}", a.len()));
    }
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM products {}", crate::core::list::where_clause(&conds)), a.clone()).await?;
    if let Some((code, id)) = after.and_then(decode_cursor) {
        a.push(Arg::Str(code));
        a.push(Arg::I64(id));
        conds.push(format!("(code > ${} OR (code = ${} AND id > ${}))", a.len() - 1, a.len() - 1, a.len()));
    }
    let rows: Vec<Product> = db
        .read()
        .fetch_all(&format!("{PRODUCT_SELECT} {} ORDER BY code, id LIMIT {}", crate::core::list::where_clause(&conds), limit + 1), a)
        .await?;
    Ok(crate::core::list::finish_page(rows, limit, total, |p| (p.code.clone(), p.id)))
}

pub async fn product(db: &Db, id: i64) -> DbResult<Option<Product>> {
    db.read().fetch_optional(&format!("{PRODUCT_SELECT} WHERE id = $1"), args![id]).await
}

pub async fn product_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Product>> {
    tx.fetch_optional(&format!("{PRODUCT_SELECT} WHERE id = $1"), args![id]).await
}

pub async fn active_products(db: &Db) -> DbResult<Vec<Product>> {
    db.read().fetch_all(&format!("{PRODUCT_SELECT} WHERE active = $1 ORDER BY code, id"), args![true]).await
}

pub async fn insert_product(tx: &mut Tx, actor: &Actor, d: &ProductData) -> DbResult<i64> {
    let now = Utc::now();
    let id: i64 = tx
        .scalar(
            "INSERT INTO products (code, name_zh, name_en, specification, unit, list_price_minor, currency, delivery_days, active, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10, $11) RETURNING id",
            args![
                d.code.clone(),
                d.name_zh.clone(),
                d.name_en.clone(),
                d.specification.clone(),
                d.unit.clone(),
                d.list_price_minor,
                "CNY",
                d.delivery_days,
                true,
                now,
                actor.user_id
            ],
        )
        .await?;
    let after = product_tx(tx, id).await?;
    audit::record(tx, actor, ENTITY_PRODUCT, Some(id), "create", None, snap(&after).as_ref()).await?;
    Ok(id)
}

pub async fn update_product(tx: &mut Tx, actor: &Actor, id: i64, version: i64, d: &ProductData, active: bool) -> DbResult<bool> {
    let before = product_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE products SET code = $1, name_zh = $2, name_en = $3, specification = $4, unit = $5, list_price_minor = $6, \
             delivery_days = $7, active = $8, version = version + 1, updated_at = $9, updated_by = $10 WHERE id = $11 AND version = $12",
            args![
                d.code.clone(),
                d.name_zh.clone(),
                d.name_en.clone(),
                d.specification.clone(),
                d.unit.clone(),
                d.list_price_minor,
                d.delivery_days,
                active,
                Utc::now(),
                actor.user_id,
                id,
                version
            ],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = product_tx(tx, id).await?;
    let action = match (before.as_ref().map(|b| b.active), active) {
        (Some(true), false) => "deactivate",
        (Some(false), true) => "reactivate",
        _ => "update",
    };
    audit::record(tx, actor, ENTITY_PRODUCT, Some(id), action, snap(&before).as_ref(), snap(&after).as_ref()).await?;
    Ok(true)
}

// ===== opportunities =====

const OPP_SELECT: &str = "SELECT o.id, o.customer_id, c.name AS customer_name, o.title, o.stage_code, o.amount_minor, o.currency, \
    o.expected_close, o.needs_analysis, o.proposed_solution, o.lost_reason, o.owner_id, u.display_name AS owner_name, \
    o.department_id, o.stage_changed_at, o.closed_at, o.version, o.created_at, o.updated_at \
    FROM opportunities o JOIN customers c ON c.id = o.customer_id JOIN users u ON u.id = o.owner_id";

pub async fn opportunity(db: &Db, id: i64) -> DbResult<Option<Opportunity>> {
    db.read().fetch_optional(&format!("{OPP_SELECT} WHERE o.id = $1"), args![id]).await
}

pub async fn opportunity_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Opportunity>> {
    tx.fetch_optional(&format!("{OPP_SELECT} WHERE o.id = $1"), args![id]).await
}

fn opp_vis(backend: Backend, viewer: &Viewer, first: usize) -> (String, Vec<Arg>) {
    visibility_sql(backend, viewer, ENTITY_OPPORTUNITY, "o.id", "o.owner_id", "o.department_id", first)
}

/// May `viewer` see opportunity `id` (own, shared, department, or everything)?
pub async fn opportunity_visible(db: &Db, viewer: &Viewer, id: i64) -> DbResult<bool> {
    let (vis, mut a) = opp_vis(db.backend(), viewer, 2);
    let mut all = args![id];
    all.append(&mut a);
    let n: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM opportunities o WHERE o.id = $1 AND {vis}"), all).await?;
    Ok(n > 0)
}

/// The customers `viewer` may see, for the new-opportunity form.
pub async fn customer_options(db: &Db, viewer: &Viewer) -> DbResult<Vec<(i64, String)>> {
    let (vis, a) = visibility_sql(db.backend(), viewer, "customer", "c.id", "c.owner_id", "c.department_id", 1);
    db.read().fetch_all(&format!("SELECT c.id, c.name FROM customers c WHERE {vis} ORDER BY c.name, c.id LIMIT 2000"), a).await
}

pub async fn customer_visible_tx(tx: &mut Tx, viewer: &Viewer, customer_id: i64) -> DbResult<bool> {
    let (vis, mut a) = visibility_sql(tx.backend(), viewer, "customer", "c.id", "c.owner_id", "c.department_id", 2);
    let mut all = args![customer_id];
    all.append(&mut a);
    let n: i64 = tx.scalar(&format!("SELECT COUNT(*) FROM customers c WHERE c.id = $1 AND {vis}"), all).await?;
    Ok(n > 0)
}

async fn record_stage_change(tx: &mut Tx, id: i64, from: Option<&str>, to: &str, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    tx.execute(
        "INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)",
        args![id, from, to, now, by],
    )
    .await?;
    Ok(())
}

/// A new opportunity in `stage` (the first open stage); the owner is the
/// creator and the department the owner's.
pub async fn insert_opportunity(
    tx: &mut Tx,
    actor: &Actor,
    d: &OpportunityData,
    owner_id: i64,
    department_id: i64,
    stage: &str,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO opportunities (customer_id, title, stage_code, amount_minor, currency, expected_close, needs_analysis, \
             proposed_solution, lost_reason, owner_id, department_id, stage_changed_at, closed_at, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $10, $11, NULL, 1, $11, $12, $11, $12) RETURNING id",
            args![
                d.customer_id,
                d.title.clone(),
                stage,
                d.amount_minor,
                "CNY",
                d.expected_close,
                d.needs_analysis.clone(),
                d.proposed_solution.clone(),
                owner_id,
                department_id,
                now,
                actor.user_id
            ],
        )
        .await?;
    record_stage_change(tx, id, None, stage, actor.user_id, now).await?;
    let after = opportunity_tx(tx, id).await?;
    audit::record(tx, actor, ENTITY_OPPORTUNITY, Some(id), "create", None, snap(&after).as_ref()).await?;
    Ok(id)
}

pub async fn update_opportunity(tx: &mut Tx, actor: &Actor, id: i64, version: i64, d: &OpportunityData) -> DbResult<bool> {
    let before = opportunity_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE opportunities SET title = $1, amount_minor = $2, expected_close = $3, needs_analysis = $4, proposed_solution = $5, \
             version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8 AND version = $9",
            args![d.title.clone(), d.amount_minor, d.expected_close, d.needs_analysis.clone(), d.proposed_solution.clone(), Utc::now(), actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = opportunity_tx(tx, id).await?;
    audit::record(tx, actor, ENTITY_OPPORTUNITY, Some(id), "update", snap(&before).as_ref(), snap(&after).as_ref()).await?;
    Ok(true)
}

/// Moves the opportunity to `to` (recorded in opportunity_stage_changes).
/// False when `version` is stale.
pub async fn move_stage(
    tx: &mut Tx,
    actor: &Actor,
    before: &Opportunity,
    version: i64,
    to: &Stage,
    mv: &StageMove,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE opportunities SET stage_code = $1, closed_at = $2, lost_reason = $3, stage_changed_at = $4, \
             version = version + 1, updated_at = $4, updated_by = $5 WHERE id = $6 AND version = $7",
            args![to.code.clone(), mv.closed_at, mv.lost_reason.clone(), now, actor.user_id, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    record_stage_change(tx, before.id, Some(&before.stage_code), &to.code, actor.user_id, now).await?;
    let after = opportunity_tx(tx, before.id).await?;
    audit::record(tx, actor, ENTITY_OPPORTUNITY, Some(before.id), "stage_change", Some(&serde_json::json!(before)), snap(&after).as_ref()).await?;
    Ok(true)
}

pub async fn stage_changes(db: &Db, id: i64) -> DbResult<Vec<StageChange>> {
    db.read()
        .fetch_all(
            "SELECT s.id, s.from_stage, s.to_stage, s.changed_at, u.display_name AS changed_by_name FROM opportunity_stage_changes s \
             LEFT JOIN users u ON u.id = s.changed_by WHERE s.opportunity_id = $1 ORDER BY s.id DESC",
            args![id],
        )
        .await
}

const OBJ_SELECT: &str = "SELECT id, opportunity_id, objection, answer, resolved, version, created_at FROM opportunity_objections";

pub async fn objections(db: &Db, opportunity_id: i64) -> DbResult<Vec<Objection>> {
    db.read().fetch_all(&format!("{OBJ_SELECT} WHERE opportunity_id = $1 ORDER BY id"), args![opportunity_id]).await
}

pub async fn objection(db: &Db, id: i64) -> DbResult<Option<Objection>> {
    db.read().fetch_optional(&format!("{OBJ_SELECT} WHERE id = $1"), args![id]).await
}

pub async fn objection_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Objection>> {
    tx.fetch_optional(&format!("{OBJ_SELECT} WHERE id = $1"), args![id]).await
}

/// Objections are audited on their opportunity, so its history tells the whole story.
pub async fn insert_objection(tx: &mut Tx, actor: &Actor, opportunity_id: i64, objection: &str, answer: &str, resolved: bool, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO opportunity_objections (opportunity_id, objection, answer, resolved, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6) RETURNING id",
            args![opportunity_id, objection, answer, resolved, now, actor.user_id],
        )
        .await?;
    let after = objection_tx(tx, id).await?;
    audit::record(tx, actor, ENTITY_OPPORTUNITY, Some(opportunity_id), "add_objection", None, snap(&after).as_ref()).await?;
    Ok(id)
}

pub async fn update_objection(tx: &mut Tx, actor: &Actor, id: i64, version: i64, answer: &str, resolved: bool) -> DbResult<bool> {
    let before = objection_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE opportunity_objections SET answer = $1, resolved = $2, version = version + 1, updated_at = $3, updated_by = $4 \
             WHERE id = $5 AND version = $6",
            args![answer, resolved, Utc::now(), actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = objection_tx(tx, id).await?;
    let opp = before.as_ref().map(|b| b.opportunity_id);
    audit::record(tx, actor, ENTITY_OPPORTUNITY, opp, "update_objection", snap(&before).as_ref(), snap(&after).as_ref()).await?;
    Ok(true)
}

/// The audit entries of one record of this part.
pub async fn history(db: &Db, entity: &str, id: i64) -> DbResult<Vec<AuditEntry>> {
    db.read()
        .fetch_all(
            "SELECT id, at, actor_id, actor_name, client_addr, entity, record_id, action, before_json, after_json FROM audit_log \
             WHERE entity = $1 AND record_id = $2 ORDER BY id DESC LIMIT 200",
            args![entity, id],
        )
        .await
}

// ===== quotations =====

const Q_SELECT: &str = "SELECT q.id, q.number, q.opportunity_id, o.title AS opportunity_title, o.customer_id, c.name AS customer_name, \
    o.owner_id, o.department_id, q.status, q.valid_until, q.currency, q.total_minor, q.max_discount_bp, q.notes, \
    a.display_name AS approved_by_name, q.approved_at, q.approval_comment, q.sent_at, q.version, q.created_at \
    FROM quotations q JOIN opportunities o ON o.id = q.opportunity_id JOIN customers c ON c.id = o.customer_id \
    LEFT JOIN users a ON a.id = q.approved_by";

pub async fn quotation(db: &Db, id: i64) -> DbResult<Option<Quotation>> {
    db.read().fetch_optional(&format!("{Q_SELECT} WHERE q.id = $1"), args![id]).await
}

pub async fn quotation_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Quotation>> {
    tx.fetch_optional(&format!("{Q_SELECT} WHERE q.id = $1"), args![id]).await
}

pub async fn quotations_for(db: &Db, opportunity_id: i64) -> DbResult<Vec<Quotation>> {
    db.read().fetch_all(&format!("{Q_SELECT} WHERE q.opportunity_id = $1 ORDER BY q.id DESC"), args![opportunity_id]).await
}

const LINE_SELECT: &str = "SELECT l.id, l.position, l.product_id, p.code AS product_code, p.name_zh, p.name_en, p.specification, p.unit, \
    l.quantity, l.unit_price_minor, l.discount_bp, l.line_total_minor, l.delivery_days \
    FROM quotation_lines l JOIN products p ON p.id = l.product_id WHERE l.quotation_id = $1 ORDER BY l.position, l.id";

pub async fn lines(db: &Db, quotation_id: i64) -> DbResult<Vec<QuotationLine>> {
    db.read().fetch_all(LINE_SELECT, args![quotation_id]).await
}

pub async fn lines_tx(tx: &mut Tx, quotation_id: i64) -> DbResult<Vec<QuotationLine>> {
    tx.fetch_all(LINE_SELECT, args![quotation_id]).await
}

/// A quotation with its lines, for the audit trail.
async fn q_snapshot(tx: &mut Tx, id: i64) -> DbResult<Option<serde_json::Value>> {
    let q = quotation_tx(tx, id).await?;
    let l = lines_tx(tx, id).await?;
    Ok(q.map(|q| {
        let mut v = serde_json::json!(q);
        if let serde_json::Value::Object(m) = &mut v {
            m.insert(
                "lines".into(),
                serde_json::json!(l.iter().map(|l| format!("{} × {} @ {} -{}", l.product_code, l.quantity, l.unit_price_minor, discount_text(l.discount_bp))).collect::<Vec<_>>()),
            );
        }
        v
    }))
}

pub async fn insert_quotation(tx: &mut Tx, actor: &Actor, opportunity_id: i64, valid_until: NaiveDate, notes: &str, now: DateTime<Utc>) -> DbResult<i64> {
    let year = crate::core::time::company_year(now);
    let number = crate::core::db::next_number(tx, "quotations", "BJ", year).await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO quotations (number, opportunity_id, status, valid_until, currency, total_minor, max_discount_bp, notes, \
             approval_comment, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, 0, 0, $6, '', 1, $7, $8, $7, $8) RETURNING id",
            args![number, opportunity_id, QuotationStatus::Draft.code(), valid_until, "CNY", notes, now, actor.user_id],
        )
        .await?;
    let after = q_snapshot(tx, id).await?;
    audit::record(tx, actor, ENTITY_QUOTATION, Some(id), "create", None, after.as_ref()).await?;
    Ok(id)
}

/// Recomputes the totals from the lines (model::totals) and bumps the version
/// the editor saw; false when it was stale.
async fn touch_totals(tx: &mut Tx, actor: &Actor, id: i64, version: i64) -> DbResult<bool> {
    let l = lines_tx(tx, id).await?;
    let (total, max_disc, _) = totals(&l.iter().map(|l| (l.unit_price_minor, l.quantity, l.discount_bp, l.delivery_days)).collect::<Vec<_>>());
    let n = tx
        .execute(
            "UPDATE quotations SET total_minor = $1, max_discount_bp = $2, version = version + 1, updated_at = $3, updated_by = $4 \
             WHERE id = $5 AND version = $6",
            args![total, max_disc, Utc::now(), actor.user_id, id, version],
        )
        .await?;
    Ok(n == 1)
}

/// 2.2.2-c: price and delivery time are the catalogue's, never typed.
pub async fn add_line(tx: &mut Tx, actor: &Actor, id: i64, version: i64, p: &Product, quantity: i64, discount_bp: i64) -> DbResult<bool> {
    let before = q_snapshot(tx, id).await?;
    let pos: i64 = tx.scalar("SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM quotation_lines WHERE quotation_id = $1", args![id]).await?;
    tx.execute(
        "INSERT INTO quotation_lines (quotation_id, position, product_id, description, quantity, unit_price_minor, discount_bp, line_total_minor, delivery_days) \
         VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8)",
        args![id, pos + 1, p.id, quantity, p.list_price_minor, discount_bp, line_total(p.list_price_minor, quantity, discount_bp), p.delivery_days],
    )
    .await?;
    if !touch_totals(tx, actor, id, version).await? {
        return Ok(false);
    }
    let after = q_snapshot(tx, id).await?;
    audit::record(tx, actor, ENTITY_QUOTATION, Some(id), "update", before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

pub async fn remove_line(tx: &mut Tx, actor: &Actor, id: i64, version: i64, line_id: i64) -> DbResult<bool> {
    let before = q_snapshot(tx, id).await?;
    tx.execute("DELETE FROM quotation_lines WHERE id = $1 AND quotation_id = $2", args![line_id, id]).await?;
    if !touch_totals(tx, actor, id, version).await? {
        return Ok(false);
    }
    let after = q_snapshot(tx, id).await?;
    audit::record(tx, actor, ENTITY_QUOTATION, Some(id), "update", before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

/// What a status change writes besides the status.
pub enum StatusExtra<'a> {
    None,
    Decided { by: i64, comment: &'a str },
    Sent,
}

pub async fn set_status(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    version: i64,
    to: QuotationStatus,
    extra: StatusExtra<'_>,
    action: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let before = q_snapshot(tx, id).await?;
    let n = match extra {
        StatusExtra::None => {
            tx.execute(
                "UPDATE quotations SET status = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5",
                args![to.code(), now, actor.user_id, id, version],
            )
            .await?
        }
        StatusExtra::Decided { by, comment } => {
            tx.execute(
                "UPDATE quotations SET status = $1, approved_by = $2, approved_at = $3, approval_comment = $4, version = version + 1, \
                 updated_at = $3, updated_by = $5 WHERE id = $6 AND version = $7",
                args![to.code(), by, now, comment, actor.user_id, id, version],
            )
            .await?
        }
        StatusExtra::Sent => {
            tx.execute(
                "UPDATE quotations SET status = $1, sent_at = $2, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5",
                args![to.code(), now, actor.user_id, id, version],
            )
            .await?
        }
    };
    if n == 0 {
        return Ok(false);
    }
    let after = q_snapshot(tx, id).await?;
    audit::record(tx, actor, ENTITY_QUOTATION, Some(id), action, before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

/// 2.2.2-c: the approval task goes to each active manager of the opportunity's
/// department (one statement).
pub async fn request_approval(tx: &mut Tx, q: &Quotation, by: Option<i64>, now: DateTime<Utc>) -> DbResult<u64> {
    let params = serde_json::to_string(&[("number", q.number.clone()), ("discount", discount_text(q.max_discount_bp))]).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO inbox_items (recipient_user_id, kind, title_key, params_json, link, due_at, source_entity, source_id, version, \
         created_at, created_by, updated_at, updated_by) \
         SELECT u.id, $1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9 FROM users u \
         WHERE u.department_id = $10 AND u.role = $11 AND u.active = $12",
        args![
            "task",
            crate::core::i18n::K::PipelineInboxApprove.code(),
            params,
            format!("/sales/quotations/{}", q.id),
            now + Duration::days(2),
            ENTITY_QUOTATION,
            q.id,
            now,
            by,
            q.department_id,
            crate::core::perm::Role::Manager.code(),
            true
        ],
    )
    .await
}

/// Closes the open approval tasks of a quotation and tells its owner the outcome.
pub async fn close_approval(tx: &mut Tx, q: &Quotation, approved: bool, by: i64, now: DateTime<Utc>) -> DbResult<()> {
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, by, ENTITY_QUOTATION, q.id],
    )
    .await?;
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: Some(q.owner_id),
            department_id: None,
            kind: "notification",
            title: if approved { crate::core::i18n::K::PipelineInboxApproved } else { crate::core::i18n::K::PipelineInboxRejected },
            params: vec![("number".into(), q.number.clone())],
            link: format!("/sales/quotations/{}", q.id),
            due_at: None,
            source_entity: "quotation_decision",
            source_id: Some(q.id),
        },
        Some(by),
        now,
    )
    .await?;
    Ok(())
}

// ===== the board =====

/// The won/lost period: the chosen one, or the last `CLOSED_DEFAULT_DAYS` days.
pub fn closed_window(f: &BoardFilter, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    match (f.from, f.to) {
        (None, None) => (today - Duration::days(CLOSED_DEFAULT_DAYS), None),
        (from, to) => (from.unwrap_or(NaiveDate::MIN), to),
    }
}

/// The conditions for one column, numbering parameters from `a.len() + 1`.
/// Every form uses an index: (stage_code, expected_close …), (owner_id,
/// stage_code, expected_close …) or (department_id, stage_code, expected_close …).
fn column_conds(backend: Backend, viewer: &Viewer, f: &BoardFilter, stage: &Stage, window: (NaiveDate, Option<NaiveDate>), a: &mut Vec<Arg>) -> Vec<String> {
    let mut c = Vec::new();
    a.push(Arg::Str(stage.code.clone()));
    c.push(format!("o.stage_code = ${}", a.len()));
    let (vis, mut va) = opp_vis(backend, viewer, a.len() + 1);
    a.append(&mut va);
    c.push(vis);
    if let Some(o) = f.owner_id {
        a.push(Arg::I64(o));
        c.push(format!("o.owner_id = ${}", a.len()));
    }
    if let Some(d) = f.department_id {
        a.push(Arg::I64(d));
        c.push(format!("o.department_id = ${}", a.len()));
    }
    let (from, to) = if stage.kind().closed() { (Some(window.0), window.1) } else { (f.from, f.to) };
    if let Some(d) = from.filter(|d| *d != NaiveDate::MIN) {
        a.push(Arg::Date(d));
        c.push(format!("o.expected_close >= ${}", a.len()));
    }
    if let Some(d) = to {
        a.push(Arg::Date(d));
        c.push(format!("o.expected_close <= ${}", a.len()));
    }
    c
}

const CARD_COLS: &str = "o.id, o.stage_code, o.title, c.name AS customer_name, u.display_name AS owner_name, o.amount_minor, o.currency, o.expected_close, o.version";

/// One page of a column's cards: `BOARD_PAGE + 1` rows, ordered by expected close.
fn cards_sql(backend: Backend, viewer: &Viewer, f: &BoardFilter, stage: &Stage, window: (NaiveDate, Option<NaiveDate>), after: Option<(NaiveDate, i64)>, a: &mut Vec<Arg>) -> String {
    let mut c = column_conds(backend, viewer, f, stage, window, a);
    if let Some((d, id)) = after {
        a.push(Arg::Date(d));
        let n = a.len();
        a.push(Arg::I64(id));
        c.push(format!("(o.expected_close > ${n} OR (o.expected_close = ${n} AND o.id > ${}))", n + 1));
    }
    format!(
        "SELECT {CARD_COLS} FROM opportunities o JOIN customers c ON c.id = o.customer_id JOIN users u ON u.id = o.owner_id \
         WHERE {} ORDER BY o.expected_close, o.id LIMIT {}",
        c.join(" AND "),
        BOARD_PAGE + 1
    )
}

fn split_page(mut cards: Vec<Card>) -> (Vec<Card>, Option<String>) {
    cards.sort_by(|x, y| (x.expected_close, x.id).cmp(&(y.expected_close, y.id)));
    let more = cards.len() as i64 > BOARD_PAGE;
    cards.truncate(BOARD_PAGE as usize);
    let next = if more { cards.last().map(card_cursor) } else { None };
    (cards, next)
}

/// The board's first screen (or the page the URL's per-column cursors ask for):
/// two queries whatever the number of opportunities — the per-column counts,
/// amounts and weighted amounts (amount × probability, in SQL), and the cards.
pub async fn board(db: &Db, viewer: &Viewer, f: &BoardFilter) -> DbResult<Board> {
    let stages: Vec<Stage> = stages(db).await?.into_iter().filter(|s| s.active).collect();
    let today = crate::core::time::company_today(Utc::now());
    let window = closed_window(f, today);
    let backend = db.backend();
    if stages.is_empty() {
        return Ok(Board { columns: vec![], closed_from: window.0, closed_to: window.1, currency: "CNY".into() });
    }
    // Aggregates: one UNION ALL part per column, each a range on an index.
    let mut a: Vec<Arg> = Vec::new();
    let mut parts = Vec::new();
    for s in &stages {
        a.push(Arg::Str(s.code.clone()));
        let key = a.len();
        let c = column_conds(backend, viewer, f, s, window, &mut a);
        parts.push(format!(
            "SELECT CAST(${key} AS TEXT) AS stage_code, COUNT(*) AS n, CAST(COALESCE(SUM(o.amount_minor), 0) AS BIGINT) AS amount \
             FROM opportunities o WHERE {}",
            c.join(" AND ")
        ));
    }
    let agg_sql = format!(
        "SELECT a.stage_code, a.n, a.amount, a.amount * s.probability / 100 AS weighted FROM ({}) a \
         JOIN opportunity_stages s ON s.code = a.stage_code",
        parts.join(" UNION ALL ")
    );
    let agg_args = a;
    // Cards: one UNION ALL of the columns' first (or requested) pages.
    let mut a: Vec<Arg> = Vec::new();
    let mut parts = Vec::new();
    for (i, s) in stages.iter().enumerate() {
        let after = f.after.iter().find(|(k, _)| *k == s.code).and_then(|(_, c)| parse_card_cursor(c));
        parts.push(format!("SELECT * FROM ({}) t{i}", cards_sql(backend, viewer, f, s, window, after, &mut a)));
    }
    // The two queries are independent: run them at the same time on two connections.
    let cards_sql = parts.join(" UNION ALL ");
    let (mut r1, mut r2) = (db.read(), db.read());
    let (aggs, cards): (Vec<(String, i64, i64, i64)>, Vec<Card>) =
        tokio::try_join!(r1.fetch_all(&agg_sql, agg_args), r2.fetch_all(&cards_sql, a))?;
    let mut columns = Vec::new();
    for s in stages {
        let (count, amount, weighted) = aggs.iter().find(|x| x.0 == s.code).map(|x| (x.1, x.2, x.3)).unwrap_or((0, 0, 0));
        let own: Vec<Card> = cards.iter().filter(|c| c.stage_code == s.code).cloned().collect();
        let (cards, next) = split_page(own);
        let paged = f.after.iter().any(|(k, _)| *k == s.code);
        columns.push(Column { stage: s, count, amount_minor: amount, weighted_minor: weighted, cards, next, paged });
    }
    Ok(Board { columns, closed_from: window.0, closed_to: window.1, currency: "CNY".into() })
}

/// The next cards of one column after `cursor` ("load more").
pub async fn board_column(db: &Db, viewer: &Viewer, f: &BoardFilter, stage_code: &str, cursor: &str) -> DbResult<(Vec<Card>, Option<String>)> {
    let mut tx_stages = stages(db).await?;
    tx_stages.retain(|s| s.code == stage_code && s.active);
    let Some(stage) = tx_stages.pop() else { return Ok((vec![], None)) };
    let window = closed_window(f, crate::core::time::company_today(Utc::now()));
    let mut a = Vec::new();
    let sql = cards_sql(db.backend(), viewer, f, &stage, window, parse_card_cursor(cursor), &mut a);
    let cards: Vec<Card> = db.read().fetch_all(&sql, a).await?;
    Ok(split_page(cards))
}

/// People whose cards the viewer may filter by (themselves for staff, their
/// department for managers, anyone for executives and admins): the chosen
/// department's people, or without one the sales department's (not the whole
/// company: a list of every employee is no use in a filter).
pub async fn owner_options(db: &Db, viewer: &Viewer, department_id: Option<i64>) -> DbResult<Vec<(i64, String)>> {
    let (vis, a) = visibility_sql(db.backend(), viewer, "user", "u.id", "u.id", "u.department_id", 3);
    let (dept_cond, dept_arg) = match department_id {
        Some(d) => ("u.department_id = $2", Arg::I64(d)),
        None => ("u.department_id = (SELECT id FROM departments WHERE code = $2)", Arg::Str("sales".into())),
    };
    let mut all = vec![Arg::Bool(true), dept_arg];
    all.extend(a);
    db.read()
        .fetch_all(&format!("SELECT u.id, u.display_name FROM users u WHERE u.active = $1 AND {dept_cond} AND {vis} ORDER BY u.display_name, u.id LIMIT 500"), all)
        .await
}
