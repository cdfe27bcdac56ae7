package org.geohazard.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import org.geohazard.bus.Failure;
import org.geohazard.bus.FailureException;
import org.geohazard.image.InvalidImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: every error is JSON {@code {code, message,
 * request_id}} with the right status; internal details stay in the log.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  /** Router failure handler: answers the failure of any route. */
  public static void handleFailure(RoutingContext ctx) {
    ApiError error = ctx.statusCode() == 401 && !(ctx.failure() instanceof ApiError)
        // A contract security handler found no credential where the operation requires one.
        ? ContractSecurity.missingCredential(ctx)
        : toApiError(ctx.failure(), ctx.statusCode());
    if (error.status() >= 500 && error.status() != 503) {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx, error);
  }

  public static void send(RoutingContext ctx, ApiError error) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    JsonObject body = new JsonObject()
        .put("code", error.code())
        .put("message", error.getMessage() == null ? HttpResponseStatus.valueOf(error.status()).reasonPhrase()
            : error.getMessage())
        .put("request_id", RequestIds.of(ctx));
    ctx.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json").end(body.encode());
  }

  static ApiError toApiError(Throwable failure, int status) {
    if (failure instanceof ApiError api) {
      return api;
    }
    if (failure instanceof FailureException carried) {
      Failure f = carried.failure();
      return new ApiError(f.code(), f.apiCode(), f == Failure.INTERNAL ? "internal error" : carried.getMessage());
    }
    if (failure instanceof InvalidImageException invalid) {
      return fromImage(invalid);
    }
    if (failure instanceof HttpException http) {
      if (http.getCause() instanceof ValidatorException validation) {
        return new ApiError(400, "invalid_request", validation.getMessage());
      }
      return toApiError(http.getCause(), http.getStatusCode());
    }
    if (failure instanceof ValidatorException validation) {
      return new ApiError(400, "invalid_request", validation.getMessage());
    }
    if (failure instanceof ReplyException reply) {
      Failure f = Failure.of(reply);
      if (reply.failureType() == ReplyFailure.TIMEOUT
          || reply.failureType() == ReplyFailure.NO_HANDLERS) {
        // Vert.x's own text names internal addresses.
        return new ApiError(f.code(), f.apiCode(), "a part of the service did not answer in time; retry later");
      }
      return new ApiError(f.code(), f.apiCode(), f == Failure.INTERNAL ? "internal error" : reply.getMessage());
    }
    if (failure == null) {
      return switch (status) {
        case 400 -> ApiError.badRequest("bad request");
        case 404 -> ApiError.notFound("no such resource");
        case 405 -> new ApiError(405, "method_not_allowed", "method not allowed for this resource");
        case 413 -> new ApiError(413, "payload_too_large", "request body is larger than the configured limit");
        case 501 -> new ApiError(501, "not_implemented", "operation not implemented");
        default -> new ApiError(status > 0 ? status : 500, status >= 500 || status <= 0 ? "internal_error" : "error",
            status >= 500 || status <= 0 ? "internal error" : HttpResponseStatus.valueOf(status).reasonPhrase());
      };
    }
    return new ApiError(500, "internal_error", "internal error");
  }

  static ApiError fromImage(InvalidImageException invalid) {
    int status = switch (invalid.code()) {
      case "empty_file" -> 400;
      case "unsupported_media_type" -> 415;
      case "image_too_large" -> 413;
      default -> 422; // truncated_image, invalid_image
    };
    return new ApiError(status, invalid.code(), invalid.getMessage());
  }
}
