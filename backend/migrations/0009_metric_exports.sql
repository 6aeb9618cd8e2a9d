-- Scheduled CSV exports of chosen analytics metrics (issue 7 §6), kept with their history.
CREATE TABLE metric_exports (
    id            INTEGER PRIMARY KEY,
    created_at    INTEGER NOT NULL,            -- Unix ms
    requested_by  TEXT NOT NULL,               -- a console account, or `schedule`
    charts        TEXT NOT NULL,               -- JSON array of chart ids
    from_day      TEXT NOT NULL,               -- YYYY-MM-DD, first day included
    to_day        TEXT NOT NULL,               -- YYYY-MM-DD, last day included
    row_count     INTEGER NOT NULL,
    csv           BLOB NOT NULL
);
CREATE INDEX metric_exports_by_time ON metric_exports (created_at);
