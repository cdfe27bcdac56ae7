package org.geohazard.auth;

import java.util.Set;

/**
 * Who may see what a caller made: uploads (their results, GeoJSON, analyses, re-analysis) and batches. Webhooks
 * and usage are kept per tenant by their stores' queries ({@code WHERE api_key_id = ?}), with the same outcome.
 *
 * <ul>
 *   <li>A <b>tenant</b> is a key and its rotations (the first key of the chain, {@code api_keys.tenant_id}): what
 *       one key made, its successor after a rotation sees too.</li>
 *   <li>What a tenant made is seen by that tenant and by the service's <b>operators</b> (keys with {@code operate};
 *       {@code admin} holds it), who review held alerts and their source uploads. Any other caller is told it does
 *       not exist (404, never 403: a refusal would confirm the id).</li>
 *   <li>An <b>anonymous</b> upload or batch belongs to nobody: its unguessable id (a random UUID, handed only to
 *       the uploader) is the capability to read it, as before tenants existed; operators see it too. A key holder
 *       who uploads without the key gives up the protection.</li>
 * </ul>
 */
public final class Tenancy {

  /**
   * Who asks: the tenant of its key (null: anonymous) and whether it is an operator.
   */
  public record Viewer(Long tenantId, boolean operator) {
    public static final Viewer ANONYMOUS = new Viewer(null, false);

    /** The viewer a key with these scopes is (null scopes: no key). */
    public static Viewer of(Long tenantId, Set<Scope> scopes) {
      return new Viewer(tenantId, scopes != null && Scope.grants(scopes, Scope.OPERATE));
    }
  }

  private Tenancy() {
  }

  /** Whether {@code viewer} may see (and act on) what {@code ownerId} made (null: made anonymously). */
  public static boolean maySee(Long ownerId, Viewer viewer) {
    return ownerId == null || viewer.operator() || ownerId.equals(viewer.tenantId());
  }
}
