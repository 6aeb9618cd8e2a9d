-- Automation rules, their runs, the cases they open, and the targets events are forwarded to
-- (issue 7 §3 §4). Times are Unix milliseconds (UTC), like `events`.

-- "When <event type> matches <conditions> then <action>". `conditions` and `action` are JSON
-- (types::rules). A rule can be enabled only after a dry run of its current definition;
-- `cursor` is the last `events.id` the worker has looked at for this rule.
CREATE TABLE event_rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    event_name  TEXT NOT NULL,                 -- exact name, or a prefix ending in `*`
    conditions  TEXT NOT NULL,                 -- JSON array of conditions, all must hold
    action      TEXT NOT NULL,                 -- JSON action
    enabled     INTEGER NOT NULL DEFAULT 0,
    cursor      INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    dry_run_at  INTEGER,                       -- when the current definition was last dry-run
    deleted_at  INTEGER
);

-- Exactly once per rule per event: a run is claimed by inserting its row before acting.
CREATE TABLE event_rule_runs (
    rule_id     INTEGER NOT NULL REFERENCES event_rules (id),
    event_id    INTEGER NOT NULL REFERENCES events (id),
    state       TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    detail      TEXT NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (rule_id, event_id)
);
CREATE INDEX event_rule_runs_recent ON event_rule_runs (rule_id, started_at);

-- Cases opened by rules: a console-side list the queue can read (backend::rules::cases).
CREATE TABLE rule_cases (
    id          INTEGER PRIMARY KEY,
    rule_id     INTEGER NOT NULL REFERENCES event_rules (id),
    event_id    INTEGER NOT NULL REFERENCES events (id),
    kind        TEXT NOT NULL,                 -- post | comment | message | user
    object_id   TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
);
CREATE INDEX rule_cases_open ON rule_cases (status, opened_at);

-- Where selected events can be forwarded, each with its own signing secret. The secret is
-- written here and read only to sign; nothing sends it back to a browser.
CREATE TABLE forward_targets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
