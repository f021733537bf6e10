//! Contract pages: list, contract (terms, reviews, signing, copies, versions),
//! a frozen version, and the signing-authority admin page.
mod detail;
mod list;
mod signing;

pub use detail::{ContractPage, ContractVersionPage};
pub use list::ContractsPage;
pub use signing::SigningPage;

use crate::core::error::AppError;
use crate::core::i18n::use_i18n;
use leptos::prelude::*;

/// The message under a form field whose name is built at run time (rows).
#[component]
pub(crate) fn RowMsg(#[prop(into)] error: Signal<Option<AppError>>, field: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{}-error", field.replace('.', "-"));
    move || {
        error.get().and_then(|e| e.field_error(&field).cloned()).map(|fe| {
            let params: Vec<(&str, String)> = fe.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            let text = i18n.lang().tf(fe.key, &params);
            view! { <p class="field-error" id=id.clone() role="alert">{text}</p> }
        })
    }
}
