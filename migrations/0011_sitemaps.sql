-- Sitemaps: the months that hold articles whose canonical page is on this site (stored `url` is
-- SITE_MARK U+E002 followed by /articles/<slug>), so the sitemap index is a read of this small
-- table, never of the articles. Months are UTC ("2022-01"); counts include scheduled articles
-- (a read leaves out the months after its instant and recounts only the current one). Triggers
-- keep the counts in each write's own transaction, whatever path wrote the row.
CREATE TABLE sitemap_months (
  month TEXT PRIMARY KEY,
  count INTEGER NOT NULL
);

CREATE TRIGGER articles_sitemap_insert AFTER INSERT ON articles
WHEN new.draft = 0 AND new.url = char(57346) || '/articles/' || new.slug BEGIN
  INSERT INTO sitemap_months (month, count) VALUES (strftime('%Y-%m', new.published_at / 1000.0, 'unixepoch'), 1)
  ON CONFLICT (month) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER articles_sitemap_delete AFTER DELETE ON articles
WHEN old.draft = 0 AND old.url = char(57346) || '/articles/' || old.slug BEGIN
  UPDATE sitemap_months SET count = count - 1 WHERE month = strftime('%Y-%m', old.published_at / 1000.0, 'unixepoch');
  DELETE FROM sitemap_months WHERE count <= 0 AND month = strftime('%Y-%m', old.published_at / 1000.0, 'unixepoch');
END;
CREATE TRIGGER articles_sitemap_update_old AFTER UPDATE OF draft, url, slug, published_at ON articles
WHEN old.draft = 0 AND old.url = char(57346) || '/articles/' || old.slug BEGIN
  UPDATE sitemap_months SET count = count - 1 WHERE month = strftime('%Y-%m', old.published_at / 1000.0, 'unixepoch');
  DELETE FROM sitemap_months WHERE count <= 0 AND month = strftime('%Y-%m', old.published_at / 1000.0, 'unixepoch');
END;
CREATE TRIGGER articles_sitemap_update_new AFTER UPDATE OF draft, url, slug, published_at ON articles
WHEN new.draft = 0 AND new.url = char(57346) || '/articles/' || new.slug BEGIN
  INSERT INTO sitemap_months (month, count) VALUES (strftime('%Y-%m', new.published_at / 1000.0, 'unixepoch'), 1)
  ON CONFLICT (month) DO UPDATE SET count = count + 1;
END;

INSERT INTO sitemap_months (month, count)
SELECT strftime('%Y-%m', published_at / 1000.0, 'unixepoch'), COUNT(*) FROM articles
WHERE draft = 0 AND url = char(57346) || '/articles/' || slug GROUP BY 1;

-- How many tags and authors there are (tag_counts and author_counts rows), for the number of
-- name sitemaps, without counting those tables on a read.
INSERT INTO meta (key, value) SELECT 'tag_names', COUNT(*) FROM tag_counts;
INSERT INTO meta (key, value) SELECT 'author_names', COUNT(*) FROM author_counts;
CREATE TRIGGER tag_counts_named AFTER INSERT ON tag_counts BEGIN
  UPDATE meta SET value = value + 1 WHERE key = 'tag_names';
END;
CREATE TRIGGER tag_counts_unnamed AFTER DELETE ON tag_counts BEGIN
  UPDATE meta SET value = value - 1 WHERE key = 'tag_names';
END;
CREATE TRIGGER author_counts_named AFTER INSERT ON author_counts BEGIN
  UPDATE meta SET value = value + 1 WHERE key = 'author_names';
END;
CREATE TRIGGER author_counts_unnamed AFTER DELETE ON author_counts BEGIN
  UPDATE meta SET value = value - 1 WHERE key = 'author_names';
END;
