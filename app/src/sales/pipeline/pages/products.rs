use super::money_input;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, DataTable, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::sales::pipeline::api::*;
use crate::sales::pipeline::model::Product;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_badge(active: bool) -> impl IntoView {
    if active { view! { <Badge tone=Tone::Good label=K::StatusActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::StatusInactive/> } }
}

/// /sales/products: the catalogue everyone quotes from (2.2.2-b/c).
#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        ProductQuery { q: g("q"), status: g("status"), after: g("after") }
    };
    let data = Resource::new(query, list_products);
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavProducts)}</h1>
            <Suspense fallback=|| ()>
                {move || data.get().and_then(|r| r.ok()).filter(|l| l.can_edit).map(|_| view! {
                    <a class="btn btn-primary" href="/sales/products/new">{i18n.t(K::PipelineNewProduct)}</a>
                })}
            </Suspense>
        </div>
        <p class="hint">{i18n.t(K::PipelineCatalogueHint)}</p>
        <form method="get" action="/sales/products" class="filters" role="search">
            <label>{i18n.t(K::CommonSearch)}<input name="q" type="search" value=move || query().q/></label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    <option value="active" selected=move || query().status == "active">{i18n.t(K::StatusActive)}</option>
                    <option value="inactive" selected=move || query().status == "inactive">{i18n.t(K::StatusInactive)}</option>
                </select>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href="/sales/products" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => {
                        let can_edit = list.can_edit;
                        view! {
                            <DataTable path="/sales/products" total=list.page.total next=list.page.next.clone()
                                head=view! {
                                    <th>{i18n.t(K::FieldCode)}</th><th>{i18n.t(K::FieldName)}</th><th>{i18n.t(K::PipelineSpecification)}</th>
                                    <th>{i18n.t(K::PipelineUnit)}</th><th class="num">{i18n.t(K::PipelineListPrice)}</th>
                                    <th class="num">{i18n.t(K::PipelineDeliveryDays)}</th><th>{i18n.t(K::FieldStatus)}</th>
                                    {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                                }.into_any()>
                                {list.page.rows.into_iter().map(|p| {
                                    let name = p.clone();
                                    view! {
                                        <tr>
                                            <td><code>{p.code.clone()}</code></td>
                                            <td>{move || name.name(i18n.lang())}</td>
                                            <td class="pre">{p.specification.clone()}</td>
                                            <td>{p.unit.clone()}</td>
                                            <td class="num">{p.price().display()}</td>
                                            <td class="num">{p.delivery_days}</td>
                                            <td>{status_badge(p.active)}</td>
                                            {can_edit.then(|| view! { <td><a class="btn btn-small" href=format!("/sales/products/{}/edit", p.id)>{i18n.t(K::CommonEdit)}</a></td> })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// /sales/products/new and /sales/products/:id/edit (managers, executives, admins).
#[component]
pub fn ProductFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_product(id).await.map(Some),
            None => Ok::<_, AppError>(None),
        }
    });
    view! {
        <h1>{move || i18n.get(if id().is_some() { K::PipelineEditProduct } else { K::PipelineNewProduct })}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(p) => view! { <ProductForm p=p/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductForm(p: Option<Product>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProduct>::new();
    let err = action_error(save);
    let form_id = p.as_ref().map(|p| p.id.to_string()).unwrap_or_default();
    let fid = form_id.clone();
    let v = move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default);
    let pp = p.clone();
    let get = move |f: fn(&Product) -> String| pp.as_ref().map(f).unwrap_or_default();
    let active = p.as_ref().is_none_or(|p| p.active);
    view! {
        <FormError error=err/>
        <ActionForm action=save attr:class="form card" attr:data-testid="product-form">
            <input type="hidden" name="id" value=form_id.clone()/>
            <input type="hidden" name="version" value=p.as_ref().map(|p| p.version.to_string()).unwrap_or_default()/>
            <label for="code">{i18n.t(K::FieldCode)}</label>
            <input id="code" name="input[code]" value=v("code", get(|p| p.code.clone())) required maxlength="32"/>
            <FieldMsg error=err field="code"/>
            <label for="name_zh">{i18n.t(K::FieldNameZh)}</label>
            <input id="name_zh" name="input[name_zh]" value=v("name_zh", get(|p| p.name_zh.clone())) required maxlength="60"/>
            <FieldMsg error=err field="name_zh"/>
            <label for="name_en">{i18n.t(K::FieldNameEn)}</label>
            <input id="name_en" name="input[name_en]" value=v("name_en", get(|p| p.name_en.clone())) required maxlength="100"/>
            <FieldMsg error=err field="name_en"/>
            <label for="specification">{i18n.t(K::PipelineSpecification)}</label>
            <textarea id="specification" name="input[specification]" rows="3" maxlength="500">{v("specification", get(|p| p.specification.clone()))}</textarea>
            <FieldMsg error=err field="specification"/>
            <label for="unit">{i18n.t(K::PipelineUnit)}</label>
            <input id="unit" name="input[unit]" value=v("unit", get(|p| p.unit.clone())) maxlength="10"/>
            <FieldMsg error=err field="unit"/>
            <label for="list_price">{i18n.t(K::PipelineListPrice)}" (CNY)"</label>
            <input id="list_price" name="input[list_price]" inputmode="decimal" value=v("list_price", get(|p| money_input(p.list_price_minor))) required/>
            <FieldMsg error=err field="list_price"/>
            <label for="delivery_days">{i18n.t(K::PipelineDeliveryDays)}</label>
            <input id="delivery_days" name="input[delivery_days]" type="number" min="0" max="730" value=v("delivery_days", p.as_ref().map(|p| p.delivery_days.to_string()).unwrap_or_else(|| "30".into())) required/>
            <FieldMsg error=err field="delivery_days"/>
            {p.is_some().then(|| view! {
                <label class="check"><input type="checkbox" name="active" value="on" checked=active/>" "{i18n.t(K::StatusActive)}</label>
            })}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{i18n.t(K::CommonSave)}</button>
                <a class="btn btn-link" href="/sales/products">{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}
