-- Indexes for the moderation feed's side-loading, which asks per community whether it has
-- flagged posts and counts each feed's live posts. Without them one feed page over 1M posts
-- took ~0.9 s in release (measured with `cargo xtask bench`); with them each lookup is < 1 ms.
CREATE INDEX moderation_feed_by_target ON moderation_feed (target_id, content_type, flag_count);
CREATE INDEX posts_by_feed ON posts (target_id, feed_type, is_deleted) WHERE parent_post_id IS NULL;
