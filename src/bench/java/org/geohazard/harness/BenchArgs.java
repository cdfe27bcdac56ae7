package org.geohazard.harness;

import java.util.HashMap;
import java.util.Map;

/** The benchmarks' and fault runs' command lines: {@code --name value} pairs. */
public final class BenchArgs {

  private BenchArgs() {}

  public static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }
}
