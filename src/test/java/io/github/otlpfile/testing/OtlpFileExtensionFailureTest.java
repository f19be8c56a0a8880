package io.github.otlpfile.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failing test keeps its files and prints where they are; passing and aborted tests' files are
 * removed, unless the builder says to keep them; kept files of an earlier run are never read as a
 * later test's.
 */
class OtlpFileExtensionFailureTest {
  static final AtomicReference<Path> passedDirectory = new AtomicReference<>();
  static final AtomicReference<Path> abortedDirectory = new AtomicReference<>();
  static final AtomicReference<Path> keptDirectory = new AtomicReference<>();

  @Test
  void aFailedTestKeepsItsFilesAndPrintsTheirPath() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    Launch.Result result;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      result = Launch.run(Map.of(), FailsOnce.class);
    } finally {
      System.setErr(original);
    }
    String printed = err.toString(StandardCharsets.UTF_8);

    assertThat(result.summary().getTestsFailedCount()).isEqualTo(1);
    assertThat(result.summary().getTestsSucceededCount()).isEqualTo(1);
    assertThat(result.summary().getTestsAbortedCount()).isEqualTo(1);
    assertThat(result.keptDirectories()).hasSize(1);
    Path kept = Paths.get(result.keptDirectories().get(0));
    try {
      assertThat(kept.getFileName().toString())
          .startsWith("OtlpFileExtensionFailureTest.FailsOnce.fails-");
      assertThat(OtlpFileReader.readSpans(kept))
          .extracting(SpanData::getName)
          .containsExactly("before-the-failure");
      try (Stream<Path> files = Files.walk(kept)) {
        assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
            .singleElement()
            .satisfies(name -> assertThat(name).startsWith("traces-").endsWith(".jsonl"));
      }
      assertThat(printed)
          .contains("FailsOnce fails() failed; its telemetry is kept in " + kept)
          .contains("cat " + kept + "/*/*.jsonl");
      assertThat(passedDirectory.get()).as("a passed test's files are removed").doesNotExist();
      assertThat(abortedDirectory.get()).as("an aborted test's files are removed").doesNotExist();
    } finally {
      deleteTree(kept);
      // The extension's temporary folder, kept for the failure, is empty now.
      Files.delete(kept.getParent());
    }
  }

  @Test
  void keepFilesKeepsThoseOfPassedTestsToo() throws Exception {
    Launch.Result result = Launch.run(Map.of(), KeepsFiles.class);
    assertThat(result.summary().getTestsSucceededCount()).as(result.failures()).isEqualTo(1);
    Path kept = keptDirectory.get();
    try {
      assertThat(OtlpFileReader.readSpans(kept))
          .extracting(SpanData::getName)
          .containsExactly("kept");
      assertThat(result.keptDirectories()).as("not a failure: nothing reported").isEmpty();
    } finally {
      deleteTree(kept.getParent());
    }
  }

  @Test
  void aDirectoryLeftByAnEarlierRunIsNotReused(@org.junit.jupiter.api.io.TempDir Path root)
      throws Exception {
    // An earlier run's kept files, under the name the next run's first test would take.
    Path leftover = root.resolve("OtlpFileExtensionFailureTest.EarlierRun.readsOnlyItsOwn-1");
    try (io.github.otlpfile.OtlpFileSpanExporter earlier =
        io.github.otlpfile.OtlpFileSpanExporter.builder().setDirectory(leftover).build()) {
      io.opentelemetry.sdk.trace.SdkTracerProvider provider =
          io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
              .addSpanProcessor(
                  io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(earlier))
              .build();
      provider.get("earlier").spanBuilder("from-an-earlier-run").startSpan().end();
      provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    earlierRunRoot = root; // read when the launcher first uses the class
    Launch.Result result = Launch.run(Map.of(), EarlierRun.class);
    assertThat(result.summary().getTestsSucceededCount()).as(result.failures()).isEqualTo(1);
    assertThat(OtlpFileReader.readSpans(leftover))
        .extracting(SpanData::getName)
        .containsExactly("from-an-earlier-run");
  }

  static Path earlierRunRoot;

  static class EarlierRun {
    @RegisterExtension
    static final OtlpFileExtension otel =
        OtlpFileExtension.builder().setDirectory(earlierRunRoot).build();

    @Test
    void readsOnlyItsOwn() {
      otel.getOpenTelemetry().getTracer("t").spanBuilder("this-run").startSpan().end();
      assertThat(otel.getSpans()).extracting(SpanData::getName).containsExactly("this-run");
      assertThat(otel.getDirectory().getFileName().toString())
          .isEqualTo("OtlpFileExtensionFailureTest.EarlierRun.readsOnlyItsOwn-1.2");
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }

  static class FailsOnce {
    @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();

    @Test
    void fails() {
      otel.getOpenTelemetry().getTracer("t").spanBuilder("before-the-failure").startSpan().end();
      assertThat(otel.getSpans()).isEmpty(); // fails: there is one
    }

    @Test
    void passes() {
      otel.getOpenTelemetry().getTracer("t").spanBuilder("fine").startSpan().end();
      assertThat(otel.getSpans()).hasSize(1);
      passedDirectory.set(otel.getDirectory());
    }

    @Test
    void aborts() {
      otel.getOpenTelemetry().getTracer("t").spanBuilder("aborted").startSpan().end();
      abortedDirectory.set(otel.getDirectory());
      Assumptions.assumeTrue(false, "not here");
    }
  }

  static class KeepsFiles {
    @RegisterExtension
    static final OtlpFileExtension otel = OtlpFileExtension.builder().setKeepFiles(true).build();

    @Test
    void passes() {
      otel.getOpenTelemetry().getTracer("t").spanBuilder("kept").startSpan().end();
      assertThat(otel.getSpans()).hasSize(1);
      keptDirectory.set(otel.getDirectory());
    }
  }
}
