package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.otlpfile.Compression;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live page over a folder an exporter keeps writing: new spans show up, a trace whose spans
 * arrive in two exports grows, and traces in files that were rotated and compressed meanwhile still
 * open.
 */
class ViewLiveTest {
  @TempDir Path directory;

  @Test
  void indexFollowsAnExporterThatRotatesAndCompresses() throws Exception {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(directory)
            .setMaxFileSize(8 * 1024)
            .setCompression(Compression.GZIP)
            .build();
    try (SdkTracerProvider provider =
            SdkTracerProvider.builder()
                .setResource(Resource.getDefault().toBuilder().put("service.name", "live").build())
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        ViewServer server = ViewServer.start(List.of(directory), 0, true)) {
      ViewClient client = new ViewClient(server);
      assertThat(client.json("/api/summary").get("live").getAsBoolean()).isTrue();
      Tracer tracer = provider.get("live-test");

      // A trace whose root ends only after the other rounds: it grows while the page watches.
      Span longRunning = tracer.spanBuilder("long running").startSpan();
      String growingTrace = longRunning.getSpanContext().getTraceId();
      tracer
          .spanBuilder("early child")
          .setParent(Context.root().with(longRunning))
          .startSpan()
          .end();
      String firstTrace = null;
      int written = 1;
      for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 20; i++) {
          Span span = tracer.spanBuilder("round " + round + " request " + i).startSpan();
          span.setAttribute("payload", "x".repeat(200));
          if (firstTrace == null) {
            firstTrace = span.getSpanContext().getTraceId();
          }
          span.end();
          written++;
        }
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        int expected = written;
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(client.json("/api/summary").get("spans").getAsInt())
                        .isEqualTo(expected));
      }
      JsonObject growing = client.json("/api/trace/" + growingTrace);
      assertThat(growing.get("spanCount").getAsInt()).isEqualTo(1);
      assertThat(growing.get("missingParents").getAsInt()).isEqualTo(1);

      longRunning.end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(client.json("/api/trace/" + growingTrace).get("spanCount").getAsInt())
                      .isEqualTo(2));
      JsonObject grown = client.json("/api/trace/" + growingTrace);
      assertThat(ViewApiTest.names(grown.getAsJsonArray("spans")))
          .containsExactly("long running", "early child");
      assertThat(grown.get("missingParents").getAsInt()).isZero();

      // The exporter rotated and compressed files while the page read them.
      try (Stream<Path> files = Files.walk(directory)) {
        assertThat(files.filter(f -> f.toString().endsWith(".jsonl.gz")).count()).isGreaterThan(2);
      }
      JsonObject first = client.json("/api/trace/" + firstTrace);
      assertThat(ViewApiTest.names(first.getAsJsonArray("spans")))
          .containsExactly("round 0 request 0");
      int total = written + 1;
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(client.json("/api/summary").get("spans").getAsInt()).isEqualTo(total));
      assertThat(client.json("/api/summary").get("spans").getAsInt())
          .isEqualTo(OtlpFileReader.readSpans(directory).size());
      assertThat(client.json("/api/traces?limit=1000").get("total").getAsInt())
          .isEqualTo(total - 1);
    }
  }
}
