package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ChildJvm;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM runs the real OpenTelemetry Java agent with its default OTLP exporter
 * (http/protobuf), pointed at the receiver's HTTP endpoint and sending the required header; its
 * spans arrive in the receiver's files.
 */
class OtlpFileReceiverJavaagentTest {
  private static final long TIMEOUT_SECONDS = 120;
  private static final int CHILDREN = 20;
  private static final String TOKEN = "agent-token-1234";

  @TempDir Path tmp;

  @Test
  void theAgentsSpansArriveInTheFiles() throws Exception {
    Path out = tmp.resolve("files");
    Path log = tmp.resolve("app.log");
    try (OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(out)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setRequiredHeader("Authorization", "Bearer " + TOKEN)
            .build()
            .start()) {
      List<String> command = new ArrayList<>();
      command.add(ChildJvm.java());
      command.add(ChildJvm.QUICK_START);
      command.addAll(ChildJvm.javaagentOptions());
      command.add("-Dotel.exporter.otlp.endpoint=" + receiver.getHttpEndpoint());
      command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
      command.add("-Dotel.exporter.otlp.headers=Authorization=Bearer%20" + TOKEN);
      command.add("-Dotel.metrics.exporter=none");
      command.add("-Dotel.logs.exporter=none");
      command.add("-Dotel.bsp.schedule.delay=100");
      command.add("-cp");
      command.add(ChildJvm.apiClassPath(ReceiverAgentApp.class));
      command.add(ReceiverAgentApp.class.getName());
      command.add(Integer.toString(CHILDREN));
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("OTEL_"));
      environment.put("OTEL_SERVICE_NAME", "receiver-agent-test");

      String output = ChildJvm.runToSuccess(builder, log, Duration.ofSeconds(TIMEOUT_SECONDS));

      List<SpanData> spans = awaitSpans(out, CHILDREN + 1, output);
      assertThat(spans)
          .extracting(SpanData::getName)
          .containsOnly("agent-parent", "agent-child")
          .filteredOn("agent-parent"::equals)
          .hasSize(1);
      assertThat(spans)
          .allSatisfy(
              s ->
                  assertThat(
                          s.getResource()
                              .getAttribute(
                                  io.opentelemetry.api.common.AttributeKey.stringKey(
                                      "service.name")))
                      .isEqualTo("receiver-agent-test"));
      SpanData parent =
          spans.stream().filter(s -> s.getName().equals("agent-parent")).findFirst().get();
      assertThat(spans.stream().filter(s -> s.getName().equals("agent-child")))
          .allSatisfy(c -> assertThat(c.getParentSpanId()).isEqualTo(parent.getSpanId()));
      ReceiverStats stats = receiver.getStats();
      assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(CHILDREN + 1);
      assertThat(stats.getRefusedRequests()).as(stats.toString()).isZero();
    }
  }

  /** Reads the spans in the files until there are {@code count}, for at most 30 seconds. */
  private static List<SpanData> awaitSpans(Path dir, int count, String output) {
    AtomicReference<List<SpanData>> spans = new AtomicReference<>(new ArrayList<>());
    try {
      return Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                spans.set(
                    Files.isDirectory(dir) ? OtlpFileReader.readSpans(dir) : new ArrayList<>());
                return spans.get();
              },
              read -> read.size() >= count);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "expected "
              + count
              + " spans in "
              + dir
              + ", found "
              + spans.get().stream().map(SpanData::getName).collect(Collectors.toList())
              + "; the application's output:\n"
              + output,
          e);
    }
  }
}
