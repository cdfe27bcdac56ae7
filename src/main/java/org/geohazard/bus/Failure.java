package org.geohazard.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The one failure type, from a store to the HTTP answer: a stable {@link Code}, a message a person can act
 * on, and optional details. It is a {@link ReplyException}, so a handler replies with it ({@code
 * message.reply(failure)}, see {@link ServiceBus}) and the asker's future fails with the same failure, on this
 * node or another (its codec: {@link Envelope}). What a code means to an HTTP client is decided in one place,
 * in the API; nothing here knows HTTP.
 *
 * <p>A failure that came back from a service call names the {@link #operation()} that failed (its bus address,
 * {@code persistence.images.renew}), so a log line says which call it was; it is for logs only and never part of
 * an HTTP answer, which carries the code and the message.
 */
public final class Failure extends ReplyException {

  /** Why something failed; the wire names are part of the public API (the {@code code} of every error answer). */
  public enum Code {
    INVALID_REQUEST, NOT_FOUND, CONFLICT, INVALID_IMAGE, UNAVAILABLE(true), INTERNAL_ERROR(true),
    /** The node reads another version of the bus's payloads (a rolling upgrade half done). */
    INCOMPATIBLE(true),
    EMPTY_FILE, UNSUPPORTED_MEDIA_TYPE, TRUNCATED_IMAGE, IMAGE_TOO_LARGE, PAYLOAD_TOO_LARGE, MISSING_FILE,
    TOO_MANY_FILES, NON_CANONICAL_PATH, WEBHOOK_TARGET_REFUSED, UNKNOWN_MODEL, NO_INFERENCE_NODE,
    API_KEY_REQUIRED, INVALID_API_KEY, ADMIN_TOKEN_REQUIRED, ADMIN_DISABLED, INSUFFICIENT_SCOPE, RATE_LIMITED,
    METHOD_NOT_ALLOWED, NOT_IMPLEMENTED;

    private final boolean retryable;

    Code() {
      this(false);
    }

    Code(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether the same work may succeed later (an outage), as opposed to never (bad input). */
    public boolean retryable() {
      return retryable;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Code fromWire(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  private final Code code;
  private final JsonObject details;
  private final String operation;

  public Failure(Code code, String message) {
    this(code, message, null);
  }

  public Failure(Code code, String message, JsonObject details) {
    this(code, message, details, null);
  }

  /** @param operation the service operation that failed (its bus address), or null when not known */
  public Failure(Code code, String message, JsonObject details, String operation) {
    super(ReplyFailure.RECIPIENT_FAILURE, code.ordinal(), message, true);
    this.code = code;
    this.details = details;
    this.operation = operation;
  }

  public Code code() {
    return code;
  }

  /** More about it for a program (null when there is nothing more). */
  public JsonObject details() {
    return details;
  }

  /** The service operation that failed ({@code persistence.images.renew}), for logs; null when not known. */
  public String operation() {
    return operation;
  }

  /**
   * This failure naming {@code operation} as the one that failed; itself when it already names one (the
   * innermost operation is the one that knows what went wrong).
   */
  public Failure at(String operation) {
    return this.operation != null || operation == null ? this
        : new Failure(code, getMessage(), details, operation);
  }

  public boolean isRetryable() {
    return code.retryable();
  }

  public static Failure invalidRequest(String message) {
    return new Failure(Code.INVALID_REQUEST, message);
  }

  public static Failure notFound(String message) {
    return new Failure(Code.NOT_FOUND, message);
  }

  public static Failure conflict(String message) {
    return new Failure(Code.CONFLICT, message);
  }

  public static Failure unavailable(String message) {
    return new Failure(Code.UNAVAILABLE, message);
  }

  /**
   * The failure an error stands for: itself; a bus timeout or a missing handler is {@link Code#UNAVAILABLE} (with
   * a text of ours: Vert.x's names internal reply addresses); a value a record refused is
   * {@link Code#INVALID_REQUEST}; anything else {@link Code#INTERNAL_ERROR}.
   */
  public static Failure of(Throwable error) {
    return of(error, null);
  }

  /** {@link #of(Throwable)}, naming the {@code area} ({@code persistence}) that did not answer. */
  public static Failure of(Throwable error, String area) {
    if (error instanceof Failure failure) {
      return failure;
    }
    if (error instanceof ReplyException reply) {
      String service = area == null ? "a part of the service" : "the " + area + " service";
      return switch (reply.failureType()) {
        case TIMEOUT -> unavailable(service + " did not answer in time; retry later");
        case NO_HANDLERS -> unavailable(service + " is not running in the cluster; retry later");
        case RECIPIENT_FAILURE, ERROR -> new Failure(Code.INTERNAL_ERROR, String.valueOf(reply.getMessage()));
      };
    }
    if (error instanceof IllegalArgumentException) {
      return invalidRequest(error.getMessage());
    }
    return new Failure(Code.INTERNAL_ERROR, String.valueOf(error));
  }

  /**
   * What an image's result may say about this failure (its {@code failure_reason}, read by every tenant sharing the
   * content): the uploader's own error in full; the service's (an outage, an internal error) in general words, its
   * details (a broker's or store's message, object keys) kept for operators in the log and the dead-letter record.
   */
  public String publicReason() {
    return switch (code) {
      case UNAVAILABLE, INCOMPATIBLE -> "a part of the service the analysis needs did not answer; upload the image"
          + " again later";
      case INTERNAL_ERROR -> "the analysis failed on the service's side (internal error); upload the image again"
          + " later, or ask an operator";
      default -> getMessage();
    };
  }

  @Override
  public String toString() {
    return "Failure[" + code.wireName() + (operation == null ? "" : " in " + operation) + "]: " + getMessage();
  }
}
