package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class FailureTest {

  @Test
  void theUploadersOwnErrorIsShownInFullTheServicesInGeneralWords() {
    assertThat(new Failure(Failure.Code.INVALID_IMAGE, "reference_missing: no object s3://b/k").publicReason())
        .isEqualTo("reference_missing: no object s3://b/k");
    assertThat(Failure.of(new IllegalArgumentException("before/after pair: no overlap")).publicReason())
        .isEqualTo("before/after pair: no overlap");

    String internal = new Failure(Failure.Code.INTERNAL_ERROR, "the stored image is missing: images/sha256/abc")
        .publicReason();
    assertThat(internal).contains("internal error").doesNotContain("images/sha256");
    assertThat(Failure.of(new IllegalStateException("java.sql.SQLException: at row 3")).publicReason())
        .doesNotContain("SQL");
    String outage = Failure.of(new ReplyException(ReplyFailure.TIMEOUT, "Timed out after waiting 30000(ms) for a"
        + " reply. address: persistence.images")).publicReason();
    assertThat(outage).contains("did not answer").doesNotContain("persistence").doesNotContain("30000");
  }
}
