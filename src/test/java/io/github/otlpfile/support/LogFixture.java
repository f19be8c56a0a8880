package io.github.otlpfile.support;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileLogRecordExporterBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Log records whose body is {@code item-<id>}. */
public final class LogFixture implements SignalFixture<LogRecordData> {
  @Override
  public String folder() {
    return "logs";
  }

  @Override
  public OtlpFileExporterBuilder<?> builder() {
    return OtlpFileLogRecordExporter.builder();
  }

  @Override
  public Exporter<LogRecordData> build(OtlpFileExporterBuilder<?> builder) {
    OtlpFileLogRecordExporter exporter = ((OtlpFileLogRecordExporterBuilder) builder).build();
    return new Exporter<>(
        exporter::export, exporter::flush, exporter::shutdown, exporter::getStats);
  }

  @Override
  @SuppressWarnings("deprecation") // setBody(String) is the form both supported SDK versions have
  public LogRecordData item(int id) {
    return TestLogRecordData.builder()
        .setBody("item-" + id)
        .setSeverity(Severity.INFO)
        .setTimestamp(1_000_000_000L, java.util.concurrent.TimeUnit.NANOSECONDS)
        .setObservedTimestamp(1_000_000_000L, java.util.concurrent.TimeUnit.NANOSECONDS)
        .build();
  }

  @Override
  public List<Integer> readIds(Path signalDirectory, OtlpFileFormat format) throws IOException {
    List<Integer> ids = new ArrayList<>();
    for (Path file : OtlpRecords.files(signalDirectory)) {
      if (format == OtlpFileFormat.PROTOBUF) {
        for (byte[] record : OtlpRecords.binaryRecords(file)) {
          for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(record).getResourceLogsList()) {
            for (ScopeLogs sl : rl.getScopeLogsList()) {
              for (LogRecord log : sl.getLogRecordsList()) {
                ids.add(SpanFixture.idOf(log.getBody().getStringValue()));
              }
            }
          }
        }
      } else {
        for (String line : OtlpRecords.jsonLines(file)) {
          OtlpRecords.forEachJson(
              line,
              log ->
                  ids.add(
                      SpanFixture.idOf(
                          log.getAsJsonObject("body").get("stringValue").getAsString())),
              "resourceLogs",
              "scopeLogs",
              "logRecords");
        }
      }
    }
    return ids;
  }
}
