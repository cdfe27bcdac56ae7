package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The router's request extractor, with scalar query values decoded once. vertx-openapi 5.0.7 URL-decodes query
 * values a second time after Vert.x has (eclipse-vertx/vertx-openapi#117), so a date-time with a {@code +01:00}
 * offset, correctly sent as {@code %2B01:00}, reached validation as {@code " 01:00"} and was refused; so was any
 * value with a {@code %} or a {@code +}. The handlers read parameters from Vert.x, decoded once, so only validation
 * was wrong. Arrays and objects (none in our contract today) keep the library's extraction.
 */
final class OnceDecodedQuery implements RequestExtractor {

  private static final Set<SchemaType> SCALARS = Set.of(SchemaType.STRING, SchemaType.NUMBER, SchemaType.INTEGER,
      SchemaType.BOOLEAN);

  private final RequestExtractor standard = RequestExtractor.withBodyHandler();

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
    return standard.extractValidatableRequest(ctx, operation).map(extracted -> {
      Map<String, RequestParameter> query = null;
      for (Parameter parameter : operation.getParameters()) {
        SchemaType type = parameter.getSchemaType();
        if (parameter.getIn() != Location.QUERY || type == null || !SCALARS.contains(type)) {
          continue;
        }
        String value = ctx.queryParams().get(parameter.getName());
        if (value != null) {
          if (query == null) {
            query = new HashMap<>(extracted.getQuery());
          }
          query.put(parameter.getName(), new RequestParameterImpl(value));
        }
      }
      return query == null ? extracted : new ValidatableRequestImpl(extracted.getCookies(), extracted.getHeaders(),
          extracted.getPathParameters(), query, extracted.getBody(), extracted.getContentType());
    });
  }
}
