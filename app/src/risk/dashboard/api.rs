//! Server function of the risk dashboard.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{current_user, db, respond},
    crate::core::perm::Role,
};

/// The filters as they appear in the URL (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashQuery {
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub category: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashPage {
    pub data: Dashboard,
    pub departments: Vec<(i64, String, String)>,
    /// (id, zh, en)
    pub categories: Vec<(i64, String, String)>,
    /// Sees every department's risks (executives, admins, the risk department).
    pub company_wide: bool,
}

/// Who may open the dashboard: executives, admins and the risk department see
/// every risk; managers the risks of their department (and those they own or
/// hold a measure of); other staff nothing.
#[cfg(feature = "ssr")]
pub fn may_open(role: Role, company_wide: bool) -> bool {
    company_wide || role >= Role::Manager
}

/// The risk dashboard over the risks the reader may see (5.1-c, 5.3).
#[server(endpoint = "risk/dashboard")]
pub async fn risk_dashboard(query: DashQuery) -> Result<DashPage, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let code = crate::risk::store::department_code(&db, user.department_id).await?;
        let company_wide = crate::risk::store::rights(&viewer, &code).company_wide;
        if !may_open(user.role, company_wide) {
            return Err(AppError::Forbidden);
        }
        let filter = DashFilter { department_id: query.department.trim().parse().ok(), category_id: query.category.trim().parse().ok() };
        let data = store::dashboard(&db, &viewer, &code, &filter, chrono::Utc::now()).await?;
        let departments = store::departments(&db).await?;
        let categories = store::categories(&db).await?.into_iter().map(|c| (c.0, c.1, c.2)).collect();
        Ok(DashPage { data, departments, categories, company_wide })
    })
    .await
}
