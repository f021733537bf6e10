use super::{intent_badge, key_account_badge, status_badge, visit_badge};
use crate::audit::pages::History;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, ConfirmAction, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::org::model::pick;
use crate::sales::customers::api::*;
use crate::sales::customers::model::*;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Reloads the page's data after `act` succeeds (with JavaScript; without it the
/// post is answered with a fresh page anyway).
fn refresh_on_success<I, O>(act: ServerAction<I>, refresh: RwSignal<usize>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
}

/// /sales/customers/:id: the customer, its contacts and visits, and what sales
/// has done with it (opportunities, contracts, orders, open receivables).
#[component]
pub fn CustomerPage() -> impl IntoView {
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let refresh = RwSignal::new(0usize);
    let data = Resource::new(move || (id(), refresh.get()), |(id, n)| async move { get_customer(id).await.map(|d| (n, d)) });
    // Each reload builds the page afresh (keyed by the reload count): updating it in
    // place would keep open disclosures and typed values in the forms, and Chromium
    // then draws a date field inside a reopened <details> with no size.
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((n, d)) => view! {
                        <For each=move || std::iter::once((n, d.clone())) key=|(n, _)| *n let((_, d))>
                            <CustomerView d=d refresh=refresh/>
                        </For>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).display()
}

#[component]
fn CustomerView(d: CustomerDetail, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let c = d.customer.clone();
    let id = c.id;
    let can_edit = d.can_edit;
    let today = d.today;
    let size = CompanySize::parse(&c.size);
    let channel = SourceChannel::parse(&c.source_channel);
    let contacts = d.contacts.clone();
    let plan_contacts: Vec<(i64, String)> = d.contacts.iter().map(|ct| (ct.id, ct.name.clone())).collect();
    view! {
        <div class="page-head">
            <h1>{c.name.clone()}" "{status_badge(&c.status)}" "{key_account_badge(c.key_account)}</h1>
            <div class="actions">
                {can_edit.then(|| view! { <a class="btn" href=format!("/sales/customers/{id}/edit")>{i18n.t(K::CommonEdit)}</a> })}
                <a class="btn btn-primary" href=format!("/sales/opportunities/new?customer={id}")>{i18n.t(K::CustomerNewOpportunity)}</a>
            </div>
        </div>
        <dl class="card kv" data-testid="customer-details">
            <dt>{i18n.t(K::FieldTaxId)}</dt><dd>{c.tax_id.clone()}</dd>
            <dt>{i18n.t(K::FieldPhone)}</dt><dd>{c.phone.clone()}</dd>
            <dt>{i18n.t(K::FieldIndustry)}</dt><dd>{c.industry.clone()}</dd>
            <dt>{i18n.t(K::FieldRegion)}</dt><dd>{c.region.clone()}</dd>
            <dt>{i18n.t(K::FieldSize)}</dt><dd>{size.map(|s| i18n.t(s.key()))}</dd>
            <dt>{i18n.t(K::FieldSourceChannel)}</dt>
            <dd>{channel.map(|s| i18n.t(s.key()))}{(!c.source_detail.is_empty()).then(|| format!(" · {}", c.source_detail))}</dd>
            <dt>{i18n.t(K::FieldIntent)}</dt><dd>{intent_badge(&c.intent)}</dd>
            <dt>{i18n.t(K::FieldOwnerName)}</dt><dd><a href=format!("/people/{}", c.owner_id)>{c.owner_name.clone()}</a></dd>
            <dt>{i18n.t(K::FieldAddress)}</dt><dd>{c.address.clone()}</dd>
            <dt>{i18n.t(K::FieldNeeds)}</dt><dd class="pre">{c.needs.clone()}</dd>
            <dt>{i18n.t(K::FieldPreferences)}</dt><dd class="pre">{c.preferences.clone()}</dd>
        </dl>

        <crate::risk::credit::pages::CustomerCreditCard customer_id=id/>

        <section class="card" id="contacts" data-testid="contacts">
            <h2>{i18n.t(K::ContactTitle)}</h2>
            {if contacts.is_empty() {
                view! { <Empty label=K::ContactEmpty/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::FieldName)}</th><th>{i18n.t(K::ContactJobTitle)}</th><th>{i18n.t(K::FieldPhone)}</th>
                            <th>{i18n.t(K::FieldEmail)}</th><th>{i18n.t(K::ContactBirthday)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {contacts.into_iter().map(|ct| {
                                let edit = ct.clone();
                                view! {
                                    <tr>
                                        <td>{ct.name.clone()}{ct.is_primary.then(|| view! { " "<Badge tone=Tone::Good label=K::ContactPrimary/> })}</td>
                                        <td>{ct.title.clone()}</td>
                                        <td>{ct.phone.clone()}</td>
                                        <td>{ct.email.clone()}</td>
                                        <td>{ct.birthday.map(|b| b.to_string())}</td>
                                        {can_edit.then(|| view! {
                                            <td>
                                                <details class="inline-form">
                                                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                                                    <ContactForm customer_id=id contact=Some(edit) refresh=refresh/>
                                                </details>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            {can_edit.then(|| view! {
                <details class="inline-form">
                    <summary class="btn" data-testid="add-contact">{i18n.t(K::ContactAdd)}</summary>
                    <ContactForm customer_id=id contact=None refresh=refresh/>
                </details>
            })}
        </section>

        <section class="card" id="visits" data-testid="visits">
            <h2>{i18n.t(K::VisitTitle)}</h2>
            {can_edit.then(|| view! {
                <details class="inline-form">
                    <summary class="btn" data-testid="plan-visit">{i18n.t(K::VisitPlan)}</summary>
                    <PlanVisitForm customer_id=id contacts=plan_contacts today=today refresh=refresh/>
                </details>
            })}
            {if d.visits.is_empty() {
                view! { <Empty label=K::VisitEmpty/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::VisitPlannedDate)}</th><th>{i18n.t(K::VisitPurpose)}</th><th>{i18n.t(K::VisitContact)}</th>
                            <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::VisitVisitedOn)}</th><th>{i18n.t(K::VisitOutcome)}</th>
                            <th>{i18n.t(K::VisitNextStep)}</th><th>{i18n.t(K::FieldOwnerName)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {d.visits.into_iter().map(|v| {
                                let overdue = v.overdue(today);
                                let planned = v.status() == VisitStatus::Planned;
                                let vr = v.clone();
                                view! {
                                    <tr class=if overdue { "overdue" } else { "" } data-testid=format!("visit-{}", v.id)>
                                        <td>{v.planned_date.to_string()}</td>
                                        <td>{v.purpose.clone()}</td>
                                        <td>{v.contact_name.clone()}</td>
                                        <td>{visit_badge(&v.status)}{overdue.then(|| view! { " "<Badge tone=Tone::Bad label=K::InboxOverdue/> })}</td>
                                        <td>{v.visited_on.map(|d| d.to_string())}</td>
                                        <td class="pre">{v.outcome.clone()}</td>
                                        <td>{v.next_step.clone()}</td>
                                        <td>{v.owner_name.clone()}</td>
                                        {can_edit.then(|| view! {
                                            <td>{planned.then(|| view! { <VisitActions visit=vr today=today refresh=refresh/> })}</td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>

        <section class="card" data-testid="opportunities">
            <h2>{i18n.t(K::CustomerOpportunities)}</h2>
            {if d.opportunities.is_empty() {
                view! { <Empty label=K::CustomerNoOpportunities/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::CustomerOppTitle)}</th><th>{i18n.t(K::CustomerOppStage)}</th>
                            <th>{i18n.t(K::CustomerAmount)}</th><th>{i18n.t(K::CustomerExpectedClose)}</th>
                        </tr></thead>
                        <tbody>
                            {d.opportunities.into_iter().map(|o| {
                                let stage = o.clone();
                                view! {
                                    <tr>
                                        <td><a href=format!("/sales/opportunities/{}", o.id)>{o.title.clone()}</a></td>
                                        <td>{move || pick(i18n.lang(), &stage.stage_zh, &stage.stage_en)}</td>
                                        <td class="num">{money(o.amount_minor, &o.currency)}</td>
                                        <td>{o.expected_close.to_string()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>

        <section class="card" data-testid="contracts">
            <h2>{i18n.t(K::CustomerContracts)}</h2>
            {if d.contracts.is_empty() {
                view! { <Empty label=K::CustomerNoContracts/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::CustomerNumber)}</th><th>{i18n.t(K::CustomerOppTitle)}</th>
                            <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CustomerAmount)}</th>
                        </tr></thead>
                        <tbody>
                            {d.contracts.into_iter().map(|k| view! {
                                <tr>
                                    <td><a href=format!("/sales/contracts/{}", k.id)>{k.number.clone()}</a></td>
                                    <td>{k.title.clone()}</td>
                                    <td>{match contract_status_key(&k.status) {
                                        Some(key) => view! { <Badge tone=if k.status == "signed" { Tone::Good } else { Tone::Neutral } label=key/> }.into_any(),
                                        None => view! { <span>{k.status.clone()}</span> }.into_any(),
                                    }}</td>
                                    <td class="num">{money(k.amount_minor, &k.currency)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>

        <section class="card" data-testid="orders">
            <h2>{i18n.t(K::CustomerOrders)}</h2>
            {if d.orders.is_empty() {
                view! { <Empty label=K::CustomerNoOrders/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::CustomerNumber)}</th><th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CustomerPlannedDelivery)}</th>
                        </tr></thead>
                        <tbody>
                            {d.orders.into_iter().map(|o| view! {
                                <tr>
                                    <td><a href=format!("/sales/orders/{}", o.id)>{o.number.clone()}</a></td>
                                    <td>{match order_status_key(&o.status) {
                                        Some(key) => view! { <Badge tone=Tone::Neutral label=key/> }.into_any(),
                                        None => view! { <span>{o.status.clone()}</span> }.into_any(),
                                    }}</td>
                                    <td>{o.planned_delivery_date.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>

        <section class="card" data-testid="receivables">
            <h2>{i18n.t(K::CustomerReceivables)}</h2>
            {if d.receivables.is_empty() {
                view! { <Empty label=K::CustomerNoReceivables/> }.into_any()
            } else {
                let total = money(d.outstanding_minor, &c.currency);
                view! {
                    <p><strong>{i18n.t(K::CustomerOutstanding)}": "</strong><span data-testid="outstanding">{total}</span></p>
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::CustomerContractNumber)}</th><th>{i18n.t(K::CustomerInstalment)}</th><th>{i18n.t(K::CustomerDueDate)}</th>
                            <th>{i18n.t(K::CustomerAmount)}</th><th>{i18n.t(K::CustomerPaid)}</th><th>{i18n.t(K::CustomerOutstanding)}</th>
                        </tr></thead>
                        <tbody>
                            {d.receivables.into_iter().map(|r| {
                                let late = r.due_date < today;
                                view! {
                                    <tr class=if late { "overdue" } else { "" }>
                                        <td><a href=format!("/sales/contracts/{}", r.contract_id)>{r.contract_number.clone()}</a></td>
                                        <td>{r.seq}</td>
                                        <td>{r.due_date.to_string()}{late.then(|| view! { " "<Badge tone=Tone::Bad label=K::InboxOverdue/> })}</td>
                                        <td class="num">{money(r.amount_minor, &r.currency)}</td>
                                        <td class="num">{money(r.paid_minor, &r.currency)}</td>
                                        <td class="num">{r.outstanding().display()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>

        <History entity="customer" id=id/>
    }
}

/// Adds (no `contact`) or edits a contact.
#[component]
fn ContactForm(customer_id: i64, contact: Option<Contact>, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveContact>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let fid = contact.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let cid = contact.as_ref().map(|c| c.id);
    let el = move |f: &str| match cid {
        Some(i) => format!("contact-{i}-{f}"),
        None => format!("contact-new-{f}"),
    };
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let c = contact.clone();
    let v = move |name: &str, f: fn(&Contact) -> String| start(name, c.as_ref().map(f).unwrap_or_default());
    let primary = checkbox(&v("is_primary", |c| if c.is_primary { "on".into() } else { String::new() }));
    view! {
        <FormError error=err/>
        <ActionForm action=act attr:class="form" attr:data-testid=format!("{}-form", el("c"))>
            <input type="hidden" name="customer_id" value=customer_id/>
            <input type="hidden" name="id" value=fid.clone()/>
            <input type="hidden" name="version" value=contact.as_ref().map(|c| c.version.to_string()).unwrap_or_default()/>
            <label for=el("name")>{i18n.t(K::FieldName)}</label>
            <input id=el("name") name="input[name]" value=v("name", |c| c.name.clone()) required maxlength="50"/>
            <FieldMsg error=err field="name"/>
            <label for=el("title")>{i18n.t(K::ContactJobTitle)}</label>
            <input id=el("title") name="input[title]" value=v("title", |c| c.title.clone()) maxlength="50"/>
            <FieldMsg error=err field="title"/>
            <label for=el("phone")>{i18n.t(K::FieldPhone)}</label>
            <input id=el("phone") name="input[phone]" type="tel" value=v("phone", |c| c.phone.clone())/>
            <FieldMsg error=err field="phone"/>
            <label for=el("email")>{i18n.t(K::FieldEmail)}</label>
            <input id=el("email") name="input[email]" type="email" value=v("email", |c| c.email.clone())/>
            <FieldMsg error=err field="email"/>
            <label for=el("birthday")>{i18n.t(K::ContactBirthday)}</label>
            <input id=el("birthday") name="input[birthday]" type="date" value=v("birthday", |c| c.birthday.map(|b| b.to_string()).unwrap_or_default())/>
            <FieldMsg error=err field="birthday"/>
            <label class="check">
                <input id=el("primary") type="checkbox" name="input[is_primary]" value="on" checked=primary/>
                " "{i18n.t(K::ContactPrimary)}
            </label>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}

/// Plans a visit (2.2.1-b).
#[component]
fn PlanVisitForm(customer_id: i64, contacts: Vec<(i64, String)>, today: NaiveDate, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<PlanVisit>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let start = |name: &str| echoed(None, &format!("input[{name}]"), "");
    let contact_sel = start("contact_id");
    view! {
        <FormError error=err/>
        <ActionForm action=act attr:class="form" attr:data-testid="plan-visit-form">
            <input type="hidden" name="customer_id" value=customer_id/>
            <label for="plan-date">{i18n.t(K::VisitPlannedDate)}</label>
            <input id="plan-date" name="input[planned_date]" type="date" min=today.to_string() value=start("planned_date") required/>
            <FieldMsg error=err field="planned_date"/>
            <label for="plan-purpose">{i18n.t(K::VisitPurpose)}</label>
            <input id="plan-purpose" name="input[purpose]" value=start("purpose") required maxlength="500"/>
            <FieldMsg error=err field="purpose"/>
            <label for="plan-contact">{i18n.t(K::VisitContact)}</label>
            <select id="plan-contact" name="input[contact_id]">
                <option value="">{i18n.t(K::CommonNone)}</option>
                {contacts.into_iter().map(|(id, name)| view! { <option value=id selected=contact_sel == id.to_string()>{name}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="contact_id"/>
            <p class="hint">{i18n.t(K::VisitPlanHint)}</p>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::VisitPlan)}</button>
            </div>
        </ActionForm>
    }
}

/// Record (outcome, next step) or cancel a planned visit; both close its task.
#[component]
fn VisitActions(visit: Visit, today: NaiveDate, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let rec = ServerAction::<RecordVisit>::new();
    let rec_err = action_error(rec);
    refresh_on_success(rec, refresh);
    let cancel = ServerAction::<CancelVisit>::new();
    let cancel_err = action_error(cancel);
    refresh_on_success(cancel, refresh);
    let fid = visit.id.to_string();
    let el = move |f: &str| format!("visit-{}-{f}", visit.id);
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let default_day = if visit.planned_date <= today { visit.planned_date } else { today };
    view! {
        <div class="actions">
            <details class="inline-form">
                <summary class="btn btn-small" data-testid=el("record")>{i18n.t(K::VisitRecord)}</summary>
                <FormError error=rec_err/>
                <ActionForm action=rec attr:class="form">
                    <input type="hidden" name="id" value=fid.clone()/>
                    <input type="hidden" name="version" value=visit.version/>
                    <label for=el("on")>{i18n.t(K::VisitVisitedOn)}</label>
                    <input id=el("on") name="input[visited_on]" type="date" max=today.to_string() value=start("visited_on", default_day.to_string()) required/>
                    <FieldMsg error=rec_err field="visited_on"/>
                    <label for=el("outcome")>{i18n.t(K::VisitOutcome)}</label>
                    <textarea id=el("outcome") name="input[outcome]" rows="3" required maxlength="2000">{start("outcome", String::new())}</textarea>
                    <FieldMsg error=rec_err field="outcome"/>
                    <label for=el("next")>{i18n.t(K::VisitNextStep)}</label>
                    <input id=el("next") name="input[next_step]" value=start("next_step", String::new()) maxlength="500"/>
                    <FieldMsg error=rec_err field="next_step"/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || rec.pending().get()>{i18n.t(K::CommonSave)}</button>
                    </div>
                </ActionForm>
            </details>
            <ConfirmAction label=K::VisitCancel question=K::VisitCancelQuestion danger=true>
                <FormError error=cancel_err/>
                <ActionForm action=cancel>
                    <input type="hidden" name="id" value=visit.id/>
                    <input type="hidden" name="version" value=visit.version/>
                    <button type="submit" class="btn btn-danger">{i18n.t(K::CommonConfirm)}</button>
                </ActionForm>
            </ConfirmAction>
        </div>
    }
}
