//! Projects, initiation (2.4.1-a, -b, -d): the project record, who may create
//! and see it, team, kickoff and the four-part plan, the editing rules by
//! status and optimistic locking — storage and server functions, each test on
//! SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::time::company_today;
use chrono::{Duration, NaiveDate, Utc};
use common::{PASSWORD, TestApp};

fn day(offset: i64) -> String {
    (company_today(Utc::now()) + Duration::days(offset)).to_string()
}

async fn dept(app: &TestApp, code: &str) -> i64 {
    app.db.read().scalar("SELECT id FROM departments WHERE code = $1", args![code]).await.expect("department")
}

/// The project form's fields (a valid project of `dept` managed by `pm`, led by `sponsor`).
async fn project_form(app: &TestApp, name: &str, dept_code: &str, pm: &str, sponsor: &str) -> Vec<(String, String)> {
    let d = dept(app, dept_code).await.to_string();
    let pm = app.user_id(pm).await.to_string();
    let sponsor = app.user_id(sponsor).await.to_string();
    [
        ("id", String::new()),
        ("version", String::new()),
        ("input[name]", name.to_string()),
        ("input[requesting_department_id]", d),
        ("input[manager_id]", pm),
        ("input[sponsor_id]", sponsor),
        ("input[objectives]", "上线新系统，月结缩短到 3 天".to_string()),
        ("input[scope_in]", "财务、采购模块".to_string()),
        ("input[scope_out]", "人力资源模块".to_string()),
        ("input[start_date]", day(10)),
        ("input[end_date]", day(120)),
        ("input[budget]", "800,000".to_string()),
        ("input[priority]", "high".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn refs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn with(form: &[(String, String)], key: &str, value: &str) -> Vec<(String, String)> {
    form.iter().map(|(k, v)| (k.clone(), if k == key { value.to_string() } else { v.clone() })).collect()
}

fn fields(r: &common::Resp) -> Vec<String> {
    r.json()["Validation"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

async fn project_id(app: &TestApp, name: &str) -> i64 {
    app.db.read().scalar("SELECT id FROM projects WHERE name = $1", args![name]).await.expect("project id")
}

/// Creates a project as `who` (PM xu.ming, leader zhao.min, requested by finance).
async fn create(app: &TestApp, cookie: &str, name: &str) -> i64 {
    let form = project_form(app, name, "finance", "xu.ming", "zhao.min").await;
    let r = app.call("projects/init_save", &refs(&form), Some(cookie)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    project_id(app, name).await
}

async fn version(app: &TestApp, table: &str, id: i64) -> String {
    let v: i64 = app.db.read().scalar(&format!("SELECT version FROM {table} WHERE id = $1"), args![id]).await.expect("version");
    v.to_string()
}

async fn add_member(app: &TestApp, cookie: &str, project: i64, username: &str, role: &str) -> common::Resp {
    let uid = app.user_id(username).await.to_string();
    let p = project.to_string();
    app.call(
        "projects/init_save_member",
        &[
            ("project_id", p.as_str()),
            ("id", ""),
            ("version", ""),
            ("input[user_id]", uid.as_str()),
            ("input[role]", role),
            ("input[responsibilities]", "需求分析与测试"),
            ("input[allocation_pct]", "50"),
        ],
        Some(cookie),
    )
    .await
}

/// Saves a task; `extra` adds e.g. predecessors (`deps[i]`).
#[allow(clippy::too_many_arguments)]
async fn save_task(
    app: &TestApp,
    cookie: &str,
    project: i64,
    id: Option<i64>,
    name: &str,
    kind: &str,
    start: &str,
    end: &str,
    assignee: &str,
    weight: &str,
    extra: &[(&str, &str)],
) -> common::Resp {
    let p = project.to_string();
    let (id_s, v) = match id {
        Some(i) => (i.to_string(), version(app, "project_tasks", i).await),
        None => (String::new(), String::new()),
    };
    let a = app.user_id(assignee).await.to_string();
    let mut form = vec![
        ("project_id", p.as_str()),
        ("id", id_s.as_str()),
        ("version", v.as_str()),
        ("input[name]", name),
        ("input[kind]", kind),
        ("input[position]", ""),
        ("input[planned_start]", start),
        ("input[planned_end]", end),
        ("input[assignee_id]", a.as_str()),
        ("input[weight]", weight),
    ];
    form.extend_from_slice(extra);
    app.call("projects/init_save_task", &form, Some(cookie)).await
}

async fn task_id(app: &TestApp, project: i64, name: &str) -> i64 {
    app.db.read().scalar("SELECT id FROM project_tasks WHERE project_id = $1 AND name = $2", args![project, name]).await.expect("task")
}

async fn audits(app: &TestApp, entity: &str, id: i64) -> Vec<String> {
    let r: Vec<(String,)> = app
        .db
        .read()
        .fetch_all("SELECT action FROM audit_log WHERE entity = $1 AND record_id = $2 ORDER BY id", args![entity, id])
        .await
        .expect("audit");
    r.into_iter().map(|r| r.0).collect()
}

both!(create_with_field_errors_by_allowed_roles_only, |app| {
    // Sales staff do not start projects.
    let liu = app.sign_in("liu.yang", PASSWORD).await;
    let form = project_form(&app, "员工立项", "sales", "liu.yang", "li.qiang").await;
    let r = app.call("projects/init_save", &refs(&form), Some(&liu)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.call("projects/init_form", &[("id", "0")], Some(&liu)).await;
    assert_eq!(r.status, 403);
    let r = app.call("projects/init_list", &[("query[q]", "")], Some(&liu)).await;
    assert_eq!(r.json()["can_create"], false);

    // Per-field errors, all at once.
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let base = project_form(&app, "ERP 二期", "finance", "xu.ming", "zhao.min").await;
    let bad = with(&with(&with(&with(&base, "input[name]", " "), "input[end_date]", &day(5)), "input[budget]", "-1"), "input[objectives]", "");
    let r = app.call("projects/init_save", &refs(&bad), Some(&xu)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(fields(&r), ["name", "objectives", "end_date", "budget"]);
    assert_eq!(r.json()["Validation"][2]["key"], "projects_init.val_end_before_start");
    // The leader must be a manager or executive.
    let staff = app.user_id("wang.fang").await.to_string();
    let r = app.call("projects/init_save", &refs(&with(&base, "input[sponsor_id]", &staff)), Some(&xu)).await;
    assert_eq!(r.status, 422);
    assert_eq!(fields(&r), ["sponsor_id"]);

    // The PMO (xu.ming, staff) creates it; it starts initiating, numbered, with the PM on the team.
    let r = app.call("projects/init_save", &refs(&base), Some(&xu)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let id = project_id(&app, "ERP 二期").await;
    let (number, status, budget, start): (String, String, i64, NaiveDate) =
        app.db.read().fetch_one("SELECT number, status, budget_minor, start_date FROM projects WHERE id = $1", args![id]).await.expect("p");
    let year = app::core::time::company_year(Utc::now());
    assert!(number.starts_with(&format!("XM-{year}-")) && number.len() == 12, "{number}");
    assert_eq!((status.as_str(), budget), ("initiating", 80_000_000));
    assert_eq!(start.to_string(), day(10));
    let team: Vec<(i64, String, i64)> =
        app.db.read().fetch_all("SELECT user_id, role, allocation_pct FROM project_members WHERE project_id = $1", args![id]).await.expect("team");
    assert_eq!(team, vec![(app.user_id("xu.ming").await, "项目经理".to_string(), 100)]);
    assert_eq!(audits(&app, "project", id).await, ["create"]);
    // The leader is told; the PM created it himself, so is not.
    let told: Vec<(i64,)> = app
        .db
        .read()
        .fetch_all("SELECT recipient_user_id FROM inbox_items WHERE source_entity = 'project' AND source_id = $1", args![id])
        .await
        .expect("inbox");
    assert_eq!(told, vec![(app.user_id("zhao.min").await,)]);

    // A manager starts projects for the own department only.
    let li = app.sign_in("li.qiang", PASSWORD).await;
    let other = project_form(&app, "销售立项-财务", "finance", "wang.fang", "li.qiang").await;
    let r = app.call("projects/init_save", &refs(&other), Some(&li)).await;
    assert_eq!(r.status, 422);
    assert_eq!(fields(&r), ["requesting_department_id"]);
    let own = project_form(&app, "销售立项", "sales", "wang.fang", "li.qiang").await;
    let r = app.call("projects/init_save", &refs(&own), Some(&li)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{}", r.body);
    let own_id = project_id(&app, "销售立项").await;
    // wang.fang, named PM by someone else, is told and is on the team.
    let told: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_id = $1 AND source_entity = 'project' AND recipient_user_id = $2", args![own_id, app.user_id("wang.fang").await])
        .await
        .expect("told");
    assert_eq!(told, 1);
    let r = app.call("projects/init_form", &[("id", "0")], Some(&li)).await;
    let depts = r.json()["departments"].as_array().map(|d| d.len()).unwrap_or(0);
    assert_eq!(depts, 1, "a manager's form offers the own department: {}", r.body);
});

both!(visibility_stranger_not_found_member_sees, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let id = create(&app, &xu, "可见性测试项目").await;
    let sid = id.to_string();
    // A salesperson unrelated to it: not found, and not in the list.
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    for ep in ["projects/init_overview", "projects/init_plan", "projects/frame"] {
        let r = app.call(ep, &[("id", &sid)], Some(&wang)).await;
        assert_eq!(r.status, 404, "{ep}: {}", r.body);
    }
    let r = app.call("projects/init_list", &[("query[q]", "可见性测试")], Some(&wang)).await;
    assert_eq!(r.json()["page"]["total"], 0, "{}", r.body);
    // Nor may she change it.
    let r = add_member(&app, &wang, id, "wang.fang", "混进来").await;
    assert_eq!(r.status, 404);
    // On the team, she sees it (read only: members do not manage).
    let r = add_member(&app, &xu, id, "wang.fang", "销售顾问").await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("projects/init_overview", &[("id", &sid)], Some(&wang)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["access"]["member"], true);
    assert_eq!(r.json()["access"]["manage"], false);
    let r = app.call("projects/init_list", &[("query[q]", "可见性测试"), ("query[mine]", "1")], Some(&wang)).await;
    assert_eq!(r.json()["page"]["total"], 1, "{}", r.body);
    let r = add_member(&app, &wang, id, "liu.yang", "混进来").await;
    assert_eq!(r.status, 403, "members do not manage the team");
    // The finance manager (requesting department) manages it; the PMO and executives see it.
    let zheng = app.sign_in("zheng.hong", PASSWORD).await;
    let r = app.call("projects/init_overview", &[("id", &sid)], Some(&zheng)).await;
    assert_eq!(r.json()["access"]["manage"], true, "{}", r.body);
    let wu = app.sign_in("wu.hao", PASSWORD).await;
    let r = app.call("projects/init_list", &[("query[q]", "可见性测试")], Some(&wu)).await;
    assert_eq!(r.json()["page"]["total"], 1);
    assert_eq!(r.json()["can_see_dashboard"], true);
    assert_eq!(r.json()["page"]["rows"][0]["status"], "initiating");
    let r = app.call("projects/init_list", &[("query[q]", "")], Some(&wang)).await;
    assert_eq!(r.json()["can_see_dashboard"], false);
});

both!(team_and_kickoff, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let id = create(&app, &xu, "团队与启动会").await;
    let sid = id.to_string();
    let r = add_member(&app, &xu, id, "ma.lin", "财务顾问").await;
    assert!(r.status.is_success(), "{}", r.body);
    let member = r.json().as_i64().expect("member id");
    // Twice is refused; a bad allocation is refused at its field.
    let r = add_member(&app, &xu, id, "ma.lin", "财务顾问").await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["user_id".to_string()]));
    let r = app
        .call(
            "projects/init_save_member",
            &[("project_id", &sid), ("id", &member.to_string()), ("version", "1"), ("input[role]", "财务顾问"), ("input[responsibilities]", ""), ("input[allocation_pct]", "150")],
            Some(&xu),
        )
        .await;
    assert_eq!(fields(&r), ["allocation_pct"]);
    // Edit, then the same stale version is a conflict showing the stored values.
    let edit = [("project_id", sid.as_str()), ("id", &member.to_string()), ("version", "1"), ("input[role]", "财务 BP"), ("input[responsibilities]", "预算与成本"), ("input[allocation_pct]", "30")];
    let r = app.call("projects/init_save_member", &edit, Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("projects/init_save_member", &edit, Some(&xu)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["Conflict"]["current"]["role"], "财务 BP");
    let (role, pct): (String, i64) = app.db.read().fetch_one("SELECT role, allocation_pct FROM project_members WHERE id = $1", args![member]).await.expect("m");
    assert_eq!((role.as_str(), pct), ("财务 BP", 30));
    // The PM cannot be removed.
    let pm_member: i64 = app
        .db
        .read()
        .scalar("SELECT id FROM project_members WHERE project_id = $1 AND user_id = $2", args![id, app.user_id("xu.ming").await])
        .await
        .expect("pm");
    let r = app.call("projects/init_remove_member", &[("id", &pm_member.to_string()), ("version", "1")], Some(&xu)).await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["state".to_string()]));

    // Before the kickoff the plan is not ready.
    let r = app.call("projects/init_overview", &[("id", &sid)], Some(&xu)).await;
    assert_eq!(r.json()["facts"]["kickoff_held"], false);
    // 2.4.1-a: a kickoff record cannot lie in the future; minutes and decisions are required.
    let ma = app.user_id("ma.lin").await.to_string();
    let xu_id = app.user_id("xu.ming").await.to_string();
    let kickoff = |held: String, version: &'static str| {
        vec![
            ("project_id".to_string(), sid.clone()),
            ("version".to_string(), version.to_string()),
            ("input[held_on]".to_string(), held),
            ("attendees[0]".to_string(), xu_id.clone()),
            ("attendees[2]".to_string(), ma.clone()),
            ("input[guests]".to_string(), "外部顾问张工".to_string()),
            ("input[minutes]".to_string(), "明确目标、范围、里程碑和分工。".to_string()),
            ("input[decisions]".to_string(), "每两周召开进度会。".to_string()),
        ]
    };
    let r = app.call("projects/init_save_kickoff", &refs(&kickoff(day(1), "")), Some(&xu)).await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["held_on".to_string()]));
    // Attendees must be on the team.
    let mut stranger = kickoff(day(0), "");
    stranger.push(("attendees[5]".into(), app.user_id("wang.fang").await.to_string()));
    let r = app.call("projects/init_save_kickoff", &refs(&stranger), Some(&xu)).await;
    assert_eq!(fields(&r), ["attendees"]);
    let r = app.call("projects/init_save_kickoff", &refs(&kickoff(day(-1), "")), Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let meeting = r.json().as_i64().expect("meeting");
    let (text, held): (String, NaiveDate) =
        app.db.read().fetch_one("SELECT attendees, held_on FROM project_meetings WHERE id = $1", args![meeting]).await.expect("meeting");
    assert_eq!(text, "徐明、马琳、外部顾问张工");
    assert_eq!(held.to_string(), day(-1));
    let present: Vec<(i64,)> =
        app.db.read().fetch_all("SELECT user_id FROM project_meeting_attendees WHERE meeting_id = $1 ORDER BY user_id", args![meeting]).await.expect("a");
    assert_eq!(present.len(), 2);
    // One kickoff per project: a second "new" record is a conflict; a correction needs the version.
    let r = app.call("projects/init_save_kickoff", &refs(&kickoff(day(0), "")), Some(&xu)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = app.call("projects/init_save_kickoff", &refs(&kickoff(day(0), "1")), Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM project_meetings WHERE project_id = $1", args![id]).await.expect("n");
    assert_eq!(n, 1);
    assert_eq!(audits(&app, "project_meeting", meeting).await, ["create", "update"]);
    let r = app.call("projects/init_overview", &[("id", &sid)], Some(&xu)).await;
    assert_eq!(r.json()["facts"]["kickoff_held"], true);
    assert_eq!(r.json()["kickoff_attendees"].as_array().map(|a| a.len()), Some(2));

    // A member with an open task cannot leave the team until it is reassigned.
    let r = save_task(&app, &xu, id, None, "预算编制", "task", &day(10), &day(20), "ma.lin", "2", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let v = version(&app, "project_members", member).await;
    let r = app.call("projects/init_remove_member", &[("id", &member.to_string()), ("version", &v)], Some(&xu)).await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["state".to_string()]));
    let t = task_id(&app, id, "预算编制").await;
    let r = save_task(&app, &xu, id, Some(t), "预算编制", "task", &day(10), &day(20), "xu.ming", "2", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("projects/init_remove_member", &[("id", &member.to_string()), ("version", &v)], Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(audits(&app, "project_member", member).await, ["create", "update", "delete"]);
});

both!(plan_tasks_dependencies_budget_criteria_risks, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let id = create(&app, &xu, "计划编制测试").await;
    let sid = id.to_string();
    assert!(add_member(&app, &xu, id, "tang.kai", "开发").await.status.is_success());
    // The plan's gaps while empty (no kickoff, no tasks, budget lines or criteria).
    let gaps = {
        let mut tx = app.db.begin().await.expect("tx");
        let f = app::projects::initiation::store::plan_facts_tx(&mut tx, id).await.expect("facts");
        tx.commit().await.expect("commit");
        f.gaps()
    };
    assert_eq!(gaps.len(), 4, "{gaps:?}");

    // Tasks: the assignee must be on the team.
    let r = save_task(&app, &xu, id, None, "需求调研", "task", &day(10), &day(30), "wang.fang", "", &[]).await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["assignee_id".to_string()]));
    let r = save_task(&app, &xu, id, None, "需求调研", "task", &day(10), &day(30), "tang.kai", "", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let a = task_id(&app, id, "需求调研").await;
    let sa = a.to_string();
    let r = save_task(&app, &xu, id, None, "系统设计", "task", &day(31), &day(60), "tang.kai", "3", &[("deps[0]", &sa)]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let b = task_id(&app, id, "系统设计").await;
    let sb = b.to_string();
    // A milestone is one date (its end follows its start), after both tasks (sparse checkbox indices).
    let r = save_task(&app, &xu, id, None, "设计评审通过", "milestone", &day(61), "", "xu.ming", "1", &[("deps[0]", &sa), ("deps[3]", &sb)]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let m = task_id(&app, id, "设计评审通过").await;
    let (kind, s, e, weight, pos): (String, NaiveDate, NaiveDate, i64, i64) = app
        .db
        .read()
        .fetch_one("SELECT kind, planned_start, planned_end, weight, position FROM project_tasks WHERE id = $1", args![m])
        .await
        .expect("milestone");
    assert_eq!((kind.as_str(), s, e, weight, pos), ("milestone", s, s, 1, 3));
    let deps: Vec<(i64,)> = app.db.read().fetch_all("SELECT depends_on_id FROM project_task_deps WHERE task_id = $1 ORDER BY depends_on_id", args![m]).await.expect("deps");
    assert_eq!(deps, vec![(a,), (b,)]);
    // The weight defaults to 1.
    let wa: i64 = app.db.read().scalar("SELECT weight FROM project_tasks WHERE id = $1", args![a]).await.expect("w");
    assert_eq!(wa, 1);
    // A loop is refused: the first task cannot depend on the milestone.
    let sm = m.to_string();
    let r = save_task(&app, &xu, id, Some(a), "需求调研", "task", &day(10), &day(30), "tang.kai", "1", &[("deps[0]", &sm)]).await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["deps".to_string()]));
    // A predecessor from another project is refused.
    let other = create(&app, &xu, "另一个项目").await;
    let r = save_task(&app, &xu, other, None, "别的任务", "task", &day(10), &day(12), "xu.ming", "1", &[("deps[0]", &sa)]).await;
    assert_eq!(fields(&r), ["deps"]);
    // Starting before a predecessor ends is allowed, and shown as a warning.
    let r = save_task(&app, &xu, id, Some(b), "系统设计", "task", &day(25), &day(60), "tang.kai", "3", &[("deps[0]", &sa)]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("projects/init_plan", &[("id", &sid)], Some(&xu)).await;
    let plan = r.json();
    assert_eq!(plan["tasks"].as_array().map(|t| t.len()), Some(3));
    assert_eq!(plan["warnings"][0]["BeforePredecessor"]["task"], b, "{}", r.body);
    assert_eq!(plan["deps"].as_array().map(|d| d.len()), Some(3));
    // A stale version is a conflict.
    let r = app
        .call(
            "projects/init_save_task",
            &[("project_id", &sid), ("id", &sb), ("version", "1"), ("input[name]", "x"), ("input[kind]", "task"), ("input[position]", ""), ("input[planned_start]", &day(31)), ("input[planned_end]", &day(60)), ("input[assignee_id]", &app.user_id("tang.kai").await.to_string()), ("input[weight]", "3")],
            Some(&xu),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Deleting a task removes the dependencies on it.
    let v = version(&app, "project_tasks", a).await;
    let r = app.call("projects/init_delete_task", &[("id", &sa), ("version", &v)], Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let left: i64 = app.db.read().scalar("SELECT COUNT(*) FROM project_task_deps WHERE depends_on_id = $1 OR task_id = $1", args![a]).await.expect("deps");
    assert_eq!(left, 0);
    assert_eq!(audits(&app, "project_task", a).await, ["create", "delete"]);

    // Budget lines: per-field errors, total against the budget.
    let line = |id: &str, v: &str, cat: &str, desc: &str, amount: &str| {
        vec![
            ("project_id".to_string(), sid.clone()),
            ("id".to_string(), id.to_string()),
            ("version".to_string(), v.to_string()),
            ("input[category]".to_string(), cat.to_string()),
            ("input[description]".to_string(), desc.to_string()),
            ("input[amount]".to_string(), amount.to_string()),
        ]
    };
    let r = app.call("projects/init_save_budget_line", &refs(&line("", "", "food", "", "abc")), Some(&xu)).await;
    assert_eq!(fields(&r), ["category", "description", "amount"]);
    let r = app.call("projects/init_save_budget_line", &refs(&line("", "", "labour", "内部工时", "500,000")), Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let l1 = r.json().as_i64().expect("line");
    let r = app.call("projects/init_save_budget_line", &refs(&line("", "", "services", "实施外包", "250000")), Some(&xu)).await;
    let l2 = r.json().as_i64().expect("line");
    let r = app.call("projects/init_save_budget_line", &refs(&line(&l2.to_string(), "1", "services", "实施外包", "300000")), Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let total: i64 = app.db.read().scalar("SELECT CAST(SUM(amount_minor) AS BIGINT) FROM project_budget_lines WHERE project_id = $1", args![id]).await.expect("sum");
    assert_eq!(total, 80_000_000, "equals the budget");
    let r = app.call("projects/init_delete_budget_line", &[("id", &l1.to_string()), ("version", "1")], Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(audits(&app, "project_budget_line", l2).await, ["create", "update"]);

    // Quality criteria.
    let r = app
        .call("projects/init_save_criterion", &[("project_id", &sid), ("id", ""), ("version", ""), ("input[criterion]", ""), ("input[method]", ""), ("input[position]", "")], Some(&xu))
        .await;
    assert_eq!(fields(&r), ["criterion", "method"]);
    let r = app
        .call("projects/init_save_criterion", &[("project_id", &sid), ("id", ""), ("version", ""), ("input[criterion]", "月结 3 天内完成"), ("input[method]", "试运行月结记录"), ("input[position]", "")], Some(&xu))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let c = r.json().as_i64().expect("criterion");
    let r = app
        .call("projects/init_save_criterion", &[("project_id", &sid), ("id", &c.to_string()), ("version", "1"), ("input[criterion]", "月结 3 个工作日内完成"), ("input[method]", "试运行月结记录"), ("input[position]", "1")], Some(&xu))
        .await;
    assert!(r.status.is_success(), "{}", r.body);

    // Risks: the owner is on the team; likelihood and impact 1-5.
    let risk = |owner: String, l: &str| {
        vec![
            ("project_id".to_string(), sid.clone()),
            ("id".to_string(), String::new()),
            ("version".to_string(), String::new()),
            ("input[title]".to_string(), "数据迁移质量".to_string()),
            ("input[description]".to_string(), "历史数据不完整".to_string()),
            ("input[likelihood]".to_string(), l.to_string()),
            ("input[impact]".to_string(), "4".to_string()),
            ("input[response]".to_string(), "提前清洗并试迁移两轮".to_string()),
            ("input[owner_id]".to_string(), owner),
            ("input[status]".to_string(), String::new()),
        ]
    };
    let r = app.call("projects/init_save_risk", &refs(&risk(app.user_id("tang.kai").await.to_string(), "7")), Some(&xu)).await;
    assert_eq!(fields(&r), ["likelihood"]);
    let r = app.call("projects/init_save_risk", &refs(&risk(app.user_id("wang.fang").await.to_string(), "3")), Some(&xu)).await;
    assert_eq!(fields(&r), ["owner_id"]);
    let r = app.call("projects/init_save_risk", &refs(&risk(app.user_id("tang.kai").await.to_string(), "3")), Some(&xu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let rk = r.json().as_i64().expect("risk");
    let status: String = app.db.read().scalar("SELECT status FROM project_risks WHERE id = $1", args![rk]).await.expect("risk");
    assert_eq!(status, "open");

    // With a kickoff, the plan has no gaps left.
    let tk = app.user_id("tang.kai").await.to_string();
    let r = app
        .call(
            "projects/init_save_kickoff",
            &[("project_id", &sid), ("version", ""), ("input[held_on]", &day(0)), ("attendees[1]", &tk), ("input[guests]", ""), ("input[minutes]", "目标与分工"), ("input[decisions]", "两周一次进度会")],
            Some(&xu),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("projects/init_overview", &[("id", &sid)], Some(&xu)).await;
    let f = r.json()["facts"].clone();
    assert_eq!((f["tasks"].as_i64(), f["unassigned"].as_i64(), f["budget_lines"].as_i64(), f["criteria"].as_i64()), (Some(2), Some(0), Some(1), Some(1)));
    let mut tx = app.db.begin().await.expect("tx");
    let facts = app::projects::initiation::store::plan_facts_tx(&mut tx, id).await.expect("facts");
    tx.commit().await.expect("commit");
    assert!(facts.gaps().is_empty(), "{facts:?}");
    // A task whose assignee left the team (e.g. by an earlier import) is a gap again.
    app.db.read().execute("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", args![id, app.user_id("tang.kai").await]).await.expect("rm");
    let mut tx = app.db.begin().await.expect("tx");
    let facts = app::projects::initiation::store::plan_facts_tx(&mut tx, id).await.expect("facts");
    tx.commit().await.expect("commit");
    assert_eq!(facts.gaps(), vec![app::core::i18n::K::ProjectsInitGapAssignees]);
});

both!(read_only_outside_editable_states_and_baseline_locks, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let id = create(&app, &xu, "状态规则测试").await;
    let sid = id.to_string();
    let r = save_task(&app, &xu, id, None, "实施", "task", &day(10), &day(40), "xu.ming", "2", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let t = task_id(&app, id, "实施").await;
    let r = app
        .call("projects/init_save_budget_line", &[("project_id", &sid), ("id", ""), ("version", ""), ("input[category]", "labour"), ("input[description]", "工时"), ("input[amount]", "1000")], Some(&xu))
        .await;
    let line = r.json().as_i64().expect("line");
    let r = app
        .call(
            "projects/init_save_risk",
            &[("project_id", &sid), ("id", ""), ("version", ""), ("input[title]", "延期"), ("input[description]", ""), ("input[likelihood]", "2"), ("input[impact]", "2"), ("input[response]", "加人"), ("input[owner_id]", &app.user_id("xu.ming").await.to_string()), ("input[status]", "")],
            Some(&xu),
        )
        .await;
    let risk = r.json().as_i64().expect("risk");

    // In review the plan and the project are read-only.
    app.db.read().execute("UPDATE projects SET status = 'plan_review' WHERE id = $1", args![id]).await.expect("review");
    let r = save_task(&app, &xu, id, None, "新任务", "task", &day(10), &day(12), "xu.ming", "1", &[]).await;
    assert_eq!((r.status.as_u16(), fields(&r)), (422, vec!["state".to_string()]));
    let r = save_task(&app, &xu, id, Some(t), "实施", "task", &day(11), &day(40), "xu.ming", "2", &[]).await;
    assert_eq!(fields(&r), ["state"]);
    let r = add_member(&app, &xu, id, "tang.kai", "开发").await;
    assert_eq!(fields(&r), ["state"]);
    let v = version(&app, "projects", id).await;
    let form = with(&with(&project_form(&app, "状态规则测试", "finance", "xu.ming", "zhao.min").await, "id", &sid), "version", &v);
    let r = app.call("projects/init_save", &refs(&form), Some(&xu)).await;
    assert_eq!(fields(&r), ["state"]);
    let r = app.call("projects/init_form", &[("id", &sid)], Some(&xu)).await;
    assert_eq!(r.json()["editable"], "Nothing");

    // Executing with a baseline: dates and amounts move (the forecast), kind, weight and category do not.
    app.db
        .read()
        .execute("UPDATE projects SET status = 'executing', baseline_version = 1 WHERE id = $1", args![id])
        .await
        .expect("executing");
    app.db
        .read()
        .execute("UPDATE project_tasks SET baseline_start = planned_start, baseline_end = planned_end WHERE id = $1", args![t])
        .await
        .expect("baseline");
    app.db.read().execute("UPDATE project_budget_lines SET baseline_amount_minor = amount_minor WHERE id = $1", args![line]).await.expect("bl");
    let r = save_task(&app, &xu, id, Some(t), "实施", "task", &day(10), &day(50), "xu.ming", "2", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (end, bend): (NaiveDate, Option<NaiveDate>) =
        app.db.read().fetch_one("SELECT planned_end, baseline_end FROM project_tasks WHERE id = $1", args![t]).await.expect("t");
    assert_eq!((end.to_string(), bend.map(|d| d.to_string())), (day(50), Some(day(40))), "the baseline stays");
    let r = save_task(&app, &xu, id, Some(t), "实施", "milestone", &day(10), &day(10), "xu.ming", "5", &[]).await;
    assert_eq!(fields(&r), ["kind", "weight"]);
    let v = version(&app, "project_tasks", t).await;
    let r = app.call("projects/init_delete_task", &[("id", &t.to_string()), ("version", &v)], Some(&xu)).await;
    assert_eq!(fields(&r), ["state"], "a baselined task stays");
    let r = save_task(&app, &xu, id, None, "追加任务", "task", &day(20), &day(30), "xu.ming", "1", &[]).await;
    assert!(r.status.is_success(), "tasks may be added while executing: {}", r.body);
    let lv = version(&app, "project_budget_lines", line).await;
    let r = app
        .call("projects/init_save_budget_line", &[("project_id", &sid), ("id", &line.to_string()), ("version", &lv), ("input[category]", "travel"), ("input[description]", "工时"), ("input[amount]", "1500")], Some(&xu))
        .await;
    assert_eq!(fields(&r), ["category"]);
    let r = app
        .call("projects/init_save_budget_line", &[("project_id", &sid), ("id", &line.to_string()), ("version", &lv), ("input[category]", "labour"), ("input[description]", "工时"), ("input[amount]", "1500")], Some(&xu))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let lv = version(&app, "project_budget_lines", line).await;
    let r = app.call("projects/init_delete_budget_line", &[("id", &line.to_string()), ("version", &lv)], Some(&xu)).await;
    assert_eq!(fields(&r), ["state"]);
    let r = app.call("projects/init_delete_risk", &[("id", &risk.to_string()), ("version", "1")], Some(&xu)).await;
    assert_eq!(fields(&r), ["state"], "close a risk instead once executing");
    // While a change request is in review, the schedule and budget stay as proposed.
    let cr: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO project_change_requests (project_id, seq, reason, proposed_end, proposed_budget_minor, status, version, created_at, updated_at) \
             VALUES ($1, 1, $2, $3, $4, 'in_review', 1, $5, $5) RETURNING id",
            args![id, "延期两周", company_today(Utc::now()) + Duration::days(134), 80_000_000i64, Utc::now()],
        )
        .await
        .expect("change request");
    let r = save_task(&app, &xu, id, Some(t), "实施", "task", &day(10), &day(55), "xu.ming", "2", &[]).await;
    assert_eq!(fields(&r), ["state"]);
    assert_eq!(r.json()["Validation"][0]["key"], "projects_init.val_change_in_review");
    let lv = version(&app, "project_budget_lines", line).await;
    let r = app
        .call("projects/init_save_budget_line", &[("project_id", &sid), ("id", &line.to_string()), ("version", &lv), ("input[category]", "labour"), ("input[description]", "工时"), ("input[amount]", "1800")], Some(&xu))
        .await;
    assert_eq!(fields(&r), ["state"]);
    let r = app.call("projects/init_plan", &[("id", &sid)], Some(&xu)).await;
    assert_eq!(r.json()["change_in_review"], true);
    // Risks (not part of the baseline) are still maintained.
    let r = app
        .call(
            "projects/init_save_risk",
            &[("project_id", &sid), ("id", &risk.to_string()), ("version", "1"), ("input[title]", "延期"), ("input[description]", ""), ("input[likelihood]", "2"), ("input[impact]", "2"), ("input[response]", "加人"), ("input[owner_id]", &app.user_id("xu.ming").await.to_string()), ("input[status]", "closed")],
            Some(&xu),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    app.db.read().execute("UPDATE project_change_requests SET status = 'withdrawn' WHERE id = $1", args![cr]).await.expect("withdraw");
    let r = save_task(&app, &xu, id, Some(t), "实施", "task", &day(10), &day(55), "xu.ming", "2", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    // The project form: only the words change while executing; dates and budget stay.
    let v = version(&app, "projects", id).await;
    let mut form = with(&with(&project_form(&app, "状态规则测试（改名）", "finance", "xu.ming", "zhao.min").await, "id", &sid), "version", &v);
    form = with(&with(&form, "input[budget]", ""), "input[start_date]", "");
    let r = app.call("projects/init_save", &refs(&form), Some(&xu)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let (name, budget, start): (String, i64, NaiveDate) =
        app.db.read().fetch_one("SELECT name, budget_minor, start_date FROM projects WHERE id = $1", args![id]).await.expect("p");
    assert_eq!((name.as_str(), budget, start.to_string()), ("状态规则测试（改名）", 80_000_000, day(10)));
    // A stale project version is a conflict carrying the stored values.
    let r = app.call("projects/init_save", &refs(&form), Some(&xu)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["Conflict"]["current"]["name"], "状态规则测试（改名）");
});

both!(cancel_with_reason_withdraws_pending_work, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let id = create(&app, &xu, "取消测试").await;
    let sid = id.to_string();
    // In review, with a pending step and its task in the PMO's My work.
    let now = Utc::now();
    app.db.read().execute("UPDATE projects SET status = 'plan_review', plan_round = 1 WHERE id = $1", args![id]).await.expect("review");
    let pmo = dept(&app, "pmo").await;
    let step: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO project_approvals (project_id, round, step, department_id, status, version, created_at, updated_at) \
             VALUES ($1, 1, 'review', $2, 'pending', 1, $3, $3) RETURNING id",
            args![id, pmo, now],
        )
        .await
        .expect("step");
    app.db
        .read()
        .execute(
            "INSERT INTO inbox_items (recipient_department_id, kind, title_key, link, source_entity, source_id, version, created_at, updated_at) \
             VALUES ($1, 'task', 'projects.task_review_plan', $2, 'project_approval', $3, 1, $4, $4)",
            args![pmo, format!("/projects/{id}/approval"), step, now],
        )
        .await
        .expect("inbox");
    // A member (not manager, not leader) may not cancel.
    assert!(add_member(&app, &xu, id, "tang.kai", "开发").await.status.as_u16() == 422, "read-only in review");
    let tang = app.sign_in("tang.kai", PASSWORD).await;
    let v = version(&app, "projects", id).await;
    let r = app.call("projects/init_cancel", &[("id", &sid), ("version", &v), ("reason", "x")], Some(&tang)).await;
    assert_eq!(r.status, 404, "not on the team: {}", r.body);
    // A reason is required.
    let zhao = app.sign_in("zhao.min", PASSWORD).await;
    let r = app.call("projects/init_cancel", &[("id", &sid), ("version", &v), ("reason", " ")], Some(&zhao)).await;
    assert_eq!(fields(&r), ["reason"]);
    let r = app.call("projects/init_cancel", &[("id", &sid), ("version", "99"), ("reason", "预算冻结")], Some(&zhao)).await;
    assert_eq!(r.status, 409);
    // The leader cancels it.
    let r = app.call("projects/init_cancel", &[("id", &sid), ("version", &v), ("reason", "公司年度预算冻结")], Some(&zhao)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let status: String = app.db.read().scalar("SELECT status FROM projects WHERE id = $1", args![id]).await.expect("status");
    assert_eq!(status, "cancelled");
    let step_status: String = app.db.read().scalar("SELECT status FROM project_approvals WHERE id = $1", args![step]).await.expect("step");
    assert_eq!(step_status, "withdrawn");
    let open: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'project_approval' AND source_id = $1 AND done_at IS NULL", args![step])
        .await
        .expect("open");
    assert_eq!(open, 0);
    let r = app.call("projects/init_overview", &[("id", &sid)], Some(&xu)).await;
    assert_eq!(r.json()["cancel_reason"], "公司年度预算冻结");
    assert_eq!(audits(&app, "project", id).await, ["create", "cancel"]);
    // Nothing more to cancel or change.
    let v = version(&app, "projects", id).await;
    let r = app.call("projects/init_cancel", &[("id", &sid), ("version", &v), ("reason", "再次")], Some(&zhao)).await;
    assert_eq!(fields(&r), ["state"]);
    let r = save_task(&app, &xu, id, None, "新任务", "task", &day(10), &day(12), "xu.ming", "1", &[]).await;
    assert_eq!(fields(&r), ["state"]);
});

both!(list_filters_sorting_and_paging, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let first = create(&app, &xu, "列表测试-甲").await;
    // Thirty more by direct SQL (paging), requested by logistics.
    let now = Utc::now();
    let logistics = dept(&app, "logistics").await;
    let pm = app.user_id("he.na").await;
    let sponsor = app.user_id("sun.wei").await;
    for i in 0..30 {
        app.db
            .read()
            .execute(
                "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, start_date, end_date, budget_minor, \
                 status, health, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, 1, $10, $10)",
                args![
                    format!("XM-T-{i:04}"),
                    format!("列表测试-批量{i:02}"),
                    logistics,
                    pm,
                    sponsor,
                    company_today(now),
                    company_today(now) + Duration::days(30),
                    if i % 3 == 0 { "executing" } else { "initiating" },
                    if i % 2 == 0 { "red" } else { "green" },
                    now
                ],
            )
            .await
            .expect("project");
    }
    let wu = app.sign_in("wu.hao", PASSWORD).await;
    let r = app.call("projects/init_list", &[("query[q]", "列表测试")], Some(&wu)).await;
    let page = r.json()["page"].clone();
    assert_eq!(page["total"], 31, "{}", r.body);
    assert_eq!(page["rows"].as_array().map(|a| a.len()), Some(25));
    let next = page["next"].as_str().expect("a next page").to_string();
    let r = app.call("projects/init_list", &[("query[q]", "列表测试"), ("query[after]", &next)], Some(&wu)).await;
    let rows = r.json()["page"]["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 6);
    assert!(r.json()["page"]["next"].is_null());
    // Sorted by name, descending: the batch's last first.
    let r = app.call("projects/init_list", &[("query[q]", "列表测试-批量"), ("query[sort]", "name"), ("query[dir]", "desc")], Some(&wu)).await;
    assert_eq!(r.json()["page"]["rows"][0]["name"], "列表测试-批量29");
    // Filters: status, department, health (only for projects under way), mine.
    let r = app.call("projects/init_list", &[("query[q]", "列表测试"), ("query[status]", "executing")], Some(&wu)).await;
    assert_eq!(r.json()["page"]["total"], 10);
    let r = app.call("projects/init_list", &[("query[q]", "列表测试"), ("query[dept]", &logistics.to_string())], Some(&wu)).await;
    assert_eq!(r.json()["page"]["total"], 30);
    let r = app.call("projects/init_list", &[("query[q]", "列表测试"), ("query[health]", "red")], Some(&wu)).await;
    assert_eq!(r.json()["page"]["total"], 5, "red and executing: 0, 6, 12, 18, 24");
    let r = app.call("projects/init_list", &[("query[q]", "列表测试"), ("query[mine]", "1")], Some(&xu)).await;
    assert_eq!(r.json()["page"]["total"], 1);
    assert_eq!(r.json()["page"]["rows"][0]["id"], first);
    // By number.
    let r = app.call("projects/init_list", &[("query[q]", "XM-T-0007")], Some(&wu)).await;
    assert_eq!(r.json()["page"]["rows"][0]["name"], "列表测试-批量07");
    // The logistics manager sees the department's requests, not finance's.
    let guo = app.sign_in("guo.peng", PASSWORD).await;
    let r = app.call("projects/init_list", &[("query[q]", "列表测试")], Some(&guo)).await;
    assert_eq!(r.json()["page"]["total"], 30);
});

both!(pages_render_for_those_who_may_see, |app| {
    let xu = app.sign_in("xu.ming", PASSWORD).await;
    let id = create(&app, &xu, "页面渲染测试").await;
    for path in ["/projects", "/projects/new", &format!("/projects/{id}"), &format!("/projects/{id}/plan"), &format!("/projects/{id}/edit")] {
        let r = app.get(path, Some(&xu)).await;
        assert_eq!(r.status, 200, "{path}: {}", r.status);
    }
    let r = app.get(&format!("/projects/{id}"), Some(&xu)).await;
    assert!(r.body.contains("页面渲染测试") && r.body.contains("项目团队") && r.body.contains("计划准备情况"), "overview");
    let r = app.get(&format!("/projects/{id}/plan"), Some(&xu)).await;
    assert!(r.body.contains("进度计划") && r.body.contains("质量计划") && r.body.contains("风险管理计划"), "plan");
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.get(&format!("/projects/{id}"), Some(&wang)).await;
    assert!(!r.body.contains("项目团队"), "a stranger does not see the project");
});
