//! Pieces every risk page shares: the module's section links and the 5×5 heat
//! map as a real grid (works without JavaScript, prints, reads aloud).
use super::model::{HeatMapData, IMPACT_KEYS, LIKELIHOOD_KEYS, Level};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Tone};
use leptos::prelude::*;

/// The risk module's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Register,
    Rounds,
    Dashboard,
    Indicators,
    Reports,
    Credit,
    Ageing,
}

impl Section {
    pub const ALL: [Section; 7] =
        [Section::Register, Section::Rounds, Section::Dashboard, Section::Indicators, Section::Reports, Section::Credit, Section::Ageing];
    pub fn path(self) -> &'static str {
        match self {
            Section::Register => "/risks",
            Section::Rounds => "/risks/rounds",
            Section::Dashboard => "/risks/dashboard",
            Section::Indicators => "/risks/indicators",
            Section::Reports => "/risks/reports",
            Section::Credit => "/risks/credit",
            Section::Ageing => "/risks/ageing",
        }
    }
    pub fn key(self) -> K {
        match self {
            Section::Register => K::RiskSectionRegister,
            Section::Rounds => K::RiskSectionRounds,
            Section::Dashboard => K::RiskSectionDashboard,
            Section::Indicators => K::RiskSectionIndicators,
            Section::Reports => K::RiskSectionReports,
            Section::Credit => K::RiskSectionCredit,
            Section::Ageing => K::RiskSectionAgeing,
        }
    }
}

/// Links between the risk module's sections (no data: renders at once).
#[component]
pub fn RiskTabs(current: Section) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="tabs" aria-label=move || i18n.get(K::RiskSectionsLabel)>
            {Section::ALL.into_iter().map(|s| view! {
                <a href=s.path() aria-current=(s == current).then_some("page")>{i18n.t(s.key())}</a>
            }).collect_view()}
        </nav>
    }
}

/// A level as a coloured badge.
#[component]
pub fn LevelBadge(level: Level) -> impl IntoView {
    view! { <Badge tone=level.tone() label=level.key()/> }
}

/// A level from an optional score (a dash when not assessed).
pub fn level_tone(level: Option<Level>) -> Tone {
    level.map(|l| l.tone()).unwrap_or(Tone::Neutral)
}

/// The 5×5 heat map: likelihood 5 (top) to 1 down the side, impact 1 to 5
/// along the bottom; each cell coloured by its level and showing how many
/// risks sit there, as a link to them (`href(likelihood, impact)`). The axis
/// headings carry the levels' written definitions (5.1-c).
#[component]
pub fn HeatMap<F>(data: HeatMapData, href: F, #[prop(optional, into)] caption: Option<String>) -> impl IntoView
where
    F: Fn(i64, i64) -> String + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let kind = data.kind;
    let rows = (1..=5i64)
        .rev()
        .map(|l| {
            let cells = (1..=5i64)
                .map(|imp| {
                    let n = data.count(l, imp);
                    let level = data.bands.level_of(l, imp);
                    let link = href(l, imp);
                    let label = move || {
                        format!(
                            "{} {l} × {} {imp}: {n} ({})",
                            i18n.get(K::RiskLikelihood),
                            i18n.get(K::RiskImpact),
                            i18n.get(level.key())
                        )
                    };
                    view! {
                        <td class=format!("heat-cell {}", level.css()) data-l=l data-i=imp data-count=n>
                            {if n > 0 {
                                view! { <a href=link aria-label=label title=label>{n}</a> }.into_any()
                            } else {
                                view! { <span class="heat-zero" title=label>"·"</span> }.into_any()
                            }}
                        </td>
                    }
                })
                .collect_view();
            let def = LIKELIHOOD_KEYS[(l - 1) as usize];
            view! {
                <tr>
                    <th scope="row" class="heat-axis" title=move || i18n.get(def)>{l}" "<small>{i18n.t(def)}</small></th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let caption = caption.unwrap_or_default();
    view! {
        <table class="heatmap" data-kind=kind.code()>
            <caption>{if caption.is_empty() { i18n.get(kind.key()).to_string() } else { caption }}</caption>
            <thead>
                <tr>
                    <th scope="col" class="heat-corner">{i18n.t(K::RiskLikelihood)}" \\ "{i18n.t(K::RiskImpact)}</th>
                    {(1..=5usize).map(|imp| {
                        let def = IMPACT_KEYS[imp - 1];
                        view! { <th scope="col" class="heat-axis" title=move || i18n.get(def)>{imp}" "<small>{i18n.t(def)}</small></th> }
                    }).collect_view()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
