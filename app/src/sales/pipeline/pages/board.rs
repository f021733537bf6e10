//! /sales/pipeline: opportunities as cards in stage columns. Cards move by drag
//! and drop (HTML5 drag events, with JavaScript) or by the stage select on each
//! card (a plain form post without it, and for keyboard users). "Load more" is
//! a link with a per-column cursor, or appends in place with JavaScript.
use super::cny;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{ErrorBox, FieldMsg, FormError, Loading, action_error, echoed, href_with};
use crate::sales::pipeline::api::*;
use crate::sales::pipeline::model::{Card, Column, Stage, StageKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[cfg(feature = "hydrate")]
mod dnd {
    //! The few DataTransfer calls we need (web-sys's binding is not enabled).
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        pub type DragEv;
        #[wasm_bindgen(method, getter, js_name = dataTransfer)]
        pub fn data_transfer(this: &DragEv) -> Option<Transfer>;
        pub type Transfer;
        #[wasm_bindgen(method, js_name = setData)]
        pub fn set_data(this: &Transfer, format: &str, data: &str);
        #[wasm_bindgen(method, setter, js_name = effectAllowed)]
        pub fn set_effect_allowed(this: &Transfer, v: &str);
        #[wasm_bindgen(method, setter, js_name = dropEffect)]
        pub fn set_drop_effect(this: &Transfer, v: &str);
    }
    pub fn transfer(ev: &leptos::web_sys::DragEvent) -> Option<Transfer> {
        use wasm_bindgen::JsCast;
        ev.unchecked_ref::<DragEv>().data_transfer()
    }
}

/// The card being dragged: (id, version, stage, title).
type Dragged = Option<(i64, i64, String, String)>;

#[derive(Clone, Copy)]
struct BoardCtx {
    mv: ServerAction<MoveOpportunity>,
    dragging: RwSignal<Dragged>,
    /// A move to a lost stage waiting for its reason: (id, version, stage, title).
    lost_prompt: RwSignal<Dragged>,
}

fn board_query() -> BoardQuery {
    let q = use_query_map().get();
    let g = |k: &str| q.get(k).unwrap_or_default();
    let after = q
        .clone()
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix("after_").map(|s| format!("{s}:{v}")))
        .collect::<Vec<_>>()
        .join(";");
    BoardQuery { owner: g("owner"), department: g("department"), from: g("from"), to: g("to"), after }
}

/// The page's URL parameters except the per-column cursors.
fn base_params(q: &BoardQuery) -> Vec<(String, String)> {
    vec![
        ("owner".into(), q.owner.clone()),
        ("department".into(), q.department.clone()),
        ("from".into(), q.from.clone()),
        ("to".into(), q.to.clone()),
    ]
}

#[component]
pub fn PipelineBoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let mv = ServerAction::<MoveOpportunity>::new();
    let mv_err = action_error(mv);
    let query = Memo::new(move |_| board_query());
    let data = Resource::new(move || (query.get(), mv.version().get()), |(q, _)| load_board(q));
    // A post without JavaScript that chose "lost" without a reason comes back
    // here with the error; the reason form then names the card from the echo.
    let echo_id: i64 = echoed(None, "id", "").parse().unwrap_or(0);
    let echo_version: i64 = echoed(None, "version", "").parse().unwrap_or(0);
    let echo_stage = echoed(None, "stage", "");
    let initial_prompt = mv_err
        .get_untracked()
        .filter(|e| e.field_error("lost_reason").is_some() && echo_id > 0)
        .map(|_| (echo_id, echo_version, echo_stage.clone(), String::new()));
    let ctx = BoardCtx { mv, dragging: RwSignal::new(None), lost_prompt: RwSignal::new(initial_prompt) };
    // A successful move closes the reason form.
    Effect::new(move |_| {
        if let Some(Ok(_)) = mv.value().get() {
            ctx.lost_prompt.set(None);
        }
    });
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::NavPipeline)}</h1>
            <a class="btn btn-primary" href="/sales/opportunities/new">{i18n.t(K::PipelineNewOpportunity)}</a>
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <BoardView d=d query=query.get_untracked() ctx=ctx mv_err=mv_err/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BoardView(d: BoardData, query: BoardQuery, ctx: BoardCtx, #[prop(into)] mv_err: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let stages: Vec<Stage> = d.board.columns.iter().map(|c| c.stage.clone()).collect();
    let closed_from = d.board.closed_from.to_string();
    let closed_to = d.board.closed_to.map(|t| t.to_string()).unwrap_or_default();
    let q = query.clone();
    let owners = d.owners.clone();
    let depts = d.departments.clone();
    view! {
        <form method="get" action="/sales/pipeline" class="filters" role="search">
            <label>{i18n.t(K::PipelineOwner)}
                <select name="owner">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {owners.into_iter().map(|(id, name)| view! { <option value=id selected=id.to_string() == q.owner>{name}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::FieldDepartment)}
                <select name="department">
                    <option value="">{i18n.t(K::CommonAll)}</option>
                    {depts.into_iter().map(|(id, zh, en)| {
                        let sel = id.to_string() == q.department;
                        view! { <option value=id selected=sel>{move || if i18n.lang() == crate::core::i18n::Lang::Zh { zh.clone() } else { en.clone() }}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n.t(K::PipelineCloseFrom)}<input name="from" type="date" value=q.from.clone()/></label>
            <label>{i18n.t(K::PipelineCloseTo)}<input name="to" type="date" value=q.to.clone()/></label>
            <button type="submit" class="btn">{i18n.t(K::CommonFilter)}</button>
            <a href="/sales/pipeline" class="btn btn-link">{i18n.t(K::CommonReset)}</a>
        </form>
        <p class="hint">{move || {
            if closed_to.is_empty() {
                i18n.lang().tf(K::PipelineClosedSince, &[("from", closed_from.clone())])
            } else {
                i18n.lang().tf(K::PipelineClosedBetween, &[("from", closed_from.clone()), ("to", closed_to.clone())])
            }
        }}" "{i18n.t(K::PipelineDragHint)}</p>
        <FormError error=mv_err/>
        <FieldMsg error=mv_err field="stage"/>
        <LostPrompt ctx=ctx err=mv_err/>
        <div class="board" data-testid="board">
            {d.board.columns.into_iter().map(|c| view! { <BoardColumn col=c stages=stages.clone() query=query.clone() ctx=ctx/> }).collect_view()}
        </div>
    }
}

/// "Why was it lost?" before a card moves to a lost stage. With JavaScript it
/// opens on a drop or a select; without it, after the refused post.
#[component]
fn LostPrompt(ctx: BoardCtx, #[prop(into)] err: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let reason = NodeRef::<leptos::html::Textarea>::new();
    move || {
        ctx.lost_prompt.get().map(|(id, version, stage, title)| {
            let st = stage.clone();
            view! {
                <form method="post" action="/api/sales/move_opportunity" class="card form lost-prompt" data-testid="lost-prompt"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        let text = reason.get().map(|t| t.value()).unwrap_or_default();
                        ctx.mv.dispatch(MoveOpportunity { id, version, stage: st.clone(), lost_reason: Some(text) });
                    }>
                    <h2>{i18n.t(K::PipelineLostTitle)}</h2>
                    {(!title.is_empty()).then(|| view! { <p><strong>{title.clone()}</strong></p> })}
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <input type="hidden" name="stage" value=stage.clone()/>
                    <label for="lost-reason">{i18n.t(K::PipelineLostReason)}</label>
                    <textarea id="lost-reason" name="lost_reason" rows="3" maxlength="1000" node_ref=reason></textarea>
                    <FieldMsg error=err field="lost_reason"/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-danger">{i18n.t(K::PipelineMarkLost)}</button>
                        <a class="btn btn-link" href="/sales/pipeline" on:click=move |ev| { ev.prevent_default(); ctx.lost_prompt.set(None); }>{i18n.t(K::CommonCancel)}</a>
                    </div>
                </form>
            }
        })
    }
}

#[component]
fn BoardColumn(col: Column, stages: Vec<Stage>, query: BoardQuery, ctx: BoardCtx) -> impl IntoView {
    let i18n = use_i18n();
    let stage = col.stage.clone();
    let code = stage.code.clone();
    let kind = stage.kind();
    let extra: RwSignal<Vec<Card>> = RwSignal::new(vec![]);
    let next: RwSignal<Option<String>> = RwSignal::new(col.next.clone());
    let loading = RwSignal::new(false);
    let more_err: RwSignal<Option<AppError>> = RwSignal::new(None);
    let class = match kind {
        StageKind::Open => "column",
        StageKind::Won => "column column-won",
        StageKind::Lost => "column column-lost",
    };
    let drop_code = code.clone();
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some((id, version, from, title)) = ctx.dragging.get_untracked() else { return };
        ctx.dragging.set(None);
        if from == drop_code {
            return;
        }
        if kind == StageKind::Lost {
            ctx.lost_prompt.set(Some((id, version, drop_code.clone(), title)));
        } else {
            ctx.mv.dispatch(MoveOpportunity { id, version, stage: drop_code.clone(), lost_reason: None });
        }
    };
    let more_code = code.clone();
    let q2 = query.clone();
    let fetch_more = move || {
        if loading.get_untracked() {
            return;
        }
        let Some(after) = next.get_untracked() else { return };
        loading.set(true);
        let (q, stage) = (q2.clone(), more_code.clone());
        leptos::task::spawn_local(async move {
            match board_more(q, stage, after).await {
                Ok(m) => {
                    extra.update(|v| v.extend(m.cards));
                    next.set(m.next);
                    more_err.set(None);
                }
                Err(e) => more_err.set(Some(e)),
            }
            loading.set(false);
        });
    };
    let load_more = {
        let f = fetch_more.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            f();
        }
    };
    // Scrolling a column to its end loads its next cards (the button stays for
    // the keyboard and without JavaScript).
    let on_scroll = {
        let f = fetch_more.clone();
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    && el.scroll_top() + el.client_height() >= el.scroll_height() - 48
                {
                    f();
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, &f);
        }
    };
    let more_href = {
        let code = code.clone();
        let query = query.clone();
        move |cursor: String| {
            let mut p = base_params(&query);
            p.push((format!("after_{code}"), cursor));
            href_with("/sales/pipeline", &p)
        }
    };
    let first_href = href_with("/sales/pipeline", &base_params(&query));
    let s2 = stages.clone();
    let name = stage.clone();
    let more_id = format!("more-{code}");
    view! {
        <section class=class data-stage=code.clone() data-testid=format!("column-{code}")
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                #[cfg(feature = "hydrate")]
                if let Some(t) = dnd::transfer(&ev) { t.set_drop_effect("move"); }
            }
            on:drop=on_drop
            on:scroll=on_scroll>
            <header class="column-head">
                <h2>{move || name.name(i18n.lang())}" "<span class="muted">{stage.probability}"%"</span></h2>
                <dl class="column-sums">
                    <dt>{i18n.t(K::PipelineCount)}</dt><dd data-testid=format!("count-{code}")>{col.count}</dd>
                    <dt>{i18n.t(K::PipelineAmount)}</dt><dd data-testid=format!("amount-{code}")>{cny(col.amount_minor)}</dd>
                    <dt>{i18n.t(K::PipelineWeighted)}</dt><dd data-testid=format!("weighted-{code}")>{cny(col.weighted_minor)}</dd>
                </dl>
            </header>
            {col.paged.then(|| view! { <a class="btn btn-small btn-link" href=first_href.clone()>{i18n.t(K::TableFirstPage)}</a> })}
            <ul class="cards">
                {col.cards.into_iter().map(|c| view! { <BoardCard card=c stages=stages.clone() ctx=ctx/> }).collect_view()}
                <For each=move || extra.get() key=|c| c.id let:c>
                    <BoardCard card=c stages=s2.clone() ctx=ctx/>
                </For>
            </ul>
            {move || more_err.get().map(|e| view! { <ErrorBox error=e/> })}
            {move || next.get().map(|cursor| view! {
                <a class="btn btn-small load-more" href=more_href(cursor) on:click=load_more.clone() data-testid=more_id.clone()
                    aria-busy=move || loading.get().to_string()>{i18n.t(K::PipelineLoadMore)}</a>
            })}
        </section>
    }
}

#[component]
fn BoardCard(card: Card, stages: Vec<Stage>, ctx: BoardCtx) -> impl IntoView {
    let i18n = use_i18n();
    let select = NodeRef::<leptos::html::Select>::new();
    let (id, version) = (card.id, card.version);
    let stage_code = card.stage_code.clone();
    let title = card.title.clone();
    let drag_info = (id, version, stage_code.clone(), title.clone());
    let kinds: Vec<(String, StageKind)> = stages.iter().map(|s| (s.code.clone(), s.kind())).collect();
    let current = stage_code.clone();
    let title2 = title.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(to) = select.get().map(|s| s.value()) else { return };
        if to == current {
            return;
        }
        if kinds.iter().any(|(c, k)| *c == to && *k == StageKind::Lost) {
            ctx.lost_prompt.set(Some((id, version, to, title2.clone())));
        } else {
            ctx.mv.dispatch(MoveOpportunity { id, version, stage: to, lost_reason: None });
        }
    };
    view! {
        <li class="opp-card" draggable="true" data-id=id data-testid=format!("card-{id}")
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                ctx.dragging.set(Some(drag_info.clone()));
                #[cfg(feature = "hydrate")]
                if let Some(t) = dnd::transfer(&ev) {
                    t.set_data("text/plain", &id.to_string());
                    t.set_effect_allowed("move");
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
            on:dragend=move |_| ctx.dragging.set(None)>
            <a class="opp-title" href=format!("/sales/opportunities/{id}")>{title.clone()}</a>
            <p class="muted">{card.customer_name.clone()}</p>
            <p><strong>{card.amount().display()}</strong>" · "{card.expected_close.to_string()}</p>
            <p class="muted">{card.owner_name.clone()}</p>
            <form method="post" action="/api/sales/move_opportunity" class="card-move" on:submit=on_submit>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <label class="sr-only" for=format!("stage-{id}")>{i18n.t(K::PipelineStage)}</label>
                <select id=format!("stage-{id}") name="stage" node_ref=select>
                    {stages.iter().map(|s| {
                        let ss = s.clone();
                        view! { <option value=s.code.clone() selected=s.code == stage_code>{move || ss.name(i18n.lang())}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="btn btn-small">{i18n.t(K::PipelineMove)}</button>
            </form>
        </li>
    }
}
