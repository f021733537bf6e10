//! Pages of this part.
use leptos::prelude::*;
use crate::projects::pages::{ProjectFrame, Tab};

#[component]
pub fn ProjectMonitoringPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Monitoring content=|_| ()/> }
}

#[component]
pub fn ProjectGanttPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Gantt content=|_| ()/> }
}

#[component]
pub fn ProjectDashboardPage() -> impl IntoView {
    ()
}
