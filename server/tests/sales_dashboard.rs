//! Business settings and the pipeline dashboard, on SQLite and PostgreSQL.
use crate::common;
use app::args;
use common::{PASSWORD, TestApp};

both!(admins_change_settings_with_checks_and_audit, |app| {
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("settings/save", &[("key", "sales.visit_days"), ("value", "30"), ("version", "0")], Some(&staff)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let admin = app.sign_in("admin", PASSWORD).await;
    // Out of range: refused at the field.
    let r = app.call("settings/save", &[("key", "sales.visit_days"), ("value", "0"), ("version", "0")], Some(&admin)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("sales.visit_days") && r.body.contains("val.out_of_range"), "{}", r.body);
    // An unknown department code in a list setting.
    let r = app.call("settings/save", &[("key", "sales.review_departments"), ("value", "finance,nowhere"), ("version", "0")], Some(&admin)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = app.call("settings/save", &[("key", "sales.visit_days"), ("value", " 30 "), ("version", "0")], Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(app::settings::store::int(&app.db, app::settings::VISIT_DAYS).await.expect("read"), 30);
    // Saving over a newer value is refused with what is stored now.
    let r = app.call("settings/save", &[("key", "sales.visit_days"), ("value", "45"), ("version", "0")], Some(&admin)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("30"), "{}", r.body);
    let r = app.call("settings/save", &[("key", "sales.visit_days"), ("value", "45"), ("version", "1")], Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'setting'", vec![]).await.expect("audit");
    assert_eq!(n, 2, "each change audited");
    let list = app.call("settings/list", &[], Some(&admin)).await;
    assert!(list.body.contains("\"value\":\"45\""), "{}", list.body);
});

/// A department of its own with known deals, so the figures are exact whatever the demo holds.
async fn dashboard_fixture(app: &TestApp) -> (i64, i64) {
    let db = &app.db;
    let now = chrono::Utc::now();
    let mut tx = db.begin().await.expect("tx");
    let dept: i64 = tx
        .scalar(
            "INSERT INTO departments (code, name_zh, name_en, active, version, created_at, updated_at) VALUES ('dash_test', '测试部', 'Test dept', $1, 1, $2, $2) RETURNING id",
            args![true, now],
        )
        .await
        .expect("dept");
    let owner: i64 = app.user_id("wang.fang").await;
    let cust: i64 = tx
        .scalar(
            "INSERT INTO customers (name, name_norm, owner_id, department_id, created_at, updated_at) VALUES ('看板测试客户', '看板测试客户', $1, $2, $3, $3) RETURNING id",
            args![owner, dept, now],
        )
        .await
        .expect("customer");
    let stages: Vec<(String, String, i64)> = tx.fetch_all("SELECT code, kind, probability FROM opportunity_stages ORDER BY position", vec![]).await.expect("stages");
    let open = stages.iter().find(|s| s.1 == "open" && s.2 > 0).expect("an open stage").clone();
    let won = stages.iter().find(|s| s.1 == "won").expect("won").0.clone();
    let lost = stages.iter().find(|s| s.1 == "lost").expect("lost").0.clone();
    let today = app::core::time::company_today(now);
    let soon = today + chrono::Duration::days(1);
    let late = today - chrono::Duration::days(3);
    let insert = "INSERT INTO opportunities (customer_id, title, stage_code, amount_minor, expected_close, owner_id, department_id, \
                  stage_changed_at, closed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $8)";
    let open_deals = [("开放一", 100_000_00i64, soon), ("开放二", 300_000_00, soon), ("延误", 50_000_00, late)];
    for (title, amount, close) in open_deals {
        tx.execute(insert, args![cust, title, open.0.clone(), amount, close, owner, dept, now, Option::<chrono::DateTime<chrono::Utc>>::None, now]).await.expect("open");
    }
    let closed = now - chrono::Duration::hours(1);
    let created = closed - chrono::Duration::days(10);
    for (title, stage, amount) in [("赢一", won.clone(), 200_000_00i64), ("赢二", won.clone(), 100_000_00), ("输一", lost.clone(), 80_000_00)] {
        tx.execute(insert, args![cust, title, stage, amount, today, owner, dept, closed, Some(closed), created]).await.expect("closed");
    }
    tx.commit().await.expect("commit");
    (dept, open.2)
}

both!(dashboard_figures_are_exact_and_for_managers_up, |app| {
    let (dept, probability) = dashboard_fixture(&app).await;
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("sales/dashboard", &[("query[from]", "")], Some(&staff)).await;
    assert_eq!(r.status, 403, "staff do not see the dashboard: {}", r.body);
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let d = dept.to_string();
    let today = app::core::time::company_today(chrono::Utc::now());
    let from = (today - chrono::Duration::days(40)).to_string();
    let to = (today + chrono::Duration::days(40)).to_string();
    let r = app.call("sales/dashboard", &[("query[department]", &d), ("query[from]", &from), ("query[to]", &to)], Some(&exec)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let j = r.json();
    let stages = j["data"]["stages"].as_array().expect("stages").clone();
    let open = stages.iter().find(|s| s["kind"] == "open" && s["count"].as_i64() == Some(3)).expect("the open stage with 3 deals");
    assert_eq!(open["amount_minor"], 450_000_00i64);
    let won = stages.iter().find(|s| s["kind"] == "won").expect("won");
    assert_eq!((won["count"].as_i64(), won["amount_minor"].as_i64()), (Some(2), Some(300_000_00)));
    let by_owner = j["data"]["by_owner"].as_array().expect("by owner");
    assert_eq!(by_owner.len(), 1);
    assert_eq!((by_owner[0]["won"].as_i64(), by_owner[0]["lost"].as_i64()), (Some(2), Some(1)));
    let cycle = by_owner[0]["avg_cycle_days"].as_f64().expect("cycle");
    assert!((cycle - 10.0).abs() < 0.01, "10 days from creation to close, got {cycle}");
    assert_eq!(j["data"]["slipping_count"], 1);
    assert_eq!(j["data"]["slipping"][0]["title"], "延误");
    assert_eq!(j["data"]["top_deals"][0]["title"], "开放二");
    let month = today.format("%Y-%m").to_string();
    let m = j["data"]["months"].as_array().expect("months").iter().find(|m| m["month"] == month.as_str()).expect("this month").clone();
    assert_eq!(m["won_minor"], 300_000_00i64);
    assert_eq!(m["target_minor"], 0);
    let _ = probability;
    // An executive sets this month's target for the department; the dashboard shows it.
    let r = app.call("sales/set_target", &[("month", &month), ("department", &d), ("amount", "400,000")], Some(&exec)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("sales/set_target", &[("month", &month), ("department", &d), ("amount", "abc")], Some(&exec)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let j = app.call("sales/dashboard", &[("query[department]", &d), ("query[from]", &from), ("query[to]", &to)], Some(&exec)).await.json();
    let m = j["data"]["months"].as_array().expect("months").iter().find(|m| m["month"] == month.as_str()).expect("this month").clone();
    assert_eq!(m["target_minor"], 400_000_00i64);
    // A manager is held to their own department whatever they ask for.
    let mgr = app.sign_in("li.qiang", PASSWORD).await;
    let r = app.call("sales/dashboard", &[("query[department]", &d), ("query[from]", &from), ("query[to]", &to)], Some(&mgr)).await;
    let j = r.json();
    assert_eq!(j["department_locked"], true, "{}", r.body);
    assert_ne!(j["data"]["filter"]["department_id"].as_i64(), Some(dept));
    let r = app.call("sales/set_target", &[("month", &month), ("department", &d), ("amount", "1")], Some(&mgr)).await;
    assert_eq!(r.status, 403);
    // Company-wide, the demo's contract reviews and receivables are in the figures.
    let j = app.call("sales/dashboard", &[("query[from]", &from), ("query[to]", &to)], Some(&exec)).await.json();
    assert!(!j["data"]["reviews"].as_array().expect("reviews").is_empty(), "review turnaround from the demo contracts");
    let a = &j["data"]["ageing"];
    let total: i64 = ["not_due", "d0_30", "d31_60", "d61_90", "over_90"].iter().map(|k| a[k].as_i64().unwrap_or(0)).sum();
    assert!(total > 0, "outstanding receivables from the demo: {a}");
    // A reversed period is refused at the field.
    let r = app.call("sales/dashboard", &[("query[from]", "2026-12-01"), ("query[to]", "2026-01-01")], Some(&exec)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // The page renders with its charts and tables.
    let page = app.get("/sales/dashboard", Some(&exec)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("dash-funnel") && page.body.contains("dash-months") && page.body.contains("dash-ageing"), "charts on the page");
});
