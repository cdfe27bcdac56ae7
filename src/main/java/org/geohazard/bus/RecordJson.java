package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Records to JSON and back by their components, so that a record crosses nodes without a hand-written
 * {@code toJson}/{@code fromJson}: a component {@code gsdM} is the field {@code gsd_m}; an enum travels by its
 * {@code wireName()} (its lower-case name when it has none); lists, sets, maps with string or enum keys,
 * {@code Optional}s, primitive arrays, {@link Instant}s (ISO-8601) and Vert.x JSON values nest. Null fields are
 * left out, and a missing field reads as null (0 or false for a primitive). A record's compact constructor checks
 * what it reads, as it checks what a caller builds. The reflection is done once per class.
 */
public final class RecordJson {

  private RecordJson() {}

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return new Shape(type);
    }
  };

  private static final ClassValue<EnumNames> ENUMS = new ClassValue<>() {
    @Override
    protected EnumNames computeValue(Class<?> type) {
      return new EnumNames(type);
    }
  };

  /** The JSON value of {@code value}: a {@link JsonObject} for a record, a {@link JsonArray} for a list. */
  public static Object encode(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof JsonObject
        || value instanceof JsonArray) {
      return value;
    }
    if (value instanceof Number number) {
      return number;
    }
    if (value instanceof Record record) {
      return SHAPES.get(record.getClass()).encode(record);
    }
    if (value instanceof Enum<?> constant) {
      return ENUMS.get(constant.getDeclaringClass()).wireName(constant);
    }
    if (value instanceof Collection<?> items) {
      JsonArray array = new JsonArray(new ArrayList<>(items.size()));
      items.forEach(item -> array.add(encode(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject(new LinkedHashMap<>(map.size() * 2));
      map.forEach((key, item) -> object.put(key instanceof Enum<?> e ? (String) encode(e) : (String) key, encode(item)));
      return object;
    }
    if (value instanceof Optional<?> optional) {
      return encode(optional.orElse(null));
    }
    if (value instanceof OptionalDouble optional) {
      return optional.isPresent() ? optional.getAsDouble() : null;
    }
    if (value instanceof OptionalInt optional) {
      return optional.isPresent() ? optional.getAsInt() : null;
    }
    if (value instanceof OptionalLong optional) {
      return optional.isPresent() ? optional.getAsLong() : null;
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      JsonArray array = new JsonArray(new ArrayList<>(length));
      for (int i = 0; i < length; i++) {
        array.add(encode(Array.get(value, i)));
      }
      return array;
    }
    throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot travel on the bus");
  }

  /** Reads {@code json} (as {@link #encode} writes it) as a value of {@code type}. */
  @SuppressWarnings("unchecked")
  public static <T> T decode(Type type, Object json) {
    return (T) read(type, json);
  }

  private static Object read(Type type, Object json) {
    Class<?> raw = rawClass(type);
    if (json == null) {
      return absent(raw);
    }
    if (raw == String.class) {
      return (String) json;
    }
    if (raw == int.class || raw == Integer.class) {
      return ((Number) json).intValue();
    }
    if (raw == long.class || raw == Long.class) {
      return ((Number) json).longValue();
    }
    if (raw == double.class || raw == Double.class) {
      return ((Number) json).doubleValue();
    }
    if (raw == float.class || raw == Float.class) {
      return ((Number) json).floatValue();
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return (Boolean) json;
    }
    if (raw == short.class || raw == Short.class) {
      return ((Number) json).shortValue();
    }
    if (raw == byte.class || raw == Byte.class) {
      return ((Number) json).byteValue();
    }
    if (raw.isRecord()) {
      return SHAPES.get(raw).decode(object(json));
    }
    if (raw.isEnum()) {
      return ENUMS.get(raw).constant((String) json);
    }
    if (raw == JsonObject.class) {
      return object(json);
    }
    if (raw == JsonArray.class) {
      return array(json);
    }
    if (raw == List.class || raw == Collection.class || raw == Set.class) {
      Type item = typeArgument(type, 0);
      JsonArray array = array(json);
      Collection<Object> items = raw == Set.class ? new LinkedHashSet<>() : new ArrayList<>(array.size());
      for (Object element : array) {
        items.add(read(item, element));
      }
      return raw == Set.class ? Collections.unmodifiableSet((Set<Object>) items)
          : Collections.unmodifiableList((List<Object>) items);
    }
    if (raw == Map.class) {
      Type key = typeArgument(type, 0);
      Type item = typeArgument(type, 1);
      Map<Object, Object> map = new LinkedHashMap<>();
      object(json).forEach(entry -> map.put(read(key, entry.getKey()), read(item, entry.getValue())));
      return Collections.unmodifiableMap(map);
    }
    if (raw == Optional.class) {
      return Optional.of(read(typeArgument(type, 0), json));
    }
    if (raw == OptionalDouble.class) {
      return OptionalDouble.of(((Number) json).doubleValue());
    }
    if (raw == OptionalInt.class) {
      return OptionalInt.of(((Number) json).intValue());
    }
    if (raw == OptionalLong.class) {
      return OptionalLong.of(((Number) json).longValue());
    }
    if (raw == Instant.class) {
      return Instant.parse((String) json);
    }
    if (raw.isArray()) {
      JsonArray array = array(json);
      Type component = type instanceof GenericArrayType generic ? generic.getGenericComponentType()
          : raw.getComponentType();
      Object result = Array.newInstance(raw.getComponentType(), array.size());
      for (int i = 0; i < array.size(); i++) {
        Array.set(result, i, read(component, array.getValue(i)));
      }
      return result;
    }
    if (raw == Object.class) {
      return json;
    }
    throw new IllegalArgumentException("a " + type.getTypeName() + " cannot travel on the bus");
  }

  private static Object absent(Class<?> raw) {
    if (raw == Optional.class) {
      return Optional.empty();
    }
    if (raw == OptionalDouble.class) {
      return OptionalDouble.empty();
    }
    if (raw == OptionalInt.class) {
      return OptionalInt.empty();
    }
    if (raw == OptionalLong.class) {
      return OptionalLong.empty();
    }
    if (!raw.isPrimitive()) {
      return null;
    }
    if (raw == boolean.class) {
      return false;
    }
    if (raw == double.class) {
      return 0.0;
    }
    if (raw == float.class) {
      return 0f;
    }
    if (raw == long.class) {
      return 0L;
    }
    if (raw == int.class) {
      return 0;
    }
    return raw == short.class ? (short) 0 : (byte) 0;
  }

  @SuppressWarnings("unchecked")
  private static JsonObject object(Object json) {
    return json instanceof JsonObject object ? object : new JsonObject((Map<String, Object>) json);
  }

  @SuppressWarnings("unchecked")
  private static JsonArray array(Object json) {
    return json instanceof JsonArray array ? array : new JsonArray((List<Object>) json);
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType parameterized) {
      return (Class<?>) parameterized.getRawType();
    }
    if (type instanceof GenericArrayType array) {
      return Array.newInstance(rawClass(array.getGenericComponentType()), 0).getClass();
    }
    if (type instanceof WildcardType wildcard) {
      return rawClass(wildcard.getUpperBounds()[0]);
    }
    throw new IllegalArgumentException("a " + type.getTypeName() + " cannot travel on the bus");
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType parameterized) {
      return parameterized.getActualTypeArguments()[index];
    }
    return Object.class; // a raw collection: its items as JSON
  }

  /** {@code gsdM} → {@code gsd_m}, {@code sha256} → {@code sha256}. */
  static String fieldName(String component) {
    StringBuilder name = new StringBuilder(component.length() + 4);
    for (char c : component.toCharArray()) {
      if (Character.isUpperCase(c)) {
        name.append('_').append(Character.toLowerCase(c));
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }

  /** One record class's field names, accessors and canonical constructor. */
  private static final class Shape {
    private final Class<?> type;
    private final String[] names;
    private final Type[] types;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    Shape(Class<?> type) {
      this.type = type;
      RecordComponent[] components = type.getRecordComponents();
      names = new String[components.length];
      types = new Type[components.length];
      accessors = new MethodHandle[components.length];
      Class<?>[] parameters = new Class<?>[components.length];
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      try {
        for (int i = 0; i < components.length; i++) {
          names[i] = fieldName(components[i].getName());
          types[i] = components[i].getGenericType();
          parameters[i] = components[i].getType();
          Method accessor = components[i].getAccessor();
          accessor.setAccessible(true);
          accessors[i] = lookup.unreflect(accessor).asType(MethodType.genericMethodType(1));
        }
        Constructor<?> canonical = type.getDeclaredConstructor(parameters);
        canonical.setAccessible(true);
        constructor = lookup.unreflectConstructor(canonical).asSpreader(Object[].class, components.length)
            .asType(MethodType.methodType(Object.class, Object[].class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read record " + type.getName(), e);
      }
    }

    JsonObject encode(Object record) {
      Map<String, Object> fields = new LinkedHashMap<>(names.length * 2);
      try {
        for (int i = 0; i < names.length; i++) {
          Object value = RecordJson.encode((Object) accessors[i].invokeExact(record));
          if (value != null) {
            fields.put(names[i], value);
          }
        }
      } catch (RuntimeException e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("cannot read " + type.getName(), e);
      }
      return new JsonObject(fields);
    }

    Object decode(JsonObject json) {
      Object[] values = new Object[names.length];
      for (int i = 0; i < names.length; i++) {
        values[i] = read(types[i], json.getValue(names[i]));
      }
      try {
        return (Object) constructor.invokeExact(values);
      } catch (RuntimeException e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("cannot make " + type.getName(), e);
      }
    }
  }

  /** An enum's wire names both ways. */
  private static final class EnumNames {
    private final String[] byOrdinal;
    private final Map<String, Object> byName = new HashMap<>();
    private final Class<?> type;

    EnumNames(Class<?> type) {
      this.type = type;
      Object[] constants = type.getEnumConstants();
      byOrdinal = new String[constants.length];
      Method wireName = null;
      try {
        wireName = type.getMethod("wireName");
      } catch (NoSuchMethodException e) {
        // no wire name of its own: the lower-case name
      }
      for (Object constant : constants) {
        Enum<?> e = (Enum<?>) constant;
        String name;
        try {
          name = wireName == null ? e.name().toLowerCase(Locale.ROOT) : (String) wireName.invoke(constant);
        } catch (ReflectiveOperationException error) {
          throw new IllegalStateException("cannot read the wire name of " + e, error);
        }
        byOrdinal[e.ordinal()] = name;
        byName.put(name, constant);
      }
    }

    String wireName(Enum<?> constant) {
      return byOrdinal[constant.ordinal()];
    }

    Object constant(String name) {
      Object constant = byName.get(name);
      if (constant == null) {
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + name + "'");
      }
      return constant;
    }
  }
}
