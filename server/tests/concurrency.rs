//! 20 concurrent writers: no "database is locked" on SQLite, one intact audit chain on both.
use crate::common;
use app::core::audit::{Actor, Verification};
use app::core::db::Db;

/// `writers` tasks each commit `each` department inserts (with their audit entries);
/// returns the errors they met.
async fn run_writers(db: &Db, writers: usize, each: usize) -> Vec<String> {
    let mut tasks = Vec::new();
    for w in 0..writers {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("writer");
            for i in 0..each {
                let mut tx = db.begin().await?;
                let input = app::org::model::UnitInput { code: format!("w{w}_{i}"), name_zh: format!("部门{w}-{i}"), name_en: format!("Dept {w}-{i}") };
                app::org::store::insert_department(&mut tx, &actor, &input).await?;
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(())
        }));
    }
    let mut errors = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.expect("join") {
            errors.push(e.to_string());
        }
    }
    errors
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn twenty_concurrent_writers_on_sqlite() {
    let app = common::TestApp::sqlite().await;
    let errors = run_writers(&app.db, 20, 10).await;
    assert!(errors.is_empty(), "writers failed: {errors:?}");
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM departments WHERE code LIKE 'w%'", vec![]).await.expect("count");
    assert_eq!(n, 200);
    assert!(matches!(app::core::audit::verify(&app.db).await.expect("verify"), Verification::Intact { .. }), "the chain stays intact under concurrency");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn twenty_concurrent_writers_on_postgres_keep_the_chain() {
    let Some(app) = common::TestApp::postgres().await else { return };
    let errors = run_writers(&app.db, 20, 5).await;
    assert!(errors.is_empty(), "writers failed: {errors:?}");
    assert!(matches!(app::core::audit::verify(&app.db).await.expect("verify"), Verification::Intact { .. }));
    app.finish().await;
}
