//! Demo data of this part.
use crate::core::db::Db;
use crate::core::error::AppError;

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let _ = db;
    Ok(())
}
