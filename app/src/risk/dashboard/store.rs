//! SQL of the risk dashboard and of the monthly level statistics behind its
//! trend (`risk_level_stats`). Everything is aggregated in SQL: the figures are
//! one GROUP BY over the open risks (department × category × current score),
//! folded into levels with the bands in force (levels are never stored on
//! risks), plus the shared heat-map query for each kind (5.1-c).
use super::model::*;
use crate::args;
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::perm::Viewer;
use crate::core::time::{company_midnight, company_today};
use crate::risk::model::{AssessmentKind, Bands, Level};
use crate::risk::store::{HeatFilter, bands, bands_tx, heat_map, rights, scope};
use crate::sales::dashboard::scale::bulk_insert;
use chrono::{DateTime, Datelike, Utc};
use std::collections::BTreeMap;

/// (year, month) of `now` in the company's zone.
pub fn company_month(now: DateTime<Utc>) -> (i32, u32) {
    let d = company_today(now);
    (d.year(), d.month())
}

/// The end of a month (midnight starting the next one, company zone) as UTC.
pub fn month_end(year: i32, month: u32) -> DateTime<Utc> {
    company_midnight(next_month_start(year, month))
}

/// The whole dashboard for the viewer: the independent queries run at the same
/// time on separate pool connections.
pub async fn dashboard(db: &Db, viewer: &Viewer, dept_code: &str, filter: &DashFilter, now: DateTime<Utc>) -> DbResult<Dashboard> {
    let hf = HeatFilter { department_id: filter.department_id, category_id: filter.category_id };
    let (y, m) = company_month(now);
    let periods = periods_back(y, m, TREND_MONTHS);
    let (groups, inherent, residual, trend_rows, bands, departments, categories) = tokio::try_join!(
        grouped(db, viewer, dept_code, filter),
        heat_map(db, viewer, AssessmentKind::Inherent, &hf),
        heat_map(db, viewer, AssessmentKind::Residual, &hf),
        trend_rows(db, viewer, dept_code, filter, &periods[0]),
        bands(db),
        departments(db),
        categories(db),
    )?;
    let unassessed = groups.iter().filter(|g| g.2.is_none()).map(|g| g.3).sum();
    let scored: Vec<(i64, i64, i64, i64)> = groups.iter().filter_map(|g| g.2.map(|s| (g.0, g.1, s, g.3))).collect();
    let all: Vec<(i64, i64, i64)> = scored.iter().map(|r| (0, r.2, r.3)).collect();
    let levels = fold_levels(&all, &bands).first().map(|r| r.1).unwrap_or_default();
    let by_cat = fold_levels(&scored.iter().map(|r| (r.1, r.2, r.3)).collect::<Vec<_>>(), &bands);
    let by_dept = fold_levels(&scored.iter().map(|r| (r.0, r.2, r.3)).collect::<Vec<_>>(), &bands);
    let count_of = |v: &[(i64, LevelCounts)], id: i64| v.iter().find(|r| r.0 == id).map(|r| r.1).unwrap_or_default();
    // Every active category (a zero row says "none here"); departments with risks.
    let by_category = categories
        .iter()
        .filter(|c| c.3 || by_cat.iter().any(|r| r.0 == c.0))
        .map(|c| GroupRow { id: c.0, name_zh: c.1.clone(), name_en: c.2.clone(), counts: count_of(&by_cat, c.0) })
        .collect();
    let by_department = departments
        .iter()
        .filter(|d| by_dept.iter().any(|r| r.0 == d.0))
        .map(|d| GroupRow { id: d.0, name_zh: d.1.clone(), name_en: d.2.clone(), counts: count_of(&by_dept, d.0) })
        .collect();
    Ok(Dashboard {
        filter: filter.clone(),
        bands,
        levels,
        unassessed,
        inherent,
        residual,
        by_category,
        by_department,
        trend: trend(&periods, &trend_rows),
    })
}

/// Open risks the viewer may see per department, category and current score
/// (`None`: not assessed yet).
async fn grouped(db: &Db, viewer: &Viewer, dept_code: &str, f: &DashFilter) -> DbResult<Vec<(i64, i64, Option<i64>, i64)>> {
    let (vis, mut a) = scope(viewer, dept_code, 1);
    let mut sql = format!("SELECT r.department_id, r.category_id, r.current_score, COUNT(*) FROM risks r WHERE r.status <> 'closed' AND {vis}");
    push_filters(&mut sql, &mut a, f, "r.");
    sql.push_str(" GROUP BY r.department_id, r.category_id, r.current_score");
    db.read().fetch_all(&sql, a).await
}

fn push_filters(sql: &mut String, a: &mut Vec<Arg>, f: &DashFilter, alias: &str) {
    if let Some(d) = f.department_id {
        a.push(Arg::from(d));
        sql.push_str(&format!(" AND {alias}department_id = ${}", a.len()));
    }
    if let Some(c) = f.category_id {
        a.push(Arg::from(c));
        sql.push_str(&format!(" AND {alias}category_id = ${}", a.len()));
    }
}

/// High and critical counts per month from `from` on. The statistics are kept
/// per department, so people who see only their department's risks get their
/// department's trend.
async fn trend_rows(db: &Db, viewer: &Viewer, dept_code: &str, f: &DashFilter, from: &str) -> DbResult<Vec<(String, String, i64)>> {
    let mut a = args![from.to_string()];
    let mut sql = "SELECT period, level, CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM risk_level_stats WHERE period >= $1 AND level IN ('high', 'critical')".to_string();
    if !rights(viewer, dept_code).company_wide {
        a.push(Arg::from(viewer.department_id));
        sql.push_str(&format!(" AND department_id = ${}", a.len()));
    }
    push_filters(&mut sql, &mut a, f, "");
    sql.push_str(" GROUP BY period, level");
    db.read().fetch_all(&sql, a).await
}

/// Active departments (id, zh, en) for the filter and the table.
pub async fn departments(db: &Db) -> DbResult<Vec<(i64, String, String)>> {
    db.read().fetch_all("SELECT id, name_zh, name_en FROM departments WHERE active = $1 ORDER BY id", args![true]).await
}

/// Categories (id, zh, en, active) in their order.
pub async fn categories(db: &Db) -> DbResult<Vec<(i64, String, String, bool)>> {
    db.read().fetch_all("SELECT id, name_zh, name_en, active FROM risk_categories ORDER BY sort, id", vec![]).await
}

/// Rewrites one period's statistics: (department, category, level) → count.
async fn write_period(tx: &mut Tx, period: &str, counts: BTreeMap<(i64, i64, Level), i64>) -> DbResult<()> {
    tx.execute("DELETE FROM risk_level_stats WHERE period = $1", args![period]).await?;
    let rows: Vec<Vec<Arg>> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|((d, c, l), n)| vec![Arg::from(period), Arg::I64(d), Arg::I64(c), Arg::from(l.code()), Arg::I64(n)])
        .collect();
    bulk_insert(tx, "risk_level_stats", &["period", "department_id", "category_id", "level", "n"], rows).await
}

/// This month's statistics from the risks as they are now (open risks by
/// department, category and the level of their current score with the bands
/// now). Run by the hourly job; running it twice changes nothing.
pub async fn hourly(db: &Db, now: DateTime<Utc>) -> DbResult<()> {
    let (y, m) = company_month(now);
    let mut tx = db.begin().await?;
    let bands: Bands = bands_tx(&mut tx).await?;
    let rows: Vec<(i64, i64, i64, i64)> = tx
        .fetch_all(
            "SELECT department_id, category_id, current_score, COUNT(*) FROM risks WHERE status <> 'closed' AND current_score IS NOT NULL \
             GROUP BY department_id, category_id, current_score",
            vec![],
        )
        .await?;
    let mut counts = BTreeMap::new();
    for (d, c, score, n) in rows {
        *counts.entry((d, c, bands.level(score))).or_insert(0) += n;
    }
    write_period(&mut tx, &period_of(y, m), counts).await?;
    tx.commit().await
}

/// Derives the `months` complete months before the current one from the
/// assessment history (5.1-c keeps every assessment): for each month end, the
/// risks created before it and not closed by then, each at its latest
/// assessment up to then — the latest residual one when it had one, else the
/// latest inherent one (as `risks.current_score`) — with the level recorded
/// with that assessment (the bands then). Used by the demo and the scale seed.
pub async fn rebuild_history(db: &Db, now: DateTime<Utc>, months: u32) -> DbResult<()> {
    let (y, m) = company_month(now);
    let mut tx = db.begin().await?;
    for back in 1..=months {
        let (py, pm) = month_minus(y, m, back);
        let end = month_end(py, pm);
        let rows: Vec<(i64, i64, String, i64)> = tx
            .fetch_all(
                "SELECT department_id, category_id, lvl, COUNT(*) FROM (\
                   SELECT r.department_id, r.category_id, \
                     (SELECT a.level FROM risk_assessments a WHERE a.risk_id = r.id AND a.assessed_at < $1 \
                      ORDER BY CASE WHEN a.kind = 'residual' THEN 0 ELSE 1 END, a.assessed_at DESC, a.id DESC LIMIT 1) AS lvl \
                   FROM risks r WHERE r.created_at < $1 AND (r.closed_at IS NULL OR r.closed_at >= $1)\
                 ) x WHERE lvl IS NOT NULL GROUP BY department_id, category_id, lvl",
                args![end],
            )
            .await?;
        let mut counts = BTreeMap::new();
        for (d, c, lvl, n) in rows {
            if let Some(l) = Level::parse(&lvl) {
                *counts.entry((d, c, l)).or_insert(0) += n;
            }
        }
        write_period(&mut tx, &period_of(py, pm), counts).await?;
    }
    tx.commit().await
}
