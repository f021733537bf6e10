use super::{intent_badge, key_account_badge, status_badge, tz};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{DataTable, Empty, ErrorBox, Loading, SortHeader};
use crate::sales::customers::api::{CustomerQuery, list_customers};
use crate::sales::customers::model::{CustomerStatus, Intent};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/sales/customers";

/// /sales/customers: filters in a GET form, sortable by name or last change, keyset paging.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        CustomerQuery {
            q: g("q"),
            status: g("status"),
            intent: g("intent"),
            owner: g("owner"),
            key: g("key"),
            sort: g("sort"),
            dir: g("dir"),
            after: g("after"),
        }
    };
    let data = Resource::new(query, list_customers);
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavCustomers)}</h1>
            <a class="btn btn-primary" href="/sales/customers/new" data-testid="new-customer">{i18n.t(K::CustomerNew)}</a>
        </div>
        <form method="get" action=PATH class="filters" role="search">
            <label>{i18n.t(K::CommonSearch)}
                <input name="q" type="search" value=move || query().q placeholder=move || i18n.get(K::CustomerSearchHint)/>
            </label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {CustomerStatus::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=move || query().status == s.code()>{i18n.t(s.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::FieldIntent)}
                <select name="intent">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {Intent::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=move || query().intent == s.code()>{i18n.t(s.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::FieldOwnerName)}
                <select name="owner">
                    <option value="">{i18n.t(K::CustomerOwnerAll)}</option>
                    <option value="me" selected=move || query().owner == "me">{i18n.t(K::CustomerOwnerMe)}</option>
                </select>
            </label>
            <label class="check">
                <span>{i18n.t(K::CustomerKeyAccounts)}</span>
                <input type="checkbox" name="key" value="1" checked=move || query().key == "1"/>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href=PATH class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(page) if page.total == 0 => view! {
                        <div class="card" data-testid="customers-empty">
                            <Empty label=K::CustomerEmpty/>
                            <a class="btn btn-primary" href="/sales/customers/new">{i18n.t(K::CustomerNew)}</a>
                        </div>
                    }.into_any(),
                    Ok(page) => {
                        let tz = tz();
                        view! {
                            <DataTable path=PATH total=page.total next=page.next.clone()
                                head=view! {
                                    <SortHeader label=K::FieldName name="name" path=PATH/>
                                    <th>{i18n.t(K::FieldTaxId)}</th>
                                    <th>{i18n.t(K::FieldPhone)}</th>
                                    <th>{i18n.t(K::FieldIndustry)}</th>
                                    <th>{i18n.t(K::FieldRegion)}</th>
                                    <th>{i18n.t(K::FieldStatus)}</th>
                                    <th>{i18n.t(K::FieldIntent)}</th>
                                    <th>{i18n.t(K::FieldOwnerName)}</th>
                                    <SortHeader label=K::CustomerUpdated name="updated" path=PATH/>
                                }.into_any()>
                                {page.rows.into_iter().map(|c| view! {
                                    <tr>
                                        <td><a href=format!("/sales/customers/{}", c.id)>{c.name.clone()}</a>" "{key_account_badge(c.key_account)}</td>
                                        <td>{c.tax_id.clone()}</td>
                                        <td>{c.phone.clone()}</td>
                                        <td>{c.industry.clone()}</td>
                                        <td>{c.region.clone()}</td>
                                        <td>{status_badge(&c.status)}</td>
                                        <td>{intent_badge(&c.intent)}</td>
                                        <td>{c.owner_name.clone()}</td>
                                        <td>{crate::core::time::format_date_in(c.updated_at, &tz)}</td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
