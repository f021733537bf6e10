//! The audit trail: append-only, hash-chained. Every change writes its entry in the
//! same transaction as the change (see `record`). Each entry's hash covers its own
//! fields and the previous entry's hash, so editing or deleting a row breaks the
//! chain from that row on; `verify` finds the first broken link.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry as shown to admins and on record pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub client_addr: String,
    pub entity: String,
    pub record_id: Option<i64>,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// One changed field between `before` and `after`, for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

impl AuditEntry {
    /// The fields that differ between before and after (all fields for create/delete).
    pub fn changes(&self) -> Vec<FieldChange> {
        let parse = |s: &Option<String>| -> serde_json::Map<String, serde_json::Value> {
            s.as_deref()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default()
        };
        let before = parse(&self.before_json);
        let after = parse(&self.after_json);
        let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| k.as_str() != "version" && k.as_str() != "updated_at")
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| FieldChange { field: k.clone(), before: show(before.get(k)), after: show(after.get(k)) })
            .collect()
    }
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical text that an entry's hash covers (every stored field, in order).
#[allow(clippy::too_many_arguments)]
pub fn canonical(
    prev_hash: &str,
    at: &DateTime<Utc>,
    actor_id: Option<i64>,
    actor_name: &str,
    client_addr: &str,
    entity: &str,
    record_id: Option<i64>,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    serde_json::json!([
        prev_hash,
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        actor_id,
        actor_name,
        client_addr,
        entity,
        record_id,
        action,
        before,
        after
    ])
    .to_string()
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::args;
    use crate::core::db::{Db, DbResult, Tx};
    use sha2::{Digest, Sha256};

    /// Who is acting, from where.
    #[derive(Clone, Debug)]
    pub struct Actor {
        pub user_id: Option<i64>,
        pub name: String,
        pub client_addr: String,
    }

    impl Actor {
        pub fn system(what: &str) -> Actor {
            Actor { user_id: None, name: format!("system:{what}"), client_addr: "local".into() }
        }
    }

    pub fn hash(canonical: &str) -> String {
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }

    /// Times are kept to the microsecond so that both backends store exactly what
    /// was hashed.
    pub fn now_micros() -> DateTime<Utc> {
        let now = Utc::now();
        DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
    }

    /// Appends one entry inside the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn record(
        tx: &mut Tx,
        actor: &Actor,
        entity: &str,
        record_id: Option<i64>,
        action: &str,
        before: Option<&serde_json::Value>,
        after: Option<&serde_json::Value>,
    ) -> DbResult<()> {
        if matches!(tx, Tx::Pg(_)) {
            // Serialise appenders so that two transactions never chain onto the same
            // predecessor (SQLite's BEGIN IMMEDIATE already serialises writers).
            tx.execute("SELECT pg_advisory_xact_lock(7274001)", vec![]).await?;
        }
        let prev: Option<(String,)> =
            tx.fetch_optional("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", vec![]).await?;
        let prev = prev.map(|p| p.0).unwrap_or_else(|| GENESIS.to_string());
        let at = now_micros();
        let before = before.map(|v| v.to_string());
        let after = after.map(|v| v.to_string());
        let h = hash(&canonical(
            &prev,
            &at,
            actor.user_id,
            &actor.name,
            &actor.client_addr,
            entity,
            record_id,
            action,
            before.as_deref(),
            after.as_deref(),
        ));
        tx.execute(
            "INSERT INTO audit_log (at, actor_id, actor_name, client_addr, entity, record_id, action, \
             before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            args![
                at,
                actor.user_id,
                actor.name.clone(),
                actor.client_addr.clone(),
                entity,
                record_id,
                action,
                before,
                after,
                prev,
                h
            ],
        )
        .await?;
        Ok(())
    }

    #[derive(sqlx::FromRow)]
    struct ChainRow {
        id: i64,
        at: DateTime<Utc>,
        actor_id: Option<i64>,
        actor_name: String,
        client_addr: String,
        entity: String,
        record_id: Option<i64>,
        action: String,
        before_json: Option<String>,
        after_json: Option<String>,
        prev_hash: String,
        hash: String,
    }

    #[derive(Clone, Debug, PartialEq)]
    pub enum Verification {
        Intact { entries: u64 },
        Broken { entry_id: i64, reason: String, checked: u64 },
    }

    /// Walks the whole chain in id order, a page at a time.
    pub async fn verify(db: &Db) -> DbResult<Verification> {
        let mut prev = GENESIS.to_string();
        let mut after_id = 0i64;
        let mut checked = 0u64;
        loop {
            let rows: Vec<ChainRow> = db
                .read()
                .fetch_all(
                    "SELECT id, at, actor_id, actor_name, client_addr, entity, record_id, action, before_json, \
                     after_json, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 2000",
                    args![after_id],
                )
                .await?;
            if rows.is_empty() {
                return Ok(Verification::Intact { entries: checked });
            }
            for r in rows {
                if r.prev_hash != prev {
                    return Ok(Verification::Broken {
                        entry_id: r.id,
                        reason: "previous-hash link does not match the entry before it (an entry was removed or altered)".into(),
                        checked,
                    });
                }
                let expect = hash(&canonical(
                    &r.prev_hash,
                    &r.at,
                    r.actor_id,
                    &r.actor_name,
                    &r.client_addr,
                    &r.entity,
                    r.record_id,
                    &r.action,
                    r.before_json.as_deref(),
                    r.after_json.as_deref(),
                ));
                if expect != r.hash {
                    return Ok(Verification::Broken {
                        entry_id: r.id,
                        reason: "content does not match its hash (the entry was altered)".into(),
                        checked,
                    });
                }
                prev = r.hash;
                after_id = r.id;
                checked += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_lists_only_what_differs() {
        let e = AuditEntry {
            id: 1,
            at: Utc::now(),
            actor_id: None,
            actor_name: "a".into(),
            client_addr: "x".into(),
            entity: "user".into(),
            record_id: Some(1),
            action: "update".into(),
            before_json: Some(r#"{"name":"王","role":"staff","version":1}"#.into()),
            after_json: Some(r#"{"name":"王","role":"manager","version":2}"#.into()),
        };
        assert_eq!(
            e.changes(),
            vec![FieldChange { field: "role".into(), before: "staff".into(), after: "manager".into() }]
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn hash_depends_on_every_field_and_the_previous_hash() {
        let at = now_micros();
        let base = canonical(GENESIS, &at, Some(1), "a", "1.2.3.4", "user", Some(2), "create", None, Some("{}"));
        let h = hash(&base);
        assert_eq!(h.len(), 64);
        let other_prev = canonical(&h, &at, Some(1), "a", "1.2.3.4", "user", Some(2), "create", None, Some("{}"));
        assert_ne!(hash(&other_prev), h);
        let other_action = canonical(GENESIS, &at, Some(1), "a", "1.2.3.4", "user", Some(2), "delete", None, Some("{}"));
        assert_ne!(hash(&other_action), h);
    }
}
