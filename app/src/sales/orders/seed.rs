pub async fn demo(_db: &crate::core::db::Db) -> Result<(), crate::core::error::AppError> { Ok(()) }
