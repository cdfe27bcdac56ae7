package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.geohazard.bus.Failure;
import org.geohazard.image.InvalidImageException;
import org.junit.jupiter.api.Test;

/**
 * Why one file of a batch was not taken: every failure of a file makes it a rejected item, so the batch is recorded
 * with the files that were taken (an outage used to fail the whole batch with 503 after its other files were stored).
 */
class BatchItemRefusalTest {

  @Test
  void theCallersOwnErrorsKeepTheirCodeAndAnOutageIsUnavailableWithoutItsText() {
    assertThat(UploadHandlers.itemRefusal(new InvalidImageException(InvalidImageException.Reason.TRUNCATED_IMAGE,
        "cut off")).code()).isEqualTo(Failure.Code.TRUNCATED_IMAGE);
    Failure quota = new Failure(Failure.Code.RATE_LIMITED, "upload quota: over");
    assertThat(UploadHandlers.itemRefusal(quota)).isSameAs(quota);
    Failure pair = new Failure(Failure.Code.INVALID_IMAGE, "before/after pair refused: no overlap");
    assertThat(UploadHandlers.itemRefusal(pair)).isSameAs(pair);

    Failure storeAway = UploadHandlers.itemRefusal(new Failure(Failure.Code.UNAVAILABLE,
        "object store unavailable; retry later"));
    assertThat(storeAway.code()).isEqualTo(Failure.Code.UNAVAILABLE);
    assertThat(storeAway.getMessage()).contains("send it again");
    Failure busTimeout = UploadHandlers.itemRefusal(new ReplyException(ReplyFailure.TIMEOUT,
        "Timed out after waiting 30000(ms) for a reply. address: persistence.images"));
    assertThat(busTimeout.code()).isEqualTo(Failure.Code.UNAVAILABLE);
    assertThat(busTimeout.getMessage()).doesNotContain("persistence");
    assertThat(UploadHandlers.itemRefusal(new IllegalStateException("java.sql.SQLException")).getMessage())
        .doesNotContain("SQL");
  }
}
