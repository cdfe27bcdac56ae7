package org.geohazard.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.geohazard.analysis.Analysis;

/**
 * The codecs of the event-bus records. Each record travels as itself inside a node (records are not
 * changed after they are sent, so nothing is copied) and as its versioned JSON between nodes of a
 * cluster; {@link #registerCodecs} makes them the default for their classes, so a sender passes the record
 * and a receiver gets one type per address (see {@link Addresses}).
 */
public final class Messages {

  private Messages() {}

  /** Refuses a record of a version this node does not know (a newer node's), rather than half-read it. */
  static void requireVersion(JsonObject json, int known, String type) {
    int version = json.getInteger("v", 0);
    if (version != known) {
      throw new IllegalArgumentException("unsupported " + type + " version " + version + " (this node reads " + known + ")");
    }
  }

  /** Registers every record's codec on {@code bus}; once per Vert.x instance. */
  public static void registerCodecs(EventBus bus) {
    codec(bus, ImageClaim.class, ImageClaim::toJson, ImageClaim::fromJson);
    codec(bus, Analysis.class, Analysis::toJson, Analysis::fromJson);
    codec(bus, ImageRegistration.class, ImageRegistration::toJson, ImageRegistration::fromJson);
    codec(bus, Registration.class, Registration::toJson, Registration::fromJson);
    codec(bus, ImageQuery.class, ImageQuery::toJson, ImageQuery::fromJson);
    codec(bus, ImageResult.class, ImageResult::toJson, ImageResult::fromJson);
    codec(bus, StatusChange.class, StatusChange::toJson, StatusChange::fromJson);
    codec(bus, ClaimStart.class, ClaimStart::toJson, ClaimStart::fromJson);
    codec(bus, ClaimStartRequest.class, ClaimStartRequest::toJson, ClaimStartRequest::fromJson);
    codec(bus, ClaimLeases.class, ClaimLeases::toJson, ClaimLeases::fromJson);
    codec(bus, Done.class, Done::toJson, Done::fromJson);
    codec(bus, PredictionSave.class, PredictionSave::toJson, PredictionSave::fromJson);
    codec(bus, PredictionSaved.class, PredictionSaved::toJson, PredictionSaved::fromJson);
    codec(bus, BatchCreation.class, BatchCreation::toJson, BatchCreation::fromJson);
    codec(bus, BatchQuery.class, BatchQuery::toJson, BatchQuery::fromJson);
    codec(bus, BatchProgress.class, BatchProgress::toJson, BatchProgress::fromJson);
    codec(bus, AlertDraft.class, AlertDraft::toJson, AlertDraft::fromJson);
    codec(bus, AlertSaved.class, AlertSaved::toJson, AlertSaved::fromJson);
    codec(bus, AlertsQuery.class, AlertsQuery::toJson, AlertsQuery::fromJson);
    codec(bus, AlertList.class, AlertList::toJson, AlertList::fromJson);
    codec(bus, ApiKeyQuery.class, ApiKeyQuery::toJson, ApiKeyQuery::fromJson);
    codec(bus, ApiKeyMatch.class, ApiKeyMatch::toJson, ApiKeyMatch::fromJson);
    codec(bus, ApiKeyCommand.class, ApiKeyCommand::toJson, ApiKeyCommand::fromJson);
    codec(bus, ApiKeyRows.class, ApiKeyRows::toJson, ApiKeyRows::fromJson);
    codec(bus, HealthQuery.class, HealthQuery::toJson, HealthQuery::fromJson);
    codec(bus, DatabaseHealth.class, DatabaseHealth::toJson, DatabaseHealth::fromJson);
    codec(bus, InferenceStatus.class, InferenceStatus::toJson, InferenceStatus::fromJson);
    codec(bus, ResultSaved.class, ResultSaved::toJson, ResultSaved::fromJson);
    codec(bus, AlertRaised.class, AlertRaised::toJson, AlertRaised::fromJson);
    codec(bus, NodeHeartbeat.class, NodeHeartbeat::toJson, NodeHeartbeat::fromJson);
    codec(bus, AlertQuery.class, AlertQuery::toJson, AlertQuery::fromJson);
    codec(bus, AlertTransition.class, AlertTransition::toJson, AlertTransition::fromJson);
    codec(bus, AlertsHistoryQuery.class, AlertsHistoryQuery::toJson, AlertsHistoryQuery::fromJson);
    codec(bus, Alert.class, Alert::toJson, Alert::fromJson);
    codec(bus, Webhook.class, Webhook::toJson, Webhook::fromJson);
    codec(bus, WebhookCreate.class, WebhookCreate::toJson, WebhookCreate::fromJson);
    codec(bus, WebhooksQuery.class, WebhooksQuery::toJson, WebhooksQuery::fromJson);
    codec(bus, WebhookList.class, WebhookList::toJson, WebhookList::fromJson);
    codec(bus, WebhookDelete.class, WebhookDelete::toJson, WebhookDelete::fromJson);
    codec(bus, DeliveryOutcome.class, DeliveryOutcome::toJson, DeliveryOutcome::fromJson);
    codec(bus, DeliveriesQuery.class, DeliveriesQuery::toJson, DeliveriesQuery::fromJson);
    codec(bus, DeliveryList.class, DeliveryList::toJson, DeliveryList::fromJson);
    codec(bus, ClaimsQueued.class, ClaimsQueued::toJson, ClaimsQueued::fromJson);
    codec(bus, LostClaimsQuery.class, LostClaimsQuery::toJson, LostClaimsQuery::fromJson);
    codec(bus, LostClaims.class, LostClaims::toJson, LostClaims::fromJson);
    codec(bus, ModelInstall.class, ModelInstall::toJson, ModelInstall::fromJson);
    codec(bus, UsageBatch.class, UsageBatch::toJson, UsageBatch::fromJson);
    codec(bus, UsageQuery.class, UsageQuery::toJson, UsageQuery::fromJson);
    codec(bus, ShadowSave.class, ShadowSave::toJson, ShadowSave::fromJson);
    codec(bus, ShadowQuery.class, ShadowQuery::toJson, ShadowQuery::fromJson);
    codec(bus, ShadowRows.class, ShadowRows::toJson, ShadowRows::fromJson);
    codec(bus, Reanalysis.class, Reanalysis::toJson, Reanalysis::fromJson);
    codec(bus, AnalysisHistory.class, AnalysisHistory::toJson, AnalysisHistory::fromJson);
  }

  private static <T> void codec(EventBus bus, Class<T> type, Function<T, JsonObject> toJson,
                                Function<JsonObject, T> fromJson) {
    bus.registerDefaultCodec(type, new JsonRecordCodec<>(type, toJson, fromJson));
  }

  /** A record as itself locally, as length-prefixed JSON on the wire. */
  static final class JsonRecordCodec<T> implements MessageCodec<T, T> {
    private final String name;
    private final Function<T, JsonObject> toJson;
    private final Function<JsonObject, T> fromJson;

    JsonRecordCodec(Class<T> type, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
      this.name = "geohazard." + type.getSimpleName();
      this.toJson = toJson;
      this.fromJson = fromJson;
    }

    @Override
    public void encodeToWire(Buffer buffer, T record) {
      Buffer json = toJson.apply(record).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return fromJson.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public T transform(T record) {
      return record;
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
}
