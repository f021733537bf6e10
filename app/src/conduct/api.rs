use crate::core::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::auth::{actor, current_user, db, respond};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConductInfo {
    pub year: i32,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub time_zone: String,
}

#[server(endpoint = "conduct/status")]
pub async fn conduct_status() -> Result<ConductInfo, AppError> {
    respond(async {
        let user = current_user()?;
        let year = crate::core::time::company_year(Utc::now());
        let at = super::store::acknowledged(&db()?, user.id, year).await?;
        Ok(ConductInfo { year, acknowledged_at: at, time_zone: user.time_zone })
    })
    .await
}

/// 3.1-a: the signed-in employee acknowledges this year's code of conduct.
#[server(endpoint = "conduct/acknowledge")]
pub async fn acknowledge_conduct() -> Result<(), AppError> {
    respond(async {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        super::store::acknowledge(&mut tx, &who, user.id, Utc::now()).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
