-- Files are served (`GET /api/v3/files/{fileId}/download`). Their `file_url` is stored as
-- that path; the origin the stand-in listens on is written here at every start and put in
-- front when a file is side-loaded, so URLs stay right when the port changes.
CREATE TABLE served_origin (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    base_url  TEXT NOT NULL
);

-- A download looks up the post of a file (is its picture sensitive?).
CREATE INDEX posts_by_file ON posts (file_id) WHERE file_id IS NOT NULL;
