use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, DataTable, Empty, ErrorBox, Loading, SortHeader};
use crate::org::model::pick;
use crate::projects::initiation::api::{ProjectQuery, list_projects};
use crate::projects::initiation::model::{ProjectListView, percent_bp};
use crate::projects::model::{Health, ProjectStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/projects";

/// /projects: the projects the viewer may see, filtered in a GET form, sortable
/// by number or name, keyset paging.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        ProjectQuery {
            q: g("q"),
            status: g("status"),
            dept: g("dept"),
            health: g("health"),
            mine: g("mine"),
            sort: g("sort"),
            dir: g("dir"),
            after: g("after"),
        }
    };
    let data = Resource::new(query, list_projects);
    view! {
        <Suspense fallback=move || view! { <h1>{i18n.t(K::NavProjects)}</h1><Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>{i18n.t(K::NavProjects)}</h1><ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <ProjectList v=v q=query()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProjectList(v: ProjectListView, q: ProjectQuery) -> impl IntoView {
    let i18n = use_i18n();
    let ProjectListView { page, departments, can_create, can_see_dashboard } = v;
    let new_button = move || can_create.then(|| view! {
        <a class="btn btn-primary" href="/projects/new" data-testid="new-project">{i18n.t(K::ProjectsInitNew)}</a>
    });
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavProjects)}</h1>
            <div class="actions">
                {can_see_dashboard.then(|| view! {
                    <a class="btn" href="/projects/dashboard" data-testid="dashboard-link">{i18n.t(K::NavProjectDashboard)}</a>
                })}
                {new_button()}
            </div>
        </div>
        <form method="get" action=PATH class="filters" role="search">
            <label>{i18n.t(K::CommonSearch)}
                <input name="q" type="search" value=q.q.clone() placeholder=move || i18n.get(K::ProjectsInitSearchHint)/>
            </label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {ProjectStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=q.status == s.code()>{i18n.t(s.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::ProjectsRequestingDepartment)}
                <select name="dept">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {departments.into_iter().map(|d| {
                        let selected = q.dept == d.id.to_string();
                        view! { <option value=d.id selected=selected>{move || pick(i18n.lang(), &d.name_zh, &d.name_en)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::ProjectsInitHealth)}
                <select name="health">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {Health::ALL.into_iter().map(|h| view! {
                        <option value=h.code() selected=q.health == h.code()>{i18n.t(h.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="mine" value="1" checked=!q.mine.is_empty()/>
                " "{i18n.t(K::ProjectsInitMine)}
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href=PATH class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        {if page.total == 0 {
            view! {
                <div class="card" data-testid="projects-empty">
                    <Empty label=K::ProjectsInitEmpty/>
                    {new_button()}
                </div>
            }.into_any()
        } else {
            view! {
                <div data-testid="projects-table">
                    <DataTable path=PATH total=page.total next=page.next.clone()
                        head=view! {
                            <SortHeader label=K::ProjectsInitNumber name="number" path=PATH/>
                            <SortHeader label=K::ProjectsInitName name="name" path=PATH/>
                            <th>{i18n.t(K::FieldStatus)}</th>
                            <th>{i18n.t(K::ProjectsInitHealth)}</th>
                            <th>{i18n.t(K::ProjectsRequestingDepartment)}</th>
                            <th>{i18n.t(K::ProjectsManager)}</th>
                            <th>{i18n.t(K::ProjectsDates)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitComplete)}</th>
                        }.into_any()>
                        {page.rows.into_iter().map(|r| {
                            let status = r.status();
                            let health = Health::parse(&r.health).unwrap_or(Health::Green);
                            let shows_health = r.shows_health();
                            let (zh, en) = (r.department_zh.clone(), r.department_en.clone());
                            view! {
                                <tr data-testid=format!("project-{}", r.id)>
                                    <td><a href=format!("/projects/{}", r.id)>{r.number.clone()}</a></td>
                                    <td><a href=format!("/projects/{}", r.id)>{r.name.clone()}</a></td>
                                    <td><Badge tone=status.tone() label=status.key()/></td>
                                    <td>{shows_health.then(|| view! { <Badge tone=health.tone() label=health.key()/> })}</td>
                                    <td>{move || pick(i18n.lang(), &zh, &en)}</td>
                                    <td>{r.manager_name.clone()}</td>
                                    <td>{format!("{} – {}", r.start_date, r.end_date)}</td>
                                    <td class="num">{percent_bp(r.complete_bp)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                </div>
            }.into_any()
        }}
    }
}
