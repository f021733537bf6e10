//! Task progress (2.4.2-a) and delays (2.4.2-b): the schedule with baseline,
//! plan and actual dates, the progress form of one task (`?task=<id>`), the
//! slipped tasks still without a delay record and the delay form
//! (`?delay=<id>`), the delay records.
use super::{Actions, Can, date_text, range_view};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Empty, FieldMsg, FormError, Tone, action_error, echoed};
use crate::projects::execution::model::{ExecTask, ExecutionView, TaskKind};
use crate::projects::model::ProjectFrameData;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

fn selected(name: &'static str) -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    move || use_query_map().get().get(name).and_then(|s| s.parse::<i64>().ok())
}

/// Words and colour for where a task stands.
fn status_badges(t: &ExecTask, today: NaiveDate) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let slip = t.slip();
    let late = slip.days_late(today);
    let slipped = slip.slipped(today);
    let done = t.done();
    let recorded = t.delay_id.is_some();
    let overdue = !t.kind().baselined() && t.overdue(today);
    view! {
        {if done {
            view! { <Badge tone=Tone::Good label=K::ProjectsExecDone/> }.into_any()
        } else if slipped || overdue {
            ().into_any()
        } else if t.pct_done > 0 {
            view! { <Badge tone=Tone::Neutral label=K::ProjectsExecInProgress/> }.into_any()
        } else {
            view! { <Badge tone=Tone::Neutral label=K::ProjectsExecNotStarted/> }.into_any()
        }}
        {slipped.then(|| view! {
            " "<span class="badge badge-bad" data-testid="slipped">{move || i18n.lang().tf(K::ProjectsExecSlippedDays, &[("days", late.to_string())])}</span>
            " "{if recorded {
                view! { <Badge tone=Tone::Warn label=K::ProjectsExecDelayRecorded/> }.into_any()
            } else {
                view! { <span data-testid="no-delay-record"><Badge tone=Tone::Bad label=K::ProjectsExecNoDelayRecord/></span> }.into_any()
            }}
        })}
        {overdue.then(|| view! { " "<Badge tone=Tone::Bad label=K::ProjectsExecOverdue/> })}
    }
}

#[component]
pub fn TasksSection(v: Arc<ExecutionView>, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let today = v.today;
    let planned: Vec<ExecTask> = v.tasks.iter().filter(|t| t.kind().baselined()).cloned().collect();
    let other: Vec<ExecTask> = v.tasks.iter().filter(|t| !t.kind().baselined()).cloned().collect();
    let links = move |t: &ExecTask| {
        let log = can.log(t.assignee_id).then(|| {
            view! { <a class="btn btn-small" href=format!("/projects/{pid}/execution?task={}#progress-form", t.id)>{i18n.t(K::ProjectsExecLogProgress)}</a> }
        });
        let slipped = t.slip().slipped(today);
        let delay = (can.manage && slipped && (t.delay_id.is_none() || !t.done())).then(|| {
            let label = if t.delay_id.is_none() { K::ProjectsExecRecordDelay } else { K::ProjectsExecUpdateForecast };
            view! { " "<a class="btn btn-small" href=format!("/projects/{pid}/execution?delay={}#delay-form", t.id)>{i18n.t(label)}</a> }
        });
        view! { {log}{delay} }
    };
    let sel = selected("task");
    let tasks_for_form = v.tasks.clone();
    view! {
        <section class="card exec-section" id="progress">
            <h2>{i18n.t(K::ProjectsExecTaskProgress)}" "<span class="clause">"2.4.2-a"</span></h2>
            {if planned.is_empty() {
                view! { <Empty label=K::ProjectsExecNoTasks/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data exec-schedule" data-testid="schedule">
                            <thead><tr>
                                <th>"#"</th>
                                <th>{i18n.t(K::ProjectsExecTask)}</th>
                                <th>{i18n.t(K::ProjectsExecAssignee)}</th>
                                <th>{i18n.t(K::ProjectsExecBaseline)}</th>
                                <th>{i18n.t(K::ProjectsExecPlanned)}</th>
                                <th>{i18n.t(K::ProjectsExecActual)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecPctDone)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecRemainingHours)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                                <th>{i18n.t(K::CommonActions)}</th>
                            </tr></thead>
                            <tbody>
                                {planned.into_iter().map(|t| {
                                    let milestone = t.kind() == TaskKind::Milestone;
                                    view! {
                                        <tr data-task=t.id>
                                            <td>{t.position}</td>
                                            <td>
                                                {t.name.clone()}
                                                {milestone.then(|| view! { " "<Badge tone=Tone::Neutral label=K::ProjectsExecKindMilestone/> })}
                                            </td>
                                            <td>{t.assignee_name.clone()}</td>
                                            <td>{range_view(t.baseline_start, t.baseline_end)}</td>
                                            <td>{range_view(Some(t.planned_start), Some(t.planned_end))}</td>
                                            <td>{range_view(t.actual_start, t.actual_end)}</td>
                                            <td class="num">
                                                <span class="pct-bar" aria-hidden="true"><span style=format!("width:{}%", t.pct_done)></span></span>
                                                {format!("{}%", t.pct_done)}
                                            </td>
                                            <td class="num">{t.remaining_hours.map(|h| h.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            <td>{status_badges(&t, today)}</td>
                                            <td class="row-actions">{links(&t)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3>{i18n.t(K::ProjectsExecActionTasks)}</h3>
            {if other.is_empty() {
                view! { <Empty label=K::ProjectsExecNoActionTasks/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="action-tasks">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecTask)}</th>
                                <th>{i18n.t(K::ProjectsExecKind)}</th>
                                <th>{i18n.t(K::ProjectsExecAssignee)}</th>
                                <th>{i18n.t(K::ProjectsExecDue)}</th>
                                <th>{i18n.t(K::ProjectsExecActual)}</th>
                                <th class="num">{i18n.t(K::ProjectsExecPctDone)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                                <th>{i18n.t(K::CommonActions)}</th>
                            </tr></thead>
                            <tbody>
                                {other.into_iter().map(|t| view! {
                                    <tr data-task=t.id>
                                        <td>{t.name.clone()}</td>
                                        <td><Badge tone=Tone::Neutral label=t.kind().key()/></td>
                                        <td>{t.assignee_name.clone()}</td>
                                        <td>{t.planned_end.to_string()}</td>
                                        <td>{range_view(t.actual_start, t.actual_end)}</td>
                                        <td class="num">{format!("{}%", t.pct_done)}</td>
                                        <td>{status_badges(&t, today)}</td>
                                        <td class="row-actions">{links(&t)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {move || {
                let t = sel().and_then(|id| tasks_for_form.iter().find(|t| t.id == id).cloned())?;
                can.log(t.assignee_id).then(|| view! { <ProgressForm t=t pid=pid today=today action=acts.progress/> })
            }}
        </section>
    }
}

#[component]
fn ProgressForm(t: ExecTask, pid: i64, today: NaiveDate, action: ServerAction<crate::projects::execution::api::LogProgress>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let milestone = t.kind() == TaskKind::Milestone;
    let val = |name: &str, current: String| echoed(None, name, current);
    let pct = val("pct_done", t.pct_done.to_string());
    let start = val("actual_start", t.actual_start.map(|d| d.to_string()).unwrap_or_default());
    let end = val("actual_end", t.actual_end.map(|d| d.to_string()).unwrap_or_default());
    let hours = val("remaining_hours", t.remaining_hours.map(|h| h.to_string()).unwrap_or_default());
    let note = val("note", t.notes.clone());
    let name = t.name.clone();
    view! {
        <div class="exec-form card" id="progress-form">
            <h3>{move || i18n.lang().tf(K::ProjectsExecProgressFor, &[("task", name.clone())])}</h3>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <ActionForm action=action attr:class="form" attr:data-testid="progress-form">
                <input type="hidden" name="task_id" value=t.id/>
                <input type="hidden" name="version" value=t.version/>
                {if milestone {
                    view! {
                        <label for="actual_end">{i18n.t(K::ProjectsExecReachedOn)}</label>
                        <input id="actual_end" name="actual_end" type="date" value=end max=today.to_string()/>
                        <FieldMsg error=err field="actual_end"/>
                        <p class="hint">{i18n.t(K::ProjectsExecMilestoneHint)}</p>
                    }.into_any()
                } else {
                    view! {
                        <label for="pct_done">{i18n.t(K::ProjectsExecPctDone)}</label>
                        <input id="pct_done" name="pct_done" type="number" min="0" max="100" step="1" value=pct required/>
                        <FieldMsg error=err field="pct_done"/>
                        <label for="actual_start">{i18n.t(K::ProjectsExecActualStart)}</label>
                        <input id="actual_start" name="actual_start" type="date" value=start max=today.to_string()/>
                        <FieldMsg error=err field="actual_start"/>
                        <label for="actual_end">{i18n.t(K::ProjectsExecActualEnd)}</label>
                        <input id="actual_end" name="actual_end" type="date" value=end max=today.to_string()/>
                        <FieldMsg error=err field="actual_end"/>
                        <p class="hint">{i18n.t(K::ProjectsExecFinishHint)}</p>
                        <label for="remaining_hours">{i18n.t(K::ProjectsExecRemainingHours)}</label>
                        <input id="remaining_hours" name="remaining_hours" type="number" min="0" step="1" value=hours/>
                        <FieldMsg error=err field="remaining_hours"/>
                    }.into_any()
                }}
                <label for="note">{i18n.t(K::ProjectsExecNote)}</label>
                <textarea id="note" name="note" rows="2" maxlength="2000">{note}</textarea>
                <FieldMsg error=err field="note"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::CommonSave)}</button>
                    <a class="btn btn-link" href=format!("/projects/{pid}/execution")>{i18n.t(K::CommonCancel)}</a>
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn DelaysSection(v: Arc<ExecutionView>, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let today = v.today;
    let sponsor = frame.head.sponsor_name.clone();
    let unrecorded: Vec<ExecTask> = v.tasks.iter().filter(|t| t.slip().slipped(today) && t.delay_id.is_none()).cloned().collect();
    let delays = v.delays.clone();
    let sel = selected("delay");
    let tasks_for_form = v.tasks.clone();
    view! {
        <section class="card exec-section" id="delays">
            <h2>{i18n.t(K::ProjectsExecDelays)}" "<span class="clause">"2.4.2-b"</span></h2>
            <p class="hint">{i18n.t(K::ProjectsExecDelaysHint)}</p>
            {(!unrecorded.is_empty()).then(|| view! {
                <div class="alert alert-error" data-testid="unrecorded-slips">
                    <strong>{i18n.t(K::ProjectsExecUnrecordedSlips)}</strong>
                    <ul>
                        {unrecorded.into_iter().map(|t| {
                            let late = t.slip().days_late(today);
                            let base = date_text(t.baseline_end);
                            view! {
                                <li>
                                    {t.name.clone()}" · "
                                    {move || i18n.lang().tf(K::ProjectsExecBaselineEndLate, &[("date", base.clone()), ("days", late.to_string())])}
                                    {can.manage.then(|| view! {
                                        " "<a class="btn btn-small" href=format!("/projects/{pid}/execution?delay={}#delay-form", t.id)>{i18n.t(K::ProjectsExecRecordDelay)}</a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {move || {
                let t = sel().and_then(|id| tasks_for_form.iter().find(|t| t.id == id).cloned())?;
                can.manage.then(|| view! { <DelayForm t=t pid=pid today=today sponsor=sponsor.clone() action=acts.delay/> })
            }}
            {if delays.is_empty() {
                view! { <Empty label=K::ProjectsExecNoDelays/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="delays">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecTask)}</th>
                                <th>{i18n.t(K::ProjectsExecBaselineEnd)}</th>
                                <th>{i18n.t(K::ProjectsExecForecast)}</th>
                                <th>{i18n.t(K::ProjectsExecCause)}</th>
                                <th>{i18n.t(K::ProjectsExecMeasures)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                                <th>{i18n.t(K::ProjectsExecRecorded)}</th>
                            </tr></thead>
                            <tbody>
                                {delays.into_iter().map(|d| {
                                    let when = crate::core::time::company_date(d.created_at).to_string();
                                    view! {
                                        <tr>
                                            <td>{d.task_name.clone()}<span class="muted">{format!(" · v{}", d.baseline_version)}</span></td>
                                            <td>{d.baseline_end.to_string()}</td>
                                            <td>{d.forecast_end.to_string()}</td>
                                            <td class="pre">{d.cause.clone()}</td>
                                            <td class="pre">{d.measures.clone()}</td>
                                            <td><Badge tone=d.tone() label=d.status_key()/></td>
                                            <td>{when}" · "{d.created_by_name.clone().unwrap_or_default()}</td>
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
fn DelayForm(t: ExecTask, pid: i64, today: NaiveDate, sponsor: String, action: ServerAction<crate::projects::execution::api::RecordDelay>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let slip = t.slip();
    let done = t.done();
    let late = slip.days_late(today);
    let base = date_text(t.baseline_end);
    // A forecast already past the baseline and not past is offered as it is.
    let default_forecast = if t.planned_end >= today && t.baseline_end.is_some_and(|b| t.planned_end > b) { t.planned_end.to_string() } else { String::new() };
    let forecast = echoed(None, "forecast_end", default_forecast);
    let name = t.name.clone();
    view! {
        <div class="exec-form card" id="delay-form">
            <h3>{move || i18n.lang().tf(K::ProjectsExecDelayFor, &[("task", name.clone())])}</h3>
            <p>{move || i18n.lang().tf(K::ProjectsExecBaselineEndLate, &[("date", base.clone()), ("days", late.to_string())])}</p>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <FieldMsg error=err field="task_id"/>
            <ActionForm action=action attr:class="form" attr:data-testid="delay-form">
                <input type="hidden" name="task_id" value=t.id/>
                <input type="hidden" name="version" value=t.version/>
                <label for="cause">{i18n.t(K::ProjectsExecCause)}</label>
                <textarea id="cause" name="cause" rows="3" maxlength="4000" required>{echoed(None, "cause", "")}</textarea>
                <FieldMsg error=err field="cause"/>
                <label for="measures">{i18n.t(K::ProjectsExecMeasures)}</label>
                <textarea id="measures" name="measures" rows="3" maxlength="4000" required>{echoed(None, "measures", "")}</textarea>
                <FieldMsg error=err field="measures"/>
                {if done {
                    view! { <p class="hint">{i18n.t(K::ProjectsExecDelayDoneHint)}</p> }.into_any()
                } else {
                    view! {
                        <label for="forecast_end">{i18n.t(K::ProjectsExecForecast)}</label>
                        <input id="forecast_end" name="forecast_end" type="date" value=forecast min=today.to_string() required/>
                        <FieldMsg error=err field="forecast_end"/>
                    }.into_any()
                }}
                <p class="hint">{move || i18n.lang().tf(K::ProjectsExecDelayReportHint, &[("leader", sponsor.clone())])}</p>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::ProjectsExecRecordAndReport)}</button>
                    <a class="btn btn-link" href=format!("/projects/{pid}/execution")>{i18n.t(K::CommonCancel)}</a>
                </div>
            </ActionForm>
        </div>
    }
}
