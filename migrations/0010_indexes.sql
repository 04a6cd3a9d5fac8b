-- The /tags and /authors indexes and article image sizes.
--
-- Alphabetical order needs a case- and accent-insensitive key that SQL cannot compute for
-- Cyrillic (SQLite's lower() and NOCASE fold ASCII only): the article store computes it
-- (core/names.ts sortKey) and writes it with the name into the index rows; the count triggers
-- carry the key of the spelling they keep. Rows written before this migration get lower(name)
-- until their article is next written.

ALTER TABLE article_tags ADD COLUMN tag_key TEXT;
ALTER TABLE article_authors ADD COLUMN author_key TEXT;
ALTER TABLE tag_counts ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE author_counts ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
UPDATE tag_counts SET sort_key = lower(name);
UPDATE author_counts SET sort_key = lower(name);
CREATE INDEX tag_counts_by_name ON tag_counts (sort_key, slug);
CREATE INDEX author_counts_by_name ON author_counts (sort_key, slug);

DROP TRIGGER article_tags_counted;
DROP TRIGGER article_tags_uncounted;
DROP TRIGGER article_authors_counted;
DROP TRIGGER article_authors_uncounted;

CREATE TRIGGER article_tags_counted AFTER INSERT ON article_tags BEGIN
  INSERT INTO tag_counts (slug, name, count, newest, sort_key)
  VALUES (new.tag_slug, new.tag_name, 1, new.published_at, COALESCE(new.tag_key, lower(new.tag_name)))
  ON CONFLICT (slug) DO UPDATE SET
    count = count + 1,
    name = CASE WHEN excluded.newest >= newest THEN excluded.name ELSE name END,
    sort_key = CASE WHEN excluded.newest >= newest THEN excluded.sort_key ELSE sort_key END,
    newest = MAX(newest, excluded.newest);
END;
CREATE TRIGGER article_tags_uncounted AFTER DELETE ON article_tags BEGIN
  DELETE FROM tag_counts WHERE slug = old.tag_slug AND count <= 1;
  UPDATE tag_counts SET count = count - 1 WHERE slug = old.tag_slug;
  UPDATE tag_counts SET (name, sort_key, newest) = (
    SELECT tag_name, COALESCE(tag_key, lower(tag_name)), published_at FROM article_tags WHERE tag_slug = old.tag_slug
    ORDER BY published_at DESC, article_id DESC LIMIT 1
  ) WHERE slug = old.tag_slug AND newest = old.published_at;
END;
CREATE TRIGGER article_authors_counted AFTER INSERT ON article_authors BEGIN
  INSERT INTO author_counts (slug, name, count, newest, sort_key)
  VALUES (new.author_slug, new.author_name, 1, new.published_at, COALESCE(new.author_key, lower(new.author_name)))
  ON CONFLICT (slug) DO UPDATE SET
    count = count + 1,
    name = CASE WHEN excluded.newest >= newest THEN excluded.name ELSE name END,
    sort_key = CASE WHEN excluded.newest >= newest THEN excluded.sort_key ELSE sort_key END,
    newest = MAX(newest, excluded.newest);
END;
CREATE TRIGGER article_authors_uncounted AFTER DELETE ON article_authors BEGIN
  DELETE FROM author_counts WHERE slug = old.author_slug AND count <= 1;
  UPDATE author_counts SET count = count - 1 WHERE slug = old.author_slug;
  UPDATE author_counts SET (name, sort_key, newest) = (
    SELECT author_name, COALESCE(author_key, lower(author_name)), published_at FROM article_authors
    WHERE author_slug = old.author_slug ORDER BY published_at DESC, article_id DESC LIMIT 1
  ) WHERE slug = old.author_slug AND newest = old.published_at;
END;

-- Pixel size of the article's image, when known (given, or read from a local file by content sync).
ALTER TABLE articles ADD COLUMN image_width INTEGER;
ALTER TABLE articles ADD COLUMN image_height INTEGER;
