package org.geohazard.reference;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.geohazard.detection.SceneView;

/**
 * What an analysis by reference reads, in the form it is recorded (the image row's {@code object_key}) and sent on a
 * claim: one GeoTIFF ({@code s3://bucket/key} or {@code https://host/path}: its bands as a stack, like an upload of
 * the file), or the bands of a STAC Item, per view the Item can make ({@code stac:} and JSON: the Item's id, its
 * self link, and for each view its band references in the order the view stacks them, hrefs already resolved). The
 * Item itself is not kept: only what a worker needs to read the scene again, re-analysis included.
 *
 * <p>An uploaded image's key ({@code images/sha256/...}) never contains {@code ://} nor starts with {@code stac:},
 * so {@link #isReference} tells the two apart.
 */
public final class SceneSpec {

  static final String STAC_PREFIX = "stac:";

  /**
   * The order in which a worker chooses among the views an Item can make: the spectral views first (what the
   * sensor adds to a photo; the flood composite sees water that true colour does not), colour last.
   */
  public static final List<SceneView> STAC_PREFERENCE = List.of(SceneView.SWIR_NIR_GREEN, SceneView.SAR_VV_PAIR,
      SceneView.TRUE_COLOUR, SceneView.RGB);

  /** The bands a worker reads: one reference (all its bands), or one single-band reference per band of a view. */
  public record Choice(Optional<SceneView> view, List<SceneReference> bands) {
    public Choice {
      bands = List.copyOf(bands);
    }
  }

  private final SceneReference single;
  private final String itemId;
  private final String itemSelf;
  private final Map<SceneView, List<SceneReference>> views;

  private SceneSpec(SceneReference single, String itemId, String itemSelf, Map<SceneView, List<SceneReference>> views) {
    this.single = single;
    this.itemId = itemId;
    this.itemSelf = itemSelf;
    this.views = views;
  }

  /** One GeoTIFF. */
  public static SceneSpec of(SceneReference reference) {
    return new SceneSpec(reference, null, null, Map.of());
  }

  /**
   * The views {@code item} can make, each with its bands.
   *
   * @throws ReferenceRefused naming, per view, what is missing when the Item makes none
   */
  public static SceneSpec of(StacItem item) throws ReferenceRefused {
    Map<SceneView, List<SceneReference>> views = new LinkedHashMap<>();
    for (SceneView view : STAC_PREFERENCE) {
      try {
        StacItem.Selection selection = item.select(List.of(view));
        views.put(view, selection.bands().stream().map(StacItem.BandAsset::href).toList());
      } catch (ReferenceRefused cannot) {
        // This view cannot be made; another may. If none can, the refusal below names every view's missing bands.
      }
    }
    if (views.isEmpty()) {
      item.select(STAC_PREFERENCE); // throws, naming what each view lacks
    }
    return new SceneSpec(null, item.id(), item.base() == null ? null : item.base().toString(), views);
  }

  /** Whether an image's object key is a reference (not the key of uploaded bytes). */
  public static boolean isReference(String objectKey) {
    return objectKey != null && (objectKey.startsWith(STAC_PREFIX) || objectKey.contains("://"));
  }

  /** Reads a recorded spec ({@link #text}). */
  public static SceneSpec parse(String text) throws ReferenceRefused {
    if (!text.startsWith(STAC_PREFIX)) {
      return of(SceneReference.parse(text));
    }
    try {
      JsonObject json = new JsonObject(text.substring(STAC_PREFIX.length()));
      Map<SceneView, List<SceneReference>> views = new LinkedHashMap<>();
      JsonObject recorded = json.getJsonObject("views");
      for (String name : recorded.fieldNames()) {
        List<SceneReference> bands = new ArrayList<>();
        for (Object href : recorded.getJsonArray(name)) {
          bands.add(SceneReference.parse((String) href));
        }
        views.put(SceneView.fromMetadata(name), List.copyOf(bands));
      }
      return new SceneSpec(null, json.getString("item"), json.getString("self"), views);
    } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new ReferenceRefused("The recorded STAC reference cannot be read: " + e.getMessage());
    }
  }

  /** The recorded form: the reference itself, or {@code stac:} and the JSON of the Item's bands per view. */
  public String text() {
    if (single != null) {
      return single.toString();
    }
    JsonObject recorded = new JsonObject();
    views.forEach((view, bands) -> recorded.put(view.wireName(),
        new JsonArray(bands.stream().map(SceneReference::toString).toList())));
    return STAC_PREFIX + new JsonObject().put("item", itemId).put("self", itemSelf).put("views", recorded).encode();
  }

  /**
   * Where the scene came from, for a STAC {@code derived_from} link: the GeoTIFF's {@code s3://} or {@code https://}
   * URL, or the STAC Item's self link (or the URL it was read from); empty for an Item posted without either.
   */
  public Optional<String> source() {
    return Optional.ofNullable(single != null ? single.toString() : itemSelf);
  }

  public boolean stac() {
    return single == null;
  }

  /** A name to show for the scene (the image's file name): the object's last path segment, or the Item's id. */
  public String name() {
    if (single == null) {
      return itemId;
    }
    String path = single.uri().getPath();
    String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() ? single.uri().getHost() : last;
  }

  /** Every object this spec names, each once, in order: what the API checks before accepting it. */
  public List<SceneReference> references() {
    if (single != null) {
      return List.of(single);
    }
    Set<SceneReference> all = new LinkedHashSet<>();
    views.values().forEach(all::addAll);
    return List.copyOf(all);
  }

  /** The views a STAC spec can make, in {@link #STAC_PREFERENCE} order (empty for one GeoTIFF). */
  public List<SceneView> views() {
    return List.copyOf(views.keySet());
  }

  /**
   * What to read for models that expect {@code served} views: the GeoTIFF, or the first view in
   * {@link #STAC_PREFERENCE} that is served and that the Item can make.
   *
   * @throws ReferenceRefused when no served model expects a view the Item's bands make
   */
  public Choice choose(List<SceneView> served) throws ReferenceRefused {
    if (single != null) {
      return new Choice(Optional.empty(), List.of(single));
    }
    for (Map.Entry<SceneView, List<SceneReference>> view : views.entrySet()) {
      if (served.contains(view.getKey())) {
        return new Choice(Optional.of(view.getKey()), view.getValue());
      }
    }
    throw new ReferenceRefused("The STAC Item '" + itemId + "' makes the views " + views.keySet().stream()
        .map(SceneView::wireName).toList() + "; the models served expect " + served.stream().map(SceneView::wireName)
        .distinct().toList() + ".");
  }

  /**
   * The image's identity in place of a content hash (the node never reads the whole object): the SHA-256 of the
   * recorded spec and of the sizes of the objects it names, so that the same reference posted again shares the
   * analysis while the objects keep their sizes, and an object replaced by one of another size is analysed anew.
   *
   * @param sizes the size of each of {@link #references()}, in order
   */
  public String identity(List<Long> sizes) {
    StringBuilder text = new StringBuilder("geohazard scene reference\n").append(text());
    for (long size : sizes) {
      text.append('\n').append(size);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
