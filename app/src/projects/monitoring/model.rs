//! Monitoring (2.4.3) as pure calculations: earned value (PV, EV, AC, SV, CV,
//! SPI, CPI), health with its reasons, the forecast end, when the PMO's next
//! evaluation is due, the dashboard's figures and the Gantt chart's layout.
//! Everything here is plain data in and out, unit-tested with worked examples.
//!
//! Money is integer minor units (fen); ratios are stored times 1000 (SPI 0.955
//! is 955); completion in basis points (87.5 % is 8750).
use crate::core::i18n::K;
use crate::projects::model::{Health, ProjectStatus};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A task as the calculations need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskFacts {
    /// task, milestone, action or rework.
    pub kind: String,
    pub weight: i64,
    pub pct_done: i64,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
}

impl TaskFacts {
    pub fn is_milestone(&self) -> bool {
        self.kind == "milestone"
    }
    /// Tasks and milestones are the plan; actions and rework are follow-ups.
    pub fn is_planned_work(&self) -> bool {
        self.kind == "task" || self.kind == "milestone"
    }
    pub fn is_done(&self) -> bool {
        self.pct_done >= 100 || self.actual_end.is_some()
    }
    /// In the earned-value figures: planned work with a baseline and a weight.
    pub fn counts_for_evm(&self) -> bool {
        self.is_planned_work() && self.weight > 0 && self.baseline_start.is_some() && self.baseline_end.is_some()
    }
    /// 2.4.2-b: a baselined task or milestone not done by its baseline end
    /// (finished late, or unfinished and planned or running past it).
    pub fn slipped(&self, today: NaiveDate) -> bool {
        let Some(be) = self.baseline_end.filter(|_| self.is_planned_work()) else { return false };
        match self.actual_end {
            Some(ae) => ae > be,
            None if self.pct_done >= 100 => false,
            None => self.planned_end > be || today > be,
        }
    }
    /// Days a milestone is past its due date (the baseline's, or the plan's
    /// when it has none) and not done; None when it is not overdue.
    pub fn overdue_days(&self, today: NaiveDate) -> Option<i64> {
        if !self.is_milestone() || self.is_done() {
            return None;
        }
        let due = self.baseline_end.unwrap_or(self.planned_end);
        let days = (today - due).num_days();
        (days > 0).then_some(days)
    }
}

/// Billionths: the resolution of a task's planned fraction.
const PPB: i128 = 1_000_000_000;

/// How much of `start..=end` (both days included) is planned to be done by the
/// end of `on`, in billionths, rounded down. A one-day span (a milestone) is 0
/// before its day and all of it on and after it.
///
/// Worked example: a task planned 2026-03-01..2026-03-10 (10 days) is 0 on
/// 2026-02-28, 1/10 at the end of 03-01, 4/10 at the end of 03-04 and 10/10
/// from 03-10 on.
pub fn planned_fraction_ppb(start: NaiveDate, end: NaiveDate, on: NaiveDate) -> i64 {
    let days = (end - start).num_days() + 1;
    if days <= 0 {
        return if on >= end { PPB as i64 } else { 0 };
    }
    let elapsed = ((on - start).num_days() + 1).clamp(0, days);
    (elapsed as i128 * PPB / days as i128) as i64
}

/// `num / den` rounded half up (both non-negative), in i128 to avoid overflow.
fn div_round(num: i128, den: i128) -> i64 {
    if den == 0 {
        return 0;
    }
    ((2 * num + den) / (2 * den)) as i64
}

/// `num / den` times 1000, rounded half up; None when `den` is 0 (undefined).
pub fn ratio_milli(num: i64, den: i64) -> Option<i64> {
    (den > 0).then(|| div_round(num as i128 * 1000, den as i128))
}

/// Earned-value figures of a project on a date (2.4.3-b).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evm {
    /// Budget at completion: the baseline budget.
    pub bac: i64,
    /// Planned value: the baseline's worth of work planned to be done by today.
    pub pv: i64,
    /// Earned value: the baseline's worth of the work actually done.
    pub ev: i64,
    /// Actual cost so far.
    pub ac: i64,
    /// Weighted completion in basis points.
    pub complete_bp: i64,
}

impl Evm {
    /// Schedule variance: ahead (+) or behind (−) in money.
    pub fn sv(&self) -> i64 {
        self.ev - self.pv
    }
    /// Cost variance: under (+) or over (−) budget for the work done.
    pub fn cv(&self) -> i64 {
        self.ev - self.ac
    }
    /// Schedule performance index × 1000; None while nothing is planned yet.
    pub fn spi_milli(&self) -> Option<i64> {
        ratio_milli(self.ev, self.pv)
    }
    /// Cost performance index × 1000; None while nothing is spent yet.
    pub fn cpi_milli(&self) -> Option<i64> {
        ratio_milli(self.ev, self.ac)
    }
}

/// Earned value over the baselined tasks with a weight (`TaskFacts::counts_for_evm`):
///
/// - PV = BAC × Σ wᵢ·plannedFractionᵢ(today) / Σ wᵢ
/// - EV = BAC × Σ wᵢ·pct_doneᵢ/100 / Σ wᵢ
/// - complete = Σ wᵢ·pct_doneᵢ / Σ wᵢ (basis points)
///
/// PV, EV and completion are rounded half up to the minor unit / basis point
/// once, at the end (a task's planned fraction is exact to a billionth).
/// `ac` is the sum of costs incurred up to today, taken as is.
pub fn evm(tasks: &[TaskFacts], bac: i64, ac: i64, today: NaiveDate) -> Evm {
    let mut w_sum: i128 = 0;
    let mut planned: i128 = 0; // Σ w · fraction (ppb)
    let mut done: i128 = 0; // Σ w · pct
    for t in tasks.iter().filter(|t| t.counts_for_evm()) {
        let (Some(bs), Some(be)) = (t.baseline_start, t.baseline_end) else { continue };
        let w = t.weight as i128;
        w_sum += w;
        planned += w * planned_fraction_ppb(bs, be, today) as i128;
        done += w * t.pct_done.clamp(0, 100) as i128;
    }
    if w_sum == 0 {
        return Evm { bac, pv: 0, ev: 0, ac, complete_bp: 0 };
    }
    let bac_i = bac as i128;
    Evm {
        bac,
        pv: div_round(bac_i * planned, w_sum * PPB),
        ev: div_round(bac_i * done, w_sum * 100),
        ac,
        complete_bp: div_round(done * 100, w_sum),
    }
}

/// The thresholds of 2.4.3-d (settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub spi_amber_pct: i64,
    pub spi_red_pct: i64,
    pub cpi_amber_pct: i64,
    pub cpi_red_pct: i64,
    pub milestone_red_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { spi_amber_pct: 95, spi_red_pct: 85, cpi_amber_pct: 95, cpi_red_pct: 85, milestone_red_days: 14 }
    }
}

/// What health is decided from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthFacts {
    pub spi_milli: Option<i64>,
    pub cpi_milli: Option<i64>,
    pub overdue_milestones: i64,
    /// The most days any milestone is overdue (0 when none is).
    pub max_overdue_days: i64,
    pub open_delays: i64,
    pub failed_checks: i64,
}

/// Why a project is not green, each with its own severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    SpiBelow { spi_milli: i64, threshold_pct: i64, red: bool },
    CpiBelow { cpi_milli: i64, threshold_pct: i64, red: bool },
    /// Milestones overdue; red when one is late by more than `limit_days`.
    MilestonesOverdue { count: i64, max_days: i64, limit_days: i64, red: bool },
    OpenDelays { count: i64 },
    FailedChecks { count: i64 },
}

/// "0.955" for 955.
pub fn milli_text(v: Option<i64>) -> String {
    match v {
        Some(m) => format!("{}{}.{:03}", if m < 0 { "-" } else { "" }, m.abs() / 1000, m.abs() % 1000),
        None => "—".into(),
    }
}

/// "0.95" for a threshold of 95 %.
pub fn pct_ratio_text(pct: i64) -> String {
    format!("{}.{:02}", pct / 100, pct % 100)
}

impl Reason {
    pub fn health(&self) -> Health {
        match self {
            Reason::SpiBelow { red, .. } | Reason::CpiBelow { red, .. } | Reason::MilestonesOverdue { red, .. } => {
                if *red { Health::Red } else { Health::Amber }
            }
            Reason::OpenDelays { .. } | Reason::FailedChecks { .. } => Health::Amber,
        }
    }
    pub fn key(&self) -> K {
        match self {
            Reason::SpiBelow { .. } => K::ProjectsMonReasonSpi,
            Reason::CpiBelow { .. } => K::ProjectsMonReasonCpi,
            Reason::MilestonesOverdue { red: true, .. } => K::ProjectsMonReasonMilestonesRed,
            Reason::MilestonesOverdue { red: false, .. } => K::ProjectsMonReasonMilestones,
            Reason::OpenDelays { .. } => K::ProjectsMonReasonDelays,
            Reason::FailedChecks { .. } => K::ProjectsMonReasonChecks,
        }
    }
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Reason::SpiBelow { spi_milli, threshold_pct, .. } => {
                vec![("value", milli_text(Some(*spi_milli))), ("threshold", pct_ratio_text(*threshold_pct))]
            }
            Reason::CpiBelow { cpi_milli, threshold_pct, .. } => {
                vec![("value", milli_text(Some(*cpi_milli))), ("threshold", pct_ratio_text(*threshold_pct))]
            }
            Reason::MilestonesOverdue { count, max_days, limit_days, .. } => {
                vec![("n", count.to_string()), ("days", max_days.to_string()), ("limit", limit_days.to_string())]
            }
            Reason::OpenDelays { count } | Reason::FailedChecks { count } => vec![("n", count.to_string())],
        }
    }
}

/// 2.4.3-d: red if SPI or CPI is below its red threshold or a milestone is
/// overdue by more than `milestone_red_days`; amber if below an amber
/// threshold, or any milestone is overdue, or a delay is open, or a failed
/// quality check is unresolved; otherwise green. An undefined SPI or CPI
/// (nothing planned or spent yet) counts as on track. Thresholds are per cent:
/// SPI 0.849 is below a red threshold of 85, SPI 0.850 is not.
pub fn health(f: &HealthFacts, t: &Thresholds) -> (Health, Vec<Reason>) {
    let mut reasons = Vec::new();
    if let Some(spi) = f.spi_milli {
        if spi < t.spi_red_pct * 10 {
            reasons.push(Reason::SpiBelow { spi_milli: spi, threshold_pct: t.spi_red_pct, red: true });
        } else if spi < t.spi_amber_pct * 10 {
            reasons.push(Reason::SpiBelow { spi_milli: spi, threshold_pct: t.spi_amber_pct, red: false });
        }
    }
    if let Some(cpi) = f.cpi_milli {
        if cpi < t.cpi_red_pct * 10 {
            reasons.push(Reason::CpiBelow { cpi_milli: cpi, threshold_pct: t.cpi_red_pct, red: true });
        } else if cpi < t.cpi_amber_pct * 10 {
            reasons.push(Reason::CpiBelow { cpi_milli: cpi, threshold_pct: t.cpi_amber_pct, red: false });
        }
    }
    if f.overdue_milestones > 0 {
        reasons.push(Reason::MilestonesOverdue {
            count: f.overdue_milestones,
            max_days: f.max_overdue_days,
            limit_days: t.milestone_red_days,
            red: f.max_overdue_days > t.milestone_red_days,
        });
    }
    if f.open_delays > 0 {
        reasons.push(Reason::OpenDelays { count: f.open_delays });
    }
    if f.failed_checks > 0 {
        reasons.push(Reason::FailedChecks { count: f.failed_checks });
    }
    let h = reasons.iter().map(Reason::health).max().unwrap_or(Health::Green);
    (h, reasons)
}

/// The latest end of the planned work and its rework: a finished task's actual
/// end, an unfinished one's planned end — but not before today, since work
/// not done cannot end in the past. None without tasks.
pub fn forecast_end(tasks: &[TaskFacts], today: NaiveDate) -> Option<NaiveDate> {
    tasks
        .iter()
        .filter(|t| t.kind != "action")
        .map(|t| match (t.is_done(), t.actual_end) {
            (true, Some(ae)) => ae,
            (true, None) => t.planned_end,
            (false, _) => t.planned_end.max(today),
        })
        .max()
}

/// Only projects being executed or in acceptance are measured.
pub fn is_measured(status: ProjectStatus) -> bool {
    matches!(status, ProjectStatus::Executing | ProjectStatus::Acceptance)
}

/// Everything recompute writes on the project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// None for projects that are not measured.
    pub metrics_date: Option<NaiveDate>,
    pub evm: Evm,
    pub spi_milli: Option<i64>,
    pub cpi_milli: Option<i64>,
    pub facts: HealthFacts,
    pub forecast_end: Option<NaiveDate>,
    pub health: Option<Health>,
}

impl Snapshot {
    pub fn health(&self) -> Health {
        self.health.unwrap_or(Health::Green)
    }
}

/// A project's snapshot on `today`. Projects that are not measured (not yet
/// approved, closed or cancelled) are green with every figure zero.
#[allow(clippy::too_many_arguments)]
pub fn snapshot(
    status: ProjectStatus,
    tasks: &[TaskFacts],
    bac: i64,
    ac: i64,
    open_delays: i64,
    failed_checks: i64,
    today: NaiveDate,
    t: &Thresholds,
) -> Snapshot {
    if !is_measured(status) {
        return Snapshot::default();
    }
    let e = evm(tasks, bac, ac, today);
    let overdue: Vec<i64> = tasks.iter().filter_map(|t| t.overdue_days(today)).collect();
    let facts = HealthFacts {
        spi_milli: e.spi_milli(),
        cpi_milli: e.cpi_milli(),
        overdue_milestones: overdue.len() as i64,
        max_overdue_days: overdue.iter().copied().max().unwrap_or(0),
        open_delays,
        failed_checks,
    };
    let (h, _) = health(&facts, t);
    Snapshot {
        metrics_date: Some(today),
        evm: e,
        spi_milli: facts.spi_milli,
        cpi_milli: facts.cpi_milli,
        facts,
        forecast_end: forecast_end(tasks, today),
        health: Some(h),
    }
}

/// 2.4.3-d: an early warning goes out when health gets worse (green to amber
/// or red, amber to red); recovering or staying the same says nothing.
pub fn warns(from: Health, to: Health) -> bool {
    to > from
}

/// 2.4.3-a: the day the PMO's next evaluation is due: `days` after the last
/// evaluation made since the plan's latest approval, or the approval day itself
/// when there has been none since (a newly approved plan is evaluated first).
pub fn evaluation_due_on(approved_on: Option<NaiveDate>, last_evaluated_on: Option<NaiveDate>, days: i64, today: NaiveDate) -> NaiveDate {
    match (approved_on, last_evaluated_on) {
        (Some(a), Some(l)) if l >= a => l + Duration::days(days),
        (None, Some(l)) => l + Duration::days(days),
        (Some(a), _) => a,
        (None, None) => today,
    }
}

// ===== the monitoring page =====

/// The figures stored on the project by the last recompute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Figures {
    pub status: String,
    pub health: String,
    pub metrics_date: Option<NaiveDate>,
    pub bac_minor: i64,
    pub pv_minor: i64,
    pub ev_minor: i64,
    pub ac_minor: i64,
    pub spi_milli: Option<i64>,
    pub cpi_milli: Option<i64>,
    pub complete_bp: i64,
    pub overdue_milestones: i64,
    pub open_delays: i64,
    pub failed_checks: i64,
    pub forecast_end: Option<NaiveDate>,
    pub end_date: NaiveDate,
    pub health_changed_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
}

impl Figures {
    pub fn evm(&self) -> Evm {
        Evm { bac: self.bac_minor, pv: self.pv_minor, ev: self.ev_minor, ac: self.ac_minor, complete_bp: self.complete_bp }
    }
    pub fn status(&self) -> ProjectStatus {
        ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Initiating)
    }
    pub fn health(&self) -> Health {
        Health::parse(&self.health).unwrap_or(Health::Green)
    }
}

/// One recorded change of computed health (2.4.3-d).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HealthChange {
    pub id: i64,
    pub from_health: String,
    pub to_health: String,
    pub spi_milli: Option<i64>,
    pub cpi_milli: Option<i64>,
    pub changed_at: DateTime<Utc>,
}

/// A milestone past its due date and not reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OverdueMilestone {
    pub id: i64,
    pub name: String,
    pub assignee_name: String,
    pub planned_end: NaiveDate,
    pub baseline_end: Option<NaiveDate>,
}

impl OverdueMilestone {
    pub fn due(&self) -> NaiveDate {
        self.baseline_end.unwrap_or(self.planned_end)
    }
}

/// An open delay record (2.4.2-b).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpenDelay {
    pub id: i64,
    pub task_name: String,
    pub baseline_end: NaiveDate,
    pub forecast_end: NaiveDate,
    pub cause: String,
    pub measures: String,
    pub created_at: DateTime<Utc>,
}

/// A failed quality check not yet resolved (2.4.2-c).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FailedCheck {
    pub id: i64,
    pub criterion: String,
    pub checked_on: NaiveDate,
    pub findings: String,
    pub rework_name: Option<String>,
    pub rework_pct: Option<i64>,
}

/// A PMO health evaluation (2.4.3-a).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Evaluation {
    pub id: i64,
    pub evaluated_on: NaiveDate,
    pub schedule: String,
    pub quality: String,
    pub cost: String,
    pub risk: String,
    pub overall: String,
    pub comments: String,
    pub evaluator_id: i64,
    pub evaluator_name: String,
    pub created_at: DateTime<Utc>,
}

/// The five ratings of an evaluation, in form order.
pub const RATINGS: [&str; 5] = ["schedule", "quality", "cost", "risk", "overall"];

impl Evaluation {
    pub fn rating(&self, field: &str) -> Health {
        let v = match field {
            "schedule" => &self.schedule,
            "quality" => &self.quality,
            "cost" => &self.cost,
            "risk" => &self.risk,
            _ => &self.overall,
        };
        Health::parse(v).unwrap_or(Health::Green)
    }
}

/// Longest evaluation comment.
pub const COMMENTS_MAX: usize = 2000;

/// Everything the monitoring tab shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonitoringView {
    pub figures: Figures,
    pub thresholds: Thresholds,
    pub reasons: Vec<Reason>,
    pub history: Vec<HealthChange>,
    pub overdue: Vec<OverdueMilestone>,
    pub delays: Vec<OpenDelay>,
    pub checks: Vec<FailedCheck>,
    pub evaluations: Vec<Evaluation>,
    /// When the next PMO evaluation is due (executing projects).
    pub evaluation_due_on: Option<NaiveDate>,
    pub can_evaluate: bool,
    pub today: NaiveDate,
    pub time_zone: String,
}

/// The Gantt tab's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GanttView {
    pub tasks: Vec<GanttTask>,
    /// (task, depends on)
    pub deps: Vec<(i64, i64)>,
    pub today: NaiveDate,
}

// ===== the dashboard's figures =====

/// What the dashboard is filtered by.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashFilter {
    pub department_id: Option<i64>,
    /// A priority code.
    pub priority: Option<String>,
}

/// Projects of one phase and health.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PhaseHealthCount {
    pub status: String,
    pub health: String,
    pub count: i64,
}

/// One row of the portfolio table: a phase and its projects by health;
/// `unmeasured` are projects of phases without health.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseRow {
    pub green: i64,
    pub amber: i64,
    pub red: i64,
    pub unmeasured: i64,
}

impl PhaseRow {
    pub fn total(&self) -> i64 {
        self.green + self.amber + self.red + self.unmeasured
    }
}

/// The portfolio by phase (in life-cycle order) and health.
pub fn portfolio(counts: &[PhaseHealthCount]) -> Vec<(ProjectStatus, PhaseRow)> {
    ProjectStatus::ALL
        .into_iter()
        .map(|s| {
            let mut row = PhaseRow::default();
            for c in counts.iter().filter(|c| c.status == s.code()) {
                if !is_measured(s) {
                    row.unmeasured += c.count;
                    continue;
                }
                match Health::parse(&c.health).unwrap_or(Health::Green) {
                    Health::Green => row.green += c.count,
                    Health::Amber => row.amber += c.count,
                    Health::Red => row.red += c.count,
                }
            }
            (s, row)
        })
        .collect()
}

/// One executing project on the SPI/CPI scatter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct IndexPoint {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub health: String,
    pub spi_milli: i64,
    pub cpi_milli: i64,
    pub pv_minor: i64,
    pub ev_minor: i64,
    pub ac_minor: i64,
}

/// A measured project as the "needs attention" list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AttentionRow {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub status: String,
    pub health: String,
    pub spi_milli: Option<i64>,
    pub cpi_milli: Option<i64>,
    pub overdue_milestones: i64,
    pub open_delays: i64,
    pub failed_checks: i64,
}

/// A milestone not yet reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MilestoneRow {
    pub task_id: i64,
    pub project_id: i64,
    pub number: String,
    pub project_name: String,
    pub name: String,
    pub planned_end: NaiveDate,
    pub baseline_end: Option<NaiveDate>,
}

impl MilestoneRow {
    /// Past its planned date and not reached.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.planned_end < today
    }
    /// Late: overdue, or planned after its baseline date (slipping), or past
    /// the baseline date.
    pub fn late(&self, today: NaiveDate) -> bool {
        self.overdue(today) || self.baseline_end.is_some_and(|b| self.planned_end > b || b < today)
    }
}

/// A project with open delays, the worst first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DelayedProject {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub health: String,
    pub delays: i64,
    /// The largest forecast slip past a baseline end, in days.
    pub slip_days: i64,
}

/// One open delay record (2.4.2-b) of a delayed project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DelayCause {
    pub project_id: i64,
    pub task_name: String,
    pub cause: String,
    pub measures: String,
    pub baseline_end: NaiveDate,
    pub forecast_end: NaiveDate,
}

impl DelayCause {
    pub fn slip_days(&self) -> i64 {
        (self.forecast_end - self.baseline_end).num_days()
    }
}

/// Budget (BAC), earned and spent of the measured projects of a requesting department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BudgetRow {
    pub department_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub projects: i64,
    pub bac_minor: i64,
    pub ev_minor: i64,
    pub ac_minor: i64,
}

impl BudgetRow {
    /// Spent as a share of budget, whole per cent (None without budget).
    pub fn spent_pct(&self) -> Option<i64> {
        (self.bac_minor > 0).then(|| div_round(self.ac_minor as i128 * 100, self.bac_minor as i128))
    }
}

/// 2.4.2-d: people of a department on open projects, their summed allocation
/// and the department's capacity (headcount × 100 %).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadRow {
    pub department_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub headcount: i64,
    pub people_on_projects: i64,
    pub allocated_pct: i64,
}

impl LoadRow {
    pub fn capacity_pct(&self) -> i64 {
        self.headcount * 100
    }
    /// Allocation as a share of capacity, whole per cent.
    pub fn load_pct(&self) -> Option<i64> {
        (self.headcount > 0).then(|| div_round(self.allocated_pct as i128, self.headcount as i128))
    }
}

/// Everything the project status dashboard shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filter: DashFilter,
    pub today: NaiveDate,
    pub thresholds: Thresholds,
    pub phases: Vec<PhaseHealthCount>,
    /// Executing projects with both indexes, the furthest behind first (capped).
    pub points: Vec<IndexPoint>,
    pub points_total: i64,
    /// Measured projects, red first, then amber, each by SPI (capped).
    pub attention: Vec<AttentionRow>,
    /// Milestones of the next 90 days, by date (capped), and those overdue.
    pub upcoming: Vec<MilestoneRow>,
    pub upcoming_total: i64,
    pub overdue: Vec<MilestoneRow>,
    pub overdue_total: i64,
    pub delayed: Vec<DelayedProject>,
    pub causes: Vec<DelayCause>,
    pub budget: Vec<BudgetRow>,
    pub load: Vec<LoadRow>,
}

/// How many points, milestones and delayed projects the dashboard lists.
pub const MAX_POINTS: i64 = 150;
pub const MAX_UPCOMING: i64 = 100;
pub const MAX_OVERDUE: i64 = 20;
pub const MAX_DELAYED: i64 = 10;
pub const MAX_ATTENTION: i64 = 15;
pub const HORIZON_DAYS: i64 = 90;

// ===== the Gantt chart =====

/// A task as the Gantt view shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GanttTask {
    pub id: i64,
    pub position: i64,
    pub name: String,
    pub kind: String,
    pub assignee_name: String,
    pub weight: i64,
    pub pct_done: i64,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
}

impl GanttTask {
    pub fn facts(&self) -> TaskFacts {
        TaskFacts {
            kind: self.kind.clone(),
            weight: self.weight,
            pct_done: self.pct_done,
            planned_start: self.planned_start,
            planned_end: self.planned_end,
            baseline_start: self.baseline_start,
            baseline_end: self.baseline_end,
            actual_end: self.actual_end,
        }
    }
    /// The bar of the work as it happens: actual dates where known, else planned.
    pub fn bar(&self) -> (NaiveDate, NaiveDate) {
        let start = self.actual_start.unwrap_or(self.planned_start);
        let end = self.actual_end.unwrap_or(self.planned_end).max(start);
        (start, end)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Scale {
    #[default]
    Week,
    Month,
}

impl Scale {
    pub fn parse(s: &str) -> Scale {
        if s == "month" { Scale::Month } else { Scale::Week }
    }
    pub fn code(self) -> &'static str {
        match self {
            Scale::Week => "week",
            Scale::Month => "month",
        }
    }
    pub fn px_per_day(self) -> f64 {
        match self {
            Scale::Week => 14.0,
            Scale::Month => 4.0,
        }
    }
}

/// Geometry of the chart (SVG user units).
pub const GANTT_LABEL_W: f64 = 240.0;
pub const GANTT_HEAD_H: f64 = 40.0;
pub const GANTT_ROW_H: f64 = 28.0;

/// One row of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct GanttRow {
    pub y: f64,
    /// Baseline bar (x, width), when baselined.
    pub baseline: Option<(f64, f64)>,
    /// The planned/actual bar (x, width).
    pub bar: (f64, f64),
    /// Width of the done part of the bar.
    pub done_w: f64,
    pub milestone: bool,
    pub slipped: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GanttTick {
    pub x: f64,
    pub label: String,
    /// A month boundary (drawn stronger, labelled on the top line).
    pub major: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GanttLayout {
    pub width: f64,
    pub height: f64,
    pub origin: NaiveDate,
    pub px_per_day: f64,
    pub rows: Vec<GanttRow>,
    pub ticks: Vec<GanttTick>,
    pub today_x: Option<f64>,
    /// SVG path data of the dependency arrows.
    pub arrows: Vec<String>,
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d + Duration::days(31))
}

/// Lays the tasks out: the time axis runs from the Monday (week scale) or the
/// first of the month (month scale) before the earliest date to past the
/// latest; a bar covers its first to its last day inclusive.
pub fn gantt_layout(tasks: &[GanttTask], deps: &[(i64, i64)], today: NaiveDate, scale: Scale) -> GanttLayout {
    let px = scale.px_per_day();
    let mut lo = today;
    let mut hi = today;
    let mut any = false;
    for t in tasks {
        let dates = [Some(t.planned_start), Some(t.planned_end), t.baseline_start, t.baseline_end, t.actual_start, t.actual_end];
        for d in dates.into_iter().flatten() {
            if !any {
                lo = d;
                hi = d;
                any = true;
            }
            lo = lo.min(d);
            hi = hi.max(d);
        }
    }
    let origin = match scale {
        Scale::Week => lo - Duration::days(lo.weekday().num_days_from_monday() as i64),
        Scale::Month => first_of_month(lo),
    };
    let end = match scale {
        Scale::Week => {
            let e = hi + Duration::days(1);
            e + Duration::days((7 - e.weekday().num_days_from_monday() as i64) % 7)
        }
        Scale::Month => next_month(hi),
    };
    let x = |d: NaiveDate| GANTT_LABEL_W + (d - origin).num_days() as f64 * px;
    let width = x(end).max(GANTT_LABEL_W + 7.0 * px);
    let rows: Vec<GanttRow> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (s, e) = t.bar();
            let bar_w = x(e + Duration::days(1)) - x(s);
            GanttRow {
                y: GANTT_HEAD_H + i as f64 * GANTT_ROW_H,
                baseline: match (t.baseline_start, t.baseline_end) {
                    (Some(bs), Some(be)) => Some((x(bs), x(be + Duration::days(1)) - x(bs))),
                    _ => None,
                },
                bar: (x(s), bar_w),
                done_w: bar_w * t.pct_done.clamp(0, 100) as f64 / 100.0,
                milestone: t.kind == "milestone",
                slipped: t.facts().slipped(today),
            }
        })
        .collect();
    let mut ticks = Vec::new();
    let mut m = first_of_month(origin);
    if m < origin {
        m = next_month(m);
    }
    while m <= end {
        ticks.push(GanttTick { x: x(m), label: m.format("%Y-%m").to_string(), major: true });
        m = next_month(m);
    }
    if scale == Scale::Week {
        let mut w = origin;
        while w <= end {
            ticks.push(GanttTick { x: x(w), label: w.format("%m-%d").to_string(), major: false });
            w += Duration::days(7);
        }
    }
    let today_x = (today >= origin && today <= end).then(|| x(today) + px / 2.0);
    let index: std::collections::HashMap<i64, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut arrows = Vec::new();
    for (task, on) in deps {
        let (Some(&to), Some(&from)) = (index.get(task), index.get(on)) else { continue };
        let (a, b) = (&rows[from], &rows[to]);
        let x1 = if a.milestone { a.bar.0 + px / 2.0 + 6.0 } else { a.bar.0 + a.bar.1 };
        let y1 = a.y + GANTT_ROW_H / 2.0;
        let x2 = if b.milestone { b.bar.0 + px / 2.0 - 6.0 } else { b.bar.0 };
        let y2 = b.y + GANTT_ROW_H / 2.0;
        let path = if x2 - 6.0 >= x1 + 6.0 {
            format!("M{x1:.1} {y1:.1} H{:.1} V{y2:.1} H{x2:.1}", x1 + 6.0)
        } else {
            let mid = if y2 > y1 { b.y } else { b.y + GANTT_ROW_H };
            format!("M{x1:.1} {y1:.1} H{:.1} V{mid:.1} H{:.1} V{y2:.1} H{x2:.1}", x1 + 6.0, x2 - 6.0)
        };
        arrows.push(path);
    }
    GanttLayout {
        width,
        height: GANTT_HEAD_H + tasks.len().max(1) as f64 * GANTT_ROW_H + 4.0,
        origin,
        px_per_day: px,
        rows,
        ticks,
        today_x,
        arrows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn task(kind: &str, w: i64, pct: i64, bs: &str, be: &str) -> TaskFacts {
        TaskFacts {
            kind: kind.into(),
            weight: w,
            pct_done: pct,
            planned_start: d(bs),
            planned_end: d(be),
            baseline_start: Some(d(bs)),
            baseline_end: Some(d(be)),
            actual_end: None,
        }
    }

    #[test]
    fn planned_fraction_is_linear_over_both_days() {
        // 10 days, 03-01..03-10.
        assert_eq!(planned_fraction_ppb(d("2026-03-01"), d("2026-03-10"), d("2026-02-28")), 0);
        assert_eq!(planned_fraction_ppb(d("2026-03-01"), d("2026-03-10"), d("2026-03-01")), 100_000_000);
        assert_eq!(planned_fraction_ppb(d("2026-03-01"), d("2026-03-10"), d("2026-03-04")), 400_000_000);
        assert_eq!(planned_fraction_ppb(d("2026-03-01"), d("2026-03-10"), d("2026-03-10")), 1_000_000_000);
        assert_eq!(planned_fraction_ppb(d("2026-03-01"), d("2026-03-10"), d("2026-04-01")), 1_000_000_000);
        // 3 days: a third is 333,333,333 billionths (rounded down).
        assert_eq!(planned_fraction_ppb(d("2026-03-01"), d("2026-03-03"), d("2026-03-01")), 333_333_333);
        // A milestone: nothing before its day, all of it on the day.
        assert_eq!(planned_fraction_ppb(d("2026-03-15"), d("2026-03-15"), d("2026-03-14")), 0);
        assert_eq!(planned_fraction_ppb(d("2026-03-15"), d("2026-03-15"), d("2026-03-15")), 1_000_000_000);
    }

    /// Worked example (today 2026-03-10, BAC ¥100,000.00 = 10,000,000 fen):
    ///
    /// | task | weight | baseline        | planned by today | done |
    /// |------|--------|-----------------|------------------|------|
    /// | A    | 2      | 03-01..03-10    | 10/10            | 100% |
    /// | B    | 3      | 03-06..03-15    | 5/10             | 20%  |
    /// | M    | 1      | milestone 03-20 | 0                | 0%   |
    /// | X    | 0      | 03-01..03-05    | (weight 0: out)  | 50%  |
    /// | act. | 1      | action, no baseline (out)          | 100% |
    ///
    /// Σw = 6. PV = BAC × (2·1 + 3·0.5 + 1·0)/6 = BAC × 3.5/6 = 5,833,333.33 → 5,833,333.
    /// EV = BAC × (2·100 + 3·20 + 0)/100/6 = BAC × 2.6/6 = 4,333,333.33 → 4,333,333.
    /// Complete = 260/6 % = 43.33 % → 4333 bp.
    /// AC = 5,000,000 → SV = −1,500,000, CV = −666,667,
    /// SPI = 4,333,333/5,833,333 = 0.74286 → 743, CPI = 4,333,333/5,000,000 = 0.86667 → 867.
    #[test]
    fn evm_worked_example() {
        let mut action = task("action", 1, 100, "2026-03-01", "2026-03-02");
        action.baseline_start = None;
        action.baseline_end = None;
        let tasks = vec![
            task("task", 2, 100, "2026-03-01", "2026-03-10"),
            task("task", 3, 20, "2026-03-06", "2026-03-15"),
            task("milestone", 1, 0, "2026-03-20", "2026-03-20"),
            task("task", 0, 50, "2026-03-01", "2026-03-05"),
            action,
        ];
        let e = evm(&tasks, 10_000_000, 5_000_000, d("2026-03-10"));
        assert_eq!(e, Evm { bac: 10_000_000, pv: 5_833_333, ev: 4_333_333, ac: 5_000_000, complete_bp: 4333 });
        assert_eq!(e.sv(), -1_500_000);
        assert_eq!(e.cv(), -666_667);
        assert_eq!(e.spi_milli(), Some(743));
        assert_eq!(e.cpi_milli(), Some(867));
    }

    /// Milestones count all or nothing: a weight-1 milestone on 03-20 with a
    /// weight-1 task 03-11..03-20 and BAC 1,000 fen: on 03-19 PV = 1000 × 0.9/2
    /// = 450; on 03-20 PV = 1000 × (1 + 1)/2 = 1000.
    #[test]
    fn milestones_count_on_their_day() {
        let tasks = vec![task("task", 1, 0, "2026-03-11", "2026-03-20"), task("milestone", 1, 0, "2026-03-20", "2026-03-20")];
        assert_eq!(evm(&tasks, 1000, 0, d("2026-03-19")).pv, 450);
        assert_eq!(evm(&tasks, 1000, 0, d("2026-03-20")).pv, 1000);
        assert_eq!(evm(&tasks, 1000, 0, d("2026-03-10")).pv, 0);
    }

    #[test]
    fn zero_pv_and_ac_leave_the_indexes_undefined() {
        // Before the first task starts nothing is planned: SPI undefined; nothing
        // spent: CPI undefined.
        let tasks = vec![task("task", 1, 10, "2026-04-01", "2026-04-10")];
        let e = evm(&tasks, 100_000, 0, d("2026-03-01"));
        assert_eq!((e.pv, e.ev, e.ac), (0, 10_000, 0));
        assert_eq!(e.spi_milli(), None);
        assert_eq!(e.cpi_milli(), None);
        // No weighted baselined work at all: everything zero except BAC and AC.
        let e = evm(&[], 100_000, 500, d("2026-03-01"));
        assert_eq!(e, Evm { bac: 100_000, pv: 0, ev: 0, ac: 500, complete_bp: 0 });
        assert_eq!(e.cpi_milli(), Some(0));
        assert_eq!(ratio_milli(2, 3), Some(667));
        assert_eq!(ratio_milli(1, 8), Some(125));
        assert_eq!(ratio_milli(1, 0), None);
    }

    #[test]
    fn health_thresholds() {
        let t = Thresholds::default();
        let f = |spi: Option<i64>, cpi: Option<i64>| HealthFacts { spi_milli: spi, cpi_milli: cpi, ..Default::default() };
        assert_eq!(health(&f(Some(1000), Some(1000)), &t).0, Health::Green);
        assert_eq!(health(&f(None, None), &t).0, Health::Green);
        // 0.950 is not below 95 %; 0.949 is.
        assert_eq!(health(&f(Some(950), Some(950)), &t).0, Health::Green);
        assert_eq!(health(&f(Some(949), None), &t).0, Health::Amber);
        assert_eq!(health(&f(None, Some(949)), &t).0, Health::Amber);
        // 0.850 is amber, 0.849 red.
        assert_eq!(health(&f(Some(850), Some(1000)), &t).0, Health::Amber);
        let (h, reasons) = health(&f(Some(849), Some(900)), &t);
        assert_eq!(h, Health::Red);
        assert_eq!(
            reasons,
            vec![
                Reason::SpiBelow { spi_milli: 849, threshold_pct: 85, red: true },
                Reason::CpiBelow { cpi_milli: 900, threshold_pct: 95, red: false }
            ]
        );
        assert_eq!(health(&f(Some(1200), Some(700)), &t).0, Health::Red);
        // Milestones: any overdue is amber; more than 14 days red; exactly 14 amber.
        let m = |n, days| HealthFacts { overdue_milestones: n, max_overdue_days: days, ..Default::default() };
        assert_eq!(health(&m(1, 1), &t).0, Health::Amber);
        assert_eq!(health(&m(2, 14), &t).0, Health::Amber);
        assert_eq!(health(&m(1, 15), &t).0, Health::Red);
        // Open delays and failed checks are amber whatever the indexes.
        let o = HealthFacts { open_delays: 1, spi_milli: Some(1100), ..Default::default() };
        assert_eq!(health(&o, &t), (Health::Amber, vec![Reason::OpenDelays { count: 1 }]));
        let q = HealthFacts { failed_checks: 2, ..Default::default() };
        assert_eq!(health(&q, &t).0, Health::Amber);
        // Configured thresholds are used.
        let strict = Thresholds { spi_amber_pct: 100, spi_red_pct: 98, ..t };
        assert_eq!(health(&f(Some(990), None), &strict).0, Health::Amber);
        assert_eq!(health(&f(Some(979), None), &strict).0, Health::Red);
        assert_eq!(Reason::SpiBelow { spi_milli: 849, threshold_pct: 85, red: true }.params()[0].1, "0.849");
        assert_eq!(milli_text(Some(1234)), "1.234");
        assert_eq!(pct_ratio_text(85), "0.85");
    }

    #[test]
    fn snapshot_of_a_late_project() {
        // Today 2026-05-21. A task 05-01..05-10 only half done (slipped), a
        // milestone on 05-01 not reached (20 days overdue: red).
        let today = d("2026-05-21");
        let tasks = vec![task("task", 1, 50, "2026-05-01", "2026-05-10"), task("milestone", 1, 0, "2026-05-01", "2026-05-01")];
        assert!(tasks[0].slipped(today));
        assert_eq!(tasks[1].overdue_days(today), Some(20));
        let s = snapshot(ProjectStatus::Executing, &tasks, 2000, 0, 1, 0, today, &Thresholds::default());
        // PV 2000 (all planned), EV 2000 × 50/2/100 = 500, SPI 0.25.
        assert_eq!((s.evm.pv, s.evm.ev, s.spi_milli, s.cpi_milli), (2000, 500, Some(250), None));
        assert_eq!(s.facts.overdue_milestones, 1);
        assert_eq!(s.facts.max_overdue_days, 20);
        assert_eq!(s.health, Some(Health::Red));
        // Unfinished work cannot end before today.
        assert_eq!(s.forecast_end, Some(today));
        // A project not in execution is not measured.
        let idle = snapshot(ProjectStatus::Closed, &tasks, 2000, 100, 1, 0, today, &Thresholds::default());
        assert_eq!(idle, Snapshot::default());
        assert_eq!(idle.health(), Health::Green);
    }

    #[test]
    fn warnings_only_when_health_worsens() {
        assert!(warns(Health::Green, Health::Amber));
        assert!(warns(Health::Green, Health::Red));
        assert!(warns(Health::Amber, Health::Red));
        assert!(!warns(Health::Red, Health::Red));
        assert!(!warns(Health::Red, Health::Amber));
        assert!(!warns(Health::Amber, Health::Green));
    }

    #[test]
    fn evaluation_is_due_periodically_after_approval() {
        let today = d("2026-06-30");
        // Approved, never evaluated: due on the approval day.
        assert_eq!(evaluation_due_on(Some(d("2026-06-01")), None, 30, today), d("2026-06-01"));
        // Evaluated after approval: 30 days later.
        assert_eq!(evaluation_due_on(Some(d("2026-06-01")), Some(d("2026-06-05")), 30, today), d("2026-07-05"));
        // Evaluated before a re-approval (a changed baseline): due again at once.
        assert_eq!(evaluation_due_on(Some(d("2026-06-10")), Some(d("2026-06-05")), 30, today), d("2026-06-10"));
    }

    #[test]
    fn portfolio_rows() {
        let c = |s: &str, h: &str, n| PhaseHealthCount { status: s.into(), health: h.into(), count: n };
        let rows = portfolio(&[c("executing", "red", 2), c("executing", "green", 3), c("closed", "green", 4), c("acceptance", "amber", 1)]);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[2].0, ProjectStatus::Executing);
        assert_eq!(rows[2].1, PhaseRow { green: 3, amber: 0, red: 2, unmeasured: 0 });
        assert_eq!(rows[3].1.amber, 1);
        assert_eq!(rows[4].1, PhaseRow { unmeasured: 4, ..Default::default() });
        assert_eq!(rows[4].1.total(), 4);
    }

    #[test]
    fn gantt_layout_positions() {
        let t = |id, kind: &str, s: &str, e: &str, pct| GanttTask {
            id,
            position: id,
            name: format!("t{id}"),
            kind: kind.into(),
            assignee_name: "x".into(),
            weight: 1,
            pct_done: pct,
            planned_start: d(s),
            planned_end: d(e),
            baseline_start: Some(d(s)),
            baseline_end: Some(d(e)),
            actual_start: None,
            actual_end: None,
        };
        // 2026-03-04 is a Wednesday: the week scale starts on Monday 03-02.
        let tasks = vec![t(1, "task", "2026-03-04", "2026-03-10", 50), t(2, "milestone", "2026-03-12", "2026-03-12", 0)];
        let l = gantt_layout(&tasks, &[(2, 1)], d("2026-03-05"), Scale::Week);
        assert_eq!(l.origin, d("2026-03-02"));
        // Bar 1: two days in, seven days long (14 px a day).
        assert_eq!(l.rows[0].bar, (GANTT_LABEL_W + 28.0, 98.0));
        assert_eq!(l.rows[0].done_w, 49.0);
        assert_eq!(l.rows[0].baseline, Some((GANTT_LABEL_W + 28.0, 98.0)));
        assert!(l.rows[1].milestone);
        assert_eq!(l.rows[1].y, GANTT_HEAD_H + GANTT_ROW_H);
        // Today's line in the middle of 03-05 (day 3).
        assert_eq!(l.today_x, Some(GANTT_LABEL_W + 3.0 * 14.0 + 7.0));
        // Ends on the Monday after the last day (03-16): 14 days.
        assert_eq!(l.width, GANTT_LABEL_W + 14.0 * 14.0);
        assert_eq!(l.arrows.len(), 1);
        assert!(l.arrows[0].starts_with(&format!("M{:.1}", GANTT_LABEL_W + 126.0)), "{}", l.arrows[0]);
        assert!(l.ticks.iter().any(|t| !t.major && t.label == "03-09"));
        // Month scale: from the first of the month, 4 px a day.
        let m = gantt_layout(&tasks, &[], d("2026-03-05"), Scale::Month);
        assert_eq!(m.origin, d("2026-03-01"));
        assert_eq!(m.rows[0].bar.0, GANTT_LABEL_W + 12.0);
        assert!(m.ticks.iter().any(|t| t.major && t.label == "2026-04"));
    }
}
