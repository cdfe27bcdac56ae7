package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * How one upload's before scene was chosen (issue 22): named by the upload ({@code before_image_id}) or by the node
 * ({@code before=auto}), or none found. It belongs to the upload, not to the analysis: the analysis of some content
 * is shared by every upload of the same bytes, while which earlier upload was used, and why, is the uploader's own.
 *
 * @param mode how it was asked for
 * @param beforeImageId the upload used as the before scene (null: the scene was analysed alone)
 * @param reason for an operator: why this one, or why none
 */
public record UploadPairing(Mode mode, String beforeImageId, String reason) {

  /** How the before scene was asked for. */
  public enum Mode {
    /** The upload named it ({@code before_image_id}). */
    NAMED,
    /** The node chose it among the caller's earlier scenes ({@code before=auto}). */
    AUTO;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode fromWire(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /** The longest reason kept ({@code uploads.pairing_reason}); a longer one is cut there. */
  public static final int MAX_REASON = 500;

  public UploadPairing {
    if (reason != null && reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON - 1) + "…";
    }
    if (mode == null) {
      throw new IllegalArgumentException("a pairing has a mode");
    }
    if (mode == Mode.NAMED && beforeImageId == null) {
      throw new IllegalArgumentException("a named pairing names its before scene");
    }
  }

  public static UploadPairing named(String beforeImageId) {
    return new UploadPairing(Mode.NAMED, beforeImageId, "named by the upload (before_image_id)");
  }

  /** As the API shows it: {@code {mode, before_image_id, reason}}, {@code before_image_id} null when alone. */
  public JsonObject toJson() {
    return new JsonObject().put("mode", mode.wireName()).put("before_image_id", beforeImageId).put("reason", reason);
  }
}
