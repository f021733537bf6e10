//! The dashboard's SQL. Every figure is an aggregate computed by the database
//! over covering indexes (see the migration); nothing is loaded row by row.
use super::model::*;
use crate::args;
use crate::core::db::{Arg, Backend, Db, DbResult};
use crate::core::time::company_midnight;
use chrono::{Duration, NaiveDate};

/// The stages, in board order.
async fn stages(db: &Db) -> DbResult<Vec<(String, String, String, String, i64)>> {
    db.read()
        .fetch_all("SELECT code, name_zh, name_en, kind, probability FROM opportunity_stages WHERE active = $1 ORDER BY position, id", args![true])
        .await
}

/// `AND o.department_id = $n AND o.owner_id = $m` for the filter, appended to `args`.
fn scope(f: &DashFilter, alias: &str, args: &mut Vec<Arg>) -> String {
    let mut s = String::new();
    if let Some(d) = f.department_id {
        args.push(Arg::I64(d));
        s.push_str(&format!(" AND {alias}.department_id = ${}", args.len()));
    }
    if let Some(o) = f.owner_id {
        args.push(Arg::I64(o));
        s.push_str(&format!(" AND {alias}.owner_id = ${}", args.len()));
    }
    s
}

/// `$a, $b, …` for a list of stage codes appended to `args`.
fn in_list(codes: &[&String], args: &mut Vec<Arg>) -> String {
    if codes.is_empty() {
        return "NULL".into();
    }
    codes
        .iter()
        .map(|c| {
            args.push(Arg::Str((*c).clone()));
            format!("${}", args.len())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn days_between(backend: Backend, later: &str, earlier: &str) -> String {
    match backend {
        Backend::Sqlite => format!("(julianday({later}) - julianday({earlier}))"),
        Backend::Postgres => format!("(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"),
    }
}

/// `AND s.department_id = $n AND s.owner_id = $m` over the close statistics.
fn stats_scope(f: &DashFilter, args: &mut Vec<Arg>) -> String {
    scope(f, "s", args)
}

fn month_key(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// The main aggregate: count and amount per stage — open stages over the deals
/// expected to close in the period (a covering-index range per stage), won and
/// lost over the deals closed in it (from the per-month close statistics).
/// Public so the benchmark can time the raw SQL.
pub async fn funnel(db: &Db, f: &DashFilter) -> DbResult<Vec<StageFigure>> {
    let all = stages(db).await?;
    funnel_of(db, f, all).await
}

async fn funnel_of(db: &Db, f: &DashFilter, all: Vec<(String, String, String, String, i64)>) -> DbResult<Vec<StageFigure>> {
    let open: Vec<&String> = all.iter().filter(|s| s.3 == "open").map(|s| &s.0).collect();
    let mut a = args![f.from, f.to, month_key(f.from), month_key(f.to)];
    let open_in = in_list(&open, &mut a);
    let open_scope = scope(f, "o", &mut a);
    let closed_scope = stats_scope(f, &mut a);
    let sql = format!(
        "SELECT o.stage_code, COUNT(*), CAST(COALESCE(SUM(o.amount_minor), 0) AS BIGINT) FROM opportunities o \
         WHERE o.stage_code IN ({open_in}) AND o.expected_close >= $1 AND o.expected_close <= $2{open_scope} GROUP BY o.stage_code \
         UNION ALL \
         SELECT s.stage_code, CAST(COALESCE(SUM(s.deals), 0) AS BIGINT), CAST(COALESCE(SUM(s.amount_minor), 0) AS BIGINT) \
         FROM opportunity_close_stats s WHERE s.month >= $3 AND s.month <= $4{closed_scope} GROUP BY s.stage_code"
    );
    let rows: Vec<(String, i64, i64)> = db.read().fetch_all(&sql, a).await?;
    Ok(all
        .into_iter()
        .map(|(code, name_zh, name_en, kind, probability)| {
            let (count, amount_minor) = rows.iter().filter(|r| r.0 == code).fold((0, 0), |acc, r| (acc.0 + r.1, acc.1 + r.2));
            StageFigure { code, name_zh, name_en, kind, probability, count, amount_minor }
        })
        .collect())
}

async fn months(db: &Db, f: &DashFilter, won: &[&String]) -> DbResult<Vec<MonthFigure>> {
    let mut a = args![month_key(f.from), month_key(f.to)];
    let won_in = in_list(won, &mut a);
    let sc = stats_scope(f, &mut a);
    let sql = format!(
        "SELECT s.month, CAST(COALESCE(SUM(s.deals), 0) AS BIGINT), CAST(COALESCE(SUM(s.amount_minor), 0) AS BIGINT) \
         FROM opportunity_close_stats s WHERE s.month >= $1 AND s.month <= $2 AND s.stage_code IN ({won_in}){sc} GROUP BY s.month"
    );
    let won_rows: Vec<(String, i64, i64)> = db.read().fetch_all(&sql, a).await?;
    // Targets: the department's when one is chosen, else the company's.
    let (y0, y1) = (chrono::Datelike::year(&f.from) as i64, chrono::Datelike::year(&f.to) as i64);
    let targets: Vec<(i64, i64, i64)> = match f.department_id {
        Some(d) => {
            db.read()
                .fetch_all("SELECT year, month, amount_minor FROM sales_targets WHERE year >= $1 AND year <= $2 AND department_id = $3", args![y0, y1, d])
                .await?
        }
        None => {
            db.read()
                .fetch_all("SELECT year, month, amount_minor FROM sales_targets WHERE year >= $1 AND year <= $2 AND department_id IS NULL", args![y0, y1])
                .await?
        }
    };
    Ok(months_between(f.from, f.to)
        .into_iter()
        .map(|month| {
            let (won_count, won_minor) = won_rows.iter().find(|r| r.0 == month).map(|r| (r.1, r.2)).unwrap_or((0, 0));
            let target_minor = targets
                .iter()
                .find(|t| format!("{:04}-{:02}", t.0, t.1) == month)
                .map(|t| t.2)
                .unwrap_or(0);
            MonthFigure { month, won_count, won_minor, target_minor }
        })
        .collect())
}

/// Win rate and average cycle (creation to close of won deals) per owner or
/// per department, from the close statistics.
async fn performance(db: &Db, f: &DashFilter, won: &[&String], lost: &[&String], by_department: bool) -> DbResult<Vec<PerfFigure>> {
    let mut a = args![month_key(f.from), month_key(f.to)];
    let won_in = in_list(won, &mut a);
    let lost_in = in_list(lost, &mut a);
    let sc = stats_scope(f, &mut a);
    let (key, join, names) = if by_department {
        ("s.department_id", "JOIN departments n ON n.id = s.department_id", "n.name_zh, n.name_en")
    } else {
        ("s.owner_id", "JOIN users n ON n.id = s.owner_id", "n.display_name, n.display_name")
    };
    let sql = format!(
        "SELECT {key} AS id, {names}, \
         CAST(SUM(CASE WHEN s.stage_code IN ({won_in}) THEN s.deals ELSE 0 END) AS BIGINT) AS won, \
         CAST(SUM(CASE WHEN s.stage_code IN ({lost_in}) THEN s.deals ELSE 0 END) AS BIGINT) AS lost, \
         CAST(SUM(CASE WHEN s.stage_code IN ({won_in}) THEN s.amount_minor ELSE 0 END) AS BIGINT) AS won_minor, \
         CAST(SUM(CASE WHEN s.stage_code IN ({won_in}) THEN s.cycle_days ELSE 0 END) AS DOUBLE PRECISION) AS cycle_sum \
         FROM opportunity_close_stats s {join} \
         WHERE s.month >= $1 AND s.month <= $2{sc} \
         GROUP BY {key}, {names} HAVING SUM(s.deals) > 0 ORDER BY 6 DESC, 1 LIMIT 15"
    );
    let rows: Vec<(i64, String, String, i64, i64, i64, f64)> = db.read().fetch_all(&sql, a).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name_zh, name_en, won, lost, won_minor, cycle_sum)| PerfFigure {
            id,
            name_zh,
            name_en,
            won,
            lost,
            won_minor,
            avg_cycle_days: (won > 0).then(|| cycle_sum / won as f64),
        })
        .collect())
}

const DEAL_SELECT: &str = "SELECT o.id, o.title, c.name AS customer, u.display_name AS owner, s.name_zh AS stage_zh, \
    s.name_en AS stage_en, o.amount_minor, o.expected_close FROM opportunities o \
    JOIN customers c ON c.id = o.customer_id JOIN users u ON u.id = o.owner_id \
    JOIN opportunity_stages s ON s.code = o.stage_code";

/// Deals by id, in the given order.
async fn deals(db: &Db, ids: &[i64]) -> DbResult<Vec<DealFigure>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let a: Vec<Arg> = ids.iter().map(|i| Arg::I64(*i)).collect();
    let mut rows: Vec<DealFigure> = db.read().fetch_all(&format!("{DEAL_SELECT} WHERE o.id IN ({list})"), a).await?;
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    Ok(rows)
}

/// The biggest open deals expected to close in the period: the top 10 of each
/// open stage by amount (an index range each), then the top 10 of those.
async fn top_deals(db: &Db, f: &DashFilter, open: &[&String]) -> DbResult<Vec<DealFigure>> {
    let mut a = args![f.from, f.to];
    let sc = scope(f, "o", &mut a);
    let parts: Vec<String> = open
        .iter()
        .enumerate()
        .map(|(i, code)| {
            a.push(Arg::Str((*code).clone()));
            format!(
                "SELECT * FROM (SELECT o.id, o.amount_minor FROM opportunities o WHERE o.stage_code = ${n} \
                 AND o.expected_close >= $1 AND o.expected_close <= $2{sc} ORDER BY o.amount_minor DESC LIMIT 10) AS t{i}",
                n = a.len()
            )
        })
        .collect();
    if parts.is_empty() {
        return Ok(vec![]);
    }
    let mut top: Vec<(i64, i64)> = db.read().fetch_all(&parts.join(" UNION ALL "), a).await?;
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top.truncate(10);
    deals(db, &top.iter().map(|t| t.0).collect::<Vec<_>>()).await
}

/// Open deals whose expected close date has passed: count, amount, and the 10
/// longest overdue (per stage by the stage/expected-close index, then merged).
async fn slipping(db: &Db, f: &DashFilter, open: &[&String], today: NaiveDate) -> DbResult<(i64, i64, Vec<DealFigure>)> {
    let mut a = args![today];
    let open_in = in_list(open, &mut a);
    let sc = scope(f, "o", &mut a);
    let (count, amount): (i64, i64) = db
        .read()
        .fetch_one(
            &format!(
                "SELECT COUNT(*), CAST(COALESCE(SUM(o.amount_minor), 0) AS BIGINT) FROM opportunities o \
                 WHERE o.stage_code IN ({open_in}) AND o.expected_close < $1{sc}"
            ),
            a,
        )
        .await?;
    let mut a = args![today];
    let sc = scope(f, "o", &mut a);
    let parts: Vec<String> = open
        .iter()
        .enumerate()
        .map(|(i, code)| {
            a.push(Arg::Str((*code).clone()));
            format!(
                "SELECT * FROM (SELECT o.id, o.expected_close FROM opportunities o WHERE o.stage_code = ${n} \
                 AND o.expected_close < $1{sc} ORDER BY o.expected_close, o.id LIMIT 10) AS t{i}",
                n = a.len()
            )
        })
        .collect();
    if parts.is_empty() {
        return Ok((0, 0, vec![]));
    }
    let mut rows: Vec<(i64, NaiveDate)> = db.read().fetch_all(&parts.join(" UNION ALL "), a).await?;
    rows.sort_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(&y.0)));
    rows.truncate(10);
    Ok((count, amount, deals(db, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?))
}

/// Contract review turnaround per reviewing department: reviews decided in the
/// period with their average days from submission to decision, and what is
/// pending now (two index ranges, summed per department).
async fn reviews(db: &Db, f: &DashFilter) -> DbResult<Vec<ReviewFigure>> {
    let (start, end) = (company_midnight(f.from), company_midnight(f.to + Duration::days(1)));
    let days = days_between(db.backend(), "r.decided_at", "r.created_at");
    let mut a = args![start, end, "approved", "rejected", "pending"];
    let mut sc = String::new();
    if let Some(d) = f.department_id {
        a.push(Arg::I64(d));
        sc.push_str(&format!(" AND c.department_id = ${}", a.len()));
    }
    if let Some(o) = f.owner_id {
        a.push(Arg::I64(o));
        sc.push_str(&format!(" AND c.owner_id = ${}", a.len()));
    }
    let sql = format!(
        "SELECT t.department_id AS department_id, d.name_zh AS name_zh, d.name_en AS name_en, CAST(SUM(t.decided) AS BIGINT) AS decided, \
         CAST(SUM(t.pending) AS BIGINT) AS pending, CAST(AVG(t.days) AS DOUBLE PRECISION) AS avg_days FROM ( \
           SELECT r.department_id, 1 AS decided, 0 AS pending, {days} AS days FROM contract_reviews r \
           JOIN contracts c ON c.id = r.contract_id WHERE r.decided_at >= $1 AND r.decided_at < $2 AND r.status IN ($3, $4){sc} \
           UNION ALL \
           SELECT r.department_id, 0, 1, NULL FROM contract_reviews r JOIN contracts c ON c.id = r.contract_id WHERE r.status = $5{sc} \
         ) t JOIN departments d ON d.id = t.department_id GROUP BY t.department_id, d.name_zh, d.name_en ORDER BY t.department_id"
    );
    db.read().fetch_all(&sql, a).await
}

/// Outstanding receivables by days overdue, as of `today`.
pub async fn ageing(db: &Db, f: &DashFilter, today: NaiveDate) -> DbResult<AgeingFigure> {
    let d30 = today - Duration::days(30);
    let d60 = today - Duration::days(60);
    let d90 = today - Duration::days(90);
    let mut a = args![today, d30, d60, d90, "open"];
    let sc = scope(f, "r", &mut a);
    let out = "(r.amount_minor - r.paid_minor)";
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN r.due_date >= $1 THEN {out} ELSE 0 END), 0) AS BIGINT) AS not_due, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $1 AND r.due_date >= $2 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d0_30, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $2 AND r.due_date >= $3 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d31_60, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $3 AND r.due_date >= $4 THEN {out} ELSE 0 END), 0) AS BIGINT) AS d61_90, \
         CAST(COALESCE(SUM(CASE WHEN r.due_date < $4 THEN {out} ELSE 0 END), 0) AS BIGINT) AS over_90 \
         FROM receivables r WHERE r.status = $5{sc}"
    );
    db.read().fetch_one(&sql, a).await
}

/// Every figure of the dashboard. The queries are independent, so they run at
/// the same time on separate pool connections.
pub async fn dashboard(db: &Db, f: &DashFilter, today: NaiveDate) -> DbResult<Dashboard> {
    let all = stages(db).await?;
    let codes = |kind: &str| -> Vec<String> { all.iter().filter(|s| s.3 == kind).map(|s| s.0.clone()).collect() };
    let (open, won, lost) = (codes("open"), codes("won"), codes("lost"));
    let (open, won, lost): (Vec<&String>, Vec<&String>, Vec<&String>) = (open.iter().collect(), won.iter().collect(), lost.iter().collect());
    let (stages_all, months, by_owner, by_department, top_deals, (slipping_count, slipping_minor, slipping), reviews, ageing) = tokio::try_join!(
        funnel_of(db, f, all.clone()),
        months(db, f, &won),
        performance(db, f, &won, &lost, false),
        performance(db, f, &won, &lost, true),
        top_deals(db, f, &open),
        slipping(db, f, &open, today),
        reviews(db, f),
        ageing(db, f, today),
    )?;
    Ok(Dashboard {
        filter: f.clone(),
        stages: stages_all,
        months,
        by_owner,
        by_department,
        top_deals,
        slipping,
        slipping_count,
        slipping_minor,
        reviews,
        ageing,
    })
}

/// People who own opportunities, for the owner filter (a department's, when chosen).
pub async fn owner_options(db: &Db, department_id: Option<i64>) -> DbResult<Vec<(i64, String)>> {
    match department_id {
        Some(d) => {
            db.read()
                .fetch_all("SELECT id, display_name FROM users WHERE active = $1 AND department_id = $2 ORDER BY display_name, id LIMIT 500", args![true, d])
                .await
        }
        None => {
            db.read()
                .fetch_all(
                    "SELECT u.id, u.display_name FROM users u JOIN departments d ON d.id = u.department_id \
                     WHERE u.active = $1 AND d.code = $2 ORDER BY u.display_name, u.id LIMIT 500",
                    args![true, "sales"],
                )
                .await
        }
    }
}

/// Sets a month's target (company-wide when `department_id` is None). Audited.
pub async fn set_target(
    tx: &mut crate::core::db::Tx,
    actor: &crate::core::audit::Actor,
    year: i64,
    month: i64,
    department_id: Option<i64>,
    amount_minor: i64,
) -> DbResult<()> {
    let now = chrono::Utc::now();
    let existing: Option<(i64, i64)> = match department_id {
        Some(d) => {
            tx.fetch_optional("SELECT id, amount_minor FROM sales_targets WHERE year = $1 AND month = $2 AND department_id = $3", args![year, month, d])
                .await?
        }
        None => {
            tx.fetch_optional("SELECT id, amount_minor FROM sales_targets WHERE year = $1 AND month = $2 AND department_id IS NULL", args![year, month])
                .await?
        }
    };
    let (id, before) = match existing {
        Some((id, before)) => {
            tx.execute(
                "UPDATE sales_targets SET amount_minor = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4",
                args![amount_minor, now, actor.user_id, id],
            )
            .await?;
            (id, Some(before))
        }
        None => {
            let id: i64 = tx
                .scalar(
                    "INSERT INTO sales_targets (year, month, department_id, amount_minor, version, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
                    args![year, month, department_id, amount_minor, now, actor.user_id],
                )
                .await?;
            (id, None)
        }
    };
    let key = serde_json::json!({"year": year, "month": month, "department_id": department_id});
    crate::core::audit::record(
        tx,
        actor,
        "sales_target",
        Some(id),
        if before.is_some() { "update" } else { "create" },
        before.map(|b| serde_json::json!({"target": key, "amount_minor": b})).as_ref(),
        Some(&serde_json::json!({"target": key, "amount_minor": amount_minor})),
    )
    .await?;
    Ok(())
}
