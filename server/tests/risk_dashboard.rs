//! The risk dashboard (5.1-c heat maps, 5.3), the monthly level statistics and
//! the generated scale data, on SQLite and PostgreSQL. Fixtures are written
//! with SQL in a department and a category of their own, so the figures are
//! exact whatever the demo holds.
use crate::common;
use app::args;
use app::core::db::Tx;
use chrono::{DateTime, TimeZone, Utc};
use common::{PASSWORD, TestApp};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).single().expect("time")
}

/// A department and a category of the test's own.
async fn dept_and_category(app: &TestApp, tag: &str) -> (i64, i64) {
    let now = Utc::now();
    let mut tx = app.db.begin().await.expect("tx");
    let dept: i64 = tx
        .scalar(
            "INSERT INTO departments (code, name_zh, name_en, active, version, created_at, updated_at) VALUES ($1, '风险测试部', 'Risk test dept', $2, 1, $3, $3) RETURNING id",
            args![format!("rd_{tag}"), true, now],
        )
        .await
        .expect("dept");
    let cat: i64 = tx
        .scalar(
            "INSERT INTO risk_categories (code, name_zh, name_en, builtin, active, sort, version, created_at, updated_at) VALUES ($1, '测试类别', 'Test category', $2, $3, 99, 1, $4, $4) RETURNING id",
            args![format!("rd_{tag}"), false, true, now],
        )
        .await
        .expect("category");
    tx.commit().await.expect("commit");
    (dept, cat)
}

struct R {
    dept: i64,
    cat: i64,
    owner: i64,
    inherent: Option<(i64, i64)>,
    residual: Option<(i64, i64)>,
    created: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
}

static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A risk row as the register keeps it (current score: residual, else inherent).
async fn risk(tx: &mut Tx, r: R) -> i64 {
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let score = |p: Option<(i64, i64)>| p.map(|(l, i)| l * i);
    let status = if r.closed.is_some() {
        "closed"
    } else if r.residual.is_some() {
        "responding"
    } else if r.inherent.is_some() {
        "assessed"
    } else {
        "identified"
    };
    tx.scalar(
        "INSERT INTO risks (number, name, category_id, department_id, owner_id, status, inherent_likelihood, inherent_impact, inherent_score, \
         residual_likelihood, residual_impact, residual_score, current_score, closed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
        args![
            format!("FX-T-{}-{n:04}", std::process::id()),
            format!("看板测试风险 {n}"),
            r.cat,
            r.dept,
            r.owner,
            status,
            r.inherent.map(|p| p.0),
            r.inherent.map(|p| p.1),
            score(r.inherent),
            r.residual.map(|p| p.0),
            r.residual.map(|p| p.1),
            score(r.residual),
            score(r.residual).or(score(r.inherent)),
            r.closed,
            r.created
        ],
    )
    .await
    .expect("risk")
}

async fn assess(tx: &mut Tx, risk: i64, kind: &str, l: i64, i: i64, by: i64, when: DateTime<Utc>) {
    let level = app::risk::model::Bands::default().level(l * i).code();
    tx.execute(
        "INSERT INTO risk_assessments (risk_id, kind, likelihood, impact, score, level, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![risk, kind, l, i, l * i, level, by, when],
    )
    .await
    .expect("assessment");
}

fn cell(v: &serde_json::Value, kind: &str, l: i64, i: i64) -> i64 {
    v["data"][kind]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["likelihood"] == l && c["impact"] == i)
        .map(|c| c["count"].as_i64().expect("count"))
        .unwrap_or(0)
}

fn levels(v: &serde_json::Value) -> Vec<i64> {
    v["data"]["levels"].as_array().expect("levels").iter().map(|x| x.as_i64().expect("n")).collect()
}

/// Whether an attribute value appears in the rendered HTML (with `&` escaped or not).
fn has_href(body: &str, href: &str) -> bool {
    body.contains(&format!("href=\"{href}\"")) || body.contains(&format!("href=\"{}\"", href.replace('&', "&amp;")))
}

both!(heat_maps_count_what_each_viewer_may_see, |app| {
    let (test_dept, cat) = dept_and_category(&app, "vis").await;
    let sales: i64 = app.db.read().scalar("SELECT id FROM departments WHERE code = 'sales'", vec![]).await.expect("sales");
    let (wang, chen, li) = (app.user_id("wang.fang").await, app.user_id("chen.xue").await, app.user_id("li.qiang").await);
    let now = Utc::now();
    let created = now - chrono::Duration::days(30);
    let mut tx = app.db.begin().await.expect("tx");
    let r = |dept, owner, inherent, residual, closed| R { dept, cat, owner, inherent, residual, created, closed };
    // Sales: one critical (4×5) reduced to high (2×5), one medium (3×3), one closed.
    risk(&mut tx, r(sales, wang, Some((4, 5)), Some((2, 5)), None)).await;
    risk(&mut tx, r(sales, wang, Some((3, 3)), None, None)).await;
    risk(&mut tx, r(sales, wang, Some((5, 5)), None, Some(now - chrono::Duration::days(1)))).await;
    // The test department: two critical (4×5), one not assessed, and one the sales
    // manager holds a measure of (so he sees it too).
    risk(&mut tx, r(test_dept, chen, Some((4, 5)), None, None)).await;
    risk(&mut tx, r(test_dept, chen, Some((4, 5)), Some((1, 2)), None)).await;
    risk(&mut tx, r(test_dept, chen, None, None, None)).await;
    let measured = risk(&mut tx, r(test_dept, chen, Some((1, 1)), None, None)).await;
    tx.execute(
        "INSERT INTO risk_measures (risk_id, action, owner_id, due_on, status, created_at, updated_at) VALUES ($1, '复核', $2, $3, 'planned', $4, $4)",
        args![measured, li, app::core::time::company_today(now), now],
    )
    .await
    .expect("measure");
    tx.commit().await.expect("commit");
    let c = cat.to_string();

    // Staff outside the risk department may not open it.
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/dashboard", &[("query[category]", &c)], Some(&staff)).await;
    assert_eq!(r.status, 403, "{}", r.body);

    // The executive sees every open risk of the category.
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let r = app.call("risk/dashboard", &[("query[category]", &c)], Some(&exec)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(cell(&v, "inherent", 4, 5), 3, "{v}");
    assert_eq!(cell(&v, "inherent", 3, 3), 1);
    assert_eq!(cell(&v, "inherent", 5, 5), 0, "closed risks are off the map");
    assert_eq!(cell(&v, "inherent", 1, 1), 1);
    assert_eq!(cell(&v, "residual", 2, 5), 1);
    assert_eq!(cell(&v, "residual", 1, 2), 1);
    assert_eq!(v["data"]["inherent"]["cells"].as_array().map(|a| a.iter().map(|c| c["count"].as_i64().unwrap_or(0)).sum::<i64>()), Some(5));
    // Current levels (residual when assessed): high 2×5, medium 3×3, critical 4×5, low 1×2 and 1×1.
    assert_eq!(levels(&v), vec![2, 1, 1, 1], "{v}");
    assert_eq!(v["data"]["unassessed"], 1);
    assert_eq!(v["company_wide"], true);
    let by_dept = v["data"]["by_department"].as_array().expect("by department");
    assert_eq!(by_dept.len(), 2, "{v}");
    let test_row = by_dept.iter().find(|d| d["id"] == test_dept).expect("test dept row");
    assert_eq!(test_row["counts"], serde_json::json!([2, 0, 0, 1]));

    // Filters: department as well as category.
    let r = app.call("risk/dashboard", &[("query[category]", &c), ("query[department]", &sales.to_string())], Some(&exec)).await;
    let v = r.json();
    assert_eq!(levels(&v), vec![0, 1, 1, 0], "{v}");
    assert_eq!(cell(&v, "inherent", 4, 5), 1);

    // The sales manager: his department's risks and the one he holds a measure of.
    let mgr = app.sign_in("li.qiang", PASSWORD).await;
    let r = app.call("risk/dashboard", &[("query[category]", &c)], Some(&mgr)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(cell(&v, "inherent", 4, 5), 1, "not the test department's: {v}");
    assert_eq!(cell(&v, "inherent", 3, 3), 1);
    assert_eq!(cell(&v, "inherent", 1, 1), 1, "the risk he holds a measure of");
    assert_eq!(levels(&v), vec![1, 1, 1, 0], "{v}");
    assert_eq!(v["data"]["unassessed"], 0);
    assert_eq!(v["company_wide"], false);
    // The risk analyst (staff of the risk department) sees the whole company.
    let analyst = app.sign_in("gao.jun", PASSWORD).await;
    let v = app.call("risk/dashboard", &[("query[category]", &c)], Some(&analyst)).await.json();
    assert_eq!(cell(&v, "inherent", 4, 5), 3, "{v}");

    // The page: both heat maps as grids, cells linking to the filtered register.
    let page = app.get(&format!("/risks/dashboard?category={cat}"), Some(&exec)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-kind=\"inherent\"") && page.body.contains("data-kind=\"residual\""), "two heat maps");
    assert!(has_href(&page.body, &format!("/risks?kind=inherent&l=4&i=5&category={cat}")), "inherent cell link");
    assert!(has_href(&page.body, &format!("/risks?kind=residual&l=2&i=5&category={cat}")), "residual cell link");
    assert!(!has_href(&page.body, &format!("/risks?kind=inherent&l=5&i=5&category={cat}")), "an empty cell is no link");
    assert!(page.body.contains("data-testid=\"rd-level-critical\""), "level cards");
    let page = app.get(&format!("/risks/dashboard?category={cat}"), Some(&mgr)).await;
    assert!(has_href(&page.body, &format!("/risks?kind=inherent&l=4&i=5&category={cat}")));
    assert!(page.body.contains("rd-own-scope"), "managers are told what they see");
});

both!(statistics_rebuilt_from_history_are_exact, |app| {
    let (dept, cat) = dept_and_category(&app, "hist").await;
    let owner = app.user_id("luo.yan").await;
    // Now: 15 July 2026, noon in Beijing. Month ends are Beijing midnights:
    // 31 May 16:00 UTC, 30 June 16:00 UTC.
    let now = at(2026, 7, 15, 4, 0, 0);
    let mut tx = app.db.begin().await.expect("tx");
    let r = |inherent, residual, created, closed| R { dept, cat, owner, inherent, residual, created, closed };
    // A: critical since March; its residual (high) is dated 00:30 on 1 June in Beijing → counts from June.
    let a = risk(&mut tx, r(Some((4, 5)), Some((2, 5)), at(2026, 3, 10, 2, 0, 0), None)).await;
    assess(&mut tx, a, "inherent", 4, 5, owner, at(2026, 3, 10, 2, 0, 0)).await;
    assess(&mut tx, a, "residual", 2, 5, owner, at(2026, 5, 31, 16, 30, 0)).await;
    // B: high from April, closed in June → April and May only.
    let b = risk(&mut tx, r(Some((3, 4)), None, at(2026, 4, 5, 1, 0, 0), Some(at(2026, 6, 10, 3, 0, 0)))).await;
    assess(&mut tx, b, "inherent", 3, 4, owner, at(2026, 4, 5, 1, 0, 0)).await;
    // C: critical, created in June → June only.
    let c = risk(&mut tx, r(Some((5, 5)), None, at(2026, 6, 20, 1, 0, 0), None)).await;
    assess(&mut tx, c, "inherent", 5, 5, owner, at(2026, 6, 20, 1, 0, 0)).await;
    // D: never assessed → nowhere.
    risk(&mut tx, r(None, None, at(2026, 5, 2, 1, 0, 0), None)).await;
    // E: low, re-assessed high in May, residual low one second before July in Beijing.
    let e = risk(&mut tx, r(Some((4, 4)), Some((1, 4)), at(2026, 3, 1, 1, 0, 0), None)).await;
    assess(&mut tx, e, "inherent", 2, 2, owner, at(2026, 3, 1, 1, 0, 0)).await;
    assess(&mut tx, e, "inherent", 4, 4, owner, at(2026, 5, 15, 1, 0, 0)).await;
    assess(&mut tx, e, "residual", 1, 4, owner, at(2026, 6, 30, 15, 59, 59)).await;
    tx.commit().await.expect("commit");

    app::risk::dashboard::store::rebuild_history(&app.db, now, 4).await.expect("rebuild");
    let stats = |period: &'static str| {
        let db = app.db.clone();
        async move {
            let rows: Vec<(String, i64)> = db
                .read()
                .fetch_all("SELECT level, n FROM risk_level_stats WHERE period = $1 AND department_id = $2 AND category_id = $3 ORDER BY level", args![period, dept, cat])
                .await
                .expect("stats");
            rows
        }
    };
    let s = |v: &[(&str, i64)]| v.iter().map(|(l, n)| (l.to_string(), *n)).collect::<Vec<_>>();
    assert_eq!(stats("2026-03").await, s(&[("critical", 1), ("low", 1)]));
    assert_eq!(stats("2026-04").await, s(&[("critical", 1), ("high", 1), ("low", 1)]));
    assert_eq!(stats("2026-05").await, s(&[("critical", 1), ("high", 2)]), "A's residual is June's; E re-assessed high");
    assert_eq!(stats("2026-06").await, s(&[("critical", 1), ("high", 1), ("low", 1)]), "B closed; C new; E's residual on the last second");
    assert_eq!(stats("2026-07").await, vec![], "the current month is the hourly job's");
    // Rebuilding again gives the same rows (periods are rewritten, not added to).
    app::risk::dashboard::store::rebuild_history(&app.db, now, 4).await.expect("rebuild again");
    assert_eq!(stats("2026-05").await, s(&[("critical", 1), ("high", 2)]));

    // The hourly job: this month from the risks as they are now, idempotent.
    app::risk::dashboard::store::hourly(&app.db, now).await.expect("hourly");
    app::risk::dashboard::store::hourly(&app.db, now).await.expect("hourly again");
    assert_eq!(stats("2026-07").await, s(&[("critical", 1), ("high", 1), ("low", 1)]));
    let rows: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM risk_level_stats WHERE period = '2026-07' AND department_id = $1", args![dept])
        .await
        .expect("count");
    assert_eq!(rows, 3, "one row per level, not one per run");
    // A risk closed drops out at the next run; the bands in force decide the level.
    app.db.read().execute("UPDATE risks SET status = 'closed', closed_at = $1 WHERE id = $2", args![now, c]).await.expect("close");
    let admin = app.sign_in("admin", PASSWORD).await;
    let r = app.call("settings/save", &[("key", "risk.band_medium"), ("value", "3"), ("version", "0")], Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    app::risk::dashboard::store::hourly(&app.db, now).await.expect("hourly after changes");
    assert_eq!(stats("2026-07").await, s(&[("high", 1), ("medium", 1)]), "C gone; E's 1×4 is medium with medium from 3");
    assert_eq!(stats("2026-06").await, s(&[("critical", 1), ("high", 1), ("low", 1)]), "past months stay as they were");
});

both!(trend_reads_the_statistics, |app| {
    let (dept, cat) = dept_and_category(&app, "trend").await;
    let owner = app.user_id("luo.yan").await;
    let now = Utc::now();
    let mut tx = app.db.begin().await.expect("tx");
    let created = now - chrono::Duration::days(400);
    let a = risk(&mut tx, R { dept, cat, owner, inherent: Some((4, 5)), residual: None, created, closed: None }).await;
    assess(&mut tx, a, "inherent", 4, 5, owner, created).await;
    let fresh = now - chrono::Duration::seconds(1);
    let b = risk(&mut tx, R { dept, cat, owner, inherent: Some((3, 4)), residual: None, created: fresh, closed: None }).await;
    assess(&mut tx, b, "inherent", 3, 4, owner, fresh).await;
    tx.commit().await.expect("commit");
    app::risk::dashboard::store::rebuild_history(&app.db, now, 12).await.expect("rebuild");
    app::risk::dashboard::store::hourly(&app.db, now).await.expect("hourly");
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let v = app.call("risk/dashboard", &[("query[category]", &cat.to_string())], Some(&exec)).await.json();
    let trend = v["data"]["trend"].as_array().expect("trend");
    assert_eq!(trend.len(), 12, "{v}");
    let last = &trend[11];
    assert_eq!((last["high"].as_i64(), last["critical"].as_i64()), (Some(1), Some(1)), "this month: A critical, B high");
    for p in &trend[..11] {
        assert_eq!((p["high"].as_i64(), p["critical"].as_i64()), (Some(0), Some(1)), "before: A only {p}");
    }
    // A manager of another department sees his department's trend: none of these.
    let mgr = app.sign_in("li.qiang", PASSWORD).await;
    let v = app.call("risk/dashboard", &[("query[category]", &cat.to_string())], Some(&mgr)).await.json();
    assert!(v["data"]["trend"].as_array().expect("trend").iter().all(|p| p["high"] == 0 && p["critical"] == 0), "{v}");
});

both!(scale_generates_consistent_risks_with_history, |app| {
    let before: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risks", vec![]).await.expect("count");
    let counts = app::risk::dashboard::scale::scale(&app.db, 300, &|_, _, _| {}).await.expect("scale");
    assert_eq!(counts.risks, 300);
    let after: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risks", vec![]).await.expect("count");
    assert_eq!(after - before, 300);
    let generated = "r.number LIKE 'FX-S-%'";
    // 2–4 assessments each.
    let (lo, hi): (i64, i64) = app
        .db
        .read()
        .fetch_one(
            &format!("SELECT MIN(n), MAX(n) FROM (SELECT COUNT(a.id) AS n FROM risks r LEFT JOIN risk_assessments a ON a.risk_id = r.id WHERE {generated} GROUP BY r.id) x"),
            vec![],
        )
        .await
        .expect("per risk");
    assert!(lo >= 2 && hi <= 4, "{lo}..{hi}");
    let total: i64 = app.db.read().scalar(&format!("SELECT COUNT(*) FROM risk_assessments a JOIN risks r ON r.id = a.risk_id WHERE {generated}"), vec![]).await.expect("n");
    assert_eq!(total as u64, counts.assessments);
    // The row's current score is the latest residual assessment's, else the latest inherent one's.
    let wrong: i64 = app
        .db
        .read()
        .scalar(
            &format!(
                "SELECT COUNT(*) FROM risks r WHERE {generated} AND r.current_score <> (SELECT a.score FROM risk_assessments a WHERE a.risk_id = r.id \
                 ORDER BY CASE WHEN a.kind = 'residual' THEN 0 ELSE 1 END, a.assessed_at DESC, a.id DESC LIMIT 1)"
            ),
            vec![],
        )
        .await
        .expect("consistency");
    assert_eq!(wrong, 0);
    // Every category and several departments; some closed, measures and reviews present.
    let cats: i64 = app.db.read().scalar(&format!("SELECT COUNT(DISTINCT r.category_id) FROM risks r WHERE {generated}"), vec![]).await.expect("cats");
    assert!(cats >= 4, "{cats}");
    let depts: i64 = app.db.read().scalar(&format!("SELECT COUNT(DISTINCT r.department_id) FROM risks r WHERE {generated}"), vec![]).await.expect("depts");
    assert!(depts >= 5, "{depts}");
    assert!(counts.closed > 0 && counts.measures > 0 && counts.reviews > 0, "{counts:?}");
    // Accepting a risk above low is approved by an executive (5.2-a).
    let unapproved: i64 = app
        .db
        .read()
        .scalar(&format!("SELECT COUNT(*) FROM risks r WHERE {generated} AND r.strategy = 'accept' AND r.current_score >= 5 AND (r.acceptance_status IS NULL OR r.acceptance_status <> 'approved')"), vec![])
        .await
        .expect("acceptance");
    assert_eq!(unapproved, 0);
    let reviewed: i64 = app
        .db
        .read()
        .scalar(&format!("SELECT COUNT(*) FROM risk_assessments a JOIN risks r ON r.id = a.risk_id WHERE {generated} AND a.review_id IS NOT NULL"), vec![])
        .await
        .expect("linked");
    assert_eq!(reviewed as u64, counts.reviews, "each review re-scored one residual assessment");
    let stats: i64 = app.db.read().scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM risk_level_stats", vec![]).await.expect("stats");
    assert!(stats > 0);
    let audited: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'risk_scale'", vec![]).await.expect("audit");
    assert_eq!(audited, 1);
});
