//! Server functions for organisation and people. Each: authenticate, authorise,
//! validate, one transaction with its audit entry, return a view type.
use super::model::*;
use crate::core::error::AppError;
use crate::core::list::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, require_admin, respond},
    crate::core::error::Checks,
    crate::core::i18n::K,
};

#[cfg(feature = "ssr")]
fn parse_num(field: &str, s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, K::ValInvalid))
}

#[server(endpoint = "org/departments")]
pub async fn list_departments() -> Result<Vec<Department>, AppError> {
    respond(async {
        current_user()?;
        Ok(store::departments(&db()?).await?)
    })
    .await
}

#[server(endpoint = "org/positions")]
pub async fn list_positions() -> Result<Vec<Position>, AppError> {
    respond(async {
        current_user()?;
        Ok(store::positions(&db()?).await?)
    })
    .await
}

/// A code that is already used becomes a message at the code field.
#[cfg(feature = "ssr")]
fn code_error(e: sqlx::Error) -> AppError {
    if crate::core::db::is_unique_violation(&e) { AppError::field("code", K::ValTaken) } else { e.into() }
}

/// The record as it is now, for a refused stale save.
#[cfg(feature = "ssr")]
fn conflict<T: serde::Serialize>(current: Option<T>) -> AppError {
    match current {
        Some(c) => AppError::Conflict { current: serde_json::json!(c) },
        None => AppError::NotFound,
    }
}

/// Creates (empty `id`) or updates a department. Admins only.
#[server(endpoint = "org/save_department")]
pub async fn save_department(id: String, version: String, input: UnitInput, active: Option<String>) -> Result<i64, AppError> {
    respond(async move {
        let user = require_admin()?;
        let u = input.validate()?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let id = match parse_num("id", &id)? {
            None => store::insert_department(&mut tx, &who, &u).await.map_err(code_error)?,
            Some(id) => {
                let version = parse_num("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                let active = active.is_some();
                if !active {
                    // Employees must be moved first.
                    let n: i64 = tx
                        .scalar("SELECT COUNT(*) FROM users WHERE department_id = $1 AND active = $2", crate::args![id, true])
                        .await?;
                    if n > 0 {
                        return Err(AppError::field("active", K::ValDepartmentHasPeople));
                    }
                }
                if !store::update_department(&mut tx, &who, id, version, &u, active).await.map_err(code_error)? {
                    return Err(conflict(store::department(&mut tx, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Creates or updates a position. Admins only.
#[server(endpoint = "org/save_position")]
pub async fn save_position(
    id: String,
    version: String,
    input: UnitInput,
    department_id: String,
    active: Option<String>,
) -> Result<i64, AppError> {
    respond(async move {
        let user = require_admin()?;
        let u = input.validate()?;
        let dept = parse_num("department_id", &department_id)?;
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        let id = match parse_num("id", &id)? {
            None => store::insert_position(&mut tx, &who, &u, dept).await.map_err(code_error)?,
            Some(id) => {
                let version = parse_num("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                if !store::update_position(&mut tx, &who, id, version, &u, dept, active.is_some()).await.map_err(code_error)? {
                    return Err(conflict(store::position(&mut tx, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Filters and paging of the employee list, as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EmployeeQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub after: String,
}

#[cfg(feature = "ssr")]
impl EmployeeQuery {
    pub fn filter(&self) -> store::EmployeeFilter {
        store::EmployeeFilter {
            q: self.q.clone(),
            department_id: self.department.trim().parse().ok(),
            role: crate::core::perm::Role::parse(&self.role).map(|r| r.code().to_string()),
            active: match self.status.as_str() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => None,
            },
        }
    }
}

/// A page of the employees the caller may see.
#[server(endpoint = "org/employees")]
pub async fn list_employees(query: EmployeeQuery) -> Result<Page<Employee>, AppError> {
    respond(async move {
        let user = current_user()?;
        let dir = crate::core::list::Dir::parse(&query.dir);
        let after = Some(query.after.as_str()).filter(|a| !a.is_empty());
        Ok(store::employees(&db()?, &user.viewer(), &query.filter(), &query.sort, dir, after, crate::core::list::PAGE_SIZE)
            .await?)
    })
    .await
}

/// One employee, if the caller may see them (checked per record on the server).
#[server(endpoint = "org/employee")]
pub async fn get_employee(id: i64) -> Result<Employee, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let e = store::employee(&db, id).await?.ok_or(AppError::NotFound)?;
        if !store::employee_visible(&db, &user.viewer(), id).await? {
            return Err(AppError::Forbidden);
        }
        Ok(e)
    })
    .await
}

/// Active people for supervisor pickers (admins).
#[server(endpoint = "org/people_options")]
pub async fn people_options() -> Result<Vec<(i64, String)>, AppError> {
    respond(async {
        require_admin()?;
        Ok(store::active_people(&db()?).await?)
    })
    .await
}

/// Creates (empty `id`) or updates an employee and their account. Admins only.
#[server(endpoint = "org/save_employee")]
pub async fn save_employee(id: String, version: String, input: EmployeeInput) -> Result<i64, AppError> {
    respond(async move {
        let user = require_admin()?;
        let id = parse_num("id", &id)?;
        let data = input.validate(id.is_none())?;
        let db = db()?;
        let who = actor(&user)?;
        let hash = match &data.password {
            Some(p) => Some(crate::core::auth::hash_password_blocking(p.clone()).await?),
            None => None,
        };
        let mut tx = db.begin().await?;
        let mut c = Checks::new();
        if store::username_taken(&mut tx, &data.username, id).await? {
            c.add("username", K::ValTaken);
        }
        let dept_ok: i64 = tx
            .scalar("SELECT COUNT(*) FROM departments WHERE id = $1 AND active = $2", crate::args![data.department_id, true])
            .await?;
        if dept_ok == 0 {
            c.add("department_id", K::ValInvalid);
        }
        if let Some(p) = data.position_id {
            let n: i64 = tx.scalar("SELECT COUNT(*) FROM positions WHERE id = $1", crate::args![p]).await?;
            if n == 0 {
                c.add("position_id", K::ValInvalid);
            }
        }
        if let Some(s) = data.supervisor_id {
            let chain = store::supervisor_chain(&mut tx, s).await?;
            let exists: i64 = tx.scalar("SELECT COUNT(*) FROM users WHERE id = $1", crate::args![s]).await?;
            if exists == 0 {
                c.add("supervisor_id", K::ValInvalid);
            } else if id.is_some_and(|me| super::model::supervisor_loop(me, s, &chain)) {
                c.add("supervisor_id", K::ValSupervisorLoop);
            }
        }
        if id == Some(user.id) && data.role != crate::core::perm::Role::Admin {
            // An admin cannot take away their own admin role (there must be someone left to fix things).
            c.add("role", K::ValOwnRole);
        }
        c.finish()?;
        let id = match id {
            None => {
                let hash = hash.ok_or(AppError::field("password", K::ValRequired))?;
                let new_id = store::insert_employee(&mut tx, &who, &data, &hash).await?;
                crate::conduct::store::ensure_task_for(&mut tx, new_id, chrono::Utc::now()).await?;
                new_id
            }
            Some(id) => {
                let version = parse_num("version", &version)?.ok_or(AppError::field("version", K::ValInvalid))?;
                if !store::update_employee(&mut tx, &who, id, version, &data, hash.as_deref()).await? {
                    drop(tx);
                    return Err(conflict(store::employee(&db, id).await?));
                }
                id
            }
        };
        tx.commit().await?;
        leptos_axum::redirect(&format!("/people/{id}"));
        Ok(id)
    })
    .await
}

/// Deactivates or reactivates an employee (deactivation ends their sessions).
#[server(endpoint = "org/set_employee_active")]
pub async fn set_employee_active(id: i64, version: i64, active: bool) -> Result<(), AppError> {
    respond(async move {
        let user = require_admin()?;
        if id == user.id && !active {
            return Err(AppError::field("active", K::ValOwnAccount));
        }
        let db = db()?;
        let who = actor(&user)?;
        let mut tx = db.begin().await?;
        if !store::set_employee_active(&mut tx, &who, id, version, active).await? {
            drop(tx);
            return Err(conflict(store::employee(&db, id).await?));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// CSV export of the employee list with the same filters (3.1-b: exports are
/// restricted to what the caller may see, and audited).
#[cfg(feature = "ssr")]
pub async fn export_employees_csv(
    axum::extract::Query(query): axum::extract::Query<EmployeeQuery>,
    axum::Extension(info): axum::Extension<crate::core::auth::RequestInfo>,
    axum::Extension(db): axum::Extension<crate::core::db::Db>,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let Some(user) = info.user.clone() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let lang = info.lang;
    let result: Result<String, AppError> = async {
        let dir = crate::core::list::Dir::parse(&query.dir);
        let page = store::employees(&db, &user.viewer(), &query.filter(), &query.sort, dir, None, crate::core::list::EXPORT_LIMIT).await?;
        let cell = crate::core::list::csv_cell;
        let mut out = String::from("\u{feff}");
        let head = [K::FieldUsername, K::FieldDisplayName, K::FieldEmail, K::FieldPhone, K::FieldDepartment, K::FieldPosition, K::FieldSupervisor, K::FieldRole, K::FieldStatus];
        out.push_str(&head.iter().map(|k| cell(lang.t(*k))).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
        for e in &page.rows {
            let status = if e.active { K::StatusActive } else { K::StatusInactive };
            let row = [
                e.username.clone(),
                e.display_name.clone(),
                e.email.clone(),
                e.phone.clone(),
                e.department(lang),
                e.position(lang),
                e.supervisor_name.clone().unwrap_or_default(),
                lang.t(e.role().key()).to_string(),
                lang.t(status).to_string(),
            ];
            out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        let who = crate::core::audit::Actor { user_id: Some(user.id), name: user.display_name.clone(), client_addr: info.client_addr.clone() };
        let mut tx = db.begin().await?;
        crate::core::audit::record(&mut tx, &who, "user", None, "export", None, Some(&serde_json::json!({"rows": page.rows.len(), "filters": query}))).await?;
        tx.commit().await?;
        Ok(out)
    }
    .await;
    match result {
        Ok(csv) => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"employees.csv\"")],
            csv,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
