package org.geohazard.image;

import java.io.IOException;

/**
 * An upload that is not an image the service can take. It is the client's fault, never the server's: an
 * I/O failure while reading a file of our own is an {@link IOException} instead.
 *
 * <p>{@link #code()} is a stable machine code for API clients to branch on; {@link #getMessage()} is a
 * sentence written for the person who uploaded the file and may be shown to them as it is. The API answers
 * {@code empty_file} with 400, {@code unsupported_media_type} 415, {@code image_too_large} 413, and
 * {@code truncated_image} and {@code invalid_image} 422 (a file of a known format that cannot be used); that
 * mapping belongs to the API and openapi.yaml, not here.
 */
public final class InvalidImageException extends Exception {

  /** Why an upload was refused. The {@link #code()} strings are part of the public API: never rename them. */
  public enum Reason {
    /** Zero bytes. */
    EMPTY_FILE("empty_file"),
    /** Not JPEG, PNG, TIFF or WebP by its magic bytes, or a variant of them that the decoder cannot read. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    /** The file ends too early: inside its header, before its end marker, or before data its header points at. */
    TRUNCATED_IMAGE("truncated_image"),
    /** Over the caller's pixel, dimension or memory budget; decided from the header, before any allocation. */
    IMAGE_TOO_LARGE("image_too_large"),
    /** Recognised format, but the header or the pixel data is corrupt. */
    INVALID_IMAGE("invalid_image");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private static final long serialVersionUID = 1L;

  private final Reason reason;

  public InvalidImageException(Reason reason, String message) {
    this(reason, message, null);
  }

  public InvalidImageException(Reason reason, String message, Throwable cause) {
    // No stack trace: junk uploads are expected traffic and the trace would only point at the probe. A decoder
    // failure keeps the decoder's exception, with its own trace, as the cause.
    super(message, cause, false, false);
    if (reason == null) {
      throw new IllegalArgumentException("reason is required");
    }
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Shorthand for {@code reason().code()}, e.g. {@code "image_too_large"}. */
  public String code() {
    return reason.code();
  }
}
