//! The SQL of the response part (5.2-a/b/d/e): strategy and the executive's
//! approval of accepted risks above low, measures with their owners' My work
//! tasks, and effectiveness reviews that re-score the residual risk.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::{Page, PAGE_SIZE, decode_cursor, encode_cursor};
use crate::core::perm::Viewer;
use crate::core::time::{company_date, company_midnight};
use crate::inbox::store::NewItem;
use crate::risk::model::{Level, RiskStatus, Strategy};
use crate::risk::store::{RiskHead, bands_tx, score_changed};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

/// The inbox items of this part (`source_entity`).
pub const TASK_ACCEPTANCE: &str = "risk_acceptance";
pub const TASK_MEASURE: &str = "risk_measure";

/// The end of a due date in the company's time zone (a My work task is
/// overdue from the next day on).
pub fn end_of_day(d: NaiveDate) -> DateTime<Utc> {
    company_midnight(d.succ_opt().unwrap_or(d)) - Duration::seconds(1)
}

/// Marks every open My work item of a source done (the approval was decided,
/// the measure finished).
pub async fn close_items(tx: &mut Tx, source: &str, id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<u64> {
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, read_at = COALESCE(read_at, $1), version = version + 1, updated_at = $1, \
         updated_by = $2 WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, by, source, id],
    )
    .await
}

/// 5.2-a: every active executive gets a task to approve (or reject) the
/// acceptance of the risk.
async fn acceptance_tasks(tx: &mut Tx, risk_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    let (number, name): (String, String) = tx.fetch_one("SELECT number, name FROM risks WHERE id = $1", args![risk_id]).await?;
    let execs: Vec<(i64,)> =
        tx.fetch_all("SELECT id FROM users WHERE role = 'executive' AND active = $1 ORDER BY id", args![true]).await?;
    for (u,) in execs {
        crate::inbox::store::insert(
            tx,
            NewItem {
                user_id: Some(u),
                department_id: None,
                kind: "task",
                title: K::RiskRespTaskApprove,
                params: vec![("number".into(), number.clone()), ("name".into(), name.clone())],
                link: format!("/risks/{risk_id}"),
                due_at: None,
                source_entity: TASK_ACCEPTANCE,
                source_id: Some(risk_id),
            },
            by,
            now,
        )
        .await?;
    }
    Ok(())
}

fn strategy_of(h: &RiskHead) -> Option<Strategy> {
    h.strategy.as_deref().and_then(Strategy::parse)
}

fn acceptance_of(h: &RiskHead) -> Option<AcceptanceStatus> {
    h.acceptance_status.as_deref().and_then(AcceptanceStatus::parse)
}

/// 5.2-a: sets the response strategy. Accepting a risk above low asks every
/// executive for approval (pending); an approval already given for the same
/// acceptance stands; another strategy clears the acceptance (and withdraws
/// the open approval tasks). Identified and assessed risks move to
/// responding. False when the risk changed since `head` was read.
pub async fn set_strategy(
    tx: &mut Tx,
    actor: &Actor,
    head: &RiskHead,
    strategy: Strategy,
    note: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let bands = bands_tx(tx).await?;
    let level = head.current_score.map(|s| bands.level(s));
    let old_strategy = strategy_of(head);
    let old_acc = acceptance_of(head);
    let mut acc = acceptance_for(strategy, level);
    let keep = old_strategy == Some(Strategy::Accept) && strategy == Strategy::Accept && old_acc == Some(AcceptanceStatus::Approved);
    if keep {
        acc = old_acc;
    }
    let status = RiskStatus::parse(&head.status).map(status_after_strategy).unwrap_or(RiskStatus::Responding);
    let n = if keep {
        tx.execute(
            "UPDATE risks SET strategy = $1, strategy_note = $2, status = $3, version = version + 1, updated_at = $4, updated_by = $5 \
             WHERE id = $6 AND version = $7",
            args![strategy.code(), note, status.code(), now, actor.user_id, head.id, head.version],
        )
        .await?
    } else {
        tx.execute(
            "UPDATE risks SET strategy = $1, strategy_note = $2, status = $3, acceptance_status = $4, acceptance_by = NULL, \
             acceptance_at = NULL, acceptance_note = '', version = version + 1, updated_at = $5, updated_by = $6 WHERE id = $7 AND version = $8",
            args![strategy.code(), note, status.code(), acc.map(|a| a.code()), now, actor.user_id, head.id, head.version],
        )
        .await?
    };
    if n != 1 {
        return Ok(false);
    }
    if old_acc == Some(AcceptanceStatus::Pending) && acc != Some(AcceptanceStatus::Pending) {
        close_items(tx, TASK_ACCEPTANCE, head.id, actor.user_id, now).await?;
    }
    if acc == Some(AcceptanceStatus::Pending) && old_acc != Some(AcceptanceStatus::Pending) {
        acceptance_tasks(tx, head.id, actor.user_id, now).await?;
    }
    let before = json!({"strategy": head.strategy, "acceptance_status": head.acceptance_status, "status": head.status});
    let after = json!({"strategy": strategy.code(), "strategy_note": note, "acceptance_status": acc.map(|a| a.code()), "status": status.code()});
    audit::record(tx, actor, "risk", Some(head.id), "set_strategy", Some(&before), Some(&after)).await?;
    Ok(true)
}

/// 5.2-a: an executive approves or rejects a pending acceptance. The other
/// executives' tasks are done, the owner is told. False when the risk
/// changed or is no longer pending.
pub async fn decide_acceptance(
    tx: &mut Tx,
    actor: &Actor,
    head: &RiskHead,
    approve: bool,
    note: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let to = if approve { AcceptanceStatus::Approved } else { AcceptanceStatus::Rejected };
    let n = tx
        .execute(
            "UPDATE risks SET acceptance_status = $1, acceptance_by = $2, acceptance_at = $3, acceptance_note = $4, version = version + 1, \
             updated_at = $3, updated_by = $2 WHERE id = $5 AND version = $6 AND acceptance_status = $7",
            args![to.code(), actor.user_id, now, note, head.id, head.version, AcceptanceStatus::Pending.code()],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    close_items(tx, TASK_ACCEPTANCE, head.id, actor.user_id, now).await?;
    crate::inbox::store::insert(
        tx,
        NewItem {
            user_id: Some(head.owner_id),
            department_id: None,
            kind: "notification",
            title: if approve { K::RiskRespNoteApproved } else { K::RiskRespNoteRejected },
            params: vec![("number".into(), head.number.clone()), ("name".into(), head.name.clone()), ("by".into(), actor.name.clone())],
            link: format!("/risks/{}", head.id),
            due_at: None,
            source_entity: "risk",
            source_id: Some(head.id),
        },
        actor.user_id,
        now,
    )
    .await?;
    let before = json!({"acceptance_status": head.acceptance_status});
    let after = json!({"acceptance_status": to.code(), "acceptance_note": note});
    let action = if approve { "approve_acceptance" } else { "reject_acceptance" };
    audit::record(tx, actor, "risk", Some(head.id), action, Some(&before), Some(&after)).await?;
    Ok(true)
}

/// 5.2-a after a re-score: an accepted risk now above low whose acceptance was
/// approved (at a lower level) or never needed goes back to pending, and the
/// executives are asked again. Call in the transaction of every change of a
/// risk's current score, after `risks.current_score` is written (the
/// assessment's own update bumps the version). Returns whether it reopened.
pub async fn on_score_change_acceptance(tx: &mut Tx, risk_id: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let row: Option<(Option<String>, Option<String>, Option<i64>)> =
        tx.fetch_optional("SELECT strategy, acceptance_status, current_score FROM risks WHERE id = $1", args![risk_id]).await?;
    let Some((strategy, acc, score)) = row else { return Ok(false) };
    let bands = bands_tx(tx).await?;
    let old = acc.as_deref().and_then(AcceptanceStatus::parse);
    let new = acceptance_after_rescore(strategy.as_deref().and_then(Strategy::parse), old, score.map(|s| bands.level(s)));
    if new == old || new != Some(AcceptanceStatus::Pending) {
        return Ok(false);
    }
    tx.execute(
        "UPDATE risks SET acceptance_status = $1, acceptance_by = NULL, acceptance_at = NULL, acceptance_note = '' WHERE id = $2",
        args![AcceptanceStatus::Pending.code(), risk_id],
    )
    .await?;
    acceptance_tasks(tx, risk_id, None, now).await?;
    let actor = Actor::system("risk_rescore");
    audit::record(
        tx,
        &actor,
        "risk",
        Some(risk_id),
        "reopen_acceptance",
        Some(&json!({"acceptance_status": acc})),
        Some(&json!({"acceptance_status": "pending", "current_score": score})),
    )
    .await?;
    Ok(true)
}

/// A measure as entered (validated by the caller).
#[derive(Clone, Debug)]
pub struct MeasureInput {
    pub action: String,
    pub owner_id: i64,
    pub due_on: NaiveDate,
    pub status: MeasureStatus,
    pub link: Option<(LinkKind, String)>,
}

impl MeasureInput {
    fn json(&self) -> serde_json::Value {
        json!({
            "action": self.action, "owner_id": self.owner_id, "due_on": self.due_on.to_string(), "status": self.status.code(),
            "link_kind": self.link.as_ref().map(|l| l.0.code()), "link_ref": self.link.as_ref().map(|l| l.1.clone()).unwrap_or_default(),
        })
    }
}

async fn measure_task(tx: &mut Tx, measure_id: i64, risk_id: i64, m: &MeasureInput, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    let number: String = tx.scalar("SELECT number FROM risks WHERE id = $1", args![risk_id]).await?;
    crate::inbox::store::insert(
        tx,
        NewItem {
            user_id: Some(m.owner_id),
            department_id: None,
            kind: "task",
            title: K::RiskRespTaskMeasure,
            params: vec![("number".into(), number), ("action".into(), m.action.clone())],
            link: format!("/risks/{risk_id}"),
            due_at: Some(end_of_day(m.due_on)),
            source_entity: TASK_MEASURE,
            source_id: Some(measure_id),
        },
        by,
        now,
    )
    .await?;
    Ok(())
}

/// 5.2-b/d/e: adds a measure; an open one is a task in its owner's My work,
/// due on its due date.
pub async fn insert_measure(tx: &mut Tx, actor: &Actor, risk_id: i64, m: &MeasureInput, now: DateTime<Utc>) -> DbResult<i64> {
    let done = (m.status == MeasureStatus::Done).then(|| company_date(now));
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_measures (risk_id, action, owner_id, due_on, status, link_kind, link_ref, completed_on, version, created_at, \
             created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9, $10) RETURNING id",
            args![
                risk_id,
                m.action.clone(),
                m.owner_id,
                m.due_on,
                m.status.code(),
                m.link.as_ref().map(|l| l.0.code()),
                m.link.as_ref().map(|l| l.1.clone()).unwrap_or_default(),
                done,
                now,
                actor.user_id
            ],
        )
        .await?;
    if m.status.is_open() {
        measure_task(tx, id, risk_id, m, actor.user_id, now).await?;
    }
    let mut after = m.json();
    after["risk_id"] = json!(risk_id);
    audit::record(tx, actor, "risk_measure", Some(id), "create", None, Some(&after)).await?;
    Ok(id)
}

/// Changes a measure (all fields, or only its status as its owner does). The
/// owner's task follows: moved to a new owner or due date while open, done
/// when the measure is done or cancelled, a new one when it reopens. False
/// when someone else changed the measure first.
pub async fn update_measure(tx: &mut Tx, actor: &Actor, old: &Measure, m: &MeasureInput, now: DateTime<Utc>) -> DbResult<bool> {
    let completed = match (m.status, old.completed_on) {
        (MeasureStatus::Done, Some(d)) => Some(d),
        (MeasureStatus::Done, None) => Some(company_date(now)),
        _ => None,
    };
    let n = tx
        .execute(
            "UPDATE risk_measures SET action = $1, owner_id = $2, due_on = $3, status = $4, link_kind = $5, link_ref = $6, completed_on = $7, \
             version = version + 1, updated_at = $8, updated_by = $9 WHERE id = $10 AND version = $11",
            args![
                m.action.clone(),
                m.owner_id,
                m.due_on,
                m.status.code(),
                m.link.as_ref().map(|l| l.0.code()),
                m.link.as_ref().map(|l| l.1.clone()).unwrap_or_default(),
                completed,
                now,
                actor.user_id,
                old.id,
                old.version
            ],
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let was_open = old.status().is_open();
    match (was_open, m.status.is_open()) {
        (true, true) if old.owner_id != m.owner_id || old.due_on != m.due_on || old.action != m.action => {
            close_items(tx, TASK_MEASURE, old.id, actor.user_id, now).await?;
            measure_task(tx, old.id, old.risk_id, m, actor.user_id, now).await?;
        }
        (true, false) => {
            close_items(tx, TASK_MEASURE, old.id, actor.user_id, now).await?;
        }
        (false, true) => measure_task(tx, old.id, old.risk_id, m, actor.user_id, now).await?,
        _ => {}
    }
    let before = json!({
        "action": old.action, "owner_id": old.owner_id, "due_on": old.due_on.to_string(), "status": old.status,
        "link_kind": old.link_kind, "link_ref": old.link_ref,
    });
    audit::record(tx, actor, "risk_measure", Some(old.id), "update", Some(&before), Some(&m.json())).await?;
    to_monitoring(tx, actor, old.risk_id, now).await?;
    Ok(true)
}

/// A review as entered (validated by the caller).
#[derive(Clone, Debug)]
pub struct ReviewInput {
    pub measure_id: Option<i64>,
    pub effectiveness: Effectiveness,
    pub comments: String,
    pub likelihood: i64,
    pub impact: i64,
}

/// 5.2-e: an effectiveness review re-scores the residual risk: the review, a
/// residual assessment in the history (level from the bands in force), the
/// risk's residual and current score, escalation when the level rises
/// (5.3-d), the acceptance re-opened when an accepted risk rose above low,
/// and monitoring once every measure is finished and reviewed. `None` when
/// the risk changed since `head` was read.
pub async fn insert_review(tx: &mut Tx, actor: &Actor, head: &RiskHead, r: &ReviewInput, now: DateTime<Utc>) -> DbResult<Option<i64>> {
    let bands = bands_tx(tx).await?;
    let score = r.likelihood * r.impact;
    let level = bands.level(score);
    let n = tx
        .execute(
            "UPDATE risks SET residual_likelihood = $1, residual_impact = $2, residual_score = $3, current_score = $3, last_assessed_at = $4, \
             version = version + 1, updated_at = $4, updated_by = $5 WHERE id = $6 AND version = $7",
            args![r.likelihood, r.impact, score, now, actor.user_id, head.id, head.version],
        )
        .await?;
    if n != 1 {
        return Ok(None);
    }
    let by = actor.user_id.unwrap_or_default();
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_reviews (risk_id, measure_id, effectiveness, comments, residual_likelihood, residual_impact, strategy_changed, \
             reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            args![head.id, r.measure_id, r.effectiveness.code(), r.comments.clone(), r.likelihood, r.impact, false, by, now],
        )
        .await?;
    tx.execute(
        "INSERT INTO risk_assessments (risk_id, kind, likelihood, impact, score, level, rationale, review_id, assessed_by, assessed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![head.id, "residual", r.likelihood, r.impact, score, level.code(), r.comments.clone(), id, by, now],
    )
    .await?;
    let after = json!({
        "risk_id": head.id, "measure_id": r.measure_id, "effectiveness": r.effectiveness.code(), "comments": r.comments,
        "residual_likelihood": r.likelihood, "residual_impact": r.impact, "score": score, "level": level.code(),
        "previous_score": head.current_score,
    });
    audit::record(tx, actor, "risk_review", Some(id), "create", None, Some(&after)).await?;
    score_changed(tx, head.id, head.current_score, Some(score), now).await?;
    on_score_change_acceptance(tx, head.id, now).await?;
    to_monitoring(tx, actor, head.id, now).await?;
    Ok(Some(id))
}

/// 5.1-d / 5.2-e: a responding risk whose measures are all done or cancelled,
/// each done one reviewed, moves to monitoring.
pub async fn to_monitoring(tx: &mut Tx, actor: &Actor, risk_id: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let (total, open, unreviewed): (i64, i64, i64) = tx
        .fetch_one(
            "SELECT COUNT(*), \
             CAST(COALESCE(SUM(CASE WHEN m.status IN ('planned', 'in_progress') THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN m.status = 'done' AND NOT EXISTS (SELECT 1 FROM risk_reviews v WHERE v.measure_id = m.id) \
             THEN 1 ELSE 0 END), 0) AS BIGINT) FROM risk_measures m WHERE m.risk_id = $1",
            args![risk_id],
        )
        .await?;
    if total == 0 || open > 0 || unreviewed > 0 {
        return Ok(false);
    }
    let n = tx
        .execute(
            "UPDATE risks SET status = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND status = $5",
            args![RiskStatus::Monitoring.code(), now, actor.user_id, risk_id, RiskStatus::Responding.code()],
        )
        .await?;
    if n == 1 {
        audit::record(
            tx,
            actor,
            "risk",
            Some(risk_id),
            "status",
            Some(&json!({"status": "responding"})),
            Some(&json!({"status": "monitoring"})),
        )
        .await?;
    }
    Ok(n == 1)
}

const MEASURE_SELECT: &str = "SELECT m.id, m.risk_id, m.action, m.owner_id, u.display_name AS owner_name, m.due_on, m.status, m.link_kind, \
    m.link_ref, m.completed_on, (SELECT COUNT(*) FROM risk_reviews v WHERE v.measure_id = m.id) AS reviews, m.version \
    FROM risk_measures m JOIN users u ON u.id = m.owner_id";

pub async fn measures(db: &Db, risk_id: i64) -> DbResult<Vec<Measure>> {
    db.read().fetch_all(&format!("{MEASURE_SELECT} WHERE m.risk_id = $1 ORDER BY m.due_on, m.id"), args![risk_id]).await
}

pub async fn measure_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Measure>> {
    tx.fetch_optional(&format!("{MEASURE_SELECT} WHERE m.id = $1"), args![id]).await
}

pub async fn reviews(db: &Db, risk_id: i64) -> DbResult<Vec<Review>> {
    db.read()
        .fetch_all(
            "SELECT v.id, v.measure_id, m.action AS measure_action, v.effectiveness, v.comments, v.residual_likelihood, v.residual_impact, \
             u.display_name AS reviewed_by_name, v.reviewed_at FROM risk_reviews v JOIN users u ON u.id = v.reviewed_by \
             LEFT JOIN risk_measures m ON m.id = v.measure_id WHERE v.risk_id = $1 ORDER BY v.reviewed_at DESC, v.id DESC",
            args![risk_id],
        )
        .await
}

/// Active employees, for the measure owner's choice.
pub async fn people(db: &Db) -> DbResult<Vec<Person>> {
    db.read().fetch_all("SELECT id, display_name FROM users WHERE active = $1 ORDER BY display_name, id", args![true]).await
}

pub async fn active_user_tx(tx: &mut Tx, id: i64) -> DbResult<bool> {
    let n: i64 = tx.scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND active = $2", args![id, true]).await?;
    Ok(n > 0)
}

/// The acceptance decision's author and time, and the strategy note.
pub async fn acceptance_details(db: &Db, risk_id: i64) -> DbResult<(String, Option<String>, Option<DateTime<Utc>>, String)> {
    db.read()
        .fetch_one(
            "SELECT r.strategy_note, u.display_name, r.acceptance_at, r.acceptance_note FROM risks r LEFT JOIN users u ON u.id = r.acceptance_by \
             WHERE r.id = $1",
            args![risk_id],
        )
        .await
}

/// The measures page (5.2-e): the viewer's own, their department's risks'
/// (managers) or all (the risk office); open, overdue (open past the due
/// date) or all; by due date, keyset-paged.
pub async fn measure_list(
    db: &Db,
    viewer: &Viewer,
    reach: MeasureReach,
    filter: MeasureFilter,
    today: NaiveDate,
    after: Option<&str>,
) -> DbResult<Page<MeasureRow>> {
    let mut conds: Vec<String> = vec![];
    let mut a: Vec<Arg> = vec![];
    match reach {
        MeasureReach::Mine => {
            a.push(Arg::from(viewer.user_id));
            conds.push(format!("m.owner_id = ${}", a.len()));
        }
        MeasureReach::Department => {
            a.push(Arg::from(viewer.department_id));
            conds.push(format!("r.department_id = ${}", a.len()));
        }
        MeasureReach::All => {}
    }
    match filter {
        MeasureFilter::Open => conds.push("m.status IN ('planned', 'in_progress')".into()),
        MeasureFilter::Overdue => {
            a.push(Arg::from(today));
            conds.push(format!("m.status IN ('planned', 'in_progress') AND m.due_on < ${}", a.len()));
        }
        MeasureFilter::All => {}
    }
    let base_where = if conds.is_empty() { "1 = 1".to_string() } else { conds.join(" AND ") };
    let from = "FROM risk_measures m JOIN risks r ON r.id = m.risk_id JOIN users u ON u.id = m.owner_id";
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) {from} WHERE {base_where}"), a.clone()).await?;
    let mut where_ = base_where;
    if let Some((d, id)) = after.and_then(decode_cursor)
        && let Ok(d) = NaiveDate::parse_from_str(&d, "%Y-%m-%d")
    {
        a.push(Arg::from(d));
        let p = a.len();
        a.push(Arg::from(id));
        where_.push_str(&format!(" AND (m.due_on > ${p} OR (m.due_on = ${p} AND m.id > ${}))", p + 1));
    }
    a.push(Arg::I64(PAGE_SIZE + 1));
    let mut rows: Vec<MeasureRow> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT m.id, m.risk_id, r.number AS risk_number, r.name AS risk_name, m.action, u.display_name AS owner_name, m.due_on, m.status, \
                 (SELECT COUNT(*) FROM risk_reviews v WHERE v.measure_id = m.id) AS reviews {from} WHERE {where_} ORDER BY m.due_on, m.id LIMIT ${}",
                a.len()
            ),
            a,
        )
        .await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| encode_cursor(&r.due_on.format("%Y-%m-%d").to_string(), r.id))
    } else {
        None
    };
    Ok(Page { rows, next, total })
}

/// The current level of a risk's score with the bands in force.
pub async fn level_tx(tx: &mut Tx, score: Option<i64>) -> DbResult<Option<Level>> {
    let bands = bands_tx(tx).await?;
    Ok(score.map(|s| bands.level(s)))
}
