-- The platform side of the network: keys, sessions, activity, user flags, blocklist and
-- allowlist rules, network settings and moderation settings.

-- The network's keys: `x-api-key` registers sessions, `x-server-key` issues auth tokens.
CREATE TABLE network_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    api_key     TEXT NOT NULL,
    server_key  TEXT NOT NULL
);

-- Access tokens issued by `POST /api/v4/sessions`. A token is `<token_id>.<secret>`: the id
-- finds the row, the secret is compared in constant time.
CREATE TABLE sessions (
    token_id          TEXT PRIMARY KEY,
    secret            TEXT NOT NULL,
    refresh_token     TEXT NOT NULL,
    user_internal_id  TEXT NOT NULL,
    device_id         TEXT NOT NULL,
    device_kind       TEXT,
    device_model      TEXT,
    sdk_version       TEXT,
    issued_at         TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    revoked_at        TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_internal_id, revoked_at);

-- Auth tokens from `POST /api/v4/authentication/token`, single use, short-lived.
CREATE TABLE auth_tokens (
    token       TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,              -- public id the token is bound to
    expires_at  TEXT NOT NULL
);

-- When each user was last seen (sessions, authenticated calls; seeded history).
CREATE TABLE user_activity (
    user_internal_id  TEXT PRIMARY KEY,
    last_active_at    TEXT NOT NULL
);

-- Who flagged whom (`POST /api/v4/me/flags/{userId}`); `users.flag_count` counts these plus
-- seeded flags.
CREATE TABLE user_flags (
    flagger_internal_id  TEXT NOT NULL,
    user_internal_id     TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    PRIMARY KEY (flagger_internal_id, user_internal_id)
);

-- Blocklist (`block`) and allowlist (`allow`) rules.
CREATE TABLE list_rules (
    rule_id              TEXT PRIMARY KEY,
    list                 TEXT NOT NULL CHECK (list IN ('block', 'allow')),
    regex                TEXT NOT NULL,
    is_match_exact_word  INTEGER NOT NULL DEFAULT 0,
    is_enabled           INTEGER NOT NULL DEFAULT 1,
    is_deleted           INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX list_rules_by_created ON list_rules (list, is_deleted, created_at);

-- One JSON document per `/api/v3/network-settings/<section>`, stored in the answer's shape.
CREATE TABLE network_settings (
    section  TEXT PRIMARY KEY,
    value    TEXT NOT NULL
);

-- The pre-hook's signing key lives apart from its section so a GET can never leak it.
CREATE TABLE prehook_secret (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret_key  TEXT NOT NULL
);

-- `GET|PUT /api/v2/moderation-settings`, stored in the answer's shape.
CREATE TABLE moderation_settings (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  TEXT NOT NULL
);
