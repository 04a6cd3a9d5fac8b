-- The delivery ledger: one row per (subscriber, edition), written before anything is queued, so
-- an edition's recipients are frozen once its rows exist and nobody is mailed an edition twice.
-- Times are epoch milliseconds.
--
-- subscriber_id has no foreign key: a cascade would also delete the sent history that an
-- edition's counts are made of. Erasing a subscriber instead deletes, by the trigger below, their
-- rows that were not yet sent (queued and sending), so nothing is mailed to a deleted subscriber;
-- sent, failed and dead rows stay, naming only an id that is never given out again.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  edition TEXT NOT NULL,                  -- e.g. 'daily/2022-01-10', 'weekly/2022-W02'
  subscriber_id INTEGER NOT NULL,
  tags_key TEXT NOT NULL,                 -- the group of subscribers that share one render
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,                    -- while 'sending': after this, another claim may take it
  provider_id TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  UNIQUE (subscriber_id, edition)
);
-- Counts by (edition, status) and the per-status listing, paged by id.
CREATE INDEX deliveries_by_edition ON deliveries (edition, status, id);
-- Leases that ran out, for the cron to re-queue.
CREATE INDEX deliveries_by_lease ON deliveries (status, lease_until) WHERE status = 'sending';

CREATE TRIGGER deliveries_erase AFTER DELETE ON subscribers
BEGIN
  DELETE FROM deliveries WHERE subscriber_id = OLD.id AND status IN ('queued', 'sending');
END;
