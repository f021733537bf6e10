//! `server bench`: times the queries behind the busiest pages on the current
//! database and prints median and 95th percentile. Fill the database first
//! (`server seed --demo --scale 100000`) to see figures at scale.
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

pub async fn run(db: &Db, runs: usize) -> anyhow::Result<()> {
    let people: i64 = db.read().scalar("SELECT COUNT(*) FROM users", vec![]).await?;
    let entries: i64 = db.read().scalar("SELECT COUNT(*) FROM audit_log", vec![]).await?;
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
    rows.push(time("compliance: all rules (admin)", runs, move || async move {
        app::compliance::rules::evaluate_all(db, admin, chrono::Utc::now()).await?;
        Ok(())
    }).await?);
    rows.push(time("my work: inbox of a person", runs, move || async move {
        app::inbox::store::open_for(db, staff, 200).await?;
        Ok(())
    }).await?);
    let verify = time("audit: verify whole chain", 3, move || async move {
        app::core::audit::verify(db).await?;
        Ok(())
    })
    .await?;

    println!("Charter benchmark on {:?}: {people} employees, {entries} audit entries, {runs} runs each", db.backend());
    println!("{:<42} {:>10} {:>10}", "query", "median ms", "p95 ms");
    for r in rows.iter().chain(std::iter::once(&verify)) {
        println!("{:<42} {:>10.2} {:>10.2}", r.name, r.median.as_secs_f64() * 1e3, r.p95.as_secs_f64() * 1e3);
    }
    Ok(())
}
