//! Pages of execution (2.4.2): the project's execution tab (task progress,
//! delays, progress meetings, issues, quality checks, costs), the people
//! allocation page and the project tasks in My work. No SQL and no permission
//! logic here: the server functions decide; the page only offers what the
//! viewer's access allows.
mod allocation;
mod meetings;
mod quality;
mod tasks;

pub use allocation::{AllocationPage, MyProjectTasks, TeamOverAllocation};

use super::api::*;
use super::model::ExecutionView;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{ErrorBox, Loading};
use crate::projects::model::{Access, ProjectFrameData};
use crate::projects::pages::{ProjectFrame, Tab, use_project_refresh};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// /projects/:id/execution
#[component]
pub fn ProjectExecutionPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Execution content=|f: ProjectFrameData| view! { <ExecutionBody frame=f/> }/> }
}

pub(crate) fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// "start – end", each date kept on one line (the pair may wrap between them).
pub(crate) fn range_view(a: Option<NaiveDate>, b: Option<NaiveDate>) -> impl IntoView + use<> {
    match (a, b) {
        (None, None) => view! { "—" }.into_any(),
        (a, b) => view! { <span class="d">{date_text(a)}</span>" – "<span class="d">{date_text(b)}</span> }.into_any(),
    }
}

pub(crate) fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).display()
}

/// The page's actions, shared by its sections.
#[derive(Clone, Copy)]
pub(crate) struct Actions {
    pub progress: ServerAction<LogProgress>,
    pub delay: ServerAction<RecordDelay>,
    pub meeting: ServerAction<HoldMeeting>,
    pub issue: ServerAction<AddIssue>,
    pub resolve: ServerAction<ResolveIssue>,
    pub check: ServerAction<RecordCheck>,
    pub cost: ServerAction<AddCost>,
}

/// What the viewer may do here (the server checks the same).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Can {
    /// 2.4.1-c: the project is executing.
    pub work: bool,
    pub manage: bool,
    pub member: bool,
    pub viewer: i64,
}

impl Can {
    pub fn of(access: &Access, executing: bool, viewer: i64) -> Can {
        Can { work: executing, manage: access.manage && executing, member: (access.member || access.manage) && executing, viewer }
    }
    pub fn log(&self, assignee: i64) -> bool {
        self.work && (self.manage || assignee == self.viewer)
    }
}

/// Runs `f` each time `a` succeeds.
fn on_success<I, O>(a: ServerAction<I>, f: impl Fn() + 'static)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(a.value().get(), Some(Ok(_))) {
            f();
        }
    });
}

#[component]
fn ExecutionBody(frame: ProjectFrameData) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let status = frame.head.status();
    let can = Can::of(&frame.access, status.logs_work(), 0);
    let acts = Actions {
        progress: ServerAction::new(),
        delay: ServerAction::new(),
        meeting: ServerAction::new(),
        issue: ServerAction::new(),
        resolve: ServerAction::new(),
        check: ServerAction::new(),
        cost: ServerAction::new(),
    };
    // Figures and health may move (2.4.3-b): the header loads again with the body.
    let refresh = use_project_refresh();
    on_success(acts.progress, move || refresh.bump());
    on_success(acts.delay, move || refresh.bump());
    on_success(acts.check, move || refresh.bump());
    on_success(acts.cost, move || refresh.bump());
    // The rest reload only the body. Refused posts do not reload it, so that
    // what was typed stays in the form beside its messages.
    let reload = RwSignal::new(0u64);
    on_success(acts.meeting, move || reload.update(|n| *n += 1));
    on_success(acts.issue, move || reload.update(|n| *n += 1));
    on_success(acts.resolve, move || reload.update(|n| *n += 1));
    let costs_after = move || use_query_map().get().get("costs_after").unwrap_or_default();
    let data = Resource::new(move || (costs_after(), reload.get()), move |(after, _)| exec_view(pid, after));
    let frame2 = frame.clone();
    view! {
        {(!can.work).then(|| view! {
            <div class="alert alert-warn" data-testid="exec-not-executing">
                {move || i18n.lang().tf(K::ProjectsExecNotExecuting, &[("status", i18n.get(status.key()).to_string())])}
                " "<span class="clause">"2.4.1-c"</span>
            </div>
        })}
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let frame = frame2.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => {
                            let can = Can { viewer: v.viewer_id, ..can };
                            view! { <Sections v=v frame=frame can=can acts=acts/> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Sections(v: ExecutionView, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let v = std::sync::Arc::new(v);
    view! {
        <tasks::TasksSection v=v.clone() frame=frame.clone() can=can acts=acts/>
        <tasks::DelaysSection v=v.clone() frame=frame.clone() can=can acts=acts/>
        <meetings::MeetingsSection v=v.clone() frame=frame.clone() can=can acts=acts/>
        <meetings::IssuesSection v=v.clone() frame=frame.clone() can=can acts=acts/>
        <quality::QualitySection v=v.clone() frame=frame.clone() can=can acts=acts/>
        <quality::CostsSection v=v frame=frame can=can acts=acts/>
    }
}
