package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path directory;

  @Test
  void demoWritesAllThreeSignals() throws Exception {
    int status =
        OtlpFileCommand.execute(
            "demo", "--directory", directory.toString(), "--format", "PROTOBUF", "-n", "50");

    assertThat(status).isZero();
    assertThat(OtlpFileReader.readSpans(directory)).isNotEmpty();
    assertThat(OtlpFileReader.readMetrics(directory)).isNotEmpty();
    assertThat(OtlpFileReader.readLogRecords(directory)).isNotEmpty();
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(OtlpFileCommand.execute()).isEqualTo(2);
    assertThat(OtlpFileCommand.execute("no-such-command")).isEqualTo(2);
    assertThat(OtlpFileCommand.execute("demo", "--format", "XML")).isEqualTo(2);
  }
}
