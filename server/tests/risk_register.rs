//! Risk register and assessment (5.1, 5.1-a, 2.4.3-d): registering with
//! errors at the fields, who sees which risks, assessment history and the
//! current score, escalation to the owner's leader and the linked project's
//! warning, the project plan's link into the register, round submission
//! refused then accepted, and rule 5.1-a. Each test on SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::perm::Viewer;
use app::core::time::company_today;
use chrono::{Duration, Utc};
use common::{PASSWORD, TestApp};

async fn dept(app: &TestApp, code: &str) -> i64 {
    app.db.read().scalar("SELECT id FROM departments WHERE code = $1", args![code]).await.expect("department")
}

async fn category(app: &TestApp, code: &str) -> i64 {
    app.db.read().scalar("SELECT id FROM risk_categories WHERE code = $1", args![code]).await.expect("category")
}

fn fields(r: &common::Resp) -> Vec<String> {
    r.json()["Validation"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

async fn viewer(app: &TestApp, username: &str) -> Viewer {
    let (id, d, role): (i64, i64, String) =
        app.db.read().fetch_one("SELECT id, department_id, role FROM users WHERE username = $1", args![username]).await.expect("user");
    Viewer { user_id: id, department_id: d, role: app::core::perm::Role::parse(&role).expect("role") }
}

/// Registers a risk as `cookie`'s user; returns its id.
async fn register(app: &TestApp, cookie: &str, name: &str, dept_code: &str, owner: &str, extra: &[(&str, String)]) -> i64 {
    let d = dept(app, dept_code).await.to_string();
    let o = app.user_id(owner).await.to_string();
    let c = category(app, "operational").await.to_string();
    let mut form: Vec<(&str, String)> = vec![
        ("id", String::new()),
        ("version", String::new()),
        ("input[name]", name.to_string()),
        ("input[description]", "关键设备突发故障导致停线".to_string()),
        ("input[source]", "设备老化".to_string()),
        ("input[category_id]", c),
        ("input[department_id]", d),
        ("input[owner_id]", o),
    ];
    form.extend(extra.iter().cloned());
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.call("risk/reg_save", &refs, Some(cookie)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    app.db.read().scalar("SELECT id FROM risks WHERE name = $1", args![name]).await.expect("risk id")
}

async fn version(app: &TestApp, id: i64) -> String {
    let v: i64 = app.db.read().scalar("SELECT version FROM risks WHERE id = $1", args![id]).await.expect("version");
    v.to_string()
}

async fn assess(app: &TestApp, cookie: &str, id: i64, kind: &str, l: i64, i: i64) -> common::Resp {
    let v = version(app, id).await;
    let (id, l, i) = (id.to_string(), l.to_string(), i.to_string());
    app.call(
        "risk/reg_assess",
        &[
            ("id", id.as_str()),
            ("version", v.as_str()),
            ("input[kind]", kind),
            ("input[likelihood]", l.as_str()),
            ("input[impact]", i.as_str()),
            ("input[probability]", "30"),
            ("input[loss]", "200,000"),
            ("input[rationale]", "季度复核"),
        ],
        Some(cookie),
    )
    .await
}

both!(register_validates_and_numbers, |app| {
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    // Errors at the fields: no name, an owner of another department.
    let d = dept(&app, "production").await.to_string();
    let c = category(&app, "market").await.to_string();
    let other = app.user_id("wang.fang").await.to_string();
    let r = app
        .call(
            "risk/reg_save",
            &[("id", ""), ("version", ""), ("input[name]", " "), ("input[category_id]", &c), ("input[department_id]", &d), ("input[owner_id]", &other)],
            Some(&zhu),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(fields(&r), ["name"]);
    let r = app
        .call(
            "risk/reg_save",
            &[("id", ""), ("version", ""), ("input[name]", "数控机床故障"), ("input[category_id]", &c), ("input[department_id]", &d), ("input[owner_id]", &other)],
            Some(&zhu),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(fields(&r), ["owner_id"]);
    assert_eq!(r.json()["Validation"][0]["key"], "risk_reg.val_owner_department");
    // A manager registers for his own department only.
    let sales = dept(&app, "sales").await.to_string();
    let li = app.user_id("li.qiang").await.to_string();
    let r = app
        .call(
            "risk/reg_save",
            &[("id", ""), ("version", ""), ("input[name]", "越权登记"), ("input[category_id]", &c), ("input[department_id]", &sales), ("input[owner_id]", &li)],
            Some(&zhu),
        )
        .await;
    assert_eq!(fields(&r), ["department_id"]);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risks WHERE name IN ('数控机床故障', '越权登记')", vec![]).await.expect("count");
    assert_eq!(n, 0, "nothing half-written");

    let id = register(&app, &zhu, "数控机床主轴故障", "production", "hu.bin", &[]).await;
    let (number, status, cur): (String, String, Option<i64>) =
        app.db.read().fetch_one("SELECT number, status, current_score FROM risks WHERE id = $1", args![id]).await.expect("risk");
    assert!(number.starts_with(&format!("FX-{}-", app::core::time::company_year(Utc::now()))), "{number}");
    assert_eq!((status.as_str(), cur), ("identified", None));
    let audits: i64 =
        app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'risk' AND record_id = $1 AND action = 'create'", args![id]).await.expect("audit");
    assert_eq!(audits, 1);
    // A stale version is a conflict.
    let r = app
        .call(
            "risk/reg_save",
            &[
                ("id", &id.to_string()),
                ("version", "7"),
                ("input[name]", "数控机床主轴故障（更新）"),
                ("input[category_id]", &c),
                ("input[department_id]", &d),
                ("input[owner_id]", &app.user_id("hu.bin").await.to_string()),
            ],
            Some(&zhu),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
});

both!(visibility_by_department, |app| {
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    let id = register(&app, &zhu, "焊接机器人停机", "production", "hu.bin", &[]).await;
    // Staff of another department: not found, and not in their register.
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/reg_page", &[("id", &id.to_string())], Some(&wang)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app.call("risk/reg_list", &[("query[q]", "焊接机器人")], Some(&wang)).await;
    assert_eq!(r.json()["page"]["total"], 0);
    // The owner, the risk department and executives see it; the owner may assess.
    for who in ["hu.bin", "gao.jun", "sun.wei"] {
        let c = app.sign_in(who, PASSWORD).await;
        let r = app.call("risk/reg_page", &[("id", &id.to_string())], Some(&c)).await;
        assert_eq!(r.status, 200, "{who}: {}", r.body);
        let r = app.call("risk/reg_list", &[("query[q]", "焊接机器人")], Some(&c)).await;
        assert_eq!(r.json()["page"]["total"], 1, "{who}");
    }
    // Someone who sees nothing of it may not assess it either.
    let r = assess(&app, &wang, id, "inherent", 2, 2).await;
    assert_eq!(r.status, 404);
    // Holding one of its measures shows it (store::scope).
    let sees = |c: String| {
        let app = &app;
        async move {
            let page = app.call("risk/reg_page", &[("id", &id.to_string())], Some(&c)).await.status == 200;
            let list = app.call("risk/reg_list", &[("query[q]", "焊接机器人")], Some(&c)).await.json()["page"]["total"] == 1;
            assert_eq!(page, list, "the page and the register agree");
            page
        }
    };
    let mut tx = app.db.begin().await.expect("tx");
    tx.execute(
        "INSERT INTO risk_measures (risk_id, action, owner_id, due_on, created_at, updated_at) VALUES ($1, '备用控制器', $2, '2099-01-01', $3, $3)",
        args![id, app.user_id("wang.fang").await, Utc::now()],
    )
    .await
    .expect("measure");
    tx.commit().await.expect("commit");
    assert!(sees(wang.clone()).await, "a measure's owner sees its risk");
    // So do the manager and the leader of the project it belongs to, once it does
    // (the demo's leaders are executives, who see everything: li.qiang leads it here).
    let (pid, pm): (i64, String) = app
        .db
        .read()
        .fetch_one(
            "SELECT p.id, m.username FROM projects p JOIN users m ON m.id = p.manager_id JOIN departments md ON md.id = m.department_id \
             WHERE m.role IN ('manager', 'staff') AND md.code NOT IN ('production', 'risk') AND m.username <> 'li.qiang' ORDER BY p.id LIMIT 1",
            vec![],
        )
        .await
        .expect("a project managed outside production");
    let mut tx = app.db.begin().await.expect("tx");
    tx.execute("UPDATE projects SET sponsor_id = $1 WHERE id = $2", args![app.user_id("li.qiang").await, pid]).await.expect("leader");
    tx.commit().await.expect("commit");
    let leader = "li.qiang".to_string();
    let (pm, leader) = (app.sign_in(&pm, PASSWORD).await, app.sign_in(&leader, PASSWORD).await);
    assert!(!sees(pm.clone()).await && !sees(leader.clone()).await);
    let mut tx = app.db.begin().await.expect("tx");
    tx.execute("UPDATE risks SET project_id = $1 WHERE id = $2", args![pid, id]).await.expect("link");
    tx.commit().await.expect("commit");
    assert!(sees(pm).await && sees(leader).await, "the project's manager and leader see its risk");
});

both!(assessment_history_and_current_score, |app| {
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    let id = register(&app, &zhu, "涂装线废气超标", "production", "hu.bin", &[]).await;
    // Residual before inherent is refused.
    let r = assess(&app, &zhu, id, "residual", 2, 2).await;
    assert_eq!(fields(&r), ["kind"]);
    let r = assess(&app, &zhu, id, "inherent", 3, 3).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = assess(&app, &zhu, id, "residual", 2, 2).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (status, inh, res, cur, el): (String, Option<i64>, Option<i64>, Option<i64>, Option<i64>) = app
        .db
        .read()
        .fetch_one("SELECT status, inherent_score, residual_score, current_score, expected_loss_minor FROM risks WHERE id = $1", args![id])
        .await
        .expect("risk");
    assert_eq!((status.as_str(), inh, res, cur), ("assessed", Some(9), Some(4), Some(4)));
    // 30 % of ¥200,000.00
    assert_eq!(el, Some(6_000_000));
    // A new inherent assessment keeps the residual as the current score.
    let r = assess(&app, &zhu, id, "inherent", 4, 3).await;
    assert!(r.status.is_success(), "{}", r.body);
    let cur: Option<i64> = app.db.read().scalar("SELECT current_score FROM risks WHERE id = $1", args![id]).await.expect("score");
    assert_eq!(cur, Some(4));
    let hist: Vec<(String, i64, String)> =
        app.db.read().fetch_all("SELECT kind, score, level FROM risk_assessments WHERE risk_id = $1 ORDER BY id", args![id]).await.expect("history");
    assert_eq!(
        hist,
        vec![("inherent".into(), 9, "medium".into()), ("residual".into(), 4, "low".into()), ("inherent".into(), 12, "high".into())]
    );
    let r = app.call("risk/reg_page", &[("id", &id.to_string())], Some(&zhu)).await;
    assert_eq!(r.json()["history"].as_array().map(|a| a.len()), Some(3));
    // Bad input: nothing written.
    let v = version(&app, id).await;
    let r = app
        .call(
            "risk/reg_assess",
            &[("id", &id.to_string()), ("version", &v), ("input[kind]", "inherent"), ("input[likelihood]", "6"), ("input[impact]", "2"), ("input[probability]", "150"), ("input[rationale]", "")],
            Some(&zhu),
        )
        .await;
    assert_eq!(fields(&r), ["likelihood", "probability", "rationale"]);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_assessments WHERE risk_id = $1", args![id]).await.expect("count");
    assert_eq!(n, 3);
    // Closed risks are not assessed; reopened they are.
    let r = app.call("risk/reg_close", &[("id", &id.to_string()), ("version", &v), ("reason", "生产线已改造")], Some(&zhu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = assess(&app, &zhu, id, "residual", 1, 1).await;
    assert_eq!(fields(&r), ["state"]);
    let r = app.call("risk/reg_list", &[("query[q]", "涂装线")], Some(&zhu)).await;
    assert_eq!(r.json()["page"]["total"], 0, "closed risks are hidden");
    let r = app.call("risk/reg_list", &[("query[q]", "涂装线"), ("query[status]", "closed")], Some(&zhu)).await;
    assert_eq!(r.json()["page"]["total"], 1);
});

both!(rise_to_high_escalates_and_warns_the_project, |app| {
    // An executive registers a production risk linked to an executing project.
    let (pid, manager, sponsor): (i64, i64, i64) = app
        .db
        .read()
        .fetch_one("SELECT id, manager_id, sponsor_id FROM projects WHERE status = 'executing' ORDER BY id LIMIT 1", vec![])
        .await
        .expect("executing project");
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let id = register(&app, &exec, "调试设备交付延误", "production", "hu.bin", &[("input[project_id]", pid.to_string())]).await;
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    // Medium: no escalation.
    let r = assess(&app, &zhu, id, "inherent", 3, 3).await;
    assert!(r.status.is_success(), "{}", r.body);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_escalations WHERE risk_id = $1", args![id]).await.expect("count");
    assert_eq!(n, 0);
    // 4 × 4 = 16: high → escalated to hu.bin's leader (zhu.gang) at once.
    let r = assess(&app, &zhu, id, "inherent", 4, 4).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (to, from, lvl): (i64, Option<String>, Option<String>) = app
        .db
        .read()
        .fetch_one("SELECT escalated_to, from_level, to_level FROM risk_escalations WHERE risk_id = $1", args![id])
        .await
        .expect("escalation");
    assert_eq!((to, from.as_deref(), lvl.as_deref()), (app.user_id("zhu.gang").await, Some("medium"), Some("high")));
    let n: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND title_key = $2 AND link = $3", args![to, "risk.escalated_high", format!("/risks/{id}")])
        .await
        .expect("notification");
    assert_eq!(n, 1);
    // 2.4.3-d: the project's manager and leader are warned.
    for u in [manager, sponsor] {
        let n: i64 = app
            .db
            .read()
            .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND title_key = $2 AND source_id = $3", args![u, "risk.project_linked_high", id])
            .await
            .expect("warning");
        assert_eq!(n, 1, "user {u}");
    }
    // Staying high is no new escalation; rising to critical is.
    let r = assess(&app, &zhu, id, "inherent", 4, 3).await;
    assert!(r.status.is_success());
    let r = assess(&app, &zhu, id, "inherent", 5, 4).await;
    assert!(r.status.is_success());
    let levels: Vec<(Option<String>,)> =
        app.db.read().fetch_all("SELECT to_level FROM risk_escalations WHERE risk_id = $1 ORDER BY id", args![id]).await.expect("escalations");
    assert_eq!(levels, vec![(Some("high".into()),), (Some("critical".into()),)]);
});

both!(project_plan_risk_goes_into_the_register, |app| {
    // A plan risk not yet in the register, and the person managing its project.
    let (prid, pid, l, i, username): (i64, i64, i64, i64, String) = app
        .db
        .read()
        .fetch_one(
            "SELECT pr.id, pr.project_id, pr.likelihood, pr.impact, u.username FROM project_risks pr JOIN projects p ON p.id = pr.project_id \
             JOIN users u ON u.id = p.manager_id WHERE pr.risk_id IS NULL ORDER BY pr.id LIMIT 1",
            vec![],
        )
        .await
        .expect("plan risk");
    // Someone without the project: not found.
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/reg_from_project", &[("id", &prid.to_string())], Some(&wang)).await;
    assert!(r.status == 404 || r.status == 403, "{}", r.body);
    let pm = app.sign_in(&username, PASSWORD).await;
    let r = app.call("risk/reg_from_project", &[("id", &prid.to_string())], Some(&pm)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let rid: i64 = app.db.read().scalar("SELECT risk_id FROM project_risks WHERE id = $1", args![prid]).await.expect("linked");
    let (project, dept, cat, score, status): (Option<i64>, i64, String, Option<i64>, String) = app
        .db
        .read()
        .fetch_one(
            "SELECT r.project_id, r.department_id, c.code, r.inherent_score, r.status FROM risks r JOIN risk_categories c ON c.id = r.category_id WHERE r.id = $1",
            args![rid],
        )
        .await
        .expect("risk");
    let req: i64 = app.db.read().scalar("SELECT requesting_department_id FROM projects WHERE id = $1", args![pid]).await.expect("dept");
    assert_eq!((project, dept, cat.as_str(), score, status.as_str()), (Some(pid), req, "operational", Some(l * i), "assessed"));
    // Twice is refused; the plan shows the link.
    let r = app.call("risk/reg_from_project", &[("id", &prid.to_string())], Some(&pm)).await;
    assert_eq!(fields(&r), ["state"]);
    let r = app.call("risk/reg_project_links", &[("project_id", &pid.to_string())], Some(&pm)).await;
    assert!(r.body.contains(&format!("\"risk_id\":{rid}")), "{}", r.body);
});

both!(round_submission_refused_then_accepted, |app| {
    let luo = app.sign_in("luo.yan", PASSWORD).await;
    let today = company_today(Utc::now());
    let prod = dept(&app, "production").await;
    // Only the risk office opens rounds.
    let zhu = app.sign_in("zhu.gang", PASSWORD).await;
    let form = |d: &str| {
        vec![
            ("input[name]".to_string(), "专项风险评估".to_string()),
            ("input[period]".to_string(), "2026-专项".to_string()),
            ("input[starts_on]".to_string(), today.to_string()),
            ("input[due_on]".to_string(), (today + Duration::days(10)).to_string()),
            ("input[note]".to_string(), String::new()),
            ("departments[0]".to_string(), d.to_string()),
        ]
    };
    let f = form(&prod.to_string());
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.call("risk/reg_open_round", &refs, Some(&zhu)).await;
    assert_eq!(r.status, 403);
    let r = app.call("risk/reg_open_round", &refs, Some(&luo)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let round: i64 = app.db.read().scalar("SELECT id FROM risk_rounds WHERE name = '专项风险评估'", vec![]).await.expect("round");
    let (rd, v): (i64, i64) =
        app.db.read().fetch_one("SELECT id, version FROM risk_round_departments WHERE round_id = $1", args![round]).await.expect("row");
    let task: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'risk_round_department' AND source_id = $1 AND recipient_department_id = $2 AND done_at IS NULL", args![rd, prod])
        .await
        .expect("task");
    assert_eq!(task, 1);
    // Refused while an open production risk has no assessment since the round started.
    let open: Vec<(i64, String)> = app
        .db
        .read()
        .fetch_all("SELECT id, number FROM risks WHERE department_id = $1 AND status <> 'closed' ORDER BY id", args![prod])
        .await
        .expect("open risks");
    assert!(!open.is_empty());
    let submit = |v: i64| {
        vec![("round_id".to_string(), round.to_string()), ("id".to_string(), rd.to_string()), ("version".to_string(), v.to_string()), ("comment".to_string(), "已复核".to_string())]
    };
    let s = submit(v);
    let refs: Vec<(&str, &str)> = s.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // Only the department's manager submits.
    let hu = app.sign_in("hu.bin", PASSWORD).await;
    assert_eq!(app.call("risk/reg_submit_round", &refs, Some(&hu)).await.status, 403);
    let r = app.call("risk/reg_submit_round", &refs, Some(&zhu)).await;
    assert_eq!(fields(&r), ["state"], "{}", r.body);
    assert_eq!(r.json()["Validation"][0]["key"], "risk_reg.val_unassessed");
    assert!(r.body.contains(&open[0].1), "lists the risks: {}", r.body);
    // Assessed, the submission is accepted and the task done.
    for (id, _) in &open {
        let r = assess(&app, &zhu, *id, "inherent", 2, 2).await;
        assert!(r.status.is_success(), "{}", r.body);
    }
    let r = app.call("risk/reg_submit_round", &refs, Some(&zhu)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (status, count): (String, i64) =
        app.db.read().fetch_one("SELECT status, risk_count FROM risk_round_departments WHERE id = $1", args![rd]).await.expect("row");
    assert_eq!((status.as_str(), count), ("submitted", open.len() as i64));
    let open_tasks: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'risk_round_department' AND source_id = $1 AND done_at IS NULL", args![rd])
        .await
        .expect("tasks");
    assert_eq!(open_tasks, 0);
    // The risk office returns it with a reason: the department has a task again.
    let v: i64 = app.db.read().scalar("SELECT version FROM risk_round_departments WHERE id = $1", args![rd]).await.expect("version");
    let r = app
        .call("risk/reg_return_round", &[("round_id", &round.to_string()), ("id", &rd.to_string()), ("version", &v.to_string()), ("reason", "请补充量化评估")], Some(&luo))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let open_tasks: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'risk_round_department' AND source_id = $1 AND done_at IS NULL", args![rd])
        .await
        .expect("tasks");
    assert_eq!(open_tasks, 1);
    let page = app.call("risk/reg_round", &[("id", &round.to_string())], Some(&zhu)).await;
    assert_eq!(page.json()["departments"][0]["status"], "returned");
    assert_eq!(page.json()["my_row"], rd);
});

both!(rule_5_1_a_counts, |app| {
    let now = Utc::now();
    let exec = viewer(&app, "zhao.min").await;
    // The demo: this quarter's round is open and not yet due, last quarter's complete.
    let st = app::risk::register::rules::rounds_completed(&app.db, &exec, now).await.expect("rule");
    assert_eq!(st.count, 0, "{:?}", st.violations);
    // A quarter without any round: one violation.
    let later = now + Duration::days(120);
    let st = app::risk::register::rules::rounds_completed(&app.db, &exec, later).await.expect("rule");
    assert_eq!(st.count, 1);
    assert_eq!(st.violations[0].link, "/risks/rounds");
    // A round of this quarter past its due date: each department not submitted counts.
    let today = company_today(now);
    let start = app::risk::register::model::quarter_start(today);
    if today > start {
        let luo = app.user_id("luo.yan").await;
        let round: i64 = app
            .db
            .read()
            .scalar(
                "INSERT INTO risk_rounds (name, period, starts_on, due_on, status, note, opened_by, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
                args!["逾期轮次", "late", start, today - Duration::days(1), "open", "", luo, now],
            )
            .await
            .expect("round");
        for (code, status) in [("sales", "pending"), ("finance", "submitted"), ("production", "returned")] {
            let d = dept(&app, code).await;
            app.db
                .read()
                .execute(
                    "INSERT INTO risk_round_departments (round_id, department_id, status, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4)",
                    args![round, d, status, now],
                )
                .await
                .expect("row");
        }
        let st = app::risk::register::rules::rounds_completed(&app.db, &exec, now).await.expect("rule");
        assert_eq!(st.count, 2, "{:?}", st.violations);
        // A manager sees their own department only.
        let li = viewer(&app, "li.qiang").await;
        assert_eq!(app::risk::register::rules::rounds_completed(&app.db, &li, now).await.expect("rule").count, 1);
        let zheng = viewer(&app, "zheng.hong").await;
        assert_eq!(app::risk::register::rules::rounds_completed(&app.db, &zheng, now).await.expect("rule").count, 0);
    }
    assert!(app::compliance::rules::all().any(|r| r.clause == "5.1-a"));
});

both!(demo_register_tells_a_story, |app| {
    let b = app::risk::model::Bands::default();
    let rows: Vec<(Option<i64>, Option<i64>, String)> =
        app.db.read().fetch_all("SELECT inherent_score, residual_score, status FROM risks", vec![]).await.expect("risks");
    assert!(rows.len() >= 18);
    for l in app::risk::model::Level::ALL {
        assert!(rows.iter().any(|r| r.0.map(|s| b.level(s)) == Some(l)), "inherent {l:?}");
        assert!(rows.iter().any(|r| r.1.map(|s| b.level(s)) == Some(l)), "residual {l:?}");
    }
    assert_eq!(rows.iter().filter(|r| r.2 == "closed").count(), 2);
    let cats: i64 = app.db.read().scalar("SELECT COUNT(DISTINCT category_id) FROM risks", vec![]).await.expect("categories");
    assert_eq!(cats, 4);
    let depts: i64 = app.db.read().scalar("SELECT COUNT(DISTINCT department_id) FROM risks", vec![]).await.expect("departments");
    assert!(depts >= 7);
    let few: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM risks r WHERE (SELECT COUNT(*) FROM risk_assessments a WHERE a.risk_id = r.id) < 2", vec![])
        .await
        .expect("history");
    assert_eq!(few, 0);
    let linked: i64 = app.db.read().scalar("SELECT COUNT(*) FROM project_risks WHERE risk_id IS NOT NULL", vec![]).await.expect("links");
    assert!(linked >= 1);
    // This quarter's round: some departments submitted, the rest pending.
    let (sub, pending): (i64, i64) = app
        .db
        .read()
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(CASE WHEN rd.status = 'submitted' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN rd.status = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM risk_round_departments rd JOIN risk_rounds rr ON rr.id = rd.round_id WHERE rr.status = 'open'",
            vec![],
        )
        .await
        .expect("progress");
    assert!(sub >= 1 && pending >= 1, "{sub} {pending}");
});
