//! Types every part of the projects module shares.
use crate::core::i18n::K;
use crate::core::ui::Tone;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The project's life cycle (2.4.1 to 2.4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProjectStatus {
    /// Team, kickoff and plan being prepared.
    Initiating,
    /// Plan submitted: department reviews, then the leader's approval (2.4.1-c).
    PlanReview,
    /// Approved plan and baseline in force; work is logged (2.4.2).
    Executing,
    /// Acceptance applied for, waiting for the requesting department (2.4.4).
    Acceptance,
    /// Accepted; the acceptance report is issued (2.4.4-c).
    Closed,
    Cancelled,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 6] = [
        ProjectStatus::Initiating,
        ProjectStatus::PlanReview,
        ProjectStatus::Executing,
        ProjectStatus::Acceptance,
        ProjectStatus::Closed,
        ProjectStatus::Cancelled,
    ];
    /// The phases that are still open work.
    pub const OPEN: [ProjectStatus; 4] =
        [ProjectStatus::Initiating, ProjectStatus::PlanReview, ProjectStatus::Executing, ProjectStatus::Acceptance];
    pub fn code(self) -> &'static str {
        match self {
            ProjectStatus::Initiating => "initiating",
            ProjectStatus::PlanReview => "plan_review",
            ProjectStatus::Executing => "executing",
            ProjectStatus::Acceptance => "acceptance",
            ProjectStatus::Closed => "closed",
            ProjectStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<ProjectStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            ProjectStatus::Initiating => K::ProjectsStatusInitiating,
            ProjectStatus::PlanReview => K::ProjectsStatusPlanReview,
            ProjectStatus::Executing => K::ProjectsStatusExecuting,
            ProjectStatus::Acceptance => K::ProjectsStatusAcceptance,
            ProjectStatus::Closed => K::ProjectsStatusClosed,
            ProjectStatus::Cancelled => K::ProjectsStatusCancelled,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            ProjectStatus::Initiating | ProjectStatus::PlanReview => Tone::Neutral,
            ProjectStatus::Executing | ProjectStatus::Acceptance => Tone::Warn,
            ProjectStatus::Closed => Tone::Good,
            ProjectStatus::Cancelled => Tone::Bad,
        }
    }
    /// The plan (tasks' dates before the first approval, team, budget lines,
    /// criteria, risks) may be edited freely.
    pub fn plan_editable(self) -> bool {
        matches!(self, ProjectStatus::Initiating | ProjectStatus::Executing)
    }
    /// 2.4.1-c: work (progress, costs, meetings, delays, checks) is logged only
    /// on a project whose plan is approved.
    pub fn logs_work(self) -> bool {
        self == ProjectStatus::Executing
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];
    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Priority> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            Priority::Low => K::ProjectsPriorityLow,
            Priority::Medium => K::ProjectsPriorityMedium,
            Priority::High => K::ProjectsPriorityHigh,
            Priority::Critical => K::ProjectsPriorityCritical,
        }
    }
}

/// Green / amber / red: computed health (2.4.3-d) and the PMO's ratings (2.4.3-a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Health {
    Green,
    Amber,
    Red,
}

impl Health {
    pub const ALL: [Health; 3] = [Health::Green, Health::Amber, Health::Red];
    pub fn code(self) -> &'static str {
        match self {
            Health::Green => "green",
            Health::Amber => "amber",
            Health::Red => "red",
        }
    }
    pub fn parse(s: &str) -> Option<Health> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            Health::Green => K::ProjectsHealthGreen,
            Health::Amber => K::ProjectsHealthAmber,
            Health::Red => K::ProjectsHealthRed,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            Health::Green => Tone::Good,
            Health::Amber => Tone::Warn,
            Health::Red => Tone::Bad,
        }
    }
}

/// What the viewer is to a project; computed on the server from the record and
/// the viewer, used by every part to decide what may be done (never only to
/// hide buttons: the server functions check the same flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Sees the project at all.
    pub see: bool,
    /// Project manager, a manager of the requesting department, an executive or
    /// an admin: edits the project and its plan, submits, logs meetings, delays,
    /// costs, checks, change requests, applies for acceptance.
    pub manage: bool,
    /// The project's leader (sponsor) or an executive: approves plans and changes.
    pub lead: bool,
    /// In the PMO department: monitors and evaluates every project (2.4.3-a).
    pub pmo: bool,
    /// A manager of the requesting department or an executive: reviews
    /// acceptance (2.4.4-b).
    pub accept: bool,
    /// On the team (may log progress on tasks assigned to them).
    pub member: bool,
}

/// The department whose members monitor every project.
pub const PMO_DEPARTMENT: &str = "pmo";

/// What decides access, as loaded with the project.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessFacts {
    pub manager_id: i64,
    pub sponsor_id: i64,
    pub requesting_department_id: i64,
    pub is_member: bool,
}

impl Access {
    pub fn of(viewer: &crate::core::perm::Viewer, viewer_dept_code: &str, f: &AccessFacts) -> Access {
        use crate::core::perm::Role;
        let all = viewer.role.sees_everything();
        let dept_manager = viewer.role == Role::Manager && viewer.department_id == f.requesting_department_id;
        let pmo = viewer_dept_code == PMO_DEPARTMENT;
        let pm = viewer.user_id == f.manager_id;
        let sponsor = viewer.user_id == f.sponsor_id;
        Access {
            see: all || pmo || pm || sponsor || f.is_member || dept_manager,
            manage: pm || dept_manager || all,
            lead: sponsor || viewer.role == Role::Executive,
            pmo,
            accept: dept_manager || viewer.role == Role::Executive,
            member: f.is_member || pm,
        }
    }
}

/// The project as every page header shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ProjectHead {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub status: String,
    pub priority: String,
    pub health: String,
    pub requesting_department_id: i64,
    pub department_zh: String,
    pub department_en: String,
    pub manager_id: i64,
    pub manager_name: String,
    pub sponsor_id: i64,
    pub sponsor_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub budget_minor: i64,
    pub currency: String,
    pub baseline_version: i64,
    pub version: i64,
}

impl ProjectHead {
    pub fn status(&self) -> ProjectStatus {
        ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Initiating)
    }
    pub fn priority(&self) -> Priority {
        Priority::parse(&self.priority).unwrap_or(Priority::Medium)
    }
    pub fn health(&self) -> Health {
        Health::parse(&self.health).unwrap_or(Health::Green)
    }
    pub fn department(&self, lang: crate::core::i18n::Lang) -> &str {
        match lang {
            crate::core::i18n::Lang::Zh => &self.department_zh,
            crate::core::i18n::Lang::En => &self.department_en,
        }
    }
}

/// A project header and what the viewer may do with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectFrameData {
    pub head: ProjectHead,
    pub access: Access,
    /// The company's today (for "overdue" and default dates).
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::perm::{Role, Viewer};

    fn facts() -> AccessFacts {
        AccessFacts { manager_id: 1, sponsor_id: 2, requesting_department_id: 10, is_member: false }
    }

    #[test]
    fn codes_round_trip() {
        for s in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::parse(s.code()), Some(s));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.code()), Some(p));
        }
        for h in Health::ALL {
            assert_eq!(Health::parse(h.code()), Some(h));
        }
        assert!(Health::Red > Health::Amber && Health::Amber > Health::Green);
    }

    #[test]
    fn access_by_relation() {
        let pm = Access::of(&Viewer { user_id: 1, department_id: 50, role: Role::Staff }, "pmo", &facts());
        assert!(pm.see && pm.manage && pm.member && pm.pmo && !pm.lead && !pm.accept);
        let sponsor = Access::of(&Viewer { user_id: 2, department_id: 60, role: Role::Manager }, "sales", &facts());
        assert!(sponsor.see && sponsor.lead && !sponsor.manage);
        let dept_mgr = Access::of(&Viewer { user_id: 3, department_id: 10, role: Role::Manager }, "finance", &facts());
        assert!(dept_mgr.see && dept_mgr.manage && dept_mgr.accept && !dept_mgr.lead);
        let stranger = Access::of(&Viewer { user_id: 4, department_id: 10, role: Role::Staff }, "finance", &facts());
        assert!(!stranger.see && !stranger.manage);
        let member = Access::of(&Viewer { user_id: 4, department_id: 10, role: Role::Staff }, "finance", &AccessFacts { is_member: true, ..facts() });
        assert!(member.see && member.member && !member.manage);
        let pmo = Access::of(&Viewer { user_id: 5, department_id: 70, role: Role::Manager }, "pmo", &facts());
        assert!(pmo.see && pmo.pmo && !pmo.manage);
        let exec = Access::of(&Viewer { user_id: 6, department_id: 80, role: Role::Executive }, "exec", &facts());
        assert!(exec.see && exec.manage && exec.lead && exec.accept);
    }
}
