use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{ErrorBox, FieldMsg, FormError, Loading, action_error, echoed};
use crate::sales::customers::api::{CustomerFormData, SaveCustomer, customer_form};
use crate::sales::customers::model::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// /sales/customers/new and /sales/customers/:id/edit.
#[component]
pub fn CustomerFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(id, customer_form);
    view! {
        <h1>{move || i18n.get(if id() > 0 { K::CustomerEditTitle } else { K::CustomerNewTitle })}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <CustomerForm data=d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The warning list of likely duplicates (2.2.1-a) with the "create anyway" box.
#[component]
fn DuplicateWarning(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let matches = error.get().map(|e| duplicates_of(&e)).unwrap_or_default();
        (!matches.is_empty()).then(|| view! {
            <div class="alert alert-warn" role="alert" data-testid="duplicates">
                <strong>{i18n.t(K::CustomerDupTitle)}</strong>
                <ul class="dup-list">
                    {matches.into_iter().map(|m| {
                        let reasons = m.reasons.clone();
                        view! {
                            <li>
                                {if m.visible {
                                    view! { <a href=format!("/sales/customers/{}", m.id) target="_blank">{m.name.clone()}</a> }.into_any()
                                } else {
                                    view! { <span>{m.name.clone()}</span> }.into_any()
                                }}
                                " · "<span class="muted">{move || i18n.lang().tf(K::CustomerDupOwner, &[("owner", m.owner_name.clone())])}</span>
                                " · "{move || reasons.iter().map(|r| i18n.get(r.key())).collect::<Vec<_>>().join(i18n.get(K::CustomerListSep))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <label class="check">
                    <input type="checkbox" name="confirm" value="true" data-testid="confirm-duplicate"/>
                    " "{i18n.t(K::CustomerDupConfirm)}
                </label>
            </div>
        })
    }
}

#[component]
fn CustomerForm(data: CustomerFormData) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCustomer>::new();
    let err = action_error(save);
    let other_err = Signal::derive(move || err.get().filter(|e| !only_duplicates(e)));
    let c = data.customer.clone();
    let form_id = c.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let fid = form_id.clone();
    let start = move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default);
    let v = {
        let start = start.clone();
        let c = c.clone();
        move |name: &str, f: fn(&Customer) -> String| start(name, c.as_ref().map(f).unwrap_or_default())
    };
    let size_sel = v("size", |c| c.size.clone());
    let channel_sel = v("source_channel", |c| c.source_channel.clone());
    let intent_sel = start("intent", c.as_ref().map(|c| c.intent.clone()).unwrap_or_else(|| "medium".into()));
    let status_sel = start("status", c.as_ref().map(|c| c.status.clone()).unwrap_or_else(|| "prospect".into()));
    let key_on = checkbox(&start("key_account", if c.as_ref().is_some_and(|c| c.key_account) { "on".into() } else { String::new() }));
    let owner_sel = start("owner_id", c.as_ref().map(|c| c.owner_id.to_string()).unwrap_or_default());
    let cancel_href = c.as_ref().map(|c| format!("/sales/customers/{}", c.id)).unwrap_or_else(|| "/sales/customers".into());
    let creating = c.is_none();
    view! {
        <FormError error=other_err/>
        <ActionForm action=save attr:class="form card customer-form" attr:data-testid="customer-form">
            <input type="hidden" name="id" value=form_id.clone()/>
            <input type="hidden" name="version" value=c.as_ref().map(|c| c.version.to_string()).unwrap_or_default()/>
            {creating.then(|| view! { <DuplicateWarning error=err/> })}
            <fieldset>
                <legend>{i18n.t(K::CustomerBasics)}</legend>
                <label for="name">{i18n.t(K::FieldName)}</label>
                <input id="name" name="input[name]" value=v("name", |c| c.name.clone()) required maxlength="100"/>
                <FieldMsg error=err field="name"/>
                <label for="tax_id">{i18n.t(K::FieldTaxId)}</label>
                <input id="tax_id" name="input[tax_id]" value=v("tax_id", |c| c.tax_id.clone()) maxlength="24" autocomplete="off"/>
                <p class="hint">{i18n.t(K::CustomerTaxIdHint)}</p>
                <FieldMsg error=err field="tax_id"/>
                <label for="phone">{i18n.t(K::FieldPhone)}</label>
                <input id="phone" name="input[phone]" type="tel" value=v("phone", |c| c.phone.clone())/>
                <FieldMsg error=err field="phone"/>
                <label for="industry">{i18n.t(K::FieldIndustry)}</label>
                <input id="industry" name="input[industry]" value=v("industry", |c| c.industry.clone()) maxlength="50"/>
                <FieldMsg error=err field="industry"/>
                <label for="region">{i18n.t(K::FieldRegion)}</label>
                <input id="region" name="input[region]" value=v("region", |c| c.region.clone()) maxlength="50"/>
                <FieldMsg error=err field="region"/>
                <label for="size">{i18n.t(K::FieldSize)}</label>
                <select id="size" name="input[size]">
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {CompanySize::ALL.iter().map(|s| view! { <option value=s.code() selected=size_sel == s.code()>{i18n.t(s.key())}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="size"/>
                <label for="address">{i18n.t(K::FieldAddress)}</label>
                <input id="address" name="input[address]" value=v("address", |c| c.address.clone()) maxlength="200"/>
                <FieldMsg error=err field="address"/>
            </fieldset>
            <fieldset>
                <legend>{i18n.t(K::CustomerSourceAndNeeds)}</legend>
                <label for="source_channel">{i18n.t(K::FieldSourceChannel)}</label>
                <select id="source_channel" name="input[source_channel]">
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {SourceChannel::ALL.iter().map(|s| view! { <option value=s.code() selected=channel_sel == s.code()>{i18n.t(s.key())}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="source_channel"/>
                <label for="source_detail">{i18n.t(K::FieldSourceDetail)}</label>
                <input id="source_detail" name="input[source_detail]" value=v("source_detail", |c| c.source_detail.clone()) maxlength="200"/>
                <p class="hint">{i18n.t(K::CustomerSourceDetailHint)}</p>
                <FieldMsg error=err field="source_detail"/>
                <label for="needs">{i18n.t(K::FieldNeeds)}</label>
                <textarea id="needs" name="input[needs]" rows="3" maxlength="2000">{v("needs", |c| c.needs.clone())}</textarea>
                <FieldMsg error=err field="needs"/>
                <label for="preferences">{i18n.t(K::FieldPreferences)}</label>
                <textarea id="preferences" name="input[preferences]" rows="3" maxlength="2000">{v("preferences", |c| c.preferences.clone())}</textarea>
                <FieldMsg error=err field="preferences"/>
                <label for="intent">{i18n.t(K::FieldIntent)}</label>
                <select id="intent" name="input[intent]">
                    {Intent::ALL.iter().map(|s| view! { <option value=s.code() selected=intent_sel == s.code()>{i18n.t(s.key())}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="intent"/>
            </fieldset>
            <fieldset>
                <legend>{i18n.t(K::CustomerAccount)}</legend>
                <label for="status">{i18n.t(K::FieldStatus)}</label>
                <select id="status" name="input[status]">
                    {CustomerStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=status_sel == s.code()>{i18n.t(s.key())}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="status"/>
                <label class="check">
                    <input type="checkbox" id="key_account" name="input[key_account]" value="on" checked=key_on/>
                    " "{i18n.t(K::FieldKeyAccount)}
                </label>
                {data.can_reassign.then(|| view! {
                    <label for="owner_id">{i18n.t(K::FieldOwnerName)}</label>
                    <select id="owner_id" name="input[owner_id]">
                        <option value="">{i18n.t(if creating { K::CustomerOwnerSelf } else { K::CustomerOwnerKeep })}</option>
                        {data.people.iter().map(|(id, name)| view! {
                            <option value=*id selected=owner_sel == id.to_string()>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <FieldMsg error=err field="owner_id"/>
                })}
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{i18n.t(K::CommonSave)}</button>
                <a class="btn btn-link" href=cancel_href>{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}
