//! Demo data of the credit part.
use crate::core::db::Db;
use crate::core::error::AppError;

pub async fn demo(_db: &Db) -> Result<(), AppError> {
    Ok(())
}
