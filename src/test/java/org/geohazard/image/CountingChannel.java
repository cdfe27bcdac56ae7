package org.geohazard.image;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over an array that counts the bytes read through it. */
final class CountingChannel implements SeekableByteChannel {

  private final byte[] file;
  private long position;
  private long bytesRead;
  private boolean open = true;

  CountingChannel(byte[] file) {
    this.file = file;
  }

  long bytesRead() {
    return bytesRead;
  }

  @Override
  public int read(ByteBuffer target) {
    if (position >= file.length) {
      return -1;
    }
    int length = (int) Math.min(target.remaining(), file.length - position);
    target.put(file, (int) position, length);
    position += length;
    bytesRead += length;
    return length;
  }

  @Override
  public int write(ByteBuffer source) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return file.length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
