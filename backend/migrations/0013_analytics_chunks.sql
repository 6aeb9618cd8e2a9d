-- Analytics refreshes fold new events in short write transactions (a few thousand events each)
-- and compute DAU/WAU/MAU and the backlog outside them, so a big refresh or a rebuild never holds
-- SQLite's one write lock long enough to delay a webhook acknowledgement. What is not yet
-- recomputed, and a rebuild in progress, are remembered here so a restart carries on.
ALTER TABLE analytics_state ADD COLUMN stale_from INTEGER;           -- earliest day whose windows/backlog are stale
ALTER TABLE analytics_state ADD COLUMN rebuild_requested_at INTEGER; -- Unix ms an admin asked for a rebuild
ALTER TABLE analytics_state ADD COLUMN rebuild_target INTEGER;       -- while rebuilding: the events.id it reads up to
