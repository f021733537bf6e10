use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{ErrorBox, Loading, href_with};
use crate::sales::customers::api::{CalendarData, visit_calendar};
use crate::sales::customers::model::*;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/sales/visits";

/// /sales/visits?month=2026-11&person=7: a month of someone's visits (2.2.1-b).
#[component]
pub fn VisitCalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        (q.get("month").unwrap_or_default(), q.get("person").unwrap_or_default())
    };
    let data = Resource::new(query, |(month, person)| visit_calendar(month, person));
    view! {
        <h1>{i18n.t(K::NavVisits)}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(cal) => view! { <Calendar cal=cal/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Calendar(cal: CalendarData) -> impl IntoView {
    let i18n = use_i18n();
    let person = cal.person_id.to_string();
    let link = {
        let person = person.clone();
        move |month: &str| href_with(PATH, &[("month".into(), month.to_string()), ("person".into(), person.clone())])
    };
    let first = parse_month(&cal.month).unwrap_or(cal.today);
    let weeks = month_weeks(first);
    let today = cal.today;
    let visits = cal.visits.clone();
    let this_month = month_code(today);
    let pick_person = cal.people.len() > 1;
    view! {
        <div class="page-head calendar-head">
            <nav class="actions" aria-label=move || i18n.get(K::VisitMonthNav)>
                <a class="btn btn-small" rel="prev" href=link(&cal.prev) data-testid="prev-month">{i18n.t(K::VisitPrevMonth)}</a>
                <strong class="month" data-testid="month">{cal.month.clone()}</strong>
                <a class="btn btn-small" rel="next" href=link(&cal.next) data-testid="next-month">{i18n.t(K::VisitNextMonth)}</a>
                {(cal.month != this_month).then(|| view! { <a class="btn btn-small btn-link" href=link(&this_month)>{i18n.t(K::VisitThisMonth)}</a> })}
            </nav>
            {pick_person.then(|| view! {
                <form method="get" action=PATH class="filters">
                    <input type="hidden" name="month" value=cal.month.clone()/>
                    <label>{i18n.t(K::VisitPerson)}
                        <select name="person">
                            {cal.people.iter().map(|(id, name)| view! {
                                <option value=*id selected=*id == cal.person_id>{name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
                </form>
            })}
        </div>
        <div class="table-wrap">
            <table class="calendar" data-testid="calendar">
                <thead><tr>{WEEKDAYS.iter().map(|k| view! { <th scope="col">{i18n.t(*k)}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {weeks.into_iter().map(|week| view! {
                        <tr>
                            {week.into_iter().map(|day| match day {
                                None => view! { <td class="outside"></td> }.into_any(),
                                Some(d) => {
                                    let is_today = d == today;
                                    let entries: Vec<Visit> = visits.iter().filter(|v| v.day() == d).cloned().collect();
                                    view! {
                                        <td class=if is_today { "today" } else { "" } data-date=d.to_string()
                                            aria-current=if is_today { Some("date") } else { None }>
                                            <div class="day">{d.day()}{is_today.then(|| view! { " "<span class="today-mark">{i18n.t(K::VisitToday)}</span> })}</div>
                                            <ul class="cal-entries">
                                                {entries.into_iter().map(|v| {
                                                    let status = v.status();
                                                    let overdue = v.overdue(today);
                                                    let class = format!("cal-entry cal-{}{}", status.code(), if overdue { " cal-overdue" } else { "" });
                                                    view! {
                                                        <li class=class>
                                                            <a href=format!("/sales/customers/{}", v.customer_id)>{v.customer_name.clone()}</a>
                                                            <span class="muted">" · "{i18n.t(status.key())}{overdue.then(|| view! { " · "{i18n.t(K::InboxOverdue)} })}</span>
                                                            <div class="cal-purpose">{v.purpose.clone()}</div>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </td>
                                    }.into_any()
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
