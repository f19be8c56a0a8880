package io.github.otlpfile.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.file.TestSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Metrics and logs are encoded as the OpenTelemetry exporters' own request marshalers encode them,
 * and a binary request encoded elsewhere is framed like any other {@code PROTOBUF} record.
 */
class SignalEncodingTest {
  /** The record the plain (not low-allocation) request marshaler makes of the same data. */
  private static byte[] expectedRecord(OtlpFileFormat format, Marshaler request)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (format == OtlpFileFormat.JSON_LINES) {
      request.writeJsonTo(bytes);
      bytes.write('\n');
    } else {
      new DataOutputStream(bytes).writeInt(request.getBinarySerializedSize());
      request.writeBinaryTo(bytes);
    }
    return bytes.toByteArray();
  }

  private static <T> byte[] encodeTwice(BatchEncoder<T> encoder, Collection<T> items)
      throws IOException {
    EncodedBuffer first = encoder.encode(items);
    byte[] bytes = first.toByteArray();
    encoder.recycle(first);
    // The pooled marshaler and buffer give the same record again.
    EncodedBuffer second = encoder.encode(items);
    assertThat(second.toByteArray()).isEqualTo(bytes);
    encoder.recycle(second);
    return bytes;
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void metricsAreEncodedAsTheExportersEncodeThem(OtlpFileFormat format) throws IOException {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      LongCounter counter = meters.get("test").counterBuilder("requests").build();
      counter.add(5, Attributes.of(AttributeKey.stringKey("k"), "a"));
      counter.add(7, Attributes.of(AttributeKey.stringKey("k"), "b"));
      meters.get("test").gaugeBuilder("load").buildWithCallback(g -> g.record(0.5));
      Collection<MetricData> metrics = reader.collectAllMetrics();
      assertThat(metrics).hasSize(2);

      byte[] record = encodeTwice(BatchEncoder.forMetrics(format), metrics);

      assertThat(record).isEqualTo(expectedRecord(format, MetricsRequestMarshaler.create(metrics)));
      assertThat(new String(record, StandardCharsets.UTF_8)).contains("requests", "load");
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void logRecordsAreEncodedAsTheExportersEncodeThem(OtlpFileFormat format) throws IOException {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider loggers =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory))
            .build()) {
      Logger logger = loggers.get("test");
      logger.logRecordBuilder().setBody("first message").emit();
      logger.logRecordBuilder().setBody("second message").setAttribute("k", "v").emit();
      List<LogRecordData> logs = new ArrayList<>(memory.getFinishedLogRecordItems());
      assertThat(logs).hasSize(2);

      byte[] record = encodeTwice(BatchEncoder.forLogs(format), logs);

      assertThat(record).isEqualTo(expectedRecord(format, LogsRequestMarshaler.create(logs)));
      assertThat(new String(record, StandardCharsets.UTF_8))
          .contains("first message", "second message");
    }
  }

  @Test
  void aBinaryRequestFromElsewhereIsFramedWithItsLength() {
    BatchEncoder<?> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    byte[] request = {9, 9, 1, 2, 3, 4, 5, 9};

    EncodedBuffer buffer = encoder.wrapBinary(request, 2, 5);

    assertThat(buffer.toByteArray()).containsExactly(0, 0, 0, 5, 1, 2, 3, 4, 5);
    encoder.recycle(buffer);
    EncodedBuffer empty = encoder.wrapBinary(request, 8, 0);
    assertThat(empty).as("the recycled buffer, reset").isSameAs(buffer);
    assertThat(empty.toByteArray()).containsExactly(0, 0, 0, 0);
  }

  /**
   * Encodes a batch that nothing else refers to and returns a weak reference to one of its items.
   */
  private static <T> WeakReference<T> encodeAndDrop(BatchEncoder<T> encoder, List<T> batch)
      throws IOException {
    WeakReference<T> item = new WeakReference<>(batch.get(0));
    EncodedBuffer buffer = encoder.encode(batch);
    assertThat(buffer.size()).isPositive();
    encoder.recycle(buffer);
    return item;
  }

  private static boolean collected(WeakReference<?> reference) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (reference.get() != null && System.nanoTime() < deadline) {
      System.gc();
    }
    return reference.get() == null;
  }

  private static List<MetricData> metrics() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      meters.get("test").counterBuilder("requests").build().add(3);
      return new ArrayList<>(reader.collectAllMetrics());
    }
  }

  private static List<LogRecordData> logs() {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider loggers =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory))
            .build()) {
      loggers.get("test").logRecordBuilder().setBody("message").emit();
      List<LogRecordData> logs = new ArrayList<>(memory.getFinishedLogRecordItems());
      memory.reset();
      return logs;
    }
  }

  /**
   * Under {@code MemoryMode.REUSABLE_DATA} the SDK reuses the data objects, and pooled marshalers
   * must not keep a batch alive until the next one: once encoded, a batch is the caller's alone.
   */
  @Test
  void theEncoderKeepsNoReferenceToABatchItHasEncoded() throws IOException {
    BatchEncoder<SpanData> spans = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    BatchEncoder<MetricData> metrics = BatchEncoder.forMetrics(OtlpFileFormat.JSON_LINES);
    BatchEncoder<LogRecordData> logs = BatchEncoder.forLogs(OtlpFileFormat.PROTOBUF);

    assertThat(collected(encodeAndDrop(spans, TestSpans.batch("s", 5)))).as("spans").isTrue();
    assertThat(collected(encodeAndDrop(metrics, metrics()))).as("metrics").isTrue();
    assertThat(collected(encodeAndDrop(logs, logs()))).as("logs").isTrue();
  }
}
