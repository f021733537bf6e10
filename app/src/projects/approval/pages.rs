//! Pages of this part.
use leptos::prelude::*;
use crate::projects::pages::{ProjectFrame, Tab};

#[component]
pub fn ProjectApprovalPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Approval content=|_| ()/> }
}
