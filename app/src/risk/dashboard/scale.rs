//! `seed --scale`: generated risks with history (for benchmarks). Risks are
//! spread over the departments that have people, the categories, owners among
//! each department's people, and statuses; each has 2–4 assessments over the
//! last year with a plausible inherent → residual drop (some re-assessments
//! rise again), a strategy (accepting above "low" approved by an executive,
//! 5.2-a), measures for the others (done, in progress, planned, some overdue)
//! and an effectiveness review where a measure re-scored the residual risk
//! (5.2-e); about one in eight is closed. Rows go in multi-row INSERTs, a
//! thousand risks per transaction; then the monthly level statistics are
//! derived from the generated history (`rebuild_history`) and one audit entry
//! records the run.
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db};
use crate::core::error::AppError;
use crate::core::time::company_date;
use crate::risk::model::Bands;
use crate::sales::dashboard::scale::bulk_insert;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// A small deterministic generator (xorshift), so runs are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// Risk names by category code (other categories use the operational ones).
const NAMES: &[(&str, &[&str])] = &[
    ("market", &["原材料价格大幅上涨", "主要客户订单下滑", "竞争对手低价抢单", "汇率波动影响出口利润", "新产品市场接受度低"]),
    ("credit", &["客户回款逾期", "经销商资金链紧张", "大额应收账款集中于少数客户", "新客户资信不明", "担保方履约能力下降"]),
    ("operational", &["关键设备突发故障", "核心供应商交货延迟", "关键岗位人员流失", "信息系统数据丢失", "产品质量批量不合格"]),
    ("legal", &["合同条款存在漏洞", "知识产权侵权纠纷", "环保法规趋严", "劳动用工合规风险", "出口管制合规风险"]),
];
const SOURCES: &[&str] = &["年度风险识别", "内部审计发现", "客户投诉分析", "行业政策变化", "部门例会提出"];
const ACTIONS: &[&str] = &["制定应急预案并演练", "引入备选供应商", "加强合同审核", "增加客户资信调查", "关键岗位设置 AB 角", "购买相关保险", "每月跟踪并通报"];
const CLOSE_REASONS: &[&str] = &["风险已消除", "业务已终止", "措施完成后风险降至可接受水平"];

#[derive(Debug, Default)]
pub struct ScaleCounts {
    pub risks: u64,
    pub assessments: u64,
    pub measures: u64,
    pub reviews: u64,
    pub closed: u64,
}

struct GenAssessment {
    residual: bool,
    l: i64,
    i: i64,
    at: DateTime<Utc>,
    /// Re-scored by an effectiveness review of the risk's first measure.
    reviewed: bool,
}

struct GenMeasure {
    action: &'static str,
    owner: i64,
    due: NaiveDate,
    status: &'static str,
    completed: Option<NaiveDate>,
    created: DateTime<Utc>,
}

struct GenRisk {
    number: String,
    name: String,
    category: i64,
    department: i64,
    owner: i64,
    created: DateTime<Utc>,
    assessments: Vec<GenAssessment>,
    strategy: Option<&'static str>,
    accepted_by: Option<(i64, DateTime<Utc>)>,
    closed: Option<DateTime<Utc>>,
    measures: Vec<GenMeasure>,
    quantified: Option<(i64, i64)>,
}

impl GenRisk {
    fn latest(&self, residual: bool) -> Option<&GenAssessment> {
        self.assessments.iter().rev().find(|a| a.residual == residual)
    }
    fn current_score(&self) -> Option<i64> {
        self.latest(true).or(self.latest(false)).map(|a| a.l * a.i)
    }
}

fn clamp(v: i64) -> i64 {
    v.clamp(1, 5)
}

fn generate(
    rng: &mut Rng,
    k: u64,
    now: DateTime<Utc>,
    depts: &[(i64, Vec<i64>)],
    categories: &[(i64, String)],
    exec: i64,
    bands: &Bands,
) -> GenRisk {
    let (department, people) = rng.pick(depts);
    let owner = *rng.pick(people);
    let (category, code) = rng.pick(categories);
    let names = NAMES.iter().find(|n| n.0 == code).map(|n| n.1).unwrap_or(NAMES[2].1);
    let created = now - Duration::days(rng.between(20, 400)) - Duration::minutes(rng.below(1440) as i64);
    // Inherent likelihood and impact lean to the middle, some at the extremes.
    let l0 = clamp(rng.between(1, 5) + rng.between(-1, 1).min(0) + i64::from(rng.below(4) == 0));
    let i0 = clamp(rng.between(2, 5) - i64::from(rng.below(3) == 0));
    let first = created + Duration::days(rng.between(1, 10));
    let n = 2 + rng.below(3) as usize; // 2..=4 assessments
    let span = (now - first).num_minutes().max(n as i64 * 10);
    let mut times: Vec<DateTime<Utc>> = (1..n).map(|_| first + Duration::minutes(1 + rng.below(span as u64 - 1) as i64)).collect();
    times.sort();
    let mut assessments = vec![GenAssessment { residual: false, l: l0, i: i0, at: first, reviewed: false }];
    let (mut l, mut i) = (l0, i0);
    for (x, at) in times.into_iter().enumerate() {
        let a = if x == 0 || rng.below(3) > 0 {
            // Residual: measures lower the likelihood (and sometimes the impact);
            // a later re-score may find them less effective than hoped.
            let rises = x > 0 && rng.below(5) == 0;
            let base = assessments.iter().rev().find(|a| !a.residual).map(|a| (a.l, a.i)).unwrap_or((l0, i0));
            let (rl, ri) = if rises {
                (clamp(l + 1), i)
            } else {
                (clamp(base.0 - rng.between(1, 2)), clamp(base.1 - i64::from(rng.below(3) == 0)))
            };
            let reviewed = assessments.iter().any(|a| a.residual);
            GenAssessment { residual: true, l: rl, i: ri, at, reviewed }
        } else {
            // A re-assessment of the inherent risk (the situation changed).
            GenAssessment { residual: false, l: clamp(l0 + rng.between(-1, 1)), i: i0, at, reviewed: false }
        };
        l = a.l;
        i = a.i;
        assessments.push(a);
    }
    let last = assessments.last().map(|a| a.at).unwrap_or(first);
    let has_residual = assessments.iter().any(|a| a.residual);
    let mut r = GenRisk {
        number: format!("FX-S-{k:07}"),
        name: format!("{}（{k}）", rng.pick(names)),
        category: *category,
        department: *department,
        owner,
        created,
        assessments,
        strategy: None,
        accepted_by: None,
        closed: None,
        measures: Vec::new(),
        quantified: (rng.below(10) < 3).then(|| {
            let p = rng.between(5, 90) * 100;
            (p, rng.between(1, 500) * 1_000_000)
        }),
    };
    let score = r.current_score().unwrap_or(1);
    let level = bands.level(score);
    r.strategy = if has_residual {
        Some(match rng.below(20) {
            0..=11 => "reduce",
            12..=14 => "transfer",
            15..=16 => "avoid",
            _ => "accept",
        })
    } else if level == crate::risk::model::Level::Low || rng.below(2) == 0 {
        Some("accept")
    } else {
        None
    };
    if r.strategy == Some("accept") && level > crate::risk::model::Level::Low {
        r.accepted_by = Some((exec, r.assessments[0].at + Duration::days(rng.between(1, 5)).min(now - r.assessments[0].at)));
    }
    if matches!(r.strategy, Some("reduce" | "transfer" | "avoid")) {
        let today = company_date(now);
        let first_residual = r.assessments.iter().find(|a| a.residual).map(|a| a.at).unwrap_or(last);
        let reviewed_at = r.assessments.iter().find(|a| a.reviewed).map(|a| a.at);
        for m in 0..(1 + rng.below(2)) {
            let created = r.assessments[0].at + Duration::hours(2);
            let due = company_date(first_residual) + Duration::days(rng.between(-20, 80));
            let (status, completed) = if m == 0 && reviewed_at.is_some() {
                // The measure its effectiveness review looked at: done before it.
                let done = company_date(reviewed_at.unwrap_or(first_residual)).min(due).max(company_date(created));
                ("done", Some(done))
            } else if due < today {
                if rng.below(5) < 4 { ("done", Some(due - Duration::days(rng.between(0, 10)))) } else { ("in_progress", None) }
            } else if rng.below(2) == 0 {
                ("in_progress", None)
            } else {
                ("planned", None)
            };
            let owner = if rng.below(3) == 0 { *rng.pick(people) } else { owner };
            let action = *rng.pick(ACTIONS);
            r.measures.push(GenMeasure { action, owner, due, status, completed, created });
        }
    } else {
        for a in r.assessments.iter_mut() {
            a.reviewed = false;
        }
    }
    if rng.below(8) == 0 {
        let after = (now - last).num_minutes().max(2);
        r.closed = Some(last + Duration::minutes(1 + rng.below(after as u64 - 1) as i64));
        // Closing a risk ends what was still open about it.
        for m in r.measures.iter_mut().filter(|m| m.status != "done") {
            m.status = "cancelled";
        }
    }
    r
}

/// Adds `n` generated risks with their history. `progress(stage, done, total)`.
pub async fn scale(db: &Db, n: u64, progress: &(dyn Fn(&str, u64, u64) + Sync)) -> Result<ScaleCounts, AppError> {
    let now = Utc::now();
    let bands = crate::risk::store::bands(db).await?;
    let people: Vec<(i64, i64)> = db
        .read()
        .fetch_all(
            "SELECT u.department_id, u.id FROM users u JOIN departments d ON d.id = u.department_id \
             WHERE u.active = $1 AND d.active = $1 AND u.role IN ('staff', 'manager') ORDER BY u.department_id, u.id",
            args![true],
        )
        .await?;
    let mut depts: Vec<(i64, Vec<i64>)> = Vec::new();
    for (d, u) in people {
        match depts.last_mut() {
            Some((ld, us)) if *ld == d => us.push(u),
            _ => depts.push((d, vec![u])),
        }
    }
    if depts.is_empty() {
        return Err(AppError::Request("nobody to own generated risks: seed --demo first".into()));
    }
    let categories: Vec<(i64, String)> =
        db.read().fetch_all("SELECT id, code FROM risk_categories WHERE active = $1 ORDER BY sort, id", args![true]).await?;
    if categories.is_empty() {
        return Err(AppError::Request("no active risk categories".into()));
    }
    let exec: Option<(i64,)> =
        db.read().fetch_optional("SELECT id FROM users WHERE role = 'executive' AND active = $1 ORDER BY id LIMIT 1", args![true]).await?;
    let Some((exec,)) = exec else { return Err(AppError::Request("no executive to approve accepted risks: seed --demo first".into())) };
    let mut rng = Rng(0x7215_C0DE_2026_0005 ^ n);
    let mut counts = ScaleCounts::default();
    let first_k: i64 = db.read().scalar("SELECT COALESCE(MAX(id), 0) FROM risks", vec![]).await?;
    let batch = 1_000u64;
    let mut done = 0u64;
    while done < n {
        let size = (n - done).min(batch);
        let risks: Vec<GenRisk> =
            (0..size).map(|x| generate(&mut rng, first_k as u64 + done + x + 1, now, &depts, &categories, exec, &bands)).collect();
        let mut tx = db.begin().await?;
        let before: i64 = tx.scalar("SELECT COALESCE(MAX(id), 0) FROM risks", vec![]).await?;
        let rows: Vec<Vec<Arg>> = risks
            .iter()
            .map(|r| {
                let inh = r.latest(false);
                let res = r.latest(true);
                let last = r.assessments.last().map(|a| a.at);
                let status = if r.closed.is_some() {
                    "closed"
                } else if res.is_some() {
                    if r.measures.iter().all(|m| m.status == "done") { "monitoring" } else { "responding" }
                } else {
                    "assessed"
                };
                let (prob, loss) = r.quantified.map(|(p, l)| (Some(p), Some(l))).unwrap_or((None, None));
                vec![
                    Arg::Str(r.number.clone()),
                    Arg::Str(r.name.clone()),
                    Arg::Str(format!("{}：需持续关注并按季度复评。", r.name)),
                    Arg::Str(SOURCES[(r.owner as usize) % SOURCES.len()].into()),
                    Arg::I64(r.category),
                    Arg::I64(r.department),
                    Arg::I64(r.owner),
                    Arg::Str(status.into()),
                    Arg::OptI64(inh.map(|a| a.l)),
                    Arg::OptI64(inh.map(|a| a.i)),
                    Arg::OptI64(inh.map(|a| a.l * a.i)),
                    Arg::OptI64(res.map(|a| a.l)),
                    Arg::OptI64(res.map(|a| a.i)),
                    Arg::OptI64(res.map(|a| a.l * a.i)),
                    Arg::OptI64(r.current_score()),
                    Arg::OptI64(prob),
                    Arg::OptI64(loss),
                    Arg::OptI64(prob.zip(loss).map(|(p, l)| l / 10_000 * p)),
                    Arg::OptStr(r.strategy.map(str::to_string)),
                    Arg::OptStr(r.accepted_by.map(|_| "approved".to_string())),
                    Arg::OptI64(r.accepted_by.map(|a| a.0)),
                    Arg::OptTime(r.accepted_by.map(|a| a.1)),
                    Arg::OptTime(last),
                    Arg::OptTime(r.closed),
                    Arg::Str(if r.closed.is_some() { CLOSE_REASONS[(r.owner as usize) % CLOSE_REASONS.len()].into() } else { String::new() }),
                    Arg::Time(r.created),
                    Arg::I64(r.owner),
                    Arg::Time(r.closed.or(last).unwrap_or(r.created)),
                    Arg::I64(r.owner),
                ]
            })
            .collect();
        bulk_insert(
            &mut tx,
            "risks",
            &[
                "number", "name", "description", "source", "category_id", "department_id", "owner_id", "status",
                "inherent_likelihood", "inherent_impact", "inherent_score", "residual_likelihood", "residual_impact", "residual_score", "current_score",
                "probability_bp", "loss_minor", "expected_loss_minor", "strategy", "acceptance_status", "acceptance_by", "acceptance_at",
                "last_assessed_at", "closed_at", "closed_reason", "created_at", "created_by", "updated_at", "updated_by",
            ],
            rows,
        )
        .await?;
        let ids: Vec<(i64, String)> = tx.fetch_all("SELECT id, number FROM risks WHERE id > $1", args![before]).await?;
        let ids: HashMap<String, i64> = ids.into_iter().map(|(id, num)| (num, id)).collect();
        let id_of = |r: &GenRisk| ids.get(&r.number).copied().ok_or_else(|| AppError::Request(format!("generated risk {} not found", r.number)));

        // Measures; the first of each risk is the one its review looks at.
        let m_before: i64 = tx.scalar("SELECT COALESCE(MAX(id), 0) FROM risk_measures", vec![]).await?;
        let mut rows = Vec::new();
        for r in &risks {
            let id = id_of(r)?;
            for m in &r.measures {
                rows.push(vec![
                    Arg::I64(id), Arg::Str(m.action.into()), Arg::I64(m.owner), Arg::Date(m.due), Arg::Str(m.status.into()), Arg::OptDate(m.completed),
                    Arg::Time(m.created), Arg::I64(r.owner), Arg::Time(m.created), Arg::I64(r.owner),
                ]);
            }
        }
        counts.measures += rows.len() as u64;
        bulk_insert(
            &mut tx,
            "risk_measures",
            &["risk_id", "action", "owner_id", "due_on", "status", "completed_on", "created_at", "created_by", "updated_at", "updated_by"],
            rows,
        )
        .await?;
        let measures: Vec<(i64, i64)> =
            tx.fetch_all("SELECT risk_id, MIN(id) FROM risk_measures WHERE id > $1 GROUP BY risk_id", args![m_before]).await?;
        let first_measure: HashMap<i64, i64> = measures.into_iter().collect();

        // Effectiveness reviews (5.2-e) behind residual re-scores.
        let r_before: i64 = tx.scalar("SELECT COALESCE(MAX(id), 0) FROM risk_reviews", vec![]).await?;
        let mut rows = Vec::new();
        for r in &risks {
            let id = id_of(r)?;
            let Some(&measure) = first_measure.get(&id) else { continue };
            let mut prev: Option<i64> = None;
            for a in &r.assessments {
                if a.residual && a.reviewed {
                    let score = a.l * a.i;
                    let eff = match prev {
                        Some(p) if score < p => "effective",
                        Some(p) if score == p => "partial",
                        _ => "ineffective",
                    };
                    rows.push(vec![
                        Arg::I64(id), Arg::I64(measure), Arg::Str(eff.into()), Arg::Str("按期复核措施效果并重新评估剩余风险。".into()),
                        Arg::I64(a.l), Arg::I64(a.i), Arg::Bool(false), Arg::I64(r.owner), Arg::Time(a.at),
                    ]);
                }
                if a.residual {
                    prev = Some(a.l * a.i);
                }
            }
        }
        counts.reviews += rows.len() as u64;
        bulk_insert(
            &mut tx,
            "risk_reviews",
            &["risk_id", "measure_id", "effectiveness", "comments", "residual_likelihood", "residual_impact", "strategy_changed", "reviewed_by", "reviewed_at"],
            rows,
        )
        .await?;
        // In insertion order: each risk's reviews follow its re-scores in order.
        let reviews: Vec<(i64, i64)> =
            tx.fetch_all("SELECT id, risk_id FROM risk_reviews WHERE id > $1 ORDER BY id", args![r_before]).await?;
        let mut review_of: HashMap<i64, std::collections::VecDeque<i64>> = HashMap::new();
        for (id, risk) in reviews {
            review_of.entry(risk).or_default().push_back(id);
        }

        // The assessment history, with the level in force (bands now).
        let mut rows = Vec::new();
        for r in &risks {
            let id = id_of(r)?;
            for a in &r.assessments {
                let score = a.l * a.i;
                let review = if a.reviewed { review_of.get_mut(&id).and_then(|q| q.pop_front()) } else { None };
                rows.push(vec![
                    Arg::I64(id),
                    Arg::Str(if a.residual { "residual" } else { "inherent" }.into()),
                    Arg::I64(a.l),
                    Arg::I64(a.i),
                    Arg::I64(score),
                    Arg::Str(bands.level(score).code().into()),
                    Arg::Str(if a.residual { "按已落实措施评估剩余风险" } else { "按风险矩阵评估固有风险" }.into()),
                    Arg::OptI64(review),
                    Arg::I64(r.owner),
                    Arg::Time(a.at),
                ]);
            }
        }
        counts.assessments += rows.len() as u64;
        bulk_insert(
            &mut tx,
            "risk_assessments",
            &["risk_id", "kind", "likelihood", "impact", "score", "level", "rationale", "review_id", "assessed_by", "assessed_at"],
            rows,
        )
        .await?;
        tx.commit().await?;
        counts.closed += risks.iter().filter(|r| r.closed.is_some()).count() as u64;
        done += size;
        counts.risks = done;
        progress("risks", done, n);
    }
    // The trend's statistics from the generated history, and this month's.
    progress("risk statistics", 0, 13);
    super::store::rebuild_history(db, now, 12).await?;
    super::store::hourly(db, now).await?;
    progress("risk statistics", 13, 13);
    // Fresh planner statistics; on PostgreSQL also the visibility map, without
    // which index-only scans visit the heap until autovacuum comes by.
    let sql = if db.backend() == crate::core::db::Backend::Postgres { "VACUUM ANALYZE" } else { "ANALYZE" };
    db.read().execute(sql, vec![]).await?;
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &Actor::system("seed-scale"),
        "risk_scale",
        None,
        "create",
        None,
        Some(&serde_json::json!({"risks": counts.risks, "assessments": counts.assessments, "measures": counts.measures, "reviews": counts.reviews, "closed": counts.closed})),
    )
    .await?;
    tx.commit().await?;
    Ok(counts)
}
