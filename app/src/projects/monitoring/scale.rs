//! `seed --scale` for projects: generated projects in every phase, 40 tasks
//! each (36 tasks in four phases, each phase closed by a milestone, every task
//! depending on the one before), weights, baselines, progress that runs ahead
//! of or behind plan, members from the existing employees, budget lines,
//! costs, some delay records and failed checks. Rows go in multi-row INSERTs,
//! a hundred projects per transaction; then every project's figures are
//! computed in batches (without warnings: this is history) and one audit entry
//! records the run.
use super::model::{TaskFacts, evm};
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db};
use crate::core::error::AppError;
use crate::core::time::{company_midnight, company_today};
use crate::sales::dashboard::scale::bulk_insert;
use chrono::{Duration, NaiveDate, Utc};

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

const PLACES: &[&str] = &["华东", "华南", "华北", "西南", "苏州", "杭州", "武汉", "成都", "青岛", "厦门"];
const KINDS: &[&str] = &["产线自动化改造", "ERP 模块上线", "仓储系统升级", "新品试产", "质量体系认证", "客服平台改造", "数据中台建设", "营销活动平台", "设备更新", "供应商协同平台"];
const PHASES: &[&str] = &["需求与方案", "设计与采购", "实施与集成", "测试与上线"];
const STEPS: &[&str] = &["调研", "方案评审", "详细设计", "采购", "开发", "安装", "联调", "培训", "验证"];
const MILESTONES: &[&str] = &["方案确认", "设计冻结", "实施完成", "正式上线"];
const CAUSES: &[(&str, &str)] = &[
    ("供应商交货推迟", "催交并启用备选供应商，关键部件空运"),
    ("需求变更导致返工", "冻结需求，变更走变更申请"),
    ("关键人员被抽调", "协调资源，周末加班追赶"),
    ("测试发现严重缺陷", "增加测试轮次，开发驻场修复"),
];

#[derive(Debug, Default)]
pub struct ScaleCounts {
    pub projects: u64,
    pub tasks: u64,
    pub milestones: u64,
    pub members: u64,
    pub costs: u64,
    pub delays: u64,
    pub checks: u64,
}

/// Where a generated project stands.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Initiating,
    PlanReview,
    Executing,
    Acceptance,
    Closed,
    Cancelled,
}

impl Phase {
    fn of(k: u64) -> Phase {
        match k % 20 {
            0..=2 => Phase::Initiating,
            3..=4 => Phase::PlanReview,
            5..=12 => Phase::Executing,
            13..=14 => Phase::Acceptance,
            15..=18 => Phase::Closed,
            _ => Phase::Cancelled,
        }
    }
    fn code(self) -> &'static str {
        match self {
            Phase::Initiating => "initiating",
            Phase::PlanReview => "plan_review",
            Phase::Executing => "executing",
            Phase::Acceptance => "acceptance",
            Phase::Closed => "closed",
            Phase::Cancelled => "cancelled",
        }
    }
    fn approved(self) -> bool {
        matches!(self, Phase::Executing | Phase::Acceptance | Phase::Closed)
    }
}

/// One generated task before it has an id.
struct GenTask {
    position: i64,
    name: String,
    milestone: bool,
    assignee: i64,
    weight: i64,
    start: NaiveDate,
    end: NaiveDate,
    planned_end: NaiveDate,
    actual_start: Option<NaiveDate>,
    actual_end: Option<NaiveDate>,
    pct: i64,
    /// Unfinished past its baseline end (2.4.2-b): gets a delay record sometimes.
    slipped: bool,
}

struct GenProject {
    number: String,
    phase: Phase,
    start: NaiveDate,
    end: NaiveDate,
    budget: i64,
    members: Vec<(i64, i64)>,
    tasks: Vec<GenTask>,
    /// Actual cost to spread over the budget lines.
    ac: i64,
}

/// Adds `n` projects (40 tasks each). `progress(stage, done, total)`.
pub async fn scale(db: &Db, n: u64, progress: &(dyn Fn(&str, u64, u64) + Sync)) -> Result<ScaleCounts, AppError> {
    let now = Utc::now();
    let today = company_today(now);
    let people: Vec<(i64,)> = db
        .read()
        .fetch_all("SELECT id FROM users WHERE active = $1 AND role IN ('staff', 'manager') ORDER BY id", args![true])
        .await?;
    let leaders: Vec<(i64,)> = db
        .read()
        .fetch_all("SELECT id FROM users WHERE active = $1 AND role IN ('manager', 'executive') ORDER BY id", args![true])
        .await?;
    let depts: Vec<(i64,)> = db.read().fetch_all("SELECT id FROM departments WHERE active = $1 ORDER BY id", args![true]).await?;
    if people.len() < 5 || leaders.is_empty() || depts.is_empty() {
        return Err(AppError::Request("not enough people to staff generated projects: seed --demo first".into()));
    }
    let people: Vec<i64> = people.into_iter().map(|r| r.0).collect();
    let leaders: Vec<i64> = leaders.into_iter().map(|r| r.0).collect();
    let depts: Vec<i64> = depts.into_iter().map(|r| r.0).collect();
    let first: i64 = db.read().scalar("SELECT COUNT(*) FROM projects WHERE number LIKE $1", args!["XM-S-%"]).await?;
    let mut rng = Rng(0x5EED_2026_0004_0003 ^ (first as u64 + 1).wrapping_mul(0x9E37_79B9));
    let mut counts = ScaleCounts::default();
    let mut new_ids: Vec<i64> = Vec::with_capacity(n as usize);
    let batch = 100u64;
    let mut done = 0u64;
    while done < n {
        let size = (n - done).min(batch);
        let batch_gen: Vec<GenProject> =
            (0..size).map(|i| generate(&mut rng, first as u64 + done + i + 1, today, &people)).collect();
        let mut tx = db.begin().await?;
        let before: i64 = tx.scalar("SELECT COALESCE(MAX(id), 0) FROM projects", vec![]).await?;
        let rows: Vec<Vec<Arg>> = batch_gen
            .iter()
            .map(|p| {
                let k = p.number.trim_start_matches("XM-S-").parse::<u64>().unwrap_or(0);
                let created = company_midnight(p.start - Duration::days(30)) + Duration::hours(10);
                let approved = p.phase.approved().then(|| company_midnight(p.start - Duration::days(3)) + Duration::hours(15));
                let closed = (p.phase == Phase::Closed).then(|| company_midnight(p.end + Duration::days(12)) + Duration::hours(16));
                vec![
                    Arg::Str(p.number.clone()),
                    Arg::Str(format!("{}{}（{k}）", PLACES[(k % PLACES.len() as u64) as usize], KINDS[((k / 7) % KINDS.len() as u64) as usize])),
                    Arg::I64(depts[(k % depts.len() as u64) as usize]),
                    Arg::I64(p.members[0].0),
                    Arg::I64(leaders[((k * 31) % leaders.len() as u64) as usize]),
                    Arg::Str("按计划交付范围内的全部成果，达到验收标准。".into()),
                    Arg::Date(p.start),
                    Arg::Date(p.end),
                    Arg::I64(p.budget),
                    Arg::Str(["low", "medium", "medium", "high", "critical"][(k % 5) as usize].into()),
                    Arg::Str(p.phase.code().into()),
                    Arg::I64(if p.phase == Phase::Initiating { 0 } else { 1 }),
                    Arg::I64(if p.phase.approved() { 1 } else { 0 }),
                    Arg::OptTime(approved),
                    Arg::OptTime(approved),
                    Arg::OptTime(closed),
                    Arg::Time(created),
                    Arg::Time(created),
                ]
            })
            .collect();
        bulk_insert(
            &mut tx,
            "projects",
            &[
                "number", "name", "requesting_department_id", "manager_id", "sponsor_id", "objectives", "start_date", "end_date", "budget_minor",
                "priority", "status", "plan_round", "baseline_version", "first_approved_at", "approved_at", "closed_at", "created_at", "updated_at",
            ],
            rows,
        )
        .await?;
        let ids: Vec<(i64, String)> =
            tx.fetch_all("SELECT id, number FROM projects WHERE id > $1 ORDER BY id", args![before]).await?;
        let id_of = |number: &str| ids.iter().find(|x| x.1 == number).map(|x| x.0).unwrap_or(0);
        let pid: Vec<i64> = batch_gen.iter().map(|p| id_of(&p.number)).collect();
        new_ids.extend(pid.iter().copied());
        // Team, tasks, budget lines, quality criteria.
        let mut members = Vec::new();
        let mut tasks = Vec::new();
        let mut lines = Vec::new();
        let mut criteria = Vec::new();
        for (p, id) in batch_gen.iter().zip(&pid) {
            let created = company_midnight(p.start - Duration::days(25));
            for (u, pct) in &p.members {
                members.push(vec![Arg::I64(*id), Arg::I64(*u), Arg::Str("成员".into()), Arg::I64(*pct), Arg::Time(created), Arg::Time(created)]);
            }
            for t in &p.tasks {
                let baselined = p.phase.approved();
                tasks.push(vec![
                    Arg::I64(*id),
                    Arg::I64(t.position),
                    Arg::Str(t.name.clone()),
                    Arg::Str(if t.milestone { "milestone" } else { "task" }.into()),
                    Arg::I64(t.assignee),
                    Arg::Date(t.start),
                    Arg::Date(t.planned_end),
                    Arg::I64(t.weight),
                    Arg::OptDate(baselined.then_some(t.start)),
                    Arg::OptDate(baselined.then_some(t.end)),
                    Arg::OptDate(t.actual_start),
                    Arg::OptDate(t.actual_end),
                    Arg::I64(t.pct),
                    Arg::Time(created),
                    Arg::Time(created),
                ]);
                counts.tasks += 1;
                counts.milestones += t.milestone as u64;
            }
            for (i, (cat, share)) in [("labour", 40), ("equipment", 30), ("services", 20), ("other", 10)].iter().enumerate() {
                let amount = p.budget * share / 100;
                lines.push(vec![
                    Arg::I64(*id),
                    Arg::Str((*cat).into()),
                    Arg::Str(format!("预算科目 {}", i + 1)),
                    Arg::I64(amount),
                    Arg::OptI64(p.phase.approved().then_some(amount)),
                    Arg::Time(created),
                    Arg::Time(created),
                ]);
            }
            for (i, c) in ["交付成果通过验收测试", "文档齐套"].iter().enumerate() {
                criteria.push(vec![Arg::I64(*id), Arg::I64(i as i64 + 1), Arg::Str((*c).into()), Arg::Time(created), Arg::Time(created)]);
            }
        }
        counts.members += members.len() as u64;
        bulk_insert(&mut tx, "project_members", &["project_id", "user_id", "role", "allocation_pct", "created_at", "updated_at"], members).await?;
        bulk_insert(
            &mut tx,
            "project_tasks",
            &[
                "project_id", "position", "name", "kind", "assignee_id", "planned_start", "planned_end", "weight", "baseline_start", "baseline_end",
                "actual_start", "actual_end", "pct_done", "created_at", "updated_at",
            ],
            tasks,
        )
        .await?;
        bulk_insert(&mut tx, "project_budget_lines", &["project_id", "category", "description", "amount_minor", "baseline_amount_minor", "created_at", "updated_at"], lines).await?;
        bulk_insert(&mut tx, "project_quality_criteria", &["project_id", "position", "criterion", "created_at", "updated_at"], criteria).await?;
        // Ids of what was just written, for dependencies, costs, delays and checks.
        let (list, a) = id_list(&pid);
        let task_ids: Vec<(i64, i64, i64)> =
            tx.fetch_all(&format!("SELECT project_id, position, id FROM project_tasks WHERE project_id IN ({list}) ORDER BY project_id, position"), a.clone()).await?;
        let line_ids: Vec<(i64, i64)> =
            tx.fetch_all(&format!("SELECT project_id, id FROM project_budget_lines WHERE project_id IN ({list}) ORDER BY project_id, id"), a.clone()).await?;
        let criterion_ids: Vec<(i64, i64)> = tx
            .fetch_all(&format!("SELECT project_id, id FROM project_quality_criteria WHERE project_id IN ({list}) ORDER BY project_id, id"), a.clone())
            .await?;
        let task_id = |project: i64, position: i64| -> Option<i64> {
            task_ids
                .binary_search_by(|x| (x.0, x.1).cmp(&(project, position)))
                .ok()
                .map(|i| task_ids[i].2)
        };
        let mut deps = Vec::new();
        let mut costs = Vec::new();
        let mut delays = Vec::new();
        let mut checks = Vec::new();
        for (p, id) in batch_gen.iter().zip(&pid) {
            for t in p.tasks.iter().skip(1) {
                if let (Some(a), Some(b)) = (task_id(*id, t.position), task_id(*id, t.position - 1)) {
                    deps.push(vec![Arg::I64(a), Arg::I64(b)]);
                }
            }
            let mine: Vec<i64> = line_ids.iter().filter(|l| l.0 == *id).map(|l| l.1).collect();
            if p.ac > 0 && !mine.is_empty() {
                // Four costs, one per line, spread between the start and today.
                let span = (today.min(p.end) - p.start).num_days().max(1);
                let mut left = p.ac;
                for (i, line) in mine.iter().enumerate() {
                    let amount = if i + 1 == mine.len() { left } else { p.ac * [40, 30, 20, 10][i % 4] / 100 };
                    left -= amount;
                    if amount > 0 {
                        let day = p.start + Duration::days(span * (i as i64 + 1) / (mine.len() as i64 + 1));
                        costs.push(vec![Arg::I64(*id), Arg::I64(*line), Arg::Date(day), Arg::I64(amount), Arg::Str("费用报销".into()), Arg::Time(company_midnight(day))]);
                    }
                }
            }
            if p.phase == Phase::Executing {
                let k = p.number.trim_start_matches("XM-S-").parse::<u64>().unwrap_or(0);
                for t in p.tasks.iter().filter(|t| t.slipped && k % 5 != 0).take(2) {
                    let (cause, measures) = CAUSES[(t.position as usize + k as usize) % CAUSES.len()];
                    if let Some(task) = task_id(*id, t.position) {
                        let at = company_midnight(t.end + Duration::days(2));
                        delays.push(vec![
                            Arg::I64(*id), Arg::I64(task), Arg::I64(1), Arg::Date(t.end), Arg::Date(t.planned_end), Arg::Str(cause.into()),
                            Arg::Str(measures.into()), Arg::Str("open".into()), Arg::Time(at), Arg::Time(at),
                        ]);
                    }
                }
                if k % 11 == 0
                    && let Some(c) = criterion_ids.iter().find(|c| c.0 == *id)
                {
                    let day = today - Duration::days((k % 20) as i64 + 1);
                    checks.push(vec![
                        Arg::I64(*id), Arg::I64(c.1), Arg::Date(day.max(p.start)), Arg::Str("fail".into()),
                        Arg::Str("抽检发现不符合项，需返工".into()), Arg::Bool(false), Arg::Time(company_midnight(day)), Arg::Time(company_midnight(day)),
                    ]);
                }
            }
        }
        counts.costs += costs.len() as u64;
        counts.delays += delays.len() as u64;
        counts.checks += checks.len() as u64;
        bulk_insert(&mut tx, "project_task_deps", &["task_id", "depends_on_id"], deps).await?;
        bulk_insert(&mut tx, "project_costs", &["project_id", "budget_line_id", "incurred_on", "amount_minor", "description", "created_at"], costs).await?;
        bulk_insert(
            &mut tx,
            "project_delays",
            &["project_id", "task_id", "baseline_version", "baseline_end", "forecast_end", "cause", "measures", "status", "created_at", "updated_at"],
            delays,
        )
        .await?;
        bulk_insert(
            &mut tx,
            "project_quality_checks",
            &["project_id", "criterion_id", "checked_on", "result", "findings", "resolved", "created_at", "updated_at"],
            checks,
        )
        .await?;
        // Baseline v1 of the approved ones, as approval freezes it.
        let approved: Vec<i64> = batch_gen.iter().zip(&pid).filter(|(p, _)| p.phase.approved()).map(|(_, id)| *id).collect();
        if !approved.is_empty() {
            let (list, a) = id_list(&approved);
            tx.execute(
                &format!(
                    "INSERT INTO project_baselines (project_id, version, start_date, end_date, budget_minor, approved_at, approved_by) \
                     SELECT id, 1, start_date, end_date, budget_minor, approved_at, sponsor_id FROM projects WHERE id IN ({list})"
                ),
                a.clone(),
            )
            .await?;
            tx.execute(
                &format!(
                    "INSERT INTO project_baseline_tasks (baseline_id, task_id, name, kind, planned_start, planned_end, weight) \
                     SELECT b.id, t.id, t.name, t.kind, t.baseline_start, t.baseline_end, t.weight FROM project_tasks t \
                     JOIN project_baselines b ON b.project_id = t.project_id AND b.version = 1 WHERE t.project_id IN ({list})"
                ),
                a.clone(),
            )
            .await?;
            tx.execute(
                &format!(
                    "INSERT INTO project_baseline_budget (baseline_id, budget_line_id, category, description, amount_minor) \
                     SELECT b.id, l.id, l.category, l.description, l.amount_minor FROM project_budget_lines l \
                     JOIN project_baselines b ON b.project_id = l.project_id AND b.version = 1 WHERE l.project_id IN ({list})"
                ),
                a,
            )
            .await?;
        }
        tx.commit().await?;
        done += size;
        counts.projects = done;
        progress("projects", done, n);
    }
    // The figures of every new project, a few hundred per transaction.
    let total = new_ids.len() as u64;
    let mut computed = 0u64;
    for chunk in new_ids.chunks(1000) {
        super::store::recompute_quiet(db, chunk, now).await?;
        computed += chunk.len() as u64;
        progress("figures", computed, total);
    }
    // Fresh planner statistics; on PostgreSQL also the visibility map, which a
    // bulk load leaves unset until autovacuum comes by (index-only scans would
    // visit the heap: the sales board's queries were ten times slower).
    let sql = if db.backend() == crate::core::db::Backend::Postgres { "VACUUM ANALYZE" } else { "ANALYZE" };
    db.read().execute(sql, vec![]).await?;
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &Actor::system("seed-scale"),
        "projects_scale",
        None,
        "create",
        None,
        Some(&serde_json::json!({"projects": counts.projects, "tasks": counts.tasks, "members": counts.members, "costs": counts.costs, "delays": counts.delays})),
    )
    .await?;
    tx.commit().await?;
    Ok(counts)
}

fn id_list(ids: &[i64]) -> (String, Vec<Arg>) {
    ((1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "), ids.iter().map(|i| Arg::I64(*i)).collect())
}

/// One project: dates by phase, a team of five, 40 tasks with progress.
fn generate(rng: &mut Rng, k: u64, today: NaiveDate, people: &[i64]) -> GenProject {
    let phase = Phase::of(k);
    let len = rng.between(90, 300);
    let start = match phase {
        Phase::Initiating => today + Duration::days(rng.between(10, 90)),
        Phase::PlanReview => today + Duration::days(rng.between(5, 60)),
        // Started, not finished: between a tenth and nine tenths through.
        Phase::Executing => today - Duration::days(len * rng.between(10, 90) / 100),
        Phase::Acceptance => today - Duration::days(len + rng.between(1, 30)),
        Phase::Closed => today - Duration::days(len + rng.between(30, 700)),
        Phase::Cancelled => today - Duration::days(rng.between(0, 200)),
    };
    let end = start + Duration::days(len - 1);
    // ¥200,000 to ¥5,000,000 in steps of ¥10,000 (1,000,000 fen).
    let budget = rng.between(20, 500) * 1_000_000;
    // Team: the manager and four others, distinct.
    let mut members: Vec<(i64, i64)> = Vec::with_capacity(5);
    while members.len() < 5 {
        let u = *rng.pick(people);
        if !members.iter().any(|m| m.0 == u) {
            members.push((u, [20, 30, 40, 50, 60, 80][rng.below(6) as usize]));
        }
    }
    // How the work goes against plan: most on track, some behind, a few far behind.
    let perf = match rng.below(100) {
        0..=59 => rng.between(96, 110),
        60..=84 => rng.between(86, 95),
        _ => rng.between(55, 85),
    };
    let mut tasks = Vec::with_capacity(40);
    let phase_len = len / 4;
    for (ph, phase_name) in PHASES.iter().enumerate() {
        let p0 = start + Duration::days(phase_len * ph as i64);
        let p_end = if ph == 3 { end } else { p0 + Duration::days(phase_len - 1) };
        let span = (p_end - p0).num_days().max(1);
        for (i, step) in STEPS.iter().enumerate() {
            let s = p0 + Duration::days(span * i as i64 / 10);
            let e = (s + Duration::days((span / 3).max(1))).min(p_end);
            tasks.push((format!("{phase_name}：{step}"), false, s, e.max(s), rng.between(1, 5)));
        }
        tasks.push((MILESTONES[ph].to_string(), true, p_end, p_end, 1));
    }
    let mut gen_tasks = Vec::with_capacity(40);
    for (i, (name, milestone, s, e, weight)) in tasks.into_iter().enumerate() {
        let assignee = members[i % members.len()].0;
        let (pct, actual_start, actual_end, planned_end, slipped) = match phase {
            Phase::Acceptance | Phase::Closed => (100, Some(s), Some(e), e, false),
            Phase::Executing => progress_of(s, e, milestone, perf, today),
            _ => (0, None, None, e, false),
        };
        gen_tasks.push(GenTask { position: i as i64 + 1, name, milestone, assignee, weight, start: s, end: e, planned_end, actual_start, actual_end, pct, slipped });
    }
    // Costs: what the earned work cost, some over and some under budget.
    let ac = match phase {
        Phase::Executing | Phase::Acceptance | Phase::Closed => {
            let facts: Vec<TaskFacts> = gen_tasks
                .iter()
                .map(|t| TaskFacts {
                    kind: if t.milestone { "milestone" } else { "task" }.into(),
                    weight: t.weight,
                    pct_done: t.pct,
                    planned_start: t.start,
                    planned_end: t.planned_end,
                    baseline_start: Some(t.start),
                    baseline_end: Some(t.end),
                    actual_end: t.actual_end,
                })
                .collect();
            let ev = evm(&facts, budget, 0, today).ev;
            let cpi = match rng.below(100) {
                0..=64 => rng.between(96, 112),
                65..=89 => rng.between(86, 95),
                _ => rng.between(70, 85),
            };
            ev * 100 / cpi
        }
        _ => 0,
    };
    GenProject { number: format!("XM-S-{k:06}"), phase, start, end, budget, members, tasks: gen_tasks, ac }
}

/// Progress of a task of an executing project: the planned share of it by
/// today times the project's pace (`perf` per cent), with actual dates.
/// Returns (pct, actual start, actual end, planned end, slipped).
fn progress_of(s: NaiveDate, e: NaiveDate, milestone: bool, perf: i64, today: NaiveDate) -> (i64, Option<NaiveDate>, Option<NaiveDate>, NaiveDate, bool) {
    let days = (e - s).num_days() + 1;
    let elapsed = ((today - s).num_days() + 1).clamp(0, days);
    let planned_pct = elapsed * 100 / days;
    let pct = if milestone {
        // Reached on time at a good pace; ten days late at a fair one; else not yet.
        let late_by = (today - e).num_days();
        if (late_by >= 0 && perf >= 96) || (late_by >= 10 && perf >= 86) { 100 } else { 0 }
    } else if today > e && perf >= 96 {
        // At a good pace, work past its planned end is finished.
        100
    } else {
        (planned_pct * perf / 100).clamp(0, 100)
    };
    if pct >= 100 {
        let finish = if milestone { e + Duration::days(if perf >= 96 { 0 } else { 10 }) } else { e };
        return (100, Some(s), Some(finish.min(today)), e, false);
    }
    let started = (pct > 0).then_some(s);
    if today > e {
        // Late: the plan now says it ends in a week or two.
        let forecast = today + Duration::days(7 + (100 - pct) / 10);
        return (pct, started, None, forecast, true);
    }
    (pct, started, None, e, false)
}
