package org.geohazard.bus;

/**
 * A failure with its {@link Failure} code: raised where work fails, carried over the event bus as
 * {@code message.fail(code, text)} by {@link Address#consume}, and read back as this type by
 * {@link Address#request}, so every stage (and the HTTP error mapping) reads one type.
 */
public final class FailureException extends RuntimeException {
  private final Failure failure;

  public FailureException(Failure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
