//! Plan review and approval (2.4.1-c) and change requests (2.4.3-c): the
//! state machine of a submission (who may submit, review, approve, and from
//! which project status), the steps of a round, submission readiness, the
//! records the approval page shows and the comparison of two plans (baseline
//! versions, or the baseline in force against the current plan). Pure, shared
//! by browser and server, unit-tested below.
use crate::core::i18n::{K, Lang};
use crate::core::ui::Tone;
use crate::projects::model::{Access, ProjectStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The longest comment, reason or impact text accepted.
pub const MAX_TEXT: usize = 2000;

// ----- the state machine -----

/// What can happen to a plan submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanAction {
    /// The manager submits the plan for review.
    Submit,
    /// The manager takes the submission back.
    Withdraw,
    /// A department or the leader rejects: back to planning.
    Reject,
    /// The leader approves: the baseline is frozen and work may start.
    Approve,
}

/// 2.4.1-c: the project status a plan action leads to, refused from the wrong
/// status (the store repeats the status in its WHERE clause, so a race cannot
/// slip past either). Nothing but an approval leads to `Executing`.
pub fn plan_transition(from: ProjectStatus, a: PlanAction) -> Result<ProjectStatus, K> {
    use ProjectStatus::*;
    match (from, a) {
        (Initiating, PlanAction::Submit) => Ok(PlanReview),
        (PlanReview, PlanAction::Withdraw) | (PlanReview, PlanAction::Reject) => Ok(Initiating),
        (PlanReview, PlanAction::Approve) => Ok(Executing),
        _ => Err(K::ProjectsApprErrWrongStatus),
    }
}

/// 2.4.3-c: a change request is raised only while executing (an approved
/// baseline to change) and, like the plan, only by whoever manages the project.
pub fn may_raise_change(status: ProjectStatus, access: &Access, open_change: bool) -> Result<(), K> {
    if !access.manage {
        return Err(K::ErrForbidden);
    }
    if status != ProjectStatus::Executing {
        return Err(K::ProjectsApprErrWrongStatus);
    }
    if open_change {
        return Err(K::ProjectsApprErrChangeOpen);
    }
    Ok(())
}

/// Who may submit or withdraw a plan: the project's managers (2.4.1-c).
pub fn may_submit(access: &Access) -> bool {
    access.manage
}

/// Who may decide a step: a review by any member of the reviewing department
/// (as contract reviews, 2.2.3-c) except the project's own manager (no one
/// reviews their own plan); the approval by the leader — the sponsor or an
/// executive (`Access.lead`). Only a pending step is decided.
pub fn may_decide(step: StepKind, status: StepStatus, step_department: Option<i64>, viewer_department: i64, viewer_is_manager: bool, access: &Access) -> bool {
    status == StepStatus::Pending
        && match step {
            StepKind::Review => step_department == Some(viewer_department) && !viewer_is_manager,
            StepKind::Approval => access.lead,
        }
}

/// The kind of step in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    /// A configured department's review (in parallel with the others).
    Review,
    /// The leader's approval, after every review approved.
    Approval,
}

impl StepKind {
    pub fn code(self) -> &'static str {
        match self {
            StepKind::Review => "review",
            StepKind::Approval => "approval",
        }
    }
    pub fn parse(s: &str) -> Option<StepKind> {
        [StepKind::Review, StepKind::Approval].into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            StepKind::Review => K::ProjectsApprStepReview,
            StepKind::Approval => K::ProjectsApprStepApproval,
        }
    }
}

/// A step's status: the leader's step waits until every review approved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepStatus {
    Waiting,
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

impl StepStatus {
    pub const ALL: [StepStatus; 5] = [StepStatus::Waiting, StepStatus::Pending, StepStatus::Approved, StepStatus::Rejected, StepStatus::Withdrawn];
    pub fn code(self) -> &'static str {
        match self {
            StepStatus::Waiting => "waiting",
            StepStatus::Pending => "pending",
            StepStatus::Approved => "approved",
            StepStatus::Rejected => "rejected",
            StepStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<StepStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            StepStatus::Waiting => K::ProjectsApprStepWaiting,
            StepStatus::Pending => K::ProjectsApprStepPending,
            StepStatus::Approved => K::ProjectsApprStepApproved,
            StepStatus::Rejected => K::ProjectsApprStepRejected,
            StepStatus::Withdrawn => K::ProjectsApprStepWithdrawn,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            StepStatus::Waiting | StepStatus::Withdrawn => Tone::Neutral,
            StepStatus::Pending => Tone::Warn,
            StepStatus::Approved => Tone::Good,
            StepStatus::Rejected => Tone::Bad,
        }
    }
}

/// What the department reviews of a round add up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundOutcome {
    /// Some review is still open.
    Pending,
    /// A department rejected: the round ends, the plan goes back.
    Rejected,
    /// Every review approved: the leader's step becomes pending.
    Reviewed,
}

/// 2.4.1-c: any rejection ends the round; all approved hands it to the leader.
pub fn reviews_outcome(reviews: &[StepStatus]) -> RoundOutcome {
    if reviews.contains(&StepStatus::Rejected) {
        RoundOutcome::Rejected
    } else if !reviews.is_empty() && reviews.iter().all(|s| *s == StepStatus::Approved) {
        RoundOutcome::Reviewed
    } else {
        RoundOutcome::Pending
    }
}

/// A change request's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeStatus {
    InReview,
    Approved,
    Rejected,
    Withdrawn,
}

impl ChangeStatus {
    pub const ALL: [ChangeStatus; 4] = [ChangeStatus::InReview, ChangeStatus::Approved, ChangeStatus::Rejected, ChangeStatus::Withdrawn];
    pub fn code(self) -> &'static str {
        match self {
            ChangeStatus::InReview => "in_review",
            ChangeStatus::Approved => "approved",
            ChangeStatus::Rejected => "rejected",
            ChangeStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<ChangeStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            ChangeStatus::InReview => K::ProjectsApprChangeInReview,
            ChangeStatus::Approved => K::ProjectsApprChangeApproved,
            ChangeStatus::Rejected => K::ProjectsApprChangeRejected,
            ChangeStatus::Withdrawn => K::ProjectsApprChangeWithdrawn,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            ChangeStatus::InReview => Tone::Warn,
            ChangeStatus::Approved => Tone::Good,
            ChangeStatus::Rejected => Tone::Bad,
            ChangeStatus::Withdrawn => Tone::Neutral,
        }
    }
}

/// 2.4.3-c: a change request's life: in review until the leader approves
/// (a new baseline), a department or the leader rejects, or the manager withdraws.
pub fn change_transition(from: ChangeStatus, a: PlanAction) -> Result<ChangeStatus, K> {
    match (from, a) {
        (ChangeStatus::InReview, PlanAction::Approve) => Ok(ChangeStatus::Approved),
        (ChangeStatus::InReview, PlanAction::Reject) => Ok(ChangeStatus::Rejected),
        (ChangeStatus::InReview, PlanAction::Withdraw) => Ok(ChangeStatus::Withdrawn),
        _ => Err(K::ProjectsApprErrWrongStatus),
    }
}

// ----- submission readiness -----

/// What the plan has, counted in SQL (2.4.1-a, 2.4.1-b, 2.4.1-d).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Readiness {
    /// Kickoff meetings held (2.4.1-a).
    pub kickoffs: i64,
    /// Tasks and milestones of the schedule.
    pub tasks: i64,
    /// Tasks whose assignee is not an active member of the team (2.4.1-d).
    pub unassigned: i64,
    pub budget_lines: i64,
    pub criteria: i64,
    /// Departments configured to review (PLAN_REVIEW_DEPARTMENTS).
    pub reviewers: i64,
}

/// One thing missing before the plan can be submitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Missing {
    pub field: &'static str,
    pub key: K,
    pub count: i64,
}

impl Readiness {
    /// What is missing, in the order a manager would fix it.
    pub fn missing(&self) -> Vec<Missing> {
        let mut out = Vec::new();
        let mut miss = |cond: bool, field: &'static str, key: K, count: i64| {
            if cond {
                out.push(Missing { field, key, count });
            }
        };
        // 2.4.1-a: kickoff before the plan is submitted.
        miss(self.kickoffs == 0, "kickoff", K::ProjectsApprMissingKickoff, 0);
        miss(self.tasks == 0, "tasks", K::ProjectsApprMissingTasks, 0);
        // 2.4.1-d: every task has an assignee from the team.
        miss(self.unassigned > 0, "assignees", K::ProjectsApprMissingAssignees, self.unassigned);
        miss(self.budget_lines == 0, "budget", K::ProjectsApprMissingBudget, 0);
        miss(self.criteria == 0, "criteria", K::ProjectsApprMissingCriteria, 0);
        miss(self.reviewers == 0, "reviewers", K::ProjectsApprMissingReviewers, 0);
        out
    }
    pub fn ready(&self) -> bool {
        self.missing().is_empty()
    }
}

// ----- records -----

/// Department or person name in the reader's language.
pub fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// One step of a plan or change-request round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Step {
    pub id: i64,
    pub change_request_id: Option<i64>,
    pub change_seq: Option<i64>,
    pub round: i64,
    pub step: String,
    pub department_id: Option<i64>,
    pub department_zh: Option<String>,
    pub department_en: Option<String>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decider_name: Option<String>,
    pub comment: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl Step {
    pub fn kind(&self) -> StepKind {
        StepKind::parse(&self.step).unwrap_or(StepKind::Review)
    }
    pub fn status(&self) -> StepStatus {
        StepStatus::parse(&self.status).unwrap_or(StepStatus::Pending)
    }
    pub fn department(&self, lang: Lang) -> String {
        pick(lang, self.department_zh.as_deref().unwrap_or(""), self.department_en.as_deref().unwrap_or(""))
    }
}

/// A step with whether the reader may decide it (computed on the server).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    pub step: Step,
    pub may_decide: bool,
}

/// The steps of one round of the plan (change_request_id None) or of a change request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub change_request_id: Option<i64>,
    pub change_seq: Option<i64>,
    pub round: i64,
    pub steps: Vec<StepView>,
}

impl Round {
    /// Reviews first (by department), then the leader's approval.
    pub fn outcome(&self) -> RoundOutcome {
        let reviews: Vec<StepStatus> = self.steps.iter().filter(|s| s.step.kind() == StepKind::Review).map(|s| s.step.status()).collect();
        reviews_outcome(&reviews)
    }
    pub fn is_open(&self) -> bool {
        self.steps.iter().any(|s| matches!(s.step.status(), StepStatus::Pending | StepStatus::Waiting))
    }
}

/// Groups steps (ordered newest round first, steps by id) into rounds, keeping the order.
pub fn group_rounds(steps: Vec<StepView>) -> Vec<Round> {
    let mut out: Vec<Round> = Vec::new();
    for s in steps {
        match out.last_mut() {
            Some(r) if r.change_request_id == s.step.change_request_id && r.round == s.step.round => r.steps.push(s),
            _ => out.push(Round { change_request_id: s.step.change_request_id, change_seq: s.step.change_seq, round: s.step.round, steps: vec![s] }),
        }
    }
    out
}

/// A change request (2.4.3-c).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ChangeRequest {
    pub id: i64,
    pub seq: i64,
    pub reason: String,
    pub impact: String,
    pub proposed_end: NaiveDate,
    pub proposed_budget_minor: i64,
    /// The baseline in force when it was raised (for "from" figures).
    pub base_end: Option<NaiveDate>,
    pub base_budget_minor: Option<i64>,
    pub status: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decider_name: Option<String>,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub creator_name: Option<String>,
    /// The baseline version its approval made.
    pub baseline_version: Option<i64>,
    pub version: i64,
}

impl ChangeRequest {
    pub fn status(&self) -> ChangeStatus {
        ChangeStatus::parse(&self.status).unwrap_or(ChangeStatus::InReview)
    }
}

/// One approved baseline version (2.4.1-c, 2.4.3-c).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Baseline {
    pub id: i64,
    pub version: i64,
    pub change_request_id: Option<i64>,
    pub change_seq: Option<i64>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub budget_minor: i64,
    pub approved_at: DateTime<Utc>,
    pub approver_name: Option<String>,
}

/// A task or milestone as a plan holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PlanTask {
    pub task_id: i64,
    pub position: i64,
    pub name: String,
    pub kind: String,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub weight: i64,
}

/// A budget line as a plan holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PlanLine {
    pub budget_line_id: i64,
    pub category: String,
    pub description: String,
    pub amount_minor: i64,
}

/// A whole plan: a baseline version or the current plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The baseline version; None for the current plan.
    pub version: Option<i64>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub budget_minor: i64,
    pub tasks: Vec<PlanTask>,
    pub lines: Vec<PlanLine>,
}

impl Plan {
    /// The current plan as a proposal (2.4.3-c): from the earliest planned
    /// start to the latest planned end, the budget the sum of its lines.
    /// `fallback` dates (the project's) are used when there are no tasks.
    pub fn current(tasks: Vec<PlanTask>, lines: Vec<PlanLine>, fallback: (NaiveDate, NaiveDate)) -> Plan {
        let start = tasks.iter().map(|t| t.planned_start).min().unwrap_or(fallback.0);
        let end = tasks.iter().map(|t| t.planned_end).max().unwrap_or(fallback.1);
        let budget_minor = lines.iter().map(|l| l.amount_minor).sum();
        Plan { version: None, start, end, budget_minor, tasks, lines }
    }
}

/// One task in a comparison: its dates in plan A and plan B and the shift in days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskDiff {
    pub task_id: i64,
    pub name: String,
    pub kind: String,
    pub a: Option<(NaiveDate, NaiveDate)>,
    pub b: Option<(NaiveDate, NaiveDate)>,
    /// B minus A in days, when the task is in both.
    pub start_days: Option<i64>,
    pub end_days: Option<i64>,
}

impl TaskDiff {
    pub fn changed(&self) -> bool {
        self.a.is_none() || self.b.is_none() || self.start_days != Some(0) || self.end_days != Some(0)
    }
}

/// One budget line in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineDiff {
    pub budget_line_id: i64,
    pub category: String,
    pub description: String,
    pub a: Option<i64>,
    pub b: Option<i64>,
    /// B minus A (a line missing on one side counts as 0 there).
    pub diff: i64,
}

/// Two plans side by side (2.4.3-c: baselines are versioned and comparable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub a_version: Option<i64>,
    pub b_version: Option<i64>,
    pub a_start: NaiveDate,
    pub b_start: NaiveDate,
    pub a_end: NaiveDate,
    pub b_end: NaiveDate,
    pub end_days: i64,
    pub a_budget: i64,
    pub b_budget: i64,
    pub budget_diff: i64,
    pub tasks: Vec<TaskDiff>,
    pub lines: Vec<LineDiff>,
}

impl Comparison {
    pub fn changed_tasks(&self) -> usize {
        self.tasks.iter().filter(|t| t.changed()).count()
    }
}

/// Compares plan A with plan B: every task and line of either, in B's order
/// then those only in A; differences are B minus A.
pub fn compare(a: &Plan, b: &Plan) -> Comparison {
    let mut tasks: Vec<TaskDiff> = Vec::new();
    let find_a = |id: i64| a.tasks.iter().find(|t| t.task_id == id);
    let mut b_tasks: Vec<&PlanTask> = b.tasks.iter().collect();
    b_tasks.sort_by_key(|t| (t.position, t.task_id));
    for tb in b_tasks {
        let ta = find_a(tb.task_id);
        let a_dates = ta.map(|t| (t.planned_start, t.planned_end));
        tasks.push(TaskDiff {
            task_id: tb.task_id,
            name: tb.name.clone(),
            kind: tb.kind.clone(),
            a: a_dates,
            b: Some((tb.planned_start, tb.planned_end)),
            start_days: a_dates.map(|(s, _)| (tb.planned_start - s).num_days()),
            end_days: a_dates.map(|(_, e)| (tb.planned_end - e).num_days()),
        });
    }
    let mut only_a: Vec<&PlanTask> = a.tasks.iter().filter(|t| !b.tasks.iter().any(|x| x.task_id == t.task_id)).collect();
    only_a.sort_by_key(|t| (t.position, t.task_id));
    for ta in only_a {
        tasks.push(TaskDiff {
            task_id: ta.task_id,
            name: ta.name.clone(),
            kind: ta.kind.clone(),
            a: Some((ta.planned_start, ta.planned_end)),
            b: None,
            start_days: None,
            end_days: None,
        });
    }
    let mut lines: Vec<LineDiff> = Vec::new();
    let mut ids: Vec<i64> = b.lines.iter().map(|l| l.budget_line_id).collect();
    ids.extend(a.lines.iter().map(|l| l.budget_line_id).filter(|id| !b.lines.iter().any(|l| l.budget_line_id == *id)));
    for id in ids {
        let la = a.lines.iter().find(|l| l.budget_line_id == id);
        let lb = b.lines.iter().find(|l| l.budget_line_id == id);
        let Some(any) = lb.or(la) else { continue };
        let (av, bv) = (la.map(|l| l.amount_minor), lb.map(|l| l.amount_minor));
        lines.push(LineDiff {
            budget_line_id: id,
            category: any.category.clone(),
            description: any.description.clone(),
            a: av,
            b: bv,
            diff: bv.unwrap_or(0) - av.unwrap_or(0),
        });
    }
    Comparison {
        a_version: a.version,
        b_version: b.version,
        a_start: a.start,
        b_start: b.start,
        a_end: a.end,
        b_end: b.end,
        end_days: (b.end - a.end).num_days(),
        a_budget: a.budget_minor,
        b_budget: b.budget_minor,
        budget_diff: b.budget_minor - a.budget_minor,
        tasks,
        lines,
    }
}

/// A signed day difference as shown ("+5", "-3", "0").
pub fn signed_days(d: i64) -> String {
    if d > 0 { format!("+{d}") } else { d.to_string() }
}

/// The key of a budget line category (shared with the plan editor's codes).
pub fn category_key(code: &str) -> K {
    match code {
        "labour" => K::ProjectsApprCatLabour,
        "material" => K::ProjectsApprCatMaterial,
        "equipment" => K::ProjectsApprCatEquipment,
        "services" => K::ProjectsApprCatServices,
        "travel" => K::ProjectsApprCatTravel,
        _ => K::ProjectsApprCatOther,
    }
}

/// The key of a task kind.
pub fn kind_key(code: &str) -> K {
    match code {
        "milestone" => K::ProjectsApprKindMilestone,
        _ => K::ProjectsApprKindTask,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::model::ProjectStatus::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn access(manage: bool, lead: bool) -> Access {
        Access { see: true, manage, lead, ..Access::default() }
    }

    #[test]
    fn only_an_approval_starts_execution() {
        // 2.4.1-c: the one way into Executing is an approved plan in review.
        assert_eq!(plan_transition(Initiating, PlanAction::Submit), Ok(PlanReview));
        assert_eq!(plan_transition(PlanReview, PlanAction::Approve), Ok(Executing));
        assert_eq!(plan_transition(PlanReview, PlanAction::Reject), Ok(Initiating));
        assert_eq!(plan_transition(PlanReview, PlanAction::Withdraw), Ok(Initiating));
        for s in ProjectStatus::ALL {
            for a in [PlanAction::Submit, PlanAction::Withdraw, PlanAction::Reject, PlanAction::Approve] {
                if let Ok(Executing) = plan_transition(s, a) {
                    assert_eq!((s, a), (PlanReview, PlanAction::Approve));
                }
            }
        }
        // No approving a plan that was never submitted, no submitting twice,
        // no re-submitting an executing project's plan (that is a change request).
        assert!(plan_transition(Initiating, PlanAction::Approve).is_err());
        assert!(plan_transition(PlanReview, PlanAction::Submit).is_err());
        assert!(plan_transition(Executing, PlanAction::Submit).is_err());
        assert!(plan_transition(Closed, PlanAction::Withdraw).is_err());
        assert!(plan_transition(Cancelled, PlanAction::Submit).is_err());
    }

    #[test]
    fn work_is_logged_only_after_approval() {
        // The statuses a plan passes through before approval log no work.
        let mut s = Initiating;
        assert!(!s.logs_work());
        s = plan_transition(s, PlanAction::Submit).expect("submit");
        assert!(!s.logs_work());
        s = plan_transition(s, PlanAction::Reject).expect("reject");
        assert!(!s.logs_work());
        s = plan_transition(s, PlanAction::Submit).expect("resubmit");
        s = plan_transition(s, PlanAction::Approve).expect("approve");
        assert!(s.logs_work());
    }

    #[test]
    fn who_may_act() {
        assert!(may_submit(&access(true, false)));
        assert!(!may_submit(&access(false, true)));
        let leader = access(false, true);
        let pm = access(true, false);
        // Reviews: a member of the department, but not the project's own manager.
        assert!(may_decide(StepKind::Review, StepStatus::Pending, Some(7), 7, false, &pm));
        assert!(!may_decide(StepKind::Review, StepStatus::Pending, Some(7), 7, true, &pm));
        assert!(!may_decide(StepKind::Review, StepStatus::Pending, Some(7), 8, false, &leader));
        // Approval: the leader only, and only once it is pending.
        assert!(may_decide(StepKind::Approval, StepStatus::Pending, None, 8, false, &leader));
        assert!(!may_decide(StepKind::Approval, StepStatus::Pending, None, 8, false, &pm));
        assert!(!may_decide(StepKind::Approval, StepStatus::Waiting, None, 8, false, &leader));
        assert!(!may_decide(StepKind::Review, StepStatus::Approved, Some(7), 7, false, &pm));
    }

    #[test]
    fn change_requests_only_while_executing_one_at_a_time() {
        assert!(may_raise_change(Executing, &access(true, false), false).is_ok());
        assert_eq!(may_raise_change(Executing, &access(true, false), true), Err(K::ProjectsApprErrChangeOpen));
        assert_eq!(may_raise_change(Initiating, &access(true, false), false), Err(K::ProjectsApprErrWrongStatus));
        assert_eq!(may_raise_change(Executing, &access(false, true), false), Err(K::ErrForbidden));
        assert_eq!(change_transition(ChangeStatus::InReview, PlanAction::Approve), Ok(ChangeStatus::Approved));
        assert_eq!(change_transition(ChangeStatus::InReview, PlanAction::Reject), Ok(ChangeStatus::Rejected));
        assert_eq!(change_transition(ChangeStatus::InReview, PlanAction::Withdraw), Ok(ChangeStatus::Withdrawn));
        assert!(change_transition(ChangeStatus::Approved, PlanAction::Withdraw).is_err());
        assert!(change_transition(ChangeStatus::Rejected, PlanAction::Approve).is_err());
    }

    #[test]
    fn round_outcomes() {
        use StepStatus::*;
        assert_eq!(reviews_outcome(&[Approved, Pending]), RoundOutcome::Pending);
        assert_eq!(reviews_outcome(&[Approved, Approved]), RoundOutcome::Reviewed);
        assert_eq!(reviews_outcome(&[Rejected, Pending]), RoundOutcome::Rejected);
        assert_eq!(reviews_outcome(&[Approved, Rejected]), RoundOutcome::Rejected);
        assert_eq!(reviews_outcome(&[]), RoundOutcome::Pending);
        for s in StepStatus::ALL {
            assert_eq!(StepStatus::parse(s.code()), Some(s));
        }
        for s in ChangeStatus::ALL {
            assert_eq!(ChangeStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn readiness_lists_what_is_missing() {
        let full = Readiness { kickoffs: 1, tasks: 5, unassigned: 0, budget_lines: 2, criteria: 1, reviewers: 2 };
        assert!(full.ready());
        let r = Readiness { kickoffs: 0, unassigned: 2, ..full.clone() };
        let m = r.missing();
        assert_eq!(m.iter().map(|x| x.field).collect::<Vec<_>>(), vec!["kickoff", "assignees"]);
        assert_eq!(m[1].count, 2);
        let empty = Readiness::default();
        assert_eq!(empty.missing().len(), 5);
    }

    fn task(id: i64, pos: i64, s: &str, e: &str) -> PlanTask {
        PlanTask { task_id: id, position: pos, name: format!("t{id}"), kind: "task".into(), planned_start: d(s), planned_end: d(e), weight: 1 }
    }
    fn line(id: i64, amount: i64) -> PlanLine {
        PlanLine { budget_line_id: id, category: "services".into(), description: format!("l{id}"), amount_minor: amount }
    }

    #[test]
    fn comparison_of_two_plans() {
        let a = Plan {
            version: Some(1),
            start: d("2026-01-01"),
            end: d("2026-03-31"),
            budget_minor: 80_000_000,
            tasks: vec![task(1, 1, "2026-01-01", "2026-01-31"), task(2, 2, "2026-02-01", "2026-03-31"), task(3, 3, "2026-02-01", "2026-02-10")],
            lines: vec![line(10, 50_000_000), line(11, 30_000_000)],
        };
        // B: task 2 ends 5 days later, task 3 removed, task 4 added; line 11
        // cut by 10,000 and a new line of 50,000.
        let b = Plan::current(
            vec![task(4, 4, "2026-03-01", "2026-04-05"), task(1, 1, "2026-01-01", "2026-01-31"), task(2, 2, "2026-02-03", "2026-04-05")],
            vec![line(10, 50_000_000), line(11, 29_000_000), line(12, 5_000_000)],
            (d("2026-01-01"), d("2026-03-31")),
        );
        assert_eq!(b.end, d("2026-04-05"));
        assert_eq!(b.budget_minor, 84_000_000);
        let c = compare(&a, &b);
        assert_eq!((c.a_version, c.b_version), (Some(1), None));
        assert_eq!(c.end_days, 5);
        assert_eq!(c.budget_diff, 4_000_000);
        assert_eq!(c.tasks.iter().map(|t| t.task_id).collect::<Vec<_>>(), vec![1, 2, 4, 3]);
        assert!(!c.tasks[0].changed());
        assert_eq!((c.tasks[1].start_days, c.tasks[1].end_days), (Some(2), Some(5)));
        assert!(c.tasks[2].a.is_none() && c.tasks[2].changed());
        assert!(c.tasks[3].b.is_none());
        assert_eq!(c.changed_tasks(), 3);
        assert_eq!(c.lines.iter().map(|l| (l.budget_line_id, l.diff)).collect::<Vec<_>>(), vec![(10, 0), (11, -1_000_000), (12, 5_000_000)]);
        assert_eq!(signed_days(5), "+5");
        assert_eq!(signed_days(-3), "-3");
        assert_eq!(signed_days(0), "0");
        // Comparing a plan with itself changes nothing.
        let same = compare(&a, &a);
        assert_eq!((same.end_days, same.budget_diff, same.changed_tasks()), (0, 0, 0));
    }

    #[test]
    fn rounds_group_in_order() {
        let st = |id: i64, cr: Option<i64>, round: i64| StepView {
            step: Step {
                id,
                change_request_id: cr,
                change_seq: cr.map(|_| 1),
                round,
                step: "review".into(),
                department_id: Some(1),
                department_zh: None,
                department_en: None,
                status: "approved".into(),
                decided_by: None,
                decider_name: None,
                comment: String::new(),
                decided_at: None,
                created_at: Utc::now(),
                version: 1,
            },
            may_decide: false,
        };
        let rounds = group_rounds(vec![st(5, Some(9), 1), st(6, Some(9), 1), st(3, None, 2), st(4, None, 2), st(1, None, 1)]);
        assert_eq!(rounds.iter().map(|r| (r.change_request_id, r.round, r.steps.len())).collect::<Vec<_>>(), vec![(Some(9), 1, 2), (None, 2, 2), (None, 1, 1)]);
        assert_eq!(rounds[0].outcome(), RoundOutcome::Reviewed);
        assert!(!rounds[0].is_open());
    }
}
