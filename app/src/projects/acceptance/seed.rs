//! Demo data of acceptance (2.4.4), on top of the skeleton and execution's
//! demo: P6 applied with three attachments and waiting for production's
//! review; P7 and P8 accepted (P8 after a returned first round), with their
//! reports and retrospectives. Written through this part's store functions at
//! past times; a project that is missing or not executing is left alone.
use super::model::{FileKind, sniff};
use super::store::{self, NewFile, ReviewInput};
use crate::args;
use crate::core::audit::Actor;
use crate::core::db::{Db, Tx};
use crate::core::error::AppError;
use crate::core::perm::{Role, Viewer};
use crate::core::time::{company_midnight, company_today};
use crate::projects::demo::{P6, P7, P8};
use crate::projects::model::ProjectStatus;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A person as the seed acts: audit actor and viewer.
async fn person(tx: &mut Tx, username: &str) -> Result<Option<(Actor, Viewer)>, AppError> {
    let r: Option<(i64, String, i64, String)> =
        tx.fetch_optional("SELECT id, display_name, department_id, role FROM users WHERE username = $1", args![username]).await?;
    Ok(r.map(|(id, name, dept, role)| {
        (
            Actor { user_id: Some(id), name, client_addr: "seed".into() },
            Viewer { user_id: id, department_id: dept, role: Role::parse(&role).unwrap_or(Role::Staff) },
        )
    }))
}

/// `hour`:00 company time, `days` from today.
fn at(today: NaiveDate, days: i64, hour: i64) -> DateTime<Utc> {
    company_midnight(today + Duration::days(days)) + Duration::hours(hour)
}

/// One application's three attachments (real content of the right types).
fn attachments(project: &str, deliverables: &[&str], tests: &[(&str, &str, &str)], feedback: &str) -> Vec<(FileKind, String, Vec<u8>)> {
    let mut list = format!("{project} 交付清单\n\n");
    for (i, d) in deliverables.iter().enumerate() {
        list.push_str(&format!("{}. {d}\n", i + 1));
    }
    let mut csv = String::from("编号,测试项,结果,备注\n");
    for (i, (case, result, note)) in tests.iter().enumerate() {
        csv.push_str(&format!("T{:03},{case},{result},{note}\n", i + 1));
    }
    let md = format!("# {project} 用户反馈\n\n{feedback}\n");
    vec![
        (FileKind::Deliverable, "交付清单.txt".into(), list.into_bytes()),
        (FileKind::TestReport, "测试报告.csv".into(), csv.into_bytes()),
        (FileKind::UserFeedback, "用户反馈.md".into(), md.into_bytes()),
    ]
}

/// Uploads the attachments and applies, as the project manager at `when`.
/// None when the project is not there, not executing or not finished.
async fn apply(
    tx: &mut Tx,
    name: &str,
    pm: &str,
    files: Vec<(FileKind, String, Vec<u8>)>,
    summary: &str,
    when: DateTime<Utc>,
) -> Result<Option<(i64, i64)>, AppError> {
    let Some((who, viewer)) = person(tx, pm).await? else { return Ok(None) };
    let id: Option<(i64,)> = tx.fetch_optional("SELECT id FROM projects WHERE name = $1", args![name]).await?;
    let Some((id,)) = id else { return Ok(None) };
    let Some((head, access)) = crate::projects::store::head_tx(tx, &viewer, id).await? else { return Ok(None) };
    if !access.manage || head.status() != ProjectStatus::Executing || !store::unfinished_tasks_tx(tx, id).await?.is_empty() {
        return Ok(None);
    }
    for (kind, filename, bytes) in files {
        let content_type = sniff(&filename, &bytes).map_err(|_| AppError::Internal)?;
        store::insert_file(tx, &who, NewFile { project_id: id, kind, filename, content_type, bytes }, when - Duration::hours(2)).await?;
    }
    let acc = store::apply(tx, &who, &head, head.version, summary, when).await?;
    Ok(acc.map(|a| (id, a)))
}

/// The requesting department's manager reviews the project's pending round.
async fn review(tx: &mut Tx, project: i64, acceptance: i64, reviewer: &str, input: ReviewInput, when: DateTime<Utc>) -> Result<bool, AppError> {
    let Some((who, viewer)) = person(tx, reviewer).await? else { return Ok(false) };
    let Some((head, access)) = crate::projects::store::head_tx(tx, &viewer, project).await? else { return Ok(false) };
    let Some(acc) = store::acceptance_tx(tx, acceptance).await? else { return Ok(false) };
    if !access.accept {
        return Ok(false);
    }
    let version = acc.version;
    Ok(!matches!(store::review(tx, &who, &head, &acc, version, &input, when).await?, store::Reviewed::Stale))
}

fn passed(notes: [&str; 3]) -> ReviewInput {
    ReviewInput {
        objectives_met: true,
        objectives_note: notes[0].into(),
        quality_ok: true,
        quality_note: notes[1].into(),
        documents_complete: true,
        documents_note: notes[2].into(),
        pass: true,
        return_reason: String::new(),
    }
}

pub async fn demo(db: &Db) -> Result<(), AppError> {
    let today = company_today(Utc::now());
    let mut tx = db.begin().await?;
    let done: i64 = tx.scalar("SELECT COUNT(*) FROM project_acceptances", vec![]).await?;
    if done > 0 {
        return Ok(());
    }

    // P8: the lab. Round 1 returned (calibration certificates missing), round 2 passed ~100 days ago.
    let p8_files = || {
        attachments(
            P8,
            &["实验室平面布置图与场地改造竣工资料", "设备清单及资产卡片（温箱、振动台、EMC 预测试设备）", "测试方法与作业指导书 12 份", "试运行测试记录（3 个产品）"],
            &[("温箱温度均匀性", "通过", "±1.5℃ 以内"), ("振动台正弦扫频", "通过", ""), ("EMC 辐射预测试", "通过", "与外部实验室比对偏差 < 3dB"), ("试运行：X100 控制器", "通过", "")],
            "- 研发部：新品验证周期由 6 周缩短到 4 周，达到目标。\n- 测试工程师：作业指导书清晰，新人可独立操作。\n- 建议：增加设备预约看板。",
        )
    };
    if let Some((p8, a1)) = apply(&mut tx, P8, "tang.kai", p8_files(), "实验室已完成建设并试运行三个产品，申请验收。", at(today, -108, 10)).await? {
        let returned = ReviewInput {
            objectives_met: true,
            objectives_note: "验证周期目标已达成。".into(),
            quality_ok: true,
            quality_note: String::new(),
            documents_complete: false,
            documents_note: "缺少设备计量校准证书汇总。".into(),
            pass: false,
            return_reason: "请补充全部设备的计量校准证书汇总后重新申请。".into(),
        };
        review(&mut tx, p8, a1, "song.jia", returned, at(today, -106, 15)).await?;
        let mut files = p8_files();
        files.push((FileKind::Deliverable, "设备校准证书汇总.txt".into(), "设备计量校准证书汇总\n\n1. 高低温试验箱 GDW-100：证书 JL-2025-0311，有效期一年\n2. 电动振动台 ES-10：证书 JL-2025-0312\n3. EMC 预测试接收机：证书 JL-2025-0313\n".as_bytes().to_vec()));
        if let Some((_, a2)) = apply(&mut tx, P8, "tang.kai", files, "已补充设备校准证书汇总，重新申请验收。", at(today, -103, 10)).await? {
            review(&mut tx, p8, a2, "song.jia", passed(["新品验证周期缩短 33%。", "三个产品试运行测试结果可信。", "资料齐全，含校准证书。"]), at(today, -100, 15)).await?;
            retrospective(
                &mut tx,
                p8,
                "tang.kai",
                (
                    "设备选型充分比选，节约预算约 6%。\n场地改造与设备采购并行，缩短工期约三周。",
                    "进口振动台供应商交期延误三周。\n测试方法编写启动偏晚，试运行测试排期紧张。\n第一轮验收因缺少校准证书汇总被退回。",
                    "进口设备下单时约定延期罚则并预留缓冲时间。\n测试方法与作业指导书应与设备安装同步编写。\n验收前按清单准备完整资料，校准证书汇总要单独成册。",
                ),
                at(today, -97, 11),
            )
            .await?;
        }
    }

    // P7: the website, accepted ~60 days ago.
    let p7_files = attachments(
        P7,
        &["新官网（PC 与移动端）上线", "视觉设计规范与组件库", "内容迁移清单（312 页）", "运营数据看板"],
        &[("移动端兼容性（iOS / Android 主流机型）", "通过", ""), ("线索表单提交与 CRM 对接", "通过", ""), ("页面性能：首屏 < 2 秒", "通过", "平均 1.4 秒"), ("无障碍基础检查", "通过", "")],
        "- 销售部：线索表单字段更合理，线索质量提高。\n- 客户：移动端浏览体验明显改善。\n- 线索表单转化率上线后提升 23%。",
    );
    if let Some((p7, a)) = apply(&mut tx, P7, "yang.fan", p7_files, "新官网已上线运行一个月，转化率目标达成，申请验收。", at(today, -59, 10)).await? {
        review(&mut tx, p7, a, "chen.xue", passed(["转化率提升 23%，超过 20% 的目标。", "移动端体验达标。", "设计规范、迁移清单齐全。"]), at(today, -57, 15)).await?;
        retrospective(
            &mut tx,
            p7,
            "yang.fan",
            (
                "视觉设计一次评审通过。\n前端开发按期完成，线索表单转化率提升 23%，超过目标。",
                "内容迁移依赖各部门提供素材，多次催办。\n外包设计供应商交付的切图规范不统一，返工约一周。",
                "素材提供要写进计划并指定各部门责任人。\n选择设计供应商时要求提供切图规范样例。\n上线前安排两轮移动端兼容性测试。",
            ),
            at(today, -55, 11),
        )
        .await?;
    }

    // P6: the traceability platform, applied two days ago; production reviews.
    let p6_files = attachments(
        P6,
        &["质量追溯平台（生产环境）及部署文档", "条码采集终端配置手册", "与 MES / ERP 接口说明", "用户操作手册与培训记录"],
        &[("批次正向追溯（原料→成品）", "通过", "平均 3 秒"), ("反向追溯（成品→原料）", "通过", ""), ("条码采集离线缓存", "通过", "断网 2 小时数据无丢失"), ("与 ERP 物料主数据同步", "通过", "")],
        "- 生产部：追溯一个批次从半天缩短到几分钟。\n- 质检：不合格品隔离范围更准确。\n- 建议：增加按供应商批次的统计报表。",
    );
    apply(&mut tx, P6, "xu.ming", p6_files, "平台已在两条产线上线运行，全部任务完成，申请验收。", at(today, -2, 10)).await?;
    tx.commit().await?;
    Ok(())
}

async fn retrospective(tx: &mut Tx, project: i64, pm: &str, texts: (&str, &str, &str), when: DateTime<Utc>) -> Result<(), AppError> {
    let Some((who, _)) = person(tx, pm).await? else { return Ok(()) };
    store::save_retrospective(tx, &who, project, None, texts, when).await?;
    Ok(())
}
