//! Server functions of monitoring (5.3). Each: authenticate, authorise
//! (`risk::store::rights`/`head`), validate, one transaction with its audit
//! entry, return a view type.
use super::model::*;
use crate::core::error::AppError;
use crate::core::list::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, respond},
    crate::core::db::Db,
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::Role,
    crate::risk::model::RiskRights,
    chrono::Utc,
};

/// The viewer's rights in the risk module.
#[cfg(feature = "ssr")]
async fn rights_of(db: &Db, user: &CurrentUser) -> Result<RiskRights, AppError> {
    let code = crate::risk::store::department_code(db, user.department_id).await?;
    Ok(crate::risk::store::rights(&user.viewer(), &code))
}

/// Indicators are company-wide figures: the risk office, executives, admins and managers see them.
#[cfg(feature = "ssr")]
fn sees_indicators(r: &RiskRights, role: Role) -> bool {
    r.company_wide || role >= Role::Manager
}

/// Warning reports: the risk office, executives and managers (5.3-c).
#[cfg(feature = "ssr")]
fn sees_warnings(r: &RiskRights, role: Role) -> bool {
    r.company_wide || role >= Role::Manager
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorsView {
    pub rows: Vec<Indicator>,
    /// The risk office edits thresholds, links and owners and evaluates now.
    pub can_edit: bool,
    /// Active users (id, name) for the owner field (only when asked for editing).
    pub users: Vec<(i64, String)>,
    pub time_zone: String,
}

/// The indicators; `editing`: also the owner picker's people (the indicators
/// page of the risk office; the dashboard's gauges do without them).
#[server(endpoint = "risk/mon_indicators")]
pub async fn kri_list(#[server(default)] editing: bool) -> Result<IndicatorsView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let r = rights_of(&db, &user).await?;
        if !sees_indicators(&r, user.role) {
            return Err(AppError::Forbidden);
        }
        let users: Vec<(i64, String)> = if r.risk_office && editing {
            db.read().fetch_all("SELECT id, display_name FROM users WHERE active = $1 ORDER BY display_name, id", crate::args![true]).await?
        } else {
            vec![]
        };
        Ok(IndicatorsView { rows: store::indicators(&db).await?, can_edit: r.risk_office, users, time_zone: user.time_zone.clone() })
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDetail {
    pub indicator: Indicator,
    /// The latest values, oldest first (the chart).
    pub trend: Vec<IndicatorValue>,
    /// One page of values, newest first (the table), and the cursor of the next.
    pub values: Vec<IndicatorValue>,
    pub next: Option<i64>,
    pub time_zone: String,
}

pub const VALUES_PAGE: i64 = 50;

#[server(endpoint = "risk/mon_indicator")]
pub async fn kri_detail(id: i64, before: Option<i64>) -> Result<IndicatorDetail, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let r = rights_of(&db, &user).await?;
        if !sees_indicators(&r, user.role) {
            return Err(AppError::Forbidden);
        }
        let indicator = store::indicator(&db, id).await?.ok_or(AppError::NotFound)?;
        let mut trend = store::values(&db, id, None, 90).await?;
        trend.reverse();
        let mut values = store::values(&db, id, before, VALUES_PAGE + 1).await?;
        let next = if values.len() as i64 > VALUES_PAGE {
            values.truncate(VALUES_PAGE as usize);
            values.last().map(|v| v.id)
        } else {
            None
        };
        Ok(IndicatorDetail { indicator, trend, values, next, time_zone: user.time_zone.clone() })
    })
    .await
}

/// The risk office sets an indicator's thresholds (typed in its unit), the
/// risk it is bound to (by number, empty for none) and its owner (5.3-a).
#[server(endpoint = "risk/mon_update_indicator")]
pub async fn kri_update(
    id: i64,
    version: i64,
    warn: String,
    breach: String,
    risk_number: String,
    owner_id: String,
) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        if !rights_of(&db, &user).await?.risk_office {
            return Err(AppError::Forbidden);
        }
        let mut tx = db.begin().await?;
        let cur = store::indicator_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let unit = cur.unit();
        let mut c = Checks::new();
        let w = parse_threshold(unit, &warn);
        let b = parse_threshold(unit, &breach);
        if w.is_none() {
            c.add("warn", if warn.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
        }
        if b.is_none() {
            c.add("breach", if breach.trim().is_empty() { K::ValRequired } else { K::ValInvalid });
        }
        if let (Some(w), Some(b)) = (w, b)
            && b <= w
        {
            c.add("breach", K::RiskMonErrBreachBeyondWarn);
        }
        let number = risk_number.trim();
        let mut risk_id = None;
        if !number.is_empty() {
            let r: Option<(i64, String)> = tx.fetch_optional("SELECT id, status FROM risks WHERE number = $1", crate::args![number]).await?;
            match r {
                Some((rid, st)) if st != "closed" => risk_id = Some(rid),
                Some(_) => c.add("risk_number", K::RiskMonErrRiskClosed),
                None => c.add("risk_number", K::RiskMonErrNoSuchRisk),
            }
        }
        let owner = match owner_id.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(o) => {
                    let n: i64 = tx.scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND active = $2", crate::args![o, true]).await?;
                    if n == 0 {
                        c.add("owner_id", K::ValInvalid);
                    }
                    Some(o)
                }
                Err(_) => {
                    c.add("owner_id", K::ValInvalid);
                    None
                }
            },
        };
        c.finish()?;
        let (Some(w), Some(b)) = (w, b) else { return Err(AppError::Internal) };
        let now = Utc::now();
        let n = tx
            .execute(
                "UPDATE risk_indicators SET warn_threshold = $1, breach_threshold = $2, risk_id = $3, owner_id = $4, version = version + 1, \
                 updated_at = $5, updated_by = $6 WHERE id = $7 AND version = $8",
                crate::args![w, b, risk_id, owner, now, user.id, id, version],
            )
            .await?;
        if n == 0 {
            return Err(AppError::Conflict { current: serde_json::to_value(&cur).unwrap_or_default() });
        }
        crate::core::audit::record(
            &mut tx,
            &who,
            "risk_indicator",
            Some(id),
            "update",
            Some(&serde_json::json!({"warn_threshold": cur.warn_threshold, "breach_threshold": cur.breach_threshold, "risk_id": cur.risk_id, "owner_id": cur.owner_id})),
            Some(&serde_json::json!({"warn_threshold": w, "breach_threshold": b, "risk_id": risk_id, "owner_id": owner})),
        )
        .await?;
        tx.commit().await?;
        // The status against the new thresholds at once.
        store::evaluate_one(&db, id, now).await?;
        Ok(())
    })
    .await
}

/// The risk office evaluates every indicator now (as the hourly job does).
#[server(endpoint = "risk/mon_evaluate_now")]
pub async fn kri_evaluate_now() -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        if !rights_of(&db, &user).await?.risk_office {
            return Err(AppError::Forbidden);
        }
        store::hourly(&db, Utc::now()).await?;
        Ok(())
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EscalationsView {
    pub escalations: Vec<EscalationRow>,
    /// A breach's likelihood suggestion still pending: (likelihood, note).
    pub suggestion: Option<(i64, String)>,
    pub indicators: Vec<Indicator>,
    pub time_zone: String,
}

/// A risk's escalations (5.3-d), its pending likelihood suggestion and the
/// indicators bound to it, for anyone who may see the risk.
#[server(endpoint = "risk/mon_risk_escalations")]
pub async fn risk_escalations(risk_id: i64) -> Result<EscalationsView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        crate::risk::store::head(&db, &user.viewer(), risk_id).await?.ok_or(AppError::NotFound)?;
        let (escalations, suggestion, indicators) =
            tokio::try_join!(store::risk_escalations(&db, risk_id), store::suggestion(&db, risk_id), store::risk_indicators(&db, risk_id))?;
        Ok(EscalationsView { escalations, suggestion, indicators, time_zone: user.time_zone.clone() })
    })
    .await
}

/// The reports page's filters as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportsQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub after: String,
    #[serde(default)]
    pub wafter: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportsView {
    pub department_reports: Page<DeptReportRow>,
    /// Empty when the reader may not see warning reports.
    pub warning_reports: Page<WarningRow>,
    pub sees_warnings: bool,
    pub departments: Vec<(i64, String, String)>,
    /// The reader is a department manager: may create their department's report.
    pub can_create: bool,
    /// The risk office issues warning reports.
    pub can_issue: bool,
    /// This month, 'YYYY-MM' (company time): the default period.
    pub this_month: String,
    pub last_month: String,
    pub time_zone: String,
}

pub const REPORTS_PAGE: i64 = 20;

#[server(endpoint = "risk/mon_reports")]
pub async fn reports_page(query: ReportsQuery) -> Result<ReportsView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let r = rights_of(&db, &user).await?;
        let period = parse_period(&query.period).map(|_| query.period.trim().to_string());
        let department = query.department.trim().parse::<i64>().ok();
        let (rows, total) = store::department_reports(
            &db,
            r.company_wide,
            &user.viewer(),
            period.as_deref(),
            department,
            query.after.trim().parse().ok(),
            REPORTS_PAGE + 1,
        )
        .await?;
        let department_reports = page(rows, total, |x| x.id);
        let sees = sees_warnings(&r, user.role);
        let warning_reports = if sees {
            let (rows, total) = store::warning_reports(&db, period.as_deref(), query.wafter.trim().parse().ok(), REPORTS_PAGE + 1).await?;
            page(rows, total, |x| x.id)
        } else {
            Page { rows: vec![], next: None, total: 0 }
        };
        let departments: Vec<(i64, String, String)> =
            db.read().fetch_all("SELECT id, name_zh, name_en FROM departments WHERE active = $1 ORDER BY id", crate::args![true]).await?;
        let today = crate::core::time::company_today(Utc::now());
        let last = today.with_day(1).unwrap_or(today) - chrono::Duration::days(1);
        Ok(ReportsView {
            department_reports,
            warning_reports,
            sees_warnings: sees,
            departments,
            can_create: user.role == Role::Manager,
            can_issue: r.risk_office,
            this_month: period_of(today),
            last_month: period_of(last),
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
use chrono::Datelike;

#[cfg(feature = "ssr")]
fn page<T>(mut rows: Vec<T>, total: i64, id: impl Fn(&T) -> i64) -> Page<T> {
    let next = if rows.len() as i64 > REPORTS_PAGE {
        rows.truncate(REPORTS_PAGE as usize);
        rows.last().map(|r| id(r).to_string())
    } else {
        None
    };
    Page { rows, next, total }
}

/// 5.3-b: a department's manager creates the report of a period (a draft
/// with the figures as of now and their summary); answers with a redirect to it.
#[server(endpoint = "risk/mon_create_dept_report")]
pub async fn create_department_report(period: String, summary: String) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        if user.role != Role::Manager {
            return Err(AppError::Forbidden);
        }
        let mut c = Checks::new();
        let p = parse_period(&period);
        if p.is_none() {
            c.add("period", if period.trim().is_empty() { K::ValRequired } else { K::RiskMonErrPeriod });
        }
        let summary = summary.trim().to_string();
        c.max_len("summary", &summary, SUMMARY_MAX);
        c.finish()?;
        let Some(p) = p else { return Err(AppError::Internal) };
        let period = format!("{:04}-{:02}", p.0, p.1);
        let now = Utc::now();
        let snapshot = store::department_snapshot(&db, user.department_id, p, now).await?;
        let mut tx = db.begin().await?;
        let exists: i64 = tx
            .scalar(
                "SELECT COUNT(*) FROM risk_department_reports WHERE department_id = $1 AND period = $2",
                crate::args![user.department_id, period.clone()],
            )
            .await?;
        if exists > 0 {
            return Err(AppError::field("period", K::RiskMonErrReportExists));
        }
        let id = store::insert_department_report(&mut tx, &who, user.department_id, &period, &summary, &snapshot, user.id, now).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/risks/reports/department/{id}"));
        Ok(id)
    })
    .await
}

/// 5.3-b: the manager submits the report (figures refreshed, summary as
/// given): their leader and the risk department are told.
#[server(endpoint = "risk/mon_submit_dept_report")]
pub async fn submit_department_report(id: i64, version: i64, summary: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let rec = store::department_report(&db, id).await?.ok_or(AppError::NotFound)?;
        if !(user.role == Role::Manager && user.department_id == rec.department_id) {
            return Err(AppError::Forbidden);
        }
        let summary = summary.trim().to_string();
        let mut c = Checks::new();
        c.require("summary", &summary);
        c.max_len("summary", &summary, SUMMARY_MAX);
        if rec.status != "draft" {
            c.add("summary", K::RiskMonErrSubmitted);
        }
        c.finish()?;
        let p = parse_period(&rec.period).ok_or(AppError::Internal)?;
        let now = Utc::now();
        let snapshot = store::department_snapshot(&db, rec.department_id, p, now).await?;
        let mut tx = db.begin().await?;
        let rec = store::department_report_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !store::submit_department_report(&mut tx, &who, &rec, version, &summary, &snapshot, user.id, now).await? {
            return Err(AppError::Conflict { current: serde_json::json!({"status": rec.status, "summary": rec.summary, "version": rec.version}) });
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeptReportView {
    pub id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub period: String,
    pub summary: String,
    pub status: String,
    pub submitted_by_name: Option<String>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
    pub snapshot: DeptSnapshot,
    pub can_submit: bool,
    pub time_zone: String,
}

/// A department report: the company-wide readers and the department's people.
#[server(endpoint = "risk/mon_dept_report")]
pub async fn department_report(id: i64) -> Result<DeptReportView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let r = rights_of(&db, &user).await?;
        let rec = store::department_report(&db, id).await?.ok_or(AppError::NotFound)?;
        if !(r.company_wide || user.department_id == rec.department_id) {
            return Err(AppError::NotFound);
        }
        let snapshot: DeptSnapshot = serde_json::from_str(&rec.snapshot).unwrap_or_default();
        Ok(DeptReportView {
            id: rec.id,
            department_zh: rec.department_zh,
            department_en: rec.department_en,
            period: rec.period,
            summary: rec.summary,
            can_submit: rec.status == "draft" && user.role == Role::Manager && user.department_id == rec.department_id,
            status: rec.status,
            submitted_by_name: rec.submitted_by_name,
            submitted_at: rec.submitted_at,
            version: rec.version,
            snapshot,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

/// 5.3-c: the risk office issues the company risk warning report (figures
/// frozen now); answers with a redirect to it.
#[server(endpoint = "risk/mon_issue_warning")]
pub async fn issue_warning_report(period: String, summary: String, recommendations: String) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        if !rights_of(&db, &user).await?.risk_office {
            return Err(AppError::Forbidden);
        }
        let mut c = Checks::new();
        let p = parse_period(&period);
        if p.is_none() {
            c.add("period", if period.trim().is_empty() { K::ValRequired } else { K::RiskMonErrPeriod });
        }
        let (summary, recommendations) = (summary.trim().to_string(), recommendations.trim().to_string());
        c.require("summary", &summary);
        c.max_len("summary", &summary, SUMMARY_MAX);
        c.max_len("recommendations", &recommendations, SUMMARY_MAX);
        c.finish()?;
        let Some(p) = p else { return Err(AppError::Internal) };
        let now = Utc::now();
        let snapshot = store::warning_snapshot(&db, now).await?;
        let mut tx = db.begin().await?;
        let (id, _) =
            store::insert_warning_report(&mut tx, &who, &format!("{:04}-{:02}", p.0, p.1), &summary, &recommendations, &snapshot, user.id, now).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/risks/reports/warning/{id}"));
        Ok(id)
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarningView {
    pub id: i64,
    pub number: String,
    pub period: String,
    pub summary: String,
    pub recommendations: String,
    pub issued_by_name: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub snapshot: WarningSnapshot,
    pub time_zone: String,
}

#[server(endpoint = "risk/mon_warning_report")]
pub async fn warning_report(id: i64) -> Result<WarningView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let r = rights_of(&db, &user).await?;
        if !sees_warnings(&r, user.role) {
            return Err(AppError::Forbidden);
        }
        let rec = store::warning_report(&db, id).await?.ok_or(AppError::NotFound)?;
        let snapshot: WarningSnapshot = serde_json::from_str(&rec.snapshot).map_err(|_| AppError::Internal)?;
        Ok(WarningView {
            id: rec.id,
            number: rec.number,
            period: rec.period,
            summary: rec.summary,
            recommendations: rec.recommendations,
            issued_by_name: rec.issued_by_name,
            issued_at: rec.issued_at,
            snapshot,
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}
