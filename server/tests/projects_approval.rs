//! Projects: plan review and approval (2.4.1-c), baselines and change requests
//! (2.4.3-c), rule 2.4.1-c. Fixture projects are made with direct SQL (the plan
//! editor is another part's). Each test runs on SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use app::projects::model::ProjectStatus;
use chrono::{Duration, NaiveDate, Utc};
use common::{PASSWORD, TestApp};
use std::sync::atomic::{AtomicU32, Ordering};

static N: AtomicU32 = AtomicU32::new(0);

struct Fixture {
    id: i64,
    /// Task ids in position order: two tasks and a milestone.
    tasks: Vec<i64>,
    start: NaiveDate,
}

/// A production project managed by xu.ming (PMO staff), led by zhao.min, with
/// hu.bin on the team: three tasks (one assigned to `third_assignee`), two
/// budget lines (300,000 + 200,000), one criterion, and the kickoff if asked.
async fn project(app: &TestApp, kickoff: bool, third_assignee: &str) -> Fixture {
    let db = &app.db;
    let now = Utc::now();
    let n = N.fetch_add(1, Ordering::SeqCst);
    let pm = app.user_id("xu.ming").await;
    let leader = app.user_id("zhao.min").await;
    let hu = app.user_id("hu.bin").await;
    let third = app.user_id(third_assignee).await;
    let dept: i64 = db.read().scalar("SELECT id FROM departments WHERE code = 'production'", vec![]).await.expect("dept");
    let start = app::core::time::company_today(now) + Duration::days(10);
    let id: i64 = db
        .read()
        .scalar(
            "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, objectives, start_date, end_date, \
             budget_minor, currency, priority, status, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, '试产线改造', $6, $7, 50000000, 'CNY', 'high', 'initiating', 1, $8, $4, $8, $4) RETURNING id",
            args![format!("XM-T{}-{n:04}", std::process::id()), format!("测试项目 {n}"), dept, pm, leader, start, start + Duration::days(60), now],
        )
        .await
        .expect("project");
    for (u, role) in [(pm, "项目经理"), (hu, "工程师")] {
        db.read()
            .execute(
                "INSERT INTO project_members (project_id, user_id, role, allocation_pct, version, created_at, updated_at) VALUES ($1, $2, $3, 50, 1, $4, $4)",
                args![id, u, role, now],
            )
            .await
            .expect("member");
    }
    if kickoff {
        add_kickoff(app, id).await;
    }
    let mut tasks = Vec::new();
    for (pos, name, kind, from, to, who) in [(1, "方案设计", "task", 0, 20, hu), (2, "安装调试", "task", 21, 50, third), (3, "投产", "milestone", 55, 55, pm)] {
        let t: i64 = db
            .read()
            .scalar(
                "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, version, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1, $8, $8) RETURNING id",
                args![id, pos as i64, name, kind, who, start + Duration::days(from), start + Duration::days(to), now],
            )
            .await
            .expect("task");
        tasks.push(t);
    }
    for (cat, desc, amount) in [("equipment", "设备", 30_000_000i64), ("labour", "人工", 20_000_000i64)] {
        db.read()
            .execute(
                "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 1, $5, $5)",
                args![id, cat, desc, amount, now],
            )
            .await
            .expect("line");
    }
    db.read()
        .execute(
            "INSERT INTO project_quality_criteria (project_id, position, criterion, method, version, created_at, updated_at) \
             VALUES ($1, 1, '一次合格率 ≥ 95%', '批次统计', 1, $2, $2)",
            args![id, now],
        )
        .await
        .expect("criterion");
    Fixture { id, tasks, start }
}

async fn add_kickoff(app: &TestApp, id: i64) {
    let now = Utc::now();
    app.db
        .read()
        .execute(
            "INSERT INTO project_meetings (project_id, kind, held_on, attendees, minutes, decisions, version, created_at, updated_at) \
             VALUES ($1, 'kickoff', $2, '徐明、胡斌', '确定范围', '每周例会', 1, $3, $3)",
            args![id, app::core::time::company_today(now), now],
        )
        .await
        .expect("kickoff");
}

async fn version(app: &TestApp, id: i64) -> i64 {
    app.db.read().scalar("SELECT version FROM projects WHERE id = $1", args![id]).await.expect("version")
}

async fn status(app: &TestApp, id: i64) -> String {
    app.db.read().scalar("SELECT status FROM projects WHERE id = $1", args![id]).await.expect("status")
}

fn fields(r: &common::Resp) -> Vec<String> {
    r.json()["Validation"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["field"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

async fn submit(app: &TestApp, cookie: &str, id: i64) -> common::Resp {
    let v = version(app, id).await.to_string();
    app.call("projects/submit_plan", &[("id", &id.to_string()), ("version", &v)], Some(cookie)).await
}

/// The step of the current round of the plan (None) or of a change request, by
/// department code ("" for the leader's step): (id, status, version).
async fn step(app: &TestApp, id: i64, change: Option<i64>, dept: &str) -> (i64, String, i64) {
    let cr_cond = if change.is_some() { "a.change_request_id = $3" } else { "a.change_request_id IS NULL AND $3 = 0" };
    let dept_cond = if dept.is_empty() { "a.step = 'approval' AND $2 = ''" } else { "a.step = 'review' AND d.code = $2" };
    app.db
        .read()
        .fetch_one(
            &format!(
                "SELECT a.id, a.status, a.version FROM project_approvals a LEFT JOIN departments d ON d.id = a.department_id \
                 WHERE a.project_id = $1 AND {dept_cond} AND {cr_cond} ORDER BY a.round DESC, a.id DESC LIMIT 1"
            ),
            args![id, dept, change.unwrap_or(0)],
        )
        .await
        .expect("step")
}

async fn decide(app: &TestApp, cookie: &str, step: (i64, String, i64), decision: &str, comment: &str) -> common::Resp {
    app.call(
        "projects/decide_approval_step",
        &[("step_id", &step.0.to_string()), ("version", &step.2.to_string()), ("decision", decision), ("comment", comment)],
        Some(cookie),
    )
    .await
}

/// Submits as xu.ming and has pmo (wu.hao) and finance (ma.lin, staff) approve.
async fn reviewed(app: &TestApp, f: &Fixture) {
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    let r = submit(app, &pm, f.id).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let fin = app.sign_in("ma.lin", PASSWORD).await;
    let r = decide(app, &fin, step(app, f.id, None, "finance").await, "approve", "").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    let r = decide(app, &pmo, step(app, f.id, None, "pmo").await, "approve", "进度计划合理").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
}

/// Reviewed and approved by the leader: baseline v1.
async fn approved(app: &TestApp, f: &Fixture) {
    reviewed(app, f).await;
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    let r = decide(app, &zhao, step(app, f.id, None, "").await, "approve", "同意").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
}

async fn open_tasks(app: &TestApp, step_id: i64) -> i64 {
    app.db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'project_approval' AND source_id = $1 AND done_at IS NULL", args![step_id])
        .await
        .expect("tasks")
}

both!(submit_refused_without_kickoff_or_with_unassigned_task, |app| {
    // 2.4.1-a / 2.4.1-d: no kickoff, and a task assigned to someone off the team.
    let f = project(&app, false, "wang.fang").await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    let r = submit(&app, &pm, f.id).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let mut got = fields(&r);
    got.sort();
    assert_eq!(got, vec!["assignees", "kickoff"]);
    assert!(r.body.contains("projects_appr.missing_kickoff"), "{}", r.body);
    // The approval page tells the same.
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&pm)).await.json();
    assert_eq!(v["readiness"]["kickoffs"], 0);
    assert_eq!(v["readiness"]["unassigned"], 1);
    assert_eq!(v["can_submit"], true);
    add_kickoff(&app, f.id).await;
    let r = submit(&app, &pm, f.id).await;
    assert_eq!(fields(&r), vec!["assignees"]);
    // An inactive member is no assignee either.
    let hu = app.user_id("hu.bin").await;
    app.db.read().execute("UPDATE project_tasks SET assignee_id = $1 WHERE id = $2", args![hu, f.tasks[1]]).await.expect("reassign");
    // Someone who may not manage the project cannot submit it.
    let stranger = app.sign_in("tang.kai", PASSWORD).await;
    assert_eq!(submit(&app, &stranger, f.id).await.status.as_u16(), 404);
    let member = app.sign_in("hu.bin", PASSWORD).await;
    assert_eq!(submit(&app, &member, f.id).await.status.as_u16(), 403);
    // A stale version is a conflict.
    let r = app.call("projects/submit_plan", &[("id", &f.id.to_string()), ("version", "999")], Some(&pm)).await;
    assert_eq!(r.status.as_u16(), 409);
    let r = submit(&app, &pm, f.id).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, f.id).await, "plan_review");
    let round: i64 = app.db.read().scalar("SELECT plan_round FROM projects WHERE id = $1", args![f.id]).await.expect("round");
    assert_eq!(round, 1);
    // One pending review per configured department (pmo, finance), the leader waiting.
    let rows: Vec<(String, Option<String>, String)> = app
        .db
        .read()
        .fetch_all(
            "SELECT a.step, d.code, a.status FROM project_approvals a LEFT JOIN departments d ON d.id = a.department_id \
             WHERE a.project_id = $1 ORDER BY a.step DESC, d.code",
            args![f.id],
        )
        .await
        .expect("steps");
    assert_eq!(
        rows,
        vec![
            ("review".into(), Some("finance".into()), "pending".into()),
            ("review".into(), Some("pmo".into()), "pending".into()),
            ("approval".into(), None, "waiting".into())
        ]
    );
    // A review task in each department's My work, due in three working days.
    let fin_step = step(&app, f.id, None, "finance").await;
    let (dept, key, link, due): (Option<i64>, String, String, Option<chrono::DateTime<Utc>>) = app
        .db
        .read()
        .fetch_one(
            "SELECT recipient_department_id, title_key, link, due_at FROM inbox_items WHERE source_entity = 'project_approval' AND source_id = $1",
            args![fin_step.0],
        )
        .await
        .expect("task");
    let finance: i64 = app.db.read().scalar("SELECT id FROM departments WHERE code = 'finance'", vec![]).await.expect("dept");
    assert_eq!(dept, Some(finance));
    assert_eq!(key, "projects.task_review_plan");
    assert_eq!(link, format!("/projects/{}/approval", f.id));
    let today = app::core::time::company_today(Utc::now());
    assert_eq!(due.map(app::core::time::company_date), Some(app::core::time::add_working_days(today, 3) + Duration::days(1)));
    // Submitting again is refused: it is in review.
    let r = submit(&app, &pm, f.id).await;
    assert_eq!(fields(&r), vec!["status"]);
    // Withdrawing takes it back: open steps withdrawn, their tasks closed.
    let v = version(&app, f.id).await.to_string();
    let r = app.call("projects/withdraw_plan", &[("id", &f.id.to_string()), ("version", &v)], Some(&pm)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, f.id).await, "initiating");
    assert_eq!(step(&app, f.id, None, "finance").await.1, "withdrawn");
    assert_eq!(step(&app, f.id, None, "").await.1, "withdrawn");
    assert_eq!(open_tasks(&app, fin_step.0).await, 0);
});

both!(reviews_in_parallel_then_the_leader, |app| {
    let f = project(&app, true, "hu.bin").await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    assert!(submit(&app, &pm, f.id).await.status.is_success());
    // The leader cannot approve before the reviews: the step is waiting.
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    assert_eq!(decide(&app, &zhao, step(&app, f.id, None, "").await, "approve", "").await.status.as_u16(), 409);
    // Finance staff review (the project is production's: they see it because they review it).
    let fin = app.sign_in("ma.lin", PASSWORD).await;
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&fin)).await;
    assert!(v.status.is_success(), "{} {}", v.status, v.body);
    let frame = app.call("projects/frame", &[("id", &f.id.to_string())], Some(&fin)).await;
    assert!(frame.status.is_success(), "{} {}", frame.status, frame.body);
    // Each may decide only their own department's step.
    let decidable: Vec<String> = v.json()["rounds"][0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["may_decide"] == true)
        .map(|s| s["step"]["department_zh"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(decidable.len(), 1);
    assert_eq!(decide(&app, &fin, step(&app, f.id, None, "pmo").await, "approve", "").await.status.as_u16(), 403);
    let fin_step = step(&app, f.id, None, "finance").await;
    assert!(decide(&app, &fin, fin_step.clone(), "approve", "预算合理").await.status.is_success());
    // The same decision again is stale.
    assert_eq!(decide(&app, &fin, fin_step.clone(), "approve", "").await.status.as_u16(), 409);
    assert_eq!(open_tasks(&app, fin_step.0).await, 0);
    assert_eq!(step(&app, f.id, None, "").await.1, "waiting");
    assert_eq!(status(&app, f.id).await, "plan_review");
    // xu.ming is in the PMO but manages this project: he does not review his own plan.
    assert_eq!(decide(&app, &pm, step(&app, f.id, None, "pmo").await, "approve", "").await.status.as_u16(), 403);
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    assert!(decide(&app, &pmo, step(&app, f.id, None, "pmo").await, "approve", "").await.status.is_success());
    // Every review approved: the leader's step is pending, a task in zhao.min's My work.
    let leader = step(&app, f.id, None, "").await;
    assert_eq!(leader.1, "pending");
    let zhao_id = app.user_id("zhao.min").await;
    let (to, key): (Option<i64>, String) = app
        .db
        .read()
        .fetch_one("SELECT recipient_user_id, title_key FROM inbox_items WHERE source_entity = 'project_approval' AND source_id = $1", args![leader.0])
        .await
        .expect("task");
    assert_eq!((to, key.as_str()), (Some(zhao_id), "projects.task_approve_plan"));
    assert_eq!(status(&app, f.id).await, "plan_review");
});

both!(rejection_returns_to_initiating_and_resubmission_starts_round_2, |app| {
    let f = project(&app, true, "hu.bin").await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    assert!(submit(&app, &pm, f.id).await.status.is_success());
    let pmo_step = step(&app, f.id, None, "pmo").await;
    let fin = app.sign_in("zheng.hong", PASSWORD).await;
    // A rejection needs a comment.
    let r = decide(&app, &fin, step(&app, f.id, None, "finance").await, "reject", "  ").await;
    assert_eq!(fields(&r), vec!["comment"]);
    let r = decide(&app, &fin, step(&app, f.id, None, "finance").await, "reject", "设备预算缺少报价依据").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, f.id).await, "initiating");
    // The round's other steps are withdrawn and their tasks closed.
    assert_eq!(step(&app, f.id, None, "pmo").await.1, "withdrawn");
    assert_eq!(step(&app, f.id, None, "").await.1, "withdrawn");
    assert_eq!(open_tasks(&app, pmo_step.0).await, 0);
    // The manager is told; the comment shows on the approval page.
    let pm_id = app.user_id("xu.ming").await;
    let n: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND title_key = 'projects_appr.inbox_plan_rejected'", args![pm_id])
        .await
        .expect("notice");
    assert_eq!(n, 1);
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&pm)).await.json();
    assert_eq!(v["returned"][0]["comment"], "设备预算缺少报价依据");
    assert_eq!(v["can_submit"], true);
    // Deciding the withdrawn PMO step now is stale.
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    assert_eq!(decide(&app, &pmo, pmo_step, "approve", "").await.status.as_u16(), 409);
    // Resubmission: round 2, with round 1 kept.
    assert!(submit(&app, &pm, f.id).await.status.is_success());
    let round: i64 = app.db.read().scalar("SELECT plan_round FROM projects WHERE id = $1", args![f.id]).await.expect("round");
    assert_eq!(round, 2);
    let counts: Vec<(i64, i64)> = app
        .db
        .read()
        .fetch_all("SELECT round, COUNT(*) FROM project_approvals WHERE project_id = $1 GROUP BY round ORDER BY round", args![f.id])
        .await
        .expect("rounds");
    assert_eq!(counts, vec![(1, 3), (2, 3)]);
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&pm)).await.json();
    let rounds: Vec<i64> = v["rounds"].as_array().expect("rounds").iter().map(|r| r["round"].as_i64().unwrap_or(0)).collect();
    assert_eq!(rounds, vec![2, 1]);
    let finance_review = v["rounds"][1]["steps"].as_array().expect("steps").iter().find(|s| s["step"]["department_zh"] == "财务部").cloned();
    assert_eq!(finance_review.map(|s| s["step"]["comment"].clone()), Some(serde_json::json!("设备预算缺少报价依据")));
    assert!(v["returned"].as_array().is_some_and(|a| a.is_empty()));
    // The leader may also send it back.
    let fin2 = app.sign_in("ma.lin", PASSWORD).await;
    assert!(decide(&app, &fin2, step(&app, f.id, None, "finance").await, "approve", "").await.status.is_success());
    assert!(decide(&app, &pmo, step(&app, f.id, None, "pmo").await, "approve", "").await.status.is_success());
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    assert_eq!(fields(&decide(&app, &zhao, step(&app, f.id, None, "").await, "reject", "").await), vec!["comment"]);
    assert!(decide(&app, &zhao, step(&app, f.id, None, "").await, "reject", "里程碑过于乐观").await.status.is_success());
    assert_eq!(status(&app, f.id).await, "initiating");
    let bv: i64 = app.db.read().scalar("SELECT baseline_version FROM projects WHERE id = $1", args![f.id]).await.expect("bv");
    assert_eq!(bv, 0);
});

both!(leader_approval_freezes_baseline_v1, |app| {
    let f = project(&app, true, "hu.bin").await;
    reviewed(&app, &f).await;
    let leader_step = step(&app, f.id, None, "").await;
    // Neither the manager nor a PMO manager may approve; the leader may.
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    assert_eq!(decide(&app, &pm, leader_step.clone(), "approve", "").await.status.as_u16(), 403);
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    assert_eq!(decide(&app, &pmo, leader_step.clone(), "approve", "").await.status.as_u16(), 403);
    let sales = app.sign_in("li.qiang", PASSWORD).await;
    assert_eq!(decide(&app, &sales, leader_step.clone(), "approve", "").await.status.as_u16(), 404);
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    let r = decide(&app, &zhao, leader_step.clone(), "approve", "同意实施").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, f.id).await, "executing");
    let (bv, first, approved): (i64, Option<chrono::DateTime<Utc>>, Option<chrono::DateTime<Utc>>) = app
        .db
        .read()
        .fetch_one("SELECT baseline_version, first_approved_at, approved_at FROM projects WHERE id = $1", args![f.id])
        .await
        .expect("project");
    assert_eq!(bv, 1);
    assert!(first.is_some() && first == approved);
    // The baseline: exact dates (earliest start, latest end) and budget.
    let (start, end, budget, cr, by): (NaiveDate, NaiveDate, i64, Option<i64>, Option<i64>) = app
        .db
        .read()
        .fetch_one(
            "SELECT start_date, end_date, budget_minor, change_request_id, approved_by FROM project_baselines WHERE project_id = $1 AND version = 1",
            args![f.id],
        )
        .await
        .expect("baseline");
    assert_eq!((start, end, budget, cr), (f.start, f.start + Duration::days(55), 50_000_000, None));
    assert_eq!(by, Some(app.user_id("zhao.min").await));
    let frozen: Vec<(i64, NaiveDate, NaiveDate)> = app
        .db
        .read()
        .fetch_all(
            "SELECT bt.task_id, bt.planned_start, bt.planned_end FROM project_baseline_tasks bt JOIN project_baselines b ON b.id = bt.baseline_id \
             WHERE b.project_id = $1 ORDER BY bt.task_id",
            args![f.id],
        )
        .await
        .expect("tasks");
    assert_eq!(frozen.len(), 3);
    assert_eq!(frozen[1], (f.tasks[1], f.start + Duration::days(21), f.start + Duration::days(50)));
    let unfrozen: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM project_tasks WHERE project_id = $1 AND (baseline_start IS NULL OR baseline_start <> planned_start \
             OR baseline_end <> planned_end)",
            args![f.id],
        )
        .await
        .expect("tasks");
    assert_eq!(unfrozen, 0);
    let lines: Vec<(i64, Option<i64>)> = app
        .db
        .read()
        .fetch_all("SELECT amount_minor, baseline_amount_minor FROM project_budget_lines WHERE project_id = $1 ORDER BY id", args![f.id])
        .await
        .expect("lines");
    assert_eq!(lines, vec![(30_000_000, Some(30_000_000)), (20_000_000, Some(20_000_000))]);
    let frozen_lines: i64 = app
        .db
        .read()
        .scalar(
            "SELECT CAST(SUM(bb.amount_minor) AS BIGINT) FROM project_baseline_budget bb JOIN project_baselines b ON b.id = bb.baseline_id WHERE b.project_id = $1",
            args![f.id],
        )
        .await
        .expect("budget");
    assert_eq!(frozen_lines, 50_000_000);
    // The leader's task is done; the manager is told; the audit trail has it.
    assert_eq!(open_tasks(&app, leader_step.0).await, 0);
    let audit: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND record_id = $1 AND action = 'approve_plan'", args![f.id])
        .await
        .expect("audit");
    assert_eq!(audit, 1);
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&zhao)).await.json();
    assert_eq!(v["baselines"].as_array().map(|a| a.len()), Some(1));
    assert_eq!(v["baselines"][0]["version"], 1);
    // The leader's step decided once: a second approval is stale.
    assert_eq!(decide(&app, &zhao, leader_step, "approve", "").await.status.as_u16(), 409);
});

both!(work_is_logged_only_on_an_approved_plan, |app| {
    // 2.4.1-c: the status other parts check with `logs_work` moves to
    // executing only through the leader's approval.
    let f = project(&app, true, "hu.bin").await;
    let logs = |s: String| ProjectStatus::parse(&s).expect("status").logs_work();
    assert!(!logs(status(&app, f.id).await));
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    assert!(submit(&app, &pm, f.id).await.status.is_success());
    assert!(!logs(status(&app, f.id).await));
    reviewed_after_submit(&app, &f).await;
    // Every review approved, still no work until the leader approves.
    assert_eq!(status(&app, f.id).await, "plan_review");
    assert!(!logs(status(&app, f.id).await));
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    assert!(decide(&app, &zhao, step(&app, f.id, None, "").await, "approve", "").await.status.is_success());
    assert!(logs(status(&app, f.id).await));
    // An executing project's plan is not submitted again (that is a change request).
    assert_eq!(fields(&submit(&app, &pm, f.id).await), vec!["status"]);
});

async fn reviewed_after_submit(app: &TestApp, f: &Fixture) {
    let fin = app.sign_in("ma.lin", PASSWORD).await;
    assert!(decide(app, &fin, step(app, f.id, None, "finance").await, "approve", "").await.status.is_success());
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    assert!(decide(app, &pmo, step(app, f.id, None, "pmo").await, "approve", "").await.status.is_success());
}

async fn raise(app: &TestApp, cookie: &str, id: i64, reason: &str) -> common::Resp {
    let v = version(app, id).await.to_string();
    app.call("projects/raise_change", &[("id", &id.to_string()), ("version", &v), ("reason", reason), ("impact", "工期延后 10 天，预算增加 5 万元")], Some(cookie))
        .await
}

async fn change_id(app: &TestApp, id: i64, seq: i64) -> (i64, String, i64) {
    app.db
        .read()
        .fetch_one("SELECT id, status, version FROM project_change_requests WHERE project_id = $1 AND seq = $2", args![id, seq])
        .await
        .expect("change request")
}

both!(change_request_reapproval_makes_v2_and_v1_stays_readable, |app| {
    let f = project(&app, true, "hu.bin").await;
    approved(&app, &f).await;
    let pm = app.sign_in("xu.ming", PASSWORD).await;
    // Nothing changed yet: nothing to approve.
    assert_eq!(fields(&raise(&app, &pm, f.id, "无变化").await), vec!["plan"]);
    // Reason and impact are required.
    let v = version(&app, f.id).await.to_string();
    let r = app.call("projects/raise_change", &[("id", &f.id.to_string()), ("version", &v), ("reason", ""), ("impact", "")], Some(&pm)).await;
    let mut got = fields(&r);
    got.sort();
    assert_eq!(got, vec!["impact", "reason"]);
    // The manager moves the second task and the milestone 10 days later and
    // adds a 50,000 line (the plan editor's changes, made here in SQL).
    app.db
        .read()
        .execute(
            "UPDATE project_tasks SET planned_end = $1 WHERE id = $2",
            args![f.start + Duration::days(60), f.tasks[1]],
        )
        .await
        .expect("move");
    app.db
        .read()
        .execute(
            "UPDATE project_tasks SET planned_start = $1, planned_end = $1 WHERE id = $2",
            args![f.start + Duration::days(65), f.tasks[2]],
        )
        .await
        .expect("move");
    let now = Utc::now();
    app.db
        .read()
        .execute(
            "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, version, created_at, updated_at) \
             VALUES ($1, 'services', '外包调试服务', 5000000, 1, $2, $2)",
            args![f.id, now],
        )
        .await
        .expect("line");
    // The approval page shows the proposal: per-task differences against v1.
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&pm)).await.json();
    assert_eq!(v["can_raise"], true);
    assert_eq!(v["proposal"]["end_days"], 10);
    assert_eq!(v["proposal"]["budget_diff"], 5_000_000);
    let shifts: Vec<(i64, i64)> = v["proposal"]["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| (t["start_days"].as_i64().unwrap_or(-1), t["end_days"].as_i64().unwrap_or(-1)))
        .collect();
    assert_eq!(shifts, vec![(0, 0), (0, 10), (10, 10)]);
    let r = raise(&app, &pm, f.id, "设备到货推迟").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (cr, cr_status, _) = change_id(&app, f.id, 1).await;
    assert_eq!(cr_status, "in_review");
    let (end, budget): (NaiveDate, i64) = app
        .db
        .read()
        .fetch_one("SELECT proposed_end, proposed_budget_minor FROM project_change_requests WHERE id = $1", args![cr])
        .await
        .expect("proposal");
    assert_eq!((end, budget), (f.start + Duration::days(65), 55_000_000));
    // Only one change request in review at a time.
    assert_eq!(fields(&raise(&app, &pm, f.id, "再次变更").await), vec!["status"]);
    // Review tasks name the change request.
    let fin_step = step(&app, f.id, Some(cr), "finance").await;
    let key: String = app
        .db
        .read()
        .scalar("SELECT title_key FROM inbox_items WHERE source_entity = 'project_approval' AND source_id = $1", args![fin_step.0])
        .await
        .expect("task");
    assert_eq!(key, "projects.task_review_change");
    let fin = app.sign_in("ma.lin", PASSWORD).await;
    assert!(decide(&app, &fin, fin_step, "approve", "").await.status.is_success());
    let pmo = app.sign_in("wu.hao", PASSWORD).await;
    assert!(decide(&app, &pmo, step(&app, f.id, Some(cr), "pmo").await, "approve", "").await.status.is_success());
    // Until the leader approves, v1 is in force.
    let bv: i64 = app.db.read().scalar("SELECT baseline_version FROM projects WHERE id = $1", args![f.id]).await.expect("bv");
    assert_eq!(bv, 1);
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    let r = decide(&app, &zhao, step(&app, f.id, Some(cr), "").await, "approve", "同意变更").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(status(&app, f.id).await, "executing");
    assert_eq!(change_id(&app, f.id, 1).await.1, "approved");
    let (bv, end_date, budget_minor): (i64, NaiveDate, i64) = app
        .db
        .read()
        .fetch_one("SELECT baseline_version, end_date, budget_minor FROM projects WHERE id = $1", args![f.id])
        .await
        .expect("project");
    assert_eq!((bv, end_date, budget_minor), (2, f.start + Duration::days(65), 55_000_000));
    let (v2_end, v2_budget, v2_cr): (NaiveDate, i64, Option<i64>) = app
        .db
        .read()
        .fetch_one("SELECT end_date, budget_minor, change_request_id FROM project_baselines WHERE project_id = $1 AND version = 2", args![f.id])
        .await
        .expect("v2");
    assert_eq!((v2_end, v2_budget, v2_cr), (f.start + Duration::days(65), 55_000_000, Some(cr)));
    let be: NaiveDate = app.db.read().scalar("SELECT baseline_end FROM project_tasks WHERE id = $1", args![f.tasks[1]]).await.expect("task");
    assert_eq!(be, f.start + Duration::days(60));
    // v1 stays readable; v1 against v2 shows the differences.
    let v = app.call("projects/approval", &[("id", &f.id.to_string()), ("a", "1"), ("b", "2")], Some(&pm)).await.json();
    let c = &v["comparison"];
    assert_eq!((c["a_version"].as_i64(), c["b_version"].as_i64()), (Some(1), Some(2)));
    assert_eq!(c["a_end"], (f.start + Duration::days(55)).to_string());
    assert_eq!(c["b_end"], (f.start + Duration::days(65)).to_string());
    assert_eq!((c["end_days"].as_i64(), c["budget_diff"].as_i64()), (Some(10), Some(5_000_000)));
    assert_eq!(c["tasks"][1]["a"][1], (f.start + Duration::days(50)).to_string());
    assert_eq!(c["tasks"][1]["end_days"], 10);
    assert_eq!(c["lines"].as_array().map(|l| l.len()), Some(3));
    assert_eq!(c["lines"][2]["a"], serde_json::Value::Null);
    // By default the last two versions are compared; v2 came from change request 1.
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&pm)).await.json();
    assert_eq!(v["cmp_a"], 1);
    assert_eq!(v["cmp_b"], 2);
    assert_eq!(v["baselines"][0]["change_seq"], 1);
    assert_eq!(v["changes"][0]["baseline_version"], 2);
    assert_eq!(v["changes"][0]["base_budget_minor"], 50_000_000);

    // A second change (the milestone 5 days later) rejected by the leader: the baseline stays v2.
    app.db
        .read()
        .execute("UPDATE project_tasks SET planned_start = $1, planned_end = $1 WHERE id = $2", args![f.start + Duration::days(70), f.tasks[2]])
        .await
        .expect("move");
    assert!(raise(&app, &pm, f.id, "投产推迟").await.status.is_success());
    let (cr2, _, _) = change_id(&app, f.id, 2).await;
    assert!(decide(&app, &fin, step(&app, f.id, Some(cr2), "finance").await, "approve", "").await.status.is_success());
    assert!(decide(&app, &pmo, step(&app, f.id, Some(cr2), "pmo").await, "approve", "").await.status.is_success());
    // The plan moved again after raising: the leader cannot approve what was not proposed.
    app.db
        .read()
        .execute("UPDATE project_tasks SET planned_start = $1, planned_end = $1 WHERE id = $2", args![f.start + Duration::days(72), f.tasks[2]])
        .await
        .expect("move");
    assert_eq!(fields(&decide(&app, &zhao, step(&app, f.id, Some(cr2), "").await, "approve", "").await), vec!["decision"]);
    let r = decide(&app, &zhao, step(&app, f.id, Some(cr2), "").await, "reject", "先赶工，不调整基线").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(change_id(&app, f.id, 2).await.1, "rejected");
    let bv: i64 = app.db.read().scalar("SELECT baseline_version FROM projects WHERE id = $1", args![f.id]).await.expect("bv");
    assert_eq!(bv, 2);
    assert_eq!(status(&app, f.id).await, "executing");
    let be: NaiveDate = app.db.read().scalar("SELECT baseline_end FROM project_tasks WHERE id = $1", args![f.tasks[2]]).await.expect("task");
    assert_eq!(be, f.start + Duration::days(65));

    // A third, withdrawn by the manager: its steps withdrawn, tasks closed.
    assert!(raise(&app, &pm, f.id, "第三次").await.status.is_success());
    let (cr3, _, cv) = change_id(&app, f.id, 3).await;
    let s3 = step(&app, f.id, Some(cr3), "pmo").await;
    let member = app.sign_in("hu.bin", PASSWORD).await;
    let r = app.call("projects/withdraw_change", &[("change_id", &cr3.to_string()), ("version", &cv.to_string())], Some(&member)).await;
    assert_eq!(r.status.as_u16(), 403);
    let r = app.call("projects/withdraw_change", &[("change_id", &cr3.to_string()), ("version", &cv.to_string())], Some(&pm)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(change_id(&app, f.id, 3).await.1, "withdrawn");
    assert_eq!(step(&app, f.id, Some(cr3), "pmo").await.1, "withdrawn");
    assert_eq!(open_tasks(&app, s3.0).await, 0);
    let v = app.call("projects/approval", &[("id", &f.id.to_string())], Some(&pm)).await.json();
    assert_eq!(v["changes"].as_array().map(|a| a.len()), Some(3));
    assert_eq!(v["can_raise"], true);
});

async fn rule(app: &TestApp, viewer: Viewer) -> app::compliance::RuleStatus {
    let r = app::compliance::rules::all().find(|r| r.clause == "2.4.1-c").expect("rule");
    (r.eval)(&app.db, &viewer, Utc::now()).await.expect("rule eval")
}

both!(rule_2_4_1_c_no_execution_without_an_approved_plan, |app| {
    let exec = Viewer { user_id: app.user_id("zhao.min").await, department_id: 0, role: Role::Executive };
    // The demo's projects comply.
    let before = rule(&app, exec.clone()).await;
    assert_eq!(before.count, 0, "{:?}", before.violations);
    // (a) executing with no approval at all.
    let a = project(&app, true, "hu.bin").await;
    app.db.read().execute("UPDATE projects SET status = 'executing' WHERE id = $1", args![a.id]).await.expect("a");
    // (b) approved properly, but a task started before the approval day.
    let b = project(&app, true, "hu.bin").await;
    approved(&app, &b).await;
    let approval_day = app::core::time::company_today(Utc::now());
    app.db
        .read()
        .execute("UPDATE project_tasks SET actual_start = $1, pct_done = 10 WHERE id = $2", args![approval_day - Duration::days(3), b.tasks[0]])
        .await
        .expect("b");
    // (c) approved properly, but a cost incurred before it.
    let c = project(&app, true, "hu.bin").await;
    approved(&app, &c).await;
    let line: i64 = app.db.read().scalar("SELECT MIN(id) FROM project_budget_lines WHERE project_id = $1", args![c.id]).await.expect("line");
    app.db
        .read()
        .execute(
            "INSERT INTO project_costs (project_id, budget_line_id, incurred_on, amount_minor, description, created_at) VALUES ($1, $2, $3, 100000, '预付', $4)",
            args![c.id, line, approval_day - Duration::days(1), Utc::now()],
        )
        .await
        .expect("c");
    // (d) compliant: approved, work started on the approval day; (e) a closed
    // project whose baseline row is missing.
    let d = project(&app, true, "hu.bin").await;
    approved(&app, &d).await;
    app.db
        .read()
        .execute("UPDATE project_tasks SET actual_start = $1 WHERE id = $2", args![approval_day, d.tasks[0]])
        .await
        .expect("d");
    let e = project(&app, true, "hu.bin").await;
    app.db
        .read()
        .execute("UPDATE projects SET status = 'closed', baseline_version = 3, first_approved_at = $1 WHERE id = $2", args![Utc::now(), e.id])
        .await
        .expect("e");
    let r = rule(&app, exec.clone()).await;
    let link = |id: i64| format!("/projects/{id}/approval");
    let found = |id: i64| r.violations.iter().find(|v| v.link == link(id)).map(|v| v.detail);
    use app::core::i18n::K;
    assert_eq!(found(a.id), Some(K::ProjectsApprRuleNoBaseline));
    assert_eq!(found(b.id), Some(K::ProjectsApprRuleEarlyWork));
    assert_eq!(found(c.id), Some(K::ProjectsApprRuleEarlyWork));
    assert_eq!(found(d.id), None);
    assert_eq!(found(e.id), Some(K::ProjectsApprRuleNoBaseline));
    assert_eq!(r.count, 4);
    // Visibility: sales staff see none of these; a team member sees those of
    // his projects (hu.bin is on all five).
    let sales = Viewer { user_id: app.user_id("wang.fang").await, department_id: 0, role: Role::Staff };
    assert_eq!(rule(&app, sales).await.count, 0);
    let dept: i64 = app.db.read().scalar("SELECT department_id FROM users WHERE username = 'hu.bin'", vec![]).await.expect("dept");
    let member = Viewer { user_id: app.user_id("hu.bin").await, department_id: dept, role: Role::Staff };
    assert_eq!(rule(&app, member.clone()).await.count, 4);
    app.db.read().execute("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", args![b.id, member.user_id]).await.expect("leave");
    assert_eq!(rule(&app, member.clone()).await.count, 3);
});
