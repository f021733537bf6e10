use crate::core::auth::CurrentUser;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::args,
    crate::core::audit::{self, Actor},
    crate::core::auth::*,
    crate::core::i18n::{K, Lang},
    chrono::Utc,
};

pub const LANG_COOKIE: &str = "charter_lang";

/// Only local paths are followed after sign-in (no open redirects).
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.starts_with("/api/") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// The signed-in user, or None.
#[server(endpoint = "auth/me")]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    Ok(request_info()?.user)
}

#[cfg(feature = "ssr")]
async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

#[cfg(feature = "ssr")]
fn session_err(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store");
    AppError::Internal
}

#[derive(sqlx::FromRow)]
#[cfg(feature = "ssr")]
struct Credentials {
    id: i64,
    display_name: String,
    password_hash: String,
    auth_epoch: i64,
    active: bool,
}

/// Signs in: throttled per account and per client address; the session id is
/// rotated; success and failure are both audited.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    respond(async move {
        let info = request_info()?;
        let db = db()?;
        let username = username.trim().to_lowercase();
        let mut checks = crate::core::error::Checks::new();
        checks.require("username", &username);
        if password.is_empty() {
            checks.add("password", K::ValRequired);
        }
        checks.finish()?;
        let now = Utc::now();
        if let Some(wait) = throttled_for(&db, &username, &info.client_addr, now).await? {
            return Err(AppError::Throttled { retry_after_secs: wait });
        }
        let creds: Option<Credentials> = db
            .read()
            .fetch_optional(
                "SELECT id, display_name, password_hash, auth_epoch, active FROM users WHERE username = $1",
                args![username.clone()],
            )
            .await?;
        // Verify against a dummy hash when the account does not exist, so timing
        // does not reveal which usernames exist.
        const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0S2bV6uK3Ysc0a9lC5a0rQ7cQK0Zk6n8q6wJx0c2m7E";
        let hash = creds.as_ref().map(|c| c.password_hash.clone()).unwrap_or_else(|| DUMMY.to_string());
        let ok = verify_password_blocking(password, hash).await && creds.as_ref().is_some_and(|c| c.active);
        let mut tx = db.begin().await?;
        tx.execute(
            "INSERT INTO login_attempts (username, client_addr, at, success) VALUES ($1, $2, $3, $4)",
            args![username.clone(), info.client_addr.clone(), now, ok],
        )
        .await?;
        let who = Actor {
            user_id: creds.as_ref().filter(|_| ok).map(|c| c.id),
            name: creds.as_ref().map(|c| c.display_name.clone()).unwrap_or_else(|| username.clone()),
            client_addr: info.client_addr.clone(),
        };
        let action = if ok { "sign_in" } else { "sign_in_failed" };
        audit::record(&mut tx, &who, "session", creds.as_ref().map(|c| c.id), action, None, Some(&serde_json::json!({"username": username}))).await?;
        tx.commit().await?;
        let Some(c) = creds.filter(|_| ok) else {
            return Err(AppError::field("password", K::AuthBadCredentials));
        };
        let s = session().await?;
        s.cycle_id().await.map_err(session_err)?;
        s.insert(SESSION_USER, c.id).await.map_err(session_err)?;
        s.insert(SESSION_EPOCH, c.auth_epoch).await.map_err(session_err)?;
        leptos_axum::redirect(&safe_next(next.as_deref().unwrap_or("/")));
        Ok(())
    })
    .await
}

/// Signs out: the session is destroyed in the store, so the old cookie is useless.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    respond(async {
        let info = request_info()?;
        if let Some(user) = &info.user {
            let db = db()?;
            let mut tx = db.begin().await?;
            let who = Actor { user_id: Some(user.id), name: user.display_name.clone(), client_addr: info.client_addr.clone() };
            audit::record(&mut tx, &who, "session", Some(user.id), "sign_out", None, None).await?;
            tx.commit().await?;
        }
        session().await?.flush().await.map_err(session_err)?;
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}

/// Changes the signed-in user's password; other sessions of the user end.
#[server(endpoint = "account/change_password")]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (hash,): (String,) = db.read().fetch_one("SELECT password_hash FROM users WHERE id = $1", args![user.id]).await?;
        let mut c = crate::core::error::Checks::new();
        if !verify_password_blocking(current, hash).await {
            c.add("current", K::AuthWrongPassword);
        }
        if let Some(k) = crate::core::auth::password_problem(&new) {
            c.add("new", k);
        }
        if new != confirm {
            c.add("confirm", K::ValPasswordMismatch);
        }
        c.finish()?;
        let new_hash = hash_password_blocking(new).await?;
        let mut tx = db.begin().await?;
        let epoch: i64 = tx
            .scalar(
                "UPDATE users SET password_hash = $1, auth_epoch = auth_epoch + 1, version = version + 1, updated_at = $2, \
                 updated_by = $3 WHERE id = $3 RETURNING auth_epoch",
                args![new_hash, Utc::now(), user.id],
            )
            .await?;
        audit::record(&mut tx, &actor(&user)?, "user", Some(user.id), "change_password", None, None).await?;
        tx.commit().await?;
        // This session stays signed in with the new epoch; every other one ends.
        let s = session().await?;
        s.cycle_id().await.map_err(session_err)?;
        s.insert(SESSION_EPOCH, epoch).await.map_err(session_err)?;
        Ok(())
    })
    .await
}

/// Saves one of the user's own preferences (`column` is one of ours, never user
/// input), with its audit entry.
#[cfg(feature = "ssr")]
async fn save_preference(user: &CurrentUser, column: &'static str, old: &str, new: &str) -> Result<(), AppError> {
    debug_assert!(matches!(column, "language" | "time_zone"));
    let db = db()?;
    let mut tx = db.begin().await?;
    tx.execute(
        &format!("UPDATE users SET {column} = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $3"),
        args![new, Utc::now(), user.id],
    )
    .await?;
    audit::record(
        &mut tx,
        &actor(user)?,
        "user",
        Some(user.id),
        "update",
        Some(&serde_json::json!({ column: old })),
        Some(&serde_json::json!({ column: new })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the interface language: remembered on the account when signed in, and in
/// a cookie (for the sign-in page).
#[server(endpoint = "account/language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    respond(async move {
        let lang = Lang::parse(&lang).ok_or(AppError::field("lang", K::ValInvalid))?;
        if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.code());
            if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
                opts.append_header(axum::http::header::SET_COOKIE, v);
            }
        }
        if let Some(user) = request_info()?.user {
            save_preference(&user, "language", user.language.code(), lang.code()).await?;
        }
        Ok(())
    })
    .await
}

/// Sets the zone times are shown in.
#[server(endpoint = "account/time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        if crate::core::time::parse_tz(&time_zone).is_none() {
            return Err(AppError::field("time_zone", K::ValInvalid));
        }
        save_preference(&user, "time_zone", &user.time_zone, &time_zone).await?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_local_only() {
        assert_eq!(super::safe_next("/people/3"), "/people/3");
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("/\\evil"), "/");
    }
}
