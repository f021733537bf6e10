use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{ErrorBox, FieldMsg, FormError, Loading, action_error, echoed};
use crate::org::model::pick;
use crate::projects::initiation::api::{SaveProject, project_form};
use crate::projects::initiation::model::*;
use crate::projects::model::Priority;
use crate::projects::pages::project_id;
use leptos::prelude::*;

/// /projects/new and /projects/:id/edit.
#[component]
pub fn ProjectFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || project_id().unwrap_or(0);
    let data = Resource::new(id, project_form);
    view! {
        <h1>{move || i18n.get(if id() > 0 { K::ProjectsInitEditTitle } else { K::ProjectsInitNewTitle })}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) if d.editable == Editable::Nothing => {
                        let back = d.project.as_ref().map(|p| format!("/projects/{}", p.id)).unwrap_or_else(|| "/projects".into());
                        view! {
                            <div class="alert alert-error" role="alert" data-testid="read-only">{i18n.t(K::ProjectsInitValReadOnly)}</div>
                            <a class="btn btn-link" href=back>{i18n.t(K::CommonCancel)}</a>
                        }.into_any()
                    }
                    Ok(d) => view! { <ProjectForm data=d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// People grouped by department in a `<select>`.
fn person_options(people: &[PersonOption], selected: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let mut groups: Vec<(String, String, Vec<PersonOption>)> = Vec::new();
    for p in people {
        match groups.last_mut() {
            Some(g) if g.0 == p.department_zh => g.2.push(p.clone()),
            _ => groups.push((p.department_zh.clone(), p.department_en.clone(), vec![p.clone()])),
        }
    }
    let selected = selected.to_string();
    groups
        .into_iter()
        .map(|(zh, en, ps)| {
            let selected = selected.clone();
            view! {
                <optgroup label=move || pick(i18n.lang(), &zh, &en)>
                    {ps.into_iter().map(|p| view! {
                        <option value=p.id selected=selected == p.id.to_string()>{p.display_name.clone()}</option>
                    }).collect_view()}
                </optgroup>
            }
        })
        .collect_view()
}

#[component]
fn ProjectForm(data: ProjectFormData) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProject>::new();
    let err = action_error(save);
    let p = data.project.clone();
    let text_only = data.editable == Editable::TextOnly;
    let base = p.as_ref().map(ProjectInput::from_project).unwrap_or_else(|| ProjectInput {
        priority: Priority::Medium.code().into(),
        requesting_department_id: if data.departments.len() == 1 { data.departments[0].id.to_string() } else { String::new() },
        ..ProjectInput::default()
    });
    let form_id = p.as_ref().map(|p| p.id.to_string()).unwrap_or_default();
    let fid = form_id.clone();
    let v = move |name: &str, default: &str| echoed(Some(&fid), &format!("input[{name}]"), default.to_string());
    let dept_sel = v("requesting_department_id", &base.requesting_department_id);
    let manager_sel = v("manager_id", &base.manager_id);
    let sponsor_sel = v("sponsor_id", &base.sponsor_id);
    let priority_sel = v("priority", &base.priority);
    let cancel_href = p.as_ref().map(|p| format!("/projects/{}", p.id)).unwrap_or_else(|| "/projects".into());
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=save attr:class="form card project-form" attr:data-testid="project-form">
            <input type="hidden" name="id" value=form_id.clone()/>
            <input type="hidden" name="version" value=p.as_ref().map(|p| p.version.to_string()).unwrap_or_default()/>
            {text_only.then(|| view! { <p class="alert alert-warn" data-testid="text-only">{i18n.t(K::ProjectsInitTextOnlyHint)}</p> })}
            <fieldset>
                <legend>{i18n.t(K::ProjectsInitBasics)}" "<span class="clause">"2.4.1-a"</span></legend>
                <label for="name">{i18n.t(K::ProjectsInitName)}</label>
                <input id="name" name="input[name]" value=v("name", &base.name) required maxlength="100"/>
                <FieldMsg error=err field="name"/>
                <label for="requesting_department_id">{i18n.t(K::ProjectsRequestingDepartment)}</label>
                <select id="requesting_department_id" name="input[requesting_department_id]" disabled=text_only required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {data.departments.iter().map(|d| {
                        let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                        view! { <option value=d.id selected=dept_sel == d.id.to_string()>{move || pick(i18n.lang(), &zh, &en)}</option> }
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="requesting_department_id"/>
                <label for="manager_id">{i18n.t(K::ProjectsManager)}</label>
                <select id="manager_id" name="input[manager_id]" disabled=text_only required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {person_options(&data.people, &manager_sel)}
                </select>
                <p class="hint">{i18n.t(K::ProjectsInitManagerHint)}</p>
                <FieldMsg error=err field="manager_id"/>
                <label for="sponsor_id">{i18n.t(K::ProjectsSponsor)}</label>
                <select id="sponsor_id" name="input[sponsor_id]" disabled=text_only required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {person_options(&data.leaders, &sponsor_sel)}
                </select>
                <p class="hint">{i18n.t(K::ProjectsInitSponsorHint)}</p>
                <FieldMsg error=err field="sponsor_id"/>
                <label for="priority">{i18n.t(K::ProjectsInitPriority)}</label>
                <select id="priority" name="input[priority]">
                    {Priority::ALL.into_iter().map(|x| view! { <option value=x.code() selected=priority_sel == x.code()>{i18n.t(x.key())}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="priority"/>
            </fieldset>
            <fieldset>
                <legend>{i18n.t(K::ProjectsInitObjectivesAndScope)}</legend>
                <label for="objectives">{i18n.t(K::ProjectsInitObjectives)}</label>
                <textarea id="objectives" name="input[objectives]" rows="3" required maxlength="4000">{v("objectives", &base.objectives)}</textarea>
                <FieldMsg error=err field="objectives"/>
                <label for="scope_in">{i18n.t(K::ProjectsInitScopeIn)}</label>
                <textarea id="scope_in" name="input[scope_in]" rows="3" maxlength="4000">{v("scope_in", &base.scope_in)}</textarea>
                <FieldMsg error=err field="scope_in"/>
                <label for="scope_out">{i18n.t(K::ProjectsInitScopeOut)}</label>
                <textarea id="scope_out" name="input[scope_out]" rows="2" maxlength="4000">{v("scope_out", &base.scope_out)}</textarea>
                <FieldMsg error=err field="scope_out"/>
            </fieldset>
            <fieldset>
                <legend>{i18n.t(K::ProjectsInitDatesAndBudget)}</legend>
                <label for="start_date">{i18n.t(K::ProjectsInitStart)}</label>
                <input id="start_date" name="input[start_date]" type="date" value=v("start_date", &base.start_date) disabled=text_only required/>
                <FieldMsg error=err field="start_date"/>
                <label for="end_date">{i18n.t(K::ProjectsInitEnd)}</label>
                <input id="end_date" name="input[end_date]" type="date" value=v("end_date", &base.end_date) disabled=text_only required/>
                <FieldMsg error=err field="end_date"/>
                <label for="budget">{i18n.t(K::ProjectsBudget)}</label>
                <input id="budget" name="input[budget]" inputmode="decimal" value=v("budget", &base.budget) disabled=text_only required/>
                <p class="hint">{i18n.t(K::ProjectsInitBudgetHint)}</p>
                <FieldMsg error=err field="budget"/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{i18n.t(K::CommonSave)}</button>
                <a class="btn btn-link" href=cancel_href>{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}
