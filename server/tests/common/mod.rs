//! Test harness: the whole app (router, layers, database) on SQLite and on
//! PostgreSQL. PostgreSQL tests create a fresh database each and drop it after;
//! when no server is reachable they say so and pass as skipped.
#![allow(dead_code)]
use app::core::db::Db;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

pub const PASSWORD: &str = app::seed::DEMO_PASSWORD;

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub backend: &'static str,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile_dir::Dir>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    /// The session cookie the response set, if any ("charter_session=…").
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("charter_session="))
            .map(|c| c.split(';').next().unwrap_or("").to_string())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

mod tempfile_dir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn pg_base() -> String {
    std::env::var("CHARTER_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("charter-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}/t.db", dir.display());
        let mut app = TestApp::open(&url, "sqlite").await;
        app._dir = Some(tempfile_dir::Dir(dir));
        app
    }

    /// None when PostgreSQL is not reachable (the test reports it as skipped).
    pub async fn postgres() -> Option<TestApp> {
        let admin_url = format!("{}/postgres", pg_base());
        let admin = match tokio::time::timeout(std::time::Duration::from_secs(5), sqlx::PgPool::connect(&admin_url)).await {
            Ok(Ok(p)) => p,
            _ => {
                eprintln!("SKIPPED on PostgreSQL: no server reachable at {} (set CHARTER_TEST_PG)", pg_base());
                return None;
            }
        };
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("charter_test_{}_{n}", std::process::id());
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.expect("drop old db");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create db");
        admin.close().await;
        let mut app = TestApp::open(&format!("{}/{name}", pg_base()), "postgres").await;
        app.cleanup = Some((admin_url, name));
        Some(app)
    }

    async fn open(url: &str, backend: &'static str) -> TestApp {
        TestApp::open_with(server::Config::for_tests(url), backend).await
    }

    /// SQLite with a custom configuration.
    pub async fn sqlite_with(adjust: impl FnOnce(&mut server::Config)) -> TestApp {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("charter-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut config = server::Config::for_tests(&format!("sqlite://{}/t.db", dir.display()));
        adjust(&mut config);
        let mut app = TestApp::open_with(config, "sqlite").await;
        app._dir = Some(tempfile_dir::Dir(dir));
        app
    }

    async fn open_with(config: server::Config, backend: &'static str) -> TestApp {
        let db = server::open_db(&config).await.expect("open db");
        app::seed::demo(&db).await.expect("demo seed");
        let router = server::router(db.clone(), &config);
        TestApp { db, router, backend, cleanup: None, _dir: None }
    }

    pub async fn finish(self) {
        self.db.close().await;
        if let Some((admin_url, name)) = self.cleanup
            && let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await;
            }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        let mut b = Request::get(path).header("x-forwarded-for", "10.9.8.7");
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        self.send(b.body(Body::empty()).expect("request")).await
    }

    /// A server-function call as the browser's JavaScript makes it (same origin).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Resp {
        self.call_from(endpoint, form, cookie, "10.9.8.7").await
    }

    pub async fn call_from(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>, addr: &str) -> Resp {
        let body = serde_urlencoded::to_string(form).expect("form");
        let mut b = Request::post(format!("/api/{endpoint}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "charter.test")
            .header("origin", "http://charter.test")
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", addr);
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        self.send(b.body(Body::from(body)).expect("request")).await
    }

    /// Signs in and returns the session cookie.
    pub async fn sign_in(&self, username: &str, password: &str) -> String {
        let r = self.call("auth/sign_in", &[("username", username), ("password", password)], None).await;
        assert!(r.status.is_success(), "sign in as {username}: {} {}", r.status, r.body);
        r.session_cookie().expect("session cookie")
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        self.db.read().scalar("SELECT id FROM users WHERE username = $1", app::args![username]).await.expect("user")
    }
}

/// Runs the body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let $app = $crate::common::TestApp::sqlite().await;
                $body
                $app.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some($app) = $crate::common::TestApp::postgres().await else { return };
                $body
                $app.finish().await;
            }
        }
    };
}
