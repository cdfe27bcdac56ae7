/**
 * Scenes analysed by reference instead of by upload, and results described as STAC, as plain classes the API and
 * the CLI call (nothing here is wired to a route yet; see docs/REFERENCES.md):
 * <ul>
 *   <li>{@link org.geohazard.reference.SceneReference}: an {@code s3://bucket/key} or {@code https://} URL, checked
 *       in form only; any other scheme (http, file, gs…) is a {@link org.geohazard.reference.ReferenceRefused}.
 *   <li>{@link org.geohazard.reference.ReferenceSources}: opens a reference as a
 *       {@link org.geohazard.storage.RangeReader} if this node may read it: {@code s3://} only in the node's own
 *       bucket; {@code https://} only when {@link org.geohazard.reference.HttpsSources} is on (off by default) and
 *       lists the host, and the host resolves to public addresses only (the webhooks' SSRF check,
 *       {@link org.geohazard.auth.WebhookTargets}), the connection pinned to the checked address, no redirects.
 *       Blocking: worker threads only.
 *   <li>{@link org.geohazard.reference.StacItem}: a STAC Item's band assets found by key or {@code eo:bands} names
 *       ({@link org.geohazard.reference.StacBand}), the first of the served views it can make chosen, hrefs resolved
 *       against its self link, datetime, footprint and bbox; bands on different grids are read on the coarsest one
 *       or refused ({@link org.geohazard.reference.BandGrid#common}).
 *   <li>{@link org.geohazard.reference.StacItemBuilder}: a completed result as a STAC 1.0.0 Item.
 * </ul>
 * Refusals carry messages fit for the caller; nothing is read or stored before a reference is accepted.
 */
package org.geohazard.reference;
