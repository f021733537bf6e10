//! Compliance rules of this part (added to the registry in compliance::rules).
use crate::args;
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::{Viewer, visibility_sql};
use chrono::{DateTime, Duration, Utc};

pub const RULES: &[Rule] = &[Rule { clause: "2.2.1-b", title: K::Rule221bTitle, eval: |db, v, now| Box::pin(prospects_visited(db, v, now)) }];

/// 2.2.1-b: every prospect has a visit made (visited_on) within the last N days
/// (setting VISIT_DAYS). A prospect created less than N days ago is not late yet.
async fn prospects_visited(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let days = crate::settings::store::int(db, crate::settings::VISIT_DAYS).await?.max(1);
    let since_day = crate::core::time::company_today(now) - Duration::days(days);
    let created_before = now - Duration::days(days);
    let (vis, mut va) = visibility_sql(db.backend(), viewer, super::store::ENTITY, "c.id", "c.owner_id", "c.department_id", 4);
    let base = format!(
        "FROM customers c WHERE c.status = $1 AND c.created_at < $2 AND {vis} AND NOT EXISTS \
         (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND v.visited_on >= $3)"
    );
    let mut a = args!["prospect", created_before, since_day];
    a.append(&mut va);
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String)> =
        db.read().fetch_all(&format!("SELECT c.id, c.name {base} ORDER BY c.name, c.id LIMIT ${n}"), a).await?;
    Ok(RuleStatus {
        clause: "2.2.1-b".into(),
        title: K::Rule221bTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, name)| Violation { label: name, link: format!("/sales/customers/{id}"), detail: K::Rule221bDetail })
            .collect(),
    })
}
