package io.github.otlpfile.support;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Batches for load tests, cheap to make in the millions: each batch is one span of its own (its
 * marker) followed by spans all batches share, so that the files tell not only how many spans
 * arrived but that each batch arrived exactly once, or not at all.
 */
public final class LoadSpans {
  /** The largest batch {@link #batch} makes. */
  public static final int MAX_BATCH = 512;

  private static final String MARKER = "batch-";

  private LoadSpans() {}

  /** Spans shared by all batches: the cost of the test is the exporter's, not making data. */
  private static final List<SpanData> FILLER = filler(MAX_BATCH - 1);

  private static List<SpanData> filler(int count) {
    List<SpanData> spans = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      spans.add(span("s" + i, i + 1));
    }
    return spans;
  }

  /** A small span, as cheap to encode as a real one gets; {@code id} makes its ids. */
  public static SpanData span(String name, long id) {
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                String.format("%032x", id),
                String.format("%016x", id),
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(1_700_000_000_000_000_000L)
        .setEndEpochNanos(1_700_000_000_001_000_000L)
        .setStatus(StatusData.unset())
        .setHasEnded(true)
        .build();
  }

  /** The batch {@code index} of {@code thread}: its marker span, then {@code size - 1} fillers. */
  public static List<SpanData> batch(int thread, int index, int size) {
    List<SpanData> batch = new ArrayList<>(size);
    batch.add(span(MARKER + thread + "-" + index, 1L << 40 | (long) thread << 20 | index));
    batch.addAll(FILLER.subList(0, size - 1));
    return batch;
  }

  /** What the files hold: spans, and how often each batch marker appears. */
  public record InFiles(long spans, Map<String, Integer> markers) {}

  /** Reads every trace file under {@code directory}, strictly: damage fails the test. */
  public static InFiles readTraces(Path directory) {
    List<Path> files = FileListing.files(directory.resolve("traces"));
    long spans = 0;
    Map<String, Integer> markers = new HashMap<>();
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setStrict(true).open(files.toArray(new Path[0]))) {
      for (OtlpRecord record : reader) {
        for (ResourceSpans resource : record.getTraceRequest().getResourceSpansList()) {
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            spans += scope.getSpansCount();
            for (Span span : scope.getSpansList()) {
              if (span.getName().startsWith(MARKER)) {
                markers.merge(span.getName(), 1, Integer::sum);
              }
            }
          }
        }
      }
    }
    return new InFiles(spans, markers);
  }
}
