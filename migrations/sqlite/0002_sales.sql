-- Sales (2.2.1 to 2.2.4): settings, customers and contacts, visits, product
-- catalogue, opportunities and their stages, quotations, contracts with review,
-- signing and distribution, orders and exceptions, receivables and payments.
-- Money is integer minor units plus a currency code; dates are calendar dates.

-- Configurable values (sales limits, review and distribution departments ...).
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);

-- ===== 2.2.1 customers, contacts, visits =====
CREATE TABLE customers (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    name_norm          TEXT NOT NULL,
    tax_id             TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    industry           TEXT NOT NULL DEFAULT '',
    region             TEXT NOT NULL DEFAULT '',
    size               TEXT NOT NULL DEFAULT '',
    source_channel     TEXT NOT NULL DEFAULT '',
    source_detail      TEXT NOT NULL DEFAULT '',
    campaign_id        INTEGER,
    needs              TEXT NOT NULL DEFAULT '',
    preferences        TEXT NOT NULL DEFAULT '',
    intent             TEXT NOT NULL DEFAULT 'medium' CHECK (intent IN ('low', 'medium', 'high')),
    status             TEXT NOT NULL DEFAULT 'prospect' CHECK (status IN ('prospect', 'customer', 'inactive')),
    key_account        INTEGER NOT NULL DEFAULT 0,
    credit_limit_minor INTEGER,
    currency           TEXT NOT NULL DEFAULT 'CNY',
    address            TEXT NOT NULL DEFAULT '',
    owner_id           INTEGER NOT NULL REFERENCES users(id),
    department_id      INTEGER NOT NULL REFERENCES departments(id),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         INTEGER,
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER
);
CREATE INDEX customers_name ON customers(name, id);
CREATE INDEX customers_name_norm ON customers(name_norm);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX customers_phone ON customers(phone);
-- Owner and department lead (visibility); name orders the page; the trailing
-- filter columns let the list's COUNT run on the index alone.
CREATE INDEX customers_owner ON customers(owner_id, name, id, status, intent, key_account);
CREATE INDEX customers_department ON customers(department_id, name, id, status, intent, key_account);
CREATE INDEX customers_status ON customers(status, name, id);
CREATE INDEX customers_status_updated ON customers(status, updated_at, id);
CREATE INDEX customers_updated ON customers(updated_at, id);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    name        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    birthday    TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);
CREATE INDEX contacts_customer ON contacts(customer_id, id);
CREATE INDEX contacts_phone ON contacts(phone);

CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    contact_id    INTEGER REFERENCES contacts(id),
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    planned_date  TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
    visited_on    TEXT,
    outcome       TEXT NOT NULL DEFAULT '',
    next_step     TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    INTEGER,
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER
);
CREATE INDEX visits_owner ON visits(owner_id, planned_date, id);
CREATE INDEX visits_customer ON visits(customer_id, visited_on);
CREATE INDEX visits_status ON visits(status, planned_date);

-- ===== 2.2.2 catalogue, opportunities, quotations =====
CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    specification    TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL DEFAULT '',
    list_price_minor INTEGER NOT NULL CHECK (list_price_minor >= 0),
    currency         TEXT NOT NULL DEFAULT 'CNY',
    delivery_days    INTEGER NOT NULL DEFAULT 30,
    active           INTEGER NOT NULL DEFAULT 1,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    created_by       INTEGER,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER
);

-- Pipeline stages with their win probability (configurable). kind: open, won, lost.
CREATE TABLE opportunity_stages (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);

CREATE TABLE opportunities (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers(id),
    title             TEXT NOT NULL,
    stage_code        TEXT NOT NULL REFERENCES opportunity_stages(code),
    amount_minor      INTEGER NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency          TEXT NOT NULL DEFAULT 'CNY',
    expected_close    TEXT NOT NULL,
    needs_analysis    TEXT NOT NULL DEFAULT '',
    proposed_solution TEXT NOT NULL DEFAULT '',
    lost_reason       TEXT NOT NULL DEFAULT '',
    owner_id          INTEGER NOT NULL REFERENCES users(id),
    department_id     INTEGER NOT NULL REFERENCES departments(id),
    stage_changed_at  TEXT NOT NULL,
    closed_at         TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        INTEGER,
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER
);
-- Board columns (stage, then expected close), per owner and department, and the
-- covering index for the per-stage count and amount.
CREATE INDEX opportunities_stage ON opportunities(stage_code, expected_close, id);
CREATE INDEX opportunities_stage_amount ON opportunities(stage_code, amount_minor);
CREATE INDEX opportunities_owner ON opportunities(owner_id, stage_code, expected_close, id);
CREATE INDEX opportunities_department ON opportunities(department_id, stage_code, expected_close, id);
CREATE INDEX opportunities_customer ON opportunities(customer_id, id);
CREATE INDEX opportunities_closed ON opportunities(closed_at);
-- The board's column sums and cards, and the dashboard's open-pipeline aggregate,
-- for every role without touching the table: stage, then the expected-close
-- window, with owner, department and amount covered. (The dashboard's closed-deal
-- figures come from opportunity_close_stats at the end of this file.)
CREATE INDEX opportunities_board ON opportunities(stage_code, expected_close, owner_id, department_id, amount_minor);

CREATE TABLE opportunity_stage_changes (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id),
    from_stage     TEXT,
    to_stage       TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    changed_by     INTEGER
);
CREATE INDEX opportunity_stage_changes_opp ON opportunity_stage_changes(opportunity_id, id);

CREATE TABLE opportunity_objections (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id),
    objection      TEXT NOT NULL,
    answer         TEXT NOT NULL DEFAULT '',
    resolved       INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     INTEGER,
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER
);
CREATE INDEX opportunity_objections_opp ON opportunity_objections(opportunity_id, id);

-- status: draft, pending_approval (discount over the limit, 2.2.2-c), approved, rejected, sent.
CREATE TABLE quotations (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    opportunity_id   INTEGER NOT NULL REFERENCES opportunities(id),
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_approval', 'approved', 'rejected', 'sent')),
    valid_until      TEXT NOT NULL,
    currency         TEXT NOT NULL DEFAULT 'CNY',
    total_minor      INTEGER NOT NULL DEFAULT 0,
    max_discount_bp  INTEGER NOT NULL DEFAULT 0,
    notes            TEXT NOT NULL DEFAULT '',
    approved_by      INTEGER REFERENCES users(id),
    approved_at      TEXT,
    approval_comment TEXT NOT NULL DEFAULT '',
    sent_at          TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    created_by       INTEGER,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER
);
CREATE INDEX quotations_opp ON quotations(opportunity_id, id);
CREATE INDEX quotations_status ON quotations(status, id);

CREATE TABLE quotation_lines (
    id               INTEGER PRIMARY KEY,
    quotation_id     INTEGER NOT NULL REFERENCES quotations(id),
    position         INTEGER NOT NULL,
    product_id       INTEGER NOT NULL REFERENCES products(id),
    description      TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL,
    discount_bp      INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    line_total_minor INTEGER NOT NULL,
    delivery_days    INTEGER NOT NULL
);
CREATE INDEX quotation_lines_q ON quotation_lines(quotation_id, position);

-- ===== 2.2.3 contracts =====
-- status: draft, in_review, approved (every review approved), signed.
-- `revision` counts versions: an amendment after signing starts revision + 1 in
-- draft; earlier versions are kept as snapshots in contract_versions.
CREATE TABLE contracts (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    customer_id        INTEGER NOT NULL REFERENCES customers(id),
    opportunity_id     INTEGER REFERENCES opportunities(id),
    quotation_id       INTEGER REFERENCES quotations(id),
    status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'approved', 'signed')),
    revision           INTEGER NOT NULL DEFAULT 1,
    -- Submissions of the current revision (a rejection and resubmission starts a new round).
    review_round       INTEGER NOT NULL DEFAULT 0,
    amount_minor       INTEGER NOT NULL DEFAULT 0,
    currency           TEXT NOT NULL DEFAULT 'CNY',
    rights_obligations TEXT NOT NULL DEFAULT '',
    payment_terms      TEXT NOT NULL DEFAULT '',
    delivery_date      TEXT,
    breach_liability   TEXT NOT NULL DEFAULT '',
    submitted_at       TEXT,
    approved_at        TEXT,
    signed_at          TEXT,
    signed_by          INTEGER REFERENCES users(id),
    -- 2.2.3-d: the signer's authority limit when they signed (rule evidence).
    signer_limit_minor INTEGER,
    owner_id           INTEGER NOT NULL REFERENCES users(id),
    department_id      INTEGER NOT NULL REFERENCES departments(id),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         INTEGER,
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER
);
CREATE INDEX contracts_status ON contracts(status, id);
CREATE INDEX contracts_customer ON contracts(customer_id, id);
CREATE INDEX contracts_owner ON contracts(owner_id, id);
CREATE INDEX contracts_department ON contracts(department_id, id);
CREATE INDEX contracts_signed ON contracts(signed_at);

CREATE TABLE contract_lines (
    id               INTEGER PRIMARY KEY,
    contract_id      INTEGER NOT NULL REFERENCES contracts(id),
    position         INTEGER NOT NULL,
    product_id       INTEGER REFERENCES products(id),
    description      TEXT NOT NULL,
    specification    TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    discount_bp      INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    line_total_minor INTEGER NOT NULL
);
CREATE INDEX contract_lines_c ON contract_lines(contract_id, position);

-- Payment terms as a schedule of instalments (2.2.3-b); signing turns them into receivables.
CREATE TABLE contract_instalments (
    id           INTEGER PRIMARY KEY,
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    seq          INTEGER NOT NULL,
    due_date     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contract_instalments_c ON contract_instalments(contract_id, seq);

-- A frozen copy of each submitted/signed revision, so earlier versions stay readable.
CREATE TABLE contract_versions (
    id            INTEGER PRIMARY KEY,
    contract_id   INTEGER NOT NULL REFERENCES contracts(id),
    revision      INTEGER NOT NULL,
    snapshot_json TEXT NOT NULL,
    signed_at     TEXT,
    signed_by     INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL,
    created_by    INTEGER,
    UNIQUE (contract_id, revision)
);

-- 2.2.3-c: one review per configured department, revision and review round
-- (earlier rounds keep their rejections and comments).
CREATE TABLE contract_reviews (
    id                 INTEGER PRIMARY KEY,
    contract_id        INTEGER NOT NULL REFERENCES contracts(id),
    revision           INTEGER NOT NULL,
    review_round       INTEGER NOT NULL DEFAULT 1,
    department_id      INTEGER NOT NULL REFERENCES departments(id),
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    over_credit_limit  INTEGER NOT NULL DEFAULT 0,
    reviewer_id        INTEGER REFERENCES users(id),
    comment            TEXT NOT NULL DEFAULT '',
    decided_at         TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         INTEGER,
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER,
    UNIQUE (contract_id, revision, review_round, department_id)
);
CREATE INDEX contract_reviews_pending ON contract_reviews(department_id, status);
CREATE INDEX contract_reviews_status ON contract_reviews(status, department_id);
CREATE INDEX contract_reviews_decided ON contract_reviews(decided_at);
CREATE INDEX contract_reviews_c ON contract_reviews(contract_id, revision, review_round);
CREATE INDEX contracts_opportunity ON contracts(opportunity_id);

-- 2.2.3-d: who may sign, up to which amount (managed by admins).
CREATE TABLE signing_authorities (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL UNIQUE REFERENCES users(id),
    limit_minor INTEGER NOT NULL CHECK (limit_minor > 0),
    currency    TEXT NOT NULL DEFAULT 'CNY',
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);

-- 2.2.3-e: copies distributed on signing, each acknowledged by its department.
CREATE TABLE contract_copies (
    id               INTEGER PRIMARY KEY,
    contract_id      INTEGER NOT NULL REFERENCES contracts(id),
    revision         INTEGER NOT NULL,
    department_id    INTEGER NOT NULL REFERENCES departments(id),
    sent_at          TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  INTEGER REFERENCES users(id),
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (contract_id, revision, department_id)
);
CREATE INDEX contract_copies_pending ON contract_copies(acknowledged_at, sent_at);
CREATE INDEX contract_copies_c ON contract_copies(contract_id, revision);

-- ===== 2.2.4 orders, updates, exceptions =====
CREATE TABLE orders (
    id                     INTEGER PRIMARY KEY,
    number                 TEXT NOT NULL UNIQUE,
    contract_id            INTEGER NOT NULL REFERENCES contracts(id),
    customer_id            INTEGER NOT NULL REFERENCES customers(id),
    status                 TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'in_production', 'shipped', 'delivered', 'closed')),
    planned_ship_date      TEXT,
    planned_delivery_date  TEXT NOT NULL,
    actual_ship_date       TEXT,
    actual_delivery_date   TEXT,
    on_time                INTEGER,
    in_full                INTEGER,
    last_customer_update_at TEXT,
    owner_id               INTEGER NOT NULL REFERENCES users(id),
    department_id          INTEGER NOT NULL REFERENCES departments(id),
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    created_by             INTEGER,
    updated_at             TEXT NOT NULL,
    updated_by             INTEGER
);
CREATE INDEX orders_status ON orders(status, id);
CREATE INDEX orders_contract ON orders(contract_id, id);
CREATE INDEX orders_customer ON orders(customer_id, id);
CREATE INDEX orders_owner ON orders(owner_id, id);
-- The order list pages by planned delivery date.
CREATE INDEX orders_planned_delivery ON orders(planned_delivery_date, id);

CREATE TABLE order_lines (
    id                 INTEGER PRIMARY KEY,
    order_id           INTEGER NOT NULL REFERENCES orders(id),
    position           INTEGER NOT NULL,
    description        TEXT NOT NULL,
    unit               TEXT NOT NULL DEFAULT '',
    quantity           INTEGER NOT NULL CHECK (quantity > 0),
    delivered_quantity INTEGER NOT NULL DEFAULT 0 CHECK (delivered_quantity >= 0),
    planned_date       TEXT NOT NULL,
    actual_date        TEXT
);
CREATE INDEX order_lines_o ON order_lines(order_id, position);

CREATE TABLE order_status_changes (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    changed_by  INTEGER
);
CREATE INDEX order_status_changes_o ON order_status_changes(order_id, id);

-- 2.2.4-b: what the customer was told, when, how.
CREATE TABLE order_updates (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    told_at    TEXT NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'visit', 'message', 'other')),
    content    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER
);
CREATE INDEX order_updates_o ON order_updates(order_id, told_at);

-- 2.2.4-c: exceptions with cause and measures, escalated to the responsible leader.
CREATE TABLE order_exceptions (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id),
    kind              TEXT NOT NULL CHECK (kind IN ('production_delay', 'quality', 'other')),
    description       TEXT NOT NULL,
    cause             TEXT NOT NULL DEFAULT '',
    measures          TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved')),
    owner_id          INTEGER NOT NULL REFERENCES users(id),
    leader_id         INTEGER REFERENCES users(id),
    reported_at       TEXT NOT NULL,
    analysed_at       TEXT,
    resolved_at       TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        INTEGER,
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER
);
CREATE INDEX order_exceptions_o ON order_exceptions(order_id, id);
CREATE INDEX order_exceptions_open ON order_exceptions(status, reported_at);
-- 2.2.4-c rule: exceptions by report time.
CREATE INDEX order_exceptions_reported ON order_exceptions(reported_at);

-- ===== receivables =====
-- One per instalment of a signed contract; status open, paid, cancelled.
CREATE TABLE receivables (
    id             INTEGER PRIMARY KEY,
    contract_id    INTEGER NOT NULL REFERENCES contracts(id),
    customer_id    INTEGER NOT NULL REFERENCES customers(id),
    seq            INTEGER NOT NULL,
    due_date       TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    paid_minor     INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    currency       TEXT NOT NULL DEFAULT 'CNY',
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'cancelled')),
    owner_id       INTEGER NOT NULL REFERENCES users(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     INTEGER,
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER,
    UNIQUE (contract_id, seq)
);
CREATE INDEX receivables_open ON receivables(status, due_date);
CREATE INDEX receivables_customer ON receivables(customer_id, status, due_date);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    receivable_id INTEGER NOT NULL REFERENCES receivables(id),
    paid_on       TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    method        TEXT NOT NULL DEFAULT '',
    reference     TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    created_by    INTEGER
);
CREATE INDEX payments_receivable ON payments(receivable_id, id);

-- ===== dashboard =====
-- Monthly sales targets (won amount), company-wide (department NULL) or per department.
CREATE TABLE sales_targets (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    department_id INTEGER REFERENCES departments(id),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER
);
CREATE UNIQUE INDEX sales_targets_key ON sales_targets(year, month, COALESCE(department_id, 0));

-- Closed opportunities summed per month of closing (company time, UTC+8), stage,
-- department and owner, kept by triggers in step with every insert, update and
-- delete. The dashboard reads won/lost figures, win rates and cycle times from
-- here: a few thousand rows a year instead of every closed deal.
CREATE TABLE opportunity_close_stats (
    month         TEXT NOT NULL,
    stage_code    TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    owner_id      INTEGER NOT NULL,
    deals         INTEGER NOT NULL DEFAULT 0,
    amount_minor  INTEGER NOT NULL DEFAULT 0,
    cycle_days    REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (month, stage_code, department_id, owner_id)
);
CREATE TRIGGER opportunity_close_stats_insert AFTER INSERT ON opportunities WHEN NEW.closed_at IS NOT NULL
BEGIN
    INSERT INTO opportunity_close_stats (month, stage_code, department_id, owner_id, deals, amount_minor, cycle_days)
    VALUES (strftime('%Y-%m', NEW.closed_at, '+8 hours'), NEW.stage_code, NEW.department_id, NEW.owner_id, 1, NEW.amount_minor,
            julianday(NEW.closed_at) - julianday(NEW.created_at))
    ON CONFLICT (month, stage_code, department_id, owner_id) DO UPDATE SET deals = deals + 1,
        amount_minor = amount_minor + excluded.amount_minor, cycle_days = cycle_days + excluded.cycle_days;
END;
CREATE TRIGGER opportunity_close_stats_update_old AFTER UPDATE ON opportunities WHEN OLD.closed_at IS NOT NULL
BEGIN
    UPDATE opportunity_close_stats SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor,
        cycle_days = cycle_days - (julianday(OLD.closed_at) - julianday(OLD.created_at))
    WHERE month = strftime('%Y-%m', OLD.closed_at, '+8 hours') AND stage_code = OLD.stage_code
      AND department_id = OLD.department_id AND owner_id = OLD.owner_id;
END;
CREATE TRIGGER opportunity_close_stats_update_new AFTER UPDATE ON opportunities WHEN NEW.closed_at IS NOT NULL
BEGIN
    INSERT INTO opportunity_close_stats (month, stage_code, department_id, owner_id, deals, amount_minor, cycle_days)
    VALUES (strftime('%Y-%m', NEW.closed_at, '+8 hours'), NEW.stage_code, NEW.department_id, NEW.owner_id, 1, NEW.amount_minor,
            julianday(NEW.closed_at) - julianday(NEW.created_at))
    ON CONFLICT (month, stage_code, department_id, owner_id) DO UPDATE SET deals = deals + 1,
        amount_minor = amount_minor + excluded.amount_minor, cycle_days = cycle_days + excluded.cycle_days;
END;
CREATE TRIGGER opportunity_close_stats_delete AFTER DELETE ON opportunities WHEN OLD.closed_at IS NOT NULL
BEGIN
    UPDATE opportunity_close_stats SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor,
        cycle_days = cycle_days - (julianday(OLD.closed_at) - julianday(OLD.created_at))
    WHERE month = strftime('%Y-%m', OLD.closed_at, '+8 hours') AND stage_code = OLD.stage_code
      AND department_id = OLD.department_id AND owner_id = OLD.owner_id;
END;
