package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    Path agent = Paths.get(System.getProperty("otlpfile.test.javaagent", "missing"));
    assertThat(agent).as("the agent jar copied by the build").isRegularFile();
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
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      // C1 only: the child lives for seconds, so a faster start beats faster code.
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-javaagent:" + agent);
      command.add("-Dotel.exporter.otlp.endpoint=" + receiver.getHttpEndpoint());
      command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
      command.add("-Dotel.exporter.otlp.headers=Authorization=Bearer%20" + TOKEN);
      command.add("-Dotel.metrics.exporter=none");
      command.add("-Dotel.logs.exporter=none");
      command.add("-Dotel.bsp.schedule.delay=100");
      // Only the API bridge is needed; fewer instrumentations start faster.
      command.add("-Dotel.instrumentation.common.default-enabled=false");
      command.add("-Dotel.instrumentation.opentelemetry-api.enabled=true");
      command.add("-cp");
      command.add(applicationClassPath());
      command.add(ReceiverAgentApp.class.getName());
      command.add(Integer.toString(CHILDREN));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("OTEL_"));
      environment.put("OTEL_SERVICE_NAME", "receiver-agent-test");

      Process process = builder.start();
      boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(exited).as("the application exits; its output:%n%s", output).isTrue();
      assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();

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

  /** The test classes (for the application) and the OpenTelemetry API it is written against. */
  private static String applicationClassPath() throws URISyntaxException {
    List<String> entries = new ArrayList<>();
    entries.add(location(ReceiverAgentApp.class));
    entries.add(location(io.opentelemetry.api.OpenTelemetry.class));
    entries.add(location(io.opentelemetry.context.Context.class));
    try {
      // The API's own dependency since 1.64; absent before.
      entries.add(location(Class.forName("io.opentelemetry.common.ComponentLoader")));
    } catch (ClassNotFoundException e) {
      // an older API without it
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String location(Class<?> type) throws URISyntaxException {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
