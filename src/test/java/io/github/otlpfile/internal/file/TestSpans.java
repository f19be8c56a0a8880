package io.github.otlpfile.internal.file;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Span data for tests that drive exporters directly. */
public final class TestSpans {
  private TestSpans() {}

  /** {@code count} spans named {@code prefix-0}, {@code prefix-1}, … */
  public static List<SpanData> batch(String prefix, int count) {
    List<SpanData> spans = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      spans.add(span(prefix + "-" + i));
    }
    return spans;
  }

  public static SpanData span(String name) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String traceId = String.format("%016x%016x", random.nextLong(), random.nextLong() | 1);
    String spanId = String.format("%016x", random.nextLong() | 1);
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(1_700_000_000_000_000_000L)
        .setEndEpochNanos(1_700_000_000_001_000_000L)
        .setAttributes(Attributes.builder().put("test.name", name).put("test.size", 42L).build())
        .setTotalAttributeCount(2)
        .setStatus(StatusData.ok())
        .setHasEnded(true)
        .build();
  }
}
