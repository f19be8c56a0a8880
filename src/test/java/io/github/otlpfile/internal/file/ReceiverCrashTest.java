package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.cli.OtlpFileCommand;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.support.ChildJvm;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running an {@link io.github.otlpfile.receive.OtlpFileReceiver} with SIGKILL
 * while senders in this JVM post OTLP/HTTP protobuf requests to it, again and again into the same
 * folder: every request answered with 200 is in the files exactly once, and the only damage is a
 * torn last record of a file. The receiver answers only after the request's record is written, so
 * this holds even under {@link Durability#NONE}: a written record is in the operating system's page
 * cache, which a killed process does not take with it (a power loss does; see docs/RELIABILITY.md).
 */
class ReceiverCrashTest {
  private static final long MAX_FILE_SIZE = 16 * 1024;
  private static final int KILLS = 4;
  private static final int SENDERS = 3;
  private static final int SPANS_PER_REQUEST = 10;

  @TempDir Path dir;

  @Test
  void everyRequestAnsweredWith200SurvivesAKill() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int tornTails = 0;
    for (int run = 0; run < KILLS; run++) {
      OtlpFileFormat format = run % 2 == 0 ? OtlpFileFormat.PROTOBUF : OtlpFileFormat.JSON_LINES;
      Durability durability = run == KILLS - 1 ? Durability.EVERY_WRITE : Durability.NONE;
      int acksBeforeKill = 10 + random.nextInt(60);
      AtomicInteger acks = new AtomicInteger();
      // The `otlp-file serve` command, as a user runs it, with small files and no retention.
      try (ChildJvm child =
          ChildJvm.start(
              OtlpFileCommand.class,
              "serve",
              "--directory",
              dir.toString(),
              "--format",
              format == OtlpFileFormat.PROTOBUF ? "binpb" : "jsonl",
              "--durability",
              durability.name().toLowerCase(Locale.ROOT),
              "--max-file-size",
              MAX_FILE_SIZE + "B",
              "--max-files",
              String.valueOf(Integer.MAX_VALUE),
              "--max-total-size",
              "1024GiB",
              "--max-age",
              "3650d",
              "--http-port",
              "0",
              "--grpc-port",
              "-1",
              "--status-interval",
              "0s")) {
        String listening = "otlp-file serve: OTLP/HTTP on ";
        String line = child.nextLine(Duration.ofSeconds(60));
        while (line != null && !line.startsWith(listening)) {
          line = child.nextLine(Duration.ofSeconds(60));
        }
        assertThat(line).as("the line with serve's endpoint").isNotNull();
        URI traces = URI.create(line.substring(listening.length()).trim() + "/v1/traces");
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
          String prefix = "r" + run + "-t" + t + "-b";
          Thread sender =
              new Thread(() -> send(client, traces, prefix, acknowledged, acks), "sender-" + t);
          sender.start();
          senders.add(sender);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= acksBeforeKill);
        child.kill();
        for (Thread sender : senders) {
          sender.join(30_000);
          assertThat(sender.isAlive()).isFalse();
        }
      }
      tornTails += checkFiles(acknowledged, "seed " + seed + ", after kill " + (run + 1));
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILLS * 10);
    System.out.println(
        "kills=" + KILLS + " acknowledged=" + acknowledged.size() + " tornTails=" + tornTails);
  }

  /** Posts requests until the receiver is gone; records each batch answered with 200. */
  private static void send(
      HttpClient client, URI traces, String prefix, Set<String> acknowledged, AtomicInteger acks) {
    for (int b = 0; ; b++) {
      String batch = prefix + b;
      try {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(TestSpans.batch(batch, SPANS_PER_REQUEST)).writeBinaryTo(body);
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(traces)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          acknowledged.add(batch);
          acks.incrementAndGet();
        }
      } catch (IOException e) {
        return; // killed: the connection is refused or reset
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Checks every file; returns how many end in a torn record. */
  private int checkFiles(Set<String> acknowledged, String when) throws IOException {
    Map<String, Path> filePerBatch = new HashMap<>();
    int torn = 0;
    for (FileFolder.Entry entry : new FileFolder(dir.resolve("traces"), "traces").list()) {
      Path file = entry.getPlain();
      ReadBack.FileRead contents = ReadBack.leniently(file);
      assertThat(contents.problems())
          .as("%s: %s", when, file)
          .hasSizeLessThanOrEqualTo(1)
          .allSatisfy(
              p -> {
                assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.TRUNCATED_TAIL);
                assertThat(p.getPosition()).isEqualTo(contents.endOfWholeRecords());
              });
      torn += contents.problems().size();
      for (OtlpRecord record : contents.records()) {
        // One request is one record.
        List<String> names = ReadBack.spanNames(record.getTraceRequest());
        assertThat(names).as("%s: %s", when, file).hasSize(SPANS_PER_REQUEST);
        String batch = names.get(0).substring(0, names.get(0).lastIndexOf('-'));
        assertThat(filePerBatch.put(batch, file))
            .as("%s: batch %s written once", when, batch)
            .isNull();
      }
    }
    for (String batch : acknowledged) {
      assertThat(filePerBatch).as("%s: acknowledged batch %s", when, batch).containsKey(batch);
    }
    return torn;
  }
}
