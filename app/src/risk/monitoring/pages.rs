//! Monitoring pages (5.3): key risk indicators (list with the risk office's
//! edits, one indicator's trend), gauges for the dashboard, a risk's
//! escalations, department risk reports and the printable company risk
//! warning report.
use super::api::*;
use super::model::*;
use crate::core::error::AppError;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::time::{format_date_in, format_in};
use crate::core::ui::{Badge, Chart, ConfirmAction, DataTable, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::risk::model::{AssessmentKind, Level};
use crate::risk::pages::{HeatMap, LevelBadge, RiskTabs, Section};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn param_id() -> Option<i64> {
    use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok())
}

fn status_badge(s: Option<KriStatus>) -> AnyView {
    match s {
        Some(s) => view! { <Badge tone=s.tone() label=s.key()/> }.into_any(),
        None => view! { <Badge tone=Tone::Neutral label=K::RiskMonNotEvaluated/> }.into_any(),
    }
}

fn level_badge(code: &Option<String>) -> AnyView {
    match code.as_deref().and_then(Level::parse) {
        Some(l) => view! { <LevelBadge level=l/> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

fn opt_value(unit: Unit, v: Option<i64>) -> String {
    v.map(|v| format_value(unit, v)).unwrap_or_else(|| "—".into())
}

// ----- indicators -----

/// /risks/indicators: the key risk indicators (5.3-a); the risk office edits
/// thresholds, bound risk and owner, and evaluates now.
#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<KriUpdate>::new();
    let eval = ServerAction::<KriEvaluateNow>::new();
    let data = Resource::new(move || (update.version().get(), eval.version().get()), |_| kri_list(true));
    view! {
        <div class="page-head"><h1>{i18n.t(K::RiskSectionIndicators)}</h1></div>
        <RiskTabs current=Section::Indicators/>
        <p class="hint">{i18n.t(K::RiskMonIndicatorsHint)}</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <IndicatorsTable v=v update=update eval=eval/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IndicatorsTable(v: IndicatorsView, update: ServerAction<KriUpdate>, eval: ServerAction<KriEvaluateNow>) -> impl IntoView {
    let i18n = use_i18n();
    let tz = v.time_zone.clone();
    let eval_err = action_error(eval);
    let can = v.can_edit;
    let users = v.users.clone();
    view! {
        {can.then(|| view! {
            <FormError error=eval_err/>
            <ActionForm action=eval attr:class="form-inline no-print" attr:data-testid="evaluate-now">
                <button type="submit" class="btn" disabled=move || eval.pending().get()>{i18n.t(K::RiskMonEvaluateNow)}</button>
            </ActionForm>
        })}
        {if v.rows.is_empty() {
            view! { <Empty label=K::RiskMonNoIndicators/> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data" data-testid="indicators">
                        <thead><tr>
                            <th>{i18n.t(K::RiskMonIndicator)}</th>
                            <th class="num">{i18n.t(K::RiskMonValue)}</th>
                            <th class="num">{i18n.t(K::RiskMonWarn)}</th>
                            <th class="num">{i18n.t(K::RiskMonBreach)}</th>
                            <th>{i18n.t(K::RiskMonStatus)}</th>
                            <th>{i18n.t(K::RiskMonLinkedRisk)}</th>
                            <th>{i18n.t(K::RiskMonOwner)}</th>
                            <th>{i18n.t(K::RiskMonEvaluatedAt)}</th>
                        </tr></thead>
                        <tbody>
                            {v.rows.into_iter().map(|ind| {
                                let unit = ind.unit();
                                let help = ind.kri().map(|k| k.help());
                                let name = ind.clone();
                                let edit = can.then(|| {
                                    let ind = ind.clone();
                                    let users = users.clone();
                                    view! { <tr class="kri-edit-row"><td colspan="8"><IndicatorForm ind=ind users=users update=update/></td></tr> }
                                });
                                view! {
                                    <tr data-testid=format!("kri-{}", ind.code) data-status=ind.last_status.clone().unwrap_or_default()>
                                        <td>
                                            <a href=format!("/risks/indicators/{}", ind.id)>{move || name.name(i18n.lang())}</a>
                                            {help.map(|h| view! { <br/><small class="muted">{i18n.t(h)}</small> })}
                                        </td>
                                        <td class="num" data-testid="kri-value">{opt_value(unit, ind.last_value)}</td>
                                        <td class="num">{format_value(unit, ind.warn_threshold)}</td>
                                        <td class="num">{format_value(unit, ind.breach_threshold)}</td>
                                        <td>{status_badge(ind.status())}</td>
                                        <td>{match (ind.risk_id, ind.risk_number.clone()) {
                                            (Some(id), Some(n)) => view! { <a href=format!("/risks/{id}")>{n}" "{ind.risk_name.clone().unwrap_or_default()}</a> }.into_any(),
                                            _ => view! { <span class="muted">"—"</span> }.into_any(),
                                        }}</td>
                                        <td>{ind.owner_name.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td>{ind.last_evaluated_at.map(|t| format_in(t, &tz)).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                    {edit}
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// The risk office's edit of one indicator (a disclosure under its row).
#[component]
fn IndicatorForm(ind: Indicator, users: Vec<(i64, String)>, update: ServerAction<KriUpdate>) -> impl IntoView {
    let i18n = use_i18n();
    let unit = ind.unit();
    let fid = ind.id.to_string();
    let id = ind.id;
    // The errors of this form only (another row's post leaves it alone).
    let err = Signal::derive(move || {
        let e = update.value().get().and_then(|r| r.err())?;
        match update.input().get() {
            Some(i) if i.id != id => None,
            _ => Some(e),
        }
    });
    let owner = echoed(Some(&fid), "owner_id", ind.owner_id.map(|o| o.to_string()).unwrap_or_default());
    let unit_hint = match unit {
        Unit::Minor => K::RiskMonUnitYuan,
        Unit::Bp => K::RiskMonUnitPercent,
        Unit::Count => K::RiskMonUnitCount,
    };
    view! {
        <details class="kri-edit no-print" data-testid=format!("kri-edit-{}", ind.code)>
            <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
            <FormError error=err/>
            <ActionForm action=update attr:class="form-inline">
                <input type="hidden" name="id" value=ind.id/>
                <input type="hidden" name="version" value=ind.version/>
                <label>{i18n.t(K::RiskMonWarn)}" ("{i18n.t(unit_hint)}")"
                    <input name="warn" inputmode="decimal" class="short" value=echoed(Some(&fid), "warn", threshold_input(unit, ind.warn_threshold))/>
                </label>
                <FieldMsg error=err field="warn"/>
                <label>{i18n.t(K::RiskMonBreach)}" ("{i18n.t(unit_hint)}")"
                    <input name="breach" inputmode="decimal" class="short" value=echoed(Some(&fid), "breach", threshold_input(unit, ind.breach_threshold))/>
                </label>
                <FieldMsg error=err field="breach"/>
                <label>{i18n.t(K::RiskMonLinkedRiskNumber)}
                    <input name="risk_number" class="short" placeholder="FX-2026-0001" value=echoed(Some(&fid), "risk_number", ind.risk_number.clone().unwrap_or_default())/>
                </label>
                <FieldMsg error=err field="risk_number"/>
                <label>{i18n.t(K::RiskMonOwner)}
                    <select name="owner_id">
                        <option value="" selected=owner.is_empty()>"—"</option>
                        {users.into_iter().map(|(uid, name)| {
                            let sel = owner == uid.to_string();
                            view! { <option value=uid selected=sel>{name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <FieldMsg error=err field="owner_id"/>
                <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>{i18n.t(K::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

/// The trend of one indicator with its thresholds as lines.
pub fn trend_chart(d: &IndicatorDetail, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Line;
    let unit = d.indicator.unit();
    let scale = |v: i64| -> f64 {
        match unit {
            Unit::Minor | Unit::Bp => v as f64 / 100.0,
            Unit::Count => v as f64,
        }
    };
    let x: Vec<String> = d.trend.iter().map(|v| format_date_in(v.measured_at, &d.time_zone)).collect();
    let n = d.trend.len();
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(x))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(Line::new().name(lang.t(K::RiskMonValue)).data(d.trend.iter().map(|v| scale(v.value)).collect::<Vec<f64>>()))
        .series(Line::new().name(lang.t(K::RiskMonWarn)).data(vec![scale(d.indicator.warn_threshold); n]))
        .series(Line::new().name(lang.t(K::RiskMonBreach)).data(vec![scale(d.indicator.breach_threshold); n]))
}

/// /risks/indicators/:id: the trend and the values.
#[component]
pub fn IndicatorPage() -> impl IntoView {
    let i18n = use_i18n();
    let before = move || use_query_map().get().get("before").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(move || (param_id(), before()), |(id, b)| async move {
        match id {
            Some(id) => kri_detail(id, b).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <RiskTabs current=Section::Indicators/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => {
                        let lang = i18n.lang();
                        let unit = d.indicator.unit();
                        let ind = d.indicator.clone();
                        let tz = d.time_zone.clone();
                        let heads = vec![lang.t(K::RiskMonMeasuredAt).to_string(), lang.t(K::RiskMonValue).to_string(), lang.t(K::RiskMonStatus).to_string()];
                        let rows: Vec<Vec<String>> = d.trend.iter().map(|v| vec![
                            format_in(v.measured_at, &tz),
                            format_value(unit, v.value),
                            KriStatus::parse(&v.status).map(|s| lang.t(s.key()).to_string()).unwrap_or_default(),
                        ]).collect();
                        let chart = trend_chart(&d, lang);
                        let next = d.next.map(|n| format!("/risks/indicators/{}?before={n}", ind.id));
                        view! {
                            <div class="page-head"><h1>{ind.name(lang)}</h1></div>
                            <dl class="kv">
                                <dt>{i18n.t(K::RiskMonValue)}</dt><dd data-testid="kri-value">{opt_value(unit, ind.last_value)}" "{status_badge(ind.status())}</dd>
                                <dt>{i18n.t(K::RiskMonWarn)}</dt><dd>{format_value(unit, ind.warn_threshold)}</dd>
                                <dt>{i18n.t(K::RiskMonBreach)}</dt><dd>{format_value(unit, ind.breach_threshold)}</dd>
                                <dt>{i18n.t(K::RiskMonLinkedRisk)}</dt><dd>{match (ind.risk_id, ind.risk_number.clone()) {
                                    (Some(id), Some(n)) => view! { <a href=format!("/risks/{id}")>{n}" "{ind.risk_name.clone().unwrap_or_default()}</a> }.into_any(),
                                    _ => view! { "—" }.into_any(),
                                }}</dd>
                                <dt>{i18n.t(K::RiskMonOwner)}</dt><dd>{ind.owner_name.clone().unwrap_or_else(|| "—".into())}</dd>
                            </dl>
                            {ind.kri().map(|k| view! { <p class="hint">{i18n.t(k.help())}</p> })}
                            {if d.trend.is_empty() {
                                view! { <Empty label=K::RiskMonNoValues/> }.into_any()
                            } else {
                                view! { <Chart id=format!("kri-trend-{}", ind.id) chart=chart caption=lang.t(K::RiskMonTrendCaption).to_string() headers=heads.clone() rows=rows width=760/> }.into_any()
                            }}
                            <h2>{i18n.t(K::RiskMonValues)}</h2>
                            {if d.values.is_empty() {
                                view! { <Empty label=K::RiskMonNoValues/> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data" data-testid="kri-values">
                                            <thead><tr>{heads.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                                            <tbody>
                                                {d.values.iter().map(|v| view! {
                                                    <tr>
                                                        <td>{format_in(v.measured_at, &tz)}</td>
                                                        <td class="num">{format_value(unit, v.value)}</td>
                                                        <td>{status_badge(KriStatus::parse(&v.status))}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager">
                                        {next.map(|h| view! { <a class="btn btn-small" href=h>{i18n.t(K::RiskMonOlder)}</a> })}
                                    </nav>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A gauge of one indicator: green to the warning threshold, amber to the breach one, red beyond.
pub fn gauge_chart(ind: &Indicator, lang: Lang) -> charming::Chart {
    use charming::datatype::DataPointItem;
    use charming::element::{AxisLine, AxisLineStyle};
    use charming::series::Gauge;
    let unit = ind.unit();
    let scale = |v: i64| -> f64 {
        match unit {
            Unit::Minor => v as f64 / 100.0,
            Unit::Bp => v as f64 / 100.0,
            Unit::Count => v as f64,
        }
    };
    let value = scale(ind.last_value.unwrap_or(0));
    let breach = scale(ind.breach_threshold);
    let warn = scale(ind.warn_threshold);
    let max = (breach * 1.5).max(value * 1.1).max(1.0);
    charming::Chart::new().series(
        Gauge::new()
            .min(0)
            .max(max)
            .axis_line(AxisLine::new().line_style(AxisLineStyle::new().width(12).color((warn / max, "#3b9a5b"))
                .color((breach / max, "#e0a100"))
                .color((1.0, "#c8372d"))))
            .data(vec![DataPointItem::new(value).name(ind.name(lang))]),
    )
}

/// The indicators for [`IndicatorGauges`] (without the owner picker's people).
pub fn gauges_resource() -> Resource<Result<IndicatorsView, AppError>> {
    Resource::new(|| (), |_| kri_list(false))
}

/// Key risk indicators as gauges with their thresholds, and the same as a table (for the risk dashboard).
#[component]
pub fn IndicatorGauges(
    /// Loaded by the page, so that it starts with the page's other data.
    #[prop(optional)]
    data: Option<Resource<Result<IndicatorsView, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = data.unwrap_or_else(gauges_resource);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) if v.rows.is_empty() => view! { <Empty label=K::RiskMonNoIndicators/> }.into_any(),
                    Ok(v) => {
                        let lang = i18n.lang();
                        let heads = vec![
                            lang.t(K::RiskMonValue).to_string(),
                            lang.t(K::RiskMonWarn).to_string(),
                            lang.t(K::RiskMonBreach).to_string(),
                            lang.t(K::RiskMonStatus).to_string(),
                        ];
                        view! {
                            <div class="kri-gauges" data-testid="kri-gauges">
                                {v.rows.iter().map(|ind| {
                                    let unit = ind.unit();
                                    let row = vec![
                                        opt_value(unit, ind.last_value),
                                        format_value(unit, ind.warn_threshold),
                                        format_value(unit, ind.breach_threshold),
                                        ind.status().map(|s| lang.t(s.key()).to_string()).unwrap_or_else(|| lang.t(K::RiskMonNotEvaluated).to_string()),
                                    ];
                                    view! {
                                        <div class="kri-gauge" data-status=ind.last_status.clone().unwrap_or_default()>
                                            <Chart id=format!("kri-gauge-{}", ind.id) chart=gauge_chart(ind, lang) caption=ind.name(lang)
                                                headers=heads.clone() rows=vec![row] width=300 height=240/>
                                            <a href=format!("/risks/indicators/{}", ind.id)>{i18n.t(K::RiskMonOpenTrend)}</a>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

// ----- escalations on a risk's page -----

fn escalation_rows(rows: &[EscalationRow], tz: &str, with_risk: bool) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let rows = rows.to_vec();
    let tz = tz.to_string();
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="escalations">
                <thead><tr>
                    {with_risk.then(|| view! { <th>{i18n.t(K::RiskMonRisk)}</th> })}
                    <th>{i18n.t(K::RiskMonReason)}</th>
                    <th>{i18n.t(K::RiskMonLevels)}</th>
                    <th>{i18n.t(K::RiskMonEscalatedTo)}</th>
                    <th>{i18n.t(K::RiskMonWhen)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|e| view! {
                        <tr>
                            {with_risk.then(|| view! { <td>{e.risk_id.map(|id| view! { <a href=format!("/risks/{id}")>{e.risk_number.clone().unwrap_or_default()}</a> })}" "{e.risk_name.clone().unwrap_or_default()}</td> })}
                            <td>{i18n.t(reason_key(&e.reason))}{(!e.detail.is_empty()).then(|| view! { <br/><small>{e.detail.clone()}</small> })}</td>
                            <td>{if e.to_level.is_some() {
                                view! { {level_badge(&e.from_level)}" → "{level_badge(&e.to_level)} }.into_any()
                            } else {
                                view! { <span class="muted">"—"</span> }.into_any()
                            }}</td>
                            <td>{e.escalated_to_name.clone()}</td>
                            <td>{format_in(e.escalated_at, &tz)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A risk's escalations and indicator links, on the risk's page.
#[component]
pub fn RiskEscalations(risk_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || risk_id, risk_escalations);
    view! {
        <section class="card" data-testid="risk-escalations">
            <h2>{i18n.t(K::RiskMonEscalations)}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! {
                            {v.suggestion.clone().map(|(l, note)| view! {
                                <div class="alert alert-warn" role="status" data-testid="likelihood-suggestion">
                                    <strong>{move || i18n.lang().tf(K::RiskMonSuggestion, &[("likelihood", l.to_string())])}</strong>
                                    <p>{note}</p>
                                </div>
                            })}
                            {(!v.indicators.is_empty()).then(|| view! {
                                <p>{i18n.t(K::RiskMonBoundIndicators)}" "
                                    {v.indicators.iter().map(|ind| {
                                        let ind = ind.clone();
                                        let id = ind.id;
                                        let st = ind.status();
                                        view! { <a href=format!("/risks/indicators/{id}")>{move || ind.name(i18n.lang())}</a>" "{status_badge(st)}" " }
                                    }).collect_view()}
                                </p>
                            })}
                            {if v.escalations.is_empty() {
                                view! { <Empty label=K::RiskMonNoEscalations/> }.into_any()
                            } else {
                                escalation_rows(&v.escalations, &v.time_zone, false).into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

// ----- reports -----

/// /risks/reports: department risk reports (5.3-b) and company risk warning
/// reports (5.3-c), with the forms to create them.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateDepartmentReport>::new();
    let issue = ServerAction::<IssueWarningReport>::new();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        ReportsQuery { period: g("period"), department: g("department"), after: g("after"), wafter: g("wafter") }
    };
    let data = Resource::new(move || (query(), create.version().get(), issue.version().get()), |(q, _, _)| reports_page(q));
    view! {
        <div class="page-head"><h1>{i18n.t(K::RiskSectionReports)}</h1></div>
        <RiskTabs current=Section::Reports/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let q = query();
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <ReportsBody v=v q=q create=create issue=issue/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportsBody(v: ReportsView, q: ReportsQuery, create: ServerAction<CreateDepartmentReport>, issue: ServerAction<IssueWarningReport>) -> impl IntoView {
    let i18n = use_i18n();
    let tz = v.time_zone.clone();
    let tz2 = tz.clone();
    let departments = v.departments.clone();
    let cerr = action_error(create);
    let ierr = action_error(issue);
    let (month_a, month_b) = (v.this_month.clone(), v.this_month.clone());
    let wnext = v.warning_reports.next.clone().map(|c| {
        let mut p = vec![];
        if !q.period.is_empty() {
            p.push(("period".to_string(), q.period.clone()));
        }
        if !q.department.is_empty() {
            p.push(("department".to_string(), q.department.clone()));
        }
        p.push(("wafter".to_string(), c));
        crate::core::ui::href_with("/risks/reports", &p)
    });
    view! {
        <form method="get" action="/risks/reports" class="filters" role="search">
            <label>{i18n.t(K::RiskMonPeriod)}<input type="month" name="period" value=q.period.clone()/></label>
            <label>{i18n.t(K::RiskMonDepartment)}
                <select name="department">
                    <option value="">{i18n.t(K::RiskMonAllDepartments)}</option>
                    {departments.iter().map(|(id, zh, en)| {
                        let sel = q.department == id.to_string();
                        let (zh, en) = (zh.clone(), en.clone());
                        view! { <option value=*id selected=sel>{move || if i18n.lang() == Lang::Zh { zh.clone() } else { en.clone() }}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonSearch)}</button>
            <a href="/risks/reports" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <div class="report-forms">
            {v.can_create.then(|| view! {
                <section class="card" data-testid="dept-report-form">
                    <h2>{i18n.t(K::RiskMonNewDeptReport)}</h2>
                    <FormError error=cerr/>
                    <ActionForm action=create attr:class="form">
                        <input type="hidden" name="id" value="dept-report"/>
                        <label for="dr-period">{i18n.t(K::RiskMonPeriod)}</label>
                        <input id="dr-period" type="month" name="period" value=echoed(Some("dept-report"), "period", month_a.clone())/>
                        <FieldMsg error=cerr field="period"/>
                        <label for="dr-summary">{i18n.t(K::RiskMonSummary)}</label>
                        <textarea id="dr-summary" name="summary" rows="3">{echoed(Some("dept-report"), "summary", "")}</textarea>
                        <FieldMsg error=cerr field="summary"/>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" data-testid="dept-report-create" disabled=move || create.pending().get()>{i18n.t(K::RiskMonCreateDraft)}</button>
                        </div>
                    </ActionForm>
                </section>
            })}
            {v.can_issue.then(|| view! {
                <section class="card" data-testid="warning-form">
                    <h2>{i18n.t(K::RiskMonIssueWarning)}</h2>
                    <p class="hint">{i18n.t(K::RiskMonIssueWarningHint)}</p>
                    <FormError error=ierr/>
                    <ActionForm action=issue attr:class="form">
                        <input type="hidden" name="id" value="warning"/>
                        <label for="wr-period">{i18n.t(K::RiskMonPeriod)}</label>
                        <input id="wr-period" type="month" name="period" value=echoed(Some("warning"), "period", month_b.clone())/>
                        <FieldMsg error=ierr field="period"/>
                        <label for="wr-summary">{i18n.t(K::RiskMonSummary)}</label>
                        <textarea id="wr-summary" name="summary" rows="3" data-testid="warning-summary">{echoed(Some("warning"), "summary", "")}</textarea>
                        <FieldMsg error=ierr field="summary"/>
                        <label for="wr-rec">{i18n.t(K::RiskMonRecommendations)}</label>
                        <textarea id="wr-rec" name="recommendations" rows="3">{echoed(Some("warning"), "recommendations", "")}</textarea>
                        <FieldMsg error=ierr field="recommendations"/>
                        <div class="form-actions">
                            <ConfirmAction label=K::RiskMonIssue question=K::RiskMonIssueQuestion>
                                <button type="submit" class="btn btn-primary" data-testid="warning-issue" disabled=move || issue.pending().get()>{i18n.t(K::CommonConfirm)}</button>
                            </ConfirmAction>
                        </div>
                    </ActionForm>
                </section>
            })}
        </div>
        <section data-testid="dept-reports">
            <h2>{i18n.t(K::RiskMonDeptReports)}</h2>
            {if v.department_reports.total == 0 {
                view! { <Empty label=K::RiskMonNoDeptReports/> }.into_any()
            } else {
                view! {
                    <DataTable path="/risks/reports" total=v.department_reports.total next=v.department_reports.next.clone()
                        head=view! {
                            <th>{i18n.t(K::RiskMonDepartment)}</th>
                            <th>{i18n.t(K::RiskMonPeriod)}</th>
                            <th>{i18n.t(K::RiskMonStatus)}</th>
                            <th>{i18n.t(K::RiskMonSubmitted)}</th>
                        }.into_any()>
                        {v.department_reports.rows.iter().map(|r| {
                            let d = r.clone();
                            let submitted = r.submitted_at.map(|t| format!("{} {}", r.submitted_by_name.clone().unwrap_or_default(), format_in(t, &tz))).unwrap_or_else(|| "—".into());
                            view! {
                                <tr data-testid="dept-report-row">
                                    <td><a href=format!("/risks/reports/department/{}", r.id)>{move || d.department(i18n.lang()).to_string()}</a></td>
                                    <td>{r.period.clone()}</td>
                                    <td>{if r.status == "submitted" {
                                        view! { <Badge tone=Tone::Good label=K::RiskMonStatusSubmitted/> }.into_any()
                                    } else {
                                        view! { <Badge tone=Tone::Neutral label=K::RiskMonStatusDraft/> }.into_any()
                                    }}</td>
                                    <td>{submitted}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
        {v.sees_warnings.then(|| view! {
            <section data-testid="warning-reports">
                <h2>{i18n.t(K::RiskMonWarningReports)}</h2>
                {if v.warning_reports.total == 0 {
                    view! { <Empty label=K::RiskMonNoWarningReports/> }.into_any()
                } else {
                    view! {
                        <div class="table-tools"><span class="count">{move || i18n.lang().tf(K::TableTotal, &[("n", v.warning_reports.total.to_string())])}</span></div>
                        <div class="table-wrap">
                            <table class="data">
                                <thead><tr>
                                    <th>{i18n.t(K::RiskMonNumber)}</th>
                                    <th>{i18n.t(K::RiskMonPeriod)}</th>
                                    <th>{i18n.t(K::RiskMonIssuedBy)}</th>
                                    <th>{i18n.t(K::RiskMonIssuedAt)}</th>
                                </tr></thead>
                                <tbody>
                                    {v.warning_reports.rows.iter().map(|w| view! {
                                        <tr data-testid="warning-row">
                                            <td><a href=format!("/risks/reports/warning/{}", w.id)>{w.number.clone()}</a></td>
                                            <td>{w.period.clone()}</td>
                                            <td>{w.issued_by_name.clone()}</td>
                                            <td>{format_in(w.issued_at, &tz2)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <nav class="pager">{wnext.clone().map(|h| view! { <a class="btn btn-small" href=h>{i18n.t(K::RiskMonOlder)}</a> })}</nav>
                    }.into_any()
                }}
            </section>
        })}
    }
}

fn print_button() -> impl IntoView {
    let i18n = use_i18n();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = leptos::prelude::window().print();
        }
    };
    view! { <button type="button" class="btn btn-primary" data-testid="print" on:click=print>{i18n.t(K::RiskMonPrint)}</button> }
}

fn level_table(counts: &LevelCounts, unassessed: Option<i64>) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let counts = counts.clone();
    let total: i64 = counts.iter().map(|c| c.1).sum::<i64>() + unassessed.unwrap_or(0);
    view! {
        <table class="data level-counts" data-testid="level-counts">
            <thead><tr>
                {counts.iter().map(|(code, _)| {
                    let l = Level::parse(code);
                    view! { <th class="num">{l.map(|l| view! { <LevelBadge level=l/> })}</th> }
                }).collect_view()}
                {unassessed.map(|_| view! { <th class="num">{i18n.t(K::RiskMonUnassessed)}</th> })}
                <th class="num">{i18n.t(K::RiskMonTotal)}</th>
            </tr></thead>
            <tbody><tr>
                {counts.iter().map(|(code, n)| view! { <td class="num" data-level=code.clone()>{*n}</td> }).collect_view()}
                {unassessed.map(|n| view! { <td class="num">{n}</td> })}
                <td class="num">{total}</td>
            </tr></tbody>
        </table>
    }
}

fn risk_list(rows: &[RiskRef]) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let rows = rows.to_vec();
    view! {
        <table class="data">
            <thead><tr><th>{i18n.t(K::RiskMonRisk)}</th><th class="num">{i18n.t(K::RiskMonScore)}</th><th>{i18n.t(K::RiskMonLevel)}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/risks/{}", r.id)>{r.number.clone()}</a>" "{r.name.clone()}</td>
                        <td class="num">{r.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{level_badge(&r.level)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn change_list(rows: &[LevelChange]) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let rows = rows.to_vec();
    view! {
        <table class="data">
            <thead><tr><th>{i18n.t(K::RiskMonRisk)}</th><th>{i18n.t(K::RiskMonLevels)}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|c| view! {
                    <tr>
                        <td><a href=format!("/risks/{}", c.id)>{c.number.clone()}</a>" "{c.name.clone()}</td>
                        <td>{level_badge(&c.from)}" → "{level_badge(&Some(c.to.clone()))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn measure_list(rows: &[OverdueMeasure], total: i64) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let rows = rows.to_vec();
    let shown = rows.len() as i64;
    view! {
        <table class="data" data-testid="overdue-measures">
            <thead><tr><th>{i18n.t(K::RiskMonRisk)}</th><th>{i18n.t(K::RiskMonAction)}</th><th>{i18n.t(K::RiskMonOwner)}</th><th>{i18n.t(K::RiskMonDueOn)}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|m| view! {
                    <tr>
                        <td><a href=format!("/risks/{}", m.risk_id)>{m.risk_number.clone()}</a></td>
                        <td>{m.action.clone()}</td>
                        <td>{m.owner.clone()}</td>
                        <td>{m.due_on.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(total > shown).then(|| view! { <p class="hint">{move || i18n.lang().tf(K::RiskMonShownOf, &[("shown", shown.to_string()), ("total", total.to_string())])}</p> })}
    }
}

/// /risks/reports/department/:id: a department report (5.3-b), printable; the
/// department's manager submits the draft.
#[component]
pub fn DepartmentReportPage() -> impl IntoView {
    let submit = ServerAction::<SubmitDepartmentReport>::new();
    let data = Resource::new(move || (param_id(), submit.version().get()), |(id, _)| async move {
        match id {
            Some(id) => department_report(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <DeptReportDoc v=v submit=submit/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeptReportDoc(v: DeptReportView, submit: ServerAction<SubmitDepartmentReport>) -> impl IntoView {
    let i18n = use_i18n();
    let s = v.snapshot.clone();
    let tz = v.time_zone.clone();
    let err = action_error(submit);
    let d = v.clone();
    let submitted = v.status == "submitted";
    view! {
        <article class="report" data-testid="dept-report">
            <div class="page-head no-print">
                <a class="btn" href="/risks/reports">{i18n.t(K::RiskMonBackToReports)}</a>
                {print_button()}
            </div>
            <header class="report-head">
                <h1>{i18n.t(K::RiskMonDeptReportTitle)}</h1>
                <p>
                    <strong data-testid="report-department">{move || if i18n.lang() == Lang::Zh { d.department_zh.clone() } else { d.department_en.clone() }}</strong>
                    " · "{i18n.t(K::RiskMonPeriod)}" "<span data-testid="report-period">{v.period.clone()}</span>" · "
                    {if submitted {
                        view! { <Badge tone=Tone::Good label=K::RiskMonStatusSubmitted/> }.into_any()
                    } else {
                        view! { <Badge tone=Tone::Neutral label=K::RiskMonStatusDraft/> }.into_any()
                    }}
                </p>
                {v.submitted_at.map(|t| view! { <p>{i18n.t(K::RiskMonSubmitted)}" "{v.submitted_by_name.clone().unwrap_or_default()}" "{format_in(t, &tz)}</p> })}
                {s.taken_at.map(|t| view! { <p class="muted">{i18n.t(K::RiskMonFiguresAsOf)}" "{format_in(t, &tz)}</p> })}
            </header>
            <section>
                <h2>{i18n.t(K::RiskMonSecLevels)}</h2>
                {level_table(&s.by_level, Some(s.unassessed))}
                <dl class="kv">
                    <dt>{i18n.t(K::RiskMonNewRisks)}</dt><dd data-testid="new-risks">{s.new_risks}</dd>
                    <dt>{i18n.t(K::RiskMonClosedRisks)}</dt><dd data-testid="closed-risks">{s.closed_risks}</dd>
                </dl>
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecLevelChanges)}</h2>
                {if s.level_changes.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { change_list(&s.level_changes).into_any() }}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecTop10)}</h2>
                {if s.top.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { risk_list(&s.top).into_any() }}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecOverdueMeasures)}</h2>
                {if s.overdue_measures.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { measure_list(&s.overdue_measures, s.overdue_measures_total).into_any() }}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecEscalations)}</h2>
                {if s.escalations.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { escalation_rows(&s.escalations, &tz, true).into_any() }}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSummary)}</h2>
                {if v.can_submit {
                    view! {
                        <FormError error=err/>
                        <ActionForm action=submit attr:class="form" attr:data-testid="dept-report-submit-form">
                            <input type="hidden" name="id" value=v.id/>
                            <input type="hidden" name="version" value=v.version/>
                            <textarea name="summary" rows="5" aria-label=move || i18n.get(K::RiskMonSummary)>{echoed(Some(&v.id.to_string()), "summary", v.summary.clone())}</textarea>
                            <FieldMsg error=err field="summary"/>
                            <div class="form-actions">
                                <ConfirmAction label=K::RiskMonSubmit question=K::RiskMonSubmitQuestion>
                                    <button type="submit" class="btn btn-primary" data-testid="dept-report-submit">{i18n.t(K::CommonConfirm)}</button>
                                </ConfirmAction>
                            </div>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p class="pre" data-testid="report-summary">{v.summary.clone()}</p> }.into_any()
                }}
            </section>
        </article>
    }
}

fn group_table(rows: &[crate::risk::monitoring::model::GroupCount], first: K) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let rows = rows.to_vec();
    view! {
        <table class="data">
            <thead><tr>
                <th>{i18n.t(first)}</th>
                {Level::ALL.iter().map(|l| view! { <th class="num"><LevelBadge level=*l/></th> }).collect_view()}
                <th class="num">{i18n.t(K::RiskMonTotal)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|g| {
                    let total = g.total();
                    let n = g.clone();
                    view! {
                        <tr>
                            <td>{move || n.name(i18n.lang()).to_string()}</td>
                            {g.by_level.iter().map(|(_, c)| view! { <td class="num">{*c}</td> }).collect_view()}
                            <td class="num">{total}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// /risks/reports/warning/:id: the company risk warning report (5.3-c) from
/// its frozen snapshot, labels in the reader's language; printable A4.
#[component]
pub fn WarningReportPage() -> impl IntoView {
    let data = Resource::new(param_id, |id| async move {
        match id {
            Some(id) => warning_report(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <WarningDoc v=v/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WarningDoc(v: WarningView) -> impl IntoView {
    let i18n = use_i18n();
    let s = v.snapshot.clone();
    let tz = v.time_zone.clone();
    let c = s.changes.clone();
    let cell = |kind: AssessmentKind| move |l: i64, imp: i64| format!("/risks?kind={}&l={l}&i={imp}", kind.code());
    view! {
        <article class="report warning-report" data-testid="warning-report">
            <div class="page-head no-print">
                <a class="btn" href="/risks/reports">{i18n.t(K::RiskMonBackToReports)}</a>
                {print_button()}
            </div>
            <header class="report-head">
                <h1>{i18n.t(K::RiskMonWarningTitle)}</h1>
                <p>
                    {i18n.t(K::RiskMonNumber)}" "<strong data-testid="report-number">{v.number.clone()}</strong>
                    " · "{i18n.t(K::RiskMonPeriod)}" "{v.period.clone()}
                    " · "{i18n.t(K::RiskMonIssuedAt)}" "{format_date_in(v.issued_at, &tz)}" "{v.issued_by_name.clone()}
                </p>
            </header>
            <section>
                <h2>{i18n.t(K::RiskMonSummary)}</h2>
                <p class="pre" data-testid="report-summary">{v.summary.clone()}</p>
            </section>
            <section class="heatmaps">
                <h2>{i18n.t(K::RiskMonSecHeatMaps)}</h2>
                <div class="heatmap-pair">
                    <HeatMap data=s.inherent.clone() href=cell(AssessmentKind::Inherent)/>
                    <HeatMap data=s.residual.clone() href=cell(AssessmentKind::Residual)/>
                </div>
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecLevels)}</h2>
                {level_table(&s.by_level, None)}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecByCategory)}</h2>
                {group_table(&s.by_category, K::RiskMonCategory)}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecByDepartment)}</h2>
                {group_table(&s.by_department, K::RiskMonDepartment)}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecTop20)}</h2>
                {if s.top.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { risk_list(&s.top).into_any() }}
            </section>
            <section data-testid="changes">
                <h2>{i18n.t(K::RiskMonSecChanges)}</h2>
                {match (c.since, c.since_number.clone()) {
                    (Some(t), Some(n)) => {
                        let when = format_date_in(t, &tz);
                        let (rose_n, fell_n) = (c.rose.len(), c.fell.len());
                        view! {
                            <p class="hint">{move || i18n.lang().tf(K::RiskMonChangesSince, &[("number", n.clone()), ("date", when.clone())])}</p>
                            <h3>{move || i18n.lang().tf(K::RiskMonNewRisksN, &[("n", c.new_total.to_string())])}</h3>
                            {(!c.new.is_empty()).then(|| risk_list(&c.new))}
                            <h3>{move || i18n.lang().tf(K::RiskMonRoseN, &[("n", rose_n.to_string())])}</h3>
                            {(!c.rose.is_empty()).then(|| change_list(&c.rose))}
                            <h3>{move || i18n.lang().tf(K::RiskMonFellN, &[("n", fell_n.to_string())])}</h3>
                            {(!c.fell.is_empty()).then(|| change_list(&c.fell))}
                            <h3>{move || i18n.lang().tf(K::RiskMonClosedN, &[("n", c.closed_total.to_string())])}</h3>
                            {(!c.closed.is_empty()).then(|| risk_list(&c.closed))}
                        }.into_any()
                    }
                    _ => view! { <p class="hint">{i18n.t(K::RiskMonFirstReport)}</p> }.into_any(),
                }}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecBreached)}</h2>
                {if s.breached.is_empty() {
                    view! { <Empty label=K::RiskMonNone/> }.into_any()
                } else {
                    view! {
                        <table class="data" data-testid="breached">
                            <thead><tr><th>{i18n.t(K::RiskMonIndicator)}</th><th class="num">{i18n.t(K::RiskMonValue)}</th><th class="num">{i18n.t(K::RiskMonBreach)}</th><th>{i18n.t(K::RiskMonLinkedRisk)}</th></tr></thead>
                            <tbody>
                                {s.breached.iter().map(|b| {
                                    let k = KriCode::parse(&b.code);
                                    let unit = k.map(|k| k.unit()).unwrap_or(Unit::Count);
                                    view! {
                                        <tr>
                                            <td>{k.map(|k| i18n.t(k.key()))}</td>
                                            <td class="num">{format_value(unit, b.value)}</td>
                                            <td class="num">{format_value(unit, b.breach_threshold)}</td>
                                            <td>{b.risk_number.clone().unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>{i18n.t(K::RiskMonSecOverdueMeasures)}</h2>
                {if s.overdue_measures.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { measure_list(&s.overdue_measures, s.overdue_measures_total).into_any() }}
            </section>
            <section>
                <h2>{move || i18n.lang().tf(K::RiskMonEscalationsN, &[("n", s.escalations_total.to_string())])}</h2>
                {if s.escalations.is_empty() { view! { <Empty label=K::RiskMonNone/> }.into_any() } else { escalation_rows(&s.escalations, &tz, true).into_any() }}
            </section>
            <section class="report-conclusion">
                <h2>{i18n.t(K::RiskMonRecommendations)}</h2>
                <p class="pre">{v.recommendations.clone()}</p>
                <p class="signature">{i18n.t(K::RiskMonSignature)}</p>
            </section>
        </article>
    }
}
