package io.github.otlpfile.internal.read;

import com.google.protobuf.Message;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * Gives other packages of this library (the receiver) the reader's OTLP/JSON decoder, its mapping
 * from proto messages to SDK data and its item count, which stay package-private in {@code
 * io.github.otlpfile.read}. The one implementation lives there and installs itself when its class
 * is initialized.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public abstract class ReadAccess {
  private static final String IMPLEMENTATION = "io.github.otlpfile.read.ReadAccessImpl";
  private static volatile ReadAccess instance;

  protected ReadAccess() {}

  /** Returns the reader's implementation. */
  public static ReadAccess get() {
    ReadAccess access = instance;
    if (access == null) {
      try {
        Class.forName(IMPLEMENTATION, true, ReadAccess.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(IMPLEMENTATION + " is missing", e);
      }
      access = instance;
    }
    return access;
  }

  /** Called once, by the implementation's static initializer; later calls change nothing. */
  protected static synchronized void install(ReadAccess access) {
    if (instance == null) {
      instance = access;
    }
  }

  /**
   * Decodes one OTLP/JSON request of {@code signal}.
   *
   * @throws MalformedRequestException if the bytes are not one OTLP/JSON request of that signal
   */
  public abstract Message decodeJson(byte[] buffer, int offset, int length, OtlpSignal signal)
      throws MalformedRequestException;

  public abstract List<SpanData> spans(ExportTraceServiceRequest request);

  public abstract List<MetricData> metrics(ExportMetricsServiceRequest request);

  public abstract List<LogRecordData> logRecords(ExportLogsServiceRequest request);

  /** Spans, metric data points or log records in {@code request}, counted as the reader does. */
  public abstract int itemCount(Message request);

  /** A request body that is not a valid OTLP request; the message says where. */
  public static final class MalformedRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRequestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
