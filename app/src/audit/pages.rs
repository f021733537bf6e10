use super::api::{AuditQuery, list_audit, record_history, verify_chain};
use crate::core::audit::AuditEntry;
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, DataTable, Empty, ErrorBox, Loading, Tone};
use crate::use_me;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Known record types and actions, for labels and the filter.
pub const ENTITIES: &[&str] = &[
    "user", "department", "position", "session", "conduct", "inbox_item", "project", "project_member", "project_meeting",
    "project_task", "project_budget_line", "project_quality_criterion", "project_risk", "project_delay", "project_issue",
    "project_quality_check", "project_cost", "project_evaluation", "project_acceptance", "project_file",
    "project_acceptance_report", "project_retrospective", "risk", "risk_assessment", "risk_category", "risk_round",
    "risk_round_department", "risk_measure", "risk_review", "risk_escalation", "risk_indicator", "risk_department_report",
    "risk_warning_report", "credit_evaluation",
];
pub const ACTIONS: &[&str] = &[
    "create", "update", "delete", "deactivate", "reactivate", "sign_in", "sign_in_failed", "sign_out",
    "change_password", "acknowledge", "export", "done",
];

/// The translated label of a record type or action code (the code itself if unknown).
pub fn label(kind: &str, code: &str, lang: crate::core::i18n::Lang) -> String {
    K::from_code(&format!("audit.{kind}_{code}")).map(|k| lang.t(k).to_string()).unwrap_or_else(|| code.to_string())
}

fn tz() -> String {
    use_me().0.get_untracked().and_then(|r| r.ok()).flatten().map(|u| u.time_zone).unwrap_or_else(|| "Asia/Shanghai".into())
}

/// Fields a person reads in a change list; ids, versions and timestamps are in
/// the stored entry but not worth a line, and of a bilingual name only the
/// reader's language is shown.
fn shown(field: &str, lang: crate::core::i18n::Lang) -> bool {
    let other_lang = match lang {
        crate::core::i18n::Lang::Zh => "_en",
        crate::core::i18n::Lang::En => "_zh",
    };
    !(field == "id" || field == "version" || field == "created_at" || field == "updated_at"
        || field.ends_with("_id") || field.ends_with(other_lang))
}

/// A stored value as a reader sees it (roles and booleans translated).
fn value_text(field: &str, v: &str, lang: crate::core::i18n::Lang) -> String {
    match (field, v) {
        ("role", r) => crate::core::perm::Role::parse(r).map(|r| lang.t(r.key()).to_string()).unwrap_or_else(|| r.to_string()),
        ("active", "true") => lang.t(K::StatusActive).to_string(),
        ("active", "false") => lang.t(K::StatusInactive).to_string(),
        (_, other) => other.to_string(),
    }
}

/// The before → after of one entry.
#[component]
fn Changes(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let changes = entry.changes();
    move || {
        let lang = i18n.lang();
        view! {
            <ul class="changes">
                {changes.iter().filter(|c| shown(&c.field, lang)).map(|c| {
                    let name = crate::core::ui::field_label(&c.field).map(|k| lang.t(k).to_string()).unwrap_or_else(|| c.field.clone());
                    view! {
                        <li>
                            <span title=c.field.clone()>{name}</span>": "
                            <del>{value_text(&c.field, &c.before, lang)}</del>" → "<ins>{value_text(&c.field, &c.after, lang)}</ins>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    }
}

/// A record's own history (used on every record page).
#[component]
pub fn History(entity: &'static str, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || id, move |id| record_history(entity.to_string(), id));
    view! {
        <section class="card" data-testid="history">
            <h2>{i18n.t(K::AuditHistory)}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let tz = tz();
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <Empty label=K::AuditNone/> }.into_any(),
                        Ok(rows) => view! {
                            <ol class="history">
                                {rows.into_iter().map(|e| {
                                    let when = crate::core::time::format_in(e.at, &tz);
                                    view! {
                                        <li>
                                            <span class="muted">{when}</span>" · "<strong>{e.actor_name.clone()}</strong>" · "
                                            <span class="action">{let a = e.action.clone(); move || label("action", &a, i18n.lang())}</span>
                                            <Changes entry=e/>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Admins browse and filter the whole trail.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = move || {
        let q = use_query_map().get();
        let g = |k: &str| q.get(k).unwrap_or_default();
        AuditQuery { actor: g("actor"), entity: g("entity"), action: g("action"), record: g("record"), from: g("from"), to: g("to"), after: g("after") }
    };
    let data = Resource::new(query, list_audit);
    let check = Action::new(|_: &()| verify_chain());
    view! {
        <h1>{i18n.t(K::NavAudit)}</h1>
        <form method="get" action="/admin/audit" class="filters">
            <label>{i18n.t(K::AuditActor)}<input name="actor" value=move || query().actor/></label>
            <label>{i18n.t(K::AuditEntity)}
                <select name="entity">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {ENTITIES.iter().map(|c| view! { <option value=*c selected=move || query().entity == *c>{move || label("entity", c, i18n.lang())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::AuditAction)}
                <select name="action">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {ACTIONS.iter().map(|c| view! { <option value=*c selected=move || query().action == *c>{move || label("action", c, i18n.lang())}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::AuditRecord)}<input name="record" inputmode="numeric" value=move || query().record/></label>
            <label>{i18n.t(K::CommonFrom)}<input name="from" type="date" value=move || query().from/></label>
            <label>{i18n.t(K::CommonTo)}<input name="to" type="date" value=move || query().to/></label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href="/admin/audit" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <div class="card">
            <button class="btn" on:click=move |_| { check.dispatch(()); }>{i18n.t(K::AuditVerify)}</button>
            {move || check.value().get().map(|r| match r {
                Ok(rep) if rep.intact => view! { <span data-testid="chain-status"><Badge tone=Tone::Good label=K::AuditChainIntact/>" "{rep.entries}</span> }.into_any(),
                Ok(rep) => view! { <span data-testid="chain-status"><Badge tone=Tone::Bad label=K::AuditChainBroken/>" #"{rep.broken_at.unwrap_or_default()}</span> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let tz = tz();
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(page) => view! {
                        <DataTable path="/admin/audit" total=page.total next=page.next.clone()
                            head=view! {
                                <th>{i18n.t(K::CommonTime)}</th><th>{i18n.t(K::AuditActor)}</th><th>{i18n.t(K::AuditAddress)}</th>
                                <th>{i18n.t(K::AuditEntity)}</th><th>{i18n.t(K::AuditRecord)}</th><th>{i18n.t(K::AuditAction)}</th><th>{i18n.t(K::AuditChanges)}</th>
                            }.into_any()>
                            {page.rows.into_iter().map(|e| {
                                let when = crate::core::time::format_in(e.at, &tz);
                                view! {
                                    <tr>
                                        <td>{when}</td><td>{e.actor_name.clone()}</td><td>{e.client_addr.clone()}</td>
                                        <td>{let c = e.entity.clone(); move || label("entity", &c, i18n.lang())}</td><td>{e.record_id.map(|r| r.to_string()).unwrap_or_default()}</td>
                                        <td>{let c = e.action.clone(); move || label("action", &c, i18n.lang())}</td><td><Changes entry=e/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::i18n::Lang;

    #[test]
    fn change_lists_hide_internals_and_translate_values() {
        assert!(shown("display_name", Lang::En));
        assert!(!shown("department_id", Lang::En));
        assert!(!shown("version", Lang::Zh));
        assert!(shown("department_zh", Lang::Zh) && !shown("department_zh", Lang::En));
        assert_eq!(value_text("role", "manager", Lang::Zh), "部门经理");
        assert_eq!(value_text("active", "false", Lang::En), "Inactive");
        assert_eq!(value_text("email", "a@b.cn", Lang::En), "a@b.cn");
    }

    #[test]
    fn every_known_entity_and_action_has_a_label() {
        for c in ENTITIES {
            assert_ne!(label("entity", c, Lang::Zh), *c, "{c}");
        }
        for c in ACTIONS {
            assert_ne!(label("action", c, Lang::En), *c, "{c}");
        }
        assert_eq!(label("action", "unheard_of", Lang::En), "unheard_of");
    }
}
