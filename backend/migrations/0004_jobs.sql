-- Durable background jobs (bulk actions, CSV imports). A job waits until `not_before` (its
-- undo window), then a runner claims it with a lease and works through its items in order,
-- recording each item's outcome, so a restarted console resumes at the first unfinished item
-- and a second instance cannot run the same job while the lease holds.
-- Times are Unix milliseconds (UTC) so due/lease comparisons are plain integer comparisons.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,                -- registered handler, e.g. user_import
    created_by    TEXT NOT NULL,                -- console account
    permission    TEXT NOT NULL,                -- what the creator needed; reading/cancelling needs it too
    created_at    INTEGER NOT NULL,
    not_before    INTEGER NOT NULL,
    state         TEXT NOT NULL DEFAULT 'waiting'
                  CHECK (state IN ('waiting', 'running', 'done', 'cancelled', 'failed')),
    payload       TEXT NOT NULL DEFAULT '{}',   -- JSON for the handler (e.g. the import's options)
    lease_owner   TEXT,                         -- runner instance holding it
    lease_until   INTEGER,
    started_at    INTEGER,
    finished_at   INTEGER,
    error         TEXT,
    cancelled_by  TEXT,
    budget_json   TEXT                          -- request budget use while it ran
);
CREATE INDEX jobs_due ON jobs (state, not_before);
CREATE INDEX jobs_by_creator ON jobs (created_by, created_at);

CREATE TABLE job_items (
    job_id       TEXT NOT NULL REFERENCES jobs (id),
    seq          INTEGER NOT NULL,              -- order of execution, from 0
    key          TEXT NOT NULL,                 -- what it is about: a user id, "row 12"
    input        TEXT NOT NULL DEFAULT '{}',    -- JSON for the handler
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'running', 'done', 'failed', 'skipped')),
    message      TEXT,
    result       TEXT,                          -- JSON from the handler
    finished_at  INTEGER,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_items_by_status ON job_items (job_id, status, seq);
