package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.common.dsl.SchemaType;
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
 * The router's request extractor, handing validation parameters it can take cheaply and correctly:
 * <ul>
 *   <li>Scalar query values decoded once. vertx-openapi 5.0.7 URL-decodes query values a second time after Vert.x
 *   has (eclipse-vertx/vertx-openapi#117), so a date-time with a {@code +01:00} offset, correctly sent as
 *   {@code %2B01:00}, reached validation as {@code " 01:00"} and was refused; so was any value with a {@code %} or a
 *   {@code +}.</li>
 *   <li>String values (path and query) as JSON string literals. The library turns a raw string parameter into a JSON
 *   value by trying {@code \w+} (a regex compiled on every call) and else parsing it as JSON: a UUID, a date or
 *   anything with a dash is not JSON, so every such request built and threw a {@code DecodeException} (stack trace,
 *   location message) before trying again with quotes — a flight recording of cached result reads had a tenth of
 *   the node's allocations there. A literal made by {@link Json#encode} parses at the first try to exactly the
 *   value sent.</li>
 * </ul>
 * The handlers read parameters from Vert.x, decoded once; only what validation sees changes. Arrays and objects
 * (none in our contract today) keep the library's extraction.
 */
final class ValidationParameters implements RequestExtractor {

  private static final Set<SchemaType> SCALARS = Set.of(SchemaType.STRING, SchemaType.NUMBER, SchemaType.INTEGER,
      SchemaType.BOOLEAN);

  private final RequestExtractor standard = RequestExtractor.withBodyHandler();

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
    return standard.extractValidatableRequest(ctx, operation).map(extracted -> {
      Map<String, RequestParameter> query = null;
      Map<String, RequestParameter> path = null;
      for (Parameter parameter : operation.getParameters()) {
        SchemaType type = parameter.getSchemaType();
        if (type == null || !SCALARS.contains(type)) {
          continue;
        }
        if (parameter.getIn() == Location.QUERY) {
          String value = ctx.queryParams().get(parameter.getName());
          if (value != null) {
            if (query == null) {
              query = new HashMap<>(extracted.getQuery());
            }
            query.put(parameter.getName(), new RequestParameterImpl(type == SchemaType.STRING ? jsonString(value)
                : value));
          }
        } else if (parameter.getIn() == Location.PATH && type == SchemaType.STRING) {
          RequestParameter raw = extracted.getPathParameters().get(parameter.getName());
          if (raw != null && !raw.isNull()) {
            if (path == null) {
              path = new HashMap<>(extracted.getPathParameters());
            }
            path.put(parameter.getName(), new RequestParameterImpl(jsonString(raw.getString())));
          }
        }
      }
      if (query == null && path == null) {
        return extracted;
      }
      return new ValidatableRequestImpl(extracted.getCookies(), extracted.getHeaders(),
          path == null ? extracted.getPathParameters() : path, query == null ? extracted.getQuery() : query,
          extracted.getBody(), extracted.getContentType());
    });
  }

  /**
   * The JSON string literal of {@code value}, as {@link Json#encode} writes it. A value of printable ASCII without a
   * quote or a backslash (a UUID, a date, a model version) is only put in quotes: Jackson's generator, set up for
   * each call, was a tenth of the node's validation cost per cached read. Anything else goes through Jackson.
   */
  static String jsonString(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return Json.encode(value);
      }
    }
    return '"' + value + '"';
  }
}
