//! Order pages: list, new order from a signed contract, and the order itself
//! (lines, status steps, customer updates, exceptions).
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, ConfirmAction, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::sales::orders::api::*;
use crate::sales::orders::model::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Status badge plus "late" when the planned delivery date has passed.
pub fn status_badges(o: &Order, today: chrono::NaiveDate) -> impl IntoView + use<> {
    let s = o.status();
    let late = o.is_late(today);
    view! {
        <Badge tone=s.tone() label=s.key()/>
        {late.then(|| view! { " " <span data-testid="late"><Badge tone=Tone::Bad label=K::OrdersLate/></span> })}
    }
}

/// On-time and in-full badges, once measured at delivery.
pub fn otif_badges(on_time: Option<bool>, in_full: Option<bool>) -> impl IntoView + use<> {
    let ot = on_time.map(|v| if v { view! { <Badge tone=Tone::Good label=K::OrdersOnTime/> } } else { view! { <Badge tone=Tone::Bad label=K::OrdersNotOnTime/> } });
    let inf = in_full.map(|v| if v { view! { <Badge tone=Tone::Good label=K::OrdersInFull/> } } else { view! { <Badge tone=Tone::Bad label=K::OrdersNotInFull/> } });
    view! { <span class="otif" data-testid="otif">{ot}" "{inf}</span> }
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// /sales/orders: filters in a GET form, keyset paging.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        OrderQuery { status: g("status"), q: g("q"), late: g("late"), mine: g("mine"), after: g("after") }
    };
    let data = Resource::new(query, list_orders);
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavOrders)}</h1>
            <a class="btn btn-primary" href="/sales/orders/new">{i18n.t(K::OrdersNew)}</a>
        </div>
        <form method="get" action="/sales/orders" class="filters" role="search">
            <label>{i18n.t(K::OrdersSearch)}<input name="q" type="search" value=move || query().q/></label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {OrderStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || query().status == s.code()>{i18n.t(s.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="check"><input type="checkbox" name="late" value="1" checked=move || !query().late.is_empty()/>{i18n.t(K::OrdersFilterLate)}</label>
            <label class="check"><input type="checkbox" name="mine" value="1" checked=move || !query().mine.is_empty()/>{i18n.t(K::OrdersFilterMine)}</label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href="/sales/orders" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(OrderPage { page, today }) => view! {
                        <DataTable path="/sales/orders" total=page.total next=page.next.clone()
                            head=view! {
                                <th>{i18n.t(K::OrdersNumber)}</th>
                                <th>{i18n.t(K::OrdersCustomer)}</th>
                                <th>{i18n.t(K::OrdersContract)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                                <th>{i18n.t(K::OrdersPlannedDelivery)}</th>
                                <th>{i18n.t(K::OrdersOwner)}</th>
                                <th>{i18n.t(K::OrdersOtif)}</th>
                            }.into_any()>
                            {page.rows.into_iter().map(|o| view! {
                                <tr>
                                    <td><a href=format!("/sales/orders/{}", o.id)>{o.number.clone()}</a></td>
                                    <td>{o.customer_name.clone()}</td>
                                    <td>{o.contract_number.clone()}</td>
                                    <td>{status_badges(&o, today)}</td>
                                    <td>{o.planned_delivery_date.to_string()}</td>
                                    <td>{o.owner_name.clone()}</td>
                                    <td>{otif_badges(o.on_time, o.in_full)}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// /sales/orders/new?contract=<id>: without a contract, the signed contracts to
/// choose from; with one, the order form prefilled from its lines.
#[component]
pub fn NewOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let contract = move || use_query_map().get().get("contract").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(contract, |c| async move {
        match c {
            Some(id) => order_contract(id).await.map(|c| (Some(c), vec![])),
            None => order_contracts().await.map(|l| (None, l)),
        }
    });
    view! {
        <h1>{i18n.t(K::OrdersNew)}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((Some(c), _)) => view! { <NewOrderForm c=c/> }.into_any(),
                    Ok((None, list)) if list.is_empty() => view! { <Empty label=K::OrdersNoSignedContracts/> }.into_any(),
                    Ok((None, list)) => view! {
                        <p class="hint">{i18n.t(K::OrdersChooseContract)}</p>
                        <div class="table-wrap">
                            <table class="data" data-testid="signed-contracts">
                                <thead><tr>
                                    <th>{i18n.t(K::OrdersContract)}</th>
                                    <th>{i18n.t(K::OrdersContractTitle)}</th>
                                    <th>{i18n.t(K::OrdersCustomer)}</th>
                                    <th>{i18n.t(K::OrdersPlannedDelivery)}</th>
                                    <th>{i18n.t(K::CommonActions)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|c| view! {
                                        <tr>
                                            <td>{c.number.clone()}</td>
                                            <td>{c.title.clone()}</td>
                                            <td>{c.customer_name.clone()}</td>
                                            <td>{date_text(c.delivery_date)}</td>
                                            <td><a class="btn btn-small" href=format!("/sales/orders/new?contract={}", c.id)>{i18n.t(K::OrdersCreateFromContract)}</a></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewOrderForm(c: ContractForOrder) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<CreateOrder>::new();
    let err = action_error(save);
    let default_date = c.contract.delivery_date.map(|d| d.to_string()).unwrap_or_default();
    let ship = echoed(None, "planned_ship_date", "");
    let delivery = echoed(None, "planned_delivery_date", default_date.clone());
    view! {
        <dl class="card kv">
            <dt>{i18n.t(K::OrdersContract)}</dt><dd>{c.contract.number.clone()}" · "{c.contract.title.clone()}</dd>
            <dt>{i18n.t(K::OrdersCustomer)}</dt><dd>{c.contract.customer_name.clone()}</dd>
        </dl>
        <FormError error=err/>
        <FieldMsg error=err field="contract_id"/>
        <ActionForm action=save attr:class="form card order-form" attr:data-testid="order-form">
            <input type="hidden" name="contract_id" value=c.contract.id/>
            <label for="planned_ship_date">{i18n.t(K::OrdersPlannedShip)}</label>
            <input id="planned_ship_date" name="planned_ship_date" type="date" value=ship/>
            <FieldMsg error=err field="planned_ship_date"/>
            <label for="planned_delivery_date">{i18n.t(K::OrdersPlannedDelivery)}</label>
            <input id="planned_delivery_date" name="planned_delivery_date" type="date" value=delivery required/>
            <FieldMsg error=err field="planned_delivery_date"/>
            <table class="data">
                <thead><tr>
                    <th>{i18n.t(K::OrdersLineDescription)}</th>
                    <th>{i18n.t(K::OrdersLineUnit)}</th>
                    <th>{i18n.t(K::OrdersLineQuantity)}</th>
                    <th>{i18n.t(K::OrdersLinePlannedDate)}</th>
                </tr></thead>
                <tbody>
                    {c.lines.into_iter().enumerate().map(|(i, l)| {
                        let name = format!("line_dates[{i}]");
                        let value = echoed(None, &name, default_date.clone());
                        view! {
                            <tr>
                                <td>{l.description.clone()}</td>
                                <td>{l.unit.clone()}</td>
                                <td>{l.quantity}</td>
                                <td><input type="date" name=name value=value aria-label=i18n.get(K::OrdersLinePlannedDate)/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <FieldMsg error=err field="line_dates"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{i18n.t(K::OrdersCreate)}</button>
                <a class="btn btn-link" href="/sales/orders">{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}

/// /sales/orders/:id
#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let step = ServerAction::<AdvanceOrder>::new();
    let update = ServerAction::<AddOrderUpdate>::new();
    let report = ServerAction::<ReportException>::new();
    let exc = ServerAction::<UpdateException>::new();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(
        move || (id(), step.version().get(), update.version().get(), report.version().get(), exc.version().get()),
        |(id, ..)| get_order(id),
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <OrderView d=d step=step update=update report=report exc=exc/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderView(
    d: OrderDetail,
    step: ServerAction<AdvanceOrder>,
    update: ServerAction<AddOrderUpdate>,
    report: ServerAction<ReportException>,
    exc: ServerAction<UpdateException>,
) -> impl IntoView {
    let i18n = use_i18n();
    let o = d.order.clone();
    let tz = d.time_zone.clone();
    let fmt = move |t: chrono::DateTime<chrono::Utc>| crate::core::time::format_in(t, &tz);
    let fmt2 = fmt.clone();
    let fmt3 = fmt.clone();
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::OrdersOrder)}" "{o.number.clone()}" "<span data-testid="order-status">{status_badges(&o, d.today)}</span>" "{otif_badges(o.on_time, o.in_full)}</h1>
            <a class="btn btn-link" href="/sales/orders">{i18n.t(K::NavOrders)}</a>
        </div>
        <dl class="card kv">
            <dt>{i18n.t(K::OrdersCustomer)}</dt><dd>{o.customer_name.clone()}</dd>
            <dt>{i18n.t(K::OrdersContract)}</dt><dd>{o.contract_number.clone()}</dd>
            <dt>{i18n.t(K::OrdersOwner)}</dt><dd>{o.owner_name.clone()}</dd>
            <dt>{i18n.t(K::OrdersPlannedShip)}</dt><dd>{date_text(o.planned_ship_date)}</dd>
            <dt>{i18n.t(K::OrdersActualShip)}</dt><dd>{date_text(o.actual_ship_date)}</dd>
            <dt>{i18n.t(K::OrdersPlannedDelivery)}</dt><dd>{o.planned_delivery_date.to_string()}</dd>
            <dt>{i18n.t(K::OrdersActualDelivery)}</dt><dd>{date_text(o.actual_delivery_date)}</dd>
            <dt>{i18n.t(K::OrdersLastUpdate)}</dt><dd>{o.last_customer_update_at.map(fmt.clone()).unwrap_or_else(|| "—".into())}</dd>
        </dl>
        <StepForm o=o.clone() lines=d.lines.clone() today=d.today step=step/>
        <section class="card">
            <h2>{i18n.t(K::OrdersLines)}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="order-lines">
                    <thead><tr>
                        <th>"#"</th>
                        <th>{i18n.t(K::OrdersLineDescription)}</th>
                        <th>{i18n.t(K::OrdersLineUnit)}</th>
                        <th>{i18n.t(K::OrdersLineQuantity)}</th>
                        <th>{i18n.t(K::OrdersLineDelivered)}</th>
                        <th>{i18n.t(K::OrdersLinePlannedDate)}</th>
                        <th>{i18n.t(K::OrdersLineActualDate)}</th>
                    </tr></thead>
                    <tbody>
                        {d.lines.iter().map(|l| view! {
                            <tr>
                                <td>{l.position}</td>
                                <td>{l.description.clone()}</td>
                                <td>{l.unit.clone()}</td>
                                <td>{l.quantity}</td>
                                <td>{l.delivered_quantity}</td>
                                <td>{l.planned_date.to_string()}</td>
                                <td>{date_text(l.actual_date)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" data-testid="exceptions">
            <h2>{i18n.t(K::OrdersExceptions)}" "<span class="clause">"2.2.4-c"</span></h2>
            <ReportExceptionForm order_id=o.id report=report/>
            {if d.exceptions.is_empty() {
                view! { <Empty label=K::OrdersNoExceptions/> }.into_any()
            } else {
                d.exceptions.into_iter().map(|e| view! { <ExceptionCard e=e fmt=fmt2.clone() exc=exc/> }).collect_view().into_any()
            }}
        </section>
        <section class="card" data-testid="customer-updates">
            <h2>{i18n.t(K::OrdersUpdates)}" "<span class="clause">"2.2.4-b"</span></h2>
            <UpdateForm order_id=o.id update=update/>
            {if d.updates.is_empty() {
                view! { <Empty label=K::OrdersNoUpdates/> }.into_any()
            } else {
                let fmt = fmt3.clone();
                view! {
                    <ul class="updates">
                        {d.updates.into_iter().map(|u| view! {
                            <li>
                                <span class="muted">{fmt(u.told_at)}" · "{i18n.t(channel_key(&u.channel))}" · "{u.created_by_name.clone().unwrap_or_default()}</span>
                                <p>{u.content.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{i18n.t(K::OrdersHistory)}</h2>
            <ol class="history">
                {d.changes.into_iter().map(|c| {
                    let to = OrderStatus::parse(&c.to_status).unwrap_or(OrderStatus::Confirmed);
                    view! {
                        <li>
                            <span class="muted">{fmt(c.changed_at)}</span>" · "<strong>{c.changed_by_name.clone().unwrap_or_default()}</strong>" · "
                            {i18n.t(to.key())}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The next status step, asked before it is taken (ConfirmAction); shipping and
/// delivery ask for the actual date, delivery also for the delivered quantities.
#[component]
fn StepForm(o: Order, lines: Vec<OrderLine>, today: chrono::NaiveDate, step: ServerAction<AdvanceOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(step);
    let Some(next) = o.status().next() else { return ().into_any() };
    let (label, question) = next.action_keys();
    let needs_date = matches!(next, OrderStatus::Shipped | OrderStatus::Delivered);
    let delivering = next == OrderStatus::Delivered;
    let date = echoed(None, "date", today.to_string());
    view! {
        <div class="card step" data-testid="order-step">
            <FormError error=err/>
            <ConfirmAction label=label question=question>
                <ActionForm action=step attr:class="form">
                    <input type="hidden" name="id" value=o.id/>
                    <input type="hidden" name="version" value=o.version/>
                    <input type="hidden" name="to" value=next.code()/>
                    {needs_date.then(|| view! {
                        <label for="step-date">{i18n.t(if delivering { K::OrdersActualDelivery } else { K::OrdersActualShip })}</label>
                        <input id="step-date" name="date" type="date" value=date.clone() required/>
                        <FieldMsg error=err field="date"/>
                    })}
                    {delivering.then(|| view! {
                        <table class="data">
                            <thead><tr>
                                <th>{i18n.t(K::OrdersLineDescription)}</th>
                                <th>{i18n.t(K::OrdersLineQuantity)}</th>
                                <th>{i18n.t(K::OrdersLineDelivered)}</th>
                            </tr></thead>
                            <tbody>
                                {lines.iter().enumerate().map(|(i, l)| view! {
                                    <tr>
                                        <td>{l.description.clone()}</td>
                                        <td>{l.quantity}</td>
                                        <td><input type="number" min="0" name=format!("delivered[{i}]") value=l.quantity aria-label=i18n.get(K::OrdersLineDelivered)/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <FieldMsg error=err field="delivered"/>
                    })}
                    <FieldMsg error=err field="to"/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || step.pending().get()>{i18n.t(K::CommonConfirm)}</button>
                    </div>
                </ActionForm>
            </ConfirmAction>
        </div>
    }
    .into_any()
}

#[component]
fn UpdateForm(order_id: i64, update: ServerAction<AddOrderUpdate>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(update);
    let channel = echoed(None, "channel", "phone");
    view! {
        <FormError error=err/>
        <ActionForm action=update attr:class="form" attr:data-testid="update-form">
            <input type="hidden" name="order_id" value=order_id/>
            <label for="told_at">{i18n.t(K::OrdersToldAt)}</label>
            <input id="told_at" name="told_at" type="datetime-local" value=echoed(None, "told_at", "")/>
            <p class="hint">{i18n.t(K::OrdersToldAtHint)}</p>
            <FieldMsg error=err field="told_at"/>
            <label for="channel">{i18n.t(K::OrdersChannel)}</label>
            <select id="channel" name="channel">
                {CHANNELS.into_iter().map(|c| view! { <option value=c selected=c == channel>{i18n.t(channel_key(c))}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="channel"/>
            <label for="content">{i18n.t(K::OrdersContent)}</label>
            <textarea id="content" name="content" rows="3" maxlength="2000">{echoed(None, "content", "")}</textarea>
            <FieldMsg error=err field="content"/>
            <div class="form-actions">
                <button type="submit" class="btn" disabled=move || update.pending().get()>{i18n.t(K::OrdersAddUpdate)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn ReportExceptionForm(order_id: i64, report: ServerAction<ReportException>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(report);
    let kind = echoed(None, "kind", "production_delay");
    view! {
        <details class="report-exception">
            <summary class="btn">{i18n.t(K::OrdersReportException)}</summary>
            <FormError error=err/>
            <ActionForm action=report attr:class="form" attr:data-testid="exception-form">
                <input type="hidden" name="order_id" value=order_id/>
                <label for="exc-kind">{i18n.t(K::OrdersExcKind)}</label>
                <select id="exc-kind" name="kind">
                    {EXCEPTION_KINDS.into_iter().map(|k| view! { <option value=k selected=k == kind>{i18n.t(exception_kind_key(k))}</option> }).collect_view()}
                </select>
                <FieldMsg error=err field="kind"/>
                <label for="exc-description">{i18n.t(K::OrdersExcDescription)}</label>
                <textarea id="exc-description" name="description" rows="3" maxlength="2000">{echoed(None, "description", "")}</textarea>
                <FieldMsg error=err field="description"/>
                <label for="exc-cause">{i18n.t(K::OrdersExcCause)}</label>
                <textarea id="exc-cause" name="cause" rows="2" maxlength="2000">{echoed(None, "cause", "")}</textarea>
                <label for="exc-measures">{i18n.t(K::OrdersExcMeasures)}</label>
                <textarea id="exc-measures" name="measures" rows="2" maxlength="2000">{echoed(None, "measures", "")}</textarea>
                <p class="hint">{i18n.t(K::OrdersExcHint)}</p>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || report.pending().get()>{i18n.t(K::OrdersReport)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

#[component]
fn ExceptionCard<F>(e: OrderException, fmt: F, exc: ServerAction<UpdateException>) -> impl IntoView
where
    F: Fn(chrono::DateTime<chrono::Utc>) -> String + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let err = action_error(exc);
    let resolved = e.status == "resolved";
    let form_id = e.id.to_string();
    let fid = form_id.clone();
    let start = move |name: &str, default: &str| echoed(Some(&fid), name, default.to_string());
    let statuses: Vec<&'static str> =
        EXCEPTION_STATUSES.into_iter().skip_while(|s| *s != e.status.as_str()).collect();
    let cur = e.status.clone();
    view! {
        <article class="exception" data-testid=format!("exception-{}", e.id)>
            <h3>
                {i18n.t(exception_kind_key(&e.kind))}" "
                <Badge tone=exception_status_tone(&e.status) label=exception_status_key(&e.status)/>
                {e.analysed_at.is_none().then(|| view! { " " <Badge tone=Tone::Warn label=K::OrdersExcNotAnalysed/> })}
            </h3>
            <p>{e.description.clone()}</p>
            <dl class="kv">
                <dt>{i18n.t(K::OrdersExcReported)}</dt><dd>{fmt(e.reported_at)}" · "{e.owner_name.clone()}</dd>
                <dt>{i18n.t(K::OrdersExcLeader)}</dt><dd>{e.leader_name.clone().unwrap_or_else(|| "—".into())}</dd>
                {resolved.then(|| view! {
                    <dt>{i18n.t(K::OrdersExcCause)}</dt><dd>{e.cause.clone()}</dd>
                    <dt>{i18n.t(K::OrdersExcMeasures)}</dt><dd>{e.measures.clone()}</dd>
                })}
            </dl>
            {(!resolved).then(|| view! {
                <ActionForm action=exc attr:class="form">
                    <input type="hidden" name="id" value=e.id/>
                    <input type="hidden" name="version" value=e.version/>
                    <label for=format!("cause-{}", e.id)>{i18n.t(K::OrdersExcCause)}</label>
                    <textarea id=format!("cause-{}", e.id) name="cause" rows="2" maxlength="2000">{start("cause", &e.cause)}</textarea>
                    <FieldMsg error=err field="cause"/>
                    <label for=format!("measures-{}", e.id)>{i18n.t(K::OrdersExcMeasures)}</label>
                    <textarea id=format!("measures-{}", e.id) name="measures" rows="2" maxlength="2000">{start("measures", &e.measures)}</textarea>
                    <FieldMsg error=err field="measures"/>
                    <label for=format!("status-{}", e.id)>{i18n.t(K::FieldStatus)}</label>
                    <select id=format!("status-{}", e.id) name="status">
                        {statuses.into_iter().map(|s| view! { <option value=s selected=s == cur>{i18n.t(exception_status_key(s))}</option> }).collect_view()}
                    </select>
                    <FieldMsg error=err field="status"/>
                    <div class="form-actions">
                        <button type="submit" class="btn">{i18n.t(K::CommonSave)}</button>
                    </div>
                </ActionForm>
            })}
        </article>
    }
}
