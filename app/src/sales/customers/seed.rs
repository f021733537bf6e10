//! Demo customers (Chinese companies across China), their contacts and visits:
//! past visits with outcomes, planned visits in "My work", two overdue ones, and
//! a few prospects nobody has visited lately (so rule 2.2.1-b has something to show).
//! Deterministic: the same data every time; dates are relative to today.
use super::model::*;
use super::store;
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::Db;
use crate::core::error::AppError;
use chrono::{Duration, Utc};

/// How a demo customer's visits look.
#[derive(Clone, Copy)]
enum Visits {
    /// A recent visit and a planned one in the next weeks.
    Active,
    /// A recent visit only.
    Recent,
    /// Last visited about five months ago (a prospect like this breaks 2.2.1-b).
    Stale,
    /// Never visited.
    Never,
    /// Visited a month ago; the follow-up visit planned for three days ago was not made.
    Overdue,
}

struct Demo {
    name: &'static str,
    industry: &'static str,
    region: &'static str,
    area: &'static str,
    size: CompanySize,
    channel: SourceChannel,
    detail: &'static str,
    intent: Intent,
    status: CustomerStatus,
    key: bool,
    credit_yuan: Option<i64>,
    owner: &'static str,
    needs: &'static str,
    visits: Visits,
    /// Days since the customer was entered.
    age: i64,
}

#[allow(clippy::too_many_arguments)]
const fn c(
    name: &'static str,
    industry: &'static str,
    region: &'static str,
    area: &'static str,
    size: CompanySize,
    channel: SourceChannel,
    detail: &'static str,
    intent: Intent,
    status: CustomerStatus,
    key: bool,
    credit_yuan: Option<i64>,
    owner: &'static str,
    needs: &'static str,
    visits: Visits,
    age: i64,
) -> Demo {
    Demo { name, industry, region, area, size, channel, detail, intent, status, key, credit_yuan, owner, needs, visits, age }
}

use CompanySize as Sz;
use CustomerStatus as St;
use Intent as In;
use SourceChannel as Ch;
use Visits as V;

const CUSTOMERS: &[Demo] = &[
    c("苏州恒远精密机械有限公司", "机械制造", "江苏苏州", "0512", Sz::Large, Ch::TradeShow, "2025 上海国际工业博览会", In::High, St::Customer, true, Some(3_000_000), "wang.fang", "数控加工中心自动上下料改造，年内两条产线。", V::Active, 400),
    c("杭州云帆信息技术有限公司", "软件与信息服务", "浙江杭州", "0571", Sz::Medium, Ch::Website, "官网在线咨询", In::High, St::Prospect, false, None, "wang.fang", "机房巡检机器人试点，关注数据接口开放。", V::Active, 60),
    c("深圳市创联电子科技有限公司", "电子制造", "广东深圳", "0755", Sz::Large, Ch::Referral, "苏州恒远介绍", In::High, St::Customer, true, Some(5_000_000), "zhang.lei", "SMT 产线 AGV 物流，要求三个月内交付。", V::Active, 380),
    c("成都天府新材料股份有限公司", "新材料", "四川成都", "028", Sz::Medium, Ch::TradeShow, "2026 成都国际工业博览会", In::Medium, St::Prospect, false, None, "liu.yang", "粉体自动称量与包装线。", V::Recent, 120),
    c("武汉长江汽车零部件有限公司", "汽车零部件", "湖北武汉", "027", Sz::Large, Ch::ColdCall, "电话开发", In::Medium, St::Customer, false, Some(2_000_000), "zhang.lei", "焊装车间视觉检测设备升级。", V::Active, 300),
    c("青岛海晟食品有限公司", "食品加工", "山东青岛", "0532", Sz::Medium, Ch::Campaign, "2025 秋季食品机械推介会", In::Low, St::Prospect, false, None, "liu.yang", "包装线自动化改造，预算尚未确定。", V::Stale, 220),
    c("西安秦川航空装备有限公司", "航空装备", "陕西西安", "029", Sz::Large, Ch::Referral, "行业协会推荐", In::High, St::Customer, true, Some(8_000_000), "zhang.lei", "复合材料部件柔性装配工装。", V::Active, 500),
    c("天津滨海物流设备有限公司", "物流设备", "天津", "022", Sz::Small, Ch::Website, "官网留言", In::Medium, St::Prospect, false, None, "wang.fang", "立体库堆垛机控制系统更换。", V::Overdue, 90),
    c("宁波东方模具有限公司", "模具", "浙江宁波", "0574", Sz::Medium, Ch::TradeShow, "2025 宁波模具展", In::Medium, St::Customer, false, Some(1_000_000), "wang.fang", "模具车间机械手取件。", V::Recent, 260),
    c("合肥智谷半导体有限公司", "半导体", "安徽合肥", "0551", Sz::Medium, Ch::Campaign, "半导体设备线上研讨会", In::High, St::Prospect, false, None, "zhang.lei", "洁净室晶圆盒搬运。", V::Active, 45),
    c("长沙湘江重工机械有限公司", "工程机械", "湖南长沙", "0731", Sz::Large, Ch::ColdCall, "电话开发", In::Medium, St::Customer, false, Some(4_000_000), "liu.yang", "结构件焊接机器人工作站。", V::Recent, 330),
    c("郑州中原纺织集团有限公司", "纺织", "河南郑州", "0371", Sz::Large, Ch::Other, "老客户回访", In::Low, St::Inactive, false, None, "liu.yang", "项目暂停，待新厂区规划。", V::Stale, 600),
    c("厦门鹭岛医疗器械有限公司", "医疗器械", "福建厦门", "0592", Sz::Small, Ch::TradeShow, "2025 中国国际医疗器械博览会", In::Medium, St::Prospect, false, None, "wang.fang", "无菌包装检测设备。", V::Stale, 180),
    c("沈阳北方机床股份有限公司", "机床", "辽宁沈阳", "024", Sz::Large, Ch::Referral, "合作伙伴推荐", In::Medium, St::Customer, false, Some(2_500_000), "zhang.lei", "机床装配线扭矩监控。", V::Recent, 450),
    c("重庆渝新能源科技有限公司", "新能源", "重庆", "023", Sz::Medium, Ch::TradeShow, "2026 重庆智博会", In::High, St::Prospect, false, None, "liu.yang", "电池模组自动化装配线。", V::Active, 75),
    c("南京紫金环保科技有限公司", "环保设备", "江苏南京", "025", Sz::Small, Ch::Website, "官网在线咨询", In::Medium, St::Customer, false, Some(800_000), "wang.fang", "污泥处理设备远程监控。", V::Recent, 210),
    c("广州南沙港务机械有限公司", "港口机械", "广东广州", "020", Sz::Large, Ch::ColdCall, "电话开发", In::Medium, St::Prospect, false, None, "zhang.lei", "岸桥远程操控改造，需求调研中。", V::Recent, 100),
    c("昆明滇池生物制药有限公司", "生物医药", "云南昆明", "0871", Sz::Medium, Ch::Campaign, "2025 医药装备巡展", In::Low, St::Prospect, false, None, "liu.yang", "制剂车间物料追溯。", V::Never, 130),
    c("济南泉城电力设备有限公司", "电力设备", "山东济南", "0531", Sz::Large, Ch::Referral, "集团内部推荐", In::High, St::Customer, true, Some(6_000_000), "li.qiang", "开关柜装配线自动化，分三期实施。", V::Active, 520),
    c("大连星海船舶配套有限公司", "船舶配套", "辽宁大连", "0411", Sz::Medium, Ch::TradeShow, "2025 中国国际海事会展", In::Medium, St::Customer, false, Some(1_500_000), "zhang.lei", "管件切割与坡口加工。", V::Recent, 280),
    c("无锡太湖传感技术有限公司", "传感器", "江苏无锡", "0510", Sz::Small, Ch::Website, "官网白皮书下载", In::High, St::Prospect, false, None, "wang.fang", "传感器标定工站。", V::Active, 20),
    c("福州闽江包装材料有限公司", "包装材料", "福建福州", "0591", Sz::Medium, Ch::Referral, "厦门鹭岛介绍", In::Medium, St::Customer, false, Some(600_000), "liu.yang", "码垛机器人。", V::Recent, 240),
    c("石家庄冀中制药设备有限公司", "制药设备", "河北石家庄", "0311", Sz::Medium, Ch::Campaign, "华北区客户答谢会", In::Medium, St::Prospect, false, None, "li.qiang", "联合开发灌装线，需技术交流。", V::Active, 110),
    c("南昌赣江光电有限公司", "光电", "江西南昌", "0791", Sz::Small, Ch::ColdCall, "电话开发", In::Medium, St::Prospect, false, None, "liu.yang", "镜头组装精密点胶。", V::Recent, 95),
    c("哈尔滨松花江农机有限公司", "农业机械", "黑龙江哈尔滨", "0451", Sz::Medium, Ch::Other, "老客户", In::Low, St::Inactive, false, None, "zhang.lei", "暂无新需求。", V::Never, 700),
    c("贵阳数谷大数据有限公司", "大数据", "贵州贵阳", "0851", Sz::Small, Ch::Campaign, "数博会展位", In::Medium, St::Prospect, false, None, "wang.fang", "数据中心运维机器人。", V::Overdue, 70),
    c("佛山顺德家电配件有限公司", "家电", "广东佛山", "0757", Sz::Large, Ch::TradeShow, "2025 广交会", In::High, St::Customer, false, Some(2_000_000), "zhang.lei", "注塑件去毛刺与检测。", V::Active, 350),
    c("兰州陇原石化设备有限公司", "石化设备", "甘肃兰州", "0931", Sz::Medium, Ch::ColdCall, "电话开发", In::Low, St::Prospect, false, None, "li.qiang", "压力容器焊缝检测。", V::Never, 40),
    c("上海浦江智能仓储有限公司", "智能仓储", "上海", "021", Sz::Large, Ch::Referral, "深圳创联介绍", In::High, St::Customer, true, Some(5_000_000), "wang.fang", "四向穿梭车系统扩容。", V::Active, 420),
    c("北京中关村机器人科技有限公司", "机器人", "北京", "010", Sz::Medium, Ch::TradeShow, "2026 世界机器人大会", In::High, St::Prospect, false, None, "li.qiang", "联合研发协作机器人末端工具。", V::Active, 50),
];

const SURNAMES: &[&str] = &["陈", "林", "黄", "周", "吴", "郑", "孙", "马", "胡", "高"];
const GIVEN: &[&str] = &["建国", "海燕", "志强", "丽华", "晓东", "秀梅", "文斌", "雪莲", "国庆", "佳怡"];
const TITLES: &[&str] = &["采购经理", "设备部主任", "技术总监", "总经理", "生产副总"];
const PURPOSES: &[&str] = &["了解需求，介绍公司产品", "现场勘查产线", "技术方案交流", "商务洽谈与报价说明", "项目进展回访"];
const OUTCOMES: &[(&str, &str)] = &[
    ("客户认可自动化方向，需提供初步方案。", "两周内提交初步方案"),
    ("完成产线勘查，确认节拍和场地条件。", "安排技术方案交流"),
    ("技术部门提出接口与安全要求，整体反馈积极。", "准备报价"),
    ("客户关注交付周期与售后响应，价格有压缩空间。", "内部评审折扣"),
    ("客户对现有设备运行满意，有扩产意向。", "下季度再次拜访"),
];

/// Fills the demo customers (skipped when there are customers already).
pub async fn demo(db: &Db) -> Result<(), AppError> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM customers", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let today = crate::core::time::company_today(now);
    let mut tx = db.begin().await?;
    for (i, d) in CUSTOMERS.iter().enumerate() {
        let k = i as i64;
        let owner: Option<(i64, String, i64)> = tx
            .fetch_optional("SELECT id, display_name, department_id FROM users WHERE username = $1", args![d.owner])
            .await?;
        let Some((owner_id, owner_name, dept)) = owner else { continue };
        let who = Actor { user_id: Some(owner_id), name: owner_name, client_addr: "seed".into() };
        let created = now - Duration::days(d.age);
        let data = CustomerData {
            name: d.name.into(),
            name_norm: normalise_name(d.name),
            tax_id: format!("91{}{:010}", &format!("{:0<6}", d.area)[..6], 1_000_003 * (k + 7) % 10_000_000_000),
            phone: format!("{}{:08}", d.area, 62_000_000 + k * 1_234_567 % 30_000_000),
            industry: d.industry.into(),
            region: d.region.into(),
            size: Some(d.size),
            source_channel: Some(d.channel),
            source_detail: d.detail.into(),
            needs: d.needs.into(),
            preferences: ["重视售后响应速度", "偏好国产核心部件", "要求本地化服务团队", "看重整体方案与培训"][i % 4].into(),
            intent: d.intent,
            status: d.status,
            key_account: d.key,
            address: format!("{}{}路{}号", d.region, ["工业", "科技", "创新", "发展", "星火"][i % 5], 18 + k * 7 % 300),
            owner_id: None,
        };
        let id = store::insert_customer(&mut tx, &who, &data, owner_id, dept, created).await?;
        // The limit on file from before credit evaluations (5.2-c) existed; the
        // credit demo (`risk::credit::seed`) replaces several with approved evaluations.
        if let Some(y) = d.credit_yuan {
            tx.execute("UPDATE customers SET credit_limit_minor = $1 WHERE id = $2", args![y * 100, id]).await?;
        }
        let customer = store::customer_tx(&mut tx, id).await?.ok_or(AppError::Internal)?;

        // One or two contacts, the first primary.
        let mut first_contact = None;
        for j in 0..(1 + i % 2) {
            let name = format!("{}{}", SURNAMES[(i + j * 3) % SURNAMES.len()], GIVEN[(i * 3 + j) % GIVEN.len()]);
            let contact = ContactData {
                name,
                title: TITLES[(i + j) % TITLES.len()].into(),
                phone: format!("139{:08}", 10_000_000 + k * 3_456_789 % 80_000_000 + j as i64),
                email: format!("contact{}{}@example.cn", i + 1, j + 1),
                birthday: chrono::NaiveDate::from_ymd_opt(1970 + (i % 20) as i32, 1 + (i % 12) as u32, 1 + (i % 27) as u32),
                is_primary: j == 0,
            };
            let cid = store::insert_contact(&mut tx, &who, id, &contact, created).await?;
            first_contact.get_or_insert(cid);
        }

        let purpose = |n: usize| PURPOSES[(i + n) % PURPOSES.len()].to_string();
        let done = |days_ago: i64, n: usize| (days_ago, purpose(n), OUTCOMES[(i + n) % OUTCOMES.len()]);
        // (days ago, purpose, (outcome, next step)) made; (days ahead, purpose) planned.
        type Made = Vec<(i64, String, (&'static str, &'static str))>;
        let (past, planned): (Made, Vec<(i64, String)>) = match d.visits {
            V::Active => (vec![done(40 + k % 30, 0), done(8 + k % 20, 1)], vec![(3 + k % 25, purpose(2))]),
            V::Recent => (vec![done(20 + k % 50, 0)], vec![]),
            V::Stale => (vec![done(150 + k % 20, 0)], vec![]),
            V::Never => (vec![], vec![]),
            V::Overdue => (vec![done(30, 0)], vec![(-3, purpose(1))]),
        };
        for (days_ago, purpose, (outcome, next_step)) in past {
            let day = today - Duration::days(days_ago);
            let plan = VisitPlan { planned_date: day, purpose, contact_id: first_contact };
            let vid = store::plan_visit(&mut tx, &who, &customer, &plan, created.max(now - Duration::days(days_ago + 7))).await?;
            let rec = VisitRecord { visited_on: day, outcome: outcome.into(), next_step: next_step.into() };
            store::record_visit(&mut tx, &who, vid, 1, &rec, now - Duration::days(days_ago)).await?;
        }
        for (days_ahead, purpose) in planned {
            let plan = VisitPlan { planned_date: today + Duration::days(days_ahead), purpose, contact_id: first_contact };
            store::plan_visit(&mut tx, &who, &customer, &plan, now - Duration::days(7)).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
