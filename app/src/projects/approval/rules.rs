//! Compliance rule 2.4.1-c (registered in compliance::rules): no project
//! executes without an approved plan. Filtered to the projects the viewer may
//! see, with links to their approval pages.
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Backend, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use chrono::{DateTime, Offset, TimeZone, Utc};

pub const RULES: &[Rule] =
    &[Rule { clause: "2.4.1-c", title: K::ProjectsApprRuleTitle, eval: |db, v, now| Box::pin(executes_with_approved_plan(db, v, now)) }];

/// The company date of `p.first_approved_at`, in SQL (dates are compared as
/// calendar days in the company's zone).
fn approved_day(backend: Backend, now: DateTime<Utc>) -> String {
    match backend {
        Backend::Postgres => format!("CAST((p.first_approved_at AT TIME ZONE '{}') AS DATE)", crate::core::time::COMPANY_TZ.name()),
        Backend::Sqlite => {
            let offset = crate::core::time::COMPANY_TZ.offset_from_utc_datetime(&now.naive_utc()).fix().local_minus_utc() / 60;
            format!("date(p.first_approved_at, '{offset:+} minutes')")
        }
    }
}

/// 2.4.1-c: lists (a) projects executing, in acceptance or closed without an
/// approved baseline (version 0, or no `project_baselines` row for the version
/// in force) and (b) projects where work was recorded before the plan was first
/// approved (a task started, or a cost incurred, on a day before the company
/// date of `first_approved_at`, or with no approval at all).
async fn executes_with_approved_plan(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let code = crate::projects::store::department_code(db, viewer.department_id).await?;
    let (vis, mut a) = crate::projects::store::scope(db.backend(), viewer, &code, 1);
    let day = approved_day(db.backend(), now);
    let no_baseline = "p.status IN ('executing', 'acceptance', 'closed') AND (p.baseline_version = 0 OR NOT EXISTS \
        (SELECT 1 FROM project_baselines b WHERE b.project_id = p.id AND b.version = p.baseline_version))";
    let early_work = format!(
        "EXISTS (SELECT 1 FROM project_tasks t WHERE t.project_id = p.id AND t.actual_start IS NOT NULL \
           AND (p.first_approved_at IS NULL OR t.actual_start < {day})) \
         OR EXISTS (SELECT 1 FROM project_costs c WHERE c.project_id = p.id AND (p.first_approved_at IS NULL OR c.incurred_on < {day}))"
    );
    let base = format!("FROM projects p WHERE {vis} AND (({no_baseline}) OR {early_work})");
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    a.push(Arg::I64(LIST_LIMIT));
    let n = a.len();
    let rows: Vec<(i64, String, String, i64)> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT p.id, p.number, p.name, CAST(CASE WHEN {no_baseline} THEN 1 ELSE 0 END AS BIGINT) {base} \
                 ORDER BY p.number, p.id LIMIT ${n}"
            ),
            a,
        )
        .await?;
    Ok(RuleStatus {
        clause: "2.4.1-c".into(),
        title: K::ProjectsApprRuleTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, name, no_baseline)| Violation {
                label: format!("{number} {name}"),
                link: format!("/projects/{id}/approval"),
                detail: if no_baseline == 1 { K::ProjectsApprRuleNoBaseline } else { K::ProjectsApprRuleEarlyWork },
            })
            .collect(),
    })
}
