//! Pages of this part.
use leptos::prelude::*;
use crate::projects::pages::{ProjectFrame, Tab};

#[component]
pub fn ProjectExecutionPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Execution content=|_| ()/> }
}

#[component]
pub fn AllocationPage() -> impl IntoView {
    ()
}

#[component]
pub fn MyProjectTasks() -> impl IntoView {
    ()
}
