//! The SQL of monitoring: recomputing the figures and health stored on each
//! project (the hook every change calls), the early warning, the PMO's
//! evaluations and their due tasks, the dashboard's aggregates over the stored
//! figures, and the Gantt chart's tasks.
use super::model::*;
use crate::args;
use crate::core::db::{Arg, Backend, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use crate::core::time::{company_date, company_midnight, company_today};
use crate::inbox::store::NewItem;
use crate::projects::model::{Health, ProjectStatus};
use crate::settings;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Statuses whose projects are measured (see `model::is_measured`).
const MEASURED: &str = "('executing', 'acceptance')";
/// Statuses of open projects (people are committed to them).
const OPEN: &str = "('initiating', 'plan_review', 'executing', 'acceptance')";

/// `$first, $first+1, …` for `ids`, with their arguments.
fn in_list(ids: &[i64], first: usize) -> (String, Vec<Arg>) {
    let list = (0..ids.len()).map(|i| format!("${}", first + i)).collect::<Vec<_>>().join(", ");
    (if list.is_empty() { "NULL".into() } else { list }, ids.iter().map(|i| Arg::I64(*i)).collect())
}

const THRESHOLD_KEYS: [&str; 5] =
    [settings::SPI_AMBER_PCT, settings::SPI_RED_PCT, settings::CPI_AMBER_PCT, settings::CPI_RED_PCT, settings::MILESTONE_RED_DAYS];

fn thresholds_of(stored: &[(String, String)]) -> Thresholds {
    let get = |key: &str| -> i64 {
        stored
            .iter()
            .find(|s| s.0 == key)
            .and_then(|s| s.1.parse().ok())
            .or_else(|| settings::def(key).and_then(|d| d.default.parse().ok()))
            .unwrap_or(0)
    };
    Thresholds {
        spi_amber_pct: get(settings::SPI_AMBER_PCT),
        spi_red_pct: get(settings::SPI_RED_PCT),
        cpi_amber_pct: get(settings::CPI_AMBER_PCT),
        cpi_red_pct: get(settings::CPI_RED_PCT),
        milestone_red_days: get(settings::MILESTONE_RED_DAYS),
    }
}

fn threshold_query() -> (String, Vec<Arg>) {
    let (list, a) = (
        (1..=THRESHOLD_KEYS.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
        THRESHOLD_KEYS.iter().map(|k| Arg::Str(k.to_string())).collect(),
    );
    (format!("SELECT key, value FROM settings WHERE key IN ({list})"), a)
}

/// The health thresholds in force (settings, else their defaults), in one query.
pub async fn thresholds(db: &Db) -> DbResult<Thresholds> {
    let (sql, a) = threshold_query();
    Ok(thresholds_of(&db.read().fetch_all(&sql, a).await?))
}

pub async fn thresholds_tx(tx: &mut Tx) -> DbResult<Thresholds> {
    let (sql, a) = threshold_query();
    Ok(thresholds_of(&tx.fetch_all(&sql, a).await?))
}

/// What recompute needs of the project itself.
#[derive(Clone, Debug, sqlx::FromRow)]
struct ProjectFacts {
    id: i64,
    number: String,
    name: String,
    status: String,
    health: String,
    manager_id: i64,
    sponsor_id: i64,
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    project_id: i64,
    kind: String,
    weight: i64,
    pct_done: i64,
    planned_start: NaiveDate,
    planned_end: NaiveDate,
    baseline_start: Option<NaiveDate>,
    baseline_end: Option<NaiveDate>,
    actual_end: Option<NaiveDate>,
}

impl TaskRow {
    fn facts(self) -> TaskFacts {
        TaskFacts {
            kind: self.kind,
            weight: self.weight,
            pct_done: self.pct_done,
            planned_start: self.planned_start,
            planned_end: self.planned_end,
            baseline_start: self.baseline_start,
            baseline_end: self.baseline_end,
            actual_end: self.actual_end,
        }
    }
}

/// Whether recompute records health changes and warns (`Live`, every change
/// and the daily refresh) or only writes the figures (`Quiet`, generated data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Live,
    Quiet,
}

/// Recomputes the project's monitoring figures and health as of `now` (2.4.3-b)
/// and raises the early warning when its health turns amber or red (2.4.3-d).
/// Every change that moves the figures calls this in its own transaction.
/// The figures are not an edit: the project's `version` and stamps stay.
pub async fn recompute(tx: &mut Tx, project_id: i64, now: DateTime<Utc>) -> DbResult<()> {
    recompute_many(tx, &[project_id], now, Mode::Live).await?;
    Ok(())
}

/// A project's figures as they would be computed now, without writing them.
pub async fn compute(tx: &mut Tx, project_id: i64, now: DateTime<Utc>) -> DbResult<Option<Snapshot>> {
    let t = thresholds_tx(tx).await?;
    let today = company_today(now);
    let mut all = snapshots(tx, &[project_id], today, &t).await?;
    Ok(all.pop().map(|(_, s)| s))
}

/// Loads the projects, their tasks and sums in four queries and computes each
/// one's snapshot.
async fn snapshots(tx: &mut Tx, ids: &[i64], today: NaiveDate, t: &Thresholds) -> DbResult<Vec<(ProjectFacts, Snapshot)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let (list, a) = in_list(ids, 1);
    // On PostgreSQL the rows are locked first, so that two transactions
    // recomputing the same project (a change and the daily refresh) see each
    // other's health and warn once; SQLite's write transactions are serial.
    let lock = if tx.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
    let projects: Vec<ProjectFacts> = tx
        .fetch_all(
            &format!("SELECT id, number, name, status, health, manager_id, sponsor_id FROM projects WHERE id IN ({list}) ORDER BY id{lock}"),
            a,
        )
        .await?;
    let measured: Vec<i64> = projects
        .iter()
        .filter(|p| ProjectStatus::parse(&p.status).is_some_and(is_measured))
        .map(|p| p.id)
        .collect();
    let mut tasks: std::collections::HashMap<i64, Vec<TaskFacts>> = std::collections::HashMap::new();
    let mut sums: std::collections::HashMap<(String, i64), i64> = std::collections::HashMap::new();
    if !measured.is_empty() {
        let (list, a) = in_list(&measured, 1);
        let rows: Vec<TaskRow> = tx
            .fetch_all(
                &format!(
                    "SELECT project_id, kind, weight, pct_done, planned_start, planned_end, baseline_start, baseline_end, actual_end \
                     FROM project_tasks WHERE project_id IN ({list})"
                ),
                a,
            )
            .await?;
        for r in rows {
            tasks.entry(r.project_id).or_default().push(r.facts());
        }
        let (list, mut a) = in_list(&measured, 1);
        let n = a.len();
        a.push(Arg::Date(today));
        a.push(Arg::Bool(false));
        let rows: Vec<(String, i64, i64)> = tx
            .fetch_all(
                &format!(
                    "SELECT 'bac' AS k, project_id, CAST(COALESCE(SUM(baseline_amount_minor), 0) AS BIGINT) AS v FROM project_budget_lines \
                     WHERE project_id IN ({list}) GROUP BY project_id \
                     UNION ALL SELECT 'ac', project_id, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM project_costs \
                     WHERE project_id IN ({list}) AND incurred_on <= ${d} GROUP BY project_id \
                     UNION ALL SELECT 'delays', project_id, COUNT(*) FROM project_delays \
                     WHERE project_id IN ({list}) AND status = 'open' GROUP BY project_id \
                     UNION ALL SELECT 'checks', project_id, COUNT(*) FROM project_quality_checks \
                     WHERE project_id IN ({list}) AND result = 'fail' AND resolved = ${f} GROUP BY project_id",
                    d = n + 1,
                    f = n + 2
                ),
                a,
            )
            .await?;
        for (k, id, v) in rows {
            sums.insert((k, id), v);
        }
    }
    let sum = |k: &str, id: i64| sums.get(&(k.to_string(), id)).copied().unwrap_or(0);
    Ok(projects
        .into_iter()
        .map(|p| {
            let status = ProjectStatus::parse(&p.status).unwrap_or(ProjectStatus::Initiating);
            let none = Vec::new();
            let ts = tasks.get(&p.id).unwrap_or(&none);
            let s = snapshot(status, ts, sum("bac", p.id), sum("ac", p.id), sum("delays", p.id), sum("checks", p.id), today, t);
            (p, s)
        })
        .collect())
}

/// Recomputes the given projects inside `tx`; returns how many changed health.
pub async fn recompute_many(tx: &mut Tx, ids: &[i64], now: DateTime<Utc>, mode: Mode) -> DbResult<usize> {
    let t = thresholds_tx(tx).await?;
    let today = company_today(now);
    let all = snapshots(tx, ids, today, &t).await?;
    write_figures(tx, &all).await?;
    let changes: Vec<Change> = all
        .iter()
        .filter_map(|(p, s)| {
            let from = Health::parse(&p.health).unwrap_or(Health::Green);
            (from != s.health()).then(|| Change { project: p.clone(), from, to: s.health(), snapshot: s.clone(), at: now })
        })
        .collect();
    let n = changes.len();
    if mode == Mode::Live {
        record_changes(tx, &changes).await?;
    }
    Ok(n)
}

/// Writes the figures of many projects in one statement per few hundred
/// (UPDATE … FROM VALUES, which both backends understand).
async fn write_figures(tx: &mut Tx, all: &[(ProjectFacts, Snapshot)]) -> DbResult<()> {
    const COLS: usize = 14;
    for chunk in all.chunks(400) {
        let mut a: Vec<Arg> = Vec::with_capacity(chunk.len() * COLS);
        let mut values = Vec::with_capacity(chunk.len());
        for (p, s) in chunk {
            let base = a.len();
            values.push(format!("({})", (1..=COLS).map(|i| format!("${}", base + i)).collect::<Vec<_>>().join(", ")));
            a.extend([
                Arg::I64(p.id),
                Arg::OptDate(s.metrics_date),
                Arg::I64(s.evm.bac),
                Arg::I64(s.evm.pv),
                Arg::I64(s.evm.ev),
                Arg::I64(s.evm.ac),
                Arg::OptI64(s.spi_milli),
                Arg::OptI64(s.cpi_milli),
                Arg::I64(s.evm.complete_bp),
                Arg::I64(s.facts.overdue_milestones),
                Arg::I64(s.facts.open_delays),
                Arg::I64(s.facts.failed_checks),
                Arg::OptDate(s.forecast_end),
                Arg::Str(s.health().code().to_string()),
            ]);
        }
        tx.execute(
            &format!(
                "UPDATE projects SET metrics_date = v.column2, bac_minor = v.column3, pv_minor = v.column4, ev_minor = v.column5, \
                 ac_minor = v.column6, spi_milli = v.column7, cpi_milli = v.column8, complete_bp = v.column9, \
                 overdue_milestones = v.column10, open_delays = v.column11, failed_checks = v.column12, forecast_end = v.column13, \
                 health = v.column14 FROM (VALUES {}) AS v WHERE projects.id = v.column1",
                values.join(", ")
            ),
            a,
        )
        .await?;
    }
    Ok(())
}

/// A change of a project's computed health.
struct Change {
    project: ProjectFacts,
    from: Health,
    to: Health,
    snapshot: Snapshot,
    at: DateTime<Utc>,
}

/// Records health changes (2.4.3-d's evidence) and, when health got worse on a
/// measured project, warns its manager and its leader in My work.
async fn record_changes(tx: &mut Tx, changes: &[Change]) -> DbResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Arg>> = changes
        .iter()
        .map(|c| {
            vec![
                Arg::I64(c.project.id),
                Arg::Str(c.from.code().into()),
                Arg::Str(c.to.code().into()),
                Arg::OptI64(c.snapshot.spi_milli),
                Arg::OptI64(c.snapshot.cpi_milli),
                Arg::Time(c.at),
            ]
        })
        .collect();
    crate::sales::dashboard::scale::bulk_insert(
        tx,
        "project_health_changes",
        &["project_id", "from_health", "to_health", "spi_milli", "cpi_milli", "changed_at"],
        rows,
    )
    .await?;
    for at in changes.iter().map(|c| c.at).collect::<std::collections::BTreeSet<_>>() {
        let ids: Vec<i64> = changes.iter().filter(|c| c.at == at).map(|c| c.project.id).collect();
        let (list, mut a) = in_list(&ids, 2);
        a.insert(0, Arg::Time(at));
        tx.execute(&format!("UPDATE projects SET health_changed_at = $1 WHERE id IN ({list})"), a).await?;
    }
    let mut rows = Vec::new();
    for c in changes.iter().filter(|c| warns(c.from, c.to) && c.snapshot.health.is_some()) {
        let mut to = vec![c.project.manager_id];
        if c.project.sponsor_id != c.project.manager_id {
            to.push(c.project.sponsor_id);
        }
        for user in to {
            rows.push(inbox_row(&warning(&c.project, c.to, &c.snapshot, user), c.at));
        }
    }
    crate::sales::dashboard::scale::bulk_insert(
        tx,
        "inbox_items",
        INBOX_COLS,
        rows,
    )
    .await?;
    Ok(())
}

/// 2.4.3-d: the early warning for one person, with the figures behind it.
fn warning(p: &ProjectFacts, to: Health, s: &Snapshot, user: i64) -> NewItem {
    NewItem {
        user_id: Some(user),
        department_id: None,
        kind: "notification",
        title: if to == Health::Red { K::ProjectsMonWarningRed } else { K::ProjectsMonWarningAmber },
        params: vec![
            ("number".into(), p.number.clone()),
            ("name".into(), p.name.clone()),
            ("spi".into(), milli_text(s.spi_milli)),
            ("cpi".into(), milli_text(s.cpi_milli)),
            ("milestones".into(), s.facts.overdue_milestones.to_string()),
            ("delays".into(), s.facts.open_delays.to_string()),
            ("checks".into(), s.facts.failed_checks.to_string()),
        ],
        link: format!("/projects/{}/monitoring", p.id),
        due_at: None,
        source_entity: "project_health",
        source_id: Some(p.id),
    }
}

const INBOX_COLS: &[&str] = &[
    "recipient_user_id", "recipient_department_id", "kind", "title_key", "params_json", "link", "due_at", "source_entity",
    "source_id", "version", "created_at", "created_by", "updated_at", "updated_by",
];

/// An inbox item as the arguments of a multi-row insert (the columns of
/// `inbox::store::insert`).
fn inbox_row(i: &NewItem, at: DateTime<Utc>) -> Vec<Arg> {
    vec![
        Arg::OptI64(i.user_id),
        Arg::OptI64(i.department_id),
        Arg::Str(i.kind.into()),
        Arg::Str(i.title.code().into()),
        Arg::Str(serde_json::to_string(&i.params).unwrap_or_else(|_| "[]".into())),
        Arg::Str(i.link.clone()),
        Arg::OptTime(i.due_at),
        Arg::Str(i.source_entity.into()),
        Arg::OptI64(i.source_id),
        Arg::I64(1),
        Arg::Time(at),
        Arg::OptI64(None),
        Arg::Time(at),
        Arg::OptI64(None),
    ]
}

/// For the demo's history: moves a project's health to `to` as of `at`,
/// recording the change and warning as recompute would have then.
pub async fn record_health_at(tx: &mut Tx, project_id: i64, to: Health, snapshot: &Snapshot, at: DateTime<Utc>) -> DbResult<bool> {
    let Some(p) = tx
        .fetch_optional::<ProjectFacts>(
            "SELECT id, number, name, status, health, manager_id, sponsor_id FROM projects WHERE id = $1",
            args![project_id],
        )
        .await?
    else {
        return Ok(false);
    };
    let from = Health::parse(&p.health).unwrap_or(Health::Green);
    if from == to {
        return Ok(false);
    }
    tx.execute("UPDATE projects SET health = $1 WHERE id = $2", args![to.code(), project_id]).await?;
    record_changes(tx, &[Change { project: p, from, to, snapshot: snapshot.clone(), at }]).await?;
    Ok(true)
}

/// How many projects to recompute per transaction in the daily refresh.
const BATCH: usize = 200;

/// The daily refresh (PV moves with the date): every measured project whose
/// figures are older than today, and every other project still carrying
/// figures or a colour, a few hundred per transaction. Returns how many were
/// recomputed.
pub async fn recompute_all(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    let today = company_today(now);
    let ids: Vec<(i64,)> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT id FROM projects WHERE (status IN {MEASURED} AND (metrics_date IS NULL OR metrics_date < $1)) \
                 OR (status NOT IN {MEASURED} AND (metrics_date IS NOT NULL OR health <> 'green')) ORDER BY id"
            ),
            args![today],
        )
        .await?;
    let ids: Vec<i64> = ids.into_iter().map(|r| r.0).collect();
    for chunk in ids.chunks(BATCH) {
        let mut tx = db.begin().await?;
        recompute_many(&mut tx, chunk, now, Mode::Live).await?;
        tx.commit().await?;
    }
    Ok(ids.len() as u64)
}

/// Generated data (scale seed): computes the figures of the given projects
/// without recording history or warning anyone.
pub async fn recompute_quiet(db: &Db, ids: &[i64], now: DateTime<Utc>) -> DbResult<()> {
    for chunk in ids.chunks(BATCH) {
        let mut tx = db.begin().await?;
        recompute_many(&mut tx, chunk, now, Mode::Quiet).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The hourly upkeep: figures for the new day, then the PMO's due evaluations.
pub async fn hourly(db: &Db, now: DateTime<Utc>) -> DbResult<()> {
    recompute_all(db, now).await?;
    ensure_evaluation_tasks(db, now).await?;
    Ok(())
}

// ===== 2.4.3-a evaluations =====

const EVALUATION_SELECT: &str = "SELECT e.id, e.evaluated_on, e.schedule, e.quality, e.cost, e.risk, e.overall, e.comments, \
    e.evaluator_id, u.display_name AS evaluator_name, e.created_at FROM project_evaluations e JOIN users u ON u.id = e.evaluator_id";

pub async fn evaluations(db: &Db, project_id: i64) -> DbResult<Vec<Evaluation>> {
    db.read()
        .fetch_all(&format!("{EVALUATION_SELECT} WHERE e.project_id = $1 ORDER BY e.evaluated_on DESC, e.id DESC LIMIT 100"), args![project_id])
        .await
}

pub async fn evaluation_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Evaluation>> {
    tx.fetch_optional(&format!("{EVALUATION_SELECT} WHERE e.id = $1"), args![id]).await
}

/// The ratings and comments of a new evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationData {
    pub schedule: Health,
    pub quality: Health,
    pub cost: Health,
    pub risk: Health,
    pub overall: Health,
    pub comments: String,
}

pub async fn insert_evaluation(tx: &mut Tx, project_id: i64, d: &EvaluationData, by: i64, now: DateTime<Utc>) -> DbResult<i64> {
    tx.scalar(
        "INSERT INTO project_evaluations (project_id, evaluated_on, schedule, quality, cost, risk, overall, comments, evaluator_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        args![
            project_id,
            company_today(now),
            d.schedule.code(),
            d.quality.code(),
            d.cost.code(),
            d.risk.code(),
            d.overall.code(),
            d.comments.clone(),
            by,
            now
        ],
    )
    .await
}

/// Marks the project's open evaluation tasks done (an evaluation was recorded,
/// or the project left execution).
pub async fn close_evaluation_tasks(tx: &mut Tx, project_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<u64> {
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, read_at = COALESCE(read_at, $1), version = version + 1, updated_at = $1, \
         updated_by = $2 WHERE source_entity = 'project_evaluation' AND source_id = $3 AND done_at IS NULL",
        args![now, by, project_id],
    )
    .await
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: i64,
    number: String,
    name: String,
    approved_at: Option<DateTime<Utc>>,
    last_evaluated_on: Option<NaiveDate>,
}

/// When the project's next evaluation is due (None unless it is executing).
pub async fn evaluation_due(db: &Db, project_id: i64, now: DateTime<Utc>) -> DbResult<Option<NaiveDate>> {
    let days = settings::store::int(db, settings::EVALUATION_DAYS).await?;
    let row: Option<DueRow> = db
        .read()
        .fetch_optional(
            "SELECT p.id, p.number, p.name, p.approved_at, (SELECT MAX(e.evaluated_on) FROM project_evaluations e WHERE e.project_id = p.id) \
             AS last_evaluated_on FROM projects p WHERE p.id = $1 AND p.status = 'executing'",
            args![project_id],
        )
        .await?;
    Ok(row.map(|r| evaluation_due_on(r.approved_at.map(company_date), r.last_evaluated_on, days, company_today(now))))
}

/// 2.4.3-a: one open task in the PMO's My work for each executing project due
/// for evaluation (never a second while one is open), and the tasks of
/// projects that left execution closed. Returns how many tasks were added.
pub async fn ensure_evaluation_tasks(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    let today = company_today(now);
    let mut tx = db.begin().await?;
    let days = settings::store::int_tx(&mut tx, settings::EVALUATION_DAYS).await?;
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, read_at = COALESCE(read_at, $1), version = version + 1, updated_at = $1 \
         WHERE source_entity = 'project_evaluation' AND done_at IS NULL \
         AND source_id IN (SELECT id FROM projects WHERE status <> 'executing')",
        args![now],
    )
    .await?;
    let pmo: Option<(i64,)> =
        tx.fetch_optional("SELECT id FROM departments WHERE code = $1", args![crate::projects::model::PMO_DEPARTMENT]).await?;
    let Some((pmo,)) = pmo else {
        tx.commit().await?;
        return Ok(0);
    };
    let rows: Vec<DueRow> = tx
        .fetch_all(
            "SELECT p.id, p.number, p.name, p.approved_at, (SELECT MAX(e.evaluated_on) FROM project_evaluations e WHERE e.project_id = p.id) \
             AS last_evaluated_on FROM projects p WHERE p.status = 'executing' AND NOT EXISTS (SELECT 1 FROM inbox_items i \
             WHERE i.source_entity = 'project_evaluation' AND i.source_id = p.id AND i.done_at IS NULL) ORDER BY p.id",
            vec![],
        )
        .await?;
    let items: Vec<Vec<Arg>> = rows
        .iter()
        .filter_map(|r| {
            let due = evaluation_due_on(r.approved_at.map(company_date), r.last_evaluated_on, days, today);
            (due <= today).then(|| {
                let item = NewItem {
                    user_id: None,
                    department_id: Some(pmo),
                    kind: "task",
                    title: K::ProjectsMonTaskEvaluate,
                    params: vec![("number".into(), r.number.clone()), ("name".into(), r.name.clone())],
                    link: format!("/projects/{}/monitoring", r.id),
                    due_at: Some(company_midnight(due + Duration::days(1))),
                    source_entity: "project_evaluation",
                    source_id: Some(r.id),
                };
                inbox_row(&item, now)
            })
        })
        .collect();
    let n = items.len() as u64;
    crate::sales::dashboard::scale::bulk_insert(
        &mut tx,
        "inbox_items",
        INBOX_COLS,
        items,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

// ===== the monitoring page =====

pub async fn figures(db: &Db, project_id: i64) -> DbResult<Option<Figures>> {
    db.read()
        .fetch_optional(
            "SELECT status, health, metrics_date, bac_minor, pv_minor, ev_minor, ac_minor, spi_milli, cpi_milli, complete_bp, \
             overdue_milestones, open_delays, failed_checks, forecast_end, end_date, health_changed_at, approved_at FROM projects WHERE id = $1",
            args![project_id],
        )
        .await
}

pub async fn health_history(db: &Db, project_id: i64) -> DbResult<Vec<HealthChange>> {
    db.read()
        .fetch_all(
            "SELECT id, from_health, to_health, spi_milli, cpi_milli, changed_at FROM project_health_changes WHERE project_id = $1 \
             ORDER BY id DESC LIMIT 50",
            args![project_id],
        )
        .await
}

/// Milestones not reached whose due date (baseline, else plan) is before `today`.
pub async fn overdue_milestones(db: &Db, project_id: i64, today: NaiveDate) -> DbResult<Vec<OverdueMilestone>> {
    db.read()
        .fetch_all(
            "SELECT t.id, t.name, u.display_name AS assignee_name, t.planned_end, t.baseline_end FROM project_tasks t \
             JOIN users u ON u.id = t.assignee_id WHERE t.project_id = $1 AND t.kind = 'milestone' AND t.actual_end IS NULL \
             AND t.pct_done < 100 AND COALESCE(t.baseline_end, t.planned_end) < $2 ORDER BY COALESCE(t.baseline_end, t.planned_end), t.id",
            args![project_id, today],
        )
        .await
}

pub async fn open_delays(db: &Db, project_id: i64) -> DbResult<Vec<OpenDelay>> {
    db.read()
        .fetch_all(
            "SELECT d.id, t.name AS task_name, d.baseline_end, d.forecast_end, d.cause, d.measures, d.created_at FROM project_delays d \
             JOIN project_tasks t ON t.id = d.task_id WHERE d.project_id = $1 AND d.status = 'open' ORDER BY d.id",
            args![project_id],
        )
        .await
}

pub async fn failed_checks(db: &Db, project_id: i64) -> DbResult<Vec<FailedCheck>> {
    db.read()
        .fetch_all(
            "SELECT q.id, c.criterion, q.checked_on, q.findings, t.name AS rework_name, t.pct_done AS rework_pct \
             FROM project_quality_checks q JOIN project_quality_criteria c ON c.id = q.criterion_id \
             LEFT JOIN project_tasks t ON t.id = q.rework_task_id WHERE q.project_id = $1 AND q.result = 'fail' AND q.resolved = $2 \
             ORDER BY q.checked_on, q.id",
            args![project_id, false],
        )
        .await
}

// ===== the Gantt chart =====

pub async fn gantt_tasks(db: &Db, project_id: i64) -> DbResult<Vec<GanttTask>> {
    db.read()
        .fetch_all(
            "SELECT t.id, t.position, t.name, t.kind, u.display_name AS assignee_name, t.weight, t.pct_done, t.planned_start, t.planned_end, \
             t.baseline_start, t.baseline_end, t.actual_start, t.actual_end FROM project_tasks t JOIN users u ON u.id = t.assignee_id \
             WHERE t.project_id = $1 ORDER BY t.position, t.planned_start, t.id LIMIT 2000",
            args![project_id],
        )
        .await
}

pub async fn gantt_deps(db: &Db, project_id: i64) -> DbResult<Vec<(i64, i64)>> {
    db.read()
        .fetch_all(
            "SELECT d.task_id, d.depends_on_id FROM project_task_deps d JOIN project_tasks t ON t.id = d.task_id WHERE t.project_id = $1",
            args![project_id],
        )
        .await
}

// ===== the dashboard =====

/// The viewer's reach and the filters as SQL over `projects p`, numbered after `args`.
struct Reach<'a> {
    backend: Backend,
    viewer: &'a Viewer,
    dept_code: &'a str,
    filter: &'a DashFilter,
}

impl Reach<'_> {
    /// " AND (scope) AND filters", with its arguments appended to `args`.
    fn conds(&self, args: &mut Vec<Arg>) -> String {
        let (scope, sa) = crate::projects::store::scope(self.backend, self.viewer, self.dept_code, args.len() + 1);
        args.extend(sa);
        let mut s = format!(" AND {scope}");
        if let Some(d) = self.filter.department_id {
            args.push(Arg::I64(d));
            s.push_str(&format!(" AND p.requesting_department_id = ${}", args.len()));
        }
        if let Some(p) = &self.filter.priority {
            args.push(Arg::Str(p.clone()));
            s.push_str(&format!(" AND p.priority = ${}", args.len()));
        }
        s
    }
}

async fn phases(db: &Db, r: &Reach<'_>) -> DbResult<Vec<PhaseHealthCount>> {
    let mut a = vec![];
    let c = r.conds(&mut a);
    db.read()
        .fetch_all(
            &format!("SELECT p.status, p.health, COUNT(*) AS count FROM projects p WHERE 1 = 1{c} GROUP BY p.status, p.health"),
            a,
        )
        .await
}

/// Executing projects with both indexes, the furthest behind (lower of SPI
/// and CPI) first, and how many there are.
async fn points(db: &Db, r: &Reach<'_>) -> DbResult<(Vec<IndexPoint>, i64)> {
    let mut a = vec![];
    let c = r.conds(&mut a);
    let cond = format!("p.status = 'executing' AND p.spi_milli IS NOT NULL AND p.cpi_milli IS NOT NULL{c}");
    let rows: Vec<IndexPoint> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT p.id, p.number, p.name, p.health, p.spi_milli, p.cpi_milli, p.pv_minor, p.ev_minor, p.ac_minor FROM projects p \
                 WHERE {cond} ORDER BY CASE WHEN p.spi_milli < p.cpi_milli THEN p.spi_milli ELSE p.cpi_milli END, p.id LIMIT {MAX_POINTS}"
            ),
            a.clone(),
        )
        .await?;
    let total = if (rows.len() as i64) < MAX_POINTS {
        rows.len() as i64
    } else {
        db.read().scalar(&format!("SELECT COUNT(*) FROM projects p WHERE {cond}"), a).await?
    };
    Ok((rows, total))
}

/// Measured projects, the worst first: red, amber, green, each by SPI
/// (undefined last).
async fn attention(db: &Db, r: &Reach<'_>) -> DbResult<Vec<AttentionRow>> {
    let mut a = vec![];
    let c = r.conds(&mut a);
    db.read()
        .fetch_all(
            &format!(
                "SELECT p.id, p.number, p.name, p.status, p.health, p.spi_milli, p.cpi_milli, p.overdue_milestones, p.open_delays, \
                 p.failed_checks FROM projects p WHERE p.status IN {MEASURED}{c} \
                 ORDER BY CASE p.health WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, \
                 CASE WHEN p.spi_milli IS NULL THEN 1 ELSE 0 END, p.spi_milli, p.id LIMIT {MAX_ATTENTION}"
            ),
            a,
        )
        .await
}

const MILESTONE_SELECT: &str = "SELECT t.id AS task_id, p.id AS project_id, p.number, p.name AS project_name, t.name, t.planned_end, \
    t.baseline_end FROM project_tasks t JOIN projects p ON p.id = t.project_id";

/// Milestones not reached of measured projects: planned in the next 90 days
/// (by date), and those whose planned date has passed (the latest first).
async fn milestones(db: &Db, r: &Reach<'_>, today: NaiveDate) -> DbResult<(Vec<MilestoneRow>, i64, Vec<MilestoneRow>, i64)> {
    let open = format!("t.kind = 'milestone' AND t.actual_end IS NULL AND t.pct_done < 100 AND p.status IN {MEASURED}");
    let mut a = args![today, today + Duration::days(HORIZON_DAYS)];
    let c = r.conds(&mut a);
    let upcoming_cond = format!("{open} AND t.planned_end >= $1 AND t.planned_end <= $2{c}");
    let upcoming: Vec<MilestoneRow> = db
        .read()
        .fetch_all(&format!("{MILESTONE_SELECT} WHERE {upcoming_cond} ORDER BY t.planned_end, t.id LIMIT {MAX_UPCOMING}"), a.clone())
        .await?;
    let upcoming_total = if (upcoming.len() as i64) < MAX_UPCOMING {
        upcoming.len() as i64
    } else {
        db.read().scalar(&format!("SELECT COUNT(*) FROM project_tasks t JOIN projects p ON p.id = t.project_id WHERE {upcoming_cond}"), a).await?
    };
    let mut a = args![today];
    let c = r.conds(&mut a);
    let overdue_cond = format!("{open} AND t.planned_end < $1{c}");
    let overdue: Vec<MilestoneRow> = db
        .read()
        .fetch_all(&format!("{MILESTONE_SELECT} WHERE {overdue_cond} ORDER BY t.planned_end DESC, t.id LIMIT {MAX_OVERDUE}"), a.clone())
        .await?;
    let overdue_total = if (overdue.len() as i64) < MAX_OVERDUE {
        overdue.len() as i64
    } else {
        db.read().scalar(&format!("SELECT COUNT(*) FROM project_tasks t JOIN projects p ON p.id = t.project_id WHERE {overdue_cond}"), a).await?
    };
    Ok((upcoming, upcoming_total, overdue, overdue_total))
}

/// The projects with the largest open slips (2.4.2-b delay records) and the
/// causes recorded for them.
async fn delayed(db: &Db, r: &Reach<'_>) -> DbResult<(Vec<DelayedProject>, Vec<DelayCause>)> {
    let slip = match r.backend {
        Backend::Sqlite => "CAST(julianday(d.forecast_end) - julianday(d.baseline_end) AS INTEGER)",
        Backend::Postgres => "CAST(d.forecast_end - d.baseline_end AS BIGINT)",
    };
    let mut a = vec![];
    let c = r.conds(&mut a);
    let top: Vec<DelayedProject> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT p.id, p.number, p.name, p.health, COUNT(*) AS delays, CAST(MAX({slip}) AS BIGINT) AS slip_days \
                 FROM project_delays d JOIN projects p ON p.id = d.project_id WHERE d.status = 'open' AND p.status IN {MEASURED}{c} \
                 GROUP BY p.id, p.number, p.name, p.health ORDER BY slip_days DESC, p.id LIMIT {MAX_DELAYED}"
            ),
            a,
        )
        .await?;
    if top.is_empty() {
        return Ok((top, vec![]));
    }
    let (list, a) = in_list(&top.iter().map(|t| t.id).collect::<Vec<_>>(), 1);
    let causes: Vec<DelayCause> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT d.project_id, t.name AS task_name, d.cause, d.measures, d.baseline_end, d.forecast_end FROM project_delays d \
                 JOIN project_tasks t ON t.id = d.task_id WHERE d.status = 'open' AND d.project_id IN ({list}) ORDER BY d.project_id, d.id"
            ),
            a,
        )
        .await?;
    Ok((top, causes))
}

/// BAC, EV and AC of the measured projects by requesting department.
async fn budget(db: &Db, r: &Reach<'_>) -> DbResult<Vec<BudgetRow>> {
    let mut a = vec![];
    let c = r.conds(&mut a);
    db.read()
        .fetch_all(
            &format!(
                "SELECT p.requesting_department_id AS department_id, d.name_zh, d.name_en, COUNT(*) AS projects, \
                 CAST(SUM(p.bac_minor) AS BIGINT) AS bac_minor, CAST(SUM(p.ev_minor) AS BIGINT) AS ev_minor, \
                 CAST(SUM(p.ac_minor) AS BIGINT) AS ac_minor FROM projects p JOIN departments d ON d.id = p.requesting_department_id \
                 WHERE p.status IN {MEASURED}{c} GROUP BY p.requesting_department_id, d.name_zh, d.name_en \
                 ORDER BY bac_minor DESC, department_id"
            ),
            a,
        )
        .await
}

/// 2.4.2-d: the allocation of each department's people on open projects
/// against the department's headcount: summed per person over the open
/// projects' members (one covering index range per project), then per
/// department over those people.
async fn load(db: &Db, r: &Reach<'_>) -> DbResult<Vec<LoadRow>> {
    let mut a = vec![];
    let c = r.conds(&mut a);
    let allocated: Vec<(i64, i64, i64)> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT u.department_id, CAST(SUM(x.allocated) AS BIGINT), COUNT(*) FROM (SELECT m.user_id, SUM(m.allocation_pct) AS allocated \
                 FROM project_members m WHERE m.project_id IN (SELECT p.id FROM projects p WHERE p.status IN {OPEN}{c}) GROUP BY m.user_id) x \
                 JOIN users u ON u.id = x.user_id GROUP BY u.department_id"
            ),
            a,
        )
        .await?;
    if allocated.is_empty() {
        return Ok(vec![]);
    }
    let (list, mut a) = in_list(&allocated.iter().map(|x| x.0).collect::<Vec<_>>(), 1);
    a.push(Arg::Bool(true));
    let heads: Vec<(i64, String, String, i64)> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT d.id, d.name_zh, d.name_en, (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.active = ${}) \
                 FROM departments d WHERE d.id IN ({list}) ORDER BY d.id",
                a.len()
            ),
            a,
        )
        .await?;
    Ok(heads
        .into_iter()
        .map(|(id, name_zh, name_en, headcount)| {
            let (_, allocated_pct, people) = allocated.iter().find(|x| x.0 == id).copied().unwrap_or((id, 0, 0));
            LoadRow { department_id: id, name_zh, name_en, headcount, people_on_projects: people, allocated_pct }
        })
        .collect())
}

/// Every figure of the project status dashboard, over the projects `viewer`
/// may see, from the figures stored on each project (never recomputed here).
/// The queries are independent and run at the same time.
pub async fn dashboard(db: &Db, viewer: &Viewer, dept_code: &str, filter: &DashFilter, today: NaiveDate) -> DbResult<Dashboard> {
    let r = Reach { backend: db.backend(), viewer, dept_code, filter };
    let (thresholds, phases, (points, points_total), attention, (upcoming, upcoming_total, overdue, overdue_total), (delayed, causes), budget, load) = tokio::try_join!(
        thresholds(db),
        phases(db, &r),
        points(db, &r),
        attention(db, &r),
        milestones(db, &r, today),
        delayed(db, &r),
        budget(db, &r),
        load(db, &r),
    )?;
    Ok(Dashboard {
        filter: filter.clone(),
        today,
        thresholds,
        phases,
        points,
        points_total,
        attention,
        upcoming,
        upcoming_total,
        overdue,
        overdue_total,
        delayed,
        causes,
        budget,
        load,
    })
}

/// Departments and priorities for the filter form.
pub async fn departments(db: &Db) -> DbResult<Vec<(i64, String, String)>> {
    db.read().fetch_all("SELECT id, name_zh, name_en FROM departments WHERE active = $1 ORDER BY id", args![true]).await
}
