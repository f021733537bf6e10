//! /risks/dashboard: the risk dashboard for executives, the risk department
//! and managers (their department): counts by level, the inherent and
//! residual heat maps as grids (each cell opens the register filtered to it),
//! risks by category and by department, the trend of high and critical risks,
//! and the indicator gauges, receivables ageing and credit-limit breaches.
//! Every chart has the same figures as a table beside it.
use super::api::*;
use super::model::*;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::ui::{Chart, Empty, ErrorBox, Loading};
use crate::core::error::AppError;
use crate::risk::credit::model::{AgeingReport, Breach};
use crate::risk::credit::pages::{AgeingSummary, BreachList, ageing_summary_resource, breaches_resource};
use crate::risk::model::{AssessmentKind, Level};
use crate::risk::monitoring::api::IndicatorsView;
use crate::risk::monitoring::pages::{IndicatorGauges, gauges_resource};
use crate::risk::pages::{HeatMap, RiskTabs, Section};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Colours of the levels in charts (as the heat map's cells, a shade stronger).
pub fn level_colour(level: Level) -> &'static str {
    match level {
        Level::Low => "#3f9e63",
        Level::Medium => "#d9ae1c",
        Level::High => "#e8811f",
        Level::Critical => "#c0392b",
    }
}

fn group_name(lang: Lang, g: &GroupRow) -> String {
    match lang {
        Lang::Zh => g.name_zh.clone(),
        Lang::En => g.name_en.clone(),
    }
}

/// Groups (categories or departments) as bars stacked by level.
pub fn stacked_chart(rows: &[GroupRow], lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Grid, Legend};
    use charming::element::{AxisLabel, AxisType, ItemStyle, Tooltip, Trigger};
    use charming::series::Bar;
    let mut chart = charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .grid(Grid::new().left("2%").right("4%").top("6%").bottom("16%").contain_label(true))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .axis_label(AxisLabel::new().interval(0).rotate(if rows.len() > 6 { 30 } else { 0 }))
                .data(rows.iter().map(|g| group_name(lang, g)).collect()),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1));
    for level in Level::ALL {
        chart = chart.series(
            Bar::new()
                .name(lang.t(level.key()))
                .stack("level")
                .item_style(ItemStyle::new().color(level_colour(level)))
                .data(rows.iter().map(|g| g.counts.get(level)).collect::<Vec<i64>>()),
        );
    }
    chart
}

/// High and critical risks per month (lines).
pub fn trend_chart(points: &[TrendPoint], lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Grid, Legend};
    use charming::element::{AxisType, ItemStyle, LineStyle, Tooltip, Trigger};
    use charming::series::Line;
    let line = |level: Level, get: fn(&TrendPoint) -> i64| {
        Line::new()
            .name(lang.t(level.key()))
            .item_style(ItemStyle::new().color(level_colour(level)))
            .line_style(LineStyle::new().color(level_colour(level)).width(2))
            .data(points.iter().map(get).collect::<Vec<i64>>())
    };
    charming::Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom("0"))
        .grid(Grid::new().left("2%").right("4%").top("6%").bottom("14%").contain_label(true))
        .x_axis(Axis::new().type_(AxisType::Category).data(points.iter().map(|p| p.period.clone()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(line(Level::High, |p| p.high))
        .series(line(Level::Critical, |p| p.critical))
}

/// The table rows of a stacked chart: name, one column per level, total.
fn group_rows(rows: &[GroupRow], lang: Lang) -> Vec<Vec<String>> {
    rows.iter()
        .map(|g| {
            let mut r = vec![group_name(lang, g)];
            r.extend(Level::ALL.iter().map(|l| g.counts.get(*l).to_string()));
            r.push(g.counts.total().to_string());
            r
        })
        .collect()
}

#[component]
pub fn RiskDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        DashQuery { department: q.get("department").unwrap_or_default(), category: q.get("category").unwrap_or_default() }
    };
    let data = Resource::new(query, risk_dashboard);
    // The panels' data starts loading now, beside the dashboard's, not after it.
    let panels = Panels { gauges: gauges_resource(), ageing: ageing_summary_resource(), breaches: breaches_resource() };
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavRiskDashboard)}</h1>
        </div>
        <RiskTabs current=Section::Dashboard/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let lang = i18n.lang();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(page) => view! { <DashboardView page=page lang=lang panels=panels/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The resources of the panels under the charts (indicators, ageing, customers over their limit).
#[derive(Clone, Copy)]
struct Panels {
    gauges: Resource<Result<IndicatorsView, AppError>>,
    ageing: Resource<Result<AgeingReport, AppError>>,
    breaches: Resource<Result<(Vec<Breach>, i64), AppError>>,
}

#[component]
fn DashboardView(page: DashPage, lang: Lang, panels: Panels) -> impl IntoView {
    let d = page.data.clone();
    let f = d.filter.clone();
    let t = |k: K| lang.t(k).to_string();
    let b = d.bands;
    let bands_text = lang.tf(
        K::RiskDashBands,
        &[
            ("medium", b.medium.to_string()),
            ("high_less", (b.high - 1).to_string()),
            ("high", b.high.to_string()),
            ("critical_less", (b.critical - 1).to_string()),
            ("critical", b.critical.to_string()),
        ],
    );
    let mut level_heads = vec![String::new()];
    level_heads.extend(Level::ALL.iter().map(|l| t(l.key())));
    level_heads.push(t(K::RiskDashTotal));
    let cat_heads = {
        let mut h = level_heads.clone();
        h[0] = t(K::RiskDashCategory);
        h
    };
    let dept_heads = {
        let mut h = level_heads.clone();
        h[0] = t(K::FieldDepartment);
        h
    };
    let trend_rows: Vec<Vec<String>> =
        d.trend.iter().map(|p| vec![p.period.clone(), p.high.to_string(), p.critical.to_string(), (p.high + p.critical).to_string()]).collect();
    let open = d.levels.total() + d.unassessed;
    let (fi, fr) = (f.clone(), f.clone());
    let nothing = open == 0;
    view! {
        <form method="get" action="/risks/dashboard" class="filters" role="search">
            <label>{t(K::FieldDepartment)}
                <select name="department">
                    <option value="">{t(K::CommonAll)}</option>
                    {page.departments.iter().map(|(id, zh, en)| {
                        let name = match lang { Lang::Zh => zh.clone(), Lang::En => en.clone() };
                        view! { <option value=*id selected=f.department_id == Some(*id)>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{t(K::RiskDashCategory)}
                <select name="category">
                    <option value="">{t(K::CommonAll)}</option>
                    {page.categories.iter().map(|(id, zh, en)| {
                        let name = match lang { Lang::Zh => zh.clone(), Lang::En => en.clone() };
                        view! { <option value=*id selected=f.category_id == Some(*id)>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn">{t(K::CommonFilter)}</button>
            <a href="/risks/dashboard" class="btn btn-link">{t(K::CommonReset)}</a>
        </form>
        {(!page.company_wide).then(|| view! { <p class="muted" data-testid="rd-own-scope">{t(K::RiskDashOwnScope)}</p> })}
        <div class="kpis">
            <div class="kpi card"><span class="kpi-label">{t(K::RiskDashOpenRisks)}</span><strong data-testid="rd-open">{open}</strong></div>
            {Level::ALL.into_iter().rev().map(|l| view! {
                <div class=format!("kpi card kpi-{}", l.code())>
                    <span class="kpi-label">{t(l.key())}</span>
                    <strong data-testid=format!("rd-level-{}", l.code())>{d.levels.get(l)}</strong>
                </div>
            }).collect_view()}
            <div class="kpi card"><span class="kpi-label">{t(K::RiskDashUnassessed)}</span><strong data-testid="rd-unassessed">{d.unassessed}</strong></div>
        </div>
        <section class="card">
            <h2>{t(K::RiskDashHeatTitle)}</h2>
            <p class="muted">{t(K::RiskDashHeatHelp)}" "{bands_text}</p>
            <div class="risk-heatmaps">
                <HeatMap data=d.inherent.clone() href=move |l, i| cell_link(AssessmentKind::Inherent, l, i, &fi)/>
                <HeatMap data=d.residual.clone() href=move |l, i| cell_link(AssessmentKind::Residual, l, i, &fr)/>
            </div>
        </section>
        {if nothing {
            view! { <section class="card"><Empty label=K::RiskDashNone/></section> }.into_any()
        } else {
            view! {
                <div class="dash-grid">
                    <section class="card">
                        <h2>{t(K::RiskDashByCategory)}</h2>
                        <Chart id="rd-category".to_string() chart=stacked_chart(&d.by_category, lang) caption=t(K::RiskDashByCategoryCaption)
                            headers=cat_heads rows=group_rows(&d.by_category, lang)/>
                    </section>
                    <section class="card">
                        <h2>{t(K::RiskDashByDepartment)}</h2>
                        <Chart id="rd-department".to_string() chart=stacked_chart(&d.by_department, lang) caption=t(K::RiskDashByDepartmentCaption)
                            headers=dept_heads rows=group_rows(&d.by_department, lang)/>
                    </section>
                </div>
            }.into_any()
        }}
        <section class="card">
            <h2>{t(K::RiskDashTrend)}</h2>
            <Chart id="rd-trend".to_string() chart=trend_chart(&d.trend, lang) caption=t(K::RiskDashTrendCaption)
                headers=vec![t(K::RiskDashMonth), t(Level::High.key()), t(Level::Critical.key()), t(K::RiskDashTotal)] rows=trend_rows/>
        </section>
        <section class="card">
            <h2>{t(K::RiskSectionIndicators)}</h2>
            <IndicatorGauges data=panels.gauges/>
        </section>
        <div class="dash-grid">
            <section class="card">
                <h2>{t(K::RiskSectionAgeing)}</h2>
                <AgeingSummary data=panels.ageing/>
            </section>
            <section class="card">
                <h2>{t(K::RiskDashBreaches)}</h2>
                <BreachList data=panels.breaches/>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::model::Level;

    #[test]
    fn charts_carry_the_figures() {
        let rows = vec![
            GroupRow { id: 1, name_zh: "市场风险".into(), name_en: "Market risk".into(), counts: LevelCounts([1, 2, 3, 4]) },
            GroupRow { id: 2, name_zh: "信用风险".into(), name_en: "Credit risk".into(), counts: LevelCounts([0, 0, 7, 0]) },
        ];
        let c = stacked_chart(&rows, Lang::En).to_string();
        assert!(c.contains("Market risk") && c.contains("Credit risk") && c.contains("Critical"), "{c}");
        let v: serde_json::Value = serde_json::from_str(&c).expect("json");
        let high = v["series"].as_array().expect("series").iter().find(|x| x["name"] == "High").expect("high series");
        assert_eq!(high["data"], serde_json::json!([3, 7]), "{c}");
        let table = group_rows(&rows, Lang::Zh);
        assert_eq!(table[0], vec!["市场风险", "1", "2", "3", "4", "10"]);
        let t = trend_chart(&[TrendPoint { period: "2026-05".into(), high: 6, critical: 2 }], Lang::Zh).to_string();
        assert!(t.contains("2026-05") && t.contains(Lang::Zh.t(Level::Critical.key())), "{t}");
    }
}
