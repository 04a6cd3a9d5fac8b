-- The log mailer's outbox: with MAILER=log every email it "sends" is kept here, the newest 200,
-- for the console to list, show and offer as a .eml. AUTOINCREMENT so an id is never reused
-- after a trim: a link to message 17 never shows another. The list's columns are stored beside
-- the message, so listing never parses it.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Epoch milliseconds.
  created_at INTEGER NOT NULL,
  -- The MailMessage's kind: 'transactional' (a confirmation) or 'broadcast' (a digest).
  kind TEXT NOT NULL,
  -- The From, To and Subject headers' text, on one line and decoded.
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL,
  -- The whole message (RFC 5322, CRLF line ends) and its length in bytes.
  eml TEXT NOT NULL,
  size INTEGER NOT NULL
);
