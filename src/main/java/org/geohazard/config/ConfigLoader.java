package org.geohazard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the node configuration once, at start-up: the defaults bundled in the jar (the same
 * {@code conf/application.yaml} a user reads), then an optional file, then environment variables, then
 * system properties. Only keys that exist in the defaults can be overridden, so a typo in an
 * environment variable cannot silently create a setting nobody reads.
 *
 * <p>Environment names are derived from the key path: {@code kafka.bootstrap} is
 * {@code GEOHAZARD_KAFKA_BOOTSTRAP}, {@code db.poolSize} is {@code GEOHAZARD_DB_POOL_SIZE}. System
 * properties use the dotted path: {@code -Dgeohazard.http.port=9090}. Lists are comma-separated.
 */
public final class ConfigLoader {

  static final String DEFAULTS_RESOURCE = "/geohazard/application.yaml";
  private static final String ENV_PREFIX = "GEOHAZARD_";
  private static final String PROPERTY_PREFIX = "geohazard.";

  private ConfigLoader() {}

  /** Loads defaults, then {@code file} if not null, then {@code env}, then {@code properties}. */
  public static JsonObject load(Path file, Map<String, String> env, Properties properties) {
    JsonObject config = readDefaults();
    if (file != null) {
      JsonObject overrides = readYaml(file);
      mergeKnownKeys(config, overrides, "");
    }
    applyOverrides(config, "", env, properties);
    return config;
  }

  /** The config a node gets from the process: optional {@code GEOHAZARD_CONFIG} file, env, system properties. */
  public static AppConfig fromProcess() {
    String file = System.getenv("GEOHAZARD_CONFIG");
    if (file == null) {
      file = System.getProperty("geohazard.config");
    }
    Path path = file == null || file.isBlank() ? null : Path.of(file);
    return AppConfig.fromJson(load(path, System.getenv(), System.getProperties()));
  }

  static JsonObject readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("default configuration " + DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return toJson(yaml().load(in), DEFAULTS_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("configuration file " + file + " does not exist");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return toJson(yaml().load(in), file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  @SuppressWarnings("unchecked")
  private static JsonObject toJson(Object loaded, String source) {
    if (loaded == null) {
      return new JsonObject();
    }
    if (!(loaded instanceof Map<?, ?> map)) {
      throw new ConfigException(source + ": the top level must be a mapping");
    }
    return new JsonObject((Map<String, Object>) map).copy();
  }

  private static void mergeKnownKeys(JsonObject target, JsonObject overrides, String path) {
    for (String key : overrides.fieldNames()) {
      String keyPath = path.isEmpty() ? key : path + "." + key;
      if (!target.containsKey(key)) {
        throw new ConfigException("unknown configuration key '" + keyPath + "'");
      }
      Object current = target.getValue(key);
      Object value = overrides.getValue(key);
      if (current instanceof JsonObject nested && value instanceof JsonObject nestedOverride) {
        mergeKnownKeys(nested, nestedOverride, keyPath);
      } else {
        target.put(key, value);
      }
    }
  }

  private static void applyOverrides(JsonObject node, String path, Map<String, String> env, Properties properties) {
    for (String key : new ArrayList<>(node.fieldNames())) {
      String keyPath = path.isEmpty() ? key : path + "." + key;
      Object current = node.getValue(key);
      if (current instanceof JsonObject nested) {
        applyOverrides(nested, keyPath, env, properties);
        continue;
      }
      String raw = properties.getProperty(PROPERTY_PREFIX + keyPath);
      if (raw == null) {
        raw = env.get(envName(keyPath));
      }
      if (raw != null) {
        node.put(key, parseLike(current, raw.trim(), keyPath));
      }
    }
  }

  /** {@code db.poolSize} → {@code GEOHAZARD_DB_POOL_SIZE}. */
  static String envName(String keyPath) {
    StringBuilder name = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < keyPath.length(); i++) {
      char c = keyPath.charAt(i);
      if (c == '.') {
        name.append('_');
      } else if (Character.isUpperCase(c)) {
        name.append('_').append(c);
      } else {
        name.append(Character.toUpperCase(c));
      }
    }
    return name.toString();
  }

  private static Object parseLike(Object current, String raw, String keyPath) {
    try {
      if (current instanceof Integer || current instanceof Long) {
        return Long.parseLong(raw);
      }
      if (current instanceof Number) {
        return Double.parseDouble(raw);
      }
      if (current instanceof Boolean) {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(lower);
      }
      if (current instanceof JsonArray) {
        List<String> items = new ArrayList<>();
        for (String item : raw.split(",")) {
          if (!item.isBlank()) {
            items.add(item.trim());
          }
        }
        return new JsonArray(items);
      }
      return raw;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("configuration key '" + keyPath + "': cannot use '" + raw + "': " + e.getMessage());
    }
  }
}
