//! Demo contracts in every state (2.2.3), drafted from the demo's won
//! opportunities through the same store functions the app uses, each step by
//! the person who would take it. Deterministic: what is shown depends only on
//! the data and on dates relative to today.
use super::model::*;
use super::store;
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::Db;
use crate::core::error::AppError;
use crate::core::time::{company_today, company_year};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// 2.2.3-d: the demo company's signing authorities (yuan).
pub const AUTHORITIES: &[(&str, i64)] = &[("zhao.min", 100_000_000), ("sun.wei", 5_000_000), ("li.qiang", 500_000)];

/// The demo's scenarios, in the order opportunities are used.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scene {
    SignedAcknowledged,
    SignedLateCopy,
    Amended,
    Approved,
    InReviewMixed,
    Rejected,
    OverCredit,
    DraftFilled,
    DraftEmpty,
}

const SCENES: &[Scene] = &[
    Scene::SignedAcknowledged,
    Scene::SignedLateCopy,
    Scene::Amended,
    Scene::Approved,
    Scene::InReviewMixed,
    Scene::Rejected,
    Scene::OverCredit,
    Scene::DraftFilled,
    Scene::DraftEmpty,
];

async fn actor(db: &Db, username: &str) -> Result<Actor, AppError> {
    let (id, name): (i64, String) =
        db.read().fetch_one("SELECT id, display_name FROM users WHERE username = $1", args![username]).await?;
    Ok(Actor { user_id: Some(id), name, client_addr: "seed".into() })
}

async fn actor_id(db: &Db, id: i64) -> Result<Actor, AppError> {
    let (name,): (String,) = db.read().fetch_one("SELECT display_name FROM users WHERE id = $1", args![id]).await?;
    Ok(Actor { user_id: Some(id), name, client_addr: "seed".into() })
}

/// Creates the signing authorities if there are none.
pub async fn authorities(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM signing_authorities", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let admin = actor(db, "admin").await?;
    let mut tx = db.begin().await?;
    for (username, yuan) in AUTHORITIES {
        let uid: Option<(i64,)> = tx.fetch_optional("SELECT id FROM users WHERE username = $1", args![*username]).await?;
        if let Some((uid,)) = uid {
            store::insert_authority(&mut tx, &admin, uid, yuan * 100, "CNY", now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Won opportunities without a contract: (id, owner).
async fn free_won(db: &Db) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(db
        .read()
        .fetch_all(
            "SELECT o.id, o.owner_id FROM opportunities o JOIN opportunity_stages s ON s.code = o.stage_code WHERE s.kind = 'won' \
             AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.opportunity_id = o.id) ORDER BY o.id",
            vec![],
        )
        .await?)
}

/// Demo specification lines for an opportunity without a quotation.
fn demo_lines(k: usize) -> Vec<Line> {
    let rows: &[&[(&str, &str, &str, i64, i64, i64)]] = &[
        &[("五轴数控加工中心", "VMC-850 五轴联动", "台", 1, 680_000_00, 500), ("刀库及夹具套件", "24 刀位", "套", 1, 42_000_00, 0)],
        &[("焊接机器人工作站", "HR-20 弧焊", "套", 2, 185_000_00, 0)],
        &[("电机自动装配线", "AL-12 定制", "条", 1, 1_250_000_00, 300), ("安装调试服务", "含培训 5 天", "项", 1, 60_000_00, 0)],
        &[("智能仓储系统", "WMS 软件 + AGV ×4", "套", 1, 2_380_000_00, 0)],
        &[("三坐标测量机", "CMM-700", "台", 2, 96_000_00, 0)],
        &[("电池模组装配线", "BM-8 半自动", "条", 1, 860_000_00, 200)],
        &[("包装自动化产线", "PK-6 装箱码垛", "条", 1, 420_000_00, 0), ("备件包", "一年用量", "套", 1, 18_000_00, 0)],
        &[("食品分拣机器人", "Delta-3 高速并联", "台", 3, 128_000_00, 500)],
        &[("SMT 上下料系统", "LD-2", "套", 2, 75_000_00, 0)],
    ];
    rows[k % rows.len()]
        .iter()
        .enumerate()
        .map(|(i, (d, s, u, q, p, bp))| Line {
            position: i as i64 + 1,
            product_id: None,
            description: (*d).into(),
            specification: (*s).into(),
            unit: (*u).into(),
            quantity: *q,
            unit_price_minor: *p,
            discount_bp: *bp,
            line_total_minor: line_total(*q, *p, *bp),
        })
        .collect()
}

/// Complete terms: 30 % on signing, 60 % on delivery, 10 % after a year's warranty.
fn full_terms(c: &Contract, lines: Vec<Line>, today: NaiveDate) -> Terms {
    let amount = amount_of(&lines);
    let first = amount * 3 / 10;
    let second = amount * 6 / 10;
    let third = amount - first - second;
    let delivery = today + Duration::days(60);
    Terms {
        title: c.title.clone(),
        rights_obligations: "甲方：按约定支付货款，提供安装场地和必要的水电条件，并组织验收。\n乙方：按约定规格和数量交付设备，负责安装调试、操作培训及一年免费质保。".into(),
        payment_terms: "银行转账；乙方在每期付款前开具增值税专用发票。".into(),
        delivery_date: Some(delivery),
        breach_liability: "任何一方迟延履行的，每日按合同金额的 0.05% 向对方支付违约金，累计不超过合同金额的 10%；造成损失的，另行赔偿。".into(),
        instalments: vec![
            Instalment { seq: 1, due_date: today + Duration::days(15), amount_minor: first, description: "预付款（30%）".into() },
            Instalment { seq: 2, due_date: delivery + Duration::days(30), amount_minor: second, description: "到货验收款（60%）".into() },
            Instalment { seq: 3, due_date: delivery + Duration::days(395), amount_minor: third, description: "质保金（10%）".into() },
        ],
        lines,
    }
}

async fn draft(db: &Db, opportunity_id: i64, now: DateTime<Utc>) -> Result<i64, AppError> {
    let mut tx = db.begin().await?;
    let opp = store::opportunity(&mut tx, opportunity_id).await?.ok_or(AppError::NotFound)?;
    let owner = actor_id(db, opp.owner_id).await?;
    let number = store::next_number(&mut tx, company_year(now)).await?;
    let (quotation_id, lines) = store::quotation_lines(&mut tx, opp.id, true).await?;
    let new = store::NewContract {
        number,
        title: opp.title.clone(),
        customer_id: opp.customer_id,
        opportunity_id: Some(opp.id),
        quotation_id,
        currency: opp.currency.clone(),
        owner_id: opp.owner_id,
        department_id: opp.department_id,
        lines,
    };
    let id = store::insert(&mut tx, &owner, &new, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn current(db: &Db, id: i64) -> Result<Contract, AppError> {
    store::contract(db, id).await?.ok_or(AppError::NotFound)
}

async fn fill(db: &Db, id: i64, k: usize, now: DateTime<Utc>) -> Result<(), AppError> {
    let c = current(db, id).await?;
    let lines = store::lines(db, id).await?;
    let lines = if lines.is_empty() { demo_lines(k) } else { lines };
    let terms = full_terms(&c, lines, company_today(now));
    let owner = actor_id(db, c.owner_id).await?;
    let mut tx = db.begin().await?;
    store::save_terms(&mut tx, &owner, id, c.version, &terms, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn submit(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let c = current(db, id).await?;
    let owner = actor_id(db, c.owner_id).await?;
    let mut tx = db.begin().await?;
    store::submit(&mut tx, &owner, id, c.version, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn decide(db: &Db, id: i64, dept: &str, who: &str, approve: bool, comment: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let c = current(db, id).await?;
    let rid: Option<(i64,)> = db
        .read()
        .fetch_optional(
            "SELECT r.id FROM contract_reviews r JOIN departments d ON d.id = r.department_id WHERE r.contract_id = $1 \
             AND r.revision = $2 AND r.review_round = $3 AND d.code = $4 AND r.status = 'pending'",
            args![id, c.revision, c.review_round, dept],
        )
        .await?;
    let Some((rid,)) = rid else { return Ok(()) };
    let by = actor(db, who).await?;
    let mut tx = db.begin().await?;
    let (cid, review) = store::review_tx(&mut tx, rid).await?.ok_or(AppError::NotFound)?;
    let d = if approve { store::Decision::Approve } else { store::Decision::Reject };
    store::decide(&mut tx, &by, cid, &review, d, comment, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn approve_all(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    decide(db, id, "finance", "zheng.hong", true, "付款条件与信用状况已核，同意。", now).await?;
    decide(db, id, "legal", "lin.tao", true, "条款合规，同意。", now + Duration::minutes(20)).await?;
    decide(db, id, "production", "zhu.gang", true, "产能可满足交期。", now + Duration::minutes(40)).await
}

async fn sign(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let c = current(db, id).await?;
    let signer = if c.amount_minor <= 500_000_00 {
        "li.qiang"
    } else if c.amount_minor <= 5_000_000_00 {
        "sun.wei"
    } else {
        "zhao.min"
    };
    let by = actor(db, signer).await?;
    let limit = AUTHORITIES.iter().find(|a| a.0 == signer).map(|a| a.1 * 100).unwrap_or(0);
    let mut tx = db.begin().await?;
    store::sign(&mut tx, &by, id, c.version, limit, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn acknowledge(db: &Db, id: i64, dept: &str, who: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let copy: Option<(i64,)> = db
        .read()
        .fetch_optional(
            "SELECT cc.id FROM contract_copies cc JOIN departments d ON d.id = cc.department_id JOIN contracts c ON c.id = cc.contract_id \
             WHERE cc.contract_id = $1 AND cc.revision = c.revision AND d.code = $2 AND cc.acknowledged_at IS NULL",
            args![id, dept],
        )
        .await?;
    let Some((copy_id,)) = copy else { return Ok(()) };
    let by = actor(db, who).await?;
    let mut tx = db.begin().await?;
    let (cid, copy) = store::copy_tx(&mut tx, copy_id).await?.ok_or(AppError::NotFound)?;
    store::acknowledge_copy(&mut tx, &by, cid, &copy, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn amend(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let c = current(db, id).await?;
    let owner = actor_id(db, c.owner_id).await?;
    let mut tx = db.begin().await?;
    store::amend(&mut tx, &owner, id, c.version, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The contract demo: signing authorities, then one contract per scenario.
/// Does nothing when contracts exist already.
pub async fn demo(db: &Db) -> Result<(), AppError> {
    let now = Utc::now();
    authorities(db, now).await?;
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM contracts", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let wang: i64 = db.read().scalar("SELECT id FROM users WHERE username = $1", args!["wang.fang"]).await?;
    let mut free = free_won(db).await?;
    // Keep wang.fang's newest won opportunity free: the demo journey drafts from it.
    if let Some(pos) = free.iter().rposition(|(_, o)| *o == wang) {
        free.remove(pos);
    }
    // Her other won opportunities go to the last scenes (drafts, which notify no one),
    // so that her My work in the demo opens with her own tasks.
    free.sort_by_key(|(_, o)| *o == wang);
    // Except one: she has a signed contract, so her order journey can start from it.
    let signed_scene = SCENES.iter().position(|s| matches!(s, Scene::SignedAcknowledged));
    if let (Some(si), Some(wi)) = (signed_scene, free.iter().position(|(_, o)| *o == wang))
        && si < free.len()
    {
        let w = free.remove(wi);
        free.insert(si, w);
    }
    let ack_days = crate::settings::store::int(db, crate::settings::ACK_WORKING_DAYS).await?.max(1);
    for (k, (scene, (opp, _))) in SCENES.iter().zip(free.into_iter()).enumerate() {
        // Earlier events further back, so the history reads naturally.
        let t0 = now - Duration::days(40 - k as i64 * 3);
        let id = draft(db, opp, t0).await?;
        match scene {
            Scene::DraftEmpty => {}
            Scene::DraftFilled => fill(db, id, k, t0).await?,
            Scene::InReviewMixed => {
                fill(db, id, k, t0).await?;
                submit(db, id, now - Duration::days(2)).await?;
                decide(db, id, "finance", "ma.lin", true, "付款条件合理，客户信用良好。", now - Duration::days(1)).await?;
            }
            Scene::Rejected => {
                fill(db, id, k, t0).await?;
                submit(db, id, now - Duration::days(5)).await?;
                decide(db, id, "finance", "zheng.hong", true, "同意。", now - Duration::days(4)).await?;
                decide(db, id, "production", "zhu.gang", false, "交付期过紧：当前排产已满，请将交付日期顺延至少 30 天后重新提交。", now - Duration::days(3)).await?;
            }
            Scene::Approved => {
                fill(db, id, k, t0).await?;
                submit(db, id, now - Duration::days(6)).await?;
                approve_all(db, id, now - Duration::days(5)).await?;
            }
            Scene::OverCredit => {
                fill(db, id, k, t0).await?;
                // The customer's credit limit (2.2.1 customer file) below this contract.
                let c = current(db, id).await?;
                db.read()
                    .execute(
                        "UPDATE customers SET credit_limit_minor = $1 WHERE id = $2 AND (credit_limit_minor IS NULL OR credit_limit_minor >= $3)",
                        args![c.amount_minor / 2, c.customer_id, c.amount_minor],
                    )
                    .await?;
                submit(db, id, now - Duration::days(1)).await?;
            }
            Scene::SignedAcknowledged => {
                fill(db, id, k, t0).await?;
                submit(db, id, t0 + Duration::days(1)).await?;
                approve_all(db, id, t0 + Duration::days(2)).await?;
                sign(db, id, t0 + Duration::days(3)).await?;
                let t = t0 + Duration::days(4);
                acknowledge(db, id, "finance", "ma.lin", t).await?;
                acknowledge(db, id, "production", "hu.bin", t).await?;
                acknowledge(db, id, "logistics", "he.na", t).await?;
            }
            Scene::SignedLateCopy => {
                // Signed well over ACK_WORKING_DAYS working days ago; logistics has not acknowledged.
                let signed = now - Duration::days(ack_days * 2 + 7);
                fill(db, id, k, signed - Duration::days(3)).await?;
                submit(db, id, signed - Duration::days(2)).await?;
                approve_all(db, id, signed - Duration::days(1)).await?;
                sign(db, id, signed).await?;
                acknowledge(db, id, "finance", "ma.lin", signed + Duration::days(1)).await?;
                acknowledge(db, id, "production", "hu.bin", signed + Duration::days(1)).await?;
            }
            Scene::Amended => {
                fill(db, id, k, t0).await?;
                submit(db, id, t0 + Duration::days(1)).await?;
                approve_all(db, id, t0 + Duration::days(1)).await?;
                sign(db, id, t0 + Duration::days(2)).await?;
                for (dept, who) in [("finance", "ma.lin"), ("production", "hu.bin"), ("logistics", "he.na")] {
                    acknowledge(db, id, dept, who, t0 + Duration::days(3)).await?;
                }
                // The customer asked for one more unit: revision 2.
                let t1 = now - Duration::days(10);
                amend(db, id, t1).await?;
                let c = current(db, id).await?;
                let mut lines = store::lines(db, id).await?;
                if let Some(l) = lines.first_mut() {
                    l.quantity += 1;
                    l.line_total_minor = line_total(l.quantity, l.unit_price_minor, l.discount_bp);
                }
                let terms = full_terms(&c, lines, company_today(t1));
                let owner = actor_id(db, c.owner_id).await?;
                let mut tx = db.begin().await?;
                store::save_terms(&mut tx, &owner, id, c.version, &terms, t1).await?;
                tx.commit().await?;
                submit(db, id, t1 + Duration::hours(2)).await?;
                approve_all(db, id, t1 + Duration::days(1)).await?;
                sign(db, id, t1 + Duration::days(2)).await?;
                for (dept, who) in [("finance", "ma.lin"), ("production", "hu.bin"), ("logistics", "he.na")] {
                    acknowledge(db, id, dept, who, t1 + Duration::days(3)).await?;
                }
            }
        }
    }
    Ok(())
}
