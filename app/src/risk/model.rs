//! Types every part of the risk module shares.
use crate::core::i18n::K;
use crate::core::ui::Tone;
use serde::{Deserialize, Serialize};

/// The department that consolidates risks company-wide (5.3-c) and runs the
/// assessment rounds (5.1-a).
pub const RISK_DEPARTMENT: &str = "risk";

/// Risk level from the score (likelihood × impact) and the bands (5.1-c).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];
    pub fn code(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            Level::Low => K::RiskLevelLow,
            Level::Medium => K::RiskLevelMedium,
            Level::High => K::RiskLevelHigh,
            Level::Critical => K::RiskLevelCritical,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            Level::Low => Tone::Good,
            Level::Medium => Tone::Neutral,
            Level::High => Tone::Warn,
            Level::Critical => Tone::Bad,
        }
    }
    /// CSS class of a heat-map cell or badge of this level.
    pub fn css(self) -> &'static str {
        match self {
            Level::Low => "lvl-low",
            Level::Medium => "lvl-medium",
            Level::High => "lvl-high",
            Level::Critical => "lvl-critical",
        }
    }
    /// High and critical risks are escalated (5.3-d) and may not simply be
    /// accepted (5.2-a: anything above low needs a non-accept strategy or an
    /// executive's approval).
    pub fn escalates(self) -> bool {
        self >= Level::High
    }
}

/// The lowest score of each band above "low" (settings `risk.band_*`, 5.1-c).
/// Scores run 1..=25 (likelihood × impact).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bands {
    pub medium: i64,
    pub high: i64,
    pub critical: i64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands { medium: 5, high: 10, critical: 20 }
    }
}

impl Bands {
    /// From the three settings; values out of order are put in order so that a
    /// band is never empty by accident (medium < high < critical, each 2..=25).
    pub fn new(medium: i64, high: i64, critical: i64) -> Bands {
        let medium = medium.clamp(2, 23);
        let high = high.clamp(medium + 1, 24);
        let critical = critical.clamp(high + 1, 25);
        Bands { medium, high, critical }
    }
    pub fn level(&self, score: i64) -> Level {
        if score >= self.critical {
            Level::Critical
        } else if score >= self.high {
            Level::High
        } else if score >= self.medium {
            Level::Medium
        } else {
            Level::Low
        }
    }
    pub fn level_of(&self, likelihood: i64, impact: i64) -> Level {
        self.level(likelihood * impact)
    }
    /// The score range [from, to) of a level, for SQL filters on `*_score`.
    pub fn range(&self, level: Level) -> (i64, i64) {
        match level {
            Level::Low => (1, self.medium),
            Level::Medium => (self.medium, self.high),
            Level::High => (self.high, self.critical),
            Level::Critical => (self.critical, 26),
        }
    }
}

/// Written definitions of the matrix's likelihood levels 1..=5 (5.1-c).
pub const LIKELIHOOD_KEYS: [K; 5] = [K::RiskLikelihood1, K::RiskLikelihood2, K::RiskLikelihood3, K::RiskLikelihood4, K::RiskLikelihood5];
/// Written definitions of the matrix's impact levels 1..=5 (5.1-c).
pub const IMPACT_KEYS: [K; 5] = [K::RiskImpact1, K::RiskImpact2, K::RiskImpact3, K::RiskImpact4, K::RiskImpact5];

/// The register's life cycle (5.1-d).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RiskStatus {
    Identified,
    Assessed,
    Responding,
    Monitoring,
    Closed,
}

impl RiskStatus {
    pub const ALL: [RiskStatus; 5] =
        [RiskStatus::Identified, RiskStatus::Assessed, RiskStatus::Responding, RiskStatus::Monitoring, RiskStatus::Closed];
    pub fn code(self) -> &'static str {
        match self {
            RiskStatus::Identified => "identified",
            RiskStatus::Assessed => "assessed",
            RiskStatus::Responding => "responding",
            RiskStatus::Monitoring => "monitoring",
            RiskStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<RiskStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            RiskStatus::Identified => K::RiskStatusIdentified,
            RiskStatus::Assessed => K::RiskStatusAssessed,
            RiskStatus::Responding => K::RiskStatusResponding,
            RiskStatus::Monitoring => K::RiskStatusMonitoring,
            RiskStatus::Closed => K::RiskStatusClosed,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            RiskStatus::Identified => Tone::Warn,
            RiskStatus::Assessed | RiskStatus::Responding => Tone::Neutral,
            RiskStatus::Monitoring => Tone::Good,
            RiskStatus::Closed => Tone::Neutral,
        }
    }
}

/// Response strategy (5.2-a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    Accept,
    Avoid,
    Reduce,
    Transfer,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [Strategy::Accept, Strategy::Avoid, Strategy::Reduce, Strategy::Transfer];
    pub fn code(self) -> &'static str {
        match self {
            Strategy::Accept => "accept",
            Strategy::Avoid => "avoid",
            Strategy::Reduce => "reduce",
            Strategy::Transfer => "transfer",
        }
    }
    pub fn parse(s: &str) -> Option<Strategy> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            Strategy::Accept => K::RiskStrategyAccept,
            Strategy::Avoid => K::RiskStrategyAvoid,
            Strategy::Reduce => K::RiskStrategyReduce,
            Strategy::Transfer => K::RiskStrategyTransfer,
        }
    }
}

/// Inherent (before measures) or residual (after) assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AssessmentKind {
    Inherent,
    Residual,
}

impl AssessmentKind {
    pub fn code(self) -> &'static str {
        match self {
            AssessmentKind::Inherent => "inherent",
            AssessmentKind::Residual => "residual",
        }
    }
    pub fn parse(s: &str) -> Option<AssessmentKind> {
        match s {
            "inherent" => Some(AssessmentKind::Inherent),
            "residual" => Some(AssessmentKind::Residual),
            _ => None,
        }
    }
    pub fn key(self) -> K {
        match self {
            AssessmentKind::Inherent => K::RiskInherent,
            AssessmentKind::Residual => K::RiskResidual,
        }
    }
}

/// One cell of a heat map: how many risks sit at (likelihood, impact).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub likelihood: i64,
    pub impact: i64,
    pub count: i64,
}

/// A 5×5 heat map: counts per cell, with the bands that colour it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatMapData {
    pub kind: AssessmentKind,
    pub bands: Bands,
    pub cells: Vec<Cell>,
}

impl HeatMapData {
    pub fn count(&self, likelihood: i64, impact: i64) -> i64 {
        self.cells.iter().find(|c| c.likelihood == likelihood && c.impact == impact).map(|c| c.count).unwrap_or(0)
    }
    pub fn total(&self) -> i64 {
        self.cells.iter().map(|c| c.count).sum()
    }
    /// Risks per level.
    pub fn by_level(&self, level: Level) -> i64 {
        self.cells.iter().filter(|c| self.bands.level_of(c.likelihood, c.impact) == level).map(|c| c.count).sum()
    }
}

/// What the viewer may do with risks in general (a risk's own rights come
/// from `RiskAccess`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRights {
    /// Sees every department's risks: executives, admins and the risk department.
    pub company_wide: bool,
    /// Runs rounds, indicators and warning reports: the risk department and executives.
    pub risk_office: bool,
    /// Approves accepted risks above low (5.2-a): executives.
    pub approves_acceptance: bool,
}

/// What a viewer may do with one risk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskAccess {
    pub see: bool,
    /// Edit, assess, set the strategy, add measures: the owner, the department's
    /// manager, the risk department and executives.
    pub edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_bands() {
        let b = Bands::default();
        // 5×5 matrix with the default bands: 1-4 low, 5-9 medium, 10-19 high, 20-25 critical.
        assert_eq!(b.level_of(1, 1), Level::Low);
        assert_eq!(b.level_of(2, 2), Level::Low);
        assert_eq!(b.level_of(1, 5), Level::Medium);
        assert_eq!(b.level_of(3, 3), Level::Medium);
        assert_eq!(b.level_of(2, 5), Level::High);
        assert_eq!(b.level_of(4, 4), Level::High);
        assert_eq!(b.level_of(4, 5), Level::Critical);
        assert_eq!(b.level_of(5, 5), Level::Critical);
        assert_eq!(b.range(Level::High), (10, 20));
        // An admin's stricter bands.
        let s = Bands::new(4, 8, 15);
        assert_eq!(s.level_of(3, 5), Level::Critical);
        assert_eq!(s.level_of(2, 4), Level::High);
        assert_eq!(s.level_of(2, 2), Level::Medium);
        // Out of order settings never leave a band empty.
        let w = Bands::new(12, 6, 3);
        assert!(w.medium < w.high && w.high < w.critical && w.critical <= 25);
        assert!(Level::High.escalates() && Level::Critical.escalates() && !Level::Medium.escalates());
    }

    #[test]
    fn heat_map_counts() {
        let h = HeatMapData {
            kind: AssessmentKind::Inherent,
            bands: Bands::default(),
            cells: vec![Cell { likelihood: 5, impact: 5, count: 2 }, Cell { likelihood: 1, impact: 2, count: 3 }],
        };
        assert_eq!(h.count(5, 5), 2);
        assert_eq!(h.count(3, 3), 0);
        assert_eq!(h.total(), 5);
        assert_eq!(h.by_level(Level::Critical), 2);
        assert_eq!(h.by_level(Level::Low), 3);
    }
}
