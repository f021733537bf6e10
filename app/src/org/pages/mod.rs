//! Pages for people and organisation. No SQL and no permission logic here: the
//! server functions decide what the caller may see and do.
mod employee;
mod units;

pub use employee::{EmployeeFormPage, EmployeesPage, PersonPage};
pub use units::{DepartmentsPage, PositionsPage};
