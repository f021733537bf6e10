//! The SQL of acceptance (2.4.4): attachments, applications and reviews, the
//! acceptance report, the retrospective and the lessons search.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::list::Page;
use crate::core::perm::Viewer;
use crate::core::time::{add_working_days, company_date, company_midnight, company_year};
use crate::projects::model::{ProjectHead, ProjectStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// The inbox items of this part (source_entity).
pub const TASK_REVIEW: &str = "project_acceptance";
pub const TASK_RETRO: &str = "project_retrospective";

const FILE_SELECT: &str = "SELECT f.id, f.project_id, f.acceptance_id, f.kind, f.filename, f.content_type, f.size_bytes, f.sha256, \
    f.uploaded_at, u.display_name AS uploaded_by_name FROM project_files f LEFT JOIN users u ON u.id = f.uploaded_by";

/// Every attachment of the project (the current application's and earlier rounds').
pub async fn files(db: &Db, project_id: i64) -> DbResult<Vec<ProjectFile>> {
    db.read().fetch_all(&format!("{FILE_SELECT} WHERE f.project_id = $1 ORDER BY f.kind, f.id"), args![project_id]).await
}

pub async fn file(db: &Db, id: i64) -> DbResult<Option<ProjectFile>> {
    db.read().fetch_optional(&format!("{FILE_SELECT} WHERE f.id = $1"), args![id]).await
}

pub async fn file_tx(tx: &mut Tx, id: i64) -> DbResult<Option<ProjectFile>> {
    tx.fetch_optional(&format!("{FILE_SELECT} WHERE f.id = $1"), args![id]).await
}

pub async fn file_content(db: &Db, id: i64) -> DbResult<Option<Vec<u8>>> {
    let r: Option<(Vec<u8>,)> = db.read().fetch_optional("SELECT content FROM project_files WHERE id = $1", args![id]).await?;
    Ok(r.map(|r| r.0))
}

pub struct NewFile {
    pub project_id: i64,
    pub kind: FileKind,
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// 2.4.4-a: stores an attachment for the next application (not yet taken by one).
pub async fn insert_file(tx: &mut Tx, actor: &Actor, f: NewFile, now: DateTime<Utc>) -> DbResult<i64> {
    let sha = sha256_hex(&f.bytes);
    let size = f.bytes.len() as i64;
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_files (project_id, acceptance_id, kind, filename, content_type, size_bytes, sha256, content, uploaded_at, uploaded_by) \
             VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            args![f.project_id, f.kind.code(), f.filename.clone(), f.content_type, size, sha.clone(), f.bytes, now, actor.user_id],
        )
        .await?;
    let after = json!({"project_id": f.project_id, "kind": f.kind.code(), "filename": f.filename, "content_type": f.content_type, "size_bytes": size, "sha256": sha});
    audit::record(tx, actor, "project_file", Some(id), "upload", None, Some(&after)).await?;
    Ok(id)
}

/// Deletes an attachment no application has taken yet; false if one has (or it is gone).
pub async fn delete_file(tx: &mut Tx, actor: &Actor, f: &ProjectFile) -> DbResult<bool> {
    let n = tx.execute("DELETE FROM project_files WHERE id = $1 AND acceptance_id IS NULL", args![f.id]).await?;
    if n == 1 {
        audit::record(tx, actor, "project_file", Some(f.id), "delete", Some(&json!(f)), None).await?;
    }
    Ok(n == 1)
}

/// The kinds among the attachments waiting for the next application.
pub async fn pending_kinds_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<FileKind>> {
    let rows: Vec<(String,)> = tx
        .fetch_all("SELECT DISTINCT kind FROM project_files WHERE project_id = $1 AND acceptance_id IS NULL", args![project_id])
        .await?;
    Ok(rows.iter().filter_map(|r| FileKind::parse(&r.0)).collect())
}

/// Tasks and milestones not yet at 100 % (2.4.4-a: the project is complete).
pub async fn unfinished_tasks(db: &Db, project_id: i64) -> DbResult<Vec<(String, i64)>> {
    db.read()
        .fetch_all(
            "SELECT name, pct_done FROM project_tasks WHERE project_id = $1 AND kind IN ($2, $3) AND pct_done < 100 ORDER BY position, id",
            args![project_id, "task", "milestone"],
        )
        .await
}

pub async fn unfinished_tasks_tx(tx: &mut Tx, project_id: i64) -> DbResult<Vec<(String, i64)>> {
    tx.fetch_all(
        "SELECT name, pct_done FROM project_tasks WHERE project_id = $1 AND kind IN ($2, $3) AND pct_done < 100 ORDER BY position, id",
        args![project_id, "task", "milestone"],
    )
    .await
}

const ACC_SELECT: &str = "SELECT a.id, a.project_id, a.round, a.summary, a.status, a.applied_at, ua.display_name AS applied_by_name, \
    a.objectives_met, a.objectives_note, a.quality_ok, a.quality_note, a.documents_complete, a.documents_note, a.return_reason, \
    a.reviewed_at, ur.display_name AS reviewed_by_name, a.version \
    FROM project_acceptances a LEFT JOIN users ua ON ua.id = a.applied_by LEFT JOIN users ur ON ur.id = a.reviewed_by";

/// Every round of the project, newest first, with the files each took.
pub async fn rounds(db: &Db, project_id: i64) -> DbResult<Vec<Round>> {
    let accs: Vec<Acceptance> =
        db.read().fetch_all(&format!("{ACC_SELECT} WHERE a.project_id = $1 ORDER BY a.round DESC"), args![project_id]).await?;
    let files: Vec<ProjectFile> = db
        .read()
        .fetch_all(&format!("{FILE_SELECT} WHERE f.project_id = $1 AND f.acceptance_id IS NOT NULL ORDER BY f.kind, f.id"), args![project_id])
        .await?;
    Ok(accs
        .into_iter()
        .map(|a| {
            let files = files.iter().filter(|f| f.acceptance_id == Some(a.id)).cloned().collect();
            Round { acceptance: a, files }
        })
        .collect())
}

pub async fn acceptance_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Acceptance>> {
    tx.fetch_optional(&format!("{ACC_SELECT} WHERE a.id = $1"), args![id]).await
}

/// Marks this part's open inbox items for `source_id` done.
async fn close_items(tx: &mut Tx, entity: &str, source_id: i64, by: Option<i64>, now: DateTime<Utc>) -> DbResult<()> {
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, read_at = COALESCE(read_at, $1), version = version + 1, updated_at = $1, \
         updated_by = $2 WHERE source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, by, entity, source_id],
    )
    .await?;
    Ok(())
}

/// Moves the project between phases (only from `from`), bumping its version;
/// false when it is no longer at `version` / in `from`.
async fn set_status(
    tx: &mut Tx,
    actor: &Actor,
    head: &ProjectHead,
    version: Option<i64>,
    from: ProjectStatus,
    to: ProjectStatus,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let closed_at = (to == ProjectStatus::Closed).then_some(now);
    let n = match version {
        Some(v) => {
            tx.execute(
                "UPDATE projects SET status = $1, closed_at = $2, version = version + 1, updated_at = $3, updated_by = $4 \
                 WHERE id = $5 AND status = $6 AND version = $7",
                args![to.code(), closed_at, now, actor.user_id, head.id, from.code(), v],
            )
            .await?
        }
        None => {
            tx.execute(
                "UPDATE projects SET status = $1, closed_at = $2, version = version + 1, updated_at = $3, updated_by = $4 \
                 WHERE id = $5 AND status = $6",
                args![to.code(), closed_at, now, actor.user_id, head.id, from.code()],
            )
            .await?
        }
    };
    if n == 1 {
        audit::record(tx, actor, "project", Some(head.id), "status", Some(&json!({"status": from.code()})), Some(&json!({"status": to.code()})))
            .await?;
    }
    Ok(n == 1)
}

/// 2.4.4-a: applies for acceptance: a new round takes the waiting attachments,
/// the project moves to acceptance, and the requesting department gets the
/// review in its My work. The caller has checked access, tasks and kinds.
/// `None` when the project changed since `version` was read.
pub async fn apply(tx: &mut Tx, actor: &Actor, head: &ProjectHead, version: i64, summary: &str, now: DateTime<Utc>) -> DbResult<Option<i64>> {
    if !set_status(tx, actor, head, Some(version), ProjectStatus::Executing, ProjectStatus::Acceptance, now).await? {
        return Ok(None);
    }
    let round: i64 =
        tx.scalar("SELECT COALESCE(MAX(round), 0) + 1 FROM project_acceptances WHERE project_id = $1", args![head.id]).await?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_acceptances (project_id, round, summary, status, applied_at, applied_by, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $5, $6, $5, $6) RETURNING id",
            args![head.id, round, summary, AcceptanceStatus::Pending.code(), now, actor.user_id],
        )
        .await?;
    tx.execute(
        "UPDATE project_files SET acceptance_id = $1 WHERE project_id = $2 AND acceptance_id IS NULL",
        args![id, head.id],
    )
    .await?;
    // 2.4.4-b: the requesting department organises the acceptance.
    let due = company_midnight(add_working_days(company_date(now), 5));
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: None,
            department_id: Some(head.requesting_department_id),
            kind: "task",
            title: K::ProjectsAccTaskReview,
            params: vec![("number".into(), head.number.clone()), ("name".into(), head.name.clone()), ("round".into(), round.to_string())],
            link: format!("/projects/{}/acceptance", head.id),
            due_at: Some(due),
            source_entity: TASK_REVIEW,
            source_id: Some(id),
        },
        actor.user_id,
        now,
    )
    .await?;
    let after = acceptance_tx(tx, id).await?;
    audit::record(tx, actor, "project_acceptance", Some(id), "apply", None, after.map(|a| json!(a)).as_ref()).await?;
    crate::projects::monitoring::store::recompute(tx, head.id, now).await?;
    Ok(Some(id))
}

/// The reviewer's checklist and decision (2.4.4-b).
#[derive(Clone, Debug)]
pub struct ReviewInput {
    pub objectives_met: bool,
    pub objectives_note: String,
    pub quality_ok: bool,
    pub quality_note: String,
    pub documents_complete: bool,
    pub documents_note: String,
    /// Pass (all three met) or return with `return_reason`.
    pub pass: bool,
    pub return_reason: String,
}

pub enum Reviewed {
    /// The acceptance or the project changed meanwhile.
    Stale,
    Returned,
    /// The report's number.
    Passed(String),
}

/// 2.4.4-b/c: records the review. Passing issues the acceptance report and
/// closes the project; returning sends it back to executing and tells the PM.
pub async fn review(
    tx: &mut Tx,
    actor: &Actor,
    head: &ProjectHead,
    acc: &Acceptance,
    version: i64,
    r: &ReviewInput,
    now: DateTime<Utc>,
) -> DbResult<Reviewed> {
    let status = if r.pass { AcceptanceStatus::Passed } else { AcceptanceStatus::Returned };
    let n = tx
        .execute(
            "UPDATE project_acceptances SET status = $1, objectives_met = $2, objectives_note = $3, quality_ok = $4, quality_note = $5, \
             documents_complete = $6, documents_note = $7, return_reason = $8, reviewed_at = $9, reviewed_by = $10, version = version + 1, \
             updated_at = $9, updated_by = $10 WHERE id = $11 AND version = $12 AND status = $13",
            args![
                status.code(),
                r.objectives_met,
                r.objectives_note.clone(),
                r.quality_ok,
                r.quality_note.clone(),
                r.documents_complete,
                r.documents_note.clone(),
                if r.pass { String::new() } else { r.return_reason.clone() },
                now,
                actor.user_id,
                acc.id,
                version,
                AcceptanceStatus::Pending.code()
            ],
        )
        .await?;
    if n == 0 {
        return Ok(Reviewed::Stale);
    }
    let to = if r.pass { ProjectStatus::Closed } else { ProjectStatus::Executing };
    if !set_status(tx, actor, head, None, ProjectStatus::Acceptance, to, now).await? {
        return Ok(Reviewed::Stale);
    }
    close_items(tx, TASK_REVIEW, acc.id, actor.user_id, now).await?;
    let after = acceptance_tx(tx, acc.id).await?;
    audit::record(tx, actor, "project_acceptance", Some(acc.id), if r.pass { "pass" } else { "return" }, Some(&json!(acc)), after.map(|a| json!(a)).as_ref())
        .await?;
    crate::projects::monitoring::store::recompute(tx, head.id, now).await?;
    let params = vec![("number".into(), head.number.clone()), ("name".into(), head.name.clone()), ("round".into(), acc.round.to_string())];
    let link = format!("/projects/{}/acceptance", head.id);
    if !r.pass {
        crate::inbox::store::insert(
            tx,
            crate::inbox::store::NewItem {
                user_id: Some(head.manager_id),
                department_id: None,
                kind: "notification",
                title: K::ProjectsAccNoteReturned,
                params,
                link,
                due_at: None,
                source_entity: TASK_REVIEW,
                source_id: Some(acc.id),
            },
            actor.user_id,
            now,
        )
        .await?;
        return Ok(Reviewed::Returned);
    }
    let number = issue_report(tx, actor, head.id, acc.id, now).await?;
    let mut p = params;
    p.push(("report".into(), number.clone()));
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: Some(head.manager_id),
            department_id: None,
            kind: "notification",
            title: K::ProjectsAccNotePassed,
            params: p,
            link: format!("/projects/{}/report", head.id),
            due_at: None,
            source_entity: TASK_REVIEW,
            source_id: Some(acc.id),
        },
        actor.user_id,
        now,
    )
    .await?;
    // 2.4.4-d: the team writes the retrospective.
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: Some(head.manager_id),
            department_id: None,
            kind: "task",
            title: K::ProjectsAccTaskRetro,
            params: vec![("number".into(), head.number.clone()), ("name".into(), head.name.clone())],
            link,
            due_at: Some(company_midnight(add_working_days(company_date(now), 10))),
            source_entity: TASK_RETRO,
            source_id: Some(head.id),
        },
        actor.user_id,
        now,
    )
    .await?;
    Ok(Reviewed::Passed(number))
}

#[derive(sqlx::FromRow)]
struct SnapProject {
    number: String,
    name: String,
    department_zh: String,
    department_en: String,
    manager_name: String,
    sponsor_name: String,
    objectives: String,
    scope_in: String,
    scope_out: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    budget_minor: i64,
    currency: String,
    baseline_version: i64,
    spi_milli: Option<i64>,
    cpi_milli: Option<i64>,
}

/// 2.4.4-c: the report's content from the data as it stands now.
pub async fn snapshot(tx: &mut Tx, project_id: i64, acceptance_id: i64) -> DbResult<ReportSnapshot> {
    let p: SnapProject = tx
        .fetch_one(
            "SELECT p.number, p.name, d.name_zh AS department_zh, d.name_en AS department_en, m.display_name AS manager_name, \
             s.display_name AS sponsor_name, p.objectives, p.scope_in, p.scope_out, p.start_date, p.end_date, p.budget_minor, p.currency, \
             p.baseline_version, p.spi_milli, p.cpi_milli FROM projects p JOIN departments d ON d.id = p.requesting_department_id \
             JOIN users m ON m.id = p.manager_id JOIN users s ON s.id = p.sponsor_id WHERE p.id = $1",
            args![project_id],
        )
        .await?;
    let baseline: Option<(NaiveDate, NaiveDate, i64)> = tx
        .fetch_optional(
            "SELECT start_date, end_date, budget_minor FROM project_baselines WHERE project_id = $1 AND version = $2",
            args![project_id, p.baseline_version],
        )
        .await?;
    let (planned_start, planned_end, budget) = baseline.unwrap_or((p.start_date, p.end_date, p.budget_minor));
    let (actual_start, actual_end): (Option<NaiveDate>, Option<NaiveDate>) = tx
        .fetch_one(
            "SELECT MIN(actual_start), MAX(actual_end) FROM project_tasks WHERE project_id = $1 AND kind IN ($2, $3)",
            args![project_id, "task", "milestone"],
        )
        .await?;
    let cost: i64 = tx
        .scalar("SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM project_costs WHERE project_id = $1", args![project_id])
        .await?;
    let acc = acceptance_tx(tx, acceptance_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let files: Vec<ProjectFile> =
        tx.fetch_all(&format!("{FILE_SELECT} WHERE f.acceptance_id = $1 ORDER BY f.kind, f.id"), args![acceptance_id]).await?;
    let team: Vec<ReportMember> = tx
        .fetch_all(
            "SELECT u.display_name AS name, m.role, m.responsibilities FROM project_members m JOIN users u ON u.id = m.user_id \
             WHERE m.project_id = $1 ORDER BY m.id",
            args![project_id],
        )
        .await?;
    let item = |item: &str, ok: bool, note: &str| CheckItem { item: item.into(), ok, note: note.into() };
    Ok(ReportSnapshot {
        project_number: p.number,
        project_name: p.name,
        department_zh: p.department_zh,
        department_en: p.department_en,
        manager_name: p.manager_name,
        sponsor_name: p.sponsor_name,
        objectives: p.objectives,
        scope_in: p.scope_in,
        scope_out: p.scope_out,
        planned_start,
        planned_end,
        actual_start,
        actual_end,
        currency: p.currency,
        budget_minor: budget,
        actual_cost_minor: cost,
        spi_milli: p.spi_milli,
        cpi_milli: p.cpi_milli,
        baseline_version: p.baseline_version,
        round: acc.round,
        summary: acc.summary.clone(),
        applied_by: acc.applied_by_name.clone().unwrap_or_default(),
        applied_at: acc.applied_at,
        deliverables: files
            .into_iter()
            .map(|f| ReportFile { kind: f.kind, filename: f.filename, size_bytes: f.size_bytes, sha256: f.sha256 })
            .collect(),
        checklist: vec![
            item("objectives", acc.objectives_met, &acc.objectives_note),
            item("quality", acc.quality_ok, &acc.quality_note),
            item("documents", acc.documents_complete, &acc.documents_note),
        ],
        reviewer: acc.reviewed_by_name.clone().unwrap_or_default(),
        reviewed_at: acc.reviewed_at.unwrap_or(acc.applied_at),
        team,
    })
}

/// 2.4.4-c: numbers and stores the report (the snapshot frozen as JSON).
pub async fn issue_report(tx: &mut Tx, actor: &Actor, project_id: i64, acceptance_id: i64, now: DateTime<Utc>) -> DbResult<String> {
    let snap = snapshot(tx, project_id, acceptance_id).await?;
    let number = crate::core::db::next_number(tx, "project_acceptance_reports", "YS", company_year(now)).await?;
    let text = serde_json::to_string(&snap).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let id: i64 = tx
        .scalar(
            "INSERT INTO project_acceptance_reports (project_id, acceptance_id, number, issued_at, issued_by, snapshot_json) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![project_id, acceptance_id, number.clone(), now, actor.user_id, text],
        )
        .await?;
    audit::record(tx, actor, "project_acceptance_report", Some(id), "issue", None, Some(&json!({"project_id": project_id, "number": number})))
        .await?;
    Ok(number)
}

/// The project's report, if issued: (number, issued_at, snapshot JSON).
pub async fn report(db: &Db, project_id: i64) -> DbResult<Option<(String, DateTime<Utc>, String)>> {
    db.read()
        .fetch_optional("SELECT number, issued_at, snapshot_json FROM project_acceptance_reports WHERE project_id = $1", args![project_id])
        .await
}

pub async fn report_number(db: &Db, project_id: i64) -> DbResult<Option<String>> {
    let r: Option<(String,)> =
        db.read().fetch_optional("SELECT number FROM project_acceptance_reports WHERE project_id = $1", args![project_id]).await?;
    Ok(r.map(|r| r.0))
}

const RETRO_SELECT: &str = "SELECT r.id, r.project_id, r.went_well, r.went_badly, r.lessons, r.version, r.updated_at, \
    u.display_name AS updated_by_name FROM project_retrospectives r LEFT JOIN users u ON u.id = r.updated_by";

pub async fn retrospective(db: &Db, project_id: i64) -> DbResult<Option<Retrospective>> {
    db.read().fetch_optional(&format!("{RETRO_SELECT} WHERE r.project_id = $1"), args![project_id]).await
}

pub async fn retrospective_tx(tx: &mut Tx, project_id: i64) -> DbResult<Option<Retrospective>> {
    tx.fetch_optional(&format!("{RETRO_SELECT} WHERE r.project_id = $1"), args![project_id]).await
}

/// 2.4.4-d: writes the retrospective (`version` None: the first one). False when
/// someone else wrote it first / changed it since `version`.
pub async fn save_retrospective(
    tx: &mut Tx,
    actor: &Actor,
    project_id: i64,
    version: Option<i64>,
    texts: (&str, &str, &str),
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let (well, badly, lessons) = texts;
    let search = search_text(well, badly, lessons);
    let before = retrospective_tx(tx, project_id).await?;
    let n = match version {
        None => {
            tx.execute(
                "INSERT INTO project_retrospectives (project_id, went_well, went_badly, lessons, search_text, version, created_at, created_by, \
                 updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7) ON CONFLICT (project_id) DO NOTHING",
                args![project_id, well, badly, lessons, search, now, actor.user_id],
            )
            .await?
        }
        Some(v) => {
            tx.execute(
                "UPDATE project_retrospectives SET went_well = $1, went_badly = $2, lessons = $3, search_text = $4, version = version + 1, \
                 updated_at = $5, updated_by = $6 WHERE project_id = $7 AND version = $8",
                args![well, badly, lessons, search, now, actor.user_id, project_id, v],
            )
            .await?
        }
    };
    if n == 0 {
        return Ok(false);
    }
    let after = retrospective_tx(tx, project_id).await?;
    let id = after.as_ref().map(|r| r.id);
    audit::record(
        tx,
        actor,
        "project_retrospective",
        id,
        if before.is_some() { "update" } else { "create" },
        before.map(|b| json!(b)).as_ref(),
        after.map(|a| json!(a)).as_ref(),
    )
    .await?;
    close_items(tx, TASK_RETRO, project_id, actor.user_id, now).await?;
    Ok(true)
}

/// 2.4.4-d: retrospectives of the projects the viewer may see whose text
/// contains `q` (lower-cased; empty: all), newest first, a page after `after`.
pub async fn lessons(db: &Db, viewer: &Viewer, q: &str, after: Option<i64>, limit: i64) -> DbResult<Page<LessonRow>> {
    let code = crate::projects::store::department_code(db, viewer.department_id).await?;
    let mut conds: Vec<String> = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    let (vis, va) = crate::projects::store::scope(db.backend(), viewer, &code, 1);
    a.extend(va);
    conds.push(vis);
    if !q.trim().is_empty() {
        a.push(Arg::Str(like_pattern(q)));
        conds.push(format!("r.search_text LIKE ${} ESCAPE '\\'", a.len()));
    }
    let base = format!(
        "FROM project_retrospectives r JOIN projects p ON p.id = r.project_id JOIN departments d ON d.id = p.requesting_department_id \
         WHERE {}",
        conds.join(" AND ")
    );
    let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) {base}"), a.clone()).await?;
    let mut page_conds = String::new();
    if let Some(after) = after {
        a.push(Arg::I64(after));
        page_conds = format!(" AND r.id < ${}", a.len());
    }
    a.push(Arg::I64(limit + 1));
    let rows: Vec<LessonRow> = db
        .read()
        .fetch_all(
            &format!(
                "SELECT r.id, p.id AS project_id, p.number AS project_number, p.name AS project_name, d.name_zh AS department_zh, \
                 d.name_en AS department_en, p.closed_at, r.went_well, r.went_badly, r.lessons {base}{page_conds} ORDER BY r.id DESC LIMIT ${}",
                a.len()
            ),
            a,
        )
        .await?;
    Ok(crate::core::list::finish_page(rows, limit, total, |r| (String::new(), r.id)))
}
