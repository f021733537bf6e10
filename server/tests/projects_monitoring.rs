//! Monitoring and early warning (2.4.3): the figures recompute writes, the
//! early warning, PMO evaluations and their due tasks, the project status
//! dashboard and the Gantt view — each test on SQLite and PostgreSQL.
//! Fixtures are direct SQL (projects belong to other parts) in a department of
//! their own, so the figures are exact whatever the demo company holds.
use crate::common;
use app::args;
use app::core::db::Db;
use app::core::perm::{Role, Viewer};
use app::core::time::company_today;
use app::projects::monitoring::{model::DashFilter, store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::PASSWORD;

fn today() -> NaiveDate {
    company_today(Utc::now())
}

fn day(offset: i64) -> NaiveDate {
    today() + Duration::days(offset)
}

async fn id_of(db: &Db, username: &str) -> i64 {
    db.read().scalar("SELECT id FROM users WHERE username = $1", args![username]).await.expect("user")
}

async fn dept_of(db: &Db, code: &str) -> i64 {
    db.read().scalar("SELECT id FROM departments WHERE code = $1", args![code]).await.expect("department")
}

/// A project; executing and acceptance ones have baseline 1 and were approved 40 days ago.
#[allow(clippy::too_many_arguments)]
async fn project(db: &Db, number: &str, dept: i64, manager: i64, sponsor: i64, status: &str, priority: &str, budget: i64) -> i64 {
    let now = Utc::now();
    let approved = matches!(status, "executing" | "acceptance" | "closed").then(|| now - Duration::days(40));
    db.read()
        .scalar(
            "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, start_date, end_date, budget_minor, priority, \
             status, baseline_version, first_approved_at, approved_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1, $13, $13) RETURNING id",
            args![
                number,
                format!("测试项目 {number}"),
                dept,
                manager,
                sponsor,
                day(-30),
                day(60),
                budget,
                priority,
                status,
                if approved.is_some() { 1i64 } else { 0 },
                approved,
                now - Duration::days(60)
            ],
        )
        .await
        .expect("project")
}

/// A task whose baseline is its plan (`bs..be`), unless `baselined` is false.
#[allow(clippy::too_many_arguments)]
async fn task(db: &Db, project: i64, position: i64, kind: &str, assignee: i64, bs: NaiveDate, be: NaiveDate, weight: i64, pct: i64, actual_end: Option<NaiveDate>, baselined: bool) -> i64 {
    let now = Utc::now();
    db.read()
        .scalar(
            "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, baseline_start, \
             baseline_end, actual_start, actual_end, pct_done, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id",
            args![
                project,
                position,
                format!("任务 {position}"),
                kind,
                assignee,
                bs,
                be,
                weight,
                baselined.then_some(bs),
                baselined.then_some(be),
                (pct > 0).then_some(bs),
                actual_end,
                pct,
                now
            ],
        )
        .await
        .expect("task")
}

async fn budget_line(db: &Db, project: i64, amount: i64, baseline: Option<i64>) -> i64 {
    db.read()
        .scalar(
            "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, baseline_amount_minor, version, created_at, updated_at) \
             VALUES ($1, 'labour', '人工', $2, $3, 1, $4, $4) RETURNING id",
            args![project, amount, baseline, Utc::now()],
        )
        .await
        .expect("line")
}

async fn cost(db: &Db, project: i64, line: i64, on: NaiveDate, amount: i64) {
    db.read()
        .execute(
            "INSERT INTO project_costs (project_id, budget_line_id, incurred_on, amount_minor, created_at) VALUES ($1, $2, $3, $4, $5)",
            args![project, line, on, amount, Utc::now()],
        )
        .await
        .expect("cost");
}

async fn delay(db: &Db, project: i64, task: i64, baseline_end: NaiveDate, forecast: NaiveDate, status: &str) {
    db.read()
        .execute(
            "INSERT INTO project_delays (project_id, task_id, baseline_version, baseline_end, forecast_end, cause, measures, status, version, \
             created_at, updated_at) VALUES ($1, $2, 1, $3, $4, '设备晚到', '加班安装', $5, 1, $6, $6)",
            args![project, task, baseline_end, forecast, status, Utc::now()],
        )
        .await
        .expect("delay");
}

async fn check(db: &Db, project: i64, result: &str, resolved: bool) {
    let now = Utc::now();
    let criterion: i64 = db
        .read()
        .scalar(
            "INSERT INTO project_quality_criteria (project_id, position, criterion, version, created_at, updated_at) VALUES ($1, 1, '接通率', 1, $2, $2) RETURNING id",
            args![project, now],
        )
        .await
        .expect("criterion");
    db.read()
        .execute(
            "INSERT INTO project_quality_checks (project_id, criterion_id, checked_on, result, findings, resolved, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, '不达标', $5, 1, $6, $6)",
            args![project, criterion, day(-2), result, resolved, now],
        )
        .await
        .expect("check");
}

async fn recompute(db: &Db, project: i64) {
    let mut tx = db.begin().await.expect("tx");
    store::recompute(&mut tx, project, Utc::now()).await.expect("recompute");
    tx.commit().await.expect("commit");
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    metrics_date: Option<NaiveDate>,
    bac_minor: i64,
    pv_minor: i64,
    ev_minor: i64,
    ac_minor: i64,
    spi_milli: Option<i64>,
    cpi_milli: Option<i64>,
    complete_bp: i64,
    overdue_milestones: i64,
    open_delays: i64,
    failed_checks: i64,
    forecast_end: Option<NaiveDate>,
    health: String,
    health_changed_at: Option<DateTime<Utc>>,
    version: i64,
    updated_at: DateTime<Utc>,
}

async fn row(db: &Db, project: i64) -> Row {
    db.read()
        .fetch_one(
            "SELECT metrics_date, bac_minor, pv_minor, ev_minor, ac_minor, spi_milli, cpi_milli, complete_bp, overdue_milestones, open_delays, \
             failed_checks, forecast_end, health, health_changed_at, version, updated_at FROM projects WHERE id = $1",
            args![project],
        )
        .await
        .expect("row")
}

async fn warnings(db: &Db, project: i64, user: i64) -> i64 {
    db.read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'project_health' AND source_id = $1 AND recipient_user_id = $2",
            args![project, user],
        )
        .await
        .expect("count")
}

// The worked example of `model::evm` on a stored project (today T):
// A weight 2, T-9..T, done; B weight 3, T-4..T+5, 20 %; M milestone weight 1 on
// T+10; X weight 0; a rework task without baseline. BAC 10,000,000 (a line added
// after the baseline does not count). PV = 5,833,333, EV = 4,333,333, AC =
// 5,000,000 (a cost dated tomorrow does not count yet), SPI 0.743 (red), CPI 0.867.
both!(recompute_writes_exact_figures, |app| {
    let db = &app.db;
    let (pm, leader, dept) = (id_of(db, "xu.ming").await, id_of(db, "zhao.min").await, dept_of(db, "finance").await);
    let p = project(db, "XM-T-0001", dept, pm, leader, "executing", "high", 10_000_000).await;
    task(db, p, 1, "task", pm, day(-9), day(0), 2, 100, Some(day(-1)), true).await;
    task(db, p, 2, "task", pm, day(-4), day(5), 3, 20, None, true).await;
    task(db, p, 3, "milestone", pm, day(10), day(10), 1, 0, None, true).await;
    task(db, p, 4, "task", pm, day(-9), day(-5), 0, 50, None, true).await;
    task(db, p, 5, "rework", pm, day(-1), day(3), 0, 0, None, false).await;
    let l1 = budget_line(db, p, 6_000_000, Some(6_000_000)).await;
    budget_line(db, p, 4_000_000, Some(4_000_000)).await;
    budget_line(db, p, 500_000, None).await;
    cost(db, p, l1, day(-5), 3_000_000).await;
    cost(db, p, l1, day(-1), 2_000_000).await;
    cost(db, p, l1, day(1), 9_999).await;
    let before = row(db, p).await;
    assert_eq!(before.health, "green");
    recompute(db, p).await;
    let r = row(db, p).await;
    assert_eq!(r.metrics_date, Some(today()));
    assert_eq!((r.bac_minor, r.pv_minor, r.ev_minor, r.ac_minor), (10_000_000, 5_833_333, 4_333_333, 5_000_000));
    assert_eq!((r.spi_milli, r.cpi_milli, r.complete_bp), (Some(743), Some(867), 4333));
    assert_eq!((r.overdue_milestones, r.open_delays, r.failed_checks), (0, 0, 0));
    assert_eq!(r.forecast_end, Some(day(10)));
    assert_eq!(r.health, "red");
    assert!(r.health_changed_at.is_some());
    // Figures are not an edit.
    assert_eq!((r.version, r.updated_at), (before.version, before.updated_at));
    let changes: Vec<(String, String, Option<i64>, Option<i64>)> = db
        .read()
        .fetch_all("SELECT from_health, to_health, spi_milli, cpi_milli FROM project_health_changes WHERE project_id = $1", args![p])
        .await
        .expect("changes");
    assert_eq!(changes, vec![("green".into(), "red".into(), Some(743), Some(867))]);
    // Delays, failed checks and overdue milestones are counted; a closed delay
    // and a resolved or passed check are not.
    let m = task(db, p, 6, "milestone", pm, day(-3), day(-3), 0, 0, None, true).await;
    delay(db, p, m, day(-3), day(4), "open").await;
    delay(db, p, m, day(-3), day(2), "closed").await;
    check(db, p, "fail", false).await;
    check(db, p, "fail", true).await;
    check(db, p, "pass", false).await;
    recompute(db, p).await;
    let r = row(db, p).await;
    assert_eq!((r.overdue_milestones, r.open_delays, r.failed_checks), (1, 1, 1));
    // A project leaving execution is not measured: green, figures zero.
    db.read().execute("UPDATE projects SET status = 'cancelled' WHERE id = $1", args![p]).await.expect("cancel");
    recompute(db, p).await;
    let r = row(db, p).await;
    assert_eq!((r.health.as_str(), r.bac_minor, r.pv_minor, r.spi_milli, r.metrics_date), ("green", 0, 0, None, None));
});

both!(turning_red_warns_manager_and_leader_once, |app| {
    let db = &app.db;
    let (pm, leader, dept) = (id_of(db, "xu.ming").await, id_of(db, "sun.wei").await, dept_of(db, "logistics").await);
    let p = project(db, "XM-T-0002", dept, pm, leader, "executing", "critical", 1_000_000).await;
    budget_line(db, p, 1_000_000, Some(1_000_000)).await;
    task(db, p, 1, "task", pm, day(-30), day(30), 1, 50, None, true).await;
    recompute(db, p).await;
    assert_eq!(row(db, p).await.health, "green");
    assert_eq!(warnings(db, p, pm).await, 0);
    // A milestone 20 days overdue: red (more than 14 days).
    let m = task(db, p, 2, "milestone", pm, day(-20), day(-20), 0, 0, None, true).await;
    recompute(db, p).await;
    assert_eq!(row(db, p).await.health, "red");
    assert_eq!((warnings(db, p, pm).await, warnings(db, p, leader).await), (1, 1));
    let (key, link, params): (String, String, String) = db
        .read()
        .fetch_one(
            "SELECT title_key, link, params_json FROM inbox_items WHERE source_entity = 'project_health' AND source_id = $1 AND recipient_user_id = $2",
            args![p, leader],
        )
        .await
        .expect("warning");
    assert_eq!(key, "projects_mon.warning_red");
    assert_eq!(link, format!("/projects/{p}/monitoring"));
    assert!(params.contains("XM-T-0002") && params.contains("[\"milestones\",\"1\"]"), "{params}");
    // Still red: no second warning, whoever recomputes.
    recompute(db, p).await;
    store::recompute_all(db, Utc::now() + Duration::days(1)).await.expect("daily");
    assert_eq!((warnings(db, p, pm).await, warnings(db, p, leader).await), (1, 1));
    // Recovering says nothing; turning amber again warns again.
    db.read().execute("UPDATE project_tasks SET pct_done = 100, actual_end = $1 WHERE id = $2", args![day(-1), m]).await.expect("done");
    recompute(db, p).await;
    assert_eq!(row(db, p).await.health, "green");
    assert_eq!(warnings(db, p, pm).await, 1);
    let t = task(db, p, 3, "task", pm, day(-10), day(-5), 0, 0, None, true).await;
    delay(db, p, t, day(-5), day(5), "open").await;
    recompute(db, p).await;
    assert_eq!(row(db, p).await.health, "amber");
    assert_eq!((warnings(db, p, pm).await, warnings(db, p, leader).await), (2, 2));
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM project_health_changes WHERE project_id = $1", args![p]).await.expect("n");
    assert_eq!(n, 3, "green→red, red→green, green→amber");
    // The manager sees the warning in My work.
    let cookie = app.sign_in("xu.ming", PASSWORD).await;
    let r = app.call("inbox/my_work", &[], Some(&cookie)).await;
    assert!(r.body.contains("projects_mon.warning_amber") && r.body.contains(&format!("/projects/{p}/monitoring")), "{}", r.body);
});

both!(only_the_pmo_evaluates, |app| {
    let db = &app.db;
    let (pm, leader, dept) = (id_of(db, "tang.kai").await, id_of(db, "zhao.min").await, dept_of(db, "rnd").await);
    let p = project(db, "XM-T-0003", dept, pm, leader, "executing", "medium", 1_000_000).await;
    let pid = p.to_string();
    let form = |overall: &'static str, comments: &'static str| {
        vec![
            ("project_id", pid.clone()),
            ("schedule", "green".to_string()),
            ("quality", "green".to_string()),
            ("cost", "green".to_string()),
            ("risk", "green".to_string()),
            ("overall", overall.to_string()),
            ("comments", comments.to_string()),
        ]
    };
    let call = |cookie: String, f: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("projects/mon_record_evaluation", &f, Some(&cookie)).await
        }
    };
    // The leader (an executive) and the project manager are not the PMO.
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    assert_eq!(call(exec, form("green", "")).await.status, 403);
    let pm_cookie = app.sign_in("tang.kai", PASSWORD).await;
    assert_eq!(call(pm_cookie, form("green", "")).await.status, 403);
    // Someone who may not see the project is told it does not exist.
    let stranger = app.sign_in("he.na", PASSWORD).await;
    assert_eq!(call(stranger, form("green", "")).await.status, 404);
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    let r = call(pmo.clone(), form("purple", "")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("overall"), "{}", r.body);
    let r = call(pmo.clone(), form("amber", "")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("projects_mon.comments_required"), "{}", r.body);
    let r = call(pmo.clone(), form("amber", "资源紧张，需关注")).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(r.body.contains("资源紧张") && r.body.contains("\"overall\":\"amber\""), "{}", r.body);
    let (overall, by, on): (String, i64, NaiveDate) =
        db.read().fetch_one("SELECT overall, evaluator_id, evaluated_on FROM project_evaluations WHERE project_id = $1", args![p]).await.expect("saved");
    assert_eq!((overall.as_str(), by, on), ("amber", id_of(db, "wu.hao").await, today()));
    let audited: i64 = db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'project_evaluation'", vec![]).await.expect("audit");
    assert_eq!(audited, 1);
    // PMO staff may too; a project not being executed may not be evaluated.
    let staff = app.sign_in("xu.ming", PASSWORD).await;
    assert!(call(staff.clone(), form("green", "")).await.status.is_success());
    db.read().execute("UPDATE projects SET status = 'initiating' WHERE id = $1", args![p]).await.expect("status");
    let r = call(staff, form("green", "")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("projects_mon.not_measured"), "{}", r.body);
    // The monitoring tab lists the evaluations for anyone who may see the project.
    let r = app.call("projects/mon_monitoring", &[("id", &pid)], Some(&app.sign_in("tang.kai", PASSWORD).await)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert!(r.body.contains("资源紧张") && r.body.contains("\"can_evaluate\":false"), "{}", r.body);
    let r = app.call("projects/mon_monitoring", &[("id", &pid)], Some(&app.sign_in("he.na", PASSWORD).await)).await;
    assert_eq!(r.status, 404);
});

async fn open_tasks(db: &Db, project: i64) -> Vec<(i64, Option<DateTime<Utc>>, Option<i64>)> {
    db.read()
        .fetch_all(
            "SELECT recipient_department_id, done_at, done_by FROM inbox_items WHERE source_entity = 'project_evaluation' AND source_id = $1 ORDER BY id",
            args![project],
        )
        .await
        .expect("tasks")
}

both!(due_evaluation_is_a_pmo_task_closed_by_the_evaluation, |app| {
    let db = &app.db;
    let (pm, leader, dept) = (id_of(db, "li.qiang").await, id_of(db, "sun.wei").await, dept_of(db, "sales").await);
    let pmo = dept_of(db, "pmo").await;
    // Approved 40 days ago, never evaluated: due.
    let p = project(db, "XM-T-0004", dept, pm, leader, "executing", "medium", 1_000_000).await;
    // Evaluated 10 days ago (after approval): not due for another 20 days.
    let q = project(db, "XM-T-0005", dept, pm, leader, "executing", "medium", 1_000_000).await;
    db.read()
        .execute(
            "INSERT INTO project_evaluations (project_id, evaluated_on, schedule, quality, cost, risk, overall, comments, evaluator_id, created_at) \
             VALUES ($1, $2, 'green', 'green', 'green', 'green', 'green', '', $3, $4)",
            args![q, day(-10), id_of(db, "wu.hao").await, Utc::now()],
        )
        .await
        .expect("evaluation");
    let now = Utc::now();
    store::ensure_evaluation_tasks(db, now).await.expect("tasks");
    store::ensure_evaluation_tasks(db, now).await.expect("again");
    let t = open_tasks(db, p).await;
    assert_eq!(t.len(), 1, "one task, not one per run");
    assert_eq!((t[0].0, t[0].1), (pmo, None));
    assert!(open_tasks(db, q).await.is_empty());
    // It is in the PMO's My work.
    let cookie = app.sign_in("wu.hao", PASSWORD).await;
    let r = app.call("inbox/my_work", &[], Some(&cookie)).await;
    assert!(r.body.contains("projects_mon.task_evaluate") && r.body.contains(&format!("/projects/{p}/monitoring")), "{}", r.body);
    // The evaluation closes it.
    let pid = p.to_string();
    let r = app
        .call(
            "projects/mon_record_evaluation",
            &[("project_id", &pid), ("schedule", "green"), ("quality", "green"), ("cost", "green"), ("risk", "green"), ("overall", "green"), ("comments", "")],
            Some(&cookie),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let t = open_tasks(db, p).await;
    assert!(t[0].1.is_some() && t[0].2 == Some(id_of(db, "wu.hao").await), "{t:?}");
    store::ensure_evaluation_tasks(db, Utc::now()).await.expect("tasks");
    assert_eq!(open_tasks(db, p).await.len(), 1, "evaluated today: not due");
    // Thirty days on, due again.
    store::ensure_evaluation_tasks(db, Utc::now() + Duration::days(30)).await.expect("tasks");
    let t = open_tasks(db, p).await;
    assert_eq!((t.len(), t[1].1), (2, None));
    // A project that leaves execution has its open task closed.
    db.read().execute("UPDATE projects SET status = 'acceptance' WHERE id = $1", args![p]).await.expect("status");
    store::ensure_evaluation_tasks(db, Utc::now()).await.expect("tasks");
    assert!(open_tasks(db, p).await.iter().all(|t| t.1.is_some()));
});

async fn new_person(db: &Db, username: &str, dept: i64, role: &str) -> i64 {
    let hash: String = db.read().scalar("SELECT password_hash FROM users WHERE username = 'li.qiang'", vec![]).await.expect("hash");
    db.read()
        .scalar(
            "INSERT INTO users (username, display_name, department_id, role, password_hash, created_at, updated_at) VALUES ($1, $1, $2, $3, $4, $5, $5) RETURNING id",
            args![username, dept, role, hash, Utc::now()],
        )
        .await
        .expect("user")
}

async fn member(db: &Db, project: i64, user: i64, pct: i64) {
    db.read()
        .execute(
            "INSERT INTO project_members (project_id, user_id, role, allocation_pct, version, created_at, updated_at) VALUES ($1, $2, '成员', $3, 1, $4, $4)",
            args![project, user, pct, Utc::now()],
        )
        .await
        .expect("member");
}

both!(dashboard_figures_are_exact_and_scoped, |app| {
    let db = &app.db;
    let now = Utc::now();
    let lab: i64 = db
        .read()
        .scalar(
            "INSERT INTO departments (code, name_zh, name_en, active, version, created_at, updated_at) VALUES ('mon_lab', '监控实验室', 'Monitoring lab', $1, 1, $2, $2) RETURNING id",
            args![true, now],
        )
        .await
        .expect("dept");
    let boss = new_person(db, "lab.boss", lab, "manager").await;
    let worker = new_person(db, "lab.worker", lab, "staff").await;
    new_person(db, "lab.idle", lab, "staff").await;
    let (pm, leader) = (id_of(db, "xu.ming").await, id_of(db, "zhao.min").await);
    let li = id_of(db, "li.qiang").await;
    // A: red (SPI 0.25, CPI 0.625, a milestone 20 days overdue, a delay of 9 days).
    let a = project(db, "XM-T-0010", lab, pm, leader, "executing", "critical", 1_000_000).await;
    budget_line(db, a, 1_000_000, Some(1_000_000)).await;
    let la: i64 = db.read().scalar("SELECT id FROM project_budget_lines WHERE project_id = $1", args![a]).await.expect("line");
    let ta = task(db, a, 1, "task", worker, day(-19), day(-10), 1, 50, None, true).await;
    task(db, a, 2, "milestone", worker, day(-20), day(-20), 1, 0, None, true).await;
    cost(db, a, la, day(-3), 400_000).await;
    delay(db, a, ta, day(-10), day(-1), "open").await;
    member(db, a, worker, 60).await;
    member(db, a, boss, 20).await;
    // B: green, on plan; a milestone in 30 days; li.qiang (sales) on its team.
    let b = project(db, "XM-T-0011", lab, pm, leader, "executing", "medium", 2_000_000).await;
    let lb = budget_line(db, b, 2_000_000, Some(2_000_000)).await;
    task(db, b, 1, "task", worker, day(-9), day(10), 1, 50, None, true).await;
    task(db, b, 2, "milestone", worker, day(30), day(30), 0, 0, None, true).await;
    cost(db, b, lb, day(-2), 1_000_000).await;
    member(db, b, worker, 30).await;
    member(db, b, li, 50).await;
    // C: initiating; D: closed (its team no longer counts).
    let c = project(db, "XM-T-0012", lab, pm, leader, "initiating", "low", 300_000).await;
    member(db, c, boss, 10).await;
    let d = project(db, "XM-T-0013", lab, pm, leader, "closed", "medium", 300_000).await;
    member(db, d, worker, 100).await;
    for p in [a, b, c, d] {
        recompute(db, p).await;
    }
    let exec = Viewer { user_id: leader, department_id: dept_of(db, "hr").await, role: Role::Executive };
    let f = DashFilter { department_id: Some(lab), priority: None };
    let dash = store::dashboard(db, &exec, "exec", &f, today()).await.expect("dashboard");
    let mut phases: Vec<(String, String, i64)> = dash.phases.iter().map(|p| (p.status.clone(), p.health.clone(), p.count)).collect();
    phases.sort();
    assert_eq!(
        phases,
        vec![("closed".into(), "green".into(), 1), ("executing".into(), "green".into(), 1), ("executing".into(), "red".into(), 1), ("initiating".into(), "green".into(), 1)]
    );
    // The scatter: the furthest behind first.
    let pts: Vec<(i64, i64, i64)> = dash.points.iter().map(|p| (p.id, p.spi_milli, p.cpi_milli)).collect();
    assert_eq!(pts, vec![(a, 250, 625), (b, 1000, 1000)]);
    assert_eq!(dash.points_total, 2);
    // Milestones: B's in 30 days upcoming; A's overdue.
    assert_eq!(dash.upcoming.iter().map(|m| (m.project_id, m.planned_end)).collect::<Vec<_>>(), vec![(b, day(30))]);
    assert_eq!(dash.overdue.iter().map(|m| (m.project_id, m.planned_end)).collect::<Vec<_>>(), vec![(a, day(-20))]);
    assert_eq!((dash.upcoming_total, dash.overdue_total), (1, 1));
    // Delays: A, 9 days, with its cause.
    assert_eq!(dash.delayed.iter().map(|p| (p.id, p.delays, p.slip_days)).collect::<Vec<_>>(), vec![(a, 1, 9)]);
    assert_eq!(dash.causes.iter().map(|c| (c.project_id, c.cause.as_str(), c.slip_days())).collect::<Vec<_>>(), vec![(a, "设备晚到", 9)]);
    // Budget vs actual: A and B (measured), BAC 3,000,000, EV 250,000 + 1,000,000, AC 1,400,000.
    assert_eq!(dash.budget.len(), 1);
    let br = &dash.budget[0];
    assert_eq!((br.department_id, br.projects, br.bac_minor, br.ev_minor, br.ac_minor), (lab, 2, 3_000_000, 1_250_000, 1_400_000));
    // Load: on open projects (A, B, C): the lab's people 60 + 20 + 30 + 10 = 120 % of 300 %;
    // li.qiang's 50 % in sales.
    let lab_load = dash.load.iter().find(|l| l.department_id == lab).expect("lab load");
    assert_eq!((lab_load.headcount, lab_load.people_on_projects, lab_load.allocated_pct, lab_load.load_pct()), (3, 2, 120, Some(40)));
    let sales_dept = dept_of(db, "sales").await;
    let sales = dash.load.iter().find(|l| l.department_id == sales_dept).expect("sales load");
    assert_eq!(sales.allocated_pct, 50);
    // The priority filter.
    let critical = DashFilter { department_id: Some(lab), priority: Some("critical".into()) };
    let dash = store::dashboard(db, &exec, "exec", &critical, today()).await.expect("dashboard");
    assert_eq!(dash.phases.iter().map(|p| p.count).sum::<i64>(), 1);
    assert_eq!(dash.budget[0].bac_minor, 1_000_000);
    // A manager elsewhere sees only the project they are on the team of.
    let sales_mgr = Viewer { user_id: li, department_id: dept_of(db, "sales").await, role: Role::Manager };
    let dash = store::dashboard(db, &sales_mgr, "sales", &f, today()).await.expect("dashboard");
    assert_eq!(dash.phases.iter().map(|p| (p.status.as_str(), p.count)).collect::<Vec<_>>(), vec![("executing", 1)]);
    assert_eq!(dash.points.iter().map(|p| p.id).collect::<Vec<_>>(), vec![b]);
    assert!(dash.overdue.is_empty() && dash.delayed.is_empty());
    assert_eq!(dash.budget[0].bac_minor, 2_000_000);
    // The lab's own manager sees every project it requested.
    let lab_mgr = Viewer { user_id: boss, department_id: lab, role: Role::Manager };
    let dash = store::dashboard(db, &lab_mgr, "mon_lab", &DashFilter::default(), today()).await.expect("dashboard");
    assert_eq!(dash.phases.iter().map(|p| p.count).sum::<i64>(), 4);
    // Through the server: staff outside the PMO may not open it; PMO staff may.
    let staff = app.sign_in("zhou.jie", PASSWORD).await;
    assert_eq!(app.call("projects/mon_dashboard", &[("query[department]", "")], Some(&staff)).await.status, 403);
    let pmo_staff = app.sign_in("xu.ming", PASSWORD).await;
    let lab_s = lab.to_string();
    let r = app.call("projects/mon_dashboard", &[("query[department]", &lab_s)], Some(&pmo_staff)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert!(r.body.contains("XM-T-0010") && r.body.contains("\"slip_days\":9"), "{}", r.body);
    // The page renders for the executive, with the tables.
    let cookie = app.sign_in("zhao.min", PASSWORD).await;
    let page = app.get(&format!("/projects/dashboard?department={lab}"), Some(&cookie)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("XM-T-0010") && page.body.contains("¥10,000.00") && page.body.contains("pd-portfolio"), "dashboard page");
});

both!(gantt_shows_the_tasks_to_those_who_may_see_them, |app| {
    let db = &app.db;
    let (pm, leader, dept) = (id_of(db, "xu.ming").await, id_of(db, "zhao.min").await, dept_of(db, "finance").await);
    let p = project(db, "XM-T-0020", dept, pm, leader, "executing", "high", 1_000_000).await;
    let t1 = task(db, p, 1, "task", pm, day(-10), day(-1), 1, 100, Some(day(-2)), true).await;
    let t2 = task(db, p, 2, "task", pm, day(0), day(9), 2, 10, None, true).await;
    let m = task(db, p, 3, "milestone", pm, day(12), day(12), 1, 0, None, true).await;
    for (a, b) in [(t2, t1), (m, t2)] {
        db.read().execute("INSERT INTO project_task_deps (task_id, depends_on_id) VALUES ($1, $2)", args![a, b]).await.expect("dep");
    }
    let pid = p.to_string();
    let cookie = app.sign_in("xu.ming", PASSWORD).await;
    let r = app.call("projects/mon_gantt", &[("id", &pid)], Some(&cookie)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let v = r.json();
    assert_eq!(v["tasks"].as_array().map(|a| a.len()), Some(3));
    assert_eq!(v["deps"].as_array().map(|a| a.len()), Some(2));
    let stranger = app.sign_in("he.na", PASSWORD).await;
    assert_eq!(app.call("projects/mon_gantt", &[("id", &pid)], Some(&stranger)).await.status, 404);
    // The page is an SVG drawn on the server, with the same data as a table.
    let page = app.get(&format!("/projects/{p}/gantt?scale=month"), Some(&cookie)).await;
    assert_eq!(page.status, 200);
    let body = page.body;
    assert!(body.contains("<svg") && body.contains("g-milestone") && body.contains("g-dep") && body.contains("gantt-table"), "gantt page");
    assert!(body.contains("任务 2") && body.contains(&day(12).to_string()));
});

fn run_server(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn,sqlx=error")
        .output()
        .expect("run server binary")
}

/// `seed --scale N` adds N / 20 projects in every phase with 40 tasks each and
/// their figures, on both backends.
async fn scale_seed_on(url: &str) {
    let o = run_server(url, &["seed", "--demo", "--scale", "400", "--employees", "40"]);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{out}");
    assert!(out.contains("Added 20 projects with 800 tasks (80 milestones)"), "{out}");
    let db = Db::connect(url, 2).await.expect("open");
    let phases: Vec<(String, i64)> = db
        .read()
        .fetch_all("SELECT status, COUNT(*) FROM projects WHERE number LIKE 'XM-S-%' GROUP BY status ORDER BY status", vec![])
        .await
        .expect("phases");
    assert_eq!(phases.len(), 6, "every phase: {phases:?}");
    // Measured projects carry today's figures; the others none.
    let (measured, fresh, baselined): (i64, i64, i64) = db
        .read()
        .fetch_one(
            "SELECT COUNT(*), SUM(CASE WHEN metrics_date = $1 AND bac_minor > 0 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN baseline_version = 1 THEN 1 ELSE 0 END) FROM projects WHERE number LIKE 'XM-S-%' AND status IN ('executing', 'acceptance')",
            args![today()],
        )
        .await
        .expect("figures");
    assert!(measured > 0 && fresh == measured && baselined == measured, "{measured} {fresh} {baselined}");
    let idle: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM projects WHERE number LIKE 'XM-S-%' AND status NOT IN ('executing', 'acceptance') AND metrics_date IS NOT NULL", vec![])
        .await
        .expect("idle");
    assert_eq!(idle, 0);
    // Generated history warns nobody.
    let warned: i64 = db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items i JOIN projects p ON p.id = i.source_id WHERE i.source_entity = 'project_health' AND p.number LIKE 'XM-S-%'",
            vec![],
        )
        .await
        .expect("warnings");
    assert_eq!(warned, 0);
    db.close().await;
}

#[tokio::test]
async fn scale_seed_adds_projects_in_every_phase_sqlite() {
    let dir = std::env::temp_dir().join(format!("charter-mon-scale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    scale_seed_on(&format!("sqlite://{}/scale.db", dir.display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn scale_seed_adds_projects_in_every_phase_postgres() {
    let base = std::env::var("CHARTER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let Ok(admin) = sqlx::PgPool::connect(&format!("{base}/postgres")).await else {
        eprintln!("SKIPPED on PostgreSQL: no server reachable at {base}");
        return;
    };
    let name = format!("charter_mon_scale_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.expect("drop");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create");
    scale_seed_on(&format!("{base}/{name}")).await;
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await;
}
