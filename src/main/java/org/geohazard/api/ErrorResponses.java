package org.geohazard.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.Set;
import org.geohazard.bus.Failure;
import org.geohazard.image.InvalidImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: every error is JSON {@code {code, message,
 * request_id}} with the status its {@link Failure.Code} means here; internal details stay in the log.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  /** Router failure handler: answers the failure of any route. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof HttpException http && http.getCause() == null) {
      failure = null;
      status = http.getStatusCode();
    }
    if (failure == null && status != 401 && !KNOWN_STATUS.contains(status)) {
      // A status the router set without a failure of ours (406, 415...): its reason phrase under a generic code.
      status = status > 0 ? status : 500;
      write(ctx, status, status >= 500 ? "internal_error" : "error",
          status >= 500 ? "internal error" : HttpResponseStatus.valueOf(status).reasonPhrase());
      return;
    }
    Failure error = ctx.statusCode() == 401 && !(ctx.failure() instanceof Failure)
        // A contract security handler found no credential where the operation requires one.
        ? ContractSecurity.missingCredential(ctx)
        : toFailure(failure, status);
    if (error.code() == Failure.Code.INTERNAL_ERROR) {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx, error);
  }

  public static void send(RoutingContext ctx, Failure error) {
    // A refusal that ends by itself says when (a cost quota's window, for one).
    if (error.details() != null && error.details().getValue("retry_after_seconds") instanceof Number wait
        && !ctx.response().headWritten()) {
      ctx.response().putHeader("Retry-After", Long.toString(wait.longValue()));
    }
    // An internal failure's text can name tables, hosts and classes: it stays in the log.
    write(ctx, status(error.code()), error.code().wireName(),
        error.code() == Failure.Code.INTERNAL_ERROR ? "internal error" : error.getMessage());
  }

  private static void write(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    JsonObject body = new JsonObject()
        .put("code", code)
        .put("message", message == null ? HttpResponseStatus.valueOf(status).reasonPhrase() : message)
        .put("request_id", RequestIds.of(ctx));
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** What each failure means to an HTTP client (openapi.yaml lists the codes each operation answers). */
  static int status(Failure.Code code) {
    return switch (code) {
      case INVALID_REQUEST, EMPTY_FILE, MISSING_FILE, TOO_MANY_FILES, NON_CANONICAL_PATH, WEBHOOK_TARGET_REFUSED -> 400;
      case API_KEY_REQUIRED, INVALID_API_KEY, ADMIN_TOKEN_REQUIRED -> 401;
      case ADMIN_DISABLED, INSUFFICIENT_SCOPE -> 403;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case CONFLICT, NO_INFERENCE_NODE -> 409;
      case IMAGE_TOO_LARGE, PAYLOAD_TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case INVALID_IMAGE, TRUNCATED_IMAGE, UNKNOWN_MODEL -> 422;
      case RATE_LIMITED -> 429;
      case INTERNAL_ERROR -> 500;
      case NOT_IMPLEMENTED -> 501;
      case UNAVAILABLE, INCOMPATIBLE -> 503;
    };
  }

  /** The statuses the router sets without a failure that have a code of their own. */
  private static final Set<Integer> KNOWN_STATUS = Set.of(400, 404, 405, 413, 501);

  static Failure toFailure(Throwable failure, int status) {
    if (failure instanceof InvalidImageException invalid) {
      return of(invalid);
    }
    if (failure instanceof HttpException http) {
      if (http.getCause() instanceof ValidatorException validation) {
        return Failure.invalidRequest(validation.getMessage());
      }
      return toFailure(http.getCause(), http.getStatusCode());
    }
    if (failure instanceof ValidatorException validation) {
      return Failure.invalidRequest(validation.getMessage());
    }
    if (failure == null) {
      return switch (status) {
        case 400 -> Failure.invalidRequest("bad request");
        case 404 -> Failure.notFound("no such resource");
        case 405 -> new Failure(Failure.Code.METHOD_NOT_ALLOWED, "method not allowed for this resource");
        case 413 -> new Failure(Failure.Code.PAYLOAD_TOO_LARGE, "request body is larger than the configured limit");
        case 501 -> new Failure(Failure.Code.NOT_IMPLEMENTED, "operation not implemented");
        default -> new Failure(Failure.Code.INTERNAL_ERROR, "internal error");
      };
    }
    // A failure of ours, a bus timeout, a value a record refused; anything else is internal.
    return failure instanceof IllegalArgumentException ? new Failure(Failure.Code.INTERNAL_ERROR, failure.toString())
        : Failure.of(failure);
  }

  /** An upload refused for what it is: its reason is the code. */
  static Failure of(InvalidImageException invalid) {
    return new Failure(Failure.Code.fromWire(invalid.code()), invalid.getMessage());
  }
}
