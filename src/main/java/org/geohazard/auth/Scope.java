package org.geohazard.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API key may do. Operations name the scope they need in {@code openapi.yaml} ({@code security:
 * [{ApiKeyAuth: [operate]}]}); a key holds a set of them (the {@code api_keys.scopes} column).
 *
 * <ul>
 *   <li>{@code read}: results, batches, alerts, models, the stream and the feed;</li>
 *   <li>{@code upload}: uploads and re-analysis;</li>
 *   <li>{@code publish}: alerts raised from this key's uploads go out at once (CAP/Atom, the stream, webhooks);
 *       without it they are held as {@code unverified} until an operator confirms them;</li>
 *   <li>{@code operate}: acknowledge, resolve and confirm alerts, see unverified ones, webhooks, health detail;</li>
 *   <li>{@code admin}: key management and model changes; an admin key holds every other scope too.</li>
 * </ul>
 */
public enum Scope {
  READ, UPLOAD, PUBLISH, OPERATE, ADMIN;

  /** What a key gets when its creator names no scopes: reading and uploading, nothing that reaches the public. */
  public static final Set<Scope> DEFAULT = Set.copyOf(EnumSet.of(READ, UPLOAD));

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scope fromWire(String name) {
    String trimmed = name == null ? "" : name.trim();
    for (Scope scope : values()) {
      if (scope.wireName().equals(trimmed)) {
        return scope;
      }
    }
    throw new IllegalArgumentException("unknown scope '" + trimmed + "' (known: read, upload, publish, operate, admin)");
  }

  /** Parses {@code "read,upload"} (commas, optional spaces); blank is the empty set. */
  public static Set<Scope> parse(String list) {
    EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
    if (list == null || list.isBlank()) {
      return out;
    }
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        out.add(fromWire(part));
      }
    }
    return out;
  }

  public static Set<Scope> of(Collection<String> names) {
    EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
    names.forEach(name -> out.add(fromWire(name)));
    return out;
  }

  /** {@code "read,upload"} in declaration order, as stored. */
  public static String format(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(","));
  }

  /** Whether {@code held} grants {@code wanted}: held outright, or through {@code admin}. */
  public static boolean grants(Set<Scope> held, Scope wanted) {
    return held.contains(wanted) || held.contains(ADMIN);
  }

  /** The first of {@code wanted} that {@code held} does not grant, or null when all are granted. */
  public static Scope firstMissing(Set<Scope> held, Collection<Scope> wanted) {
    for (Scope scope : wanted) {
      if (!grants(held, scope)) {
        return scope;
      }
    }
    return null;
  }
}
