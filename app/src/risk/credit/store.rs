//! SQL of credit risk (5.2-c): a customer's facts from receivables, payments
//! and contracts; credit evaluations and their approval (which writes the
//! customer's rating and limit); the receivables ageing with the provision;
//! customers over their limit. Dates are bound from Rust; sums are cast to
//! BIGINT (PostgreSQL's SUM of bigint is NUMERIC).
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::{Page, decode_cursor, encode_cursor, finish_page, where_clause};
use crate::core::perm::{Role, Viewer, visibility_sql};
use crate::inbox::store::NewItem;
use crate::risk::model::RISK_DEPARTMENT;
use crate::sales::orders::store::FINANCE_DEPARTMENT;
use crate::settings;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::json;

pub const ENTITY: &str = "credit_evaluation";
pub const PREFIX: &str = "XY";

/// Departments that see every customer's credit and ageing and may prepare
/// evaluations for any customer.
pub const CREDIT_DEPARTMENTS: [&str; 2] = [RISK_DEPARTMENT, FINANCE_DEPARTMENT];

/// Sees all customers' credit data: executives, admins, the risk and finance departments.
pub fn company_wide(viewer: &Viewer, dept_code: &str) -> bool {
    viewer.role.sees_everything() || CREDIT_DEPARTMENTS.contains(&dept_code)
}

// ---------- the customer and its facts ----------

const CUSTOMER: &str = "SELECT id, name, status, currency, owner_id, department_id, credit_limit_minor, credit_rating, \
    credit_evaluation_id, credit_evaluated_at, version FROM customers WHERE id = $1";

pub async fn customer(db: &Db, id: i64) -> DbResult<Option<CustomerCredit>> {
    db.read().fetch_optional(CUSTOMER, args![id]).await
}

pub async fn customer_tx(tx: &mut Tx, id: i64) -> DbResult<Option<CustomerCredit>> {
    tx.fetch_optional(CUSTOMER, args![id]).await
}

/// May the viewer see the customer's credit (and prepare an evaluation)?
/// Company-wide viewers all; anyone else the customers they may see in sales.
pub async fn may_see_customer(db: &Db, viewer: &Viewer, dept_code: &str, customer_id: i64) -> DbResult<bool> {
    if company_wide(viewer, dept_code) {
        return Ok(true);
    }
    crate::sales::customers::store::visible(db, viewer, customer_id).await
}

/// The customer's facts as of `now` (company date `today`).
pub async fn facts(db: &Db, customer_id: i64, now: DateTime<Utc>) -> DbResult<Facts> {
    let today = crate::core::time::company_today(now);
    let mut r = db.read();
    // Payments on settled receivables: how much arrived by the due date.
    let (paid, on_time): (i64, i64) = r
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(p.amount_minor), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN p.paid_on <= r.due_date THEN p.amount_minor ELSE 0 END), 0) AS BIGINT) \
             FROM payments p JOIN receivables r ON r.id = p.receivable_id WHERE r.customer_id = $1 AND r.status = $2",
            args![customer_id, "paid"],
        )
        .await?;
    let oldest: Option<(NaiveDate,)> = r
        .fetch_optional(
            "SELECT due_date FROM receivables WHERE customer_id = $1 AND status = $2 AND due_date < $3 ORDER BY due_date LIMIT 1",
            args![customer_id, "open", today],
        )
        .await?;
    let overdue: i64 = r
        .scalar(
            "SELECT CAST(COALESCE(SUM(amount_minor - paid_minor), 0) AS BIGINT) FROM receivables \
             WHERE customer_id = $1 AND status = $2 AND due_date < $3",
            args![customer_id, "open", today],
        )
        .await?;
    let volume: i64 = r
        .scalar(
            "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM contracts WHERE customer_id = $1 AND status = $2 AND signed_at >= $3",
            args![customer_id, "signed", now - Duration::days(365)],
        )
        .await?;
    let created: DateTime<Utc> = r.scalar("SELECT created_at FROM customers WHERE id = $1", args![customer_id]).await?;
    let first_signed: Option<(Option<DateTime<Utc>>,)> = r
        .fetch_optional(
            "SELECT signed_at FROM contracts WHERE customer_id = $1 AND signed_at IS NOT NULL ORDER BY signed_at LIMIT 1",
            args![customer_id],
        )
        .await?;
    let since = first_signed.and_then(|f| f.0).map_or(created, |f| f.min(created));
    Ok(Facts {
        on_time_bp: (paid > 0).then(|| on_time * 10_000 / paid),
        max_overdue_days: oldest.map(|o| (today - o.0).num_days()).unwrap_or(0),
        overdue_minor: overdue,
        volume_12m_minor: volume,
        years_as_customer: full_years(crate::core::time::company_date(since), today),
    })
}

/// Whole years from `from` to `to`.
pub fn full_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut y = (to.year() - from.year()) as i64;
    if (to.month(), to.day()) < (from.month(), from.day()) {
        y -= 1;
    }
    y.max(0)
}

// ---------- evaluations ----------

const EVAL: &str = "SELECT e.id, e.number, e.customer_id, cu.name AS customer_name, cu.currency, e.status, e.on_time_bp, \
    e.max_overdue_days, e.overdue_minor, e.volume_12m_minor, e.years_as_customer, e.financial_standing, e.management_quality, \
    e.industry_outlook, e.score, e.rating, e.suggested_limit_minor, e.proposed_limit_minor, e.approved_limit_minor, e.comments, \
    e.review_note, e.computed_at, e.submitted_at, e.reviewed_by, ru.display_name AS reviewer_name, e.reviewed_at, e.created_by, \
    pu.display_name AS preparer_name, e.created_at, e.version \
    FROM credit_evaluations e JOIN customers cu ON cu.id = e.customer_id \
    LEFT JOIN users ru ON ru.id = e.reviewed_by LEFT JOIN users pu ON pu.id = e.created_by";

pub async fn evaluation(db: &Db, id: i64) -> DbResult<Option<Evaluation>> {
    db.read().fetch_optional(&format!("{EVAL} WHERE e.id = $1"), args![id]).await
}

pub async fn evaluation_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Evaluation>> {
    tx.fetch_optional(&format!("{EVAL} WHERE e.id = $1"), args![id]).await
}

/// Every evaluation of a customer, newest first (its credit history).
pub async fn history(db: &Db, customer_id: i64) -> DbResult<Vec<Evaluation>> {
    db.read().fetch_all(&format!("{EVAL} WHERE e.customer_id = $1 ORDER BY e.id DESC"), args![customer_id]).await
}

/// The people who approve evaluations: active managers of the departments in
/// setting `risk.credit_approver_departments`, and executives.
pub async fn approver_ids_tx(tx: &mut Tx) -> DbResult<Vec<i64>> {
    let depts = settings::store::department_ids_tx(tx, settings::CREDIT_APPROVER_DEPARTMENTS).await?;
    let mut ids: Vec<i64> = tx
        .fetch_all::<(i64,)>("SELECT id FROM users WHERE role = 'executive' AND active = $1 ORDER BY id", args![true])
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect();
    for d in depts {
        let m: Vec<(i64,)> = tx
            .fetch_all("SELECT id FROM users WHERE role = 'manager' AND department_id = $1 AND active = $2 ORDER BY id", args![d, true])
            .await?;
        ids.extend(m.into_iter().map(|r| r.0));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Is the viewer's department one whose manager approves evaluations?
pub async fn in_approver_department(db: &Db, viewer: &Viewer) -> DbResult<bool> {
    let codes = settings::store::get(db, settings::CREDIT_APPROVER_DEPARTMENTS).await?;
    let code = crate::risk::store::department_code(db, viewer.department_id).await?;
    Ok(codes.split(',').any(|c| !c.is_empty() && c == code))
}

pub async fn in_approver_department_tx(tx: &mut Tx, viewer: &Viewer) -> DbResult<bool> {
    Ok(settings::store::department_ids_tx(tx, settings::CREDIT_APPROVER_DEPARTMENTS).await?.contains(&viewer.department_id))
}

/// May the viewer decide evaluations at all (an approver)?
pub fn approver(viewer: &Viewer, in_dept: bool) -> bool {
    viewer.role == Role::Executive || (viewer.role == Role::Manager && in_dept)
}

/// The evaluations the viewer may see, as a SQL condition on `e` and `cu`:
/// company-wide viewers and approvers all, others those of customers they see.
pub fn scope(db: &Db, viewer: &Viewer, dept_code: &str, is_approver: bool, first: usize) -> (String, Vec<Arg>) {
    if company_wide(viewer, dept_code) || is_approver {
        return ("1 = 1".into(), vec![]);
    }
    visibility_sql(db.backend(), viewer, crate::sales::customers::store::ENTITY, "cu.id", "cu.owner_id", "cu.department_id", first)
}

pub struct Draft {
    pub rated: Rated,
    pub comments: String,
    /// `None`: the suggested limit.
    pub proposed_limit_minor: Option<i64>,
}

fn snapshot(e: &Option<Evaluation>) -> Option<serde_json::Value> {
    e.as_ref().map(|e| json!(e))
}

/// A new draft for `customer_id`, scored from `facts`. Returns its id.
pub async fn insert(tx: &mut Tx, actor: &Actor, customer_id: i64, facts: &Facts, d: &Draft, now: DateTime<Utc>) -> DbResult<i64> {
    let s = score(facts, &d.rated);
    let number = crate::core::db::next_number(tx, "credit_evaluations", PREFIX, crate::core::time::company_year(now)).await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO credit_evaluations (number, customer_id, status, on_time_bp, max_overdue_days, overdue_minor, volume_12m_minor, \
             years_as_customer, financial_standing, management_quality, industry_outlook, score, rating, suggested_limit_minor, \
             proposed_limit_minor, comments, computed_at, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $16, $17, $16, $17) RETURNING id",
            args![
                number,
                customer_id,
                on_time_to_db(facts.on_time_bp),
                facts.max_overdue_days,
                facts.overdue_minor,
                facts.volume_12m_minor,
                facts.years_as_customer,
                d.rated.financial_standing,
                d.rated.management_quality,
                d.rated.industry_outlook,
                s.score,
                s.rating.code(),
                s.suggested_limit_minor,
                d.proposed_limit_minor.unwrap_or(s.suggested_limit_minor),
                d.comments.clone(),
                now,
                actor.user_id
            ],
        )
        .await?;
    let after = evaluation_tx(tx, id).await?;
    audit::record(tx, actor, ENTITY, Some(id), "create", None, snapshot(&after).as_ref()).await?;
    Ok(id)
}

/// Saves a draft (or a rejected evaluation being reworked) with fresh facts.
/// False on a stale version.
pub async fn update(tx: &mut Tx, actor: &Actor, before: &Evaluation, version: i64, facts: &Facts, d: &Draft, now: DateTime<Utc>) -> DbResult<bool> {
    let s = score(facts, &d.rated);
    let n = tx
        .execute(
            "UPDATE credit_evaluations SET on_time_bp = $1, max_overdue_days = $2, overdue_minor = $3, volume_12m_minor = $4, \
             years_as_customer = $5, financial_standing = $6, management_quality = $7, industry_outlook = $8, score = $9, rating = $10, \
             suggested_limit_minor = $11, proposed_limit_minor = $12, comments = $13, computed_at = $14, version = version + 1, \
             updated_at = $14, updated_by = $15 WHERE id = $16 AND version = $17 AND status IN ('draft', 'rejected')",
            args![
                on_time_to_db(facts.on_time_bp),
                facts.max_overdue_days,
                facts.overdue_minor,
                facts.volume_12m_minor,
                facts.years_as_customer,
                d.rated.financial_standing,
                d.rated.management_quality,
                d.rated.industry_outlook,
                s.score,
                s.rating.code(),
                s.suggested_limit_minor,
                d.proposed_limit_minor.unwrap_or(s.suggested_limit_minor),
                d.comments.clone(),
                now,
                actor.user_id,
                before.id,
                version
            ],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = evaluation_tx(tx, before.id).await?;
    audit::record(tx, actor, ENTITY, Some(before.id), "update", Some(&json!(before)), snapshot(&after).as_ref()).await?;
    Ok(true)
}

/// Submits for approval; each approver other than the preparer gets a task in
/// My work. False on a stale version.
pub async fn submit(tx: &mut Tx, actor: &Actor, before: &Evaluation, version: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE credit_evaluations SET status = 'submitted', submitted_at = $1, reviewed_by = NULL, reviewed_at = NULL, \
             version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4 AND status IN ('draft', 'rejected')",
            args![now, actor.user_id, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    for approver in approver_ids_tx(tx).await? {
        if Some(approver) == before.created_by {
            continue;
        }
        crate::inbox::store::insert(
            tx,
            NewItem {
                user_id: Some(approver),
                department_id: None,
                kind: "task",
                title: K::CreditTaskApprove,
                params: vec![("number".into(), before.number.clone()), ("customer".into(), before.customer_name.clone())],
                link: format!("/risks/credit/{}", before.id),
                due_at: Some(now + Duration::days(3)),
                source_entity: ENTITY,
                source_id: Some(before.id),
            },
            actor.user_id,
            now,
        )
        .await?;
    }
    let after = evaluation_tx(tx, before.id).await?;
    audit::record(tx, actor, ENTITY, Some(before.id), "credit_submit", Some(&json!(before)), snapshot(&after).as_ref()).await?;
    Ok(true)
}

/// Approves (with the limit granted) or rejects (with the reason). Approval
/// writes the customer's limit, rating and evaluation (audited as a customer
/// change too). The approvers' open tasks are closed. False on a stale version.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    tx: &mut Tx,
    actor: &Actor,
    before: &Evaluation,
    version: i64,
    approve: bool,
    limit_minor: i64,
    note: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let (status, approved) = if approve { ("approved", Some(limit_minor)) } else { ("rejected", None) };
    let n = tx
        .execute(
            "UPDATE credit_evaluations SET status = $1, approved_limit_minor = $2, review_note = $3, reviewed_by = $4, reviewed_at = $5, \
             version = version + 1, updated_at = $5, updated_by = $4 WHERE id = $6 AND version = $7 AND status = 'submitted'",
            args![status, approved, note, actor.user_id, now, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    if approve {
        let cb = customer_tx(tx, before.customer_id).await?;
        tx.execute(
            "UPDATE customers SET credit_limit_minor = $1, credit_rating = $2, credit_evaluation_id = $3, credit_evaluated_at = $4, \
             version = version + 1, updated_at = $4, updated_by = $5 WHERE id = $6",
            args![limit_minor, before.rating.clone(), before.id, now, actor.user_id, before.customer_id],
        )
        .await?;
        let ca = customer_tx(tx, before.customer_id).await?;
        audit::record(
            tx,
            actor,
            crate::sales::customers::store::ENTITY,
            Some(before.customer_id),
            "credit_evaluation",
            cb.as_ref().map(|c| json!(c)).as_ref(),
            ca.as_ref().map(|c| json!(c)).as_ref(),
        )
        .await?;
    }
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, actor.user_id, ENTITY, before.id],
    )
    .await?;
    // The preparer learns the outcome.
    if let Some(p) = before.created_by.filter(|p| Some(*p) != actor.user_id) {
        crate::inbox::store::insert(
            tx,
            NewItem {
                user_id: Some(p),
                department_id: None,
                kind: "notification",
                title: if approve { K::CreditNoticeApproved } else { K::CreditNoticeRejected },
                params: vec![("number".into(), before.number.clone()), ("customer".into(), before.customer_name.clone())],
                link: format!("/risks/credit/{}", before.id),
                due_at: None,
                source_entity: ENTITY,
                source_id: Some(before.id),
            },
            actor.user_id,
            now,
        )
        .await?;
    }
    let after = evaluation_tx(tx, before.id).await?;
    let action = if approve { "credit_approve" } else { "credit_reject" };
    audit::record(tx, actor, ENTITY, Some(before.id), action, Some(&json!(before)), snapshot(&after).as_ref()).await?;
    Ok(true)
}

const ROW: &str = "SELECT e.id, e.number, e.customer_id, cu.name AS customer_name, cu.currency, e.status, e.score, e.rating, \
    e.proposed_limit_minor, e.approved_limit_minor, pu.display_name AS preparer_name, e.created_by, e.updated_at \
    FROM credit_evaluations e JOIN customers cu ON cu.id = e.customer_id LEFT JOIN users pu ON pu.id = e.created_by";

/// The evaluations the viewer may see, newest first (keyset on id).
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    dept_code: &str,
    is_approver: bool,
    status: Option<EvalStatus>,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Page<EvalRow>> {
    let (vis, mut a) = scope(db, viewer, dept_code, is_approver, 1);
    let mut conds = vec![vis];
    if let Some(s) = status {
        a.push(Arg::from(s.code()));
        conds.push(format!("e.status = ${}", a.len()));
    }
    let total: i64 = db
        .read()
        .scalar(&format!("SELECT COUNT(*) FROM credit_evaluations e JOIN customers cu ON cu.id = e.customer_id {}", where_clause(&conds)), a.clone())
        .await?;
    if let Some((_, id)) = after.and_then(decode_cursor) {
        a.push(Arg::from(id));
        conds.push(format!("e.id < ${}", a.len()));
    }
    let rows: Vec<EvalRow> =
        db.read().fetch_all(&format!("{ROW} {} ORDER BY e.id DESC LIMIT {}", where_clause(&conds), limit + 1), a).await?;
    Ok(finish_page(rows, limit, total, |r| (String::new(), r.id)))
}

/// Submitted evaluations the viewer may decide (not their own).
pub async fn awaiting(db: &Db, viewer: &Viewer, is_approver: bool) -> DbResult<Vec<EvalRow>> {
    if !is_approver {
        return Ok(vec![]);
    }
    db.read()
        .fetch_all(
            &format!("{ROW} WHERE e.status = 'submitted' AND (e.created_by IS NULL OR e.created_by <> $1) ORDER BY e.submitted_at, e.id LIMIT 50"),
            args![viewer.user_id],
        )
        .await
}

/// Customers (status customer) the viewer may see with no approved evaluation
/// and none in progress: the first `limit` by name, and how many in all.
pub async fn unevaluated(db: &Db, viewer: &Viewer, dept_code: &str, limit: i64) -> DbResult<(Vec<Unevaluated>, i64)> {
    let (vis, a) = if company_wide(viewer, dept_code) {
        ("1 = 1".to_string(), vec![])
    } else {
        visibility_sql(db.backend(), viewer, crate::sales::customers::store::ENTITY, "cu.id", "cu.owner_id", "cu.department_id", 1)
    };
    let from = format!(
        "FROM customers cu JOIN users u ON u.id = cu.owner_id WHERE cu.status = 'customer' AND cu.credit_evaluation_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM credit_evaluations e WHERE e.customer_id = cu.id AND e.status IN ('draft', 'submitted')) AND {vis}"
    );
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) {from}"), a.clone()).await?;
    let rows = db
        .read()
        .fetch_all(
            &format!("SELECT cu.id, cu.name, u.display_name AS owner_name, cu.credit_limit_minor, cu.currency {from} ORDER BY cu.name, cu.id LIMIT {limit}"),
            a,
        )
        .await?;
    Ok((rows, total))
}

// ---------- ageing ----------

/// Receivables the viewer may see: company-wide viewers all (risk, finance,
/// executives), managers their department's, staff their own (and shared),
/// as the sales module scopes receivables.
pub fn ageing_scope(db: &Db, viewer: &Viewer, dept_code: &str, first: usize) -> (String, Vec<Arg>) {
    if company_wide(viewer, dept_code) {
        return ("1 = 1".into(), vec![]);
    }
    crate::sales::orders::store::receivable_scope(db.backend(), viewer, dept_code, first)
}

/// The five bucket sums over `r` with the cutoffs bound at `$1..$4`.
fn bucket_sums() -> String {
    let out = "(r.amount_minor - r.paid_minor)";
    format!(
        "CAST(COALESCE(SUM(CASE WHEN r.due_date >= $1 THEN {out} ELSE 0 END), 0) AS BIGINT) AS not_due, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $1 AND r.due_date >= $2 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d1_30, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $2 AND r.due_date >= $3 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d31_60, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $3 AND r.due_date >= $4 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d61_90, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $4 THEN {out} ELSE 0 END), 0) AS BIGINT) AS over_90, \
         CAST(COALESCE(SUM({out}), 0) AS BIGINT) AS total"
    )
}

/// The provision percentages in force, per bucket.
pub async fn provision_pct(db: &Db) -> DbResult<[i64; 5]> {
    let mut p = [0i64; 5];
    for (i, k) in [
        settings::PROVISION_CURRENT_PCT,
        settings::PROVISION_1_30_PCT,
        settings::PROVISION_31_60_PCT,
        settings::PROVISION_61_90_PCT,
        settings::PROVISION_OVER_90_PCT,
    ]
    .into_iter()
    .enumerate()
    {
        p[i] = settings::store::int(db, k).await?;
    }
    Ok(p)
}

/// Open receivables (amount − paid) by bucket on `today`: totals per currency
/// and one page of groups. Customers page by outstanding amount (largest
/// first; keyset on total and id over the groups); departments and owners are
/// few and come in one page.
pub async fn ageing(
    db: &Db,
    viewer: &Viewer,
    dept_code: &str,
    group: GroupBy,
    today: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> DbResult<AgeingReport> {
    let c = cutoffs(today);
    let (vis, va) = ageing_scope(db, viewer, dept_code, 6);
    let mut a: Vec<Arg> = args![c[0], c[1], c[2], c[3], "open"];
    a.extend(va);
    let sums = bucket_sums();
    let base = format!("FROM receivables r {{join}} WHERE r.status = $5 AND {vis}");
    let totals_sql = format!(
        "SELECT CAST(0 AS BIGINT) AS group_id, CAST('' AS TEXT) AS label, CAST('' AS TEXT) AS label_en, r.currency, {sums} {} \
         GROUP BY r.currency ORDER BY r.currency",
        base.replace("{join}", "")
    );
    let (key, label, label_en, join) = match group {
        GroupBy::Customer => ("r.customer_id", "cu.name", "cu.name", "JOIN customers cu ON cu.id = r.customer_id"),
        GroupBy::Department => ("r.department_id", "d.name_zh", "d.name_en", "JOIN departments d ON d.id = r.department_id"),
        GroupBy::Owner => ("r.owner_id", "u.display_name", "u.display_name", "JOIN users u ON u.id = r.owner_id"),
    };
    let from = base.replace("{join}", join);
    let grouped = format!("{from} GROUP BY {key}, {label}, {label_en}, r.currency");
    let count_sql = format!("SELECT COUNT(*) FROM (SELECT {key} {grouped}) g");
    let (totals_args, count_args) = (a.clone(), a.clone());
    let total_expr = "SUM(r.amount_minor - r.paid_minor)";
    let mut having = String::new();
    if group == GroupBy::Customer
        && let Some((v, id)) = after.and_then(decode_cursor)
        && let Ok(v) = v.parse::<i64>()
    {
        a.extend(args![v, id]);
        let n = a.len();
        having = format!(" HAVING ({total_expr} < ${x} OR ({total_expr} = ${x} AND {key} > ${y}))", x = n - 1, y = n);
    }
    let limit = if group == GroupBy::Customer { limit } else { 1_000 };
    let rows_sql = format!(
        "SELECT {key} AS group_id, {label} AS label, {label_en} AS label_en, r.currency, {sums} {grouped}{having} \
         ORDER BY total DESC, group_id LIMIT {}",
        limit + 1
    );
    // Each query reads every open receivable: they run at the same time on
    // separate connections.
    let (totals, count, rows, pct) = tokio::try_join!(
        async { db.read().fetch_all::<AgeingLine>(&totals_sql, totals_args).await },
        async { db.read().scalar::<i64>(&count_sql, count_args).await },
        async { db.read().fetch_all::<AgeingLine>(&rows_sql, a).await },
        provision_pct(db),
    )?;
    let page = finish_page(rows, limit, count, |r| (r.total.to_string(), r.group_id));
    Ok(AgeingReport { today, group, pct, totals, rows: page.rows, count, next: page.next })
}

pub fn ageing_cursor(total: i64, id: i64) -> String {
    encode_cursor(&total.to_string(), id)
}

// ---------- customers over their limit ----------

/// Customers whose open receivables exceed their credit limit, among the
/// receivables the viewer may see; largest excess first.
pub async fn breaches(db: &Db, viewer: &Viewer, dept_code: &str, limit: i64) -> DbResult<(Vec<Breach>, i64)> {
    let (vis, a) = ageing_scope(db, viewer, dept_code, 1);
    let from = format!(
        "FROM receivables r JOIN customers cu ON cu.id = r.customer_id WHERE r.status = 'open' AND cu.credit_limit_minor IS NOT NULL AND {vis} \
         GROUP BY cu.id, cu.name, cu.currency, cu.credit_limit_minor, cu.credit_rating, cu.credit_evaluation_id \
         HAVING SUM(r.amount_minor - r.paid_minor) > cu.credit_limit_minor"
    );
    let count_args = a.clone();
    let (count, rows) = tokio::try_join!(
        async { db.read().scalar::<i64>(&format!("SELECT COUNT(*) FROM (SELECT cu.id {from}) b"), count_args).await },
        async {
            db.read()
                .fetch_all::<Breach>(
                    &format!(
                        "SELECT cu.id AS customer_id, cu.name AS customer_name, cu.currency, cu.credit_limit_minor AS limit_minor, \
                         CAST(SUM(r.amount_minor - r.paid_minor) AS BIGINT) AS exposure_minor, cu.credit_rating AS rating, \
                         cu.credit_evaluation_id AS evaluation_id {from} \
                         ORDER BY SUM(r.amount_minor - r.paid_minor) - cu.credit_limit_minor DESC, cu.id LIMIT {limit}"
                    ),
                    a,
                )
                .await
        },
    )?;
    Ok((rows, count))
}

/// How many customers' open receivables exceed their credit limit, company-wide
/// (the key risk indicator "customers over their credit limit", 5.3-a).
pub async fn breach_count(db: &Db) -> DbResult<i64> {
    db.read()
        .scalar(
            "SELECT COUNT(*) FROM (SELECT cu.id FROM receivables r JOIN customers cu ON cu.id = r.customer_id \
             WHERE r.status = 'open' AND cu.credit_limit_minor IS NOT NULL \
             GROUP BY cu.id, cu.credit_limit_minor HAVING SUM(r.amount_minor - r.paid_minor) > cu.credit_limit_minor) b",
            vec![],
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(full_years(d(2020, 6, 15), d(2026, 6, 14)), 5);
        assert_eq!(full_years(d(2020, 6, 15), d(2026, 6, 15)), 6);
        assert_eq!(full_years(d(2027, 1, 1), d(2026, 6, 15)), 0);
    }
}
