package io.github.otlpfile.support;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileMetricExporterBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
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
  public List<Integer> readIds(Path signalDirectory, OtlpFileFormat format) throws IOException {
    List<Integer> ids = new ArrayList<>();
    for (Path file : OtlpRecords.files(signalDirectory)) {
      if (format == OtlpFileFormat.PROTOBUF) {
        for (byte[] record : OtlpRecords.binaryRecords(file)) {
          for (ResourceMetrics rm :
              ExportMetricsServiceRequest.parseFrom(record).getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
              for (Metric metric : sm.getMetricsList()) {
                ids.add(SpanFixture.idOf(metric.getName()));
              }
            }
          }
        }
      } else {
        for (String line : OtlpRecords.jsonLines(file)) {
          OtlpRecords.forEachJson(
              line,
              metric -> ids.add(SpanFixture.idOf(metric.get("name").getAsString())),
              "resourceMetrics",
              "scopeMetrics",
              "metrics");
        }
      }
    }
    return ids;
  }
}
