//! /projects/:id/approval: submission readiness, submit / withdraw, the review
//! rounds with their decisions, change requests with the proposal against the
//! baseline in force, the baseline versions and a comparison of two of them
//! (2.4.1-c, 2.4.3-c).
use super::api::*;
use super::model::*;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::time::format_in;
use crate::core::ui::{Badge, ConfirmAction, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::projects::model::{ProjectFrameData, ProjectStatus};
use crate::projects::pages::{ProjectFrame, Tab, use_project_refresh};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProjectApprovalPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Approval content=|f| view! { <ApprovalBody f=f/> }/> }
}

/// The page's actions; each reloads the project (header and page) when it succeeds.
#[derive(Clone, Copy)]
struct Acts {
    submit: ServerAction<SubmitPlan>,
    withdraw: ServerAction<WithdrawPlan>,
    decide: ServerAction<DecideApprovalStep>,
    raise: ServerAction<RaiseChange>,
    withdraw_change: ServerAction<WithdrawChange>,
}

fn refresh_on_ok<I, O>(action: ServerAction<I>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let refresh = use_project_refresh();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            refresh.bump();
        }
    });
}

fn when(t: Option<chrono::DateTime<chrono::Utc>>, tz: &str) -> String {
    t.map(|t| format_in(t, tz)).unwrap_or_default()
}

#[component]
fn ApprovalBody(f: ProjectFrameData) -> impl IntoView {
    let acts = Acts {
        submit: ServerAction::new(),
        withdraw: ServerAction::new(),
        decide: ServerAction::new(),
        raise: ServerAction::new(),
        withdraw_change: ServerAction::new(),
    };
    refresh_on_ok(acts.submit);
    refresh_on_ok(acts.withdraw);
    refresh_on_ok(acts.decide);
    refresh_on_ok(acts.raise);
    refresh_on_ok(acts.withdraw_change);
    let id = f.head.id;
    let q = use_query_map();
    let pick = move |k: &str| q.get().get(k).and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(move || (id, pick("a"), pick("b")), |(id, a, b)| project_approval(id, a, b));
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <Approval v=v acts=acts/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Approval(v: ApprovalView, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let status = ProjectStatus::parse(&v.status).unwrap_or(ProjectStatus::Initiating);
    let tz = v.time_zone.clone();
    let decide_err = action_error(acts.decide);
    let returned = v.returned.clone();
    view! {
        <div class="approval">
            {(!returned.is_empty()).then(|| view! {
                <div class="alert alert-error" role="alert" data-testid="returned">
                    <strong>{i18n.t(K::ProjectsApprReturned)}</strong>
                    <ul>
                        {returned.into_iter().map(|s| {
                            let s2 = s.clone();
                            let who = match s.kind() {
                                StepKind::Review => view! { {move || s2.department(i18n.lang())} }.into_any(),
                                StepKind::Approval => view! { {i18n.t(K::ProjectsSponsor)} }.into_any(),
                            };
                            view! { <li>{who}" · "{s.decider_name.clone().unwrap_or_default()}": "<q>{s.comment.clone()}</q></li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {matches!(status, ProjectStatus::Initiating | ProjectStatus::PlanReview).then(|| view! {
                <Submission v=v.clone() acts=acts/>
            })}
            <section class="card" data-testid="approval-rounds">
                <h2>{i18n.t(K::ProjectsApprRounds)}</h2>
                <FormError error=decide_err/>
                <FieldMsg error=decide_err field="decision"/>
                {if v.rounds.is_empty() {
                    view! { <Empty label=K::ProjectsApprNoRounds/> }.into_any()
                } else {
                    let tz = tz.clone();
                    view! {
                        {v.rounds.clone().into_iter().enumerate().map(|(i, r)| view! { <RoundView r=r latest=i == 0 tz=tz.clone() decide=acts.decide/> }).collect_view()}
                    }.into_any()
                }}
            </section>
            <Changes v=v.clone() acts=acts/>
            <Baselines v=v.clone()/>
        </div>
    }
}

/// Readiness (what is missing) and the submit / withdraw actions (2.4.1-c).
#[component]
fn Submission(v: ApprovalView, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(acts.submit);
    let werr = action_error(acts.withdraw);
    let r = v.readiness.clone();
    let missing = r.missing();
    let item = move |ok: bool, label: K, testid: &'static str| {
        view! {
            <li data-testid=testid>
                {if ok { view! { <Badge tone=Tone::Good label=K::ProjectsApprReadyOk/> } } else { view! { <Badge tone=Tone::Bad label=K::ProjectsApprReadyMissing/> } }}
                " "{i18n.t(label)}
            </li>
        }
    };
    let (id, version) = (v.project_id, v.version);
    view! {
        <section class="card" data-testid="submission">
            <h2>{i18n.t(K::ProjectsApprSubmission)}</h2>
            <ul class="checklist" data-testid="readiness">
                {item(r.kickoffs > 0, K::ProjectsApprReadyKickoff, "ready-kickoff")}
                {item(r.tasks > 0, K::ProjectsApprReadyTasks, "ready-tasks")}
                {item(r.unassigned == 0, K::ProjectsApprReadyAssignees, "ready-assignees")}
                {item(r.budget_lines > 0, K::ProjectsApprReadyBudget, "ready-budget")}
                {item(r.criteria > 0, K::ProjectsApprReadyCriteria, "ready-criteria")}
                {item(r.reviewers > 0, K::ProjectsApprReadyReviewers, "ready-reviewers")}
            </ul>
            // What is missing, before submitting; after a refused submission the
            // fields' own messages (as the server found them) replace it.
            {(!missing.is_empty() && v.can_submit).then(|| view! {
                <Show when=move || err.get().is_none()>
                    <div class="alert alert-warn" data-testid="missing">
                        <ul>
                            {missing.iter().map(|m| {
                                let (k, n) = (m.key, m.count);
                                view! { <li>{move || i18n.lang().tf(k, &[("count", n.to_string())])}</li> }
                            }).collect_view()}
                        </ul>
                    </div>
                </Show>
            })}
            <FormError error=err/>
            {["kickoff", "tasks", "assignees", "budget", "criteria", "reviewers", "status"].into_iter().map(|f| view! { <FieldMsg error=err field=f/> }).collect_view()}
            <FormError error=werr/>
            <FieldMsg error=werr field="status"/>
            <div class="actions">
                {v.can_submit.then(|| view! {
                    <ConfirmAction label=K::ProjectsApprSubmit question=K::ProjectsApprSubmitQuestion>
                        <ActionForm action=acts.submit attr:data-testid="submit-plan">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <button type="submit" class="btn btn-primary">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                })}
                {v.can_withdraw.then(|| view! {
                    <ConfirmAction label=K::ProjectsApprWithdraw question=K::ProjectsApprWithdrawQuestion danger=true>
                        <ActionForm action=acts.withdraw attr:data-testid="withdraw-plan">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <button type="submit" class="btn btn-danger">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                })}
            </div>
        </section>
    }
}

/// One round: its steps, with the decision form where the reader may decide.
#[component]
fn RoundView(r: Round, latest: bool, tz: String, decide: ServerAction<DecideApprovalStep>) -> impl IntoView {
    let i18n = use_i18n();
    let (cr, seq, round) = (r.change_request_id, r.change_seq, r.round);
    let title = move || match cr {
        Some(_) => i18n.lang().tf(K::ProjectsApprChangeRound, &[("seq", seq.unwrap_or(0).to_string()), ("round", round.to_string())]),
        None => i18n.lang().tf(K::ProjectsApprPlanRound, &[("round", round.to_string())]),
    };
    let testid = match cr {
        Some(_) => format!("round-change-{}-{round}", seq.unwrap_or(0)),
        None => format!("round-plan-{round}"),
    };
    let table = view! {
        <div class="table-wrap"><table class="data">
            <thead><tr>
                <th>{i18n.t(K::ProjectsApprStep)}</th><th>{i18n.t(K::ProjectsApprWho)}</th><th>{i18n.t(K::FieldStatus)}</th>
                <th>{i18n.t(K::ProjectsApprDecidedBy)}</th><th>{i18n.t(K::ProjectsApprComment)}</th><th>{i18n.t(K::CommonTime)}</th>
                <th>{i18n.t(K::CommonActions)}</th>
            </tr></thead>
            <tbody>
                {r.steps.into_iter().map(|s| view! { <StepRow s=s tz=tz.clone() decide=decide/> }).collect_view()}
            </tbody>
        </table></div>
    };
    if latest {
        view! { <div class="round" data-testid=testid><h3>{title}</h3>{table}</div> }.into_any()
    } else {
        view! { <details class="round earlier" data-testid=testid><summary>{title}</summary>{table}</details> }.into_any()
    }
}

#[component]
fn StepRow(s: StepView, tz: String, decide: ServerAction<DecideApprovalStep>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(decide);
    let st = s.step.clone();
    let status = st.status();
    let kind = st.kind();
    let st2 = st.clone();
    let testid = match kind {
        StepKind::Review => format!("step-{}", st.department_zh.clone().unwrap_or_default()),
        StepKind::Approval => "step-leader".to_string(),
    };
    let form_id = format!("comment-{}", st.id);
    view! {
        <tr data-testid=testid>
            <td>{i18n.t(kind.key())}</td>
            <td>{match kind {
                StepKind::Review => view! { {move || st2.department(i18n.lang())} }.into_any(),
                StepKind::Approval => view! { {i18n.t(K::ProjectsSponsor)} }.into_any(),
            }}</td>
            <td><Badge tone=status.tone() label=status.key()/></td>
            <td>{st.decider_name.clone().unwrap_or_default()}</td>
            <td class="pre">{st.comment.clone()}</td>
            <td>{when(st.decided_at, &tz)}</td>
            <td>
                {s.may_decide.then(|| view! {
                    <ActionForm action=decide attr:class="decide-form" attr:data-testid="decide-form">
                        <input type="hidden" name="step_id" value=st.id/>
                        <input type="hidden" name="version" value=st.version/>
                        <label for=form_id.clone()>{i18n.t(K::ProjectsApprComment)}</label>
                        <textarea id=form_id.clone() name="comment" rows="2" maxlength="2000">{echoed(None, "comment", "")}</textarea>
                        <FieldMsg error=err field="comment"/>
                        <div class="form-actions">
                            <button type="submit" name="decision" value="approve" class="btn btn-primary" data-testid="approve">{i18n.t(K::ProjectsApprApprove)}</button>
                            <button type="submit" name="decision" value="reject" class="btn btn-danger" data-testid="reject">{i18n.t(K::ProjectsApprReject)}</button>
                        </div>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

fn money(minor: i64, cur: &str) -> String {
    Money::new(minor, cur).display()
}

fn signed_money(minor: i64, cur: &str) -> String {
    if minor > 0 { format!("+{}", money(minor, cur)) } else { money(minor, cur) }
}

/// Change requests (2.4.3-c): the list, the current plan against the baseline
/// in force (what a change request proposes), and the raise form.
#[component]
fn Changes(v: ApprovalView, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let cur = v.currency.clone();
    let tz = v.time_zone.clone();
    let werr = action_error(acts.withdraw_change);
    let show = v.baseline_version > 0 || !v.changes.is_empty();
    show.then(|| {
        let cur2 = cur.clone();
        view! {
            <section class="card" data-testid="change-requests">
                <h2>{i18n.t(K::ProjectsApprChanges)}</h2>
                <p class="hint">{i18n.t(K::ProjectsApprChangesHint)}</p>
                <FormError error=werr/>
                {if v.changes.is_empty() {
                    view! { <Empty label=K::ProjectsApprNoChanges/> }.into_any()
                } else {
                    let tz = tz.clone();
                    view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr>
                                <th>"#"</th><th>{i18n.t(K::ProjectsApprReason)}</th><th>{i18n.t(K::ProjectsApprImpact)}</th>
                                <th>{i18n.t(K::ProjectsApprProposedEnd)}</th><th>{i18n.t(K::ProjectsApprProposedBudget)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::ProjectsApprRaised)}</th><th>{i18n.t(K::ProjectsApprDecision)}</th>
                                <th>{i18n.t(K::CommonActions)}</th>
                            </tr></thead>
                            <tbody>
                                {v.changes.clone().into_iter().map(|c| view! {
                                    <ChangeRow c=c cur=cur.clone() tz=tz.clone() can_manage=v.can_manage withdraw=acts.withdraw_change/>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
                {v.proposal.clone().map(|p| {
                    let stale = v.proposal_stale;
                    view! {
                        <h3>{move || i18n.lang().tf(K::ProjectsApprProposalTitle, &[("v", p.a_version.unwrap_or(0).to_string())])}</h3>
                        {stale.then(|| view! { <div class="alert alert-warn" role="alert" data-testid="proposal-stale">{i18n.t(K::ProjectsApprProposalStale)}</div> })}
                        <div data-testid="proposal"><ComparisonView c=p.clone() cur=cur2.clone() only_changed=true/></div>
                    }
                })}
                {v.can_raise.then(|| view! { <RaiseForm id=v.project_id version=v.version raise=acts.raise/> })}
            </section>
        }
    })
}

#[component]
fn ChangeRow(c: ChangeRequest, cur: String, tz: String, can_manage: bool, withdraw: ServerAction<WithdrawChange>) -> impl IntoView {
    let i18n = use_i18n();
    let s = c.status();
    let end_from = c.base_end.map(|d| d.to_string()).unwrap_or_default();
    let budget_from = c.base_budget_minor.map(|b| money(b, &cur)).unwrap_or_default();
    let budget_diff = c.base_budget_minor.map(|b| signed_money(c.proposed_budget_minor - b, &cur));
    let end_diff = c.base_end.map(|d| signed_days((c.proposed_end - d).num_days()));
    let made = c.baseline_version;
    view! {
        <tr data-testid=format!("change-{}", c.seq)>
            <td>{c.seq}</td>
            <td class="pre">{c.reason.clone()}</td>
            <td class="pre">{c.impact.clone()}</td>
            <td data-testid="change-end">{end_from}" → "{c.proposed_end.to_string()}
                {end_diff.map(|d| view! { " ("{move || i18n.lang().tf(K::ProjectsApprDays, &[("n", d.clone())])}")" })}
            </td>
            <td data-testid="change-budget">{budget_from}" → "{money(c.proposed_budget_minor, &cur)}
                {budget_diff.map(|d| view! { " ("{d}")" })}
            </td>
            <td><Badge tone=s.tone() label=s.key()/>
                {made.map(|v| view! { " "{move || i18n.lang().tf(K::ProjectsApprMadeVersion, &[("v", v.to_string())])} })}
            </td>
            <td>{when(Some(c.created_at), &tz)}" "{c.creator_name.clone().unwrap_or_default()}</td>
            <td>{when(c.decided_at, &tz)}" "{c.decider_name.clone().unwrap_or_default()}
                {(!c.comment.is_empty()).then(|| view! { ": "<q>{c.comment.clone()}</q> })}
            </td>
            <td>
                {(s == ChangeStatus::InReview && can_manage).then(|| view! {
                    <ConfirmAction label=K::ProjectsApprWithdrawChange question=K::ProjectsApprWithdrawChangeQuestion danger=true>
                        <ActionForm action=withdraw attr:data-testid="withdraw-change">
                            <input type="hidden" name="change_id" value=c.id/>
                            <input type="hidden" name="version" value=c.version/>
                            <button type="submit" class="btn btn-danger">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                })}
            </td>
        </tr>
    }
}

#[component]
fn RaiseForm(id: i64, version: i64, raise: ServerAction<RaiseChange>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(raise);
    let fid = id.to_string();
    let (f1, f2) = (fid.clone(), fid.clone());
    view! {
        <details class="raise-change" data-testid="raise-change">
            <summary class="btn">{i18n.t(K::ProjectsApprRaise)}</summary>
            <ActionForm action=raise attr:class="form" attr:data-testid="raise-form">
                <p class="hint">{i18n.t(K::ProjectsApprRaiseHint)}</p>
                <FormError error=err/>
                <FieldMsg error=err field="plan"/>
                <FieldMsg error=err field="status"/>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <label for="cr-reason">{i18n.t(K::ProjectsApprReason)}</label>
                <textarea id="cr-reason" name="reason" rows="3" maxlength="2000">{echoed(Some(&f1), "reason", "")}</textarea>
                <FieldMsg error=err field="reason"/>
                <label for="cr-impact">{i18n.t(K::ProjectsApprImpact)}</label>
                <textarea id="cr-impact" name="impact" rows="3" maxlength="2000">{echoed(Some(&f2), "impact", "")}</textarea>
                <FieldMsg error=err field="impact"/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || raise.pending().get()>{i18n.t(K::ProjectsApprRaiseSubmit)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

/// The label of a compared plan: "v2" or "current plan".
fn plan_label(v: Option<i64>) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = use_i18n();
    move || match v {
        Some(v) if v > 0 => i18n.lang().tf(K::ProjectsApprVersionN, &[("v", v.to_string())]),
        _ => i18n.get(K::ProjectsApprCurrentPlan).to_string(),
    }
}

/// Baseline versions and the comparison of two (2.4.3-c).
#[component]
fn Baselines(v: ApprovalView) -> impl IntoView {
    let i18n = use_i18n();
    let cur = v.currency.clone();
    let tz = v.time_zone.clone();
    let path = format!("/projects/{}/approval", v.project_id);
    let versions: Vec<i64> = v.baselines.iter().map(|b| b.version).collect();
    // Without a choice: the latest version against the current plan.
    let (sa, sb) = (v.cmp_a.or(versions.first().copied()).unwrap_or(0), v.cmp_b.unwrap_or(0));
    let options = move |selected: i64| {
        let mut opts: Vec<i64> = versions.clone();
        opts.push(0);
        opts.into_iter()
            .map(|o| view! { <option value=o selected=o == selected>{plan_label(Some(o))}</option> })
            .collect_view()
    };
    let (oa, ob) = (options.clone(), options);
    view! {
        <section class="card" data-testid="baselines">
            <h2>{i18n.t(K::ProjectsApprBaselines)}</h2>
            {if v.baselines.is_empty() {
                view! { <Empty label=K::ProjectsApprNoBaselines/> }.into_any()
            } else {
                let cur = cur.clone();
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsApprVersion)}</th><th>{i18n.t(K::ProjectsApprSource)}</th>
                            <th>{i18n.t(K::ProjectsApprStart)}</th><th>{i18n.t(K::ProjectsApprEnd)}</th><th>{i18n.t(K::ProjectsBudget)}</th>
                            <th>{i18n.t(K::ProjectsApprApprovedAt)}</th>
                        </tr></thead>
                        <tbody>
                            {v.baselines.iter().map(|b| {
                                let seq = b.change_seq;
                                let in_force = b.version == v.baseline_version;
                                view! {
                                    <tr data-testid=format!("baseline-v{}", b.version)>
                                        <td>{plan_label(Some(b.version))}{in_force.then(|| view! { " "<Badge tone=Tone::Good label=K::ProjectsApprInForce/> })}</td>
                                        <td>{move || match seq {
                                            Some(s) => i18n.lang().tf(K::ProjectsApprFromChange, &[("seq", s.to_string())]),
                                            None => i18n.get(K::ProjectsApprFromPlan).to_string(),
                                        }}</td>
                                        <td>{b.start_date.to_string()}</td>
                                        <td>{b.end_date.to_string()}</td>
                                        <td class="num">{money(b.budget_minor, &cur)}</td>
                                        <td>{when(Some(b.approved_at), &tz)}" "{b.approver_name.clone().unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                    <form method="get" action=path.clone() class="filters" data-testid="compare-form">
                        <label>{i18n.t(K::ProjectsApprCompareA)}<select name="a" data-testid="compare-a">{oa(sa)}</select></label>
                        <label>{i18n.t(K::ProjectsApprCompareB)}<select name="b" data-testid="compare-b">{ob(sb)}</select></label>
                        <button type="submit" class="btn">{i18n.t(K::ProjectsApprCompare)}</button>
                    </form>
                }.into_any()
            }}
            {v.comparison.clone().map(|c| view! {
                <div data-testid="comparison"><ComparisonView c=c cur=cur.clone() only_changed=false/></div>
            })}
        </section>
    }
}

/// Two plans side by side: project start, end and budget; per task its dates
/// in A and B and the shift in days; per budget line the amounts and the difference.
#[component]
fn ComparisonView(c: Comparison, cur: String, only_changed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (la, lb) = (plan_label(c.a_version), plan_label(c.b_version));
    let (la2, lb2, la3, lb3) = (plan_label(c.a_version), plan_label(c.b_version), plan_label(c.a_version), plan_label(c.b_version));
    let tasks: Vec<TaskDiff> = c.tasks.iter().filter(|t| !only_changed || t.changed()).cloned().collect();
    let lines: Vec<LineDiff> = c.lines.iter().filter(|l| !only_changed || l.diff != 0 || l.a.is_none() || l.b.is_none()).cloned().collect();
    let date = |d: Option<(chrono::NaiveDate, chrono::NaiveDate)>, end: bool| d.map(|d| if end { d.1 } else { d.0 }.to_string()).unwrap_or_else(|| "—".into());
    let days = |d: Option<i64>| d.map(signed_days).unwrap_or_else(|| "—".into());
    let cur2 = cur.clone();
    let amount = move |a: Option<i64>| a.map(|a| money(a, &cur2)).unwrap_or_else(|| "—".into());
    let start_days = (c.b_start - c.a_start).num_days();
    view! {
        <div class="comparison">
            <div class="table-wrap"><table class="data totals" data-testid="comparison-totals">
                <thead><tr><th></th><th>{la}</th><th>{lb}</th><th>{i18n.t(K::ProjectsApprDifference)}</th></tr></thead>
                <tbody>
                    <tr><th>{i18n.t(K::ProjectsApprStart)}</th><td>{c.a_start.to_string()}</td><td>{c.b_start.to_string()}</td>
                        <td class="num">{move || i18n.lang().tf(K::ProjectsApprDays, &[("n", signed_days(start_days))])}</td></tr>
                    <tr data-testid="cmp-end"><th>{i18n.t(K::ProjectsApprEnd)}</th><td>{c.a_end.to_string()}</td><td>{c.b_end.to_string()}</td>
                        <td class="num">{move || i18n.lang().tf(K::ProjectsApprDays, &[("n", signed_days(c.end_days))])}</td></tr>
                    <tr data-testid="cmp-budget"><th>{i18n.t(K::ProjectsBudget)}</th><td class="num">{money(c.a_budget, &cur)}</td>
                        <td class="num">{money(c.b_budget, &cur)}</td><td class="num">{signed_money(c.budget_diff, &cur)}</td></tr>
                </tbody>
            </table></div>
            <h4>{i18n.t(K::ProjectsApprTasks)}</h4>
            {if tasks.is_empty() {
                view! { <Empty label=K::ProjectsApprNoTaskChanges/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data" data-testid="comparison-tasks">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsApprTask)}</th>
                            <th>{la2}" · "{i18n.t(K::ProjectsApprStart)}</th><th>{la3}" · "{i18n.t(K::ProjectsApprEnd)}</th>
                            <th>{lb2}" · "{i18n.t(K::ProjectsApprStart)}</th><th>{lb3}" · "{i18n.t(K::ProjectsApprEnd)}</th>
                            <th>{i18n.t(K::ProjectsApprShiftStart)}</th><th>{i18n.t(K::ProjectsApprShiftEnd)}</th>
                        </tr></thead>
                        <tbody>
                            {tasks.into_iter().map(|t| {
                                let changed = t.changed();
                                let k = kind_key(&t.kind);
                                view! {
                                    <tr class=if changed { "changed" } else { "" }>
                                        <td>{t.name.clone()}" "<span class="muted">{i18n.t(k)}</span></td>
                                        <td>{date(t.a, false)}</td><td>{date(t.a, true)}</td>
                                        <td>{date(t.b, false)}</td><td>{date(t.b, true)}</td>
                                        <td class="num">{days(t.start_days)}</td><td class="num">{days(t.end_days)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            <h4>{i18n.t(K::ProjectsApprBudgetLines)}</h4>
            {if lines.is_empty() {
                view! { <Empty label=K::ProjectsApprNoLineChanges/> }.into_any()
            } else {
                let cur = cur.clone();
                view! {
                    <div class="table-wrap"><table class="data" data-testid="comparison-lines">
                        <thead><tr>
                            <th>{i18n.t(K::ProjectsApprCategory)}</th><th>{i18n.t(K::ProjectsApprDescription)}</th>
                            <th>{plan_label(c.a_version)}</th><th>{plan_label(c.b_version)}</th><th>{i18n.t(K::ProjectsApprDifference)}</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|l| {
                                let k = category_key(&l.category);
                                view! {
                                    <tr class=if l.diff != 0 || l.a.is_none() || l.b.is_none() { "changed" } else { "" }>
                                        <td>{i18n.t(k)}</td><td>{l.description.clone()}</td>
                                        <td class="num">{amount(l.a)}</td><td class="num">{amount(l.b)}</td>
                                        <td class="num">{signed_money(l.diff, &cur)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </div>
    }
}
