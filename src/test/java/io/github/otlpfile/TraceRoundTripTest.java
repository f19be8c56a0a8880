package io.github.otlpfile;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ExpectedReadBack;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spans made by the real SDK go through {@code BatchSpanProcessor} into {@link
 * OtlpFileSpanExporter}, in both formats, plain and gzip, are read back with the public {@link
 * OtlpFileReader}, and must equal the {@link SpanData} the SDK handed to a second, in-memory
 * processor. {@link OtlpFileChecks#assertWellFormed} checks the files without the reader.
 */
class TraceRoundTripTest {
  private static final long T0 = 1_700_000_000_123_456_789L;
  private static final int BULK_SPANS = 250;
  private static final String RESOURCE_SCHEMA = "https://opentelemetry.io/schemas/1.21.0";
  private static final String SCOPE_SCHEMA = "https://opentelemetry.io/schemas/1.24.0";
  private static final String ODD_TEXT = "line1\nline2 \"quoted\" \\ tab\t é ✓ 日本 \u0001";

  /** One attribute of every type, with edge values where the encodings differ. */
  static final Attributes ALL_TYPES =
      Attributes.builder()
          .put(stringKey("string"), "value")
          .put(stringKey("string.empty"), "")
          .put(stringKey("string.odd"), ODD_TEXT)
          .put(booleanKey("boolean"), true)
          .put(longKey("long"), 42L)
          .put(longKey("long.max"), Long.MAX_VALUE)
          .put(longKey("long.min"), Long.MIN_VALUE)
          .put(doubleKey("double"), 3.25)
          .put(doubleKey("double.negative"), -1.0e-300)
          .put(stringArrayKey("string.array"), List.of("a", "", "c"))
          .put(booleanArrayKey("boolean.array"), List.of(true, false))
          .put(longArrayKey("long.array"), List.of(1L, -2L, Long.MAX_VALUE))
          .put(doubleArrayKey("double.array"), List.of(0.5, -2.75))
          .put(stringArrayKey("string.array.empty"), List.of())
          .build();

  @TempDir Path dir;

  static Stream<Arguments> formatsAndCompressions() {
    List<Arguments> runs = new ArrayList<>();
    for (OtlpFileFormat format : OtlpFileFormat.values()) {
      for (Compression compression : Compression.values()) {
        runs.add(Arguments.of(format, compression));
      }
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("formatsAndCompressions")
  void everySpanFieldSurvivesTheRoundTrip(OtlpFileFormat format, Compression compression) {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            // Small files, so that the batches spread over several, each gzipped when closed.
            .setMaxFileSize(4 * 1024)
            .build();
    InMemorySpanExporter captured = InMemorySpanExporter.create();
    Resource resource =
        Resource.create(
            ALL_TYPES.toBuilder().put(stringKey("service.name"), "round-trip").build(),
            RESOURCE_SCHEMA);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSpanLimits(
                SpanLimits.builder()
                    .setMaxNumberOfAttributes(20)
                    .setMaxNumberOfEvents(4)
                    .setMaxNumberOfLinks(3)
                    .setMaxNumberOfAttributesPerEvent(8)
                    .setMaxNumberOfAttributesPerLink(8)
                    .build())
            .addSpanProcessor(SimpleSpanProcessor.create(captured))
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(100).build())
            .build();
    Tracer versioned =
        provider
            .tracerBuilder("io.github.otlpfile.roundtrip")
            .setInstrumentationVersion("1.2.3")
            .setSchemaUrl(SCOPE_SCHEMA)
            .build();
    Tracer plain = provider.get("plain-scope");

    Ids ids = createSpans(versioned, plain);

    // SimpleSpanProcessor has exported every ended span; its exporter forgets them on shutdown.
    List<SpanData> expected = captured.getFinishedSpanItems();
    // Shutdown also waits for the last compression.
    assertThat(provider.shutdown().join(10, SECONDS).isSuccess()).isTrue();
    assertThat(expected).hasSize(8 + BULK_SPANS);
    assertThat(exporter.getStats().getExportedItems()).isEqualTo(expected.size());
    assertThat(exporter.getStats().getDroppedItems()).isZero();
    assertThat(exporter.getStats().getFailedItems()).isZero();

    List<Path> files = OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, format);
    assertCompressedAsConfigured(files, compression);
    assertThat(FileListing.files(dir.resolve("metrics"))).isEmpty();
    assertThat(FileListing.files(dir.resolve("logs"))).isEmpty();
    List<SpanData> read = OtlpFileReader.readSpans(dir);

    // Every span exactly once, and nothing else.
    Map<String, List<SpanData>> readBySpanId =
        read.stream().collect(groupingBy(SpanData::getSpanId));
    assertThat(read).hasSize(expected.size());
    assertThat(readBySpanId.keySet())
        .isEqualTo(expected.stream().map(SpanData::getSpanId).collect(Collectors.toSet()));

    // The reader's SpanData equals the SDK's in every getter, resource and scope included; only a
    // parent's trace flags and trace state are not in the files (see ExpectedReadBack).
    for (SpanData span : expected) {
      assertThat(readBySpanId.get(span.getSpanId()).get(0))
          .as("span %s", span.getName())
          .isEqualTo(ExpectedReadBack.span(span));
    }

    List<ResourceSpans> resourceSpans =
        ReadBack.traceRequests(dir).stream()
            .flatMap(r -> r.getResourceSpansList().stream())
            .toList();
    Map<String, List<io.opentelemetry.proto.trace.v1.Span>> bySpanId =
        resourceSpans.stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .collect(groupingBy(s -> hex(s.getSpanId().toByteArray())));
    assertThat(resourceSpans)
        .allSatisfy(rs -> assertThat(rs.getSchemaUrl()).isEqualTo(RESOURCE_SCHEMA));
    assertThat(resourceSpans.stream().flatMap(rs -> rs.getScopeSpansList().stream()))
        .allSatisfy(
            ss ->
                assertThat(ss.getSchemaUrl())
                    .isEqualTo(ss.getScope().getName().equals("plain-scope") ? "" : SCOPE_SCHEMA));

    // The comparison above trusts SpanData; these pin what the application asked for.
    io.opentelemetry.proto.trace.v1.Span root = only(bySpanId, ids.root);
    assertThat(root.getStartTimeUnixNano()).isEqualTo(T0);
    assertThat(root.getEndTimeUnixNano()).isEqualTo(T0 + 10_000_000);
    assertThat(root.getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    assertThat(attribute(root, "long.min").getIntValue()).isEqualTo(Long.MIN_VALUE);
    assertThat(attribute(root, "string.odd").getStringValue()).isEqualTo(ODD_TEXT);
    assertThat(attribute(root, "double.array").getArrayValue().getValues(1).getDoubleValue())
        .isEqualTo(-2.75);
    assertThat(root.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK);
    // Sampled, parent known to be local; newer SDKs may also set the W3C random flag (0x02).
    assertThat(root.getFlags() & ~0x02).isEqualTo(0x101);
    assertThat(
            bySpanId.values().stream()
                .map(s -> s.get(0).getKind())
                .collect(
                    Collectors.toCollection(
                        () -> EnumSet.noneOf(io.opentelemetry.proto.trace.v1.Span.SpanKind.class))))
        .containsExactlyInAnyOrder(
            io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL,
            io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER,
            io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT,
            io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER,
            io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER);

    io.opentelemetry.proto.trace.v1.Span client = only(bySpanId, ids.client);
    assertThat(hex(client.getParentSpanId().toByteArray())).isEqualTo(ids.root);
    assertThat(hex(client.getTraceId().toByteArray())).isEqualTo(ids.trace);
    assertThat(client.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(client.getStatus().getMessage()).isEqualTo("connection refused");
    assertThat(client.getEvents(0).getName()).isEqualTo("retry");
    assertThat(client.getEvents(0).getTimeUnixNano()).isEqualTo(T0 + 2_500_000);
    assertThat(client.getEvents(1).getName()).isEqualTo("exception");

    io.opentelemetry.proto.trace.v1.Span grandchild = only(bySpanId, ids.grandchild);
    assertThat(hex(grandchild.getParentSpanId().toByteArray())).isEqualTo(ids.client);

    io.opentelemetry.proto.trace.v1.Span producer = only(bySpanId, ids.producer);
    assertThat(producer.getLinksList()).hasSize(2);
    assertThat(hex(producer.getLinks(1).getSpanId().toByteArray())).isEqualTo(REMOTE_SPAN_ID);
    assertThat(producer.getLinks(1).getTraceState()).isEqualTo("other=1,vendor=opaque");
    assertThat(producer.getLinks(1).getFlags()).isEqualTo(0x301);
    assertThat(producer.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_UNSET);

    io.opentelemetry.proto.trace.v1.Span remoteChild = only(bySpanId, ids.remoteChild);
    assertThat(hex(remoteChild.getTraceId().toByteArray())).isEqualTo(REMOTE_TRACE_ID);
    assertThat(hex(remoteChild.getParentSpanId().toByteArray())).isEqualTo(REMOTE_SPAN_ID);
    assertThat(remoteChild.getTraceState()).isEqualTo("other=1,vendor=opaque");
    assertThat(remoteChild.getFlags() & ~0x02).isEqualTo(0x301);

    io.opentelemetry.proto.trace.v1.Span limited = only(bySpanId, ids.limited);
    assertThat(limited.getAttributesCount()).isEqualTo(20);
    assertThat(limited.getDroppedAttributesCount()).isEqualTo(5);
    assertThat(limited.getEventsCount()).isEqualTo(4);
    assertThat(limited.getDroppedEventsCount()).isEqualTo(2);
    assertThat(limited.getEvents(0).getDroppedAttributesCount()).isEqualTo(2);
    assertThat(limited.getLinksCount()).isEqualTo(3);
    assertThat(limited.getDroppedLinksCount()).isEqualTo(1);
    // A link's dropped attribute count depends on the SDK version (1.63 reports 0); it is
    // compared with the SDK's LinkData above.

    assertThat(
            resourceSpans.stream()
                .flatMap(rs -> rs.getScopeSpansList().stream())
                .filter(ss -> ss.getScope().getName().equals("plain-scope"))
                .mapToInt(ScopeSpans::getSpansCount)
                .sum())
        .isEqualTo(BULK_SPANS + 2);
  }

  private static final String REMOTE_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String REMOTE_SPAN_ID = "b7ad6b7169203331";

  /** Span ids the assertions look up. */
  private static final class Ids {
    String trace;
    String root;
    String client;
    String grandchild;
    String producer;
    String remoteChild;
    String limited;
  }

  private static Ids createSpans(Tracer versioned, Tracer plain) {
    Ids ids = new Ids();
    Span root =
        versioned
            .spanBuilder("GET /orders/{id}")
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(T0, NANOSECONDS)
            .setAllAttributes(ALL_TYPES)
            .startSpan();
    ids.root = root.getSpanContext().getSpanId();
    ids.trace = root.getSpanContext().getTraceId();
    Context rootContext = Context.root().with(root);

    Span internal =
        versioned
            .spanBuilder("validate")
            .setParent(rootContext)
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(T0 + 1_000_000, NANOSECONDS)
            .startSpan();
    internal.setAttribute("step", 1L);
    internal.setStatus(StatusCode.OK, "described but OK");
    internal.updateName("validate order");
    internal.end(T0 + 1_500_000, NANOSECONDS);

    Span client;
    try (Scope ignored = root.makeCurrent()) {
      // Parent taken from the current context, not set explicitly.
      client =
          versioned
              .spanBuilder("SELECT orders")
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(T0 + 2_000_000, NANOSECONDS)
              .setAttribute("db.system", "postgresql")
              .startSpan();
    }
    ids.client = client.getSpanContext().getSpanId();
    client.addEvent(
        "retry",
        Attributes.builder()
            .put("attempt", 2L)
            .put("backoff.seconds", 0.25)
            .put("fatal", false)
            .put(stringArrayKey("hosts"), List.of("db1", "db2"))
            .build(),
        T0 + 2_500_000,
        NANOSECONDS);
    client.recordException(new IllegalStateException("connection refused"));
    client.setStatus(StatusCode.ERROR, "connection refused");

    Span grandchild =
        versioned
            .spanBuilder("dns lookup")
            .setParent(Context.root().with(client))
            .setStartTimestamp(T0 + 2_100_000, NANOSECONDS)
            .startSpan();
    ids.grandchild = grandchild.getSpanContext().getSpanId();
    grandchild.end(T0 + 2_200_000, NANOSECONDS);
    client.end(T0 + 3_000_000, NANOSECONDS);

    SpanContext remote =
        SpanContext.createFromRemoteParent(
            REMOTE_TRACE_ID,
            REMOTE_SPAN_ID,
            TraceFlags.getSampled(),
            // W3C order: the entry put last comes first.
            TraceState.builder().put("vendor", "opaque").put("other", "1").build());
    Span producer =
        versioned
            .spanBuilder("publish order")
            .setParent(rootContext)
            .setSpanKind(SpanKind.PRODUCER)
            .setStartTimestamp(T0 + 4_000_000, NANOSECONDS)
            .addLink(root.getSpanContext(), Attributes.of(stringKey("link.kind"), "origin"))
            .startSpan();
    producer.addLink(remote, ALL_TYPES.toBuilder().removeIf(k -> k.getKey().contains(".")).build());
    ids.producer = producer.getSpanContext().getSpanId();
    producer.end(T0 + 5_000_000, NANOSECONDS);

    Span consumer =
        versioned
            .spanBuilder("")
            .setParent(rootContext)
            .setSpanKind(SpanKind.CONSUMER)
            .setStartTimestamp(T0 + 6_000_000, NANOSECONDS)
            .startSpan();
    consumer.setAllAttributes(ALL_TYPES);
    consumer.end(T0 + 7_000_000, NANOSECONDS);

    root.setStatus(StatusCode.OK);
    root.end(T0 + 10_000_000, NANOSECONDS);

    Span remoteChild =
        plain
            .spanBuilder("handle message")
            .setParent(Context.root().with(Span.wrap(remote)))
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    ids.remoteChild = remoteChild.getSpanContext().getSpanId();
    remoteChild.end();

    ids.limited = limitedSpan(plain);

    for (int i = 0; i < BULK_SPANS; i++) {
      Span span = plain.spanBuilder("bulk-" + i).setAttribute("i", (long) i).startSpan();
      span.addEvent("tick");
      span.end();
    }
    return ids;
  }

  /** A span past every limit the provider sets: 20 attributes, 4 events, 3 links, 8 per item. */
  private static String limitedSpan(Tracer tracer) {
    AttributesBuilder many = Attributes.builder();
    for (int i = 0; i < 10; i++) {
      many.put("k" + i, (long) i);
    }
    Attributes ten = many.build();
    Span span = tracer.spanBuilder("over the limits").startSpan();
    for (int i = 0; i < 25; i++) {
      span.setAttribute("attribute." + i, "v" + i);
    }
    for (int i = 0; i < 6; i++) {
      span.addEvent("event-" + i, ten);
    }
    for (int i = 0; i < 4; i++) {
      span.addLink(
          SpanContext.create(
              REMOTE_TRACE_ID,
              String.format("%016x", i + 1),
              TraceFlags.getDefault(),
              TraceState.getDefault()),
          ten);
    }
    span.end();
    return span.getSpanContext().getSpanId();
  }

  private static io.opentelemetry.proto.trace.v1.Span only(
      Map<String, List<io.opentelemetry.proto.trace.v1.Span>> bySpanId, String spanId) {
    List<io.opentelemetry.proto.trace.v1.Span> found = bySpanId.get(spanId);
    assertThat(found).as("spans with id %s", spanId).hasSize(1);
    return found.get(0);
  }

  /**
   * With {@link Compression#GZIP} every file is compressed once the exporter is shut down, and
   * there are several of them; without it none is.
   */
  static void assertCompressedAsConfigured(List<Path> files, Compression compression) {
    if (compression == Compression.GZIP) {
      assertThat(files)
          .hasSizeGreaterThan(1)
          .allSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".gz"));
    } else {
      assertThat(files).noneSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".gz"));
    }
  }

  private static AnyValue attribute(io.opentelemetry.proto.trace.v1.Span span, String key) {
    List<KeyValue> matches =
        span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).toList();
    assertThat(matches).as("attribute %s", key).hasSize(1);
    return matches.get(0).getValue();
  }

  static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
