//! dashboard: store.
use crate::core::db::{Db, DbResult};
use chrono::{DateTime, Utc};

/// The hourly job: refreshes this month's level statistics.
pub async fn hourly(_db: &Db, _now: DateTime<Utc>) -> DbResult<()> {
    Ok(())
}
