//! Server functions of acceptance (2.4.4). Each: authenticate, authorise per
//! project (`head_tx` + `Access`), validate, one transaction with its audit
//! entry, return a view type. The file download is a plain axum handler (it
//! answers with the file, not with data).
use super::model::*;
use crate::core::error::AppError;
use crate::core::list::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, respond},
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::projects::model::ProjectStatus,
    crate::projects::store::head_tx,
    chrono::Utc,
};

/// What the acceptance tab shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcceptancePageData {
    /// Attachments uploaded for the next application (not yet taken by one).
    pub pending_files: Vec<ProjectFile>,
    /// Every round, newest first.
    pub rounds: Vec<Round>,
    /// Tasks and milestones not at 100 % (name, % done).
    pub unfinished: Vec<(String, i64)>,
    pub upload_max_mb: i64,
    pub report_number: Option<String>,
    pub retrospective: Option<Retrospective>,
    /// The reader may write the retrospective (team or manager, in acceptance or closed).
    pub can_retro: bool,
    pub time_zone: String,
}

#[server(endpoint = "projects/acc_page")]
pub async fn acceptance_page(project_id: i64) -> Result<AcceptancePageData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (head, access) = crate::projects::store::head(&db, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        let status = head.status();
        let files = store::files(&db, project_id).await?;
        let unfinished = if status == ProjectStatus::Executing { store::unfinished_tasks(&db, project_id).await? } else { vec![] };
        Ok(AcceptancePageData {
            pending_files: files.into_iter().filter(|f| f.acceptance_id.is_none()).collect(),
            rounds: store::rounds(&db, project_id).await?,
            unfinished,
            upload_max_mb: crate::settings::store::int(&db, crate::settings::UPLOAD_MAX_MB).await?,
            report_number: store::report_number(&db, project_id).await?,
            retrospective: store::retrospective(&db, project_id).await?,
            can_retro: (access.member || access.manage) && matches!(status, ProjectStatus::Acceptance | ProjectStatus::Closed),
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

/// Reads one multipart field, keeping at most `keep` bytes and reading at most
/// `cap`; returns what was kept and how many bytes the field had (up to `cap`).
#[cfg(feature = "ssr")]
async fn read_field(field: &mut multer::Field<'static>, keep: usize, cap: usize) -> Result<(Vec<u8>, usize), AppError> {
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = field.chunk().await.map_err(|e| AppError::Request(e.to_string()))? {
        seen += chunk.len();
        if seen <= keep {
            buf.extend_from_slice(&chunk);
        }
        if seen > cap {
            break;
        }
    }
    Ok((buf, seen))
}

/// 2.4.4-a: uploads one attachment (fields `project_id`, `kind`, `file`) for the
/// next application. A multipart form post: it works without JavaScript (the
/// answer is a redirect back to the page, errors in the URL) and with it.
/// Size-limited (setting UPLOAD_MAX_MB), type-checked by extension and content,
/// the name sanitised, SHA-256 stored.
#[server(endpoint = "projects/acc_upload_file", input = MultipartFormData)]
pub async fn upload_acceptance_file(data: MultipartData) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let max_mb = crate::settings::store::int(&db, crate::settings::UPLOAD_MAX_MB).await?.max(1);
        let limit = (max_mb as usize) * 1024 * 1024;
        let mut mp = data.into_inner().ok_or(AppError::Internal)?;
        let mut project_id: Option<i64> = None;
        let mut kind = String::new();
        let mut file: Option<(String, Vec<u8>)> = None;
        let mut too_large = false;
        while let Some(mut field) = mp.next_field().await.map_err(|e| AppError::Request(e.to_string()))? {
            let name = field.name().unwrap_or_default().to_string();
            match name.as_str() {
                "project_id" | "kind" => {
                    let (bytes, _) = read_field(&mut field, 64, 1024).await?;
                    let v = String::from_utf8_lossy(&bytes).trim().to_string();
                    if name == "project_id" {
                        project_id = v.parse().ok();
                    } else {
                        kind = v;
                    }
                }
                "file" => {
                    let filename = field.file_name().unwrap_or_default().to_string();
                    // Read (and drop) a little past the limit so that the browser
                    // gets the answer rather than a reset connection.
                    let (bytes, seen) = read_field(&mut field, limit, limit.saturating_mul(4)).await?;
                    if seen > limit {
                        too_large = true;
                    } else if !filename.is_empty() {
                        file = Some((filename, bytes));
                    }
                }
                _ => {
                    read_field(&mut field, 0, 1024).await?;
                }
            }
        }
        let project_id = project_id.ok_or(AppError::NotFound)?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        if !access.manage {
            return Err(AppError::Forbidden);
        }
        // 2.4.4-a: attachments belong to an application of a finished, executing project.
        if head.status() != ProjectStatus::Executing {
            return Err(AppError::field("file", K::ProjectsAccErrNotExecuting));
        }
        let mut c = Checks::new();
        let kind = FileKind::parse(&kind);
        if kind.is_none() {
            c.add("kind", K::ValRequired);
        }
        let mut stored = None;
        if too_large {
            c.add_with("file", K::ProjectsAccErrTooLarge, vec![("max".into(), max_mb.to_string())]);
        } else {
            match &file {
                None => c.add("file", K::ValRequired),
                Some((raw, bytes)) => {
                    let filename = sanitize_filename(raw);
                    match sniff(&filename, bytes) {
                        Ok(ct) => stored = Some((filename, ct)),
                        Err(p) => c.add("file", p.key()),
                    }
                }
            }
        }
        c.finish()?;
        let (Some(kind), Some((filename, content_type)), Some((_, bytes))) = (kind, stored, file) else {
            return Err(AppError::Internal);
        };
        let id = store::insert_file(&mut tx, &who, store::NewFile { project_id, kind, filename, content_type, bytes }, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Removes an attachment not yet taken by an application (confirmed on the page).
#[server(endpoint = "projects/acc_delete_file")]
pub async fn delete_acceptance_file(id: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let f = store::file_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = head_tx(&mut tx, &user.viewer(), f.project_id).await?.ok_or(AppError::NotFound)?;
        if !access.manage {
            return Err(AppError::Forbidden);
        }
        if head.status() != ProjectStatus::Executing || f.acceptance_id.is_some() {
            return Err(AppError::field("file", K::ProjectsAccErrFileTaken));
        }
        if !store::delete_file(&mut tx, &who, &f).await? {
            return Err(AppError::field("file", K::ProjectsAccErrFileTaken));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.4.4-a: applies for acceptance: every task and milestone at 100 % and at
/// least one attachment of each kind; the project moves to acceptance and the
/// requesting department gets the review task.
#[server(endpoint = "projects/acc_apply")]
pub async fn apply_acceptance(project_id: i64, version: i64, summary: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let summary = summary.trim().to_string();
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        if !access.manage {
            return Err(AppError::Forbidden);
        }
        if head.status() != ProjectStatus::Executing {
            return Err(AppError::field("status", K::ProjectsAccErrNotExecuting));
        }
        let mut c = Checks::new();
        c.require("summary", &summary);
        c.max_len("summary", &summary, MAX_TEXT);
        let open = store::unfinished_tasks_tx(&mut tx, project_id).await?;
        if !open.is_empty() {
            let names = open.iter().take(10).map(|(n, p)| format!("{n} ({p}%)")).collect::<Vec<_>>().join("、");
            c.add_with("tasks", K::ProjectsAccErrTasksOpen, vec![("count".into(), open.len().to_string()), ("names".into(), names)]);
        }
        for k in missing_kinds(&store::pending_kinds_tx(&mut tx, project_id).await?) {
            let key = match k {
                FileKind::Deliverable => K::ProjectsAccErrMissingDeliverable,
                FileKind::TestReport => K::ProjectsAccErrMissingTestReport,
                FileKind::UserFeedback => K::ProjectsAccErrMissingUserFeedback,
            };
            c.add(&format!("missing_{}", k.code()), key);
        }
        c.finish()?;
        let conflict = || AppError::Conflict { current: serde_json::json!({"status": head.status, "version": head.version}) };
        if head.version != version {
            return Err(conflict());
        }
        if store::apply(&mut tx, &who, &head, version, &summary, now).await?.is_none() {
            return Err(conflict());
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// "yes" / "no" from a radio group; None when not answered.
#[cfg(feature = "ssr")]
fn yes_no(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// 2.4.4-b: the requesting department's manager (or an executive) reviews the
/// application with the checklist and passes it (every item met: the report is
/// issued and the project closed, 2.4.4-c) or returns it with reasons.
#[server(endpoint = "projects/acc_review")]
#[allow(clippy::too_many_arguments)]
pub async fn review_acceptance(
    acceptance_id: i64,
    version: i64,
    #[server(default)] objectives_met: String,
    #[server(default)] objectives_note: String,
    #[server(default)] quality_ok: String,
    #[server(default)] quality_note: String,
    #[server(default)] documents_complete: String,
    #[server(default)] documents_note: String,
    #[server(default)] decision: String,
    #[server(default)] return_reason: String,
) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let acc = store::acceptance_tx(&mut tx, acceptance_id).await?.ok_or(AppError::NotFound)?;
        let (head, access) = head_tx(&mut tx, &user.viewer(), acc.project_id).await?.ok_or(AppError::NotFound)?;
        // 2.4.4-b: acceptance is the requesting department's.
        if !access.accept {
            return Err(AppError::Forbidden);
        }
        let conflict = || AppError::Conflict { current: serde_json::json!({"status": acc.status, "version": acc.version}) };
        if acc.status() != AcceptanceStatus::Pending || head.status() != ProjectStatus::Acceptance || acc.version != version {
            return Err(conflict());
        }
        let mut c = Checks::new();
        let pass = match decision.as_str() {
            "pass" => Some(true),
            "return" => Some(false),
            _ => {
                c.add("decision", K::ValInvalid);
                None
            }
        };
        let mut answer = |field: &str, v: &str| {
            let a = yes_no(v);
            if a.is_none() {
                c.add(field, K::ValRequired);
            }
            a.unwrap_or(false)
        };
        let objectives = answer("objectives_met", &objectives_met);
        let quality = answer("quality_ok", &quality_ok);
        let documents = answer("documents_complete", &documents_complete);
        let (on, qn, dn, reason) = (objectives_note.trim(), quality_note.trim(), documents_note.trim(), return_reason.trim());
        for (f, v) in [("objectives_note", on), ("quality_note", qn), ("documents_note", dn), ("return_reason", reason)] {
            c.max_len(f, v, MAX_TEXT);
        }
        match pass {
            // 2.4.4-b: passes only with every checklist item met.
            Some(true) if !checklist_passes(objectives, quality, documents) => c.add("decision", K::ProjectsAccErrChecklist),
            Some(false) => c.require("return_reason", reason),
            _ => {}
        }
        c.finish()?;
        let input = store::ReviewInput {
            objectives_met: objectives,
            objectives_note: on.to_string(),
            quality_ok: quality,
            quality_note: qn.to_string(),
            documents_complete: documents,
            documents_note: dn.to_string(),
            pass: pass == Some(true),
            return_reason: reason.to_string(),
        };
        match store::review(&mut tx, &who, &head, &acc, version, &input, now).await? {
            store::Reviewed::Stale => return Err(conflict()),
            store::Reviewed::Returned | store::Reviewed::Passed(_) => {}
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.4.4-d: the team writes (and edits) the retrospective once the project is
/// in acceptance or closed. `version` is empty for the first one.
#[server(endpoint = "projects/acc_save_retro")]
pub async fn save_retrospective(
    project_id: i64,
    #[server(default)] version: String,
    #[server(default)] went_well: String,
    #[server(default)] went_badly: String,
    #[server(default)] lessons: String,
) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (head, access) = head_tx(&mut tx, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        if !(access.member || access.manage) {
            return Err(AppError::Forbidden);
        }
        if !matches!(head.status(), ProjectStatus::Acceptance | ProjectStatus::Closed) {
            return Err(AppError::field("status", K::ProjectsAccErrRetroWhen));
        }
        let (well, badly, lessons) = (went_well.trim(), went_badly.trim(), lessons.trim());
        let mut c = Checks::new();
        c.require("lessons", lessons);
        for (f, v) in [("went_well", well), ("went_badly", badly), ("lessons", lessons)] {
            c.max_len(f, v, MAX_TEXT);
        }
        c.finish()?;
        let version = match version.trim() {
            "" => None,
            v => Some(v.parse::<i64>().map_err(|_| AppError::field("version", K::ValInvalid))?),
        };
        if !store::save_retrospective(&mut tx, &who, project_id, version, (well, badly, lessons), now).await? {
            drop(tx);
            let current = store::retrospective(&db, project_id).await?;
            return Err(AppError::Conflict {
                current: serde_json::json!({
                    "went_well": current.as_ref().map(|r| r.went_well.clone()),
                    "went_badly": current.as_ref().map(|r| r.went_badly.clone()),
                    "lessons": current.as_ref().map(|r| r.lessons.clone()),
                    "version": current.as_ref().map(|r| r.version),
                }),
            });
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The acceptance report page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub report: Report,
    pub time_zone: String,
}

/// 2.4.4-c: the issued report, to anyone who may see the project.
#[server(endpoint = "projects/acc_report")]
pub async fn acceptance_report(project_id: i64) -> Result<ReportView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        crate::projects::store::head(&db, &user.viewer(), project_id).await?.ok_or(AppError::NotFound)?;
        let (number, issued_at, json) = store::report(&db, project_id).await?.ok_or(AppError::NotFound)?;
        let snapshot: ReportSnapshot = serde_json::from_str(&json).map_err(|e| {
            tracing::error!(error = %e, "acceptance report snapshot unreadable");
            AppError::Internal
        })?;
        Ok(ReportView { report: Report { project_id, number, issued_at, snapshot }, time_zone: user.time_zone })
    })
    .await
}

/// The lessons search, as it appears in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub after: String,
}

/// 2.4.4-d: retrospectives across the projects the reader may see.
#[server(endpoint = "projects/acc_lessons")]
pub async fn search_lessons(query: LessonQuery) -> Result<Page<LessonRow>, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let q: String = query.q.trim().chars().take(100).collect();
        let after = crate::core::list::decode_cursor(&query.after).map(|(_, id)| id);
        Ok(store::lessons(&db, &user.viewer(), &q, after, crate::core::list::PAGE_SIZE).await?)
    })
    .await
}

/// GET /files/projects/:id: an attachment, only to people who may see its
/// project (anyone else gets "not found"); always as a download, with the
/// stored type, a safe name and no sniffing.
#[cfg(feature = "ssr")]
pub async fn download_file(
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::Extension(info): axum::Extension<crate::core::auth::RequestInfo>,
    axum::Extension(db): axum::Extension<crate::core::db::Db>,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let Some(user) = info.user.clone() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let not_found = || (StatusCode::NOT_FOUND, info.lang.t(K::ErrNotFound)).into_response();
    let Ok(id) = id.parse::<i64>() else { return not_found() };
    let result: Result<Option<(ProjectFile, Vec<u8>)>, AppError> = async {
        let Some(f) = store::file(&db, id).await? else { return Ok(None) };
        if crate::projects::store::head(&db, &user.viewer(), f.project_id).await?.is_none() {
            return Ok(None);
        }
        let content = store::file_content(&db, id).await?.unwrap_or_default();
        Ok(Some((f, content)))
    }
    .await;
    match result {
        Ok(Some((f, content))) => {
            let mut res = content.into_response();
            let h = res.headers_mut();
            let ct = HeaderValue::from_str(&f.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
            h.insert(header::CONTENT_TYPE, ct);
            if let Ok(v) = HeaderValue::from_str(&content_disposition(&f.filename)) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
            res
        }
        Ok(None) => not_found(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
