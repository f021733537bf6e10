//! Reading and writing settings. A setting never stored reads as its default.
use super::{DEFS, SettingView, def};
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Db, DbResult, Tx};
use chrono::Utc;

fn default_of(key: &str) -> String {
    def(key).map(|d| d.default.to_string()).unwrap_or_default()
}

pub async fn get(db: &Db, key: &str) -> DbResult<String> {
    let v: Option<(String,)> = db.read().fetch_optional("SELECT value FROM settings WHERE key = $1", args![key]).await?;
    Ok(v.map(|v| v.0).unwrap_or_else(|| default_of(key)))
}

pub async fn get_tx(tx: &mut Tx, key: &str) -> DbResult<String> {
    let v: Option<(String,)> = tx.fetch_optional("SELECT value FROM settings WHERE key = $1", args![key]).await?;
    Ok(v.map(|v| v.0).unwrap_or_else(|| default_of(key)))
}

fn as_int(key: &str, v: &str) -> i64 {
    v.parse().unwrap_or_else(|_| default_of(key).parse().unwrap_or(0))
}

/// An integer setting.
pub async fn int(db: &Db, key: &str) -> DbResult<i64> {
    Ok(as_int(key, &get(db, key).await?))
}

pub async fn int_tx(tx: &mut Tx, key: &str) -> DbResult<i64> {
    Ok(as_int(key, &get_tx(tx, key).await?))
}

/// A list-of-departments setting, as department ids (unknown codes are skipped).
pub async fn department_ids_tx(tx: &mut Tx, key: &str) -> DbResult<Vec<i64>> {
    let codes = get_tx(tx, key).await?;
    let mut ids = Vec::new();
    for code in codes.split(',').filter(|c| !c.is_empty()) {
        if let Some((id,)) = tx.fetch_optional::<(i64,)>("SELECT id FROM departments WHERE code = $1 AND active = $2", args![code, true]).await? {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub async fn all(db: &Db) -> DbResult<Vec<SettingView>> {
    let stored: Vec<(String, String, i64)> = db.read().fetch_all("SELECT key, value, version FROM settings", vec![]).await?;
    Ok(DEFS
        .iter()
        .map(|d| match stored.iter().find(|s| s.0 == d.key) {
            Some((k, v, ver)) => SettingView { key: k.clone(), value: v.clone(), version: *ver },
            None => SettingView { key: d.key.into(), value: d.default.into(), version: 0 },
        })
        .collect())
}

/// Stores a value; `version` is what the editor saw (0: the default). False when
/// someone else changed it first.
pub async fn set(tx: &mut Tx, actor: &Actor, key: &str, value: &str, version: i64) -> DbResult<bool> {
    let now = Utc::now();
    let before = get_tx(tx, key).await?;
    let n = if version == 0 {
        tx.execute(
            "INSERT INTO settings (key, value, version, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4) ON CONFLICT (key) DO NOTHING",
            args![key, value, now, actor.user_id],
        )
        .await?
    } else {
        tx.execute(
            "UPDATE settings SET value = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE key = $4 AND version = $5",
            args![value, now, actor.user_id, key, version],
        )
        .await?
    };
    if n == 0 {
        return Ok(false);
    }
    audit::record(tx, actor, "setting", None, "update", Some(&serde_json::json!({"key": key, "value": before})), Some(&serde_json::json!({"key": key, "value": value}))).await?;
    Ok(true)
}
