package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.Compression;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CatFollowTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void followPrintsWhatAnExporterAppendsAcrossRotationAndCompression(OtlpFileFormat format)
      throws Exception {
    // Small files: the exporter rotates (and gzips the closed files) while cat follows.
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setMaxFileSize(600)
            .setCompression(Compression.GZIP)
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    provider.get("test").spanBuilder("before-0").startSpan().end();
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    CliFixture.Running cat =
        CliFixture.start("cat", "--follow", "--poll-interval", "20", dir.toString());
    int status = -1;
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> cat.out().contains("before-0"));
      for (int i = 0; i < 20; i++) {
        provider.get("test").spanBuilder("after-" + i).startSpan().end();
        assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                for (int i = 0; i < 20; i++) {
                  assertThat(cat.out()).contains("after-" + i + " ");
                }
              });
      assertThat(exporter.getStats().getFilesCreated()).isGreaterThan(2);
    } finally {
      status = cat.stop();
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(cat.isAlive()).isFalse();
    assertThat(status).as(cat.err()).isZero();
    // Each span once: rotation and compression did not make cat read a file twice.
    String printed = cat.out();
    for (int i = 0; i < 20; i++) {
      assertThat(printed.split("after-" + i + " ", -1)).as("after-" + i).hasSize(2);
    }
    assertThat(printed.split("before-0 ", -1)).hasSize(2);
    assertThat(cat.err()).isEmpty();
  }
}
