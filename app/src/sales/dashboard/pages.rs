//! /sales/dashboard: the executives' view of the pipeline.
use super::api::*;
use super::model::*;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::ui::{Chart, Empty, ErrorBox, FieldMsg, FormError, Loading, action_error};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn yuan_f(minor: i64) -> f64 {
    minor as f64 / 100.0
}

/// Funnel of the open stages by amount (built in shared code so the server can test its JSON).
pub fn funnel_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::Legend;
    use charming::element::{Tooltip, Trigger};
    use charming::series::Funnel;
    let data: Vec<(f64, String)> =
        d.stages.iter().filter(|s| s.kind == "open").map(|s| (yuan_f(s.amount_minor), s.name(lang).to_string())).collect();
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom("0"))
        .series(Funnel::new().name(lang.t(K::DashAmount)).left("10%").width("80%").data(data))
}

pub fn months_chart(d: &Dashboard, lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Legend};
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::{Bar, Line};
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .x_axis(Axis::new().type_(AxisType::Category).data(d.months.iter().map(|m| m.month.clone()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(Bar::new().name(lang.t(K::DashWon)).data(d.months.iter().map(|m| yuan_f(m.won_minor)).collect::<Vec<f64>>()))
        .series(Line::new().name(lang.t(K::DashTarget)).data(d.months.iter().map(|m| yuan_f(m.target_minor)).collect::<Vec<f64>>()))
}

pub fn win_rate_chart(rows: &[PerfFigure], lang: Lang) -> charming::Chart {
    use charming::component::Axis;
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Bar;
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(Axis::new().type_(AxisType::Category).data(rows.iter().map(|r| r.name(lang).to_string()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value).max(100).name("%"))
        .series(Bar::new().name(lang.t(K::DashWinRate)).data(rows.iter().map(|r| r.win_rate_pct().unwrap_or(0)).collect::<Vec<i64>>()))
}

fn ageing_rows(a: &AgeingFigure) -> [(K, i64); 5] {
    [
        (K::DashAgeNotDue, a.not_due),
        (K::DashAge030, a.d0_30),
        (K::DashAge3160, a.d31_60),
        (K::DashAge6190, a.d61_90),
        (K::DashAgeOver90, a.over_90),
    ]
}

pub fn ageing_chart(a: &AgeingFigure, lang: Lang) -> charming::Chart {
    use charming::component::Axis;
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Bar;
    let rows = ageing_rows(a);
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(Axis::new().type_(AxisType::Category).data(rows.iter().map(|r| lang.t(r.0).to_string()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(Bar::new().name(lang.t(K::DashOutstanding)).data(rows.iter().map(|r| yuan_f(r.1)).collect::<Vec<f64>>()))
}

fn days(v: Option<f64>) -> String {
    v.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())
}

#[component]
pub fn SalesDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let target = ServerAction::<SetSalesTarget>::new();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        DashQuery { from: g("from"), to: g("to"), department: g("department"), owner: g("owner") }
    };
    let data = Resource::new(move || (query(), target.version().get()), |(q, _)| sales_dashboard(q));
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavSalesDashboard)}</h1>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(page) => view! { <DashboardView page=page target=target/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(page: DashPage, target: ServerAction<SetSalesTarget>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let d = page.data.clone();
    let f = d.filter.clone();
    let t = |k: K| lang.t(k).to_string();
    let amount_heads = vec![t(K::DashStage), t(K::DashCount), t(K::DashAmount), t(K::DashWeighted), t(K::DashProbability)];
    let stage_rows: Vec<Vec<String>> = d
        .stages
        .iter()
        .map(|s| {
            vec![
                s.name(lang).to_string(),
                s.count.to_string(),
                yuan(s.amount_minor),
                if s.kind == "open" { yuan(s.weighted_minor()) } else { "—".into() },
                format!("{}%", s.probability),
            ]
        })
        .collect();
    let open_count: i64 = d.stages.iter().filter(|s| s.kind == "open").map(|s| s.count).sum();
    let open_amount: i64 = d.stages.iter().filter(|s| s.kind == "open").map(|s| s.amount_minor).sum();
    let open_weighted: i64 = d.stages.iter().filter(|s| s.kind == "open").map(|s| s.weighted_minor()).sum();
    let won_total: i64 = d.months.iter().map(|m| m.won_minor).sum();
    let target_total: i64 = d.months.iter().map(|m| m.target_minor).sum();
    let month_rows: Vec<Vec<String>> = d
        .months
        .iter()
        .map(|m| {
            let pct = if m.target_minor > 0 { format!("{}%", (m.won_minor as i128 * 100 / m.target_minor as i128)) } else { "—".into() };
            vec![m.month.clone(), m.won_count.to_string(), yuan(m.won_minor), yuan(m.target_minor), pct]
        })
        .collect();
    let perf_heads = |first: K| vec![t(first), t(K::DashWonCount), t(K::DashLostCount), t(K::DashWinRate), t(K::DashWonAmount), t(K::DashCycleDays)];
    let perf_rows = |rows: &[PerfFigure]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                vec![
                    r.name(lang).to_string(),
                    r.won.to_string(),
                    r.lost.to_string(),
                    r.win_rate_pct().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
                    yuan(r.won_minor),
                    days(r.avg_cycle_days),
                ]
            })
            .collect()
    };
    let review_rows: Vec<Vec<String>> = d
        .reviews
        .iter()
        .map(|r| vec![match lang { Lang::Zh => r.name_zh.clone(), Lang::En => r.name_en.clone() }, r.decided.to_string(), days(r.avg_days), r.pending.to_string()])
        .collect();
    let ageing_table: Vec<Vec<String>> = ageing_rows(&d.ageing).iter().map(|(k, v)| vec![t(*k), yuan(*v)]).collect();
    let deal_table = move |rows: Vec<DealFigure>, testid: &'static str| {
        if rows.is_empty() {
            return view! { <Empty label=K::DashNoDeals/> }.into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="data" data-testid=testid>
                    <thead><tr>
                        <th>{i18n.t(K::DashDeal)}</th><th>{i18n.t(K::DashCustomer)}</th><th>{i18n.t(K::DashOwner)}</th>
                        <th>{i18n.t(K::DashStage)}</th><th class="num">{i18n.t(K::DashAmount)}</th><th>{i18n.t(K::DashExpectedClose)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let stage = match lang { Lang::Zh => r.stage_zh.clone(), Lang::En => r.stage_en.clone() };
                            view! {
                                <tr>
                                    <td><a href=format!("/sales/opportunities/{}", r.id)>{r.title.clone()}</a></td>
                                    <td>{r.customer.clone()}</td><td>{r.owner.clone()}</td><td>{stage}</td>
                                    <td class="num">{yuan(r.amount_minor)}</td><td>{r.expected_close.to_string()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    let terr = action_error(target);
    let locked = page.department_locked;
    view! {
        <form method="get" action="/sales/dashboard" class="filters" role="search">
            <label>{i18n.t(K::CommonFrom)}<input type="month" name="from" value=f.from.format("%Y-%m").to_string()/></label>
            <label>{i18n.t(K::CommonTo)}<input type="month" name="to" value=f.to.format("%Y-%m").to_string()/></label>
            <label>{i18n.t(K::FieldDepartment)}
                <select name="department" disabled=locked>
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {page.departments.iter().map(|(id, zh, en)| {
                        let name = match lang { Lang::Zh => zh.clone(), Lang::En => en.clone() };
                        view! { <option value=*id selected=f.department_id == Some(*id)>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::DashOwner)}
                <select name="owner">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {page.owners.iter().map(|(id, name)| view! { <option value=*id selected=f.owner_id == Some(*id)>{name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href="/sales/dashboard" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <div class="kpis">
            <div class="kpi card"><span class="kpi-label">{i18n.t(K::DashOpenDeals)}</span><strong data-testid="kpi-open">{open_count}</strong></div>
            <div class="kpi card"><span class="kpi-label">{i18n.t(K::DashPipelineAmount)}</span><strong>{yuan(open_amount)}</strong></div>
            <div class="kpi card"><span class="kpi-label">{i18n.t(K::DashWeighted)}</span><strong>{yuan(open_weighted)}</strong></div>
            <div class="kpi card"><span class="kpi-label">{i18n.t(K::DashWonAmount)}</span><strong data-testid="kpi-won">{yuan(won_total)}</strong>
                {(target_total > 0).then(|| view! { <span class="muted">" / "{yuan(target_total)}</span> })}</div>
            <div class="kpi card"><span class="kpi-label">{i18n.t(K::DashSlipping)}</span><strong>{d.slipping_count}</strong><span class="muted">" "{yuan(d.slipping_minor)}</span></div>
            <div class="kpi card"><span class="kpi-label">{i18n.t(K::DashOverdueReceivables)}</span><strong>{yuan(d.ageing.overdue())}</strong></div>
        </div>
        <div class="dash-grid">
            <section class="card">
                <h2>{i18n.t(K::DashFunnel)}</h2>
                <Chart id="dash-funnel".to_string() chart=funnel_chart(&d, lang) caption=t(K::DashFunnelCaption) headers=amount_heads rows=stage_rows/>
            </section>
            <section class="card">
                <h2>{i18n.t(K::DashWonVsTarget)}</h2>
                <Chart id="dash-months".to_string() chart=months_chart(&d, lang) caption=t(K::DashWonVsTargetCaption)
                    headers=vec![t(K::DashMonth), t(K::DashWonCount), t(K::DashWon), t(K::DashTarget), t(K::DashAttainment)] rows=month_rows/>
            </section>
            <section class="card">
                <h2>{i18n.t(K::DashByOwner)}</h2>
                <Chart id="dash-owners".to_string() chart=win_rate_chart(&d.by_owner, lang) caption=t(K::DashByOwnerCaption)
                    headers=perf_heads(K::DashOwner) rows=perf_rows(&d.by_owner)/>
            </section>
            <section class="card">
                <h2>{i18n.t(K::DashByDepartment)}</h2>
                <Chart id="dash-departments".to_string() chart=win_rate_chart(&d.by_department, lang) caption=t(K::DashByDepartmentCaption)
                    headers=perf_heads(K::FieldDepartment) rows=perf_rows(&d.by_department)/>
            </section>
            <section class="card">
                <h2>{i18n.t(K::DashAgeing)}</h2>
                <Chart id="dash-ageing".to_string() chart=ageing_chart(&d.ageing, lang) caption=t(K::DashAgeingCaption)
                    headers=vec![t(K::DashBucket), t(K::DashOutstanding)] rows=ageing_table/>
            </section>
            <section class="card">
                <h2>{i18n.t(K::DashReviewTurnaround)}</h2>
                {if review_rows.is_empty() {
                    view! { <Empty label=K::DashNoReviews/> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data" data-testid="dash-reviews">
                            <thead><tr><th>{i18n.t(K::FieldDepartment)}</th><th>{i18n.t(K::DashReviewsDecided)}</th><th>{i18n.t(K::DashAvgDays)}</th><th>{i18n.t(K::DashReviewsPending)}</th></tr></thead>
                            <tbody>{review_rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>
        </div>
        <section class="card">
            <h2>{i18n.t(K::DashTopDeals)}</h2>
            {deal_table(d.top_deals.clone(), "dash-top-deals")}
        </section>
        <section class="card">
            <h2>{i18n.t(K::DashSlippingDeals)}</h2>
            <p class="muted">{move || i18n.lang().tf(K::DashSlippingSummary, &[("n", d.slipping_count.to_string()), ("amount", yuan(d.slipping_minor))])}</p>
            {deal_table(page.data.slipping.clone(), "dash-slipping")}
        </section>
        {page.can_set_targets.then(|| view! {
            <section class="card">
                <h2>{i18n.t(K::DashSetTarget)}</h2>
                <FormError error=terr/>
                <ActionForm action=target attr:class="form form-inline">
                    <label for="target-month">{i18n.t(K::DashMonth)}</label>
                    <input id="target-month" name="month" type="month" required value=format!("{}", f.from.format("%Y-%m"))/>
                    <FieldMsg error=terr field="month"/>
                    <label for="target-department">{i18n.t(K::FieldDepartment)}</label>
                    <select id="target-department" name="department">
                        <option value="">{i18n.t(K::DashWholeCompany)}</option>
                        {page.departments.iter().map(|(id, zh, en)| {
                            let name = match lang { Lang::Zh => zh.clone(), Lang::En => en.clone() };
                            view! { <option value=*id>{name}</option> }
                        }).collect_view()}
                    </select>
                    <label for="target-amount">{i18n.t(K::DashTargetAmount)}</label>
                    <input id="target-amount" name="amount" inputmode="decimal" required/>
                    <FieldMsg error=terr field="amount"/>
                    <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                </ActionForm>
            </section>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn charts_carry_the_figures() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let d = Dashboard {
            filter: DashFilter::default_for(day),
            stages: vec![StageFigure { code: "proposal".into(), name_zh: "方案报价".into(), name_en: "Proposal".into(), kind: "open".into(), probability: 60, count: 3, amount_minor: 123_400 }],
            months: vec![MonthFigure { month: "2026-01".into(), won_count: 2, won_minor: 500_000, target_minor: 800_000 }],
            by_owner: vec![],
            by_department: vec![],
            top_deals: vec![],
            slipping: vec![],
            slipping_count: 0,
            slipping_minor: 0,
            reviews: vec![],
            ageing: AgeingFigure::default(),
        };
        let funnel = funnel_chart(&d, Lang::En).to_string();
        assert!(funnel.contains("Proposal") && funnel.contains("1234"), "{funnel}");
        let months = months_chart(&d, Lang::Zh).to_string();
        assert!(months.contains("2026-01") && months.contains("5000") && months.contains("8000"), "{months}");
    }
}
