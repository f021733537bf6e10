//! Pages.
use leptos::prelude::*;

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn RiskFormPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn RiskPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn RoundPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    view! { <div></div> }
}
