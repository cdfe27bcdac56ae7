package org.geohazard.bus;

import io.vertx.core.eventbus.ReplyException;

/**
 * The failure codes that travel in {@code message.fail(code, text)}. The HTTP API maps them to
 * statuses in one place ({@code api.ErrorResponses}); other consumers read {@link #isRetryable()}.
 */
public enum Failure {
  BAD_REQUEST(400, "invalid_request", false),
  NOT_FOUND(404, "not_found", false),
  CONFLICT(409, "conflict", false),
  INVALID_IMAGE(422, "invalid_image", false),
  UNAVAILABLE(503, "unavailable", true),
  INTERNAL(500, "internal_error", true);

  private final int code;
  private final String apiCode;
  private final boolean retryable;

  Failure(int code, String apiCode, boolean retryable) {
    this.code = code;
    this.apiCode = apiCode;
    this.retryable = retryable;
  }

  /** The numeric code used on the event bus (equal to the HTTP status it maps to). */
  public int code() {
    return code;
  }

  public String apiCode() {
    return apiCode;
  }

  public boolean isRetryable() {
    return retryable;
  }

  public static Failure of(int code) {
    for (Failure failure : values()) {
      if (failure.code == code) {
        return failure;
      }
    }
    return INTERNAL;
  }

  /** The failure an error stands for; timeouts and missing handlers are UNAVAILABLE, anything unknown INTERNAL. */
  public static Failure of(Throwable error) {
    if (error instanceof FailureException failure) {
      return failure.failure();
    }
    if (error instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT, NO_HANDLERS -> UNAVAILABLE;
        case RECIPIENT_FAILURE, ERROR -> of(reply.failureCode());
      };
    }
    return INTERNAL;
  }
}
