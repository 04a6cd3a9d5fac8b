-- Content sync reads (source_path, source_hash, slug) of every file-sourced article on each start.
-- This covering index answers that from the index alone, without reading the wide article rows
-- (their content_html sits before source_path), and lets the sync's check for slugs held by API
-- articles search it too.
CREATE INDEX articles_by_source ON articles (source, source_path, source_hash, slug);
