package org.geohazard.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * Random access to an immutable object somewhere else (an object in the store, a file on an allowed https host) by
 * ranged requests, so that a reader of a large scene fetches the parts it decodes and never the whole object.
 *
 * <p>Two ways in, for two kinds of reads: {@link #readFully} sends exactly the range asked for, uncached (a tile or
 * strip, read once and decoded by the caller, who caches the decoded block); {@link #headerChannel} serves many small
 * reads close together (a TIFF header and its directories) from a small cache of aligned blocks, one request per
 * block. Blocking: call from a worker thread, never from an event loop. Thread-safe.
 */
public interface RangeReader extends Closeable {

  /** Where the bytes come from, for messages (never holds credentials). */
  String location();

  /** The object's length in bytes, as the store answered when it was opened. */
  long size();

  /**
   * Copies {@code length} bytes from {@code position} with one ranged request (none for a length of 0).
   *
   * @throws java.io.EOFException if the object is shorter than {@code position + length}
   * @throws IOException if the store does not answer, or answers with other bytes than asked for
   */
  void readFully(long position, byte[] target, int offset, int length) throws IOException;

  /** A channel with its own position over the object, for sequential small reads, through the block cache. */
  SeekableByteChannel headerChannel();

  /** Bytes received from the store so far, by both ways in. */
  long bytesFetched();

  /** Requests sent to the store so far (the request that learned the size not counted). */
  long requests();
}
