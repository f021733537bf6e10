//! The rule registry. A rule is a clause id, a title and an evaluation over the
//! live data, filtered to what the viewer may see. Later modules add their rules
//! to `RULES`.
use super::{RuleStatus, Violation};
use crate::args;
use crate::core::db::{Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::{Viewer, visibility_sql};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;

pub type Eval = for<'a> fn(&'a Db, &'a Viewer, DateTime<Utc>) -> Pin<Box<dyn Future<Output = DbResult<RuleStatus>> + Send + 'a>>;

pub struct Rule {
    pub clause: &'static str,
    pub title: K,
    pub eval: Eval,
}

pub const RULES: &[Rule] = &[Rule { clause: "3.1-a", title: K::Rule31aTitle, eval: |db, v, now| Box::pin(conduct_acknowledged(db, v, now)) }];

/// Clauses checked live although the regulation's table does not mark them
/// **rule**: issue 4 asks for 2.4.2-b ("every slipped baseline has a delay
/// record"), which follows from the clause's own text; issue 5 asks for 5.2-e
/// ("measures reviewed by their due date").
pub const CHECKED_BEYOND_MARKS: &[&str] = &["2.4.2-b", "5.2-e"];

/// How many offending records a rule lists (the count is always exact).
pub const LIST_LIMIT: i64 = 200;

/// 3.1-a: every active employee acknowledged the code of conduct this year.
async fn conduct_acknowledged(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let year = crate::core::time::company_year(now) as i64;
    let (vis, mut va) = visibility_sql(db.backend(), viewer, "user", "u.id", "u.id", "u.department_id", 3);
    let base = format!(
        "FROM users u WHERE u.active = $1 AND {vis} AND NOT EXISTS \
         (SELECT 1 FROM conduct_acknowledgements c WHERE c.user_id = u.id AND c.year = $2)"
    );
    let mut a = args![true, year];
    a.append(&mut va);
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let n = a.len() + 1;
    a.push(crate::core::db::Arg::I64(LIST_LIMIT));
    let rows: Vec<(i64, String)> =
        db.read().fetch_all(&format!("SELECT u.id, u.display_name {base} ORDER BY u.display_name, u.id LIMIT ${n}"), a).await?;
    Ok(RuleStatus {
        clause: "3.1-a".into(),
        title: K::Rule31aTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, name)| Violation { label: name, link: format!("/people/{id}"), detail: K::Rule31aDetail })
            .collect(),
    })
}

/// Every module's rules, in regulation order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        RULES,
        crate::sales::customers::rules::RULES,
        crate::sales::pipeline::rules::RULES,
        crate::sales::contracts::rules::RULES,
        crate::sales::orders::rules::RULES,
        crate::projects::approval::rules::RULES,
        crate::projects::execution::rules::RULES,
        crate::projects::acceptance::rules::RULES,
        crate::risk::register::rules::RULES,
        crate::risk::response::rules::RULES,
    ]
    .into_iter()
    .flatten()
}

pub async fn evaluate_all(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<Vec<RuleStatus>> {
    let mut out = Vec::new();
    let mut rules: Vec<&Rule> = all().collect();
    rules.sort_by(|a, b| a.clause.cmp(b.clause));
    for r in rules {
        out.push((r.eval)(db, viewer, now).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_cites_a_rule_clause() {
        for r in super::all() {
            let c = crate::regulation::model::find(r.clause).unwrap_or_else(|| panic!("no clause {}", r.clause));
            assert!(c.has_rule || super::CHECKED_BEYOND_MARKS.contains(&r.clause), "{} is not marked **rule** in the regulation", r.clause);
        }
    }
}
