use super::api::{AcknowledgeConduct, conduct_status};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, ErrorBox, FormError, Loading, Tone, action_error};
use leptos::prelude::*;

/// 3.1-a: the code of conduct and this year's acknowledgement.
#[component]
pub fn ConductPage() -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<AcknowledgeConduct>::new();
    let err = action_error(act);
    let status = Resource::new(move || act.version().get(), |_| conduct_status());
    view! {
        <h1>{i18n.t(K::ConductTitle)}</h1>
        <article class="card prose">
            <p class="muted">{i18n.t(K::ConductIntro)}</p>
            <ol>
                <li>{i18n.t(K::ConductItem1)}</li>
                <li>{i18n.t(K::ConductItem2)}</li>
                <li>{i18n.t(K::ConductItem3)}</li>
                <li>{i18n.t(K::ConductItem4)}</li>
            </ol>
            <p class="muted">{i18n.t(K::ConductSource)}</p>
        </article>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match status.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(s) => {
                        let year = s.year.to_string();
                        match s.acknowledged_at {
                            Some(at) => view! {
                                <p class="card" data-testid="conduct-status">
                                    <Badge tone=Tone::Good label=K::ConductAcknowledged/>" "
                                    {move || i18n.lang().tf(K::ConductAcknowledgedOn, &[("year", year.clone()), ("date", crate::core::time::format_in(at, &s.time_zone))])}
                                </p>
                            }.into_any(),
                            None => view! {
                                <div class="card" data-testid="conduct-status">
                                    <p><Badge tone=Tone::Warn label=K::ConductPending/>" "{move || i18n.lang().tf(K::ConductPendingText, &[("year", year.clone())])}</p>
                                    <ActionForm action=act>
                                        <button type="submit" class="btn btn-primary" data-testid="acknowledge">{i18n.t(K::ConductAcknowledge)}</button>
                                    </ActionForm>
                                </div>
                            }.into_any(),
                        }
                    }
                }
            })}
        </Suspense>
    }
}
