//! Demo data of monitoring, on top of the skeleton and the other parts' demo
//! data (it runs last): the health story of the executing projects (P2 turned
//! amber when its equipment milestone passed and red two weeks later, P3 amber
//! when costs ran ahead of progress), every project's figures recomputed, and
//! the PMO's evaluations of P1-P3 (P2's older than the period, so it is due).
use super::store;
use crate::args;
use crate::core::db::{Db, Tx};
use crate::core::error::AppError;
use crate::core::time::{company_midnight, company_today};
use crate::projects::demo::{P1, P2, P3, P4, P5, P6, P7, P8};
use crate::projects::model::Health;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// (project, health now expected, [(days ago, health then)]).
type Story = (&'static str, Health, &'static [(i64, Health)]);

const STORY: &[Story] = &[
    // The milestone 设备到货 was due 20 days ago: amber the day after, red once
    // it was more than 14 days late.
    (P2, Health::Red, &[(19, Health::Amber), (5, Health::Red)]),
    // Costs ahead of progress, and a failed quality check.
    (P3, Health::Amber, &[(9, Health::Amber)]),
];

struct Eval {
    project: &'static str,
    days_ago: i64,
    evaluator: &'static str,
    /// schedule, quality, cost, risk, overall
    ratings: [Health; 5],
    comments: &'static str,
}

const EVALS: &[Eval] = &[
    Eval {
        project: P1,
        days_ago: 12,
        evaluator: "wu.hao",
        ratings: [Health::Green, Health::Green, Health::Green, Health::Amber, Health::Green],
        comments: "进度与成本符合计划；历史数据质量风险上升，数据迁移外包的变更申请正在评审。",
    },
    Eval {
        project: P2,
        days_ago: 40,
        evaluator: "wu.hao",
        ratings: [Health::Amber, Health::Green, Health::Green, Health::Red, Health::Amber],
        comments: "堆垛机供应商产能紧张，交付风险高：要求供应商每周报告交付进度，并准备分批到货方案。",
    },
    Eval {
        project: P3,
        days_ago: 15,
        evaluator: "xu.ming",
        ratings: [Health::Green, Health::Amber, Health::Amber, Health::Green, Health::Amber],
        comments: "集成开发人工超出计划；知识库迁移的质量需要复核后再安排坐席培训。",
    },
];

/// 10:00 company time on `d` plus `hours`.
fn at(d: NaiveDate, hours: i64) -> DateTime<Utc> {
    company_midnight(d) + Duration::hours(10 + hours)
}

async fn project(tx: &mut Tx, name: &str) -> Result<Option<(i64, String)>, AppError> {
    Ok(tx.fetch_optional("SELECT id, status FROM projects WHERE name = $1", args![name]).await?)
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let now = Utc::now();
    let today = company_today(now);
    let mut tx = db.begin().await?;
    let mut ids = Vec::new();
    for name in [P1, P2, P3, P4, P5, P6, P7, P8] {
        if let Some((id, _)) = project(&mut tx, name).await? {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    let (list, a) = ((1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "), ids.iter().map(|i| crate::core::db::Arg::I64(*i)).collect::<Vec<_>>());
    let done: i64 = tx.scalar(&format!("SELECT COUNT(*) FROM project_evaluations WHERE project_id IN ({list})"), a).await?;
    if done > 0 {
        return Ok(());
    }
    // The story's past changes, where the data tells that story today; the
    // recompute below then finds them in force and adds nothing.
    for (name, now_health, steps) in STORY {
        let Some((id, _)) = project(&mut tx, name).await? else { continue };
        // Only where nothing has been recorded yet (another part's demo data may
        // already have recomputed the project, with its own history).
        let (health, changes): (String, i64) = tx
            .fetch_one(
                "SELECT p.health, (SELECT COUNT(*) FROM project_health_changes c WHERE c.project_id = p.id) FROM projects p WHERE p.id = $1",
                args![id],
            )
            .await?;
        if health != Health::Green.code() || changes > 0 {
            continue;
        }
        let Some(snap) = store::compute(&mut tx, id, now).await? else { continue };
        if snap.health != Some(*now_health) {
            continue;
        }
        for (days_ago, h) in steps.iter() {
            store::record_health_at(&mut tx, id, *h, &snap, at(today - Duration::days(*days_ago), 0)).await?;
        }
    }
    store::recompute_many(&mut tx, &ids, now, store::Mode::Live).await?;
    for e in EVALS {
        let Some((id, status)) = project(&mut tx, e.project).await? else { continue };
        let evaluator: Option<(i64,)> = tx.fetch_optional("SELECT id FROM users WHERE username = $1", args![e.evaluator]).await?;
        let (Some((evaluator,)), "executing") = (evaluator, status.as_str()) else { continue };
        let day = today - Duration::days(e.days_ago);
        let [schedule, quality, cost, risk, overall] = e.ratings;
        tx.execute(
            "INSERT INTO project_evaluations (project_id, evaluated_on, schedule, quality, cost, risk, overall, comments, evaluator_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            args![
                id,
                day,
                schedule.code(),
                quality.code(),
                cost.code(),
                risk.code(),
                overall.code(),
                e.comments,
                evaluator,
                at(day, 5)
            ],
        )
        .await?;
    }
    tx.commit().await?;
    // The PMO's My work: projects due for evaluation (P2's last one is older
    // than the period).
    store::ensure_evaluation_tasks(db, now).await?;
    Ok(())
}
