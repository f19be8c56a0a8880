package io.github.otlpfile.support;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.OtlpFileSpanExporterBuilder;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Spans named {@code item-<id>}. */
public final class SpanFixture implements SignalFixture<SpanData> {
  @Override
  public String folder() {
    return "traces";
  }

  @Override
  public OtlpFileExporterBuilder<?> builder() {
    return OtlpFileSpanExporter.builder();
  }

  @Override
  public Exporter<SpanData> build(OtlpFileExporterBuilder<?> builder) {
    OtlpFileSpanExporter exporter = ((OtlpFileSpanExporterBuilder) builder).build();
    return new Exporter<>(
        exporter::export, exporter::flush, exporter::shutdown, exporter::getStats);
  }

  @Override
  public SpanData item(int id) {
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                String.format("%032x", id + 1),
                String.format("%016x", id + 1),
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setName("item-" + id)
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(1_000_000_000L)
        .setEndEpochNanos(2_000_000_000L)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setTotalRecordedEvents(0)
        .setTotalRecordedLinks(0)
        .build();
  }

  @Override
  public List<Integer> readIds(Path signalDirectory) {
    List<Integer> ids = new ArrayList<>();
    for (SpanData span : OtlpFileReader.readSpans(signalDirectory)) {
      ids.add(idOf(span.getName()));
    }
    return ids;
  }

  static int idOf(String name) {
    return Integer.parseInt(name.substring("item-".length()));
  }
}
