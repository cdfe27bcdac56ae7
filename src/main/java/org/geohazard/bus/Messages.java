package org.geohazard.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;

/**
 * The event bus's codecs: {@link Envelope}s and {@link Failure}s (services and broadcasts), and, for the typed
 * {@link Address}es of inference and model changes, one codec per record they carry, over {@link RecordJson} with
 * the same version as the envelope's.
 */
public final class Messages {

  private Messages() {}

  /** Registers every codec on {@code bus}; once per Vert.x instance. */
  public static void registerCodecs(EventBus bus) {
    Envelope.registerCodecs(bus);
    for (Class<?> type : new Class<?>[] {ImageClaim.class, Analysis.class, HealthQuery.class, InferenceStatus.class,
        ModelInstall.class}) {
      register(bus, type);
    }
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new RecordCodec<>(type));
  }

  /** A record as itself locally, as length-prefixed JSON {@code {v, body}} on the wire. */
  static final class RecordCodec<T> extends Envelope.ByReference<T> {
    private final Class<T> type;

    RecordCodec(Class<T> type) {
      super("geohazard." + type.getSimpleName());
      this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T record) {
      Buffer json = new JsonObject().put("v", Envelope.VERSION).put("body", RecordJson.encode(record)).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      JsonObject json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
      int version = json.getInteger("v", 0);
      if (version != Envelope.VERSION) {
        // Vert.x logs this and drops the message: the sender's request times out, and this line says why.
        throw new IllegalArgumentException("a " + type.getSimpleName() + " of bus version " + version
            + " came from another node; this node reads version " + Envelope.VERSION);
      }
      return RecordJson.decode(type, json.getValue("body"));
    }
  }
}
