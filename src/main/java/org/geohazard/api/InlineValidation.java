package org.geohazard.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.Map;

/**
 * The contract's validation of requests without a body, run on the event loop that received them. vertx-openapi
 * 5.0.7 validates every request with {@code vertx.executeBlocking} (ordered), so each one, even a GET whose only
 * parameter is a UUID in its path, waits for a worker thread to wake, validate and hand the result back: on the
 * 2-core machine that hop and the worker's share were a fifth of the node's CPU per cached read. Checking a few
 * short parameters against schemas already built ({@link CachedValidators}) costs microseconds, well within what
 * an event loop may do.
 *
 * <p>Same checks, same answers: for each such operation the router's own validation handler is switched off and
 * this one put first among the route's handlers, where the router would have put its own (after the security
 * handlers, before every handler of ours). It runs the library's own per-parameter and body checks
 * ({@link RequestValidatorImpl#validateParameter}, {@link RequestValidatorImpl#validateBody}) in the library's
 * order, leaves the {@link ValidatedRequest} under {@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST}, and fails
 * a refused request as the router does ({@code 400} with the validator's message). Operations that declare a
 * request body keep the library's handler and its worker thread: a body's schema can be large.
 */
final class InlineValidation {

  private final RequestExtractor extractor;
  private final RequestValidatorImpl validator;

  /**
   * @param contract the contract the router builder was made with (its validators cached, see
   *     {@link CachedValidators})
   * @param extractor the router builder's own request extractor
   */
  InlineValidation(Vertx vertx, OpenAPIContract contract, RequestExtractor extractor) {
    this.extractor = extractor;
    this.validator = new RequestValidatorImpl(vertx, contract);
  }

  /**
   * The router, with the validation of every bound route that validates and whose operation has no request body
   * done here; call once every route's handlers are bound.
   */
  Router createRouter(RouterBuilder builder) {
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      // A route with no handler of ours is not made at all by the router: it stays unmade.
      if (route.doValidation() && operation.getRequestBody() == null && !route.getHandlers().isEmpty()) {
        route.setDoValidation(false);
        route.getHandlers().add(0, ctx -> validate(ctx, operation));
      }
    }
    return builder.createRouter();
  }

  private void validate(RoutingContext ctx, Operation operation) {
    extractor.extractValidatableRequest(ctx, operation).onComplete(extracted -> {
      ValidatedRequest validated;
      try {
        if (extracted.failed()) {
          throw extracted.cause();
        }
        validated = validate(extracted.result(), operation);
      } catch (Throwable refused) {
        // As the router's own handler: a validation failure is a 400 carrying the validator's message.
        ctx.fail(refused instanceof ValidatorException
            ? new HttpException(HttpResponseStatus.BAD_REQUEST.code(), refused.getMessage(), refused)
            : refused);
        return;
      }
      ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
      ctx.next();
    });
  }

  /** What {@code RequestValidatorImpl.validate} does on its worker thread, step for step. */
  ValidatedRequest validate(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>(request.getCookies().size());
    Map<String, RequestParameter> headers = new HashMap<>(request.getHeaders().size());
    Map<String, RequestParameter> path = new HashMap<>(request.getPathParameters().size());
    Map<String, RequestParameter> query = new HashMap<>(request.getQuery().size());
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      switch (parameter.getIn()) {
        case COOKIE -> cookies.put(name, validator.validateParameter(parameter, request.getCookies().get(name)));
        case HEADER -> headers.put(name, validator.validateParameter(parameter, request.getHeaders().get(name)));
        case PATH -> path.put(name, validator.validateParameter(parameter, request.getPathParameters().get(name)));
        case QUERY -> query.put(name, validator.validateParameter(parameter, request.getQuery().get(name)));
        default -> { }
      }
    }
    RequestParameter body = validator.validateBody(operation.getRequestBody(), request);
    return new ValidatedRequestImpl(cookies, headers, path, query, body);
  }
}
