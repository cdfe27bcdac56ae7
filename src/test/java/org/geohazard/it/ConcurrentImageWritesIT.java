package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageRegistration;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.Messages;
import org.geohazard.bus.PredictionSaved;
import org.geohazard.bus.Priority;
import org.geohazard.bus.ServiceBus;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.persistence.PersistenceVerticle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writes the pipeline makes to one image's row from concurrent sessions, on the real MariaDB through the
 * persistence verticle's own pool (issue 26: the pipeline benchmark logged two deadlocks, error 1213, in a call
 * made outside a retried transaction). While the analyses of a batch of images are saved, the consumer renews its
 * holds on all of them, the API marks their claims queued, and a redelivered claim asks to start each one: every
 * one of those statements locks rows that a save is locking at the same moment. None of them may fail, and every
 * analysis is stored once.
 */
class ConcurrentImageWritesIT {

  private static final int IMAGES = 32;
  /** Separate batches, so that a lucky interleaving in one does not hide the deadlock. */
  private static final int ROUNDS = 16;
  private static final int RENEWERS = 16;
  private static final int MARKERS = 4;
  private static final int STARTERS = 4;
  private static final String OWNER = "it-consumer";
  private static final long LEASE_MS = 120_000;
  private static final String MODEL = "it-model";

  private Vertx vertx;
  private ImageService images;
  private TestDatabase db;

  @BeforeEach
  void deployPersistence() {
    Map<String, String> env = new HashMap<>(LocalStack.env());
    env.putAll(TestIsolation.overrides(LocalStack.env()));
    env.put("GEOHAZARD_MODEL_PATHS", org.geohazard.testing.StandinCard.model().toString());
    // Sessions for every statement below at once (the collisions are between sessions) and as many again for the
    // saves: with no more sessions than loops, a save waited behind the loops' calls for a connection, and on a
    // loaded machine past the pool's 5 s wait ("Timeout waiting for connection"), which is not what this tests.
    env.put("GEOHAZARD_DB_POOL_SIZE", String.valueOf(2 * (RENEWERS + MARKERS + STARTERS)));
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, env, new Properties()));
    vertx = Vertx.vertx();
    Messages.registerCodecs(vertx.eventBus());
    TestNode.await(vertx.deployVerticle(new PersistenceVerticle(config.db(), 30, false,
        new AppConfig.Retention(0, 0, 0, 0, 0), deleted -> Future.succeededFuture(), outcome -> { })));
    images = ServiceBus.client(vertx.eventBus(), ImageService.class, new DeliveryOptions().setSendTimeout(60_000));
    db = new TestDatabase(vertx, config.db());
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
    TestNode.await(vertx.close());
  }

  @Test
  void savingAnalysesWhileTheirRowsAreRenewedMarkedAndStartedFailsNoCall() {
    for (int round = 0; round < ROUNDS; round++) {
      List<String> ids = registeredAndStarted();
      List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean saving = new AtomicBoolean(true);
      List<Future<?>> lockers = new ArrayList<>();
      for (int i = 0; i < RENEWERS; i++) {
        lockers.add(whileSaving(saving, failures, () -> images.renew(OWNER, ids, LEASE_MS)));
      }
      for (int i = 0; i < MARKERS; i++) {
        lockers.add(whileSaving(saving, failures, () -> images.markQueued(ids)));
      }
      for (int i = 0; i < STARTERS; i++) {
        // Another consumer given the same claims (a rebalance): refused while OWNER holds them, stale once saved.
        int first = i;
        lockers.add(whileSaving(saving, failures, () -> images.start(ids.get((first * 7) % IMAGES), 1,
            "it-other-consumer", LEASE_MS)));
      }
      List<Future<PredictionSaved>> saves = new ArrayList<>();
      for (String id : ids) {
        saves.add(images.savePrediction(id, analysis()));
      }
      TestNode.await(Future.join(saves).eventually(() -> {
        saving.set(false);
        return Future.join(lockers);
      }));

      assertThat(failures).as("calls that failed beside the saves (round %d)", round).isEmpty();
      for (Future<PredictionSaved> save : saves) {
        assertThat(save.succeeded()).as("save: %s", save.cause()).isTrue();
        assertThat(save.result().stored()).isTrue();
        assertThat(save.result().result().status()).isEqualTo(ImageStatus.COMPLETED);
      }
      assertThat(predictionsOf(ids)).isEqualTo(IMAGES);
    }
  }

  @Test
  void aRedeliveredClaimSavedTwiceAtOnceIsStoredOnce() {
    List<String> ids = registeredAndStarted();
    List<Future<PredictionSaved>> saves = new ArrayList<>();
    for (String id : ids) {
      saves.add(images.savePrediction(id, analysis()));
      saves.add(images.savePrediction(id, analysis()));
    }
    TestNode.await(Future.join(saves));

    for (int i = 0; i < saves.size(); i += 2) {
      assertThat(saves.get(i).succeeded()).as("save: %s", saves.get(i).cause()).isTrue();
      assertThat(saves.get(i + 1).succeeded()).as("save: %s", saves.get(i + 1).cause()).isTrue();
      // One of the two stored it; the other found it stored.
      assertThat(saves.get(i).result().stored()).isNotEqualTo(saves.get(i + 1).result().stored());
    }
    assertThat(predictionsOf(ids)).isEqualTo(IMAGES);
  }

  /** Calls {@code call} again and again until the saves are done, keeping each failure. */
  private static Future<Void> whileSaving(AtomicBoolean saving, List<Failure> failures, Supplier<Future<?>> call) {
    return call.get()
        .<Void>transform(done -> {
          if (done.failed()) {
            failures.add(Failure.of(done.cause()));
          }
          return saving.get() ? whileSaving(saving, failures, call) : Future.succeededFuture();
        });
  }

  /** {@value #IMAGES} new images, each taken by {@link #OWNER} as the consumer would. */
  private List<String> registeredAndStarted() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      String id = UUID.randomUUID().toString();
      String sha256 = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
      TestNode.await(images.register(new ImageRegistration(id, sha256, "images/sha256/" + sha256, "f.png",
          "image/png", 1000, 640, 480, 3, 8, null, null, null, Priority.NORMAL, null, null, null, List.of(), null)));
      assertThat(TestNode.await(images.start(id, 1, OWNER, LEASE_MS)).analyse()).isTrue();
      ids.add(id);
    }
    return ids;
  }

  private long predictionsOf(List<String> ids) {
    return db.count("SELECT COUNT(*) FROM ml_predictions WHERE model_version = ? AND image_id IN ("
        + String.join(",", Collections.nCopies(ids.size(), "?")) + ")", prepend(MODEL, ids));
  }

  private static Object[] prepend(Object first, List<String> rest) {
    List<Object> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all.toArray();
  }

  private static Analysis analysis() {
    return new Analysis(0.0, 0.1, RiskLevel.LOW, RiskLevel.LOW, 0, 0, Map.of(), 0.5, RiskLevel.LOW, List.of(), 10.0,
        MODEL, List.of(), 640, 480, Analysis.Georeference.NONE, 1, Instant.EPOCH);
  }
}
