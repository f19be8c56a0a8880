package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.otlpfile.Compression;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.github.otlpfile.support.LogFixture;
import io.github.otlpfile.support.SpanFixture;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.internal.OtelVersion;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplayCommandTest {
  private static final SpanFixture SPANS = new SpanFixture();

  @TempDir Path directory;

  private ReplayTarget target;

  @BeforeEach
  void startTarget() throws Exception {
    target = new ReplayTarget();
  }

  @AfterEach
  void stopTarget() {
    target.close();
  }

  /** Output of one in-process run. */
  record Run(int status, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status = OtlpFileCommand.execute(args);
      return new Run(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** {@code otlp-file replay --endpoint ENDPOINT ARGS...}, run in process. */
  private static Run replay(String endpoint, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "replay";
    all[1] = "--endpoint";
    all[2] = endpoint;
    System.arraycopy(args, 0, all, 3, args.length);
    return run(all);
  }

  /** A replay to the target that keeps its place in {@code checkpoint}. */
  private Run replayChecked(Path checkpoint, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--checkpoint";
    all[1] = checkpoint.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return replay(target.endpoint(), all);
  }

  /** Writes {@code batches} batches of {@code perBatch} spans, ids from 0, into several files. */
  static List<String> writeSpans(
      Path dir, OtlpFileFormat format, Compression compression, int batches, int perBatch) {
    return writeSpans(dir, format, compression, batches, perBatch, 0);
  }

  /** As above, with span ids from {@code firstId}. */
  static List<String> writeSpans(
      Path dir,
      OtlpFileFormat format,
      Compression compression,
      int batches,
      int perBatch,
      int firstId) {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .setMaxFileSize(2048)
            .build();
    List<String> ids = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<SpanData> batch = new ArrayList<>();
      for (int i = 0; i < perBatch; i++) {
        SpanData span = SPANS.item(firstId + b * perBatch + i);
        batch.add(span);
        ids.add(span.getSpanId());
      }
      assertThat(exporter.export(batch).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    return ids;
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void replaysEveryRecordOnceInFileOrderFromPlainAndGzipFiles(OtlpFileFormat format)
      throws Exception {
    List<String> plain = writeSpans(directory.resolve("plain"), format, Compression.NONE, 6, 10);
    Path gzipped = directory.resolve("gzipped");
    List<String> gz = writeSpans(gzipped, format, Compression.GZIP, 4, 10, 1000);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listFiles(gzipped).stream().allMatch(p -> p.toString().endsWith(".gz")));
    assertThat(listFiles(directory.resolve("plain"))).hasSizeGreaterThan(1);

    Path checkpoint = directory.resolve("replay.checkpoint");
    Run first =
        replayChecked(checkpoint, directory.resolve("plain").toString(), gzipped.toString());

    assertThat(first.status()).as(first.err()).isZero();
    List<String> expected = new ArrayList<>(plain);
    expected.addAll(gz);
    // One record at a time in reading order: the ids arrive exactly in file order.
    assertThat(target.spanIds())
        .containsExactlyElementsOf(readerOrder(directory.resolve("plain"), gzipped));
    assertThat(target.spanIds()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(first.out()).contains("Replay complete: " + expected.size() + " items delivered");
    assertThat(first.out()).contains(".gz: ");

    // Run again: the checkpoint says everything was delivered, nothing is sent twice.
    int requests = target.requests();
    Run second =
        replayChecked(
            checkpoint, "--json", directory.resolve("plain").toString(), gzipped.toString());
    assertThat(second.status()).as(second.err()).isZero();
    assertThat(target.requests()).isEqualTo(requests);
    JsonObject summary = JsonParser.parseString(second.out()).getAsJsonObject();
    assertThat(summary.get("complete").getAsBoolean()).isTrue();
    assertThat(summary.get("delivered").getAsLong()).isZero();
    assertThat(summary.get("earlier").getAsLong()).isEqualTo(expected.size());
    assertThat(summary.getAsJsonArray("files").size())
        .isEqualTo(listFiles(directory.resolve("plain")).size() + listFiles(gzipped).size());
  }

  private static List<String> readerOrder(Path... paths) {
    return OtlpFileReader.readSpans(paths).stream()
        .map(SpanData::getSpanId)
        .collect(Collectors.toList());
  }

  private static List<Path> listFiles(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .collect(Collectors.toList());
    }
  }

  @Test
  void anOutageInTheMiddleIsRiddenOutAndALongerOneStopsAndResumesLater() throws Exception {
    List<String> ids = writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 8, 5);

    // Requests 3 to 5 fail with 503. Each send gives up within its 1 s timeout, and the replay's
    // circuit breaker opens and probes until the endpoint answers again.
    target.failWhile(request -> request >= 3 && request <= 5);
    Run ridden =
        replay(
            target.endpoint(),
            "--timeout",
            "1s",
            "--retry-interval",
            "200ms",
            directory.toString());
    assertThat(ridden.status()).as(ridden.err()).isZero();
    assertThat(ridden.out())
        .contains("otlp-file replay: the endpoint is unavailable (")
        .contains("otlp-file replay: the endpoint answers again after");
    assertThat(target.requests()).isGreaterThanOrEqualTo(ids.size() / 5 + 3);
    // A send that timed out just as the endpoint accepted its record is sent again (at least once).
    assertInOrderWithAtMostOneRecordResent(target.spanIds(), ids, 5);

    // A fresh target that goes down for good after two records.
    target.close();
    target = new ReplayTarget();
    target.failWhile(request -> request >= 3);
    Run stopped =
        replay(
            target.endpoint(),
            "--timeout",
            "1s",
            "--max-outage",
            "1s",
            "--retry-interval",
            "200ms",
            directory.toString());

    assertThat(stopped.status()).isEqualTo(1);
    assertThat(stopped.err()).contains("stopped: the endpoint was unavailable for more than 1.0 s");
    assertThat(stopped.out()).contains("Replay incomplete").contains("10 items delivered");
    assertThat(stopped.out()).contains((ids.size() - 10) + " skipped");
    assertThat(target.spanIds()).containsExactlyElementsOf(ids.subList(0, 10));

    // The endpoint is back: the same command delivers the rest, nothing twice.
    target.setPolicy(request -> ReplayTarget.Answer.OK);
    Run resumed = run("replay", "--endpoint", target.endpoint(), directory.toString());
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out())
        .contains((ids.size() - 10) + " items delivered")
        .contains("10 delivered earlier");
    assertThat(target.spanIds()).containsExactlyElementsOf(ids);
  }

  /**
   * Asserts that {@code received} is {@code ids} in order, each once, except that one whole record
   * of {@code perRecord} ids may come twice in a row: the record of a send that timed out after the
   * endpoint had accepted it, which the replay cannot tell from one that was lost.
   */
  private static void assertInOrderWithAtMostOneRecordResent(
      List<String> received, List<String> ids, int perRecord) {
    List<String> rest = new ArrayList<>(received);
    if (rest.size() != ids.size()) {
      assertThat(rest).as("one record sent again at most").hasSize(ids.size() + perRecord);
      int same = 0;
      while (same < ids.size() && rest.get(same).equals(ids.get(same))) {
        same++;
      }
      assertThat(same % perRecord).as("the repeat starts at a record").isZero();
      assertThat(same).as("the repeat follows the record it repeats").isGreaterThan(0);
      assertThat(rest.subList(same, same + perRecord))
          .as("the record sent again")
          .isEqualTo(ids.subList(same - perRecord, same));
      rest.subList(same, same + perRecord).clear();
    }
    assertThat(rest).containsExactlyElementsOf(ids);
  }

  @Test
  void aKilledReplayResumesWithAtMostTheBatchInFlightSentTwice() throws Exception {
    int perBatch = 20;
    List<String> ids =
        writeSpans(directory, OtlpFileFormat.PROTOBUF, Compression.NONE, 12, perBatch);

    // Paced to about 5 requests a second, so the kill lands in the middle.
    try (CommandProcess child =
        CommandProcess.start(
            "replay", "--endpoint", target.endpoint(), "--rate", "100", directory.toString())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> target.spanIds().size() >= 3 * perBatch);
      child.process().destroyForcibly();
      assertThat(child.waitFor(Duration.ofSeconds(20))).isNotZero();
    }
    int beforeResume = target.spanIds().size();
    assertThat(beforeResume).isLessThan(ids.size());

    Run resumed = run("replay", "--endpoint", target.endpoint(), directory.toString());

    assertThat(resumed.status()).as(resumed.err()).isZero();
    List<String> received = target.spanIds();
    assertThat(new HashSet<>(received)).containsExactlyInAnyOrderElementsOf(ids);
    Map<String, Integer> counts = new HashMap<>();
    received.forEach(id -> counts.merge(id, 1, Integer::sum));
    List<String> twice =
        counts.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
    // Only a record acknowledged just before the kill, before its checkpoint was saved, comes
    // again.
    assertThat(twice.size()).isLessThanOrEqualTo(perBatch);
    assertThat(counts.values()).allMatch(n -> n <= 2);
    assertThat(received.size()).isEqualTo(ids.size() + twice.size());
  }

  @Test
  void aReplayStoppedWithSigtermSavesItsPlaceAndResumesWithoutDuplicates() throws Exception {
    List<String> ids = writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 12, 20);
    List<String> out;
    try (CommandProcess child =
        CommandProcess.start(
            "replay", "--endpoint", target.endpoint(), "--rate", "100", directory.toString())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> target.spanIds().size() >= 2 * 20);
      assertThat(child.process().toHandle().destroy()).isTrue(); // SIGTERM, pipes left open
      assertThat(child.waitFor(Duration.ofSeconds(30))).isEqualTo(143);
      out = child.out();
      assertThat(child.err())
          .contains(
              "otlp-file replay: interrupted; run the same command again to go on from the"
                  + " checkpoint");
    }
    int sent = target.spanIds().size();
    assertThat(sent).isLessThan(ids.size());
    assertThat(out)
        .anyMatch(line -> line.startsWith("Replay interrupted: " + sent + " items delivered"));

    Run resumed = run("replay", "--endpoint", target.endpoint(), directory.toString());

    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains(sent + " delivered earlier");
    // The record in flight finished before the stop, and its place was saved: nothing twice.
    assertThat(target.spanIds()).containsExactlyElementsOf(ids);
  }

  @Test
  void retryAfterOfA429IsHonoured() throws Exception {
    writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 1, 3);
    target.setPolicy(
        request -> request == 1 ? new ReplayTarget.Answer(429, "2") : ReplayTarget.Answer.OK);

    Run run = run("replay", "--endpoint", target.endpoint(), directory.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(target.spanIds()).hasSize(3);
    List<Long> arrivals = target.arrivalNanos();
    assertThat(arrivals).hasSize(2);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0));
    if (exporterHonoursRetryAfter()) {
      assertThat(waitedMillis).isGreaterThanOrEqualTo(1900);
    } else {
      // Older exporters back off by their own policy (about 1 s) instead.
      assertThat(waitedMillis).isGreaterThanOrEqualTo(700);
    }
  }

  /** The OpenTelemetry OTLP/HTTP exporters honour Retry-After from 1.68.0 on (1.63.0 does not). */
  private static boolean exporterHonoursRetryAfter() throws ReflectiveOperationException {
    // Read at run time: the constant would be inlined with the version compiled against.
    String version = (String) OtelVersion.class.getField("VERSION").get(null);
    String[] parts = version.split("[.-]");
    int major = Integer.parseInt(parts[0]);
    int minor = Integer.parseInt(parts[1]);
    return major > 1 || minor >= 68;
  }

  @Test
  void headerValuesAreSentButNeverPrintedOrLogged() throws Exception {
    writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 3, 2);
    String secret = "Bearer s3cr3t-token-4711";
    target.requireAuthorization(secret);
    target.failWhile(request -> request == 1); // one 503 first, so the exporter logs a retry
    List<String> logged = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
              for (Object p : record.getParameters()) {
                text.append(' ').append(p);
              }
            }
            Throwable t = record.getThrown();
            while (t != null) {
              text.append(' ').append(t);
              t = t.getCause();
            }
            logged.add(text.toString());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    try {
      Run accepted =
          replay(
              target.endpoint(),
              "--header",
              "Authorization=" + secret,
              "--verbose",
              directory.toString());
      assertThat(accepted.status()).as(accepted.err()).isZero();
      assertThat(target.spanIds()).hasSize(6);
      assertThat(target.headerValues()).contains(secret);

      String wrong = "Bearer wr0ng-s3cr3t-0815";
      Run refused =
          replay(
              target.endpoint(),
              "--header",
              "Authorization=" + wrong,
              "--restart",
              "--verbose",
              "--json",
              directory.toString());
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.err()).contains("HTTP 401");
      assertThat(target.headerValues()).contains(wrong);

      Run badUsage =
          run("replay", "--endpoint", target.endpoint(), "--header", wrong, directory.toString());
      assertThat(badUsage.status()).isEqualTo(2);
      assertThat(badUsage.err()).contains("--header #1 must be NAME=VALUE");
      Run mistyped =
          replay(target.endpoint(), "--headr=Authorization=" + wrong, directory.toString());
      assertThat(mistyped.status()).isEqualTo(2);
      assertThat(mistyped.err()).contains("Unknown option: '--headr=...'");

      assertThat(logged).isNotEmpty(); // the exporter did log its failures
      ReplaySender sender =
          new ReplaySender(
              target.endpoint(),
              ReplaySender.HTTP_PROTOBUF,
              Map.of("Authorization", secret),
              Duration.ofSeconds(1));
      assertThat(sender.toString()).contains("Authorization").doesNotContain("s3cr3t");
      sender.close();
      for (String text :
          List.of(
              accepted.out(),
              accepted.err(),
              refused.out(),
              refused.err(),
              badUsage.out(),
              badUsage.err(),
              String.join("\n", logged))) {
        assertThat(text).doesNotContain("s3cr3t");
      }
    } finally {
      root.removeHandler(handler);
      root.setLevel(rootLevel);
    }
  }

  @Test
  void aDamagedCheckpointIsRefusedWithoutSendingAndRestartStartsOver() throws Exception {
    List<String> ids = writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 2, 3);
    Path checkpoint = directory.resolve("cp");
    Run first = replayChecked(checkpoint, directory.toString());
    assertThat(first.status()).isZero();
    String text = Files.readString(checkpoint);
    Files.writeString(checkpoint, text.replace("protocol http/protobuf", "protocol http/protobuX"));
    int requests = target.requests();

    Run damaged = replayChecked(checkpoint, directory.toString());

    assertThat(damaged.status()).isEqualTo(1);
    assertThat(damaged.err().strip())
        .startsWith("otlp-file replay: checkpoint " + checkpoint)
        .contains("is damaged (its checksum does not match)")
        .doesNotContain("\tat ");
    assertThat(target.requests()).isEqualTo(requests);

    Run otherEndpoint =
        replay("http://127.0.0.1:1", "--checkpoint", checkpoint.toString(), directory.toString());
    assertThat(otherEndpoint.status()).isEqualTo(1);
    assertThat(otherEndpoint.err()).contains("damaged");

    Run restart = replayChecked(checkpoint, "--restart", directory.toString());
    assertThat(restart.status()).as(restart.err()).isZero();
    List<String> twice = new ArrayList<>(ids);
    twice.addAll(ids);
    assertThat(target.spanIds()).containsExactlyElementsOf(twice);
  }

  @Test
  void aCheckpointOfAnotherEndpointIsRefused() throws Exception {
    writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 1, 1);
    Path checkpoint = directory.resolve("cp");
    assertThat(replayChecked(checkpoint, directory.toString()).status()).isZero();

    Run other =
        replay("http://127.0.0.1:9", "--checkpoint", checkpoint.toString(), directory.toString());

    assertThat(other.status()).isEqualTo(1);
    assertThat(other.err()).contains("belongs to a replay to " + target.endpoint());
  }

  @Test
  void metricsKeepTheirTemporalityAndLogsArriveToo() throws Exception {
    OtlpFileMetricExporter metrics =
        OtlpFileMetricExporter.builder().setDirectory(directory).build();
    MetricData delta =
        ImmutableMetricData.createLongSum(
            Resource.empty(),
            InstrumentationScopeInfo.create("test"),
            "requests",
            "",
            "1",
            ImmutableSumData.create(
                true,
                io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA,
                List.of(
                    ImmutableLongPointData.create(1, 2, Attributes.empty(), 7),
                    ImmutableLongPointData.create(2, 3, Attributes.empty(), 9))));
    metrics.export(List.of(delta)).join(10, TimeUnit.SECONDS);
    metrics.shutdown().join(10, TimeUnit.SECONDS);
    OtlpFileLogRecordExporter logs =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(directory)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .build();
    LogFixture logFixture = new LogFixture();
    List<LogRecordData> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(logFixture.item(i));
    }
    logs.export(records).join(10, TimeUnit.SECONDS);
    logs.shutdown().join(10, TimeUnit.SECONDS);

    Run run = run("replay", "--endpoint", target.endpoint(), directory.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(target.logRecords()).isEqualTo(5);
    List<ExportMetricsServiceRequest> received = target.metricRequests();
    assertThat(received).hasSize(1);
    Metric metric = received.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(metric.getName()).isEqualTo("requests");
    assertThat(metric.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    assertThat(metric.getSum().getDataPointsList())
        .extracting(p -> p.getAsInt())
        .containsExactly(7L, 9L);
  }

  @Test
  void grpcReplayReachesTheReceiver() throws Exception {
    List<String> ids =
        writeSpans(directory.resolve("in"), OtlpFileFormat.PROTOBUF, Compression.NONE, 3, 4);
    Path out = directory.resolve("out");
    String grpcEndpoint;
    try (OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(out)
            .setHttpPort(0)
            .setGrpcPort(0)
            .build()
            .start()) {
      grpcEndpoint = receiver.getGrpcEndpoint();
      Run run = replay(grpcEndpoint, "--protocol", "grpc", directory.resolve("in").toString());
      assertThat(run.status()).as(run.err()).isZero();
    }
    assertThat(OtlpFileReader.readSpans(out).stream().map(SpanData::getSpanId))
        .containsExactlyElementsOf(ids);

    // The receiver is gone: over gRPC too, that is an outage to wait out, not a rejection.
    Run gone =
        replay(
            grpcEndpoint,
            "--protocol",
            "grpc",
            "--restart",
            "--timeout",
            "1s",
            "--max-outage",
            "1s",
            "--retry-interval",
            "200ms",
            directory.resolve("in").toString());
    assertThat(gone.status()).isEqualTo(1);
    assertThat(gone.err()).contains("otlp-file replay: stopped: the endpoint was unavailable");
    assertThat(gone.out()).contains(ids.size() + " skipped");
  }

  @Test
  void badUsageExitsWithTwo() throws Exception {
    writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 1, 1);
    assertThat(run("replay", directory.toString()).status()).isEqualTo(2);
    assertThat(run("replay", "--endpoint", target.endpoint()).status()).isEqualTo(2);
    Run protocol = replay(target.endpoint(), "--protocol", "thrift", directory.toString());
    assertThat(protocol.status()).isEqualTo(2);
    assertThat(protocol.err()).contains("--protocol must be http/protobuf or grpc");
    Run url = run("replay", "--endpoint", "ftp://example", directory.toString());
    assertThat(url.status()).isEqualTo(2);
    assertThat(url.err()).contains("--endpoint must be an http or https URL");
    assertThat(
            run("replay", "--endpoint", target.endpoint(), "--rate", "0", directory.toString())
                .status())
        .isEqualTo(2);
    Run missing =
        run("replay", "--endpoint", target.endpoint(), directory.resolve("nope").toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err().strip())
        .isEqualTo("otlp-file replay: " + directory.resolve("nope") + ": no such file or folder");
    try (var left = Files.list(directory)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".checkpoint"));
    }
    assertThat(target.requests()).isZero();
  }

  @Test
  void aDamagedRecordIsReportedNotSentAndFailsTheExitStatus() throws Exception {
    List<String> ids = writeSpans(directory, OtlpFileFormat.JSON_LINES, Compression.NONE, 2, 2);
    Path file = listFiles(directory).get(0);
    Files.writeString(file, "{not json\n", java.nio.file.StandardOpenOption.APPEND);

    Run run = run("replay", "--endpoint", target.endpoint(), directory.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("otlp-file replay: " + file).contains("(not sent)");
    assertThat(target.spanIds()).containsExactlyInAnyOrderElementsOf(ids);
  }
}
