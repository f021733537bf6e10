//! SQL for orders, customer updates, exceptions, receivables and payments.
//! Dates are bound from Rust (no date arithmetic in SQL); every change writes its
//! audit entry in the caller's transaction.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Backend, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::{Page, decode_cursor, encode_cursor, where_clause};
use crate::core::perm::{Viewer, visibility_sql};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// Departments that execute orders and so see all of them (2.2.4-a: coordinate departments).
pub const EXECUTING_DEPARTMENTS: [&str; 2] = ["production", "logistics"];
/// The department that keeps the receivables and records payments.
pub const FINANCE_DEPARTMENT: &str = "finance";

/// The code of the viewer's department ("" if unknown).
pub async fn department_code(db: &Db, department_id: i64) -> DbResult<String> {
    let r: Option<(String,)> = db.read().fetch_optional("SELECT code FROM departments WHERE id = $1", args![department_id]).await?;
    Ok(r.map(|r| r.0).unwrap_or_default())
}

/// Who may see which orders: owner/department/shares as everywhere, and all of
/// them for production and logistics (they execute orders) and executives.
pub fn order_scope(backend: Backend, viewer: &Viewer, dept_code: &str, first: usize) -> (String, Vec<Arg>) {
    if EXECUTING_DEPARTMENTS.contains(&dept_code) {
        return ("1 = 1".into(), vec![]);
    }
    visibility_sql(backend, viewer, "order", "o.id", "o.owner_id", "o.department_id", first)
}

/// Receivables: owner/department/shares, all for finance and executives.
pub fn receivable_scope(backend: Backend, viewer: &Viewer, dept_code: &str, first: usize) -> (String, Vec<Arg>) {
    if dept_code == FINANCE_DEPARTMENT {
        return ("1 = 1".into(), vec![]);
    }
    visibility_sql(backend, viewer, "receivable", "r.id", "r.owner_id", "r.department_id", first)
}

// ===== contracts (read only: they belong to the contracts part) =====

/// A signed contract the viewer may see, with its lines.
pub async fn signed_contract(db: &Db, viewer: &Viewer, id: i64) -> DbResult<Option<ContractForOrder>> {
    let (vis, mut va) = visibility_sql(db.backend(), viewer, "contract", "c.id", "c.owner_id", "c.department_id", 3);
    let mut a = args![id, "signed"];
    a.append(&mut va);
    let head: Option<ContractHead> = db
        .read()
        .fetch_optional(
            &format!(
                "SELECT c.id, c.number, c.title, c.customer_id, cu.name AS customer_name, c.delivery_date, c.owner_id, c.department_id \
                 FROM contracts c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1 AND c.status = $2 AND {vis}"
            ),
            a,
        )
        .await?;
    let Some(contract) = head else { return Ok(None) };
    let lines = db
        .read()
        .fetch_all(
            "SELECT id, position, description, unit, quantity FROM contract_lines WHERE contract_id = $1 ORDER BY position, id",
            args![id],
        )
        .await?;
    Ok(Some(ContractForOrder { contract, lines }))
}

/// Signed contracts the viewer may see, newest first (to start an order from).
pub async fn signed_contracts(db: &Db, viewer: &Viewer, limit: i64) -> DbResult<Vec<ContractHead>> {
    let (vis, mut va) = visibility_sql(db.backend(), viewer, "contract", "c.id", "c.owner_id", "c.department_id", 2);
    let mut a = args!["signed"];
    a.append(&mut va);
    db.read()
        .fetch_all(
            &format!(
                "SELECT c.id, c.number, c.title, c.customer_id, cu.name AS customer_name, c.delivery_date, c.owner_id, c.department_id \
                 FROM contracts c JOIN customers cu ON cu.id = c.customer_id WHERE c.status = $1 AND {vis} ORDER BY c.id DESC LIMIT {limit}"
            ),
            a,
        )
        .await
}

// ===== orders =====

const ORDER_SELECT: &str = "SELECT o.id, o.number, o.contract_id, c.number AS contract_number, o.customer_id, \
    cu.name AS customer_name, o.status, o.planned_ship_date, o.planned_delivery_date, o.actual_ship_date, \
    o.actual_delivery_date, o.on_time, o.in_full, o.last_customer_update_at, o.owner_id, u.display_name AS owner_name, \
    o.department_id, o.version, o.created_at \
    FROM orders o JOIN contracts c ON c.id = o.contract_id JOIN customers cu ON cu.id = o.customer_id \
    JOIN users u ON u.id = o.owner_id";

pub async fn order_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Order>> {
    tx.fetch_optional(&format!("{ORDER_SELECT} WHERE o.id = $1"), args![id]).await
}

/// The order if `viewer` may see it.
pub async fn visible_order(db: &Db, viewer: &Viewer, dept_code: &str, id: i64) -> DbResult<Option<Order>> {
    let (vis, mut va) = order_scope(db.backend(), viewer, dept_code, 2);
    let mut a = args![id];
    a.append(&mut va);
    db.read().fetch_optional(&format!("{ORDER_SELECT} WHERE o.id = $1 AND {vis}"), a).await
}

pub struct NewOrder {
    pub planned_ship_date: Option<NaiveDate>,
    pub planned_delivery_date: NaiveDate,
    /// Planned date per contract line (same order as `ContractForOrder::lines`).
    pub line_dates: Vec<NaiveDate>,
}

/// 2.2.4-a: an order from a signed contract, its lines copied from the contract's.
pub async fn create_order(tx: &mut Tx, actor: &Actor, c: &ContractForOrder, o: &NewOrder, now: DateTime<Utc>) -> DbResult<i64> {
    let year = crate::core::time::company_year(now);
    let number = crate::core::db::next_number(tx, "orders", "DD", year).await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO orders (number, contract_id, customer_id, status, planned_ship_date, planned_delivery_date, owner_id, \
             department_id, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9, $10) RETURNING id",
            args![
                number,
                c.contract.id,
                c.contract.customer_id,
                OrderStatus::Confirmed.code(),
                o.planned_ship_date,
                o.planned_delivery_date,
                c.contract.owner_id,
                c.contract.department_id,
                now,
                actor.user_id
            ],
        )
        .await?;
    if !c.lines.is_empty() {
        // One multi-row insert for all lines.
        let mut values = Vec::new();
        let mut a: Vec<Arg> = Vec::new();
        for (i, l) in c.lines.iter().enumerate() {
            let n = a.len();
            values.push(format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6));
            let date = o.line_dates.get(i).copied().unwrap_or(o.planned_delivery_date);
            a.extend(args![id, (i + 1) as i64, l.description.clone(), l.unit.clone(), l.quantity, date]);
        }
        tx.execute(
            &format!("INSERT INTO order_lines (order_id, position, description, unit, quantity, planned_date) VALUES {}", values.join(", ")),
            a,
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO order_status_changes (order_id, from_status, to_status, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)",
        args![id, Option::<String>::None, OrderStatus::Confirmed.code(), now, actor.user_id],
    )
    .await?;
    let after = order_tx(tx, id).await?;
    audit::record(tx, actor, "order", Some(id), "create", None, after.map(|x| json!(x)).as_ref()).await?;
    Ok(id)
}

#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub q: String,
    pub late: bool,
    pub mine: bool,
}

/// A page of orders the viewer may see, by planned delivery date then id.
pub async fn orders(
    db: &Db,
    viewer: &Viewer,
    dept_code: &str,
    f: &OrderFilter,
    today: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Page<Order>> {
    let mut conds: Vec<String> = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    let (vis, mut va) = order_scope(db.backend(), viewer, dept_code, 1);
    conds.push(vis);
    a.append(&mut va);
    if let Some(s) = &f.status {
        a.push(Arg::from(s.as_str()));
        conds.push(format!("o.status = ${}", a.len()));
    }
    let q = f.q.trim();
    if !q.is_empty() {
        a.push(Arg::from(format!("%{}%", q.to_lowercase())));
        conds.push(format!("(LOWER(o.number) LIKE ${n} OR LOWER(cu.name) LIKE ${n})", n = a.len()));
    }
    if f.late {
        // Late: planned delivery passed and not yet delivered.
        a.extend(args![today, OrderStatus::Confirmed.code(), OrderStatus::InProduction.code(), OrderStatus::Shipped.code()]);
        let n = a.len();
        conds.push(format!("o.planned_delivery_date < ${} AND o.status IN (${}, ${}, ${})", n - 3, n - 2, n - 1, n));
    }
    if f.mine {
        a.push(Arg::from(viewer.user_id));
        conds.push(format!("o.owner_id = ${}", a.len()));
    }
    let from = "FROM orders o JOIN customers cu ON cu.id = o.customer_id";
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) {from} {}", where_clause(&conds)), a.clone()).await?;
    if let Some((v, id)) = after.and_then(decode_cursor)
        && let Some(d) = parse_date(&v)
    {
        a.extend(args![d, id]);
        let n = a.len();
        conds.push(format!("(o.planned_delivery_date > ${a} OR (o.planned_delivery_date = ${a} AND o.id > ${b}))", a = n - 1, b = n));
    }
    let rows: Vec<Order> = db
        .read()
        .fetch_all(
            &format!("{ORDER_SELECT} {} ORDER BY o.planned_delivery_date, o.id LIMIT {}", where_clause(&conds), limit + 1),
            a,
        )
        .await?;
    Ok(crate::core::list::finish_page(rows, limit, total, |o| (o.planned_delivery_date.to_string(), o.id)))
}

pub async fn detail_parts(
    db: &Db,
    id: i64,
) -> DbResult<(Vec<OrderLine>, Vec<StatusChange>, Vec<CustomerUpdate>, Vec<OrderException>)> {
    let lines = db
        .read()
        .fetch_all(
            "SELECT id, position, description, unit, quantity, delivered_quantity, planned_date, actual_date \
             FROM order_lines WHERE order_id = $1 ORDER BY position, id",
            args![id],
        )
        .await?;
    let changes = db
        .read()
        .fetch_all(
            "SELECT s.id, s.from_status, s.to_status, s.changed_at, u.display_name AS changed_by_name \
             FROM order_status_changes s LEFT JOIN users u ON u.id = s.changed_by WHERE s.order_id = $1 ORDER BY s.id",
            args![id],
        )
        .await?;
    let updates = db
        .read()
        .fetch_all(
            "SELECT x.id, x.told_at, x.channel, x.content, u.display_name AS created_by_name \
             FROM order_updates x LEFT JOIN users u ON u.id = x.created_by WHERE x.order_id = $1 ORDER BY x.told_at DESC, x.id DESC",
            args![id],
        )
        .await?;
    let exceptions = db.read().fetch_all(&format!("{EXC_SELECT} WHERE e.order_id = $1 ORDER BY e.id DESC"), args![id]).await?;
    Ok((lines, changes, updates, exceptions))
}

async fn lines_tx(tx: &mut Tx, id: i64) -> DbResult<Vec<OrderLine>> {
    tx.fetch_all(
        "SELECT id, position, description, unit, quantity, delivered_quantity, planned_date, actual_date \
         FROM order_lines WHERE order_id = $1 ORDER BY position, id",
        args![id],
    )
    .await
}

/// What a status step records.
pub struct Step {
    pub to: OrderStatus,
    /// The actual ship date (to shipped) or delivery date (to delivered).
    pub date: Option<NaiveDate>,
    /// Delivered quantity per line, in line order (to delivered).
    pub delivered: Vec<i64>,
}

/// Moves the order one step (the caller checked the step). False on a stale version.
pub async fn advance(tx: &mut Tx, actor: &Actor, before: &Order, version: i64, step: &Step, now: DateTime<Utc>) -> DbResult<bool> {
    let from = before.status();
    let mut otif_now: Option<Otif> = None;
    if step.to == OrderStatus::Delivered {
        let lines = lines_tx(tx, before.id).await?;
        let date = step.date.unwrap_or_else(|| crate::core::time::company_today(now));
        let pairs: Vec<(i64, i64)> =
            lines.iter().enumerate().map(|(i, l)| (l.quantity, step.delivered.get(i).copied().unwrap_or(0))).collect();
        otif_now = Some(otif(before.planned_delivery_date, date, &pairs));
        if !lines.is_empty() {
            // One statement for all lines: delivered quantity by line id.
            let mut a: Vec<Arg> = Vec::new();
            let mut cases = String::new();
            for (l, (_, d)) in lines.iter().zip(pairs.iter()) {
                a.extend(args![l.id, *d]);
                cases.push_str(&format!(" WHEN ${} THEN ${}", a.len() - 1, a.len()));
            }
            a.extend(args![date, before.id]);
            let n = a.len();
            tx.execute(
                &format!(
                    "UPDATE order_lines SET delivered_quantity = CASE id{cases} ELSE delivered_quantity END, actual_date = ${} \
                     WHERE order_id = ${}",
                    n - 1,
                    n
                ),
                a,
            )
            .await?;
        }
    }
    let (ship, deliver) = match step.to {
        OrderStatus::Shipped => (step.date, None),
        OrderStatus::Delivered => (None, Some(step.date.unwrap_or_else(|| crate::core::time::company_today(now)))),
        _ => (None, None),
    };
    // On-time-in-full is set once, at delivery (booleans always bound, never literals).
    let mut a: Vec<Arg> = vec![
        Arg::from(step.to.code()),
        Arg::from(ship),
        Arg::from(deliver),
        Arg::from(now),
        Arg::from(actor.user_id),
        Arg::from(before.id),
        Arg::from(version),
        Arg::from(from.code()),
    ];
    let otif_set = match otif_now {
        Some(o) => {
            a.push(Arg::Bool(o.on_time));
            a.push(Arg::Bool(o.in_full));
            ", on_time = $9, in_full = $10"
        }
        None => "",
    };
    let n = tx
        .execute(
            &format!(
                "UPDATE orders SET status = $1, actual_ship_date = COALESCE($2, actual_ship_date), \
                 actual_delivery_date = COALESCE($3, actual_delivery_date){otif_set}, version = version + 1, \
                 updated_at = $4, updated_by = $5 WHERE id = $6 AND version = $7 AND status = $8"
            ),
            a,
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO order_status_changes (order_id, from_status, to_status, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)",
        args![before.id, Some(from.code()), step.to.code(), now, actor.user_id],
    )
    .await?;
    let after = order_tx(tx, before.id).await?;
    let mut after_json = after.map(|x| json!(x));
    if step.to == OrderStatus::Delivered
        && let Some(obj) = after_json.as_mut().and_then(|v| v.as_object_mut())
    {
        obj.insert("delivered".into(), json!(step.delivered));
    }
    audit::record(tx, actor, "order", Some(before.id), "order_step", Some(&json!(before)), after_json.as_ref()).await?;
    Ok(true)
}

/// 2.2.4-b: what the customer was told; the order remembers the latest.
pub async fn add_update(
    tx: &mut Tx,
    actor: &Actor,
    order_id: i64,
    told_at: DateTime<Utc>,
    channel: &str,
    content: &str,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO order_updates (order_id, told_at, channel, content, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![order_id, told_at, channel, content, now, actor.user_id],
        )
        .await?;
    // Not a user edit of the order: no version check, but the version moves so
    // open forms notice.
    tx.execute(
        "UPDATE orders SET last_customer_update_at = $1, version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE id = $4 AND (last_customer_update_at IS NULL OR last_customer_update_at < $1)",
        args![told_at, now, actor.user_id, order_id],
    )
    .await?;
    audit::record(
        tx,
        actor,
        "order_update",
        Some(id),
        "create",
        None,
        Some(&json!({"order_id": order_id, "told_at": told_at, "channel": channel, "content": content})),
    )
    .await?;
    Ok(id)
}

// ===== exceptions (2.2.4-c) =====

const EXC_SELECT: &str = "SELECT e.id, e.order_id, e.kind, e.description, e.cause, e.measures, e.status, e.owner_id, \
    ow.display_name AS owner_name, e.leader_id, ld.display_name AS leader_name, e.reported_at, e.analysed_at, e.resolved_at, e.version \
    FROM order_exceptions e JOIN users ow ON ow.id = e.owner_id LEFT JOIN users ld ON ld.id = e.leader_id";

pub async fn exception(db: &Db, id: i64) -> DbResult<Option<OrderException>> {
    db.read().fetch_optional(&format!("{EXC_SELECT} WHERE e.id = $1"), args![id]).await
}

pub async fn exception_tx(tx: &mut Tx, id: i64) -> DbResult<Option<OrderException>> {
    tx.fetch_optional(&format!("{EXC_SELECT} WHERE e.id = $1"), args![id]).await
}

/// The leader an exception is reported to: the order owner's supervisor if
/// active, otherwise the active manager of the order's department.
pub async fn responsible_leader(tx: &mut Tx, owner_id: i64, department_id: i64) -> DbResult<Option<i64>> {
    tx.scalar(
        "SELECT COALESCE(\
           (SELECT s.id FROM users o JOIN users s ON s.id = o.supervisor_id WHERE o.id = $1 AND s.active = $3), \
           (SELECT m.id FROM users m WHERE m.department_id = $2 AND m.role = $4 AND m.active = $3 ORDER BY m.id LIMIT 1))",
        args![owner_id, department_id, true, "manager"],
    )
    .await
}

pub struct NewException {
    pub kind: String,
    pub description: String,
    pub cause: String,
    pub measures: String,
}

/// Records an exception and puts a task in the responsible leader's My work at once.
pub async fn report_exception(
    tx: &mut Tx,
    actor: &Actor,
    order: &Order,
    e: &NewException,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let owner = actor.user_id.unwrap_or(order.owner_id);
    let leader = responsible_leader(tx, order.owner_id, order.department_id).await?;
    let analysed = is_analysed(&e.cause, &e.measures).then_some(now);
    let id: i64 = tx
        .scalar(
            "INSERT INTO order_exceptions (order_id, kind, description, cause, measures, status, owner_id, leader_id, reported_at, \
             analysed_at, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $9, $11, $9, $11) RETURNING id",
            args![order.id, e.kind.clone(), e.description.clone(), e.cause.trim(), e.measures.trim(), "open", owner, leader, now, analysed, actor.user_id],
        )
        .await?;
    if let Some(leader) = leader {
        // 2.2.4-c: report to the responsible leader.
        crate::inbox::store::insert(
            tx,
            crate::inbox::store::NewItem {
                user_id: Some(leader),
                department_id: None,
                kind: "task",
                title: K::OrdersExcTaskTitle,
                params: vec![("number".into(), order.number.clone()), ("customer".into(), order.customer_name.clone())],
                link: format!("/sales/orders/{}", order.id),
                due_at: Some(deadline),
                source_entity: "order_exception",
                source_id: Some(id),
            },
            actor.user_id,
            now,
        )
        .await?;
    }
    let after = exception_tx(tx, id).await?;
    audit::record(tx, actor, "order_exception", Some(id), "create", None, after.map(|x| json!(x)).as_ref()).await?;
    Ok(id)
}

/// Cause, measures and status of an exception. False on a stale version.
#[allow(clippy::too_many_arguments)]
pub async fn update_exception(
    tx: &mut Tx,
    actor: &Actor,
    before: &OrderException,
    version: i64,
    cause: &str,
    measures: &str,
    status: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    // 2.2.4-c: recording both a cause and measures marks it analysed.
    let analysed = before.analysed_at.or(is_analysed(cause, measures).then_some(now));
    let resolved = if status == "resolved" { before.resolved_at.or(Some(now)) } else { None };
    let n = tx
        .execute(
            "UPDATE order_exceptions SET cause = $1, measures = $2, status = $3, analysed_at = $4, resolved_at = $5, \
             version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8 AND version = $9",
            args![cause.trim(), measures.trim(), status, analysed, resolved, now, actor.user_id, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    if status == "resolved" {
        // The leader's task is done once the exception is resolved.
        tx.execute(
            "UPDATE inbox_items SET done_at = $1, done_by = $2, version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
            args![now, actor.user_id, "order_exception", before.id],
        )
        .await?;
    }
    let after = exception_tx(tx, before.id).await?;
    audit::record(tx, actor, "order_exception", Some(before.id), "update", Some(&json!(before)), after.map(|x| json!(x)).as_ref()).await?;
    Ok(true)
}

// ===== receivables =====

const RECV_SELECT: &str = "SELECT r.id, r.contract_id, c.number AS contract_number, r.customer_id, cu.name AS customer_name, \
    r.seq, r.due_date, r.amount_minor, r.paid_minor, r.currency, r.status, r.owner_id, r.department_id, r.version \
    FROM receivables r JOIN contracts c ON c.id = r.contract_id JOIN customers cu ON cu.id = r.customer_id";

pub async fn receivable_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Receivable>> {
    tx.fetch_optional(&format!("{RECV_SELECT} WHERE r.id = $1"), args![id]).await
}

pub async fn visible_receivable(db: &Db, viewer: &Viewer, dept_code: &str, id: i64) -> DbResult<Option<Receivable>> {
    let (vis, mut va) = receivable_scope(db.backend(), viewer, dept_code, 2);
    let mut a = args![id];
    a.append(&mut va);
    db.read().fetch_optional(&format!("{RECV_SELECT} WHERE r.id = $1 AND {vis}"), a).await
}

pub async fn payments(db: &Db, receivable_id: i64) -> DbResult<Vec<Payment>> {
    db.read()
        .fetch_all(
            "SELECT p.id, p.paid_on, p.amount_minor, p.method, p.reference, u.display_name AS created_by_name, p.created_at \
             FROM payments p LEFT JOIN users u ON u.id = p.created_by WHERE p.receivable_id = $1 ORDER BY p.paid_on, p.id",
            args![receivable_id],
        )
        .await
}

#[derive(Clone, Debug, Default)]
pub struct ReceivableFilter {
    pub q: String,
    pub bucket: Option<Bucket>,
}

/// Open receivables the viewer may see, oldest due first.
pub async fn receivables(
    db: &Db,
    viewer: &Viewer,
    dept_code: &str,
    f: &ReceivableFilter,
    today: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Page<Receivable>> {
    let mut a: Vec<Arg> = args!["open"];
    let mut conds = vec!["r.status = $1".to_string()];
    let (vis, mut va) = receivable_scope(db.backend(), viewer, dept_code, 2);
    conds.push(vis);
    a.append(&mut va);
    let q = f.q.trim();
    if !q.is_empty() {
        a.push(Arg::from(format!("%{}%", q.to_lowercase())));
        conds.push(format!("LOWER(cu.name) LIKE ${}", a.len()));
    }
    if let Some(b) = f.bucket {
        let (from, to) = b.due_range(today);
        if let Some(from) = from {
            a.push(Arg::from(from));
            conds.push(format!("r.due_date >= ${}", a.len()));
        }
        if let Some(to) = to {
            a.push(Arg::from(to));
            conds.push(format!("r.due_date <= ${}", a.len()));
        }
    }
    let from = "FROM receivables r JOIN customers cu ON cu.id = r.customer_id";
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) {from} {}", where_clause(&conds)), a.clone()).await?;
    if let Some((v, id)) = after.and_then(decode_cursor)
        && let Some(d) = parse_date(&v)
    {
        a.extend(args![d, id]);
        let n = a.len();
        conds.push(format!("(r.due_date > ${a} OR (r.due_date = ${a} AND r.id > ${b}))", a = n - 1, b = n));
    }
    let rows: Vec<Receivable> = db
        .read()
        .fetch_all(&format!("{RECV_SELECT} {} ORDER BY r.due_date, r.id LIMIT {}", where_clause(&conds), limit + 1), a)
        .await?;
    Ok(crate::core::list::finish_page(rows, limit, total, |r| (r.due_date.to_string(), r.id)))
}

pub fn cursor_for(date: NaiveDate, id: i64) -> String {
    encode_cursor(&date.to_string(), id)
}

/// Ageing of open receivables per bucket, in SQL with the cutoffs bound from Rust:
/// totals per currency and the `top` customers by outstanding amount.
pub async fn ageing(db: &Db, viewer: &Viewer, dept_code: &str, today: NaiveDate, top: i64) -> DbResult<Ageing> {
    let c = cutoffs(today);
    let (vis, va) = receivable_scope(db.backend(), viewer, dept_code, 6);
    let mut a: Vec<Arg> = args![c[0], c[1], c[2], c[3], "open"];
    a.extend(va);
    let out = "(r.amount_minor - r.paid_minor)";
    let sums = format!(
        "CAST(COALESCE(SUM(CASE WHEN r.due_date >= $1 THEN {out} ELSE 0 END), 0) AS BIGINT) AS not_due, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $1 AND r.due_date >= $2 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d1_30, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $2 AND r.due_date >= $3 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d31_60, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $3 AND r.due_date >= $4 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d61_90, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $4 THEN {out} ELSE 0 END), 0) AS BIGINT) AS over_90, \
         CAST(COALESCE(SUM({out}), 0) AS BIGINT) AS total"
    );
    let from = format!("FROM receivables r JOIN customers cu ON cu.id = r.customer_id WHERE r.status = $5 AND {vis}");
    let totals: Vec<AgeingRow> = db
        .read()
        .fetch_all(
            &format!("SELECT CAST(0 AS BIGINT) AS customer_id, CAST('' AS TEXT) AS customer_name, r.currency, {sums} {from} GROUP BY r.currency ORDER BY r.currency"),
            a.clone(),
        )
        .await?;
    let customers: Vec<AgeingRow> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT r.customer_id, cu.name AS customer_name, r.currency, {sums} {from} \
                 GROUP BY r.customer_id, cu.name, r.currency ORDER BY total DESC, r.customer_id LIMIT {top}"
            ),
            a,
        )
        .await?;
    Ok(Ageing { today, totals, customers })
}

pub struct NewPayment {
    pub paid_on: NaiveDate,
    pub amount_minor: i64,
    pub method: String,
    pub reference: String,
}

/// Records a payment; the receivable is paid once nothing is outstanding. False
/// on a stale version. The caller checked the amount against what is outstanding.
pub async fn record_payment(tx: &mut Tx, actor: &Actor, before: &Receivable, version: i64, p: &NewPayment, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE receivables SET paid_minor = paid_minor + $1, \
             status = CASE WHEN paid_minor + $1 >= amount_minor THEN $2 ELSE status END, \
             version = version + 1, updated_at = $3, updated_by = $4 \
             WHERE id = $5 AND version = $6 AND status = $7 AND paid_minor + $1 <= amount_minor",
            args![p.amount_minor, "paid", now, actor.user_id, before.id, version, "open"],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let pid: i64 = tx
        .scalar(
            "INSERT INTO payments (receivable_id, paid_on, amount_minor, method, reference, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            args![before.id, p.paid_on, p.amount_minor, p.method.clone(), p.reference.clone(), now, actor.user_id],
        )
        .await?;
    let after = receivable_tx(tx, before.id).await?;
    let mut after_json = after.map(|x| json!(x));
    if let Some(obj) = after_json.as_mut().and_then(|v| v.as_object_mut()) {
        obj.insert(
            "payment".into(),
            json!({"id": pid, "paid_on": p.paid_on, "amount_minor": p.amount_minor, "method": p.method, "reference": p.reference}),
        );
    }
    audit::record(tx, actor, "receivable", Some(before.id), "record_payment", Some(&json!(before)), after_json.as_ref()).await?;
    Ok(true)
}
