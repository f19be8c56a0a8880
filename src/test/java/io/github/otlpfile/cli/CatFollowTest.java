package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.Compression;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread cat =
        new Thread(
            () ->
                status.set(
                    OtlpFileCommand.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "cat",
                        "--follow",
                        "--poll-interval",
                        "20",
                        dir.toString())));
    cat.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("before-0"));
      for (int i = 0; i < 20; i++) {
        provider.get("test").spanBuilder("after-" + i).startSpan().end();
        assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                for (int i = 0; i < 20; i++) {
                  assertThat(out.toString()).contains("after-" + i + " ");
                }
              });
      assertThat(exporter.getStats().getFilesCreated()).isGreaterThan(2);
    } finally {
      cat.interrupt();
      cat.join(10_000);
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(cat.isAlive()).isFalse();
    assertThat(status.get()).as(err.toString()).isZero();
    // Each span once: rotation and compression did not make cat read a file twice.
    String printed = out.toString();
    for (int i = 0; i < 20; i++) {
      assertThat(printed.split("after-" + i + " ", -1)).as("after-" + i).hasSize(2);
    }
    assertThat(printed.split("before-0 ", -1)).hasSize(2);
    assertThat(err.toString()).isEmpty();
  }
}
