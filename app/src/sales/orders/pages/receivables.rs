//! Receivables: ageing per customer and in total, the open list, one
//! receivable with its payments and the "record payment" form.
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, action_error, echoed};
use crate::sales::orders::api::*;
use crate::sales::orders::model::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).display()
}

/// The ageing table: totals (one row per currency), then the top customers.
#[component]
pub fn AgeingTable(ageing: Ageing) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |label: String, r: &AgeingRow, total: bool| {
        let cells = r.amounts().map(|m| money(m, &r.currency));
        view! {
            <tr class=if total { "total" } else { "" }>
                <th scope="row">{label}</th>
                {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                <td class="num"><strong>{money(r.total, &r.currency)}</strong></td>
            </tr>
        }
    };
    let empty = ageing.totals.is_empty();
    view! {
        <section class="card" data-testid="ageing">
            <h2>{i18n.t(K::RecvAgeing)}</h2>
            <p class="hint">{move || i18n.lang().tf(K::RecvAgeingAsOf, &[("date", ageing.today.to_string())])}</p>
            {if empty {
                view! { <Empty label=K::RecvNone/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data ageing">
                            <thead><tr>
                                <th>{i18n.t(K::OrdersCustomer)}</th>
                                {Bucket::ALL.into_iter().map(|b| view! { <th class="num">{i18n.t(b.key())}</th> }).collect_view()}
                                <th class="num">{i18n.t(K::RecvOutstanding)}</th>
                            </tr></thead>
                            <tbody>
                                {ageing.totals.iter().map(|r| {
                                    let label = format!("{} ({})", i18n.get(K::RecvTotal), r.currency);
                                    row(label, r, true)
                                }).collect_view()}
                                {ageing.customers.iter().map(|r| row(r.customer_name.clone(), r, false)).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// /sales/receivables
#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        ReceivableQuery { q: g("q"), bucket: g("bucket"), after: g("after") }
    };
    let data = Resource::new(query, list_receivables);
    view! {
        <h1>{i18n.t(K::NavReceivables)}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => {
                        let today = v.ageing.today;
                        view! {
                            <AgeingTable ageing=v.ageing.clone()/>
                            <form method="get" action="/sales/receivables" class="filters" role="search">
                                <label>{i18n.t(K::RecvSearchCustomer)}<input name="q" type="search" value=move || query().q/></label>
                                <label>{i18n.t(K::RecvBucket)}
                                    <select name="bucket">
                                        <option value="">{i18n.t(K::CommonAll)}</option>
                                        {Bucket::ALL.into_iter().map(|b| view! {
                                            <option value=b.code() selected=move || query().bucket == b.code()>{i18n.t(b.key())}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
                                <a href="/sales/receivables" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
                            </form>
                            <DataTable path="/sales/receivables" total=v.page.total next=v.page.next.clone()
                                head=view! {
                                    <th>{i18n.t(K::OrdersCustomer)}</th>
                                    <th>{i18n.t(K::OrdersContract)}</th>
                                    <th>{i18n.t(K::RecvDueDate)}</th>
                                    <th class="num">{i18n.t(K::RecvAmount)}</th>
                                    <th class="num">{i18n.t(K::RecvPaid)}</th>
                                    <th class="num">{i18n.t(K::RecvOutstanding)}</th>
                                    <th>{i18n.t(K::RecvBucket)}</th>
                                }.into_any()>
                                {v.page.rows.into_iter().map(|r| {
                                    let b = bucket(r.due_date, today);
                                    view! {
                                        <tr>
                                            <td><a href=format!("/sales/receivables/{}", r.id)>{r.customer_name.clone()}</a></td>
                                            <td>{format!("{} / {}", r.contract_number, r.seq)}</td>
                                            <td>{r.due_date.to_string()}</td>
                                            <td class="num">{money(r.amount_minor, &r.currency)}</td>
                                            <td class="num">{money(r.paid_minor, &r.currency)}</td>
                                            <td class="num">{money(r.outstanding(), &r.currency)}</td>
                                            <td><Badge tone=b.tone() label=b.key()/></td>
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

/// /sales/receivables/:id
#[component]
pub fn ReceivableDetailPage() -> impl IntoView {
    let pay = ServerAction::<RecordPayment>::new();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(move || (id(), pay.version().get()), |(id, _)| get_receivable(id));
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <ReceivableView d=d pay=pay/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReceivableView(d: ReceivableDetail, pay: ServerAction<RecordPayment>) -> impl IntoView {
    let i18n = use_i18n();
    let r = d.receivable.clone();
    let b = bucket(r.due_date, d.today);
    let open = r.status == "open";
    let cur = r.currency.clone();
    let status_key = if open { K::RecvStatusOpen } else if r.status == "paid" { K::RecvStatusPaid } else { K::RecvStatusCancelled };
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::RecvReceivable)}" "{r.customer_name.clone()}" "
                <span data-testid="receivable-status"><Badge tone=if open { b.tone() } else { crate::core::ui::Tone::Good } label=status_key/></span>
            </h1>
            <a class="btn btn-link" href="/sales/receivables">{i18n.t(K::NavReceivables)}</a>
        </div>
        <dl class="card kv">
            <dt>{i18n.t(K::OrdersContract)}</dt><dd>{format!("{} / {}", r.contract_number, r.seq)}</dd>
            <dt>{i18n.t(K::RecvDueDate)}</dt><dd>{r.due_date.to_string()}" "{open.then(|| view! { <Badge tone=b.tone() label=b.key()/> })}</dd>
            <dt>{i18n.t(K::RecvAmount)}</dt><dd>{money(r.amount_minor, &cur)}</dd>
            <dt>{i18n.t(K::RecvPaid)}</dt><dd>{money(r.paid_minor, &cur)}</dd>
            <dt>{i18n.t(K::RecvOutstanding)}</dt><dd data-testid="outstanding">{money(r.outstanding(), &cur)}</dd>
        </dl>
        {(open && d.can_pay).then(|| view! { <PaymentForm r=r.clone() today=d.today pay=pay/> })}
        <section class="card">
            <h2>{i18n.t(K::RecvPayments)}</h2>
            {if d.payments.is_empty() {
                view! { <Empty label=K::RecvNoPayments/> }.into_any()
            } else {
                view! {
                    <table class="data" data-testid="payments">
                        <thead><tr>
                            <th>{i18n.t(K::RecvPaidOn)}</th>
                            <th class="num">{i18n.t(K::RecvAmount)}</th>
                            <th>{i18n.t(K::RecvMethod)}</th>
                            <th>{i18n.t(K::RecvReference)}</th>
                            <th>{i18n.t(K::RecvRecordedBy)}</th>
                        </tr></thead>
                        <tbody>
                            {d.payments.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.paid_on.to_string()}</td>
                                    <td class="num">{money(p.amount_minor, &cur)}</td>
                                    <td>{i18n.t(method_key(&p.method))}</td>
                                    <td>{p.reference.clone()}</td>
                                    <td>{p.created_by_name.clone().unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn PaymentForm(r: Receivable, today: chrono::NaiveDate, pay: ServerAction<RecordPayment>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(pay);
    let fid = r.id.to_string();
    let method = echoed(Some(&fid), "method", "bank_transfer");
    view! {
        <section class="card">
            <h2>{i18n.t(K::RecvRecordPayment)}</h2>
            <FormError error=err/>
            <ActionForm action=pay attr:class="form" attr:data-testid="payment-form">
                <input type="hidden" name="id" value=r.id/>
                <input type="hidden" name="version" value=r.version/>
                <label for="paid_on">{i18n.t(K::RecvPaidOn)}</label>
                <input id="paid_on" name="paid_on" type="date" value=echoed(Some(&fid), "paid_on", today.to_string()) required/>
                <FieldMsg error=err field="paid_on"/>
                <label for="amount">{i18n.t(K::RecvAmount)}" ("{r.currency.clone()}")"</label>
                <input id="amount" name="amount" inputmode="decimal" value=echoed(Some(&fid), "amount", "") required/>
                <p class="hint">{move || i18n.lang().tf(K::RecvAmountHint, &[("max", money(r.outstanding(), &r.currency))])}</p>
                <FieldMsg error=err field="amount"/>
                <label for="method">{i18n.t(K::RecvMethod)}</label>
                <select id="method" name="method">
                    {PAYMENT_METHODS.into_iter().map(|m| view! { <option value=m selected=m == method>{i18n.t(method_key(m))}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="method"/>
                <label for="reference">{i18n.t(K::RecvReference)}</label>
                <input id="reference" name="reference" maxlength="100" value=echoed(Some(&fid), "reference", "")/>
                <FieldMsg error=err field="reference"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || pay.pending().get()>{i18n.t(K::RecvRecordPayment)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
