-- Old addresses of articles (an imported archive's permalinks): the front matter's `aliases`,
-- kept as written in articles.aliases_json (so a GET can be sent back with PUT) and indexed here
-- by path, so a request the site would answer 404 finds its article in one seek and is sent on
-- with a 301. A path names at most one article: the last article written with it.
ALTER TABLE articles ADD COLUMN aliases_json TEXT NOT NULL DEFAULT '[]';

CREATE TABLE article_aliases (
  path TEXT PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX article_aliases_article ON article_aliases (article_id);
