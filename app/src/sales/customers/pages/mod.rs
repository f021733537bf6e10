//! Pages for customers and visits. No SQL and no permission logic here: the
//! server functions decide what the caller may see and do.
mod calendar;
mod detail;
mod form;
mod list;

pub use calendar::VisitCalendarPage;
pub use detail::CustomerPage;
pub use form::CustomerFormPage;
pub use list::CustomersPage;

use super::model::{CustomerStatus, Intent, VisitStatus};
use crate::core::i18n::K;
use crate::core::ui::{Badge, Tone};
use leptos::prelude::*;

fn status_badge(code: &str) -> impl IntoView + use<> {
    let s = CustomerStatus::parse(code).unwrap_or(CustomerStatus::Prospect);
    view! { <Badge tone=s.tone() label=s.key()/> }
}

fn intent_badge(code: &str) -> impl IntoView + use<> {
    let i = Intent::parse(code).unwrap_or(Intent::Medium);
    view! { <Badge tone=i.tone() label=i.key()/> }
}

fn visit_badge(code: &str) -> impl IntoView + use<> {
    let s = VisitStatus::parse(code).unwrap_or(VisitStatus::Planned);
    view! { <Badge tone=s.tone() label=s.key()/> }
}

fn key_account_badge(key: bool) -> impl IntoView {
    key.then(|| view! { <Badge tone=Tone::Good label=K::CustomerKeyAccount/> })
}

/// The signed-in person's time zone (dates in lists are shown in it).
fn tz() -> String {
    crate::use_me().0.get_untracked().and_then(|r| r.ok()).flatten().map(|u| u.time_zone).unwrap_or_else(|| "Asia/Shanghai".into())
}
