//! Building blocks every module uses: error and field messages, status badges,
//! confirmed workflow actions, the data table and the chart.
pub mod chart;
pub mod table;

use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use leptos::prelude::*;

pub use chart::Chart;
pub use table::{DataTable, SortHeader, href_with, url_encode};

/// The value a form field starts with: what the person typed, when their post
/// without JavaScript was just refused (the server keeps it for one page view),
/// otherwise `default`. `form_id` is the value of the form's hidden `id` field
/// ("" for a new record), so that only the form that was posted is refilled.
pub fn echoed(form_id: Option<&str>, name: &str, default: impl Into<String>) -> String {
    #[cfg(feature = "ssr")]
    if let Some(info) = crate::core::auth::try_request_info() {
        let same_form = match form_id {
            None => true,
            Some(id) => info.echo.iter().any(|(k, v)| k == "id" && v == id),
        };
        if same_form
            && let Some((_, v)) = info.echo.iter().find(|(k, _)| k == name) {
                return v.clone();
            }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = (form_id, name);
    default.into()
}

/// The label of a record field by its stored name, when it is one people edit.
pub fn field_label(name: &str) -> Option<K> {
    let base = match name {
        "active" => "status",
        "department_zh" | "department_en" => "department",
        "position_zh" | "position_en" => "position",
        "supervisor_name" => "supervisor",
        other => other,
    };
    K::from_code(&format!("field.{base}"))
}

/// A translated message for an error, with the stored values when a record was
/// changed by someone else.
#[component]
pub fn ErrorBox(#[prop(into)] error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let key = error.message_key();
    let detail = match &error {
        AppError::Throttled { retry_after_secs } => {
            Some(i18n.lang().tf(K::ErrThrottledWait, &[("minutes", ((retry_after_secs + 59) / 60).to_string())]))
        }
        _ => None,
    };
    let current = match &error {
        AppError::Conflict { current } => current.as_object().map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    let label = field_label(k)?;
                    let v = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Some((label, v))
                })
                .collect::<Vec<_>>()
        }),
        _ => None,
    };
    let has_current = current.is_some();
    view! {
        <div class="alert alert-error" role="alert">
            <strong>{i18n.t(key)}</strong>
            {detail.map(|d| view! { <p>{d}</p> })}
            {has_current.then(|| view! { <p>{i18n.t(K::ErrConflictCurrent)}</p> })}
            {current.map(|rows| view! {
                <table class="kv">
                    <tbody>
                        {rows.into_iter().map(|(k, v)| view! { <tr><th>{i18n.t(k)}</th><td>{v}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}

/// The message under one form field, when the last submission failed on it.
#[component]
pub fn FieldMsg(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().and_then(|e| e.field_error(field).cloned()).map(|fe| {
            let params: Vec<(&str, String)> = fe.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            let text = i18n.lang().tf(fe.key, &params);
            view! { <p class="field-error" id=format!("{field}-error") role="alert">{text}</p> }
        })
    }
}

/// Shows a failed action's error (other than per-field validation, which the
/// fields show themselves) above a form.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| match e {
            AppError::Validation(_) => view! { <div class="alert alert-error" role="alert">{i18n.t(K::ErrValidation)}</div> }.into_any(),
            other => view! { <ErrorBox error=other/> }.into_any(),
        })
    }
}

/// The error of a server action's last result, as a signal.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Neutral,
}

/// Status is shown with a word and a colour, never colour alone.
#[component]
pub fn Badge(tone: Tone, label: K) -> impl IntoView {
    let i18n = use_i18n();
    let class = match tone {
        Tone::Good => "badge badge-good",
        Tone::Warn => "badge badge-warn",
        Tone::Bad => "badge badge-bad",
        Tone::Neutral => "badge",
    };
    view! { <span class=class>{i18n.t(label)}</span> }
}

/// A workflow action that asks before it acts. The question is a native
/// `<details>` disclosure, so it works without JavaScript and from the keyboard;
/// the form inside posts to the server function.
#[component]
pub fn ConfirmAction(
    label: K,
    question: K,
    #[prop(optional)] danger: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = if danger { "confirm confirm-danger" } else { "confirm" };
    view! {
        <details class=class>
            <summary class=if danger { "btn btn-danger" } else { "btn" }>{i18n.t(label)}</summary>
            <div class="confirm-body">
                <p>{i18n.t(question)}</p>
                {children()}
            </div>
        </details>
    }
}

/// Empty-state message for lists.
#[component]
pub fn Empty(label: K) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="empty">{i18n.t(label)}</p> }
}

/// Shows a loading line while a resource is pending.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-busy="true">{i18n.t(K::CommonLoading)}</p> }
}
