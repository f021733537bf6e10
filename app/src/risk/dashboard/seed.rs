//! Demo data of the dashboard part (runs last): the level statistics of the
//! past twelve months derived from the demo's assessment history, and this
//! month's from the risks as they are now.
use crate::core::db::Db;
use crate::core::error::AppError;

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let now = chrono::Utc::now();
    super::store::rebuild_history(db, now, 12).await?;
    super::store::hourly(db, now).await?;
    Ok(())
}
