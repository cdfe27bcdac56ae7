-- Version 6: data lifecycle and webhook secret rotation (issue 23, items 5, 7 and 8).

-- A webhook's secret rotated with an overlap: until previous_secret_until every delivery is signed with the new
-- secret and with this one, so a receiver can move to the new secret without missing or refusing a delivery.
ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS previous_secret VARCHAR(128) NULL AFTER secret;
ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS previous_secret_until TIMESTAMP(3) NULL AFTER previous_secret;

-- An alert outlives the image that raised it when that image is deleted (DELETE /api/v1/results/{id}, or the
-- retention sweep): a public alert stays as published until an operator resolves it or it expires, with no
-- reference to the image any more (null). Unverified ones are rejected then (their evidence is gone).
ALTER TABLE alerts MODIFY image_id CHAR(36) NULL;

-- The retention sweep (persistence.RetentionSweeper) deletes by age; these keep each of its deletes an index
-- range instead of a full scan.
ALTER TABLE uploads ADD INDEX IF NOT EXISTS ix_uploads_created (created_at);
ALTER TABLE api_usage ADD INDEX IF NOT EXISTS ix_api_usage_created (created_at);
ALTER TABLE ml_shadow_predictions ADD INDEX IF NOT EXISTS ix_shadow_created (created_at);
ALTER TABLE alerts ADD INDEX IF NOT EXISTS ix_alerts_state_created (state, created_at);
