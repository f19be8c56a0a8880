package io.github.otlpfile.read;

/**
 * A record that is not a valid OTLP request. The message is one line that names where in the record
 * the fault is, for example {@code at resourceSpans[0].scopeSpans[0].spans[3].traceId: "xyz" is not
 * 32 hex digits}.
 */
final class MalformedRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedRecordException(String message) {
    super(message);
  }

  MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
