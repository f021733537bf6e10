//! Compliance rules of execution (registered in compliance::rules): 2.4.2-a
//! progress meetings at least every MEETING_DAYS days while executing, 2.4.2-b
//! a delay record for every slipped task or milestone. Both only over the
//! projects the viewer may see.
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use crate::core::time::{company_midnight, company_today};
use crate::projects::model::ProjectStatus;
use crate::projects::store::{department_code, scope};
use chrono::{DateTime, Duration, Utc};

pub const RULES: &[Rule] = &[
    Rule { clause: "2.4.2-a", title: K::ProjectsExecRule242aTitle, eval: |db, v, now| Box::pin(progress_meetings(db, v, now)) },
    Rule { clause: "2.4.2-b", title: K::ProjectsExecRule242bTitle, eval: |db, v, now| Box::pin(delays_recorded(db, v, now)) },
];

/// 2.4.2-a: every executing project held a progress meeting within the last
/// MEETING_DAYS days; one without any counts from its first approval.
pub async fn progress_meetings(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let days = crate::settings::store::int(db, crate::settings::MEETING_DAYS).await?;
    // Due `days` after the last meeting: late when that date is before today.
    let cutoff = company_today(now) - Duration::days(days);
    let code = department_code(db, viewer.department_id).await?;
    let mut a: Vec<Arg> = crate::args![ProjectStatus::Executing.code(), "progress", cutoff, company_midnight(cutoff)];
    let (vis, va) = scope(db.backend(), viewer, &code, 5);
    a.extend(va);
    let base = format!(
        "FROM projects p WHERE p.status = $1 AND NOT EXISTS (SELECT 1 FROM project_meetings m WHERE m.project_id = p.id \
         AND m.kind = $2 AND m.held_on >= $3) AND (p.first_approved_at IS NULL OR p.first_approved_at < $4) AND {vis}"
    );
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String, String)> =
        db.read().fetch_all(&format!("SELECT p.id, p.number, p.name {base} ORDER BY p.id LIMIT ${n}"), a).await?;
    Ok(RuleStatus {
        clause: "2.4.2-a".into(),
        title: K::ProjectsExecRule242aTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, name)| Violation {
                label: format!("{number} · {name}"),
                link: format!("/projects/{id}/execution"),
                detail: K::ProjectsExecRule242aDetail,
            })
            .collect(),
    })
}

/// 2.4.2-b: every slipped task or milestone of an executing project (see
/// `model::Slip`) has a delay record for the baseline in force.
pub async fn delays_recorded(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let today = company_today(now);
    let code = department_code(db, viewer.department_id).await?;
    let mut a: Vec<Arg> = crate::args![ProjectStatus::Executing.code(), "task", "milestone", today];
    let (vis, va) = scope(db.backend(), viewer, &code, 5);
    a.extend(va);
    let base = format!(
        "FROM project_tasks t JOIN projects p ON p.id = t.project_id WHERE p.status = $1 AND t.kind IN ($2, $3) \
         AND t.baseline_end IS NOT NULL \
         AND ((t.actual_end IS NOT NULL AND t.actual_end > t.baseline_end) \
           OR (t.actual_end IS NULL AND (t.planned_end > t.baseline_end OR t.baseline_end < $4))) \
         AND NOT EXISTS (SELECT 1 FROM project_delays d WHERE d.task_id = t.id AND d.baseline_version = p.baseline_version) \
         AND {vis}"
    );
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String, String, String)> = db
        .read()
        .fetch_all(&format!("SELECT p.id, p.number, p.name, t.name {base} ORDER BY t.baseline_end, t.id LIMIT ${n}"), a)
        .await?;
    Ok(RuleStatus {
        clause: "2.4.2-b".into(),
        title: K::ProjectsExecRule242bTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, name, task)| Violation {
                label: format!("{number} · {name} · {task}"),
                link: format!("/projects/{id}/execution"),
                detail: K::ProjectsExecRule242bDetail,
            })
            .collect(),
    })
}
