use super::RowMsg;
use crate::core::error::AppError;
use crate::core::i18n::{K, use_i18n};
use crate::core::money::Money;
use crate::core::time::format_in;
use crate::core::ui::{Badge, ConfirmAction, Empty, ErrorBox, FieldMsg, FormError, Loading, Tone, action_error, echoed};
use crate::sales::contracts::api::*;
use crate::sales::contracts::model::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page's workflow actions (all refresh the contract when they finish).
#[derive(Clone, Copy)]
struct Acts {
    save: ServerAction<SaveContract>,
    decide: ServerAction<DecideReview>,
    sign: ServerAction<SignContract>,
    ack: ServerAction<AcknowledgeCopy>,
    amend: ServerAction<AmendContract>,
}

/// /sales/contracts/:id
#[component]
pub fn ContractPage() -> impl IntoView {
    let acts = Acts {
        save: ServerAction::new(),
        decide: ServerAction::new(),
        sign: ServerAction::new(),
        ack: ServerAction::new(),
        amend: ServerAction::new(),
    };
    let params = use_params_map();
    let id = move || params.get().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    // Reload after a successful action only: a refused one keeps what was typed.
    let done = RwSignal::new(0u32);
    bump_on_ok(acts.save, done);
    bump_on_ok(acts.decide, done);
    bump_on_ok(acts.sign, done);
    bump_on_ok(acts.ack, done);
    bump_on_ok(acts.amend, done);
    let data = Resource::new(move || (id(), done.get()), |(id, _)| get_contract(id));
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => view! { <ContractDetail v=v acts=acts/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Counts the action's successful results into `n`.
fn bump_on_ok<I, O>(action: ServerAction<I>, n: RwSignal<u32>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            n.update(|x| *x += 1);
        }
    });
}

fn when(t: Option<chrono::DateTime<chrono::Utc>>, tz: &str) -> String {
    t.map(|t| format_in(t, tz)).unwrap_or_default()
}

#[component]
fn ContractDetail(v: ContractView, acts: Acts) -> impl IntoView {
    let i18n = use_i18n();
    let c = v.contract.clone();
    let status = c.status();
    let tz = v.time_zone.clone();
    let current: Vec<Review> =
        v.reviews.iter().filter(|r| r.revision == c.revision && r.review_round == c.review_round).cloned().collect();
    let earlier: Vec<Review> =
        v.reviews.iter().filter(|r| !(r.revision == c.revision && r.review_round == c.review_round)).cloned().collect();
    let flagged = current.iter().any(|r| r.over_credit_limit) && status != ContractStatus::Signed;
    // Comments of the round that sent the contract back (2.2.3-c).
    let returned: Vec<Review> = if status == ContractStatus::Draft {
        current.iter().filter(|r| r.status() == ReviewStatus::Rejected).cloned().collect()
    } else {
        vec![]
    };
    let editing = status == ContractStatus::Draft && v.can_edit;
    let snap = Snapshot::of(&c, &v.lines, &v.instalments);
    let dept = c.clone();
    let amount = c.amount().display();
    let id = c.id;
    let customer_id = c.customer_id;
    let version = c.version;
    let amend_err = action_error(acts.amend);
    let decide_err = action_error(acts.decide);
    let ack_err = action_error(acts.ack);
    view! {
        <div class="page-head">
            <h1>
                <span data-testid="contract-number">{c.number.clone()}</span>" "{c.title.clone()}" "
                <span data-testid="contract-status"><Badge tone=status.tone() label=status.key()/></span>
            </h1>
            {(status == ContractStatus::Signed && v.can_edit).then(|| view! {
                <div class="actions">
                    <ConfirmAction label=K::ContractsAmend question=K::ContractsAmendQuestion>
                        <ActionForm action=acts.amend>
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <button type="submit" class="btn btn-primary" data-testid="amend-confirm">{i18n.t(K::CommonConfirm)}</button>
                        </ActionForm>
                    </ConfirmAction>
                </div>
            })}
        </div>
        <FormError error=amend_err/>
        {flagged.then(|| view! {
            <div class="alert alert-error credit-flag" role="alert" data-testid="credit-flag">
                <strong>{i18n.t(K::ContractsCreditFlag)}</strong>
                <p>{i18n.t(K::ContractsCreditFlagText)}</p>
                <crate::risk::credit::pages::ContractCreditNote customer_id=customer_id contract_id=id/>
            </div>
        })}
        {(!returned.is_empty()).then(|| view! {
            <div class="alert alert-error" role="alert" data-testid="returned">
                <strong>{i18n.t(K::ContractsReturned)}</strong>
                <ul>
                    {returned.iter().map(|r| {
                        let r2 = r.clone();
                        view! { <li>{move || r2.department(i18n.lang())}" · "{r.reviewer_name.clone().unwrap_or_default()}": "<q>{r.comment.clone()}</q></li> }
                    }).collect_view()}
                </ul>
            </div>
        })}
        <dl class="card kv">
            <dt>{i18n.t(K::ContractsCustomer)}</dt><dd>{c.customer_name.clone()}</dd>
            <dt>{i18n.t(K::ContractsOpportunity)}</dt><dd>{c.opportunity_title.clone().unwrap_or_default()}</dd>
            <dt>{i18n.t(K::ContractsAmount)}</dt><dd data-testid="contract-amount">{amount}</dd>
            <dt>{i18n.t(K::ContractsRevision)}</dt><dd>{c.revision}</dd>
            <dt>{i18n.t(K::ContractsOwner)}</dt><dd>{c.owner_name.clone()}</dd>
            <dt>{i18n.t(K::FieldDepartment)}</dt><dd>{move || dept.department(i18n.lang())}</dd>
            <dt>{i18n.t(K::ContractsSubmittedAt)}</dt><dd>{when(c.submitted_at, &tz)}</dd>
            <dt>{i18n.t(K::ContractsApprovedAt)}</dt><dd>{when(c.approved_at, &tz)}</dd>
            <dt>{i18n.t(K::ContractsSignedAt)}</dt><dd>{when(c.signed_at, &tz)}" "{c.signer_name.clone().unwrap_or_default()}</dd>
        </dl>
        {if editing {
            view! { <TermsForm c=c.clone() lines=v.lines.clone() instalments=v.instalments.clone() save=acts.save/> }.into_any()
        } else {
            view! { <TermsView snap=snap/> }.into_any()
        }}
        <section class="card" data-testid="reviews">
            <h2>{i18n.t(K::ContractsReviews)}</h2>
            <FormError error=decide_err/>
            {if current.is_empty() {
                view! { <Empty label=K::ContractsNoReviews/> }.into_any()
            } else {
                let tz = tz.clone();
                let mine = v.my_department_id;
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::FieldDepartment)}</th><th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::ContractsReviewer)}</th>
                            <th>{i18n.t(K::ContractsComment)}</th><th>{i18n.t(K::CommonTime)}</th><th>{i18n.t(K::CommonActions)}</th>
                        </tr></thead>
                        <tbody>
                            {current.into_iter().map(|r| view! { <ReviewRow r=r mine=mine tz=tz.clone() decide=acts.decide/> }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            {(!earlier.is_empty()).then(|| {
                let tz = tz.clone();
                view! {
                    <details class="earlier">
                        <summary>{i18n.t(K::ContractsEarlierReviews)}</summary>
                        <ul>
                            {earlier.into_iter().map(|r| {
                                let s = r.status();
                                let r2 = r.clone();
                                view! {
                                    <li>
                                        {move || i18n.lang().tf(K::ContractsRoundLabel, &[("revision", r2.revision.to_string()), ("round", r2.review_round.to_string())])}" · "
                                        {let r3 = r.clone(); move || r3.department(i18n.lang())}" "<Badge tone=s.tone() label=s.key()/>" "
                                        {r.reviewer_name.clone().unwrap_or_default()}" "{when(r.decided_at, &tz)}
                                        {(!r.comment.is_empty()).then(|| view! { ": "<q>{r.comment.clone()}</q> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                }
            })}
        </section>
        {(status == ContractStatus::Approved).then(|| view! { <SignBox c=c.clone() authority=v.my_authority.clone() sign=acts.sign/> })}
        {(!v.copies.is_empty()).then(|| {
            let tz = tz.clone();
            let mine = v.my_department_id;
            view! {
                <section class="card" data-testid="copies">
                    <h2>{i18n.t(K::ContractsCopies)}</h2>
                    <FormError error=ack_err/>
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th>{i18n.t(K::FieldDepartment)}</th><th>{i18n.t(K::ContractsRevision)}</th><th>{i18n.t(K::ContractsSentAt)}</th>
                            <th>{i18n.t(K::ContractsAckDeadline)}</th><th>{i18n.t(K::FieldStatus)}</th><th>{i18n.t(K::CommonActions)}</th>
                        </tr></thead>
                        <tbody>
                            {v.copies.into_iter().map(|cv| view! { <CopyRow cv=cv mine=mine tz=tz.clone() ack=acts.ack/> }).collect_view()}
                        </tbody>
                    </table></div>
                </section>
            }
        })}
        {(!v.versions.is_empty()).then(|| {
            let tz = tz.clone();
            view! {
                <section class="card" data-testid="versions">
                    <h2>{i18n.t(K::ContractsVersions)}</h2>
                    <ul>
                        {v.versions.into_iter().map(|ver| {
                            let rev = ver.revision;
                            view! {
                                <li>
                                    <a href=format!("/sales/contracts/{id}/versions/{rev}")>{move || i18n.lang().tf(K::ContractsRevisionN, &[("n", rev.to_string())])}</a>
                                    " · "{when(Some(ver.created_at), &tz)}
                                    {ver.signed_at.map(|s| view! { " · "{i18n.t(K::ContractsStatusSigned)}" "{when(Some(s), &tz)}" "{ver.signer_name.clone().unwrap_or_default()} })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })}
        <crate::audit::pages::History entity="contract" id=id/>
    }
}

#[component]
fn ReviewRow(r: Review, mine: i64, tz: String, decide: ServerAction<DecideReview>) -> impl IntoView {
    let i18n = use_i18n();
    let s = r.status();
    let can_decide = s == ReviewStatus::Pending && r.department_id == mine;
    let err = action_error(decide);
    let r2 = r.clone();
    let form_id = format!("review-{}", r.id);
    view! {
        <tr data-testid=format!("review-{}", r.department_zh)>
            <td>{move || r2.department(i18n.lang())}
                {r.over_credit_limit.then(|| view! { " "<Badge tone=Tone::Bad label=K::ContractsCreditBadge/> })}
            </td>
            <td><Badge tone=s.tone() label=s.key()/></td>
            <td>{r.reviewer_name.clone().unwrap_or_default()}</td>
            <td>{r.comment.clone()}</td>
            <td>{when(r.decided_at, &tz)}</td>
            <td>
                {can_decide.then(|| view! {
                    <ActionForm action=decide attr:class="review-form" attr:data-testid="review-form">
                        <input type="hidden" name="review_id" value=r.id/>
                        <input type="hidden" name="version" value=r.version/>
                        <label for=form_id.clone()>{i18n.t(K::ContractsComment)}</label>
                        <textarea id=form_id.clone() name="comment" rows="2">{echoed(None, "comment", "")}</textarea>
                        <FieldMsg error=err field="comment"/>
                        <div class="form-actions">
                            <button type="submit" name="decision" value="approve" class="btn btn-primary">{i18n.t(K::ContractsApprove)}</button>
                            <button type="submit" name="decision" value="reject" class="btn btn-danger">{i18n.t(K::ContractsReject)}</button>
                        </div>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

#[component]
fn CopyRow(cv: CopyView, mine: i64, tz: String, ack: ServerAction<AcknowledgeCopy>) -> impl IntoView {
    let i18n = use_i18n();
    let c = cv.copy.clone();
    let c2 = c.clone();
    let can_ack = c.acknowledged_at.is_none() && c.department_id == mine;
    view! {
        <tr data-testid=format!("copy-{}", c.department_zh)>
            <td>{move || c2.department(i18n.lang())}</td>
            <td>{c.revision}</td>
            <td>{format_in(c.sent_at, &tz)}</td>
            <td>{cv.deadline.to_string()}</td>
            <td>
                {match (c.acknowledged_at, cv.late) {
                    (Some(t), _) => view! { <Badge tone=Tone::Good label=K::ContractsAcknowledged/>" "{format_in(t, &tz)}" "{c.acknowledged_by_name.clone().unwrap_or_default()} }.into_any(),
                    (None, true) => view! { <Badge tone=Tone::Bad label=K::ContractsAckLate/> }.into_any(),
                    (None, false) => view! { <Badge tone=Tone::Warn label=K::ContractsAckPending/> }.into_any(),
                }}
            </td>
            <td>
                {can_ack.then(|| view! {
                    <ActionForm action=ack attr:class="inline">
                        <input type="hidden" name="copy_id" value=c.id/>
                        <input type="hidden" name="version" value=c.version/>
                        <button type="submit" class="btn btn-small btn-primary" data-testid="ack-copy">{i18n.t(K::ContractsAcknowledge)}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

/// 2.2.3-d: signing, for people with an authority (the server decides whether it covers the amount).
#[component]
fn SignBox(c: Contract, authority: Option<(i64, String)>, sign: ServerAction<SignContract>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(sign);
    view! {
        <section class="card" data-testid="sign-box">
            <h2>{i18n.t(K::ContractsSigning)}</h2>
            {match authority {
                None => view! { <p class="hint">{i18n.t(K::ContractsAwaitingSignature)}</p> }.into_any(),
                Some((limit, cur)) => {
                    let limit_text = Money::new(limit, &cur).display();
                    view! {
                        <p class="hint">{move || i18n.lang().tf(K::ContractsYourLimit, &[("limit", limit_text.clone())])}</p>
                        <FormError error=err/>
                        <FieldMsg error=err field="signer"/>
                        <ConfirmAction label=K::ContractsSign question=K::ContractsSignQuestion>
                            <ActionForm action=sign>
                                <input type="hidden" name="id" value=c.id/>
                                <input type="hidden" name="version" value=c.version/>
                                <button type="submit" class="btn btn-primary" data-testid="sign-confirm">{i18n.t(K::CommonConfirm)}</button>
                            </ActionForm>
                        </ConfirmAction>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The terms as stated (read-only): the current ones, or a frozen revision.
#[component]
fn TermsView(snap: Snapshot) -> impl IntoView {
    let i18n = use_i18n();
    let cur = snap.currency.clone();
    let cur2 = cur.clone();
    view! {
        <section class="card terms" data-testid="terms">
            <h2>{i18n.t(K::ContractsTerms)}</h2>
            <dl class="kv">
                <dt>{i18n.t(K::ContractsTitle)}</dt><dd>{snap.title.clone()}</dd>
                <dt>{i18n.t(K::ContractsRightsObligations)}</dt><dd class="pre">{snap.rights_obligations.clone()}</dd>
                <dt>{i18n.t(K::ContractsDeliveryDate)}</dt><dd>{snap.delivery_date.map(|d| d.to_string()).unwrap_or_default()}</dd>
                <dt>{i18n.t(K::ContractsPaymentTerms)}</dt><dd class="pre">{snap.payment_terms.clone()}</dd>
                <dt>{i18n.t(K::ContractsBreachLiability)}</dt><dd class="pre">{snap.breach_liability.clone()}</dd>
            </dl>
            <h3>{i18n.t(K::ContractsLines)}</h3>
            <div class="table-wrap"><table class="data">
                <thead><tr>
                    <th>{i18n.t(K::ContractsDescription)}</th><th>{i18n.t(K::ContractsSpecification)}</th><th>{i18n.t(K::ContractsUnit)}</th>
                    <th>{i18n.t(K::ContractsQuantity)}</th><th>{i18n.t(K::ContractsUnitPrice)}</th><th>{i18n.t(K::ContractsDiscount)}</th>
                    <th>{i18n.t(K::ContractsLineTotal)}</th>
                </tr></thead>
                <tbody>
                    {snap.lines.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.description}</td><td>{l.specification}</td><td>{l.unit}</td><td class="num">{l.quantity}</td>
                            <td class="num">{Money::new(l.unit_price_minor, &cur).display()}</td>
                            <td class="num">{discount_text(l.discount_bp)}"%"</td>
                            <td class="num">{Money::new(l.line_total_minor, &cur).display()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th colspan="6">{i18n.t(K::ContractsAmount)}</th><th class="num">{Money::new(snap.amount_minor, &cur).display()}</th></tr></tfoot>
            </table></div>
            <h3>{i18n.t(K::ContractsInstalments)}</h3>
            <div class="table-wrap"><table class="data">
                <thead><tr><th>"#"</th><th>{i18n.t(K::ContractsDueDate)}</th><th>{i18n.t(K::ContractsInstalmentAmount)}</th><th>{i18n.t(K::ContractsDescription)}</th></tr></thead>
                <tbody>
                    {snap.instalments.into_iter().map(|p| view! {
                        <tr><td>{p.seq}</td><td>{p.due_date.to_string()}</td><td class="num">{Money::new(p.amount_minor, &cur2).display()}</td><td>{p.description}</td></tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
    }
}

/// The draft's terms (2.2.3-b): every required term, lines and instalments
/// with add/remove. "Submit for review" checks them all and marks what is missing.
#[component]
fn TermsForm(c: Contract, lines: Vec<Line>, instalments: Vec<Instalment>, save: ServerAction<SaveContract>) -> impl IntoView {
    let i18n = use_i18n();
    let err = action_error(save);
    let fid = c.id.to_string();
    let f2 = fid.clone();
    let start = move |name: &str, default: String| echoed(Some(&f2), &format!("input[{name}]"), default);
    let cur = c.currency.clone();
    let n_lines = lines.len();
    let n_inst = instalments.len();
    // One blank row each; "add" appends more (with JavaScript; without, saving gives a new blank row).
    let extra_lines = RwSignal::new(1usize);
    let extra_inst = RwSignal::new(1usize);
    let (fl, fi) = (fid.clone(), fid.clone());
    let (cl, ci) = (cur.clone(), cur.clone());
    view! {
        <section class="card">
            <h2>{i18n.t(K::ContractsTerms)}</h2>
            <p class="hint">{i18n.t(K::ContractsTermsHint)}</p>
            <FormError error=err/>
            <ActionForm action=save attr:class="form terms-form" attr:data-testid="terms-form">
                <input type="hidden" name="id" value=c.id/>
                <input type="hidden" name="version" value=c.version/>
                <label for="title">{i18n.t(K::ContractsTitle)}</label>
                <input id="title" name="input[title]" value=start("title", c.title.clone()) maxlength="200"/>
                <FieldMsg error=err field="title"/>
                <label for="rights_obligations">{i18n.t(K::ContractsRightsObligations)}</label>
                <textarea id="rights_obligations" name="input[rights_obligations]" rows="4">{start("rights_obligations", c.rights_obligations.clone())}</textarea>
                <FieldMsg error=err field="rights_obligations"/>

                <fieldset class="rows" id="lines">
                    <legend>{i18n.t(K::ContractsLines)}</legend>
                    <FieldMsg error=err field="lines"/>
                    <div class="table-wrap"><table class="data edit">
                        <thead><tr>
                            <th>{i18n.t(K::ContractsDescription)}</th><th>{i18n.t(K::ContractsSpecification)}</th><th>{i18n.t(K::ContractsUnit)}</th>
                            <th>{i18n.t(K::ContractsQuantity)}</th><th>{i18n.t(K::ContractsUnitPrice)}</th><th>{i18n.t(K::ContractsDiscountPct)}</th>
                            <th>{i18n.t(K::ContractsLineTotal)}</th><th>{i18n.t(K::ContractsRemove)}</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().enumerate().map(|(i, l)| view! { <LineRow i=i line=Some(l) fid=fid.clone() cur=cur.clone() err=err/> }).collect_view()}
                            <For each=move || n_lines..n_lines + extra_lines.get() key=|i| *i let(i)>
                                <LineRow i=i line=None fid=fl.clone() cur=cl.clone() err=err/>
                            </For>
                        </tbody>
                        <tfoot><tr><th colspan="6">{i18n.t(K::ContractsAmountComputed)}</th><th class="num" data-testid="terms-amount">{c.amount().display()}</th><th></th></tr></tfoot>
                    </table></div>
                    <button type="button" class="btn btn-small" data-testid="add-line" on:click=move |_| extra_lines.update(|n| *n += 1)>{i18n.t(K::ContractsAddLine)}</button>
                </fieldset>

                <label for="delivery_date">{i18n.t(K::ContractsDeliveryDate)}</label>
                <input id="delivery_date" name="input[delivery_date]" type="date" value=start("delivery_date", c.delivery_date.map(|d| d.to_string()).unwrap_or_default())/>
                <FieldMsg error=err field="delivery_date"/>

                <fieldset class="rows" id="instalments">
                    <legend>{i18n.t(K::ContractsInstalments)}</legend>
                    <p class="hint">{i18n.t(K::ContractsInstalmentsHint)}</p>
                    <FieldMsg error=err field="instalments"/>
                    <div class="table-wrap"><table class="data edit">
                        <thead><tr>
                            <th>{i18n.t(K::ContractsDueDate)}</th><th>{i18n.t(K::ContractsInstalmentAmount)}</th>
                            <th>{i18n.t(K::ContractsDescription)}</th><th>{i18n.t(K::ContractsRemove)}</th>
                        </tr></thead>
                        <tbody>
                            {instalments.into_iter().enumerate().map(|(i, p)| view! { <InstalmentRow i=i row=Some(p) fid=fid.clone() cur=ci.clone() err=err/> }).collect_view()}
                            <For each=move || n_inst..n_inst + extra_inst.get() key=|i| *i let(i)>
                                <InstalmentRow i=i row=None fid=fi.clone() cur=ci.clone() err=err/>
                            </For>
                        </tbody>
                    </table></div>
                    <button type="button" class="btn btn-small" data-testid="add-instalment" on:click=move |_| extra_inst.update(|n| *n += 1)>{i18n.t(K::ContractsAddInstalment)}</button>
                </fieldset>
                <label for="payment_terms">{i18n.t(K::ContractsPaymentTerms)}</label>
                <textarea id="payment_terms" name="input[payment_terms]" rows="2">{start("payment_terms", c.payment_terms.clone())}</textarea>
                <FieldMsg error=err field="payment_terms"/>
                <label for="breach_liability">{i18n.t(K::ContractsBreachLiability)}</label>
                <textarea id="breach_liability" name="input[breach_liability]" rows="3">{start("breach_liability", c.breach_liability.clone())}</textarea>
                <FieldMsg error=err field="breach_liability"/>
                <FieldMsg error=err field="status"/>
                <div class="form-actions">
                    <button type="submit" class="btn" data-testid="save-draft" disabled=move || save.pending().get()>{i18n.t(K::ContractsSaveDraft)}</button>
                    <button type="submit" name="submit" value="true" class="btn btn-primary" data-testid="submit-review" disabled=move || save.pending().get()>{i18n.t(K::ContractsSubmit)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn LineRow(i: usize, line: Option<Line>, fid: String, cur: String, #[prop(into)] err: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let name = move |f: &str| format!("input[lines][{i}][{f}]");
    let v = |f: &str, d: String| echoed(Some(&fid), &format!("input[lines][{i}][{f}]"), d);
    let l = line.clone();
    let g = move |f: fn(&Line) -> String| l.as_ref().map(f).unwrap_or_default();
    let cur2 = cur.clone();
    let total = line.as_ref().map(|l| Money::new(l.line_total_minor, &cur2).display()).unwrap_or_default();
    let field = move |f: &str| row_field("lines", i, f);
    let label = move |k: K| i18n.get(k);
    view! {
        <tr>
            <td>
                <input type="hidden" name=name("product_id") value=g(|l| l.product_id.map(|p| p.to_string()).unwrap_or_default())/>
                <input id=format!("line-{i}-description") name=name("description") value=v("description", g(|l| l.description.clone())) aria-label=move || label(K::ContractsDescription)/>
                <RowMsg error=err field=field("description")/>
            </td>
            <td><input id=format!("line-{i}-specification") name=name("specification") value=v("specification", g(|l| l.specification.clone())) aria-label=move || label(K::ContractsSpecification)/></td>
            <td><input class="short" id=format!("line-{i}-unit") name=name("unit") value=v("unit", g(|l| l.unit.clone())) aria-label=move || label(K::ContractsUnit)/></td>
            <td>
                <input class="short" id=format!("line-{i}-quantity") name=name("quantity") inputmode="numeric" value=v("quantity", g(|l| l.quantity.to_string())) aria-label=move || label(K::ContractsQuantity)/>
                <RowMsg error=err field=field("quantity")/>
            </td>
            <td>
                <input id=format!("line-{i}-unit_price") name=name("unit_price") inputmode="decimal" value=v("unit_price", { let c = cur.clone(); line.as_ref().map(|l| money_input(l.unit_price_minor, &c)).unwrap_or_default() }) aria-label=move || label(K::ContractsUnitPrice)/>
                <RowMsg error=err field=field("unit_price")/>
            </td>
            <td>
                <input class="short" id=format!("line-{i}-discount_pct") name=name("discount_pct") inputmode="decimal" value=v("discount_pct", line.as_ref().map(|l| discount_text(l.discount_bp)).unwrap_or_default()) aria-label=move || label(K::ContractsDiscountPct)/>
                <RowMsg error=err field=field("discount_pct")/>
            </td>
            <td class="num">{total}</td>
            <td>{line.is_some().then(|| view! { <input type="checkbox" name=name("remove") aria-label=move || label(K::ContractsRemove)/> })}</td>
        </tr>
    }
}

#[component]
fn InstalmentRow(i: usize, row: Option<Instalment>, fid: String, cur: String, #[prop(into)] err: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let name = move |f: &str| format!("input[instalments][{i}][{f}]");
    let v = |f: &str, d: String| echoed(Some(&fid), &format!("input[instalments][{i}][{f}]"), d);
    let field = move |f: &str| row_field("instalments", i, f);
    let label = move |k: K| i18n.get(k);
    view! {
        <tr>
            <td>
                <input id=format!("inst-{i}-due_date") type="date" name=name("due_date") value=v("due_date", row.as_ref().map(|r| r.due_date.to_string()).unwrap_or_default()) aria-label=move || label(K::ContractsDueDate)/>
                <RowMsg error=err field=field("due_date")/>
            </td>
            <td>
                <input id=format!("inst-{i}-amount") name=name("amount") inputmode="decimal" value=v("amount", row.as_ref().map(|r| money_input(r.amount_minor, &cur)).unwrap_or_default()) aria-label=move || label(K::ContractsInstalmentAmount)/>
                <RowMsg error=err field=field("amount")/>
            </td>
            <td><input id=format!("inst-{i}-description") name=name("description") value=v("description", row.as_ref().map(|r| r.description.clone()).unwrap_or_default()) aria-label=move || label(K::ContractsDescription)/></td>
            <td>{row.is_some().then(|| view! { <input type="checkbox" name=name("remove") aria-label=move || label(K::ContractsRemove)/> })}</td>
        </tr>
    }
}

/// /sales/contracts/:id/versions/:rev: a frozen revision, read-only.
#[component]
pub fn ContractVersionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || {
        let p = params.get();
        (p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0), p.get("rev").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    };
    let data = Resource::new(key, |(id, rev)| contract_version(id, rev));
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(v) => {
                        let rev = v.snapshot.revision;
                        let title = format!("{} {}", v.snapshot.number, v.snapshot.title);
                        let signed = v.signed_at.map(|t| format!("{} {}", format_in(t, &v.time_zone), v.signer_name.clone().unwrap_or_default()));
                        view! {
                            <div class="page-head">
                                <h1>{title}" · "<span data-testid="version-label">{move || i18n.lang().tf(K::ContractsRevisionN, &[("n", rev.to_string())])}</span></h1>
                                <a class="btn" href=format!("/sales/contracts/{}", v.contract_id)>{i18n.t(K::ContractsBackToContract)}</a>
                            </div>
                            <p class="hint">
                                {move || i18n.lang().tf(K::ContractsFrozenHint, &[("n", v.current_revision.to_string())])}
                                {signed.map(|s| view! { " · "{i18n.t(K::ContractsStatusSigned)}" "{s} })}
                            </p>
                            <p>{i18n.t(K::ContractsCustomer)}": "{v.snapshot.customer_name.clone()}</p>
                            <TermsView snap=v.snapshot/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
