-- Each article's JSON Feed item, serialized at write time, so a JSON Feed render only joins
-- strings. A table of its own: D1 rows hold 2 MB, and an item is about as large as its HTML.
CREATE TABLE article_json (
  article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
  item TEXT NOT NULL
);
