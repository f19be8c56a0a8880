package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.support.ChildJvm;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes killed with SIGKILL during an outage and during catch-up, several times over one
 * folder; a fresh exporter then delivers everything, and the duplicates stay within what can be in
 * flight at each kill.
 */
class CatchUpRestartTest {
  @TempDir Path dir;
  private OtlpHttpReceiver receiver;

  @BeforeEach
  void setUp() throws IOException {
    receiver = new OtlpHttpReceiver();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    receiver.close();
  }

  @Test
  void killedDuringOutagesAndCatchUpAFreshExporterDeliversEverything() throws Exception {
    Set<String> acknowledged = new HashSet<>();
    int kills = 0;
    for (int run = 0; run < 4; run++) {
      boolean outage = run % 2 == 0;
      if (outage) {
        receiver.stop();
      } else {
        receiver.start();
      }
      int receivedBefore = receiver.spanIds().size();
      try (ChildJvm child =
          ChildJvm.start(
              CatchUpChildMain.class,
              dir.toString(),
              receiver.tracesUrl(),
              Long.toString(1 + run * 1_000_000L))) {
        assertThat(child.nextLine(Duration.ofSeconds(60))).isEqualTo("ready");
        // The child exports one batch for each line it is sent. Two requests stay outstanding, so
        // that the child is in the middle of an export when it is killed.
        child.send("");
        child.send("");
        int written = 0;
        while (written < (outage ? 40 : 15)) {
          String line = child.nextLine(Duration.ofSeconds(60));
          assertThat(line).as("the child's output").isNotNull();
          if (line.startsWith("written ")) {
            addBatch(line, acknowledged);
            written++;
          } else {
            assertThat(line).as("the child's output").startsWith("failed ");
          }
          child.send("");
        }
        if (!outage) {
          // Catch-up is under way: some of the backlog has arrived, not all of it.
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> receiver.spanIds().size() > receivedBefore + 20);
          assertThat(new HashSet<>(receiver.spanIds())).hasSizeLessThan(acknowledged.size());
        }
        child.kill();
        kills++;
        for (String line : child.remainingLines(Duration.ofSeconds(30))) {
          if (line.startsWith("written ")) {
            addBatch(line, acknowledged);
          }
        }
      }
    }

    // The last run ended with the receiver up.
    Set<String> inFiles = idsInFiles(dir.resolve("traces"));
    assertThat(inFiles).containsAll(acknowledged);
    OtlpFileSpanExporter fresh =
        CatchUpChildMain.builder(dir.toString(), receiver.tracesUrl()).build();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new HashSet<>(receiver.spanIds()).containsAll(inFiles));
    assertThat(fresh.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<String> received = new ArrayList<>(receiver.spanIds());
    int duplicates = received.size() - new HashSet<>(received).size();
    System.out.println(
        "CatchUpRestartTest: "
            + received.size()
            + " spans received, "
            + duplicates
            + " duplicates after "
            + kills
            + " kills");
    // In flight at a kill: the live batches (forwardMaxInFlight, 4), the catch-up batch, and the
    // batches delivered while the checkpoint was being written: one of each kind at most.
    int bound = kills * (4 + 1 + 1) * CatchUpChildMain.BATCH;
    assertThat(duplicates).as("duplicates of %s spans", received.size()).isLessThanOrEqualTo(bound);
    assertThat(new HashSet<>(received)).containsAll(inFiles);
  }

  /** "written ID": the batch of spans ID-9 .. ID is in the file. */
  private static void addBatch(String line, Set<String> acknowledged) {
    long last = Long.parseLong(line.substring("written ".length()));
    for (long id = last - CatchUpChildMain.BATCH + 1; id <= last; id++) {
      acknowledged.add(String.format("%016x", id));
    }
  }

  private static Set<String> idsInFiles(Path folder) {
    Set<String> ids = new HashSet<>();
    try (OtlpFileReader reader = OtlpFileReader.open(folder)) {
      for (OtlpRecord record : reader) {
        for (SpanData span : record.getSpans()) {
          ids.add(span.getSpanId());
        }
      }
    }
    return ids;
  }
}
