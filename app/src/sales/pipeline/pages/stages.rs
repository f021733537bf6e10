use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error};
use crate::sales::pipeline::api::{SaveStage, list_stages};
use crate::sales::pipeline::model::{Stage, StageKind};
use leptos::prelude::*;

fn kind_key(k: StageKind) -> K {
    match k {
        StageKind::Open => K::PipelineKindOpen,
        StageKind::Won => K::PipelineKindWon,
        StageKind::Lost => K::PipelineKindLost,
    }
}

/// The name / probability / order fields of both stage forms.
#[component]
fn StageFields(prefix: String, s: Option<Stage>, #[prop(into)] err: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |f: &str| format!("{prefix}-{f}");
    let g = |f: fn(&Stage) -> String| s.as_ref().map(f).unwrap_or_default();
    view! {
        <label for=id("zh")>{i18n.t(K::FieldNameZh)}</label>
        <input id=id("zh") name="input[name_zh]" value=g(|s| s.name_zh.clone()) required maxlength="30"/>
        <FieldMsg error=err field="name_zh"/>
        <label for=id("en")>{i18n.t(K::FieldNameEn)}</label>
        <input id=id("en") name="input[name_en]" value=g(|s| s.name_en.clone()) required maxlength="50"/>
        <FieldMsg error=err field="name_en"/>
        <label for=id("p")>{i18n.t(K::PipelineProbability)}" (%)"</label>
        <input id=id("p") name="input[probability]" type="number" min="0" max="100" value=g(|s| s.probability.to_string()) required/>
        <FieldMsg error=err field="probability"/>
        <label for=id("pos")>{i18n.t(K::PipelinePosition)}</label>
        <input id=id("pos") name="input[position]" type="number" min="0" max="1000" value=g(|s| s.position.to_string()) required/>
        <p class="hint">{i18n.t(K::PipelinePositionHint)}</p>
        <FieldMsg error=err field="position"/>
    }
}

/// /admin/stages: the pipeline stages and their win probabilities (admins).
#[component]
pub fn StagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveStage>::new();
    let err = action_error(save);
    let data = Resource::new(move || save.version().get(), |_| list_stages());
    view! {
        <h1>{i18n.t(K::NavStages)}</h1>
        <p class="hint">{i18n.t(K::PipelineStagesHint)}</p>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="data" data-testid="stages">
                            <thead><tr>
                                <th>{i18n.t(K::FieldCode)}</th><th>{i18n.t(K::FieldName)}</th><th>{i18n.t(K::PipelineKind)}</th>
                                <th class="num">{i18n.t(K::PipelineProbability)}</th><th class="num">{i18n.t(K::PipelinePosition)}</th>
                                <th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CommonActions)}</th>
                            </tr></thead>
                            <tbody>{rows.into_iter().map(|s| view! { <StageRow s=s save=save/> }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <h2>{i18n.t(K::PipelineNewStage)}</h2>
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="id" value=""/>
                <input type="hidden" name="version" value=""/>
                <label for="new-stage-code">{i18n.t(K::FieldCode)}</label>
                <input id="new-stage-code" name="input[code]" required maxlength="32"/>
                <p class="hint">{i18n.t(K::ValCode)}</p>
                <FieldMsg error=err field="code"/>
                <StageFields prefix="new-stage".into() s=None err=err/>
                <button type="submit" class="btn btn-primary">{i18n.t(K::CommonCreate)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StageRow(s: Stage, save: ServerAction<SaveStage>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(save);
    let name = s.clone();
    let kind = s.kind();
    let s2 = s.clone();
    view! {
        <tr>
            <td><code>{s.code.clone()}</code></td>
            <td>{move || name.name(i18n.lang())}</td>
            <td>{i18n.t(kind_key(kind))}</td>
            <td class="num">{s.probability}"%"</td>
            <td class="num">{s.position}</td>
            <td>{if s.active { view! { <Badge tone=Tone::Good label=K::StatusActive/> } } else { view! { <Badge tone=Tone::Neutral label=K::StatusInactive/> } }}</td>
            <td>
                <details>
                    <summary class="btn btn-small">{i18n.t(K::CommonEdit)}</summary>
                    <ActionForm action=save attr:class="form">
                        <input type="hidden" name="id" value=s.id/>
                        <input type="hidden" name="version" value=s.version/>
                        <StageFields prefix=format!("stage-{}", s.id) s=Some(s2.clone()) err=err/>
                        <label class="check"><input type="checkbox" name="active" value="on" checked=s.active/>" "{i18n.t(K::StatusActive)}</label>
                        <FieldMsg error=err field="active"/>
                        <button type="submit" class="btn btn-primary">{i18n.t(K::CommonSave)}</button>
                    </ActionForm>
                </details>
                <a class="btn btn-small btn-link" href=format!("/admin/audit?entity=opportunity_stage&record={}", s.id)>{i18n.t(K::AuditHistory)}</a>
            </td>
        </tr>
    }
}
