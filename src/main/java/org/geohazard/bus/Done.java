package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply of a command that has nothing to say but that it is done.
 */
public record Done() {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
    ;
  }

  public static Done fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "Done");
    return new Done(
);
  }
}
