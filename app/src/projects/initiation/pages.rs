//! Pages of this part.
use leptos::prelude::*;
use crate::projects::pages::{ProjectFrame, Tab};

#[component]
pub fn ProjectsPage() -> impl IntoView {
    ()
}

#[component]
pub fn ProjectFormPage() -> impl IntoView {
    ()
}

#[component]
pub fn ProjectOverviewPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Overview content=|_| ()/> }
}

#[component]
pub fn ProjectPlanPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Plan content=|_| ()/> }
}
