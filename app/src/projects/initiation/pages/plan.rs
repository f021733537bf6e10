use super::{cny, date_or_dash, refresh_on_success};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, ConfirmAction, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::projects::initiation::api::*;
use crate::projects::initiation::model::*;
use crate::projects::model::{ProjectFrameData, ProjectStatus};
use crate::projects::pages::{ProjectFrame, Tab};
use leptos::prelude::*;
use std::collections::HashMap;

/// /projects/:id/plan: the four parts of the plan (2.4.1-b) — schedule,
/// resources, quality criteria, risks.
#[component]
pub fn ProjectPlanPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Plan content=|f: ProjectFrameData| view! { <Plan id=f.head.id/> }/> }
}

#[component]
fn Plan(id: i64) -> impl IntoView {
    let refresh = RwSignal::new(0usize);
    let data = Resource::new(move || refresh.get(), move |n| async move { project_plan(id).await.map(|d| (n, d)) });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((n, v)) => view! {
                        <For each=move || std::iter::once((n, v.clone())) key=|(n, _)| *n let((_, v))>
                            <PlanBody v=v refresh=refresh/>
                        </For>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PlanBody(v: PlanView, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = v.can_edit();
    let status = v.project.status();
    let notice = if can_edit && v.change_in_review {
        Some(K::ProjectsInitChangeInReviewHint)
    } else if can_edit {
        (status == ProjectStatus::Executing).then_some(K::ProjectsInitExecutingHint)
    } else if v.access.manage {
        Some(K::ProjectsInitPlanReadOnly)
    } else {
        None
    };
    view! {
        {notice.map(|k| view! { <p class="alert alert-warn" data-testid="plan-notice">{i18n.t(k)}</p> })}
        <Schedule v=v.clone() can_edit=v.can_edit_baselined() refresh=refresh/>
        <Resources v=v.clone() can_edit=v.can_edit_baselined() refresh=refresh/>
        <Quality v=v.clone() can_edit=can_edit refresh=refresh/>
        <Risks v=v can_edit=can_edit refresh=refresh/>
    }
}

/// A confirmed delete button for one record.
macro_rules! delete_button {
    ($name:ident, $action:ty, $question:expr) => {
        #[component]
        fn $name(id: i64, version: i64, refresh: RwSignal<usize>) -> impl IntoView {
            let i18n = use_i18n();
            let act = ServerAction::<$action>::new();
            let err = action_error(act);
            refresh_on_success(act, refresh);
            view! {
                <ConfirmAction label=K::ProjectsInitDelete question=$question danger=true>
                    <FormError error=err/>
                    <FieldMsg error=err field="state"/>
                    <ActionForm action=act>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="btn btn-danger" disabled=move || act.pending().get()>{i18n.t(K::CommonConfirm)}</button>
                    </ActionForm>
                </ConfirmAction>
            }
        }
    };
}

delete_button!(DeleteTaskButton, DeleteTask, K::ProjectsInitDeleteTaskQuestion);
delete_button!(DeleteBudgetLineButton, DeleteBudgetLine, K::ProjectsInitDeleteBudgetQuestion);
delete_button!(DeleteCriterionButton, DeleteCriterion, K::ProjectsInitDeleteCriterionQuestion);
delete_button!(DeleteRiskButton, DeleteRisk, K::ProjectsInitDeleteRiskQuestion);

// ===== schedule =====

/// (id, position, name) of the tasks a predecessor may be picked from.
type TaskRef = (i64, i64, String);

#[component]
fn Schedule(v: PlanView, can_edit: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let project_id = v.project.id;
    let manager_id = v.project.manager_id;
    let executing = v.executing();
    let refs: Vec<TaskRef> = v.tasks.iter().map(|t| (t.id, t.position, t.name.clone())).collect();
    let by_id: HashMap<i64, TaskRef> = refs.iter().map(|r| (r.0, r.clone())).collect();
    let label = {
        let by_id = by_id.clone();
        move |id: i64| by_id.get(&id).map(|r| format!("#{} {}", r.1, r.2)).unwrap_or_default()
    };
    let warnings: Vec<(K, Vec<(&'static str, String)>)> = v
        .warnings
        .iter()
        .map(|w| match w {
            ScheduleWarning::BeforePredecessor { task, predecessor } => {
                (K::ProjectsInitWarnBeforePredecessor, vec![("task", label(*task)), ("predecessor", label(*predecessor))])
            }
            ScheduleWarning::OutsideProject { task } => (K::ProjectsInitWarnOutsideProject, vec![("task", label(*task))]),
        })
        .collect();
    let warned: Vec<i64> = v.warnings.iter().map(|w| w.task()).collect();
    let preds_of = {
        let deps = v.deps.clone();
        move |id: i64| deps.iter().filter(|d| d.0 == id).map(|d| d.1).collect::<Vec<i64>>()
    };
    let members = v.members.clone();
    view! {
        <section class="card" id="schedule" data-testid="schedule">
            <h2>{i18n.t(K::ProjectsInitSchedule)}" "<span class="clause">"2.4.1-b"</span></h2>
            {(!warnings.is_empty()).then(|| view! {
                <div class="alert alert-warn" role="status" data-testid="schedule-warnings">
                    <strong>{i18n.t(K::ProjectsInitWarnings)}</strong>
                    <ul>
                        {warnings.into_iter().map(|(k, params)| view! { <li>{move || i18n.lang().tf(k, &params)}</li> }).collect_view()}
                    </ul>
                    <p class="hint">{i18n.t(K::ProjectsInitWarningsHint)}</p>
                </div>
            })}
            {if v.tasks.is_empty() {
                view! { <Empty label=K::ProjectsInitNoTasks/> }.into_any()
            } else {
                let label = label.clone();
                view! {
                    <div class="table-wrap"><table class="data schedule">
                        <thead><tr>
                            <th class="num">"#"</th>
                            <th>{i18n.t(K::ProjectsInitTaskName)}</th>
                            <th>{i18n.t(K::ProjectsInitAssignee)}</th>
                            <th>{i18n.t(K::ProjectsInitPlannedStart)}</th>
                            <th>{i18n.t(K::ProjectsInitPlannedEnd)}</th>
                            <th>{i18n.t(K::ProjectsInitBaselineDates)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitWeight)}</th>
                            <th>{i18n.t(K::ProjectsInitPredecessors)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitProgress)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {v.tasks.iter().map(|t| {
                                let preds = preds_of(t.id);
                                let pred_text = preds.iter().map(|p| label(*p)).collect::<Vec<_>>().join("、");
                                let baseline = match (t.baseline_start, t.baseline_end) {
                                    (Some(s), Some(e)) if s == e => s.to_string(),
                                    (Some(s), Some(e)) => format!("{s} – {e}"),
                                    (s, e) => format!("{} – {}", date_or_dash(s), date_or_dash(e)),
                                };
                                let has_baseline = t.has_baseline();
                                let warn = warned.contains(&t.id);
                                let milestone = t.kind() == TaskKind::Milestone;
                                let edit = t.clone();
                                let deletable = t.deletable();
                                let refs = refs.clone();
                                let members = members.clone();
                                let preds_edit = preds.clone();
                                view! {
                                    <tr data-testid=format!("task-{}", t.id) class=if milestone { "milestone" } else { "" }>
                                        <td class="num">{t.position}</td>
                                        <td>
                                            {t.name.clone()}
                                            {milestone.then(|| view! { " "<span class="kind"><Badge tone=Tone::Neutral label=K::ProjectsInitKindMilestone/></span> })}
                                            {warn.then(|| view! { " "<Badge tone=Tone::Warn label=K::ProjectsInitWarning/> })}
                                        </td>
                                        <td>{t.assignee_name.clone()}</td>
                                        <td class="start">{t.planned_start.to_string()}</td>
                                        <td class="end">{t.planned_end.to_string()}</td>
                                        <td class="muted">{if has_baseline { baseline } else { "—".to_string() }}</td>
                                        <td class="num">{t.weight}</td>
                                        <td class="preds">{pred_text}</td>
                                        <td class="num">{format!("{}%", t.pct_done)}</td>
                                        {can_edit.then(|| view! {
                                            <td>
                                                <details class="inline-form">
                                                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                                                    <TaskForm project_id=project_id task=Some(edit.clone()) preds=preds_edit.clone() tasks=refs.clone()
                                                        members=members.clone() manager_id=manager_id locked=executing && has_baseline refresh=refresh/>
                                                </details>
                                                {deletable.then(|| view! { <DeleteTaskButton id=edit.id version=edit.version refresh=refresh/> })}
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
                    <summary class="btn" data-testid="add-task">{i18n.t(K::ProjectsInitAddTask)}</summary>
                    <TaskForm project_id=project_id task=None preds=vec![] tasks=refs.clone() members=members.clone()
                        manager_id=manager_id locked=false refresh=refresh/>
                </details>
            })}
        </section>
    }
}

/// Adds (no `task`) or edits a task or milestone. `locked`: its kind and
/// weight are the approved baseline's (sent back unchanged).
#[component]
#[allow(clippy::too_many_arguments)]
fn TaskForm(
    project_id: i64,
    task: Option<Task>,
    preds: Vec<i64>,
    tasks: Vec<TaskRef>,
    members: Vec<Member>,
    manager_id: i64,
    locked: bool,
    refresh: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveTask>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let fid = task.as_ref().map(|t| t.id.to_string()).unwrap_or_default();
    let key = task.as_ref().map(|t| t.id.to_string()).unwrap_or_else(|| "new".into());
    let el = {
        let key = key.clone();
        move |f: &str| format!("task-{key}-{f}")
    };
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let t = task.clone();
    let kind_sel = start("kind", t.as_ref().map(|t| t.kind.clone()).unwrap_or_else(|| "task".into()));
    let assignee_sel = start("assignee_id", t.as_ref().map(|t| t.assignee_id.to_string()).unwrap_or_else(|| manager_id.to_string()));
    let weight = t.as_ref().map(|t| t.weight.to_string()).unwrap_or_else(|| "1".into());
    // Keep an assignee who has since left the team selectable rather than switching silently.
    let mut people: Vec<(i64, String)> = members.iter().map(|m| (m.user_id, m.display_name.clone())).collect();
    if let Some(t) = t.as_ref()
        && !people.iter().any(|p| p.0 == t.assignee_id)
    {
        people.push((t.assignee_id, t.assignee_name.clone()));
    }
    let self_id = t.as_ref().map(|t| t.id);
    let deps_id = format!("task-{key}-deps");
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=act attr:class="form" attr:data-testid=format!("task-form-{key}")>
            <input type="hidden" name="project_id" value=project_id/>
            <input type="hidden" name="id" value=fid.clone()/>
            <input type="hidden" name="version" value=t.as_ref().map(|t| t.version.to_string()).unwrap_or_default()/>
            <label for=el("name")>{i18n.t(K::ProjectsInitTaskName)}</label>
            <input id=el("name") name="input[name]" value=start("name", t.as_ref().map(|t| t.name.clone()).unwrap_or_default()) required maxlength="200"/>
            <FieldMsg error=err field="name"/>
            <label for=el("kind")>{i18n.t(K::ProjectsInitKind)}</label>
            {if locked {
                let k = t.as_ref().map(|t| t.kind()).unwrap_or(TaskKind::Task);
                view! {
                    <input type="hidden" name="input[kind]" value=k.code()/>
                    <p id=el("kind")>{i18n.t(k.key())}" "<span class="hint">{i18n.t(K::ProjectsInitLockedByBaseline)}</span></p>
                }.into_any()
            } else {
                view! {
                    <select id=el("kind") name="input[kind]">
                        {TaskKind::ALL.into_iter().map(|k| view! { <option value=k.code() selected=kind_sel == k.code()>{i18n.t(k.key())}</option> }).collect_view()}
                    </select>
                }.into_any()
            }}
            <FieldMsg error=err field="kind"/>
            <label for=el("position")>{i18n.t(K::ProjectsInitPosition)}</label>
            <input id=el("position") name="input[position]" type="number" min="1" step="1"
                value=start("position", t.as_ref().map(|t| t.position.to_string()).unwrap_or_default())/>
            <p class="hint">{i18n.t(K::ProjectsInitPositionHint)}</p>
            <FieldMsg error=err field="position"/>
            <label for=el("start")>{i18n.t(K::ProjectsInitPlannedStart)}</label>
            <input id=el("start") name="input[planned_start]" type="date" required
                value=start("planned_start", t.as_ref().map(|t| t.planned_start.to_string()).unwrap_or_default())/>
            <FieldMsg error=err field="planned_start"/>
            <label for=el("end")>{i18n.t(K::ProjectsInitPlannedEnd)}</label>
            <input id=el("end") name="input[planned_end]" type="date"
                value=start("planned_end", t.as_ref().map(|t| t.planned_end.to_string()).unwrap_or_default())/>
            <p class="hint">{i18n.t(K::ProjectsInitMilestoneHint)}</p>
            <FieldMsg error=err field="planned_end"/>
            <label for=el("assignee")>{i18n.t(K::ProjectsInitAssignee)}</label>
            <select id=el("assignee") name="input[assignee_id]" required>
                {people.into_iter().map(|(id, name)| view! { <option value=id selected=assignee_sel == id.to_string()>{name}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="assignee_id"/>
            <label for=el("weight")>{i18n.t(K::ProjectsInitWeight)}</label>
            {if locked {
                view! {
                    <input type="hidden" name="input[weight]" value=weight.clone()/>
                    <p id=el("weight")>{weight.clone()}" "<span class="hint">{i18n.t(K::ProjectsInitLockedByBaseline)}</span></p>
                }.into_any()
            } else {
                view! {
                    <input id=el("weight") name="input[weight]" type="number" min="0" max="1000" step="1" value=start("weight", weight.clone())/>
                    <p class="hint">{i18n.t(K::ProjectsInitWeightHint)}</p>
                }.into_any()
            }}
            <FieldMsg error=err field="weight"/>
            {(tasks.iter().any(|r| Some(r.0) != self_id)).then(|| view! {
                <fieldset class="rows" data-testid=deps_id.clone()>
                    <legend>{i18n.t(K::ProjectsInitPredecessors)}</legend>
                    {tasks.iter().enumerate().filter(|(_, r)| Some(r.0) != self_id).map(|(i, r)| {
                        let name = format!("deps[{i}]");
                        let checked = !echoed(Some(&fid), &name, if preds.contains(&r.0) { r.0.to_string() } else { String::new() }).is_empty();
                        view! {
                            <label class="check">
                                <input type="checkbox" name=name value=r.0 checked=checked/>
                                {format!(" #{} {}", r.1, r.2)}
                            </label>
                        }
                    }).collect_view()}
                    <p class="hint">{i18n.t(K::ProjectsInitPredecessorsHint)}</p>
                </fieldset>
            })}
            <FieldMsg error=err field="deps"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}

// ===== resources =====

#[component]
fn Resources(v: PlanView, can_edit: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let project_id = v.project.id;
    let executing = v.executing();
    let total = v.budget_total();
    let budget = v.project.budget_minor;
    let diff = budget_difference(total, budget);
    view! {
        <section class="card" id="resources" data-testid="resources">
            <h2>{i18n.t(K::ProjectsInitResources)}" "<span class="clause">"2.4.1-b"</span></h2>
            <h3>{i18n.t(K::ProjectsInitPeople)}</h3>
            {if v.members.is_empty() {
                view! { <Empty label=K::ProjectsInitNoMembers/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsInitMember)}</th>
                            <th>{i18n.t(K::ProjectsInitRole)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitAllocation)}</th>
                        </tr></thead>
                        <tbody>
                            {v.members.iter().map(|m| view! {
                                <tr>
                                    <td>{m.display_name.clone()}</td>
                                    <td>{m.role.clone()}</td>
                                    <td class="num">{format!("{}%", m.allocation_pct)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            <p><a href=format!("/projects/{project_id}#team")>{i18n.t(K::ProjectsInitEditTeam)}</a></p>
            <h3>{i18n.t(K::ProjectsInitBudgetLines)}</h3>
            {if v.budget_lines.is_empty() {
                view! { <Empty label=K::ProjectsInitNoBudgetLines/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data" data-testid="budget-lines">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsInitCategory)}</th>
                            <th>{i18n.t(K::ProjectsInitDescription)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitAmount)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitBaselineAmount)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {v.budget_lines.iter().map(|b| {
                                let edit = b.clone();
                                let locked = executing && b.baseline_amount_minor.is_some();
                                view! {
                                    <tr data-testid=format!("budget-{}", b.id)>
                                        <td>{i18n.t(b.category().key())}</td>
                                        <td>{b.description.clone()}</td>
                                        <td class="num">{cny(b.amount_minor)}</td>
                                        <td class="num muted">{b.baseline_amount_minor.map(cny).unwrap_or_else(|| "—".into())}</td>
                                        {can_edit.then(|| view! {
                                            <td>
                                                <details class="inline-form">
                                                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                                                    <BudgetLineForm project_id=project_id line=Some(edit.clone()) locked=locked refresh=refresh/>
                                                </details>
                                                {edit.deletable().then(|| view! { <DeleteBudgetLineButton id=edit.id version=edit.version refresh=refresh/> })}
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr class="total">
                                <th colspan="2">{i18n.t(K::ProjectsInitLinesTotal)}</th>
                                <td class="num" data-testid="budget-total">{cny(total)}</td>
                                <td></td>
                                {can_edit.then(|| view! { <td></td> })}
                            </tr>
                        </tfoot>
                    </table></div>
                }.into_any()
            }}
            <p data-testid="budget-compare">
                {move || i18n.lang().tf(K::ProjectsInitBudgetCompare, &[("lines", cny(total)), ("budget", cny(budget))])}
                " "
                {match diff {
                    None => view! { <Badge tone=Tone::Good label=K::ProjectsInitBudgetMatches/> }.into_any(),
                    Some(_) => view! { <Badge tone=Tone::Warn label=K::ProjectsInitBudgetDiffers/> }.into_any(),
                }}
            </p>
            {diff.map(|d| {
                let key = if d < 0 { K::ProjectsInitBudgetBelow } else { K::ProjectsInitBudgetAbove };
                view! {
                    <p class="alert alert-warn" data-testid="budget-differs">
                        {move || i18n.lang().tf(key, &[("difference", cny(d.abs()))])}
                    </p>
                }
            })}
            {can_edit.then(|| view! {
                <details class="inline-form">
                    <summary class="btn" data-testid="add-budget-line">{i18n.t(K::ProjectsInitAddBudgetLine)}</summary>
                    <BudgetLineForm project_id=project_id line=None locked=false refresh=refresh/>
                </details>
            })}
        </section>
    }
}

#[component]
fn BudgetLineForm(project_id: i64, line: Option<BudgetLine>, locked: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveBudgetLine>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let fid = line.as_ref().map(|b| b.id.to_string()).unwrap_or_default();
    let key = line.as_ref().map(|b| b.id.to_string()).unwrap_or_else(|| "new".into());
    let el = {
        let key = key.clone();
        move |f: &str| format!("budget-{key}-{f}")
    };
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let b = line.clone();
    let cat = b.as_ref().map(|b| b.category()).unwrap_or(BudgetCategory::Labour);
    let cat_sel = start("category", cat.code().to_string());
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=act attr:class="form" attr:data-testid=format!("budget-form-{key}")>
            <input type="hidden" name="project_id" value=project_id/>
            <input type="hidden" name="id" value=fid.clone()/>
            <input type="hidden" name="version" value=b.as_ref().map(|b| b.version.to_string()).unwrap_or_default()/>
            <label for=el("category")>{i18n.t(K::ProjectsInitCategory)}</label>
            {if locked {
                view! {
                    <input type="hidden" name="input[category]" value=cat.code()/>
                    <p id=el("category")>{i18n.t(cat.key())}" "<span class="hint">{i18n.t(K::ProjectsInitLockedByBaseline)}</span></p>
                }.into_any()
            } else {
                view! {
                    <select id=el("category") name="input[category]">
                        {BudgetCategory::ALL.into_iter().map(|c| view! { <option value=c.code() selected=cat_sel == c.code()>{i18n.t(c.key())}</option> }).collect_view()}
                    </select>
                }.into_any()
            }}
            <FieldMsg error=err field="category"/>
            <label for=el("description")>{i18n.t(K::ProjectsInitDescription)}</label>
            <input id=el("description") name="input[description]" required maxlength="200"
                value=start("description", b.as_ref().map(|b| b.description.clone()).unwrap_or_default())/>
            <FieldMsg error=err field="description"/>
            <label for=el("amount")>{i18n.t(K::ProjectsInitAmount)}</label>
            <input id=el("amount") name="input[amount]" inputmode="decimal" required
                value=start("amount", b.as_ref().map(|b| minor_to_input(b.amount_minor)).unwrap_or_default())/>
            <FieldMsg error=err field="amount"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}

// ===== quality plan =====

#[component]
fn Quality(v: PlanView, can_edit: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let project_id = v.project.id;
    view! {
        <section class="card" id="quality" data-testid="quality">
            <h2>{i18n.t(K::ProjectsInitQuality)}" "<span class="clause">"2.4.1-b"</span></h2>
            {if v.criteria.is_empty() {
                view! { <Empty label=K::ProjectsInitNoCriteria/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th class="num">"#"</th>
                            <th>{i18n.t(K::ProjectsInitCriterion)}</th>
                            <th>{i18n.t(K::ProjectsInitMethod)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {v.criteria.iter().map(|c| {
                                let edit = c.clone();
                                view! {
                                    <tr data-testid=format!("criterion-{}", c.id)>
                                        <td class="num">{c.position}</td>
                                        <td>{c.criterion.clone()}</td>
                                        <td>{c.method.clone()}</td>
                                        {can_edit.then(|| view! {
                                            <td>
                                                <details class="inline-form">
                                                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                                                    <CriterionForm project_id=project_id criterion=Some(edit.clone()) refresh=refresh/>
                                                </details>
                                                {(edit.checks == 0).then(|| view! { <DeleteCriterionButton id=edit.id version=edit.version refresh=refresh/> })}
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
                    <summary class="btn" data-testid="add-criterion">{i18n.t(K::ProjectsInitAddCriterion)}</summary>
                    <CriterionForm project_id=project_id criterion=None refresh=refresh/>
                </details>
            })}
        </section>
    }
}

#[component]
fn CriterionForm(project_id: i64, criterion: Option<Criterion>, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveCriterion>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let fid = criterion.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let key = criterion.as_ref().map(|c| c.id.to_string()).unwrap_or_else(|| "new".into());
    let el = {
        let key = key.clone();
        move |f: &str| format!("criterion-{key}-{f}")
    };
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let c = criterion.clone();
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=act attr:class="form" attr:data-testid=format!("criterion-form-{key}")>
            <input type="hidden" name="project_id" value=project_id/>
            <input type="hidden" name="id" value=fid.clone()/>
            <input type="hidden" name="version" value=c.as_ref().map(|c| c.version.to_string()).unwrap_or_default()/>
            <label for=el("criterion")>{i18n.t(K::ProjectsInitCriterion)}</label>
            <input id=el("criterion") name="input[criterion]" required maxlength="500"
                value=start("criterion", c.as_ref().map(|c| c.criterion.clone()).unwrap_or_default())/>
            <FieldMsg error=err field="criterion"/>
            <label for=el("method")>{i18n.t(K::ProjectsInitMethod)}</label>
            <input id=el("method") name="input[method]" required maxlength="500"
                value=start("method", c.as_ref().map(|c| c.method.clone()).unwrap_or_default())/>
            <p class="hint">{i18n.t(K::ProjectsInitMethodHint)}</p>
            <FieldMsg error=err field="method"/>
            <label for=el("position")>{i18n.t(K::ProjectsInitPosition)}</label>
            <input id=el("position") name="input[position]" type="number" min="1" step="1"
                value=start("position", c.as_ref().map(|c| c.position.to_string()).unwrap_or_default())/>
            <FieldMsg error=err field="position"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}

// ===== risk plan =====

#[component]
fn Risks(v: PlanView, can_edit: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let project_id = v.project.id;
    let initiating = v.project.status() == ProjectStatus::Initiating;
    let members = v.members.clone();
    // 5.1 / 2.4.3-d: each plan risk's entry in the risk register.
    let links = Resource::new(move || refresh.get(), move |_| crate::risk::register::api::project_register_links(project_id));
    let can_register = v.access.manage;
    view! {
        <section class="card" id="risks" data-testid="risks">
            <h2>{i18n.t(K::ProjectsInitRisks)}" "<span class="clause">"2.4.1-b"</span></h2>
            <p class="hint">{i18n.t(K::ProjectsInitRisksHint)}</p>
            {if v.risks.is_empty() {
                view! { <Empty label=K::ProjectsInitNoRisks/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsInitRiskTitle)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitLikelihood)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitImpact)}</th>
                            <th>{i18n.t(K::ProjectsInitRiskLevel)}</th>
                            <th>{i18n.t(K::ProjectsInitResponse)}</th>
                            <th>{i18n.t(K::ProjectsInitOwner)}</th>
                            <th>{i18n.t(K::FieldStatus)}</th>
                            <th>{i18n.t(K::NavRisks)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {v.risks.iter().map(|r| {
                                let prid = r.id;
                                let (level, tone) = risk_level(r.likelihood, r.impact);
                                let st = r.status();
                                let edit = r.clone();
                                let members = members.clone();
                                view! {
                                    <tr data-testid=format!("risk-{}", r.id)>
                                        <td><strong>{r.title.clone()}</strong><br/><span class="muted pre">{r.description.clone()}</span></td>
                                        <td class="num">{r.likelihood}</td>
                                        <td class="num">{r.impact}</td>
                                        <td class="risk-level"><Badge tone=tone label=level/></td>
                                        <td class="pre">{r.response.clone()}</td>
                                        <td>{r.owner_name.clone()}</td>
                                        <td class="risk-status"><Badge tone=if st == RiskStatus::Open { Tone::Warn } else { Tone::Neutral } label=st.key()/></td>
                                        <td class="risk-register">
                                            <Transition fallback=|| ()>
                                                {move || Suspend::new(async move {
                                                    let l = links.await.unwrap_or_default();
                                                    view! { <crate::risk::register::pages::ProjectRiskRegister project_risk_id=prid links=l can_register=can_register refresh=refresh/> }
                                                })}
                                            </Transition>
                                        </td>
                                        {can_edit.then(|| view! {
                                            <td>
                                                <details class="inline-form">
                                                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                                                    <RiskForm project_id=project_id risk=Some(edit.clone()) members=members.clone() refresh=refresh/>
                                                </details>
                                                {initiating.then(|| view! { <DeleteRiskButton id=edit.id version=edit.version refresh=refresh/> })}
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
                    <summary class="btn" data-testid="add-risk">{i18n.t(K::ProjectsInitAddRisk)}</summary>
                    <RiskForm project_id=project_id risk=None members=members.clone() refresh=refresh/>
                </details>
            })}
        </section>
    }
}

#[component]
fn RiskForm(project_id: i64, risk: Option<Risk>, members: Vec<Member>, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveRisk>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let fid = risk.as_ref().map(|r| r.id.to_string()).unwrap_or_default();
    let key = risk.as_ref().map(|r| r.id.to_string()).unwrap_or_else(|| "new".into());
    let el = {
        let key = key.clone();
        move |f: &str| format!("risk-{key}-{f}")
    };
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let r = risk.clone();
    let l_sel = start("likelihood", r.as_ref().map(|r| r.likelihood.to_string()).unwrap_or_else(|| "3".into()));
    let i_sel = start("impact", r.as_ref().map(|r| r.impact.to_string()).unwrap_or_else(|| "3".into()));
    let owner_sel = start("owner_id", r.as_ref().map(|r| r.owner_id.to_string()).unwrap_or_default());
    let status_sel = start("status", r.as_ref().map(|r| r.status.clone()).unwrap_or_else(|| "open".into()));
    let mut people: Vec<(i64, String)> = members.iter().map(|m| (m.user_id, m.display_name.clone())).collect();
    if let Some(r) = r.as_ref()
        && !people.iter().any(|p| p.0 == r.owner_id)
    {
        people.push((r.owner_id, r.owner_name.clone()));
    }
    let scale = |sel: String| {
        (1..=5)
            .map(move |n| {
                let s = n.to_string();
                view! { <option value=s.clone() selected=sel == s>{n}</option> }
            })
            .collect_view()
    };
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=act attr:class="form" attr:data-testid=format!("risk-form-{key}")>
            <input type="hidden" name="project_id" value=project_id/>
            <input type="hidden" name="id" value=fid.clone()/>
            <input type="hidden" name="version" value=r.as_ref().map(|r| r.version.to_string()).unwrap_or_default()/>
            <label for=el("title")>{i18n.t(K::ProjectsInitRiskTitle)}</label>
            <input id=el("title") name="input[title]" required maxlength="200" value=start("title", r.as_ref().map(|r| r.title.clone()).unwrap_or_default())/>
            <FieldMsg error=err field="title"/>
            <label for=el("description")>{i18n.t(K::ProjectsInitDescription)}</label>
            <textarea id=el("description") name="input[description]" rows="2" maxlength="2000">{start("description", r.as_ref().map(|r| r.description.clone()).unwrap_or_default())}</textarea>
            <FieldMsg error=err field="description"/>
            <label for=el("likelihood")>{i18n.t(K::ProjectsInitLikelihood)}</label>
            <select id=el("likelihood") name="input[likelihood]">{scale(l_sel)}</select>
            <FieldMsg error=err field="likelihood"/>
            <label for=el("impact")>{i18n.t(K::ProjectsInitImpact)}</label>
            <select id=el("impact") name="input[impact]">{scale(i_sel)}</select>
            <p class="hint">{i18n.t(K::ProjectsInitScaleHint)}</p>
            <FieldMsg error=err field="impact"/>
            <label for=el("response")>{i18n.t(K::ProjectsInitResponse)}</label>
            <textarea id=el("response") name="input[response]" rows="2" required maxlength="2000">{start("response", r.as_ref().map(|r| r.response.clone()).unwrap_or_default())}</textarea>
            <FieldMsg error=err field="response"/>
            <label for=el("owner")>{i18n.t(K::ProjectsInitOwner)}</label>
            <select id=el("owner") name="input[owner_id]" required>
                <option value="">{i18n.t(K::CommonChoose)}</option>
                {people.into_iter().map(|(id, name)| view! { <option value=id selected=owner_sel == id.to_string()>{name}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="owner_id"/>
            <label for=el("status")>{i18n.t(K::FieldStatus)}</label>
            <select id=el("status") name="input[status]">
                {RiskStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=status_sel == s.code()>{i18n.t(s.key())}</option> }).collect_view()}
            </select>
            <FieldMsg error=err field="status"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}
