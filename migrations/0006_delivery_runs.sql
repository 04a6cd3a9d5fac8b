-- What scheduled delivery needs besides the ledger:
-- - deliveries.claim: the id of the claim that last took a row. Rows claimed together were sent
--   together (one provider batch); after a crash they are re-queued together, so the batch and its
--   idempotency key come out the same and the provider does not send them twice.
-- - edition_renders: each edition rendered once per tag group, before any row of that group is
--   written, so every recipient of a group gets the same email; a group without articles is kept
--   with no render (articles = 0) and gets no rows.
-- - the due-subscriber index the hourly run pages through, by zone and send hour.
-- Both tables are kept for 14 days (the hourly run deletes older rows; settings keeps the cut-off,
-- so an operator cannot replay an hour whose rows are gone and send it again).
ALTER TABLE deliveries ADD COLUMN claim TEXT;
DROP INDEX deliveries_by_lease;
CREATE INDEX deliveries_by_lease ON deliveries (lease_until, claim, id) WHERE status = 'sending';
-- Rows past the retention period, deleted by the hourly run.
CREATE INDEX deliveries_by_created ON deliveries (created_at);
-- Queued rows that no queue message is carrying any more (found by their age).
CREATE INDEX deliveries_queued ON deliveries (updated_at, id) WHERE status = 'queued';

CREATE TABLE edition_renders (
  edition TEXT NOT NULL,
  tags_key TEXT NOT NULL,            -- JSON array of the group's tag slugs, sorted; '[]' = every article
  articles INTEGER NOT NULL,         -- 0: nothing to send this group
  subject TEXT,
  html TEXT,
  text TEXT,
  recipient_mark TEXT,               -- stands in the render for the recipient's own token
  created_at INTEGER NOT NULL,
  PRIMARY KEY (edition, tags_key)
);

CREATE INDEX subscribers_due ON subscribers (status, time_zone, send_hour, id);
