//! Charts: the `charming::Chart` is built in shared code (so the server can test
//! its JSON); the browser draws it with ECharts after hydration. The same numbers
//! are always shown as a table, for readers without JavaScript and screen readers.
use leptos::prelude::*;

/// Draws once the element is in the document. After client-side navigation the
/// effect can run before the new page is attached, so it waits a frame and
/// looks again (for up to `tries` frames).
#[cfg(feature = "hydrate")]
fn draw(id: String, chart: charming::Chart, width: u32, height: u32, tries: u32) {
    if leptos::prelude::document().get_element_by_id(&id).is_some() {
        let renderer = charming::WasmRenderer::new(width, height);
        if let Err(e) = renderer.render(&id, &chart) {
            leptos::logging::warn!("chart {id}: {e:?}");
        }
    } else if tries > 0 {
        leptos::prelude::request_animation_frame(move || draw(id, chart, width, height, tries - 1));
    } else {
        leptos::logging::warn!("chart {id}: its element never appeared");
    }
}

#[component]
pub fn Chart(
    /// Unique element id, derived from data (hydration must match).
    id: String,
    chart: charming::Chart,
    /// Accessible caption of the chart and its table.
    caption: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    #[prop(default = 640)] width: u32,
    #[prop(default = 320)] height: u32,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let id = id.clone();
        let chart = chart.clone();
        Effect::new(move |_| draw(id.clone(), chart.clone(), width, height, 120));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&chart, width, height);
    view! {
        <figure class="chart">
            <div id=id class="chart-canvas" role="img" aria-label=caption.clone()></div>
            <figcaption>{caption}</figcaption>
            <table class="data chart-data">
                <thead><tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}
