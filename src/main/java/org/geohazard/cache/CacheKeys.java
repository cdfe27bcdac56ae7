package org.geohazard.cache;

import java.util.Locale;

/** Redis key names, in one place. */
public final class CacheKeys {
  private CacheKeys() {}

  /** The analysis of some content, by its SHA-256: {@code {image_id, analysis}}. */
  public static String analysis(String sha256) {
    return "analysis:" + sha256;
  }

  /** The full result document of a completed image. */
  public static String result(String imageId) {
    return "result:" + imageId;
  }

  /** Tiles done / total of a scene being analysed in tiles: {@code {tiles_done, tiles_total}}. */
  public static String progress(String imageId) {
    return "progress:" + imageId;
  }

  /** Bumped by every new or merged alert; part of every cached alert query key. */
  public static final String ALERTS_GENERATION = "alerts:generation";

  /** A cached active-alerts answer; coordinates rounded to ~1 m so equal queries share an entry. */
  public static String activeAlerts(long generation, double latitude, double longitude, double radiusKm, int limit) {
    return String.format(Locale.ROOT, "alerts:active:%d:%.5f:%.5f:%.3f:%d", generation, latitude, longitude,
        radiusKm, limit);
  }

  /** Rate-limit counter of one client (api key id or address) in one fixed window. */
  public static String rateWindow(String client, long window) {
    return "ratelimit:" + client + ":" + window;
  }

  /** What one client uploaded ({@code kind}: bytes or pixels) in one fixed window, for the cost quota. */
  public static String costWindow(String kind, String client, long window) {
    return "quota:" + kind + ":" + client + ":" + window;
  }
}
