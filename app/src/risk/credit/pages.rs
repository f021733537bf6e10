//! Pages.
use leptos::prelude::*;

#[component]
pub fn CreditPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn CreditFormPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn CreditEvaluationPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn AgeingPage() -> impl IntoView {
    view! { <div></div> }
}

/// Receivables ageing totals by bucket with the provision (for the risk dashboard).
#[component]
pub fn AgeingSummary() -> impl IntoView {
    view! { <div></div> }
}

/// Customers whose open receivables exceed their credit limit (for the risk dashboard).
#[component]
pub fn BreachList() -> impl IntoView {
    view! { <div></div> }
}
