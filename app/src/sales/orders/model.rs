//! Orders (2.2.4): the status machine, on-time-in-full, customer updates,
//! exceptions; receivables with their ageing buckets and payments. Plain types
//! shared by browser and server, and the pure calculations, unit-tested here.
use crate::core::error::{AppError, Checks};
use crate::core::i18n::K;
use crate::core::ui::Tone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

// ===== order status (2.2.4-a) =====

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    Confirmed,
    InProduction,
    Shipped,
    Delivered,
    Closed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] =
        [OrderStatus::Confirmed, OrderStatus::InProduction, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Closed];
    /// Orders still being executed (2.2.4-b: these need customer updates).
    pub const OPEN: [OrderStatus; 3] = [OrderStatus::Confirmed, OrderStatus::InProduction, OrderStatus::Shipped];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::InProduction => "in_production",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            OrderStatus::Confirmed => K::OrdersStatusConfirmed,
            OrderStatus::InProduction => K::OrdersStatusInProduction,
            OrderStatus::Shipped => K::OrdersStatusShipped,
            OrderStatus::Delivered => K::OrdersStatusDelivered,
            OrderStatus::Closed => K::OrdersStatusClosed,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            OrderStatus::Confirmed => Tone::Neutral,
            OrderStatus::InProduction | OrderStatus::Shipped => Tone::Warn,
            OrderStatus::Delivered | OrderStatus::Closed => Tone::Good,
        }
    }
    /// The one status that may follow (orders move one step at a time).
    pub fn next(self) -> Option<OrderStatus> {
        match self {
            OrderStatus::Confirmed => Some(OrderStatus::InProduction),
            OrderStatus::InProduction => Some(OrderStatus::Shipped),
            OrderStatus::Shipped => Some(OrderStatus::Delivered),
            OrderStatus::Delivered => Some(OrderStatus::Closed),
            OrderStatus::Closed => None,
        }
    }
    /// The transition to `to`, refused unless it is the next step.
    pub fn step_to(self, to: OrderStatus) -> Result<OrderStatus, AppError> {
        if self.next() == Some(to) { Ok(to) } else { Err(AppError::field("to", K::OrdersValBadStep)) }
    }
    pub fn is_open(self) -> bool {
        OrderStatus::OPEN.contains(&self)
    }
    /// The button that moves an order on, and the question it asks.
    pub fn action_keys(self) -> (K, K) {
        match self {
            OrderStatus::InProduction => (K::OrdersActStartProduction, K::OrdersAskStartProduction),
            OrderStatus::Shipped => (K::OrdersActShip, K::OrdersAskShip),
            OrderStatus::Delivered => (K::OrdersActDeliver, K::OrdersAskDeliver),
            OrderStatus::Closed => (K::OrdersActClose, K::OrdersAskClose),
            OrderStatus::Confirmed => (K::OrdersStatusConfirmed, K::OrdersStatusConfirmed),
        }
    }
}

/// On time and in full, measured at delivery (2.2.4-a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Otif {
    pub on_time: bool,
    pub in_full: bool,
}

/// On time: delivered on or before the planned delivery date. In full: every
/// line delivered at least its ordered quantity. `lines` are (quantity, delivered).
pub fn otif(planned_delivery: NaiveDate, actual_delivery: NaiveDate, lines: &[(i64, i64)]) -> Otif {
    Otif { on_time: actual_delivery <= planned_delivery, in_full: !lines.is_empty() && lines.iter().all(|(q, d)| d >= q) }
}

// ===== customer updates (2.2.4-b) =====

pub const CHANNELS: [&str; 5] = ["phone", "email", "visit", "message", "other"];

pub fn channel_key(code: &str) -> K {
    match code {
        "phone" => K::OrdersChannelPhone,
        "email" => K::OrdersChannelEmail,
        "visit" => K::OrdersChannelVisit,
        "message" => K::OrdersChannelMessage,
        _ => K::OrdersChannelOther,
    }
}

// ===== exceptions (2.2.4-c) =====

pub const EXCEPTION_KINDS: [&str; 3] = ["production_delay", "quality", "other"];
pub const EXCEPTION_STATUSES: [&str; 3] = ["open", "in_progress", "resolved"];

pub fn exception_kind_key(code: &str) -> K {
    match code {
        "production_delay" => K::OrdersExcKindProductionDelay,
        "quality" => K::OrdersExcKindQuality,
        _ => K::OrdersExcKindOther,
    }
}

pub fn exception_status_key(code: &str) -> K {
    match code {
        "open" => K::OrdersExcStatusOpen,
        "in_progress" => K::OrdersExcStatusInProgress,
        _ => K::OrdersExcStatusResolved,
    }
}

pub fn exception_status_tone(code: &str) -> Tone {
    match code {
        "open" => Tone::Bad,
        "in_progress" => Tone::Warn,
        _ => Tone::Good,
    }
}

/// Exception status moves forward only (open -> in progress -> resolved), and
/// resolving needs a cause and measures (2.2.4-c: analyse the cause, act).
pub fn exception_step(from: &str, to: &str, cause: &str, measures: &str) -> Result<(), AppError> {
    let pos = |s: &str| EXCEPTION_STATUSES.iter().position(|x| *x == s);
    let (Some(a), Some(b)) = (pos(from), pos(to)) else { return Err(AppError::field("status", K::ValInvalid)) };
    if b < a {
        return Err(AppError::field("status", K::OrdersValBadStep));
    }
    if to == "resolved" {
        let mut c = Checks::new();
        c.require("cause", cause);
        c.require("measures", measures);
        c.finish()?;
    }
    Ok(())
}

/// Analysed once both a cause and measures are recorded.
pub fn is_analysed(cause: &str, measures: &str) -> bool {
    !cause.trim().is_empty() && !measures.trim().is_empty()
}

// ===== receivables and ageing =====

/// Ageing buckets by days overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Bucket {
    NotDue,
    D1to30,
    D31to60,
    D61to90,
    Over90,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [Bucket::NotDue, Bucket::D1to30, Bucket::D31to60, Bucket::D61to90, Bucket::Over90];
    pub fn code(self) -> &'static str {
        match self {
            Bucket::NotDue => "not_due",
            Bucket::D1to30 => "1_30",
            Bucket::D31to60 => "31_60",
            Bucket::D61to90 => "61_90",
            Bucket::Over90 => "over_90",
        }
    }
    pub fn parse(s: &str) -> Option<Bucket> {
        Bucket::ALL.into_iter().find(|b| b.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            Bucket::NotDue => K::RecvBucketNotDue,
            Bucket::D1to30 => K::RecvBucket130,
            Bucket::D31to60 => K::RecvBucket3160,
            Bucket::D61to90 => K::RecvBucket6190,
            Bucket::Over90 => K::RecvBucketOver90,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            Bucket::NotDue => Tone::Good,
            Bucket::D1to30 => Tone::Neutral,
            Bucket::D31to60 => Tone::Warn,
            Bucket::D61to90 | Bucket::Over90 => Tone::Bad,
        }
    }
    /// The due dates in this bucket on `today`: (on or after, on or before).
    /// SQL filters with these bound dates; no date arithmetic in SQL.
    pub fn due_range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let c = cutoffs(today);
        let day_before = |d: NaiveDate| d.pred_opt().unwrap_or(d);
        match self {
            Bucket::NotDue => (Some(c[0]), None),
            Bucket::D1to30 => (Some(c[1]), Some(day_before(c[0]))),
            Bucket::D31to60 => (Some(c[2]), Some(day_before(c[1]))),
            Bucket::D61to90 => (Some(c[3]), Some(day_before(c[2]))),
            Bucket::Over90 => (None, Some(day_before(c[3]))),
        }
    }
}

/// The four cutoffs: a receivable due on or after `c[0]` is not yet due, on or
/// after `c[1]` is 1–30 days overdue, `c[2]` 31–60, `c[3]` 61–90, before that >90.
pub fn cutoffs(today: NaiveDate) -> [NaiveDate; 4] {
    let back = |n: i64| today - chrono::Duration::days(n);
    [today, back(30), back(60), back(90)]
}

/// The bucket of a receivable due on `due`, seen on `today`.
pub fn bucket(due: NaiveDate, today: NaiveDate) -> Bucket {
    let c = cutoffs(today);
    if due >= c[0] {
        Bucket::NotDue
    } else if due >= c[1] {
        Bucket::D1to30
    } else if due >= c[2] {
        Bucket::D31to60
    } else if due >= c[3] {
        Bucket::D61to90
    } else {
        Bucket::Over90
    }
}

/// Outstanding amounts per bucket (minor units), for one customer or in total.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgeingRow {
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub not_due: i64,
    pub d1_30: i64,
    pub d31_60: i64,
    pub d61_90: i64,
    pub over_90: i64,
    pub total: i64,
}

impl AgeingRow {
    pub fn amounts(&self) -> [i64; 5] {
        [self.not_due, self.d1_30, self.d31_60, self.d61_90, self.over_90]
    }
    pub fn overdue(&self) -> i64 {
        self.d1_30 + self.d31_60 + self.d61_90 + self.over_90
    }
}

/// The ageing of what the viewer may see: totals per currency (customer 0) and
/// the customers with the most outstanding.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ageing {
    pub today: NaiveDate,
    pub totals: Vec<AgeingRow>,
    pub customers: Vec<AgeingRow>,
}

/// A payment as typed into the form, checked against what is outstanding.
pub fn check_payment(amount: &str, currency: &str, outstanding: i64, paid_on: &str) -> Result<(i64, NaiveDate), AppError> {
    let mut c = Checks::new();
    let minor = match crate::core::money::Money::parse(amount, currency) {
        Ok(m) if m.minor <= 0 => {
            c.add("amount", K::RecvValPositive);
            0
        }
        Ok(m) if m.minor > outstanding => {
            let shown = crate::core::money::Money::new(outstanding, currency).display();
            c.add_with("amount", K::RecvValOverpaid, vec![("max".into(), shown)]);
            0
        }
        Ok(m) => m.minor,
        Err(crate::core::money::MoneyParseError::Empty) => {
            c.add("amount", K::ValRequired);
            0
        }
        Err(_) => {
            c.add("amount", K::RecvValAmount);
            0
        }
    };
    let date = parse_date(paid_on);
    if date.is_none() {
        c.add("paid_on", K::OrdersValDate);
    }
    c.finish()?;
    Ok((minor, date.unwrap_or_default()))
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

// ===== records =====

/// A signed contract as the new-order form starts from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ContractHead {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub delivery_date: Option<NaiveDate>,
    pub owner_id: i64,
    pub department_id: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ContractLine {
    pub id: i64,
    pub position: i64,
    pub description: String,
    pub unit: String,
    pub quantity: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractForOrder {
    pub contract: ContractHead,
    pub lines: Vec<ContractLine>,
}

/// An order as lists and its page show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub contract_id: i64,
    pub contract_number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: String,
    pub planned_ship_date: Option<NaiveDate>,
    pub planned_delivery_date: NaiveDate,
    pub actual_ship_date: Option<NaiveDate>,
    pub actual_delivery_date: Option<NaiveDate>,
    pub on_time: Option<bool>,
    pub in_full: Option<bool>,
    pub last_customer_update_at: Option<DateTime<Utc>>,
    pub owner_id: i64,
    pub owner_name: String,
    pub department_id: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl Order {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::Confirmed)
    }
    /// Late: the planned delivery date has passed and it is not delivered.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.status().is_open() && self.planned_delivery_date < today
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderLine {
    pub id: i64,
    pub position: i64,
    pub description: String,
    pub unit: String,
    pub quantity: i64,
    pub delivered_quantity: i64,
    pub planned_date: NaiveDate,
    pub actual_date: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StatusChange {
    pub id: i64,
    pub from_status: Option<String>,
    pub to_status: String,
    pub changed_at: DateTime<Utc>,
    pub changed_by_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerUpdate {
    pub id: i64,
    pub told_at: DateTime<Utc>,
    pub channel: String,
    pub content: String,
    pub created_by_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderException {
    pub id: i64,
    pub order_id: i64,
    pub kind: String,
    pub description: String,
    pub cause: String,
    pub measures: String,
    pub status: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub leader_id: Option<i64>,
    pub leader_name: Option<String>,
    pub reported_at: DateTime<Utc>,
    pub analysed_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: Order,
    pub lines: Vec<OrderLine>,
    pub changes: Vec<StatusChange>,
    pub updates: Vec<CustomerUpdate>,
    pub exceptions: Vec<OrderException>,
    /// The reader's time zone and the company's today (for "late").
    pub time_zone: String,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderPage {
    pub page: crate::core::list::Page<Order>,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Receivable {
    pub id: i64,
    pub contract_id: i64,
    pub contract_number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub seq: i64,
    pub due_date: NaiveDate,
    pub amount_minor: i64,
    pub paid_minor: i64,
    pub currency: String,
    pub status: String,
    pub owner_id: i64,
    pub department_id: i64,
    pub version: i64,
}

impl Receivable {
    pub fn outstanding(&self) -> i64 {
        self.amount_minor - self.paid_minor
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Payment {
    pub id: i64,
    pub paid_on: NaiveDate,
    pub amount_minor: i64,
    pub method: String,
    pub reference: String,
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub const PAYMENT_METHODS: [&str; 4] = ["bank_transfer", "acceptance_bill", "cash", "other"];

pub fn method_key(code: &str) -> K {
    match code {
        "bank_transfer" => K::RecvMethodBankTransfer,
        "acceptance_bill" => K::RecvMethodAcceptanceBill,
        "cash" => K::RecvMethodCash,
        _ => K::RecvMethodOther,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceivablesView {
    pub page: crate::core::list::Page<Receivable>,
    pub ageing: Ageing,
    /// Whether the reader may record payments (finance and admins).
    pub can_pay: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceivableDetail {
    pub receivable: Receivable,
    pub payments: Vec<Payment>,
    pub today: NaiveDate,
    pub can_pay: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    #[test]
    fn orders_move_one_step_at_a_time() {
        use OrderStatus::*;
        assert_eq!(Confirmed.step_to(InProduction), Ok(InProduction));
        assert_eq!(Shipped.step_to(Delivered), Ok(Delivered));
        assert!(Confirmed.step_to(Shipped).is_err(), "no skipping");
        assert!(Shipped.step_to(InProduction).is_err(), "no going back");
        assert!(Closed.step_to(Closed).is_err());
        assert_eq!(Closed.next(), None);
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.code()), Some(s));
        }
        assert!(Shipped.is_open() && !Delivered.is_open());
    }

    #[test]
    fn on_time_in_full() {
        let planned = d("2026-05-10");
        assert_eq!(otif(planned, d("2026-05-10"), &[(10, 10), (5, 6)]), Otif { on_time: true, in_full: true });
        assert_eq!(otif(planned, d("2026-05-11"), &[(10, 10)]), Otif { on_time: false, in_full: true });
        assert_eq!(otif(planned, d("2026-05-01"), &[(10, 9), (5, 5)]), Otif { on_time: true, in_full: false });
        assert!(!otif(planned, planned, &[]).in_full, "nothing delivered is not in full");
    }

    #[test]
    fn ageing_buckets_at_their_edges() {
        let today = d("2026-06-30");
        assert_eq!(bucket(d("2026-06-30"), today), Bucket::NotDue, "due today is not overdue");
        assert_eq!(bucket(d("2026-07-15"), today), Bucket::NotDue);
        assert_eq!(bucket(d("2026-06-29"), today), Bucket::D1to30);
        assert_eq!(bucket(d("2026-05-31"), today), Bucket::D1to30, "30 days");
        assert_eq!(bucket(d("2026-05-30"), today), Bucket::D31to60, "31 days");
        assert_eq!(bucket(d("2026-05-01"), today), Bucket::D31to60, "60 days");
        assert_eq!(bucket(d("2026-04-30"), today), Bucket::D61to90, "61 days");
        assert_eq!(bucket(d("2026-04-01"), today), Bucket::D61to90, "90 days");
        assert_eq!(bucket(d("2026-03-31"), today), Bucket::Over90, "91 days");
        // The SQL filter ranges agree with the function.
        for b in Bucket::ALL {
            let (from, to) = b.due_range(today);
            for probe in [from, to].into_iter().flatten() {
                assert_eq!(bucket(probe, today), b, "{b:?} {probe}");
            }
            assert_eq!(Bucket::parse(b.code()), Some(b));
        }
    }

    #[test]
    fn payments_are_checked() {
        assert_eq!(check_payment("100.5", "CNY", 20_000, "2026-06-01"), Ok((10_050, d("2026-06-01"))));
        assert_eq!(check_payment("200", "CNY", 20_000, "2026-06-01"), Ok((20_000, d("2026-06-01"))), "paying in full");
        let over = check_payment("200.01", "CNY", 20_000, "2026-06-01").expect_err("overpaid");
        assert_eq!(over.field_error("amount").map(|e| e.key), Some(K::RecvValOverpaid));
        let zero = check_payment("0", "CNY", 20_000, "2026-06-01").expect_err("zero");
        assert_eq!(zero.field_error("amount").map(|e| e.key), Some(K::RecvValPositive));
        let neg = check_payment("-5", "CNY", 20_000, "2026-06-01").expect_err("negative");
        assert_eq!(neg.field_error("amount").map(|e| e.key), Some(K::RecvValPositive));
        let bad = check_payment("abc", "CNY", 20_000, "x").expect_err("bad");
        assert!(bad.field_error("amount").is_some() && bad.field_error("paid_on").is_some());
    }

    #[test]
    fn exceptions_move_forward_and_resolve_only_when_analysed() {
        assert!(exception_step("open", "in_progress", "", "").is_ok());
        assert!(exception_step("in_progress", "open", "", "").is_err());
        let e = exception_step("open", "resolved", "supplier late", "").expect_err("needs measures");
        assert!(e.field_error("measures").is_some());
        assert!(exception_step("in_progress", "resolved", "supplier late", "second supplier").is_ok());
        assert!(is_analysed("a", "b") && !is_analysed("a", "  "));
    }
}
