-- The events the console knows about (issue 7). Social+ has no analytics API and drops webhook
-- deliveries that take over 1.5 s, so the console keeps its own durable copy:
--   webhook_deliveries: the inbox. A delivery is written here, verified and raw, *before* the
--                       console answers 200; a worker turns it into `events` afterwards.
--   events:             one row per thing that happened, whatever told us (a webhook, the
--                       periodic backfill from the REST API, the last-activity report). The
--                       analytics rollups, the live stream and the automation rules read this.
-- Times are Unix milliseconds (UTC); `day` is the UTC day number (occurred_at / 86 400 000), the
-- unit of every daily rollup.

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    received_at     INTEGER NOT NULL,
    body            BLOB NOT NULL,                -- the raw bytes exactly as signed
    body_sha256     TEXT NOT NULL UNIQUE,         -- dedupe: an identical redelivery is stored once
    duplicates      INTEGER NOT NULL DEFAULT 0,   -- identical redeliveries answered 200 and dropped
    secret_label    TEXT NOT NULL,                -- which configured secret verified it (rotation)
    signature_kind  TEXT NOT NULL CHECK (signature_kind IN ('base64', 'hex')),
    event_name      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'processed', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,                      -- a worker holds it until then
    processed_at    INTEGER,
    last_error      TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,          -- increasing: the live stream's cursor
    name            TEXT NOT NULL,                -- official event name, e.g. v3.post.didCreate
    occurred_at     INTEGER NOT NULL,             -- from data (createdAt/updatedAt), else receipt
    day             INTEGER NOT NULL,             -- occurred_at / 86400000
    source          TEXT NOT NULL CHECK (source IN ('webhook', 'backfill', 'report')),
    delivery_id     INTEGER REFERENCES webhook_deliveries (id),
    dedupe_key      TEXT NOT NULL UNIQUE,         -- the same happening from two sources is one row
    actor_user_id   TEXT,                         -- who did it: creator, flagger, reactor, joiner
    subject_user_id TEXT,                         -- who it was done to (user.*, bans), if anyone
    community_id    TEXT,
    channel_id      TEXT,
    object_kind     TEXT,                         -- post | comment | message | user | community | channel | …
    object_id       TEXT,
    data            TEXT NOT NULL                 -- the event's `data` JSON (or the backfilled object)
);
CREATE INDEX events_by_day ON events (day, name);
CREATE INDEX events_by_name ON events (name, id);
CREATE INDEX events_by_actor ON events (actor_user_id, day);
CREATE INDEX events_by_community ON events (community_id, id);
CREATE INDEX events_by_object ON events (object_kind, object_id);
