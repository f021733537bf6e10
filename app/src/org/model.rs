//! Organisation: departments, positions, employees (each employee is a user
//! account with a department, a position and a supervisor; clause 1.2).
use crate::core::error::Checks;
use crate::core::i18n::{K, Lang};
use crate::core::perm::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
    pub version: i64,
    pub employees: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Position {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub department_id: Option<i64>,
    pub active: bool,
    pub version: i64,
}

pub fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

impl Department {
    pub fn name(&self, lang: Lang) -> String {
        pick(lang, &self.name_zh, &self.name_en)
    }
}

impl Position {
    pub fn name(&self, lang: Lang) -> String {
        pick(lang, &self.name_zh, &self.name_en)
    }
}

/// An employee as lists and profile pages show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Employee {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub position_id: Option<i64>,
    pub position_zh: Option<String>,
    pub position_en: Option<String>,
    pub supervisor_id: Option<i64>,
    pub supervisor_name: Option<String>,
    pub role: String,
    pub active: bool,
    pub language: String,
    pub time_zone: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Employee {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Staff)
    }
    pub fn department(&self, lang: Lang) -> String {
        pick(lang, &self.department_zh, &self.department_en)
    }
    pub fn position(&self, lang: Lang) -> String {
        match (&self.position_zh, &self.position_en) {
            (Some(zh), Some(en)) => pick(lang, zh, en),
            _ => String::new(),
        }
    }
}

/// What the employee form sends. Numbers arrive as text from the form and are
/// parsed here, so that a bad value becomes a field message, not a decode error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmployeeInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub department_id: String,
    pub position_id: String,
    pub supervisor_id: String,
    pub role: String,
    pub language: String,
    pub time_zone: String,
    /// Required when creating; when editing, a new password resets it.
    pub password: String,
}

/// The validated form.
#[derive(Clone, Debug, PartialEq)]
pub struct EmployeeData {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub department_id: i64,
    pub position_id: Option<i64>,
    pub supervisor_id: Option<i64>,
    pub role: Role,
    pub language: Lang,
    pub time_zone: String,
    pub password: Option<String>,
}

fn opt_id(checks: &mut Checks, field: &str, s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match s.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            checks.add(field, K::ValInvalid);
            None
        }
    }
}

pub fn valid_username(u: &str) -> bool {
    let n = u.chars().count();
    (3..=32).contains(&n) && u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

pub fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else { return false };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !e.contains(char::is_whitespace)
}

impl EmployeeInput {
    /// Checks the form; `creating` makes the password required.
    pub fn validate(&self, creating: bool) -> Result<EmployeeData, crate::core::error::AppError> {
        let mut c = Checks::new();
        let username = self.username.trim().to_lowercase();
        if username.is_empty() {
            c.add("username", K::ValRequired);
        } else if !valid_username(&username) {
            c.add("username", K::ValUsername);
        }
        c.require("display_name", &self.display_name);
        c.max_len("display_name", self.display_name.trim(), 50);
        let email = self.email.trim().to_string();
        if !email.is_empty() && !valid_email(&email) {
            c.add("email", K::ValEmail);
        }
        c.max_len("phone", self.phone.trim(), 30);
        let department_id = opt_id(&mut c, "department_id", &self.department_id);
        if department_id.is_none() && self.department_id.trim().is_empty() {
            c.add("department_id", K::ValRequired);
        }
        let position_id = opt_id(&mut c, "position_id", &self.position_id);
        let supervisor_id = opt_id(&mut c, "supervisor_id", &self.supervisor_id);
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            c.add("role", K::ValInvalid);
        }
        let language = Lang::parse(&self.language).unwrap_or_default();
        let time_zone = if self.time_zone.trim().is_empty() { "Asia/Shanghai".to_string() } else { self.time_zone.trim().to_string() };
        if crate::core::time::parse_tz(&time_zone).is_none() {
            c.add("time_zone", K::ValInvalid);
        }
        let password = if self.password.is_empty() { None } else { Some(self.password.clone()) };
        match &password {
            None if creating => c.add("password", K::ValRequired),
            Some(p) => {
                if let Some(k) = crate::core::auth::password_problem(p) {
                    c.add("password", k);
                }
            }
            None => {}
        }
        c.finish()?;
        Ok(EmployeeData {
            username,
            display_name: self.display_name.trim().to_string(),
            email,
            phone: self.phone.trim().to_string(),
            department_id: department_id.unwrap_or_default(),
            position_id,
            supervisor_id,
            role: role.unwrap_or(Role::Staff),
            language,
            time_zone,
            password,
        })
    }
}

/// Department / position form (same shape).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

impl UnitInput {
    pub fn validate(&self) -> Result<UnitInput, crate::core::error::AppError> {
        let mut c = Checks::new();
        let code = self.code.trim().to_lowercase();
        if code.is_empty() {
            c.add("code", K::ValRequired);
        } else if !code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') || code.len() > 32 {
            c.add("code", K::ValCode);
        }
        c.require("name_zh", &self.name_zh);
        c.require("name_en", &self.name_en);
        c.max_len("name_zh", self.name_zh.trim(), 50);
        c.max_len("name_en", self.name_en.trim(), 80);
        c.finish()?;
        Ok(UnitInput { code, name_zh: self.name_zh.trim().into(), name_en: self.name_en.trim().into() })
    }
}

/// Would making `supervisor` the supervisor of `user` create a loop? `chain`
/// is the supervisor's own chain upwards.
pub fn supervisor_loop(user: i64, supervisor: i64, chain: &[i64]) -> bool {
    supervisor == user || chain.contains(&user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::AppError;

    fn input() -> EmployeeInput {
        EmployeeInput {
            username: "Wang.Fang".into(),
            display_name: "王芳".into(),
            email: "wang.fang@example.cn".into(),
            phone: "13800000000".into(),
            department_id: "3".into(),
            position_id: "".into(),
            supervisor_id: "7".into(),
            role: "staff".into(),
            language: "zh".into(),
            time_zone: "Asia/Shanghai".into(),
            password: "Charter-2026-ok".into(),
        }
    }

    #[test]
    fn valid_employee() {
        let d = input().validate(true).expect("valid");
        assert_eq!(d.username, "wang.fang");
        assert_eq!(d.department_id, 3);
        assert_eq!(d.position_id, None);
        assert_eq!(d.supervisor_id, Some(7));
        assert_eq!(d.role, Role::Staff);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut i = input();
        i.username = "a b".into();
        i.email = "nope".into();
        i.department_id = "".into();
        i.role = "root".into();
        i.password = "".into();
        let Err(AppError::Validation(errs)) = i.validate(true) else { panic!("should fail") };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "email", "department_id", "role", "password"]);
        // editing without a new password is fine
        let mut ok = input();
        ok.password.clear();
        assert!(ok.validate(false).is_ok());
    }

    #[test]
    fn supervisor_loops() {
        assert!(supervisor_loop(5, 5, &[]));
        assert!(supervisor_loop(5, 7, &[8, 5]));
        assert!(!supervisor_loop(5, 7, &[8, 9]));
    }

    #[test]
    fn unit_codes() {
        let ok = UnitInput { code: " Sales ".into(), name_zh: "销售部".into(), name_en: "Sales".into() };
        assert_eq!(ok.validate().expect("valid").code, "sales");
        let bad = UnitInput { code: "销售".into(), name_zh: "".into(), name_en: "x".into() };
        assert!(matches!(bad.validate(), Err(AppError::Validation(v)) if v.len() == 2));
    }
}
