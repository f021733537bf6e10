//! Contracts (2.2.3): drafting, required terms, parallel review, signing
//! authority, signing, distribution, receivables, amendments and the rules.
//! Each test runs on SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use common::{PASSWORD, TestApp};
use std::sync::atomic::{AtomicU32, Ordering};

static N: AtomicU32 = AtomicU32::new(0);

/// A prospect customer and a won opportunity owned by `owner` (direct SQL: the
/// pipeline is another part's).
async fn won_opportunity(app: &TestApp, owner: &str) -> (i64, i64) {
    let now = chrono::Utc::now();
    let db = &app.db;
    let won: Option<(String,)> =
        db.read().fetch_optional("SELECT code FROM opportunity_stages WHERE kind = 'won' LIMIT 1", vec![]).await.expect("stage");
    let stage = match won {
        Some((c,)) => c,
        None => {
            db.read()
                .execute(
                    "INSERT INTO opportunity_stages (code, name_zh, name_en, probability, position, kind, active, version, created_at, updated_at) \
                     VALUES ('won', '赢单', 'Won', 100, 90, 'won', $1, 1, $2, $2)",
                    args![true, now],
                )
                .await
                .expect("stage");
            "won".into()
        }
    };
    let (uid, dept): (i64, i64) =
        db.read().fetch_one("SELECT id, department_id FROM users WHERE username = $1", args![owner]).await.expect("user");
    let name = format!("测试客户{}-{}号有限公司", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let cid: i64 = db
        .read()
        .scalar(
            "INSERT INTO customers (name, name_norm, status, owner_id, department_id, version, created_at, updated_at) \
             VALUES ($1, $1, 'prospect', $2, $3, 1, $4, $4) RETURNING id",
            args![name, uid, dept, now],
        )
        .await
        .expect("customer");
    let oid: i64 = db
        .read()
        .scalar(
            "INSERT INTO opportunities (customer_id, title, stage_code, amount_minor, currency, expected_close, owner_id, department_id, \
             stage_changed_at, closed_at, version, created_at, updated_at) VALUES ($1, '数控机床采购', $2, 0, 'CNY', $3, $4, $5, $6, $6, 1, $6, $6) RETURNING id",
            args![cid, stage, now.date_naive(), uid, dept, now],
        )
        .await
        .expect("opportunity");
    (cid, oid)
}

async fn draft(app: &TestApp, cookie: &str, opp: i64) -> i64 {
    let r = app.call("sales/draft_contract", &[("opportunity_id", &opp.to_string())], Some(cookie)).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    app.db.read().scalar("SELECT id FROM contracts WHERE opportunity_id = $1", args![opp]).await.expect("contract")
}

async fn version(app: &TestApp, id: i64) -> i64 {
    app.db.read().scalar("SELECT version FROM contracts WHERE id = $1", args![id]).await.expect("version")
}

async fn status(app: &TestApp, id: i64) -> String {
    app.db.read().scalar("SELECT status FROM contracts WHERE id = $1", args![id]).await.expect("status")
}

fn fields(r: &common::Resp) -> Vec<String> {
    r.json()["Validation"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["field"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn key_of(r: &common::Resp, field: &str) -> String {
    r.json()["Validation"]
        .as_array()
        .and_then(|v| v.iter().find(|e| e["field"] == field).and_then(|e| e["key"].as_str().map(String::from)))
        .unwrap_or_default()
}

/// Complete terms: one line (qty x price) and two instalments.
fn terms(id: i64, version: i64, qty: &str, price: &str, inst: (&str, &str)) -> Vec<(String, String)> {
    let v = |a: &str, b: &str| (a.to_string(), b.to_string());
    vec![
        v("id", &id.to_string()),
        v("version", &version.to_string()),
        v("input[title]", "数控机床采购合同"),
        v("input[rights_obligations]", "甲方付款，乙方交货并安装调试。"),
        v("input[payment_terms]", "银行转账"),
        v("input[delivery_date]", "2027-03-31"),
        v("input[breach_liability]", "违约方按日支付合同金额 0.05% 的违约金。"),
        v("input[lines][0][description]", "五轴数控加工中心"),
        v("input[lines][0][specification]", "VMC-850"),
        v("input[lines][0][unit]", "台"),
        v("input[lines][0][quantity]", qty),
        v("input[lines][0][unit_price]", price),
        v("input[lines][0][discount_pct]", ""),
        v("input[instalments][0][due_date]", "2027-01-15"),
        v("input[instalments][0][amount]", inst.0),
        v("input[instalments][0][description]", "预付款"),
        v("input[instalments][1][due_date]", "2027-04-30"),
        v("input[instalments][1][amount]", inst.1),
        v("input[instalments][1][description]", "验收款"),
    ]
}

async fn post(app: &TestApp, endpoint: &str, form: &[(String, String)], cookie: &str) -> common::Resp {
    let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    app.call(endpoint, &f, Some(cookie)).await
}

/// Drafts, fills and submits a 760,000 contract as wang.fang.
async fn submitted(app: &TestApp) -> (i64, i64, String) {
    let owner = app.sign_in("wang.fang", PASSWORD).await;
    let (cid, opp) = won_opportunity(app, "wang.fang").await;
    let id = draft(app, &owner, opp).await;
    let mut form = terms(id, version(app, id).await, "2", "380000", ("228000", "532000"));
    form.push(("submit".into(), "true".into()));
    let r = post(app, "sales/save_contract", &form, &owner).await;
    assert_eq!(r.status, 200, "{}", r.body);
    (id, cid, owner)
}

async fn review(app: &TestApp, id: i64, dept: &str) -> (i64, i64) {
    app.db
        .read()
        .fetch_one(
            "SELECT r.id, r.version FROM contract_reviews r JOIN departments d ON d.id = r.department_id JOIN contracts c ON c.id = r.contract_id \
             WHERE r.contract_id = $1 AND r.revision = c.revision AND r.review_round = c.review_round AND d.code = $2",
            args![id, dept],
        )
        .await
        .expect("review")
}

async fn decide(app: &TestApp, who: &str, id: i64, dept: &str, decision: &str, comment: &str) -> common::Resp {
    let cookie = app.sign_in(who, PASSWORD).await;
    let (rid, v) = review(app, id, dept).await;
    app.call(
        "sales/decide_review",
        &[("review_id", &rid.to_string()), ("version", &v.to_string()), ("decision", decision), ("comment", comment)],
        Some(&cookie),
    )
    .await
}

async fn approve_all(app: &TestApp, id: i64) {
    for (who, dept) in [("ma.lin", "finance"), ("lin.tao", "legal"), ("zhu.gang", "production")] {
        let r = decide(app, who, id, dept, "approve", "").await;
        assert_eq!(r.status, 200, "{who}: {}", r.body);
    }
}

async fn sign(app: &TestApp, who: &str, id: i64, version: i64) -> common::Resp {
    let cookie = app.sign_in(who, PASSWORD).await;
    app.call("sales/sign_contract", &[("id", &id.to_string()), ("version", &version.to_string())], Some(&cookie)).await
}

fn admin_viewer(id: i64, dept: i64) -> Viewer {
    Viewer { user_id: id, department_id: dept, role: Role::Admin }
}

async fn rule(app: &TestApp, clause: &str) -> app::compliance::RuleStatus {
    let (id, dept): (i64, i64) =
        app.db.read().fetch_one("SELECT id, department_id FROM users WHERE username = 'admin'", vec![]).await.expect("admin");
    let r = app::sales::contracts::rules::RULES.iter().find(|r| r.clause == clause).expect("rule");
    (r.eval)(&app.db, &admin_viewer(id, dept), chrono::Utc::now()).await.expect("rule eval")
}

both!(draft_needs_a_won_opportunity_and_carries_the_quotation, |app| {
    let owner = app.sign_in("wang.fang", PASSWORD).await;
    let (_, opp) = won_opportunity(&app, "wang.fang").await;
    // The latest approved quotation's lines come over (products' specification and unit).
    let now = chrono::Utc::now();
    let pid: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO products (code, name_zh, name_en, specification, unit, list_price_minor, version, created_at, updated_at) \
             VALUES ('T-CNC-1', '五轴加工中心', 'Five-axis machining centre', 'VMC-850', '台', 38000000, 1, $1, $1) RETURNING id",
            args![now],
        )
        .await
        .expect("product");
    let qid: i64 = app
        .db
        .read()
        .scalar(
            "INSERT INTO quotations (number, opportunity_id, status, valid_until, total_minor, version, created_at, updated_at) \
             VALUES ('BJ-T-1', $1, 'approved', $2, 0, 1, $3, $3) RETURNING id",
            args![opp, now.date_naive(), now],
        )
        .await
        .expect("quotation");
    app.db
        .read()
        .execute(
            "INSERT INTO quotation_lines (quotation_id, position, product_id, description, quantity, unit_price_minor, discount_bp, line_total_minor, delivery_days) \
             VALUES ($1, 1, $2, '', 2, 38000000, 1000, 68400000, 45)",
            args![qid, pid],
        )
        .await
        .expect("line");
    let id = draft(&app, &owner, opp).await;
    let (number, amount, st, rev): (String, i64, String, i64) = app
        .db
        .read()
        .fetch_one("SELECT number, amount_minor, status, revision FROM contracts WHERE id = $1", args![id])
        .await
        .expect("contract");
    assert!(number.starts_with("HT-") && number.len() == "HT-2026-0001".len(), "{number}");
    assert_eq!(amount, 68_400_000, "2 x 380,000 less 10 %");
    assert_eq!((st.as_str(), rev), ("draft", 1));
    let (desc, spec, unit): (String, String, String) = app
        .db
        .read()
        .fetch_one("SELECT description, specification, unit FROM contract_lines WHERE contract_id = $1", args![id])
        .await
        .expect("line");
    assert_eq!((desc.as_str(), spec.as_str(), unit.as_str()), ("五轴加工中心", "VMC-850", "台"));
    // Drafting again opens the same contract.
    assert_eq!(draft(&app, &owner, opp).await, id);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contracts WHERE opportunity_id = $1", args![opp]).await.expect("n");
    assert_eq!(n, 1);
    // Not won: refused at the field. Someone else's opportunity: forbidden.
    let (_, open) = won_opportunity(&app, "wang.fang").await;
    app.db.read().execute("INSERT INTO opportunity_stages (code, name_zh, name_en, probability, position, kind, active, version, created_at, updated_at) \
        VALUES ('t_open', '洽谈', 'Talks', 50, 10, 'open', $1, 1, $2, $2)", args![true, now]).await.expect("stage");
    app.db.read().execute("UPDATE opportunities SET stage_code = 't_open' WHERE id = $1", args![open]).await.expect("open");
    let r = app.call("sales/draft_contract", &[("opportunity_id", &open.to_string())], Some(&owner)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(key_of(&r, "opportunity_id"), "contracts.err_not_won");
    let (_, other) = won_opportunity(&app, "zhang.lei").await;
    let r = app.call("sales/draft_contract", &[("opportunity_id", &other.to_string())], Some(&owner)).await;
    assert_eq!(r.status, 403);
});

both!(required_terms_are_refused_at_their_fields, |app| {
    let owner = app.sign_in("wang.fang", PASSWORD).await;
    let (_, opp) = won_opportunity(&app, "wang.fang").await;
    let id = draft(&app, &owner, opp).await;
    let v = version(&app, id).await;
    let r = app.call("sales/save_contract", &[("id", &id.to_string()), ("version", &v.to_string()), ("submit", "true")], Some(&owner)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let f = fields(&r);
    for want in ["rights_obligations", "lines", "delivery_date", "breach_liability", "instalments"] {
        assert!(f.iter().any(|x| x == want), "{want} not in {f:?}");
    }
    // Instalments must add up to the amount.
    let mut form = terms(id, v, "2", "380000", ("228000", "500000"));
    form.push(("submit".into(), "true".into()));
    let r = post(&app, "sales/save_contract", &form, &owner).await;
    assert_eq!(r.status, 422);
    assert_eq!(key_of(&r, "instalments"), "contracts.val_instalment_sum");
    // A bad cell is named by its row.
    let mut bad = terms(id, v, "zwei", "380000", ("228000", "532000"));
    bad.push(("submit".into(), "true".into()));
    let r = post(&app, "sales/save_contract", &bad, &owner).await;
    assert_eq!(fields(&r), vec!["lines.0.quantity".to_string()]);
    assert_eq!((status(&app, id).await.as_str(), version(&app, id).await), ("draft", v), "nothing saved");
    // Saving an incomplete draft is fine; it stays a draft.
    let r = app.call("sales/save_contract", &[("id", &id.to_string()), ("version", &v.to_string()), ("input[title]", "草稿")], Some(&owner)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status(&app, id).await, "draft");
    // A stale version is a conflict.
    let r = app.call("sales/save_contract", &[("id", &id.to_string()), ("version", &v.to_string()), ("input[title]", "x")], Some(&owner)).await;
    assert_eq!(r.status, 409);
    // 2.2.3-b holds for this contract.
    let rb = rule(&app, "2.2.3-b").await;
    assert!(!rb.violations.iter().any(|x| x.link == format!("/sales/contracts/{id}")));
});

both!(submission_starts_three_reviews_with_department_tasks, |app| {
    let (id, _, _) = submitted(&app).await;
    assert_eq!(status(&app, id).await, "in_review");
    let rows: Vec<(String, String, bool)> = app
        .db
        .read()
        .fetch_all(
            "SELECT d.code, r.status, r.over_credit_limit FROM contract_reviews r JOIN departments d ON d.id = r.department_id \
             WHERE r.contract_id = $1 ORDER BY d.code",
            args![id],
        )
        .await
        .expect("reviews");
    let codes: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(codes, vec!["finance", "legal", "production"]);
    assert!(rows.iter().all(|r| r.1 == "pending" && !r.2));
    let tasks: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items i JOIN contract_reviews r ON r.id = i.source_id WHERE i.source_entity = 'contract_review' \
             AND r.contract_id = $1 AND i.recipient_department_id = r.department_id AND i.kind = 'task' AND i.done_at IS NULL",
            args![id],
        )
        .await
        .expect("tasks");
    assert_eq!(tasks, 3);
    let snap: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contract_versions WHERE contract_id = $1 AND revision = 1", args![id]).await.expect("v");
    assert_eq!(snap, 1, "submission freezes a snapshot");
    // Reviewers' departments now see it; a sales colleague does not.
    let finance = app.sign_in("ma.lin", PASSWORD).await;
    assert_eq!(app.call("sales/contract", &[("id", &id.to_string())], Some(&finance)).await.status, 200);
    let logistics = app.sign_in("he.na", PASSWORD).await;
    assert_eq!(app.call("sales/contract", &[("id", &id.to_string())], Some(&logistics)).await.status, 403);
    let colleague = app.sign_in("zhang.lei", PASSWORD).await;
    assert_eq!(app.call("sales/contract", &[("id", &id.to_string())], Some(&colleague)).await.status, 403);
    // The finance member's My work holds the task.
    let work = app.call("inbox/my_work", &[], Some(&finance)).await;
    assert!(work.body.contains("contracts.inbox_review"), "{}", work.body);
});

both!(over_the_credit_limit_flags_every_review, |app| {
    let owner = app.sign_in("wang.fang", PASSWORD).await;
    let (cid, opp) = won_opportunity(&app, "wang.fang").await;
    app.db.read().execute("UPDATE customers SET credit_limit_minor = $1 WHERE id = $2", args![50_000_000i64, cid]).await.expect("limit");
    let id = draft(&app, &owner, opp).await;
    let mut form = terms(id, version(&app, id).await, "2", "380000", ("228000", "532000"));
    form.push(("submit".into(), "true".into()));
    assert_eq!(post(&app, "sales/save_contract", &form, &owner).await.status, 200);
    let flagged: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM contract_reviews WHERE contract_id = $1 AND over_credit_limit = $2", args![id, true])
        .await
        .expect("flags");
    assert_eq!(flagged, 3);
});

both!(a_rejection_returns_the_contract_to_draft_with_comments, |app| {
    let (id, _, owner) = submitted(&app).await;
    assert_eq!(decide(&app, "ma.lin", id, "finance", "approve", "").await.status, 200);
    // Not a member of the department: forbidden. No comment on a rejection: refused at the field.
    assert_eq!(decide(&app, "lin.tao", id, "production", "approve", "").await.status, 403);
    let r = decide(&app, "zhu.gang", id, "production", "reject", "  ").await;
    assert_eq!(r.status, 422);
    assert_eq!(fields(&r), vec!["comment".to_string()]);
    let r = decide(&app, "zhu.gang", id, "production", "reject", "交期过紧，请顺延 30 天").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status(&app, id).await, "draft");
    let st: Vec<(String, String, String)> = app
        .db
        .read()
        .fetch_all(
            "SELECT d.code, r.status, r.comment FROM contract_reviews r JOIN departments d ON d.id = r.department_id WHERE r.contract_id = $1 ORDER BY d.code",
            args![id],
        )
        .await
        .expect("reviews");
    assert_eq!(st[0].1, "approved");
    assert_eq!(st[1].1, "withdrawn", "the other pending review is withdrawn");
    assert_eq!((st[2].1.as_str(), st[2].2.as_str()), ("rejected", "交期过紧，请顺延 30 天"));
    let open_tasks: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items i JOIN contract_reviews r ON r.id = i.source_id WHERE i.source_entity = 'contract_review' \
             AND r.contract_id = $1 AND i.done_at IS NULL",
            args![id],
        )
        .await
        .expect("tasks");
    assert_eq!(open_tasks, 0);
    let work = app.call("inbox/my_work", &[], Some(&owner)).await;
    assert!(work.body.contains("contracts.inbox_rejected"), "the owner is told");
    // The comment is on the contract page; resubmitting starts a new round.
    let view = app.call("sales/contract", &[("id", &id.to_string())], Some(&owner)).await;
    assert!(view.body.contains("交期过紧"));
    let mut form = terms(id, version(&app, id).await, "2", "380000", ("228000", "532000"));
    form.push(("submit".into(), "true".into()));
    assert_eq!(post(&app, "sales/save_contract", &form, &owner).await.status, 200);
    let pending: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM contract_reviews WHERE contract_id = $1 AND review_round = 2 AND status = 'pending'", args![id])
        .await
        .expect("round 2");
    assert_eq!(pending, 3);
    let kept: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contract_reviews WHERE contract_id = $1 AND review_round = 1", args![id]).await.expect("r1");
    assert_eq!(kept, 3, "the first round stays on record");
});

both!(signing_needs_every_approval_and_enough_authority_once, |app| {
    let (id, cid, owner) = submitted(&app).await;
    // 2.2.3-c: not before every review approved.
    let r = sign(&app, "sun.wei", id, version(&app, id).await).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(key_of(&r, "signer"), "contracts.err_not_approved");
    approve_all(&app, id).await;
    assert_eq!(status(&app, id).await, "approved");
    let work = app.call("inbox/my_work", &[], Some(&owner)).await;
    assert!(work.body.contains("contracts.inbox_approved"));
    let v = version(&app, id).await;
    // 2.2.3-d: no authority / limit too low.
    let r = sign(&app, "wang.fang", id, v).await;
    assert_eq!(key_of(&r, "signer"), "contracts.err_no_authority", "{}", r.body);
    let r = sign(&app, "li.qiang", id, v).await;
    assert_eq!(r.status, 422);
    assert_eq!(key_of(&r, "signer"), "contracts.err_limit");
    // Awaiting my signature: sun.wei sees it, li.qiang (limit too low) does not.
    let sun = app.sign_in("sun.wei", PASSWORD).await;
    let list = app.call("sales/contracts", &[("query[waiting]", "sign")], Some(&sun)).await;
    assert!(list.body.contains(&format!("\"id\":{id},")), "{}", list.body);
    let li = app.sign_in("li.qiang", PASSWORD).await;
    let list = app.call("sales/contracts", &[("query[waiting]", "sign")], Some(&li)).await;
    assert!(!list.body.contains(&format!("\"id\":{id},")));
    // A stale version is refused; then the right one signs; twice is refused.
    assert_eq!(sign(&app, "sun.wei", id, v - 1).await.status, 409);
    let r = sign(&app, "sun.wei", id, v).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status(&app, id).await, "signed");
    assert_eq!(sign(&app, "sun.wei", id, v).await.status, 409, "signing twice");
    assert_eq!(sign(&app, "zhao.min", id, version(&app, id).await).await.status, 422, "already signed");
    // Copies with acknowledgement tasks, receivables from the schedule, prospect -> customer.
    let copies: Vec<(String,)> = app
        .db
        .read()
        .fetch_all("SELECT d.code FROM contract_copies c JOIN departments d ON d.id = c.department_id WHERE c.contract_id = $1 ORDER BY d.code", args![id])
        .await
        .expect("copies");
    assert_eq!(copies.into_iter().map(|c| c.0).collect::<Vec<_>>(), vec!["finance", "logistics", "production"]);
    let tasks: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items i JOIN contract_copies c ON c.id = i.source_id WHERE i.source_entity = 'contract_copy' \
             AND c.contract_id = $1 AND i.due_at IS NOT NULL AND i.recipient_department_id = c.department_id",
            args![id],
        )
        .await
        .expect("tasks");
    assert_eq!(tasks, 3);
    let rec: Vec<(i64, i64, String)> = app
        .db
        .read()
        .fetch_all("SELECT seq, amount_minor, status FROM receivables WHERE contract_id = $1 ORDER BY seq", args![id])
        .await
        .expect("receivables");
    assert_eq!(rec, vec![(1, 22_800_000, "open".into()), (2, 53_200_000, "open".into())]);
    let cs: String = app.db.read().scalar("SELECT status FROM customers WHERE id = $1", args![cid]).await.expect("customer");
    assert_eq!(cs, "customer");
    for clause in ["2.2.3-c", "2.2.3-d"] {
        let r = rule(&app, clause).await;
        assert!(!r.violations.iter().any(|x| x.link == format!("/sales/contracts/{id}")), "{clause}");
    }
    // Audited in the same transaction.
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'contract' AND record_id = $1 AND action = 'sign_contract'", args![id]).await.expect("audit");
    assert_eq!(n, 1);
});

both!(acknowledging_copies_clears_rule_223e, |app| {
    let (id, _, _) = submitted(&app).await;
    approve_all(&app, id).await;
    assert_eq!(sign(&app, "sun.wei", id, version(&app, id).await).await.status, 200);
    // Make the copies late: sent three weeks ago.
    let past = chrono::Utc::now() - chrono::Duration::days(21);
    app.db.read().execute("UPDATE contract_copies SET sent_at = $1 WHERE contract_id = $2", args![past, id]).await.expect("late");
    let link = format!("/sales/contracts/{id}");
    let before = rule(&app, "2.2.3-e").await;
    assert_eq!(before.violations.iter().filter(|v| v.link == link).count(), 3);
    // Only the receiving department may acknowledge its copy.
    let (fin_copy, fin_v): (i64, i64) = app
        .db
        .read()
        .fetch_one("SELECT c.id, c.version FROM contract_copies c JOIN departments d ON d.id = c.department_id WHERE c.contract_id = $1 AND d.code = 'finance'", args![id])
        .await
        .expect("copy");
    let he = app.sign_in("he.na", PASSWORD).await;
    assert_eq!(app.call("sales/acknowledge_copy", &[("copy_id", &fin_copy.to_string()), ("version", &fin_v.to_string())], Some(&he)).await.status, 403);
    for (who, dept) in [("ma.lin", "finance"), ("hu.bin", "production"), ("he.na", "logistics")] {
        let cookie = app.sign_in(who, PASSWORD).await;
        let (cp, v): (i64, i64) = app
            .db
            .read()
            .fetch_one("SELECT c.id, c.version FROM contract_copies c JOIN departments d ON d.id = c.department_id WHERE c.contract_id = $1 AND d.code = $2", args![id, dept])
            .await
            .expect("copy");
        let r = app.call("sales/acknowledge_copy", &[("copy_id", &cp.to_string()), ("version", &v.to_string())], Some(&cookie)).await;
        assert_eq!(r.status, 200, "{who}: {}", r.body);
        // Twice is a conflict.
        let r = app.call("sales/acknowledge_copy", &[("copy_id", &cp.to_string()), ("version", &v.to_string())], Some(&cookie)).await;
        assert_eq!(r.status, 409);
    }
    let after = rule(&app, "2.2.3-e").await;
    assert_eq!(after.violations.iter().filter(|v| v.link == link).count(), 0);
    assert_eq!(after.count, before.count - 3);
    let open: i64 = app
        .db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM inbox_items i JOIN contract_copies c ON c.id = i.source_id WHERE i.source_entity = 'contract_copy' AND c.contract_id = $1 AND i.done_at IS NULL",
            args![id],
        )
        .await
        .expect("tasks");
    assert_eq!(open, 0, "acknowledging closes the task");
});

both!(an_amendment_keeps_the_signed_version_readable, |app| {
    let (id, _, owner) = submitted(&app).await;
    approve_all(&app, id).await;
    assert_eq!(sign(&app, "sun.wei", id, version(&app, id).await).await.status, 200);
    // Part of the first instalment is paid (the receivables part records payments).
    app.db.read().execute("UPDATE receivables SET paid_minor = 10000000 WHERE contract_id = $1 AND seq = 1", args![id]).await.expect("paid");
    let r = app.call("sales/amend_contract", &[("id", &id.to_string()), ("version", &version(&app, id).await.to_string())], Some(&owner)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (st, rev): (String, i64) = app.db.read().fetch_one("SELECT status, revision FROM contracts WHERE id = $1", args![id]).await.expect("c");
    assert_eq!((st.as_str(), rev), ("draft", 2));
    // Revision 2: three machines, the first instalment lowered below what was paid, one instalment only.
    let v = version(&app, id).await;
    let mut form = terms(id, v, "3", "380000", ("50000", "1090000"));
    form.push(("submit".into(), "true".into()));
    let r = post(&app, "sales/save_contract", &form, &owner).await;
    assert_eq!(r.status, 200, "{}", r.body);
    approve_all(&app, id).await;
    assert_eq!(sign(&app, "sun.wei", id, version(&app, id).await).await.status, 200);
    // The signed revision 1 is still readable as it was.
    let old = app.call("sales/contract_version", &[("id", &id.to_string()), ("revision", "1")], Some(&owner)).await;
    assert_eq!(old.status, 200, "{}", old.body);
    assert_eq!(old.json()["snapshot"]["amount_minor"], 76_000_000);
    assert_eq!(old.json()["snapshot"]["lines"][0]["quantity"], 2);
    assert!(old.json()["signed_at"].is_string());
    let new = app.call("sales/contract_version", &[("id", &id.to_string()), ("revision", "2")], Some(&owner)).await;
    assert_eq!(new.json()["snapshot"]["amount_minor"], 114_000_000);
    let view = app.call("sales/contract", &[("id", &id.to_string())], Some(&owner)).await;
    assert_eq!(view.json()["versions"].as_array().map(|v| v.len()), Some(2));
    // Receivables follow by seq, never below what was paid.
    let rec: Vec<(i64, i64, i64)> = app
        .db
        .read()
        .fetch_all("SELECT seq, amount_minor, paid_minor FROM receivables WHERE contract_id = $1 ORDER BY seq", args![id])
        .await
        .expect("rec");
    assert_eq!(rec, vec![(1, 10_000_000, 10_000_000), (2, 109_000_000, 0)]);
    // Copies of revision 2 went out too.
    let copies: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contract_copies WHERE contract_id = $1 AND revision = 2", args![id]).await.expect("copies");
    assert_eq!(copies, 3);
});

both!(admins_manage_signing_authorities, |app| {
    let admin = app.sign_in("admin", PASSWORD).await;
    let staff = app.sign_in("zhang.lei", PASSWORD).await;
    let uid = app.user_id("zhang.lei").await.to_string();
    let form = [("id", ""), ("version", ""), ("user_id", uid.as_str()), ("limit", "200000"), ("active", "on")];
    assert_eq!(app.call("sales/save_signing_authority", &form, Some(&staff)).await.status, 403);
    let r = app.call("sales/save_signing_authority", &[("id", ""), ("version", ""), ("user_id", uid.as_str()), ("limit", "abc")], Some(&admin)).await;
    assert_eq!(fields(&r), vec!["limit".to_string()]);
    assert_eq!(app.call("sales/save_signing_authority", &form, Some(&admin)).await.status, 200);
    assert_eq!(app.call("sales/save_signing_authority", &form, Some(&admin)).await.status, 422, "one authority per person");
    let (aid, v): (i64, i64) = app.db.read().fetch_one("SELECT id, version FROM signing_authorities WHERE user_id = $1", args![app.user_id("zhang.lei").await]).await.expect("a");
    // Deactivate (no `active`).
    let r = app
        .call("sales/save_signing_authority", &[("id", &aid.to_string()), ("version", &v.to_string()), ("user_id", uid.as_str()), ("limit", "200000")], Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let active: bool = app.db.read().scalar("SELECT active FROM signing_authorities WHERE id = $1", args![aid]).await.expect("a");
    assert!(!active);
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'signing_authority' AND record_id = $1", args![aid]).await.expect("audit");
    assert_eq!(n, 2);
    let list = app.call("sales/signing_authorities", &[], Some(&admin)).await;
    assert!(list.body.contains("sun.wei") && list.body.contains("500000"), "demo authorities: {}", list.body);
});

both!(demo_has_contracts_in_every_state_and_rules_see_them, |app| {
    let states: Vec<(String, i64)> = app
        .db
        .read()
        .fetch_all("SELECT status, COUNT(*) FROM contracts GROUP BY status ORDER BY status", vec![])
        .await
        .expect("states");
    for s in ["approved", "draft", "in_review", "signed"] {
        assert!(states.iter().any(|x| x.0 == s && x.1 > 0), "{s}: {states:?}");
    }
    let amended: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contracts WHERE revision = 2", vec![]).await.expect("amended");
    assert_eq!(amended, 1);
    let flagged: i64 = app.db.read().scalar("SELECT COUNT(*) FROM contract_reviews WHERE over_credit_limit = $1", args![true]).await.expect("f");
    assert!(flagged > 0);
    let late = rule(&app, "2.2.3-e").await;
    assert_eq!(late.count, 1, "one copy past its deadline: {:?}", late.violations);
    for clause in ["2.2.3-b", "2.2.3-c", "2.2.3-d"] {
        assert_eq!(rule(&app, clause).await.count, 0, "{clause}");
    }
    // Breaking a signed contract's terms shows under 2.2.3-b.
    let id: i64 = app.db.read().scalar("SELECT id FROM contracts WHERE status = 'signed' ORDER BY id LIMIT 1", vec![]).await.expect("id");
    app.db.read().execute("UPDATE contracts SET breach_liability = '' WHERE id = $1", args![id]).await.expect("break");
    assert_eq!(rule(&app, "2.2.3-b").await.count, 1);
    // Pages render for the owner and for the admin signing page.
    let admin = app.sign_in("admin", PASSWORD).await;
    for path in ["/sales/contracts".to_string(), format!("/sales/contracts/{id}"), format!("/sales/contracts/{id}/versions/1"), "/admin/signing".to_string()] {
        let r = app.get(&path, Some(&admin)).await;
        assert_eq!(r.status, 200, "{path}: {}", &r.body[..r.body.len().min(400)]);
    }
});
