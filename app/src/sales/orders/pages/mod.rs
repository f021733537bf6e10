//! Pages for orders and receivables. No SQL and no permission logic here: the
//! server functions decide what the caller may see and do.
mod orders;
mod receivables;

pub use orders::{NewOrderPage, OrderDetailPage, OrdersPage, otif_badges, status_badges};
pub use receivables::{AgeingTable, ReceivableDetailPage, ReceivablesPage};
