package org.geohazard.ogc;

import java.util.Optional;

/** The feature collections the node serves at {@code /ogc/collections}. */
public enum OgcCollection {
  ALERTS("alerts", "Alerts",
      "Published landslide and flood alerts, active and historical: one Point per alert at its centre, with its type,"
          + " severity, state, expiry and evidence. Filters: bbox, datetime (when raised), type, severity."),
  DETECTIONS("detections", "Detections",
      "Georeferenced detections of completed results the caller may see (its own tenant's uploads; an operator's"
          + " key: every upload; anonymous: none): one Polygon per detection, its footprint on the ground."
          + " Filters: bbox, datetime (when the result was completed)."),
  FLOOD_EXTENTS("flood_extents", "Flood extents",
      "The flooded polygons of completed results the caller may see (the same rule as detections): one Polygon"
          + " (holes kept) per region of a result's flood mask, with its area, mean flood probability, the mask"
          + " model and the result's total flooded area. Filters: bbox (the polygon's envelope meets it), datetime"
          + " (when the result was completed).");

  private final String id;
  private final String title;
  private final String description;

  OgcCollection(String id, String title, String description) {
    this.id = id;
    this.title = title;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  public static Optional<OgcCollection> byId(String id) {
    for (OgcCollection collection : values()) {
      if (collection.id.equals(id)) {
        return Optional.of(collection);
      }
    }
    return Optional.empty();
  }
}
