package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.geohazard.bus.Failure;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageFormat;
import org.geohazard.image.ImageInfo;
import org.geohazard.image.ImageLimits;
import org.geohazard.reference.ReferenceRasters;
import org.geohazard.reference.ReferenceRefused;
import org.geohazard.reference.ReferenceSources;
import org.geohazard.reference.SceneReference;
import org.geohazard.reference.SceneSpec;
import org.geohazard.reference.StacItem;
import org.geohazard.storage.ObjectStore;

/**
 * {@code analyzeReference}: a scene analysed where it lies, named by an {@code s3://} or {@code https://} URL or by a
 * STAC Item (in the body or at a URL). Before anything is recorded, every object the reference names is opened under
 * the node's rules ({@link ReferenceSources}: its own bucket only; https only to allowed, public hosts) and its
 * GeoTIFF header read with the scene budget: a refused, missing or unreadable reference is a 4xx and changes
 * nothing. Then it is registered and queued as an upload is, its reference recorded in place of a copy; the worker
 * reads it by ranged requests.
 */
final class ReferenceHandlers {

  static final String OPERATION = "analyzeReference";
  /** A STAC Item at its largest, and the hints beside it. */
  static final int MAX_BODY_BYTES = StacItem.MAX_JSON_BYTES + 16 * 1024;
  /** Header blocks kept while the headers are checked (no pixel is decoded here). */
  private static final long HEADER_CHECK_CACHE_BYTES = 1L << 20;

  private final IngestService ingest;
  private final ReferenceSources sources;
  private final ImageLimits limits;
  private final WorkerExecutor workers;
  private final Validator validator;

  /** @param sources null when this node's store cannot be read by reference: every reference is refused */
  ReferenceHandlers(Vertx vertx, IngestService ingest, ReferenceSources sources, ImageLimits limits,
                    OpenAPIContract contract) {
    this.ingest = ingest;
    this.sources = sources;
    this.limits = limits;
    // A pool of its own, not the uploads' (IngestService's geohazard-ingest): a reference's header is read from
    // another server, range by range, and a slow allowed host would otherwise hold the threads every upload's probe
    // waits for.
    this.workers = vertx.createSharedWorkerExecutor("geohazard-references", 2);
    this.validator = contract.getSchemaRepository().validator(contract.operation(OPERATION).getRequestBody()
        .getContent().get("application/json").getSchema());
  }

  void analyze(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException e) {
      throw Failure.invalidRequest("the body is not JSON: " + e.getMessage());
    }
    if (body == null) {
      throw Failure.invalidRequest("the body must be a JSON object");
    }
    OutputUnit result = validator.validate(body);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw Failure.invalidRequest(MultipartForm.describe(result).replace("invalid form", "invalid body"));
    }
    int given = (body.containsKey("url") ? 1 : 0) + (body.containsKey("stac_item") ? 1 : 0)
        + (body.containsKey("stac_url") ? 1 : 0);
    if (given != 1) {
      throw Failure.invalidRequest("give exactly one of 'url' (s3:// or https://), 'stac_item' (a STAC Item) or "
          + "'stac_url' (where one is); got " + given);
    }
    Long apiKeyId = ctx.get(ApiVerticle.API_KEY_ID);
    Long ownerId = Uploads.owner(ctx);
    workers.executeBlocking(() -> check(body), false)
        .compose(checked -> ingest.ingestReference(new IngestService.Upload(null,
                UploadNames.forStorage(checked.spec().name()), body.getDouble("latitude"), body.getDouble("longitude"),
                body.getDouble("gsd_m"), body.getString("bands"), body.getString("sensor"),
                body.getString("priority", "normal"), apiKeyId, ownerId, UploadHandlers.quotaClient(ctx, apiKeyId)),
            checked.spec().text(), checked.spec().identity(checked.sizes()), checked.info(), checked.bytes()))
        .onSuccess(outcome -> UploadHandlers.respond(ctx, outcome))
        .onFailure(ctx::fail);
  }

  /** What was found at the reference: its recorded form, its header's facts, and the size of each object. */
  private record Checked(SceneSpec spec, ImageInfo info, List<Long> sizes, long bytes) {}

  /** On a worker thread: the reference parsed, allowed, and each object's GeoTIFF header read. */
  private Checked check(JsonObject body) throws Exception {
    if (sources == null) {
      throw Failure.invalidRequest("this node's object store is not one it reads references from");
    }
    SceneSpec spec = null;
    try {
      spec = spec(body);
      try (ReferenceRasters rasters = ReferenceRasters.open(sources, spec.references(), limits,
          HEADER_CHECK_CACHE_BYTES, 0)) {
        int[] factors = rasters.factors();
        GeoTiffRaster grid = rasters.rasters().get(0);
        for (int i = 0; i < factors.length; i++) {
          if (factors[i] == 1) {
            grid = rasters.rasters().get(i);
            break;
          }
        }
        int bands = spec.stac() ? referencesOfFirstView(spec) : grid.bandCount();
        long bytes = rasters.sizes().stream().mapToLong(Long::longValue).sum();
        return new Checked(spec, new ImageInfo(ImageFormat.TIFF, grid.width(), grid.height(), bands,
            grid.sampleType().bytes() * 8), rasters.sizes(), bytes);
      }
    } catch (ReferenceRefused e) {
      throw Failure.invalidRequest(e.getMessage());
    } catch (ObjectStore.MissingObjectException e) {
      throw new Failure(Failure.Code.INVALID_IMAGE, "The reference names no object: " + e.getMessage() + ".");
    } catch (IOException e) {
      // The node's own store not answering is an outage (503); another server not answering as a ranged source
      // should is the reference's fault (422).
      boolean store = spec != null ? spec.references().stream().allMatch(r -> r.scheme() == SceneReference.Scheme.S3)
          : String.valueOf(body.getValue("stac_url")).startsWith("s3://");
      throw new Failure(store ? Failure.Code.UNAVAILABLE : Failure.Code.INVALID_IMAGE,
          "The reference cannot be read: " + e.getMessage());
    }
  }

  private static int referencesOfFirstView(SceneSpec spec) throws ReferenceRefused {
    return spec.choose(List.of(spec.views().get(0))).bands().size();
  }

  /** The reference the body names; a STAC Item at a URL is fetched under the same rules as a scene. */
  private SceneSpec spec(JsonObject body) throws ReferenceRefused, IOException {
    if (body.getValue("url") instanceof String url) {
      return SceneSpec.of(SceneReference.parse(url));
    }
    if (body.getValue("stac_item") instanceof JsonObject item) {
      return SceneSpec.of(StacItem.parse(item, null));
    }
    SceneReference at = SceneReference.parse(body.getString("stac_url"));
    byte[] bytes;
    try {
      bytes = sources.readSmall(at, StacItem.MAX_JSON_BYTES);
    } catch (ObjectStore.MissingObjectException e) {
      throw new ReferenceRefused("There is no STAC Item at '" + at + "'.");
    }
    JsonObject item;
    try {
      item = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new ReferenceRefused("'" + at + "' is not a JSON object (a STAC Item).");
    }
    return SceneSpec.of(StacItem.parse(item, at.uri()));
  }
}
