-- Each edition in the delivery ledger with its rows counted by status, kept by triggers in the
-- statement that writes the ledger, so the operator's counts and the list of recent editions read
-- one row per edition instead of one index entry per recipient.
--
-- starts_on is the edition's first day (YYYY-MM-DD: the day, or the Monday of the ISO week; Jan 4
-- is always in week 1), for newest first; '' for a key of another form.
CREATE TABLE delivery_editions (
  edition TEXT PRIMARY KEY,
  starts_on TEXT NOT NULL,
  queued INTEGER NOT NULL DEFAULT 0,
  sending INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  dead INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX delivery_editions_newest ON delivery_editions (starts_on DESC, edition DESC);

CREATE TRIGGER deliveries_edition_counted AFTER INSERT ON deliveries BEGIN
  INSERT INTO delivery_editions (edition, starts_on, queued, sending, sent, failed, dead)
  VALUES (
    new.edition,
    COALESCE(CASE
      WHEN new.edition GLOB 'daily/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN date(substr(new.edition, 7))
      WHEN new.edition GLOB 'weekly/[0-9][0-9][0-9][0-9]-W[0-9][0-9]' THEN date(
        substr(new.edition, 8, 4) || '-01-04',
        '-' || ((CAST(strftime('%w', substr(new.edition, 8, 4) || '-01-04') AS INTEGER) + 6) % 7) || ' days',
        '+' || ((CAST(substr(new.edition, 14, 2) AS INTEGER) - 1) * 7) || ' days')
    END, ''),
    new.status = 'queued', new.status = 'sending', new.status = 'sent', new.status = 'failed', new.status = 'dead'
  )
  ON CONFLICT (edition) DO UPDATE SET
    queued = queued + excluded.queued, sending = sending + excluded.sending, sent = sent + excluded.sent,
    failed = failed + excluded.failed, dead = dead + excluded.dead;
END;

CREATE TRIGGER deliveries_edition_moved AFTER UPDATE OF status ON deliveries
WHEN old.status <> new.status BEGIN
  UPDATE delivery_editions SET
    queued = queued - (old.status = 'queued') + (new.status = 'queued'),
    sending = sending - (old.status = 'sending') + (new.status = 'sending'),
    sent = sent - (old.status = 'sent') + (new.status = 'sent'),
    failed = failed - (old.status = 'failed') + (new.status = 'failed'),
    dead = dead - (old.status = 'dead') + (new.status = 'dead')
  WHERE edition = new.edition;
END;

-- An edition whose last row is deleted (retention, an erased subscriber's queued row) goes too.
CREATE TRIGGER deliveries_edition_uncounted AFTER DELETE ON deliveries BEGIN
  DELETE FROM delivery_editions
  WHERE edition = old.edition AND queued + sending + sent + failed + dead <= 1;
  UPDATE delivery_editions SET
    queued = queued - (old.status = 'queued'),
    sending = sending - (old.status = 'sending'),
    sent = sent - (old.status = 'sent'),
    failed = failed - (old.status = 'failed'),
    dead = dead - (old.status = 'dead')
  WHERE edition = old.edition;
END;

INSERT INTO delivery_editions (edition, starts_on, queued, sending, sent, failed, dead)
SELECT
  edition,
  COALESCE(CASE
    WHEN edition GLOB 'daily/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN date(substr(edition, 7))
    WHEN edition GLOB 'weekly/[0-9][0-9][0-9][0-9]-W[0-9][0-9]' THEN date(
      substr(edition, 8, 4) || '-01-04',
      '-' || ((CAST(strftime('%w', substr(edition, 8, 4) || '-01-04') AS INTEGER) + 6) % 7) || ' days',
      '+' || ((CAST(substr(edition, 14, 2) AS INTEGER) - 1) * 7) || ' days')
  END, ''),
  sum(status = 'queued'), sum(status = 'sending'), sum(status = 'sent'), sum(status = 'failed'), sum(status = 'dead')
FROM deliveries GROUP BY edition;
