package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.cli.OtlpFileCommand;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How long the first index pass over a large folder takes, and the heap it keeps. Runs only when
 * asked: {@code mvn test -Dtest=ViewIndexSizeTest -Dotlpfile.view.sizeTestRequests=200000
 * [-Dotlpfile.view.sizeTestDir=/tmp/view-size]}; the folder is written once by {@code otlp-file
 * demo} and reused.
 */
@EnabledIfSystemProperty(named = "otlpfile.view.sizeTestRequests", matches = "\\d+")
class ViewIndexSizeTest {
  @Test
  void indexesALargeFolder() throws Exception {
    int requests = Integer.getInteger("otlpfile.view.sizeTestRequests");
    Path directory =
        Paths.get(System.getProperty("otlpfile.view.sizeTestDir", "target/view-size-" + requests));
    if (!Files.isDirectory(directory)) {
      assertThat(
              OtlpFileCommand.execute(
                  "demo", "-d", directory.toString(), "-n", Integer.toString(requests)))
          .isZero();
    }
    long bytes;
    try (Stream<Path> files = Files.walk(directory)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    // The reader alone, as the baseline (and to have the files in the page cache for both).
    long readerStarted = System.nanoTime();
    long spans = 0;
    long logs = 0;
    try (OtlpFileReader reader = OtlpFileReader.open(directory)) {
      for (OtlpRecord record : reader) {
        if (record.getSignal() == OtlpSignal.TRACES) {
          spans += record.getItemCount();
        } else if (record.getSignal() == OtlpSignal.LOGS) {
          logs += record.getItemCount();
        }
      }
    }
    long readerMillis = (System.nanoTime() - readerStarted) / 1_000_000;
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    long heapBefore = runtime.totalMemory() - runtime.freeMemory();
    // Keep the index reachable until after the heap is measured.
    ViewIndex index = new ViewIndex(List.of(directory));
    long started = System.nanoTime();
    index.refresh();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.gc();
    long heapAfter = runtime.totalMemory() - runtime.freeMemory();
    ViewIndex.Stats stats = index.stats();
    assertThat(index.refresh()).isFalse();
    System.out.printf(
        "indexed %.1f MiB (%d files, %d records, %d spans, %d traces, %d logs, %d points) in %d ms"
            + " (%.1f MiB/s; the reader alone: %d ms); index heap about %.1f MiB (%.0f bytes per"
            + " span, %.0f per trace)%n",
        bytes / 1048576.0,
        stats.files,
        stats.records,
        stats.spans,
        stats.traces,
        stats.logs,
        stats.points,
        millis,
        bytes / 1048576.0 / (millis / 1000.0),
        readerMillis,
        (heapAfter - heapBefore) / 1048576.0,
        (heapAfter - heapBefore) / (double) stats.spans,
        (heapAfter - heapBefore) / (double) stats.traces);
    // The demo's SDK may drop spans under load: compare with what the files hold.
    assertThat(stats.spans).isEqualTo(spans).isPositive();
    assertThat(stats.logs).isEqualTo(logs);
    assertThat(stats.problems).isEmpty();
  }
}
