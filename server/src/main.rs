//! `server [serve|migrate|seed|backup|create-admin|audit verify]`
use clap::{Parser, Subcommand};
use server::{Config, open_db};

#[derive(Parser)]
#[command(name = "server", about = "Charter: the business-management regulation as working software")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default). On an empty database it first creates the demo company.
    Serve {
        /// Do not create the demo company on an empty database.
        #[arg(long, env = "CHARTER_NO_DEMO", default_value_t = false)]
        no_demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the database.
    Seed {
        /// The demo company (a realistic Chinese company, one sign-in per role).
        #[arg(long)]
        demo: bool,
        /// For benchmarks: generate N employees, N customers (with visits) and
        /// 10 x N opportunities, plus signed contracts with reviews, copies and
        /// receivables for one in twenty of the won deals; and N / 20 projects
        /// in every phase with 40 tasks each; and N / 2 risks with 2–4
        /// assessments each over the last year, measures and reviews.
        #[arg(long)]
        scale: Option<u64>,
        /// With --scale: generate this many employees instead of N.
        #[arg(long)]
        employees: Option<u64>,
    },
    /// Write a consistent snapshot of the SQLite database to FILE.
    Backup { file: std::path::PathBuf },
    /// Create an administrator account (password from --password or CHARTER_ADMIN_PASSWORD).
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long, env = "CHARTER_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        /// Department code (default: hr).
        #[arg(long, default_value = "hr")]
        department: String,
    },
    /// Time the queries behind the busiest pages on this database (median, p95).
    Bench {
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// A second database to measure too, printed beside the first
        /// (e.g. postgres://postgres@127.0.0.1/charter_bench).
        #[arg(long)]
        also: Option<String>,
    },
    /// Audit-trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain and report the first broken link.
    Verify,
}

fn print_demo_logins() {
    println!("Demo company 华辰智能装备有限公司 created. Sign in with (password {}):", app::seed::DEMO_PASSWORD);
    for (user, role) in app::seed::DEMO_LOGINS {
        println!("  {:<10} {}", user, role.code());
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let cli = Cli::parse();
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve { no_demo: false }) {
        Command::Serve { no_demo } => {
            let db = open_db(&config).await?;
            if !no_demo && app::seed::demo(&db).await.map_err(|e| anyhow::anyhow!("demo seed: {e}"))? {
                print_demo_logins();
            }
            app::conduct::store::ensure_tasks(&db, chrono::Utc::now()).await?;
            server::spawn_jobs(db.clone());
            let app = server::router(db, &config);
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            println!("Charter is listening on http://{}", config.addr);
            axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
        Command::Migrate => {
            open_db(&config).await?;
            println!("Database is up to date.");
        }
        Command::Seed { demo, scale, employees } => {
            let db = open_db(&config).await?;
            if !demo && scale.is_none() {
                anyhow::bail!("say what to seed: --demo and/or --scale N");
            }
            if demo {
                if app::seed::demo(&db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
                    print_demo_logins();
                } else {
                    println!("The database already has people; demo not added.");
                }
            }
            if let Some(n) = scale {
                let customers = n;
                let n = employees.unwrap_or(n);
                let bar = indicatif::ProgressBar::new(n);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_message("employees");
                let done = app::seed::scale(&db, n, &|d| bar.set_position(d)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                bar.finish();
                println!("Added {done} employees.");
                app::seed::ensure_baseline(&db).await?;
                let bar = indicatif::ProgressBar::new(customers);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                let counts = app::sales::dashboard::scale::scale(&db, customers, &|stage, done, total| {
                    bar.set_message(stage.to_string());
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                bar.finish();
                println!(
                    "Added {} customers, {} visits, {} opportunities, {} signed contracts, {} receivables.",
                    counts.customers, counts.visits, counts.opportunities, counts.contracts, counts.receivables
                );
                // Projects: one per twenty (N = 100,000 gives 5,000 projects, 200,000 tasks).
                let projects = customers / 20;
                if projects > 0 {
                    let bar = indicatif::ProgressBar::new(projects);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    let counts = app::projects::monitoring::scale::scale(&db, projects, &|stage, done, total| {
                        bar.set_message(stage.to_string());
                        bar.set_length(total);
                        bar.set_position(done);
                    })
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                    bar.finish();
                    println!(
                        "Added {} projects with {} tasks ({} milestones), {} team members, {} costs, {} delay records, {} failed checks.",
                        counts.projects, counts.tasks, counts.milestones, counts.members, counts.costs, counts.delays, counts.checks
                    );
                }
                // Risks: one per two (N = 100,000 gives 50,000 risks with their history).
                let risks = customers / 2;
                if risks > 0 {
                    let bar = indicatif::ProgressBar::new(risks);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    let counts = app::risk::dashboard::scale::scale(&db, risks, &|stage, done, total| {
                        bar.set_message(stage.to_string());
                        bar.set_length(total);
                        bar.set_position(done);
                    })
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                    bar.finish();
                    println!(
                        "Added {} risks ({} closed) with {} assessments, {} measures, {} effectiveness reviews.",
                        counts.risks, counts.closed, counts.assessments, counts.measures, counts.reviews
                    );
                }
            }
        }
        Command::Backup { file } => {
            let db = open_db(&config).await?;
            match &db {
                app::core::db::Db::Sqlite(_) => {
                    if file.exists() {
                        anyhow::bail!("{} exists; choose a new file", file.display());
                    }
                    let path = file.to_string_lossy().to_string();
                    db.read().execute("VACUUM INTO $1", app::args![path]).await?;
                    println!("Backup written to {}", file.display());
                }
                app::core::db::Db::Pg(_) => {
                    anyhow::bail!(
                        "On PostgreSQL use pg_dump, which takes a consistent snapshot while the app runs:\n  \
                         pg_dump --format=custom --file={} \"$DATABASE_URL\"\nRestore with pg_restore --clean --dbname=\"$DATABASE_URL\" {}",
                        file.display(),
                        file.display()
                    );
                }
            }
        }
        Command::CreateAdmin { username, name, password, department } => {
            let db = open_db(&config).await?;
            let dept = app::org::store::department_by_code(&db, &department)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no department with code {department}"))?;
            let input = app::org::model::EmployeeInput {
                username,
                display_name: name,
                department_id: dept.id.to_string(),
                role: "admin".into(),
                language: "zh".into(),
                time_zone: "Asia/Shanghai".into(),
                password,
                ..Default::default()
            };
            let data = input.validate(true).map_err(|e| anyhow::anyhow!("invalid: {e:?}"))?;
            let hash = app::core::auth::hash_password(data.password.as_deref().unwrap_or_default())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut tx = db.begin().await?;
            let id = app::org::store::insert_employee(&mut tx, &app::core::audit::Actor::system("create-admin"), &data, &hash).await?;
            tx.commit().await?;
            println!("Administrator {} created (id {id}).", data.username);
        }
        Command::Bench { runs, also } => {
            let db = open_db(&config).await?;
            server::bench::run(&db, &config, runs.max(1), also.as_deref()).await?;
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let db = open_db(&config).await?;
            match app::core::audit::verify(&db).await? {
                app::core::audit::Verification::Intact { entries } => println!("Audit chain intact: {entries} entries verified."),
                app::core::audit::Verification::Broken { entry_id, reason, checked } => {
                    eprintln!("Audit chain BROKEN at entry {entry_id}: {reason} ({checked} entries before it verified).");
                    std::process::exit(1);
                }
            }
        }
    }
    Ok(())
}
