-- Version 9: a scene looked at with a scene of the same place by the other sensor family (issue 22: Sentinel-1
-- with Sentinel-2 or Landsat, either way round; change.OtherSensor). Like a before/after pair, such a look is content
-- of its own: one satellite_images row whose sha256 is the SHA-256 of both contents (api.IngestService), whose
-- object_key is the scene's bytes (and before_object_key its before scene's, when it is also a pair).
--   other_sensor_claim: the other scene's claim as JSON (bus.ImageClaim#toJson: its content id, SHA-256, object
--     key, hints and, when it was itself a pair, its before scene's key); the claim rebuilt from the row carries it,
--     so a lost claim or a re-analysis still looks at both
--   other_sensor_object_key, other_sensor_before_object_key: the objects that claim reads, so that deleting the
--     other scene's last upload keeps them while this content still reads them (persistence.UploadDeletions)
ALTER TABLE satellite_images
  ADD COLUMN IF NOT EXISTS other_sensor_claim TEXT NULL,
  ADD COLUMN IF NOT EXISTS other_sensor_object_key VARCHAR(255) NULL,
  ADD COLUMN IF NOT EXISTS other_sensor_before_object_key VARCHAR(255) NULL;
