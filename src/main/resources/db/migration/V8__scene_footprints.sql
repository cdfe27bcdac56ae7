-- Version 8: automatic before/after pairing (issue 22, item 3). An upload of a georeferenced GeoTIFF keeps where the
-- scene lies and what took it, so that a later upload of the same tenant asking for 'before=auto' finds its most
-- recent earlier scene of the same place (change.AutoPairing). Kept per upload, not per content: the lookup is among
-- one tenant's uploads, and the columns are filled by every upload of some content, also one made before V8 whose
-- content row is older. Rows made before V8 have none and are simply never candidates.
--   scene_family: the sensor family a pair must share (e.g. 'sentinel2-13', 'sentinel1-float'; change.AutoPairing)
--   footprint_epsg, footprint_min_x .. footprint_max_y: the CRS and the envelope of the scene's four corners in it
--   pairing_mode, before_upload_id, pairing_reason: how this upload's before scene was chosen ('named': the upload
--     gave before_image_id; 'auto': the node chose, or found none and says why); null: not asked for. The named
--     upload may since have been deleted; its bytes stay while the pair's content refers to them.
ALTER TABLE uploads
  ADD COLUMN IF NOT EXISTS scene_family VARCHAR(32) NULL,
  ADD COLUMN IF NOT EXISTS footprint_epsg INT NULL,
  ADD COLUMN IF NOT EXISTS footprint_min_x DOUBLE NULL,
  ADD COLUMN IF NOT EXISTS footprint_min_y DOUBLE NULL,
  ADD COLUMN IF NOT EXISTS footprint_max_x DOUBLE NULL,
  ADD COLUMN IF NOT EXISTS footprint_max_y DOUBLE NULL,
  ADD COLUMN IF NOT EXISTS pairing_mode ENUM('named','auto') NULL,
  ADD COLUMN IF NOT EXISTS before_upload_id CHAR(36) NULL,
  ADD COLUMN IF NOT EXISTS pairing_reason VARCHAR(500) NULL;

-- The lookup (persistence.PairCandidateStore): one tenant's scenes of one family in one CRS, newest first; the
-- envelope test is applied to that index range.
ALTER TABLE uploads ADD INDEX IF NOT EXISTS ix_uploads_pair_candidates (owner_id, scene_family, footprint_epsg, created_at);
