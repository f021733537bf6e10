//! Compliance rules of the register (registered in compliance::rules).
use super::model::quarter_start;
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use crate::core::time::company_today;
use chrono::{DateTime, Utc};

pub const RULES: &[Rule] = &[Rule { clause: "5.1-a", title: K::RiskRegRuleTitle, eval: |db, v, now| Box::pin(rounds_completed(db, v, now)) }];

/// 5.1-a: every department completed the current round. For the rounds that
/// started in the current quarter (company time): each participating department
/// whose due date has passed without its submission is a violation; no round
/// started this quarter at all is one violation. The risk office and executives
/// see every department; everyone else their own.
pub async fn rounds_completed(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let today = company_today(now);
    let from = quarter_start(today);
    let code = crate::risk::store::department_code(db, viewer.department_id).await?;
    let all = crate::risk::store::rights(viewer, &code).company_wide;
    let rounds: i64 = db.read().scalar("SELECT COUNT(*) FROM risk_rounds WHERE starts_on >= $1 AND starts_on <= $2", crate::args![from, today]).await?;
    let mut a: Vec<Arg> = crate::args![from, today, "submitted"];
    let mut base = "FROM risk_round_departments rd JOIN risk_rounds rr ON rr.id = rd.round_id JOIN departments d ON d.id = rd.department_id \
        WHERE rr.starts_on >= $1 AND rr.starts_on <= $2 AND rr.due_on < $2 AND rd.status <> $3"
        .to_string();
    if !all {
        a.push(Arg::from(viewer.department_id));
        base.push_str(&format!(" AND rd.department_id = ${}", a.len()));
    }
    let late: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String, String, String)> = db
        .read()
        .fetch_all(&format!("SELECT rr.id, rr.name, d.name_zh, d.name_en {base} ORDER BY rr.id, d.id LIMIT ${}", a.len()), a)
        .await?;
    let mut violations: Vec<Violation> = Vec::new();
    let mut count = late;
    if rounds == 0 {
        count += 1;
        violations.push(Violation { label: crate::risk::register::model::quarter_of(today), link: "/risks/rounds".into(), detail: K::RiskRegRuleNoRound });
    }
    violations.extend(rows.into_iter().map(|(id, name, zh, en)| Violation {
        label: format!("{name} · {zh} / {en}"),
        link: format!("/risks/rounds/{id}"),
        detail: K::RiskRegRuleDetail,
    }));
    Ok(RuleStatus { clause: "5.1-a".into(), title: K::RiskRegRuleTitle, count, violations })
}
