//! SQL for customers, contacts and visits (2.2.1), and the read-only lists of a
//! customer's opportunities, contracts, orders and open receivables.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::list::{Dir, Page, decode_cursor, finish_page, where_clause};
use crate::core::perm::{RecordScope, Viewer, visibility_sql};
use crate::inbox::store::{NewItem, insert as inbox_insert};
use chrono::{DateTime, Duration, NaiveDate, Utc};

pub const ENTITY: &str = "customer";
pub const CONTACT_ENTITY: &str = "contact";
pub const VISIT_ENTITY: &str = "visit";

const CUSTOMER_SELECT: &str = "SELECT c.id, c.name, c.tax_id, c.phone, c.industry, c.region, c.size, c.source_channel, \
    c.source_detail, c.campaign_id, c.needs, c.preferences, c.intent, c.status, c.key_account, c.credit_limit_minor, \
    c.currency, c.address, c.owner_id, u.display_name AS owner_name, c.department_id, c.version, c.created_at, c.updated_at \
    FROM customers c JOIN users u ON u.id = c.owner_id";

pub async fn customer(db: &Db, id: i64) -> DbResult<Option<Customer>> {
    db.read().fetch_optional(&format!("{CUSTOMER_SELECT} WHERE c.id = $1"), args![id]).await
}

pub async fn customer_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Customer>> {
    tx.fetch_optional(&format!("{CUSTOMER_SELECT} WHERE c.id = $1"), args![id]).await
}

/// May `viewer` see customer `id` (own, shared, department, everything by role)?
pub async fn visible(db: &Db, viewer: &Viewer, id: i64) -> DbResult<bool> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, ENTITY, "c.id", "c.owner_id", "c.department_id", 2);
    let mut all = args![id];
    all.append(&mut a);
    let n: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM customers c WHERE c.id = $1 AND {vis}"), all).await?;
    Ok(n > 0)
}

/// Who owns the record, for edit checks (sharing gives read access only).
pub fn scope(c: &Customer) -> RecordScope {
    RecordScope { owner_id: c.owner_id, department_id: c.department_id, shared_with_viewer: false }
}

/// The department of an active user (a customer belongs to its owner's department).
pub async fn user_department(tx: &mut Tx, user_id: i64) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> =
        tx.fetch_optional("SELECT department_id FROM users WHERE id = $1 AND active = $2", args![user_id, true]).await?;
    Ok(r.map(|r| r.0))
}

/// Existing customers that look like a new one (2.2.1-a): same normalised name,
/// same tax id, or the same phone as a customer or one of its contacts. Each
/// part is an equality on an indexed column, so no table is scanned.
pub async fn find_duplicates(db: &Db, viewer: &Viewer, d: &CustomerData) -> DbResult<Vec<DuplicateMatch>> {
    const SEL: &str = "SELECT c.id, c.name, u.display_name AS owner_name, c.owner_id, c.department_id";
    const FROM: &str = "FROM customers c JOIN users u ON u.id = c.owner_id";
    let mut parts = vec![format!("{SEL}, 'name' AS reason {FROM} WHERE c.name_norm = $1")];
    let mut a = args![d.name_norm.clone()];
    if !d.tax_id.is_empty() {
        a.push(Arg::Str(d.tax_id.clone()));
        parts.push(format!("{SEL}, 'tax_id' AS reason {FROM} WHERE c.tax_id = ${}", a.len()));
    }
    if !d.phone.is_empty() {
        a.push(Arg::Str(d.phone.clone()));
        let n = a.len();
        parts.push(format!("{SEL}, 'phone' AS reason {FROM} WHERE c.phone = ${n}"));
        parts.push(format!(
            "{SEL}, 'contact_phone' AS reason FROM contacts ct JOIN customers c ON c.id = ct.customer_id \
             JOIN users u ON u.id = c.owner_id WHERE ct.phone = ${n}"
        ));
    }
    let sql = format!("SELECT * FROM ({}) m LIMIT 50", parts.join(" UNION ALL "));
    let rows: Vec<(i64, String, String, i64, i64, String)> = db.read().fetch_all(&sql, a).await?;
    Ok(merge_matches(
        rows.into_iter()
            .filter_map(|(id, name, owner, owner_id, dept, reason)| {
                let visible = viewer.can_see(&RecordScope { owner_id, department_id: dept, shared_with_viewer: false });
                Some((id, name, owner, DuplicateReason::parse(&reason)?, visible))
            })
            .collect(),
    ))
}

fn snapshot<T: serde::Serialize>(v: &Option<T>) -> Option<serde_json::Value> {
    v.as_ref().map(|v| serde_json::json!(v))
}

pub async fn insert_customer(
    tx: &mut Tx,
    actor: &Actor,
    d: &CustomerData,
    owner_id: i64,
    department_id: i64,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO customers (name, name_norm, tax_id, phone, industry, region, size, source_channel, source_detail, \
             needs, preferences, intent, status, key_account, currency, address, owner_id, department_id, \
             version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'CNY', $15, $16, $17, 1, $18, $19, $18, $19) \
             RETURNING id",
            customer_args(d, owner_id, department_id, now, actor.user_id),
        )
        .await?;
    let after = customer_tx(tx, id).await?;
    audit::record(tx, actor, ENTITY, Some(id), "create", None, snapshot(&after).as_ref()).await?;
    Ok(id)
}

/// The form's values as `$1..$19` (name … address, owner, department, time, by),
/// shared by insert and update. Never the credit limit: only an approved credit
/// evaluation writes it (5.2-c, `risk::credit`).
fn customer_args(d: &CustomerData, owner_id: i64, department_id: i64, now: DateTime<Utc>, by: Option<i64>) -> Vec<Arg> {
    args![
        d.name.clone(),
        d.name_norm.clone(),
        d.tax_id.clone(),
        d.phone.clone(),
        d.industry.clone(),
        d.region.clone(),
        d.size.map(|s| s.code()).unwrap_or(""),
        d.source_channel.map(|s| s.code()).unwrap_or(""),
        d.source_detail.clone(),
        d.needs.clone(),
        d.preferences.clone(),
        d.intent.code(),
        d.status.code(),
        d.key_account,
        d.address.clone(),
        owner_id,
        department_id,
        now,
        by
    ]
}

/// Saves the form over version `version`; false when someone saved first. A new
/// owner takes the customer's department and its planned visits with their tasks.
#[allow(clippy::too_many_arguments)]
pub async fn update_customer(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    version: i64,
    d: &CustomerData,
    owner_id: i64,
    department_id: i64,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let before = customer_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE customers SET name = $1, name_norm = $2, tax_id = $3, phone = $4, industry = $5, region = $6, size = $7, \
             source_channel = $8, source_detail = $9, needs = $10, preferences = $11, intent = $12, status = $13, \
             key_account = $14, address = $15, owner_id = $16, department_id = $17, \
             version = version + 1, updated_at = $18, updated_by = $19 WHERE id = $20 AND version = $21",
{
                let mut a = customer_args(d, owner_id, department_id, now, actor.user_id);
                a.extend(args![id, version]);
                a
            },
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let reassigned = before.as_ref().is_some_and(|b| b.owner_id != owner_id);
    if reassigned {
        // The new owner makes the planned visits; their tasks move with them.
        tx.execute(
            "UPDATE inbox_items SET recipient_user_id = $1, version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE source_entity = $4 AND done_at IS NULL AND source_id IN \
             (SELECT id FROM visits WHERE customer_id = $5 AND status = 'planned')",
            args![owner_id, now, actor.user_id, VISIT_ENTITY, id],
        )
        .await?;
        tx.execute(
            "UPDATE visits SET owner_id = $1, department_id = $2, version = version + 1, updated_at = $3, updated_by = $4 \
             WHERE customer_id = $5 AND status = 'planned'",
            args![owner_id, department_id, now, actor.user_id, id],
        )
        .await?;
    }
    let after = customer_tx(tx, id).await?;
    let action = if reassigned { "reassign" } else { "update" };
    audit::record(tx, actor, ENTITY, Some(id), action, snapshot(&before).as_ref(), snapshot(&after).as_ref()).await?;
    Ok(true)
}

// ---------- the list ----------

#[derive(Clone, Debug, Default)]
pub struct CustomerFilter {
    pub q: String,
    pub status: Option<CustomerStatus>,
    pub intent: Option<Intent>,
    /// Only the viewer's own customers.
    pub mine: bool,
    pub key_accounts: bool,
}

const ROW_SELECT: &str = "SELECT c.id, c.name, c.tax_id, c.phone, c.industry, c.region, c.intent, c.status, c.key_account, \
    u.display_name AS owner_name, c.updated_at FROM customers c JOIN users u ON u.id = c.owner_id";

/// The smallest string greater than every string starting with `p` (ASCII), so
/// that "starts with" is a range on the column's index: "9131" → "9132".
fn prefix_end(p: &str) -> String {
    let mut s = p.to_string();
    match s.pop() {
        Some(c) => {
            s.push(char::from_u32(c as u32 + 1).unwrap_or(c));
            s
        }
        None => s,
    }
}

/// The viewer's reach as separate conditions, each answered by one index
/// (department, owner, shares); None for those who see everything. A list
/// page is then the merge of each branch's first rows, and its count the sum of
/// each branch's count, instead of a sort or count of everything the OR matches.
fn reach(viewer: &Viewer, args: &mut Vec<Arg>) -> Option<Vec<String>> {
    if viewer.role.sees_everything() {
        return None;
    }
    args.push(Arg::I64(viewer.user_id));
    let me = args.len();
    args.push(Arg::Str(ENTITY.into()));
    let entity = args.len();
    let mut b = Vec::new();
    if viewer.role == crate::core::perm::Role::Manager {
        args.push(Arg::I64(viewer.department_id));
        b.push(format!("c.department_id = ${}", args.len()));
    }
    b.push(format!("c.owner_id = ${me}"));
    b.push(format!("c.id IN (SELECT record_id FROM record_shares WHERE entity = ${entity} AND user_id = ${me})"));
    Some(b)
}

/// The filters other than visibility (which `reach` gives).
fn conditions(f: &CustomerFilter, viewer: &Viewer, args: &mut Vec<Arg>) -> Vec<String> {
    let mut conds: Vec<String> = Vec::new();
    let q = f.q.trim();
    if !q.is_empty() {
        // Name: words anywhere in the normalised name (a scan of the narrow
        // name_norm index only, never of the table); tax id and phone: from their
        // start (ranges on their indexes). Matching ids first, then sort and page them.
        let mut parts = Vec::new();
        let key = normalise_name(q).replace(['%', '_'], "");
        args.push(Arg::Str(format!("%{key}%")));
        parts.push(format!("SELECT id FROM customers WHERE name_norm LIKE ${}", args.len()));
        let tax = q.to_uppercase().replace(' ', "");
        if tax.chars().all(|c| c.is_ascii_alphanumeric()) {
            args.push(Arg::Str(tax.clone()));
            args.push(Arg::Str(prefix_end(&tax)));
            parts.push(format!("SELECT id FROM customers WHERE tax_id >= ${} AND tax_id < ${}", args.len() - 1, args.len()));
        }
        if let Ok(phone) = normalise_phone(q) {
            args.push(Arg::Str(phone.clone()));
            args.push(Arg::Str(prefix_end(&phone)));
            parts.push(format!("SELECT id FROM customers WHERE phone >= ${} AND phone < ${}", args.len() - 1, args.len()));
        }
        conds.push(format!("c.id IN ({})", parts.join(" UNION ALL ")));
    }
    if let Some(s) = f.status {
        args.push(Arg::Str(s.code().into()));
        // For a viewer who sees only some customers, their own (owner, department)
        // index is the narrow one; `|| ''` keeps the planner off the status index,
        // which would walk a third of the table (SQLite has no statistics).
        if viewer.role.sees_everything() {
            conds.push(format!("c.status = ${}", args.len()));
        } else {
            conds.push(format!("c.status || '' = ${}", args.len()));
        }
    }
    if let Some(i) = f.intent {
        args.push(Arg::Str(i.code().into()));
        conds.push(format!("c.intent = ${}", args.len()));
    }
    if f.mine {
        args.push(Arg::I64(viewer.user_id));
        conds.push(format!("c.owner_id = ${}", args.len()));
    }
    if f.key_accounts {
        args.push(Arg::Bool(true));
        conds.push(format!("c.key_account = ${}", args.len()));
    }
    conds
}

/// A page of the customers the viewer may see; sorted by name or by last
/// change ("updated"), keyset-paged on (sort value, id).
pub async fn customers(
    db: &Db,
    viewer: &Viewer,
    f: &CustomerFilter,
    sort: &str,
    dir: Dir,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Page<CustomerRow>> {
    let mut args: Vec<Arg> = Vec::new();
    let branches = reach(viewer, &mut args);
    let mut conds = conditions(f, viewer, &mut args);
    let and = |extra: &[String]| -> String { extra.iter().map(|c| format!(" AND {c}")).collect() };
    let total: i64 = match &branches {
        None => db.read().scalar(&format!("SELECT COUNT(*) FROM customers c {}", where_clause(&conds)), args.clone()).await?,
        Some(b) => {
            // Each branch counts what the earlier ones did not.
            let parts: Vec<String> = b
                .iter()
                .enumerate()
                .map(|(i, cond)| {
                    let not_before: String = b[..i].iter().map(|p| format!(" AND NOT ({p})")).collect();
                    format!("(SELECT COUNT(*) FROM customers c WHERE {cond}{not_before}{})", and(&conds))
                })
                .collect();
            db.read().scalar(&format!("SELECT CAST({} AS BIGINT)", parts.join(" + ")), args.clone()).await?
        }
    };
    let by_updated = sort == "updated";
    let col = if by_updated { "c.updated_at" } else { "c.name" };
    let (op, d) = match dir {
        Dir::Asc => (">", "ASC"),
        Dir::Desc => ("<", "DESC"),
    };
    if let Some((value, id)) = after.and_then(decode_cursor) {
        let v = if by_updated {
            match DateTime::parse_from_rfc3339(&value) {
                Ok(t) => Arg::Time(t.with_timezone(&Utc)),
                Err(_) => Arg::Time(DateTime::<Utc>::MIN_UTC),
            }
        } else {
            Arg::Str(value)
        };
        let n = args.len();
        conds.push(format!("({col} {op} ${a} OR ({col} = ${a} AND c.id {op} ${b}))", a = n + 1, b = n + 2));
        args.push(v);
        args.push(Arg::I64(id));
    }
    let order = format!("ORDER BY {col} {d}, c.id {d} LIMIT {}", limit + 1);
    let sql = match &branches {
        None => format!("{ROW_SELECT} {} {order}", where_clause(&conds)),
        Some(b) => {
            let parts: Vec<String> = b
                .iter()
                .enumerate()
                .map(|(i, cond)| format!("SELECT id FROM (SELECT c.id FROM customers c WHERE {cond}{} {order}) AS b{i}", and(&conds)))
                .collect();
            format!("{ROW_SELECT} WHERE c.id IN ({}) {order}", parts.join(" UNION "))
        }
    };
    let rows: Vec<CustomerRow> = db.read().fetch_all(&sql, args).await?;
    Ok(finish_page(rows, limit, total, |r| {
        let v = if by_updated { r.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true) } else { r.name.clone() };
        (v, r.id)
    }))
}

/// People a customer may be handed to by `viewer`: managers their department,
/// executives and admins the sales department (a list of every employee would
/// be of no use in a picker).
pub async fn assignable_people(db: &Db, viewer: &Viewer) -> DbResult<Vec<(i64, String)>> {
    if viewer.role.sees_everything() {
        db.read()
            .fetch_all(
                "SELECT u.id, u.display_name FROM users u JOIN departments d ON d.id = u.department_id \
                 WHERE u.active = $1 AND d.code = $2 ORDER BY u.display_name, u.id LIMIT 1000",
                args![true, "sales"],
            )
            .await
    } else {
        db.read()
            .fetch_all(
                "SELECT id, display_name FROM users WHERE active = $1 AND department_id = $2 ORDER BY display_name, id",
                args![true, viewer.department_id],
            )
            .await
    }
}

// ---------- contacts ----------

const CONTACT_SELECT: &str =
    "SELECT id, customer_id, name, title, phone, email, birthday, is_primary, version FROM contacts";

pub async fn contacts_of(db: &Db, customer_id: i64) -> DbResult<Vec<Contact>> {
    db.read()
        .fetch_all(
            &format!("{CONTACT_SELECT} WHERE customer_id = $1 ORDER BY CASE WHEN is_primary = $2 THEN 0 ELSE 1 END, id"),
            args![customer_id, true],
        )
        .await
}

pub async fn contact_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Contact>> {
    tx.fetch_optional(&format!("{CONTACT_SELECT} WHERE id = $1"), args![id]).await
}

/// One primary contact per customer: making one primary clears the others.
async fn clear_other_primaries(tx: &mut Tx, customer_id: i64, keep: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    tx.execute(
        "UPDATE contacts SET is_primary = $1, version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE customer_id = $4 AND id <> $5 AND is_primary = $6",
        args![false, now, by, customer_id, keep, true],
    )
    .await?;
    Ok(())
}

pub async fn insert_contact(tx: &mut Tx, actor: &Actor, customer_id: i64, d: &ContactData, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO contacts (customer_id, name, title, phone, email, birthday, is_primary, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9) RETURNING id",
            args![customer_id, d.name.clone(), d.title.clone(), d.phone.clone(), d.email.clone(), d.birthday, d.is_primary, now, actor.user_id],
        )
        .await?;
    if d.is_primary {
        clear_other_primaries(tx, customer_id, id, actor.user_id, now).await?;
    }
    let after = contact_tx(tx, id).await?;
    audit::record(tx, actor, CONTACT_ENTITY, Some(id), "create", None, snapshot(&after).as_ref()).await?;
    Ok(id)
}

pub async fn update_contact(tx: &mut Tx, actor: &Actor, id: i64, version: i64, d: &ContactData, now: DateTime<Utc>) -> DbResult<bool> {
    let before = contact_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE contacts SET name = $1, title = $2, phone = $3, email = $4, birthday = $5, is_primary = $6, \
             version = version + 1, updated_at = $7, updated_by = $8 WHERE id = $9 AND version = $10",
            args![d.name.clone(), d.title.clone(), d.phone.clone(), d.email.clone(), d.birthday, d.is_primary, now, actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    if d.is_primary
        && let Some(b) = &before
    {
        clear_other_primaries(tx, b.customer_id, id, actor.user_id, now).await?;
    }
    let after = contact_tx(tx, id).await?;
    audit::record(tx, actor, CONTACT_ENTITY, Some(id), "update", snapshot(&before).as_ref(), snapshot(&after).as_ref()).await?;
    Ok(true)
}

// ---------- visits ----------

const VISIT_SELECT: &str = "SELECT v.id, v.customer_id, c.name AS customer_name, v.contact_id, ct.name AS contact_name, \
    v.owner_id, u.display_name AS owner_name, v.planned_date, v.purpose, v.status, v.visited_on, v.outcome, v.next_step, v.version \
    FROM visits v JOIN customers c ON c.id = v.customer_id LEFT JOIN contacts ct ON ct.id = v.contact_id \
    JOIN users u ON u.id = v.owner_id";

pub async fn visits_of(db: &Db, customer_id: i64) -> DbResult<Vec<Visit>> {
    db.read()
        .fetch_all(&format!("{VISIT_SELECT} WHERE v.customer_id = $1 ORDER BY v.planned_date DESC, v.id DESC LIMIT 200"), args![customer_id])
        .await
}

pub async fn visit_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Visit>> {
    tx.fetch_optional(&format!("{VISIT_SELECT} WHERE v.id = $1"), args![id]).await
}

/// The end of a calendar day in the company's zone: a task due "on" that day.
pub fn end_of_day(d: NaiveDate) -> DateTime<Utc> {
    crate::core::time::company_midnight(d.succ_opt().unwrap_or(d)) - Duration::seconds(1)
}

/// Plans a visit by the customer's owner and puts it in their "My work",
/// due on the planned date (2.2.1-b).
pub async fn plan_visit(tx: &mut Tx, actor: &Actor, c: &Customer, p: &VisitPlan, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO visits (customer_id, contact_id, owner_id, department_id, planned_date, purpose, status, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 'planned', 1, $7, $8, $7, $8) RETURNING id",
            args![c.id, p.contact_id, c.owner_id, c.department_id, p.planned_date, p.purpose.clone(), now, actor.user_id],
        )
        .await?;
    inbox_insert(
        tx,
        NewItem {
            user_id: Some(c.owner_id),
            department_id: None,
            kind: "task",
            title: crate::core::i18n::K::VisitTaskTitle,
            params: vec![("customer".into(), c.name.clone()), ("purpose".into(), p.purpose.clone())],
            link: format!("/sales/customers/{}", c.id),
            due_at: Some(end_of_day(p.planned_date)),
            source_entity: VISIT_ENTITY,
            source_id: Some(id),
        },
        actor.user_id,
        now,
    )
    .await?;
    let after = visit_tx(tx, id).await?;
    audit::record(tx, actor, VISIT_ENTITY, Some(id), "create", None, snapshot(&after).as_ref()).await?;
    Ok(id)
}

async fn close_task(tx: &mut Tx, visit_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, read_at = COALESCE(read_at, $1), version = version + 1, \
         updated_at = $1, updated_by = $2 WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, by, VISIT_ENTITY, visit_id],
    )
    .await?;
    Ok(())
}

/// Records a planned visit as made (closing its task); false when it changed meanwhile
/// or is no longer planned.
pub async fn record_visit(tx: &mut Tx, actor: &Actor, id: i64, version: i64, r: &VisitRecord, now: DateTime<Utc>) -> DbResult<bool> {
    let before = visit_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE visits SET status = 'done', visited_on = $1, outcome = $2, next_step = $3, version = version + 1, \
             updated_at = $4, updated_by = $5 WHERE id = $6 AND version = $7 AND status = 'planned'",
            args![r.visited_on, r.outcome.clone(), r.next_step.clone(), now, actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    close_task(tx, id, actor.user_id, now).await?;
    let after = visit_tx(tx, id).await?;
    audit::record(tx, actor, VISIT_ENTITY, Some(id), "record_visit", snapshot(&before).as_ref(), snapshot(&after).as_ref()).await?;
    Ok(true)
}

pub async fn cancel_visit(tx: &mut Tx, actor: &Actor, id: i64, version: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let before = visit_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE visits SET status = 'cancelled', version = version + 1, updated_at = $1, updated_by = $2 \
             WHERE id = $3 AND version = $4 AND status = 'planned'",
            args![now, actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    close_task(tx, id, actor.user_id, now).await?;
    let after = visit_tx(tx, id).await?;
    audit::record(tx, actor, VISIT_ENTITY, Some(id), "cancel_visit", snapshot(&before).as_ref(), snapshot(&after).as_ref()).await?;
    Ok(true)
}

/// A person's visits shown in a month: planned in it, or made in it.
pub async fn visits_in_month(db: &Db, owner_id: i64, first: NaiveDate) -> DbResult<Vec<Visit>> {
    let end = next_month(first);
    db.read()
        .fetch_all(
            &format!(
                "{VISIT_SELECT} WHERE v.owner_id = $1 AND ((v.planned_date >= $2 AND v.planned_date < $3) \
                 OR (v.visited_on >= $2 AND v.visited_on < $3)) ORDER BY v.planned_date, v.id"
            ),
            args![owner_id, first, end],
        )
        .await
}

/// Whose calendar `viewer` may open: themselves; managers their department;
/// executives and admins anyone.
pub async fn calendar_people(db: &Db, viewer: &Viewer) -> DbResult<Vec<(i64, String)>> {
    use crate::core::perm::Role;
    match viewer.role {
        Role::Staff => {
            db.read().fetch_all("SELECT id, display_name FROM users WHERE id = $1", args![viewer.user_id]).await
        }
        _ => assignable_people(db, viewer).await,
    }
}

// ---------- read-only sections of the customer page ----------

pub async fn opportunities_of(db: &Db, viewer: &Viewer, customer_id: i64) -> DbResult<Vec<OpportunityLine>> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, "opportunity", "o.id", "o.owner_id", "o.department_id", 2);
    let mut all = args![customer_id];
    all.append(&mut a);
    db.read()
        .fetch_all(
            &format!(
                "SELECT o.id, o.title, s.name_zh AS stage_zh, s.name_en AS stage_en, o.amount_minor, o.currency, o.expected_close \
                 FROM opportunities o JOIN opportunity_stages s ON s.code = o.stage_code \
                 WHERE o.customer_id = $1 AND {vis} ORDER BY o.expected_close DESC, o.id DESC LIMIT 100"
            ),
            all,
        )
        .await
}

pub async fn contracts_of(db: &Db, viewer: &Viewer, customer_id: i64) -> DbResult<Vec<ContractLine>> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, "contract", "k.id", "k.owner_id", "k.department_id", 2);
    let mut all = args![customer_id];
    all.append(&mut a);
    db.read()
        .fetch_all(
            &format!(
                "SELECT k.id, k.number, k.title, k.status, k.amount_minor, k.currency FROM contracts k \
                 WHERE k.customer_id = $1 AND {vis} ORDER BY k.id DESC LIMIT 100"
            ),
            all,
        )
        .await
}

pub async fn orders_of(db: &Db, viewer: &Viewer, customer_id: i64) -> DbResult<Vec<OrderLine>> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, "order", "o.id", "o.owner_id", "o.department_id", 2);
    let mut all = args![customer_id];
    all.append(&mut a);
    db.read()
        .fetch_all(
            &format!(
                "SELECT o.id, o.number, o.status, o.planned_delivery_date FROM orders o \
                 WHERE o.customer_id = $1 AND {vis} ORDER BY o.id DESC LIMIT 100"
            ),
            all,
        )
        .await
}

/// Open receivables and the total still outstanding (summed in SQL).
pub async fn open_receivables_of(db: &Db, viewer: &Viewer, customer_id: i64) -> DbResult<(Vec<ReceivableLine>, i64)> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, "receivable", "r.id", "r.owner_id", "r.department_id", 2);
    let mut all = args![customer_id];
    all.append(&mut a);
    let base = format!("FROM receivables r JOIN contracts k ON k.id = r.contract_id WHERE r.customer_id = $1 AND r.status = 'open' AND {vis}");
    let rows: Vec<ReceivableLine> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT r.id, r.contract_id, k.number AS contract_number, r.seq, r.due_date, r.amount_minor, r.paid_minor, r.currency \
                 {base} ORDER BY r.due_date, r.id LIMIT 100"
            ),
            all.clone(),
        )
        .await?;
    let total: i64 = db
        .read()
        .scalar(&format!("SELECT CAST(COALESCE(SUM(r.amount_minor - r.paid_minor), 0) AS BIGINT) {base}"), all)
        .await?;
    Ok((rows, total))
}
