package org.geohazard.storage;

import java.io.EOFException;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** An object of the store read by {@code GetObject} with a {@code Range} header, over the store's own client. */
final class S3RangeReader extends CachedRangeReader {

  private final S3Client client;
  private final String bucket;
  private final String key;

  S3RangeReader(S3Client client, String bucket, String key, long size, int blockSize, int blockCount) {
    super("s3://" + bucket + "/" + key, size, blockSize, blockCount);
    this.client = client;
    this.bucket = bucket;
    this.key = key;
  }

  @Override
  protected void fetch(long position, byte[] target, int offset, int length) throws IOException {
    String range = "bytes=" + position + "-" + (position + length - 1);
    try (ResponseInputStream<GetObjectResponse> body = client.getObject(b -> b.bucket(bucket).key(key).range(range))) {
      Long answered = body.response().contentLength();
      if (answered != null && answered != length) {
        // A store that ignores Range sends the whole object: refuse it rather than read it.
        throw new IOException(location() + ": asked for " + length + " bytes (" + range + "), the store answered "
            + answered);
      }
      int read = body.readNBytes(target, offset, length);
      if (read < length) {
        throw new EOFException(location() + ": the answer to " + range + " ended after " + read + " bytes");
      }
    } catch (S3Exception e) {
      throw new IOException(location() + ": the store refused " + range + " (HTTP " + e.statusCode() + ")", e);
    } catch (SdkException unreachable) {
      // Not answered at all (connection refused, timed out): an I/O failure like any other read's.
      throw new IOException(location() + ": the store did not answer " + range + ": " + unreachable.getMessage(),
          unreachable);
    }
  }

  @Override
  public void close() {
    // The client is the store's; nothing of its own to release.
  }
}
