use super::InboxItem;
use super::api::{MarkItem, my_work};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, Empty, ErrorBox, FormError, Loading, Tone, action_error};
use leptos::prelude::*;

/// "My work": what is addressed to me or my department and not done yet.
#[component]
pub fn MyWorkPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkItem>::new();
    let err = action_error(mark);
    let data = Resource::new(move || mark.version().get(), |_| my_work());
    view! {
        <h1>{i18n.t(K::NavMyWork)}</h1>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(w) => {
                        let now = chrono::Utc::now();
                        let tz = w.time_zone.clone();
                        let open = w.open.clone();
                        let done = w.done.clone();
                        view! {
                            <section class="card">
                                <h2>{i18n.t(K::InboxOpen)}" (" {open.len()} ")"</h2>
                                {if open.is_empty() {
                                    view! { <Empty label=K::InboxEmpty/> }.into_any()
                                } else {
                                    view! {
                                        <ul class="inbox" data-testid="inbox-open">
                                            {open.into_iter().map(|item| view! { <Item item=item now=now tz=tz.clone() mark=mark/> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <crate::projects::execution::pages::MyProjectTasks/>
                            <section class="card">
                                <h2>{i18n.t(K::InboxDone)}</h2>
                                {if done.is_empty() {
                                    view! { <Empty label=K::InboxNoneDone/> }.into_any()
                                } else {
                                    let tz = tz.clone();
                                    view! {
                                        <ul class="inbox done">
                                            {done.into_iter().map(|item| {
                                                let when = item.done_at.map(|d| crate::core::time::format_in(d, &tz)).unwrap_or_default();
                                                let item2 = item.clone();
                                                view! { <li><a href=item.link.clone()>{move || item2.title(i18n.lang())}</a>" · "<span class="muted">{when}</span></li> }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Item(item: InboxItem, now: chrono::DateTime<chrono::Utc>, tz: String, mark: ServerAction<MarkItem>) -> impl IntoView {
    let i18n = use_i18n();
    let overdue = item.overdue(now);
    let due = item.due_at.map(|d| crate::core::time::format_date_in(d, &tz));
    let is_task = item.is_task();
    let unread = item.read_at.is_none();
    let title_item = item.clone();
    let (id, version) = (item.id, item.version);
    view! {
        <li class=if overdue { "overdue" } else { "" }>
            <div class="inbox-main">
                {if is_task { view! { <Badge tone=Tone::Neutral label=K::InboxTask/> } } else { view! { <Badge tone=Tone::Neutral label=K::InboxNotification/> } }}
                {overdue.then(|| view! { " " <Badge tone=Tone::Bad label=K::InboxOverdue/> })}
                " "
                <a href=item.link.clone() class=if unread { "unread" } else { "" }>{move || title_item.title(i18n.lang())}</a>
                {due.map(|d| view! { <span class="muted">" · "{move || i18n.get(K::InboxDue)}" "{d}</span> })}
            </div>
            <ActionForm action=mark attr:class="inline">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="done" value="true"/>
                <button type="submit" class="btn btn-small">{i18n.t(if is_task { K::InboxMarkDone } else { K::InboxMarkRead })}</button>
            </ActionForm>
        </li>
    }
}
