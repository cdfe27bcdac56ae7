-- Version 2: tenants kept apart (issue 23). An image row (satellite_images) is now the analysed content, one per
-- SHA-256, its analysis shared by everyone who uploads those bytes; an upload is one caller's act of sending it:
-- its own id (the image_id the API hands back), file name, location hints, priority, time and owner. Reads and
-- actions go through the upload and are refused (404) to anyone but its owner (see auth.Tenancy).

-- Who a key's uploads, batches and webhooks belong to: the tenant, i.e. the first key of its rotation chain (null:
-- the key itself). A rotated key's successor inherits it, so rotating a key does not orphan what it made.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS tenant_id BIGINT NULL AFTER scopes;

CREATE TABLE IF NOT EXISTS uploads (
  id         CHAR(36)      NOT NULL,
  -- The content (satellite_images.id) this upload's bytes are; the first upload of some content has its id.
  image_id   CHAR(36)      NOT NULL,
  filename   VARCHAR(255)  NULL,
  latitude   DOUBLE        NULL,
  longitude  DOUBLE        NULL,
  priority   ENUM('normal','high','batch') NOT NULL DEFAULT 'normal',
  -- The tenant (api_keys tenant) that made it; null for an anonymous upload, whose unguessable id is its only key.
  owner_id   BIGINT        NULL,
  created_at TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_uploads_image (image_id),
  KEY ix_uploads_owner_created (owner_id, created_at),
  CONSTRAINT fk_uploads_image FOREIGN KEY (image_id) REFERENCES satellite_images (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every existing image becomes one upload with the same id, so ids handed out before keep working.
INSERT IGNORE INTO uploads (id, image_id, filename, latitude, longitude, priority, owner_id, created_at)
  SELECT id, id, filename, latitude, longitude, priority, api_key_id, created_at FROM satellite_images;

-- A batch belongs to the tenant that sent it (null: anonymous, readable by whoever holds its id, as before).
ALTER TABLE batches ADD COLUMN IF NOT EXISTS owner_id BIGINT NULL AFTER total;

-- Public alerts name no image: the description no longer says which upload raised the alert (operators read the
-- source from image_id, which only they are shown). Descriptions written before lose their ", image <id>".
UPDATE alerts SET description = REGEXP_REPLACE(description, ', image [0-9a-fA-F-]{36}\\)', ')')
  WHERE description LIKE '%, image %';
