package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One caller's upload of some content: its own id, file name, location hints, priority and time, and whom it
 * belongs to. The content itself (its analysis, status, size) is the image {@code imageId}, shared by every upload
 * of the same bytes; what an upload says is never shown to another tenant.
 *
 * @param uploadId the id the API hands back as {@code image_id}
 * @param imageId the content's id
 * @param location the uploader's point, if one was given
 * @param createdAt ISO-8601 UTC
 * @param ownerId the tenant it belongs to ({@code auth.Tenancy}); null for an anonymous upload
 * @param pairing how its before scene was chosen (null: it asked for none)
 */
public record Upload(String uploadId, String imageId, String filename, Location location, Priority priority,
                     String createdAt, Long ownerId, UploadPairing pairing) {

  /** An upload that asked for no before scene. */
  public Upload(String uploadId, String imageId, String filename, Location location, Priority priority,
                String createdAt, Long ownerId) {
    this(uploadId, imageId, filename, location, priority, createdAt, ownerId, null);
  }

  /**
   * The content's result document as this upload's uploader sees it: its own id, file name, point, priority and
   * time in place of whatever upload first brought the content (the status, analysis and timings are the
   * content's, shared), and how its before scene was chosen when it asked for one.
   */
  public JsonObject shown(JsonObject contentDocument) {
    JsonObject shown = contentDocument.copy()
        .put("image_id", uploadId)
        .put("filename", filename)
        .put("location", location == null ? null : location.toJson())
        .put("priority", priority.wireName())
        .put("created_at", createdAt);
    if (pairing != null) {
      shown.put("pairing", pairing.toJson());
    } else {
      shown.remove("pairing");
    }
    return shown;
  }
}
