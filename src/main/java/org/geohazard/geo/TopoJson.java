package org.geohazard.geo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Reads the polygons of one object of a TopoJSON topology (the format of world-atlas's Natural Earth files;
 * specification: github.com/topojson/topojson-specification) into JTS polygons in longitude/latitude.
 *
 * <p>What it implements: a quantized topology ({@code transform}: positions delta-encoded per arc, then scaled and
 * translated) or an unquantized one; arcs referenced by index, a negative index {@code ~i} meaning arc {@code i}
 * reversed; rings stitched from arcs (each arc after the first starts where the previous one ended, so its first
 * position is dropped); {@code Polygon}, {@code MultiPolygon} and {@code GeometryCollection}s of them, the first
 * ring of a polygon its exterior, the others holes. Other geometry types (points, lines) are refused: a land layer
 * holds none, and a layer that does is not what the caller thinks it is.
 */
public final class TopoJson {

  private final GeometryFactory factory = new GeometryFactory();
  private final List<Coordinate[]> arcs;

  private TopoJson(JsonObject topology) {
    if (!"Topology".equals(topology.getString("type"))) {
      throw new IllegalArgumentException("not a TopoJSON topology: type " + topology.getString("type"));
    }
    double scaleX = 1;
    double scaleY = 1;
    double translateX = 0;
    double translateY = 0;
    boolean quantized = topology.getValue("transform") instanceof JsonObject;
    if (quantized) {
      JsonObject transform = topology.getJsonObject("transform");
      scaleX = transform.getJsonArray("scale").getDouble(0);
      scaleY = transform.getJsonArray("scale").getDouble(1);
      translateX = transform.getJsonArray("translate").getDouble(0);
      translateY = transform.getJsonArray("translate").getDouble(1);
    }
    JsonArray arcList = topology.getJsonArray("arcs");
    arcs = new ArrayList<>(arcList.size());
    for (Object item : arcList) {
      JsonArray positions = (JsonArray) item;
      Coordinate[] arc = new Coordinate[positions.size()];
      double x = 0;
      double y = 0;
      for (int i = 0; i < arc.length; i++) {
        JsonArray position = positions.getJsonArray(i);
        if (quantized) {
          x += position.getDouble(0);
          y += position.getDouble(1);
          arc[i] = new Coordinate(x * scaleX + translateX, y * scaleY + translateY);
        } else {
          arc[i] = new Coordinate(position.getDouble(0), position.getDouble(1));
        }
      }
      arcs.add(arc);
    }
  }

  /**
   * The polygons of {@code objectName} in {@code topology}.
   *
   * @throws IllegalArgumentException when the topology, the object or one of its geometries is not as described
   */
  public static List<Polygon> polygons(JsonObject topology, String objectName) {
    TopoJson reader = new TopoJson(topology);
    JsonObject objects = topology.getJsonObject("objects");
    if (objects == null || !(objects.getValue(objectName) instanceof JsonObject object)) {
      throw new IllegalArgumentException("the topology has no object '" + objectName + "'");
    }
    List<Polygon> out = new ArrayList<>();
    reader.collect(object, out);
    return out;
  }

  private void collect(JsonObject geometry, List<Polygon> out) {
    String type = geometry.getString("type");
    switch (type == null ? "" : type) {
      case "GeometryCollection" -> geometry.getJsonArray("geometries").forEach(g -> collect((JsonObject) g, out));
      case "Polygon" -> out.add(polygon(geometry.getJsonArray("arcs")));
      case "MultiPolygon" -> geometry.getJsonArray("arcs").forEach(p -> out.add(polygon((JsonArray) p)));
      case "" -> { } // a null geometry (TopoJSON allows type null): nothing there
      default -> throw new IllegalArgumentException("unsupported TopoJSON geometry " + type + " in a polygon layer");
    }
  }

  private Polygon polygon(JsonArray rings) {
    LinearRing shell = ring(rings.getJsonArray(0));
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 1; i < rings.size(); i++) {
      holes[i - 1] = ring(rings.getJsonArray(i));
    }
    return factory.createPolygon(shell, holes);
  }

  private LinearRing ring(JsonArray arcIndexes) {
    List<Coordinate> coordinates = new ArrayList<>();
    for (int k = 0; k < arcIndexes.size(); k++) {
      int index = arcIndexes.getInteger(k);
      Coordinate[] arc = arcs.get(index >= 0 ? index : ~index);
      for (int i = 0; i < arc.length; i++) {
        Coordinate c = arc[index >= 0 ? i : arc.length - 1 - i];
        if (i == 0 && !coordinates.isEmpty()) {
          continue; // the previous arc ended here
        }
        coordinates.add(new Coordinate(c));
      }
    }
    if (!coordinates.isEmpty() && !coordinates.get(0).equals2D(coordinates.get(coordinates.size() - 1))) {
      coordinates.add(new Coordinate(coordinates.get(0)));
    }
    while (coordinates.size() < 4) { // a degenerate ring (quantization can collapse a tiny island): keep it valid
      coordinates.add(new Coordinate(coordinates.get(0)));
    }
    return factory.createLinearRing(coordinates.toArray(Coordinate[]::new));
  }
}
