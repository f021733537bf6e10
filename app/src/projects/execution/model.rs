//! Execution (2.4.2): task progress, slips and delay records, progress
//! meetings, the issue log, quality checks, costs against budget lines and
//! people allocation. Plain types shared by browser and server, and the pure
//! rules (slip detection, validation, budget figures), unit-tested here.
use crate::core::error::{Checks, FieldError};
use crate::core::i18n::K;
use crate::core::money::Money;
use crate::core::ui::Tone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// An optional date field: `Ok(None)` when empty, a field error when not a date.
fn opt_date(field: &str, s: &str, c: &mut Checks) -> Option<NaiveDate> {
    if s.trim().is_empty() {
        return None;
    }
    let d = parse_date(s);
    if d.is_none() {
        c.add(field, K::ProjectsExecValDate);
    }
    d
}

/// A required date field.
fn req_date(field: &str, s: &str, c: &mut Checks) -> Option<NaiveDate> {
    if s.trim().is_empty() {
        c.add(field, K::ValRequired);
        return None;
    }
    opt_date(field, s, c)
}

/// A date that may not lie after today.
fn not_future(field: &str, d: Option<NaiveDate>, today: NaiveDate, c: &mut Checks) {
    if d.is_some_and(|d| d > today) {
        c.add(field, K::ProjectsExecValFuture);
    }
}

/// A person chosen from a list (the select's value is the user id).
pub fn parse_id(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|v| *v > 0)
}

// ===== tasks =====

/// What a schedule line is (2.4.1-b): planned work and milestones carry weight
/// and a baseline; meeting action items and rework from failed quality checks
/// (2.4.2-a, 2.4.2-c) carry neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskKind {
    Task,
    Milestone,
    Action,
    Rework,
}

impl TaskKind {
    pub const ALL: [TaskKind; 4] = [TaskKind::Task, TaskKind::Milestone, TaskKind::Action, TaskKind::Rework];
    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Task => "task",
            TaskKind::Milestone => "milestone",
            TaskKind::Action => "action",
            TaskKind::Rework => "rework",
        }
    }
    pub fn parse(s: &str) -> Option<TaskKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            TaskKind::Task => K::ProjectsExecKindTask,
            TaskKind::Milestone => K::ProjectsExecKindMilestone,
            TaskKind::Action => K::ProjectsExecKindAction,
            TaskKind::Rework => K::ProjectsExecKindRework,
        }
    }
    /// Planned work measured against the baseline (slips, earned value).
    pub fn baselined(self) -> bool {
        matches!(self, TaskKind::Task | TaskKind::Milestone)
    }
}

/// A task or milestone as the execution page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ExecTask {
    pub id: i64,
    pub project_id: i64,
    pub position: i64,
    pub name: String,
    pub kind: String,
    pub assignee_id: i64,
    pub assignee_name: String,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub pct_done: i64,
    pub remaining_hours: Option<i64>,
    pub notes: String,
    pub weight: i64,
    pub meeting_id: Option<i64>,
    pub version: i64,
    /// The latest delay record of this task for the baseline in force, if any.
    pub delay_id: Option<i64>,
}

impl ExecTask {
    pub fn kind(&self) -> TaskKind {
        TaskKind::parse(&self.kind).unwrap_or(TaskKind::Task)
    }
    pub fn slip(&self) -> Slip {
        Slip { kind: self.kind(), baseline_end: self.baseline_end, planned_end: self.planned_end, actual_end: self.actual_end }
    }
    pub fn done(&self) -> bool {
        self.actual_end.is_some()
    }
    /// Not finished and its planned end has passed (any kind).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.actual_end.is_none() && self.planned_end < today
    }
}

/// The facts that decide a slip (2.4.2-b).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slip {
    pub kind: TaskKind,
    pub baseline_end: Option<NaiveDate>,
    pub planned_end: NaiveDate,
    pub actual_end: Option<NaiveDate>,
}

impl Slip {
    /// 2.4.2-b: a task or milestone with a baseline end that is not done by it:
    /// finished after it, or not finished and either forecast after it or the
    /// date already passed. Action items and rework have no baseline and never slip.
    pub fn slipped(&self, today: NaiveDate) -> bool {
        let Some(base) = self.baseline_end else { return false };
        if !self.kind.baselined() {
            return false;
        }
        match self.actual_end {
            Some(done) => done > base,
            None => self.planned_end > base || today > base,
        }
    }
    /// Days past the baseline end: to the finish, or to the later of the
    /// forecast and today while open; 0 when not slipped.
    pub fn days_late(&self, today: NaiveDate) -> i64 {
        if !self.slipped(today) {
            return 0;
        }
        let Some(base) = self.baseline_end else { return 0 };
        let end = self.actual_end.unwrap_or_else(|| self.planned_end.max(today));
        (end - base).num_days().max(0)
    }
}

/// Progress as entered (strings as the form posts them).
#[derive(Clone, Debug, Default)]
pub struct ProgressForm<'a> {
    pub pct_done: &'a str,
    pub actual_start: &'a str,
    pub actual_end: &'a str,
    pub remaining_hours: &'a str,
    pub note: &'a str,
}

/// Validated progress, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub pct_done: i64,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub remaining_hours: Option<i64>,
    pub note: String,
}

pub const NOTE_MAX: usize = 2000;
pub const TEXT_MAX: usize = 4000;
pub const TITLE_MAX: usize = 200;

/// 2.4.2-a: progress on one task. Dates may not lie in the future and a finish
/// not before the start. A finish date means done (100 %, nothing remaining);
/// 100 % without a finish date is finished today. Work under way (more than
/// 0 %) needs its actual start. A milestone is only reached (on a date) or not:
/// its start is its finish.
pub fn check_progress(kind: TaskKind, f: &ProgressForm, today: NaiveDate) -> Result<Progress, Vec<FieldError>> {
    let mut c = Checks::new();
    let mut pct = match f.pct_done.trim() {
        "" if kind == TaskKind::Milestone => Some(0),
        s => s.parse::<i64>().ok().filter(|p| (0..=100).contains(p)),
    };
    if pct.is_none() {
        c.add("pct_done", K::ProjectsExecValPct);
    }
    let mut start = opt_date("actual_start", f.actual_start, &mut c);
    let mut end = opt_date("actual_end", f.actual_end, &mut c);
    not_future("actual_start", start, today, &mut c);
    not_future("actual_end", end, today, &mut c);
    let remaining = match f.remaining_hours.trim() {
        "" => None,
        s => {
            let v = s.parse::<i64>().ok().filter(|h| (0..=100_000).contains(h));
            if v.is_none() {
                c.add("remaining_hours", K::ProjectsExecValHours);
            }
            v
        }
    };
    c.max_len("note", f.note, NOTE_MAX);
    if kind == TaskKind::Milestone {
        start = end;
        pct = Some(if end.is_some() { 100 } else { pct.unwrap_or(0).min(100) });
        if pct == Some(100) && end.is_none() {
            end = Some(today);
            start = end;
        }
    } else {
        if end.is_some() {
            pct = Some(100);
        } else if pct == Some(100) {
            // Decision: 100 % without a finish date is finished today.
            end = Some(today);
        }
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            c.add("actual_end", K::ProjectsExecValEndBeforeStart);
        }
        if start.is_none() && (pct.unwrap_or(0) > 0 || end.is_some()) && !c.0.iter().any(|e| e.field == "actual_start") {
            c.add("actual_start", K::ProjectsExecValStartNeeded);
        }
    }
    if !c.0.is_empty() {
        return Err(c.0);
    }
    let done = end.is_some();
    Ok(Progress {
        pct_done: pct.unwrap_or(0),
        actual_start: start,
        actual_end: end,
        remaining_hours: if done { Some(0) } else { remaining },
        note: f.note.trim().to_string(),
    })
}

// ===== delays (2.4.2-b) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Delay {
    pub id: i64,
    pub project_id: i64,
    pub task_id: i64,
    pub task_name: String,
    pub task_kind: String,
    pub baseline_version: i64,
    pub baseline_end: NaiveDate,
    pub forecast_end: NaiveDate,
    pub cause: String,
    pub measures: String,
    pub status: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by_name: Option<String>,
    pub version: i64,
}

impl Delay {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
    pub fn status_key(&self) -> K {
        if self.is_open() { K::ProjectsExecDelayOpen } else { K::ProjectsExecDelayClosed }
    }
    pub fn tone(&self) -> Tone {
        if self.is_open() { Tone::Warn } else { Tone::Good }
    }
}

/// A validated delay record.
#[derive(Clone, Debug, PartialEq)]
pub struct DelayInput {
    pub cause: String,
    pub measures: String,
    pub forecast_end: NaiveDate,
}

/// 2.4.2-b: cause and catch-up measures are required; the new forecast lies
/// after the baseline end and not before today. For a task that already
/// finished late the record explains it: its forecast is the actual finish.
pub fn check_delay(slip: &Slip, cause: &str, measures: &str, forecast: &str, today: NaiveDate) -> Result<DelayInput, Vec<FieldError>> {
    let mut c = Checks::new();
    c.require("cause", cause);
    c.max_len("cause", cause, TEXT_MAX);
    c.require("measures", measures);
    c.max_len("measures", measures, TEXT_MAX);
    if !slip.slipped(today) {
        c.add("task_id", K::ProjectsExecValNotSlipped);
    }
    let forecast = match slip.actual_end {
        Some(done) => Some(done),
        None => {
            let f = req_date("forecast_end", forecast, &mut c);
            if let Some(f) = f {
                if f < today {
                    c.add("forecast_end", K::ProjectsExecValForecastPast);
                } else if slip.baseline_end.is_some_and(|b| f <= b) {
                    c.add("forecast_end", K::ProjectsExecValForecastBaseline);
                }
            }
            f
        }
    };
    match (c.0.is_empty(), forecast) {
        (true, Some(f)) => Ok(DelayInput { cause: cause.trim().into(), measures: measures.trim().into(), forecast_end: f }),
        _ => Err(c.0),
    }
}

// ===== progress meetings (2.4.2-a) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Meeting {
    pub id: i64,
    pub held_on: NaiveDate,
    pub attendees: String,
    pub minutes: String,
    pub decisions: String,
    pub created_by_name: Option<String>,
}

/// An action item row of the meeting form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionItemInput {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub due: String,
}

/// A validated action item.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionItem {
    pub description: String,
    pub owner_id: i64,
    pub due: NaiveDate,
}

/// A validated progress meeting.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingInput {
    pub held_on: NaiveDate,
    pub attendee_ids: Vec<i64>,
    pub guests: String,
    pub minutes: String,
    pub decisions: String,
    pub actions: Vec<ActionItem>,
}

/// A meeting's text fields as posted.
#[derive(Clone, Copy, Debug, Default)]
pub struct MeetingForm<'a> {
    pub held_on: &'a str,
    pub guests: &'a str,
    pub minutes: &'a str,
    pub decisions: &'a str,
}

/// How many action-item rows the meeting form offers.
pub const ACTION_ROWS: usize = 3;

/// 2.4.2-a: held on a date not in the future, with minutes; each action item
/// (a row with a description) needs an owner from `team` and a due date on or
/// after the meeting. Attendees must be on the team too.
pub fn check_meeting(f: &MeetingForm, attendee_ids: &[i64], actions: &[ActionItemInput], team: &[i64], today: NaiveDate) -> Result<MeetingInput, Vec<FieldError>> {
    let MeetingForm { held_on, guests, minutes, decisions } = *f;
    let mut c = Checks::new();
    let held = req_date("held_on", held_on, &mut c);
    not_future("held_on", held, today, &mut c);
    c.require("minutes", minutes);
    c.max_len("minutes", minutes, TEXT_MAX);
    c.max_len("decisions", decisions, TEXT_MAX);
    c.max_len("guests", guests, 500);
    if attendee_ids.iter().any(|a| !team.contains(a)) {
        c.add("attendee_ids", K::ProjectsExecValNotTeam);
    }
    let mut items = Vec::new();
    let mut bad_item = false;
    for a in actions {
        let d = a.description.trim();
        if d.is_empty() {
            continue;
        }
        let owner = parse_id(&a.owner_id).filter(|o| team.contains(o));
        let due = parse_date(&a.due);
        match (owner, due) {
            (Some(o), Some(due)) if d.chars().count() <= TITLE_MAX && held.is_none_or(|h| due >= h) => {
                items.push(ActionItem { description: d.to_string(), owner_id: o, due })
            }
            _ => bad_item = true,
        }
    }
    if bad_item {
        c.add("actions", K::ProjectsExecValActionItem);
    }
    let mut attendees = attendee_ids.to_vec();
    attendees.sort_unstable();
    attendees.dedup();
    match (c.0.is_empty(), held) {
        (true, Some(h)) => Ok(MeetingInput {
            held_on: h,
            attendee_ids: attendees,
            guests: guests.trim().into(),
            minutes: minutes.trim().into(),
            decisions: decisions.trim().into(),
            actions: items,
        }),
        _ => Err(c.0),
    }
}

/// 2.4.2-a: the next progress meeting is due `days` after the last one, or
/// after the plan's first approval while there has been none.
pub fn next_meeting_due(last: Option<NaiveDate>, first_approved: Option<NaiveDate>, days: i64) -> Option<NaiveDate> {
    last.or(first_approved).map(|d| d + chrono::Duration::days(days))
}

// ===== issue log =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Issue {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_date: Option<NaiveDate>,
    pub status: String,
    pub resolution: String,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl Issue {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_date.is_some_and(|d| d < today)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct IssueInput {
    pub title: String,
    pub description: String,
    pub owner_id: i64,
    pub due_date: Option<NaiveDate>,
}

pub fn check_issue(title: &str, description: &str, owner_id: &str, due: &str, team: &[i64]) -> Result<IssueInput, Vec<FieldError>> {
    let mut c = Checks::new();
    c.require("title", title);
    c.max_len("title", title, TITLE_MAX);
    c.max_len("issue_description", description, TEXT_MAX);
    let owner = parse_id(owner_id).filter(|o| team.contains(o));
    if owner.is_none() {
        c.add("owner_id", K::ProjectsExecValNotTeam);
    }
    let due = opt_date("due_date", due, &mut c);
    match (c.0.is_empty(), owner) {
        (true, Some(o)) => Ok(IssueInput { title: title.trim().into(), description: description.trim().into(), owner_id: o, due_date: due }),
        _ => Err(c.0),
    }
}

// ===== quality checks (2.4.2-c) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Criterion {
    pub id: i64,
    pub position: i64,
    pub criterion: String,
    pub method: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct QualityCheck {
    pub id: i64,
    pub criterion_id: i64,
    pub criterion: String,
    pub checked_on: NaiveDate,
    pub result: String,
    pub findings: String,
    pub rework_task_id: Option<i64>,
    pub rework_task_name: Option<String>,
    pub rework_assignee_name: Option<String>,
    pub rework_due: Option<NaiveDate>,
    pub rework_done: Option<NaiveDate>,
    pub resolved: bool,
    pub checked_by_name: Option<String>,
}

impl QualityCheck {
    pub fn passed(&self) -> bool {
        self.result == "pass"
    }
    /// A failure whose rework is not done and that no later pass has cleared.
    pub fn open_failure(&self) -> bool {
        !self.passed() && !self.resolved
    }
    pub fn result_badge(&self) -> (Tone, K) {
        if self.passed() { (Tone::Good, K::ProjectsExecCheckPass) } else { (Tone::Bad, K::ProjectsExecCheckFail) }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckInput {
    pub criterion_id: i64,
    pub checked_on: NaiveDate,
    pub passed: bool,
    pub findings: String,
    /// For a failure: who reworks it, by when.
    pub rework: Option<(i64, NaiveDate)>,
}

/// A quality check as posted.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckForm<'a> {
    pub criterion_id: &'a str,
    pub checked_on: &'a str,
    pub result: &'a str,
    pub findings: &'a str,
    pub rework_assignee: &'a str,
    pub rework_due: &'a str,
}

/// 2.4.2-c: a check of one of the plan's criteria on a date not in the
/// future; a failure needs findings and a rework task (assignee from the team,
/// due on or after the check).
pub fn check_quality(f: &CheckForm, criteria: &[i64], team: &[i64], today: NaiveDate) -> Result<CheckInput, Vec<FieldError>> {
    let CheckForm { criterion_id, checked_on, result, findings, rework_assignee, rework_due } = *f;
    let mut c = Checks::new();
    let crit = parse_id(criterion_id).filter(|id| criteria.contains(id));
    if crit.is_none() {
        c.add("criterion_id", K::ValRequired);
    }
    let on = req_date("checked_on", checked_on, &mut c);
    not_future("checked_on", on, today, &mut c);
    let passed = match result {
        "pass" => Some(true),
        "fail" => Some(false),
        _ => {
            c.add("result", K::ValRequired);
            None
        }
    };
    c.max_len("findings", findings, TEXT_MAX);
    let mut rework = None;
    if passed == Some(false) {
        c.require("findings", findings);
        let who = parse_id(rework_assignee).filter(|o| team.contains(o));
        if who.is_none() {
            c.add("rework_assignee_id", K::ProjectsExecValNotTeam);
        }
        let due = req_date("rework_due", rework_due, &mut c);
        if let (Some(d), Some(o)) = (due, on)
            && d < o
        {
            c.add("rework_due", K::ProjectsExecValDueBeforeCheck);
        }
        if let (Some(w), Some(d)) = (who, due) {
            rework = Some((w, d));
        }
    }
    match (c.0.is_empty(), crit, on, passed) {
        (true, Some(crit), Some(on), Some(passed)) => {
            Ok(CheckInput { criterion_id: crit, checked_on: on, passed, findings: findings.trim().into(), rework })
        }
        _ => Err(c.0),
    }
}

// ===== costs (2.4.2-d) =====

pub const CATEGORIES: [&str; 6] = ["labour", "material", "equipment", "services", "travel", "other"];

pub fn category_key(code: &str) -> K {
    match code {
        "labour" => K::ProjectsExecCatLabour,
        "material" => K::ProjectsExecCatMaterial,
        "equipment" => K::ProjectsExecCatEquipment,
        "services" => K::ProjectsExecCatServices,
        "travel" => K::ProjectsExecCatTravel,
        _ => K::ProjectsExecCatOther,
    }
}

/// A budget line with what has been spent against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BudgetLine {
    pub id: i64,
    pub category: String,
    pub description: String,
    /// The current plan's amount.
    pub amount_minor: i64,
    /// The amount in the baseline in force (None: added since).
    pub baseline_amount_minor: Option<i64>,
    pub actual_minor: i64,
}

impl BudgetLine {
    pub fn remaining_minor(&self) -> i64 {
        self.amount_minor - self.actual_minor
    }
    /// Spent as a whole percentage of the current amount (None when the line is 0).
    pub fn pct_used(&self) -> Option<i64> {
        (self.amount_minor > 0).then(|| (self.actual_minor as i128 * 100 / self.amount_minor as i128) as i64)
    }
    /// 2.4.2-d: more spent than the line allows.
    pub fn over_budget(&self) -> bool {
        self.actual_minor > self.amount_minor
    }
    pub fn label(&self, lang: crate::core::i18n::Lang) -> String {
        let cat = lang.t(category_key(&self.category));
        if self.description.is_empty() { cat.to_string() } else { format!("{cat} · {}", self.description) }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Cost {
    pub id: i64,
    pub budget_line_id: i64,
    pub category: String,
    pub line_description: String,
    pub incurred_on: NaiveDate,
    pub amount_minor: i64,
    pub description: String,
    pub created_by_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CostInput {
    pub budget_line_id: i64,
    pub incurred_on: NaiveDate,
    pub amount_minor: i64,
    pub description: String,
}

/// 2.4.2-d: an actual cost on one of the project's budget lines, incurred on
/// a date not in the future, for a positive amount, described.
pub fn check_cost(line_id: &str, lines: &[i64], incurred_on: &str, amount: &str, currency: &str, description: &str, today: NaiveDate) -> Result<CostInput, Vec<FieldError>> {
    let mut c = Checks::new();
    let line = parse_id(line_id).filter(|l| lines.contains(l));
    if line.is_none() {
        c.add("budget_line_id", K::ValRequired);
    }
    let on = req_date("incurred_on", incurred_on, &mut c);
    not_future("incurred_on", on, today, &mut c);
    let minor = match Money::parse(amount, currency) {
        Ok(m) if m.minor > 0 => Some(m.minor),
        Ok(_) => {
            c.add("amount", K::ProjectsExecValAmount);
            None
        }
        Err(crate::core::money::MoneyParseError::Empty) => {
            c.add("amount", K::ValRequired);
            None
        }
        Err(_) => {
            c.add("amount", K::ProjectsExecValAmount);
            None
        }
    };
    c.require("cost_description", description);
    c.max_len("cost_description", description, TITLE_MAX);
    match (c.0.is_empty(), line, on, minor) {
        (true, Some(l), Some(on), Some(m)) => Ok(CostInput { budget_line_id: l, incurred_on: on, amount_minor: m, description: description.trim().into() }),
        _ => Err(c.0),
    }
}

// ===== the team and allocation (2.4.2-d) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TeamMember {
    pub user_id: i64,
    pub name: String,
    pub role: String,
}

/// Over 100 % of a person's time is booked across open projects.
pub const OVER_ALLOCATED_PCT: i64 = 100;
/// Under half of a person's time on projects: a note, not a warning (they
/// may well have department work).
pub const UNDER_ALLOCATED_PCT: i64 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Load {
    Under,
    Normal,
    Over,
}

impl Load {
    pub fn of(total_pct: i64) -> Load {
        if total_pct > OVER_ALLOCATED_PCT {
            Load::Over
        } else if total_pct < UNDER_ALLOCATED_PCT {
            Load::Under
        } else {
            Load::Normal
        }
    }
    pub fn key(self) -> K {
        match self {
            Load::Under => K::ProjectsExecLoadUnder,
            Load::Normal => K::ProjectsExecLoadNormal,
            Load::Over => K::ProjectsExecLoadOver,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            Load::Under => Tone::Neutral,
            Load::Normal => Tone::Good,
            Load::Over => Tone::Bad,
        }
    }
}

/// One person's allocation on one open project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Assignment {
    pub user_id: i64,
    pub project_id: i64,
    pub number: String,
    pub name: String,
    pub status: String,
    pub role: String,
    pub allocation_pct: i64,
}

/// A person's total allocation across open projects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PersonLoad {
    pub user_id: i64,
    pub name: String,
    pub department_zh: String,
    pub department_en: String,
    pub total_pct: i64,
    pub projects: i64,
}

impl PersonLoad {
    pub fn load(&self) -> Load {
        Load::of(self.total_pct)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub person: PersonLoad,
    /// Their largest assignments (at most `ASSIGNMENTS_SHOWN`).
    pub assignments: Vec<Assignment>,
}

pub const ASSIGNMENTS_SHOWN: i64 = 8;

/// A team member's total allocation across open projects (for warnings on a team).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MemberLoad {
    pub user_id: i64,
    pub name: String,
    pub total_pct: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DepartmentOption {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationView {
    pub rows: Vec<PersonRow>,
    pub departments: Vec<DepartmentOption>,
    /// The department shown (None: all the viewer may see).
    pub department_id: Option<i64>,
    /// Executives, admins and the PMO choose the department; managers see theirs.
    pub can_filter: bool,
}

// ===== My work =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyTask {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub planned_end: NaiveDate,
    pub pct_done: i64,
    pub project_id: i64,
    pub project_number: String,
    pub project_name: String,
}

impl MyTask {
    pub fn kind(&self) -> TaskKind {
        TaskKind::parse(&self.kind).unwrap_or(TaskKind::Task)
    }
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.planned_end < today
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTasks {
    pub tasks: Vec<MyTask>,
    /// All my open tasks (the list shows the first `MY_TASKS_LIMIT`).
    pub total: i64,
    pub today: NaiveDate,
}

pub const MY_TASKS_LIMIT: i64 = 50;

// ===== the execution page =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecutionView {
    /// Every schedule line, action item and rework task, in plan order.
    pub tasks: Vec<ExecTask>,
    pub delays: Vec<Delay>,
    pub meetings: Vec<Meeting>,
    pub last_meeting: Option<NaiveDate>,
    pub next_meeting_due: Option<NaiveDate>,
    pub meeting_days: i64,
    pub issues: Vec<Issue>,
    pub criteria: Vec<Criterion>,
    pub checks: Vec<QualityCheck>,
    pub lines: Vec<BudgetLine>,
    pub costs: crate::core::list::Page<Cost>,
    pub team: Vec<TeamMember>,
    pub viewer_id: i64,
    pub currency: String,
    pub today: NaiveDate,
}

impl ExecutionView {
    pub fn task(&self, id: i64) -> Option<&ExecTask> {
        self.tasks.iter().find(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    fn slip(kind: TaskKind, base: Option<&str>, planned: &str, actual: Option<&str>) -> Slip {
        Slip { kind, baseline_end: base.map(d), planned_end: d(planned), actual_end: actual.map(d) }
    }

    #[test]
    fn slips_against_the_baseline() {
        let today = d("2026-06-15");
        // On plan, not yet due.
        assert!(!slip(TaskKind::Task, Some("2026-06-20"), "2026-06-20", None).slipped(today));
        // Due today, not done: not yet slipped (done by the end of the day is on time).
        assert!(!slip(TaskKind::Task, Some("2026-06-15"), "2026-06-15", None).slipped(today));
        // The baseline end passed and it is not done: slipped, 5 days so far.
        let s = slip(TaskKind::Milestone, Some("2026-06-10"), "2026-06-10", None);
        assert!(s.slipped(today));
        assert_eq!(s.days_late(today), 5);
        // Not due yet but forecast after the baseline: slipped by the forecast.
        let s = slip(TaskKind::Task, Some("2026-06-20"), "2026-06-30", None);
        assert!(s.slipped(today));
        assert_eq!(s.days_late(today), 10);
        // Finished late: slipped for good; finished on time or early: not.
        let s = slip(TaskKind::Task, Some("2026-06-10"), "2026-06-12", Some("2026-06-12"));
        assert!(s.slipped(today));
        assert_eq!(s.days_late(today), 2);
        assert!(!slip(TaskKind::Task, Some("2026-06-10"), "2026-06-12", Some("2026-06-10")).slipped(today));
        assert!(!slip(TaskKind::Task, Some("2026-06-10"), "2026-06-08", Some("2026-06-08")).slipped(today));
        // No baseline (added since approval) or not planned work: never.
        assert!(!slip(TaskKind::Task, None, "2026-06-01", None).slipped(today));
        assert!(!slip(TaskKind::Action, Some("2026-06-01"), "2026-06-01", None).slipped(today));
        assert!(!slip(TaskKind::Rework, Some("2026-06-01"), "2026-06-01", None).slipped(today));
    }

    fn form<'a>(pct: &'a str, start: &'a str, end: &'a str) -> ProgressForm<'a> {
        ProgressForm { pct_done: pct, actual_start: start, actual_end: end, remaining_hours: "", note: "" }
    }

    fn fields(r: Result<Progress, Vec<FieldError>>) -> Vec<(String, K)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.key)).collect()
    }

    #[test]
    fn progress_is_validated() {
        let today = d("2026-06-15");
        let ok = check_progress(TaskKind::Task, &ProgressForm { remaining_hours: "24", ..form("40", "2026-06-01", "") }, today).expect("valid");
        assert_eq!((ok.pct_done, ok.actual_start, ok.actual_end, ok.remaining_hours), (40, Some(d("2026-06-01")), None, Some(24)));
        // A finish date means done: 100 % and nothing remaining.
        let done = check_progress(TaskKind::Task, &ProgressForm { remaining_hours: "8", ..form("60", "2026-06-01", "2026-06-14") }, today).expect("valid");
        assert_eq!((done.pct_done, done.actual_end, done.remaining_hours), (100, Some(d("2026-06-14")), Some(0)));
        // 100 % without a finish date is finished today.
        assert_eq!(check_progress(TaskKind::Task, &form("100", "2026-06-01", ""), today).expect("valid").actual_end, Some(today));
        // Refusals, each on its field.
        assert_eq!(fields(check_progress(TaskKind::Task, &form("101", "2026-06-01", ""), today)), vec![("pct_done".into(), K::ProjectsExecValPct)]);
        assert_eq!(fields(check_progress(TaskKind::Task, &form("x", "", ""), today)), vec![("pct_done".into(), K::ProjectsExecValPct)]);
        assert_eq!(
            fields(check_progress(TaskKind::Task, &form("50", "2026-06-16", ""), today)),
            vec![("actual_start".into(), K::ProjectsExecValFuture)]
        );
        assert_eq!(
            fields(check_progress(TaskKind::Task, &form("", "2026-06-10", "2026-06-09"), today)),
            vec![("pct_done".into(), K::ProjectsExecValPct), ("actual_end".into(), K::ProjectsExecValEndBeforeStart)]
        );
        assert_eq!(
            fields(check_progress(TaskKind::Task, &form("100", "2026-06-10", "2026-06-09"), today)),
            vec![("actual_end".into(), K::ProjectsExecValEndBeforeStart)]
        );
        assert_eq!(
            fields(check_progress(TaskKind::Task, &form("30", "", ""), today)),
            vec![("actual_start".into(), K::ProjectsExecValStartNeeded)]
        );
        assert_eq!(
            fields(check_progress(TaskKind::Task, &form("30", "2026-13-01", ""), today)),
            vec![("actual_start".into(), K::ProjectsExecValDate)]
        );
        let hours = ProgressForm { remaining_hours: "-3", ..form("30", "2026-06-01", "") };
        assert_eq!(fields(check_progress(TaskKind::Task, &hours, today)), vec![("remaining_hours".into(), K::ProjectsExecValHours)]);
        // Not started: fine without dates.
        assert_eq!(check_progress(TaskKind::Task, &form("0", "", ""), today).expect("valid").pct_done, 0);
    }

    #[test]
    fn a_milestone_is_reached_on_a_date() {
        let today = d("2026-06-15");
        let m = check_progress(TaskKind::Milestone, &form("", "", "2026-06-12"), today).expect("valid");
        assert_eq!((m.pct_done, m.actual_start, m.actual_end), (100, Some(d("2026-06-12")), Some(d("2026-06-12"))));
        let open = check_progress(TaskKind::Milestone, &form("", "", ""), today).expect("valid");
        assert_eq!((open.pct_done, open.actual_end), (0, None));
        assert!(check_progress(TaskKind::Milestone, &form("", "", "2026-06-20"), today).is_err(), "not in the future");
    }

    #[test]
    fn delay_records_need_cause_measures_and_a_later_forecast() {
        let today = d("2026-06-15");
        let late = slip(TaskKind::Milestone, Some("2026-06-01"), "2026-06-01", None);
        let ok = check_delay(&late, "供应商产能不足", "分批发货", "2026-06-25", today).expect("valid");
        assert_eq!(ok.forecast_end, d("2026-06-25"));
        let errs: Vec<_> = check_delay(&late, " ", "", "2026-06-14", today).err().unwrap_or_default().into_iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            errs,
            vec![
                ("cause".into(), K::ValRequired),
                ("measures".into(), K::ValRequired),
                ("forecast_end".into(), K::ProjectsExecValForecastPast)
            ]
        );
        // Forecast must be after the baseline end (a task slipping by its forecast).
        let future = slip(TaskKind::Task, Some("2026-06-30"), "2026-07-05", None);
        let errs: Vec<_> = check_delay(&future, "a", "b", "2026-06-30", today).err().unwrap_or_default().into_iter().map(|e| e.key).collect();
        assert_eq!(errs, vec![K::ProjectsExecValForecastBaseline]);
        // Only a slipped task gets a delay record.
        let fine = slip(TaskKind::Task, Some("2026-06-30"), "2026-06-30", None);
        assert!(check_delay(&fine, "a", "b", "2026-07-05", today).is_err());
        // Finished late: the record explains it; the forecast is the finish.
        let finished = slip(TaskKind::Task, Some("2026-06-01"), "2026-06-05", Some("2026-06-05"));
        assert_eq!(check_delay(&finished, "a", "b", "", today).expect("valid").forecast_end, d("2026-06-05"));
    }

    #[test]
    fn meetings_and_action_items() {
        let today = d("2026-06-15");
        let team = [1, 2, 3];
        let item = |desc: &str, owner: &str, due: &str| ActionItemInput { description: desc.into(), owner_id: owner.into(), due: due.into() };
        let form = |held_on: &'static str, minutes: &'static str| MeetingForm { held_on, guests: "", minutes, decisions: "" };
        let m = check_meeting(
            &MeetingForm { guests: "供应商代表", ..form("2026-06-15", "进度正常") },
            &[2, 1, 2],
            &[item("确认接口文档", "2", "2026-06-20"), item("", "", "")],
            &team,
            today,
        )
        .expect("valid");
        assert_eq!(m.attendee_ids, vec![1, 2]);
        assert_eq!(m.actions, vec![ActionItem { description: "确认接口文档".into(), owner_id: 2, due: d("2026-06-20") }]);
        let keys = |r: Result<MeetingInput, Vec<FieldError>>| r.err().unwrap_or_default().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(keys(check_meeting(&form("2026-06-16", "x"), &[], &[], &team, today)), vec!["held_on"]);
        assert_eq!(keys(check_meeting(&form("2026-06-10", ""), &[9], &[], &team, today)), vec!["minutes", "attendee_ids"]);
        // Owner not on the team, or due before the meeting: refused.
        assert_eq!(keys(check_meeting(&form("2026-06-10", "x"), &[], &[item("a", "9", "2026-06-20")], &team, today)), vec!["actions"]);
        assert_eq!(keys(check_meeting(&form("2026-06-10", "x"), &[], &[item("a", "1", "2026-06-09")], &team, today)), vec!["actions"]);
        assert_eq!(keys(check_meeting(&form("2026-06-10", "x"), &[], &[item("a", "1", "")], &team, today)), vec!["actions"]);
    }

    #[test]
    fn meeting_cadence() {
        assert_eq!(next_meeting_due(Some(d("2026-06-01")), Some(d("2026-01-01")), 14), Some(d("2026-06-15")));
        assert_eq!(next_meeting_due(None, Some(d("2026-06-01")), 14), Some(d("2026-06-15")));
        assert_eq!(next_meeting_due(None, None, 14), None);
    }

    #[test]
    fn quality_checks() {
        let today = d("2026-06-15");
        let f = |criterion_id, checked_on, result, findings, rework_assignee, rework_due| CheckForm { criterion_id, checked_on, result, findings, rework_assignee, rework_due };
        let pass = check_quality(&f("5", "2026-06-15", "pass", "", "", ""), &[5], &[1], today).expect("valid");
        assert!(pass.passed && pass.rework.is_none());
        let fail = check_quality(&f("5", "2026-06-14", "fail", "4 个场景未关联", "1", "2026-06-20"), &[5], &[1], today).expect("valid");
        assert_eq!(fail.rework, Some((1, d("2026-06-20"))));
        let errs: Vec<_> = check_quality(&f("5", "2026-06-14", "fail", "", "", "2026-06-13"), &[5], &[1], today)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(errs, vec!["findings", "rework_assignee_id", "rework_due"]);
        assert!(check_quality(&f("6", "2026-06-14", "pass", "", "", ""), &[5], &[1], today).is_err(), "criterion of another project");
        assert!(check_quality(&f("5", "2026-06-16", "pass", "", "", ""), &[5], &[1], today).is_err(), "future");
    }

    #[test]
    fn costs_and_budget_lines() {
        let today = d("2026-06-15");
        let c = check_cost("7", &[7], "2026-06-15", "1,234.50", "CNY", "顾问费", today).expect("valid");
        assert_eq!(c.amount_minor, 123_450);
        let errs: Vec<_> = check_cost("8", &[7], "2026-06-16", "0", "CNY", "", today).err().unwrap_or_default().into_iter().map(|e| e.field).collect();
        assert_eq!(errs, vec!["budget_line_id", "incurred_on", "amount", "cost_description"]);
        let line = BudgetLine {
            id: 1,
            category: "services".into(),
            description: "顾问".into(),
            amount_minor: 1_000_000,
            baseline_amount_minor: Some(800_000),
            actual_minor: 1_050_000,
        };
        assert!(line.over_budget());
        assert_eq!(line.remaining_minor(), -50_000);
        assert_eq!(line.pct_used(), Some(105));
        let zero = BudgetLine { amount_minor: 0, actual_minor: 0, ..line };
        assert_eq!(zero.pct_used(), None);
        assert!(!zero.over_budget());
    }

    #[test]
    fn allocation_load() {
        assert_eq!(Load::of(101), Load::Over);
        assert_eq!(Load::of(100), Load::Normal);
        assert_eq!(Load::of(50), Load::Normal);
        assert_eq!(Load::of(49), Load::Under);
    }
}
