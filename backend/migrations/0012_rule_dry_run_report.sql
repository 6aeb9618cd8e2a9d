-- The report of the dry run of a rule's current definition, so the rule's page can show it
-- without scanning again (issue 7 §4). JSON (types::rules::DryRunReport); cleared with
-- `dry_run_at` when the definition changes.
ALTER TABLE event_rules ADD COLUMN dry_run_report TEXT;
