//! Demo data of the response part (5.2), on top of the register's demo risks,
//! chosen generically by current level from the database: strategies on most
//! assessed risks (a few above low left without one, so rule 5.2-a has
//! something to show); one medium risk accepted and approved by zhao.min; one
//! high risk accepted and waiting (a task in every executive's My work);
//! measures — some done and reviewed with a lower residual, some in
//! progress, one past due without a review (rule 5.2-e) — linking to
//! clause 3.1-a and to a project. Written through this part's store
//! functions, so tasks, history and audit are as the application makes them.
use super::model::*;
use super::store::{self, MeasureInput, ReviewInput};
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::{Db, Tx};
use crate::core::error::AppError;
use crate::core::perm::{Role, Viewer};
use crate::core::time::company_today;
use crate::risk::model::{Level, Strategy};
use crate::risk::store::{RiskHead, bands, head_tx};
use chrono::{Duration, Utc};

async fn person(tx: &mut Tx, username: &str) -> Result<Option<(Actor, Viewer)>, AppError> {
    let r: Option<(i64, String, i64, String)> =
        tx.fetch_optional("SELECT id, display_name, department_id, role FROM users WHERE username = $1", args![username]).await?;
    Ok(r.map(|(id, name, dept, role)| {
        (
            Actor { user_id: Some(id), name, client_addr: "seed".into() },
            Viewer { user_id: id, department_id: dept, role: Role::parse(&role).unwrap_or(Role::Staff) },
        )
    }))
}

/// The risk's owner as the actor (the owner sets the response).
async fn owner_actor(tx: &mut Tx, h: &RiskHead) -> Result<Actor, AppError> {
    let name: String = tx.scalar("SELECT display_name FROM users WHERE id = $1", args![h.owner_id]).await?;
    Ok(Actor { user_id: Some(h.owner_id), name, client_addr: "seed".into() })
}

async fn reload(tx: &mut Tx, viewer: &Viewer, id: i64) -> Result<RiskHead, AppError> {
    Ok(head_tx(tx, viewer, id).await?.ok_or(AppError::NotFound)?.0)
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let done: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_measures", vec![]).await?;
    if done > 0 {
        return Ok(());
    }
    let b = bands(db).await?;
    let risks: Vec<(i64, i64)> = db
        .read()
        .fetch_all("SELECT id, current_score FROM risks WHERE status <> 'closed' AND current_score IS NOT NULL ORDER BY id", vec![])
        .await?;
    if risks.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let today = company_today(now);
    let mut tx = db.begin().await?;
    let Some((exec, exec_viewer)) = person(&mut tx, "zhao.min").await? else { return Ok(()) };
    let project: Option<(i64,)> = tx.fetch_optional("SELECT id FROM projects ORDER BY id LIMIT 1", vec![]).await?;
    let of = |l: Level| risks.iter().filter(move |(_, s)| b.level(*s) == l).map(|(id, _)| *id);
    let approved = of(Level::Medium).next();
    let pending = of(Level::High).next();
    let mut measured = 0usize;
    for (n, (id, score)) in risks.iter().enumerate() {
        let level = b.level(*score);
        let h = reload(&mut tx, &exec_viewer, *id).await?;
        let owner = owner_actor(&mut tx, &h).await?;
        if Some(*id) == approved || Some(*id) == pending {
            store::set_strategy(&mut tx, &owner, &h, Strategy::Accept, "成本高于预期损失，在现有控制下接受。", now).await?;
            if Some(*id) == approved {
                let h = reload(&mut tx, &exec_viewer, *id).await?;
                store::decide_acceptance(&mut tx, &exec, &h, true, "同意接受，每季度复核一次。", now).await?;
            }
            continue;
        }
        // Leave every seventh risk above low without a strategy (rule 5.2-a).
        if level > Level::Low && n % 7 == 3 {
            continue;
        }
        let strategy = match (level, n % 4) {
            (Level::Low, _) => Strategy::Accept,
            (_, 0) => Strategy::Transfer,
            (Level::Critical, _) | (_, 1) => Strategy::Avoid,
            _ => Strategy::Reduce,
        };
        let note = match strategy {
            Strategy::Accept => "影响小，日常管理即可。",
            Strategy::Transfer => "通过保险或合同条款转移。",
            Strategy::Avoid => "调整业务安排，避免风险发生。",
            Strategy::Reduce => "加强控制，降低可能性和影响。",
        };
        store::set_strategy(&mut tx, &owner, &h, strategy, note, now).await?;
        if strategy == Strategy::Accept || measured >= 12 {
            continue;
        }
        // Measures on the first dozen risks with a non-accept strategy.
        let k = measured;
        measured += 1;
        let link = match k {
            0 => Some((LinkKind::Rule, "3.1-a".to_string())),
            1 => project.map(|p| (LinkKind::Project, p.0.to_string())),
            _ => None,
        };
        let (action, due, status) = match k % 4 {
            0 => ("组织专项培训并完成考核", today - Duration::days(20), MeasureStatus::Done),
            1 => ("完善审批流程与内部控制", today + Duration::days(25), MeasureStatus::InProgress),
            2 => ("核查并更新应急预案", today - Duration::days(9), MeasureStatus::Planned),
            _ => ("开展市场调研，调整营销策略", today + Duration::days(45), MeasureStatus::Planned),
        };
        let input = MeasureInput { action: action.into(), owner_id: h.owner_id, due_on: due, status, link };
        let mid = store::insert_measure(&mut tx, &owner, *id, &input, now).await?;
        if status == MeasureStatus::Done {
            // Reviewed: the residual comes down by one step of likelihood.
            let (l, i) = (h.residual_likelihood.or(h.inherent_likelihood).unwrap_or(3), h.residual_impact.or(h.inherent_impact).unwrap_or(3));
            let h = reload(&mut tx, &exec_viewer, *id).await?;
            // A critical risk's measure helped little: its residual stays critical
            // (the heat map keeps its top cell).
            let review = if level == Level::Critical {
                ReviewInput {
                    measure_id: Some(mid),
                    effectiveness: Effectiveness::Partial,
                    comments: "措施已完成，但外部因素未变，剩余风险仍为重大，需追加措施。".into(),
                    likelihood: l,
                    impact: i,
                }
            } else {
                ReviewInput {
                    measure_id: Some(mid),
                    effectiveness: Effectiveness::Effective,
                    comments: "措施按期完成，抽查未发现问题，可能性下降。".into(),
                    likelihood: (l - 1).max(1),
                    impact: i,
                }
            };
            store::insert_review(&mut tx, &owner, &h, &review, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
