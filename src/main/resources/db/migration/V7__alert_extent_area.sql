-- Issue 24: an alert raised from an analysis with a flood extent carries that extent as CAP 1.2 polygon values
-- (a JSON array of "lat,lon lat,lon ..." strings, reduced to at most 10 polygons of at most 100 points each).
-- NULL: the alert has its circle only (every alert raised before this, and those without an extent).
ALTER TABLE alerts ADD COLUMN area_polygons MEDIUMTEXT NULL;
