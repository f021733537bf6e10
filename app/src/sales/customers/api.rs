//! Server functions for customers, contacts and visits (2.2.1). Each:
//! authenticate, authorise per record, validate, one transaction with its audit
//! entry, return a view type.
use super::model::*;
use crate::core::error::AppError;
use crate::core::list::Page;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{CurrentUser, actor, current_user, db, respond},
    crate::core::i18n::K,
    crate::core::perm::{Role, Viewer},
};

/// Filters, sorting and paging of the customer list, as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerQuery {
    pub q: String,
    pub status: String,
    pub intent: String,
    /// "me": only my customers; anything else: all I may see.
    pub owner: String,
    /// "1": key accounts only.
    pub key: String,
    /// "name" (default) or "updated".
    pub sort: String,
    pub dir: String,
    pub after: String,
}

#[cfg(feature = "ssr")]
impl CustomerQuery {
    fn filter(&self) -> store::CustomerFilter {
        store::CustomerFilter {
            q: self.q.clone(),
            status: CustomerStatus::parse(&self.status),
            intent: Intent::parse(&self.intent),
            mine: self.owner == "me",
            key_accounts: self.key == "1",
        }
    }
}

#[server(endpoint = "sales/customers")]
pub async fn list_customers(query: CustomerQuery) -> Result<Page<CustomerRow>, AppError> {
    respond(async move {
        let user = current_user()?;
        let dir = crate::core::list::Dir::parse(&query.dir);
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        Ok(store::customers(&db()?, &user.viewer(), &query.filter(), &query.sort, dir, after, crate::core::list::PAGE_SIZE).await?)
    })
    .await
}

/// Everything the customer page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub contacts: Vec<Contact>,
    pub visits: Vec<Visit>,
    pub opportunities: Vec<OpportunityLine>,
    pub contracts: Vec<ContractLine>,
    pub orders: Vec<OrderLine>,
    pub receivables: Vec<ReceivableLine>,
    pub outstanding_minor: i64,
    pub can_edit: bool,
    /// The company's date today (for overdue marks and form limits).
    pub today: NaiveDate,
}

#[cfg(feature = "ssr")]
fn today() -> NaiveDate {
    crate::core::time::company_today(chrono::Utc::now())
}

/// Managers reassign their department's customers, executives and admins any.
#[cfg(feature = "ssr")]
fn can_reassign(v: &Viewer, c: Option<&Customer>) -> bool {
    match v.role {
        Role::Admin | Role::Executive => true,
        Role::Manager => c.is_none_or(|c| c.department_id == v.department_id),
        Role::Staff => false,
    }
}

#[server(endpoint = "sales/customer")]
pub async fn get_customer(id: i64) -> Result<CustomerDetail, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let customer = store::customer(&db, id).await?.ok_or(AppError::NotFound)?;
        if !store::visible(&db, &v, id).await? {
            return Err(AppError::Forbidden);
        }
        let (receivables, outstanding_minor) = store::open_receivables_of(&db, &v, id).await?;
        Ok(CustomerDetail {
            can_edit: v.can_edit(&store::scope(&customer)),
            contacts: store::contacts_of(&db, id).await?,
            visits: store::visits_of(&db, id).await?,
            opportunities: store::opportunities_of(&db, &v, id).await?,
            contracts: store::contracts_of(&db, &v, id).await?,
            orders: store::orders_of(&db, &v, id).await?,
            receivables,
            outstanding_minor,
            customer,
            today: today(),
        })
    })
    .await
}

/// What the customer form needs: the record (when editing) and, for those who
/// may reassign, the people it can be given to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerFormData {
    pub customer: Option<Customer>,
    pub people: Vec<(i64, String)>,
    pub can_reassign: bool,
}

/// `id` 0: a new customer.
#[server(endpoint = "sales/customer_form")]
pub async fn customer_form(id: i64) -> Result<CustomerFormData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let customer = if id > 0 {
            let c = store::customer(&db, id).await?.ok_or(AppError::NotFound)?;
            if !v.can_edit(&store::scope(&c)) {
                return Err(AppError::Forbidden);
            }
            Some(c)
        } else {
            None
        };
        let can_reassign = can_reassign(&v, customer.as_ref());
        let mut people = if can_reassign { store::assignable_people(&db, &v).await? } else { vec![] };
        // The current owner is always offered, so saving never reassigns by accident.
        if let Some(c) = customer.as_ref().filter(|_| can_reassign)
            && !people.iter().any(|(id, _)| *id == c.owner_id)
        {
            people.insert(0, (c.owner_id, c.owner_name.clone()));
        }
        Ok(CustomerFormData { customer, people, can_reassign })
    })
    .await
}

/// Whether `viewer` may make `owner` the owner (managers: within their department).
#[cfg(feature = "ssr")]
async fn owner_allowed(tx: &mut crate::core::db::Tx, v: &Viewer, owner: i64) -> Result<i64, AppError> {
    let dept = store::user_department(tx, owner).await?.ok_or(AppError::field("owner_id", K::ValInvalid))?;
    if v.role.sees_everything() || (v.role == Role::Manager && dept == v.department_id) {
        Ok(dept)
    } else {
        Err(AppError::field("owner_id", K::CustomerValOwner))
    }
}

#[cfg(feature = "ssr")]
fn parse_num(field: &str, s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, K::ValInvalid))
}

/// Creates (empty `id`) or updates a customer. A new customer that looks like an
/// existing one is refused with the list of matches until `confirm` is ticked
/// (2.2.1-a duplicate check).
#[server(endpoint = "sales/save_customer")]
pub async fn save_customer(id: String, version: String, input: CustomerInput, confirm: Option<String>) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let v = user.viewer();
        let id = parse_num("id", &id)?;
        let db = db()?;
        let who = actor(&user)?;
        let now = chrono::Utc::now();
        let id = match id {
            None => {
                let data = input.validate()?;
                // 2.2.1-a: warn about likely duplicates; "create anyway" re-submits with confirm.
                if !confirm.as_deref().is_some_and(checkbox) {
                    let matches = store::find_duplicates(&db, &v, &data).await?;
                    if !matches.is_empty() {
                        return Err(duplicates_error(&matches));
                    }
                }
                let mut tx = db.begin().await?;
                let owner = data.owner_id.unwrap_or(user.id);
                let dept = if owner == user.id { user.department_id } else { owner_allowed(&mut tx, &v, owner).await? };
                let new_id = store::insert_customer(&mut tx, &who, &data, owner, dept, now).await?;
                tx.commit().await?;
                new_id
            }
            Some(id) => {
                let version = parse_num("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                let mut tx = db.begin().await?;
                let current = store::customer_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                if !v.can_edit(&store::scope(&current)) {
                    return Err(AppError::Forbidden);
                }
                let data = input.validate()?;
                let owner = data.owner_id.unwrap_or(current.owner_id);
                let dept = if owner == current.owner_id {
                    current.department_id
                } else {
                    if !can_reassign(&v, Some(&current)) {
                        return Err(AppError::field("owner_id", K::CustomerValOwner));
                    }
                    owner_allowed(&mut tx, &v, owner).await?
                };
                if !store::update_customer(&mut tx, &who, id, version, &data, owner, dept, now).await? {
                    let now_stored = store::customer_tx(&mut tx, id).await?;
                    return Err(conflict(now_stored));
                }
                tx.commit().await?;
                id
            }
        };
        leptos_axum::redirect(&format!("/sales/customers/{id}"));
        Ok(id)
    })
    .await
}

#[cfg(feature = "ssr")]
fn conflict<T: Serialize>(current: Option<T>) -> AppError {
    match current {
        Some(c) => AppError::Conflict { current: serde_json::json!(c) },
        None => AppError::NotFound,
    }
}

/// The customer, if `user` may change it (contacts and visits follow the customer).
#[cfg(feature = "ssr")]
async fn editable(tx: &mut crate::core::db::Tx, user: &CurrentUser, customer_id: i64) -> Result<Customer, AppError> {
    let c = store::customer_tx(tx, customer_id).await?.ok_or(AppError::NotFound)?;
    if !user.viewer().can_edit(&store::scope(&c)) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// Adds (empty `id`) or edits a contact of a customer.
#[server(endpoint = "sales/save_contact")]
pub async fn save_contact(customer_id: i64, id: String, version: String, input: ContactInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = chrono::Utc::now();
        let mut tx = db.begin().await?;
        editable(&mut tx, &user, customer_id).await?;
        let data = input.validate(today())?;
        let id = match parse_num("id", &id)? {
            None => store::insert_contact(&mut tx, &who, customer_id, &data, now).await?,
            Some(id) => {
                store::contact_tx(&mut tx, id).await?.filter(|c| c.customer_id == customer_id).ok_or(AppError::NotFound)?;
                let version = parse_num("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                if !store::update_contact(&mut tx, &who, id, version, &data, now).await? {
                    return Err(conflict(store::contact_tx(&mut tx, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Plans a visit (2.2.1-b): the customer's owner gets a task due on the planned date.
#[server(endpoint = "sales/plan_visit")]
pub async fn plan_visit(customer_id: i64, input: VisitPlanInput) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let c = editable(&mut tx, &user, customer_id).await?;
        let plan = input.validate(today())?;
        if let Some(contact) = plan.contact_id {
            let ok = store::contact_tx(&mut tx, contact).await?.is_some_and(|ct| ct.customer_id == customer_id);
            if !ok {
                return Err(AppError::field("contact_id", K::ValInvalid));
            }
        }
        let id = store::plan_visit(&mut tx, &who, &c, &plan, chrono::Utc::now()).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// The visit and its customer, if `user` may act on it: the customer's editors
/// and the person the visit is assigned to.
#[cfg(feature = "ssr")]
async fn visit_for_change(tx: &mut crate::core::db::Tx, user: &CurrentUser, id: i64) -> Result<Visit, AppError> {
    let visit = store::visit_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    let c = store::customer_tx(tx, visit.customer_id).await?.ok_or(AppError::NotFound)?;
    if visit.owner_id != user.id && !user.viewer().can_edit(&store::scope(&c)) {
        return Err(AppError::Forbidden);
    }
    Ok(visit)
}

/// Records a planned visit as made (outcome, next step); closes its task.
#[server(endpoint = "sales/record_visit")]
pub async fn record_visit(id: i64, version: i64, input: VisitRecordInput) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        visit_for_change(&mut tx, &user, id).await?;
        let rec = input.validate(today())?;
        if !store::record_visit(&mut tx, &who, id, version, &rec, chrono::Utc::now()).await? {
            return Err(conflict(store::visit_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Cancels a planned visit; closes its task.
#[server(endpoint = "sales/cancel_visit")]
pub async fn cancel_visit(id: i64, version: i64) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        visit_for_change(&mut tx, &user, id).await?;
        if !store::cancel_visit(&mut tx, &who, id, version, chrono::Utc::now()).await? {
            return Err(conflict(store::visit_tx(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// One person's visits in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarData {
    /// "2026-11"
    pub month: String,
    pub prev: String,
    pub next: String,
    pub today: NaiveDate,
    pub person_id: i64,
    /// Whose calendars the viewer may open (only themselves for staff).
    pub people: Vec<(i64, String)>,
    pub visits: Vec<Visit>,
}

/// `month` "2026-11" (empty: this month); `person` a user id (empty: me).
#[server(endpoint = "sales/visit_calendar")]
pub async fn visit_calendar(month: String, person: String) -> Result<CalendarData, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let v = user.viewer();
        let today = today();
        let first = match month.trim() {
            "" => parse_month(&month_code(today)).unwrap_or(today),
            m => parse_month(m).ok_or(AppError::field("month", K::ValInvalid))?,
        };
        let person_id = parse_num("person", &person)?.unwrap_or(user.id);
        let people = store::calendar_people(&db, &v).await?;
        if person_id != user.id && !people.iter().any(|(id, _)| *id == person_id) {
            return Err(AppError::Forbidden);
        }
        Ok(CalendarData {
            month: month_code(first),
            prev: month_code(prev_month(first)),
            next: month_code(next_month(first)),
            today,
            person_id,
            visits: store::visits_in_month(&db, person_id, first).await?,
            people,
        })
    })
    .await
}
