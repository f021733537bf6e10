//! Credit risk (5.2-c): facts from the data, the evaluation's approval by an
//! approver only (never the preparer), the limit written on approval and kept by
//! the customer form, a contract over the approved limit flagged in review, the
//! receivables ageing with the provision, customers over their limit. Each test
//! runs on SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use app::risk::credit::model::{AgeingLine, Facts, GroupBy};
use app::risk::credit::store;
use chrono::{Duration, Utc};
use common::{PASSWORD, TestApp};
use std::sync::atomic::{AtomicU32, Ordering};

static N: AtomicU32 = AtomicU32::new(0);

async fn user(app: &TestApp, username: &str) -> (i64, i64) {
    app.db.read().fetch_one("SELECT id, department_id FROM users WHERE username = $1", args![username]).await.expect("user")
}

/// A customer owned by `owner`, on file since `days_ago`.
async fn customer(app: &TestApp, owner: &str, days_ago: i64) -> i64 {
    let (uid, dept) = user(app, owner).await;
    let name = format!("信用测试{}-{}号有限公司", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    app.db
        .read()
        .scalar(
            "INSERT INTO customers (name, name_norm, status, owner_id, department_id, version, created_at, updated_at) \
             VALUES ($1, $1, 'customer', $2, $3, 1, $4, $4) RETURNING id",
            args![name, uid, dept, Utc::now() - Duration::days(days_ago)],
        )
        .await
        .expect("customer")
}

/// A signed contract of `amount` yuan, signed `days_ago`.
async fn signed_contract(app: &TestApp, cid: i64, amount_yuan: i64, days_ago: i64) -> i64 {
    let (uid, dept): (i64, i64) =
        app.db.read().fetch_one("SELECT owner_id, department_id FROM customers WHERE id = $1", args![cid]).await.expect("c");
    let signed = Utc::now() - Duration::days(days_ago);
    let number = format!("HT-T-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    app.db
        .read()
        .scalar(
            "INSERT INTO contracts (number, title, customer_id, status, amount_minor, currency, signed_at, owner_id, department_id, version, created_at, updated_at) \
             VALUES ($1, '测试合同', $2, 'signed', $3, 'CNY', $4, $5, $6, 1, $4, $4) RETURNING id",
            args![number, cid, amount_yuan * 100, signed, uid, dept],
        )
        .await
        .expect("contract")
}

/// A receivable of `amount` yuan due `due_in` days from today (negative: past),
/// with `paid` yuan paid `paid_days_after_due` days after the due date.
async fn receivable(app: &TestApp, contract: i64, seq: i64, amount: i64, due_in: i64, paid: Option<(i64, i64)>) -> i64 {
    let (cid, uid, dept): (i64, i64, i64) =
        app.db.read().fetch_one("SELECT customer_id, owner_id, department_id FROM contracts WHERE id = $1", args![contract]).await.expect("k");
    let now = Utc::now();
    let today = app::core::time::company_today(now);
    let due = today + Duration::days(due_in);
    let (paid_minor, status) = match paid {
        Some((p, _)) if p >= amount => (p * 100, "paid"),
        Some((p, _)) => (p * 100, "open"),
        None => (0, "open"),
    };
    let id: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO receivables (contract_id, customer_id, seq, due_date, amount_minor, paid_minor, currency, status, owner_id, department_id, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'CNY', $7, $8, $9, 1, $10, $10) RETURNING id",
            args![contract, cid, seq, due, amount * 100, paid_minor, status, uid, dept, now],
        )
        .await
        .expect("receivable");
    if let Some((p, after)) = paid {
        app.db
            .read()
            .execute(
                "INSERT INTO payments (receivable_id, paid_on, amount_minor, created_at) VALUES ($1, $2, $3, $4)",
                args![id, due + Duration::days(after), p * 100, now],
            )
            .await
            .expect("payment");
    }
    id
}

fn rated(f: &str, m: &str, i: &str, limit: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[financial_standing]", f.into()),
        ("input[management_quality]", m.into()),
        ("input[industry_outlook]", i.into()),
        ("input[comments]", "测试评估".into()),
        ("input[proposed_limit]", limit.into()),
    ]
}

async fn post(app: &TestApp, endpoint: &str, form: &[(&str, String)], cookie: &str) -> common::Resp {
    let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
    app.call(endpoint, &f, Some(cookie)).await
}

async fn create(app: &TestApp, cookie: &str, cid: i64, form: Vec<(&'static str, String)>) -> common::Resp {
    let mut f = vec![("customer_id", cid.to_string())];
    f.extend(form);
    post(app, "risk/create_credit_evaluation", &f, cookie).await
}

async fn version(app: &TestApp, id: i64) -> i64 {
    app.db.read().scalar("SELECT version FROM credit_evaluations WHERE id = $1", args![id]).await.expect("v")
}

async fn submit(app: &TestApp, cookie: &str, id: i64) -> common::Resp {
    let v = version(app, id).await;
    app.call("risk/submit_credit_evaluation", &[("id", &id.to_string()), ("version", &v.to_string())], Some(cookie)).await
}

async fn decide(app: &TestApp, cookie: &str, id: i64, decision: &str, limit: &str, note: &str) -> common::Resp {
    let v = version(app, id).await;
    app.call(
        "risk/decide_credit_evaluation",
        &[("id", &id.to_string()), ("version", &v.to_string()), ("decision", decision), ("limit", limit), ("note", note)],
        Some(cookie),
    )
    .await
}

fn field_key(r: &common::Resp, field: &str) -> String {
    r.json()["Validation"]
        .as_array()
        .and_then(|v| v.iter().find(|e| e["field"] == field).and_then(|e| e["key"].as_str().map(String::from)))
        .unwrap_or_default()
}

both!(facts_come_from_receivables_payments_and_contracts, |app| {
    let cid = customer(&app, "wang.fang", 3 * 365 + 10).await;
    // Nothing yet: no payment history, nothing overdue, no volume; 3 years on file.
    let f = store::facts(&app.db, cid, Utc::now()).await.expect("facts");
    assert_eq!(f, Facts { on_time_bp: None, max_overdue_days: 0, overdue_minor: 0, volume_12m_minor: 0, years_as_customer: 3 });
    let k = signed_contract(&app, cid, 800_000, 30).await;
    signed_contract(&app, cid, 500_000, 400).await; // older than 12 months: not in the volume
    // Paid: 300,000 on time, 100,000 twenty days late → 75 % on time by amount.
    receivable(&app, k, 1, 300_000, -100, Some((300_000, -2))).await;
    receivable(&app, k, 2, 100_000, -60, Some((100_000, 20))).await;
    // Open: 150,000 of 200,000 outstanding, 45 days overdue; 50,000 due later.
    receivable(&app, k, 3, 200_000, -45, Some((50_000, 1))).await;
    receivable(&app, k, 4, 50_000, 10, None).await;
    let f = store::facts(&app.db, cid, Utc::now()).await.expect("facts");
    assert_eq!(
        f,
        Facts { on_time_bp: Some(7_500), max_overdue_days: 45, overdue_minor: 15_000_000, volume_12m_minor: 80_000_000, years_as_customer: 3 }
    );
    // The page's preview shows the same facts to the owner; a colleague who does not see the customer gets nothing.
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("risk/credit_form", &[("customer", &cid.to_string())], Some(&wang)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["facts"]["on_time_bp"], 7_500);
    let zhang = app.sign_in("zhang.lei", PASSWORD).await;
    assert_eq!(app.call("risk/credit_form", &[("customer", &cid.to_string())], Some(&zhang)).await.status, 404);
    // Finance and the risk department prepare for any customer.
    let gao = app.sign_in("gao.jun", PASSWORD).await;
    assert_eq!(app.call("risk/credit_form", &[("customer", &cid.to_string())], Some(&gao)).await.status, 200);
});

both!(approval_by_an_approver_only_writes_the_limit, |app| {
    let cid = customer(&app, "wang.fang", 800).await;
    let k = signed_contract(&app, cid, 2_000_000, 60).await;
    receivable(&app, k, 1, 500_000, -30, Some((500_000, 0))).await;
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    // Bad input: each field named, nothing stored.
    let r = create(&app, &wang, cid, rated("0", "x", "", "-5")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field_key(&r, "financial_standing"), "credit.val_factor");
    assert_eq!(field_key(&r, "industry_outlook"), "credit.val_factor");
    assert_eq!(field_key(&r, "proposed_limit"), "credit.val_limit");
    let none: i64 = app.db.read().scalar("SELECT COUNT(*) FROM credit_evaluations WHERE customer_id = $1", args![cid]).await.expect("n");
    assert_eq!(none, 0);
    // The owner prepares a draft: scored from the data, proposed = suggested.
    let r = create(&app, &wang, cid, rated("4", "4", "3", "")).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let id = r.json().as_i64().expect("id");
    let (number, score, rating, suggested, proposed): (String, i64, String, i64, i64) = app
        .db
        .read()
        .fetch_one("SELECT number, score, rating, suggested_limit_minor, proposed_limit_minor FROM credit_evaluations WHERE id = $1", args![id])
        .await
        .expect("e");
    assert!(number.starts_with("XY-"), "{number}");
    // 100 % on time 35, nothing overdue 15, ¥2M volume 12, 2 years 4, rated round(25×8/12) 17 → 83 AA; 40 % of ¥2M.
    assert_eq!((score, rating.as_str(), suggested, proposed), (83, "AA", 80_000_000, 80_000_000));
    assert_eq!(submit(&app, &wang, id).await.status, 200);
    // The approvers (risk and finance managers, executives) have a task; the preparer none.
    let (luo_id, _) = user(&app, "luo.yan").await;
    let (zheng_id, _) = user(&app, "zheng.hong").await;
    let (wang_id, _) = user(&app, "wang.fang").await;
    for (u, n) in [(luo_id, 1), (zheng_id, 1), (wang_id, 0)] {
        let tasks: i64 = app
            .db
            .read()
            .scalar(
                "SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = 'credit_evaluation' AND source_id = $2 AND done_at IS NULL",
                args![u, id],
            )
            .await
            .expect("tasks");
        assert_eq!(tasks, n, "user {u}");
    }
    // Not approvers: the preparer, a sales manager, the risk analyst.
    assert_eq!(decide(&app, &wang, id, "approve", "", "").await.status, 403);
    let li = app.sign_in("li.qiang", PASSWORD).await;
    assert_eq!(decide(&app, &li, id, "approve", "", "").await.status, 403);
    let gao = app.sign_in("gao.jun", PASSWORD).await;
    assert_eq!(decide(&app, &gao, id, "approve", "", "").await.status, 403);
    // A rejection needs a reason.
    let zheng = app.sign_in("zheng.hong", PASSWORD).await;
    let r = decide(&app, &zheng, id, "reject", "", " ").await;
    assert_eq!((r.status.as_u16(), field_key(&r, "note")), (422, "val.required".to_string()), "{}", r.body);
    // The finance manager approves a lower limit.
    let r = decide(&app, &zheng, id, "approve", "600,000", "先按 60 万执行").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (limit, crating, ceval, cat): (Option<i64>, Option<String>, Option<i64>, Option<chrono::DateTime<Utc>>) = app
        .db
        .read()
        .fetch_one("SELECT credit_limit_minor, credit_rating, credit_evaluation_id, credit_evaluated_at FROM customers WHERE id = $1", args![cid])
        .await
        .expect("customer");
    assert_eq!((limit, crating.as_deref(), ceval), (Some(60_000_000), Some("AA"), Some(id)));
    assert!(cat.is_some());
    let (status, approved): (String, Option<i64>) =
        app.db.read().fetch_one("SELECT status, approved_limit_minor FROM credit_evaluations WHERE id = $1", args![id]).await.expect("e");
    assert_eq!((status.as_str(), approved), ("approved", Some(60_000_000)));
    // Audited: the evaluation and the customer.
    let audits: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM audit_log WHERE (entity = 'credit_evaluation' AND record_id = $1) OR (entity = 'customer' AND record_id = $2 AND action = 'credit_evaluation')",
            args![id, cid],
        )
        .await
        .expect("audit");
    assert_eq!(audits, 4, "create, submit, approve, customer");
    // The tasks are done; deciding again is refused.
    let open: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'credit_evaluation' AND source_id = $1 AND done_at IS NULL AND kind = 'task'", args![id])
        .await
        .expect("open");
    assert_eq!(open, 0);
    let luo = app.sign_in("luo.yan", PASSWORD).await;
    let r = decide(&app, &luo, id, "approve", "", "").await;
    assert_eq!((r.status.as_u16(), field_key(&r, "status")), (422, "credit.err_wrong_status".to_string()), "{}", r.body);
    // Saving the customer form keeps the evaluated limit.
    let v: i64 = app.db.read().scalar("SELECT version FROM customers WHERE id = $1", args![cid]).await.expect("v");
    let name: String = app.db.read().scalar("SELECT name FROM customers WHERE id = $1", args![cid]).await.expect("n");
    let r = app
        .call(
            "sales/save_customer",
            &[
                ("id", &cid.to_string()),
                ("version", &v.to_string()),
                ("input[name]", &name),
                ("input[intent]", "medium"),
                ("input[status]", "customer"),
                ("input[credit_limit]", "99"),
            ],
            Some(&wang),
        )
        .await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let limit: Option<i64> = app.db.read().scalar("SELECT credit_limit_minor FROM customers WHERE id = $1", args![cid]).await.expect("l");
    assert_eq!(limit, Some(60_000_000));

    // An approver who prepared an evaluation may not decide it; another approver may.
    let e2 = create(&app, &luo, cid, rated("3", "3", "3", "100000")).await.json().as_i64().expect("id");
    assert_eq!(submit(&app, &luo, e2).await.status, 200);
    let r = decide(&app, &luo, e2, "approve", "", "").await;
    assert_eq!((r.status.as_u16(), field_key(&r, "decision")), (422, "credit.err_own".to_string()), "{}", r.body);
    assert_eq!(decide(&app, &zheng, e2, "reject", "", "缺少财务报表").await.status, 200);
    // Rejected: the customer's credit stays as approved before.
    let (limit, ceval): (Option<i64>, Option<i64>) =
        app.db.read().fetch_one("SELECT credit_limit_minor, credit_evaluation_id FROM customers WHERE id = $1", args![cid]).await.expect("c");
    assert_eq!((limit, ceval), (Some(60_000_000), Some(id)));
    // The history lists both, newest first.
    let r = app.call("risk/credit_evaluation", &[("id", &id.to_string())], Some(&wang)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["history"].as_array().map(|a| a.len()), Some(2));
    assert_eq!(r.json()["history"][0]["id"], e2);
    // Someone who cannot see the customer cannot see the evaluation.
    let zhang = app.sign_in("zhang.lei", PASSWORD).await;
    assert_eq!(app.call("risk/credit_evaluation", &[("id", &id.to_string())], Some(&zhang)).await.status, 404);
});

/// Complete contract terms: one line and two instalments.
fn terms(id: i64, version: i64, qty: &str, price: &str, inst: (&str, &str)) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.to_string()),
        ("version", version.to_string()),
        ("input[title]", "数控机床采购合同".into()),
        ("input[rights_obligations]", "甲方付款，乙方交货并安装调试。".into()),
        ("input[payment_terms]", "银行转账".into()),
        ("input[delivery_date]", "2027-03-31".into()),
        ("input[breach_liability]", "违约方按日支付合同金额 0.05% 的违约金。".into()),
        ("input[lines][0][description]", "五轴数控加工中心".into()),
        ("input[lines][0][specification]", "VMC-850".into()),
        ("input[lines][0][unit]", "台".into()),
        ("input[lines][0][quantity]", qty.into()),
        ("input[lines][0][unit_price]", price.into()),
        ("input[lines][0][discount_pct]", String::new()),
        ("input[instalments][0][due_date]", "2027-01-15".into()),
        ("input[instalments][0][amount]", inst.0.into()),
        ("input[instalments][0][description]", "预付款".into()),
        ("input[instalments][1][due_date]", "2027-04-30".into()),
        ("input[instalments][1][amount]", inst.1.into()),
        ("input[instalments][1][description]", "验收款".into()),
        ("submit", "true".into()),
    ]
}

/// A won opportunity of `cid` owned by wang.fang, drafted into a contract of
/// 760,000 and submitted for review; returns the contract.
async fn submitted_contract(app: &TestApp, cid: i64) -> i64 {
    let now = Utc::now();
    let stage: Option<(String,)> =
        app.db.read().fetch_optional("SELECT code FROM opportunity_stages WHERE kind = 'won' LIMIT 1", vec![]).await.expect("stage");
    let stage = stage.expect("a won stage").0;
    let (uid, dept) = user(app, "wang.fang").await;
    let opp: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO opportunities (customer_id, title, stage_code, amount_minor, currency, expected_close, owner_id, department_id, \
             stage_changed_at, closed_at, version, created_at, updated_at) VALUES ($1, '数控机床采购', $2, 0, 'CNY', $3, $4, $5, $6, $6, 1, $6, $6) RETURNING id",
            args![cid, stage, now.date_naive(), uid, dept, now],
        )
        .await
        .expect("opportunity");
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let r = app.call("sales/draft_contract", &[("opportunity_id", &opp.to_string())], Some(&wang)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let k: i64 = app.db.read().scalar("SELECT id FROM contracts WHERE opportunity_id = $1", args![opp]).await.expect("contract");
    let v: i64 = app.db.read().scalar("SELECT version FROM contracts WHERE id = $1", args![k]).await.expect("v");
    let r = post(app, "sales/save_contract", &terms(k, v, "2", "380000", ("228000", "532000")), &wang).await;
    assert_eq!(r.status, 200, "{}", r.body);
    k
}

async fn flags(app: &TestApp, k: i64) -> i64 {
    app.db
        .read()
        .scalar("SELECT COUNT(*) FROM contract_reviews WHERE contract_id = $1 AND over_credit_limit = $2", args![k, true])
        .await
        .expect("flags")
}

both!(a_contract_over_the_approved_limit_is_flagged_in_review, |app| {
    let cid = customer(&app, "wang.fang", 100).await;
    let gao = app.sign_in("gao.jun", PASSWORD).await;
    let id = create(&app, &gao, cid, rated("3", "3", "3", "500,000")).await.json().as_i64().expect("id");
    assert_eq!(submit(&app, &gao, id).await.status, 200);
    let luo = app.sign_in("luo.yan", PASSWORD).await;
    assert_eq!(decide(&app, &luo, id, "approve", "", "").await.status, 200);
    let limit: Option<i64> = app.db.read().scalar("SELECT credit_limit_minor FROM customers WHERE id = $1", args![cid]).await.expect("l");
    assert_eq!(limit, Some(50_000_000));
    // A 760,000 contract: over the 500,000 limit, every review flagged.
    let k = submitted_contract(&app, cid).await;
    let reviews: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contract_reviews WHERE contract_id = $1", args![k]).await.expect("n");
    assert!(reviews > 0);
    assert_eq!(flags(&app, k).await, reviews);
    // Reviewers of other departments see the customer's rating and limit beside the flag.
    let finance = app.sign_in("ma.lin", PASSWORD).await;
    let r = app.call("risk/customer_credit", &[("customer_id", &cid.to_string()), ("contract_id", &k.to_string())], Some(&finance)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // No history: rated 3/3/3 → round(60 × 6 / 12) 30 + nothing overdue 15 = 45: B.
    assert_eq!(r.json()["customer"]["credit_rating"], "B");
    let production = app.sign_in("zhu.gang", PASSWORD).await;
    let r = app.call("risk/customer_credit", &[("customer_id", &cid.to_string()), ("contract_id", &k.to_string())], Some(&production)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["customer"]["credit_limit_minor"], 50_000_000);
    // Without a contract they see, nothing.
    assert_eq!(app.call("risk/customer_credit", &[("customer_id", &cid.to_string()), ("contract_id", "0")], Some(&production)).await.status, 404);
    // Under the limit: not flagged.
    let cid2 = customer(&app, "wang.fang", 100).await;
    let e = create(&app, &gao, cid2, rated("3", "3", "3", "1,000,000")).await.json().as_i64().expect("id");
    submit(&app, &gao, e).await;
    assert_eq!(decide(&app, &luo, e, "approve", "", "").await.status, 200);
    let k2 = submitted_contract(&app, cid2).await;
    assert_eq!(flags(&app, k2).await, 0);
});

both!(ageing_buckets_provision_and_breaches_are_exact, |app| {
    // A staff member of sales whose only receivables are these.
    let (_, sales) = user(&app, "wang.fang").await;
    let now = Utc::now();
    let uname = format!("ageing{}{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let uid: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO users (username, display_name, password_hash, role, department_id, active, language, time_zone, auth_epoch, version, created_at, updated_at) \
             VALUES ($1, $1, 'x', 'staff', $2, $3, 'zh', 'Asia/Shanghai', 1, 1, $4, $4) RETURNING id",
            args![uname.clone(), sales, true, now],
        )
        .await
        .expect("user");
    let cid: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO customers (name, name_norm, status, owner_id, department_id, credit_limit_minor, version, created_at, updated_at) \
             VALUES ($1, $1, 'customer', $2, $3, $4, 1, $5, $5) RETURNING id",
            args![format!("账龄测试{uname}"), uid, sales, 30_000_000i64, now],
        )
        .await
        .expect("customer");
    let k = signed_contract(&app, cid, 1_000_000, 100).await;
    let before = store::breach_count(&app.db).await.expect("count");
    // Not yet due 100,000 (today counts as not due); 1–30: 50,000.50 outstanding
    // of 60,000; 31–60: 40,000; 61–90: 20,000; over 90: 10,000; paid: not counted.
    receivable(&app, k, 1, 100_000, 0, None).await;
    let r2 = receivable(&app, k, 2, 60_000, -1, None).await;
    app.db.read().execute("UPDATE receivables SET paid_minor = 999950 WHERE id = $1", args![r2]).await.expect("part paid");
    receivable(&app, k, 3, 40_000, -31, None).await;
    receivable(&app, k, 4, 20_000, -90, None).await;
    receivable(&app, k, 5, 10_000, -91, None).await;
    receivable(&app, k, 6, 70_000, -200, Some((70_000, 0))).await;
    let viewer = Viewer { user_id: uid, department_id: sales, role: Role::Staff };
    let today = app::core::time::company_today(now);
    let r = store::ageing(&app.db, &viewer, "sales", GroupBy::Customer, today, None, 50).await.expect("ageing");
    let want = AgeingLine {
        group_id: 0,
        label: String::new(),
        label_en: String::new(),
        currency: "CNY".into(),
        not_due: 10_000_000,
        d1_30: 5_000_050,
        d31_60: 4_000_000,
        d61_90: 2_000_000,
        over_90: 1_000_000,
        total: 22_000_050,
    };
    assert_eq!(r.totals, vec![want.clone()]);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].group_id, cid);
    assert_eq!(r.rows[0].amounts(), want.amounts());
    // Provision at the default rates 0 / 2 / 10 / 30 / 60 %.
    assert_eq!(r.pct, [0, 2, 10, 30, 60]);
    let (p, total) = r.totals[0].provision(&r.pct);
    assert_eq!(p, [0, 100_001, 400_000, 600_000, 600_000]);
    assert_eq!(total, 1_700_001);
    // By owner and department: one group each, the same totals.
    let o = store::ageing(&app.db, &viewer, "sales", GroupBy::Owner, today, None, 50).await.expect("owner");
    assert_eq!((o.rows.len(), o.rows[0].group_id, o.rows[0].total), (1, uid, 22_000_050));
    let d = store::ageing(&app.db, &viewer, "sales", GroupBy::Department, today, None, 50).await.expect("dept");
    assert_eq!((d.rows.len(), d.rows[0].group_id, d.rows[0].total), (1, sales, 22_000_050));
    // Exposure 220,000.50 over the 300,000 limit? No: under it. Raise exposure past it.
    assert_eq!(store::breach_count(&app.db).await.expect("count"), before);
    receivable(&app, k, 7, 100_000, 20, None).await;
    assert_eq!(store::breach_count(&app.db).await.expect("count"), before + 1);
    let (rows, n) = store::breaches(&app.db, &viewer, "sales", 10).await.expect("breaches");
    assert_eq!(n, 1);
    assert_eq!((rows[0].customer_id, rows[0].limit_minor, rows[0].exposure_minor, rows[0].excess()), (cid, 30_000_000, 32_000_050, 2_000_050));
    // Company-wide viewers (risk, finance) see it among all; the server functions answer.
    let luo = app.sign_in("luo.yan", PASSWORD).await;
    let r = app.call("risk/ageing", &[("query[by]", "department")], Some(&luo)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.call("risk/credit_breaches", &[], Some(&luo)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("账龄测试{uname}")), "{}", r.body);
    // Pages render.
    for path in ["/risks/credit", "/risks/ageing?by=owner", &format!("/risks/credit/new?customer={cid}")] {
        let r = app.get(path, Some(&luo)).await;
        assert_eq!(r.status, 200, "{path}");
    }
});

both!(the_demo_tells_the_credit_story, |app| {
    let approved: i64 = app.db.read().scalar("SELECT COUNT(*) FROM credit_evaluations WHERE status = 'approved'", vec![]).await.expect("n");
    let submitted: i64 = app.db.read().scalar("SELECT COUNT(*) FROM credit_evaluations WHERE status = 'submitted'", vec![]).await.expect("n");
    assert!(approved >= 4, "{approved}");
    assert_eq!(submitted, 1);
    // One customer with two evaluations in its history.
    let twice: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM (SELECT customer_id FROM credit_evaluations GROUP BY customer_id HAVING COUNT(*) >= 2) t", vec![])
        .await
        .expect("n");
    assert!(twice >= 1);
    // At least one customer owes more than its approved limit.
    let over: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM customers cu WHERE cu.credit_evaluation_id IS NOT NULL AND cu.credit_limit_minor < \
             (SELECT CAST(COALESCE(SUM(r.amount_minor - r.paid_minor), 0) AS BIGINT) FROM receivables r WHERE r.customer_id = cu.id AND r.status = 'open')",
            vec![],
        )
        .await
        .expect("n");
    assert!(over >= 1);
    // The approvers have the submitted one in My work.
    let luo = app.user_id("luo.yan").await;
    let tasks: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = 'credit_evaluation' AND done_at IS NULL", args![luo])
        .await
        .expect("n");
    assert_eq!(tasks, 1);
});
