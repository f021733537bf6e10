//! The command line: seed, backup, create-admin and audit verify, run as a user would.
use std::process::Command;

fn server(db_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run server binary")
}

fn text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[tokio::test]
async fn seed_backup_create_admin_and_audit_verify() {
    let dir = std::env::temp_dir().join(format!("charter-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}/cli.db", dir.display());

    let o = server(&url, &["seed"]);
    assert!(!o.status.success(), "seed without a choice is refused");

    let o = server(&url, &["seed", "--demo"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    for login in ["admin", "zhao.min", "li.qiang", "wang.fang"] {
        assert!(out.contains(login), "demo logins printed: {out}");
    }
    let o = server(&url, &["seed", "--demo"]);
    assert!(text(&o).contains("already has people"), "{}", text(&o));

    let o = server(&url, &["seed", "--scale", "120"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Added 120 employees"));
    // --scale also fills the sales tables: N customers and ten opportunities each.
    assert!(text(&o).contains("Added 120 customers") && text(&o).contains("1200 opportunities"), "{}", text(&o));

    let o = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-admin", "--username", "it.admin", "--name", "信息部管理员"])
        .env("DATABASE_URL", &url)
        .env("CHARTER_ADMIN_PASSWORD", "Strong-pass-2026")
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", text(&o));

    let o = server(&url, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("intact"), "{}", text(&o));

    let backup = dir.join("backup.db");
    let o = server(&url, &["backup", backup.to_str().expect("path")]);
    assert!(o.status.success(), "{}", text(&o));
    let copy = app::core::db::Db::connect(&format!("sqlite://{}", backup.display()), 1).await.expect("open backup");
    let n: i64 = copy.read().scalar("SELECT COUNT(*) FROM users", vec![]).await.expect("count");
    assert_eq!(n, 26 + 120 + 1, "the backup holds every employee");
    copy.close().await;
    let o = server(&url, &["backup", backup.to_str().expect("path")]);
    assert!(!o.status.success(), "an existing backup file is never overwritten");

    // Tamper with one entry behind the app's back: verify names it and fails.
    let db = app::core::db::Db::connect(&url, 1).await.expect("open");
    db.read().execute("DROP TRIGGER audit_log_no_update", vec![]).await.expect("drop trigger");
    db.read().execute("UPDATE audit_log SET after_json = '{}' WHERE id = 12", vec![]).await.expect("tamper");
    db.close().await;
    let o = server(&url, &["audit", "verify"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("BROKEN at entry 12"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
