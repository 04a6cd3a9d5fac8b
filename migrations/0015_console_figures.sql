-- What the publisher's console dashboard counts, each from one small read: subscribers by status
-- and frequency kept by triggers in the statement that writes a subscriber (a few rows instead of
-- one index entry per subscriber), and indexes for the recent confirmations and suppressions,
-- counted over a range of time (up to a cap: the dashboard says "10,000 or more").
CREATE TABLE subscriber_counts (
  status TEXT NOT NULL,
  frequency TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (status, frequency)
) WITHOUT ROWID;

CREATE TRIGGER subscribers_counted AFTER INSERT ON subscribers BEGIN
  INSERT INTO subscriber_counts (status, frequency, n) VALUES (new.status, new.frequency, 1)
  ON CONFLICT (status, frequency) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER subscribers_recounted AFTER UPDATE OF status, frequency ON subscribers
WHEN old.status <> new.status OR old.frequency <> new.frequency BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE status = old.status AND frequency = old.frequency;
  INSERT INTO subscriber_counts (status, frequency, n) VALUES (new.status, new.frequency, 1)
  ON CONFLICT (status, frequency) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER subscribers_uncounted AFTER DELETE ON subscribers BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE status = old.status AND frequency = old.frequency;
END;

INSERT INTO subscriber_counts (status, frequency, n)
SELECT status, frequency, count(*) FROM subscribers GROUP BY status, frequency;

CREATE INDEX subscribers_by_confirmed ON subscribers (confirmed_at) WHERE confirmed_at IS NOT NULL;
CREATE INDEX suppressions_by_reason ON suppressions (reason, created_at);
