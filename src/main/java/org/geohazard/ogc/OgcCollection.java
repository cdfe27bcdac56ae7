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
          + " Filters: bbox, datetime (when the result was completed).");

  // A third collection, flood extents (the polygons of a result's flood mask), belongs here once results carry
  // them (the `extent` key of the result document, not merged yet): see docs/DECISIONS.md, "OGC API - Features".

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
