package org.geohazard.api;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.regex.Pattern;
import org.geohazard.bus.Failure;

/**
 * Validates multipart uploads against the contract. vertx-openapi 5.0.7 decodes binary parts as
 * UTF-8 (corrupting them), so upload routes skip its request validation; the files are taken
 * byte-exact by Vert.x's BodyHandler, and the form as a whole — text fields with their numbers
 * parsed, each file part standing in as a string — is checked here against the operation's own
 * multipart schema from {@code openapi.yaml}. The contract stays the single source of the rules.
 */
public final class MultipartForm {

  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private final Validator validator;
  private final JsonObject properties;

  public MultipartForm(OpenAPIContract contract, String operationId) {
    Operation operation = contract.operation(operationId);
    MediaType media = operation.getRequestBody().getContent().get("multipart/form-data");
    JsonSchema schema = media.getSchema();
    this.validator = contract.getSchemaRepository().validator(schema);
    this.properties = resolvedProperties(contract.getRawContract(), schema);
  }

  /** The form's properties with their {@code $ref}s resolved, to know which fields are numbers. */
  private static JsonObject resolvedProperties(JsonObject raw, JsonSchema schema) {
    JsonObject form = resolve(raw, new JsonObject().put("$ref", schema.get("$ref")).put("properties",
        schema.get("properties")));
    JsonObject props = form.getJsonObject("properties", new JsonObject());
    JsonObject resolved = new JsonObject();
    for (String name : props.fieldNames()) {
      resolved.put(name, resolve(raw, props.getJsonObject(name)));
    }
    return resolved;
  }

  private static JsonObject resolve(JsonObject raw, JsonObject schema) {
    JsonObject current = schema;
    for (int depth = 0; current != null && current.getString("$ref") != null && depth < 8; depth++) {
      String ref = current.getString("$ref");
      String pointer = ref.substring(ref.indexOf('#') + 1);
      JsonObject target = raw;
      for (String part : pointer.split("/")) {
        if (!part.isEmpty() && target != null) {
          target = target.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
        }
      }
      current = target;
    }
    return current == null ? new JsonObject() : current;
  }

  /** The form as JSON for validation: text fields typed per the schema, files as placeholders. */
  public JsonObject toJson(MultiMap attributes, List<FileUpload> uploads) {
    JsonObject form = new JsonObject();
    for (String name : attributes.names()) {
      String value = attributes.get(name);
      form.put(name, typed(name, value));
    }
    for (FileUpload upload : uploads) {
      String field = upload.name();
      JsonObject property = properties.getJsonObject(field);
      if (property != null && "array".equals(property.getString("type"))) {
        JsonArray files = form.getJsonArray(field);
        if (files == null) {
          files = new JsonArray();
          form.put(field, files);
        }
        files.add("(binary)");
      } else {
        form.put(field, "(binary)");
      }
    }
    return form;
  }

  /** Throws a 400 naming the first broken rule. */
  public void validate(JsonObject form) {
    OutputUnit result = validator.validate(form);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw Failure.invalidRequest(describe(result));
    }
  }

  private Object typed(String name, String value) {
    JsonObject property = properties.getJsonObject(name);
    String type = property == null ? null : property.getString("type");
    if (("number".equals(type) || "integer".equals(type)) && value != null) {
      // JSON's number grammar only: Double.parseDouble also takes "NaN", "Infinity", hex and "1d", and NaN passes
      // every minimum and maximum of the schema (each comparison with it is false).
      String text = value.trim();
      if (!JSON_NUMBER.matcher(text).matches()) {
        return value; // left as text so that the schema reports the wrong type
      }
      try {
        if ("integer".equals(type)) {
          return Long.parseLong(text);
        }
        double number = Double.parseDouble(text);
        return Double.isFinite(number) ? (Object) number : value; // 1e999 overflows to infinity: not a number here
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }

  static String describe(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    OutputUnit first = errors == null || errors.isEmpty() ? result : errors.get(0);
    String location = first.getInstanceLocation() == null ? "" : first.getInstanceLocation().replaceFirst("^#?/?", "");
    String error = first.getError() == null ? "invalid form" : first.getError();
    return location.isEmpty() ? "invalid form: " + error : "invalid form field '" + location + "': " + error;
  }
}
