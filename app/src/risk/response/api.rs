//! Server functions of the response part (5.2-a/b/d/e). Each: authenticate,
//! authorise on the risk (`risk::store::head_tx` + `RiskAccess`, executives for
//! approvals), validate, one transaction with its audit entry.
use super::model::*;
use crate::core::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::core::auth::{actor, current_user, db, respond},
    crate::core::db::Db,
    crate::core::error::Checks,
    crate::core::i18n::K,
    crate::core::perm::Viewer,
    crate::core::time::company_today,
    crate::risk::model::Strategy,
    crate::risk::store::{RiskHead, department_code, head, head_tx, rights},
    chrono::{NaiveDate, Utc},
};

#[cfg(feature = "ssr")]
fn conflict(h: &RiskHead) -> AppError {
    AppError::Conflict {
        current: serde_json::json!({"status": h.status, "strategy": h.strategy, "acceptance_status": h.acceptance_status, "version": h.version}),
    }
}

/// The response panel of a risk: strategy, acceptance, measures, reviews.
#[server(endpoint = "risk/response_view")]
pub async fn risk_response(risk_id: i64) -> Result<ResponseView, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let (h, access) = head(&db, &viewer, risk_id).await?.ok_or(AppError::NotFound)?;
        let code = department_code(&db, viewer.department_id).await?;
        let r = rights(&viewer, &code);
        let bands = crate::risk::store::bands(&db).await?;
        let (strategy_note, by_name, at, acc_note) = store::acceptance_details(&db, risk_id).await?;
        let acceptance = h.acceptance_status.as_deref().and_then(AcceptanceStatus::parse);
        Ok(ResponseView {
            risk_id,
            number: h.number.clone(),
            status: h.status.clone(),
            version: h.version,
            owner_id: h.owner_id,
            current_score: h.current_score,
            level: h.current_score.map(|s| bands.level(s)),
            residual_likelihood: h.residual_likelihood,
            residual_impact: h.residual_impact,
            strategy: h.strategy.as_deref().and_then(Strategy::parse),
            strategy_note,
            acceptance,
            acceptance_by_name: by_name,
            acceptance_at: at,
            acceptance_note: acc_note,
            measures: store::measures(&db, risk_id).await?,
            reviews: store::reviews(&db, risk_id).await?,
            people: if access.edit { store::people(&db).await? } else { vec![] },
            can_edit: access.edit,
            can_decide: r.approves_acceptance && acceptance == Some(AcceptanceStatus::Pending),
            viewer_id: viewer.user_id,
            today: company_today(Utc::now()),
            time_zone: user.time_zone.clone(),
        })
    })
    .await
}

/// 5.2-a: sets the strategy (accept / avoid / reduce / transfer) with a note.
#[server(endpoint = "risk/set_strategy")]
pub async fn set_risk_strategy(risk_id: i64, version: i64, strategy: String, note: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let now = Utc::now();
        let mut c = Checks::new();
        let s = Strategy::parse(&strategy);
        if s.is_none() {
            c.add("strategy", K::ValRequired);
        }
        c.max_len("note", &note, 2000);
        let mut tx = db.begin().await?;
        let (h, access) = head_tx(&mut tx, &user.viewer(), risk_id).await?.ok_or(AppError::NotFound)?;
        if !access.edit {
            return Err(AppError::Forbidden);
        }
        if h.status == "closed" {
            c.add("strategy", K::RiskRespClosed);
        }
        c.finish()?;
        if h.version != version {
            return Err(conflict(&h));
        }
        if !store::set_strategy(&mut tx, &who, &h, s.unwrap_or(Strategy::Reduce), note.trim(), now).await? {
            return Err(conflict(&h));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 5.2-a: an executive approves or rejects a pending acceptance with a note
/// (`decision` = approve / reject).
#[server(endpoint = "risk/decide_acceptance")]
pub async fn decide_risk_acceptance(risk_id: i64, version: i64, decision: String, decision_note: String) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let who = actor(&user)?;
        let viewer = user.viewer();
        let code = department_code(&db, viewer.department_id).await?;
        if !rights(&viewer, &code).approves_acceptance {
            return Err(AppError::Forbidden);
        }
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::field("decision", K::ValInvalid)),
        };
        let mut c = Checks::new();
        if !approve {
            // A rejection says why.
            c.require("decision_note", &decision_note);
        }
        c.max_len("decision_note", &decision_note, 2000);
        c.finish()?;
        let mut tx = db.begin().await?;
        let (h, _) = head_tx(&mut tx, &viewer, risk_id).await?.ok_or(AppError::NotFound)?;
        if h.acceptance_status.as_deref() != Some(AcceptanceStatus::Pending.code()) {
            return Err(AppError::field("decision", K::RiskRespNotPending));
        }
        if h.version != version || !store::decide_acceptance(&mut tx, &who, &h, approve, decision_note.trim(), Utc::now()).await? {
            return Err(conflict(&h));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Validates a measure's fields; links must point at something that exists
/// and that the viewer may see (5.2-b/d).
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn check_measure(
    db: &Db,
    viewer: &Viewer,
    action: &str,
    owner_id: &str,
    due_on: &str,
    status: &str,
    link_kind: &str,
    link_ref: &str,
) -> Result<store::MeasureInput, AppError> {
    let mut c = Checks::new();
    c.require("action", action);
    c.max_len("action", action, 500);
    let owner = owner_id.trim().parse::<i64>().ok();
    if owner.is_none() {
        c.add("owner_id", K::ValRequired);
    }
    let due = NaiveDate::parse_from_str(due_on.trim(), "%Y-%m-%d").ok();
    if due_on.trim().is_empty() {
        c.add("due_on", K::ValRequired);
    } else if due.is_none() {
        c.add("due_on", K::ValInvalid);
    }
    let st = MeasureStatus::parse(status);
    if st.is_none() {
        c.add("status", K::ValInvalid);
    }
    let reference = link_ref.trim();
    let link = if link_kind.is_empty() {
        None
    } else {
        match LinkKind::parse(link_kind) {
            None => {
                c.add("link_kind", K::ValInvalid);
                None
            }
            Some(k) if reference.is_empty() => {
                c.add("link_ref", K::ValRequired);
                Some((k, String::new()))
            }
            Some(k) => {
                let ok = match k {
                    LinkKind::Rule => crate::regulation::model::find(reference).is_some(),
                    LinkKind::Url => reference.len() <= 500 && valid_url(reference),
                    LinkKind::Project => match reference.parse::<i64>() {
                        Ok(id) => crate::projects::store::head(db, viewer, id).await?.is_some(),
                        Err(_) => false,
                    },
                    LinkKind::Contract => match reference.parse::<i64>() {
                        Ok(id) => crate::sales::contracts::store::visible(db, viewer, id).await?,
                        Err(_) => false,
                    },
                    LinkKind::Customer => match reference.parse::<i64>() {
                        Ok(id) => crate::sales::customers::store::visible(db, viewer, id).await?,
                        Err(_) => false,
                    },
                };
                if !ok {
                    c.add(
                        "link_ref",
                        match k {
                            LinkKind::Rule => K::RiskRespLinkNoClause,
                            LinkKind::Url => K::RiskRespLinkBadUrl,
                            _ => K::RiskRespLinkNotFound,
                        },
                    );
                }
                Some((k, reference.to_string()))
            }
        }
    };
    c.finish()?;
    Ok(store::MeasureInput {
        action: action.trim().to_string(),
        owner_id: owner.unwrap_or_default(),
        due_on: due.unwrap_or_default(),
        status: st.unwrap_or(MeasureStatus::Planned),
        link,
    })
}

/// 5.2-b/d/e: adds a measure to a risk (those who may edit the risk).
#[server(endpoint = "risk/add_measure")]
pub async fn add_risk_measure(
    risk_id: i64,
    action: String,
    owner_id: String,
    due_on: String,
    link_kind: String,
    link_ref: String,
) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let (h, access) = head(&db, &viewer, risk_id).await?.ok_or(AppError::NotFound)?;
        if !access.edit {
            return Err(AppError::Forbidden);
        }
        if h.status == "closed" {
            return Err(AppError::field("action", K::RiskRespClosed));
        }
        let owner = if owner_id.trim().is_empty() { h.owner_id.to_string() } else { owner_id };
        let m = check_measure(&db, &viewer, &action, &owner, &due_on, "planned", &link_kind, &link_ref).await?;
        let mut tx = db.begin().await?;
        if !store::active_user_tx(&mut tx, m.owner_id).await? {
            return Err(AppError::field("owner_id", K::ValInvalid));
        }
        let id = store::insert_measure(&mut tx, &actor(&user)?, h.id, &m, Utc::now()).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Changes a measure: everything (those who may edit the risk), or only its
/// status (also its owner).
#[server(endpoint = "risk/update_measure")]
#[allow(clippy::too_many_arguments)]
pub async fn update_risk_measure(
    id: i64,
    version: i64,
    status: String,
    action: Option<String>,
    owner_id: Option<String>,
    due_on: Option<String>,
    link_kind: Option<String>,
    link_ref: Option<String>,
) -> Result<(), AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let risk_id: Option<(i64,)> = db.read().fetch_optional("SELECT risk_id FROM risk_measures WHERE id = $1", crate::args![id]).await?;
        let (risk_id,) = risk_id.ok_or(AppError::NotFound)?;
        let (_, access) = head(&db, &viewer, risk_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = db.begin().await?;
        let old = store::measure_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let full = action.is_some();
        if !(access.edit || (!full && old.owner_id == viewer.user_id)) {
            return Err(AppError::Forbidden);
        }
        let m = if full {
            let kind = link_kind.unwrap_or_default();
            check_measure(
                &db,
                &viewer,
                action.as_deref().unwrap_or(""),
                owner_id.as_deref().unwrap_or(""),
                due_on.as_deref().unwrap_or(""),
                &status,
                &kind,
                link_ref.as_deref().unwrap_or(""),
            )
            .await?
        } else {
            let st = MeasureStatus::parse(&status).ok_or_else(|| AppError::field("status", K::ValInvalid))?;
            store::MeasureInput {
                action: old.action.clone(),
                owner_id: old.owner_id,
                due_on: old.due_on,
                status: st,
                link: old.link(),
            }
        };
        if m.owner_id != old.owner_id && !store::active_user_tx(&mut tx, m.owner_id).await? {
            return Err(AppError::field("owner_id", K::ValInvalid));
        }
        if old.version != version || !store::update_measure(&mut tx, &actor(&user)?, &old, &m, Utc::now()).await? {
            return Err(AppError::Conflict {
                current: serde_json::json!({"action": old.action, "status": old.status, "due_on": old.due_on.to_string(), "version": old.version}),
            });
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// 5.2-e: an effectiveness review re-scores the residual risk.
#[server(endpoint = "risk/add_review")]
pub async fn add_risk_review(
    risk_id: i64,
    version: i64,
    measure_id: String,
    effectiveness: String,
    comments: String,
    likelihood: String,
    impact: String,
) -> Result<i64, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let mut c = Checks::new();
        let eff = Effectiveness::parse(&effectiveness);
        if eff.is_none() {
            c.add("effectiveness", K::ValRequired);
        }
        c.require("comments", &comments);
        c.max_len("comments", &comments, 2000);
        let l = likelihood.trim().parse::<i64>().ok().filter(|v| (1..=5).contains(v));
        if l.is_none() {
            c.add("likelihood", K::RiskRespOneToFive);
        }
        let i = impact.trim().parse::<i64>().ok().filter(|v| (1..=5).contains(v));
        if i.is_none() {
            c.add("impact", K::RiskRespOneToFive);
        }
        let mut tx = db.begin().await?;
        let (h, access) = head_tx(&mut tx, &viewer, risk_id).await?.ok_or(AppError::NotFound)?;
        if !access.edit {
            return Err(AppError::Forbidden);
        }
        let measure = if measure_id.trim().is_empty() {
            None
        } else {
            let m = measure_id.trim().parse::<i64>().ok();
            let ok = match m {
                Some(m) => store::measure_tx(&mut tx, m).await?.is_some_and(|x| x.risk_id == risk_id),
                None => false,
            };
            if !ok {
                c.add("measure_id", K::ValInvalid);
            }
            m
        };
        if h.status == "closed" {
            c.add("effectiveness", K::RiskRespClosed);
        }
        c.finish()?;
        if h.version != version {
            return Err(conflict(&h));
        }
        let input = store::ReviewInput {
            measure_id: measure,
            effectiveness: eff.unwrap_or(Effectiveness::Partial),
            comments: comments.trim().to_string(),
            likelihood: l.unwrap_or(1),
            impact: i.unwrap_or(1),
        };
        let id = store::insert_review(&mut tx, &actor(&user)?, &h, &input, Utc::now()).await?.ok_or_else(|| conflict(&h))?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// The measures page (/risks/measures).
#[server(endpoint = "risk/measures")]
pub async fn risk_measures(reach: String, filter: String, after: String) -> Result<MeasuresList, AppError> {
    respond(async move {
        let user = current_user()?;
        let db = db()?;
        let viewer = user.viewer();
        let code = department_code(&db, viewer.department_id).await?;
        let mut reaches = vec![MeasureReach::Mine];
        if viewer.role == crate::core::perm::Role::Manager || rights(&viewer, &code).company_wide {
            reaches.push(MeasureReach::Department);
        }
        if rights(&viewer, &code).company_wide {
            reaches.push(MeasureReach::All);
        }
        let widest = *reaches.last().unwrap_or(&MeasureReach::Mine);
        let reach = MeasureReach::parse(&reach).filter(|r| reaches.contains(r)).unwrap_or(widest);
        let filter = MeasureFilter::parse(&filter);
        let today = company_today(Utc::now());
        let after = (!after.is_empty()).then_some(after.as_str());
        let page = store::measure_list(&db, &viewer, reach, filter, today, after).await?;
        Ok(MeasuresList { page, reach, reaches, filter, today })
    })
    .await
}
