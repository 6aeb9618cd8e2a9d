-- Forward targets' signing secrets are stored sealed (`backend::secret_box`, issue 13 finding 9).
-- Rows written before hold the plain secret (`secret_sealed = 0`); the console seals them at
-- start (`rules::forward::seal_plain_secrets`), so none stays in plain text after an upgrade.
ALTER TABLE forward_targets ADD COLUMN secret_sealed INTEGER NOT NULL DEFAULT 0;
