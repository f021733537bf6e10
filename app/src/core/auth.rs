//! Who is signed in. `CurrentUser` is shared with the browser; the rest is
//! server-only: password hashing (argon2id), the session keys, sign-in throttling
//! and the request context every server function starts from.
use crate::core::i18n::Lang;
use crate::core::perm::{Role, Viewer};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub language: Lang,
    pub time_zone: String,
}

impl CurrentUser {
    pub fn viewer(&self) -> Viewer {
        Viewer { user_id: self.id, department_id: self.department_id, role: self.role }
    }
    pub fn department(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.department_zh,
            Lang::En => &self.department_en,
        }
    }
}

/// Minimum password rules, shared by the forms and the server.
pub fn password_problem(pw: &str) -> Option<crate::core::i18n::K> {
    use crate::core::i18n::K;
    if pw.chars().count() < 10 {
        return Some(K::ValPasswordShort);
    }
    let has_letter = pw.chars().any(|c| c.is_alphabetic());
    let has_digit = pw.chars().any(|c| c.is_ascii_digit());
    if !(has_letter && has_digit) {
        return Some(K::ValPasswordWeak);
    }
    None
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::args;
    use crate::core::audit::Actor;
    use crate::core::db::{Db, DbResult};
    use crate::core::error::AppError;
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
    use argon2::Argon2;
    use chrono::{DateTime, Duration, Utc};

    pub const SESSION_USER: &str = "uid";
    pub const SESSION_EPOCH: &str = "epoch";

    /// Sign-in throttling (per account and per client address, over a window).
    pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
    pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
    pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

    /// What the security layers learned about the request, put in its extensions.
    #[derive(Clone, Debug)]
    pub struct RequestInfo {
        pub client_addr: String,
        pub user: Option<CurrentUser>,
        pub lang: Lang,
        /// What a form posted without JavaScript held, when the post was refused
        /// (so the page can show it again with the errors); see `ui::form::echoed`.
        pub echo: Vec<(String, String)>,
    }

    pub fn hash_password(pw: &str) -> Result<String, AppError> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    }

    pub fn verify_password(pw: &str, hash: &str) -> bool {
        match PasswordHash::new(hash) {
            Ok(parsed) => Argon2::default().verify_password(pw.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }

    /// Hashing is deliberately slow; keep it off the async workers.
    pub async fn hash_password_blocking(pw: String) -> Result<String, AppError> {
        tokio::task::spawn_blocking(move || hash_password(&pw)).await.map_err(|_| AppError::Internal)?
    }

    pub async fn verify_password_blocking(pw: String, hash: String) -> bool {
        tokio::task::spawn_blocking(move || verify_password(&pw, &hash)).await.unwrap_or(false)
    }

    #[derive(sqlx::FromRow)]
    struct UserRow {
        id: i64,
        username: String,
        display_name: String,
        role: String,
        department_id: i64,
        department_zh: String,
        department_en: String,
        language: String,
        time_zone: String,
        auth_epoch: i64,
        active: bool,
    }

    const USER_SQL: &str = "SELECT u.id, u.username, u.display_name, u.role, u.department_id, \
        d.name_zh AS department_zh, d.name_en AS department_en, u.language, u.time_zone, u.auth_epoch, u.active \
        FROM users u JOIN departments d ON d.id = u.department_id WHERE u.id = $1";

    /// Loads the session's user if the account is still active and the session's
    /// epoch matches (deactivation and password changes bump the epoch, which ends
    /// every other session of that user).
    pub async fn load_session_user(db: &Db, user_id: i64, epoch: i64) -> DbResult<Option<CurrentUser>> {
        let row: Option<UserRow> = db.read().fetch_optional(USER_SQL, args![user_id]).await?;
        Ok(row.filter(|r| r.active && r.auth_epoch == epoch).map(|r| CurrentUser {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: Role::parse(&r.role).unwrap_or(Role::Staff),
            department_id: r.department_id,
            department_zh: r.department_zh,
            department_en: r.department_en,
            language: Lang::parse(&r.language).unwrap_or_default(),
            time_zone: r.time_zone,
        }))
    }

    /// How long the caller must wait before another attempt, if throttled.
    pub async fn throttled_for(db: &Db, username: &str, client_addr: &str, now: DateTime<Utc>) -> DbResult<Option<i64>> {
        let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
        let acct: Vec<(DateTime<Utc>,)> = db
            .read()
            .fetch_all(
                "SELECT at FROM login_attempts WHERE username = $1 AND success = $2 AND at > $3 ORDER BY at DESC LIMIT $4",
                args![username, false, since, MAX_FAILURES_PER_ACCOUNT],
            )
            .await?;
        let addr: Vec<(DateTime<Utc>,)> = db
            .read()
            .fetch_all(
                "SELECT at FROM login_attempts WHERE client_addr = $1 AND success = $2 AND at > $3 ORDER BY at DESC LIMIT $4",
                args![client_addr, false, since, MAX_FAILURES_PER_ADDRESS],
            )
            .await?;
        let wait = |rows: &[(DateTime<Utc>,)], max: i64| -> Option<i64> {
            if rows.len() as i64 >= max {
                // Locked until the oldest counted failure leaves the window.
                rows.last().map(|(oldest,)| {
                    ((*oldest + Duration::minutes(THROTTLE_WINDOW_MINUTES)) - now).num_seconds().max(1)
                })
            } else {
                None
            }
        };
        Ok(match (wait(&acct, MAX_FAILURES_PER_ACCOUNT), wait(&addr, MAX_FAILURES_PER_ADDRESS)) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        })
    }

    /// The request's context when there is one (rendering outside a request, as
    /// when the router collects the app's routes at start-up, has none).
    pub fn try_request_info() -> Option<RequestInfo> {
        leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<RequestInfo>().cloned())
    }

    /// The request's context, for server functions and page loaders.
    pub fn request_info() -> Result<RequestInfo, AppError> {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<RequestInfo>().cloned())
            .ok_or_else(|| {
                tracing::error!("request info missing: is the security layer installed?");
                AppError::Internal
            })
    }

    pub fn db() -> Result<Db, AppError> {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<Db>().cloned())
            .ok_or_else(|| {
                tracing::error!("database missing from request extensions");
                AppError::Internal
            })
    }

    /// The signed-in user, or `Unauthenticated`.
    pub fn current_user() -> Result<CurrentUser, AppError> {
        request_info()?.user.ok_or(AppError::Unauthenticated)
    }

    pub fn require_admin() -> Result<CurrentUser, AppError> {
        let u = current_user()?;
        if u.role == Role::Admin { Ok(u) } else { Err(AppError::Forbidden) }
    }

    /// The actor for audit entries: the signed-in user and their address.
    pub fn actor(user: &CurrentUser) -> Result<Actor, AppError> {
        Ok(Actor { user_id: Some(user.id), name: user.display_name.clone(), client_addr: request_info()?.client_addr })
    }

    /// Runs a server function body and, on failure, gives the HTTP response the
    /// error's status (the body carries the error itself).
    pub async fn respond<T>(fut: impl std::future::Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        let r = fut.await;
        // A plain form post (no JavaScript) is answered with a redirect back to the
        // form carrying the error; a status here would replace that redirect.
        let form_post = leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|p| {
            p.uri.path().starts_with("/api/")
                && p.headers
                    .get(axum::http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|a| a.contains("text/html"))
        });
        if let (Err(e), false) = (&r, form_post)
            && let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                && let Ok(code) = axum::http::StatusCode::from_u16(e.status()) {
                    opts.set_status(code);
                }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        use crate::core::i18n::K;
        assert_eq!(password_problem("short1"), Some(K::ValPasswordShort));
        assert_eq!(password_problem("longenoughbutnodigit"), Some(K::ValPasswordWeak));
        assert_eq!(password_problem("Charter-2026-ok"), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse 1").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse 1", &h));
        assert!(!verify_password("wrong horse 1", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
