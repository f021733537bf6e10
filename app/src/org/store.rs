//! SQL for departments, positions and employees.
use super::model::*;
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Backend, Db, DbResult, Tx};
use crate::core::list::{Dir, Keyset, Page, SortCol, finish_page, where_clause};
use crate::core::perm::{Viewer, visibility_sql};
use chrono::Utc;

pub const DEPT_SELECT: &str = "SELECT d.id, d.code, d.name_zh, d.name_en, d.active, d.version, \
    (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.active = $1) AS employees \
    FROM departments d";

pub async fn departments(db: &Db) -> DbResult<Vec<Department>> {
    db.read().fetch_all(&format!("{DEPT_SELECT} ORDER BY d.id"), args![true]).await
}

pub async fn department(tx: &mut Tx, id: i64) -> DbResult<Option<Department>> {
    tx.fetch_optional(&format!("{DEPT_SELECT} WHERE d.id = $2"), args![true, id]).await
}

pub async fn department_by_code(db: &Db, code: &str) -> DbResult<Option<Department>> {
    db.read().fetch_optional(&format!("{DEPT_SELECT} WHERE d.code = $2"), args![true, code]).await
}

pub async fn insert_department(tx: &mut Tx, actor: &Actor, u: &UnitInput) -> DbResult<i64> {
    let now = Utc::now();
    let id: i64 = tx
        .scalar(
            "INSERT INTO departments (code, name_zh, name_en, active, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6) RETURNING id",
            args![u.code.clone(), u.name_zh.clone(), u.name_en.clone(), true, now, actor.user_id],
        )
        .await?;
    let after = department(tx, id).await?;
    audit::record(tx, actor, "department", Some(id), "create", None, after.map(|d| serde_json::json!(d)).as_ref()).await?;
    Ok(id)
}

/// Returns false when the version no longer matches (someone else saved first).
pub async fn update_department(tx: &mut Tx, actor: &Actor, id: i64, version: i64, u: &UnitInput, active: bool) -> DbResult<bool> {
    let before = department(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE departments SET code = $1, name_zh = $2, name_en = $3, active = $4, version = version + 1, \
             updated_at = $5, updated_by = $6 WHERE id = $7 AND version = $8",
            args![u.code.clone(), u.name_zh.clone(), u.name_en.clone(), active, Utc::now(), actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = department(tx, id).await?;
    let action = match (before.as_ref().map(|b| b.active), active) {
        (Some(true), false) => "deactivate",
        (Some(false), true) => "reactivate",
        _ => "update",
    };
    audit::record(tx, actor, "department", Some(id), action, before.map(|d| serde_json::json!(d)).as_ref(), after.map(|d| serde_json::json!(d)).as_ref()).await?;
    Ok(true)
}

const POS_SELECT: &str = "SELECT id, code, name_zh, name_en, department_id, active, version FROM positions";

pub async fn positions(db: &Db) -> DbResult<Vec<Position>> {
    db.read().fetch_all(&format!("{POS_SELECT} ORDER BY id"), vec![]).await
}

pub async fn position(tx: &mut Tx, id: i64) -> DbResult<Option<Position>> {
    tx.fetch_optional(&format!("{POS_SELECT} WHERE id = $1"), args![id]).await
}

pub async fn insert_position(tx: &mut Tx, actor: &Actor, u: &UnitInput, department_id: Option<i64>) -> DbResult<i64> {
    let now = Utc::now();
    let id: i64 = tx
        .scalar(
            "INSERT INTO positions (code, name_zh, name_en, department_id, active, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7) RETURNING id",
            args![u.code.clone(), u.name_zh.clone(), u.name_en.clone(), department_id, true, now, actor.user_id],
        )
        .await?;
    let after = position(tx, id).await?;
    audit::record(tx, actor, "position", Some(id), "create", None, after.map(|d| serde_json::json!(d)).as_ref()).await?;
    Ok(id)
}

pub async fn update_position(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    version: i64,
    u: &UnitInput,
    department_id: Option<i64>,
    active: bool,
) -> DbResult<bool> {
    let before = position(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE positions SET code = $1, name_zh = $2, name_en = $3, department_id = $4, active = $5, \
             version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8 AND version = $9",
            args![u.code.clone(), u.name_zh.clone(), u.name_en.clone(), department_id, active, Utc::now(), actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = position(tx, id).await?;
    audit::record(tx, actor, "position", Some(id), "update", before.map(|d| serde_json::json!(d)).as_ref(), after.map(|d| serde_json::json!(d)).as_ref()).await?;
    Ok(true)
}

pub const EMP_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.email, u.phone, u.department_id, \
    d.name_zh AS department_zh, d.name_en AS department_en, u.position_id, p.name_zh AS position_zh, \
    p.name_en AS position_en, u.supervisor_id, s.display_name AS supervisor_name, u.role, u.active, u.language, \
    u.time_zone, u.version, u.created_at, u.updated_at \
    FROM users u JOIN departments d ON d.id = u.department_id \
    LEFT JOIN positions p ON p.id = u.position_id LEFT JOIN users s ON s.id = u.supervisor_id";

pub async fn employee(db: &Db, id: i64) -> DbResult<Option<Employee>> {
    db.read().fetch_optional(&format!("{EMP_SELECT} WHERE u.id = $1"), args![id]).await
}

async fn employee_tx(tx: &mut Tx, id: i64) -> DbResult<Option<Employee>> {
    tx.fetch_optional(&format!("{EMP_SELECT} WHERE u.id = $1"), args![id]).await
}

/// Can `viewer` see employee `id`? (Their own profile; managers their department; all for executives.)
pub async fn employee_visible(db: &Db, viewer: &Viewer, id: i64) -> DbResult<bool> {
    let (vis, mut a) = visibility_sql(db.backend(), viewer, "user", "u.id", "u.id", "u.department_id", 2);
    let mut all = args![id];
    all.append(&mut a);
    let n: i64 = db.read().scalar(&format!("SELECT COUNT(*) FROM users u WHERE u.id = $1 AND {vis}"), all).await?;
    Ok(n > 0)
}

#[derive(Clone, Debug, Default)]
pub struct EmployeeFilter {
    pub q: String,
    pub department_id: Option<i64>,
    pub role: Option<String>,
    /// None: all; Some(true): active only; Some(false): deactivated only.
    pub active: Option<bool>,
}

pub const EMP_SORTS: &[SortCol] = &[
    SortCol { name: "name", sql: "u.display_name", integer: false },
    SortCol { name: "username", sql: "u.username", integer: false },
    SortCol { name: "department", sql: "u.department_id", integer: true },
    SortCol { name: "role", sql: "u.role", integer: false },
    SortCol { name: "id", sql: "u.id", integer: true },
];

fn emp_conditions(backend: Backend, viewer: &Viewer, f: &EmployeeFilter) -> (Vec<String>, Vec<Arg>) {
    let (vis, a) = visibility_sql(backend, viewer, "user", "u.id", "u.id", "u.department_id", 1);
    let mut conds = vec![vis];
    let mut args = a;
    if !f.q.trim().is_empty() {
        let like = format!("%{}%", f.q.trim().to_lowercase());
        let n = args.len() + 1;
        conds.push(format!("(LOWER(u.display_name) LIKE ${n} OR LOWER(u.username) LIKE ${n} OR LOWER(u.email) LIKE ${n})"));
        args.push(Arg::Str(like));
    }
    if let Some(d) = f.department_id {
        args.push(Arg::I64(d));
        conds.push(format!("u.department_id = ${}", args.len()));
    }
    if let Some(r) = &f.role {
        args.push(Arg::Str(r.clone()));
        conds.push(format!("u.role = ${}", args.len()));
    }
    if let Some(a) = f.active {
        args.push(Arg::Bool(a));
        conds.push(format!("u.active = ${}", args.len()));
    }
    (conds, args)
}

pub async fn employees(
    db: &Db,
    viewer: &Viewer,
    f: &EmployeeFilter,
    sort: &str,
    dir: Dir,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Page<Employee>> {
    let (conds, args) = emp_conditions(db.backend(), viewer, f);
    let total: i64 = db
        .read()
        .scalar(&format!("SELECT COUNT(*) FROM users u {}", where_clause(&conds)), args.clone())
        .await?;
    let ks = Keyset { cols: EMP_SORTS, sort, dir, after, id: "u.id" };
    let (mut conds, mut args) = (conds, args);
    let tail = ks.apply(&mut conds, &mut args, limit);
    let rows: Vec<Employee> =
        db.read().fetch_all(&format!("{EMP_SELECT} {} {tail}", where_clause(&conds)), args).await?;
    let col = ks.col().name;
    Ok(finish_page(rows, limit, total, |e| {
        let v = match col {
            "username" => e.username.clone(),
            "department" => e.department_id.to_string(),
            "role" => e.role.clone(),
            "id" => e.id.to_string(),
            _ => e.display_name.clone(),
        };
        (v, e.id)
    }))
}

/// The supervisor's chain upwards (to detect loops), in one recursive query.
pub async fn supervisor_chain(tx: &mut Tx, start: i64) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            "WITH RECURSIVE chain(id, sup, depth) AS ( \
                SELECT id, supervisor_id, 0 FROM users WHERE id = $1 \
                UNION ALL \
                SELECT u.id, u.supervisor_id, c.depth + 1 FROM users u JOIN chain c ON u.id = c.sup WHERE c.depth < 64 \
             ) SELECT id FROM chain ORDER BY depth",
            args![start],
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Snapshot for the audit trail (never the password hash).
fn snapshot(e: &Option<Employee>) -> Option<serde_json::Value> {
    e.as_ref().map(|e| serde_json::json!(e))
}

pub async fn insert_employee(tx: &mut Tx, actor: &Actor, d: &EmployeeData, password_hash: &str) -> DbResult<i64> {
    let now = Utc::now();
    let id: i64 = tx
        .scalar(
            "INSERT INTO users (username, display_name, email, phone, department_id, position_id, supervisor_id, role, \
             active, language, time_zone, password_hash, auth_epoch, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, 1, $13, $14, $13, $14) RETURNING id",
            args![
                d.username.clone(),
                d.display_name.clone(),
                d.email.clone(),
                d.phone.clone(),
                d.department_id,
                d.position_id,
                d.supervisor_id,
                d.role.code(),
                true,
                d.language.code(),
                d.time_zone.clone(),
                password_hash,
                now,
                actor.user_id
            ],
        )
        .await?;
    let after = employee_tx(tx, id).await?;
    audit::record(tx, actor, "user", Some(id), "create", None, snapshot(&after).as_ref()).await?;
    Ok(id)
}

pub async fn update_employee(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    version: i64,
    d: &EmployeeData,
    new_password_hash: Option<&str>,
) -> DbResult<bool> {
    let before = employee_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE users SET username = $1, display_name = $2, email = $3, phone = $4, department_id = $5, \
             position_id = $6, supervisor_id = $7, role = $8, language = $9, time_zone = $10, \
             version = version + 1, updated_at = $11, updated_by = $12 WHERE id = $13 AND version = $14",
            args![
                d.username.clone(),
                d.display_name.clone(),
                d.email.clone(),
                d.phone.clone(),
                d.department_id,
                d.position_id,
                d.supervisor_id,
                d.role.code(),
                d.language.code(),
                d.time_zone.clone(),
                Utc::now(),
                actor.user_id,
                id,
                version
            ],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let mut after = employee_tx(tx, id).await?.map(|e| serde_json::json!(e));
    if let Some(h) = new_password_hash {
        // A reset password ends the user's other sessions.
        tx.execute("UPDATE users SET password_hash = $1, auth_epoch = auth_epoch + 1 WHERE id = $2", args![h, id]).await?;
        if let Some(serde_json::Value::Object(m)) = after.as_mut() {
            m.insert("password".into(), serde_json::json!("(reset)"));
        }
    }
    audit::record(tx, actor, "user", Some(id), "update", snapshot(&before).as_ref(), after.as_ref()).await?;
    Ok(true)
}

/// Deactivating ends every session of the user (the epoch changes).
pub async fn set_employee_active(tx: &mut Tx, actor: &Actor, id: i64, version: i64, active: bool) -> DbResult<bool> {
    let before = employee_tx(tx, id).await?;
    let n = tx
        .execute(
            "UPDATE users SET active = $1, auth_epoch = auth_epoch + 1, version = version + 1, updated_at = $2, \
             updated_by = $3 WHERE id = $4 AND version = $5",
            args![active, Utc::now(), actor.user_id, id, version],
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    let after = employee_tx(tx, id).await?;
    let action = if active { "reactivate" } else { "deactivate" };
    audit::record(tx, actor, "user", Some(id), action, snapshot(&before).as_ref(), snapshot(&after).as_ref()).await?;
    Ok(true)
}

/// Active people for supervisor pickers.
pub async fn active_people(db: &Db) -> DbResult<Vec<(i64, String)>> {
    db.read().fetch_all("SELECT id, display_name FROM users WHERE active = $1 ORDER BY display_name, id", args![true]).await
}

pub async fn username_taken(tx: &mut Tx, username: &str, except: Option<i64>) -> DbResult<bool> {
    let n: i64 = tx
        .scalar("SELECT COUNT(*) FROM users WHERE username = $1 AND id <> $2", args![username, except.unwrap_or(0)])
        .await?;
    Ok(n > 0)
}
