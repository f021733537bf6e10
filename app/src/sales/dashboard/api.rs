//! Server functions of the dashboard.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, respond},
    crate::core::i18n::K,
    crate::core::perm::Role,
};

/// The filters as they appear in the URL (all optional).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DashQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner: String,
}

/// What the filter form offers.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DashPage {
    pub data: Dashboard,
    pub departments: Vec<(i64, String, String)>,
    pub owners: Vec<(i64, String)>,
    /// Managers see their own department only.
    pub department_locked: bool,
    pub can_set_targets: bool,
}

/// Executives and admins see the whole company; managers their department.
#[server(endpoint = "sales/dashboard")]
pub async fn sales_dashboard(query: DashQuery) -> Result<DashPage, AppError> {
    respond(async move {
        let user = current_user()?;
        if user.role < Role::Manager {
            return Err(AppError::Forbidden);
        }
        let today = crate::core::time::company_today(chrono::Utc::now());
        let mut f = DashFilter::default_for(today);
        if let Some(d) = parse_month(&query.from) {
            f.from = month_start(d);
        }
        if let Some(d) = parse_month(&query.to) {
            f.to = month_end(d);
        }
        if f.to < f.from {
            return Err(AppError::field("to", K::ValDateOrder));
        }
        f.department_id = query.department.trim().parse().ok();
        f.owner_id = query.owner.trim().parse().ok();
        let locked = !user.role.sees_everything();
        if locked {
            f.department_id = Some(user.department_id);
        }
        let db = db()?;
        let data = store::dashboard(&db, &f, today).await?;
        let departments: Vec<(i64, String, String)> =
            db.read().fetch_all("SELECT id, name_zh, name_en FROM departments WHERE active = $1 ORDER BY id", crate::args![true]).await?;
        let owners = store::owner_options(&db, f.department_id).await?;
        Ok(DashPage { data, departments, owners, department_locked: locked, can_set_targets: user.role.sees_everything() })
    })
    .await
}

/// Sets a monthly won-amount target (executives and admins).
#[server(endpoint = "sales/set_target")]
pub async fn set_sales_target(month: String, department: String, amount: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        if !user.role.sees_everything() {
            return Err(AppError::Forbidden);
        }
        let mut c = crate::core::error::Checks::new();
        let ym = chrono::NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok();
        if ym.is_none() {
            c.add("month", K::ValInvalid);
        }
        let money = crate::core::money::Money::parse(&amount, "CNY").ok().filter(|m| m.minor >= 0);
        if money.is_none() {
            c.add("amount", K::ValAmount);
        }
        let department_id: Option<i64> = department.trim().parse().ok();
        c.finish()?;
        let (Some(ym), Some(money)) = (ym, money) else { return Err(AppError::field("month", K::ValInvalid)) };
        let db = db()?;
        if let Some(d) = department_id {
            let n: i64 = db.read().scalar("SELECT COUNT(*) FROM departments WHERE id = $1", crate::args![d]).await?;
            if n == 0 {
                return Err(AppError::field("department", K::ValInvalid));
            }
        }
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        use chrono::Datelike;
        store::set_target(&mut tx, &who, ym.year() as i64, ym.month() as i64, department_id, money.minor).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
