package io.github.otlpfile;

import io.github.otlpfile.support.SpanFixture;

class OtlpFileSpanExporterTest
    extends AbstractFileExporterTest<io.opentelemetry.sdk.trace.data.SpanData> {
  OtlpFileSpanExporterTest() {
    super(new SpanFixture());
  }
}
