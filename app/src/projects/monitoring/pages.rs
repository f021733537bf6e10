//! Pages of monitoring: the project's Monitoring tab (figures, health and why,
//! warnings, PMO evaluations), its Gantt tab (server-rendered SVG and the same
//! data as a table), and the project status dashboard. Charts are built here in
//! shared code (testable on the server) and drawn with `core::ui::Chart`.
use super::api::*;
use super::model::*;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::money::Money;
use crate::core::time::format_in;
use crate::core::ui::{Badge, Chart, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed, href_with};
use crate::projects::model::{Health, Priority};
use crate::projects::pages::{ProjectFrame, Tab};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn money(minor: i64) -> String {
    Money::cny(minor).display()
}

fn yuan_f(minor: i64) -> f64 {
    minor as f64 / 100.0
}

fn ratio_f(milli: i64) -> f64 {
    milli as f64 / 1000.0
}

fn health_of(s: &str) -> Health {
    Health::parse(s).unwrap_or(Health::Green)
}

fn pct_bp(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

const GREEN: &str = "#2e7d32";
const AMBER: &str = "#e0a100";
const RED: &str = "#c62828";
const GREY: &str = "#9e9e9e";
const BLUE: &str = "#1565c0";

fn health_colour(h: Health) -> &'static str {
    match h {
        Health::Green => GREEN,
        Health::Amber => AMBER,
        Health::Red => RED,
    }
}

// ===== the Monitoring tab =====

#[component]
pub fn ProjectMonitoringPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Monitoring content=|f| view! { <MonitoringBody id=f.head.id/> }/> }
}

#[component]
fn MonitoringBody(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let evaluate = ServerAction::<RecordEvaluation>::new();
    // Reload after a recorded evaluation (a refused one keeps what was typed).
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(evaluate.value().get(), Some(Ok(_))) {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (id, saved.get()), |(id, _)| project_monitoring(id));
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let lang = i18n.lang();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! { <MonitoringContent v=v lang=lang project_id=id evaluate=evaluate/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// (label, value, explanation) rows of the figures table.
fn figure_rows(f: &Figures, lang: Lang) -> Vec<(String, String, String)> {
    let e = f.evm();
    let t = |k: K| lang.t(k).to_string();
    let signed = |v: i64| if v > 0 { format!("+{}", money(v)) } else { money(v) };
    vec![
        (t(K::ProjectsMonBac), money(e.bac), t(K::ProjectsMonBacHelp)),
        (t(K::ProjectsMonPv), money(e.pv), t(K::ProjectsMonPvHelp)),
        (t(K::ProjectsMonEv), money(e.ev), t(K::ProjectsMonEvHelp)),
        (t(K::ProjectsMonAc), money(e.ac), t(K::ProjectsMonAcHelp)),
        (t(K::ProjectsMonSv), signed(e.sv()), t(K::ProjectsMonSvHelp)),
        (t(K::ProjectsMonCv), signed(e.cv()), t(K::ProjectsMonCvHelp)),
        (t(K::ProjectsMonSpi), milli_text(f.spi_milli), t(K::ProjectsMonSpiHelp)),
        (t(K::ProjectsMonCpi), milli_text(f.cpi_milli), t(K::ProjectsMonCpiHelp)),
        (t(K::ProjectsMonComplete), pct_bp(f.complete_bp), t(K::ProjectsMonCompleteHelp)),
        (
            t(K::ProjectsMonForecastEnd),
            f.forecast_end.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            lang.tf(K::ProjectsMonForecastEndHelp, &[("end", f.end_date.to_string())]),
        ),
    ]
}

/// A suggested rating for each part of the evaluation, from the computed facts.
fn suggested(v: &MonitoringView) -> [(&'static str, Health); 5] {
    let by = |pred: &dyn Fn(&Reason) -> bool| v.reasons.iter().filter(|r| pred(r)).map(Reason::health).max().unwrap_or(Health::Green);
    let schedule = by(&|r| matches!(r, Reason::SpiBelow { .. } | Reason::MilestonesOverdue { .. } | Reason::OpenDelays { .. }));
    let cost = by(&|r| matches!(r, Reason::CpiBelow { .. }));
    let quality = by(&|r| matches!(r, Reason::FailedChecks { .. }));
    let overall = v.figures.health();
    [("schedule", schedule), ("quality", quality), ("cost", cost), ("risk", Health::Green), ("overall", overall)]
}

fn rating_key(field: &str) -> K {
    match field {
        "schedule" => K::ProjectsMonRatingSchedule,
        "quality" => K::ProjectsMonRatingQuality,
        "cost" => K::ProjectsMonRatingCost,
        "risk" => K::ProjectsMonRatingRisk,
        _ => K::ProjectsMonRatingOverall,
    }
}

#[component]
fn MonitoringContent(v: MonitoringView, lang: Lang, project_id: i64, evaluate: ServerAction<RecordEvaluation>) -> impl IntoView {
    let f = v.figures.clone();
    let measured = is_measured(f.status());
    let health = f.health();
    let tz = v.time_zone.clone();
    let th = v.thresholds;
    let rows = figure_rows(&f, lang);
    let today = v.today;
    let as_of = f.metrics_date.map(|d| lang.tf(K::ProjectsMonAsOf, &[("date", d.to_string())]));
    let thresholds_note = lang.tf(
        K::ProjectsMonThresholdsNote,
        &[
            ("spi_amber", pct_ratio_text(th.spi_amber_pct)),
            ("spi_red", pct_ratio_text(th.spi_red_pct)),
            ("cpi_amber", pct_ratio_text(th.cpi_amber_pct)),
            ("cpi_red", pct_ratio_text(th.cpi_red_pct)),
            ("days", th.milestone_red_days.to_string()),
        ],
    );
    let since = f.health_changed_at.map(|t| lang.tf(K::ProjectsMonHealthSince, &[("time", format_in(t, &tz))]));
    view! {
        <section class="card mon-health" data-testid="mon-health">
            <h2>{lang.t(K::ProjectsMonHealthTitle)}</h2>
            {if measured {
                view! {
                    <p class="mon-health-line">
                        <span data-testid="mon-health-badge"><Badge tone=health.tone() label=health.key()/></span>" "
                        {as_of.clone().map(|s| view! { <span class="muted">{s}</span> })}" "
                        {since.map(|s| view! { <span class="muted">{s}</span> })}
                    </p>
                    {if v.reasons.is_empty() {
                        view! { <p data-testid="mon-no-warnings">{lang.t(K::ProjectsMonNoWarnings)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mon-reasons" data-testid="mon-reasons">
                                {v.reasons.iter().map(|r| {
                                    let h = r.health();
                                    let text = lang.tf(r.key(), &r.params());
                                    view! { <li><Badge tone=h.tone() label=h.key()/>" "{text}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <p class="hint">{thresholds_note}</p>
                }.into_any()
            } else {
                view! { <p class="empty" data-testid="mon-not-measured">{lang.t(K::ProjectsMonNotMeasured)}</p> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{lang.t(K::ProjectsMonFiguresTitle)}</h2>
            <div class="table-wrap">
                <table class="data mon-figures" data-testid="mon-figures">
                    <caption class="sr-only">{lang.t(K::ProjectsMonFiguresTitle)}</caption>
                    <thead><tr><th scope="col">{lang.t(K::ProjectsMonColFigure)}</th><th scope="col" class="num">{lang.t(K::ProjectsMonColValue)}</th><th scope="col">{lang.t(K::ProjectsMonColMeaning)}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(label, value, help)| view! {
                            <tr><th scope="row">{label}</th><td class="num">{value}</td><td class="muted">{help}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <div class="mon-grid">
            <section class="card" data-testid="mon-overdue">
                <h2>{lang.t(K::ProjectsMonOverdueTitle)}</h2>
                {if v.overdue.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoOverdue/> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr><th>{lang.t(K::ProjectsMonColMilestone)}</th><th>{lang.t(K::ProjectsMonColDue)}</th><th class="num">{lang.t(K::ProjectsMonColDaysOverdue)}</th><th>{lang.t(K::ProjectsMonColAssignee)}</th></tr></thead>
                            <tbody>
                                {v.overdue.iter().map(|m| view! {
                                    <tr><td>{m.name.clone()}</td><td>{m.due().to_string()}</td><td class="num">{(today - m.due()).num_days()}</td><td>{m.assignee_name.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>
            <section class="card" data-testid="mon-delays">
                <h2>{lang.t(K::ProjectsMonDelaysTitle)}</h2>
                {if v.delays.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoDelays/> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr><th>{lang.t(K::ProjectsMonColTask)}</th><th>{lang.t(K::ProjectsMonColBaselineEnd)}</th><th>{lang.t(K::ProjectsMonColForecastEnd)}</th><th>{lang.t(K::ProjectsMonColCause)}</th><th>{lang.t(K::ProjectsMonColMeasures)}</th></tr></thead>
                            <tbody>
                                {v.delays.iter().map(|d| view! {
                                    <tr><td>{d.task_name.clone()}</td><td>{d.baseline_end.to_string()}</td><td>{d.forecast_end.to_string()}</td><td class="pre">{d.cause.clone()}</td><td class="pre">{d.measures.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>
            <section class="card" data-testid="mon-checks">
                <h2>{lang.t(K::ProjectsMonChecksTitle)}</h2>
                {if v.checks.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoChecks/> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr><th>{lang.t(K::ProjectsMonColCriterion)}</th><th>{lang.t(K::ProjectsMonColCheckedOn)}</th><th>{lang.t(K::ProjectsMonColFindings)}</th><th>{lang.t(K::ProjectsMonColRework)}</th></tr></thead>
                            <tbody>
                                {v.checks.iter().map(|c| view! {
                                    <tr>
                                        <td>{c.criterion.clone()}</td><td>{c.checked_on.to_string()}</td><td class="pre">{c.findings.clone()}</td>
                                        <td>{c.rework_name.clone().map(|n| format!("{n} ({}%)", c.rework_pct.unwrap_or(0))).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>
            <section class="card" data-testid="mon-history">
                <h2>{lang.t(K::ProjectsMonHistoryTitle)}</h2>
                {if v.history.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoHistory/> }.into_any()
                } else {
                    let tz = tz.clone();
                    view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr><th>{lang.t(K::ProjectsMonColChangedAt)}</th><th>{lang.t(K::ProjectsMonColChange)}</th><th class="num">"SPI"</th><th class="num">"CPI"</th></tr></thead>
                            <tbody>
                                {v.history.iter().map(|h| {
                                    let (a, b) = (health_of(&h.from_health), health_of(&h.to_health));
                                    view! {
                                        <tr>
                                            <td>{format_in(h.changed_at, &tz)}</td>
                                            <td><Badge tone=a.tone() label=a.key()/>" → "<Badge tone=b.tone() label=b.key()/></td>
                                            <td class="num">{milli_text(h.spi_milli)}</td><td class="num">{milli_text(h.cpi_milli)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>
        </div>
        <Evaluations v=v.clone() lang=lang project_id=project_id evaluate=evaluate/>
    }
}

#[component]
fn Evaluations(v: MonitoringView, lang: Lang, project_id: i64, evaluate: ServerAction<RecordEvaluation>) -> impl IntoView {
    let err = action_error(evaluate);
    let tz = v.time_zone.clone();
    let due = v.evaluation_due_on.map(|d| {
        if d <= v.today {
            (true, lang.tf(K::ProjectsMonEvalOverdue, &[("date", d.to_string())]))
        } else {
            (false, lang.tf(K::ProjectsMonEvalDue, &[("date", d.to_string())]))
        }
    });
    let open_form = due.as_ref().is_some_and(|d| d.0);
    let defaults = suggested(&v);
    let evaluations = v.evaluations.clone();
    view! {
        <section class="card" data-testid="mon-evaluations">
            <h2>{lang.t(K::ProjectsMonEvalTitle)}</h2>
            {due.map(|(late, text)| view! {
                <p data-testid="mon-eval-due">
                    {late.then(|| view! { <Badge tone=Tone::Warn label=K::ProjectsMonEvalDueBadge/>" " })}
                    {text}
                </p>
            })}
            {v.can_evaluate.then(|| view! {
                <details class="mon-eval-form" open=move || open_form || err.get().is_some()>
                    <summary class="btn">{lang.t(K::ProjectsMonEvalFormTitle)}</summary>
                    <FormError error=err/>
                    <ActionForm action=evaluate attr:class="form" attr:data-testid="evaluation-form">
                        <input type="hidden" name="project_id" value=project_id/>
                        <FieldMsg error=err field="project_id"/>
                        <div class="mon-ratings">
                            {defaults.into_iter().map(|(field, default)| {
                                let chosen = echoed(None, field, default.code());
                                let id = format!("eval-{field}");
                                let for_id = id.clone();
                                view! {
                                    <label for=for_id>{lang.t(rating_key(field))}
                                        <select id=id name=field>
                                            {Health::ALL.into_iter().map(|h| view! {
                                                <option value=h.code() selected=chosen == h.code()>{lang.t(h.key())}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <FieldMsg error=err field=field/>
                                }
                            }).collect_view()}
                        </div>
                        <label for="eval-comments">{lang.t(K::ProjectsMonComments)}</label>
                        <textarea id="eval-comments" name="comments" rows="3" maxlength=COMMENTS_MAX>{echoed(None, "comments", "")}</textarea>
                        <FieldMsg error=err field="comments"/>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" data-testid="evaluation-submit" disabled=move || evaluate.pending().get()>
                                {lang.t(K::ProjectsMonEvalSubmit)}
                            </button>
                        </div>
                    </ActionForm>
                </details>
            })}
            {if evaluations.is_empty() {
                view! { <Empty label=K::ProjectsMonNoEvaluations/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data" data-testid="evaluation-history">
                        <thead><tr>
                            <th>{lang.t(K::ProjectsMonColEvaluatedOn)}</th>
                            {RATINGS.into_iter().map(|r| view! { <th>{lang.t(rating_key(r))}</th> }).collect_view()}
                            <th>{lang.t(K::ProjectsMonComments)}</th><th>{lang.t(K::ProjectsMonColEvaluator)}</th>
                        </tr></thead>
                        <tbody>
                            {evaluations.into_iter().map(|e| {
                                let title = format_in(e.created_at, &tz);
                                view! {
                                    <tr>
                                        <td title=title>{e.evaluated_on.to_string()}</td>
                                        {RATINGS.into_iter().map(|r| { let h = e.rating(r); view! { <td><Badge tone=h.tone() label=h.key()/></td> } }).collect_view()}
                                        <td class="pre">{e.comments.clone()}</td><td>{e.evaluator_name.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

// ===== the Gantt tab =====

#[component]
pub fn ProjectGanttPage() -> impl IntoView {
    view! { <ProjectFrame tab=Tab::Gantt content=|f| view! { <GanttBody id=f.head.id name=f.head.name.clone()/> }/> }
}

fn kind_key(kind: &str) -> K {
    match kind {
        "milestone" => K::ProjectsMonKindMilestone,
        "action" => K::ProjectsMonKindAction,
        "rework" => K::ProjectsMonKindRework,
        _ => K::ProjectsMonKindTask,
    }
}

fn range(a: Option<NaiveDate>, b: Option<NaiveDate>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("{a} –"),
        (None, Some(b)) => format!("– {b}"),
        (None, None) => "—".into(),
    }
}

/// A task's state for the table (words, with the colour of its badge).
fn task_state(t: &GanttTask, today: NaiveDate) -> (Tone, K) {
    let f = t.facts();
    if f.slipped(today) {
        (Tone::Bad, K::ProjectsMonStateSlipped)
    } else if f.is_done() {
        (Tone::Good, K::ProjectsMonStateDone)
    } else if t.actual_start.is_some() || t.pct_done > 0 {
        (Tone::Warn, K::ProjectsMonStateInProgress)
    } else {
        (Tone::Neutral, K::ProjectsMonStateNotStarted)
    }
}

#[component]
fn GanttBody(id: i64, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let scale = move || Scale::parse(&q.get().get("scale").unwrap_or_default());
    let data = Resource::new(move || id, project_gantt);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let lang = i18n.lang();
                let scale = scale();
                let name = name.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! { <GanttContent v=v lang=lang scale=scale project_id=id name=name/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn GanttContent(v: GanttView, lang: Lang, scale: Scale, project_id: i64, name: String) -> impl IntoView {
    let path = format!("/projects/{project_id}/gantt");
    let link = |s: Scale| href_with(&path, &[("scale".into(), s.code().into())]);
    let scales = [(Scale::Week, K::ProjectsMonScaleWeek), (Scale::Month, K::ProjectsMonScaleMonth)];
    let positions: std::collections::HashMap<i64, i64> = v.tasks.iter().map(|t| (t.id, t.position)).collect();
    let depends = |id: i64| -> String {
        let mut p: Vec<i64> = v.deps.iter().filter(|d| d.0 == id).filter_map(|d| positions.get(&d.1).copied()).collect();
        p.sort();
        p.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")
    };
    let today = v.today;
    let table: Vec<_> = v.tasks.iter().map(|t| (t.clone(), depends(t.id), task_state(t, today))).collect();
    view! {
        <section class="card gantt-card">
            <div class="gantt-head">
                <h2>{lang.t(K::ProjectsMonGanttTitle)}</h2>
                <nav class="gantt-scale" aria-label=lang.t(K::ProjectsMonScaleLabel)>
                    {scales.into_iter().map(|(s, k)| view! {
                        <a href=link(s) class=if s == scale { "btn btn-small btn-primary" } else { "btn btn-small" }
                            aria-current=(s == scale).then_some("true") data-testid=format!("gantt-scale-{}", s.code())>{lang.t(k)}</a>
                    }).collect_view()}
                </nav>
            </div>
            {if v.tasks.is_empty() {
                view! { <Empty label=K::ProjectsMonNoTasks/> }.into_any()
            } else {
                view! { <GanttSvg v=v.clone() lang=lang scale=scale project_id=project_id name=name.clone()/> }.into_any()
            }}
            <ul class="gantt-legend">
                <li><span class="swatch" style=format!("background:{GREY}")></span>{lang.t(K::ProjectsMonLegendBaseline)}</li>
                <li><span class="swatch" style="background:#90caf9"></span>{lang.t(K::ProjectsMonLegendPlan)}</li>
                <li><span class="swatch" style=format!("background:{BLUE}")></span>{lang.t(K::ProjectsMonLegendDone)}</li>
                <li><span class="swatch" style=format!("background:{RED}")></span>{lang.t(K::ProjectsMonLegendSlipped)}</li>
                <li><span class="swatch diamond"></span>{lang.t(K::ProjectsMonLegendMilestone)}</li>
                <li><span class="swatch" style=format!("background:{RED};width:2px")></span>{lang.t(K::ProjectsMonToday)}</li>
            </ul>
        </section>
        <section class="card">
            <h2>{lang.t(K::ProjectsMonTaskTable)}</h2>
            <div class="table-wrap">
                <table class="data gantt-table" data-testid="gantt-table">
                    <thead><tr>
                        <th class="num">"#"</th><th>{lang.t(K::ProjectsMonColTask)}</th><th>{lang.t(K::ProjectsMonColKind)}</th>
                        <th>{lang.t(K::ProjectsMonColAssignee)}</th><th>{lang.t(K::ProjectsMonColBaseline)}</th><th>{lang.t(K::ProjectsMonColPlanned)}</th>
                        <th>{lang.t(K::ProjectsMonColActual)}</th><th class="num">{lang.t(K::ProjectsMonColPct)}</th><th>{lang.t(K::ProjectsMonColDepends)}</th>
                        <th>{lang.t(K::FieldStatus)}</th>
                    </tr></thead>
                    <tbody>
                        {table.into_iter().map(|(t, deps, (tone, state))| view! {
                            <tr>
                                <td class="num">{t.position}</td><td>{t.name.clone()}</td><td>{lang.t(kind_key(&t.kind))}</td>
                                <td>{t.assignee_name.clone()}</td><td>{range(t.baseline_start, t.baseline_end)}</td>
                                <td>{range(Some(t.planned_start), Some(t.planned_end))}</td><td>{range(t.actual_start, t.actual_end)}</td>
                                <td class="num">{format!("{}%", t.pct_done)}</td><td>{deps}</td>
                                <td><Badge tone=tone label=state/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The Gantt chart as SVG, rendered on the server: it needs no JavaScript and
/// prints as it is (every colour is a presentation attribute).
#[component]
fn GanttSvg(v: GanttView, lang: Lang, scale: Scale, project_id: i64, name: String) -> impl IntoView {
    let l = gantt_layout(&v.tasks, &v.deps, v.today, scale);
    let marker = format!("gantt-arrow-{project_id}");
    let marker_ref = format!("url(#{marker})");
    let caption = lang.tf(K::ProjectsMonGanttCaption, &[("name", name)]);
    let aria = caption.clone();
    let px = l.px_per_day;
    let (w, h) = (l.width, l.height);
    let grid_bottom = h;
    let rows = l.rows.clone();
    view! {
        <div class="gantt-wrap" data-testid="gantt">
            <svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {w:.0} {h:.0}") width=format!("{w:.0}") height=format!("{h:.0}")
                role="img" aria-label=aria font-family="sans-serif" font-size="12">
                <title>{caption}</title>
                <defs>
                    <marker id=marker.clone() viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L8 4 L0 8 z" fill="#555"/>
                    </marker>
                </defs>
                <rect x="0" y="0" width=format!("{w:.0}") height=format!("{h:.0}") fill="#ffffff"/>
                // Alternate row shading.
                {rows.iter().enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, r)| view! {
                    <rect x="0" y=format!("{:.1}", r.y) width=format!("{w:.0}") height=format!("{GANTT_ROW_H:.0}") fill="#f6f8fa"/>
                }).collect_view()}
                // Time axis.
                {l.ticks.iter().map(|t| {
                    let (y1, stroke, ty) = if t.major { (0.0, "#b0b7c0", 14.0) } else { (20.0, "#e3e7ec", 34.0) };
                    view! {
                        <line x1=format!("{:.1}", t.x) y1=format!("{y1:.0}") x2=format!("{:.1}", t.x) y2=format!("{grid_bottom:.0}") stroke=stroke stroke-width="1"/>
                        <text x=format!("{:.1}", t.x + 3.0) y=format!("{ty:.0}") fill="#444" font-size=if t.major { "12" } else { "10" }>{t.label.clone()}</text>
                    }
                }).collect_view()}
                <line x1="0" y1=format!("{GANTT_HEAD_H:.0}") x2=format!("{w:.0}") y2=format!("{GANTT_HEAD_H:.0}") stroke="#b0b7c0"/>
                <line x1=format!("{GANTT_LABEL_W:.0}") y1="0" x2=format!("{GANTT_LABEL_W:.0}") y2=format!("{grid_bottom:.0}") stroke="#b0b7c0"/>
                // Rows: name, baseline, bar, progress.
                {v.tasks.iter().zip(rows.iter()).map(|(t, r)| {
                    let mid = r.y + GANTT_ROW_H / 2.0;
                    let label: String = {
                        let full = format!("{} {}", t.position, t.name);
                        if full.chars().count() > 18 { format!("{}…", full.chars().take(17).collect::<String>()) } else { full }
                    };
                    let tip = format!("{} {} · {}% · {}", t.position, t.name, t.pct_done, range(Some(t.bar().0), Some(t.bar().1)));
                    let (bx, bw) = r.bar;
                    let fill = if r.slipped { "#ef9a9a" } else { "#90caf9" };
                    let done_fill = if r.slipped { RED } else { BLUE };
                    let shape = if r.milestone {
                        let cx = bx + px / 2.0;
                        let pts = format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", cx, mid - 7.0, cx + 7.0, mid, cx, mid + 7.0, cx - 7.0, mid);
                        let base = r.baseline.map(|(x0, _)| {
                            let c = x0 + px / 2.0;
                            format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", c, mid + 2.0, c + 5.0, mid + 7.0, c, mid + 12.0, c - 5.0, mid + 7.0)
                        });
                        let diamond_fill = if t.pct_done >= 100 { BLUE } else if r.slipped { RED } else { "#ffb300" };
                        view! {
                            {base.map(|p| view! { <polygon points=p fill="none" stroke=GREY stroke-width="1.5"/> })}
                            <polygon class="g-milestone" points=pts fill=diamond_fill stroke="#333" stroke-width="1">
                                <title>{tip.clone()}</title>
                            </polygon>
                        }.into_any()
                    } else {
                        view! {
                            {r.baseline.map(|(x0, bw0)| view! {
                                <rect class="g-baseline" x=format!("{x0:.1}") y=format!("{:.1}", r.y + 20.0) width=format!("{bw0:.1}") height="5" fill=GREY rx="1"/>
                            })}
                            <rect class="g-bar" x=format!("{bx:.1}") y=format!("{:.1}", r.y + 5.0) width=format!("{bw:.1}") height="13" fill=fill rx="2">
                                <title>{tip.clone()}</title>
                            </rect>
                            <rect class="g-done" x=format!("{bx:.1}") y=format!("{:.1}", r.y + 5.0) width=format!("{:.1}", r.done_w) height="13" fill=done_fill rx="2"/>
                            <text x=format!("{:.1}", bx + bw + 4.0) y=format!("{:.1}", r.y + 16.0) fill="#333" font-size="10">{format!("{}%", t.pct_done)}</text>
                        }.into_any()
                    };
                    view! {
                        <text x="6" y=format!("{:.1}", mid + 4.0) fill="#222">{label}<title>{tip}</title></text>
                        {shape}
                    }
                }).collect_view()}
                // Dependencies.
                {l.arrows.iter().map(|d| view! {
                    <path class="g-dep" d=d.clone() fill="none" stroke="#555" stroke-width="1" marker-end=marker_ref.clone()/>
                }).collect_view()}
                // Today.
                {l.today_x.map(|x| view! {
                    <line class="g-today" x1=format!("{x:.1}") y1=format!("{:.0}", GANTT_HEAD_H - 4.0) x2=format!("{x:.1}") y2=format!("{grid_bottom:.0}") stroke=RED stroke-width="2" stroke-dasharray="4 3"/>
                    <text x=format!("{:.1}", x + 3.0) y=format!("{:.0}", GANTT_HEAD_H - 6.0) fill=RED font-size="10">{lang.t(K::ProjectsMonToday)}</text>
                })}
            </svg>
        </div>
    }
}

// ===== the project status dashboard =====

/// The portfolio by phase and health (stacked bars).
pub fn portfolio_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, ItemStyle, Tooltip, Trigger};
    use charming::series::Bar;
    let rows = portfolio(&d.phases);
    let series = |k: K, colour: &str, get: fn(&PhaseRow) -> i64| {
        Bar::new()
            .name(lang.t(k))
            .stack("health")
            .item_style(ItemStyle::new().color(colour))
            .data(rows.iter().map(|(_, r)| get(r)).collect::<Vec<i64>>())
    };
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(rows.iter().map(|(s, _)| lang.t(s.key()).to_string()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(series(K::ProjectsHealthGreen, GREEN, |r| r.green))
        .series(series(K::ProjectsHealthAmber, AMBER, |r| r.amber))
        .series(series(K::ProjectsHealthRed, RED, |r| r.red))
        .series(series(K::ProjectsMonNotMeasuredSeries, GREY, |r| r.unmeasured))
}

/// SPI (x) against CPI (y), one point per executing project, coloured by
/// health, with the amber and red thresholds as dashed lines.
pub fn scatter_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::datatype::DataPointItem;
    use charming::element::{AxisType, ItemStyle, Label, LabelPosition, LineStyle, LineStyleType, MarkLine, MarkLineData, MarkLineVariant, Tooltip, Trigger};
    use charming::series::Scatter;
    let labelled = d.points.len() <= 20;
    let mut chart = charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Value).name("SPI").scale(true))
        .y_axis(Axis::new().type_(AxisType::Value).name("CPI").scale(true));
    for h in Health::ALL {
        let data: Vec<DataPointItem> = d
            .points
            .iter()
            .filter(|p| health_of(&p.health) == h)
            .map(|p| DataPointItem::new(vec![ratio_f(p.spi_milli), ratio_f(p.cpi_milli)]).name(format!("{} {}", p.number, p.name)))
            .collect();
        chart = chart.series(
            Scatter::new()
                .name(lang.t(h.key()))
                .symbol_size(12)
                .item_style(ItemStyle::new().color(health_colour(h)))
                .label(Label::new().show(labelled).position(LabelPosition::Right).formatter("{b}").font_size(10))
                .data(data),
        );
    }
    let t = d.thresholds;
    let line = |name: String, x: Option<f64>, y: Option<f64>| -> MarkLineVariant {
        let mut m = MarkLineData::new().name(name);
        if let Some(x) = x {
            m = m.x_axis(x);
        }
        if let Some(y) = y {
            m = m.y_axis(y);
        }
        MarkLineVariant::Simple(m)
    };
    let thresholds = Scatter::new().name(lang.t(K::ProjectsMonThresholds)).data(Vec::<DataPointItem>::new()).mark_line(
        MarkLine::new()
            .silent(true)
            .symbol(vec![charming::element::Symbol::None])
            .line_style(LineStyle::new().type_(LineStyleType::Dashed).color(GREY))
            .data(vec![
                line(format!("SPI {}", pct_ratio_text(t.spi_amber_pct)), Some(t.spi_amber_pct as f64 / 100.0), None),
                line(format!("SPI {}", pct_ratio_text(t.spi_red_pct)), Some(t.spi_red_pct as f64 / 100.0), None),
                line(format!("CPI {}", pct_ratio_text(t.cpi_amber_pct)), None, Some(t.cpi_amber_pct as f64 / 100.0)),
                line(format!("CPI {}", pct_ratio_text(t.cpi_red_pct)), None, Some(t.cpi_red_pct as f64 / 100.0)),
            ]),
    );
    chart.series(thresholds)
}

fn project_label(number: &str, name: &str) -> String {
    format!("{number} {name}")
}

/// The milestones of the next 90 days (and the overdue ones shown) on a time
/// axis, one line per project; late ones in red.
pub fn milestones_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Grid, Legend};
    use charming::datatype::{CompositeValue, DataPointItem};
    use charming::element::{AxisType, ItemStyle, Symbol, Tooltip, Trigger};
    use charming::series::Scatter;
    let all: Vec<&MilestoneRow> = d.overdue.iter().chain(d.upcoming.iter()).collect();
    let mut projects: Vec<String> = Vec::new();
    for m in &all {
        let p = project_label(&m.number, &m.project_name);
        if !projects.contains(&p) {
            projects.push(p);
        }
    }
    let point = |m: &MilestoneRow| {
        DataPointItem::new(CompositeValue::Array(vec![
            CompositeValue::from(m.planned_end.to_string()),
            CompositeValue::from(project_label(&m.number, &m.project_name)),
        ]))
        .name(format!("{} ({})", m.name, m.planned_end))
    };
    let series = |k: K, colour: &str, rows: Vec<&MilestoneRow>| {
        Scatter::new()
            .name(lang.t(k))
            .symbol(Symbol::Diamond)
            .symbol_size(14)
            .item_style(ItemStyle::new().color(colour))
            .data(rows.into_iter().map(point).collect::<Vec<_>>())
    };
    let today = d.today;
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom("0"))
        .grid(Grid::new().left("2%").right("4%").top("4%").bottom("14%").contain_label(true))
        .x_axis(Axis::new().type_(AxisType::Time))
        .y_axis(Axis::new().type_(AxisType::Category).inverse(true).data(projects))
        .series(series(K::ProjectsMonSeriesOnTime, BLUE, all.iter().copied().filter(|m| !m.late(today)).collect()))
        .series(series(K::ProjectsMonSeriesLate, AMBER, all.iter().copied().filter(|m| m.late(today) && !m.overdue(today)).collect()))
        .series(series(K::ProjectsMonSeriesOverdue, RED, all.iter().copied().filter(|m| m.overdue(today)).collect()))
}

/// Days of the largest slip of each delayed project (horizontal bars).
pub fn delayed_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Grid};
    use charming::element::{AxisType, ItemStyle, Tooltip, Trigger};
    use charming::series::Bar;
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left("2%").right("6%").contain_label(true))
        .x_axis(Axis::new().type_(AxisType::Value).name(lang.t(K::ProjectsMonColSlipDays)))
        .y_axis(Axis::new().type_(AxisType::Category).inverse(true).data(d.delayed.iter().map(|p| project_label(&p.number, &p.name)).collect()))
        .series(Bar::new().name(lang.t(K::ProjectsMonColSlipDays)).item_style(ItemStyle::new().color(RED)).data(d.delayed.iter().map(|p| p.slip_days).collect::<Vec<i64>>()))
}

fn dept_name(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Budget (BAC), earned value and actual cost by requesting department.
pub fn budget_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, ItemStyle, Tooltip, Trigger};
    use charming::series::Bar;
    let bar = |k: K, colour: &str, get: fn(&BudgetRow) -> i64| {
        Bar::new().name(lang.t(k)).item_style(ItemStyle::new().color(colour)).data(d.budget.iter().map(|r| yuan_f(get(r))).collect::<Vec<f64>>())
    };
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(d.budget.iter().map(|r| dept_name(lang, &r.name_zh, &r.name_en)).collect()))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(bar(K::ProjectsMonColBac, GREY, |r| r.bac_minor))
        .series(bar(K::ProjectsMonColEv, BLUE, |r| r.ev_minor))
        .series(bar(K::ProjectsMonColAc, AMBER, |r| r.ac_minor))
}

/// Allocation on open projects against capacity, by the people's department.
pub fn load_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, ItemStyle, Tooltip, Trigger};
    use charming::series::Bar;
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(d.load.iter().map(|r| dept_name(lang, &r.name_zh, &r.name_en)).collect()))
        .y_axis(Axis::new().type_(AxisType::Value).name("%"))
        .series(Bar::new().name(lang.t(K::ProjectsMonColAllocated)).item_style(ItemStyle::new().color(BLUE)).data(d.load.iter().map(|r| r.allocated_pct).collect::<Vec<i64>>()))
        .series(Bar::new().name(lang.t(K::ProjectsMonColCapacity)).item_style(ItemStyle::new().color(GREY)).data(d.load.iter().map(|r| r.capacity_pct()).collect::<Vec<i64>>()))
}

#[component]
pub fn ProjectDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        DashQuery { department: q.get("department").unwrap_or_default(), priority: q.get("priority").unwrap_or_default() }
    };
    let data = Resource::new(query, project_dashboard);
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavProjectDashboard)}</h1>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let lang = i18n.lang();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(page) => view! { <DashboardView page=page lang=lang/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn project_link(id: i64, number: &str, name: &str) -> impl IntoView + use<> {
    view! { <a href=format!("/projects/{id}/monitoring")>{project_label(number, name)}</a> }
}

#[component]
fn HealthBadge(health: String) -> impl IntoView {
    let h = health_of(&health);
    view! { <Badge tone=h.tone() label=h.key()/> }
}

#[component]
fn DashboardView(page: DashPage, lang: Lang) -> impl IntoView {
    let d = page.data.clone();
    let f = d.filter.clone();
    let t = |k: K| lang.t(k).to_string();
    let today = d.today;
    let rows = portfolio(&d.phases);
    let measured: i64 = rows.iter().filter(|(s, _)| is_measured(*s)).map(|(_, r)| r.total()).sum();
    let red: i64 = rows.iter().map(|(_, r)| r.red).sum();
    let amber: i64 = rows.iter().map(|(_, r)| r.amber).sum();
    let bac: i64 = d.budget.iter().map(|b| b.bac_minor).sum();
    let ac: i64 = d.budget.iter().map(|b| b.ac_minor).sum();
    let portfolio_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(s, r)| {
            let m = |v: i64| if is_measured(*s) { v.to_string() } else { "—".into() };
            vec![t(s.key()), m(r.green), m(r.amber), m(r.red), if is_measured(*s) { "—".into() } else { r.unmeasured.to_string() }, r.total().to_string()]
        })
        .collect();
    let point_rows: Vec<Vec<String>> = d
        .points
        .iter()
        .map(|p| {
            vec![
                project_label(&p.number, &p.name),
                t(health_of(&p.health).key()),
                milli_text(Some(p.spi_milli)),
                milli_text(Some(p.cpi_milli)),
                money(p.pv_minor),
                money(p.ev_minor),
                money(p.ac_minor),
            ]
        })
        .collect();
    let milestone_rows: Vec<Vec<String>> = d
        .overdue
        .iter()
        .chain(d.upcoming.iter())
        .map(|m| {
            let state = if m.overdue(today) {
                K::ProjectsMonSeriesOverdue
            } else if m.late(today) {
                K::ProjectsMonSeriesLate
            } else {
                K::ProjectsMonSeriesOnTime
            };
            vec![m.planned_end.to_string(), project_label(&m.number, &m.project_name), m.name.clone(), m.baseline_end.map(|b| b.to_string()).unwrap_or_else(|| "—".into()), t(state)]
        })
        .collect();
    let delayed_rows: Vec<Vec<String>> =
        d.delayed.iter().map(|p| vec![project_label(&p.number, &p.name), t(health_of(&p.health).key()), p.slip_days.to_string(), p.delays.to_string()]).collect();
    let budget_rows: Vec<Vec<String>> = d
        .budget
        .iter()
        .map(|b| {
            vec![
                dept_name(lang, &b.name_zh, &b.name_en),
                b.projects.to_string(),
                money(b.bac_minor),
                money(b.ev_minor),
                money(b.ac_minor),
                money(b.ev_minor - b.ac_minor),
                b.spent_pct().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let load_rows: Vec<Vec<String>> = d
        .load
        .iter()
        .map(|r| {
            vec![
                dept_name(lang, &r.name_zh, &r.name_en),
                r.headcount.to_string(),
                r.people_on_projects.to_string(),
                format!("{}%", r.allocated_pct),
                format!("{}%", r.capacity_pct()),
                r.load_pct().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let capped = |shown: usize, total: i64, k: K| (total > shown as i64).then(|| lang.tf(k, &[("shown", shown.to_string()), ("total", total.to_string())]));
    let points_note = capped(d.points.len(), d.points_total, K::ProjectsMonScatterCapped);
    let upcoming_note = capped(d.upcoming.len(), d.upcoming_total, K::ProjectsMonMilestonesCapped);
    let overdue_note = capped(d.overdue.len(), d.overdue_total, K::ProjectsMonOverdueCapped);
    let causes = d.causes.clone();
    let delayed = d.delayed.clone();
    view! {
        <form method="get" action="/projects/dashboard" class="filters" role="search">
            <label>{t(K::ProjectsRequestingDepartment)}
                <select name="department">
                    <option value="">{t(K::CommonAll)}</option>
                    {page.departments.iter().map(|(id, zh, en)| view! {
                        <option value=*id selected=f.department_id == Some(*id)>{dept_name(lang, zh, en)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t(K::ProjectsMonPriority)}
                <select name="priority">
                    <option value="">{t(K::CommonAll)}</option>
                    {Priority::ALL.into_iter().map(|p| view! {
                        <option value=p.code() selected=f.priority.as_deref() == Some(p.code())>{t(p.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn">{t(K::CommonFilter)}</button>
            <a href="/projects/dashboard" class="btn btn-link">{t(K::CommonReset)}</a>
        </form>
        <div class="kpis">
            <div class="kpi card"><span class="kpi-label">{t(K::ProjectsMonKpiMeasured)}</span><strong data-testid="kpi-measured">{measured}</strong></div>
            <div class="kpi card"><span class="kpi-label">{t(K::ProjectsMonKpiRed)}</span><strong data-testid="kpi-red">{red}</strong></div>
            <div class="kpi card"><span class="kpi-label">{t(K::ProjectsMonKpiAmber)}</span><strong data-testid="kpi-amber">{amber}</strong></div>
            <div class="kpi card"><span class="kpi-label">{t(K::ProjectsMonColBac)}</span><strong>{money(bac)}</strong></div>
            <div class="kpi card"><span class="kpi-label">{t(K::ProjectsMonColAc)}</span><strong>{money(ac)}</strong></div>
            <div class="kpi card"><span class="kpi-label">{t(K::ProjectsMonKpiOverdue)}</span><strong data-testid="kpi-overdue">{d.overdue_total}</strong></div>
        </div>
        <section class="card">
            <h2>{t(K::ProjectsMonAtRiskTitle)}</h2>
            {if d.attention.is_empty() {
                view! { <Empty label=K::ProjectsMonNoBudget/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data" data-testid="pd-attention">
                        <thead><tr>
                            <th>{t(K::ProjectsMonColProject)}</th><th>{t(K::ProjectsMonColPhase)}</th><th>{t(K::ProjectsMonColHealth)}</th>
                            <th class="num">"SPI"</th><th class="num">"CPI"</th><th class="num">{t(K::ProjectsMonKpiOverdue)}</th>
                            <th class="num">{t(K::ProjectsMonColDelays)}</th><th class="num">{t(K::ProjectsMonColFailedChecks)}</th>
                        </tr></thead>
                        <tbody>
                            {d.attention.iter().map(|p| {
                                let status = crate::projects::model::ProjectStatus::parse(&p.status).unwrap_or(crate::projects::model::ProjectStatus::Executing);
                                view! {
                                    <tr>
                                        <td>{project_link(p.id, &p.number, &p.name)}</td><td>{t(status.key())}</td><td><HealthBadge health=p.health.clone()/></td>
                                        <td class="num">{milli_text(p.spi_milli)}</td><td class="num">{milli_text(p.cpi_milli)}</td>
                                        <td class="num">{p.overdue_milestones}</td><td class="num">{p.open_delays}</td><td class="num">{p.failed_checks}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        <div class="dash-grid">
            <section class="card">
                <h2>{t(K::ProjectsMonPortfolioTitle)}</h2>
                <Chart id="pd-portfolio".to_string() chart=portfolio_chart(&d, lang) caption=t(K::ProjectsMonPortfolioCaption)
                    headers=vec![t(K::ProjectsMonColPhase), t(K::ProjectsHealthGreen), t(K::ProjectsHealthAmber), t(K::ProjectsHealthRed), t(K::ProjectsMonNotMeasuredSeries), t(K::ProjectsMonColTotal)]
                    rows=portfolio_rows/>
            </section>
            <section class="card">
                <h2>{t(K::ProjectsMonScatterTitle)}</h2>
                {points_note.map(|n| view! { <p class="muted">{n}</p> })}
                {if d.points.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoPoints/> }.into_any()
                } else {
                    view! {
                        <Chart id="pd-scatter".to_string() chart=scatter_chart(&d, lang) caption=t(K::ProjectsMonScatterCaption)
                            headers=vec![t(K::ProjectsMonColProject), t(K::ProjectsMonColHealth), "SPI".into(), "CPI".into(), t(K::ProjectsMonPv), t(K::ProjectsMonEv), t(K::ProjectsMonAc)]
                            rows=point_rows/>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>{t(K::ProjectsMonMilestonesTitle)}</h2>
                {upcoming_note.map(|n| view! { <p class="muted">{n}</p> })}
                {overdue_note.map(|n| view! { <p class="muted">{n}</p> })}
                {if milestone_rows.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoMilestones/> }.into_any()
                } else {
                    view! {
                        <Chart id="pd-milestones".to_string() chart=milestones_chart(&d, lang) caption=t(K::ProjectsMonMilestonesCaption)
                            headers=vec![t(K::ProjectsMonColDate), t(K::ProjectsMonColProject), t(K::ProjectsMonColMilestone), t(K::ProjectsMonColBaselineEnd), t(K::FieldStatus)]
                            rows=milestone_rows height=420/>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>{t(K::ProjectsMonDelayedTitle)}</h2>
                {if delayed_rows.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoDelayed/> }.into_any()
                } else {
                    view! {
                        <Chart id="pd-delayed".to_string() chart=delayed_chart(&d, lang) caption=t(K::ProjectsMonDelayedCaption)
                            headers=vec![t(K::ProjectsMonColProject), t(K::ProjectsMonColHealth), t(K::ProjectsMonColSlipDays), t(K::ProjectsMonColDelays)]
                            rows=delayed_rows/>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>{t(K::ProjectsMonBudgetTitle)}</h2>
                {if budget_rows.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoBudget/> }.into_any()
                } else {
                    view! {
                        <Chart id="pd-budget".to_string() chart=budget_chart(&d, lang) caption=t(K::ProjectsMonBudgetCaption)
                            headers=vec![t(K::ProjectsRequestingDepartment), t(K::ProjectsMonColProjects), t(K::ProjectsMonColBac), t(K::ProjectsMonColEv), t(K::ProjectsMonColAc), t(K::ProjectsMonCv), t(K::ProjectsMonColSpent)]
                            rows=budget_rows/>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>{t(K::ProjectsMonLoadTitle)}</h2>
                {if load_rows.is_empty() {
                    view! { <Empty label=K::ProjectsMonNoLoad/> }.into_any()
                } else {
                    view! {
                        <Chart id="pd-load".to_string() chart=load_chart(&d, lang) caption=t(K::ProjectsMonLoadCaption)
                            headers=vec![t(K::FieldDepartment), t(K::ProjectsMonColHeadcount), t(K::ProjectsMonColPeople), t(K::ProjectsMonColAllocated), t(K::ProjectsMonColCapacity), t(K::ProjectsMonColLoad)]
                            rows=load_rows/>
                    }.into_any()
                }}
            </section>
        </div>
        <section class="card">
            <h2>{t(K::ProjectsMonCausesTitle)}</h2>
            {if delayed.is_empty() {
                view! { <Empty label=K::ProjectsMonNoDelayed/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data" data-testid="pd-causes">
                        <thead><tr>
                            <th>{t(K::ProjectsMonColProject)}</th><th>{t(K::ProjectsMonColHealth)}</th><th>{t(K::ProjectsMonColTask)}</th>
                            <th class="num">{t(K::ProjectsMonColSlipDays)}</th><th>{t(K::ProjectsMonColCause)}</th><th>{t(K::ProjectsMonColMeasures)}</th>
                        </tr></thead>
                        <tbody>
                            {delayed.into_iter().map(|p| {
                                let mine: Vec<DelayCause> = causes.iter().filter(|c| c.project_id == p.id).cloned().collect();
                                let span = mine.len().max(1);
                                let first = mine.first().cloned();
                                let rest: Vec<DelayCause> = mine.into_iter().skip(1).collect();
                                let cells = |c: Option<DelayCause>| match c {
                                    Some(c) => view! { <td>{c.task_name.clone()}</td><td class="num">{c.slip_days()}</td><td class="pre">{c.cause.clone()}</td><td class="pre">{c.measures.clone()}</td> }.into_any(),
                                    None => view! { <td colspan="4">"—"</td> }.into_any(),
                                };
                                view! {
                                    <tr>
                                        <td rowspan=span>{project_link(p.id, &p.number, &p.name)}</td>
                                        <td rowspan=span><HealthBadge health=p.health.clone()/></td>
                                        {cells(first)}
                                    </tr>
                                    {rest.into_iter().map(|c| view! { <tr>{cells(Some(c))}</tr> }).collect_view()}
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn dash() -> Dashboard {
        Dashboard {
            filter: DashFilter::default(),
            today: d("2026-03-10"),
            thresholds: Thresholds::default(),
            phases: vec![
                PhaseHealthCount { status: "executing".into(), health: "red".into(), count: 2 },
                PhaseHealthCount { status: "executing".into(), health: "green".into(), count: 5 },
                PhaseHealthCount { status: "closed".into(), health: "green".into(), count: 3 },
            ],
            points: vec![IndexPoint {
                id: 1,
                number: "XM-2026-0001".into(),
                name: "仓储改造".into(),
                health: "red".into(),
                spi_milli: 702,
                cpi_milli: 1010,
                pv_minor: 100,
                ev_minor: 70,
                ac_minor: 69,
            }],
            points_total: 1,
            attention: vec![],
            upcoming: vec![MilestoneRow {
                task_id: 9,
                project_id: 1,
                number: "XM-2026-0001".into(),
                project_name: "仓储改造".into(),
                name: "投入运行".into(),
                planned_end: d("2026-04-01"),
                baseline_end: Some(d("2026-03-20")),
            }],
            upcoming_total: 1,
            overdue: vec![],
            overdue_total: 0,
            delayed: vec![],
            causes: vec![],
            budget: vec![BudgetRow { department_id: 1, name_zh: "物流部".into(), name_en: "Logistics".into(), projects: 1, bac_minor: 250_000_000, ev_minor: 1, ac_minor: 123_400 }],
            load: vec![LoadRow { department_id: 1, name_zh: "物流部".into(), name_en: "Logistics".into(), headcount: 2, people_on_projects: 2, allocated_pct: 150 }],
        }
    }

    /// The chart's JSON without whitespace.
    fn json(c: charming::Chart) -> String {
        serde_json::from_str::<serde_json::Value>(&c.to_string()).expect("json").to_string()
    }

    #[test]
    fn charts_carry_the_figures() {
        let d = dash();
        let p = json(portfolio_chart(&d, Lang::En));
        assert!(p.contains("Executing") && p.contains("\"stack\":\"health\"") && p.contains("[0,0,5,0,0,0]") && p.contains("[0,0,2,0,0,0]"), "{p}");
        assert!(p.contains("[0,0,0,0,3,0]"), "closed projects are not measured: {p}");
        let s = json(scatter_chart(&d, Lang::Zh));
        assert!(s.contains("0.702") && s.contains("1.01") && s.contains("仓储改造") && s.contains("\"xAxis\":0.95"), "{s}");
        let m = json(milestones_chart(&d, Lang::En));
        assert!(m.contains("2026-04-01") && m.contains("投入运行") && m.contains("diamond"), "{m}");
        let b = json(budget_chart(&d, Lang::En));
        assert!(b.contains("Logistics") && b.contains("2500000") && b.contains("1234"), "{b}");
        let l = json(load_chart(&d, Lang::Zh));
        assert!(l.contains("物流部") && l.contains("[150]") && l.contains("[200]"), "{l}");
        assert_eq!(d.load[0].load_pct(), Some(75));
        assert!(d.upcoming[0].late(d.today), "planned after its baseline");
    }
}
