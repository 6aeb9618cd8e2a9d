-- The activity history before the end of seeding (`seed::history`): how many days and when
-- it ends, and its event log, which the stand-in replays to a console as signed webhooks.
ALTER TABLE seed_info ADD COLUMN history_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE seed_info ADD COLUMN history_end TEXT;

CREATE TABLE history_events (
    seq        INTEGER PRIMARY KEY,   -- time order
    at         TEXT NOT NULL,         -- when it happened (ISO-8601 UTC, milliseconds)
    name       TEXT NOT NULL,         -- webhook event name, e.g. v3.post.didCreate
    object_id  TEXT NOT NULL,         -- the post, comment, user or community
    actor_id   TEXT                   -- public id of who did it (reactor, flagger, joiner…)
);
