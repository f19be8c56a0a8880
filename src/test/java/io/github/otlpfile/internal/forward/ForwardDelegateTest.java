package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.file.TestSpans;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The three calls of each signal's exporter, seen through the delegate. */
class ForwardDelegateTest {

  @Test
  void spansGoToTheExporterWhichIsNamedByItsClassOnly() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    ForwardDelegate<SpanData> delegate = ForwardDelegate.ofSpans(exporter);

    assertThat(delegate.export(TestSpans.batch("a", 2)).isSuccess()).isTrue();
    assertThat(delegate.flush().isSuccess()).isTrue();

    assertThat(exporter.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("a-0", "a-1");
    assertThat(delegate).hasToString(InMemorySpanExporter.class.getName());
    assertThat(delegate.shutdown().isSuccess()).isTrue();
    assertThat(delegate.export(TestSpans.batch("b", 1)).isSuccess())
        .as("the exporter is shut down")
        .isFalse();
  }

  @Test
  void metricsGoToTheExporter() {
    InMemoryMetricExporter exporter = InMemoryMetricExporter.create();
    ForwardDelegate<MetricData> delegate = ForwardDelegate.ofMetrics(exporter);

    assertThat(delegate).hasToString(InMemoryMetricExporter.class.getName());
    assertThat(delegate.export(Collections.<MetricData>emptyList()).isSuccess()).isTrue();
    assertThat(delegate.flush().isSuccess()).isTrue();
    assertThat(delegate.shutdown().isSuccess()).isTrue();
    assertThat(delegate.export(Collections.<MetricData>emptyList()).isSuccess()).isFalse();
  }

  @Test
  void logRecordsGoToTheExporter() {
    InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
    ForwardDelegate<LogRecordData> delegate = ForwardDelegate.ofLogs(exporter);

    assertThat(delegate).hasToString(InMemoryLogRecordExporter.class.getName());
    assertThat(delegate.export(Collections.<LogRecordData>emptyList()).isSuccess()).isTrue();
    assertThat(delegate.flush().isSuccess()).isTrue();
    assertThat(delegate.shutdown().isSuccess()).isTrue();
    assertThat(delegate.export(Collections.<LogRecordData>emptyList()).isSuccess()).isFalse();
  }
}
