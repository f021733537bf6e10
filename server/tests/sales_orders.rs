//! Orders (2.2.4), receivables, payments and ageing: storage and server
//! functions, each test on SQLite and PostgreSQL.
use crate::common;
use app::args;
use app::core::perm::{Role, Viewer};
use app::core::time::company_today;
use chrono::{Duration, NaiveDate, Utc};
use common::{PASSWORD, TestApp};

struct Fixture {
    contract: i64,
    customer: i64,
    receivables: Vec<i64>,
}

/// A signed contract owned by wang.fang (sales) with two lines; one receivable per
/// `(days from today, amount in fen)` instalment. Direct SQL: contracts belong to
/// another part.
async fn signed_contract(app: &TestApp, customer_name: &str, instalments: &[(i64, i64)]) -> Fixture {
    let db = &app.db;
    let now = Utc::now();
    let today = company_today(now);
    let (owner, dept): (i64, i64) =
        db.read().fetch_one("SELECT id, department_id FROM users WHERE username = $1", args!["wang.fang"]).await.expect("owner");
    let customer: i64 = db
        .read()
        .scalar(
            "INSERT INTO customers (name, name_norm, status, owner_id, department_id, version, created_at, updated_at) \
             VALUES ($1, $1, $2, $3, $4, 1, $5, $5) RETURNING id",
            args![customer_name, "customer", owner, dept, now],
        )
        .await
        .expect("customer");
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM contracts", vec![]).await.expect("count");
    let contract: i64 = db
        .read()
        .scalar(
            "INSERT INTO contracts (number, title, customer_id, status, amount_minor, currency, delivery_date, signed_at, owner_id, \
             department_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $8, $8) RETURNING id",
            args![format!("HT-T-{:04}", n + 1), "测试合同", customer, "signed", 1_000_000i64, "CNY", today + Duration::days(30), now, owner, dept],
        )
        .await
        .expect("contract");
    for (pos, desc, unit, qty) in [(1i64, "数控加工中心", "台", 2i64), (2, "自动换刀装置", "套", 3)] {
        db.read()
            .execute(
                "INSERT INTO contract_lines (contract_id, position, description, unit, quantity, unit_price_minor, line_total_minor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                args![contract, pos, desc, unit, qty, 100_000i64, qty * 100_000],
            )
            .await
            .expect("line");
    }
    let mut receivables = Vec::new();
    for (i, (days, amount)) in instalments.iter().enumerate() {
        let due = today + Duration::days(*days);
        db.read()
            .execute(
                "INSERT INTO contract_instalments (contract_id, seq, due_date, amount_minor) VALUES ($1, $2, $3, $4)",
                args![contract, (i + 1) as i64, due, *amount],
            )
            .await
            .expect("instalment");
        let id: i64 = db
            .read()
            .scalar(
                "INSERT INTO receivables (contract_id, customer_id, seq, due_date, amount_minor, currency, status, owner_id, department_id, \
                 version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id",
                args![contract, customer, (i + 1) as i64, due, *amount, "CNY", "open", owner, dept, now],
            )
            .await
            .expect("receivable");
        receivables.push(id);
    }
    Fixture { contract, customer, receivables }
}

fn planned() -> String {
    (company_today(Utc::now()) + Duration::days(20)).to_string()
}

async fn create_order(app: &TestApp, cookie: &str, contract: i64) -> i64 {
    let c = contract.to_string();
    let d = planned();
    let r = app
        .call(
            "sales/create_order",
            &[("contract_id", &c), ("planned_ship_date", ""), ("planned_delivery_date", &d), ("line_dates[0]", &d), ("line_dates[1]", "")],
            Some(cookie),
        )
        .await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    app.db
        .read()
        .scalar("SELECT id FROM orders WHERE contract_id = $1 ORDER BY id DESC LIMIT 1", args![contract])
        .await
        .expect("order id")
}

async fn version(app: &TestApp, order: i64) -> String {
    let v: i64 = app.db.read().scalar("SELECT version FROM orders WHERE id = $1", args![order]).await.expect("version");
    v.to_string()
}

async fn step(app: &TestApp, cookie: &str, order: i64, to: &str, extra: &[(&str, &str)]) -> common::Resp {
    let id = order.to_string();
    let v = version(app, order).await;
    let mut form = vec![("id", id.as_str()), ("version", v.as_str()), ("to", to)];
    form.extend_from_slice(extra);
    app.call("sales/advance_order", &form, Some(cookie)).await
}

async fn viewer(app: &TestApp, username: &str) -> Viewer {
    let (id, dept, role): (i64, i64, String) =
        app.db.read().fetch_one("SELECT id, department_id, role FROM users WHERE username = $1", args![username]).await.expect("user");
    Viewer { user_id: id, department_id: dept, role: Role::parse(&role).expect("role") }
}

both!(order_created_from_contract_lines, |app| {
    let fx = signed_contract(&app, "苏州恒达精密机械有限公司", &[(30, 500_000)]).await;
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    // The new-order form reads the contract's lines.
    let r = app.call("sales/order_contract", &[("contract_id", &fx.contract.to_string())], Some(&wang)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["lines"].as_array().map(|l| l.len()), Some(2));
    let order = create_order(&app, &wang, fx.contract).await;
    let (number, status, owner, customer): (String, String, i64, i64) = app
        .db
        .read()
        .fetch_one("SELECT number, status, owner_id, customer_id FROM orders WHERE id = $1", args![order])
        .await
        .expect("order");
    let year = app::core::time::company_year(Utc::now());
    assert!(number.starts_with(&format!("DD-{year}-")) && number.len() == 12, "{number}");
    assert_eq!(status, "confirmed");
    assert_eq!(owner, app.user_id("wang.fang").await, "owner from the contract");
    assert_eq!(customer, fx.customer);
    let lines: Vec<(String, String, i64, NaiveDate)> = app
        .db
        .read()
        .fetch_all("SELECT description, unit, quantity, planned_date FROM order_lines WHERE order_id = $1 ORDER BY position", args![order])
        .await
        .expect("lines");
    let d = NaiveDate::parse_from_str(&planned(), "%Y-%m-%d").expect("date");
    assert_eq!(lines, vec![("数控加工中心".into(), "台".into(), 2, d), ("自动换刀装置".into(), "套".into(), 3, d)]);
    // A second order gets the next number.
    let second = create_order(&app, &wang, fx.contract).await;
    let n2: String = app.db.read().scalar("SELECT number FROM orders WHERE id = $1", args![second]).await.expect("n");
    assert!(n2 > number, "{n2} after {number}");
    // Audited, and visible in the list and to production (they execute orders).
    let audits: i64 = app.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'order' AND record_id = $1", args![order]).await.expect("audit");
    assert_eq!(audits, 1);
    let r = app.call("sales/orders", &[("query[q]", &number)], Some(&wang)).await;
    assert_eq!(r.json()["page"]["total"], 1, "{}", r.body);
    let hu = app.sign_in("hu.bin", PASSWORD).await;
    let r = app.call("sales/order", &[("id", &order.to_string())], Some(&hu)).await;
    assert_eq!(r.status, 200, "production sees orders: {}", r.body);
    // Another salesperson neither sees the contract nor the order; finance does not see orders.
    let liu = app.sign_in("liu.yang", PASSWORD).await;
    let r = app
        .call("sales/create_order", &[("contract_id", &fx.contract.to_string()), ("planned_ship_date", ""), ("planned_delivery_date", &planned())], Some(&liu))
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app.call("sales/order", &[("id", &order.to_string())], Some(&liu)).await;
    assert_eq!(r.status, 404);
    // A missing delivery date is refused at its field.
    let r = app
        .call("sales/create_order", &[("contract_id", &fx.contract.to_string()), ("planned_ship_date", "x"), ("planned_delivery_date", "")], Some(&wang))
        .await;
    assert_eq!(r.status, 422);
    let fields: Vec<String> = r.json()["Validation"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(fields, ["planned_ship_date", "planned_delivery_date"]);
});

both!(status_steps_in_order_only_and_otif, |app| {
    let fx = signed_contract(&app, "杭州万向智能科技有限公司", &[]).await;
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let order = create_order(&app, &wang, fx.contract).await;
    // No skipping a step.
    let r = step(&app, &wang, order, "shipped", &[("date", &company_today(Utc::now()).to_string())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["Validation"][0]["field"], "to");
    // A stale version is a conflict.
    let r = app.call("sales/advance_order", &[("id", &order.to_string()), ("version", "99"), ("to", "in_production")], Some(&wang)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = step(&app, &wang, order, "in_production", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    // Shipping needs the actual ship date.
    let r = step(&app, &wang, order, "shipped", &[]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["Validation"][0]["field"], "date");
    let today = company_today(Utc::now()).to_string();
    let r = step(&app, &wang, order, "shipped", &[("date", &today)]).await;
    assert!(r.status.is_success(), "{}", r.body);
    // Delivery: one line short -> on time, not in full.
    let r = step(&app, &wang, order, "delivered", &[("date", &today), ("delivered[0]", "2"), ("delivered[1]", "2")]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (status, on_time, in_full, actual): (String, Option<bool>, Option<bool>, Option<NaiveDate>) = app
        .db
        .read()
        .fetch_one("SELECT status, on_time, in_full, actual_delivery_date FROM orders WHERE id = $1", args![order])
        .await
        .expect("order");
    assert_eq!(status, "delivered");
    assert_eq!((on_time, in_full), (Some(true), Some(false)));
    assert_eq!(actual.map(|d| d.to_string()), Some(today.clone()));
    let delivered: Vec<(i64,)> =
        app.db.read().fetch_all("SELECT delivered_quantity FROM order_lines WHERE order_id = $1 ORDER BY position", args![order]).await.expect("lines");
    assert_eq!(delivered, vec![(2,), (2,)]);
    let r = step(&app, &wang, order, "closed", &[]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = step(&app, &wang, order, "closed", &[]).await;
    assert_eq!(r.status, 422, "nothing after closed");
    let changes: Vec<(Option<String>, String)> = app
        .db
        .read()
        .fetch_all("SELECT from_status, to_status FROM order_status_changes WHERE order_id = $1 ORDER BY id", args![order])
        .await
        .expect("changes");
    let to: Vec<&str> = changes.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(to, ["confirmed", "in_production", "shipped", "delivered", "closed"]);
    // A second order delivered late but in full.
    let late = create_order(&app, &wang, fx.contract).await;
    app.db.read().execute("UPDATE orders SET planned_delivery_date = $1 WHERE id = $2", args![company_today(Utc::now()) - Duration::days(3), late]).await.expect("backdate");
    for (to, extra) in [("in_production", vec![]), ("shipped", vec![("date", today.as_str())])] {
        let r = step(&app, &wang, late, to, &extra).await;
        assert!(r.status.is_success(), "{}", r.body);
    }
    let r = app.call("sales/orders", &[("query[late]", "1"), ("query[q]", "")], Some(&wang)).await;
    let ids: Vec<i64> = r.json()["page"]["rows"].as_array().expect("rows").iter().filter_map(|o| o["id"].as_i64()).collect();
    assert!(ids.contains(&late) && !ids.contains(&order), "late filter: {ids:?}");
    let r = step(&app, &wang, late, "delivered", &[("date", &today), ("delivered[0]", "2"), ("delivered[1]", "3")]).await;
    assert!(r.status.is_success(), "{}", r.body);
    let otif: (Option<bool>, Option<bool>) =
        app.db.read().fetch_one("SELECT on_time, in_full FROM orders WHERE id = $1", args![late]).await.expect("otif");
    assert_eq!(otif, (Some(false), Some(true)));
});

both!(exception_notifies_the_leader, |app| {
    let fx = signed_contract(&app, "成都天府新能源装备有限公司", &[]).await;
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let order = create_order(&app, &wang, fx.contract).await;
    let o = order.to_string();
    let r = app.call("sales/report_exception", &[("order_id", &o), ("kind", "production_delay"), ("description", ""), ("cause", ""), ("measures", "")], Some(&wang)).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["Validation"][0]["field"], "description");
    let r = app
        .call("sales/report_exception", &[("order_id", &o), ("kind", "production_delay"), ("description", "主轴供应商延迟"), ("cause", ""), ("measures", "")], Some(&wang))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let exc = r.json().as_i64().expect("id");
    let li = app.user_id("li.qiang").await;
    let leader: Option<i64> = app.db.read().scalar("SELECT leader_id FROM order_exceptions WHERE id = $1", args![exc]).await.expect("leader");
    assert_eq!(leader, Some(li), "wang.fang's supervisor");
    // In li.qiang's My work at once, linking to the order.
    let lq = app.sign_in("li.qiang", PASSWORD).await;
    let work = app.call("inbox/my_work", &[], Some(&lq)).await;
    let link = format!("/sales/orders/{order}");
    let item = work.json()["open"].as_array().expect("open").iter().find(|i| i["link"] == link.as_str()).cloned();
    let item = item.unwrap_or_else(|| panic!("no task for the leader: {}", work.body));
    assert_eq!(item["kind"], "task");
    let r = app.call("sales/order", &[("id", &o)], Some(&lq)).await;
    assert_eq!(r.status, 200, "the leader opens the order");
    // Without a supervisor, the department's manager is the leader.
    app.db.read().execute("UPDATE users SET supervisor_id = NULL WHERE username = $1", args!["wang.fang"]).await.expect("no supervisor");
    let r = app.call("sales/report_exception", &[("order_id", &o), ("kind", "quality"), ("description", "端子松动"), ("cause", ""), ("measures", "")], Some(&wang)).await;
    let second = r.json().as_i64().expect("id");
    let leader: Option<i64> = app.db.read().scalar("SELECT leader_id FROM order_exceptions WHERE id = $1", args![second]).await.expect("leader");
    assert_eq!(leader, Some(li), "the sales manager");
    // Cause and measures: analysed; resolved closes the leader's task.
    let r = app.call("sales/update_exception", &[("id", &exc.to_string()), ("version", "1"), ("cause", "供应商产能不足"), ("measures", ""), ("status", "resolved")], Some(&wang)).await;
    assert_eq!(r.status, 422, "resolving needs measures: {}", r.body);
    let r = app
        .call("sales/update_exception", &[("id", &exc.to_string()), ("version", "1"), ("cause", "供应商产能不足"), ("measures", "启用备选供应商"), ("status", "resolved")], Some(&wang))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let (analysed, status): (Option<chrono::DateTime<Utc>>, String) =
        app.db.read().fetch_one("SELECT analysed_at, status FROM order_exceptions WHERE id = $1", args![exc]).await.expect("exc");
    assert!(analysed.is_some());
    assert_eq!(status, "resolved");
    let open: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM inbox_items WHERE source_entity = 'order_exception' AND source_id = $1 AND done_at IS NULL", args![exc])
        .await
        .expect("tasks");
    assert_eq!(open, 0);
});

both!(rule_customer_updates_224b, |app| {
    let fx = signed_contract(&app, "无锡华光电气有限公司", &[]).await;
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let order = create_order(&app, &wang, fx.contract).await;
    let v = viewer(&app, "li.qiang").await;
    let listed = |s: &app::compliance::RuleStatus| s.violations.iter().any(|x| x.link == format!("/sales/orders/{order}"));
    let s = app::sales::orders::rules::customer_updates(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(!listed(&s), "a new order has its 14 days");
    app.db.read().execute("UPDATE orders SET created_at = $1 WHERE id = $2", args![Utc::now() - Duration::days(20), order]).await.expect("age");
    let s = app::sales::orders::rules::customer_updates(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(listed(&s), "{s:?}");
    // Finance does not see sales orders, so not the violation either.
    let f = viewer(&app, "ma.lin").await;
    let s = app::sales::orders::rules::customer_updates(&app.db, &f, Utc::now()).await.expect("rule");
    assert!(!listed(&s));
    let r = app
        .call("sales/add_order_update", &[("order_id", &order.to_string()), ("told_at", ""), ("channel", "phone"), ("content", "已告知客户生产进度")], Some(&wang))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let s = app::sales::orders::rules::customer_updates(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(!listed(&s), "cleared by the update");
    let last: Option<chrono::DateTime<Utc>> =
        app.db.read().scalar("SELECT last_customer_update_at FROM orders WHERE id = $1", args![order]).await.expect("last");
    assert!(last.is_some());
    // A bad channel and empty content are refused at their fields.
    let r = app.call("sales/add_order_update", &[("order_id", &order.to_string()), ("told_at", "soon"), ("channel", "fax"), ("content", " ")], Some(&wang)).await;
    assert_eq!(r.status, 422);
    let fields: Vec<String> = r.json()["Validation"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(fields, ["content", "channel", "told_at"]);
});

both!(rule_exceptions_analysed_224c, |app| {
    let fx = signed_contract(&app, "宁波东海模具有限公司", &[]).await;
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let order = create_order(&app, &wang, fx.contract).await;
    let r = app
        .call("sales/report_exception", &[("order_id", &order.to_string()), ("kind", "other"), ("description", "包装破损"), ("cause", "运输颠簸"), ("measures", "")], Some(&wang))
        .await;
    let exc = r.json().as_i64().expect("id");
    let v = viewer(&app, "zhao.min").await;
    let listed = |s: &app::compliance::RuleStatus| s.violations.iter().any(|x| x.link == format!("/sales/orders/{order}"));
    let s = app::sales::orders::rules::exceptions_analysed(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(!listed(&s), "just reported: still within the deadline");
    app.db.read().execute("UPDATE order_exceptions SET reported_at = $1 WHERE id = $2", args![Utc::now() - Duration::days(10), exc]).await.expect("age");
    let s = app::sales::orders::rules::exceptions_analysed(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(listed(&s) && s.count >= 1, "{s:?}");
    let r = app
        .call("sales/update_exception", &[("id", &exc.to_string()), ("version", "1"), ("cause", "运输颠簸"), ("measures", "加固包装"), ("status", "in_progress")], Some(&wang))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let s = app::sales::orders::rules::exceptions_analysed(&app.db, &v, Utc::now()).await.expect("rule");
    assert!(!listed(&s), "cause and measures recorded");
    // The status cannot go back.
    let r = app.call("sales/update_exception", &[("id", &exc.to_string()), ("version", "2"), ("cause", "运输颠簸"), ("measures", "加固包装"), ("status", "open")], Some(&wang)).await;
    assert_eq!(r.status, 422);
});

both!(payments_partial_then_full_and_refusals, |app| {
    let fx = signed_contract(&app, "常州天宁机电有限公司", &[(-10, 100_000)]).await;
    let rid = fx.receivables[0].to_string();
    let today = company_today(Utc::now()).to_string();
    let ma = app.sign_in("ma.lin", PASSWORD).await;
    let pay = |version: &str, amount: &str| {
        vec![
            ("id".to_string(), rid.clone()),
            ("version".to_string(), version.to_string()),
            ("paid_on".to_string(), today.clone()),
            ("amount".to_string(), amount.to_string()),
            ("method".to_string(), "bank_transfer".to_string()),
            ("reference".to_string(), "HD-001".to_string()),
        ]
    };
    let call = |form: Vec<(String, String)>, cookie: String| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            app.call("sales/record_payment", &f, Some(&cookie)).await
        }
    };
    // Non-finance staff cannot record payments (even the owner).
    let wang = app.sign_in("wang.fang", PASSWORD).await;
    let r = call(pay("1", "100"), wang.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Overpayment and zero are refused at the amount field.
    let r = call(pay("1", "1000.01"), ma.clone()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["Validation"][0]["field"], "amount");
    assert_eq!(r.json()["Validation"][0]["key"], "recv.val_overpaid");
    let r = call(pay("1", "0"), ma.clone()).await;
    assert_eq!(r.json()["Validation"][0]["key"], "recv.val_positive");
    // Partial payment.
    let r = call(pay("1", "400"), ma.clone()).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (paid, status): (i64, String) = app.db.read().fetch_one("SELECT paid_minor, status FROM receivables WHERE id = $1", args![fx.receivables[0]]).await.expect("r");
    assert_eq!((paid, status.as_str()), (40_000, "open"));
    // A stale version is a conflict; the rest pays it in full.
    let r = call(pay("1", "600"), ma.clone()).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = call(pay("2", "600.01"), ma.clone()).await;
    assert_eq!(r.status, 422, "more than what is left");
    let r = call(pay("2", "600"), ma.clone()).await;
    assert!(r.status.is_success(), "{}", r.body);
    let (paid, status): (i64, String) = app.db.read().fetch_one("SELECT paid_minor, status FROM receivables WHERE id = $1", args![fx.receivables[0]]).await.expect("r");
    assert_eq!((paid, status.as_str()), (100_000, "paid"));
    let payments: i64 = app.db.read().scalar("SELECT COUNT(*) FROM payments WHERE receivable_id = $1", args![fx.receivables[0]]).await.expect("p");
    assert_eq!(payments, 2);
    let audits: i64 = app
        .db
        .read()
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'receivable' AND action = 'record_payment' AND record_id = $1", args![fx.receivables[0]])
        .await
        .expect("audit");
    assert_eq!(audits, 2);
    // The owner sees the receivable; another salesperson does not.
    let r = app.call("sales/receivable", &[("id", &rid)], Some(&wang)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["can_pay"], false);
    let liu = app.sign_in("liu.yang", PASSWORD).await;
    let r = app.call("sales/receivable", &[("id", &rid)], Some(&liu)).await;
    assert_eq!(r.status, 404);
});

both!(ageing_buckets, |app| {
    // One receivable per bucket edge, for a fresh customer.
    let fx = signed_contract(&app, "青岛海湾重工有限公司", &[(0, 1_000), (-1, 2_000), (-30, 4_000), (-31, 8_000), (-60, 16_000), (-61, 32_000), (-90, 64_000), (-91, 128_000)]).await;
    let today = company_today(Utc::now());
    let v = viewer(&app, "ma.lin").await;
    let a = app::sales::orders::ageing(&app.db, &v, today).await.expect("ageing");
    let row = a.customers.iter().find(|r| r.customer_id == fx.customer).expect("customer row").clone();
    assert_eq!(row.amounts(), [1_000, 6_000, 24_000, 96_000, 128_000]);
    assert_eq!(row.total, 255_000);
    assert_eq!(row.overdue(), 254_000);
    let total = a.totals.iter().find(|t| t.currency == "CNY").expect("CNY total");
    assert!(total.total >= 255_000);
    assert_eq!(total.amounts().iter().sum::<i64>(), total.total);
    // The list's bucket filter agrees.
    let ma = app.sign_in("ma.lin", PASSWORD).await;
    let r = app.call("sales/receivables", &[("query[q]", "青岛海湾"), ("query[bucket]", "31_60")], Some(&ma)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let amounts: Vec<i64> = r.json()["page"]["rows"].as_array().expect("rows").iter().filter_map(|x| x["amount_minor"].as_i64()).collect();
    assert_eq!(amounts, vec![16_000, 8_000]);
    assert_eq!(r.json()["can_pay"], true);
    // A partial payment moves the outstanding amount.
    let rid = fx.receivables[7].to_string();
    let r = app
        .call("sales/record_payment", &[("id", &rid), ("version", "1"), ("paid_on", &today.to_string()), ("amount", "280"), ("method", "cash"), ("reference", "")], Some(&ma))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let a = app::sales::orders::ageing(&app.db, &v, today).await.expect("ageing");
    let row = a.customers.iter().find(|r| r.customer_id == fx.customer).expect("customer row");
    assert_eq!(row.over_90, 100_000);
    // Staff see only their own receivables' ageing.
    let liu = viewer(&app, "liu.yang").await;
    let a = app::sales::orders::ageing(&app.db, &liu, today).await.expect("ageing");
    assert!(a.customers.iter().all(|r| r.customer_id != fx.customer));
});
