package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Catch-up's reader of one file, on files the library's encoder wrote, for every signal. */
class ReaderBacklogTest {
  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(ReaderBacklog.class.getName());

  private static <T> byte[] encode(BatchEncoder<T> encoder, Collection<T> items)
      throws IOException {
    EncodedBuffer buffer = encoder.encode(items);
    byte[] bytes = buffer.toByteArray();
    encoder.recycle(buffer);
    return bytes;
  }

  private Path file(String name, byte[]... records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] record : records) {
      out.write(record);
    }
    Path file = dir.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  private static <T> List<BacklogReader.Record<T>> readAll(Signal signal, Path file) {
    assertThat(BacklogReader.isAvailable()).isTrue();
    List<BacklogReader.Record<T>> records = new ArrayList<>();
    try (BacklogReader<T> reader = BacklogReader.<T>forSignal(signal).open(file)) {
      for (BacklogReader.Record<T> record = reader.next(); ; record = reader.next()) {
        if (record == null) {
          break;
        }
        records.add(record);
      }
      assertThat(reader.next()).as("still at the end").isNull();
    }
    return records;
  }

  @Test
  void spansComeBackRecordByRecordWithTheirPositionsUpToATornEnd() throws IOException {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    byte[] first = encode(encoder, TestSpans.batch("first", 3));
    byte[] second = encode(encoder, TestSpans.batch("second", 2));
    // A crash while the last record was written: its length prefix promises more than is there.
    byte[] torn = {0, 0, 1, 0, 10, 2};
    Path file = file("traces-20250101T000001.000Z-0123456789ab-1.binpb", first, second, torn);

    List<BacklogReader.Record<SpanData>> records = readAll(Signal.TRACES, file);

    assertThat(records).hasSize(2);
    assertThat(records.get(0).position).isZero();
    assertThat(records.get(0).items).isEqualTo(3);
    assertThat(records.get(0).bytes).isEqualTo(first.length - 4);
    assertThat(records.get(0).data)
        .extracting(SpanData::getName)
        .containsExactly("first-0", "first-1", "first-2");
    assertThat(records.get(1).position).isEqualTo(first.length);
    assertThat(records.get(1).items).isEqualTo(2);
    assertThat(records.get(1).data)
        .extracting(SpanData::getName)
        .containsExactly("second-0", "second-1");
  }

  @Test
  void aDamagedRecordIsSkippedWithAWarningNamingTheFileAndPosition() throws IOException {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    byte[] first = encode(encoder, TestSpans.batch("first", 1));
    byte[] damaged = {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    byte[] last = encode(encoder, TestSpans.batch("last", 1));
    Path file = file("traces-20250101T000001.000Z-ba9876543210-1.binpb", first, damaged, last);

    List<BacklogReader.Record<SpanData>> records = readAll(Signal.TRACES, file);

    assertThat(records)
        .extracting(r -> r.data.iterator().next().getName())
        .containsExactly("first-0", "last-0");
    assertThat(logs.records())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getMessage())
                  .startsWith("Catch-up skips damage in " + file + " at " + first.length + ": ");
            });
  }

  @Test
  void metricPointsComeBackAsMetricData() throws IOException {
    InMemoryMetricReader metricReader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters =
        SdkMeterProvider.builder().registerMetricReader(metricReader).build()) {
      LongCounter counter = meters.get("test").counterBuilder("requests").build();
      counter.add(5, io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("k"), "a"));
      counter.add(7, io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("k"), "b"));
      Collection<MetricData> metrics = metricReader.collectAllMetrics();
      byte[] record = encode(BatchEncoder.forMetrics(OtlpFileFormat.JSON_LINES), metrics);
      Path file = file("metrics-20250101T000001.000Z-0123456789ab-1.jsonl", record, record);

      List<BacklogReader.Record<MetricData>> records = readAll(Signal.METRICS, file);

      assertThat(records).hasSize(2);
      assertThat(records.get(0).position).as("the first line").isEqualTo(1);
      assertThat(records.get(1).position).isEqualTo(2);
      assertThat(records.get(0).items).as("two points").isEqualTo(2);
      assertThat(records.get(0).data).extracting(MetricData::getName).containsExactly("requests");
    }
  }

  @Test
  void logRecordsComeBackAsLogRecordData() throws IOException {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider loggers =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory))
            .build()) {
      Logger logger = loggers.get("test");
      logger.logRecordBuilder().setBody("one").emit();
      logger.logRecordBuilder().setBody("two").emit();
      byte[] record =
          encode(BatchEncoder.forLogs(OtlpFileFormat.PROTOBUF), memory.getFinishedLogRecordItems());
      Path file = file("logs-20250101T000001.000Z-0123456789ab-1.binpb", record);

      List<BacklogReader.Record<LogRecordData>> records = readAll(Signal.LOGS, file);

      assertThat(records).hasSize(1);
      assertThat(records.get(0).items).isEqualTo(2);
      assertThat(
              records.get(0).data.stream()
                  .map(r -> r.getBodyValue().asString())
                  .collect(Collectors.toList()))
          .containsExactly("one", "two");
    }
  }
}
