package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.APIKeyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;

/**
 * Binds the contract's security schemes to the router: the router then requires a credential exactly where
 * {@code openapi.yaml} says one is required (the key on acknowledging, resolving, webhooks and usage; the admin
 * token on model changes) and lets it be absent where the contract makes it optional.
 *
 * <p>The handlers only check that the header is there. What a credential is worth is decided elsewhere, once:
 * {@link Admission} (a root handler, so it runs before these) looks every {@code X-API-Key} up and refuses an
 * unknown one with {@code 401 invalid_api_key}; {@link ModelHandlers} compares the admin token in constant time
 * and answers {@code 403} when admin calls are off. A missing credential gets its stable error code from
 * {@link #missingCredential(RoutingContext)}.
 */
final class ContractSecurity {

  static final String API_KEY_SCHEME = "ApiKeyAuth";
  static final String ADMIN_TOKEN_SCHEME = "AdminToken";

  private ContractSecurity() {
  }

  static void bind(RouterBuilder builder) {
    builder.security(API_KEY_SCHEME).apiKeyHandler(APIKeyHandler.create(present()).header(ApiVerticle.API_KEY_HEADER));
    builder.security(ADMIN_TOKEN_SCHEME)
        .apiKeyHandler(APIKeyHandler.create(present()).header(ModelHandlers.ADMIN_TOKEN_HEADER));
  }

  /** A provider that accepts any value: the header's presence is all this layer checks (see the class comment). */
  private static AuthenticationProvider present() {
    return credentials -> credentials instanceof TokenCredentials token
        ? Future.succeededFuture(User.fromToken(token.getToken()))
        : Future.failedFuture("no credential");
  }

  /**
   * The error for a request the router refused for want of a credential, named after what the operation needs.
   */
  static ApiError missingCredential(RoutingContext ctx) {
    boolean admin = ctx.currentRoute() != null
        && ctx.currentRoute().getMetadata(RouterBuilder.KEY_META_DATA_OPERATION) instanceof Operation operation
        && operation.getSecurityRequirements().stream().anyMatch(r -> r.getNames().contains(ADMIN_TOKEN_SCHEME));
    return admin
        ? new ApiError(401, "admin_token_required", "this call needs the admin token in "
            + ModelHandlers.ADMIN_TOKEN_HEADER)
        : new ApiError(401, "api_key_required", "this operation needs an API key in " + ApiVerticle.API_KEY_HEADER);
  }
}
