-- The console's list of drafts, newest first: articles_public_by_date is partial (draft = 0), so
-- without this the list read every article.
CREATE INDEX articles_drafts_by_date ON articles (published_at DESC, id DESC) WHERE draft = 1;
