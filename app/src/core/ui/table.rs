//! The data table: server-side keyset pagination, sorting by column header,
//! filters in a GET form, CSV export of the filtered rows. Everything is a link
//! or a GET form over the URL, so it works without JavaScript; with it, the router
//! navigates in place.
use crate::core::i18n::{K, use_i18n};
use crate::core::list::Dir;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?k=v&…`, skipping empty values.
pub fn href_with(path: &str, params: &[(String, String)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
        .collect();
    if q.is_empty() { path.to_string() } else { format!("{path}?{}", q.join("&")) }
}

/// The current query parameters except the named ones.
fn params_without(skip: &[&str]) -> Vec<(String, String)> {
    let q = use_query_map().get();
    q.into_iter().filter(|(k, _)| !skip.contains(&k.as_ref())).map(|(k, v)| (k.to_string(), v)).collect()
}

/// A column header that sorts by `name` (a link that toggles the direction).
#[component]
pub fn SortHeader(label: K, name: &'static str, path: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let state = move || {
        let q = q.get();
        let sort = q.get("sort").unwrap_or_default();
        let dir = Dir::parse(&q.get("dir").unwrap_or_default());
        (sort == name, dir)
    };
    let href = move || {
        let (active, dir) = state();
        let mut p = params_without(&["sort", "dir", "after"]);
        p.push(("sort".into(), name.into()));
        p.push(("dir".into(), if active { dir.flip().code().into() } else { "asc".into() }));
        href_with(path, &p)
    };
    let aria = move || match state() {
        (true, Dir::Asc) => "ascending",
        (true, Dir::Desc) => "descending",
        _ => "none",
    };
    let arrow = move || match state() {
        (true, Dir::Asc) => " ▲",
        (true, Dir::Desc) => " ▼",
        _ => "",
    };
    view! {
        <th aria-sort=aria>
            <a href=href>{i18n.t(label)}{arrow}</a>
        </th>
    }
}

/// Table chrome around rows the caller renders: count, paging and export.
#[component]
pub fn DataTable(
    /// The list page's path (links keep the current filters).
    path: &'static str,
    total: i64,
    next: Option<String>,
    /// Link for CSV export of the filtered rows (without paging), if offered.
    #[prop(optional)]
    export: Option<&'static str>,
    head: AnyView,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_later_page = use_query_map().get().get("after").is_some();
    let first_href = href_with(path, &params_without(&["after"]));
    let next_href = next.map(|c| {
        let mut p = params_without(&["after"]);
        p.push(("after".into(), c));
        href_with(path, &p)
    });
    let export_href = export.map(|e| href_with(e, &params_without(&["after"])));
    view! {
        <div class="table-tools">
            <span class="count">{move || i18n.lang().tf(K::TableTotal, &[("n", total.to_string())])}</span>
            {export_href.map(|h| view! { <a class="btn btn-small" href=h download>{i18n.t(K::TableExportCsv)}</a> })}
        </div>
        <div class="table-wrap">
            <table class="data">
                <thead><tr>{head}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=i18n.get(K::TablePaging)>
            {on_later_page.then(|| view! { <a class="btn btn-small" href=first_href>{i18n.t(K::TableFirstPage)}</a> })}
            {next_href.map(|h| view! { <a class="btn btn-small" rel="next" href=h>{i18n.t(K::TableNextPage)}</a> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs() {
        assert_eq!(url_encode("a b&c/王"), "a%20b%26c%2F%E7%8E%8B");
        assert_eq!(
            href_with("/x", &[("q".into(), "王".into()), ("empty".into(), String::new()), ("n".into(), "1".into())]),
            "/x?q=%E7%8E%8B&n=1"
        );
        assert_eq!(href_with("/x", &[]), "/x");
    }
}
