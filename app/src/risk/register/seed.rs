//! Demo data of the register (5.1): risks in every category and level across
//! the departments, each with its assessments over the last nine months
//! (written as past events, relative to today, deterministic), the plan risks
//! of project P2 linked into the register, last quarter's round closed with
//! every department submitted and this quarter's round open with some
//! departments submitted and the rest pending.
use super::model::{previous_quarter_start, quarter_of, quarter_start, RoundData};
use super::store;
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::{Db, DbResult, Tx};
use crate::core::error::AppError;
use crate::core::time::{company_midnight, company_today, company_year};
use crate::risk::model::Bands;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// When an assessment was made.
#[derive(Clone, Copy)]
enum When {
    /// This many days before today (before either round).
    DaysAgo(i64),
    /// During last quarter's round.
    LastRound,
    /// During this quarter's round (only for departments that submitted it).
    ThisRound,
}

/// One past assessment: (when, residual?, likelihood, impact, rationale, probability %, loss in yuan).
type Step = (When, bool, i64, i64, &'static str, Option<i64>, Option<i64>);

struct Demo {
    name: &'static str,
    description: &'static str,
    source: &'static str,
    category: &'static str,
    dept: &'static str,
    owner: &'static str,
    link: Link,
    history: &'static [Step],
    status: &'static str,
    closed_reason: &'static str,
}

#[derive(Clone, Copy, PartialEq)]
enum Link {
    None,
    Customer,
    Contract,
    Project,
}

use When::*;

/// Departments that submitted this quarter's round (their risks were all re-assessed in it).
const SUBMITTED_NOW: &[&str] = &["finance", "legal", "logistics", "marketing"];

const RISKS: &[Demo] = &[
    Demo {
        name: "主要客户回款延迟",
        description: "华东区两家重点客户的设备款回款持续延迟，应收账款占用资金增加，影响季度现金流。",
        source: "客户自身资金紧张，合同付款条件宽松，催收跟进不及时。",
        category: "credit",
        dept: "sales",
        owner: "zhang.lei",
        link: Link::Customer,
        history: &[
            (DaysAgo(262), false, 3, 4, "两笔款项逾期 30 天以内，客户承诺月底前支付。", Some(30), Some(1_500_000)),
            (LastRound, true, 3, 3, "已签订还款计划并按月跟进，逾期金额下降。", Some(25), Some(1_200_000)),
            (DaysAgo(20), false, 5, 4, "客户再次延期，逾期已超过 90 天，金额上升至 300 万元。", Some(60), Some(3_000_000)),
            (DaysAgo(19), true, 4, 4, "已暂停发货并启动法务催收，剩余风险仍然较高。", Some(45), Some(3_000_000)),
        ],
        status: "responding",
        closed_reason: "",
    },
    Demo {
        name: "原材料价格上涨",
        description: "钢材、铜材等主要原材料价格在半年内上涨约 15%，压缩产品毛利。",
        source: "大宗商品市场波动，供应商集中度高，议价能力有限。",
        category: "market",
        dept: "production",
        owner: "zhu.gang",
        link: Link::None,
        history: &[
            (DaysAgo(255), false, 4, 3, "钢材采购均价环比上涨 8%。", None, None),
            (LastRound, true, 3, 3, "与两家供应商签订半年锁价协议。", Some(40), Some(800_000)),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "关键供应商断供",
        description: "伺服电机唯一合格供应商产能受限，交期由 4 周延长至 10 周，可能导致生产线停工。",
        source: "单一来源采购，供应商产能不足。",
        category: "operational",
        dept: "production",
        owner: "hu.bin",
        link: Link::None,
        history: &[
            (DaysAgo(240), false, 3, 5, "供应商通知交期延长，库存仅够 5 周。", Some(30), Some(5_000_000)),
            (LastRound, true, 2, 4, "已认证第二供应商并建立 8 周安全库存。", Some(15), Some(2_000_000)),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "合同条款法律纠纷",
        description: "一份设备供货合同的验收标准与违约责任条款存在歧义，客户主张高额违约金。",
        source: "合同模板未经法务审核即对外签署，验收标准表述不清。",
        category: "legal",
        dept: "legal",
        owner: "lin.tao",
        link: Link::Contract,
        history: &[
            (DaysAgo(230), false, 3, 4, "客户发函主张违约金 80 万元。", Some(35), Some(800_000)),
            (LastRound, true, 2, 3, "双方达成补充协议，明确验收标准。", Some(15), Some(300_000)),
            (ThisRound, true, 2, 3, "补充协议已履行，暂无新的争议。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "客户数据泄露",
        description: "CRM 与设备远程运维平台存有大量客户资料，一旦泄露将面临监管处罚与声誉损失。",
        source: "账号权限管理不严，外部攻击增加，测试环境使用真实数据。",
        category: "operational",
        dept: "rnd",
        owner: "song.jia",
        link: Link::None,
        history: &[
            (DaysAgo(270), false, 3, 5, "渗透测试发现两处高危漏洞。", Some(20), Some(10_000_000)),
            (LastRound, true, 2, 5, "漏洞已修复，启用双因素认证，但测试环境仍含真实数据。", Some(10), Some(10_000_000)),
        ],
        status: "responding",
        closed_reason: "",
    },
    Demo {
        name: "核心研发人员流失",
        description: "控制系统方向三名骨干工程师收到竞争对手邀约，可能影响新产品研发进度。",
        source: "行业人才竞争激烈，薪酬低于市场水平，缺少长期激励。",
        category: "operational",
        dept: "rnd",
        owner: "song.jia",
        link: Link::None,
        history: &[
            (DaysAgo(200), false, 3, 4, "一名骨干已提出离职。", None, None),
            (LastRound, true, 2, 3, "实施项目奖金与股权激励方案，关键岗位设置 AB 角。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "汇率波动影响进口设备成本",
        description: "部分核心零部件以欧元结算，汇率波动影响采购成本与报价。",
        source: "外币采购未做套期保值。",
        category: "market",
        dept: "finance",
        owner: "zheng.hong",
        link: Link::None,
        history: &[
            (DaysAgo(245), false, 3, 3, "欧元兑人民币三个月内升值 4%。", Some(50), Some(600_000)),
            (LastRound, true, 2, 3, "对半年内的欧元付款办理远期结汇。", Some(30), Some(300_000)),
            (ThisRound, true, 2, 3, "远期合约按计划交割，敞口可控。", Some(30), Some(300_000)),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "应收账款坏账",
        description: "逾期 180 天以上的应收账款约 450 万元，部分客户经营困难，存在无法收回的风险。",
        source: "信用审批偏松，账龄管理和催收机制不健全。",
        category: "credit",
        dept: "finance",
        owner: "ma.lin",
        link: Link::None,
        history: &[
            (DaysAgo(250), false, 4, 5, "逾期 180 天以上余额 300 万元。", Some(50), Some(3_000_000)),
            (LastRound, false, 5, 5, "一家客户进入破产重整，逾期余额升至 450 万元。", Some(70), Some(4_500_000)),
            (LastRound, true, 4, 5, "已申报债权并计提专项坏账准备。", Some(60), Some(4_500_000)),
            (ThisRound, true, 4, 5, "重整方案尚未确定，维持原评估。", Some(60), Some(4_500_000)),
        ],
        status: "responding",
        closed_reason: "",
    },
    Demo {
        name: "仓储自动化改造延期",
        description: "华东仓储自动化改造涉及立体库与输送线安装，设备到货或调试延误将推迟上线。",
        source: "设备供应商交付能力、现场施工与日常作业交叉。",
        category: "operational",
        dept: "pmo",
        owner: "xu.ming",
        link: Link::Project,
        history: &[
            (DaysAgo(150), false, 4, 4, "立体库货架到货推迟两周。", Some(50), Some(1_200_000)),
            (LastRound, true, 3, 3, "调整施工顺序，周末集中调试。", Some(30), Some(800_000)),
        ],
        status: "responding",
        closed_reason: "",
    },
    Demo {
        name: "运输途中货损",
        description: "大型设备长途运输中出现碰撞、受潮，导致返修和客户投诉。",
        source: "包装标准不统一，承运商装卸不规范。",
        category: "operational",
        dept: "logistics",
        owner: "he.na",
        link: Link::None,
        history: &[
            (DaysAgo(210), false, 2, 3, "本季度发生 3 起货损。", None, None),
            (LastRound, true, 1, 3, "统一木箱包装标准并投保运输险。", None, None),
            (ThisRound, true, 1, 3, "本季度无货损。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "物流承运商服务中断",
        description: "主力承运商因资质问题可能暂停华南线路，影响按时交付。",
        source: "承运商集中于一家，缺少备选。",
        category: "operational",
        dept: "logistics",
        owner: "guo.peng",
        link: Link::None,
        history: &[
            (DaysAgo(180), false, 2, 4, "承运商资质年审未通过。", None, None),
            (LastRound, true, 2, 2, "已与第二家承运商签订框架协议。", None, None),
            (ThisRound, true, 2, 2, "两家承运商按比例分配运量。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "市场竞争加剧导致价格下滑",
        description: "新进入者以低价策略抢占中端市场，主力机型报价被迫下调。",
        source: "行业产能扩张，产品同质化。",
        category: "market",
        dept: "marketing",
        owner: "chen.xue",
        link: Link::None,
        history: &[
            (DaysAgo(235), false, 4, 3, "两个重点项目因价格丢单。", None, None),
            (LastRound, true, 3, 3, "推出增值服务包，突出全生命周期成本优势。", None, None),
            (ThisRound, true, 3, 3, "中标率回升至 35%。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "广告宣传合规风险",
        description: "宣传材料中使用“最先进”“第一”等绝对化用语，可能违反广告法。",
        source: "宣传材料发布前缺少合规审核。",
        category: "legal",
        dept: "marketing",
        owner: "yang.fan",
        link: Link::None,
        history: &[
            (DaysAgo(190), false, 2, 2, "官网发现两处绝对化用语。", None, None),
            (LastRound, true, 1, 2, "建立宣传材料法务审核流程。", None, None),
            (ThisRound, true, 1, 2, "新材料均经审核后发布。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "客户投诉处理不及时",
        description: "售后工单积压，投诉平均响应时间超过 48 小时，影响客户满意度。",
        source: "客服人员不足，工单系统未设置超时提醒。",
        category: "operational",
        dept: "customer_service",
        owner: "huang.li",
        link: Link::None,
        history: &[
            (DaysAgo(160), false, 3, 2, "月度投诉量 46 件，超时 12 件。", None, None),
            (LastRound, true, 2, 2, "增设夜班并启用超时预警。", None, None),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "新产品质量缺陷召回",
        description: "X200 新产品试产阶段发现控制板批次性虚焊，若流入市场可能引发召回。",
        source: "新供应商工艺不稳定，来料检验抽样比例偏低。",
        category: "operational",
        dept: "production",
        owner: "zhu.gang",
        link: Link::None,
        history: &[
            (DaysAgo(120), false, 2, 5, "试产 200 台中 6 台控制板虚焊。", Some(10), Some(6_000_000)),
            (LastRound, true, 1, 5, "来料全检并增加老化测试。", Some(5), Some(6_000_000)),
        ],
        status: "monitoring",
        closed_reason: "",
    },
    Demo {
        name: "销售人员违规承诺",
        description: "个别销售人员在合同外口头承诺免费升级与延长质保，引发履约争议。",
        source: "销售考核偏重签单额，合同外承诺缺少约束。",
        category: "legal",
        dept: "sales",
        owner: "li.qiang",
        link: Link::None,
        history: &[
            (DaysAgo(100), false, 3, 3, "本年度发生两起因口头承诺引起的争议。", None, None),
            (LastRound, false, 3, 3, "尚未制定约束措施，维持原评估。", None, None),
        ],
        status: "assessed",
        closed_reason: "",
    },
    Demo {
        name: "办公用品采购超支",
        description: "行政办公用品采购连续两个季度超出预算。",
        source: "采购缺少审批与比价。",
        category: "operational",
        dept: "finance",
        owner: "ma.lin",
        link: Link::None,
        history: &[
            (DaysAgo(265), false, 2, 1, "超支约 8%。", None, None),
            (DaysAgo(140), true, 1, 1, "集中采购与比价制度执行后已不再超支。", None, None),
        ],
        status: "closed",
        closed_reason: "集中采购制度执行两个季度，未再超支，风险消除。",
    },
    Demo {
        name: "展会项目取消",
        description: "计划参加的行业展会可能因主办方原因取消，已付展位费面临损失。",
        source: "主办方经营状况不佳。",
        category: "market",
        dept: "marketing",
        owner: "chen.xue",
        link: Link::None,
        history: &[
            (DaysAgo(220), false, 2, 2, "主办方推迟公布展会日期。", Some(30), Some(80_000)),
            (DaysAgo(170), true, 1, 2, "展会如期举办，展位费已结清。", None, None),
        ],
        status: "closed",
        closed_reason: "展会已如期举办，风险不再存在。",
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

/// The two demo rounds' dates: (last start, last due, this start, this due).
fn round_dates(today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate, NaiveDate) {
    let last_start = previous_quarter_start(today) + Duration::days(7);
    let last_due = last_start + Duration::days(30);
    let this_start = (quarter_start(today) + Duration::days(7)).min(today);
    let this_due = today + Duration::days(14);
    (last_start, last_due, this_start, this_due)
}

/// Writes one past assessment: the history row with the level then, and the
/// risk's columns as they stood after it.
#[allow(clippy::too_many_arguments)]
async fn assessment(
    tx: &mut Tx,
    bands: &Bands,
    risk_id: i64,
    residual: bool,
    l: i64,
    i: i64,
    rationale: &str,
    prob: Option<i64>,
    loss_yuan: Option<i64>,
    round_id: Option<i64>,
    by: i64,
    when: DateTime<Utc>,
) -> DbResult<()> {
    let score = l * i;
    let prob_bp = prob.map(|p| p * 100);
    let loss = loss_yuan.map(|y| y * 100);
    let expected = match (prob_bp, loss) {
        (Some(p), Some(x)) => Some(super::model::expected_loss(p, x)),
        _ => None,
    };
    let kind = if residual { "residual" } else { "inherent" };
    tx.execute(
        "INSERT INTO risk_assessments (risk_id, kind, likelihood, impact, score, level, probability_bp, loss_minor, expected_loss_minor, \
         rationale, round_id, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        args![risk_id, kind, l, i, score, bands.level(score).code(), prob_bp, loss, expected, rationale, round_id, by, when],
    )
    .await?;
    let (lc, ic, sc) = if residual {
        ("residual_likelihood", "residual_impact", "residual_score")
    } else {
        ("inherent_likelihood", "inherent_impact", "inherent_score")
    };
    tx.execute(
        &format!(
            "UPDATE risks SET {lc} = $1, {ic} = $2, {sc} = $3, current_score = COALESCE(residual_score, inherent_score, $3), \
             probability_bp = COALESCE($4, probability_bp), loss_minor = COALESCE($5, loss_minor), \
             expected_loss_minor = COALESCE($6, expected_loss_minor), last_assessed_at = $7, updated_at = $7 WHERE id = $8"
        ),
        args![l, i, score, prob_bp, loss, expected, when, risk_id],
    )
    .await?;
    if residual {
        tx.execute("UPDATE risks SET current_score = residual_score WHERE id = $1", args![risk_id]).await?;
    }
    Ok(())
}

#[allow(clippy::type_complexity)]
pub async fn demo(db: &Db) -> Result<(), AppError> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM risks", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let today = company_today(now);
    let bands = crate::risk::store::bands(db).await?;
    let (last_start, last_due, this_start, this_due) = round_dates(today);
    let mut tx = db.begin().await?;
    let Some((risk_mgr, _)) = user(&mut tx, "luo.yan").await? else { return Ok(()) };
    let actor = Actor::system("seed");
    // Participants: every active department but HR.
    let depts: Vec<(i64, String)> = tx.fetch_all("SELECT id, code FROM departments WHERE active = $1 ORDER BY id", args![true]).await?;
    let participants: Vec<i64> = depts.iter().filter(|d| super::model::default_participant(&d.1)).map(|d| d.0).collect();
    let last = store::open_round(
        &mut tx,
        &actor,
        risk_mgr,
        &RoundData {
            name: format!("{} 风险评估", quarter_of(last_start)),
            period: quarter_of(last_start),
            starts_on: last_start,
            due_on: last_due,
            note: "请各部门复核本部门风险清单，更新固有与剩余风险评估。".into(),
        },
        &participants,
        at(last_start, 0),
    )
    .await?;
    let this = store::open_round(
        &mut tx,
        &actor,
        risk_mgr,
        &RoundData {
            name: format!("{} 风险评估", quarter_of(this_start)),
            period: quarter_of(this_start),
            starts_on: this_start,
            due_on: this_due,
            note: "重点关注信用风险与供应链风险，补充量化评估。".into(),
        },
        &participants,
        company_midnight(this_start) + (now - company_midnight(this_start)) / 5,
    )
    .await?;
    let customer: Option<(i64,)> = tx.fetch_optional("SELECT id FROM customers ORDER BY id LIMIT 1", vec![]).await?;
    let contract: Option<(i64,)> = tx.fetch_optional("SELECT id FROM contracts ORDER BY id LIMIT 1", vec![]).await?;
    let project: Option<(i64, i64)> =
        tx.fetch_optional("SELECT id, requesting_department_id FROM projects WHERE name = $1", args![crate::projects::demo::P2]).await?;
    // Times inside this round: between its start and now.
    let this_from = company_midnight(this_start);
    let in_this = |k: i64| this_from + (now - this_from) * (2 + k as i32 % 5) / 8;
    for (idx, r) in RISKS.iter().enumerate() {
        let (Some(owner), Some(dept_id)) = (user(&mut tx, r.owner).await?, dept(&mut tx, r.dept).await?) else { continue };
        let Some(cat) = store::category_by_code_tx(&mut tx, r.category).await? else { continue };
        let first = match r.history.first() {
            Some((DaysAgo(d), ..)) => at(today - Duration::days(*d), 0) - Duration::days(3),
            _ => at(last_start, 0) - Duration::days(3),
        };
        let number = crate::core::db::next_number(&mut tx, "risks", "FX", company_year(first)).await?;
        let data = super::model::RiskData {
            name: r.name.into(),
            description: r.description.into(),
            source: r.source.into(),
            category_id: cat.id,
            department_id: dept_id,
            owner_id: owner.0,
            customer_id: if r.link == Link::Customer { customer.map(|c| c.0) } else { None },
            contract_id: if r.link == Link::Contract { contract.map(|c| c.0) } else { None },
            project_id: if r.link == Link::Project { project.map(|p| p.0) } else { None },
            round_id: None,
        };
        let id = store::insert_risk(&mut tx, &actor, &number, &data, first).await?;
        tx.execute("UPDATE risks SET created_at = $1, created_by = $2 WHERE id = $3", args![first, owner.0, id]).await?;
        let mut last_round_used = None;
        for (step, (when, residual, l, i, why, prob, loss)) in r.history.iter().enumerate() {
            let (t, round) = match when {
                DaysAgo(d) => (at(today - Duration::days(*d), step as i64), None),
                LastRound => (at(last_start + Duration::days(3 + (idx as i64 % 12)), step as i64), Some(last)),
                ThisRound => (in_this(idx as i64), Some(this)),
            };
            if round.is_some() {
                last_round_used = round;
            }
            assessment(&mut tx, &bands, id, *residual, *l, *i, why, *prob, *loss, round, owner.0, t).await?;
        }
        let closed_at = (r.status == "closed").then(|| at(today - Duration::days(100 + idx as i64), 2));
        tx.execute(
            "UPDATE risks SET status = $1, closed_at = $2, closed_reason = $3, round_id = $4 WHERE id = $5",
            args![r.status, closed_at, r.closed_reason, last_round_used, id],
        )
        .await?;
    }
    // P2's plan risks in the register (2.4.1-b, 2.4.3-d).
    if let Some((pid, pdept)) = project {
        let plan: Vec<(i64, String, String, i64, i64, String, i64)> = tx
            .fetch_all(
                "SELECT id, title, description, likelihood, impact, response, owner_id FROM project_risks WHERE project_id = $1 AND risk_id IS NULL ORDER BY id",
                args![pid],
            )
            .await?;
        let pnum: String = tx.scalar("SELECT number FROM projects WHERE id = $1", args![pid]).await?;
        let cat = store::category_by_code_tx(&mut tx, "operational").await?.map(|c| c.id).unwrap_or(1);
        for (k, (prid, title, description, l, i, response, owner)) in plan.into_iter().enumerate() {
            let first = at(today - Duration::days(140 - k as i64), 0);
            let number = crate::core::db::next_number(&mut tx, "risks", "FX", company_year(first)).await?;
            let data = super::model::RiskData {
                name: title.clone(),
                description,
                source: format!("{pnum} · {response}").chars().take(1000).collect(),
                category_id: cat,
                department_id: pdept,
                owner_id: owner,
                customer_id: None,
                contract_id: None,
                project_id: Some(pid),
                round_id: None,
            };
            let id = store::insert_risk(&mut tx, &actor, &number, &data, first).await?;
            tx.execute("UPDATE risks SET created_at = $1 WHERE id = $2", args![first, id]).await?;
            assessment(&mut tx, &bands, id, false, l, i, &format!("{pnum} 项目计划风险：{title}"), None, None, None, owner, first).await?;
            let (rl, ri) = ((l - 1).max(1), i);
            let t = at(last_start + Duration::days(5 + k as i64), 1);
            assessment(&mut tx, &bands, id, true, rl, ri, &response, None, None, Some(last), owner, t).await?;
            tx.execute("UPDATE risks SET status = $1, round_id = $2 WHERE id = $3", args!["responding", last, id]).await?;
            tx.execute("UPDATE project_risks SET risk_id = $1 WHERE id = $2", args![id, prid]).await?;
        }
    }
    // Last quarter's round: every department submitted, then it was closed.
    let last_round = store::round_tx(&mut tx, last).await?.ok_or(sqlx::Error::RowNotFound)?;
    let rows: Vec<(i64, i64)> = tx.fetch_all("SELECT id, department_id FROM risk_round_departments WHERE round_id = $1 ORDER BY id", args![last]).await?;
    for (k, (rd, dept_id)) in rows.into_iter().enumerate() {
        let Some(row) = store::round_department_tx(&mut tx, &last_round, rd).await? else { continue };
        let by = manager_of(&mut tx, dept_id).await?.unwrap_or(risk_mgr);
        store::submit(&mut tx, &actor, by, &row, row.version, "已复核本部门风险清单。", at(last_start + Duration::days(16 + k as i64 % 10), 3)).await?;
    }
    let last_round = store::round_tx(&mut tx, last).await?.ok_or(sqlx::Error::RowNotFound)?;
    store::close_round(&mut tx, &actor, &last_round, last_round.version, at(last_due + Duration::days(2), 0)).await?;
    // This quarter's round: the departments whose risks were all re-assessed submitted.
    let this_round = store::round_tx(&mut tx, this).await?.ok_or(sqlx::Error::RowNotFound)?;
    for code in SUBMITTED_NOW {
        let Some(dept_id) = dept(&mut tx, code).await? else { continue };
        let row: Option<(i64,)> =
            tx.fetch_optional("SELECT id FROM risk_round_departments WHERE round_id = $1 AND department_id = $2", args![this, dept_id]).await?;
        let Some((rd,)) = row else { continue };
        if !store::unassessed_tx(&mut tx, dept_id, store::round_since(&this_round)).await?.is_empty() {
            continue;
        }
        let Some(row) = store::round_department_tx(&mut tx, &this_round, rd).await? else { continue };
        let by = manager_of(&mut tx, dept_id).await?.unwrap_or(risk_mgr);
        store::submit(&mut tx, &actor, by, &row, row.version, "本部门风险已全部重新评估。", this_from + (now - this_from) * 7 / 8).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn manager_of(tx: &mut Tx, dept_id: i64) -> DbResult<Option<i64>> {
    let r: Option<(i64,)> = tx
        .fetch_optional("SELECT id FROM users WHERE department_id = $1 AND role = $2 AND active = $3 ORDER BY id LIMIT 1", args![dept_id, "manager", true])
        .await?;
    Ok(r.map(|r| r.0))
}
