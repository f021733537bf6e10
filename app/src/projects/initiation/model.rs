//! Initiation (2.4.1-a, -b, -d): the project record, its team and kickoff, and
//! the four parts of the plan (schedule, resources, quality, risks). Plain types
//! shared by browser and server, form validation and the pure rules (plan
//! readiness, dependency cycles, schedule warnings), unit-tested here.
use crate::core::error::{AppError, Checks};
use crate::core::i18n::K;
use crate::core::list::Page;
use crate::core::money::{Money, MoneyParseError};
use crate::core::perm::{Role, Viewer};
use crate::core::ui::Tone;
use crate::projects::model::{Access, PMO_DEPARTMENT, Priority, ProjectStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Minor units as a money field shows them again ("800000.00").
pub fn minor_to_input(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn text(c: &mut Checks, field: &str, v: &str, max: usize) -> String {
    let v = v.trim();
    c.max_len(field, v, max);
    v.to_string()
}

fn required_text(c: &mut Checks, field: &str, v: &str, max: usize) -> String {
    c.require(field, v);
    text(c, field, v, max)
}

fn id_field(c: &mut Checks, field: &str, s: &str) -> i64 {
    match s.trim().parse::<i64>() {
        Ok(v) if v > 0 => v,
        _ if s.trim().is_empty() => {
            c.add(field, K::ValRequired);
            0
        }
        _ => {
            c.add(field, K::ValInvalid);
            0
        }
    }
}

fn date_field(c: &mut Checks, field: &str, s: &str) -> Option<NaiveDate> {
    if s.trim().is_empty() {
        c.add(field, K::ValRequired);
        return None;
    }
    let d = parse_date(s);
    if d.is_none() {
        c.add(field, K::ProjectsInitValDate);
    }
    d
}

fn int_field(c: &mut Checks, field: &str, s: &str, min: i64, max: i64, default: Option<i64>) -> i64 {
    let t = s.trim();
    if t.is_empty()
        && let Some(d) = default
    {
        return d;
    }
    match t.parse::<i64>() {
        Ok(v) if (min..=max).contains(&v) => v,
        _ => {
            c.add_with(field, K::ProjectsInitValRange, vec![("min".into(), min.to_string()), ("max".into(), max.to_string())]);
            min
        }
    }
}

fn money_field(c: &mut Checks, field: &str, s: &str) -> i64 {
    match Money::parse(s, "CNY") {
        Ok(m) if m.minor >= 0 => m.minor,
        Ok(_) => {
            c.add(field, K::ProjectsInitValMoneyNegative);
            0
        }
        Err(MoneyParseError::Empty) => {
            c.add(field, K::ValRequired);
            0
        }
        Err(_) => {
            c.add(field, K::ProjectsInitValMoney);
            0
        }
    }
}

// ===== who may start a project =====

/// Who may create projects: managers (for their own department's requests),
/// executives and admins (any department), and the PMO's members, who run the
/// project portfolio (any department). Staff outside the PMO propose projects
/// through their manager.
pub fn may_create(viewer: &Viewer, dept_code: &str) -> bool {
    viewer.role >= Role::Manager || dept_code == PMO_DEPARTMENT
}

/// Whether `viewer` may name `department_id` as the requesting department.
pub fn may_request_for(viewer: &Viewer, dept_code: &str, department_id: i64) -> bool {
    viewer.role.sees_everything() || dept_code == PMO_DEPARTMENT || (viewer.role == Role::Manager && viewer.department_id == department_id)
}

// ===== the project record =====

/// The project as the overview and the form read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Project {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub requesting_department_id: i64,
    pub manager_id: i64,
    pub sponsor_id: i64,
    pub objectives: String,
    pub scope_in: String,
    pub scope_out: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub budget_minor: i64,
    pub currency: String,
    pub priority: String,
    pub status: String,
    pub plan_round: i64,
    pub baseline_version: i64,
    pub first_approved_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Project {
    pub fn status(&self) -> ProjectStatus {
        ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Initiating)
    }
}

/// Which fields of the project form may change in a status: everything while
/// initiating; while executing only the words (name, objectives, scope) and the
/// priority, since dates and budget are the approved baseline and change only
/// through a change request (2.4.3-c); nothing in review, acceptance or after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Editable {
    All,
    TextOnly,
    Nothing,
}

impl Editable {
    pub fn of(status: ProjectStatus) -> Editable {
        match status {
            ProjectStatus::Initiating => Editable::All,
            ProjectStatus::Executing => Editable::TextOnly,
            _ => Editable::Nothing,
        }
    }
}

/// A project may be cancelled while it is still open work before acceptance.
pub fn may_cancel(status: ProjectStatus, access: &Access) -> bool {
    matches!(status, ProjectStatus::Initiating | ProjectStatus::PlanReview | ProjectStatus::Executing) && (access.manage || access.lead)
}

/// What the project form sends (all text, parsed in `validate`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    pub name: String,
    pub requesting_department_id: String,
    pub manager_id: String,
    pub sponsor_id: String,
    pub objectives: String,
    pub scope_in: String,
    pub scope_out: String,
    pub start_date: String,
    pub end_date: String,
    pub budget: String,
    pub priority: String,
}

/// The validated project form.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectData {
    pub name: String,
    pub requesting_department_id: i64,
    pub manager_id: i64,
    pub sponsor_id: i64,
    pub objectives: String,
    pub scope_in: String,
    pub scope_out: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub budget_minor: i64,
    pub priority: Priority,
}

impl ProjectInput {
    /// The form's own checks (who the people are is checked against the
    /// database by the server function).
    pub fn validate(&self) -> Result<ProjectData, AppError> {
        let mut c = Checks::new();
        let name = required_text(&mut c, "name", &self.name, 100);
        let requesting_department_id = id_field(&mut c, "requesting_department_id", &self.requesting_department_id);
        let manager_id = id_field(&mut c, "manager_id", &self.manager_id);
        let sponsor_id = id_field(&mut c, "sponsor_id", &self.sponsor_id);
        // 2.4.1-a: the objectives and scope are what the kickoff fixes.
        let objectives = required_text(&mut c, "objectives", &self.objectives, 4000);
        let scope_in = text(&mut c, "scope_in", &self.scope_in, 4000);
        let scope_out = text(&mut c, "scope_out", &self.scope_out, 4000);
        let start = date_field(&mut c, "start_date", &self.start_date);
        let end = date_field(&mut c, "end_date", &self.end_date);
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            c.add("end_date", K::ProjectsInitValEndBeforeStart);
        }
        let budget_minor = money_field(&mut c, "budget", &self.budget);
        let priority = Priority::parse(self.priority.trim()).unwrap_or_else(|| {
            c.add("priority", K::ValRequired);
            Priority::Medium
        });
        c.finish()?;
        Ok(ProjectData {
            name,
            requesting_department_id,
            manager_id,
            sponsor_id,
            objectives,
            scope_in,
            scope_out,
            start_date: start.unwrap_or_default(),
            end_date: end.unwrap_or_default(),
            budget_minor,
            priority,
        })
    }

    /// The form's starting values for an existing project.
    pub fn from_project(p: &Project) -> ProjectInput {
        ProjectInput {
            name: p.name.clone(),
            requesting_department_id: p.requesting_department_id.to_string(),
            manager_id: p.manager_id.to_string(),
            sponsor_id: p.sponsor_id.to_string(),
            objectives: p.objectives.clone(),
            scope_in: p.scope_in.clone(),
            scope_out: p.scope_out.clone(),
            start_date: p.start_date.to_string(),
            end_date: p.end_date.to_string(),
            budget: minor_to_input(p.budget_minor),
            priority: p.priority.clone(),
        }
    }
}

/// The leader approves the plan (2.4.1-c): a manager or an executive.
pub fn may_lead(role: Role) -> bool {
    matches!(role, Role::Manager | Role::Executive)
}

// ===== the list =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ProjectRow {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub status: String,
    pub health: String,
    pub department_zh: String,
    pub department_en: String,
    pub manager_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Weighted completion in basis points (computed by monitoring).
    pub complete_bp: i64,
}

impl ProjectRow {
    pub fn status(&self) -> ProjectStatus {
        ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Initiating)
    }
    /// Health means something only for work under way.
    pub fn shows_health(&self) -> bool {
        matches!(self.status(), ProjectStatus::Executing | ProjectStatus::Acceptance)
    }
}

/// "12.5%"
pub fn percent_bp(bp: i64) -> String {
    let bp = bp.clamp(0, 10_000);
    if bp % 100 == 0 { format!("{}%", bp / 100) } else { format!("{}.{}%", bp / 100, (bp % 100) / 10) }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DeptOption {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A person in a picker: name and department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PersonOption {
    pub id: i64,
    pub display_name: String,
    pub role: String,
    pub department_zh: String,
    pub department_en: String,
}

impl PersonOption {
    pub fn label(&self, lang: crate::core::i18n::Lang) -> String {
        format!("{} · {}", self.display_name, crate::org::model::pick(lang, &self.department_zh, &self.department_en))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectListView {
    pub page: Page<ProjectRow>,
    pub departments: Vec<DeptOption>,
    pub can_create: bool,
    /// Executives, managers and the PMO have the status dashboard.
    pub can_see_dashboard: bool,
}

/// What the project form needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectFormData {
    pub project: Option<Project>,
    pub editable: Editable,
    /// The departments the caller may name as requesting department.
    pub departments: Vec<DeptOption>,
    pub people: Vec<PersonOption>,
    /// Managers and executives (leaders).
    pub leaders: Vec<PersonOption>,
    pub today: NaiveDate,
}

// ===== team (2.4.1-d) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Member {
    pub id: i64,
    pub project_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub department_zh: String,
    pub department_en: String,
    pub role: String,
    pub responsibilities: String,
    pub allocation_pct: i64,
    /// Open tasks of kind task/milestone assigned to them in this project.
    pub open_tasks: i64,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    /// Only when adding (a member's person does not change).
    pub user_id: String,
    pub role: String,
    pub responsibilities: String,
    pub allocation_pct: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MemberData {
    pub user_id: i64,
    pub role: String,
    pub responsibilities: String,
    pub allocation_pct: i64,
}

impl MemberInput {
    pub fn validate(&self, adding: bool) -> Result<MemberData, AppError> {
        let mut c = Checks::new();
        let user_id = if adding { id_field(&mut c, "user_id", &self.user_id) } else { 0 };
        let role = required_text(&mut c, "role", &self.role, 50);
        let responsibilities = text(&mut c, "responsibilities", &self.responsibilities, 500);
        let allocation_pct = int_field(&mut c, "allocation_pct", &self.allocation_pct, 0, 100, None);
        c.finish()?;
        Ok(MemberData { user_id, role, responsibilities, allocation_pct })
    }
}

// ===== kickoff (2.4.1-a) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Meeting {
    pub id: i64,
    pub project_id: i64,
    pub held_on: NaiveDate,
    /// Everyone present as text: the employees' names, then guests.
    pub attendees: String,
    pub minutes: String,
    pub decisions: String,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KickoffInput {
    pub held_on: String,
    /// Guests (not employees on the team), free text.
    pub guests: String,
    pub minutes: String,
    pub decisions: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KickoffData {
    pub held_on: NaiveDate,
    pub guests: String,
    pub minutes: String,
    pub decisions: String,
}

impl KickoffInput {
    /// A kickoff is recorded once held: not in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<KickoffData, AppError> {
        let mut c = Checks::new();
        let held_on = date_field(&mut c, "held_on", &self.held_on);
        if held_on.is_some_and(|d| d > today) {
            c.add("held_on", K::ProjectsInitValFuture);
        }
        let guests = text(&mut c, "guests", &self.guests, 500);
        let minutes = required_text(&mut c, "minutes", &self.minutes, 8000);
        let decisions = required_text(&mut c, "decisions", &self.decisions, 8000);
        c.finish()?;
        Ok(KickoffData { held_on: held_on.unwrap_or(today), guests, minutes, decisions })
    }
}

/// How attendee names are separated in the text (as people write them).
const NAME_SEPARATORS: [char; 5] = ['、', ',', '，', ';', '；'];

fn split_names(s: &str) -> Vec<String> {
    s.split(NAME_SEPARATORS).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// The attendee text stored with a meeting: the employees present, then the
/// guests ("徐明、宋佳、外部顾问张工").
pub fn compose_attendees(employees: &[String], guests: &str) -> String {
    let mut all: Vec<String> = employees.to_vec();
    for g in split_names(guests) {
        if !all.contains(&g) {
            all.push(g);
        }
    }
    all.join("、")
}

/// The guests in an attendee text: the names that are not the employees present.
pub fn guests_of(attendees: &str, employees: &[String]) -> String {
    split_names(attendees).into_iter().filter(|n| !employees.contains(n)).collect::<Vec<_>>().join("、")
}

// ===== what planning still needs (2.4.1-a, -b, -d) =====

/// The numbers plan readiness is judged on (`store::plan_facts_tx`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFacts {
    /// A kickoff meeting is recorded (2.4.1-a).
    pub kickoff_held: bool,
    /// Tasks and milestones in the schedule.
    pub tasks: usize,
    /// Tasks and milestones whose assignee is not on the team (2.4.1-d).
    pub unassigned: usize,
    pub budget_lines: usize,
    /// Acceptance criteria (quality plan).
    pub criteria: usize,
}

impl PlanFacts {
    pub fn gaps(&self) -> Vec<K> {
        plan_gaps(self.kickoff_held, self.tasks, self.unassigned, self.budget_lines, self.criteria)
    }
}

/// What planning still needs before the plan may be submitted for review, as
/// translated checklist items; empty when it is ready. 2.4.1-a: the kickoff is
/// held first; 2.4.1-b: a schedule, a budget and a quality plan; 2.4.1-d: every
/// task has an assignee on the team.
pub fn plan_gaps(kickoff_held: bool, tasks: usize, unassigned: usize, budget_lines: usize, criteria: usize) -> Vec<K> {
    let mut gaps = Vec::new();
    if !kickoff_held {
        gaps.push(K::ProjectsInitGapKickoff);
    }
    if tasks == 0 {
        gaps.push(K::ProjectsInitGapTasks);
    }
    if unassigned > 0 {
        gaps.push(K::ProjectsInitGapAssignees);
    }
    if budget_lines == 0 {
        gaps.push(K::ProjectsInitGapBudget);
    }
    if criteria == 0 {
        gaps.push(K::ProjectsInitGapCriteria);
    }
    gaps
}

/// The same as `plan_gaps`, from the facts.
pub fn plan_readiness(f: &PlanFacts) -> Vec<K> {
    f.gaps()
}

/// Every checklist item with whether it is done, for the overview.
pub fn plan_checklist(f: &PlanFacts) -> Vec<(K, bool)> {
    let gaps = f.gaps();
    [K::ProjectsInitGapKickoff, K::ProjectsInitGapTasks, K::ProjectsInitGapAssignees, K::ProjectsInitGapBudget, K::ProjectsInitGapCriteria]
        .into_iter()
        .map(|k| (k, !gaps.contains(&k)))
        .collect()
}

/// Everything the overview tab shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewView {
    pub project: Project,
    pub access: Access,
    pub members: Vec<Member>,
    pub kickoff: Option<Meeting>,
    /// The employees recorded as present at the kickoff.
    pub kickoff_attendees: Vec<i64>,
    /// People who may be added to the team (active, not on it yet).
    pub people: Vec<PersonOption>,
    pub facts: PlanFacts,
    /// Why the project was cancelled, when it was.
    pub cancel_reason: Option<String>,
    pub today: NaiveDate,
}

impl OverviewView {
    /// Team, kickoff and plan may be changed by this viewer now.
    pub fn can_edit_plan(&self) -> bool {
        self.access.manage && self.project.status().plan_editable()
    }
}

// ===== schedule (2.4.1-b) =====

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskKind {
    Task,
    Milestone,
}

impl TaskKind {
    pub const ALL: [TaskKind; 2] = [TaskKind::Task, TaskKind::Milestone];
    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Task => "task",
            TaskKind::Milestone => "milestone",
        }
    }
    /// Only the plan's own kinds: action items and rework tasks belong to execution.
    pub fn parse(s: &str) -> Option<TaskKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            TaskKind::Task => K::ProjectsInitKindTask,
            TaskKind::Milestone => K::ProjectsInitKindMilestone,
        }
    }
}

/// The plan's kinds as SQL literals (for `kind IN (...)`).
pub const PLAN_KINDS_SQL: &str = "('task', 'milestone')";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Task {
    pub id: i64,
    pub project_id: i64,
    pub position: i64,
    pub name: String,
    pub kind: String,
    pub assignee_id: i64,
    pub assignee_name: String,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub weight: i64,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub pct_done: i64,
    pub version: i64,
}

impl Task {
    pub fn kind(&self) -> TaskKind {
        TaskKind::parse(&self.kind).unwrap_or(TaskKind::Task)
    }
    pub fn has_baseline(&self) -> bool {
        self.baseline_start.is_some() || self.baseline_end.is_some()
    }
    pub fn has_progress(&self) -> bool {
        self.pct_done > 0 || self.actual_start.is_some() || self.actual_end.is_some()
    }
    /// A task with a baseline or progress is history: it stays in the plan.
    pub fn deletable(&self) -> bool {
        !self.has_baseline() && !self.has_progress()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskInput {
    pub name: String,
    pub kind: String,
    /// Empty: after the last task.
    pub position: String,
    pub planned_start: String,
    /// Ignored for milestones (a milestone is one date).
    pub planned_end: String,
    pub assignee_id: String,
    /// Empty: 1.
    pub weight: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskData {
    pub name: String,
    pub kind: TaskKind,
    pub position: Option<i64>,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub assignee_id: i64,
    pub weight: i64,
}

impl TaskInput {
    pub fn validate(&self) -> Result<TaskData, AppError> {
        let mut c = Checks::new();
        let name = required_text(&mut c, "name", &self.name, 200);
        let kind = TaskKind::parse(self.kind.trim()).unwrap_or_else(|| {
            c.add("kind", K::ValInvalid);
            TaskKind::Task
        });
        let position = if self.position.trim().is_empty() {
            None
        } else {
            Some(int_field(&mut c, "position", &self.position, 1, 100_000, None))
        };
        let start = date_field(&mut c, "planned_start", &self.planned_start);
        let end = match kind {
            TaskKind::Milestone => start,
            TaskKind::Task => date_field(&mut c, "planned_end", &self.planned_end),
        };
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            c.add("planned_end", K::ProjectsInitValEndBeforeStart);
        }
        let assignee_id = id_field(&mut c, "assignee_id", &self.assignee_id);
        // Weights are relative (earned value shares, 2.4.3-b); 0 keeps a task out of them.
        let weight = int_field(&mut c, "weight", &self.weight, 0, 1000, Some(1));
        c.finish()?;
        Ok(TaskData {
            name,
            kind,
            position,
            planned_start: start.unwrap_or_default(),
            planned_end: end.unwrap_or_default(),
            assignee_id,
            weight,
        })
    }
}

/// The predecessor ids a form sent (checkboxes; empty and repeated ones dropped).
pub fn parse_ids(raw: &[String]) -> Result<Vec<i64>, AppError> {
    let mut out = Vec::new();
    for s in raw {
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        match s.parse::<i64>() {
            Ok(v) if v > 0 => {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            _ => return Err(AppError::field("deps", K::ValInvalid)),
        }
    }
    Ok(out)
}

/// Whether giving `task` the predecessors `preds` (replacing the ones it has)
/// makes the dependencies loop. `edges` are (task, depends on) pairs of the
/// whole project. A cycle exists when `task` can be reached from one of its
/// new predecessors by following "depends on".
pub fn creates_cycle(edges: &[(i64, i64)], task: i64, preds: &[i64]) -> bool {
    let mut graph: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(t, on) in edges {
        if t != task {
            graph.entry(t).or_default().push(on);
        }
    }
    let mut seen: HashSet<i64> = HashSet::new();
    let mut stack: Vec<i64> = preds.to_vec();
    while let Some(n) = stack.pop() {
        if n == task {
            return true;
        }
        if seen.insert(n)
            && let Some(next) = graph.get(&n)
        {
            stack.extend(next.iter().copied());
        }
    }
    false
}

/// Something in the schedule that does not fit, shown as a warning (not
/// refused: while executing, a slipping predecessor's new forecast must be
/// recordable even before its successors are re-planned).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleWarning {
    /// The task starts before a predecessor ends (finish-to-start; starting on
    /// the day it ends is fine).
    BeforePredecessor { task: i64, predecessor: i64 },
    /// The task lies (partly) outside the project's dates.
    OutsideProject { task: i64 },
}

impl ScheduleWarning {
    pub fn task(&self) -> i64 {
        match self {
            ScheduleWarning::BeforePredecessor { task, .. } | ScheduleWarning::OutsideProject { task } => *task,
        }
    }
}

/// (id, planned start, planned end) of each task.
pub type TaskSpan = (i64, NaiveDate, NaiveDate);

pub fn schedule_warnings(project: (NaiveDate, NaiveDate), tasks: &[TaskSpan], edges: &[(i64, i64)]) -> Vec<ScheduleWarning> {
    let by_id: HashMap<i64, (NaiveDate, NaiveDate)> = tasks.iter().map(|&(id, s, e)| (id, (s, e))).collect();
    let mut out = Vec::new();
    for &(id, s, e) in tasks {
        if s < project.0 || e > project.1 {
            out.push(ScheduleWarning::OutsideProject { task: id });
        }
    }
    for &(t, on) in edges {
        if let (Some(&(ts, _)), Some(&(_, pe))) = (by_id.get(&t), by_id.get(&on))
            && ts < pe
        {
            out.push(ScheduleWarning::BeforePredecessor { task: t, predecessor: on });
        }
    }
    out
}

// ===== resources: budget lines (2.4.1-b) =====

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BudgetCategory {
    Labour,
    Material,
    Equipment,
    Services,
    Travel,
    Other,
}

impl BudgetCategory {
    pub const ALL: [BudgetCategory; 6] = [
        BudgetCategory::Labour,
        BudgetCategory::Material,
        BudgetCategory::Equipment,
        BudgetCategory::Services,
        BudgetCategory::Travel,
        BudgetCategory::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            BudgetCategory::Labour => "labour",
            BudgetCategory::Material => "material",
            BudgetCategory::Equipment => "equipment",
            BudgetCategory::Services => "services",
            BudgetCategory::Travel => "travel",
            BudgetCategory::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<BudgetCategory> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            BudgetCategory::Labour => K::ProjectsInitCatLabour,
            BudgetCategory::Material => K::ProjectsInitCatMaterial,
            BudgetCategory::Equipment => K::ProjectsInitCatEquipment,
            BudgetCategory::Services => K::ProjectsInitCatServices,
            BudgetCategory::Travel => K::ProjectsInitCatTravel,
            BudgetCategory::Other => K::ProjectsInitCatOther,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BudgetLine {
    pub id: i64,
    pub project_id: i64,
    pub category: String,
    pub description: String,
    pub amount_minor: i64,
    pub baseline_amount_minor: Option<i64>,
    /// Actual costs booked against the line (execution).
    pub costs: i64,
    pub version: i64,
}

impl BudgetLine {
    pub fn category(&self) -> BudgetCategory {
        BudgetCategory::parse(&self.category).unwrap_or(BudgetCategory::Other)
    }
    pub fn deletable(&self) -> bool {
        self.baseline_amount_minor.is_none() && self.costs == 0
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BudgetLineInput {
    pub category: String,
    pub description: String,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BudgetLineData {
    pub category: BudgetCategory,
    pub description: String,
    pub amount_minor: i64,
}

impl BudgetLineInput {
    pub fn validate(&self) -> Result<BudgetLineData, AppError> {
        let mut c = Checks::new();
        let category = BudgetCategory::parse(self.category.trim()).unwrap_or_else(|| {
            c.add("category", K::ValRequired);
            BudgetCategory::Other
        });
        let description = required_text(&mut c, "description", &self.description, 200);
        let amount_minor = money_field(&mut c, "amount", &self.amount);
        c.finish()?;
        Ok(BudgetLineData { category, description, amount_minor })
    }
}

/// The budget lines' total against the project's budget: `Some(difference)`
/// (lines minus budget) when they differ.
pub fn budget_difference(lines_total: i64, budget: i64) -> Option<i64> {
    (lines_total != budget).then_some(lines_total - budget)
}

// ===== quality plan (2.4.1-b) =====

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Criterion {
    pub id: i64,
    pub project_id: i64,
    pub position: i64,
    pub criterion: String,
    pub method: String,
    /// Quality checks recorded against it (execution).
    pub checks: i64,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionInput {
    pub criterion: String,
    pub method: String,
    pub position: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CriterionData {
    pub criterion: String,
    pub method: String,
    pub position: Option<i64>,
}

impl CriterionInput {
    pub fn validate(&self) -> Result<CriterionData, AppError> {
        let mut c = Checks::new();
        let criterion = required_text(&mut c, "criterion", &self.criterion, 500);
        let method = required_text(&mut c, "method", &self.method, 500);
        let position = if self.position.trim().is_empty() {
            None
        } else {
            Some(int_field(&mut c, "position", &self.position, 1, 100_000, None))
        };
        c.finish()?;
        Ok(CriterionData { criterion, method, position })
    }
}

// ===== risk plan (2.4.1-b) =====

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RiskStatus {
    Open,
    Closed,
}

impl RiskStatus {
    pub const ALL: [RiskStatus; 2] = [RiskStatus::Open, RiskStatus::Closed];
    pub fn code(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<RiskStatus> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            RiskStatus::Open => K::ProjectsInitRiskOpen,
            RiskStatus::Closed => K::ProjectsInitRiskClosed,
        }
    }
}

/// Risk level from likelihood × impact (each 1–5): 15 and above high, 8 and
/// above medium, below that low — the usual 5×5 matrix bands.
pub fn risk_level(likelihood: i64, impact: i64) -> (K, Tone) {
    match likelihood * impact {
        s if s >= 15 => (K::ProjectsInitRiskHigh, Tone::Bad),
        s if s >= 8 => (K::ProjectsInitRiskMedium, Tone::Warn),
        _ => (K::ProjectsInitRiskLow, Tone::Good),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Risk {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub description: String,
    pub likelihood: i64,
    pub impact: i64,
    pub response: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub status: String,
    /// The risk register entry it is registered as (5.1, 2.4.3-d).
    pub risk_id: Option<i64>,
    pub version: i64,
}

impl Risk {
    pub fn status(&self) -> RiskStatus {
        RiskStatus::parse(&self.status).unwrap_or(RiskStatus::Open)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskInput {
    pub title: String,
    pub description: String,
    pub likelihood: String,
    pub impact: String,
    pub response: String,
    pub owner_id: String,
    /// Empty: open.
    pub status: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiskData {
    pub title: String,
    pub description: String,
    pub likelihood: i64,
    pub impact: i64,
    pub response: String,
    pub owner_id: i64,
    pub status: RiskStatus,
}

impl RiskInput {
    pub fn validate(&self) -> Result<RiskData, AppError> {
        let mut c = Checks::new();
        let title = required_text(&mut c, "title", &self.title, 200);
        let description = text(&mut c, "description", &self.description, 2000);
        let likelihood = int_field(&mut c, "likelihood", &self.likelihood, 1, 5, None);
        let impact = int_field(&mut c, "impact", &self.impact, 1, 5, None);
        let response = required_text(&mut c, "response", &self.response, 2000);
        let owner_id = id_field(&mut c, "owner_id", &self.owner_id);
        let status = match self.status.trim() {
            "" => RiskStatus::Open,
            s => RiskStatus::parse(s).unwrap_or_else(|| {
                c.add("status", K::ValInvalid);
                RiskStatus::Open
            }),
        };
        c.finish()?;
        Ok(RiskData { title, description, likelihood, impact, response, owner_id, status })
    }
}

/// Everything the plan tab shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub project: Project,
    pub access: Access,
    pub tasks: Vec<Task>,
    /// (task, depends on) pairs among `tasks`.
    pub deps: Vec<(i64, i64)>,
    pub warnings: Vec<ScheduleWarning>,
    pub members: Vec<Member>,
    pub budget_lines: Vec<BudgetLine>,
    pub criteria: Vec<Criterion>,
    pub risks: Vec<Risk>,
    /// A change request is in review (2.4.3-c): the schedule and budget wait for its decision.
    pub change_in_review: bool,
}

impl PlanView {
    pub fn can_edit(&self) -> bool {
        self.access.manage && self.project.status().plan_editable()
    }
    /// Tasks and budget lines may be changed: what a change request proposes
    /// stays as reviewed until it is decided.
    pub fn can_edit_baselined(&self) -> bool {
        self.can_edit() && !self.change_in_review
    }
    /// While executing, a baselined task's kind and weight and a baselined
    /// budget line's category stay as approved (a change request changes them).
    pub fn executing(&self) -> bool {
        self.project.status() == ProjectStatus::Executing
    }
    pub fn budget_total(&self) -> i64 {
        self.budget_lines.iter().map(|b| b.amount_minor).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    fn fields(e: AppError) -> Vec<(String, K)> {
        match e {
            AppError::Validation(v) => v.into_iter().map(|f| (f.field, f.key)).collect(),
            other => panic!("{other:?}"),
        }
    }

    fn project_input() -> ProjectInput {
        ProjectInput {
            name: "ERP 系统升级".into(),
            requesting_department_id: "3".into(),
            manager_id: "7".into(),
            sponsor_id: "1".into(),
            objectives: "财务与供应链上线新 ERP".into(),
            scope_in: "财务、采购".into(),
            scope_out: "HR".into(),
            start_date: "2026-03-01".into(),
            end_date: "2026-06-30".into(),
            budget: "800,000".into(),
            priority: "high".into(),
        }
    }

    #[test]
    fn project_form_is_validated_field_by_field() {
        let ok = project_input().validate().expect("valid");
        assert_eq!(ok.budget_minor, 80_000_000);
        assert_eq!(ok.priority, Priority::High);
        assert_eq!(ok.end_date, d("2026-06-30"));
        let bad = ProjectInput {
            name: "  ".into(),
            requesting_department_id: "x".into(),
            manager_id: "".into(),
            objectives: "".into(),
            start_date: "2026-07-01".into(),
            end_date: "2026-06-30".into(),
            budget: "-5".into(),
            priority: "urgent".into(),
            ..project_input()
        };
        let f = fields(bad.validate().expect_err("invalid"));
        assert!(f.contains(&("name".into(), K::ValRequired)));
        assert!(f.contains(&("requesting_department_id".into(), K::ValInvalid)));
        assert!(f.contains(&("manager_id".into(), K::ValRequired)));
        assert!(f.contains(&("objectives".into(), K::ValRequired)));
        assert!(f.contains(&("end_date".into(), K::ProjectsInitValEndBeforeStart)));
        assert!(f.contains(&("budget".into(), K::ProjectsInitValMoneyNegative)));
        assert!(f.contains(&("priority".into(), K::ValRequired)));
        let f = fields(ProjectInput { start_date: "2026-02-30".into(), budget: "abc".into(), ..project_input() }.validate().expect_err("bad"));
        assert_eq!(f, vec![("start_date".into(), K::ProjectsInitValDate), ("budget".into(), K::ProjectsInitValMoney)]);
        // The same day for start and end is a one-day project.
        assert!(ProjectInput { end_date: "2026-03-01".into(), ..project_input() }.validate().is_ok());
    }

    #[test]
    fn who_may_create_and_for_which_department() {
        let staff = Viewer { user_id: 1, department_id: 5, role: Role::Staff };
        let manager = Viewer { user_id: 2, department_id: 5, role: Role::Manager };
        let exec = Viewer { user_id: 3, department_id: 9, role: Role::Executive };
        assert!(!may_create(&staff, "sales"));
        assert!(may_create(&staff, "pmo"), "PMO staff run projects");
        assert!(may_create(&manager, "sales") && may_create(&exec, "exec"));
        assert!(may_request_for(&manager, "sales", 5) && !may_request_for(&manager, "sales", 6));
        assert!(may_request_for(&exec, "x", 6) && may_request_for(&staff, "pmo", 6));
        assert!(may_lead(Role::Manager) && may_lead(Role::Executive) && !may_lead(Role::Staff) && !may_lead(Role::Admin));
    }

    #[test]
    fn editing_by_status_and_cancelling() {
        assert_eq!(Editable::of(ProjectStatus::Initiating), Editable::All);
        assert_eq!(Editable::of(ProjectStatus::Executing), Editable::TextOnly);
        for s in [ProjectStatus::PlanReview, ProjectStatus::Acceptance, ProjectStatus::Closed, ProjectStatus::Cancelled] {
            assert_eq!(Editable::of(s), Editable::Nothing, "{s:?}");
        }
        let manage = Access { see: true, manage: true, ..Access::default() };
        let lead = Access { see: true, lead: true, ..Access::default() };
        let member = Access { see: true, member: true, ..Access::default() };
        assert!(may_cancel(ProjectStatus::PlanReview, &manage) && may_cancel(ProjectStatus::Executing, &lead));
        assert!(!may_cancel(ProjectStatus::Initiating, &member));
        assert!(!may_cancel(ProjectStatus::Acceptance, &manage) && !may_cancel(ProjectStatus::Cancelled, &lead));
    }

    #[test]
    fn plan_gaps_list_what_is_missing() {
        assert_eq!(
            plan_gaps(false, 0, 0, 0, 0),
            vec![K::ProjectsInitGapKickoff, K::ProjectsInitGapTasks, K::ProjectsInitGapBudget, K::ProjectsInitGapCriteria]
        );
        assert_eq!(plan_gaps(true, 5, 2, 1, 1), vec![K::ProjectsInitGapAssignees]);
        assert!(plan_gaps(true, 5, 0, 3, 2).is_empty());
        let f = PlanFacts { kickoff_held: true, tasks: 3, unassigned: 0, budget_lines: 0, criteria: 2 };
        assert_eq!(plan_readiness(&f), vec![K::ProjectsInitGapBudget]);
        let list = plan_checklist(&f);
        assert_eq!(list.len(), 5);
        assert_eq!(list.iter().filter(|(_, done)| !done).count(), 1);
    }

    #[test]
    fn dependency_cycles_are_found() {
        // 2 depends on 1, 3 on 2, 4 on 1.
        let edges = [(2, 1), (3, 2), (4, 1)];
        assert!(!creates_cycle(&edges, 3, &[2, 4]), "more predecessors, no loop");
        assert!(creates_cycle(&edges, 1, &[3]), "1 -> 3 -> 2 -> 1");
        assert!(creates_cycle(&edges, 2, &[2]), "a task on itself");
        assert!(creates_cycle(&edges, 1, &[4]), "1 -> 4 -> 1");
        // Replacing 2's predecessors drops its old edge first.
        assert!(!creates_cycle(&edges, 2, &[4]));
        assert!(!creates_cycle(&[], 9, &[1, 2]));
        // A diamond is not a cycle.
        assert!(!creates_cycle(&[(2, 1), (3, 1), (4, 2)], 4, &[2, 3]));
    }

    #[test]
    fn schedule_warnings_point_at_the_task() {
        let project = (d("2026-03-01"), d("2026-06-30"));
        let tasks = [
            (1, d("2026-03-01"), d("2026-03-20")),
            (2, d("2026-03-20"), d("2026-04-10")), // starts the day 1 ends: fine
            (3, d("2026-03-15"), d("2026-04-30")), // starts before 1 ends
            (4, d("2026-06-20"), d("2026-07-05")), // ends after the project
        ];
        let w = schedule_warnings(project, &tasks, &[(2, 1), (3, 1), (4, 3)]);
        assert_eq!(
            w,
            vec![ScheduleWarning::OutsideProject { task: 4 }, ScheduleWarning::BeforePredecessor { task: 3, predecessor: 1 }]
        );
        assert_eq!(w[1].task(), 3);
    }

    #[test]
    fn task_form_rules() {
        let ok = TaskInput {
            name: "需求调研".into(),
            kind: "task".into(),
            position: "".into(),
            planned_start: "2026-03-01".into(),
            planned_end: "2026-03-20".into(),
            assignee_id: "4".into(),
            weight: "".into(),
        };
        let t = ok.validate().expect("valid");
        assert_eq!((t.weight, t.position), (1, None), "weight defaults to 1");
        // A milestone is one date: the end follows the start.
        let m = TaskInput { kind: "milestone".into(), planned_end: "garbage".into(), weight: "0".into(), ..ok.clone() }.validate().expect("milestone");
        assert_eq!((m.planned_start, m.planned_end, m.weight), (d("2026-03-01"), d("2026-03-01"), 0));
        let f = fields(
            TaskInput { kind: "rework".into(), planned_end: "2026-02-01".into(), weight: "-1".into(), assignee_id: "".into(), ..ok.clone() }
                .validate()
                .expect_err("bad"),
        );
        assert!(f.contains(&("kind".into(), K::ValInvalid)), "execution's kinds are not planned here");
        assert!(f.contains(&("planned_end".into(), K::ProjectsInitValEndBeforeStart)));
        assert!(f.contains(&("weight".into(), K::ProjectsInitValRange)));
        assert!(f.contains(&("assignee_id".into(), K::ValRequired)));
        assert_eq!(parse_ids(&["3".into(), "".into(), "3".into(), "5".into()]).expect("ids"), vec![3, 5]);
        assert!(parse_ids(&["x".into()]).is_err());
    }

    #[test]
    fn members_kickoff_budget_criteria_risks() {
        let m = MemberInput { user_id: "5".into(), role: "开发".into(), responsibilities: "".into(), allocation_pct: "50".into() };
        assert_eq!(m.validate(true).expect("ok").allocation_pct, 50);
        let f = fields(MemberInput { allocation_pct: "120".into(), role: "".into(), ..m.clone() }.validate(true).expect_err("bad"));
        assert_eq!(f, vec![("role".into(), K::ValRequired), ("allocation_pct".into(), K::ProjectsInitValRange)]);
        assert!(MemberInput { user_id: "".into(), ..m }.validate(false).is_ok(), "editing keeps the person");

        let today = d("2026-03-10");
        let k = KickoffInput { held_on: "2026-03-11".into(), guests: "".into(), minutes: "".into(), decisions: "x".into() };
        let f = fields(k.validate(today).expect_err("future"));
        assert_eq!(f, vec![("held_on".into(), K::ProjectsInitValFuture), ("minutes".into(), K::ValRequired)]);

        let b = BudgetLineInput { category: "services".into(), description: "外包".into(), amount: "50,000.5".into() };
        assert_eq!(b.validate().expect("ok").amount_minor, 5_000_050);
        assert!(BudgetLineInput { category: "food".into(), ..b }.validate().is_err());
        assert_eq!(budget_difference(850, 800), Some(50));
        assert_eq!(budget_difference(800, 800), None);

        assert!(CriterionInput { criterion: "x".into(), method: "".into(), position: "".into() }.validate().is_err());

        let r = RiskInput {
            title: "交期延误".into(),
            description: "".into(),
            likelihood: "3".into(),
            impact: "5".into(),
            response: "提前下单".into(),
            owner_id: "2".into(),
            status: "".into(),
        };
        assert_eq!(r.validate().expect("ok").status, RiskStatus::Open);
        assert!(RiskInput { likelihood: "6".into(), ..r.clone() }.validate().is_err());
        assert_eq!(risk_level(3, 5), (K::ProjectsInitRiskHigh, Tone::Bad));
        assert_eq!(risk_level(2, 4), (K::ProjectsInitRiskMedium, Tone::Warn));
        assert_eq!(risk_level(1, 5), (K::ProjectsInitRiskLow, Tone::Good));
    }

    #[test]
    fn attendees_text_holds_employees_then_guests() {
        let names = vec!["徐明".to_string(), "宋佳".to_string()];
        let text = compose_attendees(&names, "外部顾问张工, 宋佳；  ");
        assert_eq!(text, "徐明、宋佳、外部顾问张工");
        assert_eq!(guests_of(&text, &names), "外部顾问张工");
        assert_eq!(guests_of("徐明、宋佳", &names), "");
        assert_eq!(compose_attendees(&[], ""), "");
    }

    #[test]
    fn percent_of_basis_points() {
        assert_eq!(percent_bp(0), "0%");
        assert_eq!(percent_bp(4250), "42.5%");
        assert_eq!(percent_bp(10_000), "100%");
        assert_eq!(minor_to_input(80_000_050), "800000.50");
    }
}
