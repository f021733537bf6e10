//! Monitoring (5.3): key risk indicators on live data, breach handling and
//! escalation (5.3-a/d), department risk reports (5.3-b) and the company risk
//! warning report (5.3-c) — each test on SQLite and PostgreSQL. Risks belong
//! to the register part: fixtures are direct SQL, in a department of their own
//! where figures must be exact.
use crate::common;
use app::args;
use app::core::db::Db;
use app::core::time::{company_midnight, company_today};
use app::risk::monitoring::{model::*, store};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use common::PASSWORD;

async fn id_of(db: &Db, username: &str) -> i64 {
    db.read().scalar("SELECT id FROM users WHERE username = $1", args![username]).await.expect("user")
}

async fn category(db: &Db, code: &str) -> i64 {
    db.read().scalar("SELECT id FROM risk_categories WHERE code = $1", args![code]).await.expect("category")
}

/// A department of the test's own.
async fn department(db: &Db, code: &str) -> i64 {
    let now = Utc::now();
    db.read()
        .scalar(
            "INSERT INTO departments (code, name_zh, name_en, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
            args![code, format!("测试部门{code}"), format!("Test {code}"), now],
        )
        .await
        .expect("department")
}

/// A risk; `li` = inherent likelihood and impact (its current score), `created`, `closed`.
#[allow(clippy::too_many_arguments)]
async fn risk(
    db: &Db,
    number: &str,
    cat: i64,
    dept: i64,
    owner: i64,
    li: Option<(i64, i64)>,
    created: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
) -> i64 {
    let status = if closed.is_some() {
        "closed"
    } else if li.is_some() {
        "assessed"
    } else {
        "identified"
    };
    db.read()
        .scalar(
            "INSERT INTO risks (number, name, category_id, department_id, owner_id, status, inherent_likelihood, inherent_impact, inherent_score, \
             current_score, closed_at, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, 1, $11, $11) RETURNING id",
            args![
                number,
                format!("测试风险 {number}"),
                cat,
                dept,
                owner,
                status,
                li.map(|x| x.0),
                li.map(|x| x.1),
                li.map(|x| x.0 * x.1),
                closed,
                created
            ],
        )
        .await
        .expect("risk")
}

/// An assessment history row (the level with the default bands).
async fn assessment(db: &Db, risk: i64, kind: &str, l: i64, i: i64, by: i64, at: DateTime<Utc>) {
    let level = app::risk::model::Bands::default().level_of(l, i).code();
    db.read()
        .execute(
            "INSERT INTO risk_assessments (risk_id, kind, likelihood, impact, score, level, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            args![risk, kind, l, i, l * i, level, by, at],
        )
        .await
        .expect("assessment");
}

async fn set_score(db: &Db, risk: i64, l: i64, i: i64) {
    db.read()
        .execute(
            "UPDATE risks SET inherent_likelihood = $1, inherent_impact = $2, inherent_score = $3, current_score = $3 WHERE id = $4",
            args![l, i, l * i, risk],
        )
        .await
        .expect("score");
}

async fn indicator_id(db: &Db, code: KriCode) -> i64 {
    db.read().scalar("SELECT id FROM risk_indicators WHERE code = $1", args![code.code()]).await.expect("indicator")
}

fn last_month_start(now: DateTime<Utc>) -> NaiveDate {
    let today = company_today(now);
    let first = today.with_day(1).expect("day 1");
    (first - Duration::days(1)).with_day(1).expect("day 1")
}

#[test]
fn status_from_thresholds() {
    // Higher is worse: at the warning threshold a warning, at the breach one breached.
    assert_eq!(status_of(99, 100, 200), KriStatus::Ok);
    assert_eq!(status_of(100, 100, 200), KriStatus::Warning);
    assert_eq!(status_of(199, 100, 200), KriStatus::Warning);
    assert_eq!(status_of(200, 100, 200), KriStatus::Breached);
    // Worked example: ¥1,200,000 overdue against ¥500,000 / ¥1,000,000.
    let (w, b) = KriCode::OverdueReceivables.default_thresholds();
    assert_eq!(status_of(120_000_000, w, b), KriStatus::Breached);
    assert_eq!(status_of(60_000_000, w, b), KriStatus::Warning);
    // 25 % over 90 days against 10 % / 20 %.
    let (w, b) = KriCode::Overdue90Share.default_thresholds();
    assert_eq!(status_of(share_bp(25, 100), w, b), KriStatus::Breached);
}

both!(a_receivable_going_overdue_breaches_and_escalates_once, |app| {
    let db = &app.db;
    let now = Utc::now();
    let later = now + Duration::days(15);
    store::ensure_indicators(db).await.expect("ensure");
    let kri = indicator_id(db, KriCode::OverdueReceivables).await;
    // A credit risk owned by a salesperson (likelihood 2, impact 4), bound to the indicator.
    let owner = id_of(db, "wang.fang").await;
    let kri_owner = id_of(db, "luo.yan").await;
    let sales: i64 = db.read().scalar("SELECT department_id FROM users WHERE id = $1", args![owner]).await.expect("dept");
    let r = risk(db, "FX-TEST-0001", category(db, "credit").await, sales, owner, Some((2, 4)), now - Duration::days(30), None).await;
    // The overdue amount on the later day without the new receivable: thresholds just above it.
    let base_later = store::overdue_amount(db, company_today(later)).await.expect("measure");
    db.read()
        .execute(
            "UPDATE risk_indicators SET risk_id = $1, owner_id = $2, warn_threshold = $3, breach_threshold = $4, last_status = NULL, last_value = NULL WHERE id = $5",
            args![r, kri_owner, base_later + 50_000_000, base_later + 100_000_000, kri],
        )
        .await
        .expect("bind");
    assert_eq!(store::evaluate_one(db, kri, now).await.expect("eval"), Some(KriStatus::Ok));
    // A receivable of ¥2,000,000 due in ten days.
    let (contract, customer): (i64, i64) = db.read().fetch_one("SELECT id, customer_id FROM contracts ORDER BY id LIMIT 1", vec![]).await.expect("contract");
    db.read()
        .execute(
            "INSERT INTO receivables (contract_id, customer_id, seq, due_date, amount_minor, paid_minor, status, owner_id, department_id, version, created_at, updated_at) \
             VALUES ($1, $2, 901, $3, 200000000, 0, 'open', $4, $5, 1, $6, $6)",
            args![contract, customer, company_today(now) + Duration::days(10), owner, sales, now],
        )
        .await
        .expect("receivable");
    // Not due yet: still ok, nothing suggested.
    assert_eq!(store::evaluate_one(db, kri, now + Duration::minutes(1)).await.expect("eval"), Some(KriStatus::Ok));
    let s: Option<i64> = db.read().scalar("SELECT suggested_likelihood FROM risks WHERE id = $1", args![r]).await.expect("s");
    assert_eq!(s, None);
    let values_before: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_indicator_values WHERE indicator_id = $1", args![kri]).await.expect("n");
    // Fifteen days later it is overdue: the value rises by its amount and breaches.
    assert_eq!(store::evaluate_one(db, kri, later).await.expect("eval"), Some(KriStatus::Breached));
    let (value, status): (Option<i64>, Option<String>) =
        db.read().fetch_one("SELECT last_value, last_status FROM risk_indicators WHERE id = $1", args![kri]).await.expect("ind");
    assert_eq!(value, Some(base_later + 200_000_000));
    assert_eq!(status.as_deref(), Some("breached"));
    let values_after: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_indicator_values WHERE indicator_id = $1", args![kri]).await.expect("n");
    assert_eq!(values_after, values_before + 1);
    // The risk's likelihood suggestion: 2 + 1, with the breach as note.
    let (s, note): (Option<i64>, String) =
        db.read().fetch_one("SELECT suggested_likelihood, suggestion_note FROM risks WHERE id = $1", args![r]).await.expect("s");
    assert_eq!(s, Some(3));
    assert!(note.contains("Overdue receivables") && note.contains("逾期应收账款"), "{note}");
    // Escalated to the owner's leader at once (5.3-d), who is told.
    let mut tx = db.begin().await.expect("tx");
    let leader = app::risk::store::leader_of(&mut tx, owner).await.expect("leader").expect("a leader");
    drop(tx);
    let esc: Vec<(i64, i64, Option<i64>, String)> = db
        .read()
        .fetch_all("SELECT id, escalated_to, kri_id, reason FROM risk_escalations WHERE risk_id = $1", args![r])
        .await
        .expect("esc");
    assert_eq!(esc.len(), 1);
    assert_eq!((esc[0].1, esc[0].2, esc[0].3.as_str()), (leader, Some(kri), "kri_breach"));
    let told: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = $2 AND source_id = $3", args![leader, "risk_escalation", esc[0].0])
        .await
        .expect("n");
    assert_eq!(told, 1);
    // The risk's owner and the indicator's owner are told too.
    for u in [owner, kri_owner] {
        let n: i64 = db
            .read()
            .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND title_key = $2 AND source_id = $3", args![u, "risk_mon.breach_risk", r])
            .await
            .expect("n");
        assert_eq!(n, 1, "user {u}");
    }
    let audited: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND record_id = $2 AND action = $3", args!["risk", r, "suggest_likelihood"])
        .await
        .expect("audit");
    assert_eq!(audited, 1);
    // Still breached an hour later: no second escalation, no second value row (same value, same status).
    assert_eq!(store::evaluate_one(db, kri, later + Duration::hours(1)).await.expect("eval"), Some(KriStatus::Breached));
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_escalations WHERE risk_id = $1", args![r]).await.expect("n");
    assert_eq!(n, 1);
    let v: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_indicator_values WHERE indicator_id = $1", args![kri]).await.expect("n");
    assert_eq!(v, values_after);
    // A day later a row is written although nothing changed (the daily point of the trend).
    store::evaluate_one(db, kri, later + Duration::hours(25)).await.expect("eval");
    let v: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_indicator_values WHERE indicator_id = $1", args![kri]).await.expect("n");
    assert_eq!(v, values_after + 1);
    // The risk page's component sees the escalation and the suggestion.
    let cookie = app.sign_in("wang.fang", PASSWORD).await;
    let resp = app.call("risk/mon_risk_escalations", &[("risk_id", &r.to_string())], Some(&cookie)).await;
    assert!(resp.status.is_success(), "{}", resp.body);
    assert_eq!(resp.json()["escalations"].as_array().map(|a| a.len()), Some(1));
    assert_eq!(resp.json()["suggestion"][0], 3);
});

both!(indicator_thresholds_are_validated_and_kept_by_the_risk_office, |app| {
    let db = &app.db;
    store::ensure_indicators(db).await.expect("ensure");
    let kri = indicator_id(db, KriCode::ProjectsRed).await;
    let version: i64 = db.read().scalar("SELECT version FROM risk_indicators WHERE id = $1", args![kri]).await.expect("v");
    let id = kri.to_string();
    let v = version.to_string();
    // Not the risk office: refused.
    let sales = app.sign_in("li.qiang", PASSWORD).await;
    let r = app.call("risk/mon_update_indicator", &[("id", &id), ("version", &v), ("warn", "2"), ("breach", "5"), ("risk_number", ""), ("owner_id", "")], Some(&sales)).await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    // Managers see the list.
    let r = app.call("risk/mon_indicators", &[], Some(&sales)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(r.json()["rows"].as_array().map(|a| a.len()), Some(KriCode::ALL.len()));
    assert_eq!(r.json()["can_edit"], false);
    // Staff do not.
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/mon_indicators", &[], Some(&staff)).await;
    assert_eq!(r.status.as_u16(), 403);
    // The risk office: the breach threshold must lie beyond the warning one; unknown risk numbers are refused.
    let risk = app.sign_in("gao.jun", PASSWORD).await;
    let r = app
        .call("risk/mon_update_indicator", &[("id", &id), ("version", &v), ("warn", "5"), ("breach", "5"), ("risk_number", "FX-0000-9999"), ("owner_id", "")], Some(&risk))
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let fields: Vec<String> =
        r.json()["Validation"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default();
    assert_eq!(fields, vec!["breach".to_string(), "risk_number".to_string()]);
    // The risk office may edit: the owner picker's people come only when asked for
    // (the indicators page), not with the dashboard's gauges.
    let r = app.call("risk/mon_indicators", &[("editing", "true")], Some(&risk)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(r.json()["can_edit"], true);
    assert!(r.json()["users"].as_array().is_some_and(|u| !u.is_empty()), "{}", r.body);
    let r = app.call("risk/mon_indicators", &[("editing", "false")], Some(&risk)).await;
    assert_eq!(r.json()["users"].as_array().map(|u| u.len()), Some(0), "{}", r.body);
    assert_eq!(r.json()["rows"].as_array().map(|a| a.len()), Some(KriCode::ALL.len()));
    let owner = id_of(db, "wu.hao").await.to_string();
    let r = app.call("risk/mon_update_indicator", &[("id", &id), ("version", &v), ("warn", "2"), ("breach", "4"), ("risk_number", ""), ("owner_id", &owner)], Some(&risk)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (w, b, o, st): (i64, i64, Option<i64>, Option<String>) = db
        .read()
        .fetch_one("SELECT warn_threshold, breach_threshold, owner_id, last_status FROM risk_indicators WHERE id = $1", args![kri])
        .await
        .expect("ind");
    assert_eq!((w, b, o.map(|o| o.to_string())), (2, 4, Some(owner.clone())));
    // Evaluated against the new thresholds at once.
    assert!(st.is_some());
    // The same version again: someone else changed it meanwhile.
    let r = app.call("risk/mon_update_indicator", &[("id", &id), ("version", &v), ("warn", "1"), ("breach", "4"), ("risk_number", ""), ("owner_id", "")], Some(&risk)).await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
});

both!(department_report_snapshot_counts_and_submission, |app| {
    let db = &app.db;
    let now = Utc::now();
    let dept = department(db, "mon_test").await;
    let owner = id_of(db, "luo.yan").await;
    let op = category(db, "operational").await;
    let start = last_month_start(now);
    let base = company_midnight(start) + Duration::days(5);
    let period = (start.year(), start.month());
    // R1: new in the period, high then critical; R2: new, low, with an overdue measure;
    // R3: older, closed in the period; R4: older, not assessed; R5: after the period.
    let r1 = risk(db, "FX-TEST-0101", op, dept, owner, Some((4, 5)), base, None).await;
    assessment(db, r1, "inherent", 2, 5, owner, base).await;
    assessment(db, r1, "inherent", 4, 5, owner, base + Duration::days(3)).await;
    let r2 = risk(db, "FX-TEST-0102", op, dept, owner, Some((1, 3)), base, None).await;
    assessment(db, r2, "inherent", 1, 3, owner, base).await;
    risk(db, "FX-TEST-0103", op, dept, owner, Some((3, 4)), base - Duration::days(90), Some(base + Duration::days(2))).await;
    risk(db, "FX-TEST-0104", op, dept, owner, None, base - Duration::days(90), None).await;
    db.read()
        .execute(
            "INSERT INTO risk_measures (risk_id, action, owner_id, due_on, status, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 'planned', 1, $5, $5)",
            args![r2, "复核供应商资质", owner, start + Duration::days(10), base],
        )
        .await
        .expect("measure");
    db.read()
        .execute(
            "INSERT INTO risk_escalations (risk_id, reason, from_level, to_level, detail, escalated_to, escalated_at) VALUES ($1, 'level_rise', 'high', 'critical', '', $2, $3)",
            args![r1, id_of(db, "zhao.min").await, base + Duration::days(3)],
        )
        .await
        .expect("escalation");
    let s = store::department_snapshot(db, dept, period, now).await.expect("snapshot");
    let by: Vec<i64> = s.by_level.iter().map(|x| x.1).collect();
    assert_eq!(by, vec![1, 0, 0, 1], "low, medium, high, critical");
    assert_eq!(s.unassessed, 1);
    assert_eq!((s.new_risks, s.closed_risks), (2, 1));
    assert_eq!(s.level_changes.len(), 1);
    assert_eq!((s.level_changes[0].id, s.level_changes[0].from.as_deref(), s.level_changes[0].to.as_str()), (r1, Some("high"), "critical"));
    assert_eq!(s.top.iter().map(|r| r.id).collect::<Vec<_>>(), vec![r1, r2]);
    assert_eq!(s.top[0].level.as_deref(), Some("critical"));
    assert_eq!((s.overdue_measures.len(), s.overdue_measures_total), (1, 1));
    assert_eq!(s.escalations.len(), 1);
    // The next month's report does not count the period's new risks.
    let next = store::department_snapshot(db, dept, (company_today(now).year(), company_today(now).month()), now).await.expect("snapshot");
    assert_eq!((next.new_risks, next.closed_risks, next.level_changes.len()), (0, 0, 0));

    // Through the server: the sales manager creates this month's report, then submits it.
    let mgr = app.sign_in("li.qiang", PASSWORD).await;
    let this_month = period_of(company_today(now));
    let r = app.call("risk/mon_create_dept_report", &[("period", "2026-13"), ("summary", "")], Some(&mgr)).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let r = app.call("risk/mon_create_dept_report", &[("period", &this_month), ("summary", "本月风险总体可控")], Some(&mgr)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let li = id_of(db, "li.qiang").await;
    let (id, version, status): (i64, i64, String) = db
        .read()
        .fetch_one(
            "SELECT id, version, status FROM risk_department_reports WHERE period = $1 AND department_id = (SELECT department_id FROM users WHERE id = $2)",
            args![this_month.clone(), li],
        )
        .await
        .expect("report");
    assert_eq!(status, "draft");
    // A second report of the same period is refused at the field.
    let r = app.call("risk/mon_create_dept_report", &[("period", &this_month), ("summary", "")], Some(&mgr)).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    // Staff may not create; another department's manager may not submit it.
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/mon_create_dept_report", &[("period", &this_month), ("summary", "")], Some(&staff)).await;
    assert_eq!(r.status.as_u16(), 403);
    let other = app.sign_in("zheng.hong", PASSWORD).await;
    let r = app.call("risk/mon_submit_dept_report", &[("id", &id.to_string()), ("version", &version.to_string()), ("summary", "x")], Some(&other)).await;
    assert_eq!(r.status.as_u16(), 403);
    let r = app.call("risk/mon_submit_dept_report", &[("id", &id.to_string()), ("version", &version.to_string()), ("summary", "本月风险总体可控，逾期回款已跟进。")], Some(&mgr)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let status: String = db.read().scalar("SELECT status FROM risk_department_reports WHERE id = $1", args![id]).await.expect("status");
    assert_eq!(status, "submitted");
    let mut tx = db.begin().await.expect("tx");
    let leader = app::risk::store::leader_of(&mut tx, li).await.expect("leader").expect("a leader");
    drop(tx);
    let to_leader: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = $2 AND source_id = $3", args![leader, "risk_department_report", id])
        .await
        .expect("n");
    let to_risk: i64 = db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items WHERE recipient_department_id = (SELECT id FROM departments WHERE code = 'risk') AND source_entity = $1 AND source_id = $2",
            args!["risk_department_report", id],
        )
        .await
        .expect("n");
    assert_eq!((to_leader, to_risk), (1, 1));
    // Its department and the risk office read it; another department's staff do not.
    let r = app.call("risk/mon_dept_report", &[("id", &id.to_string())], Some(&staff)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("risk/mon_dept_report", &[("id", &id.to_string())], Some(&app.sign_in("ma.lin", PASSWORD).await)).await;
    assert_eq!(r.status.as_u16(), 404);
});

both!(warning_report_snapshot_changes_and_who_may_issue, |app| {
    let db = &app.db;
    let owner = id_of(db, "luo.yan").await;
    let dept = department(db, "mon_warn").await;
    let op = category(db, "operational").await;
    let t0 = Utc::now() - Duration::days(20);
    let up = risk(db, "FX-TEST-0201", op, dept, owner, Some((2, 2)), t0, None).await;
    assessment(db, up, "inherent", 2, 2, owner, t0).await;
    let down = risk(db, "FX-TEST-0202", op, dept, owner, Some((5, 5)), t0, None).await;
    assessment(db, down, "inherent", 5, 5, owner, t0).await;
    let gone = risk(db, "FX-TEST-0203", op, dept, owner, Some((3, 3)), t0, None).await;

    // Who may issue: the risk office (risk department, executives); not a sales manager.
    let mgr = app.sign_in("li.qiang", PASSWORD).await;
    let form = [("period", "2026-11"), ("summary", "第一期"), ("recommendations", "加强监控")];
    let r = app.call("risk/mon_issue_warning", &form, Some(&mgr)).await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    let luo = app.sign_in("luo.yan", PASSWORD).await;
    let r = app.call("risk/mon_issue_warning", &[("period", "2026-11"), ("summary", ""), ("recommendations", "")], Some(&luo)).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    // As the page posts it (with the form's hidden id).
    let r = app.call("risk/mon_issue_warning", &[("id", "warning"), form[0], form[1], form[2]], Some(&luo)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let (first_id, first_no): (i64, String) =
        db.read().fetch_one("SELECT id, number FROM risk_warning_reports ORDER BY id DESC LIMIT 1", vec![]).await.expect("report");
    let year = app::core::time::company_year(Utc::now());
    assert!(first_no.starts_with(&format!("FXYJ-{year}-")) && first_no.len() == 14, "{first_no}");
    // Its heat maps count the open assessed risks.
    let snap: String = db.read().scalar("SELECT snapshot FROM risk_warning_reports WHERE id = $1", args![first_id]).await.expect("s");
    let snap: WarningSnapshot = serde_json::from_str(&snap).expect("json");
    let open_inherent: i64 = db
        .read()
        .scalar("SELECT COUNT(*) FROM risks WHERE status <> 'closed' AND inherent_likelihood IS NOT NULL AND inherent_impact IS NOT NULL", vec![])
        .await
        .expect("n");
    assert_eq!(snap.inherent.total(), open_inherent);
    assert!(snap.inherent.count(5, 5) >= 1 && snap.inherent.count(2, 2) >= 1);
    assert_eq!(snap.by_level.iter().map(|x| x.1).sum::<i64>(), snap.by_category.iter().map(|g| g.total()).sum::<i64>());
    let mine = snap.by_department.iter().find(|g| g.id == dept).expect("test department");
    assert_eq!(mine.total(), 3);

    // After it: one risk rises to high, one falls to low, one closes, one is new.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let t1 = Utc::now();
    assessment(db, up, "inherent", 3, 4, owner, t1).await;
    set_score(db, up, 3, 4).await;
    assessment(db, down, "inherent", 1, 2, owner, t1).await;
    set_score(db, down, 1, 2).await;
    db.read().execute("UPDATE risks SET status = 'closed', closed_at = $1 WHERE id = $2", args![t1, gone]).await.expect("close");
    let new = risk(db, "FX-TEST-0204", op, dept, owner, Some((4, 4)), t1, None).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let s = store::warning_snapshot(db, Utc::now()).await.expect("snapshot");
    let c = &s.changes;
    assert_eq!(c.since_number.as_deref(), Some(first_no.as_str()));
    assert!(c.new.iter().any(|r| r.id == new));
    assert!(c.closed.iter().any(|r| r.id == gone));
    let rose = c.rose.iter().find(|x| x.id == up).expect("rose");
    assert_eq!((rose.from.as_deref(), rose.to.as_str()), (Some("low"), "high"));
    let fell = c.fell.iter().find(|x| x.id == down).expect("fell");
    assert_eq!((fell.from.as_deref(), fell.to.as_str()), (Some("critical"), "low"));
    assert!(!c.rose.iter().any(|x| x.id == down) && !c.fell.iter().any(|x| x.id == up));

    // An executive issues the second; numbers count up.
    let exec = app.sign_in("zhao.min", PASSWORD).await;
    let r = app.call("risk/mon_issue_warning", &[("period", "2026-12"), ("summary", "第二期"), ("recommendations", "")], Some(&exec)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let second: (i64, String) = db.read().fetch_one("SELECT id, number FROM risk_warning_reports ORDER BY id DESC LIMIT 1", vec![]).await.expect("r");
    assert!(second.1 > first_no, "{} after {first_no}", second.1);

    // Who may see: managers yes, staff no.
    let r = app.call("risk/mon_warning_report", &[("id", &second.0.to_string())], Some(&mgr)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(r.json()["snapshot"]["changes"]["since_number"], serde_json::json!(first_no));
    let staff = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/mon_warning_report", &[("id", &second.0.to_string())], Some(&staff)).await;
    assert_eq!(r.status.as_u16(), 403);
    let r = app.call("risk/mon_reports", &[("query[period]", "")], Some(&staff)).await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(r.json()["sees_warnings"], false);
    assert_eq!(r.json()["warning_reports"]["total"], 0);
    // The printable page renders for the risk office.
    let page = app.get(&format!("/risks/reports/warning/{}", second.0), Some(&luo)).await;
    assert!(page.body.contains("heatmap") && page.body.contains(&second.1), "{}", &page.body[..page.body.len().min(500)]);
});
