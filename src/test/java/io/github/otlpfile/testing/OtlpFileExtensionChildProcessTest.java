package io.github.otlpfile.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.receive.ReceiverAgentApp;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.assertj.SpanDataAssert;
import io.opentelemetry.sdk.testing.assertj.TracesAssert;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry of other processes: a child JVM writing with this library's exporter into the test's
 * directory, and a child JVM under the OpenTelemetry Java agent sending OTLP to the test's
 * receiver, configured only by {@code getOtlpEnvironment()}.
 */
class OtlpFileExtensionChildProcessTest {
  private static final int CHILDREN = 5;
  private static final Duration ARRIVAL = Duration.ofSeconds(60);

  @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();

  @TempDir Path tmp;

  @Test
  void awaitsSpansThatAChildJvmWritesIntoTheDirectory() throws Exception {
    List<String> command = java();
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildWriterApp.class.getName());
    command.add(otel.getDirectory().toString());
    command.add(Integer.toString(CHILDREN));
    Process child = start(new ProcessBuilder(command));

    // Waits while the child is still starting and writing.
    List<SpanData> spans = otel.awaitSpans(CHILDREN + 1, ARRIVAL);
    assertThat(spans).extracting(SpanData::getName).contains("child-parent", "child-0");
    List<List<SpanData>> traces = otel.awaitTraces(1, ARRIVAL);
    TracesAssert.assertThat(traces)
        .hasTracesSatisfyingExactly(
            trace -> trace.hasSpansSatisfyingExactly(parentThenChildren("child-parent", traces)));
    assertThat(
            traces.get(0).get(0).getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("child-writer");
    finish(child);
  }

  @Test
  void awaitsTracesThatAChildJvmUnderTheJavaAgentSendsToTheEndpoint() throws Exception {
    Path agent = Paths.get(System.getProperty("otlpfile.test.javaagent", "missing"));
    assertThat(agent).as("the agent jar copied by the build").isRegularFile();
    List<String> command = java();
    command.add("-javaagent:" + agent);
    // Only the API bridge is needed; fewer instrumentations start faster.
    command.add("-Dotel.instrumentation.common.default-enabled=false");
    command.add("-Dotel.instrumentation.opentelemetry-api.enabled=true");
    command.add("-cp");
    command.add(apiClassPath());
    command.add(ReceiverAgentApp.class.getName());
    command.add(Integer.toString(CHILDREN));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_"));
    builder.environment().putAll(otel.getOtlpEnvironment("agent-app"));
    Process child = start(builder);

    List<List<SpanData>> traces = otel.awaitTraces(1, ARRIVAL);
    otel.awaitSpans(CHILDREN + 1, ARRIVAL);
    List<List<SpanData>> complete = otel.getTraces();
    TracesAssert.assertThat(complete)
        .hasTracesSatisfyingExactly(
            trace -> trace.hasSpansSatisfyingExactly(parentThenChildren("agent-parent", complete)));
    assertThat(
            traces.get(0).get(0).getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("agent-app");
    finish(child);
  }

  /** The parent first, then its children in start order, each with the parent as parent. */
  @SuppressWarnings("unchecked")
  private static Consumer<SpanDataAssert>[] parentThenChildren(
      String parentName, List<List<SpanData>> traces) {
    List<Consumer<SpanDataAssert>> checks = new ArrayList<>();
    checks.add(span -> span.hasName(parentName).hasNoParent());
    SpanData parent = traces.get(0).get(0);
    long[] lastStart = {parent.getStartEpochNanos()};
    for (int i = 0; i < CHILDREN; i++) {
      checks.add(
          span ->
              span.hasParent(parent)
                  .satisfies(
                      s -> {
                        assertThat(s.getStartEpochNanos()).isGreaterThanOrEqualTo(lastStart[0]);
                        lastStart[0] = s.getStartEpochNanos();
                      }));
    }
    return checks.toArray(new Consumer[0]);
  }

  private List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // Quick start-up matters more than peak speed for these short-lived children.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx128m");
    return command;
  }

  private Process start(ProcessBuilder builder) throws Exception {
    builder.redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
    return builder.start();
  }

  private void finish(Process child) throws Exception {
    boolean exited = child.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly();
    }
    String output = Files.readString(tmp.resolve("child.log"), StandardCharsets.UTF_8);
    assertThat(exited).as("the child exits; its output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as("exit status; output:%n%s", output).isZero();
  }

  /** The agent's application: its own class and the OpenTelemetry API only. */
  private static String apiClassPath() throws URISyntaxException {
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
