package org.geohazard.persistence;

import org.geohazard.bus.Failure;

/** A failure with its bus code, raised inside a handler and sent back with {@code message.fail}. */
final class FailureException extends RuntimeException {
  private final Failure failure;

  FailureException(Failure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  Failure failure() {
    return failure;
  }
}
