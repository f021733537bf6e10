//! Execution (2.4.2): task progress, delays, progress meetings and action
//! items, issues, quality checks with rework, costs, people allocation and the
//! rules 2.4.2-a and 2.4.2-b. Storage and server functions, each test on
//! SQLite and PostgreSQL. Fixtures are direct SQL (an executing project with
//! baseline v1), since the initiation and approval parts land in parallel.
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use app::core::time::company_today;
use app::projects::execution::model::{ExecutionView, Load, MyTasks};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{PASSWORD, TestApp};
use std::collections::HashMap;

struct Fx {
    project: i64,
    /// Task ids by name.
    tasks: HashMap<&'static str, i64>,
    /// Budget line ids: equipment (¥100,000), services (¥20,000).
    lines: [i64; 2],
    criterion: i64,
}

fn today() -> NaiveDate {
    company_today(Utc::now())
}

fn day(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

async fn uid(app: &TestApp, username: &str) -> i64 {
    app.user_id(username).await
}

/// A logistics project managed by xu.ming, led by sun.wei, with he.na and
/// hu.bin on the team, approved `approved_days_ago` days ago (baseline v1):
/// "方案设计" (he.na, T-30..T-10, half done: slipped), milestone "设备到货"
/// (he.na, T-5, not reached: slipped), "设备安装" (hu.bin, T-3..T+20).
async fn project(app: &TestApp, name: &str, status: &str, approved_days_ago: i64) -> Fx {
    let db = &app.db;
    let now = Utc::now();
    let (xu, sun, he, hu) = (uid(app, "xu.ming").await, uid(app, "sun.wei").await, uid(app, "he.na").await, uid(app, "hu.bin").await);
    let dept: i64 = db.read().scalar("SELECT id FROM departments WHERE code = $1", args!["logistics"]).await.expect("dept");
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM projects", vec![]).await.expect("count");
    let approved: Option<DateTime<Utc>> = (approved_days_ago >= 0).then(|| now - Duration::days(approved_days_ago));
    let project: i64 = db
        .read()
        .scalar(
            "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, start_date, end_date, budget_minor, \
             currency, status, plan_round, baseline_version, first_approved_at, approved_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12, 1, $13, $13) RETURNING id",
            args![
                format!("XM-T-{:04}", n + 1),
                name,
                dept,
                xu,
                sun,
                day(-30),
                day(30),
                12_000_000i64,
                "CNY",
                status,
                if approved.is_some() { 1i64 } else { 0 },
                approved,
                now - Duration::days(60)
            ],
        )
        .await
        .expect("project");
    for (u, role, pct) in [(xu, "项目经理", 60i64), (he, "仓储协调", 50), (hu, "设备工程师", 40)] {
        db.read()
            .execute(
                "INSERT INTO project_members (project_id, user_id, role, allocation_pct, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 1, $5, $5)",
                args![project, u, role, pct, now],
            )
            .await
            .expect("member");
    }
    let mut tasks = HashMap::new();
    for (pos, (name, kind, who, from, to, pct, start)) in [
        ("方案设计", "task", he, -30i64, -10i64, 50i64, Some(day(-30))),
        ("设备到货", "milestone", he, -5, -5, 0, None),
        ("设备安装", "task", hu, -3, 20, 0, None),
    ]
    .into_iter()
    .enumerate()
    {
        let id: i64 = db
            .read()
            .scalar(
                "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, \
                 baseline_start, baseline_end, actual_start, pct_done, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6, $7, $9, $10, 1, $11, $11) RETURNING id",
                args![project, (pos + 1) as i64, name, kind, who, day(from), day(to), 2i64, start, pct, now],
            )
            .await
            .expect("task");
        tasks.insert(name, id);
    }
    let mut lines = [0i64; 2];
    for (i, (cat, desc, yuan)) in [("equipment", "堆垛机", 100_000i64), ("services", "WMS 接口", 20_000)].into_iter().enumerate() {
        lines[i] = db
            .read()
            .scalar(
                "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, baseline_amount_minor, version, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $4, 1, $5, $5) RETURNING id",
                args![project, cat, desc, yuan * 100, now],
            )
            .await
            .expect("line");
    }
    let criterion: i64 = db
        .read()
        .scalar(
            "INSERT INTO project_quality_criteria (project_id, position, criterion, method, version, created_at, updated_at) \
             VALUES ($1, 1, $2, $3, 1, $4, $4) RETURNING id",
            args![project, "设备安全验收通过", "第三方检测", now],
        )
        .await
        .expect("criterion");
    Fx { project, tasks, lines, criterion }
}

async fn version(app: &TestApp, table: &str, id: i64) -> String {
    let v: i64 = app.db.read().scalar(&format!("SELECT version FROM {table} WHERE id = $1"), args![id]).await.expect("version");
    v.to_string()
}

async fn progress(app: &TestApp, cookie: &str, task: i64, fields: &[(&str, &str)]) -> common::Resp {
    let id = task.to_string();
    let v = version(app, "project_tasks", task).await;
    let mut form = vec![("task_id", id.as_str()), ("version", v.as_str())];
    form.extend_from_slice(fields);
    app.call("projects/exec_log_progress", &form, Some(cookie)).await
}

async fn view(app: &TestApp, cookie: &str, project: i64) -> ExecutionView {
    let r = app.call("projects/exec_view", &[("project_id", &project.to_string()), ("costs_after", "")], Some(cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("execution view")
}

fn fields(r: &common::Resp) -> Vec<String> {
    r.json()["Validation"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

async fn viewer(app: &TestApp, username: &str) -> Viewer {
    let (id, dept, role): (i64, i64, String) =
        app.db.read().fetch_one("SELECT id, department_id, role FROM users WHERE username = $1", args![username]).await.expect("user");
    Viewer { user_id: id, department_id: dept, role: Role::parse(&role).expect("role") }
}

fn links_to(status: &app::compliance::RuleStatus, project: i64) -> usize {
    status.violations.iter().filter(|v| v.link == format!("/projects/{project}/execution")).count()
}

both!(work_is_refused_unless_the_project_is_executing, |app| {
    let fx = project(&app, "审批中的项目", "plan_review", -1).await;
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let p = fx.project.to_string();
    let task = fx.tasks["设备安装"];
    let r = progress(&app, &xu, task, &[("pct_done", "10"), ("actual_start", &today().to_string())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(fields(&r), ["project_status"]);
    assert!(r.body.contains("projects_exec.val_not_executing"), "{}", r.body);
    let line = fx.lines[0].to_string();
    let r = app
        .call("projects/exec_add_cost", &[("project_id", &p), ("budget_line_id", &line), ("incurred_on", &today().to_string()), ("amount", "100"), ("cost_description", "x")], Some(&xu))
        .await;
    assert_eq!(fields(&r), ["project_status"], "{}", r.body);
    let r = app.call("projects/exec_hold_meeting", &[("project_id", &p), ("held_on", &today().to_string()), ("minutes", "x")], Some(&xu)).await;
    assert_eq!(fields(&r), ["project_status"], "{}", r.body);
    let pct: i64 = app.db.read().scalar("SELECT pct_done FROM project_tasks WHERE id = $1", args![task]).await.expect("pct");
    assert_eq!(pct, 0, "nothing was logged");
    // Once the plan is approved and executing, the same progress is taken.
    app.db.read().execute("UPDATE projects SET status = $1, baseline_version = 1 WHERE id = $2", args!["executing", fx.project]).await.expect("approve");
    let r = progress(&app, &xu, task, &[("pct_done", "10"), ("actual_start", &today().to_string())]).await;
    assert!(r.status.is_success(), "{}", r.body);
    // The page says so while not executing: a closed project offers no forms.
    app.db.read().execute("UPDATE projects SET status = $1 WHERE id = $2", args!["closed", fx.project]).await.expect("close");
    let r = progress(&app, &xu, task, &[("pct_done", "20"), ("actual_start", &today().to_string())]).await;
    assert_eq!(fields(&r), ["project_status"]);
});

both!(only_the_assignee_or_the_manager_logs_progress, |app| {
    let fx = project(&app, "进度权限", "executing", 40).await;
    let start = day(-2).to_string();
    // hu.bin logs his own task.
    let hu = app.sign_in("hu.bin", PASSWORD).await;
    let r = progress(&app, &hu, fx.tasks["设备安装"], &[("pct_done", "30"), ("actual_start", &start), ("remaining_hours", "56"), ("note", "货架安装中")]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (pct, s, hours, notes): (i64, Option<NaiveDate>, Option<i64>, String) = app
        .db
        .read()
        .fetch_one("SELECT pct_done, actual_start, remaining_hours, notes FROM project_tasks WHERE id = $1", args![fx.tasks["设备安装"]])
        .await
        .expect("task");
    assert_eq!((pct, s, hours, notes.as_str()), (30, Some(day(-2)), Some(56), "货架安装中"));
    let audits: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND record_id = $2", args!["project_task", fx.tasks["设备安装"]])
        .await
        .expect("audit");
    assert_eq!(audits, 1);
    // ...but not he.na's: he is on the team, not its assignee.
    let r = progress(&app, &hu, fx.tasks["方案设计"], &[("pct_done", "60"), ("actual_start", &day(-30).to_string())]).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Someone outside the project does not even see it.
    let ma = app.sign_in("ma.lin", PASSWORD).await;
    let r = progress(&app, &ma, fx.tasks["方案设计"], &[("pct_done", "60")]).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The project manager may; the finish before the start is refused at its field.
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let r = progress(&app, &xu, fx.tasks["方案设计"], &[("pct_done", "80"), ("actual_start", &day(-30).to_string()), ("actual_end", &day(-31).to_string())]).await;
    assert_eq!(r.status, 422);
    assert_eq!(fields(&r), ["actual_end"]);
    let r = progress(&app, &xu, fx.tasks["方案设计"], &[("pct_done", "80"), ("actual_start", &day(-30).to_string()), ("actual_end", &day(1).to_string())]).await;
    assert_eq!(fields(&r), ["actual_end"], "not in the future");
    // 100 % without a finish date is finished today.
    let r = progress(&app, &xu, fx.tasks["方案设计"], &[("pct_done", "100"), ("actual_start", &day(-30).to_string())]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (pct, end): (i64, Option<NaiveDate>) =
        app.db.read().fetch_one("SELECT pct_done, actual_end FROM project_tasks WHERE id = $1", args![fx.tasks["方案设计"]]).await.expect("task");
    assert_eq!((pct, end), (100, Some(today())));
    // A stale version is a conflict.
    let r = app
        .call("projects/exec_log_progress", &[("task_id", &fx.tasks["设备安装"].to_string()), ("version", "1"), ("pct_done", "40"), ("actual_start", &start)], Some(&hu))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
});

both!(a_delay_record_reports_to_the_leader_and_clears_rule_242b, |app| {
    let fx = project(&app, "延误登记", "executing", 40).await;
    let admin = viewer(&app, "admin").await;
    let before = app::projects::execution::rules::delays_recorded(&app.db, &admin, Utc::now()).await.expect("rule");
    assert_eq!(links_to(&before, fx.project), 2, "design and the milestone slipped: {:?}", before.violations);
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let milestone = fx.tasks["设备到货"];
    let v = version(&app, "project_tasks", milestone).await;
    let id = milestone.to_string();
    // Cause and measures are required; the forecast may not be past.
    let r = app
        .call("projects/exec_record_delay", &[("task_id", &id), ("version", &v), ("cause", ""), ("measures", ""), ("forecast_end", &day(-1).to_string())], Some(&xu))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(fields(&r), ["cause", "measures", "forecast_end"]);
    // A team member who does not manage the project may not record it.
    let he = app.sign_in("he.na", PASSWORD).await;
    let r = app
        .call("projects/exec_record_delay", &[("task_id", &id), ("version", &v), ("cause", "a"), ("measures", "b"), ("forecast_end", &day(7).to_string())], Some(&he))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .call(
            "projects/exec_record_delay",
            &[("task_id", &id), ("version", &v), ("cause", "堆垛机供应商产能不足"), ("measures", "分批发货，夜间安装"), ("forecast_end", &day(7).to_string())],
            Some(&xu),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    // The plan moved to the forecast; the record stands against baseline v1.
    let (planned_start, planned_end): (NaiveDate, NaiveDate) =
        app.db.read().fetch_one("SELECT planned_start, planned_end FROM project_tasks WHERE id = $1", args![milestone]).await.expect("task");
    assert_eq!((planned_start, planned_end), (day(7), day(7)));
    let (bv, base, forecast, status): (i64, NaiveDate, NaiveDate, String) = app
        .db
        .read()
        .fetch_one("SELECT baseline_version, baseline_end, forecast_end, status FROM project_delays WHERE task_id = $1", args![milestone])
        .await
        .expect("delay");
    assert_eq!((bv, base, forecast, status.as_str()), (1, day(-5), day(7), "open"));
    // The leader has it in My work at once, linking to the execution page.
    let sun = uid(&app, "sun.wei").await;
    let (title, link, params): (String, String, String) = app
        .db
        .read()
        .fetch_one(
            "SELECT title_key, link, params_json FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = $2 ORDER BY id DESC LIMIT 1",
            args![sun, "project_delay"],
        )
        .await
        .expect("notification");
    assert_eq!(title, "projects_exec.delay_notice");
    assert_eq!(link, format!("/projects/{}/execution", fx.project));
    assert!(params.contains("设备到货") && params.contains(&day(7).to_string()), "{params}");
    let sun_cookie = app.sign_in("sun.wei", PASSWORD).await;
    let r = app.call("inbox/my_work", &[], Some(&sun_cookie)).await;
    assert!(r.body.contains("projects_exec.delay_notice"), "{}", r.body);
    // Rule 2.4.2-b now lists only the other slipped task.
    let after = app::projects::execution::rules::delays_recorded(&app.db, &admin, Utc::now()).await.expect("rule");
    assert_eq!(links_to(&after, fx.project), 1);
    assert_eq!(after.count, before.count - 1);
    assert!(after.violations.iter().any(|v| v.label.contains("方案设计")));
    // Reaching the milestone closes its delay.
    let r = progress(&app, &xu, milestone, &[("actual_end", &today().to_string())]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let status: String = app.db.read().scalar("SELECT status FROM project_delays WHERE task_id = $1", args![milestone]).await.expect("delay");
    assert_eq!(status, "closed");
    // A task not slipped gets no delay record.
    let install = fx.tasks["设备安装"];
    let r = app
        .call(
            "projects/exec_record_delay",
            &[("task_id", &install.to_string()), ("version", &version(&app, "project_tasks", install).await), ("cause", "a"), ("measures", "b"), ("forecast_end", &day(25).to_string())],
            Some(&xu),
        )
        .await;
    assert_eq!(fields(&r), ["task_id"], "{}", r.body);
    // The page shows both, the record and the slip still without one.
    let v = view(&app, &xu, fx.project).await;
    assert_eq!(v.delays.len(), 1);
    let design = v.task(fx.tasks["方案设计"]).expect("design");
    assert!(design.slip().slipped(v.today) && design.delay_id.is_none());
});

both!(action_items_become_tasks_in_the_owners_my_work, |app| {
    let fx = project(&app, "进度会议", "executing", 40).await;
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let p = fx.project.to_string();
    let (he, hu) = (uid(&app, "he.na").await, uid(&app, "hu.bin").await);
    let held = day(-1).to_string();
    // An owner from outside the team is refused.
    let stranger = uid(&app, "ma.lin").await.to_string();
    let r = app
        .call(
            "projects/exec_hold_meeting",
            &[("project_id", &p), ("held_on", &held), ("minutes", "x"), ("actions[0][description]", "a"), ("actions[0][owner_id]", &stranger), ("actions[0][due]", &day(3).to_string())],
            Some(&xu),
        )
        .await;
    assert_eq!(fields(&r), ["actions"], "{}", r.body);
    let he_s = he.to_string();
    let hu_s = hu.to_string();
    let r = app
        .call(
            "projects/exec_hold_meeting",
            &[
                ("project_id", &p),
                ("held_on", &held),
                ("attendee_ids[0]", &he_s),
                ("attendee_ids[2]", &hu_s),
                ("guests", "供应商代表"),
                ("minutes", "到货推迟，安装顺延"),
                ("decisions", "每日跟踪供应商"),
                ("actions[0][description]", "确认堆垛机发货日期"),
                ("actions[0][owner_id]", &he_s),
                ("actions[0][due]", &day(4).to_string()),
                ("actions[1][description]", ""),
                ("actions[1][owner_id]", ""),
                ("actions[1][due]", ""),
            ],
            Some(&xu),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let meeting: i64 = r.body.trim().parse().expect("meeting id");
    let attendees: i64 = app.db.read().scalar("SELECT COUNT(*) FROM project_meeting_attendees WHERE meeting_id = $1", args![meeting]).await.expect("n");
    assert_eq!(attendees, 2);
    let (kind, weight, assignee, start, end, mid): (String, i64, i64, NaiveDate, NaiveDate, Option<i64>) = app
        .db
        .read()
        .fetch_one(
            "SELECT kind, weight, assignee_id, planned_start, planned_end, meeting_id FROM project_tasks WHERE project_id = $1 AND name = $2",
            args![fx.project, "确认堆垛机发货日期"],
        )
        .await
        .expect("action task");
    assert_eq!((kind.as_str(), weight, assignee, start, end, mid), ("action", 0, he, day(-1), day(4), Some(meeting)));
    // It is in he.na's My work, linking to the project.
    let he_cookie = app.sign_in("he.na", PASSWORD).await;
    let r = app.call("projects/exec_my_tasks", &[], Some(&he_cookie)).await;
    let mine: MyTasks = serde_json::from_str(&r.body).expect("my tasks");
    let item = mine.tasks.iter().find(|t| t.name == "确认堆垛机发货日期").expect("in my work");
    assert_eq!(item.project_id, fx.project);
    assert!(mine.total >= mine.tasks.len() as i64);
    // The page shows the meeting with its attendees and the cadence.
    let v = view(&app, &xu, fx.project).await;
    assert_eq!(v.last_meeting, Some(day(-1)));
    assert_eq!(v.next_meeting_due, Some(day(-1 + v.meeting_days)));
    assert!(v.meetings[0].attendees.contains("何娜") && v.meetings[0].attendees.contains("供应商代表"), "{}", v.meetings[0].attendees);
    // Done, it leaves My work.
    let r = progress(&app, &he_cookie, item.id, &[("pct_done", "100"), ("actual_start", &today().to_string())]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("projects/exec_my_tasks", &[], Some(&he_cookie)).await;
    assert!(!r.body.contains("确认堆垛机发货日期"));
    // A meeting in the future is refused.
    let r = app.call("projects/exec_hold_meeting", &[("project_id", &p), ("held_on", &day(1).to_string()), ("minutes", "x")], Some(&xu)).await;
    assert_eq!(fields(&r), ["held_on"]);
});

both!(issues_are_logged_and_resolved, |app| {
    let fx = project(&app, "问题日志", "executing", 40).await;
    let p = fx.project.to_string();
    let he = app.sign_in("he.na", PASSWORD).await;
    let hu_id = uid(&app, "hu.bin").await.to_string();
    let r = app
        .call("projects/exec_add_issue", &[("project_id", &p), ("title", "库位编码冲突"), ("issue_description", "新旧编码规则不一致"), ("owner_id", &hu_id), ("due_date", &day(3).to_string())], Some(&he))
        .await;
    assert!(r.status.is_success(), "a team member raises an issue: {}", r.body);
    let issue: i64 = r.body.trim().parse().expect("id");
    let r = app.call("projects/exec_add_issue", &[("project_id", &p), ("title", ""), ("owner_id", "")], Some(&he)).await;
    assert_eq!(fields(&r), ["title", "owner_id"]);
    // Only its owner or the manager resolves it.
    let v = version(&app, "project_issues", issue).await;
    let r = app.call("projects/exec_resolve_issue", &[("issue_id", &issue.to_string()), ("version", &v), ("resolution", "x")], Some(&he)).await;
    assert_eq!(r.status, 403);
    let hu = app.sign_in("hu.bin", PASSWORD).await;
    let r = app.call("projects/exec_resolve_issue", &[("issue_id", &issue.to_string()), ("version", &v), ("resolution", "统一采用新编码")], Some(&hu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (status, resolution): (String, String) =
        app.db.read().fetch_one("SELECT status, resolution FROM project_issues WHERE id = $1", args![issue]).await.expect("issue");
    assert_eq!((status.as_str(), resolution.as_str()), ("resolved", "统一采用新编码"));
});

both!(a_failed_check_creates_rework_and_stays_open_until_it_is_done, |app| {
    let fx = project(&app, "质量检查", "executing", 40).await;
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let p = fx.project.to_string();
    let crit = fx.criterion.to_string();
    let hu = uid(&app, "hu.bin").await.to_string();
    // A failure needs findings and a rework task.
    let r = app
        .call("projects/exec_record_check", &[("project_id", &p), ("criterion_id", &crit), ("checked_on", &day(-1).to_string()), ("result", "fail")], Some(&xu))
        .await;
    assert_eq!(fields(&r), ["findings", "rework_assignee_id", "rework_due"], "{}", r.body);
    let r = app
        .call(
            "projects/exec_record_check",
            &[
                ("project_id", &p),
                ("criterion_id", &crit),
                ("checked_on", &day(-1).to_string()),
                ("result", "fail"),
                ("findings", "急停按钮未接入联锁"),
                ("rework_assignee_id", &hu),
                ("rework_due", &day(3).to_string()),
            ],
            Some(&xu),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let check: i64 = r.body.trim().parse().expect("id");
    let (rework, resolved): (Option<i64>, bool) =
        app.db.read().fetch_one("SELECT rework_task_id, resolved FROM project_quality_checks WHERE id = $1", args![check]).await.expect("check");
    let rework = rework.expect("rework task");
    assert!(!resolved);
    let (kind, weight, end): (String, i64, NaiveDate) =
        app.db.read().fetch_one("SELECT kind, weight, planned_end FROM project_tasks WHERE id = $1", args![rework]).await.expect("task");
    assert_eq!((kind.as_str(), weight, end), ("rework", 0, day(3)));
    let v = view(&app, &xu, fx.project).await;
    assert_eq!(v.checks.iter().filter(|c| c.open_failure()).count(), 1, "counts as unresolved");
    // Half done is still open; done resolves it.
    let hu_cookie = app.sign_in("hu.bin", PASSWORD).await;
    let r = progress(&app, &hu_cookie, rework, &[("pct_done", "50"), ("actual_start", &today().to_string())]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let v = view(&app, &xu, fx.project).await;
    assert_eq!(v.checks.iter().filter(|c| c.open_failure()).count(), 1);
    let r = progress(&app, &hu_cookie, rework, &[("pct_done", "100"), ("actual_start", &today().to_string()), ("actual_end", &today().to_string())]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let v = view(&app, &xu, fx.project).await;
    assert_eq!(v.checks.iter().filter(|c| c.open_failure()).count(), 0);
    // Another failure is resolved by a later passing check of the criterion.
    let r = app
        .call(
            "projects/exec_record_check",
            &[("project_id", &p), ("criterion_id", &crit), ("checked_on", &day(-1).to_string()), ("result", "fail"), ("findings", "护栏缺失"), ("rework_assignee_id", &hu), ("rework_due", &day(2).to_string())],
            Some(&xu),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(view(&app, &xu, fx.project).await.checks.iter().filter(|c| c.open_failure()).count(), 1);
    let r = app
        .call("projects/exec_record_check", &[("project_id", &p), ("criterion_id", &crit), ("checked_on", &today().to_string()), ("result", "pass")], Some(&xu))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(view(&app, &xu, fx.project).await.checks.iter().filter(|c| c.open_failure()).count(), 0);
});

both!(a_cost_over_its_budget_line_is_flagged, |app| {
    let fx = project(&app, "成本控制", "executing", 40).await;
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let p = fx.project.to_string();
    let line = fx.lines[0].to_string();
    let cost = |amount: &'static str, on: NaiveDate, desc: &'static str| {
        let (p, line) = (p.clone(), line.clone());
        let on = on.to_string();
        let app = &app;
        let xu = xu.clone();
        async move {
            app.call("projects/exec_add_cost", &[("project_id", &p), ("budget_line_id", &line), ("incurred_on", &on), ("amount", amount), ("cost_description", desc)], Some(&xu))
                .await
        }
    };
    let r = cost("0", day(1), "").await;
    assert_eq!(fields(&r), ["incurred_on", "amount", "cost_description"], "{}", r.body);
    let r = cost("60,000", day(-10), "堆垛机预付款").await;
    assert!(r.status.is_success(), "{}", r.body);
    let v = view(&app, &xu, fx.project).await;
    let l = v.lines.iter().find(|l| l.id == fx.lines[0]).expect("line");
    assert_eq!((l.actual_minor, l.remaining_minor(), l.pct_used(), l.over_budget()), (6_000_000, 4_000_000, Some(60), false));
    let r = cost("50000.50", day(0), "堆垛机尾款").await;
    assert!(r.status.is_success(), "{}", r.body);
    let v = view(&app, &xu, fx.project).await;
    let l = v.lines.iter().find(|l| l.id == fx.lines[0]).expect("line");
    assert_eq!(l.actual_minor, 11_000_050);
    assert!(l.over_budget() && l.pct_used() == Some(110), "flagged: {l:?}");
    assert!(!v.lines.iter().find(|l| l.id == fx.lines[1]).expect("other").over_budget());
    assert_eq!(v.costs.total, 2);
    assert_eq!(v.costs.rows[0].description, "堆垛机尾款", "newest first");
    // A line of another project is refused; so is a staff member outside management.
    let other = project(&app, "另一个项目", "executing", 40).await;
    let r = app
        .call("projects/exec_add_cost", &[("project_id", &p), ("budget_line_id", &other.lines[0].to_string()), ("incurred_on", &today().to_string()), ("amount", "1"), ("cost_description", "x")], Some(&xu))
        .await;
    assert_eq!(fields(&r), ["budget_line_id"]);
    let he = app.sign_in("he.na", PASSWORD).await;
    let r = app
        .call("projects/exec_add_cost", &[("project_id", &p), ("budget_line_id", &line), ("incurred_on", &today().to_string()), ("amount", "1"), ("cost_description", "x")], Some(&he))
        .await;
    assert_eq!(r.status, 403);
});

both!(allocation_sums_across_open_projects, |app| {
    let a = project(&app, "负荷甲", "executing", 40).await;
    let b = project(&app, "负荷乙", "initiating", -1).await;
    let closed = project(&app, "负荷丙", "closed", 100).await;
    let _ = (a.project, closed.project);
    // he.na is on all three at 50 %: the closed one does not count.
    let he = uid(&app, "he.na").await;
    let expected: i64 = app
        .db
        .read()
        .scalar(
            "SELECT CAST(SUM(m.allocation_pct) AS BIGINT) FROM project_members m JOIN projects p ON p.id = m.project_id \
             WHERE m.user_id = $1 AND p.status IN ($2, $3, $4)",
            args![he, "initiating", "plan_review", "executing"],
        )
        .await
        .expect("sum");
    let admin = app.sign_in("admin", PASSWORD).await;
    let r = app.call("projects/exec_allocation", &[("department", "")], Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: app::projects::execution::model::AllocationView = serde_json::from_str(&r.body).expect("view");
    assert!(v.can_filter);
    let row = v.rows.iter().find(|r| r.person.user_id == he).expect("he.na");
    assert_eq!(row.person.total_pct, expected);
    assert!(row.person.total_pct >= 100, "two fixture projects at 50 % each: {}", row.person.total_pct);
    assert!(row.assignments.iter().any(|x| x.project_id == b.project));
    assert!(!row.assignments.iter().any(|x| x.project_id == closed.project), "closed projects do not count");
    // A third open project at 50 % puts her over 100 %.
    let _c = project(&app, "负荷丁", "plan_review", -1).await;
    let r = app.call("projects/exec_allocation", &[("department", "")], Some(&admin)).await;
    let v: app::projects::execution::model::AllocationView = serde_json::from_str(&r.body).expect("view");
    let row = v.rows.iter().find(|r| r.person.user_id == he).expect("he.na");
    assert_eq!(row.person.total_pct, expected + 50);
    assert_eq!(row.person.load(), Load::Over);
    // The team's warning names her.
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let r = app.call("projects/exec_team_loads", &[("project_id", &a.project.to_string())], Some(&xu)).await;
    let loads: Vec<app::projects::execution::model::MemberLoad> = serde_json::from_str(&r.body).expect("loads");
    assert!(loads.iter().any(|m| m.user_id == he && m.total_pct == expected + 50));
    // The logistics manager sees his department only (he.na, not hu.bin); the filter is not his.
    let guo = app.sign_in("guo.peng", PASSWORD).await;
    let hu = uid(&app, "hu.bin").await;
    let production: i64 = app.db.read().scalar("SELECT id FROM departments WHERE code = $1", args!["production"]).await.expect("dept");
    let r = app.call("projects/exec_allocation", &[("department", &production.to_string())], Some(&guo)).await;
    let v: app::projects::execution::model::AllocationView = serde_json::from_str(&r.body).expect("view");
    assert!(!v.can_filter);
    assert!(v.rows.iter().any(|r| r.person.user_id == he));
    assert!(!v.rows.iter().any(|r| r.person.user_id == hu));
    // Executives narrow it to a department.
    let r = app.call("projects/exec_allocation", &[("department", &production.to_string())], Some(&admin)).await;
    let v: app::projects::execution::model::AllocationView = serde_json::from_str(&r.body).expect("view");
    assert!(v.rows.iter().any(|r| r.person.user_id == hu) && !v.rows.iter().any(|r| r.person.user_id == he));
});

both!(rule_242a_flags_a_project_without_a_recent_progress_meeting, |app| {
    let stale = project(&app, "久未开会", "executing", 40).await;
    let fresh = project(&app, "刚批准", "executing", 5).await;
    let admin = viewer(&app, "admin").await;
    let rule = |v: Viewer| {
        let db = app.db.clone();
        async move { app::projects::execution::rules::progress_meetings(&db, &v, Utc::now()).await.expect("rule") }
    };
    let r = rule(admin.clone()).await;
    assert_eq!(links_to(&r, stale.project), 1, "approved 40 days ago, never met");
    assert_eq!(links_to(&r, fresh.project), 0, "approved 5 days ago: not due yet");
    // A meeting 20 days ago is still too long ago (14 days).
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let p = stale.project.to_string();
    let r = app.call("projects/exec_hold_meeting", &[("project_id", &p), ("held_on", &day(-20).to_string()), ("minutes", "例会")], Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(links_to(&rule(admin.clone()).await, stale.project), 1);
    let r = app.call("projects/exec_hold_meeting", &[("project_id", &p), ("held_on", &day(-14).to_string()), ("minutes", "例会")], Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let after = rule(admin.clone()).await;
    assert_eq!(links_to(&after, stale.project), 0, "held 14 days ago: due today, not late");
    // Visibility: a staff member outside the project does not see it in the rule.
    app.db.read().execute("DELETE FROM project_meetings WHERE project_id = $1", args![stale.project]).await.expect("reset");
    let ma = viewer(&app, "ma.lin").await;
    assert_eq!(links_to(&rule(ma).await, stale.project), 0);
    let he = viewer(&app, "he.na").await;
    assert_eq!(links_to(&rule(he).await, stale.project), 1, "a team member does");
});


both!(the_demo_tells_the_execution_story, |app| {
    use app::projects::demo::{P1, P2, P3, P6};
    let id = |name: &'static str| {
        let db = app.db.clone();
        async move { db.read().scalar::<i64>("SELECT id FROM projects WHERE name = $1", args![name]).await.expect("demo project") }
    };
    let (p1, p2, p3, p6) = (id(P1).await, id(P2).await, id(P3).await, id(P6).await);
    let admin = viewer(&app, "admin").await;
    let now = Utc::now();
    // 2.4.2-a: P2's last progress meeting was 20 days ago; P1 and P3 met recently.
    let meetings = app::projects::execution::rules::progress_meetings(&app.db, &admin, now).await.expect("rule");
    assert_eq!((links_to(&meetings, p2), links_to(&meetings, p1), links_to(&meetings, p3)), (1, 0, 0), "{:?}", meetings.violations);
    // 2.4.2-b: P2's milestone "设备到货" slipped without a record; its civil works have one.
    let delays = app::projects::execution::rules::delays_recorded(&app.db, &admin, now).await.expect("rule");
    let p2_slips: Vec<&str> = delays.violations.iter().filter(|v| v.link == format!("/projects/{p2}/execution")).map(|v| v.label.as_str()).collect();
    assert_eq!(p2_slips.len(), 1, "{p2_slips:?}");
    assert!(p2_slips[0].contains("设备到货"));
    assert_eq!((links_to(&delays, p1), links_to(&delays, p3)), (0, 0));
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let v2 = view(&app, &xu, p2).await;
    let milestone = v2.tasks.iter().find(|t| t.name == "设备到货").expect("milestone");
    assert_eq!(milestone.slip().days_late(v2.today), 20);
    assert_eq!(v2.delays.iter().filter(|d| d.is_open()).count(), 1);
    assert_eq!(v2.delays.len(), 2, "the purchase's delay closed when it finished");
    assert_eq!(v2.last_meeting, Some(day(-20)));
    // P3: a failed check with its rework task open; costs ahead of progress.
    let wu = app.sign_in("wu.hao", PASSWORD).await;
    let v3 = view(&app, &wu, p3).await;
    let failed: Vec<_> = v3.checks.iter().filter(|c| c.open_failure()).collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].rework_task_id.is_some() && failed[0].rework_done.is_none());
    assert_eq!(v3.lines.iter().map(|l| l.actual_minor).sum::<i64>(), 39_000_000);
    // P1 on track: nothing slipped, spent ¥428,000.
    let v1 = view(&app, &xu, p1).await;
    assert!(v1.tasks.iter().all(|t| !t.slip().slipped(v1.today)));
    assert_eq!(v1.lines.iter().map(|l| l.actual_minor).sum::<i64>(), 42_800_000);
    // The finished P6 met every two weeks and spent close to its budget.
    let v6 = view(&app, &xu, p6).await;
    assert!(v6.meetings.len() >= 10, "{}", v6.meetings.len());
    let spent: i64 = v6.lines.iter().map(|l| l.actual_minor).sum();
    assert!(spent > 85_000_000 && spent <= 90_000_000, "{spent}");
    // The open action items are in their owners' My work.
    let ma = app.sign_in("ma.lin", PASSWORD).await;
    let r = app.call("projects/exec_my_tasks", &[], Some(&ma)).await;
    assert!(r.body.contains("安排关键用户参加 UAT 培训"), "{}", r.body);
});
