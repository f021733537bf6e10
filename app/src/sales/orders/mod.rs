//! Orders with delivery schedule, customer updates and exceptions (2.2.4); receivables, payments and ageing.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;

/// The ageing of the open receivables `viewer` may see on `today` (for the sales
/// dashboard): totals per bucket (one row per currency) and the top customers.
#[cfg(feature = "ssr")]
pub async fn ageing(
    db: &crate::core::db::Db,
    viewer: &crate::core::perm::Viewer,
    today: chrono::NaiveDate,
) -> crate::core::db::DbResult<model::Ageing> {
    let code = store::department_code(db, viewer.department_id).await?;
    store::ageing(db, viewer, &code, today, 10).await
}
