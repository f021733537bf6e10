//! SQL of contracts, reviews, signing authorities, copies and the receivables a
//! signing creates (2.2.3). Every change writes its audit entry in the caller's
//! transaction.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Backend, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::{Dir, Keyset, Page, SortCol, finish_page, where_clause};
use crate::core::perm::{Viewer, visibility_sql};
use crate::inbox::store::{NewItem, insert as inbox_insert};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

pub const ENTITY: &str = "contract";
pub const REVIEW_SOURCE: &str = "contract_review";
pub const COPY_SOURCE: &str = "contract_copy";

const SELECT: &str = "SELECT c.id, c.number, c.title, c.customer_id, cu.name AS customer_name, c.opportunity_id, \
    o.title AS opportunity_title, c.status, c.revision, c.review_round, c.amount_minor, c.currency, c.rights_obligations, \
    c.payment_terms, c.delivery_date, c.breach_liability, c.submitted_at, c.approved_at, c.signed_at, c.signed_by, \
    s.display_name AS signer_name, c.owner_id, ow.display_name AS owner_name, c.department_id, d.name_zh AS department_zh, \
    d.name_en AS department_en, c.version, c.created_at, c.updated_at \
    FROM contracts c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN opportunities o ON o.id = c.opportunity_id \
    LEFT JOIN users s ON s.id = c.signed_by JOIN users ow ON ow.id = c.owner_id JOIN departments d ON d.id = c.department_id";

/// 2.2.3 visibility: the owner/department rule, OR the viewer's department
/// reviews or receives the contract, OR the viewer may sign contracts.
/// `c` is the contracts alias; placeholders start at `$first`.
pub fn visible_sql(backend: Backend, viewer: &Viewer, first: usize) -> (String, Vec<Arg>) {
    let (vis, mut a) = visibility_sql(backend, viewer, ENTITY, "c.id", "c.owner_id", "c.department_id", first);
    if vis == "1 = 1" {
        return (vis, a);
    }
    let n = first + a.len();
    let cond = format!(
        "({vis} OR EXISTS (SELECT 1 FROM contract_reviews vr WHERE vr.contract_id = c.id AND vr.department_id = ${n}) \
         OR EXISTS (SELECT 1 FROM contract_copies vc WHERE vc.contract_id = c.id AND vc.department_id = ${n}) \
         OR EXISTS (SELECT 1 FROM signing_authorities sa WHERE sa.user_id = ${} AND sa.active = ${}))",
        n + 1,
        n + 2
    );
    a.push(Arg::I64(viewer.department_id));
    a.push(Arg::I64(viewer.user_id));
    a.push(Arg::Bool(true));
    (cond, a)
}

pub async fn contract(db: &Db, id: i64) -> DbResult<Option<Contract>> {
    db.read().fetch_optional(&format!("{SELECT} WHERE c.id = $1"), args![id]).await
}

pub async fn contract_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Contract>> {
    tx.fetch_optional(&format!("{SELECT} WHERE c.id = $1"), args![id]).await
}

pub async fn visible(db: &Db, viewer: &Viewer, id: i64) -> DbResult<bool> {
    let (vis, mut a) = visible_sql(db.backend(), viewer, 2);
    let mut all = args![id];
    all.append(&mut a);
    let n: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM contracts c WHERE c.id = $1 AND {vis}"), all).await?;
    Ok(n > 0)
}

const LINES: &str = "SELECT position, product_id, description, specification, unit, quantity, unit_price_minor, discount_bp, \
    line_total_minor FROM contract_lines WHERE contract_id = $1 ORDER BY position";
const INSTALMENTS: &str =
    "SELECT seq, due_date, amount_minor, description FROM contract_instalments WHERE contract_id = $1 ORDER BY seq";

pub async fn lines(db: &Db, id: i64) -> DbResult<Vec<Line>> {
    db.read().fetch_all(LINES, args![id]).await
}
pub async fn lines_tx(tx: &mut Tx, id: i64) -> DbResult<Vec<Line>> {
    tx.fetch_all(LINES, args![id]).await
}
pub async fn instalments(db: &Db, id: i64) -> DbResult<Vec<Instalment>> {
    db.read().fetch_all(INSTALMENTS, args![id]).await
}
pub async fn instalments_tx(tx: &mut Tx, id: i64) -> DbResult<Vec<Instalment>> {
    tx.fetch_all(INSTALMENTS, args![id]).await
}

const REVIEWS: &str = "SELECT r.id, r.revision, r.review_round, r.department_id, d.name_zh AS department_zh, \
    d.name_en AS department_en, r.status, r.over_credit_limit, r.reviewer_id, u.display_name AS reviewer_name, r.comment, \
    r.decided_at, r.version FROM contract_reviews r JOIN departments d ON d.id = r.department_id \
    LEFT JOIN users u ON u.id = r.reviewer_id";

/// Every review of the contract, newest round first.
pub async fn reviews(db: &Db, id: i64) -> DbResult<Vec<Review>> {
    db.read()
        .fetch_all(&format!("{REVIEWS} WHERE r.contract_id = $1 ORDER BY r.revision DESC, r.review_round DESC, r.department_id"), args![id])
        .await
}

pub async fn review_tx(tx: &mut Tx, review_id: i64) -> DbResult<Option<(i64, Review)>> {
    let r: Option<Review> = tx.fetch_optional(&format!("{REVIEWS} WHERE r.id = $1"), args![review_id]).await?;
    match r {
        Some(r) => {
            let cid: i64 = tx.scalar("SELECT contract_id FROM contract_reviews WHERE id = $1", args![review_id]).await?;
            Ok(Some((cid, r)))
        }
        None => Ok(None),
    }
}

const COPIES: &str = "SELECT cc.id, cc.revision, cc.department_id, d.name_zh AS department_zh, d.name_en AS department_en, \
    cc.sent_at, cc.acknowledged_at, u.display_name AS acknowledged_by_name, cc.version FROM contract_copies cc \
    JOIN departments d ON d.id = cc.department_id LEFT JOIN users u ON u.id = cc.acknowledged_by";

pub async fn copies(db: &Db, id: i64) -> DbResult<Vec<ContractCopy>> {
    db.read().fetch_all(&format!("{COPIES} WHERE cc.contract_id = $1 ORDER BY cc.revision DESC, cc.department_id"), args![id]).await
}

pub async fn versions(db: &Db, id: i64) -> DbResult<Vec<VersionInfo>> {
    db.read()
        .fetch_all(
            "SELECT v.revision, v.created_at, v.signed_at, u.display_name AS signer_name FROM contract_versions v \
             LEFT JOIN users u ON u.id = v.signed_by WHERE v.contract_id = $1 ORDER BY v.revision DESC",
            args![id],
        )
        .await
}

pub async fn snapshot(db: &Db, id: i64, revision: i64) -> DbResult<Option<(String, Option<DateTime<Utc>>, Option<String>)>> {
    db.read()
        .fetch_optional(
            "SELECT v.snapshot_json, v.signed_at, u.display_name FROM contract_versions v LEFT JOIN users u ON u.id = v.signed_by \
             WHERE v.contract_id = $1 AND v.revision = $2",
            args![id, revision],
        )
        .await
}

// ----- list -----

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub q: String,
    pub status: Option<String>,
    pub mine: bool,
    /// Approved contracts the viewer's authority covers (2.2.3-d).
    pub awaiting_my_signature: bool,
    /// Contracts with a pending review by the viewer's department (2.2.3-c).
    pub my_reviews: bool,
}

pub const SORTS: &[SortCol] = &[
    SortCol { name: "number", sql: "c.number", integer: false },
    SortCol { name: "title", sql: "c.title", integer: false },
    SortCol { name: "amount", sql: "c.amount_minor", integer: true },
    SortCol { name: "status", sql: "c.status", integer: false },
];

fn conditions(backend: Backend, viewer: &Viewer, f: &Filter) -> (Vec<String>, Vec<Arg>) {
    let (vis, a) = visible_sql(backend, viewer, 1);
    let mut conds = vec![vis];
    let mut args = a;
    if !f.q.trim().is_empty() {
        args.push(Arg::Str(format!("%{}%", f.q.trim().to_lowercase())));
        let n = args.len();
        conds.push(format!("(LOWER(c.number) LIKE ${n} OR LOWER(c.title) LIKE ${n} OR LOWER(cu.name) LIKE ${n})"));
    }
    if let Some(s) = &f.status {
        args.push(Arg::Str(s.clone()));
        conds.push(format!("c.status = ${}", args.len()));
    }
    if f.mine {
        args.push(Arg::I64(viewer.user_id));
        conds.push(format!("c.owner_id = ${}", args.len()));
    }
    if f.awaiting_my_signature {
        args.push(Arg::I64(viewer.user_id));
        let u = args.len();
        args.push(Arg::Bool(true));
        conds.push(format!(
            "c.status = 'approved' AND EXISTS (SELECT 1 FROM signing_authorities sa2 WHERE sa2.user_id = ${u} AND sa2.active = ${} \
             AND sa2.currency = c.currency AND sa2.limit_minor >= c.amount_minor)",
            u + 1
        ));
    }
    if f.my_reviews {
        args.push(Arg::I64(viewer.department_id));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM contract_reviews r2 WHERE r2.contract_id = c.id AND r2.department_id = ${} AND r2.status = 'pending')",
            args.len()
        ));
    }
    (conds, args)
}

const ROW_SELECT: &str = "SELECT c.id, c.number, c.title, cu.name AS customer_name, c.status, c.revision, c.amount_minor, \
    c.currency, ow.display_name AS owner_name, c.delivery_date FROM contracts c JOIN customers cu ON cu.id = c.customer_id \
    JOIN users ow ON ow.id = c.owner_id";

pub async fn list(db: &Db, viewer: &Viewer, f: &Filter, sort: &str, dir: Dir, after: Option<&str>, limit: i64) -> DbResult<Page<ContractRow>> {
    let (conds, args) = conditions(db.backend(), viewer, f);
    let total: i64 = db
        .read()
        .scalar(&format!("SELECT COUNT(*) FROM contracts c JOIN customers cu ON cu.id = c.customer_id {}", where_clause(&conds)), args.clone())
        .await?;
    let ks = Keyset { cols: SORTS, sort, dir, after, id: "c.id" };
    let (mut conds, mut args) = (conds, args);
    let tail = ks.apply(&mut conds, &mut args, limit);
    let rows: Vec<ContractRow> = db.read().fetch_all(&format!("{ROW_SELECT} {} {tail}", where_clause(&conds)), args).await?;
    let col = ks.col().name;
    Ok(finish_page(rows, limit, total, |r| {
        let v = match col {
            "title" => r.title.clone(),
            "amount" => r.amount_minor.to_string(),
            "status" => r.status.clone(),
            _ => r.number.clone(),
        };
        (v, r.id)
    }))
}

// ----- drafting from a won opportunity (2.2.3-a) -----

#[derive(Clone, Debug)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpportunityInfo {
    pub id: i64,
    pub customer_id: i64,
    pub title: String,
    pub currency: String,
    pub owner_id: i64,
    pub department_id: i64,
    pub won: bool,
}

pub async fn opportunity(tx: &mut Tx, id: i64) -> DbResult<Option<OpportunityInfo>> {
    tx.fetch_optional(
        "SELECT o.id, o.customer_id, o.title, o.currency, o.owner_id, o.department_id, \
         CASE WHEN s.kind = 'won' THEN $2 ELSE $3 END AS won \
         FROM opportunities o JOIN opportunity_stages s ON s.code = o.stage_code WHERE o.id = $1",
        args![id, true, false],
    )
    .await
}

pub async fn contract_for_opportunity(tx: &mut Tx, opportunity_id: i64) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> =
        tx.fetch_optional("SELECT id FROM contracts WHERE opportunity_id = $1 ORDER BY id LIMIT 1", args![opportunity_id]).await?;
    Ok(r.map(|r| r.0))
}

/// The lines of the opportunity's latest approved or sent quotation, with the
/// catalogue's specification and unit.
pub async fn quotation_lines(tx: &mut Tx, opportunity_id: i64, lang_zh: bool) -> DbResult<(Option<i64>, Vec<Line>)> {
    let q: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT id FROM quotations WHERE opportunity_id = $1 AND status IN ('approved', 'sent') ORDER BY id DESC LIMIT 1",
            args![opportunity_id],
        )
        .await?;
    let Some((qid,)) = q else { return Ok((None, vec![])) };
    let name = if lang_zh { "p.name_zh" } else { "p.name_en" };
    let rows: Vec<Line> = tx
        .fetch_all(
            &format!(
                "SELECT ql.position, ql.product_id, CASE WHEN ql.description = '' THEN {name} ELSE ql.description END AS description, \
                 p.specification, p.unit, ql.quantity, ql.unit_price_minor, ql.discount_bp, ql.line_total_minor \
                 FROM quotation_lines ql JOIN products p ON p.id = ql.product_id WHERE ql.quotation_id = $1 ORDER BY ql.position"
            ),
            args![qid],
        )
        .await?;
    let lines = rows
        .into_iter()
        .enumerate()
        .map(|(i, l)| Line { position: i as i64 + 1, line_total_minor: line_total(l.quantity, l.unit_price_minor, l.discount_bp), ..l })
        .collect();
    Ok((Some(qid), lines))
}

/// Won opportunities the viewer may edit that have no contract yet.
pub async fn draftable_opportunities(db: &Db, viewer: &Viewer) -> DbResult<Vec<(i64, String, String)>> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, "opportunity", "o.id", "o.owner_id", "o.department_id", 1);
    let sql = format!(
        "SELECT o.id, o.title, cu.name FROM opportunities o JOIN opportunity_stages s ON s.code = o.stage_code \
         JOIN customers cu ON cu.id = o.customer_id WHERE s.kind = 'won' AND {vis} \
         AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.opportunity_id = o.id) ORDER BY o.id DESC LIMIT 100"
    );
    let v: Vec<(i64, String, String)> = db.read().fetch_all(&sql, std::mem::take(&mut a)).await?;
    Ok(v)
}

/// The next number of the year: HT-2026-0001.
pub async fn next_number(tx: &mut Tx, year: i32) -> DbResult<String> {
    crate::core::db::next_number(tx, "contracts", "HT", year).await
}

pub struct NewContract {
    pub number: String,
    pub title: String,
    pub customer_id: i64,
    pub opportunity_id: Option<i64>,
    pub quotation_id: Option<i64>,
    pub currency: String,
    pub owner_id: i64,
    pub department_id: i64,
    pub lines: Vec<Line>,
}

async fn insert_lines(tx: &mut Tx, id: i64, lines: &[Line]) -> DbResult<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut values = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    for l in lines {
        let n = a.len();
        values.push(format!("(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8, n + 9, n + 10));
        a.extend(args![
            id,
            l.position,
            l.product_id,
            l.description.clone(),
            l.specification.clone(),
            l.unit.clone(),
            l.quantity,
            l.unit_price_minor,
            l.discount_bp,
            l.line_total_minor
        ]);
    }
    tx.execute(
        &format!(
            "INSERT INTO contract_lines (contract_id, position, product_id, description, specification, unit, quantity, \
             unit_price_minor, discount_bp, line_total_minor) VALUES {}",
            values.join(", ")
        ),
        a,
    )
    .await?;
    Ok(())
}

async fn insert_instalments(tx: &mut Tx, id: i64, rows: &[Instalment]) -> DbResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut values = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    for r in rows {
        let n = a.len();
        values.push(format!("(${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5));
        a.extend(args![id, r.seq, r.due_date, r.amount_minor, r.description.clone()]);
    }
    tx.execute(
        &format!("INSERT INTO contract_instalments (contract_id, seq, due_date, amount_minor, description) VALUES {}", values.join(", ")),
        a,
    )
    .await?;
    Ok(())
}

/// The record as the audit trail keeps it: the contract with its lines and schedule.
async fn audit_view(tx: &mut Tx, id: i64) -> DbResult<Option<serde_json::Value>> {
    let Some(c) = contract_tx(tx, id).await? else { return Ok(None) };
    let lines = lines_tx(tx, id).await?;
    let inst = instalments_tx(tx, id).await?;
    let mut v = json!(c);
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("lines".into(), json!(lines));
        m.insert("instalments".into(), json!(inst));
    }
    Ok(Some(v))
}

pub async fn insert(tx: &mut Tx, actor: &Actor, c: &NewContract, now: DateTime<Utc>) -> DbResult<i64> {
    let amount = amount_of(&c.lines);
    let id: i64 = tx
        .scalar(
            "INSERT INTO contracts (number, title, customer_id, opportunity_id, quotation_id, status, revision, review_round, \
             amount_minor, currency, owner_id, department_id, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, 'draft', 1, 0, $6, $7, $8, $9, 1, $10, $11, $10, $11) RETURNING id",
            args![
                c.number.clone(),
                c.title.clone(),
                c.customer_id,
                c.opportunity_id,
                c.quotation_id,
                amount,
                c.currency.clone(),
                c.owner_id,
                c.department_id,
                now,
                actor.user_id
            ],
        )
        .await?;
    insert_lines(tx, id, &c.lines).await?;
    let after = audit_view(tx, id).await?;
    audit::record(tx, actor, ENTITY, Some(id), "create", None, after.as_ref()).await?;
    Ok(id)
}

/// Stores a draft's terms. False when the version moved or it is no longer a draft.
pub async fn save_terms(tx: &mut Tx, actor: &Actor, id: i64, version: i64, t: &Terms, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE contracts SET title = $1, rights_obligations = $2, payment_terms = $3, delivery_date = $4, \
             breach_liability = $5, amount_minor = $6, version = version + 1, updated_at = $7, updated_by = $8 \
             WHERE id = $9 AND version = $10 AND status = 'draft'",
            args![
                t.title.clone(),
                t.rights_obligations.clone(),
                t.payment_terms.clone(),
                t.delivery_date,
                t.breach_liability.clone(),
                t.amount_minor(),
                now,
                actor.user_id,
                id,
                version
            ],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    tx.execute("DELETE FROM contract_lines WHERE contract_id = $1", args![id]).await?;
    tx.execute("DELETE FROM contract_instalments WHERE contract_id = $1", args![id]).await?;
    insert_lines(tx, id, &t.lines).await?;
    insert_instalments(tx, id, &t.instalments).await?;
    let after = audit_view(tx, id).await?;
    audit::record(tx, actor, ENTITY, Some(id), "update", before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

/// Closes the open My-work tasks of these sources.
async fn close_tasks(tx: &mut Tx, source: &str, ids_sql: &str, mut ids_args: Vec<Arg>, by: Option<i64>, now: DateTime<Utc>) -> DbResult<u64> {
    let n = ids_args.len();
    let mut a = ids_args.drain(..).collect::<Vec<_>>();
    a.push(Arg::Time(now));
    a.push(Arg::OptI64(by));
    a.push(Arg::Str(source.to_string()));
    tx.execute(
        &format!(
            "UPDATE inbox_items SET done_at = ${t}, done_by = ${b}, version = version + 1, updated_at = ${t}, updated_by = ${b} \
             WHERE source_entity = ${s} AND source_id IN ({ids_sql}) AND done_at IS NULL",
            t = n + 1,
            b = n + 2,
            s = n + 3
        ),
        a,
    )
    .await
}

async fn notify_owner(tx: &mut Tx, c: &Contract, title: K, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    inbox_insert(
        tx,
        NewItem {
            user_id: Some(c.owner_id),
            department_id: None,
            kind: "notification",
            title,
            params: vec![("number".into(), c.number.clone()), ("title".into(), c.title.clone())],
            link: format!("/sales/contracts/{}", c.id),
            due_at: None,
            source_entity: ENTITY,
            source_id: Some(c.id),
        },
        by,
        now,
    )
    .await?;
    Ok(())
}

async fn freeze(tx: &mut Tx, actor: &Actor, id: i64, now: DateTime<Utc>) -> DbResult<Option<(Contract, Snapshot)>> {
    let Some(c) = contract_tx(tx, id).await? else { return Ok(None) };
    let lines = lines_tx(tx, id).await?;
    let inst = instalments_tx(tx, id).await?;
    let snap = Snapshot::of(&c, &lines, &inst);
    let text = serde_json::to_string(&snap).unwrap_or_default();
    tx.execute(
        "INSERT INTO contract_versions (contract_id, revision, snapshot_json, created_at, created_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (contract_id, revision) DO UPDATE SET snapshot_json = excluded.snapshot_json",
        args![id, c.revision, text, now, actor.user_id],
    )
    .await?;
    Ok(Some((c, snap)))
}

/// 2.2.3-c: submission freezes the revision and starts one review per
/// configured department, each a task in that department's My work, flagged
/// when the customer's credit limit would be exceeded. False on a stale version.
pub async fn submit(tx: &mut Tx, actor: &Actor, id: i64, version: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE contracts SET status = 'in_review', review_round = review_round + 1, submitted_at = $1, approved_at = NULL, \
             version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4 AND status = 'draft'",
            args![now, actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let Some((c, _)) = freeze(tx, actor, id, now).await? else { return Ok(false) };
    let (limit, open): (Option<i64>, i64) = tx
        .fetch_one(
            "SELECT cu.credit_limit_minor, (SELECT CAST(COALESCE(SUM(r.amount_minor - r.paid_minor), 0) AS BIGINT) FROM receivables r \
             WHERE r.customer_id = cu.id AND r.status = 'open' AND r.contract_id <> $2) FROM customers cu WHERE cu.id = $1",
            args![c.customer_id, id],
        )
        .await?;
    let flagged = over_credit_limit(c.amount_minor, open, limit);
    let depts = crate::settings::store::department_ids_tx(tx, crate::settings::REVIEW_DEPARTMENTS).await?;
    // One row per configured department (a handful, from the settings).
    for dept in depts {
        let rid: i64 = tx
            .scalar(
                "INSERT INTO contract_reviews (contract_id, revision, review_round, department_id, status, over_credit_limit, version, \
                 created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, 'pending', $5, 1, $6, $7, $6, $7) RETURNING id",
                args![id, c.revision, c.review_round, dept, flagged, now, actor.user_id],
            )
            .await?;
        inbox_insert(
            tx,
            NewItem {
                user_id: None,
                department_id: Some(dept),
                kind: "task",
                title: if flagged { K::ContractsInboxReviewCredit } else { K::ContractsInboxReview },
                params: vec![("number".into(), c.number.clone()), ("title".into(), c.title.clone())],
                link: format!("/sales/contracts/{id}"),
                due_at: None,
                source_entity: REVIEW_SOURCE,
                source_id: Some(rid),
            },
            actor.user_id,
            now,
        )
        .await?;
    }
    let mut after = audit_view(tx, id).await?;
    if let Some(serde_json::Value::Object(m)) = after.as_mut() {
        m.insert("over_credit_limit".into(), json!(flagged));
    }
    audit::record(tx, actor, ENTITY, Some(id), "submit_review", before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

pub enum Decision {
    Approve,
    Reject,
}

/// What a decision led to.
#[derive(Debug, PartialEq)]
pub enum Decided {
    Stale,
    Recorded(RoundOutcome),
}

/// 2.2.3-c: one department's decision. A rejection withdraws the other pending
/// reviews and returns the contract to draft; the last approval approves it.
pub async fn decide(
    tx: &mut Tx,
    actor: &Actor,
    contract_id: i64,
    review: &Review,
    decision: Decision,
    comment: &str,
    now: DateTime<Utc>,
) -> DbResult<Decided> {
    let status = match decision {
        Decision::Approve => ReviewStatus::Approved,
        Decision::Reject => ReviewStatus::Rejected,
    };
    let n = tx
        .execute(
            "UPDATE contract_reviews SET status = $1, reviewer_id = $2, comment = $3, decided_at = $4, version = version + 1, \
             updated_at = $4, updated_by = $2 WHERE id = $5 AND version = $6 AND status = 'pending'",
            args![status.code(), actor.user_id, comment, now, review.id, review.version],
        )
        .await?;
    if n == 0 {
        return Ok(Decided::Stale);
    }
    close_tasks(tx, REVIEW_SOURCE, "$1", args![review.id], actor.user_id, now).await?;
    let statuses: Vec<(String,)> = tx
        .fetch_all(
            "SELECT status FROM contract_reviews WHERE contract_id = $1 AND revision = $2 AND review_round = $3",
            args![contract_id, review.revision, review.review_round],
        )
        .await?;
    let statuses: Vec<ReviewStatus> = statuses.iter().filter_map(|s| ReviewStatus::parse(&s.0)).collect();
    let outcome = round_outcome(&statuses);
    let before = audit_view(tx, contract_id).await?;
    let action = match decision {
        Decision::Approve => "approve_review",
        Decision::Reject => "reject_review",
    };
    let detail = json!({"review_id": review.id, "department": review.department_zh, "department_en": review.department_en,
        "decision": status.code(), "comment": comment, "revision": review.revision, "review_round": review.review_round});
    match outcome {
        RoundOutcome::Rejected => {
            tx.execute(
                "UPDATE contract_reviews SET status = 'withdrawn', version = version + 1, updated_at = $1, updated_by = $2 \
                 WHERE contract_id = $3 AND revision = $4 AND review_round = $5 AND status = 'pending'",
                args![now, actor.user_id, contract_id, review.revision, review.review_round],
            )
            .await?;
            close_tasks(
                tx,
                REVIEW_SOURCE,
                "SELECT id FROM contract_reviews WHERE contract_id = $1 AND revision = $2 AND review_round = $3",
                args![contract_id, review.revision, review.review_round],
                actor.user_id,
                now,
            )
            .await?;
            tx.execute(
                "UPDATE contracts SET status = 'draft', version = version + 1, updated_at = $1, updated_by = $2 \
                 WHERE id = $3 AND status = 'in_review'",
                args![now, actor.user_id, contract_id],
            )
            .await?;
            if let Some(c) = contract_tx(tx, contract_id).await? {
                notify_owner(tx, &c, K::ContractsInboxRejected, actor.user_id, now).await?;
            }
        }
        RoundOutcome::Approved => {
            tx.execute(
                "UPDATE contracts SET status = 'approved', approved_at = $1, version = version + 1, updated_at = $1, updated_by = $2 \
                 WHERE id = $3 AND status = 'in_review'",
                args![now, actor.user_id, contract_id],
            )
            .await?;
            if let Some(c) = contract_tx(tx, contract_id).await? {
                notify_owner(tx, &c, K::ContractsInboxApproved, actor.user_id, now).await?;
            }
        }
        RoundOutcome::Pending => {}
    }
    let mut after = audit_view(tx, contract_id).await?;
    if let Some(serde_json::Value::Object(m)) = after.as_mut() {
        m.insert("review".into(), detail);
    }
    audit::record(tx, actor, ENTITY, Some(contract_id), action, before.as_ref(), after.as_ref()).await?;
    Ok(Decided::Recorded(outcome))
}

/// Reviews of the contract's current round that are not approved, and how many there are.
pub async fn current_round(tx: &mut Tx, c: &Contract) -> DbResult<(i64, i64)> {
    tx.fetch_one(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN status = 'approved' THEN 0 ELSE 1 END), 0) AS BIGINT) FROM contract_reviews \
         WHERE contract_id = $1 AND revision = $2 AND review_round = $3",
        args![c.id, c.revision, c.review_round],
    )
    .await
}

/// The user's signing authority: (limit, currency, active, id, version).
pub async fn authority_of_tx(tx: &mut Tx, user_id: i64) -> DbResult<Option<(i64, String, bool)>> {
    tx.fetch_optional("SELECT limit_minor, currency, active FROM signing_authorities WHERE user_id = $1", args![user_id]).await
}

pub async fn authority_of(db: &Db, user_id: i64) -> DbResult<Option<(i64, String, bool)>> {
    db.read().fetch_optional("SELECT limit_minor, currency, active FROM signing_authorities WHERE user_id = $1", args![user_id]).await
}

/// Signs (the caller checked the reviews and the authority): copies to the
/// distribution departments with acknowledgement tasks due in `ack_days`
/// working days (2.2.3-e), receivables from the schedule, the prospect becomes
/// a customer. False when the version moved or it is not approved.
pub async fn sign(tx: &mut Tx, actor: &Actor, id: i64, version: i64, signer_limit: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE contracts SET status = 'signed', signed_at = $1, signed_by = $2, signer_limit_minor = $3, version = version + 1, \
             updated_at = $1, updated_by = $2 WHERE id = $4 AND version = $5 AND status = 'approved'",
            args![now, actor.user_id, signer_limit, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let Some((c, snap)) = freeze(tx, actor, id, now).await? else { return Ok(false) };
    tx.execute(
        "UPDATE contract_versions SET signed_at = $1, signed_by = $2 WHERE contract_id = $3 AND revision = $4",
        args![now, actor.user_id, id, c.revision],
    )
    .await?;
    // 2.2.3-e: copies and acknowledgement tasks.
    let ack_days = crate::settings::store::int_tx(tx, crate::settings::ACK_WORKING_DAYS).await?.max(1) as u32;
    let deadline = crate::core::time::add_working_days(crate::core::time::company_today(now), ack_days);
    let due = crate::core::time::company_midnight(deadline + Duration::days(1));
    let depts = crate::settings::store::department_ids_tx(tx, crate::settings::DISTRIBUTION_DEPARTMENTS).await?;
    for dept in depts {
        let cid: i64 = tx
            .scalar(
                "INSERT INTO contract_copies (contract_id, revision, department_id, sent_at, version) VALUES ($1, $2, $3, $4, 1) RETURNING id",
                args![id, c.revision, dept, now],
            )
            .await?;
        inbox_insert(
            tx,
            NewItem {
                user_id: None,
                department_id: Some(dept),
                kind: "task",
                title: K::ContractsInboxCopy,
                params: vec![("number".into(), c.number.clone()), ("title".into(), c.title.clone())],
                link: format!("/sales/contracts/{id}"),
                due_at: Some(due),
                source_entity: COPY_SOURCE,
                source_id: Some(cid),
            },
            actor.user_id,
            now,
        )
        .await?;
    }
    sync_receivables(tx, actor, &c, &snap.instalments, now).await?;
    // A prospect with a signed contract is a customer.
    let changed = tx
        .execute(
            "UPDATE customers SET status = 'customer', version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE id = $3 AND status = 'prospect'",
            args![now, actor.user_id, c.customer_id],
        )
        .await?;
    if changed > 0 {
        audit::record(tx, actor, "customer", Some(c.customer_id), "update", Some(&json!({"status": "prospect"})), Some(&json!({"status": "customer", "contract": c.number}))).await?;
    }
    notify_owner(tx, &c, K::ContractsInboxSigned, actor.user_id, now).await?;
    let after = audit_view(tx, id).await?;
    audit::record(tx, actor, ENTITY, Some(id), "sign_contract", before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

/// Receivables from the schedule: rows matched by seq are updated (never below
/// what was paid), new seqs inserted, removed unpaid ones cancelled.
async fn sync_receivables(tx: &mut Tx, actor: &Actor, c: &Contract, schedule: &[Instalment], now: DateTime<Utc>) -> DbResult<()> {
    let rows: Vec<(i64, i64, i64, String)> = tx
        .fetch_all("SELECT seq, amount_minor, paid_minor, status FROM receivables WHERE contract_id = $1", args![c.id])
        .await?;
    let existing: Vec<Receivable> =
        rows.into_iter().map(|(seq, amount_minor, paid_minor, status)| Receivable { seq, amount_minor, paid_minor, status }).collect();
    let plan = plan_receivables(&existing, schedule);
    if !plan.upserts.is_empty() {
        let mut values = Vec::new();
        let mut a: Vec<Arg> = Vec::new();
        for (seq, due, amount, status) in &plan.upserts {
            let n = a.len();
            values.push(format!(
                "(${}, ${}, ${}, ${}, ${}, 0, ${}, ${}, ${}, ${}, 1, ${}, ${}, ${}, ${})",
                n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8, n + 9, n + 10, n + 11, n + 10, n + 11
            ));
            a.extend(args![c.id, c.customer_id, *seq, *due, *amount, c.currency.clone(), *status, c.owner_id, c.department_id, now, actor.user_id]);
        }
        tx.execute(
            &format!(
                "INSERT INTO receivables (contract_id, customer_id, seq, due_date, amount_minor, paid_minor, currency, status, owner_id, \
                 department_id, version, created_at, created_by, updated_at, updated_by) VALUES {} \
                 ON CONFLICT (contract_id, seq) DO UPDATE SET due_date = excluded.due_date, amount_minor = excluded.amount_minor, \
                 status = excluded.status, owner_id = excluded.owner_id, department_id = excluded.department_id, \
                 version = receivables.version + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                values.join(", ")
            ),
            a,
        )
        .await?;
    }
    if !plan.cancel.is_empty() {
        let mut a = args![now, actor.user_id, c.id];
        let marks: Vec<String> = plan.cancel.iter().map(|s| {
            a.push(Arg::I64(*s));
            format!("${}", a.len())
        }).collect();
        tx.execute(
            &format!(
                "UPDATE receivables SET status = 'cancelled', version = version + 1, updated_at = $1, updated_by = $2 \
                 WHERE contract_id = $3 AND paid_minor = 0 AND seq IN ({})",
                marks.join(", ")
            ),
            a,
        )
        .await?;
    }
    audit::record(
        tx,
        actor,
        "receivable",
        Some(c.id),
        "sync_from_contract",
        Some(&json!({"contract": c.number, "before": existing.iter().map(|r| json!({"seq": r.seq, "amount_minor": r.amount_minor, "paid_minor": r.paid_minor, "status": r.status})).collect::<Vec<_>>()})),
        Some(&json!({"contract": c.number, "revision": c.revision, "upserts": plan.upserts.iter().map(|u| json!({"seq": u.0, "due_date": u.1, "amount_minor": u.2, "status": u.3})).collect::<Vec<_>>(), "cancelled": plan.cancel})),
    )
    .await?;
    Ok(())
}

/// The copy and its contract id.
pub async fn copy_tx(tx: &mut Tx, copy_id: i64) -> DbResult<Option<(i64, ContractCopy)>> {
    let c: Option<ContractCopy> = tx.fetch_optional(&format!("{COPIES} WHERE cc.id = $1"), args![copy_id]).await?;
    match c {
        Some(c) => {
            let cid: i64 = tx.scalar("SELECT contract_id FROM contract_copies WHERE id = $1", args![copy_id]).await?;
            Ok(Some((cid, c)))
        }
        None => Ok(None),
    }
}

/// 2.2.3-e: a receiving department acknowledges its copy (closes its task).
pub async fn acknowledge_copy(tx: &mut Tx, actor: &Actor, contract_id: i64, copy: &ContractCopy, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE contract_copies SET acknowledged_at = $1, acknowledged_by = $2, version = version + 1 \
             WHERE id = $3 AND version = $4 AND acknowledged_at IS NULL",
            args![now, actor.user_id, copy.id, copy.version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    close_tasks(tx, COPY_SOURCE, "$1", args![copy.id], actor.user_id, now).await?;
    audit::record(
        tx,
        actor,
        ENTITY,
        Some(contract_id),
        "acknowledge_copy",
        Some(&json!({"copy_id": copy.id, "department": copy.department_zh, "acknowledged_at": null})),
        Some(&json!({"copy_id": copy.id, "department": copy.department_zh, "department_en": copy.department_en, "revision": copy.revision, "acknowledged_at": now})),
    )
    .await?;
    Ok(true)
}

/// An amendment: the signed contract goes back to draft as the next revision;
/// the signed one stays in contract_versions.
pub async fn amend(tx: &mut Tx, actor: &Actor, id: i64, version: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let before = audit_view(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE contracts SET status = 'draft', revision = revision + 1, review_round = 0, submitted_at = NULL, approved_at = NULL, \
             signed_at = NULL, signed_by = NULL, signer_limit_minor = NULL, version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE id = $3 AND version = $4 AND status = 'signed'",
            args![now, actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = audit_view(tx, id).await?;
    audit::record(tx, actor, ENTITY, Some(id), "amend_contract", before.as_ref(), after.as_ref()).await?;
    Ok(true)
}

// ----- signing authorities (2.2.3-d) -----

const AUTH_SELECT: &str = "SELECT sa.id, sa.user_id, u.display_name AS user_name, u.username, sa.limit_minor, sa.currency, \
    sa.active, sa.version FROM signing_authorities sa JOIN users u ON u.id = sa.user_id";

pub async fn authorities(db: &Db) -> DbResult<Vec<SigningAuthority>> {
    db.read().fetch_all(&format!("{AUTH_SELECT} ORDER BY sa.active DESC, sa.limit_minor DESC, sa.id"), vec![]).await
}

pub async fn authority_tx(tx: &mut Tx, id: i64) -> DbResult<Option<SigningAuthority>> {
    tx.fetch_optional(&format!("{AUTH_SELECT} WHERE sa.id = $1"), args![id]).await
}

pub async fn insert_authority(tx: &mut Tx, actor: &Actor, user_id: i64, limit_minor: i64, currency: &str, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO signing_authorities (user_id, limit_minor, currency, active, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6) RETURNING id",
            args![user_id, limit_minor, currency, true, now, actor.user_id],
        )
        .await?;
    let after = authority_tx(tx, id).await?;
    audit::record(tx, actor, "signing_authority", Some(id), "create", None, after.map(|a| json!(a)).as_ref()).await?;
    Ok(id)
}

pub async fn update_authority(tx: &mut Tx, actor: &Actor, id: i64, version: i64, limit_minor: i64, active: bool, now: DateTime<Utc>) -> DbResult<bool> {
    let before = authority_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE signing_authorities SET limit_minor = $1, active = $2, version = version + 1, updated_at = $3, updated_by = $4 \
             WHERE id = $5 AND version = $6",
            args![limit_minor, active, now, actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = authority_tx(tx, id).await?;
    let action = match (before.as_ref().map(|b| b.active), active) {
        (Some(true), false) => "deactivate",
        (Some(false), true) => "reactivate",
        _ => "update",
    };
    audit::record(tx, actor, "signing_authority", Some(id), action, before.map(|a| json!(a)).as_ref(), after.map(|a| json!(a)).as_ref()).await?;
    Ok(true)
}

/// Active people without an authority yet (for the add form).
pub async fn people_without_authority(db: &Db) -> DbResult<Vec<(i64, String)>> {
    db.read()
        .fetch_all(
            "SELECT u.id, u.display_name FROM users u WHERE u.active = $1 AND NOT EXISTS \
             (SELECT 1 FROM signing_authorities sa WHERE sa.user_id = u.id) ORDER BY u.display_name, u.id",
            args![true],
        )
        .await
}

/// The date a copy must be acknowledged by.
pub fn ack_deadline(sent_at: DateTime<Utc>, ack_days: i64) -> NaiveDate {
    crate::core::time::add_working_days(crate::core::time::company_date(sent_at), ack_days.max(1) as u32)
}
