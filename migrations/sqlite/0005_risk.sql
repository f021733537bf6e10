-- Risk (regulation 5.1 to 5.3, 1.3-e): the register with assessment history on
-- a 5×5 matrix, assessment rounds per department, responses with executive
-- approval of accepted risks, measures and effectiveness reviews, customer
-- credit evaluations, key risk indicators on live data, escalations,
-- department risk reports and the company risk warning report.
-- Levels are not stored on risks: a risk keeps likelihood and impact (score =
-- likelihood × impact); the level bands are settings (risk.band_*), so a band
-- change re-levels every risk at once. History rows keep the level in force
-- when they were written.

-- 5.1-b: categories; the four built in cannot be deleted, admins add more.
CREATE TABLE risk_categories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    builtin     INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1,
    sort        INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);

-- 5.1-a: assessment rounds opened by the risk department (e.g. quarterly).
CREATE TABLE risk_rounds (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    period      TEXT NOT NULL,            -- e.g. '2026-Q4'
    starts_on   TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    note        TEXT NOT NULL DEFAULT '',
    opened_by   INTEGER NOT NULL REFERENCES users(id),
    closed_at   TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);
CREATE INDEX risk_rounds_due ON risk_rounds(status, due_on);

-- Each department in a round: its manager submits the reviewed list.
CREATE TABLE risk_round_departments (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES risk_rounds(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'submitted', 'returned')),
    risk_count     INTEGER NOT NULL DEFAULT 0,
    comment        TEXT NOT NULL DEFAULT '',
    submitted_by   INTEGER REFERENCES users(id),
    submitted_at   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (round_id, department_id)
);
CREATE INDEX risk_round_departments_dept ON risk_round_departments(department_id, status);

-- 5.1-d: the register. Current inherent and residual assessments are kept on
-- the row (written with each history row) so the heat maps are one GROUP BY.
CREATE TABLE risks (
    id                    INTEGER PRIMARY KEY,
    number                TEXT NOT NULL UNIQUE,      -- FX-2026-0001
    name                  TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL DEFAULT '',  -- where the risk comes from (cause)
    category_id           INTEGER NOT NULL REFERENCES risk_categories(id),
    department_id         INTEGER NOT NULL REFERENCES departments(id),
    owner_id              INTEGER NOT NULL REFERENCES users(id),
    customer_id           INTEGER REFERENCES customers(id),
    contract_id           INTEGER REFERENCES contracts(id),
    project_id            INTEGER REFERENCES projects(id),
    round_id              INTEGER REFERENCES risk_rounds(id),
    status                TEXT NOT NULL DEFAULT 'identified'
                          CHECK (status IN ('identified', 'assessed', 'responding', 'monitoring', 'closed')),
    inherent_likelihood   INTEGER CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact       INTEGER CHECK (inherent_impact BETWEEN 1 AND 5),
    inherent_score        INTEGER,                        -- likelihood × impact
    residual_likelihood   INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact       INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
    residual_score        INTEGER,
    -- The score that counts: residual when assessed, else inherent (levels, rules, escalation).
    current_score         INTEGER,
    probability_bp        INTEGER,                        -- optional quantitative estimate, basis points (0..10000)
    loss_minor            INTEGER,                        -- loss if it happens
    expected_loss_minor   INTEGER,                        -- probability × loss
    -- 5.2-a: response
    strategy              TEXT CHECK (strategy IN ('accept', 'avoid', 'reduce', 'transfer')),
    strategy_note         TEXT NOT NULL DEFAULT '',
    acceptance_status     TEXT CHECK (acceptance_status IN ('pending', 'approved', 'rejected')),
    acceptance_by         INTEGER REFERENCES users(id),
    acceptance_at         TEXT,
    acceptance_note       TEXT NOT NULL DEFAULT '',
    -- 5.3-a: a key risk indicator's breach suggests a higher likelihood
    suggested_likelihood  INTEGER,
    suggestion_note       TEXT NOT NULL DEFAULT '',
    last_assessed_at      TEXT,
    closed_at             TEXT,
    closed_reason         TEXT NOT NULL DEFAULT '',
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    created_by            INTEGER,
    updated_at            TEXT NOT NULL,
    updated_by            INTEGER
);
CREATE INDEX risks_department ON risks(department_id, status, current_score);
CREATE INDEX risks_owner ON risks(owner_id, status);
CREATE INDEX risks_category ON risks(category_id, status);
CREATE INDEX risks_inherent ON risks(status, inherent_likelihood, inherent_impact, department_id);
CREATE INDEX risks_residual ON risks(status, residual_likelihood, residual_impact, department_id);
CREATE INDEX risks_score ON risks(status, current_score, id);
CREATE INDEX risks_customer ON risks(customer_id);
CREATE INDEX risks_contract ON risks(contract_id);
CREATE INDEX risks_project ON risks(project_id);
CREATE INDEX risks_acceptance ON risks(acceptance_status);

-- Every assessment and re-assessment (5.1-c, 5.2-e), kept for the trend.
CREATE TABLE risk_assessments (
    id                   INTEGER PRIMARY KEY,
    risk_id              INTEGER NOT NULL REFERENCES risks(id),
    kind                 TEXT NOT NULL CHECK (kind IN ('inherent', 'residual')),
    likelihood           INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact               INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    score                INTEGER NOT NULL,
    level                TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
    probability_bp       INTEGER,
    loss_minor           INTEGER,
    expected_loss_minor  INTEGER,
    rationale            TEXT NOT NULL DEFAULT '',
    round_id             INTEGER REFERENCES risk_rounds(id),
    review_id            INTEGER,                          -- the effectiveness review that re-scored it
    assessed_by          INTEGER NOT NULL REFERENCES users(id),
    assessed_at          TEXT NOT NULL
);
CREATE INDEX risk_assessments_risk ON risk_assessments(risk_id, assessed_at, id);
CREATE INDEX risk_assessments_at ON risk_assessments(assessed_at, risk_id);

-- 5.2-b/d/e: measures with owner and due date; links to what exists
-- (a compliance rule, a project, a contract, a customer, or a web address).
CREATE TABLE risk_measures (
    id            INTEGER PRIMARY KEY,
    risk_id       INTEGER NOT NULL REFERENCES risks(id),
    action        TEXT NOT NULL,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    link_kind     TEXT CHECK (link_kind IN ('rule', 'project', 'contract', 'customer', 'url')),
    link_ref      TEXT NOT NULL DEFAULT '',
    completed_on  TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    INTEGER,
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER
);
CREATE INDEX risk_measures_risk ON risk_measures(risk_id, id);
CREATE INDEX risk_measures_owner ON risk_measures(owner_id, status, due_on);
CREATE INDEX risk_measures_due ON risk_measures(status, due_on, risk_id);

-- 5.2-e: effectiveness reviews; each re-scores the residual risk.
CREATE TABLE risk_reviews (
    id                   INTEGER PRIMARY KEY,
    risk_id              INTEGER NOT NULL REFERENCES risks(id),
    measure_id           INTEGER REFERENCES risk_measures(id),
    effectiveness        TEXT NOT NULL CHECK (effectiveness IN ('effective', 'partial', 'ineffective')),
    comments             TEXT NOT NULL DEFAULT '',
    residual_likelihood  INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact      INTEGER NOT NULL CHECK (residual_impact BETWEEN 1 AND 5),
    strategy_changed     INTEGER NOT NULL DEFAULT 0,
    reviewed_by          INTEGER NOT NULL REFERENCES users(id),
    reviewed_at          TEXT NOT NULL
);
CREATE INDEX risk_reviews_risk ON risk_reviews(risk_id, reviewed_at);
CREATE INDEX risk_reviews_measure ON risk_reviews(measure_id);

-- 5.3-d: escalations to the owner's leader (level rose to high/critical, or a
-- key risk indicator breached its threshold).
CREATE TABLE risk_escalations (
    id               INTEGER PRIMARY KEY,
    risk_id          INTEGER REFERENCES risks(id),
    kri_id           INTEGER,
    reason           TEXT NOT NULL CHECK (reason IN ('level_rise', 'kri_breach')),
    from_level       TEXT,
    to_level         TEXT,
    detail           TEXT NOT NULL DEFAULT '',
    escalated_to     INTEGER NOT NULL REFERENCES users(id),
    escalated_at     TEXT NOT NULL,
    acknowledged_at  TEXT
);
CREATE INDEX risk_escalations_risk ON risk_escalations(risk_id, escalated_at);
CREATE INDEX risk_escalations_at ON risk_escalations(escalated_at);

-- 5.3-a: key risk indicators bound to live data. `code` names the built-in
-- measurement; thresholds in the indicator's unit (amount in minor units,
-- share in basis points, count); higher is worse.
CREATE TABLE risk_indicators (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    risk_id          INTEGER REFERENCES risks(id),
    owner_id         INTEGER REFERENCES users(id),
    warn_threshold   INTEGER NOT NULL,
    breach_threshold INTEGER NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    last_value       INTEGER,
    last_status      TEXT CHECK (last_status IN ('ok', 'warning', 'breached')),
    last_evaluated_at TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    created_by       INTEGER,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER
);
-- Values over time (one row per evaluation whose value or status changed, and
-- at least one per day): the indicator's trend.
CREATE TABLE risk_indicator_values (
    id            INTEGER PRIMARY KEY,
    indicator_id  INTEGER NOT NULL REFERENCES risk_indicators(id),
    measured_at   TEXT NOT NULL,
    value         INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'breached'))
);
CREATE INDEX risk_indicator_values_ind ON risk_indicator_values(indicator_id, measured_at);

-- 5.3-b: department risk reports per period (a snapshot plus the manager's words).
CREATE TABLE risk_department_reports (
    id             INTEGER PRIMARY KEY,
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    period         TEXT NOT NULL,                 -- e.g. '2026-11'
    summary        TEXT NOT NULL DEFAULT '',
    snapshot       TEXT NOT NULL DEFAULT '{}',    -- JSON: counts, top risks, measures (codes and numbers only)
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    submitted_by   INTEGER REFERENCES users(id),
    submitted_at   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     INTEGER,
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER,
    UNIQUE (department_id, period)
);

-- 5.3-c: the company risk warning report, issued by the risk department.
CREATE TABLE risk_warning_reports (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,        -- FXYJ-2026-0001
    period           TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    recommendations  TEXT NOT NULL DEFAULT '',
    snapshot         TEXT NOT NULL DEFAULT '{}',  -- JSON (codes and numbers; rendered in the reader's language)
    issued_by        INTEGER NOT NULL REFERENCES users(id),
    issued_at        TEXT NOT NULL
);
CREATE INDEX risk_warning_reports_at ON risk_warning_reports(issued_at);

-- Counts per month for the trend of high/critical risks (kept by the hourly job
-- for the current month; earlier months stay as they were at month end).
CREATE TABLE risk_level_stats (
    id             INTEGER PRIMARY KEY,
    period         TEXT NOT NULL,                 -- 'YYYY-MM'
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    category_id    INTEGER NOT NULL REFERENCES risk_categories(id),
    level          TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
    n              INTEGER NOT NULL,
    UNIQUE (period, department_id, category_id, level)
);

-- 5.2-c: customer credit evaluations (scored from the data and rated factors),
-- reviewed and approved; the approved one sets the customer's rating and limit.
CREATE TABLE credit_evaluations (
    id                    INTEGER PRIMARY KEY,
    number                TEXT NOT NULL UNIQUE,   -- XY-2026-0001
    customer_id           INTEGER NOT NULL REFERENCES customers(id),
    status                TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    -- from the data, as of `computed_at`
    on_time_bp            INTEGER NOT NULL DEFAULT 0,  -- share of paid receivables paid by their due date
    max_overdue_days      INTEGER NOT NULL DEFAULT 0,
    overdue_minor         INTEGER NOT NULL DEFAULT 0,
    volume_12m_minor      INTEGER NOT NULL DEFAULT 0,  -- signed contracts in the last 12 months
    years_as_customer     INTEGER NOT NULL DEFAULT 0,
    -- rated by the evaluator, 1 (poor) to 5 (excellent)
    financial_standing    INTEGER NOT NULL CHECK (financial_standing BETWEEN 1 AND 5),
    management_quality    INTEGER NOT NULL CHECK (management_quality BETWEEN 1 AND 5),
    industry_outlook      INTEGER NOT NULL CHECK (industry_outlook BETWEEN 1 AND 5),
    score                 INTEGER NOT NULL,             -- 0..100
    rating                TEXT NOT NULL CHECK (rating IN ('AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C')),
    suggested_limit_minor INTEGER NOT NULL DEFAULT 0,
    proposed_limit_minor  INTEGER NOT NULL DEFAULT 0,
    approved_limit_minor  INTEGER,
    comments              TEXT NOT NULL DEFAULT '',
    review_note           TEXT NOT NULL DEFAULT '',
    computed_at           TEXT NOT NULL,
    submitted_at          TEXT,
    reviewed_by           INTEGER REFERENCES users(id),
    reviewed_at           TEXT,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    created_by            INTEGER,
    updated_at            TEXT NOT NULL,
    updated_by            INTEGER
);
CREATE INDEX credit_evaluations_customer ON credit_evaluations(customer_id, id);
CREATE INDEX credit_evaluations_status ON credit_evaluations(status, id);

-- The approved evaluation's result on the customer (the limit stays in
-- customers.credit_limit_minor, now written only by an approved evaluation).
ALTER TABLE customers ADD COLUMN credit_rating TEXT;
ALTER TABLE customers ADD COLUMN credit_evaluation_id INTEGER;
ALTER TABLE customers ADD COLUMN credit_evaluated_at TEXT;

-- 2.4.1-b / 2.4.3-d: a project's plan risks link to the register.
CREATE INDEX project_risks_risk ON project_risks(risk_id);

INSERT INTO risk_categories (code, name_zh, name_en, builtin, active, sort, created_at, updated_at) VALUES
    ('market', '市场风险', 'Market risk', 1, 1, 10, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('credit', '信用风险', 'Credit risk', 1, 1, 20, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('operational', '操作风险', 'Operational risk', 1, 1, 30, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('legal', '法律风险', 'Legal risk', 1, 1, 40, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
