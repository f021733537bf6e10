use super::InboxItem;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::auth::{actor, current_user, db, respond};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyWorkData {
    pub open: Vec<InboxItem>,
    pub done: Vec<InboxItem>,
    pub time_zone: String,
}

#[server(endpoint = "inbox/my_work")]
pub async fn my_work() -> Result<MyWorkData, AppError> {
    respond(async {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        Ok(MyWorkData {
            open: super::store::open_for(&db, &v, 200).await?,
            done: super::store::recent_done_for(&db, &v, 10).await?,
            time_zone: user.time_zone,
        })
    })
    .await
}

/// Marks an item read, or done (`done` = true). Only its recipients may.
#[server(endpoint = "inbox/mark")]
pub async fn mark_item(id: i64, version: i64, done: bool) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let mut tx = db.begin().await?;
        let item = super::store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !super::store::addressed_to(&item, &user.viewer()) {
            return Err(AppError::Forbidden);
        }
        let now = chrono::Utc::now();
        if !super::store::mark(&mut tx, id, version, done, user.id, now).await? {
            return Err(AppError::Conflict { current: serde_json::json!(item) });
        }
        if done {
            let who = actor(&user)?;
            crate::core::audit::record(&mut tx, &who, "inbox_item", Some(id), "done", Some(&serde_json::json!(item)), None).await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
