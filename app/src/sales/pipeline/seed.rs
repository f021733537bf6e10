//! Demo data for the pipeline part: the catalogue of an industrial equipment
//! maker, about 80 opportunities on the demo customers over the last 12 months
//! in every stage, objections, and quotations in every status. Deterministic:
//! only the dates move with "now".
use super::model::*;
use super::store;
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::Db;
use crate::core::error::AppError;
use chrono::{DateTime, Duration, Utc};

/// (code, 中文名, English name, specification, unit, list price in yuan, delivery days)
const PRODUCTS: &[(&str, &str, &str, &str, &str, i64, i64)] = &[
    ("CNC-V850", "立式加工中心 V850", "Vertical machining centre V850", "行程 800×500×500 mm，主轴 12000 rpm，刀库 24 把", "台", 580_000, 60),
    ("CNC-H630", "卧式加工中心 H630", "Horizontal machining centre H630", "工作台 630×630 mm，双交换工作台，主轴 BT50", "台", 1_280_000, 90),
    ("CNC-5AX", "五轴联动加工中心 U5", "5-axis machining centre U5", "A/C 摇篮式转台，定位精度 0.006 mm", "台", 2_350_000, 120),
    ("ROB-R6-20", "六轴工业机器人 R6-20", "6-axis industrial robot R6-20", "负载 20 kg，臂展 1810 mm，重复定位精度 ±0.05 mm", "台", 268_000, 45),
    ("ROB-SCARA", "SCARA 机器人 S4", "SCARA robot S4", "负载 6 kg，臂展 600 mm，节拍 0.38 s", "台", 128_000, 30),
    ("CONV-BELT", "皮带输送线", "Belt conveyor line", "宽 600 mm，变频调速 5–30 m/min，按米计价", "米", 3_800, 25),
    ("CONV-ROLL", "动力滚筒输送线", "Powered roller conveyor", "辊距 100 mm，承重 150 kg/m，按米计价", "米", 5_200, 30),
    ("VIS-2D", "2D 视觉检测系统", "2D vision inspection system", "500 万像素，缺陷检出率 ≥ 99.5%", "套", 186_000, 40),
    ("VIS-3D", "3D 视觉引导系统", "3D vision guidance system", "结构光相机，精度 ±0.1 mm，含手眼标定", "套", 325_000, 50),
    ("SP-SPINDLE", "主轴单元备件", "Spindle unit (spare part)", "适用 V850/H630，含轴承组件", "件", 46_500, 10),
    ("SP-KIT", "易损件包", "Wear-parts kit", "导轨刮屑板、密封圈、滤芯等一年用量", "套", 8_600, 7),
    ("SVC-MAINT", "年度维保服务", "Annual maintenance service", "两次预防性维护，24 小时响应，含差旅", "年", 68_000, 5),
];

const LOST_REASONS: &[&str] = &[
    "价格高于竞争对手约 12%，客户最终选择了本地品牌。",
    "客户年度预算削减，项目暂停。",
    "交付周期无法满足客户 30 天的要求。",
    "客户选择了进口品牌，认为精度保持性更好。",
    "技术方案未通过客户工艺评审。",
];

const OBJECTIONS: &[(&str, &str, bool)] = &[
    ("价格比竞品高 8% 左右。", "说明整机的主轴寿命和三年质保，提供总拥有成本对比表。", true),
    ("交付周期太长，希望 45 天内交货。", "与生产部确认可排产 50 天，并提供临时设备租用方案。", true),
    ("担心售后响应速度。", "承诺 24 小时到场，苏州服务站有备件库存。", true),
    ("需要现场试加工验证精度。", "", false),
    ("付款方式希望 3-6-1。", "已提交财务评估，待答复。", false),
];

/// Who sells: the sales department's people, in a fixed order.
const SELLERS: &[&str] = &["wang.fang", "zhang.lei", "liu.yang", "li.qiang"];

pub async fn demo(db: &Db) -> Result<(), AppError> {
    store::ensure_baseline(db).await?;
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM products", vec![]).await?;
    if n > 0 {
        return Ok(());
    }
    let system = Actor::system("seed");
    let now = Utc::now();

    // Customers come from the customers part's demo, which runs first.

    // The catalogue.
    let mut tx = db.begin().await?;
    let mut products: Vec<Product> = Vec::new();
    for (code, zh, en, spec, unit, yuan, days) in PRODUCTS {
        let d = ProductData {
            code: (*code).into(),
            name_zh: (*zh).into(),
            name_en: (*en).into(),
            specification: (*spec).into(),
            unit: (*unit).into(),
            list_price_minor: yuan * 100,
            delivery_days: *days,
        };
        let id = store::insert_product(&mut tx, &system, &d).await?;
        if let Some(p) = store::product_tx(&mut tx, id).await? {
            products.push(p);
        }
    }
    tx.commit().await?;

    let sellers: Vec<(i64, i64, String, String)> = db
        .read()
        .fetch_all(
            "SELECT id, department_id, username, display_name FROM users WHERE username IN ($1, $2, $3, $4) ORDER BY id",
            args![SELLERS[0], SELLERS[1], SELLERS[2], SELLERS[3]],
        )
        .await?;
    if sellers.is_empty() {
        return Ok(());
    }
    let customers: Vec<(i64, String, i64)> = db.read().fetch_all("SELECT id, name, owner_id FROM customers ORDER BY id LIMIT 40", vec![]).await?;
    if customers.is_empty() {
        return Ok(());
    }
    let stages = store::stages(db).await?;
    let open: Vec<&Stage> = stages.iter().filter(|s| s.kind() == StageKind::Open).collect();
    let won = stages.iter().find(|s| s.kind() == StageKind::Won);
    let lost = stages.iter().find(|s| s.kind() == StageKind::Lost);
    let (Some(won), Some(lost)) = (won, lost) else { return Ok(()) };
    let today = crate::core::time::company_today(now);

    let mut tx = db.begin().await?;
    let mut quotable: Vec<(i64, usize, DateTime<Utc>, StageKind)> = Vec::new();
    for i in 0..80usize {
        // Customers and stages vary independently (i / 3 breaks the correlation).
        let (cid, cname, cowner) = &customers[(i * 7 + i / 3) % customers.len()];
        // The customer's owner sells if they are a seller, otherwise the sellers take turns.
        let seller = sellers.iter().find(|s| s.0 == *cowner).unwrap_or(&sellers[i % sellers.len()]);
        let who = Actor { user_id: Some(seller.0), name: seller.3.clone(), client_addr: "seed".into() };
        let product = &products[(i * 5) % products.len()];
        let qty = match product.unit.as_str() {
            "米" => 40 + (i as i64 % 5) * 20,
            _ => 1 + (i as i64 % 3),
        };
        let created = now - Duration::days(365 - (i as i64 * 4)) - Duration::hours(i as i64 % 9);
        // Target: every 4th won, every 5th (not won) lost, the rest spread over the open stages.
        let target: &Stage = if i % 4 == 1 {
            won
        } else if i % 5 == 2 {
            lost
        } else {
            open[i % open.len()]
        };
        let closed = target.kind().closed();
        // Closed deals close 20–60 days after they started (never in the future);
        // open ones are expected within the next four months (a few overdue).
        let close_at = (created + Duration::days(20 + (i as i64 % 5) * 10)).min(now - Duration::days(1));
        let expected = if closed {
            crate::core::time::company_date(close_at)
        } else {
            today + Duration::days((i as i64 * 13) % 130 - 10)
        };
        let data = OpportunityData {
            customer_id: *cid,
            title: format!("{} {}", short(cname), product.name_zh),
            amount_minor: product.list_price_minor * qty,
            expected_close: expected,
            needs_analysis: format!("客户计划扩充产线，需要{}，关注加工精度、交付周期和售后响应。", product.name_zh),
            proposed_solution: format!("推荐 {} × {}（{}），配套安装调试与操作培训。", product.code, qty, product.specification),
        };
        let first = open.first().map(|s| s.code.as_str()).unwrap_or("lead");
        let id = store::insert_opportunity(&mut tx, &who, &data, seller.0, seller.1, first, created).await?;
        // Walk through the stages on the way to the target.
        let steps: Vec<&Stage> = if closed {
            let upto = 1 + i % open.len();
            open.iter().skip(1).take(upto.saturating_sub(1)).copied().chain(std::iter::once(target)).collect()
        } else {
            open.iter().skip(1).take_while(|s| s.position <= target.position).copied().collect()
        };
        let n = steps.len().max(1) as i64;
        let end = if closed { close_at } else { (created + Duration::days(30)).min(now - Duration::hours(2)) };
        for (k, to) in steps.iter().enumerate() {
            let at = if to.kind().closed() { close_at } else { created + (end - created) * (k as i32 + 1) / (n as i32 + 1) };
            let Some(before) = store::opportunity_tx(&mut tx, id).await? else { continue };
            let reason = if to.kind() == StageKind::Lost { LOST_REASONS[i % LOST_REASONS.len()] } else { "" };
            let mv = plan_move(to, reason, at)?;
            store::move_stage(&mut tx, &who, &before, before.version, to, &mv, at).await?;
        }
        if i % 4 == 3 || i % 9 == 0 {
            let (obj, ans, resolved) = OBJECTIONS[i % OBJECTIONS.len()];
            store::insert_objection(&mut tx, &who, id, obj, ans, resolved, created + Duration::days(5)).await?;
        }
        if (target.kind() == StageKind::Won || (target.kind() == StageKind::Open && target.position >= 40)) && quotable.len() < 12 {
            quotable.push((id, i, created, target.kind()));
        }
    }
    tx.commit().await?;

    // Quotations in every status; one waits for the manager's approval.
    let limit = crate::settings::store::int(db, crate::settings::DISCOUNT_LIMIT_PCT).await?;
    let mut tx = db.begin().await?;
    let mut m = 0;
    for (n, (opp_id, i, created, kind)) in quotable.iter().enumerate() {
        let Some(o) = store::opportunity_tx(&mut tx, *opp_id).await? else { continue };
        let who = Actor { user_id: Some(o.owner_id), name: o.owner_name.clone(), client_addr: "seed".into() };
        let at = *created + Duration::days(15);
        let qid = store::insert_quotation(&mut tx, &who, *opp_id, today + Duration::days(30), "含运输、安装调试及操作培训。", at).await?;
        let main = &products[(i * 5) % products.len()];
        let extra = &products[(10 + n) % products.len()];
        let status = if *kind == StageKind::Won {
            QuotationStatus::Sent
        } else {
            m += 1;
            match m {
                1 => QuotationStatus::PendingApproval,
                _ => [QuotationStatus::Sent, QuotationStatus::Draft, QuotationStatus::Rejected, QuotationStatus::Approved][m % 4],
            }
        };
        // Over the limit for the ones that needed approval.
        let disc = match status {
            QuotationStatus::PendingApproval | QuotationStatus::Rejected => (limit + 5) * 100,
            _ => 500,
        };
        let mut version = 1;
        for (p, qty, d) in [(main, 1 + (*i as i64 % 2), disc), (extra, 2, 0)] {
            if store::add_line(&mut tx, &who, qid, version, p, qty, d).await? {
                version += 1;
            }
        }
        let manager: i64 = tx.scalar("SELECT id FROM users WHERE username = $1", args!["li.qiang"]).await?;
        let q = store::quotation_tx(&mut tx, qid).await?;
        let Some(q) = q else { continue };
        match status {
            QuotationStatus::Draft => {}
            QuotationStatus::PendingApproval => {
                store::set_status(&mut tx, &who, qid, version, QuotationStatus::PendingApproval, store::StatusExtra::None, "quotation_submit", at).await?;
                store::request_approval(&mut tx, &q, Some(o.owner_id), at).await?;
            }
            QuotationStatus::Rejected => {
                store::set_status(&mut tx, &who, qid, version, QuotationStatus::PendingApproval, store::StatusExtra::None, "quotation_submit", at).await?;
                let mgr = Actor { user_id: Some(manager), name: "李强".into(), client_addr: "seed".into() };
                let comment = "折扣超出权限，请先与客户确认付款条件后再报。";
                store::set_status(&mut tx, &mgr, qid, version + 1, QuotationStatus::Rejected, store::StatusExtra::Decided { by: manager, comment }, "quotation_reject", at + Duration::days(1)).await?;
            }
            QuotationStatus::Approved | QuotationStatus::Sent => {
                store::set_status(&mut tx, &who, qid, version, QuotationStatus::Approved, store::StatusExtra::None, "quotation_submit", at).await?;
                if status == QuotationStatus::Sent {
                    store::set_status(&mut tx, &who, qid, version + 1, QuotationStatus::Sent, store::StatusExtra::Sent, "quotation_send", at + Duration::days(1)).await?;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// "苏州精工机械有限公司" -> "苏州精工".
fn short(name: &str) -> String {
    name.chars().take(4).collect()
}
