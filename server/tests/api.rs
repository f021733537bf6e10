//! Storage, server-function and security tests, each run on SQLite and PostgreSQL.
use crate::common;
use app::core::audit::Verification;
use common::{PASSWORD, TestApp};

both!(health_check_answers, |app| {
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok");
});

both!(security_headers_on_every_response, |app| {
    for path in ["/healthz", "/login", "/api/auth/me"] {
        let r = app.get(path, None).await;
        assert_eq!(r.headers.get("x-content-type-options").map(|v| v.to_str().unwrap_or("")), Some("nosniff"), "{path}");
        assert!(r.headers.get("referrer-policy").is_some(), "{path}");
        let csp = r.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    // Pages carry a per-response nonce for the hydration script.
    let page = app.get("/login", None).await;
    let csp = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(csp.contains("'nonce-"), "{csp}");
});

both!(cross_origin_post_is_refused, |app| {
    use axum::body::Body;
    use axum::http::Request;
    let req = Request::post("/api/auth/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "charter.test")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("username=admin&password={PASSWORD}")))
        .expect("request");
    let r = app.send(req).await;
    assert_eq!(r.status, 403);
    assert!(r.session_cookie().is_none(), "no session for a cross-site sign-in");
    // Same request without the forged origin works.
    let ok = app.call("auth/sign_in", &[("username", "admin"), ("password", PASSWORD)], None).await;
    assert!(ok.status.is_success(), "{} {}", ok.status, ok.body);
});

both!(pages_need_sign_in, |app| {
    let r = app.get("/admin/users", None).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.headers.get("location").and_then(|v| v.to_str().ok()), Some("/login?next=%2Fadmin%2Fusers"));
});

both!(session_id_rotates_at_sign_in_and_dies_at_sign_out, |app| {
    let first = app.sign_in("wang.fang", PASSWORD).await;
    // Signing in again while holding a session gives a new id.
    let r = app.call("auth/sign_in", &[("username", "wang.fang"), ("password", PASSWORD)], Some(&first)).await;
    assert!(r.status.is_success());
    let second = r.session_cookie().expect("new cookie");
    assert_ne!(first, second, "session id must change at sign-in");
    let me = app.call("auth/me", &[], Some(&first)).await;
    assert_eq!(me.json(), serde_json::Value::Null, "the pre-sign-in session id is no longer valid");
    let me = app.call("auth/me", &[], Some(&second)).await;
    assert_eq!(me.json()["username"], "wang.fang");
    // Sign out: the old cookie is useless.
    let out = app.call("auth/sign_out", &[], Some(&second)).await;
    assert!(out.status.is_success(), "{}", out.body);
    let me = app.call("auth/me", &[], Some(&second)).await;
    assert_eq!(me.json(), serde_json::Value::Null);
    let page = app.get("/", Some(&second)).await;
    assert_eq!(page.status, 303, "old cookie must not open pages");
});

both!(sign_in_is_throttled_per_account_and_address, |app| {
    for _ in 0..5 {
        let r = app.call("auth/sign_in", &[("username", "li.qiang"), ("password", "wrong-password-1")], None).await;
        assert_eq!(r.status, 422, "{}", r.body);
    }
    // Even the right password is refused now.
    let r = app.call("auth/sign_in", &[("username", "li.qiang"), ("password", PASSWORD)], None).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.json()["Throttled"]["retry_after_secs"].as_i64().unwrap_or(0) > 0);
    // Per address: 20 failures over different accounts from one address.
    for i in 0..20 {
        let user = format!("nobody{i}");
        app.call_from("auth/sign_in", &[("username", &user), ("password", "x-wrong-123")], None, "192.0.2.50").await;
    }
    let r = app.call_from("auth/sign_in", &[("username", "wang.fang"), ("password", PASSWORD)], None, "192.0.2.50").await;
    assert_eq!(r.status, 429);
    // Another address is not affected.
    let r = app.call_from("auth/sign_in", &[("username", "wang.fang"), ("password", PASSWORD)], None, "192.0.2.51").await;
    assert!(r.status.is_success());
    // Failures are audited.
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'", vec![]).await.expect("count");
    assert!(n >= 25, "{n}");
});

both!(staff_cannot_read_other_departments_or_admin_pages, |app| {
    let staff = app.sign_in("wang.fang", PASSWORD).await; // sales
    let finance_person = app.user_id("ma.lin").await;
    let colleague = app.user_id("zhang.lei").await; // same department
    let me = app.user_id("wang.fang").await;
    let r = app.call("org/employee", &[("id", &finance_person.to_string())], Some(&staff)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.call("org/employee", &[("id", &colleague.to_string())], Some(&staff)).await;
    assert_eq!(r.status, 403, "staff see their own records only");
    let r = app.call("org/employee", &[("id", &me.to_string())], Some(&staff)).await;
    assert_eq!(r.status, 200);
    let r = app.call("audit/history", &[("entity", "user"), ("id", &finance_person.to_string())], Some(&staff)).await;
    assert_eq!(r.status, 403);
    // Admin pages and admin functions are refused on the server.
    for page in ["/admin/users", "/admin/audit", "/admin/departments"] {
        let r = app.get(page, Some(&staff)).await;
        assert_eq!(r.status, 403, "{page}");
    }
    let r = app.call("audit/list", &[("query[actor]", "")], Some(&staff)).await;
    assert_eq!(r.status, 403);
    let r = app.call("org/set_employee_active", &[("id", &colleague.to_string()), ("version", "1"), ("active", "false")], Some(&staff)).await;
    assert_eq!(r.status, 403);
    let r = app.get("/export/employees.csv", Some(&staff)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body.lines().count(), 2, "the export holds only what staff may see: {}", r.body);
    // A manager sees their department, not others.
    let mgr = app.sign_in("li.qiang", PASSWORD).await;
    let r = app.call("org/employee", &[("id", &colleague.to_string())], Some(&mgr)).await;
    assert_eq!(r.status, 200);
    let r = app.call("org/employee", &[("id", &finance_person.to_string())], Some(&mgr)).await;
    assert_eq!(r.status, 403);
    // An executive sees everyone.
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let r = app.call("org/employee", &[("id", &finance_person.to_string())], Some(&exec)).await;
    assert_eq!(r.status, 200);
});

fn employee_form<'a>(username: &'a str, name: &'a str, dept: &'a str, password: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("input[username]", username),
        ("input[display_name]", name),
        ("input[email]", ""),
        ("input[phone]", ""),
        ("input[department_id]", dept),
        ("input[position_id]", ""),
        ("input[supervisor_id]", ""),
        ("input[role]", "staff"),
        ("input[language]", "zh"),
        ("input[time_zone]", "Asia/Shanghai"),
        ("input[password]", password),
    ]
}

both!(admin_creates_employee_who_signs_in_and_stale_save_is_refused, |app| {
    let admin = app.sign_in("admin", PASSWORD).await;
    let dept: i64 = app.db.read().scalar("SELECT id FROM departments WHERE code = 'sales'", vec![]).await.expect("dept");
    let dept = dept.to_string();
    // Bad input: every field named, nothing written.
    let mut bad = employee_form("x", "", &dept, "short");
    bad.insert(0, ("id", ""));
    bad.insert(1, ("version", ""));
    let r = app.call("org/save_employee", &bad, Some(&admin)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let fields: Vec<String> = r.json()["Validation"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(fields, ["username", "display_name", "password"]);
    // A good one.
    let mut form = employee_form("qian.duo", "钱多", &dept, "Welcome-2026-x");
    form.insert(0, ("id", ""));
    form.insert(1, ("version", ""));
    let r = app.call("org/save_employee", &form, Some(&admin)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let id = r.json().as_i64().expect("id");
    // Duplicate username is a field error.
    let r = app.call("org/save_employee", &form, Some(&admin)).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["Validation"][0]["field"], "username");
    // The new employee signs in; the creation is audited and a conduct task awaits them.
    let theirs = app.sign_in("qian.duo", "Welcome-2026-x").await;
    let work = app.call("inbox/my_work", &[], Some(&theirs)).await;
    assert_eq!(work.json()["open"][0]["link"], "/conduct", "{}", work.body);
    let created: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND record_id = $1 AND action = 'create'", app::args![id]).await.expect("audit");
    assert_eq!(created, 1);
    // Two admins edit the same version: the second is refused with the current values.
    let id_s = id.to_string();
    let mut edit = employee_form("qian.duo", "钱多多", &dept, "");
    edit.insert(0, ("id", &id_s));
    edit.insert(1, ("version", "1"));
    let r = app.call("org/save_employee", &edit, Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let mut stale = employee_form("qian.duo", "钱少", &dept, "");
    stale.insert(0, ("id", &id_s));
    stale.insert(1, ("version", "1"));
    let r = app.call("org/save_employee", &stale, Some(&admin)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["Conflict"]["current"]["display_name"], "钱多多");
    let name: String = app.db.read().scalar("SELECT display_name FROM users WHERE id = $1", app::args![id]).await.expect("name");
    assert_eq!(name, "钱多多", "the stale save did not overwrite");
    // Deactivation ends their session at once.
    let r = app.call("org/set_employee_active", &[("id", &id_s), ("version", "2"), ("active", "false")], Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let me = app.call("auth/me", &[], Some(&theirs)).await;
    assert_eq!(me.json(), serde_json::Value::Null);
    let r = app.call("auth/sign_in", &[("username", "qian.duo"), ("password", "Welcome-2026-x")], None).await;
    assert_eq!(r.status, 422, "a deactivated account cannot sign in");
});

both!(changing_password_ends_other_sessions, |app| {
    let a = app.sign_in("zhang.lei", PASSWORD).await;
    let b = app.sign_in("zhang.lei", PASSWORD).await;
    let r = app.call("account/change_password", &[("current", "nope"), ("new", "short"), ("confirm", "other")], Some(&a)).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["Validation"].as_array().map(|v| v.len()), Some(3));
    let r = app.call("account/change_password", &[("current", PASSWORD), ("new", "New-secret-2026"), ("confirm", "New-secret-2026")], Some(&a)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let a2 = r.session_cookie().unwrap_or(a.clone());
    assert_eq!(app.call("auth/me", &[], Some(&a2)).await.json()["username"], "zhang.lei");
    assert_eq!(app.call("auth/me", &[], Some(&b)).await.json(), serde_json::Value::Null);
    app.sign_in("zhang.lei", "New-secret-2026").await;
});

both!(language_is_remembered_per_user, |app| {
    let c = app.sign_in("wang.fang", PASSWORD).await;
    let page = app.get("/", Some(&c)).await;
    assert!(page.body.contains("lang=\"zh-CN\""), "Chinese by default");
    assert!(page.body.contains("我的工作"));
    let r = app.call("account/language", &[("lang", "en")], Some(&c)).await;
    assert!(r.status.is_success());
    let c2 = app.sign_in("wang.fang", PASSWORD).await;
    let page = app.get("/", Some(&c2)).await;
    assert!(page.body.contains("lang=\"en\""));
    assert!(page.body.contains("My work"));
});

both!(conduct_acknowledgement_clears_rule_3_1_a, |app| {
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    // Rules are listed in clause order; find 3.1-a by its clause.
    let rule_3_1_a = |j: serde_json::Value| j.as_array().expect("rules").iter().find(|r| r["clause"] == "3.1-a").cloned().expect("3.1-a listed");
    let r = app.call("compliance/overview", &[], Some(&exec)).await;
    let rule = &rule_3_1_a(r.json());
    let before = rule["count"].as_i64().expect("count");
    assert!(before >= 1);
    let labels: Vec<String> = rule["violations"].as_array().expect("list").iter().map(|v| v["label"].as_str().unwrap_or("").to_string()).collect();
    assert!(labels.contains(&"王芳".to_string()), "{labels:?}");
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    // Staff see only themselves in the rule.
    let mine = app.call("compliance/overview", &[], Some(&staff)).await;
    assert_eq!(rule_3_1_a(mine.json())["count"], 1);
    let r = app.call("conduct/acknowledge", &[], Some(&staff)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let again = app.call("conduct/acknowledge", &[], Some(&staff)).await;
    assert!(again.status.is_success(), "acknowledging twice is harmless");
    let r = app.call("compliance/overview", &[], Some(&exec)).await;
    assert_eq!(rule_3_1_a(r.json())["count"].as_i64(), Some(before - 1));
    let work = app.call("inbox/my_work", &[], Some(&staff)).await;
    assert!(work.json()["open"].as_array().expect("open").iter().all(|i| i["link"] != "/conduct"), "task closed");
});

both!(audit_chain_verifies_and_detects_tampering, |app| {
    let admin = app.sign_in("admin", PASSWORD).await;
    let r = app.call("audit/verify", &[], Some(&admin)).await;
    assert_eq!(r.json()["intact"], true, "{}", r.body);
    let entries = r.json()["entries"].as_u64().expect("entries");
    assert!(entries > 30);
    // Entries cannot be changed through SQL while the guard is in place.
    let blocked = app.db.read().execute("UPDATE audit_log SET actor_name = 'x' WHERE id = 5", vec![]).await;
    assert!(blocked.is_err(), "audit_log is append-only");
    // Someone with database access removes the guard and edits a row.
    match app.backend {
        "sqlite" => {
            app.db.read().execute("DROP TRIGGER audit_log_no_update", vec![]).await.expect("drop");
        }
        _ => {
            app.db.read().execute("DROP TRIGGER audit_log_no_update ON audit_log", vec![]).await.expect("drop");
        }
    }
    app.db.read().execute("UPDATE audit_log SET actor_name = 'someone else' WHERE id = 7", vec![]).await.expect("tamper");
    match app::core::audit::verify(&app.db).await.expect("verify") {
        Verification::Broken { entry_id, .. } => assert_eq!(entry_id, 7),
        other => panic!("tampering not detected: {other:?}"),
    }
});

both!(employee_list_pages_sorts_filters_and_exports, |app| {
    let admin = app.sign_in("admin", PASSWORD).await;
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let r = app.call("org/employees", &[("query[sort]", "username"), ("query[dir]", "desc"), ("query[after]", &after)], Some(&admin)).await;
        assert!(r.status.is_success(), "{}", r.body);
        let j = r.json();
        assert_eq!(j["total"], 26);
        for row in j["rows"].as_array().expect("rows") {
            seen.push(row["username"].as_str().unwrap_or("").to_string());
        }
        match j["next"].as_str() {
            Some(n) => after = n.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 26, "every row once across pages");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted);
    let r = app.call("org/employees", &[("query[q]", "王")], Some(&admin)).await;
    assert_eq!(r.json()["total"], 1);
    let csv = app.get("/export/employees.csv?role=manager", Some(&admin)).await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("text/csv"));
    let managers: i64 = app.db.read().scalar("SELECT COUNT(*) FROM users WHERE role = 'manager'", vec![]).await.expect("n");
    assert_eq!(csv.body.lines().count() as i64, managers + 1);
    let audited: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'export'", vec![]).await.expect("n");
    assert_eq!(audited, 1, "exports are audited (3.1-b)");
});

both!(departments_are_editable_with_optimistic_locking, |app| {
    let admin = app.sign_in("admin", PASSWORD).await;
    let r = app.call("org/departments", &[], Some(&admin)).await;
    let depts = r.json();
    let codes: Vec<&str> = depts.as_array().expect("list").iter().filter_map(|d| d["code"].as_str()).collect();
    for c in ["marketing", "sales", "customer_service", "pmo", "finance", "production", "logistics", "legal", "risk", "hr", "rnd"] {
        assert!(codes.contains(&c), "{c}");
    }
    let legal = depts.as_array().expect("list").iter().find(|d| d["code"] == "legal").expect("legal").clone();
    let id = legal["id"].to_string();
    let r = app.call("org/save_department", &[("id", &id), ("version", "1"), ("input[code]", "legal"), ("input[name_zh]", "法务合规部"), ("input[name_en]", "Legal & Compliance"), ("active", "on")], Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("org/save_department", &[("id", &id), ("version", "1"), ("input[code]", "legal"), ("input[name_zh]", "法务部"), ("input[name_en]", "Legal"), ("active", "on")], Some(&admin)).await;
    assert_eq!(r.status, 409);
    // A department with people cannot be deactivated.
    let r = app.call("org/save_department", &[("id", &id), ("version", "2"), ("input[code]", "legal"), ("input[name_zh]", "法务合规部"), ("input[name_en]", "Legal & Compliance")], Some(&admin)).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["Validation"][0]["field"], "active");
});

both!(records_shared_with_staff_become_visible_read_only, |app| {
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let other = app.user_id("ma.lin").await;
    let me = app.user_id("wang.fang").await;
    let r = app.call("org/employee", &[("id", &other.to_string())], Some(&staff)).await;
    assert_eq!(r.status, 403);
    app.db
        .read()
        .execute(
            "INSERT INTO record_shares (entity, record_id, user_id, created_at) VALUES ('user', $1, $2, $3)",
            app::args![other, me, chrono::Utc::now()],
        )
        .await
        .expect("share");
    let r = app.call("org/employee", &[("id", &other.to_string())], Some(&staff)).await;
    assert_eq!(r.status, 200, "shared with me: {}", r.body);
    assert_eq!(r.json()["username"], "ma.lin");
});

both!(inbox_items_are_marked_done_only_by_their_recipients, |app| {
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let work = app.call("inbox/my_work", &[], Some(&staff)).await;
    let item = work.json()["open"][0].clone();
    let id = item["id"].to_string();
    let version = item["version"].to_string();
    let other = app.sign_in("liu.yang", PASSWORD).await;
    let r = app.call("inbox/mark", &[("id", &id), ("version", &version), ("done", "true")], Some(&other)).await;
    assert_eq!(r.status, 403, "not addressed to liu.yang");
    let r = app.call("inbox/mark", &[("id", &id), ("version", &version), ("done", "true")], Some(&staff)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("inbox/mark", &[("id", &id), ("version", &version), ("done", "true")], Some(&staff)).await;
    assert_eq!(r.status, 409, "stale version");
    let work = app.call("inbox/my_work", &[], Some(&staff)).await;
    assert!(work.json()["open"].as_array().expect("open").iter().all(|i| i["id"].to_string() != id), "no longer open");
    assert_eq!(work.json()["done"][0]["id"].to_string(), id);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idle_sessions_expire() {
    // With no idle allowance at all, the session is gone by the next request.
    let app = TestApp::sqlite_with(|c| c.session_idle_minutes = 0).await;
    let cookie = app.sign_in("wang.fang", PASSWORD).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let me = app.call("auth/me", &[], Some(&cookie)).await;
    assert_eq!(me.json(), serde_json::Value::Null, "an idle session ends");
    app.finish().await;
}

both!(a_new_year_brings_every_active_employee_the_conduct_task_once, |app| {
    let next_year = chrono::Utc::now() + chrono::Duration::days(366);
    let active: i64 = app.db.read().scalar("SELECT COUNT(*) FROM users WHERE active = $1", app::args![true]).await.expect("n");
    let added = app::conduct::store::ensure_tasks(&app.db, next_year).await.expect("tasks");
    assert_eq!(added as i64, active);
    assert_eq!(app::conduct::store::ensure_tasks(&app.db, next_year).await.expect("again"), 0, "never twice");
    let c = app.sign_in("wang.fang", PASSWORD).await;
    let work = app.call("inbox/my_work", &[], Some(&c)).await;
    let year = app::core::time::company_year(next_year).to_string();
    assert!(work.json()["open"].as_array().expect("open").iter().any(|i| i["params_json"].as_str().unwrap_or("").contains(&year)), "{}", work.body);
});

both!(supervisor_loops_are_refused, |app| {
    let admin = app.sign_in("admin", PASSWORD).await;
    // li.qiang reports to sun.wei; making sun.wei report to wang.fang (who reports to li.qiang) closes a loop.
    let sun = app.user_id("sun.wei").await.to_string();
    let wang = app.user_id("wang.fang").await.to_string();
    let dept: i64 = app.db.read().scalar("SELECT department_id FROM users WHERE username = 'sun.wei'", vec![]).await.expect("d");
    let dept = dept.to_string();
    let version: i64 = app.db.read().scalar("SELECT version FROM users WHERE username = 'sun.wei'", vec![]).await.expect("v");
    let version = version.to_string();
    let form = vec![
        ("id", sun.as_str()), ("version", version.as_str()),
        ("input[username]", "sun.wei"), ("input[display_name]", "孙伟"), ("input[email]", ""), ("input[phone]", ""),
        ("input[department_id]", dept.as_str()), ("input[position_id]", ""), ("input[supervisor_id]", wang.as_str()),
        ("input[role]", "executive"), ("input[language]", "zh"), ("input[time_zone]", "Asia/Shanghai"), ("input[password]", ""),
    ];
    let r = app.call("org/save_employee", &form, Some(&admin)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["Validation"][0]["field"], "supervisor_id");
});
