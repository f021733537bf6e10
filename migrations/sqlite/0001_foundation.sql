-- Foundation: organisation, people, sharing, audit trail, inbox, sign-in throttling,
-- code-of-conduct acknowledgements. Times are UTC (TEXT written by the app).
CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  INTEGER,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER
);

CREATE TABLE positions (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    active        INTEGER NOT NULL DEFAULT 1,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    INTEGER,
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    department_id INTEGER NOT NULL REFERENCES departments(id),
    position_id   INTEGER REFERENCES positions(id),
    supervisor_id INTEGER REFERENCES users(id),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'executive', 'manager', 'staff')),
    active        INTEGER NOT NULL DEFAULT 1,
    language      TEXT NOT NULL DEFAULT 'zh',
    time_zone     TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    password_hash TEXT NOT NULL,
    auth_epoch    INTEGER NOT NULL DEFAULT 1,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    INTEGER,
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER
);
CREATE INDEX users_department ON users(department_id, id);
CREATE INDEX users_name ON users(display_name, id);
CREATE INDEX users_role ON users(role, id);

-- Records a person shares with another (staff see their own and shared records).
CREATE TABLE record_shares (
    entity     TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    created_by INTEGER,
    PRIMARY KEY (entity, record_id, user_id)
);
CREATE INDEX record_shares_user ON record_shares(user_id, entity);

-- Append-only, hash-chained audit trail.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_id   INTEGER,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_record ON audit_log(entity, record_id, id);
CREATE INDEX audit_actor ON audit_log(actor_id, id);
CREATE INDEX audit_action ON audit_log(action, id);
CREATE INDEX audit_at ON audit_log(at, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    at          TEXT NOT NULL,
    success     INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_addr ON login_attempts(client_addr, at);

-- "My work": notifications and tasks addressed to a person or a department.
CREATE TABLE inbox_items (
    id                      INTEGER PRIMARY KEY,
    recipient_user_id       INTEGER REFERENCES users(id),
    recipient_department_id INTEGER REFERENCES departments(id),
    kind                    TEXT NOT NULL CHECK (kind IN ('task', 'notification')),
    title_key               TEXT NOT NULL,
    params_json             TEXT NOT NULL DEFAULT '[]',
    link                    TEXT NOT NULL DEFAULT '',
    due_at                  TEXT,
    read_at                 TEXT,
    done_at                 TEXT,
    done_by                 INTEGER REFERENCES users(id),
    source_entity           TEXT NOT NULL DEFAULT '',
    source_id               INTEGER,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    created_by              INTEGER,
    updated_at              TEXT NOT NULL,
    updated_by              INTEGER,
    CHECK (recipient_user_id IS NOT NULL OR recipient_department_id IS NOT NULL)
);
CREATE INDEX inbox_user ON inbox_items(recipient_user_id, done_at, id);
CREATE INDEX inbox_department ON inbox_items(recipient_department_id, done_at, id);
CREATE INDEX inbox_source ON inbox_items(source_entity, source_id);

-- 3.1-a: annual code-of-conduct acknowledgement.
CREATE TABLE conduct_acknowledgements (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    year            INTEGER NOT NULL,
    acknowledged_at TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    created_by      INTEGER,
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER,
    UNIQUE (user_id, year)
);
