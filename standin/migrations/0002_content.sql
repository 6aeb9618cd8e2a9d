-- Content of the stand-in network: communities and their members, feeds, posts (with
-- children and review state), comments, message feeds and messages, stories, flags and
-- the admin moderation feed. IDs are 24 hex chars like upstream ObjectIds; a content's
-- public and internal ids are the same value here.

ALTER TABLE seed_info ADD COLUMN posts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE community_categories (
    category_id     TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    avatar_file_id  TEXT,
    metadata        TEXT NOT NULL DEFAULT '{}',
    is_deleted      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE communities (
    community_id          TEXT PRIMARY KEY,
    channel_id            TEXT NOT NULL,
    creator_id            TEXT NOT NULL,               -- public user id
    display_name          TEXT NOT NULL,
    display_name_folded   TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    avatar_file_id        TEXT,
    is_official           INTEGER NOT NULL DEFAULT 0,
    is_public             INTEGER NOT NULL DEFAULT 1,
    only_admin_can_post   INTEGER NOT NULL DEFAULT 0,
    need_approval         INTEGER NOT NULL DEFAULT 0,  -- needApprovalOnPostCreation
    allow_comment_in_story INTEGER NOT NULL DEFAULT 1,
    tags                  TEXT NOT NULL DEFAULT '[]',
    metadata              TEXT NOT NULL DEFAULT '{}',
    category_ids          TEXT NOT NULL DEFAULT '[]',
    posts_count           INTEGER NOT NULL DEFAULT 0,
    members_count         INTEGER NOT NULL DEFAULT 0,
    is_deleted            INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX communities_by_created ON communities (created_at, community_id);
CREATE INDEX communities_by_name    ON communities (display_name_folded, community_id);

CREATE TABLE community_members (
    community_id   TEXT NOT NULL,
    user_id        TEXT NOT NULL,                      -- public user id
    membership     TEXT NOT NULL,                      -- member | banned | none
    roles          TEXT NOT NULL DEFAULT '[]',
    last_activity  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_by_created ON community_members (community_id, created_at, user_id);
CREATE INDEX community_members_by_user    ON community_members (user_id);

CREATE TABLE posts (
    post_id               TEXT PRIMARY KEY,
    parent_post_id        TEXT,
    posted_user_id        TEXT NOT NULL,               -- public user id
    target_id             TEXT NOT NULL,               -- community id or public user id
    target_type           TEXT NOT NULL,               -- community | user
    feed_type             TEXT NOT NULL,               -- published | reviewing | declined
    data_type             TEXT NOT NULL,               -- text | image | file | video
    text                  TEXT NOT NULL DEFAULT '',
    file_id               TEXT,
    metadata              TEXT NOT NULL DEFAULT '{}',
    tags                  TEXT NOT NULL DEFAULT '[]',
    flag_count            INTEGER NOT NULL DEFAULT 0,
    reactions_count       INTEGER NOT NULL DEFAULT 0,
    comments_count        INTEGER NOT NULL DEFAULT 0,
    has_flagged_comment   INTEGER NOT NULL DEFAULT 0,
    has_flagged_children  INTEGER NOT NULL DEFAULT 0,
    is_deleted            INTEGER NOT NULL DEFAULT 0,
    edited_at             TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX posts_by_target_created ON posts (target_id, created_at, post_id);
CREATE INDEX posts_by_target_updated ON posts (target_id, updated_at, post_id);
CREATE INDEX posts_by_parent         ON posts (parent_post_id) WHERE parent_post_id IS NOT NULL;

CREATE TABLE comments (
    comment_id       TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL,                    -- public user id
    reference_id     TEXT NOT NULL,
    reference_type   TEXT NOT NULL,                    -- post | story | content
    parent_id        TEXT,
    root_id          TEXT,
    target_id        TEXT,
    target_type      TEXT,
    data_type        TEXT NOT NULL DEFAULT 'text',
    text             TEXT NOT NULL DEFAULT '',
    metadata         TEXT NOT NULL DEFAULT '{}',
    children_number  INTEGER NOT NULL DEFAULT 0,
    flag_count       INTEGER NOT NULL DEFAULT 0,
    reactions_count  INTEGER NOT NULL DEFAULT 0,
    is_deleted       INTEGER NOT NULL DEFAULT 0,
    edited_at        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX comments_by_reference ON comments (reference_id, created_at, comment_id);
CREATE INDEX comments_by_parent    ON comments (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE message_feeds (
    message_feed_id  TEXT PRIMARY KEY,
    channel_id       TEXT NOT NULL,
    channel_type     TEXT NOT NULL,                    -- community | conversation | broadcast | live
    name             TEXT NOT NULL,
    creator_id       TEXT NOT NULL,
    child_count      INTEGER NOT NULL DEFAULT 0,
    last_message_id  TEXT,
    last_message_at  TEXT,
    is_deleted       INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE messages (
    message_id       TEXT PRIMARY KEY,
    message_feed_id  TEXT NOT NULL,
    channel_id       TEXT NOT NULL,
    channel_type     TEXT NOT NULL,
    segment          INTEGER NOT NULL,
    data_type        TEXT NOT NULL DEFAULT 'text',
    text             TEXT NOT NULL DEFAULT '',
    creator_id       TEXT NOT NULL,                    -- public user id
    parent_id        TEXT,
    tags             TEXT NOT NULL DEFAULT '[]',
    flag_count       INTEGER NOT NULL DEFAULT 0,
    is_deleted       INTEGER NOT NULL DEFAULT 0,
    edited_at        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX messages_by_feed ON messages (message_feed_id, segment);

CREATE TABLE stories (
    story_id        TEXT PRIMARY KEY,
    creator_id      TEXT NOT NULL,                     -- public user id
    target_id       TEXT NOT NULL,
    target_type     TEXT NOT NULL,                     -- community | user
    data_type       TEXT NOT NULL,                     -- text | image | video
    text            TEXT NOT NULL DEFAULT '',
    file_id         TEXT,
    flag_count      INTEGER NOT NULL DEFAULT 0,
    comments_count  INTEGER NOT NULL DEFAULT 0,
    reactions_count INTEGER NOT NULL DEFAULT 0,
    is_deleted      INTEGER NOT NULL DEFAULT 0,
    expires_at      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX stories_by_target ON stories (target_id, created_at, story_id);

-- Who flagged what, when and why. One flag per user and content, like upstream.
CREATE TABLE flags (
    content_type  TEXT NOT NULL,                       -- post | comment | message | story
    content_id    TEXT NOT NULL,
    user_id       TEXT NOT NULL,                       -- public id of the reporter
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    PRIMARY KEY (content_type, content_id, user_id)
);

-- The admin moderation feed (`GET /admin/v1/moderation-feeds`): posts and comments that
-- were flagged or AI-moderated, and what a moderator did about them.
CREATE TABLE moderation_feed (
    content_id        TEXT PRIMARY KEY,
    content_type      TEXT NOT NULL,                   -- post | comment
    media_type        TEXT NOT NULL,                   -- text | photo | video | file (contentTypes filter)
    target_id         TEXT NOT NULL,                   -- internal id of the community or user
    target_type       TEXT NOT NULL,                   -- community | user
    creator_id        TEXT NOT NULL,                   -- internal id of the author
    tags              TEXT NOT NULL DEFAULT '[]',
    flag_count        INTEGER NOT NULL DEFAULT 0,
    last_flagged_at   TEXT,
    last_reviewed_at  TEXT,
    reviewed_type     TEXT,                            -- delete | clearFlag
    reviewed_by       TEXT,
    is_deleted        INTEGER NOT NULL DEFAULT 0,
    is_flag_cleared   INTEGER NOT NULL DEFAULT 0,
    ai_moderation     TEXT                             -- JSON aiModeration object
);
CREATE INDEX moderation_feed_by_flagged  ON moderation_feed (coalesce(last_flagged_at, ''), content_id);
CREATE INDEX moderation_feed_by_count    ON moderation_feed (flag_count, content_id);
CREATE INDEX moderation_feed_by_reviewed ON moderation_feed (coalesce(last_reviewed_at, ''), content_id);
