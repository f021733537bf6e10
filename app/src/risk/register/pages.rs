//! Register and assessment pages (5.1): the register list (filters, heat-map
//! cells), the register form, a risk's page (assessment on the 5×5 matrix with
//! the written definitions, history and trend, close/reopen, and the other
//! parts' panels), assessment rounds (5.1-a) and the categories (admins).
use super::api::*;
use super::model::*;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::money::Money;
use crate::core::time::format_in;
use crate::core::ui::{
    Badge, Chart, ConfirmAction, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed,
};
use crate::org::model::pick;
use crate::risk::model::{AssessmentKind, Bands, IMPACT_KEYS, LIKELIHOOD_KEYS, Level, RiskStatus};
use crate::risk::pages::{LevelBadge, RiskTabs, Section};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

const PATH: &str = "/risks";

fn param_id() -> Option<i64> {
    use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok())
}

fn refresh_on_ok<I, O>(act: ServerAction<I>, refresh: RwSignal<usize>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = crate::core::error::AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
}

fn yuan(minor: i64) -> String {
    Money::cny(minor).display()
}

/// A score with its level badge ("16 High"), or a dash.
#[component]
fn ScoreLevel(score: Option<i64>, bands: Bands) -> impl IntoView {
    match score {
        Some(s) => view! { <span class="score-level" data-score=s><span class="num">{s}</span>" "<LevelBadge level=bands.level(s)/></span> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

// ===== the register =====

/// /risks: the register the viewer may see, highest current score first.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        RiskQuery {
            q: g("q"),
            status: g("status"),
            level: g("level"),
            category: g("category"),
            dept: g("dept"),
            owner: g("owner"),
            kind: g("kind"),
            l: g("l"),
            i: g("i"),
            after: g("after"),
        }
    };
    let data = Resource::new(query, list_risks);
    view! {
        <RiskTabs current=Section::Register/>
        <Suspense fallback=move || view! { <h1>{i18n.t(K::NavRisks)}</h1><Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>{i18n.t(K::NavRisks)}</h1><ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <RegisterList v=v q=query()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegisterList(v: RegisterView, q: RiskQuery) -> impl IntoView {
    let i18n = use_i18n();
    let RegisterView { page, bands, categories, departments, owners } = v;
    let cell = match (AssessmentKind::parse(&q.kind), q.l.parse::<i64>().ok(), q.i.parse::<i64>().ok()) {
        (Some(k), Some(l), Some(i)) if (1..=5).contains(&l) && (1..=5).contains(&i) => Some((k, l, i)),
        _ => None,
    };
    let new_button = move || view! { <a class="btn btn-primary" href="/risks/new" data-testid="new-risk">{i18n.t(K::RiskRegNew)}</a> };
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavRisks)}" "<span class="clause">"5.1"</span></h1>
            <div class="actions">{new_button()}</div>
        </div>
        {cell.map(|(k, l, i)| view! {
            <p class="alert alert-warn" data-testid="cell-filter">
                {move || i18n.lang().tf(K::RiskRegCellFilter, &[("kind", i18n.get(k.key()).to_string()), ("l", l.to_string()), ("i", i.to_string())])}
                " "<a href=PATH>{i18n.t(K::RiskRegCellClear)}</a>
            </p>
        })}
        <form method="get" action=PATH class="filters" role="search">
            {cell.map(|(k, l, i)| view! {
                <input type="hidden" name="kind" value=k.code()/>
                <input type="hidden" name="l" value=l/>
                <input type="hidden" name="i" value=i/>
            })}
            <label>{i18n.t(K::CommonSearch)}
                <input name="q" type="search" value=q.q.clone() placeholder=move || i18n.get(K::RiskRegSearchHint)/>
            </label>
            <label>{i18n.t(K::FieldStatus)}
                <select name="status">
                    <option value="">{i18n.t(K::RiskRegOpenOnly)}</option>
                    {RiskStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=q.status == s.code()>{i18n.t(s.key())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::RiskRegLevel)}
                <select name="level">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {Level::ALL.into_iter().map(|l| view! { <option value=l.code() selected=q.level == l.code()>{i18n.t(l.key())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::RiskRegCategory)}
                <select name="category">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {categories.into_iter().map(|c| {
                        let sel = q.category == c.id.to_string();
                        view! { <option value=c.id selected=sel>{move || pick(i18n.lang(), &c.name_zh, &c.name_en)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::FieldDepartment)}
                <select name="dept">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {departments.into_iter().map(|d| {
                        let sel = q.dept == d.id.to_string();
                        view! { <option value=d.id selected=sel>{move || pick(i18n.lang(), &d.name_zh, &d.name_en)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::RiskRegOwner)}
                <select name="owner">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {owners.into_iter().map(|p| view! { <option value=p.id selected=q.owner == p.id.to_string()>{p.display_name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href=PATH class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        {if page.total == 0 {
            view! { <div class="card" data-testid="risks-empty"><Empty label=K::RiskRegEmpty/>{new_button()}</div> }.into_any()
        } else {
            view! {
                <div data-testid="risks-table">
                    <DataTable path=PATH total=page.total next=page.next.clone()
                        head=view! {
                            <th>{i18n.t(K::RiskRegNumber)}</th>
                            <th>{i18n.t(K::RiskRegName)}</th>
                            <th>{i18n.t(K::RiskRegCategory)}</th>
                            <th>{i18n.t(K::FieldDepartment)}</th>
                            <th>{i18n.t(K::RiskRegOwner)}</th>
                            <th>{i18n.t(K::RiskInherent)}</th>
                            <th>{i18n.t(K::RiskResidual)}</th>
                            <th>{i18n.t(K::FieldStatus)}</th>
                        }.into_any()>
                        {page.rows.into_iter().map(|r| {
                            let st = r.status();
                            let (cz, ce, dz, de) = (r.category_zh.clone(), r.category_en.clone(), r.department_zh.clone(), r.department_en.clone());
                            view! {
                                <tr data-testid=format!("risk-row-{}", r.number)>
                                    <td><a href=format!("/risks/{}", r.id)>{r.number.clone()}</a></td>
                                    <td><a href=format!("/risks/{}", r.id)>{r.name.clone()}</a></td>
                                    <td>{move || pick(i18n.lang(), &cz, &ce)}</td>
                                    <td>{move || pick(i18n.lang(), &dz, &de)}</td>
                                    <td>{r.owner_name.clone()}</td>
                                    <td><ScoreLevel score=r.inherent_score bands=bands/></td>
                                    <td><ScoreLevel score=r.residual_score bands=bands/></td>
                                    <td><Badge tone=st.tone() label=st.key()/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                </div>
            }.into_any()
        }}
    }
}

// ===== the register form =====

/// /risks/new and /risks/:id/edit.
#[component]
pub fn RiskFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || param_id().unwrap_or(0);
    let data = Resource::new(id, risk_form);
    view! {
        <RiskTabs current=Section::Register/>
        <h1>{move || i18n.get(if id() > 0 { K::RiskRegEditTitle } else { K::RiskRegNewTitle })}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <RiskForm d=d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn choice_options(items: Vec<Choice>, selected: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <option value="">{i18n.t(K::CommonNone)}</option>
        {items.into_iter().map(|c| view! { <option value=c.id selected=selected == c.id.to_string()>{c.label.clone()}</option> }).collect_view()}
    }
}

#[component]
fn RiskForm(d: RiskFormData) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRisk>::new();
    let err = action_error(save);
    let r = d.risk.clone();
    let base = r.as_ref().map(RiskInput::from_risk).unwrap_or_else(|| RiskInput {
        department_id: d.own_department_id.to_string(),
        category_id: d.categories.first().map(|c| c.id.to_string()).unwrap_or_default(),
        ..RiskInput::default()
    });
    let form_id = r.as_ref().map(|r| r.id.to_string()).unwrap_or_default();
    let fid = form_id.clone();
    let v = move |name: &str, default: &str| echoed(Some(&fid), &format!("input[{name}]"), default.to_string());
    let cat_sel = v("category_id", &base.category_id);
    let dept_sel = v("department_id", &base.department_id);
    let owner_sel = v("owner_id", &base.owner_id);
    let cancel = r.as_ref().map(|r| format!("/risks/{}", r.id)).unwrap_or_else(|| PATH.into());
    let depts = d.departments.clone();
    // Owners grouped by department (an owner belongs to the risk's department).
    let groups: Vec<(Dept, Vec<Person>)> =
        depts.iter().map(|dp| (dp.clone(), d.people.iter().filter(|p| p.department_id == dp.id).cloned().collect())).collect();
    view! {
        <FormError error=err/>
        <ActionForm action=save attr:class="form card risk-form" attr:data-testid="risk-form">
            <input type="hidden" name="id" value=form_id.clone()/>
            <input type="hidden" name="version" value=r.as_ref().map(|r| r.version.to_string()).unwrap_or_default()/>
            <fieldset>
                <legend>{i18n.t(K::RiskRegBasics)}" "<span class="clause">"5.1-b"</span></legend>
                <label for="name">{i18n.t(K::RiskRegName)}</label>
                <input id="name" name="input[name]" value=v("name", &base.name) required maxlength="200"/>
                <FieldMsg error=err field="name"/>
                <label for="description">{i18n.t(K::RiskRegDescription)}</label>
                <textarea id="description" name="input[description]" rows="3" maxlength="4000">{v("description", &base.description)}</textarea>
                <FieldMsg error=err field="description"/>
                <label for="source">{i18n.t(K::RiskRegSource)}</label>
                <textarea id="source" name="input[source]" rows="2" maxlength="1000">{v("source", &base.source)}</textarea>
                <p class="hint">{i18n.t(K::RiskRegSourceHint)}</p>
                <FieldMsg error=err field="source"/>
                <label for="category_id">{i18n.t(K::RiskRegCategory)}</label>
                <select id="category_id" name="input[category_id]" required>
                    {d.categories.iter().map(|c| {
                        let (zh, en) = (c.name_zh.clone(), c.name_en.clone());
                        view! { <option value=c.id selected=cat_sel == c.id.to_string()>{move || pick(i18n.lang(), &zh, &en)}</option> }
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="category_id"/>
                <label for="department_id">{i18n.t(K::FieldDepartment)}</label>
                <select id="department_id" name="input[department_id]" required>
                    {depts.iter().map(|dp| {
                        let (zh, en) = (dp.name_zh.clone(), dp.name_en.clone());
                        view! { <option value=dp.id selected=dept_sel == dp.id.to_string()>{move || pick(i18n.lang(), &zh, &en)}</option> }
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="department_id"/>
                <label for="owner_id">{i18n.t(K::RiskRegOwner)}</label>
                <select id="owner_id" name="input[owner_id]" required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {groups.into_iter().filter(|g| !g.1.is_empty()).map(|(dp, ps)| {
                        let owner_sel = owner_sel.clone();
                        view! {
                            <optgroup label=move || pick(i18n.lang(), &dp.name_zh, &dp.name_en)>
                                {ps.into_iter().map(|p| view! { <option value=p.id selected=owner_sel == p.id.to_string()>{p.display_name.clone()}</option> }).collect_view()}
                            </optgroup>
                        }
                    }).collect_view()}
                </select>
                <p class="hint">{i18n.t(K::RiskRegOwnerHint)}</p>
                <FieldMsg error=err field="owner_id"/>
            </fieldset>
            <fieldset>
                <legend>{i18n.t(K::RiskRegRelated)}</legend>
                <label for="customer_id">{i18n.t(K::RiskRegCustomer)}</label>
                <select id="customer_id" name="input[customer_id]">{choice_options(d.customers.clone(), v("customer_id", &base.customer_id))}</select>
                <FieldMsg error=err field="customer_id"/>
                <label for="contract_id">{i18n.t(K::RiskRegContract)}</label>
                <select id="contract_id" name="input[contract_id]">{choice_options(d.contracts.clone(), v("contract_id", &base.contract_id))}</select>
                <FieldMsg error=err field="contract_id"/>
                <label for="project_id">{i18n.t(K::RiskRegProject)}</label>
                <select id="project_id" name="input[project_id]">{choice_options(d.projects.clone(), v("project_id", &base.project_id))}</select>
                <FieldMsg error=err field="project_id"/>
                <label for="round_id">{i18n.t(K::RiskRegRound)}</label>
                <select id="round_id" name="input[round_id]">{choice_options(d.rounds.clone(), v("round_id", &base.round_id))}</select>
                <FieldMsg error=err field="round_id"/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="save-risk" disabled=move || save.pending().get()>{i18n.t(K::CommonSave)}</button>
                <a class="btn btn-link" href=cancel>{i18n.t(K::CommonCancel)}</a>
            </div>
        </ActionForm>
    }
}

// ===== a risk =====

/// /risks/:id
#[component]
pub fn RiskPage() -> impl IntoView {
    let refresh = RwSignal::new(0usize);
    let id = move || param_id().unwrap_or(0);
    let data = Resource::new(move || (id(), refresh.get()), |(id, _)| risk_page(id));
    view! {
        <RiskTabs current=Section::Register/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <RiskBody v=v refresh=refresh/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RiskBody(v: RiskView, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let r = v.risk.clone();
    let id = r.id;
    let bands = v.bands;
    let st = r.status();
    let closed = st == RiskStatus::Closed;
    let tz = v.time_zone.clone();
    let (cz, ce, dz, de) = (r.category_zh.clone(), r.category_en.clone(), r.department_zh.clone(), r.department_en.clone());
    let lm = |l: Option<i64>, i: Option<i64>| match (l, i) {
        (Some(l), Some(i)) => format!("{l} × {i}"),
        _ => String::new(),
    };
    view! {
        <div class="page-head">
            <h1 data-testid="risk-title">{r.number.clone()}" "{r.name.clone()}</h1>
            <div class="actions">
                <Badge tone=st.tone() label=st.key()/>
                {(v.access.edit && !closed).then(|| view! { <a class="btn" href=format!("/risks/{id}/edit") data-testid="edit-risk">{i18n.t(K::CommonEdit)}</a> })}
            </div>
        </div>
        <section class="card risk-summary" data-testid="risk-summary">
            <div class="risk-levels">
                <div data-testid="inherent">
                    <h2>{i18n.t(K::RiskInherent)}</h2>
                    <ScoreLevel score=r.inherent_score bands=bands/>
                    <p class="muted">{lm(r.inherent_likelihood, r.inherent_impact)}</p>
                </div>
                <div data-testid="residual">
                    <h2>{i18n.t(K::RiskResidual)}</h2>
                    <ScoreLevel score=r.residual_score bands=bands/>
                    <p class="muted">{lm(r.residual_likelihood, r.residual_impact)}</p>
                </div>
                <div data-testid="current">
                    <h2>{i18n.t(K::RiskRegCurrent)}</h2>
                    <ScoreLevel score=r.current_score bands=bands/>
                </div>
            </div>
            <table class="kv">
                <tbody>
                    <tr><th>{i18n.t(K::RiskRegCategory)}</th><td>{move || pick(i18n.lang(), &cz, &ce)}</td></tr>
                    <tr><th>{i18n.t(K::FieldDepartment)}</th><td>{move || pick(i18n.lang(), &dz, &de)}</td></tr>
                    <tr><th>{i18n.t(K::RiskRegOwner)}</th><td>{r.owner_name.clone()}</td></tr>
                    <tr><th>{i18n.t(K::RiskRegDescription)}</th><td class="pre">{r.description.clone()}</td></tr>
                    <tr><th>{i18n.t(K::RiskRegSource)}</th><td class="pre">{r.source.clone()}</td></tr>
                    {r.customer_id.map(|c| view! { <tr><th>{i18n.t(K::RiskRegCustomer)}</th><td><a href=format!("/sales/customers/{c}")>{r.customer_name.clone()}</a></td></tr> })}
                    {r.contract_id.map(|c| view! { <tr><th>{i18n.t(K::RiskRegContract)}</th><td><a href=format!("/sales/contracts/{c}")>{r.contract_number.clone()}</a></td></tr> })}
                    {r.project_id.map(|p| view! {
                        <tr><th>{i18n.t(K::RiskRegProject)}</th><td><a href=format!("/projects/{p}") data-testid="project-link">{r.project_number.clone()}" "{r.project_name.clone()}</a></td></tr>
                    })}
                    {r.round_id.map(|rid| view! { <tr><th>{i18n.t(K::RiskRegRound)}</th><td><a href=format!("/risks/rounds/{rid}")>{r.round_name.clone()}</a></td></tr> })}
                    {r.probability_bp.map(|p| view! { <tr><th>{i18n.t(K::RiskRegProbability)}</th><td>{percent_text(p)}</td></tr> })}
                    {r.loss_minor.map(|l| view! { <tr><th>{i18n.t(K::RiskRegLoss)}</th><td class="num">{yuan(l)}</td></tr> })}
                    {r.expected_loss_minor.map(|l| view! { <tr><th>{i18n.t(K::RiskRegExpectedLoss)}</th><td class="num" data-testid="expected-loss">{yuan(l)}</td></tr> })}
                    {r.last_assessed_at.map(|t| view! { <tr><th>{i18n.t(K::RiskRegLastAssessed)}</th><td>{format_in(t, &tz)}</td></tr> })}
                    {closed.then(|| view! { <tr><th>{i18n.t(K::RiskRegClosedReason)}</th><td class="pre">{r.closed_reason.clone()}</td></tr> })}
                </tbody>
            </table>
        </section>
        {(v.access.edit && !closed).then(|| view! { <AssessForm risk=v.risk.clone() refresh=refresh/> })}
        <History v=v.clone()/>
        <crate::risk::response::pages::ResponsePanel risk_id=id on_change=Callback::new(move |_| refresh.update(|n| *n += 1))/>
        <crate::risk::monitoring::pages::RiskEscalations risk_id=id/>
        {v.access.edit.then(|| view! { <CloseReopen risk=v.risk.clone() refresh=refresh/> })}
    }
}

/// The assessment form (5.1-c): likelihood and impact with their written
/// definitions, the optional quantitative estimate, the rationale.
#[component]
fn AssessForm(risk: Risk, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<AssessRisk>::new();
    let err = action_error(act);
    refresh_on_ok(act, refresh);
    let fid = format!("assess-{}", risk.id);
    let f2 = fid.clone();
    let v = move |name: &str, default: String| echoed(Some(&f2), &format!("input[{name}]"), default);
    let default_kind = if risk.inherent_score.is_some() { "residual" } else { "inherent" };
    let kind_sel = v("kind", default_kind.to_string());
    let l_sel = v("likelihood", risk.inherent_likelihood.map(|x| x.to_string()).unwrap_or_default());
    let i_sel = v("impact", risk.inherent_impact.map(|x| x.to_string()).unwrap_or_default());
    let scale = move |name: &'static str, keys: [K; 5], sel: String| {
        keys.into_iter()
            .enumerate()
            .map(|(n, k)| {
                let val = (n + 1).to_string();
                let checked = sel == val;
                view! {
                    <label class="radio">
                        <input type="radio" name=format!("input[{name}]") value=val.clone() checked=checked required data-testid=format!("{name}-{val}")/>
                        " "<strong>{val.clone()}</strong>" "{i18n.t(k)}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" data-testid="assess">
            <h2>{i18n.t(K::RiskRegAssess)}" "<span class="clause">"5.1-c"</span></h2>
            <FormError error=err/>
            <FieldMsg error=err field="state"/>
            <ActionForm action=act attr:class="form assess-form">
                <input type="hidden" name="id" value=risk.id/>
                <input type="hidden" name="version" value=risk.version/>
                <label for="assess-kind">{i18n.t(K::RiskRegKind)}</label>
                <select id="assess-kind" name="input[kind]" data-testid="assess-kind">
                    {[AssessmentKind::Inherent, AssessmentKind::Residual].into_iter().map(|k| view! {
                        <option value=k.code() selected=kind_sel == k.code()>{i18n.t(k.key())}</option>
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="kind"/>
                <fieldset class="scale">
                    <legend>{i18n.t(K::RiskLikelihood)}</legend>
                    {scale("likelihood", LIKELIHOOD_KEYS, l_sel)}
                    <FieldMsg error=err field="likelihood"/>
                </fieldset>
                <fieldset class="scale">
                    <legend>{i18n.t(K::RiskImpact)}</legend>
                    {scale("impact", IMPACT_KEYS, i_sel)}
                    <FieldMsg error=err field="impact"/>
                </fieldset>
                <label for="assess-probability">{i18n.t(K::RiskRegProbabilityPct)}</label>
                <input id="assess-probability" name="input[probability]" inputmode="decimal" value=v("probability", String::new())/>
                <FieldMsg error=err field="probability"/>
                <label for="assess-loss">{i18n.t(K::RiskRegLossYuan)}</label>
                <input id="assess-loss" name="input[loss]" inputmode="decimal" value=v("loss", String::new())/>
                <p class="hint">{i18n.t(K::RiskRegQuantHint)}</p>
                <FieldMsg error=err field="loss"/>
                <label for="assess-rationale">{i18n.t(K::RiskRegRationale)}</label>
                <textarea id="assess-rationale" name="input[rationale]" rows="2" required maxlength="2000">{v("rationale", String::new())}</textarea>
                <FieldMsg error=err field="rationale"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="assess-submit" disabled=move || act.pending().get()>{i18n.t(K::RiskRegAssessSave)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The trend chart (inherent and residual score after each assessment).
pub fn trend_chart(points: &[(String, Option<i64>, Option<i64>)], lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Line;
    let val = |v: Option<i64>| v.map(|x| x as f64).unwrap_or(f64::NAN);
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(points.iter().map(|p| p.0.clone()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(25))
        .series(Line::new().name(lang.t(K::RiskInherent)).data(points.iter().map(|p| val(p.1)).collect::<Vec<f64>>()))
        .series(Line::new().name(lang.t(K::RiskResidual)).data(points.iter().map(|p| val(p.2)).collect::<Vec<f64>>()))
}

#[component]
fn History(v: RiskView) -> impl IntoView {
    let i18n = use_i18n();
    let tz = v.time_zone.clone();
    let bands = v.bands;
    let mut oldest_first = v.history.clone();
    oldest_first.reverse();
    let points: Vec<(String, Option<i64>, Option<i64>)> = trend(&oldest_first).into_iter().map(|(t, a, b)| (format_in(t, &tz), a, b)).collect();
    let dash = |x: Option<i64>| x.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    view! {
        <section class="card" data-testid="history">
            <h2>{i18n.t(K::RiskRegHistory)}</h2>
            {if v.history.is_empty() {
                view! { <Empty label=K::RiskRegNoHistory/> }.into_any()
            } else {
                let lang = i18n.lang();
                let rows: Vec<Vec<String>> = points.iter().map(|p| vec![p.0.clone(), dash(p.1), dash(p.2)]).collect();
                view! {
                    <div class="table-wrap"><table class="data" data-testid="history-table">
                        <thead><tr>
                            <th>{i18n.t(K::CommonTime)}</th>
                            <th>{i18n.t(K::RiskRegKind)}</th>
                            <th class="num">{i18n.t(K::RiskLikelihood)}</th>
                            <th class="num">{i18n.t(K::RiskImpact)}</th>
                            <th>{i18n.t(K::RiskRegLevelThen)}</th>
                            <th class="num">{i18n.t(K::RiskRegExpectedLoss)}</th>
                            <th>{i18n.t(K::RiskRegRationale)}</th>
                            <th>{i18n.t(K::RiskRegAssessedBy)}</th>
                        </tr></thead>
                        <tbody>
                            {v.history.iter().map(|a| {
                                let k = a.kind();
                                view! {
                                    <tr data-testid="history-row">
                                        <td>{format_in(a.assessed_at, &tz)}</td>
                                        <td>{i18n.t(k.key())}</td>
                                        <td class="num">{a.likelihood}</td>
                                        <td class="num">{a.impact}</td>
                                        <td><span class="num">{a.score}</span>" "<LevelBadge level=a.level()/>
                                            {(bands.level(a.score) != a.level()).then(|| view! { <small class="muted">" ("{i18n.t(K::RiskRegLevelNow)}" "{i18n.t(bands.level(a.score).key())}")"</small> })}
                                        </td>
                                        <td class="num">{a.expected_loss_minor.map(yuan).unwrap_or_default()}</td>
                                        <td class="pre">{a.rationale.clone()}{a.round_name.clone().map(|n| view! { <br/><small class="muted">{n}</small> })}</td>
                                        <td>{a.assessed_by_name.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                    <Chart
                        id=format!("risk-trend-{}", v.risk.id)
                        chart=trend_chart(&points, lang)
                        caption=lang.t(K::RiskRegTrend).to_string()
                        headers=vec![lang.t(K::CommonTime).to_string(), lang.t(K::RiskInherent).to_string(), lang.t(K::RiskResidual).to_string()]
                        rows=rows
                    />
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CloseReopen(risk: Risk, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let close = ServerAction::<CloseRisk>::new();
    let reopen = ServerAction::<ReopenRisk>::new();
    refresh_on_ok(close, refresh);
    refresh_on_ok(reopen, refresh);
    let cerr = action_error(close);
    let rerr = action_error(reopen);
    let closed = risk.status() == RiskStatus::Closed;
    view! {
        <section class="card" data-testid="close-reopen">
            {if closed {
                view! {
                    <FormError error=rerr/>
                    <ConfirmAction label=K::RiskRegReopen question=K::RiskRegReopenQuestion>
                        <ActionForm action=reopen>
                            <input type="hidden" name="id" value=risk.id/>
                            <input type="hidden" name="version" value=risk.version/>
                            <button type="submit" class="btn btn-primary" data-testid="reopen-confirm">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                }.into_any()
            } else {
                view! {
                    <FormError error=cerr/>
                    <ConfirmAction label=K::RiskRegClose question=K::RiskRegCloseQuestion danger=true>
                        <ActionForm action=close attr:class="form">
                            <input type="hidden" name="id" value=risk.id/>
                            <input type="hidden" name="version" value=risk.version/>
                            <label for="close-reason">{i18n.t(K::RiskRegClosedReason)}</label>
                            <textarea id="close-reason" name="reason" rows="2" required maxlength="1000"></textarea>
                            <FieldMsg error=cerr field="reason"/>
                            <button type="submit" class="btn btn-danger" data-testid="close-confirm">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                }.into_any()
            }}
        </section>
    }
}

// ===== rounds (5.1-a) =====

/// /risks/rounds
#[component]
pub fn RoundsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| rounds_page());
    view! {
        <RiskTabs current=Section::Rounds/>
        <h1>{i18n.t(K::RiskSectionRounds)}" "<span class="clause">"5.1-a"</span></h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <RoundsBody v=v/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoundsBody(v: RoundsView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="rounds">
            {if v.rounds.is_empty() {
                view! { <Empty label=K::RiskRegNoRounds/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::RiskRegRoundName)}</th>
                            <th>{i18n.t(K::RiskRegPeriod)}</th>
                            <th>{i18n.t(K::RiskRegStarts)}</th>
                            <th>{i18n.t(K::RiskRegDue)}</th>
                            <th>{i18n.t(K::RiskRegProgress)}</th>
                            <th>{i18n.t(K::FieldStatus)}</th>
                        </tr></thead>
                        <tbody>
                            {v.rounds.iter().map(|r| view! {
                                <tr data-testid=format!("round-{}", r.id)>
                                    <td><a href=format!("/risks/rounds/{}", r.id)>{r.name.clone()}</a></td>
                                    <td>{r.period.clone()}</td>
                                    <td>{r.starts_on.to_string()}</td>
                                    <td>{r.due_on.to_string()}</td>
                                    <td class="num">{format!("{} / {}", r.submitted, r.departments)}</td>
                                    <td>{round_status(r)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        {v.can_open.then(|| view! { <OpenRoundForm departments=v.departments.clone() today=v.today/> })}
    }
}

fn round_status(r: &Round) -> impl IntoView + use<> {
    if r.is_open() {
        view! { <Badge tone=Tone::Warn label=K::RiskRegRoundOpen/> }
    } else {
        view! { <Badge tone=Tone::Neutral label=K::RiskRegRoundClosed/> }
    }
}

#[component]
fn OpenRoundForm(departments: Vec<Dept>, today: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<OpenRound>::new();
    let err = action_error(act);
    let v = move |name: &str, default: String| echoed(Some(""), &format!("input[{name}]"), default);
    let due = today + chrono::Duration::days(21);
    view! {
        <section class="card" data-testid="open-round">
            <h2>{i18n.t(K::RiskRegOpenRound)}</h2>
            <FormError error=err/>
            <ActionForm action=act attr:class="form">
                <input type="hidden" name="id" value=""/>
                <label for="round-name">{i18n.t(K::RiskRegRoundName)}</label>
                <input id="round-name" name="input[name]" required maxlength="100" value=v("name", String::new())/>
                <FieldMsg error=err field="name"/>
                <label for="round-period">{i18n.t(K::RiskRegPeriod)}</label>
                <input id="round-period" name="input[period]" required maxlength="20" value=v("period", quarter_of(today))/>
                <FieldMsg error=err field="period"/>
                <label for="round-starts">{i18n.t(K::RiskRegStarts)}</label>
                <input id="round-starts" name="input[starts_on]" type="date" required value=v("starts_on", today.to_string())/>
                <FieldMsg error=err field="starts_on"/>
                <label for="round-due">{i18n.t(K::RiskRegDue)}</label>
                <input id="round-due" name="input[due_on]" type="date" required value=v("due_on", due.to_string())/>
                <FieldMsg error=err field="due_on"/>
                <label for="round-note">{i18n.t(K::RiskRegNote)}</label>
                <textarea id="round-note" name="input[note]" rows="2" maxlength="2000">{v("note", String::new())}</textarea>
                <fieldset>
                    <legend>{i18n.t(K::RiskRegParticipants)}</legend>
                    {departments.into_iter().enumerate().map(|(n, d)| {
                        let checked = default_participant(&d.code);
                        view! {
                            <label class="check">
                                <input type="checkbox" name=format!("departments[{n}]") value=d.id checked=checked/>
                                " "{move || pick(i18n.lang(), &d.name_zh, &d.name_en)}
                            </label>
                        }
                    }).collect_view()}
                    <FieldMsg error=err field="departments"/>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::RiskRegOpenRound)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// /risks/rounds/:id
#[component]
pub fn RoundPage() -> impl IntoView {
    let refresh = RwSignal::new(0usize);
    let id = move || param_id().unwrap_or(0);
    let data = Resource::new(move || (id(), refresh.get()), |(id, _)| round_page(id));
    view! {
        <RiskTabs current=Section::Rounds/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <RoundBody v=v refresh=refresh/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RoundBody(v: RoundView, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitRound>::new();
    let ret = ServerAction::<ReturnRound>::new();
    let close = ServerAction::<CloseRound>::new();
    refresh_on_ok(submit, refresh);
    refresh_on_ok(ret, refresh);
    refresh_on_ok(close, refresh);
    let (serr, rerr, cerr) = (action_error(submit), action_error(ret), action_error(close));
    let r = v.round.clone();
    let open = r.is_open();
    let tz = v.time_zone.clone();
    let mine = v.my_row.and_then(|id| v.departments.iter().find(|d| d.id == id).cloned());
    view! {
        <div class="page-head">
            <h1 data-testid="round-title">{r.name.clone()}</h1>
            <div class="actions">{round_status(&r)}</div>
        </div>
        <p>{r.period.clone()}" · "{r.starts_on.to_string()}" – "{r.due_on.to_string()}" · "{r.opened_by_name.clone()}</p>
        {(!r.note.is_empty()).then(|| view! { <p class="pre">{r.note.clone()}</p> })}
        <FormError error=rerr/>
        <FormError error=cerr/>
        <section class="card" data-testid="round-progress">
            <h2>{i18n.t(K::RiskRegProgress)}" "{format!("{} / {}", r.submitted, r.departments)}</h2>
            <div class="table-wrap"><table class="data">
                <thead><tr>
                    <th>{i18n.t(K::FieldDepartment)}</th>
                    <th>{i18n.t(K::FieldStatus)}</th>
                    <th class="num">{i18n.t(K::RiskRegOpenRisks)}</th>
                    <th class="num">{i18n.t(K::RiskRegAssessedSince)}</th>
                    <th>{i18n.t(K::RiskRegSubmittedBy)}</th>
                    <th>{i18n.t(K::RiskRegComment)}</th>
                    {(v.risk_office && open).then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                </tr></thead>
                <tbody>
                    {v.departments.clone().into_iter().map(|d| {
                        let st = d.status();
                        let (zh, en) = (d.department_zh.clone(), d.department_en.clone());
                        let can_return = v.risk_office && open && st == RoundDeptStatus::Submitted;
                        view! {
                            <tr data-testid=format!("round-dept-{}", d.department_id)>
                                <td>{move || pick(i18n.lang(), &zh, &en)}</td>
                                <td><Badge tone=st.tone() label=st.key()/></td>
                                <td class="num">{d.open_risks}</td>
                                <td class="num">{d.assessed}</td>
                                <td>{d.submitted_by_name.clone().unwrap_or_default()}" "{d.submitted_at.map(|t| format_in(t, &tz)).unwrap_or_default()}</td>
                                <td class="pre">{d.comment.clone()}</td>
                                {(v.risk_office && open).then(|| view! {
                                    <td>{can_return.then(|| view! {
                                        <ConfirmAction label=K::RiskRegReturn question=K::RiskRegReturnQuestion>
                                            <ActionForm action=ret attr:class="form">
                                                <input type="hidden" name="round_id" value=r.id/>
                                                <input type="hidden" name="id" value=d.id/>
                                                <input type="hidden" name="version" value=d.version/>
                                                <label>{i18n.t(K::RiskRegReturnReason)}<textarea name="reason" rows="2" required maxlength="1000"></textarea></label>
                                                <FieldMsg error=rerr field="reason"/>
                                                <button type="submit" class="btn">{i18n.t(K::CommonConfirm)}</button>
                                            </ActionForm>
                                        </ConfirmAction>
                                    })}</td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        {(!v.my_unassessed.is_empty() && open).then(|| view! {
            <section class="card" data-testid="unassessed">
                <h2>{i18n.t(K::RiskRegUnassessedTitle)}</h2>
                <ul>{v.my_unassessed.iter().map(|u| view! { <li><a href=format!("/risks/{}", u.id)>{u.number.clone()}" "{u.name.clone()}</a></li> }).collect_view()}</ul>
            </section>
        })}
        {mine.filter(|m| open && m.status() != RoundDeptStatus::Submitted).map(|m| view! {
            <section class="card" data-testid="submit-round">
                <h2>{i18n.t(K::RiskRegSubmit)}</h2>
                <p class="hint">{i18n.t(K::RiskRegSubmitHint)}</p>
                <FormError error=serr/>
                <FieldMsg error=serr field="state"/>
                <ActionForm action=submit attr:class="form">
                    <input type="hidden" name="round_id" value=r.id/>
                    <input type="hidden" name="id" value=m.id/>
                    <input type="hidden" name="version" value=m.version/>
                    <label for="submit-comment">{i18n.t(K::RiskRegComment)}</label>
                    <textarea id="submit-comment" name="comment" rows="2" maxlength="2000"></textarea>
                    <FieldMsg error=serr field="comment"/>
                    <button type="submit" class="btn btn-primary" data-testid="submit-round-button">{i18n.t(K::RiskRegSubmit)}</button>
                </ActionForm>
            </section>
        })}
        {(v.risk_office && open).then(|| view! {
            <section class="card">
                <ConfirmAction label=K::RiskRegCloseRound question=K::RiskRegCloseRoundQuestion>
                    <ActionForm action=close>
                        <input type="hidden" name="id" value=r.id/>
                        <input type="hidden" name="version" value=r.version/>
                        <button type="submit" class="btn">{i18n.t(K::CommonConfirm)}</button>
                    </ActionForm>
                </ConfirmAction>
            </section>
        })}
    }
}

// ===== categories (admins) =====

/// /admin/risk-categories
#[component]
pub fn CategoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0usize);
    let data = Resource::new(move || refresh.get(), |_| categories_page());
    view! {
        <h1>{i18n.t(K::NavRiskCategories)}" "<span class="clause">"5.1-b"</span></h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(cats) => view! { <CategoriesBody cats=cats refresh=refresh/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CategoriesBody(cats: Vec<Category>, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<SaveCategory>::new();
    let err = action_error(add);
    refresh_on_ok(add, refresh);
    view! {
        <section class="card" data-testid="categories">
            <div class="table-wrap"><table class="data">
                <thead><tr>
                    <th>{i18n.t(K::FieldCode)}</th><th>{i18n.t(K::FieldNameZh)}</th><th>{i18n.t(K::FieldNameEn)}</th>
                    <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CommonActions)}</th>
                </tr></thead>
                <tbody>
                    {cats.into_iter().map(|c| view! { <CategoryRow c=c refresh=refresh/> }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <section class="card">
            <h2>{i18n.t(K::RiskRegAddCategory)}</h2>
            <FormError error=err/>
            <ActionForm action=add attr:class="form" attr:data-testid="add-category">
                <input type="hidden" name="id" value=""/>
                <input type="hidden" name="version" value=""/>
                <input type="hidden" name="active" value=""/>
                <label for="cat-code">{i18n.t(K::FieldCode)}</label>
                <input id="cat-code" name="code" required maxlength="40" pattern="[a-z][a-z0-9_]*" value=echoed(Some(""), "code", "")/>
                <FieldMsg error=err field="code"/>
                <label for="cat-zh">{i18n.t(K::FieldNameZh)}</label>
                <input id="cat-zh" name="name_zh" required maxlength="60" value=echoed(Some(""), "name_zh", "")/>
                <FieldMsg error=err field="name_zh"/>
                <label for="cat-en">{i18n.t(K::FieldNameEn)}</label>
                <input id="cat-en" name="name_en" required maxlength="60" value=echoed(Some(""), "name_en", "")/>
                <FieldMsg error=err field="name_en"/>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn CategoryRow(c: Category, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let rename = ServerAction::<SaveCategory>::new();
    let toggle = ServerAction::<SaveCategory>::new();
    refresh_on_ok(rename, refresh);
    refresh_on_ok(toggle, refresh);
    let (rerr, terr) = (action_error(rename), action_error(toggle));
    let fid = c.id.to_string();
    let (fid2, code2, active) = (fid.clone(), c.code.clone(), c.active);
    let (code3, zh3, en3, testid) = (c.code.clone(), c.name_zh.clone(), c.name_en.clone(), format!("category-{}", c.code));
    view! {
        <tr data-testid=testid>
            <td><code>{c.code.clone()}</code>{c.builtin.then(|| view! { " "<small class="muted">{i18n.t(K::RiskRegBuiltin)}</small> })}</td>
            <td>{c.name_zh.clone()}</td>
            <td>{c.name_en.clone()}</td>
            <td>{if c.active { view! { <Badge tone=Tone::Good label=K::RiskRegActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::RiskRegInactive/> } }}</td>
            <td>
                <details class="inline-form">
                    <summary class="btn btn-small">{i18n.t(K::RiskRegRename)}</summary>
                    <FormError error=rerr/>
                    <ActionForm action=rename attr:class="form">
                        <input type="hidden" name="id" value=fid.clone()/>
                        <input type="hidden" name="version" value=c.version/>
                        <input type="hidden" name="code" value=code3.clone()/>
                        <input type="hidden" name="active" value=""/>
                        <label>{i18n.t(K::FieldNameZh)}<input name="name_zh" required maxlength="60" value=zh3.clone()/></label>
                        <FieldMsg error=rerr field="name_zh"/>
                        <label>{i18n.t(K::FieldNameEn)}<input name="name_en" required maxlength="60" value=en3.clone()/></label>
                        <FieldMsg error=rerr field="name_en"/>
                        <button type="submit" class="btn btn-primary btn-small">{i18n.t(K::CommonSave)}</button>
                    </ActionForm>
                </details>
                {(!c.builtin).then(|| view! {
                    <FormError error=terr/>
                    <ConfirmAction label=if active { K::RiskRegDeactivate } else { K::RiskRegReactivate } question=if active { K::RiskRegDeactivateQuestion } else { K::RiskRegReactivateQuestion } danger=active>
                        <ActionForm action=toggle>
                            <input type="hidden" name="id" value=fid2.clone()/>
                            <input type="hidden" name="version" value=c.version/>
                            <input type="hidden" name="code" value=code2.clone()/>
                            <input type="hidden" name="name_zh" value=""/>
                            <input type="hidden" name="name_en" value=""/>
                            <input type="hidden" name="active" value=if active { "0" } else { "1" }/>
                            <button type="submit" class="btn btn-small">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                })}
            </td>
        </tr>
    }
}

// ===== the project plan's register column (2.4.1-b, 2.4.3-d) =====

/// The register link of a project plan risk: its number (a link) and current
/// level, or — for whoever manages the project — an action registering it.
#[component]
pub fn ProjectRiskRegister(project_risk_id: i64, links: Vec<(i64, RegisterLink)>, can_register: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<RegisterProjectRisk>::new();
    let err = action_error(act);
    refresh_on_ok(act, refresh);
    match links.into_iter().find(|l| l.0 == project_risk_id).map(|l| l.1) {
        Some(l) => view! {
            <span data-testid="register-link">
                <a href=format!("/risks/{}", l.risk_id)>{l.number.clone()}</a>
                {l.level.map(|lv| view! { " "<LevelBadge level=lv/> })}
            </span>
        }
        .into_any(),
        None if can_register => view! {
            <FormError error=err/>
            <FieldMsg error=err field="state"/>
            <ActionForm action=act>
                <input type="hidden" name="id" value=project_risk_id/>
                <button type="submit" class="btn btn-small" data-testid="register-risk" disabled=move || act.pending().get()>{i18n.t(K::RiskRegRegisterFromProject)}</button>
            </ActionForm>
        }
        .into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}
