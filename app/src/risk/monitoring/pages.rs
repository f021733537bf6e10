//! Pages.
use leptos::prelude::*;

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn IndicatorPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn DepartmentReportPage() -> impl IntoView {
    view! { <div></div> }
}

#[component]
pub fn WarningReportPage() -> impl IntoView {
    view! { <div></div> }
}

/// A risk's escalations and indicator links, on the risk's page.
#[component]
pub fn RiskEscalations(risk_id: i64) -> impl IntoView {
    let _ = risk_id;
    view! { <div></div> }
}

/// Key risk indicators as gauges with their thresholds, and the same as a table (for the risk dashboard).
#[component]
pub fn IndicatorGauges() -> impl IntoView {
    view! { <div></div> }
}
