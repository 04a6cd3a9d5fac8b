-- The article store. `articles` holds what is served; `article_tags` and `article_authors`
-- index public (non-draft) articles only, so listing queries never need a draft filter.
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  published_at INTEGER NOT NULL,          -- epoch milliseconds
  updated_at INTEGER,                     -- epoch milliseconds
  summary TEXT NOT NULL,
  image_url TEXT,
  image_alt TEXT,
  lang TEXT,
  draft INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1)),
  authors_json TEXT NOT NULL,             -- [{name, slug, email?, url?}]
  tags_json TEXT NOT NULL,                -- [{name, slug}]
  content_html TEXT NOT NULL,             -- sanitized, URLs absolute
  source TEXT NOT NULL CHECK (source IN ('file', 'api')),
  source_path TEXT,                       -- content/ path for source = 'file'
  source_hash TEXT                        -- lets content sync skip unchanged files
);

-- Newest first with (published_at, id) as the keyset for cursor paging.
CREATE INDEX articles_public_by_date ON articles (published_at DESC, id DESC) WHERE draft = 0;

CREATE TABLE article_tags (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  tag_slug TEXT NOT NULL,
  tag_name TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (tag_slug, article_id)
);
CREATE INDEX article_tags_by_date ON article_tags (tag_slug, published_at DESC, article_id DESC);
CREATE INDEX article_tags_article ON article_tags (article_id);

CREATE TABLE article_authors (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  author_slug TEXT NOT NULL,
  author_name TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (author_slug, article_id)
);
CREATE INDEX article_authors_by_date ON article_authors (author_slug, published_at DESC, article_id DESC);
CREATE INDEX article_authors_article ON article_authors (article_id);

-- Bumped in the same batch as every write; caches key on it.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('content_version', 0);
