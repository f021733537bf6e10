use super::RuleStatus;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::auth::{current_user, db, respond};

/// Every rule with its status, over the records the caller may see.
#[server(endpoint = "compliance/overview")]
pub async fn compliance_overview() -> Result<Vec<RuleStatus>, AppError> {
    respond(async {
        let user = current_user()?;
        Ok(super::rules::evaluate_all(&db()?, &user.viewer(), chrono::Utc::now()).await?)
    })
    .await
}
