//! The project header every project page shows.
use super::model::ProjectFrameData;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::auth::{current_user, db, respond};

/// The project's header and what the caller may do with it.
#[server(endpoint = "projects/frame")]
pub async fn project_frame(id: i64) -> Result<ProjectFrameData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let (head, access) = super::store::head(&db, &user.viewer(), id).await?.ok_or(AppError::NotFound)?;
        Ok(ProjectFrameData { head, access, today: crate::core::time::company_today(chrono::Utc::now()) })
    })
    .await
}
