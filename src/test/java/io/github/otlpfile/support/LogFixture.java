package io.github.otlpfile.support;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileLogRecordExporterBuilder;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
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
  public List<Integer> readIds(Path signalDirectory) {
    List<Integer> ids = new ArrayList<>();
    for (LogRecordData log : OtlpFileReader.readLogRecords(signalDirectory)) {
      ids.add(SpanFixture.idOf(log.getBodyValue().asString()));
    }
    return ids;
  }
}
