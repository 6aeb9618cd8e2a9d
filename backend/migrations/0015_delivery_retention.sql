-- Stored webhook deliveries are pruned after a retention (issue 13 finding 8). An event made
-- from a pruned delivery keeps its row and loses only the link, found through this index.
CREATE INDEX events_by_delivery ON events (delivery_id) WHERE delivery_id IS NOT NULL;
