-- Version 4: scenes analysed by reference (POST /api/v1/analyze/reference, issue 25). Such an image row holds no
-- copy of the bytes: its object_key is the reference itself, read by ranged requests whenever the image is
-- analysed (re-analysis included): 's3://bucket/key' (the node's own bucket), 'https://host/path', or for a STAC
-- Item 'stac:' followed by the bands of each view it can make, as JSON (org.geohazard.reference.SceneSpec). A
-- reference (up to 2048 characters) or a STAC Item's bands do not fit 255 characters; no index uses the column.
-- Its sha256 is not the content's (the node never reads the whole object) but that of the reference and the sizes
-- of the objects it names, so the same reference posted again shares the analysis while the objects are unchanged.
ALTER TABLE satellite_images MODIFY COLUMN object_key TEXT NOT NULL;
