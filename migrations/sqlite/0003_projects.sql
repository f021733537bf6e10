-- Projects (2.4.1 to 2.4.4): initiation, team and kickoff, the four-part plan,
-- plan review and approval with versioned baselines and change requests,
-- execution (task progress, progress meetings, issues, delays, quality checks,
-- costs), PMO monitoring (computed figures, health, evaluations) and acceptance
-- (application with files, review, report, retrospective).
-- Money is integer minor units; dates are calendar dates in the company's zone.

-- ===== 2.4.1 initiation =====
-- status: initiating (team, kickoff, plan being written) -> plan_review (submitted:
-- departments review, then the leader approves) -> executing (approved plan,
-- baseline frozen) -> acceptance (applied) -> closed (accepted, report issued);
-- cancelled from any open state. A rejected review returns it to initiating.
CREATE TABLE projects (
    id                        INTEGER PRIMARY KEY,
    number                    TEXT NOT NULL UNIQUE,
    name                      TEXT NOT NULL,
    requesting_department_id  INTEGER NOT NULL REFERENCES departments(id),
    manager_id                INTEGER NOT NULL REFERENCES users(id),
    -- The leader who approves the plan and is told of delays and warnings.
    sponsor_id                INTEGER NOT NULL REFERENCES users(id),
    objectives                TEXT NOT NULL DEFAULT '',
    scope_in                  TEXT NOT NULL DEFAULT '',
    scope_out                 TEXT NOT NULL DEFAULT '',
    start_date                TEXT NOT NULL,
    end_date                  TEXT NOT NULL,
    budget_minor              INTEGER NOT NULL DEFAULT 0 CHECK (budget_minor >= 0),
    currency                  TEXT NOT NULL DEFAULT 'CNY',
    priority                  TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    status                    TEXT NOT NULL DEFAULT 'initiating'
                              CHECK (status IN ('initiating', 'plan_review', 'executing', 'acceptance', 'closed', 'cancelled')),
    -- Submissions of the plan (a rejection and resubmission starts a new round).
    plan_round                INTEGER NOT NULL DEFAULT 0,
    -- The approved baseline in force; 0 while no plan has been approved (2.4.1-c).
    baseline_version          INTEGER NOT NULL DEFAULT 0,
    first_approved_at         TEXT,
    approved_at               TEXT,
    closed_at                 TEXT,
    -- 2.4.3-b: the monitoring figures as of metrics_date, recomputed in the same
    -- transaction as every change that moves them and daily for the date.
    metrics_date              TEXT,
    bac_minor                 INTEGER NOT NULL DEFAULT 0,
    pv_minor                  INTEGER NOT NULL DEFAULT 0,
    ev_minor                  INTEGER NOT NULL DEFAULT 0,
    ac_minor                  INTEGER NOT NULL DEFAULT 0,
    -- SPI and CPI times 1000; NULL when undefined (nothing planned / nothing spent yet).
    spi_milli                 INTEGER,
    cpi_milli                 INTEGER,
    -- Weighted completion in basis points (0..10000).
    complete_bp               INTEGER NOT NULL DEFAULT 0,
    overdue_milestones        INTEGER NOT NULL DEFAULT 0,
    open_delays               INTEGER NOT NULL DEFAULT 0,
    failed_checks             INTEGER NOT NULL DEFAULT 0,
    forecast_end              TEXT,
    health                    TEXT NOT NULL DEFAULT 'green' CHECK (health IN ('green', 'amber', 'red')),
    health_changed_at         TEXT,
    version                   INTEGER NOT NULL DEFAULT 1,
    created_at                TEXT NOT NULL,
    created_by                INTEGER,
    updated_at                TEXT NOT NULL,
    updated_by                INTEGER
);
CREATE INDEX projects_status ON projects(status, id);
CREATE INDEX projects_department ON projects(requesting_department_id, status, id);
CREATE INDEX projects_manager ON projects(manager_id, status, id);
CREATE INDEX projects_sponsor ON projects(sponsor_id, status, id);
CREATE INDEX projects_health ON projects(status, health, id);
CREATE INDEX projects_name ON projects(name, id);

-- 2.4.1-d: the team with roles, responsibilities and allocation (resource plan).
CREATE TABLE project_members (
    id                INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL REFERENCES projects(id),
    user_id           INTEGER NOT NULL REFERENCES users(id),
    role              TEXT NOT NULL,
    responsibilities  TEXT NOT NULL DEFAULT '',
    allocation_pct    INTEGER NOT NULL DEFAULT 100 CHECK (allocation_pct BETWEEN 0 AND 100),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        INTEGER,
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER,
    UNIQUE (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members(user_id, project_id);

-- 2.4.1-a kickoff and 2.4.2-a progress meetings: date, attendees, minutes, decisions.
CREATE TABLE project_meetings (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    kind        TEXT NOT NULL CHECK (kind IN ('kickoff', 'progress')),
    held_on     TEXT NOT NULL,
    attendees   TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    decisions   TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);
CREATE INDEX project_meetings_p ON project_meetings(project_id, kind, held_on);
-- Attendees who are employees (the free-text list above holds guests too).
CREATE TABLE project_meeting_attendees (
    meeting_id  INTEGER NOT NULL REFERENCES project_meetings(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (meeting_id, user_id)
);

-- 2.4.1-b schedule: tasks and milestones. kind 'action' (a meeting's action item)
-- and 'rework' (a failed quality check's) carry weight 0 and no baseline.
-- baseline_start/_end are the dates of the baseline in force (NULL before the
-- first approval or for tasks added since); planned_start/_end are the current
-- plan and forecast, which the manager may move: a move past the baseline is a
-- slip (2.4.2-b), a new baseline needs a change request (2.4.3-c).
CREATE TABLE project_tasks (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER NOT NULL REFERENCES projects(id),
    position         INTEGER NOT NULL DEFAULT 0,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'milestone', 'action', 'rework')),
    assignee_id      INTEGER NOT NULL REFERENCES users(id),
    planned_start    TEXT NOT NULL,
    planned_end      TEXT NOT NULL,
    weight           INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 0),
    baseline_start   TEXT,
    baseline_end     TEXT,
    actual_start     TEXT,
    actual_end       TEXT,
    pct_done         INTEGER NOT NULL DEFAULT 0 CHECK (pct_done BETWEEN 0 AND 100),
    remaining_hours  INTEGER,
    notes            TEXT NOT NULL DEFAULT '',
    meeting_id       INTEGER REFERENCES project_meetings(id),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    created_by       INTEGER,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER,
    CHECK (planned_end >= planned_start)
);
CREATE INDEX project_tasks_p ON project_tasks(project_id, position, id);
CREATE INDEX project_tasks_assignee ON project_tasks(assignee_id, actual_end, planned_end);
-- Milestone timeline and overdue milestones across the portfolio.
CREATE INDEX project_tasks_kind_end ON project_tasks(kind, planned_end, project_id);
CREATE TABLE project_task_deps (
    task_id        INTEGER NOT NULL REFERENCES project_tasks(id),
    depends_on_id  INTEGER NOT NULL REFERENCES project_tasks(id),
    PRIMARY KEY (task_id, depends_on_id),
    CHECK (task_id <> depends_on_id)
);
CREATE INDEX project_task_deps_on ON project_task_deps(depends_on_id);

-- 2.4.1-b resource plan (money side); baseline_amount is the amount in the baseline in force.
CREATE TABLE project_budget_lines (
    id                     INTEGER PRIMARY KEY,
    project_id             INTEGER NOT NULL REFERENCES projects(id),
    category               TEXT NOT NULL CHECK (category IN ('labour', 'material', 'equipment', 'services', 'travel', 'other')),
    description            TEXT NOT NULL DEFAULT '',
    amount_minor           INTEGER NOT NULL CHECK (amount_minor >= 0),
    baseline_amount_minor  INTEGER,
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    created_by             INTEGER,
    updated_at             TEXT NOT NULL,
    updated_by             INTEGER
);
CREATE INDEX project_budget_lines_p ON project_budget_lines(project_id, id);

-- 2.4.1-b quality plan: acceptance criteria.
CREATE TABLE project_quality_criteria (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    position    INTEGER NOT NULL DEFAULT 0,
    criterion   TEXT NOT NULL,
    method      TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);
CREATE INDEX project_quality_criteria_p ON project_quality_criteria(project_id, position);

-- 2.4.1-b risk plan, recorded on the project until the risk register (5) exists;
-- risk_id will link to it.
CREATE TABLE project_risks (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    likelihood   INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact       INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    response     TEXT NOT NULL DEFAULT '',
    owner_id     INTEGER NOT NULL REFERENCES users(id),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    risk_id      INTEGER,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   INTEGER,
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER
);
CREATE INDEX project_risks_p ON project_risks(project_id, id);

-- 2.4.3-c change requests: the current plan (moved dates, changed budget lines)
-- proposed as the new baseline; approved like the plan itself.
CREATE TABLE project_change_requests (
    id                     INTEGER PRIMARY KEY,
    project_id             INTEGER NOT NULL REFERENCES projects(id),
    seq                    INTEGER NOT NULL,
    reason                 TEXT NOT NULL,
    impact                 TEXT NOT NULL DEFAULT '',
    proposed_end           TEXT NOT NULL,
    proposed_budget_minor  INTEGER NOT NULL,
    status                 TEXT NOT NULL DEFAULT 'in_review' CHECK (status IN ('in_review', 'approved', 'rejected', 'withdrawn')),
    decided_at             TEXT,
    decided_by             INTEGER REFERENCES users(id),
    comment                TEXT NOT NULL DEFAULT '',
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    created_by             INTEGER,
    updated_at             TEXT NOT NULL,
    updated_by             INTEGER,
    UNIQUE (project_id, seq)
);
CREATE INDEX project_change_requests_status ON project_change_requests(status, project_id);

-- 2.4.1-c: the steps of a plan or change-request approval: one 'review' per
-- configured department (in parallel), then the leader's 'approval'.
CREATE TABLE project_approvals (
    id                 INTEGER PRIMARY KEY,
    project_id         INTEGER NOT NULL REFERENCES projects(id),
    change_request_id  INTEGER REFERENCES project_change_requests(id),
    round              INTEGER NOT NULL,
    step               TEXT NOT NULL CHECK (step IN ('review', 'approval')),
    department_id      INTEGER REFERENCES departments(id),
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('waiting', 'pending', 'approved', 'rejected', 'withdrawn')),
    decided_by         INTEGER REFERENCES users(id),
    comment            TEXT NOT NULL DEFAULT '',
    decided_at         TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         INTEGER,
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER
);
CREATE INDEX project_approvals_p ON project_approvals(project_id, round, id);
CREATE INDEX project_approvals_pending ON project_approvals(status, step, department_id);

-- Versioned baselines (2.4.1-c, 2.4.3-c): dates and budget as approved.
CREATE TABLE project_baselines (
    id                 INTEGER PRIMARY KEY,
    project_id         INTEGER NOT NULL REFERENCES projects(id),
    version            INTEGER NOT NULL,
    change_request_id  INTEGER REFERENCES project_change_requests(id),
    start_date         TEXT NOT NULL,
    end_date           TEXT NOT NULL,
    budget_minor       INTEGER NOT NULL,
    approved_at        TEXT NOT NULL,
    approved_by        INTEGER REFERENCES users(id),
    UNIQUE (project_id, version)
);
CREATE TABLE project_baseline_tasks (
    baseline_id    INTEGER NOT NULL REFERENCES project_baselines(id),
    task_id        INTEGER NOT NULL REFERENCES project_tasks(id),
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    planned_start  TEXT NOT NULL,
    planned_end    TEXT NOT NULL,
    weight         INTEGER NOT NULL,
    PRIMARY KEY (baseline_id, task_id)
);
CREATE TABLE project_baseline_budget (
    baseline_id     INTEGER NOT NULL REFERENCES project_baselines(id),
    budget_line_id  INTEGER NOT NULL REFERENCES project_budget_lines(id),
    category        TEXT NOT NULL,
    description     TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL,
    PRIMARY KEY (baseline_id, budget_line_id)
);

-- ===== 2.4.2 execution =====
-- Issue log.
CREATE TABLE project_issues (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    owner_id     INTEGER NOT NULL REFERENCES users(id),
    due_date     TEXT,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution   TEXT NOT NULL DEFAULT '',
    resolved_at  TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   INTEGER,
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER
);
CREATE INDEX project_issues_p ON project_issues(project_id, status, id);

-- 2.4.2-b: a slipped task or milestone's delay record (cause, catch-up measures,
-- new forecast), against the baseline version in force; reported to the leader.
CREATE TABLE project_delays (
    id                INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL REFERENCES projects(id),
    task_id           INTEGER NOT NULL REFERENCES project_tasks(id),
    baseline_version  INTEGER NOT NULL,
    baseline_end      TEXT NOT NULL,
    forecast_end      TEXT NOT NULL,
    cause             TEXT NOT NULL,
    measures          TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at         TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        INTEGER,
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER
);
CREATE INDEX project_delays_p ON project_delays(project_id, status, id);
CREATE INDEX project_delays_task ON project_delays(task_id, baseline_version);

-- 2.4.2-c quality checks against the plan's criteria; a failure gets a rework task.
CREATE TABLE project_quality_checks (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects(id),
    criterion_id    INTEGER NOT NULL REFERENCES project_quality_criteria(id),
    checked_on      TEXT NOT NULL,
    result          TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
    findings        TEXT NOT NULL DEFAULT '',
    rework_task_id  INTEGER REFERENCES project_tasks(id),
    -- A failure stays open until its rework is done or a later check passes.
    resolved        INTEGER NOT NULL DEFAULT 0,
    checked_by      INTEGER REFERENCES users(id),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    created_by      INTEGER,
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER
);
CREATE INDEX project_quality_checks_p ON project_quality_checks(project_id, checked_on, id);

-- 2.4.2-d actual costs against budget lines.
CREATE TABLE project_costs (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects(id),
    budget_line_id  INTEGER NOT NULL REFERENCES project_budget_lines(id),
    incurred_on     TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    description     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      INTEGER
);
CREATE INDEX project_costs_p ON project_costs(project_id, incurred_on, id);
CREATE INDEX project_costs_line ON project_costs(budget_line_id);

-- ===== 2.4.3 monitoring =====
-- 2.4.3-d: every change of computed health (the early warning's evidence).
CREATE TABLE project_health_changes (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    from_health  TEXT NOT NULL,
    to_health    TEXT NOT NULL,
    spi_milli    INTEGER,
    cpi_milli    INTEGER,
    changed_at   TEXT NOT NULL
);
CREATE INDEX project_health_changes_p ON project_health_changes(project_id, id);

-- 2.4.3-a: the PMO's periodic health evaluations.
CREATE TABLE project_evaluations (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    evaluated_on  TEXT NOT NULL,
    schedule      TEXT NOT NULL CHECK (schedule IN ('green', 'amber', 'red')),
    quality       TEXT NOT NULL CHECK (quality IN ('green', 'amber', 'red')),
    cost          TEXT NOT NULL CHECK (cost IN ('green', 'amber', 'red')),
    risk          TEXT NOT NULL CHECK (risk IN ('green', 'amber', 'red')),
    overall       TEXT NOT NULL CHECK (overall IN ('green', 'amber', 'red')),
    comments      TEXT NOT NULL DEFAULT '',
    evaluator_id  INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX project_evaluations_p ON project_evaluations(project_id, evaluated_on);

-- ===== 2.4.4 acceptance =====
CREATE TABLE project_acceptances (
    id                  INTEGER PRIMARY KEY,
    project_id          INTEGER NOT NULL REFERENCES projects(id),
    round               INTEGER NOT NULL,
    summary             TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'passed', 'returned')),
    applied_at          TEXT NOT NULL,
    applied_by          INTEGER REFERENCES users(id),
    -- 2.4.4-b checklist, filled by the requesting department.
    objectives_met      INTEGER NOT NULL DEFAULT 0,
    objectives_note     TEXT NOT NULL DEFAULT '',
    quality_ok          INTEGER NOT NULL DEFAULT 0,
    quality_note        TEXT NOT NULL DEFAULT '',
    documents_complete  INTEGER NOT NULL DEFAULT 0,
    documents_note      TEXT NOT NULL DEFAULT '',
    return_reason       TEXT NOT NULL DEFAULT '',
    reviewed_at         TEXT,
    reviewed_by         INTEGER REFERENCES users(id),
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          INTEGER,
    updated_at          TEXT NOT NULL,
    updated_by          INTEGER,
    UNIQUE (project_id, round)
);
CREATE INDEX project_acceptances_status ON project_acceptances(status, project_id);

-- 2.4.4-a attachments, stored in the database (one transaction with the record;
-- size-limited and type-checked on upload, served only to those who may see the project).
CREATE TABLE project_files (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES projects(id),
    acceptance_id  INTEGER REFERENCES project_acceptances(id),
    kind           TEXT NOT NULL CHECK (kind IN ('deliverable', 'test_report', 'user_feedback')),
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    content        BLOB NOT NULL,
    uploaded_at    TEXT NOT NULL,
    uploaded_by    INTEGER REFERENCES users(id)
);
CREATE INDEX project_files_p ON project_files(project_id, acceptance_id, kind);

-- 2.4.4-c the acceptance report, frozen when acceptance passes.
CREATE TABLE project_acceptance_reports (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL UNIQUE REFERENCES projects(id),
    acceptance_id  INTEGER NOT NULL REFERENCES project_acceptances(id),
    number         TEXT NOT NULL UNIQUE,
    issued_at      TEXT NOT NULL,
    issued_by      INTEGER REFERENCES users(id),
    snapshot_json  TEXT NOT NULL
);

-- 2.4.4-d retrospective; search_text is the lower-cased text for searching.
CREATE TABLE project_retrospectives (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL UNIQUE REFERENCES projects(id),
    went_well    TEXT NOT NULL DEFAULT '',
    went_badly   TEXT NOT NULL DEFAULT '',
    lessons      TEXT NOT NULL DEFAULT '',
    search_text  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   INTEGER,
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER
);
