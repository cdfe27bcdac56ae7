package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.geohazard.detection.LandslideChange;
import org.junit.jupiter.api.Test;

/**
 * The Java change rules give the pixels and regions the Python rules give (training/pair_change.py, through
 * training/make_change_fixtures.py): 8-bit S2 composites (MNDWI from B3 and B11), 8-bit S1 VV, and dB and linear
 * float radar pairs. The evaluation's figures (training/evaluate_real.py) are the Python rule's, so they hold for
 * the node only if the two agree exactly.
 */
class ChangeRulesFidelityTest {

  private static final Path FIXTURES = Path.of("src", "test", "resources", "fidelity", "change");

  @Test
  void javaRulesGiveThePythonPixelsAndRegionsOnEveryFixture() throws IOException {
    JsonNode index = new ObjectMapper().readTree(FIXTURES.resolve("index.json").toFile());
    assertThat(index.size()).isEqualTo(9);
    for (JsonNode pair : index) {
      String name = pair.get("name").asText();
      String kind = pair.get("kind").asText();
      ChangeRules.Layers layers;
      int width;
      int height;
      if (kind.equals("s1_float")) {
        width = pair.get("width").asInt();
        height = pair.get("height").asInt();
        layers = ChangeRules.backscatterDrop(floats(name + "_after.f32"), floats(name + "_before.f32"), false,
            width, height);
      } else {
        BufferedImage after = ImageIO.read(FIXTURES.resolve(name + "_after.png").toFile());
        BufferedImage before = ImageIO.read(FIXTURES.resolve(name + "_before.png").toFile());
        width = after.getWidth();
        height = after.getHeight();
        if (kind.equals("s2_mndwi")) {
          // OMBRIA's composite: red = B11 (SWIR), blue = B3 (green). ImageIO keeps a PNG's R, G, B as bands 0-2.
          // 8-bit levels as OMBRIA's: the cloud and haze mask reads them as they are.
          layers = ChangeRules.newWater(channel(after, 2), channel(after, 0), channel(before, 2),
              channel(before, 0), width, height, 1.0);
          assertThat(layers.clearShare()).as("%s: clear share", name)
              .isEqualTo(pair.get("clear_share").asDouble());
          assertThat(layers.judged()).as("%s: judged", name).isEqualTo(pair.get("judged").asBoolean());
        } else {
          layers = ChangeRules.backscatterDrop(channel(after, 0), channel(before, 0), true, width, height);
        }
      }
      LandslideChange.Result kept = LandslideChange.regions(layers.changed(), null, width, height,
          ChangeRules.MIN_PIXELS);
      assertThat(kept.mask()).as("%s: new water", name).isEqualTo(mask(name + "_new.png"));
      assertThat(layers.waterBefore()).as("%s: water before", name).isEqualTo(mask(name + "_was.png"));
      List<List<Integer>> boxes = new ArrayList<>();
      kept.regions().forEach(r -> boxes.add(List.of(r.x1(), r.y1(), r.x2(), r.y2())));
      List<List<Integer>> expected = new ArrayList<>();
      pair.get("regions").forEach(r -> expected.add(List.of(r.get(0).asInt(), r.get(1).asInt(), r.get(2).asInt(),
          r.get(3).asInt())));
      Comparator<List<Integer>> order = Comparator.<List<Integer>>comparingInt(b -> b.get(1))
          .thenComparingInt(b -> b.get(0)).thenComparingInt(b -> b.get(2)).thenComparingInt(b -> b.get(3));
      boxes.sort(order);
      expected.sort(order);
      assertThat(boxes).as("%s: regions", name).isEqualTo(expected);
      if (!name.equals("s2_overcast")) {
        assertThat(boxes).as("%s: regions", name).isNotEmpty();
      }
    }
  }

  /** One band of the stored samples (0 red, 1 green, 2 blue; 0 of a grey PNG), no colour conversion. */
  private static float[] channel(BufferedImage image, int band) {
    float[] out = new float[image.getWidth() * image.getHeight()];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        out[y * image.getWidth() + x] = image.getRaster().getSample(x, y, band);
      }
    }
    return out;
  }

  private static boolean[] mask(String file) throws IOException {
    BufferedImage image = ImageIO.read(FIXTURES.resolve(file).toFile());
    boolean[] out = new boolean[image.getWidth() * image.getHeight()];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        out[y * image.getWidth() + x] = (image.getRaster().getSample(x, y, 0)) > 127;
      }
    }
    return out;
  }

  private static float[] floats(String file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(FIXTURES.resolve(file))).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }
}
