use super::api::{ChangePassword, SetTimeZone, SignIn};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{FieldMsg, FormError, action_error};
use crate::{RequireUser, use_me};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let act = ServerAction::<SignIn>::new();
    let err = action_error(act);
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            me.0.refetch();
        }
    });
    let next = move || use_query_map().get().get("next").unwrap_or_default();
    view! {
        <section class="login card">
            <h1>{i18n.t(K::AuthSignInTitle)}</h1>
            <p class="muted">{i18n.t(K::AuthSignInHelp)}</p>
            <FormError error=Signal::derive(move || err.get().filter(|e| e.field_error("password").is_none() && e.field_error("username").is_none()))/>
            <ActionForm action=act attr:class="form">
                <input type="hidden" name="next" value=next/>
                <label for="username">{i18n.t(K::FieldUsername)}</label>
                <input id="username" name="username" autocomplete="username" required autofocus value=crate::core::ui::echoed(None, "username", "")/>
                <FieldMsg error=err field="username"/>
                <label for="password">{i18n.t(K::FieldPassword)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <FieldMsg error=err field="password"/>
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>{i18n.t(K::AuthSignIn)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let pw = ServerAction::<ChangePassword>::new();
    let pw_err = action_error(pw);
    let tz = ServerAction::<SetTimeZone>::new();
    let tz_err = action_error(tz);
    let me = use_me();
    Effect::new(move |_| {
        if let Some(Ok(())) = tz.value().get() {
            me.0.refetch();
        }
    });
    view! {
        <h1>{i18n.t(K::AccountTitle)}</h1>
        <RequireUser f=move |u| {
            let current_tz = u.time_zone.clone();
            view! {
                <section class="card">
                    <h2>{i18n.t(K::AccountChangePassword)}</h2>
                    <FormError error=Signal::derive(move || pw_err.get().filter(|e| !matches!(e, crate::core::error::AppError::Validation(_))))/>
                    {move || matches!(pw.value().get(), Some(Ok(()))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(K::AccountPasswordChanged)}</p> })}
                    <ActionForm action=pw attr:class="form">
                        <label for="current">{i18n.t(K::AccountCurrentPassword)}</label>
                        <input id="current" name="current" type="password" autocomplete="current-password" required/>
                        <FieldMsg error=pw_err field="current"/>
                        <label for="new">{i18n.t(K::AccountNewPassword)}</label>
                        <input id="new" name="new" type="password" autocomplete="new-password" required minlength="10"/>
                        <p class="hint">{i18n.t(K::ValPasswordHint)}</p>
                        <FieldMsg error=pw_err field="new"/>
                        <label for="confirm">{i18n.t(K::AccountConfirmPassword)}</label>
                        <input id="confirm" name="confirm" type="password" autocomplete="new-password" required/>
                        <FieldMsg error=pw_err field="confirm"/>
                        <button type="submit" class="btn btn-primary">{i18n.t(K::AccountChangePassword)}</button>
                    </ActionForm>
                </section>
                <section class="card">
                    <h2>{i18n.t(K::FieldTimeZone)}</h2>
                    <ActionForm action=tz attr:class="form">
                        <label for="time_zone">{i18n.t(K::FieldTimeZone)}</label>
                        <select id="time_zone" name="time_zone">
                            {crate::core::time::ZONES.iter().map(|z| {
                                let sel = *z == current_tz;
                                view! { <option value=*z selected=sel>{*z}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMsg error=tz_err field="time_zone"/>
                        <button type="submit" class="btn">{i18n.t(K::CommonSave)}</button>
                    </ActionForm>
                </section>
            }
        }/>
    }
}
