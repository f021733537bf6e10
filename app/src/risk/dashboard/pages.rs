//! Pages.
use leptos::prelude::*;

#[component]
pub fn RiskDashboardPage() -> impl IntoView {
    view! { <div></div> }
}
