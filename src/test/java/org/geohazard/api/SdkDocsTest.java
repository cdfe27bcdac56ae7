package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/SDK.md shows the SDK examples whole; they are real files that SdkIT runs against a node. Here: the page
 * and the files say the same, so that the documented code is the code that ran.
 */
class SdkDocsTest {

  private static final Pattern EXAMPLE = Pattern.compile(
      "<!-- example: (\\S+) -->\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyExampleOnTheSdkPageIsItsFileVerbatim() throws Exception {
    String page = Files.readString(Path.of("docs/SDK.md"));
    Matcher matcher = EXAMPLE.matcher(page);
    List<String> files = new ArrayList<>();
    while (matcher.find()) {
      Path file = Path.of(matcher.group(1));
      files.add(file.toString());
      assertThat(matcher.group(2)).as("docs/SDK.md's copy of %s", file).isEqualTo(Files.readString(file));
    }
    assertThat(files).containsExactlyInAnyOrder(
        "sdk/java/src/main/java/org/geohazard/client/examples/UploadAndWait.java",
        "sdk/typescript/src/example.ts", "sdk/python/example.py");
  }
}
