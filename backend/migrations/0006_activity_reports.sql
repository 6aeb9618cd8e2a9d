-- The user last-activity report (GET /api/v1/reports/user-last-activity), fetched on demand
-- or on a schedule and kept with its history (issue 7 §6). The CSV is stored exactly as the
-- console re-wrote it from the parsed rows, so a download is what was imported.

CREATE TABLE activity_reports (
    id           INTEGER PRIMARY KEY,
    fetched_at   INTEGER NOT NULL,             -- Unix milliseconds
    requested_by TEXT NOT NULL,                -- a console user id, or 'schedule'
    row_count    INTEGER NOT NULL,
    active_rows  INTEGER NOT NULL,             -- rows with a last-activity time
    imported     INTEGER NOT NULL,             -- new `events` rows (source 'report') it added
    csv          BLOB NOT NULL
);
CREATE INDEX activity_reports_by_time ON activity_reports (fetched_at);
