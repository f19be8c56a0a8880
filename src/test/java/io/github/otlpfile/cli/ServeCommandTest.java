package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.support.LogFixture;
import io.github.otlpfile.support.SpanFixture;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServeCommandTest {
  private static final SpanFixture SPANS = new SpanFixture();

  @TempDir Path directory;

  /**
   * The OpenTelemetry OTLP exporters send over HTTP and gRPC while the process gets SIGTERM: every
   * batch that was acknowledged is in the files afterwards, and the process exits 0.
   */
  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void everythingAcknowledgedBeforeSigtermIsInTheFiles(OtlpFileFormat format) throws Exception {
    String formatName = format == OtlpFileFormat.JSON_LINES ? "jsonl" : "binpb";
    try (CommandProcess serve =
        CommandProcess.start(
            "serve",
            "--directory",
            directory.toString(),
            "--format",
            formatName,
            "--http-port",
            "0",
            "--grpc-port",
            "0",
            "--status-interval",
            "200ms",
            "--max-file-size",
            "16KiB")) {
      String http =
          after(serve.awaitLine("otlp-file serve: OTLP/HTTP on ", Duration.ofSeconds(30)));
      String grpc =
          after(serve.awaitLine("otlp-file serve: OTLP/gRPC on ", Duration.ofSeconds(10)));
      assertThat(http).startsWith("http://127.0.0.1:").doesNotEndWith(":0");

      SpanExporter httpSpans =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(http + "/v1/traces")
              .setTimeout(Duration.ofSeconds(5))
              .setRetryPolicy(null)
              .build();
      SpanExporter grpcSpans =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint(grpc)
              .setTimeout(Duration.ofSeconds(5))
              .setRetryPolicy(null)
              .build();
      OtlpHttpLogRecordExporter httpLogs =
          OtlpHttpLogRecordExporter.builder().setEndpoint(http + "/v1/logs").build();
      LogFixture logFixture = new LogFixture();
      List<LogRecordData> logs = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        logs.add(logFixture.item(i));
      }
      assertThat(httpLogs.export(logs).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      List<String> acknowledged = new CopyOnWriteArrayList<>();
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicInteger batches = new AtomicInteger();
      List<Thread> senders = new ArrayList<>();
      for (SpanExporter exporter : List.of(httpSpans, grpcSpans)) {
        int base = senders.size() * 1_000_000;
        Thread sender =
            new Thread(
                () -> {
                  for (int b = 0; sending.get(); b++) {
                    List<SpanData> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                      batch.add(SPANS.item(base + b * 10 + i));
                    }
                    CompletableResultCode result =
                        exporter.export(batch).join(10, TimeUnit.SECONDS);
                    if (!result.isSuccess()) {
                      return; // the server is stopping: later batches are not acknowledged
                    }
                    batch.forEach(span -> acknowledged.add(span.getSpanId()));
                    batches.incrementAndGet();
                  }
                });
        sender.start();
        senders.add(sender);
      }
      // Enough acknowledged, and at least one periodic status line printed while it runs.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  batches.get() >= 20
                      && serve.out().stream()
                          .anyMatch(line -> line.matches("otlp-file serve: \\d+s up, .*")));
      // SIGTERM, as Process.destroy() sends, but through the handle, which (unlike
      // Process.destroy()) leaves our end of the output pipes open to read the last lines.
      assertThat(serve.process().toHandle().destroy()).isTrue();

      int status = serve.waitFor(Duration.ofSeconds(30));
      sending.set(false);
      for (Thread sender : senders) {
        sender.join(TimeUnit.SECONDS.toMillis(30));
      }
      httpSpans.shutdown();
      grpcSpans.shutdown();
      httpLogs.shutdown();

      assertThat(status).as(String.join("\n", serve.err())).isZero();
      // Status lines while it ran (every 200 ms) and one at the stop.
      assertThat(serve.out().stream().filter(line -> line.matches("otlp-file serve: \\d+s up, .*")))
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(serve.out())
          .contains("otlp-file serve: stopped; every accepted request is in the files");
      List<String> inFiles =
          OtlpFileReader.readSpans(directory).stream()
              .map(SpanData::getSpanId)
              .collect(Collectors.toList());
      assertThat(inFiles).containsAll(acknowledged);
      assertThat(inFiles).doesNotHaveDuplicates();
      assertThat(OtlpFileReader.readLogRecords(directory)).hasSize(7);
      try (OtlpFileReader reader = OtlpFileReader.open(directory)) {
        reader.forEach(record -> assertThat(record.getFormat()).isEqualTo(format));
        assertThat(reader.getProblems()).isEmpty();
      }
    }
  }

  @Test
  void forwardsWhatItWritesWithItsHeaderNeverShown() throws Exception {
    String secret = "Bearer s3cr3t-forward-1234";
    try (ReplayTarget target = new ReplayTarget();
        CommandProcess serve =
            CommandProcess.start(
                "serve",
                "--directory",
                directory.toString(),
                "--http-port",
                "0",
                "--grpc-port",
                "-1",
                "--forward-endpoint",
                target.endpoint(),
                "--forward-header",
                "Authorization=" + secret)) {
      target.requireAuthorization(secret);
      String http =
          after(serve.awaitLine("otlp-file serve: OTLP/HTTP on ", Duration.ofSeconds(30)));
      SpanExporter exporter =
          OtlpHttpSpanExporter.builder().setEndpoint(http + "/v1/traces").build();
      List<String> sent = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        List<SpanData> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(SPANS.item(b * 10 + i));
        }
        assertThat(exporter.export(batch).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        batch.forEach(span -> sent.add(span.getSpanId()));
      }
      exporter.shutdown();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(target.spanIds()).containsExactlyInAnyOrderElementsOf(sent));

      assertThat(serve.process().toHandle().destroy()).isTrue();
      assertThat(serve.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(String.join("\n", serve.out()) + String.join("\n", serve.err()))
          .doesNotContain("s3cr3t");
      assertThat(OtlpFileReader.readSpans(directory).stream().map(SpanData::getSpanId))
          .containsExactlyElementsOf(sent);
    }
  }

  @Test
  void withUiTheViewPageShowsWhatArrivesWhileItIsServed() throws Exception {
    try (CommandProcess serve =
        CommandProcess.start(
            "serve",
            "--directory",
            directory.toString(),
            "--http-port",
            "0",
            "--grpc-port",
            "-1",
            "--ui")) {
      String http =
          after(serve.awaitLine("otlp-file serve: OTLP/HTTP on ", Duration.ofSeconds(30)));
      String page = after(serve.awaitLine("otlp-file serve: the page on ", Duration.ofSeconds(30)));
      assertThat(page).startsWith("http://127.0.0.1:");
      HttpClient client = HttpClient.newHttpClient();
      Supplier<String> traces =
          () -> {
            try {
              HttpResponse<String> response =
                  client.send(
                      HttpRequest.newBuilder(URI.create(page + "api/traces")).build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              return response.body();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          };
      assertThat(traces.get()).contains("\"total\":0");

      SpanExporter exporter =
          OtlpHttpSpanExporter.builder().setEndpoint(http + "/v1/traces").build();
      SpanData span = SPANS.item(0);
      assertThat(exporter.export(List.of(span)).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      exporter.shutdown();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(traces.get()).contains(span.getTraceId()));

      assertThat(serve.process().toHandle().destroy()).isTrue();
      assertThat(serve.waitFor(Duration.ofSeconds(30))).isZero();
    }
  }

  private static String after(String line) {
    return line.substring(line.lastIndexOf(" on ") + 4).trim();
  }

  @Test
  void aPortInUseExitsWithOneNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ReplayCommandTest.Run run =
          ReplayCommandTest.run(
              "serve",
              "--directory",
              directory.toString(),
              "--http-port",
              String.valueOf(taken.getLocalPort()),
              "--grpc-port",
              "-1");
      assertThat(run.status()).isEqualTo(1);
      assertThat(run.err().strip())
          .startsWith(
              "otlp-file serve: cannot listen for OTLP/HTTP on 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\tat ");
    }
  }

  @Test
  void badSettingsExitWithTwo() {
    ReplayCommandTest.Run size = ReplayCommandTest.run("serve", "--max-file-size", "12XB");
    assertThat(size.status()).isEqualTo(2);
    assertThat(size.err()).contains("'12XB' is not a size");
    ReplayCommandTest.Run combination =
        ReplayCommandTest.run(
            "serve",
            "--directory",
            directory.toString(),
            "--max-file-size",
            "1MiB",
            "--max-total-size",
            "1KiB");
    assertThat(combination.status()).isEqualTo(2);
    assertThat(combination.err()).contains("maxTotalSize");
    assertThat(ReplayCommandTest.run("serve", "--format", "xml").status()).isEqualTo(2);
    ReplayCommandTest.Run header =
        ReplayCommandTest.run("serve", "--required-header", "s3cr3t-without-a-name");
    assertThat(header.status()).isEqualTo(2);
    assertThat(header.err()).doesNotContain("s3cr3t");
  }
}
