//! The SQL every part of the risk module shares: who may see which risks, a
//! risk's header with the viewer's access, the level bands in force, and
//! escalation (5.3-d) with the linked project's warning (2.4.3-d).
use super::model::{Bands, Level, RISK_DEPARTMENT, RiskAccess, RiskRights};
use crate::args;
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::i18n::K;
use crate::core::perm::{Role, Viewer};
use crate::inbox::store::NewItem;
use crate::settings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::projects::store::{department_code, department_code_tx};

pub fn rights(viewer: &Viewer, dept_code: &str) -> RiskRights {
    let exec = viewer.role.sees_everything();
    let risk_dept = dept_code == RISK_DEPARTMENT;
    RiskRights {
        company_wide: exec || risk_dept,
        risk_office: risk_dept || viewer.role == Role::Executive,
        approves_acceptance: viewer.role == Role::Executive,
    }
}

/// A SQL condition over `risks` aliased `r` keeping the risks the viewer may
/// see: executives, admins and the risk department see all; managers and staff
/// their department's risks, and anyone the risks they own or hold a measure
/// of, and the manager and leader of a project the risks of that project
/// (2.4.1-b). `first` is the number of the first `$N` placeholder to use.
///
/// The measure and project parts are lists computed once per query (`IN`, not a
/// correlated `EXISTS`), so the rest is decided from the covering indexes' columns
/// and the row id: at 50,000 risks a manager's grouped count fell from 103 ms to
/// 6 ms on SQLite (docs/performance.md).
pub fn scope(viewer: &Viewer, dept_code: &str, first: usize) -> (String, Vec<Arg>) {
    if rights(viewer, dept_code).company_wide {
        return ("1 = 1".into(), vec![]);
    }
    let (u, d) = (first, first + 1);
    (
        format!(
            "(r.department_id = ${d} OR r.owner_id = ${u} OR r.id IN (SELECT rm_.risk_id FROM risk_measures rm_ WHERE rm_.owner_id = ${u}) \
             OR r.id IN (SELECT pr_.id FROM risks pr_ JOIN projects p_ ON p_.id = pr_.project_id WHERE p_.manager_id = ${u} OR p_.sponsor_id = ${u}))"
        ),
        vec![Arg::from(viewer.user_id), Arg::from(viewer.department_id)],
    )
}

/// What the viewer may do with a risk of `department_id` owned by `owner_id`.
/// `holds_measure`: the viewer owns one of its measures, or manages or leads its
/// project (sees it).
pub fn access(viewer: &Viewer, dept_code: &str, owner_id: i64, department_id: i64, holds_measure: bool) -> RiskAccess {
    let r = rights(viewer, dept_code);
    let own_dept = viewer.department_id == department_id;
    let edit = r.company_wide && viewer.role != Role::Admin
        || viewer.user_id == owner_id
        || (viewer.role == Role::Manager && own_dept);
    RiskAccess { see: r.company_wide || own_dept || viewer.user_id == owner_id || holds_measure, edit }
}

/// A risk's header: what every part's page and server function checks first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RiskHead {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub status: String,
    pub category_id: i64,
    pub department_id: i64,
    pub owner_id: i64,
    pub project_id: Option<i64>,
    pub inherent_likelihood: Option<i64>,
    pub inherent_impact: Option<i64>,
    pub residual_likelihood: Option<i64>,
    pub residual_impact: Option<i64>,
    pub current_score: Option<i64>,
    pub strategy: Option<String>,
    pub acceptance_status: Option<String>,
    pub version: i64,
}

const HEAD: &str = "SELECT id, number, name, status, category_id, department_id, owner_id, project_id, inherent_likelihood, \
    inherent_impact, residual_likelihood, residual_impact, current_score, strategy, acceptance_status, version \
    FROM risks WHERE id = $1";

const HOLDS: &str = "SELECT (SELECT COUNT(*) FROM risk_measures WHERE risk_id = $1 AND owner_id = $2) \
    + (SELECT COUNT(*) FROM risks r JOIN projects p ON p.id = r.project_id WHERE r.id = $1 AND (p.manager_id = $2 OR p.sponsor_id = $2))";

/// The risk and the viewer's access; `None` when it does not exist or the
/// viewer may not see it (callers answer "not found" either way).
pub async fn head(db: &Db, viewer: &Viewer, id: i64) -> DbResult<Option<(RiskHead, RiskAccess)>> {
    let Some(h) = db.read().fetch_optional::<RiskHead>(HEAD, args![id]).await? else { return Ok(None) };
    let code = department_code(db, viewer.department_id).await?;
    let holds: i64 = db.read().scalar(HOLDS, args![id, viewer.user_id]).await?;
    let a = access(viewer, &code, h.owner_id, h.department_id, holds > 0);
    Ok(a.see.then_some((h, a)))
}

/// As `head`, inside a write transaction.
pub async fn head_tx(tx: &mut Tx, viewer: &Viewer, id: i64) -> DbResult<Option<(RiskHead, RiskAccess)>> {
    let Some(h) = tx.fetch_optional::<RiskHead>(HEAD, args![id]).await? else { return Ok(None) };
    let code = department_code_tx(tx, viewer.department_id).await?;
    let holds: i64 = tx.scalar(HOLDS, args![id, viewer.user_id]).await?;
    let a = access(viewer, &code, h.owner_id, h.department_id, holds > 0);
    Ok(a.see.then_some((h, a)))
}

/// The level bands in force (settings `risk.band_*`, 5.1-c).
pub async fn bands(db: &Db) -> DbResult<Bands> {
    Ok(Bands::new(
        settings::store::int(db, settings::RISK_BAND_MEDIUM).await?,
        settings::store::int(db, settings::RISK_BAND_HIGH).await?,
        settings::store::int(db, settings::RISK_BAND_CRITICAL).await?,
    ))
}

pub async fn bands_tx(tx: &mut Tx) -> DbResult<Bands> {
    Ok(Bands::new(
        settings::store::int_tx(tx, settings::RISK_BAND_MEDIUM).await?,
        settings::store::int_tx(tx, settings::RISK_BAND_HIGH).await?,
        settings::store::int_tx(tx, settings::RISK_BAND_CRITICAL).await?,
    ))
}

/// The person a risk owner's escalations go to (5.3-d): their supervisor; else
/// their department's manager (someone else); else the first executive.
pub async fn leader_of(tx: &mut Tx, user_id: i64) -> DbResult<Option<i64>> {
    let sup: Option<(Option<i64>, i64)> =
        tx.fetch_optional("SELECT supervisor_id, department_id FROM users WHERE id = $1", args![user_id]).await?;
    let Some((sup, dept)) = sup else { return Ok(None) };
    if let Some(s) = sup {
        return Ok(Some(s));
    }
    let mgr: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT id FROM users WHERE department_id = $1 AND role = 'manager' AND active = $2 AND id <> $3 ORDER BY id LIMIT 1",
            args![dept, true, user_id],
        )
        .await?;
    if let Some((m,)) = mgr {
        return Ok(Some(m));
    }
    let exec: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT id FROM users WHERE role = 'executive' AND active = $1 AND id <> $2 ORDER BY id LIMIT 1",
            args![true, user_id],
        )
        .await?;
    Ok(exec.map(|e| e.0))
}

/// Why a risk is escalated (5.3-d).
#[derive(Clone, Debug)]
pub enum Reason {
    /// Its level rose to high or critical.
    LevelRise { from: Option<Level>, to: Level },
    /// A key risk indicator bound to it breached its threshold; `detail` says
    /// which and by how much (shown as is).
    IndicatorBreach { indicator_id: i64, detail: String },
}

/// Escalates a risk to its owner's leader at once (5.3-d): an escalation
/// record and a notification in the leader's My work. Returns the record's
/// id, or `None` when the owner has no leader to tell.
pub async fn escalate(tx: &mut Tx, risk_id: i64, reason: Reason, now: DateTime<Utc>) -> DbResult<Option<i64>> {
    let r: (String, String, i64) =
        tx.fetch_one("SELECT number, name, owner_id FROM risks WHERE id = $1", args![risk_id]).await?;
    let Some(leader) = leader_of(tx, r.2).await? else { return Ok(None) };
    let (code, from, to, kri, detail, title) = match &reason {
        Reason::LevelRise { from, to } => (
            "level_rise",
            from.map(|l| l.code().to_string()),
            Some(to.code().to_string()),
            None,
            String::new(),
            if *to == Level::Critical { K::RiskEscalatedCritical } else { K::RiskEscalatedHigh },
        ),
        Reason::IndicatorBreach { indicator_id, detail } => {
            ("kri_breach", None, None, Some(*indicator_id), detail.clone(), K::RiskEscalatedIndicator)
        }
    };
    let id: i64 = tx
        .scalar(
            "INSERT INTO risk_escalations (risk_id, kri_id, reason, from_level, to_level, detail, escalated_to, escalated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            args![risk_id, kri, code, from.clone(), to.clone(), detail.clone(), leader, now],
        )
        .await?;
    let mut params = vec![("number".to_string(), r.0.clone()), ("name".to_string(), r.1.clone())];
    if !detail.is_empty() {
        params.push(("detail".into(), detail));
    }
    crate::inbox::store::insert(
        tx,
        NewItem {
            user_id: Some(leader),
            department_id: None,
            kind: "notification",
            title,
            params,
            link: format!("/risks/{risk_id}"),
            due_at: None,
            source_entity: "risk_escalation",
            source_id: Some(id),
        },
        None,
        now,
    )
    .await?;
    Ok(Some(id))
}

/// Call after any change of a risk's current score (assessment, effectiveness
/// review, band change excepted): when the level rises to high or critical the
/// risk is escalated (5.3-d), and the managers and leaders of projects whose
/// plan links the risk are warned (2.4.3-d).
pub async fn score_changed(
    tx: &mut Tx,
    risk_id: i64,
    old_score: Option<i64>,
    new_score: Option<i64>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let bands = bands_tx(tx).await?;
    let from = old_score.map(|s| bands.level(s));
    let Some(to) = new_score.map(|s| bands.level(s)) else { return Ok(()) };
    if !to.escalates() || from.is_some_and(|f| f >= to) {
        return Ok(());
    }
    escalate(tx, risk_id, Reason::LevelRise { from, to }, now).await?;
    // 2.4.3-d: projects whose plan names this risk.
    let projects: Vec<(i64, String, String, i64, i64)> = tx
        .fetch_all(
            "SELECT p.id, p.number, p.name, p.manager_id, p.sponsor_id FROM projects p WHERE p.status IN ('initiating', 'plan_review', 'executing', 'acceptance') \
             AND (p.id = (SELECT project_id FROM risks WHERE id = $1) OR EXISTS (SELECT 1 FROM project_risks pr WHERE pr.project_id = p.id AND pr.risk_id = $1))",
            args![risk_id],
        )
        .await?;
    let (number, name): (String, String) = tx.fetch_one("SELECT number, name FROM risks WHERE id = $1", args![risk_id]).await?;
    for (pid, pnum, pname, manager, sponsor) in projects {
        let mut to_users = vec![manager];
        if sponsor != manager {
            to_users.push(sponsor);
        }
        for u in to_users {
            crate::inbox::store::insert(
                tx,
                NewItem {
                    user_id: Some(u),
                    department_id: None,
                    kind: "notification",
                    title: if to == Level::Critical { K::RiskProjectLinkedCritical } else { K::RiskProjectLinkedHigh },
                    params: vec![
                        ("project".into(), format!("{pnum} {pname}")),
                        ("number".into(), number.clone()),
                        ("name".into(), name.clone()),
                    ],
                    link: format!("/projects/{pid}/monitoring"),
                    due_at: None,
                    source_entity: "risk",
                    source_id: Some(risk_id),
                },
                None,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// Filters of the heat maps and the register's counts (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HeatFilter {
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
}

/// The heat map of open (not closed) risks the viewer may see (5.1-c): counts
/// per (likelihood, impact) of the inherent or residual assessment. Risks not
/// yet assessed that way are not on it.
pub async fn heat_map(
    db: &Db,
    viewer: &Viewer,
    kind: super::model::AssessmentKind,
    filter: &HeatFilter,
) -> DbResult<super::model::HeatMapData> {
    use super::model::{AssessmentKind, Cell, HeatMapData};
    let code = department_code(db, viewer.department_id).await?;
    let (l, i) = match kind {
        AssessmentKind::Inherent => ("r.inherent_likelihood", "r.inherent_impact"),
        AssessmentKind::Residual => ("r.residual_likelihood", "r.residual_impact"),
    };
    let (vis, mut args) = scope(viewer, &code, 1);
    let mut sql = format!(
        "SELECT {l}, {i}, COUNT(*) FROM risks r WHERE r.status <> 'closed' AND {l} IS NOT NULL AND {i} IS NOT NULL AND {vis}"
    );
    if let Some(d) = filter.department_id {
        args.push(Arg::from(d));
        sql.push_str(&format!(" AND r.department_id = ${}", args.len()));
    }
    if let Some(c) = filter.category_id {
        args.push(Arg::from(c));
        sql.push_str(&format!(" AND r.category_id = ${}", args.len()));
    }
    sql.push_str(&format!(" GROUP BY {l}, {i}"));
    let rows: Vec<(i64, i64, i64)> = db.read().fetch_all(&sql, args).await?;
    Ok(HeatMapData {
        kind,
        bands: bands(db).await?,
        cells: rows.into_iter().map(|(likelihood, impact, count)| Cell { likelihood, impact, count }).collect(),
    })
}
