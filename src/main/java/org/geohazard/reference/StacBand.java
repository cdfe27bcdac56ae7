package org.geohazard.reference;

import java.util.List;
import java.util.Locale;

/**
 * The bands a served view can be made of, with the names a STAC Item may give them: the {@code eo:bands}
 * {@code common_name} of the electro-optical extension (also the asset key in Element 84's Sentinel-2 catalogue),
 * and the sensor's own band names (the asset keys of the Planetary Computer's and of the Copernicus catalogues).
 * Sentinel-2's B8A ({@code nir08}) is not {@link #NIR}: it is the narrow 20 m NIR band, not B08.
 */
public enum StacBand {
  BLUE("blue", "B02", "B2"),
  GREEN("green", "B03", "B3"),
  RED("red", "B04", "B4"),
  NIR("nir", "B08", "B8"),
  SWIR16("swir16", "B11"),
  /** Sentinel-1 vertical transmit, vertical receive backscatter; SAR assets carry no {@code eo:bands}. */
  VV("vv"),
  VH("vh");

  private final String commonName;
  private final List<String> names;

  StacBand(String commonName, String... sensorNames) {
    this.commonName = commonName;
    this.names = List.of(sensorNames);
  }

  /** The {@code eo:bands} common name (for SAR, the polarisation as catalogues key it). */
  public String commonName() {
    return commonName;
  }

  /** Whether an asset key or band name names this band (case-insensitive). */
  public boolean isNamed(String name) {
    if (name == null) {
      return false;
    }
    String n = name.strip();
    return n.equalsIgnoreCase(commonName) || names.stream().anyMatch(n::equalsIgnoreCase);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
