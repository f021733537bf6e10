//! The Charter server: configuration, database pool and migrations, the session
//! and security layers, and the axum router around the Leptos app. No business
//! rules live here.
pub mod bench;
pub mod echo;
pub mod security;
pub mod sessions;

use app::core::auth::{RequestInfo, SESSION_EPOCH, SESSION_USER, load_session_user};
use app::core::db::Db;
use app::core::i18n::Lang;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// Runtime settings (command-line flags or environment variables).
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// sqlite://path or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL", default_value = app::core::db::DEFAULT_SQLITE_URL)]
    pub database_url: String,
    /// Address to listen on.
    #[arg(long, env = "CHARTER_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Where the built site (pkg/, static files) is.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Database connections per process.
    #[arg(long, env = "CHARTER_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub max_connections: u32,
    /// Sign-out after this many minutes without a request.
    #[arg(long, env = "CHARTER_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// Mark the session cookie Secure (set when served over HTTPS).
    #[arg(long, env = "CHARTER_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (only behind your own proxy).
    #[arg(long, env = "CHARTER_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
}

impl Config {
    pub fn for_tests(database_url: &str) -> Config {
        Config {
            database_url: database_url.into(),
            addr: "127.0.0.1:0".parse().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0))),
            site_root: "target/site".into(),
            max_connections: 10,
            session_idle_minutes: 30,
            secure_cookies: false,
            trust_proxy: true,
        }
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "charter".into()))
            .site_root(self.site_root.clone())
            .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
            .site_addr(self.addr)
            .reload_port(3001)
            .build()
    }
}

/// Opens the database and brings its schema up to date.
pub async fn open_db(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url, config.max_connections).await?;
    db.migrate().await?;
    sessions::SessionBackend::new(&db).migrate().await?;
    app::seed::ensure_baseline(&db).await?;
    Ok(db)
}

#[derive(Clone)]
struct Shared {
    db: Db,
    trust_proxy: bool,
}

/// The whole application: pages, server functions, exports, health check,
/// static files, wrapped in the session and security layers.
pub fn router(db: Db, config: &Config) -> Router {
    let options = config.leptos_options();
    // Generated once per process. Generating runs the app with resource loading
    // suppressed through a process-global flag (leptos_server's
    // `SuppressResourceLoad`): a resource first polled by another request's
    // render meanwhile would never resolve and that response would hang
    // (leptos-rs/leptos#4773). Tests build many routers in one process.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(app::App)).clone();
    let shared = Shared { db: db.clone(), trust_proxy: config.trust_proxy };
    let sessions = SessionManagerLayer::new(sessions::SessionBackend::new(&db))
        .with_name("charter_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::minutes(config.session_idle_minutes)));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/export/employees.csv", get(app::org::api::export_employees_csv))
        // 2.4.4-a: acceptance attachments, only to those who may see the project.
        .route("/files/projects/{id}", get(app::projects::acceptance::api::download_file))
        .leptos_routes_with_context(&options, routes, || {}, {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(app::shell))
        .with_state(options)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), request_info))
        .layer(sessions)
        .layer(Extension(db))
        .layer(axum::middleware::from_fn(echo::keep_refused_forms))
        .layer(axum::middleware::from_fn(security::same_origin_only))
        .layer(security::headers())
        .layer(tower_http::compression::CompressionLayer::new())
}

async fn healthz(Extension(db): Extension<Db>) -> Response {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

fn client_addr(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(xff) = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok())
            && let Some(first) = xff.split(',').next().map(str::trim).filter(|s| !s.is_empty()) {
                return first.to_string();
            }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The value of one request cookie.
pub fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    let cookies = req.headers().get(header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

fn lang_cookie(req: &Request) -> Option<Lang> {
    cookie(req, app::account::api::LANG_COOKIE).and_then(Lang::parse)
}

/// Is this a request for a page (rather than an API call or a file)?
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.starts_with("/export/")
        || path == "/healthz"
        || path.rsplit('/').next().is_some_and(|last| last.contains('.')))
}

/// Works out who is asking (session user, still active, same epoch), from where,
/// in which language; pages other than sign-in need a signed-in user.
async fn request_info(State(shared): State<Shared>, mut req: Request, next: Next) -> Response {
    let client_addr = client_addr(&req, shared.trust_proxy);
    let path = req.uri().path().to_string();
    // Static files need no user (and should not touch the session store).
    if path.starts_with("/pkg/") || (!is_page(&path) && !path.starts_with("/api/") && !path.starts_with("/export/")) {
        let lang = lang_cookie(&req).unwrap_or_default();
        req.extensions_mut().insert(RequestInfo { client_addr, user: None, lang, echo: vec![] });
        return next.run(req).await;
    }
    let session = req.extensions().get::<Session>().cloned();
    let mut user = None;
    if let Some(session) = &session {
        let uid = session.get::<i64>(SESSION_USER).await.ok().flatten();
        let epoch = session.get::<i64>(SESSION_EPOCH).await.ok().flatten();
        if let (Some(uid), Some(epoch)) = (uid, epoch) {
            match load_session_user(&shared.db, uid, epoch).await {
                Ok(Some(u)) => user = Some(u),
                Ok(None) => {
                    // Deactivated, or the password changed elsewhere: this session is over.
                    let _ = session.flush().await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "loading session user");
                    return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
                }
            }
        }
    }
    let lang = user.as_ref().map(|u| u.language).or_else(|| lang_cookie(&req)).unwrap_or_default();
    if user.is_none() && req.method() == axum::http::Method::GET && is_page(&path) && path != "/login" {
        let target = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        return Redirect::to(&format!("/login?next={}", app::core::ui::url_encode(&target))).into_response();
    }
    // Admin pages are refused on the server, not just hidden from the menu.
    if path.starts_with("/admin") && is_page(&path) && user.as_ref().is_some_and(|u| u.role != app::core::perm::Role::Admin) {
        let body = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>403</title></head><body><h1>403</h1><p>{}</p><p><a href=\"/\">{}</a></p></body></html>",
            lang.html_tag(),
            lang.t(app::core::i18n::K::ErrForbidden),
            lang.t(app::core::i18n::K::NavMyWork)
        );
        return (StatusCode::FORBIDDEN, axum::response::Html(body)).into_response();
    }
    if user.is_some() && path == "/login" && req.method() == axum::http::Method::GET {
        return Redirect::to("/").into_response();
    }
    let echo = if req.method() == axum::http::Method::GET { echo::take(&req) } else { vec![] };
    let had_echo = !echo.is_empty();
    req.extensions_mut().insert(RequestInfo { client_addr, user, lang, echo });
    let mut res = next.run(req).await;
    if had_echo {
        res.headers_mut().append(header::SET_COOKIE, echo::clear_cookie());
    }
    res
}

/// Recurring upkeep while serving: expired sessions, this year's conduct tasks,
/// the projects' daily figures and the PMO's due evaluations.
pub fn spawn_jobs(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = sessions::SessionBackend::new(&db).delete_expired_now().await {
                tracing::warn!(error = %e, "deleting expired sessions");
            }
            if let Err(e) = app::conduct::store::ensure_tasks(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "conduct tasks");
            }
            // 2.4.3: the projects' figures for the new day (PV moves with the date)
            // and the PMO's due evaluations.
            if let Err(e) = app::projects::monitoring::store::hourly(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "project monitoring");
            }
            // 5.3-a: key risk indicators on the live data (breaches escalate, 5.3-d),
            // then this month's risk level statistics (the dashboard's trend).
            if let Err(e) = app::risk::monitoring::store::hourly(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "risk indicators");
            }
            if let Err(e) = app::risk::dashboard::store::hourly(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "risk statistics");
            }
            // Keep SQLite's query planner statistics current as tables grow (the
            // first tick runs at start-up). PostgreSQL's autovacuum does this itself.
            if db.backend() == app::core::db::Backend::Sqlite
                && let Err(e) = db.read().execute("PRAGMA optimize=0x10002", vec![]).await
            {
                tracing::warn!(error = %e, "PRAGMA optimize");
            }
        }
    });
}
