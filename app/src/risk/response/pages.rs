//! Response pages (5.2-a/b/d/e): the response panel on a risk's page
//! (strategy, the executive's approval of an acceptance, measures,
//! effectiveness reviews) and the measures list. Every form is an
//! `ActionForm`, so it works without JavaScript.
use super::api::*;
use super::model::*;
use crate::core::i18n::{K, use_i18n};
use crate::core::time::format_in;
use crate::core::ui::{Badge, ConfirmAction, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed, href_with};
use crate::risk::model::{IMPACT_KEYS, LIKELIHOOD_KEYS, RiskStatus, Strategy};
use crate::risk::pages::LevelBadge;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The panel's actions; each success reloads the panel.
#[derive(Clone, Copy)]
struct Acts {
    strategy: ServerAction<SetRiskStrategy>,
    decide: ServerAction<DecideRiskAcceptance>,
    add: ServerAction<AddRiskMeasure>,
    update: ServerAction<UpdateRiskMeasure>,
    review: ServerAction<AddRiskReview>,
}

fn acceptance_tone(a: AcceptanceStatus) -> Tone {
    match a {
        AcceptanceStatus::Pending => Tone::Warn,
        AcceptanceStatus::Approved => Tone::Good,
        AcceptanceStatus::Rejected => Tone::Bad,
    }
}

fn measure_tone(s: MeasureStatus) -> Tone {
    match s {
        MeasureStatus::Planned => Tone::Neutral,
        MeasureStatus::InProgress => Tone::Warn,
        MeasureStatus::Done => Tone::Good,
        MeasureStatus::Cancelled => Tone::Neutral,
    }
}

fn effectiveness_tone(e: Effectiveness) -> Tone {
    match e {
        Effectiveness::Effective => Tone::Good,
        Effectiveness::Partial => Tone::Warn,
        Effectiveness::Ineffective => Tone::Bad,
    }
}

/// The response section of a risk's page (strategy, acceptance, measures, reviews).
/// `on_change` runs after each successful change (the strategy and reviews
/// change the risk's version and status: the page around may reload).
#[component]
pub fn ResponsePanel(risk_id: i64, #[prop(optional)] on_change: Option<Callback<()>>) -> impl IntoView {
    let acts = Acts {
        strategy: ServerAction::new(),
        decide: ServerAction::new(),
        add: ServerAction::new(),
        update: ServerAction::new(),
        review: ServerAction::new(),
    };
    let version = RwSignal::new(0u32);
    let bump = move |ok: bool| {
        if ok {
            version.update(|v| *v += 1);
            if let Some(cb) = on_change {
                cb.run(());
            }
        }
    };
    Effect::new(move |_| bump(matches!(acts.strategy.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(acts.decide.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(acts.add.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(acts.update.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(acts.review.value().get(), Some(Ok(_)))));
    let data = Resource::new(move || (risk_id, version.get()), |(id, _)| risk_response(id));
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <PanelContent v=v acts=acts/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PanelContent(v: ResponseView, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let closed = v.status == RiskStatus::Closed.code();
    let editable = v.can_edit && !closed;
    let tz = v.time_zone.clone();
    let acc = v.acceptance;
    let decided = v.acceptance_by_name.clone().zip(v.acceptance_at);
    view! {
        <section class="card response-panel" data-testid="response-panel">
            <h2>{i18n.t(K::RiskRespTitle)}</h2>
            <dl class="kv response-summary">
                <dt>{i18n.t(K::RiskRespCurrentLevel)}</dt>
                <dd data-testid="current-level">
                    {match v.level {
                        Some(l) => view! { <LevelBadge level=l/>" "<span class="muted">{v.current_score.unwrap_or_default()}</span> }.into_any(),
                        None => view! { <span class="muted">{i18n.t(K::RiskRespNotAssessed)}</span> }.into_any(),
                    }}
                </dd>
                <dt>{i18n.t(K::RiskRespStrategy)}</dt>
                <dd data-testid="strategy">
                    {match v.strategy {
                        Some(s) => view! { <strong>{i18n.t(s.key())}</strong> }.into_any(),
                        None => view! { <Badge tone=Tone::Warn label=K::RiskRespNoStrategy/> }.into_any(),
                    }}
                    {(!v.strategy_note.is_empty()).then(|| view! { <p class="pre">{v.strategy_note.clone()}</p> })}
                </dd>
                {acc.map(|a| view! {
                    <dt>{i18n.t(K::RiskRespAcceptance)}</dt>
                    <dd data-testid="acceptance">
                        <Badge tone=acceptance_tone(a) label=a.key()/>
                        {decided.clone().map(|(by, at)| view! { " "<span class="muted">{by}" · "{format_in(at, &tz)}</span> })}
                        {(!v.acceptance_note.is_empty()).then(|| view! { <p class="pre">{v.acceptance_note.clone()}</p> })}
                    </dd>
                })}
            </dl>
            {(acc == Some(AcceptanceStatus::Pending) && !v.can_decide).then(|| view! {
                <p class="alert alert-warn" data-testid="awaiting-approval">{i18n.t(K::RiskRespAwaitingApproval)}</p>
            })}
            {v.can_decide.then(|| view! { <DecisionForm v=v.clone() decide=acts.decide/> })}
            {editable.then(|| view! { <StrategyForm v=v.clone() action=acts.strategy/> })}
        </section>
        <section class="card" data-testid="measures">
            <h2>{i18n.t(K::RiskRespMeasures)}</h2>
            <p class="hint">{i18n.t(K::RiskRespMeasuresHint)}</p>
            <FormError error=action_error(acts.update)/>
            <FieldMsg error=action_error(acts.update) field="status"/>
            {if v.measures.is_empty() {
                view! { <Empty label=K::RiskRespNoMeasures/> }.into_any()
            } else {
                view! { <MeasureTable v=v.clone() update=acts.update editable=editable/> }.into_any()
            }}
            {editable.then(|| view! { <AddMeasureForm v=v.clone() add=acts.add/> })}
        </section>
        <section class="card" data-testid="reviews">
            <h2>{i18n.t(K::RiskRespReviews)}</h2>
            {if v.reviews.is_empty() {
                view! { <Empty label=K::RiskRespNoReviews/> }.into_any()
            } else {
                view! { <ReviewTable reviews=v.reviews.clone() tz=v.time_zone.clone()/> }.into_any()
            }}
            {editable.then(|| view! { <ReviewForm v=v.clone() review=acts.review/> })}
        </section>
    }
}

/// 5.2-a: the executive's approval or rejection of a pending acceptance.
#[component]
fn DecisionForm(v: ResponseView, decide: ServerAction<DecideRiskAcceptance>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(decide);
    view! {
        <div class="decision" data-testid="decision">
            <h3>{i18n.t(K::RiskRespDecideTitle)}</h3>
            <FormError error=err/>
            <ActionForm action=decide attr:class="form" attr:data-testid="decision-form">
                <input type="hidden" name="risk_id" value=v.risk_id/>
                <input type="hidden" name="version" value=v.version/>
                <label for="decision-note">{i18n.t(K::RiskRespDecisionNote)}</label>
                <textarea id="decision-note" name="decision_note" rows="3" data-testid="decision-note">{echoed(None, "decision_note", "")}</textarea>
                <FieldMsg error=err field="decision_note"/>
                <FieldMsg error=err field="decision"/>
                <div class="form-actions">
                    <ConfirmAction label=K::RiskRespApprove question=K::RiskRespApproveQuestion>
                        <button type="submit" name="decision" value="approve" class="btn btn-primary" data-testid="approve-confirm">
                            {i18n.t(K::CommonConfirm)}
                        </button>
                    </ConfirmAction>
                    <ConfirmAction label=K::RiskRespReject question=K::RiskRespRejectQuestion danger=true>
                        <button type="submit" name="decision" value="reject" class="btn btn-danger" data-testid="reject-confirm">
                            {i18n.t(K::CommonConfirm)}
                        </button>
                    </ConfirmAction>
                </div>
            </ActionForm>
        </div>
    }
}

/// 5.2-a: the strategy and its note.
#[component]
fn StrategyForm(v: ResponseView, action: ServerAction<SetRiskStrategy>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let current = echoed(None, "strategy", v.strategy.map(|s| s.code()).unwrap_or(""));
    view! {
        <ActionForm action=action attr:class="form" attr:data-testid="strategy-form">
            <h3>{i18n.t(K::RiskRespSetStrategy)}</h3>
            <FormError error=err/>
            <input type="hidden" name="risk_id" value=v.risk_id/>
            <input type="hidden" name="version" value=v.version/>
            <fieldset class="choices">
                <legend>{i18n.t(K::RiskRespStrategy)}</legend>
                {Strategy::ALL.into_iter().map(|s| view! {
                    <label class="choice">
                        <input type="radio" name="strategy" value=s.code() checked=current == s.code() data-testid=format!("strategy-{}", s.code())/>
                        " "{i18n.t(s.key())}
                    </label>
                }).collect_view()}
            </fieldset>
            <FieldMsg error=err field="strategy"/>
            <p class="hint">{i18n.t(K::RiskRespAcceptHint)}</p>
            <label for="strategy-note">{i18n.t(K::RiskRespStrategyNote)}</label>
            <textarea id="strategy-note" name="note" rows="3" data-testid="strategy-note">{echoed(None, "note", v.strategy_note.clone())}</textarea>
            <FieldMsg error=err field="note"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="strategy-save">{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}

fn link_view(m: &Measure) -> impl IntoView + use<> {
    let i18n = use_i18n();
    m.link().map(|(k, r)| {
        let href = k.href(&r);
        let text = match k {
            LinkKind::Url | LinkKind::Rule => r.clone(),
            _ => format!("#{r}"),
        };
        let ext = k == LinkKind::Url;
        view! {
            <span class="measure-link">
                {i18n.t(k.key())}": "
                <a href=href rel=ext.then_some("external noopener noreferrer") data-testid="measure-link">{text}</a>
            </span>
        }
    })
}

#[component]
fn MeasureTable(v: ResponseView, update: ServerAction<UpdateRiskMeasure>, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let today = v.today;
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th>{i18n.t(K::RiskRespAction)}</th>
                    <th>{i18n.t(K::RiskRespOwner)}</th>
                    <th>{i18n.t(K::RiskRespDueOn)}</th>
                    <th>{i18n.t(K::RiskRespStatus)}</th>
                    <th>{i18n.t(K::RiskRespReviewed)}</th>
                    <th>{i18n.t(K::CommonActions)}</th>
                </tr></thead>
                <tbody>
                    {v.measures.iter().map(|m| {
                        let may_status = editable || m.owner_id == v.viewer_id;
                        let st = m.status();
                        let overdue = m.overdue(today);
                        let review_due = m.review_overdue(today);
                        view! {
                            <tr data-testid="measure-row" data-status=st.code()>
                                <td>{m.action.clone()}<br/>{link_view(m)}</td>
                                <td>{m.owner_name.clone()}</td>
                                <td>
                                    {m.due_on.format("%Y-%m-%d").to_string()}
                                    {overdue.then(|| view! { " "<Badge tone=Tone::Bad label=K::InboxOverdue/> })}
                                </td>
                                <td><Badge tone=measure_tone(st) label=st.key()/></td>
                                <td>
                                    {if m.reviews > 0 {
                                        view! { <Badge tone=Tone::Good label=K::RiskRespReviewedYes/> }.into_any()
                                    } else if review_due {
                                        view! { <Badge tone=Tone::Bad label=K::RiskRespReviewDue/> }.into_any()
                                    } else {
                                        view! { <span class="muted">"—"</span> }.into_any()
                                    }}
                                </td>
                                <td>
                                    {may_status.then(|| view! { <StatusForm m=m.clone() update=update/> })}
                                    {editable.then(|| view! { <EditMeasure m=m.clone() people=v.people.clone() update=update/> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn StatusForm(m: Measure, update: ServerAction<UpdateRiskMeasure>) -> impl IntoView {
    let i18n = use_i18n();
    let st = m.status();
    view! {
        <ActionForm action=update attr:class="form-inline" attr:data-testid="measure-status-form">
            <input type="hidden" name="id" value=m.id/>
            <input type="hidden" name="version" value=m.version/>
            <label class="sr-only" for=format!("measure-status-{}", m.id)>{i18n.t(K::RiskRespStatus)}</label>
            <select name="status" id=format!("measure-status-{}", m.id) data-testid="measure-status">
                {MeasureStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=s == st>{i18n.t(s.key())}</option> }).collect_view()}
            </select>
            <button type="submit" class="btn btn-small" data-testid="measure-status-save">{i18n.t(K::CommonSave)}</button>
        </ActionForm>
    }
}

fn people_options(people: &[Person], selected: i64) -> impl IntoView + use<> {
    people
        .iter()
        .map(|p| view! { <option value=p.id selected=p.id == selected>{p.display_name.clone()}</option> })
        .collect_view()
}

fn link_kind_options(selected: Option<LinkKind>) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view! {
        <option value="" selected=selected.is_none()>{i18n.t(K::RiskRespLinkNone)}</option>
        {LinkKind::ALL.into_iter().map(|k| view! { <option value=k.code() selected=Some(k) == selected>{i18n.t(k.key())}</option> }).collect_view()}
    }
}

#[component]
fn EditMeasure(m: Measure, people: Vec<Person>, update: ServerAction<UpdateRiskMeasure>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(update);
    let id = m.id;
    let link = m.link();
    view! {
        <details class="edit-measure">
            <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
            <ActionForm action=update attr:class="form" attr:data-testid="measure-edit-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=m.version/>
                <label for=format!("m-action-{id}")>{i18n.t(K::RiskRespAction)}</label>
                <textarea id=format!("m-action-{id}") name="action" rows="2">{m.action.clone()}</textarea>
                <FieldMsg error=err field="action"/>
                <label for=format!("m-owner-{id}")>{i18n.t(K::RiskRespOwner)}</label>
                <select id=format!("m-owner-{id}") name="owner_id">{people_options(&people, m.owner_id)}</select>
                <FieldMsg error=err field="owner_id"/>
                <label for=format!("m-due-{id}")>{i18n.t(K::RiskRespDueOn)}</label>
                <input id=format!("m-due-{id}") type="date" name="due_on" value=m.due_on.format("%Y-%m-%d").to_string()/>
                <FieldMsg error=err field="due_on"/>
                <label for=format!("m-status-{id}")>{i18n.t(K::RiskRespStatus)}</label>
                <select id=format!("m-status-{id}") name="status">
                    {MeasureStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=s == m.status()>{i18n.t(s.key())}</option> }).collect_view()}
                </select>
                <label for=format!("m-kind-{id}")>{i18n.t(K::RiskRespLink)}</label>
                <select id=format!("m-kind-{id}") name="link_kind">{link_kind_options(link.as_ref().map(|l| l.0))}</select>
                <input type="text" name="link_ref" value=m.link_ref.clone() aria-label=move || i18n.get(K::RiskRespLinkRef)/>
                <FieldMsg error=err field="link_ref"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

/// 5.2-b/d/e: a new measure (owner defaults to the risk's owner).
#[component]
fn AddMeasureForm(v: ResponseView, add: ServerAction<AddRiskMeasure>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(add);
    let owner: i64 = echoed(None, "owner_id", v.owner_id.to_string()).parse().unwrap_or(v.owner_id);
    let kind = LinkKind::parse(&echoed(None, "link_kind", ""));
    view! {
        <ActionForm action=add attr:class="form" attr:data-testid="measure-form">
            <h3>{i18n.t(K::RiskRespAddMeasure)}</h3>
            <FormError error=err/>
            <input type="hidden" name="risk_id" value=v.risk_id/>
            <label for="measure-action">{i18n.t(K::RiskRespAction)}</label>
            <textarea id="measure-action" name="action" rows="2" data-testid="measure-action">{echoed(None, "action", "")}</textarea>
            <FieldMsg error=err field="action"/>
            <div class="form-row">
                <label>
                    {i18n.t(K::RiskRespOwner)}
                    <select name="owner_id" data-testid="measure-owner">{people_options(&v.people, owner)}</select>
                </label>
                <label>
                    {i18n.t(K::RiskRespDueOn)}
                    <input type="date" name="due_on" value=echoed(None, "due_on", "") data-testid="measure-due"/>
                </label>
            </div>
            <FieldMsg error=err field="owner_id"/>
            <FieldMsg error=err field="due_on"/>
            <div class="form-row">
                <label>
                    {i18n.t(K::RiskRespLink)}
                    <select name="link_kind" data-testid="measure-link-kind">{link_kind_options(kind)}</select>
                </label>
                <label>
                    {i18n.t(K::RiskRespLinkRef)}
                    <input type="text" name="link_ref" value=echoed(None, "link_ref", "") data-testid="measure-link-ref"/>
                </label>
            </div>
            <p class="hint">{i18n.t(K::RiskRespLinkHint)}</p>
            <FieldMsg error=err field="link_kind"/>
            <FieldMsg error=err field="link_ref"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="measure-add">{i18n.t(K::RiskRespAddMeasure)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn ReviewTable(reviews: Vec<Review>, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th>{i18n.t(K::RiskRespReviewedAt)}</th>
                    <th>{i18n.t(K::RiskRespMeasure)}</th>
                    <th>{i18n.t(K::RiskRespEffectiveness)}</th>
                    <th>{i18n.t(K::RiskResidual)}</th>
                    <th>{i18n.t(K::RiskRespComments)}</th>
                </tr></thead>
                <tbody>
                    {reviews.into_iter().map(|r| {
                        let e = r.effectiveness();
                        view! {
                            <tr data-testid="review-row">
                                <td>{format_in(r.reviewed_at, &tz)}<br/><span class="muted">{r.reviewed_by_name.clone()}</span></td>
                                <td>{r.measure_action.clone().unwrap_or_else(|| "—".into())}</td>
                                <td><Badge tone=effectiveness_tone(e) label=e.key()/></td>
                                <td>{format!("{} × {} = {}", r.residual_likelihood, r.residual_impact, r.residual_likelihood * r.residual_impact)}</td>
                                <td class="pre">{r.comments.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// 5.2-e: an effectiveness review re-scoring the residual risk.
#[component]
fn ReviewForm(v: ResponseView, review: ServerAction<AddRiskReview>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(review);
    let l0 = echoed(None, "likelihood", v.residual_likelihood.map(|x| x.to_string()).unwrap_or_default());
    let i0 = echoed(None, "impact", v.residual_impact.map(|x| x.to_string()).unwrap_or_default());
    let m0 = echoed(None, "measure_id", "");
    view! {
        <ActionForm action=review attr:class="form" attr:data-testid="review-form">
            <h3>{i18n.t(K::RiskRespAddReview)}</h3>
            <FormError error=err/>
            <input type="hidden" name="risk_id" value=v.risk_id/>
            <input type="hidden" name="version" value=v.version/>
            <div class="form-row">
                <label>
                    {i18n.t(K::RiskRespMeasure)}
                    <select name="measure_id" data-testid="review-measure">
                        <option value="">{i18n.t(K::RiskRespWholeResponse)}</option>
                        {v.measures.iter().map(|m| {
                            let id = m.id.to_string();
                            let sel = id == m0;
                            view! { <option value=id selected=sel>{m.action.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {i18n.t(K::RiskRespEffectiveness)}
                    <select name="effectiveness" data-testid="review-effectiveness">
                        {Effectiveness::ALL.into_iter().map(|e| view! { <option value=e.code()>{i18n.t(e.key())}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <FieldMsg error=err field="measure_id"/>
            <FieldMsg error=err field="effectiveness"/>
            <div class="form-row">
                <label>
                    {i18n.t(K::RiskRespResidualLikelihood)}
                    <select name="likelihood" data-testid="review-likelihood">
                        <option value="">"—"</option>
                        {(1..=5i64).map(|n| {
                            let def = LIKELIHOOD_KEYS[(n - 1) as usize];
                            view! { <option value=n selected=n.to_string() == l0>{n}" "{i18n.t(def)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {i18n.t(K::RiskRespResidualImpact)}
                    <select name="impact" data-testid="review-impact">
                        <option value="">"—"</option>
                        {(1..=5i64).map(|n| {
                            let def = IMPACT_KEYS[(n - 1) as usize];
                            view! { <option value=n selected=n.to_string() == i0>{n}" "{i18n.t(def)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <FieldMsg error=err field="likelihood"/>
            <FieldMsg error=err field="impact"/>
            <label for="review-comments">{i18n.t(K::RiskRespComments)}</label>
            <textarea id="review-comments" name="comments" rows="3" data-testid="review-comments">{echoed(None, "comments", "")}</textarea>
            <FieldMsg error=err field="comments"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="review-save">{i18n.t(K::RiskRespAddReview)}</button>
            </div>
        </ActionForm>
    }
}

/// /risks/measures: my measures; managers also their department's; the risk
/// office all; open, overdue or all; paged by due date.
#[component]
pub fn MeasuresPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        (q.get("reach").unwrap_or_default(), q.get("filter").unwrap_or_default(), q.get("after").unwrap_or_default())
    };
    let data = Resource::new(query, |(r, f, a)| risk_measures(r, f, a));
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::RiskRespMeasuresPage)}</h1>
            <a href="/risks" class="btn btn-link">{i18n.t(K::RiskSectionRegister)}</a>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! { <MeasuresBody list=list/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeasuresBody(list: MeasuresList) -> impl IntoView {
    let i18n = use_i18n();
    let today = list.today;
    let reach = list.reach;
    let filter = list.filter;
    view! {
        <nav class="tabs" aria-label=move || i18n.get(K::RiskRespReach)>
            {list.reaches.iter().map(|r| {
                let r = *r;
                let href = href_with("/risks/measures", &[("reach".into(), r.code().into()), ("filter".into(), filter.code().into())]);
                view! { <a href=href aria-current=(r == reach).then_some("page") data-testid=format!("reach-{}", r.code())>{i18n.t(r.key())}</a> }
            }).collect_view()}
        </nav>
        <form method="get" action="/risks/measures" class="filters">
            <input type="hidden" name="reach" value=reach.code()/>
            <label>
                {i18n.t(K::RiskRespFilter)}
                <select name="filter" data-testid="measures-filter">
                    {MeasureFilter::ALL.into_iter().map(|f| view! { <option value=f.code() selected=f == filter>{i18n.t(f.key())}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonSearch)}</button>
        </form>
        {if list.page.total == 0 {
            view! { <div data-testid="measures-list"><Empty label=K::RiskRespNoMeasuresHere/></div> }.into_any()
        } else {
            view! {
                <div data-testid="measures-list">
                    <DataTable path="/risks/measures" total=list.page.total next=list.page.next.clone()
                        head=view! {
                            <th>{i18n.t(K::RiskRespRisk)}</th>
                            <th>{i18n.t(K::RiskRespAction)}</th>
                            <th>{i18n.t(K::RiskRespOwner)}</th>
                            <th>{i18n.t(K::RiskRespDueOn)}</th>
                            <th>{i18n.t(K::RiskRespStatus)}</th>
                        }.into_any()>
                        {list.page.rows.into_iter().map(|m| {
                            let st = m.status();
                            let overdue = st.is_open() && m.due_on < today;
                            view! {
                                <tr data-testid="measures-row">
                                    <td><a href=format!("/risks/{}", m.risk_id)>{m.risk_number.clone()}</a><br/><span class="muted">{m.risk_name.clone()}</span></td>
                                    <td>{m.action.clone()}</td>
                                    <td>{m.owner_name.clone()}</td>
                                    <td>
                                        {m.due_on.format("%Y-%m-%d").to_string()}
                                        {overdue.then(|| view! { " "<Badge tone=Tone::Bad label=K::InboxOverdue/> })}
                                    </td>
                                    <td><Badge tone=measure_tone(st) label=st.key()/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                </div>
            }.into_any()
        }}
    }
}
