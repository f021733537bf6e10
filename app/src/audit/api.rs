use crate::core::audit::AuditEntry;
use crate::core::error::AppError;
use crate::core::list::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::args,
    crate::core::auth::{current_user, db, require_admin, respond},
    crate::core::db::Arg,
    crate::core::list::{Dir, Keyset, SortCol, finish_page, where_clause},
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub record: String,
    /// yyyy-mm-dd, inclusive, UTC dates.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub after: String,
}

#[cfg(feature = "ssr")]
const SELECT: &str = "SELECT id, at, actor_id, actor_name, client_addr, entity, record_id, action, before_json, after_json FROM audit_log";

/// The trail, newest first, filtered (admins only).
#[server(endpoint = "audit/list")]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    respond(async move {
        require_admin()?;
        let mut conds: Vec<String> = Vec::new();
        let mut a: Vec<Arg> = Vec::new();
        if !query.actor.trim().is_empty() {
            a.push(Arg::Str(format!("%{}%", query.actor.trim().to_lowercase())));
            conds.push(format!("LOWER(actor_name) LIKE ${}", a.len()));
        }
        for (val, col) in [(&query.entity, "entity"), (&query.action, "action")] {
            if !val.trim().is_empty() {
                a.push(Arg::Str(val.trim().to_string()));
                conds.push(format!("{col} = ${}", a.len()));
            }
        }
        if let Ok(r) = query.record.trim().parse::<i64>() {
            a.push(Arg::I64(r));
            conds.push(format!("record_id = ${}", a.len()));
        }
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        if let Some(d) = day(&query.from) {
            a.push(Arg::Time(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
            conds.push(format!("at >= ${}", a.len()));
        }
        if let Some(d) = day(&query.to) {
            a.push(Arg::Time((d + chrono::Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
            conds.push(format!("at < ${}", a.len()));
        }
        let db = db()?;
        let total: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM audit_log {}", where_clause(&conds)), a.clone()).await?;
        const COLS: &[SortCol] = &[SortCol { name: "id", sql: "id", integer: true }];
        let after = Some(query.after.as_str()).filter(|s| !s.is_empty());
        let ks = Keyset { cols: COLS, sort: "id", dir: Dir::Desc, after, id: "id" };
        let tail = ks.apply(&mut conds, &mut a, 50);
        let rows: Vec<AuditEntry> = db.read().fetch_all(&format!("{SELECT} {} {tail}", where_clause(&conds)), a).await?;
        Ok(finish_page(rows, 50, total, |r| (r.id.to_string(), r.id)))
    })
    .await
}

/// A record's own history, for whoever may see the record.
#[server(endpoint = "audit/history")]
pub async fn record_history(entity: String, id: i64) -> Result<Vec<AuditEntry>, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let allowed = match entity.as_str() {
            "user" => crate::org::store::employee_visible(&db, &user.viewer(), id).await?,
            "customer" => crate::sales::customers::store::visible(&db, &user.viewer(), id).await?,
            "opportunity" => crate::sales::pipeline::store::opportunity_visible(&db, &user.viewer(), id).await?,
            "contract" => crate::sales::contracts::store::visible(&db, &user.viewer(), id).await?,
            _ => user.role == crate::core::perm::Role::Admin,
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        Ok(db
            .read()
            .fetch_all(&format!("{SELECT} WHERE entity = $1 AND record_id = $2 ORDER BY id DESC LIMIT 200"), args![entity, id])
            .await?)
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainReport {
    pub intact: bool,
    pub entries: u64,
    pub broken_at: Option<i64>,
}

/// Verifies the hash chain (admins), as `server audit verify` does.
#[server(endpoint = "audit/verify")]
pub async fn verify_chain() -> Result<ChainReport, AppError> {
    respond(async {
        require_admin()?;
        Ok(match crate::core::audit::verify(&db()?).await? {
            crate::core::audit::Verification::Intact { entries } => ChainReport { intact: true, entries, broken_at: None },
            crate::core::audit::Verification::Broken { entry_id, checked, .. } => {
                ChainReport { intact: false, entries: checked, broken_at: Some(entry_id) }
            }
        })
    })
    .await
}
