package io.github.otlpfile.support;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileMetricExporterBuilder;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Long sums named {@code item-<id>}, each with a single data point. */
public final class MetricFixture implements SignalFixture<MetricData> {
  @Override
  public String folder() {
    return "metrics";
  }

  @Override
  public OtlpFileExporterBuilder<?> builder() {
    return OtlpFileMetricExporter.builder();
  }

  @Override
  public Exporter<MetricData> build(OtlpFileExporterBuilder<?> builder) {
    OtlpFileMetricExporter exporter = ((OtlpFileMetricExporterBuilder) builder).build();
    return new Exporter<>(
        exporter::export, exporter::flush, exporter::shutdown, exporter::getStats);
  }

  @Override
  public MetricData item(int id) {
    return ImmutableMetricData.createLongSum(
        Resource.empty(),
        InstrumentationScopeInfo.create("test"),
        "item-" + id,
        "a test counter",
        "1",
        ImmutableSumData.create(
            true,
            AggregationTemporality.CUMULATIVE,
            List.of(
                ImmutableLongPointData.create(
                    1_000_000_000L, 2_000_000_000L, Attributes.empty(), id))));
  }

  @Override
  public List<Integer> readIds(Path signalDirectory) {
    List<Integer> ids = new ArrayList<>();
    for (MetricData metric : OtlpFileReader.readMetrics(signalDirectory)) {
      ids.add(SpanFixture.idOf(metric.getName()));
    }
    return ids;
  }
}
