package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.APIKeyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.geohazard.bus.Failure;
import org.geohazard.auth.Access;
import org.geohazard.auth.Scope;

/**
 * Who may call what, from the contract and nowhere else. {@code openapi.yaml} declares per operation which
 * alternatives let a caller in: {@code {ApiKeyAuth: [operate]}} (a key holding that scope), {@code {AdminToken: []}}
 * (the admin token), {@code {}} (no credential, when the deployment grants anonymous callers the key alternative's
 * scopes, {@code security.anonymousScopes}).
 *
 * <p>Two steps. The router's own security handlers, bound here, only check that a required header is there (a
 * missing one gets its stable code from {@link #missingCredential(RoutingContext)}). Then {@link #authorizer}, the
 * first handler of every operation's route (see {@code ApiVerticle#bind}), reads the operation's requirements from
 * the route and decides with {@link Access}: a key lacking the scope gets {@code 403 insufficient_scope} naming it.
 * What a key is worth was settled before, once, by {@link Admission} (a root handler): an unknown, revoked or
 * expired key is refused there with {@code 401 invalid_api_key}, a known one leaves its scopes on the context.
 */
final class ContractSecurity {

  static final String API_KEY_SCHEME = "ApiKeyAuth";
  static final String ADMIN_TOKEN_SCHEME = "AdminToken";

  /** Only for the wording of the missing-credential error: no anonymous rights, no token. */
  private static final Access NOBODY = new Access(Set.of(), "");

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

  /** The handler that enforces the operation's declared scopes; the route's first handler. */
  static Handler<RoutingContext> authorizer(Access access) {
    return ctx -> {
      Access.Decision decision = access.decide(alternatives(ctx), caller(ctx));
      if (decision.allowed()) {
        ctx.next();
      } else {
        // An unread body (an upload refused before its BodyHandler) is drained and dropped; one the contract's
        // validation has read already cannot be resumed.
        if (!ctx.request().isEnded()) {
          ctx.request().resume();
        }
        ErrorResponses.send(ctx, new Failure(Failure.Code.fromWire(decision.code()), decision.message()));
      }
    };
  }

  /** What the request brought: the scopes of its (valid) key, the admin token it sent. */
  static Access.Caller caller(RoutingContext ctx) {
    Set<Scope> scopes = ctx.get(ApiVerticle.API_KEY_SCOPES);
    return new Access.Caller(scopes, ctx.request().getHeader(ModelHandlers.ADMIN_TOKEN_HEADER));
  }

  /** Whether the caller's key grants {@code scope} (an anonymous caller: never). */
  static boolean keyGrants(RoutingContext ctx, Scope scope) {
    Set<Scope> scopes = ctx.get(ApiVerticle.API_KEY_SCOPES);
    return scopes != null && Scope.grants(scopes, scope);
  }

  /** The security alternatives {@code openapi.yaml} declares for the operation of the route reached. */
  static List<Access.Alternative> alternatives(RoutingContext ctx) {
    if (ctx.currentRoute() == null
        || !(ctx.currentRoute().getMetadata(RouterBuilder.KEY_META_DATA_OPERATION) instanceof Operation operation)) {
      return List.of();
    }
    return ALTERNATIVES.computeIfAbsent(operation, ContractSecurity::alternatives);
  }

  /** Per operation object (the contract's, made once when it loads): asked on every request. */
  private static final Map<Operation, List<Access.Alternative>> ALTERNATIVES = new ConcurrentHashMap<>();

  static List<Access.Alternative> alternatives(Operation operation) {
    List<Access.Alternative> out = new ArrayList<>();
    for (SecurityRequirement requirement : operation.getSecurityRequirements()) {
      Set<String> names = requirement.getNames();
      Set<Scope> keyScopes = names.contains(API_KEY_SCHEME) ? Scope.of(requirement.getScopes(API_KEY_SCHEME)) : null;
      out.add(new Access.Alternative(names.isEmpty(), names.contains(ADMIN_TOKEN_SCHEME), keyScopes));
    }
    return List.copyOf(out);
  }

  /**
   * The error for a request the router refused for want of a credential, named after what the operation needs.
   */
  static Failure missingCredential(RoutingContext ctx) {
    Access.Decision decision = NOBODY.decide(alternatives(ctx), new Access.Caller(null, null));
    return decision.allowed()
        ? new Failure(Failure.Code.API_KEY_REQUIRED, "this operation needs an API key in " + ApiVerticle.API_KEY_HEADER)
        : new Failure(Failure.Code.fromWire(decision.code()), decision.message());
  }
}
