//! Response (5.2-a/b/d/e): acceptance above low goes pending and only an
//! executive decides it, rule 5.2-a, measures as their owners' My work tasks,
//! links checked, effectiveness reviews re-scoring the residual risk (with
//! escalation on a rise and the acceptance asked again), monitoring once every
//! measure is done and reviewed, and rule 5.2-e. Each test on SQLite and
//! PostgreSQL. Risks are written with SQL (the register is another part).
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use app::core::time::company_today;
use chrono::{Duration, Utc};
use common::{PASSWORD, TestApp};

/// A risk of the sales department owned by wang.fang, assessed (inherent)
/// at `likelihood` × `impact`.
async fn risk(app: &TestApp, name: &str, likelihood: i64, impact: i64) -> i64 {
    let db = &app.db;
    let now = Utc::now();
    let dept: i64 = db.read().scalar("SELECT id FROM departments WHERE code = $1", args!["sales"]).await.expect("dept");
    let cat: i64 = db.read().scalar("SELECT id FROM risk_categories WHERE code = $1", args!["market"]).await.expect("category");
    let owner = app.user_id("wang.fang").await;
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM risks", vec![]).await.expect("count");
    let score = likelihood * impact;
    let id: i64 = db
        .read()
        .scalar(
            "INSERT INTO risks (number, name, description, category_id, department_id, owner_id, status, inherent_likelihood, inherent_impact, \
             inherent_score, current_score, last_assessed_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'assessed', $7, $8, $9, $9, $10, 1, $10, $10) RETURNING id",
            args![format!("FX-T-{:04}", n + 1), name, "测试用风险", cat, dept, owner, likelihood, impact, score, now],
        )
        .await
        .expect("risk");
    let level = app::risk::model::Bands::default().level(score);
    db.read()
        .execute(
            "INSERT INTO risk_assessments (risk_id, kind, likelihood, impact, score, level, assessed_by, assessed_at) \
             VALUES ($1, 'inherent', $2, $3, $4, $5, $6, $7)",
            args![id, likelihood, impact, score, level.code(), owner, now],
        )
        .await
        .expect("assessment");
    id
}

async fn version(app: &TestApp, id: i64) -> String {
    let v: i64 = app.db.read().scalar("SELECT version FROM risks WHERE id = $1", args![id]).await.expect("version");
    v.to_string()
}

async fn acceptance(app: &TestApp, id: i64) -> (Option<String>, Option<String>, String) {
    app.db
        .read()
        .fetch_one("SELECT strategy, acceptance_status, status FROM risks WHERE id = $1", args![id])
        .await
        .expect("risk")
}

async fn set_strategy(app: &TestApp, cookie: &str, id: i64, strategy: &str) -> common::Resp {
    let v = version(app, id).await;
    let rid = id.to_string();
    app.call("risk/set_strategy", &[("risk_id", &rid), ("version", &v), ("strategy", strategy), ("note", "测试")], Some(cookie)).await
}

async fn decide(app: &TestApp, cookie: &str, id: i64, decision: &str, note: &str) -> common::Resp {
    let v = version(app, id).await;
    let rid = id.to_string();
    app.call("risk/decide_acceptance", &[("risk_id", &rid), ("version", &v), ("decision", decision), ("decision_note", note)], Some(cookie))
        .await
}

async fn viewer(app: &TestApp, username: &str) -> Viewer {
    let (id, dept, role): (i64, i64, String) = app
        .db
        .read()
        .fetch_one("SELECT id, department_id, role FROM users WHERE username = $1", args![username])
        .await
        .expect("user");
    Viewer { user_id: id, department_id: dept, role: Role::parse(&role).expect("role") }
}

/// Whether rule 5.2-a (or 5.2-e) lists the risk, as the risk office sees it.
async fn listed(app: &TestApp, rule: &str, id: i64) -> bool {
    let v = viewer(app, "luo.yan").await;
    let s = match rule {
        "5.2-a" => app::risk::response::rules::strategy_above_low(&app.db, &v, Utc::now()).await,
        _ => app::risk::response::rules::measures_reviewed(&app.db, &v, Utc::now()).await,
    }
    .expect("rule");
    assert!(s.count >= s.violations.len() as i64);
    s.violations.iter().any(|x| x.link == format!("/risks/{id}"))
}

async fn open_tasks(app: &TestApp, source: &str, id: i64) -> Vec<(i64, Option<String>)> {
    app.db
        .read()
        .fetch_all(
            "SELECT recipient_user_id, CAST(due_at AS TEXT) FROM inbox_items WHERE source_entity = $1 AND source_id = $2 AND done_at IS NULL \
             ORDER BY recipient_user_id",
            args![source, id],
        )
        .await
        .expect("tasks")
}

both!(acceptance_above_low_needs_an_executive, |app| {
    let id = risk(&app, "大客户流失", 4, 4).await; // 16: high
    assert!(listed(&app, "5.2-a", id).await, "no strategy above low violates 5.2-a");
    let owner = app.sign_in("wang.fang", PASSWORD).await;
    let r = set_strategy(&app, &owner, id, "accept").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (s, a, st) = acceptance(&app, id).await;
    assert_eq!((s.as_deref(), a.as_deref(), st.as_str()), (Some("accept"), Some("pending"), "responding"));
    // Every active executive has the task.
    let execs: Vec<(i64,)> = app
        .db
        .read()
        .fetch_all("SELECT id FROM users WHERE role = 'executive' AND active = $1 ORDER BY id", args![true])
        .await
        .expect("execs");
    let tasks = open_tasks(&app, "risk_acceptance", id).await;
    assert_eq!(tasks.iter().map(|t| t.0).collect::<Vec<_>>(), execs.iter().map(|e| e.0).collect::<Vec<_>>());
    assert!(execs.len() >= 2);
    assert!(listed(&app, "5.2-a", id).await, "a pending acceptance still violates 5.2-a");

    // Neither the owner nor the department's manager may decide.
    let r = decide(&app, &owner, id, "approve", "").await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    let manager = app.sign_in("li.qiang", PASSWORD).await;
    let r = decide(&app, &manager, id, "approve", "").await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    // A stale version is a conflict.
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let rid = id.to_string();
    let r = app
        .call("risk/decide_acceptance", &[("risk_id", &rid), ("version", "1"), ("decision", "approve"), ("decision_note", "")], Some(&exec))
        .await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
    let r = decide(&app, &exec, id, "approve", "同意接受").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let by: (Option<String>, Option<i64>, String) = app
        .db
        .read()
        .fetch_one("SELECT acceptance_status, acceptance_by, acceptance_note FROM risks WHERE id = $1", args![id])
        .await
        .expect("risk");
    assert_eq!(by, (Some("approved".into()), Some(app.user_id("zhao.min").await), "同意接受".into()));
    assert!(open_tasks(&app, "risk_acceptance", id).await.is_empty(), "every executive's task is done");
    let told: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND title_key = $2 AND source_id = $3",
            args![app.user_id("wang.fang").await, "risk.resp_note_approved", id],
        )
        .await
        .expect("note");
    assert_eq!(told, 1);
    assert!(!listed(&app, "5.2-a", id).await, "an approved acceptance satisfies 5.2-a");
    // Deciding again: no longer pending.
    let r = decide(&app, &exec, id, "reject", "晚了").await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let audit: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'risk' AND record_id = $1 AND action = 'approve_acceptance'", args![id])
        .await
        .expect("audit");
    assert_eq!(audit, 1);
});

both!(rejected_acceptance_violates_until_the_strategy_changes, |app| {
    let id = risk(&app, "汇率波动", 3, 3).await; // 9: medium
    let manager = app.sign_in("li.qiang", PASSWORD).await;
    let r = set_strategy(&app, &manager, id, "accept").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let exec = app.sign_in("sun.wei", PASSWORD).await;
    // A rejection needs a reason.
    let r = decide(&app, &exec, id, "reject", " ").await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("decision_note"), "{}", r.body);
    let r = decide(&app, &exec, id, "reject", "影响过大，请降低").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(acceptance(&app, id).await.1.as_deref(), Some("rejected"));
    assert!(listed(&app, "5.2-a", id).await, "a rejected acceptance violates 5.2-a");
    assert!(open_tasks(&app, "risk_acceptance", id).await.is_empty());
    // Another strategy clears the acceptance and satisfies the rule.
    let r = set_strategy(&app, &manager, id, "reduce").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (s, a, _) = acceptance(&app, id).await;
    assert_eq!((s.as_deref(), a), (Some("reduce"), None));
    assert!(!listed(&app, "5.2-a", id).await);
    // Someone from another department may not set it at all; a bad strategy is refused at the field.
    let other = app.sign_in("chen.xue", PASSWORD).await;
    let r = set_strategy(&app, &other, id, "avoid").await;
    assert_eq!(r.status.as_u16(), 404, "{}", r.body);
    let r = set_strategy(&app, &manager, id, "ignore").await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("strategy"), "{}", r.body);
});

both!(accepting_a_low_risk_needs_no_approval, |app| {
    let id = risk(&app, "办公用品涨价", 2, 2).await; // 4: low
    assert!(!listed(&app, "5.2-a", id).await, "low risks are outside 5.2-a");
    let owner = app.sign_in("wang.fang", PASSWORD).await;
    let r = set_strategy(&app, &owner, id, "accept").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let (s, a, st) = acceptance(&app, id).await;
    assert_eq!((s.as_deref(), a, st.as_str()), (Some("accept"), None, "responding"));
    assert!(open_tasks(&app, "risk_acceptance", id).await.is_empty());
    assert!(!listed(&app, "5.2-a", id).await);
});

both!(measures_are_their_owners_tasks, |app| {
    let id = risk(&app, "回款延迟", 3, 4).await;
    let manager = app.sign_in("li.qiang", PASSWORD).await;
    let rid = id.to_string();
    let zhang = app.user_id("zhang.lei").await;
    let zid = zhang.to_string();
    let yesterday = (company_today(Utc::now()) - Duration::days(1)).format("%Y-%m-%d").to_string();
    // Links must exist: an unknown clause, a script address, a project nobody has.
    for (kind, reference, field) in [("rule", "9.9-z", "link_ref"), ("url", "javascript:alert(1)", "link_ref"), ("project", "999999", "link_ref")] {
        let r = app
            .call(
                "risk/add_measure",
                &[("risk_id", &rid), ("action", "培训"), ("owner_id", &zid), ("due_on", &yesterday), ("link_kind", kind), ("link_ref", reference)],
                Some(&manager),
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{kind}: {}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    let r = app
        .call("risk/add_measure", &[("risk_id", &rid), ("action", ""), ("owner_id", &zid), ("due_on", "明天"), ("link_kind", ""), ("link_ref", "")], Some(&manager))
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("action") && r.body.contains("due_on"), "{}", r.body);
    let none: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_measures WHERE risk_id = $1", args![id]).await.expect("count");
    assert_eq!(none, 0, "nothing half-written");
    let r = app
        .call(
            "risk/add_measure",
            &[("risk_id", &rid), ("action", "组织回款培训"), ("owner_id", &zid), ("due_on", &yesterday), ("link_kind", "rule"), ("link_ref", "3.1-a")],
            Some(&manager),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let mid: i64 = r.body.trim().parse().expect("measure id");
    let tasks = open_tasks(&app, "risk_measure", mid).await;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].0, zhang);
    let overdue: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'risk_measure' AND source_id = $1 AND due_at < $2", args![mid, Utc::now()])
        .await
        .expect("overdue");
    assert_eq!(overdue, 1, "a measure past its due date is overdue in My work");
    // The measure's owner sees the risk, may change the status, not the rest.
    let owner = app.sign_in("zhang.lei", PASSWORD).await;
    let r = app.call("risk/response_view", &[("risk_id", &rid)], Some(&owner)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(r.json()["can_edit"], false);
    let midv = mid.to_string();
    let r = app
        .call("risk/update_measure", &[("id", &midv), ("version", "1"), ("status", "done"), ("action", "改掉"), ("owner_id", &zid), ("due_on", &yesterday)], Some(&owner))
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    let r = app.call("risk/update_measure", &[("id", &midv), ("version", "1"), ("status", "done")], Some(&owner)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(open_tasks(&app, "risk_measure", mid).await.is_empty(), "done closes the task");
    let (st, completed): (String, Option<chrono::NaiveDate>) =
        app.db.read().fetch_one("SELECT status, completed_on FROM risk_measures WHERE id = $1", args![mid]).await.expect("measure");
    assert_eq!(st, "done");
    assert!(completed.is_some());
    // Optimistic locking.
    let r = app.call("risk/update_measure", &[("id", &midv), ("version", "1"), ("status", "in_progress")], Some(&owner)).await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
    // Reopened by the manager for another owner: a new task for them.
    let liu = app.user_id("liu.yang").await.to_string();
    let later = (company_today(Utc::now()) + Duration::days(10)).format("%Y-%m-%d").to_string();
    let r = app
        .call(
            "risk/update_measure",
            &[("id", &midv), ("version", "2"), ("status", "in_progress"), ("action", "组织回款培训（第二期）"), ("owner_id", &liu), ("due_on", &later), ("link_kind", ""), ("link_ref", "")],
            Some(&manager),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let tasks = open_tasks(&app, "risk_measure", mid).await;
    assert_eq!(tasks.iter().map(|t| t.0).collect::<Vec<_>>(), vec![app.user_id("liu.yang").await]);
    let audits: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'risk_measure' AND record_id = $1", args![mid])
        .await
        .expect("audit");
    assert_eq!(audits, 3);
    // The measures page: zhang.lei no longer has it open; the manager sees it in the department's.
    let r = app.call("risk/measures", &[("reach", "department"), ("filter", "open"), ("after", "")], Some(&manager)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let rows = r.json()["page"]["rows"].as_array().cloned().unwrap_or_default();
    assert!(rows.iter().any(|x| x["id"] == mid), "{}", r.body);
    let r = app.call("risk/measures", &[("reach", "all"), ("filter", "all"), ("after", "")], Some(&owner)).await;
    assert_eq!(r.json()["reach"], "Mine", "staff only get their own: {}", r.body);
});

/// An "ineffective" review of the response as a whole at `l` × `i`.
async fn review(app: &TestApp, cookie: &str, id: i64, v: &str, l: &str, i: &str) -> common::Resp {
    let rid = id.to_string();
    app.call(
        "risk/add_review",
        &[("risk_id", &rid), ("version", v), ("measure_id", ""), ("effectiveness", "ineffective"), ("comments", "情况恶化"), ("likelihood", l), ("impact", i)],
        Some(cookie),
    )
    .await
}

both!(a_review_rescores_the_residual_and_escalates_a_rise, |app| {
    let id = risk(&app, "供应商违约", 2, 3).await; // 6: medium
    let manager = app.sign_in("li.qiang", PASSWORD).await;
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    assert!(set_strategy(&app, &manager, id, "accept").await.status.is_success());
    assert!(decide(&app, &exec, id, "approve", "可接受").await.status.is_success());
    // Out of range is refused at the field.
    let r = review(&app, &manager, id, &version(&app, id).await, "6", "4").await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("likelihood"), "{}", r.body);
    let r = review(&app, &manager, id, &version(&app, id).await, "4", "4").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let row: (Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<String>) = app
        .db
        .read()
        .fetch_one("SELECT residual_likelihood, residual_impact, residual_score, current_score, acceptance_status FROM risks WHERE id = $1", args![id])
        .await
        .expect("risk");
    assert_eq!(row, (Some(4), Some(4), Some(16), Some(16), Some("pending".into())), "re-scored; the approval is asked again at the higher level");
    let hist: (String, i64, String, Option<i64>) = app
        .db
        .read()
        .fetch_one("SELECT kind, score, level, review_id FROM risk_assessments WHERE risk_id = $1 ORDER BY id DESC LIMIT 1", args![id])
        .await
        .expect("history");
    assert_eq!((hist.0.as_str(), hist.1, hist.2.as_str()), ("residual", 16, "high"));
    assert!(hist.3.is_some());
    // 5.3-d: escalated to the owner's leader.
    let esc: (String, Option<String>, i64) = app
        .db
        .read()
        .fetch_one("SELECT to_level, from_level, escalated_to FROM risk_escalations WHERE risk_id = $1", args![id])
        .await
        .expect("escalation");
    assert_eq!((esc.0.as_str(), esc.1.as_deref()), ("high", Some("medium")));
    let leader_told: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = 'risk_escalation'", args![esc.2])
        .await
        .expect("told");
    assert_eq!(leader_told, 1);
    assert_eq!(open_tasks(&app, "risk_acceptance", id).await.len() as i64, {
        let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM users WHERE role = 'executive' AND active = $1", args![true]).await.expect("n");
        n
    });
    assert!(listed(&app, "5.2-a", id).await);
    // A stale version is a conflict and writes nothing.
    let before: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_reviews WHERE risk_id = $1", args![id]).await.expect("n");
    let r = review(&app, &manager, id, "1", "1", "1").await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
    let after: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_reviews WHERE risk_id = $1", args![id]).await.expect("n");
    assert_eq!(before, after);
    // Falling back does not escalate again.
    let r = review(&app, &manager, id, &version(&app, id).await, "1", "3").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_escalations WHERE risk_id = $1", args![id]).await.expect("n");
    assert_eq!(n, 1);
});

both!(rule_52e_and_monitoring, |app| {
    let id = risk(&app, "合同条款漏洞", 4, 3).await;
    let manager = app.sign_in("li.qiang", PASSWORD).await;
    assert!(set_strategy(&app, &manager, id, "reduce").await.status.is_success());
    let rid = id.to_string();
    let owner = app.user_id("wang.fang").await.to_string();
    let past = (company_today(Utc::now()) - Duration::days(3)).format("%Y-%m-%d").to_string();
    let future = (company_today(Utc::now()) + Duration::days(30)).format("%Y-%m-%d").to_string();
    let mut ids = vec![];
    for due in [&past, &future] {
        let r = app
            .call("risk/add_measure", &[("risk_id", &rid), ("action", "合同模板法务复核"), ("owner_id", &owner), ("due_on", due), ("link_kind", ""), ("link_ref", "")], Some(&manager))
            .await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        ids.push(r.body.trim().parse::<i64>().expect("id"));
    }
    let count = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            let v = Viewer { user_id: 0, department_id: 0, role: Role::Executive };
            app::risk::response::rules::measures_reviewed(&db, &v, Utc::now()).await.expect("rule").count
        }
    };
    assert!(listed(&app, "5.2-e", id).await, "past due without a review");
    let n0 = count(&app).await;
    // Cancelling the overdue measure takes it off; reopening puts it back.
    let m0 = ids[0].to_string();
    assert!(app.call("risk/update_measure", &[("id", &m0), ("version", "1"), ("status", "cancelled")], Some(&manager)).await.status.is_success());
    assert_eq!(count(&app).await, n0 - 1);
    assert!(app.call("risk/update_measure", &[("id", &m0), ("version", "2"), ("status", "done")], Some(&manager)).await.status.is_success());
    assert_eq!(count(&app).await, n0);
    // A review of that measure satisfies the rule.
    let v = version(&app, id).await;
    let r = app
        .call(
            "risk/add_review",
            &[("risk_id", &rid), ("version", &v), ("measure_id", &m0), ("effectiveness", "effective"), ("comments", "已完成"), ("likelihood", "2"), ("impact", "3")],
            Some(&manager),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(count(&app).await, n0 - 1);
    assert!(!listed(&app, "5.2-e", id).await);
    assert_eq!(acceptance(&app, id).await.2, "responding", "another measure is still open");
    // A measure of another risk is refused in the review.
    let other = risk(&app, "别的风险", 2, 2).await.to_string();
    let m1 = ids[1].to_string();
    let r = app
        .call(
            "risk/add_review",
            &[("risk_id", &other), ("version", "1"), ("measure_id", &m1), ("effectiveness", "effective"), ("comments", "x"), ("likelihood", "1"), ("impact", "1")],
            Some(&manager),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    // The last measure done and reviewed: the risk moves to monitoring.
    assert!(app.call("risk/update_measure", &[("id", &m1), ("version", "1"), ("status", "done")], Some(&manager)).await.status.is_success());
    assert_eq!(acceptance(&app, id).await.2, "responding", "done but not reviewed yet");
    let v2 = version(&app, id).await;
    let r = app
        .call(
            "risk/add_review",
            &[("risk_id", &rid), ("version", &v2), ("measure_id", &m1), ("effectiveness", "partial"), ("comments", "基本有效"), ("likelihood", "2"), ("impact", "2")],
            Some(&manager),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(acceptance(&app, id).await.2, "monitoring");
});

both!(the_demo_tells_the_story, |app| {
    // The register's demo (another part) may already have given the response
    // demo its risks; if not, write risks at every level as it would.
    let before: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_measures", vec![]).await.expect("n");
    if before == 0 {
        let pairs = [(1, 2), (2, 3), (3, 4), (4, 5), (2, 2), (3, 3), (4, 4), (5, 5), (1, 3), (3, 2), (2, 5), (4, 3), (5, 4), (2, 4), (1, 1), (3, 5)];
        for (n, (l, i)) in pairs.into_iter().enumerate() {
            risk(&app, &format!("演示风险 {n}"), l, i).await;
        }
        app::risk::response::seed::demo(&app.db).await.expect("demo");
    }
    let assessed: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM risks WHERE status <> 'closed' AND current_score IS NOT NULL", vec![])
        .await
        .expect("n");
    let zhao = app.user_id("zhao.min").await;
    let approved: Vec<(Option<i64>, Option<i64>)> = app
        .db
        .read()
        .fetch_all("SELECT current_score, acceptance_by FROM risks WHERE strategy = 'accept' AND acceptance_status = 'approved'", vec![])
        .await
        .expect("approved");
    assert_eq!(approved.len(), 1);
    assert_eq!(app::risk::model::Bands::default().level(approved[0].0.expect("score")), app::risk::model::Level::Medium);
    assert_eq!(approved[0].1, Some(zhao));
    let pending: Vec<(i64, Option<i64>)> = app
        .db
        .read()
        .fetch_all("SELECT id, current_score FROM risks WHERE acceptance_status = 'pending'", vec![])
        .await
        .expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(app::risk::model::Bands::default().level(pending[0].1.expect("score")), app::risk::model::Level::High);
    let tasks = open_tasks(&app, "risk_acceptance", pending[0].0).await;
    let sun = app.user_id("sun.wei").await;
    assert!(tasks.iter().any(|t| t.0 == zhao) && tasks.iter().any(|t| t.0 == sun));
    // Most have a strategy; some above low are left for rule 5.2-a.
    let without: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM risks WHERE status <> 'closed' AND current_score >= 5 AND strategy IS NULL", vec![])
        .await
        .expect("n");
    assert!(without > 0 && without < assessed / 3, "{without} of {assessed}");
    let v = viewer(&app, "luo.yan").await;
    let a = app::risk::response::rules::strategy_above_low(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(a.count > without, "the unanswered ones and the pending acceptance: {} / {without}", a.count);
    assert!(a.violations.iter().any(|x| x.link == format!("/risks/{}", pending[0].0)));
    // Measures: done and reviewed with a lower residual, in progress, one past due unreviewed (5.2-e), links.
    let by_status: Vec<(String, i64)> = app
        .db
        .read()
        .fetch_all("SELECT status, COUNT(*) FROM risk_measures GROUP BY status ORDER BY status", vec![])
        .await
        .expect("measures");
    for s in ["done", "in_progress", "planned"] {
        assert!(by_status.iter().any(|(x, n)| x == s && *n > 0), "{s}: {by_status:?}");
    }
    let lowered: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM risk_reviews v JOIN risks r ON r.id = v.risk_id WHERE r.residual_score < r.inherent_score", vec![])
        .await
        .expect("reviews");
    assert!(lowered > 0);
    let e = app::risk::response::rules::measures_reviewed(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(e.count > 0);
    let links: Vec<(String, String)> = app
        .db
        .read()
        .fetch_all("SELECT link_kind, link_ref FROM risk_measures WHERE link_kind IS NOT NULL ORDER BY id", vec![])
        .await
        .expect("links");
    assert!(links.iter().any(|(k, r)| k == "rule" && r == "3.1-a"), "{links:?}");
    assert!(links.iter().any(|(k, _)| k == "project"), "{links:?}");
    // Every open measure is its owner's task.
    let open: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risk_measures WHERE status IN ('planned', 'in_progress')", vec![]).await.expect("n");
    let open_tasks_n: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'risk_measure' AND done_at IS NULL", vec![])
        .await
        .expect("n");
    assert_eq!(open, open_tasks_n);
    // Running it again changes nothing.
    app::risk::response::seed::demo(&app.db).await.expect("again");
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM risks WHERE acceptance_status = 'approved'", vec![]).await.expect("n");
    assert_eq!(n, 1);
});
