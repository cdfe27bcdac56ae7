-- Version 10: who asked for an image's current analysis, for the alert publication policy (auth.Publication).
--   analysis_key_id: the API key of the upload that created the content, or of whoever queued it again since (a
--     re-analysis, a re-upload of a failed content or of one analysed by a model no longer served); NULL when that
--     caller was anonymous. Alerts of the analysis are published or held by this key, not by the content's first
--     uploader: a caller without 'publish' re-analysing content first uploaded by a publisher must not raise (or
--     revive) a public alert with it.
ALTER TABLE satellite_images ADD COLUMN IF NOT EXISTS analysis_key_id BIGINT NULL;
UPDATE satellite_images SET analysis_key_id = api_key_id WHERE analysis_key_id IS NULL;
