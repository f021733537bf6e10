//! Roles and record visibility. The rules are pure so they can be tested; the SQL
//! form (`visibility_sql`) is what store functions use so that every read and
//! write is filtered on the server, per record.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Role {
    Staff,
    Manager,
    Executive,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Executive, Role::Manager, Role::Staff];
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Executive => "executive",
            Role::Manager => "manager",
            Role::Staff => "staff",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
    pub fn key(self) -> crate::core::i18n::K {
        use crate::core::i18n::K;
        match self {
            Role::Admin => K::RoleAdmin,
            Role::Executive => K::RoleExecutive,
            Role::Manager => K::RoleManager,
            Role::Staff => K::RoleStaff,
        }
    }
    pub fn sees_everything(self) -> bool {
        matches!(self, Role::Admin | Role::Executive)
    }
}

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub department_id: i64,
    pub role: Role,
}

/// What the visibility rule needs to know about a record.
#[derive(Clone, Debug)]
pub struct RecordScope {
    pub owner_id: i64,
    pub department_id: i64,
    pub shared_with_viewer: bool,
}

impl Viewer {
    /// Staff see their own records and those shared with them, managers their
    /// department's, executives and admins everything.
    pub fn can_see(&self, r: &RecordScope) -> bool {
        match self.role {
            Role::Admin | Role::Executive => true,
            Role::Manager => r.department_id == self.department_id || r.owner_id == self.user_id || r.shared_with_viewer,
            Role::Staff => r.owner_id == self.user_id || r.shared_with_viewer,
        }
    }
    /// Changing a record needs the same reach as seeing it; sharing gives read only.
    pub fn can_edit(&self, r: &RecordScope) -> bool {
        match self.role {
            Role::Admin | Role::Executive => true,
            Role::Manager => r.department_id == self.department_id || r.owner_id == self.user_id,
            Role::Staff => r.owner_id == self.user_id,
        }
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A SQL condition (and its arguments) that keeps only the rows `viewer` may see.
/// `owner` and `dept` are column expressions; `entity` names the record type in
/// `record_shares`; `id` is the record's id column. `first` is the number of the
/// first `$N` placeholder to use.
///
/// On PostgreSQL the shared ids are matched with `= ANY(ARRAY(…))`: the array is
/// computed once and the id index used, so `owner = me OR shared` becomes a
/// bitmap OR of two index scans instead of a sequential scan with a hashed subplan.
#[cfg(feature = "ssr")]
pub fn visibility_sql(
    backend: crate::core::db::Backend,
    viewer: &Viewer,
    entity: &str,
    id: &str,
    owner: &str,
    dept: &str,
    first: usize,
) -> (String, Vec<crate::core::db::Arg>) {
    use crate::core::db::Arg;
    let shares = format!("SELECT record_id FROM record_shares WHERE entity = ${} AND user_id = ${}", first, first + 1);
    let shared = match backend {
        crate::core::db::Backend::Postgres => format!("{id} = ANY(ARRAY({shares}))"),
        crate::core::db::Backend::Sqlite => format!("{id} IN ({shares})"),
    };
    match viewer.role {
        Role::Admin | Role::Executive => ("1 = 1".into(), vec![]),
        Role::Manager => (
            format!("({dept} = ${} OR {owner} = ${} OR {shared})", first + 2, first + 3),
            vec![
                Arg::from(entity),
                Arg::from(viewer.user_id),
                Arg::from(viewer.department_id),
                Arg::from(viewer.user_id),
            ],
        ),
        Role::Staff => (
            format!("({owner} = ${} OR {shared})", first + 2),
            vec![Arg::from(entity), Arg::from(viewer.user_id), Arg::from(viewer.user_id)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(owner: i64, dept: i64, shared: bool) -> RecordScope {
        RecordScope { owner_id: owner, department_id: dept, shared_with_viewer: shared }
    }

    #[test]
    fn visibility_by_role() {
        let staff = Viewer { user_id: 1, department_id: 10, role: Role::Staff };
        assert!(staff.can_see(&rec(1, 10, false)));
        assert!(!staff.can_see(&rec(2, 10, false)), "a colleague's record");
        assert!(staff.can_see(&rec(2, 20, true)), "shared with me");
        assert!(!staff.can_edit(&rec(2, 20, true)), "sharing is read-only");
        let manager = Viewer { user_id: 3, department_id: 10, role: Role::Manager };
        assert!(manager.can_see(&rec(2, 10, false)));
        assert!(!manager.can_see(&rec(2, 20, false)));
        let exec = Viewer { user_id: 4, department_id: 30, role: Role::Executive };
        assert!(exec.can_see(&rec(2, 20, false)));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
