-- Version 5: before/after pairs (issue 22). A pair's analysis is its own content: one satellite_images row whose
-- sha256 is the SHA-256 of both contents (api.IngestService), object_key the after scene's bytes and
-- before_object_key the before scene's; a scene alone has none. The claim carries it, so a claim rebuilt from the
-- row (a lost claim, a re-analysis) is still a pair.
ALTER TABLE satellite_images ADD COLUMN IF NOT EXISTS before_object_key VARCHAR(255) NULL AFTER object_key;
