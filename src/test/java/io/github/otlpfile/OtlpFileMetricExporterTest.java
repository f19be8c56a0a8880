package io.github.otlpfile;

import io.github.otlpfile.support.MetricFixture;

class OtlpFileMetricExporterTest
    extends AbstractFileExporterTest<io.opentelemetry.sdk.metrics.data.MetricData> {
  OtlpFileMetricExporterTest() {
    super(new MetricFixture());
  }
}
