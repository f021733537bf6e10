//! The demo company's risk data: each part adds its share, in order
//! (register → response → credit → monitoring → dashboard).
use crate::core::db::Db;
use crate::core::error::AppError;

pub async fn demo(db: &Db) -> Result<(), AppError> {
    super::register::seed::demo(db).await?;
    super::response::seed::demo(db).await?;
    super::credit::seed::demo(db).await?;
    super::monitoring::seed::demo(db).await?;
    super::dashboard::seed::demo(db).await?;
    Ok(())
}
