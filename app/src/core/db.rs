//! One storage codebase over SQLite and PostgreSQL. Queries are written once with
//! `$N` placeholders (both drivers accept them); `Db` and `Tx` run them on
//! whichever backend `DATABASE_URL` chose. Values are passed as `Arg`s so that a
//! store function is compiled once, not once per backend.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Arguments, FromRow, PgPool, Postgres, Sqlite, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

pub type DbResult<T> = Result<T, sqlx::Error>;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A bound query parameter. Typed `None`s keep PostgreSQL's type inference happy.
#[derive(Clone, Debug)]
pub enum Arg {
    I64(i64),
    Str(String),
    Bool(bool),
    Time(DateTime<Utc>),
    OptI64(Option<i64>),
    OptStr(Option<String>),
    OptTime(Option<DateTime<Utc>>),
    Date(NaiveDate),
    OptDate(Option<NaiveDate>),
    /// File contents (BLOB / BYTEA).
    Bytes(Vec<u8>),
}

macro_rules! arg_from {
    ($t:ty, $v:ident, $e:expr) => {
        impl From<$t> for Arg {
            fn from($v: $t) -> Self {
                $e
            }
        }
    };
}
arg_from!(i64, v, Arg::I64(v));
arg_from!(i32, v, Arg::I64(v as i64));
arg_from!(bool, v, Arg::Bool(v));
arg_from!(String, v, Arg::Str(v));
arg_from!(&str, v, Arg::Str(v.to_string()));
arg_from!(&String, v, Arg::Str(v.clone()));
arg_from!(DateTime<Utc>, v, Arg::Time(v));
arg_from!(Option<i64>, v, Arg::OptI64(v));
arg_from!(Option<String>, v, Arg::OptStr(v));
arg_from!(Option<&str>, v, Arg::OptStr(v.map(str::to_string)));
arg_from!(Option<DateTime<Utc>>, v, Arg::OptTime(v));
arg_from!(NaiveDate, v, Arg::Date(v));
arg_from!(Option<NaiveDate>, v, Arg::OptDate(v));
arg_from!(Vec<u8>, v, Arg::Bytes(v));

/// `args![a, b, c]` builds a `Vec<Arg>`.
#[macro_export]
macro_rules! args {
    ($($e:expr),* $(,)?) => { vec![$($crate::core::db::Arg::from($e)),*] };
}

/// Binds `Arg`s into a backend's argument buffer (the same code for both).
macro_rules! bind_args {
    ($name:ident, $ty:ty) => {
        fn $name(args: Vec<Arg>) -> DbResult<$ty> {
            let mut a = <$ty>::default();
            for x in args {
                let r = match x {
                    Arg::I64(v) => a.add(v),
                    Arg::Str(v) => a.add(v),
                    Arg::Bool(v) => a.add(v),
                    Arg::Time(v) => a.add(v),
                    Arg::OptI64(v) => a.add(v),
                    Arg::OptStr(v) => a.add(v),
                    Arg::OptTime(v) => a.add(v),
                    Arg::Date(v) => a.add(v),
                    Arg::OptDate(v) => a.add(v),
                    Arg::Bytes(v) => a.add(v),
                };
                r.map_err(sqlx::Error::Encode)?;
            }
            Ok(a)
        }
    };
}
bind_args!(sqlite_args, SqliteArguments<'static>);
bind_args!(pg_args, PgArguments);

/// A row type readable from both backends (derive `sqlx::FromRow`).
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static {}

/// One executor of either backend.
enum Either<A, B> {
    L(A),
    R(B),
}

/// Runs one query method on whichever executor is active.
macro_rules! run {
    ($ex:expr, $sql:expr, $args:expr, query_as, $method:ident) => {
        match $ex {
            Either::L(ex) => sqlx::query_as_with::<Sqlite, _, _>($sql, sqlite_args($args)?).$method(ex).await,
            Either::R(ex) => sqlx::query_as_with::<Postgres, _, _>($sql, pg_args($args)?).$method(ex).await,
        }
    };
    ($ex:expr, $sql:expr, $args:expr, execute) => {
        match $ex {
            Either::L(ex) => sqlx::query_with::<Sqlite, _>($sql, sqlite_args($args)?).execute(ex).await.map(|r| r.rows_affected()),
            Either::R(ex) => sqlx::query_with::<Postgres, _>($sql, pg_args($args)?).execute(ex).await.map(|r| r.rows_affected()),
        }
    };
}

macro_rules! query_methods {
    ($self_:ident, $ex:expr) => {
        pub async fn fetch_all<T: Record>(&mut $self_, sql: &str, args: Vec<Arg>) -> DbResult<Vec<T>> {
            run!($ex, sql, args, query_as, fetch_all)
        }
        pub async fn fetch_optional<T: Record>(&mut $self_, sql: &str, args: Vec<Arg>) -> DbResult<Option<T>> {
            run!($ex, sql, args, query_as, fetch_optional)
        }
        pub async fn fetch_one<T: Record>(&mut $self_, sql: &str, args: Vec<Arg>) -> DbResult<T> {
            run!($ex, sql, args, query_as, fetch_one)
        }
        /// The first column of the one row the query returns.
        pub async fn scalar<T>(&mut $self_, sql: &str, args: Vec<Arg>) -> DbResult<T>
        where
            (T,): Record,
        {
            let (v,): (T,) = run!($ex, sql, args, query_as, fetch_one)?;
            Ok(v)
        }
        /// Rows affected.
        pub async fn execute(&mut $self_, sql: &str, args: Vec<Arg>) -> DbResult<u64> {
            run!($ex, sql, args, execute)
        }
    };
}

/// Read access straight on the pool (each call may use a different connection).
pub struct Reader<'a>(&'a Db);

impl Reader<'_> {
    query_methods!(
        self,
        match self.0 { Db::Sqlite(p) => Either::L(p), Db::Pg(p) => Either::R(p) }
    );
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE` so that
/// concurrent writers queue on the busy timeout instead of failing with
/// "database is locked" when a deferred transaction tries to upgrade.
/// Dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Pg(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    query_methods!(
        self,
        match self { Tx::Sqlite(t) => Either::L(&mut **t), Tx::Pg(t) => Either::R(&mut **t) }
    );

    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Pg(t) => t.commit().await,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Pg(_) => Backend::Postgres,
        }
    }
}

pub const DEFAULT_SQLITE_URL: &str = "sqlite://data/charter.db";

impl Db {
    /// Opens (and for SQLite creates) the database named by `url`.
    pub async fn connect(url: &str, max_connections: u32) -> DbResult<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No JIT: PostgreSQL compiles a query once its estimated cost passes
            // `jit_above_cost`, which a visibility `OR … EXISTS` over 50,000 risks does;
            // compiling took 260 ms of a 20 ms query, on every request (docs/performance.md).
            let opts = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            Ok(Db::Pg(pool))
        } else {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30));
            if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
                let path = path.split('?').next().unwrap_or(path);
                if let Some(dir) = std::path::Path::new(path).parent()
                    && !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                    }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(60))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations for this backend (embedded at compile time).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("../migrations/sqlite").run(p).await,
            Db::Pg(p) => sqlx::migrate!("../migrations/postgres").run(p).await,
        }
    }

    pub fn read(&self) -> Reader<'_> {
        Reader(self)
    }

    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Pg(p) => Tx::Pg(p.begin().await?),
        })
    }

    pub async fn ping(&self) -> DbResult<()> {
        let one: i64 = self.read().scalar("SELECT CAST(1 AS BIGINT)", vec![]).await?;
        debug_assert_eq!(one, 1);
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }
}

/// True when the error is a unique-constraint violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The pure part of document numbering: after `last` ("HT-2026-0041") comes
/// "HT-2026-0042"; the first of a year is "…-0001".
pub fn number_after(prefix: &str, year: i32, last: Option<&str>) -> String {
    let head = format!("{prefix}-{year}-");
    let n = last.and_then(|l| l.strip_prefix(&head)).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    format!("{head}{:04}", n + 1)
}

/// The next document number of the year in `table.number` (quotations BJ,
/// contracts HT, orders DD). Numbers are taken one at a time: SQLite's
/// `BEGIN IMMEDIATE` already serialises writers; on PostgreSQL a transaction
/// lock per table does, so two people saving at once never get the same number.
pub async fn next_number(tx: &mut Tx, table: &'static str, prefix: &str, year: i32) -> DbResult<String> {
    if tx.backend() == Backend::Postgres {
        tx.execute("SELECT pg_advisory_xact_lock(7274100, hashtext($1))", vec![Arg::Str(table.to_string())]).await?;
    }
    let head = format!("{prefix}-{year}-");
    let last: Option<(String,)> = tx
        .fetch_optional(&format!("SELECT number FROM {table} WHERE number LIKE $1 ORDER BY number DESC LIMIT 1"), vec![Arg::Str(format!("{head}%"))])
        .await?;
    Ok(number_after(prefix, year, last.as_ref().map(|l| l.0.as_str())))
}

#[cfg(test)]
mod numbering_tests {
    #[test]
    fn numbers_count_up_within_a_year() {
        assert_eq!(super::number_after("HT", 2026, None), "HT-2026-0001");
        assert_eq!(super::number_after("HT", 2026, Some("HT-2026-0041")), "HT-2026-0042");
        assert_eq!(super::number_after("DD", 2027, Some("DD-2026-0041")), "DD-2027-0001");
    }
}
