//! The register's SQL (5.1): risks, their assessments and history, categories,
//! assessment rounds with each department's submission (5.1-a), and the
//! project plan's link into the register (2.4.1-b, 2.4.3-d). Every write runs
//! in the caller's transaction with its audit entry.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::{Page, decode_cursor, encode_cursor};
use crate::core::perm::Viewer;
use crate::core::time::company_midnight;
use crate::inbox::store::NewItem;
use crate::risk::model::{AssessmentKind, Bands, Level, RiskStatus};
use crate::risk::store::scope;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

// ===== categories =====

const CATEGORY: &str = "SELECT id, code, name_zh, name_en, builtin, active, sort, version FROM risk_categories";

pub async fn categories(db: &Db, active_only: bool) -> DbResult<Vec<Category>> {
    if active_only {
        db.read().fetch_all(&format!("{CATEGORY} WHERE active = $1 ORDER BY sort, id"), args![true]).await
    } else {
        db.read().fetch_all(&format!("{CATEGORY} ORDER BY sort, id"), vec![]).await
    }
}

pub async fn category_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Category>> {
    tx.fetch_optional(&format!("{CATEGORY} WHERE id = $1"), args![id]).await
}

pub async fn category_by_code_tx(tx: &mut Tx, code: &str) -> DbResult<Option<Category>> {
    tx.fetch_optional(&format!("{CATEGORY} WHERE code = $1"), args![code]).await
}

pub async fn insert_category(tx: &mut Tx, actor: &Actor, d: &CategoryData, now: DateTime<Utc>) -> DbResult<i64> {
    let sort: i64 = tx.scalar("SELECT CAST(COALESCE(MAX(sort), 0) + 10 AS BIGINT) FROM risk_categories", vec![]).await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_categories (code, name_zh, name_en, builtin, active, sort, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            args![d.code.clone(), d.name_zh.clone(), d.name_en.clone(), false, true, sort, now, actor.user_id],
        )
        .await?;
    let after = category_tx(tx, id).await?;
    audit::record(tx, actor, "risk_category", Some(id), "create", None, after.map(|c| json!(c)).as_ref()).await?;
    Ok(id)
}

/// Renames (the code stays) or (de)activates; false on a version conflict.
#[allow(clippy::too_many_arguments)]
pub async fn update_category(
    tx: &mut Tx,
    actor: &Actor,
    before: &Category,
    version: i64,
    name_zh: &str,
    name_en: &str,
    active: bool,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE risk_categories SET name_zh = $1, name_en = $2, active = $3, version = version + 1, updated_at = $4, updated_by = $5 \
             WHERE id = $6 AND version = $7",
            args![name_zh, name_en, active, now, actor.user_id, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = category_tx(tx, before.id).await?;
    let action = if before.active != active { if active { "reactivate" } else { "deactivate" } } else { "update" };
    audit::record(tx, actor, "risk_category", Some(before.id), action, Some(&json!(before)), after.map(|c| json!(c)).as_ref()).await?;
    Ok(true)
}

// ===== choices for the forms =====

pub async fn departments(db: &Db) -> DbResult<Vec<Dept>> {
    db.read().fetch_all("SELECT id, code, name_zh, name_en FROM departments WHERE active = $1 ORDER BY id", args![true]).await
}

pub async fn people(db: &Db) -> DbResult<Vec<Person>> {
    db.read()
        .fetch_all("SELECT id, display_name, department_id FROM users WHERE active = $1 ORDER BY department_id, display_name, id", args![true])
        .await
}

/// Customers, contracts and projects the viewer may see (at most 300 each, the newest first).
pub async fn related_choices(db: &Db, viewer: &Viewer, dept_code: &str) -> DbResult<(Vec<Choice>, Vec<Choice>, Vec<Choice>)> {
    let backend = db.backend();
    let (vis, a) = crate::core::perm::visibility_sql(backend, viewer, "customer", "c.id", "c.owner_id", "c.department_id", 1);
    let customers = db.read().fetch_all(&format!("SELECT c.id, c.name AS label FROM customers c WHERE {vis} ORDER BY c.id DESC LIMIT 300"), a).await?;
    let (vis, a) = crate::sales::contracts::store::visible_sql(backend, viewer, 1);
    let contracts = db
        .read()
        .fetch_all(&format!("SELECT c.id, c.number || ' ' || c.title AS label FROM contracts c WHERE {vis} ORDER BY c.id DESC LIMIT 300"), a)
        .await?;
    let (vis, a) = crate::projects::store::scope(backend, viewer, dept_code, 1);
    let projects = db
        .read()
        .fetch_all(&format!("SELECT p.id, p.number || ' ' || p.name AS label FROM projects p WHERE {vis} ORDER BY p.id DESC LIMIT 300"), a)
        .await?;
    Ok((customers, contracts, projects))
}

pub async fn open_rounds(db: &Db) -> DbResult<Vec<Choice>> {
    db.read().fetch_all("SELECT id, name AS label FROM risk_rounds WHERE status = $1 ORDER BY starts_on DESC, id DESC", args!["open"]).await
}

// ===== the register =====

const RISK: &str = "SELECT r.id, r.number, r.name, r.description, r.source, r.category_id, c.name_zh AS category_zh, c.name_en AS category_en, \
    r.department_id, d.name_zh AS department_zh, d.name_en AS department_en, r.owner_id, u.display_name AS owner_name, \
    r.customer_id, cu.name AS customer_name, r.contract_id, k.number AS contract_number, r.project_id, p.number AS project_number, \
    p.name AS project_name, r.round_id, rr.name AS round_name, r.status, r.inherent_likelihood, r.inherent_impact, r.inherent_score, \
    r.residual_likelihood, r.residual_impact, r.residual_score, r.current_score, r.probability_bp, r.loss_minor, r.expected_loss_minor, \
    r.last_assessed_at, r.closed_at, r.closed_reason, r.version, r.created_at \
    FROM risks r JOIN risk_categories c ON c.id = r.category_id JOIN departments d ON d.id = r.department_id \
    JOIN users u ON u.id = r.owner_id LEFT JOIN customers cu ON cu.id = r.customer_id LEFT JOIN contracts k ON k.id = r.contract_id \
    LEFT JOIN projects p ON p.id = r.project_id LEFT JOIN risk_rounds rr ON rr.id = r.round_id";

pub async fn risk(db: &Db, id: i64) -> DbResult<Option<Risk>> {
    db.read().fetch_optional(&format!("{RISK} WHERE r.id = $1"), args![id]).await
}

pub async fn risk_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Risk>> {
    tx.fetch_optional(&format!("{RISK} WHERE r.id = $1"), args![id]).await
}

const ASSESSMENT: &str = "SELECT a.id, a.kind, a.likelihood, a.impact, a.score, a.level, a.probability_bp, a.loss_minor, a.expected_loss_minor, \
    a.rationale, rr.name AS round_name, u.display_name AS assessed_by_name, a.assessed_at \
    FROM risk_assessments a JOIN users u ON u.id = a.assessed_by LEFT JOIN risk_rounds rr ON rr.id = a.round_id";

/// Every assessment of a risk, newest first.
pub async fn history(db: &Db, risk_id: i64) -> DbResult<Vec<Assessment>> {
    db.read().fetch_all(&format!("{ASSESSMENT} WHERE a.risk_id = $1 ORDER BY a.assessed_at DESC, a.id DESC"), args![risk_id]).await
}

/// The register's filters, parsed.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub q: String,
    pub status: Option<RiskStatus>,
    pub level: Option<Level>,
    pub category_id: Option<i64>,
    pub department_id: Option<i64>,
    pub owner_id: Option<i64>,
    /// From a heat-map cell: (kind, likelihood, impact).
    pub cell: Option<(AssessmentKind, i64, i64)>,
}

/// The register page: risks the viewer may see, highest current score first,
/// then by number; closed ones only when the status filter asks for them.
/// The cursor holds (number, score).
pub async fn list(db: &Db, viewer: &Viewer, dept_code: &str, bands: &Bands, f: &Filter, after: Option<&str>, limit: i64) -> DbResult<Page<RiskRow>> {
    let (vis, mut a) = scope(viewer, dept_code, 1);
    let mut conds = vec![vis];
    let push = |conds: &mut Vec<String>, a: &mut Vec<Arg>, sql: &str, v: Arg| {
        a.push(v);
        conds.push(sql.replace("$?", &format!("${}", a.len())));
    };
    match f.status {
        Some(s) => push(&mut conds, &mut a, "r.status = $?", Arg::from(s.code())),
        None => push(&mut conds, &mut a, "r.status <> $?", Arg::from(RiskStatus::Closed.code())),
    }
    if let Some(l) = f.level {
        let (from, to) = bands.range(l);
        push(&mut conds, &mut a, "r.current_score >= $?", Arg::from(from));
        push(&mut conds, &mut a, "r.current_score < $?", Arg::from(to));
    }
    if let Some(c) = f.category_id {
        push(&mut conds, &mut a, "r.category_id = $?", Arg::from(c));
    }
    if let Some(d) = f.department_id {
        push(&mut conds, &mut a, "r.department_id = $?", Arg::from(d));
    }
    if let Some(o) = f.owner_id {
        push(&mut conds, &mut a, "r.owner_id = $?", Arg::from(o));
    }
    if let Some((kind, l, i)) = f.cell {
        let (lc, ic) = match kind {
            AssessmentKind::Inherent => ("r.inherent_likelihood", "r.inherent_impact"),
            AssessmentKind::Residual => ("r.residual_likelihood", "r.residual_impact"),
        };
        push(&mut conds, &mut a, &format!("{lc} = $?"), Arg::from(l));
        push(&mut conds, &mut a, &format!("{ic} = $?"), Arg::from(i));
    }
    let q = f.q.trim();
    if !q.is_empty() {
        let like = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        a.push(Arg::from(like));
        let n = a.len();
        conds.push(format!("(r.name LIKE ${n} ESCAPE '\\' OR r.number LIKE ${n} ESCAPE '\\')"));
    }
    let where_ = format!("WHERE {}", conds.join(" AND "));
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM risks r {where_}"), a.clone()).await?;
    let score = "COALESCE(r.current_score, 0)";
    let mut page_conds = conds.clone();
    if let Some((number, s)) = after.and_then(decode_cursor) {
        a.push(Arg::from(s));
        a.push(Arg::from(number));
        let (x, y) = (a.len() - 1, a.len());
        page_conds.push(format!("({score} < ${x} OR ({score} = ${x} AND r.number > ${y}))"));
    }
    let sql = format!(
        "SELECT r.id, r.number, r.name, r.status, c.name_zh AS category_zh, c.name_en AS category_en, d.name_zh AS department_zh, \
         d.name_en AS department_en, u.display_name AS owner_name, r.inherent_score, r.residual_score, r.current_score \
         FROM risks r JOIN risk_categories c ON c.id = r.category_id JOIN departments d ON d.id = r.department_id \
         JOIN users u ON u.id = r.owner_id WHERE {} ORDER BY {score} DESC, r.number ASC LIMIT {}",
        page_conds.join(" AND "),
        limit + 1
    );
    let mut rows: Vec<RiskRow> = db.read().fetch_all(&sql, a).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(|r| encode_cursor(&r.number, r.current_score.unwrap_or(0))) } else { None };
    Ok(Page { rows, next, total })
}

pub async fn insert_risk(tx: &mut Tx, actor: &Actor, number: &str, d: &RiskData, now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO risks (number, name, description, source, category_id, department_id, owner_id, customer_id, contract_id, project_id, \
             round_id, status, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $13, $14) RETURNING id",
            args![
                number,
                d.name.clone(),
                d.description.clone(),
                d.source.clone(),
                d.category_id,
                d.department_id,
                d.owner_id,
                d.customer_id,
                d.contract_id,
                d.project_id,
                d.round_id,
                RiskStatus::Identified.code(),
                now,
                actor.user_id
            ],
        )
        .await?;
    let after = risk_tx(tx, id).await?;
    audit::record(tx, actor, "risk", Some(id), "create", None, after.map(|r| json!(r)).as_ref()).await?;
    Ok(id)
}

pub async fn update_risk(tx: &mut Tx, actor: &Actor, before: &Risk, version: i64, d: &RiskData, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE risks SET name = $1, description = $2, source = $3, category_id = $4, department_id = $5, owner_id = $6, customer_id = $7, \
             contract_id = $8, project_id = $9, round_id = $10, version = version + 1, updated_at = $11, updated_by = $12 \
             WHERE id = $13 AND version = $14",
            args![
                d.name.clone(),
                d.description.clone(),
                d.source.clone(),
                d.category_id,
                d.department_id,
                d.owner_id,
                d.customer_id,
                d.contract_id,
                d.project_id,
                d.round_id,
                now,
                actor.user_id,
                before.id,
                version
            ],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = risk_tx(tx, before.id).await?;
    audit::record(tx, actor, "risk", Some(before.id), "update", Some(&json!(before)), after.map(|r| json!(r)).as_ref()).await?;
    Ok(true)
}

/// The open round the department takes part in now, if any (an assessment
/// made during it counts for it).
pub async fn current_round_tx(tx: &mut Tx, department_id: i64, today: NaiveDate) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT rr.id FROM risk_rounds rr JOIN risk_round_departments rd ON rd.round_id = rr.id \
             WHERE rr.status = $1 AND rd.department_id = $2 AND rr.starts_on <= $3 ORDER BY rr.starts_on DESC, rr.id DESC LIMIT 1",
            args!["open", department_id, today],
        )
        .await?;
    Ok(r.map(|r| r.0))
}

/// Records an assessment (5.1-c): the history row with the level in force, the
/// risk's inherent or residual columns, the current score (residual if any,
/// else inherent), the quantitative estimate, the status identified → assessed;
/// then escalation on a rise to high/critical (5.3-d, 2.4.3-d). False on a
/// version conflict. Returns the new current score.
#[allow(clippy::too_many_arguments)]
pub async fn assess(
    tx: &mut Tx,
    actor: &Actor,
    by: i64,
    before: &Risk,
    version: i64,
    d: &AssessData,
    round_id: Option<i64>,
    review_id: Option<i64>,
    now: DateTime<Utc>,
) -> DbResult<Option<Option<i64>>> {
    let bands = crate::risk::store::bands_tx(tx).await?;
    let score = d.score();
    let (inh, res) = match d.kind {
        AssessmentKind::Inherent => (Some(score), before.residual_score),
        AssessmentKind::Residual => (before.inherent_score, Some(score)),
    };
    let current = current_score(inh, res);
    let status = status_after_assessment(before.status());
    let expected = d.expected_loss_minor();
    let (lcol, icol, scol) = match d.kind {
        AssessmentKind::Inherent => ("inherent_likelihood", "inherent_impact", "inherent_score"),
        AssessmentKind::Residual => ("residual_likelihood", "residual_impact", "residual_score"),
    };
    let n = tx
        .execute(
            &format!(
                "UPDATE risks SET {lcol} = $1, {icol} = $2, {scol} = $3, current_score = $4, status = $5, \
                 probability_bp = COALESCE($6, probability_bp), loss_minor = COALESCE($7, loss_minor), \
                 expected_loss_minor = CASE WHEN $6 IS NULL AND $7 IS NULL THEN expected_loss_minor ELSE $8 END, \
                 last_assessed_at = $9, version = version + 1, updated_at = $9, updated_by = $10 WHERE id = $11 AND version = $12"
            ),
            args![d.likelihood, d.impact, score, current, status.code(), d.probability_bp, d.loss_minor, expected, now, actor.user_id, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(None);
    }
    let aid: i64 = tx
        .scalar(
            "INSERT INTO risk_assessments (risk_id, kind, likelihood, impact, score, level, probability_bp, loss_minor, expected_loss_minor, \
             rationale, round_id, review_id, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            args![
                before.id,
                d.kind.code(),
                d.likelihood,
                d.impact,
                score,
                bands.level(score).code(),
                d.probability_bp,
                d.loss_minor,
                expected,
                d.rationale.clone(),
                round_id,
                review_id,
                by,
                now
            ],
        )
        .await?;
    let after = risk_tx(tx, before.id).await?;
    audit::record(
        tx,
        actor,
        "risk_assessment",
        Some(aid),
        "create",
        None,
        Some(&json!({"risk_id": before.id, "kind": d.kind.code(), "likelihood": d.likelihood, "impact": d.impact, "score": score,
            "level": bands.level(score).code(), "probability_bp": d.probability_bp, "loss_minor": d.loss_minor,
            "expected_loss_minor": expected, "rationale": d.rationale})),
    )
    .await?;
    audit::record(tx, actor, "risk", Some(before.id), "assess", Some(&json!(before)), after.map(|r| json!(r)).as_ref()).await?;
    crate::risk::store::score_changed(tx, before.id, before.current_score, current, now).await?;
    // 5.2-a: an accepted risk that is now above low needs the executive's approval again.
    crate::risk::response::store::on_score_change_acceptance(tx, before.id, now).await?;
    Ok(Some(current))
}

/// Closes (with a reason) or reopens a risk; false on a version conflict.
pub async fn set_closed(tx: &mut Tx, actor: &Actor, before: &Risk, version: i64, close: Option<&str>, now: DateTime<Utc>) -> DbResult<bool> {
    let n = match close {
        Some(reason) => {
            tx.execute(
                "UPDATE risks SET status = $1, closed_at = $2, closed_reason = $3, version = version + 1, updated_at = $2, updated_by = $4 \
                 WHERE id = $5 AND version = $6",
                args![RiskStatus::Closed.code(), now, reason, actor.user_id, before.id, version],
            )
            .await?
        }
        None => {
            // Reopened: back to where its assessment puts it.
            let status = if before.current_score.is_some() { RiskStatus::Assessed } else { RiskStatus::Identified };
            tx.execute(
                "UPDATE risks SET status = $1, closed_at = $2, version = version + 1, updated_at = $3, updated_by = $4 WHERE id = $5 AND version = $6",
                args![status.code(), Option::<DateTime<Utc>>::None, now, actor.user_id, before.id, version],
            )
            .await?
        }
    };
    if n == 0 {
        return Ok(false);
    }
    let after = risk_tx(tx, before.id).await?;
    let action = if close.is_some() { "close" } else { "reopen" };
    audit::record(tx, actor, "risk", Some(before.id), action, Some(&json!(before)), after.map(|r| json!(r)).as_ref()).await?;
    Ok(true)
}

// ===== assessment rounds (5.1-a) =====

const ROUND: &str = "SELECT rr.id, rr.name, rr.period, rr.starts_on, rr.due_on, rr.status, rr.note, u.display_name AS opened_by_name, \
    rr.closed_at, rr.version, \
    (SELECT COUNT(*) FROM risk_round_departments x WHERE x.round_id = rr.id) AS departments, \
    (SELECT COUNT(*) FROM risk_round_departments x WHERE x.round_id = rr.id AND x.status = 'submitted') AS submitted \
    FROM risk_rounds rr JOIN users u ON u.id = rr.opened_by";

pub async fn rounds(db: &Db) -> DbResult<Vec<Round>> {
    db.read().fetch_all(&format!("{ROUND} ORDER BY rr.starts_on DESC, rr.id DESC LIMIT 200"), vec![]).await
}

pub async fn round(db: &Db, id: i64) -> DbResult<Option<Round>> {
    db.read().fetch_optional(&format!("{ROUND} WHERE rr.id = $1"), args![id]).await
}

pub async fn round_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Round>> {
    tx.fetch_optional(&format!("{ROUND} WHERE rr.id = $1"), args![id]).await
}

/// When a round counts from: its start date's midnight in the company's zone.
pub fn round_since(r: &Round) -> DateTime<Utc> {
    company_midnight(r.starts_on)
}

const ROUND_DEPT: &str = "SELECT rd.id, rd.department_id, d.name_zh AS department_zh, d.name_en AS department_en, rd.status, rd.risk_count, \
    rd.comment, u.display_name AS submitted_by_name, rd.submitted_at, rd.version, \
    (SELECT COUNT(*) FROM risks r WHERE r.department_id = rd.department_id AND r.status <> 'closed') AS open_risks, \
    (SELECT COUNT(*) FROM risks r WHERE r.department_id = rd.department_id AND r.status <> 'closed' \
        AND EXISTS (SELECT 1 FROM risk_assessments a WHERE a.risk_id = r.id AND a.assessed_at >= $2)) AS assessed \
    FROM risk_round_departments rd JOIN departments d ON d.id = rd.department_id LEFT JOIN users u ON u.id = rd.submitted_by";

pub async fn round_departments(db: &Db, r: &Round) -> DbResult<Vec<RoundDept>> {
    db.read().fetch_all(&format!("{ROUND_DEPT} WHERE rd.round_id = $1 ORDER BY rd.department_id"), args![r.id, round_since(r)]).await
}

pub async fn round_department_tx(tx: &mut Tx, r: &Round, rd_id: i64) -> DbResult<Option<RoundDept>> {
    tx.fetch_optional(&format!("{ROUND_DEPT} WHERE rd.round_id = $1 AND rd.id = $3"), args![r.id, round_since(r), rd_id]).await
}

/// Open risks of a department with no assessment since `since` (5.1-a).
pub async fn unassessed(db: &Db, department_id: i64, since: DateTime<Utc>) -> DbResult<Vec<Unassessed>> {
    db.read().fetch_all(UNASSESSED, args![department_id, since]).await
}

pub async fn unassessed_tx(tx: &mut Tx, department_id: i64, since: DateTime<Utc>) -> DbResult<Vec<Unassessed>> {
    tx.fetch_all(UNASSESSED, args![department_id, since]).await
}

const UNASSESSED: &str = "SELECT r.id, r.number, r.name FROM risks r WHERE r.department_id = $1 AND r.status <> 'closed' \
    AND NOT EXISTS (SELECT 1 FROM risk_assessments a WHERE a.risk_id = r.id AND a.assessed_at >= $2) ORDER BY r.number LIMIT 200";

fn due_at(due_on: NaiveDate) -> DateTime<Utc> {
    // Due by the end of the due date, company time.
    company_midnight(due_on) + Duration::days(1) - Duration::seconds(1)
}

#[allow(clippy::too_many_arguments)]
async fn department_task(tx: &mut Tx, round: &RoundData, round_id: i64, rd_id: i64, dept: i64, title: K, extra: Vec<(String, String)>, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    let mut params = vec![("round".to_string(), round.name.clone()), ("due".to_string(), round.due_on.to_string())];
    params.extend(extra);
    crate::inbox::store::insert(
        tx,
        NewItem {
            user_id: None,
            department_id: Some(dept),
            kind: "task",
            title,
            params,
            link: format!("/risks/rounds/{round_id}"),
            due_at: Some(due_at(round.due_on)),
            source_entity: "risk_round_department",
            source_id: Some(rd_id),
        },
        by,
        now,
    )
    .await?;
    Ok(())
}

/// Opens a round for the departments (5.1-a): one row each and a task in
/// each department's My work, due on the round's due date.
pub async fn open_round(tx: &mut Tx, actor: &Actor, opened_by: i64, d: &RoundData, departments: &[i64], now: DateTime<Utc>) -> DbResult<i64> {
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_rounds (name, period, starts_on, due_on, status, note, opened_by, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9) RETURNING id",
            args![d.name.clone(), d.period.clone(), d.starts_on, d.due_on, "open", d.note.clone(), opened_by, now, actor.user_id],
        )
        .await?;
    for dept in departments {
        let rd: i64 = tx
            .scalar(
                "INSERT INTO risk_round_departments (round_id, department_id, status, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
                args![id, *dept, "pending", now],
            )
            .await?;
        department_task(tx, d, id, rd, *dept, K::RiskRegRoundTask, vec![], actor.user_id, now).await?;
    }
    audit::record(
        tx,
        actor,
        "risk_round",
        Some(id),
        "create",
        None,
        Some(&json!({"name": d.name, "period": d.period, "starts_on": d.starts_on, "due_on": d.due_on, "note": d.note, "departments": departments})),
    )
    .await?;
    Ok(id)
}

async fn finish_tasks(tx: &mut Tx, rd_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, read_at = COALESCE(read_at, $1), version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, by, "risk_round_department", rd_id],
    )
    .await?;
    Ok(())
}

/// The department's manager submits the reviewed list: the row submitted, its
/// task done. False on a version conflict.
pub async fn submit(tx: &mut Tx, actor: &Actor, by: i64, before: &RoundDept, version: i64, comment: &str, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE risk_round_departments SET status = $1, risk_count = $2, comment = $3, submitted_by = $4, submitted_at = $5, \
             version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7 AND status <> $1",
            args!["submitted", before.open_risks, comment, by, now, before.id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    finish_tasks(tx, before.id, Some(by), now).await?;
    audit::record(
        tx,
        actor,
        "risk_round_department",
        Some(before.id),
        "submit",
        Some(&json!({"status": before.status, "comment": before.comment})),
        Some(&json!({"status": "submitted", "comment": comment, "risk_count": before.open_risks})),
    )
    .await?;
    Ok(true)
}

/// The risk office returns a submission with a reason: the department gets its task again.
pub async fn return_submission(tx: &mut Tx, actor: &Actor, round: &Round, before: &RoundDept, version: i64, reason: &str, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE risk_round_departments SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4 AND status = $5",
            args!["returned", now, before.id, version, "submitted"],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let d = RoundData { name: round.name.clone(), period: round.period.clone(), starts_on: round.starts_on, due_on: round.due_on, note: String::new() };
    department_task(tx, &d, round.id, before.id, before.department_id, K::RiskRegRoundReturnedTask, vec![("reason".into(), reason.to_string())], actor.user_id, now)
        .await?;
    audit::record(
        tx,
        actor,
        "risk_round_department",
        Some(before.id),
        "return",
        Some(&json!({"status": before.status})),
        Some(&json!({"status": "returned", "reason": reason})),
    )
    .await?;
    Ok(true)
}

/// Closes a round; open department tasks of it are done with it.
pub async fn close_round(tx: &mut Tx, actor: &Actor, before: &Round, version: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE risk_rounds SET status = $1, closed_at = $2, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5 AND status = $6",
            args!["closed", now, actor.user_id, before.id, version, "open"],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let rds: Vec<(i64,)> = tx.fetch_all("SELECT id FROM risk_round_departments WHERE round_id = $1", args![before.id]).await?;
    for (rd,) in rds {
        finish_tasks(tx, rd, actor.user_id, now).await?;
    }
    audit::record(tx, actor, "risk_round", Some(before.id), "close", Some(&json!({"status": before.status})), Some(&json!({"status": "closed"})))
        .await?;
    Ok(true)
}

// ===== the project plan's link (2.4.1-b, 2.4.3-d) =====

/// The register number and current level of each linked plan risk of a project.
pub async fn project_links(db: &Db, project_id: i64) -> DbResult<Vec<(i64, RegisterLink)>> {
    let bands = crate::risk::store::bands(db).await?;
    let rows: Vec<(i64, i64, String, Option<i64>)> = db
        .read()
        .fetch_all(
            "SELECT pr.id, r.id, r.number, r.current_score FROM project_risks pr JOIN risks r ON r.id = pr.risk_id WHERE pr.project_id = $1",
            args![project_id],
        )
        .await?;
    Ok(rows.into_iter().map(|(pr, id, number, s)| (pr, RegisterLink { risk_id: id, number, level: s.map(|s| bands.level(s)) })).collect())
}

/// Registers a project plan risk in the register: category operational, the
/// project's requesting department, the plan risk's owner, linked to the
/// project, its inherent assessment from the plan's likelihood and impact;
/// the plan risk then points at it. None when it is linked already.
#[allow(clippy::type_complexity)]
pub async fn register_project_risk(tx: &mut Tx, actor: &Actor, by: i64, project_risk_id: i64, now: DateTime<Utc>) -> DbResult<Option<i64>> {
    let pr: Option<(i64, String, String, i64, i64, String, i64, Option<i64>, i64, String)> = tx
        .fetch_optional(
            "SELECT pr.project_id, pr.title, pr.description, pr.likelihood, pr.impact, pr.response, pr.owner_id, pr.risk_id, \
             p.requesting_department_id, p.number FROM project_risks pr JOIN projects p ON p.id = pr.project_id WHERE pr.id = $1",
            args![project_risk_id],
        )
        .await?;
    let Some((project_id, title, description, likelihood, impact, response, owner_id, linked, dept, pnum)) = pr else { return Ok(None) };
    if linked.is_some() {
        return Ok(None);
    }
    let category = category_by_code_tx(tx, "operational").await?.map(|c| c.id).unwrap_or(1);
    let year = crate::core::time::company_year(now);
    let number = crate::core::db::next_number(tx, "risks", "FX", year).await?;
    let d = RiskData {
        name: title.clone(),
        description,
        source: format!("{pnum} · {response}").chars().take(1000).collect(),
        category_id: category,
        department_id: dept,
        owner_id,
        customer_id: None,
        contract_id: None,
        project_id: Some(project_id),
        round_id: None,
    };
    let id = insert_risk(tx, actor, &number, &d, now).await?;
    let n = tx
        .execute(
            "UPDATE project_risks SET risk_id = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND risk_id IS NULL",
            args![id, now, actor.user_id, project_risk_id],
        )
        .await?;
    if n == 0 {
        return Ok(None);
    }
    audit::record(tx, actor, "project_risk", Some(project_risk_id), "link", None, Some(&json!({"risk_id": id, "number": number}))).await?;
    let risk = risk_tx(tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let a = AssessData {
        kind: AssessmentKind::Inherent,
        likelihood,
        impact,
        probability_bp: None,
        loss_minor: None,
        rationale: format!("{pnum}: {title}"),
    };
    let round = current_round_tx(tx, dept, crate::core::time::company_today(now)).await?;
    assess(tx, actor, by, &risk, risk.version, &a, round, None, now).await?;
    Ok(Some(id))
}
