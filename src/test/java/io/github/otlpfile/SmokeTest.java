package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void writesSpans() throws Exception {
    OtlpFileSpanExporter exporter = OtlpFileSpanExporter.builder().setDirectory(dir).build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    for (int i = 0; i < 100; i++) {
      provider.get("test").spanBuilder("span-" + i).startSpan().end();
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("traces"))) {
      files = s.toList();
    }
    assertThat(files).hasSize(1);
    String text = Files.readString(files.get(0));
    System.out.println(files.get(0) + "\n" + text.substring(0, Math.min(600, text.length())));
    assertThat(exporter.getStats().getExportedItems()).isEqualTo(100);
  }
}
