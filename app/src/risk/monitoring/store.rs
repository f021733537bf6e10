//! Monitoring's SQL (5.3): measurements of the key risk indicators over live
//! data, their evaluation with breach handling and escalation (5.3-a/d), the
//! department risk report's snapshot (5.3-b) and the company risk warning
//! report's snapshot (5.3-c). Every aggregate is done in SQL.
use super::model::*;
use crate::args;
use crate::core::audit::{Actor, record};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::perm::{Role, Viewer};
use crate::core::time::{company_midnight, company_today};
use crate::inbox::store::NewItem;
use crate::risk::model::{AssessmentKind, Bands, RISK_DEPARTMENT};
use crate::risk::store::{HeatFilter, Reason, bands, escalate, heat_map};
use crate::settings;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// Statuses of projects still under way (not closed or cancelled).
const OPEN_PROJECTS: &str = "('initiating', 'plan_review', 'executing', 'acceptance')";

/// Creates the built-in indicators that do not exist yet, with the default
/// thresholds and the risk department's manager as owner (5.3-a).
pub async fn ensure_indicators(db: &Db) -> DbResult<()> {
    let now = Utc::now();
    let owner: Option<(i64,)> = db
        .read()
        .fetch_optional(
            "SELECT u.id FROM users u JOIN departments d ON d.id = u.department_id WHERE d.code = $1 AND u.role = 'manager' AND u.active = $2 ORDER BY u.id LIMIT 1",
            args![RISK_DEPARTMENT, true],
        )
        .await?;
    for k in KriCode::ALL {
        let exists: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_indicators WHERE code = $1", args![k.code()]).await?;
        if exists > 0 {
            continue;
        }
        let (warn, breach) = k.default_thresholds();
        let mut tx = db.begin().await?;
        let id: Option<(i64,)> = tx
            .fetch_optional(
                "INSERT INTO risk_indicators (code, owner_id, warn_threshold, breach_threshold, active, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6) ON CONFLICT (code) DO NOTHING RETURNING id",
                args![k.code(), owner.map(|o| o.0), warn, breach, true, now],
            )
            .await?;
        if let Some((id,)) = id {
            record(
                &mut tx,
                &Actor::system("risk_indicators"),
                "risk_indicator",
                Some(id),
                "create",
                None,
                Some(&serde_json::json!({"code": k.code(), "warn_threshold": warn, "breach_threshold": breach, "owner_id": owner.map(|o| o.0)})),
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

// ----- measurements -----

/// Open receivables past their due date on `today`: the amount still unpaid.
pub async fn overdue_amount(db: &Db, today: NaiveDate) -> DbResult<i64> {
    db.read()
        .scalar(
            "SELECT CAST(COALESCE(SUM(amount_minor - paid_minor), 0) AS BIGINT) FROM receivables WHERE status = 'open' AND due_date < $1",
            args![today],
        )
        .await
}

/// Share (basis points) of the open receivable amount more than 90 days overdue.
pub async fn overdue_90_share(db: &Db, today: NaiveDate) -> DbResult<i64> {
    let (over, total): (i64, i64) = db
        .read()
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(CASE WHEN due_date < $1 THEN amount_minor - paid_minor ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(amount_minor - paid_minor), 0) AS BIGINT) FROM receivables WHERE status = 'open'",
            args![today - Duration::days(90)],
        )
        .await?;
    Ok(share_bp(over, total))
}

/// The same two receivable measurements as they were at the end of a past
/// day, from due dates and payments (exact: a receivable's outstanding amount
/// on a day is its amount less the payments made by then). Returns
/// (overdue amount, share over 90 days in basis points).
pub async fn receivables_as_of(db: &Db, day: NaiveDate) -> DbResult<(i64, i64)> {
    let end = company_midnight(day + Duration::days(1));
    let (overdue, over90, total): (i64, i64, i64) = db
        .read()
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(CASE WHEN x.due_date < $1 THEN x.o ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN x.due_date < $2 THEN x.o ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(x.o), 0) AS BIGINT) FROM ( \
               SELECT r.due_date, r.amount_minor - COALESCE((SELECT SUM(p.amount_minor) FROM payments p WHERE p.receivable_id = r.id AND p.paid_on <= $1), 0) AS o \
               FROM receivables r WHERE r.status <> 'cancelled' AND r.created_at < $3) x WHERE x.o > 0",
            args![day, day - Duration::days(90), end],
        )
        .await?;
    Ok((overdue, share_bp(over90, total)))
}

/// Customers whose open receivables exceed their credit limit.
pub async fn credit_limit_breaches(db: &Db) -> DbResult<i64> {
    db.read()
        .scalar(
            "SELECT COUNT(*) FROM customers c WHERE c.credit_limit_minor IS NOT NULL AND \
             (SELECT COALESCE(SUM(r.amount_minor - r.paid_minor), 0) FROM receivables r WHERE r.customer_id = c.id AND r.status = 'open') > c.credit_limit_minor",
            vec![],
        )
        .await
}

/// Order exceptions reported in the calendar month (company time) of `at`, up to `at`.
pub async fn order_exceptions_month(db: &Db, at: DateTime<Utc>) -> DbResult<i64> {
    let today = company_today(at);
    let start = company_midnight(today.with_day(1).unwrap_or(today));
    db.read()
        .scalar("SELECT COUNT(*) FROM order_exceptions WHERE reported_at >= $1 AND reported_at <= $2", args![start, at])
        .await
}

/// The indicator's value now (5.3-a).
pub async fn measure(db: &Db, code: KriCode, now: DateTime<Utc>) -> DbResult<i64> {
    let today = company_today(now);
    match code {
        KriCode::OverdueReceivables => overdue_amount(db, today).await,
        KriCode::Overdue90Share => overdue_90_share(db, today).await,
        KriCode::CreditLimitBreaches => credit_limit_breaches(db).await,
        KriCode::ProjectsRed => {
            db.read()
                .scalar(&format!("SELECT COUNT(*) FROM projects WHERE status IN {OPEN_PROJECTS} AND health = 'red'"), vec![])
                .await
        }
        KriCode::ProjectsSpiBelow => {
            let red_pct = settings::store::int(db, settings::SPI_RED_PCT).await?;
            db.read()
                .scalar(
                    "SELECT COUNT(*) FROM projects WHERE status = 'executing' AND spi_milli IS NOT NULL AND spi_milli < $1",
                    args![red_pct * 10],
                )
                .await
        }
        KriCode::OrderExceptionsMonth => order_exceptions_month(db, now).await,
    }
}

// ----- indicators -----

const INDICATOR: &str = "SELECT i.id, i.code, i.risk_id, r.number AS risk_number, r.name AS risk_name, i.owner_id, \
    u.display_name AS owner_name, i.warn_threshold, i.breach_threshold, i.last_value, i.last_status, i.last_evaluated_at, i.version \
    FROM risk_indicators i LEFT JOIN risks r ON r.id = i.risk_id LEFT JOIN users u ON u.id = i.owner_id";

pub async fn indicators(db: &Db) -> DbResult<Vec<Indicator>> {
    db.read().fetch_all(&format!("{INDICATOR} WHERE i.active = $1 ORDER BY i.id"), args![true]).await
}

pub async fn indicator(db: &Db, id: i64) -> DbResult<Option<Indicator>> {
    db.read().fetch_optional(&format!("{INDICATOR} WHERE i.id = $1"), args![id]).await
}

pub async fn indicator_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Indicator>> {
    tx.fetch_optional(&format!("{INDICATOR} WHERE i.id = $1"), args![id]).await
}

/// The indicator's values, newest first, `limit` of them before the value `before` (an id).
pub async fn values(db: &Db, id: i64, before: Option<i64>, limit: i64) -> DbResult<Vec<IndicatorValue>> {
    db.read()
        .fetch_all(
            "SELECT id, measured_at, value, status FROM risk_indicator_values WHERE indicator_id = $1 AND id < $2 \
             ORDER BY measured_at DESC, id DESC LIMIT $3",
            args![id, before.unwrap_or(i64::MAX), limit],
        )
        .await
}

/// Evaluates every active indicator (5.3-a), one transaction each.
pub async fn evaluate_all(db: &Db, now: DateTime<Utc>) -> DbResult<()> {
    let ids: Vec<(i64,)> = db.read().fetch_all("SELECT id FROM risk_indicators WHERE active = $1 ORDER BY id", args![true]).await?;
    for (id,) in ids {
        evaluate_one(db, id, now).await?;
    }
    Ok(())
}

/// Measures one indicator and records the result: `last_*` always; a value row
/// when the value or status changed or the last row is a day old. On a
/// transition into breached the linked risk gets a likelihood suggestion, its
/// owner and the indicator's owner are told and the risk is escalated to the
/// owner's leader (5.3-d); with no (open) linked risk the indicator's owner
/// and the risk department are told. Returns the status.
pub async fn evaluate_one(db: &Db, id: i64, now: DateTime<Utc>) -> DbResult<Option<KriStatus>> {
    let Some(ind) = indicator(db, id).await? else { return Ok(None) };
    let Some(code) = ind.kri() else { return Ok(None) };
    let value = measure(db, code, now).await?;
    let mut tx = db.begin().await?;
    // The row as it is now (another evaluation may have run meanwhile).
    let Some(cur) = indicator_tx(&mut tx, id).await? else { return Ok(None) };
    let status = status_of(value, cur.warn_threshold, cur.breach_threshold);
    let prev = cur.status();
    let changed = cur.last_value != Some(value) || prev != Some(status);
    let last_row: Option<(DateTime<Utc>,)> = tx
        .fetch_optional(
            "SELECT measured_at FROM risk_indicator_values WHERE indicator_id = $1 ORDER BY measured_at DESC, id DESC LIMIT 1",
            args![id],
        )
        .await?;
    let stale = last_row.is_none_or(|(t,)| now - t >= Duration::days(1));
    tx.execute(
        "UPDATE risk_indicators SET last_value = $1, last_status = $2, last_evaluated_at = $3 WHERE id = $4",
        args![value, status.code(), now, id],
    )
    .await?;
    if changed || stale {
        tx.execute(
            "INSERT INTO risk_indicator_values (indicator_id, measured_at, value, status) VALUES ($1, $2, $3, $4)",
            args![id, now, value, status.code()],
        )
        .await?;
    }
    let actor = Actor::system("risk_indicators");
    if changed {
        record(
            &mut tx,
            &actor,
            "risk_indicator",
            Some(id),
            "evaluate",
            Some(&serde_json::json!({"last_value": cur.last_value, "last_status": cur.last_status})),
            Some(&serde_json::json!({"last_value": value, "last_status": status.code()})),
        )
        .await?;
    }
    if status == KriStatus::Breached && prev != Some(KriStatus::Breached) {
        on_breach(&mut tx, &actor, &cur, code, value, now).await?;
    }
    tx.commit().await?;
    Ok(Some(status))
}

async fn risk_department_id(tx: &mut Tx) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx.fetch_optional("SELECT id FROM departments WHERE code = $1", args![RISK_DEPARTMENT]).await?;
    Ok(r.map(|r| r.0))
}

#[allow(clippy::type_complexity)]
async fn on_breach(tx: &mut Tx, actor: &Actor, ind: &Indicator, code: KriCode, value: i64, now: DateTime<Utc>) -> DbResult<()> {
    let detail = breach_detail(code, value, ind.breach_threshold);
    let risk: Option<(i64, String, String, i64, Option<i64>, Option<i64>, Option<i64>, String)> = match ind.risk_id {
        Some(rid) => {
            tx.fetch_optional(
                "SELECT id, number, name, owner_id, inherent_likelihood, residual_likelihood, suggested_likelihood, suggestion_note \
                 FROM risks WHERE id = $1 AND status <> 'closed'",
                args![rid],
            )
            .await?
        }
        None => None,
    };
    let Some((rid, number, name, owner, inherent, residual, old_suggestion, old_note)) = risk else {
        // No open risk bound: the indicator's owner and the risk department.
        let params = vec![("indicator".to_string(), detail.clone())];
        let link = format!("/risks/indicators/{}", ind.id);
        if let Some(o) = ind.owner_id {
            notify(tx, Some(o), None, K::RiskMonBreachUnlinked, params.clone(), link.clone(), "risk_indicator", ind.id, now).await?;
        }
        if let Some(d) = risk_department_id(tx).await? {
            notify(tx, None, Some(d), K::RiskMonBreachUnlinked, params, link, "risk_indicator", ind.id, now).await?;
        }
        return Ok(());
    };
    // 5.3-a: the breach suggests a higher likelihood (the owner re-assesses).
    let suggested = (residual.or(inherent).unwrap_or(0) + 1).clamp(1, 5);
    tx.execute(
        "UPDATE risks SET suggested_likelihood = $1, suggestion_note = $2, version = version + 1, updated_at = $3 WHERE id = $4",
        args![suggested, detail.clone(), now, rid],
    )
    .await?;
    record(
        tx,
        actor,
        "risk",
        Some(rid),
        "suggest_likelihood",
        Some(&serde_json::json!({"suggested_likelihood": old_suggestion, "suggestion_note": old_note})),
        Some(&serde_json::json!({"suggested_likelihood": suggested, "suggestion_note": detail, "indicator_id": ind.id})),
    )
    .await?;
    let params = vec![
        ("number".to_string(), number.clone()),
        ("name".to_string(), name.clone()),
        ("indicator".to_string(), detail.clone()),
        ("likelihood".to_string(), suggested.to_string()),
    ];
    let link = format!("/risks/{rid}");
    notify(tx, Some(owner), None, K::RiskMonBreachRisk, params.clone(), link.clone(), "risk", rid, now).await?;
    if let Some(o) = ind.owner_id.filter(|o| *o != owner) {
        notify(tx, Some(o), None, K::RiskMonBreachRisk, params, link, "risk", rid, now).await?;
    }
    // 5.3-d: to the owner's leader at once.
    if let Some(eid) = escalate(tx, rid, Reason::IndicatorBreach { indicator_id: ind.id, detail: detail.clone() }, now).await? {
        record(
            tx,
            actor,
            "risk_escalation",
            Some(eid),
            "create",
            None,
            Some(&serde_json::json!({"risk_id": rid, "reason": "kri_breach", "kri_id": ind.id, "detail": detail})),
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn notify(
    tx: &mut Tx,
    user_id: Option<i64>,
    department_id: Option<i64>,
    title: K,
    params: Vec<(String, String)>,
    link: String,
    source_entity: &'static str,
    source_id: i64,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    crate::inbox::store::insert(
        tx,
        NewItem { user_id, department_id, kind: "notification", title, params, link, due_at: None, source_entity, source_id: Some(source_id) },
        None,
        now,
    )
    .await
}

/// The hourly job: creates missing indicators and evaluates every active one (5.3-a).
pub async fn hourly(db: &Db, now: DateTime<Utc>) -> DbResult<()> {
    ensure_indicators(db).await?;
    evaluate_all(db, now).await
}

// ----- escalations -----

const ESCALATION: &str = "SELECT e.id, e.risk_id, r.number AS risk_number, r.name AS risk_name, e.reason, e.from_level, e.to_level, e.detail, \
    u.display_name AS escalated_to_name, e.escalated_at FROM risk_escalations e LEFT JOIN risks r ON r.id = e.risk_id \
    JOIN users u ON u.id = e.escalated_to";

pub async fn risk_escalations(db: &Db, risk_id: i64) -> DbResult<Vec<EscalationRow>> {
    db.read()
        .fetch_all(&format!("{ESCALATION} WHERE e.risk_id = $1 ORDER BY e.escalated_at DESC, e.id DESC LIMIT 50"), args![risk_id])
        .await
}

/// (suggested likelihood, note) of a risk.
pub async fn suggestion(db: &Db, risk_id: i64) -> DbResult<Option<(i64, String)>> {
    let r: Option<(Option<i64>, String)> =
        db.read().fetch_optional("SELECT suggested_likelihood, suggestion_note FROM risks WHERE id = $1", args![risk_id]).await?;
    Ok(r.and_then(|(s, n)| s.map(|s| (s, n))))
}

/// The indicators bound to a risk.
pub async fn risk_indicators(db: &Db, risk_id: i64) -> DbResult<Vec<Indicator>> {
    db.read().fetch_all(&format!("{INDICATOR} WHERE i.risk_id = $1 AND i.active = $2 ORDER BY i.id"), args![risk_id, true]).await
}

// ----- reports' shared pieces -----

fn level_code(bands: &Bands, score: Option<i64>) -> Option<String> {
    score.map(|s| bands.level(s).code().to_string())
}

fn refs(bands: &Bands, rows: Vec<(i64, String, String, Option<i64>)>) -> Vec<RiskRef> {
    rows.into_iter()
        .map(|(id, number, name, score)| RiskRef { id, number, name, score, level: level_code(bands, score) })
        .collect()
}

/// A condition on `risks r` limiting to one department (or none).
fn dept_cond(dept: Option<i64>, n: usize) -> (String, Vec<Arg>) {
    match dept {
        Some(d) => (format!(" AND r.department_id = ${n}"), vec![Arg::from(d)]),
        None => (String::new(), vec![]),
    }
}

/// Open risks per current score, and how many are not assessed yet (one GROUP BY:
/// the unassessed are its NULL group).
async fn level_rows(db: &Db, dept: Option<i64>) -> DbResult<(Vec<(i64, i64)>, i64)> {
    let (c, a) = dept_cond(dept, 1);
    let rows: Vec<(Option<i64>, i64)> = db
        .read()
        .fetch_all(&format!("SELECT r.current_score, COUNT(*) FROM risks r WHERE r.status <> 'closed'{c} GROUP BY r.current_score"), a)
        .await?;
    let unassessed = rows.iter().filter(|r| r.0.is_none()).map(|r| r.1).sum();
    Ok((rows.into_iter().filter_map(|(score, n)| score.map(|s| (s, n))).collect(), unassessed))
}

async fn top_risks(db: &Db, bands: &Bands, dept: Option<i64>, limit: i64) -> DbResult<Vec<RiskRef>> {
    let (c, mut a) = dept_cond(dept, 1);
    a.push(Arg::from(limit));
    let n = a.len();
    let rows = db
        .read()
        .fetch_all(
            &format!(
                // The register's order (index risks_register_order): the scan stops after `limit` rows.
                "SELECT r.id, r.number, r.name, r.current_score FROM risks r WHERE r.status <> 'closed' AND r.current_score IS NOT NULL{c} \
                 ORDER BY COALESCE(r.current_score, 0) DESC, r.number LIMIT ${n}"
            ),
            a,
        )
        .await?;
    Ok(refs(bands, rows))
}

async fn overdue_measures(db: &Db, dept: Option<i64>, today: NaiveDate, limit: i64) -> DbResult<(Vec<OverdueMeasure>, i64)> {
    let (c, mut a) = dept_cond(dept, 2);
    a.insert(0, Arg::from(today));
    let base = format!(
        "FROM risk_measures m JOIN risks r ON r.id = m.risk_id WHERE m.status IN ('planned', 'in_progress') AND m.due_on < $1 AND r.status <> 'closed'{c}"
    );
    let count_args = a.clone();
    a.push(Arg::from(limit));
    let n = a.len();
    let (total, rows) = tokio::try_join!(
        async { db.read().scalar::<i64>(&format!("SELECT COUNT(*) {base}"), count_args).await },
        async {
            db.read()
                .fetch_all::<(i64, String, String, String, NaiveDate)>(
                    &format!(
                        "SELECT m.risk_id, r.number, m.action, u.display_name, m.due_on {} ORDER BY m.due_on, m.id LIMIT ${n}",
                        base.replacen("FROM risk_measures m", "FROM risk_measures m JOIN users u ON u.id = m.owner_id", 1)
                    ),
                    a,
                )
                .await
        },
    )?;
    Ok((
        rows.into_iter().map(|(risk_id, risk_number, action, owner, due_on)| OverdueMeasure { risk_id, risk_number, action, owner, due_on }).collect(),
        total,
    ))
}

/// Escalations from `since` (exclusive) to `until` (exclusive), of one department's risks or all.
async fn escalations_between(
    db: &Db,
    dept: Option<i64>,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    limit: i64,
) -> DbResult<(Vec<EscalationRow>, i64)> {
    let since = since.unwrap_or(until - Duration::days(36_500));
    let (c, mut a) = dept_cond(dept, 3);
    a.insert(0, Arg::from(until));
    a.insert(0, Arg::from(since));
    let cond = format!("WHERE e.escalated_at > $1 AND e.escalated_at < $2{c}");
    let count_args = a.clone();
    a.push(Arg::from(limit));
    let n = a.len();
    let (total, rows) = tokio::try_join!(
        async { db.read().scalar::<i64>(&format!("SELECT COUNT(*) FROM risk_escalations e LEFT JOIN risks r ON r.id = e.risk_id {cond}"), count_args).await },
        async { db.read().fetch_all(&format!("{ESCALATION} {cond} ORDER BY e.escalated_at DESC, e.id DESC LIMIT ${n}"), a).await },
    )?;
    Ok((rows, total))
}

// ----- department reports (5.3-b) -----

/// The department's figures for a period 'YYYY-MM' (5.3-b).
pub async fn department_snapshot(db: &Db, department_id: i64, period: (i32, u32), now: DateTime<Utc>) -> DbResult<DeptSnapshot> {
    let bands = bands(db).await?;
    let (start, end) = period_bounds(period.0, period.1);
    let (s, e) = (company_midnight(start), company_midnight(end));
    let dept = Some(department_id);
    // Independent reads, at the same time on separate connections.
    let ((rows, unassessed), new_risks, closed_risks, changes, top, (overdue, overdue_total), (escalations, _)) = tokio::try_join!(
        level_rows(db, dept),
        async {
            db.read()
                .scalar::<i64>("SELECT COUNT(*) FROM risks WHERE department_id = $1 AND created_at >= $2 AND created_at < $3", args![department_id, s, e])
                .await
        },
        async {
            db.read()
                .scalar::<i64>("SELECT COUNT(*) FROM risks WHERE department_id = $1 AND closed_at >= $2 AND closed_at < $3", args![department_id, s, e])
                .await
        },
        // Each assessment in the period whose level differs from the one before it (same kind).
        async {
            db.read()
                .fetch_all::<(i64, String, String, String, Option<String>)>(
                    "SELECT r.id, r.number, r.name, a.level, (SELECT b.level FROM risk_assessments b WHERE b.risk_id = a.risk_id AND b.kind = a.kind \
                       AND (b.assessed_at < a.assessed_at OR (b.assessed_at = a.assessed_at AND b.id < a.id)) ORDER BY b.assessed_at DESC, b.id DESC LIMIT 1) \
                     FROM risk_assessments a JOIN risks r ON r.id = a.risk_id \
                     WHERE r.department_id = $1 AND a.assessed_at >= $2 AND a.assessed_at < $3 ORDER BY a.assessed_at, a.id",
                    args![department_id, s, e],
                )
                .await
        },
        top_risks(db, &bands, dept, 10),
        overdue_measures(db, dept, company_today(now), 50),
        escalations_between(db, dept, Some(s - Duration::microseconds(1)), e, 50),
    )?;
    let level_changes = changes
        .into_iter()
        .filter(|c| c.4.as_ref().is_some_and(|p| *p != c.3))
        .take(100)
        .map(|(id, number, name, to, from)| LevelChange { id, number, name, from, to })
        .collect();
    Ok(DeptSnapshot {
        taken_at: Some(now),
        by_level: level_counts(&counts_by_level(&bands, &rows)),
        unassessed,
        new_risks,
        closed_risks,
        level_changes,
        top,
        overdue_measures: overdue,
        overdue_measures_total: overdue_total,
        escalations,
    })
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DeptReportRecord {
    pub id: i64,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub period: String,
    pub summary: String,
    pub snapshot: String,
    pub status: String,
    pub submitted_by_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

const DEPT_REPORT: &str = "SELECT x.id, x.department_id, d.name_zh AS department_zh, d.name_en AS department_en, x.period, x.summary, x.snapshot, \
    x.status, u.display_name AS submitted_by_name, x.submitted_at, x.created_at, x.version \
    FROM risk_department_reports x JOIN departments d ON d.id = x.department_id LEFT JOIN users u ON u.id = x.submitted_by";

pub async fn department_report(db: &Db, id: i64) -> DbResult<Option<DeptReportRecord>> {
    db.read().fetch_optional(&format!("{DEPT_REPORT} WHERE x.id = $1"), args![id]).await
}

pub async fn department_report_tx(tx: &mut Tx, id: i64) -> DbResult<Option<DeptReportRecord>> {
    tx.fetch_optional(&format!("{DEPT_REPORT} WHERE x.id = $1"), args![id]).await
}

/// Department reports the viewer may see, newest first, filtered; `limit` after the id `after`.
pub async fn department_reports(
    db: &Db,
    company_wide: bool,
    viewer: &Viewer,
    period: Option<&str>,
    department: Option<i64>,
    after: Option<i64>,
    limit: i64,
) -> DbResult<(Vec<DeptReportRow>, i64)> {
    let mut a: Vec<Arg> = vec![];
    let mut cond = String::from("WHERE 1 = 1");
    if !company_wide {
        a.push(Arg::from(viewer.department_id));
        cond.push_str(&format!(" AND x.department_id = ${}", a.len()));
    }
    if let Some(p) = period {
        a.push(Arg::from(p));
        cond.push_str(&format!(" AND x.period = ${}", a.len()));
    }
    if let Some(d) = department {
        a.push(Arg::from(d));
        cond.push_str(&format!(" AND x.department_id = ${}", a.len()));
    }
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM risk_department_reports x {cond}"), a.clone()).await?;
    a.push(Arg::from(after.unwrap_or(i64::MAX)));
    let n = a.len();
    a.push(Arg::from(limit));
    let rows = db
        .read()
        .fetch_all(
            &format!(
                "SELECT x.id, x.department_id, d.name_zh AS department_zh, d.name_en AS department_en, x.period, x.status, \
                 u.display_name AS submitted_by_name, x.submitted_at, x.created_at \
                 FROM risk_department_reports x JOIN departments d ON d.id = x.department_id LEFT JOIN users u ON u.id = x.submitted_by \
                 {cond} AND x.id < ${n} ORDER BY x.id DESC LIMIT ${}",
                n + 1
            ),
            a,
        )
        .await?;
    Ok((rows, total))
}

/// Creates a draft department report with the figures as of now.
#[allow(clippy::too_many_arguments)]
pub async fn insert_department_report(
    tx: &mut Tx,
    actor: &Actor,
    department_id: i64,
    period: &str,
    summary: &str,
    snapshot: &DeptSnapshot,
    by: i64,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let json = serde_json::to_string(snapshot).unwrap_or_else(|_| "{}".into());
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_department_reports (department_id, period, summary, snapshot, status, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, 'draft', 1, $5, $6, $5, $6) RETURNING id",
            args![department_id, period, summary, json, now, by],
        )
        .await?;
    record(
        tx,
        actor,
        "risk_department_report",
        Some(id),
        "create",
        None,
        Some(&serde_json::json!({"department_id": department_id, "period": period, "summary": summary, "status": "draft"})),
    )
    .await?;
    Ok(id)
}

/// Submits a draft (fresh figures, the summary as given) and tells the
/// submitter's leader and the risk department (5.3-b). `false` when the
/// version no longer matches.
#[allow(clippy::too_many_arguments)]
pub async fn submit_department_report(
    tx: &mut Tx,
    actor: &Actor,
    report: &DeptReportRecord,
    version: i64,
    summary: &str,
    snapshot: &DeptSnapshot,
    by: i64,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let json = serde_json::to_string(snapshot).unwrap_or_else(|_| "{}".into());
    let n = tx
        .execute(
            "UPDATE risk_department_reports SET summary = $1, snapshot = $2, status = 'submitted', submitted_by = $3, submitted_at = $4, \
             version = version + 1, updated_at = $4, updated_by = $3 WHERE id = $5 AND version = $6 AND status = 'draft'",
            args![summary, json, by, now, report.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    record(
        tx,
        actor,
        "risk_department_report",
        Some(report.id),
        "submit",
        Some(&serde_json::json!({"status": report.status, "summary": report.summary})),
        Some(&serde_json::json!({"status": "submitted", "summary": summary})),
    )
    .await?;
    let params = vec![("department".to_string(), format!("{} / {}", report.department_zh, report.department_en)), ("period".to_string(), report.period.clone())];
    let link = format!("/risks/reports/department/{}", report.id);
    if let Some(leader) = crate::risk::store::leader_of(tx, by).await? {
        notify(tx, Some(leader), None, K::RiskMonDeptReportSubmitted, params.clone(), link.clone(), "risk_department_report", report.id, now).await?;
    }
    if let Some(d) = risk_department_id(tx).await? {
        notify(tx, None, Some(d), K::RiskMonDeptReportSubmitted, params, link, "risk_department_report", report.id, now).await?;
    }
    Ok(true)
}

// ----- warning reports (5.3-c) -----

/// A viewer who sees every risk (the warning report is company-wide).
fn company() -> Viewer {
    Viewer { user_id: 0, department_id: 0, role: Role::Executive }
}

/// Counts per level of each named group (category or department) that has
/// scored open risks, largest first. `scored`: (department, category, score, count).
fn group_counts(
    bands: &Bands,
    named: &[(i64, String, String)],
    scored: &[(i64, i64, i64, i64)],
    key: impl Fn(&(i64, i64, i64, i64)) -> i64,
) -> Vec<GroupCount> {
    let mut out: Vec<GroupCount> = named
        .iter()
        .filter_map(|(id, name_zh, name_en)| {
            let mine: Vec<(i64, i64)> = scored.iter().filter(|g| key(g) == *id).map(|g| (g.2, g.3)).collect();
            (!mine.is_empty()).then(|| GroupCount {
                id: *id,
                name_zh: name_zh.clone(),
                name_en: name_en.clone(),
                by_level: level_counts(&counts_by_level(bands, &mine)),
            })
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.total()));
    out
}

/// Open risks per department, category and current score (`None`: not yet
/// assessed), in one pass over the covering index `risks_department`.
async fn open_groups(db: &Db) -> DbResult<Vec<(i64, i64, Option<i64>, i64)>> {
    db.read()
        .fetch_all(
            "SELECT r.department_id, r.category_id, r.current_score, COUNT(*) FROM risks r WHERE r.status <> 'closed' \
             GROUP BY r.department_id, r.category_id, r.current_score",
            vec![],
        )
        .await
}

/// The last warning report issued before `now`: (number, issued_at).
pub async fn last_warning(db: &Db, now: DateTime<Utc>) -> DbResult<Option<(String, DateTime<Utc>)>> {
    db.read()
        .fetch_optional("SELECT number, issued_at FROM risk_warning_reports WHERE issued_at < $1 ORDER BY issued_at DESC, id DESC LIMIT 1", args![now])
        .await
}

/// Changes since `since`: new and closed risks, and risks whose current level
/// is above or below the level they had then (the score then: the latest
/// residual assessment by then, else the latest inherent one).
#[allow(clippy::type_complexity)]
async fn changes_since(db: &Db, bands: &Bands, since: DateTime<Utc>, now: DateTime<Utc>) -> DbResult<Changes> {
    // Five independent reads, at the same time on separate connections.
    let (new_total, new, closed_total, closed, moved) = tokio::try_join!(
        async { db.read().scalar::<i64>("SELECT COUNT(*) FROM risks WHERE created_at > $1 AND created_at <= $2", args![since, now]).await },
        async {
            db.read()
                .fetch_all::<(i64, String, String, Option<i64>)>(
                    "SELECT id, number, name, current_score FROM risks WHERE created_at > $1 AND created_at <= $2 \
                     ORDER BY COALESCE(current_score, 0) DESC, id LIMIT 20",
                    args![since, now],
                )
                .await
        },
        async { db.read().scalar::<i64>("SELECT COUNT(*) FROM risks WHERE closed_at > $1 AND closed_at <= $2", args![since, now]).await },
        async {
            db.read()
                .fetch_all::<(i64, String, String, Option<i64>)>(
                    "SELECT id, number, name, current_score FROM risks WHERE closed_at > $1 AND closed_at <= $2 ORDER BY closed_at DESC, id LIMIT 20",
                    args![since, now],
                )
                .await
        },
        async {
            db.read()
                // The score then: 'residual' sorts after 'inherent', so kind DESC puts the
                // latest residual first, else the latest inherent (index risk_assessments_kind).
                .fetch_all::<(i64, String, String, Option<i64>, Option<i64>)>(
                    "SELECT r.id, r.number, r.name, r.current_score, \
                       (SELECT a.score FROM risk_assessments a WHERE a.risk_id = r.id AND a.assessed_at <= $1 \
                        ORDER BY a.kind DESC, a.assessed_at DESC, a.id DESC LIMIT 1) \
                     FROM risks r WHERE r.status <> 'closed' AND r.created_at <= $1 \
                       AND r.id IN (SELECT risk_id FROM risk_assessments WHERE assessed_at > $1 AND assessed_at <= $2)",
                    args![since, now],
                )
                .await
        },
    )?;
    let (mut rose, mut fell) = (vec![], vec![]);
    for (id, number, name, now_score, then) in moved {
        let Some(now_score) = now_score else { continue };
        let before = then.map(|s| bands.level(s));
        let after = bands.level(now_score);
        let change = LevelChange { id, number, name, from: before.map(|l| l.code().to_string()), to: after.code().to_string() };
        match before {
            Some(b) if after > b => rose.push((now_score, change)),
            Some(b) if after < b => fell.push((now_score, change)),
            _ => {}
        }
    }
    rose.sort_by_key(|(s, c)| (std::cmp::Reverse(*s), c.id));
    fell.sort_by_key(|(s, c)| (*s, c.id));
    Ok(Changes {
        since: Some(since),
        since_number: None,
        new_total,
        new: refs(bands, new),
        rose: rose.into_iter().take(50).map(|x| x.1).collect(),
        fell: fell.into_iter().take(50).map(|x| x.1).collect(),
        closed_total,
        closed: refs(bands, closed),
    })
}

/// 5.3-c: the company's risk picture now, for the warning report (and the
/// benchmark): heat maps, counts by level, category and department, top 20
/// risks, changes since the last report, breached indicators, overdue
/// measures and escalations since the last report.
#[allow(clippy::type_complexity)]
pub async fn warning_snapshot(db: &Db, now: DateTime<Utc>) -> DbResult<WarningSnapshot> {
    let (bands, last) = tokio::try_join!(bands(db), last_warning(db, now))?;
    let all = company();
    let none = HeatFilter::default();
    let changes = async {
        match &last {
            Some((number, at)) => {
                let mut c = changes_since(db, &bands, *at, now).await?;
                c.since_number = Some(number.clone());
                Ok(c)
            }
            None => Ok(Changes::default()),
        }
    };
    let breached = async {
        let rows: Vec<(i64, String, Option<i64>, i64, Option<String>)> = db
            .read()
            .fetch_all(
                "SELECT i.id, i.code, i.last_value, i.breach_threshold, r.number FROM risk_indicators i LEFT JOIN risks r ON r.id = i.risk_id \
                 WHERE i.active = $1 AND i.last_status = 'breached' ORDER BY i.id",
                args![true],
            )
            .await?;
        Ok::<_, sqlx::Error>(
            rows.into_iter()
                .map(|(id, code, value, breach_threshold, risk_number)| BreachedKri { id, code, value: value.unwrap_or(0), breach_threshold, risk_number })
                .collect::<Vec<_>>(),
        )
    };
    // Every part is independent of the others: all of them run at the same
    // time, each on its own pool connection.
    let (inherent, residual, groups, (categories, departments), top, changes, breached, (overdue, overdue_total), (escalations, escalations_total)) = tokio::try_join!(
        heat_map(db, &all, AssessmentKind::Inherent, &none),
        heat_map(db, &all, AssessmentKind::Residual, &none),
        open_groups(db),
        async {
            tokio::try_join!(
                async { db.read().fetch_all::<(i64, String, String)>("SELECT id, name_zh, name_en FROM risk_categories ORDER BY id", vec![]).await },
                async { db.read().fetch_all::<(i64, String, String)>("SELECT id, name_zh, name_en FROM departments ORDER BY id", vec![]).await },
            )
        },
        top_risks(db, &bands, None, 20),
        changes,
        breached,
        overdue_measures(db, None, company_today(now), 20),
        escalations_between(db, None, last.as_ref().map(|l| l.1), now + Duration::microseconds(1), 20),
    )?;
    let scored: Vec<(i64, i64, i64, i64)> = groups.iter().filter_map(|g| g.2.map(|s| (g.0, g.1, s, g.3))).collect();
    let rows: Vec<(i64, i64)> = scored.iter().map(|g| (g.2, g.3)).collect();
    let by_category = group_counts(&bands, &categories, &scored, |g| g.1);
    let by_department = group_counts(&bands, &departments, &scored, |g| g.0);
    Ok(WarningSnapshot {
        taken_at: now,
        inherent,
        residual,
        by_level: level_counts(&counts_by_level(&bands, &rows)),
        by_category,
        by_department,
        top,
        changes,
        breached,
        overdue_measures: overdue,
        overdue_measures_total: overdue_total,
        escalations_total,
        escalations,
    })
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WarningRecord {
    pub id: i64,
    pub number: String,
    pub period: String,
    pub summary: String,
    pub recommendations: String,
    pub snapshot: String,
    pub issued_by_name: String,
    pub issued_at: DateTime<Utc>,
}

pub async fn warning_report(db: &Db, id: i64) -> DbResult<Option<WarningRecord>> {
    db.read()
        .fetch_optional(
            "SELECT w.id, w.number, w.period, w.summary, w.recommendations, w.snapshot, u.display_name AS issued_by_name, w.issued_at \
             FROM risk_warning_reports w JOIN users u ON u.id = w.issued_by WHERE w.id = $1",
            args![id],
        )
        .await
}

pub async fn warning_reports(db: &Db, period: Option<&str>, after: Option<i64>, limit: i64) -> DbResult<(Vec<WarningRow>, i64)> {
    let p = period.map(str::to_string);
    let total: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM risk_warning_reports w WHERE ($1 IS NULL OR w.period = $1)", args![p.clone()])
        .await?;
    let rows = db
        .read()
        .fetch_all(
            "SELECT w.id, w.number, w.period, u.display_name AS issued_by_name, w.issued_at FROM risk_warning_reports w \
             JOIN users u ON u.id = w.issued_by WHERE ($1 IS NULL OR w.period = $1) AND w.id < $2 ORDER BY w.id DESC LIMIT $3",
            args![p, after.unwrap_or(i64::MAX), limit],
        )
        .await?;
    Ok((rows, total))
}

/// Issues a warning report: the next FXYJ number of the year, the snapshot frozen.
#[allow(clippy::too_many_arguments)]
pub async fn insert_warning_report(
    tx: &mut Tx,
    actor: &Actor,
    period: &str,
    summary: &str,
    recommendations: &str,
    snapshot: &WarningSnapshot,
    by: i64,
    now: DateTime<Utc>,
) -> DbResult<(i64, String)> {
    let number = crate::core::db::next_number(tx, "risk_warning_reports", "FXYJ", crate::core::time::company_year(now)).await?;
    let json = serde_json::to_string(snapshot).unwrap_or_else(|_| "{}".into());
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_warning_reports (number, period, summary, recommendations, snapshot, issued_by, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            args![number.clone(), period, summary, recommendations, json, by, now],
        )
        .await?;
    record(
        tx,
        actor,
        "risk_warning_report",
        Some(id),
        "issue",
        None,
        Some(&serde_json::json!({"number": number, "period": period, "summary": summary, "recommendations": recommendations})),
    )
    .await?;
    Ok((id, number))
}
