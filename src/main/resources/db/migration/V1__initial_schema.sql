-- geohazard schema (MariaDB 10.11 / MySQL 8), version 1: the schema as the releases before Flyway left it.
-- Flyway applies this folder's scripts in order at start-up (org.geohazard.persistence.SchemaMigrations). Every
-- statement here is idempotent (CREATE TABLE IF NOT EXISTS) because a database made by those releases is
-- baselined at version 0 and then runs this script too: it creates only what is missing. Never edit an applied
-- script (Flyway refuses a changed checksum): add V2__what.sql and so on.
-- Fixes from the seed: SHA-256 content hash (MD5 collisions can be forged to poison a cached result),
-- uniqueness that makes Kafka redelivery harmless, and a spatial column with an index for radius queries.

CREATE TABLE IF NOT EXISTS satellite_images (
  id              CHAR(36)      NOT NULL,
  sha256          CHAR(64)      NOT NULL,
  object_key      VARCHAR(255)  NOT NULL,
  filename        VARCHAR(255)  NULL,
  content_type    VARCHAR(64)   NOT NULL,
  size_bytes      BIGINT        NOT NULL,
  width           INT           NOT NULL,
  height          INT           NOT NULL,
  bands           INT           NOT NULL DEFAULT 3,
  bits_per_sample INT           NOT NULL DEFAULT 8,
  latitude        DOUBLE        NULL,
  longitude       DOUBLE        NULL,
  gsd_m           DOUBLE        NULL,
  priority        ENUM('normal','high','batch') NOT NULL DEFAULT 'normal',
  status          ENUM('pending','processing','completed','failed') NOT NULL DEFAULT 'pending',
  attempts        INT           NOT NULL DEFAULT 0,
  failure_reason  VARCHAR(1000) NULL,
  api_key_id      BIGINT        NULL,
  -- What the uploader asked for, so a claim can be sent again from the row alone.
  requested_bands VARCHAR(32)   NULL,
  sensor          VARCHAR(16)   NULL,
  -- Set once the claim is on Kafka: a pending row without it after a grace period lost its claim (the
  -- accepting node died between the insert and the send) and is queued again.
  queued_at       TIMESTAMP(3)  NULL,
  -- Which consumer is analysing the image, and until when it holds it unless it renews the hold: a claim
  -- redelivered meanwhile waits; a dead consumer's image is taken over when its hold runs out.
  claimed_by      VARCHAR(96)   NULL,
  claimed_until   TIMESTAMP(3)  NULL,
  -- Set when a stored image is queued again (re-analysis, a retired model's result, a failed image
  -- uploaded again): a lost claim is judged from then, not from the first upload.
  requeued_at     TIMESTAMP(3)  NULL,
  -- The model a re-analysis asked for (its version); null: the models the workers serve.
  requested_model VARCHAR(128)  NULL,
  created_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  completed_at    TIMESTAMP(3)  NULL,
  PRIMARY KEY (id),
  -- One row per content: the same bytes uploaded again resolve to the same image and analysis.
  UNIQUE KEY uq_images_sha256 (sha256),
  KEY ix_images_status_created (status, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS ml_predictions (
  id                    BIGINT       NOT NULL AUTO_INCREMENT,
  image_id              CHAR(36)     NOT NULL,
  model_version         VARCHAR(128) NOT NULL,
  landslide_probability DOUBLE       NOT NULL,
  flood_probability     DOUBLE       NOT NULL,
  confidence_score      DOUBLE       NOT NULL,
  risk_level            ENUM('low','medium','high','critical') NOT NULL,
  detections_count      INT          NOT NULL,
  processing_time_ms    DOUBLE       NOT NULL,
  analysis              JSON         NOT NULL,
  created_at            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  -- A redelivered Kafka record hits this key and is treated as "already stored".
  UNIQUE KEY uq_predictions_image_model (image_id, model_version),
  CONSTRAINT fk_predictions_image FOREIGN KEY (image_id) REFERENCES satellite_images (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A candidate model's analysis beside the serving models' (shadow mode): never a result, never an alert;
-- read only by the comparison report (GET /api/v1/models/shadow-report).
CREATE TABLE IF NOT EXISTS ml_shadow_predictions (
  id                 BIGINT       NOT NULL AUTO_INCREMENT,
  image_id           CHAR(36)     NOT NULL,
  candidate_version  VARCHAR(128) NOT NULL,
  candidate_sha256   CHAR(64)     NOT NULL,
  -- The serving model the candidate would replace (same view), whose time is compared with the candidate's.
  replaced_version   VARCHAR(128) NULL,
  serving_ms         DOUBLE       NULL,
  candidate_ms       DOUBLE       NOT NULL,
  serving_analysis   JSON         NOT NULL,
  candidate_analysis JSON         NOT NULL,
  created_at         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_shadow_image_candidate (image_id, candidate_version),
  KEY ix_shadow_candidate_created (candidate_version, created_at),
  CONSTRAINT fk_shadow_image FOREIGN KEY (image_id) REFERENCES satellite_images (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS alerts (
  id           CHAR(36)      NOT NULL,
  image_id     CHAR(36)      NOT NULL,
  alert_type   ENUM('landslide','flood') NOT NULL,
  severity     ENUM('medium','high','critical') NOT NULL,
  latitude     DOUBLE        NOT NULL,
  longitude    DOUBLE        NOT NULL,
  -- POINT(longitude latitude), SRID 4326 given in ST_GeomFromText (MariaDB has no column-level SRID).
  location     POINT         NOT NULL,
  radius_km    DOUBLE        NOT NULL,
  probability  DOUBLE        NOT NULL,
  confidence   DOUBLE        NOT NULL,
  title        VARCHAR(255)  NOT NULL,
  description  VARCHAR(2000) NOT NULL,
  created_at   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at   TIMESTAMP(3)  NOT NULL,
  -- Lifecycle: each merge with a newer detection is a new version (a CAP Update); an operator may
  -- acknowledge an alert (it stays active) or resolve it (it ends: a CAP Cancel).
  -- Publication: an alert raised from an upload without the right to publish (anonymous, or a key without the
  -- 'publish' scope) is held 'unverified': seen by operators only, until one confirms it (then 'active', and
  -- announced as raised) or resolves it (then 'rejected', never public). Public lists show the other states.
  version      INT           NOT NULL DEFAULT 1,
  updated_at   TIMESTAMP(3)  NULL,
  state        ENUM('active','acknowledged','resolved','unverified','rejected') NOT NULL DEFAULT 'active',
  acknowledged_at TIMESTAMP(3) NULL,
  acknowledged_by VARCHAR(128) NULL,
  resolved_at  TIMESTAMP(3)  NULL,
  resolved_by  VARCHAR(128)  NULL,
  -- Why the severity is what it is: the evidence section (JSON) of the analysis that set the current severity.
  evidence     TEXT          NULL,
  confirmed_at TIMESTAMP(3)  NULL,
  confirmed_by VARCHAR(128)  NULL,
  PRIMARY KEY (id),
  -- One alert per image and hazard: a redelivered result cannot raise a second alert.
  UNIQUE KEY uq_alerts_image_type (image_id, alert_type),
  SPATIAL INDEX sx_alerts_location (location),
  KEY ix_alerts_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS batches (
  id         CHAR(36)     NOT NULL,
  total      INT          NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS batch_items (
  batch_id      CHAR(36)      NOT NULL,
  item_index    INT           NOT NULL,
  filename      VARCHAR(255)  NULL,
  image_id      CHAR(36)      NULL,
  error_code    VARCHAR(64)   NULL,
  error_message VARCHAR(1000) NULL,
  PRIMARY KEY (batch_id, item_index),
  KEY ix_batch_items_image (image_id),
  CONSTRAINT fk_batch_items_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- API keys are stored as SHA-256 of the key; the key itself is shown once when created.
CREATE TABLE IF NOT EXISTS api_keys (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  key_hash          CHAR(64)     NOT NULL,
  name              VARCHAR(255) NOT NULL,
  requests_per_window INT        NULL,
  -- What the key may do (auth.Scope, comma-separated): read, upload, publish, operate, admin. Keys made before
  -- scopes existed get the default, reading and uploading only: operators' keys must be given 'operate'.
  scopes            VARCHAR(128) NOT NULL DEFAULT 'read,upload',
  created_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  -- After it the key is refused (null: it does not expire).
  expires_at        TIMESTAMP(3) NULL,
  revoked_at        TIMESTAMP(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_api_keys_hash (key_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The seed's usage table, written in batches: each API node counts requests in memory per client (key, else
-- address), endpoint (the contract's operation), status and hour, and adds a row per group every few seconds
-- (created_at: the start of the hour; request_count: how many). Sum request_count per hour to read it.
CREATE TABLE IF NOT EXISTS api_usage (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  api_key_id     BIGINT       NULL,
  client_address VARCHAR(64)  NOT NULL,
  endpoint       VARCHAR(128) NOT NULL,
  status_code    INT          NOT NULL,
  request_count  INT          NOT NULL DEFAULT 1,
  created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_api_usage_key_time (api_key_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Webhook subscriptions (owned by an API key) and their delivery log.
CREATE TABLE IF NOT EXISTS webhooks (
  id              CHAR(36)      NOT NULL,
  api_key_id      BIGINT        NOT NULL,
  url             VARCHAR(2048) NOT NULL,
  -- The HMAC-SHA256 key deliveries are signed with; shown to the owner once, when created.
  secret          VARCHAR(128)  NOT NULL,
  -- Which alerts it wants: {latitude, longitude, radius_km, bbox, type, min_severity}, all optional.
  filter          TEXT          NOT NULL,
  state           ENUM('active','disabled') NOT NULL DEFAULT 'active',
  disabled_reason VARCHAR(1000) NULL,
  failures        INT           NOT NULL DEFAULT 0,
  created_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_webhooks_key (api_key_id),
  KEY ix_webhooks_state (state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  webhook_id   CHAR(36)      NOT NULL,
  event_id     VARCHAR(128)  NOT NULL,
  alert_id     CHAR(36)      NOT NULL,
  delivered    BOOLEAN       NOT NULL,
  attempts     INT           NOT NULL,
  http_status  INT           NULL,
  error        VARCHAR(1000) NULL,
  created_at   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_deliveries_webhook (webhook_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
