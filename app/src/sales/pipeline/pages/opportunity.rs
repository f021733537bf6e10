use super::{RecordHistory, cny, money_input};
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::sales::pipeline::api::*;
use crate::sales::pipeline::model::{Objection, Opportunity, Stage, StageKind, weighted};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn stage_tone(kind: StageKind) -> Tone {
    match kind {
        StageKind::Open => Tone::Neutral,
        StageKind::Won => Tone::Good,
        StageKind::Lost => Tone::Bad,
    }
}

/// The stage's name as a badge (word and colour).
#[component]
pub fn StageBadge(stage: Option<Stage>, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let class = match stage.as_ref().map(|s| stage_tone(s.kind())) {
        Some(Tone::Good) => "badge badge-good",
        Some(Tone::Bad) => "badge badge-bad",
        _ => "badge",
    };
    view! { <span class=class data-testid="stage-badge">{move || stage.as_ref().map(|s| s.name(i18n.lang())).unwrap_or_else(|| code.clone())}</span> }
}

/// /sales/opportunities/new?customer=<id>
#[component]
pub fn NewOpportunityPage() -> impl IntoView {
    let i18n = use_i18n();
    let customers = Resource::new(|| (), |_| opportunity_customers());
    let preselected = move || use_query_map().get().get("customer").unwrap_or_default();
    view! {
        <h1>{i18n.t(K::PipelineNewOpportunity)}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match customers.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! { <NewOpportunityForm customers=list preselected=preselected()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewOpportunityForm(customers: Vec<(i64, String)>, preselected: String) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateOpportunity>::new();
    let err = action_error(create);
    let v = |name: &str, d: &str| echoed(Some(""), &format!("input[{name}]"), d.to_string());
    let sel = v("customer_id", &preselected);
    view! {
        <FormError error=err/>
        <ActionForm action=create attr:class="form card" attr:data-testid="opportunity-form">
            <input type="hidden" name="id" value=""/>
            <label for="customer_id">{i18n.t(K::PipelineCustomer)}</label>
            <select id="customer_id" name="input[customer_id]" required>
                <option value="">{i18n.t(K::CommonChoose)}</option>
                {customers.into_iter().map(|(id, name)| view! { <option value=id selected=id.to_string() == sel>{name}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="customer_id"/>
            <OpportunityFields o=None err=err form_id=String::new()/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{i18n.t(K::CommonCreate)}</button>
                <a class="btn btn-link" href="/sales/pipeline">{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}

/// Title, amount, expected close, needs analysis, proposed solution (2.2.2-a).
#[component]
fn OpportunityFields(o: Option<Opportunity>, #[prop(into)] err: Signal<Option<AppError>>, form_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let fid = form_id.clone();
    let v = move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default);
    let g = |f: fn(&Opportunity) -> String| o.as_ref().map(f).unwrap_or_default();
    view! {
        <label for="title">{i18n.t(K::PipelineTitle)}</label>
        <input id="title" name="input[title]" value=v("title", g(|o| o.title.clone())) required maxlength="100"/>
        <FieldMsg error=err field="title"/>
        <label for="amount">{i18n.t(K::PipelineAmount)}" (CNY)"</label>
        <input id="amount" name="input[amount]" inputmode="decimal" value=v("amount", g(|o| money_input(o.amount_minor))) required/>
        <FieldMsg error=err field="amount"/>
        <label for="expected_close">{i18n.t(K::PipelineExpectedClose)}</label>
        <input id="expected_close" name="input[expected_close]" type="date" value=v("expected_close", g(|o| o.expected_close.to_string())) required/>
        <FieldMsg error=err field="expected_close"/>
        <label for="needs_analysis">{i18n.t(K::PipelineNeedsAnalysis)}" "<span class="clause">"2.2.2-a"</span></label>
        <textarea id="needs_analysis" name="input[needs_analysis]" rows="4" maxlength="4000">{v("needs_analysis", g(|o| o.needs_analysis.clone()))}</textarea>
        <FieldMsg error=err field="needs_analysis"/>
        <label for="proposed_solution">{i18n.t(K::PipelineProposedSolution)}</label>
        <textarea id="proposed_solution" name="input[proposed_solution]" rows="4" maxlength="4000">{v("proposed_solution", g(|o| o.proposed_solution.clone()))}</textarea>
        <FieldMsg error=err field="proposed_solution"/>
    }
}

/// /sales/opportunities/:id
#[component]
pub fn OpportunityDetailPage() -> impl IntoView {
    let save = ServerAction::<SaveOpportunity>::new();
    let mv = ServerAction::<MoveOpportunity>::new();
    let add_obj = ServerAction::<AddObjection>::new();
    let save_obj = ServerAction::<SaveObjection>::new();
    let new_q = ServerAction::<CreateQuotation>::new();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(
        move || (id(), save.version().get(), mv.version().get(), add_obj.version().get(), save_obj.version().get()),
        |(id, ..)| get_opportunity(id),
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <OpportunityView d=d save=save mv=mv add_obj=add_obj save_obj=save_obj new_q=new_q/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OpportunityView(
    d: OpportunityDetail,
    save: ServerAction<SaveOpportunity>,
    mv: ServerAction<MoveOpportunity>,
    add_obj: ServerAction<AddObjection>,
    save_obj: ServerAction<SaveObjection>,
    new_q: ServerAction<CreateQuotation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let o = d.opp.clone();
    let stage = d.stages.iter().find(|s| s.code == o.stage_code).cloned();
    let kind = stage.as_ref().map(|s| s.kind()).unwrap_or(StageKind::Open);
    let prob = stage.as_ref().map(|s| s.probability).unwrap_or(0);
    let tz = d.time_zone.clone();
    let stages = d.stages.clone();
    let name_of = move |code: &str| stages.iter().find(|s| s.code == code).cloned();
    let save_err = action_error(save);
    let mv_err = action_error(mv);
    let q_err = action_error(new_q);
    let can_edit = d.can_edit;
    let id = o.id;
    let id_s = id.to_string();
    view! {
        <div class="page-head">
            <h1>{o.title.clone()}" "<StageBadge stage=stage.clone() code=o.stage_code.clone()/></h1>
            <div class="actions">
                <a class="btn" href="/sales/pipeline">{i18n.t(K::NavPipeline)}</a>
                {(kind == StageKind::Won).then(|| view! {
                    // 2.2.3-a: the contract is drafted from the won opportunity (contracts part).
                    <form method="post" action="/api/sales/draft_contract" class="inline">
                        <input type="hidden" name="opportunity_id" value=id/>
                        <button type="submit" class="btn btn-primary" data-testid="draft-contract">{i18n.t(K::PipelineDraftContract)}</button>
                    </form>
                })}
            </div>
        </div>
        <dl class="card kv">
            <dt>{i18n.t(K::PipelineCustomer)}</dt><dd><a href=format!("/sales/customers/{}", o.customer_id)>{o.customer_name.clone()}</a></dd>
            <dt>{i18n.t(K::PipelineOwner)}</dt><dd><a href=format!("/people/{}", o.owner_id)>{o.owner_name.clone()}</a></dd>
            <dt>{i18n.t(K::PipelineAmount)}</dt><dd>{cny(o.amount_minor)}</dd>
            <dt>{i18n.t(K::PipelineProbability)}</dt><dd>{prob}"%"</dd>
            <dt>{i18n.t(K::PipelineWeighted)}</dt><dd>{cny(weighted(o.amount_minor, prob))}</dd>
            <dt>{i18n.t(K::PipelineExpectedClose)}</dt><dd>{o.expected_close.to_string()}</dd>
            {o.closed_at.map(|c| view! { <dt>{i18n.t(K::PipelineClosedAt)}</dt><dd>{crate::core::time::format_in(c, &tz)}</dd> })}
            {(!o.lost_reason.is_empty()).then(|| view! { <dt>{i18n.t(K::PipelineLostReason)}</dt><dd class="pre">{o.lost_reason.clone()}</dd> })}
            <dt>{i18n.t(K::PipelineNeedsAnalysis)}</dt><dd class="pre">{o.needs_analysis.clone()}</dd>
            <dt>{i18n.t(K::PipelineProposedSolution)}</dt><dd class="pre">{o.proposed_solution.clone()}</dd>
        </dl>
        {can_edit.then(|| {
            let stages = d.stages.clone();
            let current = o.stage_code.clone();
            let sel = echoed(Some(&id.to_string()), "stage", current.clone());
            view! {
                <section class="card">
                    <h2>{i18n.t(K::PipelineChangeStage)}</h2>
                    <FormError error=mv_err/>
                    <ActionForm action=mv attr:class="form" attr:data-testid="stage-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=o.version/>
                        <label for="stage">{i18n.t(K::PipelineStage)}</label>
                        <select id="stage" name="stage">
                            {stages.into_iter().filter(|s| s.active || s.code == current).map(|s| {
                                let selected = s.code == sel;
                                let ss = s.clone();
                                view! { <option value=s.code.clone() selected=selected>{move || format!("{} ({}%)", ss.name(i18n.lang()), ss.probability)}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMsg error=mv_err field="stage"/>
                        <label for="lost_reason">{i18n.t(K::PipelineLostReason)}</label>
                        <textarea id="lost_reason" name="lost_reason" rows="2" maxlength="1000">{echoed(Some(&id.to_string()), "lost_reason", "")}</textarea>
                        <p class="hint">{i18n.t(K::PipelineLostReasonHint)}</p>
                        <FieldMsg error=mv_err field="lost_reason"/>
                        <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::PipelineMove)}</button></div>
                    </ActionForm>
                </section>
                <details class="card">
                    <summary><h2 class="inline-h">{i18n.t(K::CommonEdit)}</h2></summary>
                    <FormError error=save_err/>
                    <ActionForm action=save attr:class="form" attr:data-testid="opportunity-edit">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=o.version/>
                        <OpportunityFields o=Some(o.clone()) err=save_err form_id=id_s.clone()/>
                        <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button></div>
                    </ActionForm>
                </details>
            }
        })}
        <Objections list=d.objections.clone() opportunity_id=id can_edit=can_edit add_obj=add_obj save_obj=save_obj/>
        <section class="card" data-testid="quotations">
            <h2>{i18n.t(K::PipelineQuotations)}" "<span class="clause">"2.2.2-b/c"</span></h2>
            {if d.quotations.is_empty() {
                view! { <Empty label=K::PipelineNoQuotations/> }.into_any()
            } else {
                view! {
                    <table class="data">
                        <thead><tr><th>{i18n.t(K::PipelineNumber)}</th><th>{i18n.t(K::FieldStatus)}</th><th class="num">{i18n.t(K::PipelineTotal)}</th><th>{i18n.t(K::PipelineValidUntil)}</th></tr></thead>
                        <tbody>
                            {d.quotations.iter().map(|q| view! {
                                <tr>
                                    <td><a href=format!("/sales/quotations/{}", q.id)>{q.number.clone()}</a></td>
                                    <td><Badge tone=q.status().tone() label=q.status().key()/></td>
                                    <td class="num">{q.total().display()}</td>
                                    <td>{q.valid_until.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(can_edit && kind != StageKind::Lost).then(|| view! {
                <h3>{i18n.t(K::PipelineNewQuotation)}</h3>
                <FormError error=q_err/>
                <ActionForm action=new_q attr:class="form" attr:data-testid="quotation-new">
                    <input type="hidden" name="opportunity_id" value=id/>
                    <label for="valid_until">{i18n.t(K::PipelineValidUntil)}</label>
                    <input id="valid_until" name="valid_until" type="date" required value=echoed(None, "valid_until", "")/>
                    <FieldMsg error=q_err field="valid_until"/>
                    <label for="notes">{i18n.t(K::PipelineNotes)}</label>
                    <textarea id="notes" name="notes" rows="2" maxlength="2000"></textarea>
                    <FieldMsg error=q_err field="notes"/>
                    <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button></div>
                </ActionForm>
            })}
        </section>
        <section class="card">
            <h2>{i18n.t(K::PipelineStageHistory)}</h2>
            <table class="data" data-testid="stage-history">
                <thead><tr><th>{i18n.t(K::CommonTime)}</th><th>{i18n.t(K::PipelineFrom)}</th><th>{i18n.t(K::PipelineTo)}</th><th>{i18n.t(K::PipelineBy)}</th></tr></thead>
                <tbody>
                    {d.changes.iter().map(|c| {
                        let from = c.from_stage.clone().map(|f| { let s = name_of(&f); view! { <StageBadge stage=s code=f/> } });
                        let to = name_of(&c.to_stage);
                        view! {
                            <tr>
                                <td>{crate::core::time::format_in(c.changed_at, &d.time_zone)}</td>
                                <td>{from}</td>
                                <td><StageBadge stage=to code=c.to_stage.clone()/></td>
                                <td>{c.changed_by_name.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <RecordHistory entries=d.history.clone() tz=d.time_zone.clone()/>
    }
}

/// 2.2.2-b: the objection log.
#[component]
fn Objections(
    list: Vec<Objection>,
    opportunity_id: i64,
    can_edit: bool,
    add_obj: ServerAction<AddObjection>,
    save_obj: ServerAction<SaveObjection>,
) -> impl IntoView {
    let i18n = use_i18n();
    let add_err = action_error(add_obj);
    let save_err = action_error(save_obj);
    view! {
        <section class="card" data-testid="objections">
            <h2>{i18n.t(K::PipelineObjections)}" "<span class="clause">"2.2.2-b"</span></h2>
            <FormError error=save_err/>
            {if list.is_empty() {
                view! { <Empty label=K::PipelineNoObjections/> }.into_any()
            } else {
                view! {
                    <ul class="objections">
                        {list.into_iter().map(|ob| {
                            let resolved = ob.resolved;
                            view! {
                                <li>
                                    <p><strong>{ob.objection.clone()}</strong>" "
                                        {if resolved { view! { <Badge tone=Tone::Good label=K::PipelineResolved/> } } else { view! { <Badge tone=Tone::Warn label=K::PipelineUnresolved/> } }}
                                    </p>
                                    {(!ob.answer.is_empty()).then(|| view! { <p class="pre">{ob.answer.clone()}</p> })}
                                    {can_edit.then(|| view! {
                                        <details>
                                            <summary class="btn btn-small">{i18n.t(K::PipelineAnswer)}</summary>
                                            <ActionForm action=save_obj attr:class="form">
                                                <input type="hidden" name="id" value=ob.id/>
                                                <input type="hidden" name="version" value=ob.version/>
                                                <label for=format!("answer-{}", ob.id)>{i18n.t(K::PipelineAnswer)}</label>
                                                <textarea id=format!("answer-{}", ob.id) name="answer" rows="3">{ob.answer.clone()}</textarea>
                                                <FieldMsg error=save_err field="answer"/>
                                                <label class="check"><input type="checkbox" name="resolved" value="on" checked=resolved/>" "{i18n.t(K::PipelineResolved)}</label>
                                                <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                                            </ActionForm>
                                        </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_edit.then(|| view! {
                <h3>{i18n.t(K::PipelineAddObjection)}</h3>
                <FormError error=add_err/>
                <ActionForm action=add_obj attr:class="form" attr:data-testid="objection-form">
                    <input type="hidden" name="opportunity_id" value=opportunity_id/>
                    <label for="objection">{i18n.t(K::PipelineObjection)}</label>
                    <textarea id="objection" name="objection" rows="2" required maxlength="2000"></textarea>
                    <FieldMsg error=add_err field="objection"/>
                    <label for="objection-answer">{i18n.t(K::PipelineAnswer)}</label>
                    <textarea id="objection-answer" name="answer" rows="2" maxlength="4000"></textarea>
                    <label class="check"><input type="checkbox" name="resolved" value="on"/>" "{i18n.t(K::PipelineResolved)}</label>
                    <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button></div>
                </ActionForm>
            })}
        </section>
    }
}
