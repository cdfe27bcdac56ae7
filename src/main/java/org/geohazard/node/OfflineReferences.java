package org.geohazard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.geohazard.bus.Failure;
import org.geohazard.config.AppConfig;
import org.geohazard.image.ImageLimits;
import org.geohazard.inference.ReferenceScenes;
import org.geohazard.reference.ReferenceRefused;
import org.geohazard.reference.ReferenceSources;
import org.geohazard.reference.SceneReference;
import org.geohazard.reference.SceneSpec;
import org.geohazard.reference.StacItem;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;

/**
 * The offline CLI's references ({@code analyze --reference URL}, {@code --stac ITEM}) under the same rules as a
 * node's: {@code s3://} in the configured store's bucket, {@code https://} only as {@code references.*} allows. The
 * store client (and the Vert.x instance the https client needs) is made on first use only, so that analysing files
 * needs no store.
 */
final class OfflineReferences implements AutoCloseable {

  private final AppConfig config;
  private Vertx vertx;
  private S3ObjectStore store;
  private ReferenceSources sources;
  private ReferenceScenes scenes;

  OfflineReferences(AppConfig config) {
    this.config = config;
  }

  ReferenceScenes scenes() {
    open();
    return scenes;
  }

  /**
   * The recorded form of a GeoTIFF reference, or of a STAC Item: a file, or a URL read under the same rules.
   *
   * @throws Failure ({@code invalid_request}) naming why it is refused
   */
  String spec(String input, boolean stac) throws IOException {
    try {
      if (!stac) {
        return SceneSpec.of(SceneReference.parse(input)).text();
      }
      byte[] bytes;
      URI fetchedFrom = null;
      if (input.startsWith("s3://") || input.startsWith("https://") || input.startsWith("http://")) {
        SceneReference at = SceneReference.parse(input);
        open();
        bytes = sources.readSmall(at, StacItem.MAX_JSON_BYTES);
        fetchedFrom = at.uri();
      } else {
        Path file = Path.of(input);
        if (Files.size(file) > StacItem.MAX_JSON_BYTES) {
          throw new ReferenceRefused(input + " is larger than a STAC Item (" + StacItem.MAX_JSON_BYTES + " bytes)");
        }
        bytes = Files.readAllBytes(file);
      }
      JsonObject item;
      try {
        item = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
      } catch (DecodeException | ClassCastException e) {
        throw new ReferenceRefused(input + " is not a JSON object (a STAC Item).");
      }
      return SceneSpec.of(StacItem.parse(item, fetchedFrom)).text();
    } catch (ReferenceRefused e) {
      throw new Failure(Failure.Code.INVALID_REQUEST, e.getMessage());
    } catch (ObjectStore.MissingObjectException e) {
      throw new Failure(Failure.Code.INVALID_REQUEST, "there is no STAC Item at " + input);
    }
  }

  private void open() {
    if (scenes == null) {
      vertx = Vertx.vertx();
      store = new S3ObjectStore(vertx, config.s3());
      sources = ReferenceSources.of(vertx, store, config.references());
      scenes = new ReferenceScenes(sources, ImageLimits.of(config.limits()));
    }
  }

  @Override
  public void close() throws Exception {
    if (store != null) {
      store.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
