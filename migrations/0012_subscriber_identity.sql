-- One subscriber per mailbox: an address in any letter case is one row. The row keeps the address
-- as first given (the To: header); every lookup goes through email_key, the address lower-cased.
-- lower() folds A-Z only, which is all the case a stored address has (its local part is ASCII
-- atext, its domain ASCII or punycode), and exactly what core's addressKey() does, so the key the
-- Worker binds and the one derived here agree on any string.
ALTER TABLE subscribers ADD COLUMN email_key TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL;

-- Case variants that existed before are merged into one row. Each merged id stays here with the
-- row it went into, so the unsubscribe and preference links in emails sent to a variant (they
-- carry its id, and never expire) still reach that mailbox's subscription.
CREATE TABLE subscriber_merges (
  merged_id INTEGER PRIMARY KEY,
  subscriber_id INTEGER NOT NULL
);

-- The row that survives: a suppressed variant first (the mailbox must stay blocked), then the
-- mailbox's latest decision between active (confirmed_at) and unsubscribed (unsubscribed_at), so
-- someone who unsubscribed is not mailed again unless they confirmed again afterwards; pending
-- last (nothing was confirmed). Ties: the oldest row.
INSERT INTO subscriber_merges (merged_id, subscriber_id)
WITH ranked AS (
  SELECT id, email_key, row_number() OVER (
    PARTITION BY email_key
    ORDER BY status = 'suppressed' DESC, status = 'pending' ASC,
      CASE status WHEN 'active' THEN confirmed_at WHEN 'unsubscribed' THEN unsubscribed_at END DESC, id ASC
  ) AS place
  FROM subscribers
  WHERE email_key IN (SELECT email_key FROM subscribers GROUP BY email_key HAVING count(*) > 1)
)
SELECT variant.id, survivor.id
FROM ranked variant JOIN ranked survivor ON survivor.email_key = variant.email_key AND survivor.place = 1
WHERE variant.place > 1;

-- The ledger follows the survivor. Where two variants have a row for the same edition (the
-- UNIQUE (subscriber_id, edition) key), one is kept: the furthest along (sent, sending, queued,
-- failed, dead), the survivor's on a tie, so an edition the mailbox already got is not sent again.
DELETE FROM deliveries WHERE id IN (
  SELECT id FROM (
    SELECT d.id, row_number() OVER (
      PARTITION BY coalesce(m.subscriber_id, d.subscriber_id), d.edition
      ORDER BY CASE d.status WHEN 'sent' THEN 0 WHEN 'sending' THEN 1 WHEN 'queued' THEN 2 WHEN 'failed' THEN 3 ELSE 4 END,
        m.merged_id IS NOT NULL, d.id
    ) AS place
    FROM deliveries d LEFT JOIN subscriber_merges m ON m.merged_id = d.subscriber_id
    WHERE d.subscriber_id IN (SELECT merged_id FROM subscriber_merges UNION SELECT subscriber_id FROM subscriber_merges)
  )
  WHERE place > 1
);
UPDATE deliveries SET subscriber_id = (SELECT subscriber_id FROM subscriber_merges WHERE merged_id = deliveries.subscriber_id)
WHERE subscriber_id IN (SELECT merged_id FROM subscriber_merges);

-- The survivor keeps the earliest consent (when first asked, from where, when first confirmed)
-- and the latest confirmation email, so the ten-minute cooldown still holds for the mailbox.
UPDATE subscribers SET
  requested_at = (SELECT min(v.requested_at) FROM subscribers v WHERE v.email_key = subscribers.email_key),
  source = (SELECT v.source FROM subscribers v WHERE v.email_key = subscribers.email_key ORDER BY v.requested_at, v.id LIMIT 1),
  ip_hash = (SELECT v.ip_hash FROM subscribers v WHERE v.email_key = subscribers.email_key ORDER BY v.requested_at, v.id LIMIT 1),
  confirmed_at = (SELECT min(v.confirmed_at) FROM subscribers v WHERE v.email_key = subscribers.email_key),
  confirm_sent_at = (SELECT max(v.confirm_sent_at) FROM subscribers v WHERE v.email_key = subscribers.email_key),
  updated_at = (SELECT max(v.updated_at) FROM subscribers v WHERE v.email_key = subscribers.email_key)
WHERE id IN (SELECT subscriber_id FROM subscriber_merges);

-- The ledger rows were moved first: the deliveries_erase trigger would drop the queued ones.
DELETE FROM subscribers WHERE id IN (SELECT merged_id FROM subscriber_merges);

CREATE UNIQUE INDEX subscribers_by_key ON subscribers (email_key);
-- Bounces and complaints now match by email_key too.
DROP INDEX subscribers_by_email_nocase;

-- Sign-ups never confirmed, deleted by the hourly run a day after their link expired.
CREATE INDEX subscribers_unconfirmed ON subscribers (status, confirm_sent_at) WHERE status = 'pending';
