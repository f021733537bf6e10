use super::{RecordHistory, cny};
use crate::core::i18n::{K, use_i18n};
use crate::core::ui::{Badge, ConfirmAction, Empty, ErrorBox, FieldMsg, FormError, Loading, action_error, echoed};
use crate::sales::pipeline::api::*;
use crate::sales::pipeline::model::{QuotationStatus, discount_text};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// /sales/quotations/:id — lines from the catalogue, totals, approval, and a
/// clean printout (see `@media print` in style/main.css).
#[component]
pub fn QuotationDetailPage() -> impl IntoView {
    let add = ServerAction::<AddQuotationLine>::new();
    let remove = ServerAction::<RemoveQuotationLine>::new();
    let submit = ServerAction::<SubmitQuotation>::new();
    let decide = ServerAction::<DecideQuotation>::new();
    let send = ServerAction::<SendQuotation>::new();
    let id = move || use_params_map().get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(
        move || (id(), add.version().get(), remove.version().get(), submit.version().get(), decide.version().get(), send.version().get()),
        |(id, ..)| get_quotation(id),
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(d) => view! { <QuotationView d=d add=add remove=remove submit=submit decide=decide send=send/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QuotationView(
    d: QuotationDetail,
    add: ServerAction<AddQuotationLine>,
    remove: ServerAction<RemoveQuotationLine>,
    submit: ServerAction<SubmitQuotation>,
    decide: ServerAction<DecideQuotation>,
    send: ServerAction<SendQuotation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let q = d.q.clone();
    let status = q.status();
    let editable = d.can_edit && status.editable();
    let add_err = action_error(add);
    let submit_err = action_error(submit);
    let decide_err = action_error(decide);
    let send_err = action_error(send);
    let remove_err = action_error(remove);
    let delivery = d.lines.iter().map(|l| l.delivery_days).max().unwrap_or(0);
    let limit_bp = d.discount_limit_pct * 100;
    let id = q.id;
    let version = q.version;
    let id_s = id.to_string();
    view! {
        <div class="page-head">
            <h1>{i18n.t(K::PipelineQuotation)}" "{q.number.clone()}" "<Badge tone=status.tone() label=status.key()/></h1>
            <div class="actions">
                <a class="btn" href=format!("/sales/opportunities/{}", q.opportunity_id)>{i18n.t(K::PipelineBackToOpportunity)}</a>
                <button type="button" class="btn" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    { let _ = window().print(); }
                }>{i18n.t(K::PipelinePrint)}</button>
            </div>
        </div>
        <div class="quote-print-head">
            <p class="company">{i18n.t(K::PipelineCompanyName)}</p>
            <p class="doc-title">{i18n.t(K::PipelineQuotation)}" "{q.number.clone()}</p>
        </div>
        <dl class="card kv">
            <dt>{i18n.t(K::PipelineCustomer)}</dt><dd>{q.customer_name.clone()}</dd>
            <dt>{i18n.t(K::PipelineOpportunity)}</dt><dd>{q.opportunity_title.clone()}</dd>
            <dt>{i18n.t(K::PipelineQuoteDate)}</dt><dd>{crate::core::time::format_date_in(q.created_at, &d.time_zone)}</dd>
            <dt>{i18n.t(K::PipelineValidUntil)}</dt><dd>{q.valid_until.to_string()}</dd>
            <dt>{i18n.t(K::PipelineDeliveryTime)}</dt><dd>{move || i18n.lang().tf(K::PipelineDaysAfterOrder, &[("n", delivery.to_string())])}</dd>
            {(!q.notes.is_empty()).then(|| view! { <dt>{i18n.t(K::PipelineNotes)}</dt><dd class="pre">{q.notes.clone()}</dd> })}
            {q.approved_by_name.clone().map(|n| view! {
                <dt class="no-print">{i18n.t(K::PipelineDecidedBy)}</dt>
                <dd class="no-print">{n}" · "{q.approved_at.map(|t| crate::core::time::format_in(t, &d.time_zone)).unwrap_or_default()}
                    {(!q.approval_comment.is_empty()).then(|| view! { " · "<span class="pre" data-testid="approval-comment">{q.approval_comment.clone()}</span> })}
                </dd>
            })}
        </dl>
        <FormError error=remove_err/>
        <div class="table-wrap">
            <table class="data quote-lines" data-testid="quote-lines">
                <thead><tr>
                    <th>"#"</th><th>{i18n.t(K::FieldCode)}</th><th>{i18n.t(K::PipelineProduct)}</th><th>{i18n.t(K::PipelineSpecification)}</th>
                    <th class="num">{i18n.t(K::PipelineQuantity)}</th><th class="num">{i18n.t(K::PipelineUnitPrice)}</th>
                    <th class="num">{i18n.t(K::PipelineDiscount)}</th><th class="num">{i18n.t(K::PipelineLineTotal)}</th>
                    <th class="num">{i18n.t(K::PipelineDeliveryDays)}</th>
                    {editable.then(|| view! { <th class="no-print">{i18n.t(K::CommonActions)}</th> })}
                </tr></thead>
                <tbody>
                    {d.lines.clone().into_iter().enumerate().map(|(i, l)| {
                        let name = l.clone();
                        let over = l.discount_bp > limit_bp;
                        view! {
                            <tr>
                                <td>{i + 1}</td>
                                <td><code>{l.product_code.clone()}</code></td>
                                <td>{move || name.name(i18n.lang())}</td>
                                <td class="pre">{l.specification.clone()}</td>
                                <td class="num">{l.quantity}" "{l.unit.clone()}</td>
                                <td class="num">{cny(l.unit_price_minor)}</td>
                                <td class="num">{discount_text(l.discount_bp)}{over.then(|| view! { " "<Badge tone=crate::core::ui::Tone::Warn label=K::PipelineOverLimit/> })}</td>
                                <td class="num">{cny(l.line_total_minor)}</td>
                                <td class="num">{l.delivery_days}</td>
                                {editable.then(|| view! {
                                    <td class="no-print">
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="id" value=id/>
                                            <input type="hidden" name="version" value=version/>
                                            <input type="hidden" name="line_id" value=l.id/>
                                            <button type="submit" class="btn btn-small">{i18n.t(K::PipelineRemove)}</button>
                                        </ActionForm>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th colspan="7" class="num">{i18n.t(K::PipelineTotal)}</th><th class="num" data-testid="quote-total">{q.total().display()}</th><th></th></tr>
                </tfoot>
            </table>
        </div>
        {d.lines.is_empty().then(|| view! { <Empty label=K::PipelineNoLines/> })}
        <p class="hint">{move || i18n.lang().tf(K::PipelineDiscountRule, &[("limit", d.discount_limit_pct.to_string())])}</p>
        {editable.then(|| {
            let products = d.products.clone();
            let sel = echoed(Some(&id_s), "product_id", "");
            view! {
                <section class="card no-print">
                    <h2>{i18n.t(K::PipelineAddLine)}</h2>
                    <FormError error=add_err/>
                    <ActionForm action=add attr:class="form" attr:data-testid="line-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <label for="product_id">{i18n.t(K::PipelineProduct)}</label>
                        <select id="product_id" name="product_id" required>
                            <option value="">{i18n.t(K::CommonChoose)}</option>
                            {products.into_iter().map(|p| {
                                let selected = p.id.to_string() == sel;
                                let pp = p.clone();
                                view! { <option value=p.id selected=selected>{move || format!("{} {} · {} · {}", pp.code, pp.name(i18n.lang()), pp.price().display(), i18n.lang().tf(K::PipelineDaysAfterOrder, &[("n", pp.delivery_days.to_string())]))}</option> }
                            }).collect_view()}
                        </select>
                        <p class="hint">{i18n.t(K::PipelineCatalogueOnly)}</p>
                        <FieldMsg error=add_err field="product_id"/>
                        <label for="quantity">{i18n.t(K::PipelineQuantity)}</label>
                        <input id="quantity" name="quantity" type="number" min="1" value=echoed(Some(&id_s), "quantity", "1") required/>
                        <FieldMsg error=add_err field="quantity"/>
                        <label for="discount">{i18n.t(K::PipelineDiscount)}" (%)"</label>
                        <input id="discount" name="discount" inputmode="decimal" value=echoed(Some(&id_s), "discount", "0")/>
                        <FieldMsg error=add_err field="discount"/>
                        <div class="form-actions"><button type="submit" class="btn btn-primary">{i18n.t(K::PipelineAddLine)}</button></div>
                    </ActionForm>
                </section>
            }
        })}
        <section class="card no-print workflow" data-testid="quote-actions">
            <FormError error=submit_err/>
            <FieldMsg error=submit_err field="lines"/>
            <FormError error=send_err/>
            <FieldMsg error=send_err field="status"/>
            <FormError error=decide_err/>
            {editable.then(|| view! {
                <ConfirmAction label=K::PipelineSubmit question=K::PipelineSubmitQuestion>
                    <ActionForm action=submit>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="btn btn-primary" data-testid="submit-quote">{i18n.t(K::CommonConfirm)}</button>
                    </ActionForm>
                </ConfirmAction>
            })}
            {(d.can_decide && status == QuotationStatus::PendingApproval).then(|| view! {
                <ActionForm action=decide attr:class="form" attr:data-testid="decide-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <label for="comment">{i18n.t(K::PipelineComment)}</label>
                    <textarea id="comment" name="comment" rows="2" maxlength="2000"></textarea>
                    <p class="hint">{i18n.t(K::PipelineCommentHint)}</p>
                    <FieldMsg error=decide_err field="comment"/>
                    <div class="form-actions">
                        <button type="submit" name="decision" value="approve" class="btn btn-primary" data-testid="approve">{i18n.t(K::PipelineApprove)}</button>
                        <button type="submit" name="decision" value="reject" class="btn btn-danger" data-testid="reject">{i18n.t(K::PipelineReject)}</button>
                    </div>
                </ActionForm>
            })}
            {(d.can_edit && status == QuotationStatus::Approved).then(|| view! {
                <ConfirmAction label=K::PipelineMarkSent question=K::PipelineMarkSentQuestion>
                    <ActionForm action=send>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="btn btn-primary" data-testid="send-quote">{i18n.t(K::CommonConfirm)}</button>
                    </ActionForm>
                </ConfirmAction>
            })}
            {(status == QuotationStatus::PendingApproval && !d.can_decide).then(|| view! { <p class="hint">{i18n.t(K::PipelineWaitingApproval)}</p> })}
        </section>
        <div class="no-print"><RecordHistory entries=d.history.clone() tz=d.time_zone.clone()/></div>
    }
}
