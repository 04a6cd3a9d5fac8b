-- Email subscribers and the addresses that must never be mailed again.
-- Times are epoch milliseconds. Ids are AUTOINCREMENT so that a deleted subscriber's id, which
-- old signed links carry, is never given to someone else.
CREATE TABLE subscribers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,             -- normalised: trimmed, domain lower-cased
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'suppressed')),
  frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  tags_json TEXT NOT NULL DEFAULT '[]',   -- tag slugs wanted; [] = everything
  time_zone TEXT NOT NULL,                -- IANA zone
  send_hour INTEGER NOT NULL CHECK (send_hour BETWEEN 0 AND 23),
  -- Consent record: when they asked, when they confirmed, on which page, from which client
  -- (a salted hash of the IP address, never the address itself).
  requested_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  source TEXT NOT NULL,
  ip_hash TEXT,
  -- The preferences a confirmation link will apply, and that link's single-use nonce.
  pending_json TEXT,
  confirm_nonce TEXT,
  confirm_sent_at INTEGER,                -- the last confirmation email: at most one per 10 minutes
  unsubscribed_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX subscribers_by_status ON subscribers (status, id);
-- Bounces and complaints name an address in whatever case the provider reports: matched without case.
CREATE INDEX subscribers_by_email_nocase ON subscribers (email COLLATE NOCASE);

-- Hard bounces and complaints, by salted hash of the lower-cased address: kept when a subscriber
-- erases their data, so the address stays suppressed without being stored.
CREATE TABLE suppressions (
  email_hash TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Values generated once per database.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('address_salt', lower(hex(randomblob(32))));
