use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, SortHeader, action_error};
use crate::sales::contracts::api::*;
use crate::sales::contracts::model::ContractStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/sales/contracts";

/// /sales/contracts: filters (status, search, mine, waiting for me), keyset
/// paging, and drafting from a won opportunity.
#[component]
pub fn ContractsPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = move || {
        let q = q.get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        ContractQuery { q: g("q"), status: g("status"), mine: g("mine"), waiting: g("waiting"), sort: g("sort"), dir: g("dir"), after: g("after") }
    };
    let data = Resource::new(query, list_contracts);
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavContracts)}</h1>
        </div>
        <DraftForm/>
        <form method="get" action=PATH class="filters" role="search">
            <label>{i18n.t(K::CommonSearch)}
                <input name="q" type="search" value=move || query().q placeholder=move || i18n.get(K::ContractsSearchHint)/>
            </label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {ContractStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || query().status == s.code()>{i18n.t(s.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::ContractsWaiting)}
                <select name="waiting" data-testid="waiting-filter">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    <option value="sign" selected=move || query().waiting == "sign">{i18n.t(K::ContractsAwaitingMySignature)}</option>
                    <option value="review" selected=move || query().waiting == "review">{i18n.t(K::ContractsAwaitingMyReview)}</option>
                </select>
            </label>
            <label class="check-inline">
                <span>{i18n.t(K::ContractsMine)}</span>
                <input type="checkbox" name="mine" value="1" checked=move || query().mine == "1"/>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href=PATH class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) if list.page.rows.is_empty() => view! { <Empty label=K::ContractsNone/> }.into_any(),
                    Ok(list) => view! {
                        <DataTable path=PATH total=list.page.total next=list.page.next.clone()
                            head=view! {
                                <SortHeader label=K::ContractsNumber name="number" path=PATH/>
                                <SortHeader label=K::ContractsTitle name="title" path=PATH/>
                                <th>{i18n.t(K::ContractsCustomer)}</th>
                                <SortHeader label=K::ContractsAmount name="amount" path=PATH/>
                                <SortHeader label=K::FieldStatus name="status" path=PATH/>
                                <th>{i18n.t(K::ContractsRevision)}</th>
                                <th>{i18n.t(K::ContractsOwner)}</th>
                                <th>{i18n.t(K::ContractsDeliveryDate)}</th>
                            }.into_any()>
                            {list.page.rows.into_iter().map(|r| {
                                let s = r.status();
                                view! {
                                    <tr>
                                        <td><a href=format!("{PATH}/{}", r.id)>{r.number.clone()}</a></td>
                                        <td>{r.title.clone()}</td>
                                        <td>{r.customer_name.clone()}</td>
                                        <td class="num">{Money::new(r.amount_minor, &r.currency).display()}</td>
                                        <td><Badge tone=s.tone() label=s.key()/></td>
                                        <td>{r.revision}</td>
                                        <td>{r.owner_name.clone()}</td>
                                        <td>{r.delivery_date.map(|d| d.to_string()).unwrap_or_default()}</td>
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

/// Draft a contract from one of my won opportunities (2.2.3-a). The opportunity
/// page posts the same server function.
#[component]
fn DraftForm() -> impl IntoView {
    let i18n = use_i18n();
    let draft = ServerAction::<DraftContract>::new();
    let err = action_error(draft);
    let opps = Resource::new(|| (), |_| draftable_opportunities());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match opps.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="card">
                            <h2>{i18n.t(K::ContractsDraftFromOpportunity)}</h2>
                            <FormError error=err/>
                            <ActionForm action=draft attr:class="filters" attr:data-testid="draft-form">
                                <label>{i18n.t(K::ContractsOpportunity)}
                                    <select name="opportunity_id" id="opportunity_id" required>
                                        {list.into_iter().map(|(id, title, customer)| view! {
                                            <option value=id>{format!("{title} · {customer}")}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="btn btn-primary">{i18n.t(K::ContractsDraft)}</button>
                            </ActionForm>
                            <FieldMsg error=err field="opportunity_id"/>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
