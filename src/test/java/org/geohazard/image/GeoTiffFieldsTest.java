package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.geohazard.geo.GeoTiffTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoTiffFieldsTest {

  @TempDir
  Path folder;

  private TiffDirectory directory(GeoTiffFixture fixture) throws Exception {
    Path file = fixture.write(Files.createTempFile(folder, "fields", ".tif"));
    return TiffDirectory.readFirst(ByteSource.of(Files.readAllBytes(file)));
  }

  @Test
  void noDataIsANumberNanInEitherSignOrNothing() throws Exception {
    assertThat(GeoTiffFields.noData(directory(new GeoTiffFixture(2, 2).noData(" -9999 ")))).hasValue(-9999);
    assertThat(GeoTiffFields.noData(directory(new GeoTiffFixture(2, 2).noData("1.5e3")))).hasValue(1500);
    assertThat(GeoTiffFields.noData(directory(new GeoTiffFixture(2, 2).noData("-NaN"))).getAsDouble()).isNaN();
    assertThat(GeoTiffFields.noData(directory(new GeoTiffFixture(2, 2).noData("nan"))).getAsDouble()).isNaN();
    assertThat(GeoTiffFields.noData(directory(new GeoTiffFixture(2, 2).noData("none")))).as("as GDAL: ignored")
        .isEmpty();
    assertThat(GeoTiffFields.noData(directory(new GeoTiffFixture(2, 2)))).isEmpty();
  }

  @Test
  void geoTagsCarryTheTiePointsScaleAndKeysOrNothing() throws Exception {
    GeoTiffTags tags = GeoTiffFields.geoTags(directory(
        new GeoTiffFixture(2, 2).georeferenced(4326, false, 10.5, 45.25, 0.001, 0.002).ascii(34737, "WGS 84|")));
    assertThat(tags.georeferenced()).isTrue();
    assertThat(tags.modelTiepoints()).containsExactly(0, 0, 0, 10.5, 45.25, 0);
    assertThat(tags.modelPixelScale()).containsExactly(0.001, 0.002, 0);
    assertThat(tags.geoKeyDirectory()).contains(2048, 4326);
    assertThat(tags.geoAsciiParams()).isEqualTo("WGS 84|");

    GeoTiffTags none = GeoTiffFields.geoTags(directory(new GeoTiffFixture(2, 2)));
    assertThat(none.georeferenced()).isFalse();
    assertThat(none.modelTiepoints()).isEmpty();
    assertThat(none.geoKeyDirectory()).isEmpty();
    assertThat(none.geoAsciiParams()).isEmpty();
  }
}
