//! Compliance rules of this part (added to the registry in compliance::rules).
use super::model::OrderStatus;
use super::store;
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use crate::core::time::{company_midnight, company_today, working_days_ago};
use chrono::{DateTime, Duration, Utc};

pub const RULES: &[Rule] = &[
    Rule { clause: "2.2.4-b", title: K::Rule224bTitle, eval: |db, v, now| Box::pin(customer_updates(db, v, now)) },
    Rule { clause: "2.2.4-c", title: K::Rule224cTitle, eval: |db, v, now| Box::pin(exceptions_analysed(db, v, now)) },
];

/// Runs `SELECT COUNT(*) {base}` and the first rows of `SELECT o.id, label {base}`.
async fn count_and_list(db: &Db, base: &str, order_by: &str, mut a: Vec<Arg>) -> DbResult<(i64, Vec<(i64, String, String)>)> {
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows = db
        .read()
        .fetch_all(&format!("SELECT o.id, o.number, cu.name {base} ORDER BY {order_by} LIMIT ${n}"), a)
        .await?;
    Ok((count, rows))
}

/// 2.2.4-b: every open order (confirmed, in production, shipped) had a customer
/// update within the configured number of days, counted from its creation if
/// it has none yet.
pub async fn customer_updates(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let days = crate::settings::store::int(db, crate::settings::CUSTOMER_UPDATE_DAYS).await?;
    let cutoff = now - Duration::days(days);
    let code = store::department_code(db, viewer.department_id).await?;
    let [s1, s2, s3] = OrderStatus::OPEN.map(|s| s.code());
    let mut a: Vec<Arg> = crate::args![s1, s2, s3, cutoff, cutoff];
    let (vis, va) = store::order_scope(db.backend(), viewer, &code, 6);
    a.extend(va);
    let base = format!(
        "FROM orders o JOIN customers cu ON cu.id = o.customer_id WHERE o.status IN ($1, $2, $3) \
         AND ((o.last_customer_update_at IS NULL AND o.created_at < $4) OR o.last_customer_update_at < $5) AND {vis}"
    );
    let (count, rows) = count_and_list(db, &base, "o.id", a).await?;
    Ok(RuleStatus {
        clause: "2.2.4-b".into(),
        title: K::Rule224bTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, customer)| Violation { label: format!("{number} · {customer}"), link: format!("/sales/orders/{id}"), detail: K::Rule224bDetail })
            .collect(),
    })
}

/// 2.2.4-c: every exception has a cause and measures within the configured
/// working days of being reported; lists those past that deadline lacking either.
pub async fn exceptions_analysed(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let days = crate::settings::store::int(db, crate::settings::EXCEPTION_WORKING_DAYS).await?;
    // Reported on or before this date: the deadline has passed.
    let last_late_day = working_days_ago(company_today(now), days.max(0) as u32);
    let before = company_midnight(last_late_day.succ_opt().unwrap_or(last_late_day));
    let code = store::department_code(db, viewer.department_id).await?;
    let mut a: Vec<Arg> = crate::args![before, ""];
    let (vis, va) = store::order_scope(db.backend(), viewer, &code, 3);
    a.extend(va);
    let base = format!(
        "FROM order_exceptions e JOIN orders o ON o.id = e.order_id JOIN customers cu ON cu.id = o.customer_id \
         WHERE e.reported_at < $1 AND (e.cause = $2 OR e.measures = $2) AND {vis}"
    );
    let (count, rows) = count_and_list(db, &base, "e.reported_at, e.id", a).await?;
    Ok(RuleStatus {
        clause: "2.2.4-c".into(),
        title: K::Rule224cTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, customer)| Violation { label: format!("{number} · {customer}"), link: format!("/sales/orders/{id}"), detail: K::Rule224cDetail })
            .collect(),
    })
}
