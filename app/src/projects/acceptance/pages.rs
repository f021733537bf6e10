//! Pages of this part.
use leptos::prelude::*;
use crate::projects::pages::{ProjectFrame, Tab};

#[component]
pub fn ProjectAcceptancePage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Acceptance content=|_| ()/> }
}

#[component]
pub fn AcceptanceReportPage() -> impl IntoView {
    ()
}

#[component]
pub fn LessonsPage() -> impl IntoView {
    ()
}
