/**
 * S3-compatible object storage (AWS SDK v2 on a worker pool), with recent uploads kept in memory so the node
 * that accepted an image need not fetch it back.
 */
package org.geohazard.storage;
