//! Pages of the pipeline part. No SQL and no permission logic: the server
//! functions decide what the caller may see and do.
mod board;
mod opportunity;
mod products;
mod quotation;
mod stages;

pub use board::PipelineBoardPage;
pub use opportunity::{NewOpportunityPage, OpportunityDetailPage};
pub use products::{ProductFormPage, ProductsPage};
pub use quotation::QuotationDetailPage;
pub use stages::StagesPage;

use crate::core::audit::AuditEntry;
use crate::core::i18n::{K, Lang, use_i18n};
use crate::core::ui::Empty;
use leptos::prelude::*;

/// Fields worth a line in a change list (no ids, versions, timestamps, or the
/// other language's name).
fn shown(field: &str, lang: Lang) -> bool {
    let other = match lang {
        Lang::Zh => "_en",
        Lang::En => "_zh",
    };
    !(field == "id" || field == "version" || field.ends_with("_id") || field.ends_with("_at") || field.ends_with(other))
}

/// A record's audit history (the entries come with the record's page data).
#[component]
pub fn RecordHistory(entries: Vec<AuditEntry>, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="history">
            <h2>{i18n.t(K::AuditHistory)}</h2>
            {if entries.is_empty() {
                view! { <Empty label=K::AuditNone/> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        {entries.into_iter().map(|e| {
                            let when = crate::core::time::format_in(e.at, &tz);
                            let changes = e.changes();
                            let action = e.action.clone();
                            view! {
                                <li>
                                    <span class="muted">{when}</span>" · "<strong>{e.actor_name.clone()}</strong>" · "
                                    <span class="action">{move || crate::audit::pages::label("action", &action, i18n.lang())}</span>
                                    {move || {
                                        let lang = i18n.lang();
                                        view! {
                                            <ul class="changes">
                                                {changes.iter().filter(|c| shown(&c.field, lang)).map(|c| {
                                                    let name = crate::core::ui::field_label(&c.field).map(|k| lang.t(k).to_string()).unwrap_or_else(|| c.field.clone());
                                                    view! { <li>{name}": "<del>{c.before.clone()}</del>" → "<ins>{c.after.clone()}</ins></li> }
                                                }).collect_view()}
                                            </ul>
                                        }
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// "¥1,234.00" for minor units in CNY.
pub fn cny(minor: i64) -> String {
    crate::core::money::Money::cny(minor).display()
}

/// Money minor units as a form value ("1234.50").
pub fn money_input(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}
