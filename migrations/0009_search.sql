-- Full-text search over public articles' titles, summaries and bodies (FTS5).
--
-- Bodies are indexed as plain text: `body_text`, written with every article by the store from
-- its sanitized HTML (core/search.ts bodyText), so markup (a, href, https, strong) is neither
-- found nor shown in snippets. A migration cannot strip HTML, so rows already stored start
-- with an empty body_text (their titles and summaries are searchable at once): file articles get
-- their text at the next content sync, because their source_hash is cleared below; an article
-- published through the API gets it when it is next written (PUT it back as GET returns it).
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
UPDATE articles SET source_hash = NULL WHERE source = 'file';

-- External content: the index keeps no copy of the text, only the terms; highlight() and
-- snippet() read the text back from `articles` by rowid. Drafts and scheduled articles are
-- indexed too (a draft's next write may publish it, and a scheduled one appears without any
-- write); every read joins `articles` with draft = 0 AND published_at <= now.
--
-- Tokenizer, checked in workerd's D1 with Russian and Kazakh text: unicode61 folds Cyrillic case
-- (КАЗАХСТАН finds казахстан), keeps the Kazakh letters ә ғ қ ң ө ұ ү һ і inside words (қазақстан,
-- әділет, ұлттық each found whole), and with remove_diacritics 2 finds "cafe" in "Café".
-- trigram finds any substring of three or more characters ("ыступ" in "выступил"), but cannot
-- find a word of one or two letters, keeps a term for every three characters (a much larger index),
-- and ranks by substring counts; its remove_diacritics is needed for "cafe" too. unicode61 with
-- prefix matching of the reader's words (core/search.ts: "Казахстан" finds "Казахстане", and a
-- common ending is dropped from a Cyrillic word before, so "Казахстане" finds "Казахстан") gives
-- whole-word results that rank well. The prefix indexes make prefix queries of 2 and 3 or more
-- characters index lookups instead of a walk over every term.
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title,
  summary,
  body_text,
  content = 'articles',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

-- Kept in step by triggers, so every write batch (create, put, delete, content sync) changes the
-- index in its own transaction, whatever statement wrote the row. An external content table is
-- told what to remove with the 'delete' command and the old values exactly as indexed.
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, summary, body_text) VALUES (new.id, new.title, new.summary, new.body_text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_text)
  VALUES ('delete', old.id, old.title, old.summary, old.body_text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, body_text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, body_text)
  VALUES ('delete', old.id, old.title, old.summary, old.body_text);
  INSERT INTO articles_fts (rowid, title, summary, body_text) VALUES (new.id, new.title, new.summary, new.body_text);
END;

-- Ranking: bm25 with a word in the title worth 10 in the body, one in the summary 4. As the
-- table's rank, so `ORDER BY rank` lets FTS5 sort the matches itself.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');

-- The articles already stored (bodies empty until rewritten, see above).
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
