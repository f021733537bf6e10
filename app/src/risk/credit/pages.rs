//! Pages of credit risk (5.2-c): evaluations (list, new, one with its
//! approval), the receivables ageing with the provision, and the pieces the
//! risk dashboard, the customer page and the contract review embed.
use super::api::*;
use super::model::*;
use crate::core::error::AppError;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, Chart, ConfirmAction, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, action_error, echoed, href_with};
use crate::risk::pages::{RiskTabs, Section};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

const PATH: &str = "/risks/credit";
const AGEING_PATH: &str = "/risks/ageing";

fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).display()
}

fn date(t: Option<chrono::DateTime<chrono::Utc>>, tz: &str) -> String {
    t.map(|t| crate::core::time::format_date_in(t, tz)).unwrap_or_else(|| "—".into())
}

/// A rating as a badge (a dash when none).
#[component]
pub fn RatingBadge(#[prop(into)] rating: Option<String>) -> impl IntoView {
    match rating.as_deref().and_then(Rating::parse) {
        Some(r) => {
            let class = match r.tone() {
                crate::core::ui::Tone::Good => "badge badge-good",
                crate::core::ui::Tone::Warn => "badge badge-warn",
                crate::core::ui::Tone::Bad => "badge badge-bad",
                crate::core::ui::Tone::Neutral => "badge",
            };
            view! { <span class=class data-testid="rating">{r.code()}</span> }.into_any()
        }
        None => view! { <span>"—"</span> }.into_any(),
    }
}

fn status_badge(s: &str) -> impl IntoView + use<> {
    let st = EvalStatus::parse(s).unwrap_or(EvalStatus::Draft);
    view! { <span data-testid="eval-status"><Badge tone=st.tone() label=st.key()/></span> }
}

// ---------- /risks/credit ----------

#[component]
pub fn CreditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        CreditQuery { status: q.get("status").unwrap_or_default(), after: q.get("after").unwrap_or_default() }
    };
    let data = Resource::new(query, credit_overview);
    view! {
        <RiskTabs current=Section::Credit/>
        <div class="page-head">
            <h1>{i18n.t(K::CreditTitle)}</h1>
        </div>
        <p class="hint">{i18n.t(K::CreditIntro)}</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(o) => view! { <CreditOverviewView o=o status=query().status/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EvalRows(rows: Vec<EvalRow>, tz: String) -> impl IntoView {
    rows.into_iter()
        .map(|r| {
            let limit = r.approved_limit_minor.unwrap_or(r.proposed_limit_minor);
            view! {
                <tr data-testid="eval-row">
                    <td><a href=format!("{PATH}/{}", r.id)>{r.number.clone()}</a></td>
                    <td><a href=format!("/sales/customers/{}", r.customer_id)>{r.customer_name.clone()}</a></td>
                    <td>{status_badge(&r.status)}</td>
                    <td class="num">{r.score}</td>
                    <td><RatingBadge rating=Some(r.rating.clone())/></td>
                    <td class="num">{money(limit, &r.currency)}</td>
                    <td>{r.preparer_name.clone().unwrap_or_default()}</td>
                    <td>{crate::core::time::format_date_in(r.updated_at, &tz)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn EvalHead() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <th>{i18n.t(K::CreditNumber)}</th>
        <th>{i18n.t(K::CreditCustomer)}</th>
        <th>{i18n.t(K::FieldStatus)}</th>
        <th>{i18n.t(K::CreditScore)}</th>
        <th>{i18n.t(K::CreditRating)}</th>
        <th>{i18n.t(K::CreditLimit)}</th>
        <th>{i18n.t(K::CreditPreparedBy)}</th>
        <th>{i18n.t(K::CreditUpdated)}</th>
    }
}

#[component]
fn CreditOverviewView(o: CreditOverviewData, status: String) -> impl IntoView {
    let i18n = use_i18n();
    let tz = o.time_zone.clone();
    let tz2 = tz.clone();
    let awaiting = o.awaiting.clone();
    let page = o.page.clone();
    view! {
        {(!awaiting.is_empty()).then(|| view! {
            <section class="card" data-testid="awaiting">
                <h2>{i18n.t(K::CreditAwaiting)}</h2>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><EvalHead/></tr></thead>
                        <tbody><EvalRows rows=awaiting.clone() tz=tz.clone()/></tbody>
                    </table>
                </div>
            </section>
        })}
        <section class="card">
            <h2>{i18n.t(K::CreditEvaluations)}</h2>
            <form method="get" action=PATH class="filters">
                <label>{i18n.t(K::FieldStatus)}
                    <select name="status">
                        <option value="">{i18n.t(K::CommonAll)}</option>
                        {EvalStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=status == s.code()>{i18n.t(s.key())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
                <a href=PATH class="btn btn-link">{i18n.t(K::CommonReset)}</a>
            </form>
            {if page.total == 0 {
                view! { <Empty label=K::CreditEmpty/> }.into_any()
            } else {
                view! {
                    <DataTable path=PATH total=page.total next=page.next.clone() head=view! { <EvalHead/> }.into_any()>
                        <EvalRows rows=page.rows.clone() tz=tz2.clone()/>
                    </DataTable>
                }.into_any()
            }}
        </section>
        <BreachList/>
        <section class="card" data-testid="unevaluated">
            <h2>{i18n.t(K::CreditUnevaluated)}" "<small>{o.unevaluated_total}</small></h2>
            {if o.unevaluated.is_empty() {
                view! { <Empty label=K::CreditUnevaluatedEmpty/> }.into_any()
            } else {
                view! {
                    <ul class="credit-list">
                        {o.unevaluated.iter().map(|c| view! {
                            <li>
                                <a href=format!("/sales/customers/{}", c.id)>{c.name.clone()}</a>
                                " · "{c.owner_name.clone()}
                                {c.credit_limit_minor.map(|l| format!(" · {}", money(l, &c.currency)))}
                                " "<a class="btn btn-small" href=format!("{PATH}/new?customer={}", c.id)>{i18n.t(K::CreditNew)}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(o.unevaluated_total > o.unevaluated.len() as i64).then(|| view! {
                        <p class="hint">{move || i18n.lang().tf(K::CreditUnevaluatedMore, &[("n", (o.unevaluated_total - o.unevaluated.len() as i64).to_string())])}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

// ---------- facts and factors ----------

#[component]
fn FactsTable(facts: Facts, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let on_time = match facts.on_time_bp {
        Some(bp) => format!("{}.{:02} %", bp / 100, bp % 100),
        None => i18n.get(K::CreditNoHistory).to_string(),
    };
    view! {
        <dl class="kv" data-testid="facts">
            <dt>{i18n.t(K::CreditOnTime)}</dt><dd data-testid="fact-on-time">{on_time}</dd>
            <dt>{i18n.t(K::CreditMaxOverdue)}</dt><dd data-testid="fact-overdue-days">{facts.max_overdue_days}</dd>
            <dt>{i18n.t(K::CreditOverdueAmount)}</dt><dd>{money(facts.overdue_minor, &currency)}</dd>
            <dt>{i18n.t(K::CreditVolume)}</dt><dd data-testid="fact-volume">{money(facts.volume_12m_minor, &currency)}</dd>
            <dt>{i18n.t(K::CreditYears)}</dt><dd>{facts.years_as_customer}</dd>
        </dl>
    }
}

const FACTORS: [(&str, K, K); 3] = [
    ("financial_standing", K::CreditFinancial, K::CreditFinancialHelp),
    ("management_quality", K::CreditManagement, K::CreditManagementHelp),
    ("industry_outlook", K::CreditIndustry, K::CreditIndustryHelp),
];

/// The rated factors, comments and proposed limit (the new form and a draft's edit form).
#[component]
fn RatedFields(form_id: Option<String>, current: Option<(Rated, String, i64)>, currency: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let fid = form_id.clone();
    let value = move |name: &str, default: String| echoed(fid.as_deref(), &format!("input[{name}]"), default);
    let rated = current.as_ref().map(|c| c.0);
    let fields = FACTORS
        .into_iter()
        .map(|(name, label, help)| {
            let cur = rated.map(|r| match name {
                "financial_standing" => r.financial_standing,
                "management_quality" => r.management_quality,
                _ => r.industry_outlook,
            });
            let v = value(name, cur.map(|c| c.to_string()).unwrap_or_default());
            view! {
                <div class="field">
                    <label for=name>{i18n.t(label)}</label>
                    <select id=name name=format!("input[{name}]") required aria-describedby=format!("{name}-help")>
                        <option value="">"—"</option>
                        {(1..=5).map(|n| {
                            let key = [K::CreditFactor1, K::CreditFactor2, K::CreditFactor3, K::CreditFactor4, K::CreditFactor5][n - 1];
                            view! { <option value=n.to_string() selected=v == n.to_string()>{n}" · "{i18n.t(key)}</option> }
                        }).collect_view()}
                    </select>
                    <p class="hint" id=format!("{name}-help")>{i18n.t(help)}</p>
                    <FieldMsg error=error field=name/>
                </div>
            }
        })
        .collect_view();
    let comments = value("comments", current.as_ref().map(|c| c.1.clone()).unwrap_or_default());
    let proposed = value(
        "proposed_limit",
        current.as_ref().map(|c| crate::sales::customers::model::minor_to_input(c.2)).unwrap_or_default(),
    );
    view! {
        {fields}
        <div class="field">
            <label for="comments">{i18n.t(K::CreditComments)}</label>
            <textarea id="comments" name="input[comments]" rows="4" maxlength="2000">{comments}</textarea>
            <FieldMsg error=error field="comments"/>
        </div>
        <div class="field">
            <label for="proposed_limit">{i18n.t(K::CreditProposedLimit)}" ("{currency}")"</label>
            <input id="proposed_limit" name="input[proposed_limit]" inputmode="decimal" value=proposed
                placeholder=move || i18n.get(K::CreditProposedHint)/>
            <p class="hint">{i18n.t(K::CreditProposedHint)}</p>
            <FieldMsg error=error field="proposed_limit"/>
        </div>
    }
}

// ---------- /risks/credit/new?customer=ID ----------

#[component]
pub fn CreditFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let customer = move || use_query_map().get().get("customer").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(customer, |c| async move { if c > 0 { credit_form(c).await.map(Some) } else { Ok(None) } });
    view! {
        <RiskTabs current=Section::Credit/>
        <div class="page-head"><h1>{i18n.t(K::CreditNew)}</h1></div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(None) => view! {
                        <div class="card">
                            <Empty label=K::CreditPickCustomer/>
                            <a class="btn" href=PATH>{i18n.t(K::CreditTitle)}</a>
                        </div>
                    }.into_any(),
                    Ok(Some(d)) => view! { <CreditFormView d=d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreditFormView(d: CreditFormData) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<CreateEvaluation>::new();
    let err = action_error(act);
    let c = d.customer.clone();
    view! {
        <section class="card">
            <h2><a href=format!("/sales/customers/{}", c.id) data-testid="form-customer">{c.name.clone()}</a></h2>
            <dl class="kv">
                <dt>{i18n.t(K::CreditCurrentRating)}</dt><dd><RatingBadge rating=c.credit_rating.clone()/></dd>
                <dt>{i18n.t(K::CreditCurrentLimit)}</dt><dd>{c.credit_limit_minor.map(|l| money(l, &c.currency)).unwrap_or_else(|| "—".into())}</dd>
            </dl>
            <h3>{i18n.t(K::CreditFacts)}</h3>
            <p class="hint">{i18n.t(K::CreditFactsHint)}</p>
            <FactsTable facts=d.facts.clone() currency=c.currency.clone()/>
        </section>
        <ActionForm action=act attr:class="card form" attr:data-testid="credit-form">
            <input type="hidden" name="id" value=""/>
            <input type="hidden" name="customer_id" value=c.id/>
            <FormError error=err/>
            <RatedFields form_id=Some(String::new()) current=None currency=c.currency.clone() error=err/>
            <div class="actions">
                <button type="submit" class="btn btn-primary" data-testid="save-evaluation">{i18n.t(K::CreditSaveDraft)}</button>
            </div>
        </ActionForm>
    }
}

// ---------- /risks/credit/:id ----------

#[component]
pub fn CreditEvaluationPage() -> impl IntoView {
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let save = ServerAction::<SaveEvaluation>::new();
    let submit = ServerAction::<SubmitEvaluation>::new();
    let decide = ServerAction::<DecideEvaluation>::new();
    let data = Resource::new(
        move || (id(), save.version().get(), submit.version().get(), decide.version().get()),
        |(id, a, b, c)| async move { get_evaluation(id).await.map(|v| (a + b + c, v)) },
    );
    view! {
        <RiskTabs current=Section::Credit/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((n, v)) => view! {
                        <For each=move || std::iter::once((n, v.clone())) key=|(n, _)| *n let((_, v))>
                            <EvaluationDetail v=v save=save submit=submit decide=decide/>
                        </For>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EvaluationDetail(
    v: EvaluationView,
    save: ServerAction<SaveEvaluation>,
    submit: ServerAction<SubmitEvaluation>,
    decide: ServerAction<DecideEvaluation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let e = v.evaluation.clone();
    let cur = e.currency.clone();
    let tz = v.time_zone.clone();
    let b = v.breakdown;
    let id = e.id;
    let version = e.version;
    let status = e.status();
    let save_err = action_error(save);
    let submit_err = action_error(submit);
    let decide_err = action_error(decide);
    let fid = id.to_string();
    let parts: Vec<(K, i64, i64)> = vec![
        (K::CreditPartPayment, b.payment, if b.without_history { 0 } else { 35 }),
        (K::CreditPartOverdue, b.overdue, 15),
        (K::CreditPartVolume, b.volume, 15),
        (K::CreditPartTenure, b.tenure, 10),
        (K::CreditPartRated, b.rated, if b.without_history { 60 } else { 25 }),
    ];
    let rated = e.rated();
    let cust = v.customer.clone();
    let (fid_edit, cur_edit, cur_decide) = (fid.clone(), cur.clone(), cur.clone());
    let comments = e.comments.clone();
    let proposed_minor = e.proposed_limit_minor;
    view! {
        <div class="page-head">
            <h1>
                <span data-testid="eval-number">{e.number.clone()}</span>" "
                <a href=format!("/sales/customers/{}", e.customer_id)>{e.customer_name.clone()}</a>" "
                {status_badge(&e.status)}
            </h1>
        </div>
        <div class="credit-grid">
            <section class="card">
                <h2>{i18n.t(K::CreditResult)}</h2>
                <dl class="kv">
                    <dt>{i18n.t(K::CreditScore)}</dt><dd data-testid="eval-score">{e.score}</dd>
                    <dt>{i18n.t(K::CreditRating)}</dt><dd><RatingBadge rating=Some(e.rating.clone())/></dd>
                    <dt>{i18n.t(K::CreditSuggestedLimit)}</dt><dd data-testid="suggested-limit">{money(e.suggested_limit_minor, &cur)}</dd>
                    <dt>{i18n.t(K::CreditProposedLimit)}</dt><dd data-testid="proposed-limit">{money(e.proposed_limit_minor, &cur)}</dd>
                    <dt>{i18n.t(K::CreditApprovedLimit)}</dt><dd data-testid="approved-limit">{e.approved_limit_minor.map(|l| money(l, &cur)).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{i18n.t(K::CreditPreparedBy)}</dt><dd>{e.preparer_name.clone().unwrap_or_default()}" · "{date(Some(e.created_at), &tz)}</dd>
                    <dt>{i18n.t(K::CreditSubmittedAt)}</dt><dd>{date(e.submitted_at, &tz)}</dd>
                    <dt>{i18n.t(K::CreditReviewedBy)}</dt><dd>{e.reviewer_name.clone().unwrap_or_else(|| "—".into())}" · "{date(e.reviewed_at, &tz)}</dd>
                    <dt>{i18n.t(K::CreditReviewNote)}</dt><dd data-testid="review-note">{e.review_note.clone()}</dd>
                    <dt>{i18n.t(K::CreditComments)}</dt><dd>{e.comments.clone()}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>{i18n.t(K::CreditFacts)}</h2>
                <p class="hint">{move || i18n.lang().tf(K::CreditFactsAsOf, &[("date", date(Some(e.computed_at), &tz))])}</p>
                <FactsTable facts=v.evaluation.facts() currency=cur.clone()/>
                <dl class="kv">
                    <dt>{i18n.t(K::CreditExposure)}</dt><dd data-testid="exposure">{money(v.exposure_minor, &cur)}</dd>
                    <dt>{i18n.t(K::CreditCurrentLimit)}</dt><dd>{cust.credit_limit_minor.map(|l| money(l, &cur)).unwrap_or_else(|| "—".into())}</dd>
                </dl>
            </section>
        </div>
        <section class="card">
            <h2>{i18n.t(K::CreditBreakdown)}</h2>
            {b.without_history.then(|| view! { <p class="hint" data-testid="without-history">{i18n.t(K::CreditWithoutHistory)}</p> })}
            <table class="data" data-testid="breakdown">
                <thead><tr><th>{i18n.t(K::CreditPart)}</th><th class="num">{i18n.t(K::CreditPoints)}</th><th class="num">{i18n.t(K::CreditMaxPoints)}</th></tr></thead>
                <tbody>
                    {parts.into_iter().map(|(k, p, m)| view! { <tr><td>{i18n.t(k)}</td><td class="num">{p}</td><td class="num">{m}</td></tr> }).collect_view()}
                    <tr class="total"><th scope="row">{i18n.t(K::CreditScore)}</th><td class="num">{b.total()}</td><td class="num">"100"</td></tr>
                </tbody>
            </table>
            <p class="hint">
                {i18n.t(K::CreditFinancial)}" "{rated.financial_standing}" · "
                {i18n.t(K::CreditManagement)}" "{rated.management_quality}" · "
                {i18n.t(K::CreditIndustry)}" "{rated.industry_outlook}
            </p>
            <p class="hint">{i18n.t(K::CreditScaleHint)}</p>
        </section>
        {v.can_edit.then(|| view! {
            <section class="card">
                <h2>{i18n.t(K::CreditEditDraft)}</h2>
                <ActionForm action=save attr:class="form" attr:data-testid="edit-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <FormError error=save_err/>
                    <RatedFields form_id=Some(fid_edit) current=Some((rated, comments, proposed_minor)) currency=cur_edit error=save_err/>
                    <button type="submit" class="btn">{i18n.t(K::CreditRecompute)}</button>
                </ActionForm>
                <ActionForm action=submit attr:class="form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <FormError error=submit_err/>
                    <FieldMsg error=submit_err field="status"/>
                    <button type="submit" class="btn btn-primary" data-testid="submit-evaluation">{i18n.t(K::CreditSubmit)}</button>
                </ActionForm>
            </section>
        })}
        {v.own_evaluation.then(|| view! { <p class="alert" data-testid="own-evaluation">{i18n.t(K::CreditOwnHint)}</p> })}
        {(v.can_decide && status == EvalStatus::Submitted).then(|| view! {
            <section class="card" data-testid="decide">
                <h2>{i18n.t(K::CreditDecide)}</h2>
                <FormError error=decide_err/>
                <FieldMsg error=decide_err field="decision"/>
                <FieldMsg error=decide_err field="status"/>
                <ActionForm action=decide attr:class="form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <input type="hidden" name="decision" value="approve"/>
                    <div class="field">
                        <label for="limit">{i18n.t(K::CreditGrantedLimit)}" ("{cur_decide}")"</label>
                        <input id="limit" name="limit" inputmode="decimal"
                            value=echoed(Some(&fid), "limit", crate::sales::customers::model::minor_to_input(proposed_minor))/>
                        <FieldMsg error=decide_err field="limit"/>
                    </div>
                    <div class="field">
                        <label for="approve-note">{i18n.t(K::CreditReviewNote)}</label>
                        <textarea id="approve-note" name="note" rows="2" maxlength="2000"></textarea>
                    </div>
                    <button type="submit" class="btn btn-primary" data-testid="approve">{i18n.t(K::CreditApprove)}</button>
                </ActionForm>
                <ConfirmAction label=K::CreditReject question=K::CreditRejectQuestion danger=true>
                    <ActionForm action=decide attr:class="form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <input type="hidden" name="decision" value="reject"/>
                        <div class="field">
                            <label for="reject-note">{i18n.t(K::CreditRejectReason)}</label>
                            <textarea id="reject-note" name="note" rows="2" maxlength="2000" required></textarea>
                            <FieldMsg error=decide_err field="note"/>
                        </div>
                        <button type="submit" class="btn btn-danger" data-testid="reject-confirm">{i18n.t(K::CreditReject)}</button>
                    </ActionForm>
                </ConfirmAction>
            </section>
        })}
        <section class="card">
            <h2>{i18n.t(K::CreditHistory)}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="history">
                    <thead><tr><EvalHead/></tr></thead>
                    <tbody>
                        {v.history.iter().map(|h| {
                            let limit = h.approved_limit_minor.unwrap_or(h.proposed_limit_minor);
                            view! {
                                <tr aria-current=(h.id == id).then_some("true")>
                                    <td><a href=format!("{PATH}/{}", h.id)>{h.number.clone()}</a></td>
                                    <td>{h.customer_name.clone()}</td>
                                    <td>{status_badge(&h.status)}</td>
                                    <td class="num">{h.score}</td>
                                    <td><RatingBadge rating=Some(h.rating.clone())/></td>
                                    <td class="num">{money(limit, &h.currency)}</td>
                                    <td>{h.preparer_name.clone().unwrap_or_default()}</td>
                                    <td>{date(h.reviewed_at.or(h.submitted_at).or(Some(h.created_at)), &v.time_zone)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

// ---------- the customer's credit (customer page, contract review) ----------

/// The customer's rating, limit, evaluation date and links (customer page).
#[component]
pub fn CustomerCreditCard(customer_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || customer_id, |c| credit_of_customer(c, 0));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(_) => ().into_any(),
                    Ok(s) => {
                        let c = s.customer.clone();
                        view! {
                            <section class="card" data-testid="customer-credit">
                                <h2>{i18n.t(K::CreditCustomerCredit)}</h2>
                                <dl class="kv">
                                    <dt>{i18n.t(K::CreditRating)}</dt><dd><RatingBadge rating=c.credit_rating.clone()/></dd>
                                    <dt>{i18n.t(K::CreditLimit)}</dt><dd data-testid="credit-limit">{c.credit_limit_minor.map(|l| money(l, &c.currency)).unwrap_or_else(|| "—".into())}</dd>
                                    <dt>{i18n.t(K::CreditEvaluatedAt)}</dt><dd>{date(c.credit_evaluated_at, &s.time_zone)}</dd>
                                    <dt>{i18n.t(K::CreditEvaluation)}</dt>
                                    <dd>{c.credit_evaluation_id.map(|e| view! { <a href=format!("{PATH}/{e}") data-testid="credit-evaluation-link">{i18n.t(K::CreditOpenEvaluation)}</a> })}</dd>
                                </dl>
                                {match s.open_evaluation.clone() {
                                    Some((eid, number, status)) => view! {
                                        <p>{i18n.t(K::CreditInProgress)}" "<a href=format!("{PATH}/{eid}")>{number}</a>" "{status_badge(&status)}</p>
                                    }.into_any(),
                                    None => view! {
                                        <a class="btn" href=format!("{PATH}/new?customer={}", c.id) data-testid="new-credit-evaluation">{i18n.t(K::CreditNew)}</a>
                                    }.into_any(),
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The customer's rating and limit beside the contract review's credit flag.
#[component]
pub fn ContractCreditNote(customer_id: i64, contract_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || (customer_id, contract_id), |(c, k)| credit_of_customer(c, k));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().map(|s| {
                    let c = s.customer;
                    view! {
                        <p class="credit-note" data-testid="credit-note">
                            {i18n.t(K::CreditRating)}": "<RatingBadge rating=c.credit_rating.clone()/>" · "
                            {i18n.t(K::CreditLimit)}": "<span data-testid="credit-note-limit">{c.credit_limit_minor.map(|l| money(l, &c.currency)).unwrap_or_else(|| "—".into())}</span>
                            {c.credit_evaluation_id.map(|e| view! { " · "<a href=format!("{PATH}/{e}")>{i18n.t(K::CreditOpenEvaluation)}</a> })}
                        </p>
                    }
                })
            })}
        </Suspense>
    }
}

// ---------- ageing ----------

fn bucket_keys() -> [K; 5] {
    [K::RecvBucketNotDue, K::RecvBucket130, K::RecvBucket3160, K::RecvBucket6190, K::RecvBucketOver90]
}

/// A stacked bar per group (or one for the totals): outstanding per bucket, in yuan.
pub fn ageing_chart(lines: &[AgeingLine], lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Bar;
    let names: Vec<String> = lines.iter().map(|l| if lang == Lang::En { l.label_en.clone() } else { l.label.clone() }).collect();
    let mut chart = charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(names))
        .y_axis(Axis::new().type_(AxisType::Value));
    for (i, k) in bucket_keys().into_iter().enumerate() {
        chart = chart.series(Bar::new().name(lang.t(k)).stack("ageing").data(lines.iter().map(|l| l.amounts()[i] as f64 / 100.0).collect::<Vec<f64>>()));
    }
    chart
}

fn line_label(l: &AgeingLine, lang: Lang) -> String {
    if lang == Lang::En { l.label_en.clone() } else { l.label.clone() }
}

/// The ageing table: a row per group, the totals, and the provision per bucket.
#[component]
fn AgeingTable(r: AgeingReport, #[prop(optional)] with_groups: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let group = r.group;
    let pct = r.pct;
    view! {
        <div class="table-wrap">
            <table class="data ageing" data-testid="ageing-table">
                <thead>
                    <tr>
                        <th>{if with_groups { i18n.get(group.key()) } else { i18n.get(K::CreditCurrency) }}</th>
                        {bucket_keys().into_iter().map(|k| view! { <th class="num">{i18n.t(k)}</th> }).collect_view()}
                        <th class="num">{i18n.t(K::CreditTotal)}</th>
                    </tr>
                </thead>
                <tbody>
                    {with_groups.then(|| r.rows.iter().map(|l| {
                        let label = line_label(l, lang);
                        let cell = if group == GroupBy::Customer {
                            view! { <a href=format!("/sales/customers/{}", l.group_id)>{label}</a> }.into_any()
                        } else {
                            view! { <span>{label}</span> }.into_any()
                        };
                        view! {
                            <tr data-testid="ageing-row">
                                <td>{cell}</td>
                                {l.amounts().into_iter().map(|a| view! { <td class="num">{money(a, &l.currency)}</td> }).collect_view()}
                                <td class="num">{money(l.total, &l.currency)}</td>
                            </tr>
                        }
                    }).collect_view())}
                    {r.totals.iter().map(|t| {
                        let (p, ptotal) = t.provision(&pct);
                        let cur = t.currency.clone();
                        view! {
                            <tr class="total" data-testid="ageing-total">
                                <th scope="row">{i18n.t(K::CreditTotal)}" ("{cur.clone()}")"</th>
                                {t.amounts().into_iter().map(|a| view! { <td class="num">{money(a, &t.currency)}</td> }).collect_view()}
                                <td class="num">{money(t.total, &t.currency)}</td>
                            </tr>
                            <tr class="provision-pct">
                                <th scope="row">{i18n.t(K::CreditProvisionPct)}</th>
                                {pct.into_iter().map(|x| view! { <td class="num">{format!("{x} %")}</td> }).collect_view()}
                                <td></td>
                            </tr>
                            <tr class="provision" data-testid="ageing-provision">
                                <th scope="row">{i18n.t(K::CreditProvision)}" ("{cur.clone()}")"</th>
                                {p.into_iter().map(|a| view! { <td class="num">{money(a, &cur)}</td> }).collect_view()}
                                <td class="num" data-testid="provision-total">{money(ptotal, &cur)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn AgeingPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        AgeingQuery { by: q.get("by").unwrap_or_default(), after: q.get("after").unwrap_or_default() }
    };
    let data = Resource::new(query, credit_ageing);
    view! {
        <RiskTabs current=Section::Ageing/>
        <div class="page-head"><h1>{i18n.t(K::CreditAgeingTitle)}</h1></div>
        <p class="hint">{i18n.t(K::CreditAgeingIntro)}</p>
        <nav class="tabs credit-group" aria-label=move || i18n.get(K::CreditGroupBy)>
            {GroupBy::ALL.into_iter().map(|g| view! {
                <a href=href_with(AGEING_PATH, &[("by".into(), g.code().into())])
                    aria-current=move || (GroupBy::parse(&query().by) == g).then_some("page")>{i18n.t(g.key())}</a>
            }).collect_view()}
        </nav>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(r) if r.totals.is_empty() => view! { <div class="card"><Empty label=K::CreditAgeingEmpty/></div> }.into_any(),
                    Ok(r) => {
                        let lang = i18n.lang();
                        let chart = ageing_chart(&r.rows, lang);
                        let heads: Vec<String> = std::iter::once(lang.t(r.group.key()).to_string())
                            .chain(bucket_keys().into_iter().map(|k| lang.t(k).to_string()))
                            .collect();
                        let rows: Vec<Vec<String>> = r.rows.iter().map(|l| {
                            std::iter::once(line_label(l, lang)).chain(l.amounts().into_iter().map(|a| money(a, &l.currency))).collect()
                        }).collect();
                        let count = r.count;
                        let next = r.next.clone();
                        let by = r.group.code().to_string();
                        let on_later = !query().after.is_empty();
                        let first = href_with(AGEING_PATH, &[("by".into(), by.clone())]);
                        view! {
                            <section class="card">
                                <Chart id=format!("ageing-{}-{}", r.group.code(), r.rows.len()) chart=chart
                                    caption=lang.t(K::CreditAgeingChart).to_string() headers=heads rows=rows/>
                            </section>
                            <section class="card">
                                <div class="table-tools">
                                    <span class="count">{move || i18n.lang().tf(K::TableTotal, &[("n", count.to_string())])}</span>
                                </div>
                                <AgeingTable r=r with_groups=true/>
                                <nav class="pager" aria-label=move || i18n.get(K::TablePaging)>
                                    {on_later.then(|| view! { <a class="btn btn-small" href=first.clone()>{i18n.t(K::TableFirstPage)}</a> })}
                                    {next.map(|c| view! {
                                        <a class="btn btn-small" rel="next" href=href_with(AGEING_PATH, &[("by".into(), by.clone()), ("after".into(), c)])>{i18n.t(K::TableNextPage)}</a>
                                    })}
                                </nav>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The ageing by department for [`AgeingSummary`].
pub fn ageing_summary_resource() -> Resource<Result<AgeingReport, AppError>> {
    Resource::new(|| (), |_| credit_ageing(AgeingQuery { by: "department".into(), after: String::new() }))
}

/// The customers over their limit for [`BreachList`].
pub fn breaches_resource() -> Resource<Result<(Vec<Breach>, i64), AppError>> {
    Resource::new(|| (), |_| credit_breaches())
}

/// Receivables ageing totals by bucket with the provision (for the risk dashboard).
#[component]
pub fn AgeingSummary(
    /// Loaded by the page, so that it starts with the page's other data.
    #[prop(optional)]
    data: Option<Resource<Result<AgeingReport, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = data.unwrap_or_else(ageing_summary_resource);
    view! {
        <section class="card" data-testid="ageing-summary">
            <h2><a href=AGEING_PATH>{i18n.t(K::CreditAgeingTitle)}</a></h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(r) if r.totals.is_empty() => view! { <Empty label=K::CreditAgeingEmpty/> }.into_any(),
                        Ok(r) => {
                            let lang = i18n.lang();
                            let totals: Vec<AgeingLine> = r.totals.iter().map(|t| AgeingLine { label: t.currency.clone(), label_en: t.currency.clone(), ..t.clone() }).collect();
                            let chart = ageing_chart(&totals, lang);
                            let heads: Vec<String> = bucket_keys().into_iter().map(|k| lang.t(k).to_string()).collect();
                            let rows: Vec<Vec<String>> = totals.iter().map(|t| t.amounts().into_iter().map(|a| money(a, &t.currency)).collect()).collect();
                            view! {
                                <Chart id="ageing-summary-chart".to_string() chart=chart caption=lang.t(K::CreditAgeingChart).to_string()
                                    headers=heads rows=rows width=420 height=240/>
                                <AgeingTable r=r/>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Customers whose open receivables exceed their credit limit (for the risk dashboard).
#[component]
pub fn BreachList(
    /// Loaded by the page, so that it starts with the page's other data.
    #[prop(optional)]
    data: Option<Resource<Result<(Vec<Breach>, i64), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = data.unwrap_or_else(breaches_resource);
    view! {
        <section class="card" data-testid="breach-list">
            <h2>{i18n.t(K::CreditBreaches)}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok((rows, _)) if rows.is_empty() => view! { <Empty label=K::CreditBreachesEmpty/> }.into_any(),
                        Ok((rows, count)) => view! {
                            <p class="credit-tools">{move || i18n.lang().tf(K::TableTotal, &[("n", count.to_string())])}</p>
                            <div class="table-wrap">
                                <table class="data">
                                    <thead><tr>
                                        <th>{i18n.t(K::CreditCustomer)}</th>
                                        <th>{i18n.t(K::CreditRating)}</th>
                                        <th class="num">{i18n.t(K::CreditLimit)}</th>
                                        <th class="num">{i18n.t(K::CreditExposure)}</th>
                                        <th class="num">{i18n.t(K::CreditExcess)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|b| view! {
                                            <tr data-testid="breach-row">
                                                <td><a href=format!("/sales/customers/{}", b.customer_id)>{b.customer_name.clone()}</a></td>
                                                <td>{match b.evaluation_id {
                                                    Some(e) => view! { <a href=format!("{PATH}/{e}")><RatingBadge rating=b.rating.clone()/></a> }.into_any(),
                                                    None => view! { <RatingBadge rating=b.rating.clone()/> }.into_any(),
                                                }}</td>
                                                <td class="num">{money(b.limit_minor, &b.currency)}</td>
                                                <td class="num">{money(b.exposure_minor, &b.currency)}</td>
                                                <td class="num">{money(b.excess(), &b.currency)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
