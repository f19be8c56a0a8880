package io.github.otlpfile;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ExpectedReadBack;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Log records made by the real SDK go through {@code BatchLogRecordProcessor} into {@link
 * OtlpFileLogRecordExporter}, in both formats, plain and gzip, are read back with the public {@link
 * OtlpFileReader}, and must equal the {@link LogRecordData} the SDK handed to a second, in-memory
 * processor. {@link OtlpFileChecks#assertWellFormed} checks the files without the reader.
 */
class LogRoundTripTest {
  private static final long T0 = 1_700_000_000_987_654_321L;
  private static final AttributeKey<Long> SEQ = longKey("seq");
  private static final int BULK_RECORDS = 300;
  private static final String SCOPE_SCHEMA = "https://opentelemetry.io/schemas/1.24.0";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.github.otlpfile.TraceRoundTripTest#formatsAndCompressions")
  void everyLogRecordFieldSurvivesTheRoundTrip(OtlpFileFormat format, Compression compression) {
    OtlpFileLogRecordExporter exporter =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            // Small files, so that the batches spread over several, each gzipped when closed.
            .setMaxFileSize(4 * 1024)
            .build();
    InMemoryLogRecordExporter captured = InMemoryLogRecordExporter.create();
    Resource resource =
        Resource.create(
            TraceRoundTripTest.ALL_TYPES.toBuilder()
                .put(stringKey("service.name"), "round-trip")
                .build(),
            "https://opentelemetry.io/schemas/1.21.0");
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(resource)
            .setLogLimits(() -> LogLimits.builder().setMaxNumberOfAttributes(20).build())
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(captured))
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(exporter).setMaxExportBatchSize(100).build())
            .build();
    Logger versioned =
        provider
            .loggerBuilder("io.github.otlpfile.roundtrip")
            .setInstrumentationVersion("2.0.0")
            .setSchemaUrl(SCOPE_SCHEMA)
            .build();
    Logger plain = provider.get("plain-scope");
    // A provider without processors makes only invalid spans.
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
            .build();
    Span span = tracerProvider.get("tracer").spanBuilder("request").startSpan();
    assertThat(span.getSpanContext().isValid()).isTrue();

    long seq = 0;
    versioned
        .logRecordBuilder()
        .setTimestamp(T0, NANOSECONDS)
        .setObservedTimestamp(T0 + 5, NANOSECONDS)
        .setSeverity(Severity.WARN)
        .setSeverityText("warning")
        .setBody("disk almost full: 95%")
        .setAllAttributes(TraceRoundTripTest.ALL_TYPES)
        .setAttribute(SEQ, seq++)
        .emit();
    try (Scope ignored = span.makeCurrent()) {
      versioned
          .logRecordBuilder()
          .setBody("inside a span")
          .setSeverity(Severity.INFO)
          .setAttribute(SEQ, seq++)
          .emit();
    }
    List<Value<?>> bodies =
        List.of(
            Value.of(-17L),
            Value.of(2.5),
            Value.of(true),
            Value.of("bytes \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1)),
            Value.of(Value.of("a"), Value.of(1L), Value.of(Value.of(false))),
            Value.of(
                KeyValue.of("user", Value.of("alice")),
                KeyValue.of(
                    "cart",
                    Value.of(
                        KeyValue.of("items", Value.of(3L)), KeyValue.of("total", Value.of(9.5))))),
            Value.of(""));
    for (Value<?> body : bodies) {
      plain
          .logRecordBuilder()
          .setTimestamp(T0 + seq, NANOSECONDS)
          .setBody(body)
          .setAttribute(SEQ, seq++)
          .emit();
    }
    // Nothing set but the attribute: no body, no severity, no timestamp.
    plain.logRecordBuilder().setAttribute(SEQ, seq++).emit();
    versioned
        .logRecordBuilder()
        .setEventName("order.placed")
        .setBody("event")
        .setAttribute(SEQ, seq++)
        .emit();
    for (Severity severity : Severity.values()) {
      plain
          .logRecordBuilder()
          .setSeverity(severity)
          .setSeverityText(severity.name())
          .setBody("severity " + severity)
          .setAttribute(SEQ, seq++)
          .emit();
    }
    var overLimit = plain.logRecordBuilder().setAttribute(SEQ, seq++);
    for (int i = 0; i < 24; i++) {
      overLimit.setAttribute("attribute." + i, (long) i);
    }
    overLimit.emit();
    for (int i = 0; i < BULK_RECORDS; i++) {
      plain.logRecordBuilder().setBody("bulk " + i).setAttribute(SEQ, seq++).emit();
    }
    span.end();

    List<LogRecordData> expected = List.copyOf(captured.getFinishedLogRecordItems());
    assertThat(provider.shutdown().join(10, SECONDS).isSuccess()).isTrue();
    tracerProvider.close();
    assertThat(expected).hasSize((int) seq);
    assertThat(exporter.getStats().getExportedItems()).isEqualTo(seq);

    List<Path> files = OtlpFileChecks.assertWellFormed(dir, OtlpSignal.LOGS, format);
    TraceRoundTripTest.assertCompressedAsConfigured(files, compression);
    List<LogRecordData> read = OtlpFileReader.readLogRecords(dir);
    Map<Long, List<LogRecordData>> readBySeq =
        read.stream().collect(groupingBy(l -> l.getAttributes().get(SEQ)));
    assertThat(read).hasSize(expected.size());
    assertThat(readBySeq.keySet())
        .isEqualTo(
            expected.stream().map(l -> l.getAttributes().get(SEQ)).collect(Collectors.toSet()));

    // The reader's LogRecordData equals the SDK's in every getter, resource and scope included;
    // only a span context's trace state is not in the files (see ExpectedReadBack).
    for (LogRecordData log : expected) {
      assertThat(readBySeq.get(log.getAttributes().get(SEQ)).get(0))
          .as("log record %s", log.getAttributes().get(SEQ))
          .isEqualTo(ExpectedReadBack.logRecord(log));
    }

    List<ResourceLogs> resourceLogs =
        ReadBack.logsRequests(dir).stream().flatMap(r -> r.getResourceLogsList().stream()).toList();
    assertThat(resourceLogs)
        .allSatisfy(
            rl ->
                assertThat(rl.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.21.0"));
    Map<Long, List<LogRecord>> bySeq =
        resourceLogs.stream()
            .flatMap(rl -> rl.getScopeLogsList().stream())
            .flatMap(sl -> sl.getLogRecordsList().stream())
            .collect(groupingBy(LogRoundTripTest::seqOf));

    // What the application asked for, independent of LogRecordData.
    LogRecord first = only(bySeq, 0);
    assertThat(first.getTimeUnixNano()).isEqualTo(T0);
    assertThat(first.getObservedTimeUnixNano()).isEqualTo(T0 + 5);
    assertThat(first.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(first.getSeverityText()).isEqualTo("warning");
    assertThat(first.getBody().getStringValue()).isEqualTo("disk almost full: 95%");
    assertThat(first.getTraceId().isEmpty()).isTrue();

    LogRecord inSpan = only(bySeq, 1);
    assertThat(TraceRoundTripTest.hex(inSpan.getTraceId().toByteArray()))
        .isEqualTo(span.getSpanContext().getTraceId());
    assertThat(TraceRoundTripTest.hex(inSpan.getSpanId().toByteArray()))
        .isEqualTo(span.getSpanContext().getSpanId());
    assertThat(inSpan.getFlags() & 0x01).isEqualTo(0x01);
    assertThat(inSpan.getObservedTimeUnixNano()).isPositive();

    assertThat(only(bySeq, 2).getBody().getIntValue()).isEqualTo(-17L);
    assertThat(only(bySeq, 5).getBody().getBytesValue().toByteArray())
        .isEqualTo("bytes \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1));
    AnyValue cart = only(bySeq, 7).getBody().getKvlistValue().getValues(1).getValue();
    assertThat(cart.getKvlistValue().getValues(1).getValue().getDoubleValue()).isEqualTo(9.5);

    LogRecord bare = only(bySeq, 9);
    assertThat(bare.hasBody()).isFalse();
    assertThat(bare.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED);
    assertThat(bare.getTimeUnixNano()).isZero();
    assertThat(only(bySeq, 10).getEventName()).isEqualTo("order.placed");

    for (int i = 0; i < Severity.values().length; i++) {
      Severity severity = Severity.values()[i];
      LogRecord log = only(bySeq, 11 + i);
      assertThat(log.getSeverityNumberValue()).isEqualTo(severity.getSeverityNumber());
      assertThat(log.getSeverityText()).isEqualTo(severity.name());
    }
    LogRecord limited = only(bySeq, 11 + Severity.values().length);
    assertThat(limited.getAttributesCount()).isEqualTo(20);
    assertThat(limited.getDroppedAttributesCount()).isEqualTo(5);
  }

  private static long seqOf(LogRecord log) {
    return log.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(SEQ.getKey()))
        .findFirst()
        .orElseThrow()
        .getValue()
        .getIntValue();
  }

  private static LogRecord only(Map<Long, List<LogRecord>> bySeq, long seq) {
    assertThat(bySeq.get(seq)).as("log records with seq %s", seq).hasSize(1);
    return bySeq.get(seq).get(0);
  }
}
