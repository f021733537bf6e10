//! Demo data for orders and receivables: orders for the demo's signed contracts
//! in every status (one late, one with a production delay reported to the
//! leader, one with a resolved quality problem, one open order without a recent
//! customer update), customer updates, and payments (partial and full) so that
//! the ageing table has something in its buckets. Deterministic; dates are
//! relative to today.
use super::model::OrderStatus;
use super::store::{self, NewException, NewOrder, NewPayment, Step};
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::{Db, DbResult};
use crate::core::error::AppError;
use crate::core::perm::{Role, Viewer};
use crate::core::time::{company_midnight, company_today};
use chrono::{DateTime, Duration, NaiveDate, Utc};

async fn person(db: &Db, username: &str) -> DbResult<Option<(i64, String, i64)>> {
    db.read().fetch_optional("SELECT id, display_name, department_id FROM users WHERE username = $1", args![username]).await
}

fn actor_of(p: &(i64, String, i64)) -> Actor {
    Actor { user_id: Some(p.0), name: p.1.clone(), client_addr: "seed".into() }
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let existing: i64 = db.read().scalar("SELECT COUNT(*) FROM orders", vec![]).await?;
    if existing > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let today = company_today(now);
    let Some(admin) = person(db, "admin").await? else { return Ok(()) };
    ensure_signed_contracts(db, now, today).await?;

    let all = Viewer { user_id: admin.0, department_id: admin.2, role: Role::Admin };
    let ids: Vec<(i64,)> = db.read().fetch_all("SELECT id FROM contracts WHERE status = $1 ORDER BY id LIMIT 6", args!["signed"]).await?;
    if ids.is_empty() {
        return Ok(());
    }
    let mut contracts = Vec::new();
    for (id,) in &ids {
        if let Some(c) = store::signed_contract(db, &all, *id).await?
            && !c.lines.is_empty()
        {
            contracts.push(c);
        }
    }
    if contracts.is_empty() {
        return Ok(());
    }
    let production = person(db, "hu.bin").await?;
    let logistics = person(db, "he.na").await?;
    let day = |n: i64| today + Duration::days(n);
    let at = |n: i64| now + Duration::days(n);

    // (days ago created, planned delivery offset, status to reach, updates?, scenario)
    struct Plan {
        created: i64,
        delivery: i64,
        to: OrderStatus,
        update_days_ago: Option<i64>,
    }
    let plans = [
        // Just confirmed, customer told the schedule.
        Plan { created: -3, delivery: 40, to: OrderStatus::Confirmed, update_days_ago: Some(2) },
        // In production with a production delay reported to the leader.
        Plan { created: -12, delivery: 20, to: OrderStatus::InProduction, update_days_ago: Some(4) },
        // Shipped but the planned delivery date has passed: late.
        Plan { created: -40, delivery: -5, to: OrderStatus::Shipped, update_days_ago: Some(6) },
        // Delivered on time and in full after a resolved quality problem.
        Plan { created: -60, delivery: -10, to: OrderStatus::Delivered, update_days_ago: Some(15) },
        // Closed.
        Plan { created: -90, delivery: -45, to: OrderStatus::Closed, update_days_ago: Some(50) },
        // Open for three weeks without any customer update (2.2.4-b violation).
        Plan { created: -21, delivery: 25, to: OrderStatus::InProduction, update_days_ago: None },
    ];
    for (i, plan) in plans.iter().enumerate() {
        let c = &contracts[i % contracts.len()];
        let Some(owner) = person_by_id(db, c.contract.owner_id).await? else { continue };
        let who = actor_of(&owner);
        let created = at(plan.created);
        let new = NewOrder {
            planned_ship_date: Some(day(plan.delivery - 3)),
            planned_delivery_date: day(plan.delivery),
            line_dates: c.lines.iter().map(|_| day(plan.delivery)).collect(),
        };
        let mut tx = db.begin().await?;
        let id = store::create_order(&mut tx, &who, c, &new, created).await?;
        tx.commit().await?;

        // Walk the status forward one step at a time, as people would.
        let mut status = OrderStatus::Confirmed;
        let mut t = created;
        while status != plan.to {
            let Some(next) = status.next() else { break };
            t += Duration::days(2);
            let mover = match next {
                OrderStatus::InProduction => production.as_ref().map(actor_of).unwrap_or_else(|| who.clone()),
                OrderStatus::Shipped | OrderStatus::Delivered => logistics.as_ref().map(actor_of).unwrap_or_else(|| who.clone()),
                _ => who.clone(),
            };
            let (date, delivered) = match next {
                OrderStatus::Shipped => (Some(day(plan.delivery - 7).min(today)), vec![]),
                OrderStatus::Delivered => (Some(day(plan.delivery - 1).min(today)), c.lines.iter().map(|l| l.quantity).collect()),
                _ => (None, vec![]),
            };
            let mut tx = db.begin().await?;
            let Some(order) = store::order_tx(&mut tx, id).await? else { break };
            let step = Step { to: next, date, delivered };
            store::advance(&mut tx, &mover, &order, order.version, &step, t.min(now)).await?;
            tx.commit().await?;
            status = next;
            if i == 3 && next == OrderStatus::InProduction {
                quality_problem(db, id, &who, t.min(now)).await?;
            }
        }
        if let Some(ago) = plan.update_days_ago {
            let mut tx = db.begin().await?;
            let text = match plan.to {
                OrderStatus::Confirmed => "已电话告知客户排产计划，预计按合同日期交付。",
                OrderStatus::InProduction => "已邮件告知客户生产进度，关键部件已到货。",
                OrderStatus::Shipped => "已告知客户发货信息及物流单号，预计三日内到达。",
                _ => "已与客户确认收货，客户对交付满意。",
            };
            let channel = if ago % 2 == 0 { "phone" } else { "email" };
            store::add_update(&mut tx, &who, id, at(-ago), channel, text, at(-ago)).await?;
            tx.commit().await?;
        }
        if i == 2 {
            // 2.2.4-c: an exception reported almost a week ago still without measures.
            let mut tx = db.begin().await?;
            let Some(order) = store::order_tx(&mut tx, id).await? else { continue };
            let e = NewException {
                kind: "other".into(),
                description: "物流途中一箱配件外包装破损，客户要求补发。".into(),
                cause: "承运商装卸不当。".into(),
                measures: String::new(),
            };
            store::report_exception(&mut tx, &who, &order, &e, at(-3), at(-6)).await?;
            tx.commit().await?;
        }
        if i == 1 {
            // 2.2.4-c: a production delay, reported to the owner's leader, not analysed yet.
            let mut tx = db.begin().await?;
            let Some(order) = store::order_tx(&mut tx, id).await? else { continue };
            let reporter = production.as_ref().map(actor_of).unwrap_or_else(|| who.clone());
            let e = NewException {
                kind: "production_delay".into(),
                description: "数控机床主轴供应商延迟发货，装配预计推迟一周。".into(),
                cause: String::new(),
                measures: String::new(),
            };
            let deadline = company_midnight(crate::core::time::add_working_days(today, 3));
            store::report_exception(&mut tx, &reporter, &order, &e, deadline, now).await?;
            tx.commit().await?;
        }
    }
    payments(db, now, today).await?;
    Ok(())
}

async fn person_by_id(db: &Db, id: i64) -> DbResult<Option<(i64, String, i64)>> {
    db.read().fetch_optional("SELECT id, display_name, department_id FROM users WHERE id = $1", args![id]).await
}

/// A quality problem found in production, analysed and resolved.
async fn quality_problem(db: &Db, order_id: i64, who: &Actor, at: DateTime<Utc>) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let Some(order) = store::order_tx(&mut tx, order_id).await? else { return Ok(()) };
    let e = NewException {
        kind: "quality".into(),
        description: "首批控制柜出厂检验发现接线端子松动。".into(),
        cause: String::new(),
        measures: String::new(),
    };
    let id = store::report_exception(&mut tx, who, &order, &e, at + Duration::days(3), at).await?;
    let Some(before) = store::exception_tx(&mut tx, id).await? else { return Ok(()) };
    store::update_exception(
        &mut tx,
        who,
        &before,
        before.version,
        "装配工序未按扭矩标准紧固。",
        "全部控制柜复检并重新紧固；装配工位增加扭矩检查记录。",
        "resolved",
        at + Duration::days(1),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Finance records payments: one receivable paid in full, some partly.
async fn payments(db: &Db, now: DateTime<Utc>, today: NaiveDate) -> Result<(), AppError> {
    let Some(finance) = person(db, "ma.lin").await? else { return Ok(()) };
    let who = actor_of(&finance);
    let ids: Vec<(i64,)> = db.read().fetch_all("SELECT id FROM receivables WHERE status = $1 ORDER BY due_date, id", args!["open"]).await?;
    for (n, (id,)) in ids.into_iter().enumerate() {
        let mut tx = db.begin().await?;
        let Some(r) = store::receivable_tx(&mut tx, id).await? else { continue };
        let amount = match n % 4 {
            0 => r.outstanding() / 2,           // partly paid, rest overdue
            1 if r.due_date < today => r.outstanding(), // paid in full
            2 => r.outstanding() / 4,
            _ => 0,
        };
        if amount > 0 {
            let p = NewPayment {
                paid_on: r.due_date.min(today),
                amount_minor: amount,
                method: if n % 2 == 0 { "bank_transfer".into() } else { "acceptance_bill".into() },
                reference: format!("HD{}{:04}", r.due_date.format("%Y%m%d"), id),
            };
            store::record_payment(&mut tx, &who, &r, r.version, &p, now).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// The contracts part creates the demo's signed contracts and their receivables.
/// Only if none exist (this part on its own), create the minimum with direct SQL:
/// customers, signed contracts with lines and instalments, and receivables, with
/// due dates in every ageing bucket.
async fn ensure_signed_contracts(db: &Db, now: DateTime<Utc>, today: NaiveDate) -> Result<(), AppError> {
    let signed: i64 = db.read().scalar("SELECT COUNT(*) FROM contracts WHERE status = $1", args!["signed"]).await?;
    if signed > 0 {
        return Ok(());
    }
    // --- if none exist: minimal fallback so this part can be tried on its own ---
    let (Some(wang), Some(zhang), Some(sun)) = (person(db, "wang.fang").await?, person(db, "zhang.lei").await?, person(db, "sun.wei").await?) else {
        return Ok(());
    };
    let day = |n: i64| today + Duration::days(n);
    // (customer, owner, delivery in days, lines (description, unit, qty, unit price yuan), instalments (days from today, percent))
    type Line = (&'static str, &'static str, i64, i64);
    type Fallback<'a> = (&'static str, &'a (i64, String, i64), i64, &'static [Line], &'static [(i64, i64)]);
    let data: [Fallback; 3] = [
        (
            "苏州恒达精密机械有限公司",
            &wang,
            30,
            &[("数控加工中心 HC-850", "台", 2, 480_000), ("自动换刀装置", "套", 2, 60_000)],
            &[(-120, 30), (-45, 40), (30, 30)],
        ),
        (
            "杭州万向智能科技有限公司",
            &wang,
            20,
            &[("工业机器人 HR-20", "台", 4, 210_000), ("视觉定位系统", "套", 4, 35_000)],
            &[(-75, 30), (-10, 50), (45, 20)],
        ),
        (
            "成都天府新能源装备有限公司",
            &zhang,
            45,
            &[("电池模组装配线", "条", 1, 1_850_000), ("安装调试服务", "项", 1, 120_000)],
            &[(-95, 30), (-20, 40), (60, 30)],
        ),
    ];
    let mut tx = db.begin().await?;
    let year = crate::core::time::company_year(now);
    for (i, (name, owner, delivery, lines, instalments)) in data.iter().enumerate() {
        let customer: i64 = tx
            .scalar(
                "INSERT INTO customers (name, name_norm, status, owner_id, department_id, version, created_at, created_by, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $4, $6, $4) RETURNING id",
                args![*name, *name, "customer", owner.0, owner.2, now],
            )
            .await?;
        let amount: i64 = lines.iter().map(|l| l.2 * l.3 * 100).sum();
        let contract: i64 = tx
            .scalar(
                "INSERT INTO contracts (number, title, customer_id, status, amount_minor, currency, payment_terms, delivery_date, \
                 signed_at, signed_by, owner_id, department_id, version, created_at, created_by, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $9, $11, $9, $11) RETURNING id",
                args![
                    format!("HT-{year}-9{:03}", i + 1),
                    format!("{name}设备采购合同"),
                    customer,
                    "signed",
                    amount,
                    "CNY",
                    "分期付款",
                    day(*delivery),
                    now - Duration::days(130),
                    sun.0,
                    owner.0,
                    owner.2
                ],
            )
            .await?;
        for (p, (desc, unit, qty, price)) in lines.iter().enumerate() {
            tx.execute(
                "INSERT INTO contract_lines (contract_id, position, description, unit, quantity, unit_price_minor, line_total_minor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                args![contract, (p + 1) as i64, *desc, *unit, *qty, price * 100, qty * price * 100],
            )
            .await?;
        }
        let mut left = amount;
        for (s, (due, pct)) in instalments.iter().enumerate() {
            let part = if s + 1 == instalments.len() { left } else { amount * pct / 100 };
            left -= part;
            tx.execute(
                "INSERT INTO contract_instalments (contract_id, seq, due_date, amount_minor, description) VALUES ($1, $2, $3, $4, $5)",
                args![contract, (s + 1) as i64, day(*due), part, format!("第{}期", s + 1)],
            )
            .await?;
            tx.execute(
                "INSERT INTO receivables (contract_id, customer_id, seq, due_date, amount_minor, currency, status, owner_id, department_id, \
                 version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $8, $10, $8)",
                args![contract, customer, (s + 1) as i64, day(*due), part, "CNY", "open", owner.0, owner.2, now],
            )
            .await?;
        }
    }
    tx.commit().await?;
    // --- end of the fallback ---
    Ok(())
}
