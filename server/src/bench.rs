//! `server bench`: times the queries and pages behind the busiest screens and
//! prints median and 95th percentile. `--also URL` runs the same on a second
//! database and prints its figures beside the first (SQLite and PostgreSQL side
//! by side). Fill the databases first (`server seed --demo --scale 100000`).
//!
//! Page rows are whole HTTP requests through the app's router (session,
//! layers, server-side rendering); "raw SQL" rows are the database alone, so
//! the app's overhead over the database is visible.
use app::core::db::Db;
use app::core::list::{Dir, PAGE_SIZE};
use app::core::perm::{Role, Viewer};
use app::org::store::{EmployeeFilter, employees};
use std::time::{Duration, Instant};

struct Row {
    name: &'static str,
    median: Duration,
    p95: Duration,
}

async fn time<F, Fut>(name: &'static str, runs: usize, mut f: F) -> anyhow::Result<Row>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    f().await?; // warm-up
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        samples.push(t.elapsed());
    }
    samples.sort();
    Ok(Row { name, median: samples[runs / 2], p95: samples[(runs * 95 / 100).min(runs - 1)] })
}

/// A signed-in client of the app's router (no network: requests go straight
/// through the same layers a browser's would).
struct Client {
    router: axum::Router,
    cookie: String,
}

impl Client {
    async fn sign_in(db: &Db, config: &crate::Config, username: &str) -> anyhow::Result<Client> {
        use tower::ServiceExt;
        let router = crate::router(db.clone(), config);
        let body = serde_urlencoded::to_string([("username", username), ("password", app::seed::DEMO_PASSWORD)])?;
        let req = axum::http::Request::post("/api/auth/sign_in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "bench.local")
            .header("origin", "http://bench.local")
            .header("sec-fetch-site", "same-origin")
            .body(axum::body::Body::from(body))?;
        let res = router.clone().oneshot(req).await?;
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("charter_session="))
            .map(|c| c.split(';').next().unwrap_or("").to_string())
            .ok_or_else(|| anyhow::anyhow!("could not sign in as {username} (status {})", res.status()))?;
        Ok(Client { router, cookie })
    }

    async fn page(&self, path: &str) -> anyhow::Result<()> {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let req = axum::http::Request::get(path).header("cookie", &self.cookie).body(axum::body::Body::empty())?;
        let res = self.router.clone().oneshot(req).await?;
        let status = res.status();
        let body = res.into_body().collect().await.map_err(|e| anyhow::anyhow!("{e}"))?.to_bytes();
        if !status.is_success() || body.len() < 500 {
            anyhow::bail!("{path}: status {status}, {} bytes", body.len());
        }
        Ok(())
    }
}

async fn figures(db: &Db, config: &crate::Config, runs: usize) -> anyhow::Result<(String, Vec<Row>)> {
    let people: i64 = db.read().scalar("SELECT COUNT(*) FROM users", vec![]).await?;
    let customers: i64 = db.read().scalar("SELECT COUNT(*) FROM customers", vec![]).await?;
    let opportunities: i64 = db.read().scalar("SELECT COUNT(*) FROM opportunities", vec![]).await?;
    let entries: i64 = db.read().scalar("SELECT COUNT(*) FROM audit_log", vec![]).await?;
    let projects: i64 = db.read().scalar("SELECT COUNT(*) FROM projects", vec![]).await?;
    let tasks: i64 = db.read().scalar("SELECT COUNT(*) FROM project_tasks", vec![]).await?;
    let risks: i64 = db.read().scalar("SELECT COUNT(*) FROM risks", vec![]).await?;
    let assessments: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_assessments", vec![]).await?;
    let header = format!(
        "{:?}: {people} people, {customers} customers, {opportunities} opportunities, {projects} projects, {tasks} project tasks, {risks} risks, {assessments} risk assessments, {entries} audit entries",
        db.backend()
    );
    let (staff_id, staff_dept): (i64, i64) = db
        .read()
        .fetch_one("SELECT id, department_id FROM users WHERE role = 'staff' ORDER BY id LIMIT 1", vec![])
        .await?;
    let admin = Viewer { user_id: 0, department_id: 0, role: Role::Admin };
    let manager = Viewer { user_id: staff_id, department_id: staff_dept, role: Role::Manager };
    let staff = Viewer { user_id: staff_id, department_id: staff_dept, role: Role::Staff };
    // A cursor deep into the list, as a user paging far would have.
    let mut deep = None;
    for _ in 0..4 {
        let p = employees(db, &admin, &EmployeeFilter::default(), "name", Dir::Asc, deep.as_deref(), 500).await?;
        deep = p.next.or(deep);
    }
    let none = &EmployeeFilter::default();
    let search = &EmployeeFilter { q: "王".into(), ..Default::default() };
    let (admin, manager, staff, deep) = (&admin, &manager, &staff, deep.as_deref());
    let mut rows = Vec::new();
    rows.push(time("employees: first page by name (admin)", runs, move || async move {
        employees(db, admin, none, "name", Dir::Asc, None, PAGE_SIZE).await?;
        Ok(())
    }).await?);
    rows.push(time("employees: page 2,000 rows in", runs, move || async move {
        employees(db, admin, none, "name", Dir::Asc, deep, PAGE_SIZE).await?;
        Ok(())
    }).await?);
    rows.push(time("employees: manager's department", runs, move || async move {
        employees(db, manager, none, "name", Dir::Asc, None, PAGE_SIZE).await?;
        Ok(())
    }).await?);
    rows.push(time("employees: staff (own + shared)", runs, move || async move {
        employees(db, staff, none, "name", Dir::Asc, None, PAGE_SIZE).await?;
        Ok(())
    }).await?);
    rows.push(time("employees: name search", runs, move || async move {
        employees(db, admin, search, "name", Dir::Asc, None, PAGE_SIZE).await?;
        Ok(())
    }).await?);
    rows.push(time("my work: inbox of a person", runs, move || async move {
        app::inbox::store::open_for(db, staff, 200).await?;
        Ok(())
    }).await?);

    // Sales: the dashboard's main aggregate on its own, all its queries, and the pages.
    let today = app::core::time::company_today(chrono::Utc::now());
    let filter = &app::sales::dashboard::model::DashFilter::default_for(today);
    rows.push(time("sales: dashboard main aggregate (raw SQL)", runs, move || async move {
        app::sales::dashboard::store::funnel(db, filter).await?;
        Ok(())
    }).await?);
    rows.push(time("sales: dashboard, all queries", runs, move || async move {
        app::sales::dashboard::store::dashboard(db, filter, today).await?;
        Ok(())
    }).await?);
    let board_filter = &app::sales::pipeline::model::BoardFilter::default();
    rows.push(time("sales: pipeline board first screen, all queries (admin)", runs, move || async move {
        app::sales::pipeline::store::board(db, admin, board_filter).await?;
        Ok(())
    }).await?);
    let sales_mgr: (i64, i64) = db.read().fetch_one("SELECT id, department_id FROM users WHERE username = 'li.qiang'", vec![]).await?;
    let sales_mgr = &Viewer { user_id: sales_mgr.0, department_id: sales_mgr.1, role: Role::Manager };
    rows.push(time("sales: pipeline board first screen, all queries (sales manager)", runs, move || async move {
        app::sales::pipeline::store::board(db, sales_mgr, board_filter).await?;
        Ok(())
    }).await?);
    let exec = Client::sign_in(db, config, "zhao.min").await?;
    let sales = Client::sign_in(db, config, "li.qiang").await?;
    let (exec, sales) = (&exec, &sales);
    rows.push(time("page: /sales/dashboard (executive)", runs, move || async move { exec.page("/sales/dashboard").await }).await?);
    rows.push(time("page: /sales/pipeline board (executive)", runs, move || async move { exec.page("/sales/pipeline").await }).await?);
    rows.push(time("page: /sales/pipeline board (sales manager)", runs, move || async move { sales.page("/sales/pipeline").await }).await?);
    rows.push(time("page: /sales/customers first page (executive)", runs, move || async move { exec.page("/sales/customers").await }).await?);
    rows.push(time("page: /sales/customers first page (sales manager)", runs, move || async move { sales.page("/sales/customers").await }).await?);
    // Projects: the status dashboard's queries for an executive, the PMO manager
    // and a department manager (whose reach is a condition per project), the
    // Gantt chart's queries, one project's recompute (the hook every change
    // calls), and the pages.
    let who = |username: &'static str| async move {
        let (id, dept, role, code): (i64, i64, String, String) = db
            .read()
            .fetch_one(
                "SELECT u.id, u.department_id, u.role, d.code FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = $1",
                app::args![username],
            )
            .await?;
        anyhow::Ok((Viewer { user_id: id, department_id: dept, role: Role::parse(&role).unwrap_or(Role::Staff) }, code))
    };
    let (exec_v, exec_code) = who("zhao.min").await?;
    let (pmo_v, pmo_code) = who("wu.hao").await?;
    let (mgr_v, mgr_code) = who("li.qiang").await?;
    let pd_filter = &app::projects::monitoring::model::DashFilter::default();
    for (name, v, code) in [
        ("projects: dashboard, all queries (executive)", &exec_v, &exec_code),
        ("projects: dashboard, all queries (PMO manager)", &pmo_v, &pmo_code),
        ("projects: dashboard, all queries (dept. manager)", &mgr_v, &mgr_code),
    ] {
        rows.push(time(name, runs, move || async move {
            app::projects::monitoring::store::dashboard(db, v, code, pd_filter, today).await?;
            Ok(())
        }).await?);
    }
    // A generated project with 40 tasks (any project on a database without them).
    let gantt: Option<(i64,)> = db
        .read()
        .fetch_optional(
            "SELECT p.id FROM projects p WHERE p.status = 'executing' ORDER BY CASE WHEN p.number LIKE 'XM-S-%' THEN 0 ELSE 1 END, p.id LIMIT 1",
            vec![],
        )
        .await?;
    if let Some((gantt,)) = gantt {
        rows.push(time("projects: gantt, tasks + dependencies", runs, move || async move {
            let (t, d) = tokio::try_join!(
                app::projects::monitoring::store::gantt_tasks(db, gantt),
                app::projects::monitoring::store::gantt_deps(db, gantt)
            )?;
            anyhow::ensure!(!t.is_empty() || d.is_empty(), "no tasks");
            Ok(())
        }).await?);
        rows.push(time("projects: recompute one project (write)", runs, move || async move {
            let mut tx = db.begin().await?;
            app::projects::monitoring::store::recompute(&mut tx, gantt, chrono::Utc::now()).await?;
            tx.commit().await?;
            Ok(())
        }).await?);
    }
    // The daily refresh's unit of work: one batch of measured projects
    // recomputed in a transaction (rolled back, so the data stays as it is).
    let batch: Vec<(i64,)> = db
        .read()
        .fetch_all("SELECT id FROM projects WHERE status IN ('executing', 'acceptance') ORDER BY id LIMIT 200", vec![])
        .await?;
    let batch: &Vec<i64> = &batch.into_iter().map(|r| r.0).collect();
    if !batch.is_empty() {
        rows.push(time("projects: daily refresh, one batch of 200 projects", runs.min(10), move || async move {
            let mut tx = db.begin().await?;
            app::projects::monitoring::store::recompute_many(&mut tx, batch, chrono::Utc::now(), app::projects::monitoring::store::Mode::Live).await?;
            drop(tx);
            Ok(())
        }).await?);
    }
    let pmo = Client::sign_in(db, config, "wu.hao").await?;
    let pmo = &pmo;
    rows.push(time("page: /projects/dashboard (executive)", runs, move || async move { exec.page("/projects/dashboard").await }).await?);
    rows.push(time("page: /projects/dashboard (PMO manager)", runs, move || async move { pmo.page("/projects/dashboard").await }).await?);
    if let Some((gantt,)) = gantt {
        let path = &format!("/projects/{gantt}/gantt");
        let mon = &format!("/projects/{gantt}/monitoring");
        rows.push(time("page: /projects/:id/gantt (executive)", runs, move || async move { exec.page(path).await }).await?);
        rows.push(time("page: /projects/:id/monitoring (PMO manager)", runs, move || async move { pmo.page(mon).await }).await?);
    }
    // Risk (5.1-5.3): the heat map query alone (the shared one, both kinds for
    // the executive; the department manager's reach is a condition per risk),
    // the dashboard's queries, and the pages.
    let no_filter = &app::risk::store::HeatFilter::default();
    let (exec_ref, mgr_ref) = (&exec_v, &mgr_v);
    rows.push(time("risk: heat map, inherent (executive)", runs, move || async move {
        app::risk::store::heat_map(db, exec_ref, app::risk::model::AssessmentKind::Inherent, no_filter).await?;
        Ok(())
    }).await?);
    rows.push(time("risk: heat map, residual (dept. manager)", runs, move || async move {
        app::risk::store::heat_map(db, mgr_ref, app::risk::model::AssessmentKind::Residual, no_filter).await?;
        Ok(())
    }).await?);
    let rd_filter = &app::risk::dashboard::model::DashFilter::default();
    for (name, v, code) in [
        ("risk: dashboard, all queries (executive)", &exec_v, &exec_code),
        ("risk: dashboard, all queries (dept. manager)", &mgr_v, &mgr_code),
    ] {
        rows.push(time(name, runs, move || async move {
            app::risk::dashboard::store::dashboard(db, v, code, rd_filter, chrono::Utc::now()).await?;
            Ok(())
        }).await?);
    }
    rows.push(time("page: /risks/dashboard (executive)", runs, move || async move { exec.page("/risks/dashboard").await }).await?);
    rows.push(time("page: /risks/dashboard (dept. manager)", runs, move || async move { sales.page("/risks/dashboard").await }).await?);
    rows.push(time("page: /risks register first page (executive)", runs, move || async move { exec.page("/risks").await }).await?);
    // 5.3-c: building the company risk warning report (what "issue" stores), and
    // an issued report's page (the demo issues one).
    rows.push(time("risk: warning report snapshot (build)", runs, move || async move {
        app::risk::monitoring::store::warning_snapshot(db, chrono::Utc::now()).await?;
        Ok(())
    }).await?);
    // 5.3-b: a department's report for this month (the department manager's).
    let mgr_dept = mgr_v.department_id;
    rows.push(time("risk: department report snapshot (build)", runs, move || async move {
        let now = chrono::Utc::now();
        app::risk::monitoring::store::department_snapshot(db, mgr_dept, app::risk::dashboard::store::company_month(now), now).await?;
        Ok(())
    }).await?);
    let report: Option<(i64,)> = db.read().fetch_optional("SELECT id FROM risk_warning_reports ORDER BY id DESC LIMIT 1", vec![]).await?;
    if let Some((report,)) = report {
        let path = &format!("/risks/reports/warning/{report}");
        rows.push(time("page: /risks/reports/warning/:id (executive)", runs, move || async move { exec.page(path).await }).await?);
    }
    rows.push(time("compliance: all rules (admin)", runs.min(10), move || async move {
        app::compliance::rules::evaluate_all(db, admin, chrono::Utc::now()).await?;
        Ok(())
    }).await?);
    rows.push(time("audit: verify whole chain", 3, move || async move {
        app::core::audit::verify(db).await?;
        Ok(())
    }).await?);
    Ok((header, rows))
}

pub async fn run(db: &Db, config: &crate::Config, runs: usize, also: Option<&str>) -> anyhow::Result<()> {
    let (head, rows) = figures(db, config, runs).await?;
    let other = match also {
        Some(url) => {
            let mut c2 = config.clone();
            c2.database_url = url.to_string();
            let db2 = crate::open_db(&c2).await?;
            Some(figures(&db2, &c2, runs).await?)
        }
        None => None,
    };
    println!("Charter benchmark, {runs} runs each (median / 95th percentile, ms)");
    println!("  A = {head}");
    if let Some((h, _)) = &other {
        println!("  B = {h}");
    }
    match &other {
        None => {
            println!("{:<52} {:>10} {:>10}", "query", "median", "p95");
            for r in &rows {
                println!("{:<52} {:>10.2} {:>10.2}", r.name, ms(r.median), ms(r.p95));
            }
        }
        Some((_, rows2)) => {
            println!("{:<52} {:>10} {:>10} {:>10} {:>10}", "query", "A median", "A p95", "B median", "B p95");
            for r in &rows {
                let b = rows2.iter().find(|x| x.name == r.name);
                println!(
                    "{:<52} {:>10.2} {:>10.2} {:>10} {:>10}",
                    r.name,
                    ms(r.median),
                    ms(r.p95),
                    b.map(|b| format!("{:.2}", ms(b.median))).unwrap_or_default(),
                    b.map(|b| format!("{:.2}", ms(b.p95))).unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
