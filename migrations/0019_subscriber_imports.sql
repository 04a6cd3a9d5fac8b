-- Subscribers brought in from another service's export: beside the consent record (requested_at,
-- confirmed_at, source), where they came from, as JSON: {"service", "file", "importedAt", "mode"}.
-- NULL for everyone who signed up on this site.
ALTER TABLE subscribers ADD COLUMN imported_json TEXT;
