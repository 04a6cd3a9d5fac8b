-- The length in bytes of an article's image when it is a file under public/, read by content sync
-- (the RSS enclosure's length attribute). Null for an image elsewhere or an article from the API.
ALTER TABLE articles ADD COLUMN image_bytes INTEGER;
