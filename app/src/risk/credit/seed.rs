//! Demo data of the credit part (after the sales demo): evaluations of six
//! customers, made through the same store functions as the pages — approved
//! ones (one customer with two in its history), one awaiting luo.yan and
//! zheng.hong, one rejected, and one customer whose open receivables exceed
//! the limit its approver granted. Customers whose contract review was flagged
//! over the limit on file (the sales demo's story) are left as they are.
use super::model::Rated;
use super::store::{self, Draft};
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::Db;
use crate::core::error::AppError;
use chrono::{DateTime, Duration, Utc};

async fn actor(db: &Db, username: &str) -> Result<Option<Actor>, AppError> {
    let r: Option<(i64, String)> =
        db.read().fetch_optional("SELECT id, display_name FROM users WHERE username = $1", args![username]).await?;
    Ok(r.map(|(id, name)| Actor { user_id: Some(id), name, client_addr: "seed".into() }))
}

async fn owner(db: &Db, customer_id: i64) -> Result<Actor, AppError> {
    let (id, name): (i64, String) = db
        .read()
        .fetch_one("SELECT u.id, u.display_name FROM customers c JOIN users u ON u.id = c.owner_id WHERE c.id = $1", args![customer_id])
        .await?;
    Ok(Actor { user_id: Some(id), name, client_addr: "seed".into() })
}

/// Prepares (and, if asked, submits) an evaluation as of `at`.
async fn prepare(db: &Db, who: &Actor, customer_id: i64, rated: Rated, comments: &str, submit: bool, at: DateTime<Utc>) -> Result<i64, AppError> {
    let facts = store::facts(db, customer_id, at).await?;
    let mut tx = db.begin().await?;
    let id = store::insert(&mut tx, who, customer_id, &facts, &Draft { rated, comments: comments.into(), proposed_limit_minor: None }, at).await?;
    if submit {
        let e = store::evaluation_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;
        store::submit(&mut tx, who, &e, e.version, at + Duration::hours(1)).await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn decide(db: &Db, who: &Actor, id: i64, approve: bool, limit: Option<i64>, note: &str, at: DateTime<Utc>) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let e = store::evaluation_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;
    let limit = limit.unwrap_or(e.proposed_limit_minor);
    store::decide(&mut tx, who, &e, e.version, approve, limit, note, at).await?;
    tx.commit().await?;
    Ok(())
}

fn rated(a: i64, b: i64, c: i64) -> Rated {
    Rated { financial_standing: a, management_quality: b, industry_outlook: c }
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM credit_evaluations", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let (Some(gao), Some(luo), Some(zheng)) = (actor(db, "gao.jun").await?, actor(db, "luo.yan").await?, actor(db, "zheng.hong").await?)
    else {
        return Ok(());
    };
    // Customers (not prospects) with their open receivables, leaving out those
    // whose contract review was flagged over the limit on file.
    // Those with the most signed business first, so that their facts tell a story.
    let customers: Vec<(i64, i64)> = db
        .read()
        .fetch_all(
            "SELECT cu.id, CAST(COALESCE((SELECT SUM(r.amount_minor - r.paid_minor) FROM receivables r \
             WHERE r.customer_id = cu.id AND r.status = 'open'), 0) AS BIGINT) AS open_minor \
             FROM customers cu WHERE cu.status = 'customer' AND NOT EXISTS (SELECT 1 FROM contract_reviews cr \
             JOIN contracts c ON c.id = cr.contract_id WHERE c.customer_id = cu.id AND cr.over_credit_limit = $1) \
             ORDER BY CAST(COALESCE((SELECT SUM(c.amount_minor) FROM contracts c WHERE c.customer_id = cu.id AND c.status = 'signed'), 0) AS BIGINT) DESC, cu.id",
            args![true],
        )
        .await?;
    if customers.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let day = |d: i64| now - Duration::days(d);
    // The customer owing the most: its approver grants less than it owes now.
    let (exposed, exposure) = customers.iter().copied().max_by_key(|c| (c.1, -c.0)).unwrap_or(customers[0]);
    let others: Vec<i64> = customers.iter().map(|c| c.0).filter(|c| *c != exposed).collect();

    if exposure > 0 {
        let id = prepare(db, &gao, exposed, rated(3, 3, 2), "应收余额较大且部分逾期，建议压缩额度并加强催收。", true, day(12)).await?;
        let limit = exposure * 6 / 10 / 1_000_000 * 1_000_000;
        decide(db, &luo, id, true, Some(limit), "额度下调至现有应收的六成，超出部分须先回款再发货。", day(11)).await?;
    }
    // A long-standing customer with two evaluations: last year's and this quarter's.
    if let Some(&c) = others.first() {
        let first = prepare(db, &owner(db, c).await?, c, rated(4, 3, 3), "年度信用复核。", true, day(200)).await?;
        decide(db, &zheng, first, true, None, "同意。", day(198)).await?;
        let second = prepare(db, &gao, c, rated(4, 4, 4), "合作稳定，付款及时，订单量增长。", true, day(20)).await?;
        decide(db, &luo, second, true, None, "同意按建议额度执行。", day(18)).await?;
    }
    for (i, &c) in others.iter().enumerate().skip(1).take(2) {
        let id = prepare(db, &gao, c, rated(4, 4 - i as i64 % 2, 3), "年度信用评估。", true, day(40 + i as i64 * 7)).await?;
        decide(db, &zheng, id, true, None, "同意。", day(38 + i as i64 * 7)).await?;
    }
    // Awaiting approval by the risk and finance managers.
    if let Some(&c) = others.get(3) {
        prepare(db, &gao, c, rated(3, 4, 3), "新签大额合同前的信用评估，请审批。", true, day(2)).await?;
    }
    // Rejected: the owner's rating was not supported by the financial statements.
    if let Some(&c) = others.get(4) {
        let id = prepare(db, &owner(db, c).await?, c, rated(5, 5, 4), "客户实力强，建议提高额度。", true, day(9)).await?;
        decide(db, &luo, id, false, None, "财务状况评分缺少依据：请附最近一期财务报表后重新评估。", day(8)).await?;
    }
    Ok(())
}
