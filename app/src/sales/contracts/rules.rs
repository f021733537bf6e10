//! Compliance rules of contracts (2.2.3-b to 2.2.3-e), each filtered to the
//! contracts the viewer may see, with links to them.
use super::store::visible_sql;
use crate::compliance::rules::{LIST_LIMIT, Rule};
use crate::compliance::{RuleStatus, Violation};
use crate::core::db::{Arg, Db, DbResult};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use chrono::{DateTime, Duration, Utc};

pub const RULES: &[Rule] = &[
    Rule { clause: "2.2.3-b", title: K::ContractsRuleTermsTitle, eval: |db, v, now| Box::pin(terms_complete(db, v, now)) },
    Rule { clause: "2.2.3-c", title: K::ContractsRuleReviewTitle, eval: |db, v, now| Box::pin(reviewed_before_signing(db, v, now)) },
    Rule { clause: "2.2.3-d", title: K::ContractsRuleAuthorityTitle, eval: |db, v, now| Box::pin(signer_authorised(db, v, now)) },
    Rule { clause: "2.2.3-e", title: K::ContractsRuleCopiesTitle, eval: |db, v, now| Box::pin(copies_acknowledged(db, v, now)) },
];

/// Counts and lists the visible contracts matching `cond` (which binds nothing).
async fn contracts_where(db: &Db, viewer: &Viewer, clause: &str, title: K, detail: K, cond: &str) -> DbResult<RuleStatus> {
    let (vis, mut a) = visible_sql(db.backend(), viewer, 1);
    let base = format!("FROM contracts c WHERE {vis} AND {cond}");
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    a.push(Arg::I64(LIST_LIMIT));
    let n = a.len();
    let rows: Vec<(i64, String, String)> =
        db.read().fetch_all(&format!("SELECT c.id, c.number, c.title {base} ORDER BY c.number, c.id LIMIT ${n}"), a).await?;
    Ok(RuleStatus {
        clause: clause.into(),
        title,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, t)| Violation { label: format!("{number} {t}"), link: format!("/sales/contracts/{id}"), detail })
            .collect(),
    })
}

/// 2.2.3-b: no contract outside draft with a required term missing.
async fn terms_complete(db: &Db, viewer: &Viewer, _now: DateTime<Utc>) -> DbResult<RuleStatus> {
    contracts_where(
        db,
        viewer,
        "2.2.3-b",
        K::ContractsRuleTermsTitle,
        K::ContractsRuleTermsDetail,
        "c.status <> 'draft' AND (c.title = '' OR c.rights_obligations = '' OR c.breach_liability = '' OR c.delivery_date IS NULL \
         OR c.amount_minor <= 0 \
         OR NOT EXISTS (SELECT 1 FROM contract_lines l WHERE l.contract_id = c.id) \
         OR c.amount_minor <> (SELECT CAST(COALESCE(SUM(i.amount_minor), 0) AS BIGINT) FROM contract_instalments i WHERE i.contract_id = c.id))",
    )
    .await
}

/// 2.2.3-c: no signed contract without every review of its signed revision approved.
async fn reviewed_before_signing(db: &Db, viewer: &Viewer, _now: DateTime<Utc>) -> DbResult<RuleStatus> {
    contracts_where(
        db,
        viewer,
        "2.2.3-c",
        K::ContractsRuleReviewTitle,
        K::ContractsRuleReviewDetail,
        "c.status = 'signed' AND (NOT EXISTS (SELECT 1 FROM contract_reviews r WHERE r.contract_id = c.id AND r.revision = c.revision \
         AND r.review_round = c.review_round) OR EXISTS (SELECT 1 FROM contract_reviews r WHERE r.contract_id = c.id \
         AND r.revision = c.revision AND r.review_round = c.review_round AND r.status <> 'approved'))",
    )
    .await
}

/// 2.2.3-d: the signer's authority (as it stood when they signed) covers the amount.
async fn signer_authorised(db: &Db, viewer: &Viewer, _now: DateTime<Utc>) -> DbResult<RuleStatus> {
    contracts_where(
        db,
        viewer,
        "2.2.3-d",
        K::ContractsRuleAuthorityTitle,
        K::ContractsRuleAuthorityDetail,
        "c.status = 'signed' AND (c.signed_by IS NULL OR c.signer_limit_minor IS NULL OR c.signer_limit_minor < c.amount_minor)",
    )
    .await
}

/// 2.2.3-e: every copy acknowledged within ACK_WORKING_DAYS working days of
/// signing; lists the unacknowledged copies past their deadline.
async fn copies_acknowledged(db: &Db, viewer: &Viewer, now: DateTime<Utc>) -> DbResult<RuleStatus> {
    let days = crate::settings::store::int(db, crate::settings::ACK_WORKING_DAYS).await?.max(1) as u32;
    // A copy sent on or before this date is late today.
    let last_late = crate::core::time::working_days_ago(crate::core::time::company_today(now), days);
    let cutoff = crate::core::time::company_midnight(last_late + Duration::days(1));
    let (vis, mut a) = visible_sql(db.backend(), viewer, 2);
    let mut all = vec![Arg::Time(cutoff)];
    all.append(&mut a);
    let base = format!(
        "FROM contract_copies cc JOIN contracts c ON c.id = cc.contract_id JOIN departments d ON d.id = cc.department_id \
         WHERE cc.acknowledged_at IS NULL AND cc.sent_at < $1 AND {vis}"
    );
    let count: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), all.clone()).await?;
    all.push(Arg::I64(LIST_LIMIT));
    let n = all.len();
    let rows: Vec<(i64, String, String, String, String)> = db
        .read()
        .fetch_all(
            &format!("SELECT c.id, c.number, c.title, d.name_zh, d.name_en {base} ORDER BY cc.sent_at, cc.id LIMIT ${n}"),
            all,
        )
        .await?;
    Ok(RuleStatus {
        clause: "2.2.3-e".into(),
        title: K::ContractsRuleCopiesTitle,
        count,
        violations: rows
            .into_iter()
            .map(|(id, number, t, zh, en)| Violation {
                label: format!("{number} {t} · {zh} / {en}"),
                link: format!("/sales/contracts/{id}"),
                detail: K::ContractsRuleCopiesDetail,
            })
            .collect(),
    })
}
