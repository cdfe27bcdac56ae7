package org.geohazard.api;

/** An error answer: HTTP status, stable machine code and a message a person can act on. */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "invalid_request", message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message);
  }
}
