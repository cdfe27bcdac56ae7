package org.geohazard.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetadataLiteralsTest {

  @Test
  void readsNamesWithSpacesQuotesAndEscapesAsPythonWritesThem() {
    String literal = "{0: \"farmer's field\", 1: 'say \\'hi\\'', 2: 'back\\\\slash', 3: 'caf\\xe9', "
        + "4: 'mud  flow', 5: 'line\\nbreak', 6: '\\u6c34'}";

    assertThat(MetadataLiterals.names(literal)).containsExactly(
        "farmer's field", "say 'hi'", "back\\slash", "café", "mud  flow", "line\nbreak", "水");
  }

  @Test
  void ordersNamesByClassIdNotByPosition() {
    assertThat(MetadataLiterals.names("{1: 'flood', 0: 'landslide',}")).containsExactly("landslide", "flood");
  }

  @Test
  void readsNamesGivenAsAList() {
    assertThat(MetadataLiterals.names("['landslide', \"flood\"]")).containsExactly("landslide", "flood");
  }

  @Test
  void rejectsNamesWithGapsDuplicatesOrBrokenSyntax() {
    assertThatThrownBy(() -> MetadataLiterals.names("{0: 'a', 2: 'c'}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..1");
    assertThatThrownBy(() -> MetadataLiterals.names("{0: 'a', 0: 'b'}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> MetadataLiterals.names("{0: 'a'"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected end");
    assertThatThrownBy(() -> MetadataLiterals.names("{0: 'a} "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> MetadataLiterals.names("{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no class names");
    assertThatThrownBy(() -> MetadataLiterals.names("{0: 'a'} trailing"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the literal");
  }

  @Test
  void keepsUnknownEscapesAsPythonDoesAndRefusesBrokenOnes() {
    assertThat(MetadataLiterals.names("['a\\qb']")).containsExactly("a\\qb");
    assertThatThrownBy(() -> MetadataLiterals.names("['\\x4"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated escape");
    assertThatThrownBy(() -> MetadataLiterals.names("['\\xzz']"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid escape");
    assertThatThrownBy(() -> MetadataLiterals.names("['a'"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position 4");
  }

  @Test
  void refusesWhatIsNotANamesLiteral() {
    assertThatThrownBy(() -> MetadataLiterals.names("landslide, flood"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected '{' or '['");
    assertThatThrownBy(() -> MetadataLiterals.names("{a: 'x'}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a class id");
    assertThatThrownBy(() -> MetadataLiterals.names("{0: x}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a quoted name");
    assertThatThrownBy(() -> MetadataLiterals.names("{99999999999: 'x'}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> MetadataLiterals.names("['a' 'b']"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected ',' or ']'");
  }

  @Test
  void readsImageSizeAsHeightThenWidth() {
    assertThat(MetadataLiterals.imageSize("[480, 640]")).containsExactly(480, 640);
    assertThat(MetadataLiterals.imageSize("(320, 320)")).containsExactly(320, 320);
    assertThat(MetadataLiterals.imageSize("1024")).containsExactly(1024, 1024);
    assertThat(MetadataLiterals.imageSize(" [ 256 , 512.0 ] ")).containsExactly(256, 512);
  }

  @Test
  void refusesSizesThatAreNotOneOrTwoPositiveNumbers() {
    assertThatThrownBy(() -> MetadataLiterals.imageSize("[1, 2, 3]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[height, width]");
    assertThatThrownBy(() -> MetadataLiterals.imageSize("[0, 640]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> MetadataLiterals.imageSize("big"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a number");
  }

  @Test
  void readsTheLargestStride() {
    assertThat(MetadataLiterals.stride("32")).isEqualTo(32);
    assertThat(MetadataLiterals.stride("32.0")).isEqualTo(32);
    assertThat(MetadataLiterals.stride("[8, 16, 32]")).isEqualTo(32);
    assertThatThrownBy(() -> MetadataLiterals.stride("[8, -16]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }
}
