package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.geohazard.bus.BatchEntry;
import org.geohazard.bus.BatchService;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.UploadPairing;
import org.geohazard.image.InvalidImageException;
import org.geohazard.reference.SceneSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code analyzeSingle} and {@code analyzeBatch}: multipart uploads into the pipeline. */
final class UploadHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(UploadHandlers.class);

  static final String SINGLE = "analyzeSingle";
  static final String BATCH = "analyzeBatch";

  private final Vertx vertx;
  private final IngestService ingest;
  private final Uploads uploads;
  private final MultipartForm singleForm;
  private final MultipartForm batchForm;
  private final int maxBatchFiles;
  private final Erasure erasure;

  UploadHandlers(Vertx vertx, IngestService ingest, Uploads uploads, OpenAPIContract contract, int maxBatchFiles,
                 Erasure erasure) {
    this.vertx = vertx;
    this.erasure = erasure;
    this.ingest = ingest;
    this.uploads = uploads;
    this.singleForm = new MultipartForm(contract, SINGLE);
    this.batchForm = new MultipartForm(contract, BATCH);
    this.maxBatchFiles = maxBatchFiles;
  }

  void single(RoutingContext ctx) {
    JsonObject form = singleForm.toJson(ctx.request().formAttributes(), ctx.fileUploads());
    List<FileUpload> files = filesNamed(ctx, "file");
    if (files.size() != 1) {
      throw new Failure(files.isEmpty() ? Failure.Code.MISSING_FILE : Failure.Code.INVALID_REQUEST,
          "exactly one 'file' part is required, got " + files.size());
    }
    singleForm.validate(form);
    String before = form.getString("before_image_id");
    boolean auto = "auto".equals(form.getString("before"));
    if (auto && before != null) {
      throw Failure.invalidRequest("give either before_image_id (your own earlier upload) or before=auto (the node"
          + " chooses one), not both");
    }
    String otherSensor = form.getString("other_sensor_image_id");
    IngestService.Upload upload = upload(files.get(0), form, ctx);
    Future<IngestService.Upload> withOther = otherSensor == null ? Future.succeededFuture(upload)
        : ownScene(ctx, "other_sensor_image_id", otherSensor).compose(content -> otherSensorScene(content))
            .map(upload::withOtherSensor);
    Future<IngestService.Outcome> outcome = withOther.compose(ready -> auto ? ingest.ingestAuto(ready)
        : before == null ? ingest.ingest(ready)
        : ownScene(ctx, "before_image_id", before).compose(content -> ingest.ingestPair(
            ready.withPairing(UploadPairing.named(before)), content)));
    outcome.onSuccess(done -> respond(ctx, done)).onFailure(ctx::fail);
  }

  /**
   * The content of the caller's own earlier upload named in {@code field} (a before scene, or another sensor's
   * scene): an id another tenant made is answered as an unknown one (404), as every read by id is
   * ({@link Uploads}).
   */
  private Future<ImageClaim> ownScene(RoutingContext ctx, String field, String uploadId) {
    try {
      UUID.fromString(uploadId);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Failure.invalidRequest(field + " must be an image id (a UUID), got '"
          + uploadId + "'"));
    }
    return uploads.visible(ctx, uploadId)
        .recover(error -> Future.failedFuture(error instanceof Failure failure
            && failure.code() == Failure.Code.NOT_FOUND
            ? Failure.notFound(field + ": no image with id " + uploadId) : error))
        .compose(upload -> ServiceBus.client(vertx.eventBus(), ImageService.class).content(upload.imageId()));
  }

  /**
   * Another sensor's scene as it can be looked at: stored here (not read by reference) and itself looked at alone
   * or as a pair, never with a third scene (the node looks one level deep). Its sensor and footprint are checked
   * against the upload when the upload is read ({@link IngestService}).
   */
  private static Future<ImageClaim> otherSensorScene(ImageClaim content) {
    if (SceneSpec.isReference(content.objectKey())) {
      return Future.failedFuture(new Failure(Failure.Code.INVALID_IMAGE, "other sensor's scene refused: it was"
          + " analysed by reference; upload it to look at it with another scene"));
    }
    if (content.otherSensor() != null) {
      return Future.failedFuture(new Failure(Failure.Code.INVALID_IMAGE, "other sensor's scene refused: that upload"
          + " was itself looked at with another sensor's scene; name an upload of it made without"
          + " other_sensor_image_id"));
    }
    return Future.succeededFuture(content);
  }

  /**
   * {@code POST /api/v1/results/{image_id}/reanalyze}: the content of an upload the caller may see queued again, by
   * the models served or one named (its analysis is shared: every upload of the same bytes gets the new one).
   */
  void reanalyse(RoutingContext ctx) {
    String uploadId = QueryHandlers.uuidPathParameter(ctx, "image_id");
    uploads.visible(ctx, uploadId)
        .compose(upload -> ingest.reanalyse(upload.imageId(), ctx.request().getParam("model_version"),
                ctx.get(ApiVerticle.API_KEY_ID))
            .map(outcome -> outcome.asUpload(upload.uploadId(), upload.filename())))
        .onSuccess(outcome -> respond(ctx, outcome))
        .onFailure(ctx::fail);
  }

  /**
   * {@code DELETE /api/v1/results/{image_id}}: an upload the caller may see (its owner, an operator, or anyone for
   * an anonymous upload, whose id is its capability), deleted with whatever only it referred to
   * ({@link Erasure}). Another tenant's upload is not found, as an unknown or already deleted one is.
   */
  void delete(RoutingContext ctx) {
    String uploadId = QueryHandlers.uuidPathParameter(ctx, "image_id");
    uploads.visible(ctx, uploadId)
        .compose(upload -> erasure.delete(upload.uploadId()))
        .onSuccess(deleted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  void batch(RoutingContext ctx) {
    JsonObject form = batchForm.toJson(ctx.request().formAttributes(), ctx.fileUploads());
    List<FileUpload> files = filesNamed(ctx, "files");
    if (files.isEmpty()) {
      throw new Failure(Failure.Code.MISSING_FILE, "at least one 'files' part is required");
    }
    if (files.size() > maxBatchFiles) {
      throw new Failure(Failure.Code.TOO_MANY_FILES, "a batch holds at most " + maxBatchFiles + " files, got " + files.size());
    }
    batchForm.validate(form);
    String batchId = UUID.randomUUID().toString();
    List<Future<JsonObject>> items = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      int index = i;
      FileUpload file = files.get(i);
      items.add(ingest.ingest(upload(file, form, ctx))
          .map(outcome -> new JsonObject().put("index", index).put("filename", UploadNames.forStorage(file.fileName()))
              .put("image_id", outcome.imageId()).put("status", outcome.status().wireName()).put("cached", outcome.cached()))
          .recover(error -> {
            Failure api = itemRefusal(error);
            if (api.code() == Failure.Code.UNAVAILABLE) {
              LOG.warn("batch {} file {} not taken: {}", batchId, index, error.toString());
            }
            return Future.succeededFuture(new JsonObject().put("index", index).put("filename", UploadNames.forStorage(file.fileName()))
                .put("status", "rejected").put("cached", false)
                .put("error", new JsonObject().put("code", api.code().wireName()).put("message", api.getMessage())
                    .put("request_id", RequestIds.of(ctx))));
          }));
    }
    Future.all(items)
        .compose(all -> {
          JsonArray list = new JsonArray();
          List<BatchEntry> rows = new ArrayList<>();
          for (Future<JsonObject> item : items) {
            JsonObject it = item.result();
            list.add(it);
            JsonObject error = it.getJsonObject("error");
            rows.add(new BatchEntry(it.getInteger("index"), it.getString("filename"), it.getString("image_id"),
                error == null ? null : error.getString("code"), error == null ? null : error.getString("message")));
          }
          return ServiceBus.client(vertx.eventBus(), BatchService.class).create(batchId, Uploads.owner(ctx), rows)
              .map(v -> list);
        })
        .onSuccess(list -> {
          int rejected = 0;
          for (Object item : list) {
            if ("rejected".equals(((JsonObject) item).getString("status"))) {
              rejected++;
            }
          }
          JsonObject body = new JsonObject().put("batch_id", batchId).put("total", list.size())
              .put("accepted", list.size() - rejected).put("rejected", rejected).put("items", list)
              .put("links", new JsonObject().put("self", "/api/v1/batches/" + batchId));
          ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(body.encode());
        })
        .onFailure(ctx::fail);
  }

  /**
   * Why one file of a batch was not taken. An invalid file and one over the cost quota are refused alone (nothing of
   * them stored), and so is one that met an outage: the batch's other files were stored and queued already, so the
   * batch is still recorded with this one rejected as {@code unavailable} (send it again) rather than answered 503
   * as a whole, which left the taken files in no batch and had a retrying client send (and be charged for) them twice.
   * The outage's own text stays in the log.
   */
  static Failure itemRefusal(Throwable error) {
    if (error instanceof InvalidImageException invalid) {
      return ErrorResponses.of(invalid);
    }
    Failure failure = Failure.of(error);
    if (failure.code() == Failure.Code.RATE_LIMITED || !failure.code().retryable()) {
      return failure;
    }
    return new Failure(Failure.Code.UNAVAILABLE, "this file was not taken: a part of the service did not answer;"
        + " send it again");
  }

  private static List<FileUpload> filesNamed(RoutingContext ctx, String field) {
    List<FileUpload> files = new ArrayList<>();
    for (FileUpload upload : ctx.fileUploads()) {
      if (field.equals(upload.name())) {
        files.add(upload);
      }
    }
    return files;
  }

  private static IngestService.Upload upload(FileUpload file, JsonObject form, RoutingContext ctx) {
    Long apiKeyId = ctx.get(ApiVerticle.API_KEY_ID);
    Long ownerId = Uploads.owner(ctx);
    String filename = UploadNames.forStorage(file.fileName());
    return new IngestService.Upload(Path.of(file.uploadedFileName()), filename, form.getDouble("latitude"),
        form.getDouble("longitude"), form.getDouble("gsd_m"), form.getString("bands"), form.getString("sensor"),
        form.getString("priority", "normal"), apiKeyId, ownerId,
        quotaClient(ctx, apiKeyId));
  }

  /** Whose cost quota an upload is charged to: its key's, else its client address's. */
  static String quotaClient(RoutingContext ctx, Long apiKeyId) {
    return apiKeyId != null ? "key:" + apiKeyId : "ip:" + ctx.get(Admission.CLIENT_ADDRESS);
  }

  static void respond(RoutingContext ctx, IngestService.Outcome outcome) {
    JsonObject body = new JsonObject()
        .put("image_id", outcome.imageId())
        .put("status", outcome.status().wireName())
        .put("sha256", outcome.sha256())
        .put("cached", outcome.cached())
        .put("filename", outcome.filename());
    if (outcome.completed()) {
      body.put("analysis", outcome.analysis());
    }
    if (outcome.pairing() != null) {
      body.put("pairing", outcome.pairing().toJson());
    }
    body.put("links", new JsonObject().put("self", "/api/v1/results/" + outcome.imageId()));
    ctx.response().setStatusCode(outcome.completed() ? 200 : 202)
        .putHeader("Content-Type", "application/json")
        .putHeader("Location", "/api/v1/results/" + outcome.imageId())
        .end(body.encode());
  }
}
