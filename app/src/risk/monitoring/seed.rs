//! Demo data of the monitoring part (after register, response and credit):
//! the built-in indicators bound to fitting demo risks, their past values
//! computed from the data as of earlier dates where the data allows it
//! (receivables from due dates and payments, order exceptions from their report
//! times; project health and credit limits have no exact past, so those
//! indicators start today), an evaluation now (a breach escalates), the sales
//! department's report of last month submitted, and a warning report issued
//! last month by the risk manager.
use super::model::*;
use super::store;
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::Db;
use crate::core::error::AppError;
use crate::core::time::{company_midnight, company_today};
use chrono::{DateTime, Datelike, Duration, Utc};

/// Weekly points of the receivable and order-exception trends, this many weeks back.
const HISTORY_WEEKS: i64 = 26;

async fn user(db: &Db, username: &str) -> Result<Option<(i64, String, i64)>, AppError> {
    Ok(db.read().fetch_optional("SELECT id, display_name, department_id FROM users WHERE username = $1", args![username]).await?)
}

/// The open risk of a category (and, preferably, a department) with the highest score.
async fn fitting_risk(db: &Db, category: &str, departments: &[&str]) -> Result<Option<i64>, AppError> {
    for d in departments {
        let r: Option<(i64,)> = db
            .read()
            .fetch_optional(
                "SELECT r.id FROM risks r JOIN risk_categories c ON c.id = r.category_id JOIN departments d ON d.id = r.department_id \
                 WHERE c.code = $1 AND d.code = $2 AND r.status <> 'closed' ORDER BY COALESCE(r.current_score, 0) DESC, r.id LIMIT 1",
                args![category, *d],
            )
            .await?;
        if let Some((id,)) = r {
            return Ok(Some(id));
        }
    }
    let r: Option<(i64,)> = db
        .read()
        .fetch_optional(
            "SELECT r.id FROM risks r JOIN risk_categories c ON c.id = r.category_id WHERE c.code = $1 AND r.status <> 'closed' \
             ORDER BY COALESCE(r.current_score, 0) DESC, r.id LIMIT 1",
            args![category],
        )
        .await?;
    Ok(r.map(|r| r.0))
}

async fn bind(db: &Db, code: KriCode, risk: Option<i64>, owner: Option<i64>, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let (id, old_risk, old_owner): (i64, Option<i64>, Option<i64>) =
        tx.fetch_one("SELECT id, risk_id, owner_id FROM risk_indicators WHERE code = $1", args![code.code()]).await?;
    let owner = owner.or(old_owner);
    tx.execute(
        "UPDATE risk_indicators SET risk_id = $1, owner_id = $2, version = version + 1, updated_at = $3 WHERE id = $4",
        args![risk, owner, now, id],
    )
    .await?;
    crate::core::audit::record(
        &mut tx,
        &Actor::system("demo"),
        "risk_indicator",
        Some(id),
        "update",
        Some(&serde_json::json!({"risk_id": old_risk, "owner_id": old_owner})),
        Some(&serde_json::json!({"risk_id": risk, "owner_id": owner})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn past_values(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    let today = company_today(now);
    let rows: Vec<(i64, String, i64, i64)> =
        db.read().fetch_all("SELECT id, code, warn_threshold, breach_threshold FROM risk_indicators", vec![]).await?;
    let find = |c: KriCode| rows.iter().find(|r| r.1 == c.code()).cloned();
    let (Some(od), Some(o90), Some(ex)) =
        (find(KriCode::OverdueReceivables), find(KriCode::Overdue90Share), find(KriCode::OrderExceptionsMonth))
    else {
        return Ok(());
    };
    let mut points = vec![];
    for w in (1..=HISTORY_WEEKS).rev() {
        let day = today - Duration::days(7 * w);
        // As measured at the end of that day.
        let at = company_midnight(day + Duration::days(1)) - Duration::seconds(1);
        let (overdue, share) = store::receivables_as_of(db, day).await?;
        let exceptions = store::order_exceptions_month(db, at).await?;
        points.push((at, overdue, share, exceptions));
    }
    let mut tx = db.begin().await?;
    for (at, overdue, share, exceptions) in points {
        for ((id, _, warn, breach), v) in [(&od, overdue), (&o90, share), (&ex, exceptions)] {
            tx.execute(
                "INSERT INTO risk_indicator_values (indicator_id, measured_at, value, status) VALUES ($1, $2, $3, $4)",
                args![*id, at, v, status_of(v, *warn, *breach).code()],
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let now = Utc::now();
    store::ensure_indicators(db).await?;
    let finance_mgr = user(db, "zheng.hong").await?.map(|u| u.0);
    let pmo_mgr = user(db, "wu.hao").await?.map(|u| u.0);
    let prod_mgr = user(db, "zhu.gang").await?.map(|u| u.0);
    // Receivables and credit: a credit risk, preferably finance's.
    let credit = fitting_risk(db, "credit", &["finance", "sales"]).await?;
    bind(db, KriCode::OverdueReceivables, credit, finance_mgr, now).await?;
    bind(db, KriCode::Overdue90Share, credit, finance_mgr, now).await?;
    bind(db, KriCode::CreditLimitBreaches, credit, finance_mgr, now).await?;
    // Projects: an operational risk of the PMO.
    let projects = fitting_risk(db, "operational", &["pmo", "rnd"]).await?;
    bind(db, KriCode::ProjectsRed, projects, pmo_mgr, now).await?;
    bind(db, KriCode::ProjectsSpiBelow, projects, pmo_mgr, now).await?;
    // Order exceptions: an operational risk of production or logistics.
    let orders = fitting_risk(db, "operational", &["production", "logistics"]).await?;
    bind(db, KriCode::OrderExceptionsMonth, orders.or(projects), prod_mgr, now).await?;
    past_values(db, now).await?;
    store::evaluate_all(db, now).await?;

    let today = company_today(now);
    let month_start = today.with_day(1).unwrap_or(today);
    let last_month = month_start - Duration::days(1);
    // A warning report issued by the risk manager last month (figures of the demo data).
    if let Some((luo, name, _)) = user(db, "luo.yan").await? {
        let issued = company_midnight(last_month.with_day(25).unwrap_or(last_month)) + Duration::hours(10);
        let snapshot = store::warning_snapshot(db, issued).await?;
        let mut tx = db.begin().await?;
        let actor = Actor { user_id: Some(luo), name, client_addr: "demo".into() };
        store::insert_warning_report(
            &mut tx,
            &actor,
            &period_of(last_month),
            "本月信用风险仍为重点：部分客户回款逾期，应收账款集中度偏高。项目执行风险总体可控，个别项目进度滞后。",
            "1. 财务部与销售部对逾期应收逐户制定催收计划；2. 对超信用额度客户暂停赊销；3. 项目管理部对进度滞后项目加强周度跟踪。",
            &snapshot,
            luo,
            issued,
        )
        .await?;
        tx.commit().await?;
    }
    // The sales department's report of last month, submitted early this month.
    if let Some((li, name, dept)) = user(db, "li.qiang").await? {
        let at = (company_midnight(month_start + Duration::days(1)) + Duration::hours(9)).min(now);
        let (y, m) = (last_month.year(), last_month.month());
        let snapshot = store::department_snapshot(db, dept, (y, m), at).await?;
        let actor = Actor { user_id: Some(li), name, client_addr: "demo".into() };
        let summary = "销售部上月主要风险为客户回款逾期和大客户集中度，已对逾期客户逐户跟进；新签合同均经信用额度检查。";
        let mut tx = db.begin().await?;
        let id = store::insert_department_report(&mut tx, &actor, dept, &period_of(last_month), summary, &snapshot, li, at).await?;
        let rec = store::department_report_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;
        store::submit_department_report(&mut tx, &actor, &rec, rec.version, summary, &snapshot, li, at).await?;
        tx.commit().await?;
    }
    Ok(())
}
