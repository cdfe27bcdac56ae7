package org.geohazard.image;

/**
 * The radar view a Sentinel-1 model reads ({@code sar_vv_pair}), made from 8-bit VV backscatter: red is the scene's
 * VV, green the VV of a scene of the same place from before, blue {@code 128 + floor((after - before) / 2)}, so
 * that water that was not there before (backscatter dropping) shows dark in blue and water that was always there
 * does not. Without a before scene the scene stands in for it: green equals red and blue is a flat 128, the form
 * the model also saw in training, where it can judge only by the dark, smooth surface of water.
 *
 * <p>The same arithmetic as {@code training/ombria.py}'s {@code sar_pair} (Python's {@code //} floors, hence
 * {@link Math#floorDiv}); the fidelity test checks the two agree.
 */
public final class SarComposite {

  private SarComposite() {}

  /** The view of a scene alone, from its VV band as grey (red = green = blue on input, as a grey stretch writes). */
  public static RgbImage single(RgbImage grey) {
    return pair(grey, grey);
  }

  /**
   * The view of a scene with its before scene, both as grey (red channel read) of the same size and co-registered.
   *
   * @throws IllegalArgumentException when the two images differ in size
   */
  public static RgbImage pair(RgbImage after, RgbImage before) {
    if (after.width() != before.width() || after.height() != before.height()) {
      throw new IllegalArgumentException("a pair needs images of one size: " + after.width() + " x " + after.height()
          + " and " + before.width() + " x " + before.height());
    }
    byte[] a = after.rgb();
    byte[] b = before.rgb();
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i += 3) {
      int now = a[i] & 0xFF;
      int then = b[i] & 0xFF;
      out[i] = (byte) now;
      out[i + 1] = (byte) then;
      out[i + 2] = (byte) (128 + Math.floorDiv(now - then, 2));
    }
    return new RgbImage(after.width(), after.height(), out);
  }
}
