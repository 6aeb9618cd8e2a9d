-- CSV files uploaded to /imports without WASM (a multipart form post). The page then shows the
-- file's dry run and starts the import from the stored copy, so the file is not posted twice.
-- Only the person who uploaded a file may use it; files older than a day are dropped when
-- the next one is stored.
CREATE TABLE import_uploads (
    id          TEXT PRIMARY KEY,          -- random, hex
    created_by  TEXT NOT NULL,             -- console account id
    file_name   TEXT NOT NULL,
    csv         TEXT NOT NULL,
    created_at  INTEGER NOT NULL           -- Unix milliseconds
);
CREATE INDEX import_uploads_by_time ON import_uploads (created_at);
