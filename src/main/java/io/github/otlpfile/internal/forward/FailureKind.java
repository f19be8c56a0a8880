package io.github.otlpfile.internal.forward;

import java.lang.reflect.Method;

/**
 * Tells a permanent rejection from a failure worth retrying, from what a delegate's failed result
 * carries. The OpenTelemetry OTLP exporters fail with an exception whose {@code getResponse()}
 * gives the HTTP status code or the gRPC status; it is read reflectively, since that exception
 * class is internal to the OpenTelemetry SDK. Response headers such as {@code Retry-After} are not
 * exposed there, so catch-up backs off by its own schedule.
 *
 * <p>Thread-safe.
 */
enum FailureKind {
  /** The endpoint refused the data for good (HTTP 400, 413; gRPC INVALID_ARGUMENT): move on. */
  PERMANENT,
  /** Anything else: no answer, 429, 5xx, UNAVAILABLE... The data is sent again later. */
  RETRYABLE;

  static FailureKind of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Object status = statusOf(t);
      if (status instanceof Integer) {
        int code = (Integer) status;
        return code == 400 || code == 413 ? PERMANENT : RETRYABLE;
      }
      if (status != null) {
        return "INVALID_ARGUMENT".equals(status.toString()) ? PERMANENT : RETRYABLE;
      }
    }
    return RETRYABLE;
  }

  /** The status in {@code t.getResponse().getStatusCode()}, or {@code null}. */
  private static Object statusOf(Throwable t) {
    try {
      Method getResponse = t.getClass().getMethod("getResponse");
      Object response = getResponse.invoke(t);
      if (response == null) {
        return null;
      }
      Method getStatusCode = getResponse.getReturnType().getMethod("getStatusCode");
      return getStatusCode.invoke(response);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
