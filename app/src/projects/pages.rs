//! The frame every project page sits in: the header (number, name, status,
//! health, department, manager, leader, dates) and the tabs of the project's
//! parts. Each part's page renders inside it with the loaded header and access.
use super::api::project_frame;
use super::model::ProjectFrameData;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, ErrorBox, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The project pages' tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Plan,
    Approval,
    Execution,
    Monitoring,
    Gantt,
    Acceptance,
}

impl Tab {
    pub const ALL: [Tab; 7] = [Tab::Overview, Tab::Plan, Tab::Approval, Tab::Execution, Tab::Monitoring, Tab::Gantt, Tab::Acceptance];
    pub fn path(self, id: i64) -> String {
        match self {
            Tab::Overview => format!("/projects/{id}"),
            Tab::Plan => format!("/projects/{id}/plan"),
            Tab::Approval => format!("/projects/{id}/approval"),
            Tab::Execution => format!("/projects/{id}/execution"),
            Tab::Monitoring => format!("/projects/{id}/monitoring"),
            Tab::Gantt => format!("/projects/{id}/gantt"),
            Tab::Acceptance => format!("/projects/{id}/acceptance"),
        }
    }
    pub fn key(self) -> K {
        match self {
            Tab::Overview => K::ProjectsTabOverview,
            Tab::Plan => K::ProjectsTabPlan,
            Tab::Approval => K::ProjectsTabApproval,
            Tab::Execution => K::ProjectsTabExecution,
            Tab::Monitoring => K::ProjectsTabMonitoring,
            Tab::Gantt => K::ProjectsTabGantt,
            Tab::Acceptance => K::ProjectsTabAcceptance,
        }
    }
}

/// Bump after an action that changes the project's header (status, health,
/// version) so that the frame and its content load again.
#[derive(Clone, Copy)]
pub struct ProjectRefresh(pub RwSignal<u64>);

impl ProjectRefresh {
    pub fn bump(self) {
        self.0.update(|v| *v += 1);
    }
}

pub fn use_project_refresh() -> ProjectRefresh {
    expect_context::<ProjectRefresh>()
}

/// The `:id` of the current project route.
pub fn project_id() -> Option<i64> {
    use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok())
}

/// The project header and tabs; `content` renders the page's body with the
/// loaded header and the viewer's access.
#[component]
pub fn ProjectFrame<F, V>(tab: Tab, content: F) -> impl IntoView
where
    F: Fn(ProjectFrameData) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let refresh = ProjectRefresh(RwSignal::new(0));
    provide_context(refresh);
    let data = Resource::new(move || (project_id(), refresh.0.get()), |(id, _)| async move {
        match id {
            Some(id) => project_frame(id).await,
            None => Err(crate::core::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {
                let content = content.clone();
                move || {
                    let content = content.clone();
                    Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            Ok(f) => {
                                let h = f.head.clone();
                                let id = h.id;
                                let status = h.status();
                                let health = h.health();
                                let budget = Money::new(h.budget_minor, &h.currency).display();
                                let dept = h.clone();
                                view! {
                                    <div class="page-head project-head">
                                        <div>
                                            <p class="muted"><a href="/projects">{i18n.t(K::NavProjects)}</a>" · "{h.number.clone()}</p>
                                            <h1 data-testid="project-name">{h.name.clone()}</h1>
                                            <p class="project-meta">
                                                <span data-testid="project-status"><Badge tone=status.tone() label=status.key()/></span>" "
                                                {matches!(status, super::model::ProjectStatus::Executing | super::model::ProjectStatus::Acceptance).then(|| view! {
                                                    <span data-testid="project-health"><Badge tone=health.tone() label=health.key()/></span>
                                                })}" "
                                                <Badge tone=crate::core::ui::Tone::Neutral label=h.priority().key()/>
                                            </p>
                                        </div>
                                        <dl class="kv-inline">
                                            <dt>{i18n.t(K::ProjectsRequestingDepartment)}</dt><dd>{move || dept.department(i18n.lang()).to_string()}</dd>
                                            <dt>{i18n.t(K::ProjectsManager)}</dt><dd><a href=format!("/people/{}", h.manager_id)>{h.manager_name.clone()}</a></dd>
                                            <dt>{i18n.t(K::ProjectsSponsor)}</dt><dd><a href=format!("/people/{}", h.sponsor_id)>{h.sponsor_name.clone()}</a></dd>
                                            <dt>{i18n.t(K::ProjectsDates)}</dt><dd>{format!("{} – {}", h.start_date, h.end_date)}</dd>
                                            <dt>{i18n.t(K::ProjectsBudget)}</dt><dd>{budget}</dd>
                                        </dl>
                                    </div>
                                    <nav class="tabs" aria-label=move || i18n.get(K::ProjectsTabsLabel)>
                                        {Tab::ALL.into_iter().map(|t| view! {
                                            <a href=t.path(id) aria-current=(t == tab).then_some("page")>{i18n.t(t.key())}</a>
                                        }).collect_view()}
                                    </nav>
                                    {content(f)}
                                }.into_any()
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
}
