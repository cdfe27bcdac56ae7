-- Test-only (SchemaUpgradeIT): a migration after V1, to show that one applies on top of a baselined database.
ALTER TABLE api_keys ADD COLUMN upgrade_probe INT NOT NULL DEFAULT 7;
