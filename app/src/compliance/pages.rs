use super::RuleStatus;
use super::api::compliance_overview;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::ui::{Badge, Chart, ErrorBox, Loading, Tone};
use leptos::prelude::*;

/// The bar chart of violations per clause (built in shared code; testable).
pub fn violations_chart(rules: &[RuleStatus], lang: Lang) -> charming::Chart {
    use charming::component::{Axis, Grid};
    use charming::element::AxisType;
    use charming::series::Bar;
    charming::Chart::new()
        .grid(Grid::new().left("10%").right("5%"))
        .x_axis(Axis::new().type_(AxisType::Category).data(rules.iter().map(|r| r.clause.clone()).collect()))
        .y_axis(Axis::new().type_(AxisType::Value).name(lang.t(K::ComplianceViolations)))
        .series(Bar::new().name(lang.t(K::ComplianceViolations)).data(rules.iter().map(|r| r.count).collect::<Vec<i64>>()))
}

#[component]
pub fn CompliancePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| compliance_overview());
    view! {
        <h1>{i18n.t(K::ComplianceTitle)}</h1>
        <p class="muted">{i18n.t(K::ComplianceIntro)}</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rules) => {
                        let lang = i18n.lang();
                        let chart = violations_chart(&rules, lang);
                        let rows: Vec<Vec<String>> = rules.iter().map(|r| vec![r.clause.clone(), lang.t(r.title).to_string(), r.count.to_string()]).collect();
                        view! {
                            <Chart
                                id="compliance-chart".to_string()
                                chart=chart
                                caption=lang.t(K::ComplianceChartCaption).to_string()
                                headers=vec![lang.t(K::ComplianceClause).to_string(), lang.t(K::ComplianceRule).to_string(), lang.t(K::ComplianceViolations).to_string()]
                                rows=rows
                            />
                            {rules.into_iter().map(|r| view! { <RuleCard rule=r/> }).collect_view()}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn RuleCard(rule: RuleStatus) -> impl IntoView {
    let i18n = use_i18n();
    let ok = rule.compliant();
    let count = rule.count;
    let shown = rule.violations.len() as i64;
    let clause_href = format!("/regulation?q={}#clause-{}", rule.clause, rule.clause);
    view! {
        <section class="card rule" data-testid=format!("rule-{}", rule.clause)>
            <h2>
                <a href=clause_href class="clause-id">{rule.clause.clone()}</a>" "{i18n.t(rule.title)}
            </h2>
            <p>
                {if ok {
                    view! { <Badge tone=Tone::Good label=K::ComplianceCompliant/> }.into_any()
                } else {
                    view! {
                        <Badge tone=Tone::Bad label=K::ComplianceNonCompliant/>
                        " "<span data-testid="violation-count">{move || i18n.lang().tf(K::ComplianceNViolations, &[("n", count.to_string())])}</span>
                    }.into_any()
                }}
            </p>
            {(!ok).then(|| view! {
                <ul class="violations">
                    {rule.violations.into_iter().map(|v| view! {
                        <li><a href=v.link>{v.label}</a>" — "<span class="muted">{i18n.t(v.detail)}</span></li>
                    }).collect_view()}
                </ul>
                {(shown < count).then(|| view! { <p class="muted">{move || i18n.lang().tf(K::ComplianceMore, &[("n", (count - shown).to_string())])}</p> })}
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_carries_the_counts() {
        let rules = vec![RuleStatus { clause: "3.1-a".into(), title: K::Rule31aTitle, count: 7, violations: vec![] }];
        let json = violations_chart(&rules, Lang::En).to_string();
        assert!(json.contains("3.1-a"), "{json}");
        assert!(json.contains('7'), "{json}");
    }
}
