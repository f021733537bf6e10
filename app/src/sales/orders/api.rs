//! Server functions for orders (2.2.4) and receivables. Each: authenticate,
//! authorise per record, validate, one transaction with its audit entry.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, respond},
    crate::core::db::Db,
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::Role,
    crate::core::time::company_today,
    chrono::Utc,
};

#[cfg(feature = "ssr")]
fn conflict<T: Serialize>(current: Option<T>) -> AppError {
    match current {
        Some(c) => AppError::Conflict { current: serde_json::json!(c) },
        None => AppError::NotFound,
    }
}

#[cfg(feature = "ssr")]
async fn viewer_code(db: &Db, user: &CurrentUser) -> Result<String, AppError> {
    Ok(store::department_code(db, user.department_id).await?)
}

/// Finance and admins record payments.
#[cfg(feature = "ssr")]
fn can_pay(user: &CurrentUser, code: &str) -> bool {
    user.role == Role::Admin || code == store::FINANCE_DEPARTMENT
}

#[cfg(feature = "ssr")]
fn date_field(field: &str, s: &str, required: bool, c: &mut Checks) -> Option<chrono::NaiveDate> {
    if s.trim().is_empty() {
        if required {
            c.add(field, K::ValRequired);
        }
        return None;
    }
    let d = parse_date(s);
    if d.is_none() {
        c.add(field, K::OrdersValDate);
    }
    d
}

// ===== orders =====

/// Signed contracts the caller may see (to start an order from).
#[server(endpoint = "sales/order_contracts")]
pub async fn order_contracts() -> Result<Vec<ContractHead>, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        Ok(store::signed_contracts(&db, &user.viewer(), 100).await?)
    })
    .await
}

/// A signed contract and its lines, for the new-order form.
#[server(endpoint = "sales/order_contract")]
pub async fn order_contract(contract_id: i64) -> Result<ContractForOrder, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        store::signed_contract(&db, &user.viewer(), contract_id).await?.ok_or(AppError::NotFound)
    })
    .await
}

/// 2.2.4-a: an order from a signed contract the caller may see.
#[server(endpoint = "sales/create_order")]
pub async fn create_order(
    contract_id: i64,
    planned_ship_date: String,
    planned_delivery_date: String,
    line_dates: Option<Vec<String>>,
) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let c = store::signed_contract(&db, &user.viewer(), contract_id).await?.ok_or(AppError::NotFound)?;
        let mut checks = Checks::new();
        let ship = date_field("planned_ship_date", &planned_ship_date, false, &mut checks);
        let delivery = date_field("planned_delivery_date", &planned_delivery_date, true, &mut checks);
        if let (Some(s), Some(d)) = (ship, delivery)
            && s > d
        {
            checks.add("planned_ship_date", K::OrdersValShipAfterDelivery);
        }
        let raw = line_dates.unwrap_or_default();
        let mut dates = Vec::new();
        for (i, _) in c.lines.iter().enumerate() {
            let s = raw.get(i).map(String::as_str).unwrap_or("").trim();
            if s.is_empty() {
                dates.push(delivery.unwrap_or_default());
            } else if let Some(d) = parse_date(s) {
                dates.push(d);
            } else {
                checks.add("line_dates", K::OrdersValDate);
                break;
            }
        }
        if c.lines.is_empty() {
            checks.add("contract_id", K::OrdersValNoLines);
        }
        checks.finish()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let new = store::NewOrder { planned_ship_date: ship, planned_delivery_date: delivery.unwrap_or_default(), line_dates: dates };
        let mut tx = db.begin().await?;
        let id = store::create_order(&mut tx, &who, &c, &new, now).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/sales/orders/{id}"));
        Ok(id)
    })
    .await
}

/// Filters and paging of the order list, as in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub late: String,
    #[serde(default)]
    pub mine: String,
    #[serde(default)]
    pub after: String,
}

#[server(endpoint = "sales/orders")]
pub async fn list_orders(query: OrderQuery) -> Result<OrderPage, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let today = company_today(Utc::now());
        let f = store::OrderFilter {
            status: OrderStatus::parse(&query.status).map(|s| s.code().to_string()),
            q: query.q.clone(),
            late: !query.late.is_empty(),
            mine: !query.mine.is_empty(),
        };
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let page = store::orders(&db, &user.viewer(), &code, &f, today, after, crate::core::list::PAGE_SIZE).await?;
        Ok(OrderPage { page, today })
    })
    .await
}

#[server(endpoint = "sales/order")]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let order = store::visible_order(&db, &user.viewer(), &code, id).await?.ok_or(AppError::NotFound)?;
        let (lines, changes, updates, exceptions) = store::detail_parts(&db, id).await?;
        Ok(OrderDetail { order, lines, changes, updates, exceptions, time_zone: user.time_zone.clone(), today: company_today(Utc::now()) })
    })
    .await
}

/// 2.2.4-a: one status step, confirmed by the person; shipping records the
/// actual ship date, delivery the actual delivery date and quantities.
#[server(endpoint = "sales/advance_order")]
pub async fn advance_order(id: i64, version: i64, to: String, date: Option<String>, delivered: Option<Vec<String>>) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let order = store::visible_order(&db, &user.viewer(), &code, id).await?.ok_or(AppError::NotFound)?;
        let to = OrderStatus::parse(&to).ok_or(AppError::field("to", K::ValInvalid))?;
        order.status().step_to(to)?;
        let mut checks = Checks::new();
        let now = Utc::now();
        let today = company_today(now);
        let date = match to {
            OrderStatus::Shipped | OrderStatus::Delivered => {
                let d = date_field("date", date.as_deref().unwrap_or(""), true, &mut checks);
                if d.is_some_and(|d| d > today) {
                    checks.add("date", K::OrdersValFuture);
                }
                d
            }
            _ => None,
        };
        let mut qty = Vec::new();
        if to == OrderStatus::Delivered {
            for s in delivered.unwrap_or_default() {
                match s.trim().parse::<i64>() {
                    Ok(n) if n >= 0 => qty.push(n),
                    _ => {
                        checks.add("delivered", K::OrdersValQuantity);
                        break;
                    }
                }
            }
        }
        checks.finish()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::advance(&mut tx, &who, &order, version, &store::Step { to, date, delivered: qty }, now).await? {
            let current = store::order_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.2.4-b: what the customer was told, when and how. `told_at` is local time
/// ("2026-05-01T09:30") in the person's zone; empty means now.
#[server(endpoint = "sales/add_order_update")]
pub async fn add_order_update(order_id: i64, told_at: String, channel: String, content: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let order = store::visible_order(&db, &user.viewer(), &code, order_id).await?.ok_or(AppError::NotFound)?;
        let now = Utc::now();
        let mut checks = Checks::new();
        checks.require("content", &content);
        checks.max_len("content", &content, 2000);
        if !CHANNELS.contains(&channel.as_str()) {
            checks.add("channel", K::ValInvalid);
        }
        let when = if told_at.trim().is_empty() {
            Some(now)
        } else {
            let tz = crate::core::time::parse_tz(&user.time_zone).unwrap_or(crate::core::time::COMPANY_TZ);
            let local = chrono::NaiveDateTime::parse_from_str(told_at.trim(), "%Y-%m-%dT%H:%M")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(told_at.trim(), "%Y-%m-%dT%H:%M:%S"))
                .ok();
            let t = local.and_then(|l| l.and_local_timezone(tz).earliest()).map(|t| t.with_timezone(&Utc));
            match t {
                None => {
                    checks.add("told_at", K::OrdersValDate);
                    None
                }
                Some(t) if t > now + chrono::Duration::minutes(5) => {
                    checks.add("told_at", K::OrdersValFuture);
                    None
                }
                Some(t) => Some(t),
            }
        };
        checks.finish()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        store::add_update(&mut tx, &who, order.id, when.unwrap_or(now), &channel, content.trim(), now).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 2.2.4-c: an exception on an order, reported at once to the responsible leader.
#[server(endpoint = "sales/report_exception")]
pub async fn report_exception(order_id: i64, kind: String, description: String, cause: String, measures: String) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let order = store::visible_order(&db, &user.viewer(), &code, order_id).await?.ok_or(AppError::NotFound)?;
        let mut checks = Checks::new();
        if !EXCEPTION_KINDS.contains(&kind.as_str()) {
            checks.add("kind", K::ValInvalid);
        }
        checks.require("description", &description);
        checks.max_len("description", &description, 2000);
        checks.max_len("cause", &cause, 2000);
        checks.max_len("measures", &measures, 2000);
        checks.finish()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let days = crate::settings::store::int_tx(&mut tx, crate::settings::EXCEPTION_WORKING_DAYS).await?;
        // Due at the end of the last working day for cause and measures.
        let last_day = crate::core::time::add_working_days(company_today(now), days.max(0) as u32);
        let deadline = crate::core::time::company_midnight(last_day.succ_opt().unwrap_or(last_day));
        let e = store::NewException { kind, description: description.trim().to_string(), cause, measures };
        let id = store::report_exception(&mut tx, &who, &order, &e, deadline, now).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Cause, measures and status of an exception (status forward only).
#[server(endpoint = "sales/update_exception")]
pub async fn update_exception(id: i64, version: i64, cause: String, measures: String, status: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let who = actor(&user)?;
        let before = store::exception(&db, id).await?.ok_or(AppError::NotFound)?;
        store::visible_order(&db, &user.viewer(), &code, before.order_id).await?.ok_or(AppError::NotFound)?;
        let mut checks = Checks::new();
        checks.max_len("cause", &cause, 2000);
        checks.max_len("measures", &measures, 2000);
        checks.finish()?;
        exception_step(&before.status, &status, &cause, &measures)?;
        let mut tx = db.begin().await?;
        if !store::update_exception(&mut tx, &who, &before, version, &cause, &measures, &status, Utc::now()).await? {
            let current = store::exception_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

// ===== receivables =====

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReceivableQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub bucket: String,
    #[serde(default)]
    pub after: String,
}

/// Open receivables and their ageing, over what the caller may see.
#[server(endpoint = "sales/receivables")]
pub async fn list_receivables(query: ReceivableQuery) -> Result<ReceivablesView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let today = company_today(Utc::now());
        let f = store::ReceivableFilter { q: query.q.clone(), bucket: Bucket::parse(&query.bucket) };
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        let v = user.viewer();
        let page = store::receivables(&db, &v, &code, &f, today, after, crate::core::list::PAGE_SIZE).await?;
        let ageing = store::ageing(&db, &v, &code, today, 10).await?;
        Ok(ReceivablesView { page, ageing, can_pay: can_pay(&user, &code) })
    })
    .await
}

#[server(endpoint = "sales/receivable")]
pub async fn get_receivable(id: i64) -> Result<ReceivableDetail, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        let receivable = store::visible_receivable(&db, &user.viewer(), &code, id).await?.ok_or(AppError::NotFound)?;
        let payments = store::payments(&db, id).await?;
        Ok(ReceivableDetail { receivable, payments, today: company_today(Utc::now()), can_pay: can_pay(&user, &code) })
    })
    .await
}

/// Records a (partial) payment. Finance and admins only; the amount must be
/// positive and no more than what is outstanding.
#[server(endpoint = "sales/record_payment")]
pub async fn record_payment(id: i64, version: i64, paid_on: String, amount: String, method: String, reference: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let code = viewer_code(&db, &user).await?;
        if !can_pay(&user, &code) {
            return Err(AppError::Forbidden);
        }
        let r = store::visible_receivable(&db, &user.viewer(), &code, id).await?.ok_or(AppError::NotFound)?;
        if r.status != "open" {
            return Err(AppError::field("amount", K::RecvValNotOpen));
        }
        let (parsed, errors) = match check_payment(&amount, &r.currency, r.outstanding(), &paid_on) {
            Ok(v) => (Some(v), vec![]),
            Err(AppError::Validation(v)) => (None, v),
            Err(e) => return Err(e),
        };
        let mut checks = Checks(errors);
        if !PAYMENT_METHODS.contains(&method.as_str()) {
            checks.add("method", K::ValInvalid);
        }
        checks.max_len("reference", &reference, 100);
        if parsed.is_some_and(|(_, d)| d > company_today(Utc::now())) {
            checks.add("paid_on", K::OrdersValFuture);
        }
        checks.finish()?;
        let (minor, paid_on) = parsed.ok_or(AppError::Internal)?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let p = store::NewPayment { paid_on, amount_minor: minor, method, reference: reference.trim().to_string() };
        if !store::record_payment(&mut tx, &who, &r, version, &p, Utc::now()).await? {
            let current = store::receivable_tx(&mut tx, id).await?;
            return Err(conflict(current));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
