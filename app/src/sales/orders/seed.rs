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

