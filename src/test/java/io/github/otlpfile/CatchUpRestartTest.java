package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
      Process child = startChild(run);
      BlockingQueue<String> lines = output(child);
      PrintWriter requests =
          new PrintWriter(
              new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8), true);
      assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("ready");
      // The child exports one batch for each line it is sent. Two requests stay outstanding, so
      // that the child is in the middle of an export when it is killed.
      requests.println();
      requests.println();
      int written = 0;
      while (written < (outage ? 40 : 15)) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("the child's output").isNotNull();
        if (line.startsWith("written ")) {
          addBatch(line, acknowledged);
          written++;
        } else {
          assertThat(line).as("the child's output").startsWith("failed ");
        }
        requests.println();
      }
      if (!outage) {
        // Catch-up is under way: some of the backlog has arrived, not all of it.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> receiver.spanIds().size() > receivedBefore + 20);
        assertThat(new HashSet<>(receiver.spanIds())).hasSizeLessThan(acknowledged.size());
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      requests.close();
      kills++;
      String line;
      while ((line = lines.poll(5, TimeUnit.SECONDS)) != null && !line.equals(END)) {
        if (line.startsWith("written ")) {
          addBatch(line, acknowledged);
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

  private static final String END = "\u0000end";

  private Process startChild(int run) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CatchUpChildMain.class.getName());
    command.add(dir.toString());
    command.add(receiver.tracesUrl());
    command.add(Long.toString(1 + run * 1_000_000L));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static BlockingQueue<String> output(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // killed
              } finally {
                lines.add(END);
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
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
