//! Server functions for settings (admins change them; everyone signed in may read).
use super::SettingView;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{def, normalise, store},
    crate::core::auth::{actor, db, require_admin, respond},
};

#[server(endpoint = "settings/list")]
pub async fn list_settings() -> Result<Vec<SettingView>, AppError> {
    respond(async {
        require_admin()?;
        Ok(store::all(&db()?).await?)
    })
    .await
}

#[server(endpoint = "settings/save")]
pub async fn save_setting(key: String, value: String, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = require_admin()?;
        let d = def(&key).ok_or(AppError::NotFound)?;
        let db = db()?;
        let codes: Vec<(String,)> = db.read().fetch_all("SELECT code FROM departments WHERE active = $1", crate::args![true]).await?;
        let codes: Vec<String> = codes.into_iter().map(|c| c.0).collect();
        let value = normalise(d, &value, &codes).map_err(|k| AppError::field(d.key, k))?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::set(&mut tx, &who, &key, &value, version).await? {
            let now = store::get_tx(&mut tx, &key).await?;
            return Err(AppError::Conflict { current: serde_json::json!({ "value": now }) });
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
