//! 20 concurrent writers on SQLite must not see "database is locked".
mod common;
use app::core::audit::Actor;

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn twenty_concurrent_writers_on_sqlite() {
    let app = common::TestApp::sqlite().await;
    let mut tasks = Vec::new();
    for w in 0..20 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("writer");
            for i in 0..10 {
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
    assert!(errors.is_empty(), "writers failed: {errors:?}");
    let n: i64 = app.db.read().scalar("SELECT COUNT(*) FROM departments WHERE code LIKE 'w%'", vec![]).await.expect("count");
    assert_eq!(n, 200);
    assert!(matches!(app::core::audit::verify(&app.db).await.expect("verify"), app::core::audit::Verification::Intact { .. }), "the chain stays intact under concurrency");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn twenty_concurrent_writers_on_postgres_keep_the_chain() {
    let Some(app) = common::TestApp::postgres().await else { return };
    let mut tasks = Vec::new();
    for w in 0..20 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("writer");
            for i in 0..5 {
                let mut tx = db.begin().await?;
                let input = app::org::model::UnitInput { code: format!("w{w}_{i}"), name_zh: format!("部门{w}-{i}"), name_en: format!("Dept {w}-{i}") };
                app::org::store::insert_department(&mut tx, &actor, &input).await?;
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(())
        }));
    }
    for t in tasks {
        t.await.expect("join").expect("writer");
    }
    assert!(matches!(app::core::audit::verify(&app.db).await.expect("verify"), app::core::audit::Verification::Intact { .. }));
    app.finish().await;
}
