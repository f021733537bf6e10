//! People allocation across open projects (2.4.2-d), the team's
//! over-allocation warning, and my open project tasks in My work.
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Empty, ErrorBox, Loading, Tone};
use crate::projects::execution::api::{allocation, my_open_tasks, team_loads};
use crate::projects::execution::model::{AllocationView, Load, OVER_ALLOCATED_PCT, TaskKind, UNDER_ALLOCATED_PCT};
use crate::projects::model::ProjectStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// /projects/allocation: per person the sum of their allocation over open
/// projects (initiating, in plan review, executing), with over-allocation
/// warnings and an under-allocation note.
#[component]
pub fn AllocationPage() -> impl IntoView {
    let i18n = use_i18n();
    let dept = move || use_query_map().get().get("department").unwrap_or_default();
    let data = Resource::new(dept, allocation);
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavAllocation)}" "<span class="clause">"2.4.2-d"</span></h1>
        </div>
        <p class="hint">
            {move || i18n.lang().tf(K::ProjectsExecAllocationHint, &[("over", OVER_ALLOCATED_PCT.to_string()), ("under", UNDER_ALLOCATED_PCT.to_string())])}
        </p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <AllocationTable v=v/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AllocationTable(v: AllocationView) -> impl IntoView {
    let i18n = use_i18n();
    let over = v.rows.iter().filter(|r| r.person.load() == Load::Over).count();
    let under = v.rows.iter().filter(|r| r.person.load() == Load::Under).count();
    let selected = v.department_id.map(|d| d.to_string()).unwrap_or_default();
    view! {
        {v.can_filter.then(|| view! {
            <form method="get" action="/projects/allocation" class="filters" role="search">
                <label>{i18n.t(K::FieldDepartment)}
                    <select name="department" id="department">
                        <option value="">{i18n.t(K::CommonAll)}</option>
                        {v.departments.iter().map(|d| {
                            let id = d.id.to_string();
                            let sel = id == selected;
                            let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                            view! { <option value=id selected=sel>{move || match i18n.lang() { crate::core::i18n::Lang::Zh => zh.clone(), crate::core::i18n::Lang::En => en.clone() }}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
                <a href="/projects/allocation" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
            </form>
        })}
        {(over > 0).then(|| view! {
            <div class="alert alert-error" role="alert" data-testid="over-allocated">
                {move || i18n.lang().tf(K::ProjectsExecOverAllocatedCount, &[("n", over.to_string())])}
            </div>
        })}
        {(under > 0).then(|| view! {
            <p class="muted">{move || i18n.lang().tf(K::ProjectsExecUnderAllocatedCount, &[("n", under.to_string())])}</p>
        })}
        {if v.rows.is_empty() {
            view! { <Empty label=K::ProjectsExecNoAllocation/> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data" data-testid="allocation">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsExecPerson)}</th>
                            <th>{i18n.t(K::FieldDepartment)}</th>
                            <th class="num">{i18n.t(K::ProjectsExecTotalAllocation)}</th>
                            <th>{i18n.t(K::ProjectsExecLoad)}</th>
                            <th>{i18n.t(K::ProjectsExecAssignments)}</th>
                        </tr></thead>
                        <tbody>
                            {v.rows.into_iter().map(|r| {
                                let p = r.person.clone();
                                let load = p.load();
                                let (zh, en) = (p.department_zh.clone(), p.department_en.clone());
                                let more = p.projects - r.assignments.len() as i64;
                                view! {
                                    <tr class=if load == Load::Over { "over" } else { "" } data-user=p.user_id>
                                        <td><a href=format!("/people/{}", p.user_id)>{p.name.clone()}</a></td>
                                        <td>{move || match i18n.lang() { crate::core::i18n::Lang::Zh => zh.clone(), crate::core::i18n::Lang::En => en.clone() }}</td>
                                        <td class="num">
                                            <span class="pct-bar" aria-hidden="true"><span style=format!("width:{}%", p.total_pct.min(100))></span></span>
                                            {format!("{}%", p.total_pct)}
                                        </td>
                                        <td><Badge tone=load.tone() label=load.key()/></td>
                                        <td>
                                            <ul class="assignments">
                                                {r.assignments.into_iter().map(|a| {
                                                    let st = ProjectStatus::parse(&a.status).unwrap_or(ProjectStatus::Initiating);
                                                    view! {
                                                        <li>
                                                            <a href=format!("/projects/{}", a.project_id)>{a.number.clone()}" "{a.name.clone()}</a>
                                                            <span class="muted">" · "{a.role.clone()}" · "</span>
                                                            <strong>{format!("{}%", a.allocation_pct)}</strong>" "
                                                            <Badge tone=st.tone() label=st.key()/>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                                {(more > 0).then(|| view! {
                                                    <li class="muted">{move || i18n.lang().tf(K::ProjectsExecMoreProjects, &[("n", more.to_string())])}</li>
                                                })}
                                            </ul>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// My open tasks on executing projects (all kinds: planned work, meeting
/// action items, rework), soonest due first; rendered in My work.
#[component]
pub fn MyProjectTasks() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| my_open_tasks());
    view! {
        <section class="card" data-testid="my-project-tasks">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(m) => {
                            let today = m.today;
                            let total = m.total;
                            let shown = m.tasks.len();
                            view! {
                                <h2>{i18n.t(K::ProjectsExecMyTasks)}" ("{total}")"</h2>
                                {if m.tasks.is_empty() {
                                    view! { <Empty label=K::ProjectsExecNoMyTasks/> }.into_any()
                                } else {
                                    view! {
                                        <ul class="inbox">
                                            {m.tasks.into_iter().map(|t| {
                                                let overdue = t.overdue(today);
                                                let kind = t.kind();
                                                view! {
                                                    <li class=if overdue { "overdue" } else { "" }>
                                                        <div class="inbox-main">
                                                            {(kind != TaskKind::Task).then(|| view! { <Badge tone=Tone::Neutral label=kind.key()/>" " })}
                                                            {overdue.then(|| view! { <Badge tone=Tone::Bad label=K::InboxOverdue/>" " })}
                                                            <a href=format!("/projects/{}/execution?task={}#progress-form", t.project_id, t.id)>{t.name.clone()}</a>
                                                            <span class="muted">" · "{t.project_number.clone()}" "{t.project_name.clone()}" · "
                                                                {move || i18n.get(K::InboxDue)}" "{t.planned_end.to_string()}" · "{format!("{}%", t.pct_done)}
                                                            </span>
                                                        </div>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                        {(total > shown as i64).then(|| view! {
                                            <p class="muted">{move || i18n.lang().tf(K::ProjectsExecMyTasksMore, &[("shown", shown.to_string()), ("total", total.to_string())])}</p>
                                        })}
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A warning listing the team members booked over 100 % across open projects
/// (2.4.2-d); nothing when none is. For the project's team section.
#[component]
pub fn TeamOverAllocation(project_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || project_id, team_loads);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let over: Vec<_> = data.await.unwrap_or_default().into_iter().filter(|m| Load::of(m.total_pct) == Load::Over).collect();
                (!over.is_empty()).then(|| {
                    let names = over.iter().map(|m| format!("{} {}%", m.name, m.total_pct)).collect::<Vec<_>>().join("、");
                    view! {
                        <div class="alert alert-warn" role="alert" data-testid="team-over-allocated">
                            {move || i18n.lang().tf(K::ProjectsExecTeamOverAllocated, &[("people", names.clone())])}
                            " "<a href="/projects/allocation">{i18n.t(K::NavAllocation)}</a>
                        </div>
                    }
                })
            })}
        </Suspense>
    }
}
