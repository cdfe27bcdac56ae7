-- Test-only (SchemaUpgradeIT): a migration after the shipped ones, to show that one applies on top of a baselined database.
ALTER TABLE api_keys ADD COLUMN upgrade_probe INT NOT NULL DEFAULT 7;
