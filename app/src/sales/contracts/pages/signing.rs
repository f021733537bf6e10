use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::ui::{Badge, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error};
use crate::sales::contracts::api::*;
use crate::sales::contracts::model::{SigningAuthority, money_input};
use leptos::prelude::*;

/// /admin/signing (2.2.3-d): who may sign contracts, up to which amount.
#[component]
pub fn SigningPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSigningAuthority>::new();
    let err = action_error(save);
    let data = Resource::new(move || save.version().get(), |_| signing_authorities());
    view! {
        <h1>{i18n.t(K::NavSigning)}</h1>
        <p class="hint">{i18n.t(K::ContractsSigningIntro)}</p>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! {
                        {if d.authorities.is_empty() {
                            view! { <Empty label=K::ContractsNoAuthorities/> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap"><table class="data" data-testid="authorities">
                                    <thead><tr>
                                        <th>{i18n.t(K::FieldDisplayName)}</th><th>{i18n.t(K::ContractsLimit)}</th>
                                        <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CommonActions)}</th>
                                    </tr></thead>
                                    <tbody>{d.authorities.into_iter().map(|a| view! { <AuthorityRow a=a save=save/> }).collect_view()}</tbody>
                                </table></div>
                            }.into_any()
                        }}
                        <section class="card">
                            <h2>{i18n.t(K::ContractsAddAuthority)}</h2>
                            <ActionForm action=save attr:class="form" attr:data-testid="add-authority">
                                <input type="hidden" name="id" value=""/>
                                <input type="hidden" name="version" value=""/>
                                <input type="hidden" name="active" value="on"/>
                                <label for="auth-user">{i18n.t(K::ContractsPerson)}</label>
                                <select id="auth-user" name="user_id" required>
                                    <option value="">{i18n.t(K::CommonChoose)}</option>
                                    {d.people.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                </select>
                                <FieldMsg error=err field="user_id"/>
                                <label for="auth-limit">{i18n.t(K::ContractsLimit)}</label>
                                <input id="auth-limit" name="limit" inputmode="decimal" required/>
                                <FieldMsg error=err field="limit"/>
                                <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button></div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuthorityRow(a: SigningAuthority, save: ServerAction<SaveSigningAuthority>) -> impl IntoView {
    let i18n = use_i18n();
    let limit = Money::new(a.limit_minor, &a.currency).display();
    let form = format!("auth-{}", a.id);
    view! {
        <tr data-testid=format!("authority-{}", a.username)>
            <td>{a.user_name.clone()}" "<span class="muted">{a.username.clone()}</span></td>
            <td class="num">{limit}</td>
            <td>{if a.active { view! { <Badge tone=Tone::Good label=K::StatusActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::StatusInactive/> } }}</td>
            <td>
                <ActionForm action=save attr:class="inline-form">
                    <input type="hidden" name="id" value=a.id/>
                    <input type="hidden" name="version" value=a.version/>
                    <input type="hidden" name="user_id" value=a.user_id/>
                    <label for=format!("{form}-limit") class="sr-only">{i18n.t(K::ContractsLimit)}</label>
                    <input id=format!("{form}-limit") name="limit" class="short" value=money_input(a.limit_minor, &a.currency) inputmode="decimal"/>
                    <label class="check"><input type="checkbox" name="active" checked=a.active/>" "{i18n.t(K::StatusActive)}</label>
                    <button type="submit" class="btn btn-small">{i18n.t(K::CommonSave)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
