//! Compliance rules of this part (registered in compliance::rules).
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use crate::projects::model::ProjectStatus;
use chrono::{DateTime, Utc};

pub const RULES: &[Rule] = &[Rule { clause: "2.4.4-c", title: K::ProjectsAccRuleTitle, eval: |db, v, now| Box::pin(closed_have_report(db, v, now)) }];

/// 2.4.4-c: every closed project has an acceptance report (among the projects
/// the viewer may see).
pub async fn closed_have_report(db: &Db, viewer: &Viewer, _now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let code = crate::projects::store::department_code(db, viewer.department_id).await?;
    let mut a: Vec<Arg> = crate::args![ProjectStatus::Closed.code()];
    let (vis, va) = crate::projects::store::scope(db.backend(), viewer, &code, 2);
    a.extend(va);
    let base = format!(
        "FROM projects p WHERE p.status = $1 AND NOT EXISTS (SELECT 1 FROM project_acceptance_reports r WHERE r.project_id = p.id) AND {vis}"
    );
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String, String)> =
        db.read().fetch_all(&format!("SELECT p.id, p.number, p.name {base} ORDER BY p.id LIMIT ${n}"), a).await?;
    Ok(RuleStatus {
        clause: "2.4.4-c".into(),
        title: K::ProjectsAccRuleTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, name)| Violation {
                label: format!("{number} · {name}"),
                link: format!("/projects/{id}/acceptance"),
                detail: K::ProjectsAccRuleDetail,
            })
            .collect(),
    })
}
