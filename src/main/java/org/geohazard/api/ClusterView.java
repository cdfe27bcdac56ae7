package org.geohazard.api;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Membership;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.NodeHeartbeat;

/**
 * What this API instance knows of the cluster: the cluster manager's members, each with its latest heartbeat.
 * The cluster endpoint, the model registry, the upload path (which model versions are served now) and the admin
 * calls (which nodes run inference) read it. A member whose last heartbeat is older than three intervals is
 * stale (dead or cut off, until the cluster manager drops it); one not heard yet is joining.
 */
final class ClusterView {

  static final Duration STALE_AFTER = Duration.ofMillis(3 * Addresses.HEARTBEAT_INTERVAL_MS);

  /** One member as last heard. */
  record Member(String memberId, Optional<NodeHeartbeat> heartbeat, Optional<Instant> heardAt, boolean stale) {
    boolean up() {
      return heartbeat.isPresent() && !stale;
    }
  }

  private record Heard(NodeHeartbeat heartbeat, Instant at) {}

  private final Membership membership;
  private final Map<String, Heard> latest = new ConcurrentHashMap<>();

  ClusterView(Vertx vertx, Membership membership) {
    this.membership = membership;
    Addresses.CLUSTER_HEARTBEAT.subscribe(vertx.eventBus(),
        beat -> latest.put(beat.memberId(), new Heard(beat, Instant.now())));
  }

  Membership membership() {
    return membership;
  }

  /** The members now, in the cluster manager's order; members that left are forgotten. */
  List<Member> members() {
    Instant now = Instant.now();
    List<String> ids = membership.members();
    latest.keySet().retainAll(ids);
    List<Member> members = new ArrayList<>(ids.size());
    for (String id : ids) {
      Heard heard = latest.get(id);
      members.add(heard == null ? new Member(id, Optional.empty(), Optional.empty(), false)
          : new Member(id, Optional.of(heard.heartbeat()), Optional.of(heard.at()),
              heard.at().plus(STALE_AFTER).isBefore(now)));
    }
    return members;
  }

  Optional<NodeHeartbeat> self() {
    return Optional.ofNullable(latest.get(membership.self())).map(Heard::heartbeat);
  }

  /**
   * The versions of the models live members serve (shadows excluded): an analysis by any other model is out of
   * date. Empty while no worker has been heard from (a node just started), which callers read as "not known".
   */
  Set<String> servedModels() {
    Set<String> versions = new LinkedHashSet<>();
    for (Member member : members()) {
      if (member.up()) {
        for (ModelSummary model : member.heartbeat().get().models()) {
          if (!model.shadow()) {
            versions.add(model.version());
          }
        }
      }
    }
    return versions;
  }

  /** Live members that run inference. */
  List<Member> inferenceMembers() {
    return members().stream()
        .filter(m -> m.up() && m.heartbeat().get().roles().contains("inference"))
        .toList();
  }
}
