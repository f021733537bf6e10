use super::model::{Clause, catalogue};
use crate::core::i18n::{K, Lang, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The regulation as a tree by chapter, with search over ids and both languages.
#[component]
pub fn RegulationPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = move || use_query_map().get().get("q").unwrap_or_default();
    let tree = move || {
        let q = q();
        let lang = i18n.lang();
        let mut shown = 0usize;
        let chapters = catalogue()
            .iter()
            .filter_map(|ch| {
                let sections: Vec<_> = ch
                    .sections
                    .iter()
                    .filter_map(|s| {
                        let clauses: Vec<&Clause> = s.clauses.iter().filter(|c| c.matches(&q)).collect();
                        if clauses.is_empty() {
                            return None;
                        }
                        shown += clauses.len();
                        let heading = (s.number != ch.number).then(|| {
                            let t = if lang == Lang::Zh { s.title_zh.clone() } else { s.title_en.clone() };
                            view! { <h3>{s.number.clone()}" "{t}</h3> }
                        });
                        Some(view! {
                            {heading}
                            <dl class="clauses">
                                {clauses.into_iter().map(|c| view! { <ClauseView clause=c.clone() lang=lang/> }).collect_view()}
                            </dl>
                        })
                    })
                    .collect();
                if sections.is_empty() {
                    return None;
                }
                let title = if lang == Lang::Zh { ch.title_zh.clone() } else { ch.title_en.clone() };
                Some(view! {
                    <details class="chapter card" open>
                        <summary><h2>{ch.number.clone()}" "{title}</h2></summary>
                        {sections}
                    </details>
                })
            })
            .collect_view();
        let count = lang.tf(K::RegulationCount, &[("n", shown.to_string())]);
        view! {
            <p class="muted" data-testid="clause-count">{count}</p>
            {(shown == 0).then(|| view! { <p class="empty">{i18n.t(K::RegulationNoMatch)}</p> })}
            {chapters}
        }
    };
    view! {
        <h1>{i18n.t(K::RegulationTitle)}</h1>
        <p class="muted">{i18n.t(K::RegulationIntro)}</p>
        <form method="get" action="/regulation" class="filters" role="search">
            <label for="q">{i18n.t(K::CommonSearch)}</label>
            <input id="q" name="q" type="search" value=q placeholder=move || i18n.get(K::RegulationSearchHint)/>
            <button type="submit" class="btn">{i18n.t(K::CommonSearch)}</button>
        </form>
        {tree}
    }
}

#[component]
fn ClauseView(clause: Clause, lang: Lang) -> impl IntoView {
    let i18n = use_i18n();
    let (primary, secondary) = match lang {
        Lang::Zh => (clause.zh.clone(), clause.en.clone()),
        Lang::En => (clause.en.clone(), clause.zh.clone()),
    };
    let anchor = format!("clause-{}", clause.id);
    let rule = clause.has_rule;
    view! {
        <dt id=anchor>
            <span class="clause-id">{clause.id.clone()}</span>
            {rule.then(|| view! { " " <a class="badge" href="/compliance">{i18n.t(K::RegulationRuleChecked)}</a> })}
        </dt>
        <dd>
            <p>{primary}</p>
            <p class="muted secondary" lang=if lang == Lang::Zh { "en" } else { "zh-CN" }>{secondary}</p>
        </dd>
    }
}
