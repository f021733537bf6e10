use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::time::company_year;
use chrono::{DateTime, Duration, Utc};

pub const ENTITY: &str = "conduct";

pub async fn acknowledged(db: &Db, user_id: i64, year: i32) -> DbResult<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = db
        .read()
        .fetch_optional(
            "SELECT acknowledged_at FROM conduct_acknowledgements WHERE user_id = $1 AND year = $2",
            args![user_id, year as i64],
        )
        .await?;
    Ok(row.map(|r| r.0))
}

/// Records the acknowledgement (idempotent) and closes the inbox task.
pub async fn acknowledge(tx: &mut Tx, actor: &Actor, user_id: i64, now: DateTime<Utc>) -> DbResult<bool> {
    let year = company_year(now) as i64;
    let exists: i64 = tx
        .scalar("SELECT COUNT(*) FROM conduct_acknowledgements WHERE user_id = $1 AND year = $2", args![user_id, year])
        .await?;
    if exists > 0 {
        return Ok(false);
    }
    let id: i64 = tx
        .scalar(
            "INSERT INTO conduct_acknowledgements (user_id, year, acknowledged_at, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, 1, $3, $1, $3, $1) RETURNING id",
            args![user_id, year, now],
        )
        .await?;
    audit::record(
        tx,
        actor,
        ENTITY,
        Some(id),
        "acknowledge",
        None,
        Some(&serde_json::json!({"user_id": user_id, "year": year, "acknowledged_at": now})),
    )
    .await?;
    tx.execute(
        "UPDATE inbox_items SET done_at = $1, done_by = $2, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE recipient_user_id = $2 AND source_entity = $3 AND source_id = $4 AND done_at IS NULL",
        args![now, user_id, ENTITY, year],
    )
    .await?;
    Ok(true)
}

/// Puts "acknowledge the code of conduct for YEAR" in the person's inbox unless
/// it is there already or they have acknowledged.
pub async fn ensure_task_for(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> DbResult<()> {
    let year = company_year(now) as i64;
    let (done, open): (i64, i64) = tx
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM conduct_acknowledgements WHERE user_id = $1 AND year = $2), \
                    (SELECT COUNT(*) FROM inbox_items WHERE recipient_user_id = $1 AND source_entity = $3 AND source_id = $2)",
            args![user_id, year, ENTITY],
        )
        .await?;
    if done > 0 || open > 0 {
        return Ok(());
    }
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: Some(user_id),
            department_id: None,
            kind: "task",
            title: K::InboxConductTitle,
            params: vec![("year".into(), year.to_string())],
            link: "/conduct".into(),
            due_at: Some(now + Duration::days(14)),
            source_entity: ENTITY,
            source_id: Some(year),
        },
        None,
        now,
    )
    .await?;
    Ok(())
}

/// Gives every active employee without this year's acknowledgement the task
/// (run at start-up and daily, so a new year brings new tasks). One statement.
pub async fn ensure_tasks(db: &Db, now: DateTime<Utc>) -> DbResult<u64> {
    let year = company_year(now) as i64;
    let params = serde_json::to_string(&[("year", year.to_string())]).unwrap_or_else(|_| "[]".into());
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            "INSERT INTO inbox_items (recipient_user_id, kind, title_key, params_json, link, due_at, source_entity, \
             source_id, version, created_at, updated_at) \
             SELECT u.id, 'task', $1, $2, '/conduct', $3, $4, $5, 1, $6, $6 FROM users u WHERE u.active = $7 \
             AND NOT EXISTS (SELECT 1 FROM conduct_acknowledgements c WHERE c.user_id = u.id AND c.year = $5) \
             AND NOT EXISTS (SELECT 1 FROM inbox_items i WHERE i.recipient_user_id = u.id AND i.source_entity = $4 AND i.source_id = $5)",
            args![K::InboxConductTitle.code(), params, now + Duration::days(14), ENTITY, year, now, true],
        )
        .await?;
    tx.commit().await?;
    Ok(n)
}
