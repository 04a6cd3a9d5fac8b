-- Derived data kept on write, so the tag cloud, OPML and the digest archive are index reads.
-- Counts cover every non-draft article, scheduled ones included: a read subtracts the few
-- articles still in the future (found through the published_at indexes below), so an article
-- joins the counts when its time comes without any write.

-- Per tag and per author: articles carrying it, and the spelling of the newest one.
CREATE TABLE tag_counts (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  count INTEGER NOT NULL,
  newest INTEGER NOT NULL                 -- epoch milliseconds
);
CREATE TABLE author_counts (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  count INTEGER NOT NULL,
  newest INTEGER NOT NULL
);

-- The index rows are rewritten by every article write, delete and sync, always inside that
-- write's batch: triggers keep the counts in the same transaction, whatever path wrote the rows.
CREATE TRIGGER article_tags_counted AFTER INSERT ON article_tags BEGIN
  INSERT INTO tag_counts (slug, name, count, newest) VALUES (new.tag_slug, new.tag_name, 1, new.published_at)
  ON CONFLICT (slug) DO UPDATE SET
    count = count + 1,
    name = CASE WHEN excluded.newest >= newest THEN excluded.name ELSE name END,
    newest = MAX(newest, excluded.newest);
END;
CREATE TRIGGER article_tags_uncounted AFTER DELETE ON article_tags BEGIN
  DELETE FROM tag_counts WHERE slug = old.tag_slug AND count <= 1;
  UPDATE tag_counts SET count = count - 1 WHERE slug = old.tag_slug;
  UPDATE tag_counts SET (name, newest) = (
    SELECT tag_name, published_at FROM article_tags WHERE tag_slug = old.tag_slug
    ORDER BY published_at DESC, article_id DESC LIMIT 1
  ) WHERE slug = old.tag_slug AND newest = old.published_at;
END;
CREATE TRIGGER article_authors_counted AFTER INSERT ON article_authors BEGIN
  INSERT INTO author_counts (slug, name, count, newest) VALUES (new.author_slug, new.author_name, 1, new.published_at)
  ON CONFLICT (slug) DO UPDATE SET
    count = count + 1,
    name = CASE WHEN excluded.newest >= newest THEN excluded.name ELSE name END,
    newest = MAX(newest, excluded.newest);
END;
CREATE TRIGGER article_authors_uncounted AFTER DELETE ON article_authors BEGIN
  DELETE FROM author_counts WHERE slug = old.author_slug AND count <= 1;
  UPDATE author_counts SET count = count - 1 WHERE slug = old.author_slug;
  UPDATE author_counts SET (name, newest) = (
    SELECT author_name, published_at FROM article_authors WHERE author_slug = old.author_slug
    ORDER BY published_at DESC, article_id DESC LIMIT 1
  ) WHERE slug = old.author_slug AND newest = old.published_at;
END;

-- Scheduled articles' index rows, found without reading the rest.
CREATE INDEX article_tags_by_time ON article_tags (published_at);
CREATE INDEX article_authors_by_time ON article_authors (published_at);

INSERT INTO tag_counts (slug, name, count, newest)
SELECT tag_slug, tag_name, COUNT(*), MAX(published_at) FROM article_tags GROUP BY tag_slug;
INSERT INTO author_counts (slug, name, count, newest)
SELECT author_slug, author_name, COUNT(*), MAX(published_at) FROM article_authors GROUP BY author_slug;

-- The digest archive: each local day (in DIGEST_TZ) that has non-draft articles, with its ISO
-- week. Labels depend on the zone, which SQL cannot compute: the article store writes these rows
-- with labels it computed, in each write's batch, and `archive_zone` says which zone they are in.
-- Rows whose count fell to 0 stay (at most one per day) and are skipped by readers.
CREATE TABLE archive_days (
  day TEXT PRIMARY KEY,                   -- "2022-01-10"
  week TEXT NOT NULL,                     -- "2022-W02"
  start INTEGER NOT NULL,                 -- the day's first instant, epoch ms
  "end" INTEGER NOT NULL,                 -- the next day's first instant
  count INTEGER NOT NULL
);
CREATE UNIQUE INDEX archive_days_by_start ON archive_days (start);

-- One row: the zone of archive_days, or '*' while the table is empty and fits any zone. With no
-- row (a database that already had articles), the first archive request builds the table.
CREATE TABLE archive_zone (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  zone TEXT NOT NULL
);
INSERT INTO archive_zone (id, zone) SELECT 1, '*' WHERE NOT EXISTS (SELECT 1 FROM articles WHERE draft = 0);
