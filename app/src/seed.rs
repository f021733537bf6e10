//! Baseline organisation, the demo company and large generated data sets.
use crate::args;
use crate::core::audit::Actor;
use crate::core::auth::hash_password;
use crate::core::db::{Db, DbResult, Tx};
use crate::core::error::AppError;
use crate::core::i18n::Lang;
use crate::core::perm::Role;
use crate::org::model::{EmployeeData, UnitInput};
use crate::org::store;
use chrono::{Duration, Utc};

/// Departments every installation starts with (editable afterwards).
pub const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("marketing", "市场部", "Marketing"),
    ("sales", "销售部", "Sales"),
    ("customer_service", "客户服务部", "Customer Service"),
    ("pmo", "项目管理办公室", "Project Management Office"),
    ("finance", "财务部", "Finance"),
    ("production", "生产部", "Production"),
    ("logistics", "物流部", "Logistics"),
    ("legal", "法务部", "Legal"),
    ("risk", "风险管理部", "Risk Management"),
    ("hr", "人力资源部", "Human Resources"),
    ("rnd", "研发中心", "R&D"),
];

pub const POSITIONS: &[(&str, &str, &str, Option<&str>)] = &[
    ("general_manager", "总经理", "General Manager", None),
    ("deputy_gm", "副总经理", "Deputy General Manager", None),
    ("dept_manager", "部门经理", "Department Manager", None),
    ("sales_rep", "销售代表", "Sales Representative", Some("sales")),
    ("key_account_mgr", "大客户经理", "Key Account Manager", Some("sales")),
    ("marketing_specialist", "市场专员", "Marketing Specialist", Some("marketing")),
    ("service_specialist", "客服专员", "Customer Service Specialist", Some("customer_service")),
    ("project_manager", "项目经理", "Project Manager", Some("pmo")),
    ("accountant", "会计", "Accountant", Some("finance")),
    ("production_planner", "生产计划员", "Production Planner", Some("production")),
    ("logistics_coordinator", "物流协调员", "Logistics Coordinator", Some("logistics")),
    ("legal_counsel", "法务专员", "Legal Counsel", Some("legal")),
    ("risk_analyst", "风险分析师", "Risk Analyst", Some("risk")),
    ("hr_specialist", "人事专员", "HR Specialist", Some("hr")),
    ("engineer", "研发工程师", "R&D Engineer", Some("rnd")),
    ("system_admin", "系统管理员", "System Administrator", Some("hr")),
];

/// Creates the baseline departments and positions if there are none.
pub async fn ensure_baseline(db: &Db) -> DbResult<bool> {
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM departments", vec![]).await?;
    if n > 0 {
        return Ok(false);
    }
    let actor = Actor::system("seed");
    let mut tx = db.begin().await?;
    for (code, zh, en) in DEPARTMENTS {
        store::insert_department(&mut tx, &actor, &UnitInput { code: (*code).into(), name_zh: (*zh).into(), name_en: (*en).into() }).await?;
    }
    for (code, zh, en, dept) in POSITIONS {
        let dept_id = match dept {
            Some(d) => Some(dept_id(&mut tx, d).await?),
            None => None,
        };
        store::insert_position(&mut tx, &actor, &UnitInput { code: (*code).into(), name_zh: (*zh).into(), name_en: (*en).into() }, dept_id).await?;
    }
    tx.commit().await?;
    crate::sales::pipeline::ensure_baseline(db).await?;
    Ok(true)
}

async fn dept_id(tx: &mut Tx, code: &str) -> DbResult<i64> {
    tx.scalar("SELECT id FROM departments WHERE code = $1", args![code]).await
}

async fn position_id(tx: &mut Tx, code: &str) -> DbResult<i64> {
    tx.scalar("SELECT id FROM positions WHERE code = $1", args![code]).await
}

/// The password every demo account gets (printed at first start).
pub const DEMO_PASSWORD: &str = "Charter2026!";

/// One demo sign-in per role.
pub const DEMO_LOGINS: &[(&str, Role)] = &[
    ("admin", Role::Admin),
    ("zhao.min", Role::Executive),
    ("li.qiang", Role::Manager),
    ("wang.fang", Role::Staff),
];

struct Person {
    username: &'static str,
    name: &'static str,
    dept: &'static str,
    position: &'static str,
    role: Role,
    supervisor: Option<&'static str>,
    acknowledged: bool,
}

const fn p(
    username: &'static str,
    name: &'static str,
    dept: &'static str,
    position: &'static str,
    role: Role,
    supervisor: Option<&'static str>,
    acknowledged: bool,
) -> Person {
    Person { username, name, dept, position, role, supervisor, acknowledged }
}

/// 华辰智能装备有限公司: a mid-sized equipment maker, its managers and staff.
const PEOPLE: &[Person] = &[
    p("zhao.min", "赵敏", "hr", "general_manager", Role::Executive, None, true),
    p("admin", "陈静", "hr", "system_admin", Role::Admin, Some("zhao.min"), true),
    p("sun.wei", "孙伟", "sales", "deputy_gm", Role::Executive, Some("zhao.min"), true),
    p("li.qiang", "李强", "sales", "dept_manager", Role::Manager, Some("sun.wei"), true),
    p("wang.fang", "王芳", "sales", "sales_rep", Role::Staff, Some("li.qiang"), false),
    p("zhang.lei", "张磊", "sales", "key_account_mgr", Role::Staff, Some("li.qiang"), true),
    p("liu.yang", "刘洋", "sales", "sales_rep", Role::Staff, Some("li.qiang"), false),
    p("chen.xue", "陈雪", "marketing", "dept_manager", Role::Manager, Some("sun.wei"), true),
    p("yang.fan", "杨帆", "marketing", "marketing_specialist", Role::Staff, Some("chen.xue"), true),
    p("huang.li", "黄丽", "customer_service", "dept_manager", Role::Manager, Some("sun.wei"), true),
    p("zhou.jie", "周杰", "customer_service", "service_specialist", Role::Staff, Some("huang.li"), false),
    p("wu.hao", "吴昊", "pmo", "dept_manager", Role::Manager, Some("zhao.min"), true),
    p("xu.ming", "徐明", "pmo", "project_manager", Role::Staff, Some("wu.hao"), true),
    p("zheng.hong", "郑红", "finance", "dept_manager", Role::Manager, Some("zhao.min"), true),
    p("ma.lin", "马琳", "finance", "accountant", Role::Staff, Some("zheng.hong"), true),
    p("zhu.gang", "朱刚", "production", "dept_manager", Role::Manager, Some("zhao.min"), true),
    p("hu.bin", "胡斌", "production", "production_planner", Role::Staff, Some("zhu.gang"), false),
    p("guo.peng", "郭鹏", "logistics", "dept_manager", Role::Manager, Some("zhu.gang"), true),
    p("he.na", "何娜", "logistics", "logistics_coordinator", Role::Staff, Some("guo.peng"), true),
    p("lin.tao", "林涛", "legal", "legal_counsel", Role::Manager, Some("zhao.min"), true),
    p("luo.yan", "罗艳", "risk", "dept_manager", Role::Manager, Some("zhao.min"), true),
    p("gao.jun", "高军", "risk", "risk_analyst", Role::Staff, Some("luo.yan"), false),
    p("liang.yu", "梁宇", "hr", "hr_specialist", Role::Staff, Some("admin"), true),
    p("song.jia", "宋佳", "rnd", "dept_manager", Role::Manager, Some("zhao.min"), true),
    p("tang.kai", "唐凯", "rnd", "engineer", Role::Staff, Some("song.jia"), true),
    p("han.xiao", "韩晓", "rnd", "engineer", Role::Staff, Some("song.jia"), false),
];

/// Fills an empty database with the demo company. Returns false if it already has people.
pub async fn demo(db: &Db) -> Result<bool, AppError> {
    ensure_baseline(db).await?;
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM users", vec![]).await?;
    if n > 0 {
        return Ok(false);
    }
    let actor = Actor::system("seed");
    let hash = hash_password(DEMO_PASSWORD)?;
    let now = Utc::now();
    let mut tx = db.begin().await?;
    for person in PEOPLE {
        let supervisor_id = match person.supervisor {
            Some(s) => Some(tx.scalar::<i64>("SELECT id FROM users WHERE username = $1", args![s]).await?),
            None => None,
        };
        let data = EmployeeData {
            username: person.username.into(),
            display_name: person.name.into(),
            email: format!("{}@huachen-tech.cn", person.username),
            phone: format!("138{:08}", person.name.chars().map(|c| c as u32).sum::<u32>() % 100_000_000),
            department_id: dept_id(&mut tx, person.dept).await?,
            position_id: Some(position_id(&mut tx, person.position).await?),
            supervisor_id,
            role: person.role,
            language: Lang::Zh,
            time_zone: "Asia/Shanghai".into(),
            password: None,
        };
        let id = store::insert_employee(&mut tx, &actor, &data, &hash).await?;
        if person.acknowledged {
            let who = Actor { user_id: Some(id), name: person.name.into(), client_addr: "seed".into() };
            crate::conduct::store::acknowledge(&mut tx, &who, id, now - Duration::days(30)).await?;
        } else {
            crate::conduct::store::ensure_task_for(&mut tx, id, now).await?;
        }
    }
    tx.commit().await?;
    // Sales demo, in order: customers -> pipeline -> contracts -> orders.
    crate::sales::customers::seed::demo(db).await?;
    crate::sales::pipeline::seed::demo(db).await?;
    crate::sales::contracts::seed::demo(db).await?;
    crate::sales::orders::seed::demo(db).await?;
    // Projects: the skeleton (projects, plans, approvals, baselines), then each part's share.
    crate::projects::demo::demo(db).await?;
    crate::projects::initiation::seed::demo(db).await?;
    crate::projects::approval::seed::demo(db).await?;
    crate::projects::execution::seed::demo(db).await?;
    crate::projects::acceptance::seed::demo(db).await?;
    crate::projects::monitoring::seed::demo(db).await?;
    // Risk: register, responses, credit, indicators and reports, statistics.
    crate::risk::demo::demo(db).await?;
    Ok(true)
}

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "鹏", "婷", "飞", "欣怡", "子轩"];

/// Adds `n` generated employees (for benchmarks), `progress` is told after each batch.
/// They share one password hash: hashing is deliberately slow.
pub async fn scale(db: &Db, n: u64, progress: &(dyn Fn(u64) + Sync)) -> Result<u64, AppError> {
    ensure_baseline(db).await?;
    let actor = Actor::system("seed-scale");
    let hash = hash_password(DEMO_PASSWORD)?;
    let depts: Vec<(i64,)> = db.read().fetch_all("SELECT id FROM departments ORDER BY id", vec![]).await?;
    let start: i64 = db.read().scalar("SELECT COALESCE(MAX(id), 0) FROM users", vec![]).await?;
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15 ^ start as u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut done = 0u64;
    while done < n {
        let batch = (n - done).min(500);
        let mut tx = db.begin().await?;
        for i in 0..batch {
            let k = start as u64 + done + i + 1;
            let name = format!("{}{}", SURNAMES[(next() % SURNAMES.len() as u64) as usize], GIVEN[(next() % GIVEN.len() as u64) as usize]);
            let data = EmployeeData {
                username: format!("emp{k:07}"),
                display_name: name,
                email: format!("emp{k:07}@huachen-tech.cn"),
                phone: format!("139{:08}", next() % 100_000_000),
                department_id: depts[(next() % depts.len() as u64) as usize].0,
                position_id: None,
                supervisor_id: None,
                role: if next() % 10 == 0 { Role::Manager } else { Role::Staff },
                language: Lang::Zh,
                time_zone: "Asia/Shanghai".into(),
                password: None,
            };
            store::insert_employee(&mut tx, &actor, &data, &hash).await?;
        }
        tx.commit().await?;
        done += batch;
        progress(done);
    }
    Ok(done)
}
