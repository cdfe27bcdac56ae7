/**
 * S3-compatible object storage (AWS SDK v2 on a worker pool), with recent uploads kept in memory so the node
 * that accepted an image need not fetch it back; and ranged reads of objects ({@link
 * org.geohazard.storage.RangeReader}, {@link org.geohazard.storage.S3ObjectStore#openRange}): exact {@code Range}
 * requests for the pixels a reader decodes, a small block cache ({@link org.geohazard.storage.CachedRangeReader}) for
 * header reads, bytes and requests counted. This package is the only one that touches the S3 SDK; https sources
 * extend {@code CachedRangeReader} in {@code reference}.
 */
package org.geohazard.storage;
