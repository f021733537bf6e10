use super::InboxItem;
use crate::args;
use crate::core::db::{Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::perm::Viewer;
use chrono::{DateTime, Utc};

pub struct NewItem {
    pub user_id: Option<i64>,
    pub department_id: Option<i64>,
    /// "task" or "notification".
    pub kind: &'static str,
    pub title: K,
    pub params: Vec<(String, String)>,
    pub link: String,
    pub due_at: Option<DateTime<Utc>>,
    pub source_entity: &'static str,
    pub source_id: Option<i64>,
}

pub async fn insert(tx: &mut Tx, item: NewItem, by: Option<i64>, now: DateTime<Utc>) -> DbResult<i64> {
    tx.scalar(
        "INSERT INTO inbox_items (recipient_user_id, recipient_department_id, kind, title_key, params_json, link, due_at, \
         source_entity, source_id, version, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10, $11) RETURNING id",
        args![
            item.user_id,
            item.department_id,
            item.kind,
            item.title.code(),
            serde_json::to_string(&item.params).unwrap_or_else(|_| "[]".into()),
            item.link,
            item.due_at,
            item.source_entity,
            item.source_id,
            now,
            by
        ],
    )
    .await
}

const SELECT: &str = "SELECT id, recipient_user_id, recipient_department_id, kind, title_key, params_json, link, due_at, \
    read_at, done_at, version, created_at FROM inbox_items";

/// Open items for me and my department: tasks by due date first, then notifications.
pub async fn open_for(db: &Db, viewer: &Viewer, limit: i64) -> DbResult<Vec<InboxItem>> {
    db.read()
        .fetch_all(
            &format!(
                "{SELECT} WHERE done_at IS NULL AND (recipient_user_id = $1 OR recipient_department_id = $2) \
                 ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id DESC LIMIT $3"
            ),
            args![viewer.user_id, viewer.department_id, limit],
        )
        .await
}

pub async fn recent_done_for(db: &Db, viewer: &Viewer, limit: i64) -> DbResult<Vec<InboxItem>> {
    db.read()
        .fetch_all(
            &format!(
                "{SELECT} WHERE done_at IS NOT NULL AND (recipient_user_id = $1 OR recipient_department_id = $2) \
                 ORDER BY done_at DESC, id DESC LIMIT $3"
            ),
            args![viewer.user_id, viewer.department_id, limit],
        )
        .await
}

pub async fn get(tx: &mut Tx, id: i64) -> DbResult<Option<InboxItem>> {
    tx.fetch_optional(&format!("{SELECT} WHERE id = $1"), args![id]).await
}

pub fn addressed_to(item: &InboxItem, viewer: &Viewer) -> bool {
    item.recipient_user_id == Some(viewer.user_id) || item.recipient_department_id == Some(viewer.department_id)
}

pub async fn mark(tx: &mut Tx, id: i64, version: i64, done: bool, by: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let sql = if done {
        "UPDATE inbox_items SET done_at = $1, done_by = $2, read_at = COALESCE(read_at, $1), version = version + 1, \
         updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4"
    } else {
        "UPDATE inbox_items SET read_at = $1, version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4"
    };
    Ok(tx.execute(sql, args![now, by, id, version]).await? == 1)
}
