-- The console's own data. Sessions live in `tower_sessions`, created by the session store.

-- Append-only audit trail: the code has no UPDATE or DELETE path for it.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,                 -- ISO-8601 UTC
    actor_id    TEXT NOT NULL,                 -- console account, or the name tried at a failed sign-in
    actor_role  TEXT,                          -- role at the time, when known
    action      TEXT NOT NULL,                 -- stable snake_case code, e.g. sign_in
    target      TEXT,                          -- what was acted on
    outcome     TEXT NOT NULL,                 -- success | denied | failed
    request_id  TEXT,
    details     TEXT NOT NULL DEFAULT '{}'     -- JSON
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- /readyz writes here to prove the database accepts writes.
CREATE TABLE readiness_probe (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    at  TEXT NOT NULL
);
