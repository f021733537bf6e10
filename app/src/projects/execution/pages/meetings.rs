//! Progress meetings with action items (2.4.2-a) and the issue log.
use super::{Actions, Can, date_text};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Empty, FieldMsg, FormError, Tone, action_error, echoed};
use crate::projects::execution::model::{ACTION_ROWS, ExecTask, ExecutionView, Issue, TeamMember};
use crate::projects::model::ProjectFrameData;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

/// `<option>`s for choosing a team member (with an empty first choice).
fn member_options(team: &[TeamMember], selected: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let selected = selected.to_string();
    let opts: Vec<_> = team
        .iter()
        .map(|m| {
            let id = m.user_id.to_string();
            let sel = id == selected;
            let label = if m.role.is_empty() { m.name.clone() } else { format!("{} · {}", m.name, m.role) };
            view! { <option value=id selected=sel>{label}</option> }
        })
        .collect();
    view! {
        <option value="">{i18n.t(K::CommonChoose)}</option>
        {opts}
    }
}

fn task_state(t: &ExecTask, today: chrono::NaiveDate) -> impl IntoView + use<> {
    if t.done() {
        view! { <Badge tone=Tone::Good label=K::ProjectsExecDone/> }.into_any()
    } else if t.overdue(today) {
        view! { <Badge tone=Tone::Bad label=K::ProjectsExecOverdue/> }.into_any()
    } else {
        view! { <Badge tone=Tone::Neutral label=K::ProjectsExecOpen/> }.into_any()
    }
}

#[component]
pub fn MeetingsSection(v: Arc<ExecutionView>, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let today = v.today;
    let due = v.next_meeting_due;
    let overdue = can.work && due.is_some_and(|d| today > d);
    let days = v.meeting_days;
    let meetings = v.meetings.clone();
    let tasks = v.tasks.clone();
    view! {
        <section class="card exec-section" id="meetings">
            <h2>{i18n.t(K::ProjectsExecMeetings)}" "<span class="clause">"2.4.2-a"</span></h2>
            <dl class="kv" data-testid="meeting-cadence">
                <dt>{i18n.t(K::ProjectsExecLastMeeting)}</dt>
                <dd>{v.last_meeting.map(|d| d.to_string()).unwrap_or_else(|| i18n.get(K::ProjectsExecNoMeetingYet).to_string())}</dd>
                <dt>{i18n.t(K::ProjectsExecNextMeetingDue)}</dt>
                <dd>
                    {date_text(due)}" "
                    <span class="muted">{move || i18n.lang().tf(K::ProjectsExecMeetingEvery, &[("days", days.to_string())])}</span>
                    {overdue.then(|| view! { " "<span data-testid="meeting-overdue"><Badge tone=Tone::Bad label=K::ProjectsExecMeetingOverdue/></span> })}
                </dd>
            </dl>
            {can.manage.then(|| view! { <MeetingForm pid=pid team=v.team.clone() today=today action=acts.meeting/> })}
            {if meetings.is_empty() {
                view! { <Empty label=K::ProjectsExecNoMeetings/> }.into_any()
            } else {
                view! {
                    <div class="meetings" data-testid="meetings">
                        {meetings.into_iter().map(|m| {
                            let items: Vec<ExecTask> = tasks.iter().filter(|t| t.meeting_id == Some(m.id)).cloned().collect();
                            view! {
                                <article class="meeting">
                                    <h3>{m.held_on.to_string()}" "<span class="muted">{m.created_by_name.clone().unwrap_or_default()}</span></h3>
                                    <dl class="kv">
                                        <dt>{i18n.t(K::ProjectsExecAttendees)}</dt><dd>{m.attendees.clone()}</dd>
                                        <dt>{i18n.t(K::ProjectsExecMinutes)}</dt><dd class="pre">{m.minutes.clone()}</dd>
                                        {(!m.decisions.is_empty()).then(|| view! {
                                            <dt>{i18n.t(K::ProjectsExecDecisions)}</dt><dd class="pre">{m.decisions.clone()}</dd>
                                        })}
                                    </dl>
                                    {(!items.is_empty()).then(|| view! {
                                        <h4>{i18n.t(K::ProjectsExecActionItems)}</h4>
                                        <ul class="action-items">
                                            {items.into_iter().map(|t| view! {
                                                <li>{task_state(&t, today)}" "{t.name.clone()}
                                                    <span class="muted">" · "{t.assignee_name.clone()}" · "{move || i18n.get(K::ProjectsExecDue)}" "{t.planned_end.to_string()}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </article>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn MeetingForm(pid: i64, team: Vec<TeamMember>, today: chrono::NaiveDate, action: ServerAction<crate::projects::execution::api::HoldMeeting>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let held = echoed(None, "held_on", today.to_string());
    let team2 = team.clone();
    view! {
        <details class="exec-new" data-testid="meeting-new" open=move || err.get().is_some()>
            <summary class="btn">{i18n.t(K::ProjectsExecHoldMeeting)}</summary>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <ActionForm action=action attr:class="form form-wide" attr:data-testid="meeting-form">
                <input type="hidden" name="project_id" value=pid/>
                <label for="held_on">{i18n.t(K::ProjectsExecHeldOn)}</label>
                <input id="held_on" name="held_on" type="date" value=held max=today.to_string() required/>
                <FieldMsg error=err field="held_on"/>
                <fieldset class="rows">
                    <legend>{i18n.t(K::ProjectsExecAttendees)}</legend>
                    {team.into_iter().enumerate().map(|(i, m)| view! {
                        <label class="check"><input type="checkbox" name=format!("attendee_ids[{i}]") value=m.user_id checked/>" "{m.name.clone()}</label>
                    }).collect_view()}
                    <FieldMsg error=err field="attendee_ids"/>
                    <label for="guests">{i18n.t(K::ProjectsExecGuests)}</label>
                    <input id="guests" name="guests" type="text" maxlength="500" value=echoed(None, "guests", "")/>
                </fieldset>
                <label for="minutes">{i18n.t(K::ProjectsExecMinutes)}</label>
                <textarea id="minutes" name="minutes" rows="4" maxlength="4000" required>{echoed(None, "minutes", "")}</textarea>
                <FieldMsg error=err field="minutes"/>
                <label for="decisions">{i18n.t(K::ProjectsExecDecisions)}</label>
                <textarea id="decisions" name="decisions" rows="2" maxlength="4000">{echoed(None, "decisions", "")}</textarea>
                <FieldMsg error=err field="decisions"/>
                <fieldset class="rows">
                    <legend>{i18n.t(K::ProjectsExecActionItems)}</legend>
                    <p class="hint">{i18n.t(K::ProjectsExecActionItemsHint)}</p>
                    <table class="data edit" data-testid="action-rows">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsExecActionDescription)}</th>
                            <th>{i18n.t(K::ProjectsExecOwner)}</th>
                            <th>{i18n.t(K::ProjectsExecDue)}</th>
                        </tr></thead>
                        <tbody>
                            {(0..ACTION_ROWS).map(|i| {
                                let d = format!("actions[{i}][description]");
                                let o = format!("actions[{i}][owner_id]");
                                let due = format!("actions[{i}][due]");
                                let owner = echoed(None, &o, "");
                                view! {
                                    <tr>
                                        <td><input type="text" name=d.clone() id=format!("action-{i}-description") maxlength="200" value=echoed(None, &d, "") aria-label=i18n.get(K::ProjectsExecActionDescription)/></td>
                                        <td><select name=o id=format!("action-{i}-owner") aria-label=i18n.get(K::ProjectsExecOwner)>{member_options(&team2, &owner)}</select></td>
                                        <td><input type="date" name=due.clone() id=format!("action-{i}-due") value=echoed(None, &due, "") aria-label=i18n.get(K::ProjectsExecDue)/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <FieldMsg error=err field="actions"/>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::ProjectsExecSaveMeeting)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn IssuesSection(v: Arc<ExecutionView>, frame: ProjectFrameData, can: Can, acts: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let pid = frame.head.id;
    let today = v.today;
    let issues = v.issues.clone();
    let for_form = v.issues.clone();
    let sel = move || use_query_map().get().get("issue").and_then(|s| s.parse::<i64>().ok());
    let may_resolve = move |i: &Issue| can.work && i.is_open() && (can.manage || i.owner_id == can.viewer);
    view! {
        <section class="card exec-section" id="issues">
            <h2>{i18n.t(K::ProjectsExecIssues)}</h2>
            {can.member.then(|| view! { <IssueForm pid=pid team=v.team.clone() action=acts.issue/> })}
            {move || {
                let i = sel().and_then(|id| for_form.iter().find(|i| i.id == id).cloned())?;
                may_resolve(&i).then(|| view! { <ResolveForm i=i pid=pid action=acts.resolve/> })
            }}
            {if issues.is_empty() {
                view! { <Empty label=K::ProjectsExecNoIssues/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="issues">
                            <thead><tr>
                                <th>{i18n.t(K::ProjectsExecIssueTitle)}</th>
                                <th>{i18n.t(K::ProjectsExecOwner)}</th>
                                <th>{i18n.t(K::ProjectsExecDue)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th>
                                <th>{i18n.t(K::ProjectsExecResolution)}</th>
                                <th>{i18n.t(K::CommonActions)}</th>
                            </tr></thead>
                            <tbody>
                                {issues.into_iter().map(|i| {
                                    let overdue = i.overdue(today);
                                    let open = i.is_open();
                                    view! {
                                        <tr>
                                            <td><strong>{i.title.clone()}</strong>
                                                {(!i.description.is_empty()).then(|| view! { <p class="muted pre">{i.description.clone()}</p> })}
                                            </td>
                                            <td>{i.owner_name.clone()}</td>
                                            <td>{date_text(i.due_date)}</td>
                                            <td>
                                                {if open { view! { <Badge tone=Tone::Warn label=K::ProjectsExecIssueOpen/> } } else { view! { <Badge tone=Tone::Good label=K::ProjectsExecIssueResolved/> } }}
                                                {overdue.then(|| view! { " "<Badge tone=Tone::Bad label=K::ProjectsExecOverdue/> })}
                                            </td>
                                            <td class="pre">{i.resolution.clone()}</td>
                                            <td>{may_resolve(&i).then(|| view! {
                                                <a class="btn btn-small" href=format!("/projects/{pid}/execution?issue={}#resolve-form", i.id)>{i18n.t(K::ProjectsExecResolve)}</a>
                                            })}</td>
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
fn IssueForm(pid: i64, team: Vec<TeamMember>, action: ServerAction<crate::projects::execution::api::AddIssue>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let owner = echoed(None, "owner_id", "");
    view! {
        <details class="exec-new" data-testid="issue-new" open=move || err.get().is_some()>
            <summary class="btn">{i18n.t(K::ProjectsExecNewIssue)}</summary>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <ActionForm action=action attr:class="form" attr:data-testid="issue-form">
                <input type="hidden" name="project_id" value=pid/>
                <label for="title">{i18n.t(K::ProjectsExecIssueTitle)}</label>
                <input id="title" name="title" type="text" maxlength="200" value=echoed(None, "title", "") required/>
                <FieldMsg error=err field="title"/>
                <label for="issue_description">{i18n.t(K::ProjectsExecIssueDescription)}</label>
                <textarea id="issue_description" name="issue_description" rows="3" maxlength="4000">{echoed(None, "issue_description", "")}</textarea>
                <FieldMsg error=err field="issue_description"/>
                <label for="owner_id">{i18n.t(K::ProjectsExecOwner)}</label>
                <select id="owner_id" name="owner_id" required>{member_options(&team, &owner)}</select>
                <FieldMsg error=err field="owner_id"/>
                <label for="due_date">{i18n.t(K::ProjectsExecDue)}</label>
                <input id="due_date" name="due_date" type="date" value=echoed(None, "due_date", "")/>
                <FieldMsg error=err field="due_date"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::ProjectsExecAddIssue)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

#[component]
fn ResolveForm(i: Issue, pid: i64, action: ServerAction<crate::projects::execution::api::ResolveIssue>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(action);
    let title = i.title.clone();
    view! {
        <div class="exec-form card" id="resolve-form">
            <h3>{move || i18n.lang().tf(K::ProjectsExecResolveIssue, &[("title", title.clone())])}</h3>
            <FormError error=err/>
            <FieldMsg error=err field="project_status"/>
            <ActionForm action=action attr:class="form" attr:data-testid="resolve-form">
                <input type="hidden" name="issue_id" value=i.id/>
                <input type="hidden" name="version" value=i.version/>
                <label for="resolution">{i18n.t(K::ProjectsExecResolution)}</label>
                <textarea id="resolution" name="resolution" rows="3" maxlength="4000" required>{echoed(None, "resolution", "")}</textarea>
                <FieldMsg error=err field="resolution"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{i18n.t(K::ProjectsExecResolve)}</button>
                    <a class="btn btn-link" href=format!("/projects/{pid}/execution")>{i18n.t(K::CommonCancel)}</a>
                </div>
            </ActionForm>
        </div>
    }
}
