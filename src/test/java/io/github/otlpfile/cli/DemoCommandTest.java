package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.support.OtlpFileReader;
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
    assertThat(OtlpFileReader.readTraces(directory)).isNotEmpty();
    assertThat(OtlpFileReader.readMetrics(directory)).isNotEmpty();
    assertThat(OtlpFileReader.readLogs(directory)).isNotEmpty();
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(OtlpFileCommand.execute()).isEqualTo(2);
    assertThat(OtlpFileCommand.execute("no-such-command")).isEqualTo(2);
    assertThat(OtlpFileCommand.execute("demo", "--format", "XML")).isEqualTo(2);
  }
}
