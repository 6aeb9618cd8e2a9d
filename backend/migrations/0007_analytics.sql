-- Analytics rollups (issue 7 §5). Everything here is derived from `events` and
-- `moderation_actions` and can be dropped and rebuilt from them (backend::analytics::rebuild);
-- `analytics_state` says how far the rollups have read. Days are UTC day numbers like
-- `events.day`; times are Unix milliseconds.

-- One row per user per day they did anything (any event with an actor). DAU/WAU/MAU are
-- distinct counts over 1/7/30 of these days.
CREATE TABLE analytics_user_days (
    day     INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (day, user_id)
) WITHOUT ROWID;

-- The per-day numbers the charts read: a 90-day chart is 90 rows.
CREATE TABLE analytics_daily (
    day       INTEGER PRIMARY KEY,
    events    INTEGER NOT NULL DEFAULT 0,
    dau       INTEGER NOT NULL DEFAULT 0,
    wau       INTEGER NOT NULL DEFAULT 0,
    mau       INTEGER NOT NULL DEFAULT 0,
    new_users INTEGER NOT NULL DEFAULT 0,
    posts     INTEGER NOT NULL DEFAULT 0,
    comments  INTEGER NOT NULL DEFAULT 0,
    messages  INTEGER NOT NULL DEFAULT 0,
    reactions INTEGER NOT NULL DEFAULT 0,
    flags     INTEGER NOT NULL DEFAULT 0,
    backlog   INTEGER NOT NULL DEFAULT 0      -- flagged cases still open at the end of the day
);

-- Flags per day by community and by the flagged content's author, for the top-N lists.
CREATE TABLE analytics_flag_counts (
    day       INTEGER NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension IN ('community', 'user')),
    key       TEXT NOT NULL,
    flags     INTEGER NOT NULL,
    PRIMARY KEY (day, dimension, key)
) WITHOUT ROWID;

-- A flagged object (`post:<id>`…): open from its first flag until the first resolution after
-- it (a console action on it, or an unflag / delete / approve / decline event).
CREATE TABLE analytics_cases (
    case_key      TEXT PRIMARY KEY,
    object_kind   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    first_flag_at INTEGER NOT NULL,
    resolved_at   INTEGER
);
CREATE INDEX analytics_cases_by_flag ON analytics_cases (first_flag_at);
CREATE INDEX analytics_cases_by_resolution ON analytics_cases (resolved_at);

CREATE TABLE analytics_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id   INTEGER NOT NULL DEFAULT 0,   -- events.id read so far
    last_action_id  INTEGER NOT NULL DEFAULT 0,   -- moderation_actions.id read so far
    through_day     INTEGER,                      -- the last day with DAU/WAU/MAU/backlog computed
    refreshed_at    INTEGER                       -- Unix ms of the last refresh
);
INSERT INTO analytics_state (id) VALUES (1);
