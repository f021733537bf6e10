//! Quality checks against the plan's criteria (2.4.2-c) and actual costs
//! against the budget lines (2.4.2-d).
use super::{Actions, Can, date_text, money};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Empty, FieldMsg, FormError, Tone, action_error, echoed, href_with};
use crate::projects::execution::model::{BudgetLine, ExecutionView, QualityCheck, TeamMember};
use crate::projects::model::ProjectFrameData;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

fn member_options(team: &[TeamMember], selected: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let selected = selected.to_string();
    let opts: Vec<_> = team
        .iter()
        .map(|m| {
            let id = m.user_id.to_string();
            let sel = id == selected;
            view! { <option value=id selected=sel>{m.name.clone()}</option> }
        })
        .collect();
    view! { <option value="">{i18n.t(K::CommonChoose)}</option>{opts} }
}

fn check_state(c: &QualityCheck) -> impl IntoView + use<> {
    if c.passed() {
        ().into_any()
    } else if c.resolved {
        view! { <Badge tone=Tone::Good label=K::ProjectsExecCheckResolved/> }.into_any()
    } else {
        view! { <span data-testid="open-failure"><Badge tone=Tone::Bad label=K::ProjectsExecCheckOpen/></span> }.into_any()
    }
}

#[component]
pub fn QualitySection(v: Arc<ExecutionView>, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let checks = v.checks.clone();
    // The latest check of each criterion (checks come newest first).
    let latest = |id: i64| v.checks.iter().find(|c| c.criterion_id == id).cloned();
    let criteria: Vec<_> = v.criteria.iter().map(|c| (c.clone(), latest(c.id), v.checks.iter().filter(|x| x.criterion_id == c.id && x.open_failure()).count())).collect();
    view! {
        <section class="card exec-section" id="quality">
            <h2>{i18n.t(K::ProjectsExecQuality)}" "<span class="clause">"2.4.2-c"</span></h2>
            {if criteria.is_empty() {
                view! { <Empty label=K::ProjectsExecNoCriteria/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="criteria">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecCriterion)}</th>
                                <th>{i18n.t(K::ProjectsExecMethod)}</th>
                                <th>{i18n.t(K::ProjectsExecLatestCheck)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecOpenFailures)}</th>
                            </tr></thead>
                            <tbody>
                                {criteria.into_iter().map(|(c, last, open)| view! {
                                    <tr>
                                        <td>{c.criterion.clone()}</td>
                                        <td>{c.method.clone()}</td>
                                        <td>{match last {
                                            None => view! { <span class="muted">{i18n.t(K::ProjectsExecNotChecked)}</span> }.into_any(),
                                            Some(l) => {
                                                let (tone, key) = l.result_badge();
                                                view! { <Badge tone=tone label=key/>" "<span class="muted">{l.checked_on.to_string()}</span> }.into_any()
                                            }
                                        }}</td>
                                        <td class="num">{open}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(can.manage && !v.criteria.is_empty()).then(|| view! { <CheckForm pid=pid v=v.clone() action=acts.check/> })}
            {if checks.is_empty() {
                view! { <Empty label=K::ProjectsExecNoChecks/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="checks">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecCheckedOn)}</th>
                                <th>{i18n.t(K::ProjectsExecCriterion)}</th>
                                <th>{i18n.t(K::ProjectsExecResult)}</th>
                                <th>{i18n.t(K::ProjectsExecFindings)}</th>
                                <th>{i18n.t(K::ProjectsExecReworkTask)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                            </tr></thead>
                            <tbody>
                                {checks.into_iter().map(|c| {
                                    let (tone, key) = c.result_badge();
                                    let rework = c.rework_task_id.map(|_| {
                                        let done = c.rework_done;
                                        view! {
                                            {c.rework_assignee_name.clone().unwrap_or_default()}" · "
                                            {move || i18n.get(K::ProjectsExecDue)}" "{date_text(c.rework_due)}" "
                                            {if done.is_some() {
                                                view! { <Badge tone=Tone::Good label=K::ProjectsExecDone/> }.into_any()
                                            } else {
                                                view! { <Badge tone=Tone::Warn label=K::ProjectsExecOpen/> }.into_any()
                                            }}
                                        }
                                    });
                                    view! {
                                        <tr>
                                            <td>{c.checked_on.to_string()}</td>
                                            <td>{c.criterion.clone()}</td>
                                            <td><Badge tone=tone label=key/></td>
                                            <td class="pre">{c.findings.clone()}</td>
                                            <td>{rework}</td>
                                            <td>{check_state(&c)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CheckForm(pid: i64, v: Arc<ExecutionView>, action: ServerAction<crate::projects::execution::api::RecordCheck>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let crit = echoed(None, "criterion_id", "");
    let result = echoed(None, "result", "");
    let assignee = echoed(None, "rework_assignee_id", "");
    let today = v.today.to_string();
    view! {
        <details class="exec-new" data-testid="check-new" open=move || err.get().is_some()>
            <summary class="btn">{i18n.t(K::ProjectsExecNewCheck)}</summary>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <ActionForm action=action attr:class="form" attr:data-testid="check-form">
                <input type="hidden" name="project_id" value=pid/>
                <label for="criterion_id">{i18n.t(K::ProjectsExecCriterion)}</label>
                <select id="criterion_id" name="criterion_id" required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {v.criteria.iter().map(|c| {
                        let id = c.id.to_string();
                        let sel = id == crit;
                        view! { <option value=id selected=sel>{c.criterion.clone()}</option> }
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="criterion_id"/>
                <label for="checked_on">{i18n.t(K::ProjectsExecCheckedOn)}</label>
                <input id="checked_on" name="checked_on" type="date" value=echoed(None, "checked_on", today.clone()) max=today required/>
                <FieldMsg error=err field="checked_on"/>
                <fieldset class="rows">
                    <legend>{i18n.t(K::ProjectsExecResult)}</legend>
                    <label class="check"><input type="radio" id="result-pass" name="result" value="pass" checked=result == "pass"/>" "{i18n.t(K::ProjectsExecCheckPass)}</label>
                    <label class="check"><input type="radio" id="result-fail" name="result" value="fail" checked=result == "fail"/>" "{i18n.t(K::ProjectsExecCheckFail)}</label>
                    <FieldMsg error=err field="result"/>
                </fieldset>
                <label for="findings">{i18n.t(K::ProjectsExecFindings)}</label>
                <textarea id="findings" name="findings" rows="3" maxlength="4000">{echoed(None, "findings", "")}</textarea>
                <FieldMsg error=err field="findings"/>
                <fieldset class="rows">
                    <legend>{i18n.t(K::ProjectsExecReworkTask)}</legend>
                    <p class="hint">{i18n.t(K::ProjectsExecReworkHint)}</p>
                    <label for="rework_assignee_id">{i18n.t(K::ProjectsExecAssignee)}</label>
                    <select id="rework_assignee_id" name="rework_assignee_id">{member_options(&v.team, &assignee)}</select>
                    <FieldMsg error=err field="rework_assignee_id"/>
                    <label for="rework_due">{i18n.t(K::ProjectsExecDue)}</label>
                    <input id="rework_due" name="rework_due" type="date" value=echoed(None, "rework_due", "")/>
                    <FieldMsg error=err field="rework_due"/>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::ProjectsExecSaveCheck)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn CostsSection(v: Arc<ExecutionView>, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let cur = v.currency.clone();
    let lines = v.lines.clone();
    let base_total: Option<i64> = {
        let b: Vec<i64> = lines.iter().filter_map(|l| l.baseline_amount_minor).collect();
        (!b.is_empty()).then(|| b.iter().sum())
    };
    let total = BudgetLine {
        id: 0,
        category: String::new(),
        description: String::new(),
        amount_minor: lines.iter().map(|l| l.amount_minor).sum(),
        baseline_amount_minor: base_total,
        actual_minor: lines.iter().map(|l| l.actual_minor).sum(),
    };
    let page = v.costs.clone();
    let path = format!("/projects/{pid}/execution");
    let on_later = use_query_map().get_untracked().get("costs_after").is_some();
    let next = page.next.clone().map(|c| format!("{}#costs", href_with(&path, &[("costs_after".into(), c)])));
    let cur2 = cur.clone();
    let row = move |l: &BudgetLine, label: AnyView, class: &'static str| {
        let c = cur.clone();
        let over = l.over_budget();
        view! {
            <tr class=class>
                <td>{label}</td>
                <td class="num">{l.baseline_amount_minor.map(|m| money(m, &c)).unwrap_or_else(|| "—".into())}</td>
                <td class="num">{money(l.amount_minor, &c)}</td>
                <td class="num">{money(l.actual_minor, &c)}</td>
                <td class="num">{money(l.remaining_minor(), &c)}</td>
                <td class="num">{l.pct_used().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())}</td>
                <td>{if over {
                    view! { <span data-testid="over-budget"><Badge tone=Tone::Bad label=K::ProjectsExecOverBudget/></span> }.into_any()
                } else {
                    view! { <Badge tone=Tone::Good label=K::ProjectsExecWithinBudget/> }.into_any()
                }}</td>
            </tr>
        }
    };
    view! {
        <section class="card exec-section" id="costs">
            <h2>{i18n.t(K::ProjectsExecCosts)}" "<span class="clause">"2.4.2-d"</span></h2>
            {if lines.is_empty() {
                view! { <Empty label=K::ProjectsExecNoBudgetLines/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="budget-lines">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecBudgetLine)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecBaselineAmount)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecCurrentAmount)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecActualCost)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecRemaining)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecPctUsed)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                            </tr></thead>
                            <tbody>
                                {lines.iter().map(|l| {
                                    let l2 = l.clone();
                                    row(l, (move || l2.label(i18n.lang())).into_any(), "")
                                }).collect_view()}
                                {row(&total, i18n.t(K::ProjectsExecTotal).into_any(), "total")}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(can.manage && !v.lines.is_empty()).then(|| view! { <CostForm pid=pid v=v.clone() action=acts.cost/> })}
            <h3>{i18n.t(K::ProjectsExecCostEntries)}</h3>
            {if page.rows.is_empty() {
                view! { <Empty label=K::ProjectsExecNoCosts/> }.into_any()
            } else {
                let c = cur2.clone();
                view! {
                    <p class="muted">{move || i18n.lang().tf(K::TableTotal, &[("n", page.total.to_string())])}</p>
                    <div class="table-wrap">
                        <table class="data" data-testid="costs">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecIncurredOn)}</th>
                                <th>{i18n.t(K::ProjectsExecBudgetLine)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecAmount)}</th>
                                <th>{i18n.t(K::ProjectsExecCostDescription)}</th>
                                <th>{i18n.t(K::ProjectsExecRecorded)}</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.iter().map(|x| {
                                    let (cat, desc) = (x.category.clone(), x.line_description.clone());
                                    let line = move || if desc.is_empty() { i18n.get(crate::projects::execution::model::category_key(&cat)).to_string() } else { desc.clone() };
                                    view! {
                                        <tr>
                                            <td>{x.incurred_on.to_string()}</td>
                                            <td>{line}</td>
                                            <td class="num">{money(x.amount_minor, &c)}</td>
                                            <td>{x.description.clone()}</td>
                                            <td>{x.created_by_name.clone().unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label=i18n.get(K::TablePaging)>
                        {on_later.then(|| view! { <a class="btn btn-small" href=format!("{path}#costs")>{i18n.t(K::TableFirstPage)}</a> })}
                        {next.clone().map(|h| view! { <a class="btn btn-small" rel="next" href=h>{i18n.t(K::TableNextPage)}</a> })}
                    </nav>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CostForm(pid: i64, v: Arc<ExecutionView>, action: ServerAction<crate::projects::execution::api::AddCost>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let line = echoed(None, "budget_line_id", "");
    let today = v.today.to_string();
    let lines = v.lines.clone();
    view! {
        <details class="exec-new" data-testid="cost-new" open=move || err.get().is_some()>
            <summary class="btn">{i18n.t(K::ProjectsExecNewCost)}</summary>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <ActionForm action=action attr:class="form" attr:data-testid="cost-form">
                <input type="hidden" name="project_id" value=pid/>
                <label for="budget_line_id">{i18n.t(K::ProjectsExecBudgetLine)}</label>
                <select id="budget_line_id" name="budget_line_id" required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {lines.into_iter().map(|l| {
                        let id = l.id.to_string();
                        let sel = id == line;
                        view! { <option value=id selected=sel>{move || l.label(i18n.lang())}</option> }
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="budget_line_id"/>
                <label for="incurred_on">{i18n.t(K::ProjectsExecIncurredOn)}</label>
                <input id="incurred_on" name="incurred_on" type="date" value=echoed(None, "incurred_on", today.clone()) max=today required/>
                <FieldMsg error=err field="incurred_on"/>
                <label for="amount">{i18n.t(K::ProjectsExecAmount)}</label>
                <input id="amount" name="amount" type="text" inputmode="decimal" value=echoed(None, "amount", "") required/>
                <FieldMsg error=err field="amount"/>
                <label for="cost_description">{i18n.t(K::ProjectsExecCostDescription)}</label>
                <input id="cost_description" name="cost_description" type="text" maxlength="200" value=echoed(None, "cost_description", "") required/>
                <FieldMsg error=err field="cost_description"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::ProjectsExecSaveCost)}</button>
                </div>
            </ActionForm>
        </details>
    }
}
