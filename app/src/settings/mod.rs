//! Configurable values the regulation leaves to the company (limits, periods,
//! which departments review and receive contracts). Each setting is declared
//! once here with its type, default and label; admins change them at
//! /admin/settings, every change audited.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::core::i18n::K;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A whole number between min and max.
    Int { min: i64, max: i64 },
    /// Comma-separated department codes.
    Departments,
}

#[derive(Clone, Copy, Debug)]
pub struct Def {
    pub key: &'static str,
    pub label: K,
    pub help: K,
    /// The clause the setting belongs to.
    pub clause: &'static str,
    pub kind: Kind,
    pub default: &'static str,
}

pub const VISIT_DAYS: &str = "sales.visit_days";
pub const DISCOUNT_LIMIT_PCT: &str = "sales.discount_limit_pct";
pub const REVIEW_DEPARTMENTS: &str = "sales.review_departments";
pub const DISTRIBUTION_DEPARTMENTS: &str = "sales.distribution_departments";
pub const ACK_WORKING_DAYS: &str = "sales.ack_working_days";
pub const CUSTOMER_UPDATE_DAYS: &str = "sales.customer_update_days";
pub const EXCEPTION_WORKING_DAYS: &str = "sales.exception_working_days";

pub const PLAN_REVIEW_DEPARTMENTS: &str = "projects.plan_review_departments";
pub const MEETING_DAYS: &str = "projects.meeting_days";
pub const EVALUATION_DAYS: &str = "projects.evaluation_days";
pub const SPI_AMBER_PCT: &str = "projects.spi_amber_pct";
pub const SPI_RED_PCT: &str = "projects.spi_red_pct";
pub const CPI_AMBER_PCT: &str = "projects.cpi_amber_pct";
pub const CPI_RED_PCT: &str = "projects.cpi_red_pct";
pub const MILESTONE_RED_DAYS: &str = "projects.milestone_red_days";
pub const UPLOAD_MAX_MB: &str = "projects.upload_max_mb";

pub const RISK_BAND_MEDIUM: &str = "risk.band_medium";
pub const RISK_BAND_HIGH: &str = "risk.band_high";
pub const RISK_BAND_CRITICAL: &str = "risk.band_critical";
pub const CREDIT_APPROVER_DEPARTMENTS: &str = "risk.credit_approver_departments";
pub const PROVISION_CURRENT_PCT: &str = "risk.provision_current_pct";
pub const PROVISION_1_30_PCT: &str = "risk.provision_1_30_pct";
pub const PROVISION_31_60_PCT: &str = "risk.provision_31_60_pct";
pub const PROVISION_61_90_PCT: &str = "risk.provision_61_90_pct";
pub const PROVISION_OVER_90_PCT: &str = "risk.provision_over_90_pct";

pub const DEFS: &[Def] = &[
    Def { key: VISIT_DAYS, label: K::SettingVisitDays, help: K::SettingVisitDaysHelp, clause: "2.2.1-b", kind: Kind::Int { min: 1, max: 3650 }, default: "90" },
    Def { key: DISCOUNT_LIMIT_PCT, label: K::SettingDiscountLimit, help: K::SettingDiscountLimitHelp, clause: "2.2.2-c", kind: Kind::Int { min: 0, max: 100 }, default: "10" },
    Def { key: REVIEW_DEPARTMENTS, label: K::SettingReviewDepartments, help: K::SettingReviewDepartmentsHelp, clause: "2.2.3-c", kind: Kind::Departments, default: "finance,legal,production" },
    Def { key: DISTRIBUTION_DEPARTMENTS, label: K::SettingDistributionDepartments, help: K::SettingDistributionDepartmentsHelp, clause: "2.2.3-e", kind: Kind::Departments, default: "finance,production,logistics" },
    Def { key: ACK_WORKING_DAYS, label: K::SettingAckDays, help: K::SettingAckDaysHelp, clause: "2.2.3-e", kind: Kind::Int { min: 1, max: 60 }, default: "3" },
    Def { key: CUSTOMER_UPDATE_DAYS, label: K::SettingUpdateDays, help: K::SettingUpdateDaysHelp, clause: "2.2.4-b", kind: Kind::Int { min: 1, max: 365 }, default: "14" },
    Def { key: EXCEPTION_WORKING_DAYS, label: K::SettingExceptionDays, help: K::SettingExceptionDaysHelp, clause: "2.2.4-c", kind: Kind::Int { min: 1, max: 60 }, default: "2" },
    Def { key: PLAN_REVIEW_DEPARTMENTS, label: K::SettingPlanReviewDepartments, help: K::SettingPlanReviewDepartmentsHelp, clause: "2.4.1-c", kind: Kind::Departments, default: "pmo,finance" },
    Def { key: MEETING_DAYS, label: K::SettingMeetingDays, help: K::SettingMeetingDaysHelp, clause: "2.4.2-a", kind: Kind::Int { min: 1, max: 90 }, default: "14" },
    Def { key: EVALUATION_DAYS, label: K::SettingEvaluationDays, help: K::SettingEvaluationDaysHelp, clause: "2.4.3-a", kind: Kind::Int { min: 1, max: 365 }, default: "30" },
    Def { key: SPI_AMBER_PCT, label: K::SettingSpiAmber, help: K::SettingSpiAmberHelp, clause: "2.4.3-d", kind: Kind::Int { min: 1, max: 100 }, default: "95" },
    Def { key: SPI_RED_PCT, label: K::SettingSpiRed, help: K::SettingSpiRedHelp, clause: "2.4.3-d", kind: Kind::Int { min: 1, max: 100 }, default: "85" },
    Def { key: CPI_AMBER_PCT, label: K::SettingCpiAmber, help: K::SettingCpiAmberHelp, clause: "2.4.3-d", kind: Kind::Int { min: 1, max: 100 }, default: "95" },
    Def { key: CPI_RED_PCT, label: K::SettingCpiRed, help: K::SettingCpiRedHelp, clause: "2.4.3-d", kind: Kind::Int { min: 1, max: 100 }, default: "85" },
    Def { key: MILESTONE_RED_DAYS, label: K::SettingMilestoneRedDays, help: K::SettingMilestoneRedDaysHelp, clause: "2.4.3-d", kind: Kind::Int { min: 1, max: 365 }, default: "14" },
    Def { key: UPLOAD_MAX_MB, label: K::SettingUploadMaxMb, help: K::SettingUploadMaxMbHelp, clause: "2.4.4-a", kind: Kind::Int { min: 1, max: 50 }, default: "10" },
    Def { key: RISK_BAND_MEDIUM, label: K::SettingRiskBandMedium, help: K::SettingRiskBandMediumHelp, clause: "5.1-c", kind: Kind::Int { min: 2, max: 23 }, default: "5" },
    Def { key: RISK_BAND_HIGH, label: K::SettingRiskBandHigh, help: K::SettingRiskBandHighHelp, clause: "5.1-c", kind: Kind::Int { min: 3, max: 24 }, default: "10" },
    Def { key: RISK_BAND_CRITICAL, label: K::SettingRiskBandCritical, help: K::SettingRiskBandCriticalHelp, clause: "5.1-c", kind: Kind::Int { min: 4, max: 25 }, default: "20" },
    Def { key: CREDIT_APPROVER_DEPARTMENTS, label: K::SettingCreditApprovers, help: K::SettingCreditApproversHelp, clause: "5.2-c", kind: Kind::Departments, default: "risk,finance" },
    Def { key: PROVISION_CURRENT_PCT, label: K::SettingProvisionCurrent, help: K::SettingProvisionHelp, clause: "5.2-c", kind: Kind::Int { min: 0, max: 100 }, default: "0" },
    Def { key: PROVISION_1_30_PCT, label: K::SettingProvision130, help: K::SettingProvisionHelp, clause: "5.2-c", kind: Kind::Int { min: 0, max: 100 }, default: "2" },
    Def { key: PROVISION_31_60_PCT, label: K::SettingProvision3160, help: K::SettingProvisionHelp, clause: "5.2-c", kind: Kind::Int { min: 0, max: 100 }, default: "10" },
    Def { key: PROVISION_61_90_PCT, label: K::SettingProvision6190, help: K::SettingProvisionHelp, clause: "5.2-c", kind: Kind::Int { min: 0, max: 100 }, default: "30" },
    Def { key: PROVISION_OVER_90_PCT, label: K::SettingProvisionOver90, help: K::SettingProvisionHelp, clause: "5.2-c", kind: Kind::Int { min: 0, max: 100 }, default: "60" },
];

pub fn def(key: &str) -> Option<&'static Def> {
    DEFS.iter().find(|d| d.key == key)
}

/// A setting as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingView {
    pub key: String,
    pub value: String,
    /// 0 when the default is in force (nothing stored yet).
    pub version: i64,
}

/// Checks a submitted value against the setting's kind; returns it normalised.
/// `known_departments` are the valid department codes.
pub fn normalise(def: &Def, input: &str, known_departments: &[String]) -> Result<String, K> {
    let input = input.trim();
    match def.kind {
        Kind::Int { min, max } => match input.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(K::ValOutOfRange),
        },
        Kind::Departments => {
            let mut codes: Vec<String> = Vec::new();
            for c in input.split([',', '，', ' ']).map(str::trim).filter(|c| !c.is_empty()) {
                if !known_departments.iter().any(|k| k == c) {
                    return Err(K::ValInvalid);
                }
                if !codes.iter().any(|x| x == c) {
                    codes.push(c.to_string());
                }
            }
            if codes.is_empty() {
                return Err(K::ValRequired);
            }
            Ok(codes.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_normalised() {
        let depts = vec!["finance".to_string(), "legal".to_string()];
        let days = def(VISIT_DAYS).expect("visit days");
        assert_eq!(normalise(days, " 30 ", &depts), Ok("30".into()));
        assert_eq!(normalise(days, "0", &depts), Err(K::ValOutOfRange));
        assert_eq!(normalise(days, "abc", &depts), Err(K::ValOutOfRange));
        let rev = def(REVIEW_DEPARTMENTS).expect("review");
        assert_eq!(normalise(rev, "finance, legal,finance", &depts), Ok("finance,legal".into()));
        assert_eq!(normalise(rev, "finance,marketingx", &depts), Err(K::ValInvalid));
        assert_eq!(normalise(rev, " ", &depts), Err(K::ValRequired));
        for d in DEFS {
            assert!(normalise(d, d.default, &["finance", "legal", "production", "logistics", "pmo", "risk"].map(String::from)).is_ok(), "{}", d.key);
        }
    }
}
