//! Pages of initiation: the project list, the project form, the overview (with
//! team and kickoff) and the plan editor. No SQL and no permission logic here:
//! the server functions decide what the caller may see and do.
mod form;
mod list;
mod overview;
mod plan;

pub use form::ProjectFormPage;
pub use list::ProjectsPage;
pub use overview::ProjectOverviewPage;
pub use plan::ProjectPlanPage;

use crate::core::error::AppError;
use crate::core::money::Money;
use leptos::prelude::*;

/// Reloads the page's data after `act` succeeds (with JavaScript; without it the
/// post is answered with a fresh page anyway).
fn refresh_on_success<I, O>(act: ServerAction<I>, refresh: RwSignal<usize>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
}

fn cny(minor: i64) -> String {
    Money::cny(minor).display()
}

fn date_or_dash(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}
