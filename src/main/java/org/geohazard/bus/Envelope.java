package org.geohazard.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Type;

/**
 * What every service call, reply and broadcast carries: a value, as itself inside a node (records are not
 * changed after they are sent, so nothing is copied), and as versioned JSON ({@link RecordJson}) between nodes.
 * A node that receives a version it does not read fails the call with {@link Failure.Code#INCOMPATIBLE} instead of
 * half-reading it. A {@link Failure} travels with the same version (its own codec, registered here too).
 */
public final class Envelope {

  /** The version of every payload's JSON; one more when any record on the bus changes incompatibly. */
  public static final int VERSION = 1;

  private final Object value;
  private final Object json;
  private final String incompatible;

  private Envelope(Object value, Object json, String incompatible) {
    this.value = value;
    this.json = json;
    this.incompatible = incompatible;
  }

  public static Envelope of(Object value) {
    return new Envelope(value, null, null);
  }

  /** The value as {@code type}: itself when it was sent from this node, read from its JSON when from another. */
  @SuppressWarnings("unchecked")
  public <T> T read(Type type) {
    if (incompatible != null) {
      throw new Failure(Failure.Code.INCOMPATIBLE, incompatible);
    }
    return json == null ? (T) value : RecordJson.decode(type, json);
  }

  /** A call's arguments, read as {@code types} when they came from another node. */
  public Object[] arguments(Type[] types) {
    if (json == null) {
      return incompatible == null ? (Object[]) value : read(Object[].class);
    }
    JsonArray values = (JsonArray) json;
    Object[] arguments = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      arguments[i] = RecordJson.decode(types[i], values.getValue(i));
    }
    return arguments;
  }

  /** Registers the codecs of envelopes and failures on {@code bus}; once per Vert.x instance. */
  public static void registerCodecs(EventBus bus) {
    bus.registerDefaultCodec(Envelope.class, new Codec());
    bus.registerDefaultCodec(Failure.class, new FailureCodec());
  }

  private static String refusal(int version) {
    return "a bus payload of version " + version + " came from another node; this node reads version " + VERSION;
  }

  private static void write(Buffer buffer, JsonObject json) {
    Buffer bytes = json.put("v", VERSION).toBuffer();
    buffer.appendInt(bytes.length()).appendBuffer(bytes);
  }

  private static JsonObject read(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  /**
   * A codec that hands the sent object itself to a receiver on this node (what travels on the bus is not changed
   * after it is sent, so nothing is copied), and writes it only for another node.
   */
  abstract static class ByReference<T> implements MessageCodec<T, T> {
    private final String name;

    ByReference(String name) {
      this.name = name;
    }

    @Override
    public T transform(T sent) {
      return sent;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  /** An envelope as itself locally, as length-prefixed JSON {@code {v, body}} on the wire. */
  public static final class Codec extends ByReference<Envelope> {
    public Codec() {
      super("geohazard.envelope");
    }

    @Override
    public void encodeToWire(Buffer buffer, Envelope envelope) {
      Object body = envelope.json != null ? envelope.json : RecordJson.encode(envelope.value);
      write(buffer, new JsonObject().put("body", body));
    }

    @Override
    public Envelope decodeFromWire(int pos, Buffer buffer) {
      JsonObject json = read(pos, buffer);
      int version = json.getInteger("v", 0);
      return version == VERSION ? new Envelope(null, json.getValue("body"), null)
          : new Envelope(null, null, refusal(version));
    }
  }

  /** A failure as itself locally, as {@code {v, code, message, details, operation}} on the wire. */
  static final class FailureCodec extends ByReference<Failure> {
    FailureCodec() {
      super("geohazard.failure");
    }

    @Override
    public void encodeToWire(Buffer buffer, Failure failure) {
      write(buffer, new JsonObject().put("code", failure.code().wireName()).put("message", failure.getMessage())
          .put("details", failure.details()).put("operation", failure.operation()));
    }

    @Override
    public Failure decodeFromWire(int pos, Buffer buffer) {
      JsonObject json = read(pos, buffer);
      int version = json.getInteger("v", 0);
      if (version != VERSION) {
        return new Failure(Failure.Code.INCOMPATIBLE, refusal(version));
      }
      Failure.Code code;
      try {
        code = Failure.Code.fromWire(json.getString("code"));
      } catch (IllegalArgumentException unknown) {
        code = Failure.Code.INTERNAL_ERROR; // a newer node's code: this node cannot say more than that it failed
      }
      // A node from before the operation was sent leaves it out: then it is not known.
      return new Failure(code, json.getString("message"), json.getJsonObject("details"), json.getString("operation"));
    }
  }
}
