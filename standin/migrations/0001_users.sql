-- The stand-in's own model of a Social+ network: users, their avatar files and roles.
-- Close to the upstream objects so handlers map rows to wire types one to one.

CREATE TABLE users (
    internal_id          TEXT PRIMARY KEY,          -- 24 hex chars, like the upstream's ObjectIds
    user_id              TEXT NOT NULL UNIQUE,      -- the public id the network chose
    display_name         TEXT NOT NULL,
    display_name_folded  TEXT NOT NULL,             -- lower-cased (Unicode) for search and sort
    description          TEXT NOT NULL DEFAULT '',
    avatar_file_id       TEXT,
    avatar_custom_url    TEXT,
    roles                TEXT NOT NULL DEFAULT '[]', -- JSON array of role ids
    metadata             TEXT NOT NULL DEFAULT '{}', -- JSON object
    flag_count           INTEGER NOT NULL DEFAULT 0,
    is_global_ban        INTEGER NOT NULL DEFAULT 0,
    is_brand             INTEGER NOT NULL DEFAULT 0,
    is_deleted           INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,             -- ISO-8601 UTC with milliseconds; sorts as time
    updated_at           TEXT NOT NULL
);

CREATE INDEX users_by_name    ON users (is_deleted, display_name_folded, user_id);
CREATE INDEX users_by_created ON users (is_deleted, created_at, user_id);
CREATE INDEX users_flagged    ON users (is_deleted, flag_count) WHERE flag_count > 0;

CREATE TABLE files (
    file_id     TEXT PRIMARY KEY,
    file_url    TEXT NOT NULL,
    type        TEXT NOT NULL,                      -- image | file | video
    name        TEXT NOT NULL,
    extension   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mime_type   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE roles (
    role_id       TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    permissions   TEXT NOT NULL DEFAULT '[]',       -- JSON array of PermissionEnum values
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- What the data was generated from, so a different seed request regenerates it.
CREATE TABLE seed_info (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    seed   INTEGER NOT NULL,
    users  INTEGER NOT NULL
);
