package org.geohazard.api;

import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract as the router sees it, with each schema's validator built once. vertx-openapi 5.0.7 asks the schema
 * repository for a new validator for every parameter of every request, and building one copies the repository's
 * whole table of schemas: a profile of cached result reads found 39 % of the node's CPU there. A validator holds
 * only final, read-only state after construction, so one per schema serves every request and thread.
 *
 * <p>Validators are keyed by the schema object itself (the contract's schemas are created once when it loads) and
 * the options object; everything else is passed through.
 */
final class CachedValidators {

  private CachedValidators() {
  }

  static OpenAPIContract of(OpenAPIContract contract) {
    SchemaRepository repository = new CachingRepository(contract.getSchemaRepository());
    return new OpenAPIContract() {
      @Override
      public Operation operation(String operationId) {
        return contract.operation(operationId);
      }

      @Override
      public List<Operation> operations() {
        return contract.operations();
      }

      @Override
      public List<Path> getPaths() {
        return contract.getPaths();
      }

      @Override
      public JsonObject getRawContract() {
        return contract.getRawContract();
      }

      @Override
      public OpenAPIVersion getVersion() {
        return contract.getVersion();
      }

      @Override
      public SchemaRepository getSchemaRepository() {
        return repository;
      }

      @Override
      public List<Server> getServers() {
        return contract.getServers();
      }

      @Override
      public Path findPath(String urlPath) {
        return contract.findPath(urlPath);
      }

      @Override
      public Operation findOperation(String urlPath, HttpMethod method) {
        return contract.findOperation(urlPath, method);
      }

      @Override
      public List<SecurityRequirement> getSecurityRequirements() {
        return contract.getSecurityRequirements();
      }

      @Override
      public SecurityScheme securityScheme(String name) {
        return contract.securityScheme(name);
      }
    };
  }

  /** Identity of a schema object and of the options it is validated with (either may be null). */
  private record Key(Object schema, Object options, boolean dereference) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && k.schema == schema && k.options == options && k.dereference == dereference;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(schema) + System.identityHashCode(options) + (dereference ? 1 : 0);
    }
  }

  private static final class CachingRepository implements SchemaRepository {
    private final SchemaRepository repository;
    private final ConcurrentHashMap<Key, Validator> validators = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Validator> byReference = new ConcurrentHashMap<>();

    CachingRepository(SchemaRepository repository) {
      this.repository = repository;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      return validators.computeIfAbsent(new Key(schema, null, false), k -> repository.validator(schema));
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options) {
      return validators.computeIfAbsent(new Key(schema, options, false), k -> repository.validator(schema, options));
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return validators.computeIfAbsent(new Key(schema, options, dereference),
          k -> repository.validator(schema, options, dereference));
    }

    @Override
    public Validator validator(String ref) {
      return byReference.computeIfAbsent(ref, repository::validator);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      // Rare, and the options may differ per call: not cached.
      return repository.validator(ref, options);
    }

    // Loading: passed through. The contract's schemas are all dereferenced before the first request.
    @Override
    public SchemaRepository dereference(JsonSchema schema) {
      repository.dereference(schema);
      return this;
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) {
      repository.dereference(uri, schema);
      return this;
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      repository.preloadMetaSchema(fs);
      return this;
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      repository.preloadMetaSchema(fs, draft);
      return this;
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return repository.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return repository.find(pointer);
    }
  }
}
