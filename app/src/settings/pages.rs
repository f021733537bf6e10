use super::api::*;
use super::{DEFS, Kind};
use crate::core::i18n::use_i18n;
use crate::core::i18n::K;
use crate::core::ui::{ErrorBox, FieldMsg, FormError, Loading, action_error};
use leptos::prelude::*;

/// /admin/settings: every configurable value with its clause, one form each.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSetting>::new();
    let err = action_error(save);
    let data = Resource::new(move || save.version().get(), |_| list_settings());
    view! {
        <h1>{i18n.t(K::NavSettings)}</h1>
        <p class="hint">{i18n.t(K::SettingIntro)}</p>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(list) => view! {
                        <div class="settings">
                            {list.into_iter().filter_map(|s| {
                                let d = DEFS.iter().find(|d| d.key == s.key)?;
                                let field: &'static str = d.key;
                                let input_type = match d.kind { Kind::Int { .. } => "number", Kind::Departments => "text" };
                                let (min, max) = match d.kind { Kind::Int { min, max } => (Some(min), Some(max)), _ => (None, None) };
                                Some(view! {
                                    <ActionForm action=save attr:class="form card setting">
                                        <input type="hidden" name="key" value=d.key/>
                                        <input type="hidden" name="version" value=s.version/>
                                        <label for=field>{i18n.t(d.label)}" "<span class="clause">{d.clause}</span></label>
                                        <input id=field name="value" type=input_type value=s.value.clone() min=min max=max required/>
                                        <p class="hint">{i18n.t(d.help)}</p>
                                        <FieldMsg error=err field=field/>
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                                        </div>
                                    </ActionForm>
                                })
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
