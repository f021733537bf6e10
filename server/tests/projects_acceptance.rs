//! Acceptance (2.4.4): attachments (size, type, who may download), the
//! application's conditions, the review by the requesting department, return
//! and a second round, the report on passing, rule 2.4.4-c and the lessons
//! search. Each test on SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use app::core::time::company_today;
use axum::body::Body;
use axum::http::Request;
use chrono::{Duration, Utc};
use common::{PASSWORD, TestApp};

/// A project requested by production (manager zhu.gang), managed by xu.ming
/// (PMO staff), led by zhao.min, with hu.bin on the team; executing on
/// baseline v1 with a task and a milestone (`done`: both at 100 %).
async fn project(app: &TestApp, name: &str, done: bool) -> (i64, i64) {
    let db = &app.db;
    let now = Utc::now();
    let today = company_today(now);
    let dept: i64 = db.read().scalar("SELECT id FROM departments WHERE code = $1", args!["production"]).await.expect("dept");
    let pm = app.user_id("xu.ming").await;
    let sponsor = app.user_id("zhao.min").await;
    let member = app.user_id("hu.bin").await;
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM projects", vec![]).await.expect("count");
    let id: i64 = db
        .read()
        .scalar(
            "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, objectives, scope_in, scope_out, start_date, \
             end_date, budget_minor, currency, priority, status, plan_round, baseline_version, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, 1, 1, $15, $15) RETURNING id",
            args![
                format!("XM-T-{:04}", n + 1), name, dept, pm, sponsor, "追溯一个批次不超过五分钟。", "条码采集、追溯查询。", "设备改造。",
                today - Duration::days(90), today - Duration::days(3), 50_000_000i64, "CNY", "high", "executing", now
            ],
        )
        .await
        .expect("project");
    for (user, role) in [(pm, "项目经理"), (member, "实施工程师")] {
        db.read()
            .execute(
                "INSERT INTO project_members (project_id, user_id, role, responsibilities, allocation_pct, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 50, 1, $5, $5)",
                args![id, user, role, "计划与实施", now],
            )
            .await
            .expect("member");
    }
    db.read()
        .execute(
            "INSERT INTO project_baselines (project_id, version, start_date, end_date, budget_minor, approved_at, approved_by) \
             VALUES ($1, 1, $2, $3, $4, $5, $6)",
            args![id, today - Duration::days(90), today - Duration::days(3), 50_000_000i64, now, sponsor],
        )
        .await
        .expect("baseline");
    let mut first = 0;
    for (pos, (tname, kind)) in [("系统开发", "task"), ("上线", "milestone")].into_iter().enumerate() {
        let pct: i64 = if done || kind == "milestone" { 100 } else { 60 };
        let t: i64 = db
            .read()
            .scalar(
                "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, baseline_start, \
                 baseline_end, actual_start, pct_done, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $6, $7, $6, $8, 1, $9, $9) \
                 RETURNING id",
                args![id, (pos + 1) as i64, tname, kind, member, today - Duration::days(80), today - Duration::days(5), pct, now],
            )
            .await
            .expect("task");
        if pos == 0 {
            first = t;
        }
    }
    (id, first)
}

const BOUNDARY: &str = "----charter-test-boundary-7MA4YWxkTrZu0gW";

fn multipart(project: i64, kind: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (n, v) in [("project_id", project.to_string()), ("kind", kind.to_string())] {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The upload as the browser posts it: `html` is a plain form post (no JavaScript).
async fn upload_as(app: &TestApp, cookie: &str, project: i64, kind: &str, filename: &str, bytes: &[u8], html: bool) -> common::Resp {
    let mut b = Request::post("/api/projects/acc_upload_file")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("host", "charter.test")
        .header("origin", "http://charter.test")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", "10.9.8.7")
        .header("cookie", cookie);
    if html {
        b = b.header("accept", "text/html,application/xhtml+xml").header("referer", format!("http://charter.test/projects/{project}/acceptance"));
    }
    app.send(b.body(Body::from(multipart(project, kind, filename, bytes))).expect("request")).await
}

async fn upload(app: &TestApp, cookie: &str, project: i64, kind: &str, filename: &str, bytes: &[u8]) -> common::Resp {
    upload_as(app, cookie, project, kind, filename, bytes, false).await
}

async fn upload_three(app: &TestApp, cookie: &str, project: i64) {
    for (kind, name, body) in [
        ("deliverable", "交付清单.txt", "1. 平台\n2. 手册\n".as_bytes()),
        ("test_report", "测试报告.csv", "用例,结果\n追溯,通过\n".as_bytes()),
        ("user_feedback", "用户反馈.md", "# 反馈\n好用\n".as_bytes()),
    ] {
        let r = upload(app, cookie, project, kind, name, body).await;
        assert!(r.status.is_success(), "upload {name}: {} {}", r.status, r.body);
    }
}

fn error(r: &common::Resp, field: &str) -> String {
    r.json()["Validation"]
        .as_array()
        .and_then(|v| v.iter().find(|e| e["field"] == field))
        .map(|e| e["key"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

async fn status(app: &TestApp, project: i64) -> String {
    app.db.read().scalar("SELECT status FROM projects WHERE id = $1", args![project]).await.expect("status")
}

async fn version(app: &TestApp, project: i64) -> String {
    let v: i64 = app.db.read().scalar("SELECT version FROM projects WHERE id = $1", args![project]).await.expect("version");
    v.to_string()
}

async fn apply(app: &TestApp, cookie: &str, project: i64, summary: &str) -> common::Resp {
    let (p, v) = (project.to_string(), version(app, project).await);
    app.call("projects/acc_apply", &[("project_id", &p), ("version", &v), ("summary", summary)], Some(cookie)).await
}

/// The pending round's id and version.
async fn pending(app: &TestApp, project: i64) -> (String, String) {
    let (id, v): (i64, i64) = app
        .db
        .read()
        .fetch_one("SELECT id, version FROM project_acceptances WHERE project_id = $1 AND status = $2", args![project, "pending"])
        .await
        .expect("pending round");
    (id.to_string(), v.to_string())
}

async fn review(app: &TestApp, cookie: &str, project: i64, answers: [&str; 3], decision: &str, reason: &str) -> common::Resp {
    let (id, v) = pending(app, project).await;
    app.call(
        "projects/acc_review",
        &[
            ("acceptance_id", &id),
            ("version", &v),
            ("objectives_met", answers[0]),
            ("objectives_note", "目标达成"),
            ("quality_ok", answers[1]),
            ("quality_note", ""),
            ("documents_complete", answers[2]),
            ("documents_note", "资料齐全"),
            ("decision", decision),
            ("return_reason", reason),
        ],
        Some(cookie),
    )
    .await
}

async fn viewer(app: &TestApp, username: &str) -> Viewer {
    let (id, dept, role): (i64, i64, String) =
        app.db.read().fetch_one("SELECT id, department_id, role FROM users WHERE username = $1", args![username]).await.expect("user");
    Viewer { user_id: id, department_id: dept, role: Role::parse(&role).expect("role") }
}

both!(uploads_are_size_limited_type_checked_and_sanitised, |app| {
    let (p, _) = project(&app, "追溯平台 A", true).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    let admin = app.sign_in("admin", PASSWORD).await;
    let r = app.call("settings/save", &[("key", "projects.upload_max_mb"), ("value", "1"), ("version", "0")], Some(&admin)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);

    // Over the limit: refused at the field, nothing stored.
    let big = vec![b'a'; 1024 * 1024 + 10];
    let r = upload(&app, &pm, p, "deliverable", "big.txt", &big).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert_eq!(error(&r, "file"), "projects_acc.err_too_large");
    assert_eq!(r.json()["Validation"][0]["params"][0][1], "1");
    // Wrong types: by extension, and content that does not match its extension.
    let r = upload(&app, &pm, p, "deliverable", "setup.exe", b"MZ\x90\x00\x03").await;
    assert_eq!(error(&r, "file"), "projects_acc.err_file_type");
    let r = upload(&app, &pm, p, "test_report", "report.pdf", b"MZ\x90\x00 this is no pdf").await;
    assert_eq!(error(&r, "file"), "projects_acc.err_file_content");
    let r = upload(&app, &pm, p, "test_report", "t.csv", &[0xC3, 0x28, 0x00]).await;
    assert_eq!(error(&r, "file"), "projects_acc.err_file_content");
    let r = upload(&app, &pm, p, "nonsense", "a.txt", b"hello").await;
    assert_eq!(error(&r, "kind"), "val.required");
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM project_files WHERE project_id = $1", args![p]).await.expect("n");
    assert_eq!(n, 0);

    // A good one: name sanitised, type from the content check, SHA-256 stored.
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec();
    let r = upload(&app, &pm, p, "test_report", "../../测试|报告.pdf", &pdf).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (name, ct, size, sha, content): (String, String, i64, String, Vec<u8>) = app
        .db
        .read()
        .fetch_one("SELECT filename, content_type, size_bytes, sha256, content FROM project_files WHERE project_id = $1", args![p])
        .await
        .expect("file");
    assert_eq!(name, "测试_报告.pdf");
    assert_eq!(ct, "application/pdf");
    assert_eq!(size, pdf.len() as i64);
    assert_eq!(sha, app::projects::acceptance::store::sha256_hex(&pdf));
    assert_eq!(content, pdf);
    let audit: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND action = $2", args!["project_file", "upload"]).await.expect("audit");
    assert!(audit >= 1);

    // Without JavaScript: a redirect back to the page, the error in the URL when refused.
    let r = upload_as(&app, &pm, p, "deliverable", "x.exe", b"MZ", true).await;
    assert!(r.status.is_redirection(), "{}", r.status);
    let loc = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(loc.contains(&format!("/projects/{p}/acceptance")) && loc.contains("__err="), "{loc}");
    let r = upload_as(&app, &pm, p, "deliverable", "清单.txt", "交付清单".as_bytes(), true).await;
    assert!(r.status.is_redirection(), "{}", r.status);
    let loc = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(loc.contains(&format!("/projects/{p}/acceptance")) && !loc.contains("__err="), "{loc}");

    // Only those who manage the project upload: a team member may not, a stranger does not see it.
    let member = app.sign_in("hu.bin", PASSWORD).await;
    assert_eq!(upload(&app, &member, p, "deliverable", "a.txt", b"x").await.status.as_u16(), 403);
    let stranger = app.sign_in("wang.fang", PASSWORD).await;
    assert_eq!(upload(&app, &stranger, p, "deliverable", "a.txt", b"x").await.status.as_u16(), 404);
});

both!(files_are_served_only_to_those_who_see_the_project, |app| {
    let (p, _) = project(&app, "追溯平台 B", true).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    let r = upload(&app, &pm, p, "user_feedback", "反馈 <1>.md", "# 用户反馈\n很好".as_bytes()).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let fid: i64 = app.db.read().scalar("SELECT id FROM project_files WHERE project_id = $1", args![p]).await.expect("file");
    let path = format!("/files/projects/{fid}");

    for who in ["xu.ming", "hu.bin", "zhu.gang", "sun.wei"] {
        let c = app.sign_in(who, PASSWORD).await;
        let r = app.get(&path, Some(&c)).await;
        assert_eq!(r.status.as_u16(), 200, "{who}");
        assert_eq!(r.body, "# 用户反馈\n很好");
        let h = |n: &str| r.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_eq!(h("content-type"), "text/markdown; charset=utf-8");
        assert!(h("content-disposition").starts_with("attachment; filename=\"__ _1_.md\"; filename*=UTF-8''"), "{}", h("content-disposition"));
        assert_eq!(h("x-content-type-options"), "nosniff");
    }
    // Strangers get "not found", as for a file that does not exist.
    for who in ["wang.fang", "li.qiang"] {
        let c = app.sign_in(who, PASSWORD).await;
        assert_eq!(app.get(&path, Some(&c)).await.status.as_u16(), 404, "{who}");
    }
    assert_eq!(app.get("/files/projects/999999", Some(&pm)).await.status.as_u16(), 404);
    assert_eq!(app.get("/files/projects/abc", Some(&pm)).await.status.as_u16(), 404);
    // Not signed in: to the sign-in page.
    let r = app.get(&path, None).await;
    assert!(r.status.is_redirection());
    assert!(r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("/login"));

    // Deleted before applying (by the manager only); a stranger cannot.
    let stranger = app.sign_in("wang.fang", PASSWORD).await;
    let f = fid.to_string();
    assert_eq!(app.call("projects/acc_delete_file", &[("id", &f)], Some(&stranger)).await.status.as_u16(), 404);
    let r = app.call("projects/acc_delete_file", &[("id", &f)], Some(&pm)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(app.get(&path, Some(&pm)).await.status.as_u16(), 404);
});

both!(applying_needs_finished_tasks_and_three_kinds, |app| {
    let (p, task) = project(&app, "追溯平台 C", false).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    // Nothing there yet: every problem at its field.
    let r = apply(&app, &pm, p, "").await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert_eq!(error(&r, "summary"), "val.required");
    assert_eq!(error(&r, "tasks"), "projects_acc.err_tasks_open");
    assert!(r.json()["Validation"].to_string().contains("系统开发 (60%)"), "{}", r.body);
    assert_eq!(error(&r, "missing_deliverable"), "projects_acc.err_missing_deliverable");
    assert_eq!(error(&r, "missing_test_report"), "projects_acc.err_missing_test_report");
    assert_eq!(error(&r, "missing_user_feedback"), "projects_acc.err_missing_user_feedback");
    // Two kinds only, the task still open.
    upload(&app, &pm, p, "deliverable", "a.txt", b"a").await;
    upload(&app, &pm, p, "test_report", "b.csv", b"a,b").await;
    let r = apply(&app, &pm, p, "完成").await;
    assert_eq!(error(&r, "missing_user_feedback"), "projects_acc.err_missing_user_feedback");
    assert_eq!(error(&r, "tasks"), "projects_acc.err_tasks_open");
    assert_eq!(error(&r, "missing_deliverable"), "");
    upload(&app, &pm, p, "user_feedback", "c.md", b"# ok").await;
    let r = apply(&app, &pm, p, "完成").await;
    assert_eq!(error(&r, "tasks"), "projects_acc.err_tasks_open");
    assert_eq!(status(&app, p).await, "executing");
    app.db.read().execute("UPDATE project_tasks SET pct_done = 100 WHERE id = $1", args![task]).await.expect("finish");

    // Others may not apply: a team member is refused, a stranger does not see it.
    let member = app.sign_in("hu.bin", PASSWORD).await;
    assert_eq!(apply(&app, &member, p, "完成").await.status.as_u16(), 403);
    let stranger = app.sign_in("wang.fang", PASSWORD).await;
    assert_eq!(apply(&app, &stranger, p, "完成").await.status.as_u16(), 404);
    // A stale version is a conflict.
    let ps = p.to_string();
    let r = app.call("projects/acc_apply", &[("project_id", &ps), ("version", "999"), ("summary", "完成")], Some(&pm)).await;
    assert_eq!(r.status.as_u16(), 409);

    let r = apply(&app, &pm, p, "全部完成，申请验收。").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, p).await, "acceptance");
    let (acc, round): (i64, i64) =
        app.db.read().fetch_one("SELECT id, round FROM project_acceptances WHERE project_id = $1", args![p]).await.expect("acceptance");
    assert_eq!(round, 1);
    let taken: i64 = app.db.read().scalar("SELECT COUNT(*) FROM project_files WHERE acceptance_id = $1", args![acc]).await.expect("files");
    assert_eq!(taken, 3);
    // The requesting department (production) has the review in My work.
    let dept: i64 = app.db.read().scalar("SELECT id FROM departments WHERE code = $1", args!["production"]).await.expect("dept");
    let (rd, link): (Option<i64>, String) = app
        .db
        .read()
        .fetch_one("SELECT recipient_department_id, link FROM inbox_items WHERE source_entity = $1 AND source_id = $2", args!["project_acceptance", acc])
        .await
        .expect("task");
    assert_eq!(rd, Some(dept));
    assert_eq!(link, format!("/projects/{p}/acceptance"));
    let audit: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND record_id = $2 AND action = $3", args!["project_acceptance", acc, "apply"])
        .await
        .expect("audit");
    assert_eq!(audit, 1);
    // Taken files can no longer be deleted; applying twice is refused.
    let fid: i64 = app.db.read().scalar("SELECT MIN(id) FROM project_files WHERE acceptance_id = $1", args![acc]).await.expect("fid");
    let r = app.call("projects/acc_delete_file", &[("id", &fid.to_string())], Some(&pm)).await;
    assert_eq!(error(&r, "file"), "projects_acc.err_file_taken");
    let r = apply(&app, &pm, p, "again").await;
    assert_eq!(error(&r, "status"), "projects_acc.err_not_executing");
});

both!(review_only_by_the_requesting_departments_manager_or_an_executive, |app| {
    let (p, _) = project(&app, "追溯平台 D", true).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    upload_three(&app, &pm, p).await;
    assert!(apply(&app, &pm, p, "申请验收").await.status.is_success());
    let yes = ["yes", "yes", "yes"];
    // The PM (PMO: sees it), a production staff member, the leader who is not an executive... none may review.
    for who in ["xu.ming", "hu.bin"] {
        let c = app.sign_in(who, PASSWORD).await;
        assert_eq!(review(&app, &c, p, yes, "pass", "").await.status.as_u16(), 403, "{who}");
    }
    // Another department's manager does not even see the project.
    let li = app.sign_in("li.qiang", PASSWORD).await;
    assert_eq!(review(&app, &li, p, yes, "pass", "").await.status.as_u16(), 404);
    assert_eq!(status(&app, p).await, "acceptance");
    // The requesting department's manager may; so may an executive (next round).
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    let r = review(&app, &zhu, p, ["yes", "no", "yes"], "return", "质量问题未关闭").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    upload_three(&app, &pm, p).await;
    assert!(apply(&app, &pm, p, "再次申请").await.status.is_success());
    let exec = app.sign_in("sun.wei", PASSWORD).await;
    let r = review(&app, &exec, p, yes, "pass", "").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, p).await, "closed");
});

both!(returned_goes_back_to_executing_and_a_new_application_is_round_two, |app| {
    let (p, _) = project(&app, "追溯平台 E", true).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    upload_three(&app, &pm, p).await;
    assert!(apply(&app, &pm, p, "申请验收").await.status.is_success());
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    // Unanswered items and a return without reasons are refused at their fields.
    let r = review(&app, &zhu, p, ["", "yes", "maybe"], "return", " ").await;
    assert_eq!(r.status.as_u16(), 422);
    assert_eq!(error(&r, "objectives_met"), "val.required");
    assert_eq!(error(&r, "documents_complete"), "val.required");
    assert_eq!(error(&r, "return_reason"), "val.required");
    // A stale version is a conflict.
    let (id, _) = pending(&app, p).await;
    let r = app
        .call(
            "projects/acc_review",
            &[("acceptance_id", &id), ("version", "99"), ("objectives_met", "yes"), ("quality_ok", "yes"), ("documents_complete", "yes"), ("decision", "pass")],
            Some(&zhu),
        )
        .await;
    assert_eq!(r.status.as_u16(), 409);

    let r = review(&app, &zhu, p, ["yes", "yes", "no"], "return", "缺少操作手册").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, p).await, "executing");
    let (st, reason, docs): (String, String, bool) = app
        .db
        .read()
        .fetch_one("SELECT status, return_reason, documents_complete FROM project_acceptances WHERE project_id = $1 AND round = 1", args![p])
        .await
        .expect("round 1");
    assert_eq!((st.as_str(), reason.as_str(), docs), ("returned", "缺少操作手册", false));
    // The department's task is done; the PM is told.
    let open: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = $1 AND source_id = $2 AND kind = $3 AND done_at IS NULL", args!["project_acceptance", id.parse::<i64>().expect("id"), "task"])
        .await
        .expect("open");
    assert_eq!(open, 0);
    let pm_id = app.user_id("xu.ming").await;
    let told: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND title_key = $2", args![pm_id, "projects_acc.note_returned"])
        .await
        .expect("told");
    assert_eq!(told, 1);

    // Round 2 needs its own attachments; round 1 keeps its files and stays visible.
    let r = apply(&app, &pm, p, "补充了操作手册").await;
    assert_eq!(error(&r, "missing_deliverable"), "projects_acc.err_missing_deliverable");
    upload_three(&app, &pm, p).await;
    assert!(apply(&app, &pm, p, "补充了操作手册").await.status.is_success());
    let rounds: Vec<(i64, String)> = app
        .db
        .read()
        .fetch_all("SELECT round, status FROM project_acceptances WHERE project_id = $1 ORDER BY round", args![p])
        .await
        .expect("rounds");
    assert_eq!(rounds, vec![(1, "returned".to_string()), (2, "pending".to_string())]);
    let per_round: Vec<(i64, i64)> = app
        .db
        .read()
        .fetch_all(
            "SELECT a.round, COUNT(f.id) FROM project_acceptances a JOIN project_files f ON f.acceptance_id = a.id WHERE a.project_id = $1 \
             GROUP BY a.round ORDER BY a.round",
            args![p],
        )
        .await
        .expect("files per round");
    assert_eq!(per_round, vec![(1, 3), (2, 3)]);
    let page = app.call("projects/acc_page", &[("project_id", &p.to_string())], Some(&pm)).await;
    assert!(page.status.is_success(), "{}", page.body);
    let rounds = page.json()["rounds"].as_array().cloned().unwrap_or_default();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0]["acceptance"]["round"], 2);
    assert_eq!(rounds[1]["acceptance"]["return_reason"], "缺少操作手册");
});

both!(passing_closes_the_project_with_a_frozen_report, |app| {
    let (p, _) = project(&app, "追溯平台 F", true).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    upload_three(&app, &pm, p).await;
    assert!(apply(&app, &pm, p, "全部完成").await.status.is_success());
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    // 2.4.4-b: not every item met: no pass.
    let r = review(&app, &zhu, p, ["yes", "no", "yes"], "pass", "").await;
    assert_eq!(error(&r, "decision"), "projects_acc.err_checklist");
    assert_eq!(status(&app, p).await, "acceptance");
    let r = review(&app, &zhu, p, ["yes", "yes", "yes"], "pass", "").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (st, closed): (String, Option<chrono::DateTime<Utc>>) =
        app.db.read().fetch_one("SELECT status, closed_at FROM projects WHERE id = $1", args![p]).await.expect("project");
    assert_eq!(st, "closed");
    assert!(closed.is_some());
    let (number, json): (String, String) = app
        .db
        .read()
        .fetch_one("SELECT number, snapshot_json FROM project_acceptance_reports WHERE project_id = $1", args![p])
        .await
        .expect("report");
    let year = app::core::time::company_year(Utc::now());
    assert!(number.starts_with(&format!("YS-{year}-")) && number.len() == 12, "{number}");
    let snap: app::projects::acceptance::model::ReportSnapshot = serde_json::from_str(&json).expect("snapshot");
    assert_eq!(snap.project_name, "追溯平台 F");
    assert_eq!(snap.objectives, "追溯一个批次不超过五分钟。");
    assert_eq!(snap.budget_minor, 50_000_000);
    assert_eq!(snap.deliverables.len(), 3);
    assert!(snap.checklist.iter().all(|c| c.ok));
    assert_eq!(snap.checklist[0].note, "目标达成");
    assert_eq!(snap.reviewer, "朱刚");
    assert_eq!(snap.team.len(), 2);
    assert_eq!(snap.round, 1);
    assert!(snap.actual_start.is_some());

    // The report page: to those who see the project; in the reader's language (labels only).
    let r = app.call("projects/acc_report", &[("project_id", &p.to_string())], Some(&pm)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(r.json()["report"]["number"], number.as_str());
    let stranger = app.sign_in("wang.fang", PASSWORD).await;
    assert_eq!(app.call("projects/acc_report", &[("project_id", &p.to_string())], Some(&stranger)).await.status.as_u16(), 404);
    let html = app.get(&format!("/projects/{p}/report"), Some(&pm)).await;
    assert!(html.body.contains("项目验收报告") && html.body.contains(&number), "report page");
    // Reviewing again: the round is no longer pending.
    let pm_id = app.user_id("xu.ming").await;
    let retro_task: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = $2 AND source_id = $3 AND done_at IS NULL", args![pm_id, "project_retrospective", p])
        .await
        .expect("retro task");
    assert_eq!(retro_task, 1);
});

both!(rule_244c_every_closed_project_has_a_report, |app| {
    let (p, _) = project(&app, "没有报告的项目", true).await;
    app.db.read().execute("UPDATE projects SET status = $1, closed_at = $2 WHERE id = $3", args!["closed", Utc::now(), p]).await.expect("close");
    let now = Utc::now();
    let exec = viewer(&app, "sun.wei").await;
    let st = app::projects::acceptance::rules::closed_have_report(&app.db, &exec, now).await.expect("rule");
    assert_eq!(st.clause, "2.4.4-c");
    // The demo's closed projects have their reports; only this one is listed.
    assert_eq!(st.count, 1);
    assert_eq!(st.violations[0].link, format!("/projects/{p}/acceptance"));
    assert!(st.violations[0].label.contains("没有报告的项目"));
    // Visibility: a stranger is not told about it; the requesting department's manager is.
    let stranger = viewer(&app, "wang.fang").await;
    assert_eq!(app::projects::acceptance::rules::closed_have_report(&app.db, &stranger, now).await.expect("rule").count, 0);
    let zhu = viewer(&app, "zhu.gang").await;
    assert_eq!(app::projects::acceptance::rules::closed_have_report(&app.db, &zhu, now).await.expect("rule").count, 1);
    // It is in the compliance registry.
    assert!(app::compliance::rules::all().any(|r| r.clause == "2.4.4-c"));
});

both!(retrospective_is_versioned_and_lessons_search_respects_visibility, |app| {
    let (p, _) = project(&app, "追溯平台 G", true).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    let ps = p.to_string();
    let retro = |version: &'static str, lessons: &'static str| {
        let ps = ps.clone();
        let pm = pm.clone();
        let app = &app;
        async move {
            app.call(
                "projects/acc_save_retro",
                &[("project_id", &ps), ("version", version), ("went_well", "条码终端 SELECTED 得当"), ("went_badly", "接口联调晚"), ("lessons", lessons)],
                Some(&pm),
            )
            .await
        }
    };
    // Not yet: the project is still executing.
    assert_eq!(error(&retro("", "x").await, "status"), "projects_acc.err_retro_when");
    upload_three(&app, &pm, p).await;
    assert!(apply(&app, &pm, p, "申请").await.status.is_success());
    assert_eq!(error(&retro("", "").await, "lessons"), "val.required");
    let r = retro("", "MES 接口要尽早联调").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    // A second "first" save or a stale version is a conflict; the current version saves.
    assert_eq!(retro("", "again").await.status.as_u16(), 409);
    assert_eq!(retro("7", "again").await.status.as_u16(), 409);
    let r = retro("1", "MES 接口要尽早联调；Barcode 规范先定").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (v, search): (i64, String) =
        app.db.read().fetch_one("SELECT version, search_text FROM project_retrospectives WHERE project_id = $1", args![p]).await.expect("retro");
    assert_eq!(v, 2);
    assert!(search.contains("barcode 规范先定") && search.contains("selected"), "{search}");
    // A stranger may not write it.
    let stranger = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("projects/acc_save_retro", &[("project_id", &ps), ("version", "2"), ("lessons", "x")], Some(&stranger)).await;
    assert_eq!(r.status.as_u16(), 404);

    let search = |who: &'static str, q: &'static str| {
        let app = &app;
        async move {
            let c = app.sign_in(who, PASSWORD).await;
            let r = app.call("projects/acc_lessons", &[("query[q]", q), ("query[after]", "")], Some(&c)).await;
            assert!(r.status.is_success(), "{} {}", r.status, r.body);
            r.json()
        }
    };
    // Case-insensitive, on what the reader may see.
    for who in ["xu.ming", "hu.bin", "zhu.gang", "zhao.min"] {
        let j = search(who, "BARCODE").await;
        assert_eq!(j["total"], 1, "{who}");
        assert_eq!(j["rows"][0]["project_name"], "追溯平台 G");
    }
    for who in ["wang.fang", "li.qiang"] {
        assert_eq!(search(who, "barcode").await["total"], 0, "{who}");
    }
    // LIKE wildcards in the query match themselves ("约 6%" is in P8's retrospective).
    assert_eq!(search("xu.ming", "%%").await["total"], 0);
    assert_eq!(search("xu.ming", "_").await["total"], 0);
    assert_eq!(search("xu.ming", "约 6%").await["total"], 1);
    // The demo's lessons (P7, P8) are found by the PMO and the executives, not by strangers.
    let j = search("zhao.min", "供应商").await;
    assert!(j["total"].as_i64().unwrap_or(0) >= 2, "{j}");
    assert_eq!(search("wang.fang", "供应商").await["total"], 0);
});
