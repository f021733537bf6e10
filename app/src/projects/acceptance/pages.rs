//! Acceptance pages (2.4.4): the project's acceptance tab (attachments,
//! application, review, rounds, retrospective), the printable acceptance
//! report, and the lessons-learned search across projects.
use super::api::*;
use super::model::*;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::time::{format_date_in, format_in};
use crate::core::ui::{Badge, ConfirmAction, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::projects::model::{ProjectFrameData, ProjectStatus};
use crate::projects::pages::{ProjectFrame, Tab, project_id, use_project_refresh};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// /projects/:id/acceptance
#[component]
pub fn ProjectAcceptancePage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Acceptance content=|f| view! { <AcceptanceBody f=f/> }/> }
}

/// The page's actions; each success reloads the project (header and tab).
#[derive(Clone, Copy)]
struct Acts {
    delete: ServerAction<DeleteAcceptanceFile>,
    apply: ServerAction<ApplyAcceptance>,
    review: ServerAction<ReviewAcceptance>,
    retro: ServerAction<SaveRetrospective>,
}

fn reload_on_ok<I, O>(action: ServerAction<I>)
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

/// The upload's error, when a refused upload just came back (the upload is a
/// plain multipart form post, with or without JavaScript; Leptos puts a
/// refused post's error in the URL it redirects back to).
fn upload_error() -> Option<AppError> {
    use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == UploadAcceptanceFile::PATH)
        .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()))
}

#[component]
fn AcceptanceBody(f: ProjectFrameData) -> impl IntoView {
    let acts = Acts { delete: ServerAction::new(), apply: ServerAction::new(), review: ServerAction::new(), retro: ServerAction::new() };
    reload_on_ok(acts.delete);
    reload_on_ok(acts.apply);
    reload_on_ok(acts.review);
    reload_on_ok(acts.retro);
    let id = f.head.id;
    let data = Resource::new(move || id, acceptance_page);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let f = f.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(d) => view! { <AcceptanceContent f=f d=d acts=acts/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AcceptanceContent(f: ProjectFrameData, d: AcceptancePageData, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let status = f.head.status();
    let id = f.head.id;
    let current = d.rounds.first().cloned();
    let pending_review = current.as_ref().filter(|r| r.acceptance.status() == AcceptanceStatus::Pending && status == ProjectStatus::Acceptance).cloned();
    let last_returned = current.as_ref().filter(|r| r.acceptance.status() == AcceptanceStatus::Returned && status == ProjectStatus::Executing).cloned();
    let preparing = status == ProjectStatus::Executing && f.access.manage;
    let tz = d.time_zone.clone();
    view! {
        <div class="acceptance" data-testid="acceptance">
            {d.report_number.clone().map(|n| view! {
                <div class="alert alert-ok">
                    <a href=format!("/projects/{id}/report") data-testid="report-link">
                        {move || i18n.lang().tf(K::ProjectsAccOpenReport, &[("number", n.clone())])}
                    </a>
                </div>
            })}
            {last_returned.map(|r| {
                let round = r.acceptance.round;
                view! {
                    <div class="alert alert-error" role="alert" data-testid="returned">
                        <strong>{move || i18n.lang().tf(K::ProjectsAccReturnedAlert, &[("round", round.to_string())])}</strong>
                        <p class="pre">{r.acceptance.return_reason.clone()}</p>
                    </div>
                }
            })}
            {match (status, pending_review.clone()) {
                (ProjectStatus::Acceptance, Some(r)) if f.access.accept => view! { <ReviewForm r=r review=acts.review/> }.into_any(),
                (ProjectStatus::Acceptance, Some(_)) => view! { <p class="alert alert-warn" data-testid="waiting-review">{i18n.t(K::ProjectsAccWaitingReview)}</p> }.into_any(),
                _ => ().into_any(),
            }}
            {preparing.then(|| view! { <Preparation f=f.clone() d=d.clone() acts=acts/> })}
            {(status == ProjectStatus::Executing && !f.access.manage && d.rounds.is_empty()).then(|| view! {
                <p class="hint">{i18n.t(K::ProjectsAccNotYet)}</p>
            })}
            <section class="card" data-testid="rounds">
                <h2>{i18n.t(K::ProjectsAccHistory)}</h2>
                {if d.rounds.is_empty() {
                    view! { <Empty label=K::ProjectsAccNoRounds/> }.into_any()
                } else {
                    d.rounds.iter().map(|r| view! { <RoundView r=r.clone() tz=tz.clone()/> }).collect_view().into_any()
                }}
            </section>
            {matches!(status, ProjectStatus::Acceptance | ProjectStatus::Closed).then(|| view! {
                <RetroSection project_id=id retro=d.retrospective.clone() can=d.can_retro save=acts.retro tz=tz.clone()/>
            })}
        </div>
    }
}

fn kind_label(k: FileKind) -> impl IntoView + use<> {
    let i18n = use_i18n();
    i18n.t(k.key())
}

/// The files of an application (or waiting for one), as links.
#[component]
fn FileTable(files: Vec<ProjectFile>, tz: String, #[prop(optional)] delete: Option<ServerAction<DeleteAcceptanceFile>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="data files">
                <thead><tr>
                    <th>{i18n.t(K::ProjectsAccFileKind)}</th><th>{i18n.t(K::ProjectsAccFileName)}</th><th class="num">{i18n.t(K::ProjectsAccFileSize)}</th>
                    <th>{i18n.t(K::ProjectsAccUploaded)}</th><th>"SHA-256"</th>
                    {delete.is_some().then(|| view! { <th>{i18n.t(K::CommonActions)}</th> })}
                </tr></thead>
                <tbody>
                    {files.into_iter().map(|f| {
                        let fid = f.id;
                        view! {
                            <tr data-testid="file-row">
                                <td>{kind_label(f.kind())}</td>
                                <td><a href=f.href() download=f.filename.clone() rel="external">{f.filename.clone()}</a></td>
                                <td class="num">{size_text(f.size_bytes)}</td>
                                <td>{f.uploaded_by_name.clone().unwrap_or_default()}" "{format_in(f.uploaded_at, &tz)}</td>
                                <td><code class="hash" title=f.sha256.clone()>{f.sha256.chars().take(12).collect::<String>()}"…"</code></td>
                                {delete.map(|del| view! {
                                    <td>
                                        <ConfirmAction label=K::ProjectsAccDeleteFile question=K::ProjectsAccDeleteFileQuestion danger=true>
                                            <ActionForm action=del>
                                                <input type="hidden" name="id" value=fid/>
                                                <button type="submit" class="btn btn-danger btn-small" data-testid="delete-file-confirm">{i18n.t(K::CommonConfirm)}</button>
                                            </ActionForm>
                                        </ConfirmAction>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// 2.4.4-a: attachments (upload, delete) and the application, while executing.
#[component]
fn Preparation(f: ProjectFrameData, d: AcceptancePageData, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let id = f.head.id;
    let version = f.head.version;
    let up_err = upload_error();
    let up_sig: Signal<Option<AppError>> = Signal::derive(move || up_err.clone());
    let del_err = action_error(acts.delete);
    let apply_err = action_error(acts.apply);
    let accept = ALLOWED_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(",");
    let max = d.upload_max_mb;
    let present: Vec<FileKind> = d.pending_files.iter().map(|f| f.kind()).collect();
    let missing = missing_kinds(&present);
    let unfinished = d.unfinished.clone();
    view! {
        <section class="card" data-testid="attachments">
            <h2>{i18n.t(K::ProjectsAccAttachments)}</h2>
            <p class="hint">{move || i18n.lang().tf(K::ProjectsAccAttachmentsHint, &[("max", max.to_string())])}</p>
            <FormError error=del_err/>
            <FieldMsg error=del_err field="file"/>
            {if d.pending_files.is_empty() {
                view! { <Empty label=K::ProjectsAccNoFiles/> }.into_any()
            } else {
                view! { <FileTable files=d.pending_files.clone() tz=d.time_zone.clone() delete=acts.delete/> }.into_any()
            }}
            <form method="post" enctype="multipart/form-data" action=UploadAcceptanceFile::PATH class="form-inline upload-form" data-testid="upload-form">
                <input type="hidden" name="project_id" value=id/>
                <label>
                    {i18n.t(K::ProjectsAccFileKind)}
                    <select name="kind" id="acc-kind">
                        {FileKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{i18n.t(k.key())}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {i18n.t(K::ProjectsAccChooseFile)}
                    <input type="file" name="file" id="acc-file" accept=accept required/>
                </label>
                <button type="submit" class="btn" data-testid="upload">{i18n.t(K::ProjectsAccUpload)}</button>
            </form>
            {up_sig.get_untracked().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <ErrorBox error=e/> })}
            <FieldMsg error=up_sig field="kind"/>
            <FieldMsg error=up_sig field="file"/>
        </section>
        <section class="card" data-testid="apply">
            <h2>{i18n.t(K::ProjectsAccApplication)}</h2>
            <ul class="readiness">
                {if unfinished.is_empty() {
                    view! { <li><Badge tone=Tone::Good label=K::ProjectsAccTasksDone/></li> }.into_any()
                } else {
                    view! {
                        <li data-testid="unfinished">
                            <Badge tone=Tone::Bad label=K::ProjectsAccTasksNotDone/>" "
                            {unfinished.iter().map(|(n, p)| format!("{n} ({p}%)")).collect::<Vec<_>>().join("、")}
                        </li>
                    }.into_any()
                }}
                {FileKind::ALL.into_iter().map(|k| {
                    let ok = !missing.contains(&k);
                    view! {
                        <li>
                            {if ok { view! { <Badge tone=Tone::Good label=K::ProjectsAccKindPresent/> } } else { view! { <Badge tone=Tone::Bad label=K::ProjectsAccKindMissing/> } }}
                            " "{i18n.t(k.key())}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <FormError error=apply_err/>
            <ActionForm action=acts.apply attr:class="form" attr:data-testid="apply-form">
                <input type="hidden" name="project_id" value=id/>
                <input type="hidden" name="version" value=version/>
                <label for="acc-summary">{i18n.t(K::ProjectsAccSummary)}</label>
                <textarea id="acc-summary" name="summary" rows="4">{echoed(None, "summary", "")}</textarea>
                <p class="hint">{i18n.t(K::ProjectsAccSummaryHint)}</p>
                <FieldMsg error=apply_err field="summary"/>
                <FieldMsg error=apply_err field="tasks"/>
                <FieldMsg error=apply_err field="missing_deliverable"/>
                <FieldMsg error=apply_err field="missing_test_report"/>
                <FieldMsg error=apply_err field="missing_user_feedback"/>
                <FieldMsg error=apply_err field="status"/>
                <div class="form-actions">
                    <ConfirmAction label=K::ProjectsAccApply question=K::ProjectsAccApplyQuestion>
                        <button type="submit" class="btn btn-primary" data-testid="apply-confirm">{i18n.t(K::CommonConfirm)}</button>
                    </ConfirmAction>
                </div>
            </ActionForm>
        </section>
    }
}

/// 2.4.4-b: the checklist and the decision, for the requesting department.
#[component]
fn ReviewForm(r: Round, review: ServerAction<ReviewAcceptance>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(review);
    let a = r.acceptance.clone();
    let item = move |name: &'static str, note: &'static str, label: K| {
        let picked = echoed(None, name, "");
        let (y, n) = (picked == "yes", picked == "no");
        view! {
            <fieldset class="check-item" data-testid=format!("check-{name}")>
                <legend>{i18n.t(label)}</legend>
                <label class="check"><input type="radio" name=name value="yes" checked=y/>{i18n.t(K::ProjectsAccYes)}</label>
                <label class="check"><input type="radio" name=name value="no" checked=n/>{i18n.t(K::ProjectsAccNo)}</label>
                <FieldMsg error=err field=name/>
                <label for=format!("acc-{note}")>{i18n.t(K::ProjectsAccNote)}</label>
                <input id=format!("acc-{note}") name=note value=echoed(None, note, "")/>
                <FieldMsg error=err field=note/>
            </fieldset>
        }
    };
    view! {
        <section class="card" data-testid="review">
            <h2>{move || i18n.lang().tf(K::ProjectsAccReviewTitle, &[("round", a.round.to_string())])}</h2>
            <p class="hint">{i18n.t(K::ProjectsAccReviewHint)}</p>
            <FormError error=err/>
            <ActionForm action=review attr:class="form review-form" attr:data-testid="review-form">
                <input type="hidden" name="acceptance_id" value=r.acceptance.id/>
                <input type="hidden" name="version" value=r.acceptance.version/>
                {item("objectives_met", "objectives_note", K::ProjectsAccCheckObjectives)}
                {item("quality_ok", "quality_note", K::ProjectsAccCheckQuality)}
                {item("documents_complete", "documents_note", K::ProjectsAccCheckDocuments)}
                <label for="acc-return-reason">{i18n.t(K::ProjectsAccReturnReason)}</label>
                <textarea id="acc-return-reason" name="return_reason" rows="3">{echoed(None, "return_reason", "")}</textarea>
                <p class="hint">{i18n.t(K::ProjectsAccReturnReasonHint)}</p>
                <FieldMsg error=err field="return_reason"/>
                <FieldMsg error=err field="decision"/>
                <div class="form-actions">
                    <ConfirmAction label=K::ProjectsAccPass question=K::ProjectsAccPassQuestion>
                        <button type="submit" name="decision" value="pass" class="btn btn-primary" data-testid="review-pass">{i18n.t(K::CommonConfirm)}</button>
                    </ConfirmAction>
                    <ConfirmAction label=K::ProjectsAccReturn question=K::ProjectsAccReturnQuestion danger=true>
                        <button type="submit" name="decision" value="return" class="btn btn-danger" data-testid="review-return">{i18n.t(K::CommonConfirm)}</button>
                    </ConfirmAction>
                </div>
            </ActionForm>
        </section>
    }
}

fn check_badge(ok: bool) -> impl IntoView {
    if ok { view! { <Badge tone=Tone::Good label=K::ProjectsAccYes/> } } else { view! { <Badge tone=Tone::Bad label=K::ProjectsAccNo/> } }
}

/// One round: application, files, and the review once done.
#[component]
fn RoundView(r: Round, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    let a = r.acceptance.clone();
    let s = a.status();
    let round = a.round;
    let reviewed = a.reviewed_at.is_some();
    view! {
        <article class="round" data-testid=format!("round-{round}")>
            <h3>
                {move || i18n.lang().tf(K::ProjectsAccRoundN, &[("round", round.to_string())])}" "
                <span data-testid="round-status"><Badge tone=s.tone() label=s.key()/></span>
            </h3>
            <dl class="kv">
                <dt>{i18n.t(K::ProjectsAccApplied)}</dt><dd>{a.applied_by_name.clone().unwrap_or_default()}" "{format_in(a.applied_at, &tz)}</dd>
                <dt>{i18n.t(K::ProjectsAccSummary)}</dt><dd class="pre">{a.summary.clone()}</dd>
                {reviewed.then(|| view! {
                    <dt>{i18n.t(K::ProjectsAccReviewed)}</dt>
                    <dd>{a.reviewed_by_name.clone().unwrap_or_default()}" "{a.reviewed_at.map(|t| format_in(t, &tz)).unwrap_or_default()}</dd>
                })}
                {(s == AcceptanceStatus::Returned).then(|| view! {
                    <dt>{i18n.t(K::ProjectsAccReturnReason)}</dt><dd class="pre" data-testid="return-reason">{a.return_reason.clone()}</dd>
                })}
            </dl>
            {reviewed.then(|| view! {
                <div class="table-wrap">
                    <table class="data checklist">
                        <thead><tr><th>{i18n.t(K::ProjectsAccCheckItem)}</th><th>{i18n.t(K::ProjectsAccCheckResult)}</th><th>{i18n.t(K::ProjectsAccNote)}</th></tr></thead>
                        <tbody>
                            <tr><td>{i18n.t(K::ProjectsAccCheckObjectives)}</td><td>{check_badge(a.objectives_met)}</td><td>{a.objectives_note.clone()}</td></tr>
                            <tr><td>{i18n.t(K::ProjectsAccCheckQuality)}</td><td>{check_badge(a.quality_ok)}</td><td>{a.quality_note.clone()}</td></tr>
                            <tr><td>{i18n.t(K::ProjectsAccCheckDocuments)}</td><td>{check_badge(a.documents_complete)}</td><td>{a.documents_note.clone()}</td></tr>
                        </tbody>
                    </table>
                </div>
            })}
            {if r.files.is_empty() { ().into_any() } else { view! { <FileTable files=r.files.clone() tz=tz.clone()/> }.into_any() }}
        </article>
    }
}

/// 2.4.4-d: the retrospective, editable by the team and the manager.
#[component]
fn RetroSection(project_id: i64, retro: Option<Retrospective>, can: bool, save: ServerAction<SaveRetrospective>, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(save);
    let r = retro.clone();
    let text = move |f: fn(&Retrospective) -> String| r.as_ref().map(f).unwrap_or_default();
    let version = retro.as_ref().map(|r| r.version.to_string()).unwrap_or_default();
    view! {
        <section class="card" data-testid="retrospective">
            <h2>{i18n.t(K::ProjectsAccRetro)}</h2>
            <p class="hint">{i18n.t(K::ProjectsAccRetroHint)}</p>
            {match (&retro, can) {
                (None, false) => view! { <Empty label=K::ProjectsAccNoRetro/> }.into_any(),
                (Some(r), false) => view! {
                    <dl class="kv">
                        <dt>{i18n.t(K::ProjectsAccWentWell)}</dt><dd class="pre">{r.went_well.clone()}</dd>
                        <dt>{i18n.t(K::ProjectsAccWentBadly)}</dt><dd class="pre">{r.went_badly.clone()}</dd>
                        <dt>{i18n.t(K::ProjectsAccLessons)}</dt><dd class="pre">{r.lessons.clone()}</dd>
                    </dl>
                }.into_any(),
                (_, true) => view! {
                    <FormError error=err/>
                    <ActionForm action=save attr:class="form retro-form" attr:data-testid="retro-form">
                        <input type="hidden" name="project_id" value=project_id/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <label for="retro-well">{i18n.t(K::ProjectsAccWentWell)}</label>
                        <textarea id="retro-well" name="went_well" rows="4">{echoed(None, "went_well", text(|r| r.went_well.clone()))}</textarea>
                        <FieldMsg error=err field="went_well"/>
                        <label for="retro-badly">{i18n.t(K::ProjectsAccWentBadly)}</label>
                        <textarea id="retro-badly" name="went_badly" rows="4">{echoed(None, "went_badly", text(|r| r.went_badly.clone()))}</textarea>
                        <FieldMsg error=err field="went_badly"/>
                        <label for="retro-lessons">{i18n.t(K::ProjectsAccLessons)}</label>
                        <textarea id="retro-lessons" name="lessons" rows="4">{echoed(None, "lessons", text(|r| r.lessons.clone()))}</textarea>
                        <FieldMsg error=err field="lessons"/>
                        <FieldMsg error=err field="status"/>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" data-testid="retro-save" disabled=move || save.pending().get()>{i18n.t(K::CommonSave)}</button>
                        </div>
                    </ActionForm>
                }.into_any(),
            }}
            {retro.as_ref().map(|r| view! {
                <p class="hint">{i18n.t(K::ProjectsAccRetroUpdated)}" "{r.updated_by_name.clone().unwrap_or_default()}" "{format_in(r.updated_at, &tz)}</p>
            })}
        </section>
    }
}

/// /projects/:id/report: the acceptance report (2.4.4-c) from its frozen
/// snapshot, labels in the reader's language; printable.
#[component]
pub fn AcceptanceReportPage() -> impl IntoView {
    let data = Resource::new(project_id, |id| async move {
        match id {
            Some(id) => acceptance_report(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <ReportDoc v=v/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

#[component]
fn ReportDoc(v: ReportView) -> impl IntoView {
    let i18n = use_i18n();
    let r = v.report.clone();
    let s = r.snapshot.clone();
    let tz = v.time_zone.clone();
    let cur = s.currency.clone();
    let money = move |m: i64| Money::new(m, &cur).display();
    let variance = s.actual_cost_minor - s.budget_minor;
    let dept = s.clone();
    let bv = s.baseline_version;
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = leptos::prelude::window().print();
        }
    };
    view! {
        <article class="report" data-testid="report">
            <div class="page-head no-print">
                <a class="btn" href=format!("/projects/{}/acceptance", r.project_id)>{i18n.t(K::ProjectsAccBackToProject)}</a>
                <button type="button" class="btn btn-primary" data-testid="print" on:click=print>{i18n.t(K::ProjectsAccPrint)}</button>
            </div>
            <header class="report-head">
                <h1>{i18n.t(K::ProjectsAccReportTitle)}</h1>
                <p>
                    {i18n.t(K::ProjectsAccReportNo)}" "<strong data-testid="report-number">{r.number.clone()}</strong>
                    " · "{i18n.t(K::ProjectsAccIssuedAt)}" "{format_date_in(r.issued_at, &tz)}
                </p>
            </header>
            <section>
                <h2>{i18n.t(K::ProjectsAccSecProject)}</h2>
                <dl class="kv">
                    <dt>{i18n.t(K::ProjectsAccProject)}</dt><dd data-testid="report-project">{s.project_number.clone()}" "{s.project_name.clone()}</dd>
                    <dt>{i18n.t(K::ProjectsRequestingDepartment)}</dt><dd>{move || dept.department(i18n.lang()).to_string()}</dd>
                    <dt>{i18n.t(K::ProjectsManager)}</dt><dd>{s.manager_name.clone()}</dd>
                    <dt>{i18n.t(K::ProjectsSponsor)}</dt><dd>{s.sponsor_name.clone()}</dd>
                    <dt>{i18n.t(K::ProjectsAccObjectives)}</dt><dd class="pre">{s.objectives.clone()}</dd>
                    <dt>{i18n.t(K::ProjectsAccScopeIn)}</dt><dd class="pre">{s.scope_in.clone()}</dd>
                    <dt>{i18n.t(K::ProjectsAccScopeOut)}</dt><dd class="pre">{s.scope_out.clone()}</dd>
                </dl>
            </section>
            <section>
                <h2>{i18n.t(K::ProjectsAccSecPerformance)}</h2>
                <div class="table-wrap">
                    <table class="data" data-testid="report-performance">
                        <thead><tr><th></th><th>{move || i18n.lang().tf(K::ProjectsAccPlannedV, &[("v", bv.to_string())])}</th><th>{i18n.t(K::ProjectsAccActual)}</th></tr></thead>
                        <tbody>
                            <tr><th>{i18n.t(K::ProjectsAccStart)}</th><td>{s.planned_start.to_string()}</td><td>{date_text(s.actual_start)}</td></tr>
                            <tr><th>{i18n.t(K::ProjectsAccEnd)}</th><td>{s.planned_end.to_string()}</td><td>{date_text(s.actual_end)}</td></tr>
                            <tr><th>{i18n.t(K::ProjectsAccCost)}</th><td class="num">{money(s.budget_minor)}</td><td class="num">{money(s.actual_cost_minor)}</td></tr>
                            <tr><th>{i18n.t(K::ProjectsAccVariance)}</th><td></td><td class="num">{money(variance)}</td></tr>
                            <tr><th>"SPI"</th><td></td><td class="num">{index_text(s.spi_milli)}</td></tr>
                            <tr><th>"CPI"</th><td></td><td class="num">{index_text(s.cpi_milli)}</td></tr>
                        </tbody>
                    </table>
                </div>
            </section>
            <section>
                <h2>{i18n.t(K::ProjectsAccApplication)}</h2>
                <dl class="kv">
                    <dt>{i18n.t(K::ProjectsAccRound)}</dt><dd>{s.round}</dd>
                    <dt>{i18n.t(K::ProjectsAccApplied)}</dt><dd>{s.applied_by.clone()}" "{format_date_in(s.applied_at, &tz)}</dd>
                    <dt>{i18n.t(K::ProjectsAccSummary)}</dt><dd class="pre">{s.summary.clone()}</dd>
                </dl>
            </section>
            <section>
                <h2>{i18n.t(K::ProjectsAccSecDeliverables)}</h2>
                <div class="table-wrap">
                    <table class="data" data-testid="report-deliverables">
                        <thead><tr><th>{i18n.t(K::ProjectsAccFileKind)}</th><th>{i18n.t(K::ProjectsAccFileName)}</th><th class="num">{i18n.t(K::ProjectsAccFileSize)}</th><th>"SHA-256"</th></tr></thead>
                        <tbody>
                            {s.deliverables.iter().map(|f| view! {
                                <tr><td>{kind_label(f.kind())}</td><td>{f.filename.clone()}</td><td class="num">{size_text(f.size_bytes)}</td><td><code class="hash">{f.sha256.clone()}</code></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section>
                <h2>{i18n.t(K::ProjectsAccSecChecklist)}</h2>
                <div class="table-wrap">
                    <table class="data checklist" data-testid="report-checklist">
                        <thead><tr><th>{i18n.t(K::ProjectsAccCheckItem)}</th><th>{i18n.t(K::ProjectsAccCheckResult)}</th><th>{i18n.t(K::ProjectsAccNote)}</th></tr></thead>
                        <tbody>
                            {s.checklist.iter().map(|c| view! {
                                <tr><td>{i18n.t(c.key())}</td><td>{check_badge(c.ok)}</td><td>{c.note.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section>
                <h2>{i18n.t(K::ProjectsAccSecTeam)}</h2>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>{i18n.t(K::ProjectsAccMember)}</th><th>{i18n.t(K::ProjectsAccRole)}</th><th>{i18n.t(K::ProjectsAccResponsibilities)}</th></tr></thead>
                        <tbody>
                            {s.team.iter().map(|m| view! { <tr><td>{m.name.clone()}</td><td>{m.role.clone()}</td><td>{m.responsibilities.clone()}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="report-conclusion">
                <h2>{i18n.t(K::ProjectsAccSecConclusion)}</h2>
                <p data-testid="report-conclusion"><Badge tone=Tone::Good label=K::ProjectsAccStatusPassed/>" "{i18n.t(K::ProjectsAccConclusionText)}</p>
                <dl class="kv">
                    <dt>{i18n.t(K::ProjectsAccReviewer)}</dt><dd data-testid="report-reviewer">{s.reviewer.clone()}</dd>
                    <dt>{i18n.t(K::ProjectsAccReviewDate)}</dt><dd>{format_date_in(s.reviewed_at, &tz)}</dd>
                </dl>
                <p class="signature">{i18n.t(K::ProjectsAccSignature)}</p>
            </section>
        </article>
    }
}

/// /projects/lessons: retrospectives across the projects the reader may see
/// (2.4.4-d), searched in a GET form, paged.
#[component]
pub fn LessonsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        LessonQuery { q: q.get("q").unwrap_or_default(), after: q.get("after").unwrap_or_default() }
    };
    let data = Resource::new(query, search_lessons);
    view! {
        <div class="page-head"><h1>{i18n.t(K::NavLessons)}</h1></div>
        <p class="hint">{i18n.t(K::ProjectsAccLessonsHint)}</p>
        <form method="get" action="/projects/lessons" class="filters" role="search">
            <label>{i18n.t(K::ProjectsAccLessonsSearch)}<input name="q" type="search" data-testid="lessons-q" value=move || query().q/></label>
            <button type="submit" class="btn" data-testid="lessons-search">{i18n.t(K::CommonSearch)}</button>
            <a href="/projects/lessons" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let q = query().q;
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(page) if page.total == 0 => view! { <div data-testid="lessons"><Empty label=K::ProjectsAccNoLessons/></div> }.into_any(),
                    Ok(page) => view! {
                        <div data-testid="lessons">
                            <DataTable path="/projects/lessons" total=page.total next=page.next.clone()
                                head=view! {
                                    <th>{i18n.t(K::ProjectsAccProject)}</th>
                                    <th>{i18n.t(K::ProjectsRequestingDepartment)}</th>
                                    <th>{i18n.t(K::ProjectsAccClosedOn)}</th>
                                    <th>{i18n.t(K::ProjectsAccMatches)}</th>
                                }.into_any()>
                                {page.rows.into_iter().map(|l| view! { <LessonHit l=l q=q.clone()/> }).collect_view()}
                            </DataTable>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LessonHit(l: LessonRow, q: String) -> impl IntoView {
    let i18n = use_i18n();
    let dept = l.clone();
    let parts = [
        (K::ProjectsAccWentWell, matching_paragraphs(&l.went_well, &q)),
        (K::ProjectsAccWentBadly, matching_paragraphs(&l.went_badly, &q)),
        (K::ProjectsAccLessons, matching_paragraphs(&l.lessons, &q)),
    ];
    view! {
        <tr data-testid="lesson-row">
            <td><a href=format!("/projects/{}/acceptance", l.project_id)>{l.project_name.clone()}</a><br/><span class="muted">{l.project_number.clone()}</span></td>
            <td>{move || dept.department(i18n.lang()).to_string()}</td>
            <td>{l.closed_at.map(|t| format_date_in(t, "Asia/Shanghai")).unwrap_or_else(|| "—".into())}</td>
            <td>
                <dl class="lesson-matches">
                    {parts.into_iter().filter(|(_, p)| !p.is_empty()).map(|(k, p)| view! {
                        <dt>{i18n.t(k)}</dt>
                        {p.into_iter().map(|t| view! { <dd>{t}</dd> }).collect_view()}
                    }).collect_view()}
                </dl>
            </td>
        </tr>
    }
}
