//! "My work": notifications and tasks addressed to a person or a department.
//! Every module puts its items here through `store::insert`.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::core::i18n::{K, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct InboxItem {
    pub id: i64,
    pub recipient_user_id: Option<i64>,
    pub recipient_department_id: Option<i64>,
    pub kind: String,
    pub title_key: String,
    pub params_json: String,
    pub link: String,
    pub due_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl InboxItem {
    /// The item's title in the reader's language.
    pub fn title(&self, lang: Lang) -> String {
        let params: Vec<(String, String)> = serde_json::from_str(&self.params_json).unwrap_or_default();
        let p: Vec<(&str, String)> = params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        match K::from_code(&self.title_key) {
            Some(k) => lang.tf(k, &p),
            None => self.title_key.clone(),
        }
    }
    pub fn is_task(&self) -> bool {
        self.kind == "task"
    }
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.done_at.is_none() && self.due_at.is_some_and(|d| d < now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_translated_with_params() {
        let item = InboxItem {
            id: 1,
            recipient_user_id: Some(1),
            recipient_department_id: None,
            kind: "task".into(),
            title_key: K::InboxConductTitle.code().into(),
            params_json: r#"[["year","2026"]]"#.into(),
            link: "/conduct".into(),
            due_at: Some(Utc::now() - chrono::Duration::days(1)),
            read_at: None,
            done_at: None,
            version: 1,
            created_at: Utc::now(),
        };
        assert!(item.title(Lang::En).contains("2026"));
        assert!(item.title(Lang::Zh).contains("2026"));
        assert_ne!(item.title(Lang::En), item.title(Lang::Zh));
        assert!(item.overdue(Utc::now()));
    }
}
