use crate::audit::pages::History;
use crate::core::error::AppError;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::perm::Role;
use crate::core::ui::{Badge, ConfirmAction, DataTable, ErrorBox, FieldMsg, FormError, Loading, SortHeader, Tone, action_error, echoed};
use crate::org::api::*;
use crate::org::model::Employee;
use crate::use_me;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_badge(active: bool) -> impl IntoView {
    if active { view! { <Badge tone=Tone::Good label=K::StatusActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::StatusInactive/> } }
}

/// The employee list with filters, sorting, paging and CSV export.
#[component]
pub fn EmployeesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        EmployeeQuery { q: g("q"), department: g("department"), role: g("role"), status: g("status"), sort: g("sort"), dir: g("dir"), after: g("after") }
    };
    let data = Resource::new(query, list_employees);
    let depts = Resource::new(|| (), |_| list_departments());
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavUsers)}</h1>
            <a class="btn btn-primary" href="/admin/users/new">{i18n.t(K::OrgNewEmployee)}</a>
        </div>
        <form method="get" action="/admin/users" class="filters" role="search">
            <label>{i18n.t(K::CommonSearch)}<input name="q" type="search" value=move || query().q/></label>
            <label>{i18n.t(K::FieldDepartment)}
                <select name="department">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    <Suspense fallback=|| ()>
                        {move || depts.get().and_then(|r| r.ok()).map(|ds| ds.into_iter().map(|d| {
                            let sel = query().department == d.id.to_string();
                            let dd = d.clone();
                            view! { <option value=d.id selected=sel>{move || dd.name(i18n.lang())}</option> }
                        }).collect_view())}
                    </Suspense>
                </select>
            </label>
            <label>{i18n.t(K::FieldRole)}
                <select name="role">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.code() selected=move || query().role == r.code()>{i18n.t(r.key())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    <option value="active" selected=move || query().status == "active">{i18n.t(K::StatusActive)}</option>
                    <option value="inactive" selected=move || query().status == "inactive">{i18n.t(K::StatusInactive)}</option>
                </select>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href="/admin/users" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(page) => view! {
                        <DataTable path="/admin/users" total=page.total next=page.next.clone() export="/export/employees.csv"
                            head=view! {
                                <SortHeader label=K::FieldDisplayName name="name" path="/admin/users"/>
                                <SortHeader label=K::FieldUsername name="username" path="/admin/users"/>
                                <SortHeader label=K::FieldDepartment name="department" path="/admin/users"/>
                                <th>{i18n.t(K::FieldPosition)}</th>
                                <SortHeader label=K::FieldRole name="role" path="/admin/users"/>
                                <th>{i18n.t(K::FieldStatus)}</th>
                            }.into_any()>
                            {page.rows.into_iter().map(|e| {
                                let e2 = e.clone();
                                let role = e.role();
                                view! {
                                    <tr>
                                        <td><a href=format!("/people/{}", e.id)>{e.display_name.clone()}</a></td>
                                        <td>{e.username.clone()}</td>
                                        <td>{move || e2.department(i18n.lang())}</td>
                                        <td>{let e3 = e.clone(); move || e3.position(i18n.lang())}</td>
                                        <td>{i18n.t(role.key())}</td>
                                        <td>{status_badge(e.active)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One employee's page: details, admin actions, history.
#[component]
pub fn PersonPage() -> impl IntoView {
    let _i18n = use_i18n();
    let me = use_me();
    let toggle = ServerAction::<SetEmployeeActive>::new();
    let toggle_err = action_error(toggle);
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(move || (id(), toggle.version().get()), |(id, _)| get_employee(id));
    view! {
        <FormError error=toggle_err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let is_admin = me.0.await.ok().flatten().is_some_and(|u| u.role == Role::Admin);
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(e) => view! { <PersonView e=e is_admin=is_admin toggle=toggle/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonView(e: Employee, is_admin: bool, toggle: ServerAction<SetEmployeeActive>) -> impl IntoView {
    let i18n = use_i18n();
    let role = e.role();
    let (d, p) = (e.clone(), e.clone());
    let id = e.id;
    view! {
        <div class="page-head">
            <h1>{e.display_name.clone()}" "{status_badge(e.active)}</h1>
            {is_admin.then(|| view! {
                <div class="actions">
                    <a class="btn" href=format!("/admin/users/{id}/edit")>{i18n.t(K::CommonEdit)}</a>
                    <ConfirmAction
                        label=if e.active { K::OrgDeactivate } else { K::OrgReactivate }
                        question=if e.active { K::OrgDeactivateQuestion } else { K::OrgReactivateQuestion }
                        danger=e.active
                    >
                        <ActionForm action=toggle>
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=e.version/>
                            <input type="hidden" name="active" value=if e.active { "false" } else { "true" }/>
                            <button type="submit" class=if e.active { "btn btn-danger" } else { "btn btn-primary" }>{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                </div>
            })}
        </div>
        <dl class="card kv">
            <dt>{i18n.t(K::FieldUsername)}</dt><dd>{e.username.clone()}</dd>
            <dt>{i18n.t(K::FieldDepartment)}</dt><dd>{move || d.department(i18n.lang())}</dd>
            <dt>{i18n.t(K::FieldPosition)}</dt><dd>{move || p.position(i18n.lang())}</dd>
            <dt>{i18n.t(K::FieldSupervisor)}</dt><dd>{e.supervisor_id.map(|s| view! { <a href=format!("/people/{s}")>{e.supervisor_name.clone()}</a> })}</dd>
            <dt>{i18n.t(K::FieldRole)}</dt><dd>{i18n.t(role.key())}</dd>
            <dt>{i18n.t(K::FieldEmail)}</dt><dd>{e.email.clone()}</dd>
            <dt>{i18n.t(K::FieldPhone)}</dt><dd>{e.phone.clone()}</dd>
            <dt>{i18n.t(K::FieldTimeZone)}</dt><dd>{e.time_zone.clone()}</dd>
        </dl>
        <History entity="user" id=id/>
    }
}

/// Create (/admin/users/new) or edit (/admin/users/:id/edit) an employee.
#[component]
pub fn EmployeeFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(id, |id| async move {
        let emp = match id {
            Some(id) => Some(get_employee(id).await?),
            None => None,
        };
        Ok::<_, AppError>((emp, list_departments().await?, list_positions().await?, people_options().await?))
    });
    view! {
        <h1>{move || i18n.get(if id().is_some() { K::OrgEditEmployee } else { K::OrgNewEmployee })}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((emp, depts, positions, people)) => view! { <EmployeeForm emp=emp depts=depts positions=positions people=people/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmployeeForm(
    emp: Option<Employee>,
    depts: Vec<crate::org::model::Department>,
    positions: Vec<crate::org::model::Position>,
    people: Vec<(i64, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveEmployee>::new();
    let err = action_error(save);
    let creating = emp.is_none();
    let e = emp.clone();
    // Starting values: the record, or what was just posted and refused (no JavaScript).
    let form_id = emp.as_ref().map(|e| e.id.to_string()).unwrap_or_default();
    let fid = form_id.clone();
    let start = move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default);
    let start2 = start.clone();
    let v = move |name: &str, f: fn(&Employee) -> String| start2(name, e.as_ref().map(f).unwrap_or_default());
    let num = |x: Option<i64>| x.map(|n| n.to_string()).unwrap_or_default();
    let dept_sel = start("department_id", num(emp.as_ref().map(|e| e.department_id))).parse::<i64>().ok();
    let pos_sel = start("position_id", num(emp.as_ref().and_then(|e| e.position_id))).parse::<i64>().ok();
    let sup_sel = start("supervisor_id", num(emp.as_ref().and_then(|e| e.supervisor_id))).parse::<i64>().ok();
    let role_sel = Role::parse(&start("role", emp.as_ref().map(|e| e.role.clone()).unwrap_or_else(|| "staff".into()))).unwrap_or(Role::Staff);
    let lang_sel = start("language", emp.as_ref().map(|e| e.language.clone()).unwrap_or_else(|| "zh".into()));
    let tz_sel = start("time_zone", emp.as_ref().map(|e| e.time_zone.clone()).unwrap_or_else(|| "Asia/Shanghai".into()));
    let self_id = emp.as_ref().map(|e| e.id);
    view! {
        <FormError error=err/>
        <ActionForm action=save attr:class="form card" attr:data-testid="employee-form">
            <input type="hidden" name="id" value=emp.as_ref().map(|e| e.id.to_string()).unwrap_or_default()/>
            <input type="hidden" name="version" value=emp.as_ref().map(|e| e.version.to_string()).unwrap_or_default()/>
            <label for="username">{i18n.t(K::FieldUsername)}</label>
            <input id="username" name="input[username]" value=v("username", |e| e.username.clone()) required autocomplete="off"/>
            <p class="hint">{i18n.t(K::ValUsername)}</p>
            <FieldMsg error=err field="username"/>
            <label for="display_name">{i18n.t(K::FieldDisplayName)}</label>
            <input id="display_name" name="input[display_name]" value=v("display_name", |e| e.display_name.clone()) required maxlength="50"/>
            <FieldMsg error=err field="display_name"/>
            <label for="email">{i18n.t(K::FieldEmail)}</label>
            <input id="email" name="input[email]" type="email" value=v("email", |e| e.email.clone())/>
            <FieldMsg error=err field="email"/>
            <label for="phone">{i18n.t(K::FieldPhone)}</label>
            <input id="phone" name="input[phone]" type="tel" value=v("phone", |e| e.phone.clone())/>
            <FieldMsg error=err field="phone"/>
            <label for="department_id">{i18n.t(K::FieldDepartment)}</label>
            <select id="department_id" name="input[department_id]" required>
                <option value="">{i18n.t(K::CommonChoose)}</option>
                {depts.into_iter().filter(|d| d.active || Some(d.id) == dept_sel).map(|d| {
                    let dd = d.clone();
                    view! { <option value=d.id selected=Some(d.id) == dept_sel>{move || dd.name(i18n.lang())}</option> }
                }).collect_view()}
            </select>
            <FieldMsg error=err field="department_id"/>
            <label for="position_id">{i18n.t(K::FieldPosition)}</label>
            <select id="position_id" name="input[position_id]">
                <option value="">{i18n.t(K::CommonNone)}</option>
                {positions.into_iter().filter(|p| p.active || Some(p.id) == pos_sel).map(|p| {
                    let pp = p.clone();
                    view! { <option value=p.id selected=Some(p.id) == pos_sel>{move || pp.name(i18n.lang())}</option> }
                }).collect_view()}
            </select>
            <FieldMsg error=err field="position_id"/>
            <label for="supervisor_id">{i18n.t(K::FieldSupervisor)}</label>
            <select id="supervisor_id" name="input[supervisor_id]">
                <option value="">{i18n.t(K::CommonNone)}</option>
                {people.into_iter().filter(|(id, _)| Some(*id) != self_id).map(|(id, name)| view! {
                    <option value=id selected=Some(id) == sup_sel>{name}</option>
                }).collect_view()}
            </select>
            <FieldMsg error=err field="supervisor_id"/>
            <label for="role">{i18n.t(K::FieldRole)}</label>
            <select id="role" name="input[role]">
                {Role::ALL.into_iter().map(|r| view! { <option value=r.code() selected=r == role_sel>{i18n.t(r.key())}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="role"/>
            <label for="language">{i18n.t(K::FieldLanguage)}</label>
            <select id="language" name="input[language]">
                <option value="zh" selected=lang_sel == "zh">{Lang::Zh.name()}</option>
                <option value="en" selected=lang_sel == "en">{Lang::En.name()}</option>
            </select>
            <label for="time_zone">{i18n.t(K::FieldTimeZone)}</label>
            <select id="time_zone" name="input[time_zone]">
                {crate::core::time::ZONES.iter().map(|z| view! { <option value=*z selected=*z == tz_sel>{*z}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="time_zone"/>
            <label for="password">{i18n.t(if creating { K::FieldPassword } else { K::OrgResetPassword })}</label>
            <input id="password" name="input[password]" type="password" autocomplete="new-password" required=creating/>
            <p class="hint">{i18n.t(K::ValPasswordHint)}</p>
            <FieldMsg error=err field="password"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{i18n.t(K::CommonSave)}</button>
                <a class="btn btn-link" href="/admin/users">{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}
