//! Compliance rules of the response part (registered in compliance::rules):
//! 5.2-a (every open risk above low has a non-accept strategy or an approved
//! acceptance) and 5.2-e (every measure is reviewed by its due date). Both
//! among the risks the viewer may see (`risk::store::scope`).
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use crate::core::time::company_today;
use crate::risk::store::{bands, department_code, scope};
use chrono::{DateTime, Utc};

pub const RULES: &[Rule] = &[
    Rule { clause: "5.2-a", title: K::RiskRespRule52aTitle, eval: |db, v, now| Box::pin(strategy_above_low(db, v, now)) },
    Rule { clause: "5.2-e", title: K::RiskRespRule52eTitle, eval: |db, v, now| Box::pin(measures_reviewed(db, v, now)) },
];

/// 5.2-a: open risks whose current level is above low with no strategy, or
/// accepted without an executive's approval (pending or rejected).
pub async fn strategy_above_low(db: &Db, viewer: &Viewer, _now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let code = department_code(db, viewer.department_id).await?;
    let b = bands(db).await?;
    let mut a: Vec<Arg> = crate::args![b.medium];
    let (vis, va) = scope(viewer, &code, 2);
    a.extend(va);
    let base = format!(
        "FROM risks r WHERE r.status <> 'closed' AND r.current_score >= $1 AND (r.strategy IS NULL OR (r.strategy = 'accept' \
         AND (r.acceptance_status IS NULL OR r.acceptance_status <> 'approved'))) AND {vis}"
    );
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String, String, Option<String>)> = db
        .read()
        .fetch_all(&format!("SELECT r.id, r.number, r.name, r.strategy {base} ORDER BY r.current_score DESC, r.id LIMIT ${n}"), a)
        .await?;
    Ok(RuleStatus {
        clause: "5.2-a".into(),
        title: K::RiskRespRule52aTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, name, strategy)| Violation {
                label: format!("{number} · {name}"),
                link: format!("/risks/{id}"),
                detail: if strategy.is_none() { K::RiskRespRule52aNoStrategy } else { K::RiskRespRule52aUnapproved },
            })
            .collect(),
    })
}

/// 5.2-e: measures not cancelled whose due date has passed without an
/// effectiveness review of that measure.
pub async fn measures_reviewed(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let code = department_code(db, viewer.department_id).await?;
    let mut a: Vec<Arg> = crate::args![company_today(now)];
    let (vis, va) = scope(viewer, &code, 2);
    a.extend(va);
    let base = format!(
        "FROM risk_measures m JOIN risks r ON r.id = m.risk_id WHERE m.status <> 'cancelled' AND m.due_on < $1 \
         AND NOT EXISTS (SELECT 1 FROM risk_reviews v WHERE v.measure_id = m.id) AND {vis}"
    );
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String, String)> = db
        .read()
        .fetch_all(&format!("SELECT r.id, r.number, m.action {base} ORDER BY m.due_on, m.id LIMIT ${n}"), a)
        .await?;
    Ok(RuleStatus {
        clause: "5.2-e".into(),
        title: K::RiskRespRule52eTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, action)| Violation {
                label: format!("{number} · {action}"),
                link: format!("/risks/{id}"),
                detail: K::RiskRespRule52eDetail,
            })
            .collect(),
    })
}
