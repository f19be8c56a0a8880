package io.github.otlpfile;

import io.github.otlpfile.support.LogFixture;

class OtlpFileLogRecordExporterTest
    extends AbstractFileExporterTest<io.opentelemetry.sdk.logs.data.LogRecordData> {
  OtlpFileLogRecordExporterTest() {
    super(new LogFixture());
  }
}
