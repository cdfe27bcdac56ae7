package org.geohazard.image;

import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Turns chosen bands of a scene into the 8-bit RGB the model was trained on: a linear stretch of each band between
 * its 2nd and 98th percentile, computed ONCE per scene from a sample (nodata and NaN left out) and then applied to
 * every window, so that all tiles of a scene and its overview share one mapping; a stretch per tile would make a
 * tile of water look like a tile of land.
 *
 * <p>Percentiles are exact over the sample: a 65 536-bin histogram for 8- and 16-bit integers, a sort otherwise.
 * The sample is a nearest-neighbour overview of at most {@link #DEFAULT_SAMPLE_SIDE} pixels on its long side
 * (about a million samples per band): the scene's overview read for the model's full view can serve as it, see
 * {@link #fromSamples}. Nodata, NaN and infinite samples come out black (0, 0, 0).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class BandStretch {

  public static final double LOW_PERCENTILE = 0.02;
  public static final double HIGH_PERCENTILE = 0.98;
  public static final int DEFAULT_SAMPLE_SIDE = 1024;

  private final int[] bands;
  private final float[] low;
  private final float[] scale;
  private final double noData;

  private BandStretch(int[] bands, float[] low, float[] high, double noData) {
    this.bands = bands.clone();
    this.low = low;
    this.scale = new float[low.length];
    for (int i = 0; i < low.length; i++) {
      scale[i] = high[i] > low[i] ? 255f / (high[i] - low[i]) : 0f; // a constant band comes out black
    }
    this.noData = noData;
  }

  /**
   * Bands from a setting such as {@code "4,3,2"} (1-based, as GDAL and the Sentinel-2 band names count: B4, B3, B2
   * as red, green, blue) or, when the setting is null or blank, {@link #defaultBands}. One band means grey.
   *
   * @return 0-based band indexes, one (grey) or three (red, green, blue)
   * @throws IllegalArgumentException naming the problem, for a setting that is not 1 or 3 bands of the image
   */
  public static int[] parseBands(String setting, int bandCount) {
    if (setting == null || setting.isBlank()) {
      return defaultBands(bandCount);
    }
    String[] parts = setting.split(",");
    if (parts.length != 1 && parts.length != 3) {
      throw new IllegalArgumentException("choose 1 band (grey) or 3 bands (red,green,blue), e.g. \"4,3,2\"; got \""
          + setting + "\"");
    }
    int[] bands = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      int band;
      try {
        band = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("band \"" + parts[i].trim() + "\" is not a number in \"" + setting + "\"");
      }
      if (band < 1 || band > bandCount) {
        throw new IllegalArgumentException("band " + band + " does not exist: the image has bands 1.." + bandCount);
      }
      bands[i] = band - 1;
    }
    return bands;
  }

  /**
   * Bands 1, 2, 3 as red, green, blue for three bands or more (right for RGB GeoTIFFs; multispectral stacks need a
   * setting, e.g. "4,3,2" for a 13-band Sentinel-2 stack), band 1 as grey otherwise.
   */
  public static int[] defaultBands(int bandCount) {
    if (bandCount <= 0) {
      throw new IllegalArgumentException("bandCount must be positive");
    }
    return bandCount >= 3 ? new int[] {0, 1, 2} : new int[] {0};
  }

  /** Samples an overview of the whole scene ({@link #DEFAULT_SAMPLE_SIDE}) and computes the stretch from it. */
  public static BandStretch fromScene(GeoTiffRaster raster, int[] bands) throws IOException, InvalidImageException {
    double shrink = Math.min(1, (double) DEFAULT_SAMPLE_SIDE / Math.max(raster.width(), raster.height()));
    int sampleWidth = (int) Math.max(1, Math.round(raster.width() * shrink));
    int sampleHeight = (int) Math.max(1, Math.round(raster.height() * shrink));
    float[] samples = new float[sampleWidth * sampleHeight * bands.length];
    raster.readWindow(0, 0, raster.width(), raster.height(), bands, sampleWidth, sampleHeight, samples);
    return fromSamples(bands, samples, sampleWidth * sampleHeight, raster.sampleType(), raster.noData());
  }

  /**
   * The stretch from samples already read (e.g. the overview window), band after band as
   * {@link GeoTiffRaster#readWindow} writes them.
   *
   * @param bands the bands the samples are of, 0-based, in the order they were read
   * @param pixels samples per band in {@code samples}
   */
  public static BandStretch fromSamples(int[] bands, float[] samples, int pixels, SampleType type,
      OptionalDouble noData) {
    if (bands.length != 1 && bands.length != 3) {
      throw new IllegalArgumentException("stretch 1 band (grey) or 3 (RGB), not " + bands.length);
    }
    double missing = noData.orElse(Double.NaN);
    float[] low = new float[bands.length];
    float[] high = new float[bands.length];
    for (int i = 0; i < bands.length; i++) {
      float[] range = type.histogrammable()
          ? histogramRange(samples, i * pixels, pixels, type, missing)
          : sortedRange(samples, i * pixels, pixels, missing);
      low[i] = range[0];
      high[i] = range[1];
    }
    return new BandStretch(bands, low, high, missing);
  }

  /** The 0-based bands this stretch reads, in output order. */
  public int[] bands() {
    return bands.clone();
  }

  /** {low, high}: the stored values that become 0 and 255 in output channel {@code channel}. */
  public float[] range(int channel) {
    return new float[] {low[channel], low[channel] + (scale[channel] == 0 ? 0 : 255f / scale[channel])};
  }

  /**
   * Reads a window of the scene (downsampled to {@code outputWidth × outputHeight} if smaller) as RGB. Allocates
   * the samples and the image for this window only.
   */
  public RgbImage read(GeoTiffRaster raster, int x, int y, int width, int height, int outputWidth,
      int outputHeight) throws IOException, InvalidImageException {
    float[] samples = new float[outputWidth * outputHeight * bands.length];
    raster.readWindow(x, y, width, height, bands, outputWidth, outputHeight, samples);
    return toRgb(samples, outputWidth, outputHeight);
  }

  /** Interleaved RGB of samples read band after band for this stretch's bands; grey is replicated. */
  public RgbImage toRgb(float[] samples, int width, int height) {
    int pixels = width * height;
    byte[] rgb = new byte[3 * pixels];
    for (int channel = 0; channel < 3; channel++) {
      int band = bands.length == 1 ? 0 : channel;
      float bandLow = low[band];
      float bandScale = scale[band];
      int from = band * pixels;
      for (int p = 0; p < pixels; p++) {
        float value = samples[from + p];
        byte out = 0;
        if (Float.isFinite(value) && value != noData) {
          out = (byte) (int) (Math.max(0f, Math.min(255f, (value - bandLow) * bandScale)) + 0.5f);
        }
        rgb[3 * p + channel] = out;
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static float[] histogramRange(float[] samples, int from, int count, SampleType type, double missing) {
    int offset = type.signedInteger() ? 32_768 : 0;
    long[] histogram = new long[65_536];
    long valid = 0;
    for (int i = from; i < from + count; i++) {
      float value = samples[i];
      if (value == missing) {
        continue;
      }
      histogram[(int) value + offset]++;
      valid++;
    }
    if (valid == 0) {
      return new float[] {0f, 0f};
    }
    long lowRank = Math.round(LOW_PERCENTILE * (valid - 1));
    long highRank = Math.round(HIGH_PERCENTILE * (valid - 1));
    float lowValue = 0;
    float highValue = 0;
    long seen = 0;
    boolean lowFound = false;
    for (int bin = 0; bin < histogram.length; bin++) {
      if (histogram[bin] == 0) {
        continue;
      }
      seen += histogram[bin];
      if (!lowFound && seen > lowRank) {
        lowValue = bin - offset;
        lowFound = true;
      }
      if (seen > highRank) {
        highValue = bin - offset;
        break;
      }
    }
    return new float[] {lowValue, highValue};
  }

  private static float[] sortedRange(float[] samples, int from, int count, double missing) {
    float[] valid = new float[count];
    int n = 0;
    for (int i = from; i < from + count; i++) {
      float value = samples[i];
      if (Float.isFinite(value) && value != missing) {
        valid[n++] = value;
      }
    }
    if (n == 0) {
      return new float[] {0f, 0f};
    }
    Arrays.sort(valid, 0, n);
    return new float[] {valid[(int) Math.round(LOW_PERCENTILE * (n - 1))],
        valid[(int) Math.round(HIGH_PERCENTILE * (n - 1))]};
  }
}
