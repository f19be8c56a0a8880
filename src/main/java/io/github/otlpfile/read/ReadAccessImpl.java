package io.github.otlpfile.read;

import com.google.protobuf.Message;
import io.github.otlpfile.internal.read.ReadAccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** The reader's side of {@link ReadAccess}. Thread-safe. */
final class ReadAccessImpl extends ReadAccess {
  static {
    install(new ReadAccessImpl());
  }

  private ReadAccessImpl() {}

  @Override
  public Message decodeJson(byte[] buffer, int offset, int length, OtlpSignal signal)
      throws MalformedRequestException {
    Message request;
    try {
      request = OtlpJsonDecoder.decode(buffer, offset, length, signal);
    } catch (MalformedRecordException e) {
      throw new MalformedRequestException(e.getMessage(), e);
    }
    Class<? extends Message> expected = requestClass(signal);
    if (!expected.isInstance(request)) {
      throw new MalformedRequestException(
          "the body is not an " + expected.getSimpleName() + " but holds another signal", null);
    }
    return request;
  }

  private static Class<? extends Message> requestClass(OtlpSignal signal) {
    switch (signal) {
      case TRACES:
        return ExportTraceServiceRequest.class;
      case METRICS:
        return ExportMetricsServiceRequest.class;
      default:
        return ExportLogsServiceRequest.class;
    }
  }

  @Override
  public List<SpanData> spans(ExportTraceServiceRequest request) {
    return ProtoToSdk.spans(request);
  }

  @Override
  public List<MetricData> metrics(ExportMetricsServiceRequest request) {
    return ProtoToSdk.metrics(request);
  }

  @Override
  public List<LogRecordData> logRecords(ExportLogsServiceRequest request) {
    return ProtoToSdk.logRecords(request);
  }

  @Override
  public int itemCount(Message request) {
    return OtlpRecord.itemCount(request);
  }
}
