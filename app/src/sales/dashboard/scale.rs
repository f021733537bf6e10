//! `seed --scale` for sales: large generated data sets for the benchmarks
//! (customers, ten opportunities per customer, visits, and for a share of the won
//! deals signed contracts with reviews, copies and receivables). Rows are
//! written in multi-row INSERTs, a few thousand per transaction; one audit entry
//! records the run (not one per generated row).
use crate::args;
use crate::core::audit::{self, Actor};
use crate::core::db::{Arg, Db, DbResult, Tx};
use crate::core::error::AppError;
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
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// Inserts `rows` into `table` with as many rows per statement as the backends allow.
pub async fn bulk_insert(tx: &mut Tx, table: &str, cols: &[&str], rows: Vec<Vec<Arg>>) -> DbResult<()> {
    let per = (30_000 / cols.len()).clamp(1, 1000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per).collect();
        let mut args = Vec::with_capacity(chunk.len() * cols.len());
        let mut values = Vec::with_capacity(chunk.len());
        for r in chunk {
            let start = args.len();
            values.push(format!("({})", (1..=r.len()).map(|i| format!("${}", start + i)).collect::<Vec<_>>().join(", ")));
            args.extend(r);
        }
        tx.execute(&format!("INSERT INTO {table} ({}) VALUES {}", cols.join(", "), values.join(", ")), args).await?;
    }
    Ok(())
}

const CITIES: &[(&str, &str)] = &[
    ("北京", "华北"), ("天津", "华北"), ("上海", "华东"), ("苏州", "华东"), ("杭州", "华东"), ("宁波", "华东"), ("南京", "华东"),
    ("广州", "华南"), ("深圳", "华南"), ("东莞", "华南"), ("佛山", "华南"), ("武汉", "华中"), ("长沙", "华中"), ("郑州", "华中"),
    ("成都", "西南"), ("重庆", "西南"), ("西安", "西北"), ("沈阳", "东北"), ("青岛", "华东"), ("厦门", "华南"),
];
const WORDS: &[&str] = &["精工", "华远", "恒通", "鼎盛", "新锐", "博达", "天成", "宏图", "众合", "金桥", "瑞丰", "泰和", "启航", "联创", "明德", "安信"];
const TRADES: &[(&str, &str)] = &[
    ("汽车零部件", "automotive"), ("电子制造", "electronics"), ("食品饮料", "food"), ("医疗器械", "medical"), ("新能源", "energy"),
    ("家电", "appliances"), ("物流仓储", "logistics"), ("金属加工", "metalworking"),
];
const SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "制造有限公司", "科技有限公司"];
const DEALS: &[&str] = &["数控加工中心", "焊接机器人工作站", "智能输送线", "视觉检测系统", "自动化装配线", "设备维保服务", "备件年度采购", "产线改造"];

#[derive(Debug, Default)]
pub struct ScaleCounts {
    pub customers: u64,
    pub opportunities: u64,
    pub visits: u64,
    pub contracts: u64,
    pub receivables: u64,
}

/// Adds `customers` customers and ten opportunities each. `progress(stage, done, total)`.
pub async fn scale(db: &Db, customers: u64, progress: &(dyn Fn(&str, u64, u64) + Sync)) -> Result<ScaleCounts, AppError> {
    let now = Utc::now();
    let today = crate::core::time::company_today(now);
    let stages: Vec<(String, String)> =
        db.read().fetch_all("SELECT code, kind FROM opportunity_stages WHERE active = $1 ORDER BY position", args![true]).await?;
    let open: Vec<String> = stages.iter().filter(|s| s.1 == "open").map(|s| s.0.clone()).collect();
    let won = stages.iter().find(|s| s.1 == "won").map(|s| s.0.clone());
    let lost = stages.iter().find(|s| s.1 == "lost").map(|s| s.0.clone());
    let (Some(won), Some(lost)) = (won, lost) else {
        return Err(AppError::Request("no pipeline stages: run `server seed --demo` or start the server once".into()));
    };
    if open.is_empty() {
        return Err(AppError::Request("no open pipeline stages".into()));
    }
    let sales_dept: i64 = db.read().scalar("SELECT id FROM departments WHERE code = $1", args!["sales"]).await?;
    let owners = sales_people(db, sales_dept).await?;
    let mut rng = Rng(0x5EED_2026_0000_0001 ^ customers);
    let mut counts = ScaleCounts::default();

    // Customers.
    let first_customer: i64 = db.read().scalar("SELECT COALESCE(MAX(id), 0) FROM customers", vec![]).await?;
    let batch = 5_000u64;
    let mut done = 0u64;
    while done < customers {
        let n = (customers - done).min(batch);
        let mut rows = Vec::with_capacity(n as usize);
        for i in 0..n {
            let k = first_customer as u64 + done + i + 1;
            let (city, region) = *rng.pick(CITIES);
            let (trade, industry) = *rng.pick(TRADES);
            let name = format!("{city}{}{trade}{}（{k}）", rng.pick(WORDS), rng.pick(SUFFIXES));
            let norm = crate::sales::dashboard::scale::normalise_name(&name);
            let owner = *rng.pick(&owners);
            let status = match rng.below(10) {
                0..=5 => "customer",
                6..=8 => "prospect",
                _ => "inactive",
            };
            let created = now - Duration::days(30 + rng.below(1500) as i64);
            rows.push(vec![
                Arg::Str(name),
                Arg::Str(norm),
                Arg::Str(format!("91{:016}", k)),
                Arg::Str(format!("0{:02}-{:08}", 10 + rng.below(80), rng.below(100_000_000))),
                Arg::Str(industry.into()),
                Arg::Str(region.into()),
                Arg::Str(["small", "medium", "large"][rng.below(3) as usize].into()),
                Arg::Str(["referral", "website", "trade_show", "cold_call"][rng.below(4) as usize].into()),
                Arg::Str(["low", "medium", "high"][rng.below(3) as usize].into()),
                Arg::Str(status.into()),
                Arg::Bool(rng.below(20) == 0),
                Arg::OptI64((rng.below(3) == 0).then(|| (1 + rng.below(50) as i64) * 100_000_00)),
                Arg::I64(owner),
                Arg::I64(sales_dept),
                Arg::Time(created),
                Arg::Time(created),
            ]);
        }
        let mut tx = db.begin().await?;
        bulk_insert(
            &mut tx,
            "customers",
            &["name", "name_norm", "tax_id", "phone", "industry", "region", "size", "source_channel", "intent", "status", "key_account", "credit_limit_minor", "owner_id", "department_id", "created_at", "updated_at"],
            rows,
        )
        .await?;
        tx.commit().await?;
        done += n;
        counts.customers = done;
        progress("customers", done, customers);
    }
    let cust: Vec<(i64, i64)> =
        db.read().fetch_all("SELECT id, owner_id FROM customers WHERE id > $1 ORDER BY id", args![first_customer]).await?;

    // Visits: most customers had one in the last 200 days.
    let mut rows = Vec::new();
    for (id, owner) in &cust {
        if rng.below(10) < 7 {
            let day = today - Duration::days(rng.below(200) as i64);
            rows.push(vec![
                Arg::I64(*id), Arg::I64(*owner), Arg::I64(sales_dept), Arg::Date(day), Arg::Str("例行拜访，了解设备使用情况".into()),
                Arg::Str("done".into()), Arg::Date(day), Arg::Str("客户对交付周期满意".into()), Arg::Time(now), Arg::Time(now),
            ]);
        }
    }
    counts.visits = rows.len() as u64;
    for chunk in rows.chunks(20_000) {
        let mut tx = db.begin().await?;
        bulk_insert(
            &mut tx,
            "visits",
            &["customer_id", "owner_id", "department_id", "planned_date", "purpose", "status", "visited_on", "outcome", "created_at", "updated_at"],
            chunk.to_vec(),
        )
        .await?;
        tx.commit().await?;
    }
    progress("visits", counts.visits, counts.visits);

    // Opportunities: ten per customer over three years; most are closed.
    let total = cust.len() as u64 * 10;
    let first_opp: i64 = db.read().scalar("SELECT COALESCE(MAX(id), 0) FROM opportunities", vec![]).await?;
    let mut done = 0u64;
    for chunk in cust.chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len() * 10);
        for (cid, owner) in chunk {
            for _ in 0..10 {
                let created = now - Duration::days(rng.below(3 * 365) as i64) - Duration::minutes(rng.below(1440) as i64);
                let amount = (5 + rng.below(500) as i64) * 10_000_00;
                let close_after = Duration::days(10 + rng.below(170) as i64);
                let (stage, closed_at, expected) = if rng.below(100) < 85 && created + close_after < now {
                    let st = if rng.below(100) < 40 { won.clone() } else { lost.clone() };
                    let closed = created + close_after;
                    (st, Some(closed), crate::core::time::company_date(closed))
                } else {
                    let st = rng.pick(&open).clone();
                    let exp = today + Duration::days(rng.below(330) as i64 - 60);
                    (st, None, exp)
                };
                let title = format!("{}项目", rng.pick(DEALS));
                let lost_reason = if closed_at.is_some() && stage == lost { "价格高于竞争对手" } else { "" };
                rows.push(vec![
                    Arg::I64(*cid), Arg::Str(title), Arg::Str(stage), Arg::I64(amount), Arg::Date(expected),
                    Arg::Str(lost_reason.into()), Arg::I64(*owner), Arg::I64(sales_dept),
                    Arg::Time(closed_at.unwrap_or(created)), Arg::OptTime(closed_at), Arg::Time(created), Arg::Time(closed_at.unwrap_or(created)),
                ]);
            }
        }
        let mut tx = db.begin().await?;
        bulk_insert(
            &mut tx,
            "opportunities",
            &["customer_id", "title", "stage_code", "amount_minor", "expected_close", "lost_reason", "owner_id", "department_id", "stage_changed_at", "closed_at", "created_at", "updated_at"],
            rows,
        )
        .await?;
        tx.commit().await?;
        done += chunk.len() as u64 * 10;
        counts.opportunities = done;
        if done % 50_000 < chunk.len() as u64 * 10 || done == total {
            progress("opportunities", done, total);
        }
    }

    // Signed contracts for one in twenty won deals, with reviews, copies and receivables.
    counts.contracts = contracts(db, first_opp, &won, today, &mut rng, &mut counts.receivables).await?;
    progress("contracts", counts.contracts, counts.contracts);

    // Fresh planner statistics for the new data (both backends understand ANALYZE).
    db.read().execute("ANALYZE", vec![]).await?;
    let actor = Actor::system("seed-scale");
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &actor,
        "sales_scale",
        None,
        "create",
        None,
        Some(&serde_json::json!({"customers": counts.customers, "opportunities": counts.opportunities, "visits": counts.visits, "contracts": counts.contracts, "receivables": counts.receivables})),
    )
    .await?;
    tx.commit().await?;
    Ok(counts)
}

/// The sales department's active people, who own the generated records (with
/// `--scale`, the generated employees include about one in eleven in sales).
async fn sales_people(db: &Db, sales_dept: i64) -> Result<Vec<i64>, AppError> {
    let all: Vec<(i64,)> = db
        .read()
        .fetch_all("SELECT id FROM users WHERE department_id = $1 AND active = $2 AND role IN ('staff', 'manager') ORDER BY id", args![sales_dept, true])
        .await?;
    if all.is_empty() {
        return Err(AppError::Request("the sales department has nobody to own generated customers: seed --demo first".into()));
    }
    Ok(all.into_iter().map(|r| r.0).collect())
}

async fn contracts(db: &Db, first_opp: i64, won: &str, today: NaiveDate, rng: &mut Rng, receivables: &mut u64) -> Result<u64, AppError> {
    let now = Utc::now();
    // The signer: the person with the highest signing authority (one is created for
    // the first executive if nobody has any, so generated contracts satisfy 2.2.3-d).
    let signer: Option<(i64,)> = db.read().fetch_optional("SELECT user_id FROM signing_authorities WHERE active = $1 ORDER BY limit_minor DESC LIMIT 1", args![true]).await?;
    let signer = match signer {
        Some((id,)) => id,
        None => {
            let exec: i64 = db.read().scalar("SELECT id FROM users WHERE role = 'executive' AND active = $1 ORDER BY id LIMIT 1", args![true]).await?;
            let mut tx = db.begin().await?;
            tx.execute(
                "INSERT INTO signing_authorities (user_id, limit_minor, currency, active, version, created_at, updated_at) VALUES ($1, $2, 'CNY', $3, 1, $4, $4)",
                args![exec, 100_000_000_00i64, true, now],
            )
            .await?;
            tx.commit().await?;
            exec
        }
    };
    let reviewers: Vec<(i64,)> =
        db.read().fetch_all("SELECT id FROM departments WHERE code IN ('finance', 'legal', 'production') ORDER BY id", vec![]).await?;
    let receivers: Vec<(i64,)> =
        db.read().fetch_all("SELECT id FROM departments WHERE code IN ('finance', 'production', 'logistics') ORDER BY id", vec![]).await?;
    let deals: Vec<(i64, i64, i64, i64, i64, chrono::DateTime<Utc>, String)> = db
        .read()
        .fetch_all(
            "SELECT o.id, o.customer_id, o.amount_minor, o.owner_id, o.department_id, o.closed_at, o.title FROM opportunities o \
             WHERE o.id > $1 AND o.stage_code = $2 AND o.id % 20 = 0 ORDER BY o.id",
            args![first_opp, won],
        )
        .await?;
    let first_contract: i64 = db.read().scalar("SELECT COALESCE(MAX(id), 0) FROM contracts", vec![]).await?;
    let mut made = 0u64;
    for chunk in deals.chunks(2_000) {
        let mut tx = db.begin().await?;
        let mut rows = Vec::new();
        for (oid, cid, amount, owner, dept, closed, title) in chunk {
            let signed = *closed + Duration::days(7 + rng.below(14) as i64);
            let delivery = crate::core::time::company_date(signed) + Duration::days(60);
            rows.push(vec![
                Arg::Str(format!("HT-S-{oid:08}")), Arg::Str(title.clone()), Arg::I64(*cid), Arg::I64(*oid), Arg::Str("signed".into()),
                Arg::I64(*amount), Arg::Str("双方按本合同约定履行供货与付款义务。".into()), Arg::Str("预付 30%，验收后付 70%".into()),
                Arg::Date(delivery), Arg::Str("逾期交货每日按合同金额 0.05% 支付违约金。".into()),
                Arg::Time(*closed), Arg::Time(signed - Duration::days(1)), Arg::Time(signed), Arg::I64(signer),
                Arg::I64(*owner), Arg::I64(*dept), Arg::Time(*closed), Arg::Time(signed),
            ]);
        }
        bulk_insert(
            &mut tx,
            "contracts",
            &["number", "title", "customer_id", "opportunity_id", "status", "amount_minor", "rights_obligations", "payment_terms", "delivery_date", "breach_liability",
              "submitted_at", "approved_at", "signed_at", "signed_by", "owner_id", "department_id", "created_at", "updated_at"],
            rows,
        )
        .await?;
        tx.commit().await?;
        made += chunk.len() as u64;
    }
    let signed: Vec<(i64, i64, i64, i64, i64, chrono::DateTime<Utc>, chrono::DateTime<Utc>)> = db
        .read()
        .fetch_all(
            "SELECT id, customer_id, amount_minor, owner_id, department_id, submitted_at, signed_at FROM contracts WHERE id > $1 ORDER BY id",
            args![first_contract],
        )
        .await?;
    for chunk in signed.chunks(2_000) {
        let (mut lines, mut inst, mut revs, mut copies, mut recs) = (vec![], vec![], vec![], vec![], vec![]);
        for (id, cid, amount, owner, dept, submitted, signed_at) in chunk {
            lines.push(vec![Arg::I64(*id), Arg::I64(1), Arg::Str("成套设备及安装调试".into()), Arg::Str("套".into()), Arg::I64(1), Arg::I64(*amount), Arg::I64(*amount)]);
            let first = amount * 3 / 10;
            let signed_day = crate::core::time::company_date(*signed_at);
            for (seq, part, due) in [(1i64, first, signed_day + Duration::days(15)), (2, amount - first, signed_day + Duration::days(90))] {
                inst.push(vec![Arg::I64(*id), Arg::I64(seq), Arg::Date(due), Arg::I64(part)]);
                // Older receivables are mostly paid; recent ones open, some overdue.
                let paid = if due < today - Duration::days(120) || rng.below(3) == 0 { part } else if rng.below(4) == 0 { part / 2 } else { 0 };
                recs.push(vec![
                    Arg::I64(*id), Arg::I64(*cid), Arg::I64(seq), Arg::Date(due), Arg::I64(part), Arg::I64(paid),
                    Arg::Str(if paid >= part { "paid" } else { "open" }.into()), Arg::I64(*owner), Arg::I64(*dept), Arg::Time(*signed_at), Arg::Time(*signed_at),
                ]);
            }
            for (d,) in &reviewers {
                let decided = *submitted + Duration::hours(4 + rng.below(96) as i64);
                revs.push(vec![Arg::I64(*id), Arg::I64(1), Arg::I64(*d), Arg::Str("approved".into()), Arg::Time(decided), Arg::Time(*submitted), Arg::Time(decided)]);
            }
            for (d,) in &receivers {
                copies.push(vec![Arg::I64(*id), Arg::I64(1), Arg::I64(*d), Arg::Time(*signed_at), Arg::OptTime(Some(*signed_at + Duration::hours(20)))]);
            }
        }
        *receivables += recs.len() as u64;
        let mut tx = db.begin().await?;
        bulk_insert(&mut tx, "contract_lines", &["contract_id", "position", "description", "unit", "quantity", "unit_price_minor", "line_total_minor"], lines).await?;
        bulk_insert(&mut tx, "contract_instalments", &["contract_id", "seq", "due_date", "amount_minor"], inst).await?;
        bulk_insert(&mut tx, "contract_reviews", &["contract_id", "revision", "department_id", "status", "decided_at", "created_at", "updated_at"], revs).await?;
        bulk_insert(&mut tx, "contract_copies", &["contract_id", "revision", "department_id", "sent_at", "acknowledged_at"], copies).await?;
        bulk_insert(
            &mut tx,
            "receivables",
            &["contract_id", "customer_id", "seq", "due_date", "amount_minor", "paid_minor", "status", "owner_id", "department_id", "created_at", "updated_at"],
            recs,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(made)
}

/// Lower-case, without spaces and common company-form suffixes (for duplicate
/// detection; the customers part uses the same rule).
pub fn normalise_name(name: &str) -> String {
    let mut s: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    for suffix in ["股份有限公司", "有限责任公司", "有限公司", "co.,ltd.", "co.,ltd", "ltd."] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x.to_string();
        }
    }
    s
}
