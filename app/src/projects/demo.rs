//! The demo company's projects (the skeleton every part's demo data builds on):
//! eight projects with team, kickoff, the four-part plan, and — for those past
//! planning — the review and approval steps and baseline version 1, dated
//! before their start. Parts then add progress, meetings, delays, costs and
//! checks (execution), acceptance and reports (acceptance) and the computed
//! figures and evaluations (monitoring). Written as SQL of past events (as an
//! import of the company's history would be); deterministic, dates relative to
//! today. Finished projects (P6-P8) have every task done.
use crate::args;
use crate::core::db::{Db, DbResult, Tx};
use crate::core::error::AppError;
use crate::core::i18n::K;
use crate::core::time::{add_working_days, company_midnight, company_today, company_year};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Where a demo project stands once this skeleton is in.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    /// Team and kickoff, a partial plan.
    Initiating,
    /// Submitted: finance approved, the PMO's review pending.
    PlanReview,
    /// Approved, baseline v1.
    Approved,
}

struct Task {
    name: &'static str,
    milestone: bool,
    assignee: &'static str,
    /// Days from the project's start.
    from: i64,
    to: i64,
    weight: i64,
    /// Positions (1-based) of predecessors.
    deps: &'static [usize],
}

const fn t(name: &'static str, assignee: &'static str, from: i64, to: i64, weight: i64, deps: &'static [usize]) -> Task {
    Task { name, milestone: false, assignee, from, to, weight, deps }
}
const fn m(name: &'static str, assignee: &'static str, at: i64, deps: &'static [usize]) -> Task {
    Task { name, milestone: true, assignee, from: at, to: at, weight: 1, deps }
}

struct Project {
    name: &'static str,
    dept: &'static str,
    manager: &'static str,
    sponsor: &'static str,
    /// Days from today.
    start: i64,
    end: i64,
    budget_yuan: i64,
    priority: &'static str,
    objectives: &'static str,
    scope_in: &'static str,
    scope_out: &'static str,
    /// (user, role, responsibilities, allocation %)
    team: &'static [(&'static str, &'static str, &'static str, i64)],
    tasks: &'static [Task],
    /// (category, description, yuan)
    budget: &'static [(&'static str, &'static str, i64)],
    /// (criterion, method)
    criteria: &'static [(&'static str, &'static str)],
    /// (title, description, likelihood, impact, response, owner)
    risks: &'static [(&'static str, &'static str, i64, i64, &'static str, &'static str)],
    kickoff: (&'static str, &'static str),
    stage: Stage,
}

pub const P1: &str = "ERP 系统升级";
pub const P2: &str = "华东仓储自动化改造";
pub const P3: &str = "客服热线系统升级";
pub const P4: &str = "X200 新产品试产";
pub const P5: &str = "销售培训体系建设";
pub const P6: &str = "质量追溯平台";
pub const P7: &str = "官网改版";
pub const P8: &str = "研发测试实验室建设";

const PROJECTS: &[Project] = &[
    Project {
        name: P8,
        dept: "rnd",
        manager: "tang.kai",
        sponsor: "zhao.min",
        start: -300,
        end: -100,
        budget_yuan: 1_500_000,
        priority: "high",
        objectives: "建成可开展环境可靠性与电磁兼容预测试的研发测试实验室，缩短新品验证周期 30%。",
        scope_in: "实验室规划、设备选型与采购、场地改造、设备安装调试、试运行。",
        scope_out: "CNAS 认可申请；量产检测线。",
        team: &[("tang.kai", "项目经理", "计划、采购协调、进度与成本控制", 50), ("song.jia", "业务负责人", "需求确认、验收组织", 30), ("han.xiao", "测试工程师", "设备调试、测试方法编写", 20)],
        tasks: &[
            t("实验室规划", "tang.kai", 0, 30, 2, &[]),
            t("设备选型", "han.xiao", 31, 60, 2, &[1]),
            t("设备采购", "tang.kai", 61, 120, 4, &[2]),
            t("场地改造", "tang.kai", 61, 110, 3, &[1]),
            t("设备安装调试", "han.xiao", 121, 160, 3, &[3, 4]),
            t("测试方法与作业指导书", "han.xiao", 150, 185, 2, &[5]),
            m("实验室投入运行", "song.jia", 190, &[5, 6]),
        ],
        budget: &[("equipment", "温箱、振动台、EMC 预测试设备", 1_100_000), ("material", "场地改造材料", 150_000), ("services", "安装与校准服务", 200_000), ("labour", "外聘专家咨询", 50_000)],
        criteria: &[("全部设备通过计量校准", "核对校准证书"), ("完成 3 个产品的试运行测试", "查阅测试报告"), ("作业指导书覆盖全部设备", "文件评审")],
        risks: &[("进口设备交期延误", "振动台为进口设备，交期不确定。", 3, 4, "提前下单并约定延期罚则", "tang.kai")],
        kickoff: ("确认实验室选址在二号楼一层；设备预算上限 110 万元。", "采购走公开比选；每两周召开进度会。"),
        stage: Stage::Approved,
    },
    Project {
        name: P7,
        dept: "marketing",
        manager: "yang.fan",
        sponsor: "sun.wei",
        start: -200,
        end: -60,
        budget_yuan: 300_000,
        priority: "medium",
        objectives: "官网改版上线，移动端访问体验达标，线索表单转化率提升 20%。",
        scope_in: "内容规划、视觉设计、前端开发、内容迁移、上线与运营优化。",
        scope_out: "英文站点；电商功能。",
        team: &[("yang.fan", "项目经理", "计划、内容与供应商管理", 80), ("chen.xue", "业务负责人", "方向把关、验收", 20), ("han.xiao", "前端工程师", "前端开发与上线", 50)],
        tasks: &[
            t("内容规划", "yang.fan", 0, 20, 1, &[]),
            t("视觉设计", "yang.fan", 21, 50, 2, &[1]),
            t("前端开发", "han.xiao", 51, 100, 4, &[2]),
            t("内容迁移", "yang.fan", 80, 110, 2, &[1]),
            m("新官网上线", "han.xiao", 120, &[3, 4]),
            t("运营优化", "yang.fan", 121, 140, 1, &[5]),
        ],
        budget: &[("services", "视觉设计外包", 180_000), ("labour", "内部开发工时", 100_000), ("other", "图片版权与字体授权", 20_000)],
        criteria: &[("移动端页面评分 ≥ 90", "Lighthouse 测试"), ("线索表单可用并接入销售线索", "端到端测试")],
        risks: &[("设计返工", "多轮评审导致设计返工。", 3, 2, "限定评审轮次", "yang.fan")],
        kickoff: ("确定改版范围与风格方向。", "设计稿两轮评审封版。"),
        stage: Stage::Approved,
    },
    Project {
        name: P6,
        dept: "production",
        manager: "xu.ming",
        sponsor: "zhao.min",
        start: -150,
        end: -5,
        budget_yuan: 900_000,
        priority: "high",
        objectives: "建立覆盖原料到成品的质量追溯平台，质量问题追溯时间从 2 天缩短到 2 小时。",
        scope_in: "需求分析、系统设计、开发、测试、上线、试运行；对接 MES 与 ERP。",
        scope_out: "供应商门户；移动端 App。",
        team: &[("xu.ming", "项目经理", "计划、协调、风险管理", 40), ("hu.bin", "业务代表", "需求、测试、推广", 30), ("han.xiao", "开发工程师", "系统开发与接口", 60), ("zhu.gang", "业务负责人", "需求确认、验收", 10)],
        tasks: &[
            t("需求分析", "hu.bin", 0, 20, 2, &[]),
            t("系统设计", "han.xiao", 21, 40, 2, &[1]),
            t("系统开发与接口", "han.xiao", 41, 100, 5, &[2]),
            t("集成测试", "hu.bin", 101, 125, 2, &[3]),
            m("系统上线", "xu.ming", 130, &[4]),
            t("试运行与推广", "hu.bin", 131, 145, 1, &[5]),
        ],
        budget: &[("labour", "开发与实施人工", 500_000), ("services", "MES 接口开发服务", 200_000), ("equipment", "扫码终端与服务器", 150_000), ("other", "培训与推广", 50_000)],
        criteria: &[("任一批次成品可在 2 小时内追溯到原料批次", "抽取 10 个批次实测"), ("与 MES、ERP 接口数据一致", "对账报告"), ("关键用户培训覆盖率 100%", "培训签到表")],
        risks: &[("MES 接口文档不全", "MES 厂商支持不及时。", 3, 3, "合同约定接口支持响应时间", "xu.ming")],
        kickoff: ("明确追溯范围为原料到成品；上线后试运行两周。", "需求冻结后变更走变更申请。"),
        stage: Stage::Approved,
    },
    Project {
        name: P2,
        dept: "logistics",
        manager: "xu.ming",
        sponsor: "sun.wei",
        start: -90,
        end: 30,
        budget_yuan: 2_500_000,
        priority: "critical",
        objectives: "华东仓库实现自动化立体存储与分拣，出库效率提升 40%，差错率低于 0.1%。",
        scope_in: "方案设计、设备采购、土建改造、设备安装调试、WMS 联调、投入运行。",
        scope_out: "华南仓库；运输管理系统。",
        team: &[("xu.ming", "项目经理", "计划、协调、供应商管理", 40), ("he.na", "仓储协调", "现场协调、联调、运行准备", 60), ("guo.peng", "业务负责人", "需求与采购决策", 20), ("hu.bin", "设备工程师", "土建与安装调试", 50)],
        tasks: &[
            t("方案设计", "xu.ming", 0, 20, 2, &[]),
            t("设备采购", "guo.peng", 21, 50, 3, &[1]),
            t("土建改造", "hu.bin", 30, 65, 3, &[1]),
            m("设备到货", "he.na", 70, &[2]),
            t("设备安装调试", "hu.bin", 71, 100, 4, &[3, 4]),
            t("WMS 系统联调", "he.na", 90, 110, 2, &[5]),
            m("投入运行", "guo.peng", 120, &[6]),
        ],
        budget: &[("equipment", "立体货架、堆垛机与分拣线", 1_600_000), ("material", "土建改造材料", 300_000), ("labour", "安装与改造人工", 400_000), ("services", "WMS 接口服务", 150_000), ("travel", "供应商驻场差旅", 50_000)],
        criteria: &[("出库效率提升 ≥ 40%", "上线前后一个月对比"), ("分拣差错率 < 0.1%", "抽检 1,000 单"), ("设备安全验收通过", "第三方安全检测报告")],
        risks: &[("设备交付延误", "堆垛机供应商产能紧张。", 4, 4, "分批交付，预留缓冲", "guo.peng"), ("改造期间影响发货", "改造与日常作业交叉。", 3, 3, "夜间施工，分区改造", "he.na")],
        kickoff: ("确定分两区改造，改造期间保持发货。", "供应商每周报告交付进度。"),
        stage: Stage::Approved,
    },
    Project {
        name: P1,
        dept: "finance",
        manager: "xu.ming",
        sponsor: "zhao.min",
        start: -60,
        end: 60,
        budget_yuan: 800_000,
        priority: "high",
        objectives: "ERP 升级到新版本，财务月结从 5 天缩短到 3 天，业务财务数据一致。",
        scope_in: "需求调研、系统配置与开发、数据迁移、用户验收测试、上线切换与支持。",
        scope_out: "人力资源模块；合并报表。",
        team: &[("xu.ming", "项目经理", "计划、协调、进度与成本控制", 60), ("ma.lin", "关键用户", "需求、测试、培训", 40), ("tang.kai", "开发工程师", "配置、开发与数据迁移", 80), ("zheng.hong", "业务负责人", "需求确认、验收", 20)],
        tasks: &[
            t("需求调研", "xu.ming", 0, 14, 2, &[]),
            m("需求确认", "zheng.hong", 15, &[1]),
            t("系统配置与开发", "tang.kai", 16, 60, 5, &[2]),
            t("数据迁移", "tang.kai", 50, 75, 3, &[3]),
            t("用户验收测试", "ma.lin", 76, 100, 3, &[4]),
            m("上线切换", "xu.ming", 105, &[5]),
            t("上线支持", "ma.lin", 106, 120, 2, &[6]),
        ],
        budget: &[("labour", "实施顾问与开发人工", 400_000), ("services", "软件许可升级", 250_000), ("equipment", "服务器扩容", 100_000), ("travel", "顾问差旅", 20_000), ("other", "培训", 30_000)],
        criteria: &[("财务月结可在系统内 3 天完成", "两次模拟月结"), ("数据迁移准确率 100%", "抽样核对余额与明细"), ("关键页面响应时间 < 2 秒", "压力测试报告")],
        risks: &[("关键用户时间不足", "月结期间关键用户无法参与测试。", 3, 3, "测试避开月结周", "ma.lin"), ("历史数据质量差", "旧系统存在重复客户与科目。", 4, 3, "迁移前清洗并双人复核", "tang.kai")],
        kickoff: ("确认升级范围；上线切换安排在月初。", "关键用户每周投入两天。"),
        stage: Stage::Approved,
    },
    Project {
        name: P3,
        dept: "customer_service",
        manager: "wu.hao",
        sponsor: "sun.wei",
        start: -45,
        end: 45,
        budget_yuan: 600_000,
        priority: "medium",
        objectives: "客服热线迁移到云呼叫平台，接通率达到 95%，工单与来电自动关联。",
        scope_in: "需求分析、平台选型与部署、知识库迁移、坐席培训、试运行、上线。",
        scope_out: "在线客服机器人；海外号码。",
        team: &[("wu.hao", "项目经理", "计划、协调、供应商管理", 30), ("zhou.jie", "业务代表", "需求、知识库、测试", 50), ("huang.li", "业务负责人", "需求确认、培训、验收", 20), ("han.xiao", "开发工程师", "平台部署与集成", 70)],
        tasks: &[
            t("需求分析", "zhou.jie", 0, 10, 1, &[]),
            t("呼叫平台选型", "wu.hao", 11, 20, 1, &[1]),
            t("平台部署与集成", "han.xiao", 21, 45, 3, &[2]),
            t("知识库迁移", "zhou.jie", 30, 60, 2, &[1]),
            t("坐席培训", "huang.li", 61, 75, 1, &[3, 4]),
            m("试运行", "wu.hao", 76, &[5]),
            m("正式上线", "wu.hao", 90, &[6]),
        ],
        budget: &[("services", "云呼叫平台年费与部署", 300_000), ("labour", "集成开发人工", 200_000), ("equipment", "耳麦与坐席终端", 60_000), ("other", "培训", 40_000)],
        criteria: &[("接通率 ≥ 95%", "试运行两周统计"), ("来电自动关联客户与工单", "20 个场景测试"), ("知识库条目迁移完整", "条目数核对")],
        risks: &[("通话质量不稳定", "网络带宽不足。", 2, 4, "专线接入并压测", "han.xiao")],
        kickoff: ("平台采用云部署；保留原号码。", "试运行期间新旧系统并行。"),
        stage: Stage::Approved,
    },
    Project {
        name: P4,
        dept: "production",
        manager: "hu.bin",
        sponsor: "zhao.min",
        start: 7,
        end: 120,
        budget_yuan: 1_200_000,
        priority: "high",
        objectives: "X200 完成试产，一次合格率 ≥ 95%，形成量产工艺文件。",
        scope_in: "试产准备、工装夹具、首件试制、小批量试产、质量评审、量产决策。",
        scope_out: "量产爬坡；海外认证。",
        team: &[("hu.bin", "项目经理", "计划、生产组织", 70), ("zhu.gang", "业务负责人", "资源协调、量产决策", 20), ("song.jia", "研发支持", "设计问题闭环", 30), ("tang.kai", "工艺工程师", "工装夹具与工艺文件", 40)],
        tasks: &[
            t("试产准备", "hu.bin", 0, 20, 2, &[]),
            t("工装夹具制作", "tang.kai", 10, 40, 3, &[]),
            m("首件试制", "hu.bin", 45, &[1, 2]),
            t("小批量试产", "hu.bin", 46, 90, 4, &[3]),
            t("质量评审", "song.jia", 91, 105, 2, &[4]),
            m("量产决策", "zhu.gang", 113, &[5]),
        ],
        budget: &[("material", "试产物料", 500_000), ("equipment", "工装夹具", 400_000), ("labour", "试产人工", 250_000), ("other", "检测费用", 50_000)],
        criteria: &[("一次合格率 ≥ 95%", "试产批次统计"), ("工艺文件齐套", "文件评审")],
        risks: &[("关键物料短缺", "芯片供应紧张。", 3, 4, "提前锁定库存", "hu.bin")],
        kickoff: ("试产批量 500 台。", "每周质量例会。"),
        stage: Stage::PlanReview,
    },
    Project {
        name: P5,
        dept: "sales",
        manager: "li.qiang",
        sponsor: "sun.wei",
        start: 14,
        end: 100,
        budget_yuan: 200_000,
        priority: "medium",
        objectives: "建立销售新人与骨干分层培训体系，新人三个月内独立签单率达到 60%。",
        scope_in: "培训需求调研、课程体系设计、讲师培养、试点培训。",
        scope_out: "管理层领导力培训。",
        team: &[("li.qiang", "项目经理", "计划与课程体系", 30), ("zhang.lei", "内部讲师", "课程开发与授课", 30), ("liang.yu", "培训协调", "组织与评估", 40)],
        tasks: &[t("培训需求调研", "zhang.lei", 0, 14, 1, &[]), t("课程体系设计", "li.qiang", 15, 40, 2, &[1])],
        budget: &[],
        criteria: &[],
        risks: &[],
        kickoff: ("培训对象为入职两年内的销售。", "先做需求调研再定课程。"),
        stage: Stage::Initiating,
    },
];

async fn user(tx: &mut Tx, username: &str) -> DbResult<Option<(i64, String)>> {
    tx.fetch_optional("SELECT id, display_name FROM users WHERE username = $1", args![username]).await
}

async fn dept(tx: &mut Tx, code: &str) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx.fetch_optional("SELECT id FROM departments WHERE code = $1", args![code]).await?;
    Ok(r.map(|r| r.0))
}

/// 10:00 company time on `d` plus `hours`.
fn at(d: NaiveDate, hours: i64) -> DateTime<Utc> {
    company_midnight(d) + Duration::hours(10 + hours)
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM projects", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let today = company_today(Utc::now());
    let mut tx = db.begin().await?;
    for p in PROJECTS {
        if !insert(&mut tx, p, today).await? {
            return Ok(());
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Inserts one project and its plan; false when a person or department it
/// needs is missing (nothing is then added).
async fn insert(tx: &mut Tx, p: &Project, today: NaiveDate) -> Result<bool, AppError> {
    let (Some(manager), Some(sponsor), Some(dept_id)) = (user(tx, p.manager).await?, user(tx, p.sponsor).await?, dept(tx, p.dept).await?) else {
        return Ok(false);
    };
    let start = today + Duration::days(p.start);
    let end = today + Duration::days(p.end);
    // Initiated about three weeks before the start, kickoff five days before it.
    let created = at(start - Duration::days(21), 0);
    let kickoff_day = start - Duration::days(5);
    let number = crate::core::db::next_number(tx, "projects", "XM", company_year(created)).await?;
    let project: i64 = tx
        .scalar(
            "INSERT INTO projects (number, name, requesting_department_id, manager_id, sponsor_id, objectives, scope_in, scope_out, \
             start_date, end_date, budget_minor, currency, priority, status, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16, $15, $16) RETURNING id",
            args![
                number.clone(), p.name, dept_id, manager.0, sponsor.0, p.objectives, p.scope_in, p.scope_out, start, end,
                p.budget_yuan * 100, "CNY", p.priority, "initiating", created, manager.0
            ],
        )
        .await?;
    let mut members = Vec::new();
    for (username, role, resp, pct) in p.team {
        let Some(u) = user(tx, username).await? else { continue };
        tx.execute(
            "INSERT INTO project_members (project_id, user_id, role, responsibilities, allocation_pct, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7)",
            args![project, u.0, *role, *resp, *pct, created, manager.0],
        )
        .await?;
        members.push(u);
    }
    let attendees = members.iter().map(|m| m.1.as_str()).collect::<Vec<_>>().join("、");
    let kickoff_at = at(kickoff_day, 6);
    let meeting: i64 = tx
        .scalar(
            "INSERT INTO project_meetings (project_id, kind, held_on, attendees, minutes, decisions, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            args![project, "kickoff", kickoff_day, attendees, p.kickoff.0, p.kickoff.1, kickoff_at, manager.0],
        )
        .await?;
    for u in &members {
        tx.execute("INSERT INTO project_meeting_attendees (meeting_id, user_id) VALUES ($1, $2)", args![meeting, u.0]).await?;
    }
    let planned_at = at(kickoff_day + Duration::days(1), 0);
    let mut task_ids: Vec<i64> = Vec::new();
    for (i, task) in p.tasks.iter().enumerate() {
        let Some(a) = user(tx, task.assignee).await? else { continue };
        let id: i64 = tx
            .scalar(
                "INSERT INTO project_tasks (project_id, position, name, kind, assignee_id, planned_start, planned_end, weight, version, \
                 created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9, $10) RETURNING id",
                args![
                    project,
                    (i + 1) as i64,
                    task.name,
                    if task.milestone { "milestone" } else { "task" },
                    a.0,
                    start + Duration::days(task.from),
                    start + Duration::days(task.to),
                    task.weight,
                    planned_at,
                    manager.0
                ],
            )
            .await?;
        task_ids.push(id);
        for d in task.deps {
            if let Some(on) = task_ids.get(d - 1) {
                tx.execute("INSERT INTO project_task_deps (task_id, depends_on_id) VALUES ($1, $2)", args![id, *on]).await?;
            }
        }
    }
    for (cat, desc, yuan) in p.budget {
        tx.execute(
            "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6)",
            args![project, *cat, *desc, yuan * 100, planned_at, manager.0],
        )
        .await?;
    }
    for (i, (criterion, method)) in p.criteria.iter().enumerate() {
        tx.execute(
            "INSERT INTO project_quality_criteria (project_id, position, criterion, method, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6)",
            args![project, (i + 1) as i64, *criterion, *method, planned_at, manager.0],
        )
        .await?;
    }
    for (title, desc, l, i, response, owner) in p.risks {
        let Some(o) = user(tx, owner).await? else { continue };
        tx.execute(
            "INSERT INTO project_risks (project_id, title, description, likelihood, impact, response, owner_id, status, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9, $10)",
            args![project, *title, *desc, *l, *i, *response, o.0, "open", planned_at, manager.0],
        )
        .await?;
    }
    if p.stage == Stage::Initiating {
        return Ok(true);
    }
    // Submitted three days after planning; reviews by the configured departments.
    let submitted = planned_at + Duration::days(1);
    let reviewers = review_departments(tx).await?;
    let review_at = submitted + Duration::hours(20);
    let ctx = Ctx { project, number: number.clone(), name: p.name, sponsor: sponsor.0, manager: manager.0 };
    if p.stage == Stage::PlanReview {
        // Finance has approved; the PMO has not yet.
        tx.execute(
            "UPDATE projects SET status = $1, plan_round = 1, updated_at = $2 WHERE id = $3",
            args!["plan_review", submitted, project],
        )
        .await?;
        for (dept_id, code) in &reviewers {
            let done = code == "finance";
            let reviewer = if done { user(tx, "zheng.hong").await?.map(|u| u.0) } else { None };
            let id = step(tx, &ctx, None, 1, "review", Some(*dept_id), if done { "approved" } else { "pending" }, reviewer, submitted, done.then_some(review_at)).await?;
            if !done {
                review_task(tx, &ctx, id, *dept_id, submitted).await?;
            }
        }
        step(tx, &ctx, None, 1, "approval", None, "waiting", None, submitted, None).await?;
        return Ok(true);
    }
    // Approved: every review, then the leader, the day before the kickoff + 2.
    let approved_at = submitted + Duration::days(1) + Duration::hours(4);
    for (dept_id, code) in &reviewers {
        let reviewer = dept_manager(tx, code).await?;
        step(tx, &ctx, None, 1, "review", Some(*dept_id), "approved", reviewer, submitted, Some(review_at)).await?;
    }
    step(tx, &ctx, None, 1, "approval", None, "approved", Some(sponsor.0), submitted, Some(approved_at)).await?;
    freeze_baseline(tx, &ctx, start, end, None, approved_at).await?;
    if p.name == P1 {
        change_request(tx, &ctx, today).await?;
    }
    if end < today {
        // Finished projects: every task done as planned (execution's demo adds
        // their meetings and costs, acceptance their application or report).
        tx.execute(
            "UPDATE project_tasks SET pct_done = 100, actual_start = planned_start, actual_end = planned_end, remaining_hours = 0 \
             WHERE project_id = $1",
            args![project],
        )
        .await?;
    }
    Ok(true)
}

struct Ctx {
    project: i64,
    number: String,
    name: &'static str,
    sponsor: i64,
    manager: i64,
}

async fn review_departments(tx: &mut Tx) -> DbResult<Vec<(i64, String)>> {
    let codes = crate::settings::store::get_tx(tx, crate::settings::PLAN_REVIEW_DEPARTMENTS).await?;
    let mut out = Vec::new();
    for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if let Some(id) = dept(tx, code).await? {
            out.push((id, code.to_string()));
        }
    }
    Ok(out)
}

async fn dept_manager(tx: &mut Tx, code: &str) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT u.id FROM users u JOIN departments d ON d.id = u.department_id WHERE d.code = $1 AND u.role = $2 ORDER BY u.id LIMIT 1",
            args![code, "manager"],
        )
        .await?;
    Ok(r.map(|r| r.0))
}

#[allow(clippy::too_many_arguments)]
async fn step(
    tx: &mut Tx,
    c: &Ctx,
    change_request: Option<i64>,
    round: i64,
    kind: &str,
    dept_id: Option<i64>,
    status: &str,
    by: Option<i64>,
    created: DateTime<Utc>,
    decided: Option<DateTime<Utc>>,
) -> DbResult<i64> {
    tx.scalar(
        "INSERT INTO project_approvals (project_id, change_request_id, round, step, department_id, status, decided_by, comment, \
         decided_at, version, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13) RETURNING id",
        args![
            c.project,
            change_request,
            round,
            kind,
            dept_id,
            status,
            by,
            "",
            decided,
            created,
            c.manager,
            decided.unwrap_or(created),
            by.unwrap_or(c.manager)
        ],
    )
    .await
}

async fn review_task(tx: &mut Tx, c: &Ctx, step_id: i64, dept_id: i64, at: DateTime<Utc>) -> DbResult<()> {
    let due = company_midnight(add_working_days(crate::core::time::company_date(at), 3));
    crate::inbox::store::insert(
        tx,
        crate::inbox::store::NewItem {
            user_id: None,
            department_id: Some(dept_id),
            kind: "task",
            title: K::ProjectsTaskReviewPlan,
            params: vec![("number".into(), c.number.clone()), ("name".into(), c.name.to_string())],
            link: format!("/projects/{}/approval", c.project),
            due_at: Some(due),
            source_entity: "project_approval",
            source_id: Some(step_id),
        },
        Some(c.manager),
        at,
    )
    .await?;
    Ok(())
}

/// Baseline v1 from the current plan (as part E's approval does).
async fn freeze_baseline(
    tx: &mut Tx,
    c: &Ctx,
    start: NaiveDate,
    end: NaiveDate,
    change_request: Option<i64>,
    approved_at: DateTime<Utc>,
) -> DbResult<()> {
    let budget: i64 = tx.scalar("SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM project_budget_lines WHERE project_id = $1", args![c.project]).await?;
    let baseline: i64 = tx
        .scalar(
            "INSERT INTO project_baselines (project_id, version, change_request_id, start_date, end_date, budget_minor, approved_at, approved_by) \
             VALUES ($1, 1, $2, $3, $4, $5, $6, $7) RETURNING id",
            args![c.project, change_request, start, end, budget, approved_at, c.sponsor],
        )
        .await?;
    tx.execute(
        "INSERT INTO project_baseline_tasks (baseline_id, task_id, name, kind, planned_start, planned_end, weight) \
         SELECT $1, id, name, kind, planned_start, planned_end, weight FROM project_tasks WHERE project_id = $2 AND kind IN ($3, $4)",
        args![baseline, c.project, "task", "milestone"],
    )
    .await?;
    tx.execute(
        "INSERT INTO project_baseline_budget (baseline_id, budget_line_id, category, description, amount_minor) \
         SELECT $1, id, category, description, amount_minor FROM project_budget_lines WHERE project_id = $2",
        args![baseline, c.project],
    )
    .await?;
    tx.execute(
        "UPDATE project_tasks SET baseline_start = planned_start, baseline_end = planned_end WHERE project_id = $1 AND kind IN ($2, $3)",
        args![c.project, "task", "milestone"],
    )
    .await?;
    tx.execute("UPDATE project_budget_lines SET baseline_amount_minor = amount_minor WHERE project_id = $1", args![c.project]).await?;
    tx.execute(
        "UPDATE projects SET status = $1, plan_round = 1, baseline_version = 1, first_approved_at = $2, approved_at = $2, updated_at = $2, \
         updated_by = $3 WHERE id = $4",
        args!["executing", approved_at, c.sponsor, c.project],
    )
    .await?;
    Ok(())
}

/// P1: a data-migration service added to the plan (¥50,000) and proposed as
/// the new baseline two days ago; the reviews are pending.
async fn change_request(tx: &mut Tx, c: &Ctx, today: NaiveDate) -> DbResult<()> {
    let at_ = at(today - Duration::days(2), 0);
    tx.execute(
        "INSERT INTO project_budget_lines (project_id, category, description, amount_minor, version, created_at, created_by, \
         updated_at, updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6)",
        args![c.project, "services", "数据迁移外包服务", 5_000_000i64, at_ - Duration::hours(2), c.manager],
    )
    .await?;
    let end: NaiveDate = tx.scalar("SELECT MAX(planned_end) FROM project_tasks WHERE project_id = $1", args![c.project]).await?;
    let budget: i64 = tx.scalar("SELECT CAST(SUM(amount_minor) AS BIGINT) FROM project_budget_lines WHERE project_id = $1", args![c.project]).await?;
    let cr: i64 = tx
        .scalar(
            "INSERT INTO project_change_requests (project_id, seq, reason, impact, proposed_end, proposed_budget_minor, status, version, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, 1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            args![
                c.project,
                "历史数据质量低于预期，需外包数据清洗与迁移服务。",
                "预算增加 5 万元，工期不变；降低数据迁移风险。",
                end,
                budget,
                "in_review",
                at_,
                c.manager
            ],
        )
        .await?;
    for (dept_id, _) in review_departments(tx).await? {
        let id = step(tx, c, Some(cr), 1, "review", Some(dept_id), "pending", None, at_, None).await?;
        let due = company_midnight(add_working_days(today - Duration::days(2), 3));
        crate::inbox::store::insert(
            tx,
            crate::inbox::store::NewItem {
                user_id: None,
                department_id: Some(dept_id),
                kind: "task",
                title: K::ProjectsTaskReviewChange,
                params: vec![("seq".into(), "1".into()), ("number".into(), c.number.clone()), ("name".into(), c.name.to_string())],
                link: format!("/projects/{}/approval", c.project),
                due_at: Some(due),
                source_entity: "project_approval",
                source_id: Some(id),
            },
            Some(c.manager),
            at_,
        )
        .await?;
    }
    step(tx, c, Some(cr), 1, "approval", None, "waiting", None, at_, None).await?;
    Ok(())
}
