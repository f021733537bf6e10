use super::refresh_on_success;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, ConfirmAction, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::org::model::pick;
use crate::projects::initiation::api::*;
use crate::projects::initiation::model::*;
use crate::projects::model::{ProjectFrameData, ProjectStatus};
use crate::projects::pages::{ProjectFrame, Tab, use_project_refresh};
use chrono::NaiveDate;
use leptos::prelude::*;

/// /projects/:id: objectives, scope, dates and budget; the team (2.4.1-d); the
/// kickoff meeting (2.4.1-a); while initiating, what planning still needs.
#[component]
pub fn ProjectOverviewPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Overview content=|f: ProjectFrameData| view! { <Overview id=f.head.id/> }/> }
}

#[component]
fn Overview(id: i64) -> impl IntoView {
    let refresh = RwSignal::new(0usize);
    let data = Resource::new(move || refresh.get(), move |n| async move { project_overview(id).await.map(|d| (n, d)) });
    // Each reload builds the body afresh (keyed by the reload count), so that
    // open disclosures close and forms start from the stored values again.
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok((n, d)) => view! {
                        <For each=move || std::iter::once((n, d.clone())) key=|(n, _)| *n let((_, d))>
                            <OverviewBody d=d refresh=refresh/>
                        </For>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OverviewBody(d: OverviewView, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let p = d.project.clone();
    let status = p.status();
    let can_edit_plan = d.can_edit_plan();
    let can_edit_project = d.access.manage && Editable::of(status) != Editable::Nothing;
    let can_cancel = may_cancel(status, &d.access);
    let money = Money::new(p.budget_minor, &p.currency).display();
    let priority = crate::projects::model::Priority::parse(&p.priority).unwrap_or(crate::projects::model::Priority::Medium);
    view! {
        {(can_edit_project || can_cancel).then(|| view! {
            <div class="actions project-actions">
                {can_edit_project.then(|| view! {
                    <a class="btn" href=format!("/projects/{}/edit", p.id) data-testid="edit-project">{i18n.t(K::CommonEdit)}</a>
                })}
                {can_cancel.then(|| view! { <CancelForm p=p.clone()/> })}
            </div>
        })}
        {d.cancel_reason.clone().map(|r| view! {
            <div class="alert alert-warn" data-testid="cancel-reason"><strong>{i18n.t(K::ProjectsInitCancelledBecause)}</strong>" "{r}</div>
        })}
        {(status == ProjectStatus::Initiating).then(|| view! { <Readiness facts=d.facts/> })}
        <section class="card" data-testid="project-details">
            <h2>{i18n.t(K::ProjectsInitObjectivesAndScope)}" "<span class="clause">"2.4.1-a"</span></h2>
            <dl class="kv">
                <dt>{i18n.t(K::ProjectsInitObjectives)}</dt><dd class="pre">{p.objectives.clone()}</dd>
                <dt>{i18n.t(K::ProjectsInitScopeIn)}</dt><dd class="pre">{p.scope_in.clone()}</dd>
                <dt>{i18n.t(K::ProjectsInitScopeOut)}</dt><dd class="pre">{p.scope_out.clone()}</dd>
                <dt>{i18n.t(K::ProjectsInitStart)}</dt><dd>{p.start_date.to_string()}</dd>
                <dt>{i18n.t(K::ProjectsInitEnd)}</dt><dd>{p.end_date.to_string()}</dd>
                <dt>{i18n.t(K::ProjectsBudget)}</dt><dd>{money}</dd>
                <dt>{i18n.t(K::ProjectsInitPriority)}</dt><dd>{i18n.t(priority.key())}</dd>
                <dt>{i18n.t(K::ProjectsInitBaseline)}</dt>
                <dd>{if p.baseline_version > 0 {
                    let approved = p.approved_at.map(|t| crate::core::time::company_date(t).to_string()).unwrap_or_default();
                    let v = p.baseline_version;
                    view! { <span>{move || i18n.lang().tf(K::ProjectsInitBaselineInForce, &[("version", v.to_string()), ("date", approved.clone())])}</span> }.into_any()
                } else {
                    view! { <span>{i18n.t(K::ProjectsInitNoBaseline)}</span> }.into_any()
                }}</dd>
            </dl>
        </section>
        <Team d=d.clone() can_edit=can_edit_plan refresh=refresh/>
        <Kickoff d=d can_edit=can_edit_plan refresh=refresh/>
    }
}

/// 2.4.1-a/-b/-d: what the plan still needs before it can be submitted.
#[component]
fn Readiness(facts: PlanFacts) -> impl IntoView {
    let i18n = use_i18n();
    let ready = facts.gaps().is_empty();
    view! {
        <section class="card readiness" data-testid="readiness">
            <h2>{i18n.t(K::ProjectsInitReadinessTitle)}</h2>
            <ul class="checklist">
                {plan_checklist(&facts).into_iter().map(|(k, done)| view! {
                    <li class=if done { "done" } else { "missing" }>
                        <Badge tone=if done { Tone::Good } else { Tone::Warn } label=if done { K::ProjectsInitDone } else { K::ProjectsInitMissing }/>
                        " "{i18n.t(k)}
                    </li>
                }).collect_view()}
            </ul>
            <p class="hint">{i18n.t(if ready { K::ProjectsInitReadyHint } else { K::ProjectsInitNotReadyHint })}</p>
        </section>
    }
}

/// Cancels the project with a reason, after asking.
#[component]
fn CancelForm(p: Project) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<CancelProject>::new();
    let err = action_error(act);
    let frame = use_project_refresh();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            frame.bump();
        }
    });
    view! {
        <div data-testid="cancel-project">
            <ConfirmAction label=K::ProjectsInitCancel question=K::ProjectsInitCancelQuestion danger=true>
                <FormError error=err/>
                <FieldMsg error=err field="state"/>
                <ActionForm action=act attr:class="form">
                    <input type="hidden" name="id" value=p.id/>
                    <input type="hidden" name="version" value=p.version/>
                    <label for="cancel-reason">{i18n.t(K::ProjectsInitCancelReason)}</label>
                    <textarea id="cancel-reason" name="reason" rows="3" required maxlength="1000">{echoed(None, "reason", "")}</textarea>
                    <FieldMsg error=err field="reason"/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-danger" disabled=move || act.pending().get()>{i18n.t(K::CommonConfirm)}</button>
                    </div>
                </ActionForm>
            </ConfirmAction>
        </div>
    }
}

// ===== team (2.4.1-d) =====

#[component]
fn Team(d: OverviewView, can_edit: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let project_id = d.project.id;
    let manager_id = d.project.manager_id;
    let people = d.people.clone();
    view! {
        <section class="card" id="team" data-testid="team">
            <h2>{i18n.t(K::ProjectsInitTeam)}" "<span class="clause">"2.4.1-d"</span></h2>
            {if d.members.is_empty() {
                view! { <Empty label=K::ProjectsInitNoMembers/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsInitMember)}</th>
                            <th>{i18n.t(K::FieldDepartment)}</th>
                            <th>{i18n.t(K::ProjectsInitRole)}</th>
                            <th>{i18n.t(K::ProjectsInitResponsibilities)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitAllocation)}</th>
                            <th class="num">{i18n.t(K::ProjectsInitOpenTasks)}</th>
                            {can_edit.then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                        </tr></thead>
                        <tbody>
                            {d.members.clone().into_iter().map(|m| {
                                let is_pm = m.user_id == manager_id;
                                let (zh, en) = (m.department_zh.clone(), m.department_en.clone());
                                let edit = m.clone();
                                view! {
                                    <tr data-testid=format!("member-{}", m.user_id)>
                                        <td>
                                            <a href=format!("/people/{}", m.user_id)>{m.display_name.clone()}</a>
                                            {is_pm.then(|| view! { " "<Badge tone=Tone::Good label=K::ProjectsManager/> })}
                                        </td>
                                        <td>{move || pick(i18n.lang(), &zh, &en)}</td>
                                        <td>{m.role.clone()}</td>
                                        <td class="pre">{m.responsibilities.clone()}</td>
                                        <td class="num">{format!("{}%", m.allocation_pct)}</td>
                                        <td class="num">{m.open_tasks}</td>
                                        {can_edit.then(|| view! {
                                            <td>
                                                <details class="inline-form">
                                                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                                                    <MemberForm project_id=project_id member=Some(edit.clone()) people=vec![] refresh=refresh/>
                                                </details>
                                                {(!is_pm).then(|| view! { <RemoveMember m=edit.clone() refresh=refresh/> })}
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
                    <summary class="btn" data-testid="add-member">{i18n.t(K::ProjectsInitAddMember)}</summary>
                    <MemberForm project_id=project_id member=None people=people.clone() refresh=refresh/>
                </details>
            })}
        </section>
    }
}

/// Adds (no `member`) or edits a team member.
#[component]
fn MemberForm(project_id: i64, member: Option<Member>, people: Vec<PersonOption>, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveMember>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let fid = member.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
    let key = member.as_ref().map(|m| m.id.to_string()).unwrap_or_else(|| "new".into());
    let el = {
        let key = key.clone();
        move |f: &str| format!("member-{key}-{f}")
    };
    let start = {
        let fid = fid.clone();
        move |name: &str, default: String| echoed(Some(&fid), &format!("input[{name}]"), default)
    };
    let adding = member.is_none();
    let m = member.clone();
    let user_sel = start("user_id", String::new());
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=act attr:class="form" attr:data-testid=format!("member-form-{key}")>
            <input type="hidden" name="project_id" value=project_id/>
            <input type="hidden" name="id" value=fid.clone()/>
            <input type="hidden" name="version" value=m.as_ref().map(|m| m.version.to_string()).unwrap_or_default()/>
            {adding.then(|| view! {
                <label for=el("user")>{i18n.t(K::ProjectsInitMember)}</label>
                <select id=el("user") name="input[user_id]" required>
                    <option value="">{i18n.t(K::CommonChoose)}</option>
                    {people.iter().map(|p| {
                        let p2 = p.clone();
                        view! { <option value=p.id selected=user_sel == p.id.to_string()>{move || p2.label(i18n.lang())}</option> }
                    }).collect_view()}
                </select>
                <FieldMsg error=err field="user_id"/>
            })}
            <label for=el("role")>{i18n.t(K::ProjectsInitRole)}</label>
            <input id=el("role") name="input[role]" value=start("role", m.as_ref().map(|m| m.role.clone()).unwrap_or_default()) required maxlength="50"/>
            <FieldMsg error=err field="role"/>
            <label for=el("resp")>{i18n.t(K::ProjectsInitResponsibilities)}</label>
            <textarea id=el("resp") name="input[responsibilities]" rows="2" maxlength="500">{start("responsibilities", m.as_ref().map(|m| m.responsibilities.clone()).unwrap_or_default())}</textarea>
            <FieldMsg error=err field="responsibilities"/>
            <label for=el("alloc")>{i18n.t(K::ProjectsInitAllocation)}</label>
            <input id=el("alloc") name="input[allocation_pct]" type="number" min="0" max="100" step="1" required
                value=start("allocation_pct", m.as_ref().map(|m| m.allocation_pct.to_string()).unwrap_or_else(|| "100".into()))/>
            <FieldMsg error=err field="allocation_pct"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn RemoveMember(m: Member, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<RemoveMember>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    view! {
        <ConfirmAction label=K::ProjectsInitRemove question=K::ProjectsInitRemoveMemberQuestion danger=true>
            <FormError error=err/>
            <FieldMsg error=err field="state"/>
            <ActionForm action=act>
                <input type="hidden" name="id" value=m.id/>
                <input type="hidden" name="version" value=m.version/>
                <button type="submit" class="btn btn-danger" disabled=move || act.pending().get()>{i18n.t(K::CommonConfirm)}</button>
            </ActionForm>
        </ConfirmAction>
    }
}

// ===== kickoff (2.4.1-a) =====

#[component]
fn Kickoff(d: OverviewView, can_edit: bool, refresh: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let project_id = d.project.id;
    let members = d.members.clone();
    let today = d.today;
    view! {
        <section class="card" id="kickoff" data-testid="kickoff">
            <h2>{i18n.t(K::ProjectsInitKickoff)}" "<span class="clause">"2.4.1-a"</span></h2>
            {match d.kickoff.clone() {
                Some(m) => {
                    let edit = m.clone();
                    let attendees = d.kickoff_attendees.clone();
                    let members = members.clone();
                    view! {
                        <dl class="kv" data-testid="kickoff-record">
                            <dt>{i18n.t(K::ProjectsInitHeldOn)}</dt><dd>{m.held_on.to_string()}</dd>
                            <dt>{i18n.t(K::ProjectsInitAttendees)}</dt><dd>{m.attendees.clone()}</dd>
                            <dt>{i18n.t(K::ProjectsInitMinutes)}</dt><dd class="pre">{m.minutes.clone()}</dd>
                            <dt>{i18n.t(K::ProjectsInitDecisions)}</dt><dd class="pre">{m.decisions.clone()}</dd>
                        </dl>
                        {can_edit.then(|| view! {
                            <details class="inline-form">
                                <summary class="btn" data-testid="edit-kickoff">{i18n.t(K::ProjectsInitEditKickoff)}</summary>
                                <KickoffForm project_id=project_id meeting=Some(edit.clone()) attendees=attendees.clone() members=members.clone() today=today refresh=refresh/>
                            </details>
                        })}
                    }.into_any()
                }
                None => view! {
                    <Empty label=K::ProjectsInitNoKickoff/>
                    {can_edit.then(|| view! {
                        <details class="inline-form">
                            <summary class="btn btn-primary" data-testid="record-kickoff">{i18n.t(K::ProjectsInitRecordKickoff)}</summary>
                            <KickoffForm project_id=project_id meeting=None attendees=vec![] members=members.clone() today=today refresh=refresh/>
                        </details>
                    })}
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn KickoffForm(
    project_id: i64,
    meeting: Option<Meeting>,
    attendees: Vec<i64>,
    members: Vec<Member>,
    today: NaiveDate,
    refresh: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<SaveKickoff>::new();
    let err = action_error(act);
    refresh_on_success(act, refresh);
    let start = |name: &str, default: String| echoed(None, &format!("input[{name}]"), default);
    let present: Vec<String> =
        members.iter().filter(|m| attendees.contains(&m.user_id)).map(|m| m.display_name.clone()).collect();
    let guests = meeting.as_ref().map(|m| guests_of(&m.attendees, &present)).unwrap_or_default();
    let creating = meeting.is_none();
    let m = meeting.clone();
    view! {
        <FormError error=err/>
        <FieldMsg error=err field="state"/>
        <ActionForm action=act attr:class="form" attr:data-testid="kickoff-form">
            <input type="hidden" name="project_id" value=project_id/>
            <input type="hidden" name="version" value=m.as_ref().map(|m| m.version.to_string()).unwrap_or_default()/>
            <label for="kickoff-held-on">{i18n.t(K::ProjectsInitHeldOn)}</label>
            <input id="kickoff-held-on" name="input[held_on]" type="date" max=today.to_string() required
                value=start("held_on", m.as_ref().map(|m| m.held_on).unwrap_or(today).to_string())/>
            <FieldMsg error=err field="held_on"/>
            <fieldset class="rows" data-testid="kickoff-attendees">
                <legend>{i18n.t(K::ProjectsInitAttendeesTeam)}</legend>
                {members.iter().enumerate().map(|(i, mb)| {
                    // New: the whole team is ticked; then who was recorded.
                    let checked = creating || attendees.contains(&mb.user_id);
                    view! {
                        <label class="check">
                            <input type="checkbox" name=format!("attendees[{i}]") value=mb.user_id checked=checked/>
                            " "{mb.display_name.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <FieldMsg error=err field="attendees"/>
            <label for="kickoff-guests">{i18n.t(K::ProjectsInitGuests)}</label>
            <input id="kickoff-guests" name="input[guests]" value=start("guests", guests) maxlength="500"/>
            <p class="hint">{i18n.t(K::ProjectsInitGuestsHint)}</p>
            <FieldMsg error=err field="guests"/>
            <label for="kickoff-minutes">{i18n.t(K::ProjectsInitMinutes)}</label>
            <textarea id="kickoff-minutes" name="input[minutes]" rows="4" required maxlength="8000">{start("minutes", m.as_ref().map(|m| m.minutes.clone()).unwrap_or_default())}</textarea>
            <p class="hint">{i18n.t(K::ProjectsInitMinutesHint)}</p>
            <FieldMsg error=err field="minutes"/>
            <label for="kickoff-decisions">{i18n.t(K::ProjectsInitDecisions)}</label>
            <textarea id="kickoff-decisions" name="input[decisions]" rows="3" required maxlength="8000">{start("decisions", m.as_ref().map(|m| m.decisions.clone()).unwrap_or_default())}</textarea>
            <FieldMsg error=err field="decisions"/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::CommonSave)}</button>
            </div>
        </ActionForm>
    }
}
