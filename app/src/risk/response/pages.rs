//! Pages.
use leptos::prelude::*;

#[component]
pub fn MeasuresPage() -> impl IntoView {
    view! { <div></div> }
}

/// The response section of a risk's page (strategy, acceptance, measures, reviews).
#[component]
pub fn ResponsePanel(risk_id: i64) -> impl IntoView {
    let _ = risk_id;
    view! { <div></div> }
}
