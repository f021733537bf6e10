//! Demo data of execution, on top of the demo skeleton (`projects::demo`):
//! progress, progress meetings with action items, issues, delays, quality
//! checks and costs so that P1 is on track, P2 is late (the milestone "设备到货"
//! about 20 days overdue, one slipped task with a delay record, the milestone
//! without one; last progress meeting 20 days ago), P3 spends ahead of its
//! progress (CPI about 0.9) with a failed quality check and its rework, and the
//! finished P6-P8 have costs near their budgets and regular meetings. Written
//! through this part's store functions as the people would have, with past
//! timestamps; deterministic, dates relative to today. A project that is
//! missing or not executing is left alone. The monitoring figures are
//! recomputed by the monitoring part's demo, which runs after this one.
use super::model::{ActionItem, CheckInput, CostInput, DelayInput, IssueInput, MeetingInput, Progress};
use super::store;
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::{Db, DbResult, Tx};
use crate::core::error::AppError;
use crate::core::time::{company_midnight, company_today};
use crate::projects::demo::{P1, P2, P3, P6, P7, P8};
use crate::projects::model::ProjectHead;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Progress on one task: (task, days from today started, finished, % done,
/// remaining hours, note).
type Prog = (&'static str, i64, Option<i64>, i64, Option<i64>, &'static str);
/// A meeting: (days from today, minutes, decisions, action items (description, owner, due in days from today, done on)).
type Meet = (i64, &'static str, &'static str, &'static [(&'static str, &'static str, i64, Option<i64>)]);
/// A cost: (budget line description, days from today, yuan, description).
type Spend = (&'static str, i64, i64, &'static str);
/// An issue: (title, description, owner, days raised, due in days, resolved (days, resolution)).
type Iss = (&'static str, &'static str, &'static str, i64, Option<i64>, Option<(i64, &'static str)>);
/// A quality check: (criterion, days from today, pass, findings, rework (assignee, due in days)).
type Chk = (&'static str, i64, bool, &'static str, Option<(&'static str, i64)>);

struct Story {
    name: &'static str,
    progress: &'static [Prog],
    meetings: &'static [Meet],
    costs: &'static [Spend],
    issues: &'static [Iss],
    checks: &'static [Chk],
}

const STORIES: &[Story] = &[
    // P1: on track (SPI about 1.0, CPI about 1.03).
    Story {
        name: P1,
        progress: &[
            ("需求调研", -60, Some(-46), 100, Some(0), "访谈 6 个部门，需求说明书已确认。"),
            ("需求确认", -45, Some(-45), 100, Some(0), ""),
            ("系统配置与开发", -44, Some(-2), 100, Some(0), "总账、应收应付、成本模块配置完成，提前两天。"),
            ("数据迁移", -10, None, 45, Some(120), "第一轮试迁移完成，正在清洗客户主数据。"),
        ],
        meetings: &[
            (-52, "需求调研按计划推进；财务部访谈完成。", "需求说明书下周五前提交评审。", &[]),
            (-38, "系统配置进度正常；发现历史客户主数据重复较多。", "先出重复数据清单，再定清洗规则。", &[("整理历史客户主数据重复清单", "ma.lin", -30, Some(-31))]),
            (-24, "配置完成约 70%；测试环境性能不足已解决。", "数据迁移提前启动试迁移。", &[]),
            (-10, "配置开发提前完成；试迁移准确率达标；外包迁移服务已提交变更申请。", "UAT 按计划开始。", &[
                ("确认数据迁移外包服务报价", "xu.ming", 4, None),
                ("安排关键用户参加 UAT 培训", "ma.lin", 10, None),
            ]),
        ],
        costs: &[
            ("实施顾问与开发人工", -45, 80_000, "实施顾问第一阶段费用"),
            ("软件许可升级", -40, 150_000, "ERP 新版本许可（首期）"),
            ("实施顾问与开发人工", -30, 90_000, "实施顾问第二阶段费用"),
            ("顾问差旅", -25, 8_000, "顾问驻场差旅"),
            ("服务器扩容", -20, 30_000, "测试服务器内存与存储扩容"),
            ("实施顾问与开发人工", -15, 70_000, "开发人工（报表与接口）"),
        ],
        issues: &[
            ("历史客户主数据大量重复", "旧系统中约 1,800 个客户存在重复编码，影响迁移。", "tang.kai", -38, Some(5), None),
            ("测试环境性能不足", "批量过账超过 10 分钟。", "tang.kai", -30, Some(-24), Some((-25, "测试服务器扩容内存至 256 GB，过账降至 2 分钟。"))),
        ],
        checks: &[("数据迁移准确率 100%", -5, true, "第一轮试迁移抽样 200 条余额与明细全部一致。", None)],
    },
    // P2: late (SPI about 0.7): the purchase finished late with a delay record,
    // the civil works slipped with one, the milestone "设备到货" without one.
    Story {
        name: P2,
        progress: &[
            ("方案设计", -90, Some(-70), 100, Some(0), "方案通过评审。"),
            ("设备采购", -69, Some(-36), 100, Some(0), "合同签订，预付款已付。"),
            ("土建改造", -60, None, 90, Some(40), "地坪养护中，剩余消防通道改造。"),
            ("设备安装调试", -15, None, 15, Some(400), "货架基础安装中，堆垛机未到货。"),
        ],
        meetings: &[
            (-80, "方案设计按计划；堆垛机供应商产能紧张。", "采购提前启动比选。", &[]),
            (-66, "方案评审通过；采购比选中。", "两家供应商进入商务谈判。", &[]),
            (-52, "采购合同谈判延长；土建开工。", "土建分区夜间施工。", &[("落实土建夜间施工许可", "hu.bin", -45, Some(-46))]),
            (-34, "采购已完成但晚于基线；土建受雨季影响。", "登记延误并每周向领导汇报。", &[]),
            (-20, "堆垛机交期再次推迟，设备到货里程碑未达成；货架基础先行安装。", "要求供应商书面确认发货日期。", &[
                ("督促堆垛机供应商确认发货日期", "guo.peng", -13, None),
            ]),
        ],
        costs: &[
            ("土建改造材料", -55, 150_000, "地坪与钢结构材料（首批）"),
            ("安装与改造人工", -50, 60_000, "土建人工（首期）"),
            ("立体货架、堆垛机与分拣线", -45, 960_000, "立体货架与堆垛机预付款（60%）"),
            ("供应商驻场差旅", -40, 20_000, "供应商工厂验货差旅"),
            ("土建改造材料", -35, 90_000, "消防与照明改造材料"),
            ("安装与改造人工", -30, 60_000, "土建人工（二期）"),
        ],
        issues: &[
            ("堆垛机交付延期", "供应商产能不足，两台堆垛机交期推迟约一个月。", "guo.peng", -34, Some(-10), None),
            ("改造期间出库效率下降", "A 区封闭后日出库能力下降 15%。", "he.na", -50, Some(-40), Some((-41, "调整为夜间施工，白天恢复 A 区拣货。"))),
        ],
        checks: &[],
    },
    // P3: spending ahead of progress (CPI about 0.9), a failed check with rework.
    Story {
        name: P3,
        progress: &[
            ("需求分析", -45, Some(-35), 100, Some(0), ""),
            ("呼叫平台选型", -34, Some(-25), 100, Some(0), "选定云呼叫平台，签订年度合同。"),
            ("平台部署与集成", -24, None, 95, Some(16), "与工单系统集成完成，转接场景待修复。"),
            ("知识库迁移", -15, None, 50, Some(60), "已迁移 1,200 条。"),
        ],
        meetings: &[
            (-38, "需求分析完成；平台选型启动。", "选型以接通率与集成能力为主。", &[]),
            (-24, "平台合同签订，部署开始；费用按年付已支付。", "集成开发投入两人。", &[]),
            (-10, "部署基本完成；集成人工超出计划；转接来电关联工单存在问题。", "控制外包人工，优先修复转接问题。", &[
                ("与平台厂商确认转接时主叫号码透传方案", "han.xiao", 2, None),
            ]),
        ],
        costs: &[
            ("云呼叫平台年费与部署", -30, 200_000, "云呼叫平台年费"),
            ("集成开发人工", -20, 60_000, "集成开发人工（首期）"),
            ("耳麦与坐席终端", -15, 30_000, "首批耳麦与坐席终端"),
            ("云呼叫平台年费与部署", -10, 40_000, "平台部署服务费"),
            ("集成开发人工", -5, 60_000, "集成开发人工（二期，超出计划）"),
        ],
        issues: &[("部分坐席网络带宽不足", "二楼坐席高峰期通话断续。", "han.xiao", -12, Some(7), None)],
        checks: &[
            ("知识库条目迁移完整", -8, true, "首批 1,200 条条目数与内容抽查一致。", None),
            ("来电自动关联客户与工单", -5, false, "20 个场景中 4 个未能关联工单：转接来电丢失主叫号码。", Some(("han.xiao", 5))),
        ],
    },
];

/// Regular meetings and costs of the finished projects: (project, costs, quality checks).
type Finished = (&'static str, &'static [Spend], &'static [Chk]);

const FINISHED: &[Finished] = &[
    (
        P6,
        &[
            ("开发与实施人工", -130, 120_000, "开发人工（一期）"),
            ("开发与实施人工", -100, 130_000, "开发人工（二期）"),
            ("MES 接口开发服务", -90, 195_000, "MES 接口开发服务"),
            ("扫码终端与服务器", -70, 148_000, "扫码终端 40 台与服务器"),
            ("开发与实施人工", -60, 125_000, "开发人工（三期）"),
            ("开发与实施人工", -25, 115_000, "上线与试运行人工"),
            ("培训与推广", -15, 42_000, "关键用户培训与推广"),
        ],
        &[
            ("与 MES、ERP 接口数据一致", -28, true, "对账 3 天数据，差异为 0。", None),
            ("任一批次成品可在 2 小时内追溯到原料批次", -12, true, "抽取 10 个批次，平均追溯 25 分钟。", None),
            ("关键用户培训覆盖率 100%", -10, true, "42 名关键用户全部签到并通过考核。", None),
        ],
    ),
    (
        P7,
        &[
            ("视觉设计外包", -170, 90_000, "视觉设计首期款"),
            ("内部开发工时", -130, 50_000, "前端开发工时（一期）"),
            ("视觉设计外包", -120, 86_000, "视觉设计尾款"),
            ("内部开发工时", -95, 48_000, "前端开发工时（二期）"),
            ("图片版权与字体授权", -85, 18_500, "图片与字体授权"),
        ],
        &[
            ("移动端页面评分 ≥ 90", -82, true, "首页与产品页评分 93。", None),
            ("线索表单可用并接入销售线索", -80, true, "端到端测试 12 个场景通过。", None),
        ],
    ),
    (
        P8,
        &[
            ("场地改造材料", -230, 146_000, "场地改造材料"),
            ("温箱、振动台、EMC 预测试设备", -220, 660_000, "设备采购预付款"),
            ("外聘专家咨询", -200, 45_000, "实验室规划专家咨询"),
            ("温箱、振动台、EMC 预测试设备", -170, 425_000, "设备到货尾款"),
            ("安装与校准服务", -150, 192_000, "安装调试与计量校准"),
        ],
        &[
            ("全部设备通过计量校准", -140, true, "校准证书 18 份齐全。", None),
            ("完成 3 个产品的试运行测试", -115, true, "3 个产品测试报告已归档。", None),
            ("作业指导书覆盖全部设备", -105, true, "文件评审通过。", None),
        ],
    ),
];

const ROUTINE: [(&str, &str); 4] = [
    ("各任务按计划推进，无重大风险。", "保持两周一次例会。"),
    ("本期任务完成情况良好；资源投入正常。", "下阶段重点关注验收准备。"),
    ("供应商交付按时；成本在预算内。", "按计划推进。"),
    ("测试问题已闭环；文档同步更新。", "继续跟踪遗留问题。"),
];

struct Person {
    id: i64,
    actor: Actor,
}

async fn person(tx: &mut Tx, username: &str) -> DbResult<Option<Person>> {
    let r: Option<(i64, String)> = tx.fetch_optional("SELECT id, display_name FROM users WHERE username = $1", args![username]).await?;
    Ok(r.map(|(id, name)| Person { id, actor: Actor { user_id: Some(id), name, client_addr: "seed".into() } }))
}

/// A working moment on day `d` (company time), never later than `now`.
fn at(d: NaiveDate, hour: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    (company_midnight(d) + Duration::hours(hour)).min(now - Duration::minutes(5))
}

async fn executing(tx: &mut Tx, name: &str) -> DbResult<Option<ProjectHead>> {
    let r: Option<(i64,)> = tx
        .fetch_optional("SELECT id FROM projects WHERE name = $1 AND status = $2 AND baseline_version > 0 ORDER BY id LIMIT 1", args![name, "executing"])
        .await?;
    let Some((id,)) = r else { return Ok(None) };
    let all = crate::core::perm::Viewer { user_id: 0, department_id: 0, role: crate::core::perm::Role::Admin };
    Ok(crate::projects::store::head_tx(tx, &all, id).await?.map(|h| h.0))
}

async fn task_id(tx: &mut Tx, project: i64, name: &str) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx.fetch_optional("SELECT id FROM project_tasks WHERE project_id = $1 AND name = $2 ORDER BY id LIMIT 1", args![project, name]).await?;
    Ok(r.map(|r| r.0))
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let done: i64 = db.read().scalar("SELECT COUNT(*) FROM project_meetings WHERE kind = $1", args!["progress"]).await?;
    if done > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let today = company_today(now);
    for s in STORIES {
        let mut tx = db.begin().await?;
        if let Some(p) = executing(&mut tx, s.name).await? {
            story(&mut tx, &p, s, today, now).await?;
        }
        tx.commit().await?;
    }
    for (name, costs, checks) in FINISHED {
        let mut tx = db.begin().await?;
        if let Some(p) = executing(&mut tx, name).await? {
            finished(&mut tx, &p, costs, checks, today, now).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn story(tx: &mut Tx, p: &ProjectHead, s: &Story, today: NaiveDate, now: DateTime<Utc>) -> DbResult<()> {
    let Some(pm) = person_by_id(tx, p.manager_id).await? else { return Ok(()) };
    let day = |n: i64| today + Duration::days(n);
    // P2's delays happen between the progress entries, as they did.
    if p.name == P2 {
        p2_delays(tx, p, &pm, today, now).await?;
    }
    for (name, start, end, pct, remaining, note) in s.progress {
        let Some(id) = task_id(tx, p.id, name).await? else { continue };
        let Some(t) = store::task_tx(tx, id).await? else { continue };
        let who = person_by_id(tx, t.assignee_id).await?.unwrap_or(Person { id: pm.id, actor: pm.actor.clone() });
        let when = at(end.map(day).unwrap_or(today - Duration::days(1)), 17, now);
        let pr = Progress { pct_done: *pct, actual_start: Some(day(*start)), actual_end: end.map(day), remaining_hours: *remaining, note: (*note).into() };
        store::update_progress(tx, &who.actor, &t, t.version, &pr, when).await?;
    }
    meetings(tx, p, &pm, s.meetings, today, now).await?;
    costs(tx, p, &pm, s.costs, today, now).await?;
    for (title, desc, owner, raised, due, resolved) in s.issues {
        let Some(o) = person(tx, owner).await? else { continue };
        let i = IssueInput { title: (*title).into(), description: (*desc).into(), owner_id: o.id, due_date: due.map(day) };
        let id = store::add_issue(tx, &pm.actor, p.id, &i, at(day(*raised), 15, now)).await?;
        if let Some((on, resolution)) = resolved
            && let Some((_, issue)) = store::issue_tx(tx, id).await?
        {
            store::resolve_issue(tx, &o.actor, &issue, issue.version, resolution, at(day(*on), 16, now)).await?;
        }
    }
    checks(tx, p, &pm, s.checks, today, now).await?;
    Ok(())
}

async fn manager_username(tx: &mut Tx, id: i64) -> DbResult<String> {
    tx.scalar("SELECT username FROM users WHERE id = $1", args![id]).await
}

async fn person_by_id(tx: &mut Tx, id: i64) -> DbResult<Option<Person>> {
    let u = manager_username(tx, id).await?;
    person(tx, &u).await
}

/// 2.4.2-b in P2: the purchase slipped past its baseline end (T-40), its delay
/// was recorded the day after and closed when it finished (T-36); the civil
/// works slipped past T-25 and were re-forecast to T+5 (open).
async fn p2_delays(tx: &mut Tx, p: &ProjectHead, pm: &Person, today: NaiveDate, now: DateTime<Utc>) -> DbResult<()> {
    let day = |n: i64| today + Duration::days(n);
    for (name, on, forecast, cause, measures) in [
        ("设备采购", -39, -36, "堆垛机供应商产能紧张，合同谈判延长两周。", "分批签约，先锁定货架与输送线；每周跟踪供应商排产。"),
        ("土建改造", -24, 5, "雨季施工受阻，地坪养护时间延长。", "增加一个施工班组，夜间施工；消防通道改造与货架基础并行。"),
    ] {
        let Some(id) = task_id(tx, p.id, name).await? else { continue };
        let Some(t) = store::task_tx(tx, id).await? else { continue };
        let d = DelayInput { cause: cause.into(), measures: measures.into(), forecast_end: day(forecast) };
        store::record_delay(tx, &pm.actor, p, &t, t.version, &d, at(day(on), 11, now)).await?;
    }
    Ok(())
}

async fn meetings(tx: &mut Tx, p: &ProjectHead, pm: &Person, list: &[Meet], today: NaiveDate, now: DateTime<Utc>) -> DbResult<()> {
    let day = |n: i64| today + Duration::days(n);
    let team = store::team_tx(tx, p.id).await?;
    let names = team.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join("、");
    for (on, minutes, decisions, items) in list {
        let mut actions = Vec::new();
        for (desc, owner, due, _) in items.iter() {
            if let Some(o) = person(tx, owner).await? {
                actions.push(ActionItem { description: (*desc).into(), owner_id: o.id, due: day(*due) });
            }
        }
        let m = MeetingInput {
            held_on: day(*on),
            attendee_ids: team.iter().map(|t| t.user_id).collect(),
            guests: String::new(),
            minutes: (*minutes).into(),
            decisions: (*decisions).into(),
            actions,
        };
        let meeting = store::hold_meeting(tx, &pm.actor, p.id, &m, &names, at(day(*on), 16, now)).await?;
        for (desc, _, _, done) in items.iter() {
            let Some(done) = done else { continue };
            let r: Option<(i64,)> = tx
                .fetch_optional("SELECT id FROM project_tasks WHERE meeting_id = $1 AND name = $2", args![meeting, *desc])
                .await?;
            let Some((id,)) = r else { continue };
            let Some(t) = store::task_tx(tx, id).await? else { continue };
            let who = person_by_id(tx, t.assignee_id).await?.unwrap_or(Person { id: pm.id, actor: pm.actor.clone() });
            let pr = Progress { pct_done: 100, actual_start: Some(day(*on)), actual_end: Some(day(*done)), remaining_hours: Some(0), note: String::new() };
            store::update_progress(tx, &who.actor, &t, t.version, &pr, at(day(*done), 17, now)).await?;
        }
    }
    Ok(())
}

async fn costs(tx: &mut Tx, p: &ProjectHead, pm: &Person, list: &[Spend], today: NaiveDate, now: DateTime<Utc>) -> DbResult<()> {
    let lines = store::budget_lines_tx(tx, p.id).await?;
    for (line, on, yuan, desc) in list {
        let Some(l) = lines.iter().find(|l| l.description == *line) else { continue };
        let d = today + Duration::days(*on);
        let c = CostInput { budget_line_id: l.id, incurred_on: d, amount_minor: yuan * 100, description: (*desc).into() };
        store::add_cost(tx, &pm.actor, p.id, &c, at(d, 14, now)).await?;
    }
    Ok(())
}

async fn checks(tx: &mut Tx, p: &ProjectHead, pm: &Person, list: &[Chk], today: NaiveDate, now: DateTime<Utc>) -> DbResult<()> {
    let criteria: Vec<(i64, String)> =
        tx.fetch_all("SELECT id, criterion FROM project_quality_criteria WHERE project_id = $1", args![p.id]).await?;
    for (criterion, on, pass, findings, rework) in list {
        let Some((cid, name)) = criteria.iter().find(|c| c.1 == *criterion).cloned() else { continue };
        let d = today + Duration::days(*on);
        let rework = match rework {
            Some((who, due)) => person(tx, who).await?.map(|w| (w.id, today + Duration::days(*due))),
            None => None,
        };
        let c = CheckInput { criterion_id: cid, checked_on: d, passed: *pass, findings: (*findings).into(), rework };
        store::record_check(tx, &pm.actor, p.id, &name, &c, at(d, 15, now)).await?;
    }
    Ok(())
}

/// A finished project: progress meetings every two weeks from its start to
/// its end, its costs and its quality checks.
async fn finished(tx: &mut Tx, p: &ProjectHead, spend: &[Spend], chk: &[Chk], today: NaiveDate, now: DateTime<Utc>) -> DbResult<()> {
    let Some(pm) = person_by_id(tx, p.manager_id).await? else { return Ok(()) };
    let start = (p.start_date - today).num_days();
    let end = (p.end_date - today).num_days();
    let mut list: Vec<Meet> = Vec::new();
    let mut d = start + 7;
    let mut i = 0;
    while d <= end {
        let (minutes, decisions) = ROUTINE[i % ROUTINE.len()];
        list.push((d, minutes, decisions, &[]));
        d += 14;
        i += 1;
    }
    meetings(tx, p, &pm, &list, today, now).await?;
    costs(tx, p, &pm, spend, today, now).await?;
    checks(tx, p, &pm, chk, today, now).await?;
    Ok(())
}
