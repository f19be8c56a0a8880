package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials given for forwarding never show: not in {@code toString()}, not in the stats, not in
 * any log record (of this library or of the OpenTelemetry exporters it drives, at every level, with
 * their exceptions) while every forward is refused by a server that wants another credential.
 */
class SecretsNeverShownTest {
  private static final String SECRET = "Bearer f0rward-s3cret-9931";

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of("");
  private OtlpFileReceiver refusing;

  @BeforeEach
  void setUp() {
    // Refuses every forward with 401: it wants another credential.
    refusing =
        OtlpFileReceiver.builder()
            .setDirectory(dir.resolve("refusing"))
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setRequiredHeader("Authorization", "Bearer another")
            .build()
            .start();
  }

  @AfterEach
  void tearDown() {
    refusing.close();
  }

  @Test
  void headersOfAForwardExporterNeverShow() {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir.resolve("a"))
            .setForwardTo(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint(refusing.getHttpEndpoint() + "/v1/traces")
                    .addHeader("Authorization", SECRET)
                    .build())
            .build();
    exportUntilForwardsFail(exporter);
  }

  @Test
  void forwardHeadersNeverShow() {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir.resolve("b"))
            .setForwardEndpoint(refusing.getHttpEndpoint())
            .setForwardHeaders(Map.of("Authorization", SECRET, "X-Api-Key", SECRET))
            .build();
    exportUntilForwardsFail(exporter);
  }

  @Test
  void aReceiversForwardHeadersNeverShow() {
    OtlpFileReceiver forwarding =
        OtlpFileReceiver.builder()
            .setDirectory(dir.resolve("c"))
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setForwardEndpoint(refusing.getHttpEndpoint())
            .setForwardHeaders(Map.of("Authorization", SECRET))
            .build()
            .start();
    OtlpHttpSpanExporter sender =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(forwarding.getHttpEndpoint() + "/v1/traces")
            .build();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                sender.export(TestSpans.batch("s", 2)).join(10, TimeUnit.SECONDS);
                return forwarding
                        .getStats()
                        .getFileStats(io.github.otlpfile.read.OtlpSignal.TRACES)
                        .getForwardFailedItems()
                    > 0;
              });
      assertNoSecret(forwarding.toString());
      assertNoSecret(forwarding.getStats().toString());
    } finally {
      sender.shutdown().join(10, TimeUnit.SECONDS);
      forwarding.close();
    }
    assertNoSecretLogged();
  }

  private void exportUntilForwardsFail(OtlpFileSpanExporter exporter) {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                CompletableResultCode result = exporter.export(TestSpans.batch("x", 2));
                result.join(10, TimeUnit.SECONDS);
                assertThat(result.isSuccess()).as("the local write").isTrue();
                exporter.flush().join(10, TimeUnit.SECONDS);
                return exporter.getStats().getForwardFailedItems() > 0;
              });
      assertNoSecret(exporter.toString());
      assertNoSecret(exporter.getStats().toString());
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(logs.records()).as("the refused forwards were logged").isNotEmpty();
    assertNoSecretLogged();
  }

  private void assertNoSecretLogged() {
    SimpleFormatter formatter = new SimpleFormatter();
    for (LogRecord record : logs.records()) {
      assertNoSecret(formatter.format(record));
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        assertNoSecret(trace.toString());
      }
    }
  }

  private static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(SECRET).doesNotContain("f0rward-s3cret");
  }
}
