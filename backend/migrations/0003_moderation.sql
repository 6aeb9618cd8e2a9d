-- Moderation: what moderators did (action records), timed bans the scheduler lifts, warnings,
-- and teamwork (claims, notes, escalations) and appeals. Times are RFC 3339 text for people
-- and unix seconds where the code compares them.

-- One row per action request (one or more actions on one target), with its step report.
-- The audit trail has an entry per step; this table is what the Reviewed tab and appeals read.
CREATE TABLE moderation_actions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    at_unix         INTEGER NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_role      TEXT,
    target          TEXT NOT NULL,            -- post:<id> | comment:<id> | message:<id> | user:<id>
    subject_user_id TEXT,                     -- the user concerned: the target user or the content's author
    actions         TEXT NOT NULL,            -- comma-separated action codes, in order
    reason_code     TEXT NOT NULL,
    reason_text     TEXT NOT NULL,
    outcome         TEXT NOT NULL,            -- running | applied | partial | failed
    report          TEXT NOT NULL DEFAULT '[]' -- JSON steps
);
CREATE INDEX moderation_actions_by_time ON moderation_actions (at_unix);
CREATE INDEX moderation_actions_by_actor ON moderation_actions (actor_id, at_unix);
CREATE INDEX moderation_actions_by_subject ON moderation_actions (subject_user_id, at_unix);
CREATE INDEX moderation_actions_by_target ON moderation_actions (target, at_unix);

-- Bans with an end. The scheduler lifts `pending` rows whose `until_unix` has passed.
CREATE TABLE moderation_timed_bans (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           TEXT NOT NULL,
    scope             TEXT NOT NULL,          -- global | community:<id>
    until_unix        INTEGER NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending', -- pending | lifted | superseded | failed
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    action_id         INTEGER REFERENCES moderation_actions (id),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_unix INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT,
    lifted_at         TEXT
);
CREATE INDEX moderation_timed_bans_due ON moderation_timed_bans (status, until_unix);
CREATE INDEX moderation_timed_bans_by_user ON moderation_timed_bans (user_id, scope, status);

CREATE TABLE moderation_warnings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     TEXT NOT NULL,
    template    TEXT NOT NULL,
    message     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    action_id   INTEGER REFERENCES moderation_actions (id)
);
CREATE INDEX moderation_warnings_by_user ON moderation_warnings (user_id, id);

-- Who is working on a case (`post:<id>`, `user:<id>`…). One claim per case.
CREATE TABLE moderation_claims (
    case_key     TEXT PRIMARY KEY,
    claimed_by   TEXT NOT NULL,
    claimed_name TEXT NOT NULL,
    claimed_at   TEXT NOT NULL
);

-- Internal notes on a case (`post:<id>`…) or a user (`user:<id>`). Never shown to members.
CREATE TABLE moderation_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject     TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX moderation_notes_by_subject ON moderation_notes (subject, id);

-- Cases a moderator handed to a senior moderator.
CREATE TABLE moderation_escalations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_key      TEXT NOT NULL,
    escalated_by  TEXT NOT NULL,
    note          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open', -- open | decided
    decided_by    TEXT,
    decided_at    TEXT,
    decision      TEXT
);
CREATE INDEX moderation_escalations_open ON moderation_escalations (status, id);

-- Appeals of banned or warned users against an action. Decided by someone other than
-- the moderator who acted (`acted_by`).
CREATE TABLE moderation_appeals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL,
    action_id     INTEGER REFERENCES moderation_actions (id),
    acted_by      TEXT NOT NULL,
    source        TEXT NOT NULL,               -- staff | endpoint
    entered_by    TEXT NOT NULL,
    external_id   TEXT UNIQUE,                 -- the sender's id (endpoint), for idempotent delivery
    message       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open', -- open | accepted | rejected
    decided_by    TEXT,
    decided_at    TEXT,
    decision_note TEXT
);
CREATE INDEX moderation_appeals_by_status ON moderation_appeals (status, id);
