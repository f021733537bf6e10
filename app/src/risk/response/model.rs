//! Response (5.2): the measure and review vocabularies, the acceptance
//! workflow's decisions as pure functions (unit-tested without a database),
//! and the types the panel and the measures page show.
use crate::core::i18n::K;
use crate::risk::model::{Level, RiskStatus, Strategy};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Executive approval of an accepted risk above low (5.2-a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AcceptanceStatus {
    Pending,
    Approved,
    Rejected,
}

impl AcceptanceStatus {
    pub const ALL: [AcceptanceStatus; 3] = [AcceptanceStatus::Pending, AcceptanceStatus::Approved, AcceptanceStatus::Rejected];
    pub fn code(self) -> &'static str {
        match self {
            AcceptanceStatus::Pending => "pending",
            AcceptanceStatus::Approved => "approved",
            AcceptanceStatus::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<AcceptanceStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            AcceptanceStatus::Pending => K::RiskRespAcceptancePending,
            AcceptanceStatus::Approved => K::RiskRespAcceptanceApproved,
            AcceptanceStatus::Rejected => K::RiskRespAcceptanceRejected,
        }
    }
}

/// A measure's progress (5.2-e: measures with owners and due dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 4] = [MeasureStatus::Planned, MeasureStatus::InProgress, MeasureStatus::Done, MeasureStatus::Cancelled];
    pub fn code(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<MeasureStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            MeasureStatus::Planned => K::RiskRespMeasurePlanned,
            MeasureStatus::InProgress => K::RiskRespMeasureInProgress,
            MeasureStatus::Done => K::RiskRespMeasureDone,
            MeasureStatus::Cancelled => K::RiskRespMeasureCancelled,
        }
    }
    /// Still to be carried out (its owner's My work task is open).
    pub fn is_open(self) -> bool {
        matches!(self, MeasureStatus::Planned | MeasureStatus::InProgress)
    }
}

/// What a measure links to (5.2-b research and campaigns, 5.2-d training and
/// compliance rules): a clause of the regulation, a project, a contract, a
/// customer, or a web address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkKind {
    Rule,
    Project,
    Contract,
    Customer,
    Url,
}

impl LinkKind {
    pub const ALL: [LinkKind; 5] = [LinkKind::Rule, LinkKind::Project, LinkKind::Contract, LinkKind::Customer, LinkKind::Url];
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Rule => "rule",
            LinkKind::Project => "project",
            LinkKind::Contract => "contract",
            LinkKind::Customer => "customer",
            LinkKind::Url => "url",
        }
    }
    pub fn parse(s: &str) -> Option<LinkKind> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            LinkKind::Rule => K::RiskRespLinkRule,
            LinkKind::Project => K::RiskRespLinkProject,
            LinkKind::Contract => K::RiskRespLinkContract,
            LinkKind::Customer => K::RiskRespLinkCustomer,
            LinkKind::Url => K::RiskRespLinkUrl,
        }
    }
    /// Where the link goes (`reference` already validated).
    pub fn href(self, reference: &str) -> String {
        match self {
            LinkKind::Rule => format!("/regulation#clause-{reference}"),
            LinkKind::Project => format!("/projects/{reference}"),
            LinkKind::Contract => format!("/sales/contracts/{reference}"),
            LinkKind::Customer => format!("/sales/customers/{reference}"),
            LinkKind::Url => reference.to_string(),
        }
    }
}

/// A web address a measure may link to: http or https with a host, no spaces.
pub fn valid_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        }
        None => false,
    }
}

/// How well a measure (or the response as a whole) worked (5.2-e).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effectiveness {
    Effective,
    Partial,
    Ineffective,
}

impl Effectiveness {
    pub const ALL: [Effectiveness; 3] = [Effectiveness::Effective, Effectiveness::Partial, Effectiveness::Ineffective];
    pub fn code(self) -> &'static str {
        match self {
            Effectiveness::Effective => "effective",
            Effectiveness::Partial => "partial",
            Effectiveness::Ineffective => "ineffective",
        }
    }
    pub fn parse(s: &str) -> Option<Effectiveness> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            Effectiveness::Effective => K::RiskRespEffective,
            Effectiveness::Partial => K::RiskRespPartial,
            Effectiveness::Ineffective => K::RiskRespIneffective,
        }
    }
}

/// 5.2-a: the acceptance state a strategy leaves. Accepting a risk whose
/// current level is above low needs an executive's approval (pending);
/// accepting a low (or not yet assessed) risk needs none; any other strategy
/// clears the acceptance.
pub fn acceptance_for(strategy: Strategy, level: Option<Level>) -> Option<AcceptanceStatus> {
    match (strategy, level) {
        (Strategy::Accept, Some(l)) if l > Level::Low => Some(AcceptanceStatus::Pending),
        _ => None,
    }
}

/// The acceptance after the risk's current score changed: an accepted risk
/// that is (now) above low and not pending already goes back to pending — the
/// executive approved a lower level. A low one keeps what it has.
pub fn acceptance_after_rescore(strategy: Option<Strategy>, current: Option<AcceptanceStatus>, level: Option<Level>) -> Option<AcceptanceStatus> {
    match (strategy, level) {
        (Some(Strategy::Accept), Some(l)) if l > Level::Low => match current {
            Some(AcceptanceStatus::Pending) => current,
            // Approved at a lower level, or accepted while low: ask again.
            Some(AcceptanceStatus::Approved) | None => Some(AcceptanceStatus::Pending),
            // A rejection stands until the strategy changes.
            Some(AcceptanceStatus::Rejected) => current,
        },
        _ => current,
    }
}

/// 5.2-a in one test: does the risk satisfy the rule? Risks at low (or not
/// assessed) always do; above low it needs a strategy other than accept, or
/// an approved acceptance.
pub fn satisfies_rule_52a(level: Option<Level>, strategy: Option<Strategy>, acceptance: Option<AcceptanceStatus>) -> bool {
    match level {
        None | Some(Level::Low) => true,
        Some(_) => match strategy {
            None => false,
            Some(Strategy::Accept) => acceptance == Some(AcceptanceStatus::Approved),
            Some(_) => true,
        },
    }
}

/// Setting a strategy moves a risk from identified or assessed to responding
/// (5.1-d); later statuses stay.
pub fn status_after_strategy(s: RiskStatus) -> RiskStatus {
    match s {
        RiskStatus::Identified | RiskStatus::Assessed => RiskStatus::Responding,
        other => other,
    }
}

/// A measure with what the panel and the list show next to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Measure {
    pub id: i64,
    pub risk_id: i64,
    pub action: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub link_kind: Option<String>,
    pub link_ref: String,
    pub completed_on: Option<NaiveDate>,
    /// Effectiveness reviews of this measure.
    pub reviews: i64,
    pub version: i64,
}

impl Measure {
    pub fn status(&self) -> MeasureStatus {
        MeasureStatus::parse(&self.status).unwrap_or(MeasureStatus::Planned)
    }
    pub fn link(&self) -> Option<(LinkKind, String)> {
        self.link_kind.as_deref().and_then(LinkKind::parse).map(|k| (k, self.link_ref.clone()))
    }
    /// Open and past its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status().is_open() && self.due_on < today
    }
    /// 5.2-e: past its due date, not cancelled, and never reviewed.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.status() != MeasureStatus::Cancelled && self.due_on < today && self.reviews == 0
    }
}

/// An effectiveness review (5.2-e).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Review {
    pub id: i64,
    pub measure_id: Option<i64>,
    pub measure_action: Option<String>,
    pub effectiveness: String,
    pub comments: String,
    pub residual_likelihood: i64,
    pub residual_impact: i64,
    pub reviewed_by_name: String,
    pub reviewed_at: DateTime<Utc>,
}

impl Review {
    pub fn effectiveness(&self) -> Effectiveness {
        Effectiveness::parse(&self.effectiveness).unwrap_or(Effectiveness::Partial)
    }
}

/// Someone a measure may be given to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Person {
    pub id: i64,
    pub display_name: String,
}

/// Everything the response panel of a risk shows, and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseView {
    pub risk_id: i64,
    pub number: String,
    pub status: String,
    /// The risk's version (the strategy, decision and review forms' lock).
    pub version: i64,
    pub owner_id: i64,
    pub current_score: Option<i64>,
    pub level: Option<Level>,
    pub residual_likelihood: Option<i64>,
    pub residual_impact: Option<i64>,
    pub strategy: Option<Strategy>,
    pub strategy_note: String,
    pub acceptance: Option<AcceptanceStatus>,
    pub acceptance_by_name: Option<String>,
    pub acceptance_at: Option<DateTime<Utc>>,
    pub acceptance_note: String,
    pub measures: Vec<Measure>,
    pub reviews: Vec<Review>,
    pub people: Vec<Person>,
    pub can_edit: bool,
    pub can_decide: bool,
    pub viewer_id: i64,
    pub today: NaiveDate,
    pub time_zone: String,
}

/// A row of the measures page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MeasureRow {
    pub id: i64,
    pub risk_id: i64,
    pub risk_number: String,
    pub risk_name: String,
    pub action: String,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub reviews: i64,
}

impl MeasureRow {
    pub fn status(&self) -> MeasureStatus {
        MeasureStatus::parse(&self.status).unwrap_or(MeasureStatus::Planned)
    }
}

/// The measures page's filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeasureFilter {
    Open,
    Overdue,
    All,
}

impl MeasureFilter {
    pub const ALL: [MeasureFilter; 3] = [MeasureFilter::Open, MeasureFilter::Overdue, MeasureFilter::All];
    pub fn code(self) -> &'static str {
        match self {
            MeasureFilter::Open => "open",
            MeasureFilter::Overdue => "overdue",
            MeasureFilter::All => "all",
        }
    }
    pub fn parse(s: &str) -> MeasureFilter {
        Self::ALL.into_iter().find(|x| x.code() == s).unwrap_or(MeasureFilter::Open)
    }
    pub fn key(self) -> K {
        match self {
            MeasureFilter::Open => K::RiskRespFilterOpen,
            MeasureFilter::Overdue => K::RiskRespFilterOverdue,
            MeasureFilter::All => K::RiskRespFilterAll,
        }
    }
}

/// Whose measures the page lists: the viewer's own, their department's
/// (managers), or every one (the risk office).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeasureReach {
    Mine,
    Department,
    All,
}

impl MeasureReach {
    pub const ALL: [MeasureReach; 3] = [MeasureReach::Mine, MeasureReach::Department, MeasureReach::All];
    pub fn code(self) -> &'static str {
        match self {
            MeasureReach::Mine => "mine",
            MeasureReach::Department => "department",
            MeasureReach::All => "all",
        }
    }
    pub fn parse(s: &str) -> Option<MeasureReach> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            MeasureReach::Mine => K::RiskRespReachMine,
            MeasureReach::Department => K::RiskRespReachDepartment,
            MeasureReach::All => K::RiskRespReachAll,
        }
    }
}

/// One page of the measures list, with the reaches the viewer may choose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuresList {
    pub page: crate::core::list::Page<MeasureRow>,
    pub reach: MeasureReach,
    pub reaches: Vec<MeasureReach>,
    pub filter: MeasureFilter,
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptance_needs_approval_above_low() {
        // 5.2-a worked examples with the default bands (low < 5 ≤ medium).
        assert_eq!(acceptance_for(Strategy::Accept, Some(Level::Medium)), Some(AcceptanceStatus::Pending));
        assert_eq!(acceptance_for(Strategy::Accept, Some(Level::Critical)), Some(AcceptanceStatus::Pending));
        assert_eq!(acceptance_for(Strategy::Accept, Some(Level::Low)), None);
        assert_eq!(acceptance_for(Strategy::Accept, None), None);
        assert_eq!(acceptance_for(Strategy::Reduce, Some(Level::High)), None);
        assert_eq!(acceptance_for(Strategy::Transfer, Some(Level::Critical)), None);
    }

    #[test]
    fn rescoring_reopens_an_approved_acceptance() {
        let a = Some(Strategy::Accept);
        assert_eq!(acceptance_after_rescore(a, Some(AcceptanceStatus::Approved), Some(Level::High)), Some(AcceptanceStatus::Pending));
        assert_eq!(acceptance_after_rescore(a, None, Some(Level::Medium)), Some(AcceptanceStatus::Pending));
        assert_eq!(acceptance_after_rescore(a, Some(AcceptanceStatus::Approved), Some(Level::Low)), Some(AcceptanceStatus::Approved));
        assert_eq!(acceptance_after_rescore(a, Some(AcceptanceStatus::Rejected), Some(Level::High)), Some(AcceptanceStatus::Rejected));
        assert_eq!(acceptance_after_rescore(Some(Strategy::Reduce), None, Some(Level::Critical)), None);
    }

    #[test]
    fn rule_52a() {
        use AcceptanceStatus::*;
        assert!(satisfies_rule_52a(Some(Level::Low), None, None));
        assert!(satisfies_rule_52a(None, None, None));
        assert!(!satisfies_rule_52a(Some(Level::Medium), None, None));
        assert!(!satisfies_rule_52a(Some(Level::High), Some(Strategy::Accept), Some(Pending)));
        assert!(!satisfies_rule_52a(Some(Level::High), Some(Strategy::Accept), Some(Rejected)));
        assert!(satisfies_rule_52a(Some(Level::High), Some(Strategy::Accept), Some(Approved)));
        assert!(satisfies_rule_52a(Some(Level::Critical), Some(Strategy::Avoid), None));
    }

    #[test]
    fn strategy_moves_status_forward_only() {
        assert_eq!(status_after_strategy(RiskStatus::Identified), RiskStatus::Responding);
        assert_eq!(status_after_strategy(RiskStatus::Assessed), RiskStatus::Responding);
        assert_eq!(status_after_strategy(RiskStatus::Monitoring), RiskStatus::Monitoring);
        assert_eq!(status_after_strategy(RiskStatus::Closed), RiskStatus::Closed);
    }

    #[test]
    fn urls_and_links() {
        assert!(valid_url("https://example.com/x?y=1"));
        assert!(valid_url("http://intranet/training"));
        assert!(!valid_url("javascript:alert(1)"));
        assert!(!valid_url("ftp://example.com"));
        assert!(!valid_url("https://"));
        assert!(!valid_url("https://exa mple.com"));
        assert_eq!(LinkKind::Rule.href("3.1-a"), "/regulation#clause-3.1-a");
        assert_eq!(LinkKind::Project.href("7"), "/projects/7");
    }

    #[test]
    fn review_overdue_measures() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut m = Measure {
            id: 1,
            risk_id: 1,
            action: "x".into(),
            owner_id: 1,
            owner_name: "x".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            status: "done".into(),
            link_kind: None,
            link_ref: String::new(),
            completed_on: None,
            reviews: 0,
            version: 1,
        };
        assert!(m.review_overdue(today));
        assert!(!m.overdue(today));
        m.reviews = 1;
        assert!(!m.review_overdue(today));
        m.reviews = 0;
        m.status = "cancelled".into();
        assert!(!m.review_overdue(today));
        m.status = "in_progress".into();
        assert!(m.overdue(today));
        m.due_on = today;
        assert!(!m.overdue(today) && !m.review_overdue(today));
    }
}
