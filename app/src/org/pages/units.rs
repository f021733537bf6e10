use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error};
use crate::org::api::{SaveDepartment, SavePosition, list_departments, list_positions};
use crate::org::model::{Department, Position};
use leptos::prelude::*;

/// The code / Chinese name / English name fields shared by both forms.
#[component]
fn UnitFields(
    prefix: String,
    code: String,
    name_zh: String,
    name_en: String,
    #[prop(into)] err: Signal<Option<crate::core::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |f: &str| format!("{prefix}-{f}");
    view! {
        <label for=id("code")>{i18n.t(K::FieldCode)}</label>
        <input id=id("code") name="input[code]" value=code required maxlength="32"/>
        <FieldMsg error=err field="code"/>
        <label for=id("zh")>{i18n.t(K::FieldNameZh)}</label>
        <input id=id("zh") name="input[name_zh]" value=name_zh required maxlength="50"/>
        <FieldMsg error=err field="name_zh"/>
        <label for=id("en")>{i18n.t(K::FieldNameEn)}</label>
        <input id=id("en") name="input[name_en]" value=name_en required maxlength="80"/>
        <FieldMsg error=err field="name_en"/>
    }
}

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveDepartment>::new();
    let err = action_error(save);
    let data = Resource::new(move || save.version().get(), |_| list_departments());
    view! {
        <h1>{i18n.t(K::NavDepartments)}</h1>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr>
                                <th>{i18n.t(K::FieldCode)}</th><th>{i18n.t(K::FieldName)}</th><th>{i18n.t(K::OrgEmployees)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CommonActions)}</th>
                            </tr></thead>
                            <tbody>{rows.into_iter().map(|d| view! { <DepartmentRow d=d save=save/> }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <h2>{i18n.t(K::OrgNewDepartment)}</h2>
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="id" value=""/>
                <input type="hidden" name="version" value=""/>
                <UnitFields prefix="new-dept".into() code=String::new() name_zh=String::new() name_en=String::new() err=err/>
                <button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DepartmentRow(d: Department, save: ServerAction<SaveDepartment>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(save);
    let name = d.clone();
    view! {
        <tr>
            <td><code>{d.code.clone()}</code></td>
            <td>{move || name.name(i18n.lang())}</td>
            <td>{d.employees}</td>
            <td>{if d.active { view! { <Badge tone=Tone::Good label=K::StatusActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::StatusInactive/> } }}</td>
            <td>
                <details>
                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                    <ActionForm action=save attr:class="form">
                        <input type="hidden" name="id" value=d.id/>
                        <input type="hidden" name="version" value=d.version/>
                        <UnitFields prefix=format!("dept-{}", d.id) code=d.code.clone() name_zh=d.name_zh.clone() name_en=d.name_en.clone() err=err/>
                        <label class="check"><input type="checkbox" name="active" value="on" checked=d.active/>" "{i18n.t(K::StatusActive)}</label>
                        <FieldMsg error=err field="active"/>
                        <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                    </ActionForm>
                </details>
                <a class="btn btn-small btn-link" href=format!("/admin/audit?entity=department&record={}", d.id)>{i18n.t(K::AuditHistory)}</a>
            </td>
        </tr>
    }
}

#[component]
pub fn PositionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePosition>::new();
    let err = action_error(save);
    let data = Resource::new(move || save.version().get(), |_| async { Ok::<_, crate::core::error::AppError>((list_positions().await?, list_departments().await?)) });
    view! {
        <h1>{i18n.t(K::NavPositions)}</h1>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((rows, depts)) => {
                        let depts2 = depts.clone();
                        view! {
                            <div class="table-wrap"><table class="data">
                                <thead><tr>
                                    <th>{i18n.t(K::FieldCode)}</th><th>{i18n.t(K::FieldName)}</th><th>{i18n.t(K::FieldDepartment)}</th>
                                    <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CommonActions)}</th>
                                </tr></thead>
                                <tbody>{rows.into_iter().map(|p| view! { <PositionRow p=p depts=depts.clone() save=save/> }).collect_view()}</tbody>
                            </table></div>
                            <section class="card">
                                <h2>{i18n.t(K::OrgNewPosition)}</h2>
                                <ActionForm action=save attr:class="form">
                                    <input type="hidden" name="id" value=""/>
                                    <input type="hidden" name="version" value=""/>
                                    <UnitFields prefix="new-pos".into() code=String::new() name_zh=String::new() name_en=String::new() err=err/>
                                    <DeptSelect id="new-pos-dept".into() depts=depts2 selected=None/>
                                    <button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeptSelect(id: String, depts: Vec<Department>, selected: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id.clone()>{i18n.t(K::FieldDepartment)}</label>
        <select id=id name="department_id">
            <option value="">{i18n.t(K::CommonNone)}</option>
            {depts.into_iter().map(|d| {
                let sel = Some(d.id) == selected;
                let dd = d.clone();
                view! { <option value=d.id selected=sel>{move || dd.name(i18n.lang())}</option> }
            }).collect_view()}
        </select>
    }
}

#[component]
fn PositionRow(p: Position, depts: Vec<Department>, save: ServerAction<SavePosition>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(save);
    let dept = depts.iter().find(|d| Some(d.id) == p.department_id).cloned();
    let name = p.clone();
    view! {
        <tr>
            <td><code>{p.code.clone()}</code></td>
            <td>{move || name.name(i18n.lang())}</td>
            <td>{move || dept.as_ref().map(|d| d.name(i18n.lang())).unwrap_or_default()}</td>
            <td>{if p.active { view! { <Badge tone=Tone::Good label=K::StatusActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::StatusInactive/> } }}</td>
            <td>
                <details>
                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                    <ActionForm action=save attr:class="form">
                        <input type="hidden" name="id" value=p.id/>
                        <input type="hidden" name="version" value=p.version/>
                        <UnitFields prefix=format!("pos-{}", p.id) code=p.code.clone() name_zh=p.name_zh.clone() name_en=p.name_en.clone() err=err/>
                        <DeptSelect id=format!("pos-{}-dept", p.id) depts=depts selected=p.department_id/>
                        <label class="check"><input type="checkbox" name="active" value="on" checked=p.active/>" "{i18n.t(K::StatusActive)}</label>
                        <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                    </ActionForm>
                </details>
                <a class="btn btn-small btn-link" href=format!("/admin/audit?entity=position&record={}", p.id)>{i18n.t(K::AuditHistory)}</a>
            </td>
        </tr>
    }
}
